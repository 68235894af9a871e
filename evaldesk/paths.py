"""Where the data lives: the per-user data folder, the default database and backups."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from evaldesk.safe_paths import private_dir

APP_NAME = "evaldesk"
ENV_DB = "EVALDESK_DB"
ENV_DATA = "EVALDESK_DATA_DIR"


def data_dir() -> Path:
    """Per-user data folder (overridable with EVALDESK_DATA_DIR, e.g. for tests and portable use)."""
    override = os.environ.get(ENV_DATA)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(path)  # 0700: every text of the city is in there


def default_db_path() -> Path:
    return data_dir() / "evaldesk.sqlite3"


def log_dir() -> Path:
    path = (
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
        if not os.environ.get(ENV_DATA)
        else data_dir() / "logs"
    )
    return private_dir(path)


def resolve_db_url(db: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from --db (path or URL), else EVALDESK_DB, else the embedded default file."""
    value = str(db) if db else os.environ.get(ENV_DB) or ""
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
