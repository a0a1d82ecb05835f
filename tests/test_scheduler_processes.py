"""Two real `monitor scheduler` processes started at once: one leads, one waits, one digest per
recipient; SIGTERM stops the leader cleanly and the other takes over without sending again."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from monitor.calendar import LOCAL_TZ
from monitor.config import Settings
from tests.alerts_support import add_dossier, add_unit, smtp_sink

pytestmark = pytest.mark.slow

MONITOR = str(Path(sys.executable).with_name("monitor"))


class Process:
    """A subprocess whose output is read line by line in the background."""

    def __init__(self, args: list[str]) -> None:
        self.lines: list[str] = []
        self.popen = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line.rstrip("\n"))

    def said(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        try:
            code = self.popen.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.popen.kill()  # never leave an orphan behind a failed test
            self.popen.wait(timeout=10)
            tail = "\n".join(self.lines[-60:])
            name = self.popen.args[-1]
            raise AssertionError(f"{name} did not stop within 60 s of SIGTERM:\n{tail}") from None
        self._reader.join(timeout=10)
        return code


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    pause = threading.Event()
    for _ in range(int(timeout * 10)):
        if condition():
            return
        pause.wait(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_scheduler_processes_deliver_one_digest_per_recipient(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    today = dt.datetime.now(LOCAL_TZ)
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(s, due=today - dt.timedelta(days=3))
    heads = [f"truongphong{i}@so.example.vn" for i in range(3)]
    with smtp_sink() as sink:
        urls = ", ".join(f'"{sink.url(h)}"' for h in heads)
        config = tmp_path / "config.toml"
        # Today made a working day and the digest due since midnight: the real clock, a catch-up at start.
        config.write_text(
            f'[database]\nurl = "{settings.database.url}"\n'
            f'[calendar]\nextra_workdays = ["{today.date().isoformat()}"]\n'
            '[scheduler]\ndigest_at = "00:00"\ncatch_up_hours = 24\nlock_poll_seconds = 0.2\n'
            "[reports]\nenabled = false\n"
            f"[alerts]\nunits = {{ PKT = [{urls}] }}\n",
            encoding="utf-8",
        )
        command = [MONITOR, "--config", str(config), "scheduler"]
        first, second = Process(command), Process(command)
        try:
            wait_for(lambda: first.said("job digest done") + second.said("job digest done") == 1, "a digest")
            wait_for(
                lambda: first.said("waiting to take over") + second.said("waiting to take over") == 1,
                "the second scheduler to wait",
            )
            leader, follower = (first, second) if first.said("job digest done") else (second, first)
            assert leader.stop() == 0
            assert leader.said("SIGTERM received; stopping")
            wait_for(lambda: follower.said("job digest done") == 1, "the second scheduler's catch-up")
        finally:
            codes = [p.stop() for p in (first, second)]
    assert codes == [0, 0]
    assert sorted(r for m in sink.received for r in m.recipients) == sorted(heads)
