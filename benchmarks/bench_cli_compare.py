"""`evaldesk compare` on two years of 1,000 programs, end to end in the CLI (target: under 2 s).

Prints the wall time of the compare command beside `evaldesk years` on the same database (the CLI's
own start-up, measured in the same run) so a slow, shared machine shows up in both numbers.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaldesk.desk import Desk  # noqa: E402
from tests.conftest import truth_table  # noqa: E402
from tests.core.tablegen import make_programs  # noqa: E402

TARGET_S = 2.0


def _next_year(programs: list[dict[str, object]], rng: random.Random) -> list[dict[str, object]]:
    out = []
    for p in programs:
        roll = rng.random()
        if roll < 0.03:
            continue  # ended
        q = dict(p)
        if roll < 0.08:
            q["name"] = f"{q['name']}（改称）"
        elif roll < 0.12:
            q["department"] = f"{q['department']}（再編）"
        elif roll < 0.40:
            q["outcome"] = str(q["outcome"]).replace("１", "２", 2) + "\n・新たな取組を開始した。"
        out.append(q)
    for i in range(30):  # new programs
        extra = dict(programs[i])
        extra["program_id"] = str(90000 + i)
        out.append(extra)
    return out


def _time(cmd: list[str], env: dict[str, str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "EVALDESK_DATA_DIR": tmp}
        os.environ["EVALDESK_DATA_DIR"] = tmp
        db = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        old = make_programs(1000, seed=1)
        with Desk(db) as desk:
            desk.import_table(truth_table(old, title_year=2023), year=2023)
            desk.import_table(truth_table(_next_year(old, rng)), year=2024)
        base = [sys.executable, "-m", "evaldesk", "--db", db]
        startup = _time([*base, "years"], env)
        compare = _time([*base, "compare", "2023", "2024", "--format", "json"], env)
        text = _time([*base, "compare", "2023", "2024", "--format", "text"], env)
    print(f"CLI start-up (evaldesk years):          {startup:6.2f} s")
    print(
        f"evaldesk compare 2023 2024 --format json: {compare:6.2f} s  (target < {TARGET_S} s) "
        f"{'OK' if compare < TARGET_S else 'SLOW'}"
    )
    print(f"evaldesk compare 2023 2024 --format text: {text:6.2f} s")
    print(f"compare / start-up ratio: {compare / startup:.2f}")
    return 0 if compare < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
