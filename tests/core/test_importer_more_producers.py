"""Producers added by tests/fixtures/producers/prod_more.py: what each taught the importer.

Qt prints at device resolution (83-point text under a 0.12 scale) and sets its page number inside its
own page margin; Qt's PDF writer maps a few glyphs of a CFF font back to the wrong text; a print path
through PostScript can lose every character map; Writer's footer may touch the last line of a full
page. The bars of test_importer_producers.py run on these fixtures too; these tests pin the causes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from evaldesk.errors import NoUnicodeMapError
from evaldesk.importer import parse_pdf
from evaldesk.importer.cells import Line, make_line
from evaldesk.importer.pdfchars import Char, open_pdf
from evaldesk.textnorm import fix_radicals

PRODUCERS = Path(__file__).resolve().parents[1] / "fixtures" / "producers"


def test_size_is_the_printed_size_under_a_scaled_page(tmp_path: Path) -> None:
    # Drawn as Qt does at 600 dpi: the page scaled by 0.12, the text set in 83 points.
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    path = tmp_path / "scaled.pdf"
    c = Canvas(str(path), pagesize=(595, 842))
    c.scale(0.12, 0.12)
    c.setFont("HeiseiMin-W3", 83)
    c.drawString(800, 6000, "事務事業名")
    c.showPage()
    c.save()
    with open_pdf(path) as doc:
        chars = doc.read_page(0).chars
    assert chars
    assert all(abs(ch.size - 83 * 0.12) < 0.3 for ch in chars)


def test_qt_page_numbers_are_not_part_of_the_last_row() -> None:
    table = parse_pdf(PRODUCERS / "qt_printer_none_udmincho10_justify.pdf")
    for row in table.rows:
        for f in ("purpose", "overview", "outcome"):
            # Qt prints 1, 2, 3 ... alone at the bottom right, where the 成果 column ends a page.
            assert not row.text(f).rstrip().endswith(("\n1", "\n2", "\n3", "\n4", "\n5")), row.text(f)


def test_full_width_words_keep_the_space_drawn_as_an_advance() -> None:
    # Ｔｉｐｓ　ｆｏｒ: Qt prints the full-width space as a space's advance (0.3 em), with no glyph.
    size = 8.0
    chars = []
    x = 100.0
    for ch in "ＴｉｐｓｆｏｒＬｉｖ":
        chars.append(Char(ch, x, x + 0.6 * size, 0.0, size, size))
        x += 0.6 * size
        if ch in "ｓｒ":
            x += 0.3 * size
    assert make_line(chars).text == "Ｔｉｐｓ\u3000ｆｏｒ\u3000Ｌｉｖ"


def test_hyphenation_point_of_a_cjk_font_reads_as_nakaguro() -> None:
    assert fix_radicals("運転\u2027管理") == "運転・管理"
    assert fix_radicals("⼀覧") == "一覧"


def test_glyphs_qt_mapped_wrong_are_doubted_never_stored_silently() -> None:
    """Qt's map of a Noto CFF font turns figures of ids into 'z', 'Ĉ' or nothing: every program with
    such a cell must carry a doubt naming it (a plain import then refuses to store the table)."""
    table = parse_pdf(PRODUCERS / "qt_zebra_noto8_shuffled.pdf")
    doubted = {d.row for d in table.doubts}
    import json

    key = json.loads((PRODUCERS / "qt_zebra_noto8_shuffled.json").read_text(encoding="utf-8"))
    by_no = {r.no: (i, r) for i, r in enumerate(table.rows)}
    wrong = [
        no
        for no, (i, row) in by_no.items()
        for want in key["programs"]
        if want["no"] == no and row.program_id != want["program_id"] and i not in doubted
    ]
    assert wrong == []
    assert any("文字の対応表" in d.reason for d in table.doubts)


def test_postscript_round_trip_without_character_maps_is_refused() -> None:
    with pytest.raises(NoUnicodeMapError) as err:
        parse_pdf(PRODUCERS / "ps_fpdf_none_gothic10_garbled.pdf")
    assert "ps_fpdf_none_gothic10_garbled.pdf" in str(err.value)


def test_letter_spacing_on_every_line_is_no_justification() -> None:
    # A text object's char spacing (0.8 pt at 9 pt) widens every gap of every line, the short last
    # line of a paragraph too: short lines end paragraphs, they are not spread lines with blanks.
    from evaldesk.importer.cells import cell_text

    size, track, left = 9.0, 0.8, 100.0

    def line(text: str, row: int) -> Line:
        chars = []
        x = left
        for ch in text:
            chars.append(Char(ch, x, x + size, 14.0 * row, 14.0 * row + size, size))
            x += size + track
        return make_line(chars)

    edge = left + 10 * (size + track)
    lines = [
        line("行政間の視察・意見交換", 0),
        line("等の実施", 1),
        line("市民参加による交流事業", 2),
        line("の実施", 3),
    ]
    assert (
        cell_text(lines, edge=edge, left=left, words=False)
        == "行政間の視察・意見交換等の実施\n市民参加による交流事業の実施"
    )


def test_kanji_outside_the_japanese_sets_is_doubted() -> None:
    from evaldesk.importer.charset import foreign_kanji

    assert foreign_kanji("災害用井戶の整備") == "戶"
    # JIS X 0208/0213 and the Windows extensions (髙, 﨑) are Japanese; kana and Latin are no kanji.
    assert foreign_kanji("災害用井戸の整備、髙橋・山﨑、Ｔｓｕｋｕｂａ") == ""
    table = parse_pdf(PRODUCERS / "qt_pdfwriter_grid_mincho9.pdf")
    doubted = {(table.rows[d.row].no, d.field) for d in table.doubts if d.kind == "unmapped"}
    for row in table.rows:
        for f in ("name", "purpose", "overview", "outcome"):
            if "戶" in row.text(f):
                assert (row.no, f) in doubted


def test_a_code_run_on_over_the_next_cell_goes_back_to_its_own() -> None:
    # 「05-17-002」 is wider than its column: its last figure lies past the boundary (x 140) and the
    # first letter of the next cell is printed over it. Glyphs of one cell never overlap.
    from evaldesk.importer.header import Columns
    from evaldesk.importer.rows import column_lines

    size = 7.0
    chars = []
    x = 107.2
    for ch in "05-17-002":
        w = 2.5 if ch == "-" else 4.4
        chars.append(Char(ch, x, x + w, 0.0, size, size))
        x += w
    x = 141.3  # over the 「2」 (138.7 - 143.1)
    for ch in "市長車":
        chars.append(Char(ch, x, x + size, 0.0, size, size))
        x += size
    ids, names = column_lines(chars, Columns(("program_id", "name"), (140.0,)))
    assert [ln.text for ln in ids] == ["05-17-002"]
    assert [ln.text for ln in names] == ["市長車"]


def test_a_bullet_wholly_past_the_boundary_opens_the_next_cell() -> None:
    # 「…シティ」 with 「ィ」 hung past its cell edge (615.5), touching the bullet 「・」 that opens the
    # next column's line at 626.2; the boundary lies between them (620).
    from evaldesk.importer.header import Columns
    from evaldesk.importer.rows import column_lines

    size = 11.0
    chars = [Char(ch, x, x + size, 0.0, size, size) for ch, x in (("テ", 604.5), ("ィ", 615.5))]
    chars += [Char(ch, 626.2 + k * size, 637.2 + k * size, 0.0, size, size) for k, ch in enumerate("・令和")]
    left, right = column_lines(chars, Columns(("purpose", "overview"), (620.0,)))
    assert [ln.text for ln in left] == ["ティ"]
    assert [ln.text for ln in right] == ["・令和"]
    # A hung mark after the edge's last letter (not wholly past the boundary) stays with its line.
    hung = [Char("テ", 604.5, 615.5, 0.0, size, size), Char("・", 615.5, 626.5, 0.0, size, size)]
    hung.append(Char("令", 626.2, 637.2, 0.0, size, size))
    left, right = column_lines(hung, Columns(("purpose", "overview"), (620.0,)))
    assert [ln.text for ln in left] == ["テ・"]


def test_a_code_cut_after_its_hyphen_is_one_id_in_rows_as_tight_as_lines() -> None:
    # Writer, no rules, a narrow 事業番号 column: 「05-17-」 over 「002」, rows printed as tight as lines.
    from evaldesk.importer.rows import id_marks

    size, pitch = 11.0, 15.0

    def line(text: str, row: int, x0: float) -> Line:
        return make_line(
            [
                Char(ch, x0 + k * size, x0 + (k + 1) * size, row * pitch, row * pitch + size, size)
                for k, ch in enumerate(text)
            ]
        )

    ids = [line("05-17-", 0, 400), line("002", 1, 408), line("04-20-", 2, 400), line("003", 3, 408)]
    names = [
        line(t, r, 100)
        for r, t in enumerate(("市長車等特別職", "運転・管理業務", "渉外業務（後援", "名義使用承認"))
    ]
    marks = id_marks([names, ids], 1, [], 400 + 6 * size)
    assert [m.text for m in marks] == ["05-17-", "04-20-"]
    # Without the hyphen nothing tells a wrapped id from the next row's: every line stays a row.
    plain = [line("0517", 0, 400), line("002", 1, 408), line("0420", 2, 400), line("003", 3, 408)]
    assert len(id_marks([names, plain], 1, [], 400 + 6 * size)) == 4


def test_an_id_ending_in_a_hyphen_is_doubted(tmp_path: Path) -> None:
    from tests.core.tablegen import make_programs, make_table_pdf

    programs = make_programs(8, seed=2)
    programs[3] = dict(programs[3], program_id="12-")
    table = parse_pdf(make_table_pdf(tmp_path / "t.pdf", programs))
    reasons = [d.reason for d in table.doubts if d.row == 3 and d.field == "program_id"]
    assert any("「-」で終わって" in r for r in reasons), table.doubts


def test_a_lone_space_wide_gap_in_a_solid_line_is_the_ideographic_space() -> None:
    # Qt draws 「実施　２回」's U+3000 as an advance a space wide (a third of an em), no glyph.
    size = 11.0
    chars = []
    x = 600.0
    for ch in "訓練を実施２回（６月）":
        chars.append(Char(ch, x, x + size, 0.0, size, size))
        x += size
        if ch == "施":
            x += size / 3
    assert make_line(chars).text == "訓練を実施\u3000２回（６月）"
    # A line whose letters are all spread apart says nothing of the kind.
    spread = [
        Char(ch, 600.0 + k * 1.4 * size, 600.0 + (k * 1.4 + 1) * size, 0.0, size, size)
        for k, ch in enumerate("訓練を実施")
    ]
    assert make_line(spread).text == "訓練を実施"
