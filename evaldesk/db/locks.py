"""Who may write when: writers share the database, a restore has it to itself for its whole span.

SQLite: a restore holds the file's write lock (``BEGIN IMMEDIATE``) from before its safety copy to its
commit, so no other process can commit in between. PostgreSQL: every write transaction first takes a
shared advisory lock, a restore the exclusive one; a restore waits for writers under way, and
writers that start meanwhile wait for the restore, then work on the restored data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

WRITERS_LOCK = 0x65766C64  # "evld": one advisory lock key for the whole database


def writer(session: Session) -> None:
    """Call first in a write transaction: it waits while a restore runs.

    SQLite: the transaction takes the write lock at once (``BEGIN IMMEDIATE``), so what it reads is
    what it writes over: no other process can commit between its reads and its writes.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": WRITERS_LOCK})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other writer can commit beside; commits on success."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # we issue BEGIN ourselves
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")
        return
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITERS_LOCK})
        yield conn
