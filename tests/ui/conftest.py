"""UI fixtures: settings in a temporary INI file, the main window over a test database, a sync runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from evaldesk.desk import Desk
from ui.runner import SyncRunner

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test gets its own settings file; the user's real settings are never read or written."""
    from ui import settings as settings_module

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder / "system"))
    settings_module.reset_settings()
    yield folder
    settings_module.reset_settings()


@pytest.fixture(autouse=True)
def _no_qt_catalog_left(qapp: QApplication) -> Iterator[None]:
    """A test that runs ``main()`` installs Qt's own catalog; the next test starts without it."""
    from ui.i18n import remove_qt_translations

    yield
    remove_qt_translations(qapp)


@pytest.fixture(scope="session", autouse=True)
def _fonts(qapp: QApplication) -> None:
    """The bundled Japanese font, as the application registers it (no tofu in screenshots)."""
    from ui.fonts import register_fonts
    from ui.i18n import set_language

    register_fonts(qapp)
    set_language("ja")


@pytest.fixture
def make_window(qtbot, db_url: str):  # type: ignore[no-untyped-def]
    """Build a main window over ``db_url`` with a synchronous runner (jobs finish before the call returns)."""
    from ui import create_main_window

    def make(db: str = db_url):  # type: ignore[no-untyped-def]
        window = create_main_window(db, runner=SyncRunner())
        qtbot.addWidget(window)
        window._close_confirmed = True  # type: ignore[attr-defined] # tests of the close prompt turn it back on
        return window

    return make


@pytest.fixture
def window(make_window, sample_desk: Desk):  # type: ignore[no-untyped-def]
    """The main window over the FY2024 sample (20 programs), shown."""
    w = make_window(sample_desk.url)
    w.show()
    return w
