"""Letters printed over other letters: a cell's text run on over the next cell's text is doubted."""

from __future__ import annotations

from pathlib import Path

from evaldesk.importer import parse_pdf
from evaldesk.importer.checks import Geometry, check_rows
from evaldesk.importer.overprint import OVERPRINT_REASON, overprinted
from evaldesk.importer.pdfchars import Char
from evaldesk.records import ParsedRow, SourceLocation
from tests.core.doubtgen import simple_table
from tests.core.tablegen import make_programs

SIZE = 9.0
TOP = 100.0


def _run(text: str, x: float, *, step: float = SIZE, top: float = TOP) -> list[Char]:
    """``text`` set solid from ``x``, one full-width glyph per ``step``."""
    return [Char(t, x + k * step, x + k * step + SIZE, top, top + SIZE, SIZE) for k, t in enumerate(text)]


# The name column ends at 200; the department's text starts 3 points right of it.
COLUMNS = {"name": (50.0, 200.0), "department": (200.0, 320.0), "purpose": (320.0, 500.0)}
BOUNDS = [(200.0, "name", "department"), (320.0, "department", "purpose")]


def _check(chars: list[Char]) -> set[tuple[int, str, str]]:
    row = ParsedRow(
        no=1,
        program_id="01",
        name="",
        department="",
        purpose="",
        overview="",
        outcome="",
        source=SourceLocation(page=0, top=TOP - 5, bottom=TOP + SIZE + 5),
    )
    geometry = Geometry(COLUMNS, BOUNDS, {0: chars}, {})
    doubts, _ = check_rows([row], geometry)
    assert all(d.reason == OVERPRINT_REASON for d in doubts if d.kind == "overprint")
    return {(d.row, d.field, d.kind) for d in doubts if d.kind == "overprint"}


def test_a_name_run_on_over_the_department_is_doubted_in_both_cells() -> None:
    # 「…運転・管理業務」 runs past 200 and interleaves with 「市長公室秘書課」 printed from 203.
    name = _run("特別職運転管理業務", 200.0 - 7 * SIZE)
    department = _run("市長公室秘書課", 203.0)
    chars = sorted(name + department, key=lambda c: c.x0)
    assert [(round(x0), round(x1), start) for _, x0, x1, start in overprinted(chars)] == [(200, 221, 207.5)]
    assert _check(chars) == {(0, "name", "overprint"), (0, "department", "overprint")}


def test_text_set_solid_or_a_fake_bold_double_glyph_is_not_doubted() -> None:
    plain = _run("管理業務", 200.0 - 4 * SIZE) + _run("市長公室秘書課", 203.0)
    assert overprinted(plain) == []
    # Fake bold: every glyph drawn twice, the second a little to the right (and up).
    bold = [
        Char(c.text, c.x0 + dx, c.x1 + dx, c.top - dy, c.bottom - dy, c.size)
        for c in plain
        for dx, dy in ((0.0, 0.0), (0.4, 0.2))
    ]
    assert overprinted(bold) == []
    assert _check(bold) == set()


def test_one_letter_or_mark_pushed_over_the_edge_is_left_to_the_reader() -> None:
    # A code too long for its cell prints its last figure over the rule, under the next cell's first
    # letter (WeasyPrint 「02-20-00|5職員…」); a 、 hangs over the next cell's text: one pair, no place.
    code = [Char(t, 186.0 + 5 * k, 191.0 + 5 * k, TOP, TOP + SIZE, SIZE) for k, t in enumerate("005")]
    assert overprinted(code + _run("職員研修", 199.0)) == []
    comma = [Char("、", 201.0, 210.0, TOP, TOP + SIZE, SIZE)]
    assert overprinted(_run("業務", 183.0) + comma + _run("市長公室", 203.0)) == []


def test_a_printed_table_whose_name_overprints_the_department_is_doubted(tmp_path: Path) -> None:
    # Texts that fit one line of simple_table's cells ...
    short = {"name": 8, "department": 8, "purpose": 14, "overview": 14, "outcome": 14}
    programs = [{**p, **{f: p[f][:n] for f, n in short.items()}} for p in make_programs(6, seed=3)]
    assert parse_pdf(simple_table(tmp_path / "clean.pdf", programs)).doubts == ()
    # ... but one name: 22 letters of 8 points from 3 points into a 130-point column: the last ones overprint 部署名.
    programs[2]["name"] = "市長車等特別職運転管理業務及び広報広聴推進支援"
    table = parse_pdf(simple_table(tmp_path / "over.pdf", programs))
    over = {(d.row, d.field) for d in table.doubts if d.kind == "overprint"}
    assert over == {(2, "name"), (2, "department")}
    assert any(d.label.startswith("No.3") and "重なり合って" in d.reason for d in table.doubts)
