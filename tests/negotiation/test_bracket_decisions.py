"""agree and drop name a bracket by an id that keeps naming it: ids listed earlier, duplicates, nesting, refusals."""

from __future__ import annotations

import json

from cicatext.notation.reader import read
from cicatext.notation.views import bracket_list
from tests.negotiation.conftest import SYMBOL, TEXT, cli, git

PARAGRAPH = ("{#op16} 16. Member States [shall] (+IND) report each year and the Secretariat [shall] (-CHN) "
             "review the reports, [[in good time] (+IRAN)] (-CHN).\n")


def listing(repo) -> list:
    """The brackets of the document's text as `cicatext brackets` lists them now."""
    return bracket_list(read(repo.read_text(TEXT)).draft)


def with_paragraph(repo):
    """The volunteer repository with op16 (two `[shall]`, and an outer and inner bracket of the same words)."""
    repo.commit({TEXT: repo.read_text(TEXT) + "\n" + PARAGRAPH}, "Add op16")
    return repo


def state(repo) -> tuple[str, str]:
    return git(repo.root, "rev-parse", "HEAD"), repo.read_text(TEXT)


def test_ids_listed_before_an_agree_name_the_same_brackets_after_it(volunteer, capsys):
    """Every id of a listing taken before one agree still names the bracket it named then."""
    root = str(volunteer.root)
    before = listing(volunteer)
    first, *rest = [info for info in before if info.depth == 1 and not info.options]
    assert cli("agree", SYMBOL, first.id, "-C", root) == 0
    capsys.readouterr()
    for info in rest[:4]:
        assert cli("agree", SYMBOL, info.id, "--json", "-C", root) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["id"] == info.id and out["full_id"] == info.full_id
        assert out["text"] == " ".join(info.text.split())
    assert {info.full_id for info in listing(volunteer)}.isdisjoint({first.full_id, *(i.full_id for i in rest[:4])})


def test_a_second_agree_of_one_id_says_when_and_changes_nothing(volunteer, capsys):
    """Agreeing an id twice: the second exits 1 naming the commit and the text, and writes nothing."""
    root = str(volunteer.root)
    chosen = next(info for info in listing(volunteer) if info.text == "intercivilizational and intercultural exchanges")
    assert cli("agree", SYMBOL, chosen.id, "-C", root) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Agreed {chosen.id} in {SYMBOL}: [intercivilizational and intercultural exchanges] (+IRAN)"
    head, text = state(volunteer)
    assert out[1] == f"  commit {head[:10]}"
    body = git(volunteer.root, "log", "-1", "--format=%B")
    assert body.startswith(f"Agree {chosen.id} in {SYMBOL}\n")
    assert f"Cicatext-Decision: agree\nCicatext-Bracket: {chosen.full_id}" in body
    day = git(volunteer.root, "log", "-1", "--format=%as").strip()
    assert cli("agree", SYMBOL, chosen.id, "-C", root) == 1
    err = capsys.readouterr().err
    assert (f"bracket {chosen.id} of {SYMBOL} was already agreed in commit {head[:10]} on {day}: "
            "[intercivilizational and intercultural exchanges] (+IRAN)") in err
    assert state(volunteer) == (head, text)


def test_brackets_with_the_same_words_keep_their_own_ids(volunteer, capsys):
    """Two `[shall]` in a paragraph have two ids; agreeing one leaves the other's id naming the other."""
    root = str(with_paragraph(volunteer).root)
    first, second = [info for info in listing(volunteer) if info.text == "shall"]
    assert first.id != second.id and first.full_id != second.full_id
    assert cli("agree", SYMBOL, first.id, "-C", root) == 0
    assert "Agreed" in capsys.readouterr().out and "States shall report" in volunteer.read_text(TEXT)
    [left] = [info for info in listing(volunteer) if info.text == "shall"]
    assert left.full_id == second.full_id and [a.code for a in left.attributions] == ["CHN"]
    head, text = state(volunteer)
    assert cli("drop", SYMBOL, first.id, "-C", root) == 1
    assert "was already agreed" in capsys.readouterr().err
    assert state(volunteer) == (head, text)
    assert cli("drop", SYMBOL, second.id, "-C", root) == 0
    assert "[shall] (-CHN)" not in volunteer.read_text(TEXT) and "Secretariat review" in volunteer.read_text(TEXT)


def test_agreeing_the_inner_bracket_keeps_the_outer_ones_id(volunteer, capsys):
    """`[[in good time] (+IRAN)] (-CHN)`: both have the same words; lifting the inner leaves the outer its id."""
    root = str(with_paragraph(volunteer).root)
    outer, inner = [info for info in listing(volunteer) if info.paragraph == "op16" and "good time" in info.text]
    assert (outer.depth, inner.depth) == (1, 2) and outer.id != inner.id
    assert cli("agree", SYMBOL, inner.id, "--expect", "in good time", "-C", root) == 0
    capsys.readouterr()
    assert "[in good time] (-CHN)" in volunteer.read_text(TEXT)
    [now] = [info for info in listing(volunteer) if "good time" in info.text]
    assert now.full_id == outer.full_id and outer.id.startswith(now.id)
    assert cli("drop", SYMBOL, outer.id, "--json", "-C", root) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["text"], out["attributions"]) == ("in good time", ["(-CHN)"])
    assert "good time" not in volunteer.read_text(TEXT)


def test_expect_that_does_not_match_refuses_and_shows_both(volunteer, capsys):
    """--expect with other words: exit 1, both texts in the message, nothing written."""
    root = str(with_paragraph(volunteer).root)
    outer = next(info for info in listing(volunteer) if info.text == "[in good time] (+IRAN)")
    head, text = state(volunteer)
    assert cli("agree", SYMBOL, outer.id, "--expect", "in bad time", "-C", root) == 1
    err = capsys.readouterr().err
    assert "reads [[in good time] (+IRAN)], not [in bad time]" in err
    assert state(volunteer) == (head, text)
    assert cli("agree", SYMBOL, outer.id, "--expect", "[in good time]   (+IRAN)", "-C", root) == 0


def test_a_numbered_id_is_refused_and_names_the_bracket_now_there(volunteer, capsys):
    """`op16:1` acts on nothing; the hint gives the new id and text of the bracket at that place."""
    root = str(with_paragraph(volunteer).root)
    first = next(info for info in listing(volunteer) if info.paragraph == "op16")
    head, text = state(volunteer)
    assert cli("agree", SYMBOL, "op16:1", "-C", root) == 1
    err = capsys.readouterr().err
    assert "'op16:1' is a numbered bracket id; bracket ids now name the bracket by its text" in err
    assert f"the bracket now at place 1 of op16 is {first.id} [shall]" in err
    assert state(volunteer) == (head, text)


def test_a_prefix_naming_two_brackets_lists_them(volunteer, capsys):
    """A prefix both `[shall]` share is refused with each candidate's letters and text."""
    root = str(with_paragraph(volunteer).root)
    first, second = [info for info in listing(volunteer) if info.text == "shall"]
    shared = first.full_id[: len("op16:") + 4]
    assert second.full_id.startswith(shared)
    head, text = state(volunteer)
    assert cli("drop", SYMBOL, shared, "-C", root) == 1
    err = capsys.readouterr().err
    assert f"'{shared}' names 2 brackets" in err and err.count("[shall]") == 2
    assert state(volunteer) == (head, text)


def test_an_id_that_never_was_is_no_bracket(volunteer, capsys):
    """An id no bracket ever had: `no bracket`, the paragraph's ids as a hint, exit 1."""
    root = str(with_paragraph(volunteer).root)
    head, text = state(volunteer)
    assert cli("agree", SYMBOL, "op16:zzzz", "-C", root) == 1
    err = capsys.readouterr().err
    assert "no bracket 'op16:zzzz'" in err and "paragraph op16 holds" in err and "already" not in err
    assert state(volunteer) == (head, text)


def test_a_short_id_of_an_agreed_bracket_does_not_pass_to_a_new_one_with_its_words(volunteer, capsys):
    """`[shall]` agreed by its four letters; a later `[shall]` elsewhere in the paragraph is not acted on by
    those letters run again: they name both, and the refusal gives the new one's longer id."""
    root = str(volunteer.root)
    volunteer.commit({TEXT: volunteer.read_text(TEXT) + "\n{#op16} 16. States [shall] (+IND) report.\n"}, "Add op16")
    [old] = [info for info in listing(volunteer) if info.paragraph == "op16"]
    assert len(old.id) == len("op16:") + 4
    assert cli("agree", SYMBOL, old.id, "-C", root) == 0
    agreed_in = git(volunteer.root, "rev-parse", "HEAD")[:10]
    volunteer.commit({TEXT: volunteer.read_text(TEXT).replace("shall report.", "shall report [shall] (-CHN) review.")},
                     "A new bracket with the same words")
    [new] = [info for info in listing(volunteer) if info.paragraph == "op16"]
    assert new.id == old.id and new.full_id != old.full_id
    capsys.readouterr()
    head, text = state(volunteer)
    assert cli("agree", SYMBOL, old.id, "-C", root) == 1
    err = capsys.readouterr().err
    assert f"bracket {old.id} of {SYMBOL} names [shall] (" in err and f"and a bracket agreed in commit {agreed_in}" in err
    longer = err.split("give ")[-1].strip()
    assert new.full_id.startswith(longer) and not old.full_id.startswith(longer) and len(longer) > len(new.id)
    assert state(volunteer) == (head, text)
    assert cli("drop", SYMBOL, longer, "--json", "-C", root) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["id"], out["full_id"], out["attributions"]) == (longer, new.full_id, ["(-CHN)"])
    assert "States shall report review." in volunteer.read_text(TEXT)


def test_dropping_a_bracketed_paragraph_twice_says_it_was_dropped(volunteer, capsys):
    """A whole bracketed paragraph dropped takes its paragraph with it; the second drop still names the commit."""
    root = str(volunteer.root)
    whole = next(info for info in listing(volunteer) if info.paragraph == "op15")
    assert cli("drop", SYMBOL, whole.id, "-C", root) == 0
    capsys.readouterr()
    head, text = state(volunteer)
    assert "{#op15}" not in text
    assert cli("drop", SYMBOL, whole.id, "-C", root) == 1
    err = capsys.readouterr().err
    assert f"bracket {whole.id} of {SYMBOL} was already dropped in commit {head[:10]}" in err and "[15. Encourage" in err
    assert state(volunteer) == (head, text)
