"""The repository's layout: where each record lives, and that `cicatext.store.layout` alone spells it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import cicatext
from cicatext.store import layout

PACKAGE = Path(cicatext.__file__).parent
LAYOUT = PACKAGE / "store" / "layout.py"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("cicatext.yaml", "settings"),
        ("registry/states/RUS.yaml", "member-state"),
        ("registry/bodies/SOC.yaml", "body"),
        ("registry/dimensions/human-dimension.yaml", "dimension"),
        ("registry/areas/ict-security.yaml", "priority-area"),
        ("documents/mc-2023-draft-4/document.yaml", "document"),
        ("positions/RUS/mc-2023-draft-4.yaml", "position-set"),
        ("coordinators/ict-security.yaml", "coordinator"),
        ("concept-papers/cp-ict-2024.yaml", "concept-paper"),
        ("action-plans/ap-ict-2024.yaml", "action-plan"),
        ("reviews/soc-2024.yaml", "review"),
        ("meetings/swg-2023-06.yaml", "meeting"),
        ("notes/swg-739.yaml", "note"),
        ("confidential/c-1.yaml", "confidential"),
        ("documents/mc-2023-draft-4/en.txt", None),
        ("positions/RUS/deeper/x.yaml", None),
        ("notes/templates/cover-note.en.txt", None),
    ],
)
def test_each_record_kind_has_its_place(path, kind):
    """A path names the kind of record kept there, and only at its own depth."""
    assert layout.kind_of(path) == kind


@pytest.mark.parametrize(
    "path",
    ["README.md", ".gitignore", ".gitattributes", "documents/mc-2023-draft-4/ru.txt",
     "notes/templates/cover-note.ru.txt", "keys/allowed_signers", "keys/revoked", "confidential/c-1.age"],
)
def test_files_that_are_not_records_have_their_places(path):
    """The texts, templates, keys and encrypted contents are expected where they are."""
    assert layout.kind_of(path) is None
    assert layout.is_known_place(path)


def test_paths_are_built_from_the_places():
    """The functions give the paths the places describe."""
    assert layout.document_record_path("mc-2023-draft-4") == "documents/mc-2023-draft-4/document.yaml"
    assert layout.document_text_path("mc-2023-draft-4", "ru") == "documents/mc-2023-draft-4/ru.txt"
    assert layout.position_set_path("RUS", "mc-2023-draft-4") == "positions/RUS/mc-2023-draft-4.yaml"
    assert layout.coordinator_path("ict-security") == "coordinators/ict-security.yaml"
    assert layout.meeting_path("swg-2023-06") == "meetings/swg-2023-06.yaml"
    assert layout.record_source("review", "soc-2024") == "reviews/soc-2024"
    assert layout.cover_note_template_path("en") == "notes/templates/cover-note.en.txt"
    assert layout.confidential_paths("c-1") == ("confidential/c-1.yaml", "confidential/c-1.age")
    assert (layout.ALLOWED_SIGNERS_PATH, layout.REVOKED_PATH) == ("keys/allowed_signers", "keys/revoked")
    assert layout.position_owner("positions/RUS/mc-2023-draft-4.yaml") == "RUS"
    assert layout.position_owner("documents/mc-2023-draft-4/en.txt") is None
    assert layout.is_document_text("documents/mc-2023-draft-4/en.txt")
    assert not layout.is_document_text("documents/mc-2023-draft-4/document.yaml")


def _folders() -> set[str]:
    """The top folders of the layout: those of every place, and the cache's."""
    places = [pattern for pattern, _ in layout.RECORD_PLACES] + list(layout.OTHER_PLACES)
    return {pattern.split("/")[0] for pattern in places if "/" in pattern} | {layout.CACHE_DIR}


def _paths() -> set[str]:
    """The file and folder paths layout names (`cicatext.yaml`, `document.yaml`, `registry/states`...).

    A bare top folder (`documents`) is left out, since the same word names
    other things (a JSON key, a command); so is the texts' suffix, `.txt`,
    which exports write too.
    """
    named = {value for name, value in vars(layout).items() if name.isupper() and isinstance(value, str)}
    return {value for value in named if "/" in value or "." in value} - {layout.TEXT_SUFFIX}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings: a module's, a class's or a function's, and an attribute's."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                    and isinstance(statement.value.value, str):
                found.add(id(statement.value))
    return found


def stray_spellings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string in the source that spells a place of the repository's layout.

    A string spells one when it writes a layout folder followed by `/`
    (`positions/`, `.cicatext/`), when it is one of layout's paths whole
    (`document.yaml`), or when it is a top folder's name joined onto a path
    (`root / "documents"`). Docstrings are prose about the code and may name
    places; every other string, a message or hint shown to users included,
    takes its paths from `cicatext.store.layout`.
    """
    folders = _folders()
    spelled = re.compile(rf"(?<![\w.-])({'|'.join(re.escape(folder) for folder in sorted(folders))})/")
    paths = _paths()
    tree = ast.parse(source)
    prose = _docstrings(tree)
    joined = {id(operand) for node in ast.walk(tree) if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
              for operand in (node.left, node.right)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in prose:
            continue
        if spelled.search(node.value) or node.value in paths or (node.value in folders and id(node) in joined):
            found.append((node.lineno, node.value))
    return sorted(found)


def test_only_the_layout_spells_the_repository_s_places():
    """No module but `cicatext.store.layout` writes `documents/`, `positions/`, `cicatext.yaml`... in a string."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == LAYOUT:
            continue
        found += [f"{path.relative_to(PACKAGE)}:{line}: {text!r}"
                  for line, text in stray_spellings(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_stray_spelling_is_found():
    """The scan sees a place spelled in a plain string, an f-string, a message and a path join, not in a docstring."""
    source = '''
def f(root, code, slug):
    """Reads positions/CODE/<slug>.yaml from document.yaml."""
    a = "positions/"
    b = f"positions/{code}/{slug}.yaml"
    raise ValueError(f"no meeting in meetings/", "see .cicatext/search.sqlite")
    c = root / "documents" / slug / "document.yaml"
    d = {"documents": [], "keys": "keys/allowed_signers"}
'''
    assert [line for line, _ in stray_spellings(source)] == [4, 5, 6, 6, 7, 7, 8]
    assert stray_spellings('x = "keys/values"') == [(1, "keys/values")]
    assert stray_spellings('x = "my-documents/, the documents and the positions"') == []
