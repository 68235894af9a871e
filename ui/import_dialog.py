"""Import one year's PDF table: pick or drop the file, read it, preview rows and warnings, then store."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evaldesk.errors import Cancelled, PasswordRequiredError, YearError, YearExistsError
from evaldesk.fiscal_year import plausible_year
from ui.doubt_panel import DoubtPanel
from ui.errors import error_text
from ui.file_dialogs import start_folder
from ui.i18n import tr, year_text, year_with_western
from ui.import_preview import ParsedRowsModel
from ui.settings import settings
from ui.widgets import ErrorLabel, named, show_warnings

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from evaldesk.records import ImportSummary, ParsedTable
    from ui.runner import ChangesOf, Handle, Runner

log = logging.getLogger(__name__)

MAX_COLUMN_WIDTH = 240


class ImportDialog(QDialog):
    """Read a PDF in the runner, show what was read, and store it only when the user says so."""

    imported = Signal(object)  # the ImportSummary

    def __init__(
        self, desk: Desk, runner: Runner, parent: QWidget | None = None, path: str | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.path: Path | None = None
        self.parsed: ParsedTable | None = None
        self.data: bytes = b""
        self.summary: ImportSummary | None = None
        self._handle: Handle | None = None
        self._busy = ""  # "parse" or "import" while the runner works
        self._year_typed = False
        self._stop = threading.Event()
        self._closed = False  # results of a job that outlives the dialog are dropped
        self._existing = {y.year for y in desk.years()}
        self.setObjectName("importDialog")
        self.setWindowTitle(tr("PDF の取り込み"))
        self.setAcceptDrops(True)
        self.resize(1000, 680)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_form())
        layout.addWidget(self._build_progress())
        self.doubts = DoubtPanel(self)  # shown first: 取り込む waits until each doubt is decided
        self.doubts.changed.connect(self._update_state)
        layout.addWidget(self.doubts, 2)
        self.preview_label = named(QLabel(), "importPreviewLabel")
        layout.addWidget(self.preview_label)
        layout.addWidget(self._build_table(), 1)
        self.warnings_label = named(QLabel(tr("注意")), "importWarningsLabel")
        self.warnings = named(QListWidget(), "importWarnings")
        self.warnings.setMaximumHeight(90)
        self.warnings.setWordWrap(True)
        self.warnings_label.hide()
        self.warnings.hide()
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings)
        self.replace_check = named(QCheckBox(), "importReplaceCheck")
        self.replace_check.toggled.connect(self._update_state)
        self.replace_check.setStyleSheet("QCheckBox { color:#8a4b00; font-weight:bold; }")
        self.replace_check.hide()
        layout.addWidget(self.replace_check)
        self.error_label = ErrorLabel("importError")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)
        layout.addWidget(self._build_buttons())

        self._update_state()
        if path:
            self.load(path)

    # -- building -----------------------------------------------------------------------------
    def _build_form(self) -> QFormLayout:
        """The file, the password (shown only when the PDF asks for one) and the year."""
        self.file_edit = named(QLineEdit(), "importFileEdit")
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(tr("PDF ファイルを選ぶか、この画面にドロップしてください"))
        self.browse_button = named(QPushButton(tr("参照…")), "importBrowseButton")
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)

        self.password_edit = named(QLineEdit(), "importPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_button = named(QPushButton(tr("開く")), "importPasswordButton")
        self.password_button.clicked.connect(self.retry_with_password)
        self.password_edit.returnPressed.connect(self.retry_with_password)
        self.password_label = QLabel(tr("パスワード"))
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.password_button)
        self._password_widgets = (self.password_label, self.password_edit, self.password_button)

        form = QFormLayout()
        form.addRow(tr("ファイル"), file_row)
        form.addRow(self.password_label, password_row)
        form.addRow(tr("年度"), self._build_year_row())
        for w in self._password_widgets:
            w.hide()
        return form

    def _build_year_row(self) -> QHBoxLayout:
        self.year_edit = named(QLineEdit(), "importYearEdit")
        self.year_edit.setPlaceholderText(tr("例: 2024, R6, 令和6年度"))
        # Wide enough for the whole example (the layout would give it only its default width).
        example = self.year_edit.fontMetrics().horizontalAdvance(self.year_edit.placeholderText())
        self.year_edit.setMinimumWidth(example + 24)
        self.year_edit.setMaximumWidth(max(220, example + 24))
        self.year_edit.textEdited.connect(self._year_edited)
        self.year_edit.textChanged.connect(self._update_state)
        self.year_hint = named(QLabel(), "importYearHint")
        year_row = QHBoxLayout()
        year_row.addWidget(self.year_edit)
        year_row.addWidget(self.year_hint, 1)
        return year_row

    def _build_progress(self) -> QWidget:
        self.progress = named(QProgressBar(), "importProgress")
        self.progress.setTextVisible(True)
        self.cancel_button = named(QPushButton(tr("中止")), "importCancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        progress_row.setContentsMargins(0, 0, 0, 0)
        self.progress_box = QWidget()
        self.progress_box.setLayout(progress_row)
        self.progress_box.hide()
        return self.progress_box

    def _build_table(self) -> QTableView:
        self.model = ParsedRowsModel(self)
        self.table = named(QTableView(), "importPreviewTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        return self.table

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(tr("取り込む"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importButton")
        self.close_button = self.buttons.addButton(tr("キャンセル"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setObjectName("importCloseButton")
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        return self.buttons

    # -- choosing the file --------------------------------------------------------------------
    def browse(self) -> None:
        s = settings()
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("取り込む PDF を選ぶ"),
            str(start_folder(s.last_import_dir)),
            tr("PDF ファイル (*.pdf);;すべてのファイル (*)"),
        )
        if name:
            s.last_import_dir = str(Path(name).parent)
            self.load(name)

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._busy and self._dropped_file(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path and not self._busy:
            event.acceptProposedAction()
            self.load(path)
        else:
            event.ignore()

    # -- reading ------------------------------------------------------------------------------
    def load(self, path: str | Path, *, password: str | None = None) -> None:
        """Read ``path`` in the runner; the preview fills in when it is done."""
        if self._busy:
            return
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        if password is None:
            for w in self._password_widgets:
                w.hide()
            self.password_edit.clear()
        self.parsed = None
        self.data = b""
        self.model.set_rows(())
        self.doubts.set_table(None)
        self._set_warnings(())
        self.preview_label.setText(tr("読み込んでいます…"))
        self.error_label.show_error("")
        desk, source = self.desk, self.path

        def task(progress: Any) -> tuple[ParsedTable, bytes]:
            table = desk.parse_pdf(source, password=password, progress=progress)
            return table, source.read_bytes()

        self._start("parse", task, self._parsed, self._parse_failed)

    def retry_with_password(self) -> None:
        if self.path is not None and not self._busy:
            self.load(self.path, password=self.password_edit.text())

    def _parsed(self, result: tuple[ParsedTable, bytes]) -> None:
        self._finish()
        table, data = result
        self.parsed, self.data = table, data
        for w in self._password_widgets:
            w.hide()
        self.model.set_rows(table.rows)
        password, desk = self.password_edit.text() or None, self.desk
        self.doubts.set_table(table, lambda doubt: desk.cell_image(data, doubt, password=password))
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):  # long texts are cut in the cells anyway
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), MAX_COLUMN_WIDTH))
        self.preview_label.setText(
            tr(
                "{programs} 件の事業を読み取りました（{pages} ページ）。内容を確かめてから「取り込む」を押してください。",
                programs=len(table.rows),
                pages=table.pages,
            )
        )
        self._set_warnings(table.warnings)
        if table.title_year is not None and (not self._year_typed or not self.year_edit.text().strip()):
            self.year_edit.setText(str(table.title_year))
        self._update_state()

    def _parse_failed(self, exc: BaseException) -> None:
        self._finish()
        self.parsed = None
        self.preview_label.setText("")
        if isinstance(exc, PasswordRequiredError):
            for w in self._password_widgets:
                w.show()
            self.password_edit.selectAll()
            self.password_edit.setFocus()
            self.error_label.show_error(error_text(exc, doing="読み込み"))
        elif isinstance(exc, Cancelled):
            self.error_label.show_error(tr("読み込みを中止しました。"))
        else:
            self.error_label.show_error(error_text(exc, doing="読み込み"))
        self._update_state()

    def _set_warnings(self, warnings: tuple[str, ...]) -> None:
        show_warnings(self.warnings_label, self.warnings, warnings)

    # -- the year -----------------------------------------------------------------------------
    def _year_edited(self, text: str) -> None:
        self._year_typed = bool(text.strip())

    def year(self) -> int | None:
        """The fiscal year typed (2024, R6, 令和6年度…), or None while it cannot be read."""
        text = self.year_edit.text().strip()
        if not text:
            return None
        try:
            return plausible_year(text)
        except YearError:
            return None

    def _update_state(self) -> None:
        text = self.year_edit.text().strip()
        year: int | None = None
        if not text:
            self.year_hint.setText(tr("年度を入力してください。") if self.parsed is not None else "")
        else:
            try:
                year = plausible_year(text)
            except YearError as exc:
                self.year_hint.setText(str(exc))
            else:
                self.year_hint.setText(year_with_western(year))
        self.year_hint.setStyleSheet("" if year is not None or not text else "color:#b00020;")
        exists = year is not None and year in self._existing
        if exists:
            assert year is not None
            self.replace_check.setText(
                tr(
                    "{label} はすでに取り込まれています。置き換える（今の文章は履歴に残ります）",
                    label=year_text(year),
                )
            )
        else:
            self.replace_check.setChecked(False)
        self.replace_check.setVisible(exists)
        ready = (
            self.parsed is not None
            and self.doubts.remaining() == 0
            and year is not None
            and (not exists or self.replace_check.isChecked())
            and not self._busy
        )
        self.import_button.setEnabled(ready)
        self.browse_button.setEnabled(not self._busy)

    # -- storing ------------------------------------------------------------------------------
    def start_import(self) -> None:
        """Write the previewed table as the chosen year (in the runner); closes when done."""
        year = self.year()
        if self.parsed is None or year is None or self._busy:
            return
        table, desk, data = self.doubts.resolved_table() or self.parsed, self.desk, self.data
        name = self.path.name if self.path is not None else ""
        replace = self.replace_check.isVisible() and self.replace_check.isChecked()
        self.error_label.show_error("")

        def task(progress: Any) -> ImportSummary:
            return desk.import_table(table, year=year, file_name=name, data=data, replace=replace)

        self._start("import", task, self._imported, self._import_failed, changes=lambda s: s.changes)

    def _imported(self, summary: ImportSummary) -> None:
        self._finish()
        self.summary = summary
        self.imported.emit(summary)
        self.accept()

    def _import_failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, YearExistsError):
            self._existing.add(exc.year)
            self._update_state()
            self.error_label.show_error(
                tr(
                    "{label} はすでに取り込まれています。置き換える場合はチェックを入れてください。",
                    label=year_text(exc.year),
                )
            )
            return
        self.error_label.show_error(error_text(exc, doing="取り込み"))
        self._update_state()

    # -- the runner ---------------------------------------------------------------------------
    def _start(
        self, busy: str, task: Any, done: Any, failed: Any, *, changes: ChangesOf | None = None
    ) -> None:
        # The job also checks an event of its own: a synchronous runner hands out the Handle only
        # after the job has run, so a press of 中止 during the job could not reach it otherwise.
        stop = threading.Event()
        self._stop = stop

        def job(progress: Any) -> Any:
            def report(done: int, total: int) -> None:
                if stop.is_set():
                    raise Cancelled(tr("中止しました。"))
                progress(done, total)

            return task(report)

        self._busy = busy
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("読み込み中… %p%") if busy == "parse" else tr("保存中…"))
        self.progress_box.show()
        self.cancel_button.setEnabled(busy == "parse")
        self._update_state()

        def on_done(result: Any) -> None:
            if not self._closed:
                done(result)

        def on_error(exc: BaseException) -> None:
            if not self._closed:
                failed(exc)

        self._handle = self.runner.run(
            job, on_done=on_done, on_error=on_error, on_progress=self._on_progress, changes=changes
        )

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _finish(self) -> None:
        self._busy = ""
        self._handle = None
        self.progress_box.hide()
        self._update_state()

    def is_busy(self) -> bool:
        return bool(self._busy)

    def cancel(self) -> None:
        """Stop reading at the next page (the runner raises Cancelled in the job)."""
        if self._busy == "parse":
            self._stop.set()
            if self._handle is not None:
                self._handle.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat(tr("中止しています…"))

    def error_text(self) -> str:
        return self.error_label.shown_text()

    def reject(self) -> None:
        if self._busy == "import":
            return  # a write in progress finishes first; the dialog closes itself when done
        self.cancel()
        self._closed = True
        super().reject()

    def showEvent(self, event: QShowEvent) -> None:
        self._closed = False
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy == "import":
            event.ignore()
            return
        self.cancel()
        self._closed = True
        super().closeEvent(event)
