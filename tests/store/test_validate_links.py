"""`validate`'s checks between records, kept in `.cicatext/validate-links.json`: each runs again when, and only when,
something it reads changed, and a run from the cache finds exactly what a run without it finds."""

import pytest

from cicatext.errors import CicatextError
from cicatext.store.layout import CACHE_DIR, VALIDATION_RESULT
from cicatext.store.validation import links
from cicatext.store.validation.validate import validate

NOTE = "notes/swg-739.yaml"
TEMPLATE = "notes/templates/custom.en.txt"
POSITIONS = "positions/IND/mc-2023-draft-4.yaml"
DRAFT_4 = "documents/mc-2023-draft-4/document.yaml"


def _both(repo) -> list[str]:
    """The problems of a run from the caches, after checking that a run without them finds the same, in order."""
    cached = validate(repo)
    assert cached == validate(repo, use_cache=False)
    return [f"{p.file}: {p.message}" for p in cached]


def _apply(repo, changes: dict[str, str | None]) -> dict[str, str | None]:
    """Write (or, for None, delete) files; what they held before, to put back."""
    before = {}
    for relative, text in changes.items():
        path = repo.root / relative
        before[relative] = path.read_text(encoding="utf-8") if path.is_file() else None
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return before


def _replaced(repo, relative: str, old: str, new: str) -> str:
    text = repo.read_text(relative)
    assert old in text
    return text.replace(old, new, 1)


@pytest.fixture
def linked_repo(demo_repo):
    """The sample, with a position set naming a document, a note naming its own template and a document in two
    bodies' hands, validated once."""
    _apply(demo_repo, {
        POSITIONS: "delegation: IND\ndocument: MC/2023/DRAFT/4\nentries: []\n",
        TEMPLATE: "{#number} № {number}\n",
        NOTE: demo_repo.read_text(NOTE) + f"template:\n  en: {TEMPLATE}\n",
        DRAFT_4: demo_repo.read_text(DRAFT_4) + "  - body: SOC\n    action: considered\n    date: '2023-07-20'\n",
    })
    assert _both(demo_repo) == []
    return demo_repo


CASES = {
    # What a document's own checks read beyond its record: the meetings, the bodies, its folder's files.
    "a meeting a document's status names is gone": (
        lambda repo: {"meetings/swg-2023-06.yaml": None},
        "documents/mc-2023-draft-3/document.yaml: no meeting 'swg-2023-06' in meetings/"),
    "a body a document names is gone": (
        lambda repo: {"registry/bodies/SWG.yaml": None},
        "documents/swg-739/document.yaml: unknown body 'SWG'"),
    "a declared text is gone": (
        lambda repo: {"documents/swg-739/ru.txt": None},
        "documents/swg-739/document.yaml: language 'ru' is declared but documents/swg-739/ru.txt is missing"),
    "a text no language declares appears": (
        lambda repo: {"documents/mc-2023-draft-3/fr.txt": "{#p1} Texte.\n"},
        "documents/mc-2023-draft-3/fr.txt: text in language 'fr' is not declared in document.yaml"),
    # The languages' check reads the texts.
    "one language's text gains a paragraph": (
        lambda repo: {"documents/swg-739/ru.txt": repo.read_text("documents/swg-739/ru.txt") + "\n{#extra} Ещё.\n"},
        "documents/swg-739/ru.txt: paragraph extra is not in the en text"),
    # The lifecycle reads the bodies' order.
    "the bodies' order changes under a document's steps": (
        lambda repo: {"cicatext.yaml": _replaced(repo, "cicatext.yaml", "body_order: [SWG, SOC,", "body_order: [SOC, SWG,")},
        f"{DRAFT_4}: document lifecycle: goes backwards from SWG"),
    # A position set reads the codes and the documents' symbols.
    "the document a position set names changes its symbol": (
        lambda repo: {"documents/mc-2023-draft-4/document.yaml": _replaced(
            repo, "documents/mc-2023-draft-4/document.yaml", "symbol: MC/2023/DRAFT/4\n", "symbol: MC/2023/DRAFT/44\n")},
        f"{POSITIONS}: no document 'MC/2023/DRAFT/4' in documents/"),
    "the delegation of a position set leaves the registry": (
        lambda repo: {"registry/states/IND.yaml": None},
        f"{POSITIONS}: unknown delegation code 'IND'"),
    # The Modalities' rules read the documents' names and the notes' templates.
    "a document a meeting lists leaves the register": (
        lambda repo: {"documents/mc-2023-draft-5/document.yaml": None, "documents/mc-2023-draft-5/en.txt": None},
        "meetings/swg-2023-06.yaml: MC/2023/DRAFT/5 is not in the register"),
    "the template a note names is gone": (
        lambda repo: {TEMPLATE: None},
        f"{NOTE}: template {TEMPLATE} does not exist"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_change_to_what_a_check_reads_is_seen_and_its_undoing_too(linked_repo, case):
    """Each input of a kept check, changed while the record checked stays as it was, brings its problem; put back,
    the problem goes; from the cache as without it."""
    change, expected = CASES[case]
    before = _apply(linked_repo, change(linked_repo))
    found = _both(linked_repo)
    assert any(line.startswith(expected) for line in found), found
    _apply(linked_repo, before)
    assert _both(linked_repo) == []


def test_a_series_of_edits_gives_what_a_run_without_the_cache_gives(linked_repo):
    """Edits made one after another, never undone, each followed by a run from the cache, find what a run without
    the cache finds (`_both` compares them)."""
    seen: set[str] = set()
    for change, _ in CASES.values():
        try:
            changes = change(linked_repo)
        except (CicatextError, AssertionError):
            continue  # what this edit changes an earlier one removed
        _apply(linked_repo, changes)
        seen.update(_both(linked_repo))
    assert len(seen) >= len(CASES) // 2


def test_an_edit_of_one_text_checks_that_document_alone_again(linked_repo, monkeypatch):
    """After a one-letter edit of one text, the languages' check runs for its document alone, and the documents' own
    checks, their lifecycles and the Modalities' rules not at all (the last run's parts are brought up to date)."""
    from cicatext.store.modalities import checking
    from cicatext.store.register import languages

    calls = []
    for module, name in ((links, "_check_document"), (languages, "document_languages"),
                         (checking, "lifecycle_problems"), (checking, "check_modalities")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *args, _real=real, _name=name: calls.append(_name) or _real(*args))
    path = "documents/swg-739/en.txt"
    text = linked_repo.read_text(path)
    _apply(linked_repo, {path: text.replace("e", "E", 1)})
    assert validate(linked_repo) == validate(linked_repo, use_cache=False)
    documents = len(linked_repo.documents())
    # The run without the cache called each once per document (and the rules once); the cached run only the
    # languages' check, once.
    assert calls.count("_check_document") == documents
    assert calls.count("document_languages") == documents + 1
    assert calls.count("lifecycle_problems") == documents
    assert calls.count("check_modalities") == 1


def test_a_text_git_ignores_is_read_every_time(linked_repo):
    """A declared text that git ignores has no blob id to key the languages' check by: it is checked every run."""
    path = "documents/swg-739/ru.txt"
    linked_repo.run_git("rm", "-q", "--cached", path)
    _apply(linked_repo, {".gitignore": linked_repo.read_text(".gitignore") + f"{path}\n"})
    # validate's files are those git lists: the text counts as missing, yet the languages' check reads it.
    assert not any("paragraph extra" in line for line in _both(linked_repo))
    _apply(linked_repo, {path: linked_repo.read_text(path) + "\n{#extra} Ещё.\n"})
    # No listed file changed, so the whole result would be given again: set aside, to reach the kept checks.
    (linked_repo.root / CACHE_DIR / VALIDATION_RESULT).unlink()
    assert any("paragraph extra is not in the en text" in line for line in _both(linked_repo))


def test_a_template_git_ignores_is_looked_for_every_time(linked_repo):
    """The rules look whether the templates the notes name exist, a file git may not list: that is part of what
    their result is kept under."""
    _apply(linked_repo, {".gitignore": linked_repo.read_text(".gitignore") + f"{TEMPLATE}\n"})
    linked_repo.run_git("rm", "-q", "--cached", "--ignore-unmatch", TEMPLATE)
    assert _both(linked_repo) == []
    _apply(linked_repo, {TEMPLATE: None})
    (linked_repo.root / CACHE_DIR / VALIDATION_RESULT).unlink()
    assert f"{NOTE}: template {TEMPLATE} does not exist" in " ".join(_both(linked_repo))


def test_the_bodies_ranks_are_read_by_the_lifecycle_when_the_settings_give_no_order(linked_repo):
    """Without `body_order` in the settings (a schema error), the bodies' ranks order the lifecycle: changing them,
    the settings unchanged, brings the finding."""
    _apply(linked_repo, {"cicatext.yaml": _replaced(linked_repo, "cicatext.yaml", "body_order: [SWG, SOC, MC, SUMMIT]\n", "")})
    assert not any("lifecycle" in line for line in _both(linked_repo))
    _apply(linked_repo, {"registry/bodies/SWG.yaml": _replaced(linked_repo, "registry/bodies/SWG.yaml", "rank: 4", "rank: 3"),
                         "registry/bodies/SOC.yaml": _replaced(linked_repo, "registry/bodies/SOC.yaml", "rank: 3", "rank: 4")})
    assert any(line.startswith(f"{DRAFT_4}: document lifecycle: goes backwards from SWG") for line in _both(linked_repo))


def test_a_meeting_git_ignores_keeps_the_rules_from_the_cache(linked_repo):
    """A record in a Modalities folder that git ignores is read by the rules but stands for no blob: the rules run
    every time while it is there."""
    _apply(linked_repo, {".gitignore": linked_repo.read_text(".gitignore") + "meetings/extra.yaml\n",
                         "meetings/extra.yaml": "id: extra\nbody: NOPE\ndates: {from: 2023-01-01, to: 2023-01-02}\n"})
    first = _both(linked_repo)
    assert any(line.startswith("meetings/extra.yaml: unknown body 'NOPE'") for line in first), first
    _apply(linked_repo, {"meetings/extra.yaml": "id: extra\nbody: SWG\ndates: {from: 2023-01-01, to: 2023-01-02}\n"})
    (linked_repo.root / CACHE_DIR / VALIDATION_RESULT).unlink()
    assert not any(line.startswith("meetings/extra.yaml") for line in _both(linked_repo))


def test_a_links_cache_that_does_not_load_is_made_again(linked_repo):
    """A damaged links cache costs a full run, never a wrong answer."""
    from cicatext.store.layout import VALIDATION_LINKS

    (linked_repo.root / CACHE_DIR / VALIDATION_LINKS).write_bytes(b"\x00 not marshal data")
    _apply(linked_repo, {"meetings/swg-2023-06.yaml": None})
    assert any("no meeting 'swg-2023-06'" in line for line in _both(linked_repo))


def test_a_document_git_ignores_names_a_document_for_the_rules_every_time(linked_repo):
    """A document whose folder git ignores is still one the meetings may list (the rules read the folders): its
    going is seen though no listed file changed."""
    import shutil

    linked_repo.run_git("rm", "-q", "-r", "--cached", "documents/mc-2023-draft-5")
    _apply(linked_repo, {".gitignore": linked_repo.read_text(".gitignore") + "documents/mc-2023-draft-5/\n"})
    assert not any("MC/2023/DRAFT/5 is not in the register" in line for line in _both(linked_repo))
    shutil.rmtree(linked_repo.root / "documents/mc-2023-draft-5")
    (linked_repo.root / CACHE_DIR / VALIDATION_RESULT).unlink()
    assert "meetings/swg-2023-06.yaml: MC/2023/DRAFT/5 is not in the register" in " ".join(_both(linked_repo))
