"""A throwaway PostgreSQL server for tests, and one fresh database per test.

Used two ways:

* ``EVALDESK_TEST_PG_URL=auto python -m pytest tests/core -p no:qt`` starts one server for the whole
  session (``pytest_configure`` below) and points ``EVALDESK_TEST_PG_URL`` at it, so the ``db_url``
  fixture hands every test its own PostgreSQL database instead of a SQLite file.
* ``EVALDESK_TEST_PG_URL=postgresql+psycopg://user@host:port/db`` uses an existing server instead.

``tests/core/test_postgres.py`` asks for the ``pg_base_url`` fixture, which starts a server on demand
(or skips, naming the missing binaries) when no URL was given.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_URL = "EVALDESK_TEST_PG_URL"
ENV_BIN = "EVALDESK_PG_BIN"
OS_USER = "postgres"


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: EVALDESK_PG_BIN, Debian's newest, or PATH."""
    candidates: list[Path] = []
    if os.environ.get(ENV_BIN):
        candidates.append(Path(os.environ[ENV_BIN]))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: int(p.name), reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One initdb'd cluster under /tmp, started with pg_ctl on a free port; ``stop()`` removes it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.dir: Path | None = None
        self.port = 0
        self._as_root = os.geteuid() == 0

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://{self._user}@127.0.0.1:{self.port}/postgres"

    @property
    def _user(self) -> str:
        # initdb refuses root, so as root the cluster belongs to the postgres OS user; otherwise to us.
        return OS_USER if self._as_root else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", OS_USER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def start(self) -> str:
        self.dir = Path(tempfile.mkdtemp(prefix="evaldesk-pg-", dir="/tmp"))
        if self._as_root:
            pw = pwd.getpwnam(OS_USER)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        data = self.dir / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            f"--username={self._user}",
        )
        last: Exception | None = None
        for _ in range(5):  # another process may take the port between our probe and the bind
            self.port = _free_port()
            opts = (
                f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c full_page_writes=off -c max_connections=200"
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(self.dir / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                )
                break
            except RuntimeError as exc:
                last = exc
        else:
            raise RuntimeError(f"PostgreSQL did not start: {last}")
        atexit.register(self.stop)
        return self.base_url

    def stop(self) -> None:
        if self.dir is None:
            return
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


def _conninfo(url: str) -> str:
    """A libpq URL from a SQLAlchemy one (drop the ``+psycopg`` driver part)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


_created: list[tuple[str, str]] = []


def fresh_database(base_url: str) -> str:
    """Create an empty database on the server of ``base_url``; return its SQLAlchemy URL."""
    import psycopg

    name = f"evaldesk_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_conninfo(base_url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    _created.append((base_url, name))
    head = base_url.rsplit("/", 1)[0] if base_url.count("/") > 2 else base_url
    return f"{head}/{name}"


def drop_created_databases() -> None:
    """Drop what ``fresh_database`` made (matters on a shared server, not on a throwaway one)."""
    import psycopg

    while _created:
        base, name = _created.pop()
        with contextlib.suppress(Exception), psycopg.connect(_conninfo(base), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- pytest plugin (registered from tests/conftest.py) ------------------------------------------------
_session_server: PgServer | None = None


def start_session_server() -> str:
    """Start (once) the throwaway server of this test session; its base URL."""
    global _session_server
    if _session_server is None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found; set EVALDESK_PG_BIN")
        server = PgServer(bin_dir)
        server.start()
        _session_server = server
    return _session_server.base_url


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(ENV_URL, "").strip().lower() == "auto":
        os.environ[ENV_URL] = start_session_server()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_server is not None:
        _session_server.stop()
    else:
        drop_created_databases()


def pytest_report_header(config: pytest.Config) -> str | None:
    url = os.environ.get(ENV_URL)
    return f"evaldesk database: PostgreSQL ({url})" if url else None


@pytest.fixture(scope="session")
def pg_base_url() -> Iterator[str]:
    """A PostgreSQL server for tests that need one, started on demand; skipped if none is available."""
    url = os.environ.get(ENV_URL)
    if url:
        yield url
        return
    if find_bin_dir() is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not installed; "
            "apt-get install postgresql or set EVALDESK_PG_BIN / EVALDESK_TEST_PG_URL"
        )
    try:
        psycopg = __import__("psycopg")
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    del psycopg
    yield start_session_server()


@pytest.fixture
def pg_url(pg_base_url: str) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return fresh_database(pg_base_url)
