"""`yamlio.load_record`, the quick reader of plain records, gives exactly what `load` gives."""

from __future__ import annotations

import pytest

from cicatext.errors import RecordError
from cicatext.store import yamlio


YAML_TEXTS = (
    "", "# a comment\n", "a: 1\n", "a: 012\n", "a: 0x1F\n", "a: 1_000\n", "a: -0\n", "a: 1.5\n", "a: .inf\n",
    "a: NO\n", "a: yes\n", "a: True\n", "a: ~\n", "a:\n", "a: Null\n", "a: 2023-06-14\n", "a: 2023-06-31\n",
    "a: 2023-6-1\n", "a: 2023-06-14 10:00:00\n", "a: '2023-06-14'\n", "2023-06-14: x\n", "a: &x 1\nb: *x\n",
    "a: !!str 1\n", "a: !custom x\n", "a: ! 5\n", "<<: {a: 1}\n", "=: x\n", "a: 1\na: 2\n", "a: {b: 1, b: 2}\n",
    "? [a, b]\n: c\n", "{a: 1}: b\n", "%YAML 1.1\n---\na: no\n", "a: b\n---\nc: d\n", "a: b\n...\n",
    "a: [unclosed\n", "\ta: 1\n", "- just\n- a list\n", "plain scalar\n", "a: |\n  block\n", 'a: "q\\n"\n',
    "title:\n  en: Draft\n  ru: Проект\nrevisions:\n  - rev: 1\n    text: false\n",
)


def _outcome(load, text):
    try:
        value = load(text, "documents/x/document.yaml")
    except RecordError as error:
        return "error", error.format()
    return "value", value, repr(value)


@pytest.mark.parametrize("text", YAML_TEXTS)
def test_load_record_gives_what_load_gives(text):
    """The quick record reader returns what `load` returns, or raises the same located error."""
    assert _outcome(yamlio.load_record, text) == _outcome(yamlio.load, text)


def test_load_record_reads_every_record_of_the_sample(demo_repo):
    """Every YAML file of the sample reads the same through either reader."""
    for path in sorted(demo_repo.root.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _outcome(yamlio.load_record, text) == _outcome(yamlio.load, text), path


def test_a_long_value_stays_on_one_line_and_no_line_ends_in_a_space():
    from cicatext.store import yamlio

    title = "Draft decision of the Ministerial Council on the priority area " * 4 + "Sustainable Development"
    text = yamlio.dump({"title": {"en": title}, "revisions": [{"note": "x " * 80 + "end"}]})
    assert f"    en: {title}\n" in text or f"  en: {title}\n" in text
    assert not [line for line in text.splitlines() if line != line.rstrip()]
    assert yamlio.load(text, file="t.yaml")["title"]["en"] == title
