"""Properties that hold for every input: exact round trip, strict acceptance of well-formed text, clean failures."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicatext.errors import NotationError
from cicatext.notation.reader import parse, read
from cicatext.notation.render import render
from cicatext.notation.views import bracket_list, clean_text, counts

CODES = ("IRAN", "CHN", "IND", "AZER", "TUR", "SEC", "RUS")
WORDS = ("the", "Member", "States", "volunteerism", "1.10", "*Recognizing*", "(MC/2023/CHAIR/1/Rev.1)", "(festivals, etc.)", "etc.", "–", ",", ";")

# Characters that matter to the notation, and a few that merely look like they might.
NEAR = st.lists(
    st.sampled_from(list("[]()+- \n\t\r{}#.,;:ABCIRANtcb1") + ["tcb", "(+IRAN)", "(CHN tcb)", "{#a} ", "\n\n"]),
    max_size=60,
).map("".join)

attribution = st.builds(
    lambda code, kind: f"(+{code})" if kind == 0 else f"(-{code})" if kind == 1 else f"({code} tcb)",
    st.sampled_from(CODES),
    st.integers(0, 2),
)
word = st.sampled_from(WORDS)


def bracket(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A bracket around some inline text, with zero to three attributions, sometimes after punctuation."""
    return st.builds(
        lambda body, marks, stop: f"[{body}]"
        + (stop if marks else "")
        + "".join(" " + mark for mark in marks),
        inner,
        st.lists(attribution, max_size=3),
        st.sampled_from(["", ".", ";"]),
    )


inline = st.recursive(
    word,
    lambda children: st.one_of(
        bracket(children),
        st.builds(lambda a, b: f"[{a}], [{b}]", children, children).map(lambda s: f"[{s}]"),
        st.lists(children, min_size=1, max_size=4).map(" ".join),
    ),
    max_leaves=12,
)
paragraph = st.lists(inline, min_size=1, max_size=5).map(" ".join)


@st.composite
def notation(draw) -> tuple[str, int]:
    """Well-formed bracketed text of a few paragraphs, with or without id markers, and its bracket count."""
    paragraphs = draw(st.lists(paragraph, min_size=1, max_size=4))
    marked = draw(st.booleans())
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n \n", "\n\n\n", "\r\n\r\n"]), min_size=len(paragraphs) - 1, max_size=len(paragraphs) - 1))
    parts = []
    for index, text in enumerate(paragraphs):
        parts.append((f"{{#p{index}x}} " if marked else "") + text)
        if index < len(separators):
            parts.append(separators[index])
    text = "".join(parts) + draw(st.sampled_from(["", "\n"]))
    return text, text.count("[")


@given(st.text())
def test_any_text_round_trips(text: str) -> None:
    """The lenient reader never raises and its tree renders back exactly, for any text."""
    assert render(read(text).draft) == text


@given(NEAR)
def test_near_notation_round_trips(text: str) -> None:
    """Text made of the notation's own characters round-trips through the lenient tree."""
    reading = read(text, codes=CODES)
    assert render(reading.draft) == text
    for problem in reading.problems:
        assert problem.line is not None and 1 <= problem.line <= text.count("\n") + 1


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(notation())
def test_generated_notation_parses_strictly(case: tuple[str, int]) -> None:
    """Generated well-formed notation parses strictly with no problem, every bracket found, exact round trip."""
    text, brackets = case
    draft = parse(text, codes=CODES)
    assert read(text, codes=CODES).problems == ()
    assert render(draft) == text
    assert len(bracket_list(draft)) == brackets
    assert counts(draft).brackets == brackets
    assert "[" not in clean_text(draft) and "]" not in clean_text(draft)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(notation(), st.integers(min_value=0), st.sampled_from(["[", "]", " (+IRAN)", " (IRAN) ", "{#", "(+)"]))
def test_damaged_notation_fails_cleanly(case: tuple[str, int], where: int, damage: str) -> None:
    """Damaged notation raises only NotationError, every problem located inside the input."""
    text, _ = case
    at = where % (len(text) + 1)
    damaged = text[:at] + damage + text[at:]
    lines = damaged.split("\n")
    try:
        parse(damaged, codes=CODES)
    except NotationError as error:
        assert error.problems
        for problem in error.problems:
            assert 1 <= problem.line <= len(lines)
            assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1
    assert render(read(damaged).draft) == damaged


@given(st.text())
def test_parse_raises_only_notation_errors(text: str) -> None:
    """On any text, the strict reader either returns a draft or raises NotationError."""
    try:
        draft = parse(text)
    except NotationError:
        return
    assert render(draft) == text


@given(NEAR)
def test_views_never_fail_on_lenient_trees(text: str) -> None:
    """Listing, counting and cleaning work on any lenient tree."""
    draft = read(text).draft
    bracket_list(draft)
    counts(draft)
    clean_text(draft)
