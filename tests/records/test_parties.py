"""Parties found by code, name or alias, lists of them, and groups opened to their members."""

from cicatext.records.parties import (
    GROUP,
    Parties,
    Party,
    name_key,
    parties_from_records,
)


def _parties() -> Parties:
    return Parties([
        Party("USA", "United States", aliases=("US", "U.S.", "United States of America")),
        Party("CAN", "Canada"),
        Party("GBR", "United Kingdom", aliases=("UK", "U.K.")),
        Party("BIH", "Bosnia and Herzegovina"),
        Party("CIV", "Côte d'Ivoire"),
        Party("NOR", "Norway"),
        Party("CHN", "China"),
        Party("G77", "Group of 77 and China", GROUP, ("G-77/China", "G-77", "G77 and China"), ("CHN", "CIV")),
        Party("EIG", "Environmental Integrity Group", GROUP, (), ("NOR", "G77")),
        Party("SEC", "Secretariat", "secretariat"),
    ])


def test_every_spelling_of_a_party_gives_its_code():
    parties = _parties()
    for spelling in ("USA", "US", "U.S.", "us", "United States", "the United States of America"):
        assert parties.resolve(spelling) == "USA", spelling
    assert parties.resolve("G-77/China") == "G77"
    assert parties.resolve("g 77") == "G77"
    assert parties.resolve("Cote d'Ivoire") == "CIV"
    assert parties.resolve("Atlantis") is None


def test_a_list_of_parties_keeps_names_that_contain_and():
    parties = _parties()
    assert parties.resolve_list("Canada, UK delete".removesuffix(" delete")) == (["CAN", "GBR"], [])
    assert parties.resolve_list("Bosnia and Herzegovina, Norway and U.S.") == (["BIH", "NOR", "USA"], [])
    assert parties.resolve_list("Group of 77 and China") == (["G77"], [])
    assert parties.resolve_list("EU, US, Atlantis") == (["USA"], ["EU", "Atlantis"])


def test_a_group_opens_to_its_members_through_other_groups():
    parties = _parties()
    assert parties.expand("G77") == ("CHN", "CIV")
    assert parties.expand("EIG") == ("NOR", "CHN", "CIV")
    assert parties.expand("USA") == ("USA",)
    assert parties.groups_of("CHN") == ("G77", "EIG")
    assert parties.is_group("G77") and not parties.is_group("CHN")


def test_a_name_two_parties_go_by_names_neither():
    parties = Parties([Party("AAA", "Alpha", aliases=("Shared",)), Party("BBB", "Beta", aliases=("Shared",))])
    assert parties.resolve("Shared") is None
    assert name_key("Shared") in parties.ambiguous


def test_a_code_is_never_taken_by_another_partys_alias():
    parties = Parties([Party("UK", "Ukraine-like code"), Party("GBR", "United Kingdom", aliases=("UK",))])
    assert parties.resolve("UK") == "UK"


def test_parties_from_registry_records():
    parties = parties_from_records(
        {"IRAN": {"code": "IRAN", "iso3": "IRN", "name": {"en": "Iran", "ru": "Иран"},
                  "formal_name": {"en": "Islamic Republic of Iran"}, "aliases": ["I.R. Iran"]}},
        {"ASIA": {"code": "ASIA", "name": {"en": "Asian Group"}, "members": ["IRAN"]}},
        "SEC")
    assert parties.resolve("Islamic Republic of Iran") == parties.resolve("IRN") == parties.resolve("I.R. Iran") == "IRAN"
    assert parties.expand("ASIA") == ("IRAN",)
    assert parties.resolve("sec") == "SEC"
