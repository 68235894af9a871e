"""search index: SQLite FTS5 trigram over the folded program texts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL searches search_text with LIKE; no extra index needed at city scale.
    op.execute(
        "CREATE VIRTUAL TABLE programs_fts USING fts5("
        "search_text, content='programs', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER programs_fts_ai AFTER INSERT ON programs BEGIN "
        "INSERT INTO programs_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER programs_fts_ad AFTER DELETE ON programs BEGIN "
        "INSERT INTO programs_fts(programs_fts, rowid, search_text) VALUES('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER programs_fts_au AFTER UPDATE OF search_text ON programs BEGIN "
        "INSERT INTO programs_fts(programs_fts, rowid, search_text) VALUES('delete', old.id, old.search_text); "
        "INSERT INTO programs_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute("INSERT INTO programs_fts(programs_fts) VALUES('rebuild')")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for trigger in ("programs_fts_ai", "programs_fts_ad", "programs_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS programs_fts")
