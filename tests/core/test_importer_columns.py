"""Characters to columns: marks hung past a cell edge stay with the text they end."""

from __future__ import annotations

from evaldesk.importer.header import Columns
from evaldesk.importer.pdfchars import Char
from evaldesk.importer.rows import column_lines


def _chars(text: str, x: float, top: float = 100.0, size: float = 10.0) -> list[Char]:
    return [Char(ch, x + i * size, x + (i + 1) * size, top, top + size, size) for i, ch in enumerate(text)]


def test_a_comma_hung_onto_the_next_columns_text_stays_in_its_own_column() -> None:
    columns = Columns(("overview", ""), (426.5,))
    # 「含む）、」 ends past the rule at 426.5; the next cell's 「継続」 starts under the hung 「、」, so in
    # reading order (by x) 継 comes between 」 and 、.
    chars = sorted([*_chars("含む）、", 401.3), *_chars("継続", 430.5)], key=lambda c: c.x0)
    overview, other = column_lines(chars, columns)
    assert [ln.text for ln in overview] == ["含む）、"]
    assert [ln.text for ln in other] == ["継続"]


def test_a_space_past_the_edge_belongs_to_the_word_before() -> None:
    columns = Columns(("name", "department"), (200.0,))
    chars = [*_chars("ＰＲ", 180.0), Char(" ", 200.0, 203.0, 100, 110, 10), *_chars("秘書課", 215.0)]
    name, department = column_lines(chars, columns)
    assert [ln.text.rstrip() for ln in name] == ["ＰＲ"] and [ln.text for ln in department] == ["秘書課"]


def test_a_bullet_opening_the_next_cell_next_to_a_full_line_stays_in_its_cell() -> None:
    """Columns parted by less than a point (a report table without vertical rules and little padding):
    the next cell's 「・」 (which may not start a line, yet opens an item) touches a full line; the text
    after it follows it directly, so it opens its own cell rather than hanging from the line before."""
    columns = Columns(("overview", "outcome"), (730.3,))
    chars = [*_chars("速報メー", 694.83, size=9.0), *_chars("・豊里柔剣", 731.26, size=9.0)]
    overview, outcome = column_lines(chars, columns)
    assert [ln.text for ln in overview] == ["速報メー"]
    assert [ln.text for ln in outcome] == ["・豊里柔剣"]


def test_a_mark_hung_over_the_next_cells_text_still_hangs() -> None:
    """「。」 hung past the edge lies over the next cell's first letter, not before it: it hangs."""
    columns = Columns(("overview", "outcome"), (730.3,))
    stop = Char("。", 730.8, 739.8, 100.0, 109.0, 9.0)
    chars = sorted(
        [*_chars("を行う", 703.8, size=9.0), stop, *_chars("豊里", 731.3, size=9.0)], key=lambda c: c.x0
    )
    overview, outcome = column_lines(chars, columns)
    assert [ln.text for ln in overview] == ["を行う。"]
    assert [ln.text for ln in outcome] == ["豊里"]


def _tracked(text: str, x: float, pitch: float, size: float = 9.0) -> list[Char]:
    return [
        Char(ch, x + i * pitch, x + i * pitch + size, 100.0, 100.0 + size, size) for i, ch in enumerate(text)
    ]


def test_a_mark_ending_a_tracked_line_past_the_edge_stays_with_its_line() -> None:
    """Letters tracked 0.8 pt apart (a text object's character spacing): 「シティプロモーション・」 ends
    with its 「・」 just past the boundary, half a point before the next cell's 「市長」. The mark
    follows 「ン」 at the line's own letter spacing, closer than it is to 「市」 by that cell's spacing:
    it ends the name, it does not open the department (「・市長公室」 stored without a doubt)."""
    columns = Columns(("name", "department"), (261.0,))
    name = _tracked("ョン・", 241.8, 9.8)
    chars = [*name, *_tracked("市長公室", 270.9, 9.8)]
    got_name, department = column_lines(chars, columns)
    assert [ln.text for ln in got_name] == ["ョン・"]
    assert [ln.text for ln in department] == ["市長公室"]


def test_a_bullet_opening_a_tracked_cell_next_to_a_full_line_stays_in_its_cell() -> None:
    """The same tracking, but the 「・」 is spaced from the next cell's text as its letters are, and from
    the full line before it by the columns' gap: it opens its cell, as on an untracked page."""
    columns = Columns(("overview", "outcome"), (730.3,))
    chars = [*_tracked("速報メー", 691.0, 9.8), *_tracked("・豊里柔", 730.6, 9.8)]
    overview, outcome = column_lines(chars, columns)
    assert [ln.text for ln in overview] == ["速報メー"]
    assert [ln.text for ln in outcome] == ["・豊里柔"]
