"""What an export returns, and the checks and file handling every export shares."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaldesk.errors import ExportError
from evaldesk.records import Program
from evaldesk.safe_paths import check_output_path, new_file_mode, remove_stale_temp_files, temp_prefix


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A written export: the file, its page count (0 for CSV/XLSX), how many programs, warnings."""

    path: Path
    pages: int
    programs: int
    warnings: tuple[str, ...] = ()


def check_programs(programs: Sequence[Program], *, year: int) -> None:
    """Refuse an empty selection or programs of another fiscal year (a caller's mix-up)."""
    if not programs:
        raise ExportError("出力する事務事業がありません。")
    others = sorted({p.fiscal_year for p in programs if p.fiscal_year != year})
    if others:
        raise ExportError(
            f"{year}年度の出力に他の年度（{', '.join(map(str, others))}）の事業が含まれています。"
        )


def program_label(program: Program) -> str:
    """How warnings name a program: 「事業番号 12 ○○事業」."""
    return f"事業番号 {program.program_id} {program.name}".rstrip()


def _readable_like_a_new_file(path: Path) -> None:
    """Give the finished file the mode a plain new file gets (mkstemp makes it owner-only, 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        path.chmod(0o666 & ~umask)
    except OSError:  # a file system without modes: nothing to fix
        pass


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; move it into place only when the block succeeds.

    A failed or cancelled export therefore never leaves a half-written file, nor destroys the
    previous one. The file gets the mode of the one it replaces (a new one: the umask's default), and
    temporary files of killed exports into the same folder are cleaned up first.
    """
    out = Path(out)
    check_output_path(out)
    if not out.parent.is_dir():
        raise ExportError(f"保存先のフォルダ {out.parent} がありません。")
    remove_stale_temp_files(out.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(out), suffix=out.suffix, dir=out.parent)
    except OSError as exc:
        raise ExportError(f"{out.parent} に書き込めません（{exc.strerror or exc}）。") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _readable_like_a_new_file(tmp)
        try:
            mode = new_file_mode(out)
            with contextlib.suppress(OSError):
                tmp.chmod(mode)
            check_output_path(out)  # the export took time: the path may have become something else
            os.replace(tmp, out)
        except PermissionError as exc:
            raise ExportError(
                f"{out.name} を保存できません。ほかのアプリで開いている場合は閉じてから、もう一度お試しください。"
            ) from exc
        except OSError as exc:
            raise ExportError(f"{out} を保存できません（{exc.strerror or exc}）。") from exc
    except OSError as exc:
        raise ExportError(f"{out} を書き出せません（{exc.strerror or exc}）。") from exc
    finally:
        tmp.unlink(missing_ok=True)
