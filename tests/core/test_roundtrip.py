"""The revision round end to end: send three 部署 their workbooks, edit them as a 課 would, edit in
evaldesk meanwhile; collecting finds exactly the changed cells and the conflict; accepting stores them."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaldesk.desk import Desk
from evaldesk.records import Changes
from evaldesk.roundtrip import Review
from tests.conftest import load_truth, truth_table
from tests.core.roundtrip_helpers import FIXTURES, set_cells, take_calc_send

THREE = ("市長公室広報戦略課", "市長公室危機管理課", "市長公室秘書課")


def _send(desk: Desk, out: Path) -> dict[str, Path]:
    out.mkdir(exist_ok=True)
    sent = desk.send_workbooks(
        2024, THREE, out_dir=out, due=date(2025, 1, 15), return_to="行政評価係（内線1234）"
    )
    return {w.department: w.path for w in sent}


def test_send_writes_one_named_workbook_per_department(sample_desk: Desk, tmp_path: Path) -> None:
    paths = _send(sample_desk, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"令和6年度_事務事業_{d}.xlsx" for d in THREE
    )
    wb = load_workbook(paths["市長公室広報戦略課"])
    assert wb.sheetnames[:2] == ["記入のしかた", "事務事業"]
    guide = "\n".join(str(c.value) for c in wb["記入のしかた"]["A"] if c.value)
    assert "提出期限: 令和7年1月15日" in guide and "行政評価係（内線1234）" in guide
    ws = wb["事務事業"]
    assert [ws.cell(row=2, column=c).value for c in range(1, 8)] == [
        "事業番号", "部署名", "事務事業名", "事業の目的（200字以内）", "事業の概要（400字以内）",
        "成果（400字以内）", "担当課からの意見・連絡",
    ]  # fmt: skip
    assert [ws.cell(row=r, column=1).value for r in range(3, 7)] == ["4", "5", "7", "13"]
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A3"].protection.locked and ws["B3"].protection.locked
    assert not any(ws[f"{c}3"].protection.locked for c in "CDEFG")
    assert ws["E3"].alignment.wrap_text
    lengths = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lengths == {"D": "200", "E": "400", "F": "400"}
    assert wb["evaldesk"].sheet_state == "veryHidden"
    states = {r.department: (r.state_label, r.due) for r in sample_desk.round_status(2024)}
    assert states["市長公室広報戦略課"] == ("送付済", date(2025, 1, 15))
    assert states["市長公室広聴室"] == ("未送付", None)


def test_round_trip_finds_exactly_the_changes_and_the_conflict(sample_desk: Desk, tmp_path: Path) -> None:
    paths = _send(sample_desk, tmp_path / "out")
    set_cells(
        paths["市長公室広報戦略課"],
        {("4", "purpose"): "目的を見直した。", ("13", "outcome"): "移住相談が２０件増えた。\n定住も増えた。",
         ("5", "comment"): "所管は来年度から企画課の予定です。"},
    )  # fmt: skip
    set_cells(
        paths["市長公室危機管理課"], {("17", "name"): "防災設備整備事業", ("21", "overview"): "課の案。"}
    )
    # Meanwhile the office edits 21's overview (a conflict) and 19's outcome (the 課 left it alone).
    sample_desk.update_program(2024, "21", {"overview": "担当の案。"})
    sample_desk.update_program(2024, "19", {"outcome": "担当が直した成果。"})
    before = {p.program_id: p for p in sample_desk.programs(2024)}

    review = sample_desk.collect_workbooks([tmp_path / "out"], year=2024)
    assert review.refused == ()
    assert sorted(w.department for w in review.workbooks) == sorted(THREE)
    changes = {(f.program_id, f.field): f.state for f in review.changes}
    assert changes == {("4", "purpose"): "changed", ("13", "outcome"): "changed", ("17", "name"): "changed",
                       ("21", "overview"): "conflict"}  # fmt: skip
    local = {
        (f.program_id, f.field)
        for w in review.workbooks
        for p in w.programs
        for f in p.fields
        if f.state == "local"
    }
    assert local == {("19", "outcome")}
    conflict = review.field(("市長公室危機管理課", "21", "overview"))
    sent_21 = next(t["overview"] for t in load_truth()["programs"] if t["program_id"] == "21")
    assert (conflict.sent, conflict.returned, conflict.current) == (sent_21, "課の案。", "担当の案。")
    comments = {p.program_id: p.comment for w in review.workbooks for p in w.programs if p.comment}
    assert comments == {"5": "所管は来年度から企画課の予定です。"}
    assert {p.program_id: p for p in sample_desk.programs(2024)} == before  # nothing written yet

    result = sample_desk.accept_returns(review, [f.key for f in review.changes if f.state == "changed"])
    assert sorted(k[1:] for k in result.stored) == [("13", "outcome"), ("17", "name"), ("4", "purpose")]
    assert result.rejected == (("市長公室危機管理課", "21", "overview"),)
    assert sample_desk.program(2024, "4").purpose == "目的を見直した。"
    assert sample_desk.program(2024, "13").outcome == "移住相談が２０件増えた。\n定住も増えた。"
    assert sample_desk.program(2024, "21").overview == "担当の案。"  # the conflict kept the office's text
    assert sample_desk.program(2024, "19").outcome == "担当が直した成果。"
    [h] = sample_desk.history(2024, "4")
    assert h.how == "workbook" and h.source is not None
    assert h.source.startswith("令和6年度_事務事業_市長公室広報戦略課.xlsx（20")
    states = {r.department: r.state_label for r in sample_desk.round_status(2024)}
    assert states == {**states, **dict.fromkeys(THREE, "取込済"), "市長公室広聴室": "未送付"}
    assert sample_desk.round_comments(2024) == {"5": "所管は来年度から企画課の予定です。"}


def test_accepting_the_conflict_takes_the_department_text_through_the_revision_check(
    sample_desk: Desk, tmp_path: Path
) -> None:
    paths = _send(sample_desk, tmp_path / "out")
    set_cells(paths["市長公室秘書課"], {("1", "purpose"): "課の目的。", ("2", "outcome"): "課の成果。"})
    sample_desk.update_program(2024, "1", {"purpose": "担当の目的。"})
    review = sample_desk.collect_workbooks([paths["市長公室秘書課"]])
    assert review.fiscal_year == 2024
    # Someone saves program 2 after the review was built: that one is refused, not overwritten.
    sample_desk.update_program(2024, "2", {"name": "別の人が保存"})
    result = sample_desk.accept_returns(review, [f.key for f in review.changes])
    assert result.stored == (("市長公室秘書課", "1", "purpose"),)
    assert result.changes == Changes(programs=frozenset({(2024, "1")}))  # what the views must show again
    assert result.rejected == (("市長公室秘書課", "2", "outcome"),)
    assert len(result.stale) == 1 and "事業番号 2" in result.stale[0]
    assert sample_desk.program(2024, "1").purpose == "課の目的。"
    assert sample_desk.program(2024, "2").outcome != "課の成果。"


def test_added_rows_are_proposals_and_over_limit_text_only_warns(sample_desk: Desk, tmp_path: Path) -> None:
    paths = _send(sample_desk, tmp_path / "out")
    long = "あ" * 201
    set_cells(paths["市長公室秘書課"], {("1", "purpose"): long})

    def add_row(ws):  # type: ignore[no-untyped-def]
        r = ws.max_row
        ws[f"C{r}"] = "新しい式典支援事業"
        ws[f"D{r}"] = "式典を円滑に行う。"
        ws[f"G{r}"] = "来年度から新規に始めます。"

    from tests.core.roundtrip_helpers import edit_workbook

    edit_workbook(paths["市長公室秘書課"], add_row)
    review = sample_desk.collect_workbooks([paths["市長公室秘書課"]], year=2024)
    [wb] = review.workbooks
    [proposal] = wb.proposals
    assert (proposal.name, proposal.purpose, proposal.comment) == (
        "新しい式典支援事業",
        "式典を円滑に行う。",
        "来年度から新規に始めます。",
    )
    assert [w for w in wb.warnings if "201 字" in w and "200 字" in w]
    count = len(sample_desk.programs(2024))
    result = sample_desk.accept_returns(review, [f.key for f in review.changes])
    assert sample_desk.program(2024, "1").purpose == long
    assert result.warnings and "200 字" in result.warnings[0]
    assert len(sample_desk.programs(2024)) == count  # the proposal was not stored


def test_libreoffice_saved_return_is_read_exactly(sample_desk: Desk, tmp_path: Path) -> None:
    expected = take_calc_send(sample_desk)
    sample_desk.update_program(2024, "4", {"purpose": "担当が先に直した目的。"})
    path = tmp_path / "calc_return.xlsx"
    shutil.copy(FIXTURES / "calc_return.xlsx", path)
    review: Review = sample_desk.collect_workbooks([path], year=2024)
    assert review.refused == ()
    got = {(f.program_id, f.field): (f.state, f.returned) for f in review.changes}
    want = {(c["program_id"], c["field"]): ("changed", c["returned"]) for c in expected["changes"]}
    want[("4", "purpose")] = ("conflict", want[("4", "purpose")][1])
    assert got == want
    assert {p.program_id: p.comment for p in review.workbooks[0].programs if p.comment} == dict(
        [expected["comment"]]
    )
    result = sample_desk.accept_returns(review, [f.key for f in review.changes if f.state == "changed"])
    assert len(result.stored) == 2
    assert (
        sample_desk.program(2024, "5").outcome
        == "ＳＮＳの登録者数が前年度より１２％増えた。\n動画の再生回数も増えた。"
    )
    assert (
        sample_desk.history(2024, "7")[0].source
        == "calc_return.xlsx（" + f"{review.workbooks[0].saved_at:%Y-%m-%d}）"
    )


def test_send_to_a_missing_folder_or_department_is_refused(sample_desk: Desk, tmp_path: Path) -> None:
    from evaldesk.errors import EvaldeskError

    with pytest.raises(EvaldeskError, match="フォルダ"):
        sample_desk.send_workbooks(2024, out_dir=tmp_path / "nowhere")
    with pytest.raises(EvaldeskError, match="部署「存在しない課」"):
        sample_desk.send_workbooks(2024, ["存在しない課"], out_dir=tmp_path)
    assert not list(tmp_path.glob("*.xlsx"))
    assert {r.state for r in sample_desk.round_status(2024)} == {"unsent"}


def test_sent_on_one_pc_collected_on_another(sample_desk: Desk, tmp_path: Path) -> None:
    """Shared mode: the send record is in the database, so any PC of the office can collect."""
    paths = _send(sample_desk, tmp_path / "out")
    set_cells(paths["市長公室秘書課"], {("3", "overview"): "別の PC で回収する概要。"})
    other_pc = Desk(sample_desk.url, backup_dir=tmp_path / "pc2")
    try:
        review = other_pc.collect_workbooks([paths["市長公室秘書課"]], year=2024)
        assert [(f.program_id, f.state) for f in review.changes] == [("3", "changed")]
        other_pc.accept_returns(review, [f.key for f in review.changes])
    finally:
        other_pc.close()
    assert sample_desk.program(2024, "3").overview == "別の PC で回収する概要。"
    states = {r.department: r.state for r in sample_desk.round_status(2024)}
    assert states["市長公室秘書課"] == "accepted" and states["市長公室広報戦略課"] == "sent"


def test_departments_whose_file_names_would_collide_get_two_files(desk: Desk, tmp_path: Path) -> None:
    table = truth_table()
    rows = list(table.rows)
    rows[0] = dataclasses.replace(rows[0], department="総務部/課")  # "/" cannot be in a file name
    rows[1] = dataclasses.replace(rows[1], department="総務部_課")
    desk.import_table(dataclasses.replace(table, rows=tuple(rows)), year=2024)
    sent = desk.send_workbooks(2024, ["総務部/課", "総務部_課"], out_dir=tmp_path)
    assert [w.path.name for w in sent] == [
        "令和6年度_事務事業_総務部_課.xlsx",
        "令和6年度_事務事業_総務部_課_2.xlsx",
    ]
    review = desk.collect_workbooks([tmp_path], year=2024)
    assert (
        sorted(w.department for w in review.workbooks) == ["総務部/課", "総務部_課"] and review.refused == ()
    )
