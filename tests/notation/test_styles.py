"""Attribution styles: each house's way of writing who wants what, read into the cica style and written back."""

from __future__ import annotations

from collections import Counter

import pytest

from cicatext.notation.reader import read
from cicatext.notation.render import render
from cicatext.notation.styles import (
    CICA,
    PARTY_INSIDE,
    PARTY_NOTE,
    PARTY_PREFIX,
    STYLES,
    from_cica,
    to_cica,
)
from cicatext.records.parties import GROUP, Parties, Party

PARTIES = Parties([
    Party("USA", "United States", aliases=("US", "U.S.")),
    Party("CAN", "Canada"),
    Party("JPN", "Japan"),
    Party("NOR", "Norway"),
    Party("CHN", "China"),
    Party("BIH", "Bosnia and Herzegovina"),
    Party("G77", "Group of 77 and China", GROUP, ("G-77/China", "G-77"), ("CHN",)),
    Party("EU", "European Union", GROUP),
])


def positions(text: str) -> Counter:
    """Who wants what of which words: the model a style writes, as (paragraph, words, code, stance)."""
    found: Counter = Counter()
    for paragraph in read(text).draft.paragraphs:
        for bracket, _ in paragraph.brackets():
            words = " ".join(render(bracket.body).split())
            for attribution in bracket.attributions:
                found[(paragraph.id, words, attribution.code, attribution.stance.value)] += 1
    return found


@pytest.mark.parametrize(("style", "written", "cica"), [
    (PARTY_INSIDE, "We will end [extreme - US; G77 delete] poverty.",
     "We will end [extreme] (+USA) (-G77) poverty."),
    (PARTY_INSIDE, "Act [, in line with national law -G77; US, Canada, Japan, EU delete.] now.",
     "Act [, in line with national law]. (+G77) (-USA) (-CAN) (-JPN) (-EU) now."),
    (PARTY_INSIDE, "By [changing old - EU, G77 retain / promoting new - US] habits.",
     "By [[changing old] (+EU) (+G77), [promoting new] (+USA)] habits."),
    (PARTY_INSIDE, "A [firm - Norway tcb] step.", "A [firm] (NOR tcb) step."),
    (PARTY_PREFIX, "a crucial [EU: “crucial”] role", "a [crucial] (-EU) role"),
    (PARTY_PREFIX, "a crucial [US: “crucial”. Insert “catalytic”] role",
     "a [[crucial] (-USA), [catalytic] (+USA)] role"),
    (PARTY_PREFIX, "a [NOR: Insert “sustainable”] path", "a [sustainable] (+NOR) path"),
    (PARTY_PREFIX, "a crucial [EU: “crucial”] [US: “crucial”. Insert “catalytic”] role",
     "a [[crucial] (-EU) (-USA), [catalytic] (+USA)] role"),
    (PARTY_PREFIX, "a [NOR: Insert “green”] [US: “green”] path", "a [green] (+NOR) (-USA) path"),
    (PARTY_PREFIX, "3. We add a clause. [G-77: delete]", "[3. We add a clause.] (-G77)"),
    (PARTY_PREFIX, "a firm [China: tcb “firm”] step", "a [firm] (CHN tcb) step"),
    (PARTY_NOTE, "the [strong] (US: retain) role", "the [strong] (+USA) role"),
    (PARTY_NOTE, "a [new] (Norway: retain) (China: delete) text", "a [new] (+NOR) (-CHN) text"),
    (PARTY_NOTE, "the [firm]. (EU, US, JPN) step", "the [firm]. (+EU) (+USA) (+JPN) step"),
    (PARTY_NOTE, "the [firm] (G-77/China: tcb) step", "the [firm] (G77 tcb) step"),
    (PARTY_NOTE, "the [firm] (+G-77) (+EU, -U.S.) step", "the [firm] (+G77) (+EU) (-USA) step"),
    (PARTY_NOTE, "the [firm] (Bosnia and Herzegovina, Norway: delete) step", "the [firm] (-BIH) (-NOR) step"),
    (PARTY_INSIDE, "the [firm - Bosnia and Herzegovina and Japan] step", "the [firm] (+BIH) (+JPN) step"),
])
def test_each_style_reads_into_the_cica_style(style, written, cica):
    conversion = to_cica(written, style, parties=PARTIES)
    assert conversion.text == cica
    assert conversion.converted, "what was converted is reported"
    assert not conversion.warnings


def test_cica_forms_pass_through_every_style():
    text = "a [firm] (+CHN) step and [old] (-USA) text"
    for style in STYLES:
        assert to_cica(text, style, parties=PARTIES).text == text


@pytest.mark.parametrize(("style", "written", "named"), [
    (PARTY_INSIDE, "the [strong - Atlantis, US] role", "Atlantis"),
    (PARTY_NOTE, "the [strong] (Atlantis: retain) role", "Atlantis"),
    (PARTY_PREFIX, "a strong [Atlantis: “strong”] role", "Atlantis"),
])
def test_a_party_no_registry_knows_is_a_warning_and_the_text_stays(style, written, named):
    conversion = to_cica(written, style, parties=PARTIES)
    assert conversion.text == written
    [warning] = conversion.warnings
    assert warning.severity == "warning" and f"'{named}'" in warning.message
    assert warning.line == 1
    if style != PARTY_INSIDE:  # at the note or the amendment; a bracket's inner parties at its `[`
        assert written[warning.column - 1] in "(["
        assert warning.column > written.index("]") or style == PARTY_PREFIX


def test_quoted_words_not_in_the_text_before_are_a_warning():
    conversion = to_cica("a path [US: “missing”]", PARTY_PREFIX, parties=PARTIES)
    assert conversion.text == "a path [US: “missing”]"
    assert "“missing”" in conversion.warnings[0].message


def test_round_brackets_that_are_no_parties_stay_text():
    text = "the [plan] (RMT) and [this] (see annex) and a [long-term] and [South - South] view"
    assert to_cica(text, PARTY_NOTE, parties=PARTIES).text == text
    assert to_cica(text, PARTY_INSIDE, parties=PARTIES).text == text
    # Without a registry a lone name is no party either; a list of codes is.
    assert to_cica("the [x] (CHN) and [y] (EU, US)", PARTY_NOTE).text == "the [x] (CHN) and [y] (+EU) (+US)"


@pytest.mark.parametrize("style", STYLES)
def test_every_style_writes_the_seed_and_reads_it_back_without_losing_a_position(style, seed_text):
    written = from_cica(seed_text, style)
    back = to_cica(written.text, style)
    assert positions(back.text) == positions(seed_text)
    assert written.text.count("\n") == seed_text.count("\n")
    if style != CICA:
        assert written.text != seed_text
        assert len(back.converted) > 0


def test_what_party_prefix_cannot_write_stays_cica_with_a_warning():
    text = "the [cultural [and religious] (-CHN)] (+USA) heritage"
    written = from_cica(text, PARTY_PREFIX)
    assert written.text == text
    assert "no party-prefix form" in written.warnings[0].message


@pytest.mark.parametrize(("style", "expected"), [
    (PARTY_INSIDE, "a [firm - USA / weak - CHN; EU delete] step"),
    (PARTY_NOTE, "a [[firm] (USA: retain), [weak] (CHN: retain) (EU: delete)] step"),
    (PARTY_PREFIX, "a [[firm] (+USA), [weak] (+CHN) (-EU)] step"),
])
def test_options_are_written_in_each_style(style, expected):
    text = "a [[firm] (+USA), [weak] (+CHN) (-EU)] step"
    written = from_cica(text, style)
    assert written.text == expected
    assert positions(to_cica(written.text, style).text) == positions(text)
    assert bool(written.warnings) == (style == PARTY_PREFIX)


@pytest.mark.parametrize(("style", "text", "other"), [
    (CICA, "a crucial [EU: “crucial”] role", PARTY_PREFIX),
    (PARTY_NOTE, "a [NOR: Insert “green”] path", PARTY_PREFIX),
    (CICA, "We will end [extreme - US; G77 delete] poverty.", PARTY_INSIDE),
    (PARTY_PREFIX, "We will end [extreme - US; G77 delete] poverty.", PARTY_INSIDE),
])
def test_a_bracket_in_another_style_than_the_one_read_is_a_warning(style, text, other):
    conversion = to_cica(text, style, parties=PARTIES)
    assert conversion.text == text
    [warning] = conversion.warnings
    assert f"reads as a {other} attribution" in warning.message and warning.hint == f"read the text with --style {other}"


def test_brackets_that_only_look_like_another_style_are_no_warning(seed_text):
    for text in ("a [note: see annex] and [long-term - Atlantis] view", seed_text):
        assert to_cica(text, CICA, parties=PARTIES).warnings == ()
