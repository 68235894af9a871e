"""ヘルプ → 使い方: the short manual shipped with the app, shown from the bundle (no network)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from evaldesk.resources import resource_path
from ui.i18n import language, tr


def manual_path() -> str:
    """The manual in the display language if there is one, else the Japanese one."""
    own = resource_path("manual", f"manual_{language()}.md")
    return str(own if own.exists() else resource_path("manual", "manual_ja.md"))


class ManualDialog(QDialog):
    """The manual in a text browser; links never leave the PC."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle(tr("使い方"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("manualBrowser")
        self.browser.setOpenExternalLinks(False)
        with open(manual_path(), encoding="utf-8") as f:
            self.browser.setMarkdown(f.read())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(680, 620)
