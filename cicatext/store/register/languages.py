"""A document held in several languages: checking that the texts align, and finding translations to redo.

The texts of one document in different languages align by paragraph id.
`check_languages` (called by `cicatext validate`) checks that every language
has the same paragraphs in the same order and, paragraph by paragraph, the
same brackets nested the same way with the same attributions; the document's
first language is the reference. `translations` reads the main line of git
history (first parents, so a round's merge counts when it lands) and lists the
paragraphs whose text changed in one language after another language's text
of the same paragraph was last changed. A change made in a language that was
behind counts as the translation catching up, not as a new change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from cicatext.errors import CicatextError, Problem
from cicatext.notation.tree import Bracket, Draft, Paragraph
from cicatext.store.git import read_texts
from cicatext.store.layout import document_slug
from cicatext.store.repository import DocumentEntry, Repository

_CODE = "language"


def _shape(paragraph: Paragraph) -> list[tuple[int, bool, tuple[tuple[str, str], ...], Bracket]]:
    """Each bracket in pre-order: (depth, options group?, attributions sorted, the bracket)."""
    # The pre-order sequence of depths fixes the nesting, so comparing it compares the tree.
    return [
        (depth, bracket.is_options, tuple(sorted((a.code, a.stance.value) for a in bracket.attributions)), bracket)
        for bracket, depth in paragraph.brackets()
    ]


def _attributions(pairs: Iterable[tuple[str, str]]) -> str:
    shown = []
    for code, stance in pairs:
        shown.append(f"({code} tcb)" if stance == "tcb" else f"({stance}{code})")
    return " ".join(shown) or "no attribution"


def _problem(message: str, file: str, text: str, node, hint: str, severity: str = "error") -> Problem:
    pos = getattr(node, "pos", None)
    line = column = source = None
    if pos is not None:
        line, column = pos.line, pos.column
        lines = text.splitlines()
        source = lines[line - 1] if 0 < line <= len(lines) else None
    return Problem(message, file=file, line=line, column=column, hint=hint, source_line=source, code=_CODE,
                   severity=severity)


def compare_texts(reference: Draft, other: Draft, *, reference_language: str, language: str, file: str,
                  text: str, awaiting: Collection[str] = ()) -> list[Problem]:
    """The problems of `other` (the text in `language`, stored at `file`) against the reference language's text.

    A paragraph in `awaiting` (marked as awaiting translation in the document's record) is not compared: it is
    reported as a warning.
    """
    problems: list[Problem] = []
    waiting = set(awaiting)
    for paragraph in other.paragraphs:
        if paragraph.id in waiting:
            problems.append(_problem(
                f"paragraph {paragraph.id} awaits translation into {language}", file, text, paragraph,
                f"translate it from the {reference_language} text, then `cicatext translated "
                f"{document_slug(file)} --lang {language} {paragraph.id}` takes it out of awaiting_translation",
                severity="warning"))
    ours = {p.id: p for p in other.paragraphs}
    theirs = {p.id: p for p in reference.paragraphs}
    ref, lang = reference_language, language
    for paragraph in reference.paragraphs:
        if paragraph.id not in ours:
            problems.append(Problem(
                f"paragraph {paragraph.id} is in the {ref} text but missing in {lang}", file=file, code=_CODE,
                hint=f"add a paragraph {{#{paragraph.id}}} translating it, in the same place as in {ref}"))
    for paragraph in other.paragraphs:
        if paragraph.id not in theirs:
            problems.append(_problem(f"paragraph {paragraph.id} is not in the {ref} text", file, text, paragraph,
                                     f"every language has the same paragraphs; add it to {ref} or remove it here"))
    common_ours = [p.id for p in other.paragraphs if p.id in theirs]
    common_theirs = [p.id for p in reference.paragraphs if p.id in ours]
    if common_ours != common_theirs:
        first = next(i for i, (a, b) in enumerate(zip(common_ours, common_theirs)) if a != b)
        problems.append(_problem(
            f"the paragraphs are in another order than in {ref}: {common_ours[first]} stands where {ref} has "
            f"{common_theirs[first]}", file, text, ours[common_ours[first]],
            f"put the paragraphs in the order of the {ref} text"))
    for paragraph in other.paragraphs:
        if paragraph.id in theirs and paragraph.id not in waiting:
            problems.extend(_compare_paragraph(theirs[paragraph.id], paragraph, ref, lang, file, text))
    return problems


def paragraphs_align(reference: Paragraph, other: Paragraph) -> bool:
    """True when the two paragraphs have the same brackets, nested the same way, with the same attributions."""
    return [shape[:3] for shape in _shape(reference)] == [shape[:3] for shape in _shape(other)]


def _compare_paragraph(reference: Paragraph, other: Paragraph, ref: str, lang: str, file: str,
                       text: str) -> list[Problem]:
    want, have = _shape(reference), _shape(other)
    pid = other.id
    hint = f"the brackets and attributions of each paragraph are the same in every language; follow the {ref} text"
    if len(want) != len(have):
        return [_problem(f"paragraph {pid} has {len(have)} bracket(s) in {lang} but {len(want)} in {ref}",
                         file, text, other, hint)]
    for ordinal, ((depth_a, options_a, attrs_a, _), (depth_b, options_b, attrs_b, bracket)) in enumerate(
            zip(want, have), 1):
        where = f"bracket {pid}:{ordinal}"
        if depth_a != depth_b:
            return [_problem(f"{where} is nested at depth {depth_b} in {lang} but {depth_a} in {ref}",
                             file, text, bracket, hint)]
        if options_a != options_b:
            what = "is" if options_b else "is not"
            other_what = "is not" if options_b else "is"
            return [_problem(f"{where} {what} a group of options in {lang} but {other_what} in {ref}",
                             file, text, bracket, hint)]
        if attrs_a != attrs_b:
            return [_problem(f"{where} has {_attributions(attrs_b)} in {lang} but {_attributions(attrs_a)} in {ref}",
                             file, text, bracket, hint)]
    return []


def _texts(repo: Repository, entry: DocumentEntry) -> list[tuple[str, str, str]]:
    found = []
    for language in entry.languages:
        path = entry.text_path(language)
        if repo.path(path).is_file():
            try:
                found.append((language, path, repo.read_text(path)))
            except CicatextError:
                continue
    return found


def check_languages(repo: Repository) -> list[Problem]:
    """For every document held in several languages, the paragraphs and brackets that do not align with its first language.

    Texts whose notation does not read are left out: validation reports them on its own.
    """
    problems: list[Problem] = []
    for entry in repo.documents():
        problems.extend(document_languages(repo, entry))
    return problems


def document_languages(repo: Repository, entry: DocumentEntry) -> list[Problem]:
    """`check_languages` for one document: it reads the document's record and its texts alone."""
    from cicatext.notation.reader import read

    if len(entry.languages) < 2:
        return []
    texts = _texts(repo, entry)
    if len(texts) < 2:
        return []
    readings = []
    for language, path, text in texts:
        reading = read(text, file=path)
        if reading.ok:
            readings.append((language, path, text, reading.draft))
    if len(readings) < 2 or readings[0][0] != texts[0][0]:
        return []
    problems: list[Problem] = []
    reference_language, _, _, reference = readings[0]
    awaiting = entry.record.get("awaiting_translation") or {}
    for language, path, text, draft in readings[1:]:
        waiting = awaiting.get(language) if isinstance(awaiting, dict) else None
        problems.extend(compare_texts(reference, draft, reference_language=reference_language,
                                      language=language, file=path, text=text,
                                      awaiting=waiting if isinstance(waiting, list) else ()))
    return problems


@dataclass(frozen=True)
class Change:
    """The last commit that changed one paragraph in one language."""

    commit: str
    """The commit id."""
    date: str
    """Its committer date (ISO 8601)."""
    subject: str
    """Its message's first line."""


@dataclass(frozen=True)
class StaleTranslation:
    """One paragraph whose text in `language` is older than its text in `newer`."""

    paragraph: str
    """The paragraph id."""
    language: str
    """The language whose text needs redoing."""
    newer: str
    """The language changed more recently."""
    changed: Change
    """The last change of the paragraph in `newer`."""
    updated: Change | None
    """The last change of the paragraph in `language`; None when the paragraph is missing there."""

    @property
    def missing(self) -> bool:
        """True when the paragraph is not in `language` at all."""
        return self.updated is None

    def describe(self) -> str:
        """One line for people."""
        changed = f"{self.changed.commit[:10]} of {self.changed.date[:10]}"
        if self.updated is None:
            return f"{self.paragraph}: in {self.newer} since {changed}, missing in {self.language}"
        return (f"{self.paragraph}: {self.newer} changed in {changed} ({self.changed.subject}); "
                f"{self.language} last updated in {self.updated.commit[:10]} of {self.updated.date[:10]}")

    def to_json(self) -> dict:
        """The entry as a plain dict for `--json` output."""
        def change(value: Change | None):
            return None if value is None else {"commit": value.commit, "date": value.date, "subject": value.subject}

        return {"paragraph": self.paragraph, "language": self.language, "newer": self.newer,
                "missing": self.missing, "changed": change(self.changed), "updated": change(self.updated)}


def _history(repo: Repository, paths: list[str]) -> list[Change]:
    out = repo.run_git("log", "--first-parent", "--reverse", "--format=%H%x1f%cI%x1f%s", "--", *paths).stdout
    changes = []
    for line in out.splitlines():
        if line.strip():
            commit, date, subject = (line.split("\x1f") + ["", ""])[:3]
            changes.append(Change(commit, date, subject))
    return changes


def _paragraph_texts(text: str) -> dict[str, str]:
    from cicatext.notation.reader import read
    from cicatext.notation.render import render

    from cicatext.notation.paragraph_text import LABEL

    # A paragraph's number is not translated: renumbering is no change to translate.
    return {p.id: LABEL.sub("", render(p.content).strip(), count=1).strip() for p in read(text).draft.paragraphs}


def _carried_names(before: str, after: str, names: dict[str, str]) -> dict[str, str]:
    """How to name the paragraphs of `after` in the history: when its ids do not correspond to those of `before`
    (renumbered by hand), each paragraph paired by content takes the name its partner had; else as they were."""
    from cicatext.notation.alignment import align
    from cicatext.notation.paired_diff import ids_correspond
    from cicatext.notation.reader import read

    old, new = read(before).draft, read(after).draft
    if ids_correspond(old, new):
        return names
    carried = {}
    links = align(old, new, trust_ids=False).links
    for link in links:
        if link.old is not None and link.new is not None:
            carried[link.new] = names.get(link.old, link.old)
    taken = set(carried.values())
    for link in links:
        if link.old is None and link.new is not None and link.new in taken:
            # A new paragraph under an id the history gives a carried one: a name of its own.
            name = f"{link.new}+"
            while name in taken:
                name += "+"
            carried[link.new] = name
            taken.add(name)
    return carried


def translations(repo: Repository, symbol: str) -> list[StaleTranslation]:
    """The paragraphs changed in one language after another language's text of them was last changed, from git history."""
    entry = repo.document(symbol)
    languages = list(entry.languages)
    if len(languages) < 2:
        return []
    paths = [entry.text_path(language) for language in languages]
    history = _history(repo, paths)
    if not history:
        return []
    blobs = read_texts(repo.root, [f"{change.commit}:{path}" for change in history for path in paths])
    # Each paragraph has versions. A change made in a language that was up to date makes a
    # new version, which every other language then lacks; a change made in a language that
    # lacked the latest version (a translation catching up), or a paragraph appearing in a
    # language after it appeared elsewhere, brings that language to the latest version.
    current: dict[str, dict[str, str]] = {language: {} for language in languages}
    version: dict[str, dict[str, int]] = {language: {} for language in languages}
    touched: dict[str, dict[str, int]] = {language: {} for language in languages}
    latest: dict[str, int] = {}
    made: dict[tuple[str, int], int] = {}
    parsed: dict[str, dict[str, str]] = {}
    previous_text: dict[str, str | None] = dict.fromkeys(languages)
    renamed: dict[str, dict[str, str]] = {language: {} for language in languages}
    for index in range(len(history)):
        changed: dict[str, list[tuple[str, bool]]] = {}
        for offset, language in enumerate(languages):
            text = blobs[index * len(paths) + offset]
            paragraphs: dict[str, str] = {}
            if text is not None:
                if text not in parsed:
                    parsed[text] = _paragraph_texts(text)
                paragraphs = parsed[text]
                if previous_text[language] is not None and text != previous_text[language]:
                    renamed[language] = _carried_names(previous_text[language], text, renamed[language])
                if renamed[language]:
                    paragraphs = {renamed[language].get(pid, pid): body for pid, body in paragraphs.items()}
                previous_text[language] = text
            before = current[language]
            for pid, body in paragraphs.items():
                if before.get(pid) != body:
                    changed.setdefault(pid, []).append((language, pid in before))
            for pid in before.keys() - paragraphs.keys():
                version[language].pop(pid, None)
            current[language] = paragraphs
        for pid, changes in changed.items():
            top = latest.get(pid, 0)
            new = top == 0 or any(edited and version[language].get(pid) == top for language, edited in changes)
            if new:
                top = latest[pid] = top + 1
                made[(pid, top)] = index
            for language, _ in changes:
                version[language][pid] = top
                touched[language][pid] = index
    order: dict[str, None] = {}
    for language in languages:
        for pid in current[language]:
            order.setdefault(pid, None)
    # The history's names back to the ids the texts use now, the first language's first.
    shown: dict[str, str] = {}
    for language in languages:
        for now, name in renamed[language].items():
            shown.setdefault(name, now)
    stale: list[StaleTranslation] = []
    for pid in order:
        top = latest[pid]
        newest = [language for language in languages if version[language].get(pid) == top]
        newer = newest[0] if newest else languages[0]
        changed_in = history[made[(pid, top)]]
        for language in languages:
            if pid not in current[language]:
                stale.append(StaleTranslation(shown.get(pid, pid), language, newer, changed_in, None))
            elif version[language][pid] < top:
                stale.append(StaleTranslation(shown.get(pid, pid), language, newer, changed_in,
                                              history[touched[language][pid]]))
    return stale
