"""Bracket ids that name a bracket by what it says, so that one id never comes to mean another bracket.

A bracket's id is `PARAGRAPH:CODE`, CODE a few letters drawn from a hash of
the bracket's words: its text with the bracket marks and every attribution
taken out, white space collapsed (`cultural [and religious] (-CHN)` has the
words `cultural and religious`). So an id stays the bracket's while the
brackets around it are agreed or dropped, while delegations join or withdraw
attributions, and while an inner bracket is lifted; when the bracket itself is
agreed or dropped, its id names nothing.

A bracket's key is its words; brackets of one paragraph with the same words
(`[shall]` twice, or `[[text] (+X)] (-Y)` outer and inner) are told apart by
adding to the key, in turn, their depth, then the eight words of the paragraph
before them, then their order among those still equal. The code holds these
in that order: ten letters from the words, two from the depth, three from the
words before, two from the order (the same two letters for every bracket
without an equal). The id shown is the shortest prefix of the code, four
letters at least, that no other bracket of the paragraph shares: so a bracket
with words of its own is shown with letters of its words alone, and brackets
with the same words are shown with as many more letters as tell them apart
(the depth's, when that is enough). Each keeps its code when the other is
agreed or dropped, so neither takes the other's id. Any prefix of three
letters or more finds the bracket. (Dropping one of two brackets with the same
words and depth within eight words of each other changes the other's words
before it, and so its longer id; so does agreeing or dropping one of two
brackets equal in words, depth and the eight words before, for the order of
the other. That longer id then names nothing, and the listing shows the new
one.) Codes use lowercase letters without i, l and o, so that
they cannot be taken for the old numbered ids (`pp9:1`) or misread.

A bracket spanning paragraphs has one id, in the paragraph where it opens;
its parts in later paragraphs carry the same id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from cicatext.notation.nesting import MAX_DEPTH
from cicatext.notation.paragraph_text import (
    BracketSpan,
    ParagraphText,
    normalise,
    paragraph_text,
)
from cicatext.notation.tree import Bracket, Draft, Paragraph, Text

try:  # hashlib's own blake2b, without hashlib loading OpenSSL for the hashes not used here (milliseconds at start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (an interpreter built without it)
    from hashlib import blake2b

ALPHABET = "abcdefghjkmnpqrstuvwxyz"
"""The letters of a code: lowercase, without i, l and o."""
SHOWN = 4
"""The least number of letters an id is shown with."""
SHORTEST = 3
"""The least number of letters that finds a bracket."""
_SEGMENTS = (10, 2, 3, 2)
"""The letters of a code drawn from the words, the depth, the eight words before and the order, in that order."""
_SPACE = re.compile(r"\s+")
CODE = re.compile(rf"[{ALPHABET}]+")


def words(bracket: Bracket) -> str:
    """The bracket's words: its text without bracket marks or attributions, white space collapsed."""
    pieces: list[str] = []
    # Each inner bracket's trailer follows its body: the stack holds the brackets entered, and what is left of
    # each one's body (brackets nest to any depth).
    stack: list[tuple[Bracket, Iterator]] = [(bracket, iter(bracket.body))]
    while stack:
        for node in stack[-1][1]:
            if isinstance(node, Text):
                pieces.append(node.text)
            else:
                stack.append((node, iter(node.body)))
                break
        else:
            inner, _ = stack.pop()
            if stack:
                pieces.append(inner.trailer)
    return _SPACE.sub(" ", "".join(pieces)).strip()


@lru_cache(maxsize=8192)  # the depth's and the order's keys recur in every paragraph, a bracket's words in a diff
def _letters(key: str, count: int) -> str:
    """`count` letters of the blake2b hash of `key`."""
    number = int.from_bytes(blake2b(key.encode("utf-8"), digest_size=10).digest(), "big")
    letters = []
    for _ in range(count):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(letters)


def bracket_code(words_: str, depth: int, before: str, order: int = 0) -> str:
    """A bracket's full code from its key: its words, its depth, the eight words before it and its order
    among brackets equal in all three (0 when it has no equal)."""
    parts = (words_, f"depth\x1f{depth}", f"before\x1f{before}", f"order\x1f{order}")
    return "".join(_letters(part, size) for part, size in zip(parts, _SEGMENTS))


@dataclass(frozen=True)
class Named:
    """One bracket (or part of a spanning bracket) of a paragraph, with its id."""

    bracket: Bracket
    depth: int
    paragraph: str
    """The id of the paragraph where the bracket opens (for a later part: an earlier paragraph)."""
    code: str
    """The bracket's full code."""
    shown: str
    """The id as shown: `PARAGRAPH:` and the shortest unique prefix of the code."""

    @property
    def full(self) -> str:
        """The id with the full code: what a commit records."""
        return f"{self.paragraph}:{self.code}"


def paragraph_codes(paragraph: Paragraph, text: ParagraphText | None = None) -> list[tuple[Bracket, int, str]]:
    """(bracket, depth, full code) of every bracket opening in the paragraph, in reading order (outer first).

    `text`: the paragraph's `paragraph_text`, when the caller has it. A
    bracket's words are its body's reading text (`words`), and the words
    before it are the reading text before its `[`: both come from there.
    Brackets nested deeper than `MAX_DEPTH` (an error of the reading) are not
    named: the words of each bracket are as long as all it holds, so naming
    brackets at any depth would take time as the depth times the text.
    """
    text = text or paragraph_text(paragraph)
    opening = _opening(text)
    return [(span.bracket, span.depth, code) for (span, _), code in zip(opening, _full_codes(text, opening))]


def _full_codes(text: ParagraphText, opening: list[tuple[BracketSpan, str]]) -> list[str]:
    """The full code of each bracket of `opening` (`_opening`'s, or those of them whose words may be equal: the
    order counts only brackets whose words are equal)."""
    keys = [(words_, span.depth, _eight_words_before(text.reading, text.read_before(span.start)))
            for span, words_ in opening]  # words, depth, eight words before
    counts: dict[tuple[str, int, str], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    seen: dict[tuple[str, int, str], int] = {}
    codes = []
    for key in keys:
        order = 0
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            order = seen[key]
        codes.append(bracket_code(*key, order))
    return codes


def _opening(text: ParagraphText) -> list[tuple[BracketSpan, str]]:
    """Each bracket opening in the paragraph and named (not nested past `MAX_DEPTH`), with its words."""
    deep = any(span.depth > MAX_DEPTH for span in text.brackets)
    readings = None if deep else text.bracket_readings
    return [(span, readings[span.ordinal - 1] if readings is not None else normalise(text.body_reading(span)))
            for span in text.brackets if not span.bracket.continued and span.depth <= MAX_DEPTH]


def shown_by_bracket(paragraph: Paragraph, text: ParagraphText | None = None) -> dict[int, str]:
    """The shown id (`name_paragraph`'s) of each bracket opening in the paragraph, by the bracket object's `id`.

    A code's letters from the words tell it from every code whose words' letters differ, within them: a
    bracket whose words' letters no other shares is shown as its full code would be, without the words before
    it; only those that share them are told apart by their full codes.
    """
    text = text or paragraph_text(paragraph)
    opening = _opening(text)
    codes = [_letters(body, _SEGMENTS[0]) for _, body in opening]
    if len(set(codes)) < len(codes):
        # Those whose words' letters are shared take their full codes; the others' shown ids, shorter than the
        # words' letters, are the same from those alone.
        counts: dict[str, int] = {}
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
        alike = [index for index, code in enumerate(codes) if counts[code] > 1]
        for index, code in zip(alike, _full_codes(text, [opening[index] for index in alike])):
            codes[index] = code
    return {id(span.bracket): shown for (span, _), shown in zip(opening, shown_ids(paragraph.id, codes))}


def shown_ids(paragraph_id: str, codes: list[str]) -> list[str]:
    """The id shown for each code: the shortest prefix of at least `SHOWN` letters no other code shares.

    The other code sharing the longest prefix with a code is next to it in sorted order, so each code is
    compared with its two neighbours among the distinct codes that share their first letters with another.
    """
    distinct = set(codes)
    heads: dict[str, int] = {}  # the first `SHOWN` letters → how many distinct codes begin with them
    for code in distinct:
        heads[code[:SHOWN]] = heads.get(code[:SHOWN], 0) + 1
    if len(heads) == len(distinct):
        # No two share their first `SHOWN` letters (the usual case): each is shown with those.
        return [f"{paragraph_id}:{code[:SHOWN]}" for code in codes]
    # Only codes sharing their first `SHOWN` letters are shown with more, and the codes they share most with
    # share those too: they are compared alone.
    longest: dict[str, int] = {}  # code → the longest prefix it shares with another code
    for first, second in pairwise(sorted(code for code in distinct if heads[code[:SHOWN]] > 1)):
        if first[:SHOWN] != second[:SHOWN]:
            continue
        shared = SHOWN
        while shared < len(first) and shared < len(second) and first[shared] == second[shared]:
            shared += 1
        longest[first] = max(longest.get(first, 0), shared)
        longest[second] = max(longest.get(second, 0), shared)
    shown = []
    for code in codes:
        length = max(SHOWN, min(len(code), longest.get(code, 0) + 1))
        shown.append(f"{paragraph_id}:{code[:length]}")
    return shown


def _eight_words_before(reading: str, end: int) -> str:
    """The last eight words of `reading[:end]`, from a window before `end` (not the whole text before it)."""
    width = 256
    while True:
        start = max(0, end - width)
        words_ = reading[start:end].rsplit(None, 8)
        # With a ninth piece (perhaps a word the window cut), the last eight are whole words.
        if start == 0 or len(words_) == 9:
            return " ".join(words_[-8:])
        width *= 4


def name_paragraph(paragraph: Paragraph, carried: list[Named] | None = None,
                   text: ParagraphText | None = None) -> list[Named]:
    """Every bracket and bracket part of the paragraph in reading order, with its id.

    `carried` are the spanning brackets still open where the paragraph begins
    (outer first); their parts here take their ids. `text`: the paragraph's
    `paragraph_text`, when the caller has it.
    """
    opening = paragraph_codes(paragraph, text)
    shown = shown_ids(paragraph.id, [code for _, _, code in opening])
    by_bracket = {id(bracket): (depth, code, label) for (bracket, depth, code), label in zip(opening, shown)}
    waiting = list(carried or ())
    named: list[Named] = []
    for bracket, depth in paragraph.brackets():
        if bracket.continued and waiting:
            earlier = waiting.pop(0)
            named.append(Named(bracket, depth, earlier.paragraph, earlier.code, earlier.shown))
        elif id(bracket) in by_bracket:
            _, code, label = by_bracket[id(bracket)]
            named.append(Named(bracket, depth, paragraph.id, code, label))
    return named


def name_draft(draft: Draft) -> list[list[Named]]:
    """`name_paragraph` for every paragraph of a draft, spanning brackets followed from one to the next."""
    named: list[list[Named]] = []
    open_: list[Named] = []
    for paragraph in draft.paragraphs:
        here = name_paragraph(paragraph, open_)
        open_ = [n for n in here if n.bracket.continues]
        named.append(here)
    return named


def is_numbered(bracket_id: str) -> bool:
    """True for an id in the old numbered form, `pp9:1`."""
    _, colon, number = bracket_id.rpartition(":")
    return bool(colon) and number.isdigit()


def split_id(bracket_id: str) -> tuple[str, str] | None:
    """(paragraph id, code prefix) of a well-formed id, or None."""
    paragraph_id, colon, code = bracket_id.strip().rpartition(":")
    if not colon or not paragraph_id or len(code) < SHORTEST or not CODE.fullmatch(code):
        return None
    return paragraph_id, code
