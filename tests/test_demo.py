"""`monitor demo` as a person runs it (`make run`): a subprocess on free ports with a temporary config.
Within a minute the web app answers, dossiers from the fake center are stored, the scheduler has synced
again on its own, the printed office account signs in; Ctrl+C stops everything it started."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select

from monitor.models import Dossier, SyncRun
from tests.alerts_support import free_port
from tests.test_scheduler_processes import MONITOR, Process, wait_for

pytestmark = pytest.mark.slow


def test_the_demo_serves_data_from_the_fake_center_within_a_minute_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    web, center = free_port(), free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        '[database]\nurl = "sqlite:///demo.db"\n'
        f'[web]\nbind = "127.0.0.1:{web}"\npublic_url = "http://127.0.0.1:{web}"\n'
        f'[[connectors]]\nname = "fake"\nkind = "fake"\nbase_url = "http://127.0.0.1:{center}"\n',
        encoding="utf-8",
    )
    demo = Process([MONITOR, "--config", str(config), "demo"])
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        wait_for(lambda: demo.said("Ctrl+C") > 0, "the demo to print how to stop it", timeout=60)
        base = f"http://127.0.0.1:{web}"
        assert demo.said(f"Mở / open:  {base}/")
        health = requests.get(f"{base}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["connectors"][0]["connector"] == "fake"
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Dossier)) > 1000

        def runs() -> int:
            with engine.connect() as conn:
                return int(conn.scalar(select(func.count()).where(SyncRun.status == "success")) or 0)

        wait_for(lambda: runs() >= 2, "the scheduler's own sync", timeout=60)

        line = next(x for x in demo.lines if "vanphong@so.example.vn" in x)
        password = line.split()[1]
        browser = requests.Session()
        form = browser.get(f"{base}/login", timeout=10).text
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
        assert match, "the login form has a CSRF token"
        signed_in = browser.post(
            f"{base}/login",
            data={"email": "vanphong@so.example.vn", "password": password, "csrf_token": match.group(1)},
            timeout=10,
        )
        assert signed_in.status_code == 200 and signed_in.url == f"{base}/"
        assert "Đăng nhập" not in signed_in.text.split("<main", 1)[-1][:200]
    finally:
        engine.dispose()
        demo.popen.send_signal(signal.SIGINT)
        code = demo.stop()
    assert code == 0
    assert demo.said("Đang dừng / stopping")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{center}/", timeout=2)
