"""A Chair's revised text imported as the next revision, its paragraphs keeping their ids; `revise` after decisions."""

from __future__ import annotations

import json

import pytest

from cicatext.store import yamlio
from cicatext.store.negotiation.decisions import agree_bracket
from cicatext.store.register.create import import_text
from tests.ids import at_in
from tests.negotiation.conftest import cli, git, snapshot

SYMBOL = "MC/2024/DRAFT/1"
TEXT = "documents/mc-2024-draft-1/en.txt"
RECORD = "documents/mc-2024-draft-1/document.yaml"

ORIGINAL = """The Council,

Recalling the decisions of the Council on confidence building measures in the region;

1. Welcomes the work of the Special Working Group on the road map [and its annex] (+IND);

2. Requests the Secretariat to prepare a report on volunteerism and youth engagement for the next meeting;

3. Decides to remain seized of the matter and to consider it at its next session in the capital;

4. Invites member states to share their national experience of volunteer centres, and encourages them to set up
programmes for the young.
"""

# The Chair's Rev.1: a new paragraph at the top renumbers all; 2 moves to the end; 4 is split in two.
REVISED = """The Council,

Recalling the decisions of the Council on confidence building measures in the region;

1. Notes with appreciation the efforts of member states to enhance cooperation in cybersecurity and data;

2. Welcomes the work of the Special Working Group on the road map [and its annex] (+IND);

3. Decides to remain seized of the matter and to consider it at its next session in the capital;

4. Invites member states to share their national experience of volunteer centres;

5. Encourages them to set up programmes for the young.

6. Requests the Secretariat to prepare a report on volunteerism and youth engagement for the next meeting;
"""


@pytest.fixture
def drafted(new_repo):
    import_text(new_repo, ORIGINAL, symbol=SYMBOL, title="Draft decision", kind="decision", date="2024-01-10")
    return new_repo


def ids(repo) -> list[str]:
    return [line.split("}")[0][2:] for line in repo.read_text(TEXT).split("\n\n")]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_revised_text_comes_in_as_the_next_revision_its_paragraphs_keeping_their_ids(drafted, tmp_path, capsys):
    before = ids(drafted)
    assert before == ["pp1", "pp2", "op1", "op2", "op3", "op4"]
    head = drafted.head()
    assert cli("import", write(tmp_path, "rev1.txt", REVISED), "--symbol", f"{SYMBOL}/Rev.1", "--date", "2024-02-01",
               "-C", str(drafted.root)) == 0
    out = capsys.readouterr().out
    # The welcome, the decision and the invitation keep their ids though renumbered; the request moved to the end.
    assert ids(drafted) == ["pp1", "pp2", "op1.r1", "op1", "op3", "op4", "op5", "op2"]
    assert "op2 moved after op4" in out and "op1.r1 new" in out and "op5 split off op4" in out
    text = drafted.read_text(TEXT)
    assert "{#op1} 2. Welcomes the work" in text and "{#op2} 6. Requests the Secretariat" in text
    assert git(drafted.root, "rev-parse", "HEAD~1").strip() == head
    assert git(drafted.root, "tag", "--list", "rev/*").split() == ["rev/mc-2024-draft-1/1"]
    assert git(drafted.root, "cat-file", "-t", "rev/mc-2024-draft-1/1").strip() == "tag"
    record = yamlio.load(drafted.read_text(RECORD))
    assert record["date"] == "2024-02-01"
    assert record["revisions"][-1] == {"rev": 1, "symbol": f"{SYMBOL}/Rev.1", "date": "2024-02-01",
                                       "imported": "rev1.txt",
                                       "alignment": {"split": {"op5": "op4"}, "new": ["op1.r1"]}}
    assert cli("validate", str(drafted.root)) == 0


def test_a_new_paragraph_never_takes_an_id_used_in_an_earlier_revision(drafted, tmp_path, capsys):
    """op3 is removed in Rev.1; Rev.2 brings a new paragraph numbered 3: it may not be op3 again."""
    without_3 = ORIGINAL.replace("3. Decides to remain seized of the matter and to consider it at its next session "
                                 "in the capital;\n\n", "").replace("4. Invites", "3. Invites")
    assert cli("import", write(tmp_path, "r1.txt", without_3), "--symbol", f"{SYMBOL}/Rev.1", "--json",
               "-C", str(drafted.root)) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["alignment"]["counts"]["removed"] == 1 and "op3" not in ids(drafted)
    again = without_3 + "\n4. Calls for a meeting of experts on maritime security before the end of the year.\n"
    again = again.replace("3. Invites", "4. Invites").replace("4. Calls", "3. Calls")
    assert cli("import", write(tmp_path, "r2.txt", again), "--symbol", f"{SYMBOL}/Rev.2", "--json",
               "-C", str(drafted.root)) == 0
    assert "op3" not in ids(drafted) and "op3.r2" in ids(drafted)


@pytest.mark.parametrize("case", ["not-registered", "not-next", "already", "unrelated", "dirty", "bad-word",
                                  "bad-date"])
def test_bad_revisions_are_refused_with_one_message_and_nothing_written(drafted, tmp_path, capsys, case):
    symbol, text, extra = f"{SYMBOL}/Rev.1", REVISED, []
    if case == "not-registered":
        symbol = "MC/2024/DRAFT/9/Rev.1"
    elif case == "not-next":
        symbol = f"{SYMBOL}/Rev.2"
    elif case == "already":
        assert cli("import", write(tmp_path, "first.txt", REVISED), "--symbol", symbol, "-C", str(drafted.root)) == 0
    elif case == "unrelated":
        text = "\n\n".join(f"{n}. A paragraph about fisheries quota number {n} and the coastal states' shares."
                           for n in range(1, 7))
    elif case == "dirty":
        (drafted.root / TEXT).write_text(drafted.read_text(TEXT) + "\nmore\n", encoding="utf-8")
    elif case == "bad-date":
        extra = ["--date", "2024-02-31"]
    capsys.readouterr()
    before = snapshot(drafted.root)
    source = write(tmp_path, "broken.docx" if case == "bad-word" else "rev.txt", text)
    assert cli("import", source, "--symbol", symbol, *extra, "-C", str(drafted.root)) in (1, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("cicatext:") == 1
    expected = {"not-registered": "MC/2024/DRAFT/9 is not in the register",
                "not-next": "is not the next revision of MC/2024/DRAFT/1: the register holds MC/2024/DRAFT/1, so "
                            "the next is MC/2024/DRAFT/1/Rev.1",
                "already": "the next is MC/2024/DRAFT/1/Rev.2",
                "unrelated": "does not read as a revision of MC/2024/DRAFT/1",
                "dirty": "has uncommitted changes", "bad-word": "Word",
                "bad-date": "'2024-02-31' is not a date"}[case]
    assert expected in err
    assert snapshot(drafted.root) == before


def test_an_unrelated_text_comes_in_with_force(drafted, tmp_path, capsys):
    text = "\n\n".join(f"{n}. A paragraph about fisheries quota number {n} and the coastal states' shares."
                       for n in range(1, 7))
    assert cli("import", write(tmp_path, "other.txt", text), "--symbol", f"{SYMBOL}/Rev.1", "--force",
               "-C", str(drafted.root)) == 0
    assert "rev/mc-2024-draft-1/1" in capsys.readouterr().out


def test_a_word_file_comes_in_as_a_revision(drafted, tmp_path):
    import docx

    document = docx.Document()
    for block in REVISED.strip().split("\n\n"):
        document.add_paragraph(block)
    path = tmp_path / "rev1.docx"
    document.save(str(path))
    assert cli("import", str(path), "--symbol", f"{SYMBOL}/Rev.1", "-C", str(drafted.root)) == 0
    assert ids(drafted) == ["pp1", "pp2", "op1.r1", "op1", "op3", "op4", "op5", "op2"]


def test_revise_issues_the_next_revision_once_the_room_amended_the_text(drafted, capsys):
    before = snapshot(drafted.root)
    assert cli("revise", SYMBOL, "-C", str(drafted.root)) == 2
    assert "has not changed since it was issued" in capsys.readouterr().err
    assert snapshot(drafted.root) == before
    agree_bracket(drafted, SYMBOL, at_in(drafted, SYMBOL, "op1:1"))
    assert cli("revise", SYMBOL, "--date", "2024-03-01", "--json", "-C", str(drafted.root)) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["symbol"], result["tag"]) == (f"{SYMBOL}/Rev.1", "rev/mc-2024-draft-1/1")
    record = yamlio.load(drafted.read_text(RECORD))
    assert record["revisions"][-1]["note"] == f"{SYMBOL} as amended" and record["date"] == "2024-03-01"
    before = snapshot(drafted.root)
    assert cli("revise", SYMBOL, "-C", str(drafted.root)) == 2
    assert "has not changed since it was issued" in capsys.readouterr().err
    assert snapshot(drafted.root) == before


def numbered(text: str) -> str:
    """A text as committed by hand: each paragraph's id taken from its number, as a plain import gives it."""
    from cicatext.records.paragraphing import render_with_ids, split_paragraphs

    return render_with_ids(split_paragraphs(text)[0])


def test_diff_of_a_renumbered_text_committed_by_hand_pairs_paragraphs_by_content(drafted, capsys):
    """The Chair's Rev.1 committed by hand, ids from its numbering: diff compares like with like and shows the
    move as a move, not as half the paragraphs rewritten."""
    drafted.commit({TEXT: numbered(REVISED)}, "Rev.1 as the Chair sent it")
    assert cli("diff", "HEAD~1", "HEAD", SYMBOL, "-C", str(drafted.root)) == 0
    out = capsys.readouterr().out
    assert "op6 (was op2): moved after op5" in out
    assert "op2 (was op1): paragraph renumbered" in out and "op1: paragraph added" in out
    assert "op5: split off op4" in out
    assert "words changed" not in out.split("op2 (was op1)")[1].split("\n")[0]
    assert cli("diff", "HEAD~1", "HEAD", SYMBOL, "--json", "-C", str(drafted.root)) == 0
    [document] = json.loads(capsys.readouterr().out)["documents"]
    moved = next(p for p in document["paragraphs"] if p["paragraph"] == "op6")
    assert (moved["status"], moved["was"], moved["moved_after"]) == ("moved", "op2", "op5")


def test_an_export_of_a_text_amended_since_its_revision_says_so(drafted, tmp_path, capsys):
    assert cli("export", SYMBOL, "-o", str(tmp_path / "a.txt"), "-C", str(drafted.root)) == 0
    assert "amended" not in capsys.readouterr().err
    agree_bracket(drafted, SYMBOL, at_in(drafted, SYMBOL, "op1:1"))
    assert cli("export", SYMBOL, "-o", str(tmp_path / "b.txt"), "-C", str(drafted.root)) == 0
    assert "warning: the text was amended since MC/2024/DRAFT/1 was issued" in capsys.readouterr().err
    assert cli("revise", SYMBOL, "--date", "2024-03-01", "-C", str(drafted.root)) == 0
    capsys.readouterr()
    assert cli("export", SYMBOL, "--format", "html", "-o", str(tmp_path / "c.html"), "-C", str(drafted.root)) == 0
    assert "amended" not in capsys.readouterr().err
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "MC/2024/DRAFT/1/Rev.1" in html and "1 March 2024" in html


def test_a_text_imported_with_its_known_problems_is_still_negotiated(new_repo):
    """A circulated text with an unknown code is imported as it is; agree and a round still work on it."""
    from cicatext.store.negotiation.branches import start_delegation
    from cicatext.store.negotiation.propose import propose
    from cicatext.store.negotiation.rounds import run_round
    from cicatext.store.validation.validate import validate

    import_text(new_repo, "The Council,\n\n1. Decides [to act] (+ZZZ) now;\n\n2. Requests [a report] (+IND).\n",
                symbol=SYMBOL, title="T", kind="decision")
    assert [p.severity for p in validate(new_repo) if p.code == "notation"] == ["warning"]
    agree_bracket(new_repo, SYMBOL, at_in(new_repo, SYMBOL, "op2:1"))
    start_delegation(new_repo, "CHN")
    path = new_repo.root / TEXT
    path.write_text(path.read_text(encoding="utf-8").replace("Requests a report", "Requests a full report"),
                    encoding="utf-8")
    propose(new_repo, SYMBOL)
    git(new_repo.root, "switch", "--quiet", "main")
    result = run_round(new_repo, SYMBOL)
    assert result.tag == "round/mc-2024-draft-1/1"
    assert "[to act] (+ZZZ)" in new_repo.read_text(TEXT)


def test_a_revision_circulated_with_a_notation_problem_comes_in_with_it_recorded(drafted, tmp_path, capsys):
    """The official text is what it is: the problem is recorded as a known problem of Rev.1, and validate warns."""
    broken = REVISED.replace("[and its annex] (+IND)", "[and its annex (+IND)")
    assert cli("import", write(tmp_path, "rev1.txt", broken), "--symbol", f"{SYMBOL}/Rev.1",
               "-C", str(drafted.root)) == 0
    assert "kept as a known problem of MC/2024/DRAFT/1/Rev.1" in capsys.readouterr().err
    known = yamlio.load(drafted.read_text(RECORD))["revisions"][-1]["known_problems"]
    assert "'[' is never closed" in [k["message"] for k in known] and {k["language"] for k in known} == {"en"}
    assert cli("validate", str(drafted.root)) == 0
