"""Verified authorship: whose key signed each commit, and whether that party was entitled to make that change.

A commit's signature (git's SSH signature, the `gpgsig` header) names its key;
the key registry (`keys/allowed_signers`, see `cicatext.store.trust.keys`) says which
code the key speaks for; `ssh-keygen -Y verify` checks the signature itself.

A commit's *own changes* are the paths where it differs from its parent, or,
for a merge, from every parent (a change no parent had: what the merge itself
introduced). Entitlement:

- a delegation may change only `positions/<its code>/`;
- the Secretariat may change anything except a delegation's position sets,
  which only that delegation writes (a round carries them over from the
  delegation's branch unchanged, so they are no change of the round's own).

The same functions serve the shared repository's pre-receive check
(`cicatext.store.trust.server`), on the pushed objects in quarantine.
"""

from __future__ import annotations

import base64
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cicatext.errors import UsageError
from cicatext.store.git import read_objects, read_texts, resolve, run_git
from cicatext.store.layout import (
    ALLOWED_SIGNERS_PATH,
    REVOKED_PATH,
    SETTINGS_FILE,
    delegation_folder,
    position_owner,
)
from cicatext.store.trust.keys import KeyRing, fingerprint

NAMESPACE = "git"
ZERO = "0" * 40


class Git:
    """Plumbing on one git directory (a work tree or a bare repository), through the gateway `cicatext.store.git`."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = Path(cwd)

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        """git's stdout; RepositoryError carrying git's words when it fails and `check` is set."""
        return run_git(self.cwd, *args, input=input, check=check, binary=True, hint=None).stdout

    def ok(self, *args: str) -> bool:
        """True when the git command succeeds."""
        return run_git(self.cwd, *args, check=False, binary=True).returncode == 0

    def text(self, *args: str) -> str:
        return self.run(*args).decode("utf-8", "replace")

    def objects(self, specs: Sequence[str]) -> list[tuple[str, bytes] | None]:
        """(type, content) of each object or `rev:path`, None when missing; one `git cat-file --batch`."""
        return read_objects(self.cwd, list(specs))

    def blob_text(self, spec: str) -> str | None:
        """The UTF-8 text of `rev:path`, or None when there is none."""
        return read_texts(self.cwd, [spec])[0]

    def resolve(self, ref: str) -> str | None:
        """The commit a ref names, or None."""
        return resolve(self.cwd, ref)

    def keyring(self, ref: str) -> KeyRing:
        """The key registry as it stands at a commit."""
        allowed, revoked = read_texts(self.cwd, [f"{ref}:{ALLOWED_SIGNERS_PATH}", f"{ref}:{REVOKED_PATH}"])
        return KeyRing.from_texts(allowed, revoked)

    def parents(self, commits: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """Each commit's parents."""
        result = {}
        for commit, item in zip(commits, self.objects(list(commits))):
            if item is None:
                continue
            result[commit] = tuple(line.split()[1].decode() for line in item[1].split(b"\n\n", 1)[0].splitlines()
                                   if line.startswith(b"parent "))
        return result

    def own_changes(self, commits: Sequence[str]) -> dict[str, set[str]]:
        """The paths each commit changes on its own: against its parent, or, for a merge, against every parent."""
        parents = self.parents(commits)
        pairs: list[tuple[str, str | None]] = []
        for commit in commits:
            ps = parents.get(commit, ())
            pairs.extend((commit, p) for p in ps) if ps else pairs.append((commit, None))
        changed: dict[tuple[str, str | None], set[str]] = {}
        with_parent = [(c, p) for c, p in pairs if p is not None]
        if with_parent:
            lines = "".join(f"{c} {p}\n" for c, p in with_parent).encode()
            out = self.run("diff-tree", "--stdin", "-r", "--no-renames", "--name-only", "-z", "--always", input=lines)
            tokens = out.split(b"\0")
            index = 0
            for pair in with_parent:
                while index < len(tokens) and tokens[index].decode("utf-8", "replace") != pair[0]:
                    index += 1
                index += 1
                paths: set[str] = set()
                nexts = {q[0] for q in with_parent}
                while index < len(tokens) and tokens[index] and not (
                        len(tokens[index]) == 40 and tokens[index].decode("utf-8", "replace") in nexts):
                    paths.add(tokens[index].decode("utf-8", "surrogateescape"))
                    index += 1
                changed[pair] = paths
        for commit, parent in pairs:
            if parent is None:
                listing = self.run("ls-tree", "-r", "-z", "--name-only", commit).split(b"\0")
                changed[(commit, None)] = {p.decode("utf-8", "surrogateescape") for p in listing if p}
        result: dict[str, set[str]] = {}
        for commit in commits:
            sets = [changed[(c, p)] for c, p in pairs if c == commit]
            result[commit] = set.intersection(*sets) if sets else set()
        return result


@dataclass(frozen=True)
class Signature:
    """What a commit's (or tag's) signature says about who made it."""

    status: str
    """`good`, `unsigned`, `bad` (does not verify), `unknown-key` (no code owns it) or `revoked`."""
    codes: tuple[str, ...] = ()
    """The codes the signing key speaks for (empty when unknown)."""
    fingerprint: str | None = None
    """The key's SHA256 fingerprint when the object is signed."""
    detail: str = ""
    """ssh-keygen's words when verification failed."""

    @property
    def code(self) -> str | None:
        """The verified signer's code, only when the signature is good."""
        return self.codes[0] if self.status == "good" and self.codes else None

    def describe(self) -> str:
        """One phrase: `signed by CHN (SHA256:...)`, `unsigned`, `signed with a revoked key of IND`..."""
        who = "/".join(self.codes)
        if self.status == "good":
            return f"signed by {who} ({self.fingerprint or self.detail})"
        if self.status == "unsigned":
            return "unsigned"
        if self.status == "revoked":
            return f"signed with a revoked key of {who} ({self.fingerprint})"
        if self.status == "unknown-key":
            return f"signed with an unregistered key ({self.fingerprint})"
        return f"signature does not verify ({self.detail or 'bad signature'})"

    def to_json(self) -> dict:
        return {"status": self.status, "signer": self.code, "codes": list(self.codes),
                "fingerprint": self.fingerprint, "detail": self.detail or None}


def split_signed(raw: bytes, header: bytes = b"gpgsig") -> tuple[bytes, str] | None:
    """(signed payload, armored signature) of a raw commit object, or None when it carries no signature."""
    head, sep, body = raw.partition(b"\n\n")
    lines = head.split(b"\n")
    kept: list[bytes] = []
    signature: list[bytes] = []
    inside = False
    for line in lines:
        if line.startswith(header + b" "):
            inside = True
            signature.append(line[len(header) + 1:])
            continue
        if inside and line.startswith(b" "):
            signature.append(line[1:])
            continue
        inside = False
        kept.append(line)
    if not signature:
        return None
    return b"\n".join(kept) + sep + body, b"\n".join(signature).decode("ascii", "replace") + "\n"


def split_signed_tag(raw: bytes) -> tuple[bytes, str] | None:
    """(signed payload, armored signature) of a raw annotated tag, or None when unsigned."""
    marker = b"-----BEGIN SSH SIGNATURE-----"
    at = raw.find(marker)
    if at < 0:
        return None
    return raw[:at], raw[at:].decode("ascii", "replace")


def signature_key(armored: str) -> tuple[str, str] | None:
    """(key type, base64 public key) named inside an SSH signature, or None when it is no SSH signature."""
    lines = [line.strip() for line in armored.strip().splitlines()]
    if not lines or lines[0] != "-----BEGIN SSH SIGNATURE-----":
        return None
    try:
        raw = base64.b64decode("".join(line for line in lines[1:] if not line.startswith("-----")))
    except ValueError:
        return None
    if not raw.startswith(b"SSHSIG") or len(raw) < 14:
        return None
    length = int.from_bytes(raw[10:14], "big")
    blob = raw[14:14 + length]
    if len(blob) < 4:
        return None
    type_length = int.from_bytes(blob[:4], "big")
    return blob[4:4 + type_length].decode("ascii", "replace"), base64.b64encode(blob).decode()


class Verifier:
    """Checks signatures against one key registry; keeps a scratch folder for ssh-keygen's files."""

    def __init__(self, ring: KeyRing) -> None:
        self.ring = ring
        self._folder = tempfile.TemporaryDirectory(prefix="cicatext-verify-")
        self.allowed = Path(self._folder.name) / "allowed_signers"
        self.allowed.write_text(ring.allowed_signers_text(), encoding="utf-8")
        self._count = 0

    def close(self) -> None:
        self._folder.cleanup()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def check(self, payload: bytes, armored: str, namespace: str = NAMESPACE) -> Signature:
        """Who signed `payload`, and whether the signature holds."""
        key = signature_key(armored)
        if key is None:
            return Signature("bad", detail="not an SSH signature (cicatext accepts SSH signatures only)")
        keytype, blob = key
        print_ = fingerprint(blob)
        codes = self.ring.codes_of(blob)
        if not codes:
            return Signature("unknown-key", (), print_)
        self._count += 1
        signature_file = Path(self._folder.name) / f"sig-{self._count}"
        signature_file.write_text(armored, encoding="ascii")
        process = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(self.allowed), "-I", codes[0], "-n", namespace,
             "-s", str(signature_file)], input=payload, capture_output=True)
        signature_file.unlink(missing_ok=True)
        if process.returncode != 0:
            said = (process.stderr or process.stdout).decode("utf-8", "replace").strip().splitlines()
            return Signature("bad", codes, print_, said[-1] if said else "ssh-keygen refused it")
        if self.ring.is_revoked(blob):
            return Signature("revoked", codes, print_)
        return Signature("good", codes, print_)

    def commit(self, raw: bytes) -> Signature:
        """The signature of a raw commit object."""
        split = split_signed(raw)
        if split is None:
            return Signature("unsigned")
        return self.check(*split)

    def tag(self, raw: bytes) -> Signature:
        """The signature of a raw annotated tag object."""
        split = split_signed_tag(raw)
        if split is None:
            return Signature("unsigned")
        return self.check(*split)


def entitlement(signature: Signature, changes: Iterable[str], secretariat: str) -> tuple[bool | None, str]:
    """Whether the signer may make these own changes: (True/False, why), or (None, why) when nobody verified signed."""
    code = signature.code
    if code is None:
        return None, signature.describe()
    paths = sorted(changes)
    if code == secretariat:
        foreign = [p for p in paths if position_owner(p) is not None]
        if foreign:
            return False, (f"the Secretariat changed {foreign[0]}: a delegation's position set is written only "
                           "by that delegation")
        return True, "the Secretariat may change the drafts and records"
    own = f"{delegation_folder(code)}/"
    outside = [p for p in paths if not p.startswith(own)]
    if outside:
        more = f" and {len(outside) - 1} more" if len(outside) > 1 else ""
        return False, f"{code} changed {outside[0]}{more}: a delegation changes only {own}"
    return True, f"{code} changed only {own}" if paths else f"{code} changed no file of its own"


@dataclass(frozen=True)
class CommitCheck:
    """One commit as `cicatext verify` reports it."""

    commit: str
    subject: str
    author: str
    signature: Signature
    changes: tuple[str, ...]
    """The commit's own changes."""
    entitled: bool | None
    """True/False for verified signers; None when no registered key signed it."""
    reason: str
    vouched_by: str | None = None
    """A round tag signed by the Secretariat that names this unsigned commit."""

    def to_json(self) -> dict:
        return {"commit": self.commit, "subject": self.subject, "author": self.author,
                "signature": self.signature.to_json(), "signer": self.signer, "entitled": self.entitled,
                "reason": self.reason, "changes": list(self.changes), "vouched_by": self.vouched_by}

    @property
    def signer(self) -> str | None:
        """The verified code, directly or through a Secretariat-signed round tag."""
        if self.signature.code:
            return self.signature.code
        return None


def settings_at(git: Git, ref: str) -> dict:
    """A commit's cicatext.yaml as read ({} when it has none, or it does not load as a mapping)."""
    from cicatext.store import yamlio

    text = git.blob_text(f"{ref}:{SETTINGS_FILE}")
    try:
        settings = yamlio.load(text, file=SETTINGS_FILE) if text else {}
    except Exception:
        settings = {}
    return settings if isinstance(settings, dict) else {}


def secretariat_in(settings: dict) -> str:
    """The Secretariat's code that settings name (`SEC` when they name none)."""
    secretariat = settings.get("secretariat")
    return str(secretariat.get("code", "SEC")) if isinstance(secretariat, dict) else "SEC"


def _secretariat(git: Git, ref: str) -> str:
    return secretariat_in(settings_at(git, ref))


def _tag_vouchers(git: Git, verifier: Verifier, secretariat: str) -> dict[str, str]:
    """Commit → round or revision tag whose Secretariat signature vouches for it: only a tag that is what its
    name says (`cicatext.store.trust.tags`); a Secretariat tag re-shared under another name vouches for nothing."""
    from cicatext.store.trust.tags import vouching_tags

    vouchers: dict[str, str] = {}
    for target, tags in vouching_tags(git).items():
        for name, tag in tags:
            if verifier.tag(tag.raw).code == secretariat:
                vouchers[target] = name
    return vouchers


def verify_commits(git: Git, commits: Sequence[str], *, ring: KeyRing | None = None,
                   registry_ref: str = "HEAD") -> list[CommitCheck]:
    """Check each commit: its signature against the registry at `registry_ref`, and its own changes."""
    ring = ring if ring is not None else git.keyring(registry_ref)
    secretariat = _secretariat(git, registry_ref)
    raws = git.objects(list(commits))
    changes = git.own_changes(list(commits))
    checks = []
    with Verifier(ring) as verifier:
        vouchers = _tag_vouchers(git, verifier, secretariat)
        for commit, item in zip(commits, raws):
            raw = item[1] if item else b""
            signature = verifier.commit(raw)
            subject, author = _subject_author(raw)
            own = changes.get(commit, set())
            voucher = vouchers.get(commit) if signature.status == "unsigned" else None
            if voucher:
                checked = Signature("good", (secretariat,), None, f"vouched by the signed tag {voucher}")
                entitled, reason = entitlement(checked, own, secretariat)
                reason = f"unsigned, vouched by the Secretariat's signed tag {voucher}; {reason}"
            else:
                entitled, reason = entitlement(signature, own, secretariat)
            checks.append(CommitCheck(commit, subject, author, signature, tuple(sorted(own)), entitled, reason,
                                      voucher))
    return checks


def _subject_author(raw: bytes) -> tuple[str, str]:
    head, _, body = raw.partition(b"\n\n")
    author = ""
    for line in head.split(b"\n"):
        if line.startswith(b"author "):
            text = line[7:].decode("utf-8", "replace")
            author = text.rsplit(" ", 2)[0]
    subject = body.decode("utf-8", "replace").split("\n", 1)[0]
    return subject, author


def verify(repo, rev_range: str | None = None) -> list[CommitCheck]:
    """`cicatext verify`: every commit of the range (default: HEAD's history), newest first."""
    git = Git(repo.root)
    spec = rev_range or "HEAD"
    process = run_git(repo.root, "rev-list", *spec.split(), check=False)
    if process.returncode != 0:
        raise UsageError(f"unknown revision range {spec!r}",
                         hint="give e.g. main, main~5..main, delegations/CHN or round/<slug>/1..main")
    commits = process.stdout.split()
    return verify_commits(git, commits, registry_ref="HEAD" if git.resolve("HEAD") else spec.split("..")[-1])


def verified_author(repo, commit: str) -> Signature:
    """Who verifiably signed one commit (for `cicatext log` and the UI); `Signature.code` is None when nobody did."""
    git = Git(repo.root)
    resolved = git.resolve(commit)
    if resolved is None:
        raise UsageError(f"unknown commit {commit!r}")
    check = verify_commits(git, [resolved], registry_ref="HEAD")[0]
    if check.vouched_by:
        return Signature("good", (_secretariat(git, "HEAD"),), None, f"vouched by the signed tag {check.vouched_by}")
    return check.signature


class Authorship:
    """Verified signers of the commits a view shows: each commit verified once, none when no key is registered.

    `cicatext log`, the UI's history and the reader's side panel hold one of
    these; the registry is read once, at HEAD, as `verified_author` reads it.
    """

    NOT_VERIFIED = "not verified"
    NO_KEYS = "no keys registered"

    def __init__(self, repo) -> None:
        self._git = Git(repo.root)
        self._ring: KeyRing | None = None
        self._signatures: dict[str, Signature | None] = {}

    @property
    def enabled(self) -> bool:
        """True when the repository registers at least one key (otherwise nothing is verified)."""
        if self._ring is None:
            self._ring = self._git.keyring("HEAD") if self._git.resolve("HEAD") else KeyRing.from_texts(None, None)
        return bool(self._ring.keys)

    def verify(self, commits: Iterable[str]) -> None:
        """Verify, in one pass, those of the commits not verified yet."""
        wanted = [c for c in dict.fromkeys(commits) if c and c not in self._signatures]
        if not wanted:
            return
        if not self.enabled:
            self._signatures.update(dict.fromkeys(wanted))
            return
        resolved = {c: c if len(c) == 40 and all(x in "0123456789abcdef" for x in c) else self._git.resolve(c)
                    for c in wanted}
        known = [r for r in dict.fromkeys(resolved.values()) if r]
        checks = {c.commit: c for c in verify_commits(self._git, known, ring=self._ring)} if known else {}
        secretariat = _secretariat(self._git, "HEAD") if any(c.vouched_by for c in checks.values()) else ""
        for commit, full in resolved.items():
            check = checks.get(full or "")
            if check is None:
                self._signatures[commit] = None
            elif check.vouched_by:
                self._signatures[commit] = Signature("good", (secretariat,), None,
                                                     f"vouched by the signed tag {check.vouched_by}")
            else:
                self._signatures[commit] = check.signature

    def signature(self, commit: str) -> Signature | None:
        """The commit's signature as verified, or None when nothing was verified (no keys, unknown commit)."""
        self.verify([commit])
        return self._signatures.get(commit)

    def signer(self, commit: str) -> str:
        """One word for a column: the verified signer's code, `unsigned`, or `not verified`."""
        signature = self.signature(commit)
        if signature is None:
            return self.NOT_VERIFIED
        if signature.code:
            return signature.code
        return "unsigned" if signature.status == "unsigned" else self.NOT_VERIFIED

    def shown(self, commit: str) -> str:
        """`signer` for a screen: with no key registered, that (nothing can be verified) rather than `not verified`,
        which reads as a failure."""
        return self.signer(commit) if self.enabled else self.NO_KEYS

    def describe(self, commit: str) -> str:
        """One phrase: `signed by CHN (SHA256:...)`, `unsigned`, `not verified (no keys registered)`..."""
        signature = self.signature(commit)
        if signature is None:
            return f"{self.NOT_VERIFIED} ({self.NO_KEYS})" if not self.enabled else self.NOT_VERIFIED
        return signature.describe()

    def to_json(self, commit: str) -> dict:
        """`signed_by` (the verified code or null) and `signature` (the phrase)."""
        signature = self.signature(commit)
        return {"signed_by": signature.code if signature else None, "signature": self.describe(commit)}


__all__ = ["Authorship", "CommitCheck", "Git", "Signature", "Verifier", "entitlement", "split_signed",
           "verified_author", "verify", "verify_commits"]
