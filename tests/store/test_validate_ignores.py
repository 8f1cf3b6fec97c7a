"""Whether git's ignore rules could hide a file validate reads, told from the rules and the few names they could
match: the walk for ignored files is made only then, and a listing made without it still sees every change."""

import subprocess

import pytest

from cicatext.store.validation.ignores import could_hide_read_files, rule_of
from cicatext.store.validation.listing import Listing
from cicatext.store.validation.validate import validate


def _hides(repo, rules: str, *, gitignores: tuple[str, ...] = (), excludes: str | None = None) -> bool:
    (repo.root / ".git/info/exclude").write_text(rules, encoding="utf-8")
    return could_hide_read_files(repo.root, excludes, list(gitignores))


@pytest.mark.parametrize("rules", [
    "",
    "# a comment\n\n",
    ".cicatext/\n",
    "*.swp\n*~\n.DS_Store\n__pycache__/\n*.docx\n~$*\n",
    "/build\n/bench/out/\nbuild/\n",
    "!documents/\n",
    "notes/drafts/\n",
])
def test_rules_that_touch_no_read_file(new_repo, rules):
    assert not _hides(new_repo, rules)


@pytest.mark.parametrize("rules", [
    "*\n",
    "*.txt\n",
    "*.yaml\n",
    "documents\n",
    "/documents/\n",
    "document.yaml\n",
    ".gitignore\n",
    "documents/**/x\n",
    "foo\\ \n",
    "notes/templates/\n",
    "registry/states/[a-c]*.yaml\n",
])
def test_rules_that_could(new_repo, rules):
    """Each could hide a file that stands there now (a text, a record, a template)."""
    from cicatext.store.register.create import import_text

    import_text(new_repo, "The Council,\n\n1. Decides;\n", symbol="MC/2024/DRAFT/1", title="T", kind="decision")
    (new_repo.root / "notes/templates").mkdir(parents=True)
    (new_repo.root / "notes/templates/cover.md").write_text("x", encoding="utf-8")
    assert _hides(new_repo, rules)


def test_a_name_rule_counts_once_a_folder_so_named_stands_where_a_name_is_free(new_repo):
    """`*.bak` or `old` hide nothing validate reads until a document folder (any name) is so named."""
    assert not _hides(new_repo, "*.bak\nold\n")
    (new_repo.root / "documents/draft.bak").mkdir(parents=True)
    assert _hides(new_repo, "*.bak\n")
    assert not _hides(new_repo, "old\n")
    (new_repo.root / "documents/old").mkdir()
    assert _hides(new_repo, "old\n")


def test_a_template_so_named_counts(new_repo):
    templates = new_repo.root / "notes/templates"
    templates.mkdir(parents=True, exist_ok=True)
    assert not _hides(new_repo, "*.bak\n")
    (templates / "cover.md.bak").write_text("x", encoding="utf-8")
    assert _hides(new_repo, "*.bak\n")


def test_an_anchored_path_counts_while_it_exists(new_repo):
    assert not _hides(new_repo, "documents/mc-2024-draft-1/fr.txt\n")
    (new_repo.root / "documents/mc-2024-draft-1").mkdir(parents=True)
    (new_repo.root / "documents/mc-2024-draft-1/fr.txt").write_text("x", encoding="utf-8")
    assert _hides(new_repo, "documents/mc-2024-draft-1/fr.txt\n")


def test_the_sources_git_reads(new_repo, tmp_path):
    """A `.gitignore` below a data folder counts whatever it says; one elsewhere reaches nothing read; the user's
    excludes file is read like the repository's."""
    (new_repo.root / "documents/x").mkdir(parents=True)
    (new_repo.root / "documents/x/.gitignore").write_text("# only a comment\nscratch\n", encoding="utf-8")
    (new_repo.root / "bench").mkdir()
    (new_repo.root / "bench/.gitignore").write_text("*\n", encoding="utf-8")
    assert not _hides(new_repo, "", gitignores=("bench/.gitignore",))
    assert _hides(new_repo, "", gitignores=("documents/x/.gitignore",))
    user = tmp_path / "user-ignore"
    user.write_text("cicatext.yaml\n", encoding="utf-8")
    assert _hides(new_repo, "", excludes=str(user))
    assert not _hides(new_repo, "", excludes=str(tmp_path / "none"))


def test_rule_lines_read_as_git_reads_them():
    assert rule_of("  ") is None and rule_of("# x") is None and rule_of("!keep") is None
    assert rule_of("build/   ") == "build/" and rule_of("name\\ ") == "name\\ " and rule_of("x\r") == "x"


def test_a_listing_without_the_walk_still_sees_each_change(new_repo):
    """With rules that hide nothing read, the listing comes from git's untracked cache: a text added in a new
    folder, then a `.gitignore` added untracked that hides a text, are each seen as a run without caches sees
    them."""
    from cicatext.store.register.create import import_text

    repo = new_repo
    import_text(repo, "The Council,\n\n1. Decides [to act] (+IND);\n", symbol="MC/2024/DRAFT/1", title="T",
                kind="decision")
    assert validate(repo) == validate(repo, use_cache=False)
    text = repo.root / "documents/mc-2024-draft-1/fr.txt"
    text.write_text("Le Conseil,\n\n1. Décide [d'agir] (+INDD);\n", encoding="utf-8")
    found = validate(repo)
    assert found == validate(repo, use_cache=False)
    assert any("INDD" in p.message for p in found)
    (repo.root / "documents/mc-2024-draft-1/.gitignore").write_text("fr.txt\n", encoding="utf-8")
    listing = Listing(repo.root)
    assert listing.ignored_read == ["documents/mc-2024-draft-1/fr.txt"]
    assert validate(repo) == validate(repo, use_cache=False)


def test_git_keeps_its_untracked_cache_unless_the_repository_says_otherwise(new_repo):
    """The listing asks git to keep what it found untracked in each folder (the index's `UNTR` extension), so a
    later run looks only in the folders that changed; a repository that sets `core.untrackedCache` is obeyed."""
    index = new_repo.root / ".git/index"
    Listing(new_repo.root)
    assert b"UNTR" in index.read_bytes()
    subprocess.run(["git", "-C", str(new_repo.root), "config", "core.untrackedCache", "false"], check=True)
    subprocess.run(["git", "-C", str(new_repo.root), "update-index", "--no-untracked-cache"], check=True,
                   capture_output=True)
    Listing(new_repo.root)
    assert b"UNTR" not in index.read_bytes()


def test_a_rule_git_reads_without_case_counts_whatever_the_case_of_the_names(new_repo):
    """With `core.ignoreCase`, git matches `DOCUMENTS/x/document.yaml` against `documents/x/document.yaml`: such a
    rule could hide a record, though no path of its case stands."""
    from cicatext.store.register.create import import_text

    import_text(new_repo, "The Council,\n\n1. Decides;\n", symbol="MC/2024/DRAFT/1", title="T", kind="decision")
    (new_repo.root / ".git/info/exclude").write_text("/DOCUMENTS/mc-2024-draft-1/document.yaml\n", encoding="utf-8")
    assert not could_hide_read_files(new_repo.root, None, [])
    assert could_hide_read_files(new_repo.root, None, [], ignore_case=True)


def test_a_gitignore_whose_path_holds_a_tab_is_found_whole():
    from cicatext.store.validation.listing import _gitignores

    staged = (b"100644 " + b"a" * 40 + b" 0\tREADME.md\0"
              b"100644 " + b"b" * 40 + b" 0\tdocuments/odd\tname/.gitignore\0"
              b"100644 " + b"c" * 40 + b" 0\t.gitignore\0")
    assert _gitignores(staged) == ["documents/odd\tname/.gitignore", ".gitignore"]


def test_the_state_beyond_the_work_tree_holds_the_settings_git_reads(new_repo, monkeypatch, tmp_path):
    """A change to git's settings given through the environment, or to the system's or a named global
    configuration, changes the state a kept listing is compared under."""
    from cicatext.store.validation.listing import outside_state

    before = outside_state(new_repo.root, None)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    assert outside_state(new_repo.root, None) != before
    monkeypatch.delenv("GIT_CONFIG_COUNT")
    global_config = tmp_path / "global"
    global_config.write_text("[core]\n\texcludesFile = x\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    named = outside_state(new_repo.root, None)
    assert named != before and any(str(global_config) == entry[0] for entry in named[1:])
    (new_repo.root / ".git/info/attributes").write_text("*.txt text\n", encoding="utf-8")
    assert outside_state(new_repo.root, None) != named
