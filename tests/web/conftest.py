"""The web tests' world: two units, dossiers and violations in each, one user per role, a clock that
the test moves, and test clients that sign in through the real login form (CSRF included)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from monitor.config import Settings
from monitor.web import create_app
from tests.conftest import build_settings
from tests.web import builders as b

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CONNECTOR = {"name": "center", "kind": "http", "base_url": "http://127.0.0.1:9", "interval_minutes": 15}


@dataclass
class Clock:
    now: dt.datetime = field(default_factory=lambda: b.local("2026-03-12 10:00"))

    def __call__(self) -> dt.datetime:
        return self.now


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@dataclass
class World:
    app: Flask
    sessions: sessionmaker[Session]
    clock: Clock
    ids: dict[str, int]

    def client(self, email: str | None = None) -> FlaskClient:
        client = self.app.test_client()
        if email is not None:
            response = self.login(client, email, b.PASSWORD)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    def login(self, client: FlaskClient, email: str, password: str) -> TestResponse:
        token = csrf_of(client.get("/login").get_data(as_text=True))
        return client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def post(self, client: FlaskClient, page: str, url: str, data: dict[str, str]) -> TestResponse:
        """Submit a form the way a browser does: the CSRF token comes from the page showing the form."""
        token = csrf_of(client.get(page).get_data(as_text=True))
        return client.post(url, data={**data, "csrf_token": token})


def populate(session: Session) -> dict[str, int]:
    b.unit(session, "KT", "Phòng Kinh tế")
    b.unit(session, "TP", "Phòng Tư pháp")
    d1 = b.dossier(session, "H48.18-260302-0001", "KT", unit_name="Phòng Kinh tế")
    b.step(session, d1, 1, "KT", "2026-03-02 09:00", "2026-03-04 09:00", "2026-03-06 10:00")
    b.step(session, d1, 2, "TP", "2026-03-06 10:00", "2026-03-09 09:00", "2026-03-11 15:00")
    b.supplement(session, d1, 1, "2026-03-03 08:00", "2026-03-03 16:00")
    d2 = b.dossier(
        session,
        "H48.18-260302-0002",
        "TP",
        unit_name="Phòng Tư pháp",
        status=4,
        end_at=None,
        finished_at=None,
        due_soon=True,
    )
    d3 = b.dossier(session, "H48.18-260302-0003", "KT", unit_name="Phòng Kinh tế")
    v1 = b.violation(session, d1, "overdue_return", detected="2026-03-11 16:00")
    v_step = b.violation(session, d1, "step_overdue", unit_code="TP", step_no=2, detected="2026-03-10 07:00")
    v2 = b.violation(session, d2, "overdue_open", detected="2026-03-10 07:00")
    v3 = b.violation(session, d3, "repeated_supplement", status="accepted", detected="2026-03-05 07:00")
    b.user(session, "admin@so.gov.vn", "admin")
    b.user(session, "office@so.gov.vn", "office")
    b.user(session, "viewer@so.gov.vn", "viewer")
    b.user(session, "kt@so.gov.vn", "unit_head", "KT")
    b.user(session, "tp@so.gov.vn", "unit_head", "TP")
    return {"kt": v1.id, "kt_accepted": v3.id, "tp_step": v_step.id, "tp": v2.id}


def make_settings(settings: Settings, **web: object) -> Settings:
    return build_settings(
        {"database": {"url": settings.database.url}, "connectors": [CONNECTOR], "web": {**web}}
    )


@pytest.fixture
def world(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[World]:
    with sessions.begin() as session:
        ids = populate(session)
    clock = Clock()
    app = create_app(make_settings(settings), {"MONITOR_CLOCK": clock, "TESTING": True})
    yield World(app, sessions, clock, ids)
    app.extensions["monitor"]["engine"].dispose()
