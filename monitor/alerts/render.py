"""Messages from Jinja templates (`templates/alerts/`): a subject, a plain-text body for chat channels
and an HTML body for e-mail, all in Vietnamese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from monitor.alerts.digest import Digest
from monitor.timeutil import fmt_date, fmt_datetime

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "alerts"


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def environment(folder: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["d"] = fmt_date
    env.filters["dt"] = fmt_datetime
    return env


def _render(env: Environment, name: str, context: dict[str, Any]) -> Message:
    subject = env.get_template(f"{name}.subject.txt").render(context).strip()
    text = env.get_template(f"{name}.txt").render(context)
    html = env.get_template(f"{name}.html").render(context)
    return Message(subject=" ".join(subject.split()), text=text, html=html)


def render_digest(digest: Digest, env: Environment | None = None) -> Message:
    return _render(env or environment(), "digest", {"d": digest})


def render_connector_alert(
    *,
    connector: str,
    healthy: bool,
    since: dt.datetime,
    last_success: dt.datetime | None,
    error: str | None,
    public_url: str,
    env: Environment | None = None,
) -> Message:
    """The office's notice that a connector went down (stale or failing) or came back."""
    context = {
        "connector": connector,
        "healthy": healthy,
        "since": since,
        "last_success": last_success,
        "error": error,
        "link": f"{public_url.rstrip('/')}/sync",
    }
    return _render(env or environment(), "connector", context)
