"""The export formats in one table: each format's name, what it is, the file extensions that imply it, and its writer.

`cicatext export` takes its `--format` choices, the format an output file's
extension implies and the function it calls from `FORMATS`; the table of
formats in docs/exchange.md is checked against it. A writer is named by module
and function and imported only when a document is written in its format, so
that `cicatext --help` does not load python-docx or lxml.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cicatext.exchange.source import ExportDocument


@dataclass(frozen=True)
class Format:
    """One format a document can be exported in."""

    name: str
    """What `--format` takes: `docx`, `html`, ..."""
    label: str
    """What the format is, as the help and the docs name it: `Word`, `HTML`, ..."""
    extensions: tuple[str, ...]
    """The output file extensions (lower case, no dot) that imply this format when `--format` is not given."""
    writer: str
    """The function that turns an `ExportDocument` into the format, as `module:function`."""
    binary: bool
    """The writer returns bytes (a file for `-o` only); otherwise text, which may go to standard output."""

    def write(self, document: ExportDocument) -> str | bytes:
        """The document in this format: text, or bytes when the format is binary."""
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module), function)(document)


FORMATS = (
    Format("docx", "Word", ("docx",), "cicatext.exchange.docx:to_docx", binary=True),
    Format("html", "HTML", ("html", "htm"), "cicatext.exchange.html:to_html", binary=False),
    Format("md", "Markdown", ("md", "markdown"), "cicatext.exchange.markdown:to_markdown", binary=False),
    Format("akn", "Akoma Ntoso", ("xml", "akn"), "cicatext.exchange.akn:to_akn", binary=False),
    Format("txt", "text", ("txt", "text"), "cicatext.exchange.text:to_text", binary=False),
)
"""Every export format, in the order `--format` lists them."""

DEFAULT = "txt"
"""The format of an export whose output file's extension says nothing (or that goes to standard output)."""


def format_named(name: str) -> Format:
    """The format `--format` calls `name`."""
    return next(entry for entry in FORMATS if entry.name == name)


def format_for_extension(extension: str) -> Format | None:
    """The format an output file's extension implies (any case), or None when it implies none."""
    extension = extension.lower()
    return next((entry for entry in FORMATS if extension in entry.extensions), None)
