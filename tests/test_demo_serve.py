"""`monitor serve`: the web app under gunicorn on the configured database; it runs no jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from monitor.config import Settings
from monitor.models import SyncRun
from tests.alerts_support import free_port
from tests.test_scheduler_processes import MONITOR, Process, wait_for

pytestmark = pytest.mark.slow


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=10).status_code == 200
    except requests.RequestException:  # not listening yet, or still booting
        return False


def test_monitor_serve_answers_healthz_under_gunicorn_and_stops_on_sigterm(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{settings.database.url}"\n'
        '[[connectors]]\nname = "fake"\nkind = "fake"\nbase_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    server = Process(
        [MONITOR, "--config", str(config), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    )
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), "gunicorn to answer")
        body = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
        assert body["database"] == "ok" and body["connectors"][0]["connector"] == "fake"
    finally:
        code = server.stop()
    assert code == 0
    assert server.said("Booting worker") == 2
    engine = create_engine(settings.database.url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SyncRun)) == 0  # the web process never syncs
    engine.dispose()
