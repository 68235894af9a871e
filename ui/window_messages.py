"""Telling the user things from the main window: one-sentence errors, notes, questions that never block."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QMessageBox,
)

from ui.errors import error_text
from ui.i18n import tr
from ui.message_boxes import fit_message_box
from ui.window_state import WindowState

log = logging.getLogger(__name__)

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"

Answer = Callable[[str], None]
"""Receives SAVE, DISCARD or CANCEL."""


class MessagesMixin(WindowState):
    """Message boxes opened with ``open()`` (never ``exec()``); questions answer through a callback."""

    def ask_yes_no(self, title: str, text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("questionBox")
        fit_message_box(box)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("はい"))
        box.button(QMessageBox.StandardButton.No).setText(tr("いいえ"))
        box.finished.connect(
            lambda _r: (
                on_yes()
                if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes
                else None
            )
        )
        box.open()

    def show_error(self, error: BaseException | str, *, doing: str = "処理") -> None:
        """One message for the user (``user_message``, told what they were ``doing``); anything
        unexpected goes to the log with its traceback."""
        message = error if isinstance(error, str) else error_text(error, doing=doing)
        self.statusBar().showMessage(message, 10000)
        self._tell(QMessageBox.Icon.Warning, message, kind="error")

    def show_info(self, message: str) -> None:
        self._tell(QMessageBox.Icon.Information, message, kind="info")

    def _tell(self, icon: QMessageBox.Icon, message: str, *, kind: str) -> None:
        """An OK box named ``{kind}Box``, opened without blocking and kept in ``dialogs[kind]``."""
        self.last_message = message
        box = QMessageBox(icon, tr("evaldesk"), message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName(f"{kind}Box")
        fit_message_box(box)
        self.dialogs[kind] = box
        box.open()

    def status(self, message: str) -> None:
        self.last_message = message
        self.statusBar().showMessage(message, 8000)

    def _busy_message(self, message: str) -> None:
        self._busy += 1
        self.statusBar().showMessage(message)

    def _idle(self) -> None:
        self._busy = max(0, self._busy - 1)
        if not self._busy:
            self.progressBar.hide()
            self.statusBar().clearMessage()

    def _progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, max(total, 0))
        self.progressBar.setValue(done)
        self.progressBar.show()
