"""Schema migrations (Alembic) at start-up: back up first, refuse a database from a newer version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from evaldesk.errors import DatabaseVersionError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, *, before: Callable[[str | None, str], None] | None = None) -> bool:
    """Bring the schema to head; ``before(current, head)`` runs first (the backup). True if it migrated."""
    script = ScriptDirectory.from_config(_config())
    head = head_revision()
    current = current_revision(engine)
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:
            raise DatabaseVersionError(
                "このデータベースは新しい版の evaldesk で作られています。壊さないよう開きませんでした。"
                "evaldesk を更新してください。"
            ) from exc
    if current == head:
        return False
    if current is None and inspect(engine).get_table_names():
        tables = set(inspect(engine).get_table_names())
        if "programs" not in tables:
            raise DatabaseVersionError("このデータベースは evaldesk のものではありません。")
    if before is not None and current is not None:
        before(current, head)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
