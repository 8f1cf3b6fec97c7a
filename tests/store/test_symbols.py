"""Document symbols parse, print back and refuse what is not a symbol."""

import pytest

from cicatext.errors import UsageError
from cicatext.records.symbols import is_note_number, is_symbol, parse_symbol


@pytest.mark.parametrize(
    "text, body, series, number, session, revision",
    [
        ("MC/2023/DRAFT/3/Rev.1", "MC", "DRAFT", 3, None, 1),
        ("MC/2023/CHAIR/1", "MC", "CHAIR", 1, None, 0),
        ("MC/2023/SEC/1", "MC", "SEC", 1, None, 0),
        ("SWG/2023-II/INF/2", "SWG", "INF", 2, "II", 0),
    ],
)
def test_seed_symbols_parse_and_print_back(text, body, series, number, session, revision):
    """Every symbol of the seed parses into its parts and prints back unchanged."""
    symbol = parse_symbol(text)
    assert (symbol.body, symbol.series, symbol.number, symbol.session, symbol.revision) == (
        body, series, number, session, revision)
    assert str(symbol) == text


def test_base_and_slug_drop_the_revision():
    """The base symbol and the folder slug leave the revision out."""
    symbol = parse_symbol("MC/2023/DRAFT/3/Rev.1")
    assert str(symbol.base()) == "MC/2023/DRAFT/3"
    assert symbol.slug() == "mc-2023-draft-3"
    assert str(symbol.with_revision(2)) == "MC/2023/DRAFT/3/Rev.2"


@pytest.mark.parametrize("text", ["MC/2023/DRAFT", "mc/2023/draft/3", "MC/23/DRAFT/3", "MC/2023/DRAFT/3/Rev.", "SWG/739", ""])
def test_malformed_symbols_are_refused_with_the_expected_form(text):
    """A string that is not a symbol gets a UsageError that shows the expected form."""
    assert not is_symbol(text)
    with pytest.raises(UsageError) as caught:
        parse_symbol(text)
    assert "MC/2023/DRAFT/3/Rev.1" in caught.value.hint


def test_note_numbers_are_told_apart_from_symbols():
    """`SWG/739` is a note number, not a document symbol."""
    assert is_note_number("SWG/739")
    assert not is_note_number("MC/2023/DRAFT/3")
