"""What a command loads: each command imports only what it needs, so starting it stays quick.

Every command runs in a fresh interpreter through the real command line, on a
copy of the sample repository; what it imported is read from `sys.modules`
when it ends. The assertions are about which modules came, not about time
(docs/performance.md has the times).
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import subprocess
import sys

import pytest

from cicatext.cli.main import COMMANDS, build_parser, command_modules

SYMBOL = "MC/2023/DRAFT/5"
TEXT = "documents/mc-2023-draft-5/en.txt"

# Runs the command line as `cicatext ARGS`, then prints the modules it imported (once it has ended).
RUN = (
    "import atexit, json, runpy, sys\n"
    "atexit.register(lambda: print('\\n' + json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
    "sys.argv = ['cicatext', *sys.argv[1:]]\n"
    "runpy.run_module('cicatext', run_name='__main__')\n"
)

# Libraries only the UI, Word, age encryption, the schema checker other people run and `init --parties un` need.
NEVER_OUTSIDE_THE_UI = ("textual", "rich", "docx", "lxml", "jsonschema", "pyrage", "pycountry")


def _loaded(repo, *args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _packages(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


def _command_modules(modules: set[str]) -> set[str]:
    return {m.rsplit(".", 1)[1] for m in modules if m.startswith("cicatext.cli.") and m.endswith("_cmds")}


def test_commands_names_the_module_of_every_command():
    """`COMMANDS` (which module to import for a command) holds every command each module registers, and no other."""
    registered = {}
    for name in command_modules():
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"cicatext.cli.{name}").register(subparsers)
        registered.update(dict.fromkeys(subparsers.choices, name))
    assert registered == COMMANDS
    full = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(full.choices) == sorted(COMMANDS)


def test_a_command_is_parsed_as_by_the_full_parser():
    """The parser of one command's module gives the same arguments and help as the full parser."""
    argv = ["diff", "round/a/1", "round/a/2", "SYM", "--json"]
    assert vars(build_parser("diff").parse_args(argv)) == vars(build_parser().parse_args(argv))
    only = next(a for a in build_parser("diff")._actions if isinstance(a, argparse._SubParsersAction))
    full = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert only.choices["diff"].format_help() == full.choices["diff"].format_help()


def test_the_command_line_modules_import_no_heavy_library_at_the_top():
    """The command modules import the core, the UI and the heavy libraries inside their handlers: at the top only
    some of the standard library, `cicatext.errors`, `store.layout` and the export formats' table."""
    standard = {"__future__", "argparse", "bisect", "collections", "datetime", "importlib", "json", "os", "pathlib",
                "pkgutil", "re", "sys"}
    ours = {"cicatext", "cicatext.errors", "cicatext.store.layout", "cicatext.exchange.formats"}
    for name in [*command_modules(), "main", "output"]:
        module = importlib.import_module(f"cicatext.cli.{name}")
        with open(module.__file__, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                found = [node.module or ""]
            else:
                continue
            for imported in found:
                assert imported in ours or imported.split(".")[0] in standard, (name, imported)


@pytest.mark.parametrize("args", [
    ("--help",),
    ("diff", "--help"),
    ("log", SYMBOL),
    ("validate",),
    ("brackets", TEXT),
    ("check", TEXT),
    ("diff", "main~4", "main"),
    ("search", "dialogue"),
])
def test_a_command_outside_the_ui_loads_no_ui_word_or_schema_library(demo_repo, args):
    """No command but `tui` loads Textual, Word, age or jsonschema; none but diff and search loads rapidfuzz, none
    but search SQLite; a named command loads no other group's command module (the diff: nor pkgutil, which finds
    them, nor OpenSSL's hashes, nor the parties)."""
    modules = _loaded(demo_repo.root, *args)
    command, helps = args[0], "--help" in args
    assert _packages(modules, NEVER_OUTSIDE_THE_UI) == []
    if command != "search" or helps:
        assert _packages(modules, ("sqlite3",)) == []
    if command not in ("diff", "search") or helps:
        assert _packages(modules, ("rapidfuzz",)) == []
    expected = set(command_modules()) if command == "--help" else {COMMANDS[command]}
    assert _command_modules(modules) == expected
    if command == "diff":
        # Only the full help looks for every command module; the ids' blake2b comes without OpenSSL's hashes.
        assert not {"pkgutil", "_hashlib", "cicatext.records.parties"} & modules
    if helps:
        # Help is the parser alone: none of the core (the layout's names aside), no YAML, no git.
        assert _packages(modules, ("ruamel", "subprocess")) == []
        assert [m for m in modules if m.startswith(("cicatext.store.", "cicatext.notation."))] in (
            [], ["cicatext.store.layout"])
