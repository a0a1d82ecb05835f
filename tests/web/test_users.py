"""Users and tokens as services and as commands: creation rules, generated passwords, hashed tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor import users
from monitor.cli import main
from monitor.config import Settings
from monitor.models import ApiToken, Unit
from tests.web.builders import local


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as s:
        s.add(Unit(code="KT", name="Phòng Kinh tế"))
        s.commit()
        yield s


def test_a_generated_password_is_returned_once_and_only_its_argon2_hash_is_stored(session: Session) -> None:
    user, password = users.create_user(session, email=" Head@So.gov.vn ", role="unit_head", unit_code="KT")
    assert user.email == "head@so.gov.vn" and len(password) >= 12
    assert user.password_hash.startswith("$argon2") and password not in user.password_hash
    assert users.authenticate(session, "HEAD@so.gov.vn", password, local("2026-03-02 08:00")).ok


@pytest.mark.parametrize(
    ("email", "role", "unit", "message"),
    [
        ("a@so.gov.vn", "boss", None, "unknown role 'boss'"),
        ("a@so.gov.vn", "unit_head", None, "needs a unit"),
        ("a@so.gov.vn", "unit_head", "XX", "unknown unit 'XX'"),
        ("not-an-email", "office", None, "not an e-mail"),
    ],
)
def test_bad_user_details_are_refused_naming_the_problem(
    session: Session, email: str, role: str, unit: str | None, message: str
) -> None:
    with pytest.raises(users.UserError, match=message):
        users.create_user(session, email=email, role=role, unit_code=unit)


def test_an_e_mail_is_used_once(session: Session) -> None:
    users.create_user(session, email="a@so.gov.vn", role="office", unit_code=None)
    with pytest.raises(users.UserError, match="already exists"):
        users.create_user(session, email="A@so.gov.vn", role="viewer", unit_code=None)


def test_a_lock_lasts_the_configured_minutes(session: Session) -> None:
    users.create_user(session, email="a@so.gov.vn", role="office", unit_code=None, password="dung-mat-khau")
    at = local("2026-03-02 08:00")
    for _ in range(3):
        assert not users.authenticate(session, "a@so.gov.vn", "sai", at, max_failures=3, lock_minutes=10).ok
    locked = users.authenticate(session, "a@so.gov.vn", "dung-mat-khau", at + dt.timedelta(minutes=9))
    assert not locked.ok and locked.locked_until == at + dt.timedelta(minutes=10)
    assert users.authenticate(
        session, "a@so.gov.vn", "dung-mat-khau", at + dt.timedelta(minutes=10, seconds=1)
    ).ok


def test_a_token_is_stored_as_its_sha256_and_finds_its_user_until_revoked(session: Session) -> None:
    users.create_user(session, email="a@so.gov.vn", role="viewer", unit_code=None)
    token = users.issue_token(session, email="a@so.gov.vn", name="script")
    row = session.scalar(select(ApiToken))
    assert row is not None and row.token_hash != token and len(row.token_hash) == 64
    now = local("2026-03-02 08:00")
    found = users.user_for_token(session, token, now)
    assert found is not None and found.email == "a@so.gov.vn" and row.last_used_at == now
    users.revoke_token(session, row.id, now)
    assert users.user_for_token(session, token, now) is None


def test_monitor_users_add_reads_the_password_from_stdin_and_tokens_add_prints_a_token(
    settings: Settings, session: Session
) -> None:
    env = {"MONITOR_DATABASE_URL": settings.database.url}
    runner = CliRunner()
    added = runner.invoke(
        main,
        ["users", "add", "--email", "kt@so.gov.vn", "--role", "unit_head", "--unit", "KT"],
        input="mot-mat-khau-dai\n",
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "created kt@so.gov.vn (unit_head, KT)" in added.output and "password" not in added.output
    assert users.authenticate(session, "kt@so.gov.vn", "mot-mat-khau-dai", local("2026-03-02 08:00")).ok
    token = runner.invoke(main, ["tokens", "add", "--email", "kt@so.gov.vn", "--name", "bảng tính"], env=env)
    assert token.exit_code == 0 and token.output.strip().startswith("mon_")
    assert users.user_for_token(session, token.output.strip(), local("2026-03-02 08:00")) is not None


def test_monitor_users_add_generates_a_password_and_refuses_a_head_without_unit(
    settings: Settings, session: Session
) -> None:
    env = {"MONITOR_DATABASE_URL": settings.database.url}
    runner = CliRunner()
    generated = runner.invoke(
        main, ["users", "add", "--email", "vp@so.gov.vn", "--role", "office"], input="", env=env
    )
    assert generated.exit_code == 0 and "password (shown once): " in generated.output
    refused = runner.invoke(
        main, ["users", "add", "--email", "x@so.gov.vn", "--role", "unit_head"], input="", env=env
    )
    assert refused.exit_code == 2 and "needs a unit" in refused.output
