"""Time compare_years + JSON + figures over two synthetic years of 1,000 programs each."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaldesk.compare import compare_years, comparison_to_json, figure_changes, text_diff
from evaldesk.records import Program, ProgramLink

N = 1000
TARGET_S = 2.0
"""Two years of N programs compared (with JSON and figures) in under this many seconds."""
DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
SENTENCES = [
    "市民に市政情報を分かりやすく伝えるため動画配信を行った。",
    "関係部署と迅速に共有・調整を行い、速やかな対応に努めた。",
    "地域防災リーダーミーティングを開催し、自主防災組織の育成を図った。",
    "参加者アンケートにおける満足度は高く、意識啓発が図られたと考えられる。",
    "庁内文書の翻訳を行い、外国人住民への情報提供を充実させた。",
]


def _wide(n: int) -> str:
    return f"{n:,}".translate(DIGITS).replace(",", "，")


def _outcome(rng: random.Random) -> str:
    parts = rng.sample(SENTENCES, 3)
    figures = (
        f"相談件数：合計{_wide(rng.randint(100, 5000))}件（電話相談{_wide(rng.randint(10, 900))}件、"
        f"一般相談{_wide(rng.randint(10, 900))}件）、参加者{_wide(rng.randint(5, 300))}名、満足度{rng.randint(50, 99)}．{rng.randint(0, 9)}％"
    )
    return "\n".join(parts) + "\n" + figures


def make_years(seed: int = 1) -> tuple[list[Program], list[Program], list[ProgramLink]]:
    rng = random.Random(seed)
    now = datetime(2025, 6, 1)
    old = [
        Program(
            2023,
            i + 1,
            str(i + 1),
            f"事業{i + 1}",
            f"市長公室第{i % 40}課",
            "目的。" * 20,
            "概要。" * 40,
            _outcome(rng),
            1,
            now,
        )
        for i in range(N)
    ]
    new: list[Program] = []
    links: list[ProgramLink] = []
    for p in old:
        i = int(p.program_id)
        if i % 50 == 0:
            continue  # ended
        q = replace(p, fiscal_year=2024, no=(p.no or 0) + 3, revision=2)
        if i % 7 == 0:
            q = replace(q, outcome=_outcome(rng))  # rewritten with new figures
        if i % 11 == 0:
            q = replace(q, name=q.name + "（旧：" + p.name + "）")
        if i % 13 == 0:
            q = replace(q, department=q.department.replace("市長公室", "政策イノベーション部"))
        if i % 17 == 0:
            q = replace(q, outcome=q.outcome + "　 ")  # whitespace only
        if i % 97 == 0:
            links.append(ProgramLink(i, 2023, p.program_id, 2024, str(5000 + i), ""))
            q = replace(q, program_id=str(5000 + i))
        new.append(q)
    new += [
        Program(
            2024, None, str(N + k), f"新規事業{k}", "市長公室新設課", "目的", "概要", _outcome(rng), 1, now
        )
        for k in range(1, 41)
    ]
    rng.shuffle(new)
    return old, new, links


def main() -> int:
    old, new, links = make_years()
    t0 = time.perf_counter()
    c = compare_years(old, new, links=links)
    data = comparison_to_json(c)
    t1 = time.perf_counter()
    figures = 0
    for e in c.entries:
        if e.old is None or e.new is None:
            continue
        for f in ("purpose", "overview", "outcome"):
            figures += len(figure_changes(e.old.text(f), e.new.text(f)))
    t2 = time.perf_counter()
    spans = 0
    for e in c.changed:
        assert e.old is not None and e.new is not None
        for f in e.fields:
            spans += len(text_diff(e.old.text(f), e.new.text(f)))
    t3 = time.perf_counter()
    print(f"programs: {len(old)} → {len(new)}; counts {c.counts}; JSON changed items {len(data['changed'])}")
    print(f"compare_years + JSON: {t1 - t0:.3f} s")
    print(f"figure changes over all matched programs ({figures}): {t2 - t1:.3f} s")
    print(f"compare + JSON + figures: {t2 - t0:.3f} s")
    print(f"text_diff of every changed field ({spans} spans): {t3 - t2:.3f} s")
    ok = t2 - t0 < TARGET_S
    print(f"compare + JSON + figures {t2 - t0:.3f} s (target < {TARGET_S} s): {'OK' if ok else 'SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
