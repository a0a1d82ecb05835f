"""Builders and a real SMTP sink for the alert and scheduler tests (issue 6)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_TZ
from monitor.models import Dossier, Judgement, ProcessingStep, SyncRun, Unit, Violation


def at(text: str) -> dt.datetime:
    """A local (Asia/Ho_Chi_Minh) instant: at("2026-08-24 07:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == f"text/{subtype}":
                return str(part.get_content())
        raise AssertionError(f"no text/{subtype} part")


@dataclass
class SmtpSink:
    """Collects every message a real SMTP conversation delivers; logins are recorded too."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    def url(self, to: str, **extra: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"to": to, "from": "monitor@so.example.vn", **extra}.items())
        return f"mailto://127.0.0.1:{self.port}?{query}&mode=insecure"


@contextmanager
def smtp_sink(with_auth: bool = False) -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    options: dict[str, Any] = {}
    if with_auth:
        options = {"authenticator": sink.authenticate, "auth_require_tls": False}
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, **options)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def add_unit(session: Session, code: str = "PKT", name: str = "Phòng Kinh tế") -> Unit:
    unit = Unit(code=code, name=name)
    session.add(unit)
    return unit


_counter = iter(range(1, 1_000_000))


def add_dossier(
    session: Session,
    *,
    unit: str = "PKT",
    code: str | None = None,
    status: int = 4,
    due: dt.datetime | None = None,
    due_soon: bool = False,
    paused: bool = False,
    procedure: str = "Cấp giấy phép xây dựng",
    holder: tuple[str, str] | None = None,
) -> Dossier:
    """A dossier with its judged fields set, as evaluation would leave them."""
    n = next(_counter)
    received = at("2026-08-10 08:00")
    dossier = Dossier(
        code=code or f"H48.18-260810-{n:04d}",
        connector="center",
        procedure_code="1.001",
        procedure_name=procedure,
        unit_code=unit,
        status=status,
        received_at=received,
        source_updated_at=received,
        snapshot_hash=f"{n:064d}",
        first_appointed_at=due,
        appointed_at=due,
        judgement=Judgement(effective_due_at=due, due_soon=due_soon, paused=paused, evaluated_at=received),
    )
    session.add(dossier)
    session.flush()
    if holder:
        session.add(
            ProcessingStep(
                dossier_id=dossier.id,
                seq=1,
                handler="Lê Văn Tiếp",
                unit_name="Bộ phận một cửa",
                started_at=received,
                handed_over_at=received,
            )
        )
        session.add(
            ProcessingStep(
                dossier_id=dossier.id, seq=2, handler=holder[0], unit_name=holder[1], started_at=received
            )
        )
    return dossier


def add_violation(
    session: Session, dossier: Dossier, rule: str, detected: dt.datetime, step: int = 0
) -> Violation:
    violation = Violation(
        rule=rule,
        dossier_id=dossier.id,
        unit_code=dossier.unit_code,
        step=step,
        status="open",
        detected_at=detected,
        details={},
    )
    session.add(violation)
    return violation


def add_sync_run(
    session: Session, connector: str, started: dt.datetime, ok: bool, error: str | None = None
) -> None:
    session.add(
        SyncRun(
            connector=connector,
            started_at=started,
            finished_at=started + dt.timedelta(seconds=5),
            status="success" if ok else "failed",
            error=error,
        )
    )
