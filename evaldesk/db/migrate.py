"""Schema migrations (Alembic) at start-up: back up first, refuse a database from a newer version."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from evaldesk.errors import DatabaseVersionError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def known_revisions() -> list[str]:
    """Revision ids of the bundled scripts, oldest first (each file is named after its id: 0002_…py)."""
    return list(_bundled_revisions())


@cache
def _bundled_revisions() -> tuple[str, ...]:
    """Read once per process: the bundled scripts do not change while it runs, and a process that has
    dropped to a user who cannot list the installation still opens databases."""
    return tuple(sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")))


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(engine: Engine) -> str | None:
    """The stamped revision, read with plain SQL so a normal start never imports Alembic (slow)."""
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except SQLAlchemyError:
            return None
    return str(row[0]) if row else None


def upgrade(engine: Engine, *, before: Callable[[str | None, str], None] | None = None) -> bool:
    """Bring the schema to head; ``before(current, head)`` runs first (the backup). True if it migrated."""
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return False
    if current is not None and current not in known_revisions():
        raise DatabaseVersionError(
            "このデータベースは新しい版の evaldesk で作られています。壊さないよう開きませんでした。"
            "evaldesk を更新してください。"
        )
    if current is None:
        tables = set(inspect(engine).get_table_names())
        if tables and "programs" not in tables:
            raise DatabaseVersionError("このデータベースは evaldesk のものではありません。")
    if before is not None and current is not None:
        before(current, head)
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True


def upgrade_to(engine: Engine, revision: str) -> None:
    """Build a new database's schema as it was at ``revision`` (a backup of an older database)."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
