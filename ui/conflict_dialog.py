"""When someone else saved first: both texts side by side, and the user decides; nothing is overwritten silently."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaldesk.records import FIELD_LABELS, TEXT_FIELDS
from ui.i18n import tr
from ui.widgets import object_name

KEEP_THEIRS = "theirs"
OVERWRITE = "mine"
LATER = "later"


class ConflictDialog(QDialog):
    """``chosen`` carries KEEP_THEIRS, OVERWRITE or LATER (closed without deciding: edits stay unsaved)."""

    chosen = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        program_id: str,
        message: str,
        theirs: Mapping[str, str],
        mine: Mapping[str, str],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(tr("保存の競合 — 事業番号 {pid}", pid=program_id))
        self.mine = {f: mine[f] for f in TEXT_FIELDS if f in mine}
        self.theirs = dict(theirs)
        self._answered = False
        intro = QLabel(message + "\n" + tr("どちらの文章を残すか選んでください。"))
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel(tr("他の人が保存した文章")), 0, 1)
        grid.addWidget(QLabel(tr("あなたの文章（未保存）")), 0, 2)
        self.views: dict[str, tuple[QPlainTextEdit, QPlainTextEdit]] = {}
        for row, field in enumerate(self.mine, start=1):
            left = QPlainTextEdit(self.theirs.get(field, ""))
            right = QPlainTextEdit(self.mine[field])
            for view, name in ((left, "theirs"), (right, "mine")):
                view.setReadOnly(True)
                view.setObjectName(object_name(name, field))
                view.setMinimumWidth(260)
            grid.addWidget(QLabel(tr(FIELD_LABELS.get(field, field))), row, 0)
            grid.addWidget(left, row, 1)
            grid.addWidget(right, row, 2)
            self.views[field] = (left, right)
        buttons = QDialogButtonBox()
        self.keepButton = QPushButton(tr("相手の文章を残す"))
        self.keepButton.setObjectName("keepTheirsButton")
        self.overwriteButton = QPushButton(tr("自分の文章で上書き保存"))
        self.overwriteButton.setObjectName("overwriteButton")
        self.copyButton = QPushButton(tr("自分の文章をコピー"))
        self.copyButton.setObjectName("copyMineButton")
        later = QPushButton(tr("あとで決める"))
        buttons.addButton(self.keepButton, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.overwriteButton, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.copyButton, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        self.keepButton.clicked.connect(lambda: self._answer(KEEP_THEIRS))
        self.overwriteButton.clicked.connect(lambda: self._answer(OVERWRITE))
        self.copyButton.clicked.connect(self.copy_mine)
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)

    def copy_mine(self) -> None:
        """Put the user's texts on the clipboard, labelled by field, so nothing typed is lost."""
        parts = [f"【{tr(FIELD_LABELS.get(f, f))}】\n{text}" for f, text in self.mine.items()]
        QGuiApplication.clipboard().setText("\n\n".join(parts))
        self.copyButton.setText(tr("コピーしました"))

    def _answer(self, choice: str) -> None:
        self._answered = True
        self.chosen.emit(choice)
        self.accept()

    def done(self, result: int) -> None:
        if not self._answered:
            self._answered = True
            self.chosen.emit(LATER)
        super().done(result)
