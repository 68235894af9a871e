"""The one error-to-sentence function: real failures (SQLite, the file system) become sentences that say
what the user was doing, what happened and what to do, in Japanese and through the English catalog."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from evaldesk.errors import StaleRevisionError, YearExistsError
from evaldesk.messages import Problem, problem_of, user_message
from tests.core.cliproc import REPO

CATALOG = json.loads((REPO / "resources/translations/en/messages.json").read_text(encoding="utf-8"))


def english(source: str, /, **kwargs: object) -> str:
    out = CATALOG.get(source, source)
    return out.format(**kwargs) if kwargs else out


def _locked_error(tmp_path: Path) -> OperationalError:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    holder = create_engine(url)
    waiter = create_engine(url, connect_args={"timeout": 0.1})
    with holder.connect() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
        conn.commit()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        conn.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(OperationalError) as caught, waiter.begin() as other:
            other.execute(text("INSERT INTO t VALUES (2)"))
        conn.rollback()
    holder.dispose()
    waiter.dispose()
    return caught.value


def test_locked_database_says_wait_and_retry(tmp_path: Path) -> None:
    exc = _locked_error(tmp_path)
    message = user_message(exc, doing="保存")
    assert message.startswith("保存に失敗しました。")
    assert "別の処理が使って" in message and "もう一度" in message
    assert "OperationalError" not in message
    en = user_message(exc, doing="保存", tr=english)
    assert "did not become free within 10 seconds" in en


def test_disk_full_read_only_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(OSError) as full, open("/dev/full", "w") as f:
        f.write("x")
        f.flush()
    assert problem_of(full.value) is Problem.DISK_FULL
    assert "ディスクの空きが足りません" in user_message(full.value, doing="書き出し")

    ro = tmp_path / "ro.sqlite3"
    sqlite3.connect(ro).execute("CREATE TABLE t (x)").connection.commit()
    conn = sqlite3.connect(f"file:{ro}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        conn.execute("INSERT INTO t VALUES (1)")
    conn.close()
    message = user_message(readonly.value, doing="保存")
    assert "読み取り専用" in message and "権限" in message

    with pytest.raises(FileNotFoundError) as missing:
        (tmp_path / "nothing.pdf").read_bytes()
    message = user_message(missing.value, doing="取り込み")
    assert message.startswith("取り込みに失敗しました。") and "nothing.pdf" in message


def test_corrupt_page_says_damaged_and_restore(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        conn.execute("SELECT count(*), max(length(x)) FROM t").fetchall()
    conn.close()
    message = user_message(damaged.value, doing="一覧の表示")
    assert "壊れています" in message and "バックアップから復元" in message


def test_undecodable_names_and_unexpected_errors(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError) as bad:
        "名前\udcff.pdf".encode()
    assert "UTF-8" in user_message(bad.value, doing="取り込み")

    message = user_message(ValueError("x"), doing="書き出し", log_file=tmp_path / "evaldesk.log")
    assert message.startswith("書き出しに失敗しました。予期しない問題")
    assert "ValueError" in message and str(tmp_path / "evaldesk.log") in message
    assert user_message(ValueError("x"), doing="書き出し", tr=english).startswith("Export failed.")


def test_the_core_sentence_is_kept_and_speaks_of_no_flags() -> None:
    exists = YearExistsError(2024)
    assert user_message(exists, doing="取り込み") == str(exists)
    assert "--" not in str(exists)
    stale = StaleRevisionError(
        fiscal_year=2024, program_id="1", expected=1, current=2, rejected={}, current_values={}
    )
    assert user_message(stale, doing="保存") == str(stale)


def test_passwords_never_appear(tmp_path: Path) -> None:
    from evaldesk.redaction import redact_url, remember

    url = "postgresql+psycopg://clerk@db.example/evaldesk?password=Hunter2secret&sslmode=require"
    assert "Hunter2secret" not in redact_url(url)
    remember("postgresql+psycopg://clerk:pa@ss-word-9@db.example/evaldesk")
    leaked = OperationalError(
        "connect", {}, Exception('could not translate host name "ss-word-9@db.example"')
    )
    message = user_message(leaked, doing="一覧の表示")
    assert "ss-word-9" not in message and "pa@ss" not in message
