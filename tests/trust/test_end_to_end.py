"""The whole story on a guarded shared repository: signed proposals in, forgeries out, a round, everyone pulls."""

from __future__ import annotations

from cicatext.store.negotiation.rounds import run_round
from cicatext.store.trust.verify import verified_author, verify
from tests.trust.conftest import SYMBOL, TEXT, edit, git
from tests.trust.test_server import proposes, push, refused


def test_negotiation_over_a_guarded_shared_repository(world):
    """IND and CHN push signed proposals, four forged pushes are refused, the Secretariat's round reaches everyone."""
    india, china = world.clone("india", "IND"), world.clone("china", "CHN")
    proposes(india, "IND", "Improve the measures taken", "Improve the steps taken")
    assert push(india, "delegations/IND").returncode == 0
    proposes(china, "CHN", "Encourage recognition", "Encourage the recognition")
    assert push(china, "delegations/CHN").returncode == 0

    # Forgeries: IND's key on CHN's branch, a change outside the folder, an unsigned commit, a force push.
    git(india.root, "fetch", "--quiet", "origin")
    git(india.root, "switch", "--quiet", "-c", "forge-chn", "origin/delegations/CHN")
    path = india.path("positions/CHN/mc-2023-draft-5.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "# CHN withdraws everything\n", encoding="utf-8")
    git(india.root, "commit", "-qam", "CHN withdraws (forged)")
    forged = india.head()
    refused(push(india, "forge-chn:delegations/CHN"), "only CHN's keys")
    git(india.root, "switch", "--quiet", "delegations/IND")
    edit(india, "Encourage recognition", "Encourage IND's recognition")
    git(india.root, "commit", "-qam", "edit the draft directly")
    outside = india.head()
    refused(push(india, "delegations/IND"), "outside positions/IND/")
    git(india.root, "reset", "--quiet", "--hard", "HEAD~1")
    git(china.root, "commit", "-q", "--allow-empty", "--no-gpg-sign", "-m", "unsigned")
    unsigned = china.head()
    refused(push(china, "delegations/CHN"), "unsigned")
    git(china.root, "reset", "--quiet", "--hard", "HEAD~2")
    git(china.root, "commit", "-q", "--allow-empty", "-m", "rewrite history")
    refused(push(china, "delegations/CHN", "--force"), "force push")
    assert not any(world.on_server(sha) for sha in (forged, outside, unsigned))

    # The Secretariat compiles the round: git signs every commit there, the round's merge and tag too.
    git(world.secretariat.root, "fetch", "--quiet", "origin")
    result = run_round(world.secretariat, SYMBOL)
    assert set(result.delegations) == {"IND", "CHN"}
    process = git(world.secretariat.root, "push", "--follow-tags", "origin", "main", check=False)
    assert process.returncode == 0, process.stderr
    assert world.on_server(result.commit)

    for clone in (india, china):
        git(clone.root, "switch", "--quiet", "main")
        git(clone.root, "pull", "--quiet", "--ff-only", "origin", "main")
        git(clone.root, "fetch", "--quiet", "--tags", "origin")
        text = clone.read_text(TEXT)
        assert "(+IND)" in text and "(+CHN)" in text
        assert verified_author(clone, result.commit).code == "SEC"
    checks = {c.commit: c for c in verify(india, "main")}
    assert checks[result.commit].entitled and checks[result.commit].vouched_by is None  # signed itself
    assert "gpgsig" in git(world.secretariat.root, "cat-file", "commit", result.commit).stdout
    signed = [c for c in checks.values() if c.signature.code in ("IND", "CHN")]
    assert signed and all(c.entitled for c in signed)
