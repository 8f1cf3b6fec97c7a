"""What the room decided on a bracket: agreeing it (its text kept) or dropping it (with its text), committed on main.

A bracket is named by its id (`cicatext.notation.bracket_ids`), which keeps
naming the same bracket while others are agreed or dropped. Each decision's
commit records the bracket's whole id in a trailer (`Cicatext-Bracket:`), so
that an id whose bracket is gone is told apart: agreed or dropped already (in
which commit), or never there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cicatext.errors import CicatextError, NotationError, RepositoryError, UsageError
from cicatext.notation.paragraph_text import normalise, shortened
from cicatext.store.layout import text_language
from cicatext.store.negotiation.branches import current_delegation
from cicatext.store.negotiation.checks import read_draft, require_repository_state
from cicatext.store.negotiation.refs import MAIN
from cicatext.store.register.texts import text_at
from cicatext.store.repository import DocumentEntry, Repository

DECISION_TRAILER = "Cicatext-Decision"
BRACKET_TRAILER = "Cicatext-Bracket"


@dataclass(frozen=True)
class Decision:
    """One agree or drop, committed: which bracket, what it said, who had said what of it."""

    action: str
    """`agree` or `drop`."""
    symbol: str
    """The document's current symbol."""
    id: str
    """The bracket's id as listed when it was acted on (with more letters if an earlier decision shared them)."""
    full_id: str
    """The bracket's id with its whole code, as the commit records it."""
    text: str
    """The bracket's text as written, white space made single."""
    attributions: tuple[str, ...]
    """Its attributions, `(+IRAN)`, `(-CHN)`, `(AZER tcb)`."""
    commit: str
    """The commit made."""
    language: str
    """The language of the text changed."""
    awaiting: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Paragraphs of other languages that the change could not be carried to: language → paragraph ids."""

    def to_json(self) -> dict:
        """The decision as plain data for `--json`."""
        shown = {"action": self.action, "id": self.id, "full_id": self.full_id, "text": self.text,
                 "attributions": list(self.attributions), "commit": self.commit, "symbol": self.symbol,
                 "language": self.language}
        if self.awaiting:
            shown["awaiting_translation"] = {lang: list(ids) for lang, ids in self.awaiting.items()}
        return shown

    def describe(self) -> str:
        """`Agreed pp9:kqtb in MC/2023/DRAFT/5: [text] (+IRAN)`."""
        past = "Agreed" if self.action == "agree" else "Dropped"
        shown = self.text if len(self.text) <= 200 else self.text[:199] + "…"
        said = " ".join(self.attributions)
        return f"{past} {self.id} in {self.symbol}: [{shown}]" + (f" {said}" if said else "")


def _bracket_operation(repo: Repository, symbol: str, bracket_id: str, language: str, verb: str,
                       expect: str | None) -> Decision:
    if current_delegation(repo) is not None:
        past = "agreed" if verb == "agree" else "dropped"
        raise UsageError(f"the secretariat records what the room {past} on {MAIN}, not on a delegation branch",
                         hint=f"`git switch {MAIN}` first")
    entry = repo.document(symbol)
    text_path = entry.text_path(language)
    # The message is made from a first reading; the change itself is made from the text as it stands
    # under the write lock, so a concurrent agree or drop is never overwritten. The checks of git's
    # state run under the lock too: a concurrent cicatext commit holds git's index lock for a moment.
    message, _, found = _bracket_change(repo, entry, text_path, bracket_id, verb, expect)
    awaiting: dict[str, tuple[str, ...]] = {}

    def build() -> dict[str, str]:
        require_repository_state(repo)
        if text_path in repo.dirty_paths():
            raise RepositoryError(f"{text_path} has uncommitted changes", hint="commit or stash them first")
        again, changed, _ = _bracket_change(repo, entry, text_path, bracket_id, verb, expect)
        if again != message:
            raise RepositoryError(f"bracket {bracket_id} of {entry.current_symbol} changed while {verb} ran",
                                  hint="look at the text again and rerun the command")
        changes = {text_path: changed}
        awaiting.update(follow_in_other_languages(repo, entry, language, repo.read_text(text_path), changed, changes))
        return changes

    commit = repo.update(build, message)
    shown, full_id, text, attributions = found
    return Decision(verb, entry.current_symbol, shown, full_id, text, attributions, commit, language, awaiting)


def follow_in_other_languages(repo: Repository, entry: DocumentEntry, language: str, before: str, after: str,
                              changes: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Carry a change of one language's text to the document's other languages (into `changes`, the record
    included when what awaits translation changed); returns what newly awaits translation."""
    if len(entry.languages) < 2:
        return {}
    from cicatext.notation.reader import read
    from cicatext.store import yamlio
    from cicatext.store.negotiation.languages_apply import follow_change

    written = repo.read_text(entry.record_path)
    record = yamlio.load_roundtrip(written, file=entry.record_path, bounds=repo.limits)
    marked = follow_change(repo, entry, language, read(before).draft, read(after).draft, record, changes)
    dumped = yamlio.dump(record)
    if dumped != written:
        changes[entry.record_path] = dumped
    return marked


def _bracket_change(repo: Repository, entry: DocumentEntry, text_path: str, bracket_id: str, verb: str,
                    expect: str | None) -> tuple[str, str, tuple[str, str, str, tuple[str, ...]]]:
    """(commit message, new text, (id shown, full id, text, attributions)) for agreeing or dropping one bracket
    of the text as it is on disk now."""
    from cicatext.notation import operations
    from cicatext.notation.bracket_ids import split_id, words
    from cicatext.notation.render import render
    from cicatext.notation.views import bracket_list, lookup

    draft = read_draft(text_at(repo, text_path), file=text_path, record=entry.record, language=text_language(text_path))
    try:
        named = lookup(draft, bracket_id)
    except NotationError as error:
        if error.message.startswith(("no bracket", "no paragraph")) and (parsed := split_id(bracket_id)):
            _refuse_decided(entry, bracket_id, _decided(repo, text_path, *parsed), "was already")
        said = f" has {error.message}" if error.message.startswith("no ") else f": {error.message}"
        raise CicatextError(f"{entry.current_symbol}{said}", hint=error.hint) from None
    info = next(i for i in bracket_list(draft) if i.full_id == named.full)
    # A prefix may also fit a bracket agreed or dropped before one with the same words came: it names neither.
    paragraph_id, prefix = split_id(bracket_id)
    others = [d for d in _decided(repo, text_path, paragraph_id, "") if d[3] != named.code]
    shown = info.id
    while any(code.startswith(named.full[len(paragraph_id) + 1:len(shown)]) for *_, code, _ in others):
        shown = named.full[:len(shown) + 1]
    if earlier := [d for d in others if d[3].startswith(prefix)]:
        _refuse_decided(entry, bracket_id, earlier, f"names [{shortened(info.text)}] ({shown}) and a bracket",
                        hint=f"nothing was changed; to {verb} the bracket there is now, give {shown}")
    body = normalise(info.text)
    if expect is not None and normalise(expect) not in (body, normalise(words(named.bracket))):
        raise CicatextError(f"bracket {bracket_id} of {entry.current_symbol} reads [{body}], not [{normalise(expect)}]",
                            hint="nothing was changed; check the id with `cicatext brackets`")
    try:
        changed = operations.agree(draft, bracket_id) if verb == "agree" else operations.drop(draft, bracket_id)
    except NotationError as error:
        raise CicatextError(f"{entry.current_symbol}: {error.message}", hint=error.hint) from None
    attributions = tuple(a.canonical() for a in info.attributions)
    past = "Agree" if verb == "agree" else "Drop"
    message = (f"{past} {shown} in {entry.current_symbol}\n\n[{shortened(body, 72)}] {' '.join(attributions)}".rstrip()
               + f"\n\n{DECISION_TRAILER}: {verb}\n{BRACKET_TRAILER}: {named.full}\n")
    return message, render(changed), (shown, named.full, body, attributions)


def _decided(repo: Repository, text_path: str, paragraph_id: str, prefix: str) -> list[tuple[str, str, str, str, str]]:
    """(commit, date, action, code, `[text] (attributions)`) of each agree or drop on main's first-parent line,
    newest first, whose recorded bracket is in this paragraph with a code starting with `prefix`; only from the
    commits whose trailers are believed (`cicatext.store.trust.believed`)."""
    from cicatext.store.trust.believed import believed_commits

    found = []
    for item in believed_commits(repo.root, MAIN, grep=f"{DECISION_TRAILER}: ", paths=[text_path]):
        pid, _, code = item.value(BRACKET_TRAILER).rpartition(":")
        done = item.value(DECISION_TRAILER)
        if done and pid == paragraph_id and code.startswith(prefix):
            said = next((line for line in item.message.splitlines()[1:] if line.startswith("[")), "")
            found.append((item.commit, item.date[:10], done, code, said))
    return found


def _refuse_decided(entry: DocumentEntry, bracket_id: str, decided: list, what: str,
                    hint: str = "nothing was changed; `cicatext brackets` lists the brackets there are now") -> None:
    """Raise the refusal of an id that names a bracket (the newest of `decided`) agreed or dropped already."""
    if not decided:
        return
    commit, day, done, _, said = decided[0]
    past = "agreed" if done == "agree" else "dropped"
    raise CicatextError(f"bracket {bracket_id} of {entry.current_symbol} {what} {past} in commit {commit[:10]} "
                        f"on {day}" + (f": {said}" if said else ""), hint=hint)


def agree_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en",
                  expect: str | None = None) -> Decision:
    """Lift a bracket (keep its text) and commit."""
    return _bracket_operation(repo, symbol, bracket_id, language, "agree", expect)


def drop_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en",
                 expect: str | None = None) -> Decision:
    """Remove a bracket with its text and commit."""
    return _bracket_operation(repo, symbol, bracket_id, language, "drop", expect)
