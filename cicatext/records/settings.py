"""The parameters of the Modalities' rules (tenures, notice, review intervals, the due window)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The parameters of the rules, from `rules:` in cicatext.yaml (the Modalities are themselves still bracketed)."""

    tenure_min_years: int = 2
    """1.10: the shortest tenure, in years."""
    tenure_max_years: int = 4
    """1.10: the longest tenure, in years."""
    concept_paper_due_months: int = 3
    """2.7: a new Coordinator proposes a concept paper within this many months of appointment."""
    expert_meetings_after_months: int = 6
    """2.5: expert meetings are due when a concept paper is under consideration longer than this."""
    applicability_min_years: int = 2
    """2.6: the shortest preferred applicability period of a concept paper."""
    applicability_max_years: int = 4
    """2.6: the longest preferred applicability period of a concept paper."""
    review_interval_months: int = 12
    """3.2: the SOC reviews implementation at least this often."""
    contribution_lead_days: int = 30
    """3.5: Coordinators' written contributions are due this many days before the review."""
    extension_notice_days: int = 90
    """1.12: how far in advance a request for extension or a notice of termination is 'sufficiently in advance'."""
    due_window_days: int = 30
    """A deadline this many days away or closer is `due`; further away it is `upcoming`."""
