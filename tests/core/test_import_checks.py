"""Never silently wrong: every doubtful cell is named with its page box, and a plain import refuses it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from evaldesk.desk import Desk
from evaldesk.errors import (
    DoubtfulCellsError,
    MixedYearsError,
    NoTableError,
    NoUnicodeMapError,
    YearError,
    YearMismatchError,
)
from evaldesk.fiscal_year import parse_year, year_from_title
from evaldesk.importer import parse_pdf
from evaldesk.importer.checks import resolve
from evaldesk.records import ParsedTable
from tests.conftest import SAMPLE_PDF, load_truth, truth_table
from tests.core.cliproc import cli
from tests.core.doubtgen import join_pdfs, longtable_pdf, simple_table, strip_tounicode
from tests.core.tablegen import make_programs, make_table_pdf

PRODUCERS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "producers").glob("*.pdf"))
TEXTS = ("name", "department", "purpose", "overview", "outcome")


def _short(n: int = 8, seed: int = 5) -> list[dict[str, Any]]:
    """Programs whose texts fit one line of :func:`simple_table`."""
    return [
        dict(
            p,
            name=p["name"][:8],
            department=p["department"][:8],
            purpose=p["purpose"][:14],
            overview=p["overview"][:14],
            outcome=p["outcome"][:14],
        )  # fmt: skip
        for p in make_programs(n, seed=seed)
    ]


def _kinds(table: ParsedTable) -> set[tuple[int, str, str]]:
    return {(d.row, d.field, d.kind) for d in table.doubts}


def _key(pdf: Path) -> list[dict[str, Any]]:
    if pdf == SAMPLE_PDF:
        return cast("list[dict[str, Any]]", load_truth()["programs"])
    return cast("list[dict[str, Any]]", json.loads(pdf.with_suffix(".json").read_text("utf-8"))["programs"])


# Producer fixtures the checks do not handle yet (strict xfail; remove an entry when it passes).
CHECKS_KNOWN: dict[str, str] = {}


def _producer_params() -> list[Any]:
    out = []
    for pdf in [*PRODUCERS, SAMPLE_PDF]:
        reason = CHECKS_KNOWN.get(pdf.stem)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(pdf, marks=marks, id=pdf.stem))
    return out


@pytest.mark.parametrize("pdf", _producer_params())
def test_doubts_fall_on_the_misread_rows_and_no_other(pdf: Path) -> None:
    """On every producer's table: each row read wrong is doubted, and a row read right is not (but for
    the No. after a lost program)."""
    truth = {str(p["program_id"]): p for p in _key(pdf)}
    try:
        table = parse_pdf(pdf)
    except (NoTableError, NoUnicodeMapError):
        pytest.skip("not read at all: refused with a sentence, never stored silently")
    assert table.cells_checked in (len(table.rows) * 7, len(table.rows) * 6)  # 6: no No. column

    def flat(text: object) -> str:
        return "".join(str(text).split())

    wrong = {
        i
        for i, row in enumerate(table.rows)
        if row.program_id not in truth
        or any(flat(row.text(f)) != flat(truth[row.program_id][f]) for f in TEXTS)
    }
    doubted = {d.row for d in table.doubts}
    assert wrong <= doubted, [table.rows[i].program_id for i in sorted(wrong - doubted)]
    lost = set(truth) - {r.program_id for r in table.rows}
    false = {d for d in table.doubts if d.row not in wrong and not (lost and d.kind == "sequence")}
    assert not false, false
    if not wrong and not lost:
        assert table.doubts == ()


def _generated(tmp_path: Path, change: dict[int, dict[str, Any]], **layout: Any) -> ParsedTable:
    programs = make_programs(12, seed=2)
    for i, fields in change.items():
        programs[i] = dict(programs[i], **fields)
    return parse_pdf(make_table_pdf(tmp_path / "t.pdf", programs, **layout))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({3: {"program_id": ""}}, (3, "program_id", "missing_id")),
        ({5: {"program_id": "106"}, 1: {"program_id": "106"}}, (5, "program_id", "duplicate_id")),
        ({4: {"department": ""}}, (4, "department", "empty")),
        ({6: {"name": "防災訓練事業\n事務事業名"}}, (6, "name", "header_words")),
        ({7: {"purpose": "9,273"}}, (7, "purpose", "bare_number")),
        ({2: {"purpose": "9,273特別職（市長及び副市長）の秘書業務を行う。"}}, (2, "purpose", "bare_number")),
        ({8: {"no": 10}, 9: {"no": 11}, 10: {"no": 12}, 11: {"no": 13}}, (8, "no", "sequence")),
    ],
    ids=["missing-id", "duplicate-id", "empty", "header-words", "bare-number", "glued-figure", "sequence"],
)
def test_each_kind_of_doubt_names_its_cell_and_box(
    tmp_path: Path, change: dict[int, dict[str, Any]], expected: tuple[int, str, str]
) -> None:
    table = _generated(tmp_path, change)
    assert _kinds(table) == {expected}, table.doubts
    [doubt] = table.doubts
    row = table.rows[doubt.row]
    assert doubt.no == row.no and doubt.program_id == row.program_id and doubt.reason
    assert row.source is not None and doubt.page == row.source.page
    assert doubt.box is not None
    x0, top, x1, bottom = doubt.box
    assert 0 <= x0 < x1 <= 842 and top == row.source.top and bottom == row.source.bottom
    assert doubt.label.startswith(f"No.{row.no}")


def test_ordinary_numbers_and_words_in_text_are_not_doubted(tmp_path: Path) -> None:
    table = _generated(
        tmp_path,
        {
            0: {"purpose": "3歳児から5歳児までの保育を行う。"},
            1: {"purpose": "1,234人の参加を目標とする。"},
            2: {"outcome": "成果指標の目標を達成した。"},
            3: {"overview": "事業の目的に沿って、2024年度は12回開催した。"},
        },
    )
    assert table.doubts == ()


def test_a_font_without_tounicode_is_doubted_in_its_own_column_cell_by_cell(tmp_path: Path) -> None:
    programs = _short()
    pdf = strip_tounicode(simple_table(tmp_path / "u.pdf", programs, fonts={"purpose": "mincho"}),
                          "BIZUDMincho-Regular")  # fmt: skip
    table = parse_pdf(pdf)  # most of the file maps fine: no refusal of the whole file
    assert {(d.row, d.field) for d in table.doubts} == {(i, "purpose") for i in range(len(programs))}
    assert {d.kind for d in table.doubts} == {"unmapped"}
    assert all(r.name == p["name"] for r, p in zip(table.rows, programs, strict=True))


def test_text_printed_over_a_column_edge_is_doubted(tmp_path: Path) -> None:
    programs = _short()
    programs[2]["name"] = "防災訓練推進事業"
    table = parse_pdf(simple_table(tmp_path / "c.pdf", programs, nudge={(2, "name"): 66}))
    # The name runs over the rule into 部署名: both cells of that row, and no other, are in doubt.
    assert {(d.row, d.field) for d in table.doubts} == {(2, "name"), (2, "department")}
    assert "crosses_column" in {d.kind for d in table.doubts}
    clean = parse_pdf(simple_table(tmp_path / "ok.pdf", programs))
    assert clean.doubts == ()


def test_longtable_repeated_header_leaves_no_wrong_row_undoubted(tmp_path: Path) -> None:
    """reportlab LongTable(repeatRows=1) with rules between rows only, rows split over pages."""
    programs = make_programs(20, seed=5)
    table = parse_pdf(longtable_pdf(tmp_path / "lt.pdf", programs))
    truth = {str(p["program_id"]): p for p in programs}
    doubted = {d.row for d in table.doubts}

    def flat(text: object) -> str:
        return "".join(str(text).split())

    for i, row in enumerate(table.rows):
        want = truth.get(row.program_id)
        if want is None or any(flat(row.text(f)) != flat(want[f]) for f in TEXTS):
            assert i in doubted, f"row {i} ({row.program_id}) is wrong and not doubted"
    read = {r.program_id for r in table.rows}
    missing = [pid for pid in truth if pid not in read]
    assert not missing or table.doubts  # a lost program shows as a doubt too (sequence, header words)


# -- the import policy -------------------------------------------------------------------------


@pytest.fixture
def doubtful_pdf(tmp_path: Path) -> Path:
    programs = make_programs(12, seed=2)
    programs[4] = dict(programs[4], department="")
    programs[6] = dict(programs[6], purpose="9,273")
    return make_table_pdf(tmp_path / "doubtful.pdf", programs)


def test_a_table_with_doubts_is_not_stored_by_a_plain_import(desk: Desk, doubtful_pdf: Path) -> None:
    with pytest.raises(DoubtfulCellsError) as caught:
        desk.import_pdf(doubtful_pdf, year=2024)
    assert {(d.no, d.field) for d in caught.value.doubts} == {(5, "department"), (7, "purpose")}
    assert caught.value.cells_checked == 12 * 7
    assert "2 か所" in str(caught.value) and "84 セル" in str(caught.value)
    assert desk.years() == []

    summary = desk.import_pdf(doubtful_pdf, year=2024, accept_warnings=True)
    assert summary.programs == 12 and len(summary.doubts) == 2 and summary.cells_checked == 84
    assert desk.programs(2024)[6].purpose == "9,273"


def test_cells_the_user_confirmed_or_corrected_are_stored(desk: Desk, doubtful_pdf: Path) -> None:
    table = desk.parse_pdf(doubtful_pdf)
    dept, purpose = table.doubts
    half = resolve(table, {(dept.row, dept.field): "総務部総務課"})
    assert half.doubts == (purpose,)
    with pytest.raises(DoubtfulCellsError):
        desk.import_table(half, year=2024)
    done = resolve(half, {(purpose.row, purpose.field): purpose.text})  # confirmed as read
    desk.import_table(done, year=2024)
    stored = desk.programs(2024)
    assert stored[4].department == "総務部総務課" and stored[6].purpose == "9,273"


def test_cli_import_exits_1_naming_each_doubtful_cell(db_url: str, doubtful_pdf: Path) -> None:
    done = cli(db_url, "import", doubtful_pdf, "--year", "2024")
    assert done.code == 1
    assert "84 セルを確かめ、2 か所" in done.out
    lines = [ln for ln in done.out.splitlines() if "要確認" in ln]
    assert len(lines) == 2
    assert "No.5" in lines[0] and "部署名" in lines[0] and "ページ目" in lines[0]
    assert "No.7" in lines[1] and "事業の目的" in lines[1] and "9,273" in lines[1]
    [err] = done.err.strip().splitlines()
    assert err.startswith("エラー: ") and "--accept-warnings" in err
    assert cli(db_url, "years").out.strip() == ""

    dry = cli(db_url, "import", doubtful_pdf, "--year", "2024", "--dry-run")
    assert dry.code == 1 and "要確認" in dry.out

    accepted = cli(db_url, "import", doubtful_pdf, "--year", "2024", "--accept-warnings")
    assert accepted.code == 0, accepted.err
    assert "要確認" in accepted.out and "12 事業" in accepted.out
    assert len(cli(db_url, "list", "--format", "json").json()) == 12


def test_cli_import_of_a_clean_table_says_how_many_cells_were_checked(db_url: str) -> None:
    done = cli(db_url, "import", SAMPLE_PDF, "--year", "2024")
    assert done.code == 0, done.err
    assert "140 セルを確かめ、疑わしいセルはありませんでした" in done.out


# -- the fiscal year ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["R0", "令和0年度", "令和０年度", "r00", "H0"])
def test_era_year_zero_is_no_year(text: str) -> None:
    with pytest.raises(YearError, match="元年"):
        parse_year(text)
    assert year_from_title(f"{text}　事務事業評価") is None


def test_era_first_year_is_2019() -> None:
    assert parse_year("令和元年度") == parse_year("R1") == 2019


def test_cli_refuses_year_zero(db_url: str) -> None:
    done = cli(db_url, "import", SAMPLE_PDF, "--year", "R0")
    assert done.code == 2 and "元年" in done.err


def test_a_year_contradicting_the_title_stops_the_import(desk: Desk, tmp_path: Path, db_url: str) -> None:
    pdf = make_table_pdf(
        tmp_path / "r5.pdf", make_programs(6, seed=1), title="令和５年度　事務事業評価結果一覧"
    )
    with pytest.raises(YearMismatchError, match="令和5年度"):
        desk.import_pdf(pdf, year=2024)
    assert desk.years() == []
    done = cli(db_url, "import", pdf, "--year", "2024")
    assert done.code == 1 and "令和５年度" in done.err and "令和6年度（2024）" in done.err
    assert cli(db_url, "years").out.strip() == ""
    assert cli(db_url, "import", pdf).code == 0  # the title's year
    assert [y.year for y in desk.years()] == [2023]


def test_two_years_in_one_pdf_stop_the_import(tmp_path: Path, db_url: str) -> None:
    a = make_table_pdf(
        tmp_path / "a.pdf", make_programs(10, seed=1), title="令和５年度　事務事業評価結果一覧"
    )
    b = make_table_pdf(tmp_path / "b.pdf", make_programs(2, seed=2), title="令和６年度　事務事業評価結果一覧")
    both = join_pdfs(tmp_path / "both.pdf", [a, b])
    with pytest.raises(MixedYearsError) as caught:
        parse_pdf(both)
    message = str(caught.value)
    assert "令和５年度" in message and "令和６年度" in message and "ページ目" in message
    done = cli(db_url, "import", both, "--year", "2024", "--accept-warnings")
    assert done.code == 1 and "年度の違う表" in done.err
    assert cli(db_url, "years").out.strip() == ""


def test_truth_tables_built_by_hand_still_import(desk: Desk) -> None:
    desk.import_table(truth_table(), year=2024)
    assert len(desk.programs(2024)) == 20


def test_a_column_whose_label_is_not_understood_is_doubted_on_every_row(tmp_path: Path) -> None:
    """A header read only in part (事業の目的 printed under a label the importer does not know) must not
    store the table with that column silently empty: every program is named with the missing column."""
    programs = make_programs(6, seed=4)
    pdf = make_table_pdf(tmp_path / "t.pdf", programs, labels={"purpose": "ねらい"})
    table = parse_pdf(pdf)
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    assert all(r.purpose == "" for r in table.rows)  # the column was not recognised ...
    missing = [d for d in table.doubts if d.field == "purpose"]
    assert {(d.row, d.kind) for d in missing} == {(i, "empty") for i in range(6)}  # ... and says so
    assert "事業の目的" in missing[0].reason and missing[0].label.startswith("No.1 ")


def test_a_column_read_empty_in_every_row_is_doubted(tmp_path: Path) -> None:
    programs = [dict(p, outcome="") for p in make_programs(5, seed=6)]
    table = parse_pdf(make_table_pdf(tmp_path / "t.pdf", programs))
    assert {(d.row, d.field, d.kind) for d in table.doubts} == {(i, "outcome", "empty") for i in range(5)}


def test_a_grouped_two_row_header_reads_its_sub_columns() -> None:
    """「事業内容」 merged over 事業の目的 / 事業の概要: the group label is no column, the sub-labels are."""
    pdf = Path(__file__).resolve().parents[1] / "fixtures" / "producers" / "rl_table_grid_gothic8_grouped.pdf"
    table = parse_pdf(pdf)
    truth = _key(pdf)
    assert [r.purpose for r in table.rows] == [p["purpose"] for p in truth]
    assert [r.overview for r in table.rows] == [p["overview"] for p in truth]
    assert not [d for d in table.doubts if d.kind == "empty"]


def _line(cy: float, size: float, *chars: tuple[str, float]) -> list[tuple[float, float, float, float, str]]:
    """Points (of packed.points) for characters of one line: (text, x0), each one size wide."""
    return [(cy, x0, x0 + size, size, text) for text, x0 in chars]


@pytest.mark.parametrize(
    ("chars", "crossing"),
    [
        # 「事業）」: kinsoku keeps the ） with 業 and prints it past the rule at 100; the next cell starts later.
        ((("業", 91.0), ("）", 100.0), ("１", 106.0)), False),
        # 「コード」: the ー pushed over the rule lands on the next cell's first letter.
        ((("ド", 91.0), ("ー", 100.0), ("で", 107.0)), False),
        # The text runs on after the mark: it was read across the rule.
        ((("業", 91.0), ("）", 100.0), ("防", 109.0)), True),
        # A letter right of the rule, touching the text left of it: one text read across the rule.
        ((("業", 91.0), ("防", 100.5), ("１", 115.0)), True),
        # A code too long for its cell: its last figure is printed over the rule, the next cell's
        # text starts under it (WeasyPrint: 「02-20-00|5職員…」).
        ((("0", 87.0), ("5", 96.0), ("職", 104.7)), False),
        # ... but a text running on, letter against letter, past such a figure was read across the rule.
        ((("0", 87.0), ("5", 96.0), ("職", 105.0)), True),
    ],
    ids=[
        "closing-bracket",
        "long-vowel-on-next-cell",
        "text-runs-on",
        "letter",
        "overflowing-code",
        "run-on",
    ],
)
def test_a_mark_or_letter_hanging_past_a_rule_is_no_crossing(
    chars: tuple[tuple[str, float], ...], crossing: bool
) -> None:
    from evaldesk.importer.checks import _glued_at

    points = sorted(_line(50.0, 9.0, *chars), key=lambda p: (p[0], p[1]))
    assert bool(_glued_at(points, 100.3, ruled=True)) is crossing
