"""The importer splits drafts into paragraphs with ids from their numbering, and splits run-on paragraphs."""

from cicatext.records.paragraphing import render_with_ids, split_paragraphs


def test_ids_follow_numbering_and_preambular_order():
    """Unnumbered paragraphs before the operative part are pp1.., numbered ones op1.., alternatives keep their suffix."""
    text = "The Council,\n\n- *Recalling* the past;\n\n1. Decides;\n\n[1altern. Decides otherwise;] (+IND)\n\n2bis. Requests.\n"
    paragraphs, warnings = split_paragraphs(text)
    assert [p.id for p in paragraphs] == ["pp1", "pp2", "op1", "op1altern", "op2bis"]
    assert warnings == []


def test_decimal_numbering_and_chapters():
    """Modalities-style numbers keep their dots and chapter headings become chN, section text sN."""
    text = "Chapter 1. Terms\n\nFunctions\n\n1.1 Any State may.\n\n1.10 A State [shall] (-IND).\n"
    paragraphs, _ = split_paragraphs(text)
    assert [p.id for p in paragraphs] == ["ch1", "s1", "1.1", "1.10"]


def test_run_on_paragraph_is_split_with_a_warning(seed_text):
    """The seed runs paragraph 12 onto 11altern; the importer splits it and warns with the line."""
    start = seed_text.index("[11altern.")
    chunk = seed_text[start: seed_text.index("13. Support")]
    paragraphs, warnings = split_paragraphs(chunk)
    assert [p.id for p in paragraphs] == ["op11altern", "op12"]
    assert paragraphs[0].text.endswith("(+IRAN) (AZER tcb)")
    assert paragraphs[1].text.startswith("12. Promote the creation")
    assert len(warnings) == 1 and warnings[0].line == 1 and "12." in warnings[0].message


def test_numbers_inside_sentences_are_not_split():
    """'paragraphs 1, 2 and 6' inside a sentence is no paragraph break."""
    text = "1. Pursuant to paragraphs 1, 2 and 6 of the Statement. 7 days later it ends.\n"
    paragraphs, warnings = split_paragraphs(text)
    assert [p.id for p in paragraphs] == ["op1"] and warnings == []


def test_duplicate_numbers_get_a_suffix_and_a_warning():
    """Two paragraphs numbered 3 get op3 and op3-2, with a warning."""
    paragraphs, warnings = split_paragraphs("3. One.\n\n3. Two.\n")
    assert [p.id for p in paragraphs] == ["op3", "op3-2"]
    assert "op3" in warnings[0].message


def test_render_with_ids_writes_markers_and_blank_lines():
    """The text file carries a {#id} marker per paragraph, blank lines between, a final newline."""
    paragraphs, _ = split_paragraphs("A,\n\n1. B.\n")
    assert render_with_ids(paragraphs) == "{#pp1} A,\n\n{#op1} 1. B.\n"
