"""The monthly report job: due at 06:30 on the first working day, built, stored and e-mailed once."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.models import Delivery, ReportRun, Unit, Violation
from monitor.reports.sending import (
    first_working_day_of_month,
    monthly_report_job,
    report_due,
    send_report,
)
from monitor.reports.service import current_run
from tests.alerts_support import at, smtp_sink
from tests.conftest import build_settings
from tests.rules_support import CALENDAR, case, store

SIX_THIRTY = dt.time(6, 30)


def test_january_starts_on_the_next_working_day_after_new_year() -> None:
    assert first_working_day_of_month(CALENDAR, 2026, 1) == dt.date(2026, 1, 2)
    assert first_working_day_of_month(CALENDAR, 2027, 1) == dt.date(2027, 1, 4)  # Fri holiday, then a weekend
    assert first_working_day_of_month(CALENDAR, 2026, 3) == dt.date(2026, 3, 2)  # 1/3 is a Sunday
    assert first_working_day_of_month(CALENDAR, 2026, 4) == dt.date(2026, 4, 1)


def test_the_report_is_due_from_six_thirty_on_the_first_working_day() -> None:
    assert report_due(at("2027-01-01 09:00"), CALENDAR, SIX_THIRTY, None) is None  # New Year
    assert report_due(at("2027-01-04 06:29"), CALENDAR, SIX_THIRTY, None) is None
    assert report_due(at("2027-01-04 06:30"), CALENDAR, SIX_THIRTY, None) == "2026-12"
    assert report_due(at("2027-01-04 06:30"), CALENDAR, SIX_THIRTY, "2026-12") is None
    assert report_due(at("2027-01-20 10:00"), CALENDAR, SIX_THIRTY, "2026-11") == "2026-12"  # caught up


def december(session: Session) -> None:
    session.add_all(
        [Unit(code="U1", name="Phòng Tư pháp – Hộ tịch"), Unit(code="U2", name="Phòng Quản lý đất đai")]
    )
    due = "2026-12-10 17:00"
    store(
        session,
        case(1, status=10, received="2026-12-01 08:00", appointed=due, finished="2026-12-09 10:00"),
        case(2, status=10, received="2026-12-01 08:00", appointed=due, finished="2026-12-14 10:00"),
    )
    session.flush()
    session.add(
        Violation(rule="overdue_return", dossier_id=2, unit_code="U1", detected_at=at("2026-12-14 10:15"))
    )


def report_settings(settings: Settings, recipients: list[str]) -> Settings:
    return build_settings(
        {
            "database": {"url": settings.database.url},
            "reports": {"recipients": recipients},
            "web": {"public_url": "https://tthc.so.example.vn"},
        }
    )


def test_the_job_builds_stores_and_mails_last_months_report_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    with smtp_sink() as sink:
        configured = report_settings(settings, [sink.url("giamdoc@so.example.vn")])

        def job(when: str) -> str | None:
            return monthly_report_job(configured, sessions, at(when), calendar=CALENDAR, env={}).month

        assert job("2027-01-01 07:00") is None  # 1 January is a holiday
        assert job("2027-01-04 06:29") is None
        assert job("2027-01-04 06:30") == "2026-12"
        assert job("2027-01-04 06:45") is None
        assert job("2027-01-05 06:30") is None

    assert len(sink.received) == 1
    mail = sink.received[0]
    assert mail.recipients == ["giamdoc@so.example.vn"]
    assert mail.message["Subject"].startswith("Báo cáo rủi ro mức độ hài lòng tháng 12/2026")
    assert "https://tthc.so.example.vn/reports/2026-12" in mail.part("html")
    files = {part.get_filename(): part.get_payload(decode=True) for part in mail.message.iter_attachments()}
    assert set(files) == {"bao-cao-rui-ro-hai-long-2026-12.pdf", "bao-cao-rui-ro-hai-long-2026-12.xlsx"}
    assert files["bao-cao-rui-ro-hai-long-2026-12.pdf"].startswith(b"%PDF")
    summary = pd.read_excel(io.BytesIO(files["bao-cao-rui-ro-hai-long-2026-12.xlsx"]), header=2)
    assert summary["Đơn vị"].tolist() == ["Phòng Tư pháp – Hộ tịch", "Phòng Quản lý đất đai", "Toàn Sở"]

    with sessions() as session:
        run = current_run(session, "2026-12")
        assert run is not None and run.trigger == "schedule" and run.pdf and run.xlsx
        assert run.figures is not None
        total = run.figures["total"]
        assert (total["in_scope"], total["late"], total["violations"]["overdue_return"]) == (2, 1, 1)
        assert session.scalar(select(func.count()).select_from(ReportRun)) == 1
        delivery = session.scalars(select(Delivery)).one()
        assert (delivery.kind, delivery.key, delivery.status) == ("report", "2026-12", "sent")


def test_a_second_scheduler_sends_nothing_and_a_resend_must_be_asked(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    with smtp_sink() as sink:
        configured = report_settings(settings, [sink.url("giamdoc@so.example.vn")])
        first = monthly_report_job(configured, sessions, at("2027-01-04 06:30"), calendar=CALENDAR, env={})
        with sessions() as session:
            run = current_run(session, "2026-12")
        assert run is not None
        again = send_report(sessions, configured, run, at("2027-01-04 06:31"), env={})
        assert first.delivery is not None and len(first.delivery.sent) == 1
        assert again.sent == [] and len(again.skipped) == 1
        assert len(sink.received) == 1
        resent = send_report(sessions, configured, run, at("2027-01-06 09:00"), resend=True, env={})
        assert len(resent.sent) == 1
        assert len(sink.received) == 2


def test_a_recipient_that_cannot_be_reached_is_recorded_as_failed(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    configured = report_settings(settings, [{"url_env": "MONITOR_REPORT_TEAMS_URL"}])  # type: ignore[list-item]
    result = monthly_report_job(configured, sessions, at("2027-01-04 06:30"), calendar=CALENDAR, env={})
    assert result.delivery is not None
    assert list(result.delivery.failed.values()) == [
        "environment variable MONITOR_REPORT_TEAMS_URL (an alert recipient) is not set"
    ]
    with sessions() as session:
        assert session.scalars(select(Delivery.status)).all() == ["failed"]


def test_a_disabled_report_is_never_built(settings: Settings, sessions: sessionmaker[Session]) -> None:
    configured = build_settings({"database": {"url": settings.database.url}, "reports": {"enabled": False}})
    assert monthly_report_job(configured, sessions, at("2027-01-04 06:30"), calendar=CALENDAR).month is None
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ReportRun)) == 0


@pytest.mark.parametrize("when", ["2026-12-31 23:59", "2027-01-02 12:00"])
def test_nothing_is_due_before_the_first_working_day(when: str) -> None:
    assert report_due(at(when), CALENDAR, SIX_THIRTY, "2026-11") is None


def test_the_scheduler_fires_the_report_job_daily_at_six_thirty_and_at_start(settings: Settings) -> None:
    from apscheduler.triggers.cron import CronTrigger

    from monitor.scheduler import job_table

    jobs = {j.id: j for j in job_table(settings, sessionmaker(), env={})}
    job = jobs["monthly-report"]
    assert isinstance(job.trigger, CronTrigger)
    assert job.trigger.get_next_fire_time(None, at("2027-01-04 06:00")) == at("2027-01-04 06:30")
    assert job.at_start  # the catch-up after a scheduler that was down: the job decides what is due
    disabled = build_settings({"database": {"url": settings.database.url}, "reports": {"enabled": False}})
    assert "monthly-report" not in {j.id for j in job_table(disabled, sessionmaker(), env={})}
