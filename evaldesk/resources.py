"""Locate bundled resources (fonts, icons, samples, translations) wherever evaldesk runs from."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

INSTALLED = "_resources"
"""Where an installed distribution keeps the repository's ``resources/`` folder (see setup.py)."""


def resources_root() -> Path:
    """The resources folder: in a frozen bundle ``sys._MEIPASS/resources``; in an installed wheel
    ``evaldesk/_resources``; in a source checkout the repository's top-level ``resources``."""
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's boot loader
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    installed = files("evaldesk").joinpath(INSTALLED)
    if installed.is_dir():
        return Path(str(installed))  # wheels install as plain files, never zipped
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("fonts", "BIZUDGothic-Regular.ttf")``."""
    return resources_root().joinpath(*parts)
