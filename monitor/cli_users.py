"""`monitor users add` and `monitor tokens add`: accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click

from monitor.cli import AppContext, fail, main, pass_app
from monitor.db import make_engine, session_factory, transaction
from monitor.models import ROLES


@main.group()
def users() -> None:
    """People who sign in to the web pages."""


@users.command("add")
@click.option("--email", required=True, help="the user's e-mail, used to sign in")
@click.option("--role", required=True, type=click.Choice(ROLES), help="what the user may see and do")
@click.option("--unit", "unit_code", metavar="CODE", help="the unit a unit_head leads")
@click.option("--name", help="the user's name as shown on the pages")
@pass_app
def users_add(app: AppContext, email: str, role: str, unit_code: str | None, name: str | None) -> None:
    """Create a user. The password is read from standard input when one is piped in; otherwise one is
    generated and printed once."""
    from monitor import users as service

    password = None
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n") or None
    engine = make_engine(app.settings.database)
    try:
        with transaction(session_factory(engine)) as session:
            user, plain = service.create_user(
                session, email=email, role=role, unit_code=unit_code, password=password, name=name
            )
            summary = f"created {user.email} ({user.role}{', ' + user.unit_code if user.unit_code else ''})"
    except service.UserError as exc:
        fail(f"cannot create user: {exc}", 2)
    finally:
        engine.dispose()
    click.echo(summary)
    if password is None:
        click.echo(f"password (shown once): {plain}")


@main.group()
def tokens() -> None:
    """Bearer tokens for the JSON API."""


@tokens.command("add")
@click.option("--email", required=True, help="the user the token acts for (same role and unit)")
@click.option("--name", help="a label to recognise the token by")
@pass_app
def tokens_add(app: AppContext, email: str, name: str | None) -> None:
    """Issue an API token; printed once, stored hashed."""
    from monitor import users as service

    engine = make_engine(app.settings.database)
    try:
        with transaction(session_factory(engine)) as session:
            token = service.issue_token(session, email=email, name=name)
    except service.UserError as exc:
        fail(f"cannot issue token: {exc}", 2)
    finally:
        engine.dispose()
    click.echo(token)
