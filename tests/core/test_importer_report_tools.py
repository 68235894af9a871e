"""Tables printed by report tools rather than office programs read cell for cell.

Each case is a layout that stored wrong cells without a word before: a header row repeated in the
middle of a page glued onto the row above it, unknown columns glued to their neighbour, soft wraps
kept as paragraph breaks, runs of ideographic spaces dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from evaldesk.importer import parse_pdf
from evaldesk.records import ParsedTable
from tests.core.platypus_tables import make_platypus_pdf
from tests.core.tablegen import load_truth

CELLS = ("program_id", "name", "department", "purpose", "overview", "outcome")
HEADER_WORDS = ("事業番号", "事務事業名", "担当課", "事業の目的", "事業の概要", "成果")


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _misses(table: ParsedTable, programs: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Cells unequal ignoring whitespace, and the count of cells equal exactly."""
    by_no = {r.no: r for r in table.rows}
    wrong: list[str] = []
    exact = 0
    for want in programs:
        row = by_no.get(want["no"])
        for f in CELLS:
            got = "" if row is None else row.text(f)
            if _squash(got) != _squash(str(want[f])):
                wrong.append(f"No.{want['no']} {f}: {got!r} != {want[f]!r}")
            exact += got == str(want[f])
    return wrong, exact


def test_platypus_longtable_repeated_header_split_rows(tmp_path: Path) -> None:
    """Platypus repeats the header wherever the table continues, also mid-page before a split row."""
    programs = load_truth()["programs"]
    table = parse_pdf(make_platypus_pdf(tmp_path / "longtable.pdf", programs))
    assert table.pages >= 4
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    wrong, _ = _misses(table, programs)
    assert not wrong, "\n".join(wrong[:8])
    glued = [(r.no, f) for r in table.rows for f in CELLS if r.text(f).endswith(HEADER_WORDS)]
    assert not glued, "header labels read as the end of a cell"
