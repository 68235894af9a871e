"""Schema migrations at start-up: an old office database is upgraded after a backup; a newer one is refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from evaldesk.db.migrate import current_revision, head_revision
from evaldesk.desk import Desk
from evaldesk.errors import DatabaseVersionError

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMA_0001 = DATA / "schema_0001.sqlite3"  # made by tests/data/make_schema_0001.py


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "office.sqlite3"
    shutil.copy(SCHEMA_0001, copy)
    return copy


def _revision(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_fixture_is_at_the_first_revision() -> None:
    assert _revision(SCHEMA_0001) == "0001"
    assert head_revision() != "0001"


def test_old_database_is_backed_up_then_migrated_with_data_intact(old_db: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    with Desk(old_db, backup_dir=backups) as desk:
        assert current_revision(desk.engine) == head_revision()
        assert desk.fts  # 0002 built the search index over the rows already there

        # The backup was taken before migrating: it is still at 0001 and holds the same rows.
        [backup] = desk.backups()
        assert "migrate" in backup.name
        assert _revision(backup) == "0001"
        conn = sqlite3.connect(backup)
        try:
            assert conn.execute("SELECT COUNT(*) FROM programs").fetchone() == (5,)
            assert conn.execute("SELECT name FROM sqlite_master WHERE name='programs_fts'").fetchone() is None
        finally:
            conn.close()

        assert [(y.year, y.programs, y.source_file) for y in desk.years()] == [(2024, 3, "r6.pdf"),
                                                                               (2023, 2, "r5.pdf")]  # fmt: skip
        p = desk.program(2024, "17")
        assert (p.name, p.department, p.revision) == ("防災備蓄品整備事業", "危機管理課", 2)
        assert p.overview == "・飲料水の更新\n・毛布　６００枚の購入"
        assert p.source is not None and (p.source.top, p.source.bottom) == (10.5, 80.25)
        assert desk.program(2024, "21").overview == "訓練を年２回実施。𠮷田地区を含む。"
        [h] = desk.history(2024, "17")
        assert (h.old, h.new, h.user, h.revision) == ("計画どおり更新した。", "令和６年度は前倒しで更新した。",
                                                      "suzuki", 2)  # fmt: skip
        assert [(link.from_program_id, link.to_program_id, link.note) for link in desk.links()] == [
            ("17", "17", "継続")
        ]

        # Searchable through the new index (3+ characters) and the LIKE fallback, width-insensitively.
        assert [x.program_id for x in desk.programs(2024, "危機管理体制")] == ["21"]
        assert [x.program_id for x in desk.programs(2024, "毛布 600")] == ["17"]
        assert {x.program_id for x in desk.programs(2024, "𠮷田")} == {"21"}
        # New edits keep the index current.
        desk.update_program(2024, "1", {"overview": "来客対応と式典出席。"}, if_revision=1)
        assert [x.program_id for x in desk.programs(2024, "式典出席")] == ["1"]

    with Desk(old_db, backup_dir=backups) as again:
        assert len(again.backups()) == 1  # already at head: no second backup
    conn = sqlite3.connect(old_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO programs_fts(programs_fts, rank) VALUES('integrity-check', 1)")
    finally:
        conn.close()


def test_database_from_a_newer_version_is_refused_and_untouched(old_db: Path, tmp_path: Path) -> None:
    with Desk(old_db, backup_dir=tmp_path / "b1"):
        pass
    conn = sqlite3.connect(old_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    data = old_db.read_bytes()

    with pytest.raises(DatabaseVersionError) as err:
        Desk(old_db, backup_dir=tmp_path / "b2")
    assert "新しい版" in str(err.value)
    assert old_db.read_bytes() == data
    assert not (tmp_path / "b2").exists()
    assert not Path(f"{old_db}-wal").exists()  # no connection left open


def test_file_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('大事なメモ')")
    conn.commit()
    conn.close()
    data = other.read_bytes()
    with pytest.raises(DatabaseVersionError):
        Desk(other, backup_dir=tmp_path / "b")
    assert other.read_bytes() == data
