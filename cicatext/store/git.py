"""The one gateway that starts git: every git command cicatext runs, and what its failure becomes.

It owns how git is started (the program, the folder, UTF-8 text or bytes in
and out, paths taken as written rather than as patterns), the environment git gets (`identity_env` for the author and date
of a commit; `HOOK_VARIABLES`, which a hook's git sets, can be left out),
what a failure becomes (a RepositoryError carrying git's own last words and
a hint), and which calls are batched: `read_objects` reads any number of
objects with one `git cat-file --batch` (`start_reading_objects` begins it
and leaves git reading while the caller goes on); the callers hand `diff-tree`,
`check-attr` and `checkout-index` their whole lists on stdin, and move the
index with one `read-tree`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from cicatext.errors import RepositoryError

LEFT_AS_IT_WAS = "see `git status`; the repository was left as it was"
"""The hint of a failed git command unless the caller gives its own."""

HOOK_VARIABLES = ("GIT_DIR", "GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                  "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_PUSH_OPTION_COUNT")
"""What git sets for a hook it runs: where the repository, its index and the pushed objects in quarantine are."""


def identity_env(author: tuple[str, str] | None, date: str | None) -> dict[str, str]:
    """Environment variables that make git record this author and date for author and committer."""
    env: dict[str, str] = {}
    if author:
        env.update(GIT_AUTHOR_NAME=author[0], GIT_AUTHOR_EMAIL=author[1],
                   GIT_COMMITTER_NAME=author[0], GIT_COMMITTER_EMAIL=author[1])
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return env


def commit_day() -> str:
    """The day a commit made now would carry: git's committer date when the environment sets one
    (`GIT_COMMITTER_DATE=2023-06-20T10:00:00Z`), else today."""
    import os
    import re
    from datetime import datetime, timezone

    said = os.environ.get("GIT_COMMITTER_DATE") or os.environ.get("GIT_AUTHOR_DATE") or ""
    if re.match(r"\d{4}-\d{2}-\d{2}", said):
        return said[:10]
    return datetime.now(timezone.utc).astimezone().date().isoformat()


def run_git(cwd: Path, *args: str, check: bool = True, input: str | bytes | None = None,
            env: Mapping[str, str | None] | None = None, binary: bool = False,
            hint: str | None = LEFT_AS_IT_WAS) -> subprocess.CompletedProcess:
    """Run git in a folder; with `check`, a failure becomes a RepositoryError carrying git's own words and `hint`.

    Input and output are text (UTF-8), or bytes with `binary`. `env` is set
    on top of this process's environment; a variable given as None is left
    out.
    """
    process = _start(cwd, args, input=input, env=env, binary=binary)
    if check and process.returncode != 0:
        raise _failure(args[0], process, hint)
    return process


def resolve(cwd: Path, ref: str) -> str | None:
    """The commit a ref (a branch, a tag, a commit id, `HEAD`, `main~2`...) names, or None when it names none."""
    process = _start(cwd, ("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"), input=None, env=None,
                     binary=False)
    return process.stdout.strip() or None


def read_objects(cwd: Path, specs: list[str] | tuple[str, ...]) -> list[tuple[str, bytes] | None]:
    """(type, content) of each object id or `rev:path`, None where there is none; one `git cat-file --batch`.

    A path is sent as the bytes it was read from (surrogateescape). One holding a line break, which git would
    read as two requests and so shift every later answer, is not sent: it reads as None.
    """
    if not specs:
        return []
    sent = [spec for spec in specs if "\n" not in spec]
    if len(sent) < len(specs):
        return _with_gaps(specs, read_objects(cwd, sent))
    process = _start(cwd, ("cat-file", "--batch"),
                     input=("\n".join(specs) + "\n").encode("utf-8", "surrogateescape"), env=None, binary=True)
    if process.returncode != 0:
        raise _failure("cat-file", process, None)
    return _batch_answers(process.stdout, specs)


def start_reading_objects(cwd: Path, specs: list[str] | tuple[str, ...]
                          ) -> Callable[[], list[tuple[str, bytes] | None]]:
    """`read_objects`, begun: git reads the objects while the caller goes on; what this returns, called, waits
    for git and gives them."""
    if not specs:
        return list
    sent = [spec for spec in specs if "\n" not in spec]
    if len(sent) < len(specs):
        answers = start_reading_objects(cwd, sent)
        return lambda: _with_gaps(specs, answers())
    # git writes to a file, not a pipe: it need not wait for the caller to read as it goes.
    import tempfile

    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(["git", "--literal-pathspecs", "cat-file", "--batch"], cwd=cwd,
                                   stdin=subprocess.PIPE, stdout=out, stderr=err)
    except FileNotFoundError:
        out.close()
        err.close()
        raise RepositoryError("git is not installed", hint="install git and run the command again") from None
    try:
        with process.stdin:
            process.stdin.write(("\n".join(specs) + "\n").encode("utf-8", "surrogateescape"))
    except BrokenPipeError:
        pass  # git ended before reading them all: its exit status and last words say why

    def finish() -> list[tuple[str, bytes] | None]:
        with out, err:
            process.wait()
            out.seek(0)
            err.seek(0)
            done = subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())
        if done.returncode != 0:
            raise _failure("cat-file", done, None)
        return _batch_answers(done.stdout, specs)

    return finish


def _with_gaps(specs: list[str] | tuple[str, ...], answers: list[tuple[str, bytes] | None]
               ) -> list[tuple[str, bytes] | None]:
    """The answers to the specs sent, with None for each spec holding a line break (which was not sent)."""
    found = iter(answers)
    return [None if "\n" in spec else next(found) for spec in specs]


def _batch_answers(out: bytes, specs: list[str] | tuple[str, ...]) -> list[tuple[str, bytes] | None]:
    """(type, content) of each spec from `git cat-file --batch`'s output, None where there is none."""
    found: list[tuple[str, bytes] | None] = []
    at = 0
    for _ in specs:
        newline = out.find(b"\n", at)
        if newline < 0:
            found.append(None)
            continue
        header = out[at:newline].decode("utf-8", "replace").split()
        at = newline + 1
        # "<spec> missing" and "<spec> ambiguous" have two words; an object has three.
        if len(header) < 3:
            found.append(None)
            continue
        size = int(header[2])
        found.append((header[1], out[at:at + size]))
        at += size + 1
    return found


def read_texts(cwd: Path, specs: list[str] | tuple[str, ...]) -> list[str | None]:
    """The text of each `rev:path`, None where no file stands there; bytes that are not UTF-8 read as U+FFFD
    (validate is where a text's encoding is checked). One `git cat-file --batch`."""
    return [item[1].decode("utf-8", "replace") if item and item[0] == "blob" else None
            for item in read_objects(cwd, specs)]


# Git's own command line does all of it, config, refs and commits too, not GitPython: importing GitPython
# takes 60-120 ms (it runs `git version` twice as it loads), while a git call takes 2-5 ms and a command makes
# a handful. Measured, it made `cicatext verify` 50 ms slower listing the round tags and a round 30 ms slower
# reading `core.autocrlf`, and it reads 3,000 commits three times slower than one `cat-file --batch`; its
# config reader, quicker once loaded, does not read config as `git config --type=bool-or-str` does.
def _start(cwd: Path, args: tuple[str, ...], *, input: str | bytes | None,
           env: Mapping[str, str | None] | None, binary: bool) -> subprocess.CompletedProcess:
    """git run to its end, its output captured; RepositoryError when there is no git to run."""
    full_env = None
    if env:
        full_env = dict(os.environ)
        for name, value in env.items():
            if value is None:
                full_env.pop(name, None)
            else:
                full_env[name] = value
    try:
        # Every path cicatext hands git is a file's name as written, never a pattern: a folder named `:notes` or a
        # file named `[draft].txt` is that file, not pathspec magic or a glob.
        return subprocess.run(["git", "--literal-pathspecs", *args], cwd=cwd, capture_output=True, input=input,
                              env=full_env, **({} if binary else {"text": True, "encoding": "utf-8"}))
    except FileNotFoundError:
        raise RepositoryError("git is not installed", hint="install git and run the command again") from None


def relay_git(*args: str, env: Mapping[str, str]) -> int:
    """Run git with this process's standard input and output (for `cicatext serve`, which hands an SSH
    connection to git); git's exit status."""
    try:
        return subprocess.run(["git", *args], env={**os.environ, **env}, check=False).returncode
    except FileNotFoundError:
        raise RepositoryError("git is not installed", hint="install git on the server") from None


def _failure(verb: str, process: subprocess.CompletedProcess, hint: str | None) -> RepositoryError:
    """The error a failed git command becomes: git's last line, or what to do when git cannot commit."""
    said = process.stderr or process.stdout
    said = (said.decode("utf-8", "replace") if isinstance(said, bytes) else said).strip()
    if "Please tell me who you are" in said or "empty ident" in said:
        return RepositoryError(
            "git does not know who you are, so it cannot commit",
            hint='run `git config --global user.name "Your Name"` and `git config --global user.email you@example.org`',
        )
    lines = said.splitlines()
    return RepositoryError(f"git {verb} failed: {lines[-1] if lines else 'no message'}", hint=hint)
