"""Fuzzing: malformed bracketed text and YAML produce only cicatext's own errors, located inside the input."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cicatext.errors import NotationError, RecordError
from cicatext.notation.reader import parse, read
from cicatext.notation.render import render
from cicatext.store import yamlio

EXAMPLES = int(os.environ.get("CICATEXT_FUZZ_EXAMPLES", "400"))
TRIED = {"notation": 0, "yaml": 0}

pieces = st.sampled_from(["[", "]", "(", ")", "(+IND)", "(-CHN)", "(SEC tcb)", "(+XYZ)", "(IRAN tcb)", ", ",
                          "text", " ", "\n", "\n\n", "{#op1} ", "11.", "*Recognizing*", "\r\n", "\t", "é", "]. (-IND)"])
texts = st.one_of(st.lists(pieces, max_size=40).map("".join), st.text(max_size=200))


def _inside(text: str, line: int | None, column: int | None) -> bool:
    if line is None:
        return True
    lines = text.split("\n")
    if not 1 <= line <= max(len(lines), 1):
        return False
    return column is None or 1 <= column <= len(lines[line - 1].rstrip("\r")) + 2


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_reader_never_crashes_and_locates(text):
    """Any text reads without an exception, renders back byte-exact, and every problem points inside it."""
    TRIED["notation"] += 1
    reading = read(text, codes={"IND", "CHN", "SEC", "IRAN"})
    assert render(reading.draft) == text
    for problem in reading.problems:
        assert _inside(text, problem.line, problem.column), (problem, text)
    try:
        parse(text, codes={"IND", "CHN", "SEC", "IRAN"})
    except NotationError:
        pass


yaml_pieces = st.sampled_from(["a: 1\n", "a: 1\n", "- x\n", "  b: [1, 2\n", "c: {d: e}\n", "date: 2023-06-31\n",
                               "code: NO\n", ": :\n", "\t", "'", '"', "&a ", "*a\n", "!!python/object:os.system x\n",
                               "---\n", "key: value # c\n", "  - y\n", "%YAML 1.1\n"])
yamls = st.one_of(st.lists(yaml_pieces, max_size=20).map("".join), st.text(max_size=120))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yamls)
def test_yaml_loading_raises_only_record_errors(text):
    """Any YAML input loads or raises RecordError, whose line lies inside the input."""
    TRIED["yaml"] += 1
    try:
        yamlio.load(text, file="fuzz.yaml")
    except RecordError as error:
        line = error.problem.line
        assert line is None or 1 <= line <= text.count("\n") + 2


def test_report_counts():
    """Print how many inputs the fuzzers tried (the closing note quotes it)."""
    print(f"fuzzing: notation {TRIED['notation']} inputs, yaml {TRIED['yaml']} inputs")
