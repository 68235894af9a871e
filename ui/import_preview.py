"""The rows read from a PDF as the import dialog previews them, before anything is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from ui.table_models import RecordTableModel

if TYPE_CHECKING:
    from evaldesk.records import ParsedRow

PREVIEW_CHARS = 40
"""How much of each long text the preview shows."""


class ParsedRowsModel(RecordTableModel["ParsedRow"]):
    """The rows read from the PDF, before anything is written: No., 事業番号, names, text openings."""

    COLUMNS: tuple[tuple[str, str], ...] = (
        ("no", "No."),
        ("program_id", "事業番号"),
        ("name", "事務事業名"),
        ("department", "部署名"),
        ("purpose", "事業の目的"),
        ("overview", "事業の概要"),
        ("outcome", "成果"),
    )
    HEADERS = tuple(label for _, label in COLUMNS)

    def set_rows(self, rows: tuple[ParsedRow, ...]) -> None:
        self.set_records(rows)

    def cell(self, row: ParsedRow, column: int, role: int) -> object:
        field = self.COLUMNS[column][0]
        if field == "no":
            value = "" if row.no is None else str(row.no)
        else:
            value = row.text(field)
        if role == Qt.ItemDataRole.DisplayRole:
            flat = " ".join(value.split())
            return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and field in ("no", "program_id"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
