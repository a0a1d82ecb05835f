"""The reference center API (center-api.md): a session with timeouts, bounded retries and paging.

Transient failures (timeouts, connection errors, HTTP 5xx, 429, a page that is not JSON) are retried
with exponential backoff, honouring `Retry-After`; a refused token (401/403, `error_code` "01") fails at
once. The sleep is injected so the retries are tested without waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from connectors.base import LOCAL_TZ, ConnectorError, Page, ProcedureRecord, RejectedRecord, UnitRecord
from connectors.records import DEFAULT_DATE_FORMAT, RecordError, RecordParser

DEFAULT_PATHS = {"dossiers": "/api/v1/hoso", "units": "/api/v1/donvi", "procedures": "/api/v1/thutuc"}
DEFAULT_PARAMS = {"since": "tu_ngay", "page": "trang", "page_size": "so_ban_ghi"}
MAX_RETRY_AFTER = 300.0


@dataclass(frozen=True)
class HttpOptions:
    """How to reach one center; every dialect difference is a value here, not code."""

    base_url: str
    token: str | None = None
    page_size: int = 500
    timeout_seconds: float = 30
    max_retries: int = 5
    backoff_seconds: float = 1.0
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    date_format: str = DEFAULT_DATE_FORMAT
    paths: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)


class _TransientError(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HttpConnector:
    """Pulls units, procedures and dossier pages from one center."""

    def __init__(
        self,
        options: HttpOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.options = options
        self.parser = RecordParser(options.date_format, options.fields)
        self._sleep = sleep
        self._session = session or requests.Session()
        self._paths = {**DEFAULT_PATHS, **options.paths}
        self._params = {**DEFAULT_PARAMS, **options.params}
        if options.token:
            if not options.token.isascii():
                raise ConnectorError(
                    "the token holds non-ASCII characters; an HTTP header cannot carry them", True
                )
            scheme = f"{options.auth_scheme} " if options.auth_scheme else ""
            self._session.headers[options.auth_header] = f"{scheme}{options.token}"

    def close(self) -> None:
        self._session.close()

    # ------------------------------------------------------------------ requests

    def _url(self, kind: str) -> str:
        return self.options.base_url.rstrip("/") + self._paths[kind]

    def get(self, kind: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One answer, retried while the failure is transient; ConnectorError when it gives up."""
        url = self._url(kind)
        attempt = 0
        while True:
            try:
                return self._once(url, params)
            except _TransientError as exc:
                if attempt >= self.options.max_retries:
                    tries = attempt + 1
                    raise ConnectorError(f"{url}: {exc} (gave up after {tries} attempts)") from None
                delay = self.options.backoff_seconds * 2**attempt
                if exc.retry_after is not None:
                    delay = max(delay, exc.retry_after)
                attempt += 1
                self._sleep(delay)

    def _once(self, url: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
        try:
            response = self._session.get(url, params=params, timeout=self.options.timeout_seconds)
        except requests.Timeout:
            raise _TransientError(f"no answer within {self.options.timeout_seconds:g} s") from None
        except requests.ConnectionError as exc:
            raise _TransientError(f"connection failed ({type(exc).__name__})") from None
        except requests.RequestException as exc:
            raise ConnectorError(f"{url}: request failed: {exc}", permanent=True) from None
        status = response.status_code
        if status in (401, 403):
            raise ConnectorError(
                f"{url}: the center refused the token (HTTP {status}); check the variable named by token_env",
                permanent=True,
            )
        if status == 429:
            wait = _retry_after(response.headers.get("Retry-After"))
            raise _TransientError("HTTP 429 too many requests", wait)
        if status >= 500:
            raise _TransientError(f"HTTP {status}")
        if status != 200:
            raise ConnectorError(f"{url}: unexpected HTTP {status}", permanent=True)
        try:
            body = json.loads(response.content)
        except ValueError:
            raise _TransientError("the answer is not valid JSON") from None
        if not isinstance(body, dict):
            raise _TransientError("the answer is not a JSON object")
        code = str(body.get("error_code", "00"))
        if code == "01":
            raise ConnectorError(
                f"{url}: the center refused the token (error_code 01: {body.get('message') or 'no message'})",
                permanent=True,
            )
        if code != "00":
            raise _TransientError(f"error_code {code}: {body.get('message') or 'no message'}")
        return body

    # ------------------------------------------------------------------ catalogue

    def units(self) -> list[UnitRecord]:
        out = []
        for raw in _data(self.get("units")):
            try:
                out.append(self.parser.unit(raw))
            except RecordError:
                continue  # a nameless unit is useless; dossiers still carry their unit code
        return out

    def procedures(self) -> list[ProcedureRecord]:
        out = []
        for raw in _data(self.get("procedures")):
            try:
                out.append(self.parser.procedure(raw))
            except RecordError:
                continue
        return out

    # ------------------------------------------------------------------ dossiers

    def dossier_pages(self, since: dt.datetime | None) -> Iterator[Page]:
        """Every dossier with `NgayCapNhat >= since`, page by page, in the source's order.

        Each next page restarts from the last `NgayCapNhat` seen (keyset paging through `tu_ngay`) rather
        than asking for the next page number: a dossier that changes during the pull moves to the end of
        the order and, with plain offsets, would shift a record we have not read onto a page we already
        did. Records sharing the boundary second come again and are counted as unchanged. Only when a
        whole page shares one second does the page number advance."""
        size = self.options.page_size
        page_no = 1
        while True:
            params: dict[str, Any] = {self._params["page"]: page_no, self._params["page_size"]: size}
            if since is not None:
                params[self._params["since"]] = since.astimezone(LOCAL_TZ).strftime(self.options.date_format)
            body = self.get("dossiers", params)
            raws = _data(body)
            page = self._page(raws, _int(body.get("tong_so")))
            yield page
            if len(raws) < size:
                return
            last = page.last_updated
            if last is None or (since is not None and last <= since):
                page_no += 1  # the whole page sits on one second (or nothing parsed): plain offsets
            else:
                since, page_no = last, 1

    def _page(self, raws: list[Any], total: int | None) -> Page:
        records = []
        rejected: list[RejectedRecord] = []
        last: dt.datetime | None = None
        for raw in raws:
            try:
                record = self.parser.dossier(raw)
            except RecordError as exc:
                rejected.append(self.parser.reject(raw, str(exc)))
                continue
            records.append(record)
            if last is None or record.updated_at > last:
                last = record.updated_at
        return Page(tuple(records), tuple(rejected), last, total)


def _data(body: Mapping[str, Any]) -> list[Any]:
    data = body.get("data")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConnectorError("the answer's data is not a list", permanent=True)
    return data


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
