"""The party-prefix style: one bracket per party's amendment, standing after the words it is about.

Compilation texts write each party's amendment as a bracket of its own:
`a crucial [EU: “crucial”] role` (the EU deletes "crucial"), `a [NOR: Insert
“sustainable”] development`, `a crucial [US: “crucial”. Insert “catalytic”]
role` (a replacement), `[G77: delete]` (a label with no quoted words is about
the whole paragraph). `prefix_paragraph` rewrites a paragraph's amendments as
cica brackets where the words are: `a [crucial] (-EU) role`, `a
[sustainable] (+NOR) development`, `a [[crucial] (-US), [catalytic] (+US)]
role`; amendments to the same words come together in one bracket. Quoted
words are looked for in the text before the amendment, nearest first.
`write_prefix` writes cica brackets this way; what the style cannot say (a
bracket with brackets inside, quotation marks in the words) stays in the cica
form with a warning.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cicatext.notation import party_labels
from cicatext.notation.paragraph_text import shortened
from cicatext.notation.party_labels import INSERT, OBJECT, Clause
from cicatext.notation.render import render
from cicatext.notation.styles import (
    STANCES,
    Names,
    Report,
    attributions_of,
    by_stance,
    cica,
)
from cicatext.notation.tree import Attribution, Bracket, Inline, Stance, Text, brackets_in

_LEAD = re.compile(r"\s*[^\s:“”\"]{1,40}(?:\s+[^\s:“”\"]{1,40}){0,5}\s*:")
_WORD_CHARACTER = re.compile(r"\w")


class _Paragraph:
    """One paragraph's nodes as they are being rewritten, with the brackets this rewriting made."""

    def __init__(self, names: Names, report: Report) -> None:
        self.out: list[Inline] = []
        self.made: set[int] = set()
        self.whole: list[Attribution] = []
        self.names = names
        self.report = report
        self.trim = False

    def add(self, node: Inline) -> None:
        if self.trim and isinstance(node, Text) and node.text[:1] in (" ", "\t") and self.out \
                and isinstance(self.out[-1], Text) and self.out[-1].text[-1:] in (" ", "\t"):
            node = Text(node.text[1:], node.pos)
        self.trim = False
        if isinstance(node, Bracket) or node.text:
            self.out.append(node)

    def make(self, bracket: Bracket) -> Bracket:
        self.made.add(id(bracket))
        return bracket

    def amendment(self, bracket: Bracket) -> bool:
        """Take `bracket` as an amendment if it is one; False when it is not (or cannot be taken)."""
        if bracket.attributions or not bracket.closed or bracket.continued or len(bracket.body) != 1 \
                or not isinstance(bracket.body[0], Text) or not _LEAD.match(bracket.body[0].text):
            return False
        label = party_labels.read_label(bracket.body[0].text)
        if label is None or label.unread:
            return False
        codes, unknown = self.names.codes(label.parties)
        written = render(bracket)
        if unknown:
            self.report.unknown(bracket.pos, written, unknown)
            return False
        if not codes:
            return False
        before = (list(self.out), set(self.made), list(self.whole))
        if not self._apply(label.clauses, codes, bracket):
            self.out, self.made, self.whole = before
            return False
        self.trim = True
        return True

    def _apply(self, clauses: tuple[Clause, ...], codes: list[str], bracket: Bracket) -> bool:
        written = render(bracket)
        deletions = [c for c in clauses if c.action == OBJECT and c.words]
        insertions = [c for c in clauses if c.action == INSERT]
        if len(deletions) == 1 and len(insertions) == 1 and len(clauses) == 2:
            return self._replace(deletions[0].words, insertions[0].words, codes, bracket)
        for clause in clauses:
            if clause.action == INSERT:
                if not clause.words:
                    return False
                self._insert(clause.words, codes)
                self.report.done(bracket.pos, written, f"[{clause.words}] {cica(attributions_of(codes, Stance.PROPOSE))}")
            elif clause.words is None:
                self.whole.extend(attributions_of(codes, STANCES[clause.action]))
                self.report.done(bracket.pos, written, f"[paragraph] {cica(attributions_of(codes, STANCES[clause.action]))}")
            elif not self._mark(clause.words, attributions_of(codes, STANCES[clause.action]), bracket):
                return False
            else:
                self.report.done(bracket.pos, written, f"[{clause.words}] {cica(attributions_of(codes, STANCES[clause.action]))}")
        return True

    def _insert(self, words: str, codes: list[str]) -> None:
        last = next((n for n in reversed(self.out) if not (isinstance(n, Text) and not n.text.strip())), None)
        if isinstance(last, Bracket) and id(last) in self.made and render(last.body) == words:
            self._swap(last, replace(last, attributions=(*last.attributions, *attributions_of(codes, Stance.PROPOSE))))
            return
        self.out.append(self.make(Bracket((Text(words),), tuple(attributions_of(codes, Stance.PROPOSE)))))

    def _find(self, words: str) -> tuple[int, int | Bracket] | None:
        """Where the nearest `words` before the end are: (node index, offset in its text) or (index, the
        bracket made for them, or the alternative of a group made here that holds them)."""
        pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)" if _WORD_CHARACTER.match(words[:1])
                             and _WORD_CHARACTER.match(words[-1:]) else re.escape(words))
        for index in range(len(self.out) - 1, -1, -1):
            node = self.out[index]
            if isinstance(node, Text):
                found = [m.start() for m in pattern.finditer(node.text)]
                if found:
                    return index, found[-1]
            elif id(node) in self.made:
                if render(node.body) == words:
                    return index, node
                for alternative in node.options:
                    if render(alternative.body) == words:
                        return index, alternative
        return None

    def _mark(self, words: str, attributions: list[Attribution], bracket: Bracket) -> bool:
        """Put `words` (the nearest before) in a bracket with `attributions`, or add them to the bracket made."""
        found = self._find(words)
        if found is None:
            self.report.warn(bracket.pos, f"'{render(bracket)}' is about “{words}”, which the text before it does "
                                          "not hold: left as written",
                             "put the amendment after the words it is about, or quote them as they stand")
            return False
        index, where = found
        if isinstance(where, Bracket):
            node = self.out[index]
            if where is node:
                self._swap(node, replace(node, attributions=(*node.attributions, *attributions)))
            else:
                options = tuple(replace(a, attributions=(*a.attributions, *attributions)) if a is where else a
                                for a in node.options)
                self._swap(node, _group(options, node.attributions))
            return True
        self._split(index, where, words, Bracket((Text(words),), tuple(attributions)))
        return True

    def _replace(self, old: str, new: str, codes: list[str], bracket: Bracket) -> bool:
        """`[A: “old”. Insert “new”]`: the nearest `old` before becomes a group of the two, A against and for."""
        against = attributions_of(codes, Stance.OBJECT)
        proposing = attributions_of(codes, Stance.PROPOSE)
        found = self._find(old)
        if found is None:
            return self._mark(old, against, bracket)  # warns and refuses
        index, where = found
        node = self.out[index]
        if isinstance(where, Bracket):
            if where is node:  # `[old] (-EU)` made before: it becomes the first alternative
                alternatives = [replace(node, attributions=(*node.attributions, *against))]
                outer = ()
            else:
                alternatives = [replace(a, attributions=(*a.attributions, *against)) if a is where else a
                                for a in node.options]
                outer = node.attributions
            same = next((i for i, a in enumerate(alternatives) if render(a.body) == new), None)
            if same is None:
                alternatives.append(Bracket((Text(new),), tuple(proposing)))
            else:
                alternatives[same] = replace(alternatives[same], attributions=(*alternatives[same].attributions,
                                                                              *proposing))
            self._swap(node, _group(tuple(alternatives), outer))
        else:
            self._split(index, where, old, _group((Bracket((Text(old),), tuple(against)),
                                                   Bracket((Text(new),), tuple(proposing))), ()))
        self.report.done(bracket.pos, render(bracket), f"[[{old}] {cica(against)}, [{new}] {cica(proposing)}]")
        return True

    def _split(self, index: int, offset: int, words: str, made: Bracket) -> None:
        text = self.out[index]
        pieces = [Text(text.text[:offset], text.pos), self.make(made), Text(text.text[offset + len(words):])]
        self.out[index:index + 1] = [p for p in pieces if isinstance(p, Bracket) or p.text]

    def _swap(self, old: Bracket, new: Bracket) -> None:
        index = next(i for i, n in enumerate(self.out) if n is old)
        self.made.discard(id(old))
        self.out[index] = self.make(new)

    def finish(self) -> list[Inline]:
        content = list(self.out)
        if self.trim and content and isinstance(content[-1], Text):  # an amendment ended the paragraph
            content[-1] = Text(content[-1].text.rstrip(" \t"), content[-1].pos)
        if not self.whole:
            return content
        tail = ""
        if content and isinstance(content[-1], Text):
            stripped = content[-1].text.rstrip()
            tail = content[-1].text[len(stripped):]
            content[-1] = Text(stripped, content[-1].pos)
        return [Bracket(tuple(c for c in content if isinstance(c, Bracket) or c.text), tuple(self.whole)),
                *([Text(tail)] if tail else [])]


def _group(alternatives: tuple[Bracket, ...], attributions) -> Bracket:
    body: list[Inline] = []
    for index, alternative in enumerate(alternatives):
        if index:
            body.append(Text(", "))
        body.append(alternative)
    return Bracket(tuple(body), tuple(attributions))


def reads_as_amendment(bracket: Bracket, names: Names) -> bool:
    """True when `bracket` is written as a party-prefix amendment by parties `names` all know."""
    if bracket.attributions or len(bracket.body) != 1 or not isinstance(bracket.body[0], Text) \
            or not _LEAD.match(bracket.body[0].text):
        return False
    label = party_labels.read_label(bracket.body[0].text)
    if label is None or label.unread:
        return False
    codes, unknown = names.codes(label.parties)
    return bool(codes) and not unknown


def prefix_paragraph(content, names: Names, report: Report) -> list[Inline]:
    """A paragraph's content with its party-prefix amendments as cica brackets where their words are."""
    paragraph = _Paragraph(names, report)
    for node in content:
        if isinstance(node, Bracket) and paragraph.amendment(node):
            continue
        paragraph.add(node)
    return paragraph.finish()


# Writing.


def write_prefix(content, report: Report) -> list[Inline]:
    """A paragraph's cica brackets written as party-prefix amendments where the style can say them."""
    out: list[Inline] = []
    for node in content:
        if not isinstance(node, Bracket):
            out.append(node)
            continue
        written = _amendments(node)
        if written is None:
            if node.attributions or any(b.attributions for b, _ in _inner(node)):
                report.warn(node.pos, f"'{shortened(render(node))}' has no party-prefix form (brackets inside an "
                                      "attributed bracket, a bracket across paragraphs or quotation marks in its "
                                      "words): written in the cica style", "read it back with --style party-prefix, "
                                                                            "which reads the cica style too")
            out.append(node)
            continue
        out.append(Text(written))
    return out


def _amendments(bracket: Bracket) -> str | None:
    """The bracket as party-prefix text, or None when the style cannot write it."""
    if not bracket.closed or bracket.continued or bracket.continues:
        return None
    if not bracket.attributions:
        return None if bracket.is_options else (render(bracket) if not any(True for _ in _inner(bracket)) else None)
    if bracket.is_options:
        return _replacement(bracket)
    words = _plain(bracket)
    if words is None:
        return None
    stances = by_stance(bracket.attributions)
    parts: list[str] = []
    if stances[Stance.PROPOSE]:
        parts.append(f"[{', '.join(stances[Stance.PROPOSE])}: Insert “{words}”]")
    else:
        parts.append(words)
    if stances[Stance.OBJECT]:
        parts.append(f"[{', '.join(stances[Stance.OBJECT])}: “{words}”]")
    if stances[Stance.RESERVE]:
        parts.append(f"[{', '.join(stances[Stance.RESERVE])}: tcb “{words}”]")
    return " ".join(parts) + bracket.trailer


def _replacement(group: Bracket) -> str | None:
    """`old [A: “old”. Insert “new”]`: a group of two, the old words objected to and the new proposed by the same."""
    options = group.options
    if group.attributions or len(options) != 2:
        return None
    old, new = options
    old_words, new_words = _plain(old), _plain(new)
    old_stances, new_stances = by_stance(old.attributions), by_stance(new.attributions)
    if old_words is None or new_words is None or old_stances[Stance.PROPOSE] or old_stances[Stance.RESERVE] \
            or new_stances[Stance.OBJECT] or new_stances[Stance.RESERVE] \
            or old_stances[Stance.OBJECT] != new_stances[Stance.PROPOSE] or not new_stances[Stance.PROPOSE]:
        return None
    return f"{old_words} [{', '.join(new_stances[Stance.PROPOSE])}: “{old_words}”. Insert “{new_words}”]" + group.trailer


def _plain(bracket: Bracket) -> str | None:
    if any(isinstance(n, Bracket) for n in bracket.body):
        return None
    words = render(bracket.body)
    if not words.strip() or any(q in words for q in "“”\"") or "\n" in words:
        return None
    return words


def _inner(bracket: Bracket):
    """Every bracket within `bracket`, at any depth (on the tree walk's explicit stack)."""
    return brackets_in(bracket.body)


