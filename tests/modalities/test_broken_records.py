"""A report that cannot read a record says so and exits 1, rather than leaving the record's facts out in silence."""

from __future__ import annotations

from cicatext.cli.main import main


def test_a_coordinators_file_that_does_not_load_is_named_not_skipped(demo_repo, capsys):
    path = demo_repo.path("coordinators/ict-security.yaml")
    text = path.read_text(encoding="utf-8")
    assert "\nappointments:" in text
    path.write_text(text.replace("\nappointments:", "\n   appointments:", 1), encoding="utf-8")  # broken indentation
    for command in (["coordinators", "--as-of", "2024-03-01"], ["deadlines", "--as-of", "2023-07-01"]):
        assert main([*command, "-C", str(demo_repo.root)]) == 1, command
        err = capsys.readouterr().err
        assert "coordinators/ict-security.yaml:" in err, err
    # validate reports it once, as before.
    assert main(["validate", str(demo_repo.root)]) == 1
    err = capsys.readouterr().err
    assert err.count("coordinators/ict-security.yaml:") == 1, err


def test_a_meeting_that_does_not_load_stops_the_cover_note(demo_repo, capsys):
    meeting = max(demo_repo.path("meetings").glob("*.yaml"))
    meeting.write_text(meeting.read_text(encoding="utf-8") + "  stray: [unclosed\n", encoding="utf-8")
    assert main(["note", "-C", str(demo_repo.root)]) == 1
    assert f"meetings/{meeting.name}:" in capsys.readouterr().err
