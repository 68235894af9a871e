"""Hostile PDFs: the work and memory of an import are bounded per page, measured on a real child."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evaldesk.errors import TooComplexPdfError
from evaldesk.importer import parse_pdf
from evaldesk.importer.limits import oversized_page
from tests.conftest import SAMPLE_PDF
from tests.core.hostile import fanned_forms, huge_content, many_chars, measure_cli, path_bomb
from tests.core.tablegen import make_programs, make_table_pdf

PRODUCERS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "producers").glob("*.pdf"))

HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    # a 2.4 KB file: forms drawing forms ten times, nine deep (10^9 paths once expanded)
    "fanned-forms": (fanned_forms, "描画の指示が多すぎる"),
    # a 1.7 MB file whose content inflates to 300 MB of path operators
    "huge-content": (huge_content, "描画の指示が多すぎる"),
    # 7 KB: 280,000 separate rectangles
    "path-bomb": (path_bomb, "描画の指示が多すぎる"),
    # a filter the raw-file measure does not read: the cap on loaded objects stops it
    "path-bomb-runlength": (
        lambda p: path_bomb(p, paths=150_000, run_length=True),
        "部品が多すぎる（150,000 個）",
    ),
    # 300,000 characters on one page
    "many-chars": (many_chars, "文字が多すぎる"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_pdf_is_refused_naming_the_page_in_bounded_time_and_memory(tmp_path: Path, kind: str) -> None:
    make, words = HOSTILE[kind]
    pdf = make(tmp_path / f"{kind}.pdf")
    done = measure_cli("--db", tmp_path / "h.sqlite3", "import", pdf, "--year", "2024", timeout=60)
    print(
        f"{kind}: {pdf.stat().st_size:,} bytes, exit {done.code}, {done.seconds:.1f} s, {done.peak_mb:.0f} MB"
    )
    assert done.code == 1, done.err[-2000:]
    [line] = done.err.strip().splitlines()
    assert line.startswith("エラー: ") and "1 ページ目" in line and words in line and pdf.name in line
    assert done.peak_mb < 300
    assert done.seconds < 30


def test_the_refusal_is_a_typed_error_with_the_page(tmp_path: Path) -> None:
    with pytest.raises(TooComplexPdfError) as caught:
        parse_pdf(fanned_forms(tmp_path / "f.pdf"))
    assert caught.value.page == 0 and caught.value.path == "f.pdf"


@pytest.mark.parametrize("pdf", [*PRODUCERS, SAMPLE_PDF], ids=lambda p: p.stem)
def test_real_tables_are_far_under_the_caps(pdf: Path) -> None:
    assert oversized_page(pdf.read_bytes()) is None


@pytest.mark.slow  # about a minute to make 2,000 pages and two to read them on a loaded machine
def test_a_2000_page_table_imports_under_500_mb(tmp_path: Path) -> None:
    pdf = make_table_pdf(tmp_path / "big.pdf", make_programs(7600, seed=3))
    done = measure_cli(
        "--db", tmp_path / "big.sqlite3", "import", pdf, "--year", "2024", "--dry-run", "--accept-warnings",
        timeout=900, limit_mb=4096,
    )  # fmt: skip
    print(f"2,000 pages: exit {done.code}, {done.seconds:.0f} s, peak {done.peak_mb:.0f} MB")
    assert done.code == 0, done.err[-2000:]
    assert "7600 事業" in done.out and "ページを確認しました" in done.out
    pages = int(done.out.split("事業、")[1].split(" ページ")[0])
    assert pages >= 2000
    assert done.peak_mb < 500
