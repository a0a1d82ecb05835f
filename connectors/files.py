"""The `file` connector: exports dropped in a folder (JSON, JSON lines, XLSX, CSV; center-api.md).

Each file is read once (the sync remembers its content hash); every row goes through the same validation
as the API's records, so a bad row is rejected on its own and the rest of the file goes in.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.base import DossierRecord, Page, RejectedRecord
from connectors.records import RecordError, RecordParser

SUFFIXES = (".json", ".jsonl", ".ndjson", ".xlsx", ".csv")
# XLSX sheets holding the nested lists, and the key each list has in a record.
NESTED_SHEETS = {"BoSung": "DanhSachHoSoBoSung", "QuaTrinhXuLy": "QuaTrinhXuLy", "XinLoi": "DanhSachXinLoi"}


@dataclass(frozen=True)
class FileBatch:
    filename: str
    sha256: str
    page: Page


class FileSource:
    """Reads the exports in one folder, oldest name first."""

    def __init__(self, folder: Path, parser: RecordParser | None = None) -> None:
        self.folder = folder
        self.parser = parser or RecordParser()

    def batches(self, seen: set[str]) -> Iterator[FileBatch]:
        """One batch per file whose content hash is not in `seen`."""
        if not self.folder.is_dir():
            from connectors.base import ConnectorError

            raise ConnectorError(f"export folder {self.folder} does not exist", permanent=True)
        for path in sorted(p for p in self.folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()):
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            yield FileBatch(path.name, digest, self.read(path.name, content))

    def read(self, filename: str, content: bytes) -> Page:
        """Validate every row of one export."""
        records: list[DossierRecord] = []
        rejected: list[RejectedRecord] = []
        for item in _rows(filename, content):
            if isinstance(item, RejectedRecord):
                rejected.append(item)
                continue
            try:
                records.append(self.parser.dossier(item))
            except RecordError as exc:
                rejected.append(self.parser.reject(item, f"{filename}: {exc}"))
        last = max((r.updated_at for r in records), default=None)
        return Page(tuple(records), tuple(rejected), last, len(records) + len(rejected))


def _rows(filename: str, content: bytes) -> Iterable[dict[str, Any] | RejectedRecord]:
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".json":
            return _json(filename, content)
        if suffix in (".jsonl", ".ndjson"):
            return list(_json_lines(filename, content))
        if suffix == ".csv":
            return _csv(content)
        return _xlsx(filename, content)
    except (ValueError, KeyError, OSError) as exc:
        return [_file_reject(filename, f"cannot read the file: {exc}")]


def _file_reject(filename: str, reason: str) -> RejectedRecord:
    return RejectedRecord(key=None, reason=f"{filename}: {reason}", payload={"file": filename})


def _json(filename: str, content: bytes) -> list[dict[str, Any] | RejectedRecord]:
    try:
        body = json.loads(content.decode("utf-8-sig"))
    except ValueError as exc:
        return [_file_reject(filename, f"not valid JSON ({exc})")]
    data = body.get("data") if isinstance(body, dict) else body
    if not isinstance(data, list):
        return [_file_reject(filename, 'expected a list of records or an object with a "data" list')]
    return data


def _json_lines(filename: str, content: bytes) -> Iterator[dict[str, Any] | RejectedRecord]:
    for n, line in enumerate(content.decode("utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except ValueError as exc:
            yield RejectedRecord(None, f"{filename} line {n}: not valid JSON ({exc})", {"line": n})


def _csv(content: bytes) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return [{k.strip(): v for k, v in row.items() if k} for row in reader]


def _cell(value: Any) -> Any:
    """Spreadsheet cells to what the parser expects: a 14-digit time typed as a number becomes text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


def _sheet(workbook: Any, name: str) -> list[dict[str, Any]]:
    rows = workbook[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    out = []
    for values in rows:
        if values is None or all(v is None for v in values):
            continue
        out.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
    return out


def _xlsx(filename: str, content: bytes) -> list[dict[str, Any] | RejectedRecord]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        if "HoSo" not in workbook.sheetnames:
            return [_file_reject(filename, f'no sheet "HoSo" (sheets: {", ".join(workbook.sheetnames)})')]
        dossiers = _sheet(workbook, "HoSo")
        by_code = {str(d.get("MaHoSo", "")).strip(): d for d in dossiers}
        for sheet, key in NESTED_SHEETS.items():
            for d in dossiers:
                d[key] = []
            if sheet not in workbook.sheetnames:
                continue
            for row in _sheet(workbook, sheet):
                owner = by_code.get(str(row.pop("MaHoSo", "")).strip())
                if owner is not None:
                    owner[key].append(row)
        return list(dossiers)
    finally:
        workbook.close()
