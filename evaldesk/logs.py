"""The log file: tracebacks go here, never to the user's screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from evaldesk.paths import log_dir

_configured: Path | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file in the per-user log folder; return its path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "evaldesk.log"
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
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
