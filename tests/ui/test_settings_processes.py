"""Settings survive a restart: written by one process, read by the next (Qt's INI General trap)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from ui import app as app_module
from ui.settings import reset_settings, settings

REPO = Path(__file__).resolve().parents[2]
PG_DOWN = "postgresql+psycopg://hyoka@127.0.0.1:1/evaldesk"
"""A server address nothing listens on: the connection is refused at once."""


def _run(folder: Path, code: str) -> str:
    """Run ``code`` in a fresh interpreter whose settings live in ``folder``; its standard output."""
    prelude = (
        "from PySide6.QtCore import QSettings\n"
        f"QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(folder)!r})\n"
        "from ui.settings import settings\n"
        "s = settings()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_language_and_database_written_by_one_process_are_read_by_the_next(tmp_path: Path) -> None:
    _run(tmp_path, f"s.language = 'en'; s.db_url = {PG_DOWN!r}; s.sync()")
    _run(tmp_path, f"s.language = 'en'; s.db_url = {PG_DOWN!r}; s.sync()")  # saved twice, as in use
    out = _run(tmp_path, "print(s.language, s.db_url, s.qsettings.fileName())")
    language, url, file_name = out.split(" ", 2)
    assert (language, url) == ("en", PG_DOWN)
    ini = Path(file_name).read_text(encoding="utf-8")
    assert "General" not in ini  # Qt's reserved group: never written, so never misread


def test_settings_an_older_version_wrote_under_general_are_migrated(tmp_path: Path) -> None:
    ini = tmp_path / "evaldesk" / "evaldesk.ini"
    ini.parent.mkdir()
    old = f"[%General]\ndb_url={PG_DOWN}\nlanguage=en\n\n"
    ini.write_text(old * 3 + "[window]\nlast_year=2023\n", encoding="utf-8")
    assert _run(tmp_path, "print(s.language, s.db_url, s.last_year)") == f"en {PG_DOWN} 2023"
    text = ini.read_text(encoding="utf-8")
    assert "%General" not in text and text.count(PG_DOWN) == 1
    assert _run(tmp_path, "print(s.language, s.db_url)") == f"en {PG_DOWN}"


def test_unreachable_shared_database_is_named_not_replaced_by_the_local_file(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = settings()
    s.db_url = PG_DOWN
    s.sync()
    reset_settings()
    asked: list[tuple[str, str]] = []
    opened: list[str] = []

    def ask(database: str, reason: str) -> str:
        asked.append((database, reason))
        return app_module.QUIT

    monkeypatch.setattr(app_module, "ask_unreachable", ask)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import ui

    real = ui.create_main_window

    def create(db: str, **kw: Any) -> Any:
        opened.append(db)
        return real(db, **kw)

    monkeypatch.setattr(ui, "create_main_window", create)
    assert app_module.main([]) == 1
    assert opened == [PG_DOWN]  # the local file was not opened behind the user's back
    assert len(asked) == 1 and "127.0.0.1" in asked[0][0]


def test_the_user_may_choose_this_pcs_file_when_the_server_is_down(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "ask_unreachable", lambda database, reason: app_module.LOCAL)
    window = app_module.open_window(PG_DOWN, configured=True)
    assert window is not None
    try:
        assert window.desk.url.startswith("sqlite:///")  # type: ignore[attr-defined]
    finally:
        window._close_confirmed = True  # type: ignore[attr-defined]
        window.close()
        window.deleteLater()
