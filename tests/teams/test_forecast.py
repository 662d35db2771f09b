"""The caseload forecast's arithmetic, with fixed dates and fixed figures (no database)."""

import datetime
from decimal import Decimal

import pytest

from ehcflow.teams.caseloads import (
    ForecastInputs,
    Period,
    StaffMember,
    TeamFigures,
    YearGroupChild,
    boundary_ages,
    combine,
    csv_safe,
    expected_cease_on,
    forecast,
    forecast_periods,
    next_september_first,
    per_period,
    period_index,
    staff_target_on,
    year_group_moves,
)
from ehcflow.teams.routing import CohortRule

d = datetime.date


def test_periods_are_the_next_three_months_from_today():
    assert forecast_periods(d(2026, 11, 22)) == [Period(d(2026, 11, 22), d(2026, 12, 22)),
                                                 Period(d(2026, 12, 22), d(2027, 1, 22)),
                                                 Period(d(2027, 1, 22), d(2027, 2, 22))]


def test_periods_from_the_31st_use_the_last_day_of_shorter_months():
    ends = [p.ends_on for p in forecast_periods(d(2027, 1, 31))]
    assert ends == [d(2027, 2, 28), d(2027, 3, 31), d(2027, 4, 30)]
    assert forecast_periods(d(2027, 1, 31))[1].starts_after == d(2027, 2, 28)


def test_a_period_a_year_earlier():
    assert Period(d(2026, 11, 22), d(2026, 12, 22)).a_year_earlier() == Period(d(2025, 11, 22), d(2025, 12, 22))
    assert Period(d(2028, 1, 29), d(2028, 2, 29)).a_year_earlier() == Period(d(2027, 1, 29), d(2027, 2, 28))


@pytest.mark.parametrize("day, index", [
    (None, None),
    (d(2026, 1, 1), 0),  # already due: counts now
    (d(2026, 11, 22), 0),  # today
    (d(2026, 11, 23), 0),
    (d(2026, 12, 22), 0),
    (d(2026, 12, 23), 1),
    (d(2027, 2, 22), 2),
    (d(2027, 2, 23), None),  # beyond the forecast
])
def test_period_index(day, index):
    assert period_index(day, forecast_periods(d(2026, 11, 22))) == index


def test_per_period_counts_dated_events():
    periods = forecast_periods(d(2026, 11, 22))
    assert per_period([d(2025, 1, 1), d(2026, 12, 1), d(2027, 1, 5), d(2027, 1, 6), None, d(2028, 1, 1)],
                      periods) == (2, 2, 0)


def test_forecast_arithmetic():
    periods = forecast_periods(d(2026, 11, 22))
    months = forecast(ForecastInputs(
        held=100, targets=(120, 120, 130), requests=(10.0, 20.0, 30.0), refusal_rate=0.25, recent_requests=8,
        age_limit=(1, 0, 0), ceasing=(0, 2, 0), transfers_out=(0, 0, 1), year_group_out=(0, 0, 0),
        year_group_in=(0, 0, 0)), periods)
    # Month 1: 100 + 10 new - (25% of last month's 8 = 2 refused) - 1 age limit = 107
    assert (months[0].start, months[0].requests, months[0].refused, months[0].end) == (100, 10, 2, 107)
    assert months[0].closures == 3
    assert not months[0].over_target and months[0].percent_of_target == 89
    # Month 2: 107 + 20 - (25% of month 1's 10 = 2.5) - 2 ceasing = 122.5
    assert (months[1].start, months[1].refused, months[1].end) == (107, 2.5, 122.5)
    assert months[1].over_target and months[1].percent_of_target == 102
    # Month 3: 122.5 + 30 - (25% of 20 = 5) - 1 moving council = 146.5, against a target of 130
    assert (months[2].refused, months[2].end, months[2].target) == (5, 146.5, 130)
    assert months[2].period.ends_on == d(2027, 2, 22)


def test_forecast_year_groups_and_no_negative_caseload():
    periods = forecast_periods(d(2026, 6, 15))
    months = forecast(ForecastInputs(held=5, targets=(0, 0, 0), requests=(0, 0, 1), refusal_rate=0.5,
                                     recent_requests=2, year_group_out=(0, 0, 9), year_group_in=(0, 0, 3)),
                      periods)
    assert [m.end for m in months] == [4, 4, 0]  # 5 - 1 refused; then 4 + 1 + 3 arriving - 9 leaving < 0 → 0
    assert months[2].year_group_out == 9 and months[2].year_group_in == 3
    assert months[0].percent_of_target is None  # no target to compare with
    assert months[1].over_target and not months[2].over_target  # any child over a target of none; none is not


def test_combine_adds_teams_month_by_month():
    periods = forecast_periods(d(2026, 11, 22))
    a = forecast(ForecastInputs(held=10, targets=(10, 10, 10), requests=(1, 1, 1), refusal_rate=0,
                                recent_requests=0, ceasing=(1, 0, 0)), periods)
    b = forecast(ForecastInputs(held=20, targets=(15, 15, 16), requests=(2, 0, 0), refusal_rate=0.5,
                                recent_requests=4, year_group_in=(0, 0, 2)), periods)
    total = combine([a, b])
    assert [m.end for m in total] == [10 + 20, 11 + 19, 12 + 21]
    assert [m.target for m in total] == [25, 25, 26]
    assert total[0].ceasing == 1 and total[0].refused == 2 and total[2].year_group_in == 2
    assert combine([]) == []


REFUSED = dict(appeal_registered_on=None, appeal_concluded_on=None, appeal_outcome="")


@pytest.mark.parametrize("kwargs, expected", [
    # Decided to cease, notice sent 20 May 2026: the family may appeal until 20 July (HESC r.20(1)(c)); the plan
    # ends the day after.
    (dict(reason="2", proposed_on=d(2026, 4, 1), decision="cease", decision_on=d(2026, 5, 20),
          notice_sent_on=d(2026, 5, 20), **REFUSED), d(2026, 7, 21)),
    # Notice 15 June: two months ends in August, which the Tribunal's rule moves to the first working day after
    # 31 August (r.12(3)); 31 August 2026 is the summer bank holiday, so 1 September; the plan ends on the 2nd.
    (dict(reason="2", proposed_on=d(2026, 6, 1), decision="cease", decision_on=d(2026, 6, 15),
          notice_sent_on=d(2026, 6, 15), **REFUSED), d(2026, 9, 2)),
    # With the setting off, the plan ends on the decision.
    (dict(reason="2", proposed_on=d(2026, 6, 1), decision="cease", decision_on=d(2026, 6, 15),
          notice_sent_on=d(2026, 6, 15), after_appeal_period=False, **REFUSED), d(2026, 6, 15)),
    # An appeal registered and not concluded: the plan is kept (reg 31); not forecast.
    (dict(reason="2", proposed_on=d(2026, 3, 1), decision="cease", decision_on=d(2026, 4, 1),
          notice_sent_on=d(2026, 4, 1), appeal_registered_on=d(2026, 5, 1), appeal_concluded_on=None,
          appeal_outcome=""), None),
    # Appeal dismissed: the council may cease from the conclusion.
    (dict(reason="2", proposed_on=d(2026, 3, 1), decision="cease", decision_on=d(2026, 4, 1),
          notice_sent_on=d(2026, 4, 1), appeal_registered_on=d(2026, 5, 1), appeal_concluded_on=d(2026, 10, 2),
          appeal_outcome="dismissed"), d(2026, 10, 2)),
    # Not yet decided: three months after the proposal.
    (dict(reason="4", proposed_on=d(2026, 11, 30), decision="", decision_on=None, notice_sent_on=None, **REFUSED),
     d(2027, 2, 28)),
    # The young person has died: no consultation, no notice (ehcflow.ceasing NO_CONSULTATION_REASONS).
    (dict(reason="8", proposed_on=d(2026, 11, 10), decision="", decision_on=None, notice_sent_on=None, **REFUSED),
     d(2026, 11, 10)),
    (dict(reason="8", proposed_on=d(2026, 11, 10), decision="cease", decision_on=d(2026, 11, 12),
          notice_sent_on=None, **REFUSED), d(2026, 11, 12)),
])
def test_expected_cease_on(kwargs, expected):
    assert expected_cease_on(**kwargs) == expected


@pytest.mark.parametrize("today, expected", [
    (d(2026, 6, 15), d(2026, 9, 1)),
    (d(2026, 8, 31), d(2026, 9, 1)),
    (d(2026, 5, 31), None),  # the forecast ends on 31 August
    (d(2026, 6, 1), d(2026, 9, 1)),  # ends on 1 September: included
    (d(2026, 9, 1), None),  # today's 1 September is already counted in today's caseload
    (d(2026, 11, 22), None),
])
def test_next_september_first(today, expected):
    assert next_september_first(forecast_periods(today)) == expected


EARLY_YEARS = CohortRule(1, "Early Years", 30, max_age=4)
POST_16 = CohortRule(2, "Post-16", 40, min_age=16)
VIRTUAL_SCHOOL = CohortRule(3, "Virtual School", 10, looked_after=True)
AREA = CohortRule(4, "Area team", 50)
RULES = [EARLY_YEARS, POST_16, VIRTUAL_SCHOOL, AREA]


def child(team_id, dob, looked_after=False):
    return YearGroupChild(team_id=team_id, date_of_birth=dob, looked_after=looked_after, setting_kind="mainstream",
                          setting_urn="100001", postcode="HX1 1AA")


def test_boundary_ages():
    assert boundary_ages(RULES) == {5, 16}


def test_year_group_moves_on_1_september():
    september = d(2026, 9, 1)
    children = [
        child(4, d(2010, 3, 1)),  # 15 on 31 Aug 2025, 16 on 31 Aug 2026: area team → post-16
        child(4, d(2009, 9, 1)),  # the oldest in that year group: moves too
        child(4, d(2010, 9, 1)),  # a year younger (born after 31 August): stays
        child(3, d(2010, 3, 1), looked_after=True),  # looked after: the Virtual School wins at every age
        child(1, d(2021, 5, 5)),  # 4 → 5: Early Years → area team
        child(None, d(2010, 1, 1)),  # no team today: arrives in post-16, leaves nobody
        child(2, d(2010, 1, 1)),  # already placed by the new rule: nothing to count
    ]
    leaving, arriving = year_group_moves(children, RULES, september)
    assert dict(leaving) == {4: 2, 1: 1}
    assert dict(arriving) == {2: 3, 4: 1}


def test_year_group_moves_skip_ties_and_gaps():
    tie = [CohortRule(1, "A", 40, min_age=16), CohortRule(2, "B", 40, min_age=16), CohortRule(3, "C", 50, max_age=15)]
    leaving, arriving = year_group_moves([child(3, d(2010, 3, 1))], tie, d(2026, 9, 1))
    assert not leaving and not arriving
    gap = [CohortRule(3, "C", 50, max_age=15)]
    leaving, arriving = year_group_moves([child(3, d(2010, 3, 1))], gap, d(2026, 9, 1))
    assert not leaving and not arriving


def staff(**kw):
    base = dict(user_id=1, fte=Decimal("1.00"), team_ids=(7,), induction_started_on=None, induction_completed_on=None,
                left_on=None, absent_from=None, absent_until=None)
    return StaffMember(**{**base, **kw})


def test_staff_target_follows_induction_absence_and_hours():
    team = TeamFigures(team_id=7, per_fte_target=170, induction_percent=0)
    people = [
        staff(user_id=1),  # 170
        staff(user_id=2, fte=Decimal("0.80")),  # 136
        staff(user_id=3, induction_started_on=d(2026, 11, 2)),  # no completion recorded: six weeks → 14 Dec
        staff(user_id=4, absent_from=d(2026, 10, 1), absent_until=d(2026, 12, 31)),  # back on 1 January
        staff(user_id=5, left_on=d(2027, 1, 15)),  # leaves mid-January
        staff(user_id=6, team_ids=(7, 8)),  # hours split: 85 here
        staff(user_id=7, team_ids=(8,)),  # another team
    ]
    assert staff_target_on(people, team, d(2026, 11, 22)) == 170 + 136 + 0 + 0 + 170 + 85
    assert staff_target_on(people, team, d(2026, 12, 22)) == 170 + 136 + 170 + 0 + 170 + 85
    assert staff_target_on(people, team, d(2027, 1, 22)) == 170 + 136 + 170 + 170 + 0 + 85


def test_staff_in_induction_with_a_recorded_completion_and_a_partial_share():
    team = TeamFigures(team_id=7, per_fte_target=100, induction_percent=50)
    person = staff(induction_started_on=d(2026, 11, 2), induction_completed_on=d(2027, 1, 4))
    assert staff_target_on([person], team, d(2026, 12, 22)) == 50  # the recorded date wins over six weeks
    assert staff_target_on([person], team, d(2027, 1, 4)) == 100
    assert staff_target_on([person], team, d(2026, 11, 1)) == 100  # not started yet


@pytest.mark.parametrize("value, safe", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+44 1234", "'+44 1234"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("North area team", "North area team"),
    ("", ""),
    (-3, -3),
    (12, 12),
])
def test_csv_safe(value, safe):
    assert csv_safe(value) == safe
