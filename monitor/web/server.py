"""gunicorn, embedded: `monitor serve` builds the app from the settings it was given."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from monitor.config import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from monitor.web import create_app

        return create_app(self._settings)


def serve(settings: Settings, bind: str, workers: int) -> None:
    options = {"bind": bind, "workers": workers, "accesslog": "-", "timeout": 60, "graceful_timeout": 20}
    _Gunicorn(settings, options).run()
