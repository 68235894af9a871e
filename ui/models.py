"""The program table: a model over a list of ``Program`` records and its sorting proxy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from evaldesk.program_ids import program_id_key
from evaldesk.records import Program
from evaldesk.textnorm import fold_for_search
from ui.i18n import tr
from ui.table_models import RecordTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRAM_ROLE = Qt.ItemDataRole.UserRole + 2

COL_ID, COL_NAME, COL_DEPARTMENT, COL_MARK = range(4)
HIGHLIGHT_BRUSH = QBrush(QColor(255, 224, 102))
"""Cells a search found something in (the texts in the editor are marked in the same yellow)."""
UNSAVED_MARK = "●"
EDITED_MARK = "✎"


def id_sort_key(program_id: str) -> str:
    """The core's numeric-aware 事業番号 order ("2" < "10" < "10-2" < "A1") as a string Qt can sort."""
    return "".join(
        f"0{part:012d}" if isinstance(part, int) else f"1{part}" for _kind, part in program_id_key(program_id)
    )


class ProgramTableModel(RecordTableModel[Program]):
    """Programs of one year in table order; shows which have unsaved or saved edits."""

    HEADERS = ("事業番号", "事務事業名", "部署名", "状態")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, int] = {}
        self._unsaved: set[str] = set()
        self._terms: list[str] = []
        self._hits: dict[tuple[str, int], bool] = {}  # (事業番号, column): a search term is in it

    # -- content -------------------------------------------------------------------------------
    def set_programs(self, programs: Sequence[Program]) -> None:
        self._rows = {p.program_id: i for i, p in enumerate(programs)}
        self._hits.clear()
        self.set_records(programs)

    def set_highlight(self, terms: list[str]) -> None:
        """Tint the cells a search term is in; worked out when a cell is first drawn, then kept."""
        if terms == self._terms:
            return
        self._terms = list(terms)
        self._hits.clear()
        if self._records:
            last = self.index(len(self._records) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])

    def _is_hit(self, p: Program, col: int) -> bool:
        key = (p.program_id, col)
        hit = self._hits.get(key)
        if hit is None:
            text = p.program_id if col == COL_ID else p.name if col == COL_NAME else p.department
            folded = fold_for_search(text)
            hit = self._hits[key] = any(term in folded for term in self._terms)
        return hit

    def program_at(self, row: int) -> Program:
        return self.record(row)

    def row_of(self, program_id: str) -> int | None:
        return self._rows.get(program_id)

    def update_program(self, program: Program) -> None:
        """Replace one record after a save; only its row is repainted."""
        row = self._rows.get(program.program_id)
        if row is None:
            return
        self._records[row] = program
        for col in (COL_ID, COL_NAME, COL_DEPARTMENT):
            self._hits.pop((program.program_id, col), None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_unsaved(self, program_id: str, unsaved: bool) -> None:
        if unsaved == (program_id in self._unsaved):
            return
        if unsaved:
            self._unsaved.add(program_id)
        else:
            self._unsaved.discard(program_id)
        row = self._rows.get(program_id)
        if row is not None:
            index = self.index(row, COL_MARK)
            self.dataChanged.emit(index, index)

    def clear_unsaved(self) -> None:
        for program_id in list(self._unsaved):
            self.set_unsaved(program_id, False)

    # -- the table ---------------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return tr("● 未保存の変更あり　✎ 取り込み後に編集済み") if section == COL_MARK else None
        return super().headerData(section, orientation, role)

    def cell(self, p: Program, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_ID:
                return p.program_id
            if col == COL_NAME:
                return p.name
            if col == COL_DEPARTMENT:
                return p.department
            if col == COL_MARK:
                return self._mark(p)
        elif role == SORT_ROLE:
            if col == COL_ID:
                return id_sort_key(p.program_id)
            if col == COL_MARK:
                return self._mark(p)
            return self.cell(p, col, Qt.ItemDataRole.DisplayRole)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_MARK:
                return self._mark_tip(p)
            if col == COL_NAME:
                return p.name
            if col == COL_DEPARTMENT:
                return p.department
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_ID, COL_MARK):
            return int(Qt.AlignmentFlag.AlignCenter)
        elif role == PROGRAM_ROLE:
            return p
        elif (
            role == Qt.ItemDataRole.BackgroundRole
            and self._terms
            and col in (COL_ID, COL_NAME, COL_DEPARTMENT)
            and self._is_hit(p, col)
        ):
            return HIGHLIGHT_BRUSH
        return None

    def _mark(self, p: Program) -> str:
        if p.program_id in self._unsaved:
            return UNSAVED_MARK
        return EDITED_MARK if p.revision > 1 else ""

    def _mark_tip(self, p: Program) -> str:
        if p.program_id in self._unsaved:
            return tr("未保存の変更があります")
        if p.revision > 1:
            return tr("取り込み後に編集されています（版 {revision}）", revision=p.revision)
        return ""


class ProgramSortProxy(QSortFilterProxyModel):
    """Sorts 事業番号 as numbers; the search itself happens in the database."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(False)
