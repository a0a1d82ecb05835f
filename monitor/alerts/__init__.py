"""Alerts: the daily digest per unit and the office's connector alerts, queued in the outbox and
delivered through apprise (e-mail, Telegram, Teams, webhooks).

digest (what to say, pure) → render (Jinja templates) → outbox (one row per recipient, day and kind)
→ channels (apprise). `jobs` ties them together for the scheduler and `monitor alerts send`."""
