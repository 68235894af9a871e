"""The Japanese source strings a UI module passes to ``tr()`` as literals (for the catalog tests)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def tr_literals(modules: Iterable[str]) -> Iterator[str]:
    """Every ``tr("…")`` literal in ``ui/<module>.py`` for each module named."""
    for name in modules:
        tree = ast.parse((UI / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                yield str(node.args[0].value)
