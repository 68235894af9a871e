"""The comparison window: counts, kinds, filter, highlighted differences, links, edit request, report."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from evaldesk.desk import Desk
from tests.conftest import load_truth, truth_table
from tests.ui.tr_strings import tr_literals
from ui.compare_models import KIND_LABELS, ComparisonModel, FigureModel
from ui.compare_view import CompareView
from ui.diff_view import DELETE_STYLE, program_html, spans_to_html
from ui.runner import SyncRunner

OLD_NAME_2 = "市長車運転業務"
OLD_DEPARTMENT_3 = "総務部総務課"
OLD_OUTCOME_4_FIGURE = "２，５００人"


def _year_before() -> list[dict[str, Any]]:
    """FY2023 as the truth of FY2024 would have read a year earlier: one of each kind of change."""
    records: list[dict[str, Any]] = copy.deepcopy(load_truth()["programs"])
    by_id = {r["program_id"]: r for r in records}
    by_id["2"]["name"] = OLD_NAME_2
    by_id["3"]["department"] = OLD_DEPARTMENT_3
    outcome = by_id["4"]["outcome"]
    assert "２，７４０人" in outcome
    by_id["4"]["outcome"] = outcome.replace("２，７４０人", OLD_OUTCOME_4_FIGURE).replace(
        "動画配信を行った", "動画配信を始めた"
    )
    records.remove(by_id["1006"])  # so 1006 is new in FY2024
    gone = dict(by_id["1"], program_id="99", no=99, name="旧広報誌発行事業")
    records.append(gone)  # so 99 ended after FY2023
    return records


@pytest.fixture
def two_years(sample_desk: Desk) -> Desk:
    sample_desk.import_table(truth_table(_year_before(), title_year=2023), year=2023, file_name="r5.pdf")
    return sample_desk


@pytest.fixture
def runner() -> SyncRunner:
    return SyncRunner()


@pytest.fixture
def view(qtbot: Any, two_years: Desk, runner: SyncRunner) -> CompareView:
    v = CompareView(two_years, runner)
    qtbot.addWidget(v)
    v.show()
    return v


def _kinds(model: ComparisonModel) -> dict[str, str]:
    return {model.entry(r).program_id: str(model.data(model.index(r, 2))) for r in range(model.rowCount())}


def test_defaults_to_the_two_latest_years_and_counts_each_kind(view: CompareView) -> None:
    assert view.objectName() == "compareView"
    assert not view.isModal()
    assert view.years() == (2023, 2024)
    assert view.comparison is not None
    assert view.comparison.counts == {"added": 1, "removed": 1, "changed": 3, "unchanged": 16}
    summary = view.summary_label.text()
    assert "新規 1 件" in summary and "終了 1 件" in summary and "変更 3 件" in summary
    assert "変更なし 16 件" in summary
    kinds = _kinds(view.model)
    assert len(kinds) == 21
    assert kinds["1006"] == "新規"
    assert kinds["99"] == "終了"
    assert kinds["2"] == "名称変更"
    assert kinds["3"] == "所管変更"
    assert kinds["4"] == "内容変更"
    assert kinds["5"] == "変更なし"


def test_models_pass_the_model_tester(view: CompareView, qtmodeltester: Any) -> None:
    qtmodeltester.check(view.model)
    assert view.select_program("4")
    assert view.figure_model.rowCount() > 0
    qtmodeltester.check(view.figure_model)
    qtmodeltester.check(ComparisonModel())
    qtmodeltester.check(FigureModel())


def test_filter_by_kind(view: CompareView) -> None:
    for key, box in view.filter_boxes.items():
        box.setChecked(key == "renamed")
    assert [e.program_id for e in view.model.entries()] == ["2"]
    view.filter_boxes["added"].setChecked(True)
    assert sorted(e.program_id for e in view.model.entries()) == ["1006", "2"]
    view.set_filter(["unchanged"])
    assert view.model.rowCount() == 16
    assert not view.filter_boxes["renamed"].isChecked()
    view.set_filter([])
    assert view.model.rowCount() == 0
    assert view.selected_entry() is None
    assert not view.edit_button.isEnabled()


def test_side_by_side_marks_the_changed_text_and_figures(view: CompareView) -> None:
    assert view.select_program("4")
    old_html = view.old_browser.toHtml()
    new_html = view.new_browser.toHtml()
    assert "line-through" in old_html
    assert "２，５００" in old_html and "２，７４０" not in view.old_browser.toPlainText()
    assert "２，７４０" in view.new_browser.toPlainText()
    assert "background-color:#c8f0c8" in new_html
    assert "成果" in view.new_browser.toPlainText()
    figures = view.figure_model.changes()
    assert any(str(f).startswith("２，７４０人 ← ２，５００人") and "+240" in str(f) for f in figures)
    row = next(r for r, f in enumerate(figures) if f.unit == "人")
    assert view.figure_model.data(view.figure_model.index(row, 3)) == "+240"

    # The marked spans are exactly the changed characters, escaped.
    from evaldesk.compare import text_diff

    html = spans_to_html(text_diff("a<b 100件", "a<b 120件"), "old")
    assert "a&lt;b" in html and f'<span style="{DELETE_STYLE}">100</span>' in html


def test_added_and_removed_programs_show_one_side(view: CompareView) -> None:
    assert view.select_program("1006")
    assert "この年度にはこの事業はありません" in view.old_browser.toPlainText()
    assert view.edit_button.isEnabled()
    assert view.select_program("99")
    assert "この年度にはこの事業はありません" in view.new_browser.toPlainText()
    assert not view.edit_button.isEnabled()
    entry = view.selected_entry()
    assert entry is not None and "旧広報誌発行事業" in program_html(entry, "old")


def test_edit_requested_with_the_newer_year(view: CompareView, qtbot: Any) -> None:
    assert view.select_program("2")
    with qtbot.waitSignal(view.editRequested) as blocker:
        view.edit_button.click()
    assert blocker.args == [2024, "2"]


def test_double_click_or_enter_on_a_row_opens_it_for_editing(view: CompareView, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    view.show()
    qtbot.waitExposed(view)
    assert view.select_program("2")
    asked: list[tuple[int, str]] = []
    view.editRequested.connect(lambda year, pid: asked.append((year, pid)))
    rect = view.table.visualRect(view.table.currentIndex())
    # A real double-click is a click followed by the double-click event.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked == [(2024, "2")]
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert asked == [(2024, "2")] * 2  # once per press


def test_manual_link_turns_removed_and_added_into_one_program(
    view: CompareView, qtbot: Any, two_years: Desk, runner: SyncRunner
) -> None:
    assert view.select_program("99")
    dlg = view.open_links()
    qtbot.addWidget(dlg)
    assert dlg.objectName() == "linkDialog"
    assert dlg.old_combo.currentData() == "99"
    dlg.new_combo.setCurrentIndex(dlg.new_combo.findData("1006"))
    dlg.note_edit.setText("事業番号の振り直し")
    with qtbot.waitSignal(runner.changes.changed):
        dlg.add_button.click()
    assert dlg.model.rowCount() == 1
    assert dlg.model.data(dlg.model.index(0, 1)) == "旧広報誌発行事業"
    assert view.comparison is not None
    assert view.comparison.counts["added"] == 0 and view.comparison.counts["removed"] == 0
    assert "対応付け" in _kinds(view.model)["1006"]

    # The same link twice is refused with a sentence, not a traceback.
    dlg.add_button.click()
    assert dlg.error_label.isVisible() and "すでに" in dlg.error_label.text()

    dlg.table.selectRow(0)
    with qtbot.waitSignal(runner.changes.changed):
        dlg.remove_button.click()
    assert two_years.links() == []
    assert view.comparison.counts["added"] == 1


def test_link_model_passes_the_model_tester(
    view: CompareView, qtbot: Any, qtmodeltester: Any, two_years: Desk
) -> None:
    two_years.add_link(from_year=2023, from_program_id="99", to_year=2024, to_program_id="1006")
    dlg = view.open_links()
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)


def test_pdf_report(view: CompareView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = tmp_path / "比較"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    view.pdf_button.click()
    written = out.with_name("比較.pdf")
    assert written.exists() and written.read_bytes().startswith(b"%PDF")
    assert not view.error_label.isVisible()


def test_pdf_dialog_cancelled_writes_nothing(view: CompareView, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert view.save_pdf() is None


def test_one_year_only_says_so(qtbot: Any, sample_desk: Desk) -> None:
    v = CompareView(sample_desk, SyncRunner())
    qtbot.addWidget(v)
    v.show()
    assert v.comparison is None
    assert v.error_label.isVisible() and "2 つ以上" in v.error_label.text()
    assert not v.pdf_button.isEnabled()


def test_same_year_twice_is_refused(view: CompareView) -> None:
    view.set_years(2024, 2024)
    assert view.comparison is None
    assert "異なる" in view.error_label.text()
    view.set_years(2023, 2024)
    assert view.comparison is not None and not view.error_label.isVisible()


def test_runs_in_the_runner(qtbot: Any, two_years: Desk) -> None:
    v = CompareView(two_years, SyncRunner(), from_year=2023, to_year=2024)
    qtbot.addWidget(v)
    assert v.comparison is not None and v.comparison.counts["changed"] == 3


def test_screenshot(view: CompareView, qapp: QApplication, tmp_path: Path) -> None:
    """The window as the README shows it (written to docs/screenshots when EVALDESK_SCREENSHOTS is set)."""
    from ui.fonts import register_fonts

    register_fonts(qapp)
    view.setFont(qapp.font())
    view.resize(1280, 820)
    assert view.select_program("4")
    folder = Path(os.environ.get("EVALDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(folder / "compare.png"))


DIALOG_MODULES = (
    "import_dialog",
    "doubt_panel",
    "import_preview",
    "export_dialog",
    "compare_view",
    "compare_models",
    "printing",
    "diff_view",
    "link_dialog",
    "preview",
    "widgets",
)


def test_english_catalog_covers_every_dialog_string() -> None:
    import json
    import string

    from ui.import_preview import ParsedRowsModel
    from ui.link_dialog import LinkModel

    catalog = json.loads(
        (
            Path(__file__).resolve().parents[2] / "resources" / "translations" / "en" / "dialogs.json"
        ).read_text(encoding="utf-8")
    )
    wanted = set(tr_literals(DIALOG_MODULES)) | set(KIND_LABELS.values()) | set(ComparisonModel.HEADERS)
    wanted |= set(FigureModel.HEADERS) | set(LinkModel.HEADERS) | {c[1] for c in ParsedRowsModel.COLUMNS}
    wanted -= {"No."}
    missing = sorted(s for s in wanted if s not in catalog)
    assert not missing

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert [k for k, v in catalog.items() if fields(k) != fields(v)] == []


def test_view_in_english(qtbot: Any, two_years: Desk) -> None:
    from ui import i18n

    i18n.set_language("en")
    try:
        v = CompareView(two_years, SyncRunner())
        qtbot.addWidget(v)
        assert v.windowTitle() == "Compare years"
        assert "New 1" in v.summary_label.text()
        assert v.model.headerData(1, Qt.Orientation.Horizontal) == "Program name"
    finally:
        i18n.set_language("ja")


def test_pdf_report_through_the_runner_and_its_errors(
    qtbot: Any, two_years: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    v = CompareView(two_years, SyncRunner())
    qtbot.addWidget(v)
    out = tmp_path / "report.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    assert v.save_pdf() == out and out.exists()
    assert "report.pdf" in v.summary_label.text()

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "ない" / "report.pdf"), "PDF")
    )
    v.save_pdf()
    assert not v.error_label.isHidden() and "ない" in v.error_label.text()  # the missing folder is named
    assert "Traceback" not in v.error_label.text()
    assert v.pdf_button.isEnabled()
