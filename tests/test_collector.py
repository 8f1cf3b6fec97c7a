"""The garbage collector paused while many objects that live on are made (`cicatext.collector.paused`)."""

from __future__ import annotations

import gc

import pytest

from cicatext.collector import paused


@pytest.fixture
def collecting():
    """The collector running, whatever the test run set, and as it was after."""
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_what_is_made_while_paused_joins_the_oldest_generation(collecting) -> None:
    """The collector is paused meanwhile and runs again after; what was made meanwhile is in its oldest generation."""
    with paused():
        assert not gc.isenabled()
        made = [[number] for number in range(2000)]
    assert gc.isenabled()
    oldest = {id(thing) for thing in gc.get_objects(generation=2)}
    assert all(id(thing) in oldest for thing in made)


def test_what_was_frozen_stays_frozen(collecting) -> None:
    """Objects set aside from the collector before (`gc.freeze`) are still set aside after a pause."""
    kept = [[number] for number in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused():
            made = [[number] for number in range(100)]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
    assert kept and made


def test_a_stopped_collector_stays_stopped(collecting) -> None:
    """When the collector was not running, a pause leaves it so."""
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()



def test_the_command_line_run_as_the_program_sets_what_it_made_aside_and_with_arguments_does_not(tmp_path) -> None:
    """`cicatext` run as the program ends with what it made frozen (the collector's last rounds at exit skip it),
    its exit code and output as ever; `main` called with arguments, as a script or a test does, freezes nothing."""
    import subprocess
    import sys

    (tmp_path / "en.txt").write_text("The [proposed] text (+CHN).\n", encoding="utf-8")
    probe = ("import gc, sys\n"
             "from cicatext.cli.main import main\n"
             "as_program = sys.argv.pop(1) == 'program'\n"
             "code = main() if as_program else main(sys.argv[1:])\n"
             "print('exit', code, 'frozen', gc.get_freeze_count() > 0, file=sys.stderr)\n")
    said = {}
    for how in ("program", "arguments"):
        done = subprocess.run([sys.executable, "-c", probe, how, "check", "en.txt"], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
        said[how] = done.stderr.splitlines()
    assert said["program"][-1] == "exit 1 frozen True"
    assert said["arguments"][-1] == "exit 1 frozen False"
    assert said["program"][:-1] == said["arguments"][:-1]
    assert "follows no bracket" in said["program"][0]
