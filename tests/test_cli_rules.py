"""`monitor evaluate`, `monitor dossiers` and `monitor violations` on both backends."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from monitor.cli import main
from monitor.cli_rules import DOSSIER_FIELDS, VIOLATION_FIELDS
from tests.rules_support import at, case, store


def run(db_url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"MONITOR_DATABASE_URL": db_url, "MONITOR_CONFIG": ""})
    return result.exit_code, result.stdout, result.stderr


def stored(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        store(
            session,
            case(1, status=4, unit="U1", steps=[("U2", "2026-02-03 08:00", None)]),
            case(
                2,
                status=10,
                unit="U2",
                finished="2026-02-06 10:00",
                supplements=[("2026-02-03 08:00", "2026-02-03 09:00")],
            ),
            case(3, status=4, unit="U2", received="2026-02-09 08:00"),
        )


def test_evaluate_prints_the_summary_as_json(db_url: str, sessions: sessionmaker[Session]) -> None:
    stored(sessions)
    code, out, _ = run(db_url, "evaluate", "--now", "2026-02-10T09:00", "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["opened"], summary["resolved"], summary["open_total"]) == (3, 0, 3)
    assert summary["now"] == "2026-02-10T09:00:00+07:00"
    code, out, _ = run(db_url, "evaluate", "--now", "2026-02-10T09:00")
    assert code == 0
    assert "Đánh giá lúc 10/02/2026 09:00" in out
    assert "phát hiện 0 vi phạm" in out


def test_evaluate_names_a_bad_time(db_url: str) -> None:
    code, _, err = run(db_url, "evaluate", "--now", "tomorrow")
    assert code == 2
    assert "'tomorrow' is not an ISO 8601 time" in err


def test_dossiers_lists_the_judged_fields_in_json(db_url: str, sessions: sessionmaker[Session]) -> None:
    stored(sessions)
    run(db_url, "evaluate", "--now", "2026-02-10T09:00")
    code, out, _ = run(db_url, "dossiers", "--unit", "U2", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["code"] for r in rows] == ["H48-000002", "H48-000003"]
    assert tuple(rows[0]) == DOSSIER_FIELDS
    assert rows[0]["due_at"] == "2026-02-09T08:00:00+07:00"
    assert rows[0]["effective_due_at"] == "2026-02-09T09:00:00+07:00"
    assert rows[0]["end_at"] == "2026-02-06T10:00:00+07:00"
    assert (rows[0]["supplement_requests"], rows[0]["paused"], rows[0]["due_soon"]) == (1, False, False)
    assert rows[1]["end_at"] is None


def test_dossiers_filters_by_code_and_due_soon(db_url: str, sessions: sessionmaker[Session]) -> None:
    stored(sessions)
    # Dossier 3 is due Monday 23/02 08:00, after Tết: within 8 working hours of Friday 13/02 16:00.
    run(db_url, "evaluate", "--now", "2026-02-13T16:00")
    _, out, _ = run(db_url, "dossiers", "--code", "H48-000003", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == ["H48-000003"]
    _, out, _ = run(db_url, "dossiers", "--due-soon", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == ["H48-000003"]


def test_dossiers_as_a_vietnamese_table(db_url: str, sessions: sessionmaker[Session]) -> None:
    stored(sessions)
    run(db_url, "evaluate", "--now", "2026-02-10T09:00")
    code, out, _ = run(db_url, "dossiers")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["Mã", "hồ"]
    assert "09/02/2026 08:00" in out
    assert "Đang xử lý" in out and "Đã trả kết quả" in out
    assert "Tổng: 3" in out


def test_violations_in_json_csv_and_table(db_url: str, sessions: sessionmaker[Session]) -> None:
    stored(sessions)
    run(db_url, "evaluate", "--now", "2026-02-10T09:00")
    code, out, _ = run(db_url, "violations", "--unit", "U2", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["rule"], r["dossier_code"], r["step"]) for r in rows] == [("step_overdue", "H48-000001", 1)]
    assert tuple(rows[0]) == VIOLATION_FIELDS
    assert rows[0]["detected_at"] == "2026-02-10T09:00:00+07:00"
    assert rows[0]["details"]["in_progress"] is True

    code, out, _ = run(db_url, "violations", "--rule", "overdue_open", "--status", "open", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [(r["rule"], r["dossier_code"], r["step"]) for r in parsed] == [("overdue_open", "H48-000001", "")]
    assert json.loads(parsed[0]["details"]) == {"effective_due": "2026-02-09T08:00:00+07:00"}

    code, out, _ = run(db_url, "violations", "--rule", "overdue_open")
    assert "Đang quá hạn" in out and "Chưa giải trình" in out and "10/02/2026 09:00" in out
    code, out, _ = run(db_url, "violations", "--status", "resolved")
    assert out == "Không có vi phạm nào.\n"


def test_violations_refuses_an_unknown_rule(db_url: str) -> None:
    code, _, err = run(db_url, "violations", "--rule", "due_soon")
    assert code == 2
    assert "due_soon" in err


def test_the_stored_instants_are_those_of_the_evaluation(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    stored(sessions)
    run(db_url, "evaluate", "--now", "2026-02-10T09:00:00+07:00")
    with sessions() as session:
        from monitor.models import Judgement

        assert session.get_one(Judgement, 1).evaluated_at == at("2026-02-10 09:00")
