"""Passwords never reach the screen or the log: hide them in database URLs and in any text.

A URL's password can hide in ``user:password@host`` (and may itself hold a raw ``@``, which a driver
then reads partly as the host name and repeats in its error) or in ``?password=…``. ``remember(url)``
notes every such secret, and ``scrub(text)`` removes them, and any URL-shaped one, from a text.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import parse_qsl, unquote

MASK = "***"
_QUERY_SECRET = re.compile(r"(?i)((?:^|[?&;\s])(?:password|passwd|pwd|sslpassword)=)([^&;\s]*)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^:/?#@\s]*):\S*@")
MIN_FREE_TEXT = 3
"""Shorter secrets are masked only where they stand in a URL: replacing "ab" in every text would
garble the messages themselves."""
_known: set[str] = set()
_lock = threading.Lock()


def url_secrets(url: str) -> set[str]:
    """The passwords a database URL holds, as typed and percent-decoded, and the pieces around a raw
    ``@`` (a driver that splits the URL at the first ``@`` shows the rest as part of the host)."""
    found: set[str] = set()
    if url.startswith("sqlite"):
        return found  # a file path, which may hold ':' and '@'
    if "://" in url:
        rest = url.split("://", 1)[1]
        authority = rest.split("?", 1)[0]
        if "@" in authority:
            creds = authority.rsplit("@", 1)[0]
            if ":" in creds:
                found.add(creds.split(":", 1)[1])
    if "?" in url:
        for key, value in parse_qsl(url.split("?", 1)[1], keep_blank_values=False):
            if key.lower() in ("password", "passwd", "pwd", "sslpassword"):
                found.add(value)
        for match in _QUERY_SECRET.finditer(url.split("?", 1)[1]):
            found.add(match.group(2))
    pieces = set()
    for secret in found:
        pieces.add(unquote(secret))
        pieces.update(secret.split("@"))
    return {s for s in found | pieces if s}


def remember(url: str) -> None:
    """From now on, ``scrub`` hides this URL's passwords wherever they appear."""
    secrets = url_secrets(url)
    with _lock:
        _known.update(secrets)


def redact_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    out = url
    if "://" in url:
        scheme, rest = url.split("://", 1)
        authority, sep, query = rest.partition("?")
        if "@" in authority:
            creds, host = authority.rsplit("@", 1)
            if ":" in creds:
                creds = f"{creds.split(':', 1)[0]}:{MASK}"
            authority = f"{creds}@{host}"
        out = f"{scheme}://{authority}{sep}{_QUERY_SECRET.sub(lambda m: m.group(1) + MASK, query)}"
    return scrub(out, extra=url_secrets(url))


def scrub(text: str, *, extra: set[str] | None = None) -> str:
    """``text`` with every known password, every ``user:password@`` and ``password=…`` masked."""
    with _lock:
        secrets = set(_known)
    secrets |= extra or set()
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= MIN_FREE_TEXT and secret != MASK:
            text = text.replace(secret, MASK)
    text = _USERINFO.sub(lambda m: f"{m.group(1)}:{MASK}@", text)
    return _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
