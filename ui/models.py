"""The program table: a model over a list of ``Program`` records and its sorting proxy."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from evaldesk.records import Program
from ui.i18n import tr

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRAM_ROLE = Qt.ItemDataRole.UserRole + 2

COL_ID, COL_NAME, COL_DEPARTMENT, COL_MARK = range(4)
UNSAVED_MARK = "●"
EDITED_MARK = "✎"

Index = QModelIndex | QPersistentModelIndex


def id_sort_key(program_id: str) -> str:
    """事業番号 sort as numbers (2 before 10), other ids after them in text order."""
    digits = program_id.strip()
    if digits.isdigit():
        return f"0{int(digits):012d}"
    return f"1{digits}"


class ProgramTableModel(QAbstractTableModel):
    """Programs of one year in table order; shows which have unsaved or saved edits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._programs: list[Program] = []
        self._rows: dict[str, int] = {}
        self._unsaved: set[str] = set()
        self._headers = (tr("事業番号"), tr("事務事業名"), tr("部署名"), tr("状態"))

    # -- content -------------------------------------------------------------------------------
    def set_programs(self, programs: Sequence[Program]) -> None:
        self.beginResetModel()
        self._programs = list(programs)
        self._rows = {p.program_id: i for i, p in enumerate(self._programs)}
        self.endResetModel()

    def program_at(self, row: int) -> Program:
        return self._programs[row]

    def row_of(self, program_id: str) -> int | None:
        return self._rows.get(program_id)

    def update_program(self, program: Program) -> None:
        """Replace one record after a save; only its row is repainted."""
        row = self._rows.get(program.program_id)
        if row is None:
            return
        self._programs[row] = program
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

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._programs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_MARK:
                return tr("● 未保存の変更あり　✎ 取り込み後に編集済み")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._programs):
            return None
        p = self._programs[index.row()]
        col = index.column()
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
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_MARK:
                return self._mark_tip(p)
            if col == COL_NAME:
                return p.name
        elif role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_ID, COL_MARK):
            return int(Qt.AlignmentFlag.AlignCenter)
        elif role == PROGRAM_ROLE:
            return p
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
