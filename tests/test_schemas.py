"""The JSON Schemas in cicatext/schemas/, the repository template they check, and the record examples in docs/records.md.

It reads the files directly with jsonschema and fastjsonschema, taking from the
cicatext package only where each kind of record lives.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from ruamel.yaml import YAML

from cicatext.store.layout import kind_of

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "cicatext" / "schemas"
TEMPLATE = ROOT / "cicatext" / "repo_template"
RECORDS_DOC = ROOT / "docs" / "records.md"
BASE_URI = "https://cicatext.org/schemas/"

# The kinds docs/records.md describes in full (where each lives: cicatext.store.layout).
DOCUMENTED_KINDS = {"settings", "member-state", "group", "body", "dimension", "priority-area", "document",
                    "position-set"}

SCHEMA_FILES = sorted(SCHEMAS.glob("*.schema.json"))
SCHEMA_BY_KIND: dict[str, dict] = {
    path.name[: -len(".schema.json")]: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_FILES
}
SCHEMA_BY_URI: dict[str, dict] = {path.name: SCHEMA_BY_KIND[path.name[: -len(".schema.json")]] for path in SCHEMA_FILES}

# Every schema registered under its file name, so `common.schema.json#/$defs/...` (relative, the schemas having
# no $id) resolves without the network, as it does beside the files for any standard validator.
REGISTRY = Registry().with_resources(
    (uri, DRAFT202012.create_resource(schema)) for uri, schema in SCHEMA_BY_URI.items()
)

_yaml = YAML(typ="safe", pure=False)


def plain(value: Any) -> Any:
    """The value with YAML dates turned into ISO strings, as the schemas expect."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def load_yaml(text: str) -> Any:
    """Parse YAML text with the C safe loader and make dates strings."""
    return plain(_yaml.load(text))


def validator(kind: str) -> Draft202012Validator:
    """A validator for the kind that resolves common.schema.json and checks formats."""
    return Draft202012Validator(SCHEMA_BY_KIND[kind], registry=REGISTRY, format_checker=FormatChecker())


def messages(kind: str, record: Any) -> list[str]:
    """Every schema error of a record, as `path: message` lines."""
    found = validator(kind).iter_errors(record)
    return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}" for error in found]


def _schema_handler(uri: str) -> dict:
    """fastjsonschema's resolver for https refs: serve our own schemas, refuse everything else."""
    name = uri.removeprefix(BASE_URI)
    if not uri.startswith(BASE_URI) or name not in SCHEMA_BY_URI:
        raise ValueError(f"reference outside schemas/: {uri}")
    return copy.deepcopy(SCHEMA_BY_URI[name])


def compile_fast(kind: str):
    """A fastjsonschema validator for the kind with the cross-file refs resolved through `handlers`.

    compile() rewrites $ref values inside the dict it is given, hence the deep
    copy; use_default=False keeps it from writing defaults (text: true) into
    the records it validates.
    """
    # The schemas name no $id; here one is given, so that fastjsonschema sends their relative refs to the handler.
    return fastjsonschema.compile(
        {**copy.deepcopy(SCHEMA_BY_KIND[kind]), "$id": BASE_URI + f"{kind}.schema.json"},
        handlers={"https": _schema_handler},
        use_default=False,
    )


def template_records() -> list[tuple[str, Any]]:
    """(relative path, parsed content) of every YAML file in the repository template."""
    found = []
    for path in sorted(TEMPLATE.rglob("*.yaml")):
        found.append((path.relative_to(TEMPLATE).as_posix(), load_yaml(path.read_text(encoding="utf-8"))))
    return found


def records_in(folder: str) -> dict[str, dict]:
    """Template records in one registry folder, by file stem."""
    return {
        Path(relative).stem: record
        for relative, record in template_records()
        if relative.startswith(folder + "/")
    }


def doc_examples() -> list[tuple[str, Any]]:
    """(path, parsed content) of every ```yaml block in docs/records.md whose first line is `# <path>`."""
    text = RECORDS_DOC.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL):
        first = block.splitlines()[0]
        if first.startswith("# "):
            found.append((first[2:].strip(), load_yaml(block)))
    return found


# The schemas themselves ------------------------------------------------------


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path):
    """Every file in cicatext/schemas/ is a valid Draft 2020-12 schema."""
    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_header(path):
    """Every schema declares Draft 2020-12, a title and a description, and no $id: a standard validator then
    resolves `common.schema.json` beside the file instead of fetching it from a host."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in schema
    assert schema["title"].strip()
    assert schema["description"].strip()


def _object_nodes(node: Any, where: str = "#"):
    """Every (location, subschema) that declares an object with properties."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _object_nodes(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _object_nodes(value, f"{where}/{index}")


@pytest.mark.parametrize("kind", sorted(SCHEMA_BY_KIND), ids=str)
def test_objects_are_closed_and_described(kind):
    """Every object in every schema refuses unknown fields, and every field has a description."""
    problems = []
    for where, node in _object_nodes(SCHEMA_BY_KIND[kind]):
        if node.get("additionalProperties") is not False:
            problems.append(f"{where}: additionalProperties is not false")
        for name, prop in node["properties"].items():
            if not isinstance(prop, dict) or not str(prop.get("description", "")).strip():
                problems.append(f"{where}/properties/{name}: no description")
    assert not problems, "\n".join(problems)


def test_refs_stay_inside_schemas_folder():
    """Every $ref is local or points into common.schema.json, and every target exists."""
    common = SCHEMA_BY_KIND["common"]

    def refs(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for kind, schema in SCHEMA_BY_KIND.items():
        for ref in refs(schema):
            document, _, pointer = ref.partition("#")
            target = common if document == "common.schema.json" else schema
            assert document in ("", "common.schema.json"), f"{kind}: {ref}"
            node = target
            for part in pointer.strip("/").split("/"):
                node = node[part]


# The repository template ---------------------------------------------------


@pytest.mark.parametrize("relative,record", template_records(), ids=[r for r, _ in template_records()])
def test_template_record_matches_its_schema(relative, record):
    """Every YAML file in cicatext/repo_template/ is a record of a known kind and matches that kind's schema."""
    kind = kind_of(relative)
    assert kind is not None, f"{relative} is not where any record kind lives"
    assert messages(kind, record) == []


def test_template_settings_are_consistent():
    """cicatext.yaml names a default language it has, a chairing state that exists and min <= max rules."""
    settings = load_yaml((TEMPLATE / "cicatext.yaml").read_text(encoding="utf-8"))
    assert settings["default_language"] in settings["languages"]
    assert settings["chairmanship"]["state"] in records_in("registry/states")
    rules = settings["rules"]
    assert rules["tenure_min_years"] <= rules["tenure_max_years"]
    assert rules["applicability_min_years"] <= rules["applicability_max_years"]
    assert set(rules) == set(SCHEMA_BY_KIND["settings"]["properties"]["rules"]["properties"])


def test_state_codes_are_unique_and_name_their_files():
    """The 28 member states have unique codes equal to their file names, unique ISO codes, and the seed's codes."""
    states = records_in("registry/states")
    assert len(states) == 28
    for stem, state in states.items():
        assert state["code"] == stem
    assert len({state["iso3"] for state in states.values()}) == len(states)
    assert {"IRAN", "CHN", "IND", "AZER", "TUR", "RUS", "KAZ", "IRAQ", "ISR"} <= set(states)
    settings = load_yaml((TEMPLATE / "cicatext.yaml").read_text(encoding="utf-8"))
    assert settings["secretariat"]["code"] not in states
    assert "CHAIR" not in states


def test_bodies_follow_body_order():
    """Each body's code names its file, and ranks run opposite to cicatext.yaml's body_order."""
    bodies = records_in("registry/bodies")
    for stem, body in bodies.items():
        assert body["code"] == stem
    settings = load_yaml((TEMPLATE / "cicatext.yaml").read_text(encoding="utf-8"))
    by_rank = sorted(bodies, key=lambda code: bodies[code]["rank"], reverse=True)
    assert by_rank == settings["body_order"] == ["SWG", "SOC", "MC", "SUMMIT"]
    assert bodies["SWG"]["abbreviation"] == {"en": "SWG", "ru": "СРГ"}


def test_dimensions_and_areas_link_up():
    """Dimensions and areas are named by their ids, every area's dimension exists, and sample-data areas are there."""
    dimensions = records_in("registry/dimensions")
    areas = records_in("registry/areas")
    for stem, record in {**dimensions, **areas}.items():
        assert record["id"] == stem
    assert sorted(d["order"] for d in dimensions.values()) == [1, 2, 3, 4, 5]
    for area in areas.values():
        assert area["dimension"] in dimensions, f"{area['id']}: no dimension {area['dimension']}"
    assert {"combating-terrorism", "ict-security", "sustainable-development"} <= set(areas)
    assert {area["dimension"] for area in areas.values()} == set(dimensions)


def test_registry_names_exist_in_every_working_language():
    """Every name, formal name and abbreviation in the registry is given in each language of cicatext.yaml."""
    languages = set(load_yaml((TEMPLATE / "cicatext.yaml").read_text(encoding="utf-8"))["languages"])
    for relative, record in template_records():
        if relative.startswith("registry/"):
            for field in ("name", "formal_name", "abbreviation"):
                if field in record:
                    assert set(record[field]) == languages, f"{relative}: {field}"


# Documents and position sets -------------------------------------------------

DOCUMENT_OK = {
    "symbol": "MC/2023/DRAFT/3",
    "kind": "decision",
    "title": {"en": "on a Road Map for CICA Transformation", "ru": "о Дорожной карте трансформации СВМДА"},
    "sponsor": "CHAIR",
    "languages": ["en"],
    "body": "MC",
    "heading": {"en": "DRAFT DECISION OF THE CICA MINISTERIAL COUNCIL"},
    "sponsor_line": {"en": "Chairmanship of Kazakhstan"},
    "date": "2023-06-14",
    "revisions": [
        {"rev": 0, "symbol": "MC/2023/DRAFT/3", "date": "2023-05-11", "text": False},
        {"rev": 1, "symbol": "MC/2023/DRAFT/3/Rev.1", "date": "2023-06-14", "round": "mc-2023-draft-3/r1"},
    ],
    "status": [{"body": "SWG", "action": "agreed", "date": "2023-06-14", "meeting": "swg-2023-06-13"}],
}


def _changed(base: dict, **changes) -> dict:
    record = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            record.pop(key)
        else:
            record[key] = value
    return record


DOCUMENTS = [
    ("full", DOCUMENT_OK, True),
    ("minimal", {"symbol": "MC/2023/DRAFT/5", "kind": "statement", "title": {"en": "x"}, "sponsor": "CHAIR", "languages": ["en"]}, True),
    ("session symbol", _changed(DOCUMENT_OK, symbol="SWG/2023-II/INF/2", kind="recommendations", sponsor="SEC"), True),
    ("note number", _changed(DOCUMENT_OK, symbol="SWG/739", kind="note-verbale", sponsor="SEC", languages=["en", "ru"]), True),
    (
        "predecessor",
        _changed(DOCUMENT_OK, symbol="MC/2023/DRAFT/4", predecessors=[{"symbol": "MC/2023/SEC/1", "sponsor": "SEC", "date": "2023-05-12"}]),
        True,
    ),
    ("member-state sponsor", _changed(DOCUMENT_OK, sponsor="IRAN"), True),
    ("missing symbol", _changed(DOCUMENT_OK, symbol=...), False),
    ("missing languages", _changed(DOCUMENT_OK, languages=...), False),
    ("symbol with revision", _changed(DOCUMENT_OK, symbol="MC/2023/DRAFT/3/Rev.1"), False),
    ("lowercase symbol", _changed(DOCUMENT_OK, symbol="mc/2023/draft/3"), False),
    ("date in words", _changed(DOCUMENT_OK, date="14 June 2023"), False),
    ("impossible date", _changed(DOCUMENT_OK, date="2023-02-30"), False),
    ("unknown field", _changed(DOCUMENT_OK, sponser="CHAIR"), False),
    ("unknown kind", _changed(DOCUMENT_OK, kind="resolution"), False),
    ("no languages", _changed(DOCUMENT_OK, languages=[]), False),
    ("bad language code", _changed(DOCUMENT_OK, languages=["eng"]), False),
    ("title key not a language", _changed(DOCUMENT_OK, title={"english": "x"}), False),
    ("empty title", _changed(DOCUMENT_OK, title={}), False),
    ("lowercase sponsor", _changed(DOCUMENT_OK, sponsor="chair"), False),
    ("empty revisions", _changed(DOCUMENT_OK, revisions=[]), False),
    ("negative rev", _changed(DOCUMENT_OK, revisions=[{"rev": -1, "symbol": "MC/2023/DRAFT/3"}]), False),
    ("revision text not boolean", _changed(DOCUMENT_OK, revisions=[{"rev": 0, "symbol": "MC/2023/DRAFT/3", "text": "no"}]), False),
    ("unknown revision field", _changed(DOCUMENT_OK, revisions=[{"rev": 0, "symbol": "MC/2023/DRAFT/3", "sponsor": "CHAIR"}]), False),
    ("unknown status action", _changed(DOCUMENT_OK, status=[{"body": "SWG", "action": "rejected"}]), False),
    ("status without body", _changed(DOCUMENT_OK, status=[{"action": "agreed"}]), False),
]

POSITIONS_OK = {
    "delegation": "CHN",
    "document": "MC/2023/DRAFT/5",
    "based_on": "MC/2023/DRAFT/5",
    "entries": [
        {"id": "chn-1", "action": "delete", "paragraph": "pp8", "anchor": {"before": "cultural ", "text": "and religious", "after": " diversity"}},
        {
            "id": "chn-2",
            "action": "replace",
            "paragraph": "pp8",
            "anchor": {"before": "diversity ", "text": "of civilizations", "after": " and its role"},
            "text": "exchanges and mutual learning among civilizations",
        },
        {"action": "insert", "paragraph": "pp8", "anchor": {"before": "respect for ", "text": ""}, "text": "intercivilizational and intercultural exchanges"},
        {"action": "insert", "paragraph": "op15", "after_paragraph": "op14", "text": "Encourage the Member States ..."},
        {"action": "alternative", "paragraph": "op11", "text": "Promote volunteers' participation in intercultural programmes and projects;"},
        {"action": "support", "paragraph": "op11", "bracket": "op11:1", "stance": "-", "justification": "as stated at the SWG"},
        {"action": "withdraw", "paragraph": "op11", "bracket": "op11:1"},
        {"action": "reserve", "paragraph": "op13", "anchor": {"text": ", and encourage to assign country operators"}},
    ],
}


def _with_entry(entry: dict) -> dict:
    return _changed(POSITIONS_OK, entries=[entry])


POSITION_SETS = [
    ("full", POSITIONS_OK, True),
    ("no entries yet", _changed(POSITIONS_OK, entries=[]), True),
    ("missing delegation", _changed(POSITIONS_OK, delegation=...), False),
    ("missing entries", _changed(POSITIONS_OK, entries=...), False),
    ("document with revision", _changed(POSITIONS_OK, document="MC/2023/DRAFT/5/Rev.1"), False),
    ("unknown field", _changed(POSITIONS_OK, round="r1"), False),
    ("insert without text", _with_entry({"action": "insert", "paragraph": "pp8", "anchor": {"text": ""}}), False),
    ("replace without text", _with_entry({"action": "replace", "paragraph": "pp8", "anchor": {"text": "of civilizations"}}), False),
    ("alternative without text", _with_entry({"action": "alternative", "paragraph": "op11"}), False),
    ("insert with empty text", _with_entry({"action": "insert", "paragraph": "pp8", "anchor": {"text": ""}, "text": ""}), False),
    ("insert nowhere", _with_entry({"action": "insert", "paragraph": "pp8", "text": "x"}), False),
    ("delete with new text", _with_entry({"action": "delete", "paragraph": "pp8", "anchor": {"text": "and religious"}, "text": "x"}), False),
    ("delete without anchor", _with_entry({"action": "delete", "paragraph": "pp8"}), False),
    ("delete of nothing", _with_entry({"action": "delete", "paragraph": "pp8", "anchor": {"text": ""}}), False),
    ("support without stance", _with_entry({"action": "support", "paragraph": "op11", "bracket": "op11:1"}), False),
    ("support with bad stance", _with_entry({"action": "support", "paragraph": "op11", "bracket": "op11:1", "stance": "yes"}), False),
    ("stance on a reserve", _with_entry({"action": "reserve", "paragraph": "op11", "bracket": "op11:1", "stance": "+"}), False),
    ("reserve of nothing", _with_entry({"action": "reserve", "paragraph": "op11"}), False),
    ("after_paragraph on a delete", _with_entry({"action": "delete", "paragraph": "op11", "anchor": {"text": "x"}, "after_paragraph": "op10"}), False),
    ("unknown action", _with_entry({"action": "amend", "paragraph": "op11", "text": "x"}), False),
    ("entry without paragraph", _with_entry({"action": "alternative", "text": "x"}), False),
    ("unknown anchor field", _with_entry({"action": "delete", "paragraph": "pp8", "anchor": {"text": "x", "start": 3}}), False),
    ("anchor without text", _with_entry({"action": "delete", "paragraph": "pp8", "anchor": {"before": "x"}}), False),
    ("bracket id with a space", _with_entry({"action": "withdraw", "paragraph": "op11", "bracket": "op11 1"}), False),
]

CASES = [("document", name, record, ok) for name, record, ok in DOCUMENTS] + [
    ("position-set", name, record, ok) for name, record, ok in POSITION_SETS
]


@pytest.mark.parametrize("kind,name,record,ok", CASES, ids=[f"{kind}: {name}" for kind, name, _, _ in CASES])
def test_hand_written_records(kind, name, record, ok):
    """Hand-written documents and position sets are accepted or refused as the schema means them to be."""
    found = messages(kind, record)
    if ok:
        assert found == []
    else:
        assert found, f"{kind} '{name}' should have been refused"


# The examples in docs/records.md --------------------------------------------


def test_records_doc_has_examples_of_every_kind():
    """docs/records.md shows an example of every kind this page describes in full."""
    kinds = {kind_of(path) for path, _ in doc_examples()}
    assert kinds == DOCUMENTED_KINDS


@pytest.mark.parametrize("path,record", doc_examples(), ids=[p for p, _ in doc_examples()])
def test_records_doc_example_is_valid(path, record):
    """Each example in docs/records.md is a valid record, and equals the template's file where there is one."""
    kind = kind_of(path)
    assert kind is not None, f"{path} is not where any record kind lives"
    assert messages(kind, record) == []
    if (TEMPLATE / path).is_file():
        assert record == load_yaml((TEMPLATE / path).read_text(encoding="utf-8"))


# fastjsonschema ---------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(k for k in SCHEMA_BY_KIND if k != "common"), ids=str)
def test_fastjsonschema_compiles_with_cross_file_refs(kind):
    """fastjsonschema compiles every schema, resolving common.schema.json through a handler, never the network."""
    assert callable(compile_fast(kind))


@pytest.mark.parametrize("kind,name,record,ok", CASES, ids=[f"{kind}: {name}" for kind, name, _, _ in CASES])
def test_fastjsonschema_agrees_with_jsonschema(kind, name, record, ok):
    """The compiled fastjsonschema validator accepts and refuses exactly what jsonschema does, and leaves the record as it was."""
    validate = compile_fast(kind)
    before = copy.deepcopy(record)
    try:
        validate(record)
    except fastjsonschema.JsonSchemaValueException:
        accepted = False
    else:
        accepted = True
    assert accepted is ok
    assert record == before


def test_fastjsonschema_accepts_the_template():
    """Every template record passes its compiled fastjsonschema validator."""
    compiled = {}
    for relative, record in template_records():
        kind = kind_of(relative)
        if kind not in compiled:
            compiled[kind] = compile_fast(kind)
        compiled[kind](record)


def test_fastjsonschema_handler_refuses_foreign_refs():
    """A $ref outside schemas/ fails to compile instead of being fetched."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "probe.schema.json",
        "$ref": "https://example.invalid/other.schema.json",
    }
    with pytest.raises(ValueError, match="outside schemas"):
        fastjsonschema.compile(schema, handlers={"https": _schema_handler})
