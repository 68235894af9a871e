"""Every dialog words an error with the core's one ``user_message``, naming what the user was doing."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, truth_table
from ui.compare_view import CompareView
from ui.export_dialog import ExportDialog
from ui.import_dialog import ImportDialog
from ui.mainwindow import MainWindow
from ui.runner import SyncRunner


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def test_an_unexpected_export_failure_speaks_of_the_export(
    qtbot: Any, sample_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    dialog = ExportDialog(sample_desk, SyncRunner(), year=2024)
    qtbot.addWidget(dialog)
    dialog.open()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "a.pdf"), ""))
    monkeypatch.setattr(sample_desk, "export", _boom)
    with caplog.at_level(logging.ERROR):
        dialog.save_button.click()
    text = dialog.error_text()
    assert text.startswith("書き出しに失敗しました。") and "RuntimeError" in text
    assert "取り込" not in text and "boom" not in text  # the details stay in the log
    assert "boom" in caplog.text


def test_an_unexpected_import_failure_speaks_of_the_import(
    qtbot: Any, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ImportDialog(desk, SyncRunner(), path=str(SAMPLE_PDF))
    qtbot.addWidget(dialog)
    dialog.open()
    monkeypatch.setattr(desk, "import_table", _boom)
    dialog.year_edit.setText("2024")
    dialog.import_button.click()
    assert dialog.error_text().startswith("取り込みに失敗しました。")


def test_a_full_disk_while_comparing_says_what_to_do(
    qtbot: Any, sample_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    sample_desk.import_table(truth_table(title_year=2023), year=2023)
    monkeypatch.setattr(sample_desk, "compare", full)
    view = CompareView(sample_desk, SyncRunner(), from_year=2023, to_year=2024)
    qtbot.addWidget(view)
    view.show()
    text = view.error_label.shown_text()
    assert text.startswith("比較に失敗しました。") and "ディスクの空きが足りません" in text


def test_the_window_names_a_failed_backup(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def read_only(**kwargs: Any) -> Path:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "b.sqlite3"))

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "b.sqlite3"), ""))
    monkeypatch.setattr(window.desk, "backup", read_only)
    window.actionBackup.trigger()
    assert window.last_message.startswith("バックアップに失敗しました。")
    assert "読み取り専用" in window.last_message
