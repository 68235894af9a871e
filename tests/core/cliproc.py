"""Run ``python -m evaldesk`` (or a driver script) in a real child process, as a user or a crash would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    """The test's environment (its EVALDESK_DATA_DIR included) with the repository importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUTF8"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("EVALDESK_DB", None)
    env.update(extra)
    return env


@dataclass(frozen=True)
class Done:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def assert_no_traceback(self) -> None:
        assert "Traceback" not in self.err, self.err
        assert "Traceback" not in self.out, self.out


def cli(
    db: str | Path | None, *args: str | Path, stdin: str | None = None, timeout: float = 120, **env: str
) -> Done:
    """``python -m evaldesk [--db DB] ARGS``; never a traceback, whatever the outcome."""
    cmd = [sys.executable, "-m", "evaldesk"]
    if db is not None:
        cmd += ["--db", str(db)]
    cmd += [str(a) for a in args]
    p = subprocess.run(
        cmd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=child_env(**env),
        cwd=REPO,
        check=False,
    )
    done = Done(p.returncode, p.stdout, p.stderr)
    done.assert_no_traceback()
    return done


def spawn(args: list[str | Path], *, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """Start ``python ARGS`` to be killed; stdout and stderr go to the file ``log`` (a pipe could fill up)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, *map(str, args)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=child_env(PYTHONUNBUFFERED="1", **env),
            cwd=REPO,
        )
