"""Labels in another house's words: who, and what they ask."""

import pytest

from cicatext.notation.party_labels import (
    INSERT,
    OBJECT,
    PROPOSE,
    RESERVE,
    Clause,
    read_label,
)


@pytest.mark.parametrize(("label", "parties", "clauses"), [
    ("US: Delete “authorized”", "US", (Clause(OBJECT, "authorized"),)),
    ("Canada, UK delete", "Canada, UK", (Clause(OBJECT),)),
    ("Norway: retain", "Norway", (Clause(PROPOSE),)),
    ("EU: “crucial”", "EU", (Clause(OBJECT, "crucial"),)),
    ("US: “crucial”. Insert “catalytic”", "US", (Clause(OBJECT, "crucial"), Clause(INSERT, "catalytic"))),
    ("NOR: Insert \"sustainable\"", "NOR", (Clause(INSERT, "sustainable"),)),
    ("G-77/China: to come back", "G-77/China", (Clause(RESERVE),)),
    ("AZER tcb", "AZER", (Clause(RESERVE),)),
])
def test_labels_are_read(label, parties, clauses):
    read = read_label(label)
    assert read is not None
    assert (read.parties, read.clauses, read.unread) == (parties, clauses, "")


def test_a_replacement_is_told():
    assert read_label("US: “crucial”. Insert “catalytic”").replacement
    assert not read_label("NOR: Insert “sustainable”").replacement


def test_what_is_not_read_is_kept():
    read = read_label("US: delete, as discussed in Bonn")
    assert read.clauses == (Clause(OBJECT),)
    assert read.unread == "as discussed in Bonn"


@pytest.mark.parametrize("label", ["Please check this wording", "see paragraph 12", ""])
def test_text_that_is_no_label_is_none(label):
    assert read_label(label) is None
