"""Where each kind of record lives in a cicatext repository."""

from __future__ import annotations

import fnmatch

SETTINGS_FILE = "cicatext.yaml"
CACHE_DIR = ".cicatext"

# (glob pattern relative to the repository root, record kind); first match wins.
RECORD_PLACES: tuple[tuple[str, str], ...] = (
    ("cicatext.yaml", "settings"),
    ("registry/states/*.yaml", "member-state"),
    ("registry/bodies/*.yaml", "body"),
    ("registry/dimensions/*.yaml", "dimension"),
    ("registry/areas/*.yaml", "priority-area"),
    ("documents/*/document.yaml", "document"),
    ("positions/*/*.yaml", "position-set"),
    ("coordinators/*.yaml", "coordinator"),
    ("concept-papers/*.yaml", "concept-paper"),
    ("action-plans/*.yaml", "action-plan"),
    ("reviews/*.yaml", "review"),
    ("meetings/*.yaml", "meeting"),
    ("notes/*.yaml", "note"),
    ("confidential/*.yaml", "confidential"),
)

# Files that are not records but belong where they are.
OTHER_PLACES: tuple[str, ...] = (
    "README.md",
    ".gitignore",
    ".gitattributes",
    "documents/*/*.txt",
    "notes/templates/*",
    "keys/*",
    "confidential/*",
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


def document_text_path(slug: str, language: str) -> str:
    """The text file of a document in one language."""
    return f"documents/{slug}/{language}.txt"


def document_record_path(slug: str) -> str:
    """The document's record."""
    return f"documents/{slug}/document.yaml"
