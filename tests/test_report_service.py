"""Building a report from the database: only the trend window is read, failures are recorded on the run."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.frames import load_frames
from monitor.models import ReportRun, Unit
from monitor.reports.figures import build_report
from monitor.reports.service import ReportError, compute_report, generate, violation_counts
from tests.alerts_support import at
from tests.rules_support import CALENDAR, case, store
from tests.test_report_schedule import december


def test_reading_only_the_trend_window_gives_the_figures_of_reading_everything(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
        store(
            session,
            # Ended before July 2026, the trend's first month: cannot count, so it is not read.
            case(
                10,
                status=10,
                received="2025-03-02 08:00",
                appointed="2025-03-09 17:00",
                finished="2025-03-20 09:00",
            ),
            # Received long ago but still open: late in every month of the trend.
            case(11, status=4, received="2025-03-02 08:00", appointed="2025-03-09 17:00"),
            case(
                12,
                status=7,
                received="2026-06-01 08:00",
                appointed="2026-06-08 17:00",
                updated="2026-07-02 09:00",
            ),
            case(13, status=1, received="2026-12-01 08:00", appointed="2026-12-08 17:00"),
        )
    with sessions() as session:
        report = compute_report(session, settings, CALENDAR, "2026-12")
        units = [(u.code, u.name) for u in session.scalars(select(Unit).order_by(Unit.code))]
        everything = build_report(
            load_frames(session),
            CALENDAR,
            settings.rules,
            "2026-12",
            units=units,
            violations=violation_counts(session, "2026-12"),
        )
    assert report == everything
    assert [t["in_scope"] for t in report["trend"]] == [2, 1, 1, 1, 1, 3]


def test_a_failed_build_is_recorded_on_the_run_and_named_in_the_error(
    settings: Settings, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_report: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr("monitor.reports.service.render_pdf", broken)
    with pytest.raises(ReportError, match="báo cáo tháng 2026-12 không tạo được: OSError: disk full"):
        generate(sessions, settings, CALENDAR, "2026-12", now=at("2027-01-04 06:30"), trigger="schedule")
    with sessions() as session:
        run = session.scalars(select(ReportRun)).one()
        assert (run.status, run.error, run.pdf) == ("failed", "OSError: disk full", None)


def test_an_unknown_trigger_or_month_is_refused_before_anything_is_stored(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with pytest.raises(ValueError, match="unknown trigger 'cron'"):
        generate(sessions, settings, CALENDAR, "2026-12", now=at("2027-01-04 06:30"), trigger="cron")
    with pytest.raises(ValueError, match="'2026-1' is not a month"):
        generate(sessions, settings, CALENDAR, "2026-1", now=at("2027-01-04 06:30"), trigger="manual")
    with sessions() as session:
        assert session.scalars(select(ReportRun)).all() == []
