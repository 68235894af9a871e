"""One era table: years read, years shown and printed dates agree on where each era begins."""

from __future__ import annotations

from datetime import date

from evaldesk.fiscal_year import era_date, era_label, parse_year


def test_every_year_shown_reads_back_as_itself() -> None:
    for year in range(1950, 2100):
        assert parse_year(era_label(year)) == year


def test_printed_dates_change_era_on_the_day() -> None:
    assert era_date(date(2019, 4, 30)) == "平成31年4月30日"
    assert era_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert era_date(date(2025, 1, 15)) == "令和7年1月15日"
    assert era_date(date(1989, 1, 7)) == "昭和64年1月7日"
    assert era_label(2019) == "令和元年度"  # the fiscal year that began in 平成 is named for 令和
