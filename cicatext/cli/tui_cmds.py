"""Commands for reading a repository interactively: `cicatext tui` and `cicatext search`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cicatext.errors import RepositoryError, UsageError
from cicatext.store.layout import SETTINGS_FILE, document_text_path


def register(subparsers) -> None:
    tui = subparsers.add_parser("tui", help="open the terminal UI on a repository")
    tui.add_argument("path", nargs="?", default=".", help="the repository (default: here)")
    tui.add_argument("--theme", choices=("dark", "light"), help="colour theme (default: dark; `t` switches)")
    tui.add_argument("--as-of", help="judge deadlines as of this date, YYYY-MM-DD (default: today)")
    tui.add_argument("--no-validate", action="store_true", help="do not validate the repository on start")
    tui.set_defaults(handler=run_tui)

    search = subparsers.add_parser("search", help="fuzzy search over every paragraph and symbol")
    search.add_argument("query", nargs="+", help="words to look for (typing errors are forgiven)")
    search.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    search.add_argument("-n", "--limit", type=int, default=20, help="how many hits (default 20)")
    search.add_argument("--json", action="store_true", help="print the hits as JSON")
    search.set_defaults(handler=run_search)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date", hint="write YYYY-MM-DD, e.g. 2023-07-15") from None


def run_tui(args: argparse.Namespace) -> int:
    from cicatext.store.repository import Repository

    # Opened before the UI starts, so a wrong path is one clear message on the terminal.
    repo = Repository.open(args.path)
    if not (repo.root / ".git").exists():
        raise RepositoryError(f"{repo.root} holds a {SETTINGS_FILE} but is not a git repository",
                              hint="run `git init` there and commit the files, or `cicatext init` in an empty folder")
    as_of = _date(args.as_of)
    from cicatext.cli.output import require_terminal

    require_terminal("run it in a terminal, or use the other commands")
    from cicatext.tui.app import run_app

    return run_app(repo, theme=args.theme, as_of=as_of, validate_on_start=not args.no_validate)


def run_search(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.register.search import answer_query
    from cicatext.store.repository import Repository

    repo = Repository.open(args.repo)
    query = " ".join(args.query)
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if not query.strip():
        raise UsageError("nothing to search for", hint="give words or a symbol: `cicatext search intercultural dialogue`")
    answer = answer_query(repo, query, limit=args.limit,
                          announce=lambda note: print(f"cicatext: {note}…", file=sys.stderr))
    hits = answer.hits
    if args.json:
        found = {"query": query, "hits": [hit.to_json() for hit in hits]}
        if answer.quick:
            found["quick"] = True
        emit_json(found)
        return 0 if hits else 1
    if not hits:
        print(f"no match for {query!r}", file=sys.stderr)
        return 1
    for hit in hits:
        if hit.kind == "document":
            print(f"{hit.symbol}\t{hit.text}")
        else:
            where = f"{document_text_path(hit.slug, hit.language)}:{hit.line}"
            print(f"{hit.symbol} ¶{hit.label or hit.paragraph}\t{where}\t{hit.text}")
    return 0
