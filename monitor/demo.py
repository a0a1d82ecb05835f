"""`monitor demo` (what `make run` calls): the whole product on the embedded SQLite default, for a first
look. It migrates the database, starts the fake center, pulls once, creates demo users, then runs the
scheduler (syncing every minute) and the web app in threads of this one process; Ctrl+C stops them all."""

from __future__ import annotations

import faulthandler
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from sqlalchemy import select

from monitor import migrate
from monitor.config import FakeConnectorSettings, Settings, secret
from monitor.db import make_engine, session_factory, transaction, utcnow

OFFICE_EMAIL = "vanphong@so.example.vn"
DEMO_INTERVAL_MINUTES = 1
STOP_DEADLINE_SECONDS = 25.0


def demo_settings(settings: Settings) -> Settings:
    """The configured fake connectors (a default one when there is none), synced every minute."""
    fakes = [c for c in settings.connectors if isinstance(c, FakeConnectorSettings) and c.enabled]
    if not fakes:
        fakes = [FakeConnectorSettings(name="demo", base_url="http://127.0.0.1:8765")]
    quick = tuple(c.model_copy(update={"interval_minutes": DEMO_INTERVAL_MINUTES}) for c in fakes)
    return settings.model_copy(update={"connectors": quick})


def head_email(unit_code: str) -> str:
    return f"truongphong.{re.sub(r'[^a-z0-9]+', '-', unit_code.lower()).strip('-')}@so.example.vn"


def ensure_demo_users(settings: Settings) -> list[tuple[str, str, str]]:
    """An office account and one head per unit; (label, e-mail, password), a fresh password each run."""
    from monitor.models import Unit
    from monitor.users import create_user, find_user, generate_password, set_password

    engine = make_engine(settings.database)
    accounts: list[tuple[str, str, str]] = []
    try:
        with transaction(session_factory(engine)) as session:
            units = session.execute(
                select(Unit.code, Unit.name).where(Unit.parent_code.is_not(None)).order_by(Unit.code)
            ).all()
            wanted = [("Văn phòng Sở", OFFICE_EMAIL, "office", None)] + [
                (f"Lãnh đạo {name}", head_email(code), "unit_head", code) for code, name in units
            ]
            for label, email, role, unit in wanted:
                password = generate_password()
                user = find_user(session, email)
                if user is None:
                    create_user(
                        session, email=email, role=role, unit_code=unit, password=password, name=label
                    )
                else:
                    set_password(user, password)
                accounts.append((label, email, password))
    finally:
        engine.dispose()
    return accounts


@dataclass
class Demo:
    settings: Settings
    say: Callable[[str], None]
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    _stops: list[Callable[[], None]] = field(default_factory=list)

    def start(self) -> str:
        """Start everything; returns the address of the web app."""
        from connectors.fake import start_fake_center

        engine = make_engine(self.settings.database)
        migrate.upgrade(engine)
        engine.dispose()
        for c in self.settings.connectors:
            assert isinstance(c, FakeConnectorSettings)
            port = int(c.base_url.rsplit(":", 1)[1])
            center = start_fake_center("127.0.0.1", port, seed=c.seed, token=secret(self.env, c.token_env))
            self._stops.append(center.stop)
            self.say(f"  Trung tâm giả lập / fake center:  {center.url} (seed {c.seed})")
        self._first_pull()
        self._start_scheduler()
        return self._start_web()

    def _first_pull(self) -> None:
        from monitor.evaluate import evaluate
        from monitor.sync import sync_connector

        engine = make_engine(self.settings.database)
        sessions = session_factory(engine)
        try:
            for c in self.settings.connectors:
                self.say(f"  Đang lấy dữ liệu lần đầu từ {c.name} / first pull…")
                summary = sync_connector(self.settings, sessions, c.name, env=self.env)
                outcome = f"lỗi / failed: {summary.error}" if summary.error else "xong / done"
                self.say(f"    {summary.fetched:,} hồ sơ; {outcome}")
            evaluate(self.settings, sessions, utcnow())
        finally:
            engine.dispose()

    def _start_scheduler(self) -> None:
        from monitor.scheduler import SchedulerService

        service = SchedulerService(self.settings, env=self.env, say=lambda text: None)
        thread = threading.Thread(target=service.run, name="scheduler", daemon=True)
        thread.start()

        def stop() -> None:
            service.shutdown()
            thread.join(timeout=30)

        self._stops.append(stop)

    def _start_web(self) -> str:
        import logging

        from werkzeug.serving import make_server

        from monitor.web import create_app

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        host, port = self.settings.web.bind.rsplit(":", 1)
        server = make_server(host, int(port), create_app(self.settings), threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="web", daemon=True)
        thread.start()

        def stop() -> None:
            server.shutdown()
            thread.join(timeout=10)

        self._stops.append(stop)
        return f"http://{host}:{server.server_port}"

    def stop(self, deadline_seconds: float = STOP_DEADLINE_SECONDS) -> bool:
        """Stop what was started, newest first; False when that takes longer than the deadline (a job
        that will not finish), in which case the threads' stacks go to stderr for the bug report."""

        def run() -> None:
            while self._stops:
                self._stops.pop()()
            # A job still running in the scheduler's pool would hold the interpreter's exit: wait here,
            # under the deadline, instead.
            for thread in threading.enumerate():
                if not thread.daemon and thread not in (threading.main_thread(), threading.current_thread()):
                    thread.join()

        worker = threading.Thread(target=run, name="demo-stop", daemon=True)
        worker.start()
        worker.join(deadline_seconds)
        if worker.is_alive():
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            return False
        return True


def run_demo(settings: Settings, say: Callable[[str], None] | None = None) -> None:
    import click

    say = say or click.echo
    settings = demo_settings(settings)
    received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Only a list append: a handler that takes a lock (Event.set) deadlocks when a second signal
        # lands while the main thread holds that lock, as Ctrl+C followed by SIGTERM does.
        received.append(signum)

    previous: dict[int, Any] = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    demo = Demo(settings, say)
    try:
        say("\n  Theo dõi hồ sơ TTHC — dossier monitor (demo)\n")
        address = demo.start()
        accounts = ensure_demo_users(settings)
        say(f"\n  Mở / open:  {address}/")
        say("  Đăng nhập / sign in (mật khẩu mới mỗi lần chạy / new passwords each run):")
        width = max(len(e) for _, e, _ in accounts)
        for label, email, password in accounts:
            say(f"    {email:<{width}}  {password}   {label}")
        say(
            f"\n  Cơ sở dữ liệu / database:  {settings.database.url}\n"
            f"  Đồng bộ mỗi {DEMO_INTERVAL_MINUTES} phút / synced every minute; /healthz for health\n"
            "  Dừng / stop:  Ctrl+C\n"
        )
        while not received:
            time.sleep(0.2)  # signal handlers run between sleeps
        say("\n  Đang dừng / stopping…")
    finally:
        stopped = demo.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not stopped:
        # Ctrl+C must stop the demo: leave without waiting for the stuck thread (its stack is above).
        say(f"  Chưa dừng hết sau {STOP_DEADLINE_SECONDS:.0f} giây; thoát ngay / exiting now")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
