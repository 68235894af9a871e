"""Character diff of Japanese text and the figures read from it, on strings from the FY2024 sample."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaldesk.compare import DiffSpan, extract_figures, figure_changes, figure_pairs, text_diff
from evaldesk.compare.model import format_delta

OUTCOME_159 = (
    "外国人相談窓口相談対応・通訳件数：合計１，１７０件（英語９２２件、中国語１１６件、その他１３２件"
)


def _sides(spans: list[DiffSpan]) -> tuple[str, str]:
    old = "".join(s.text for s in spans if s.op != "insert")
    new = "".join(s.text for s in spans if s.op != "delete")
    return old, new


PAIRS = [
    ("", ""),
    ("", "新しい事業"),
    ("終了した事業", ""),
    ("市長公室秘書課", "市長公室秘書広報課"),
    ("参加者３３名（申込者３６名）", "参加者２７名（申込者３２名）"),
    ("電話相談：毎週月曜日　　　一般相談", "電話相談：毎週火曜日\n一般相談"),
    ("𠮷野家で🍣を食べた", "𠮷野家で🍜を食べた"),
]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_spans_rebuild_both_texts(old: str, new: str) -> None:
    spans = text_diff(old, new)
    assert _sides(spans) == (old, new)
    assert all(s.text for s in spans)
    assert all(a.op != b.op for a, b in zip(spans, spans[1:], strict=False))


def test_same_text_is_one_equal_span() -> None:
    assert text_diff(OUTCOME_159, OUTCOME_159) == [DiffSpan("equal", OUTCOME_159)]


def test_small_edit_stays_small() -> None:
    assert text_diff("市長公室秘書課", "市長公室秘書広報課") == [
        DiffSpan("equal", "市長公室秘書"),
        DiffSpan("insert", "広報"),
        DiffSpan("equal", "課"),
    ]


def test_a_changed_number_is_replaced_whole() -> None:
    spans = text_diff("要望等の数は１，０８７件", "要望等の数は１，１９４件")
    assert spans == [
        DiffSpan("equal", "要望等の数は"),
        DiffSpan("delete", "１，０８７"),
        DiffSpan("insert", "１，１９４"),
        DiffSpan("equal", "件"),
    ]


def test_a_rewritten_sentence_reads_as_one_delete_and_one_insert() -> None:
    old = "特別職の公務スケジュールどおりに、安全かつ迅速に移動することができた。"
    new = "公用車の運行管理を見直し、燃料費の削減と安全運転の徹底を図ることができた。"
    spans = text_diff(old, new)
    assert [s.op for s in spans] == ["delete", "insert", "equal"]
    assert spans[-1].text == "ることができた。"


def test_a_rewritten_paragraph_among_kept_ones_stays_in_few_spans() -> None:
    keep1 = "・豊里柔剣道場に防災備蓄倉庫を設置し、非常用発電機をはじめとする災害対応用資機材等を整備した。\n"
    keep2 = "\n・断水時の生活用水確保用として、豊里中学校に手押しポンプ式の災害用井戸を整備した。"
    old = keep1 + "・備蓄については、毛布や携帯トイレの備蓄数量を増やした。" + keep2
    new = keep1 + "・市内全域の避難所に設置している無線機の更新を行い、通信訓練を年２回実施した。" + keep2
    spans = text_diff(old, new)
    assert len(spans) <= 5
    changed = [s for s in spans if s.op != "equal"]
    assert len(changed) == 2


def test_figures_of_a_real_outcome() -> None:
    figures = extract_figures(OUTCOME_159)
    assert [(f.label, f.value, f.unit, f.raw) for f in figures] == [
        ("外国人相談窓口相談対応・通訳件数", Decimal(1170), "件", "１，１７０件"),
        ("英語", Decimal(922), "件", "９２２件"),
        ("中国語", Decimal(116), "件", "１１６件"),
        ("その他", Decimal(132), "件", "１３２件"),
    ]


def test_figures_with_decimals_percent_and_places() -> None:
    text = "令和６年度に寄せられた要望等の数は１，１９４件（うち文書等による回答を要するものは６０３件、４０日以内の回答率は６３．４％）"
    got = {f.raw: (f.label, f.value, f.unit) for f in extract_figures(text)}
    assert got["１，１９４件"] == ("要望等の数", Decimal(1194), "件")
    assert got["６３．４％"][1:] == (Decimal("63.4"), "％")
    places = extract_figures("国際理解講座の実施：市内２５か所で５７講座を実施。２，４２０名参加（２１校）")
    assert [(f.value, f.unit) for f in places] == [
        (Decimal(25), "か所"),
        (Decimal(57), "講座"),
        (Decimal(2420), "名"),
        (Decimal(21), "校"),
    ]
    assert [f.unit for f in extract_figures("満足度は100%、予算は１２，３４５千円、3 世帯")] == [
        "％",
        "千円",
        "世帯",
    ]


def test_dates_and_ordinals_are_not_figures() -> None:
    assert extract_figures("（１１月３０日は土曜日だったため、１１月２９日に実施）") == []
    assert extract_figures("米アーバイン市長訪問団来市受入（５／１１－１３）、（７／８）") == []
    assert extract_figures("第１回は「スマホによる動画制作講座」、第２回は") == []
    assert [f.raw for f in extract_figures("令和７年３月３１日時点、年間３６５日")] == ["３６５日"]
    assert [f.raw for f in extract_figures("人口２０万人口の市、職員名簿")] == []


def test_labels_pair_figures_across_years() -> None:
    old = "相談件数：５８０件（電話相談１８０件、一般相談２００件）"
    new = "相談件数：６１７件（一般相談１９７件、電話相談１９１件、法律相談６１件）"
    changes = {c.label: str(c) for c in figure_changes(old, new)}
    assert changes == {
        "相談件数": "６１７件 ← ５８０件 (+37)",
        "一般相談": "１９７件 ← ２００件 (-3)",
        "電話相談": "１９１件 ← １８０件 (+11)",
        "法律相談": "６１件 ← なし",
    }


def test_unpaired_labels_fall_back_to_order_within_unit() -> None:
    pairs = figure_pairs("来場者５００人、ボランティア４０人", "参加者６２０人、スタッフ３８人")
    assert [(p.old.raw if p.old else None, p.new.raw if p.new else None) for p in pairs] == [
        ("５００人", "６２０人"),
        ("４０人", "３８人"),
    ]


def test_unchanged_figures_are_not_changes() -> None:
    assert figure_changes(OUTCOME_159, OUTCOME_159.replace("中国語", "中国語　")) == []
    dropped = figure_changes("計９件取材し", "取材した")
    assert [str(c) for c in dropped] == ["なし ← ９件"]


def test_figure_change_text() -> None:
    [change] = figure_changes("要望等の数は１，０８７件", "要望等の数は１，１９４件")
    assert str(change) == "１，１９４件 ← １，０８７件 (+107)"
    assert change.delta == 107 and change.label == "要望等の数" and change.unit == "件"
    assert format_delta(Decimal("-1234")) == "-1,234"
    assert format_delta(Decimal("63.4") - Decimal("61.2")) == "+2.2"
    assert format_delta(Decimal("100.0") - Decimal("50")) == "+50"
    assert format_delta(Decimal(0)) == "±0"
