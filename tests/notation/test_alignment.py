"""Pairing the paragraphs of two revisions by content: renumbered, moved, edited, split, merged, new, removed."""

from cicatext.notation.alignment import align, carried_ids, comparable, fresh_id
from cicatext.notation.reader import parse

OLD = """{#pp1} Recalling the decisions of the Council on confidence building measures in the region;

{#op1} 1. Welcomes the work of the Special Working Group on the road map [and its annex] (+IND);

{#op2} 2. Requests the Secretariat to prepare a report on volunteerism and youth engagement for the next meeting;

{#op3} 3. Decides to remain seized of the matter and to consider it at its next session in the capital.
"""


def kinds(old: str, new: str) -> dict[str, str]:
    return {f"{link.old}>{link.new}": link.kind for link in align(parse(old), parse(new)).links}


def test_identical_texts_keep_every_id_in_place():
    alignment = align(parse(OLD), parse(OLD))
    assert alignment.identical_ids()
    assert alignment.counts()["kept"] == 4


def test_a_line_added_at_the_top_renumbers_nothing_that_is_kept():
    new = OLD.replace("{#op1} 1. Welcomes", "{#op1} 1. Notes the efforts of member states in cybersecurity "
                      "and information exchange;\n\n{#op2} 2. Welcomes")
    new = new.replace("{#op2} 2. Requests", "{#op3} 3. Requests").replace("{#op3} 3. Decides", "{#op4} 4. Decides")
    found = kinds(OLD, new)
    assert found == {"pp1>pp1": "kept", "None>op1": "new", "op1>op2": "kept", "op2>op3": "kept", "op3>op4": "kept"}


def test_labels_brackets_and_attributions_do_not_count_as_content():
    assert comparable(parse("{#op1} 12. Welcomes [the work] (+IND) of the Group.").paragraphs[0]) == \
        "Welcomes the work of the Group."


def test_moved_paragraph_is_a_move_after_its_new_neighbour():
    new = OLD.replace("{#op2} 2. Requests the Secretariat to prepare a report on volunteerism and youth engagement "
                      "for the next meeting;\n\n", "") + (
        "\n{#op4} 4. Requests the Secretariat to prepare a report on volunteerism and youth engagement "
        "for the next meeting;\n")
    links = {link.old: link for link in align(parse(OLD), parse(new)).links}
    moved = [link for link in links.values() if link.moved]
    assert len(moved) == 1
    assert moved[0].kind == "moved"


def test_edited_removed_and_unsure():
    new = """{#pp1} Recalling the decisions of the Council on confidence building measures in the region;

{#op1} 1. Welcomes the work of the Special Working Group on the draft road map;

{#op3} 3. Decides to remain seized of the matter and to consider it at its next session in the capital.
"""
    found = kinds(OLD, new)
    assert found["op1>op1"] == "edited"
    assert found["op2>None"] == "removed"


def test_split_and_merge_are_recorded():
    split = OLD.replace(" for the next meeting;", ";\n\n{#op2bis} 2bis. The report shall reach member states "
                        "a month before the next meeting of the Group;")
    old = OLD.replace(" for the next meeting;", "; the report shall reach member states a month before the next "
                      "meeting of the Group;")
    links = align(parse(old), parse(split)).links
    assert [link.split_from for link in links if link.kind == "split"] == ["op2"]
    merged = align(parse(split), parse(old)).links
    assert [(link.old, link.merged_into) for link in merged if link.kind == "merged"] == [("op2bis", "op2")]


def test_new_paragraphs_never_take_an_id_used_before():
    assert fresh_id("op1", {"op1"}, 2) == "op1.r2"
    assert fresh_id("op1", {"op1", "op1.r2"}, 2) == "op1.r2a"
    new = "{#op1} 1. A wholly different paragraph about maritime security cooperation among the members.\n"
    alignment = align(parse(OLD), parse(new))
    assert alignment.counts()["new"] == 1
    assert carried_ids(alignment, ["op1"], 1) == {"op1": "op1.r1"}
