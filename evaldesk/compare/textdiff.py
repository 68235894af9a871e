"""Character diff for Japanese text: numbers and Latin words move as one piece, rewrites as one block."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from evaldesk.compare.model import DiffOp, DiffSpan

# Numbers (with ，/, separators and ．/. decimals) and Latin words are tokens; every other character
# is a token by itself, since Japanese has no word boundaries to cut at.
_TOKEN = re.compile(
    r"[0-9０-９]+(?:[，,．.][0-9０-９]+)*"
    r"|[A-Za-zＡ-Ｚａ-ｚ]+"
    r"|.",
    re.DOTALL,
)

# Code points used to stand for multi-character tokens (Supplementary Private Use Area-A and -B).
_PRIVATE_BASE = 0xF0000
_PRIVATE_LIMIT = 0x10FFFE

# An equality this short between two edits is folded into them: 「を」「の」「、」 shared by two
# different sentences are coincidence, not common text.
_SHORT_EQUAL = 2

_OPS: dict[int, DiffOp] = {0: "equal", 1: "insert", -1: "delete"}


class _Tokens:
    """Maps tokens to single characters so diff-match-patch compares whole numbers and words."""

    def __init__(self) -> None:
        self._code: dict[str, str] = {}
        self._token: dict[str, str] = {}

    def encode(self, text: str) -> str:
        out: list[str] = []
        for tok in _TOKEN.findall(text):
            code = self._code.get(tok)
            if code is None:
                if len(tok) == 1 and ord(tok) < _PRIVATE_BASE:
                    code = tok
                else:
                    n = _PRIVATE_BASE + len(self._token)
                    if n > _PRIVATE_LIMIT:
                        raise OverflowError("too many distinct tokens")
                    code = chr(n)
                    self._token[code] = tok
                self._code[tok] = code
            out.append(code)
        return "".join(out)

    def decode(self, text: str) -> str:
        return "".join(self._token.get(ch, ch) for ch in text)


def _fold_short_equalities(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Fold tiny equalities that sit between edits into a delete + insert pair, until none is left."""
    changed = True
    while changed:
        changed = False
        out: list[tuple[int, str]] = []
        i = 0
        while i < len(diffs):
            op, text = diffs[i]
            if (
                op == 0
                and 0 < i < len(diffs) - 1
                and len(text) <= _SHORT_EQUAL
                and diffs[i - 1][0] != 0
                and diffs[i + 1][0] != 0
            ):
                out.append((-1, text))
                out.append((1, text))
                changed = True
            else:
                out.append((op, text))
            i += 1
        diffs = _merge(out)
    return diffs


def _merge(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Within each run of edits put all deleted text first, then all inserted text."""
    out: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append((-1, "".join(deleted)))
        if inserted:
            out.append((1, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in diffs:
        if not text:
            continue
        if op == -1:
            deleted.append(text)
        elif op == 1:
            inserted.append(text)
        else:
            flush()
            if out and out[-1][0] == 0:
                out[-1] = (0, out[-1][1] + text)
            else:
                out.append((0, text))
    flush()
    return out


def text_diff(old: str, new: str) -> list[DiffSpan]:
    """Spans that turn ``old`` into ``new``: equal text, deleted old text, inserted new text.

    Joining the equal and delete spans gives ``old``; the equal and insert spans give ``new``. A
    rewritten sentence comes out as one delete and one insert, not as a scatter of single characters.
    """
    if old == new:
        return [DiffSpan("equal", old)] if old else []
    tokens = _Tokens()
    try:
        a, b = tokens.encode(old), tokens.encode(new)
    except OverflowError:
        tokens = _Tokens()
        a, b = old, new
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    decoded = [(op, tokens.decode(text)) for op, text in diffs]
    return [DiffSpan(_OPS[op], text) for op, text in _fold_short_equalities(_merge(decoded))]


def old_text(spans: list[DiffSpan]) -> str:
    return "".join(s.text for s in spans if s.op != "insert")


def new_text(spans: list[DiffSpan]) -> str:
    return "".join(s.text for s in spans if s.op != "delete")
