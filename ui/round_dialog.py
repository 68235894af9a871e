"""The revision round's panel: per 部署 未送付 / 送付済 / 回収済 / 取込済 with dates; send workbooks to the
部署 ticked (due date, return-to, folder); collect returned workbooks into the review."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaldesk.errors import EvaldeskError
from evaldesk.fiscal_year import era_label
from evaldesk.roundtrip import DepartmentRound, Review, SentWorkbook
from ui.i18n import tr
from ui.settings import settings
from ui.table_models import RecordTableModel
from ui.widgets import ErrorLabel, named, record_table

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from ui.runner import Runner

log = logging.getLogger(__name__)

STATE_TEXT = {"unsent": "未送付", "sent": "送付済", "collected": "回収済", "accepted": "取込済"}
STATE_COLORS = {"unsent": "#666666", "sent": "#00408a", "collected": "#8a4b00", "accepted": "#1b7f2a"}
Index = QModelIndex | QPersistentModelIndex


class RoundStatusModel(RecordTableModel[DepartmentRound]):
    """One row a 部署: a tick to send to it, its programs, where it stands and since when."""

    HEADERS = ("部署名", "事業数", "状態", "日付", "提出期限")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticked: set[str] = set()

    def set_rounds(self, rounds: Sequence[DepartmentRound]) -> None:
        names = {r.department for r in rounds}
        self.ticked &= names
        self.set_records(rounds)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0 or not index.isValid():
            return False
        name = self.record(index.row()).department
        on = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        (self.ticked.add if on else self.ticked.discard)(name)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_all(self, on: bool) -> None:
        self.ticked = {r.department for r in self.records()} if on else set()
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))

    def cell(self, r: DepartmentRound, col: int, role: int) -> object:
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if r.department in self.ticked else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return r.department
            if col == 1:
                return str(r.programs)
            if col == 2:
                return tr(STATE_TEXT[r.state])
            if col == 3:
                when = r.state_date
                return when.strftime("%Y-%m-%d %H:%M") if when else ""
            if col == 4:
                return r.due.isoformat() if r.due else ""
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return QColor(STATE_COLORS[r.state])
        return None


class RoundDialog(QDialog):
    """Non-modal; ``reviewReady`` carries a Review of collected workbooks (the window opens the review)."""

    reviewReady = Signal(object)

    def __init__(self, desk: Desk, year: int, parent: QWidget | None = None, *, runner: Runner) -> None:
        super().__init__(parent)
        self.desk, self.year, self.runner = desk, year, runner
        self.setObjectName("roundDialog")
        self.setWindowTitle(tr("見直しの配布・回収 — {year}", year=era_label(year)))
        self.resize(820, 600)
        self.model = RoundStatusModel(self)
        self.table = record_table(self.model, "roundTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.due_edit = named(QDateEdit(QDate.currentDate().addDays(14)), "roundDue")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.return_edit = named(QLineEdit(), "roundReturnTo")
        self.return_edit.setPlaceholderText(tr("例: 行政評価係（内線 1234）"))
        self.folder_edit = named(QLineEdit(), "roundFolder")
        self.folder_edit.setText(settings().last_export_dir or str(Path.home()))
        browse = named(QPushButton(tr("参照…")), "roundBrowse")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(tr("提出期限"), self.due_edit)
        form.addRow(tr("提出先"), self.return_edit)
        form.addRow(tr("保存先フォルダ"), folder_row)
        self.message_label = named(QLabel(), "roundMessage")
        self.message_label.setWordWrap(True)
        self.error_label = ErrorLabel("roundError", self)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                tr(
                    "送付する部署にチェックを付けてください。返送されたブック（.xlsx）はメイン画面にドロップしても回収できます。"
                )
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(self._selection_buttons())
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.error_label)
        layout.addLayout(self._buttons())
        self.refresh()
        runner.changes.changed.connect(self._changes_happened)  # e.g. returned texts taken in

    def _selection_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, name, on in (("すべて選ぶ", "roundTickAll", True), ("選択を外す", "roundTickNone", False)):
            b = named(QPushButton(tr(text)), name)
            b.clicked.connect(lambda _c=False, on=on: self.model.set_all(on))
            row.addWidget(b)
        row.addStretch(1)
        return row

    def _buttons(self) -> QHBoxLayout:
        self.send_button = named(QPushButton(tr("チェックした部署に送付")), "roundSend")
        self.collect_button = named(QPushButton(tr("返送されたブックを回収…")), "roundCollect")
        close = named(QPushButton(tr("閉じる")), "roundClose")
        self.send_button.clicked.connect(lambda _c=False: self.send())
        self.collect_button.clicked.connect(lambda _c=False: self.choose_returns())
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.collect_button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    def _changes_happened(self, _changes: object) -> None:
        self.refresh()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.WindowActivate:
            self.refresh()  # workbooks dropped on the main window meanwhile are 回収済 now
        return super().event(e)

    def refresh(self) -> None:
        self.model.set_rounds(self.desk.round_status(self.year))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("保存先フォルダ"), self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _run(self, task: Any, done: Any) -> None:
        self.error_label.show_error("")
        self.runner.run(task, on_done=done, on_error=self._failed)

    def send(self) -> None:
        chosen = [r.department for r in self.model.records() if r.department in self.model.ticked]
        if not chosen:
            self.error_label.show_error(tr("送付する部署にチェックを付けてください。"))
            return
        folder = Path(self.folder_edit.text().strip() or ".")
        d = self.due_edit.date()
        due = date(d.year(), d.month(), d.day())
        desk, year, return_to = self.desk, self.year, self.return_edit.text().strip()

        def task(progress: Any) -> list[SentWorkbook]:
            return desk.send_workbooks(
                year, chosen, out_dir=folder, due=due, return_to=return_to, progress=progress
            )

        self._run(task, self._sent)

    def _sent(self, sent: list[SentWorkbook]) -> None:
        self.refresh()
        folder = sent[0].path.parent if sent else ""
        self.message_label.setText(
            tr("{n} 部署のブックを {folder} に書き出しました。", n=len(sent), folder=str(folder))
        )

    def choose_returns(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, tr("返送されたブック"), self.folder_edit.text(), tr("Excel ブック (*.xlsx *.xlsm *.xls)")
        )
        if paths:
            self.collect(paths)

    def collect(self, paths: Sequence[str | Path]) -> None:
        desk, year = self.desk, self.year

        def task(progress: Any) -> Review:
            review = desk.collect_workbooks(paths, year=year, progress=progress)
            if review.workbooks:
                desk.mark_collected(review)  # the 部署 state only; no program text is written
            return review

        self._run(task, self._collected)

    def _collected(self, review: Review) -> None:
        self.refresh()
        self.reviewReady.emit(review)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EvaldeskError):
            self.error_label.show_error(str(exc))
        else:
            log.error("revision round job failed", exc_info=exc)
            self.error_label.show_error(tr("処理できませんでした（{error}）。", error=type(exc).__name__))
