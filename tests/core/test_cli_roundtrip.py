"""``evaldesk send`` and ``evaldesk collect`` as a user runs them: files, JSON, exit codes 0/1/2."""

from __future__ import annotations

from pathlib import Path

from evaldesk.desk import Desk
from tests.core.cliproc import cli
from tests.core.roundtrip_helpers import fingerprint, set_cells, settle

KEYS = ["program_id", "field", "state", "sent", "returned", "current"]


def test_send_then_collect_reports_and_accepts(sample_desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "配布"
    done = cli(sample_desk.url, "send", "--year", "R6", "--department", "広報戦略", "危機管理課",
               "--out", out, "--due", "2025-01-15")  # fmt: skip
    assert done.code == 0, done.err
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "令和6年度_事務事業_市長公室危機管理課.xlsx",
        "令和6年度_事務事業_市長公室広報戦略課.xlsx",
    ]
    assert "2 部署に送付するブックを書き出しました" in done.out
    set_cells(out / names[1], {("4", "purpose"): "課の目的。", ("7", "outcome"): "課の成果。"})
    sample_desk.update_program(2024, "7", {"outcome": "担当の成果。"})

    settle(sample_desk)
    before = fingerprint(sample_desk)
    report = cli(sample_desk.url, "collect", out, "--format", "json")
    assert report.code == 0, report.err
    assert fingerprint(sample_desk) == before  # --accept none (the default) only reports
    rows = report.json()
    assert all(list(r) == KEYS for r in rows)
    assert len(rows) == (4 + 3) * 4  # every program of both workbooks, four revisable fields each
    moved = {(r["program_id"], r["field"]): r["state"] for r in rows if r["state"] != "unchanged"}
    assert moved == {("4", "purpose"): "changed", ("7", "outcome"): "conflict"}
    [c] = [r for r in rows if r["program_id"] == "7" and r["field"] == "outcome"]
    assert (c["returned"], c["current"]) == ("課の成果。", "担当の成果。")

    done = cli(sample_desk.url, "collect", out / names[1], "--accept", "changed", "--format", "json")
    assert done.code == 0, done.err
    states = {(r["program_id"], r["field"]): r["state"] for r in done.json() if r["state"] != "unchanged"}
    assert states == {("4", "purpose"): "changed", ("7", "outcome"): "rejected"}
    assert sample_desk.program(2024, "4").purpose == "課の目的。"
    assert sample_desk.program(2024, "7").outcome == "担当の成果。"
    history = cli(sample_desk.url, "history", "--year", "2024", "--program", "4", "--format", "json").json()
    assert history[0]["how"] == "workbook" and history[0]["source"].startswith(names[1])


def test_collect_accept_all_takes_the_conflict_and_text_format(sample_desk: Desk, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        cli(sample_desk.url, "send", "--year", "2024", "--department", "市長公室秘書課", "--out", out).code
        == 0
    )
    [path] = out.iterdir()
    set_cells(path, {("1", "purpose"): "課の目的。", ("2", "comment"): "特になし。"})
    sample_desk.update_program(2024, "1", {"purpose": "担当の目的。"})
    done = cli(sample_desk.url, "collect", path, "--accept", "all")
    assert done.code == 0, done.err
    assert "事業番号 1 事業の目的: 競合（両方で変更）　→ 保存しました" in done.out
    assert "事業番号 2 意見: 特になし。" in done.out
    assert "1 件を保存しました" in done.out
    assert sample_desk.program(2024, "1").purpose == "課の目的。"


def test_collect_refusal_is_one_sentence_and_exit_1(sample_desk: Desk, tmp_path: Path) -> None:
    bad = tmp_path / "返送.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    settle(sample_desk)
    before = fingerprint(sample_desk)
    done = cli(sample_desk.url, "collect", bad, "--accept", "all")
    assert done.code == 1
    assert done.err.strip() == "エラー: 返送.xlsx は Excel ブック（.xlsx）ではありません。"
    assert fingerprint(sample_desk) == before


def test_usage_errors_exit_2(sample_desk: Desk, tmp_path: Path) -> None:
    assert cli(sample_desk.url, "send", "--year", "2024").code == 2  # --out missing
    done = cli(sample_desk.url, "send", "--year", "2024", "--out", tmp_path, "--due", "来週")
    assert done.code == 2 and "日付「来週」が読み取れません" in done.err
    assert cli(sample_desk.url, "collect", tmp_path, "--accept", "some").code == 2
    done = cli(sample_desk.url, "send", "--year", "2024", "--department", "存在しない", "--out", tmp_path)
    assert done.code == 1 and "「存在しない」を含む部署はありません" in done.err
