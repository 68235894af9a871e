"""The 部 → 課 tree that filters the program table; names are split heuristically."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from ui.i18n import tr

FILTER_ROLE = Qt.ItemDataRole.UserRole + 1

# A 部-level name ends at one of these; what follows it must be a section name ending in a section suffix.
_DIVISION_END = re.compile(r"(?:部|局|公室|室|委員会|事務局)")
_SECTION_SUFFIX = ("課", "室", "センター", "係", "所", "館", "署", "担当")


def split_department(name: str) -> tuple[str, str] | None:
    """「市長公室秘書課」 → (「市長公室」, 「秘書課」); None when no sensible split exists.

    The split is at the last 部/局/公室/室/委員会 boundary that leaves a section name of two or more
    characters ending in 課/室/センター/係…, so 「上下水道局水道部浄水課」 → (「上下水道局水道部」, 「浄水課」).
    """
    text = name.strip()
    if not text.endswith(_SECTION_SUFFIX):
        return None
    best: tuple[str, str] | None = None
    for m in _DIVISION_END.finditer(text):
        head, tail = text[: m.end()], text[m.end() :]
        if len(head) >= 2 and len(tail) >= 2 and tail.endswith(_SECTION_SUFFIX):
            best = (head, tail)
    return best


def department_groups(names: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """部 name → [(課 label, full department name)], in first-seen order; unsplit names stand alone."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in dict.fromkeys(names):
        parts = split_department(name)
        if parts is None:
            groups.setdefault(name, [])
        else:
            groups.setdefault(parts[0], []).append((parts[1], name))
    return groups


class DepartmentTreeModel(QStandardItemModel):
    """A small fixed tree: すべて, then 部 with their 課; each item carries the filter text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels([tr("部署")])

    def set_departments(self, names: Iterable[str]) -> None:
        self.clear()
        self.setHorizontalHeaderLabels([tr("部署")])
        all_item = QStandardItem(tr("すべての部署"))
        all_item.setData("", FILTER_ROLE)
        all_item.setEditable(False)
        self.appendRow(all_item)
        for division, sections in department_groups(names).items():
            item = QStandardItem(division)
            item.setData(division, FILTER_ROLE)
            item.setEditable(False)
            item.setToolTip(division)
            for label, full in sections:
                child = QStandardItem(label)
                child.setData(full, FILTER_ROLE)
                child.setEditable(False)
                child.setToolTip(full)
                item.appendRow(child)
            self.appendRow(item)


ROW_HEIGHT_FACTOR = 1.6
"""Rows this many font heights tall: kanji of the bundled font overflowed the tighter selection band."""


class RoomyRowDelegate(QStyledItemDelegate):
    """Rows tall enough for the glyphs they draw, with air above and below."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), round(option.fontMetrics.height() * ROW_HEIGHT_FACTOR)))


class DepartmentTree(QTreeView):
    """Emits ``departmentChosen`` with the department filter text ("" for all)."""

    departmentChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("departmentTree")
        self.tree_model = DepartmentTreeModel(self)
        self.setModel(self.tree_model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setItemDelegate(RoomyRowDelegate(self))
        self.selectionModel().currentChanged.connect(self._current_changed)

    def set_departments(self, names: Iterable[str]) -> None:
        self.blockSignals(True)  # a new year shows all departments; the window reloads by itself
        try:
            self.tree_model.set_departments(names)
            self.expandAll()
            self.selectionModel().setCurrentIndex(
                self.tree_model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self.blockSignals(False)

    def current_filter(self) -> str:
        index = self.currentIndex()
        return str(index.data(FILTER_ROLE) or "") if index.isValid() else ""

    def choose(self, department: str) -> bool:
        """Select the item whose filter text is ``department``; False if there is none."""
        matches = self.tree_model.match(
            self.tree_model.index(0, 0),
            FILTER_ROLE,
            department,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if not matches:
            return False
        self.setCurrentIndex(matches[0])
        return True

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self.signalsBlocked():
            return
        self.departmentChosen.emit(str(current.data(FILTER_ROLE) or "") if current.isValid() else "")
