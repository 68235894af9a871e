"""The ``evaldesk-gui`` entry point: settings, fonts, language, then the main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from evaldesk import __version__
from evaldesk.errors import EvaldeskError
from evaldesk.logs import setup_logging
from evaldesk.messages import user_message
from ui.fonts import register_fonts
from ui.i18n import install_qt_translations, set_language, tr
from ui.message_boxes import fit_message_box, message_box
from ui.selftest import run_gui_self_test
from ui.settings import APPLICATION, ORGANIZATION, settings

log = logging.getLogger("evaldesk.ui")
_open_boxes: list[QMessageBox] = []


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="evaldesk-gui", description="evaldesk desktop program")
    parser.add_argument("--db", default=None, help="database file path or SQLAlchemy URL")
    parser.add_argument("--lang", choices=("ja", "en"), default=None, help="display language for this run")
    parser.add_argument("--self-test", action="store_true", help="check the installation and exit")
    parser.add_argument("--version", action="version", version=f"evaldesk {__version__}")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def install_excepthook(log_file: Path | None) -> None:
    """Unexpected errors: the traceback goes to the log file, the user sees one sentence."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        message = (
            str(value)
            if isinstance(value, EvaldeskError)
            else tr(
                "予期しないエラーが起きました。作業は続けられます。詳しくはログファイル {path} をご覧ください。",
                path=str(log_file),
            )
        )
        app = QApplication.instance()
        if app is not None:
            box = message_box(QMessageBox.Icon.Warning, tr("evaldesk"), message)
            _open_boxes.append(box)  # no parent: keep it alive until it is closed
            box.finished.connect(lambda _r: _open_boxes.remove(box))
            box.open()

    sys.excepthook = hook


RETRY, LOCAL, QUIT = "retry", "local", "quit"


def show_critical(message: str) -> None:
    """Start-up failed: one sentence, before any window exists (so it may block)."""
    message_box(QMessageBox.Icon.Critical, tr("evaldesk"), message).exec()


def ask_unreachable(database: str, reason: str) -> str:
    """The configured shared database cannot be reached: RETRY, LOCAL (this PC's file) or QUIT."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        tr("evaldesk"),
        tr("設定されている共有データベース {db} に接続できません。", db=database),
    )
    box.setObjectName("unreachableBox")
    box.setInformativeText(
        reason
        + "\n"
        + tr("この PC のファイルを開くと、共有データベースの内容は見えず、変更もそちらには保存されません。")
    )
    retry = box.addButton(tr("再試行"), QMessageBox.ButtonRole.AcceptRole)
    local = box.addButton(tr("この PC のファイルを開く"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr("終了"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(retry)
    fit_message_box(box)
    box.exec()  # before any window exists: nothing else to keep responsive
    clicked = box.clickedButton()
    return RETRY if clicked is retry else LOCAL if clicked is local else QUIT


def open_window(db: str, *, configured: bool) -> QMainWindow | None:
    """The main window over ``db``; a configured shared database that cannot be reached is never
    silently replaced by the local file: the user is told and chooses (None: quit)."""
    from evaldesk.db.engine import redact
    from evaldesk.errors import DatabaseError
    from ui import create_main_window

    while True:
        try:
            return create_main_window(db)
        except DatabaseError as exc:
            if not configured:
                raise
            log.warning("configured database unreachable: %s", exc)
            answer = ask_unreachable(redact(db), str(exc))
            if answer == QUIT:
                return None
            if answer == LOCAL:
                return create_main_window("")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_file = setup_logging()
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "evaldesk"])
    assert isinstance(app, QApplication)
    s = settings()
    register_fonts(app)
    set_language(args.lang or s.language)
    install_qt_translations(app)
    if args.self_test:
        return run_gui_self_test()
    install_excepthook(log_file)

    from ui.mainwindow import app_icon

    app.setWindowIcon(app_icon())
    db = args.db or s.db_url
    try:
        window = open_window(db, configured=not args.db and bool(s.db_url))
    except Exception as exc:  # one message for the user; the log keeps the traceback
        log.exception("start-up failed")
        show_critical(user_message(exc, doing="起動", log_file=log_file, tr=tr))
        return 1
    if window is None:
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
