"""The importer reads generated tables in many office layouts and the real FY2024 sample cell-exactly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from evaldesk.importer import parse_pdf
from evaldesk.records import ParsedTable
from tests.core.tablegen import load_truth, make_programs, make_table_pdf, sample_pdf

FIELDS = ("program_id", "name", "department", "purpose", "overview", "outcome")


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def check_against(table: ParsedTable, programs: list[dict[str, Any]], *, exact_share: float = 0.97) -> int:
    """Every cell equal ignoring whitespace, and at least ``exact_share`` of them equal exactly."""
    assert [r.no for r in table.rows] == [p["no"] for p in programs]
    exact = 0
    for row, want in zip(table.rows, programs, strict=True):
        for f in FIELDS:
            got, exp = getattr(row, f), str(want[f])
            assert _squash(got) == _squash(exp), f"No.{want['no']} {f}: {got!r} != {exp!r}"
            exact += got == exp
    cells = len(programs) * len(FIELDS)
    assert exact >= exact_share * cells, f"only {exact}/{cells} cells exact"
    return exact


SYNONYMS = {
    "no": "項番",
    "program_id": "事業\nコード",
    "name": "事業名",
    "department": "担当課",
    "purpose": "目的",
    "overview": "事業内容",
    "outcome": "成果・実績",
}
SHUFFLED = ("program_id", "no", "department", "name", "outcome", "overview", "purpose")

LAYOUTS: dict[str, dict[str, Any]] = {
    "grid-landscape-gothic": {},
    "grid-portrait-mincho-small": {"orientation": "portrait", "font": "mincho", "size": 7},
    "header-rule-only": {"lines": "header_rule", "footer": "slash"},
    "no-lines": {"lines": "none", "title": None},
    "no-lines-middle": {"lines": "none", "valign": "middle", "font": "mincho", "size": 7.5},
    "grid-middle": {"valign": "middle", "size": 9, "print_date": "2025/05/01 印刷"},
    "header-first-page-only": {"repeat_header": False, "footer": "slash"},
    "word-split-rows": {"split_rows": True, "orientation": "portrait", "size": 7},
    "word-split-no-lines": {"split_rows": True, "lines": "none", "repeat_header": False},
    "shuffled-synonyms-wrapped-header": {"order": SHUFFLED, "labels": SYNONYMS, "lines": "header_rule"},
    "fullwidth-labels": {
        "labels": {
            "no": "ＮＯ",
            "program_id": "事業ＣＤ",
            "name": "事務事業名",
            "department": "所管課",
            "purpose": "事業の目的",
            "overview": "概要",
            "outcome": "事業の成果",
        },
        "size": 10,
        "leading": 1.25,
        "padding": 2.0,
    },
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_generated_layouts_read_cell_exact(tmp_path: Path, name: str) -> None:
    seed = sorted(LAYOUTS).index(name)
    programs = make_programs(40, seed=seed, id_style=("plain", "code", "fullwidth")[seed % 3])
    pdf = make_table_pdf(tmp_path / f"{name}.pdf", programs, **LAYOUTS[name])
    table = parse_pdf(pdf)
    check_against(table, programs)
    assert table.pages >= 2
    assert not table.warnings
    for row in table.rows:
        assert row.source is not None and 0 <= row.source.page < table.pages


def test_title_year_and_footers_are_not_data(tmp_path: Path) -> None:
    programs = make_programs(25, seed=7)
    pdf = make_table_pdf(tmp_path / "t.pdf", programs, footer="dash", print_date="2025/05/01 印刷")
    table = parse_pdf(pdf)
    assert table.title == "令和６年度　事務事業評価結果一覧"
    assert table.title_year == 2024
    everything = "".join(getattr(r, f) for r in table.rows for f in FIELDS)
    assert "- 2 -" not in everything and "印刷" not in everything


def test_row_continued_on_next_page_is_one_program(tmp_path: Path) -> None:
    programs = make_programs(12, seed=3)
    programs[4]["overview"] = "\n".join(f"・第{i}段落の説明文です。" * 3 for i in range(1, 40))
    pdf = make_table_pdf(tmp_path / "split.pdf", programs, split_rows=True)
    table = parse_pdf(pdf)
    assert len(table.rows) == 12
    check_against(table, programs)


@pytest.mark.parametrize("lines", ["grid", "none"])
def test_columns_of_other_kinds_are_ignored(tmp_path: Path, lines: str) -> None:
    # Some cities print budget and rating columns too: their text must not leak into the known ones.
    programs = [dict(p) for p in make_programs(12, seed=5)]
    for i, p in enumerate(programs):
        p["budget"] = f"{(i + 1) * 1234:,}"
        p["rating"] = "拡充" if i % 2 else "Ａ"
    order = ("no", "program_id", "name", "department", "budget", "purpose", "overview", "outcome", "rating")
    labels = {"budget": "事業費\n（千円）", "rating": "評価"}
    widths = {"no": 0.9, "program_id": 1.3, "name": 3.2, "department": 2.6, "budget": 1.6,
              "purpose": 5.0, "overview": 6.5, "outcome": 6.5, "rating": 1.2}  # fmt: skip
    pdf = make_table_pdf(
        tmp_path / "extra.pdf", programs, order=order, labels=labels, widths=widths, lines=lines
    )
    table = parse_pdf(pdf)
    check_against(table, programs)
    assert not table.warnings


@pytest.mark.parametrize(
    ("seed", "options"),
    [
        # Narrow columns at 11 pt: 「事/業/番/号」 and 「N/o/.」 stacked one character a line.
        (22, {"orientation": "portrait", "font": "mincho", "size": 11, "lines": "grid"}),
        (12, {"orientation": "portrait", "font": "mincho", "size": 11, "valign": "middle"}),
        # Centred cells, rows split across pages, no rules: the continuation ends at the row gap.
        (23, {"font": "mincho", "size": 11, "lines": "none", "valign": "middle", "split_rows": True}),
        (
            7,
            {
                "orientation": "portrait",
                "font": "mincho",
                "size": 6.5,
                "lines": "none",
                "valign": "middle",
                "split_rows": True,
            },
        ),
        (
            0,
            {
                "orientation": "portrait",
                "size": 6.5,
                "lines": "header_rule",
                "valign": "middle",
                "split_rows": True,
                "repeat_header": False,
            },
        ),
        # Two narrow header cells printed closer than a word gap: 「Ｎ」「事業」 over 「Ｏ」「ＣＤ」.
        (
            127,
            {
                "orientation": "portrait",
                "font": "mincho",
                "size": 10,
                "leading": 1.2,
                "padding": 1.5,
                "labels": {"no": "ＮＯ", "program_id": "事業ＣＤ"},
            },
        ),
        # Excel's 均等割り付け: 「事　務　事　業　名」 spread over the header cell.
        (3, {"header_distributed": True}),
        (4, {"header_distributed": True, "lines": "none", "orientation": "portrait", "size": 7}),
        # Centred, split and unruled, with row padding barely wider than the line spacing.
        (
            103,
            {
                "orientation": "portrait",
                "size": 9,
                "lines": "header_rule",
                "valign": "middle",
                "split_rows": True,
                "leading": 1.2,
                "padding": 3.0,
            },
        ),
    ],
)
def test_narrow_and_centred_split_layouts(tmp_path: Path, seed: int, options: dict[str, Any]) -> None:
    programs = make_programs(18, seed=seed)
    table = parse_pdf(make_table_pdf(tmp_path / "t.pdf", programs, **options))
    # Narrow columns put more paragraph ends on an exactly full line, where a hard break cannot be
    # told from a wrap: the whitespace-blind check stays exact, the paragraph breaks nearly so.
    check_against(table, programs, exact_share=0.93)
    assert not table.warnings


def test_progress_is_called_per_page(tmp_path: Path) -> None:
    pdf = make_table_pdf(tmp_path / "p.pdf", make_programs(30, seed=1))
    calls: list[tuple[int, int]] = []
    table = parse_pdf(pdf, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, table.pages) for i in range(1, table.pages + 1)]


def test_missing_and_duplicate_ids_are_warned(tmp_path: Path) -> None:
    programs = make_programs(6, seed=5)
    programs[2]["program_id"] = ""
    programs[4]["program_id"] = programs[1]["program_id"]
    table = parse_pdf(make_table_pdf(tmp_path / "w.pdf", programs))
    assert len(table.rows) == 6
    assert any("No.3" in w and "事業番号がありません" in w for w in table.warnings)
    assert any("重複" in w for w in table.warnings)


def test_real_sample_r6() -> None:
    truth = load_truth()
    table = parse_pdf(sample_pdf())
    assert table.pages == 5
    exact = check_against(table, truth["programs"], exact_share=0.95)
    print(f"r6_sample: {exact}/{len(truth['programs']) * len(FIELDS)} cells exact")


def test_column_of_short_lines_keeps_its_breaks(tmp_path: Path) -> None:
    """A column whose every line ends a paragraph: its longest line is not a full one."""
    programs = make_programs(12, seed=11)
    for i, p in enumerate(programs):
        p["outcome"] = f"・参加者数　{100 + i}人\n・満足度　{80 + i % 10}％\n実施回数　{i + 2}回"
    table = parse_pdf(make_table_pdf(tmp_path / "short.pdf", programs))
    check_against(table, programs, exact_share=1.0)


def test_spread_labels_touching_across_the_cell_rule(tmp_path: Path) -> None:
    """Calc's 均等割り付け runs each label to its cell's edges: 「事務事業名」's 名 touches 「部署名」's 部
    across the vertical rule between their cells, which tells the labels apart."""
    programs = make_programs(12, seed=8)
    pdf = make_table_pdf(tmp_path / "t.pdf", programs, header_distributed=True, distribute_inset=0.4)
    table = parse_pdf(pdf)
    check_against(table, programs, exact_share=0.93)  # narrow columns: see the test above
    assert not table.doubts


def test_spread_labels_touching_without_rules(tmp_path: Path) -> None:
    """Without rules nothing parts 「部　署　名」 from the 「事　務　事　業　名」 it touches: the letters at
    each end of a touching run are read apart, and the table is read instead of refused."""
    programs = make_programs(12, seed=8)
    pdf = make_table_pdf(
        tmp_path / "t.pdf", programs, header_distributed=True, distribute_inset=0.0, lines="none", padding=0.5
    )
    table = parse_pdf(pdf)
    check_against(table, programs, exact_share=0.93)


@pytest.mark.parametrize(
    "options",
    [
        {"lines": "grid"},
        {"lines": "header_rule", "valign": "middle"},
        {"lines": "none", "padding": 4.0},
        {"lines": "grid", "split_rows": True, "orientation": "portrait", "size": 7},
    ],
    ids=["grid", "rule-middle", "no-lines", "split-portrait"],
)
def test_codes_wrapped_in_a_narrow_id_column_without_no_column(
    tmp_path: Path, options: dict[str, Any]
) -> None:
    """'01-12-0004' wrapped over two lines is one id, not two rows (the tables have no No. column)."""
    programs = make_programs(14, seed=8, id_style="code")
    order = tuple(f for f in FIELDS)
    widths = {
        **dict.fromkeys(FIELDS, 3.0),
        "program_id": 0.75,
        "purpose": 5.0,
        "overview": 6.5,
        "outcome": 6.5,
    }
    table = parse_pdf(make_table_pdf(tmp_path / "c.pdf", programs, order=order, widths=widths, **options))
    assert [r.program_id for r in table.rows] == [p["program_id"] for p in programs]
    assert [_squash(r.name) for r in table.rows] == [_squash(p["name"]) for p in programs]
    assert table.doubts == ()


def test_an_id_unlike_the_others_is_doubted(tmp_path: Path) -> None:
    programs = make_programs(10, seed=3, id_style="code")
    programs[6]["program_id"] = "7"
    table = parse_pdf(make_table_pdf(tmp_path / "s.pdf", programs))
    assert [(d.row, d.field, d.kind) for d in table.doubts] == [(6, "program_id", "id_shape")]
    assert "7" in table.doubts[0].reason
