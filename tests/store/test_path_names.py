"""Names that become paths follow their grammar: a language, slug, code or record id cannot climb into another file."""

from __future__ import annotations

import subprocess

import pytest

from cicatext.errors import UsageError
from cicatext.store import layout
from tests.negotiation.conftest import SLUG, SYMBOL, TEXT, add_volunteer_document, cli

CLIMBING = ["../mc-2023-draft-5/en", "..", "en/../../keys", "", "e n", "en\n", "EN/x", "/etc/passwd", "en\x00"]


@pytest.mark.parametrize("build", [
    lambda bad: layout.document_text_path(SLUG, bad),
    lambda bad: layout.document_text_path(bad, "en"),
    lambda bad: layout.document_record_path(bad),
    lambda bad: layout.document_folder(bad),
    lambda bad: layout.delegation_folder(bad),
    lambda bad: layout.position_set_path(bad, SLUG),
    lambda bad: layout.position_set_path("IND", bad),
    lambda bad: layout.body_record_path(bad),
    lambda bad: layout.meeting_path(bad),
    lambda bad: layout.note_path(bad),
    lambda bad: layout.coordinator_path(bad),
    lambda bad: layout.concept_paper_path(bad),
    lambda bad: layout.record_source("review", bad),
    lambda bad: layout.cover_note_template_path(bad),
    lambda bad: layout.confidential_paths(bad),
])
@pytest.mark.parametrize("bad", CLIMBING)
def test_every_path_builder_checks_its_names(build, bad):
    """No function of the layout builds a path from a name outside its grammar, and the error says the grammar."""
    with pytest.raises(UsageError, match=r"is not a (language|slug|code|record id): a \1 is "):
        build(bad)


def test_good_names_still_make_paths():
    """The names the repository uses pass."""
    assert layout.document_text_path("fccc-adp-2015-l.6", "zh") == "documents/fccc-adp-2015-l.6/zh.txt"
    assert layout.position_set_path("IRAN", SLUG) == f"positions/IRAN/{SLUG}.yaml"
    assert layout.meeting_path("swg-2023-06") == "meetings/swg-2023-06.yaml"
    assert layout.confidential_paths("c20230614-1a2b3c4d")[1] == "confidential/c20230614-1a2b3c4d.age"


def _head(repo) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo.root, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_import_lang_cannot_overwrite_another_document(new_repo, tmp_path, capsys):
    """`import --lang ../mc-2023-draft-5/en` is refused with the grammar; the other document's text is untouched."""
    add_volunteer_document(new_repo)
    before, head = new_repo.path(TEXT).read_bytes(), _head(new_repo)
    source = tmp_path / "draft.txt"
    source.write_text("1. Hostile text replacing the other document.\n", encoding="utf-8")
    code = cli("import", str(source), "--symbol", "MC/2023/DRAFT/6", "--title", "Six",
               "--lang", "../mc-2023-draft-5/en", "-C", str(new_repo.root))
    said = capsys.readouterr().err
    assert code == 2  # a usage error, as for any argument outside its grammar
    assert "'../mc-2023-draft-5/en' is not a language" in said and "two or three lowercase letters" in said
    assert new_repo.path(TEXT).read_bytes() == before
    assert _head(new_repo) == head
    assert not new_repo.path("documents/mc-2023-draft-6").exists()


@pytest.mark.parametrize("args", [
    ("export", SYMBOL, "--lang", "../mc-2023-draft-5/en", "--format", "txt"),
    ("agree", SYMBOL, "op1:abcd", "--lang", "../../keys/allowed_signers"),
    ("confidential", "show", "../keys/allowed_signers", "--identity", "/dev/null"),
])
def test_commands_refuse_climbing_names(new_repo, capsys, args):
    """Every command taking a name that becomes a path refuses one that climbs, as a usage error (exit 2) with no traceback."""
    add_volunteer_document(new_repo)
    code = cli(*args, "-C", str(new_repo.root))
    said = capsys.readouterr()
    assert code == 2, said
    assert "is not a " in said.err and "Traceback" not in said.err
