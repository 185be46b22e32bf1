"""The inbox suite runs on SQLite and on a real, throwaway PostgreSQL (Debian's package)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path

import httpx2 as httpx
import pytest
from kuntasivu_inbox.app import create_app
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.db import migrate
from kuntasivu_inbox.service import Inbox
from starlette.testclient import TestClient

from . import exports, feedback_exports

SECRET = "test-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            capture_output=True,
            check=False,
        )
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on 127.0.0.1 on a free port, run as the postgres user."""
    bindir = _pg_bin()
    if bindir is None or shutil.which("runuser") is None:
        pytest.skip(
            "!!!!!!!! POSTGRESQL NOT FOUND: the PostgreSQL half of the inbox suite DID NOT RUN. "
            "Install it with `apt-get install -y postgresql` (make test does so as root). !!!!!!!!"
        )
    base = Path(tempfile.mkdtemp(prefix="ks-pg-"))
    os.chmod(base, 0o755)
    shutil.chown(base, "postgres", "postgres")
    port = free_port()
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_pg, str(bindir / "initdb"), "-D", str(base / "data"), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    ctl = [*as_pg, str(bindir / "pg_ctl"), "-D", str(base / "data")]
    subprocess.run([*ctl, "-o", options, "-l", str(base / "log"), "-w", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'inbox.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    name = "t_" + uuid.uuid4().hex[:12]
    _pg_admin(server, f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    _pg_admin(server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "public"
    exports.write_all(directory)
    feedback_exports.write_all(directory)
    return directory


@pytest.fixture
def settings(db_url: str, forms_dir: Path) -> Settings:
    return Settings(
        database_url=db_url,
        forms_dir=forms_dir,
        secret=SECRET,
        rate_limit=0,
        min_fill_seconds=2,
        body_limit=8192,
        max_fields=40,
    )


@pytest.fixture
def service(settings: Settings) -> Iterator[Inbox]:
    inbox = Inbox.from_settings(settings)
    migrate(inbox.engine)
    yield inbox
    inbox.engine.dispose()


@pytest.fixture
def client(settings: Settings, service: Inbox) -> Iterator[TestClient]:
    app = create_app(settings, service, background=False)
    with TestClient(app, base_url="http://inbox.test") as test_client:
        yield test_client


def make_client(settings: Settings, **changes: object) -> tuple[TestClient, Inbox]:
    changed = replace(settings, **changes)  # type: ignore[arg-type]
    inbox = Inbox.from_settings(changed)
    migrate(inbox.engine)
    return TestClient(create_app(changed, inbox, background=False), base_url="http://inbox.test"), inbox


class Server:
    """The real service: `python -m kuntasivu_inbox.cli serve` in a subprocess."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = settings
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = [sys.executable, "-m", "kuntasivu_inbox.cli", "serve"]
        for f in fields(self.settings):
            value = getattr(replace(self.settings, port=self.port), f.name)
            if isinstance(value, bool):
                args.append(f"--{'' if value else 'no-'}{f.name.replace('_', '-')}")
            else:
                args += [f"--{f.name.replace('_', '-')}", str(value)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("KUNTASIVU_INBOX_")}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
            assert self.process.poll() is None, self.log.read_text()
        raise AssertionError("server did not start:\n" + self.log.read_text())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[Server]:
    running = Server(settings, tmp_path / "server.log")
    running.start()
    yield running
    running.stop()
