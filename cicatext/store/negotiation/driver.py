"""cicatext as git's diff driver for document texts, and `git-setup`, which configures a clone to use it.

git runs `cicatext diff-driver` (its external diff) and `cicatext
diff-textconv` (for `git log -p`); both print what the functions here make.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from cicatext.store.layout import (
    DOCUMENT_TEXTS,
    GIT_INFO_ATTRIBUTES,
    GITATTRIBUTES_FILE,
)
from cicatext.store.repository import Repository

DIFF_DRIVER = "cicatext"
"""The name of the diff driver in git's configuration and in the attributes of document texts."""

WORD_REGEX = r"\([+-][A-Z][A-Z0-9]*\)|\([A-Z][A-Z0-9]* tcb\)|[^[:space:]]+"
"""Words for `git diff --word-diff` on document texts: an attribution such as `(CHN tcb)` is one word."""


def _cicatext_command() -> str:
    import shutil

    found = shutil.which("cicatext")
    if found:
        return shlex.quote(found)
    return f"{shlex.quote(sys.executable)} -m cicatext"


def git_setup(repo: Repository) -> dict[str, str]:
    """Configure this clone's git to show document texts through cicatext's diff driver; returns the settings."""
    command = _cicatext_command()
    settings = {
        f"diff.{DIFF_DRIVER}.command": f"{command} diff-driver",
        f"diff.{DIFF_DRIVER}.textconv": f"{command} diff-textconv",
        f"diff.{DIFF_DRIVER}.wordRegex": WORD_REGEX,
        f"diff.{DIFF_DRIVER}.cachetextconv": "false",
    }
    for key, value in settings.items():
        repo.run_git("config", "--local", key, value)
    attributes = repo.path(GITATTRIBUTES_FILE)
    named = attributes.exists() and f"diff={DIFF_DRIVER}" in attributes.read_text(encoding="utf-8")
    if not named:
        info = repo.git_dir() / GIT_INFO_ATTRIBUTES
        info.parent.mkdir(parents=True, exist_ok=True)
        current = info.read_text(encoding="utf-8") if info.exists() else ""
        line = f"{DOCUMENT_TEXTS} diff={DIFF_DRIVER}\n"
        if line not in current:
            info.write_text(current + ("" if not current or current.endswith("\n") else "\n") + line, encoding="utf-8")
        settings["attributes"] = str(info)
    else:
        settings["attributes"] = GITATTRIBUTES_FILE
    return settings


def textconv_view(text: str) -> str:
    """A document text as git shows it: negotiating brackets as ⟦ ⟧, so `[-…-]` and `{+…+}` stay git's own."""
    return text.replace("[", "⟦").replace("]", "⟧")


def plain_patch(path: str, old_file: str, new_file: str) -> bytes:
    """git's own patch of one document text, for `git diff` written to a file or a pipe: what `git apply` takes.

    git hands the external diff two files (or /dev/null); git compares them
    without any driver, and the temporary names in its headers become `a/PATH`
    and `b/PATH`.
    """
    from cicatext.store.git import run_git

    process = run_git(Path.cwd(), "diff", "--no-index", "--no-ext-diff", "--no-textconv", "--no-color",
                      "--no-renames", "--", old_file, new_file, check=False, binary=True)
    named = path.encode("utf-8")
    out = []
    for line in process.stdout.split(b"\n"):
        if line.startswith(b"diff --git "):
            line = b"diff --git a/" + named + b" b/" + named
        elif line.startswith(b"--- ") and line != b"--- /dev/null":
            line = b"--- a/" + named
        elif line.startswith(b"+++ ") and line != b"+++ /dev/null":
            line = b"+++ b/" + named
        out.append(line)
    return b"\n".join(out)


def driver_view(path: str, old_text: str | None, new_text: str | None) -> str:
    """What `git diff` prints for a document text: the changed paragraphs, word by word, bracket-aware."""
    from cicatext.notation.bracket_diff import word_diff_view
    from cicatext.notation.reader import read

    old = read(old_text or "").draft
    new = read(new_text or "").draft
    header = [f"diff --cicatext a/{path} b/{path}",
              "--- " + (f"a/{path}" if old_text is not None else "/dev/null"),
              "+++ " + (f"b/{path}" if new_text is not None else "/dev/null")]
    body = word_diff_view(old, new)
    return "\n".join(header) + "\n" + body
