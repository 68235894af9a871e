"""A small, fast reader of .xlsx cell values: only the sheets asked for, shared strings, the save date.

openpyxl builds a style object for every cell; reading a hundred returned workbooks that way takes
seconds. Here each part is parsed once with ElementTree; furigana (``rPh``) runs are skipped.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Z]+)(\d+)")

Cell = str | float | bool | None


MAX_PART_BYTES = 64 * 1024 * 1024
"""A returned workbook of a city's 課 is a few hundred kilobytes; past this a part is refused unread
(a zip bomb would otherwise fill the memory)."""


class XlsxError(ValueError):
    """Not a readable spreadsheet package."""


class XlsxTooLargeError(XlsxError):
    """A part would expand past MAX_PART_BYTES."""

    def __init__(self, part: str, size: int) -> None:
        super().__init__(f"{part}: {size} bytes")
        self.size = size


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    info = z.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise XlsxTooLargeError(name, info.file_size)
    return z.read(info)


@dataclass(frozen=True, slots=True)
class XlsxBook:
    sheet_names: tuple[str, ...]
    states: dict[str, str]
    sheets: dict[str, list[list[Cell]]]
    modified: datetime | None


def read_xlsx(data: bytes, wanted: Collection[str]) -> XlsxBook:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            book = ET.fromstring(_read(z, "xl/workbook.xml"))
            rels = _rels(_read(z, "xl/_rels/workbook.xml.rels"))
            names, states, targets = [], {}, {}
            for s in book.findall("{*}sheets/{*}sheet"):
                name = s.get("name", "")
                names.append(name)
                states[name] = s.get("state", "visible")
                rid = s.get(_REL) or s.get(_REL_STRICT) or ""
                targets[name] = rels.get(rid, "")
            strings = _shared_strings(z)
            sheets = {
                n: _rows(ET.fromstring(_read(z, targets[n])), strings) for n in wanted if targets.get(n)
            }
            modified = _modified(z)
    except XlsxError:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError) as exc:
        raise XlsxError(str(exc)) from exc
    return XlsxBook(tuple(names), states, sheets, modified)


def _rels(raw: bytes) -> dict[str, str]:
    out = {}
    for r in ET.fromstring(raw):
        target = r.get("Target", "")
        path = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        out[r.get("Id", "")] = path
    return out


def _text(el: ET.Element) -> str:
    """The text of a shared or inline string: its t element, or its runs' t elements (not furigana)."""
    t = el.find("{*}t")
    if t is not None:
        raw = t.text or ""
    else:
        raw = "".join(r.text or "" for r in el.findall("{*}r/{*}t"))
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), raw) if "_x" in raw else raw


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        raw = _read(z, "xl/sharedStrings.xml")
    except KeyError:
        return []
    return [_text(si) for si in ET.fromstring(raw).findall("{*}si")]


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        n = n * 26 + ord(ch) - 64
    return n


def _value(c: ET.Element, strings: list[str]) -> Cell:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = c.find("{*}is")
        return _text(inline) if inline is not None else ""
    v = c.find("{*}v")
    if v is None or v.text is None:
        return None
    if kind == "s":
        return strings[int(v.text)]
    if kind in ("str", "e"):
        return v.text
    if kind == "b":
        return v.text == "1"
    return float(v.text)


def _rows(sheet: ET.Element, strings: list[str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for row in sheet.findall("{*}sheetData/{*}row"):
        r = int(row.get("r") or len(rows) + 1)
        while len(rows) < r:
            rows.append([])
        line = rows[r - 1]
        for c in row.findall("{*}c"):
            m = _REF.match(c.get("r", ""))
            col = _column(m.group(1)) if m else len(line) + 1
            while len(line) < col:
                line.append(None)
            line[col - 1] = _value(c, strings)
    return rows


def _modified(z: zipfile.ZipFile) -> datetime | None:
    try:
        core = ET.fromstring(_read(z, "docProps/core.xml"))
    except KeyError:
        return None
    el = core.find("{http://purl.org/dc/terms/}modified")
    if el is None or not el.text:
        return None
    try:
        return (
            datetime.fromisoformat(el.text.strip().replace("Z", "+00:00")).astimezone().replace(tzinfo=None)
        )
    except ValueError:
        return None
