"""Property-based fuzzing of every reader of outside input: it returns or raises a CicatextError, never another
exception, in memory bounded by the input; a bracketed text renders back exactly.

The examples are derandomized (the same on every run) and few, so the file runs in well under a minute; the
long run is `python bench/fuzz.py` (docs/performance.md, "Fuzzing"), or `CICATEXT_FUZZ_EXAMPLES=N` here.
No example database is kept.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import generators, targets

SCALE = int(os.environ.get("CICATEXT_FUZZ_EXAMPLES", "0"))
"""Examples per target for a long run; 0 for the fixed sample."""


def examples(sample: int, share: float = 1.0) -> settings:
    """Settings for one target: `sample` fixed examples, or `share` of CICATEXT_FUZZ_EXAMPLES when it is set."""
    count = max(1, int(SCALE * share)) if SCALE else sample
    return settings(max_examples=count, derandomize=not SCALE, database=None, deadline=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))


@examples(100, 0.4)
@given(generators.bracketed_texts)
def test_notation_reader(text):
    """read() and parse() return or refuse with a CicatextError; read(text).draft renders back to text exactly."""
    targets.notation(text)


@examples(60, 0.3)
@given(generators.yaml_texts)
def test_yaml_loading(text):
    """Any text, and hostile YAML (deep, aliased, complex keys, huge scalars), loads or raises a RecordError."""
    targets.yaml(text)


@st.composite
def rounds(draw):
    """A generated draft (well-formed, or any of the hostile texts) and position sets on it."""
    from tests.trust.test_fuzz_compile import rounds as well_formed

    text, sets, _ = draw(well_formed())
    if draw(st.integers(0, 2)) == 0:
        text = draw(generators.bracketed_texts)
    return text, sets


@examples(40, 0.2)
@given(rounds())
def test_compiler(case):
    """compile_round on generated position sets against generated texts returns or raises a CicatextError."""
    targets.compiled(*case)


@examples(20, 0.1)
@given(generators.word_files())
def test_word_import(data):
    """A .docx made with tracked changes and comments, the same with its XML mutated, or any bytes: read or
    refused with a CicatextError."""
    targets.word(data)


class _Server:
    """A guarded shared repository and IND's clone with its delegation branch pushed; `tip` follows what is taken."""

    def __init__(self, folder: Path) -> None:
        from cicatext.store.negotiation.branches import start_delegation
        from tests.trust.conftest import git, make_world

        world = make_world(folder)
        india = world.clone("india", "IND")
        start_delegation(india, "IND")
        git(india.root, "commit", "-q", "--allow-empty", "-m", "start")
        git(india.root, "push", "-q", "origin", "delegations/IND")
        self.clone, self.tip = india.root, india.head()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> _Server:
    return _Server(tmp_path_factory.mktemp("hook"))


@examples(5, 0.0005)
@given(entries=generators.pushed_trees, refspec=generators.pushed_refs)
def test_server_hook(server, entries, refspec):
    """A push of a generated tree (odd names, modes, contents) to a guarded repository is taken or refused in
    one of cicatext's lines (or git's), never with a traceback."""
    taken = targets.hook(server.clone, server.tip, entries, refspec)
    if taken:
        server.tip = taken
