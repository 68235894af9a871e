"""Header labels spread over their cells (均等割り付け) in tables without vertical rules.

A spreadsheet's "distributed" alignment runs each label from one edge of its cell to the other; with
no rule between the cells, 「部署名」's 名 touches 「No.」's N, and a line read by gaps alone shows
「名No.」「号事」. The importer cuts the line where the character pitch changes, and labels it does
not know (予算額（千円）, 評価, 今後の方向性) are columns of their own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from evaldesk.errors import NoTableError
from evaldesk.importer import parse_pdf
from evaldesk.importer.header import find_headers
from evaldesk.importer.pdfchars import open_pdf
from evaldesk.importer.segments import page_segments
from evaldesk.records import ParsedTable
from tests.core.tablegen import DEFAULT_LABELS, DEFAULT_WIDTHS, make_programs, make_table_pdf
from tests.core.test_importer_producers import PRODUCERS, _key, _parse, _rates

CELLS = ("program_id", "name", "department", "purpose", "overview", "outcome")


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _check(table: ParsedTable, programs: list[dict[str, Any]]) -> None:
    """Every program read, every cell equal ignoring whitespace, and nothing doubted."""
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    for row, want in zip(table.rows, programs, strict=True):
        for f in CELLS:
            assert _squash(row.text(f)) == _squash(str(want[f])), f"No.{want['no']} {f}: {row.text(f)!r}"
    assert table.doubts == ()


@pytest.mark.parametrize("inset", [3.0, 1.0, 0.5, 0.2])
@pytest.mark.parametrize("lines", ["header_rule", "none"])
def test_spread_labels_without_vertical_rules(tmp_path: Path, lines: str, inset: float) -> None:
    """From labels well inside their cells to labels touching the next one (inset 0.5 and 0.2 pt)."""
    programs = make_programs(12, seed=8)
    pdf = make_table_pdf(
        tmp_path / "t.pdf", programs, lines=lines, header_distributed=True, distribute_inset=inset
    )
    _check(parse_pdf(pdf), programs)


EXTRA_ORDER = ("department", "no", "program_id", "name", "budget", "purpose", "grade", "overview", "plan",
               "outcome")  # fmt: skip
EXTRA_LABELS = {
    **DEFAULT_LABELS,
    "budget": "予算額（千円）",
    "grade": "評価",
    "plan": "今後の方向性",
    "no": "No.",
    "outcome": "成果",
}


def _with_extras(programs: list[dict[str, Any]]) -> None:
    for i, p in enumerate(programs):
        p["budget"] = f"{(i * 7919) % 90000 + 1000:,}"
        p["grade"] = "ABC"[i % 3]
        p["plan"] = ("拡充", "継続", "縮小")[i % 3]


@pytest.mark.parametrize(
    ("lines", "inset", "plan_width"),
    [("header_rule", 0.5, 2.2), ("none", 0.5, 1.2), ("none", 1.5, 2.2), ("header_rule", 0.2, 1.2)],
)
def test_spread_labels_with_unknown_columns_in_between(
    tmp_path: Path, lines: str, inset: float, plan_width: float
) -> None:
    """Shuffled columns with three the importer does not know; 「今後の方向性」 wraps in a narrow cell.

    The figures of 予算額 must not be glued to 事業の目的, nor 評価 to 事業の概要."""
    programs = make_programs(12, seed=5)
    _with_extras(programs)
    widths = {**DEFAULT_WIDTHS, "budget": 1.6, "grade": 0.7, "plan": plan_width}
    pdf = make_table_pdf(
        tmp_path / "x.pdf", programs, lines=lines, header_distributed=True, distribute_inset=inset,
        order=EXTRA_ORDER, labels=EXTRA_LABELS, widths=widths,
    )  # fmt: skip
    table = parse_pdf(pdf)
    _check(table, programs)
    with open_pdf(pdf) as doc:
        page = doc.read_page(0)
        (header,) = find_headers(page_segments(page.chars))
    # One header column per printed column: the unknown ones neither glued nor split.
    assert [f for f, _, _ in header.labels] == [f if f in CELLS or f == "no" else "" for f in EXTRA_ORDER]


def test_unreadable_header_is_refused_saying_why(tmp_path: Path) -> None:
    """Labels that name no column the importer knows: nothing is stored, and the message says what is
    missing rather than storing cells under guessed columns."""
    programs = make_programs(6, seed=3)
    labels = {f: f"項目{i}" for i, f in enumerate(DEFAULT_LABELS)}
    pdf = make_table_pdf(tmp_path / "u.pdf", programs, labels=labels, header_distributed=True,
                         distribute_inset=0.5, lines="none")  # fmt: skip
    with pytest.raises(NoTableError) as caught:
        parse_pdf(pdf)
    message = str(caught.value)
    assert "u.pdf" in message and "一覧表が見つかりません" in message
    assert "見出し行" in message and "事務事業名" in message


SPREAD_FIXTURES = sorted(p.stem for p in PRODUCERS.glob("*spread*.pdf"))


@pytest.mark.parametrize("name", SPREAD_FIXTURES)
def test_spread_producer_fixtures_read_every_cell(name: str) -> None:
    """The whitespace-blind bar for every producer fixture with spread labels, including those listed
    as known failures for their paragraph breaks: a header misread there shows here, not as an xfail."""
    programs: list[dict[str, Any]] = _key(name)["programs"]
    table = _parse(name)
    cells, loose, _exact, misses = _rates(table, programs)
    assert len(table.rows) == len(programs)
    assert loose == cells, "\n".join(misses[:10])
    assert table.doubts == ()
