"""The cells the importer is unsure of, each beside the crop of the PDF it came from: confirm or correct."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evaldesk.errors import EvaldeskError
from evaldesk.importer.checks import resolve
from evaldesk.records import CellDoubt, ParsedTable
from ui.i18n import tr
from ui.widgets import named

log = logging.getLogger(__name__)

Cropper = Callable[[CellDoubt], bytes | None]
"""Renders a doubt's printed cell as PNG bytes (the core's Desk.cell_image)."""

CROP_WIDTH = 360


class DoubtPanel(QGroupBox):
    """One row per doubtful cell; 取り込む waits until every one is confirmed or corrected.

    A cell is decided once per (row, field), however many doubts it has; its text then is the text read
    (confirmed) or the text typed (corrected), and :meth:`resolved_table` carries it into the import.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doubtPanel")
        self.table: ParsedTable | None = None
        self.cells: list[tuple[int, str]] = []  # the doubtful cells, in table order
        self.reasons: dict[tuple[int, str], list[CellDoubt]] = {}
        self.decided: dict[tuple[int, str], str] = {}
        self._crop: Cropper | None = None

        self.summary = named(QLabel(), "doubtSummary")
        self.summary.setWordWrap(True)
        self.list = named(QListWidget(), "doubtList")
        self.list.setMaximumWidth(320)
        self.list.currentRowChanged.connect(self._show)
        self.reason = named(QLabel(), "doubtReason")
        self.reason.setWordWrap(True)
        self.image = named(QLabel(), "doubtImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        scroll.setMinimumHeight(120)
        self.text = named(QPlainTextEdit(), "doubtText")
        self.text.setMaximumHeight(90)
        self.confirm_button = named(QPushButton(tr("読み取りのままで正しい")), "doubtConfirmButton")
        self.correct_button = named(QPushButton(tr("入力した文章に直す")), "doubtCorrectButton")
        self.confirm_button.clicked.connect(self.confirm)
        self.correct_button.clicked.connect(self.correct)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.correct_button)
        detail = QVBoxLayout()
        detail.addWidget(self.reason)
        detail.addWidget(scroll, 1)
        detail.addWidget(QLabel(tr("このセルの文章（直す場合は書き換えてください）")))
        detail.addWidget(self.text)
        detail.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(detail, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.summary)
        outer.addLayout(body)
        self.hide()

    # -- filling --------------------------------------------------------------------------------
    def set_table(self, table: ParsedTable | None, crop: Cropper | None = None) -> None:
        self.table, self._crop = table, crop
        self.decided = {}
        self.reasons = {}
        for d in table.doubts if table is not None else ():
            self.reasons.setdefault((d.row, d.field), []).append(d)
        self.cells = list(self.reasons)
        self.list.clear()
        for key in self.cells:
            item = QListWidgetItem(self._item_text(key))
            self.list.addItem(item)
        self.setVisible(bool(self.cells))
        if self.cells:
            self.list.setCurrentRow(0)
        self._update_summary()

    def _item_text(self, key: tuple[int, str]) -> str:
        mark = "✔ " if key in self.decided else "？ "
        return mark + self.reasons[key][0].label

    def _update_summary(self) -> None:
        if self.table is None:
            return
        self.setTitle(tr("確認が必要なセル（{n} か所）", n=len(self.cells)))
        self.summary.setText(
            tr(
                "{cells} セルを確かめ、{n} か所は読み取りが正しいか分かりません。PDF の画像と見比べて、"
                "1 か所ずつ「正しい」か「直す」を選んでください（残り {left} か所）。",
                cells=self.table.cells_checked,
                n=len(self.cells),
                left=self.remaining(),
            )
        )

    def _show(self, index: int) -> None:
        if not 0 <= index < len(self.cells):
            return
        key = self.cells[index]
        doubts = self.reasons[key]
        self.reason.setText("\n".join(d.reason for d in doubts))
        self.text.setPlainText(self.decided.get(key, doubts[0].text))
        self.image.setPixmap(self._pixmap(doubts[0]))
        if self.image.pixmap().isNull():
            self.image.setText(tr("（このセルの画像はありません）"))

    def _pixmap(self, doubt: CellDoubt) -> QPixmap:
        pixmap = QPixmap()
        if self._crop is None:
            return pixmap
        try:
            png = self._crop(doubt)
        except EvaldeskError:
            log.info("no crop for %s", doubt.label, exc_info=True)
            return pixmap
        if png:
            pixmap.loadFromData(png, "PNG")
            if pixmap.width() > CROP_WIDTH:
                pixmap = pixmap.scaledToWidth(CROP_WIDTH, Qt.TransformationMode.SmoothTransformation)
        return pixmap

    # -- deciding -------------------------------------------------------------------------------
    def current(self) -> tuple[int, str] | None:
        index = self.list.currentRow()
        return self.cells[index] if 0 <= index < len(self.cells) else None

    def confirm(self) -> None:
        """The text read is right."""
        key = self.current()
        if key is not None:
            self._decide(key, self.reasons[key][0].text)

    def correct(self) -> None:
        """The text in the box (as the user changed it) is the cell's text."""
        key = self.current()
        if key is not None:
            self._decide(key, self.text.toPlainText())

    def _decide(self, key: tuple[int, str], text: str) -> None:
        self.decided[key] = text
        index = self.cells.index(key)
        item = self.list.item(index)
        if item is not None:
            item.setText(self._item_text(key))
        following = [i for i, k in enumerate(self.cells) if k not in self.decided and i > index]
        rest = following or [i for i, k in enumerate(self.cells) if k not in self.decided]
        if rest:
            self.list.setCurrentRow(rest[0])
        self._update_summary()
        self.changed.emit()

    def remaining(self) -> int:
        return sum(1 for key in self.cells if key not in self.decided)

    def resolved_table(self) -> ParsedTable | None:
        """The table with every decided cell's text, or None while a doubt is left."""
        if self.table is None or self.remaining():
            return None
        return resolve(self.table, self.decided)
