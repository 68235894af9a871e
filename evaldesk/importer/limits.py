"""Bounds on the work one page may cost, checked on the raw file before PDFium expands a page.

PDFium parses a form XObject anew for every ``Do`` that draws it, so a few kilobytes of forms that draw
each other ten times over expand to billions of objects, and a small compressed stream can inflate to
gigabytes of drawing operators. Neither can be stopped once ``FPDF_LoadPage`` runs, so each page's
content is measured here first: the bytes of its content streams with every form it draws counted
as often as it is drawn. The same caps bound what the reader loops over after loading.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MAX_PAGE_CONTENT = 4_000_000  # work units per page, forms expanded (the densest table tested: 0.28 M)
PAINT_COST = 100  # work units of one painted path or shown string, beside one per content byte
MAX_PAGE_OBJECTS = 100_000  # page objects after loading (a dense table page: a few thousand)
MAX_PAGE_CHARS = 60_000  # characters per page (A3 at 7 pt holds about 15,000)
_MAX_SCAN = 64_000_000  # a file whose objects take longer to list than this many bytes is not scanned

_OBJ_RE = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_REF_RE = re.compile(rb"(\d+)\s+(\d+)\s+R\b")
_DO_RE = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do\b")
_ROOT_RE = re.compile(rb"/Root\s+(\d+)\s+\d+\s+R")
# Operators that each make a page object in PDFium (path painting, text showing), as they are usually
# written; a rough count is enough against a cap fourteen times the densest table.
_PAINTS = (b" f", b" S", b" B", b"Tj", b"TJ")
_DELIM = b"()<>[]{}/%"

PdfValue = object  # a parsed value: int, float, bytes (name), "Ref", list, dict, None


@dataclass(frozen=True, slots=True)
class Ref:
    num: int


class _Lexer:
    """Just enough of the PDF object syntax to read dictionaries, arrays, names and references."""

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data, self.pos = data, pos

    def _skip(self) -> None:
        d, n = self.data, len(self.data)
        while self.pos < n:
            c = d[self.pos]
            if c in b" \t\r\n\f\x00":
                self.pos += 1
            elif c == 0x25:  # % comment
                end = d.find(b"\n", self.pos)
                self.pos = n if end < 0 else end + 1
            else:
                return

    def value(self, depth: int = 0) -> PdfValue:
        self._skip()
        d = self.data
        if self.pos >= len(d) or depth > 50:
            return None
        c = d[self.pos : self.pos + 2]
        if c == b"<<":
            self.pos += 2
            out: dict[bytes, PdfValue] = {}
            while True:
                self._skip()
                if d[self.pos : self.pos + 2] == b">>" or self.pos >= len(d):
                    self.pos += 2
                    return out
                key = self.value(depth + 1)
                if not isinstance(key, bytes):
                    return out
                out[key] = self.value(depth + 1)
        if c[:1] == b"[":
            self.pos += 1
            items: list[PdfValue] = []
            while True:
                self._skip()
                if self.pos >= len(d) or d[self.pos : self.pos + 1] == b"]":
                    self.pos += 1
                    return items
                items.append(self.value(depth + 1))
        if c[:1] == b"/":
            start = self.pos + 1
            self.pos = start
            while self.pos < len(d) and d[self.pos] not in b" \t\r\n\f\x00" and d[self.pos] not in _DELIM:
                self.pos += 1
            return d[start : self.pos]
        if c[:1] == b"(":
            self._skip_string()
            return None
        if c[:1] == b"<":
            end = d.find(b">", self.pos)
            self.pos = len(d) if end < 0 else end + 1
            return None
        m = _REF_RE.match(d, self.pos)
        if m:
            self.pos = m.end()
            return Ref(int(m.group(1)))
        start = self.pos
        while self.pos < len(d) and d[self.pos] not in b" \t\r\n\f\x00" and d[self.pos] not in _DELIM:
            self.pos += 1
        word = d[start : self.pos]
        if self.pos == start:
            self.pos += 1
            return None
        try:
            return int(word)
        except ValueError:
            try:
                return float(word)
            except ValueError:
                return None

    def _skip_string(self) -> None:
        d, depth = self.data, 0
        while self.pos < len(d):
            c = d[self.pos]
            if c == 0x5C:  # backslash escapes the next byte
                self.pos += 2
                continue
            if c == 0x28:
                depth += 1
            elif c == 0x29:
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return
            self.pos += 1


@dataclass(slots=True)
class _Obj:
    value: PdfValue
    stream: bytes | None  # raw (still encoded) stream bytes


class _Objects:
    """The file's indirect objects by number, each parsed only when asked for (a font's widths never
    are); the last definition wins, as with incremental updates. Objects packed into object streams
    are unpacked on the first miss."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offsets = {int(m.group(1)): m.end() for m in _OBJ_RE.finditer(data)}
        self.parsed: dict[int, _Obj] = {}
        self.packed: dict[int, _Obj] | None = None

    def get(self, num: int) -> _Obj | None:
        obj = self.parsed.get(num)
        if obj is None:
            off = self.offsets.get(num)
            if off is not None:
                obj = self._parse(off)
            else:
                if self.packed is None:
                    self.packed = self._unpack()
                obj = self.packed.get(num)
            if obj is not None:
                self.parsed[num] = obj
        return obj

    def _parse(self, off: int) -> _Obj:
        data = self.data
        lex = _Lexer(data, off)
        value = lex.value()
        stream = None
        if isinstance(value, dict):
            lex._skip()
            if data.startswith(b"stream", lex.pos):
                start = lex.pos + 6
                start += 2 if data[start : start + 2] == b"\r\n" else 1
                length = value.get(b"Length")
                end = start + length if isinstance(length, int) and length >= 0 else -1
                if end < 0 or data[end : end + 30].lstrip()[:9] != b"endstream":
                    end = data.find(b"endstream", start)
                stream = data[start : end if end >= 0 else len(data)]
        return _Obj(value, stream)

    def _unpack(self) -> dict[int, _Obj]:
        out: dict[int, _Obj] = {}
        for m in re.finditer(rb"/Type\s*/ObjStm", self.data):
            start = self.data.rfind(b" obj", 0, m.start())
            head = _OBJ_RE.search(self.data, max(0, start - 24), start + 4) if start >= 0 else None
            if head is not None:
                out.update(_packed(self._parse(head.end())))
        return out


def _packed(obj: _Obj) -> dict[int, _Obj]:
    if not isinstance(obj.value, dict) or obj.stream is None:
        return {}
    body = _decoded(obj.value, obj.stream, 16_000_000)
    first, n = obj.value.get(b"First"), obj.value.get(b"N")
    if body is None or not isinstance(first, int) or not isinstance(n, int):
        return {}
    nums = _Lexer(body[:first])
    pairs = [(nums.value(), nums.value()) for _ in range(min(n, 100_000))]
    out: dict[int, _Obj] = {}
    for num, off in pairs:
        if isinstance(num, int) and isinstance(off, int):
            out[num] = _Obj(_Lexer(body, first + off).value(), None)
    return out


def _paints(content: bytes) -> int:
    return sum(content.count(op) for op in _PAINTS)


_A85_OFFSET = 33 * (85**4 + 85**3 + 85**2 + 85 + 1)


def _a85(text: bytes) -> bytes:
    """ASCII85 decoding in a handful of C-speed passes (base64.a85decode loops in Python per group)."""
    text = re.sub(rb"\s", b"", text)
    text = text[2:] if text.startswith(b"<~") else text
    text = text.split(b"~>")[0].replace(b"z", b"!!!!!")
    pad = -len(text) % 5
    text += b"u" * pad
    groups = zip(*(text[i::5] for i in range(5)), strict=True)
    values = [(((a * 85 + b) * 85 + c) * 85 + d) * 85 + e - _A85_OFFSET for a, b, c, d, e in groups]
    try:
        out = struct.pack(f">{len(values)}I", *values)
    except struct.error as exc:  # a group past 2**32: not ASCII85
        raise ValueError("bad ASCII85") from exc
    return out[: len(out) - pad]


def _decoded(d: dict[bytes, PdfValue], raw: bytes, limit: int) -> bytes | None:
    """The stream's bytes, at most ``limit`` + 1 of them; None for a filter not handled here (the
    caps on loaded objects and characters still hold then)."""
    filters = d.get(b"Filter")
    names = filters if isinstance(filters, list) else [filters] if filters is not None else []
    body = raw
    try:
        for name in names:
            if name in (b"FlateDecode", b"Fl"):
                body = zlib.decompressobj().decompress(body, limit + 1)
            elif name in (b"ASCII85Decode", b"A85"):
                body = _a85(body)
            elif name in (b"ASCIIHexDecode", b"AHx"):
                text = re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">")[0])
                body = bytes.fromhex(text.decode() + ("0" if len(text) % 2 else ""))
            else:
                return None
    except (zlib.error, ValueError):
        return None
    return body[: limit + 1]


class _Scan:
    """Each page's content size with its forms expanded, memoised per form."""

    def __init__(self, objs: _Objects) -> None:
        self.objs = objs
        self.form_cost: dict[int, int] = {}

    def resolve(self, v: PdfValue) -> PdfValue:
        for _ in range(32):
            if not isinstance(v, Ref):
                return v
            obj = self.objs.get(v.num)
            v = obj.value if obj is not None else None
        return None

    def xobjects(self, resources: PdfValue) -> dict[bytes, PdfValue]:
        res = self.resolve(resources)
        xo = self.resolve(res.get(b"XObject")) if isinstance(res, dict) else None
        return xo if isinstance(xo, dict) else {}

    def cost(self, content: bytes, resources: PdfValue, stack: tuple[int, ...]) -> int:
        total = len(content)
        if total <= MAX_PAGE_CONTENT:
            total += PAINT_COST * _paints(content)
        if total > MAX_PAGE_CONTENT:
            return total
        names = self.xobjects(resources)
        if not names:
            return total
        for m in _DO_RE.finditer(content):
            ref = names.get(m.group(1))
            if isinstance(ref, Ref):
                total += self.form(ref.num, stack)
            if total > MAX_PAGE_CONTENT:
                break
        return total

    def form(self, num: int, stack: tuple[int, ...]) -> int:
        if num in self.form_cost:
            return self.form_cost[num]
        obj = self.objs.get(num)
        if num in stack or obj is None or obj.stream is None or not isinstance(obj.value, dict):
            return 0  # PDFium does not follow a form into itself
        if obj.value.get(b"Subtype") != b"Form":
            return 0  # an image: decoded only when rendered, never by reading text
        content = _decoded(obj.value, obj.stream, MAX_PAGE_CONTENT) or b""
        cost = self.cost(content, obj.value.get(b"Resources"), (*stack, num))
        self.form_cost[num] = cost
        return cost

    def pages(self, root: int) -> Iterator[tuple[dict[bytes, PdfValue], PdfValue]]:
        """Page dictionaries in order, each with its (possibly inherited) resources."""
        catalog = self.resolve(Ref(root))
        top = self.resolve(catalog.get(b"Pages")) if isinstance(catalog, dict) else None
        todo: list[tuple[PdfValue, PdfValue, int]] = [(top, None, 0)]
        seen: set[int] = set()
        while todo:
            node, inherited, depth = todo.pop()
            node = self.resolve(node)
            if not isinstance(node, dict) or depth > 64 or id(node) in seen:
                continue
            seen.add(id(node))
            resources = node.get(b"Resources", inherited)
            kids = self.resolve(node.get(b"Kids"))
            if isinstance(kids, list) and node.get(b"Type") != b"Page":
                todo.extend((k, resources, depth + 1) for k in reversed(kids))
            else:
                yield node, resources

    def page_cost(self, page: dict[bytes, PdfValue], resources: PdfValue) -> int:
        contents = self.resolve(page.get(b"Contents"))
        parts = contents if isinstance(contents, list) else [page.get(b"Contents")]
        chunks: list[bytes] = []
        size = 0
        for part in parts:
            ref = part if isinstance(part, Ref) else None
            obj = self.objs.get(ref.num) if ref is not None else None
            if obj is None or obj.stream is None or not isinstance(obj.value, dict):
                continue
            body = _decoded(obj.value, obj.stream, MAX_PAGE_CONTENT - size) or b""
            chunks.append(body)
            size += len(body)
            if size > MAX_PAGE_CONTENT:
                return size
        return self.cost(b"\n".join(chunks), resources, ())


def oversized_page(data: bytes) -> tuple[int, int] | None:
    """The first page (0-based) whose content with forms expanded passes the cap, and that size."""
    if len(data) > _MAX_SCAN:
        return None
    roots = _ROOT_RE.findall(data)
    if not roots:
        return None
    scan = _Scan(_Objects(data))
    for index, (page, resources) in enumerate(scan.pages(int(roots[-1]))):
        cost = scan.page_cost(page, resources)
        if cost > MAX_PAGE_CONTENT:
            return index, cost
    return None
