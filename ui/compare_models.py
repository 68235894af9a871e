"""The comparison's table models: the compared programs filtered by kind, and one program's figures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from evaldesk.compare.model import format_delta
from ui.i18n import tr, year_text
from ui.table_models import RecordTableModel

if TYPE_CHECKING:
    from evaldesk.compare import Comparison, FigureChange, ProgramComparison

EntryRole = Qt.ItemDataRole.UserRole + 1

FILTER_KINDS: tuple[str, ...] = ("added", "removed", "renamed", "moved", "text_changed", "unchanged")
KIND_LABELS: dict[str, str] = {
    "added": "新規",
    "removed": "終了",
    "changed": "変更",
    "renamed": "名称変更",
    "moved": "所管変更",
    "text_changed": "内容変更",
    "unchanged": "変更なし",
}
KIND_COLORS: dict[str, str] = {
    "added": "#1b7f2a",
    "removed": "#b00020",
    "changed": "#8a4b00",
    "unchanged": "#666666",
}


def entry_kinds(entry: ProgramComparison) -> tuple[str, ...]:
    """The filter keys an entry answers to: its kind, or for a change each kind of change."""
    if entry.kind == "changed" and entry.kinds:
        return tuple(entry.kinds)
    return (entry.kind,)


def kind_label(entry: ProgramComparison) -> str:
    """新規 / 終了 / 変更なし, or the kinds of a change joined: 名称変更・内容変更."""
    keys = entry_kinds(entry)
    text = "・".join(tr(KIND_LABELS[k]) for k in keys)
    if entry.linked:
        text += tr("（対応付け）")
    return text


class ComparisonModel(RecordTableModel["ProgramComparison"]):
    """The compared programs (事業番号, 事務事業名, kind), filtered by kind of change."""

    HEADERS = ("事業番号", "事務事業名", "変更の種類")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: tuple[ProgramComparison, ...] = ()
        self._kinds: set[str] = set(FILTER_KINDS)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self._all = comparison.entries if comparison is not None else ()
        self.set_records(self._shown())

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self._kinds = set(kinds)
        self.set_records(self._shown())

    def kinds(self) -> set[str]:
        return set(self._kinds)

    def _shown(self) -> list[ProgramComparison]:
        return [e for e in self._all if self._kinds.intersection(entry_kinds(e))]

    def entry(self, row: int) -> ProgramComparison:
        return self.record(row)

    def entries(self) -> list[ProgramComparison]:
        return self.records()

    def row_of(self, program_id: str) -> int:
        for i, e in enumerate(self._records):
            if e.program_id == program_id:
                return i
        return -1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._records) else None
        return super().headerData(section, orientation, role)

    def cell(self, e: ProgramComparison, col: int, role: int) -> object:
        if role == EntryRole:
            return e
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                if e.renumbered:
                    assert e.old is not None
                    return f"{e.program_id} ← {e.old.program_id}"
                return e.program_id
            if col == 1:
                program = e.new if e.new is not None else e.old
                name = program.name if program is not None else ""
                if e.old is not None and e.new is not None and e.old.name != e.new.name:
                    return f"{e.new.name}（{tr('旧')}: {e.old.name}）"
                return name
            if col == 2:
                return kind_label(e)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return QColor(KIND_COLORS.get(e.kind, "#000000"))
        return None


class FigureModel(RecordTableModel["FigureChange"]):
    """The figures of one program that moved between the years: label, old, new, delta."""

    HEADERS = ("項目", "前年度", "今年度", "増減")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._years: tuple[str, str] | None = None

    def set_years(self, from_year: int, to_year: int) -> None:
        """Head the two columns with the years compared (swapped years must not read 前年度/今年度)."""
        self._years = (year_text(from_year), year_text(to_year))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, 2)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and section in (1, 2)
            and self._years is not None
        ):
            return self._years[section - 1]
        return super().headerData(section, orientation, role)

    def set_changes(self, changes: list[FigureChange]) -> None:
        self.set_records(changes)

    def changes(self) -> list[FigureChange]:
        return self.records()

    def cell(self, c: FigureChange, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return c.label or c.unit
            if col == 1:
                return c.old.raw if c.old is not None else tr("なし")
            if col == 2:
                return c.new.raw if c.new is not None else tr("なし")
            if col == 3:
                return format_delta(c.delta) if c.delta is not None else "—"
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and c.delta is not None:
            return QColor("#1b7f2a" if c.delta > 0 else "#b00020" if c.delta < 0 else "#666666")
        return None
