"""Engine and sessions: SQLite pragmas (WAL, foreign keys), PostgreSQL, and migration at start-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from evaldesk.errors import DatabaseError
from evaldesk.redaction import redact_url, remember


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    remember(url)  # its password is masked in every later message and log line
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 10})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DatabaseError(f"データベース {redact(url)} を開けません: {exc}") from exc
    return engine


def enable_wal(engine: Engine) -> None:
    """Put a SQLite file in WAL mode (stored in the file itself). Called only once the file is known to
    be an evaldesk database: a refused file (newer schema, another program's) is left byte for byte."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def sqlite_path(url: str) -> Path | None:
    """The file of a sqlite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite:///"):
        return None
    raw = url[len("sqlite:///") :]
    if not raw or raw == ":memory:":
        return None
    return Path(raw)


def redact(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return redact_url(url)
