"""Export time grows linearly with a long run of Latin letters without spaces (it was quadratic:
80k characters took 9 s, 160k 40 s, 1M did not finish in 300 s)."""

from __future__ import annotations

import time
from pathlib import Path

from evaldesk.desk import Desk
from evaldesk.export.linebreak import PARAGRAPH_START, LineBreaker, clusters


def _seconds(work: object, *args: object) -> float:
    start = time.perf_counter()
    work(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def test_a_million_letters_break_in_linear_time() -> None:
    breaker = LineBreaker(
        lambda ch: 5.5 if ch.isascii() else 10.0,
        max_width=400,
        em=10,
        hard_margin=10,
        avoid_start=PARAGRAPH_START,
    )
    small = min(_seconds(breaker.lines, "a" * 100_000) for _ in range(2))
    big = _seconds(breaker.lines, "a" * 1_000_000)
    assert big / small < 30, (small, big)  # linear: about 10; quadratic: 100
    lines = breaker.lines("https://example.invalid/" + "x" * 2_000 + " 終わり")
    assert all(line.width <= 400 + 1e-6 for line in lines)  # the long word is broken to fit
    assert "".join(line.text for line in lines) == "https://example.invalid/" + "x" * 2_000 + " 終わり"
    assert clusters("abc１，２３４。") == ["abc", "１，２３４。"]


def test_export_of_a_long_word_grows_linearly(sample_desk: Desk, tmp_path: Path) -> None:
    sample_desk.export(2024, tmp_path / "warm-up.pdf", layout="sheet", fmt="pdf", program_ids=["1"])
    times = {}
    for n in (20_000, 200_000):
        sample_desk.update_program(2024, "1", {"overview": "a" * n})
        out = tmp_path / f"{n}.pdf"
        times[n] = _seconds(
            lambda out=out: sample_desk.export(2024, out, layout="sheet", fmt="pdf", program_ids=["1"])
        )
        assert out.stat().st_size > 0
    assert times[200_000] / times[20_000] < 30, times
