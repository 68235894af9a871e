"""The unsaved edits of one program: its last saved record, the texts as edited, and their undo stack."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoStack

from evaldesk.records import TEXT_FIELDS, Program


class ProgramSession(QObject):
    """Kept per (year, 事業番号) for the whole run, so switching programs keeps unsaved edits."""

    valueChanged = Signal(str, str)  # field, new value
    dirtyChanged = Signal(bool)

    def __init__(self, program: Program, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.base = program
        self.values: dict[str, str] = program.texts()
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(self._clean_changed)
        self.saving = False

    @Slot(bool)
    def _clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

    @property
    def key(self) -> tuple[int, str]:
        return (self.base.fiscal_year, self.base.program_id)

    @property
    def program_id(self) -> str:
        return self.base.program_id

    def is_dirty(self) -> bool:
        return not self.stack.isClean()

    def set_value(self, field: str, value: str) -> None:
        """Called by the undo commands only; views follow ``valueChanged``."""
        if self.values.get(field) == value:
            return
        self.values[field] = value
        self.valueChanged.emit(field, value)

    def set_values(self, values: Mapping[str, str]) -> None:
        for field in TEXT_FIELDS:
            if field in values:
                self.set_value(field, values[field])

    def changes(self) -> dict[str, str]:
        """The fields whose text differs from the last saved record."""
        return {f: v for f, v in self.values.items() if v != self.base.text(f)}

    def rebase(self, program: Program, *, keep_edits: bool) -> None:
        """Take a newer saved record; without ``keep_edits`` the texts and the undo history follow it."""
        self.base = program
        if not keep_edits:
            self.stack.clear()
            self.set_values(program.texts())
