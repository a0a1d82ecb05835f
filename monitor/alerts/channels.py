"""Recipients as apprise URLs: where the secrets come from, how a recipient is named without them, and
one send. E-mail gets the HTML body (apprise adds the plain-text part); chat channels get plain text."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import apprise

from monitor.alerts.render import Message
from monitor.config import AlertsSettings, Recipient

EMAIL_SCHEMES = ("mailto", "mailtos")
LABEL_LENGTH = 400


class RecipientError(Exception):
    """A recipient cannot be used at all (missing secret, URL apprise refuses): not worth retrying."""


@dataclass(frozen=True)
class Target:
    label: str  # the URL with secrets masked, shown on the sync page and stored in the outbox
    target_hash: str  # identifies the configured recipient (as written, without secrets from the env)
    url: str  # the URL to send to, secrets included: never stored

    @property
    def is_email(self) -> bool:
        return self.url.split("://", 1)[0].lower() in EMAIL_SCHEMES


def written(recipient: Recipient) -> str:
    """The recipient as the configuration spells it."""
    return recipient if isinstance(recipient, str) else f"env:{recipient.url_env}"


def target_hash(recipient: Recipient) -> str:
    return hashlib.sha256(written(recipient).encode()).hexdigest()


def _with_smtp_credentials(url: str, alerts: AlertsSettings, env: Mapping[str, str]) -> str:
    """Put the SMTP user and password from the environment into a mailto URL that has none."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in EMAIL_SCHEMES or "@" in parts.netloc:
        return url
    user = env.get(alerts.smtp_user_env) if alerts.smtp_user_env else None
    password = env.get(alerts.smtp_password_env) if alerts.smtp_password_env else None
    if not user:
        return url
    credentials = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    return urlunsplit(parts._replace(netloc=f"{credentials}@{parts.netloc}"))


def resolve(recipient: Recipient, alerts: AlertsSettings, env: Mapping[str, str]) -> Target:
    """The URL to send to, with its secrets; raises RecipientError naming what is missing."""
    if isinstance(recipient, str):
        url = recipient
    else:
        value = env.get(recipient.url_env)
        if not value:
            raise RecipientError(f"environment variable {recipient.url_env} (an alert recipient) is not set")
        url = value
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        raise RecipientError(f"apprise cannot use the recipient {written(recipient)!r}")
    # The label comes from the URL before the SMTP credentials go in: the same recipient keeps the
    # same outbox key (and is not sent twice) even when the credentials change during the day.
    shown: str = plugin.url(privacy=True)  # type: ignore[no-untyped-call]
    label = shown.split("?", 1)[0][:LABEL_LENGTH]
    return Target(
        label=label, target_hash=target_hash(recipient), url=_with_smtp_credentials(url, alerts, env)
    )


def send(target: Target, message: Message) -> str | None:
    """Deliver one message; None on success, else what went wrong (from apprise's log)."""
    notifier = apprise.Apprise()
    if not notifier.add(target.url):
        return f"apprise cannot use {target.label}"
    body, body_format = (
        (message.html, apprise.NotifyFormat.HTML)
        if target.is_email
        else (message.text, apprise.NotifyFormat.TEXT)
    )
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        ok = notifier.notify(title=message.subject, body=body, body_format=body_format)
        log = captured.getvalue().strip()
    if ok:
        return None
    return log.splitlines()[-1] if log else f"delivery to {target.label} failed"
