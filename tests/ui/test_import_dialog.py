"""The import dialog: read, preview before writing, year, password, cancel, replace, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, load_truth, truth_table
from tests.ui.drops import file_drop
from ui.import_dialog import ImportDialog
from ui.import_preview import ParsedRowsModel
from ui.runner import SyncRunner


@pytest.fixture
def runner() -> SyncRunner:
    return SyncRunner()


def _dialog(qtbot: Any, desk: Desk, runner: SyncRunner, path: str | Path | None = None) -> ImportDialog:
    dlg = ImportDialog(desk, runner, path=str(path) if path is not None else None)
    qtbot.addWidget(dlg)
    dlg.open()
    return dlg


def _type_year(dlg: ImportDialog, text: str) -> None:
    dlg.year_edit.setFocus()
    dlg.year_edit.selectAll()
    dlg.year_edit.insert(text)  # as typed: textEdited fires, unlike setText


def test_sample_is_previewed_before_anything_is_written(
    qtbot: Any, desk: Desk, runner: SyncRunner, monkeypatch: pytest.MonkeyPatch, qtmodeltester: Any
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(SAMPLE_PDF), "PDF"))
    dlg = _dialog(qtbot, desk, runner)
    assert dlg.objectName() == "importDialog"
    assert not dlg.import_button.isEnabled()
    dlg.browse_button.click()

    assert dlg.model.rowCount() == 20
    assert "20 件" in dlg.preview_label.text()
    qtmodeltester.check(dlg.model)
    truth = load_truth()["programs"]
    first = truth[0]
    model = dlg.model
    assert model.data(model.index(0, 1)) == first["program_id"]
    assert model.data(model.index(0, 2)) == first["name"]
    assert model.data(model.index(0, 3)) == first["department"]
    long_text = str(model.data(model.index(0, 6)))
    assert long_text.endswith("…") and len(long_text) <= 41
    assert model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole) == first["outcome"]
    assert desk.years() == []  # nothing written yet

    if not dlg.year_edit.text():
        assert not dlg.import_button.isEnabled()  # the year is required
        _type_year(dlg, "令和6年度")
    assert dlg.year() == 2024
    assert "令和6年度" in dlg.year_hint.text()
    assert not dlg.replace_check.isVisible()
    assert dlg.import_button.isEnabled()

    with qtbot.waitSignal(dlg.imported) as blocker:
        dlg.import_button.click()
    summary = blocker.args[0]
    assert summary.fiscal_year == 2024 and summary.programs == 20 and summary.file_name == "r6_sample.pdf"
    assert not dlg.isVisible() and dlg.result() == dlg.DialogCode.Accepted
    assert [y.year for y in desk.years()] == [2024]
    assert len(desk.programs(2024)) == 20
    assert desk.source_pdf(2024) == SAMPLE_PDF.read_bytes()


def test_year_is_prefilled_from_the_title(qtbot: Any, desk: Desk, runner: SyncRunner, tmp_path: Path) -> None:
    from tests.core.tablegen import make_table_pdf

    pdf = make_table_pdf(tmp_path / "table.pdf", load_truth()["programs"][:3])
    dlg = _dialog(qtbot, desk, runner, pdf)
    assert dlg.parsed is not None and dlg.model.rowCount() == 3
    if dlg.parsed.title_year is None:
        pytest.skip("the importer does not read the title year of this layout")
    assert dlg.year_edit.text() == "2024"
    assert dlg.import_button.isEnabled()


@pytest.mark.parametrize("text, year", [("2024", 2024), ("R6", 2024), ("令和５年度", 2023), ("H30", 2018)])
def test_year_accepts_era_forms(qtbot: Any, desk: Desk, runner: SyncRunner, text: str, year: int) -> None:
    dlg = _dialog(qtbot, desk, runner, SAMPLE_PDF)
    dlg.year_edit.setText(text)
    assert dlg.year() == year
    assert dlg.import_button.isEnabled()


def test_year_field_shows_its_whole_example(qtbot: Any, desk: Desk, runner: SyncRunner) -> None:
    dlg = _dialog(qtbot, desk, runner)
    qtbot.waitExposed(dlg)
    edit = dlg.year_edit
    assert edit.text() == ""
    assert edit.width() > edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 8


def test_unreadable_year_blocks_the_import(qtbot: Any, desk: Desk, runner: SyncRunner) -> None:
    dlg = _dialog(qtbot, desk, runner, SAMPLE_PDF)
    dlg.year_edit.setText("来年")
    assert dlg.year() is None
    assert not dlg.import_button.isEnabled()
    assert "読み取れません" in dlg.year_hint.text()
    dlg.year_edit.setText("")
    assert not dlg.import_button.isEnabled()


def test_text_file_named_pdf_shows_one_sentence(
    qtbot: Any, desk: Desk, runner: SyncRunner, tmp_path: Path
) -> None:
    fake = tmp_path / "memo.pdf"
    fake.write_text("これは PDF ではありません", encoding="utf-8")
    dlg = _dialog(qtbot, desk, runner, fake)
    error = dlg.error_text()
    assert "memo.pdf" in error and "PDF" in error
    assert "Traceback" not in error and "\n" not in error.strip()
    assert dlg.model.rowCount() == 0
    assert not dlg.import_button.isEnabled()
    assert desk.years() == []


def test_missing_file_shows_one_sentence(qtbot: Any, desk: Desk, runner: SyncRunner, tmp_path: Path) -> None:
    dlg = _dialog(qtbot, desk, runner, tmp_path / "ない.pdf")
    assert dlg.error_text() and "Traceback" not in dlg.error_text()
    assert desk.years() == []


def test_password_field_appears_and_is_used(
    qtbot: Any, desk: Desk, runner: SyncRunner, tmp_path: Path
) -> None:
    pdf = tmp_path / "locked.pdf"
    canvas = Canvas(str(pdf), encrypt=StandardEncryption("himitsu", canPrint=1))
    canvas.drawString(100, 700, "locked")
    canvas.save()

    dlg = _dialog(qtbot, desk, runner, pdf)
    assert dlg.password_edit.isVisible()
    assert "パスワード" in dlg.error_text()

    dlg.password_edit.setText("chigau")
    dlg.password_button.click()
    assert dlg.password_edit.isVisible()
    assert "違います" in dlg.error_text()

    dlg.password_edit.setText("himitsu")
    dlg.password_button.click()
    # Opened: the remaining complaint is about the content, not the password.
    assert "パスワード" not in dlg.error_text() and dlg.error_text()
    assert desk.years() == []


def test_cancel_while_reading(
    qtbot: Any, desk: Desk, runner: SyncRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    dlg = ImportDialog(desk, runner)
    qtbot.addWidget(dlg)
    dlg.open()
    real = desk.parse_pdf
    seen: list[bool] = []

    def parse_and_press_cancel(path: Any, *, password: str | None = None, progress: Any = None) -> Any:
        def report(done: int, total: int) -> None:
            seen.append(dlg.progress_box.isVisible() and dlg.cancel_button.isEnabled())
            dlg.cancel_button.click()  # the user presses 中止 while the first page is read
            progress(done, total)

        return real(path, password=password, progress=report)

    monkeypatch.setattr(desk, "parse_pdf", parse_and_press_cancel)
    dlg.load(SAMPLE_PDF)
    assert seen == [True]
    assert "中止" in dlg.error_text()
    assert dlg.parsed is None and dlg.model.rowCount() == 0
    assert not dlg.progress_box.isVisible() and not dlg.is_busy()
    assert not dlg.import_button.isEnabled()
    assert desk.years() == []

    # The same file can be read again afterwards.
    monkeypatch.setattr(desk, "parse_pdf", real)
    dlg.load(SAMPLE_PDF)
    assert dlg.model.rowCount() == 20 and not dlg.error_text()


def test_existing_year_needs_the_replace_checkbox(qtbot: Any, sample_desk: Desk, runner: SyncRunner) -> None:
    before = sample_desk.programs(2024)
    sample_desk.update_program(2024, "1", {"purpose": "書き換えた目的"})
    dlg = _dialog(qtbot, sample_desk, runner, SAMPLE_PDF)
    dlg.year_edit.setText("2024")
    assert dlg.replace_check.isVisible()
    assert "履歴" in dlg.replace_check.text()
    assert not dlg.import_button.isEnabled()

    dlg.replace_check.setChecked(True)
    assert dlg.import_button.isEnabled()
    with qtbot.waitSignal(dlg.imported) as blocker:
        dlg.import_button.click()
    assert blocker.args[0].replaced
    assert len(sample_desk.programs(2024)) == len(before)
    # The edited text went to the history, not lost.
    assert any(h.old == "書き換えた目的" for h in sample_desk.history(2024, "1"))

    # Another year is not "existing": no checkbox.
    dlg2 = _dialog(qtbot, sample_desk, runner, SAMPLE_PDF)
    dlg2.year_edit.setText("2025")
    assert not dlg2.replace_check.isVisible() and dlg2.import_button.isEnabled()


def test_year_stored_meanwhile_is_explained(qtbot: Any, desk: Desk, runner: SyncRunner) -> None:
    dlg = _dialog(qtbot, desk, runner, SAMPLE_PDF)
    dlg.year_edit.setText("2024")
    desk.import_table(truth_table(), year=2024, file_name="other.pdf")  # another PC was quicker
    dlg.import_button.click()
    assert dlg.isVisible()
    assert "すでに取り込まれています" in dlg.error_text() and "--replace" not in dlg.error_text()
    assert dlg.replace_check.isVisible() and not dlg.import_button.isEnabled()


def test_drop_a_pdf(qtbot: Any, desk: Desk, runner: SyncRunner) -> None:
    dlg = _dialog(qtbot, desk, runner)
    event = file_drop(SAMPLE_PDF)
    dlg.dropEvent(event)
    assert event.isAccepted()
    assert dlg.model.rowCount() == 20


def test_empty_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    qtmodeltester.check(ParsedRowsModel())


def test_with_the_background_runner(qtbot: Any, desk: Desk) -> None:
    from ui.runner import Runner

    runner = Runner()
    dlg = ImportDialog(desk, runner, path=str(SAMPLE_PDF))
    qtbot.addWidget(dlg)
    dlg.open()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 20, timeout=20000)
    dlg.year_edit.setText("2024")
    with qtbot.waitSignal(dlg.imported, timeout=20000):
        dlg.import_button.click()
    assert len(desk.programs(2024)) == 20
    runner.wait()


def test_warnings_are_listed_before_importing(
    qtbot: Any, desk: Desk, runner: SyncRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    warned = replace(truth_table(), warnings=("3 ページ目: 事業番号 17 の行が次のページに続いています。",))
    monkeypatch.setattr(desk, "parse_pdf", lambda *a, **k: warned)
    dlg = _dialog(qtbot, desk, runner, SAMPLE_PDF)
    assert dlg.warnings.isVisible() and dlg.warnings.count() == 1
    assert "17" in dlg.warnings.item(0).text()
    assert "1 件" in dlg.warnings_label.text()
    assert dlg.year_edit.text() == "2024"  # from the table's title year
    with qtbot.waitSignal(dlg.imported) as blocker:
        dlg.import_button.click()
    assert blocker.args[0].warnings == warned.warnings
