"""Helpers shared by the exchange tests."""

from __future__ import annotations


def edit_paragraph(repo, path: str, paragraph_id: str, old: str, new: str, message: str) -> str:
    """Replace text inside one paragraph of a document text and commit it; returns the commit id."""
    text = repo.read_text(path)
    lines = text.split("\n\n")
    for index, block in enumerate(lines):
        if block.startswith(f"{{#{paragraph_id}}} "):
            assert old in block, f"{old!r} not in {paragraph_id}"
            lines[index] = block.replace(old, new, 1)
            break
    else:
        raise AssertionError(f"no paragraph {paragraph_id} in {path}")
    return repo.commit({path: "\n\n".join(lines)}, message)
