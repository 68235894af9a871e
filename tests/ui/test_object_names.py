"""One widget naming convention, camelCase, in the main window and in every dialog it opens."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject

from evaldesk.desk import Desk
from tests.conftest import truth_table
from ui.mainwindow import MainWindow
from ui.widgets import object_name

CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
QT_OWN = {"ScrollLeftButton", "ScrollRightButton", "_q_qlineeditclearaction", "_layout"}
"""Names Qt gives its own inner parts (tab bar arrows, the clear button, QPdfView's layout)."""


def test_object_name_joins_parts_in_camel_case() -> None:
    assert object_name("compareFilter", "text_changed") == "compareFilterTextChanged"
    assert object_name("actionLanguage", "en") == "actionLanguageEn"


def _names(root: QObject) -> set[str]:
    # Qt names some of its own inner widgets (qt_scrollarea_viewport…); those are not ours.
    found = {o.objectName() for o in root.findChildren(QObject)} | {root.objectName()}
    return {n for n in found if n and not n.startswith("qt_") and n not in QT_OWN}


def test_every_named_widget_follows_the_convention(window: MainWindow, sample_desk: Desk, qtbot: Any) -> None:
    sample_desk.import_table(truth_table(title_year=2023), year=2023)
    window.reload_years()
    window.actionCompare.trigger()
    window.actionExport.trigger()
    window.actionImport.trigger()
    names = _names(window)
    for dialog in window.dialogs.values():
        names |= _names(dialog)
    assert {"compareFilterTextChanged", "actionLanguageJa", "exportDialog", "importDialog"} <= names
    assert sorted(n for n in names if not CAMEL.match(n)) == []
