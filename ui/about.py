"""The About dialog: what this is and the versions of everything it runs on (for support calls)."""

from __future__ import annotations

import importlib.metadata
import platform
import sys

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

import evaldesk
from ui.i18n import tr

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("SQLAlchemy", "SQLAlchemy"),
    ("reportlab", "reportlab"),
    ("pypdfium2", "pypdfium2"),  # reads the imported PDFs
    ("openpyxl", "openpyxl"),
)


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return tr("（未インストール）")


def versions() -> list[tuple[str, str]]:
    """(component, version) pairs shown in the dialog and written by the self-test."""
    out = [
        ("evaldesk", evaldesk.__version__),
        ("Python", f"{platform.python_version()} ({sys.platform})"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
    ]
    out.extend((label, _dist_version(dist)) for label, dist in COMPONENTS)
    return out


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, database: str = "", log_file: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("evaldesk について"))
        title = QLabel(tr("evaldesk — 事務事業評価の取り込み・編集・印刷・年度比較"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{value}</td></tr>" for name, value in versions())
        table = QLabel(f"<table>{rows}</table>")
        table.setObjectName("versionsLabel")
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(table)
        for caption, value in ((tr("データベース"), database), (tr("ログファイル"), log_file)):
            if value:
                label = QLabel(f"{caption}: {value}")
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setWordWrap(True)
                layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return "\n".join(f"{name} {value}" for name, value in versions())
