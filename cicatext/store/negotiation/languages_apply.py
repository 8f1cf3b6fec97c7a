"""Carrying a change made in one language of a document to its other languages, or marking what awaits translation.

A round, an agree or drop, and a revision import change the text of one
language. The document's other languages must follow, or `validate` (and the
shared repository's hook) would find them out of step. Where the change can
be placed without translating — a bracket agreed or dropped, attributions
joined or withdrawn, a paragraph removed, ids carried over — it is applied to
each other language at the same place: the same paragraph id and the same
place among the paragraph's brackets, which the languages check keeps alike.
Where it cannot — new or reworded text — the paragraph of the other language
is marked as awaiting translation in the document's record
(`awaiting_translation: {ru: [op3]}`); a paragraph new in the changed
language is put in the other language in the changed language's words, marked
so. `validate` reports each marked paragraph as a warning, not an error, and
skips its comparison. Once translated so that it matches again, a paragraph
is taken off the list by `clear_translated` (`cicatext translated`), which
commits the translation with the record.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass

from cicatext.notation.paragraph_text import paragraph_text
from cicatext.notation.render import render
from cicatext.notation.tree import Bracket, Draft, Paragraph
from cicatext.store.repository import DocumentEntry, Repository

AWAITING = "awaiting_translation"
"""The record's field: language → the ids of its paragraphs awaiting translation."""


def _brackets(paragraph: Paragraph) -> list[Bracket]:
    return [bracket for bracket, _ in paragraph.brackets()]


def _shape(paragraph: Paragraph) -> list[tuple[int, bool]]:
    return [(depth, bracket.is_options) for bracket, depth in paragraph.brackets()]


def follow_paragraph(old: Paragraph, new: Paragraph, other: Paragraph) -> str | None:
    """The other language's paragraph (rendered, marker included) changed as `old` became `new`, or None when
    the change cannot be placed without translating."""
    from cicatext.notation.bracket_diff import match_brackets

    if render(old) == render(new):
        return render(other)
    if _shape(old) != _shape(other):
        return None
    before, after = paragraph_text(old), paragraph_text(new)
    pairs, removed, added = match_brackets(old, new, (before, after))
    if added:
        return None
    old_brackets = _brackets(old)
    place = {id(bracket): index for index, bracket in enumerate(old_brackets)}
    # What happened to each bracket of `old`, by its place: kept (maybe with other attributions), agreed, dropped.
    kept = {place[id(o.bracket)]: n.bracket for o, n in pairs}
    words_after = " ".join(after.reading.split())
    fate: dict[int, str] = {}
    for span in removed:
        words = " ".join(before.body_reading(span).split())
        fate[place[id(span.bracket)]] = "agree" if words and words in words_after else "drop"
    # Placeable only if those steps, taken on `old`, give `new`: otherwise there is wording to translate.
    redone = _apply(old, kept, fate, old_brackets)
    if redone is None or " ".join(redone.split()) != " ".join(render(new).split()):
        return None
    return _apply(other, kept, fate, old_brackets)


def _apply(other: Paragraph, kept: dict[int, Bracket], fate: dict[int, str], old_brackets: list[Bracket]) -> str | None:
    from cicatext.errors import NotationError
    from cicatext.notation import operations
    from cicatext.notation.reader import read
    from cicatext.notation.views import bracket_list

    text = render(other)
    # Attributions first, on brackets that stay (their places do not move); then agree and drop from the
    # last place to the first, so the places still to do stay where they were.
    for index in sorted(kept, reverse=True):
        wanted = kept[index].attributions
        if [(a.code, a.stance) for a in wanted] == [(a.code, a.stance) for a in old_brackets[index].attributions]:
            continue
        bracket = _brackets(read(text).draft.paragraphs[0])[index]
        marks = "".join(" " + a.canonical() for a in wanted)
        if bracket.attributions:
            first = bracket.attributions[0]
            text = text[: first.pos.start - len(first.lead)] + marks + text[bracket.attributions[-1].pos.end :]
        else:
            text = text[: bracket.pos.end] + marks + text[bracket.pos.end :]
    draft = read(text).draft
    for index in sorted(fate, reverse=True):
        infos = [info for info in bracket_list(draft)]
        if index >= len(infos):
            return None
        try:
            draft = operations.agree(draft, infos[index].id) if fate[index] == "agree" \
                else operations.drop(draft, infos[index].id)
        except NotationError:
            return None
    return render(draft)


def _keep_own_paragraphs(pieces: list[tuple[str, str]], other: Draft, old: Draft, new: Draft) -> None:
    """Put back, where they stood, the paragraphs only the other language has (neither text of the changed
    language had them): the change is not theirs, and `validate` already reports them."""
    for index, paragraph in enumerate(other.paragraphs):
        if new.paragraph(paragraph.id) is not None or old.paragraph(paragraph.id) is not None:
            continue
        placed = [pid for pid, _ in pieces]
        earlier = next((p.id for p in reversed(other.paragraphs[:index]) if p.id in placed), None)
        at = placed.index(earlier) + 1 if earlier is not None else 0
        pieces.insert(at, (paragraph.id, render(paragraph)))


def follow_change(repo: Repository, entry: DocumentEntry, language: str, old: Draft, new: Draft,
                  record: MutableMapping, changes: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Carry the change from `old` to `new` (the text in `language`) to every other language of the document:
    their new texts go into `changes`, what awaits translation into `record`; returns what newly awaits."""
    from cicatext.notation.reader import read

    marked: dict[str, tuple[str, ...]] = {}
    awaiting = record.get(AWAITING) or {}
    for other_language in entry.languages:
        if other_language == language:
            continue
        path = entry.text_path(other_language)
        if not repo.path(path).is_file():
            continue
        other = read(repo.read_text(path)).draft
        already = set(awaiting.get(other_language) or ())
        pieces: list[tuple[str, str]] = []
        newly: list[str] = []
        for paragraph in new.paragraphs:
            before = old.paragraph(paragraph.id)
            theirs = other.paragraph(paragraph.id)
            if theirs is None:
                # New in the changed language: its words stand in until it is translated.
                pieces.append((paragraph.id, render(paragraph)))
                newly.append(paragraph.id)
                continue
            followed = None
            if before is not None and paragraph.id not in already:
                followed = follow_paragraph(before, paragraph, theirs)
            if followed is None:
                pieces.append((paragraph.id, render(theirs)))
                if before is None or render(before) != render(paragraph) or paragraph.id in already:
                    newly.append(paragraph.id)
                continue
            pieces.append((paragraph.id, followed))
        _keep_own_paragraphs(pieces, other, old, new)
        text = "\n\n".join(piece for _, piece in pieces if piece.strip()) + "\n"
        if text != repo.read_text(path):
            changes[path] = text
        waiting = sorted(set(newly) | {pid for pid in already if new.paragraph(pid) is not None})
        fresh = tuple(pid for pid in waiting if pid not in already)
        if waiting:
            awaiting[other_language] = waiting
        elif other_language in awaiting:
            del awaiting[other_language]
        if fresh:
            marked[other_language] = fresh
    if awaiting:
        record[AWAITING] = awaiting
    elif AWAITING in record:
        del record[AWAITING]
    return marked


@dataclass(frozen=True)
class Translated:
    """Paragraphs taken off a language's list of those awaiting translation."""

    symbol: str
    """The document's symbol."""
    language: str
    """The language translated into."""
    paragraphs: tuple[str, ...]
    """The paragraphs taken off the list."""
    commit: str
    """The commit made."""
    still: tuple[str, ...]
    """The paragraphs of that language still awaiting translation."""

    def to_json(self) -> dict:
        """The result as plain data for `--json`."""
        return {"document": self.symbol, "language": self.language, "translated": list(self.paragraphs),
                "commit": self.commit, "still_awaiting": list(self.still)}


def clear_translated(repo: Repository, symbol: str, language: str, paragraphs: Sequence[str]) -> Translated:
    """Take translated paragraphs off `language`'s list awaiting translation and commit, with the text as it
    stands in the working tree.

    It is told, not guessed from the text (a paragraph put in holding another
    language's words, or reworded, has the right brackets from the start);
    it refuses, changing nothing, unless each paragraph now has the brackets and
    attributions of every other language's paragraph. The commit's
    `Cicatext-Translated: LANG PARAGRAPH...` trailer accounts for the
    attributions the translation brings (`cicatext.store.validation.integrity`).
    """
    from cicatext.errors import CicatextError, UsageError
    from cicatext.store import yamlio
    from cicatext.store.negotiation.branches import current_delegation
    from cicatext.store.negotiation.checks import read_draft
    from cicatext.store.negotiation.refs import MAIN
    from cicatext.store.register.languages import paragraphs_align
    from cicatext.store.register.texts import text_at
    from cicatext.store.validation.integrity import TRANSLATED_TRAILER

    if current_delegation(repo) is not None:
        raise UsageError(f"the secretariat records translations on {MAIN}, not on a delegation branch",
                         hint=f"`git switch {MAIN}` first")
    entry = repo.document(symbol)
    if language not in entry.languages:
        raise UsageError(f"{entry.symbol} is not held in {language!r}",
                         hint=f"its languages are {', '.join(entry.languages)}")
    wanted = tuple(dict.fromkeys(paragraphs))
    if not wanted:
        raise UsageError("name the paragraphs translated",
                         hint=f"e.g. `cicatext translated {entry.symbol} --lang {language} op3`")
    text_path = entry.text_path(language)

    def build() -> dict[str, str]:
        fresh = repo.document(symbol)
        record = yamlio.load_roundtrip(repo.read_text(fresh.record_path), file=fresh.record_path, bounds=repo.limits)
        listed = [str(p) for p in (record.get(AWAITING) or {}).get(language) or ()]
        for pid in wanted:
            if pid not in listed:
                raise CicatextError(f"paragraph {pid} of {entry.symbol} is not awaiting translation into {language}",
                                    hint=f"awaiting there: {', '.join(listed) or 'none'}")
        text = repo.read_text(text_path)
        draft = read_draft(text, codes=repo.codes, file=text_path)
        for other in fresh.languages:
            other_text = text_at(repo, fresh.text_path(other), required=False) if other != language else None
            if other_text is None:
                continue
            reference = read_draft(other_text, codes=repo.codes, file=fresh.text_path(other))
            for pid in wanted:
                here, there = draft.paragraph(pid), reference.paragraph(pid)
                if there is None:
                    continue
                if here is None or not paragraphs_align(there, here):
                    what = ("is missing here but is in" if here is None else
                            "does not yet have the brackets and attributions it has in")
                    raise CicatextError(f"paragraph {pid} {what} {fresh.text_path(other)}", file=text_path,
                                        hint="translate it with the same brackets, nested the same way, with the "
                                             "same attributions; nothing was changed")
        left = [pid for pid in listed if pid not in wanted]
        if left:
            record[AWAITING][language] = left
        else:
            del record[AWAITING][language]
            if not record[AWAITING]:
                del record[AWAITING]
        files = {fresh.record_path: yamlio.dump(record)}
        if text != (text_at(repo, text_path, "HEAD", required=False) or ""):
            files[text_path] = text
        return files

    message = (f"Translated {', '.join(wanted)} of {entry.symbol} into {language}\n\n"
               f"{TRANSLATED_TRAILER}: {language} {' '.join(wanted)}\n")
    commit = repo.update(build, message)
    record = repo.document(symbol).record
    still = tuple(str(p) for p in (record.get(AWAITING) or {}).get(language) or ())
    return Translated(entry.symbol, language, wanted, commit, still)
