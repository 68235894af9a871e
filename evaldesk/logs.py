"""The log file: tracebacks go here, never to the user's screen (nor, ever, a password)."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from evaldesk.paths import log_dir
from evaldesk.redaction import scrub
from evaldesk.safe_paths import make_private

_configured: Path | None = None
_tried = False


class _LogFileHandler(logging.handlers.RotatingFileHandler):
    """Log files readable by their owner only (0600), also those begun at each rotation; a log that
    cannot be written (a full or vanished disk) is skipped: Python's default prints
    「--- Logging error ---」 and a traceback on the user's screen for every line."""

    def _open(self):  # type: ignore[no-untyped-def]
        os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        make_private(Path(self.baseFilename))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:
        pass


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the per-user log folder; return its path, or None when the folder
    cannot be made or the file opened (the program runs on, without a log)."""
    global _configured, _tried
    if _tried:
        return _configured
    _tried = True
    handler: logging.Handler
    try:
        path: Path | None = log_dir() / "evaldesk.log"
        handler = _LogFileHandler(str(path), maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setFormatter(_ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("evaldesk")
    root.setLevel(level)
    root.addHandler(handler)
    _configured = path
    return path
