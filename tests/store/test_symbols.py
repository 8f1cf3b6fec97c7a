"""Document symbols of any UN-system body parse, print back, name their folder, and refuse what is not a symbol."""

import pytest

from cicatext.errors import UsageError
from cicatext.records.symbols import fits_profile, is_note_number, is_symbol, parse_symbol


@pytest.mark.parametrize(
    "text, base, revision, slug",
    [
        ("MC/2023/DRAFT/3/Rev.1", "MC/2023/DRAFT/3", 1, "mc-2023-draft-3"),
        ("MC/2023/CHAIR/1", "MC/2023/CHAIR/1", 0, "mc-2023-chair-1"),
        ("SWG/2023-II/INF/2", "SWG/2023-II/INF/2", 0, "swg-2023-ii-inf-2"),
        ("SWG/739", "SWG/739", 0, "swg-739"),
        ("FCCC/ADP/2015/L.6/Rev.1", "FCCC/ADP/2015/L.6", 1, "fccc-adp-2015-l.6"),
        ("FCCC/CP/2015/L.9", "FCCC/CP/2015/L.9", 0, "fccc-cp-2015-l.9"),
        ("A/AC.296/2026/9", "A/AC.296/2026/9", 0, "a-ac.296-2026-9"),
        ("CBD/WG2020/2/L.2", "CBD/WG2020/2/L.2", 0, "cbd-wg2020-2-l.2"),
        ("A/RES/73/140", "A/RES/73/140", 0, "a-res-73-140"),
        ("A/CONF.234/2023/CRP.1", "A/CONF.234/2023/CRP.1", 0, "a-conf.234-2023-crp.1"),
        ("S/2024/123/Add.1", "S/2024/123/Add.1", 0, "s-2024-123-add.1"),
        ("A/78/L.1/Rev.1/Corr.1", "A/78/L.1/Rev.1/Corr.1", 0, "a-78-l.1-rev.1-corr.1"),
        ("E/CN.6/2024/L.3/Rev.12", "E/CN.6/2024/L.3", 12, "e-cn.6-2024-l.3"),
    ],
)
def test_symbols_of_every_body_parse_and_print_back(text, base, revision, slug):
    """Series, sub-series, L., CRP., Add., Corr., sessions and note numbers; only a final Rev.N is a revision."""
    symbol = parse_symbol(text)
    assert (str(symbol.base()), symbol.revision, symbol.slug()) == (base, revision, slug)
    assert str(symbol) == text
    assert is_symbol(text)


def test_base_and_slug_drop_the_revision():
    """The base symbol and the folder slug leave the revision out."""
    symbol = parse_symbol("MC/2023/DRAFT/3/Rev.1")
    assert str(symbol.base()) == "MC/2023/DRAFT/3"
    assert symbol.slug() == "mc-2023-draft-3"
    assert str(symbol.with_revision(2)) == "MC/2023/DRAFT/3/Rev.2"
    assert symbol.body == "MC"
    assert parse_symbol("FCCC/ADP/2015/L.6").parts == ("FCCC", "ADP", "2015", "L.6")


@pytest.mark.parametrize("text", ["MC/2023/DRAFT", "mc/2023/draft/3", "MC/2023/DRAFT/3/Rev.", "A/Rev.1",
                                  "US/EU", "and/or 2", "Rev.1/A1", "MC//3", "MC/2023/DRAFT/3/", "", "A/" + "1/" * 70 + "1"])
def test_malformed_symbols_are_refused_with_the_expected_form(text):
    """A string that is not a symbol gets a UsageError that shows the expected form."""
    assert not is_symbol(text)
    with pytest.raises(UsageError) as caught:
        parse_symbol(text)
    assert "MC/2023/DRAFT/3/Rev.1" in caught.value.hint
    assert "FCCC/ADP/2015/L.6" in caught.value.hint


def test_note_numbers_are_told_apart():
    """`SWG/739` is a note number; a document symbol is not."""
    assert is_note_number("SWG/739")
    assert not is_note_number("MC/2023/DRAFT/3")


@pytest.mark.parametrize("text, fits", [("MC/2023/DRAFT/3", True), ("MC/2023/DRAFT/3/Rev.2", True),
                                        ("SWG/2023-II/INF/2", True), ("SWG/739", True),
                                        ("FCCC/ADP/2015/L.6", False), ("A/RES/73/140", False), ("nonsense", False)])
def test_the_cica_profile_holds_cica_symbols(text, fits):
    """CICA's house pattern is a profile: other bodies' symbols are symbols, but not CICA's."""
    assert fits_profile(text, "cica") is fits
    assert fits_profile(text, "no-such-profile") is False
