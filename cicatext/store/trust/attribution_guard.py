"""No words in another's mouth: a delegation's position set attributes nothing to anyone else.

Every attribution a round writes comes from the position set of the
delegation it names: the entries of `positions/CODE/<slug>.yaml` become
brackets attributed to CODE. So a position set whose words attribute to
someone else (`(+IND)` inside CHN's inserted text, `(-IRAN)` in its
replacement, an entry that says it is on another's behalf) would put words in
that delegation's mouth. `position_set_problems` finds them, in any spelling
and in look-alike characters (`cicatext.notation.lookalikes`): `propose`,
`round` and the shared repository's hook (on every commit new to
`delegations/CODE`) refuse what it reports. A look-alike attribution is
refused even when it names CODE itself: it is not what it looks like.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import islice

from cicatext.errors import (
    MAX_PROBLEMS,
    Problem,
    RecordError,
    cap_problems,
    place_of,
)
from cicatext.notation.lookalikes import attribution_groups, shown
from cicatext.store.layout import position_owner
from cicatext.store.limits import DEFAULT, Limits

# Fields of an entry whose words go nowhere near a compiled text: the quoted anchor finds a place, the
# justification is never put in the text.
_NOT_WRITTEN = ("anchor", "justification")
# The fields a position set's entry has (schemas/position-set.schema.json); any other names nobody.
_ENTRY_FIELDS = frozenset(("id", "action", "paragraph", "after_paragraph", "bracket", "stance", "anchor", "text",
                           "justification"))
_HINT = "a delegation's position set speaks only for {code}: attributions to others come from their own position sets"


def position_set_problems(path: str, text: str, code: str, bounds: Limits = DEFAULT) -> list[Problem]:
    """What in a position set's text (`positions/CODE/<slug>.yaml`) attributes to anyone but `code`, read under
    `bounds`: at most `bounds.problems_per_file` problems, and one counting the rest.

    A text that is no YAML mapping is left to the other checks, which refuse it.
    """
    from cicatext.store import yamlio

    try:
        record = yamlio.load(text, file=path, bounds=bounds)
    except RecordError:
        return _owner_problems(path, code)
    return parsed_position_set_problems(path, text, record, code, bounds)


def parsed_position_set_problems(path: str, text: str, record, code: str, bounds: Limits = DEFAULT) -> list[Problem]:
    """What `position_set_problems` reports for a position set whose text is already parsed into `record` (a
    round reads each position set once, and checks what it read)."""
    problems = _owner_problems(path, code)
    named = record.get("delegation") if isinstance(record, Mapping) else None
    if isinstance(named, str) and named != code:
        problems.append(_located(path, text, f"delegation: {named}",
                                 f"{path} names delegation {named!r}, not {code}", code))
    limit = bounds.problems_per_file
    return problems + record_problems(path, text, record, code, limit=max(limit - len(problems), 0))


def _owner_problems(path: str, code: str) -> list[Problem]:
    """A position set lying in another delegation's folder."""
    owner = position_owner(path)
    if owner is not None and owner != code:
        return [Problem(f"{path} lies in {owner}'s folder, not {code}'s", file=path, hint=_HINT.format(code=code),
                        code="attribution")]
    return []


def record_problems(path: str, text: str, record, code: str, *, fields: bool = True,
                    limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The entries of a position set already parsed that attribute to anyone but `code` (`text` only locates
    them; it may be empty); with `fields`, entry fields a position set does not have too (`cicatext validate`,
    whose schema check reports those, leaves them out). Past `limit` problems, the rest are counted in one more."""
    found = _found(record, code, fields)
    listed = [_located(path, text, needle, message, code) for needle, message in islice(found, limit)]
    return cap_problems(listed, limit, path, more=sum(1 for _ in found))


def _found(record, code: str, fields: bool) -> Iterator[tuple[str, str]]:
    """What `record_problems` reports, as (the words to locate it by, the message), in the record's order."""
    if not isinstance(record, Mapping):
        return
    entries = record.get("entries")
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        return
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            continue
        label = f"entry {entry.get('id') or index + 1}"
        for key, value in entry.items():
            if key in _NOT_WRITTEN:
                continue
            if key not in _ENTRY_FIELDS:
                if fields:
                    yield f"{key}:", (f"{label} has a field {key!r} that position sets do not have: an entry speaks "
                                      "for the position set's delegation only")
                continue
            if isinstance(value, str):
                yield from _foreign(label, key, value, code)


def _foreign(label: str, key: str, value: str, code: str) -> Iterator[tuple[str, str]]:
    """The attributions in one field's words that are not `code`'s own, or are written with look-alikes."""
    for group in attribution_groups(value):
        if group.lookalike:
            message = (f"{label}: {key} holds '{shown(group.written)}', written with look-alike characters "
                       f"(it looks like an attribution to {group.code})")
        elif group.code != code:
            message = f"{label}: {key} attributes words to {group.code} ('{group.written}'), not to {code}"
        else:
            continue
        yield group.written, message


def _located(path: str, text: str, needle: str, message: str, code: str) -> Problem:
    """A problem at the first place `needle` is written in the file (the whole file when it is not found as is)."""
    at = text.find(needle)
    if at < 0:
        return Problem(message, file=path, hint=_HINT.format(code=code), code="attribution")
    line, column, source, source_column = place_of(text, at)
    return Problem(message, file=path, line=line, column=column, hint=_HINT.format(code=code),
                   source_line=shown(source), source_column=source_column, code="attribution")


def refuse(path: str, text: str, code: str) -> None:
    """Raise RecordError with every problem `position_set_problems` finds; nothing when there is none."""
    problems = position_set_problems(path, text, code)
    if problems:
        first = problems[0]
        raise RecordError(first.message, file=first.file, line=first.line, column=first.column, hint=first.hint,
                          problems=tuple(problems))


def commit_problems(git, commit: str, paths, code: str, bounds: Limits = DEFAULT) -> list[Problem]:
    """The problems of every position set among `paths` as a commit holds them (the shared repository's hook),
    read under `bounds`."""
    wanted = sorted(p for p in paths if position_owner(p) is not None and p.endswith((".yaml", ".yml")))
    problems: list[Problem] = []
    for path, item in zip(wanted, git.objects([f"{commit}:{p}" for p in wanted])):
        if item is not None and item[0] == "blob":
            problems.extend(position_set_problems(path, item[1].decode("utf-8", "replace"), code, bounds))
    return problems
