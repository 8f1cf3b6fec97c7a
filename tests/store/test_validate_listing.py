"""`validate`'s listing of the files: a run where nothing changed is known from git's bytes, and every change, even
one git reports the same way twice, is seen."""

from cicatext.store.layout import CACHE_DIR, VALIDATION_PARTS
from cicatext.store.register.create import import_text
from cicatext.store.validation.listing import Listing
from cicatext.store.validation.validate import validate


def _repo(new_repo):
    import_text(new_repo, "The Council,\n\n1. Decides [to act] (+IND);\n", symbol="MC/2024/DRAFT/1", title="T",
                kind="decision")
    return new_repo


def test_nothing_changed_gives_the_kept_result_without_a_value_per_file(new_repo, monkeypatch):
    """The second run of an unchanged repository answers from the digest of git's listing, never making the files'
    blob ids one by one."""
    repo = _repo(new_repo)
    first = validate(repo)

    def refuse(self):
        raise AssertionError("the files were listed one by one")

    monkeypatch.setattr(Listing, "ids", refuse)
    assert validate(repo) == first


def test_the_same_file_changed_twice_is_seen_each_time(new_repo):
    """git reports a file changed twice in the same words; the digest holds its content, so each change is checked."""
    repo = _repo(new_repo)
    path = repo.root / "documents/mc-2024-draft-1/en.txt"
    assert validate(repo) == []
    path.write_text("The Council,\n\n1. Decides [to act] (+INDD);\n", encoding="utf-8")
    assert [p.message for p in validate(repo)][:1] == ["unknown delegation code 'INDD'"]
    path.write_text("The Council,\n\n1. Decides [to act] (+INDX);\n", encoding="utf-8")  # the same size
    second = validate(repo)
    assert [p.message for p in second][:1] == ["unknown delegation code 'INDX'"]
    assert second == validate(repo, use_cache=False)


def test_the_digest_follows_the_files_ids(new_repo):
    """Two listings of the same files give the same digest; a new untracked file, a deletion or an edit another."""
    repo = _repo(new_repo)
    digests = [Listing(repo.root).digest(), Listing(repo.root).digest()]
    (repo.root / "meetings").mkdir(exist_ok=True)
    (repo.root / "meetings/m1.yaml").write_text("id: m1\n", encoding="utf-8")
    digests.append(Listing(repo.root).digest())
    (repo.root / "meetings/m1.yaml").write_text("id: m2\n", encoding="utf-8")
    digests.append(Listing(repo.root).digest())
    (repo.root / "documents/mc-2024-draft-1/en.txt").unlink()
    digests.append(Listing(repo.root).digest())
    assert digests[0] == digests[1] and len(set(digests)) == 4
    assert "documents/mc-2024-draft-1/en.txt" not in Listing(repo.root).ids()


def test_validate_gives_the_collector_back_what_it_set_aside(new_repo, monkeypatch):
    """What validate sets aside from the garbage collector for its run is given back after it, and when it fails."""
    import gc

    import pytest

    from cicatext.store.validation.per_file import ValidationCache

    repo = _repo(new_repo)
    (repo.root / "documents/mc-2024-draft-1/en.txt").write_text("The Council,\n\n1. Decides;\n", encoding="utf-8")
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    validate(repo)
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    def fail(*args):
        raise OSError("the cache cannot be read")

    monkeypatch.setattr(ValidationCache, "open", fail)
    (repo.root / "documents/mc-2024-draft-1/en.txt").write_text("The Council,\n\n1. Notes;\n", encoding="utf-8")
    (repo.root / CACHE_DIR / VALIDATION_PARTS).unlink()  # a full run, not the last run's parts brought up to date
    with pytest.raises(OSError):
        validate(repo)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_files_in_folders_git_tracks_nothing_in_are_each_listed(new_repo):
    """A new folder git tracks nothing in is named by `git status` as a folder: its files are listed one by one, as
    git lists every untracked file, those it ignores left out, however deep."""
    repo = _repo(new_repo)
    files = {
        "documents/mc-2024-draft-2/document.yaml": "symbol: MC/2024/DRAFT/2\n",
        "documents/mc-2024-draft-2/en.txt": "Text.\n",
        "documents/mc-2024-draft-2/notes/deeper/n.txt": "x\n",
        "documents/mc-2024-draft-2/scratch.tmp": "ignored\n",
        "meetings/m1.yaml": "id: m1\n",
        "only-ignored/a.tmp": "ignored\n",
    }
    for name, text in files.items():
        (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / name).write_text(text, encoding="utf-8")
    (repo.root / ".gitignore").write_text((repo.root / ".gitignore").read_text() + "*.tmp\n")
    listing = Listing(repo.root)
    every = repo.run_git("status", "--porcelain", "-z", "--untracked-files=all").stdout.split("\0")
    untracked = {entry[3:] for entry in every if entry.startswith("?? ") and not entry[3:].startswith(CACHE_DIR)}
    assert listing.untracked == untracked
    assert untracked == {name for name in files if not name.endswith(".tmp")}
    assert set(listing.stale) == untracked | {".gitignore"}
    assert listing.ids()["documents/mc-2024-draft-2/en.txt"] == repo.run_git(
        "hash-object", "documents/mc-2024-draft-2/en.txt").stdout.strip()


def test_folders_named_like_pathspec_magic_are_listed_as_named(new_repo):
    """Untracked folders named `:notes` and `:(x)` are listed by their names, not read as git pathspec magic: their
    files are validated (in no place cicatext knows), and git still lists the files, leaving those it ignores out."""
    repo = _repo(new_repo)
    for name in (":notes/draft.txt", ":(x)/a.txt", "ignored/b.txt"):
        (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / name).write_text("x\n", encoding="utf-8")
    (repo.root / ".git/info/exclude").write_text("ignored/\n", encoding="utf-8")
    listing = Listing(repo.root)
    assert listing.staged is not None
    assert {":notes/draft.txt", ":(x)/a.txt"} <= set(listing.ids()) and "ignored/b.txt" not in listing.ids()
    placed = {p.file for p in validate(repo) if p.code == "place"}
    assert placed == {":notes/draft.txt", ":(x)/a.txt"}


def test_files_git_ignores_where_the_checks_read_are_named(new_repo):
    """A document text or record git ignores is named by the listing (validate keeps no result for it); files git
    ignores elsewhere, and the cache folder, are not."""
    repo = _repo(new_repo)
    (repo.root / ".git/info/exclude").write_text("*.tmp\ndocuments/mc-2024-draft-1/fr.txt\nbuild/\n",
                                                 encoding="utf-8")
    for name in ("documents/mc-2024-draft-1/fr.txt", "documents/mc-2024-draft-1/.en.txt.tmp", "build/x.yaml"):
        (repo.root / name).parent.mkdir(parents=True, exist_ok=True)
        (repo.root / name).write_text("x\n", encoding="utf-8")
    validate(repo)
    assert Listing(repo.root).ignored_read == ["documents/mc-2024-draft-1/fr.txt"]
