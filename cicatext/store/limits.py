"""How large a file cicatext reads may be: one place for the limits that keep a hostile input from taking the machine.

A repository's files come from other people (a delegation's push, a shared
clone), so every reader bounds them before it builds anything from them: a
file's size before it is read, a YAML document's aliases, nesting and strings
before anything is expanded (`store.yamlio`), and the blobs of a pushed tree
before the server's hook writes them out (`oversized_blob`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cicatext.errors import MAX_PROBLEMS, Problem, more_count, more_problems
from cicatext.notation.nesting import MAX_DEPTH

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
MAX_BRACKET_DEPTH = MAX_DEPTH
"""Brackets nested in a text (a negotiated text nests a handful deep); a setting may lower it, not raise it:
bracket ids are made to this depth (`cicatext.notation.nesting`)."""

SETTINGS_KEY = "limits"
"""The mapping of cicatext.yaml that sets the limits of a repository."""


@dataclass(frozen=True)
class Limits:
    """The limits one repository's files are read under: cicatext's defaults, or those its settings set
    (`limits:` in cicatext.yaml; schemas/settings.schema.json gives each key's minimum)."""

    file_bytes: int = MAX_FILE_BYTES
    """One file of the repository, from its size before it is read."""
    yaml_string: int = MAX_YAML_STRING
    """One string in a YAML record, in characters."""
    yaml_depth: int = MAX_YAML_DEPTH
    """Mappings and sequences nested in a YAML record."""
    yaml_aliases: int = MAX_YAML_ALIASES
    """Aliases in one YAML document."""
    yaml_nodes: int = MAX_YAML_NODES
    """Values in one YAML document once every alias is expanded."""
    problems_per_file: int = MAX_PROBLEMS
    """Problems listed for one file; the rest are counted in one more."""
    bracket_depth: int = MAX_BRACKET_DEPTH
    """Brackets nested in one text."""
    chosen: frozenset[str] = field(default=frozenset(), compare=False)
    """The keys the settings set (the others are cicatext's defaults)."""

    @classmethod
    def of(cls, settings: object) -> Limits:
        """The limits a repository's settings (cicatext.yaml as read) set; a key missing, not a whole number, or
        outside its `MINIMUM` and `MAXIMUM` keeps its default (the schema check reports it)."""
        given = settings.get(SETTINGS_KEY) if isinstance(settings, Mapping) else None
        if not isinstance(given, Mapping):
            return DEFAULT
        chosen = {key: value for key, value in given.items()
                  if key in MINIMUM and type(value) is int and MINIMUM[key] <= value <= MAXIMUM.get(key, value)}
        return cls(**chosen, chosen=frozenset(chosen)) if chosen else DEFAULT

    def named(self, key: str) -> str:
        """Where the limit `key` comes from, for a refusal's message: ` set by limits.KEY in cicatext.yaml`, or
        `` for cicatext's own."""
        return f" set by {SETTINGS_KEY}.{key} in cicatext.yaml" if key in self.chosen else ""

    def too_large(self, size: int, file: str | None, *, partial: bool = False) -> str | None:
        """The refusal's message when a file of `size` bytes (with `partial`, at least so many: it was read only so
        far) is over the limit, else None."""
        if size <= self.file_bytes:
            return None
        what = f"{file or 'the file'} is {'more than ' if partial else ''}{(self.file_bytes if partial else size):,} bytes"
        if "file_bytes" in self.chosen:
            return f"{what}, over the limit of {self.file_bytes:,} bytes{self.named('file_bytes')}"
        mebibytes = f" ({self.file_bytes / (1024 * 1024):.0f} MiB)" if self.file_bytes >= 1024 * 1024 else ""
        return f"{what}, over cicatext's limit of {self.file_bytes:,} bytes{mebibytes} for one file"


DEFAULT = Limits()
"""cicatext's own limits, for what no repository's settings govern."""

MINIMUM = {"file_bytes": 1000, "yaml_string": 100, "yaml_depth": 8, "yaml_aliases": 1, "yaml_nodes": 1000,
           "problems_per_file": 1, "bracket_depth": 1}
"""The least each limit may be set to (as schemas/settings.schema.json says): less would refuse ordinary records."""

MAXIMUM = {"bracket_depth": MAX_BRACKET_DEPTH}
"""The most a limit may be set to, where there is one (as schemas/settings.schema.json says): bracket ids are made to
that depth and no deeper."""


LIMIT_HINT = "a document's text or record is far smaller: check what was written there, and split or remove it"


def file_size_error(path: Path, file: str | None, bounds: Limits = DEFAULT):
    """A RecordError when the file at `path` is over the limit (read from its size, not its content), else None."""
    from cicatext.errors import RecordError

    try:
        size = path.stat().st_size
    except OSError:
        return None
    message = bounds.too_large(size, file)
    return RecordError(message, file=file, hint=LIMIT_HINT) if message else None


_MORE = "more"


def cap_per_file(problems: list[Problem], limit: int) -> list[Problem]:
    """`problems` in their order with at most `limit` of each file's listed, and for a file with more, one problem
    counting them after its last one listed (a count already made by a reading is added to it)."""
    seen: dict[str | None, int] = {}
    more: dict[str | None, list[int]] = {}  # per file: problems not listed, errors among them
    kept: list[Problem] = []
    for problem in problems:
        file = problem.file
        if problem.code == _MORE:
            count = more_count(problem)
            tally = more.setdefault(file, [0, 0])
            tally[0] += count
            tally[1] += count if problem.severity == "error" else 0
            continue
        if seen.get(file, 0) >= limit:
            tally = more.setdefault(file, [0, 0])
            tally[0] += 1
            tally[1] += problem.severity == "error"
            continue
        seen[file] = seen.get(file, 0) + 1
        kept.append(problem)
    if not more:
        return kept
    last = {problem.file: index for index, problem in enumerate(kept)}
    for file, (count, errors) in sorted(more.items(), key=lambda item: -last.get(item[0], len(kept))):
        kept.insert(last.get(file, len(kept) - 1) + 1, more_problems(count, errors, file, limit))
    return kept


@dataclass(frozen=True)
class Oversized:
    """A file of a commit's tree over the limit."""

    path: str
    size: int

    bounds: Limits = DEFAULT

    @property
    def message(self) -> str:
        return self.bounds.too_large(self.size, self.path) or ""

    hint = LIMIT_HINT


def oversized_blob(cwd: str | Path, commit: str, bounds: Limits = DEFAULT) -> Oversized | None:
    """The first file of a commit's tree over the file limit of `bounds`, read from git's tree listing (sizes
    only, no content).

    The server's hook asks this before it writes a pushed tree out, so a
    pushed file of hundreds of megabytes is refused without being read.
    """
    from cicatext.store.git import run_git

    listing = run_git(Path(cwd), "ls-tree", "-r", "-l", "-z", "--full-tree", commit, binary=True).stdout
    for item in listing.split(b"\0"):
        meta, _, path = item.partition(b"\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == b"blob" and parts[3].isdigit() and int(parts[3]) > bounds.file_bytes:
            return Oversized(path.decode("utf-8", "surrogateescape"), int(parts[3]), bounds)
    return None
