"""The fake one-stop center: the simulated department served over the exact wire format of center-api.md.

It runs in a background thread (`start_fake_center`) for the demo and the tests, or in the foreground
(`monitor fake-center`). Its clock moves: fake time = start + (clock() - clock at start) × speed, and each
request first applies every planned event up to that time. Faults can be queued for tests (HTTP errors,
429 with Retry-After, slow answers, a page that is not JSON, malformed records).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.base import LOCAL_TZ
from connectors.fake_data import (
    DueFunction,
    Plan,
    fmt,
    procedures_payload,
    simple_due,
    snapshot,
    units_payload,
)
from connectors.fake_plan import plan_department

_JSON = {"separators": (",", ":"), "ensure_ascii": False}


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Fault:
    """What the next matching requests get instead of a normal answer. `skip` lets that many matching
    requests through first; `times` is how many are then spoiled."""

    kind: str  # "status" | "delay" | "malformed"
    path: str = "hoso"
    status: int = 503
    retry_after: float | None = None
    seconds: float = 0.0
    skip: int = 0
    times: int = 1


class FakeCenter:
    """The served state: one serialized snapshot per dossier, kept in `NgayCapNhat, MaHoSo` order."""

    def __init__(
        self,
        *,
        seed: int = 1,
        size: int = 3000,
        now: dt.datetime | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        speed: float = 1.0,
        future_days: float = 7.0,
        token: str | None = None,
        due: DueFunction = simple_due,
    ) -> None:
        self.clock = clock or _utc_now
        self.speed = speed
        self.token = token
        self._clock_start = self.clock()
        start = (now or self._clock_start).astimezone(LOCAL_TZ).replace(tzinfo=None, microsecond=0)
        self._fake_start = start
        self._plans: list[Plan] = plan_department(seed, start, size, future_days, due)
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._applied = start
        self._body: list[bytes | None] = [None] * len(self._plans)
        self._key: list[str] = [""] * len(self._plans)
        self._version = [0] * len(self._plans)
        self._log: list[tuple[str, int, int]] = []  # (NgayCapNhat, plan index, version), in served order
        self._extra: list[bytes] = []
        self._pending: list[tuple[dt.datetime, str, int]] = []
        for i, p in enumerate(self._plans):
            for t in p.events:
                if t > start:
                    self._pending.append((t, p.code, i))
            if p.events and p.events[0] <= start:
                self._refresh(i, start)
        self._pending.sort()
        self._log.sort(key=lambda e: (e[0], self._plans[e[1]].code))
        self._next = 0
        self._index: tuple[list[str], list[int]] | None = None

    # ------------------------------------------------------------------ time

    def now(self) -> dt.datetime:
        """The fake's current time, naive local."""
        elapsed = (self.clock() - self._clock_start) * self.speed
        return self._fake_start + dt.timedelta(seconds=int(elapsed.total_seconds()))

    def _refresh(self, i: int, at: dt.datetime) -> None:
        record = snapshot(self._plans[i], at)
        self._body[i] = json.dumps(record, **_JSON).encode()  # type: ignore[arg-type]
        self._key[i] = record["NgayCapNhat"]
        self._version[i] += 1
        self._log.append((self._key[i], i, self._version[i]))

    def _advance(self) -> None:
        """Apply every planned event up to now; changed dossiers move to the end of the order."""
        now = self.now()
        if now <= self._applied:
            return
        touched: dict[int, dt.datetime] = {}
        pending, k = self._pending, self._next
        while k < len(pending) and pending[k][0] <= now:
            touched[pending[k][2]] = pending[k][0]
            k += 1
        self._next = k
        self._applied = now
        for i in sorted(touched, key=lambda i: (touched[i], self._plans[i].code)):
            self._refresh(i, now)
        if touched:
            self._index = None

    def _served(self) -> tuple[list[str], list[int]]:
        if self._index is None:
            live = [(key, i) for key, i, v in self._log if self._version[i] == v]
            self._log = [(key, i, self._version[i]) for key, i in live]
            self._index = ([key for key, _ in live], [i for _, i in live])
        return self._index

    # ------------------------------------------------------------------ answers

    def page(self, since: str | None, page: int, size: int) -> bytes:
        with self._lock:
            self._advance()
            keys, order = self._served()
            start = bisect.bisect_left(keys, since) if since else 0
            served = len(order) - start
            total = served + len(self._extra)
            lo, hi = start + (page - 1) * size, start + page * size
            chosen = [self._body[i] or b"" for i in order[lo:hi]]
            if len(chosen) < size:
                first_extra = max(lo - len(order), 0)
                chosen += self._extra[first_extra : first_extra + size - len(chosen)]
        head = (
            f'{{"error_code":"00","message":"","tong_so":{total},"trang":{page},"so_ban_ghi":{size},"data":['
        )
        return head.encode() + b",".join(chosen) + b"]}"

    def snapshots(self) -> dict[str, dict[str, Any]]:
        """Every dossier as currently served, by code (for tests and the demo's checks)."""
        with self._lock:
            self._advance()
            _keys, order = self._served()
            return {r["MaHoSo"]: r for r in (json.loads(self._body[i] or b"{}") for i in order)}

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def add_records(self, records: list[Any]) -> None:
        """Raw records (malformed ones, say) served after every dossier, on every page query."""
        with self._lock:
            self._extra.extend(json.dumps(r, **_JSON).encode() for r in records)  # type: ignore[arg-type]

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.path in path and fault.times > 0:
                    if fault.skip > 0:
                        fault.skip -= 1
                        return None
                    fault.times -= 1
                    return fault
        return None

    def time_of_changes(self, count: int) -> dt.datetime:
        """The fake time by which `count` more dossiers will have changed (for benchmarks and demos that
        want a known amount of new work)."""
        with self._lock:
            self._advance()
            seen: set[int] = set()
            for t, _code, i in self._pending[self._next :]:
                seen.add(i)
                if len(seen) >= count:
                    return t.replace(tzinfo=LOCAL_TZ)
            return (self._pending[-1][0] if self._pending else self._applied).replace(tzinfo=LOCAL_TZ)

    def now_text(self) -> str:
        return fmt(self.now())


def _handler(center: FakeCenter, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    units = json.dumps({"error_code": "00", "message": "", "data": units_payload()}, **_JSON).encode()  # type: ignore[arg-type]
    procedures = json.dumps(
        {"error_code": "00", "message": "", "data": procedures_payload()},
        **_JSON,  # type: ignore[arg-type]
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # the demo's terminal is for people, not for access logs

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
            body = json.dumps({"error_code": code, "message": message}, **_JSON).encode()  # type: ignore[arg-type]
            self._send(status, body, headers)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            center.requests.append((url.path, query))
            if center.token is not None and self.headers.get("Authorization") != f"Bearer {center.token}":
                self._error(401, "01", "Token không hợp lệ")
                return
            fault = center.take_fault(url.path)
            if fault is not None:
                if fault.kind == "delay":  # a hung center: the client's timeout must fire
                    stop.wait(fault.seconds)
                    self.close_connection = True
                    return
                if fault.kind == "malformed":
                    self._send(200, b'{"error_code":"00","data":[{"MaHoSo": "H48.18-')
                    return
                else:
                    extra = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
                    self._error(fault.status, "99", "Hệ thống đang bận", extra)
                    return
            if url.path == "/api/v1/donvi":
                self._send(200, units)
            elif url.path == "/api/v1/thutuc":
                self._send(200, procedures)
            elif url.path == "/api/v1/hoso":
                try:
                    page = max(int(query.get("trang", "1")), 1)
                    size = min(max(int(query.get("so_ban_ghi", "500")), 1), 10_000)
                except ValueError:
                    self._error(400, "02", "trang và so_ban_ghi phải là số nguyên")
                    return
                self._send(200, center.page(query.get("tu_ngay") or None, page, size))
            else:
                self._error(404, "04", f"Không có đường dẫn {url.path}")

    return Handler


class FakeCenterHandle:
    """A fake center serving in a background thread; `stop()` ends it."""

    def __init__(self, center: FakeCenter, server: ThreadingHTTPServer, stop: threading.Event) -> None:
        self.center = center
        self._server = server
        self._stop = stop
        self.port: int = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, name="fake-center", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeCenterHandle:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def make_server(center: FakeCenter, host: str, port: int) -> tuple[ThreadingHTTPServer, threading.Event]:
    stop = threading.Event()
    server = ThreadingHTTPServer((host, port), _handler(center, stop))
    server.daemon_threads = True
    return server, stop


def start_fake_center(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    seed: int = 1,
    token: str | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    speed: float = 1.0,
    size: int = 3000,
    now: dt.datetime | None = None,
    future_days: float = 7.0,
    due: DueFunction = simple_due,
) -> FakeCenterHandle:
    """Build the simulated department and serve it on host:port (0 = any free port) in a thread."""
    center = FakeCenter(
        seed=seed, size=size, now=now, clock=clock, speed=speed, future_days=future_days, token=token, due=due
    )
    server, stop = make_server(center, host, port)
    return FakeCenterHandle(center, server, stop)
