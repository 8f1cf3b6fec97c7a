"""The `cicatext` command: builds the parser from the command modules and turns errors into messages.

Every module in this package that defines `register(subparsers)` adds its
commands; each command's handler takes the parsed arguments and returns an
exit code. Handlers import what they need lazily, so `cicatext --help` and the
quick commands stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from cicatext import __version__
from cicatext.errors import CicatextError


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every command module's commands."""
    parser = argparse.ArgumentParser(
        prog="cicatext",
        description="Negotiated texts as plain files in git.",
    )
    parser.add_argument("--version", action="version", version=f"cicatext {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module("cicatext.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in ("main", "output"):
            continue
        module = importlib.import_module(f"cicatext.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; CicatextError becomes a message on stderr and its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except CicatextError as error:
        print(error.format(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("cicatext: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:
        # What the system refused (a name too long, a full disk, a file not ours): said, not a traceback.
        print(CicatextError(error.strerror or str(error), file=str(error.filename) if error.filename else None,
                            hint="check the path, the free space and the permissions; a write that failed was not "
                                 "committed (`git status` shows what the files are)").format(), file=sys.stderr)
        return 1
