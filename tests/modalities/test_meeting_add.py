"""`cicatext meeting add` records a meeting; `note` forwards its documents and writes the note as Word."""

from __future__ import annotations

import json
import zipfile

from cicatext.cli.main import main
from tests.negotiation.conftest import snapshot


def _add(repo, *extra: str) -> int:
    return main(["meeting", "add", "swg-2023-09", "--body", "SWG", "--from", "2023-09-12", "--to", "2023-09-13",
                 "--place", "Astana", "--mode", "in-person", "--document", "MC/2023/DRAFT/5=considered",
                 "--document", "MC/2023/DRAFT/4=agreed", "-C", str(repo.root), *extra])


def test_a_meeting_is_recorded_validated_and_its_note_written_as_word(demo_repo, tmp_path, capsys):
    assert _add(demo_repo, "--json") == 0
    added = json.loads(capsys.readouterr().out)
    assert added["file"] == "meetings/swg-2023-09.yaml"
    assert added["documents"] == [{"symbol": "MC/2023/DRAFT/5", "action": "considered"},
                                  {"symbol": "MC/2023/DRAFT/4", "action": "agreed"}]
    assert main(["validate", str(demo_repo.root)]) == 0
    capsys.readouterr()
    out = tmp_path / "swg-801.docx"
    assert main(["note", "swg-2023-09", "--number", "SWG/801", "--lang", "en", "-o", str(out),
                 "-C", str(demo_repo.root)]) == 0
    with zipfile.ZipFile(out) as archive:  # read back with a second reader: the Office XML itself
        body = archive.read("word/document.xml").decode("utf-8")
    assert "SWG/801" in body and "MC/2023/DRAFT/5" in body and "MC/2023/DRAFT/4" in body


def test_bad_meetings_are_refused_and_nothing_is_written(demo_repo, capsys):
    before = snapshot(demo_repo.root)
    for extra, words in (
        (["--body", "NOPE"], "unknown body 'NOPE'"),
        (["--to", "2023-09-01"], "ends (2023-09-01) before it starts"),
        (["--from", "2023-02-30"], "'2023-02-30' is not a date"),
        (["--document", "MC/2099/DRAFT/1=agreed"], "MC/2099/DRAFT/1"),
        (["--document", "MC/2023/DRAFT/5=liked"], "unknown action 'liked'"),
    ):
        args = ["meeting", "add", "swg-2023-09", "--body", "SWG", "--from", "2023-09-12", "-C", str(demo_repo.root)]
        assert main([*args, *extra]) == 2, extra
        assert words in capsys.readouterr().err, extra
    assert main(["meeting", "add", "../keys/x", "--body", "SWG", "--from", "2023-09-12",
                 "-C", str(demo_repo.root)]) == 2
    capsys.readouterr()
    assert snapshot(demo_repo.root) == before
    assert _add(demo_repo) == 0
    assert _add(demo_repo) == 2
    assert "already recorded" in capsys.readouterr().err


def test_note_to_a_folder_that_does_not_exist_is_refused_as_export_refuses_it(demo_repo, tmp_path, capsys):
    target = tmp_path / "missing" / "note.docx"
    assert main(["note", "swg-2023-06", "-o", str(target), "-C", str(demo_repo.root)]) == 2
    assert "does not exist" in capsys.readouterr().err and not target.parent.exists()
