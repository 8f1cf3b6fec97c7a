"""The last round the repository recorded, and what to compare it with: the question `R` asks."""

from __future__ import annotations

from dataclasses import dataclass

from cicatext.errors import CicatextError
from cicatext.store.negotiation.history import round_refs
from cicatext.store.repository import Repository


@dataclass(frozen=True)
class LastRound:
    """The newest round tag, and the state of its document before it."""

    slug: str
    """The document the round was of."""
    before: str
    """Its previous round, or the commit before the round when it was the document's first."""
    tag: str
    """The round's tag, `round/<slug>/<N>`."""


def last_round(repo: Repository) -> LastRound | None:
    """The round recorded last, of whichever document; None when there is no round yet."""
    try:
        tags = round_refs(repo)
    except CicatextError:
        return None
    if not tags:
        return None
    tag = tags[-1]
    slug = tag.split("/")[1]
    same = [other for other in tags if other.split("/")[1] == slug]
    before = same[-2] if len(same) >= 2 else f"{tag}^"
    return LastRound(slug, before, tag)
