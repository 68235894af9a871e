"""Files are safe: exports never hit the database or a device, modes are kept, nothing is left behind."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from evaldesk.desk import Desk
from evaldesk.errors import ExportError, FieldError, NotFoundError
from tests.conftest import SAMPLE_PDF, truth_table
from tests.core.cliproc import cli, spawn
from tests.core.tablegen import make_programs, make_table_pdf

sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("EVALDESK_TEST_PG_URL")), reason="files of the embedded SQLite database"
)


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "office.sqlite3"
    with Desk(db) as desk:
        desk.import_table(truth_table(), year=2024, file_name="r6.pdf")
        desk.import_table(truth_table(title_year=None), year=2023, file_name="r5.pdf")
    return db


@sqlite_only
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_refuses_the_database_and_its_side_files(tmp_path: Path, suffix: str) -> None:
    db = _db(tmp_path)
    data = db.read_bytes()
    target = Path(f"{db}{suffix}")
    commands: list[list[str | Path]] = [
        ["export", "--year", "2024", "--out", target],
        ["compare", "2023", "2024", "--out", target],
    ]
    for args in commands:
        done = cli(db, *args)
        assert done.code == 1, done.out
        assert "データベース" in done.err
        assert db.read_bytes()[:16] == b"SQLite format 3\x00"
    assert cli(db, "years").code == 0
    if not suffix:
        assert db.read_bytes() == data


@sqlite_only
def test_export_refuses_a_backup_and_a_link_to_the_database(tmp_path: Path) -> None:
    db = _db(tmp_path)
    with Desk(db) as desk:
        copy = desk.backup()
        with pytest.raises(ExportError, match="バックアップ"):
            desk.export(2024, copy)
        elsewhere = tmp_path / "copied-backup.sqlite3"
        elsewhere.write_bytes(copy.read_bytes())
        with pytest.raises(ExportError, match="データベースかバックアップ"):
            desk.export(2024, elsewhere, fmt="csv")
        link = tmp_path / "list.pdf"
        link.symlink_to(db)
        with pytest.raises(ExportError, match="データベース"):
            desk.export(2024, link)
        c = desk.compare(2023, 2024)
        with pytest.raises(ExportError):
            desk.write_comparison_pdf(c, elsewhere)
    assert elsewhere.read_bytes() == copy.read_bytes()


def test_export_refuses_a_device_or_a_pipe(sample_desk: Desk, tmp_path: Path) -> None:
    # Our own nodes: a failing test then replaces a node of the test, not the system's /dev/full.
    targets = [tmp_path / "pipe.pdf"]
    os.mkfifo(targets[0])
    if os.geteuid() == 0:
        targets.append(tmp_path / "full")
        os.mknod(targets[1], 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is
    for target in targets:
        before = target.stat()
        for fmt in ("pdf", "csv", "xlsx"):
            with pytest.raises(ExportError, match="普通のファイルではありません"):
                sample_desk.export(2024, target, fmt=fmt)
        c = sample_desk.compare(2024, 2024)
        with pytest.raises(ExportError, match="普通のファイルではありません"):
            sample_desk.write_comparison_pdf(c, target)
        after = target.stat()
        assert not stat.S_ISREG(after.st_mode) and after.st_ino == before.st_ino


def test_exports_keep_the_mode_of_the_file_they_replace(sample_desk: Desk, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for fmt in ("pdf", "csv", "xlsx"):
            new = tmp_path / f"new.{fmt}"
            sample_desk.export(2024, new, fmt=fmt)
            assert stat.S_IMODE(new.stat().st_mode) == 0o644, fmt  # the umask's default, not 0600
            shared = tmp_path / f"shared.{fmt}"
            shared.write_bytes(b"old")
            shared.chmod(0o664)
            sample_desk.export(2024, shared, fmt=fmt)
            assert stat.S_IMODE(shared.stat().st_mode) == 0o664, fmt
            assert shared.read_bytes() != b"old"
        c = sample_desk.compare(2024, 2024)
        report = tmp_path / "report.pdf"
        report.write_bytes(b"old")
        report.chmod(0o640)
        sample_desk.write_comparison_pdf(c, report)
        assert stat.S_IMODE(report.stat().st_mode) == 0o640
    finally:
        os.umask(old)


@sqlite_only
def test_data_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = cli(None, "import", SAMPLE_PDF, "--year", "2024", EVALDESK_DATA_DIR=str(data))
    assert done.code == 0, done.err
    assert cli(None, "backup", EVALDESK_DATA_DIR=str(data)).code == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"evaldesk.sqlite3", "evaldesk.log"}
    assert any(p.parent.name == "backups" for p in files)
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    for d in (p for p in data.rglob("*") if p.is_dir()):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


@sqlite_only
def test_dry_run_and_failed_imports_create_no_database(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    assert cli(db, "import", SAMPLE_PDF, "--year", "2024", "--dry-run").code == 0
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    assert cli(db, "import", broken).code == 1
    assert cli(db, "import", SAMPLE_PDF, "--year", "あいう").code == 2
    assert list(tmp_path.glob("new.sqlite3*")) == []
    assert cli(db, "import", SAMPLE_PDF, "--year", "2024").code == 0
    assert db.is_file()


def test_replace_keeps_one_copy_of_the_same_pdf(desk: Desk, tmp_path: Path) -> None:
    pdf = make_table_pdf(tmp_path / "t.pdf", make_programs(30, seed=8))
    for i in range(4):
        desk.import_pdf(pdf, year=2024, replace=i > 0)
    with desk.engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(text("SELECT COUNT(*) FROM imports WHERE pdf IS NOT NULL")).scalar_one()
        imports = conn.execute(text("SELECT COUNT(*) FROM imports")).scalar_one()
    assert (stored, imports) == (1, 4)
    assert desk.source_pdf(2024) == pdf.read_bytes()


@sqlite_only
def test_replace_does_not_grow_the_database_by_a_pdf_each_time(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite3"
    pdf = make_table_pdf(tmp_path / "t.pdf", make_programs(60, seed=9))
    with Desk(db) as desk:
        desk.import_pdf(pdf, year=2024)
        desk.import_pdf(pdf, year=2024, replace=True)
    size = db.stat().st_size
    with Desk(db) as desk:
        for _ in range(4):
            desk.import_pdf(pdf, year=2024, replace=True)
    grown = db.stat().st_size - size
    assert grown < pdf.stat().st_size, (grown, pdf.stat().st_size)


@sqlite_only
def test_killed_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite3"
    with Desk(db) as desk:
        desk.import_table(truth_table(make_programs(600, seed=3)), year=2024)
        first = desk.programs(2024)[0].program_id
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "sheets.pdf"
    log = tmp_path / "export.log"
    proc = spawn(["-m", "evaldesk", "--db", db, "export", "--layout", "sheet", "--out", out], log=log)
    start = time.monotonic()
    while not [p for p in out_dir.iterdir() if p.name.startswith(".")]:
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() - start < 60
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    left = [p.name for p in out_dir.iterdir()]
    assert left and all(n.startswith(".") for n in left)  # the killed export's temporary file
    done = cli(db, "export", "--program", first, "--out", out_dir / "list.pdf")
    assert done.code == 0, done.err
    assert sorted(p.name for p in out_dir.iterdir()) == ["list.pdf"]


def test_link_refuses_missing_years_programs_and_itself(sample_desk: Desk) -> None:
    sample_desk.import_table(truth_table(make_programs(3, seed=1), title_year=None), year=2025)
    other = sample_desk.programs(2025)[0].program_id
    with pytest.raises(NotFoundError, match="2030"):
        sample_desk.add_link(from_year=2024, from_program_id="1", to_year=2030, to_program_id=other)
    with pytest.raises(NotFoundError, match="事業番号 999"):
        sample_desk.add_link(from_year=2024, from_program_id="999", to_year=2025, to_program_id=other)
    with pytest.raises(FieldError):
        sample_desk.add_link(from_year=2024, from_program_id="1", to_year=2024, to_program_id="1")
    done = cli(
        sample_desk.url, "link", "--from-year", "2024", "--from", "1", "--to-year", "2031", "--to", "1"
    )
    assert done.code == 1 and "2031" in done.err
    assert sample_desk.links() == []
    sample_desk.add_link(from_year=2024, from_program_id="1", to_year=2025, to_program_id=other)
    assert len(sample_desk.links()) == 1


def _as_nobody(fn: Callable[[], None]) -> int:
    """Run ``fn`` in a forked child that is not root (root ignores file modes); its exit code.

    Forked rather than started: the interpreter may live where that user cannot read it."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            fn()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@sqlite_only
def test_database_writable_again_after_a_read_only_spell(tmp_path: Path) -> None:
    """chmod 444, read (SQLite leaves -wal/-shm 0444 behind), chmod 644: editing works again."""
    if os.geteuid() != 0:
        pytest.skip("runs the user's part as another user, which needs root")
    shared = Path(tempfile.mkdtemp(prefix="evaldesk-ro-", dir="/tmp"))  # a folder that user can reach
    try:
        _read_only_spell(shared)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _read_only_spell(shared: Path) -> None:
    db = shared / "office.sqlite3"
    with Desk(db, backup_dir=shared / "backups") as desk:
        desk.import_table(truth_table(), year=2024)
    for p in (shared, *shared.rglob("*")):
        os.chown(p, 65534, 65534)

    def read() -> None:
        os.environ["EVALDESK_DATA_DIR"] = str(shared / "data")  # the child's own folder
        db.chmod(0o444)
        with Desk(db, backup_dir=shared / "backups") as d:
            assert len(d.programs(2024)) == 20

    def edit() -> None:
        os.environ["EVALDESK_DATA_DIR"] = str(shared / "data")
        db.chmod(0o644)
        with Desk(db, backup_dir=shared / "backups") as d:
            assert d.update_program(2024, "1", {"outcome": "書けた。"}).program.revision == 2

    assert _as_nobody(read) == 0
    assert stat.S_IMODE(Path(f"{db}-shm").stat().st_mode) == 0o444  # what the read-only spell leaves
    assert _as_nobody(edit) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT outcome FROM programs WHERE program_id = '1'").fetchone() == ("書けた。",)
    conn.close()
