"""What the importer takes for the page's own furniture: page numbers in the margins, not row numbers."""

from __future__ import annotations

from evaldesk.importer.cells import Line, make_line
from evaldesk.importer.pdfchars import Char, PageChars
from evaldesk.importer.rows import id_marks, layout_page

SIZE = 8.0
LABELS = (
    ("No.", 20),
    ("事業番号", 50),
    ("事務事業名", 110),
    ("部署名", 200),
    ("事業の目的", 280),
    ("事業の概要", 420),
    ("成果", 600),
)


def _chars(text: str, x: float, top: float, size: float = SIZE) -> list[Char]:
    return [Char(ch, x + i * size, x + (i + 1) * size, top, top + size, size) for i, ch in enumerate(text)]


def _row(no: str, top: float, name_top: float) -> list[Char]:
    return [
        *_chars(no, 24, top),
        *_chars("01-02-003", 50, name_top, size=4.0),
        *_chars("防災事業", 110, name_top),
        *_chars("危機管理課", 200, name_top),
        *_chars("市民を守る。", 280, name_top),
        *_chars("備蓄する。", 420, name_top),
        *_chars("整備した。", 600, name_top),
    ]


def test_a_row_number_in_the_bottom_margin_is_data_but_a_lone_page_number_is_not() -> None:
    """A table running into the page's bottom tenth: its row number, vertically centred a little
    lower than the row's first lines, is in line with them and so is no page number."""
    height = 600.0  # the bottom margin zone starts at 540
    chars = [ch for label, x in LABELS for ch in _chars(label, x, 40.0)]
    chars += _row("6", 300.0, 300.0)
    chars += _row("7", 537.0, 532.0)  # the number's centre at 541 lies in the zone, the row's at 536 not
    chars += _chars("- 1 -", 300.0, 580.0)
    page = PageChars(index=0, width=842.0, height=height, chars=chars, hrules=[], images=0, unmapped=0)
    layout = layout_page(page, table_started=False)
    data = "".join(ch.text for ch in layout.data)
    assert layout.header is not None
    assert "7" in data and "6" in data
    assert "- 1 -" not in data and "-1-" not in data.replace(" ", "")


def test_a_code_ending_in_its_separator_continues_on_the_next_line_without_padding_evidence() -> None:
    """Every code wrapped (「01-11-」 over 「017」) and rows shaded, not ruled: no line ends short to
    show the row padding, but no code ends in its separator, so the next line completes it."""

    def line(text: str, x: float, top: float) -> Line:
        return make_line(_chars(text, x, top))

    # Rows as tight as a cell's padding: the row above ends 2 pt above the next row's first line.
    ids = [line("01-11-", 50, 100), line("017", 50, 108), line("06-11-", 50, 142), line("019", 50, 150)]
    names = [
        line(t, 110, 100 + 8 * i) for i, t in enumerate(("防災設備等整", "備事業", "を行う", "ため", "もの"))
    ]
    names += [line("防災啓発・地", 110, 142)]
    marks = id_marks([ids, names], 0, [], edge=98.0)
    assert [m.text for m in marks] == ["01-11-", "06-11-"]


def test_a_cells_last_line_overflowing_into_the_next_row_stays_in_its_row() -> None:
    """Calc with a row too low for its text: the last line of No.2's 概要 (top 200.8) reaches past the
    top of No.3 (206.5) and overlaps that row's first line. It is No.2's, not No.3's first line."""
    from evaldesk.importer.rows import cut_rows

    def line(text: str, x: float, top: float) -> Line:
        return make_line(_chars(text, x, top, size=6.8))

    numbers = [line("2", 20, 131.8), line("3", 20, 206.5)]
    overview = [line("表彰として", 420, 131.8 + 7.0 * k) for k in range(10)]
    overview += [line("行表彰として表彰する。", 420, 200.8), line("市の魅力的な取組", 420, 206.4)]
    rows = cut_rows([numbers, overview], numbers, page=0, rules=[], mode="top", anchor_col=0)
    assert [[ln.text for ln in r.cells[1]][-1] for r in rows.rows] == [
        "行表彰として表彰する。",
        "市の魅力的な取組",
    ]
