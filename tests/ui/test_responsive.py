"""Long work runs off the UI thread in the application's own wiring: the window keeps answering."""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from evaldesk.records import ParsedRow, ParsedTable
from ui import create_main_window
from ui.compare_view import CompareView
from ui.runner import Runner

PROGRAMS = 1000


def _year(year: int) -> ParsedTable:
    """A year of PROGRAMS programs whose outcome texts differ a little from one year to the next."""
    rows = tuple(
        ParsedRow(
            no=i,
            program_id=str(i),
            name=f"事業{i}",
            department=f"市長公室第{i % 40}課",
            purpose="市民に市政情報を分かりやすく伝える。" * 6,
            overview="関係部署と迅速に共有・調整を行い、速やかな対応に努めた。" * 8,
            # About as long as a real 成果 (300-400 characters), its figures different every year.
            outcome=f"相談件数：合計{(i * 7 + year) % 5000}件、参加者{(i + year) % 300}名。" * 12,
        )
        for i in range(1, PROGRAMS + 1)
    )
    return ParsedTable(rows=rows, pages=PROGRAMS // 20, warnings=(), title=None, title_year=year)


def test_window_answers_while_two_big_years_are_compared(qtbot: QtBot, desk: Desk) -> None:
    for year in (2023, 2024):
        desk.import_table(_year(year), year=year, file_name=f"{year}.pdf")
    runner = Runner()
    window: Any = create_main_window(desk.url, runner=runner)
    qtbot.addWidget(window)
    window._close_confirmed = True
    window.show()
    job: list[float] = []  # when the comparison itself started and ended, on the runner's thread
    answered: list[bool] = []  # did the window's event loop run while the comparison was under way?
    tick = threading.Event()
    real_compare = window.desk.compare

    def timed_compare(a: int, b: int) -> Any:
        job.append(time.monotonic())
        try:
            # Mid-job, wait for the window's timer: on the UI thread this wait could never be answered.
            tick.clear()
            answered.append(tick.wait(timeout=20))
            return real_compare(a, b)
        finally:
            job.append(time.monotonic())

    window.desk.compare = timed_compare

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)

    def on_tick() -> None:
        ticks.append(time.monotonic())
        tick.set()

    timer.timeout.connect(on_tick)
    timer.start()
    started = time.monotonic()
    window.actionCompare.trigger()  # as the menu does: returns at once, the comparison runs in the runner
    returned = time.monotonic()
    view = window.dialogs["compare"]
    assert isinstance(view, CompareView)
    assert view.comparison is None and "比較しています" in view.summary_label.text()
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=120_000)
    finished = time.monotonic()
    timer.stop()

    assert view.comparison is not None and view.comparison.counts["changed"] == PROGRAMS
    assert view.model.rowCount() == PROGRAMS
    job_start, job_end = job[-2], job[-1]
    while_comparing = [t for t in ticks if job_start <= t <= job_end]
    during = [t for t in ticks if t < finished]
    gaps = [b - a for a, b in zip([returned, *during], during, strict=False)]
    print(
        f"compare of 2 x {PROGRAMS}: {job_end - job_start:.2f} s in the runner, {finished - started:.2f} s "
        f"to the table; {len(while_comparing)} timer events meanwhile; longest pause {max(gaps) * 1000:.0f} ms"
    )
    # No bound on the longest pause: on a loaded test machine the scheduler alone can stall a second.
    assert answered and all(answered), "the event loop stood still while the comparison ran"
    window.close()
    runner.wait()
