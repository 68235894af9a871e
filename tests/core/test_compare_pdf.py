"""The printable comparison report: A4, embedded bundled font, texts and figures a reader looks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from evaldesk.compare import compare_years, write_comparison_pdf
from tests.core.test_compare import links, year_2023, year_2024


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    c = compare_years(year_2023(), year_2024(), links=links())
    out = tmp_path_factory.mktemp("compare") / "比較表.pdf"
    assert write_comparison_pdf(c, out) == out
    return out


def _text(path: Path) -> tuple[list[str], list[tuple[float, float]], set[str]]:
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
        fonts = {ch["fontname"] for p in pdf.pages for ch in p.chars}
    return pages, sizes, fonts


def test_a4_with_the_bundled_font_embedded(report: Path) -> None:
    pages, sizes, fonts = _text(report)
    assert len(pages) >= 2
    assert all(abs(w - 595.27) < 1 and abs(h - 841.89) < 1 for w, h in sizes)
    assert fonts and all("BIZUDGothic" in f for f in fonts)
    assert b"/FontFile2" in report.read_bytes()


def test_title_counts_and_changes(report: Path) -> None:
    pages, _, _ = _text(report)
    first = pages[0].replace(" ", "")
    assert "令和5年度→令和6年度事務事業比較表" in first
    assert "新規1件／終了2件／変更7件／変更なし13件" in first
    everything = "".join(pages).replace(" ", "").replace("\n", "")
    assert "【159】外国人生活支援事業" in everything
    assert "防災ラジオ配布事業" in everything  # removed
    # Both years' figures stand in the figures table.
    assert "１，０８７件" in everything and "１，１９４件" in everything and "+107" in everything
    # Programs that did not change are not shown as changes.
    assert "【1】" not in everything and "【158】" not in everything


def test_deletions_and_insertions_are_coloured(report: Path) -> None:
    with pdfplumber.open(report) as pdf:
        colours: dict[str, set[tuple[float, ...]]] = {}
        for page in pdf.pages:
            for ch in page.chars:
                colours.setdefault(ch["text"], set()).add(tuple(ch.get("non_stroking_color") or ()))
    # 「５８８」 was deleted (old side only) and 「６０３」 inserted (new side only).
    assert any(c and c[0] > 0.5 and c[2] < 0.2 for c in colours["５"])  # red
    assert any(c and c[2] > 0.5 and c[0] < 0.2 for c in colours["６"])  # blue


def test_a_long_text_splits_across_pages(tmp_path: Path) -> None:
    old, new = year_2023(), year_2024()
    long = "。".join(f"第{i}段落の説明文を長く書いた。" * 3 for i in range(120))
    new = [p if p.program_id != "3" else p.__class__(**{**_fields(p), "overview": long}) for p in new]
    out = write_comparison_pdf(compare_years(old, new, links=links()), tmp_path / "long.pdf")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 4
        text = "".join((p.extract_text() or "") for p in pdf.pages)
    assert "第119段落" in text.replace(" ", "").replace("\n", "")


def _fields(p: object) -> dict[str, Any]:
    return {name: getattr(p, name) for name in p.__slots__}  # type: ignore[attr-defined]
