"""Bad input gives one typed error with a Japanese sentence naming the file, never a raw exception."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from evaldesk.errors import (
    Cancelled,
    DamagedPdfError,
    EmptyFileError,
    InputFileError,
    NoTableError,
    NotAPdfError,
    NoUnicodeMapError,
    PasswordRequiredError,
    ScannedPdfError,
)
from evaldesk.importer import parse_pdf
from tests.core.tablegen import _font, make_programs, make_table_pdf


def _raises(kind: type[InputFileError], path: Path, **kwargs: object) -> InputFileError:
    with pytest.raises(kind) as info:
        parse_pdf(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert path.name in message
    assert message.count("。") == 1 and message.endswith("。")
    return info.value


@pytest.fixture
def table_pdf(tmp_path: Path) -> Path:
    return make_table_pdf(tmp_path / "table.pdf", make_programs(25, seed=11))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    _raises(EmptyFileError, path)


def test_text_file_renamed_to_pdf(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    path.write_text("事務事業評価の一覧はこちらです。\n", encoding="utf-8")
    _raises(NotAPdfError, path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_truncated_file_is_refused(tmp_path: Path, table_pdf: Path, keep: float) -> None:
    data = table_pdf.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    _raises(DamagedPdfError, path)


def test_garbage_after_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    _raises(DamagedPdfError, path)


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (400, 300), color=200).save(buf, format="PNG")
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    for _ in range(2):
        canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 40, 200, width=500, height=400)
        canvas.showPage()
    canvas.save()
    err = _raises(ScannedPdfError, path)
    assert "OCR" in str(err)


def test_user_password_needed_then_wrong_then_right(tmp_path: Path) -> None:
    programs = make_programs(8, seed=2)
    path = make_table_pdf(tmp_path / "locked.pdf", programs, encrypt=("himitsu", "owner-pw"))
    err = _raises(PasswordRequiredError, path)
    assert isinstance(err, PasswordRequiredError) and not err.wrong
    err = _raises(PasswordRequiredError, path, password="chigau")
    assert isinstance(err, PasswordRequiredError) and err.wrong
    table = parse_pdf(path, password="himitsu")
    assert [r.program_id for r in table.rows] == [p["program_id"] for p in programs]


def test_owner_password_only_imports(tmp_path: Path) -> None:
    programs = make_programs(8, seed=4)
    path = make_table_pdf(tmp_path / "owner.pdf", programs, encrypt=("", "owner-pw"))
    table = parse_pdf(path)
    assert [r.name for r in table.rows] == [p["name"] for p in programs]


def test_missing_tounicode(tmp_path: Path, table_pdf: Path) -> None:
    path = tmp_path / "nomap.pdf"
    path.write_bytes(table_pdf.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX"))
    err = _raises(NoUnicodeMapError, path)
    assert "Unicode" in str(err)


def test_letter_without_table(tmp_path: Path) -> None:
    font = _font("mincho")
    path = tmp_path / "letter.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(font, 11)
    lines = [
        "令和７年５月１日",
        "各課長　様",
        "事務事業評価の実施について（依頼）",
        "標記について、別添のとおり事業の目的、概要及び成果を記入の上、",
        "５月３０日までに提出してください。",
    ]
    for i, text in enumerate(lines):
        canvas.drawString(72, 760 - i * 20, text)
    canvas.showPage()
    canvas.save()
    _raises(NoTableError, path)


def test_cancel_from_progress_propagates(table_pdf: Path) -> None:
    def cancel(done: int, total: int) -> None:
        raise Cancelled("取り込みを中止しました。")

    with pytest.raises(Cancelled):
        parse_pdf(table_pdf, progress=cancel)


def test_missing_rows_are_warned_not_silent(tmp_path: Path) -> None:
    programs = [dict(p) for p in make_programs(8, seed=3)]
    for i, p in enumerate(programs, start=1):
        p["no"] = i
    del programs[4]  # No.5 lost, as when a damaged page drops rows
    table = parse_pdf(make_table_pdf(tmp_path / "gap.pdf", programs))
    assert [r.no for r in table.rows] == [1, 2, 3, 4, 6, 7, 8]
    assert any("No.4" in w and "No.6" in w for w in table.warnings), table.warnings


def test_complete_table_has_no_sequence_warning(table_pdf: Path) -> None:
    assert not [w for w in parse_pdf(table_pdf).warnings if "の次が" in w]


def test_table_not_starting_at_one_is_warned(tmp_path: Path) -> None:
    programs = [dict(p) for p in make_programs(6, seed=4)]
    for i, p in enumerate(programs, start=1):
        p["no"] = i
    table = parse_pdf(make_table_pdf(tmp_path / "tail.pdf", programs[3:]))
    assert [r.no for r in table.rows] == [4, 5, 6]
    assert any("No.4 から" in w for w in table.warnings), table.warnings


def test_text_that_reads_as_western_signs_is_called_garbled(tmp_path: Path) -> None:
    """A Japanese table re-encoded without its character map reads as €‚ƒ„… : not 'no table', but why."""
    path = tmp_path / "garbled.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    for i in range(30):
        canvas.drawString(
            40, 800 - i * 20, "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃ"[i % 7 :]
        )
    canvas.showPage()
    canvas.save()
    err = _raises(NoUnicodeMapError, path)
    assert "対応表" in str(err)
