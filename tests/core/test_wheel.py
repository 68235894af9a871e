"""A plain install works: a wheel built from a clean clone carries the fonts, the sample year and the
translations, and the installed program passes its own ``--self-test`` outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
"""No path back into the checkout: pip and the installed program see only the new environment."""


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env or CLEAN_ENV, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_a_wheel_from_a_clean_clone_installs_and_passes_its_self_test(tmp_path: Path) -> None:
    source = tmp_path / "clone"
    _run("git", "clone", "--quiet", REPO, source, cwd=tmp_path)  # what is committed, nothing else
    # Built as pip builds it for a user (an isolated build with setuptools from the index).
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "-w",
        tmp_path / "dist",
        source,
        cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("evaldesk-*.whl"))

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip()
    )
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel, cwd=tmp_path)
    # The dependencies come from the test environment (the check is evaldesk's own files): a path
    # line adds that folder after the new environment's own, and runs none of its .pth hooks, so the
    # editable evaldesk of the development environment is never seen. Written after the install, so
    # pip does not take that evaldesk for this one.
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    env = dict(CLEAN_ENV)
    env.update(QT_QPA_PLATFORM="offscreen", EVALDESK_DATA_DIR=str(tmp_path / "data"))
    where = _run(
        python,
        "-c",
        "import evaldesk.resources as r; print(r.__file__); print(r.resources_root())",
        cwd=tmp_path,
        env=env,
    ).split()
    assert all(Path(p).is_relative_to(venv) for p in where), where

    report = _run(bin_dir / "evaldesk", "--self-test", cwd=tmp_path, env=env)
    assert "OK  サンプルの取り込み" in report and "NG" not in report, report
    window = _run(bin_dir / "evaldesk-gui", "--self-test", cwd=tmp_path, env=env)
    assert "OK  画面（メインウィンドウ）" in window and "NG" not in window, window
