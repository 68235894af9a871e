"""File safety: private data files and folders, and output paths that can never hit the database."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from evaldesk.errors import ExportError

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm", "-journal")
TEMP_MARK = ".evaldesk-tmp-"
"""Part of the name of every temporary export file: ``.{stem}.evaldesk-tmp-{pid}-{random}{suffix}``."""

_STALE_SECONDS = 24 * 3600  # where a process cannot be asked whether it still runs (Windows)


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it readable by its owner only (0700; best effort)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if stat.S_IMODE(path.stat().st_mode) != 0o700:
                path.chmod(0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600; refuse if it exists (no one else's file is reused)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)


def make_private(path: Path) -> None:
    """Mode 0600 on a data file we own (the database, a backup, a log); best effort."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if path.is_file() and stat.S_IMODE(path.stat().st_mode) != 0o600:
                path.chmod(0o600)


def remove_with_side_files(path: Path) -> None:
    """Delete a SQLite file and its -wal, -shm and -journal files."""
    for p in (path, *(Path(f"{path}{s}") for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def check_output_path(
    out: Path, *, protected: Iterable[Path | None] = (), backup_dir: Path | None = None
) -> Path:
    """Refuse an output path that would replace the database, one of its side files, a backup, or
    anything but a regular file (a device, a pipe): an export must never destroy data.

    ``protected`` are database files (their -wal/-shm/-journal are protected with them).
    """
    out = Path(out)
    real = Path(os.path.realpath(out))
    for db in filter(None, protected):
        for p in (db, *(Path(f"{db}{s}") for s in SIDE_FILES)):
            if _same(out, p) or _same(real, p):
                raise ExportError(
                    f"{out} は evaldesk のデータベース（またはその作業ファイル）です。"
                    "上書きすると全データが失われるため、別のファイル名を指定してください。"
                )
    if backup_dir is not None and real.parent.exists() and _same(real.parent, backup_dir):
        raise ExportError(
            f"{out.parent} はバックアップの保存場所です。出力は別のフォルダに保存してください。"
        )
    try:
        st = out.stat()
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise ExportError(f"{out} を確かめられません（{exc.strerror or exc}）。") from exc
    if stat.S_ISDIR(st.st_mode):
        raise ExportError(f"{out} はフォルダです。ファイル名を指定してください。")
    if not stat.S_ISREG(st.st_mode):
        raise ExportError(
            f"{out} は普通のファイルではありません（装置やパイプ）。別のファイル名を指定してください。"
        )
    try:
        with out.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:
        return out  # unreadable: replacing it is the user's call (the move below may still be refused)
    if head == SQLITE_MAGIC:
        raise ExportError(
            f"{out.name} はデータベースかバックアップのファイルです。上書きしないよう、別のファイル名を指定してください。"
        )
    return out


def new_file_mode(existing: Path) -> int:
    """The mode an output should get: that of the file it replaces, else the default of the umask."""
    try:
        return stat.S_IMODE(existing.stat().st_mode)
    except OSError:
        pass
    if os.name != "posix":
        return 0o666
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def temp_prefix(out: Path) -> str:
    return f".{out.stem}{TEMP_MARK}{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # no cheap, safe probe: age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temporary export files left by evaldesk processes that no longer run (killed exports)."""
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".*{TEMP_MARK}*"))
    except OSError:
        return removed
    now = time.time()
    for p in candidates:
        pid_part = p.name.split(TEMP_MARK, 1)[1].split("-", 1)[0]
        try:
            pid = int(pid_part)
            old = now - p.stat().st_mtime > _STALE_SECONDS
        except (ValueError, OSError):
            continue
        if old or not pid_alive(pid):
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


def prepare_database_file(path: Path, *, private: bool) -> bool:
    """Before SQLite opens ``path``: create it with mode 0600 if missing (True when created), tighten
    it to 0600 if ``private``, and give the -wal/-shm files back write access they lost during a
    read-only spell (SQLite makes them with the database's mode, then cannot open them after a chmod).
    """
    try:
        create_private_file(path)
        return True
    except FileExistsError:
        pass
    except OSError:
        return False  # SQLite reports the folder's problem in its own words
    if private:
        make_private(path)
    if os.name == "posix" and os.access(path, os.W_OK):
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(path.stat().st_mode)
            for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                st = side.stat() if side.exists() else None
                if st is not None and st.st_uid == os.geteuid() and not os.access(side, os.W_OK):
                    side.chmod(mode | stat.S_IWUSR)
    return False
