"""Fiscal years: parse 2024 / R6 / 令和6 / 令和６年度 and show them as 令和6年度."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from evaldesk.errors import YearError

ERA_TABLE: tuple[tuple[str, str, date, int], ...] = (
    ("令和", "R", date(2019, 5, 1), 2018),
    ("平成", "H", date(1989, 1, 8), 1988),
    ("昭和", "S", date(1926, 12, 25), 1925),
)
"""Every era the program reads or writes, newest first: its name, its letter, its first day, and the
Western year of its year 0 (令和1 = 2019). The one table behind parsing, years and dates."""
_ERAS: dict[str, int] = {key: zero for name, letter, _first, zero in ERA_TABLE for key in (name, letter)}
_ERA_RE = re.compile(r"^(令和|平成|昭和|R|H|S)\.?\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_WESTERN_RE = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_TITLE_RE = re.compile(r"(令和|平成)\s*(元|[0-9０-９]{1,2})\s*年\s*度")


def parse_year(text: str | int) -> int:
    """Return the Western fiscal year for 2024, "R6", "令和6", "令和６年度", "H30"…; raise YearError."""
    if isinstance(text, int):
        year = text
    else:
        raw = unicodedata.normalize("NFKC", str(text)).strip().replace("FY", "").strip()
        m = _WESTERN_RE.match(raw)
        if m:
            year = int(m.group(1))
        else:
            m = _ERA_RE.match(raw)
            if not m:
                raise YearError(f"年度「{text}」が読み取れません（例: 2024, R6, 令和6年度）。")
            era = m.group(1).upper() if m.group(1).isascii() else m.group(1)
            n = 1 if m.group(2) == "元" else int(m.group(2))
            if n == 0:
                # An era starts at year 1 (元年): 令和0年度 is no year, not 2018 (平成30年度).
                raise YearError(
                    f"年度「{text}」はありません（元号は元年＝1年から数えます。例: 令和元年度＝2019）。"
                )
            year = _ERAS[era] + n
    if not 1950 <= year <= 2200:
        raise YearError(f"年度 {year} は範囲外です。")
    return year


LATEST_YEAR_AHEAD = 1
"""A table is published for this fiscal year or the next at the latest (R99 = 2117 is a typo)."""


def plausible_year(text: str | int, *, today: date | None = None) -> int:
    """``parse_year``, and a year a published table can be for: not past next year; raises YearError."""
    year = parse_year(text)
    latest = (today or date.today()).year + LATEST_YEAR_AHEAD
    if year > latest:
        raise YearError(f"{era_label(year)}（{year}）はまだ来ていない年度です。年度を確かめてください。")
    return year


def year_from_title(text: str) -> int | None:
    """The fiscal year named in a title such as 「令和６年度　事務事業評価結果一覧」, if any."""
    m = _TITLE_RE.search(text)
    if not m:
        return None
    n_text = unicodedata.normalize("NFKC", m.group(2))
    n = 1 if n_text == "元" else int(n_text)
    return _ERAS[m.group(1)] + n if n > 0 else None


def _era_year(name: str, n: int) -> str:
    return f"{name}{'元' if n == 1 else n}"


def era_label(year: int) -> str:
    """2024 -> 令和6年度 (2019 -> 令和元年度: the fiscal year is named by the era of most of it)."""
    for name, _letter, first, zero in ERA_TABLE:
        if year >= first.year:
            return f"{_era_year(name, year - zero)}年度"
    return f"{year}年度"


def era_date(day: date) -> str:
    """2025-01-15 -> 令和7年1月15日 (the way a city prints dates)."""
    for name, _letter, first, zero in ERA_TABLE:
        if day >= first:
            return f"{_era_year(name, day.year - zero)}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"
