"""The bracket diff of the documents between two refs (rounds, branches, commits or the working tree).

Both sides' texts and records are read with one `git cat-file --batch`, and
the modules that compare texts are imported while git reads; a document
whose text did not change is left out, and each changed one is compared
paragraph by paragraph by `cicatext.notation.bracket_diff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.collector import paused
from cicatext.errors import CicatextError, UsageError
from cicatext.store import yamlio
from cicatext.store.files import decoded
from cicatext.store.layout import (
    DOCUMENTS_DIR,
    document_folder,
    document_record_path,
    document_text_path,
)
from cicatext.store.negotiation.refs import (
    WORKTREE,
    cat_files,
    resolve,
    resolve_both,
    slug_of,
    start_cat_files,
)
from cicatext.store.repository import Repository

if TYPE_CHECKING:
    from cicatext.notation.bracket_diff import ParagraphDiff


@dataclass(frozen=True)
class DocumentDiff:
    """The bracket diff of one document between two refs."""

    symbol: str
    slug: str
    paragraphs: list[ParagraphDiff]

    def to_json(self) -> dict:
        """The diff as a plain dict."""
        return {"document": self.symbol, "slug": self.slug, "paragraphs": [p.to_json() for p in self.paragraphs]}


def _documents_at(repo: Repository, ref: str | None, language: str, slug: str | None = None) -> dict[str, str]:
    """slug → text path of the documents (or the one) with a text in `language` at a commit (None: the working tree)."""
    if ref is None:
        if slug is not None:
            path = document_text_path(slug, language)
            return {slug: path} if repo.path(path).exists() else {}
        return {e.slug: e.text_path(language) for e in repo.documents() if repo.path(e.text_path(language)).exists()}
    folder = f"{document_folder(slug)}/" if slug is not None else f"{DOCUMENTS_DIR}/"
    listing = repo.run_git("ls-tree", "-r", "--name-only", ref, "--", folder).stdout.splitlines()
    found = {}
    for path in listing:
        parts = path.split("/")
        if len(parts) == 3 and path == document_text_path(parts[1], language):
            found[parts[1]] = path
    return found


def diff_refs(repo: Repository, ref_a: str, ref_b: str, symbol: str | None = None, *,
              language: str = "en") -> list[DocumentDiff]:
    """The bracket diff of each document (or one) from ref_a to ref_b; `WORKTREE` names the working tree."""
    only, unknown = slug_of(repo, symbol) if symbol is not None else (None, None)
    checked = only is not None and WORKTREE not in (ref_a, ref_b)
    if checked:
        # One document at two commits: its paths are known, and the one cat-file that reads its texts also
        # tells that both revisions name commits where it finds something there (see `_check`).
        commit_a, commit_b = f"{ref_a}^{{commit}}", f"{ref_b}^{{commit}}"
        docs_a = docs_b = {only: document_text_path(only, language)}
    else:
        commit_a, commit_b = resolve_both(repo, ref_a, ref_b)
        docs_a = _documents_at(repo, commit_a, language, only)
        docs_b = _documents_at(repo, commit_b, language, only)
    slugs = sorted(set(docs_a) | set(docs_b))
    texts: dict[tuple[str, str], str | None] = {}
    records: dict[tuple[str, str], bytes | Path | None] = {}
    # (side, slug), the text's path, the revision as given, its commit
    at_commits: list[tuple[tuple[str, str], str, str, str]] = []
    for side, ref, commit, docs in (("a", ref_a, commit_a, docs_a), ("b", ref_b, commit_b, docs_b)):
        for slug in (s for s in slugs if s in docs):
            if commit is None:
                from cicatext.store.register.texts import text_at

                texts[(side, slug)] = text_at(repo, docs[slug])
                records[(side, slug)] = repo.path(document_record_path(slug))
            else:
                at_commits.append(((side, slug), docs[slug], ref, commit))
    # Both sides' texts and the later side's records from one cat-file; an earlier side's record is read only for
    # a document that changed and whose later record gives no symbol.
    specs = [spec for (side, slug), path, _, commit in at_commits
             for spec in ((f"{commit}:{path}", f"{commit}:{document_record_path(slug)}") if side == "b"
                          else (f"{commit}:{path}",))]
    reading = start_cat_files(repo, specs)
    if specs:
        # While git reads (another process, on another core where there is one), not after.
        _load_comparison()
    found = iter(reading())
    blobs: dict[tuple[str, str], bytes | None] = {}
    earlier: dict[str, str] = {}  # slug → the spec of its record on the earlier side, still to be read if needed
    for key, _, _, commit in at_commits:
        blobs[key] = _blob(next(found))
        if key[0] == "b":
            records[key] = _blob(next(found))
        else:
            earlier[key[1]] = f"{commit}:{document_record_path(key[1])}"
    if checked:
        _check(repo, ref_a, ref_b, blobs[("a", only)] is not None,
               blobs[("b", only)] is not None or records[("b", only)] is not None)
    for key, path, ref, _ in at_commits:
        texts[key] = decoded(blobs[key], path, ref) if blobs[key] is not None else None
    if only is not None and texts.get(("a", only)) is None and texts.get(("b", only)) is None:
        hint = None
        if unknown is not None:
            nearest = unknown.problem.hint or "`cicatext search SYMBOL` finds documents by symbol"
            hint = f"it is not in the register now either; {nearest}"
        raise UsageError(f"{symbol} has no {language} text at {ref_a} or {ref_b}", hint=hint)
    # The diff makes many small objects that all live until it returns: the collector, paused meanwhile, would
    # only walk them again and again (about a tenth of the diff of a large document).
    with paused():
        changed = _diffs(slugs, texts)
    # The symbol each changed document's later record gives, else its earlier one's (read now, all at once).
    symbols = {slug: _record_symbol(records.get(("b", slug))) for slug, _ in changed}
    wanted = [slug for slug, _ in changed if symbols[slug] is None and slug in earlier]
    read_now = cat_files(repo, [earlier[slug] for slug in wanted])
    records.update((("a", slug), _blob(item)) for slug, item in zip(wanted, read_now))
    return [DocumentDiff(symbols[slug] or _record_symbol(records.get(("a", slug))) or slug, slug, paragraphs)
            for slug, paragraphs in changed]


def _blob(item: tuple[str, bytes] | None) -> bytes | None:
    """The content of a file as `cat_files` gives it; None where there is none."""
    return item[1] if item and item[0] == "blob" else None


def _check(repo: Repository, ref_a: str, ref_b: str, found_a: bool, found_b: bool) -> None:
    """Raise naming the first of the two revisions that names no commit; one where a file was found at
    `REV^{commit}:PATH` does."""
    for ref, found in ((ref_a, found_a), (ref_b, found_b)):
        if not found:
            resolve(repo, ref)  # raises, naming the revision git does not know


_COMPARISON = ("cicatext.notation.reader", "cicatext.notation.bracket_diff", "cicatext.notation.paired_diff",
               "cicatext.notation.alignment", "rapidfuzz")
"""The modules comparing texts imports when first used: tens of milliseconds."""


def _load_comparison() -> None:
    """Import the modules comparing texts takes (`_COMPARISON`)."""
    from importlib import import_module

    for name in _COMPARISON:
        import_module(name)


def _diffs(slugs: list[str], texts: dict[tuple[str, str], str | None]) -> list[tuple[str, list[ParagraphDiff]]]:
    """The paragraphs' diff of each document whose text differs between the two sides."""
    from cicatext.notation.bracket_diff import diff_drafts
    from cicatext.notation.reader import read

    result = []
    empty = read("").draft
    for slug in slugs:
        old_text, new_text = texts.get(("a", slug)), texts.get(("b", slug))
        if old_text == new_text:
            continue
        old = read(old_text).draft if old_text is not None else empty
        new = read(new_text).draft if new_text is not None else empty
        paragraphs = diff_drafts(old, new, texts=(old_text or "", new_text or ""))
        if paragraphs:
            result.append((slug, paragraphs))
    return result


def _record_symbol(record: bytes | Path | None) -> str | None:
    """The symbol a document record (its bytes, or its file) gives, if it is readable and gives one."""
    if record is None:
        return None
    try:
        loaded = _safe_load(record) if isinstance(record, Path) else yamlio.load_record(record.decode("utf-8"))
    except (CicatextError, UnicodeDecodeError):
        return None
    return str(loaded["symbol"]) if isinstance(loaded, dict) and loaded.get("symbol") else None


def _safe_load(path: Path):
    try:
        from cicatext.store.files import read_text

        return yamlio.load(read_text(path))
    except (OSError, CicatextError):
        return None
