"""Bringing the search index file up to date after a change: what it holds then equals a file built afresh.

A document indexed again keeps its id and only the words whose paragraphs
changed have their postings rewritten, so the file's words and postings are
compared, by document folder, with those of a file built from nothing.
"""

from __future__ import annotations

import shutil
import sqlite3

from cicatext.store.layout import CACHE_DIR, REGISTER_CACHE
from cicatext.store.register.search import open_index
from cicatext.store.register.search_file import index_path, unpack_postings

from .test_search_index import QUERIES, assert_same_answers

DRAFT = "documents/mc-2023-draft-5"


def contents(repo) -> tuple[dict, dict, dict]:
    """The index file's vocabulary with counts, each word's postings by folder, and each folder's row."""
    database = sqlite3.connect(index_path(repo))
    try:
        slugs = dict(database.execute("SELECT id, slug FROM documents"))
        rows = {slug: row for slug, *row in database.execute(
            "SELECT slug, symbol, current_symbol, title, paragraphs FROM documents")}
        words = dict(database.execute("SELECT word, paragraphs FROM words"))
        postings: dict[str, dict[str, list[int]]] = {}
        for word, entries in database.execute("SELECT word, entries FROM postings"):
            for document, numbers in unpack_postings(entries).items():
                postings.setdefault(word, {})[slugs[document]] = list(numbers)
    finally:
        database.close()
    return words, postings, rows


def assert_as_built_afresh(repo) -> None:
    """The file, brought up to date, holds what a file built from the files as they are now holds."""
    open_index(repo)
    updated = contents(repo)
    index_path(repo).unlink()
    open_index(repo)
    assert updated == contents(repo)


def document_id(repo, slug: str) -> int:
    database = sqlite3.connect(index_path(repo))
    try:
        return database.execute("SELECT id FROM documents WHERE slug = ?", (slug,)).fetchone()[0]
    finally:
        database.close()


def test_an_edit_keeps_the_document_and_rewrites_only_its_changed_words(demo_repo):
    """A one-letter edit: the document keeps its id; a word's count and postings move; the rest is as built."""
    open_index(demo_repo)
    before_id = document_id(demo_repo, "mc-2023-draft-5")
    words, postings, _ = contents(demo_repo)
    untouched = {word: found for word, found in postings.items() if "mc-2023-draft-5" not in found}
    path = demo_repo.path(f"{DRAFT}/en.txt")
    path.write_text(path.read_text(encoding="utf-8").replace("Ministers", "Ministerz", 1), encoding="utf-8")
    hits = open_index(demo_repo).search("ministerz")
    assert (hits[0].slug, hits[0].paragraph, hits[0].score) == ("mc-2023-draft-5", "pp1", 100)
    assert document_id(demo_repo, "mc-2023-draft-5") == before_id
    after_words, after_postings, _ = contents(demo_repo)
    assert after_words["ministerz"] == 1 and after_postings["ministerz"] == {"mc-2023-draft-5": [0]}
    assert after_words.get("ministers", 0) == words["ministers"] - 1  # a word no paragraph holds leaves
    assert all(after_postings[word] == found for word, found in untouched.items())
    assert_as_built_afresh(demo_repo)


def test_paragraphs_added_and_removed_renumber_the_words_as_built(demo_repo):
    """A paragraph inserted first (every later one moves) and one removed: postings as a fresh build has them."""
    open_index(demo_repo)
    path = demo_repo.path(f"{DRAFT}/en.txt")
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n\n", 1)
    _, rest = rest.split("\n\n", 1)
    path.write_text("{#pp0} The quokkas of Zanzibar open the text;\n\n" + first + "\n\n" + rest, encoding="utf-8")
    index = open_index(demo_repo)
    assert index.search("quokkas zanzibar")[0].paragraph == "pp0"
    assert all(hit.paragraph != "pp2" for hit in index.search("integration of volunteerism")
               if hit.slug == "mc-2023-draft-5")
    assert_same_answers(demo_repo, QUERIES + ["quokkas", "integration of volunteerism"])
    assert_as_built_afresh(demo_repo)


def test_a_text_removed_from_a_document_is_no_longer_found(demo_repo):
    """A language's text deleted from a folder: its paragraphs and the words only it held leave the index."""
    assert any(hit.language == "ru" for hit in open_index(demo_repo).search("препроводить"))
    demo_repo.path("documents/swg-739/ru.txt").unlink()
    index = open_index(demo_repo)
    assert all(hit.language != "ru" for hit in index.search("Секретариат"))
    words, _, _ = contents(demo_repo)
    assert "препроводить" not in words and "секретариат" in words  # the English text holds it too
    assert_as_built_afresh(demo_repo)


def test_a_record_edit_changes_the_title_searched(demo_repo):
    """A document's title changed in its record is what a search by title finds next."""
    open_index(demo_repo)
    record = demo_repo.path(f"{DRAFT}/document.yaml")
    record.write_text(record.read_text(encoding="utf-8").replace(
        "en: Draft statement of the CICA", "en: Quokka statement of the CICA", 1), encoding="utf-8")
    hits = open_index(demo_repo).search("Quokka statement")
    assert (hits[0].kind, hits[0].slug) == ("document", "mc-2023-draft-5")
    assert contents(demo_repo)[2]["mc-2023-draft-5"][2].startswith("Quokka statement")
    assert_as_built_afresh(demo_repo)


def test_documents_added_and_removed_together_are_as_built(demo_repo):
    """One folder removed and a new one added in the same update: the new one found, the old one gone."""
    open_index(demo_repo)
    shutil.copytree(demo_repo.path(DRAFT), demo_repo.path("documents/mc-2023-draft-9"))
    new = demo_repo.path("documents/mc-2023-draft-9/en.txt")
    new.write_text("{#op1} 1. The quokkas of Zanzibar rejoice.\n", encoding="utf-8")
    shutil.rmtree(demo_repo.path("documents/mc-2023-draft-4"))
    index = open_index(demo_repo)
    assert index.search("quokkas zanzibar")[0].slug == "mc-2023-draft-9"
    assert all(hit.slug != "mc-2023-draft-4" for query in QUERIES for hit in index.search(query))
    assert_as_built_afresh(demo_repo)


def test_a_search_after_an_edit_leaves_the_registers_cache_alone(demo_repo):
    """The edited document is read from its folder alone: the register's cache of every document is not rewritten."""
    from cicatext.store.register.catalogue import load_catalogue

    load_catalogue(demo_repo)
    open_index(demo_repo)
    cache = demo_repo.path(f"{CACHE_DIR}/{REGISTER_CACHE}")
    kept = cache.stat()
    path = demo_repo.path(f"{DRAFT}/en.txt")
    path.write_text(path.read_text(encoding="utf-8").replace("Ministers", "Ministerz", 1), encoding="utf-8")
    assert open_index(demo_repo).search("ministerz")[0].slug == "mc-2023-draft-5"
    now = cache.stat()
    assert (now.st_ino, now.st_mtime_ns, now.st_size) == (kept.st_ino, kept.st_mtime_ns, kept.st_size)


def test_an_edit_reads_the_edited_text_once(demo_repo, monkeypatch):
    """Bringing the file up to date after an edit reads the edited text once, for its paragraphs, and no other text."""
    from cicatext.store.repository import Repository

    open_index(demo_repo)
    path = demo_repo.path(f"{DRAFT}/en.txt")
    path.write_text(path.read_text(encoding="utf-8").replace("Ministers", "Ministerz", 1), encoding="utf-8")
    read: list[str] = []
    real = Repository.read_text
    monkeypatch.setattr(Repository, "read_text", lambda repo, relative, *args, **kwargs: read.append(str(relative))
                        or real(repo, relative, *args, **kwargs))
    assert open_index(demo_repo).search("ministerz")[0].slug == "mc-2023-draft-5"
    assert [relative for relative in read if relative.endswith(".txt")] == [f"{DRAFT}/en.txt"]


def test_names_from_the_records_alone_are_those_of_the_summaries(demo_repo):
    """Symbols and title read from a folder's record alone are the summary's, for a record that does not load, one
    with values of the wrong type, and a folder with no record."""
    from cicatext.store.register.catalogue import load_catalogue, names_of

    demo_repo.path("documents/mc-2023-draft-4/document.yaml").write_text("symbol: [unclosed\n", encoding="utf-8")
    record = demo_repo.path(f"{DRAFT}/document.yaml")
    record.write_text(record.read_text(encoding="utf-8") + "status: 7\n", encoding="utf-8")
    demo_repo.path("documents/no-record").mkdir()
    summaries = load_catalogue(demo_repo, use_cache=False).documents
    slugs = [summary.slug for summary in summaries] + ["no-record", "no-such-folder"]
    assert names_of(demo_repo, slugs) == {s.slug: (s.symbol, s.current_symbol, s.title) for s in summaries}
    assert {s.slug: s.problem is not None for s in summaries}["mc-2023-draft-4"]


def test_a_stray_text_file_in_a_document_folder_leaves_search_and_the_register_working(demo_repo, capsys):
    """A file such as `en copy.txt` beside a document's texts is no language's text: search and the register pass it
    over (validate names it) and opening the document names it as a problem, where each stopped with "'en copy' is
    not a language"."""
    from cicatext.cli.main import main
    from cicatext.store.register.catalogue import load_catalogue
    from cicatext.store.register.texts import load_document
    from cicatext.store.validation.validate import validate

    folder = demo_repo.root / "documents" / "mc-2023-draft-5"
    shutil.copy(folder / "en.txt", folder / "en copy.txt")
    assert main(["search", "intercultural", "-C", str(demo_repo.root)]) == 0
    assert "MC/2023/DRAFT/5" in capsys.readouterr().out
    assert any(row.symbol == "MC/2023/DRAFT/5" for row in load_catalogue(demo_repo).documents)
    [stray] = [p for p in validate(demo_repo) if p.file == "documents/mc-2023-draft-5/en copy.txt"]
    assert stray.message.endswith("is no text of the document: 'en copy' is not a language") and "rename" in stray.hint
    opened = load_document(demo_repo, "mc-2023-draft-5")
    assert set(opened.readings) == {"en"}
    assert [p.file for p in opened.problems] == ["documents/mc-2023-draft-5/en copy.txt"]
