"""The header labels of each field and their synonyms, compared width-, case- and space-insensitively."""

from __future__ import annotations

import re
import unicodedata

FIELDS: tuple[str, ...] = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "no": ("no", "no.", "番号", "項番", "通番", "連番", "№", "整理番号"),
    "program_id": (
        "事業番号",
        "事業no",
        "事業no.",
        "事業cd",
        "事業コード",
        "事業id",
        "事務事業番号",
        "事務事業コード",
        "事業№",
    ),
    "name": ("事務事業名", "事業名", "事務事業の名称", "事業名称", "事務事業名称"),
    "department": (
        "部署名",
        "担当課",
        "所管課",
        "担当部署",
        "課名",
        "担当課名",
        "所管部署",
        "所管課名",
        "部署",
        "担当部課",
        "所属",
        "所属名",
        "担当部署名",
    ),
    "purpose": ("事業の目的", "目的", "事業目的"),
    "overview": ("事業の概要", "概要", "事業内容", "事業概要", "事業の内容", "内容"),
    "outcome": (
        "成果",
        "実績",
        "成果・実績",
        "事業の成果",
        "実績・成果",
        "成果実績",
        "主な成果",
        "事業の実績",
        "成果等",
    ),
}


def norm_label(text: str) -> str:
    """Width-, case- and space-insensitive form of a header label."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s・･:：]", "", folded).replace("・", "")


_LOOKUP: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _n in _names:
        _LOOKUP[norm_label(_n)] = _field
        _LOOKUP[norm_label(_n).rstrip(".")] = _field
MAX_LABEL = max(len(k) for k in _LOOKUP) + 2


def field_for(label: str) -> str | None:
    key = norm_label(label)
    return _LOOKUP.get(key) or _LOOKUP.get(key.rstrip("."))


def label_chars() -> frozenset[str]:
    """Every character of the labels :func:`field_for` knows, as it compares them."""
    return frozenset("".join(_LOOKUP))
