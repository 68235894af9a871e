"""The editor's text fields: roomy line spacing for kanji, and a context menu whose undo is the program's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QTextBlockFormat, QTextCursor, QUndoStack
from PySide6.QtWidgets import QLineEdit, QMenu, QTextEdit, QWidget

from ui.i18n import tr

LINE_HEIGHT_PERCENT = 150.0
"""Lines 1.5 times the font size apart: at 1.0 (what QPlainTextEdit draws) kanji lines touch."""

StackOf = Callable[[], QUndoStack | None]


def route_undo_actions(menu: QMenu, stack: QUndoStack | None) -> None:
    """Make a text field's own 元に戻す/やり直し entries act on the program's undo stack.

    The fields leave undo to the program (one stack per program), so Qt's entries were always grey;
    they also said やり直す where the 編集 menu says やり直し.
    """
    for action in menu.actions():
        name = action.objectName()
        if name not in ("edit-undo", "edit-redo"):
            continue
        undo = name == "edit-undo"
        action.setText(tr("元に戻す") if undo else tr("やり直し"))
        action.setEnabled(stack is not None and (stack.canUndo() if undo else stack.canRedo()))
        if stack is not None:
            action.triggered.disconnect()
            action.triggered.connect(stack.undo if undo else stack.redo)


class TextField(QTextEdit):
    """A plain-text field (no rich text is ever pasted) with 150% line spacing."""

    def __init__(self, stack_of: StackOf | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack_of = stack_of
        self.setAcceptRichText(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self._spaced = QTextBlockFormat()
        self._spaced.setLineHeight(
            LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        )
        QTextCursor(self.document()).setBlockFormat(self._spaced)

    def setPlainText(self, text: str) -> None:
        """Replace the text; its paragraphs get the line spacing as they are inserted.

        (Spacing them after ``QTextEdit.setPlainText`` laid the text out twice, on every program switch.)
        """
        document = self.document()
        document.clear()
        cursor = QTextCursor(document)
        cursor.setBlockFormat(self._spaced)
        cursor.insertText(text)
        document.clearUndoRedoStacks()
        document.setModified(False)
        self.moveCursor(QTextCursor.MoveOperation.Start)  # shown from the top, like setPlainText

    def highlight(self, terms: list[str]) -> None:
        """A yellow band under every occurrence of a (folded) search term; none for no terms."""
        from ui.window_list import HIGHLIGHT, match_ranges

        selections = []
        for start, length in match_ranges(self.toPlainText(), terms) if terms else []:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format.setBackground(HIGHLIGHT)
            selections.append(selection)
        self.setExtraSelections(selections)

    def line_spacing(self) -> float:
        """Pixels from one line's top to the next one's (what the user sees as line spacing)."""
        block = self.document().firstBlock()
        layout = block.layout()
        if layout is None or layout.lineCount() < 2:
            return self.fontMetrics().height() * LINE_HEIGHT_PERCENT / 100.0
        return layout.lineAt(1).y() - layout.lineAt(0).y()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        route_undo_actions(menu, self._stack_of() if self._stack_of else None)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())
        self.lastMenu = menu


class LineField(QLineEdit):
    """A one-line field whose context menu undoes through the program's stack, like the 編集 menu."""

    def __init__(self, stack_of: StackOf | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stack_of = stack_of

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        route_undo_actions(menu, self._stack_of() if self._stack_of else None)
        menu.popup(event.globalPos())
        self.lastMenu = menu
