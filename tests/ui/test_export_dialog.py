"""The export dialog: options, preview in a PDF view, save as PDF/CSV/Excel, print to a PDF printer."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog

from evaldesk.desk import Desk
from ui.export_dialog import ExportDialog
from ui.runner import SyncRunner

DEPARTMENT = "市長公室広報戦略課"


@pytest.fixture
def dialog(qtbot: Any, sample_desk: Desk) -> ExportDialog:
    dlg = ExportDialog(sample_desk, SyncRunner(), year=2024, department=DEPARTMENT)
    qtbot.addWidget(dlg)
    dlg.open()
    return dlg


def _save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def fake(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return calls


def _pages(path: Path) -> int:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    count = doc.pageCount()
    doc.close()
    return count


def test_defaults_and_format_rules(dialog: ExportDialog, qtbot: Any, sample_desk: Desk) -> None:
    assert dialog.objectName() == "exportDialog"
    assert dialog.list_radio.isChecked() and dialog.department_radio.isChecked()
    assert not dialog.program_radio.isEnabled()
    assert DEPARTMENT in dialog.department_radio.text()
    dialog.csv_radio.setChecked(True)
    assert dialog.choice().fmt == "csv"
    dialog.sheet_radio.setChecked(True)  # sheets are PDF only
    assert dialog.pdf_radio.isChecked()
    assert not dialog.csv_radio.isEnabled() and not dialog.xlsx_radio.isEnabled()
    assert dialog.choice().fmt == "pdf"
    dialog.list_radio.setChecked(True)
    assert dialog.csv_radio.isEnabled()

    one = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id="4")
    qtbot.addWidget(one)
    assert one.program_radio.isChecked() and one.sheet_radio.isChecked()
    assert "シティプロモーション" in one.program_radio.text()
    assert not one.department_radio.isEnabled()


def test_buttons_stay_put_when_the_layout_changes(qtbot: Any, sample_desk: Desk) -> None:
    """Switching 個票 → 一覧表 hides the format note; the buttons must not jump under the pointer."""
    dlg = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id="4")
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitExposed(dlg)
    assert dlg.windowTitle() == "書き出し・印刷（令和6年度）"  # the menu item's words
    before = {b.objectName(): b.geometry() for b in (dlg.preview_button, dlg.save_button)}
    dlg.list_radio.setChecked(True)
    assert not dlg.format_note.isVisible()
    qtbot.wait(10)
    after = {b.objectName(): b.geometry() for b in (dlg.preview_button, dlg.save_button)}
    assert after == before


def test_preview_is_shown_at_once_and_follows_the_options(dialog: ExportDialog, qtbot: Any) -> None:
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.page_count() > 0, timeout=3000)  # no need to press プレビュー
    dialog.year_radio.setChecked(True)
    qtbot.waitUntil(
        lambda: dialog.preview_is_current() and "20 件" in dialog.status_label.text(), timeout=3000
    )
    assert dialog.error_text() == ""
    assert preview.view.isVisible() and not preview.placeholder.isVisible()
    assert preview.current_page() == 0
    assert preview.page_label.text().startswith("1 /")
    if preview.page_count() > 1:
        preview.next_button.click()
        assert preview.current_page() == 1
        preview.last_button.click()
        assert preview.current_page() == preview.page_count() - 1
        assert not preview.next_button.isEnabled()
        preview.first_button.click()
        assert preview.current_page() == 0
    dialog.sheet_radio.setChecked(True)
    assert not dialog.preview_is_current()
    qtbot.waitUntil(dialog.preview_is_current, timeout=5000)  # the sheets replace the list by themselves
    assert preview.page_count() >= 20


def test_sheet_preview_of_one_program(qtbot: Any, sample_desk: Desk) -> None:
    dlg = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id="4")
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.preview_button.click()
    assert dlg.error_text() == ""
    assert dlg.preview.page_count() >= 1
    assert dlg.last_result is not None and dlg.last_result.programs == 1


def test_save_as_pdf(
    dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_desk: Desk
) -> None:
    calls = _save_to(monkeypatch, tmp_path / "広報戦略課")
    dialog.save_button.click()
    out = tmp_path / "広報戦略課.pdf"  # the suffix is added when missing
    assert dialog.error_text() == ""
    assert out.exists() and dialog.saved_path == out
    assert _pages(out) > 0
    assert "保存しました" in dialog.status_label.text()
    suggested = calls[0][2]
    assert suggested.endswith(".pdf") and "令和6年度" in suggested and DEPARTMENT in suggested
    assert dialog.last_result is not None and dialog.last_result.programs == len(
        sample_desk.programs(2024, department=DEPARTMENT)
    )


def test_save_as_csv(
    dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sample_desk: Desk
) -> None:
    out = tmp_path / "year.csv"
    _save_to(monkeypatch, out)
    dialog.year_radio.setChecked(True)
    dialog.csv_radio.setChecked(True)
    dialog.save_button.click()
    assert dialog.error_text() == ""
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    names = {p.name for p in sample_desk.programs(2024)}
    body = [r for r in rows if any(cell in names for cell in r)]
    assert len(body) == 20


def test_save_as_excel(dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "dept.xlsx"
    _save_to(monkeypatch, out)
    dialog.xlsx_radio.setChecked(True)
    dialog.save_button.click()
    assert dialog.error_text() == ""
    assert out.exists() and out.read_bytes()[:2] == b"PK"


def test_save_cancelled_writes_nothing(dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    before = dialog.last_result  # the preview's
    dialog.save_button.click()
    assert dialog.saved_path is None and dialog.last_result is before


def test_save_into_missing_folder_is_one_sentence(
    dialog: ExportDialog, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _save_to(monkeypatch, tmp_path / "ない" / "out.pdf")
    dialog.save_button.click()
    error = dialog.error_text()
    assert error and "Traceback" not in error and "\n" not in error
    assert not dialog.progress.isVisible() and dialog.save_button.isEnabled()


def test_print_to_a_pdf_printer(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.year_radio.setChecked(True)
    dialog.preview_button.click()
    expected = dialog.preview.page_count()
    assert expected > 0
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    printer.setResolution(150)
    assert dialog.print_to(printer) == expected
    assert printed.exists() and _pages(printed) == expected
    assert "印刷" in dialog.status_label.text()


def test_print_to_without_preview_makes_it(dialog: ExportDialog, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    dialog.print_to(printer)  # the preview is made in the runner first, then the pages are sent
    assert dialog.preview.page_count() > 0
    assert _pages(printed) == dialog.preview.page_count()
    assert "印刷に送りました" in dialog.status_label.text()


def test_export_error_is_one_sentence(qtbot: Any, desk: Desk) -> None:
    dlg = ExportDialog(desk, SyncRunner(), year=2030)
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.preview_button.click()
    error = dlg.error_text()
    assert error and "Traceback" not in error
    assert dlg.preview.page_count() == 0


def test_closing_removes_the_preview_file(dialog: ExportDialog, qtbot: Any) -> None:
    dialog.preview_button.click()
    path = dialog.preview.path
    assert path is not None and path.exists()
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()
    assert not path.exists()


def test_screenshot(qtbot: Any, sample_desk: Desk, qapp: QApplication, tmp_path: Path) -> None:
    """The preview as the README shows it (written to docs/screenshots when EVALDESK_SCREENSHOTS is set)."""
    from ui.fonts import register_fonts

    register_fonts(qapp)
    dlg = ExportDialog(sample_desk, SyncRunner(), year=2024, department=DEPARTMENT)
    qtbot.addWidget(dlg)
    dlg.setFont(qapp.font())
    dlg.resize(1180, 800)
    dlg.show()
    dlg.year_radio.setChecked(True)
    dlg.preview_button.click()
    qtbot.wait(50)
    folder = Path(os.environ.get("EVALDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert dlg.grab().save(str(folder / "export_preview.png"))
