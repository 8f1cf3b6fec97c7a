"""The benchmark corpus (bench/make_corpus.py): deterministic for a seed, valid, and validated incrementally."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from make_corpus import make_corpus, tree_digest  # noqa: E402

from cicatext.store.repository import Repository  # noqa: E402
from cicatext.store.validation.validate import validate  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A tiny corpus: 5 documents, 30 delegations (two beyond the registry's 28), 1 round."""
    return make_corpus(tmp_path_factory.mktemp("corpus") / "a", 5, 30, 1)


def test_same_seed_same_tree(corpus, tmp_path):
    """Two corpora made with the same seed and sizes hold the same files on main and every branch."""
    again = make_corpus(tmp_path / "b", 5, 30, 1)
    assert tree_digest(again) == tree_digest(corpus)


def test_corpus_validates_clean(corpus, tmp_path):
    """The corpus has no problem at all: records, texts, links, rules and attributions."""
    assert validate(Repository(corpus), use_cache=False) == []


def test_corpus_has_branches_rounds_and_extra_states(corpus):
    """Delegations beyond the 28 are registered, each has a branch, and the round is tagged."""
    repo = Repository(corpus)
    assert {"S029", "S030"} <= repo.codes
    branches = repo.run_git("for-each-ref", "--format=%(refname:short)", "refs/heads/delegations/").stdout.split()
    assert len(branches) == 30
    assert len(repo.run_git("tag", "--list", "round/*").stdout.split()) == 1


def test_one_character_change_is_caught_after_a_cached_run(corpus, tmp_path):
    """With every result cached, changing one character of one text is reported on the next run."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy, symlinks=True)
    repo = Repository(copy)
    assert validate(repo) == []
    assert validate(repo) == []
    text = next((copy / "documents").glob("*/en.txt"))
    content = text.read_text(encoding="utf-8")
    text.write_text(content.replace("]", "", 1), encoding="utf-8")  # one character: a bracket left open
    problems = validate(repo)
    assert any(p.file and p.file.endswith("en.txt") for p in problems)


def test_attribution_cache_follows_main(corpus, tmp_path):
    """An attribution typed into a text by hand and committed is reported although an earlier run was cached."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy, symlinks=True)
    repo = Repository(copy)
    assert validate(repo) == []
    text = next((copy / "documents").glob("*/en.txt"))
    relative = text.relative_to(copy).as_posix()
    lines = text.read_text(encoding="utf-8").split("\n\n")
    lines[-1] = lines[-1].rstrip("\n") + " [by hand] (+IND)\n"
    repo.commit({relative: "\n\n".join(lines)}, "An edit that is no round")
    problems = validate(repo)
    assert [p.code for p in problems] == ["attribution"]
