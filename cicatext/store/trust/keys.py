"""The registry of signing keys: which SSH public keys speak for which delegation, and which are revoked.

The registry is two plain files in the repository, changed only on `main`:

- `keys/allowed_signers`: git's and ssh-keygen's allowed-signers format, one
  key per line, the principal being the delegation code (`CHN ssh-ed25519
  AAAA...`); the Secretariat's keys carry the Secretariat's code (`SEC`).
- `keys/revoked`: public keys that no longer speak for anyone (ssh-keygen's
  plain key-list revocation format, usable as `gpg.ssh.revocationFile`). A
  revoked key stays in allowed_signers so that the history it signed can still
  be told apart from forgery, but nothing new signed with it is accepted.

One key speaks for one code only, so a signature names exactly one party.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cicatext.errors import RecordError, UsageError
from cicatext.store.layout import ALLOWED_SIGNERS_PATH, REVOKED_PATH, STATES_DIR
from cicatext.store.repository import Repository

KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
             "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")


@dataclass(frozen=True)
class Key:
    """One registered public key."""

    code: str
    """The delegation (or Secretariat) code the key speaks for."""
    keytype: str
    """`ssh-ed25519`, `ssh-rsa`, ..."""
    blob: str
    """The base64 public key, as in a `.pub` file."""
    revoked: bool = False
    """True when the key is listed in keys/revoked."""

    @property
    def public_line(self) -> str:
        """The key as a `.pub` file holds it (without comment)."""
        return f"{self.keytype} {self.blob}"

    @property
    def fingerprint(self) -> str:
        """`SHA256:...`, as ssh-keygen prints it."""
        return fingerprint(self.blob)


def fingerprint(blob: str) -> str:
    """The SHA256 fingerprint of a base64 public key, as ssh-keygen prints it."""
    digest = hashlib.sha256(base64.b64decode(blob)).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class KeyRing:
    """The registry as read from one version of the repository."""

    keys: tuple[Key, ...] = ()

    @classmethod
    def from_texts(cls, allowed: str | None, revoked: str | None = None) -> KeyRing:
        """The registry from the text of allowed_signers and revoked (either may be missing)."""
        revoked_blobs = {blob for _, blob, _ in _key_lines(revoked or "")}
        keys = []
        for principals, keytype, blob in _allowed_lines(allowed or ""):
            for code in principals:
                keys.append(Key(code, keytype, blob, blob in revoked_blobs))
        return cls(tuple(keys))

    def codes_of(self, blob: str) -> tuple[str, ...]:
        """The codes a key speaks for (one, normally; none when unregistered)."""
        return tuple(dict.fromkeys(k.code for k in self.keys if k.blob == blob))

    def keys_of(self, code: str, *, include_revoked: bool = False) -> list[Key]:
        """The keys of one code, revoked ones left out unless asked for."""
        return [k for k in self.keys if k.code == code and (include_revoked or not k.revoked)]

    def is_revoked(self, blob: str) -> bool:
        """True when the key is listed as revoked."""
        return any(k.blob == blob and k.revoked for k in self.keys)

    def allowed_signers_text(self) -> str:
        """The allowed-signers file for ssh-keygen (every key, revoked ones included: revocation is checked apart)."""
        return "".join(f"{k.code} {k.public_line}\n" for k in self.keys)

    def __bool__(self) -> bool:
        return bool(self.keys)


def _allowed_lines(text: str) -> Iterable[tuple[list[str], str, str]]:
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        principals = [p for p in parts[0].split(",") if p]
        # Options (namespaces="git", valid-after=...) may stand between the principals and the key.
        for index in range(1, len(parts) - 1):
            if parts[index] in KEY_TYPES:
                yield principals, parts[index], parts[index + 1]
                break


def _key_lines(text: str) -> Iterable[tuple[str, str, str]]:
    for line in text.splitlines():
        parts = line.split(None, 2)
        if len(parts) >= 2 and parts[0] in KEY_TYPES:
            yield parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def read_public_key(path: str | Path) -> tuple[str, str, str]:
    """(type, base64, comment) of a `.pub` file; UsageError when it holds no public key."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read the public key {file}: {getattr(error, 'strerror', None) or error}",
                         hint="give the path of a .pub file made by ssh-keygen") from None
    if "PRIVATE KEY" in text:
        raise UsageError(f"{file} is a private key", hint=f"give the public half, {file}.pub; never share the private key")
    found = list(_key_lines(text))
    if len(found) != 1:
        raise UsageError(f"{file} holds {'no' if not found else len(found)} SSH public key(s); one is needed",
                         hint="make one with `ssh-keygen -t ed25519 -f KEYFILE` and give KEYFILE.pub")
    keytype, blob, comment = found[0]
    try:
        raw = base64.b64decode(blob, validate=True)
    except ValueError:
        raise UsageError(f"{file}: the key is not valid base64", hint="give the .pub file exactly as ssh-keygen wrote it") from None
    if not raw[4:4 + len(keytype)] == keytype.encode():
        raise UsageError(f"{file}: the key does not match its type {keytype}", hint="give the .pub file exactly as ssh-keygen wrote it")
    return keytype, blob, comment.strip()


def load_keyring(repo: Repository) -> KeyRing:
    """The registry in the working tree."""
    allowed = repo.path(ALLOWED_SIGNERS_PATH)
    revoked = repo.path(REVOKED_PATH)
    return KeyRing.from_texts(repo.read_text(ALLOWED_SIGNERS_PATH) if allowed.exists() else None,
                              repo.read_text(REVOKED_PATH) if revoked.exists() else None)


def _require_main(repo: Repository, doing: str) -> None:
    branch = repo.current_branch()
    if branch is not None and branch != "main":
        raise UsageError(f"{doing} is the Secretariat's, on main; you are on {branch}",
                         hint="`git switch main` first: the key registry changes only on main")


def add_key(repo: Repository, code: str, pubkey_file: str | Path) -> Key:
    """Register a public key for a delegation (or the Secretariat) and commit; returns the key."""
    code = code.strip().upper()
    if code not in repo.codes:
        from cicatext.notation.codes import suggest

        nearest = suggest(code, repo.codes)
        raise UsageError(f"unknown code {code!r}", hint=(f"did you mean {nearest}? " if nearest else "")
                         + f"keys are registered for member states ({STATES_DIR}) and the Secretariat")
    keytype, blob, _ = read_public_key(pubkey_file)
    _require_main(repo, "registering keys")
    added = Key(code, keytype, blob)

    def build() -> dict[str, str]:
        ring = load_keyring(repo)
        owners = ring.codes_of(blob)
        if ring.is_revoked(blob):
            raise UsageError(f"the key {added.fingerprint} is revoked", hint="make a new key with ssh-keygen")
        if owners and owners != (code,):
            raise UsageError(f"the key {added.fingerprint} is already registered for {', '.join(owners)}",
                             hint="one key speaks for one delegation only; make a separate key for each")
        if owners:
            raise UsageError(f"the key {added.fingerprint} is already registered for {code}")
        current = repo.read_text(ALLOWED_SIGNERS_PATH) if repo.path(ALLOWED_SIGNERS_PATH).exists() else _HEADER
        if current and not current.endswith("\n"):
            current += "\n"
        line = f"# {code} added {date.today().isoformat()}\n{code} {keytype} {blob}\n"
        return {ALLOWED_SIGNERS_PATH: current + line}

    repo.update(build, f"Register a signing key for {code}\n\nCicatext-Key: {code} {added.fingerprint}\n")
    return added


_HEADER = ("# Signing keys, one per line: CODE KEYTYPE BASE64 (git's allowed-signers format).\n"
           f"# Managed with `cicatext keys add` and `cicatext keys revoke`; revoked keys are listed in {REVOKED_PATH}.\n")


def revoke_key(repo: Repository, which: str, *, reason: str = "") -> list[Key]:
    """Revoke the keys named by a fingerprint, a `.pub` file or a code (all its keys); commit; returns them."""
    _require_main(repo, "revoking keys")
    revoked: list[Key] = []

    def build() -> dict[str, str]:
        ring = load_keyring(repo)
        if Path(which).is_file():
            _, blob, _ = read_public_key(which)
            chosen = [k for k in ring.keys if k.blob == blob]
        elif which.startswith("SHA256:"):
            chosen = [k for k in ring.keys if k.fingerprint == which]
        else:
            chosen = [k for k in ring.keys if k.code == which.strip().upper()]
        chosen = [k for k in chosen if not k.revoked]
        if not chosen:
            raise UsageError(f"no registered key that is not already revoked matches {which!r}",
                             hint="`cicatext keys list` shows the keys with their fingerprints")
        current = repo.read_text(REVOKED_PATH) if repo.path(REVOKED_PATH).exists() else (
            "# Revoked signing keys (ssh-keygen's key-list format; usable as gpg.ssh.revocationFile).\n")
        if current and not current.endswith("\n"):
            current += "\n"
        today = date.today().isoformat()
        note = f" {reason.strip()}" if reason.strip() else ""
        for key in {k.blob: k for k in chosen}.values():
            current += f"{key.public_line} {key.code} revoked {today}{note}\n"
        revoked.extend(chosen)
        return {REVOKED_PATH: current}

    repo.update(build, f"Revoke signing key(s): {which}\n\n" + (f"{reason}\n" if reason else ""))
    return revoked


def public_key_of(private_key: str | Path) -> tuple[str, str]:
    """(type, base64) of the public half of a private key file."""
    process = subprocess.run(["ssh-keygen", "-y", "-f", str(private_key)], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
    if process.returncode != 0:
        said = (process.stderr.strip().splitlines() or ["no message"])[-1]
        raise UsageError(f"cannot read the private key {private_key}: {said}",
                         hint="give an OpenSSH private key without a passphrase (ssh-keygen -t ed25519 -N '')")
    parts = process.stdout.split()
    if len(parts) < 2:
        raise RecordError(f"ssh-keygen returned no public key for {private_key}")
    return parts[0], parts[1]
