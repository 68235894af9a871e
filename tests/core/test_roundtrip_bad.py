"""Bad returns: each gets its one sentence and leaves the database byte for byte as it was."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl.worksheet.worksheet import Worksheet

from evaldesk.desk import Desk
from tests.conftest import truth_table
from tests.core.roundtrip_helpers import FIXTURES, edit_workbook, fingerprint, row_of, set_cells, settle

DEP = "市長公室広報戦略課"


@pytest.fixture
def sent(sample_desk: Desk, tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    [w] = sample_desk.send_workbooks(2024, [DEP], out_dir=tmp_path / "out")
    set_cells(w.path, {("4", "purpose"): "課が直した目的。"})  # a real change the refusal must not store
    return w.path


def _refused(desk: Desk, path: Path, **kw: object) -> tuple[str, str]:
    settle(desk)
    before = fingerprint(desk)
    review = desk.collect_workbooks([path], **kw)  # type: ignore[arg-type]
    assert review.workbooks == ()
    [refusal] = review.refused
    assert fingerprint(desk) == before, "a refused workbook changed the database"
    assert desk.program(2024, "4").purpose != "課が直した目的。"
    assert "\n" not in refusal.message and refusal.message.endswith("。")
    assert path.name in refusal.message
    return refusal.kind, refusal.message


def _key_changed(ws: Worksheet) -> None:
    ws[f"A{row_of(ws, '5')}"] = "55"


def _rows_deleted(ws: Worksheet) -> None:
    ws.delete_rows(row_of(ws, "5"))


def _department_changed(ws: Worksheet) -> None:
    ws[f"B{row_of(ws, '7')}"] = "市長公室秘書課"


def _hidden_changed(ws: Worksheet) -> None:
    ws["B3"] = "市長公室秘書課"  # the hidden sheet says another 部署 now


def _hidden_hash_changed(ws: Worksheet) -> None:
    ws["D13"] = "0" * 32


@pytest.mark.parametrize(
    ("change", "sheet", "kind", "words"),
    [
        (
            _key_changed,
            "事務事業",
            "LockedCellsChangedError",
            "事業番号が書き換えられています（4 行目: 5 → 55）",
        ),
        (_rows_deleted, "事務事業", "LockedCellsChangedError", "行が削除"),
        (_department_changed, "事務事業", "LockedCellsChangedError", "部署名が書き換えられています"),
        (_hidden_changed, "evaldesk", "MetaChangedError", "管理用シートが書き換えられています"),
        (_hidden_hash_changed, "evaldesk", "MetaChangedError", "管理用シートが書き換えられています"),
    ],
)
def test_edited_beyond_the_editable_cells(
    sample_desk: Desk, sent: Path, change: Callable[[Worksheet], None], sheet: str, kind: str, words: str
) -> None:
    edit_workbook(sent, change, sheet=sheet)
    got_kind, message = _refused(sample_desk, sent)
    assert got_kind == kind and words in message


def test_hidden_sheet_removed(sample_desk: Desk, sent: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(sent)
    del wb["evaldesk"]
    wb.save(sent)
    kind, message = _refused(sample_desk, sent)
    assert kind == "NotFromEvaldeskError" and "管理用シートがありません" in message


def test_workbook_of_another_year(sample_desk: Desk, tmp_path: Path) -> None:
    sample_desk.import_table(truth_table(title_year=2023), year=2023, file_name="r5.pdf")
    (tmp_path / "r5").mkdir()
    [w] = sample_desk.send_workbooks(2023, [DEP], out_dir=tmp_path / "r5")
    set_cells(w.path, {("4", "purpose"): "課が直した目的。"})
    kind, message = _refused(sample_desk, w.path, year=2024)
    assert kind == "WrongRoundError"
    assert message == f"{w.path.name} は令和5年度のブックです（回収しているのは令和6年度）。"


def test_workbook_of_another_department(sample_desk: Desk, sent: Path) -> None:
    kind, message = _refused(sample_desk, sent, year=2024, department="市長公室秘書課")
    assert (
        kind == "WrongRoundError"
        and "市長公室広報戦略課のブックです（回収しているのは市長公室秘書課）" in message
    )


def test_workbook_sent_by_another_database(sample_desk: Desk, sent: Path, tmp_path: Path) -> None:
    other = Desk(f"sqlite:///{tmp_path / 'other.sqlite3'}", backup_dir=tmp_path / "other-backups")
    try:
        other.import_table(truth_table(), year=2024, file_name="r6.pdf")
        settle(other)
        before = fingerprint(other)
        [refusal] = other.collect_workbooks([sent]).refused
        assert refusal.kind == "MetaChangedError" and "送付した記録がありません" in refusal.message
        assert fingerprint(other) == before
    finally:
        other.close()


def test_program_no_longer_in_evaldesk(sample_desk: Desk, sent: Path) -> None:
    rows = [r for r in truth_table().rows if r.program_id != "13"]
    table = dataclasses.replace(truth_table(), rows=tuple(rows))
    sample_desk.import_table(table, year=2024, file_name="r6b.pdf", replace=True)
    kind, message = _refused(sample_desk, sent)
    assert (
        kind == "ProgramGoneError"
        and "事業番号 13" in message
        and "もう evaldesk の令和6年度にありません" in message
    )


def test_not_a_workbook(sample_desk: Desk, tmp_path: Path) -> None:
    text = tmp_path / "返送.xlsx"
    text.write_text("これはブックではありません", encoding="utf-8")
    kind, message = _refused(sample_desk, text)
    assert (kind, message) == ("NotAWorkbookError", "返送.xlsx は Excel ブック（.xlsx）ではありません。")
    other_zip = tmp_path / "文書.xlsx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    kind, message = _refused(sample_desk, other_zip)
    assert kind == "NotAWorkbookError" and "壊れているか別の形式" in message


@pytest.mark.parametrize("name", ["calc_return.xls", "password.xlsx"])
def test_old_format_or_password_says_save_as_xlsx(sample_desk: Desk, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".xls"):
        shutil.copy(FIXTURES / "calc_return.xls", path)  # saved by LibreOffice as Excel 97-2003
    else:
        # An encrypted .xlsx is an OLE2 compound file holding EncryptionInfo and EncryptedPackage.
        path.write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
        )
    kind, message = _refused(sample_desk, path)
    assert kind == "SaveAsXlsxError"
    assert (
        "パスワード付きか古い形式（.xls）" in message
        and "Excel ブック（.xlsx）として保存し直してください" in message
    )


def test_a_bad_file_among_good_ones_refuses_only_itself(
    sample_desk: Desk, sent: Path, tmp_path: Path
) -> None:
    (sent.parent / "メモ.xlsx").write_bytes(b"not a workbook")
    (sent.parent / "~$lock.xlsx").write_bytes(b"excel lock file")
    review = sample_desk.collect_workbooks([sent.parent], year=2024)
    assert [w.department for w in review.workbooks] == [DEP]
    assert [r.path.name for r in review.refused] == ["メモ.xlsx"]


def test_a_part_expanding_past_the_cap_is_not_read(
    sample_desk: Desk, sent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaldesk.roundtrip import xlsx

    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 2000)  # the cap scaled down: a sheet of 4 programs is past it
    kind, message = _refused(sample_desk, sent)
    assert kind == "NotAWorkbookError" and "大きすぎるため読みませんでした" in message
