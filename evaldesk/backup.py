"""Database backups: one SQLite file each (SQLite online backup API, or a table copy of a PostgreSQL
database), checked before it counts, written in rollback-journal mode so it opens from read-only media."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from evaldesk.db import migrate
from evaldesk.db.engine import sqlite_path
from evaldesk.db.models import Base
from evaldesk.errors import DatabaseDamagedError, DatabaseError, EvaldeskError
from evaldesk.safe_paths import (
    create_private_file,
    make_private,
    pid_alive,
    private_dir,
    remove_with_side_files,
)

DEFAULT_KEEP = 20
PARTIAL = ".partial"


class BackupCheckError(EvaldeskError):
    """A file that is not a whole evaldesk database (damaged, another program's, empty)."""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def backup_database(
    engine: Engine,
    url: str,
    folder: Path,
    *,
    reason: str,
    keep: int = DEFAULT_KEEP,
    source: Connection | None = None,
) -> Path:
    """Copy the whole database to ``folder`` as one SQLite file (mode 0600), check the copy, then keep
    the newest ``keep`` backups. A copy that fails or does not pass its check is deleted and reported.

    ``source`` is a connection to read a PostgreSQL database through (a restore's locked one).
    """
    private_dir(folder)
    final = folder / f"evaldesk-{_stamp()}-{reason}.sqlite3"
    partial = folder / f".{final.name}.{os.getpid()}{PARTIAL}"
    try:
        create_private_file(partial)
        source_file = sqlite_path(url)
        if source_file is not None:
            copy_sqlite_file(source_file, partial)
        elif source is not None:
            _write_tables(source, partial)
        else:
            with engine.connect() as conn:
                _write_tables(conn, partial)
        check_file(partial)
        os.replace(partial, final)
    except BackupCheckError as exc:
        remove_with_side_files(partial)
        raise DatabaseDamagedError(str(exc)) from exc
    except (sqlite3.Error, OSError, SQLAlchemyError) as exc:
        remove_with_side_files(partial)
        reason_text = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise DatabaseError(f"バックアップを作成できませんでした: {reason_text}") from exc
    except BaseException:
        remove_with_side_files(partial)
        raise
    prune(folder, keep=keep)
    return final


def copy_sqlite_file(source: Path, target: Path, *, journal: str = "DELETE") -> None:
    """The one use of SQLite's online backup API: a consistent copy of ``source`` while others work,
    left in rollback-journal mode (a WAL file cannot be opened on read-only media) unless told."""
    src = sqlite3.connect(source, timeout=10)
    try:
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
            dst.execute(f"PRAGMA journal_mode={journal}")
        finally:
            dst.close()
    finally:
        src.close()


def _write_tables(src: Connection, target: Path) -> None:
    """A SQLite file holding every table of a (PostgreSQL) database at the schema revision it has now
    (a backup taken before a migration must not claim tables or columns the source does not have)."""
    revision = str(src.execute(text("SELECT version_num FROM alembic_version")).scalar())
    dst = create_engine(f"sqlite:///{target}")
    try:
        migrate.upgrade_to(dst, revision)
        with dst.begin() as d_conn:
            for table in Base.metadata.sorted_tables:
                if _since(table.info) > revision:
                    continue
                columns = [c for c in table.columns if _since(c.info) <= revision]
                rows = [dict(r._mapping) for r in src.execute(select(*columns))]
                if rows:
                    d_conn.execute(insert(table), rows)
    finally:
        dst.dispose()


def check_file(path: Path, *, read_only: bool = False) -> None:
    """Raise BackupCheckError unless ``path`` is a whole SQLite file holding every evaldesk table."""
    if not path.is_file() or path.stat().st_size == 0:
        raise BackupCheckError(f"{path.name} は空か、ファイルではありません")
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = _file_revision(conn) if "alembic_version" in tables else ""
            expected = [t for t in Base.metadata.sorted_tables if _since(t.info) <= revision]
            missing = [t.name for t in expected if t.name not in tables]
            if ok != [("ok",)]:
                raise BackupCheckError(f"{path.name} は壊れています（{ok[0][0]}）")
            if missing:
                raise BackupCheckError(f"{path.name} は evaldesk のデータベースではありません")
            for t in expected:  # every column the program reads is there (added later: by the migration)
                names = [c.name for c in t.columns if _since(c.info) <= revision]
                conn.execute(f"SELECT {', '.join(names)} FROM {t.name} LIMIT 1")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupCheckError(f"{path.name} を読めません（{exc}）") from exc


def _file_revision(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else ""


def _since(info: dict[Any, Any]) -> str:
    """The migration that added a table or column (``info={"since": "0003"}``); "" for the first schema.

    A backup taken before a migration has the older schema: what came later is not asked of it.
    """
    return str(info.get("since", ""))


def list_backups(folder: Path) -> list[Path]:
    """Backups, newest first (empty files, left by an old version on a full disk, do not count)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("evaldesk-*.sqlite3") if _size(p) > 0]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def prune(folder: Path, *, keep: int) -> None:
    """Keep the newest ``keep`` backups (the newest was just checked, so a good one always stays);
    remove empty files and the partial copies of backups whose process died."""
    for old in list_backups(folder)[keep:]:
        old.unlink(missing_ok=True)
    for p in folder.glob("evaldesk-*.sqlite3"):
        if _size(p) == 0:
            with contextlib.suppress(OSError):
                p.unlink()
    for p in folder.glob(f".evaldesk-*{PARTIAL}"):
        pid = p.name[: -len(PARTIAL)].rsplit(".", 1)[-1]
        if pid.isdigit() and not pid_alive(int(pid)):
            remove_with_side_files(p)
    for p in folder.glob(".restore-*.sqlite3"):  # the working copy of a killed restore
        pid = p.name.split("-")[1]
        if pid.isdigit() and not pid_alive(int(pid)):
            remove_with_side_files(p)
    for p in folder.glob("evaldesk-*.sqlite3"):
        make_private(p)  # backups written by an older version were 0644
