"""One change broadcast: whatever is saved, imported, linked or restored shows in every open view."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from evaldesk.records import ProgramChange
from tests.conftest import SAMPLE_PDF, truth_table
from tests.ui.test_compare_view import _year_before
from tests.ui.test_main_window import type_into
from ui.compare_view import CompareView
from ui.mainwindow import MainWindow

UNCHANGED = "5"
"""A program whose texts are the same in both years of the test database."""


def _kind(view: CompareView, program_id: str) -> str:
    row = view.model.row_of(program_id)
    assert row >= 0
    return str(view.model.data(view.model.index(row, 2)))


def _open_compare(qtbot: QtBot, window: MainWindow) -> CompareView:
    window.actionCompare.trigger()
    view = window.dialogs["compare"]
    assert isinstance(view, CompareView)
    qtbot.waitUntil(view.isVisible)
    view.set_years(2023, 2024)
    return view


def _two_year_window(make_window: Any, sample_desk: Desk) -> MainWindow:
    sample_desk.import_table(truth_table(_year_before(), title_year=2023), year=2023, file_name="r5.pdf")
    window: MainWindow = make_window(sample_desk.url)
    window.show()
    return window


def test_a_save_shows_in_the_open_comparison_without_a_refresh(
    qtbot: QtBot,
    make_window: Any,
    sample_desk: Desk,
) -> None:
    window = _two_year_window(make_window, sample_desk)
    view = _open_compare(qtbot, window)
    assert _kind(view, UNCHANGED) == "変更なし"

    assert window.select_program(UNCHANGED)
    type_into(window, "purpose", "（令和6年度に追記）")
    window.actionSave.trigger()
    assert _kind(view, UNCHANGED) == "内容変更"
    assert view.select_program(UNCHANGED)
    assert "（令和6年度に追記）" in view.new_browser.toPlainText()

    # Taking the old text back from the history is a change like any other.
    window.sideTabs.setCurrentWidget(window.historyPanel)
    entry = window.historyPanel.selected_entry()
    assert entry is not None and entry.program_id == UNCHANGED
    window.historyPanel.restoreButton.click()
    box = window.findChild(QMessageBox, "questionBox")  # it asks before writing
    assert box is not None
    with qtbot.waitSignal(box.finished):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert sample_desk.program(2024, UNCHANGED).purpose == entry.old
    assert _kind(view, UNCHANGED) == "変更なし"


def test_a_write_from_elsewhere_reaches_the_table_the_editor_and_the_history(
    qtbot: QtBot, window: MainWindow, sample_desk: Desk
) -> None:
    """A view other than the editor (a review screen, say) saves through the runner: the window follows."""
    assert window.select_program("3")
    window.sideTabs.setCurrentWidget(window.historyPanel)
    assert window.historyPanel.model.rowCount() == 0
    done: list[ProgramChange] = []
    window.runner.run(
        lambda _p: sample_desk.update_program(2024, "3", {"name": "新しい名前の事業"}),
        on_done=done.append,
        on_error=lambda exc: None,
        changes=lambda change: change.changes,
    )
    assert done
    row = window.model.row_of("3")
    assert row is not None and window.model.program_at(row).name == "新しい名前の事業"
    assert window.editor.nameEdit.text() == "新しい名前の事業"
    assert window.current is not None and not window.current.is_dirty()
    assert window.historyPanel.model.rowCount() == 1


def test_unsaved_edits_are_not_overwritten_by_a_change_elsewhere(
    window: MainWindow, sample_desk: Desk
) -> None:
    assert window.select_program("3")
    type_into(window, "purpose", "（書きかけ）")
    window.runner.run(
        lambda _p: sample_desk.update_program(2024, "3", {"name": "別の人が付けた名前"}),
        on_done=lambda change: None,
        on_error=lambda exc: None,
        changes=lambda change: change.changes,
    )
    assert window.editor.purposeEdit.toPlainText().endswith("（書きかけ）")
    assert window.isWindowModified()
    row = window.model.row_of("3")
    assert row is not None and window.model.program_at(row).name == "別の人が付けた名前"


def test_importing_a_second_year_lets_the_open_comparison_compare(qtbot: QtBot, window: MainWindow) -> None:
    window.actionCompare.trigger()
    view = window.dialogs["compare"]
    assert isinstance(view, CompareView)
    assert view.comparison is None and "2 つ以上" in view.error_label.text()

    window.open_import(str(SAMPLE_PDF))
    dialog = window.dialogs["import"]
    dialog.year_edit.setText("2023")  # type: ignore[attr-defined]
    dialog.import_button.click()  # type: ignore[attr-defined]
    assert view.years() == (2023, 2024)
    assert view.comparison is not None and not view.error_label.isVisible()
    assert view.comparison.counts["unchanged"] == 20
