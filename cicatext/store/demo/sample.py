"""The sample repository: the CICA package of 14 June 2023 (note SWG/739 and its enclosures) kept as the secretariat would keep it.

Everything comes from the seed text shipped in `cicatext/seed/`. Earlier
versions that the seed knows only by symbol, sponsor and date are recorded
so, without text. Each step is its own commit, dated as the seed dates it,
so `git log` tells the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cicatext.errors import RepositoryError, UsageError
from cicatext.records.paragraphing import (
    ImportWarning,
    render_with_ids,
    split_paragraphs,
)
from cicatext.resources import seed_file
from cicatext.store import yamlio
from cicatext.store.files import read_text
from cicatext.store.layout import (
    SETTINGS_FILE,
    document_record_path,
    document_text_path,
)
from cicatext.store.register.create import init_repository
from cicatext.store.repository import Repository

SECRETARIAT = ("CICA Secretariat", "secretariat@cica.example")
CHAIR_LINE = {"en": "Chairmanship of Kazakhstan"}


@dataclass(frozen=True)
class SeedDocument:
    """Where one document stands in the seed and what the seed says of it."""

    slug: str
    start: str
    """The text just before the document's first paragraph (its title block ends with it)."""
    end: str | None
    """The text just after its last paragraph (None: the end of the seed)."""
    record: dict
    """Its document.yaml."""


def _slice(seed: str, start: str, end: str | None, after: int = 0) -> str:
    begin = seed.index(start, after) + len(start)
    finish = seed.index(end, begin) if end else len(seed)
    return seed[begin:finish]


SWG_MEETING = "swg-2023-06"

DOCUMENTS: tuple[SeedDocument, ...] = (
    SeedDocument(
        slug="swg-2023-ii-inf-2",
        start="RECOMMENDATIONS of the Special Working Group meeting on 13-14 June 2023\n",
        end="\n\n\n\nCONFERENCE ON INTERACTION AND CONFIDENCE BUILDING MEASURES IN ASIA\n\nChairmanship",
        record={
            "symbol": "SWG/2023-II/INF/2",
            "kind": "recommendations",
            "title": {"en": "Recommendations of the Special Working Group meeting on 13-14 June 2023",
                      "ru": "Рекомендации СРГ"},
            "heading": {"en": "RECOMMENDATIONS"},
            "sponsor_line": {"en": "Secretariat"},
            "sponsor": "SEC",
            "body": "SOC",
            "languages": ["en"],
            "date": "2023-06-14",
            "revisions": [{"rev": 0, "symbol": "SWG/2023-II/INF/2", "date": "2023-06-14"}],
            "status": [{"body": "SWG", "action": "adopted", "date": "2023-06-14", "meeting": SWG_MEETING,
                        "note": "the recommendations of the SWG at the close of its meeting"}],
        },
    ),
    SeedDocument(
        slug="mc-2023-chair-1",
        start="DRAFT ROAD MAP FOR CICA TRANSFORMATION\n",
        end="\n\n\n\nChairmanship of Kazakhstan\n\nDRAFT DECISION OF THE CICA MINISTERIAL COUNCIL\n\non a Road Map",
        record={
            "symbol": "MC/2023/CHAIR/1",
            "kind": "road-map",
            "title": {"en": "Draft Road Map for CICA Transformation",
                      "ru": "Проект Дорожной карты трансформации СВМДА"},
            "heading": {"en": "DRAFT ROAD MAP FOR CICA TRANSFORMATION"},
            "sponsor_line": CHAIR_LINE,
            "sponsor": "CHAIR",
            "body": "MC",
            "languages": ["en"],
            "date": "2023-06-14",
            "revisions": [
                {"rev": 0, "symbol": "MC/2023/CHAIR/1", "date": "2023-05-11", "text": False,
                 "note": "known by symbol, sponsor and date only"},
                {"rev": 1, "symbol": "MC/2023/CHAIR/1/Rev.1", "date": "2023-06-14",
                 "note": "as amended and agreed by the SWG"},
            ],
            "status": [{"body": "SWG", "action": "agreed", "date": "2023-06-14", "meeting": SWG_MEETING}],
        },
    ),
    SeedDocument(
        slug="mc-2023-draft-3",
        start="DRAFT DECISION OF THE CICA MINISTERIAL COUNCIL\n\non a Road Map for CICA Transformation\n",
        end="\n\n\n\nChairmanship of Kazakhstan\n\nDRAFT DECISION OF THE CICA MINISTERIAL COUNCIL\n\non Modalities",
        record={
            "symbol": "MC/2023/DRAFT/3",
            "kind": "decision",
            "title": {"en": "Draft decision of the CICA Ministerial Council on a Road Map for CICA Transformation",
                      "ru": "Проект решения Совета министров СВМДА о Дорожной карте трансформации СВМДА"},
            "heading": {"en": "DRAFT DECISION OF THE CICA MINISTERIAL COUNCIL\non a Road Map for CICA Transformation"},
            "sponsor_line": CHAIR_LINE,
            "sponsor": "CHAIR",
            "body": "MC",
            "languages": ["en"],
            "date": "2023-06-14",
            "revisions": [
                {"rev": 0, "symbol": "MC/2023/DRAFT/3", "date": "2023-05-11", "text": False,
                 "note": "known by symbol, sponsor and date only"},
                {"rev": 1, "symbol": "MC/2023/DRAFT/3/Rev.1", "date": "2023-06-14",
                 "note": "as amended and agreed by the SWG"},
            ],
            "status": [{"body": "SWG", "action": "agreed", "date": "2023-06-14", "meeting": SWG_MEETING}],
        },
    ),
    SeedDocument(
        slug="mc-2023-draft-4",
        start="on Modalities of Implementation of CICA Confidence Building Measures\n",
        end="\n\n\n\nChairmanship of Kazakhstan\n\nDRAFT CICA MINISTERIAL COUNCIL STATEMENT",
        record={
            "symbol": "MC/2023/DRAFT/4",
            "kind": "decision",
            "title": {"en": "Draft decision of the CICA Ministerial Council on Modalities of CBM Implementation",
                      "ru": "Проект решения Совета министров СВМДА о модальностях реализации мер доверия"},
            "heading": {"en": "DRAFT DECISION OF THE CICA MINISTERIAL COUNCIL\n"
                              "on Modalities of Implementation of CICA Confidence Building Measures"},
            "sponsor_line": CHAIR_LINE,
            "sponsor": "CHAIR",
            "body": "MC",
            "languages": ["en"],
            "date": "2023-06-14",
            "predecessors": [{"symbol": "MC/2023/SEC/1", "sponsor": "SEC", "date": "2023-05-12",
                              "note": "proposed by the Secretary General; known by symbol, sponsor and date only"}],
            "revisions": [{"rev": 0, "symbol": "MC/2023/DRAFT/4", "date": "2023-06-14",
                           "note": "as considered by the SWG"}],
            "status": [{"body": "SWG", "action": "considered", "date": "2023-06-14", "meeting": SWG_MEETING,
                        "note": "consideration continues; comments to the Secretariat until 15 July 2023"}],
        },
    ),
    SeedDocument(
        slug="mc-2023-draft-5",
        start="STATEMENT\n\non Promoting Volunteerism for Sustainable Development\n",
        end=None,
        record={
            "symbol": "MC/2023/DRAFT/5",
            "kind": "statement",
            "title": {"en": "Draft statement of the CICA Ministerial Council on Promoting Volunteerism "
                            "for Sustainable Development",
                      "ru": "Проект Заявления Совета министров СВМДА о поощрении добровольчества "
                            "в интересах устойчивого развития"},
            "heading": {"en": "DRAFT CICA MINISTERIAL COUNCIL STATEMENT\n"
                              "on Promoting Volunteerism for Sustainable Development"},
            "sponsor_line": CHAIR_LINE,
            "sponsor": "CHAIR",
            "body": "MC",
            "languages": ["en"],
            "date": "2023-06-14",
            "revisions": [{"rev": 0, "symbol": "MC/2023/DRAFT/5", "date": "2023-06-07",
                           "note": "circulated by Secretariat Note No. SWG/694 of 7 June 2023; "
                                   "text as it stood at the close of the SWG meeting on 14 June 2023"}],
            "status": [
                {"body": "SWG", "action": "circulated", "date": "2023-06-07", "note": "Secretariat Note No. SWG/694"},
                {"body": "SWG", "action": "considered", "date": "2023-06-14", "meeting": SWG_MEETING,
                 "note": "consideration continues, with a view to adoption by the MC on 21 September 2023 in New York"},
            ],
        },
    ),
)


@dataclass(frozen=True)
class DemoResult:
    """The sample repository and what building it noticed in the seed."""

    repository: Repository
    warnings: tuple[tuple[str, ImportWarning], ...]


def document_text(seed: str, document: SeedDocument) -> tuple[str, list[ImportWarning]]:
    """A seed document's paragraphs as a cicatext text file, with the importer's warnings."""
    paragraphs, warnings = split_paragraphs(_slice(seed, document.start, document.end))
    return render_with_ids(paragraphs), warnings


def build_demo(path: Path) -> DemoResult:
    """Build the sample repository at `path` (a new or empty folder)."""
    path = Path(path)
    if path.exists() and (path / SETTINGS_FILE).exists():
        raise RepositoryError(f"{path} already holds a repository", hint="remove it, or open it with `cicatext tui`")
    seed = read_text(seed_file())
    repo = init_repository(path, author=SECRETARIAT, date="2023-05-11T09:00:00+06:00")
    collected: list[tuple[str, ImportWarning]] = []

    def commit(changes: dict[str, str], message: str, date: str) -> None:
        repo.commit(changes, message, author=SECRETARIAT, date=f"{date}+06:00")

    by_slug = {d.slug: d for d in DOCUMENTS}
    # 11-12 May 2023: the originals, known by symbol, sponsor and date only.
    for slug in ("mc-2023-chair-1", "mc-2023-draft-3"):
        document = by_slug[slug]
        original = dict(document.record)
        original["revisions"] = document.record["revisions"][:1]
        original["date"] = original["revisions"][0]["date"]
        original.pop("status", None)
        commit({document_record_path(slug): yamlio.dump(original)},
               f"Register {original['symbol']} of 11 May 2023 (text not held)", "2023-05-11T10:00:00")

    # 14 June 2023: the texts as they stood at the close of the SWG meeting.
    for slug in ("mc-2023-chair-1", "mc-2023-draft-3", "mc-2023-draft-4", "mc-2023-draft-5", "swg-2023-ii-inf-2"):
        document = by_slug[slug]
        text, warnings = document_text(seed, document)
        collected.extend((document_text_path(slug, "en"), w) for w in warnings)
        latest = document.record["revisions"][-1]["symbol"]
        actions = {"agreed": "as agreed by the SWG", "considered": "as considered by the SWG",
                   "adopted": "of the SWG"}
        outcome = actions.get(document.record["status"][-1]["action"], "")
        commit({document_record_path(slug): yamlio.dump(document.record),
                document_text_path(slug, "en"): text},
               f"{latest} {outcome}".strip(), "2023-06-14T18:00:00")

    from cicatext.store.demo.languages import sample_translations
    from cicatext.store.demo.modalities import sample_records

    commit(dict(sample_records()), "SWG meeting of 13-14 June 2023: outcome for the five documents, coordinators and offers",
           "2023-06-14T19:00:00")
    commit(dict(sample_translations()), "Note SWG/739 forwarding the documents, in English and Russian",
           "2023-06-14T19:30:00")
    return DemoResult(repo, tuple(collected))


def default_demo_path() -> Path:
    """Where `cicatext demo` keeps the sample repository when no --path is given."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "cicatext" / "demo"


def ensure_demo(path: Path | None, *, fresh: bool = False) -> tuple[Repository, bool]:
    """The sample repository at `path`, built if it is not there yet; returns it and whether it was built."""
    import shutil

    target = Path(path) if path else default_demo_path()
    marker = target / SETTINGS_FILE
    if target.exists() and marker.exists() and not fresh:
        return Repository(target.resolve()), False
    if target.exists() and any(target.iterdir()):
        if not marker.exists():
            raise UsageError(f"{target} is not empty and is not a cicatext repository",
                             hint="choose another --path, or empty the folder")
        if fresh:
            shutil.rmtree(target)
    build_demo(target)
    return Repository(target.resolve()), True
