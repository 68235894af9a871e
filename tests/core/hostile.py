"""Hostile PDFs written byte by byte: small files that expand to far more work than any table."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.core.cliproc import REPO, child_env


def _pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF whose object i+1 is ``objects[i]`` (object 1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _page_objects(content: bytes, resources: bytes = b"<< >>", *, compress: bool = False) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 4 0 R >>" % resources,
        _stream(content, compress=compress),
    ]


def fanned_forms(path: Path, *, depth: int = 9, fan: int = 10) -> Path:
    """A page drawing a form that draws the next form ``fan`` times, ``depth`` levels deep: a few
    kilobytes that PDFium would expand to fan**depth path objects."""
    first = 5
    objects = _page_objects(b"/X Do", b"<< /XObject << /X %d 0 R >> >>" % first)
    for level in range(depth):
        num = first + level
        if level == depth - 1:
            body, res = b"0 0 m 10 10 l S", b"<< >>"
        else:
            body, res = b"/X Do " * fan, b"<< /XObject << /X %d 0 R >> >>" % (num + 1)
        objects.append(_stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + res))
    path.write_bytes(_pdf(objects))
    return path


def huge_content(path: Path, *, megabytes: int = 300) -> Path:
    """A file of about 2 MB whose one content stream inflates to ``megabytes`` of path operators."""
    chunk = b"1 1 m 2 2 l S\n" * 75_000  # about 1 MB
    comp = zlib.compressobj(1)
    body = b"".join(comp.compress(chunk) for _ in range(megabytes)) + comp.flush()
    objects = _page_objects(b"")
    objects[3] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    path.write_bytes(_pdf(objects))
    return path


def path_bomb(path: Path, *, paths: int = 280_000, run_length: bool = False) -> Path:
    """A small file with ``paths`` separate tiny rectangles on one page. ``run_length`` encodes the
    content with RunLengthDecode, a filter the raw-file measure does not read (so only the cap on
    loaded objects can stop it)."""
    content = b"0 0 1 1 re f\n" * paths
    if not run_length:
        path.write_bytes(_pdf(_page_objects(content, compress=True)))
        return path
    encoded = b"".join(
        bytes([len(part) - 1]) + part for part in (content[i : i + 128] for i in range(0, len(content), 128))
    )
    objects = _page_objects(b"")
    objects[3] = (
        b"<< /Length %d /Filter /RunLengthDecode >>\nstream\n" % (len(encoded) + 1)
        + encoded
        + b"\x80\nendstream"
    )
    path.write_bytes(_pdf(objects))
    return path


def many_chars(path: Path, *, chars: int = 300_000) -> Path:
    """One page with far more characters than any table page holds (Helvetica, so PDFium maps them)."""
    content = b"".join(
        b"BT /F1 1 Tf 10 %d Td (" % (10 + i % 800) + b"x" * 1000 + b") Tj ET\n" for i in range(chars // 1000)
    )
    res = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    path.write_bytes(_pdf(_page_objects(content, res, compress=True)))
    return path


_WRAPPER = """
import json, resource, subprocess, sys, time
cmd, env, cwd, limit, timeout = json.loads(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
start = time.monotonic()
try:
    p = subprocess.run(cmd, env=env, cwd=cwd, preexec_fn=cap, capture_output=True, timeout=timeout)
    code, out, err = p.returncode, p.stdout, p.stderr
except subprocess.TimeoutExpired as exc:
    code, out, err = None, exc.stdout or b"", exc.stderr or b""
print(json.dumps({"code": code, "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace"),
                  "seconds": time.monotonic() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


@dataclass(frozen=True)
class Measured:
    code: int | None  # None: killed at the time limit
    out: str
    err: str
    seconds: float
    peak_mb: float  # the child's peak resident memory


def measure_cli(*args: str | Path, timeout: float, limit_mb: int = 2048) -> Measured:
    """``python -m evaldesk ARGS`` in a child of a fresh wrapper process, whose RUSAGE_CHILDREN then is
    this one child's peak memory; the child's address space is capped so that a blow-up fails fast."""
    cmd = [sys.executable, "-m", "evaldesk", *(str(a) for a in args)]
    job = json.dumps([cmd, child_env(), str(REPO), limit_mb * 1024 * 1024, timeout])
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, job],
        capture_output=True,
        text=True,
        timeout=timeout + 60,
        check=True,
    )
    return Measured(**json.loads(done.stdout))
