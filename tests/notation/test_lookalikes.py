"""Attributions written with look-alike characters are read as the attribution they look like, and refused."""

from __future__ import annotations

import pytest

from cicatext.cli.main import main
from cicatext.notation.lookalikes import attribution_groups, lookalike
from cicatext.notation.reader import read
from cicatext.notation.render import render
from cicatext.notation.views import clean_text

CODES = ("CHN", "IND", "IRAN")
CYRILLIC_ES = "\u0421"
LOOKALIKES = {
    "cyrillic": f"(+{CYRILLIC_ES}HN)",
    "zero-width": "(+C\u200bHN)",
    "right-to-left": "(\u202e+CHN)",
    "fullwidth letters": "(\uff0b\uff23\uff28\uff2e)",
    "greek tcb": "(C\u0397N tcb)",
    "minus sign": "(\u2212CHN)",
}


@pytest.mark.parametrize("written", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_lookalike_after_a_bracket_is_read_as_the_attribution_and_is_an_error(written):
    """`[text] (+СHN)` carries CHN's attribution in the tree, is an error naming (±CHN), and renders back exactly."""
    text = f"{{#op1}} 1. Keep [this text] {written} here.\n"
    reading = read(text, codes=CODES)
    assert render(reading.draft) == text
    bracket = next(b for p in reading.draft.paragraphs for b, _ in p.brackets())
    assert [a.code for a in bracket.attributions] == ["CHN"]
    errors = reading.errors
    assert len(errors) == 1
    assert "look-alike" in errors[0].message and "CHN" in errors[0].message
    assert errors[0].column == text.index(written) + 1


def test_lookalike_of_an_unknown_code_names_it_as_unknown():
    """A group that folds to an attribution of a code nobody registered is an error saying so."""
    reading = read(f"[text] (+{CYRILLIC_ES}HNX)\n", codes=CODES)
    assert len(reading.errors) == 1
    assert "'CHNX' is no known delegation code" in reading.errors[0].message
    assert "CHN" in reading.errors[0].message


def test_lookalike_that_follows_no_bracket_is_an_error():
    """A look-alike anywhere in the text, also in fullwidth round brackets, is reported at its place."""
    text = "Plain words (\u202e+CHN) and [more] \uff08+IND\uff09.\n"
    reading = read(text, codes=CODES)
    columns = sorted(p.column for p in reading.errors)
    assert columns == [text.index("(\u202e") + 1, text.index("\uff08") + 1]
    assert all("look-alike" in p.message for p in reading.errors)
    # The invisible character is shown, not printed as it is (it would turn the terminal's line around).
    assert "<U+202E>" in reading.errors[0].message


def test_large_text_finds_lookalikes_on_the_quick_path(seed_text):
    """A text large enough for the quick reading reports the look-alike just as a small one does."""
    text = seed_text * 4 + f"\n\n{{#x1}} [added] (+{CYRILLIC_ES}HN) words.\n"
    reading = read(text)
    assert any("look-alike" in p.message and "(+CHN)" in p.message for p in reading.errors)
    assert render(reading.draft) == text


def test_plain_text_in_other_scripts_is_no_lookalike():
    """Russian words in round brackets, and a bare code in Cyrillic letters, stay text."""
    text = "[\u0442\u0435\u043a\u0441\u0442] (+IND) (\u0441\u043c. \u0432\u044b\u0448\u0435) (\u0415\u0421)\n"
    reading = read(text, codes=CODES)
    assert reading.errors == ()
    assert lookalike("(\u0415\u0421)") is None


def test_attribution_groups_finds_every_spelling():
    """The guard's finder: normal, loose and look-alike groups, each with the code it names."""
    groups = attribution_groups("a (+IND) b (+\u0406ND) ( - chn ) (IRAN tcb) (text)")
    assert [(g.code, g.sign, g.lookalike) for g in groups] == [
        ("IND", "+", False), ("IND", "+", True), ("CHN", "-", False), ("IRAN", None, False)]


def test_check_reports_and_clean_does_not_keep_a_lookalike(tmp_path, capsys):
    """`check` exits 1 naming the look-alike; `clean` drops the bracket with it, keeping no `(+СHN)`, and exits 1."""
    path = tmp_path / "draft.txt"
    path.write_text(f"{{#op1}} 1. Keep [this text] (+{CYRILLIC_ES}HN) here.\n", encoding="utf-8")
    assert main(["check", str(path), "--codes", ",".join(CODES)]) == 1
    assert "look-alike" in capsys.readouterr().err
    assert main(["clean", str(path), "--codes", ",".join(CODES)]) == 1
    out = capsys.readouterr().out
    assert CYRILLIC_ES not in out and "HN)" not in out
    assert clean_text(read(path.read_text(encoding="utf-8")).draft).strip() == "1. Keep here."


def test_a_code_in_lookalike_letters_is_offered_the_code_it_looks_like():
    """`delegation start СN` or a branch delegations/СN: the unknown code's hint names the code it looks like."""
    from cicatext.notation.codes import suggest

    assert suggest(f"{CYRILLIC_ES}N", ["CN", "IN"]) == "CN"
    assert suggest("I\u200bN", ["CN", "IN"]) == "IN"


@pytest.mark.parametrize("group", [
    "(+CHN \u0431)", "(\u0431\u044b\u043b CHN tcb)", "(+\u0421HN \u0436)", "(\u0438\u0306 +CHN)", "(\u0436\u200b)",
])
def test_a_group_holding_a_cyrillic_letter_that_folds_to_itself_reads_as_no_attribution(group):
    """A Cyrillic letter that is no look-alike stays in the folded group, which so cannot be an attribution:
    lookalike() answers None without folding, as the fold and match would."""
    from cicatext.notation.lookalikes import _READS_AS, fold

    assert lookalike(group) is None
    assert _READS_AS.fullmatch(fold(group)) is None


def test_cyrillic_look_alikes_next_to_cyrillic_words_are_still_found():
    """Only letters that fold to themselves are passed over: (+СНN) in Cyrillic Es and En is found, in Russian text."""
    text = "{#p1} \u0421\u0442\u0430\u0442\u044c\u044f 1 (\u0441\u043c.) [\u0442\u0435\u043a\u0441\u0442] (+\u0421\u041dN)\n\n{#p2} (+\u0421\u041dN) \u0436\n"
    reading = read(text, codes=CODES)
    messages = [problem.message for problem in reading.errors]
    assert len(messages) == 2 and all("look-alike" in message and "(+CHN)" in message for message in messages)
    assert "follows no bracket" in messages[1]
