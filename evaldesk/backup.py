"""Database backups: SQLite online backup API, a portable SQLite copy of a PostgreSQL database, restore."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, delete, insert, select, text

from evaldesk.db.engine import sqlite_path
from evaldesk.db.models import Base
from evaldesk.errors import DatabaseError, EvaldeskError

DEFAULT_KEEP = 20
T = TypeVar("T")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def backup_database(engine: Engine, url: str, folder: Path, *, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the whole database to ``folder`` as one SQLite file; keep the newest ``keep`` backups."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"evaldesk-{_stamp()}-{reason}.sqlite3"
    source_file = sqlite_path(url)
    try:
        if source_file is not None:
            src = sqlite3.connect(source_file)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            _copy_tables(engine, create_engine(f"sqlite:///{target}"), create=True)
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"バックアップを作成できませんでした: {exc}") from exc
    prune(folder, keep=keep)
    return target


def _copy_tables(src: Engine, dst: Engine, *, create: bool) -> None:
    if create:
        Base.metadata.create_all(dst)
        from evaldesk.db.migrate import current_revision

        rev = current_revision(src)
        with dst.begin() as conn:
            conn.execute(
                text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
            )
            if rev:
                conn.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": rev})
    with src.connect() as s_conn, dst.begin() as d_conn:
        for table in reversed(Base.metadata.sorted_tables):
            d_conn.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in s_conn.execute(select(table))]
            if rows:
                d_conn.execute(insert(table), rows)
        if d_conn.dialect.name == "postgresql":
            # Explicit ids were copied: move each id sequence past them.
            for table in Base.metadata.sorted_tables:
                d_conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    if create:
        dst.dispose()


def list_backups(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder.glob("evaldesk-*.sqlite3"), key=lambda p: p.name, reverse=True)


def prune(folder: Path, *, keep: int) -> None:
    for old in list_backups(folder)[keep:]:
        old.unlink(missing_ok=True)


def check_backup_file(path: Path) -> None:
    """Refuse a file that is not an evaldesk backup before anything is overwritten."""
    if not path.is_file():
        raise EvaldeskError(f"バックアップファイル {path} が見つかりません。")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise EvaldeskError(f"{path.name} は evaldesk のバックアップではありません（{exc}）。") from exc
    if not ok or ok[0] != "ok" or "programs" not in tables:
        raise EvaldeskError(f"{path.name} は evaldesk のバックアップではないか、壊れています。")


def restore_database(engine: Engine, url: str, path: Path, *, before: Callable[[], T]) -> T:
    """Replace the current database contents with the backup at ``path`` (one transaction).

    ``before`` runs once the file has passed its check and before anything is overwritten (the
    caller's safety copy of the current state); its result is returned.
    """
    check_backup_file(path)
    result = before()
    target_file = sqlite_path(url)
    if target_file is not None:
        engine.dispose()
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target_file)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        engine.dispose()
        return result
    _copy_tables(create_engine(f"sqlite:///{path}"), engine, create=False)
    return result
