"""Header geometry: labels of columns the importer does not store, and the x-extent of the data."""

from __future__ import annotations

from evaldesk.importer.bounds import column_bounds
from evaldesk.importer.header import Header, find_headers
from evaldesk.importer.packed import merged_spans
from evaldesk.importer.pdfchars import Char
from evaldesk.importer.segments import page_segments

SIZE = 9.0


def _text(chars: list[Char], text: str, x: float, top: float) -> None:
    for i, ch in enumerate(text):
        chars.append(Char(ch, x + i * SIZE, x + (i + 1) * SIZE, top, top + SIZE, SIZE))


def _first_labels(chars: list[Char], top: float) -> None:
    """No. to 事業の目的, one line each at ``top``."""
    for label, x in (
        ("No.", 20),
        ("事業番号", 60),
        ("事務事業名", 120),
        ("部署名", 200),
        ("事業の目的", 280),
    ):
        _text(chars, label, x, top)


def _header_page() -> list[Char]:
    """A one-row header whose unknown labels wrap onto two lines, centred in their cells."""
    chars: list[Char] = []
    first, second = 100.0, 112.0
    _first_labels(chars, (first + second) / 2)
    _text(chars, "予算額", 380, first)
    _text(chars, "（千円）", 375, second)
    _text(chars, "事業の概要", 460, (first + second) / 2)
    _text(chars, "今後の", 600, first)
    _text(chars, "方向性", 600, second)
    _text(chars, "成果", 700, (first + second) / 2)
    chars.sort(key=lambda c: (round(c.cy), c.x0))
    return chars


def test_a_wrapped_label_of_an_unknown_column_is_one_column() -> None:
    [header] = find_headers(page_segments(_header_page()))
    fields = [f for f, _, _ in header.labels]
    assert fields == ["no", "program_id", "name", "department", "purpose", "", "overview", "", "outcome"]
    # The data run on without a gap between 事業の概要 and 今後の方向性: still one boundary between them.
    columns = column_bounds(header, [(10.0, 760.0)])
    assert columns.fields == tuple(fields)


def test_ideographic_spaces_do_not_cover_the_gap_between_columns() -> None:
    chars = [Char("あ", 10, 19, 0, 9, 9), Char("\u3000", 19, 28, 0, 9, 9), Char("い", 26, 35, 0, 9, 9)]
    assert merged_spans(chars) == [(10, 19), (26, 35)]


def _top_aligned_page(first_row_gap: float) -> list[Char]:
    """Known labels on one line at the top of the header row; 評/価 and 予算額（/千円） wrap below them.
    The first data row follows ``first_row_gap`` points under the header's last line."""
    chars: list[Char] = []
    top, second = 100.0, 111.5
    _first_labels(chars, top)
    _text(chars, "評", 380, top)
    _text(chars, "価", 380, second)
    _text(chars, "予算額（", 420, top)
    _text(chars, "千円）", 424, second)
    _text(chars, "事業の概要", 480, top)
    _text(chars, "成果", 600, top)
    row = second + SIZE + first_row_gap
    for text, x in (("1", 20), ("158", 60), ("広聴事業", 120), ("秘書課", 200), ("市民の声を聴く。", 280)):
        _text(chars, text, x, row)
    _text(chars, "A", 380, row)
    _text(chars, "9,273", 420, row)
    _text(chars, "はがきで受け付ける。", 480, row)
    _text(chars, "１２０件", 600, row)
    chars.sort(key=lambda c: (round(c.cy), c.x0))
    return chars


def test_unknown_labels_wrapped_below_top_aligned_known_labels_are_header() -> None:
    [header] = find_headers(page_segments(_top_aligned_page(first_row_gap=12.0)))
    assert [f for f, _, _ in header.labels] == [
        "no", "program_id", "name", "department", "purpose", "", "", "overview", "outcome",
    ]  # fmt: skip
    assert header.bottom == 111.5 + SIZE  # the second label line is not the first data row


def test_a_first_data_row_close_under_the_header_stays_data() -> None:
    [header] = find_headers(page_segments(_top_aligned_page(first_row_gap=2.0)))
    row_top = 111.5 + SIZE + 2.0
    assert header.bottom < row_top


def test_spread_letters_whose_boxes_differ_by_hundredths_are_one_line() -> None:
    """Writer prints a spread label's glyphs with boxes a few hundredths apart in height (71.48, 71.52):
    the letters of one line are read together however they round, or no label is found at all."""
    chars: list[Char] = []
    x = 40.0
    for label, pitch in (("事業番号", 22.0), ("事務事業名", 27.4), ("部署名", 46.2), ("事業の目的", 49.2)):
        for i, ch in enumerate(label):
            top = 66.97 if i % 2 else 66.93  # centres 71.47 / 71.52: two sides of 71.5
            chars.append(Char(ch, x, x + 10.0, top, top + 9.1, 10.0))
            x += pitch
        x += 11.0 - pitch + 10.0
    chars.sort(key=lambda c: (c.top, c.x0))
    [header] = find_headers(page_segments(chars))
    assert [f for f, _, _ in header.labels] == ["program_id", "name", "department", "purpose"]


def _spread_wrapped_page(row_gap: float) -> tuple[list[Char], float, float]:
    """Labels spread over narrow cells and wrapped (事　業／番　号, 事　務　事／業　名), 予／算／額 one letter a
    line down to ``row_gap`` points above the first data row. Returns the characters, the bottom of the
    last label line and the top of the first data row."""
    chars: list[Char] = []
    lines = (100.0, 110.0, 120.0)
    _text(chars, "No.", 20, lines[0])
    for texts, xs in ((("事業", "番号"), (56, 76)), (("事務事", "業名"), (100, 120, 140))):
        for line, text in zip(lines, texts, strict=False):
            spots = xs if len(text) == len(xs) else (xs[0], xs[-1])
            for ch, x in zip(text, spots, strict=True):
                _text(chars, ch, x, line)
    _text(chars, "部署名", 170, lines[0] + 5)
    for line, ch in zip(lines, "予算額", strict=True):
        _text(chars, ch, 230, line)
    _text(chars, "事業の目的", 260, lines[0] + 5)
    row = lines[-1] + SIZE + row_gap
    for text, x in (
        ("1", 20),
        ("158", 56),
        ("広聴事業", 100),
        ("秘書課", 170),
        ("9,273", 230),
        ("声を聴く。", 260),
    ):
        _text(chars, text, x, row)
    chars.sort(key=lambda c: (round(c.cy), c.x0))
    return chars, lines[-1] + SIZE, row


def test_labels_spread_and_wrapped_in_narrow_cells_are_read() -> None:
    """Writer's distributed alignment spreads each line of a wrapped label: 「事　業」 over 「番　号」 is
    事業番号, and a label's last line printed right above the first data row (no padding, the header's
    rule between them) is still part of the header."""
    chars, last_label, row_top = _spread_wrapped_page(row_gap=1.0)
    [header] = find_headers(page_segments(chars))
    assert [f for f, _, _ in header.labels] == ["no", "program_id", "name", "department", "", "purpose"]
    assert header.bottom == last_label < row_top


def test_a_group_heading_over_two_columns_is_no_column_while_another_label_wraps() -> None:
    """「事業内容」 centred over 「事業の目的」 and 「事業の概要」, in a header whose 事業番号 wraps onto
    both lines (「事業番」 over 「号」): the heading shares the band's height but heads two known columns;
    it must not become a column of its own between them (which cut the 概要's first letters off)."""
    chars: list[Char] = []
    first, second = 100.0, 112.0
    _text(chars, "事業番", 20, first)
    _text(chars, "号", 29, second)
    _text(chars, "事務事業名", 80, (first + second) / 2)
    _text(chars, "部署名", 160, (first + second) / 2)
    _text(chars, "事業内容", 300, first)
    _text(chars, "事業の目的", 220, second)
    _text(chars, "事業の概要", 360, second)
    _text(chars, "成果", 480, (first + second) / 2)
    headers = find_headers(page_segments(chars))
    assert len(headers) == 1
    fields = [f for f, _, _ in headers[0].labels]
    assert fields == ["program_id", "name", "department", "purpose", "overview", "outcome"]


def test_a_wrapped_unknown_label_beside_lower_labels_is_still_a_column() -> None:
    """「今後の」 over 「方向性」 with single-line neighbours printed on the lower line: a column."""
    chars: list[Char] = []
    first, second = 100.0, 112.0
    _first_labels(chars, second)
    _text(chars, "事業の概要", 380, second)
    _text(chars, "今後の", 480, first)
    _text(chars, "方向性", 480, second)
    _text(chars, "成果", 560, second)
    headers = find_headers(page_segments(chars))
    fields = [f for f, _, _ in headers[0].labels]
    assert fields == ["no", "program_id", "name", "department", "purpose", "overview", "", "outcome"]


def test_a_mark_inside_a_word_opens_no_gap_between_columns() -> None:
    """「ダイバーシティ推進室」 in a department column shrunk to fit: leaving out the 「ィ」 (a mark that may
    hang past a cell's edge) opens a gap inside the word wider than the true one before 事業の目的;
    the gap that no character at all covers is the boundary, and 「推」 stays a department letter."""
    header = Header(100.0, 110.0, (("department", 200.0, 227.0), ("purpose", 280.0, 325.0)))
    without_marks = [(184.5, 246.9), (253.6, 259.4), (260.7, 400.0)]
    every_char = [(184.5, 259.4), (260.7, 400.0)]
    columns = column_bounds(header, without_marks, solid=every_char)
    assert 259.4 <= columns.bounds[0] <= 260.7
    # A mark hung past the edge over the next column's text leaves no gap of every character: then
    # the gap without the marks is the boundary, as before.
    hung = [(184.5, 262.0), (262.0, 400.0)]
    columns = column_bounds(header, [(184.5, 250.0), (262.0, 400.0)], solid=hung)
    assert 250.0 <= columns.bounds[0] <= 262.0


def test_letters_of_neighbouring_cells_are_not_joined_into_a_label() -> None:
    """Platypus spreads a wrapped label with U+3000 (「事　」「業　」「番　」「号」 one letter a line) beside
    「事務事業」/「名」: the 業 of one cell and the 名 of the next read 「事業名」, a label of its own,
    which must not win over 事務事業名 and hide the whole header."""
    size = 11.0
    chars: list[Char] = []

    def put(text: str, x: float, top: float) -> None:
        for i, ch in enumerate(text):
            chars.append(Char(ch, x + i * size, x + (i + 1) * size, top, top + size, size))

    put("No.", 20, 78)
    put("事\u3000", 72, 78)
    put("事務事業", 110, 78)
    put("部\u3000署", 170.4, 78)
    put("事業の目的", 234, 78)
    put("業\u3000", 72, 92.5)
    put("名", 126.5, 92.5)
    put("\u3000名", 175.9, 92.5)
    put("番\u3000", 72, 107.4)
    put("号", 77.5, 122.2)
    chars.sort(key=lambda c: (round(c.cy), c.x0))
    [header] = find_headers(page_segments(chars))
    labels = {f: (x0, x1) for f, x0, x1 in header.labels}
    assert list(labels) == ["no", "program_id", "name", "department", "purpose"]
    assert labels["name"][0] >= 110 and labels["program_id"][1] <= 95
