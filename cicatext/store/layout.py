"""Where everything lives in a cicatext repository: the one module that spells its folders and files.

A repository holds its settings, the registry, the documents and their texts,
the delegations' position sets, the Modalities' records, the signing keys and
the confidential records, each in its own place; cicatext keeps caches in
`.cicatext/` (ignored by git) and a few files of its own in git's folder.
Paths here are repository-relative and written with `/` (those in git's
folder are relative to it); every other module builds its paths from these
names and functions, so renaming a place means changing it here alone.

Every function that builds a path from a name checks the name against its
grammar first (`NAME_GRAMMARS`) and raises UsageError otherwise, so no caller
can turn `../mc-2023-draft-5/en` given as a language into another document's
file: a language, a slug, a code, a record id never holds a `/`, a `..` or
anything but letters, digits and single separators.
"""

from __future__ import annotations

import fnmatch
import re

from cicatext.errors import UsageError

NAME_GRAMMARS: dict[str, tuple[re.Pattern, str]] = {
    "language": (re.compile(r"[a-z]{2,3}"), "two or three lowercase letters (ISO 639), such as en or ru"),
    "slug": (re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*"),
             "lowercase letters and digits joined by single hyphens or dots, such as mc-2023-draft-5"),
    "code": (re.compile(r"[A-Z][A-Z0-9]{0,31}"),
             "an uppercase letter, then uppercase letters and digits, such as CHN, IRAN or SEC"),
    "record id": (re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*"),
                  "letters and digits joined by single hyphens, dots or underscores, such as swg-2023-06"),
}
"""Each kind of name that becomes part of a path: its grammar, and the grammar in words for the error."""


def checked_name(kind: str, name: str) -> str:
    """`name` when it follows the grammar of `kind` (a key of NAME_GRAMMARS); UsageError saying the grammar otherwise."""
    pattern, words = NAME_GRAMMARS[kind]
    if isinstance(name, str) and pattern.fullmatch(name):
        return name
    return _refuse(kind, name, words)


def is_name(kind: str, name: object) -> bool:
    """True when `name` follows the grammar of `kind`."""
    return isinstance(name, str) and NAME_GRAMMARS[kind][0].fullmatch(name) is not None


def _refuse(kind: str, name: object, words: str):
    shown = repr(name) if len(str(name)) <= 80 else repr(str(name)[:80]) + "..."
    raise UsageError(f"{shown} is not a {kind}: a {kind} is {words}",
                     hint=f"a {kind} becomes part of a file's path in the repository, so nothing else is taken")

SETTINGS_FILE = "cicatext.yaml"
"""The repository's settings, at its root; a folder holding it is a cicatext repository."""
README_FILE = "README.md"
"""The repository's own introduction, at its root."""
GITIGNORE_FILE = ".gitignore"
"""What git leaves out (the cache among it)."""
GITATTRIBUTES_FILE = ".gitattributes"
"""git's attributes of the repository's files, where a repository may name cicatext's diff driver."""
TEMP_PREFIX = ".cicatext-tmp-"
"""How a temporary file written beside its target starts, so that one an interrupted write left is known."""

STATES_DIR = "registry/states"
"""The member states, one record each, named by code."""
BODIES_DIR = "registry/bodies"
"""The governing bodies, one record each, named by code."""
DIMENSIONS_DIR = "registry/dimensions"
"""The dimensions of the Catalogue, one record each, named by id."""
AREAS_DIR = "registry/areas"
"""The priority areas, one record each, named by id."""
GROUPS_DIR = "registry/groups"
"""The negotiating groups (G77, EU, AOSIS, ...), one record each, named by code."""

DOCUMENTS_DIR = "documents"
"""The documents, one folder each, named by slug."""
DOCUMENT_RECORD = "document.yaml"
"""The name of a document's record in its folder."""
TEXT_SUFFIX = ".txt"
"""How a document's text in one language is named: the language, then this."""
DOCUMENT_TEXT_FORM = f"{DOCUMENTS_DIR}/<slug>/<lang>{TEXT_SUFFIX}"
"""Where a document's text lives, in words for a message."""
DOCUMENT_TEXTS = f"{DOCUMENTS_DIR}/*/*{TEXT_SUFFIX}"
"""The glob of every document text, as git's attributes name them."""

POSITIONS_DIR = "positions"
"""The delegations' position sets, one folder per delegation, named by its code."""

COORDINATORS_DIR = "coordinators"
"""The appointments of each priority area, one record per area."""
CONCEPT_PAPERS_DIR = "concept-papers"
"""The concept papers, by id."""
ACTION_PLANS_DIR = "action-plans"
"""The action plans, by id."""
REVIEWS_DIR = "reviews"
"""The SOC's reviews of CBM implementation, by id."""
MEETINGS_DIR = "meetings"
"""The meetings, by id."""
NOTES_DIR = "notes"
"""The cover notes' records, by id."""
TEMPLATES_DIR = f"{NOTES_DIR}/templates"
"""The repository's own cover note templates."""

MODALITIES_FOLDERS = {
    "coordinator": COORDINATORS_DIR,
    "concept-paper": CONCEPT_PAPERS_DIR,
    "action-plan": ACTION_PLANS_DIR,
    "review": REVIEWS_DIR,
    "meeting": MEETINGS_DIR,
    "note": NOTES_DIR,
}
"""The folder of each kind of Modalities record."""

KEYS_DIR = "keys"
"""The registry of signing keys."""
ALLOWED_SIGNERS_PATH = f"{KEYS_DIR}/allowed_signers"
"""The signing keys and whom each speaks for, in git's allowed-signers format."""
REVOKED_PATH = f"{KEYS_DIR}/revoked"
"""The keys that no longer speak for anyone."""

CONFIDENTIAL_DIR = "confidential"
"""Information shared in confidence: each record's metadata in clear and its content encrypted.

At the root, the records the Secretariat stored; in a delegation's folder
(`positions/CODE/confidential/`), those the delegation provided itself,
encrypted on its machine and committed on its own branch (Modalities 4.2),
which a round carries to main with the rest of its folder."""

CACHE_DIR = ".cicatext"
"""cicatext's caches, ignored by git; each can be deleted and is made again."""
REGISTER_CACHE = "register.marshal"
"""In the cache folder: each document's summary for the register."""
PARAGRAPHS_CACHE = "paragraphs.marshal"
"""In the cache folder: each document's paragraphs."""
SEARCH_INDEX = "search.sqlite"
"""In the cache folder: the search index."""
SEARCH_BUILD_LOCK = "search.lock"
"""In the cache folder: held (with its process id) by the one process building the search index."""
SEARCH_BUILD_SUFFIX = ".building"
"""The search index being built: the index's name, the builder's process id and this, until it is put in place."""
VALIDATION_CACHE = "validate.marshal"
"""In the cache folder: validation's per-file results, by git blob id."""
VALIDATION_RESULT = "validate-result.json"
"""In the cache folder: the last validation's whole result."""
VALIDATION_LINKS = "validate-links.marshal"
"""In the cache folder: validation's checks between records, each under what it reads."""
VALIDATION_PARTS = "validate-parts.marshal"
"""In the cache folder: the last validation's result in its parts, and what it was made under."""
ATTRIBUTIONS_CACHE = "attributions.json"
"""In the cache folder: the attribution check's results, by commit."""

WRITE_LOCK = "cicatext.lock"
"""In git's folder: the lock a writer holds."""
JOURNAL = "cicatext-journal.json"
"""In git's folder: the write journal of the change a writer is making."""
GIT_INFO_ATTRIBUTES = "info/attributes"
"""In git's folder: the clone's own attributes, where `git-setup` names the diff driver when the repository does not."""

# (glob pattern relative to the repository root, record kind); first match wins.
RECORD_PLACES: tuple[tuple[str, str], ...] = (
    (SETTINGS_FILE, "settings"),
    (f"{STATES_DIR}/*.yaml", "member-state"),
    (f"{BODIES_DIR}/*.yaml", "body"),
    (f"{DIMENSIONS_DIR}/*.yaml", "dimension"),
    (f"{AREAS_DIR}/*.yaml", "priority-area"),
    (f"{GROUPS_DIR}/*.yaml", "group"),
    (f"{DOCUMENTS_DIR}/*/{DOCUMENT_RECORD}", "document"),
    (f"{POSITIONS_DIR}/*/*.yaml", "position-set"),
    *((f"{folder}/*.yaml", kind) for kind, folder in MODALITIES_FOLDERS.items()),
    (f"{CONFIDENTIAL_DIR}/*.yaml", "confidential"),
    (f"{POSITIONS_DIR}/*/{CONFIDENTIAL_DIR}/*.yaml", "confidential"),
)

# Files that are not records but belong where they are.
OTHER_PLACES: tuple[str, ...] = (
    README_FILE,
    GITIGNORE_FILE,
    GITATTRIBUTES_FILE,
    DOCUMENT_TEXTS,
    f"{TEMPLATES_DIR}/*",
    f"{KEYS_DIR}/*",
    f"{CONFIDENTIAL_DIR}/*",
    f"{POSITIONS_DIR}/*/{CONFIDENTIAL_DIR}/*",
)


def kind_of(path: str) -> str | None:
    """The record kind stored at this repository-relative path, or None."""
    for pattern, kind in RECORD_PLACES:
        if fnmatch.fnmatchcase(path, pattern) and path.count("/") == pattern.count("/"):
            return kind
    return None


def is_known_place(path: str) -> bool:
    """True when a file at this path is a record or another file cicatext expects."""
    if kind_of(path) is not None:
        return True
    return any(
        fnmatch.fnmatchcase(path, pattern) and path.count("/") == pattern.count("/")
        for pattern in OTHER_PLACES
    )


def body_record_path(code: str) -> str:
    """A governing body's record."""
    return f"{BODIES_DIR}/{checked_name('code', code)}.yaml"


def document_folder(slug: str) -> str:
    """A document's folder, holding its record and its texts."""
    return f"{DOCUMENTS_DIR}/{checked_name('slug', slug)}"


def document_text_path(slug: str, language: str) -> str:
    """The text file of a document in one language."""
    return f"{document_folder(slug)}/{checked_name('language', language)}{TEXT_SUFFIX}"


def document_record_path(slug: str) -> str:
    """The document's record."""
    return f"{document_folder(slug)}/{DOCUMENT_RECORD}"


def is_document_text(path: str) -> bool:
    """True when the path is that of a document's text (`documents/<slug>/<lang>.txt`)."""
    return path.startswith(f"{DOCUMENTS_DIR}/") and path.endswith(TEXT_SUFFIX) and path.count("/") == 2


def document_slug(path: str) -> str:
    """The document folder a path in a document's folder lies in (`documents/<slug>/...` → slug)."""
    return path.split("/")[1]


def text_language(path: str) -> str:
    """The language of a document text, from its path (`documents/<slug>/<lang>.txt` → lang)."""
    return path.rsplit("/", 1)[1].removesuffix(TEXT_SUFFIX)


def delegation_folder(code: str) -> str:
    """The folder of a delegation's position sets, the only one its branch changes."""
    return f"{POSITIONS_DIR}/{checked_name('code', code)}"


def position_set_path(code: str, slug: str) -> str:
    """Where a delegation's position set on a document lives."""
    return f"{delegation_folder(code)}/{checked_name('slug', slug)}.yaml"


def position_owner(path: str) -> str | None:
    """The code of the delegation whose folder holds this path (`positions/<code>/...`), or None when in none.

    The folder holds its position sets and the confidential records it
    provided (`provided_folder`): only its branch writes there, and main
    receives them only through a round."""
    parts = path.split("/")
    return parts[1] if len(parts) >= 3 and parts[0] == POSITIONS_DIR else None


def modalities_record_path(kind: str, record_id: str) -> str:
    """A Modalities record of a kind (`meeting`, `concept-paper`...) by its id."""
    return f"{record_source(kind, record_id)}.yaml"


def record_source(kind: str, record_id: str) -> str:
    """A Modalities record as a deadline names the one it comes from: its path without `.yaml`."""
    return f"{MODALITIES_FOLDERS[kind]}/{checked_name('record id', record_id)}"


def source_file(source: str) -> str:
    """The file of the record a deadline names by `record_source`."""
    return f"{source}.yaml"


def coordinator_path(area: str) -> str:
    """Where an area's appointments are kept."""
    return modalities_record_path("coordinator", area)


def concept_paper_path(paper_id: str) -> str:
    """Where a concept paper is kept."""
    return modalities_record_path("concept-paper", paper_id)


def meeting_path(meeting_id: str) -> str:
    """Where a meeting is kept."""
    return modalities_record_path("meeting", meeting_id)


def note_path(note_id: str) -> str:
    """Where a cover note's record is kept."""
    return modalities_record_path("note", note_id)


def cover_note_template_path(language: str) -> str:
    """The repository's cover note template in one language."""
    return f"{TEMPLATES_DIR}/cover-note.{checked_name('language', language)}.txt"


def confidential_paths(record_id: str) -> tuple[str, str]:
    """A confidential record's metadata (in clear) and its encrypted content."""
    checked_name("record id", record_id)
    return f"{CONFIDENTIAL_DIR}/{record_id}.yaml", f"{CONFIDENTIAL_DIR}/{record_id}.age"


def provided_folder(code: str) -> str:
    """Where a delegation keeps the confidential records it provides: inside its own folder, so its branch may write them."""
    return f"{delegation_folder(code)}/{CONFIDENTIAL_DIR}"


def provided_paths(code: str, record_id: str) -> tuple[str, str]:
    """A confidential record a delegation provided on its own branch: its metadata and its encrypted content."""
    folder = provided_folder(code)
    checked_name("record id", record_id)
    return f"{folder}/{record_id}.yaml", f"{folder}/{record_id}.age"


def provided_by(path: str) -> str | None:
    """The code of the delegation whose confidential folder holds this path (`positions/<code>/confidential/...`)."""
    parts = path.split("/")
    return parts[1] if len(parts) == 4 and parts[0] == POSITIONS_DIR and parts[2] == CONFIDENTIAL_DIR else None


ROUND_INDEX_GLOB = "cicatext-round-*.index"
"""In git's folder: every round's temporary index (see `round_index`); one found by the next writer was left by a
killed round."""


def round_index(pid: int) -> str:
    """In git's folder: the temporary index a round's commit is written through, one per process."""
    return f"cicatext-round-{pid}.index"
