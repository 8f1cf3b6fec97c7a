"""Who pushes: a delegation's SSH key on the shared repository runs git on that repository and nothing else.

`authorize` writes one OpenSSH `authorized_keys` line per key: a forced
command (`cicatext serve BARE CODE`) and `restrict` (no terminal, no port,
agent or X11 forwarding, no `~/.ssh/rc`). sshd then runs that command
whatever the client asked for, with the client's request in
`SSH_ORIGINAL_COMMAND`; `serve` reads it strictly (`git-receive-pack 'PATH'`
or `git-upload-pack 'PATH'`, PATH being that very repository) and runs git on
the connection (its standard input and output) with the pusher's code in
`CICATEXT_PUSHER`, which the pre-receive hook reads
(`cicatext.store.trust.server`) to check that the pusher owns each ref it
moves.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from cicatext.errors import CicatextError, UsageError
from cicatext.store.trust.keys import read_public_key

PUSHER_VARIABLE = "CICATEXT_PUSHER"
"""The environment variable carrying the code of the party whose SSH key opened the connection."""

SERVICES = ("git-receive-pack", "git-upload-pack")
"""The only programs a delegation's key runs: git's push and fetch ends."""

AUTHORIZED_MARK = "cicatext-serve"
"""Comment word that tells cicatext's lines apart in an authorized_keys file."""

_CODE = re.compile(r"[A-Z][A-Z0-9-]{1,15}")
_REQUEST = re.compile(r"(git-receive-pack|git-upload-pack) '([^'\\!\x00-\x1f]+)'")


@dataclass(frozen=True)
class Authorization:
    """One authorized_keys line written for a party's key."""

    code: str
    fingerprint: str
    file: str
    line: str

    def to_json(self) -> dict:
        return {"code": self.code, "fingerprint": self.fingerprint, "authorized_keys": self.file, "line": self.line}


def forced_command(bare: Path, code: str) -> str:
    """The command sshd runs for this key: this interpreter's `cicatext serve BARE CODE`."""
    import cicatext

    package_parent = Path(cicatext.__file__).resolve().parent.parent
    return (f"PYTHONPATH={shlex.quote(str(package_parent))} exec {shlex.quote(sys.executable)} -m cicatext serve "
            f"{shlex.quote(str(bare))} {shlex.quote(code)}")


def _bare(path: str | os.PathLike) -> Path:
    bare = Path(path).resolve()
    if not (bare / "hooks" / "pre-receive").is_file() or not (bare / "objects").is_dir():
        raise UsageError(f"{bare} is no shared repository made by `cicatext server init`",
                         hint="run `cicatext server init BARE` first")
    return bare


def _code(code: str) -> str:
    code = code.strip().upper()
    if not _CODE.fullmatch(code):
        raise UsageError(f"{code!r} is no delegation code", hint="give the code as in the registry, e.g. CHN or SEC")
    return code


def authorize(bare_path: str | os.PathLike, code: str, pubkey_file: str | os.PathLike,
              authorized_keys: str | os.PathLike | None = None) -> Authorization:
    """Add (or replace) the authorized_keys line that lets this key push and fetch the repository as `code`."""
    from cicatext.store.files import write_atomic
    from cicatext.store.trust.keys import fingerprint

    bare = _bare(bare_path)
    code = _code(code)
    keytype, blob, _ = read_public_key(pubkey_file)
    file = Path(authorized_keys) if authorized_keys else Path.home() / ".ssh" / "authorized_keys"
    command = forced_command(bare, code).replace("\\", "\\\\").replace('"', '\\"')
    line = (f'command="{command}",restrict,no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding '
            f"{keytype} {blob} {AUTHORIZED_MARK}:{code}")
    try:
        existing = file.read_text(encoding="utf-8").splitlines() if file.exists() else []
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {file}: {error}", hint="give another file with --authorized-keys") from None
    # One line per key: a key authorized again (for another code, or after a move) replaces its old line.
    kept = [old for old in existing if f" {blob} " not in f" {old} "]
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(file, "".join(f"{old}\n" for old in kept) + line + "\n")
    file.chmod(0o600)
    return Authorization(code, fingerprint(blob), str(file), line)


def parse_request(request: str | None, bare: Path) -> str:
    """The git service the client asked for; CicatextError (a refusal, exit 1) for anything else than git on this repository."""
    if not request:
        raise CicatextError("this key runs only git on the shared repository; no shell, no terminal",
                         hint="clone, fetch or push with git (ssh://HOST/PATH)")
    match = _REQUEST.fullmatch(request)
    if not match:
        shown = request if len(request) <= 80 else request[:77] + "..."
        raise CicatextError(f"refused {shown!r}: this key runs only git-receive-pack or git-upload-pack",
                         hint="clone, fetch or push with git (ssh://HOST/PATH)")
    service, asked = match.groups()
    if asked.startswith("~/"):
        asked = str(Path.home() / asked[2:])
    if os.path.realpath(asked) != os.path.realpath(bare) and os.path.realpath(asked + ".git") != os.path.realpath(bare):
        raise CicatextError(f"this key reaches only {bare}, not {asked}", hint=f"use ssh://HOST{bare}")
    return service


def serve(bare_path: str | os.PathLike, code: str, request: str | None) -> int:
    """Run the git service asked for on the repository, as `code`, over this process's standard input and
    output; git's exit status."""
    from cicatext.store.git import relay_git

    bare = _bare(bare_path)
    code = _code(code)
    service = parse_request(request, bare)
    return relay_git(service.removeprefix("git-"), str(bare), env={PUSHER_VARIABLE: code})
