"""A delegation's Word file read as its proposal: `cicatext propose SYMBOL --from FILE.docx`.

On its branch, a delegation may send its positions as a Word file of the
document (any export of it, or the text as circulated) edited with tracked
changes and comments. `word_edit` rebuilds the edit those stand for on the
committed text, paragraph by paragraph: each Word paragraph holding the
delegation's changes or comments is found among the committed paragraphs by
its reading text (`notation.paragraph_text`) and aligned with it character by
character. Then its tracked insertions are inserted, its deletions deleted
(deleting exactly the words of a bracket objects to that bracket), and its
comments add its attribution to the bracket they stand on (`retain` `+`,
`delete` `-`, `tcb` a reservation), delete the words they stand on (`delete`
on unbracketed text) or insert the words they quote (`Insert “x”`, after the
anchor). `propose` then reads that edit into entries as it reads an edit
made in an editor (`notation.edits.entries_from_edit`).

Whose is what: changes and comments whose author the registry maps to this
delegation are its own; authors it does not know (a person's name) are read
as this delegation's, with a warning naming them; authors that are another
party are left out, with a warning. A paragraph holding the delegation's
changes that reads as no paragraph of the committed text is refused, named.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from cicatext.errors import UsageError
from cicatext.exchange.docx_marks import ReviewWarning
from cicatext.exchange.docx_review import (
    ReviewParagraph,
    WordComment,
    WordReview,
    read_review,
)
from cicatext.notation.paragraph_text import (
    ParagraphText,
    normalise,
    paragraph_text,
    quote,
)
from cicatext.notation.party_labels import INSERT, OBJECT, PROPOSE, RESERVE, read_label
from cicatext.notation.tree import Draft, Stance
from cicatext.records.parties import Parties

# Bracket marks and attributions typed in a Word file's text (an export without --track-changes).
_NOTATION = re.compile(r"\[|\]|\s*\((?:[+-][A-Za-z0-9]+|[A-Za-z0-9]+ tcb)\)")
_STANCES = {PROPOSE: Stance.PROPOSE, OBJECT: Stance.OBJECT, RESERVE: Stance.RESERVE}


class _Authors:
    """Which authors are this delegation, and the warnings about the others."""

    def __init__(self, code: str, parties: Parties, file: str) -> None:
        self.code, self.parties, self.file = code, parties, file
        self.seen: set[int] = set()
        self.counts: Counter = Counter()
        """(author, party or None, 'change' or 'comment') → how many."""
        self.first: dict[str, int] = {}

    def mine(self, author: str, paragraph: int, thing: object = None, kind: str = "change") -> bool:
        """True when `author` is this delegation (or no party at all); counts each change or comment once."""
        found = self.parties.resolve(author) if author.strip() else self.code
        if found == self.code:
            return True
        if thing is None or id(thing) not in self.seen:
            if thing is not None:
                self.seen.add(id(thing))
            self.counts[(author, found, kind)] += 1
            self.first.setdefault(author, paragraph)
        return found is None

    def warnings(self) -> list[ReviewWarning]:
        found = []
        by_author: dict[tuple[str, str | None], dict[str, int]] = {}
        for (author, code, kind), count in self.counts.items():
            by_author.setdefault((author, code), {})[kind] = count
        for (author, code), kinds in by_author.items():
            what = " and ".join(f"{count} {kind}(s)" for kind, count in sorted(kinds.items()))
            if code is None:
                message = f"{what} by “{author}”, who is no party in the registry, read as {self.code}'s"
            else:
                message = f"{what} by “{author}” ({code}) are not {self.code}'s; left out"
            found.append(ReviewWarning(self.file, self.first[author], message))
        return found


@dataclass
class _WordText:
    """One Word paragraph's text with, for each character, whose change it is."""

    text: str
    mine_ins: list[bool]
    mine_del: list[bool]
    other_ins: list[bool]
    notation: list[bool]
    shift: int
    """Characters put in front of the paragraph's own text (Word's automatic number)."""

    def without(self, *masks: list[bool]) -> str:
        return "".join(ch for at, ch in enumerate(self.text) if not any(mask[at] for mask in masks))

    @property
    def has_changes(self) -> bool:
        return any(self.mine_ins) or any(self.mine_del)


def _word_text(paragraph: ReviewParagraph, number: str, authors: _Authors) -> _WordText:
    prefix = f"{number} " if number else ""
    text = prefix + paragraph.text
    size = len(text)
    mine_ins, mine_del, other_ins = [False] * size, [False] * size, [False] * size
    for run in paragraph.runs:
        at = slice(run.start + len(prefix), run.end + len(prefix))
        width = len(run.text)
        if run.inserted is not None:
            target = mine_ins if authors.mine(run.inserted.author, paragraph.index, run.inserted) else other_ins
            target[at] = [True] * width
        if run.deleted is not None and authors.mine(run.deleted.author, paragraph.index, run.deleted):
            mine_del[at] = [True] * width
    notation = [False] * size
    for match in _NOTATION.finditer(text):
        notation[match.start():match.end()] = [True] * (match.end() - match.start())
    tracked = [False] * size
    for run in paragraph.runs:
        if run.inserted is not None or run.deleted is not None:
            tracked[run.start + len(prefix):run.end + len(prefix)] = [True] * len(run.text)
    # The comma between two options of a bracket, `[[old] (-A), [new] (+A)]`, written between two tracked changes.
    for match in re.finditer(r",\s*", text):
        if match.start() > 0 and match.end() < size and tracked[match.start() - 1] and tracked[match.end()]:
            notation[match.start():match.end()] = [True] * (match.end() - match.start())
    return _WordText(text, mine_ins, mine_del, other_ins, notation, len(prefix))


def _key(text: str) -> str:
    return re.sub(r"[\s*]+", "", _NOTATION.sub("", text))


@dataclass
class _Edits:
    """The edits of one committed paragraph, on its written text."""

    text: ParagraphText
    edits: list[tuple[int, int, str]]
    stances: dict[int, Stance | None]
    """Bracket ordinal → the delegation's stance on it from now on."""


class _Reader:
    def __init__(self, old: Draft, review: WordReview, numbers: dict[int, str], code: str, parties: Parties,
                 file: str, text_path: str) -> None:
        self.old, self.review, self.numbers = old, review, numbers
        self.code, self.parties, self.file, self.text_path = code, parties, file, text_path
        self.authors = _Authors(code, parties, file)
        self.warnings: list[ReviewWarning] = []
        self.texts = [paragraph_text(p) for p in old.paragraphs]
        self.keys: dict[str, list[int]] = {}
        for at, text in enumerate(self.texts):
            self.keys.setdefault(_key(text.reading), []).append(at)
        self.used: set[int] = set()
        self.edits: dict[int, _Edits] = {}
        self.new_paragraphs: list[tuple[int | None, str]] = []

    def warn(self, paragraph: int, message: str, text: str = "") -> None:
        self.warnings.append(ReviewWarning(self.file, paragraph, message, text))

    # Which committed paragraph a Word paragraph is.
    def _exact(self, word: _WordText) -> int | None:
        candidates = (word.without(word.mine_ins), word.without(word.mine_ins, word.other_ins), word.text,
                      word.without(word.other_ins))
        for candidate in candidates:
            for at in self.keys.get(_key(candidate), ()):
                if at not in self.used:
                    return at
        return None

    def _nearest(self, word: _WordText) -> int | None:
        key = _key(word.without(word.mine_ins, word.other_ins))
        best, best_ratio = None, 0.6
        for at, text in enumerate(self.texts):
            if at in self.used:
                continue
            matcher = SequenceMatcher(None, _key(text.reading), key, autojunk=False)
            if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = at, ratio
        return best

    def read(self) -> None:
        last: int | None = None
        for paragraph in self.review.paragraphs:
            comments = [self.review.comments[c] for c in paragraph.comments if c in self.review.comments]
            if not paragraph.runs and not comments:
                continue
            word = _word_text(paragraph, self.numbers.get(paragraph.index, ""), self.authors)
            mine = [c for c in comments if self._my_comment(paragraph.index, c)]
            if not word.has_changes and not mine:
                found = self._exact(word)
                if found is not None:
                    self.used.add(found)
                    last = found
                continue
            # Word's own number (word.shift characters) aside, nothing but the delegation's insertion: a new paragraph.
            if not word.without(word.mine_ins, word.other_ins, word.notation)[word.shift:].strip() and \
                    any(word.mine_ins):
                self.new_paragraphs.append((last, normalise(word.without(word.mine_del, word.other_ins))))
                continue
            found = self._exact(word)
            if found is None:
                found = self._nearest(word)
            if found is None:
                raise UsageError(
                    f"{self.file}: paragraph {paragraph.index} holds changes of {self.code} but reads as no "
                    f"paragraph of {self.text_path}: {quote(word.without(word.mine_ins))}",
                    hint="send the document as committed on your branch, with your changes tracked")
            self.used.add(found)
            last = found
            self._align(paragraph.index, found, word, mine)
        self.warnings[:0] = self.authors.warnings()

    def _label(self, comment: WordComment):
        label = read_label(comment.text)
        if label is not None and self.parties.resolve_list(label.parties)[0]:
            return label
        # A bare stance (`delete`, `retain`) is its author's; an author who is no party writes for this delegation.
        author = self.parties.resolve(comment.author) if comment.author.strip() else None
        own = read_label(f"{author or self.code}: {comment.text}")
        return own if own is not None else label

    def _my_comment(self, paragraph: int, comment: WordComment) -> bool:
        if not comment.anchored:
            self.warn(paragraph, f"the comment by “{comment.author}” spans paragraphs {comment.paragraph} to "
                                 f"{comment.end_paragraph}; not read", comment.text)
            return False
        label = self._label(comment)
        if label is None:
            self.warn(paragraph, f"the comment by “{comment.author}” says no position that can be read: "
                                 f"“{comment.text}”")
            return False
        codes, unknown = self.parties.resolve_list(label.parties)
        if comment.author.strip() and not self.authors.mine(comment.author, paragraph, comment, "comment"):
            return False
        for name in unknown:
            self.warn(paragraph, f"the comment “{comment.text}” names “{name}”, who is not a known party; left out")
        if self.code not in codes:
            named = ", ".join(codes) or "no known party"
            self.warn(paragraph, f"the comment “{comment.text}” by “{comment.author}” speaks for {named}, "
                                 f"not {self.code}; left out")
            return False
        if label.unread:
            self.warn(paragraph, f"the comment “{comment.text}”: “{label.unread}” was not read")
        return True

    def _align(self, index: int, found: int, word: _WordText, comments: list[WordComment]) -> None:
        text = self.texts[found]
        edits = self.edits.setdefault(found, _Edits(text, [], {}))
        # First as the text stood before the delegation's insertions; when the committed text already holds
        # some of them (an export of a later revision), the whole of the Word text.
        base = [w for w in range(len(word.text)) if not (word.mine_ins[w] or word.other_ins[w])]
        mapped, difference = self._mapping(text.reading, word, base)
        if difference:
            mapped, difference = self._mapping(text.reading, word, list(range(len(word.text))))
        if difference:
            raise UsageError(
                f"{self.file}: paragraph {index} reads as paragraph {self.old.paragraphs[found].id} of "
                f"{self.text_path} but differs from it where no change is tracked: {quote(difference)}",
                hint="track every change in Word (Review > Track Changes), on the text as committed on your branch")
        group: list[int] = []
        spaces: list[int] = []
        """White space in the Word text and not in the committed text, next to what is inserted."""
        for w in range(len(word.text) + 1):
            if w < len(word.text) and mapped[w] < 0 and word.mine_ins[w] and not word.mine_del[w]:
                group.extend(spaces)
                group.append(w)
                spaces = []
                continue
            if w < len(word.text) and mapped[w] < 0 and word.text[w].isspace() and not word.notation[w]:
                (group if group else spaces).append(w)
                continue
            spaces = []
            if group and any(not word.text[at].isspace() for at in group):
                following = next((mapped[at] for at in range(w, len(word.text)) if mapped[at] >= 0), None)
                raw = self._raw_at(text, following if following is not None else len(text.reading))
                edits.edits.append((raw, raw, "".join(word.text[at] for at in group)))
            group = []
        self._deletions(index, word, mapped, edits)
        for comment in comments:
            self._comment(index, word, mapped, edits, comment)

    @staticmethod
    def _mapping(reading: str, word: _WordText, kept: list[int]) -> tuple[list[int], str]:
        """For each Word character, the reading offset it is (-1 for none); and the first untracked difference."""
        shown = "".join(word.text[w] for w in kept)
        mapped = [-1] * len(word.text)
        matcher = SequenceMatcher(None, reading, shown, autojunk=False)
        for tag, r0, r1, s0, s1 in matcher.get_opcodes():
            if tag == "equal":
                for offset in range(s1 - s0):
                    mapped[kept[s0 + offset]] = r0 + offset
                continue
            missing = normalise(reading[r0:r1].replace("*", ""))
            extra = "".join(word.text[kept[at]] for at in range(s0, s1) if not (
                word.mine_ins[kept[at]] or word.other_ins[kept[at]] or word.notation[kept[at]]
                or word.text[kept[at]].isspace()))
            if missing or extra:
                return mapped, missing or extra
        return mapped, ""

    @staticmethod
    def _raw_at(text: ParagraphText, reading_at: int) -> int:
        """Where a reading offset stands in the written text: before that character (or at the end)."""
        if reading_at < len(text.reading):
            return text.offsets[reading_at]
        return len(text.raw)

    def _bracket(self, text: ParagraphText, start: int, end: int, *, exact: bool):
        """The bracket whose words are reading[start:end] (or, unless exact, the innermost holding them)."""
        holding = None
        for span in text.brackets:
            body_start, body_end = text.body_range(span)
            if normalise(text.reading[body_start:body_end]) == normalise(text.reading[start:end]) and \
                    body_start <= start and end <= body_end + 1:
                return span
            if not exact and body_start <= start and end <= body_end and \
                    (holding is None or span.depth > holding.depth):
                holding = span
        return holding

    def _deletions(self, index: int, word: _WordText, mapped: list[int], edits: _Edits) -> None:
        stretches: list[list[int]] = []
        for w, deleted in enumerate(word.mine_del):
            # Text inserted and deleted by the delegation is nothing; text it deleted that is not in the
            # committed text (another's insertion left out) neither.
            if not deleted or mapped[w] < 0:
                continue
            if stretches and stretches[-1][-1] == mapped[w] - 1:
                stretches[-1].append(mapped[w])
            else:
                stretches.append([mapped[w]])
        for stretch in stretches:
            text = edits.text
            start, end = stretch[0], stretch[-1] + 1
            if not text.reading[start:end].strip():
                continue
            span = self._bracket(text, start, end, exact=True)
            if span is not None:
                edits.stances[span.ordinal] = Stance.OBJECT
                continue
            if all(self._mine_already(text, at, Stance.OBJECT) for at in stretch if not text.reading[at].isspace()):
                continue
            for at in stretch:
                raw = text.offsets[at]
                edits.edits.append((raw, raw + 1, ""))

    def _mine_already(self, text: ParagraphText, at: int, stance: Stance) -> bool:
        """True when reading[at] stands in a bracket the delegation already holds `stance` on."""
        for span in text.brackets:
            start, end = text.body_range(span)
            if start <= at < end and any(a.code == self.code and a.stance is stance
                                         for a in span.bracket.attributions):
                return True
        return False

    def _comment(self, index: int, word: _WordText, mapped: list[int], edits: _Edits, comment: WordComment) -> None:
        text = edits.text
        start, end = comment.start + word.shift, comment.end + word.shift
        while start < end and word.text[start].isspace():
            start += 1
        while end > start and word.text[end - 1].isspace():
            end -= 1
        label = self._label(comment)
        anchor_words = word.text[start:end]
        replaced_at: int | None = None
        for clause in label.clauses:
            target = (start, end)
            if clause.words and clause.action != INSERT:
                found = word.text.find(clause.words, start, end)
                if found < 0:
                    self.warn(index, f"the comment “{comment.text}” quotes “{clause.words}”, which is not in the "
                                     "text it stands on; not read", anchor_words)
                    continue
                target = (found, found + len(clause.words))
            if target[0] >= target[1] or mapped[target[0]] < 0 or mapped[target[1] - 1] < 0:
                self.warn(index, f"the comment “{comment.text}” does not stand on text of {self.text_path}; "
                                 "not read", anchor_words)
                continue
            r_start, r_end = mapped[target[0]], mapped[target[1] - 1] + 1
            if clause.action == INSERT:
                if not (clause.words or "").strip():
                    continue
                if replaced_at is not None:
                    # `“old”. Insert “new”`: the new words stand where the old ones are deleted.
                    edits.edits.append((replaced_at, replaced_at, clause.words))
                    continue
                raw = text.offsets[r_end - 1] + 1
                lead = "" if text.raw[raw - 1:raw].isspace() else " "
                edits.edits.append((raw, raw, lead + clause.words))
                continue
            exact = self._bracket(text, r_start, r_end, exact=True)
            span = exact or (self._bracket(text, r_start, r_end, exact=False) if clause.action != OBJECT else None)
            if span is not None:
                edits.stances[span.ordinal] = _STANCES[clause.action]
            elif clause.action == OBJECT:
                for at in range(r_start, r_end):
                    edits.edits.append((text.offsets[at], text.offsets[at] + 1, ""))
                replaced_at = text.offsets[r_start]
            else:
                self.warn(index, f"the comment “{comment.text}” stands on text that is not bracketed; a "
                                 f"{'reservation' if clause.action == RESERVE else 'support'} needs a bracket; "
                                 "not read", anchor_words)

    def edited(self, committed: str) -> str:
        """The committed text with the Word file's changes made."""
        pieces: list[tuple[int, int, str]] = []
        for at, edits in self.edits.items():
            paragraph = self.old.paragraphs[at]
            start = paragraph.pos.start + len(paragraph.marker)
            if committed[start:paragraph.pos.end] != edits.text.raw:
                raise UsageError(f"paragraph {paragraph.id} of {self.text_path} cannot be edited from the Word file",
                                 hint="edit it in the text and run propose without --from")
            raw = self._apply(edits)
            pieces.append((start, paragraph.pos.end, raw))
        for after, words in self.new_paragraphs:
            if not words:
                continue
            if after is None:
                pieces.append((0, 0, f"{words}\n\n"))
            else:
                end = self.old.paragraphs[after].pos.end
                pieces.append((end, end, f"\n\n{words}"))
        out = committed
        for start, end, new in sorted(pieces, key=lambda p: (p[0], p[1]), reverse=True):
            out = out[:start] + new + out[end:]
        return out

    def _apply(self, edits: _Edits) -> str:
        changes = list(edits.edits)
        for span in edits.text.brackets:
            if span.ordinal not in edits.stances:
                continue
            stance = edits.stances[span.ordinal]
            kept = [a for a in span.bracket.attributions if a.code != self.code]
            if any(a.code == self.code and a.stance is stance for a in span.bracket.attributions):
                continue
            written = "".join(a.lead + a.source() for a in kept)
            written += f" ({self.code} tcb)" if stance is Stance.RESERVE else f" ({stance.value}{self.code})"
            changes.append((span.attributions_start, span.end, written))
        raw = edits.text.raw
        for start, end, new in sorted(set(changes), key=lambda c: (c[0], c[1]), reverse=True):
            raw = raw[:start] + new + raw[end:]
        return raw


def word_edit(old: Draft, committed: str, review: WordReview, numbers: dict[int, str], code: str,
              parties: Parties, *, file: str, text_path: str) -> tuple[str, tuple[ReviewWarning, ...]]:
    """The committed text as delegation `code`'s Word review edits it, and what was left out."""
    reader = _Reader(old, review, numbers, code, parties, file, text_path)
    reader.read()
    return reader.edited(committed), tuple(reader.warnings)


def propose_from_word(repo, symbol: str, path: str | Path, *, language: str = "en", justification=None,
                      message: str | None = None):
    """Read the delegation's Word file of a document into entries of its position set, and commit them."""
    from cicatext.exchange.docx_import import read_paragraphs
    from cicatext.store.negotiation.branches import require_delegation
    from cicatext.store.negotiation.checks import read_draft
    from cicatext.store.negotiation.propose import propose
    from cicatext.store.register.texts import text_at

    code = require_delegation(repo)
    entry = repo.document(symbol)
    text_path = entry.text_path(language)
    review = read_review(path)
    if not review.changes() and not review.comments:
        raise UsageError(f"{path} holds no tracked changes and no comments: nothing to propose",
                         hint="in Word, turn on Review > Track Changes before editing, or comment on the text")
    committed = text_at(repo, text_path, "HEAD", required=False)
    if committed is None:
        raise UsageError(f"{entry.symbol} has no {language} text on this branch ({text_path})",
                         hint=f"the document's languages are {', '.join(entry.languages) or 'none'}")
    old = read_draft(committed, file=text_path, record=entry.record, language=language)
    numbers = {p.index: p.number for p in read_paragraphs(path) if p.number}
    edited, warnings = word_edit(old, committed, review, numbers, code, repo.parties, file=str(path),
                                 text_path=text_path)
    try:
        result = propose(repo, symbol, language=language, justification=justification, message=message,
                         edited=edited, source=str(path))
    except UsageError as error:
        if not warnings:
            raise
        left = "; ".join(w.describe() for w in warnings[:3]) + (" ..." if len(warnings) > 3 else "")
        raise UsageError(error.message, file=error.problem.file,
                         hint=f"{error.hint + '; ' if error.hint else ''}left out: {left}") from None
    return replace(result, warnings=tuple(w.describe() for w in warnings) + result.warnings)


__all__ = ["propose_from_word", "word_edit"]
