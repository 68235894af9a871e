"""Editing from the command line: stale revisions refused without losing a text, and the history."""

from __future__ import annotations

from typing import Any, cast

from evaldesk.desk import Desk
from tests.conftest import load_truth
from tests.core.cliproc import cli

ORIGINAL = cast(list[dict[str, Any]], load_truth()["programs"])[0]["purpose"]


def _program(url: str, pid: str) -> dict[str, Any]:
    rows = cli(url, "list", "--year", "2024", "--format", "json").json()
    return next(r for r in rows if r["program_id"] == pid)


def test_stale_edit_is_refused_and_no_text_is_lost(sample_desk: Desk) -> None:
    url = sample_desk.url
    assert _program(url, "1")["revision"] == 1
    # Two people opened revision 1; the first saves from another PC.
    sample_desk.update_program(2024, "1", {"purpose": "先に保存された目的。"}, if_revision=1)

    late = cli(url, "edit", "--year", "2024", "--program", "1", "--field", "purpose",
               "--text", "後から保存しようとした目的。\n二行目。", "--if-revision", "1")  # fmt: skip
    assert late.code == 1
    lines = late.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("エラー: ") and "版 1" in lines[0], late.err
    assert "後から保存しようとした目的。\n二行目。" in late.out  # printed for the user to keep

    now = _program(url, "1")
    assert (now["purpose"], now["revision"]) == ("先に保存された目的。", 2)
    history = cli(url, "history", "--year", "2024", "--program", "1", "--format", "json").json()
    assert [(h["field"], h["old"], h["new"], h["how"], h["revision"]) for h in history] == [
        ("purpose", ORIGINAL, "先に保存された目的。", "edit", 2)
    ]
    assert set(history[0]) == {"id", "fiscal_year", "program_id", "field", "old", "new", "at", "user", "how",
                               "revision", "source"}  # fmt: skip

    # With the current revision the edit goes through, and the older texts stay in the history.
    ok = cli(url, "edit", "--year", "2024", "--program", "1", "--field", "purpose",
             "--text", "後から保存しようとした目的。\n二行目。", "--if-revision", "2")  # fmt: skip
    assert ok.code == 0 and "版 3" in ok.out, ok.err
    history = cli(url, "history", "--year", "2024", "--program", "1", "--format", "json").json()
    assert [h["old"] for h in history] == ["先に保存された目的。", ORIGINAL]
    assert [h["revision"] for h in history] == [3, 2]


def test_edit_from_standard_input_keeps_the_text_exactly(sample_desk: Desk) -> None:
    text = "一行目　全角スペース\n\t二行目 ＡＢＣ１２３ 𠮷野家\n\n四行目\r\n"
    done = cli(sample_desk.url, "edit", "--year", "2024", "--program", "2", "--field", "overview",
               "--text", "-", stdin=text)  # fmt: skip
    assert done.code == 0, done.err
    assert sample_desk.program(2024, "2").overview == text
    unchanged = cli(sample_desk.url, "edit", "--year", "2024", "--program", "2", "--field", "overview",
                    "--text", "-", stdin=text)  # fmt: skip
    assert unchanged.code == 0 and "変わっていません" in unchanged.out
    assert len(sample_desk.history(2024, "2")) == 1


def test_history_text_format_and_restore(sample_desk: Desk) -> None:
    assert cli(sample_desk.url, "history", "--year", "2024").out.strip() == "履歴はありません。"
    cli(
        sample_desk.url, "edit", "--year", "2024", "--program", "1", "--field", "name", "--text", "新しい名前"
    )
    out = cli(sample_desk.url, "history", "--year", "2024").out
    assert "事業番号 1 name 版2" in out and "  新: 新しい名前" in out
    [entry] = sample_desk.history(2024, "1")
    sample_desk.restore_history(entry.id)
    history = cli(sample_desk.url, "history", "--year", "2024", "--program", "1", "--format", "json").json()
    assert [(h["how"], h["new"]) for h in history] == [("restore", entry.old), ("edit", "新しい名前")]
    assert _program(sample_desk.url, "1")["name"] == entry.old
