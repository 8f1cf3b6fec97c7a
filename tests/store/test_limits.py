"""Hostile inputs are refused before they are expanded: YAML alias bombs, deep nesting, huge strings and huge files."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc

import pytest

from cicatext.errors import RecordError
from cicatext.store import limits, yamlio

MIB = 1024 * 1024


def alias_bomb(levels: int = 7, width: int = 9) -> str:
    """The "billion laughs": each level a list of `width` aliases to the level below (9**levels leaves)."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def peak_of(call) -> tuple[int, BaseException | None]:
    """The peak of Python memory allocated while `call` runs, and what it raised."""
    tracemalloc.start()
    raised = None
    try:
        call()
    except Exception as error:  # noqa: BLE001 - the test looks at what was raised
        raised = error
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak, raised


@pytest.mark.parametrize("reader", [yamlio.load, yamlio.load_record, yamlio.load_roundtrip])
def test_alias_bomb_is_refused_with_little_memory(reader):
    """A 300-byte alias bomb (4.7 million values expanded) is refused at the alias that crosses the limit, using < 4 MB."""
    bomb = alias_bomb()
    assert len(bomb) < 1024
    peak, raised = peak_of(lambda: reader(bomb, file="positions/IND/x.yaml"))
    assert isinstance(raised, RecordError), raised
    assert peak < 4 * MIB, f"{peak:,} bytes allocated refusing the bomb"
    problem = raised.problem
    assert "expands to more than 1,000,000 values" in problem.message
    assert problem.file == "positions/IND/x.yaml"
    assert problem.line is not None and problem.line > 1 and problem.column is not None
    assert problem.source_line and "*a" in problem.source_line


@pytest.mark.parametrize("reader", [yamlio.load, yamlio.load_record, yamlio.load_roundtrip])
def test_aliases_under_the_limit_stay_shared(reader):
    """A 200-byte fan of aliases under the limit (4**8, 65,536 leaves) loads in memory of the text's order: what an
    alias repeats is one shared value, not a copy per alias. A value inside itself is refused in one line by the
    readers of records (the round-trip reader, for editing, keeps it as written)."""
    fan = alias_bomb(levels=8, width=4)
    peak, raised = peak_of(lambda: reader(fan, file="f.yaml"))
    assert raised is None, raised
    assert peak < 2 * MIB, f"{peak:,} bytes allocated loading {len(fan)} bytes"
    loaded = reader(fan, file="f.yaml")
    assert loaded["a8"][0] is loaded["a8"][3] and len(loaded["a8"][0][0][0][0][0][0][0]) == 4
    if reader is not yamlio.load_roundtrip:
        with pytest.raises(RecordError, match="refers to itself"):
            reader(fan + "self: &s [*s]\n", file="f.yaml")


def test_too_many_aliases_are_refused():
    """More aliases than the limit, even cheap ones, are refused, naming the limit."""
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (limits.MAX_YAML_ALIASES + 1)) + "]\n"
    with pytest.raises(RecordError, match=f"more than {limits.MAX_YAML_ALIASES} aliases") as caught:
        yamlio.load(text, file="f.yaml")
    assert caught.value.problem.line == 2


def test_a_few_aliases_still_load():
    """Anchors and aliases within the limits read as before."""
    assert yamlio.load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    assert yamlio.load_record("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("reader", [yamlio.load, yamlio.load_record, yamlio.load_roundtrip])
def test_deep_nesting_is_refused_with_its_place(reader):
    """A document nested 5,000 deep is refused with the line and column where it goes past the limit."""
    text = "key:\n  " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(RecordError, match=f"over the limit of {limits.MAX_YAML_DEPTH}") as caught:
        reader(text, file="deep.yaml")
    assert (caught.value.problem.line, caught.value.problem.column) == (2, 2 + limits.MAX_YAML_DEPTH)


@pytest.mark.parametrize("reader", [yamlio.load, yamlio.load_record, yamlio.load_roundtrip])
def test_a_huge_string_is_refused(reader):
    """A string over the limit is refused at its line, with the limit named."""
    text = "delegation: IND\nnote: " + "x" * (limits.MAX_YAML_STRING + 1) + "\n"
    with pytest.raises(RecordError, match="over the limit of 1,048,576") as caught:
        reader(text, file="big.yaml")
    assert (caught.value.problem.line, caught.value.problem.column) == (2, 7)


def test_a_huge_yaml_text_is_refused_before_parsing():
    """A YAML text over the file limit is refused from its size alone."""
    text = "a: b\n" * (limits.MAX_FILE_BYTES // 5 + 1)
    assert len(text) > limits.MAX_FILE_BYTES
    peak, raised = peak_of(lambda: yamlio.load(text, file="huge.yaml"))
    assert isinstance(raised, RecordError) and "over cicatext's limit" in raised.problem.message
    assert peak < MIB


def test_a_huge_file_is_refused_without_reading_it(new_repo):
    """Repository.read_text refuses a file over the limit from its size, without reading it into memory."""
    path = new_repo.path("documents/big/en.txt")
    path.parent.mkdir(parents=True)
    with open(path, "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    peak, raised = peak_of(lambda: new_repo.read_text("documents/big/en.txt"))
    assert isinstance(raised, RecordError), raised
    assert raised.problem.file == "documents/big/en.txt"
    assert "16 MiB" in raised.problem.message
    assert peak < MIB


def test_validate_reports_a_bomb_in_a_record(new_repo):
    """`cicatext validate` names the file, line and column of a bomb in a record and exits 1, in bounded memory."""
    path = new_repo.path("positions/IND/mc-2023-draft-5.yaml")
    path.parent.mkdir(parents=True)
    path.write_text(alias_bomb(levels=9), encoding="utf-8")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from cicatext.cli.main import main; sys.exit(main(['validate', sys.argv[1]]))")
    process = subprocess.run([sys.executable, "-c", code, str(new_repo.root)], check=False, capture_output=True, text=True,
                             timeout=120)
    assert process.returncode == 1, process.stderr
    assert "positions/IND/mc-2023-draft-5.yaml:" in process.stderr + process.stdout
    assert "expands to more than 1,000,000 values" in process.stderr + process.stdout
    assert "Traceback" not in process.stderr


def test_oversized_blob_is_found_from_the_tree_listing(new_repo):
    """The server's size check names a pushed file over the limit from git's listing, without reading it."""
    path = new_repo.path("documents/big/en.txt")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x" * (limits.MAX_FILE_BYTES + 1))
    subprocess.run(["git", "add", "-A"], cwd=new_repo.root, check=True)
    subprocess.run(["git", "commit", "-qm", "big"], cwd=new_repo.root, check=True)
    found = limits.oversized_blob(new_repo.root, "HEAD")
    assert found is not None and found.path == "documents/big/en.txt" and found.size == limits.MAX_FILE_BYTES + 1
    assert "over cicatext's limit" in found.message
    assert limits.oversized_blob(new_repo.root, "HEAD~1") is None



@pytest.mark.parametrize("reader", [yamlio.load, yamlio.load_record])
def test_the_file_limit_counts_bytes_on_every_path(reader):
    """A record of fewer characters than `file_bytes` but more bytes (Cyrillic, two bytes each) is refused by the
    quick record reader as by the strict one."""
    text = "justification: " + "обоснование " * 300 + "\n"
    bounds = limits.Limits(file_bytes=6000)
    assert len(text) <= 6000 < len(text.encode("utf-8"))
    with pytest.raises(RecordError, match=r"f\.yaml is 6,916 bytes, over cicatext's limit of 6,000 bytes for one"):
        reader(text, file="f.yaml", bounds=bounds)
