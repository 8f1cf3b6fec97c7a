"""Document symbols of any UN-system body, and the profiles a repository may hold its own symbols to.

A symbol is segments joined by `/`: a body and its series and sub-series
(`A`, `AC.296`, `FCCC/ADP`, `CBD/WG2020`, `MC`), a year or a session
(`2015`, `73`, `2023-II`), a document number, possibly typed (`L.6`,
`CRP.1`, `INF/2`, `DRAFT/3`), and at the end the modifiers `Add.N`,
`Corr.N`, `Amend.N` and `Rev.N`. Only a final `Rev.N` makes a symbol a
revision of another: `FCCC/ADP/2015/L.6/Rev.1` is revision 1 of
`FCCC/ADP/2015/L.6`, while `A/78/L.1/Rev.1/Corr.1` is a document of its own.
Note numbers such as `SWG/739` are symbols too.

A *profile* is a house's own pattern, checked by `cicatext validate` when the
repository's settings name it (`symbols: cica`): CICA's documents are
`BODY/YEAR[-SESSION]/SERIES/NUMBER`, its notes `BODY/NUMBER`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.errors import UsageError

_SEGMENT = r"[A-Z0-9][A-Z0-9]*(?:[.\-][A-Z0-9]+)*"
_MODIFIER = r"(?:Rev|Add|Corr|Amend|Misc|Sup|Suppl|Summary)\.\d+"
_SYMBOL = re.compile(rf"^[A-Z][A-Z0-9]*(?:[.\-][A-Z0-9]+)*(?:/(?:{_SEGMENT}|{_MODIFIER}))+$")
_FINAL_REVISION = re.compile(r"/Rev\.(?P<revision>\d+)$")
_MODIFIER_ONLY = re.compile(rf"^{_MODIFIER}$")
LONGEST = 120
"""No symbol of any body is longer; a longer string is not read as one (nor a folder named after it looked for)."""
_GRAMMAR = ("write it as segments joined by /, starting with the body and ending with the number, then any "
            "Add.N, Corr.N or Rev.N: e.g. MC/2023/DRAFT/3/Rev.1, FCCC/ADP/2015/L.6, A/AC.296/2026/9")

PROFILES = {
    "cica": re.compile(
        r"""^(?:[A-Z][A-Z0-9]*
               /\d{4}(?:-[IVXLC]+)?
               /[A-Z][A-Z0-9]*
               /\d+
             |[A-Z][A-Z0-9]*/\d+)$""",
        re.VERBOSE,
    ),
}
"""A house's own pattern for its base symbols (revision left out), by the name settings give it."""

PROFILE_EXAMPLES = {
    "cica": "BODY/YEAR/SERIES/NUMBER, e.g. MC/2023/DRAFT/3, or a note number such as SWG/739",
}
"""How each profile's symbols are written, for messages."""

_NOTE = re.compile(r"^(?P<body>[A-Z][A-Z0-9]*)/(?P<number>\d+)$")


@dataclass(frozen=True)
class Symbol:
    """A parsed document symbol."""

    base_text: str
    """The symbol without its final `/Rev.N`."""
    revision: int = 0
    """0 for the original, N for a final `/Rev.N`."""

    @property
    def parts(self) -> tuple[str, ...]:
        """The segments of the base symbol: `('FCCC', 'ADP', '2015', 'L.6')`."""
        return tuple(self.base_text.split("/"))

    @property
    def body(self) -> str:
        """The first segment: the body or organ whose series it is (`A`, `FCCC`, `MC`)."""
        return self.parts[0]

    def base(self) -> Symbol:
        """The same symbol without a revision."""
        # Made directly, not by dataclasses.replace: validate asks it of every document's symbol several times.
        return Symbol(self.base_text) if self.revision else self

    def with_revision(self, revision: int) -> Symbol:
        """The symbol of revision N (0 = the original)."""
        return Symbol(self.base_text, revision)

    def __str__(self) -> str:
        return f"{self.base_text}/Rev.{self.revision}" if self.revision else self.base_text

    def slug(self) -> str:
        """A folder name for the document, revision left out: `mc-2023-draft-3`, `fccc-adp-2015-l.6`."""
        return self.base_text.lower().replace("/", "-")


def _match(text: str) -> str | None:
    wanted = text.strip()
    if len(wanted) > LONGEST or not _SYMBOL.match(wanted) or not any(c.isdigit() for c in wanted):
        return None
    segments = wanted.split("/")
    while segments and _MODIFIER_ONLY.match(segments[-1]):
        segments.pop()
    # A body and at least a number, and the number ends the symbol before its modifiers.
    if len(segments) < 2 or not any(c.isdigit() for c in segments[-1]):
        return None
    return wanted


def parse_symbol(text: str) -> Symbol:
    """Parse a document symbol; a UsageError saying the expected form if it does not parse."""
    wanted = _match(text)
    if wanted is None:
        _refuse(text)
    final = _FINAL_REVISION.search(wanted)
    if final is None:
        return Symbol(wanted)
    return Symbol(wanted[: final.start()], int(final["revision"]))


def refuse_overlong(reference: str) -> None:
    """The UsageError of `parse_symbol` for a reference longer than any symbol; nothing for one that is not."""
    if len(reference.strip()) > LONGEST:
        _refuse(reference)


def _refuse(text: str):
    wanted = text.strip()
    if len(wanted) <= LONGEST:
        raise UsageError(f"'{text}' is not a document symbol", hint=_GRAMMAR)
    raise UsageError(f"'{wanted[:60]}...' ({len(wanted):,} characters) is not a document symbol: none is longer than "
                     f"{LONGEST} characters", hint=_GRAMMAR)


def is_symbol(text: str) -> bool:
    """True when the text parses as a document symbol."""
    return _match(text) is not None


def is_note_number(text: str) -> bool:
    """True for a note's number such as `SWG/739`."""
    return bool(_NOTE.match(text.strip()))


def fits_profile(symbol: str, profile: str) -> bool:
    """True when the symbol's base follows the named profile (an unknown profile fits nothing)."""
    pattern = PROFILES.get(profile)
    if pattern is None or not is_symbol(symbol):
        return False
    return bool(pattern.match(str(parse_symbol(symbol).base())))
