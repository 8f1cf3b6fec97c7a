"""Text from the repository shown as it is written, never read as Textual markup.

A bracketed text (`cultural [and religious] (-CHN)`), a title, a file name or
a commit subject may hold square brackets; a table cell, a label or a
notification given a plain string reads them as markup and drops them.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content


def literal(value: object) -> Content:
    """`value` as content that shows every character of it; content already styled is kept."""
    if isinstance(value, Content):
        return value
    return Content(str(value))


def literal_row(*cells: object) -> list[Content | Text]:
    """A table row whose cells show exactly what they hold.

    Strings become Rich text, which the table measures to size its columns;
    content already styled is kept.
    """
    return [cell if isinstance(cell, (Content, Text)) else Text(str(cell), end="") for cell in cells]
