"""What a confidential record gives away: not its file's name, and not its plaintext in the work tree unless asked."""

from __future__ import annotations

import stat
import subprocess

from cicatext.cli.main import main
from cicatext.store.trust.confidential import (
    _encrypt,
    _recipient_keys,
    add_record,
    open_record,
    share_record,
)
from cicatext.store.trust.keys import load_keyring
from tests.trust.test_confidential import SECRET, keyed  # noqa: F401 - the fixture

NAME = "ind-troop-rotation-notice-0714.txt"


def _all_objects(repo) -> bytes:
    return subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo.root, capture_output=True,
                          check=True).stdout


def test_the_file_name_is_in_no_git_object(keyed):  # noqa: F811
    """The source file's name is kept inside the encrypted payload: no object holds it, a reader gets it back."""
    repo, keys, source = keyed
    named = source.with_name(NAME)
    source.rename(named)
    record = add_record(repo, named, provider="IND", recipients=["CHN"], title="Notice")
    share_record(repo, record.id, to="IRAN", identity=keys["IND"])
    assert NAME.encode() not in _all_objects(repo)
    assert b"troop-rotation" not in _all_objects(repo)
    assert open_record(repo, record.id, identity=keys["IRAN"]) == (SECRET, NAME)
    assert open_record(repo, record.id, identity=keys["CHN"]) == (SECRET, NAME)


def test_a_record_made_before_still_reads(keyed):  # noqa: F811
    """A record whose payload is the bare content and whose name is in the metadata reads as before."""
    from cicatext.store import yamlio

    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    meta, cipher = f"confidential/{record.id}.yaml", f"confidential/{record.id}.age"
    data = yamlio.load(repo.read_text(meta))
    data["name"] = "old.txt"
    old = _encrypt(SECRET, _recipient_keys(load_keyring(repo), ["IND", "CHN"]))
    repo.commit({meta: yamlio.dump(data), cipher: old}, "a record as cicatext wrote it before")
    assert open_record(repo, record.id, identity=keys["CHN"]) == (SECRET, "old.txt")


def test_show_output_inside_the_repository_is_refused(keyed, capsys):  # noqa: F811
    """`show -o` into the work tree is refused with why, and nothing is written; --inside-repository allows it."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    inside = repo.path("notice.txt")
    args = ["confidential", "show", record.id, "--identity", str(keys["CHN"]), "-C", str(repo.root), "-o", str(inside)]
    assert main(args) == 2
    said = capsys.readouterr().err
    assert "notice.txt lies inside the repository" in said and "--inside-repository" in said
    assert not inside.exists()
    assert main([*args, "--inside-repository"]) == 0
    assert inside.read_bytes() == SECRET


def test_show_output_outside_is_written_for_its_owner_only(keyed, tmp_path, capsys):  # noqa: F811
    """`show -o` outside the repository writes the exact bytes, mode 600, and names the file it was provided as."""
    repo, keys, source = keyed
    record = add_record(repo, source, provider="IND", recipients=["CHN"])
    target = tmp_path / "out" / "notice.txt"
    assert main(["confidential", "show", record.id, "--identity", str(keys["CHN"]), "-C", str(repo.root),
                 "-o", str(target)]) == 0
    assert target.read_bytes() == SECRET
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert f"(provided as {source.name})" in capsys.readouterr().err
