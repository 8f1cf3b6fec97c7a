"""Fixtures for the trust tests: SSH keys made with ssh-keygen, a guarded bare repository, signing clones."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from cicatext.store.repository import Repository
from tests.negotiation.conftest import SYMBOL, TEXT, add_volunteer_document, edit

__all__ = ["SYMBOL", "TEXT", "World", "edit", "git", "keygen", "sign_with"]


def git(path, *args: str, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run git in a folder; fails the test when `check` and git fails."""
    import os

    full_env = dict(os.environ, **(env or {}))
    process = subprocess.run(["git", *args], cwd=path, capture_output=True, text=True, env=full_env)
    if check and process.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {process.stderr}")
    return process


def keygen(folder: Path, name: str) -> Path:
    """A new ed25519 key pair without passphrase; returns the private key's path (the public one is PATH.pub)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)], check=True)
    return path


def sign_with(root: Path, key: Path) -> None:
    """Make every commit and tag of a clone signed with this SSH key."""
    for setting, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("commit.gpgSign", "true"),
                           ("tag.gpgSign", "true")):
        git(root, "config", setting, value)


@dataclass
class World:
    """A guarded shared repository, the Secretariat's clone that founded it, and keys for SEC, IND and CHN."""

    tmp: Path
    bare: Path
    url: str
    secretariat: Repository
    keys: dict[str, Path]

    def clone(self, name: str, code: str | None = None) -> Repository:
        """A clone of the shared repository, signing with `code`'s key when given."""
        git(self.tmp, "clone", "--quiet", self.url, name)
        root = self.tmp / name
        if code:
            sign_with(root, self.keys[code])
        return Repository(root)

    def on_server(self, sha: str) -> bool:
        """True when the bare repository holds the object."""
        return git(self.bare, "cat-file", "-e", sha, check=False).returncode == 0


def make_world(tmp_path: Path, *, require_signatures: bool = True) -> World:
    """Found a shared repository holding MC/2023/DRAFT/5 with SEC, IND and CHN keys registered."""
    from cicatext.store.register.create import init_repository
    from cicatext.store.trust.keys import add_key
    from cicatext.store.trust.server import init_server

    keys = {code: keygen(tmp_path / "keys", code.lower()) for code in ("SEC", "IND", "CHN")}
    secretariat = init_repository(tmp_path / "secretariat")
    add_volunteer_document(secretariat)
    for code, key in keys.items():
        add_key(secretariat, code, f"{key}.pub")
    sign_with(secretariat.root, keys["SEC"])
    bare = tmp_path / "shared.git"
    init_server(bare, require_signatures=require_signatures)
    url = f"file://{bare}"
    git(secretariat.root, "remote", "add", "origin", url)
    git(secretariat.root, "push", "--quiet", "-u", "origin", "main")
    return World(tmp_path, bare, url, secretariat, keys)


@pytest.fixture
def world(tmp_path) -> World:
    """A shared repository that requires signatures."""
    return make_world(tmp_path)
