"""The coordinator actions as pure functions over an area's appointments, without a repository or the command line."""

from __future__ import annotations

from datetime import date

import pytest

from cicatext.errors import RuleError, UsageError
from cicatext.records import coordinator_actions as actions
from cicatext.records.appointments import ActingPeriod, Appointment, Decision, Recommendation
from cicatext.records.settings import Settings

SOC = Decision("SOC", "SOC/2024/1", date(2023, 12, 1))
SWG = Recommendation("SWG", "swg-2023-06", "SWG/2023-II/INF/2")


def recommended(state="RUS", role="coordinator", index=0) -> Appointment:
    """An appointment the SWG recommended and the SOC has not decided on."""
    return Appointment(state, "ict-security", role, "recommended", date(2024, 1, 1), date(2025, 12, 31), recommendation=SWG, index=index)


def test_appoint_turns_the_recommendation_into_the_appointment():
    """The recommended entry is changed in place (same index), keeping the recommendation, with the SOC's decision."""
    change = actions.appoint([recommended()], "RUS", "ict-security", decision="SOC/2024/1", decided=date(2023, 12, 1))
    (appointed,) = change.appointments
    assert (appointed.index, appointed.state_of_record, appointed.recommendation, appointed.decision) == (0, "appointed", SWG, SOC)
    assert change.message == "Appoint RUS as coordinator of ict-security, 2024-01-01..2025-12-31 (SOC decision SOC/2024/1)"


def test_appoint_a_coordinator_ends_the_acting_the_day_before():
    """1.11: a Co-coordinator acting with no end stops acting the day before the new Coordinator starts."""
    china = Appointment("CHN", "ict-security", "co-coordinator", "acting", date(2024, 1, 1), date(2025, 12, 31), decision=SOC,
                        acting=(ActingPeriod(date(2024, 1, 1)),), index=1)
    change = actions.appoint([recommended(), china], "RUS", "ict-security", start=date(2024, 7, 1), end=date(2026, 6, 30))
    russia, closed = change.appointments
    assert russia.state_of_record == "appointed"
    assert (closed.state, closed.state_of_record, closed.acting[0].end) == ("CHN", "appointed", date(2024, 6, 30))


def test_appoint_without_a_tenure_asks_for_one():
    """With neither a pending entry nor --from and --to there is no tenure to appoint."""
    with pytest.raises(UsageError, match="--from and --to are needed"):
        actions.appoint([], "RUS", "ict-security", role="coordinator")


def test_act_by_a_coordinator_is_refused():
    """1.11: only a Co-coordinator may take up the role of Coordinator."""
    russia = Appointment("RUS", "ict-security", "coordinator", "appointed", date(2024, 1, 1), date(2025, 12, 31), decision=SOC, index=0)
    with pytest.raises(RuleError, match="Modalities 1.11: RUS is Coordinator of ict-security"):
        actions.act([russia], "RUS", "ict-security", start=date(2024, 3, 1))


def test_new_findings_are_only_those_the_change_brings():
    """A second Coordinator over the same tenure newly breaks 1.9; the area's record before had no error."""
    russia = Appointment("RUS", "ict-security", "coordinator", "appointed", date(2024, 1, 1), date(2025, 12, 31), decision=SOC, index=0)
    change = actions.appoint([russia], "KAZ", "ict-security", role="coordinator", start=date(2024, 1, 1), end=date(2025, 12, 31))
    errors, warnings = actions.new_findings([russia], change, Settings())
    assert [f.rule for f in errors] == ["1.9"] and warnings == []
    assert [a.state for a in change.applied_to([russia])] == ["RUS", "KAZ"]
