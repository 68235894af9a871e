"""Undo commands for editing a program: one small command per kind of edit; redo/undo just set values."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from evaldesk.records import FIELD_LABELS
from ui.i18n import tr

EDIT_FIELD_ID = 1
MERGE_PAUSE_SECONDS = 2.0
"""Typing after a pause this long starts a new undo step instead of growing the last one."""


class ValueTarget(Protocol):
    def set_value(self, field: str, value: str) -> None: ...

    def set_values(self, values: Mapping[str, str]) -> None: ...


def field_label(field: str) -> str:
    return tr(FIELD_LABELS.get(field, field))


class EditFieldCommand(QUndoCommand):
    """Typing in one field; consecutive typing in the same field merges into one step."""

    def __init__(self, target: ValueTarget, field: str, old: str, new: str) -> None:
        super().__init__(tr("{field}の編集", field=field_label(field)))
        self.target = target
        self.field = field
        self.old = old
        self.new = new
        self.at = time.monotonic()

    def id(self) -> int:
        return EDIT_FIELD_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditFieldCommand) or other.target is not self.target:
            return False
        if other.field != self.field or other.at - self.at > MERGE_PAUSE_SECONDS:
            return False
        self.new = other.new
        self.at = other.at
        # Typing and deleting back to where it started leaves no step behind.
        self.setObsolete(self.new == self.old)
        return True

    def redo(self) -> None:
        self.target.set_value(self.field, self.new)

    def undo(self) -> None:
        self.target.set_value(self.field, self.old)


class ReplaceTextsCommand(QUndoCommand):
    """Several fields at once (taking back a saved text, reverting without a clean state)."""

    def __init__(
        self, target: ValueTarget, old: Mapping[str, str], new: Mapping[str, str], text: str
    ) -> None:
        super().__init__(text)
        self.target = target
        self.old = dict(old)
        self.new = dict(new)

    def redo(self) -> None:
        self.target.set_values(self.new)

    def undo(self) -> None:
        self.target.set_values(self.old)
