"""Commands that read bracketed text: `brackets`, `clean`, `stats`, `check`."""

from __future__ import annotations

import argparse
import os
import sys
from bisect import bisect_right

from cicatext.errors import CicatextError, RecordError, UsageError

# How much of a bracket's text one line of `cicatext brackets` shows.
_SHOWN = 72


def register(subparsers) -> None:
    """Add the bracketed-text commands to the `cicatext` parser; each reads FILE, takes --codes and --json."""
    commands = (
        ("brackets", "list every bracket of a bracketed text",
         "List every bracket: id, line:column, depth, attributions and text.", brackets_command),
        ("clean", "print only the agreed text",
         "Print the clean text: every bracket removed with its text and attributions.", clean_command),
        ("stats", "count brackets per paragraph and attributions per delegation",
         "Count brackets and options groups per paragraph, and attributions per delegation.", stats_command),
        ("check", "report notation errors; silent when there are none",
         "Report every problem of the notation. Prints nothing and exits 0 when the text is sound.", check_command),
    )
    for name, summary, description, handler in commands:
        parser = subparsers.add_parser(name, help=summary, description=description)
        _file_argument(parser)
        _codes_argument(parser)
        _style_argument(parser)
        _json_argument(parser)
        parser.set_defaults(handler=handler)


def _file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the bracketed text; '-' reads standard input")


def _codes_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--codes",
        metavar="CODES",
        help="known delegation codes, comma-separated (e.g. IRAN,CHN,IND); others are errors (default: the "
             "registry's codes when FILE is in a repository, else any code)",
    )


def _style_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--style",
        metavar="STYLE",
        help="the attribution style FILE is written in: cica [text] (+A), party-inside [text - A; B delete], "
             "party-prefix [A: “word”], party-note [text] (A: retain) (default: the repository's when run in one, "
             "else cica); party names go through the repository's registry when run in one",
    )


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def brackets_command(args: argparse.Namespace) -> int:
    """`cicatext brackets FILE`: every bracket, then the errors."""
    from cicatext.cli.output import emit_json, print_problems
    from cicatext.notation.views import bracket_list

    reading = _read(args)
    if _too_deep(args, reading):
        return 1
    listed = [_in_file(args, info) for info in bracket_list(reading.draft)]
    errors = _split(reading.problems)[0]
    if args.json:
        from cicatext.notation.alternatives import option_blocks

        emit_json(
            {
                "brackets": [info.to_json() for info in listed],
                "option_blocks": [block.to_json() for block in option_blocks(reading.draft)],
                **_problems_json(reading.problems),
                "style": args.style_used,
                "converted": [c.to_json() for c in args.converted],
            }
        )
    else:
        for info in listed:
            marks = " ".join(a.source() if a.raw else a.canonical() for a in info.attributions)
            parts = [info.id, f"{info.line}:{info.column}", f"depth {info.depth}"]
            if marks:
                parts.append(marks)
            parts.append(_shorten(info.text))
            print("  ".join(parts))
        print_problems(reading.problems)
    return 1 if errors else 0


def clean_command(args: argparse.Namespace) -> int:
    """`cicatext clean FILE`: the agreed text only."""
    from cicatext.cli.output import emit_json
    from cicatext.notation.views import clean_paragraph, clean_text

    reading = _read(args)
    if _too_deep(args, reading):
        return 1
    draft = reading.draft
    if args.json:
        paragraphs = [(p.id, clean_paragraph(p)) for p in draft.paragraphs]
        emit_json(
            {
                "paragraphs": [{"id": pid, "text": text} for pid, text in paragraphs if text],
                "text": clean_text(draft),
                **_problems_json(reading.problems),
            }
        )
        return 1 if _split(reading.problems)[0] else 0
    else:
        sys.stdout.write(clean_text(draft))
    return _problems_after_output(reading.problems)


def stats_command(args: argparse.Namespace) -> int:
    """`cicatext stats FILE`: brackets per paragraph, attributions per delegation."""
    from cicatext.cli.output import emit_json
    from cicatext.notation.views import counts

    reading = _read(args)
    if _too_deep(args, reading):
        return 1
    found = counts(reading.draft)
    if args.json:
        emit_json({**found.to_json(), **_problems_json(reading.problems)})
        return 1 if _split(reading.problems)[0] else 0
    print(
        f"{found.brackets} brackets ({found.options} options groups) in "
        f"{len(found.paragraphs)} of {found.paragraph_total} paragraphs; {found.attributions} attributions"
    )
    extra = [f"{count} {name}" for count, name in ((found.placeholders, "placeholders"),
                                                   (found.status_notes, "status notes"),
                                                   (found.alternatives, "groups of alternatives")) if count]
    if extra:
        print("also: " + ", ".join(extra))
    if found.paragraphs:
        print()
        print("paragraph        brackets  options")
        for paragraph in found.paragraphs:
            print(f"{paragraph.id:<16} {paragraph.brackets:>8} {paragraph.options:>8}")
    if found.delegations:
        print()
        print("delegation          +        -      tcb")
        for delegation in found.delegations:
            print(
                f"{delegation.code:<10} {delegation.proposals:>8} {delegation.objections:>8} "
                f"{delegation.reservations:>8}"
            )
    return _problems_after_output(reading.problems)


def check_command(args: argparse.Namespace) -> int:
    """`cicatext check FILE`: the problems only; nothing at all when the text is sound."""
    from cicatext.cli.output import emit_json, print_problems

    reading = _read(args)
    errors = _split(reading.problems)[0]
    if args.json:
        emit_json(_problems_json(reading.problems))
    else:
        print_problems(reading.problems)
    return 1 if errors else 0


def _too_deep(args: argparse.Namespace, reading) -> bool:
    """Whether the text nests brackets past the reader's limit; if so its problems are printed, and nothing else:
    a text so deep is damaged, and listing every bracket's text would be as long as the depth times the text."""
    from cicatext.cli.output import emit_json, print_problems
    from cicatext.notation.nesting import too_deep

    if too_deep(reading.problems) is None:
        return False
    if args.json:
        emit_json(_problems_json(reading.problems))
    else:
        print_problems(reading.problems)
    return True


def _read(args: argparse.Namespace):
    """The file read as bracketed text. A file written one paragraph per line (no blank lines; numbering and
    indentation give its structure) is read paragraph by paragraph as `import` splits it; every line, column
    and offset reported is the file's own."""
    from dataclasses import replace

    from cicatext.notation.reader import Reading, read
    from cicatext.records.line_paragraphs import as_blocks

    args.repo = _repository_of(args.file)
    bounds = _limits(args.repo)
    text, name = _load(args.file, bounds)
    codes = _codes(args.codes)
    if codes is None and args.repo is not None:
        codes = sorted(args.repo.codes)
    args.inserted = ()
    def reader(styled: str) -> Reading:
        return read(styled, codes=codes, file=name, max_problems=bounds.problems_per_file,
                    max_depth=bounds.bracket_depth)

    split = as_blocks(text)
    if split is None:
        return _styled(args, text, name, reader)
    converted, inserted = split
    args.inserted = inserted
    reading = _styled(args, converted, name, reader)
    lines = _inserted_lines(converted, inserted)
    problems = tuple(replace(p, line=p.line - bisect_right(lines, p.line)) if p.line else p for p in reading.problems)
    return Reading(reading.draft, problems)


def _styled(args: argparse.Namespace, text: str, name: str, reader):
    """`reader` over the text written in the style asked for (or the repository's), in the cica style: its
    conversions kept on `args` for --json, the attributions left as written among the problems. Lines stay
    the file's own; columns after a converted attribution are those of the cica text."""
    from cicatext.notation.reader import Reading
    from cicatext.store.register.styles import read_received, style_named

    repo = args.repo
    args.style_used = style_named(args.style, repo)
    conversion = read_received(repo, text, args.style_used, file=name)
    args.converted = conversion.converted
    reading = reader(conversion.text)
    if not conversion.warnings:
        return reading
    problems = sorted((*reading.problems, *conversion.warnings), key=lambda p: (p.line or 0, p.column or 0))
    return Reading(reading.draft, tuple(problems))


def _repository_of(path: str):
    """The repository holding FILE, else the one holding the current folder; None outside both."""
    from cicatext.errors import CicatextError
    from cicatext.store.repository import Repository

    for place in ((path, None) if path != "-" else (None,)):
        try:
            repo = Repository.open(place)
            repo.settings  # noqa: B018 (a folder whose cicatext.yaml does not load is no repository to read by)
            return repo
        except CicatextError:
            continue
    return None


def _inserted_lines(text: str, inserted: tuple[int, ...]) -> list[int]:
    """The 1-based line numbers, in `text`, of the blank lines put in at the offsets `inserted`."""
    return [text.count("\n", 0, offset) + 1 for offset in inserted]


def _in_file(args: argparse.Namespace, info):
    """A listed bracket's place in the file as written (see `_read`)."""
    inserted = getattr(args, "inserted", ())
    if not inserted:
        return info
    from dataclasses import replace

    before = bisect_right(inserted, info.start)
    lines = bisect_right(inserted, info.start - info.column + 1)
    return replace(info, start=info.start - before, end=info.end - bisect_right(inserted, info.end),
                   line=info.line - lines)


def _problems_after_output(problems) -> int:
    """Print a reading's problems on standard error, after the output; 1 when any is an error.

    A text with notation problems is still a text: what could be read is
    printed, and the exit code says it was not sound.
    """
    from cicatext.cli.output import print_problems

    return 1 if print_problems(problems) else 0


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = [code.strip() for code in value.split(",") if code.strip()]
    from cicatext.notation.codes import is_code

    bad = [code for code in codes if not is_code(code)]
    if bad:
        raise UsageError(
            f"--codes: '{bad[0]}' is not a delegation code",
            hint="give codes in capitals, comma-separated, e.g. --codes IRAN,CHN,IND",
        )
    return codes


def _limits(repo):
    """The limits a text is read under: its repository's (`limits:` in cicatext.yaml), else cicatext's own."""
    from cicatext.store.limits import DEFAULT

    return repo.limits if repo is not None else DEFAULT


def _load(path: str, bounds) -> tuple[str, str]:
    """The text of FILE (or of standard input for '-'), exactly as written, and the name to report; a file over
    the file limit of `bounds` is refused from its size (standard input, from the bytes read up to the limit)."""
    from cicatext.store.limits import LIMIT_HINT

    limit = bounds.file_bytes
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1) if hasattr(sys.stdin, "buffer") else sys.stdin.read(limit + 1)
        name = "<stdin>"
        if len(data) > limit:
            raise RecordError(bounds.too_large(len(data), name, partial=True), file=name, hint=LIMIT_HINT)
        if isinstance(data, str):
            return data.removeprefix("\ufeff"), name
    else:
        name = path
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > limit:
                    raise RecordError(bounds.too_large(size, name), file=name, hint=LIMIT_HINT)
                data = handle.read()
        except FileNotFoundError:
            raise UsageError(f"no such file: {path}", file=path, hint="check the path") from None
        except IsADirectoryError:
            raise UsageError(f"{path} is a directory, not a text file", file=path) from None
        except OSError as error:
            raise CicatextError(f"cannot read {path}: {error.strerror}", file=path) from None
    try:
        # Decoded without newline translation, so CRLF text round-trips exactly; a byte-order mark
        # says how the file is encoded and is no part of its text.
        return data.decode("utf-8").removeprefix("\ufeff"), name
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise CicatextError(
            f"{name} is not UTF-8 text (byte {error.object[error.start]:#04x})",
            file=name,
            line=line,
            column=column,
            hint="save the file as UTF-8 (e.g. `iconv -f cp1251 -t utf-8`)",
        ) from None


def _problems_json(problems) -> dict:
    """A reading's problems as --json gives them, the only place they are given then (nothing on stderr)."""
    errors, warnings = _split(problems)
    return {"errors": [p.to_json() for p in errors], "warnings": [p.to_json() for p in warnings]}


def _split(problems) -> tuple[list, list]:
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    return errors, warnings


def _shorten(text: str) -> str:
    from cicatext.notation.paragraph_text import shortened

    return shortened(text, _SHOWN)
