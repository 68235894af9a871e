"""Damaged PDFs and hostile texts: an import ends cleanly or with one sentence, never a hang or a crash."""

from __future__ import annotations

import os
import random
import re
import sqlite3
from pathlib import Path

import pytest

from evaldesk.desk import Desk
from tests.conftest import truth_table
from tests.core.cliproc import cli
from tests.core.tablegen import make_programs, make_table_pdf

CASES = 30
SEED = 20241


@pytest.fixture(scope="module")
def clean_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = make_table_pdf(tmp_path_factory.mktemp("fuzz") / "table.pdf", make_programs(24, seed=9))
    return path.read_bytes()


def _flip(rng: random.Random, data: bytearray) -> str:
    n = rng.randint(1, 40)
    for _ in range(n):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return f"{n} bit flips"


def _truncate(rng: random.Random, data: bytearray) -> str:
    keep = rng.randrange(16, len(data) - 1)
    del data[keep:]
    return f"truncated at {keep}"


def _garbage(rng: random.Random, data: bytearray) -> str:
    at = rng.randrange(len(data))
    blob = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4096)))
    data[at:at] = blob
    return f"{len(blob)} garbage bytes at {at}"


BOGUS = [
    b"\n9990 0 obj\n<< /Type /Pages /Kids [9990 0 R 9991 0 R] /Count 99999999 >>\nendobj\n",
    b"\n9991 0 obj\n<< /Type /Page /Parent 9990 0 R /Contents 9991 0 R /Resources 9991 0 R >>\nendobj\n",
    b"\n9992 0 obj\n<< /Length 999999999 /Filter /FlateDecode >>\nstream\nxyz\nendstream\nendobj\n",
    b"\n9993 0 obj\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" * 64 + b"\nendobj\n",
    b"\n1 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n",
    b"\n9994 0 obj\n<< /Type /Font /Subtype /Type0 /DescendantFonts [9994 0 R] /ToUnicode 9994 0 R >>\nendobj\n",
]


def _bogus(rng: random.Random, data: bytearray) -> str:
    objs = rng.sample(BOGUS, rng.randint(1, 3))
    at = data.rfind(b"xref") if rng.random() < 0.5 else rng.randrange(len(data))
    at = max(at, 0)
    data[at:at] = b"".join(objs)
    return f"{len(objs)} bogus objects at {at}"


def _xref(rng: random.Random, data: bytearray) -> str:
    start = data.rfind(b"startxref")
    xref = data.rfind(b"xref", 0, start if start > 0 else len(data))
    choice = rng.randrange(3)
    if choice == 0 and start > 0:  # startxref points elsewhere
        m = re.compile(rb"startxref\s+(\d+)").search(bytes(data), start)
        if m:
            data[m.start(1) : m.end(1)] = str(rng.randrange(len(data) * 2)).encode()
            return "startxref moved"
    if choice == 1 and xref > 0:  # offsets in the table scrambled
        table = bytes(data[xref : start if start > xref else len(data)])
        scrambled = re.sub(rb"\d{10}", lambda _: f"{rng.randrange(10**10):010d}".encode(), table)
        data[xref : xref + len(table)] = scrambled
        return "xref offsets scrambled"
    if xref > 0:  # the table cut out
        del data[xref : start if start > xref else len(data)]
        return "xref removed"
    return _flip(rng, data)


def _lengths(rng: random.Random, data: bytearray) -> str:
    text = bytes(data)
    found = list(re.finditer(rb"/Length (\d+)", text))
    if not found:
        return _flip(rng, data)
    picked = rng.sample(found, min(len(found), rng.randint(1, 6)))
    for m in sorted(picked, key=lambda m: m.start(), reverse=True):
        value = rng.choice([0, 1, int(m.group(1)) // 2, int(m.group(1)) + rng.randint(1, 5000), 2**31 - 1])
        data[m.start(1) : m.end(1)] = str(value).encode()
    return f"{len(picked)} stream lengths wrong"


DAMAGE = [_flip, _truncate, _garbage, _bogus, _xref, _lengths]


def damaged(clean: bytes, case: int) -> tuple[bytes, str]:
    """Case ``case``: one kind of damage in turn, sometimes a second, chosen by a seeded generator."""
    rng = random.Random(SEED + case)
    data = bytearray(clean)
    kinds = [DAMAGE[case % len(DAMAGE)]]
    if rng.random() < 0.3:
        kinds.append(rng.choice(DAMAGE))
    notes = [damage(rng, data) for damage in kinds]
    return bytes(data), "; ".join(notes)


@pytest.mark.slow  # thirty imports in child processes: about a minute on two cores
@pytest.mark.skipif(
    bool(os.environ.get("EVALDESK_TEST_PG_URL")),
    reason="the PDF reader does not depend on the database: fuzzed in the SQLite pass",
)
@pytest.mark.parametrize("case", range(CASES))
def test_damaged_pdf_imports_cleanly_or_fails_in_one_sentence(
    tmp_path: Path, clean_pdf: bytes, case: int
) -> None:
    data, note = damaged(clean_pdf, case)
    pdf = tmp_path / f"damaged-{case:02d}.pdf"
    pdf.write_bytes(data)
    db = tmp_path / "fuzz.sqlite3"
    done = cli(db, "import", pdf, "--year", "2024", timeout=90)  # asserts no traceback
    print(f"\ncase {case:2d} ({note}): exit {done.code} {done.err.strip() or done.out.splitlines()[0]}")
    assert done.code in (0, 1), (note, done.code, done.err)  # a negative code is a crash signal
    if done.code == 1:
        lines = done.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("エラー: "), (note, done.err)
    if done.code == 1:
        # A failed import into a new database leaves no database file behind.
        assert not db.exists(), note
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        years = conn.execute("SELECT year FROM fiscal_years").fetchall()
    finally:
        conn.close()
    assert years == [(2024,)]


HOSTILE = {
    "control": "制御\x01\x02\x07\x08\x0b\x0c\x1b[31m\x1f\x7f\x85文字\u200b\u200e\u2028\u2029\ufeff終",
    "long": "長" * 19_990 + "𠮷" * 10,
    "astral": "𠮷野家の𩸽（ほっけ）と🍣、異体字 葛󠄀城市",
    "whitespace": "  前後の空白  \n\n\t全角\u3000\u3000\r\n改行\r",
    "markup": "<b>太字</b> & \"引用\" 'x' \\ % _ ; DROP TABLE programs; --",
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_survives_import_list_and_cli_json(db_url: str, kind: str) -> None:
    text = HOSTILE[kind]
    records = [dict(r) for r in make_programs(3, seed=4)]
    records[1].update(name=f"事業{text}", purpose=text, overview=text, outcome=text)
    with Desk(db_url) as desk:
        desk.import_table(truth_table(records), year=2024)
        p = desk.programs(2024)[1]
        assert (p.name, p.purpose, p.overview, p.outcome) == (f"事業{text}", text, text, text)
        if kind == "astral":
            assert [x.program_id for x in desk.programs(2024, "𩸽（ほっけ）")] == [p.program_id]
    rows = cli(db_url, "list", "--year", "2024", "--format", "json").json()
    assert (rows[1]["name"], rows[1]["purpose"], rows[1]["overview"], rows[1]["outcome"]) == (
        f"事業{text}",
        text,
        text,
        text,
    )
    # And through an edit and its history, too.
    done = cli(db_url, "edit", "--year", "2024", "--program", p.program_id, "--field", "outcome",
               "--text", "-", stdin=text + "追記")  # fmt: skip
    assert done.code == 0, done.err
    hist = cli(db_url, "history", "--year", "2024", "--format", "json").json()
    assert (hist[0]["old"], hist[0]["new"]) == (text, text + "追記")


def test_nul_is_dropped_on_import_and_refused_on_edit(db_url: str) -> None:
    """U+0000 is never printed and PostgreSQL cannot store it: the same outcome on every database."""
    records = [dict(r) for r in make_programs(2, seed=4)]
    records[0]["purpose"] = "前\x00後"
    with Desk(db_url) as desk:
        desk.import_table(truth_table(records), year=2024)
        first = desk.programs(2024)[0]
        assert first.purpose == "前後"
    done = cli(db_url, "edit", "--year", "2024", "--program", first.program_id, "--field", "outcome",
               "--text", "-", stdin="編集\x00文")  # fmt: skip
    assert done.code == 1 and "NUL" in done.err
    assert cli(db_url, "list", "--format", "json").json()[0]["outcome"] == first.outcome


@pytest.mark.parametrize(
    "case",
    [
        18,  # bit flips in a middle page: 13 of 24 programs read
        23,  # the first page's table unreadable: No. 1-9 lost
    ],
)
def test_damage_that_loses_programs_is_warned(tmp_path: Path, clean_pdf: bytes, case: int) -> None:
    data, _ = damaged(clean_pdf, case)
    pdf = tmp_path / "damaged.pdf"
    pdf.write_bytes(data)
    with Desk(tmp_path / "w.sqlite3") as desk:
        summary = desk.import_pdf(pdf, year=2024, dry_run=True)
    assert summary.programs == 24 or summary.warnings
