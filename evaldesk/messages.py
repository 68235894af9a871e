"""The one mapping from an error to the sentence a user reads, for the command line and every dialog.

``user_message(exc, doing="取り込み")`` says what the user was doing, what happened and what to do.
The core's own errors (``EvaldeskError``) already carry that sentence; everything else (a locked or
damaged database, a full disk, a read-only file, a lost server, an undecodable name) is recognised
here. Japanese source strings go through ``tr`` so the window can pass its translation function; the
English catalog is ``resources/translations/en/messages.json``.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path

from evaldesk.errors import DatabaseError, EvaldeskError
from evaldesk.redaction import scrub

Translate = Callable[..., str]
NEARLY_FULL = 1 << 20
"""Free bytes below which a disk counts as full."""


def _identity(text: str, /, **kwargs: object) -> str:
    return text.format(**kwargs) if kwargs else text


class Problem(Enum):
    """What went wrong, as far as the user can act on it."""

    LOCKED = "locked"
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    CANNOT_OPEN = "cannot_open"
    UNREACHABLE = "unreachable"
    LOGIN = "login"
    CONNECTION_LOST = "connection_lost"
    CORRUPT = "corrupt"
    ENCODING = "encoding"
    NOT_FOUND = "not_found"
    FOLDER = "folder"
    IO = "io"
    UNEXPECTED = "unexpected"


_TEXT_MARKS: tuple[tuple[Problem, tuple[str, ...]], ...] = (
    (Problem.CORRUPT, ("database disk image is malformed", "file is not a database", "malformed database")),
    (
        Problem.LOCKED,
        ("database is locked", "database table is locked", "database schema is locked", "lock timeout"),
    ),
    (
        Problem.DISK_FULL,
        ("database or disk is full", "no space left on device", "could not extend file", "disk quota"),
    ),
    (Problem.READ_ONLY, ("readonly database", "read-only")),
    (Problem.CANNOT_OPEN, ("unable to open database file",)),
    (Problem.LOGIN, ("password authentication failed", "no password supplied", 'role "')),
    (
        Problem.CONNECTION_LOST,
        (
            "server closed the connection",
            "terminating connection",
            "the database system is shutting down",
            "ssl connection has been closed",
            "connection already closed",
            "the connection is lost",
            "the connection is closed",
            "consuming input failed",
            "lost synchronization with server",
        ),
    ),
    (
        Problem.UNREACHABLE,
        (
            "connection refused",
            "could not connect",
            "could not translate host name",
            "name or service not known",
            "no route to host",
            "timeout expired",
            "the database system is starting up",
        ),
    ),
    (Problem.IO, ("disk i/o error",)),
)
_ERRNOS: dict[int, Problem] = {
    errno.ENOSPC: Problem.DISK_FULL,
    errno.EDQUOT: Problem.DISK_FULL,
    errno.EROFS: Problem.READ_ONLY,
    errno.EACCES: Problem.READ_ONLY,
    errno.EPERM: Problem.READ_ONLY,
    errno.ENOENT: Problem.NOT_FOUND,
    errno.ENOTDIR: Problem.FOLDER,
    errno.EEXIST: Problem.FOLDER,
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error, what caused it, and the driver error a SQLAlchemy error wraps (``.orig``)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        orig = getattr(e, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, e.__cause__, e.__context__]


def problem_of(exc: BaseException) -> Problem:
    """Classify an error by its type, errno and (for database drivers) its message."""
    for e in _chain(exc):
        if isinstance(e, UnicodeError):
            return Problem.ENCODING
        if isinstance(e, OSError) and e.errno in _ERRNOS:
            return _ERRNOS[e.errno]
        text = str(e).lower()
        for problem, marks in _TEXT_MARKS:
            if any(m in text for m in marks):
                return problem
        if getattr(e, "connection_invalidated", False):
            return Problem.CONNECTION_LOST
        if isinstance(e, OSError):
            return Problem.IO
    return Problem.UNEXPECTED


def _file_of(exc: BaseException) -> str:
    for e in _chain(exc):
        name = getattr(e, "filename", None)
        if isinstance(name, str | Path) and str(name):
            return str(name)
    return ""


def _what_happened(exc: BaseException, problem: Problem, *, log_file: str, tr: Translate) -> str:
    """The second and third sentences: what happened and what to do."""
    name = _file_of(exc)
    if problem is Problem.LOCKED:
        return tr(
            "データベースを別の処理が使っていて、10 秒待っても空きませんでした。"
            "しばらく待ってから、もう一度お試しください。"
        )
    if problem is Problem.DISK_FULL:
        return tr(
            "ディスクの空きが足りません。不要なファイルを削除して空きを作ってから、もう一度お試しください。"
        )
    if problem is Problem.READ_ONLY:
        where = tr("（{name}）", name=name) if name else ""
        return tr(
            "データベースかフォルダーが読み取り専用のため書き込めません{where}。"
            "書き込みの権限があるか確かめてから、もう一度お試しください。",
            where=where,
        )
    if problem is Problem.CANNOT_OPEN:
        return tr(
            "データベースのファイルを開けません。ファイルの場所と、そのファイルとフォルダーに"
            "書き込む権限があるか確かめてください。"
        )
    if problem is Problem.UNREACHABLE:
        return tr(
            "データベースサーバーに接続できませんでした。"
            "サーバーが動いているか、接続先のアドレスが正しいか確かめてください。"
        )
    if problem is Problem.LOGIN:
        return tr(
            "データベースを開けません。サーバーがログインを断りました。ユーザー名とパスワードを確かめてください。"
        )
    if problem is Problem.CONNECTION_LOST:
        return tr(
            "データベースサーバーとの接続が切れました。この操作は保存されていない可能性があります。"
            "サーバーが動いているか確かめてから、もう一度お試しください。"
        )
    if problem is Problem.CORRUPT and isinstance(exc, DatabaseError):
        return tr(
            "データベースを開けません。ファイルがデータベースではないか、壊れています。"
            "ファイルを確かめ、壊れているならバックアップから復元してください。"
        )
    if problem is Problem.CORRUPT:
        return tr("データベースが壊れています。バックアップから復元してください。")
    if problem is Problem.ENCODING:
        return tr(
            "ファイル名か文章に、読み書きできない文字（UTF-8 でない文字）があります。"
            "ファイル名を変えるか、文章を UTF-8 で保存し直してから、もう一度お試しください。"
        )
    if problem is Problem.FOLDER:
        return tr(
            "フォルダー {name} を作れません。途中に同じ名前のファイルがないか、場所が正しいか確かめてください。",
            name=name or "?",
        )
    if problem is Problem.NOT_FOUND:
        return tr("ファイル {name} が見つかりません。場所と名前を確かめてください。", name=name or "?")
    where = tr("（{name}）", name=name) if name else ""
    if problem is Problem.IO:
        error = next((e.strerror for e in _chain(exc) if isinstance(e, OSError) and e.strerror), "")
        return tr(
            "ファイルを読み書きできませんでした{where}: {error}。ディスクを確かめてから、もう一度お試しください。",
            where=where,
            error=error or type(exc).__name__,
        )
    if log_file:
        return tr(
            "予期しない問題が起きました（{error}）。詳しくはログ {path} をご覧ください。",
            error=type(exc).__name__,
            path=log_file,
        )
    return tr("予期しない問題が起きました（{error}）。詳しくはログをご覧ください。", error=type(exc).__name__)


def _nearly_full(place: Path | None) -> bool:
    """SQLite reports a full disk under its WAL file as a plain "disk I/O error": look at the disk."""
    folder = place
    while folder is not None and not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def user_message(
    exc: BaseException,
    *,
    doing: str,
    log_file: str | Path | None = None,
    place: Path | None = None,
    tr: Translate = _identity,
) -> str:
    """One message for the user: what they were doing (「取り込み」「書き出し」「比較」「バックアップ」
    「復元」…), what happened and what to do. ``doing`` is a Japanese source string, translated here;
    ``place`` is the database file (or the file being written), if any, to tell a full disk."""
    problem = problem_of(exc)
    if problem in (Problem.IO, Problem.CANNOT_OPEN) and _nearly_full(place):
        problem = Problem.DISK_FULL
    if isinstance(exc, EvaldeskError) and (
        problem is Problem.UNEXPECTED or not isinstance(exc, DatabaseError)
    ):
        return scrub(str(exc))  # the core's own sentence names the facts
    what = _what_happened(exc, problem, log_file=str(log_file or ""), tr=tr)
    if isinstance(exc, DatabaseError) and problem in (Problem.UNREACHABLE, Problem.LOGIN):
        what = tr("データベースを開けません。") + what
    return scrub(tr("{doing}に失敗しました。", doing=tr(doing)) + what)
