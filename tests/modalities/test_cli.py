"""The Modalities commands on a real git repository: each change is one commit; each refusal leaves HEAD and the tree alone."""

from __future__ import annotations

import json

import pytest

from cicatext.store import yamlio

from .conftest import git
from .test_cover_note import seed_note, words


def head(root) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def commits(root) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").strip())


def appointments(root, area: str) -> list[dict]:
    return yamlio.load((root / f"coordinators/{area}.yaml").read_text(encoding="utf-8"))["appointments"]


@pytest.fixture
def unchanged(sample_repo):
    """Asserts, after a refused command, that HEAD and the working tree are as before."""
    before = head(sample_repo)

    def check() -> None:
        assert head(sample_repo) == before
        assert git(sample_repo, "status", "--porcelain", "--untracked-files=all") == ""

    return check


def test_appoint_turns_the_recommendation_into_an_appointment(sample_repo, run):
    """Appointing Russia keeps the SWG's recommendation, records the SOC decision, and commits the one file."""
    count = commits(sample_repo)
    code, out, err = run("coordinator", "appoint", "RUS", "ict-security", "--decision", "SOC/2023/9", "--decided", "2023-11-20", "-C", str(sample_repo))
    assert (code, err) == (0, "")
    assert "Appoint RUS as coordinator of ict-security, 2024-01-01..2025-12-31 (SOC decision SOC/2023/9)" in out
    assert commits(sample_repo) == count + 1
    assert git(sample_repo, "show", "--name-only", "--format=", "HEAD").split() == ["coordinators/ict-security.yaml"]
    russia = appointments(sample_repo, "ict-security")[0]
    assert russia["state_of_record"] == "appointed"
    assert russia["decision"] == {"body": "SOC", "ref": "SOC/2023/9", "date": "2023-11-20"}
    assert russia["recommendation"]["ref"] == "SWG/2023-II/INF/2"
    text = (sample_repo / "coordinators/ict-security.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Coordinators and Co-coordinators")
    assert git(sample_repo, "status", "--porcelain") == ""


def test_offer_adds_a_record(sample_repo, run):
    """An offer is appended to the area's record as `offered`, in one commit."""
    count = commits(sample_repo)
    code, out, _ = run("coordinator", "offer", "Kazakhstan", "Combating Terrorism", "--role", "coordinator",
                       "--from", "2024-01-01", "--to", "2027-12-31", "--offered", "2023-09-01", "-C", str(sample_repo))
    assert code == 0
    added = appointments(sample_repo, "combating-terrorism")[-1]
    assert added == {"state": "KAZ", "role": "coordinator", "state_of_record": "offered", "from": "2024-01-01",
                     "to": "2027-12-31", "offered": {"date": "2023-09-01"}}
    assert git(sample_repo, "log", "-1", "--format=%s").strip() == "Offer: KAZ as coordinator of combating-terrorism, 2024-01-01..2027-12-31"
    assert commits(sample_repo) == count + 1


def test_offer_creates_the_file_of_an_area_without_one(sample_repo, run):
    """The first offer in an area makes coordinators/<area>.yaml."""
    code, _, _ = run("coordinator", "offer", "KAZ", "tourism", "--role", "co-coordinator", "-C", str(sample_repo))
    assert code == 0
    record = yamlio.load((sample_repo / "coordinators/tourism.yaml").read_text(encoding="utf-8"))
    assert record == {"area": "tourism", "appointments": [{"state": "KAZ", "role": "co-coordinator", "state_of_record": "offered"}]}


def test_extend_records_request_then_approval(sample_repo, run):
    """A request is recorded pending; the SOC's approval completes it and the record becomes extended."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "RUS", "ict-security", *repo)[0] == 0
    code, out, _ = run("coordinator", "extend", "RUS", "ict-security", "--to", "2026-12-31", "--requested", "2025-06-01", *repo)
    assert code == 0 and "awaiting SOC approval" in out
    assert appointments(sample_repo, "ict-security")[0]["extensions"] == [{"to": "2026-12-31", "requested": "2025-06-01"}]
    count = commits(sample_repo)
    assert run("coordinator", "extend", "RUS", "ict-security", "--to", "2026-12-31", "--decided", "2025-07-01", *repo)[0] == 0
    russia = appointments(sample_repo, "ict-security")[0]
    assert russia["state_of_record"] == "extended"
    assert russia["extensions"] == [{"to": "2026-12-31", "requested": "2025-06-01", "decision": {"body": "SOC", "date": "2025-07-01"}}]
    assert commits(sample_repo) == count + 1


def test_extend_without_soc_approval_or_request_is_refused(sample_repo, run):
    """1.12: an extension needs the SOC; with neither a decision nor a request nothing is written."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "RUS", "ict-security", *repo)[0] == 0
    unchanged_after_appoint = head(sample_repo)
    code, _, err = run("coordinator", "extend", "RUS", "ict-security", "--to", "2026-12-31", *repo)
    assert code == 1
    assert "Modalities 1.12: an extension is subject to approval by the SOC" in err
    assert head(sample_repo) == unchanged_after_appoint
    assert git(sample_repo, "status", "--porcelain") == ""


def test_terminate_records_notice_and_last_day(sample_repo, run):
    """Early termination with notice in advance is recorded and committed."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "CHN", "ict-security", *repo)[0] == 0
    count = commits(sample_repo)
    code, _, err = run("coordinator", "terminate", "CHN", "ict-security", "--effective", "2025-06-30", "--notice", "2025-01-15", *repo)
    assert (code, err) == (0, "")
    assert commits(sample_repo) == count + 1
    china = appointments(sample_repo, "ict-security")[1]
    assert (china["state_of_record"], china["termination"]) == ("terminated", {"notice": "2025-01-15", "effective": "2025-06-30"})


def test_terminate_with_short_notice_warns_but_writes(sample_repo, run):
    """Notice shorter than extension_notice_days is written with a 1.12 warning."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "CHN", "ict-security", *repo)[0] == 0
    code, _, err = run("coordinator", "terminate", "CHN", "ict-security", "--effective", "2025-06-30", "--notice", "2025-06-01", *repo)
    assert code == 0
    assert "warning: Modalities 1.12" in err


def test_terminate_with_notice_after_the_fact_is_refused(sample_repo, run):
    """1.12: notice dated after the termination takes effect is refused and nothing is written."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "CHN", "ict-security", *repo)[0] == 0
    before = head(sample_repo)
    code, _, err = run("coordinator", "terminate", "CHN", "ict-security", "--effective", "2025-06-30", "--notice", "2025-07-01", *repo)
    assert code == 1
    assert "coordinators/ict-security.yaml: Modalities 1.12: the notice of termination" in err
    assert head(sample_repo) == before
    assert git(sample_repo, "status", "--porcelain") == ""


def test_act_while_no_coordinator_then_appointment_ends_it(sample_repo, run):
    """China may act while no Coordinator serves; appointing Russia ends the acting period the day before."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "CHN", "ict-security", *repo)[0] == 0
    count = commits(sample_repo)
    code, out, _ = run("coordinator", "act", "CHN", "ict-security", "--from", "2024-01-01", "--consent", "no other Co-coordinators", *repo)
    assert code == 0 and "until a Coordinator is appointed" in out
    assert commits(sample_repo) == count + 1
    china = appointments(sample_repo, "ict-security")[1]
    assert (china["state_of_record"], china["acting"]) == ("acting", [{"from": "2024-01-01", "consent": "no other Co-coordinators"}])
    code, _, _ = run("coordinator", "appoint", "RUS", "ict-security", "--from", "2024-07-01", "--to", "2026-06-30", *repo)
    assert code == 0
    china = appointments(sample_repo, "ict-security")[1]
    assert (china["state_of_record"], china["acting"][0]["to"]) == ("appointed", "2024-06-30")
    assert git(sample_repo, "show", "--name-only", "--format=", "HEAD").split() == ["coordinators/ict-security.yaml"]


def test_act_while_a_coordinator_serves_is_refused(sample_repo, run):
    """1.11: a Co-coordinator may not act while there is a Coordinator."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "RUS", "ict-security", *repo)[0] == 0
    assert run("coordinator", "appoint", "CHN", "ict-security", *repo)[0] == 0
    before = head(sample_repo)
    code, _, err = run("coordinator", "act", "CHN", "ict-security", "--from", "2024-03-01", *repo)
    assert code == 1
    assert "Modalities 1.11: CHN acts as Coordinator of ict-security" in err
    assert "while RUS is Coordinator" in err
    assert head(sample_repo) == before and git(sample_repo, "status", "--porcelain") == ""


def test_act_by_a_state_that_is_not_co_coordinator_is_refused(sample_repo, run, unchanged):
    """1.11: only an appointed Co-coordinator may act (China is only recommended)."""
    code, _, err = run("coordinator", "act", "CHN", "ict-security", "--from", "2024-03-01", "-C", str(sample_repo))
    assert code == 1
    assert "Modalities 1.11: CHN is not an appointed Co-coordinator of ict-security" in err
    unchanged()


def test_second_coordinator_is_refused(sample_repo, run):
    """1.9: appointing a second Coordinator over an overlapping tenure is refused and nothing is written."""
    repo = ["-C", str(sample_repo)]
    assert run("coordinator", "appoint", "RUS", "ict-security", *repo)[0] == 0
    before = head(sample_repo)
    code, _, err = run("coordinator", "appoint", "KAZ", "ict-security", "--role", "coordinator", "--from", "2025-12-31", "--to", "2027-12-30", *repo)
    assert code == 1
    assert "Modalities 1.9: one Coordinator per priority area" in err
    assert "from 2025-12-31 to 2025-12-31" in err
    assert "nothing was written" in err
    assert head(sample_repo) == before and git(sample_repo, "status", "--porcelain") == ""


def test_tenure_out_of_bounds_is_refused(sample_repo, run, unchanged):
    """1.10: four years and a day is refused; exactly four years is accepted."""
    repo = ["-C", str(sample_repo)]
    code, _, err = run("coordinator", "appoint", "KAZ", "tourism", "--role", "coordinator", "--from", "2024-01-01", "--to", "2028-01-01", *repo)
    assert code == 1 and "Modalities 1.10" in err and "longer than 4 years" in err
    unchanged()
    assert not (sample_repo / "coordinators/tourism.yaml").exists()
    code, _, _ = run("coordinator", "appoint", "KAZ", "tourism", "--role", "coordinator", "--from", "2024-01-01", "--to", "2027-12-31", *repo)
    assert code == 0


def test_bad_date_names_the_argument_and_the_form(sample_repo, run, unchanged):
    """A date that does not parse is a usage error naming the argument and YYYY-MM-DD."""
    code, _, err = run("coordinator", "offer", "KAZ", "tourism", "--role", "coordinator", "--from", "1 Jan 2024", "-C", str(sample_repo))
    assert code == 2
    assert "--from: '1 Jan 2024' is not a date" in err and "YYYY-MM-DD" in err
    code, _, err = run("deadlines", "--as-of", "2023-02-30", "-C", str(sample_repo))
    assert code == 2 and "--as-of: '2023-02-30' is not a calendar date" in err
    unchanged()


def test_unknown_state_and_area_suggest_the_nearest(sample_repo, run, unchanged):
    """Unknown names are refused with the nearest known one."""
    code, _, err = run("coordinator", "offer", "RUSS", "ict-security", "--role", "coordinator", "-C", str(sample_repo))
    assert code == 2 and "unknown member state 'RUSS'" in err and "did you mean RUS (Russia)?" in err
    code, _, err = run("coordinator", "offer", "RUS", "ict-securty", "--role", "coordinator", "-C", str(sample_repo))
    assert code == 2 and "unknown priority area 'ict-securty'" in err and "did you mean ict-security" in err
    unchanged()


def test_coordinators_lists_recommendations_and_offers(sample_repo, run):
    """On the sample, nobody serves yet: Russia and China are recommended, Iraq and Israel have offered."""
    code, out, _ = run("coordinators", "--as-of", "2023-06-20", "--json", "-C", str(sample_repo))
    assert code == 0
    listing = json.loads(out)
    areas = {a["id"]: a for d in listing["dimensions"] for a in d["areas"]}
    assert set(areas) == {"ict-security", "combating-terrorism", "sustainable-development"}
    ict = areas["ict-security"]
    assert ict["coordinator"] is None
    assert [(p["state"], p["role"], p["state_of_record"], p["from"], p["to"]) for p in ict["pending"]] == [
        ("RUS", "coordinator", "recommended", "2024-01-01", "2025-12-31"),
        ("CHN", "co-coordinator", "recommended", "2024-01-01", "2025-12-31"),
    ]
    assert [(p["state"], p["state_of_record"]) for p in areas["combating-terrorism"]["pending"]] == [("IRAQ", "offered")]
    assert [(p["state"], p["state_of_record"]) for p in areas["sustainable-development"]["pending"]] == [("ISR", "offered")]
    code, out, _ = run("coordinators", "--as-of", "2023-06-20", "-C", str(sample_repo))
    assert "recommended by the SWG (SWG/2023-II/INF/2), SOC decision pending" in out
    code, out, _ = run("coordinators", "--as-of", "2023-06-20", "--all", "--json", "-C", str(sample_repo))
    assert "tourism" in {a["id"] for d in json.loads(out)["dimensions"] for a in d["areas"]}


def test_coordinators_after_appointment(sample_repo, run):
    """Once appointed, Russia shows as Coordinator within its tenure and as starting later before it."""
    repo = ["-C", str(sample_repo)]
    run("coordinator", "appoint", "RUS", "ict-security", *repo)
    during = json.loads(run("coordinators", "--as-of", "2024-01-01", "--json", *repo)[1])
    ict = next(a for d in during["dimensions"] for a in d["areas"] if a["id"] == "ict-security")
    assert ict["coordinator"]["state"] == "RUS"
    before = json.loads(run("coordinators", "--as-of", "2023-12-31", "--json", *repo)[1])
    ict = next(a for d in before["dimensions"] for a in d["areas"] if a["id"] == "ict-security")
    assert ict["coordinator"] is None and [a["state"] for a in ict["starting_later"]] == ["RUS"]


def test_deadlines_on_the_sample(sample_repo, run):
    """The comment deadline on the Modalities, 15 July 2023: due on 20 June, overdue on 16 July."""
    code, out, _ = run("deadlines", "--as-of", "2023-06-20", "--json", "-C", str(sample_repo))
    assert code == 0
    listing = json.loads(out)
    assert listing["as_of"] == "2023-06-20"
    assert [(d["rule"], d["due"], d["status"], d["source"]) for d in listing["deadlines"]] == [("meeting", "2023-07-15", "due", "meetings/swg-2023-06")]
    _, out, _ = run("deadlines", "--as-of", "2023-07-16", "-C", str(sample_repo))
    assert "2023-07-15  overdue" in out


def test_deadlines_after_appointment_carry_the_rule(sample_repo, run):
    """Appointed on 20 November 2023, Russia owes a concept paper on 20 February 2024 (2.7)."""
    repo = ["-C", str(sample_repo)]
    run("coordinator", "appoint", "RUS", "ict-security", "--decided", "2023-11-20", *repo)
    listing = json.loads(run("deadlines", "--as-of", "2024-02-20", "--json", *repo)[1])
    found = {d["rule"]: d for d in listing["deadlines"]}
    assert (found["2.7"]["due"], found["2.7"]["status"], found["2.7"]["state"]) == ("2024-02-20", "due", "RUS")
    assert found["1.3"]["due"] == "2025-12-31"
    listing = json.loads(run("deadlines", "--as-of", "2024-02-21", "--json", *repo)[1])
    assert next(d for d in listing["deadlines"] if d["rule"] == "2.7")["status"] == "overdue"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_note_reproduces_swg_739(sample_repo, run, seed_text, language):
    """`cicatext note --lang` on the sample gives the seed's note, in both languages, from the repository's templates."""
    code, out, err = run("note", "--lang", language, "-C", str(sample_repo))
    assert (code, err) == (0, "")
    assert words(out) == words(seed_note(seed_text, language))


def test_note_by_meeting_or_number_in_both_languages(sample_repo, run):
    """The note can be named by meeting or number; without --lang both languages come out; --json lists the documents."""
    code, out, _ = run("note", "SWG/739", "--json", "-C", str(sample_repo))
    assert code == 0
    result = json.loads(out)
    assert (result["meeting"], result["number"]) == ("swg-2023-06", "SWG/739")
    assert [n["language"] for n in result["notes"]] == ["en", "ru"]
    assert [(d["symbol"], d["action"]) for d in result["notes"][1]["documents"]][1] == ("MC/2023/CHAIR/1/Rev.1", "agreed")
    assert result["notes"][1]["documents"][1]["phrase"] == "согласованный СРГ"
    code, out, _ = run("note", "swg-2023-06", "--number", "SWG/740", "--lang", "en", "-C", str(sample_repo))
    assert "No. SWG/740" in out


def test_note_uses_the_edited_template(sample_repo, run):
    """Staff edit notes/templates/cover-note.en.txt and the note follows."""
    template = sample_repo / "notes/templates/cover-note.en.txt"
    template.write_text(template.read_text(encoding="utf-8").replace("presents its compliments", "presents its warm compliments"), encoding="utf-8")
    _, out, _ = run("note", "--lang", "en", "-C", str(sample_repo))
    assert "presents its warm compliments" in out


def test_note_for_a_meeting_without_documents_names_the_file(sample_repo, run):
    """A meeting with no documents is one clear error at its file and line; nothing is written."""
    (sample_repo / "meetings/soc-2023-07.yaml").write_text(
        "id: soc-2023-07\nbody: SOC\ndates:\n  from: 2023-07-01\n  to: 2023-07-01\ndocuments: []\n", encoding="utf-8")
    code, out, err = run("note", "soc-2023-07", "-C", str(sample_repo))
    assert (code, out) == (1, "")
    assert err.startswith("meetings/soc-2023-07.yaml:6:1: meeting soc-2023-07 has no documents to forward")


def test_note_for_an_unknown_meeting_suggests_one(sample_repo, run):
    """An unknown meeting id names the nearest."""
    code, _, err = run("note", "swg-2023-6", "-C", str(sample_repo))
    assert code == 2 and "did you mean swg-2023-06?" in err


@pytest.mark.parametrize("language", ["en", "ru"])
def test_demo_repository_reproduces_swg_739(demo_repo, run, seed_text, language):
    """On the repository `cicatext demo` builds, the note is SWG/739 and the Modalities records break no rule."""
    from cicatext.store.modalities.checking import check_repository

    code, out, _ = run("note", "--lang", language, "-C", str(demo_repo.root))
    assert code == 0
    assert words(out) == words(seed_note(seed_text, language))
    assert [p.format() for p in check_repository(demo_repo)] == []


def test_change_commands_report_in_json(sample_repo, run):
    """With --json a change reports its commit, file, message and the appointment as written."""
    code, out, _ = run("coordinator", "appoint", "CHN", "ict-security", "--decided", "2023-11-20", "--json", "-C", str(sample_repo))
    assert code == 0
    result = json.loads(out)
    assert result["commit"] == head(sample_repo)
    assert (result["file"], result["warnings"]) == ("coordinators/ict-security.yaml", [])
    [china] = result["appointments"]
    assert (china["state"], china["role"], china["state_of_record"], china["decision"]) == (
        "CHN", "co-coordinator", "appointed", {"body": "SOC", "ref": None, "date": "2023-11-20"})
