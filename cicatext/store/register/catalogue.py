"""The catalogue: a summary of every document (the register's rows) and every paragraph (for search), cached.

Reading 5,000 YAML records and their texts takes seconds, so the catalogue
keeps what it read in `.cicatext/` (ignored by git), keyed by each document
folder's file names, sizes and modification times. A folder that changed is
read again; the others come from the cache. A record or text that does not
load becomes a `Problem` and a row marked as such, never an exception.

A row needs only a text's paragraphs and brackets, and these are counted
without reading the notation into a tree (`reader.count_brackets`); only a text
whose brackets do not balance is read in full, for its exact count and its
located problems. Other notation errors are validation's to report. The
paragraphs search needs are read in full, on their own (`load_paragraphs`).
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from cicatext.errors import CicatextError, Problem
from cicatext.store.files import UNSETTLED, document_files, read_marshal
from cicatext.store.layout import (
    CACHE_DIR,
    DOCUMENTS_DIR,
    PARAGRAPHS_CACHE,
    REGISTER_CACHE,
    TEXT_SUFFIX,
    document_folder,
    document_record_path,
    document_text_path,
    is_name,
)
from cicatext.store.repository import DocumentEntry, Repository

_FORMAT = 3
# The paragraphs cache's head: a stream of records (`iter_paragraphs`), not one mapping.
_STREAM_FORMAT = "paragraphs stream 1"


@dataclass(frozen=True)
class DocumentSummary:
    """One document as the register lists it."""

    slug: str
    """The folder name under documents/."""
    symbol: str
    """The base symbol."""
    current_symbol: str
    """The symbol of the latest revision."""
    title: str
    """The title in the repository's default language."""
    kind: str
    """decision, statement, road-map, ..."""
    sponsor: str
    """CHAIR, SEC or a member state's code."""
    revision: int
    """The latest revision number (0 for the original)."""
    status: str
    """The latest status action (considered, agreed, adopted, ...), or empty."""
    date: str
    """The document's date, YYYY-MM-DD, or empty."""
    languages: tuple[str, ...]
    """The languages it declares."""
    brackets: int | None
    """Brackets in the default-language text; None when there is no text."""
    paragraphs: int
    """Paragraphs in the default-language text."""
    problem: str | None = None
    """Why the record or its text does not load properly, if it does not."""

    def to_json(self) -> dict:
        """The summary as a plain dict for `--json` output."""
        return {
            "slug": self.slug, "symbol": self.symbol, "current_symbol": self.current_symbol,
            "title": self.title, "kind": self.kind, "sponsor": self.sponsor, "revision": self.revision,
            "status": self.status, "date": self.date, "languages": list(self.languages),
            "brackets": self.brackets, "paragraphs": self.paragraphs, "problem": self.problem,
        }


@dataclass(frozen=True)
class ParagraphText:
    """One paragraph of one document in one language, as search sees it."""

    slug: str
    """The document's folder."""
    language: str
    """The text's language."""
    paragraph: str
    """The paragraph id (`op11`, `1.10`)."""
    label: str | None
    """The paragraph's own numbering, if any."""
    line: int
    """1-based line of the paragraph in the text file."""
    text: str
    """The paragraph's bracketed text, id marker left out."""


@dataclass(frozen=True)
class Catalogue:
    """Every document's summary, with the problems met while reading the records and texts."""

    documents: tuple[DocumentSummary, ...]
    """In folder order."""
    problems: tuple[Problem, ...]
    """Records or texts that did not load, and notation errors in texts."""

    def document(self, slug: str) -> DocumentSummary | None:
        """The summary of one document folder, or None."""
        for summary in self.documents:
            if summary.slug == slug:
                return summary
        return None


@dataclass(frozen=True)
class DocumentParagraphs:
    """The paragraphs of one document's texts, packed: one string per document keeps loading fast."""

    slug: str
    """The document's folder."""
    heads: tuple[tuple[str, str, str | None, int], ...]
    """(language, paragraph id, label, line) of each paragraph."""
    packed: str
    """The paragraphs' texts joined by the record separator."""

    def texts(self) -> list[str]:
        """The paragraphs' texts, in the order of `heads`."""
        return self.packed.split(_SEPARATOR) if self.heads else []

    def paragraph(self, index: int) -> ParagraphText:
        """The paragraph at an index of `heads`."""
        language, paragraph, label, line = self.heads[index]
        return ParagraphText(self.slug, language, paragraph, label, line, self.texts()[index])


Progress = Callable[[int, int, tuple[DocumentSummary, ...]], None]

_SEPARATOR = "\x1e"


def default_language(repo: Repository) -> str:
    """The repository's default language (settings `default_language`, else its first language)."""
    try:
        settings = repo.settings
    except CicatextError:
        return "en"
    value = settings.get("default_language")
    if isinstance(value, str) and value:
        return value
    languages = settings.get("languages") or ["en"]
    return str(languages[0])


def _slugs(repo: Repository) -> list[str]:
    folder = repo.root / DOCUMENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in os.scandir(folder) if entry.is_dir())


def load_catalogue(repo: Repository, *, progress: Progress | None = None, use_cache: bool = True,
                   every: int = 250) -> Catalogue:
    """Summarise every document folder, from the cache where nothing changed.

    `progress(done, total, summaries_so_far)` is called every `every` folders
    read afresh and once at the end.
    """
    language = default_language(repo)
    slugs = _slugs(repo)
    cache_dir = repo.root / CACHE_DIR
    cached = _read_cache(cache_dir / REGISTER_CACHE, language) if use_cache else {}
    fresh: dict[str, tuple] = {}
    summaries: list[DocumentSummary] = []
    problems: list[Problem] = []
    read_afresh = 0
    for index, slug in enumerate(slugs, 1):
        key = _folder_key(repo.root / document_folder(slug))
        if not key:
            continue
        entry = cached.get(slug)
        afresh = entry is None or not _known(entry[0], key)
        if afresh:
            entry = (key, *_summarise(repo, slug, _text_languages(key), language))
            read_afresh += 1
        fresh[slug] = entry
        _, row, found = entry
        summaries.append(DocumentSummary(*row))
        problems.extend(Problem(*item) for item in found)
        if afresh and progress is not None and read_afresh % every == 0:
            progress(index, len(slugs), tuple(summaries))
    if use_cache and (read_afresh or set(cached) != set(fresh)):
        _write_cache(cache_dir / REGISTER_CACHE, language, fresh)
    if progress is not None:
        progress(len(slugs), len(slugs), tuple(summaries))
    return Catalogue(tuple(summaries), tuple(problems))


def cached_catalogue(repo: Repository) -> Catalogue | None:
    """The catalogue as the cache last saw it, without looking at the files (None when there is no cache).

    For a first screen at once; `load_catalogue` then brings it up to date.
    """
    cached = _read_cache(repo.root / CACHE_DIR / REGISTER_CACHE, default_language(repo))
    if not cached:
        return None
    summaries = [DocumentSummary(*cached[slug][1]) for slug in sorted(cached)]
    problems = [Problem(*item) for slug in sorted(cached) for item in cached[slug][2]]
    return Catalogue(tuple(summaries), tuple(problems))


def summaries_of(repo: Repository, slugs: Collection[str]) -> list[DocumentSummary]:
    """The summaries of just those document folders (that exist), in folder order, read from their files."""
    language = default_language(repo)
    found = []
    for slug in sorted(slugs):
        key = _folder_key(repo.root / document_folder(slug))
        if key:
            found.append(DocumentSummary(*_summarise(repo, slug, _text_languages(key), language)[0]))
    return found


def names_of(repo: Repository, slugs: Collection[str]) -> dict[str, tuple[str, str, str]]:
    """(symbol, current symbol, title) of just those document folders (that exist), as their summaries give them,
    read from their records alone: their texts, which a summary counts, are neither read nor counted."""
    language = default_language(repo)
    found = {}
    for slug in sorted(slugs):
        if _folder_key(repo.root / document_folder(slug)):
            row, _ = _summarise(repo, slug, [], language)
            found[slug] = row[1:4]
    return found


def load_paragraphs(repo: Repository, *, use_cache: bool = True,
                    only: Collection[str] | None = None) -> list[DocumentParagraphs]:
    """The paragraphs of every text of every document, from the cache where nothing changed.

    With `only`, the paragraphs of just those document folders (that exist),
    read from their files: the cache, which holds every document, is neither
    read nor written for a few. `iter_paragraphs` gives them one at a time.
    """
    if only is not None:
        found = []
        for slug in sorted(only):
            key = _folder_key(repo.root / document_folder(slug))
            if key:
                found.append(DocumentParagraphs(slug, *_paragraphs_of(repo, slug, _text_languages(key))))
        return found
    return list(iter_paragraphs(repo, use_cache=use_cache))


def iter_paragraphs(repo: Repository, *, use_cache: bool = True) -> Iterator[DocumentParagraphs]:
    """Every document's paragraphs, one document at a time in folder order, from the cache where nothing changed.

    The cache is a stream: a head listing each document's files (name, size,
    time), then one record per document in folder order. The head says which
    documents must be read afresh; the records are read as they come, and a
    new cache is written beside as they go, only when something changed. So
    a whole pass holds one document's paragraphs at a time.
    """
    language = default_language(repo)
    path = repo.root / CACHE_DIR / PARAGRAPHS_CACHE
    folders = [(slug, key) for slug in _slugs(repo) if (key := _folder_key(repo.root / document_folder(slug)))]
    stream = _CacheStream.open(path, language) if use_cache else None
    known = stream.keys if stream is not None else {}
    fresh = {slug for slug, key in folders if not _known(known.get(slug), key)}
    writer = None
    if use_cache and (fresh or len(known) != len(folders)):
        writer = _CacheWriter(path, (_STREAM_FORMAT, sys.version_info[:2], language, dict(folders)))
    damaged = False
    try:
        for slug, key in folders:
            entry = None if slug in fresh or stream is None else stream.record(slug)
            if entry is None:
                damaged = damaged or slug not in fresh
                entry = _paragraphs_of(repo, slug, _text_languages(key))
            if writer is not None:
                writer.add(slug, entry)
            yield DocumentParagraphs(slug, *entry)
        if writer is not None:
            writer.commit()
            writer = None
        elif damaged and use_cache:
            # Records the head promised are missing: the next pass writes the cache afresh.
            path.unlink(missing_ok=True)
    finally:
        if stream is not None:
            stream.close()
        if writer is not None:
            writer.abandon()


class _CacheStream:
    """The paragraphs cache, read record by record in folder order."""

    def __init__(self, handle, keys: dict) -> None:
        self.handle = handle
        self.keys = keys
        self._pending: tuple | None = None

    @classmethod
    def open(cls, path: Path, language: str) -> _CacheStream | None:
        """The cache, past its head, if it is one for this format, Python and language."""
        try:
            handle = open(path, "rb")
        except OSError:
            return None
        keys = _load_head(handle, (_STREAM_FORMAT, sys.version_info[:2], language))
        if keys is None:
            handle.close()
            return None
        return cls(handle, keys)

    def record(self, slug: str) -> tuple[tuple, str] | None:
        """(heads, packed) of a document, reading on to it; None when the cache does not hold it (or is damaged)."""
        while True:
            if self._pending is None:
                try:
                    item = marshal.load(self.handle)
                except (EOFError, ValueError, TypeError, OSError):
                    return None
                if not (isinstance(item, tuple) and len(item) == 3 and isinstance(item[0], str)):
                    return None
                self._pending = item
            found, heads, packed = self._pending
            if found > slug:
                return None
            self._pending = None
            if found == slug:
                return heads, packed

    def close(self) -> None:
        self.handle.close()


class _CacheWriter:
    """A new cache file written beside the old one (its head, then any records), put in its place when complete."""

    def __init__(self, path: Path, head: tuple) -> None:
        self.path = path
        self.temp = path.with_suffix(f".{os.getpid()}.tmp")
        self.handle = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = open(self.temp, "wb")
            marshal.dump(head, self.handle)
        except (OSError, ValueError):
            # A cache that cannot be written only costs time on the next start.
            self.abandon()

    def add(self, slug: str, entry: tuple[tuple, str]) -> None:
        if self.handle is not None:
            try:
                marshal.dump((slug, *entry), self.handle)
            except (OSError, ValueError):
                self.abandon()

    def commit(self) -> None:
        if self.handle is not None:
            try:
                self.handle.close()
                os.replace(self.temp, self.path)
            except OSError:
                self.abandon()
            self.handle = None

    def abandon(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        try:
            self.temp.unlink(missing_ok=True)
        except OSError:
            pass


def _folder_key(path: Path) -> tuple:
    """(name, size, time) of a document folder's record and texts; a time too recent to trust is `UNSETTLED`."""
    return document_files(path, time.time_ns())


def _known(cached: tuple | None, key: tuple) -> bool:
    """Whether a cache entry made from the files as `cached` found them still holds for them as `key` finds them.

    The same files at the same sizes and times, every time settled.
    """
    return cached == key and all(mtime != UNSETTLED for _, _, mtime in key)


def _text_languages(key: tuple) -> list[str]:
    """The languages of the texts a folder key lists; a `.txt` file whose name is no language (`en copy.txt`) is no
    text of the document, and is left out here (validate names it)."""
    return [language for name, _, _ in key if name.endswith(TEXT_SUFFIX)
            and is_name("language", language := name.removesuffix(TEXT_SUFFIX))]


def _problem_tuple(problem: Problem) -> tuple:
    return (problem.message, problem.file, problem.line, problem.column, problem.hint,
            problem.source_line, problem.severity, problem.code, problem.source_column)


def _summarise(repo: Repository, slug: str, texts: list[str], language: str) -> tuple[tuple, tuple]:
    """(summary row, problem rows) of one folder, as plain tuples for the cache."""
    record_file = document_record_path(slug)
    counts, problems = _count_texts(repo, slug, texts)
    try:
        record = repo.load(record_file)
        if not isinstance(record, dict):
            raise CicatextError(f"{record_file} is not a mapping", file=record_file, line=1, column=1,
                                hint="a document record is a YAML mapping with symbol, title, kind, ...")
    except CicatextError as error:
        problem = error.problem
        row = (slug, "", slug, "", "", "", 0, "", "", (), None, 0, f"record does not load: {problem.message}")
        return row, (_problem_tuple(problem), *(_problem_tuple(p) for p in problems))
    try:
        row = _summary_row(slug, language, DocumentEntry(slug=slug, record=record), counts, problems)
    except (TypeError, ValueError, AttributeError) as error:
        # The schema check reports what is wrong; the register still lists the folder.
        problem = Problem(f"{record_file} has values of an unexpected type ({error})", file=record_file,
                          hint="`cicatext validate` shows which field", code="schema")
        problems.insert(0, problem)
        row = (slug, _text(record.get("symbol")), _text(record.get("symbol")) or slug, "", "", "", 0, "", "",
               (), None, 0, problem.message)
    return row, tuple(_problem_tuple(p) for p in problems)


def _count_texts(repo: Repository, slug: str, languages: list[str]) -> tuple[dict, list[Problem]]:
    """(paragraphs, brackets) of each language's text, and the problems met.

    The problems are the files that cannot be read, and the notation errors
    of the texts whose brackets do not balance (those alone are read in full).
    """
    from cicatext.notation.reader import count_brackets, read

    counts: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    for language in languages:
        relative = document_text_path(slug, language)
        try:
            text = repo.read_text(relative)
        except CicatextError as error:
            problems.append(error.problem)
            continue
        counted = count_brackets(text)
        if counted is None:
            reading = read(text, file=relative)
            problems.extend(p for p in reading.problems if p.severity == "error")
            paragraphs = reading.draft.paragraphs
            counted = (len(paragraphs), reading.draft.bracket_count())
        counts[language] = counted
    return counts, problems


def _read_texts(repo: Repository, slug: str, languages: list[str]) -> dict:
    """The reading of each language's text that can be read."""
    from cicatext.notation.reader import read

    readings = {}
    for language in languages:
        relative = document_text_path(slug, language)
        try:
            text = repo.read_text(relative)
        except CicatextError:
            continue
        readings[language] = read(text, file=relative)
    return readings


def _pack(readings: dict) -> tuple[tuple, str]:
    from cicatext.notation.render import render

    heads = []
    texts = []
    for language, reading in readings.items():
        for paragraph in reading.draft.paragraphs:
            heads.append((language, paragraph.id, paragraph.label, paragraph.pos.line if paragraph.pos else 0))
            texts.append(render(paragraph.content).replace(_SEPARATOR, " "))
    return tuple(heads), _SEPARATOR.join(texts)


def _paragraphs_of(repo: Repository, slug: str, languages: list[str]) -> tuple[tuple, str]:
    return _pack(_read_texts(repo, slug, languages))


def _summary_row(slug: str, language: str, entry: DocumentEntry, counts: dict[str, tuple[int, int]],
                 problems: list[Problem]) -> tuple:
    record = entry.record
    declared = record.get("languages") or []
    languages = [str(x) for x in declared] if isinstance(declared, list) else []
    status = ""
    steps = [s for s in record.get("status") or [] if isinstance(s, dict)]
    if steps:
        status = str(steps[-1].get("action", ""))
    wanted = language if language in languages else (languages[0] if languages else language)
    paragraph_count, brackets = counts.get(wanted, (0, None))
    note = None
    if problems:
        where = problems[0].file or slug
        note = f"{len(problems)} problem(s) in {where}" if len(problems) > 1 else problems[0].message
    revision = entry.revision if isinstance(entry.revision, int) else 0
    return (slug, _text(entry.symbol), _text(entry.current_symbol), _text(entry.title(language)),
            _text(record.get("kind")), _text(record.get("sponsor")), revision, status,
            _text(record.get("date")), tuple(languages), brackets, paragraph_count, note)


def _text(value) -> str:
    return "" if value is None else str(value)


def _read_cache(path: Path, language: str) -> dict:
    """The register cache's entries, or {} when there is none for this format, Python and language."""
    return _checked_head(read_marshal(path), (_FORMAT, sys.version_info[:2], language)) or {}


def _write_cache(path: Path, language: str, entries: dict) -> None:
    _CacheWriter(path, (_FORMAT, sys.version_info[:2], language, entries)).commit()


def _load_head(handle, expected: tuple) -> dict | None:
    """The mapping a cache file opens with, when its head is `expected` (format, Python, language); else None."""
    try:
        head = marshal.load(handle)
    except (EOFError, ValueError, TypeError, OSError):
        return None
    return _checked_head(head, expected)


def _checked_head(head, expected: tuple) -> dict | None:
    """The mapping of a cache's head, when the head is `expected` (format, Python, language); else None."""
    if not isinstance(head, tuple) or len(head) != 4 or head[:3] != expected or not isinstance(head[3], dict):
        return None
    return head[3]
