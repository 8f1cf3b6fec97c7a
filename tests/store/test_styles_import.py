"""Texts received in another house's attribution style come in as the cica style, and go out in any style."""

from __future__ import annotations

import json
from collections import Counter

from cicatext.cli.main import main
from cicatext.notation.reader import read
from cicatext.notation.render import render
from tests.negotiation.conftest import git, snapshot

TEXT = "documents/mc-2024-draft-1/en.txt"
NOTE = """1. We note the [strong] (Iran: retain) role of dialogue.

2. We welcome [a new] (India, China) [forum] (China: delete) (KAZ: tcb).
"""


def _import(repo, path, *extra: str) -> int:
    return main(["import", str(path), "--symbol", "MC/2024/DRAFT/1", "--title", "Draft", "-C", str(repo.root),
                 *extra])


def positions(text: str) -> Counter:
    """Who wants what of which words (paragraph ids aside: an import gives its own)."""
    found: Counter = Counter()
    for paragraph in read(text).draft.paragraphs:
        for bracket, _ in paragraph.brackets():
            words = " ".join(render(bracket.body).split())
            found.update((words, a.code, a.stance.value) for a in bracket.attributions)
    return found


def test_import_converts_a_received_style_through_the_registry_and_says_what_it_converted(new_repo, tmp_path, capsys):
    path = tmp_path / "draft.txt"
    path.write_text(NOTE, encoding="utf-8")
    assert _import(new_repo, path, "--style", "party-note") == 0
    out = capsys.readouterr().out
    assert "Converted 4 attributions from the party-note style:" in out
    assert f"{path}:1:" in out and "(Iran: retain) → (+IRAN)" in out
    stored = new_repo.read_text(TEXT)
    assert "[strong] (+IRAN) role" in stored
    assert "[a new] (+IND) (+CHN) [forum] (-CHN) (KAZ tcb)." in stored
    assert main(["validate", str(new_repo.root)]) == 0


def test_a_party_no_registry_knows_is_listed_and_kept_as_written(new_repo, tmp_path, capsys):
    path = tmp_path / "draft.txt"
    path.write_text("1. We note the [strong] (Atlantis: retain) role.\n", encoding="utf-8")
    assert _import(new_repo, path, "--style", "party-note", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["converted"] == []
    [warning] = result["style_warnings"]
    assert "'Atlantis'" in warning["message"] and warning["line"] == 1
    assert "(Atlantis: retain)" in new_repo.read_text(TEXT)


def test_the_repositorys_style_is_the_default(new_repo, tmp_path, capsys):
    settings = new_repo.path("cicatext.yaml")
    settings.write_text(settings.read_text(encoding="utf-8").replace("style: cica", "style: party-inside"),
                        encoding="utf-8")
    git(new_repo.root, "commit", "-qam", "House style: party-inside")
    path = tmp_path / "draft.txt"
    path.write_text("1. We end [extreme - Iran; China delete] poverty.\n", encoding="utf-8")
    assert _import(new_repo, path) == 0
    assert "[extreme] (+IRAN) (-CHN) poverty" in new_repo.read_text(TEXT)
    assert "from the party-inside style" in capsys.readouterr().out


def test_an_unknown_style_is_refused_and_nothing_is_written(new_repo, tmp_path, capsys):
    path = tmp_path / "draft.txt"
    path.write_text(NOTE, encoding="utf-8")
    before = snapshot(new_repo.root)
    assert _import(new_repo, path, "--style", "party-noted") == 2
    err = capsys.readouterr().err
    assert "unknown attribution style 'party-noted'" in err and "party-note [text] (A: retain)" in err
    assert snapshot(new_repo.root) == before


def test_export_in_each_style_comes_back_in_with_every_position(demo_repo, new_repo, tmp_path, capsys):
    original = demo_repo.read_text("documents/mc-2023-draft-5/en.txt")
    for number, style in enumerate(("party-inside", "party-prefix", "party-note"), 1):
        out = tmp_path / f"{style}.txt"
        assert main(["export", "MC/2023/DRAFT/5", "--style", style, "-o", str(out), "-C", str(demo_repo.root)]) == 0
        exported = out.read_text(encoding="utf-8")
        # party-prefix has no form for a bracket holding attributed brackets: those stay cica, with a warning.
        assert ("(+IRAN)" in exported) == (style == "party-prefix"), style
        assert "(+IND)" not in exported or style == "party-prefix"
        symbol = f"MC/2024/DRAFT/{number}"
        assert main(["import", str(out), "--symbol", symbol, "--title", "Back", "--style", style,
                     "-C", str(new_repo.root)]) == 0
        back = new_repo.read_text(f"documents/mc-2024-draft-{number}/en.txt")
        assert positions(back) == positions(original), style
    capsys.readouterr()


def test_notation_commands_read_a_style_with_the_repositorys_names(new_repo, tmp_path, monkeypatch, capsys):
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    monkeypatch.chdir(new_repo.root)
    assert main(["stats", str(path), "--style", "party-note", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["delegations"] == {"IRAN": {"+": 1, "-": 0, "tcb": 0}, "IND": {"+": 1, "-": 0, "tcb": 0},
                                     "CHN": {"+": 1, "-": 1, "tcb": 0}, "KAZ": {"+": 0, "-": 0, "tcb": 1}}
    assert main(["brackets", str(path), "--style", "party-note", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["style"] == "party-note" and len(listed["converted"]) == 4
    # Read as the cica style, the notes stay text and are flagged as looking like attributions.
    assert main(["check", str(path)]) == 0
    assert "--style party-note" in capsys.readouterr().err


def test_a_file_in_a_repository_is_checked_against_its_registry(demo_repo, tmp_path, monkeypatch, capsys):
    path = demo_repo.path("notes.txt")
    path.write_text("a [x] (+IRN) and [y] (+IRAN)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "unknown delegation code 'IRN'" in err and "did you mean 'IRAN'?" in err
    # Codes given on the command line are the ones known.
    assert main(["check", str(path), "--codes", "IRN"]) == 1
    assert "unknown delegation code 'IRAN'" in capsys.readouterr().err
    outside = tmp_path / "notes.txt"
    outside.write_text("a [x] (+IRN)\n", encoding="utf-8")
    assert main(["check", str(outside)]) == 0
