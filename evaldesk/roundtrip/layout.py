"""Where things are in a sent workbook: sheet names, columns, the first row of programs."""

from __future__ import annotations

import re

from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS

INSTRUCTIONS_SHEET = "記入のしかた"
PROGRAMS_SHEET = "事務事業"
FIRST_ROW = 3
"""Row 1 is the title, row 2 the column headings, programs start at row 3."""
PROPOSAL_ROWS = 5
"""Blank unlocked rows under the programs for new programs a 課 proposes."""

COLUMNS: tuple[str, ...] = ("program_id", "department", "name", "purpose", "overview", "outcome", "comment")
COLUMN_OF: dict[str, int] = {name: i + 1 for i, name in enumerate(COLUMNS)}
LOCKED: frozenset[str] = frozenset({"program_id", "department"})
WIDTHS: dict[str, float] = {
    "program_id": 10,
    "department": 18,
    "name": 28,
    "purpose": 42,
    "overview": 58,
    "outcome": 58,
    "comment": 32,
}
COMMENT_LABEL = "担当課からの意見・連絡"
PROPOSAL_LABEL = "新しい事業の提案（必要な場合のみ、下の行に記入してください）"


def heading(name: str, limits: dict[str, int]) -> str:
    label = COMMENT_LABEL if name == "comment" else FIELD_LABELS[name]
    if name in limits:
        return f"{label}（{limits[name]}字以内）"
    return label


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(year: int, department: str) -> str:
    """令和7年度_事務事業_広報戦略課.xlsx: a person sees at once whose workbook it is."""
    safe = _UNSAFE.sub("_", department).strip(" .") or "部署"
    return f"{era_label(year)}_事務事業_{safe}.xlsx"
