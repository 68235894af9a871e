"""Soft wraps and hard breaks inside one cell, decided the way office programs break lines."""

from __future__ import annotations

from evaldesk.importer.cells import Line, cell_text, make_line
from evaldesk.importer.pdfchars import Char

SIZE = 10.0
LEFT = 100.0
EDGE = LEFT + 10 * SIZE  # ten full-width characters to a line


def _line(text: str, row: int, *, x0: float = LEFT) -> Line:
    """Full-width characters one em wide, ASCII half an em, top-aligned rows 14pt apart."""
    chars: list[Char] = []
    x = x0
    for ch in text:
        w = SIZE / 2 if ch.isascii() else SIZE
        chars.append(Char(ch, x, x + w, 14.0 * row, 14.0 * row + SIZE, SIZE))
        x += w
    return make_line(chars)


def _read(*texts: str) -> str:
    return cell_text([_line(t, i) for i, t in enumerate(texts)], edge=EDGE, left=LEFT)


def test_latin_word_moves_whole_and_gets_its_space_back() -> None:
    # 「Smart」 (2.5 em) did not fit in the half em left after 「Tsukuba」: a soft wrap where Writer
    # printed no space.
    assert _read("あいうえおかTsukuba", "Smart City") == "あいうえおかTsukuba Smart City"
    # With room for the word it was a hard break.
    assert _read("あいうTsu", "Smart City") == "あいうTsu\nSmart City"


def test_kinsoku_run_and_punctuation_stuck_to_a_word_move_together() -> None:
    # 4 em free, but 「る。Society」 is one unit (5.5 em).
    assert _read("あいうえおか", "る。Society") == "あいうえおかる。Society"
    # 2 em free, 「む）、」 may not be split.
    assert _read("あいうえおかきく", "む）、け") == "あいうえおかきくむ）、け"
    assert _read("あいうえおかきく", "７％を") == "あいうえおかきく\n７％を"
    assert _read("あいうえおかきくけ", "４％を") == "あいうえおかきくけ４％を"


def test_item_numbers_that_close_a_bracket_are_not_list_items() -> None:
    assert _read("受入（５／１１－１", "３）、深セン") == "受入（５／１１－１３）、深セン"
    assert _read("あいうえおかきくけこ", "３）次の項目") == "あいうえおかきくけこ\n３）次の項目"
    assert _read("市ホームページのペー", "ジ、広報紙") == "市ホームページのページ、広報紙"


def test_hyphenating_breaker_wraps_before_a_full_width_word_with_a_letter_of_room() -> None:
    """Pango (WeasyPrint) keeps room for a hyphen where it breaks inside 「ＹｏｕＴｕｂｅ」: a line one
    letter short of the edge before a full-width word is a wrap, once the document shows that habit."""
    from evaldesk.importer.edges import reserves_hyphen

    lines = [_line("あいうえおかきＬｉ", 0), _line("ｖｉｎｇ", 1)]  # 「ｖ」 fitted, a hyphen more did not
    assert reserves_hyphen(lines, edge=EDGE)
    cell = [_line("あいうえおかきくけ", 0), _line("ＳＮＳで発信", 1)]
    assert cell_text(cell, edge=EDGE, left=LEFT, hyphens=True) == "あいうえおかきくけＳＮＳで発信"
    # Without that evidence the letter would have fitted: the paragraph ended there.
    assert not reserves_hyphen(cell, edge=EDGE)
    assert cell_text(cell, edge=EDGE, left=LEFT) == "あいうえおかきくけ\nＳＮＳで発信"
    # Digits are no word to hyphenate, and two letters of room leave no doubt.
    two = [_line("あいうえおかきく", 0), _line("ＳＮＳで発信", 1)]
    assert cell_text(two, edge=EDGE, left=LEFT, hyphens=True) == "あいうえおかきく\nＳＮＳで発信"
    digits = [_line("あいうえおかきくけ", 0), _line("２０２４年", 1)]
    assert cell_text(digits, edge=EDGE, left=LEFT, hyphens=True) == "あいうえおかきくけ\n２０２４年"


def test_a_cell_listed_with_bullets_starts_an_item_at_each_bullet_even_after_a_full_line() -> None:
    # The first item opens with 「・」: a full line before 「・」 ended an item (a word-joining 「・」
    # wrapped to the line start is the rarer case) ...
    items = _read("・あいうえおかきくけ", "こさしすせそたち開催", "・市内の会場で")
    assert items == "・あいうえおかきくけこさしすせそたち開催\n・市内の会場で"
    # ... unless the list's items end in 。 and this line stops mid-phrase: 「家事・育児」 wrapped.
    joined = _read("・あいうえおかきくけ", "こさしすせそたと家事", "・育児の実践。")
    assert joined == "・あいうえおかきくけこさしすせそたと家事・育児の実践。"
    # Without a bullet at the top, a full line before 「・」 mid-phrase stays a wrap.
    assert _read("あいうえおかきくけこ", "・育児の実践") == "あいうえおかきくけこ・育児の実践"


def test_leading_ideographic_spaces_of_a_spread_line_count_with_its_letter_spacing() -> None:
    """A justified line drawn glyph by glyph starts three spread ideographic spaces in (3 x 1.4 em)."""
    chars = [Char(ch, LEFT + (3 + i) * 1.4 * SIZE, LEFT + (3 + i) * 1.4 * SIZE + SIZE, 14.0, 24.0, SIZE)
             for i, ch in enumerate("法律相談：第２")]  # fmt: skip
    spread = make_line(chars)
    assert spread.spread > 0
    full = _line("あいうえおかきくけこ", 0)
    assert (
        cell_text([full, spread], edge=EDGE, left=LEFT)
        == "あいうえおかきくけこ\u3000\u3000\u3000法律相談：第２"
    )


def test_three_letters_spread_over_a_narrow_cell_are_no_spaces() -> None:
    """Writer (re-distilled by Ghostscript) spreads 「ロモー」 over a four-letter cell after a kinsoku
    push: gaps of 0.8 em are letter spacing; gaps of a whole em are ideographic spaces as printed."""

    def spaced(text: str, pitch: float) -> str:
        chars = [
            Char(c, LEFT + i * pitch, LEFT + i * pitch + SIZE, 0.0, SIZE, SIZE) for i, c in enumerate(text)
        ]
        return make_line(chars).text

    assert spaced("ロモー", 1.8 * SIZE) == "ロモー"
    assert spaced("認・叙", 1.8 * SIZE) == "認・叙"
    assert spaced("ロモー", 2.0 * SIZE) == "ロ\u3000モ\u3000ー"
    # Four letters spread 0.89 em apart (「支援事業」 filling a six-letter line): each gap is near a whole
    # em, but three of them leave the line a third of an em off any count of ideographic spaces.
    assert spaced("支援事業", 1.89 * SIZE) == "支援事業"
    assert spaced("支援事業", 2.0 * SIZE) == "支\u3000援\u3000事\u3000業"


def test_marks_hanging_onto_the_next_columns_text_stay_with_their_line() -> None:
    """「）、」 hang past the rule at x=200 and the second lands on the next column's centred 「継」,
    whose glyph sorts between them: 「、」 still ends the line it touches, not the next column."""
    from evaldesk.importer.header import Columns
    from evaldesk.importer.rows import column_lines

    def at(ch: str, x: float) -> Char:
        return Char(ch, x, x + SIZE, 0.0, SIZE, SIZE)

    chars = [
        at("含", 175.0),
        at("む", 185.0),
        at("）", 195.0),
        at("継", 204.0),
        at("、", 205.0),
        at("続", 214.0),
    ]
    cols = column_lines(chars, Columns(("overview", ""), (200.0,)))
    assert [ln.text for ln in cols[0]] == ["含む）、"]
    assert [ln.text for ln in cols[1]] == ["継続"]


def test_a_full_line_inside_an_open_bracket_ends_no_paragraph() -> None:
    # 「第１条」 opens an article only outside a bracket: here it goes on 「（「学校教育法の」.
    assert _read("各種学校（「学校教育", "法の", "第１条に規定") == "各種学校（「学校教育法の\n第１条に規定"
    assert (
        _read("各種学校（「学校教育", "法の施設の第一のもの", "第１条に規定")
        == "各種学校（「学校教育法の施設の第一のもの第１条に規定"
    )
    assert _read("各種学校の学校教育法", "第１条に規定") == "各種学校の学校教育法\n第１条に規定"


def test_ideographic_space_swallowed_between_two_full_width_words_the_document_prints_apart() -> None:
    """Writer and Platypus print no U+3000 where they wrap at one. Where the document prints the same
    two words on one line with a U+3000 between them, the wrap between them held one, whether the line
    ends full (the space hung past the edge) or one em short (the space took the room)."""
    from evaldesk.importer.edges import reserves_hyphen
    from evaldesk.importer.spaces import word_spaces

    elsewhere = _line("のＴｉｐｓ\u3000ｆｏｒ\u3000Ｌｉｖｉｎｇを発行", 0)
    spaces = word_spaces([elsewhere.text])
    full = [_line("あいうえおかＴｉｐｓ", 0), _line("ｆｏｒ\u3000Ｌｉｖｉｎｇ", 1)]
    short = [_line("あいうえおＴｉｐｓ", 0), _line("ｆｏｒ\u3000Ｌｉｖｉｎｇ", 1)]
    assert (
        cell_text(full, edge=EDGE, left=LEFT, spaces=spaces)
        == "あいうえおかＴｉｐｓ\u3000ｆｏｒ\u3000Ｌｉｖｉｎｇ"
    )
    assert (
        cell_text(short, edge=EDGE, left=LEFT, spaces=spaces)
        == "あいうえおＴｉｐｓ\u3000ｆｏｒ\u3000Ｌｉｖｉｎｇ"
    )
    # The one-em room is the swallowed space, not a hyphen a line breaker kept room for.
    assert reserves_hyphen(short, edge=EDGE)
    assert not reserves_hyphen(short, edge=EDGE, spaces=spaces)
    # Without the document's evidence, a full line is a wrap, and so is a short one where the
    # producer keeps room for hyphens ...
    assert cell_text(full, edge=EDGE, left=LEFT) == "あいうえおかＴｉｐｓｆｏｒ\u3000Ｌｉｖｉｎｇ"
    assert (
        cell_text(short, edge=EDGE, left=LEFT, hyphens=True) == "あいうえおＴｉｐｓｆｏｒ\u3000Ｌｉｖｉｎｇ"
    )
    # ... and where the document also prints the two run together, it does not say which.
    both = word_spaces([elsewhere.text, "のＴｉｐｓｆｏｒ\u3000Ｌｉｖｉｎｇを"])
    assert (
        cell_text(full, edge=EDGE, left=LEFT, spaces=both) == "あいうえおかＴｉｐｓｆｏｒ\u3000Ｌｉｖｉｎｇ"
    )


def test_one_em_of_room_before_a_count_held_the_space_between_label_and_figure() -> None:
    """「参加\u3000１回」 wrapped at its U+3000, printed by none: the line stops one em short though 「１」
    would have fitted there. A paragraph ending exactly there before one opening with a figure is rarer."""
    assert _read("あいうえお研修参加", "１回（５月）") == "あいうえお研修参加\u3000１回（５月）"
    assert _read("あいうえおコース", "２回") == "あいうえおコース\n２回"  # two em of room: a break
    assert _read("あいうえお研修参加", "１．次の項目") == "あいうえお研修参加\n１．次の項目"  # an item number
    assert _read("あいうえおかきくけ", "２０２４年") == "あいうえおかきくけ\n２０２４年"  # no label word
    assert _read("あいうえおかきく。", "２０２４年") == "あいうえおかきく。\n２０２４年"


def test_a_producer_that_splits_full_width_words_flush_keeps_no_hyphen_room() -> None:
    """「ＳＮ」/「Ｓや」 split at a full line shows a line breaker that keeps no room for a hyphen; then a
    line one em short before a full-width word ended at a U+3000 it did not print (「ｉｎ\u3000Ｔｓｕｋｕｂａ」)."""
    from evaldesk.importer.edges import reserves_hyphen, splits_words_flush

    flush = [_line("あいうえおかきくＳＮ", 0), _line("Ｓや市ホームページ", 1)]
    short = [_line("あいうえおかきｉｎ", 2), _line("Ｔｓｕｋｕｂａ", 3)]
    assert splits_words_flush(flush, edge=EDGE)
    assert not splits_words_flush(short, edge=EDGE)
    assert reserves_hyphen(short, edge=EDGE)  # alone, the short line looks like Pango's hyphen room
    assert cell_text(short, edge=EDGE, left=LEFT, hyphens=True) == "あいうえおかきｉｎＴｓｕｋｕｂａ"
    assert cell_text(short, edge=EDGE, left=LEFT) == "あいうえおかきｉｎ\u3000Ｔｓｕｋｕｂａ"
    # Two ems of room would have held the space and 「Ｔ」: a paragraph ended there.
    two = [_line("あいうえおかｉｎ", 0), _line("Ｔｓｕｋｕｂａ", 1)]
    assert cell_text(two, edge=EDGE, left=LEFT) == "あいうえおかｉｎ\nＴｓｕｋｕｂａ"


def test_a_proportional_figure_set_close_to_its_neighbour_ends_where_its_advance_ends() -> None:
    """A narrow full-width figure (proportional Mincho, ink box only) 0.9 pt after 「を」: its box grows
    by that side bearing on each side, not to a whole em, which would push the line past the column's
    real wrap edge and turn the column's wraps into breaks."""
    size = 10.0
    chars = [Char("を", 978.83, 986.82, 0.0, size, size), Char("４", 987.71, 993.22, 0.0, size, size)]
    line = make_line(chars)
    assert line.text == "を４"
    assert abs(line.x1 - (993.22 + 0.89)) < 0.05


def test_a_lone_figure_inked_narrow_gets_its_em_box() -> None:
    """「第１回」 with 「１」 reported as its ink only (an /ActualText span): an em box around the ink."""
    size = 10.0
    chars = [
        Char("第", 100.0, 110.0, 0.0, size, size),
        Char("１", 114.0, 116.0, 0.0, size, size),
        Char("回", 120.0, 130.0, 0.0, size, size),
    ]
    line = make_line(chars)
    assert line.text == "第１回"


def _spread_line(text: str, row: int, width_ems: float) -> Line:
    """``text`` justified over ``width_ems`` ems: its letter gaps widened alike."""
    gap = (width_ems * SIZE - len(text) * SIZE) / (len(text) - 1)
    chars = [
        Char(ch, LEFT + i * (SIZE + gap), LEFT + i * (SIZE + gap) + SIZE, 14.0 * row, 14.0 * row + SIZE, SIZE)
        for i, ch in enumerate(text)
    ]
    return make_line(chars)


def test_a_justified_line_one_kinsoku_unit_short_gets_no_space() -> None:
    """「る。」 may not be parted: the line before it holds 9 letters, not 10, spread, with no space."""
    lines = [_spread_line("広報で市民に知らせ", 0, 10.2), _line("る。次に", 1)]
    text = cell_text(lines, edge=LEFT + 10.2 * SIZE, left=LEFT, justified=True)
    assert text == "広報で市民に知らせる。次に"
