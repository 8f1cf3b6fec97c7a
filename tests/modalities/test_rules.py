"""The appointment rules of the Modalities (1.9-1.12) at their edges, and calendar arithmetic."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cicatext.records.appointments import ActingPeriod, Appointment, Decision, Extension, Termination
from cicatext.records.dates import add_days, add_months, add_years
from cicatext.records.rules import check_appointments, new_errors
from cicatext.records.settings import Settings

SOC = Decision("SOC", "SOC/2024/1", date(2023, 12, 1))


def held(state="RUS", role="coordinator", start=date(2024, 1, 1), end=date(2025, 12, 31), index=0, **more) -> Appointment:
    """An appointment the SOC has made."""
    return Appointment(state, "ict-security", role, more.pop("state_of_record", "appointed"), start, end, decision=SOC, index=index, **more)


def rules(findings, severity="error") -> list[str]:
    return [f.rule for f in findings if f.severity == severity]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 15), 3, date(2024, 4, 15)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    """Adding calendar months keeps the day, or the month's last day when it is shorter."""
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("moved", "expected"), [
    (lambda: add_months(date(9999, 12, 31), 1), date.max),
    (lambda: add_months(date(2024, 1, 1), 99_999_999_999), date.max),
    (lambda: add_months(date(1, 1, 1), -1), date.min),
    (lambda: add_days(date(9999, 12, 31), 1), date.max),
    (lambda: add_days(date(1, 1, 1), -1), date.min),
    (lambda: add_days(date(2024, 2, 28), 1), date(2024, 2, 29)),
])
def test_calendar_arithmetic_stops_at_the_calendars_ends(moved, expected):
    """Past the last day a date holds (9999-12-31) or before the first, a day is that day, not an error."""
    assert moved() == expected


def test_add_years_turns_29_february_into_28_february():
    """A year after 29 February 2024 is 28 February 2025."""
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_tenure_of_exactly_two_years_is_allowed():
    """2024-01-01 to 2025-12-31 is two years: the shortest tenure 1.10 allows."""
    assert check_appointments([held(end=date(2025, 12, 31))]) == []


def test_tenure_one_day_short_of_two_years_breaks_1_10():
    """Ending on 2025-12-30 is one day short of two years."""
    findings = check_appointments([held(end=date(2025, 12, 30))])
    assert rules(findings) == ["1.10"]
    assert findings[0].message.startswith("Modalities 1.10: ")
    assert "shorter than 2 years" in findings[0].message
    assert "2025-12-31" in findings[0].hint


def test_tenure_of_exactly_four_years_is_allowed():
    """2024-01-01 to 2027-12-31 is four years: the longest tenure 1.10 allows."""
    assert check_appointments([held(end=date(2027, 12, 31))]) == []


def test_tenure_of_four_years_and_one_day_breaks_1_10():
    """Ending on 2028-01-01 is four years and one day."""
    findings = check_appointments([held(end=date(2028, 1, 1))])
    assert rules(findings) == ["1.10"]
    assert "longer than 4 years" in findings[0].message
    assert findings[0].field == ("to",)


def test_tenure_bounds_come_from_the_settings():
    """The bounds are settings (1.10 is itself bracketed): with a three-year maximum, four years is too long."""
    findings = check_appointments([held(end=date(2027, 12, 31))], Settings(tenure_max_years=3))
    assert "longer than 3 years" in findings[0].message


def test_tenure_ending_before_it_starts_is_an_error():
    """The last day must come after the first."""
    findings = check_appointments([held(start=date(2025, 1, 1), end=date(2024, 12, 31))])
    assert rules(findings) == ["1.10"]
    assert "ends (2024-12-31) before it starts (2025-01-01)" in findings[0].message


def test_proposed_tenure_of_an_offer_is_checked_too():
    """1.10 applies to the tenure a state proposes in its offer."""
    offer = Appointment("KAZ", "ict-security", "coordinator", "offered", date(2024, 1, 1), date(2024, 12, 31))
    assert rules(check_appointments([offer])) == ["1.10"]


def test_offer_without_a_tenure_is_not_an_error():
    """An offer whose tenure is not recorded (Iraq's, in the seed) is not flagged."""
    offer = Appointment("IRAQ", "combating-terrorism", "co-coordinator", "offered")
    assert check_appointments([offer]) == []


def test_two_coordinators_overlapping_by_one_day_break_1_9():
    """A new Coordinator starting on the last day of the previous one's tenure overlaps it by one day."""
    first = held("RUS", end=date(2025, 12, 31), index=0)
    second = held("KAZ", start=date(2025, 12, 31), end=date(2027, 12, 30), index=1)
    findings = check_appointments([first, second])
    assert rules(findings) == ["1.9"]
    assert "one Coordinator per priority area" in findings[0].message
    assert "from 2025-12-31 to 2025-12-31" in findings[0].message
    assert findings[0].index == 1


def test_coordinator_starting_the_day_after_is_allowed():
    """A new Coordinator may start the day after the previous tenure ends."""
    first = held("RUS", end=date(2025, 12, 31), index=0)
    second = held("KAZ", start=date(2026, 1, 1), end=date(2027, 12, 31), index=1)
    assert check_appointments([first, second]) == []


def test_any_number_of_co_coordinators():
    """1.9 sets no limit to the number of Co-coordinators."""
    coordinators = [held("RUS", index=0)] + [held(code, "co-coordinator", index=n) for n, code in enumerate(("CHN", "KAZ", "IND"), 1)]
    assert check_appointments(coordinators) == []


def test_pending_offers_do_not_count_as_coordinators():
    """Only appointments the SOC has made can clash: a competing offer is no breach of 1.9."""
    offer = Appointment("KAZ", "ict-security", "coordinator", "offered", date(2024, 1, 1), date(2025, 12, 31), index=1)
    assert check_appointments([held(index=0), offer]) == []


def test_one_state_twice_in_one_area_overlapping():
    """A state holds one role in an area at a time."""
    findings = check_appointments([held("RUS", "coordinator", index=0), held("RUS", "co-coordinator", start=date(2025, 6, 1), end=date(2027, 5, 31), index=1)])
    assert rules(findings) == ["1.9"]
    assert "RUS holds two overlapping appointments" in findings[0].message


def test_one_state_in_successive_tenures_is_allowed():
    """The same state may serve again after its tenure ends."""
    assert check_appointments([held(index=0), held(start=date(2026, 1, 1), end=date(2027, 12, 31), index=1)]) == []


def test_appointment_without_soc_decision_breaks_1_9():
    """Coordinators are appointed by the SOC: an appointment with no decision, or another body's, is refused."""
    nobody = replace(held(), decision=None)
    by_swg = replace(held(), decision=Decision("SWG"))
    assert rules(check_appointments([nobody])) == ["1.9"]
    assert "appointed by the SOC" in check_appointments([by_swg])[0].message


def test_acting_co_coordinator_without_coordinator_is_allowed():
    """1.11: a Co-coordinator may act while no Coordinator is appointed."""
    acting = held("CHN", "co-coordinator", state_of_record="acting", acting=(ActingPeriod(date(2024, 1, 1)),))
    assert check_appointments([acting]) == []


def test_acting_co_coordinator_while_a_coordinator_serves_breaks_1_11():
    """An open acting period overlapping a Coordinator's tenure is refused."""
    coordinator = held("RUS", start=date(2024, 6, 1), end=date(2026, 5, 31), index=0)
    acting = held("CHN", "co-coordinator", state_of_record="acting", acting=(ActingPeriod(date(2024, 1, 1)),), index=1)
    findings = check_appointments([coordinator, acting])
    assert rules(findings) == ["1.11"]
    assert "only in the absence of a Coordinator" in findings[0].message
    assert findings[0].field == ("acting", 0)


def test_acting_ending_the_day_before_the_coordinator_starts_is_allowed():
    """Acting 'until a new Coordinator is appointed' ends the day before the new tenure."""
    coordinator = held("RUS", start=date(2024, 6, 1), end=date(2026, 5, 31), index=0)
    acting = held("CHN", "co-coordinator", acting=(ActingPeriod(date(2024, 1, 1), date(2024, 5, 31)),), index=1)
    assert check_appointments([coordinator, acting]) == []


def test_only_a_co_coordinator_may_act():
    """A Coordinator cannot 'act' as Coordinator."""
    findings = check_appointments([held(acting=(ActingPeriod(date(2024, 1, 1)),))])
    assert rules(findings) == ["1.11"]


def test_two_co_coordinators_acting_at_once_break_1_11():
    """Only one of the Co-coordinators takes up the role."""
    first = held("CHN", "co-coordinator", acting=(ActingPeriod(date(2024, 1, 1)),), index=0)
    second = held("KAZ", "co-coordinator", acting=(ActingPeriod(date(2024, 3, 1)),), index=1)
    assert rules(check_appointments([first, second])) == ["1.11"]


def test_extension_approved_by_the_soc_is_allowed():
    """1.12: an extension approved by the SOC lengthens the tenure beyond the 1.10 bounds."""
    extended = held(state_of_record="extended", extensions=(Extension(date(2029, 12, 31), date(2025, 6, 1), Decision("SOC", None, date(2025, 7, 1))),))
    assert check_appointments([extended]) == []
    assert extended.effective_end == date(2029, 12, 31)


def test_extension_without_soc_approval_does_not_extend():
    """A pending request leaves the tenure as it is, and 'extended' without an approval is an error."""
    requested = held(extensions=(Extension(date(2027, 12, 31), date(2025, 6, 1)),))
    assert check_appointments([requested]) == []
    assert requested.effective_end == date(2025, 12, 31)
    assert rules(check_appointments([replace(requested, state_of_record="extended")])) == ["1.12"]


def test_extension_approved_by_another_body_breaks_1_12():
    """Extensions are subject to approval by the SOC, not the SWG."""
    by_swg = held(extensions=(Extension(date(2027, 12, 31), date(2025, 6, 1), Decision("SWG")),))
    findings = check_appointments([by_swg])
    assert rules(findings) == ["1.12"]
    assert findings[0].field == ("extensions", 0, "decision", "body")


def test_extension_requested_after_expiry_breaks_1_12():
    """The request must be sent before the tenure expires; the day after is too late."""
    late = held(extensions=(Extension(date(2027, 12, 31), date(2026, 1, 1)),))
    assert rules(check_appointments([late])) == ["1.12"]


def test_extension_requested_late_is_a_warning():
    """Less than the notice period before expiry is not 'sufficiently in advance': a warning."""
    short = held(extensions=(Extension(date(2027, 12, 31), date(2025, 12, 1)),))
    findings = check_appointments([short])
    assert rules(findings) == []
    assert rules(findings, "warning") == ["1.12"]
    exactly = held(extensions=(Extension(date(2027, 12, 31), date(2025, 10, 2)),))
    assert check_appointments([exactly]) == []


def test_extension_not_beyond_the_tenure_breaks_1_12():
    """An 'extension' ending on or before the current last day extends nothing."""
    assert rules(check_appointments([held(extensions=(Extension(date(2025, 12, 31), date(2025, 6, 1)),))])) == ["1.12"]


def test_termination_notice_after_it_takes_effect_breaks_1_12():
    """Notice of early termination must come in advance."""
    ended = held(state_of_record="terminated", termination=Termination(date(2025, 6, 30), date(2025, 7, 1)))
    findings = check_appointments([ended])
    assert rules(findings) == ["1.12"]
    assert findings[0].field == ("termination", "notice")


def test_termination_after_the_tenure_ended_breaks_1_12():
    """Early termination takes effect within the tenure."""
    ended = held(state_of_record="terminated", termination=Termination(date(2026, 6, 30), date(2025, 1, 1)))
    assert rules(check_appointments([ended])) == ["1.12"]


def test_termination_frees_the_area_for_a_new_coordinator():
    """After an early termination a new Coordinator may start the next day."""
    ended = held("RUS", state_of_record="terminated", termination=Termination(date(2024, 12, 31), date(2024, 6, 1)), index=0)
    successor = held("KAZ", start=date(2025, 1, 1), end=date(2026, 12, 31), index=1)
    assert check_appointments([ended, successor]) == []


def test_new_errors_are_those_a_change_brings():
    """Errors already in the record are not blamed on a change."""
    before = check_appointments([held(end=date(2028, 6, 1))])
    after = check_appointments([held(end=date(2028, 6, 1)), held("KAZ", index=1)])
    assert [f.rule for f in new_errors(before, after)] == ["1.9"]
