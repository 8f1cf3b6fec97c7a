"""Making repositories and documents: `cicatext init` and `cicatext import`."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from cicatext.errors import CicatextError, NotationError, Problem, RepositoryError, UsageError
from cicatext.notation.styles import Converted
from cicatext.records.dates import iso_day
from cicatext.records.paragraphing import (
    ImportWarning,
    render_with_ids,
    split_paragraphs,
)
from cicatext.records.symbols import (
    PROFILE_EXAMPLES,
    PROFILES,
    fits_profile,
    parse_symbol,
)
from cicatext.resources import template_dir
from cicatext.store import yamlio
from cicatext.store.git import identity_env, run_git
from cicatext.store.layout import (
    SETTINGS_FILE,
    document_record_path,
    document_text_path,
)
from cicatext.store.repository import Repository

DOCUMENT_KINDS = ("decision", "statement", "road-map", "recommendations", "concept-paper",
                  "action-plan", "report", "note-verbale", "other")


PARTY_SETS = ("cica", "un")
"""The registries `init` can start from: CICA's member states (the template's), or the UN's states and groups."""


def init_repository(path: Path, *, parties: str = "cica", author: tuple[str, str] | None = None,
                    date: str | None = None) -> Repository:
    """Copy the template into `path`, `git init` it on branch main and make the first commit.

    `parties` chooses the registry: `cica` (the template's CICA member states
    and settings) or `un` (the UN member and observer states, the negotiating
    groups and settings for a UN negotiation). An existing cicatext repository
    is refused; so is any other non-empty folder.
    """
    if parties not in PARTY_SETS:
        raise UsageError(f"unknown set of parties {parties!r}", hint=f"use one of: {', '.join(PARTY_SETS)}")
    path = Path(path).resolve()
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file, not a folder", hint="give the path of a new or empty folder")
    if path.is_dir() and any(path.iterdir()):
        if (path / SETTINGS_FILE).is_file():
            raise RepositoryError(f"{path} is already a cicatext repository",
                                  hint="work in it as it is; `cicatext validate` checks it")
        raise UsageError(f"{path} is not empty and is not a cicatext repository",
                         hint="choose a new or empty folder")
    created = not path.exists()
    try:
        if parties == "cica":
            shutil.copytree(template_dir(), path, dirs_exist_ok=True)
        else:
            from cicatext.store.register.un_parties import write_un_registry

            # The template's git files (.gitattributes, .gitignore), then the UN's settings and registry.
            shutil.copytree(template_dir(), path, dirs_exist_ok=True,
                            ignore=lambda folder, names: [n for n in names if not n.startswith(".")]
                            if Path(folder) == template_dir() else [])
            write_un_registry(path)
        run_git(path, "init", "--quiet", "--initial-branch=main")
        run_git(path, "add", "--all")
        run_git(path, "commit", "--quiet", "--no-verify", "-m", "Create the cicatext repository",
                env=identity_env(author, date))
        from cicatext.store.negotiation.driver import git_setup

        git_setup(Repository(path))
    except BaseException:
        if created:
            shutil.rmtree(path, ignore_errors=True)
        else:
            for child in path.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    return Repository(path)


@dataclass(frozen=True)
class ImportResult:
    """What `import_text` wrote and what it warned about."""

    slug: str
    paragraphs: int
    warnings: tuple[ImportWarning, ...]
    commit: str
    problems: tuple[Problem, ...] = ()
    """The notation errors of the text as circulated, recorded as known problems of its revision."""
    converted: tuple[Converted, ...] = ()
    """The attributions received in another style and kept in the cica style."""
    style_warnings: tuple[Problem, ...] = ()
    """What looked like an attribution in the received style and was kept as written (a party no registry knows)."""


def _refuse_too_deep(text: str, source: str) -> None:
    """`NotationError`, located in `source`, when the text nests brackets past the reader's limit: such a text
    is damaged, not a draft as circulated to keep with its known problems."""
    from cicatext.notation.nesting import too_deep
    from cicatext.notation.reader import check

    deep = too_deep(check(text, file=source))
    if deep is not None:
        raise NotationError(deep.message, file=deep.file, line=deep.line, column=deep.column,
                            hint=f"{deep.hint}; nothing was imported", source_line=deep.source_line)


def import_text(repo: Repository, text: str, *, symbol: str, title: str, language: str = "en",
                kind: str = "other", sponsor: str | None = None, body: str | None = None,
                source: str = "<input>", date: str | None = None,
                author: tuple[str, str] | None = None, commit_date: str | None = None,
                extra: dict | None = None, repair_pdf: bool = False, style: str | None = None) -> ImportResult:
    """Turn a plain-text draft into a document (record and text in one language) and commit it.

    The text is kept as circulated: its notation errors (against the
    registry's codes) are recorded as known problems of the revision, and
    `validate` reports them as warnings. `repair_pdf` removes a PDF extract's
    page headers and numbers and joins its hyphenated words, with a warning each.
    A text written in another attribution `style` (by default the repository's)
    is kept in the cica style, with what was converted and what was not.
    """
    from cicatext.store.validation.known import record_problems

    parsed = parse_symbol(symbol)
    if date is not None:
        date = iso_day(date)
    profile = repo.settings.get("symbols")
    if isinstance(profile, str) and profile in PROFILES and not fits_profile(str(parsed.base()), profile):
        raise UsageError(f"{parsed.base()} does not follow this repository's {profile} pattern of symbols",
                         hint=f"write {PROFILE_EXAMPLES[profile]}, or take `symbols: {profile}` out of "
                              f"{SETTINGS_FILE} to keep other bodies' documents here")
    if kind not in DOCUMENT_KINDS:
        raise UsageError(f"unknown document kind {kind!r}", hint=f"use one of: {', '.join(DOCUMENT_KINDS)}")
    _refuse_too_deep(text, source)
    paragraphs, warnings = split_paragraphs(text, repair_pdf=repair_pdf)
    if not paragraphs:
        raise UsageError(f"{source} holds no paragraphs", hint="give a text file with paragraphs separated by blank lines")
    from cicatext.store.register.styles import read_received

    conversion = read_received(repo, render_with_ids(paragraphs), style, file=source)
    document_text = conversion.text
    slug = parsed.slug()
    known, problems = record_problems(document_text, repo.codes, document_text_path(slug, language), language,
                                      repo.limits.problems_per_file, repo.limits.bracket_depth)
    record_path = document_record_path(slug)
    record: dict = {
        "symbol": str(parsed.base()),
        "kind": kind,
        "title": {language: title},
        "sponsor": sponsor or "CHAIR",
        "languages": [language],
    }
    if body:
        record["body"] = body
    if date:
        record["date"] = date
    revision: dict = {"rev": parsed.revision, "symbol": str(parsed)}
    if date:
        revision["date"] = date
    if known:
        revision["known_problems"] = known
    record["revisions"] = [revision]
    if extra:
        record.update(extra)
    def files() -> dict[str, str]:
        # Checked under the lock, after any half-finished write was undone.
        if (repo.root / record_path).exists():
            raise UsageError(f"{parsed.base()} is already in the repository ({record_path})",
                             hint="a new text of an existing document comes through `cicatext propose` and `cicatext round`")
        return {record_path: yamlio.dump(record), document_text_path(slug, language): document_text}

    commit = repo.update(files, f"Import {parsed} ({title})", author=author, date=commit_date)
    return ImportResult(slug, len(paragraphs), tuple(warnings), commit, problems, conversion.converted,
                        conversion.warnings)


def read_input_file(path: str) -> str:
    """The text of a file named on the command line, with a clear message when it cannot be read."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise CicatextError(f"{path} is not UTF-8 text (byte {error.start})", file=path,
                            hint="save the file as UTF-8 plain text") from None
    from cicatext.notation.reader import nul_problems

    found = nul_problems(text, path)
    if found:
        first = found[0]
        raise CicatextError(first.message, file=path, line=first.line, column=first.column, hint=first.hint,
                            source_line=first.source_line, problems=tuple(found))
    return text
