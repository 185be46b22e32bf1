"""SIGKILL mid-stream: every submission that got a success answer is in the database."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx2 as httpx
import pytest
from kuntasivu_inbox.config import Settings
from kuntasivu_inbox.db import make_engine
from kuntasivu_inbox.store import Store

from .conftest import Server
from .exports import SITE, VALID_FEEDBACK


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sigkill_loses_no_acknowledged_submission(settings: Settings, tmp_path: Path) -> None:
    server = Server(replace(settings, smtp_host=""), tmp_path / "server.log")
    server.start()
    acknowledged: list[str] = []
    stop = threading.Event()

    def stream(worker: int) -> None:
        with httpx.Client(base_url=server.url, timeout=5) as http:
            i = 0
            while not stop.is_set():
                i += 1
                data = {**VALID_FEEDBACK, "name": f"Lähettäjä {worker}-{i}"}
                try:
                    response = http.post(f"/forms/{SITE}/palaute", data=data, headers={"Accept": "application/json"})
                except httpx.TransportError:
                    return  # the server died: this one was never acknowledged
                if response.status_code == 201:
                    acknowledged.append(response.json()["id"])

    threads = [threading.Thread(target=stream, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 30 and time.monotonic() < deadline:  # kill mid-stream, with answers behind us
        time.sleep(0.05)
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) >= 30
    server.start()  # restart on the same file: recovery from the WAL
    try:
        engine = make_engine(settings.database_url)
        store = Store(engine)
        missing = [i for i in acknowledged if store.get(SITE, i) is None]
        engine.dispose()
        assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged submissions lost"
        assert httpx.get(server.url + "/health").status_code == 200
    finally:
        server.stop()
