"""`cicatext init --parties un`: the UN member and observer states from ISO 3166, the negotiating groups, settings
that validate, and the sources their lists come from."""

from __future__ import annotations

import csv
import importlib.resources

import pytest

from cicatext.cli.main import main
from cicatext.errors import UsageError
from cicatext.store.register.create import init_repository
from cicatext.store.register.un_parties import OBSERVERS, iso_names, un_members
from cicatext.store.repository import Repository
from cicatext.store.validation.validate import validate


@pytest.fixture(scope="module")
def un_repo(tmp_path_factory) -> Repository:
    """A repository made by `init --parties un`, shared by the tests that only read it."""
    return init_repository(tmp_path_factory.mktemp("un") / "repo", parties="un")


def _country_converter_rows() -> list[dict[str, str]]:
    """The rows of country_converter's own table, read as the text file it ships."""
    table = importlib.resources.files("country_converter") / "country_data.tsv"
    with table.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_the_un_registry_holds_every_member_and_observer_state(un_repo):
    """193 member states with their year of admission, the Holy See and the State of Palestine as observers."""
    states = un_repo.states
    assert len(states) == 195
    members = [code for code, record in states.items() if "member_since" in record]
    assert len(members) == 193
    assert {code for code, record in states.items() if record.get("observer")} == set(OBSERVERS) == {"VAT", "PSE"}
    assert states["USA"]["name"] == {"en": "United States"}
    assert states["USA"]["formal_name"] == {"en": "United States of America"}
    assert states["GBR"]["member_since"] == 1945
    assert all(code == record["iso3"] and len(code) == 3 for code, record in states.items())
    assert un_repo.settings["organisation"]["code"] == "UN"
    assert "chairmanship" not in un_repo.settings and "symbols" not in un_repo.settings
    assert un_repo.dirty_paths() == []


def test_drafts_names_for_a_state_give_its_code(un_repo):
    """US, U.S., USA and United States (of America) are the United States; UK, Russia, Iran and others likewise."""
    parties = un_repo.parties
    for spelling in ("USA", "US", "U.S.", "us", "United States", "the United States of America"):
        assert parties.resolve(spelling) == "USA", spelling
    for spelling, code in (("UK", "GBR"), ("U.K.", "GBR"), ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
                           ("Russia", "RUS"), ("Russian Federation", "RUS"), ("Iran", "IRN"),
                           ("Islamic Republic of Iran", "IRN"), ("Republic of Korea", "KOR"), ("DPRK", "PRK"),
                           ("Democratic Republic of the Congo", "COD"), ("Congo", "COG"), ("Türkiye", "TUR"),
                           ("Turkey", "TUR"), ("Holy See", "VAT"), ("State of Palestine", "PSE"),
                           ("Cote d'Ivoire", "CIV"), ("Viet Nam", "VNM"), ("G-77/China", "G77"),
                           ("Group of 77 and China", "G77"), ("LDCs", "LDCS"), ("African Group of Negotiators", "AGN")):
        assert parties.resolve(spelling) == code, spelling
    assert parties.resolve_list("Canada, UK and Norway") == (["CAN", "GBR", "NOR"], [])
    assert parties.resolve_list("Antigua and Barbuda, U.S. and EU") == (["ATG", "USA", "EU"], [])


def test_two_letter_words_name_no_party(un_repo):
    """ISO's two-letter codes are not aliases: a note such as (NO) or (IN) names nobody, while NOR is Norway."""
    parties = un_repo.parties
    for word in ("NO", "IN", "IS", "AT", "BE", "TO", "AM", "ME", "MY", "SO", "IT", "ID", "DO", "AS", "HE", "OR",
                 "GO", "AN", "no", "in"):
        assert parties.resolve(word) is None, word
    assert parties.resolve("NOR") == parties.resolve("Norway") == "NOR"
    assert parties.resolve_list("NO") == ([], ["NO"])
    assert not parties.ambiguous


def test_every_groups_members_are_states_of_the_registry(un_repo):
    """Each group lists only states of the registry, and the groups drafts name most are there with their members."""
    groups = un_repo.groups
    assert {"G77", "EU", "AOSIS", "LDCS", "LMDC", "AGN", "AILAC", "ARAB", "UMBRELLA", "EIG", "CANZ", "JUSSCANNZ",
            "ALBA", "BASIC"} <= set(groups)
    for code, record in groups.items():
        assert record["members"], code
        assert set(record["members"]) <= set(un_repo.states), code
    assert len(groups["EU"]["members"]) == 27
    assert len(groups["AGN"]["members"]) == 54
    assert "CHN" in groups["G77"]["members"] and "USA" not in groups["G77"]["members"]
    assert un_repo.parties.groups_of("CAN") == ("CANZ", "JUSSCANNZ", "UMBRELLA")


def test_a_fresh_un_repository_validates(un_repo):
    """validate finds no problem in a repository just made by init --parties un."""
    assert validate(un_repo) == []


def test_a_group_member_that_is_no_state_is_reported(tmp_path):
    """A group naming a code the registry lacks is an error at its place in the file, with the nearest code."""
    repo = init_repository(tmp_path / "repo", parties="un")
    path = repo.path("registry/groups/CANZ.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("[AUS, CAN, NZL]", "[AUS, CAN, NZE]"), encoding="utf-8")
    repo.refresh()
    problems = [p for p in validate(repo) if p.severity == "error"]
    assert [(p.file, p.message) for p in problems] == [("registry/groups/CANZ.yaml", "group member 'NZE' is not in the registry")]


def test_the_list_of_members_is_country_converters():
    """The shipped list of member states and their years is the UNmember column of country_converter."""
    from_package = {row["ISO3"]: int(row["UNmember"]) for row in _country_converter_rows() if row["UNmember"]}
    assert un_members() == from_package


def test_the_eu_and_basic_groups_agree_with_country_converter(un_repo):
    """The EU's 27 members and BASIC's four are those country_converter lists (EU27 and BASIC columns)."""
    rows = _country_converter_rows()
    assert set(un_repo.groups["EU"]["members"]) == {row["ISO3"] for row in rows if row["EU27"] == "EU27"}
    assert set(un_repo.groups["BASIC"]["members"]) == {row["ISO3"] for row in rows if row["BASIC"] == "BASIC"}


def test_iso_names_read_in_running_order():
    """ISO's inverted names are turned round for running text, the inverted form kept as an alias."""
    assert iso_names("Korea, Republic of") == ("Republic of Korea", ("Korea, Republic of",))
    assert iso_names("Congo, The Democratic Republic of the")[0] == "Democratic Republic of the Congo"
    assert iso_names("Holy See (Vatican City State)") == ("Holy See", ("Holy See (Vatican City State)",
                                                                        "Vatican City State"))
    assert iso_names("Norway") == ("Norway", ())


def test_init_command_with_un_parties_then_validate(tmp_path, capsys):
    """The command line makes the UN registry, says what it holds, and the repository validates."""
    assert main(["init", str(tmp_path / "un"), "--parties", "un"]) == 0
    assert "195 states and 14 negotiating groups" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "un")]) == 0
    assert (tmp_path / "un" / "registry" / "states" / "USA.yaml").is_file()
    assert not (tmp_path / "un" / "registry" / "states" / "IRAN.yaml").exists()
    assert not (tmp_path / "un" / "registry" / "areas").exists()


def test_the_default_stays_cica(tmp_path):
    """Without --parties, init gives CICA's registry and settings as before."""
    assert main(["init", str(tmp_path / "cica")]) == 0
    repo = Repository(tmp_path / "cica")
    assert repo.settings["organisation"]["code"] == "CICA" and "IRAN" in repo.states and repo.groups == {}


def test_an_unknown_set_of_parties_is_refused_and_nothing_is_written(tmp_path, capsys):
    """--parties nonsense is one message naming the choices, exit 2, and no folder; the core refuses it too."""
    with pytest.raises(SystemExit) as stop:
        main(["init", str(tmp_path / "bad"), "--parties", "nonsense"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and "'un'" in err and "Traceback" not in err
    with pytest.raises(UsageError, match="unknown set of parties 'nonsense'"):
        init_repository(tmp_path / "bad", parties="nonsense")
    assert list(tmp_path.iterdir()) == []
