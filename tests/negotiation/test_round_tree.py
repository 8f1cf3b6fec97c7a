"""A round's tree, written tree by tree along the changed paths, is the tree a temporary index of main's whole tree
writes; where it could differ (a mode of another form, an empty folder, an odd name), the index writes it."""

from __future__ import annotations

import os

import pytest

from cicatext.store.negotiation.round_tree import round_tree
from cicatext.store.negotiation.rounds import _index_tree
from tests.negotiation.conftest import git


def _hash(root, content: str) -> str:
    import subprocess

    return subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input=content, capture_output=True,
                          text=True, check=True).stdout.strip()


def _tree(root, entries: dict[str, tuple[str, str]]) -> str:
    """A tree made with mktree from name → (mode, id), as it is given (modes and all)."""
    import subprocess

    kinds = {"40000": "tree", "040000": "tree", "160000": "commit"}
    listing = "".join(f"{mode} {kinds.get(mode, 'blob')} {oid}\t{name}\0" for name, (mode, oid) in entries.items())
    return subprocess.run(["git", "mktree", "-z", "--missing"], cwd=root, input=listing, capture_output=True,
                          text=True, check=True).stdout.strip()


def _commit(root, tree: str, parent: str | None = None) -> str:
    args = ["commit-tree", tree, "-m", "x"] + (["-p", parent] if parent else [])
    return git(root, *args).strip()


def _files_tree(root, files: dict[str, str]) -> str:
    """A tree holding these files (path → content), written through an index as git commits write it."""
    import subprocess

    index = os.path.join(root, ".git", "test-tree.index")
    env = dict(os.environ, GIT_INDEX_FILE=index)
    lines = "".join(f"100644 {_hash(root, content)}\t{path}\n" for path, content in files.items())
    subprocess.run(["git", "update-index", "--add", "--index-info"], cwd=root, input=lines, text=True, env=env,
                   check=True)
    tree = subprocess.run(["git", "write-tree"], cwd=root, capture_output=True, text=True, env=env,
                          check=True).stdout.strip()
    os.unlink(index)
    return tree


MAIN_FILES = {
    "README.md": "readme\n",
    "documents/a-doc/document.yaml": "symbol: A\n",
    "documents/a-doc/en.txt": "{#op1} 1. Text.\n",
    "documents/b-doc/document.yaml": "symbol: B\n",
    "documents/b-doc/en.txt": "{#op1} 1. Other.\n",
    "positions/CHN/a-doc.yaml": "delegation: CHN\n",
    "positions/IND/a-doc.yaml": "delegation: IND\n",
    "positions/TUR/a-doc.yaml": "delegation: TUR\n",
}


@pytest.fixture
def main_commit(new_repo):
    root = new_repo.root
    return new_repo, _commit(root, _files_tree(root, MAIN_FILES))


def _both(repo, main: str, blobs: dict[str, str], folders: dict[str, str]) -> tuple[str | None, str]:
    return round_tree(repo, main, blobs, folders), _index_tree(repo, main, blobs, folders, {})


def _tip(repo, main: str, files: dict[str, str]) -> str:
    """A delegation's tip: main's files with these changed (None removes one)."""
    merged = {path: content for path, content in {**MAIN_FILES, **files}.items() if content is not None}
    return _commit(repo.root, _files_tree(repo.root, merged), main)


def test_files_and_folders_of_an_ordinary_round_make_the_index_tree(main_commit):
    """Texts changed and added, a folder changed with a folder inside it, one gone on its tip, one new."""
    repo, main = main_commit
    blobs = {"documents/a-doc/en.txt": _hash(repo.root, "{#op1} 1. New text.\n"),
             "documents/a-doc/fr.txt": _hash(repo.root, "{#op1} 1. Texte.\n")}
    folders = {
        "CHN": _tip(repo, main, {"positions/CHN/a-doc.yaml": "delegation: CHN\nmore: 1\n",
                                 "positions/CHN/inner/b-doc.yaml": "x\n"}),
        "IND": _tip(repo, main, {"positions/IND/a-doc.yaml": None}),
        "AZER": _tip(repo, main, {"positions/AZER/a-doc.yaml": "delegation: AZER\n"}),
        "TUR": _tip(repo, main, {}),
    }
    ours, index = _both(repo, main, blobs, folders)
    assert ours == index
    listing = git(repo.root, "ls-tree", "-r", "--name-only", ours).split()
    assert "positions/IND/a-doc.yaml" not in listing and "positions/AZER/a-doc.yaml" in listing
    assert "positions/CHN/inner/b-doc.yaml" in listing and "documents/a-doc/fr.txt" in listing


def test_a_file_where_a_folder_stands_and_the_reverse(main_commit):
    """A delegation's folder a file on main and a folder on its tip; another a folder on main and a file on its tip."""
    repo, main = main_commit
    root = repo.root
    top = dict(_ls(root, main))
    positions = dict(_ls(root, top["positions"][1]))
    positions["SEC"] = ("100644", _hash(root, "a file\n"))
    top["positions"] = ("40000", _tree(root, positions))
    odd_main = _commit(root, _tree(root, top), main)
    tip_files = {path: content for path, content in MAIN_FILES.items()}
    tip_files["positions/SEC/a-doc.yaml"] = "delegation: SEC\n"
    del tip_files["positions/CHN/a-doc.yaml"]
    tip_sec = _commit(root, _files_tree(root, tip_files), odd_main)
    chn_as_file = dict(_ls(root, _files_tree(root, MAIN_FILES)))
    chn_positions = dict(_ls(root, chn_as_file["positions"][1]))
    chn_positions["CHN"] = ("100644", _hash(root, "not a folder\n"))
    chn_as_file["positions"] = ("40000", _tree(root, chn_positions))
    tip_chn = _commit(root, _tree(root, chn_as_file), odd_main)
    ours, index = _both(repo, odd_main, {}, {"SEC": tip_sec, "CHN": tip_chn})
    assert ours == index


@pytest.mark.parametrize("oddity", ["mode 100664", "empty folder inside", "name with a space", "empty folder on main"])
def test_trees_an_index_would_write_otherwise_are_written_through_it(main_commit, oddity):
    """A tip's folder, or a tree on main on the way, holding what an index writes otherwise: the index writes the tree."""
    repo, main = main_commit
    root = repo.root
    blobs = {"documents/a-doc/en.txt": _hash(root, "{#op1} 1. New text.\n")}
    top = dict(_ls(root, main))
    positions = dict(_ls(root, top["positions"][1]))
    chn = dict(_ls(root, positions["CHN"][1]))
    if oddity == "mode 100664":
        chn["a-doc.yaml"] = ("100664", chn["a-doc.yaml"][1])
    elif oddity == "empty folder inside":
        chn["nothing"] = ("40000", _tree(root, {}))
    elif oddity == "name with a space":
        chn["a doc.yaml"] = chn["a-doc.yaml"]
    if oddity == "empty folder on main":
        documents = dict(_ls(root, top["documents"][1]))
        documents["empty"] = ("40000", _tree(root, {}))
        top["documents"] = ("40000", _tree(root, documents))
        main = _commit(root, _tree(root, top), main)
        tip = _commit(root, _tree(root, top), main)
    else:
        positions["CHN"] = ("40000", _tree(root, chn))
        top["positions"] = ("40000", _tree(root, positions))
        tip = _commit(root, _tree(root, top), main)
    ours, index = _both(repo, main, blobs, {"CHN": tip})
    assert ours is None and index


def _ls(root, tree: str) -> list[tuple[str, tuple[str, str]]]:
    out = git(root, "ls-tree", "-z", tree)
    entries = []
    for line in out.split("\0"):
        if line:
            head, name = line.split("\t", 1)
            mode, _, oid = head.split(" ")
            entries.append((name, (mode, oid)))
    return entries
