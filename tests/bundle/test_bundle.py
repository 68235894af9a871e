"""The PyInstaller spec is complete: the frozen bundle builds and its own self-test passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAX_BUNDLE_BYTES = 200 * 1024 * 1024


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.slow
def test_frozen_bundle_builds_and_self_test_passes(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="the build extra (pip install -e .[build]) is not installed")
    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(REPO / "installer.spec"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    bundle = dist / "evaldesk"
    exe = bundle / ("evaldesk.exe" if sys.platform == "win32" else "evaldesk")
    assert exe.is_file()

    # No Python beside it: a bare environment, run from a folder outside the source tree.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "EVALDESK_DATA_DIR": str(tmp_path / "data"),
        "LANG": "C.UTF-8",
    }
    run = subprocess.run(
        [str(exe), "--self-test"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "Traceback" not in report
    size = _size(bundle)
    print(f"bundle size: {size / 2**20:.1f} MiB")
    assert size < MAX_BUNDLE_BYTES, f"bundle is {size / 2**20:.1f} MiB"
    shutil.rmtree(work, ignore_errors=True)
    assert os.access(exe, os.X_OK)
