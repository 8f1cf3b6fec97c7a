"""A bracket spanning paragraphs through a delegation's proposal, a round and the diff."""

from __future__ import annotations

from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.diff import diff_refs
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from cicatext.store.register.create import import_text
from cicatext.store.validation.validate import validate
from tests.negotiation.conftest import git

SYMBOL = "MC/2024/DRAFT/3"
TEXT = "documents/mc-2024-draft-3/en.txt"
DRAFT = """The Council,

4. [Each Party shall:

(a) act together;

(b) report annually.] (+IND)

5. Requests the Secretariat to report.
"""


def test_words_inside_a_spanning_bracket_are_proposed_compiled_and_diffed(new_repo):
    import_text(new_repo, DRAFT, symbol=SYMBOL, title="T", kind="decision")
    start_delegation(new_repo, "CHN")
    path = new_repo.root / TEXT
    path.write_text(path.read_text(encoding="utf-8").replace("report annually", "report every year"),
                    encoding="utf-8")
    result = propose(new_repo, SYMBOL)
    assert [e.describe() for e in result.entries] == ["replace in op4.b “every year”"]
    git(new_repo.root, "switch", "--quiet", "main")
    run_round(new_repo, SYMBOL)
    text = new_repo.read_text(TEXT)
    assert "{#op4.b} (b) report [[annually] (-CHN), [every year] (+CHN)].] (+IND)" in text
    assert [p for p in validate(new_repo) if p.severity == "error"] == []
    [document] = diff_refs(new_repo, "main~1", "main", SYMBOL)
    [change] = document.paragraphs
    assert change.paragraph == "op4.b" and not change.brackets_dropped
    assert [b.text for b in change.brackets_added][0] == "[annually] (-CHN), [every year] (+CHN)"
