"""Proposing: a delegation's edit of a document's text turned into entries of its position set, and committed.

A delegation's position set on a document lives in
`positions/CODE/<slug>.yaml` on its branch; `propose` reads the edit against
the text as committed there, adds the entries, restores the text and commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from cicatext.errors import CicatextError, Problem, RecordError, UsageError
from cicatext.notation.edits import entries_from_edit
from cicatext.notation.position_sets import Entry, PositionSet, check_entries
from cicatext.store import yamlio
from cicatext.store.layout import position_set_path
from cicatext.store.limits import DEFAULT, Limits
from cicatext.store.negotiation.branches import require_delegation
from cicatext.store.negotiation.checks import read_draft, require_repository_state
from cicatext.store.negotiation.refs import MAIN
from cicatext.store.register.texts import text_at
from cicatext.store.repository import DocumentEntry, Repository


@dataclass(frozen=True)
class ProposeResult:
    """What `propose` turned the edit into."""

    delegation: str
    symbol: str
    path: str
    """The position set written."""
    entries: tuple[Entry, ...]
    """The entries added."""
    commit: str
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The result as a plain dict."""
        return {"delegation": self.delegation, "document": self.symbol, "position_set": self.path,
                "commit": self.commit, "entries": [e.to_record() for e in self.entries],
                "warnings": list(self.warnings)}


def load_position_set(text: str, *, file: str, bounds: Limits = DEFAULT) -> PositionSet:
    """A position set from its YAML text, read under the repository's limits; RecordError with the file when it is
    not one."""
    return PositionSet.from_record(yamlio.load(text, file=file, bounds=bounds), file=file)


def propose(repo: Repository, symbol: str, *, language: str = "en",
            justification: str | Mapping[str, str] | None = None, message: str | None = None,
            edited: str | None = None, source: str | None = None) -> ProposeResult:
    """Turn the delegation's edit of a document's text into entries of its position set, restore the text, commit.

    The edit is read against the text as committed on the delegation's branch
    (main's text when the branch was started or brought up to date). `edited`
    gives the edited text instead of the working tree's (a Word file read
    into it, named by `source`); the working tree's text must then be as committed.
    """
    code = require_delegation(repo)
    entry = repo.document(symbol)
    text_path = entry.text_path(language)
    positions = position_set_path(code, entry.slug)
    require_repository_state(repo)
    committed = text_at(repo, text_path, "HEAD", required=False)
    if committed is None:
        raise UsageError(f"{entry.symbol} has no {language} text on this branch ({text_path})",
                         hint=f"the document's languages are {', '.join(entry.languages) or 'none'}")
    working = text_at(repo, text_path)
    if edited is None:
        edited = working
    elif working != committed:
        raise UsageError(f"{text_path} has an edit of yours in progress; propose it first, or restore it, before "
                         f"proposing from {source or 'another text'}", hint=f"git checkout -- {text_path}")
    old = read_draft(committed, file=text_path, record=entry.record, language=language)
    new = read_draft(edited, codes=repo.codes, file=text_path, record=entry.record, language=language)
    existing_text = text_at(repo, positions, required=False)
    if existing_text is not None:
        position_set = load_position_set(existing_text, file=positions, bounds=repo.limits)
        if position_set.delegation != code:
            raise RecordError(f"{positions} names delegation {position_set.delegation}, not {code}",
                              file=positions, hint=f"a delegation writes only its own positions ({code})")
    else:
        position_set = PositionSet(code, entry.symbol)
    reading = entries_from_edit(old, new, code, first_id=position_set.next_id(),
                                justification=justification if isinstance(justification, str) else None)
    if reading.problems:
        first = reading.problems[0]
        raise UsageError(first.message, hint=first.hint, problems=tuple(
            Problem(p.message, file=text_path, hint=p.hint) for p in reading.problems))
    if isinstance(justification, Mapping):
        reading = replace(reading, entries=_justified(reading.entries, justification))
    committed_positions = text_at(repo, positions, "HEAD", required=False)
    if not reading.entries and existing_text == committed_positions:
        if source is not None:
            raise UsageError(f"nothing to propose: {source} asks nothing of {code} that is not already in "
                             f"{text_path}", hint="track your changes in Word (Review > Track Changes), or comment "
                                                  "on the text, then run propose --from again")
        raise UsageError(f"nothing to propose: {text_path} is as committed",
                         hint="edit the text in your editor, then run propose again")
    based_on = _current_revision_at(repo, "HEAD", entry)
    updated = PositionSet(code, entry.symbol, position_set.entries + reading.entries,
                          based_on=based_on or position_set.based_on)
    problems = check_entries(old, PositionSet(code, entry.symbol, reading.entries), file=positions)
    if problems:
        raise RecordError(problems[0].message, file=positions, hint=problems[0].hint, problems=tuple(problems))
    from cicatext.store.trust.attribution_guard import refuse
    refuse(positions, yamlio.dump(updated.to_record()), code)  # no words in another's mouth
    summary = message or _propose_message(code, entry.symbol, reading.entries)
    # The edited text stays in place until the commit has succeeded; Repository.commit takes the write lock.
    commit = repo.commit({positions: yamlio.dump(updated.to_record())}, summary)
    if edited != committed and working != committed:
        from cicatext.store.files import write_atomic

        write_atomic(repo.path(text_path), committed)
    warnings = []
    main_text = text_at(repo, text_path, MAIN, required=False)
    if main_text is not None and main_text != committed:
        warnings.append(f"{MAIN} has a newer text of {entry.symbol}; run `cicatext delegation start {code}` "
                        "to bring your branch up to date before the next proposal")
    return ProposeResult(code, entry.symbol, positions, reading.entries, commit, tuple(warnings))


def _justified(entries: Sequence[Entry], justifications: Mapping[str, str]) -> tuple[Entry, ...]:
    """Each entry with the justification given for its paragraph (`op4`), or for every paragraph (key "")."""
    paragraphs = {entry.paragraph for entry in entries}
    unknown = sorted(key for key in justifications if key and key not in paragraphs)
    if unknown:
        raise UsageError(f"a justification is given for {', '.join(unknown)}, but the edit proposes nothing there",
                         hint=f"the paragraphs of this proposal: {', '.join(sorted(paragraphs)) or 'none'}")
    default = justifications.get("")
    return tuple(replace(entry, justification=justifications.get(entry.paragraph, default)) for entry in entries)


def _propose_message(code: str, symbol: str, entries: Sequence[Entry]) -> str:
    if not entries:
        return f"{code} on {symbol}: update the position set"
    lines = [f"{code} proposes on {symbol}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}", ""]
    lines.extend(f"- {e.describe()}" for e in entries)
    return "\n".join(lines)


def _current_revision_at(repo: Repository, ref: str, entry: DocumentEntry) -> str | None:
    record_text = text_at(repo, entry.record_path, ref, required=False)
    if record_text is None:
        return None
    try:
        return DocumentEntry(entry.slug, yamlio.load(record_text, file=entry.record_path, bounds=repo.limits)).current_symbol
    except CicatextError:
        return None
