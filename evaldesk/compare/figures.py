"""Figures in Japanese prose (１，１７０件, ６３．４％, ２５か所) and how they moved between two years."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from evaldesk.compare.model import Figure, FigureChange

# Longest first, so 千円 wins over 円 and 時間 over 時.
_UNITS: tuple[str, ...] = (
    "千円", "万円", "円", "か所", "箇所", "ヶ所", "カ所", "ケ所", "団体", "世帯", "時間", "講座",
    "件", "人", "名", "回", "校", "社", "部", "日", "％", "%",
)  # fmt: skip
_UNIT_CANONICAL: dict[str, str] = {"%": "％", "箇所": "か所", "ヶ所": "か所", "カ所": "か所", "ケ所": "か所"}

_NUMBER = r"[0-9０-９]+(?:[，,][0-9０-９]{3})*(?:[．.][0-9０-９]+)?"
_FIGURE = re.compile(rf"(?P<number>{_NUMBER})[ 　]?(?P<unit>{'|'.join(re.escape(u) for u in _UNITS)})")
# A figure must not continue a longer number or a date/ratio: ５／１１, 2024/5, 1.2.3.
_BEFORE_NOT = set("0123456789０１２３４５６７８９，,．./／")
# 1月30日 is a date, 第3回 an ordinal; 人口 is a word, 名簿 too.
_DATE_OR_ORDINAL_BEFORE = set("月第")
_UNIT_NOT_FOLLOWED_BY: dict[str, str] = {
    "人": "口目",
    "名": "簿称義",
    "日": "本",
    "回": "目答覧収復",
    "部": "分会長",
}

# Where a label stops when reading backwards from a number.
_LABEL_STOP = set("、。，,（）()「」『』【】［］[]\n\r\t 　：:；;／/=＝~〜～")
_LABEL_COLON = set("：:")
# Words that qualify a number but do not name it; dropped from the end of a label.
_QUALIFIERS: tuple[str, ...] = (
    "合計", "総計", "延べ", "のべ", "年間", "全体", "うち", "計", "約", "各", "ほか",
)  # fmt: skip
# Connectives dropped from the end of a label and never used as one.
_CONNECTIVES: tuple[str, ...] = ("に対して", "に対し", "から", "より", "として")
_LEADING: tuple[str, ...] = ("うち", "内")
_PARTICLES = set("はがをにでのもとへや")
# 「年８回」「月２回」: a rate, not a name; cut with the particle before it (「セミナーは年」 → 「セミナー」).
_RATE_END = re.compile(r"(?:(?<=[\u3041-\u309f])[年月週日]|毎[年月週日]|[年月週]あたり)$")
_WORD_AFTER_KANA = re.compile(r"(?<=[\u3041-\u309f])[^\u3041-\u309f]{2}")
_SHORT_LABEL = 6
_MAX_LABEL = 16


def _to_decimal(number: str) -> Decimal:
    plain = unicodedata.normalize("NFKC", number).replace(",", "")
    return Decimal(plain)


def _strip_label(segment: str) -> tuple[str, str]:
    """(label, qualifier): the segment without trailing particles and qualifiers such as 合計."""
    qualifier = ""
    changed = True
    while changed and segment:
        changed = False
        rate = _RATE_END.search(segment)
        if rate and rate.start() > 0:
            segment = segment[: rate.start()]
            changed = True
        if segment[-1] in _PARTICLES and len(segment) > 1:
            segment = segment[:-1]
            changed = True
        for c in _CONNECTIVES:
            if segment.endswith(c):
                segment = segment[: -len(c)]
                changed = True
                break
        for q in _QUALIFIERS:
            if segment.endswith(q):
                segment = segment[: -len(q)]
                qualifier = qualifier or q
                changed = True
                break
        if segment and segment[-1] in _PARTICLES and len(segment) == 1:
            segment = ""
    return segment, qualifier


def _shorten(label: str) -> str:
    """Keep the noun phrase at the end: 「庁内文書の翻訳件数」 → 「翻訳件数」, 「要望等の数」, 「その他」."""
    label = label.lstrip("・･○●◆◇■□-－")
    for lead in _LEADING:
        if label.startswith(lead) and len(label) > len(lead):
            label = label[len(lead) :]
    if len(label) <= _SHORT_LABEL:
        return label
    # The shortest tail that starts with a word of two or more kanji/katakana after kana.
    starts = [m.start() for m in _WORD_AFTER_KANA.finditer(label)]
    for start in reversed(starts):
        return label[start:][-_MAX_LABEL:]
    return label[-_MAX_LABEL:]


def _label(text: str, start: int, floor: int) -> str:
    """A short label for the number at ``start``: the phrase just before it, not crossing ``floor``."""
    i = start
    while i > floor and text[i - 1] not in _LABEL_STOP:
        i -= 1
    label, qualifier = _strip_label(text[i:start])
    if not label and i > floor and text[i - 1] in _LABEL_COLON:
        # 「参加者数：計１５５人」: the name is before the colon.
        j = i - 1
        while j > floor and text[j - 1] not in _LABEL_STOP:
            j -= 1
        label, _ = _strip_label(text[j : i - 1])
    label = _shorten(label) if label else ""
    return label or qualifier


def extract_figures(text: str) -> list[Figure]:
    """Every number with a unit, in text order; dates (１１月３０日, ５／１１), ordinals (第１回) excluded."""
    figures: list[Figure] = []
    floor = 0
    for m in _FIGURE.finditer(text):
        start, end = m.span()
        unit = m.group("unit")
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if before in _BEFORE_NOT or before in _DATE_OR_ORDINAL_BEFORE:
            continue
        if after and after in _UNIT_NOT_FOLLOWED_BY.get(unit, ""):
            continue
        if unit == "日" and re.search(r"[月年]\s*$", text[max(0, start - 3) : start]):
            continue
        figures.append(
            Figure(
                label=_label(text, start, floor),
                value=_to_decimal(m.group("number")),
                unit=_UNIT_CANONICAL.get(unit, unit),
                raw=m.group(0),
                start=start,
            )
        )
        floor = end
    return figures


def _pair(old: list[Figure], new: list[Figure]) -> list[tuple[Figure | None, Figure | None]]:
    """Pair by (label, unit) in order; what is left pairs by order within its unit."""
    pairs: list[tuple[Figure | None, Figure | None]] = []
    old_by_key: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for f in old:
        old_by_key[(f.label, f.unit)].append(f)
    left_new: list[Figure] = []
    for f in new:
        bucket = old_by_key.get((f.label, f.unit))
        if bucket:
            pairs.append((bucket.pop(0), f))
        else:
            left_new.append(f)
    used = {id(o) for o, _ in pairs}
    left_old_by_unit: dict[str, list[Figure]] = defaultdict(list)
    for f in old:
        if id(f) not in used:
            left_old_by_unit[f.unit].append(f)
    for f in left_new:
        bucket = left_old_by_unit.get(f.unit)
        pairs.append((bucket.pop(0) if bucket else None, f))
    for bucket in left_old_by_unit.values():
        pairs.extend((f, None) for f in bucket)
    return pairs


def _order(pair: tuple[Figure | None, Figure | None]) -> tuple[int, int]:
    old, new = pair
    if new is not None:
        return (0, new.start)
    assert old is not None
    return (1, old.start)


def figure_changes(old: str, new: str) -> list[FigureChange]:
    """The figures that differ between two versions of a text, in the order of the new text.

    Figures pair up by (label, unit), then by order within a unit; a figure found in one year only
    has the other side None and no delta. Figures whose value did not change are left out.
    """
    return [c for c in figure_pairs(old, new) if c.old is None or c.new is None or c.delta != 0]


def figure_pairs(old: str, new: str) -> list[FigureChange]:
    """Every figure of both versions, paired, including those whose value stayed the same."""
    pairs = sorted(_pair(extract_figures(old), extract_figures(new)), key=_order)
    return [_change(o, n) for o, n in pairs]


def _change(old: Figure | None, new: Figure | None) -> FigureChange:
    label = new.label if new is not None else old.label if old is not None else ""
    unit = new.unit if new is not None else old.unit if old is not None else ""
    delta = new.value - old.value if old is not None and new is not None else None
    return FigureChange(label, unit, old, new, delta)


def figure_changes_of(texts: Iterable[tuple[str, str]]) -> list[FigureChange]:
    """figure_changes over several (old, new) text pairs, concatenated."""
    out: list[FigureChange] = []
    for old, new in texts:
        out.extend(figure_changes(old, new))
    return out
