"""The quick reading (whole-text scans, paragraphs made from the breaks alone, at once or on first use) finds
exactly what the full loop over every bracket finds, on any text."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from cicatext.notation.attributions import Source
from cicatext.notation.quick import ids_told_apart
from cicatext.notation.reader import check, read
from cicatext.notation.render import render
from cicatext.notation.scanner import Scanner

CODES = ("IRAN", "CHN", "KAZ")
# Pieces of text at the edges of the quick reading: NULs, look-alike characters (and round brackets other
# than ASCII's), brackets over lines and paragraph breaks, odd and repeated id markers, round brackets after
# `]`, attributions that follow no bracket, unknown codes, headings, white space of every kind.
PIECES = [
    "a", "b c", " ", "\t", "\n", "\n\n", "\r\n", " \n \n", "\n\n\n", "\u00a0", "\u3000", "\u2028", "\x85",
    "{#x} ", "{#y} ", "{#p2} ", "{#p3} ", "{", "}", "{#", "{#z}", "{#a.b-c_d} ",
    "1.", "[2.3a.", "12 ", "II. A", "Article 3", "\nARTICLE 4\n",
    "[", "]", "[", "]", "] ", "].", "];", ", [x] (+IRAN)", "[[a] (+CHN), [b] (-CHN)]",
    "(+IRAN)", " (+IRAN)", " (-CHN)", " (CHN tcb)", " (+IRAN) (-CHN)", " \n(+CHN)", " (-KAZ)", "(+AZER)",
    " (+IRAM)", "(+ IRAN)", " (chn tcb)", " (IRAN)", " (RMT)", " (a)", "(", ")", " tcb)", "(+", "(-", " (FOO tcb)",
    "\x00", "(+\u0421HN)", " (+C\u200bHN)", " (\u0421\u0412\u041c)", "\uff08+CHN\uff09", "(\u0436)", " (\u0442\u0435\u0441\u0442)",
    "\u0436", "\ud800", "\ufeff",
]


def full_and_quick(text: str, codes):
    """The readings of `text` by the quick reading (when it is taken) and by the full loop, and whether it was."""
    known = frozenset(codes) if codes is not None else None
    quick = Scanner(Source(text), known, None).run(lazy=True)
    full = Scanner(Source(text), known, None).run(lazy=True, quick=False)
    taken = Scanner(Source(text), known, None)._quick()
    return quick, full, taken


def same(text: str, codes) -> bool:
    """Assert that the quick reading and the full loop read `text` alike; whether the quick one was taken."""
    (quick_draft, quick_problems), (full_draft, full_problems), taken = full_and_quick(text, codes)
    assert quick_problems == full_problems
    assert quick_draft == full_draft
    assert render(quick_draft) == text
    # The reader's NUL check too: `check` reads quickly, a small text is read by the full loop.
    assert check(text, codes=codes) == read(text, codes=codes).problems
    return taken


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join), st.sampled_from([None, CODES]))
def test_quick_reading_equals_the_full_loop(text: str, codes) -> None:
    """On text made of the pieces at the edges of the quick reading, it finds what the full loop finds."""
    same(text, codes)


def test_quick_reading_equals_the_full_loop_on_many_texts() -> None:
    """On thousands of such texts, many of them read quickly, the two readings agree on every one."""
    rng = random.Random(739)
    taken = 0
    for number in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))
        taken += same(text, None if number % 3 else CODES)
    assert taken > 300


def test_a_large_clean_text_makes_its_paragraphs_when_first_asked_for() -> None:
    """A large text whose id markers tell its paragraphs apart is read without making them; asked for, they are
    made once, kept, and are those of the full loop."""
    text = "\n\n".join(f"{{#op{number}}} {number}. Decides [to act] (+IRAN) now." for number in range(1, 3000))
    reading = read(text, codes=CODES)
    draft = reading.draft
    assert reading.problems == () and "paragraphs" not in vars(draft)
    paragraphs = draft.paragraphs
    assert draft.paragraphs is paragraphs and "_made" not in vars(draft)
    assert draft == Scanner(Source(text), frozenset(CODES), None).run(lazy=False, quick=False)[0]
    assert [p.label for p in paragraphs[:2]] == ["1.", "2."]


def test_id_markers_tell_paragraphs_apart_only_when_no_brace_or_id_could_be_a_problem() -> None:
    """Each `{` must open an id marker, and no id be used twice or be one the reader gives unmarked paragraphs."""
    assert ids_told_apart("{#a} x\n\n{#b} y\n\nz")
    assert ids_told_apart("no markers at all")
    assert not ids_told_apart("{#a} x\n\n{#a} y")
    assert not ids_told_apart("{#p2} x\n\ny")
    assert not ids_told_apart("x {y}\n\nz")
    assert not ids_told_apart("{#a}x\n\ny")
