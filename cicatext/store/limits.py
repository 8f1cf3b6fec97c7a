"""How large a file cicatext reads may be: one place for the limits that keep a hostile input from taking the machine.

A repository's files come from other people (a delegation's push, a shared
clone), so every reader bounds them before it builds anything from them: a
file's size before it is read, a YAML document's aliases, nesting and strings
before anything is expanded (`store.yamlio`), and the blobs of a pushed tree
before the server's hook writes them out (`oversized_blob`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 16 * 1024 * 1024
"""A file of the repository, a text or a record: a document's text in one language is well under 2 MB."""
MAX_YAML_STRING = 1024 * 1024
"""One string (a scalar) in a YAML record."""
MAX_YAML_DEPTH = 64
"""Mappings and sequences nested in a YAML record (cicatext's records nest less than 8 deep)."""
MAX_YAML_ALIASES = 100
"""Aliases (`*name`) in one YAML document (cicatext writes none)."""
MAX_YAML_NODES = 1_000_000
"""The values a YAML document holds once every alias is expanded (what a reader walking it meets)."""


def too_large(size: int, file: str | None) -> str | None:
    """The refusal's message when a file of `size` bytes is over the limit, else None."""
    if size <= MAX_FILE_BYTES:
        return None
    return (f"{file or 'the file'} is {size:,} bytes, over cicatext's limit of {MAX_FILE_BYTES:,} bytes "
            f"({MAX_FILE_BYTES // (1024 * 1024)} MiB) for one file")


LIMIT_HINT = "a document's text or record is far smaller: check what was written there, and split or remove it"


def file_size_error(path: Path, file: str | None):
    """A RecordError when the file at `path` is over the limit (read from its size, not its content), else None."""
    from cicatext.errors import RecordError

    try:
        size = path.stat().st_size
    except OSError:
        return None
    message = too_large(size, file)
    return RecordError(message, file=file, hint=LIMIT_HINT) if message else None


@dataclass(frozen=True)
class Oversized:
    """A file of a commit's tree over the limit."""

    path: str
    size: int

    @property
    def message(self) -> str:
        return too_large(self.size, self.path) or ""

    hint = LIMIT_HINT


def oversized_blob(cwd: str | Path, commit: str) -> Oversized | None:
    """The first file of a commit's tree over `MAX_FILE_BYTES`, read from git's tree listing (sizes only, no content).

    The server's hook asks this before it writes a pushed tree out, so a
    pushed file of hundreds of megabytes is refused without being read.
    """
    from cicatext.store.git import run_git

    listing = run_git(Path(cwd), "ls-tree", "-r", "-l", "-z", "--full-tree", commit, binary=True).stdout
    for item in listing.split(b"\0"):
        meta, _, path = item.partition(b"\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == b"blob" and parts[3].isdigit() and int(parts[3]) > MAX_FILE_BYTES:
            return Oversized(path.decode("utf-8", "surrogateescape"), int(parts[3]))
    return None
