"""What falls due (2.5, 2.6, 2.7, 3.2, 3.5, 1.3, 1.12 and meetings' deadlines), always from an explicit as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from cicatext.records.appointments import Appointment, Decision, Extension, Offer, Report
from cicatext.records.concept_papers import ConceptPaper
from cicatext.records.deadlines import deadlines
from cicatext.records.meetings import Meeting, TimeLimit
from cicatext.records.modalities import ModalitiesRecords
from cicatext.records.reviews import Contribution, Review
from cicatext.store.layout import record_source


def coordinator(decided=date(2024, 1, 15), start=date(2024, 2, 1), end=date(2026, 1, 31), **more) -> Appointment:
    """RUS, appointed Coordinator of ict-security by the SOC."""
    return Appointment("RUS", "ict-security", more.pop("role", "coordinator"), more.pop("state_of_record", "appointed"), start, end,
                       decision=Decision("SOC", None, decided), index=0, **more)


def due(records: ModalitiesRecords, as_of: date, rule: str) -> list:
    return [d for d in deadlines(records, as_of, source_of=record_source) if d.rule == rule]


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2024, 3, 15), "upcoming"),
        (date(2024, 3, 16), "due"),
        (date(2024, 4, 15), "due"),
        (date(2024, 4, 16), "overdue"),
    ],
)
def test_concept_paper_due_three_months_to_the_day_after_appointment(as_of, status):
    """2.7: appointed on 15 January, the concept paper is due on 15 April, overdue from 16 April."""
    found = due(ModalitiesRecords(appointments=(coordinator(),)), as_of, "2.7")
    assert [(d.due, d.status, d.state) for d in found] == [(date(2024, 4, 15), status, "RUS")]


def test_concept_paper_due_date_clamps_to_month_end():
    """Appointed on 30 November 2023, three months later is 29 February 2024."""
    found = due(ModalitiesRecords(appointments=(coordinator(decided=date(2023, 11, 30)),)), date(2024, 1, 1), "2.7")
    assert found[0].due == date(2024, 2, 29)


def test_concept_paper_deadline_counts_from_tenure_start_without_decision_date():
    """With no decision date recorded the appointment counts from the first day of the tenure."""
    found = due(ModalitiesRecords(appointments=(coordinator(decided=None),)), date(2024, 2, 1), "2.7")
    assert found[0].due == date(2024, 5, 1)


def test_concept_paper_proposed_with_the_application_meets_2_7():
    """A paper the state drafted since its offer counts: 2.7 allows proposing it with the application."""
    appointment = coordinator(offer=Offer(date(2023, 9, 1)))
    paper = ConceptPaper("ict-2024", "ict-security", "RUS", first_draft=date(2023, 10, 1))
    assert due(ModalitiesRecords(appointments=(appointment,), concept_papers=(paper,)), date(2024, 4, 16), "2.7") == []


def test_co_coordinators_owe_no_concept_paper():
    """2.7 binds a new Coordinator, not the Co-coordinators."""
    assert due(ModalitiesRecords(appointments=(coordinator(role="co-coordinator"),)), date(2024, 5, 1), "2.7") == []


def test_recommended_coordinator_owes_nothing_yet():
    """Until the SOC appoints, no deadline runs (the seed's Russia and China)."""
    pending = Appointment("RUS", "ict-security", "coordinator", "recommended", date(2024, 1, 1), date(2025, 12, 31))
    assert deadlines(ModalitiesRecords(appointments=(pending,)), date(2024, 6, 1), source_of=record_source) == []


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(date(2024, 6, 9), "upcoming"), (date(2024, 6, 10), "due"), (date(2024, 7, 10), "due"), (date(2024, 7, 11), "overdue")],
)
def test_expert_meetings_due_six_months_after_first_draft(as_of, status):
    """2.5: a first draft of 10 January 2024 still under consideration calls for expert meetings from 10 July 2024."""
    paper = ConceptPaper("ict-2024", "ict-security", "RUS", first_draft=date(2024, 1, 10))
    found = due(ModalitiesRecords(concept_papers=(paper,)), as_of, "2.5")
    assert [(d.due, d.status) for d in found] == [(date(2024, 7, 10), status)]


def test_expert_meetings_not_due_once_held_or_approved():
    """Expert meetings recorded, or the SOC's approval, end the 2.5 deadline."""
    met = ConceptPaper("a", "ict-security", "RUS", first_draft=date(2024, 1, 10), expert_meetings=("ict-experts-2024",))
    approved = ConceptPaper("b", "ict-security", "RUS", first_draft=date(2024, 1, 10), approval=Decision("SOC", None, date(2024, 5, 1)))
    assert due(ModalitiesRecords(concept_papers=(met, approved)), date(2024, 8, 1), "2.5") == []


def test_applicability_period_ending():
    """2.6: an approved paper's applicability end falls due."""
    paper = ConceptPaper("ict-2024", "ict-security", "RUS", approval=Decision("SOC"), applicability_start=date(2024, 1, 1), applicability_end=date(2025, 12, 31))
    found = due(ModalitiesRecords(concept_papers=(paper,)), date(2025, 12, 1), "2.6")
    assert [(d.due, d.status) for d in found] == [(date(2025, 12, 31), "due")]


def test_yearly_soc_review_falls_due_twelve_months_after_the_last():
    """3.2: the last review held on 20 June 2024 makes the next due on 20 June 2025."""
    review = Review("review-2024", date(2024, 6, 20), "held")
    found = due(ModalitiesRecords(reviews=(review,)), date(2025, 6, 21), "3.2")
    assert [(d.due, d.status) for d in found] == [(date(2025, 6, 20), "overdue")]


def test_planned_review_takes_the_place_of_the_yearly_deadline():
    """A review planned within the year is itself the 3.2 deadline."""
    reviews = (Review("review-2024", date(2024, 6, 20), "held"), Review("review-2025", date(2025, 5, 15), "planned"))
    found = due(ModalitiesRecords(reviews=reviews), date(2025, 1, 1), "3.2")
    assert [d.due for d in found] == [date(2025, 5, 15)]


def test_contributions_due_before_the_review():
    """3.5: Coordinators and Co-coordinators in office send contributions 30 days before the review."""
    review = Review("review-2025", date(2025, 5, 15), "planned")
    china = Appointment("CHN", "ict-security", "co-coordinator", "appointed", date(2024, 2, 1), date(2026, 1, 31), decision=Decision("SOC"), index=1)
    records = ModalitiesRecords(appointments=(coordinator(), china), reviews=(review,), area_dimensions={"ict-security": "new-challenges-and-threats"})
    found = due(records, date(2025, 4, 1), "3.5")
    assert [(d.state, d.due, d.status) for d in found] == [("CHN", date(2025, 4, 15), "due"), ("RUS", date(2025, 4, 15), "due")]
    answered = Review("review-2025", date(2025, 5, 15), "planned", contributions=(Contribution("RUS", "ict-security"),))
    records = ModalitiesRecords(appointments=(coordinator(), china), reviews=(answered,))
    assert [d.state for d in due(records, date(2025, 4, 1), "3.5")] == ["CHN"]


def test_contributions_only_from_areas_in_focus():
    """A review focused on another dimension asks nothing of ICT security's coordinators."""
    review = Review("review-2025", date(2025, 5, 15), "planned", focus_dimensions=("economic",))
    records = ModalitiesRecords(appointments=(coordinator(),), reviews=(review,), area_dimensions={"ict-security": "new-challenges-and-threats"})
    assert due(records, date(2025, 4, 1), "3.5") == []


def test_report_due_at_the_end_of_tenure():
    """1.3: the Coordinator reports at the end of its tenure; a recorded report ends the deadline."""
    found = due(ModalitiesRecords(appointments=(coordinator(),)), date(2026, 2, 1), "1.3")
    assert [(d.due, d.status) for d in found] == [(date(2026, 1, 31), "overdue")]
    reported = coordinator(report=Report(date(2026, 1, 20), "RUS/REPORT/1"), state_of_record="completed")
    assert due(ModalitiesRecords(appointments=(reported,)), date(2026, 2, 1), "1.3") == []


def test_extension_request_due_before_the_tenure_ends():
    """1.12: a request to extend is due the notice period (90 days) before the last day."""
    found = due(ModalitiesRecords(appointments=(coordinator(),)), date(2025, 10, 1), "1.12")
    assert [(d.due, d.status) for d in found] == [(date(2025, 11, 2), "upcoming")]
    requested = coordinator(extensions=(Extension(date(2027, 1, 31), date(2025, 10, 1)),))
    assert due(ModalitiesRecords(appointments=(requested,)), date(2025, 10, 1), "1.12") == []


@pytest.mark.parametrize(
    ("as_of", "status"),
    [(date(2023, 6, 14), "upcoming"), (date(2023, 6, 15), "due"), (date(2023, 7, 15), "due"), (date(2023, 7, 16), "overdue")],
)
def test_meeting_comment_deadline(as_of, status):
    """The SWG's deadline for comments on the Modalities, 15 July 2023, seen from around it."""
    meeting = Meeting("swg-2023-06", "SWG", date(2023, 6, 13), date(2023, 6, 14),
                      time_limits=(TimeLimit("comments on MC/2023/DRAFT/4", date(2023, 7, 15), ("MC/2023/DRAFT/4",)),))
    found = deadlines(ModalitiesRecords(meetings=(meeting,)), as_of, source_of=record_source)
    assert [(d.rule, d.due, d.status, d.source) for d in found] == [("meeting", date(2023, 7, 15), status, "meetings/swg-2023-06")]


def test_closed_meeting_deadline_is_not_listed():
    """A deadline the secretariat closed drops out."""
    meeting = Meeting("swg-2023-06", "SWG", date(2023, 6, 13), date(2023, 6, 14),
                      time_limits=(TimeLimit("comments", date(2023, 7, 15), closed=date(2023, 7, 20)),))
    assert deadlines(ModalitiesRecords(meetings=(meeting,)), date(2023, 8, 1), source_of=record_source) == []


def test_deadlines_are_sorted_by_date():
    """The list reads in date order."""
    found = deadlines(ModalitiesRecords(appointments=(coordinator(),)), date(2024, 2, 1), source_of=record_source)
    assert [d.due for d in found] == sorted(d.due for d in found)
    assert [d.rule for d in found] == ["2.7", "1.12", "1.3"]
