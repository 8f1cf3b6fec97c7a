"""The diff of large texts tells paragraphs written alike without making their nodes, and says what it said before."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicatext.notation.alignment import comparable
from cicatext.notation.bracket_diff import diff_drafts, shorten
from cicatext.notation.nodes import reading_of
from cicatext.notation.paired_diff import ids_correspond, written_in_both
from cicatext.notation.paragraph_text import (
    ParagraphTexts,
    normalise,
    paragraph_text,
    words_of,
)
from cicatext.notation.reader import read
from tests.notation.corpus import CASES, MALFORMED
from tests.notation.test_lazy import lazy_from
from tests.notation.test_properties import NEAR, notation
from tests.notation.test_spanning import CHAPEAU

OLD = """{#pp1} Recalling the decisions of the Council on [confidence building] (+IND) measures in the region;

{#op1} 1. Welcomes the work of the Special Working Group on the road map [and its annex] (+IND);

{#op2} 2. Requests the Secretariat to prepare a report on volunteerism [and youth] (-CHN) engagement;

{#op3} 3. Decides to remain seized of the matter [and to consider it at its next session] (CHN tcb).

{#op4} 4. Notes the report of the Secretariat on [the budget] (+IRAN) (-IND) for the next biennium.
"""


def unmade(draft) -> set[str]:
    """The ids of the paragraphs whose nodes are yet to be made."""
    return {p.id for p in draft.paragraphs if "content" not in vars(p)}


def lazily(text: str):
    with lazy_from(0):
        return read(text).draft


def eagerly(text: str):
    with lazy_from(1 << 60):
        return read(text).draft


@pytest.mark.parametrize("text", [c.text for c in CASES] + [CHAPEAU])
def test_raw_is_read_from_the_text_without_making_nodes(text: str) -> None:
    """A paragraph's written content, read from the text, is its `paragraph_text`'s, and no node is made for it."""
    draft = lazily(text)
    texts = ParagraphTexts()
    written = [texts.raw(p) for p in draft.paragraphs]
    assert unmade(draft) == {p.id for p in draft.paragraphs if "_build" in vars(p)}
    assert written == [paragraph_text(p).raw for p in eagerly(text).paragraphs]


def test_comparable_is_made_once_for_paragraphs_written_alike() -> None:
    """Two paragraphs written alike, nothing carried in, share their comparable words: one's nodes are made."""
    text = OLD + "\n{#op9} 4. Notes the report of the Secretariat on [the budget] (+IRAN) (-IND) for the next biennium.\n"
    draft = lazily(text)
    texts = ParagraphTexts()
    first, second = draft.paragraphs[4], draft.paragraphs[5]
    assert comparable(first, texts) == comparable(second, texts) == comparable(eagerly(text).paragraphs[5])
    assert "content" in vars(first)
    assert "content" not in vars(second)


def test_a_bracket_carried_in_keeps_a_paragraph_apart() -> None:
    """The part of a bracket spanning paragraphs reads otherwise than the same words alone: nothing is shared."""
    alone = "{#a} 1. Decides:\n\n{#b} (a) first] (+IND);\n"
    spanning = "{#a} 1. [Decides:\n\n{#b} (a) first] (+IND);\n"
    for first, second in ((alone, spanning), (spanning, alone)):
        one, other = lazily(first), lazily(second)
        texts = ParagraphTexts()
        assert comparable(one.paragraphs[1], texts) == comparable(eagerly(first).paragraphs[1])
        assert comparable(other.paragraphs[1], texts) == comparable(eagerly(second).paragraphs[1])
    assert comparable(eagerly(alone).paragraphs[1]) != comparable(eagerly(spanning).paragraphs[1])


@pytest.mark.parametrize("edit", [
    # Ids still name the same paragraphs: paired by id.
    lambda text: text.replace("(-CHN)", "(-CHN) (+IND)").replace("next biennium", "coming biennium"),
    # Most paragraphs redrafted, one moved: paired by content.
    lambda text: re.sub(r"(\{#op[1-3]\} \d\. \w+)", r"\1 also", text).replace(
        "{#op3}", "{#opX}").replace("measures", "steps"),
    # A paragraph removed, one added.
    lambda text: text.replace("{#op2}", "{#op7}") + "\n{#op8} 8. Invites [all] (+CHN) members to act.\n",
])
def test_the_diff_of_lazily_read_texts_is_the_diff_of_eagerly_read_ones(edit) -> None:
    """Read lazily or at once, two texts give the same diff; a paragraph written alike under one id stays unmade."""
    new = edit(OLD)
    old_draft, new_draft = lazily(OLD), lazily(new)
    before = {(p.id, p.written()) for p in old_draft.paragraphs}
    written_alike = {p.id for p in new_draft.paragraphs if (p.id, p.written()) in before}
    assert written_alike
    lazy = diff_drafts(old_draft, new_draft, texts=(OLD, new))
    assert lazy == diff_drafts(eagerly(OLD), eagerly(new), texts=(OLD, new))
    assert lazy
    assert written_alike <= unmade(new_draft)
    assert ids_correspond(lazily(OLD), lazily(new)) == ids_correspond(eagerly(OLD), eagerly(new))


@pytest.mark.parametrize("text", ["Plain words, numbers 12 and under_scores.", "日本語の文 and English", "한국어 text",
                                  "mixed漢字words", "ÉTATS-UNIS d'Amérique", "（ＡＢＣ） words", ""])
def test_words_of_splits_ideographs_one_by_one(text: str) -> None:
    """Words are runs of word characters, except in scripts written without spaces, where each character is one."""
    ideographs = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
    assert words_of(text) == re.findall(f"[{ideographs}]|[^\\W{ideographs}]+", text)


NAMED_TEXTS = [c.text for c in CASES] + [m.text for m in MALFORMED] + [CHAPEAU]
"""The corpus's texts, the malformed ones and a chapeau: each property below is checked on them by name."""
ANY_TEXT = st.one_of(notation().map(lambda made: made[0]), NEAR, st.text())
"""Generated notation, near-notation and any text: each property below is checked on them too."""


def _bodies_found(text: str) -> None:
    """Where a bracket's body stands in the reading, kept while the text is made, is where the runs place it."""
    for paragraph in read(text).draft.paragraphs:
        made = paragraph_text(paragraph)
        for span in made.brackets:
            assert made.body_range(span) == (made.read_before(span.start + 1), made.read_before(span.close))
        assert made.bracket_readings == tuple(normalise(made.body_reading(span)) for span in made.brackets)


def _laid_out_as_walked(text: str) -> None:
    """A lazily read paragraph's text, laid out by the scan that makes its nodes, is the one its nodes give."""
    eager = eagerly(text).paragraphs
    for paragraph, walked in zip(lazily(text).paragraphs, eager, strict=True):
        laid = paragraph_text(paragraph)
        assert "_build" not in vars(paragraph)
        assert laid == paragraph_text(walked)
        assert paragraph.content == walked.content
        # The spans hold the paragraph's own nodes, made by the same scan.
        assert [span.bracket for span in laid.brackets] == [bracket for bracket, _ in paragraph.brackets()]
        assert all(span.bracket is bracket for span, (bracket, _) in zip(laid.brackets, paragraph.brackets()))


def _read_without_nodes(text: str) -> None:
    """The reading found from a paragraph's written content, without its nodes, is the one its nodes give."""
    eager = eagerly(text).paragraphs
    draft = lazily(text)
    texts = ParagraphTexts(written_in_both(draft, draft))
    for paragraph, walked in zip(draft.paragraphs, eager, strict=True):
        recipe, written = vars(paragraph).get("_build"), paragraph.written()
        found = reading_of(*recipe[1:]) if recipe is not None else None
        assert found is None or found == paragraph_text(walked).reading
        assert texts.reading(paragraph) == paragraph_text(walked).reading
        if found is not None and not written[1]:
            # Read from its written content (one both texts hold), the paragraph's nodes are still to be made.
            assert "content" not in vars(paragraph)


PROPERTIES = [_bodies_found, _laid_out_as_walked, _read_without_nodes]
"""What the text of a paragraph made in one pass, or read without its nodes, must agree with (each says what)."""


@pytest.mark.parametrize("holds", PROPERTIES)
@pytest.mark.parametrize("text", NAMED_TEXTS)
def test_a_paragraphs_text_made_quickly_is_the_one_its_nodes_give(holds, text: str) -> None:
    """Each of `PROPERTIES` holds on every named text."""
    holds(text)


@pytest.mark.parametrize("holds", PROPERTIES)
@given(text=ANY_TEXT)
def test_a_paragraphs_text_made_quickly_is_the_one_its_nodes_give_in_any_text(holds, text: str) -> None:
    """Each of `PROPERTIES` holds on generated notation, near-notation and any text."""
    holds(text)


def test_paragraphs_written_alike_in_both_texts_are_diffed_without_their_nodes() -> None:
    """Paragraphs both texts hold as written are read for pairing by content and never made."""
    new = re.sub(r"(\{#op[1-3]\} \d\. \w+)", r"\1 also", OLD).replace("{#op3}", "{#opX}").replace("measures", "steps")
    old_draft, new_draft = lazily(OLD), lazily(new)
    assert not ids_correspond(lazily(OLD), lazily(new))
    assert diff_drafts(old_draft, new_draft, texts=(OLD, new)) == diff_drafts(eagerly(OLD), eagerly(new))
    assert {"op4"} <= unmade(old_draft) & unmade(new_draft)


def _shortened_whole(text: str, words: int, *, first: bool, last: bool) -> str:
    """`shorten` by its definition: the whole text split into tokens, the first and last words kept."""
    tokens = re.findall(r"\s+|\w+(?:['’\-]\w+)*|[^\w\s]", text)
    keep_head, keep_tail = (0 if first else words), (0 if last else words)
    if sum(1 for t in tokens if not t.isspace()) <= keep_head + keep_tail + 2:
        return text
    head, tail, seen = [], [], 0
    for token in tokens:
        if seen >= keep_head:
            break
        head.append(token)
        seen += not token.isspace()
    seen = 0
    for token in reversed(tokens):
        if seen >= keep_tail:
            break
        tail.append(token)
        seen += not token.isspace()
    before, after = "".join(head).rstrip(), "".join(reversed(tail)).lstrip()
    return (before + " " if before else "") + "…" + (" " + after if after else " ")


_PIECES = st.sampled_from(["word", " ", "  ", "\n", "don't", "a-b-c", "-", ",", "x’y", "\t", "漢字", "[", "(+IND)"])


@given(st.lists(_PIECES, max_size=400).map("".join), st.integers(0, 6), st.booleans(), st.booleans())
def test_an_unchanged_run_is_shortened_as_if_split_whole(text: str, words: int, first: bool, last: bool) -> None:
    """Shortening from the words counted at the start and a window at the end gives what splitting it all gives."""
    assert shorten(text, words, first=first, last=last) == _shortened_whole(text, words, first=first, last=last)
