"""Document symbols: `MC/2023/DRAFT/3/Rev.1`, `MC/2023/CHAIR/1`, `SWG/2023-II/INF/2`, and note numbers `SWG/739`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cicatext.errors import UsageError

_DOCUMENT = re.compile(
    r"""^(?P<body>[A-Z][A-Z0-9]*)
        /(?P<year>\d{4})(?:-(?P<session>[IVXLC]+))?
        /(?P<series>[A-Z][A-Z0-9]*)
        /(?P<number>\d+)
        (?:/Rev\.(?P<revision>\d+))?$""",
    re.VERBOSE,
)
_NOTE = re.compile(r"^(?P<body>[A-Z][A-Z0-9]*)/(?P<number>\d+)$")


@dataclass(frozen=True)
class Symbol:
    """A parsed document symbol."""

    body: str
    """The body whose series it belongs to (`MC`, `SWG`, ...)."""
    year: int
    """The year of the series."""
    series: str
    """`DRAFT`, `CHAIR`, `SEC`, `INF`, ..."""
    number: int
    """The number within the series."""
    session: str | None = None
    """The session in Roman numerals, as in `2023-II`."""
    revision: int = 0
    """0 for the original, N for `/Rev.N`."""

    def base(self) -> Symbol:
        """The same symbol without a revision."""
        return replace(self, revision=0)

    def with_revision(self, revision: int) -> Symbol:
        """The symbol of revision N (0 = the original)."""
        return replace(self, revision=revision)

    def __str__(self) -> str:
        year = f"{self.year}-{self.session}" if self.session else str(self.year)
        text = f"{self.body}/{year}/{self.series}/{self.number}"
        return f"{text}/Rev.{self.revision}" if self.revision else text

    def slug(self) -> str:
        """A folder name for the document: `mc-2023-draft-3` (revision left out)."""
        return str(self.base()).lower().replace("/", "-")


def parse_symbol(text: str) -> Symbol:
    """Parse a document symbol; a UsageError saying the expected form if it does not parse."""
    match = _DOCUMENT.match(text.strip())
    if not match:
        raise UsageError(
            f"'{text}' is not a document symbol",
            hint="write it as BODY/YEAR/SERIES/NUMBER[/Rev.N], e.g. MC/2023/DRAFT/3/Rev.1 or SWG/2023-II/INF/2",
        )
    revision = match["revision"]
    return Symbol(
        body=match["body"],
        year=int(match["year"]),
        series=match["series"],
        number=int(match["number"]),
        session=match["session"],
        revision=int(revision) if revision else 0,
    )


def is_symbol(text: str) -> bool:
    """True when the text parses as a document symbol."""
    return bool(_DOCUMENT.match(text.strip()))


def is_note_number(text: str) -> bool:
    """True for a note's number such as `SWG/739`."""
    return bool(_NOTE.match(text.strip()))
