"""The main window opens over the sample year and shows it."""

from __future__ import annotations

from ui.mainwindow import MainWindow


def test_window_shows_sample_year(window: MainWindow) -> None:
    assert window.yearCombo.currentText() == "令和6年度（2024）"
    assert window.model.rowCount() == 20
    assert window.current is not None
    assert window.current.program_id == "1"
    assert window.editor.nameEdit.text() == "秘書業務"
