"""The house limits, checked rather than hoped for: no module over 500 lines, no function over 80."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("evaldesk", "ui", "tests", "benchmarks", "scripts", "main.py")
GENERATED = ("migrations",)
"""Alembic writes the migrations; their upgrade steps are as long as the schema change."""
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def _sources() -> list[Path]:
    found: list[Path] = []
    for root in ROOTS:
        path = REPO / root
        files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
        found += [f for f in files if not any(part in GENERATED for part in f.relative_to(REPO).parts)]
    return found


def test_no_module_is_over_the_limit() -> None:
    long = {
        str(f.relative_to(REPO)): n
        for f in _sources()
        if (n := f.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_the_limit() -> None:
    long: dict[str, int] = {}
    for f in _sources():
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{f.relative_to(REPO)}:{node.lineno} {node.name}"] = lines
    assert long == {}
