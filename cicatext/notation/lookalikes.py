r"""Attributions written with look-alike characters: `(+\u0421HN)` with a Cyrillic Es, `(+C\u200bHN)`, `(\u202e+CHN)`.

A round-bracketed group that reads as an attribution once it is folded is
one that a reader would take for an attribution: folding applies NFKC (so
fullwidth `(+CHN)` and other compatibility forms become plain), maps the
Cyrillic and Greek letters that look like Latin ones to those Latin letters,
dashes and the minus sign to `-`, and removes the invisible and direction
characters (Unicode's format characters: zero-width space and joiners, the
bidirectional embeddings, overrides and isolates, the soft hyphen, the
byte-order mark). The reader (`cicatext.notation.attributions`) reads such a
group as the attribution it looks like, and reports it as an error naming
what it looks like; the position-set guard uses `attribution_groups` to find
every attribution a piece of text makes, whatever its spelling.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters of other scripts that look like Latin ones, as a reader sees them.
_CONFUSABLES = {
    # Cyrillic capitals and small letters
    "\u0410": "A", "\u0412": "B", "\u0421": "C", "\u0415": "E", "\u041d": "H", "\u0406": "I", "\u0408": "J", "\u041a": "K", "\u041c": "M", "\u041e": "O",
    "\u0420": "P", "\u0405": "S", "\u0422": "T", "\u0425": "X", "\u0423": "Y", "\u04ae": "Y", "\u051a": "Q", "\u051c": "W", "\u04c0": "I", "\ua646": "I",
    "\u0430": "a", "\u0441": "c", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0445": "x", "\u0443": "y", "\u0456": "i", "\u0458": "j", "\u0455": "s",
    "\u0501": "d", "\u04bb": "h", "\u051b": "q", "\u051d": "w", "\u04cf": "l",
    # Greek capitals and small letters
    "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H", "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O",
    "\u03a1": "P", "\u03a4": "T", "\u03a5": "Y", "\u03a7": "X", "\u03bf": "o", "\u03bd": "v", "\u03ba": "k", "\u03b9": "i", "\u03c1": "p",
    # Dashes and the minus sign, read as the objection's `-`
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}
_FOLD = str.maketrans(_CONFUSABLES)

# A round-bracketed group, in ASCII or fullwidth (or small) round brackets, short enough to be an attribution.
_OPEN = "(\uff08\ufe59\u207d\u208d"
_CLOSE = ")\uff09\ufe5a\u207e\u208e"
GROUP = re.compile(rf"[{_OPEN}]([^{_OPEN}{_CLOSE}\[\]\n]{{1,48}})[{_CLOSE}]")
# The round brackets other than ASCII's that may open a group.
OTHER_OPENERS = _OPEN[1:]
# The same in ASCII round brackets, holding at least one character that is not ASCII: all a text without
# fullwidth or small round brackets needs looking at (a few times faster on a large text than GROUP).
# NON_ASCII_INSIDE is what stands within the round brackets.
NON_ASCII_INSIDE = r"[\x00-\x09\x0b-\x27\x2a-\x5a\x5c\x5e-\x7f]{0,47}[^\x00-\x7f][^()\[\]\n]{0,47}"
_NON_ASCII_GROUP = re.compile(r"\(" + NON_ASCII_INSIDE + r"\)")
# The Cyrillic letters that folding leaves as they are (neither look-alikes nor changed by NFKC): a group
# holding one cannot fold to an attribution, which is written in Latin letters only.
_STAYS_CYRILLIC = re.compile("[" + "".join(
    char for char in map(chr, range(0x400, 0x530))
    if unicodedata.category(char) in ("Lu", "Ll", "Lo") and char not in _CONFUSABLES
    and unicodedata.normalize("NFKC", char) == char) + "]")
# What a folded group must be to be an attribution, in any spacing or case.
_READS_AS = re.compile(r"\(\s*(?:([+-])\s*([A-Za-z][A-Za-z0-9]*)|([A-Za-z][A-Za-z0-9]*)\s+([Tt][Cc][Bb]))\s*\)")


@dataclass(frozen=True)
class Lookalike:
    """What a group written with look-alike characters reads as."""

    sign: str | None
    """`+` or `-`; None for a reservation (`tcb`)."""
    code: str
    """The code it reads as, in capitals."""
    odd: tuple[str, ...]
    """The characters that are not what they look like, named (`U+0421 CYRILLIC CAPITAL LETTER ES`)."""

    def reads_as(self) -> str:
        """The attribution it looks like, in its normal spelling."""
        return f"({self.code} tcb)" if self.sign is None else f"({self.sign}{self.code})"


def suspect_groups(text: str):
    """The round-bracketed groups of a text that is not ASCII that may be look-alikes (matches of GROUP)."""
    if any(opener in text for opener in OTHER_OPENERS):
        return GROUP.finditer(text)
    return _NON_ASCII_GROUP.finditer(text)


def fold(text: str) -> str:
    """The text as a reader sees it: NFKC, look-alike letters made Latin, invisible characters removed."""
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return "".join(char for char in folded if unicodedata.category(char) != "Cf")


def lookalike(group: str) -> Lookalike | None:
    """What a round-bracketed group (brackets included) that is not plain ASCII reads as, when it folds to an
    attribution; None otherwise."""
    if group.isascii() or _STAYS_CYRILLIC.search(group):
        return None
    found = _READS_AS.fullmatch(fold(group))
    if found is None:
        return None
    sign, code, reserver, _ = found.groups()
    odd = tuple(dict.fromkeys(
        f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}" for char in group if not char.isascii()))
    return Lookalike(sign, (code or reserver).upper(), odd)


def shown(text: str) -> str:
    """The text with its invisible and direction characters written as `<U+200B>`, so a message shows them."""
    if text.isascii():
        return text
    return "".join(f"<U+{ord(char):04X}>" if unicodedata.category(char) == "Cf" else char for char in text)


@dataclass(frozen=True)
class Group:
    """An attribution some text makes, in whatever spelling or characters."""

    start: int
    """Its offset in the text."""
    written: str
    """The group as written."""
    sign: str | None
    """`+` or `-`; None for a reservation."""
    code: str
    """The code it names, in capitals."""
    lookalike: bool
    """Whether it is written with look-alike characters."""


def attribution_groups(text: str) -> list[Group]:
    """Every round-bracketed group of a text that reads as an attribution, in any spelling, look-alikes too."""
    groups = []
    for found in GROUP.finditer(text):
        written = found.group()
        folded = fold(written)
        reading = _READS_AS.fullmatch(folded)
        if reading is None:
            continue
        sign, code, reserver, _ = reading.groups()
        groups.append(Group(found.start(), written, sign, (code or reserver).upper(), not written.isascii()))
    return groups
