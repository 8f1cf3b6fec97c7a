"""The named corpus of bracketed texts: every construct of the notation, with what it must read as.

Each `Case` is an input (taken verbatim from the seed where DESIGN §3 cites
it) and its expected structure: the brackets as `(id, depth, text,
((code, stance), ...))` in pre-order, the options groups, and the clean text.
Each `Malformed` case is an input with the problems it must produce, located
by 1-based line and column. The reader, the renderer, the views and the TUI's
widget all run through this one corpus, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

Expected = tuple[str, int, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Case:
    """A well-formed input and what it must read as."""

    id: str
    """The case's name, used as the pytest id."""
    text: str
    """The input."""
    brackets: tuple[Expected, ...]
    """Every bracket in pre-order: (id, depth, body text, ((code, stance), ...))."""
    options: tuple[str, ...] = ()
    """The ids of the options groups."""
    clean: str | None = None
    """The clean text (only what is agreed), when the case pins it."""
    labels: tuple[str | None, ...] | None = None
    """Each paragraph's own numbering, when the case pins it."""
    from_seed: bool = False
    """True when every paragraph of `text` stands verbatim in the seed."""


@dataclass(frozen=True)
class Malformed:
    """An input the strict reader refuses, with the problems it must report."""

    id: str
    """The case's name."""
    text: str
    """The input."""
    problems: tuple[tuple[int, int, str], ...]
    """Each problem as (line, column, a phrase of its message)."""
    codes: tuple[str, ...] | None = None
    """The known delegation codes, when the case needs them."""


UNDERLINING = (
    "– *Underlining* the importance of volunteerism for promoting respect for "
    "[intercivilizational and intercultural exchanges] (+IRAN) [[cultural [and religious] (-CHN)] (+IND) "
    "diversity [[of civilizations] (-CHN), [exchanges and mutual learning among civilizations] (+CHN)]] "
    "(-IND) (-IRAN) and its role in strengthening friendly relations, mutual understanding, trust and "
    "tolerance among peoples;"
)
OP11 = (
    "[11. Promote volunteers' participation in programmes and projects related to multiculturalism, "
    "ethnic and religious tolerance and intercultural dialogue;] (-IRAN) (+AZER)"
)
OP11_BODY = (
    "11. Promote volunteers' participation in programmes and projects related to multiculturalism, "
    "ethnic and religious tolerance and intercultural dialogue;"
)
OP11ALTERN = (
    "[11altern. Promote [tolerance and] (+TUR) volunteers' participation in intercultural "
    "[and intercivilizational] (+TUR) programmes and projects;] (+IRAN) (AZER tcb) 12. Promote the "
    "creation of a network of volunteer centres, involving organizations, student and youth groups, "
    "public associations directly engaged in volunteer activities;"
)
OP13 = (
    "13. Support the development and promotion of modern electronic systems and databases for volunteers "
    "[, and encourage to assign country operators responsible for supporting and promoting such "
    "platforms] (CHN tcb) in the CICA Member States;"
)
OP15_BODY = (
    "15. Encourage the Member States to consider integrating volunteerism for sustainable development "
    "into the CICA agenda; encourage the Member States and other stakeholders to consider continuously "
    "sharing information about their policies, strategies, research and good practices on volunteering "
    "for sustainable development; request the Secretary General to examine the possibility of "
    "establishing a section on the CICA website for that purpose, and report to the Member States."
)
OP15 = f"[{OP15_BODY}] (+IRAN) (SEC tcb)"
MODALITIES_1_10 = (
    "1.10 A Member State intending to assume the role of Coordinator or Cocoordinator in a specific "
    "priority area shall inform all CICA Member States about its intention through the CICA "
    "Chairmanship and the Secretariat in writing, indicating the proposed tenure [, which should be "
    "not less than two and not more than four years]. (-IND)"
)
ROAD_MAP = (
    "This Road Map for CICA Transformation (RMT) is developed pursuant to the decisions of the Sixth "
    "CICA Summit set forth in paragraphs 1, 2 and 6 of the Astana Statement on CICA Transformation of "
    "13 October 2022."
)
ENDORSE = (
    "1. Endorse the Road Map for CICA Transformation (RMT) proposed by the Chairmanship "
    "(MC/2023/CHAIR/1/Rev.1) as a guiding document setting an open-ended and non-exhaustive list of "
    "areas in which the Member States will consider taking necessary measures within the "
    "transformation process."
)
OP10 = (
    "10. Promote the development and implementation of joint volunteer programmes and projects "
    "(festivals, conferences, volunteer expeditions, etc.) related to a broad range of issues;"
)
RECOGNIZING = (
    "- *Recognizing* the role of the UN Volunteers Programme in promoting volunteerism worldwide as "
    "well as its fruitful cooperation with CICA Member States;"
)
UNDERLINING_BRACKETS: tuple[Expected, ...] = (
    ("p1:1", 1, "intercivilizational and intercultural exchanges", (("IRAN", "+"),)),
    (
        "p1:2",
        1,
        "[cultural [and religious] (-CHN)] (+IND) diversity [[of civilizations] (-CHN), "
        "[exchanges and mutual learning among civilizations] (+CHN)]",
        (("IND", "-"), ("IRAN", "-")),
    ),
    ("p1:3", 2, "cultural [and religious] (-CHN)", (("IND", "+"),)),
    ("p1:4", 3, "and religious", (("CHN", "-"),)),
    (
        "p1:5",
        2,
        "[of civilizations] (-CHN), [exchanges and mutual learning among civilizations] (+CHN)",
        (),
    ),
    ("p1:6", 3, "of civilizations", (("CHN", "-"),)),
    ("p1:7", 3, "exchanges and mutual learning among civilizations", (("CHN", "+"),)),
)
UNDERLINING_CLEAN = (
    "– *Underlining* the importance of volunteerism for promoting respect for and its role in "
    "strengthening friendly relations, mutual understanding, trust and tolerance among peoples;"
)

CASES: tuple[Case, ...] = (
    Case(
        "proposal",
        "respect for [intercivilizational and intercultural exchanges] (+IRAN) and its role",
        (("p1:1", 1, "intercivilizational and intercultural exchanges", (("IRAN", "+"),)),),
        clean="respect for and its role",
    ),
    Case(
        "objection",
        "cultural [and religious] (-CHN) diversity",
        (("p1:1", 1, "and religious", (("CHN", "-"),)),),
        clean="cultural diversity",
    ),
    Case(
        "several-attributions",
        OP11,
        (("p1:1", 1, OP11_BODY, (("IRAN", "-"), ("AZER", "+"))),),
        clean="",
        labels=("11.",),
        from_seed=True,
    ),
    Case(
        "tcb",
        OP13,
        (
            (
                "p1:1",
                1,
                ", and encourage to assign country operators responsible for supporting and promoting "
                "such platforms",
                (("CHN", "tcb"),),
            ),
        ),
        clean="13. Support the development and promotion of modern electronic systems and databases for "
        "volunteers in the CICA Member States;",
        labels=("13.",),
        from_seed=True,
    ),
    Case(
        "nesting",
        "[cultural [and religious] (-CHN)] (+IND) diversity",
        (
            ("p1:1", 1, "cultural [and religious] (-CHN)", (("IND", "+"),)),
            ("p1:2", 2, "and religious", (("CHN", "-"),)),
        ),
        clean="diversity",
    ),
    Case(
        "options",
        "diversity [[of civilizations] (-CHN), [exchanges and mutual learning among civilizations] (+CHN)]",
        (
            (
                "p1:1",
                1,
                "[of civilizations] (-CHN), [exchanges and mutual learning among civilizations] (+CHN)",
                (),
            ),
            ("p1:2", 2, "of civilizations", (("CHN", "-"),)),
            ("p1:3", 2, "exchanges and mutual learning among civilizations", (("CHN", "+"),)),
        ),
        options=("p1:1",),
        clean="diversity",
    ),
    Case(
        "bracketed-paragraph",
        OP15,
        (("p1:1", 1, OP15_BODY, (("IRAN", "+"), ("SEC", "tcb"))),),
        clean="",
        labels=("15.",),
        from_seed=True,
    ),
    Case(
        "alternative-paragraph",
        OP11ALTERN,
        (
            (
                "p1:1",
                1,
                "11altern. Promote [tolerance and] (+TUR) volunteers' participation in intercultural "
                "[and intercivilizational] (+TUR) programmes and projects;",
                (("IRAN", "+"), ("AZER", "tcb")),
            ),
            ("p1:2", 2, "tolerance and", (("TUR", "+"),)),
            ("p1:3", 2, "and intercivilizational", (("TUR", "+"),)),
        ),
        clean="12. Promote the creation of a network of volunteer centres, involving organizations, student "
        "and youth groups, public associations directly engaged in volunteer activities;",
        labels=("11altern.",),
        from_seed=True,
    ),
    Case(
        "attribution-after-punctuation",
        MODALITIES_1_10,
        (
            (
                "p1:1",
                1,
                ", which should be not less than two and not more than four years",
                (("IND", "-"),),
            ),
        ),
        clean="1.10 A Member State intending to assume the role of Coordinator or Cocoordinator in a specific "
        "priority area shall inform all CICA Member States about its intention through the CICA "
        "Chairmanship and the Secretariat in writing, indicating the proposed tenure.",
        labels=("1.10",),
        from_seed=True,
    ),
    Case(
        "round-brackets-as-text",
        f"{ROAD_MAP}\n\n{ENDORSE}\n\n{OP10}",
        (),
        clean=f"{ROAD_MAP}\n\n{ENDORSE}\n\n{OP10}",
        labels=(None, "1.", "10."),
        from_seed=True,
    ),
    Case(
        "emphasis",
        RECOGNIZING,
        (),
        clean=RECOGNIZING,
        from_seed=True,
    ),
    Case(
        "underlining",
        UNDERLINING,
        UNDERLINING_BRACKETS,
        options=("p1:5",),
        clean=UNDERLINING_CLEAN,
        from_seed=True,
    ),
    Case(
        "id-markers",
        f"{{#pp9}} {UNDERLINING}\n\n{{#op11}} {OP11}\n\n{{#op11altern}} {OP11ALTERN}\n\n"
        f"{{#1.10}} {MODALITIES_1_10}\n",
        tuple((f"pp9:{i[3:]}", depth, text, attrs) for i, depth, text, attrs in UNDERLINING_BRACKETS)
        + (
            ("op11:1", 1, OP11_BODY, (("IRAN", "-"), ("AZER", "+"))),
            (
                "op11altern:1",
                1,
                "11altern. Promote [tolerance and] (+TUR) volunteers' participation in intercultural "
                "[and intercivilizational] (+TUR) programmes and projects;",
                (("IRAN", "+"), ("AZER", "tcb")),
            ),
            ("op11altern:2", 2, "tolerance and", (("TUR", "+"),)),
            ("op11altern:3", 2, "and intercivilizational", (("TUR", "+"),)),
            ("1.10:1", 1, ", which should be not less than two and not more than four years", (("IND", "-"),)),
        ),
        options=("pp9:5",),
        labels=(None, "11.", "11altern.", "1.10"),
    ),
    Case(
        "blank-lines-with-spaces",
        "  \n[first] (+IRAN)\n \t \n\n  second [x] (CHN tcb)  \n   ",
        (
            ("p1:1", 1, "first", (("IRAN", "+"),)),
            ("p2:1", 1, "x", (("CHN", "tcb"),)),
        ),
        clean="second\n",
    ),
    Case(
        "crlf",
        "{#a} one [two] (+IRAN)\r\nthree\r\n\r\n{#b} four\r\n",
        (("a:1", 1, "two", (("IRAN", "+"),)),),
        clean="one\r\nthree\r\n\r\nfour\n",
    ),
    Case(
        "attribution-on-next-line",
        "text [kept apart]\n(-RUS), [and more] (+CHN)",
        (
            ("p1:1", 1, "kept apart", (("RUS", "-"),)),
            ("p1:2", 1, "and more", (("CHN", "+"),)),
        ),
        clean="text",
    ),
)

MALFORMED: tuple[Malformed, ...] = (
    Malformed("unclosed", "first line\n\nsecond [unclosed text\nmore", ((3, 8, "never closed"),)),
    Malformed("stray-close", "text] more", ((1, 5, "unmatched ']'"),)),
    Malformed("orphan-attribution", "the text (+IRAN) here", ((1, 10, "follows no bracket"),)),
    Malformed("bare-code", "[the text] (IRAN)", ((1, 12, "malformed attribution '(IRAN)'"),), codes=("IRAN",)),
    Malformed("no-code", "[the text] (+)", ((1, 12, "names no delegation"),)),
    Malformed("lower-case-code", "[the text] (+iran)", ((1, 14, "not in capitals"),)),
    Malformed(
        "unknown-code",
        "line one\nline two [the text] (-CHN) (+IRN)",
        ((2, 30, "unknown delegation code 'IRN'"),),
        codes=("IRAN", "CHN", "IND"),
    ),
    Malformed("duplicate-id", "{#a} one\n\n{#a} two", ((3, 1, "duplicate paragraph id 'a'"),)),
    Malformed(
        "bracket-across-a-heading",
        "[a\n\nArticle 2\n\nb] c",
        ((1, 1, "never closed"), (5, 2, "unmatched ']'")),
    ),
    Malformed("bad-marker", "{#bad id} text", ((1, 1, "malformed paragraph id marker"),)),
    Malformed("marker-without-space", "{#a}text", ((1, 5, "no space after"),)),
    Malformed(
        "nested-unclosed",
        "ok [a [b] (+X) c\n\nCHAPTER II\n\n[d]] (-Y)",
        ((1, 4, "never closed"), (5, 4, "unmatched ']'"), (5, 6, "follows no bracket")),
    ),
    Malformed(
        "malformed-then-more",
        "[a] (-CHN) (IRAN) (+IND) text (-RUS)",
        ((1, 12, "malformed attribution"), (1, 31, "follows no bracket")),
        codes=("CHN", "IRAN", "IND", "RUS"),
    ),
)


def case(case_id: str) -> Case:
    """The well-formed case with this id."""
    for found in CASES:
        if found.id == case_id:
            return found
    raise KeyError(case_id)


def ordinal_ids(infos) -> list[str]:
    """Each listed bracket's place in its paragraph as `PARAGRAPH:N` (N counting from 1 in reading order): how
    this corpus names brackets, whatever ids they carry."""
    counts: dict[str, int] = {}
    names = []
    for info in infos:
        counts[info.paragraph] = counts.get(info.paragraph, 0) + 1
        names.append(f"{info.paragraph}:{counts[info.paragraph]}")
    return names


def at(draft, place: str) -> str:
    """The id of the bracket at a place `PARAGRAPH:N` of the draft (N counting its brackets in reading order)."""
    from cicatext.notation.views import bracket_list

    paragraph_id, _, number = place.rpartition(":")
    return [info.id for info in bracket_list(draft) if info.paragraph == paragraph_id][int(number) - 1]
