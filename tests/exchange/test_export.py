"""`cicatext export` to text, Markdown, HTML and Word, from the sample repository."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import docx
import pytest

from cicatext.cli.main import main
from cicatext.errors import NotationError, UsageError
from cicatext.exchange.docx import LEGEND_STYLE, SKIPPED_STYLES, to_docx
from cicatext.exchange.html import to_html
from cicatext.exchange.markdown import to_markdown
from cicatext.exchange.source import load
from cicatext.exchange.text import to_text

DRAFT5 = "MC/2023/DRAFT/5"


def test_text_export_has_title_block_and_notation_without_ids(demo_repo):
    """Plain text starts with the seed's title block and keeps the notation but not the id markers."""
    text = to_text(load(demo_repo, DRAFT5))
    head = text.split("\n\n")[:5]
    assert head == ["CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA",
                    "Chairmanship of Kazakhstan", "MC/2023/DRAFT/5\n14 June 2023",
                    "DRAFT CICA MINISTERIAL COUNCIL STATEMENT",
                    "on Promoting Volunteerism for Sustainable Development"]
    assert "[15. Encourage the Member States" in text and "(+IRAN) (SEC tcb)" in text
    assert "{#" not in text


def test_clean_export_keeps_only_agreed_text(demo_repo):
    """--clean drops bracketed paragraphs and spans with their attributions."""
    text = to_text(load(demo_repo, DRAFT5, clean=True))
    assert "[" not in text and "(+IRAN)" not in text
    assert "11altern" not in text and "15. Encourage" not in text
    assert "databases for volunteers in the CICA Member States;" in text


def test_markdown_escapes_brackets_and_bolds_attributions(demo_repo):
    """Markdown keeps brackets literal, attributions bold, emphasis as *...*, and numbers un-listed."""
    md = to_markdown(load(demo_repo, DRAFT5))
    assert "# DRAFT CICA MINISTERIAL COUNCIL STATEMENT" in md
    assert "\\[11. Promote volunteers' participation" in md and "**(-IRAN)** **(+AZER)**" in md
    assert "- *Recognizing* the great potential" in md or "\\- *Recognizing* the great potential" in md
    assert "\n12\\. Promote the creation" in md
    assert "*Legend:*" in md


class _Collector(HTMLParser):
    """Collects the tags, classes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.classes: list[str] = []
        self.attribution_texts: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in_attribution: str | None = None
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in ("meta", "br"):
            self.stack.append(tag)
        css = attrs.get("class") or ""
        self.classes.extend(css.split())
        if "attribution" in css.split():
            self._in_attribution = css
        if attrs.get("id"):
            self.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        if tag == "b":
            self._in_attribution = None

    def handle_data(self, data):
        self.text.append(data)
        if self._in_attribution:
            self.attribution_texts.append((self._in_attribution, data))


def test_html_is_one_well_nested_page_with_legend(demo_repo):
    """HTML parses with every tag closed, marks brackets and attributions by stance, and has a legend."""
    page = to_html(load(demo_repo, DRAFT5))
    parser = _Collector()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "<script" not in page
    assert {"bracket", "options", "attribution", "propose", "object", "reserve", "legend"} <= set(parser.classes)
    assert ("attribution reserve", "(SEC tcb)") in parser.attribution_texts
    assert ("attribution object", "(-CHN)") in parser.attribution_texts
    assert "op11altern" in parser.ids and "pp3" in parser.ids
    text = "".join(parser.text)
    assert "Legend" in text and "proposed by" in text and "Azerbaijan" in text
    assert "<i>Recognizing</i>" in page


def test_html_escapes_text(demo_repo):
    """Markup-like characters in the text are escaped, never emitted as tags."""
    path = "documents/mc-2023-draft-5/en.txt"
    text = demo_repo.read_text(path).replace("Hereby decided to:", "Hereby <b>decided</b> & \"to\":")
    demo_repo.commit({path: text}, "markup in the text")
    page = to_html(load(demo_repo, DRAFT5))
    assert "Hereby &lt;b&gt;decided&lt;/b&gt; &amp; \"to\":" in page


def _body_paragraphs(document):
    return [p for p in document.paragraphs if p.style.name not in SKIPPED_STYLES]


def test_docx_has_layout_italics_bold_attributions_and_numbers(demo_repo):
    """Word: title block styles, italic preambular verbs, bold coloured attributions, numbered paragraphs."""
    word = docx.Document(io.BytesIO(to_docx(load(demo_repo, DRAFT5))))
    styles = [p.style.name for p in word.paragraphs[:6]]
    assert styles == ["CICA Organisation", "CICA Sponsor", "CICA Symbol", "CICA Date", "CICA Heading", "CICA Subtitle"]
    assert word.paragraphs[2].text == "MC/2023/DRAFT/5" and word.paragraphs[1].text == "Chairmanship of Kazakhstan"
    body = _body_paragraphs(word)
    recognizing = body[2]
    assert [r.text for r in recognizing.runs if r.italic] == ["Recognizing"]
    assert recognizing.style.name == "CICA Preamble"
    op13 = next(p for p in body if p.text.startswith("13. "))
    bold = [r.text for r in op13.runs if r.bold]
    assert bold == ["[", "]", "(CHN tcb)"]
    assert "[, and encourage to assign country operators" in op13.text
    numbers = [p.text.split(" ", 1)[0] for p in body if p.style.name == "CICA Paragraph"]
    assert numbers[:3] == ["1.", "2.", "3."] and "[11." in numbers and "[11altern." in numbers
    attribution = next(r for r in op13.runs if r.text == "(CHN tcb)")
    assert attribution.font.color.rgb is not None
    assert word.paragraphs[-1].style.name == LEGEND_STYLE
    assert word.core_properties.identifier == "MC/2023/DRAFT/5"


def test_docx_clean_has_no_brackets_or_legend(demo_repo):
    """A clean Word export has no bracket, attribution or legend."""
    word = docx.Document(io.BytesIO(to_docx(load(demo_repo, DRAFT5, clean=True))))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "[" not in text and "tcb" not in text
    assert all(p.style.name != LEGEND_STYLE for p in word.paragraphs)


def test_export_command_writes_each_format(demo_repo, tmp_path, capsys):
    """The command writes every format, taking the format from the file's extension."""
    for name in ("d.docx", "d.html", "d.md", "d.txt", "d.xml"):
        target = tmp_path / name
        assert main(["export", DRAFT5, "-C", str(demo_repo.root), "-o", str(target)]) == 0
        assert target.stat().st_size > 1000
    assert "Wrote" in capsys.readouterr().err
    assert (tmp_path / "d.xml").read_text(encoding="utf-8").startswith("<?xml")


def test_export_command_prints_text_formats(demo_repo, capsys):
    """Without -o a text format goes to standard output."""
    assert main(["export", "mc-2023-draft-4", "--format", "md", "--clean", "-C", str(demo_repo.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CONFERENCE ON INTERACTION") and "not less than two" not in out


def test_export_at_a_revision_reads_git(demo_repo):
    """--rev exports the text as it stood at that commit."""
    path = "documents/mc-2023-draft-5/en.txt"
    before = demo_repo.head()
    text = demo_repo.read_text(path).replace("Hereby decided to:", "Hereby decide to:")
    demo_repo.commit({path: text}, "wording")
    assert "Hereby decide to:" in to_text(load(demo_repo, DRAFT5))
    assert "Hereby decided to:" in to_text(load(demo_repo, DRAFT5, revision=before))


def test_bad_revision_and_language_are_clear(demo_repo):
    """An unknown revision, or a language the document is not held in, is a usage error."""
    with pytest.raises(UsageError, match="no revision"):
        load(demo_repo, DRAFT5, revision="round/nothing/9")
    with pytest.raises(UsageError, match="no text in 'ru'"):
        load(demo_repo, DRAFT5, language="ru")


def test_broken_notation_writes_nothing(demo_repo, tmp_path, capsys):
    """A text with broken notation is refused with one message and no output file."""
    path = "documents/mc-2023-draft-5/en.txt"
    demo_repo.commit({path: demo_repo.read_text(path).replace("[15. Encourage", "15. Encourage")}, "break it")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", DRAFT5, "-C", str(demo_repo.root), "-o", str(out / "draft.docx")]) == 1
    err = capsys.readouterr().err
    assert "unmatched ']'" in err and "Traceback" not in err
    assert list(out.iterdir()) == []
    with pytest.raises(NotationError):
        load(demo_repo, DRAFT5)


def test_document_with_no_paragraphs_is_refused(demo_repo, tmp_path, capsys):
    """An empty text is one clear message and nothing written."""
    demo_repo.commit({"documents/mc-2023-draft-5/en.txt": "\n"}, "empty")
    target = tmp_path / "out.html"
    assert main(["export", DRAFT5, "-C", str(demo_repo.root), "-o", str(target)]) == 2
    assert "en.txt: the text holds no paragraphs" in capsys.readouterr().err
    assert not target.exists()


def test_word_needs_an_output_file(demo_repo, capsys):
    """Word output to the terminal is refused."""
    assert main(["export", DRAFT5, "--format", "docx", "-C", str(demo_repo.root)]) == 2
    assert "-o FILE.docx" in capsys.readouterr().err


def test_note_exports_in_russian(note_repo):
    """The note SWG/739 exports in Russian, its own letterhead standing in for the title block."""
    text = to_text(load(note_repo, "SWG/739", language="ru"))
    assert text.startswith("SECRETARIAT OF THE CONFERENCE")
    assert "№ SWG/739" in text and "Астана, 14 июня 2023 г." in text
    page = to_html(load(note_repo, "SWG/739", language="ru"))
    assert '<html lang="ru">' in page and '<aside class="legend">' not in page
