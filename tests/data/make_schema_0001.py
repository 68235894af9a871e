"""Generate tests/data/schema_0001.sqlite3: a database at schema revision 0001 with a few programs.

Run once from the repository root (``python tests/data/make_schema_0001.py``) and commit the file;
it stands for a database an office made with the first released version.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evaldesk.db.engine import make_engine
from evaldesk.db.migrate import alembic_config
from evaldesk.search import search_text_of

TARGET = Path(__file__).resolve().parent / "schema_0001.sqlite3"
AT = datetime(2025, 4, 1, 9, 30)

PROGRAMS = [
    # year, no, program_id, name, department, purpose, overview, outcome, revision
    (
        2023,
        1,
        "1",
        "秘書業務",
        "市長公室秘書課",
        "市長の公務を円滑に進める。",
        "日程調整、来客対応。",
        "円滑に実施した。",
        1,
    ),
    (
        2023,
        2,
        "17",
        "防災備蓄品整備事業",
        "危機管理課",
        "災害に備えて備蓄品を整える。",
        "・飲料水の更新\n・毛布　５００枚の購入",
        "計画どおり更新した。",
        1,
    ),
    (
        2024,
        1,
        "1",
        "秘書業務",
        "市長公室秘書課",
        "市長の公務を円滑に進める。",
        "日程調整、来客対応。",
        "円滑に実施した。",
        1,
    ),
    (
        2024,
        2,
        "17",
        "防災備蓄品整備事業",
        "危機管理課",
        "災害に備えて備蓄品を整える。",
        "・飲料水の更新\n・毛布　６００枚の購入",
        "令和６年度は前倒しで更新した。",
        2,
    ),
    (
        2024,
        3,
        "21",
        "危機管理体制強化事業",
        "危機管理課",
        "全庁の危機管理体制を強化する。",
        "訓練を年２回実施。𠮷田地区を含む。",
        "",
        1,
    ),
]


def main() -> None:
    TARGET.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{TARGET}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        years: dict[int, int] = {}
        deps: dict[str, int] = {}
        for year in sorted({p[0] for p in PROGRAMS}):
            years[year] = conn.execute(
                text("INSERT INTO fiscal_years (year) VALUES (:y) RETURNING id"), {"y": year}
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO imports (fiscal_year_id, file_name, sha256, pages, programs, imported_at, "
                    "imported_by, warnings, pdf) VALUES (:f, :n, :s, 1, :c, :at, 'tanaka', '[]', NULL)"
                ),
                {
                    "f": years[year],
                    "n": f"r{year - 2018}.pdf",
                    "s": "0" * 64,
                    "c": sum(1 for p in PROGRAMS if p[0] == year),
                    "at": AT,
                },
            )
        for i, (year, no, pid, name, dep, purpose, overview, outcome, rev) in enumerate(PROGRAMS):
            if dep not in deps:
                deps[dep] = conn.execute(
                    text("INSERT INTO departments (name) VALUES (:n) RETURNING id"), {"n": dep}
                ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO programs (fiscal_year_id, program_id, no, sort_key, name, department_id, purpose, "
                    "overview, outcome, search_text, revision, updated_at, updated_by, import_id, source_page, "
                    "source_top, source_bottom) VALUES (:fy, :pid, :no, :sk, :name, :dep, :purpose, :overview, "
                    ":outcome, :st, :rev, :at, 'tanaka', NULL, 0, 10.5, 80.25)"
                ),
                {
                    "fy": years[year],
                    "pid": pid,
                    "no": no,
                    "sk": i,
                    "name": name,
                    "dep": deps[dep],
                    "purpose": purpose,
                    "overview": overview,
                    "outcome": outcome,
                    "rev": rev,
                    "at": AT,
                    "st": search_text_of(name=name, purpose=purpose, overview=overview, outcome=outcome),
                },
            )
        conn.execute(
            text(
                "INSERT INTO history (fiscal_year, program_id, field, old, new, at, user, how, revision) VALUES "
                "(2024, '17', 'outcome', '計画どおり更新した。', '令和６年度は前倒しで更新した。', :at, 'suzuki', 'edit', 2)"
            ),
            {"at": AT},
        )
        conn.execute(
            text(
                "INSERT INTO program_links (from_year, from_program_id, to_year, to_program_id, note) "
                "VALUES (2023, '17', 2024, '17', '継続')"
            )
        )
    engine.dispose()
    conn2 = sqlite3.connect(TARGET)
    conn2.execute("VACUUM")
    conn2.execute("PRAGMA journal_mode=WAL")  # as evaldesk left its files; closing removes the -wal
    conn2.close()
    assert not Path(f"{TARGET}-wal").exists()
    print(TARGET)


if __name__ == "__main__":
    main()
