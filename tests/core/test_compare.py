"""Year-over-year matching and reports: the FY2024 sample against a FY2023 derived from it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from evaldesk.compare import (
    Comparison,
    compare_years,
    comparison_to_json,
    comparison_to_text,
    program_id_key,
)
from evaldesk.records import Program, ProgramLink
from tests.conftest import load_truth

T2024 = datetime(2025, 6, 1, 9, 0)
T2023 = datetime(2024, 6, 1, 9, 0)


def year_2024() -> list[Program]:
    rows: list[dict[str, Any]] = load_truth()["programs"]
    return [
        Program(
            fiscal_year=2024,
            no=r["no"],
            program_id=r["program_id"],
            name=r["name"],
            department=r["department"],
            purpose=r["purpose"],
            overview=r["overview"],
            outcome=r["outcome"],
            revision=3,
            updated_at=T2024,
        )
        for r in rows
    ]


OUTCOME_16_2023 = (
    "寄せられた意見・要望等については、関係部署と迅速に共有・調整を行い、速やかな対応・回答に努めた。"
    "文書での回答に当たっては、できる限り市民の理解・納得を得られるよう、分かりやすい表現となるよう"
    "工夫した上で回答を作成した。令和５年度に寄せられた要望等の数は１，０８７件（うち文書等による回答を"
    "要するものは５８８件、４０日以内の回答率は６１．２％）"
)

OUTCOME_159_2023 = (
    "外国人相談窓口相談対応・通訳件数：合計１，０２５件（英語８０１件、中国語１０２件、その他１２２件\n"
    "庁内文書の翻訳件数：合計２１６件（英語９３件、中国語５１件、韓国語３４件、その他３８件）\n"
    "国際交流員による市内小学校での国際理解授業を実施した。"
)

DIVERSITY = "市長公室ダイバーシティ推進室"
DIVERSITY_2023 = "市長公室男女共同参画室"


def _program_2023(p: Program, **changes: Any) -> Program:
    # Every row sits one line lower in 2023 and has its own revision history: neither may count.
    base = replace(p, fiscal_year=2023, no=(p.no or 0) + 1, revision=1, updated_at=T2023)
    return replace(base, **changes)


def year_2023() -> list[Program]:
    """FY2023 as it differs from FY2024, one kind of difference per program (see the tests)."""
    new = {p.program_id: p for p in year_2024()}
    old: list[Program] = []
    for pid, p in new.items():
        if pid in ("164", "1006"):
            continue  # 164 is new in 2024; 1006 was formed by merging 1004 and 1005
        if pid == "1":
            # Only whitespace differs: trailing blanks and a line broken elsewhere.
            text = p.outcome.replace("\n", "") + "　 "
            old.append(_program_2023(p, outcome=text, overview=p.overview.replace("\n", "\n　")))
        elif pid == "2":
            old.append(_program_2023(p, purpose=" " + p.purpose + "\n"))
        elif pid == "16":
            old.append(_program_2023(p, outcome=OUTCOME_16_2023))
        elif pid == "158":
            old.append(_program_2023(p, program_id="157"))  # renumbered, otherwise the same
        elif pid == "159":
            old.append(_program_2023(p, name="国際交流員・留学生交流員事業", outcome=OUTCOME_159_2023))
        elif pid == "160":
            old.append(_program_2023(p, name="国際化教育支援事業"))
        elif p.department == DIVERSITY:
            old.append(_program_2023(p, department=DIVERSITY_2023))
        else:
            old.append(_program_2023(p))
    merged = new["1006"]
    old.append(
        _program_2023(
            merged,
            program_id="1004",
            name="男女共同参画推進事業",
            department=DIVERSITY_2023,
            outcome="・苦情等申出処理件数：１件",
        )
    )
    old.append(
        _program_2023(
            merged,
            program_id="1005",
            name="ダイバーシティ推進事業",
            department=DIVERSITY_2023,
            outcome="・性的少数者に関する職員アンケートを実施した。",
        )
    )
    template = new["13"]
    old.append(_program_2023(template, program_id="8", name="広報モニター事業", outcome="モニター２０人"))
    old.append(
        _program_2023(template, program_id="20", name="防災ラジオ配布事業", department="市長公室危機管理課")
    )
    return old


def links() -> list[ProgramLink]:
    return [
        ProgramLink(1, 2023, "157", 2024, "158", "番号変更"),
        ProgramLink(2, 2023, "1004", 2024, "1006", "統合"),
        ProgramLink(3, 2023, "1005", 2024, "1006", "統合"),
    ]


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_years(year_2023(), year_2024(), links=links())


def _entry(c: Comparison, pid: str, old_pid: str | None = None) -> Any:
    found = [
        e
        for e in c.entries
        if e.program_id == pid and (old_pid is None or (e.old is not None and e.old.program_id == old_pid))
    ]
    assert len(found) == 1, found
    return found[0]


def test_years_and_counts(comparison: Comparison) -> None:
    assert (comparison.from_year, comparison.to_year) == (2023, 2024)
    assert comparison.counts == {"added": 1, "removed": 2, "changed": 7, "unchanged": 13}


def test_added_and_removed(comparison: Comparison) -> None:
    assert [e.program_id for e in comparison.added] == ["164"]
    assert [e.program_id for e in comparison.removed] == ["8", "20"]
    assert all(e.old is None for e in comparison.added)
    assert all(e.new is None for e in comparison.removed)


def test_row_numbers_revisions_and_whitespace_do_not_count(comparison: Comparison) -> None:
    unchanged = [e.program_id for e in comparison.unchanged]
    assert unchanged == ["1", "2", "3", "4", "5", "7", "13", "15", "17", "19", "21", "158", "161"]
    for e in comparison.unchanged:
        assert e.fields == () and e.kinds == ()
        assert e.old is not None and e.new is not None
        assert e.old.no != e.new.no and e.old.revision != e.new.revision
    # The whitespace-only programs really do differ as strings.
    one = _entry(comparison, "1")
    assert one.old.outcome != one.new.outcome and one.old.overview != one.new.overview
    assert _entry(comparison, "2").old.purpose != _entry(comparison, "2").new.purpose


def test_rename_with_rewritten_outcome(comparison: Comparison) -> None:
    e = _entry(comparison, "159")
    assert e.kind == "changed"
    assert e.fields == ("name", "outcome")
    assert e.kinds == ("renamed", "text_changed")
    assert e.old.name == "国際交流員・留学生交流員事業"
    assert e.new.name == "外国人生活支援事業（旧：国際交流員・留学生交流員事業）"
    assert not e.linked


def test_rename_only(comparison: Comparison) -> None:
    e = _entry(comparison, "160")
    assert (e.fields, e.kinds) == (("name",), ("renamed",))


def test_renamed_office_moves_every_program_of_it(comparison: Comparison) -> None:
    for pid in ("162", "163"):
        e = _entry(comparison, pid)
        assert (e.fields, e.kinds) == (("department",), ("moved",))
        assert (e.old.department, e.new.department) == (DIVERSITY_2023, DIVERSITY)


def test_rewritten_outcome_is_text_changed(comparison: Comparison) -> None:
    e = _entry(comparison, "16")
    assert (e.fields, e.kinds) == (("outcome",), ("text_changed",))


def test_manual_link_matches_a_renumbered_program(comparison: Comparison) -> None:
    e = _entry(comparison, "158")
    assert e.kind == "unchanged" and e.linked and e.renumbered
    assert e.old.program_id == "157"
    assert "157" not in [x.program_id for x in comparison.removed]


def test_merged_programs_each_match_the_new_one(comparison: Comparison) -> None:
    a, b = _entry(comparison, "1006", "1004"), _entry(comparison, "1006", "1005")
    for e in (a, b):
        assert e.kind == "changed" and e.linked
        assert e.kinds == ("renamed", "moved", "text_changed")
        assert e.fields == ("name", "department", "outcome")
    assert "1006" not in [x.program_id for x in comparison.added]


def test_entries_in_program_id_order(comparison: Comparison) -> None:
    ids = [e.program_id for e in comparison.entries]
    assert ids == sorted(ids, key=program_id_key)
    assert ids.index("21") < ids.index("158") < ids.index("1006")


def test_json(comparison: Comparison) -> None:
    data = comparison_to_json(comparison)
    assert list(data) == ["from", "to", "added", "removed", "unchanged", "changed"]
    assert (data["from"], data["to"]) == (2023, 2024)
    assert data["added"] == ["164"]
    assert data["removed"] == ["8", "20"]
    assert data["unchanged"][:3] == ["1", "2", "3"] and "158" in data["unchanged"]
    changed = {(c["program_id"], c.get("from_program_id")): c for c in data["changed"]}
    assert list(changed) == [
        ("16", None),
        ("159", None),
        ("160", None),
        ("162", None),
        ("163", None),
        ("1006", "1004"),
        ("1006", "1005"),
    ]
    item = changed[("159", None)]
    assert item["fields"] == ["name", "outcome"]
    assert item["from"] == {"name": "国際交流員・留学生交流員事業", "outcome": OUTCOME_159_2023}
    assert set(item["to"]) == {"name", "outcome"}
    assert changed[("162", None)]["to"] == {"department": DIVERSITY}
    assert "from_program_id" not in item
    json.dumps(data, ensure_ascii=False)  # serialisable as it is


def test_text_report(comparison: Comparison) -> None:
    text = comparison_to_text(comparison)
    assert text.startswith("令和5年度 → 令和6年度　事務事業 比較表\n")
    assert "新規 1件／終了 2件／変更 7件／変更なし 13件" in text
    assert "【159】外国人生活支援事業（旧：国際交流員・留学生交流員事業）（名称変更・内容変更）" in text
    assert (
        "【1006】男女共同参画・ダイバーシティ推進事業（旧事業番号 1004・名称変更・所管変更・内容変更）"
        in text
    )
    assert "１，１７０件 ← １，０２５件 (+145)" in text
    assert "[-１，０８７-]{+１，１９４+}" in text
    assert "158 ← 157" in text
    # Unchanged programs are not described as changes.
    assert "【1】" not in text and "【2】" not in text


def _p(pid: str, *, year: int, **texts: str) -> Program:
    fields = {
        "name": f"事業{pid}",
        "department": "課",
        "purpose": "目的",
        "overview": "概要",
        "outcome": "成果",
    }
    fields.update(texts)
    return Program(year, None, pid, revision=1, updated_at=T2024, **fields)  # type: ignore[arg-type]


def test_link_overrides_a_reused_number() -> None:
    old = [_p("10", year=2023, name="旧事業"), _p("11", year=2023)]
    new = [_p("10", year=2024, name="別の新事業"), _p("12", year=2024, name="旧事業")]
    link = ProgramLink(1, 2023, "10", 2024, "12", "")
    c = compare_years(old, new, links=[link])
    assert comparison_to_json(c) == {
        "from": 2023,
        "to": 2024,
        "added": ["10"],
        "removed": ["11"],
        "unchanged": ["12"],
        "changed": [],
    }


def test_links_given_backwards_or_dangling() -> None:
    old = [_p("1", year=2023), _p("2", year=2023, name="事業", outcome="成果A")]
    new = [_p("1", year=2024), _p("3", year=2024, name="事業", outcome="成果B")]
    backwards = ProgramLink(1, 2024, "3", 2023, "2", "")
    dangling = ProgramLink(2, 2023, "99", 2024, "1", "")
    other_years = ProgramLink(3, 2021, "1", 2022, "3", "")
    data = comparison_to_json(compare_years(old, new, links=[backwards, dangling, other_years]))
    assert data["changed"] == [
        {
            "program_id": "3",
            "from_program_id": "2",
            "fields": ["outcome"],
            "from": {"outcome": "成果A"},
            "to": {"outcome": "成果B"},
        }
    ]
    assert data["unchanged"] == ["1"] and data["added"] == data["removed"] == []


def test_empty_years() -> None:
    c = compare_years([], [_p("1", year=2024)], from_year=2023)
    assert (c.from_year, c.to_year, c.counts["added"]) == (2023, 2024, 1)
    with pytest.raises(ValueError):
        compare_years([_p("1", year=2022), _p("2", year=2023)], [])


def test_full_width_digits_are_a_change_but_spaces_are_not() -> None:
    old = [_p("1", year=2023, outcome="参加者１０人"), _p("2", year=2023, outcome="Ｔｉｐｓ　ｆｏｒ")]
    new = [_p("1", year=2024, outcome="参加者10人"), _p("2", year=2024, outcome="Ｔｉｐｓ ｆｏｒ\n")]
    c = compare_years(old, new)
    assert [e.program_id for e in c.changed] == ["1"]
    assert [e.program_id for e in c.unchanged] == ["2"]


def test_numeric_aware_order() -> None:
    ids = ["1006", "2", "10-2", "10", "A1", "１５"]
    assert sorted(ids, key=program_id_key) == ["2", "10", "10-2", "１５", "1006", "A1"]
