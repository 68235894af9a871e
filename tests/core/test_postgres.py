"""Shared office mode: the facade on a PostgreSQL server, two PCs at once, backups, migrations, a crash.

Runs on a throwaway server (tests/pg.py) when the PostgreSQL binaries are installed; skipped, naming
them, otherwise. ``EVALDESK_TEST_PG_URL=auto`` runs the rest of tests/core on PostgreSQL as well.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from alembic import command
from sqlalchemy import text

from evaldesk.db.engine import make_engine
from evaldesk.db.migrate import alembic_config, current_revision, head_revision
from evaldesk.desk import Desk
from evaldesk.errors import DatabaseVersionError, StaleRevisionError
from tests.conftest import load_truth, truth_table
from tests.core.cliproc import cli, spawn
from tests.core.tablegen import make_programs, make_table_pdf

pytestmark = pytest.mark.postgres
TRUTH = cast(list[dict[str, Any]], load_truth()["programs"])


@pytest.fixture
def pg_desk(pg_url: str, tmp_path: Path) -> Iterator[Desk]:
    desk = Desk(pg_url, backup_dir=tmp_path / "backups")
    desk.import_table(truth_table(), year=2024, file_name="r6_sample.pdf")
    yield desk
    desk.close()


def test_import_and_list_exactly(pg_desk: Desk) -> None:
    assert pg_desk.engine.dialect.name == "postgresql" and pg_desk.is_shared and not pg_desk.fts
    got = pg_desk.programs(2024)
    assert [(p.no, p.program_id, p.name, p.department, p.purpose, p.overview, p.outcome) for p in got] == [
        (t["no"], t["program_id"], t["name"], t["department"], t["purpose"], t["overview"], t["outcome"])
        for t in TRUTH
    ]
    assert [(y.year, y.programs) for y in pg_desk.years()] == [(2024, 20)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("防災", {"17", "19", "21", "164"}),
        ("危機管理体制", {"21"}),
        ("ＳＮＳ", {"4", "5", "7", "13", "159"}),
        ("sns", {"4", "5", "7", "13", "159"}),
        ("防災 備蓄", {"17", "19"}),
        ("１００％", {"163"}),  # a real "100%", found width-insensitively
        ("1_0%", set()),  # LIKE wildcards in a query are plain characters
        ("存在しない語句", set()),
    ],
)
def test_search_without_fts_uses_like(pg_desk: Desk, query: str, expected: set[str]) -> None:
    assert {p.program_id for p in pg_desk.programs(2024, query)} == expected


def test_two_pcs_stale_save_refused_newer_text_kept(pg_desk: Desk, tmp_path: Path) -> None:
    other_pc = Desk(pg_desk.url, backup_dir=tmp_path / "pc2")
    try:
        mine = pg_desk.program(2024, "1")
        theirs = other_pc.program(2024, "1")
        assert mine.revision == theirs.revision == 1
        other_pc.update_program(2024, "1", {"purpose": "隣の席で先に保存。"}, if_revision=theirs.revision)
        with pytest.raises(StaleRevisionError) as err:
            pg_desk.update_program(2024, "1", {"purpose": "後から保存。"}, if_revision=mine.revision)
        assert err.value.rejected == {"purpose": "後から保存。"}
        assert err.value.current_values["purpose"] == "隣の席で先に保存。"
        assert pg_desk.program(2024, "1").purpose == "隣の席で先に保存。"
        [h] = pg_desk.history(2024, "1")
        assert (h.old, h.new, h.revision) == (TRUTH[0]["purpose"], "隣の席で先に保存。", 2)
    finally:
        other_pc.close()


def test_simultaneous_saves_exactly_one_wins(pg_desk: Desk, tmp_path: Path) -> None:
    """Two PCs press save in the same instant, twenty times: one save wins each time, none is lost silently."""
    pcs = [Desk(pg_desk.url, backup_dir=tmp_path / f"pc{i}") for i in range(2)]
    try:
        for round_ in range(20):
            revision = pg_desk.program(2024, "2").revision
            barrier = threading.Barrier(2)
            outcome: dict[int, str] = {}

            def save(
                i: int,
                rev: int = revision,
                r: int = round_,
                barrier: threading.Barrier = barrier,
                outcome: dict[int, str] = outcome,
            ) -> None:
                barrier.wait()
                try:
                    pcs[i].update_program(2024, "2", {"overview": f"{r}回目 PC{i}"}, if_revision=rev)
                    outcome[i] = "saved"
                except StaleRevisionError:
                    outcome[i] = "stale"

            threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert sorted(outcome.values()) == ["saved", "stale"], outcome
            winner = next(i for i, o in outcome.items() if o == "saved")
            now = pg_desk.program(2024, "2")
            assert (now.overview, now.revision) == (f"{round_}回目 PC{winner}", revision + 1)
        assert len(pg_desk.history(2024, "2")) == 20
    finally:
        for pc in pcs:
            pc.close()


def test_history_and_restore(pg_desk: Desk) -> None:
    pg_desk.update_program(2024, "17", {"outcome": "一回目。"})
    pg_desk.update_program(2024, "17", {"outcome": "二回目。"})
    hist = pg_desk.history(2024, "17")
    original = next(t["outcome"] for t in TRUTH if t["program_id"] == "17")
    assert [(h.old, h.new) for h in hist] == [("一回目。", "二回目。"), (original, "一回目。")]
    pg_desk.restore_history(hist[-1].id)
    p = pg_desk.program(2024, "17")
    assert (p.outcome, p.revision) == (original, 4)
    assert pg_desk.history(2024, "17")[0].how == "restore"


def test_backup_is_a_sqlite_file_and_restore_resets_sequences(pg_desk: Desk) -> None:
    pg_desk.update_program(2024, "1", {"name": "バックアップ前の名前"})
    copy = pg_desk.backup()
    assert copy.read_bytes()[:16] == b"SQLite format 3\x00"
    with Desk(f"sqlite:///{copy}", backup_dir=copy.parent / "nested") as local:
        assert local.program(2024, "1").name == "バックアップ前の名前"  # a backup opens on a laptop, too

    pg_desk.update_program(2024, "1", {"name": "復元で消える名前"})
    pg_desk.import_table(truth_table(make_programs(5, seed=3), title_year=2025), year=2025)
    safety = pg_desk.restore(copy)
    assert safety.is_file()
    assert pg_desk.program(2024, "1").name == "バックアップ前の名前"
    assert [y.year for y in pg_desk.years()] == [2024]
    assert current_revision(pg_desk.engine) == head_revision()
    # New rows after the restore get fresh ids in every table (the sequences were moved past the copy).
    pg_desk.update_program(2024, "1", {"name": "復元後の名前"})
    pg_desk.import_table(truth_table(make_programs(5, seed=3), title_year=2025), year=2025)
    pg_desk.add_link(from_year=2024, from_program_id="1", to_year=2025, to_program_id="103")
    assert [h.new for h in pg_desk.history(2024, "1")][:1] == ["復元後の名前"]
    assert len(pg_desk.programs(2025)) == 5


def test_cli_against_the_server(pg_desk: Desk) -> None:
    done = cli(pg_desk.url, "list", "--format", "json", "--search", "防災 備蓄")
    assert done.code == 0, done.err
    assert [r["program_id"] for r in done.json()] == ["17", "19"]
    late = cli(pg_desk.url, "edit", "--year", "2024", "--program", "17", "--field", "name",
               "--text", "古い版からの編集", "--if-revision", "0")  # fmt: skip
    assert late.code == 1 and len(late.err.strip().splitlines()) == 1
    assert "古い版からの編集" in late.out


def test_migrations_from_the_first_revision_and_newer_refused(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO fiscal_years (year) VALUES (2023)"))
    engine.dispose()

    with Desk(pg_url, backup_dir=tmp_path / "backups") as desk:
        assert current_revision(desk.engine) == head_revision()
        assert [y.year for y in desk.years()] == [2023]
        assert len(desk.backups()) == 1  # backed up before migrating

    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseVersionError):
        Desk(pg_url, backup_dir=tmp_path / "backups")
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999"
    engine.dispose()


def test_pc_killed_mid_import_leaves_the_year_absent_or_whole(pg_desk: Desk, tmp_path: Path) -> None:
    """A PC dies (kill -9) while importing: the server rolls its transaction back; others see no half year."""
    programs = make_programs(150, seed=11)
    pdf = make_table_pdf(tmp_path / "big.pdf", programs, title="令和７年度　事務事業評価結果一覧")
    before = pg_desk.programs(2024)
    engine = make_engine(pg_desk.url)

    def writing() -> bool:
        # The import transaction holds this lock from its first write to programs until it ends.
        with engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'programs' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
            )).first())  # fmt: skip

    try:
        for point in ("1.0s", "writing"):
            log = tmp_path / f"child-{point}.log"
            proc = spawn(["-m", "evaldesk", "--db", pg_desk.url, "import", pdf, "--year", "2025"], log=log)
            start = time.monotonic()
            while not (time.monotonic() - start >= 1.0 if point == "1.0s" else writing()):
                assert proc.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() - start < 90
                time.sleep(0.005)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
            assert proc.returncode == -signal.SIGKILL
            assert pg_desk.programs(2024) == before
            got = pg_desk.programs(2025)
            assert len(got) in (0, len(programs)), point
            print(f"\nPostgreSQL client killed at {point}: year {'whole' if got else 'absent'}")
            if got:
                pg_desk.delete_year(2025)
    finally:
        engine.dispose()
    pg_desk.import_table(truth_table(programs, title_year=2025), year=2025)
    assert len(pg_desk.programs(2025)) == len(programs)
