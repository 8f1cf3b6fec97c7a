"""The `cicatext` command: builds the parser from the command modules and turns errors into messages.

Every module in this package that defines `register(subparsers)` adds its
commands; each command's handler takes the parsed arguments and returns an
exit code. Handlers import what they need lazily, so `cicatext --help` and the
quick commands stay fast. A command named on the command line is parsed by its
own module's commands alone (`COMMANDS` says which module has it): the others
are neither imported nor built.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cicatext import __version__
from cicatext.errors import CicatextError

# Each command and the module of this package that registers it (tests/test_startup.py checks it against them).
COMMANDS = {
    **dict.fromkeys(("export", "translations", "translated"), "exchange_cmds"),
    **dict.fromkeys(("coordinator", "coordinators", "deadlines", "meeting", "note"), "modalities_cmds"),
    **dict.fromkeys(("delegation", "propose", "round", "agree", "drop", "revise", "diff", "log", "git-setup",
                     "diff-driver", "diff-textconv"), "negotiation_cmds"),
    **dict.fromkeys(("brackets", "clean", "stats", "check"), "notation_cmds"),
    **dict.fromkeys(("init", "validate", "import", "demo", "watch"), "repo_cmds"),
    **dict.fromkeys(("server", "serve", "keys", "verify", "confidential"), "trust_cmds"),
    **dict.fromkeys(("tui", "search"), "tui_cmds"),
    "warm": "program_cmds",
}


def command_modules() -> list[str]:
    """The names of this package's modules that may register commands, in the order their commands are listed."""
    import pkgutil

    package = importlib.import_module("cicatext.cli")
    return [info.name for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
            if info.name.endswith("_cmds")]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: with every command module's commands, or (`command`) with those of its module only."""
    parser = argparse.ArgumentParser(
        prog="cicatext",
        description="Negotiated texts as plain files in git.",
    )
    parser.add_argument("--version", action="version", version=f"cicatext {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [COMMANDS[command]] if command in COMMANDS else command_modules()
    for name in names:
        module = importlib.import_module(f"cicatext.cli.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; CicatextError becomes a message on stderr and its exit code."""
    if argv is None:
        # Run as the program, the process ends with the command. What it made then is set aside from the cyclic
        # collector, whose last rounds as Python exits would otherwise go over every object once more (about a
        # tenth of a quick command's time); called with arguments, as by a script or a test, nothing is.
        try:
            return main(sys.argv[1:])
        finally:
            import gc

            gc.freeze()
    # The command is the first argument (the only option before it is --version, which parses alike without it).
    parser = build_parser(argv[0] if argv else None)
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
        # The reader went away (`| head`): what is left unwritten goes nowhere, so that Python's own flush at the
        # end does not fail again with a message and exit 120 (the recipe of Python's signal documentation).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # What the system refused (a name too long, a full disk, a file not ours): said, not a traceback.
        print(CicatextError(error.strerror or str(error), file=str(error.filename) if error.filename else None,
                            hint="check the path, the free space and the permissions; a write that failed was not "
                                 "committed (`git status` shows what the files are)").format(), file=sys.stderr)
        return 1
