"""Time and peak memory of 1,000 evaluation sheets, beside a plain reportlab yardstick.

Run: python benchmarks/bench_export.py [--programs 1000]
Each side runs in its own subprocess so that peak memory (ru_maxrss) is measured separately.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET_RATIO = 1.5
"""evaldesk's sheets may take at most this many times a plain reportlab document of the same text."""
TARGET_PEAK_MB = 300

_PURPOSE = "特別職（市長及び副市長）の公務等を円滑かつ効率的に遂行する。"
_OVERVIEW = (
    "特別職が出席する会議や催事等日程について調整及び事前確認を行い、必要に応じて随行する。\n"
    "全日程関連資料を特別職へ事前に共有する。後援名義については、申請に対し審査の上、"
    "市以外が主催する事業において「つくば市」の名義使用を承認する。"
)
_OUTCOME = (
    "・スケジュール管理の工夫により、特別職の執務時間を効率的に確保することができた。\n"
    "・課内での情報共有を徹底することで、担当職員の不在時にも他の職員がサポートすることが"
    "できるようになり、業務処理のスピードが向上した（相談件数１，１９４件、前年比１０５％）。"
)


def programs(n: int) -> list[object]:
    from evaldesk.records import Program

    out = []
    for i in range(n):
        k = 1 + i % 5  # texts of varied length; every 50th one spills onto continuation pages
        spill = 12 if i % 50 == 49 else 1
        out.append(
            Program(
                fiscal_year=2024,
                no=i + 1,
                program_id=str(1000 + i),
                name=f"第{i + 1}号　市民サービス向上推進事業",
                department="市長公室秘書課",
                purpose=_PURPOSE * k,
                overview=_OVERVIEW * k,
                outcome=_OUTCOME * k * spill,
                revision=1,
                updated_at=datetime(2025, 1, 1),
            )
        )
    return out


def run_evaldesk(n: int, out: Path) -> dict[str, float]:
    from evaldesk.export import export_sheets_pdf

    ps = programs(n)
    t = time.perf_counter()
    result = export_sheets_pdf(ps, out, year=2024)  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - t, "pages": result.pages}


def run_yardstick(n: int, out: Path) -> dict[str, float]:
    """The same texts as Paragraphs in a SimpleDocTemplate, same font, reportlab's CJK wrapping."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from evaldesk.export.fonts import GOTHIC, MINCHO, register_all

    register_all()
    ps = programs(n)
    t = time.perf_counter()
    body = ParagraphStyle("body", fontName=MINCHO, fontSize=10.5, leading=17, wordWrap="CJK")
    head = ParagraphStyle("head", fontName=GOTHIC, fontSize=16, leading=20, wordWrap="CJK")
    label = ParagraphStyle("label", fontName=GOTHIC, fontSize=10, leading=14, wordWrap="CJK")
    story: list[object] = []
    for p in ps:
        story.append(Paragraph("令和6年度　事務事業評価シート", head))
        for name, text in (
            ("事業番号", p.program_id),  # type: ignore[attr-defined]
            ("事務事業名", p.name),  # type: ignore[attr-defined]
            ("部署名", p.department),  # type: ignore[attr-defined]
            ("事業の目的", p.purpose),  # type: ignore[attr-defined]
            ("事業の概要", p.overview),  # type: ignore[attr-defined]
            ("成果", p.outcome),  # type: ignore[attr-defined]
        ):
            story.append(Paragraph(name, label))
            story.append(Paragraph(text.replace("\n", "<br/>"), body))
        story.append(PageBreak())
    doc = SimpleDocTemplate(str(out), pagesize=A4)
    doc.build(story)  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - t, "pages": doc.page}


def child(which: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{which}.pdf"
        stats = run_evaldesk(n, out) if which == "evaldesk" else run_yardstick(n, out)
        stats["bytes"] = out.stat().st_size
    # Linux reports ru_maxrss in KiB.
    stats["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(stats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--child", choices=["evaldesk", "yardstick"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.programs)
        return 0
    results = {}
    for which in ("evaldesk", "yardstick"):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", which, "--programs", str(args.programs)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[which] = json.loads(proc.stdout.strip().splitlines()[-1])
    ours, base = results["evaldesk"], results["yardstick"]
    print(f"{args.programs} sheets")
    for which, r in results.items():
        print(
            f"  {which:9s}: {r['seconds']:6.2f} s  {r['pages']:5.0f} pages  "
            f"{r['bytes'] / 1e6:5.1f} MB file  peak RSS {r['peak_mb']:6.1f} MB"
        )
    ratio = ours["seconds"] / base["seconds"]
    ok = ratio <= TARGET_RATIO and ours["peak_mb"] < TARGET_PEAK_MB
    print(f"  time ratio evaldesk / yardstick: {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    print(f"  evaldesk peak memory: {ours['peak_mb']:.0f} MB (target < {TARGET_PEAK_MB} MB)")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
