"""`validate` after edits of document texts alone: the last run's parts brought up to date (`since`) give what a
full run without caches gives, without going over every file; anything more than such an edit is a full run."""

import marshal

import pytest

from cicatext.store.layout import CACHE_DIR, VALIDATION_PARTS, VALIDATION_RESULT
from cicatext.store.register.create import import_text
from cicatext.store.validation import since
from cicatext.store.validation import validate as validation
from cicatext.store.validation.validate import validate

EN = "documents/swg-739/en.txt"
RU = "documents/swg-739/ru.txt"
DRAFT_3 = "documents/mc-2023-draft-3/en.txt"


@pytest.fixture
def full_runs(monkeypatch):
    """The number of full runs (those that go over every file with `file_checks`) so far."""
    runs: list[int] = []
    real = validation.file_checks
    monkeypatch.setattr(validation, "file_checks", lambda *a, **k: runs.append(1) or real(*a, **k))
    return runs


def _edit(repo, relative: str, old: str, new: str) -> None:
    path = repo.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _brought_up_to_date(repo, full_runs) -> list[str]:
    """A run from the last run's parts (no full run), checked equal to a run without caches; its problems as lines."""
    before = len(full_runs)
    kept = validate(repo)
    assert len(full_runs) == before, "a full run where the last run's parts should have been brought up to date"
    assert kept == validate(repo, use_cache=False)
    return [f"{p.file}:{p.line}:{p.column}: {p.severity}: {p.message}" for p in kept]


def test_edits_of_texts_give_what_a_full_run_gives(demo_repo, full_runs):
    """Problems come and go with each text edit, in each file's order and the documents' order, from the parts alone:
    notation errors, an unknown code, languages that no longer align, the per-file cap, an edit undone."""
    assert validate(demo_repo) == []
    committed = (demo_repo.root / EN).read_text(encoding="utf-8")
    paragraphs = [p for p in committed.split("\n\n") if p.strip()]

    (demo_repo.root / RU).write_text((demo_repo.root / RU).read_text(encoding="utf-8") + "\n{#extra} Ещё.\n",
                                     encoding="utf-8")
    found = _brought_up_to_date(demo_repo, full_runs)
    assert any("paragraph extra is not in the en text" in line for line in found), found

    # The en text no longer reads: its document's languages are not compared until it does.
    _edit(demo_repo, EN, paragraphs[1], paragraphs[1] + " [unclosed")
    found = _brought_up_to_date(demo_repo, full_runs)
    assert any(EN in line and "never closed" in line for line in found), found
    assert not any("paragraph extra" in line for line in found), found

    _edit(demo_repo, DRAFT_3, "\n\n", "\n\n[words] (+ZZZX) ")
    found = _brought_up_to_date(demo_repo, full_runs)
    assert any(DRAFT_3 in line and "ZZZX" in line for line in found), found
    assert any(EN in line for line in found)

    # More problems in one text than a file lists: the cap counts the rest.
    (demo_repo.root / DRAFT_3).write_text("{#p1} " + " ".join(["[x] (+ZZZX)"] * 1200) + "\n", encoding="utf-8")
    found = _brought_up_to_date(demo_repo, full_runs)
    assert any(DRAFT_3 in line and "more" in line for line in found), found

    # Undone: the text is as committed again, and git no longer lists it as changed.
    (demo_repo.root / EN).write_text(committed, encoding="utf-8")
    found = _brought_up_to_date(demo_repo, full_runs)
    assert not any(line.startswith(EN) and "never closed" in line for line in found), found
    assert len(full_runs) == 6  # the first run and the five without caches alone


def test_known_problems_stay_warnings(new_repo, full_runs):
    """A text imported with a problem keeps it as a warning through edits elsewhere in it; a new error is an error."""
    import_text(new_repo, "The Council,\n\n1. Decides [to act;\n\n2. Notes;\n", symbol="MC/2024/DRAFT/1", title="T")
    text = "documents/mc-2024-draft-1/en.txt"
    first = validate(new_repo)
    assert [p.severity for p in first] == ["warning"]
    _edit(new_repo, text, "Notes;", "Notes well;")
    assert [(p.severity, p.message) for p in validate(new_repo)] == [(p.severity, p.message) for p in first]
    assert validate(new_repo) == validate(new_repo, use_cache=False)
    _edit(new_repo, text, "Notes well;", "Notes (+IND) well;")
    found = _brought_up_to_date(new_repo, full_runs)
    assert sorted(line.split(": ")[1] for line in found) == ["error", "warning"], found


CHANGES = {
    "a text git does not track appears": lambda repo: (repo.root / "documents/swg-739/fr.txt").write_text(
        "{#p1} Texte.\n", encoding="utf-8"),
    "a text is deleted": lambda repo: (repo.root / DRAFT_3).unlink(),
    "a record is edited": lambda repo: _edit(repo, "documents/swg-739/document.yaml", "title:", "title: X\n_title:"),
    "an edited text is staged": lambda repo: (_edit(repo, EN, "\n\n", "\n\n[x] "),
                                              repo.run_git("add", EN)),
    "a commit on main": lambda repo: repo.run_git("commit", "--allow-empty", "-q", "-m", "Nothing"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_more_than_an_edit_of_texts_is_a_full_run(demo_repo, full_runs, change):
    """A file that comes or goes, a record, the index or main's commit: the parts do not stand for it, and a full
    run finds what a run without caches finds."""
    _edit(demo_repo, EN, "\n\n", "\n\n[x ")
    validate(demo_repo)
    runs = len(full_runs)
    CHANGES[change](demo_repo)
    assert validate(demo_repo) == validate(demo_repo, use_cache=False)
    assert len(full_runs) == runs + 2


@pytest.mark.parametrize("stored", [
    b"not marshal at all",
    {"version": 1, "files": "x"},
    "same made_under, files not pairs",
    "same made_under, a problem with an unknown field",
    "same made_under, codes not a list",
])
def test_parts_that_do_not_load_make_a_full_run(demo_repo, full_runs, stored):
    """A damaged or foreign parts file is no result: the run is a full one, and finds what a run without caches finds."""
    validate(demo_repo)
    path = demo_repo.root / CACHE_DIR / VALIDATION_PARTS
    kept = marshal.loads(path.read_bytes())
    if stored == "same made_under, files not pairs":
        stored = {**kept, "files": [[1]]}
    elif stored == "same made_under, a problem with an unknown field":
        stored = {**kept, "files": [[EN, [{"message": "m", "no such field": 1}]]]}
    elif stored == "same made_under, codes not a list":
        stored = {**kept, "codes": 5}
    path.write_bytes(stored if isinstance(stored, bytes) else marshal.dumps(stored))
    _edit(demo_repo, EN, "\n\n", "\n\n[x ")
    runs = len(full_runs)
    assert validate(demo_repo) == validate(demo_repo, use_cache=False)
    assert len(full_runs) == runs + 2
    assert (demo_repo.root / CACHE_DIR / VALIDATION_RESULT).is_file()


def test_a_run_reading_a_file_git_ignores_keeps_no_parts(demo_repo):
    """A declared text git ignores is read past the listing: no parts are kept from that run, nor left from before."""
    validate(demo_repo)
    path = demo_repo.root / CACHE_DIR / VALIDATION_PARTS
    assert path.is_file()
    demo_repo.run_git("rm", "-q", "--cached", RU)
    (demo_repo.root / ".gitignore").write_text((demo_repo.root / ".gitignore").read_text() + f"{RU}\n")
    validate(demo_repo)
    assert not path.exists()


def test_each_run_checks_only_what_changed_after_the_one_before(demo_repo, monkeypatch):
    """A run brought up to date keeps its parts again: the next run checks the texts edited since, not those of
    every edit since the last full run."""
    from cicatext.store.validation import per_file

    validate(demo_repo)
    _edit(demo_repo, EN, "\n\n", "\n\n[x] ")
    validate(demo_repo)
    checked: list[str] = []
    real = per_file.check_one
    monkeypatch.setattr(per_file, "check_one", lambda repo, file, kind: checked.append(file) or real(repo, file, kind))
    _edit(demo_repo, DRAFT_3, "\n\n", "\n\n[x] ")
    found = validate(demo_repo)
    assert checked == [DRAFT_3]
    assert found == validate(demo_repo, use_cache=False)



def _ignore(repo, relative: str) -> None:
    """Take a text out of git's listing: untracked, then ignored by the repository's own exclude file."""
    repo.run_git("rm", "-q", "--cached", relative)
    repo.run_git("commit", "-q", "-m", "Untrack a text")
    (repo.root / ".git/info/exclude").write_text(f"{relative}\n", encoding="utf-8")


def test_an_ignored_text_that_appears_later_is_read(demo_repo):
    """A declared text git ignores, absent at a full run, appears (git's listing stays the same); another text is then
    edited: the run reads the new text for its document's languages, as a run without caches does."""
    ru = (demo_repo.root / RU).read_text(encoding="utf-8")
    _ignore(demo_repo, RU)
    (demo_repo.root / RU).unlink()
    validate(demo_repo)
    (demo_repo.root / RU).write_text(ru + "\n{#extra} Ещё.\n", encoding="utf-8")
    _edit(demo_repo, DRAFT_3, "\n\n", "\n\n[x] ")
    found = validate(demo_repo)
    assert found == validate(demo_repo, use_cache=False)
    assert any("paragraph extra is not in the en text" in p.message for p in found)


def test_an_ignored_text_edited_after_a_run_is_read_again(demo_repo):
    """A declared text git ignores is read by the languages' check: edited with nothing else changed, it is read
    again, not answered from the kept result."""
    _ignore(demo_repo, RU)
    assert validate(demo_repo) == validate(demo_repo, use_cache=False)
    path = demo_repo.root / RU
    path.write_text(path.read_text(encoding="utf-8") + "\n{#extra} Ещё.\n", encoding="utf-8")
    found = validate(demo_repo)
    assert found == validate(demo_repo, use_cache=False)
    assert any("paragraph extra is not in the en text" in p.message for p in found)


def test_damaged_entries_of_the_per_file_cache_are_checked_again(demo_repo):
    """An entry of the per-file cache that is not what it writes (a number, a problem with a field no problem has) is
    no result: that file is checked again, where validate stopped with a TypeError."""
    from cicatext.store.layout import VALIDATION_CACHE

    validate(demo_repo)
    path = demo_repo.root / CACHE_DIR / VALIDATION_CACHE
    kept = marshal.loads(path.read_bytes())
    blob, record, _ = kept["files"][EN]
    kept["files"][EN] = [blob, record, [{"no such field": 1}]]
    kept["files"][DRAFT_3] = 5
    path.write_bytes(marshal.dumps(kept))
    (demo_repo.root / CACHE_DIR / VALIDATION_PARTS).unlink()
    (demo_repo.root / CACHE_DIR / VALIDATION_RESULT).unlink()
    assert validate(demo_repo) == validate(demo_repo, use_cache=False)


def test_the_watchers_token_is_kept_only_with_parts_of_the_same_listing(demo_repo):
    """A run that gives the kept result again stamps the watcher's token on the parts only when they were made from
    the same listing: parts left from before (their writing failed since) would otherwise vouch for edits they
    never saw."""
    from cicatext.store.files import read_marshal, write_marshal_quietly
    from cicatext.store.validation.listing import Listing

    validate(demo_repo)
    path = demo_repo.root / CACHE_DIR / VALIDATION_PARTS
    listing = Listing(demo_repo.root)
    listing.token, listing.outside = "cicatext:1.1:0", []
    kept = read_marshal(path)
    write_marshal_quietly(path, {**kept, "stale": {EN: "0" * 40}})
    since.watched_as(demo_repo, listing)
    assert read_marshal(path)["watched"] is None
    write_marshal_quietly(path, kept)
    since.watched_as(demo_repo, listing)
    assert read_marshal(path)["watched"]["token"] == "cicatext:1.1:0"
