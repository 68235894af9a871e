"""One revision sequence per program: `import --replace` beside edits never reuses a revision number.

Real processes: an editor saving in a loop while the command line re-imports the year, on SQLite and
on the throwaway PostgreSQL server (where the revision collisions were found).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from evaldesk.desk import Desk
from tests.core.cliproc import cli, spawn
from tests.core.tablegen import make_programs, make_table_pdf

EDITOR = """
import sys, time
from evaldesk.desk import Desk

desk = Desk(sys.argv[1])
ids = sys.argv[2].split(",")
print("ready", flush=True)
i = 0
while True:
    i += 1
    pid = ids[i % len(ids)]
    try:
        ch = desk.update_program(2024, pid, {"outcome": f"編集{i}"})
    except Exception as exc:
        print(f"failed {pid} {type(exc).__name__}", flush=True)
        continue
    print(f"saved {pid} {ch.program.revision}", flush=True)
    time.sleep(0.005)  # a busy office, not a tight loop: SQLite's lock waiters are not queued fairly
"""


def _race(url: str, tmp_path: Path, *, imports: int) -> None:
    programs = make_programs(12, seed=21)
    pdf = make_table_pdf(tmp_path / "r6.pdf", programs)
    assert cli(url, "import", pdf, "--year", "2024").code == 0
    with Desk(url) as desk:
        ids = [p.program_id for p in desk.programs(2024)][:4]
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    log = tmp_path / "editor.log"
    proc = spawn([script, url, ",".join(ids)], log=log)
    try:
        start = time.monotonic()
        while not log.read_bytes().startswith(b"ready"):
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() - start < 60
            time.sleep(0.01)
        for _ in range(imports):
            done = cli(url, "import", pdf, "--year", "2024", "--replace")
            assert done.code == 0, done.err
    finally:
        proc.kill()
        proc.wait(30)
    saved = [
        line.split() for line in log.read_text(encoding="utf-8").splitlines()[1:] if line.startswith("saved")
    ]
    assert len(saved) > 10
    with Desk(url) as desk:
        for pid in ids:
            hist = desk.history(2024, pid)
            # Each revision is one event: at most one entry per (revision, field), of one kind.
            per_field = Counter((h.revision, h.field) for h in hist)
            reused = {k: n for k, n in per_field.items() if n > 1}
            assert reused == {}, (pid, reused)
            kinds: dict[int, set[str]] = {}
            for h in hist:
                kinds.setdefault(h.revision, set()).add(h.how)
            assert all(len(k) == 1 for k in kinds.values()), (pid, kinds)
            # The revisions reported to the editor are all different and the program is past them.
            mine = [int(r) for _, p, r in saved if p == pid]
            assert len(mine) == len(set(mine))
            assert desk.program(2024, pid).revision >= max(mine, default=0)
        print(f"\n{len(saved)} edits beside {imports} re-imports: no revision reused")


@pytest.mark.slow
def test_replace_beside_edits_never_reuses_a_revision_sqlite(tmp_path: Path) -> None:
    _race(f"sqlite:///{tmp_path / 'office.sqlite3'}", tmp_path, imports=6)


@pytest.mark.slow
@pytest.mark.postgres
def test_replace_beside_edits_never_reuses_a_revision_postgres(pg_url: str, tmp_path: Path) -> None:
    _race(pg_url, tmp_path, imports=10)
