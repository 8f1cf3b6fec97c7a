"""What a party says of a text in another house's words: `US: Delete “authorized”`, `Canada, UK delete`.

Compilation texts and Word comments say who wants what in words rather than
signs: a party or a list of parties, then what they ask, `retain`, `delete`,
`Insert “new”`, `“old”. Insert “new”` (a replacement), `tcb`. `read_label`
splits such a label into the parties as written and the clauses, each an
action (`propose`, `object`, `reserve`, `insert`, `delete`) with its quoted
words, and keeps what it could not read, so that a caller can warn about it
rather than drop it. Which party a name means is the registry's business
(`cicatext.records.parties`), not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROPOSE = "propose"
"""The parties want the text (retain, support, keep): the text the label stands on, or the quoted words in it."""
OBJECT = "object"
"""The parties want the text deleted (delete, oppose; a quoted text alone in a compilation's bracket)."""
RESERVE = "reserve"
"""The parties will come back to it (tcb, reserve)."""
INSERT = "insert"
"""The parties want the quoted words inserted (Insert “new”)."""

_VERBS = {
    "retain": PROPOSE, "keep": PROPOSE, "support": PROPOSE, "supports": PROPOSE, "supported": PROPOSE,
    "propose": PROPOSE, "proposes": PROPOSE, "proposed": PROPOSE, "accept": PROPOSE, "accepts": PROPOSE,
    "delete": OBJECT, "deletes": OBJECT, "deletion": OBJECT, "remove": OBJECT, "strike": OBJECT,
    "oppose": OBJECT, "opposes": OBJECT, "object": OBJECT, "objects": OBJECT, "reject": OBJECT, "rejects": OBJECT,
    "tcb": RESERVE, "reserve": RESERVE, "reserves": RESERVE, "reservation": RESERVE, "pending": RESERVE,
    "insert": INSERT, "add": INSERT, "inserts": INSERT, "adds": INSERT,
}
_QUOTE = r"(?:“([^”]*)”|\"([^\"]*)\"|‘([^’]*)’|'([^']*)')"
_CLAUSE = re.compile(
    rf"\s*(?:(to\s+come\s+back|[A-Za-z]+)\b\s*(?::\s*)?)?(?:{_QUOTE})?\s*(?:[.;,]\s*|$)", re.IGNORECASE)
# The parties end at a colon, or before the first verb: `Canada, UK delete`, `US: retain`, `EU: “crucial”`.
_HEAD = re.compile(r"\s*(?P<parties>[^:“\"‘]+?)\s*(?::\s*|(?=\s+(?:" + "|".join(_VERBS) + r"|to\s+come\s+back)\b)\s*"
                   r"|(?=\s*[“\"‘]))", re.IGNORECASE)


def verb_action(word: str) -> str | None:
    """What a stance word asks (`retain` propose, `delete` object, `tcb` reserve, `insert`); None for another word."""
    key = " ".join(word.casefold().split())
    return RESERVE if key == "to come back" else _VERBS.get(key)


@dataclass(frozen=True)
class Clause:
    """One thing a label asks."""

    action: str
    """propose, object, reserve or insert."""
    words: str | None = None
    """The quoted words it is about (what to delete, keep or insert); None for the text the label stands on."""


@dataclass(frozen=True)
class Label:
    """A label read: who, what, and what was not understood."""

    parties: str
    """The parties as written (`Canada, UK`); the registry says which codes they are."""
    clauses: tuple[Clause, ...]
    unread: str = ""
    """What the label says beyond what was read; empty when all of it was."""

    @property
    def replacement(self) -> bool:
        """Deleting quoted words and inserting others: `“old”. Insert “new”`."""
        return any(c.action == OBJECT and c.words for c in self.clauses) and any(
            c.action == INSERT for c in self.clauses)


def read_label(label: str, *, bare_quote: str = OBJECT) -> Label | None:
    """The parties and clauses of `label`; None when it does not start with parties and say something of them.

    A quoted text with no verb is `bare_quote`: a deletion in compilation
    texts (`[EU: “crucial”]`, EU deletes "crucial").
    """
    text = " ".join(label.split())
    head = _HEAD.match(text)
    if head is None:
        return None
    parties = head.group("parties").strip(" ,;-")
    if not parties or len(parties) > 120:
        return None
    clauses: list[Clause] = []
    at = head.end()
    while at < len(text):
        found = _CLAUSE.match(text, at)
        verb = found.group(1) if found else None
        words = next((g for g in found.group(2, 3, 4, 5) if g is not None), None) if found else None
        if found is None or found.end() == at or (verb is None and words is None):
            break
        if verb is None:
            action = bare_quote
        else:
            action = verb_action(verb)
            if action is None:
                break  # a word that is no verb: the rest is not read
        clauses.append(Clause(action, words))
        at = found.end()
    if not clauses:
        return None
    return Label(parties, tuple(clauses), text[at:].strip())
