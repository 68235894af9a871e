"""A program's change history (when, who, how, field, old → new) with a button to take an old text back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from evaldesk.records import FIELD_LABELS, HistoryEntry
from ui.i18n import tr
from ui.table_models import RecordTableModel
from ui.text_fields import TextField
from ui.widgets import record_table

if TYPE_CHECKING:
    from evaldesk.compare import DiffSpan

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
PREVIEW_CHARS = 40

HOW_LABELS: dict[str, str] = {
    "edit": "編集",
    "restore": "復元",
    "import-replace": "再取り込み",
    "workbook": "課のブック",
}


def how_label(how: str) -> str:
    return tr(HOW_LABELS.get(how, how))


def _diff_format(background: str, foreground: str, *, strike: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor(foreground))
    fmt.setFontStrikeOut(strike)
    fmt.setFontUnderline(not strike)
    return fmt


def _utf16_len(text: str) -> int:
    """Length in the units of a QTextCursor position (a kanji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def mark_spans(
    box: QPlainTextEdit | QTextEdit, spans: Sequence[DiffSpan], op: str, fmt: QTextCharFormat
) -> None:
    """Colour the ``op`` spans ("delete" or "insert") of the text shown in ``box``."""
    cursor = QTextCursor(box.document())
    position = 0
    for span in spans:
        if span.op not in ("equal", op):
            continue
        length = _utf16_len(span.text)
        if span.op == op and length:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
        position += length


# The colours of the year comparison (diff_view), so a change looks the same everywhere.
DELETED = _diff_format("#ffd0d0", "#a40000", strike=True)
INSERTED = _diff_format("#c8f0c8", "#00408a", strike=False)


def preview(text: str | None) -> str:
    if text is None:
        return tr("（なし）")
    flat = text.replace("\n", " ")
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS] + "…"


COL_USER, COL_HOW, COL_OLD, COL_NEW = 1, 2, 4, 5
NARROW_PX = 560
"""Below this table width only 日時, 操作, 項目 and 変更後 are shown."""


class HistoryModel(RecordTableModel[HistoryEntry]):
    """History entries of one program, newest first."""

    HEADERS = ("日時", "利用者", "操作", "項目", "変更前", "変更後")

    def set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.set_records(entries)

    def entry_at(self, row: int) -> HistoryEntry:
        return self.record(row)

    def cell(self, e: HistoryEntry, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                e.at.strftime("%Y-%m-%d %H:%M"),
                e.user,
                how_label(e.how),
                tr(FIELD_LABELS.get(e.field, e.field)),
                preview(e.old),
                preview(e.new),
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_OLD, COL_NEW):
            return (e.old if col == COL_OLD else e.new) or tr("（なし）")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_HOW and e.source:
            return e.source  # which 課's workbook (file name and date) the text came from
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return tr(
                "{at}　{user}　{how}", at=e.at.strftime("%Y-%m-%d %H:%M"), user=e.user, how=how_label(e.how)
            )
        if role == ENTRY_ROLE:
            return e
        return None


class HistoryPanel(QWidget):
    """Lists the history; ``restoreRequested`` carries the entry whose old text should come back."""

    restoreRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(self)
        self.view = record_table(self.model, "historyTable")
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        for column in (COL_OLD, COL_NEW):  # the texts share what is left; the full ones are below
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The full texts of the chosen entry, before and after, to read them before taking one back.
        self.oldText = TextField()  # the roomy line spacing of the editor
        self.oldText.setObjectName("historyOldText")
        self.newText = TextField()
        self.newText.setObjectName("historyNewText")
        details = QSplitter(Qt.Orientation.Horizontal)
        for caption, box in ((tr("変更前"), self.oldText), (tr("変更後"), self.newText)):
            box.setReadOnly(True)
            pane = QWidget()
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            pane_layout.addWidget(QLabel(caption))
            pane_layout.addWidget(box)
            details.addWidget(pane)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(self.view)
        vertical.addWidget(details)
        vertical.setSizes([300, 200])
        self.restoreButton = QPushButton(tr("変更前に戻す"))
        self.restoreButton.setObjectName("restoreButton")
        self.restoreButton.clicked.connect(self._restore_clicked)
        self.note = QLabel()
        self.note.setObjectName("historyNote")
        self._blocked_reason = ""

        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.restoreButton)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(vertical, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self._update_button()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """In a narrow pane the user, 操作 and 変更前 columns give way (the date's tooltip and the texts
        below have them), so 変更後 never runs off the right edge."""
        narrow = self.width() < NARROW_PX  # known while the tab is hidden, unlike the viewport's
        for column in (COL_USER, COL_HOW, COL_OLD):
            self.view.setColumnHidden(column, narrow)

    def set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.model.set_entries(entries)
        self.note.setText(tr("履歴はありません") if not entries else "")
        if entries:
            self.view.selectRow(0)  # the newest change, with its texts shown below
        self._selection_changed()

    def set_restore_blocked(self, reason: str) -> None:
        """Restoring is refused while the program has unsaved edits (``reason`` says why; "" allows it)."""
        self._blocked_reason = reason
        self._update_button()

    def selected_entry(self) -> HistoryEntry | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.entry_at(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        self.oldText.setPlainText("" if entry is None else entry.old or tr("（なし）"))
        self.newText.setPlainText("" if entry is None else entry.new or tr("（なし）"))
        if entry is not None and entry.old and entry.new:
            # What changed stands out, as in the year comparison: a one-word edit in 400 characters.
            from evaldesk.compare import text_diff

            spans = text_diff(entry.old, entry.new)
            mark_spans(self.oldText, spans, "delete", DELETED)
            mark_spans(self.newText, spans, "insert", INSERTED)
        self._update_button()

    def _update_button(self) -> None:
        entry = self.selected_entry()
        ok = entry is not None and entry.old is not None and not self._blocked_reason
        self.restoreButton.setEnabled(ok)
        if self._blocked_reason:
            self.restoreButton.setToolTip(self._blocked_reason)
        else:
            self.restoreButton.setToolTip(
                tr("選んだ履歴の「変更前」の文章を、新しい変更として書き戻します。")
            )

    def _restore_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.restoreRequested.emit(entry)
