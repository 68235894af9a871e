"""Small widget builders the dialogs share: named widgets, the red error line, record tables, warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QRadioButton,
    QStyle,
    QTabBar,
    QTableView,
    QTabWidget,
    QWidget,
)

from ui.i18n import tr

ERROR_COLOR = "#b00020"

W = TypeVar("W", bound=QObject)


def object_name(*parts: str) -> str:
    """The one naming convention for widgets, camelCase: ("compareFilter", "text_changed") ->
    "compareFilterTextChanged" (tests and style sheets find widgets by it)."""
    words = [w for part in parts for w in part.split("_") if w]
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def named(widget: W, name: str) -> W:
    """``widget`` with an object name (tests and style sheets find widgets by it)."""
    widget.setObjectName(name)
    return widget


class ErrorLabel(QLabel):
    """One sentence in red about what went wrong, hidden while nothing has."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(f"color:{ERROR_COLOR};")
        self.hide()

    def show_error(self, text: str) -> None:
        """Show ``text``; an empty text hides the line."""
        self.setText(text)
        self.setVisible(bool(text))

    def shown_text(self) -> str:
        """The error the user sees, or "" while the line is hidden."""
        return self.text() if self.isVisible() else ""


class ElidedRadioButton(QRadioButton):
    """A radio button whose long label ends in 「…」 where the dialog is narrow; the tooltip has it all."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.full_text = text

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self._elide()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("あ") * 8), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        full = self._indicator() + self.fontMetrics().horizontalAdvance(self.full_text) + 4
        return QSize(full, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _indicator(self) -> int:
        style = self.style()
        return style.pixelMetric(
            QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None, self
        ) + style.pixelMetric(QStyle.PixelMetric.PM_RadioButtonLabelSpacing, None, self)

    def _elide(self) -> None:
        room = max(self.width() - self._indicator() - 4, 0)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            super().setText(shown)
        self.setToolTip(self.full_text if shown != self.full_text else "")

    def is_elided(self) -> bool:
        return self.text() != self.full_text


def single_shot_timer(parent: QObject, msec: int, slot: Callable[[], object]) -> QTimer:
    """A timer that calls ``slot`` once, ``msec`` after its last ``start()`` (a debounce)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msec)
    timer.timeout.connect(slot)
    return timer


def record_table(model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only table over ``model`` in which the user picks one row."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table


def show_warnings(label: QLabel, warnings_list: QListWidget, warnings: Sequence[str]) -> None:
    """Fill the warnings list and its counted caption; both are hidden when there are none."""
    warnings_list.clear()
    warnings_list.addItems(list(warnings))
    label.setText(tr("注意（{n} 件）", n=len(warnings)))
    label.setVisible(bool(warnings))
    warnings_list.setVisible(bool(warnings))


class _RoomyTabBar(QTabBar):
    """Tabs as tall as their label needs also where the style shifts unselected labels down.

    Fusion moves an unselected tab's label down by a few pixels but does not make the tab taller, so
    the bottom of Japanese text (tall glyphs in BIZ UDGothic) was cut off.
    """

    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        shift = self.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabShiftVertical, None, self)
        return QSize(size.width(), size.height() + max(0, shift))


def tab_widget(name: str) -> QTabWidget:
    """A tab widget whose tab labels are never clipped."""
    tabs = named(QTabWidget(), name)
    tabs.setTabBar(_RoomyTabBar(tabs))
    return tabs
