"""The sample repository: the seed's documents kept as the secretariat would keep them, validating clean."""

import re
import subprocess

from cicatext.cli.main import main
from cicatext.notation.reader import parse
from cicatext.notation.views import bracket_list
from cicatext.store.validation.validate import validate

MARKER = re.compile(r"^\{#[^}]+\} ")


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo.root, capture_output=True, text=True, check=True).stdout


def test_sample_repository_validates_clean(demo_repo):
    """Every record, text and link of the sample repository checks out."""
    assert [p.headline() for p in validate(demo_repo)] == []


def test_sample_holds_the_package_of_14_june_2023(demo_repo):
    """The five enclosures and the cover note are registered under their symbols, with the latest revision."""
    current = {e.current_symbol for e in demo_repo.documents()}
    assert current == {"SWG/2023-II/INF/2", "MC/2023/CHAIR/1/Rev.1", "MC/2023/DRAFT/3/Rev.1",
                       "MC/2023/DRAFT/4", "MC/2023/DRAFT/5", "SWG/739"}
    road_map = demo_repo.document("MC/2023/CHAIR/1")
    first = road_map.record["revisions"][0]
    assert (first["symbol"], first["date"], first["text"]) == ("MC/2023/CHAIR/1", "2023-05-11", False)
    modalities = demo_repo.document("MC/2023/DRAFT/4")
    assert modalities.record["predecessors"][0]["symbol"] == "MC/2023/SEC/1"
    assert modalities.record["status"][-1]["action"] == "considered"
    assert demo_repo.document("MC/2023/DRAFT/3/Rev.1").record["status"][-1]["action"] == "agreed"


def test_every_paragraph_is_the_seed_text_verbatim(demo_repo, seed_text):
    """Each paragraph of every English text stands in the seed character for character."""
    for entry in demo_repo.documents():
        for block in demo_repo.read_text(entry.text_path("en")).split("\n\n"):
            paragraph = MARKER.sub("", block.strip("\n"))
            assert paragraph in seed_text, (entry.slug, paragraph[:60])


def test_statement_brackets_are_exactly_those_of_the_seed(demo_repo, seed_text):
    """The draft statement holds every bracket and attribution of the seed, no more, no less."""
    text = demo_repo.read_text(demo_repo.document("MC/2023/DRAFT/5").text_path("en"))
    draft = parse(text, codes=demo_repo.codes)
    seed_statement = parse(seed_text[seed_text.index("DRAFT CICA MINISTERIAL COUNCIL STATEMENT"):])

    def signature(d):
        return [(b.depth, b.text, [(a.code, a.stance.value) for a in b.attributions]) for b in bracket_list(d)]

    assert signature(draft) == signature(seed_statement)
    ids = {b.id.split(":")[0] for b in bracket_list(draft)}
    assert {"pp9", "op11", "op11altern", "op13", "op15"} <= ids
    assert text.count("{#op12} 12. Promote the creation") == 1


def test_history_tells_the_story_with_the_seed_dates(demo_repo):
    """git log runs from the May originals to the June texts, dated as the seed dates them."""
    log = _git(demo_repo, "log", "--reverse", "--format=%ad %s", "--date=short").splitlines()
    assert log[0] == "2023-05-11 Create the cicatext repository"
    assert "2023-05-11 Register MC/2023/CHAIR/1 of 11 May 2023 (text not held)" in log
    assert "2023-06-14 MC/2023/DRAFT/3/Rev.1 as agreed by the SWG" in log
    assert _git(demo_repo, "status", "--porcelain") == ""


def test_demo_command_builds_once_and_reuses(tmp_path, capsys):
    """`cicatext demo --no-tui` builds the repository, prints its path, and reuses it the next time."""
    target = tmp_path / "sample"
    assert main(["demo", "--path", str(target), "--no-tui"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(target.resolve()) and "Built the sample repository" in err
    assert main(["demo", "--path", str(target), "--no-tui"]) == 0
    assert "Built" not in capsys.readouterr().err


def test_demo_refuses_a_foreign_folder(tmp_path, capsys):
    """A non-empty folder that is not a cicatext repository is left alone."""
    (tmp_path / "mine.txt").write_text("keep")
    assert main(["demo", "--path", str(tmp_path), "--no-tui"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_the_ui_without_a_terminal_is_refused_before_anything_is_built(tmp_path, demo_repo):
    """`cicatext demo` and `cicatext tui` with input and output not a terminal (a script, a service) refuse in one
    line naming `--no-tui`, and build nothing, rather than start a UI that waits unseen."""
    import sys

    place = tmp_path / "sample"
    said = {}
    for args in (["demo", "--path", str(place)], ["tui", str(demo_repo.root)]):
        process = subprocess.run([sys.executable, "-m", "cicatext", *args], stdin=subprocess.DEVNULL,
                                 capture_output=True, text=True, timeout=60, check=False)
        assert process.returncode == 2, process.stderr
        assert process.stderr.startswith("cicatext: the terminal UI needs a terminal"), process.stderr
        assert "Traceback" not in process.stderr
        said[args[0]] = process.stderr
    assert "cicatext demo --no-tui" in said["demo"]
    assert not place.exists()
