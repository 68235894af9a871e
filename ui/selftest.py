"""The desktop program's own `--self-test` step: the main window opens (offscreen) over the test database."""

from __future__ import annotations

import os
import sys

from evaldesk.selftest import run_self_test

WINDOW_STEP = "画面（メインウィンドウ）"


def open_main_window(url: str) -> None:
    """Build and show the main window over ``url``, then close it; raises if it does not appear."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui import create_main_window

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "evaldesk"])
    window = create_main_window(url)
    try:
        window.show()
        app.processEvents()
        if not window.isVisible():
            raise RuntimeError("メインウィンドウが表示されませんでした。")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def run_gui_self_test() -> int:
    """The core's self-test, then the window step; 0 if every step passed."""
    return run_self_test(extra_steps=[(WINDOW_STEP, open_main_window)])
