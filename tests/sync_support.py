"""Builders shared by the connector and sync tests: a hand-moved clock, a fake center, settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from connectors.base import LOCAL_TZ
from connectors.fake import FakeCenterHandle, start_fake_center
from monitor.config import Settings
from tests.conftest import build_settings

FAKE_NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=LOCAL_TZ)


class ManualClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: dt.datetime = FAKE_NOW) -> None:
        self.value = start

    def __call__(self) -> dt.datetime:
        return self.value

    def advance(self, **delta: float) -> dt.datetime:
        self.value += dt.timedelta(**delta)
        return self.value


@contextmanager
def fake_center(
    size: int = 300, seed: int = 7, token: str | None = None, clock: ManualClock | None = None
) -> Iterator[FakeCenterHandle]:
    handle = start_fake_center(
        "127.0.0.1",
        0,
        seed=seed,
        token=token,
        clock=clock or ManualClock(),
        speed=1.0,
        size=size,
        now=FAKE_NOW,
    )
    try:
        yield handle
    finally:
        handle.stop()


def sync_settings(db_url: str, base_url: str, **connector: Any) -> Settings:
    """One http connector named "center": small pages, quick give-up, no backoff wait."""
    options = {
        "name": "center",
        "kind": "http",
        "base_url": base_url,
        "page_size": 40,
        "max_retries": 2,
        "backoff_seconds": 0.5,
        "timeout_seconds": 5,
        **connector,
    }
    return build_settings({"database": {"url": db_url}, "connectors": [options]})


class Sleeps(list[float]):
    """An injected sleep that records how long it was asked to wait and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
