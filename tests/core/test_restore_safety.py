"""Restore and backups lose nothing: edits racing a restore, history, refused files, checked backups.

Races run as real processes (an editor in a loop, restores from the command line) on SQLite and on the
throwaway PostgreSQL server of tests/pg.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from evaldesk.backup import list_backups
from evaldesk.desk import Desk
from evaldesk.errors import DatabaseError
from tests.conftest import truth_table
from tests.core.cliproc import cli, spawn
from tests.core.tablegen import make_programs

EDITOR = """
import sys, time
from evaldesk.desk import Desk

desk = Desk(sys.argv[1], backup_dir=__import__("pathlib").Path(sys.argv[2]))
ids = [p.program_id for p in desk.programs(2024)][:5]
print("ready", flush=True)
i = 0
while True:
    i += 1
    pid = ids[i % len(ids)]
    text = f"編集{i}番目"
    try:
        desk.update_program(2024, pid, {"outcome": text})
    except Exception as exc:  # refused (stale, locked): not reported saved
        print(f"failed {pid} {type(exc).__name__}", flush=True)
        continue
    print(f"saved {pid} {text}", flush=True)
"""


def _all_texts(desk: Desk) -> set[str]:
    """Every outcome text the database shows or remembers in its history."""
    out = {p.outcome for p in desk.programs(2024)}
    for h in desk.history(2024):
        out.update(t for t in (h.old, h.new) if t)
    return out


def _backup_texts(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {r[0] for r in conn.execute("SELECT outcome FROM programs")}
        for old, new in conn.execute("SELECT old, new FROM history WHERE field = 'outcome'"):
            out.update(t for t in (old, new) if t)
    finally:
        conn.close()
    return out


def _race(url: str, tmp_path: Path, *, restores: int) -> None:
    backups = tmp_path / "backups"
    with Desk(url, backup_dir=backups) as desk:
        desk.import_table(truth_table(), year=2024, file_name="r6.pdf")
        base = desk.backup(reason="base")
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    log = tmp_path / "editor.log"
    proc = spawn([script, url, backups], log=log)
    try:
        start = time.monotonic()
        while not log.read_bytes().startswith(b"ready"):
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() - start < 60
            time.sleep(0.01)
        for _ in range(restores):
            done = cli(url, "restore", base, EVALDESK_DATA_DIR=str(tmp_path / "data"))
            assert done.code == 0, done.err
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait(30)
    lines = log.read_text(encoding="utf-8").splitlines()[1:]
    saved = [line.split()[2] for line in lines if line.startswith("saved ")]
    failed = [line for line in lines if line.startswith("failed ")]
    assert len(saved) > 20, lines[-5:]
    with Desk(url, backup_dir=backups) as desk:
        kept = _all_texts(desk)
        # The CLI kept its safety copies in its own data folder.
        for folder in (backups, tmp_path / "data" / "backups"):
            for b in list_backups(folder):
                kept |= _backup_texts(b)
        lost = [t for t in saved if t not in kept]
        print(f"\n{len(saved)} edits saved, {len(failed)} refused, {restores} restores, {len(lost)} lost")
        assert lost == []
        # Revisions never went backwards: each history revision of a program is unique per field
        # and the program's revision is past all of them.
        for p in desk.programs(2024):
            hist = desk.history(2024, p.program_id)
            pairs = [(h.revision, h.field) for h in hist]
            assert len(pairs) == len(set(pairs)), p.program_id
            assert all(h.revision <= p.revision for h in hist)


@pytest.mark.slow
def test_edits_racing_restores_are_never_lost_sqlite(tmp_path: Path) -> None:
    _race(f"sqlite:///{tmp_path / 'office.sqlite3'}", tmp_path, restores=8)


@pytest.mark.slow
@pytest.mark.postgres
def test_edits_racing_restores_are_never_lost_postgres(pg_url: str, tmp_path: Path) -> None:
    _race(pg_url, tmp_path, restores=8)


def test_restore_appends_to_history_and_revisions_go_forward(desk: Desk) -> None:
    desk.import_table(truth_table(), year=2024, file_name="r6.pdf")
    original = desk.program(2024, "1")
    copy = desk.backup()
    desk.update_program(2024, "1", {"purpose": "バックアップ後の編集。"})
    desk.update_program(2024, "1", {"purpose": "二度目の編集。"})
    desk.import_table(truth_table(make_programs(3, seed=2), title_year=None), year=2025)
    before = desk.program(2024, "1")
    assert before.revision == 3

    desk.restore(copy)
    now = desk.program(2024, "1")
    assert now.purpose == original.purpose
    assert now.revision == 4  # forward from 3, not back to 1
    hist = desk.history(2024, "1")
    assert [(h.how, h.revision, h.old, h.new) for h in hist] == [
        ("restore", 4, "二度目の編集。", original.purpose),
        ("edit", 3, "バックアップ後の編集。", "二度目の編集。"),
        ("edit", 2, original.purpose, "バックアップ後の編集。"),
    ]
    # The year the backup does not have is gone, its texts kept in the history.
    assert [y.year for y in desk.years()] == [2024]
    gone = desk.history(2025)
    assert gone and all(h.how == "restore" and h.new is None for h in gone)
    # Saving goes on from the new revision; a save based on the pre-restore revision is refused.
    assert desk.update_program(2024, "1", {"outcome": "復元後。"}, if_revision=4).program.revision == 5


def _future_backup(desk: Desk, tmp_path: Path) -> Path:
    copy = desk.backup()
    future = tmp_path / "future.sqlite3"
    future.write_bytes(copy.read_bytes())
    conn = sqlite3.connect(future)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    return future


def _foreign_file(tmp_path: Path) -> Path:
    other = tmp_path / "other-app.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE programs (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO programs (title) VALUES ('他のアプリの行')")
    conn.commit()
    conn.close()
    return other


@pytest.mark.parametrize("kind", ["future", "foreign"])
def test_restore_refuses_what_cannot_be_migrated_and_changes_nothing(
    sample_desk: Desk, tmp_path: Path, kind: str
) -> None:
    sample_desk.update_program(2024, "1", {"outcome": "残るべき文章。"})
    bad = _future_backup(sample_desk, tmp_path) if kind == "future" else _foreign_file(tmp_path)
    bad_bytes = bad.read_bytes()
    before = cli(sample_desk.url, "list", "--format", "json").out
    done = cli(sample_desk.url, "restore", bad)
    assert done.code == 1
    assert "使えません" in done.err and "何も変更していません" in done.err
    if kind == "future":
        assert "新しい版" in done.err
    assert bad.read_bytes() == bad_bytes  # the backup itself was only read
    # The database is untouched and every command still works, restoring a real backup included.
    assert cli(sample_desk.url, "list", "--format", "json").out == before
    assert cli(sample_desk.url, "edit", "--year", "2024", "--program", "2", "--field", "outcome",
               "--text", "まだ編集できる。").code == 0  # fmt: skip
    good = sample_desk.backup()
    assert cli(sample_desk.url, "restore", good).code == 0


def test_backup_of_a_damaged_database_fails_and_keeps_the_good_ones(tmp_path: Path) -> None:
    db = tmp_path / "office.sqlite3"
    backups = tmp_path / "backups"
    with Desk(db, backup_dir=backups, keep_backups=3) as desk:
        desk.import_table(truth_table(make_programs(300, seed=4)), year=2024)
        good = [desk.backup() for _ in range(3)]
    # Damage pages in the middle of the file (a disk error).
    size = db.stat().st_size
    with db.open("r+b") as f:
        for offset in range(size // 3, size // 3 + 40 * 4096, 4096):
            f.seek(offset + 100)
            f.write(b"\xff" * 200)
    for _ in range(4):
        done = cli(db, "backup", EVALDESK_DATA_DIR=str(tmp_path / "data"))
        assert done.code == 1, done.out
        assert "壊れて" in done.err
    desk_backups = tmp_path / "data" / "backups"
    assert list_backups(desk_backups) == []
    assert [p for p in desk_backups.iterdir()] == []  # no partial file left
    with pytest.raises(DatabaseError):
        Desk(db, backup_dir=backups, keep_backups=3).backup()
    assert list_backups(backups) == sorted(good, reverse=True)  # none rotated away
    # What the message says to do works: restoring a good backup over the damaged database.
    done = cli(db, "restore", good[-1], EVALDESK_DATA_DIR=str(tmp_path / "data"))
    assert done.code == 0, done.err
    assert len(list(desk_backups.glob("damaged-*.sqlite3"))) == 1  # its bytes kept as they were
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with Desk(db, backup_dir=backups) as desk:
        assert len(desk.programs(2024)) == 300
        desk.update_program(2024, desk.programs(2024)[0].program_id, {"outcome": "復元後に編集。"})


def test_failed_backup_on_a_full_disk_leaves_nothing(sample_desk: Desk, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    if sample_desk.is_shared:
        pytest.skip("the SQLite copy path; PostgreSQL copies go through the same check")
    full = tmp_path / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)], check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        desk = Desk(sample_desk.url, backup_dir=full)
        for _ in range(3):
            with pytest.raises(DatabaseError, match="バックアップを作成できませんでした"):
                desk.backup()
        assert list(full.iterdir()) == []
        desk.close()
    finally:
        subprocess.run(["umount", str(full)], check=False)


def test_backup_failing_half_way_leaves_no_file(sample_desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same without root: the copy stops with ENOSPC after writing part of the file."""
    import errno

    from evaldesk import backup

    good = sample_desk.backup()

    def disk_full(_src: object, target: Path, **_kw: object) -> None:
        target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
        raise OSError(errno.ENOSPC, "No space left on device")

    def tables_full(_src: object, target: Path) -> None:
        disk_full(None, target)

    monkeypatch.setattr(backup, "copy_sqlite_file", disk_full)
    monkeypatch.setattr(backup, "_write_tables", tables_full)
    for _ in range(3):
        with pytest.raises(DatabaseError, match="No space left"):
            sample_desk.backup()
    assert sorted(sample_desk.backup_dir.iterdir()) == [good]


def test_backups_are_private_and_open_from_read_only_media(sample_desk: Desk, tmp_path: Path) -> None:
    copy = sample_desk.backup()
    assert oct(copy.stat().st_mode & 0o777) == oct(0o600)
    assert oct(copy.parent.stat().st_mode & 0o777) == oct(0o700)
    header = copy.read_bytes()[:20]
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL: opens without a -shm file
    if os.geteuid() != 0:
        pytest.skip("a read-only mount needs root")
    media = tmp_path / "usb"
    media.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(media)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (media / copy.name).write_bytes(copy.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        sample_desk.update_program(2024, "1", {"outcome": "復元で戻る。"})
        done = cli(sample_desk.url, "restore", media / copy.name)
        assert done.code == 0, done.err
        assert sorted(p.name for p in media.iterdir()) == [copy.name]  # no -wal/-shm beside it
        assert sample_desk.program(2024, "1").outcome != "復元で戻る。"
    finally:
        subprocess.run(["umount", str(media)], check=False)


def test_restore_leaves_nothing_beside_the_backup(sample_desk: Desk, tmp_path: Path) -> None:
    elsewhere = tmp_path / "kept"
    elsewhere.mkdir()
    copy = elsewhere / "backup.sqlite3"
    copy.write_bytes(sample_desk.backup().read_bytes())
    assert cli(sample_desk.url, "restore", copy).code == 0
    assert [p.name for p in elsewhere.iterdir()] == ["backup.sqlite3"]
    assert not [p for p in sample_desk.backup_dir.iterdir() if p.name.startswith(".")]


def test_history_json_after_restore_names_the_restore(sample_desk: Desk) -> None:
    copy = sample_desk.backup()
    sample_desk.update_program(2024, "3", {"name": "一時的な名前"})
    assert cli(sample_desk.url, "restore", copy).code == 0
    entries = json.loads(cli(sample_desk.url, "history", "--year", "2024", "--program", "3",
                             "--format", "json").out)  # fmt: skip
    assert [(e["how"], e["old"]) for e in entries][0] == ("restore", "一時的な名前")
