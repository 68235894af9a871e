"""The program table: a model over a list of ``Program`` records that sorts itself.

The table repaints its visible rows on every switch of program and every search, and asks the model
for about 30 cells × 7 roles each time: the texts a row shows are kept per row, and the model sorts
itself instead of sitting behind a ``QSortFilterProxyModel`` (each proxied cell cost three more calls
into Python; a sorted proxy also re-sorted 1,000 rows through ``data()`` after every search).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from evaldesk.program_ids import program_id_key
from evaldesk.records import Program
from evaldesk.textnorm import fold_for_search
from ui.i18n import tr
from ui.table_models import Index, RecordTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRAM_ROLE = Qt.ItemDataRole.UserRole + 2
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_SORT = int(SORT_ROLE)
_PROGRAM = int(PROGRAM_ROLE)
_CENTERED = int(Qt.AlignmentFlag.AlignCenter)

COL_ID, COL_NAME, COL_DEPARTMENT, COL_MARK = range(4)
FOLDED_KEPT = 20_000
"""Folded cell texts kept for the highlight (a year has about three per program)."""
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
    """Programs of one year in table order (or sorted by a column); shows unsaved and saved edits."""

    HEADERS = ("事業番号", "事務事業名", "部署名", "状態")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, int] = {}
        self._shown: list[tuple[str, str, str, str] | None] = []  # per row: its four texts, once drawn
        self._given: list[Program] = []  # the list as given (table order), for "no sort column"
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._unsaved: set[str] = set()
        self._terms: list[str] = []
        self._hits: dict[str, bool] = {}  # a cell's text -> a search term is in it
        self._folded: dict[str, str] = {}  # a cell's text -> folded for search (kept between searches)

    # -- content -------------------------------------------------------------------------------
    def set_programs(self, programs: Sequence[Program]) -> None:
        """A new list (in table order; shown sorted if the user sorted a column).

        Cheap for 1,000 programs, as the search calls it on each word typed: a row's texts are worked
        out when it is first drawn.
        """
        self._given = list(programs)
        self.beginResetModel()
        self._records = self._sorted(self._given) if self._sort_column >= 0 else list(self._given)
        self._index_rows()
        self.endResetModel()

    def set_records(self, records: Iterable[Program]) -> None:
        self.set_programs(list(records))

    def _index_rows(self) -> None:
        self._rows = {p.program_id: i for i, p in enumerate(self._records)}
        self._shown = [None] * len(self._records)

    def _texts(self, row: int) -> tuple[str, str, str, str]:
        texts = self._shown[row]
        if texts is None:
            p = self._records[row]
            texts = self._shown[row] = (p.program_id, p.name, p.department, self._mark(p))
        return texts

    def set_highlight(self, terms: list[str]) -> None:
        """Tint the cells a search term is in; worked out when a cell is first drawn, then kept."""
        if terms == self._terms:
            return
        self._terms = list(terms)
        self._hits.clear()
        if self._records:
            last = self.index(len(self._records) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])

    def _is_hit(self, text: str) -> bool:
        hit = self._hits.get(text)
        if hit is None:
            folded = self._folded.get(text)
            if folded is None:
                if len(self._folded) > FOLDED_KEPT:
                    self._folded.clear()
                folded = self._folded[text] = fold_for_search(text)
            hit = self._hits[text] = any(term in folded for term in self._terms)
        return hit

    def program_at(self, row: int) -> Program:
        return self.record(row)

    def row_of(self, program_id: str) -> int | None:
        return self._rows.get(program_id)

    def update_program(self, program: Program) -> None:
        """Replace one record after a save; only its row is repainted (unless the order changes)."""
        row = self._rows.get(program.program_id)
        if row is None:
            return
        self._records[row] = program
        self._shown[row] = None
        self._given = [program if p.program_id == program.program_id else p for p in self._given]
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        if self._sort_column in (COL_NAME, COL_DEPARTMENT, COL_MARK):
            self.sort(self._sort_column, self._sort_order)

    def set_unsaved(self, program_id: str, unsaved: bool) -> None:
        if unsaved == (program_id in self._unsaved):
            return
        if unsaved:
            self._unsaved.add(program_id)
        else:
            self._unsaved.discard(program_id)
        row = self._rows.get(program_id)
        if row is not None:
            self._shown[row] = None
            index = self.index(row, COL_MARK)
            self.dataChanged.emit(index, index)
            if self._sort_column == COL_MARK:
                self.sort(self._sort_column, self._sort_order)

    def clear_unsaved(self) -> None:
        for program_id in list(self._unsaved):
            self.set_unsaved(program_id, False)

    # -- sorting -------------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: table order); the selection stays on the same programs."""
        self._sort_column, self._sort_order = column, order
        if not self._records:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._records[i.row()].program_id if i.isValid() else None for i in before]
        self._records = self._sorted(self._given) if column >= 0 else list(self._given)
        self._index_rows()
        after = [
            self.index(self._rows[pid], i.column()) if pid is not None else QModelIndex()
            for pid, i in zip(ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sorted(self, programs: Iterable[Program]) -> list[Program]:
        column = self._sort_column
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        key: Callable[[Program], str | int]
        if column == COL_ID:
            key = lambda p: id_sort_key(p.program_id)  # noqa: E731
        elif column == COL_NAME:
            key = lambda p: p.name  # noqa: E731
        elif column == COL_DEPARTMENT:
            key = lambda p: p.department  # noqa: E731
        else:
            key = self._mark
        return sorted(programs, key=key, reverse=descending)

    # -- the table ---------------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return tr("● 未保存の変更あり　✎ 取り込み後に編集済み") if section == COL_MARK else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        """Asked for every role of every visible cell on each repaint: the common answers come first."""
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._shown) and 0 <= col < 4):
            return None
        if role == _DISPLAY:
            return self._texts(row)[col]
        if role == _BACKGROUND:
            hit = self._terms and col != COL_MARK and self._is_hit(self._texts(row)[col])
            return HIGHLIGHT_BRUSH if hit else None
        if role == _ALIGNMENT:
            return _CENTERED if col in (COL_ID, COL_MARK) else None
        if role == _TOOLTIP:
            if col == COL_MARK:
                return self._mark_tip(self._records[row])
            return self._texts(row)[col] if col != COL_ID else None
        if role == _PROGRAM:
            return self._records[row]
        if role == _SORT:
            text = self._texts(row)[col]
            return id_sort_key(text) if col == COL_ID else text
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
