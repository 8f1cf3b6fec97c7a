"""Names in the registry: a member state or priority area from what the user typed, 'did you mean' hints, a name in one language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cicatext.errors import UsageError
from cicatext.store.layout import AREAS_DIR, STATES_DIR
from cicatext.store.repository import Repository


def text_of(value: Any, language: str = "en") -> str:
    """A registry name in one language (names are `{en, ru}` maps or plain strings)."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def state_names(repo: Repository) -> dict[str, str]:
    """Each member state's name in English, by code (the code where the registry gives no name)."""
    return {code: text_of(record.get("name")) or code for code, record in repo.states.items()}


def nearest(wanted: str, choices: Mapping[str, str]) -> str | None:
    """The key whose label is closest to `wanted` (choices: label → key), for 'did you mean' hints."""
    if not choices:
        return None
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(wanted, list(choices), scorer=fuzz.WRatio, processor=utils.default_process)
    return choices[best[0]] if best and best[1] >= 50 else None


def _state_choices(repo: Repository) -> dict[str, str]:
    choices: dict[str, str] = {}
    for code, record in repo.states.items():
        choices[code] = code
        for key in ("iso3",):
            if isinstance(record.get(key), str):
                choices.setdefault(record[key], code)
        for key in ("name", "formal_name"):
            value = record.get(key)
            for text in (value.values() if isinstance(value, dict) else [value]):
                if isinstance(text, str) and text:
                    choices.setdefault(text, code)
    return choices


def _area_choices(repo: Repository) -> dict[str, str]:
    choices: dict[str, str] = {}
    for area, record in repo.areas.items():
        choices[area] = area
        value = record.get("name")
        for text in (value.values() if isinstance(value, dict) else [value]):
            if isinstance(text, str) and text:
                choices.setdefault(text, area)
    return choices


def state_hint(repo: Repository, wanted: str) -> str:
    """'did you mean RUS (Russia)?' or where to look."""
    code = nearest(wanted, _state_choices(repo))
    if code:
        return f"did you mean {code} ({text_of(repo.states[code].get('name'))})?"
    return f"the member states are in {STATES_DIR}/"


def area_hint(repo: Repository, wanted: str) -> str:
    """'did you mean ict-security (...)?' or where to look."""
    area = nearest(wanted, _area_choices(repo))
    if area:
        return f"did you mean {area} ({text_of(repo.areas[area].get('name'))})?"
    return f"the priority areas are in {AREAS_DIR}/"


def resolve_state(repo: Repository, text: str, argument: str = "STATE") -> str:
    """The code of the state named by its code, ISO code or name (any case); a UsageError with the nearest one otherwise."""
    wanted = text.strip()
    folded = {label.casefold(): code for label, code in _state_choices(repo).items()}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UsageError(f"{argument}: unknown member state {wanted!r}", hint=state_hint(repo, wanted))


def resolve_area(repo: Repository, text: str, argument: str = "AREA") -> str:
    """The id of the priority area named by its id or name (any case); a UsageError with the nearest one otherwise."""
    wanted = text.strip()
    folded = {label.casefold(): area for label, area in _area_choices(repo).items()}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UsageError(f"{argument}: unknown priority area {wanted!r}", hint=area_hint(repo, wanted))


def text_map(value: Any) -> dict[str, str]:
    """A `{en: ..., ru: ...}` field as a dict of strings (empty when absent or not a mapping)."""
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
