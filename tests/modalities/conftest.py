"""A real git repository for the Modalities tests: the template, the five documents of the seed's note, and the sample records."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cicatext.store import yamlio
from cicatext.store.demo.modalities import sample_records

ROOT = Path(__file__).resolve().parents[2]

# The five documents note SWG/739 forwards, with the titles the note gives them.
DOCUMENTS = {
    "swg-2023-ii-inf-2": {
        "symbol": "SWG/2023-II/INF/2",
        "kind": "recommendations",
        "title": {"en": "Recommendations of the Special Working Group meeting on 13-14 June 2023"},
        "sponsor": "SEC",
        "languages": ["en"],
        "revisions": [{"rev": 0, "symbol": "SWG/2023-II/INF/2"}],
        "status": [{"body": "SWG", "action": "adopted", "date": "2023-06-14", "meeting": "swg-2023-06"}],
    },
    "mc-2023-chair-1": {
        "symbol": "MC/2023/CHAIR/1",
        "kind": "road-map",
        "title": {"en": "Draft Road Map for CICA Transformation", "ru": "Проект Дорожной карты трансформации СВМДА"},
        "sponsor": "CHAIR",
        "languages": ["en"],
        "revisions": [{"rev": 0, "symbol": "MC/2023/CHAIR/1", "date": "2023-05-11", "text": False},
                      {"rev": 1, "symbol": "MC/2023/CHAIR/1/Rev.1"}],
        "status": [{"body": "SWG", "action": "agreed", "date": "2023-06-14", "meeting": "swg-2023-06"}],
    },
    "mc-2023-draft-3": {
        "symbol": "MC/2023/DRAFT/3",
        "kind": "decision",
        "title": {"en": "Draft decision of the CICA Ministerial Council on a Road Map for CICA Transformation",
                  "ru": "Проект решения Совета министров СВМДА о Дорожной карте трансформации СВМДА"},
        "sponsor": "CHAIR",
        "languages": ["en"],
        "revisions": [{"rev": 0, "symbol": "MC/2023/DRAFT/3", "date": "2023-05-11", "text": False},
                      {"rev": 1, "symbol": "MC/2023/DRAFT/3/Rev.1"}],
        "status": [{"body": "SWG", "action": "agreed", "date": "2023-06-14", "meeting": "swg-2023-06"}],
    },
    "mc-2023-draft-4": {
        "symbol": "MC/2023/DRAFT/4",
        "kind": "decision",
        "title": {"en": "Draft decision of the CICA Ministerial Council on Modalities of CBM Implementation",
                  "ru": "Проект решения Совета министров СВМДА о модальностях реализации мер доверия"},
        "sponsor": "CHAIR",
        "languages": ["en"],
        "revisions": [{"rev": 0, "symbol": "MC/2023/DRAFT/4"}],
        "status": [{"body": "SWG", "action": "considered", "date": "2023-06-14", "meeting": "swg-2023-06"}],
    },
    "mc-2023-draft-5": {
        "symbol": "MC/2023/DRAFT/5",
        "kind": "statement",
        "title": {"en": "Draft statement of the CICA Ministerial Council on Promoting Volunteerism for Sustainable Development",
                  "ru": "Проект Заявления Совета министров СВМДА о поощрении добровольчества в интересах устойчивого развития"},
        "sponsor": "CHAIR",
        "languages": ["en"],
        "revisions": [{"rev": 0, "symbol": "MC/2023/DRAFT/5"}],
        "status": [{"body": "SWG", "action": "considered", "date": "2023-06-14", "meeting": "swg-2023-06"}],
    },
}


def git(root: Path, *args: str) -> str:
    """Run git in the repository and return its output."""
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def sample_repo(tmp_path) -> Path:
    """A committed repository: the template, the seed's five documents and sample_records()."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "cicatext" / "repo_template", root)
    for slug, record in DOCUMENTS.items():
        folder = root / "documents" / slug
        folder.mkdir(parents=True)
        (folder / "document.yaml").write_text(yamlio.dump(record), encoding="utf-8")
        (folder / "en.txt").write_text("1. Text.\n", encoding="utf-8")
    for relative, text in sample_records().items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--no-verify", "-m", "Sample repository")
    return root


@pytest.fixture
def run(capsys):
    """Run a cicatext command line and return (exit code, stdout, stderr)."""
    from cicatext.cli.main import main

    def runner(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return runner
