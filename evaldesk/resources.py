"""Locate bundled resources (fonts, icons, samples) in the source tree or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: ``sys._MEIPASS/resources`` when frozen, else the repository's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("fonts", "BIZUDGothic-Regular.ttf")``."""
    return resources_root().joinpath(*parts)
