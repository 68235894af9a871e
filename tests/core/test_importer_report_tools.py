"""Tables printed by report tools rather than office programs read cell for cell.

Each case is a layout that stored wrong cells without a word before: a header row repeated in the
middle of a page glued onto the row above it, unknown columns glued to their neighbour, soft wraps
kept as paragraph breaks, runs of ideographic spaces dropped.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from evaldesk.importer import parse_pdf
from evaldesk.records import ParsedTable
from tests.core.platypus_tables import make_glyph_pdf, make_platypus_pdf
from tests.core.tablegen import load_truth

CELLS = ("program_id", "name", "department", "purpose", "overview", "outcome")
HEADER_WORDS = ("事業番号", "事務事業名", "担当課", "事業の目的", "事業の概要", "成果")


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def _misses(table: ParsedTable, programs: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Cells unequal ignoring whitespace, and the count of cells equal exactly."""
    by_no = {r.no: r for r in table.rows}
    wrong: list[str] = []
    exact = 0
    for want in programs:
        row = by_no.get(want["no"])
        for f in CELLS:
            got = "" if row is None else row.text(f)
            if _squash(got) != _squash(str(want[f])):
                wrong.append(f"No.{want['no']} {f}: {got!r} != {want[f]!r}")
            exact += got == str(want[f])
    return wrong, exact


def _printable(programs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Platypus prints a run of ideographic spaces as one narrow space: no reader can restore it."""
    return [
        {k: re.sub("\u3000+", "・", v) if isinstance(v, str) else v for k, v in p.items()} for p in programs
    ]


def test_platypus_longtable_repeated_header_split_rows(tmp_path: Path) -> None:
    """Platypus repeats the header wherever the table continues, also mid-page before a split row."""
    programs = _printable(load_truth()["programs"])
    table = parse_pdf(make_platypus_pdf(tmp_path / "longtable.pdf", programs))
    assert table.pages >= 4
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    wrong, _ = _misses(table, programs)
    assert not wrong, "\n".join(wrong[:8])
    # Platypus also prints a space of its own here and there inside a line: the breaks must be right.
    breaks = sum(
        r.text(f).replace(" ", "") == str(p[f]).replace(" ", "")
        for r, p in zip(table.rows, programs, strict=True)
        for f in CELLS
    )
    assert breaks >= 0.97 * len(programs) * len(CELLS), f"only {breaks} cells with the right breaks"
    glued = [(r.no, f) for r in table.rows for f in CELLS if r.text(f).endswith(HEADER_WORDS)]
    assert not glued, "header labels read as the end of a cell"


def test_glyph_by_glyph_keeps_runs_of_ideographic_spaces(tmp_path: Path) -> None:
    """A run of U+3000 drawn as a jump between glyphs is as many spaces as it is wide (「木曜日　　　　計」)."""
    programs = load_truth()["programs"]
    table = parse_pdf(make_glyph_pdf(tmp_path / "glyphs.pdf", programs))
    wrong, exact = _misses(table, programs)
    assert not wrong, "\n".join(wrong[:8])
    assert exact == len(programs) * len(CELLS)
    assert "木曜日\u3000\u3000\u3000\u3000計" in table.rows[16].outcome


EXTRA_COLUMNS = (
    ("department", "部署名", 2.6),
    ("no", "No.", 0.8),
    ("program_id", "事業番号", 1.2),
    ("name", "事務事業名", 3.0),
    ("budget", "予算額（千円）", 1.4),
    ("purpose", "事業の目的", 4.5),
    ("mark", "", 0.8),
    ("rating", "評価", 0.9),
    ("overview", "事業の概要", 5.5),
    ("direction", "今後の方向性", 1.6),
    ("outcome", "成果", 5.5),
)


@pytest.mark.parametrize("rules", ["grid", "horizontal", "none"])
def test_unknown_columns_in_any_order_stay_in_their_own_column(tmp_path: Path, rules: str) -> None:
    """予算額 right-aligned against 事業の目的, 評価 and 方向性 between known columns, the known ones
    shuffled: no figure or rating may be glued onto a neighbour. In the grid an unlabelled column
    (a mark with an empty header cell) is a column too, found from its rules."""
    rnd = random.Random(7)
    programs = [dict(p) for p in load_truth()["programs"]]
    for p in programs:
        p["budget"] = f"{rnd.randint(100, 99_999):,}"
        p["rating"] = rnd.choice("ABC")
        p["direction"] = rnd.choice(["拡充", "現状維持", "縮小"])
        p["mark"] = "○" if rnd.random() < 0.5 else ""
    columns = [c for c in EXTRA_COLUMNS if rules == "grid" or c[0] != "mark"]
    pdf = make_platypus_pdf(
        tmp_path / "extra.pdf", programs, columns=columns, rules=rules, size=8, right=("budget",)
    )
    table = parse_pdf(pdf)
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    wrong, _ = _misses(table, programs)
    assert not wrong, "\n".join(wrong[:8])
    for row in table.rows:
        texts = [row.text(f) for f in CELLS]
        assert not any(re.search(r"\d,\d{3}|○|拡充|現状維持|縮小", t) for t in texts[1:4]), row.no


def test_grouped_header_with_a_title_row_repeated_on_every_page(tmp_path: Path) -> None:
    """A header band of three rows repeated on every page: a title and date row, then 「事業内容」 merged
    over 「事業の目的」「事業の概要」, the other labels merged down both rows. Neither the title nor a
    label may end up in a program, and 事業の目的/事業の概要 are two columns."""
    programs = _printable(load_truth()["programs"])
    title = ["令和６年度　事務事業評価結果一覧（令和７年５月１日現在）", "", "", "", "", "", ""]
    top = ["No.", "事業番号", "事務事業名", "担当課", "事業内容", "", "成果"]
    sub = ["", "", "", "", "事業の目的", "事業の概要", ""]
    spans = [((0, 0), (6, 0)), ((4, 1), (5, 1))] + [((c, 1), (c, 2)) for c in (0, 1, 2, 3, 6)]
    pdf = make_platypus_pdf(
        tmp_path / "grouped.pdf",
        programs,
        rules="grid",
        size=9,
        header_rows=[title, top, sub],
        spans=spans,
        title=None,
    )
    table = parse_pdf(pdf)
    assert table.pages >= 3
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    wrong, _ = _misses(table, programs)
    assert not wrong, "\n".join(wrong[:8])
    texts = "".join(r.text(f) for r in table.rows for f in CELLS)
    assert "事業内容" not in texts and "評価結果一覧" not in texts
