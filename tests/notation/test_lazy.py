"""Large texts: bracketed paragraphs make their nodes on first use, and read exactly as if made at once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicatext.notation import reader
from cicatext.notation.attributions import Source
from cicatext.notation.reader import check, read
from cicatext.notation.render import render
from cicatext.notation.scanner import Scanner
from cicatext.notation.views import bracket_list
from tests.notation.corpus import CASES, MALFORMED
from tests.notation.test_properties import NEAR, notation
from tests.notation.test_reader import SEED_CODES, seed_text


@contextmanager
def lazy_from(size: int):
    """Read lazily from `size` characters while the block runs."""
    kept = reader.LAZY_FROM
    reader.LAZY_FROM = size
    try:
        yield
    finally:
        reader.LAZY_FROM = kept


def both(text: str, codes=None):
    with lazy_from(0):
        lazy = read(text, codes=codes)
    with lazy_from(1 << 60):
        eager = read(text, codes=codes)
    return lazy, eager


@pytest.mark.parametrize("text", [c.text for c in CASES] + [m.text for m in MALFORMED])
def test_lazy_reading_equals_eager_reading(text: str) -> None:
    """Read lazily or at once, every corpus text gives equal trees and equal problems."""
    lazy, eager = both(text, SEED_CODES)
    assert lazy.problems == eager.problems
    assert lazy.draft == eager.draft
    assert render(lazy.draft) == text


def test_content_is_made_once_on_first_use() -> None:
    """A lazy paragraph holds no content until asked, then keeps what it made."""
    with lazy_from(0):
        paragraph = read("a [b] (+IRAN) c").draft.paragraphs[0]
    assert "content" not in vars(paragraph)
    first = paragraph.content
    assert paragraph.content is first
    assert "_build" not in vars(paragraph)


def test_position_is_found_on_first_use() -> None:
    """A quickly read paragraph finds its line and column when first asked, equal to an eager reading's."""
    text = "{#a} x [y] (+IRAN)\n\n  \n\n   {#b} z\n[w]"
    with lazy_from(0):
        lazy = read(text).draft.paragraphs
    assert all("pos" not in vars(p) for p in lazy)
    assert [p.pos for p in lazy] == [p.pos for p in read(text).draft.paragraphs]
    assert [p.pos[2:] for p in lazy] == [(1, 1), (5, 4)]
    assert all("_place" not in vars(p) for p in lazy)


def test_every_paragraph_waits_but_an_empty_one() -> None:
    """Plain and bracketed paragraphs alike wait to be made; a paragraph of only its marker has no content."""
    with lazy_from(0):
        draft = read("plain\n\n[x] (+IRAN)\n\n{#m} ").draft
    assert ["content" in vars(p) for p in draft.paragraphs] == [False, False, True]
    assert draft.paragraphs[2].content == ()


def test_large_seed_reads_lazily_and_round_trips() -> None:
    """A text past LAZY_FROM (the seed three times) reads lazily, round-trips and lists every bracket."""
    text = "\n\n".join([seed_text()] * 3)
    assert len(text) >= reader.LAZY_FROM
    reading = read(text, codes=SEED_CODES)
    assert reading.problems == ()
    assert render(reading.draft) == text
    assert len(bracket_list(reading.draft)) == 42


def test_missing_attribute_is_an_attribute_error() -> None:
    """Asking a paragraph for an attribute it does not have is still an AttributeError."""
    paragraph = read("x").draft.paragraphs[0]
    with pytest.raises(AttributeError):
        paragraph.nothing  # noqa: B018


@given(NEAR)
def test_lazy_equals_eager_on_near_notation(text: str) -> None:
    """On text made of the notation's characters, lazy and eager readings agree."""
    lazy, eager = both(text, ("IRAN", "CHN"))
    assert lazy.problems == eager.problems
    assert lazy.draft == eager.draft


@given(st.text())
def test_lazy_equals_eager_on_any_text(text: str) -> None:
    """On any text, lazy and eager readings agree and round-trip."""
    lazy, eager = both(text)
    assert lazy.problems == eager.problems
    assert lazy.draft == eager.draft
    assert render(lazy.draft) == text


# Texts at the edges of the quick reading (brackets checked by whole-text
# scans, paragraphs by their breaks alone), each read again by the full loop.
QUICK_EDGES = {
    "bracket over two lines": "a [b\nc] (+IRAN) d\n\ne [f] (-CHN)",
    "bracket over a paragraph break": "a [b\n\nc] (+IRAN) d",
    "balanced text, unbalanced paragraphs": "a ] b\n\n[ c",
    "unknown code": "a [b] (+IRAM) c",
    "attribution in loose spelling": "a [b] (+ IRAN) (chn tcb) c",
    "round brackets after a bracket": "a [b] (RMT) c [d] (+IRAN) (MC/2023/CHAIR/1) e",
    "malformed attribution": "a [b] (IRAN) c",
    "attribution after no bracket": "(+IRAN) a [b] (+CHN) c (CHN tcb)",
    "text that only looks like one": "a (+) b (- IRAN) c tcb) [d] (+IRAN)",
    "duplicate ids": "{#a} x [y] (+IRAN)\n\n{#a} z",
    "odd head": "{#a}x [y] (+IRAN)\n\n{#b z",
    "indented paragraphs": "  a [b] (+IRAN)\n \n   {#q} c [d]. (-CHN), [e] (IRAN tcb)",
}


@pytest.mark.parametrize("text", QUICK_EDGES.values(), ids=QUICK_EDGES.keys())
def test_quick_reading_equals_full_reading(text: str) -> None:
    """At the edges of the quick reading, lazy and eager readings give equal trees and problems."""
    lazy, eager = both(text, ("IRAN", "CHN"))
    assert lazy.problems == eager.problems
    assert lazy.draft == eager.draft
    assert render(lazy.draft) == text


def test_quick_reading_is_taken_where_it_can_be() -> None:
    """A large clean text is read without a loop over its brackets; a bracket over a break is not."""
    clean = Scanner(Source("\n\n".join([seed_text()] * 3)), frozenset(SEED_CODES), None)
    assert clean._quick() and not clean.each
    spanning = Scanner(Source("a [b\nc] d\n\ne [f\n\ng] h"), None, None)
    assert spanning._quick() and spanning.each
    assert not Scanner(Source("a [b] c]"), None, None)._quick()
    assert not Scanner(Source("a [b] (+IRAM)"), frozenset(SEED_CODES), None)._quick()


@given(notation())
def test_lazy_equals_eager_on_generated_notation(case) -> None:
    """On generated well-formed notation, lazy and eager readings agree."""
    text, _ = case
    lazy, eager = both(text)
    assert lazy.problems == eager.problems == ()
    assert lazy.draft == eager.draft


def test_lazy_draft_copies_and_pickles() -> None:
    """A lazily read draft copies and pickles like any other value, and stays equal."""
    import copy
    import pickle

    text = "{#a} x [y] (+IRAN)\n\n{#b} z"
    with lazy_from(0):
        draft = read(text).draft
        other = read(text).draft
    assert copy.deepcopy(draft) == other
    assert pickle.loads(pickle.dumps(draft)) == other
    assert render(copy.copy(draft)) == text


@pytest.mark.parametrize("text", [c.text for c in CASES] + [m.text for m in MALFORMED] + list(QUICK_EDGES.values()))
def test_check_finds_what_read_finds(text: str) -> None:
    """`check` (problems only, no nodes made) reports exactly the problems of `read`."""
    assert check(text, codes=SEED_CODES, file="f.txt") == read(text, codes=SEED_CODES, file="f.txt").problems


@given(NEAR)
def test_check_finds_what_read_finds_on_near_notation(text: str) -> None:
    """On text made of the notation's characters, `check` and `read` report the same problems."""
    assert check(text, codes=("IRAN", "CHN")) == read(text, codes=("IRAN", "CHN")).problems
