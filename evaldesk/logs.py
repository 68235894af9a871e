"""The log file: tracebacks go here, never to the user's screen."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from evaldesk.paths import log_dir
from evaldesk.safe_paths import make_private

_configured: Path | None = None


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """Log files readable by their owner only (0600), also those begun at each rotation."""

    def _open(self):  # type: ignore[no-untyped-def]
        os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        make_private(Path(self.baseFilename))
        return super()._open()


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file in the per-user log folder; return its path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "evaldesk.log"
    try:
        handler: logging.Handler = _PrivateFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("evaldesk")
    root.setLevel(level)
    root.addHandler(handler)
    _configured = path
    return path
