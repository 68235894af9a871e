"""The schema: migrations known without Alembic at start-up match Alembic's own view."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from evaldesk.db import migrate


def test_fast_revision_list_matches_alembic() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head_revision()]
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert ordered == migrate.known_revisions()
