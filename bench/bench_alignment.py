"""How fast and how well `align` pairs the paragraphs of two revisions.

Builds, deterministically from `--seed`, a negotiating text of `--paragraphs`
paragraphs in the formulaic style of a UN draft (preambular and operative
openings shared by many paragraphs, near-twins that differ in a word or two,
brackets with attributions, whole bracketed paragraphs), then revisions of it
whose truth is known paragraph by paragraph:

- *realistic*: renumbered, 4% removed, 10% edited (5-20% of a paragraph's
  words substituted, inserted or deleted), brackets added, agreed and
  re-attributed, a few paragraphs moved, split and merged, 5% new paragraphs
  written from another vocabulary;
- *heavy*: the same with 30% of the paragraphs edited;
- *redrafted*: every paragraph edited;
- *with ids*: the realistic revision with `{#...}` markers written from its
  new numbering (ids that mean nothing), aligned with `trust_ids=True`;
- *reordered*: the same paragraphs shuffled wholesale;
- *near-twins*: a text of one formula whose paragraphs differ in three words,
  every paragraph edited (the worst case for the number of candidates);
- *unrelated*: another text of the same size, not a revision at all.

For each it prints the time `align` takes (best of `--repeat`), the share of
the carried-over paragraphs that keep their id, the new paragraphs that took
an old id, the splits and merges recorded as such, and the links marked
unsure, in one table. The cold figure is a fresh interpreter importing the
module and aligning once.

    python bench/bench_alignment.py [--paragraphs 1000] [--seed 14] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cicatext.notation.alignment import Alignment, align, carried_ids
from cicatext.notation.reader import parse

CODES = ("IRAN", "CHN", "IND", "AZER", "TUR", "RUS", "KAZ")
PREAMBULAR = ("Recalling", "Reaffirming", "Noting with concern", "Recognizing", "Welcoming", "Bearing in mind",
              "Emphasizing", "Acknowledging", "Mindful of", "Expressing appreciation for")
OPERATIVE = ("Requests the Secretariat to", "Welcomes", "Decides to", "Encourages Member States to", "Calls upon",
             "Invites", "Urges", "Takes note of", "Underlines the importance of", "Reaffirms its commitment to",
             "Requests the Special Working Group to", "Invites the Chair to")
ACTIONS = ("prepare", "circulate", "review", "strengthen", "support", "consider", "develop", "update", "promote",
           "monitor", "facilitate", "coordinate", "assess", "report on", "implement", "finalize")
OBJECTS = ("a report", "a road map", "an action plan", "a framework", "guidelines", "a compilation", "a study",
           "a summary", "a catalogue", "a set of indicators", "a training programme", "a concept paper",
           "a work plan", "a glossary", "a register", "a survey")
THEMES = ("maritime security", "cybersecurity", "youth engagement", "water management", "disaster risk reduction",
          "food security", "trade facilitation", "counter-terrorism", "energy security", "public health",
          "migration", "intercultural dialogue", "tourism", "transport corridors", "drug trafficking",
          "environmental protection", "agriculture", "small business", "financial cooperation", "education",
          "science and technology", "border management", "customs cooperation", "human trafficking",
          "information exchange", "military transparency", "arms control", "mine action", "peacekeeping training",
          "civil aviation", "digital connectivity", "heritage protection", "sport diplomacy", "volunteerism")
QUALIFIERS = ("regional", "national", "voluntary", "comprehensive", "practical", "concrete", "sustainable",
              "inclusive", "effective", "coordinated", "targeted", "periodic")
BODIES = ("the Special Working Group", "the Senior Officials Committee", "the Secretariat", "Member States",
          "the Coordinating Countries", "the Ministerial Council", "the Chair", "partner organizations",
          "the Council of Senior Officials", "the expert group")
WHEN = ("at its next session", "before the end of the year", "in the intersessional period", "at its next meeting",
        "within existing resources", "in close cooperation with the Chair", "on a voluntary basis",
        "by the next ministerial meeting", "as appropriate", "in line with the Modalities")
REASONS = ("in order to build confidence among Member States", "with a view to enhancing mutual trust",
           "taking into account national priorities", "so as to avoid duplication of efforts",
           "drawing on the experience of other regions", "with due regard to the principle of consensus",
           "building on the outcomes of previous meetings", "in accordance with the Catalogue of measures")
# What a paragraph is about: an adjective and a noun, so that a text of a thousand paragraphs uses
# some thousands of words, most of them in few paragraphs, as real drafts do.
SUBJECT_ADJECTIVES = (
    "coastal", "rural", "urban", "cross-border", "digital", "financial", "technical", "legal", "scientific",
    "cultural", "humanitarian", "medical", "judicial", "electoral", "statistical", "academic", "municipal",
    "industrial", "agricultural", "chemical", "biological", "radiological", "postal", "railway", "seismic",
    "meteorological", "hydrological", "forensic", "consular", "parliamentary", "veterinary", "pharmaceutical",
    "maritime", "aerial", "mountain", "desert", "river", "lake", "island", "regional", "nomadic", "indigenous",
    "vocational", "literacy", "nutrition", "sanitation", "housing", "archival", "museum", "broadcasting")
SUBJECT_NOUNS = (
    "registries", "laboratories", "inspectors", "curricula", "archives", "corridors", "checkpoints", "hospitals",
    "courts", "libraries", "observatories", "satellites", "pipelines", "ports", "airports", "bridges", "dams",
    "warehouses", "markets", "cooperatives", "universities", "academies", "journalists", "volunteers",
    "midwives", "teachers", "farmers", "fishers", "pilots", "engineers", "auditors", "prosecutors", "judges",
    "diplomats", "statisticians", "archivists", "veterinarians", "pharmacists", "cartographers", "translators",
    "census data", "land titles", "seed banks", "vaccines", "water meters", "weather stations", "grain silos",
    "power grids", "fibre networks", "refugee camps", "border posts", "fishing fleets", "nature reserves")
# New paragraphs are written from words the old text never uses, as a Chair adds new subjects.
NEW_THEMES = ("pandemic preparedness", "space debris", "artificial intelligence", "desertification",
              "glacier monitoring", "seismic early warning", "rare earth supply chains", "refugee education",
              "nuclear safety culture", "ocean acidification", "antimicrobial resistance", "locust control")
NEW_OBJECTS = ("a feasibility assessment", "a pilot mechanism", "a joint declaration", "an inventory of practices",
               "a network of focal points", "a clearing house", "a peer learning platform")
NEW_TAILS = ("and to brief the delegations on progress made", "while respecting the sovereignty of each State",
             "and invites donors to contribute to its financing", "and to submit proposals for consideration",
             "taking note of the views expressed by delegations during the consultations")
FILLER = ("further", "also", "duly", "fully", "jointly", "closely", "actively", "urgently", "again", "collectively",
          "promptly", "where possible", "in particular", "inter alia", "including")


@dataclass
class Para:
    """A paragraph of a generated text: its words (a bracket group is one word) and where it came from."""

    words: list[str]
    preambular: bool
    truth: str | None = None
    """The old id it carries on (None: new)."""
    split_from: str | None = None
    merged: list[str] = field(default_factory=list)
    """For a merge: the old ids merged into it (truth is the first)."""


def bracket(rng: random.Random, text: str) -> str:
    """`text` in brackets with one or two attributions."""
    codes = rng.sample(CODES, rng.randint(1, 2))
    marks = " ".join(f"({rng.choice('+-')}{code})" if rng.random() < 0.85 else f"({code} tcb)" for code in codes)
    return f"[{text}] {marks}"


def subject(rng: random.Random, themes: tuple[str, ...]) -> str:
    """What a clause is about."""
    if themes is not THEMES or rng.random() < 0.3:
        return rng.choice(themes)
    return f"{rng.choice(SUBJECT_ADJECTIVES)} {rng.choice(SUBJECT_NOUNS)}"


def sentence(rng: random.Random, preambular: bool, themes=THEMES, objects=OBJECTS, tails=REASONS) -> list[str]:
    """One paragraph's words in the formulaic style."""
    theme = subject(rng, themes)
    if preambular:
        parts = [rng.choice(PREAMBULAR), "the", rng.choice(QUALIFIERS), "efforts of", rng.choice(BODIES), "on",
                 theme]
        if rng.random() < 0.6:
            parts += ["and", rng.choice(QUALIFIERS), "cooperation in", subject(rng, themes)]
        parts.append(rng.choice(tails))
    else:
        parts = [rng.choice(OPERATIVE), rng.choice(ACTIONS), rng.choice(objects), "on", rng.choice(QUALIFIERS),
                 "cooperation in", theme, rng.choice(WHEN)]
        for _ in range(rng.randint(0, 3)):
            parts += [rng.choice((",", "and", "; and", ", including", ", as well as")), rng.choice(ACTIONS),
                      rng.choice(objects), "on", subject(rng, themes), rng.choice(WHEN + tails)]
        if rng.random() < 0.5:
            parts.append(rng.choice(tails))
    words = " ".join(parts).replace(" ,", ",").replace(" ;", ";").split()
    if rng.random() < 0.3 and len(words) > 8:
        at = rng.randrange(2, len(words) - 4)
        span = rng.randint(1, 4)
        words[at:at + span] = [bracket(rng, " ".join(words[at:at + span]))]
    return words


def original(rng: random.Random, count: int) -> list[Para]:
    """A text of `count` paragraphs: a tenth preambular, some near-twins of the paragraph before."""
    paras: list[Para] = []
    for index in range(count):
        preambular = index < count // 10
        if paras and rng.random() < 0.05 and paras[-1].preambular == preambular:
            twin = list(paras[-1].words)
            for _ in range(rng.randint(1, 2)):
                at = rng.randrange(len(twin))
                if not twin[at].startswith("["):
                    twin[at] = rng.choice(SUBJECT_NOUNS).split()[0]
            paras.append(Para(twin, preambular))
        else:
            paras.append(Para(sentence(rng, preambular), preambular))
    return paras


def edited(rng: random.Random, words: list[str]) -> list[str]:
    """The words with 5-20% of them substituted, inserted or deleted (bracket groups left alone)."""
    words = list(words)
    plain = [i for i, w in enumerate(words) if not w.startswith("[")]
    changes = max(1, round(len(words) * rng.uniform(0.05, 0.2)))
    for _ in range(changes):
        if not plain:
            break
        at = rng.choice(plain)
        roll = rng.random()
        if roll < 0.4:
            words[at] = rng.choice(FILLER + QUALIFIERS + ACTIONS)
        elif roll < 0.75:
            words.insert(at, rng.choice(FILLER))
        elif len(words) > 4:
            del words[at]
        plain = [i for i, w in enumerate(words) if not w.startswith("[")]
    return words


def rebracketed(rng: random.Random, words: list[str]) -> list[str]:
    """Brackets added, agreed (marks lifted) or re-attributed: the words read the same."""
    words = list(words)
    found = [i for i, w in enumerate(words) if w.startswith("[")]
    if found and rng.random() < 0.5:
        at = rng.choice(found)
        body = words[at][1:words[at].rindex("]")]
        words[at] = body if rng.random() < 0.5 else bracket(rng, body)
    elif len(words) > 6:
        at = rng.randrange(1, len(words) - 3)
        words[at:at + 3] = [bracket(rng, " ".join(words[at:at + 3]))]
    return words


def revision(rng: random.Random, old: list[Para], ids: list[str], *, removed: float = 0.04, edit: float = 0.10,
             rebracket: float = 0.05, moves: int = 10, splits: int = 10, merges: int = 10,
             new: float = 0.05) -> tuple[list[Para], set[str]]:
    """A Chair's redraft of `old` (ids `ids`), each paragraph knowing what it came from; and the ids removed."""
    paras = [Para(list(p.words), p.preambular, truth=i) for p, i in zip(old, ids)]
    gone = set(rng.sample(range(len(paras)), round(len(paras) * removed)))
    removed_ids = {paras[i].truth for i in gone}
    paras = [p for i, p in enumerate(paras) if i not in gone]
    for p in rng.sample(paras, round(len(paras) * edit)):
        p.words = edited(rng, p.words)
    for p in rng.sample(paras, round(len(paras) * rebracket)):
        p.words = rebracketed(rng, p.words)
    for _ in range(merges):
        at = rng.randrange(len(paras) - 1)
        first, second = paras[at], paras[at + 1]
        if first.merged or second.merged or first.split_from or second.split_from or len(first.words) < 6:
            continue
        first.words = [*first.words[:-1], first.words[-1].rstrip(";,.") + ",", "and", *second.words]
        first.merged = [first.truth, second.truth]
        del paras[at + 1]
    candidates = [i for i, p in enumerate(paras) if len(p.words) >= 24 and not p.merged]
    for at in sorted(rng.sample(candidates, min(splits, len(candidates))), reverse=True):
        whole = paras[at]
        cut = round(len(whole.words) * rng.uniform(0.55, 0.7))
        tail = ["The", "Secretariat", "shall", *whole.words[cut:]]
        whole.words = [*whole.words[:cut], ";"]
        paras.insert(at + 1, Para(tail, whole.preambular, split_from=whole.truth))
    for _ in range(moves):
        source = rng.randrange(len(paras))
        moving = paras.pop(source)
        paras.insert(rng.randrange(len(paras) + 1), moving)
    for _ in range(round(len(old) * new)):
        words = sentence(rng, False, NEW_THEMES, NEW_OBJECTS, NEW_TAILS)
        paras.insert(rng.randrange(len(paras) + 1), Para(words, False))
    return paras, removed_ids


def written(paras: list[Para], *, markers: bool) -> tuple[str, list[str]]:
    """The text as a Chair would publish it (numbered anew) and each paragraph's id."""
    lines: list[str] = []
    ids: list[str] = []
    number = 0
    for index, p in enumerate(paras):
        body = " ".join(p.words)
        if p.preambular:
            identifier = f"pp{index + 1}"
            line = body + ","
        else:
            number += 1
            identifier = f"op{number}"
            line = f"{number}. {body};"
            if index % 97 == 5:
                line = bracket(random.Random(index), line)
        ids.append(identifier)
        lines.append(f"{{#{identifier}}} {line}" if markers else line)
    return "\n\n".join(lines) + "\n", ids


@dataclass
class Score:
    """What one alignment got right, against the truth."""

    carried: int = 0
    kept: int = 0
    wrong: int = 0
    new: int = 0
    new_took_old: int = 0
    splits: int = 0
    splits_found: int = 0
    merges: int = 0
    merges_found: int = 0
    removed: int = 0
    removed_found: int = 0
    unsure: int = 0
    wrong_flagged: int = 0


def score(alignment: Alignment, paras: list[Para], new_ids: list[str], old_ids: list[str],
          removed_ids: set[str]) -> Score:
    """Compare `alignment` with the truth in `paras` (by index in the new text)."""
    by_new = {link.new: link for link in alignment.links if link.new is not None}
    by_old = {link.old: link for link in alignment.links if link.old is not None and link.new is None}
    renamed = carried_ids(alignment, old_ids, 2)
    old_set = set(old_ids)
    tally = Score(unsure=len(alignment.unsure()))
    for p, identifier in zip(paras, new_ids):
        link = by_new[identifier]
        if p.split_from:
            tally.splits += 1
            tally.splits_found += link.split_from == p.split_from
        if p.truth is None or p.split_from:
            tally.new += 1
            tally.new_took_old += renamed[identifier] in old_set
            continue
        tally.carried += 1
        if p.merged:
            tally.merges += 1
            right = link.old in p.merged
            others = [o for o in p.merged if o != link.old]
            tally.merges_found += right and all(by_old.get(o) and by_old[o].merged_into == identifier
                                                for o in others)
        else:
            right = link.old == p.truth
        tally.kept += right
        if not right:
            tally.wrong += 1
            tally.wrong_flagged += link.unsure
    for identifier in removed_ids:
        tally.removed += 1
        link = by_old.get(identifier)
        tally.removed_found += link is not None and link.merged_into is None
    return tally


def line_diff(old, new) -> Alignment:
    """The peer: paragraphs paired as a line diff pairs lines (difflib, equal texts in order), numbering aside;
    what it does not pair is new or removed."""
    from difflib import SequenceMatcher

    from cicatext.notation.alignment import Link, comparable

    a = [comparable(p) for p in old.paragraphs]
    b = [comparable(p) for p in new.paragraphs]
    paired: dict[int, int] = {}
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            paired[block.b + k] = block.a + k
    links = [Link(old.paragraphs[paired[j]].id if j in paired else None, p.id) for j, p in enumerate(new.paragraphs)]
    taken = set(paired.values())
    links += [Link(p.id, None) for i, p in enumerate(old.paragraphs) if i not in taken]
    return Alignment(tuple(links))


def best_time(old, new, repeat: int, **options) -> tuple[float, Alignment]:
    """The fastest of `repeat` alignments, in seconds, and the alignment."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        alignment = align(old, new, **options)
        times.append(time.perf_counter() - started)
    return min(times), alignment


def cold(old_text: str, new_text: str) -> float:
    """Seconds for a fresh interpreter to import the module and align once (reading the texts excluded)."""
    script = (
        "import sys, time\n"
        "from cicatext.notation.reader import parse\n"
        "old, new = parse(open(sys.argv[1]).read()), parse(open(sys.argv[2]).read())\n"
        "started = time.perf_counter()\n"
        "from cicatext.notation.alignment import align\n"
        "align(old, new)\n"
        "print(time.perf_counter() - started)\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder, "old.txt"), Path(folder, "new.txt")]
        paths[0].write_text(old_text)
        paths[1].write_text(new_text)
        done = subprocess.run([sys.executable, "-c", script, *map(str, paths)], capture_output=True, text=True,
                              check=True, cwd=ROOT)
    return float(done.stdout.strip())


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    base = original(rng, args.paragraphs)
    old_text, old_ids = written(base, markers=True)
    first = parse(old_text)
    assert [p.id for p in first.paragraphs] == old_ids

    cases: list[tuple[str, list[Para], set[str], bool]] = []
    for name, options in (("realistic", {}), ("heavy (30% edited)", {"edit": 0.30}),
                          ("redrafted (all edited)", {"edit": 1.0})):
        paras, removed_ids = revision(random.Random(f"{args.seed}-{name}"), base, old_ids, **options)
        cases.append((name, paras, removed_ids, False))
    cases.append(("realistic, new ids written", cases[0][1], cases[0][2], True))
    shuffled = [Para(list(p.words), p.preambular, truth=i) for p, i in zip(base, old_ids)]
    random.Random(args.seed).shuffle(shuffled)
    cases.append(("reordered wholesale", shuffled, set(), False))
    # A text of near-twins (one formula, three words telling the paragraphs apart), every one edited.
    twins = [Para(["Requests", "the", "Secretariat", "to", "prepare", "a", "short", "report", "on", "the", "matter",
                   "of", *(THEMES[i % 34].split()[:1] + THEMES[(i // 34) % 34].split()[:1]), str(i // 1156), "for",
                   "its", "next", "meeting"], base[i].preambular, truth=identifier)
             for i, identifier in enumerate(old_ids)]
    twin_old = [Para([*p.words[:6], *p.words[7:-3], "the", "next", "meeting"], p.preambular) for p in twins]
    unrelated = original(random.Random(args.seed + 1), args.paragraphs)
    cases.append(("near-twins, all edited", twins, set(), False))
    cases.append(("unrelated text", unrelated, set(), False))

    rows = []
    for name, paras, removed_ids, markers in cases:
        old = parse(written(twin_old, markers=True)[0]) if name.startswith("near-twins") else first
        new_text, new_ids = written(paras, markers=markers)
        new = parse(new_text)
        assert len(new.paragraphs) == len(paras)
        new_ids = [p.id for p in new.paragraphs]
        seconds, alignment = best_time(old, new, args.repeat)
        tally = score(alignment, paras, new_ids, old_ids, removed_ids)
        counts = alignment.counts()
        rows.append((name, f"{seconds * 1000:.0f} ms", percent(tally.kept, tally.carried),
                     f"{tally.new_took_old} of {tally.new}", percent(tally.splits_found, tally.splits),
                     percent(tally.merges_found, tally.merges), percent(tally.removed_found, tally.removed),
                     f"{tally.unsure} ({tally.wrong_flagged} of {tally.wrong} errors)",
                     f"{alignment.carried_share():.3f}", f"{counts['moved']}"))
    print(f"{args.paragraphs} paragraphs, seed {args.seed}, best of {args.repeat}; cold (fresh interpreter, "
          f"import and one realistic alignment): "
          f"{cold(old_text, written(cases[0][1], markers=False)[0]) * 1000:.0f} ms\n")
    # The peer, on the realistic revision: what pairing by a line diff would keep.
    realistic = parse(written(cases[0][1], markers=False)[0])
    started = time.perf_counter()
    peer = line_diff(first, realistic)
    peer_seconds = time.perf_counter() - started
    tally = score(peer, cases[0][1], [p.id for p in realistic.paragraphs], old_ids, cases[0][2])
    rows.append(("peer: line diff (difflib), realistic", f"{peer_seconds * 1000:.0f} ms",
                 percent(tally.kept, tally.carried), f"{tally.new_took_old} of {tally.new}", "—", "—",
                 percent(tally.removed_found, tally.removed), "—", f"{peer.carried_share():.3f}", "—"))
    header = ("revision", "align", "carried-over keep their id", "new took an old id", "splits recorded",
              "merges recorded", "removed recorded", "unsure (wrong ones flagged)", "carried_share", "moved")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
