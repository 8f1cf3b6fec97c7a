"""Alternatives side by side and in Option blocks; brackets that are placeholders or status notes."""

import pytest

from cicatext.notation.alternatives import Kinds, bracket_kind, option_blocks, side_by_side
from cicatext.notation.reader import parse
from cicatext.notation.render import render
from cicatext.notation.tree import Bracket


def brackets(text: str) -> list[Bracket]:
    return [bracket for paragraph in parse(text).paragraphs for bracket, _ in paragraph.brackets()]


def test_brackets_written_touching_are_one_group_of_alternatives():
    [paragraph] = parse("Each Party [shall][should][other] report [annually] [in full].").paragraphs
    assert [[render(b.body) for b in run] for run in side_by_side(paragraph.content)] == [["shall", "should", "other"]]


def test_an_attributed_bracket_ends_a_run():
    [paragraph] = parse("Parties [shall] (+IND)[should][may] act").paragraphs
    assert [[render(b.body) for b in run] for run in side_by_side(paragraph.content)] == [["should", "may"]]


def test_outer_bracketed_alternatives_without_commas_are_an_options_group():
    [group, *_] = brackets("from [[date][1990][2000]] on")
    assert group.is_options and len(group.options) == 3


@pytest.mark.parametrize("text, kind", [
    ("[X]", "placeholder"), ("[year x]", "placeholder"), ("[...]", "placeholder"), ("[…]", "placeholder"),
    ("[document symbol to be added]", "placeholder"), ("[Agreed ad ref]", "status"), ("[agreed]", "status"),
    ("[shall]", "bracket"), ("[X] (+IND)", "bracket"), ("[Agreed ad ref] (-CHN)", "bracket"),
    ("[the [X] amount]", "bracket"),
])
def test_placeholders_and_status_notes_are_told_from_unagreed_text(text, kind):
    assert bracket_kind(brackets(text)[0]) == kind


def test_a_repository_gives_its_own_lists():
    kinds = Kinds.of(placeholders=["to come"], status_notes=["adopted"])
    assert bracket_kind(brackets("[to come]")[0], kinds) == "placeholder"
    assert bracket_kind(brackets("[adopted]")[0], kinds) == "status"
    assert bracket_kind(brackets("[X]")[0], kinds) == "bracket"


def test_option_blocks_are_alternatives_of_one_provision():
    draft = parse("""{#op1} 1. Each Party shall communicate.

{#o1} Option 1: Parties shall act:

{#o1a} (a) [together];

{#o2} Option 2: Parties may act.

{#o3} Option 3: {No text required}

{#op2} 2. Requests the Secretariat.

{#p1} Option 1: one

{#p2} Option 2: two
""")
    blocks = [block.to_json() for block in option_blocks(draft)]
    assert blocks == [
        {"paragraphs": ["o1", "o2", "o3"], "labels": ["1", "2", "3"], "no_text": ["3"]},
        {"paragraphs": ["p1", "p2"], "labels": ["1", "2"], "no_text": []},
    ]


def test_stats_and_the_bracket_list_tell_placeholders_status_notes_and_alternatives():
    from cicatext.notation.views import bracket_list, counts

    draft = parse("""{#op1} 1. Each Party [shall][should][other] report [X] by [year x]. [Agreed ad ref]

{#o1} Option 1: act [together] (+IND);

{#o2} Option 2: {No text required}
""")
    found = counts(draft)
    # Two placeholders in brackets and {No text required} in braces.
    assert (found.brackets, found.placeholders, found.status_notes, found.alternatives) == (6, 3, 1, 2)
    listed = bracket_list(draft)
    assert [b.kind for b in listed] == ["bracket", "bracket", "bracket", "placeholder", "placeholder", "status",
                                        "bracket"]
    first = listed[0].id
    assert [b.alternatives for b in listed[:3]] == [first, first, first] and listed[3].alternatives is None


def test_a_spanning_bracket_counts_once():
    from cicatext.notation.views import bracket_list, counts

    draft = parse("{#a} 4. [Each Party shall:\n\n{#b} (a) [act];\n\n{#c} (b) report.] (+IND)\n")
    assert counts(draft).brackets == 2
    [outer, inner] = bracket_list(draft)
    assert outer.paragraphs == ("a", "b", "c") and [a.code for a in outer.attributions] == ["IND"]
    assert outer.text == "Each Party shall:\n\n(a) [act];\n\n(b) report."


def test_brackets_json_lists_option_blocks_and_the_reader_marks_their_labels(tmp_path, capsys):
    import json

    from cicatext.cli.main import main
    from cicatext.tui.widgets.bracketed import paragraph_content

    path = tmp_path / "options.txt"
    path.write_text("{#o1} Option 1: act [together] (+IND);\n\n{#o2} Option 2: {No text required}\n", encoding="utf-8")
    assert main(["brackets", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["option_blocks"] == [
        {"paragraphs": ["o1", "o2"], "labels": ["1", "2"], "no_text": ["2"]}]
    content, _ = paragraph_content(parse(path.read_text(encoding="utf-8")).paragraphs[0])
    assert any((span.start, span.end) == (0, len("Option 1:")) and "accent" in str(span.style)
               for span in content.spans)


def test_placeholders_in_braces_are_counted_and_marked():
    from cicatext.notation.views import counts
    from cicatext.tui.widgets.bracketed import paragraph_content

    draft = parse("{#pp1} {Placeholder for preamble}\n\n{#op1} 1. Decides [to act] (+IND).\n")
    assert counts(draft).placeholders == 1 and counts(draft).brackets == 1
    content, _ = paragraph_content(draft.paragraphs[0])
    assert any((span.start, span.end) == (0, len("{Placeholder for preamble}")) for span in content.spans)
