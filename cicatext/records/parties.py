"""Who may be named in a draft: member states, groups of them and the Secretariat, by code, name or alias.

Drafts name parties in many ways: a code (`IRAN`, `USA`), a short name
(`United States`), an abbreviation with dots (`U.S.`), a group (`G-77/China`,
`EU`). `Parties` holds the registry's parties with every name they go by and
answers `resolve(name)` with the code, whatever the spelling: case, dots,
hyphens, slashes, accents and a leading "the" do not count. A group has
members, and `expand` gives a code's members (a state is its own member).
`resolve_list` reads a list such as `Canada, UK and Norway`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STATE = "state"
GROUP = "group"
SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Party:
    """One party a draft may name."""

    code: str
    """The code it is written with in attributions (`IRAN`, `USA`, `G77`)."""
    name: str
    """Its name in English (`Iran`, `United States`, `Group of 77 and China`)."""
    kind: str = STATE
    """`state`, `group` or `secretariat`."""
    aliases: tuple[str, ...] = ()
    """Other names drafts use for it (`US`, `U.S.`, `United States of America`)."""
    members: tuple[str, ...] = ()
    """For a group: the codes of its members."""


_NOT_IN_KEY = re.compile(r"[^0-9a-z]+")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)


def name_key(name: str) -> str:
    """A name as compared: no accents, case, punctuation, spaces or leading "the" (`U.S.` and `us` are one)."""
    plain = unicodedata.normalize("NFKD", _THE.sub("", name.strip()))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _NOT_IN_KEY.sub("", plain.casefold())


class Parties:
    """The parties of a repository, found by code, name or alias."""

    def __init__(self, parties: Iterable[Party]) -> None:
        self.by_code: dict[str, Party] = {}
        self._by_key: dict[str, str] = {}
        ambiguous: set[str] = set()
        listed = list(parties)
        for party in listed:
            self.by_code[party.code] = party
        # Codes first, so that a code never means another party's alias.
        for party in listed:
            self._by_key[name_key(party.code)] = party.code
        for party in listed:
            for name in (party.name, *party.aliases):
                key = name_key(name)
                if not key or key in ambiguous:
                    continue
                known = self._by_key.get(key)
                if known is None:
                    self._by_key[key] = party.code
                elif known != party.code and name_key(known) != key:
                    ambiguous.add(key)
                    del self._by_key[key]
        self.ambiguous = frozenset(ambiguous)
        """Names two parties go by, which therefore name neither."""

    def __len__(self) -> int:
        return len(self.by_code)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.by_code)

    def resolve(self, name: str) -> str | None:
        """The code of the party `name` names, in any spelling; None when it names none (or two)."""
        if name in self.by_code:
            return name
        return self._by_key.get(name_key(name))

    def resolve_list(self, text: str) -> tuple[list[str], list[str]]:
        """The codes a list of parties names (`Canada, UK and Norway`), and the names that name none.

        A whole name that contains a separator (`Group of 77 and China`,
        `Bosnia and Herzegovina`) is taken whole before the list is split.
        """
        whole = self.resolve(text)
        if whole is not None:
            return [whole], []
        codes: list[str] = []
        unknown: list[str] = []
        parts = [p for p in _LIST_SEPARATOR.split(text.strip()) if p.strip()]
        index = 0
        while index < len(parts):
            # The longest run of parts that is one name, so `Antigua and Barbuda, Canada` reads as two.
            for stop in range(len(parts), index, -1):
                joined = self._join(text, parts[index:stop])
                code = self.resolve(joined) if joined is not None else None
                if code is not None:
                    if code not in codes:
                        codes.append(code)
                    index = stop
                    break
            else:
                unknown.append(parts[index].strip())
                index += 1
        return codes, unknown

    @staticmethod
    def _join(text: str, parts: list[str]) -> str | None:
        """The span of `text` from the first part to the last, as written."""
        if len(parts) == 1:
            return parts[0]
        start = text.find(parts[0])
        end = text.find(parts[-1], start + len(parts[0]))
        if start < 0 or end < 0:
            return None
        return text[start:end + len(parts[-1])]

    def name(self, code: str) -> str:
        party = self.by_code.get(code)
        return party.name if party is not None else code

    def is_group(self, code: str) -> bool:
        party = self.by_code.get(code)
        return party is not None and party.kind == GROUP

    def expand(self, code: str) -> tuple[str, ...]:
        """The states a code stands for: a group's members (groups of groups opened too), a state itself."""
        seen: list[str] = []

        def walk(current: str, path: tuple[str, ...]) -> None:
            party = self.by_code.get(current)
            if party is None or party.kind != GROUP:
                if current not in seen:
                    seen.append(current)
                return
            for member in party.members:
                if member not in path:
                    walk(member, (*path, member))

        walk(code, (code,))
        return tuple(seen)

    def groups_of(self, code: str) -> tuple[str, ...]:
        """The groups `code` is a member of, directly or through another group."""
        return tuple(p.code for p in self.by_code.values() if p.kind == GROUP and code in self.expand(p.code)
                     and p.code != code)


def parties_from_records(states: Mapping[str, Mapping], groups: Mapping[str, Mapping], secretariat: str,
                         language: str = "en") -> Parties:
    """The parties of a registry: its member-state and group records, and the Secretariat's code."""
    def text(value, fallback: str) -> str:
        if isinstance(value, Mapping):
            return str(value.get(language) or next(iter(value.values()), fallback))
        return str(value) if value else fallback

    def names(record: Mapping) -> tuple[str, ...]:
        found = [str(a) for a in record.get("aliases") or () if a]
        for field in ("formal_name", "iso3"):
            value = record.get(field)
            if value:
                found.append(text(value, ""))
        return tuple(n for n in found if n)

    listed = [Party(code, text(r.get("name"), code), STATE, names(r)) for code, r in states.items()]
    listed += [Party(code, text(r.get("name"), code), GROUP, names(r), tuple(str(m) for m in r.get("members") or ()))
               for code, r in groups.items()]
    listed.append(Party(secretariat, "Secretariat", SECRETARIAT))
    return Parties(listed)
