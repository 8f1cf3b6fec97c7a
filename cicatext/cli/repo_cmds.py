"""Commands that make and check repositories: init, validate, import, demo, watch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cicatext.store.layout import document_folder


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="make a new cicatext repository")
    init.add_argument("path", nargs="?", default=".", help="a new or empty folder (default: here)")
    init.add_argument("--parties", choices=("cica", "un"), default="cica",
                      help="the registry to start from: cica (CICA's member states, the default) or un (the UN "
                           "member and observer states and the negotiating groups: G77, EU, AOSIS, ...)")
    init.set_defaults(handler=run_init)

    validate = subparsers.add_parser("validate", help="check every record, text and link in a repository")
    validate.add_argument("path", nargs="?", default=".", help="the repository (default: here)")
    validate.add_argument("--json", action="store_true", help="print the problems as JSON")
    validate.set_defaults(handler=run_validate)

    watch = subparsers.add_parser(
        "watch", help="the file watcher that tells git what changed in a large repository",
        usage="cicatext watch [-h] [--json] [status|start|stop] [PATH]",
        description="In a repository of 10,000 files or more, git asks a watcher which files changed instead of "
                    "looking at each one (validate and search start it when none runs; it stops after an hour "
                    "without a question). Linux only; CICATEXT_WATCH=0 turns it off.")
    watch.add_argument("words", nargs="*", metavar="status|start|stop PATH",
                       help="what to do (default: status: whether a watcher runs and git asks it), and the "
                            "repository (default: here)")
    watch.add_argument("--json", action="store_true", help="print the state as JSON")
    watch.set_defaults(handler=run_watch)

    imp = subparsers.add_parser(
        "import", help="turn a plain-text or Word draft into a document",
        description="Turn a plain-text or Word draft into a document and commit it. In a Word file, tracked "
                    "insertions and deletions become attributed brackets of their authors ([text] (+A), "
                    "[text] (-A)) and comments such as `US: delete` attributions on the text they stand on; "
                    "authors and the parties comments name are found by code, name or alias in the registry, "
                    "and each one that is not is a warning.")
    imp.add_argument("file", help="a UTF-8 text file (paragraphs separated by blank lines) or a .docx")
    imp.add_argument("--symbol", required=True,
                     help="its symbol, e.g. MC/2023/DRAFT/6; BASE/Rev.N imports a revised text as revision N of "
                          "BASE, which is in the register")
    imp.add_argument("--title", help="its title (required for a new document)")
    imp.add_argument("--force", action="store_true",
                     help="import a revision even though few of its paragraphs are found in the current text")
    imp.add_argument("--lang", default="en", help="the language of the text (default en)")
    imp.add_argument("--kind", default="other", help="decision, statement, road-map, recommendations, ...")
    imp.add_argument("--sponsor", default="CHAIR", help="CHAIR, SEC or a member state's code")
    imp.add_argument("--body", help="the body it is for: SUMMIT, MC, SOC, SWG")
    imp.add_argument("--date", help="the date of the document, YYYY-MM-DD")
    imp.add_argument("--repair-pdf", action="store_true",
                     help="remove the page headers, footers and page numbers of a PDF extract and join the words "
                          "it hyphenated across lines, reporting each repair (by default they are reported and kept)")
    imp.add_argument("--style", metavar="STYLE",
                     help="the attribution style the text is written in: cica, party-inside, party-prefix or "
                          "party-note (default: the repository's, `notation: style` in cicatext.yaml); it is kept "
                          "in the cica style and every attribution converted is reported")
    imp.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    imp.add_argument("--json", action="store_true", help="print the result as JSON")
    imp.set_defaults(handler=run_import)

    demo = subparsers.add_parser("demo", help="build the sample repository (CICA, June 2023) and open it")
    demo.add_argument("--path", help="where to keep it (default: ~/.local/share/cicatext/demo)")
    demo.add_argument("--fresh", action="store_true", help="rebuild it from the seed even if it exists")
    demo.add_argument("--no-tui", action="store_true", help="build it and print where it is; do not open the UI")
    demo.set_defaults(handler=run_demo)


def run_init(args: argparse.Namespace) -> int:
    from cicatext.store.register.create import init_repository

    repo = init_repository(Path(args.path), parties=args.parties)
    print(f"Created a cicatext repository in {repo.root}")
    if args.parties != "cica":
        print(f"Its registry: {len(repo.states)} states and {len(repo.groups)} negotiating groups.")
    print("Next: `cicatext import FILE --symbol ... --title ...` to add a draft, `cicatext validate` to check it.")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json, print_problems
    from cicatext.store.repository import Repository
    from cicatext.store.validation.per_file import workers_for_command
    from cicatext.store.validation.validate import validate

    repo = Repository.open(args.path)
    problems = validate(repo, workers=workers_for_command())
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        emit_json({"repository": str(repo.root), "problems": [p.to_json() for p in problems],
                   "errors": len(errors), "warnings": len(problems) - len(errors)})
    else:
        print_problems(problems)
        if problems:
            print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
        else:
            print(f"{repo.root}: no problems", file=sys.stderr)
    return 1 if errors else 0


def run_watch(args: argparse.Namespace) -> int:

    from cicatext.cli.output import emit_json
    from cicatext.errors import UsageError
    from cicatext.store.repository import Repository
    from cicatext.store.watch import client

    action, *rest = args.words if args.words and args.words[0] in ("status", "start", "stop") else ["status",
                                                                                                   *args.words]
    if len(rest) > 1:
        raise UsageError(f"cicatext watch takes one repository, not {len(rest)}", hint="cicatext watch stop PATH")
    repo = Repository.open(rest[0] if rest else ".")
    if action == "start":
        if not client.wanted(repo.root):
            raise UsageError("no watcher can serve this repository",
                             hint="the watcher needs Linux, git's folder in the repository (`.git`), and "
                                  "CICATEXT_WATCH not set to 0")
        client.start_and_wait(repo.root)
    elif action == "stop":
        client.stop(repo.root)
    said = client.status(repo.root)
    if args.json:
        emit_json(said)
        return 0
    if said["watching"]:
        print(f"{repo.root}: watched ({said['folders']:,} folders, process {said['pid']}); "
              + (f"git asks the watcher ({said['files']:,} files)" if said["used"] else
                 f"git asks it from {said['used_from']:,} files (this repository has {said['files']:,})"))
    else:
        why = ("turned off (CICATEXT_WATCH=0, not Linux, or git's folder elsewhere)" if said.get("off") else
               f"the last watcher could not watch: {said['refused']}" if said["refused"] else
               f"one starts when validate or search runs and the repository has {said['used_from']:,} files or "
               f"more (it has {said['files']:,})")
        print(f"{repo.root}: no watcher; git looks at every file; {why}")
    return 0 if action != "start" or said["watching"] else 1


def run_import(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json, report_conversion
    from cicatext.errors import UsageError
    from cicatext.records.symbols import parse_symbol
    from cicatext.store.register.create import import_text, read_input_file
    from cicatext.store.repository import Repository

    repo = Repository.open(args.repo)
    revision = parse_symbol(args.symbol).revision
    if revision and (_registered(repo, str(parse_symbol(args.symbol).base())) or not args.title):
        return _import_revision(repo, args)
    if not args.title:
        raise UsageError("a new document needs its title", hint="give --title TITLE")
    from cicatext.store.register.styles import style_named

    style = style_named(args.style, repo)
    options = {"symbol": args.symbol, "title": args.title, "language": args.lang, "kind": args.kind,
               "sponsor": args.sponsor, "body": args.body, "date": args.date, "style": style}
    if args.file.lower().endswith(".docx"):
        from cicatext.exchange.docx_import import import_docx

        result = import_docx(repo, args.file, **options)
    else:
        result = import_text(repo, read_input_file(args.file), source=args.file, repair_pdf=args.repair_pdf,
                             **options)
    review = getattr(result, "review", ())
    if args.json:
        emit_json({"document": result.slug, "paragraphs": result.paragraphs, "commit": result.commit,
                   "warnings": [{"file": args.file, "line": w.line, "message": w.message} for w in result.warnings]
                   + [w.to_json() for w in review],
                   "known_problems": [p.to_json() for p in result.problems],
                   "style": style, "converted": [c.to_json() for c in result.converted],
                   "style_warnings": [p.to_json() for p in result.style_warnings]})
    else:
        for warning in review:
            print(warning.headline(), file=sys.stderr)
        for warning in result.warnings:
            print(f"{args.file}:{warning.line}: warning: {warning.message}", file=sys.stderr)
        for problem in result.problems:
            print(f"{problem.location()}: warning: {problem.message} (kept as circulated: a known problem of "
                  f"{args.symbol})", file=sys.stderr)
        print(f"Imported {args.symbol} as {document_folder(result.slug)}/ ({result.paragraphs} paragraphs)")
        report_conversion(result.converted, result.style_warnings, args.file, style)
    return 0


def _registered(repo, base: str) -> bool:
    from cicatext.errors import UsageError

    try:
        repo.document(base)
    except UsageError:
        return False
    return True


def _import_revision(repo, args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json, report_conversion, warn_awaiting
    from cicatext.store.register.create import read_input_file
    from cicatext.store.register.revisions import import_revision
    from cicatext.store.register.styles import style_named

    review: tuple = ()
    if args.file.lower().endswith(".docx"):
        from cicatext.exchange.docx_import import docx_text, revision_review

        text = docx_text(args.file)
        review = revision_review(args.file)
    else:
        text = read_input_file(args.file)
    style = style_named(args.style, repo)
    result = import_revision(repo, text, symbol=args.symbol, language=args.lang, date=args.date, source=args.file,
                             force=args.force, style=style)
    if args.json:
        emit_json({**result.to_json(), **({"review_warnings": [w.to_json() for w in review]} if review else {})})
        return 0
    for warning in review:
        print(warning.headline(), file=sys.stderr)
    for warning in result.warnings:
        print(f"{args.file}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    alignment = result.alignment
    print(f"{result.tag}: {result.symbol} (commit {result.commit[:10]})")
    counts = alignment.counts()
    print("  " + ", ".join(f"{count} {kind}" for kind, count in counts.items() if count))
    for link in alignment.links:
        line = describe_link(link)
        if line:
            print(f"  {line}")
    for link in alignment.unsure():
        print(f"unsure: {link.new} ← {link.old} (similarity {link.similarity:.2f}); check that they are one "
              "paragraph", file=sys.stderr)
    report_conversion(result.converted, result.style_warnings, args.file, style)
    warn_awaiting(result.awaiting or {}, result.symbol)
    print("Share it: `git push origin main --follow-tags`", file=sys.stderr)
    return 0


def describe_link(link) -> str | None:
    """One line for a link of an alignment that is not simply kept: `op7 moved after op12`, `op9 new`, ..."""
    renamed = f"{link.old} → {link.new}" if link.old != link.new else link.new
    kind = link.kind
    if kind == "moved":
        place = f"after {link.after}" if link.after else "to the start"
        edited = ", edited" if link.similarity < 1.0 else ""
        return f"{renamed} moved {place}{edited}"
    if kind == "edited":
        return f"{renamed} edited (similarity {link.similarity:.2f})"
    if kind == "split":
        return f"{link.new} split off {link.split_from}"
    if kind == "merged":
        return f"{link.old} merged into {link.merged_into}"
    if kind == "new":
        return f"{link.new} new"
    if kind == "removed":
        return f"{link.old} removed"
    if link.old != link.new:
        return f"{renamed} kept, renumbered"
    return None


def run_demo(args: argparse.Namespace) -> int:
    from cicatext.store.demo.sample import ensure_demo

    if not args.no_tui:
        from cicatext.cli.output import require_terminal

        require_terminal("run it in a terminal, or `cicatext demo --no-tui` to build the sample and print where it is")
    repo, built = ensure_demo(Path(args.path) if args.path else None, fresh=args.fresh)
    if built:
        print(f"Built the sample repository in {repo.root}", file=sys.stderr)
    if args.no_tui:
        print(repo.root)
        print(f"Try: cd {repo.root} && cicatext validate && git log --oneline", file=sys.stderr)
        return 0
    from cicatext.tui.app import run_app

    return run_app(repo)
