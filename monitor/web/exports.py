"""Exports of exactly the filtered violations, in the list's order: CSV (UTF-8 with BOM, so Excel reads
the diacritics) and XLSX. The machine-readable columns keep the command line's field names."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask import Response
from openpyxl import Workbook
from sqlalchemy.orm import Session, sessionmaker

from monitor.timeutil import fmt_datetime
from monitor.web.labels import RULE_LABELS, STATUS_LABELS
from monitor.web.queries import ViolationFilter, all_rows

HEADER = [
    "id",
    "rule",
    "Loại vi phạm",
    "dossier_code",
    "unit_code",
    "step",
    "status",
    "Trạng thái",
    "Phát hiện lúc",
    "Giải trình",
    "Ý kiến Văn phòng",
]


def rows(session: Session, f: ViolationFilter) -> Iterator[list[Any]]:
    for v, code in all_rows(session, f):
        yield [
            v.id,
            v.rule,
            RULE_LABELS.get(v.rule, v.rule),
            code,
            v.unit_code,
            v.step or "",
            v.status,
            STATUS_LABELS.get(v.status, v.status),
            fmt_datetime(v.detected_at),
            v.explanation or "",
            v.review_comment or "",
        ]


def _name(f: ViolationFilter, ext: str) -> str:
    parts = ["vi-pham", f.unit or "tat-ca"]
    if f.rule:
        parts.append(f.rule)
    return "-".join(parts) + f".{ext}"


def csv_response(sessions: sessionmaker[Session], f: ViolationFilter) -> Response:
    """Streamed with a session of its own, closed when the stream ends or is abandoned, so a long
    download never holds the request's session (and its locks) open."""

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(HEADER)
        with sessions() as session:
            for n, row in enumerate(rows(session, f), 1):
                writer.writerow(row)
                if n % 1000 == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    return Response(
        generate(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_name(f, "csv")}"'},
    )


def xlsx_response(session: Session, f: ViolationFilter) -> Response:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Vi phạm")
    sheet.append(HEADER)
    for row in rows(session, f):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_name(f, "xlsx")}"'},
    )
