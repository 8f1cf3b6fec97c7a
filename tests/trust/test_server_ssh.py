"""The shared repository served over SSH by a real sshd: it knows who pushes, and holds against forged pushes.

One sshd and one shared repository for the module. Delegations clone, fetch
and push over ssh:// with their own keys (`cicatext server authorize`). Each
attack a hostile delegation tried is a push here that must be refused and
leave nothing behind; each kind of good push must be taken. The last test
reports how many of each were tried.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from cicatext.cli.main import main as cli
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.propose import propose
from cicatext.store.repository import Repository
from tests.trust.conftest import (
    SYMBOL,
    TEXT,
    World,
    edit,
    git,
    keygen,
    make_world,
    sign_with,
)
from tests.trust.sshd import Sshd, sshd_program, start_sshd

SLUG = "mc-2023-draft-5"
TALLY = {"forged": 0, "refused": 0, "good": 0, "accepted": 0, "commands": 0, "commands_refused": 0}
"""Pushes tried in this module: forged ones and how many were refused, good ones and how many were taken."""


@dataclass
class Shared:
    """The shared repository behind sshd, with every party's SSH login key authorized."""

    world: World
    sshd: Sshd
    logins: dict[str, Path]

    @property
    def url(self) -> str:
        return self.sshd.url(self.world.bare)

    def clone(self, name: str, login: str, signer: str | None = None) -> Repository:
        """A clone over ssh:// logging in with `login`'s key and signing with `signer`'s key (none when None)."""
        command = self.sshd.ssh_command(self.logins[login])
        git(self.world.tmp, "-c", f"core.sshCommand={command}", "clone", "--quiet", self.url, name)
        root = self.world.tmp / name
        git(root, "config", "core.sshCommand", command)
        if signer:
            sign_with(root, self.world.keys[signer])
        return Repository(root)

    def on_server(self, sha: str) -> bool:
        return self.world.on_server(sha)

    def server_ref(self, ref: str) -> str | None:
        process = git(self.world.bare, "rev-parse", "--verify", "--quiet", ref, check=False)
        return process.stdout.strip() or None


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Shared:
    if sshd_program() is None:
        pytest.skip("OpenSSH's sshd is not installed (.ci/run installs openssh-server)")
    tmp = tmp_path_factory.mktemp("ssh")
    world = make_world(tmp)
    sshd = start_sshd(tmp / "sshd")
    try:
        logins = dict(world.keys)
        for code in ("BGD", "SEC"):
            logins[f"{code}-login"] = keygen(tmp / "logins", f"{code.lower()}-login")
        for code, key in logins.items():
            assert cli(["server", "authorize", str(world.bare), code.split("-")[0], f"{key}.pub",
                        "--authorized-keys", str(sshd.authorized_keys)]) == 0
        logins["stranger"] = keygen(tmp / "logins", "stranger")
        result = Shared(world, sshd, logins)
        git(world.secretariat.root, "remote", "set-url", "origin", result.url)
        git(world.secretariat.root, "config", "core.sshCommand", sshd.ssh_command(world.keys["SEC"]))
        yield result
    finally:
        sshd.stop()


def push(clone: Repository, *args: str, url: str | None = None) -> subprocess.CompletedProcess:
    return git(clone.root, "push", "--porcelain", url or "origin", *args, check=False)


def forged(shared: Shared, process: subprocess.CompletedProcess, *words: str, gone: str | None = None) -> str:
    """Count a forged push; assert it was refused with cicatext's reason and, given `gone`, left nothing behind."""
    TALLY["forged"] += 1
    said = process.stderr
    assert process.returncode != 0, f"forged push accepted:\n{process.stdout}\n{said}"
    assert "Traceback" not in said, said
    for word in words:
        assert word in said, said
    if gone:
        assert not shared.on_server(gone), f"refused object {gone} stayed on the server"
    TALLY["refused"] += 1
    return said


def good(process: subprocess.CompletedProcess) -> None:
    """Count a good push; assert it was taken."""
    TALLY["good"] += 1
    assert process.returncode == 0, f"good push refused:\n{process.stdout}\n{process.stderr}"
    TALLY["accepted"] += 1


def proposes(clone: Repository, code: str, old: str, new: str) -> str:
    start_delegation(clone, code)
    edit(clone, old, new)
    return propose(clone, SYMBOL).commit


def secretariat_scratch(shared: Shared, name: str) -> Repository:
    """A Secretariat clone over ssh, signing with the Secretariat's key."""
    return shared.clone(name, "SEC", "SEC")


def test_authorized_line_forces_the_command(shared):
    """`server authorize` writes one restricted line per key with cicatext's forced command; a key authorized
    again replaces its line."""
    lines = shared.sshd.authorized_keys.read_text().splitlines()
    assert len(lines) == 5
    ind = next(line for line in lines if line.endswith("cicatext-serve:IND"))
    assert ind.startswith('command="') and " serve " in ind and "restrict,no-pty,no-port-forwarding" in ind
    assert str(shared.world.bare) in ind
    before = len(lines)
    assert cli(["server", "authorize", str(shared.world.bare), "IND", f"{shared.logins['IND']}.pub",
                "--authorized-keys", str(shared.sshd.authorized_keys)]) == 0
    assert len(shared.sshd.authorized_keys.read_text().splitlines()) == before


def test_a_delegation_key_runs_nothing_but_git(shared):
    """A shell, a command, a command smuggled after git's, and another repository are all refused."""
    base = shared.sshd.ssh_command(shared.logins["IND"]).split()
    bare = shared.world.bare
    for request in ("id", "", f"git-upload-pack '{bare}'; id", f"git-upload-pack '{bare}' && touch /tmp/x",
                    "git-receive-pack '/etc'", f"git-upload-pack \"{bare}\"", f"scp -t {bare}"):
        TALLY["commands"] += 1
        process = subprocess.run([*base, "127.0.0.1", *([request] if request else [])], check=False, capture_output=True,
                                 text=True, stdin=subprocess.DEVNULL, timeout=30)
        assert process.returncode == 1, (request, process.stderr)
        assert "cicatext" in process.stderr and "Traceback" not in process.stderr, process.stderr
        TALLY["commands_refused"] += 1
    stranger = shared.sshd.ssh_command(shared.logins["stranger"]).split()
    TALLY["commands"] += 1
    process = subprocess.run([*stranger, "127.0.0.1", f"git-upload-pack '{bare}'"], check=False, capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=30)
    assert process.returncode == 255 and "Permission denied" in process.stderr
    TALLY["commands_refused"] += 1


def test_proposals_over_ssh_are_taken(shared):
    """IND and CHN clone over ssh, propose with their own keys and push their branches."""
    india = shared.clone("india", "IND", "IND")
    commit = proposes(india, "IND", "Improve the measures taken", "Improve the steps taken")
    good(push(india, "delegations/IND"))
    assert shared.on_server(commit)
    china = shared.clone("china", "CHN", "CHN")
    commit = proposes(china, "CHN", "Encourage recognition", "Encourage the recognition")
    good(push(china, "delegations/CHN"))
    assert shared.server_ref("delegations/CHN") == commit


def test_a_delegation_cannot_move_main_to_its_branch(shared):
    """Class 1: IND fast-forwards main to its own signed branch, over ssh and over the file system (pusher
    unknown): refused both times, main stays."""
    main_before = shared.server_ref("main")
    india = shared.clone("india-main", "IND", "IND")
    tip = proposes(india, "IND", "Hereby decided to:", "Hereby decide to:")
    good(push(india, "delegations/IND"))
    forged(shared, push(india, "delegations/IND:main"), "pushed by IND: only SEC moves main")
    forged(shared, push(india, "delegations/IND:main", url=shared.world.url),
           "main's new tip would be a delegation's commit", "signed by IND")
    assert shared.server_ref("main") == main_before
    assert shared.server_ref("delegations/IND") == tip


def test_a_keyless_pusher_cannot_move_main_to_a_delegation_tip(shared):
    """Class 1: a clone with no key at all pushes main to IND's shared tip; refused whoever pushes."""
    main_before = shared.server_ref("main")
    git(shared.world.tmp, "clone", "--quiet", shared.world.url, "keyless")
    keyless = Repository(shared.world.tmp / "keyless")
    forged(shared, push(keyless, "origin/delegations/IND:refs/heads/main"), "main's new tip would be a delegation")
    china = shared.clone("china-main", "CHN")
    git(china.root, "config", "commit.gpgSign", "false")
    forged(shared, push(china, "origin/delegations/IND:refs/heads/main"), "pushed by CHN: only SEC moves main")
    assert shared.server_ref("main") == main_before


def test_secretariat_commits_pushed_by_a_delegation_are_refused(shared):
    """Class 1 with known pushers: a Secretariat-signed commit obtained out of band, pushed to main by IND."""
    from tests.ids import at_in

    scratch = secretariat_scratch(shared, "sec-scratch")
    cli(["agree", SYMBOL, at_in(scratch, SYMBOL, "pp9:1"), "-C", str(scratch.root)])
    signed = scratch.head()
    india = shared.clone("india-relay", "IND", "IND")
    git(india.root, "fetch", "--quiet", str(scratch.root), "main")
    forged(shared, push(india, "FETCH_HEAD:refs/heads/main"), "pushed by IND: only SEC moves main", gone=signed)


def test_a_delegation_cannot_push_another_delegations_signed_commit(shared):
    """Who pushes: CHN's own signed proposal, pushed to delegations/CHN by IND or by the Secretariat, is
    refused."""
    china = shared.clone("china-relay", "CHN", "CHN")
    commit = proposes(china, "CHN", "Hereby decided to:", "Hereby decide, to:")
    india = shared.clone("india-relay2", "IND", "IND")
    git(india.root, "fetch", "--quiet", str(china.root), "delegations/CHN")
    forged(shared, push(india, "FETCH_HEAD:refs/heads/delegations/CHN"), "pushed by IND: only CHN moves",
           gone=commit)
    git(china.root, "config", "core.sshCommand", shared.sshd.ssh_command(shared.logins["SEC"]))
    forged(shared, push(china, "delegations/CHN"), "pushed by SEC: only CHN moves", gone=commit)


def test_a_key_added_and_removed_in_one_push_is_refused(shared):
    """Class 2: a commit that adds IND's key as a Secretariat key, undone by the next, refused commit by commit."""
    india = shared.clone("india-keys", "IND", "IND")
    start_delegation(india, "IND")
    signers = india.path("keys/allowed_signers")
    original = signers.read_text()
    public = Path(f"{shared.world.keys['IND']}.pub").read_text().split()
    signers.write_text(original + f"SEC {public[0]} {public[1]}\n")
    git(india.root, "commit", "-qam", "add a key")
    added = india.head()
    signers.write_text(original)
    git(india.root, "commit", "-qam", "remove it again")
    edit(india, "Encourage recognition", "Encourage a recognition")
    propose(india, SYMBOL)
    forged(shared, push(india, "delegations/IND"), "changes keys/allowed_signers", gone=added)
    forged(shared, push(india, "delegations/IND:main", url=shared.world.url), gone=added)


def test_a_revoked_key_cannot_come_back_through_a_merge(shared):
    """Class 2: BGD's old key is revoked; commits it signed on a base that predates the revocation, merged
    under a commit signed by BGD's new key, are refused."""
    tmp = shared.world.tmp
    old_key, new_key = keygen(tmp / "keys", "bgd-old"), keygen(tmp / "keys", "bgd-new")
    secretariat = secretariat_scratch(shared, "sec-keys")
    assert cli(["keys", "add", "BGD", f"{old_key}.pub", "-C", str(secretariat.root)]) == 0
    good(push(secretariat, "main"))
    before_revocation = secretariat.head()
    assert cli(["keys", "add", "BGD", f"{new_key}.pub", "-C", str(secretariat.root)]) == 0
    assert cli(["keys", "revoke", f"{old_key}.pub", "--reason", "laptop lost", "-C", str(secretariat.root)]) == 0
    good(push(secretariat, "main"))
    bangladesh = shared.clone("bangladesh", "BGD-login")
    sign_with(bangladesh.root, old_key)
    git(bangladesh.root, "switch", "--quiet", "-c", "delegations/BGD", before_revocation)
    edit(bangladesh, "Improve the measures taken", "Improve all measures taken")
    propose(bangladesh, SYMBOL)
    smuggled = bangladesh.head()
    sign_with(bangladesh.root, new_key)
    git(bangladesh.root, "merge", "--quiet", "--no-edit", "origin/main")
    forged(shared, push(bangladesh, "delegations/BGD"), "revoked key of BGD", gone=smuggled)
    secretariat.path("README.md").write_text(secretariat.path("README.md").read_text() + "\nNotes.\n")
    git(secretariat.root, "commit", "-qam", "notes")
    git(secretariat.root, "fetch", "--quiet", str(bangladesh.root), "delegations/BGD")
    git(secretariat.root, "merge", "--quiet", "--no-ff", "--no-edit", smuggled)
    forged(shared, push(secretariat, "main"), gone=smuggled)
    git(secretariat.root, "reset", "--quiet", "--hard", "origin/main")


def test_round_agree_drop_and_revision_are_taken(shared):
    """Good pushes by the Secretariat over ssh: a round with its signed tag, agree, drop, a revision import with
    its signed rev tag; a delegation fetches them all."""
    from cicatext.store.negotiation.decisions import agree_bracket, drop_bracket
    from cicatext.store.negotiation.rounds import run_round
    from cicatext.store.register.revisions import import_revision
    from tests.ids import at_in

    secretariat = secretariat_scratch(shared, "sec-round")
    result = run_round(secretariat, SYMBOL, delegations=["IND", "CHN"])
    good(push(secretariat, "--follow-tags", "main"))
    assert shared.server_ref(f"{result.tag}^{{commit}}") == result.commit
    agree_bracket(secretariat, SYMBOL, at_in(secretariat, SYMBOL, "pp9:1"))
    good(push(secretariat, "main"))
    drop_bracket(secretariat, SYMBOL, at_in(secretariat, SYMBOL, "op15:1"))
    good(push(secretariat, "main"))
    text = secretariat.path(TEXT).read_text(encoding="utf-8")
    blocks = text.strip().split("\n\n")
    revised = "\n\n".join(block.split("} ", 1)[1] for block in [blocks[-1], *blocks[:-1]]) + "\n"
    revision = import_revision(secretariat, revised, symbol=f"{SYMBOL}/Rev.2", source="revised.txt")
    good(push(secretariat, "--follow-tags", "main"))
    assert shared.server_ref(f"{revision.tag}^{{commit}}") == revision.commit
    india = Repository(shared.world.tmp / "india")
    git(india.root, "fetch", "--quiet", "--tags", "origin")
    assert git(india.root, "rev-parse", "origin/main").stdout.strip() == revision.commit


def test_round_tags_are_annotated_signed_and_named_as_their_object(shared):
    """Class 4: a lightweight round tag, a round tag signed by IND, the Secretariat's real tag object re-pushed
    under another number or as a revision tag, a signed tag naming another document, a moved or deleted
    tag: all refused."""
    secretariat = secretariat_scratch(shared, "sec-tags")
    git(secretariat.root, "fetch", "--quiet", "--tags", "origin")
    real = git(secretariat.root, "rev-parse", f"round/{SLUG}/1").stdout.strip()
    git(secretariat.root, "-c", "tag.gpgSign=false", "tag", f"round/{SLUG}/8", "main")
    forged(shared, push(secretariat, f"round/{SLUG}/8"), "lightweight tag")
    india = shared.clone("india-tags", "IND", "IND")
    message = f"Round 9\n\nCicatext-Round: round/{SLUG}/9\n"
    git(india.root, "tag", "-s", "-m", message, f"round/{SLUG}/9", "main")
    forged(shared, push(india, f"round/{SLUG}/9", url=shared.world.url), "signed by IND")
    forged(shared, push(india, f"round/{SLUG}/9"), "pushed by IND: only SEC moves")
    forged(shared, push(secretariat, f"{real}:refs/tags/round/{SLUG}/2"), f"named round/{SLUG}/1")
    forged(shared, push(secretariat, f"{real}:refs/tags/rev/{SLUG}/9"), f"named round/{SLUG}/1")
    git(secretariat.root, "tag", "-s", "-m", "Round 1\n\nCicatext-Round: round/other-doc/1\n",
        "round/other-doc/1", "main")
    forged(shared, push(secretariat, "round/other-doc/1"), "which is not round 1 of other-doc")
    git(secretariat.root, "tag", "-f", "-s", "-m", f"moved\n\nCicatext-Round: round/{SLUG}/1\n",
        f"round/{SLUG}/1", "main")
    forged(shared, push(secretariat, "--force", f"round/{SLUG}/1"), "never moves")
    forged(shared, push(secretariat, f":refs/tags/round/{SLUG}/1"), "never deletes")
    assert git(shared.world.bare, "rev-parse", f"round/{SLUG}/1").stdout.strip() == real
    for name in (f"round/{SLUG}/8", f"round/{SLUG}/9", f"round/{SLUG}/2", f"rev/{SLUG}/9", "round/other-doc/1"):
        assert shared.server_ref(f"refs/tags/{name}") is None


def test_pushes_tally(shared, capsys):
    """Every forged push of this module was refused and every good push taken; the figures are reported."""
    line = (f"forged pushes tried {TALLY['forged']}, refused {TALLY['refused']}; good pushes tried "
            f"{TALLY['good']}, accepted {TALLY['accepted']}; other commands over ssh tried {TALLY['commands']}, "
            f"refused {TALLY['commands_refused']}")
    with capsys.disabled():
        print(f"\n{line}")
    assert TALLY["forged"] == TALLY["refused"] and TALLY["good"] == TALLY["accepted"], line
    assert TALLY["commands"] == TALLY["commands_refused"], line
