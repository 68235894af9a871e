"""A comparison as the CLI's JSON and as a plain Japanese text report."""

from __future__ import annotations

from typing import Any

from evaldesk.compare.figures import figure_changes
from evaldesk.compare.model import KIND_LABELS, Comparison, DiffSpan, ProgramComparison
from evaldesk.compare.textdiff import text_diff
from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS, Program

_COMPARED_TEXTS: tuple[str, ...] = ("purpose", "overview", "outcome")


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def comparison_to_json(c: Comparison) -> dict[str, Any]:
    """The JSON of ``evaldesk compare FROM TO --format json``.

    ``{"from": 2023, "to": 2024, "added": [...], "removed": [...], "unchanged": [...],
    "changed": [{"program_id", "fields", "from": {field: old}, "to": {field: new}}]}``; ids in
    事業番号 order; a changed program matched through a link to another number also has
    ``"from_program_id"``. A program that two merged programs both map to is listed once in
    "unchanged".
    """
    changed: list[dict[str, Any]] = []
    for e in c.changed:
        assert e.old is not None and e.new is not None
        item: dict[str, Any] = {"program_id": e.program_id}
        if e.renumbered:
            item["from_program_id"] = e.old.program_id
        item["fields"] = list(e.fields)
        item["from"] = {f: e.old.text(f) for f in e.fields}
        item["to"] = {f: e.new.text(f) for f in e.fields}
        changed.append(item)
    return {
        "from": c.from_year,
        "to": c.to_year,
        "added": _unique([e.program_id for e in c.added]),
        "removed": _unique([e.program_id for e in c.removed]),
        "unchanged": _unique([e.program_id for e in c.unchanged]),
        "changed": changed,
    }


def title(c: Comparison) -> str:
    """令和5年度 → 令和6年度　事務事業 比較表"""
    return f"{era_label(c.from_year)} → {era_label(c.to_year)}　事務事業 比較表"


def summary(c: Comparison) -> str:
    """新規 2件／終了 1件／変更 5件／変更なし 12件"""
    return "／".join(f"{KIND_LABELS[k]} {n}件" for k, n in c.counts.items())


def inline_diff(spans: list[DiffSpan]) -> str:
    """One line of text with [-deleted-] and {+inserted+} marks, as in a word diff."""
    parts: list[str] = []
    for s in spans:
        if s.op == "delete":
            parts.append(f"[-{s.text}-]")
        elif s.op == "insert":
            parts.append(f"{{+{s.text}+}}")
        else:
            parts.append(s.text)
    return "".join(parts)


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _heading(p: Program) -> str:
    return f"{p.program_id}　{p.name}（{p.department}）"


def entry_heading(e: ProgramComparison) -> str:
    """【159】外国人生活支援事業（旧事業番号 158・名称変更・内容変更）"""
    assert e.new is not None and e.old is not None
    notes = [f"旧事業番号 {e.old.program_id}"] if e.renumbered else []
    notes += [KIND_LABELS[k] for k in e.kinds]
    return f"【{e.program_id}】{e.new.name}（{'・'.join(notes)}）"


def comparison_to_text(c: Comparison) -> str:
    """A readable report: counts, added and removed programs, then each change with its diff."""
    lines = [title(c), summary(c), ""]
    for kind, side in (("added", "new"), ("removed", "old")):
        entries = c.added if kind == "added" else c.removed
        if not entries:
            continue
        lines.append(f"■ {KIND_LABELS[kind]}（{len(entries)}件）")
        for e in entries:
            p = e.new if side == "new" else e.old
            assert p is not None
            lines.append("  " + _heading(p))
        lines.append("")
    if c.changed:
        lines.append(f"■ {KIND_LABELS['changed']}（{len(c.changed)}件）")
        lines.append("  [-…-] は削除、{+…+} は追加を表します。")
        for e in c.changed:
            assert e.old is not None and e.new is not None
            lines.append("")
            lines.append(entry_heading(e))
            for f in e.fields:
                old, new = e.old.text(f), e.new.text(f)
                lines.append(f"  ◇ {FIELD_LABELS[f]}")
                if f in ("name", "department"):
                    lines.append(f"    {new} ← {old}")
                else:
                    lines.append(_indent(inline_diff(text_diff(old, new)), "    "))
                    for fc in figure_changes(old, new):
                        label = fc.label or "（数値）"
                        lines.append(f"    ・{label}: {fc}")
        lines.append("")
    renumbered = [e for e in c.unchanged if e.renumbered]
    if renumbered:
        lines.append("■ 事業番号の変更のみ")
        lines += [f"  {e.program_id} ← {e.old.program_id if e.old else ''}" for e in renumbered]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
