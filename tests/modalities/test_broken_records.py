"""A report that cannot read a record says so and exits 1, rather than leaving the record's facts out in silence."""

from __future__ import annotations

from cicatext.cli.main import main


def test_a_coordinators_file_that_does_not_load_is_named_not_skipped(demo_repo, capsys):
    path = demo_repo.path("coordinators/ict-security.yaml")
    text = path.read_text(encoding="utf-8")
    assert "\nappointments:" in text
    path.write_text(text.replace("\nappointments:", "\n   appointments:", 1), encoding="utf-8")  # broken indentation
    for command, shown in ((["coordinators", "--as-of", "2024-03-01"], "Combating Terrorism"),
                           (["deadlines", "--as-of", "2023-07-01"], "Deadlines as of 2023-07-01")):
        assert main([*command, "-C", str(demo_repo.root)]) == 1, command
        captured = capsys.readouterr()
        assert "coordinators/ict-security.yaml:" in captured.err, captured.err
        assert "leaves those records out" in captured.err
        assert shown in captured.out, "the rest is shown"
        assert "Security of and in the use of ICTs" not in captured.out
    assert main(["coordinators", "--as-of", "2024-03-01", "--json", "-C", str(demo_repo.root)]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["file"] == "coordinators/ict-security.yaml" and report["dimensions"]
    # validate reports it once, as before.
    assert main(["validate", str(demo_repo.root)]) == 1
    err = capsys.readouterr().err
    assert err.count("coordinators/ict-security.yaml:") == 1, err


def test_a_meeting_that_does_not_load_stops_the_cover_note(demo_repo, capsys):
    meeting = max(demo_repo.path("meetings").glob("*.yaml"))
    meeting.write_text(meeting.read_text(encoding="utf-8") + "  stray: [unclosed\n", encoding="utf-8")
    assert main(["note", "-C", str(demo_repo.root)]) == 1
    assert f"meetings/{meeting.name}:" in capsys.readouterr().err


def test_a_coordinator_action_names_a_broken_record_before_asking_for_options(demo_repo, capsys):
    """Before `--to` is asked for, the area's file is read: a file that does not load is named first."""
    assert main(["coordinator", "extend", "RUS", "ict-security", "-C", str(demo_repo.root)]) == 2
    assert "give --to" in capsys.readouterr().err
    path = demo_repo.path("coordinators/ict-security.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("\nappointments:", "\n   appointments:", 1),
                    encoding="utf-8")
    for command in (["extend", "RUS", "ict-security"], ["terminate", "RUS", "ict-security"],
                    ["offer", "RUS", "ict-security"], ["act", "RUS", "ict-security"]):
        assert main(["coordinator", *command, "-C", str(demo_repo.root)]) == 1, command
        err = capsys.readouterr().err
        assert "coordinators/ict-security.yaml:" in err and "give --" not in err, err


def test_dates_at_the_end_of_the_calendar_and_huge_rules_are_read_without_failing(demo_repo, capsys):
    """A tenure ending 9999-12-31, a meeting on the calendar's last day and rules of a hundred billion months are
    odd records, not a reason to stop: every report runs to its end and validate lists what it finds."""
    def edit(relative: str, *pairs: tuple[str, str]) -> None:
        path = demo_repo.path(relative)
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (relative, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")

    edit("coordinators/ict-security.yaml", ("from: 2024-01-01", "from: 9999-11-01"), ("to: 2025-12-31", "to: 9999-12-31"))
    edit("meetings/swg-2023-06.yaml", ("date: 2023-07-15", "date: 9999-12-31"), ("from: 2023-06-13", "from: 9999-12-30"),
         ("to: 2023-06-14", "to: 9999-12-31"))
    edit("cicatext.yaml", ("concept_paper_due_months: 3", "concept_paper_due_months: 99999999999"),
         ("tenure_max_years: 4", "tenure_max_years: 99999999999"))
    root = str(demo_repo.root)
    for command in (["validate", root], ["deadlines", "-C", root], ["deadlines", "--as-of", "9999-12-31", "-C", root],
                    ["coordinators", "-C", root], ["coordinators", "--as-of", "0001-01-01", "-C", root],
                    ["deadlines", "--json", "-C", root]):
        assert main(command) in (0, 1), command
        assert "Traceback" not in capsys.readouterr().err
