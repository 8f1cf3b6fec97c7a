"""A round reads each position set once: one read from git, one parse, one check, whether a branch holds it now or
an earlier round compiled it; a bad one is still refused where it is wrong."""

from __future__ import annotations

from collections import Counter

from cicatext.store import yamlio
from cicatext.store.files import blob_id
from cicatext.store.negotiation import rounds
from cicatext.store.negotiation.branches import start_delegation
from cicatext.store.negotiation.propose import propose
from cicatext.store.negotiation.rounds import run_round
from tests.negotiation.conftest import (
    SLUG,
    SYMBOL,
    cli,
    edit,
    git,
    propose_as,
    snapshot,
)

MEASURES = ("Improve the measures taken", "Improve the steps taken")
ONLINE = ("in volunteer activities, both onsite and online;", "in volunteer activities;")
POSITIONS = f"positions/{{code}}/{SLUG}.yaml"


def _blob(repo, ref: str, path: str) -> str:
    return git(repo.root, "rev-parse", f"{ref}:{path}").strip()


def test_each_position_set_is_read_from_git_parsed_and_checked_once(volunteer, monkeypatch):
    """In a second round (CHN with a new entry, IND new, TUR unchanged since the first), every position set blob
    is asked of git once and parsed once, and none is parsed by the strict loader a second time for the check."""
    propose_as(volunteer, "CHN", MEASURES)
    propose_as(volunteer, "TUR", ("Improve the measures taken", "Improve the measures made"))
    first = run_round(volunteer, SYMBOL)
    start_delegation(volunteer, "CHN")
    edit(volunteer, *ONLINE)
    propose(volunteer, SYMBOL)
    git(volunteer.root, "switch", "--quiet", "main")
    propose_as(volunteer, "IND", ("great potential of volunteering", "great promise of volunteering"))

    compiled = {line.split()[1]: line.split()[2] for line in first.message.splitlines()
                if line.startswith("Cicatext-Compiled:")}
    tips = {code: _blob(volunteer, f"delegations/{code}", POSITIONS.format(code=code)) for code in ("CHN", "IND", "TUR")}
    assert compiled["TUR"] == tips["TUR"] and compiled["CHN"] != tips["CHN"]
    position_sets = {*compiled.values(), *tips.values()}
    assert len(position_sets) == 4

    asked: Counter[str] = Counter()
    parsed: Counter[str] = Counter()
    real_cat_files, real_load, real_load_record = rounds.cat_files, yamlio.load, yamlio.load_record

    def counting_cat_files(repo, specs):
        found = real_cat_files(repo, specs)
        for item in found:
            if item is not None and item[0] == "blob":
                asked[blob_id(item[1])] += 1
        return found

    def counting(real):
        def parse(text, *args, **kwargs):
            parsed[blob_id(text.encode("utf-8"))] += 1
            return real(text, *args, **kwargs)
        return parse

    monkeypatch.setattr(rounds, "cat_files", counting_cat_files)
    monkeypatch.setattr(yamlio, "load", counting(real_load))
    monkeypatch.setattr(yamlio, "load_record", counting(real_load_record))
    result = run_round(volunteer, SYMBOL)

    assert result.delegations == ("CHN", "IND") and result.idle == ("TUR",)
    assert {blob: asked[blob] for blob in position_sets} == dict.fromkeys(position_sets, 1)
    assert {blob: parsed[blob] for blob in position_sets} == dict.fromkeys(position_sets, 1)
    assert [p.entry.id for p in result.compiled.placed if p.delegation == "CHN"] == ["e2"]


def _branch_set(volunteer, content: str | bytes, *, chn_too: bool = False) -> str:
    """IND's branch holding `content` as its position set (and CHN's proposals on main with `chn_too`); its path."""
    start_delegation(volunteer, "IND")
    path = POSITIONS.format(code="IND")
    volunteer.commit({path: content}, "IND positions")
    git(volunteer.root, "switch", "--quiet", "main")
    if chn_too:
        propose_as(volunteer, "CHN", MEASURES)
    return path


def _refused(volunteer, capsys) -> str:
    """What a round said refusing, after checking it exited 1 without a traceback and changed nothing."""
    before = snapshot(volunteer.root)
    code = cli("round", SYMBOL, "-C", str(volunteer.root))
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert snapshot(volunteer.root) == before
    return err


def test_a_position_set_that_is_not_yaml_is_refused_at_its_line_and_column(volunteer, capsys):
    """A branch's position set that does not parse is refused naming the branch, the file, its line and column,
    and nothing changes."""
    path = _branch_set(volunteer, f"delegation: IND\ndocument: {SYMBOL}\nentries:\n  - id: e1\n    action: [reserve\n",
                       chn_too=True)
    err = _refused(volunteer, capsys)
    assert f"delegations/IND:{path}:6:1: YAML syntax" in err, err


def test_words_in_anothers_mouth_are_refused_with_the_record_the_round_read(volunteer, capsys):
    """The attribution check runs on the record the round parsed: an insertion attributed to another delegation
    is refused at its line, naming the branch's file."""
    path = _branch_set(volunteer, yamlio.dump({"delegation": "IND", "document": SYMBOL, "entries": [
        {"id": "e1", "action": "insert", "paragraph": "op4", "anchor": {"before": "Improve the", "after": "measures"},
         "text": "[urgent] (+CHN)"}]}))
    err = _refused(volunteer, capsys)
    assert f"delegations/IND:{path}:10:21: entry e1: text attributes words to CHN ('(+CHN)'), not to IND" in err, err


def test_a_position_set_over_the_file_limit_in_bytes_is_refused(volunteer, capsys):
    """A position set of fewer characters than `limits.file_bytes` but more bytes is refused, naming the setting."""
    path = _branch_set(volunteer, yamlio.dump({"delegation": "IND", "document": SYMBOL, "entries": [
        {"id": "e1", "action": "reserve", "paragraph": "op13", "bracket": "op13:1",
         "justification": "обоснование " * 400}]}))
    settings = volunteer.path("cicatext.yaml")
    settings.write_text(settings.read_text(encoding="utf-8") + "limits:\n  file_bytes: 6000\n", encoding="utf-8")
    git(volunteer.root, "commit", "-qam", "limits")
    size = len(git(volunteer.root, "show", f"delegations/IND:{path}").encode("utf-8"))
    characters = len(git(volunteer.root, "show", f"delegations/IND:{path}"))
    assert characters <= 6000 < size
    err = _refused(volunteer, capsys)
    assert f"delegations/IND:{path} is {size:,} bytes, over the limit of 6,000 bytes set by limits.file_bytes" in err, err


def test_a_position_set_that_is_not_utf8_is_refused_at_its_line_and_column(volunteer, capsys):
    """A branch's position set holding a byte that is not UTF-8 (saved as Latin-1) is refused at that byte's line
    and column, naming the branch's file, with no traceback; nothing changes."""
    path = _branch_set(volunteer, f"delegation: IND\ndocument: {SYMBOL}\nentries: []\nnote: caf\xe9\n".encode("latin-1"),
                       chn_too=True)
    err = _refused(volunteer, capsys)
    assert f"delegations/IND:{path}:4:10: the file holds bytes that are not UTF-8" in err, err
