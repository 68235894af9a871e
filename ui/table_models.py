"""The base of the read-only table models: a list of records, one row each, under translated headers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.i18n import tr

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Rows are records, columns are ``HEADERS``; a subclass says what a cell shows in ``cell()``."""

    HEADERS: tuple[str, ...] = ()
    """Japanese source strings, translated when shown (so a change of language needs no rebuild)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[R] = []

    def set_records(self, records: Iterable[R]) -> None:
        """A new list: the views reset (selection and scroll position start over)."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> R:
        return self._records[row]

    def records(self) -> list[R]:
        return list(self._records)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.HEADERS):
                return tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        return self.cell(self._records[index.row()], index.column(), role)

    def cell(self, record: R, column: int, role: int) -> object:
        """What ``record`` shows in ``column`` for ``role`` (None: nothing)."""
        raise NotImplementedError
