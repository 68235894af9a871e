"""Letters tracked apart (a reportlab text object's setCharSpace): the spacing is the producer's, every
line has it, so it neither marks a line as full nor hides ideographic spaces where a line wraps."""

from __future__ import annotations

from evaldesk.importer.cells import Line, cell_text, make_line
from evaldesk.importer.edges import is_justified
from evaldesk.importer.pdfchars import Char
from evaldesk.importer.spacing import column_tracking, document_tracking, untracked

SIZE = 9.0
PITCH = 9.8  # 0.8 pt of character spacing after every 9 pt letter
LEFT = 100.0


def _line(text: str, top: float, pitch: float = PITCH) -> Line:
    chars = [
        Char(ch, LEFT + i * pitch, LEFT + i * pitch + SIZE, top, top + SIZE, SIZE)
        for i, ch in enumerate(text)
    ]
    return make_line(chars)


def _cell(*texts: str, top: float = 0.0, pitch: float = PITCH) -> list[Line]:
    return [_line(t, top + i * 12.0, pitch) for i, t in enumerate(texts)]


# A column of 17 letters a line: the cell edge is where the 17th letter ends.
EDGE = LEFT + 16 * PITCH + SIZE
FULL = "特別職が出席する会議や催事等日程に"
FULL2 = "ついて調整及び事前確認を行い、必要"


def test_a_tracked_columns_wraps_are_joined_and_its_short_lines_end_paragraphs() -> None:
    cell = _cell(FULL, FULL2, "に応じて随行する。", "全日程関連資料を特別職へ事前に共有", "する。")
    other = _cell("市長車及び副市長車の運転・管理業務", "を円滑に行う。", top=200.0)
    lines = cell + other
    tracking = column_tracking(lines, EDGE)
    assert abs(tracking - 0.8) < 0.01
    assert is_all_unspread(untracked(lines, tracking))
    text = cell_text(untracked(cell, tracking), edge=EDGE, justified=False)
    assert text == FULL + FULL2 + "に応じて随行する。\n全日程関連資料を特別職へ事前に共有する。"
    # Left spread, the lines looked justified: room in the tracking read as hidden ideographic spaces
    # and the short line as blanks drawn to the edge.
    assert "\u3000" in cell_text(cell, edge=EDGE, justified=True)


def test_a_justified_column_is_not_taken_for_tracking() -> None:
    """Lines spread by their own slack to the edge, paragraph ends unspread: no tracking."""
    spread = [_line(FULL, 0.0), _line(FULL2, 12.0)]
    short = [
        make_line(
            [
                Char(ch, LEFT + i * SIZE, LEFT + (i + 1) * SIZE, 24.0, 33.0, SIZE)
                for i, ch in enumerate("に応じて随行する。")
            ]
        )
    ]
    assert column_tracking(spread + short, EDGE) == 0.0


def is_all_unspread(lines: list[Line]) -> bool:
    return all(ln.spread == 0 and not ln.even for ln in lines)


def test_a_narrow_column_takes_the_tracking_the_other_columns_show() -> None:
    """1.5 pt of spacing at 9 pt. A name column seven letters wide: its last lines are all under four
    letters, so its own lines show no tracking; the document's other columns do, and one producer
    tracks them all alike."""
    pitch = SIZE + 1.5
    edge = LEFT + 6 * pitch + SIZE
    names = _cell("市民目線の広報", "推進事業", pitch=pitch)
    assert column_tracking(names, edge) == 0.0
    wide = _cell(FULL, "に応じて随行する。", "業務を円滑に行う。", pitch=pitch)
    tracking = document_tracking([0.0, column_tracking(wide, LEFT + 16 * pitch + SIZE)])
    assert abs(tracking - 1.5) < 0.01
    column = untracked(names, tracking)
    assert cell_text(column, edge=edge, justified=is_justified(column)) == "市民目線の広報推進事業"


def test_columns_disagreeing_on_their_spacing_are_not_tracked() -> None:
    assert document_tracking([0.8, 0.0, 2.4]) == 0.0
    assert document_tracking([0.8, 0.0, 0.81]) > 0.0
