"""Crash safety: `kill -9` an import or a save at several points; the database stays whole.

The write phase is found from outside, without hooks in the code: the database is in WAL mode and
the import writes nothing to it before its one transaction, so the ``-wal`` file growing past a size
means that transaction is under way (pages spilling from the cache, or the commit itself).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evaldesk.desk import Desk
from evaldesk.records import Program
from tests.conftest import truth_table
from tests.core.cliproc import spawn
from tests.core.tablegen import make_programs, make_table_pdf

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("EVALDESK_TEST_PG_URL")),
    reason="SQLite file crash safety; runs in the SQLite pass (PostgreSQL kills: test_postgres.py)",
)

BIG = 1000
OTHER_YEAR = 2024
KILLED_YEAR = 2025


@pytest.fixture(scope="module")
def big_table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A 1,000-program table PDF (about 260 pages) and its records."""
    programs = make_programs(BIG, seed=2025)
    path = make_table_pdf(
        tmp_path_factory.mktemp("big") / "big.pdf", programs, title="令和７年度　事務事業評価結果一覧"
    )
    return path, programs


def _db_with_other_year(tmp_path: Path, n: int = 60) -> tuple[Path, list[Program]]:
    db = tmp_path / "office.sqlite3"
    with Desk(db) as desk:
        desk.import_table(truth_table(make_programs(n, seed=1)), year=OTHER_YEAR, file_name="r6.pdf")
        desk.update_program(OTHER_YEAR, desk.programs(OTHER_YEAR)[0].program_id, {"outcome": "編集済み。"})
        before = desk.programs(OTHER_YEAR)
    return db, before


def _wal_size(db: Path) -> int:
    wal = Path(f"{db}-wal")
    try:
        return wal.stat().st_size
    except FileNotFoundError:
        return 0


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], *, timeout: float = 90) -> None:
    start = time.monotonic()
    while not ready():
        assert proc.poll() is None, f"the child ended (exit {proc.returncode}) before the kill point"
        assert time.monotonic() - start < timeout, "kill point never reached"
        time.sleep(0.002)


def _kill_when(
    proc: subprocess.Popen[bytes], ready: Callable[[], bool], *, may_finish: bool = False
) -> float:
    """Poll until ``ready()``, then SIGKILL the child; the seconds it ran. Fails if it ended first.

    With ``may_finish`` a child that ended cleanly (exit 0) in the same instant is accepted: the last
    kill point, after the commit, races the child's own exit by a few milliseconds.
    """
    start = time.monotonic()
    _wait_until(proc, ready)
    try:
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # already reaped below
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL or (may_finish and proc.returncode == 0), proc.returncode
    return time.monotonic() - start


def _check_file(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The FTS5 search index agrees with the programs table (no half-applied trigger work).
        conn.execute("INSERT INTO programs_fts(programs_fts, rank) VALUES('integrity-check', 1)")
    finally:
        conn.close()


def _after(start: float, seconds: float) -> Callable[[], bool]:
    return lambda: time.monotonic() - start >= seconds


# Start-up, parsing, the transaction's first spilled pages, its bulk, and after the commit (the process
# prints its summary, WAL not yet checkpointed into the database file).
IMPORT_KILLS = ["0.3s", "1.0s", "wal-grows", "wal-3MB", "committed"]


@pytest.mark.slow  # five imports of a 260-page table: 25-50 s on two cores
@pytest.mark.parametrize("point", IMPORT_KILLS)
def test_import_killed_leaves_the_year_absent_or_whole(
    tmp_path: Path, big_table: tuple[Path, list[dict[str, Any]]], point: str
) -> None:
    pdf, programs = big_table
    db, before = _db_with_other_year(tmp_path)
    assert _wal_size(db) == 0  # closed cleanly: the WAL was checkpointed away
    log = tmp_path / "child.log"
    proc = spawn(["-m", "evaldesk", "--db", db, "import", pdf, "--year", str(KILLED_YEAR)], log=log)
    start = time.monotonic()
    ready = {
        "0.3s": _after(start, 0.3),
        "1.0s": _after(start, 1.0),
        "wal-grows": lambda: _wal_size(db) > 0,
        "wal-3MB": lambda: _wal_size(db) > 3_000_000,
        "committed": lambda: "取り込みました".encode() in log.read_bytes(),
    }[point]
    ran = _kill_when(proc, ready, may_finish=point == "committed")

    _check_file(db)
    with Desk(db) as desk:
        assert desk.programs(OTHER_YEAR) == before  # cell for cell, revisions and times included
        years = {y.year: y.programs for y in desk.years()}
        killed = desk.programs(KILLED_YEAR) if KILLED_YEAR in years else []
        assert len(killed) in (0, BIG)
        if point == "committed":
            assert len(killed) == BIG
        if killed:
            assert [p.program_id for p in killed] == [str(r["program_id"]) for r in programs]
        print(f"\nimport killed at {point} after {ran:.2f}s: year {'whole' if killed else 'absent'}")
        # The office carries on: the import can be redone at once.
        desk.import_table(
            truth_table(programs, title_year=KILLED_YEAR), year=KILLED_YEAR, replace=bool(killed)
        )
        assert len(desk.programs(KILLED_YEAR)) == BIG
        assert desk.programs(OTHER_YEAR, "編集済み")[0].outcome == "編集済み。"
    _check_file(db)


SAVER = """
import sys
from evaldesk.desk import Desk

desk = Desk(sys.argv[1])
year = int(sys.argv[2])
ids = [p.program_id for p in desk.programs(year)]
print("ready", flush=True)
i = 0
while True:
    for pid in ids:
        i += 1
        cur = desk.program(year, pid)
        text = f"{i}回目の保存。" + "長い文章𠮷" * 4000
        desk.update_program(year, pid, {"overview": text, "purpose": text[:5000]}, if_revision=cur.revision)
        print(f"saved {pid} {cur.revision + 1}", flush=True)
"""

SAVE_KILLS = ["0.3s", "1.0s", "wal-4MB"]


@pytest.mark.parametrize("point", SAVE_KILLS)
def test_save_killed_is_whole_or_absent(tmp_path: Path, point: str) -> None:
    db, before = _db_with_other_year(tmp_path)
    records = make_programs(40, seed=5)
    with Desk(db) as desk:
        desk.import_table(truth_table(records, title_year=KILLED_YEAR), year=KILLED_YEAR)
        original = {p.program_id: p for p in desk.programs(KILLED_YEAR)}
    script = tmp_path / "saver.py"
    script.write_text(SAVER, encoding="utf-8")
    log = tmp_path / "saver.log"
    proc = spawn([script, db, str(KILLED_YEAR)], log=log)
    _wait_until(proc, lambda: log.read_bytes().startswith(b"ready"))
    start = time.monotonic()
    wal_at_start = _wal_size(db)
    ready = {
        "0.3s": _after(start, 0.3),
        "1.0s": _after(start, 1.0),
        "wal-4MB": lambda: _wal_size(db) > wal_at_start + 4_000_000,
    }[point]
    ran = _kill_when(proc, ready)
    reported = [line.split() for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert all(r[0] == "saved" for r in reported), reported  # the child died of the kill, not of an error

    _check_file(db)
    with Desk(db) as desk:
        assert desk.programs(OTHER_YEAR) == before
        now = {p.program_id: p for p in desk.programs(KILLED_YEAR)}
        saves = 0
        for pid, p in now.items():
            # A save is whole or absent: revision r has exactly both fields in the history, the texts
            # are those of the last whole save, and every earlier save is there too.
            hist = sorted(desk.history(KILLED_YEAR, pid), key=lambda h: (h.revision, h.field))
            assert [(h.revision, h.field) for h in hist] == [
                (r, f) for r in range(2, p.revision + 1) for f in ("overview", "purpose")
            ]
            last = {h.field: h.new for h in hist if h.revision == p.revision}
            assert p.overview == last.get("overview", original[pid].overview)
            assert p.purpose == last.get("purpose", original[pid].purpose)
            assert p.overview.startswith(p.purpose[:8]) or p.revision == 1
            saves += p.revision - 1
        # Every save the child reported done survived the kill (it may have finished one more).
        assert len(reported) <= saves <= len(reported) + 1
        for _, pid, rev in reported:
            assert now[pid].revision >= int(rev)
        print(f"\nsave killed at {point} after {ran:.2f}s: {saves} whole saves, {len(reported)} reported")
        # And editing goes on.
        target = next(iter(now.values()))
        desk.update_program(
            KILLED_YEAR, target.program_id, {"outcome": "再開。"}, if_revision=target.revision
        )
    _check_file(db)
