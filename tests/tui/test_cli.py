"""`cicatext tui` and `search`: bad input gives one clear message before any UI starts or index is built."""

from __future__ import annotations

from cicatext.cli.main import main


def test_tui_outside_a_repository(tmp_path, capsys):
    """A folder without cicatext.yaml is refused with the reason and a hint, exit code 1."""
    code = main(["tui", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "not inside a cicatext repository" in err
    assert "cicatext init" in err
    assert len(err.strip().splitlines()) <= 3


def test_tui_on_a_missing_path(tmp_path, capsys):
    """A path that does not exist says so."""
    assert main(["tui", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_tui_on_a_folder_that_is_not_git(tmp_path, capsys):
    """A cicatext.yaml outside git is refused before the UI starts, naming the cure."""
    (tmp_path / "cicatext.yaml").write_text("cicatext: 1\n", encoding="utf-8")
    assert main(["tui", str(tmp_path)]) == 1
    assert "not a git repository" in capsys.readouterr().err


def test_tui_with_a_bad_date(demo_repo, capsys):
    """--as-of must be a date."""
    assert main(["tui", str(demo_repo.root), "--as-of", "15 July"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_search_for_nothing(demo_repo, capsys):
    """An empty query is refused before any index is built."""
    assert main(["search", "  ", "-C", str(demo_repo.root)]) == 2
    err = capsys.readouterr().err
    assert "nothing to search for" in err and "indexing" not in err
    assert not demo_repo.path(".cicatext/search.sqlite").exists()
