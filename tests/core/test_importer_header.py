"""Header geometry: labels of columns the importer does not store, and the x-extent of the data."""

from __future__ import annotations

from evaldesk.importer.bounds import column_bounds
from evaldesk.importer.header import find_headers
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
