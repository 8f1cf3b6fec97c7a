"""Several languages: the sample note in English and Russian, alignment checks and translations to redo."""

from __future__ import annotations

import json

from cicatext.cli.main import main
from cicatext.store.demo.languages import PARAGRAPH_IDS, sample_translations
from cicatext.store.register.languages import check_languages, translations

from .helpers import edit_paragraph

EN = "documents/swg-739/en.txt"
RU = "documents/swg-739/ru.txt"


def test_sample_note_is_cut_from_the_seed(seed_text):
    """Both texts of the note come from the seed word for word, with the same paragraph ids."""
    files = sample_translations()
    assert set(files) == {"documents/swg-739/document.yaml", EN, RU}
    for path in (EN, RU):
        blocks = files[path].rstrip("\n").split("\n\n")
        assert [b.split("} ", 1)[0][2:] for b in blocks] == list(PARAGRAPH_IDS)
        for block in blocks:
            assert block.split("} ", 1)[1] in seed_text
    assert "{#number} № SWG/739" in files[RU] and "{#place-date} Астана, 14 июня 2023 г." in files[RU]
    assert "{#doc5} - Draft statement of the CICA Ministerial Council" in files[EN]


def test_sample_note_validates_and_aligns(note_repo):
    """The note's record and texts raise no problem in validation or in the language check."""
    from cicatext.store.validation.validate import validate

    assert check_languages(note_repo) == []
    mine = [p for p in validate(note_repo) if p.file and p.file.startswith("documents/swg-739/")]
    assert mine == []


def test_missing_paragraph_is_reported(note_repo):
    """A paragraph present in English but missing in Russian is an error naming both."""
    text = note_repo.read_text(RU)
    blocks = [b for b in text.split("\n\n") if not b.startswith("{#doc4}")]
    note_repo.commit({RU: "\n\n".join(blocks)}, "lose doc4")
    problems = check_languages(note_repo)
    assert [(p.file, p.message) for p in problems] == [
        (RU, "paragraph doc4 is in the en text but missing in ru")]
    assert problems[0].code == "language" and problems[0].severity == "error"


def test_bracket_mismatch_is_reported(note_repo):
    """A bracket whose attributions differ between the languages is reported at the Russian bracket."""
    edit_paragraph(note_repo, EN, "doc4", "as considered by the SWG", "[as considered by the SWG] (+IND) (-CHN)", "en")
    edit_paragraph(note_repo, RU, "doc4", "рассмотренный СРГ", "[рассмотренный СРГ] (+IND)", "ru")
    problems = check_languages(note_repo)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.message == "bracket doc4:1 has (+IND) in ru but (-CHN) (+IND) in en"
    assert problem.file == RU and problem.line == 15 and problem.source_line.startswith("{#doc4}")


def test_nesting_and_count_mismatches_are_reported(note_repo):
    """Brackets nested differently, or more brackets in one language, are reported per paragraph."""
    edit_paragraph(note_repo, EN, "doc1", "Recommendations of the SWG", "[Recommendations [of the SWG] (-IND)] (+IRAN)", "en")
    edit_paragraph(note_repo, RU, "doc1", "Рекомендации СРГ", "[Рекомендации] (+IRAN) [СРГ] (-IND)", "ru")
    edit_paragraph(note_repo, RU, "closing", "Секретариат", "[Секретариат] (+KAZ)", "ru")
    messages = [p.message for p in check_languages(note_repo)]
    assert messages == ["bracket doc1:2 is nested at depth 1 in ru but 2 in en",
                        "paragraph closing has 1 bracket(s) in ru but 0 in en"]


def test_validate_command_can_call_the_language_check(note_repo):
    """check_languages is what validate calls; it finds an extra paragraph located at its line."""
    note_repo.commit({RU: note_repo.read_text(RU) + "\n{#extra} Лишний абзац.\n"}, "extra")
    problems = check_languages(note_repo)
    assert [(p.message, p.line) for p in problems] == [("paragraph extra is not in the en text", 27)]


def test_translations_lists_paragraph_changed_later_in_english(note_repo):
    """A paragraph changed in English after the Russian was last updated is listed for Russian only."""
    assert translations(note_repo, "SWG/739") == []
    first = edit_paragraph(note_repo, EN, "closing", "highest consideration", "highest consideration.", "en wording")
    stale = translations(note_repo, "SWG/739")
    assert [(s.paragraph, s.language, s.newer, s.changed.commit) for s in stale] == [("closing", "ru", "en", first)]
    assert stale[0].updated is not None and stale[0].updated.subject.startswith("Note SWG/739")
    edit_paragraph(note_repo, RU, "closing", "уважении.", "уважении!", "ru catches up")
    assert translations(note_repo, "SWG/739") == []


def test_translations_lists_missing_paragraphs_and_json(note_repo, capsys):
    """A paragraph added in Russian only is listed as missing in English; --json gives the same."""
    note_repo.commit({RU: note_repo.read_text(RU) + "\n{#extra} Лишний абзац.\n"}, "ru adds")
    edit_paragraph(note_repo, RU, "doc2", "согласованный СРГ", "согласованный СРГ (уточнено)", "ru first")
    assert main(["translations", "SWG/739", "--json", "-C", str(note_repo.root)]) == 0
    listed = json.loads(capsys.readouterr().out)["stale"]
    assert [(s["paragraph"], s["language"], s["newer"], s["missing"]) for s in listed] == [
        ("doc2", "en", "ru", False), ("extra", "en", "ru", True)]
    assert main(["translations", "SWG/739", "-C", str(note_repo.root)]) == 0
    out = capsys.readouterr().out
    assert "extra: in ru since" in out and "missing in en" in out


def test_translations_of_a_one_language_document(demo_repo, capsys):
    """A document held in one language has nothing to translate."""
    assert translations(demo_repo, "MC/2023/DRAFT/5") == []
    assert main(["translations", "MC/2023/DRAFT/5", "-C", str(demo_repo.root)]) == 0
    assert "one language only" in capsys.readouterr().out


def test_a_translation_added_later_is_not_a_change(new_repo):
    """Russian added after English, then an English change: only Russian is behind, never English."""
    from cicatext.store import yamlio
    from cicatext.store.register.create import import_text

    import_text(new_repo, "The Council,\n\n1. Decides [to act] (+IND);\n", symbol="MC/2024/DRAFT/2", title="T")
    record_path = "documents/mc-2024-draft-2/document.yaml"
    record = new_repo.load(record_path)
    record["languages"] = ["en", "ru"]
    ru = "{#pp1} Совет,\n\n{#op1} 1. Постановляет [действовать] (+IND);\n"
    new_repo.commit({record_path: yamlio.dump(record), "documents/mc-2024-draft-2/ru.txt": ru}, "ru")
    assert translations(new_repo, "MC/2024/DRAFT/2") == []
    assert check_languages(new_repo) == []
    edit_paragraph(new_repo, "documents/mc-2024-draft-2/en.txt", "op1", "to act", "to act now", "en")
    assert [(s.paragraph, s.language) for s in translations(new_repo, "MC/2024/DRAFT/2")] == [("op1", "ru")]
