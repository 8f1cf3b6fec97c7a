"""The commands' JSON output is json's own indented text, character for character, written faster."""

from __future__ import annotations

import json
from enum import Enum

from hypothesis import given
from hypothesis import strategies as st

from cicatext.cli.output import json_text as _json_text

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4)),
    max_leaves=30,
)


class _Stance(str, Enum):
    PROPOSE = "+"


@given(_VALUES)
def test_json_text_is_what_json_writes(value) -> None:
    """Any plain value (and what is not plain, left to json) reads as json.dumps writes it, indented by two."""
    assert _json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_json_text_writes_text_of_another_kind_as_text() -> None:
    """A str subclass, an enum's member among them, is written as its text, as json writes it."""
    value = {"stance": _Stance.PROPOSE, "codes": [_Stance.PROPOSE, "IND"], "nested": {"empty": {}, "none": []}}
    assert _json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)
