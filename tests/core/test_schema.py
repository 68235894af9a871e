"""The schema: migrations known without Alembic at start-up match Alembic's own view; the core stays Qt-free."""

from __future__ import annotations

import subprocess
import sys

from alembic.script import ScriptDirectory

from evaldesk.db import migrate


def test_fast_revision_list_matches_alembic() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.head_revision()]
    ordered = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert ordered == migrate.known_revisions()


def test_core_never_imports_qt() -> None:
    code = (
        "import sys, evaldesk, evaldesk.desk, evaldesk.cli, evaldesk.importer, evaldesk.export, "
        "evaldesk.compare; assert 'PySide6' not in sys.modules, 'the core imported Qt'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
