"""Start-up: settings kept apart from the user's real ones, one-sentence errors, the log, the self-test."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui import app as app_module
from ui.settings import DEFAULT_FIELD_LIMITS, Settings, reset_settings, settings


def test_settings_defaults_and_round_trip(_isolated_settings: Path) -> None:
    s = settings()
    assert Path(s.path()).is_relative_to(_isolated_settings)  # never the user's real settings
    assert s.language == "ja"
    assert s.db_url == ""
    assert s.field_limits == DEFAULT_FIELD_LIMITS == {"purpose": 200, "overview": 400, "outcome": 400}
    assert s.compare_from_year is None
    assert s.window_geometry.isEmpty()
    s.language = "en"
    s.field_limits = {"purpose": 150, "overview": 400, "outcome": 380}
    s.compare_from_year = 2023
    s.last_import_dir = "C:/評価/R6"
    s.window_state = QByteArray(b"\x00\x01state")
    reset_settings()
    again = settings()
    assert again is not s
    assert again.language == "en"
    assert again.field_limits["purpose"] == 150
    assert again.compare_from_year == 2023
    assert again.last_import_dir == "C:/評価/R6"
    assert bytes(again.window_state.data()) == b"\x00\x01state"
    assert {
        "window_geometry",
        "window_state",
        "last_import_dir",
        "last_export_dir",
        "language",
        "db_url",
        "field_limits",
        "compare_from_year",
        "compare_to_year",
    } <= set(Settings.declared())


def test_damaged_limits_fall_back_to_defaults() -> None:
    s = settings()
    s.qsettings.setValue(Settings.field_limits.key, "{not json")
    assert s.field_limits == DEFAULT_FIELD_LIMITS


def test_database_that_cannot_be_opened_is_one_sentence(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_critical", shown.append)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own; put it back after
    bad = tmp_path / "not-a-database.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    assert app_module.main(["--db", str(bad)]) == 1
    assert len(shown) == 1
    assert "\n" not in shown[0] and "Traceback" not in shown[0]


def test_excepthook_logs_the_traceback_and_shows_one_sentence(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module.install_excepthook(tmp_path / "evaldesk.log")
    try:
        raise ValueError("boom")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR, logger="evaldesk.ui"):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    assert "ValueError: boom" in caplog.text
    box = app_module._open_boxes[-1]
    assert "予期しないエラー" in box.text() and "boom" not in box.text()
    box.close()


def test_self_test_flag_runs_the_core_steps_and_the_window_step(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.selftest

    labels: list[list[str]] = []

    def fake(*, extra_steps: Any) -> int:
        labels.append([label for label, _step in extra_steps])
        return 1  # a failed step: the program's exit code says so

    monkeypatch.setattr(ui.selftest, "run_self_test", fake)
    assert app_module.main(["--self-test"]) == 1
    assert labels == [[ui.selftest.WINDOW_STEP]]


def test_qt_own_buttons_and_dialogs_speak_the_chosen_language(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OK/Cancel, the file dialogs and the edit menus of text fields come from Qt's own catalog."""
    from PySide6.QtWidgets import QDialogButtonBox

    from ui import i18n

    def texts() -> set[str]:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        return {b.text() for b in buttons.buttons()}

    try:
        assert i18n.install_qt_translations(qapp)
        assert texts() == {"OK", "キャンセル", "デフォルトに戻す"}
        i18n.set_language("en")
        assert not i18n.install_qt_translations(qapp)
        assert texts() == {"OK", "Cancel", "Restore Defaults"}
    finally:
        i18n.set_language("ja")
        i18n.remove_qt_translations(qapp)


def test_start_up_installs_qt_translations(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import i18n

    installed: list[str] = []
    monkeypatch.setattr(app_module, "install_qt_translations", lambda app: installed.append(i18n.language()))
    monkeypatch.setattr(app_module, "run_gui_self_test", lambda: 0)
    assert app_module.main(["--self-test"]) == 0
    assert installed == ["ja"]
