"""What the room decided on a bracket: agreeing it (its text kept) or dropping it (with its text), committed on main."""

from __future__ import annotations

from cicatext.errors import NotationError, RepositoryError, UsageError
from cicatext.notation.paragraph_text import normalise
from cicatext.store.negotiation.branches import current_delegation
from cicatext.store.negotiation.checks import read_draft, require_repository_state
from cicatext.store.negotiation.refs import MAIN
from cicatext.store.register.texts import text_at
from cicatext.store.repository import DocumentEntry, Repository


def _bracket_operation(repo: Repository, symbol: str, bracket_id: str, language: str, verb: str) -> str:
    if current_delegation(repo) is not None:
        raise UsageError(f"the secretariat records what the room {verb}d on {MAIN}, not on a delegation branch",
                         hint=f"`git switch {MAIN}` first")
    entry = repo.document(symbol)
    text_path = entry.text_path(language)
    # The message is made from a first reading; the change itself is made from the text as it stands
    # under the write lock, so a concurrent agree or drop is never overwritten. The checks of git's
    # state run under the lock too: a concurrent cicatext commit holds git's index lock for a moment.
    message, _ = _bracket_change(repo, entry, text_path, bracket_id, verb)

    def build() -> dict[str, str]:
        require_repository_state(repo)
        if text_path in repo.dirty_paths():
            raise RepositoryError(f"{text_path} has uncommitted changes", hint="commit or stash them first")
        again, changed = _bracket_change(repo, entry, text_path, bracket_id, verb)
        if again != message:
            raise RepositoryError(f"bracket {bracket_id} of {entry.current_symbol} changed while {verb} ran",
                                  hint="look at the text again and rerun the command")
        return {text_path: changed}

    return repo.update(build, message)


def _bracket_change(repo: Repository, entry: DocumentEntry, text_path: str, bracket_id: str,
                    verb: str) -> tuple[str, str]:
    """(commit message, new text) for agreeing or dropping one bracket of the text as it is on disk now."""
    from cicatext.notation import operations
    from cicatext.notation.render import render
    from cicatext.notation.views import find_bracket

    draft = read_draft(text_at(repo, text_path), file=text_path)
    try:
        _, bracket = find_bracket(draft, bracket_id)
    except NotationError as error:
        raise UsageError(f"{entry.current_symbol} has {error.message}", hint=error.hint) from None
    changed = operations.agree(draft, bracket_id) if verb == "agree" else operations.drop(draft, bracket_id)
    body = normalise(render(bracket.body))
    shown = body if len(body) <= 72 else body[:71] + "…"
    attributions = " ".join(a.canonical() for a in bracket.attributions)
    past = "Agree" if verb == "agree" else "Drop"
    message = f"{past} {bracket_id} in {entry.current_symbol}\n\n[{shown}] {attributions}".rstrip() + "\n"
    return message, render(changed)


def agree_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en") -> str:
    """Lift a bracket (keep its text) and commit; returns the commit id."""
    return _bracket_operation(repo, symbol, bracket_id, language, "agree")


def drop_bracket(repo: Repository, symbol: str, bracket_id: str, *, language: str = "en") -> str:
    """Remove a bracket with its text and commit; returns the commit id."""
    return _bracket_operation(repo, symbol, bracket_id, language, "drop")
