"""Telling what changed with git's listing (large repositories): what the index file holds after any change equals a
file built afresh, though only the folders git names, or the index watches, are looked at.

Each test makes the repository count as large (`GIT_FROM`), with git's index
refreshed as in a repository one works in, and looks once so that the index
file keeps its mark, before it changes something.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

import pytest

from cicatext.store import files
from cicatext.store.register import search_changes
from cicatext.store.register.search import open_index
from cicatext.store.register.search_file import index_path
from tests.negotiation.conftest import git

from .test_search_index import QUERIES, assert_same_answers
from .test_search_update import assert_as_built_afresh

DRAFT = "documents/mc-2023-draft-5"


@pytest.fixture(params=["git", "watcher"])
def large(request, demo_repo, monkeypatch):
    """The demo repository, counted as large, its index file built and looked at once (so it holds a mark); each
    test runs twice: with git's listing alone, and with a watcher naming the paths changed since the last look."""
    monkeypatch.setattr(search_changes, "GIT_FROM", 0)
    monkeypatch.delenv("CICATEXT_WATCH", raising=False)
    if request.param == "watcher":
        from cicatext.store.watch import client

        monkeypatch.setenv("CICATEXT_WATCH_IDLE", "120")
        process = client.start(demo_repo.root)
        deadline = time.monotonic() + 20
        while not client.answering(demo_repo.root):
            assert time.monotonic() < deadline, "the watcher did not come up"
            time.sleep(0.05)
        request.addfinalizer(lambda: client.stop(demo_repo.root) and process.wait(timeout=10))
    else:
        monkeypatch.setenv("CICATEXT_WATCH", "0")
    # Every time taken as settled, so that a file edited a moment ago is not looked at again for that alone.
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    git(demo_repo.root, "update-index", "-q", "--refresh")
    open_index(demo_repo)
    open_index(demo_repo)
    assert mark(demo_repo) is not None
    return demo_repo


@pytest.fixture
def looked(monkeypatch):
    """The folders whose files were looked at one by one, in any look."""
    folders: list[str] = []
    real = search_changes._unchanged
    monkeypatch.setattr(search_changes, "_unchanged", lambda folder, *args: folders.append(os.path.basename(folder))
                        or real(folder, *args))
    return folders


def mark(repo) -> tuple[str, set[str]] | None:
    """The index file's mark: the tree it looked from, and the files it watches."""
    database = sqlite3.connect(index_path(repo))
    try:
        row = database.execute("SELECT value FROM meta WHERE key = 'mark'").fetchone()
    finally:
        database.close()
    if row is None:
        return None
    head, _, watched = row[0].split("\n", 2)
    return head.split(" ", 1)[0], set(watched.split("\0")) - {""}


def replace(repo, path: str, old: str, new: str) -> None:
    target = repo.path(path)
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def put_back(repo, path: str) -> None:
    """A text put back as committed, its folder's time left as it was (as an editor writing in place leaves it)."""
    folder = repo.path(path).parent.stat()
    git(repo.root, "checkout", "--", path)
    os.utime(repo.path(path).parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))


def found(repo, query: str) -> list[tuple[str, str | None]]:
    return [(hit.slug, hit.paragraph) for hit in open_index(repo).search(query) if hit.score == 100]


def test_an_edit_in_place_is_found_looking_at_its_folder_alone(large, looked):
    """A one-letter edit: git names the file; its folder alone is looked at file by file; the file is watched."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    assert looked == ["mc-2023-draft-5"]
    assert "mc-2023-draft-5/en.txt" in mark(large)[1]
    assert_as_built_afresh(large)


def test_a_file_put_back_as_committed_is_read_again(large):
    """Edited, searched twice (the second time the file is as indexed, and git still names it), then put back with
    `git checkout`: git names it no more, but it is watched, so it is read again."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz")
    assert found(large, "ministerz")
    put_back(large, f"{DRAFT}/en.txt")
    assert found(large, "ministerz") == []
    assert found(large, "ministers")
    assert_as_built_afresh(large)


def test_a_file_edited_when_the_mark_is_made(large):
    """A text edited and indexed before the mark is made: the mark watches it, so it is read again once put back."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz")
    drop_mark(large)
    open_index(large)
    assert "mc-2023-draft-5/en.txt" in mark(large)[1]
    put_back(large, f"{DRAFT}/en.txt")
    assert found(large, "ministerz") == []
    assert_as_built_afresh(large)


def test_a_commit_then_an_edit_of_the_committed_file(large, request):
    """An edit committed: with git's listing, the mark moves to the new commit and watches nothing (with a watcher,
    which names what changes on the disk whatever is committed, it keeps its commit and watches the file read
    again); an edit after is found again."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz")
    before = mark(large)[0]
    git(large.root, "commit", "-q", "-am", "edit")
    open_index(large)
    tree, watched = mark(large)
    if "watcher" in request.node.name:
        assert tree == before and watched == {"mc-2023-draft-5/document.yaml", "mc-2023-draft-5/en.txt"}
    else:
        assert tree == git(large.root, "rev-parse", "HEAD:documents").strip()
        assert watched == set()
    replace(large, f"{DRAFT}/en.txt", "Ministerz", "Ministerq")
    assert found(large, "ministerq") == [("mc-2023-draft-5", "pp1")]
    assert_as_built_afresh(large)


def test_commits_made_between_two_searches(large):
    """An edit committed before any search: the commits since the mark name it. Then the commit before checked out."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    git(large.root, "commit", "-q", "-am", "edit")
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    git(large.root, "checkout", "-q", "HEAD~1")
    assert found(large, "ministerz") == []
    assert_as_built_afresh(large)


def test_a_staged_edit_and_an_edit_after_it(large):
    """An edit staged with `git add`, then edited again: each is found."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    git(large.root, "add", f"{DRAFT}/en.txt")
    assert found(large, "ministerz")
    replace(large, f"{DRAFT}/en.txt", "Ministerz", "Ministerq")
    assert found(large, "ministerq")
    assert_as_built_afresh(large)


def test_files_git_does_not_track_stay_watched(large):
    """A new document and a new text in a tracked folder, neither added to git: found, and their edits in place too."""
    shutil.copytree(large.path(DRAFT), large.path("documents/mc-2023-draft-9"))
    replace(large, "documents/mc-2023-draft-9/en.txt", "Ministers", "Quokkas")
    large.path(f"{DRAFT}/fr.txt").write_text("{#op1} 1. Les wombats.\n", encoding="utf-8")
    assert found(large, "quokkas") == [("mc-2023-draft-9", "pp1")]
    assert found(large, "wombats") == [("mc-2023-draft-5", "op1")]
    open_index(large)
    _, watched = mark(large)
    assert {"mc-2023-draft-9/en.txt", "mc-2023-draft-5/fr.txt"} <= watched
    # Edits of the same size, their folders' times as they were: git knows nothing of these files.
    for path, old, new in (("documents/mc-2023-draft-9/en.txt", "Quokkas", "Quokkaz"),
                           (f"{DRAFT}/fr.txt", "wombats", "wombatz")):
        folder = large.path(path).parent.stat()
        replace(large, path, old, new)
        os.utime(large.path(path).parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    assert found(large, "quokkaz") == [("mc-2023-draft-9", "pp1")]
    assert found(large, "wombatz") == [("mc-2023-draft-5", "op1")]
    assert_as_built_afresh(large)


def drop_mark(repo) -> None:
    """The index file without its mark, as an earlier version leaves it: the next look makes it from every file."""
    database = sqlite3.connect(index_path(repo))
    with database:
        database.execute("DELETE FROM meta WHERE key = 'mark'")
    database.close()


def test_files_git_does_not_track_when_the_mark_is_made(large):
    """A text git does not track, indexed before the mark is made: the mark watches it, and its edit is found."""
    large.path(f"{DRAFT}/fr.txt").write_text("{#op1} 1. Les wombats.\n", encoding="utf-8")
    assert found(large, "wombats")
    drop_mark(large)
    open_index(large)
    assert "mc-2023-draft-5/fr.txt" in mark(large)[1]
    folder = large.path(DRAFT).stat()
    replace(large, f"{DRAFT}/fr.txt", "wombats", "wombatz")
    os.utime(large.path(DRAFT), ns=(folder.st_atime_ns, folder.st_mtime_ns))
    assert found(large, "wombatz") == [("mc-2023-draft-5", "op1")]
    assert_as_built_afresh(large)


def test_a_file_git_is_told_to_take_as_unchanged(large):
    """A file flagged `--assume-unchanged`, which git then does not look at, is watched and its edit found."""
    git(large.root, "update-index", "--assume-unchanged", f"{DRAFT}/en.txt")
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    assert_as_built_afresh(large)


def test_a_text_behind_a_symbolic_link(large, tmp_path):
    """A text that is a committed symbolic link: an edit of the file it points to is found."""
    outside = tmp_path / "outside.txt"
    shutil.copyfile(large.path(f"{DRAFT}/en.txt"), outside)
    large.path(f"{DRAFT}/en.txt").unlink()
    os.symlink(outside, large.path(f"{DRAFT}/en.txt"))
    git(large.root, "commit", "-q", "-am", "a link")
    open_index(large)
    outside.write_text(outside.read_text(encoding="utf-8").replace("Ministers", "Ministerz", 1), encoding="utf-8")
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    assert_as_built_afresh(large)


def test_texts_and_folders_removed(large):
    """A tracked text deleted and a document folder removed: their words leave the index."""
    large.path("documents/swg-739/ru.txt").unlink()
    shutil.rmtree(large.path("documents/mc-2023-draft-4"))
    index = open_index(large)
    assert all(hit.language != "ru" for hit in index.search("Секретариат"))
    assert all(hit.slug != "mc-2023-draft-4" for query in QUERIES for hit in index.search(query))
    assert_same_answers(large)
    assert_as_built_afresh(large)


def test_a_writer_that_does_not_keep_the_mark_drops_it(large):
    """Any change to a document's row by a writer that does not keep the mark (an earlier version) drops the mark."""
    database = sqlite3.connect(index_path(large))
    with database:
        database.execute("UPDATE documents SET folder = folder + 1 WHERE slug = 'mc-2023-draft-5'")
    database.close()
    assert mark(large) is None
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz")
    assert mark(large) is not None
    assert_as_built_afresh(large)


def test_a_copy_whose_git_index_was_not_refreshed(large):
    """A copy of the repository, git's index not refreshed, so git names every file: the answers are still right."""
    copy = large.root.parent / "copy"
    shutil.copytree(large.root, copy, symlinks=True)
    from cicatext.store.repository import Repository

    copied = Repository(copy)
    replace(copied, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(copied, "ministerz") == [("mc-2023-draft-5", "pp1")]
    assert_same_answers(copied, QUERIES + ["ministerz"])
    assert_as_built_afresh(copied)


def test_a_mark_that_cannot_be_written_leaves_the_file_answering(large, monkeypatch):
    """A commit moves the mark alone; where the file cannot be written, it still answers, from itself, as before."""
    from cicatext.store.register import search_file
    from cicatext.store.register.search import StoredIndex

    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    assert found(large, "ministerz")
    git(large.root, "commit", "-q", "-am", "edit")
    kept = mark(large)

    def refused(database, look):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(search_file, "keep_mark", refused)
    index = open_index(large)
    assert isinstance(index, StoredIndex) and mark(large) == kept
    assert [(hit.slug, hit.paragraph) for hit in index.search("ministerz") if hit.score == 100] == [
        ("mc-2023-draft-5", "pp1")]


def test_a_file_built_afresh_keeps_a_mark_watching_what_differs_from_the_commit(large):
    """A file built afresh marks every text whose content is not the commit's: an edited one and one git does not
    track are watched (the edited one read again once put back); the others are not."""
    replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
    large.path(f"{DRAFT}/fr.txt").write_text("{#op1} 1. Les wombats.\n", encoding="utf-8")
    index_path(large).unlink()
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    assert mark(large)[1] == {"mc-2023-draft-5/en.txt", "mc-2023-draft-5/fr.txt"}
    put_back(large, f"{DRAFT}/en.txt")
    assert found(large, "ministerz") == []
    assert_as_built_afresh(large)


def test_a_text_edited_as_the_build_starts_is_watched(large, monkeypatch):
    """A text edited after git's first look of a build, before the folders are listed: the build indexes the edit,
    and its mark watches the text, so that putting it back is seen."""
    from cicatext.store.register import search_file

    real = search_file.changed_folders

    def edited_first(documents, stored):
        replace(large, f"{DRAFT}/en.txt", "Ministers", "Ministerz")
        return real(documents, stored)

    monkeypatch.setattr(search_file, "changed_folders", edited_first)
    index_path(large).unlink()
    assert found(large, "ministerz") == [("mc-2023-draft-5", "pp1")]
    monkeypatch.setattr(search_file, "changed_folders", real)
    assert "mc-2023-draft-5/en.txt" in mark(large)[1]
