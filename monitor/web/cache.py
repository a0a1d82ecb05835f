"""A small time-limited cache held by the app (one per worker) for figures that are costly to compute,
such as the overview's indicators over every dossier. Evaluation runs every few minutes, so figures a
minute old are current enough; a change made through this worker clears it at once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class FiguresCache:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._lock = threading.Lock()
        self._items: dict[Any, tuple[dt.datetime, Any]] = {}

    def get(self, key: Any, now: dt.datetime, compute: Callable[[], T]) -> T:
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            value: T = hit[1]
            return value
        value = compute()
        with self._lock:
            self._items[key] = (now + dt.timedelta(seconds=self._seconds), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
