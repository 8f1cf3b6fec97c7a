"""A document kept in two languages: rounds, agree and drop carry their change to the other language, or mark
what awaits translation, so the repository still validates."""

from __future__ import annotations

import json

import pytest

from cicatext.store import yamlio
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.decisions import agree_bracket, drop_bracket
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.validation.validate import validate
from tests.ids import at_in
from tests.negotiation.conftest import cli, git, snapshot

SYMBOL = "MC/2024/DRAFT/2"
FOLDER = "documents/mc-2024-draft-2"
EN = """{#pp1} The Council,

{#op1} 1. Supports [the plan] (+IND) and [the road map] (-CHN) of the Council;

{#op2} 2. Requests the Secretariat to report.
"""
RU = """{#pp1} Совет,

{#op1} 1. Поддерживает [план] (+IND) и [дорожную карту] (-CHN) Совета;

{#op2} 2. Просит Секретариат доложить.
"""


@pytest.fixture
def bilingual(new_repo):
    record = {"symbol": SYMBOL, "kind": "decision", "title": {"en": "Draft decision", "ru": "Проект решения"},
              "sponsor": "CHAIR", "languages": ["en", "ru"]}
    new_repo.commit({f"{FOLDER}/document.yaml": yamlio.dump(record), f"{FOLDER}/en.txt": EN,
                     f"{FOLDER}/ru.txt": RU}, f"Add {SYMBOL}")
    assert [p for p in validate(new_repo) if p.severity == "error"] == []
    return new_repo


def propose_edit(repo, code: str, old: str, new: str) -> None:
    start_delegation(repo, code)
    path = repo.root / f"{FOLDER}/en.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    propose(repo, SYMBOL)
    git(repo.root, "switch", "--quiet", "main")


def ru(repo) -> str:
    return repo.read_text(f"{FOLDER}/ru.txt")


def awaiting(repo) -> dict:
    return yamlio.load(repo.read_text(f"{FOLDER}/document.yaml")).get("awaiting_translation") or {}


def test_agree_and_drop_are_carried_to_the_other_language(bilingual):
    agree_bracket(bilingual, SYMBOL, at_in(bilingual, SYMBOL, "op1:1"))
    assert "Поддерживает план и [дорожную карту] (-CHN) Совета;" in ru(bilingual)
    drop_bracket(bilingual, SYMBOL, at_in(bilingual, SYMBOL, "op1:1"))
    assert "{#op1} 1. Поддерживает план и Совета;" in ru(bilingual)
    assert awaiting(bilingual) == {}
    assert validate(bilingual) == []


def test_a_round_that_only_attributes_is_carried_to_the_other_language(bilingual):
    propose_edit(bilingual, "RUS", "[the plan] (+IND)", "[the plan] (+IND) (+RUS)")
    result = run_round(bilingual, SYMBOL)
    assert result.awaiting == {}
    assert "[план] (+IND) (+RUS)" in ru(bilingual)
    assert validate(bilingual) == []


def test_a_round_with_new_words_marks_the_paragraph_as_awaiting_translation(bilingual, capsys):
    propose_edit(bilingual, "IND", "to report.", "to report annually.")
    assert cli("round", SYMBOL, "-C", str(bilingual.root)) == 0
    err = capsys.readouterr().err
    assert "warning: awaiting translation in ru: op2" in err
    assert awaiting(bilingual) == {"ru": ["op2"]}
    assert ru(bilingual) == RU  # the Russian words are not touched: they await their translator
    problems = validate(bilingual)
    assert [(p.severity, p.message) for p in problems] == [("warning", "paragraph op2 awaits translation into ru")]
    assert cli("validate", str(bilingual.root)) == 0


def test_a_paragraph_whose_languages_already_differ_is_marked_not_corrupted(bilingual):
    bilingual.commit({f"{FOLDER}/ru.txt": RU.replace("[дорожную карту] (-CHN) ", "дорожную карту ")},
                     "A Russian text behind")
    agree_bracket(bilingual, SYMBOL, at_in(bilingual, SYMBOL, "op1:1"))
    assert "Поддерживает [план] (+IND) и дорожную карту Совета;" in ru(bilingual)
    assert awaiting(bilingual) == {"ru": ["op1"]}
    assert [p.severity for p in validate(bilingual)] == ["warning"]


def test_the_json_of_agree_lists_what_awaits_translation(bilingual, capsys):
    bilingual.commit({f"{FOLDER}/ru.txt": RU.replace("[дорожную карту] (-CHN) ", "дорожную карту ")},
                     "A Russian text behind")
    before = snapshot(bilingual.root)
    assert cli("agree", SYMBOL, at_in(bilingual, SYMBOL, "op1:2"), "--json", "-C", str(bilingual.root)) == 0
    assert json.loads(capsys.readouterr().out)["awaiting_translation"] == {"ru": ["op1"]}
    assert snapshot(bilingual.root) != before


def test_translations_follow_paragraphs_renumbered_by_hand(bilingual):
    """English renumbered by hand (a paragraph added at the top, ids from the numbers): only the new paragraph
    awaits its Russian, not every paragraph whose number moved."""
    from cicatext.store.register.languages import translations

    renumbered = """{#pp1} The Council,

{#op1} 1. Notes the report of the Secretary General on the activities of the year;

{#op2} 2. Supports [the plan] (+IND) and [the road map] (-CHN) of the Council;

{#op3} 3. Requests the Secretariat to report.
"""
    bilingual.commit({f"{FOLDER}/en.txt": renumbered}, "English renumbered by hand")
    stale = translations(bilingual, SYMBOL)
    assert [(s.paragraph, s.language) for s in stale] == [("op1", "ru")]


def test_translated_commits_the_translation_and_takes_it_off_the_list(bilingual, capsys):
    """A translator adds the new bracket with its attribution, `cicatext translated` commits it and takes the
    paragraph off the list; validate (the attribution check included) then finds nothing."""
    propose_edit(bilingual, "IND", "to report.", "to report annually.")
    run_round(bilingual, SYMBOL)
    path = bilingual.root / f"{FOLDER}/ru.txt"
    path.write_text(ru(bilingual).replace("доложить.", "доложить [ежегодно] (+IND)."), encoding="utf-8")
    capsys.readouterr()
    assert cli("translated", SYMBOL, "--lang", "ru", "op2", "-C", str(bilingual.root)) == 0
    assert "op2 translated into ru" in capsys.readouterr().out
    assert awaiting(bilingual) == {}
    assert git(bilingual.root, "status", "--porcelain") == ""
    assert "Cicatext-Translated: ru op2" in git(bilingual.root, "log", "-1", "--format=%B")
    assert validate(bilingual) == []


def test_translated_refuses_a_paragraph_not_yet_matching(bilingual, capsys):
    """`cicatext translated` refuses, changing nothing, while the paragraph lacks the other language's brackets,
    and for a paragraph not awaiting translation."""
    propose_edit(bilingual, "IND", "to report.", "to report annually.")
    run_round(bilingual, SYMBOL)
    before = snapshot(bilingual.root)
    capsys.readouterr()
    assert cli("translated", SYMBOL, "--lang", "ru", "op2", "-C", str(bilingual.root)) == 1
    assert "op2 does not yet have the brackets and attributions it has in" in capsys.readouterr().err
    assert cli("translated", SYMBOL, "--lang", "ru", "op1", "-C", str(bilingual.root)) == 1
    assert "op1 of MC/2024/DRAFT/2 is not awaiting translation into ru" in capsys.readouterr().err
    assert snapshot(bilingual.root) == before


def test_a_translation_committed_by_hand_is_an_unaccounted_attribution(bilingual):
    """Without `cicatext translated`, the attribution a translation brings is reported by the attribution check,
    as any attribution typed in by hand."""
    propose_edit(bilingual, "IND", "to report.", "to report annually.")
    run_round(bilingual, SYMBOL)
    record = yamlio.load(bilingual.read_text(f"{FOLDER}/document.yaml"))
    del record["awaiting_translation"]
    bilingual.commit({f"{FOLDER}/ru.txt": ru(bilingual).replace("доложить.", "доложить [ежегодно] (+IND)."),
                      f"{FOLDER}/document.yaml": yamlio.dump(record)}, "Translate op2 by hand")
    assert [(p.code, p.file) for p in validate(bilingual) if p.severity == "error"] == [
        ("attribution", f"{FOLDER}/ru.txt")]


def test_a_paragraph_only_the_other_language_has_is_kept(bilingual):
    """An agree carried into Russian keeps a paragraph only the Russian text has, in its place."""
    own = "{#ru1} Только в русском тексте."
    bilingual.commit({f"{FOLDER}/ru.txt": RU.replace("\n\n{#op2}", f"\n\n{own}\n\n{{#op2}}")},
                     "A Russian paragraph of its own")
    agree_bracket(bilingual, SYMBOL, at_in(bilingual, SYMBOL, "op1:1"))
    assert "Поддерживает план и [дорожную карту] (-CHN) Совета;" in ru(bilingual)
    assert f"Совета;\n\n{own}\n\n{{#op2}}" in ru(bilingual)
