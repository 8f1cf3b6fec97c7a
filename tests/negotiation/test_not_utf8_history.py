"""A text committed in another encoding (Latin-1, cp1251) is one located refusal for the commands that read it
from git, not a traceback: the diff between the commits, and a round on main."""

from __future__ import annotations

from tests.negotiation.conftest import cli, git, snapshot

TEXT = "documents/mc-2023-draft-5/en.txt"


def test_a_committed_text_that_is_not_utf8_is_refused_by_diff_and_round(demo_repo, capsys):
    demo_repo.path(TEXT).write_bytes("1. caf\xe9 [and religious] (-CHN) text.\n".encode("latin-1"))
    git(demo_repo.root, "commit", "-qam", "saved as Latin-1")
    before = snapshot(demo_repo.root)

    code = cli("diff", "main~1", "main", "-C", str(demo_repo.root))
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert f"main:{TEXT}: the file is not UTF-8 text (byte 6)" in err, err

    code = cli("diff", "main~1", "main", "MC/2023/DRAFT/5", "-C", str(demo_repo.root))
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert f"main:{TEXT}: the file is not UTF-8 text (byte 6)" in err, err
    assert "save the file as UTF-8" in err

    code = cli("round", "MC/2023/DRAFT/5", "-C", str(demo_repo.root))
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err, err
    assert f"main:{TEXT}: the file is not UTF-8 text (byte 6)" in err, err
    assert snapshot(demo_repo.root) == before
