"""Who is working: the OS user name recorded in the history."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some containers)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"
