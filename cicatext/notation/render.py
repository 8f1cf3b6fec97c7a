"""Rendering a tree back to bracketed text.

A tree that was read renders to exactly the characters it was read from
(spacing, punctuation, attributions as written, a bracket left open); nodes
made by operations render in the normal spelling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from cicatext.notation.tree import Attribution, Bracket, Draft, Paragraph, Text


def render(node) -> str:
    """The bracketed text of a Draft, Paragraph, Bracket, Text, Attribution or tuple of inline nodes.

    An Attribution renders alone as written, without the white space before it.
    """
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Attribution):
        return node.source()
    parts: list[str] = []
    emit = parts.append
    if isinstance(node, Draft):
        separators = node.separators
        emit(separators[0] if separators else "")
        for index, paragraph in enumerate(node.paragraphs, 1):
            emit(paragraph.marker)
            _inline(paragraph.content, emit)
            emit(separators[index] if index < len(separators) else "")
    elif isinstance(node, Paragraph):
        emit(node.marker)
        _inline(node.content, emit)
    elif isinstance(node, Bracket):
        _bracket(node, emit)
    elif isinstance(node, tuple | list):
        _inline(tuple(node), emit)
    else:
        raise TypeError(f"cannot render {type(node).__name__}")
    return "".join(parts)


def _inline(nodes, emit: Callable[[str], object]) -> None:
    """Emit inline nodes and every bracket within them, on an explicit stack (brackets nest to any depth)."""
    # The brackets entered and not yet closed, each with what is left of its body to emit.
    stack: list[tuple[Bracket | None, Iterator]] = []
    bracket = None
    pending = iter(nodes)
    while True:
        for node in pending:
            if type(node) is Text:
                emit(node.text)
                continue
            if not node.continued:
                emit("[")
            stack.append((bracket, pending))
            bracket = node
            pending = iter(node.body)
            break
        else:
            if bracket is None:
                return
            if bracket.closed:
                emit("]")
            emit(bracket.trailer)
            for attribution in bracket.attributions:
                emit(attribution.lead)
                emit(attribution.raw or attribution.canonical())
            bracket, pending = stack.pop()


def _bracket(bracket: Bracket, emit: Callable[[str], object]) -> None:
    _inline((bracket,), emit)
