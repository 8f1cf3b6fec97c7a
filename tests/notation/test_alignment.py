"""Pairing the paragraphs of two revisions by content: renumbered, moved, edited, split, merged, new, removed."""

from hypothesis import given, settings
from hypothesis import strategies as st

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


FORMULAIC = """{#op1} 1. Requests the Secretariat to prepare a report on maritime security cooperation among coastal states for the next meeting;

{#op2} 2. Requests the Secretariat to prepare a report on cybersecurity cooperation among national agencies for the next meeting;

{#op3} 3. Requests the Secretariat to prepare a report on water management cooperation among river basin authorities for the next meeting;

{#op4} 4. Welcomes the offer of Kazakhstan to host a seminar on heritage protection in the spring;
"""


def links_by_new(old: str, new: str, **options) -> dict:
    return {link.new: link for link in align(parse(old), parse(new), **options).links if link.new is not None}


def test_a_kept_paragraph_whose_punctuation_changed_is_edited_not_kept():
    """Equal words with other punctuation or case pair first, but do not count as unchanged."""
    new = OLD.replace("in the capital.", "in the Capital")
    link = links_by_new(OLD, new)["op3"]
    assert (link.old, link.kind) == ("op3", "edited")
    assert 0.9 < link.similarity < 1.0


def test_a_moved_paragraph_says_what_it_now_follows():
    """A move names the old id of the paragraph it now stands after."""
    paragraphs = OLD.strip().split("\n\n")
    new = "\n\n".join([paragraphs[0], paragraphs[2], paragraphs[3], paragraphs[1]]) + "\n"
    moved = [link for link in align(parse(OLD), parse(new)).links if link.moved]
    assert [(link.old, link.after) for link in moved] == [("op1", "op3")]


def test_an_edited_near_twin_goes_to_the_one_where_it_stood_and_is_marked_unsure():
    """Of two old paragraphs an edited one reads almost equally like, the one between the same neighbours wins."""
    old = FORMULAIC.replace("water management cooperation among river basin authorities",
                            "maritime security cooperation among island states")
    paragraphs = old.strip().split("\n\n")
    # op1 is edited toward op3 as much as it is away from itself, and op3 is gone.
    edited = paragraphs[0].replace("among coastal states", "among coastal and island states")
    new = "\n\n".join([edited, paragraphs[1], paragraphs[3]]) + "\n"
    found = links_by_new(old, new)
    assert found["op1"].old == "op1"
    assert found["op1"].unsure
    assert [link.kind for link in align(parse(old), parse(new)).links if link.old == "op3"] == ["removed"]


def test_a_formulaic_new_paragraph_does_not_take_a_removed_ones_id():
    """Paragraphs written alike but about other things are not one paragraph redrafted."""
    new = FORMULAIC.replace("cybersecurity cooperation among national agencies",
                            "pandemic preparedness among hospital laboratories")
    found = links_by_new(FORMULAIC, new)
    assert found["op2"].kind == "new"
    assert carried_ids(align(parse(FORMULAIC), parse(new)), [], 2)["op2"] == "op2.r2"


def test_the_opening_part_of_a_split_keeps_the_id_even_when_shorter():
    """A split's part that opens as the whole did keeps its id; the other is recorded as split off it."""
    old = ("{#op1} 1. Decides to establish an open-ended expert group on confidence building in the use of "
           "information technologies, which shall meet twice a year in the capital, report annually to the "
           "Ministerial Council on its findings and recommendations, and draw up its own rules of procedure "
           "at its first meeting;\n")
    new = ("{#op1} 1. Decides to establish an open-ended expert group on confidence building in the use of "
           "information technologies;\n\n{#op2} 2. The expert group shall meet twice a year in the capital, report "
           "annually to the Ministerial Council on its findings and recommendations, and draw up its own rules of "
           "procedure at its first meeting;\n")
    found = links_by_new(old, new)
    assert (found["op1"].old, found["op2"].kind, found["op2"].split_from) == ("op1", "split", "op1")


def test_a_paragraph_split_in_three_keeps_its_id_though_no_part_is_like_the_whole():
    """Parts that together make up a left-over paragraph are its split, the opening one keeping its id."""
    old = ("{#op1} 1. Invites Member States to share national experience in disaster risk reduction, to nominate "
           "focal points for early warning systems in mountain regions, and to contribute voluntary funding to the "
           "regional trust fund for seismic monitoring stations;\n")
    new = ("{#op1} 1. Invites Member States to share national experience in disaster risk reduction;\n\n"
           "{#op2} 2. Also invites Member States to nominate focal points for early warning systems in mountain "
           "regions;\n\n{#op3} 3. Further invites them to contribute voluntary funding to the regional trust fund "
           "for seismic monitoring stations;\n")
    found = links_by_new(old, new)
    assert found["op1"].old == "op1"
    assert [found[i].split_from for i in ("op2", "op3")] == ["op1", "op1"]
    merged = {link.old: link for link in align(parse(new), parse(old)).links}
    assert merged["op1"].new == "op1"
    assert [merged[i].merged_into for i in ("op2", "op3")] == ["op1", "op1"]


def test_identical_paragraphs_pair_in_order():
    """Duplicated paragraphs pair first with first, so nothing reads as moved."""
    twice = FORMULAIC + "\n{#op5} 5. Welcomes the offer of Kazakhstan to host a seminar on heritage protection in the spring;\n"
    new = twice.replace("{#op1} 1. Requests", "{#op0} 1. Notes with appreciation the work done so far;\n\n{#op1} 2. "
                        "Requests")
    alignment = align(parse(twice), parse(new))
    assert {link.old: link.new for link in alignment.links if link.old in ("op4", "op5")} == {"op4": "op4", "op5": "op5"}
    assert not any(link.moved for link in alignment.links)


def test_paragraphs_without_words_pair_where_they_stand():
    """A paragraph of marks alone pairs with one likewise between the same neighbours, and nothing crashes."""
    old = "{#a} Recalling the plan of action on heritage protection;\n\n{#b} …\n\n{#c} Decides to remain seized.\n"
    new = "{#a} Recalling the plan of action on heritage protection;\n\n{#b} —\n\n{#c} Decides to remain seized.\n"
    found = links_by_new(old, new)
    assert (found["b"].old, found["b"].kind) == ("b", "edited")
    assert align(parse(""), parse("")).links == ()
    assert align(parse(old), parse("")).counts()["removed"] == 3


def test_a_written_id_over_unrelated_text_is_not_trusted():
    """The same `{#id}` on both sides pairs nothing when the two paragraphs say different things."""
    new = OLD.replace("Decides to remain seized of the matter and to consider it at its next session in the capital.",
                      "Invites the Chair to convene a workshop on pandemic preparedness for health ministries.")
    found = links_by_new(OLD, new)
    assert found["op3"].kind == "new"
    assert [link.kind for link in align(parse(OLD), parse(new)).links if link.old == "op3"] == ["removed"]


def test_a_written_id_breaks_a_tie_when_ids_are_trusted():
    """Between two equally like candidates, the one under the same written id wins when ids are trusted."""
    old = FORMULAIC.replace("water management cooperation among river basin authorities",
                            "maritime security cooperation among island states")
    paragraphs = old.strip().split("\n\n")
    # op1 edited toward both op1 and op3, moved to the end: order cannot tell, the written id can.
    edited = paragraphs[0].replace("coastal states", "coastal and island states")
    new = "\n\n".join([paragraphs[1], paragraphs[3], edited]) + "\n"
    assert links_by_new(old, new)["op1"].old == "op1"


def test_a_text_reordered_wholesale_keeps_every_id_and_moves_most():
    """Shuffled paragraphs all keep their ids; those outside the longest run kept in order are moves."""
    paragraphs = FORMULAIC.strip().split("\n\n")
    new = "\n\n".join(reversed(paragraphs)) + "\n"
    alignment = align(parse(FORMULAIC), parse(new))
    assert alignment.carried_share() == 1.0
    assert alignment.new_of() == {"op1": "op1", "op2": "op2", "op3": "op3", "op4": "op4"}
    assert alignment.counts()["moved"] == 3


def test_words_of_scripts_without_spaces_are_characters():
    """A Chinese paragraph with one word changed still pairs as edited."""
    old = "{#op1} 1. 请秘书处为下次会议编写一份关于海上安全合作的报告;\n\n{#op2} 2. 决定继续处理此事项。\n"
    new = "{#op1} 1. 请秘书处为下届会议编写一份关于海上安全合作的报告;\n\n{#op2} 2. 决定继续处理此事项。\n"
    assert links_by_new(old, new)["op1"].kind == "edited"


PARAGRAPH_WORDS = st.lists(st.sampled_from(("Requests", "Welcomes", "the", "Secretariat", "report", "on", "security",
                                            "water", "youth", "to", "prepare", "a", "and", "of", "plan", "…")),
                           min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH_WORDS, min_size=0, max_size=8), st.lists(PARAGRAPH_WORDS, min_size=0, max_size=8),
       st.sets(st.sampled_from(("p1", "p2", "p3", "p1.r2", "x")), max_size=4))
def test_alignment_properties(old_words, new_words, used):
    """A text aligns with itself id for id; carried ids never give a new paragraph an id used before, nor one twice."""
    def text(paragraphs):
        return "\n\n".join(" ".join(words) or "…" for words in paragraphs) + "\n" if paragraphs else ""

    old, new = parse(text(old_words)), parse(text(new_words))
    itself = align(old, old)
    assert itself.identical_ids()
    assert all(link.kind == "kept" and not link.unsure for link in itself.links)
    alignment = align(old, new)
    renamed = carried_ids(alignment, used, 2)
    assert set(renamed) == {p.id for p in new.paragraphs}
    assert len(set(renamed.values())) == len(renamed)
    old_ids = {p.id for p in old.paragraphs}
    for link in alignment.links:
        if link.new is not None and link.old is None:
            assert renamed[link.new] not in used and renamed[link.new] not in old_ids
        elif link.new is not None:
            assert renamed[link.new] == link.old
    assert sum(1 for link in alignment.links if link.old is not None) == len(old.paragraphs)
