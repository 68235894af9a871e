"""Print or save programs: list or sheets, one program / department / the whole year, PDF, CSV or Excel."""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evaldesk.errors import Cancelled, EvaldeskError, ExportError
from ui.errors import error_text
from ui.file_dialogs import ask_export_path, export_file_name, export_path_proposal
from ui.i18n import tr, year_text
from ui.preview import PdfPreview
from ui.printing import match_page, print_document
from ui.widgets import ElidedRadioButton, ErrorLabel, named, show_warnings, single_shot_timer

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from evaldesk.export import ExportResult
    from ui.runner import Runner

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 250  # the preview is made again this long after the last change of an option

FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF ファイル (*.pdf)", ".pdf"),
    "csv": ("CSV ファイル (*.csv)", ".csv"),
    "xlsx": ("Excel ブック (*.xlsx)", ".xlsx"),
}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the dialog would write: layout, scope and format."""

    layout: str  # "list" | "sheet"
    scope: str  # "program" | "department" | "year"
    fmt: str  # "pdf" | "csv" | "xlsx"


class ExportDialog(QDialog):
    """Preview, save and print; every export runs in the runner."""

    def __init__(
        self,
        desk: Desk,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        year: int,
        program_id: str | None = None,
        department: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.year = year
        self.program_id = program_id
        self.department = department
        self.last_result: ExportResult | None = None
        self.saved_path: Path | None = None
        self._busy = False
        self._closed = False
        self._preview_choice: ExportChoice | None = None
        self._preview_count = 0
        self._after_preview: Any = None
        self._tmp: Path | None = None  # made at the first preview, removed when the dialog closes
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("書き出し・印刷（{year}）", year=year_text(year)))  # as the menu item says
        self.resize(1180, 800)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self._build_layout_box())
        ll.addWidget(self._build_scope_box(self._program_name()))
        ll.addWidget(self._build_format_box())
        for w in self._build_actions():
            ll.addWidget(w)
        ll.addWidget(self.warnings, 1)
        ll.addStretch(0)
        left.setMaximumWidth(380)
        self._check_defaults()

        self.preview = PdfPreview(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 850])

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.finished.connect(self._cleanup)
        self._preview_timer = single_shot_timer(self, PREVIEW_DELAY_MS, self._auto_preview)
        self._options_changed()

    # -- building -----------------------------------------------------------------------------
    def _program_name(self) -> str:
        """The name of the program asked for; forgets it when the year does not hold it."""
        if self.program_id is None:
            return ""
        try:
            return self.desk.program(self.year, self.program_id).name
        except EvaldeskError:
            self.program_id = None
            return ""

    def _build_layout_box(self) -> QGroupBox:
        self.list_radio = named(QRadioButton(tr("一覧表")), "exportLayoutList")
        self.sheet_radio = named(QRadioButton(tr("個票（1 事業 1 枚）")), "exportLayoutSheet")
        self.layout_group = self._group((self.list_radio, self.sheet_radio))
        return self._box(tr("様式"), (self.list_radio, self.sheet_radio))

    def _build_scope_box(self, program_name: str) -> QGroupBox:
        program_id, department = self.program_id, self.department
        program_text = (
            tr("この事業: {id} {name}", id=program_id, name=program_name) if program_id else tr("この事業")
        )
        self.program_radio = named(ElidedRadioButton(program_text), "exportScopeProgram")
        department_text = (
            tr("この部署: {department}", department=department)
            if department
            else tr("この部署（部署が選ばれていません）")
        )
        self.department_radio = named(ElidedRadioButton(department_text), "exportScopeDepartment")
        self.department_radio.setToolTip("" if department else tr("部署か事業を選んでから開くと使えます。"))
        self.year_radio = named(
            QRadioButton(tr("{year}の全事業", year=year_text(self.year))), "exportScopeYear"
        )
        self.program_radio.setEnabled(program_id is not None)
        self.department_radio.setEnabled(bool(department))
        radios = (self.program_radio, self.department_radio, self.year_radio)
        self.scope_group = self._group(radios)
        return self._box(tr("範囲"), radios)

    def _build_format_box(self) -> QGroupBox:
        self.pdf_radio = named(QRadioButton("PDF"), "exportFormatPdf")
        self.csv_radio = named(QRadioButton("CSV"), "exportFormatCsv")
        self.xlsx_radio = named(QRadioButton("Excel (xlsx)"), "exportFormatXlsx")
        self.format_group = self._group((self.pdf_radio, self.csv_radio, self.xlsx_radio))
        self.format_note = QLabel(tr("CSV と Excel は一覧表のみです。"))
        self.format_note.setWordWrap(True)
        self.format_note.setStyleSheet("color:#666666;")
        # Shown only for sheets; keeping its room stops the buttons below from moving under the pointer.
        policy = self.format_note.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.format_note.setSizePolicy(policy)
        return self._box(
            tr("保存の形式"), (self.pdf_radio, self.csv_radio, self.xlsx_radio, self.format_note)
        )

    def _check_defaults(self) -> None:
        """One program opens on its sheet; otherwise the list of the department or the year."""
        if self.program_id is not None:
            self.sheet_radio.setChecked(True)
            self.program_radio.setChecked(True)
        else:
            self.list_radio.setChecked(True)
            (self.department_radio if self.department else self.year_radio).setChecked(True)
        self.pdf_radio.setChecked(True)
        for group in (self.layout_group, self.scope_group, self.format_group):
            group.buttonToggled.connect(self._options_changed)

    def _build_actions(self) -> tuple[QWidget, ...]:
        """The buttons, the progress, the status and error lines and the warnings, top to bottom."""
        self.preview_button = named(QPushButton(tr("プレビュー")), "exportPreviewButton")
        self.save_button = named(QPushButton(tr("名前を付けて保存…")), "exportSaveButton")
        self.print_button = named(QPushButton(tr("印刷…")), "exportPrintButton")
        self.close_button = named(QPushButton(tr("閉じる")), "exportCloseButton")
        self.preview_button.clicked.connect(self.render_preview)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_dialog)
        self.close_button.clicked.connect(self.reject)

        self.progress = named(QProgressBar(), "exportProgress")
        self.progress.hide()
        self.status_label = named(QLabel(), "exportStatus")
        self.status_label.setWordWrap(True)
        self.error_label = ErrorLabel("exportError")
        self.warnings_label = named(QLabel(), "exportWarningsLabel")
        self.warnings = named(QListWidget(), "exportWarnings")
        self.warnings.setWordWrap(True)
        self.warnings_label.hide()
        self.warnings.hide()
        return (
            self.preview_button,
            self.save_button,
            self.print_button,
            self.progress,
            self.status_label,
            self.error_label,
            self.warnings_label,
        )

    def _group(self, buttons: tuple[QRadioButton, ...]) -> QButtonGroup:
        group = QButtonGroup(self)
        for b in buttons:
            group.addButton(b)
        return group

    @staticmethod
    def _box(title: str, widgets: tuple[QWidget, ...]) -> QGroupBox:
        box = QGroupBox(title)
        lay = QVBoxLayout(box)
        for w in widgets:
            lay.addWidget(w)
        return box

    # -- choices ------------------------------------------------------------------------------
    def choice(self) -> ExportChoice:
        layout = "sheet" if self.sheet_radio.isChecked() else "list"
        scope = (
            "program"
            if self.program_radio.isChecked()
            else "department"
            if self.department_radio.isChecked()
            else "year"
        )
        fmt = "csv" if self.csv_radio.isChecked() else "xlsx" if self.xlsx_radio.isChecked() else "pdf"
        if layout == "sheet":
            fmt = "pdf"
        return ExportChoice(layout, scope, fmt)

    def _options_changed(self, *args: object) -> None:
        sheet = self.sheet_radio.isChecked()
        for radio in (self.csv_radio, self.xlsx_radio):
            radio.setEnabled(not sheet)
        if sheet and not self.pdf_radio.isChecked():
            self.pdf_radio.setChecked(True)  # re-enters through buttonToggled
            return
        self.format_note.setVisible(sheet)
        current = self._preview_choice is not None and self._pdf_key(self.choice()) == self._pdf_key(
            self._preview_choice
        )
        if self._preview_choice is not None and not current and self.isVisible():
            self._preview_timer.start()  # the preview follows the options by itself
        self._update_buttons()

    @staticmethod
    def _pdf_key(choice: ExportChoice) -> tuple[str, str]:
        """What the printed pages depend on (the save format does not change them)."""
        return choice.layout, choice.scope

    def _export_args(self, choice: ExportChoice) -> dict[str, Any]:
        args: dict[str, Any] = {"layout": choice.layout}
        if choice.scope == "program" and self.program_id is not None:
            args["program_ids"] = (self.program_id,)
        elif choice.scope == "department" and self.department:
            args["department"] = self.department
        return args

    def _update_buttons(self) -> None:
        for b in (self.preview_button, self.save_button, self.print_button):
            b.setEnabled(not self._busy)

    def preview_is_current(self) -> bool:
        return (
            self._preview_choice is not None
            and self.preview.page_count() > 0
            and self._pdf_key(self._preview_choice) == self._pdf_key(self.choice())
        )

    # -- running exports ----------------------------------------------------------------------
    def _run(self, out: Path, choice: ExportChoice, done: Any) -> None:
        desk, year, args = self.desk, self.year, self._export_args(choice)
        fmt = choice.fmt

        def task(progress: Any) -> ExportResult:
            return desk.export(year, out, fmt=fmt, progress=progress, **args)

        def on_done(result: ExportResult) -> None:
            if self._closed:
                return
            self._finish()
            self.last_result = result
            self._set_warnings(result.warnings)
            done(result)

        def on_error(exc: BaseException) -> None:
            if self._closed:
                return
            self._finish()
            self._after_preview = None
            if isinstance(exc, Cancelled):
                self._show_error(tr("中止しました。"))
                return
            self._show_error(error_text(exc, doing="書き出し"))

        self._busy = True
        self._show_error("")
        self.progress.setRange(0, 0)
        self.progress.show()
        self._update_buttons()
        self.runner.run(task, on_done=on_done, on_error=on_error, on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _finish(self) -> None:
        self._busy = False
        self.progress.hide()
        self._update_buttons()

    def _auto_preview(self) -> None:
        if self._busy:  # one export at a time: try again when this one is done
            self._preview_timer.start()
        elif not self._closed and not self.preview_is_current():
            self.render_preview()

    def render_preview(self) -> None:
        """Write the chosen pages to a temporary PDF (in the runner) and show them."""
        if self._busy:
            return
        choice = ExportChoice(self.choice().layout, self.choice().scope, "pdf")
        self._preview_count += 1
        out = self._tmp_dir() / f"preview-{self._preview_count}.pdf"
        self.status_label.setText(tr("見本を作成しています…"))

        def shown(result: ExportResult) -> None:
            old = self.preview.path
            if not self.preview.load(result.path):
                self._show_error(tr("見本を表示できませんでした。"))
                return
            if old is not None and old != result.path:
                old.unlink(missing_ok=True)
            self._preview_choice = choice
            self.status_label.setText(
                tr("{programs} 件の事業、{pages} ページです。", programs=result.programs, pages=result.pages)
            )
            then, self._after_preview = self._after_preview, None
            if then is not None:
                then()

        self._run(out, choice, shown)

    def suggested_name(self, choice: ExportChoice) -> str:
        program = self.program_id if choice.scope == "program" else None
        department = self.department if choice.scope == "department" else None
        return export_file_name(
            self.year,
            sheet=choice.layout == "sheet",
            program_id=program,
            department=department,
            suffix=FORMATS[choice.fmt][1],
        )

    def save_as(self) -> None:
        """Ask for a file name and write the chosen export there (in the runner)."""
        if self._busy:
            return
        choice = self.choice()
        name_filter, suffix = FORMATS[choice.fmt]
        out = ask_export_path(
            self,
            caption=tr("名前を付けて保存"),
            name=self.suggested_name(choice),
            name_filter=tr(name_filter),
            suffix=suffix,
        )
        if out is None:
            return
        self.status_label.setText(tr("保存しています…"))

        def saved(result: ExportResult) -> None:
            self.saved_path = result.path
            if result.pages:
                text = tr(
                    "{name} に保存しました（{pages} ページ）。", name=result.path.name, pages=result.pages
                )
            else:
                text = tr(
                    "{name} に保存しました（{programs} 件）。",
                    name=result.path.name,
                    programs=result.programs,
                )
            self.status_label.setText(text)

        self._run(out, choice, saved)

    # -- printing -----------------------------------------------------------------------------
    def print_dialog(self) -> None:
        """Open the system print dialog (after making the preview, if it is not up to date)."""
        if self._busy:
            return
        if not self.preview_is_current():
            self._after_preview = self.print_dialog
            self.render_preview()
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name(self.choice()).rsplit(".", 1)[0])
        # "Print to file" proposes the documents folder and a sensible name, not the working folder.
        printer.setOutputFileName(
            export_path_proposal(self.suggested_name(replace(self.choice(), fmt="pdf")))
        )
        match_page(printer, self.preview.document, 0)
        dlg = QPrintDialog(printer, self)
        dlg.setObjectName("exportPrintDialog")
        dlg.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        dlg.setMinMax(1, self.preview.page_count())
        # exec(): the Windows and macOS print dialogs are native and only run modally; the tests
        # drive print_to() directly.
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)
        dlg.deleteLater()

    def print_to(self, printer: QPrinter) -> int:
        """Paint the preview's pages on ``printer``; returns how many pages were sent now.

        When the preview is missing or out of date it is made first (in the runner) and the pages
        go to the printer once it is shown; 0 is returned then.
        """
        if not self.preview_is_current():
            self._after_preview = lambda: self.print_to(printer)
            self.render_preview()
            return 0
        try:
            printed = print_document(printer, self.preview.document)
        except ExportError as exc:
            self._show_error(error_text(exc, doing="印刷"))
            return 0
        self.status_label.setText(tr("{pages} ページを印刷に送りました。", pages=printed))
        return printed

    # -- messages and closing -----------------------------------------------------------------
    def _set_warnings(self, warnings: tuple[str, ...]) -> None:
        show_warnings(self.warnings_label, self.warnings, warnings)

    def _show_error(self, text: str) -> None:
        self.error_label.show_error(text)
        if text:
            self.status_label.setText("")

    def error_text(self) -> str:
        return self.error_label.shown_text()

    def _tmp_dir(self) -> Path:
        if self._tmp is None or not self._tmp.is_dir():
            self._tmp = Path(tempfile.mkdtemp(prefix="evaldesk-preview-"))
            # Also when the dialog is deleted without being closed (its owner went away).
            self.destroyed.connect(functools.partial(shutil.rmtree, self._tmp, ignore_errors=True))
        return self._tmp

    def showEvent(self, event: QShowEvent) -> None:
        self._closed = False
        super().showEvent(event)
        if self._preview_choice is None:  # the pages at once, not after a press of プレビュー
            QTimer.singleShot(0, self._auto_preview)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        super().closeEvent(event)

    def _cleanup(self, *args: object) -> None:
        self._closed = True
        self.preview.clear()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
