"""The shared bare repository's guard: `server init` prepares it, `server check` (its pre-receive hook) enforces who may push what.

git runs the pre-receive hook with the pushed objects in quarantine: the hook
reads them with plumbing (`rev-list`, `diff-tree`, `cat-file`), and when it
refuses, git deletes them, so nothing refused stays on the server.

The rules, each refusal one line naming the ref, the commit and what to do:

- only `main`, `delegations/CODE` (CODE a registered code), `round/*` and
  `rev/*` tags are taken; nothing is deleted; `main` and delegation branches
  only move forward; round and revision tags never move (what follows says of
  a round tag holds for a revision tag);
- a commit new to `delegations/CODE` changes, on its own, only
  `positions/CODE/` (a merge's own changes are those no parent has), and if it
  is signed, the key is CODE's; with `--require-signatures` it must be signed;
- a commit new to `main` writes no delegation's position set on its own; with
  `--require-signatures` each one not already accepted on a delegation branch
  is signed by a Secretariat key, or named by a round tag of this push signed
  by one (`git tag -s`); a round tag is signed by a Secretariat key, or names a
  commit signed by one;
- every pushed tip validates: no new error of `cicatext validate` (schemas,
  notation, codes) compared with what the branch held before.

Keys come from `keys/` on the server's `main` as it was before the push, so a
push cannot bring the key that signs it. The first push that creates `main`
founds the repository and is taken as it is (the Secretariat makes it right
after `server init`).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cicatext.errors import CicatextError, Problem, UsageError
from cicatext.store import limits
from cicatext.store.git import HOOK_VARIABLES, run_git
from cicatext.store.layout import (
    KEYS_DIR,
    STATES_DIR,
    delegation_folder,
    position_owner,
)
from cicatext.store.trust import attribution_guard
from cicatext.store.trust.keys import KeyRing
from cicatext.store.trust.ssh import PUSHER_VARIABLE
from cicatext.store.trust.tags import Tag, read_tag, tag_problem
from cicatext.store.trust.verify import (
    ZERO,
    Git,
    Signature,
    Verifier,
    secretariat_in,
    settings_at,
)

if TYPE_CHECKING:
    from cicatext.store.limits import Limits

MAIN_REF = "refs/heads/main"
BRANCH_PREFIX = "refs/heads/delegations/"
ROUND_PREFIX = "refs/tags/round/"
REVISION_PREFIX = "refs/tags/rev/"
SECRETARIAT_TAGS = (ROUND_PREFIX, REVISION_PREFIX)
"""The tags only the Secretariat sets: a round's, and a revision's (imported from the Chair or issued as amended)."""
CONFIG_SIGNATURES = "cicatext.requireSignatures"
HOOK_MARK = "# installed by `cicatext server init`"

_OUTSIDE_HOOK = dict.fromkeys(HOOK_VARIABLES)
"""The hook's git variables left out: `server init` works on the folder it is given, wherever it runs."""


@dataclass(frozen=True)
class Update:
    """One ref update of a push, as git hands it to pre-receive."""

    old: str
    new: str
    ref: str

    @property
    def short(self) -> str:
        for prefix in ("refs/heads/", "refs/tags/"):
            if self.ref.startswith(prefix):
                return self.ref[len(prefix):]
        return self.ref


@dataclass(frozen=True)
class Refusal:
    """Why one ref update is refused, in one line."""

    ref: str
    commit: str | None
    reason: str
    hint: str

    def line(self) -> str:
        where = f" ({self.commit[:10]})" if self.commit else ""
        return f"cicatext: refused {shown(self.ref)}{where}: {self.reason}; {self.hint}"


NAME_MAX = 255
"""The most bytes one part of a path may hold on the file systems a server runs on (ext4, XFS, btrfs)."""


def shown(name: str) -> str:
    """A pushed name (read with surrogateescape) as one line shows it: bytes that are not UTF-8 and control
    characters escaped (`positions/CHN/\\xff\\xfe.yaml`, `a\\nb.yaml`)."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def name_problem(path: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) with a pushed file's name that no checkout could write or no line could
    show: not UTF-8, a control character, a part longer than a file system takes; None for a plain name."""
    from cicatext.store.files import not_utf8_name

    unnamed = not_utf8_name(path)
    if unnamed is not None:
        return unnamed.message, "rename it with a UTF-8 name (`git mv`, rewriting your unpushed commits), then push again"
    if not all(c.isprintable() or c == " " for c in path):
        return (f"the file name '{shown(path)}' holds a control character",
                "rename it (`git mv`, rewriting your unpushed commits), then push again")
    if any(len(part.encode()) > NAME_MAX for part in path.split("/")):
        return (f"the file name '{shown(path)[:80]}...' is too long: a part of it is over {NAME_MAX} bytes",
                "give it a shorter name (`git mv`, rewriting your unpushed commits), then push again")
    return None


def ref_problem(ref: str) -> str | None:
    """What is wrong with a pushed ref's name that no line could show (not UTF-8, a control character); None."""
    try:
        ref.encode("utf-8")
    except UnicodeEncodeError:
        return f"the name {shown(ref)} is not UTF-8"
    if not ref.isprintable():
        return f"the name {shown(ref)} holds a control character"
    return None


def hook_script() -> str:
    """The pre-receive hook: this interpreter running this cicatext's `server check`."""
    import shlex

    import cicatext

    package_parent = Path(cicatext.__file__).resolve().parent.parent
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARK}: every push is checked before any ref moves.\n"
        f"PYTHONPATH={shlex.quote(str(package_parent))}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        "export PYTHONPATH\n"
        f"exec {shlex.quote(sys.executable)} -m cicatext server check\n"
    )


def init_server(path: str | os.PathLike, *, require_signatures: bool = True) -> dict:
    """Make (or re-arm) a shared bare repository: strict receive settings and the pre-receive hook."""
    bare = Path(path).resolve()
    if not bare.exists() or (bare.is_dir() and not any(bare.iterdir())):
        bare.mkdir(parents=True, exist_ok=True)
        run_git(bare, "init", "--quiet", "--bare", "--initial-branch=main", str(bare), env=_OUTSIDE_HOOK, hint=None)
    probe = run_git(bare, "rev-parse", "--is-bare-repository", check=False, env=_OUTSIDE_HOOK)
    if probe.returncode != 0 or probe.stdout.strip() != "true":
        raise UsageError(f"{bare} is not a bare git repository",
                         hint="give a new folder (it will be made) or an existing bare repository (`git init --bare`)")
    settings = {
        "receive.fsckObjects": "true",
        "receive.denyNonFastForwards": "true",
        "receive.denyDeletes": "true",
        CONFIG_SIGNATURES: "true" if require_signatures else "false",
    }
    for key, value in settings.items():
        run_git(bare, "config", key, value, env=_OUTSIDE_HOOK, hint=None)
    hooks = bare / "hooks"
    hooks.mkdir(exist_ok=True)
    hook = hooks / "pre-receive"
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        raise UsageError(f"{hook} exists and was not made by cicatext",
                         hint="move it aside (cicatext's hook must be the pre-receive hook), then run server init again")
    from cicatext.store.files import write_atomic

    write_atomic(hook, hook_script())
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return {"repository": str(bare), "hook": str(hook), **settings}


def read_updates(lines: Iterable[str]) -> list[Update]:
    """The ref updates pre-receive gets on stdin (`OLD NEW REF` per line)."""
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            updates.append(Update(*parts))
    return updates


class PushCheck:
    """Checks one push against the rules; `refusals()` lists every broken rule."""

    def __init__(self, git: Git, updates: Sequence[Update], *, require_signatures: bool,
                 pusher: str | None = None) -> None:
        self.git = git
        self.updates = list(updates)
        self.require = require_signatures
        self.pusher = pusher
        self.main = git.resolve(MAIN_REF)
        pushed_main = next((u.new for u in updates if u.ref == MAIN_REF and u.new != ZERO), None)
        self.founding = self.main is None and pushed_main is not None
        registry_ref = self.main or pushed_main
        self.ring = git.keyring(registry_ref) if registry_ref else KeyRing()
        # The settings of main as it stands (of the pushed main, for the founding push), read once.
        settings = settings_at(git, registry_ref) if registry_ref else {}
        self.secretariat = secretariat_in(settings)
        self.codes = self._codes(registry_ref) if registry_ref else set()
        # A push is read under the limits of main as it stood: it cannot raise its own (docs/trust.md, Limits).
        self.limits = limits.Limits.of(settings) if self.main else limits.DEFAULT
        self.verifier = Verifier(self.ring)

    def _codes(self, ref: str) -> set[str]:
        listing = self.git.run("ls-tree", "--name-only", "-z", f"{ref}:{STATES_DIR}", check=False)
        codes = {name.decode("utf-8", "surrogateescape").removesuffix(".yaml")
                 for name in listing.split(b"\0") if name.endswith(b".yaml")}
        return codes | {self.secretariat}

    def close(self) -> None:
        self.verifier.close()

    def refusals(self) -> list[Refusal]:
        found: list[Refusal] = []
        for update in self.updates:
            found.extend(self._check(update))
        return found

    def _check(self, update: Update) -> list[Refusal]:
        ref = update.short
        odd = ref_problem(update.ref)
        if odd:
            return [Refusal(ref, update.new if update.new != ZERO else None, odd,
                            "the shared repository takes only main, delegations/CODE, round/* and rev/* tags, named "
                            "in plain letters and digits")]
        if update.new == ZERO:
            return [Refusal(ref, None, "the shared repository never deletes main, a delegation branch or a tag",
                            "nothing was changed; ask the Secretariat if a branch must go")]
        not_owner = self._pusher_owns(update)
        if not_owner:
            return not_owner
        if update.ref == MAIN_REF:
            return self._main(update)
        if update.ref.startswith(BRANCH_PREFIX):
            return self._delegation(update)
        if update.ref.startswith(SECRETARIAT_TAGS):
            return self._round_tag(update)
        return [Refusal(ref, update.new, "the shared repository takes only main, delegations/CODE, round/* and rev/* tags",
                        "push your work to delegations/<your code> (`cicatext delegation start CODE`)")]

    def _pusher_owns(self, update: Update) -> list[Refusal]:
        """When the connection says who pushes (`cicatext serve`): a delegation moves only its own branch, the
        Secretariat main and the round and revision tags."""
        if self.pusher is None:
            return []
        if update.ref.startswith(BRANCH_PREFIX):
            owner = update.ref[len(BRANCH_PREFIX):]
        elif update.ref == MAIN_REF or update.ref.startswith(SECRETARIAT_TAGS):
            owner = self.secretariat
        else:
            return []
        if self.pusher == owner:
            return []
        return [Refusal(update.short, update.new, f"pushed by {self.pusher}: only {owner} moves {update.short}",
                        f"push to delegations/{self.pusher}" if self.pusher != self.secretariat
                        else "a delegation's branch is pushed by that delegation")]

    def _fast_forward(self, update: Update) -> list[Refusal]:
        if update.old != ZERO and not self.git.ok("merge-base", "--is-ancestor", update.old, update.new):
            return [Refusal(update.short, update.new, "this is a force push: it would drop commits already shared",
                            f"pull first (`git pull --rebase origin {update.short}` or merge), then push without --force")]
        return []

    def _new_commits(self, update: Update, *exclude: str) -> list[str]:
        args = ["rev-list", "--topo-order", "--reverse", update.new]
        args += [f"^{x}" for x in (update.old, *exclude) if x and x != ZERO]
        return self.git.text(*args).split()

    def _delegation(self, update: Update) -> list[Refusal]:
        code = update.ref[len(BRANCH_PREFIX):]
        ref = update.short
        if self.main is None:
            return [Refusal(ref, update.new, "the shared repository has no main yet",
                            "the Secretariat pushes main first; then start your branch from it")]
        if "/" in code or code not in self.codes:
            from cicatext.notation.codes import suggest

            nearest = suggest(code, self.codes) if self.codes else None
            return [Refusal(ref, update.new, f"{code!r} is no registered delegation code",
                            (f"did you mean delegations/{nearest}? " if nearest else "")
                            + f"a delegation branch is delegations/<code from {STATES_DIR}>")]
        refusals = self._fast_forward(update)
        if refusals:
            return refusals
        commits = self._new_commits(update, self.main)
        if not commits:
            return self._validate(update, base=update.old if update.old != ZERO else self.main)
        parents = self.git.parents(commits)
        changes = self.git.own_changes(commits)
        raws = dict(zip(commits, self.git.objects(commits)))
        own = f"{delegation_folder(code)}/"
        for commit in commits:
            if not parents.get(commit):
                return [Refusal(ref, commit, "a delegation branch cannot bring a history of its own (root commit)",
                                f"start from main: `cicatext delegation start {code}`")]
            if odd := _odd_names(ref, commit, changes[commit]):
                return odd
            outside = sorted(p for p in changes[commit] if not p.startswith(own))
            if outside:
                more = f" and {len(outside) - 1} more" if len(outside) > 1 else ""
                return [Refusal(ref, commit, f"changes {outside[0]}{more}, outside {own}",
                                "a delegation changes only its own position sets; undo that change "
                                "(`git revert` or rewrite your unpushed commits) and propose with `cicatext propose`")]
            if guarded := attribution_guard.commit_problems(self.git, commit, changes[commit], code, self.limits):
                return [Refusal(ref, commit, guarded[0].headline(), guarded[0].hint or "")]
            item = raws.get(commit)
            signature = self.verifier.commit(item[1] if item else b"")
            if signature.status == "unsigned":
                if self.require:
                    return [Refusal(ref, commit, f"the commit is unsigned, and this repository requires {code}'s signature",
                                    f"sign it with {code}'s registered key: `git -c gpg.format=ssh -c "
                                    "user.signingkey=KEYFILE commit --amend -S --no-edit` (or rebase -S)")]
                continue
            if signature.code != code:
                return [Refusal(ref, commit, f"{signature.describe()}; only {code}'s keys sign on delegations/{code}",
                                f"a delegation speaks only for itself: push to your own branch, or sign with "
                                f"{code}'s registered key (`cicatext keys list`)")]
        return self._validate(update, base=update.old if update.old != ZERO else self.main)

    def _vouching_tags(self) -> set[str]:
        """Commits named by round or revision tags of this push that pass every tag rule (Secretariat-signed)."""
        vouched = set()
        for update in self.updates:
            if update.ref.startswith(SECRETARIAT_TAGS) and update.new != ZERO:
                tag = read_tag(self.git, update.new)
                if tag is not None:
                    refusals, signer = self._tag_refusals(update, tag)
                    if not refusals and signer == self.secretariat:
                        vouched.add(tag.target)
        return vouched

    def _signers(self, commits: Sequence[str]) -> dict[str, Signature]:
        raws = dict(zip(commits, self.git.objects(list(commits))))
        return {c: self.verifier.commit(raws[c][1] if raws.get(c) else b"") for c in commits}

    def _main(self, update: Update) -> list[Refusal]:
        ref = update.short
        if self.founding:
            return []
        refusals = self._fast_forward(update)
        if refusals:
            return refusals
        tips = [line.split()[0] for line in self.git.text(
            "for-each-ref", "--format=%(objectname)", "refs/heads/delegations/").splitlines() if line.strip()]
        commits = self._new_commits(update, *tips)
        changes = self.git.own_changes(commits)
        for commit in commits:
            if odd := _odd_names(ref, commit, changes[commit]):
                return odd
            foreign = sorted(p for p in changes[commit] if position_owner(p) is not None)
            if foreign:
                code = position_owner(foreign[0])
                return [Refusal(ref, commit, f"writes {foreign[0]} on main: a position set comes to main only "
                                f"from delegations/{code}, through a round",
                                f"let {code} propose it on its branch, then run `cicatext round`")]
        # main's own line: every commit the push adds to main's first-parent history is the Secretariat's
        # (signed, or a round or revision merge named by its signed tag), whoever pushes and whatever it merges.
        line = self.git.text("rev-list", "--first-parent", update.new, f"^{update.old}").split()
        on_branches = set(self.git.text("rev-list", *tips, f"^{update.old}").split()) if tips else set()
        vouched = self._vouching_tags()
        signers = self._signers(list(dict.fromkeys([*line, *commits])))
        registry_has_secretariat = bool(self.ring.keys_of(self.secretariat))
        for commit in line:
            signature = signers[commit]
            if signature.code == self.secretariat or commit in vouched:
                continue
            if commit in on_branches:
                return [Refusal(ref, commit, f"main's new tip would be a delegation's commit ({signature.describe()}); "
                                "main moves only by the Secretariat",
                                "the Secretariat brings proposals to main with `cicatext round`")]
            if self.require or signature.status != "unsigned":
                return [Refusal(ref, commit, f"{signature.describe()}; main moves only by the Secretariat's keys",
                                "the Secretariat signs its commits (git config commit.gpgSign true, gpg.format ssh) "
                                "and with it its round tags")]
        for commit in commits:
            signature = signers[commit]
            if signature.code == self.secretariat or commit in vouched:
                continue
            if self.require or signature.status != "unsigned":
                return [Refusal(ref, commit, f"{signature.describe()}; main moves only by the Secretariat's keys",
                                "the Secretariat signs its commits (git config commit.gpgSign true, gpg.format ssh) "
                                "and with it its round tags")]
            keys = sorted(p for p in changes[commit] if p.startswith(f"{KEYS_DIR}/"))
            if keys and registry_has_secretariat:
                return [Refusal(ref, commit, f"changes {keys[0]} unsigned: the key registry changes only by a "
                                "commit signed with the Secretariat's key",
                                "sign it: `git commit --amend -S` with a key registered for "
                                f"{self.secretariat}")]
        return self._validate(update, base=update.old)

    def _tag_refusals(self, update: Update, tag: Tag) -> tuple[list[Refusal], str | None]:
        """What is wrong with a round or revision tag object, and the code of its verified signer."""
        ref = update.short
        signer_code = None
        if tag.signed:
            signer = self.verifier.tag(tag.raw)
            if signer.code != self.secretariat:
                return [Refusal(ref, update.new, f"the tag is {signer.describe()}: round and revision tags are "
                                "set only with the Secretariat's keys",
                                f"sign the tag (`git tag -s`, or tag.gpgSign true) with a key registered for "
                                f"{self.secretariat}")], None
            signer_code = signer.code
        elif self.require:
            return [Refusal(ref, update.new, "the tag is unsigned: round and revision tags are set only with the "
                            "Secretariat's keys",
                            f"sign the tag (`git tag -s`, or tag.gpgSign true) with a key registered for "
                            f"{self.secretariat}")], None
        why = tag_problem(self.git, tag, ref)
        if why:
            return [Refusal(ref, update.new, why[0], why[1])], None
        return [], signer_code

    def _round_tag(self, update: Update) -> list[Refusal]:
        ref = update.short
        if update.old != ZERO:
            return [Refusal(ref, update.new, "a round tag, once shared, never moves",
                            "a new round gets the next number; `git fetch --tags` to see the shared ones")]
        tag = read_tag(self.git, update.new)
        if tag is None:
            return [Refusal(ref, update.new, "a lightweight tag: round and revision tags are annotated tags signed "
                            "by the Secretariat", "`cicatext round` (with commit.gpgSign true) makes them; "
                            f"or `git tag -s -m MESSAGE {ref} COMMIT`")]
        refusals, _ = self._tag_refusals(update, tag)
        if refusals:
            return refusals
        main_after = next((u.new for u in self.updates if u.ref == MAIN_REF and u.new != ZERO), self.main)
        if main_after is None or not self.git.ok("merge-base", "--is-ancestor", tag.target, main_after):
            return [Refusal(ref, update.new, "a round tag names a commit on main",
                            "push main together with the tag: `git push --follow-tags origin main`")]
        return []

    def _validate(self, update: Update, *, base: str | None) -> list[Refusal]:
        errors = tree_problems(self.git, update.new, self.limits)
        if isinstance(errors, Refusal):
            return [Refusal(update.short, update.new, errors.reason, errors.hint)]
        errors = [p for p in errors if p.severity == "error"]
        if errors and base:
            before = tree_problems(self.git, base, self.limits)
            if not isinstance(before, Refusal):
                known = {(p.file, p.message) for p in before}
                errors = [p for p in errors if (p.file, p.message) not in known]
        if not errors:
            return []
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return [Refusal(update.short, update.new, f"{first.headline()}{more}",
                        (first.hint + "; " if first.hint else "") + "run `cicatext validate` before pushing")]


def _odd_names(ref: str, commit: str, paths: Iterable[str]) -> list[Refusal]:
    """The refusal of the first file a commit changes whose name is not plain (`name_problem`)."""
    for path in sorted(paths):
        problem = name_problem(path)
        if problem:
            return [Refusal(ref, commit, *problem)]
    return []


def tree_problems(git: Git, commit: str, bounds: Limits | None = None) -> list[Problem] | Refusal:
    """`cicatext validate` on a commit's tree, written out to a scratch folder, under `bounds` (by default, those
    the tree's own settings set)."""
    from cicatext.store.limits import DEFAULT, oversized_blob
    from cicatext.store.repository import Repository
    from cicatext.store.validation.validate import validate

    # From the tree's sizes: a huge file is refused before it is read.
    big = oversized_blob(git.cwd, commit, bounds or DEFAULT)
    if big is not None:
        return Refusal("", commit, big.message, big.hint)
    with tempfile.TemporaryDirectory(prefix="cicatext-tree-") as folder:
        root = Path(folder) / "tree"
        refusal = export_tree(git, commit, root)
        if refusal is not None:
            return refusal
        with _scrubbed_environment():
            try:
                return validate(Repository(root, limits=bounds))
            except CicatextError as error:
                return [error.problem]


def export_tree(git: Git, commit: str, root: Path) -> Refusal | None:
    """Write every file of a commit's tree under `root`; a Refusal for symbolic links and submodules."""
    listing = git.run("ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0")
    entries = []
    for item in listing:
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        name = path.decode("utf-8", "surrogateescape")
        if mode == "120000" or kind != "blob":
            what = "a symbolic link" if mode == "120000" else "a submodule"
            return Refusal("", commit, f"{shown(name)} is {what}", "the repository holds plain files only")
        if name.startswith("/") or ".." in name.split("/"):
            return Refusal("", commit, f"{shown(name)} is no plain relative path", "rename the file")
        problem = name_problem(name)
        if problem:
            return Refusal("", commit, *problem)
        entries.append((name, oid))
    root.mkdir(parents=True, exist_ok=True)
    for (name, _), content in zip(entries, git.objects([oid for _, oid in entries])):
        target = root / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content[1] if content else b"")
        except OSError as error:
            # A path this file system cannot hold (too long as a whole, a file where a folder must be).
            return Refusal("", commit, f"{shown(name)[:120]} cannot be written out to be checked "
                           f"({error.strerror or 'an error of the file system'})",
                           "give it a shorter or plainer name (`git mv`), then push again")
    return None


@contextmanager
def _scrubbed_environment():
    """Hide the hook's git variables from validation, which must see a plain folder, not the bare repository."""
    saved = {k: os.environ.pop(k) for k in HOOK_VARIABLES if k in os.environ}
    saved_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = tempfile.gettempdir()
    try:
        yield
    finally:
        os.environ.update(saved)
        if saved_ceiling is None:
            os.environ.pop("GIT_CEILING_DIRECTORIES", None)
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = saved_ceiling


def run_check(lines: Iterable[str], *, cwd: str | os.PathLike = ".", out=sys.stderr) -> int:
    """The pre-receive hook's work: 0 to accept the push, 1 (after one line per refusal) to refuse it."""
    git = Git(Path(cwd))
    # Unset means required: only `server init --allow-unsigned` writes false.
    require = git.run("config", "--bool", CONFIG_SIGNATURES, check=False).decode().strip() != "false"
    pusher = os.environ.get(PUSHER_VARIABLE) or None
    updates = read_updates(lines)
    check = PushCheck(git, updates, require_signatures=require, pusher=pusher)
    try:
        refusals = check.refusals()
    finally:
        check.close()
    for refusal in refusals:
        print(refusal.line(), file=out)
    if refusals:
        # git rejects every ref of a refused push; say which of them nothing was wrong with.
        refused = {refusal.ref for refusal in refusals}
        for update in updates:
            if update.short not in refused and update.ref not in refused:
                print(f"cicatext: not taken {shown(update.short)}: nothing is wrong with it, but a push is taken whole or "
                      "not at all; push it again once the refused refs above are mended, or on its own", file=out)
    return 1 if refusals else 0
