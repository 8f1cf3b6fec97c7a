"""Bracket ids that name a bracket by what it says, so that one id never comes to mean another bracket.

A bracket's id is `PARAGRAPH:CODE`, CODE a few letters drawn from a hash of
the bracket's words: its text with the bracket marks and every attribution
taken out, white space collapsed (`cultural [and religious] (-CHN)` has the
words `cultural and religious`). So an id stays the bracket's while the
brackets around it are agreed or dropped, while delegations join or withdraw
attributions, and while an inner bracket is lifted; when the bracket itself is
agreed or dropped, its id names nothing.

A code is ten letters drawn from the words, then six from the bracket's depth
and the eight words before it. The id shown is the shortest prefix of the
code, four letters at least, that no other bracket of the paragraph shares:
so brackets with the same words (`[shall]` twice) are shown with more
letters, taken from their place, and each keeps its id when the other is
agreed. Any prefix of three letters or more finds the bracket. (Dropping one
of two such brackets within eight words of the other changes the other's
place and so its longer id; that id then names nothing, and the listing shows
the new one.) Codes use lowercase letters without i, l and o, so that they
cannot be taken for the old numbered ids (`pp9:1`) or misread.

A bracket spanning paragraphs has one id, in the paragraph where it opens;
its parts in later paragraphs carry the same id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from hashlib import blake2b

from cicatext.notation.tree import Bracket, Draft, Paragraph, Text

ALPHABET = "abcdefghjkmnpqrstuvwxyz"
"""The letters of a code: lowercase, without i, l and o."""
SHOWN = 4
"""The least number of letters an id is shown with."""
SHORTEST = 3
"""The least number of letters that finds a bracket."""
_FULL = 16
_WORDS = 10
"""The letters of a code drawn from the bracket's words; the rest come from its depth and the words before it."""
_SPACE = re.compile(r"\s+")
CODE = re.compile(rf"[{ALPHABET}]+")


def words(bracket: Bracket) -> str:
    """The bracket's words: its text without bracket marks or attributions, white space collapsed."""
    pieces: list[str] = []
    _collect(bracket.body, pieces)
    return _SPACE.sub(" ", "".join(pieces)).strip()


def _collect(nodes, pieces: list[str]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            pieces.append(node.text)
        else:
            _collect(node.body, pieces)
            pieces.append(node.trailer)


def _code(key: str) -> str:
    number = int.from_bytes(blake2b(key.encode("utf-8"), digest_size=10).digest(), "big")
    letters = []
    for _ in range(_FULL):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(letters)


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


def paragraph_codes(paragraph: Paragraph) -> list[tuple[Bracket, int, str]]:
    """(bracket, depth, full code) of every bracket opening in the paragraph, in reading order (outer first)."""
    found: list[tuple[Bracket, int, str, str]] = []  # bracket, depth, words, eight words before
    before: list[str] = []

    def walk(nodes, depth: int) -> None:
        for node in nodes:
            if isinstance(node, Text):
                before.append(node.text)
                continue
            if not node.continued:
                preceding = " ".join(_SPACE.sub(" ", "".join(before)).split()[-8:])
                found.append((node, depth, words(node), preceding))
            walk(node.body, depth + 1)
            before.append(node.trailer)

    walk(paragraph.content, 1)
    codes = [_code(text)[:_WORDS] + _code(f"{depth}\x1f{preceding}")[: _FULL - _WORDS]
             for _, depth, text, preceding in found]
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    seen: dict[str, int] = {}
    for index, code in enumerate(codes):
        if counts[code] > 1:
            # Same words, depth and words before: told apart by their order.
            seen[code] = seen.get(code, 0) + 1
            _, depth, _, preceding = found[index]
            codes[index] = code[:_WORDS] + _code(f"{depth}\x1f{preceding}\x1f{seen[code]}")[: _FULL - _WORDS]
    return [(bracket, depth, code) for (bracket, depth, _, _), code in zip(found, codes)]


def shown_ids(paragraph_id: str, codes: list[str]) -> list[str]:
    """The id shown for each code: the shortest prefix of at least `SHOWN` letters no other code shares."""
    shown = []
    for code in codes:
        length = SHOWN
        while length < len(code) and any(other != code and other.startswith(code[:length]) for other in codes):
            length += 1
        shown.append(f"{paragraph_id}:{code[:length]}")
    return shown


def name_paragraph(paragraph: Paragraph, carried: list[Named] | None = None) -> list[Named]:
    """Every bracket and bracket part of the paragraph in reading order, with its id.

    `carried` are the spanning brackets still open where the paragraph begins
    (outer first); their parts here take their ids.
    """
    opening = paragraph_codes(paragraph)
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
