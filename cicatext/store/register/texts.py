"""Document texts: a file's text in the working tree or at a git revision, and a document opened for reading.

`text_at` is the one way the text of a document in a language (or its record,
or a position set) is read at a ref or in the working tree: the exports, the
negotiation and the reader go through it. `load_document` reads a document's
record and the text of every language it has, leniently, as the reader shows
them: what does not load becomes a problem, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cicatext.errors import CicatextError, Problem, UsageError
from cicatext.store import yamlio
from cicatext.store.files import decoded
from cicatext.store.git import read_objects
from cicatext.store.layout import (
    TEXT_SUFFIX,
    document_folder,
    document_record_path,
    document_text_path,
    is_name,
)
from cicatext.store.repository import DocumentEntry, Repository

if TYPE_CHECKING:
    from cicatext.notation.reader import Reading


def text_at(repo: Repository, path: str, ref: str | None = None, *, required: bool = True) -> str | None:
    """A repository file's text exactly as stored, in the working tree (`ref` None) or at a git revision.

    A file (or revision) that is not there is an error when `required`: a
    UsageError naming it at a revision, `Repository.read_text`'s error in the
    working tree. Otherwise it is None.
    """
    if ref is None:
        if not required and not repo.path(path).is_file():
            return None
        return repo.read_text(path)
    specs = [f"{ref}^{{commit}}", f"{ref}:{path}"] if required else [f"{ref}:{path}"]
    found = read_objects(repo.root, specs)
    if required and (found[0] is None or found[0][0] != "commit"):
        raise UsageError(f"no revision {ref!r} in this repository",
                         hint="give a round tag (round/<slug>/<N>), a branch or a commit; "
                              "`git tag -l 'round/*'` lists rounds")
    blob = found[-1]
    if blob is None or blob[0] != "blob":
        if not required:
            return None
        raise UsageError(f"{path} did not exist at {ref}",
                         hint="choose a revision at which the document had its text in this language")
    return decoded(blob[1], path, ref)


@dataclass(frozen=True)
class DocumentText:
    """The text of one document in one language, at a ref or in the working tree."""

    entry: DocumentEntry
    """The document, with its record as it stood at that ref."""
    language: str
    """The language of the text."""
    path: str
    """The text file, relative to the repository root."""
    text: str
    """The bracketed text exactly as stored."""


def document_text(repo: Repository, reference: str, *, language: str | None = None,
                  ref: str | None = None) -> DocumentText:
    """The text of the document named by `reference` (a symbol of any revision, or its folder) in one language
    (default: its first), at `ref` or in the working tree; UsageError when it has no such text."""
    entry = repo.document(reference)
    if ref is not None:
        try:
            at_ref = yamlio.load(text_at(repo, entry.record_path, ref), file=entry.record_path, bounds=repo.limits)
        except UsageError:
            at_ref = None
        if isinstance(at_ref, dict):
            entry = DocumentEntry(entry.slug, at_ref)
    languages = entry.languages or list(repo.languages[:1])
    language = language or (languages[0] if languages else "en")
    path = entry.text_path(language)
    if ref is None and not repo.path(path).is_file():
        if language not in languages:
            held = ", ".join(languages) or "none"
            raise UsageError(f"{entry.current_symbol} has no text in {language!r}", hint=f"it is held in: {held}")
        raise UsageError(f"{entry.current_symbol} has no text yet ({path} is missing)",
                         hint="a revision known by symbol, sponsor and date only has no text to export")
    return DocumentText(entry, language, path, text_at(repo, path, ref))


@dataclass(frozen=True)
class OpenDocument:
    """A document as the reader shows it: its record and the reading of each language's text."""

    slug: str
    """The folder under documents/."""
    entry: DocumentEntry | None
    """The record, or None when document.yaml does not load."""
    readings: Mapping[str, Reading]
    """Each language's text as read (leniently), by language code."""
    problems: tuple[Problem, ...]
    """The record's load error and the texts' notation problems."""

    @property
    def symbol(self) -> str:
        """The current symbol, or the folder name when the record does not load."""
        if self.entry is None:
            return self.slug
        try:
            return self.entry.current_symbol or self.slug
        except (TypeError, ValueError, AttributeError):
            return self.slug

    @property
    def languages(self) -> list[str]:
        """The languages with a text, declared ones first."""
        declared = []
        if self.entry is not None:
            raw = self.entry.record.get("languages")
            declared = [str(x) for x in raw] if isinstance(raw, list) else []
        ordered = [lang for lang in declared if lang in self.readings]
        return ordered + sorted(lang for lang in self.readings if lang not in ordered)

    def awaiting(self, language: str) -> frozenset[str]:
        """The ids of the paragraphs in `language` that await translation (the record's `awaiting_translation`)."""
        marked = self.entry.record.get("awaiting_translation") if self.entry is not None else None
        ids = marked.get(language) if isinstance(marked, dict) else None
        return frozenset(str(pid) for pid in ids) if isinstance(ids, list) else frozenset()

    def title(self, language: str) -> str:
        """The title in a language, or empty."""
        if self.entry is None:
            return ""
        try:
            return str(self.entry.title(language))
        except (TypeError, AttributeError):
            return ""


def load_document(repo: Repository, slug: str, codes=None) -> OpenDocument:
    """Read a document's record and every text it has in the working tree; problems are collected, never raised."""
    from cicatext.notation.reader import read

    problems: list[Problem] = []
    entry = None
    record_file = document_record_path(slug)
    try:
        record = yamlio.load(text_at(repo, record_file), file=record_file, bounds=repo.limits)
        if isinstance(record, dict):
            entry = DocumentEntry(slug=slug, record=record)
        else:
            problems.append(Problem(f"{record_file} is not a mapping", file=record_file, line=1, column=1,
                                    code="record"))
    except CicatextError as error:
        problems.append(error.problem)
    readings: dict[str, Reading] = {}
    folder = repo.root / document_folder(slug)
    for path in sorted(folder.glob(f"*{TEXT_SUFFIX}")):
        if not is_name("language", path.stem):
            problems.append(Problem(f"{document_folder(slug)}/{path.name} is no text of the document: "
                                    f"{path.stem!r} is not a language", file=f"{document_folder(slug)}/{path.name}",
                                    hint="rename it LANG.txt (e.g. fr.txt), or move it out of the document's folder",
                                    code="place"))
            continue
        relative = document_text_path(slug, path.stem)
        try:
            text = text_at(repo, relative)
        except CicatextError as error:
            problems.append(error.problem)
            continue
        reading = read(text, codes=codes, file=relative)
        readings[path.stem] = reading
        problems.extend(reading.problems)
    return OpenDocument(slug, entry, readings, tuple(problems))
