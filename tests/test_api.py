"""The HTTP service, as a real uvicorn server on a loopback port, driven with httpx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

pytestmark = pytest.mark.lean


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "LEAN_EQUIV_POOL_SIZE": "1"}
    command = [sys.executable, "-m", "uvicorn", "service.api.app:app", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        else:
            pytest.fail("the service did not become ready")
        yield url
    finally:
        process.terminate()
        process.wait(30)


def test_check_round_trip(server: str) -> None:
    statement = "theorem t (n : Nat) (h : 0 < n) : 1 ≤ n"
    response = httpx.post(f"{server}/v1/check", json={"fs1": statement, "fs2": statement}, timeout=300)
    assert response.status_code == 200
    body = response.json()
    assert (body["equivalent"], body["verdict"]) == (1, "equivalent")
    assert body["fs1_to_fs2"]["proof"] == "Iff.rfl"


def test_invalid_input_gets_422_with_reason_and_span(server: str) -> None:
    response = httpx.post(f"{server}/v1/check", json={"fs1": "theorem t : 1 = 1\n#eval 1", "fs2": "True"})
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "reason": "command",
        "message": "commands (#…) are not allowed in a statement",
        "span": [18, 20],
    }
    assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}
