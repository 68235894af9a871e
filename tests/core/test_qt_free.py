"""The core stays the core: no module of ``evaldesk`` loads Qt or the ``ui`` package, not even by name."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "evaldesk"
FRONT_END = ("PySide6", "shiboken6", "ui")
TEST_ONLY = ("pdfplumber", "pdfminer")
"""The tests' PDF reader: production reads with pypdfium2 (pdfplumber is in the test extra only)."""

IMPORT_CALLS = {"import_module", "__import__", "find_spec", "spec_from_file_location"}
"""Ways to import a module whose name a static import check cannot see."""


def test_every_core_module_and_a_whole_self_test_run_without_qt() -> None:
    """Import every module of the core and run the self-test in a fresh interpreter: neither Qt nor the
    tests' PDF reader loads."""
    code = f"""
import pkgutil, sys, importlib
import evaldesk
for info in pkgutil.walk_packages(evaldesk.__path__, "evaldesk."):
    # __main__ runs the command line; Alembic loads the migrations itself (the self-test migrates).
    if not info.name.endswith("__main__") and ".migrations" not in info.name:
        importlib.import_module(info.name)
from evaldesk.selftest import run_self_test
code = run_self_test()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {FRONT_END + TEST_ONLY!r})
print(code, loaded)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=CORE.parent, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout


def test_no_core_module_imports_by_a_name_computed_at_run_time() -> None:
    """``importlib.import_module("PySide6…")`` would pass the check above until the step that runs it."""
    found: list[str] = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in IMPORT_CALLS:
                    found.append(f"{path.relative_to(CORE.parent)}:{node.lineno} {name}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if node.__class__ is ast.Import and "importlib" in names:
                    found.append(f"{path.relative_to(CORE.parent)}:{node.lineno} import importlib")
                if any(n.split(".")[0] in FRONT_END for n in names):
                    found.append(f"{path.relative_to(CORE.parent)}:{node.lineno} {names}")
    assert found == []
