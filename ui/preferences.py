"""Small settings dialogs: the per-field character limits and the database location."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from evaldesk.records import FIELD_LABELS
from ui.i18n import tr
from ui.settings import DEFAULT_FIELD_LIMITS


class FieldLimitsDialog(QDialog):
    """Soft limits per text field; past them the count turns to the warning colour."""

    def __init__(self, limits: Mapping[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldLimitsDialog")
        self.setWindowTitle(tr("文字数の目安"))
        form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        for field, default in DEFAULT_FIELD_LIMITS.items():
            spin = QSpinBox()
            spin.setObjectName(f"{field}Limit")
            spin.setRange(10, 5000)
            spin.setSuffix(tr(" 字"))
            spin.setValue(int(limits.get(field, default)))
            form.addRow(tr(FIELD_LABELS[field]), spin)
            self.spins[field] = spin
        note = QLabel(
            tr(
                "書くときの文字数の目安です。印刷して枠に収まるかどうかは、"
                "文字数の横に事業シートの組版から示されます。"
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def restore_defaults(self) -> None:
        for field, spin in self.spins.items():
            spin.setValue(DEFAULT_FIELD_LIMITS[field])

    def limits(self) -> dict[str, int]:
        return {field: spin.value() for field, spin in self.spins.items()}


class DatabaseDialog(QDialog):
    """Where the data lives: empty for the built-in file, a file path, or a PostgreSQL URL."""

    def __init__(self, current: str, parent: QWidget | None = None, *, in_use: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("databaseDialog")
        self.setWindowTitle(tr("データベース"))
        self.edit = QLineEdit(current)
        self.edit.setObjectName("databaseEdit")
        self.edit.setPlaceholderText(tr("空欄 = この PC の標準ファイル"))
        browse = QPushButton(tr("ファイルを選ぶ…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(browse)
        note = QLabel(
            tr(
                "ファイルのパス、または共有サーバーの URL（例: postgresql+psycopg://user@server/evaldesk）。"
                "次回の起動から使われます。"
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        if in_use:
            layout.addWidget(QLabel(tr("使用中: {db}", db=in_use)))
        layout.addLayout(row)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def value(self) -> str:
        return self.edit.text().strip()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("データベースファイル"),
            self.edit.text(),
            tr("SQLite データベース (*.sqlite3 *.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.edit.setText(path)
