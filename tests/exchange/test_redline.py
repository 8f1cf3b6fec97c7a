"""Word redlines between two revisions: insertions underlined, deletions struck through, word by word."""

from __future__ import annotations

import io

import docx
import pytest

from cicatext.cli.main import main
from cicatext.errors import UsageError
from cicatext.exchange.docx import SKIPPED_STYLES
from cicatext.exchange.redline import redline

from .helpers import edit_paragraph

PATH = "documents/mc-2023-draft-5/en.txt"


def _round_two(repo) -> str:
    """Tag the current text as round 1, then change it as a next round would; returns the tag."""
    repo.run_git("tag", "round/mc-2023-draft-5/1")
    edit_paragraph(repo, PATH, "op2", "both at the national and international levels",
                   "at the national, regional and international levels", "op2 wording")
    edit_paragraph(repo, PATH, "op13", "[, and encourage to assign country operators responsible for supporting "
                   "and promoting such platforms] (CHN tcb)", ", and encourage to assign country operators "
                   "responsible for supporting and promoting such platforms", "op13 agreed")
    text = repo.read_text(PATH)
    start = text.index("{#op15}")
    text = text[:start] + "{#op16} 16. Decide to [review] (+IND) this statement in 2025." + "\n"
    repo.commit({PATH: text}, "drop op15, add op16")
    return "round/mc-2023-draft-5/1"


def _runs(data: bytes):
    word = docx.Document(io.BytesIO(data))
    return word, [(p, r) for p in word.paragraphs for r in p.runs]


def test_redline_marks_insertions_and_deletions_word_by_word(demo_repo):
    """Changed words are struck or underlined, lifted brackets show as deleted marks, whole paragraphs too."""
    tag = _round_two(demo_repo)
    result = redline(demo_repo, "MC/2023/DRAFT/5", tag, "main")
    assert (result.changed, result.inserted, result.deleted) == (2, 1, 1)
    word, runs = _runs(result.data)
    underlined = [r.text for _, r in runs if r.underline]
    struck = [r.text for _, r in runs if r.font.strike]
    assert "both " in struck and ", regional" in underlined
    op13 = next(p for p in word.paragraphs if p.text.startswith("13. "))
    assert [r.text for r in op13.runs if r.font.strike] == ["[", "] (CHN tcb)"]
    op15 = next(p for p in word.paragraphs if "15. Encourage" in p.text)
    assert all(r.font.strike for r in op15.runs)
    op16 = next(p for p in word.paragraphs if "16. Decide" in p.text)
    assert all(r.underline for r in op16.runs)
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs.index(op15.text) < paragraphs.index(op16.text)
    unchanged = next(p for p in word.paragraphs if p.text.startswith("3. Support"))
    assert not any(r.underline or r.font.strike for r in unchanged.runs)
    italic = next(p for p in word.paragraphs if "Recognizing" in p.text)
    assert [r.text for r in italic.runs if r.italic] == ["Recognizing"]


def test_redline_command_writes_the_word_file(demo_repo, tmp_path, capsys):
    """`export --redline` writes the Word file and says what changed."""
    tag = _round_two(demo_repo)
    target = tmp_path / "changes.docx"
    code = main(["export", "MC/2023/DRAFT/5", "--redline", tag, "main", "-o", str(target), "-C", str(demo_repo.root)])
    assert code == 0
    assert "2 paragraph(s) changed, 1 inserted, 1 deleted" in capsys.readouterr().err
    docx.Document(str(target))


def test_redline_of_identical_revisions_says_no_change(demo_repo):
    """The same revision twice gives no marks."""
    result = redline(demo_repo, "MC/2023/DRAFT/5", "HEAD", "main")
    assert result.summary().startswith("no change")
    _, runs = _runs(result.data)
    body = [r for p, r in runs if p.style.name not in SKIPPED_STYLES]
    assert body and not any(r.font.strike or r.underline for r in body)


def test_redline_bad_inputs(demo_repo, tmp_path, capsys):
    """An unknown revision is a clear error; a redline needs a Word output file; nothing is written."""
    with pytest.raises(UsageError, match="no revision 'round/none/1'"):
        redline(demo_repo, "MC/2023/DRAFT/5", "round/none/1", "main")
    target = tmp_path / "x.docx"
    assert main(["export", "MC/2023/DRAFT/5", "--redline", "HEAD", "main", "-C", str(demo_repo.root)]) == 2
    assert main(["export", "MC/2023/DRAFT/5", "--redline", "HEAD", "nope", "-o", str(target),
                 "-C", str(demo_repo.root)]) == 2
    assert main(["export", "MC/2023/DRAFT/5", "--redline", "HEAD", "main", "--clean", "-o", str(target),
                 "-C", str(demo_repo.root)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not target.exists()


def test_a_moved_paragraph_is_shown_once_where_it_stands_marked_as_moved(demo_repo):
    """A hand-committed text with op2 moved to the end and renumbered: the redline pairs by content, so op2 is
    one paragraph marked as moved, not a deletion and an insertion; the date is the second revision's."""
    from cicatext.notation.reader import parse
    from cicatext.notation.render import render
    from cicatext.notation.tree import Draft

    demo_repo.run_git("tag", "before-move")
    draft = parse(demo_repo.read_text(PATH))
    paragraphs = list(draft.paragraphs)
    moving = next(p for p in paragraphs if p.id == "op2")
    paragraphs.remove(moving)
    paragraphs.append(moving)
    text = "\n\n".join(render(p) for p in paragraphs) + "\n"
    record_path = "documents/mc-2023-draft-5/document.yaml"
    record = demo_repo.read_text(record_path).replace("date: '2023-06-14'\n", "date: '2023-07-01'\n", 1)
    demo_repo.commit({PATH: text, record_path: record}, "op2 moved to the end")
    found = redline(demo_repo, "MC/2023/DRAFT/5", "before-move", "HEAD")
    assert (found.moved, found.inserted, found.deleted) == (1, 0, 0)
    assert "1 moved" in found.summary()
    word, runs = _runs(found.data)
    notes = [r.text for _, r in runs if r.text.startswith("[moved from after")]
    assert notes == ["[moved from after op1] "]
    texts = [p.text for p in word.paragraphs]
    assert texts[-1].startswith("[moved from after op1] 2. Encourage recognition")
    assert sum("2. Encourage recognition" in t for t in texts) == 1
    assert "1 July 2023" in texts
    assert isinstance(draft, Draft)
