"""The Qt front end of evaldesk; it reaches the core only through ``evaldesk.desk.Desk``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.none_guard import keep_none_alive

keep_none_alive()  # before any Qt call: PySide6 6.12 on Python 3.11 loses a reference per void call

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from ui.runner import Runner


def create_main_window(db: str, *, runner: Runner | None = None) -> QMainWindow:
    """Open the database ``db`` (a path or SQLAlchemy URL) and build the main window over it.

    Raises the core's ``EvaldeskError`` (one sentence) when the database cannot be opened.
    """
    from evaldesk.desk import Desk
    from ui.mainwindow import MainWindow
    from ui.runner import Runner

    desk = Desk(db or None)
    try:
        own_runner = runner or Runner()
        window = MainWindow(desk, own_runner)
    except BaseException:
        desk.close()
        raise
    if runner is None:
        own_runner.setParent(window)
    window.destroyed.connect(desk.close)
    return window


__all__ = ["create_main_window"]
