"""Every visible string of the main window has an English translation with the same placeholders."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from evaldesk.records import FIELD_LABELS
from tests.ui.tr_strings import tr_literals
from ui.history_panel import HOW_LABELS, HistoryModel
from ui.models import ProgramTableModel

REPO = Path(__file__).resolve().parents[2]
MAIN_WINDOW_MODULES = (
    "__init__",
    "app",
    "settings",
    "mainwindow",
    "models",
    "editor",
    "commands",
    "source_view",
    "history_panel",
    "department_tree",
    "about",
    "session",
    "conflict_dialog",
    "preferences",
    "window_state",
    "window_menus",
    "window_editing",
    "window_messages",
    "window_list",
    "empty_state",
    "text_fields",
    "manual",
)


def source_strings() -> Iterator[str]:
    yield from tr_literals(MAIN_WINDOW_MODULES)
    yield from FIELD_LABELS.values()
    yield from HOW_LABELS.values()
    yield from HistoryModel.HEADERS
    yield from ProgramTableModel.HEADERS


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_main_window_string_has_an_english_entry() -> None:
    catalog = json.loads(
        (REPO / "resources" / "translations" / "en" / "main.json").read_text(encoding="utf-8")
    )
    missing = sorted(set(source_strings()) - set(catalog))
    assert not missing, f"add to resources/translations/en/main.json: {missing}"
    for ja, en in catalog.items():
        assert placeholders(ja) == placeholders(en), ja


@pytest.fixture
def english() -> Iterator[None]:
    from ui.i18n import set_language

    set_language("en")
    yield
    set_language("ja")


def test_window_in_english(qtbot: QtBot, english: None, make_window, sample_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample_desk.url)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Settings", "&Help"]
    assert window.actionImport.text() == "Import…"
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Program name"
    header = window.programTable.horizontalHeader()
    assert header.sectionSize(0) >= header.sectionSizeHint(0)  # "Program No." is not cut off
