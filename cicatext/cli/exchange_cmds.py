"""Commands that move documents in and out: export (Word, HTML, Markdown, Akoma Ntoso, text, redline) and translations; Word files come in through `cicatext import`."""

from __future__ import annotations

import argparse
import sys

from cicatext.exchange.formats import (
    DEFAULT,
    FORMATS,
    Format,
    format_for_extension,
    format_named,
)


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export",
        help=f"write a document as {_one_of(entry.label for entry in FORMATS)}, or a Word redline of two revisions",
        description="Write a document in another format. The file is written only when the whole export "
                    "succeeded. Examples: `cicatext export MC/2023/DRAFT/5 -o draft5.docx`; "
                    "`cicatext export MC/2023/DRAFT/5 --format html --clean -o clean.html`; "
                    "`cicatext export MC/2023/DRAFT/4 --redline round/mc-2023-draft-4/1 main -o changes.docx`.",
    )
    export.add_argument("symbol", help="the document: a symbol (any revision) or its folder name")
    export.add_argument("--format", "-f", choices=tuple(entry.name for entry in FORMATS),
                        help=f"the format (default: from the -o file's extension, else {DEFAULT})")
    export.add_argument("--lang", help="the language (default: the document's first)")
    export.add_argument("--clean", action="store_true", help="agreed text only: brackets dropped with their text")
    export.add_argument("--track-changes", action="store_true",
                        help="Word only: each delegation's proposals and objections as tracked changes it "
                             "authored (its code is the author), further positions and reservations as its "
                             "comments, for Word's Review pane")
    export.add_argument("--rev", metavar="REV", help="the text at a git revision: a round tag, a branch or a commit")
    export.add_argument("--redline", nargs=2, metavar=("REF_A", "REF_B"),
                        help="a Word document of the changes from REF_A to REF_B (insertions underlined, "
                             "deletions struck through)")
    export.add_argument("-o", "--output", metavar="FILE", help="the file to write (default: standard output; "
                                                               "Word files need -o)")
    export.add_argument("--style", metavar="STYLE",
                        help="the attribution style to write: cica [text] (+A), party-inside [text - A; B delete], "
                             "party-prefix [A: “word”], party-note [text] (A: retain) (default: the repository's)")
    export.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    export.set_defaults(handler=run_export)

    translations = subparsers.add_parser(
        "translations", help="list the paragraphs changed in one language after another was last updated",
        description="Read the git history of a document's texts and list, paragraph by paragraph, the "
                    "languages whose text is older than the newest change in another language.")
    translations.add_argument("symbol", help="the document: a symbol or its folder name")
    translations.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    translations.add_argument("--json", action="store_true", help="print the list as JSON")
    translations.set_defaults(handler=run_translations)

    translated = subparsers.add_parser(
        "translated", help="take translated paragraphs off a language's list awaiting translation, and commit",
        description="After a round, agree, drop or revision that could not be carried into a language, its "
                    "paragraphs await translation (awaiting_translation in document.yaml). Translate them in "
                    "LANG.txt, then run this: it checks that each paragraph now has the brackets and attributions "
                    "of the other languages and commits the text with the paragraphs taken off the list.")
    translated.add_argument("symbol", help="the document: a symbol or its folder name")
    translated.add_argument("paragraphs", nargs="+", metavar="PARAGRAPH", help="the paragraph ids translated")
    translated.add_argument("--lang", required=True, help="the language they were translated into")
    translated.add_argument("-C", "--repo", default=".", help="the repository (default: here)")
    translated.add_argument("--json", action="store_true", help="print the result as JSON")
    translated.set_defaults(handler=run_translated)


def _one_of(words) -> str:
    """`a, b or c`."""
    words = list(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _output_format(args: argparse.Namespace) -> Format:
    from cicatext.errors import UsageError

    if args.format:
        return format_named(args.format)
    if args.output and "." in args.output:
        implied = format_for_extension(args.output.rsplit(".", 1)[1])
        if implied is not None:
            return implied
        raise UsageError(f"cannot tell the format from {args.output!r}",
                         hint=f"give --format {_one_of(entry.name for entry in FORMATS)}")
    return format_named(DEFAULT)


def run_export(args: argparse.Namespace) -> int:
    from cicatext.cli.output import output_target
    from cicatext.errors import UsageError
    from cicatext.store.files import write_atomic
    from cicatext.store.repository import Repository

    repo = Repository.open(args.repo)
    if args.redline:
        if args.clean or args.rev or args.track_changes or (args.format and args.format != "docx"):
            raise UsageError("--redline makes a Word document of two revisions; it takes no --clean, --rev, "
                             "--track-changes or other --format", hint="cicatext export SYMBOL --redline REF_A REF_B -o FILE.docx")
        if not args.output:
            raise UsageError("a redline is a Word file: give -o FILE.docx")
        from cicatext.exchange.redline import redline

        result = redline(repo, args.symbol, args.redline[0], args.redline[1], language=args.lang)
        write_atomic(output_target(args.output, repo), result.data)
        print(f"Wrote {args.output}: {result.summary()}", file=sys.stderr)
        return 0

    fmt = _output_format(args)
    if args.track_changes and (fmt.name != "docx" or args.clean):
        raise UsageError("--track-changes writes a Word file of the bracketed text; it takes no --clean or other "
                         "format", hint="cicatext export SYMBOL --format docx --track-changes -o FILE.docx")
    if fmt.binary and not args.output:
        raise UsageError(f"a {fmt.label} file cannot go to the terminal: give -o FILE.{fmt.name}")
    from cicatext.cli.output import print_problems
    from cicatext.exchange.source import load
    from cicatext.store.register.styles import style_named

    if args.track_changes and args.style not in (None, "cica"):
        raise UsageError("--track-changes writes each attribution as a tracked change or comment; it takes no other "
                         "--style", hint="cicatext export SYMBOL --format docx --track-changes -o FILE.docx")
    try:
        document = load(repo, args.symbol, language=args.lang, revision=args.rev, clean=args.clean,
                        style="cica" if args.track_changes else style_named(args.style, repo))
    except UsageError as error:
        import re

        if error.message.startswith("no document") and re.fullmatch(r"[A-Z][A-Z0-9]*/[0-9]+", args.symbol.strip()):
            # BODY/NUMBER: the number of a cover note, which is written from its meeting, not exported.
            raise UsageError(error.message, hint=f"{args.symbol} reads as a cover note's number: a meeting's cover "
                             f"note is written by `cicatext note MEETING --number {args.symbol} -o NOTE.docx`; "
                             f"{error.hint}") from None
        raise
    print_problems(document.style_warnings)
    if args.track_changes:
        from cicatext.exchange.docx_tracked import to_docx_tracked

        data = to_docx_tracked(document)
    else:
        data = fmt.write(document)
    if not args.rev:
        _warn_if_amended(repo, args.symbol)
    if args.output:
        write_atomic(output_target(args.output, repo), data)
        at = f" at {args.rev}" if args.rev else ""
        state = ", agreed text only" if args.clean else ", positions as tracked changes" if args.track_changes else ""
        print(f"Wrote {args.output} ({fmt.name}): {document.symbol}{at}, {document.language}, "
              f"{len(document.paragraphs)} paragraphs{state}", file=sys.stderr)
    else:
        sys.stdout.write(data)
    return 0


def _warn_if_amended(repo, symbol: str) -> None:
    """Say so when the text exported was amended since its revision was issued: it is not that revision."""
    from cicatext.store.register.revisions import amended_since, last_revision_commit

    entry = repo.document(symbol)
    issued = last_revision_commit(repo, entry)
    if issued is not None and amended_since(repo, entry, issued):
        print(f"warning: the text was amended since {entry.current_symbol} was issued; the export carries that "
              f"symbol; `cicatext revise {entry.symbol}` issues the next revision", file=sys.stderr)


def run_translations(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.register.languages import translations
    from cicatext.store.repository import Repository

    repo = Repository.open(args.repo)
    entry = repo.document(args.symbol)
    found = translations(repo, args.symbol)
    if args.json:
        emit_json({"document": entry.current_symbol, "languages": entry.languages,
                   "stale": [item.to_json() for item in found]})
        return 0
    if len(entry.languages) < 2:
        print(f"{entry.current_symbol} is held in one language only ({', '.join(entry.languages) or 'none'})")
        return 0
    if not found:
        print(f"{entry.current_symbol}: every language is up to date ({', '.join(entry.languages)})")
        return 0
    for item in found:
        print(item.describe())
    print(f"{len(found)} paragraph translation(s) to redo", file=sys.stderr)
    return 0


def run_translated(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.negotiation.languages_apply import clear_translated
    from cicatext.store.repository import Repository

    result = clear_translated(Repository.open(args.repo), args.symbol, args.lang, args.paragraphs)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"{result.symbol}: {', '.join(result.paragraphs)} translated into {result.language} "
          f"(commit {result.commit[:10]})")
    if result.still:
        print(f"  still awaiting translation into {result.language}: {', '.join(result.still)}")
    return 0
