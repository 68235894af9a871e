"""When things go wrong around the command line: each failure gets its own sentence saying what to do,
never a traceback, never a password. Real processes, real SQLite files, a real PostgreSQL server."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaldesk.db.engine import sqlite_path
from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, truth_table
from tests.core.cliproc import REPO, child_env, cli

ON_PG = bool(os.environ.get("EVALDESK_TEST_PG_URL"))
sqlite_only = pytest.mark.skipif(ON_PG, reason="a property of SQLite files")


def _error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("エラー: "), err
    assert "Traceback" not in err and "Logging error" not in err
    return lines[0]


# -- 13: the data folder, the log, ------------------------------------------------------------------
def test_data_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = cli(None, "list", EVALDESK_DATA_DIR=str(blocker / "evaldesk"))
    assert done.code == 1
    line = _error(done.err)
    assert "フォルダー" in line and str(blocker) in line


def test_a_full_log_disk_prints_no_logging_error(desk: Desk, tmp_path: Path) -> None:
    data = Path(os.environ["EVALDESK_DATA_DIR"])
    (data / "logs").mkdir(exist_ok=True)
    log = data / "logs" / "evaldesk.log"
    log.unlink(missing_ok=True)
    log.symlink_to("/dev/full")  # every write fails with "No space left on device"
    done = cli(desk.url, "list")  # fails (no year yet) and logs it
    assert done.code == 1
    assert "年度が取り込まれていません" in _error(done.err)
    ok = cli(desk.url, "years")
    assert ok.code == 0 and ok.err == ""


# -- 14: locked, full, read-only, damaged, server gone, undecodable ---------------------------------------
@sqlite_only
def test_locked_database_says_wait_and_try_again(sample_desk: Desk) -> None:
    path = sqlite_path(sample_desk.url)
    assert path is not None
    holder = sqlite3.connect(path, timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # another PC's long write
    try:
        start = time.monotonic()
        done = cli(sample_desk.url, "edit", "--year", "2024", "--program", "1", "--field", "purpose",
                   "--text", "待っても書けない")  # fmt: skip
        waited = time.monotonic() - start
    finally:
        holder.rollback()
        holder.close()
    assert done.code == 1
    line = _error(done.err)
    assert "保存に失敗しました" in line and "別の処理" in line and "もう一度" in line
    assert waited >= 9  # the 10 s busy timeout was honoured first
    assert sample_desk.program(2024, "1").purpose != "待っても書けない"


@contextlib.contextmanager
def _small_disk(tmp_path: Path, size: str = "4m") -> Iterator[Path]:
    """A real file system of ``size`` (tmpfs; needs root)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                          capture_output=True, check=False)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {made.stderr!r}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()


@sqlite_only
def test_full_disk_says_make_room(tmp_path: Path) -> None:
    with _small_disk(tmp_path) as disk:
        url = f"sqlite:///{disk / 'evaldesk.sqlite3'}"
        with Desk(url) as desk:
            desk.import_table(truth_table(), year=2024, file_name="r6_sample.pdf")
        _fill(disk)
        done = cli(url, "edit", "--year", "2024", "--program", "1", "--field", "overview",
                   "--text", "-", stdin="長い文章。" * 40_000)  # fmt: skip
        assert done.code == 1
        line = _error(done.err)
        assert "保存に失敗しました" in line and "ディスクの空きが足りません" in line
        exported = cli(url, "export", "--out", disk / "list.pdf")
        assert exported.code == 1
        assert "書き出しに失敗しました" in _error(exported.err)
        assert "ディスクの空き" in exported.err
        (disk / "filler").unlink()
        assert cli(url, "list", "--format", "json").code == 0  # nothing was damaged


@sqlite_only
def test_read_only_database_says_check_permissions(tmp_path: Path) -> None:
    with _small_disk(tmp_path) as disk:
        url = f"sqlite:///{disk / 'evaldesk.sqlite3'}"
        with Desk(url) as desk:
            desk.import_table(truth_table(), year=2024, file_name="r6_sample.pdf")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, check=False)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr!r}")
        done = cli(url, "edit", "--year", "2024", "--program", "1", "--field", "purpose", "--text", "新")
        assert done.code == 1
        line = _error(done.err)
        assert "保存に失敗しました" in line and "権限" in line
        assert "予期しない" not in line


@sqlite_only
def test_damaged_page_says_damaged_and_how_to_restore(sample_desk: Desk) -> None:
    assert cli(sample_desk.url, "backup").code == 0
    path = sqlite_path(sample_desk.url)
    assert path is not None
    sample_desk.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'programs' "
            "AND sql IS NULL"  # the UNIQUE (year, 事業番号) index every look-up uses
        ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    at = (root - 1) * page_size
    for i in range(at + page_size // 2, at + page_size):  # the keys, not the page header
        if data[i] in b"0123456789":
            data[i] = ord("7")
    path.write_bytes(bytes(data))

    done = cli(sample_desk.url, "edit", "--year", "2024", "--program", "1", "--field", "purpose",
               "--text", "新しい目的")  # fmt: skip
    assert done.code == 1
    line = _error(done.err)
    assert "壊れています" in line and "evaldesk restore" in line and "backups" in line
    assert "事業はありません" not in line


@sqlite_only
def test_undecodable_file_name_and_text(sample_desk: Desk, tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"\x8e\x96\x8b\xc6-r6.pdf")  # a cp932 name on a UTF-8 system
    odd.write_bytes(SAMPLE_PDF.read_bytes())
    done = cli(sample_desk.url, "import", odd, "--year", "2023", "--dry-run")
    assert "Traceback" not in done.err
    if done.code != 0:
        assert "UTF-8" in _error(done.err)
    else:
        assert "20 事業" in done.out

    proc = subprocess.run(
        [sys.executable, "-m", "evaldesk", "--db", sample_desk.url, "edit", "--year", "2024",
         "--program", "1", "--field", "purpose", "--text", "-"],
        input="目的".encode("cp932"), capture_output=True, env=child_env(), cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    line = _error(proc.stderr.decode("utf-8"))
    assert "保存に失敗しました" in line and "UTF-8" in line


def test_server_stopping_mid_command_says_connection_lost(tmp_path: Path) -> None:
    from tests.pg import PgServer, _conninfo, find_bin_dir, fresh_database

    psycopg = pytest.importorskip("psycopg")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found")
    server = PgServer(bin_dir)
    url = fresh_database(server.start())
    try:
        with Desk(url) as desk:
            desk.import_table(truth_table(), year=2024, file_name="r6_sample.pdf")
        holder = psycopg.connect(_conninfo(url))
        watch = psycopg.connect(_conninfo(url), autocommit=True)
        holder.execute("SELECT * FROM programs WHERE program_id = '1' FOR UPDATE")  # a row lock
        proc = subprocess.Popen(
            [sys.executable, "-m", "evaldesk", "--db", url, "edit", "--year", "2024", "--program", "1",
             "--field", "purpose", "--text", "サーバーが止まる"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), cwd=REPO,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the edit waits on the lock, mid-command
            waiting = watch.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            ).fetchone()
            if waiting and waiting[0]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the edit never reached the locked row")
        server.stop()  # the server goes away under the running command
        out, err = proc.communicate(timeout=120)
        for conn in (holder, watch):
            with contextlib.suppress(Exception):
                conn.close()
    finally:
        server.stop()
    assert proc.returncode == 1
    line = _error(err.decode("utf-8"))
    assert "保存に失敗しました" in line and "接続が切れました" in line and "保存されていない" in line


# -- 16: passwords ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        ("postgresql+psycopg://clerk@127.0.0.1:1/x?password=Hunter2secret", ["Hunter2secret"]),
        ("postgresql+psycopg://clerk:pa@ss-Secret9@127.0.0.1:1/x", ["ss-Secret9", "pa@ss"]),
        ("postgresql+psycopg://clerk:pa%40ss-Secret9@127.0.0.1:1/x", ["ss-Secret9", "pa%40ss"]),
    ],
)
def test_passwords_are_never_shown_or_logged(url: str, secrets: list[str]) -> None:
    done = cli(url, "years")
    assert done.code == 1
    line = _error(done.err)
    assert "開けません" in line
    log = (Path(os.environ["EVALDESK_DATA_DIR"]) / "logs" / "evaldesk.log").read_text(encoding="utf-8")
    assert "Traceback" in log  # the log keeps the details...
    for secret in secrets:
        assert secret not in line and secret not in done.out
        assert secret not in log  # ...but never the password
