"""Printed lists and evaluation sheets, CSV and XLSX: what a reader of the output would notice."""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest

from evaldesk.errors import Cancelled, ExportError
from evaldesk.export import (
    ExportResult,
    export_csv,
    export_list_pdf,
    export_sheets_pdf,
    export_xlsx,
    sheet_overflow,
)
from evaldesk.export import list_pdf as list_pdf_mod
from evaldesk.export import sheet_pdf as sheet_pdf_mod
from evaldesk.export.linebreak import NO_END, NO_START, LineBreaker
from evaldesk.records import TEXT_FIELDS, Program
from tests.conftest import load_truth

PRINTED = date(2025, 1, 15)
CLOSING = "、。，．）」』】〕〉》ー：；？！‥…ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"


def truth_programs() -> list[Program]:
    data = load_truth()
    return [
        Program(fiscal_year=2024, revision=1, updated_at=datetime(2025, 1, 1), **p) for p in data["programs"]
    ]


def page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def bounded_texts(path: Path, *, left: float, right: float, bottom: float, top: float) -> list[str]:
    """The text inside one rectangle (PDF points from the bottom left) of every page."""
    pdf = pdfium.PdfDocument(path)
    try:
        out = []
        for page in pdf:
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top))
            textpage.close()
            page.close()
        return out
    finally:
        pdf.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def long_outcome(n: int = 20_000) -> str:
    unit = "・市民からの相談１，１９４件に対応し、（満足度）は前年比で向上した。"
    text = ""
    i = 0
    while len(text) < n:
        text += f"{unit}第{i}回。"
        if i % 7 == 6:
            text += "\n"
        i += 1
    return text[:n]


# -- line breaking ---------------------------------------------------------------------------


def breaker(width_em: float) -> LineBreaker:
    return LineBreaker(lambda ch: 0.5 if ch.isascii() else 1.0, max_width=width_em, em=1.0)


def test_no_line_starts_with_a_closing_mark_nor_ends_with_an_opening_one() -> None:
    text = (
        "特別職（市長及び副市長）の公務等を「円滑かつ」効率的に遂行する。ちょっと待って？！ショッピング…ぁ"
        * 12
    )
    for width in range(6, 30):
        lines = breaker(width).lines(text)
        assert "".join(ln.text for ln in lines) == text
        for ln in lines[1:]:
            assert ln.text[0] not in NO_START, (width, ln.text)
        for ln in lines[:-1]:
            assert ln.text[-1] not in NO_END, (width, ln.text)


def test_hard_breaks_and_bullets_are_kept_and_a_midline_dot_never_starts_a_line() -> None:
    text = "・一つ目の項目で運転・管理・整備・見直しを行った。\n・二つ目\n\n三行目"
    for width in range(4, 20):
        lines = breaker(width).lines(text)
        opens = [i for i, ln in enumerate(lines) if ln.text.startswith("・")]
        paragraph_firsts = [0] + [i + 1 for i, ln in enumerate(lines[:-1]) if not ln.soft]
        assert set(opens) <= set(paragraph_firsts), (width, [ln.text for ln in lines])
        paragraphs: list[str] = []
        current = ""
        for ln in lines:
            current += ln.text
            if not ln.soft:
                paragraphs.append(current)
                current = ""
        assert "\n".join(paragraphs) == text


def test_numbers_and_latin_words_move_whole_to_the_next_line_when_they_can() -> None:
    for word in ("１，１９４", "ABCDEFGH", "https://x.jp/a"):
        lines = breaker(20).lines("あ" * 17 + word + "件")
        assert lines[1].text.startswith(word), [ln.text for ln in lines]
    # A word longer than a line is split rather than leaving a line nearly empty.
    lines = breaker(10).lines("あ" * 3 + "x" * 30)
    assert len(lines[0].text) > 4


def test_full_width_digits_and_spaces_are_untouched() -> None:
    text = "相談：毎週月曜日\u3000\u3000\u3000一般相談（面談）１２３件"
    assert "".join(ln.text for ln in breaker(6).lines(text)) == text


# -- list PDF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def list_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportResult]:
    out = tmp_path_factory.mktemp("list") / "list.pdf"
    return out, export_list_pdf(truth_programs(), out, year=2024, printed_on=PRINTED)


@pytest.fixture(scope="module")
def sheets_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportResult]:
    out = tmp_path_factory.mktemp("sheet") / "sheets.pdf"
    return out, export_sheets_pdf(truth_programs(), out, year=2024, printed_on=PRINTED)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
@pytest.mark.parametrize("which", ["list_pdf", "sheets_pdf"])
def test_every_font_is_embedded(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = request.getfixturevalue(which)
    report = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = report.splitlines()[2:]
    assert rows
    for row in rows:
        fields = row.split()
        assert fields[-5] == "yes", row  # emb
        assert "BIZUD" in fields[0], row


def test_list_has_title_header_page_numbers_and_date_on_every_page(
    list_pdf: tuple[Path, ExportResult],
) -> None:
    path, result = list_pdf
    texts = page_texts(path)
    assert result.pages == len(texts) > 1
    assert result.programs == 20
    for number, text in enumerate(texts, start=1):
        assert "令和6年度\u3000事務事業評価結果一覧" in text
        assert all(
            label in text for label in ("No.", "事業番号", "事務事業名", "部署名", "事業の目的", "成果")
        )
        assert f"{number} / {len(texts)}" in text
        assert "印刷日\u3000令和7年1月15日" in text


@pytest.mark.parametrize("which", ["list_pdf", "sheets_pdf"])
def test_every_text_is_printed_in_full(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = request.getfixturevalue(which)
    printed = squash("".join(page_texts(path)))
    for program in truth_programs():
        for field in TEXT_FIELDS:
            assert squash(program.text(field)) in printed, (program.program_id, field)


@pytest.mark.parametrize("which", ["list_pdf", "sheets_pdf"])
def test_no_printed_line_starts_with_a_closing_mark(which: str, request: pytest.FixtureRequest) -> None:
    path, _ = request.getfixturevalue(which)
    for text in page_texts(path):
        for line in text.splitlines():
            line = line.strip()
            assert not line or line[0] not in CLOSING, line


def test_list_of_one_department_names_it_in_the_title(tmp_path: Path) -> None:
    programs = truth_programs()
    dept = programs[0].department
    mine = [p for p in programs if p.department == dept]
    result = export_list_pdf(mine, tmp_path / "d.pdf", year=2024, department=dept, printed_on=PRINTED)
    assert result.programs == len(mine) == 3
    assert f"事務事業評価結果一覧（{dept}）" in page_texts(tmp_path / "d.pdf")[0]


def test_a_row_taller_than_a_page_continues_with_the_header_repeated(tmp_path: Path) -> None:
    programs = truth_programs()[:3]
    programs[1] = dataclasses.replace(programs[1], outcome=long_outcome(6000))
    out = tmp_path / "tall.pdf"
    result = export_list_pdf(programs, out, year=2024, printed_on=PRINTED)
    texts = page_texts(out)
    assert result.pages >= 3
    assert all("事務事業名" in t for t in texts)
    x0 = (list_pdf_mod.PAGE_W - list_pdf_mod.TABLE_W) / 2 + sum(w for _n, w in list_pdf_mod.COLUMNS[:-1])
    column = bounded_texts(out, left=x0, right=list_pdf_mod.PAGE_W, bottom=40, top=list_pdf_mod.PAGE_H - 72)
    assert squash(programs[1].outcome) in squash("".join(column))


# -- sheets -----------------------------------------------------------------------------------


def test_one_sheet_per_program_with_heading_and_labels(sheets_pdf: tuple[Path, ExportResult]) -> None:
    path, result = sheets_pdf
    texts = page_texts(path)
    assert result.programs == 20
    assert result.pages == len(texts) >= 20
    first = texts[0]
    for label in (
        "令和6年度\u3000事務事業評価シート",
        "年度",
        "事業番号",
        "事務事業名",
        "部署名",
        "事業の目的",
        "事業の概要",
        "成果",
    ):
        assert label in first
    assert "1 / " in first and "印刷日" in first


def test_a_very_long_outcome_continues_on_marked_pages_without_loss(tmp_path: Path) -> None:
    program = dataclasses.replace(truth_programs()[0], outcome=long_outcome())
    out = tmp_path / "long.pdf"
    result = export_sheets_pdf([program], out, year=2024, printed_on=PRINTED)
    texts = page_texts(out)
    assert result.pages == len(texts) > 5
    assert all("（続き）" in t for t in texts[1:])
    assert "（続き）" not in texts[0]
    boxes = bounded_texts(
        out,
        left=sheet_pdf_mod.MARGIN_X + sheet_pdf_mod.LABEL_W,
        right=sheet_pdf_mod.PAGE_W,
        bottom=sheet_pdf_mod.MARGIN_BOTTOM + sheet_pdf_mod.FOOTER_H,
        top=sheet_pdf_mod.PAGE_H - sheet_pdf_mod.MARGIN_TOP - sheet_pdf_mod.HEADING_H - 25,
    )
    printed = squash("".join(boxes))
    assert squash(program.outcome) in printed
    assert squash(program.overview) in printed
    overflow = sheet_overflow(program)
    assert overflow["outcome"] > 10
    assert overflow["purpose"] < 1


def test_sheet_overflow_reports_each_field(tmp_path: Path) -> None:
    program = truth_programs()[0]
    overflow = sheet_overflow(program)
    assert set(overflow) == set(TEXT_FIELDS)
    assert all(0 < v < 1 for v in overflow.values())
    slightly = dataclasses.replace(program, overview=program.overview * 7)
    assert 1 < sheet_overflow(slightly)["overview"] < 1.25
    result = export_sheets_pdf([slightly], tmp_path / "s.pdf", year=2024)
    assert result.pages == 1  # shrunk to fit, no continuation page


def test_a_character_no_font_has_is_replaced_and_reported(tmp_path: Path) -> None:
    program = dataclasses.replace(truth_programs()[0], name="𠮷野家との連携事業")
    for export in (export_sheets_pdf, export_list_pdf):
        out = tmp_path / f"{export.__name__}.pdf"
        result = export([program], out, year=2024, printed_on=PRINTED)
        assert len(result.warnings) == 1
        assert "𠮷" in result.warnings[0] and "U+20BB7" in result.warnings[0]
        assert "事業番号 1" in result.warnings[0]
        assert "〓野家との連携事業" in "".join(page_texts(out))


def test_cancelling_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "sheets.pdf"
    out.write_bytes(b"old")

    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled):
        export_sheets_pdf(truth_programs(), out, year=2024, progress=cancel)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["sheets.pdf"]


def test_progress_is_reported_per_program(tmp_path: Path) -> None:
    for export in (export_sheets_pdf, export_list_pdf):
        seen: list[tuple[int, int]] = []

        def progress(done: int, total: int, seen: list[tuple[int, int]] = seen) -> None:
            seen.append((done, total))

        export(truth_programs(), tmp_path / "p.pdf", year=2024, progress=progress)
        assert seen == [(i, 20) for i in range(1, 21)]


def test_wrong_year_or_nothing_to_print_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export_list_pdf([], tmp_path / "x.pdf", year=2024)
    with pytest.raises(ExportError):
        export_sheets_pdf(truth_programs(), tmp_path / "x.pdf", year=2023)
    with pytest.raises(ExportError):
        export_csv(truth_programs(), tmp_path / "missing" / "x.csv", year=2024)


# -- CSV / XLSX -------------------------------------------------------------------------------


def test_csv_opens_in_excel_and_keeps_texts_exactly(tmp_path: Path) -> None:
    out = tmp_path / "list.csv"
    result = export_csv(truth_programs(), out, year=2024)
    assert result.programs == 20
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["No.", "事業番号", "事務事業名", "部署名", "事業の目的", "事業の概要", "成果"]
    for program, row in zip(truth_programs(), rows[1:], strict=True):
        assert row == [
            str(program.no),
            program.program_id,
            program.name,
            program.department,
            program.purpose,
            program.overview,
            program.outcome,
        ]


def test_xlsx_has_title_bold_frozen_header_and_exact_texts(tmp_path: Path) -> None:
    programs = truth_programs()
    programs[0] = dataclasses.replace(programs[0], name="=1+1 と書かれた事業")
    out = tmp_path / "list.xlsx"
    export_xlsx(programs, out, year=2024)
    wb = openpyxl.load_workbook(out)
    try:
        ws = wb.active
        assert ws is not None
        assert ws["A1"].value == "令和6年度\u3000事務事業評価結果一覧"
        assert ws["C2"].value == "事務事業名" and ws["C2"].font.bold
        assert ws.freeze_panes == "C3"
        assert ws["C3"].value == "=1+1 と書かれた事業" and ws["C3"].data_type == "s"
        assert ws["G3"].alignment.wrap_text
        assert ws["G3"].value == programs[0].outcome
        assert ws.max_row == 22
    finally:
        wb.close()
