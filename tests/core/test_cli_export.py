"""`evaldesk export`: list and sheet PDFs, CSV and Excel, and clear errors, from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from evaldesk.cli import main
from evaldesk.desk import Desk


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(path)
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def db(sample_desk: Desk) -> str:
    return sample_desk.url


def test_sheets_for_chosen_programs(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheets.pdf"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "--year",
                "R6",
                "--program",
                "159",
                "17",
                "--layout",
                "sheet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = _squash(_pdf_text(out))
    assert "外国人生活支援事業（旧：国際交流員・留学生交流員事業）" in text
    assert "防災設備等整備事業" in text
    assert "秘書業務" not in text
    assert "2 事業" in capsys.readouterr().out


def test_list_for_a_department(db: str, tmp_path: Path) -> None:
    out = tmp_path / "list.pdf"
    assert (
        main(["--db", db, "export", "--department", "危機管理課", "--layout", "list", "--out", str(out)]) == 0
    )
    text = _squash(_pdf_text(out))
    assert "令和６年度" in text or "令和6年度" in text
    for name in ("防災設備等整備事業", "防災啓発・地域防災活動支援事業", "危機管理体制整備事業"):
        assert name in text
    assert "秘書業務" not in text


def test_csv_opens_in_excel_with_every_program(db: str, tmp_path: Path, sample_desk: Desk) -> None:
    out = tmp_path / "list.csv"
    assert main(["--db", db, "export", "--layout", "list", "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    body = rows[1:]
    assert len(body) == 20
    programs = sample_desk.programs(2024)
    flat = "".join("".join(r) for r in body)
    for p in programs:
        assert _squash(p.outcome) in _squash(flat)


def test_xlsx_from_the_file_suffix(db: str, tmp_path: Path, sample_desk: Desk) -> None:
    out = tmp_path / "list.xlsx"
    assert main(["--db", db, "export", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    values = ["" if c is None else str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    for p in sample_desk.programs(2024):
        assert p.purpose in values


def test_unknown_program_is_one_line_error(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["--db", db, "export", "--program", "99999", "--layout", "sheet", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "99999" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
