"""§6 indicators on a small month computed by hand (February 2026; Tết is 16–20/02)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from monitor.config import RulesSettings
from monitor.indicators import FIGURE_KEYS, month_bounds, monthly_trend, period_figures
from tests.rules_support import CALENDAR, Case, case, frames_of

FEB = month_bounds("2026-02")
UNITS = [("U1", "Phòng Một"), ("U2", "Phòng Hai"), ("U3", "Phòng Ba")]
# Received Monday 02/02 08:00 with 5 working days: due Monday 09/02 08:00.


def february() -> list[Case]:
    return [
        case(1, status=10, finished="2026-02-06 10:00"),  # early
        case(2, status=10, finished="2026-02-09 07:30"),  # on the day
        case(3, status=10, finished="2026-02-09 09:00", complaint=True),  # late and dissatisfied
        case(
            4,
            status=10,
            finished="2026-02-04 10:00",
            supplements=[("2026-02-03 08:00", "2026-02-03 09:00"), ("2026-02-03 10:00", "2026-02-03 11:00")],
        ),  # early by the clock, late by 766 (two supplement requests)
        case(5, status=4),  # still open at the end of the month: judged at 28/02 23:59:59, late
        case(6, status=5, supplements=[("2026-02-05 08:00", None)]),  # waiting on its only request: early
        case(
            7, status=10, received="2026-02-23 08:00", finished="2026-03-02 07:30"
        ),  # open at the end: early
        case(8, status=10, received="2026-01-05 08:00", finished="2026-01-30 10:00"),  # ended before: out
        case(9, status=3),  # refused at intake: out
        case(10, status=1),  # not received: out
        case(11, status=4, received="2026-03-02 08:00"),  # received after the month: out
        case(12, status=4, limit=None),  # no due at all: undetermined
        case(13, status=7, updated="2026-02-10 09:00"),  # withdrawn after its due: late
        case(14, status=10, unit="U2", finished="2026-02-05 10:00", rating=3),  # early, dissatisfied
    ]


def figures_by_unit(cases: list[Case], rules: RulesSettings | None = None) -> dict[str | None, dict]:
    result = period_figures(frames_of(*cases), CALENDAR, rules or RulesSettings(), *FEB, units=UNITS)
    return {f["unit_code"]: f for f in [*result.units, result.total]}


def test_a_hand_computed_month() -> None:
    figures = figures_by_unit(february())
    u1 = figures["U1"]
    assert {k: u1[k] for k in ("in_scope", "undetermined", "on_time", "early", "on_day", "late")} == {
        "in_scope": 8,
        "undetermined": 1,
        "on_time": 4,
        "early": 3,
        "on_day": 1,
        "late": 4,
    }
    assert u1["on_time_rate"] == 0.5
    assert u1["progress_points"] == 10.0
    assert u1["dissatisfied"] == 1
    assert u1["satisfaction_proxy"] == pytest.approx(3 / 8)
    assert u1["risk_band"] == "high"
    assert u1["unit_name"] == "Phòng Một"

    total = figures[None]
    assert (total["in_scope"], total["on_time"], total["late"], total["dissatisfied"]) == (9, 5, 4, 2)
    assert total["on_time_rate"] == pytest.approx(5 / 9)
    assert total["unit_name"] is None


def test_every_listed_unit_appears_and_an_empty_scope_has_no_rate() -> None:
    u3 = figures_by_unit(february())["U3"]
    assert tuple(u3) == FIGURE_KEYS
    assert u3["in_scope"] == 0
    assert (u3["on_time_rate"], u3["progress_points"], u3["satisfaction_proxy"], u3["risk_band"]) == (
        None,
        None,
        None,
        None,
    )


def test_an_empty_period_yields_no_rate_for_anyone() -> None:
    result = period_figures(frames_of(), CALENDAR, RulesSettings(), *FEB, units=UNITS)
    assert [f["unit_code"] for f in result.units] == ["U1", "U2", "U3"]
    assert result.total["in_scope"] == 0
    assert result.total["on_time_rate"] is None
    assert result.total["risk_band"] is None


def test_early_on_the_day_and_late_add_up_to_the_scope() -> None:
    for figures in figures_by_unit(february()).values():
        assert figures["early"] + figures["on_day"] + figures["late"] == figures["in_scope"]
        assert figures["early"] + figures["on_day"] == figures["on_time"]


def test_a_past_month_is_the_same_whatever_happened_afterwards() -> None:
    before = figures_by_unit(february())
    later = february()
    later[4] = dataclasses.replace(later[4], status=10, finished="2026-03-10 10:00")
    later[5] = dataclasses.replace(
        later[5],
        status=10,
        supplements=[("2026-02-05 08:00", "2026-03-03 08:00")],
        finished="2026-03-05 08:00",
    )
    later.append(case(15, status=10, received="2026-03-02 08:00", finished="2026-03-03 08:00"))
    later[0] = dataclasses.replace(
        later[0], supplements=[("2026-03-01 08:00", None), ("2026-03-02 08:00", None)]
    )
    assert figures_by_unit(later) == before


@pytest.mark.parametrize(
    ("on_time", "late", "dissatisfied", "band"),
    [(9, 1, 0, "low"), (10, 0, 1, "low"), (8, 2, 0, "medium"), (8, 0, 2, "medium"), (7, 3, 0, "high")],
)
def test_the_risk_band_follows_the_766_thresholds(
    on_time: int, late: int, dissatisfied: int, band: str
) -> None:
    cases = [case(i, status=10, finished="2026-02-05 10:00") for i in range(1, on_time + 1)]
    cases += [case(100 + i, status=10, finished="2026-02-12 10:00") for i in range(late)]
    cases += [case(200 + i, status=10, finished="2026-02-05 10:00", rating=3) for i in range(dissatisfied)]
    total = figures_by_unit(cases)[None]
    assert total["risk_band"] == band


def test_a_late_dossier_with_a_bad_rating_counts_in_both_shares() -> None:
    cases = [case(i, status=10, finished="2026-02-05 10:00") for i in range(1, 10)]
    cases.append(case(10, status=10, finished="2026-02-12 10:00", rating=3))
    total = figures_by_unit(cases)[None]
    assert total["on_time_rate"] == 0.9
    assert total["dissatisfied"] == 1
    assert total["satisfaction_proxy"] == 0.8


def test_the_supplement_limit_is_a_setting() -> None:
    two = [
        case(
            4,
            status=10,
            finished="2026-02-04 10:00",
            supplements=[("2026-02-03 08:00", "2026-02-03 09:00")] * 2,
        )
    ]
    assert figures_by_unit(two)[None]["late"] == 1
    assert figures_by_unit(two, RulesSettings(max_supplement_requests=2))[None]["early"] == 1


def test_a_monthly_trend_gives_one_figure_set_per_month() -> None:
    cases = [
        case(1, status=10, finished="2026-02-06 10:00"),
        case(2, status=10, received="2026-03-02 08:00", finished="2026-03-02 10:00"),
    ]
    trend = monthly_trend(frames_of(*cases), CALENDAR, RulesSettings(), ["2026-01", "2026-02", "2026-03"])
    assert [(p.label, p.total["in_scope"]) for p in trend] == [("2026-01", 0), ("2026-02", 1), ("2026-03", 1)]


@pytest.mark.parametrize("bad", ["2026-13", "2026-2", "february", ""])
def test_a_badly_written_month_is_refused_by_name(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_bounds(bad)


def test_month_bounds_know_the_length_of_february() -> None:
    assert month_bounds("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
