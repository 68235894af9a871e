"""Putting a backup back, without losing anything on the way.

1. The backup is copied and the copy checked and migrated: only a file that opens as a current evaldesk
   database replaces anything (a damaged file, another program's, one from a newer version: refused,
   the database untouched). The backup itself is only read, byte for byte.
2. With every other writer shut out (``locks.exclusive``) a safety copy of the current state is made
   and the data replaced in one transaction, so no edit can commit between the two.
3. The history is kept: entries made after the backup stay, the texts the restore replaced become
   entries of their own (how="restore"), and no program's revision goes backwards.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from evaldesk.backup import BackupCheckError, check_file, copy_sqlite_file
from evaldesk.db import locks, migrate, queries
from evaldesk.db.engine import make_engine, sqlite_path
from evaldesk.db.models import Base
from evaldesk.errors import DatabaseDamagedError, DatabaseVersionError, EvaldeskError
from evaldesk.records import TEXT_FIELDS, Program
from evaldesk.safe_paths import create_private_file, private_dir, remove_with_side_files
from evaldesk.users import current_user

Key = tuple[int, str]
HISTORY_KEY = ("fiscal_year", "program_id", "field", "old", "new", "at", "user", "how", "revision")


def restore_database(
    engine: Engine, path: Path, *, workdir: Path, safety: Callable[[Connection], Path]
) -> Path:
    """Replace the data with the backup at ``path``; ``safety(conn)`` makes the copy of the current
    state through the locked connection. Returns what ``safety`` returned."""
    copy = prepare_copy(path, workdir)
    try:
        try:
            with locks.exclusive(engine) as conn:
                saved = safety(conn)
                replace_data(conn, copy)
        except DatabaseDamagedError:
            db_file = sqlite_path(str(engine.url))
            if db_file is None:
                raise
            return _replace_damaged_file(engine, db_file, copy, workdir)
        return saved
    finally:
        remove_with_side_files(copy)


def _replace_damaged_file(engine: Engine, db_file: Path, copy: Path, workdir: Path) -> Path:
    """The database is damaged (no checked copy of it can be made, its rows cannot be trusted): keep
    its bytes as they are beside the backups, then put the whole checked copy in its place."""
    engine.dispose()
    damaged = workdir / f"damaged-{datetime.now():%Y%m%d-%H%M%S-%f}.sqlite3"
    create_private_file(damaged)
    shutil.copyfile(db_file, damaged)
    wal = Path(f"{db_file}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        shutil.copyfile(wal, f"{damaged}-wal")
    copy_sqlite_file(copy, db_file, journal="WAL")
    engine.dispose()
    return damaged


def _refuse(path: Path, why: str) -> EvaldeskError:
    return EvaldeskError(
        f"{path.name} は evaldesk のバックアップとして使えません（{why}）。何も変更していません。"
    )


def prepare_copy(path: Path, workdir: Path) -> Path:
    """A checked copy of the backup, migrated to the current schema, in ``workdir`` (deleted by the caller)."""
    if not path.is_file():
        raise EvaldeskError(f"バックアップファイル {path} が見つかりません。")
    private_dir(workdir)
    copy = workdir / f".restore-{os.getpid()}-{datetime.now():%Y%m%d%H%M%S%f}.sqlite3"
    try:
        create_private_file(copy)
        shutil.copyfile(path, copy)  # plain reads: works from read-only media, leaves nothing beside it
        wal = Path(f"{path}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            shutil.copyfile(wal, f"{copy}-wal")
        _first_look(path, copy)
        copy_engine = make_engine(f"sqlite:///{copy}")
        try:
            migrate.upgrade(copy_engine)
            if migrate.current_revision(copy_engine) != migrate.head_revision():
                raise _refuse(path, "版が分かりません")
        except DatabaseVersionError as exc:
            raise _refuse(path, "新しい版の evaldesk で作られています。evaldesk を更新してください") from exc
        except SQLAlchemyError as exc:
            raise _refuse(
                path, f"更新できません: {' '.join(str(getattr(exc, 'orig', None) or exc).split())[:200]}"
            ) from exc
        finally:
            copy_engine.dispose()
        check_file(copy)
    except BackupCheckError as exc:
        remove_with_side_files(copy)
        raise _refuse(path, str(exc)) from exc
    except OSError as exc:
        remove_with_side_files(copy)
        raise EvaldeskError(f"{path.name} を読めません（{exc.strerror or exc}）。") from exc
    except BaseException:
        remove_with_side_files(copy)
        raise
    return copy


def _first_look(path: Path, copy: Path) -> None:
    """Whole and holding a programs table; the full check comes after the migration."""
    try:
        conn = sqlite3.connect(f"file:{copy}?mode=rw", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _refuse(path, f"SQLite のデータベースではありません: {exc}") from exc
    if ok != [("ok",)]:
        raise _refuse(path, "壊れています")
    if "programs" not in tables:
        raise _refuse(path, "evaldesk のデータではありません")


def _programs(conn: Connection) -> dict[Key, Program]:
    return {
        (p.fiscal_year, p.program_id): p
        for p in map(queries.program_from_row, conn.execute(queries.program_select()))
    }


def replace_data(live: Connection, copy: Path) -> None:
    """Put the rows of ``copy`` in place of the live ones (history kept and extended)."""
    src = create_engine(f"sqlite:///{copy}")
    try:
        with src.connect() as s:
            rows = {
                t.name: [dict(r._mapping) for r in s.execute(select(t))] for t in Base.metadata.sorted_tables
            }
            after = _programs(s)
    finally:
        src.dispose()
    before = _programs(live)
    h = Base.metadata.tables["history"]
    last_revision: dict[Key, int] = {
        (int(y), str(p)): int(r)
        for y, p, r in live.execute(
            select(h.c.fiscal_year, h.c.program_id, func.max(h.c.revision)).group_by(
                h.c.fiscal_year, h.c.program_id
            )
        )
    }
    known_history = {tuple(r) for r in live.execute(select(*(h.c[k] for k in HISTORY_KEY)))}
    for table in reversed(Base.metadata.sorted_tables):
        if table is not h:
            live.execute(delete(table))
    user, at = current_user(), queries.now()
    new_history: list[dict[str, Any]] = []
    year_of = {r["id"]: r["year"] for r in rows["fiscal_years"]}
    for row in rows["programs"]:
        key = (int(year_of[row["fiscal_year_id"]]), str(row["program_id"]))
        old, new = before.get(key), after[key]
        seen = max(old.revision if old else 0, last_revision.get(key, 0))
        if old is not None and old.texts() == new.texts():
            row["revision"] = max(row["revision"], seen)
        elif seen:
            row["revision"] = max(row["revision"], seen) + 1
            row.update(updated_at=at, updated_by=user)
        if old is not None:
            new_history += _entries(key, old, new, revision=row["revision"], at=at, user=user)
    for key, old in before.items():
        if key not in after:  # a year or program the backup does not have: its texts go to the history
            rev = max(old.revision, last_revision.get(key, 0)) + 1
            new_history += _entries(key, old, None, revision=rev, at=at, user=user)
    for table in Base.metadata.sorted_tables:
        if table is not h and rows[table.name]:
            live.execute(insert(table), rows[table.name])
    # Entries only the backup has (it came from elsewhere, or from before a restore of an older copy).
    missing = [
        {k: r[k] for k in HISTORY_KEY}
        for r in rows["history"]
        if tuple(r[k] for k in HISTORY_KEY) not in known_history
    ]
    for batch in (missing, new_history):
        if batch:
            live.execute(insert(h), batch)
    if live.dialect.name == "postgresql":
        reset_sequences(live)


def _entries(
    key: Key, old: Program, new: Program | None, *, revision: int, at: datetime, user: str
) -> list[dict[str, Any]]:
    return [
        dict(
            fiscal_year=key[0],
            program_id=key[1],
            field=f,
            old=old.text(f),
            new=new.text(f) if new else None,
            at=at,
            user=user,
            how="restore",
            revision=revision,
        )
        for f in TEXT_FIELDS
        if new is None or old.text(f) != new.text(f)
    ]


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: explicit ids were copied, so move each id sequence past them."""
    for table in Base.metadata.sorted_tables:
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
