"""Loading, checking and rewriting the Modalities records of a repository; the schemas; the pure core's boundary."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cicatext.records.lifecycle import StatusStep, check_lifecycle
from cicatext.store import schemas, yamlio
from cicatext.store.demo.modalities import sample_records
from cicatext.store.layout import kind_of
from cicatext.store.modalities.checking import check_repository
from cicatext.store.modalities.loading import load_records
from cicatext.store.modalities.writing import render_area
from cicatext.store.repository import Repository

from .conftest import ROOT, git
from .test_cover_note import seed_note, words

KINDS = ("coordinator", "concept-paper", "action-plan", "review", "meeting", "note")


@pytest.mark.parametrize("path", [p for p in sample_records() if p.endswith(".yaml")])
def test_sample_records_match_their_schemas(path):
    """Every sample record is valid against the schema of its kind."""
    record = yamlio.load(sample_records()[path])
    assert [e.message for e in schemas.errors(kind_of(path), record)] == []


@pytest.mark.parametrize("path", [p for p in sample_records() if p.endswith(".yaml")])
def test_sample_records_survive_a_rewrite_unchanged(path):
    """The sample files are written as the round-trip writer writes, so a command's rewrite changes only what it must."""
    text = sample_records()[path]
    assert yamlio.dump(yamlio.load_roundtrip(text)) == text


def test_sample_records_say_what_the_seed_says():
    """Russia and China recommended by the SWG, not appointed; Iraq's and Israel's offers; the meeting's five documents and deadline."""
    records = {path: yamlio.load(text) for path, text in sample_records().items() if path.endswith(".yaml")}
    ict = records["coordinators/ict-security.yaml"]["appointments"]
    assert [(a["state"], a["role"], a["state_of_record"], a["from"], a["to"]) for a in ict] == [
        ("RUS", "coordinator", "recommended", "2024-01-01", "2025-12-31"),
        ("CHN", "co-coordinator", "recommended", "2024-01-01", "2025-12-31"),
    ]
    assert all("decision" not in a for a in ict)
    assert [(a["state"], a["role"], a["state_of_record"]) for a in records["coordinators/combating-terrorism.yaml"]["appointments"]] == [("IRAQ", "co-coordinator", "offered")]
    assert [(a["state"], a["role"], a["state_of_record"]) for a in records["coordinators/sustainable-development.yaml"]["appointments"]] == [("ISR", "co-coordinator", "offered")]
    meeting = records["meetings/swg-2023-06.yaml"]
    assert (meeting["body"], meeting["dates"], meeting["mode"], meeting["place"]["en"]) == ("SWG", {"from": "2023-06-13", "to": "2023-06-14"}, "hybrid", "Astana")
    assert [(d["symbol"], d["action"]) for d in meeting["documents"]] == [
        ("SWG/2023-II/INF/2", "adopted"),
        ("MC/2023/CHAIR/1/Rev.1", "agreed"),
        ("MC/2023/DRAFT/3/Rev.1", "agreed"),
        ("MC/2023/DRAFT/4", "considered"),
        ("MC/2023/DRAFT/5", "considered"),
    ]
    assert [(d["date"], d["documents"]) for d in meeting["deadlines"]] == [("2023-07-15", ["MC/2023/DRAFT/4"])]
    note = records["notes/swg-739.yaml"]
    assert (note["number"], note["meeting"], note["date"], note["languages"]) == ("SWG/739", "swg-2023-06", "2023-06-14", ["en", "ru"])


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_describe_every_property(kind):
    """Each property of each Modalities schema has a description, and unknown keys are refused."""
    schema = json.loads((ROOT / "cicatext" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert "$id" not in schema  # resolved beside its file (tests/test_schemas.py)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
            for name, sub in (node.get("properties") or {}).items():
                assert sub.get("description"), f"{where}/{name}"
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{where}/{n}")

    walk(schema, kind)


def test_schema_refuses_an_unknown_state_of_record():
    """state_of_record is one of the seven words."""
    record = {"area": "ict-security", "appointments": [{"state": "RUS", "role": "coordinator", "state_of_record": "nominated"}]}
    assert schemas.errors("coordinator", record)


def test_sample_repository_has_no_rule_errors(sample_repo):
    """check_repository on the sample finds nothing wrong."""
    assert [p.format() for p in check_repository(Repository.open(sample_repo))] == []


def test_bad_date_is_located(sample_repo):
    """A date that does not parse is reported at its file, line and column."""
    path = sample_repo / "coordinators/ict-security.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("to: 2025-12-31", "to: 31.12.2025", 1), encoding="utf-8")
    problems = [p for p in check_repository(Repository.open(sample_repo)) if p.severity == "error"]
    assert [(p.file, p.line, p.column) for p in problems] == [("coordinators/ict-security.yaml", 10, 5)]
    assert "'31.12.2025' is not a date" in problems[0].message
    assert "YYYY-MM-DD" in problems[0].hint


def test_impossible_date_is_located(sample_repo):
    """A day the month does not have (2023-06-31) is reported where it stands, not as a crash."""
    path = sample_repo / "meetings/swg-2023-06.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("to: 2023-06-14", "to: 2023-06-31"), encoding="utf-8")
    from cicatext.store.validation.validate import validate

    problems = [p for p in validate(Repository.open(sample_repo)) if p.severity == "error"]
    assert [(p.file, p.line, p.column, p.message) for p in problems] == [
        ("meetings/swg-2023-06.yaml", 7, 7, "2023-06-31 is not a date")]


def test_unknown_state_and_area_are_located_with_the_nearest(sample_repo):
    """An unknown code names the nearest known one."""
    path = sample_repo / "coordinators/combating-terrorism.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("state: IRAQ", "state: IRQ"), encoding="utf-8")
    path = sample_repo / "coordinators/sustainable-development.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("area: sustainable-development", "area: sustainable-developmnt"), encoding="utf-8")
    problems = sorted(check_repository(Repository.open(sample_repo)), key=lambda p: p.file)
    assert [(p.file, p.line, p.message, p.hint) for p in problems] == [
        ("coordinators/combating-terrorism.yaml", 5, "unknown member state 'IRQ'", "did you mean IRAQ (Iraq)?"),
        ("coordinators/sustainable-development.yaml", 3, "unknown priority area 'sustainable-developmnt'", "did you mean sustainable-development (Sustainable Development)?"),
    ]


def test_rule_breach_in_a_file_is_a_located_problem(sample_repo):
    """validate reports a rule with the paragraph, at the offending field."""
    path = sample_repo / "coordinators/ict-security.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("to: 2025-12-31", "to: 2028-01-01", 1), encoding="utf-8")
    problems = check_repository(Repository.open(sample_repo))
    assert [(p.file, p.line, p.column, p.code) for p in problems] == [("coordinators/ict-security.yaml", 10, 5, "rule")]
    assert problems[0].message.startswith("Modalities 1.10: ")


def test_lifecycle_steps_up_the_ladder_without_warnings():
    """SWG agreed, SOC approved, MC adopted, Summit endorsed: in order, no warning."""
    steps = [StatusStep("SWG", "agreed", date(2023, 6, 14)), StatusStep("SOC", "approved", date(2023, 7, 1)),
             StatusStep("MC", "adopted", date(2023, 9, 21)), StatusStep("SUMMIT", "endorsed", date(2024, 10, 1))]
    assert check_lifecycle(steps) == []


def test_lifecycle_repeated_body_is_fine():
    """A body may consider a document several times (the Volunteerism statement: circulated, then considered)."""
    assert check_lifecycle([StatusStep("SWG", "circulated", date(2023, 6, 7)), StatusStep("SWG", "considered", date(2023, 6, 14))]) == []


def test_lifecycle_skipping_a_body_warns():
    """From the SWG straight to the MC skips the SOC."""
    findings = check_lifecycle([StatusStep("SWG", "considered", date(2023, 6, 14)), StatusStep("MC", "adopted", date(2023, 9, 21))])
    assert [(f.severity, f.index) for f in findings] == [("warning", 1)]
    assert "skipping SOC" in findings[0].message


def test_lifecycle_going_backwards_warns():
    """A step down from the MC to the SWG, or back in time, is a warning."""
    backwards = check_lifecycle([StatusStep("SOC", "approved", date(2023, 7, 1)), StatusStep("SWG", "considered", date(2023, 8, 1))])
    assert ["goes backwards from SOC" in f.message for f in backwards] == [True]
    earlier = check_lifecycle([StatusStep("SWG", "considered", date(2023, 6, 14)), StatusStep("SWG", "agreed", date(2023, 6, 1))])
    assert ["before the previous step" in f.message for f in earlier] == [True]


def test_lifecycle_warning_in_validate_points_at_the_step(sample_repo):
    """A document whose status skips the SOC is warned about at that status entry."""
    path = sample_repo / "documents/mc-2023-draft-5/document.yaml"
    record = yamlio.load(path.read_text(encoding="utf-8"))
    record["status"].append({"body": "MC", "action": "adopted", "date": "2023-09-21"})
    path.write_text(yamlio.dump(record), encoding="utf-8")
    problems = check_repository(Repository.open(sample_repo))
    assert [(p.file, p.severity, p.code) for p in problems] == [("documents/mc-2023-draft-5/document.yaml", "warning", "lifecycle")]
    text = path.read_text(encoding="utf-8").splitlines()
    assert "body: MC" in text[problems[0].line - 1]


def test_render_area_keeps_comments_and_untouched_fields(sample_repo):
    """Rewriting one appointment leaves the file's comments and the other appointments as they were."""
    from dataclasses import replace

    repo = Repository.open(sample_repo)
    russia = load_records(repo).records.in_area("ict-security")[0]
    _, text = render_area(repo, "ict-security", [replace(russia, state_of_record="appointed")])
    before = sample_records()["coordinators/ict-security.yaml"]
    assert text == before.replace("state_of_record: recommended", "state_of_record: appointed", 1)


def test_fixture_repository_is_committed(sample_repo):
    """The fixture leaves a clean work tree."""
    assert git(sample_repo, "status", "--porcelain") == ""


def _doc_examples() -> list[tuple[str, dict]]:
    import re

    text = (ROOT / "docs" / "modalities.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL):
        first = block.splitlines()[0]
        if first.startswith("# ") and "/" in first:
            found.append((first[2:].strip(), yamlio.load(block)))
    return found


@pytest.mark.parametrize(("path", "record"), _doc_examples(), ids=[p for p, _ in _doc_examples()])
def test_docs_examples_are_valid_and_match_the_sample(path, record):
    """Each record shown in docs/modalities.md matches its schema, and equals the sample record where there is one."""
    assert [e.message for e in schemas.errors(kind_of(path), record)] == []
    if path in sample_records():
        assert record == yamlio.load(sample_records()[path])


def test_docs_show_every_modalities_kind():
    """docs/modalities.md has an example of each of the six kinds."""
    assert {kind_of(path) for path, _ in _doc_examples()} == set(KINDS)


def test_workflow_commits_an_action_and_returns_it(sample_repo):
    """An offer through the store's workflow is one commit of the area's file, returned with the state names for the report."""
    from cicatext.store.modalities import workflow

    repo = Repository.open(sample_repo)
    change = workflow.offer(repo, "Kazakhstan", "ict-security", role="co-coordinator", start=date(2024, 1, 1), end=date(2025, 12, 31))
    assert change.message == "Offer: KAZ as co-coordinator of ict-security, 2024-01-01..2025-12-31"
    assert change.file == "coordinators/ict-security.yaml"
    assert git(sample_repo, "rev-parse", "HEAD").strip() == change.commit
    assert [a.state_of_record for a in change.appointments] == ["offered"]
    assert change.state_names["KAZ"] == "Kazakhstan"


def test_cover_notes_by_number_reproduce_swg_739_without_the_cli(sample_repo, seed_text):
    """Named by its number, the sample's note is SWG/739 of meeting swg-2023-06, in the note's two languages, with nothing guessed."""
    from cicatext.store.modalities.cover_notes import cover_notes

    found = cover_notes(Repository.open(sample_repo), "SWG/739")
    assert (found.meeting, found.number, found.warnings) == ("swg-2023-06", "SWG/739", ())
    assert [words(n.text) for n in found.notes] == [words(seed_note(seed_text, language)) for language in ("en", "ru")]
