"""The command line as a user runs it: real processes, exit codes 0/1/2, output formats, no tracebacks."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from typing import Any, cast

import pytest

from evaldesk.cli import JSON_KEYS
from evaldesk.db.engine import sqlite_path
from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, load_truth
from tests.core.cliproc import cli

ON_PG = bool(os.environ.get("EVALDESK_TEST_PG_URL"))
TRUTH = cast(list[dict[str, Any]], load_truth()["programs"])


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("エラー: ")
    return lines[0]


def _backups(desk: Desk) -> list[Path]:
    return desk.backups()


def test_list_json_has_exactly_the_documented_keys(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "list", "--year", "2024", "--format", "json")
    assert done.code == 0 and done.err == ""
    rows = done.json()
    assert all(list(r) == list(JSON_KEYS) for r in rows)
    assert list(JSON_KEYS) == [
        "fiscal_year", "no", "program_id", "name", "department", "purpose", "overview", "outcome", "revision",
    ]  # fmt: skip
    assert [{k: r[k] for k in ("no", "program_id", "name", "department", "purpose", "overview", "outcome")}
            for r in rows] == TRUTH  # fmt: skip
    assert {(r["fiscal_year"], r["revision"]) for r in rows} == {(2024, 1)}


def test_list_csv_round_trips_multiline_cells(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "list", "--format", "csv")  # the latest year by default
    assert done.code == 0
    reader = csv.DictReader(io.StringIO(done.out))
    assert reader.fieldnames == list(JSON_KEYS)
    rows = list(reader)
    assert [r["overview"] for r in rows] == [t["overview"] for t in TRUTH]
    assert any("\n" in r["overview"] for r in rows)


def test_list_table_search_and_department(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "list", "--search", "防災 備蓄")
    assert done.code == 0
    assert done.out.strip().endswith("2 件")
    done = cli(sample_desk.url, "list", "--department", "危機管理課", "--format", "json")
    assert [r["program_id"] for r in done.json()] == ["17", "19", "21"]


def test_years(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "years")
    assert done.code == 0
    assert done.out.splitlines() == ["2024\t令和6年度\t20 事業\tr6_sample.pdf"]


def test_import_then_refused_without_replace_database_unchanged(desk: Desk) -> None:
    done = cli(desk.url, "import", SAMPLE_PDF, "--year", "令和6")
    assert done.code == 0, done.err
    assert "令和6年度 20 事業" in done.out
    before = cli(desk.url, "list", "--format", "json").out
    backups = _backups(desk)
    file = sqlite_path(desk.url)
    desk.close()
    data = file.read_bytes() if file else b""

    again = cli(desk.url, "import", SAMPLE_PDF, "--year", "2024")
    assert again.code == 1
    assert "--replace" in _one_error_line(again.err)
    assert cli(desk.url, "list", "--format", "json").out == before
    assert _backups(desk) == backups
    if file:
        assert file.read_bytes() == data

    replaced = cli(desk.url, "import", SAMPLE_PDF, "--year", "2024", "--replace")
    assert replaced.code == 0 and "置き換えました" in replaced.out
    assert len(_backups(desk)) == len(backups) + 1  # a backup before replacing


def test_dry_run_writes_nothing(sample_desk: Desk) -> None:
    file = sqlite_path(sample_desk.url)
    before = cli(sample_desk.url, "list", "--format", "json").out
    sample_desk.close()
    data = file.read_bytes() if file else b""
    backups = _backups(sample_desk)

    done = cli(sample_desk.url, "import", SAMPLE_PDF, "--year", "2023", "--dry-run")
    assert done.code == 0, done.err
    assert "書き込みなし" in done.out and "20 事業" in done.out
    assert cli(sample_desk.url, "years").out.splitlines() == ["2024\t令和6年度\t20 事業\tr6_sample.pdf"]
    assert cli(sample_desk.url, "list", "--format", "json").out == before
    assert _backups(sample_desk) == backups
    if file:
        assert file.read_bytes() == data


def test_backup_then_restore_puts_the_texts_back(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "backup")
    assert done.code == 0
    copy = Path(done.out.strip())
    assert copy.is_file() and copy.parent == sample_desk.backup_dir
    edited = cli(sample_desk.url, "edit", "--year", "2024", "--program", "1", "--field", "purpose",
                 "--text", "復元で消える文章。")  # fmt: skip
    assert edited.code == 0

    restored = cli(sample_desk.url, "restore", copy)
    assert restored.code == 0, restored.err
    rows = {r["program_id"]: r for r in cli(sample_desk.url, "list", "--format", "json").json()}
    assert rows["1"]["purpose"] == TRUTH[0]["purpose"]
    # The state before the restore was kept, so the edit is not lost either.
    safety = [p for p in _backups(sample_desk) if "before-restore" in p.name]
    assert len(safety) == 1
    with Desk(f"sqlite:///{safety[0]}", backup_dir=sample_desk.backup_dir) as old:
        assert old.program(2024, "1").purpose == "復元で消える文章。"
    # Editing goes on after a restore (PostgreSQL: the id sequences were moved past the copied rows).
    again = cli(sample_desk.url, "edit", "--year", "2024", "--program", "2", "--field", "outcome",
                "--text", "復元後の編集。")  # fmt: skip
    assert again.code == 0, again.err


def test_restore_refuses_a_file_that_is_not_a_backup(sample_desk: Desk, tmp_path: Path) -> None:
    before = cli(sample_desk.url, "list", "--format", "json").out
    fake = tmp_path / "fake.sqlite3"
    shutil.copy(SAMPLE_PDF, fake)
    done = cli(sample_desk.url, "restore", fake)
    assert done.code == 1
    _one_error_line(done.err)
    assert cli(sample_desk.url, "list", "--format", "json").out == before


def _bad_files(tmp: Path) -> dict[str, Path]:
    empty = tmp / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp / "memo.pdf"
    text.write_text("これは PDF ではありません。\n", encoding="utf-8")
    truncated = tmp / "truncated.pdf"
    truncated.write_bytes(SAMPLE_PDF.read_bytes()[:30_000])
    header_only = tmp / "header.pdf"
    header_only.write_bytes(b"%PDF-1.7\n")
    folder = tmp / "folder.pdf"
    folder.mkdir()
    return {"empty": empty, "text": text, "truncated": truncated, "header-only": header_only,
            "missing": tmp / "missing.pdf", "folder": folder}  # fmt: skip


@pytest.mark.parametrize("kind", ["empty", "text", "truncated", "header-only", "missing", "folder"])
def test_bad_pdf_is_one_sentence_and_nothing_is_written(sample_desk: Desk, tmp_path: Path, kind: str) -> None:
    path = _bad_files(tmp_path)[kind]
    done = cli(sample_desk.url, "import", path, "--year", "2025")
    assert done.code == 1
    line = _one_error_line(done.err)
    assert path.name in line
    assert [y.year for y in sample_desk.years()] == [2024]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 2),  # no command
        (("frobnicate",), 2),
        (("import", "x.pdf", "--year", "abc"), 2),
        (("import", "x.pdf", "--year", "1800"), 2),
        (("list", "--year", "令和"), 2),
        (("list", "--format", "xml"), 2),
        (("edit", "--year", "2024", "--program", "1", "--field", "revision", "--text", "x"), 2),
        (("list", "--year", "2030"), 0),  # an empty year lists nothing
        (("edit", "--year", "2024", "--program", "nope", "--field", "name", "--text", "x"), 1),
        (("edit", "--year", "2024", "--program", "1", "--field", "name", "--text", "  "), 1),
        (("edit", "--year", "2030", "--program", "1", "--field", "name", "--text", "x"), 1),
        (("export", "--year", "2030", "--out", "x.pdf"), 1),
        (("compare", "2023", "2024"), 1),
        (("restore", "no-such-backup.sqlite3"), 1),
    ],
)
def test_exit_codes_and_no_traceback(sample_desk: Desk, args: tuple[str, ...], code: int) -> None:
    done = cli(sample_desk.url, *args)
    assert done.code == code, (done.out, done.err)
    if code == 1:
        _one_error_line(done.err)
    if code == 2:
        assert "error:" in done.err


@pytest.mark.parametrize(
    "db",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/x",
        "nosuchdriver://host/db",
        "{tmp}",  # a folder
        "{tmp}/not-a-database.sqlite3",
        "{tmp}/missing-folder/../not-a-database.sqlite3",
    ],
)
def test_bad_database_is_one_sentence_and_untouched(tmp_path: Path, db: str) -> None:
    odd = tmp_path / "not-a-database.sqlite3"
    odd.write_bytes(b"just some notes, not SQLite\n" * 10)
    target = db.format(tmp=tmp_path)
    done = cli(target, "years")
    assert done.code == 1
    line = _one_error_line(done.err)
    assert "開けません" in line
    assert odd.read_bytes() == b"just some notes, not SQLite\n" * 10
    assert not Path(f"{odd}-wal").exists()


def test_self_test_passes_without_gui() -> None:
    done = cli(None, "--self-test", timeout=300)
    assert done.code == 0, done.out + done.err
    lines = done.out.strip().splitlines()
    assert lines and all(line.startswith("OK  ") for line in lines), done.out


def test_self_test_reports_a_failing_step_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import evaldesk.resources
    from evaldesk.selftest import run_self_test

    monkeypatch.setattr(evaldesk.resources, "resource_path", lambda *parts: Path("/nonexistent", *parts))
    assert run_self_test() == 1
    out = capsys.readouterr()
    lines = out.out.strip().splitlines()
    assert lines[0] == "OK  マイグレーション"
    assert lines[1].startswith("NG  サンプルの取り込み : ") and "r6_sample.pdf" in lines[1]
    assert all(line.startswith("NG  ") for line in lines[2:])
    assert "Traceback" not in out.out + out.err
