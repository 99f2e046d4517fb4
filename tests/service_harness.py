"""Real servers for the service tests: `lean-equiv serve` subprocesses on loopback ports, over
a SQLite file or a fresh PostgreSQL database of their own."""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

POSTGRES_ADMIN_URL = os.environ.get("LEAN_EQUIV_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


_LAUNCHED: list[subprocess.Popen[bytes]] = []


@atexit.register
def _kill_leftover_servers() -> None:
    """A test run that ends without its teardowns (interrupted, or a fixture that failed) leaves
    no server behind to keep its Lean sessions busy."""
    for process in _LAUNCHED:
        if process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_url(kind: str, directory: Path) -> Iterator[str]:
    """A database nobody else uses: a new SQLite file, or a new PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'lean-equiv.db'}"
        return
    import psycopg

    name = f"lean_equiv_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    def __init__(self, database: str, log_path: Path, **settings: str) -> None:
        self.database = database
        self.log_path = log_path
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_within_s: float = 300) -> Server:
        return self.launch().wait_ready(ready_within_s)

    def launch(self) -> Server:
        """The server process, not yet ready: several servers can then start at once."""
        env = {
            **os.environ,
            "DATABASE_URL": self.database,
            "LEAN_EQUIV_POOL_SIZE": "1",
            "LEAN_EQUIV_WARM_UP": "false",  # ready sooner; the warm-up runs in `score`'s tests
            **{f"LEAN_EQUIV_{k.upper()}": v for k, v in self.settings.items()},
        }
        command = [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
        _LAUNCHED.append(self.process)
        return self

    def wait_ready(self, ready_within_s: float = 300) -> Server:
        assert self.process is not None
        deadline = time.monotonic() + ready_within_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}):\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/readyz").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the server was not ready within {ready_within_s:g} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL to the server and its Lean children: no shutdown code runs."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def wait_for_batch(
    url: str, batch_id: str, timeout_s: float = 600, headers: dict[str, str] | None = None
) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = httpx.get(f"{url}/v1/batches/{batch_id}", headers=headers).json()
        if status["summary"]["status"] in ("done", "cancelled"):
            return status
        time.sleep(0.5)
    raise TimeoutError(f"batch {batch_id} not done within {timeout_s:g} s")
