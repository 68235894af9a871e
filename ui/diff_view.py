"""Render character diffs of two years as HTML for a QTextBrowser: one side old, the other new."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from evaldesk.records import FIELD_LABELS, TEXT_FIELDS
from ui.i18n import tr

if TYPE_CHECKING:
    from evaldesk.compare import DiffSpan, ProgramComparison
    from evaldesk.records import Program

Side = Literal["old", "new"]

# Qt's rich text knows a subset of CSS: background-color and text-decoration work on spans.
DELETE_STYLE = "background-color:#ffd0d0; color:#a40000; text-decoration:line-through;"
INSERT_STYLE = "background-color:#c8f0c8; color:#00408a; text-decoration:underline;"
CHANGED_HEADING_STYLE = "color:#8a4b00; margin-top:8px; margin-bottom:2px;"
HEADING_STYLE = "color:#444444; margin-top:8px; margin-bottom:2px;"
NOTE_STYLE = "color:#777777;"
BODY_STYLE = "margin-top:0px; margin-bottom:4px; margin-left:12px; line-height:140%;"


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def spans_to_html(spans: Sequence[DiffSpan], side: Side) -> str:
    """The old side shows equal and deleted text, the new side equal and inserted text, highlighted."""
    hidden = "insert" if side == "old" else "delete"
    shown = "delete" if side == "old" else "insert"
    style = DELETE_STYLE if side == "old" else INSERT_STYLE
    out: list[str] = []
    for span in spans:
        if span.op == hidden or not span.text:
            continue
        if span.op == shown:
            out.append(f'<span style="{style}">{_escape(span.text)}</span>')
        else:
            out.append(_escape(span.text))
    return "".join(out)


def field_label(name: str) -> str:
    return tr(FIELD_LABELS.get(name, name))


def program_html(entry: ProgramComparison, side: Side) -> str:
    """One year's side of a matched program: every text field with its label, differences marked."""
    from evaldesk.compare import text_diff

    program: Program | None = entry.old if side == "old" else entry.new
    other: Program | None = entry.new if side == "old" else entry.old
    if program is None:
        note = tr("この年度にはこの事業はありません。")  # the pane's heading names the year
        return f'<p style="{NOTE_STYLE}">{_escape(note)}</p>'
    parts: list[str] = [
        f'<p style="{HEADING_STYLE}"><b>{_escape(field_label("program_id"))}</b> '
        f"{_escape(program.program_id)}</p>"
    ]
    for name in TEXT_FIELDS:
        text = program.text(name)
        changed = other is not None and name in entry.fields
        label = _escape(field_label(name))
        if changed:
            assert other is not None
            old, new = (program, other) if side == "old" else (other, program)
            body = spans_to_html(text_diff(old.text(name), new.text(name)), side)
            mark = _escape(tr("（変更あり）"))
            parts.append(f'<p style="{CHANGED_HEADING_STYLE}"><b>■ {label}</b> {mark}</p>')
        else:
            body = _escape(text)
            parts.append(f'<p style="{HEADING_STYLE}"><b>□ {label}</b></p>')
        parts.append(f'<p style="{BODY_STYLE}">{body or "&nbsp;"}</p>')
    return "".join(parts)


def legend_html() -> str:
    """A one-line key to the colours, shown under the two sides."""
    deleted = _escape(tr("削除"))
    inserted = _escape(tr("追加"))
    return f'<span style="{DELETE_STYLE}">{deleted}</span>　<span style="{INSERT_STYLE}">{inserted}</span>'
