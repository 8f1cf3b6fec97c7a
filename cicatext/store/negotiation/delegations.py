"""One delegation's part in every document: the brackets carrying its attributions, and its position sets.

The Delegations screen and `cicatext delegation show` show these; they are
gathered from the catalogue's paragraphs (the repository's default language),
so they stay quick on a large repository. An attribution to a group (`G77`) is
the group's; with `expand_groups` it is also listed under each of the group's
member states, marked as coming through the group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cicatext.errors import CicatextError
from cicatext.notation.bracket_ids import paragraph_codes, shown_ids
from cicatext.notation.reader import read
from cicatext.notation.render import render
from cicatext.notation.tree import Stance
from cicatext.records.parties import Parties
from cicatext.store.layout import POSITIONS_DIR, delegation_folder
from cicatext.store.register.catalogue import (
    DocumentSummary,
    default_language,
    iter_paragraphs,
    load_catalogue,
)
from cicatext.store.repository import Repository


@dataclass(frozen=True)
class DelegationBracket:
    """One bracket carrying a delegation's attribution."""

    slug: str
    """The document's folder."""
    symbol: str
    """The document's current symbol."""
    paragraph: str
    """The paragraph id."""
    label: str | None
    """The paragraph's own numbering."""
    bracket: str
    """The bracket id, `PARAGRAPH:N`."""
    stances: tuple[Stance, ...]
    """What the delegation says of it (usually one stance)."""
    others: tuple[str, ...]
    """The other delegations' attributions on it, as written."""
    text: str
    """The bracket's text."""
    line: int
    """1-based line of the bracket in the text file."""
    language: str
    """The language of the text it was found in."""
    via: tuple[str, ...] = ()
    """The groups through which the delegation is attributed (empty when it is named itself)."""

    def to_json(self) -> dict:
        """The bracket as a plain dict for `--json` output."""
        return {"document": self.symbol, "slug": self.slug, "paragraph": self.paragraph, "label": self.label,
                "bracket": self.bracket, "stances": [s.value for s in self.stances], "others": list(self.others),
                "text": self.text, "line": self.line, "language": self.language, "via": list(self.via)}


@dataclass(frozen=True)
class PositionFile:
    """One position set file of a delegation."""

    path: str
    """Repository-relative path."""
    document: str
    """The document symbol it is on."""
    entries: int
    """How many positions it holds."""
    actions: str
    """The actions, counted: `insert 2, delete 1`."""
    problem: str | None = None
    """Why it does not load, if it does not."""


def gather_brackets(repo: Repository, documents: Sequence[DocumentSummary], *,
                    expand_groups: bool = False) -> dict[str, list[DelegationBracket]]:
    """Every attributed bracket of every document (default language), by delegation code.

    With `expand_groups`, a bracket attributed to a group is also listed under
    each member state that is not named on it itself, with `via` naming the group.
    """
    parties = repo.parties if expand_groups else None
    language = default_language(repo)
    symbols = {d.slug: d.current_symbol for d in documents}
    found: dict[str, list[DelegationBracket]] = {}
    for document in iter_paragraphs(repo):
        if not document.heads:
            continue
        texts = None
        wanted = language if any(h[0] == language for h in document.heads) else document.heads[0][0]
        for index, (lang, paragraph_id, label, line) in enumerate(document.heads):
            if lang != wanted:
                continue
            if texts is None:
                texts = document.texts()
            text = texts[index]
            if "(" not in text or "[" not in text:
                continue
            reading = read(text)
            for paragraph in reading.draft.paragraphs[:1]:
                opening = paragraph_codes(paragraph)
                ids = dict(zip((id(bracket) for bracket, _, _ in opening),
                               shown_ids(paragraph_id, [code for _, _, code in opening])))
                for bracket, _ in paragraph.brackets():
                    if not bracket.attributions or id(bracket) not in ids:
                        continue
                    codes: dict[str, list[Stance]] = {}
                    for attribution in bracket.attributions:
                        codes.setdefault(attribution.code, []).append(attribution.stance)
                    body = render(bracket.body)
                    shown = (document.slug, symbols.get(document.slug, document.slug), paragraph_id, label,
                             ids[id(bracket)])
                    at_line = line + (bracket.pos.line - 1 if bracket.pos else 0)
                    for code, stances in codes.items():
                        others = tuple(a.source() for a in bracket.attributions if a.code != code)
                        found.setdefault(code, []).append(DelegationBracket(
                            *shown, tuple(stances), others, body, at_line, wanted))
                    if parties is None:
                        continue
                    for state, (groups, stances) in _through_groups(codes, parties).items():
                        others = tuple(a.source() for a in bracket.attributions if a.code not in groups)
                        found.setdefault(state, []).append(DelegationBracket(
                            *shown, tuple(stances), others, body, at_line, wanted, tuple(groups)))
    return found


def _through_groups(codes: dict[str, list[Stance]], parties: Parties) -> dict[str, tuple[list[str], list[Stance]]]:
    """The member states of the groups attributed on one bracket that are not attributed on it themselves:
    for each, the groups it comes through and their stances."""
    through: dict[str, tuple[list[str], list[Stance]]] = {}
    for code, stances in codes.items():
        if not parties.is_group(code):
            continue
        for state in parties.expand(code):
            if state in codes:
                continue
            groups, said = through.setdefault(state, ([], []))
            groups.append(code)
            said.extend(s for s in stances if s not in said)
    return through


def delegation_brackets(repo: Repository, code: str, *, expand_groups: bool = False) -> list[DelegationBracket]:
    """One delegation's brackets across every document; with `expand_groups`, also those of its groups."""
    return gather_brackets(repo, load_catalogue(repo).documents, expand_groups=expand_groups).get(code, [])


def position_files(repo: Repository, code: str) -> list[PositionFile]:
    """The delegation's position sets (positions/CODE/*.yaml) with what each holds."""
    folder = repo.root / delegation_folder(code)
    files = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        relative = f"{delegation_folder(code)}/{path.name}"
        try:
            record = repo.load(relative)
        except CicatextError as error:
            files.append(PositionFile(relative, "", 0, "", error.problem.message))
            continue
        if not isinstance(record, dict):
            files.append(PositionFile(relative, "", 0, "", "not a mapping"))
            continue
        entries = [e for e in record.get("entries") or [] if isinstance(e, dict)]
        tally: dict[str, int] = {}
        for entry in entries:
            tally[str(entry.get("action", "?"))] = tally.get(str(entry.get("action", "?")), 0) + 1
        actions = ", ".join(f"{action} {count}" for action, count in sorted(tally.items()))
        files.append(PositionFile(relative, str(record.get("document", "")), len(entries), actions))
    return files


def delegations_with_positions(repo: Repository) -> set[str]:
    """The codes that have a folder of position sets (positions/CODE/), whatever the registry says."""
    root = repo.root / POSITIONS_DIR
    return {entry.name for entry in root.iterdir() if entry.is_dir()} if root.is_dir() else set()
