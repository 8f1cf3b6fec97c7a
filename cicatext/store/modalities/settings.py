"""The parameters of the Modalities' rules and the order of the governing bodies, from cicatext.yaml and the registry."""

from __future__ import annotations

from cicatext.records.lifecycle import BODY_ORDER
from cicatext.records.settings import Settings
from cicatext.store.repository import Repository


def settings_of(repo: Repository) -> Settings:
    """The rules' parameters from cicatext.yaml (`rules:`), defaults for those not given."""
    defaults = Settings()
    return Settings(**{name: repo.rule(name, getattr(defaults, name)) for name in Settings.__dataclass_fields__})


def body_order(repo: Repository) -> tuple[str, ...]:
    """The bodies from the lowest up: `body_order` in cicatext.yaml, else the registry's ranks, else SWG, SOC, MC, SUMMIT."""
    order = repo.settings.get("body_order")
    if isinstance(order, list) and order and all(isinstance(b, str) for b in order):
        return tuple(order)
    ranked = [(r.get("rank"), code) for code, r in repo.bodies.items() if isinstance(r.get("rank"), int)]
    if ranked:
        return tuple(code for _, code in sorted(ranked, reverse=True))
    return BODY_ORDER
