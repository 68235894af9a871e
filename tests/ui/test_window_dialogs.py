"""The windows the main window opens: import, export, comparison, backup and restore."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, truth_table
from ui.mainwindow import MainWindow


# -- the other windows, opened from here ----------------------------------------------------------
def test_import_action_opens_the_import_dialog_and_shows_the_new_year(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.actionImport.trigger()
    dialog = window.dialogs["import"]
    qtbot.waitUntil(dialog.isVisible)
    assert type(dialog).__name__ == "ImportDialog"
    dialog.close()
    window.open_import(str(SAMPLE_PDF))  # as a dropped file: read at once, then stored as another year
    dialog = window.dialogs["import"]
    dialog.year_edit.setText("2023")  # type: ignore[attr-defined]
    dialog.import_button.click()  # type: ignore[attr-defined]
    assert not dialog.isVisible()
    assert window.year == 2023
    assert window.yearCombo.currentText() == "令和5年度（2023）"
    assert window.yearCombo.count() == 2
    assert "20 事業を取り込みました" in window.last_message


def test_export_action_opens_the_export_dialog_for_the_shown_program(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.select_program("17")
    window.actionExport.trigger()
    dialog = window.dialogs["export"]
    qtbot.waitUntil(dialog.isVisible)
    assert type(dialog).__name__ == "ExportDialog"
    dialog.close()


def test_compare_edit_request_switches_year_and_program(qtbot: QtBot, make_window, sample_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    sample_desk.import_table(truth_table(title_year=2023), year=2023, file_name="r5.pdf")
    window = make_window(sample_desk.url)
    window.show()
    window.actionCompare.trigger()
    view = window.dialogs["compare"]
    qtbot.waitUntil(view.isVisible)
    assert view.objectName() == "compareView"
    view.editRequested.emit(2023, "19")
    assert window.year == 2023
    assert window.current is not None and window.current.key == (2023, "19")
    assert window.editor.nameEdit.text() == "防災啓発・地域防災活動支援事業"
    view.close()


def test_backup_and_restore(
    qtbot: QtBot, window: MainWindow, sample_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "manual-backup.sqlite3"
    offered: list[str] = []

    def save_name(_parent, _caption, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(Path(suggested).name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.actionBackup.trigger()
    assert target.is_file()
    # The backup holds every year: the name offered is the day's, not the year on screen.
    assert offered == [f"evaldesk-{date.today():%Y%m%d}.sqlite3"]
    assert "バックアップを保存しました" in window.last_message

    sample_desk.update_program(2024, "17", {"purpose": "バックアップの後で書いた目的。"})
    confirmations: list[str] = []

    def confirm(title: str, text: str, on_yes):  # type: ignore[no-untyped-def]
        confirmations.append(text)
        on_yes()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(window, "ask_yes_no", confirm)
    window.actionRestore.trigger()
    assert len(confirmations) == 1 and "manual-backup.sqlite3" in confirmations[0]
    assert sample_desk.program(2024, "17").purpose != "バックアップの後で書いた目的。"
    assert "復元しました" in window.last_message
    assert window.model.rowCount() == 20
