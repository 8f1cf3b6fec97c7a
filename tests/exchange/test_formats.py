"""The table of export formats: what the docs list, what the command offers, and what each writer returns."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cicatext.exchange.formats import DEFAULT, FORMATS, format_for_extension, format_named
from cicatext.exchange.source import load

DOC = Path(__file__).resolve().parents[2] / "docs" / "exchange.md"
DRAFT5 = "MC/2023/DRAFT/5"


def _doc_table_rows() -> list[str]:
    """The first cells of the rows of docs/exchange.md's table of formats (the one headed `| format |`)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("| format |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows


def test_docs_table_lists_exactly_the_formats():
    """docs/exchange.md's table of formats has one row per format, named as the table names it, in its order."""
    assert _doc_table_rows() == [f"**{entry.label}** (`{entry.name}`)" for entry in FORMATS]


def test_docs_synopsis_and_extensions_follow_the_table():
    """The doc's `--format` synopsis lists the formats, and its list of extensions is every extension the table maps."""
    doc = DOC.read_text(encoding="utf-8")
    assert f"[--format {'|'.join(entry.name for entry in FORMATS)}]" in doc
    listed = re.search(r"defaults to the extension of `-o` \((.*?)\), else `(\w+)`", doc, re.S)
    assert listed is not None
    assert listed.group(2) == DEFAULT
    assert re.findall(r"`\.(\w+)`", listed.group(1)) == [ext for entry in FORMATS for ext in entry.extensions]


def test_the_command_offers_the_tables_formats():
    """`cicatext export --format` takes exactly the table's formats, in its order."""
    from cicatext.cli.main import build_parser

    parser = build_parser()
    export = next(action for action in parser._subparsers._group_actions).choices["export"]
    option = next(action for action in export._actions if "--format" in action.option_strings)
    assert tuple(option.choices) == tuple(entry.name for entry in FORMATS)


def test_each_extension_implies_one_format():
    """No extension implies two formats, and an extension implies its format in any case."""
    extensions = [ext for entry in FORMATS for ext in entry.extensions]
    assert len(extensions) == len(set(extensions))
    assert format_for_extension("HTM") is format_named("html")
    assert format_for_extension("XML") is format_named("akn")
    assert format_for_extension("pdf") is None


@pytest.mark.parametrize("entry", FORMATS, ids=lambda entry: entry.name)
def test_each_writer_returns_text_or_bytes_as_the_table_says(demo_repo, entry):
    """Each format's writer turns the sample draft into bytes when the format is binary, into text otherwise."""
    data = entry.write(load(demo_repo, DRAFT5))
    assert isinstance(data, bytes if entry.binary else str)
    assert len(data) > 1000


def test_help_loads_no_writer():
    """`cicatext --help` and `cicatext export --help` import neither python-docx, lxml nor any format's writer."""
    check = textwrap.dedent("""
        import contextlib, io, sys
        from cicatext.cli.main import main
        from cicatext.exchange.formats import FORMATS
        for argv in (["--help"], ["export", "--help"]):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
                main(argv)
        writers = {entry.writer.partition(":")[0] for entry in FORMATS}
        print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("docx", "lxml") or m in writers)))
    """)
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
