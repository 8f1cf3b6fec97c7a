"""Revisions of a document: a Chair's revised text imported as Rev.N, and Rev.N+1 issued "as amended".

`import_revision` takes a revised text (renumbered, with paragraphs moved,
split, merged and redrafted), pairs its paragraphs with the current text's by
content (`cicatext.notation.alignment`), so that each carried-over paragraph
keeps its id and a new one gets an id never used before in the document, and
commits it as the next revision: one commit, the revision in the document's
record with what the alignment found, and an annotated tag `rev/<slug>/<N>`.
`revise` issues the next revision of a text the room amended since its last
revision (agree, drop), so that two different texts never carry one symbol.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cicatext.errors import CicatextError, Problem, RepositoryError, UsageError
from cicatext.notation.alignment import Alignment, align, carried_ids
from cicatext.notation.reader import read
from cicatext.notation.render import render
from cicatext.notation.styles import Converted
from cicatext.records.dates import iso_day
from cicatext.records.paragraphing import (
    ImportedParagraph,
    ImportWarning,
    render_with_ids,
    split_paragraphs,
)
from cicatext.records.symbols import parse_symbol
from cicatext.store import yamlio
from cicatext.store.git import commit_day, read_texts
from cicatext.store.layout import document_folder
from cicatext.store.register.styles import read_received
from cicatext.store.repository import DocumentEntry, Repository

LEAST_CARRIED = 0.3
"""Below this share of the current text's paragraphs found again, a text is not taken as a revision of it."""
REVISION_TRAILER = "Cicatext-Revision"
_MARKER = re.compile(r"^\{#([A-Za-z0-9][A-Za-z0-9._-]*)\} ", re.MULTILINE)


@dataclass(frozen=True)
class RevisionResult:
    """What a revision import or `revise` wrote."""

    symbol: str
    slug: str
    revision: int
    tag: str
    commit: str
    alignment: Alignment | None
    warnings: tuple[ImportWarning, ...] = ()
    awaiting: dict[str, tuple[str, ...]] | None = None
    converted: tuple[Converted, ...] = ()
    """The attributions received in another style and kept in the cica style."""
    style_warnings: tuple[Problem, ...] = ()
    """What looked like an attribution in the received style and was kept as written."""

    def to_json(self) -> dict:
        """The result as plain data for `--json`."""
        shown = {"symbol": self.symbol, "document": self.slug, "revision": self.revision, "tag": self.tag,
                 "commit": self.commit}
        if self.alignment is not None:
            shown["alignment"] = self.alignment.to_json()
            shown["unsure"] = [link.to_json() for link in self.alignment.unsure()]
        if self.awaiting:
            shown["awaiting_translation"] = {lang: list(ids) for lang, ids in self.awaiting.items()}
        shown["warnings"] = [{"line": w.line, "message": w.message} for w in self.warnings]
        shown["converted"] = [c.to_json() for c in self.converted]
        shown["style_warnings"] = [p.to_json() for p in self.style_warnings]
        return shown


def revision_tag(slug: str, number: int) -> str:
    """The tag of a document's revision N: `rev/<slug>/<N>`."""
    return f"rev/{slug}/{number}"


def _day(date: str | None) -> str:
    return commit_day() if date is None else iso_day(date)


def _next_revision(repo: Repository, symbol: str) -> tuple[DocumentEntry, int, str]:
    """The document a `BASE/Rev.N` symbol revises, N, and the full symbol; refused unless N is the next."""
    parsed = parse_symbol(symbol)
    if parsed.revision < 1:
        raise UsageError(f"{symbol} names no revision", hint=f"write {parsed.with_revision(1)} for the first revision")
    try:
        entry = repo.document(str(parsed.base()))
    except UsageError:
        raise UsageError(f"{parsed.base()} is not in the register, so {symbol} cannot be its revision",
                         hint=f"import the original first: `cicatext import FILE --symbol {parsed.base()} "
                              "--title ...`") from None
    wanted = entry.revision + 1
    recorded = {str(item.get("symbol")) for item in entry.record.get("revisions") or [] if isinstance(item, dict)}
    if str(parsed) in recorded or parsed.revision != wanted:
        raise UsageError(f"{parsed} is not the next revision of {parsed.base()}: the register holds "
                         f"{entry.current_symbol}, so the next is {parsed.base().with_revision(wanted)}",
                         hint=f"import it as {parsed.base().with_revision(wanted)}")
    return entry, wanted, str(parsed)


def used_ids(repo: Repository, path: str) -> set[str]:
    """Every paragraph id that ever stood in a text file, in any commit of its history or in the working tree."""
    process = repo.run_git("log", "--all", "--format=%H", "--", path, check=False)
    commits = process.stdout.split() if process.returncode == 0 else []
    found: set[str] = set()
    for text in read_texts(repo.root, [f"{commit}:{path}" for commit in commits]):
        if text is not None:
            found.update(_MARKER.findall(text))
    current = repo.root / path
    if current.is_file():
        found.update(_MARKER.findall(current.read_text(encoding="utf-8")))
    return found


def import_revision(repo: Repository, text: str, *, symbol: str, language: str = "en", date: str | None = None,
                    source: str = "<input>", force: bool = False,
                    author: tuple[str, str] | None = None, style: str | None = None) -> RevisionResult:
    """Import a revised text as the next revision of a document in the register (see the module's description)."""
    from cicatext.store.negotiation.checks import require_repository_state
    from cicatext.store.negotiation.languages_apply import follow_change
    from cicatext.store.validation.known import record_problems

    entry, number, full_symbol = _next_revision(repo, symbol)
    day = _day(date)
    if language not in entry.languages:
        raise UsageError(f"{entry.symbol} is not kept in {language!r}", hint=f"its languages: {', '.join(entry.languages)}")
    text_path = entry.text_path(language)
    paragraphs, warnings = split_paragraphs(text)
    if not paragraphs:
        raise UsageError(f"{source} holds no paragraphs", hint="give a text with paragraphs separated by blank lines")
    written_ids = bool(_MARKER.match(text.lstrip()))
    conversion = read_received(repo, render_with_ids(paragraphs), style, file=source)
    if conversion.converted:
        paragraphs = [ImportedParagraph(p.id, render(p.content)) for p in read(conversion.text).draft.paragraphs]
    tag = revision_tag(entry.slug, number)
    if repo.resolve(f"refs/tags/{tag}") is not None:
        raise RepositoryError(f"tag {tag} already exists", hint="the register and the tags disagree: `git pull` first")

    made: dict = {}

    def build() -> dict[str, str]:
        # Under the write lock: the text, the record and the checks of git's state as they stand now.
        require_repository_state(repo)
        if text_path in repo.dirty_paths() or entry.record_path in repo.dirty_paths():
            raise RepositoryError(f"{document_folder(entry.slug)}/ has uncommitted changes",
                                  hint="commit or stash them first")
        current = read(repo.read_text(text_path)).draft
        imported = render_with_ids(paragraphs)
        alignment = align(current, read(imported).draft, trust_ids=written_ids)
        share = alignment.carried_share()
        if share < LEAST_CARRIED and not force:
            raise CicatextError(
                f"{source} does not read as a revision of {entry.current_symbol}: only {share:.0%} of its "
                f"{len(current.paragraphs)} paragraphs were found again",
                hint=f"check the file and the symbol; `--force` imports it as {full_symbol} all the same")
        renamed = carried_ids(alignment, used_ids(repo, text_path), number)
        new_text = render_with_ids([ImportedParagraph(renamed[p.id], p.text) for p in paragraphs])
        record = yamlio.load_roundtrip(repo.read_text(entry.record_path), file=entry.record_path, bounds=repo.limits)
        revision: dict = {"rev": number, "symbol": full_symbol, "date": day, "imported": _file_name(source)}
        # The text as circulated, notation problems and all: they are recorded as the revision's known problems.
        known, problems = record_problems(new_text, repo.codes, text_path, language, repo.limits.problems_per_file,
                                          repo.limits.bracket_depth)
        made["problems"] = problems
        if known:
            revision["known_problems"] = known
        summary = _summary(alignment, renamed)
        if summary:
            revision["alignment"] = summary
        record.setdefault("revisions", []).append(revision)
        record["date"] = day
        changes = {text_path: new_text}
        made["awaiting"] = follow_change(repo, entry, language, current, read(new_text).draft,
                                           record, changes)
        changes[entry.record_path] = yamlio.dump(record)
        made["alignment"] = Alignment(tuple(
            replace(link, new=renamed.get(link.new, link.new) if link.new else None,
                    merged_into=renamed.get(link.merged_into, link.merged_into) if link.merged_into else None)
            for link in alignment.links))
        made["message"] = (f"Revision {number} of {entry.symbol}: {full_symbol} of {day}, imported from "
                           f"{_file_name(source)}\n\n{_counts_line(alignment)}\n\n{REVISION_TRAILER}: {number}\n")
        return changes

    commit = repo.update(build, f"Revision {number} of {entry.symbol}", author=author, message_from=made)
    _tag(repo, tag, commit, made["message"])
    alignment, awaiting = made["alignment"], made["awaiting"]
    warnings = [*warnings, *(ImportWarning(p.line or 0, f"{p.message} (kept as a known problem of {full_symbol})")
                             for p in made["problems"])]
    return RevisionResult(full_symbol, entry.slug, number, tag, commit, alignment, tuple(warnings), awaiting,
                          conversion.converted, conversion.warnings)


def revise(repo: Repository, symbol: str, *, date: str | None = None,
           author: tuple[str, str] | None = None) -> RevisionResult:
    """Issue the next revision of a document "as amended": its text changed since its last revision."""
    from cicatext.store.negotiation.checks import require_repository_state

    entry = repo.document(symbol)
    if entry.revision < 0:
        raise UsageError(f"{symbol} has no revision to follow")
    day = _day(date)
    number = entry.revision + 1
    full_symbol = str(parse_symbol(entry.symbol).with_revision(number))
    tag = revision_tag(entry.slug, number)
    message = (f"Revision {number} of {entry.symbol}: {full_symbol} of {day}, {entry.current_symbol} as amended"
               f"\n\n{REVISION_TRAILER}: {number}\n")

    def build() -> dict[str, str]:
        require_repository_state(repo)
        if any(entry.text_path(lang) in repo.dirty_paths() for lang in entry.languages):
            raise RepositoryError(f"{document_folder(entry.slug)}/ has uncommitted changes",
                                  hint="commit or stash them first")
        since = last_revision_commit(repo, entry)
        if since is not None and not amended_since(repo, entry, since):
            raise UsageError(f"{entry.current_symbol} has not changed since it was issued",
                             hint="agree or drop brackets first; a revision is a new text")
        record = yamlio.load_roundtrip(repo.read_text(entry.record_path), file=entry.record_path, bounds=repo.limits)
        record.setdefault("revisions", []).append({"rev": number, "symbol": full_symbol, "date": day,
                                                   "note": f"{entry.current_symbol} as amended"})
        record["date"] = day
        return {entry.record_path: yamlio.dump(record)}

    commit = repo.update(build, message, author=author)
    _tag(repo, tag, commit, message)
    return RevisionResult(full_symbol, entry.slug, number, tag, commit, None)


def last_revision_commit(repo: Repository, entry: DocumentEntry) -> str | None:
    """The commit that issued the document's current revision (its round or revision tag), None when none did."""
    revisions = [item for item in entry.record.get("revisions") or [] if isinstance(item, dict)]
    current = next((item for item in reversed(revisions) if item.get("rev") == entry.revision), None)
    for tag in (current or {}).get("round"), revision_tag(entry.slug, entry.revision):
        if tag:
            found = repo.resolve(f"refs/tags/{tag}")
            if found is not None:
                return found
    # No tag: the revision is the text as it was first committed (an imported original).
    process = repo.run_git("log", "--diff-filter=A", "--format=%H", "--", entry.text_path(entry.languages[0]),
                           check=False)
    added = process.stdout.split() if process.returncode == 0 else []
    return added[-1] if added else None


def amended_since(repo: Repository, entry: DocumentEntry, commit: str) -> bool:
    """Whether any of the document's texts differs from what it was at `commit`."""
    paths = [entry.text_path(lang) for lang in entry.languages]
    process = repo.run_git("diff", "--quiet", commit, "--", *paths, check=False)
    return process.returncode != 0


def _tag(repo: Repository, tag: str, commit: str, message: str) -> None:
    """An annotated tag at the revision's commit, signed when git signs commits here."""
    from cicatext.store.negotiation.rounds import signs_commits

    repo.run_git("tag", "-a", *(["-s"] if signs_commits(repo) else []), "-m", message, tag, commit)


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def _summary(alignment: Alignment, renamed: dict[str, str]) -> dict:
    summary: dict = {}
    removed = [link.old for link in alignment.links if link.kind == "removed"]
    if removed:
        summary["removed"] = removed
    split = {renamed[link.new]: link.split_from for link in alignment.links if link.kind == "split"}
    if split:
        summary["split"] = split
    merged = {link.old: renamed.get(link.merged_into, link.merged_into) for link in alignment.links
              if link.kind == "merged"}
    if merged:
        summary["merged"] = merged
    new = [renamed[link.new] for link in alignment.links if link.kind == "new"]
    if new:
        summary["new"] = new
    return summary


def _counts_line(alignment: Alignment) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in alignment.counts().items() if count)
