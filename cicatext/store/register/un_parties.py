"""The parties of a United Nations negotiation, for `cicatext init --parties un`.

The states are the 193 member states of the United Nations and its two
observer states (the Holy See, the State of Palestine), each coded by its ISO
3166-1 alpha-3 code (USA, GBR, CHN). Which ISO entries are member states, and
since which year, is `registries/un/members.tsv`, generated from the UNmember
column of the country_converter package (checked against it by the tests);
names, formal names and the other names ISO gives a state come from pycountry;
`registries/un/aliases.yaml` adds the short forms drafts use (US, U.K.,
Russia). The negotiating groups (G77, EU, AOSIS, ...) are records in
`registries/un/registry/groups/`, each noting where its members come from.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from cicatext.errors import CicatextError
from cicatext.resources import party_set_dir
from cicatext.store import yamlio
from cicatext.store.files import read_text
from cicatext.store.layout import STATES_DIR

OBSERVERS = ("VAT", "PSE")
"""The non-member observer states: the Holy See and the State of Palestine."""

_MEMBERS_FILE = "members.tsv"
_ALIASES_FILE = "aliases.yaml"
_INVERTED = re.compile(r"^(?P<name>[^,]+), (?P<prefix>.+)$")
_BRACKETED = re.compile(r"\s*\([^)]*\)$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def un_members() -> dict[str, int]:
    """The UN member states' alpha-3 codes, each with the year it was admitted."""
    members: dict[str, int] = {}
    for line in read_text(party_set_dir("un") / _MEMBERS_FILE).splitlines():
        if line.strip() and not line.startswith("#"):
            code, year = line.split("\t")
            members[code] = int(year)
    return members


def iso_names(name: str) -> tuple[str, tuple[str, ...]]:
    """A state's short name in the word order of running text, and the other spellings of its ISO name.

    ISO writes `Korea, Republic of` and `Congo, The Democratic Republic of the`;
    drafts write `Republic of Korea` and `Democratic Republic of the Congo`.
    A parenthesis goes into an alias: `Holy See (Vatican City State)` is the
    Holy See, also called Vatican City State.
    """
    others: list[str] = [name]
    bracketed = _BRACKETED.search(name)
    if bracketed:
        others.append(bracketed.group(0).strip()[1:-1])
        name = name[:bracketed.start()]
    inverted = _INVERTED.match(name)
    if inverted:
        name = _LEADING_THE.sub("", f"{inverted['prefix']} {inverted['name']}")
        name = name[0].upper() + name[1:]
    return name, tuple(o for o in others if o != name)


def un_states() -> dict[str, dict]:
    """The member-state records of the UN registry, by code, in code order."""
    import pycountry

    aliases_by_code = yamlio.load(read_text(party_set_dir("un") / _ALIASES_FILE)) or {}
    members = un_members()
    states: dict[str, dict] = {}
    for code in sorted([*members, *OBSERVERS]):
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise CicatextError(f"{code} is not an ISO 3166-1 alpha-3 code that pycountry knows",
                                file=_MEMBERS_FILE, hint="update pycountry, or correct the list of members")
        short, iso_others = iso_names(country.name)
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        formal = _LEADING_THE.sub("", official) if official else short
        name = common or short
        aliases: list[str] = []
        for alias in (short, *iso_others, *(str(a) for a in aliases_by_code.get(code) or ())):
            if alias not in (name, formal, code) and alias not in aliases:
                aliases.append(alias)
        record: dict = {"code": code, "iso3": code, "name": {"en": name}, "formal_name": {"en": formal}}
        if code in members:
            record["member_since"] = members[code]
        else:
            record["observer"] = True
        if aliases:
            record["aliases"] = aliases
        states[code] = record
    return states


def write_un_registry(path: Path) -> None:
    """Write the UN settings, bodies, groups and states into the new repository at `path`."""
    source = party_set_dir("un")
    shutil.copytree(source, path, dirs_exist_ok=True,
                    ignore=lambda folder, names: [n for n in names if n in (_MEMBERS_FILE, _ALIASES_FILE)]
                    if Path(folder) == source else [])
    states = path / STATES_DIR
    states.mkdir(parents=True, exist_ok=True)
    for code, record in un_states().items():
        (states / f"{code}.yaml").write_text(yamlio.dump(record), encoding="utf-8")
