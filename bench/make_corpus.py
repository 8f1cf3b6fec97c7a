"""A realistic cicatext repository of any size, deterministic for a seed: the yardstick of bench/run.py.

    python bench/make_corpus.py OUT --documents N --delegations D --rounds R [--seed S]

What it holds:

- `cicatext init`'s template; for more than 28 delegations, extra member
  states S029, S030, ... in the registry;
- N documents of 20 to 300 paragraphs (most short, a few long; the first is
  always 300 paragraphs: the "focus" document) made of the seed's sentences
  (cicatext/seed/swg-739.txt) recombined, with nested, attributed brackets,
  options and reservations naming registry codes;
- meetings (each listing the documents it considered) and one coordinators
  file per priority area;
- D delegation branches `delegations/CODE`, each with position sets on the
  focus document and on two other documents;
- R rounds on the focus document compiled by `run_round` (merge commits
  tagged `round/<slug>/<N>`), and after them one more set of proposals from
  every delegation, not yet compiled, for the benchmark's own round.

Speed: files are written directly and committed with one `git add -A` and
`git commit` per phase; delegation branches are made with `git fast-import`
(no checkouts). Every commit and tag carries a fixed date, so the same
arguments and seed give the same repository.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

SEED = 20230614
SECRETARIAT = ("CICA Secretariat", "secretariat@cica.example")
BASE_DATE = "2024-01-15T10:00:00+06:00"
BODIES = ("SWG", "SOC", "MC")
SERIES = ("DRAFT", "DRAFT", "DRAFT", "CHAIR", "SEC", "INF")
KINDS = ("decision", "statement", "road-map", "recommendations", "report", "other")
PREAMBULAR = ("Recognizing", "Reaffirming", "Noting", "Welcoming", "Recalling", "Stressing", "Acknowledging",
              "Emphasizing", "Guided by", "Mindful of", "Convinced", "Expressing")
OTHER_DOCUMENTS_PER_DELEGATION = 2
ENTRIES_PER_ROUND = 3


# Sentences ----------------------------------------------------------------------


def seed_sentences() -> list[list[str]]:
    """The seed's paragraphs without numbering, ids and bracket notation, cut into clauses of 6 words or more."""
    from cicatext.resources import seed_file

    text = seed_file().read_text(encoding="utf-8")
    text = re.sub(r"\((?:[+-][A-Z]{2,5}|[A-Z]{2,5} tcb)\)", " ", text)
    text = re.sub(r"\([A-Z][A-Za-z/.\d-]*\)", " ", text)  # (RMT), (SWG): no attribution, but one to the eye
    text = text.replace("[", " ").replace("]", " ").replace("*", " ")
    clauses: list[list[str]] = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        block = re.sub(r"^\d+(?:\.\d+)*(?:altern)?\.\s*", "", block)
        for clause in re.split(r"(?<=[;.])\s+", block):
            words = [w for w in clause.strip(" ;.,").split() if not re.fullmatch(r"[\W\d]+", w)]
            # Only prose: at least six words, mostly lower-case (no headings, no addresses).
            if len(words) >= 6 and sum(w[:1].islower() for w in words) >= len(words) * 0.6:
                clauses.append(words)
    return clauses


class Writer:
    """Makes bracketed paragraphs from the seed's clauses with one random generator."""

    def __init__(self, rng: random.Random, clauses: list[list[str]], codes: list[str]) -> None:
        self.rng = rng
        self.clauses = clauses
        self.codes = codes

    def code(self, avoid: str | None = None) -> str:
        while True:
            chosen = self.rng.choice(self.codes)
            if chosen != avoid:
                return chosen

    def words(self) -> list[str]:
        words: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2, 2, 3))):
            words.extend(self.rng.choice(self.clauses))
        return words

    def bracket(self, words: list[str]) -> str:
        """Some words with one construct of the notation in them."""
        rng = self.rng
        if len(words) < 8:
            return " ".join(words)
        size = rng.randint(2, min(12, len(words) - 3))
        start = rng.randint(1, len(words) - size - 1)
        before, span, after = words[:start], words[start:start + size], words[start + size:]
        shape = rng.random()
        first = self.code()
        if shape < 0.45:
            inner = f"[{' '.join(span)}] ({rng.choice('+-')}{first})"
        elif shape < 0.7 and size >= 5:
            cut = rng.randint(1, size - 2)
            nested = f"[{' '.join(span[cut:cut + 2])}] (-{self.code(first)})"
            inner = f"[{' '.join(span[:cut])} {nested} {' '.join(span[cut + 2:])}".rstrip() + f"] (+{first})"
        elif shape < 0.85:
            other = self.rng.choice(self.clauses)[: rng.randint(2, 6)]
            inner = f"[[{' '.join(span)}] (-{first}), [{' '.join(other)}] (+{first})]"
        else:
            inner = f"[{' '.join(span)}] (+{first}) ({self.code(first)} tcb)"
        return " ".join([*before, inner, *after])

    def paragraph(self, pid: str, label: str | None, preambular: bool) -> str:
        words = self.words()
        rate = self.rng.random()
        body = self.bracket(words) if rate < 0.4 else " ".join(words)
        if rate < 0.1 and "[" not in body:
            body = self.bracket(body.split())
        if preambular:
            text = f"*{self.rng.choice(PREAMBULAR)}* {body},"
        else:
            text = f"{label} {body[:1].upper()}{body[1:]};"
            if self.rng.random() < 0.03:
                text = f"[{text}] (+{self.code()}) (SEC tcb)"
        return f"{{#{pid}}} {text}"

    def document(self, paragraphs: int) -> str:
        preambular = max(1, paragraphs // 6)
        blocks = []
        for n in range(1, paragraphs + 1):
            if n <= preambular:
                blocks.append(self.paragraph(f"pp{n}", None, True))
            else:
                number = n - preambular
                blocks.append(self.paragraph(f"op{number}", f"{number}.", False))
        return "\n\n".join(blocks) + "\n"


# Records ------------------------------------------------------------------------


def state_record(code: str, number: int) -> str:
    iso3 = f"X{chr(65 + number // 26 % 26)}{chr(65 + number % 26)}"
    return (f"code: {code}\niso3: {iso3}\nname:\n  en: Member State {number}\n  ru: Государство-член {number}\n"
            f"formal_name:\n  en: The Member State number {number}\n  ru: Государство-член номер {number}\n"
            f"member_since: {1992 + number % 30}\n")


def document_symbols(rng: random.Random, count: int) -> list[str]:
    symbols, seen = [], set()
    serial: dict[tuple, int] = {}
    while len(symbols) < count:
        body, year, series = rng.choice(BODIES), rng.randint(2024, 2043), rng.choice(SERIES)
        key = (body, year, series)
        serial[key] = serial.get(key, 0) + 1
        symbol = f"{body}/{year}/{series}/{serial[key]}"
        if symbol not in seen:
            seen.add(symbol)
            symbols.append(symbol)
    return symbols


def yaml_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def document_record(symbol: str, title: str, kind: str, sponsor: str, meeting: str, date: str) -> str:
    body = symbol.split("/", 1)[0]
    return (f"symbol: {symbol}\nkind: {kind}\ntitle:\n  en: {yaml_quote(title)}\nsponsor: {sponsor}\n"
            f"body: {'SOC' if body == 'SWG' else body}\nlanguages:\n  - en\ndate: '{date}'\n"
            f"revisions:\n  - rev: 0\n    symbol: {symbol}\n    date: '{date}'\n"
            f"status:\n  - body: SWG\n    action: considered\n    date: '{date}'\n    meeting: {meeting}\n")


def meeting_record(meeting: str, start: str, end: str, symbols: list[str]) -> str:
    lines = [f"id: {meeting}", "body: SWG", "dates:", f"  from: {start}", f"  to: {end}",
             "place:", "  en: Astana", "  ru: Астана", "mode: hybrid", "documents:"]
    for symbol in symbols:
        lines += [f"  - symbol: {symbol}", "    action: considered"]
    return "\n".join(lines) + "\n"


def coordinator_record(area: str, coordinator: str, co: str, year: int) -> str:
    lines = [f"area: {area}", "appointments:"]
    for state, role in ((coordinator, "coordinator"), (co, "co-coordinator")):
        lines += [f"  - state: {state}", f"    role: {role}", "    state_of_record: recommended",
                  f"    from: {year}-01-01", f"    to: {year + 1}-12-31", "    recommendation:", "      body: SWG",
                  "      meeting: m-0001"]
    return "\n".join(lines) + "\n"


# Position sets ------------------------------------------------------------------


_WORDS = re.compile(r"\S+")


def anchor_entries(rng: random.Random, code: str, draft, first_id: int, count: int) -> list[dict]:
    """`count` entries of one delegation on a draft, each anchored in a paragraph's reading text."""
    from cicatext.notation.paragraph_text import paragraph_text

    paragraphs = [p for p in draft.paragraphs if p.id.startswith("op")]
    entries = []
    for number in range(count):
        paragraph = rng.choice(paragraphs)
        located = paragraph_text(paragraph)
        spans = [m.span() for m in _WORDS.finditer(located.reading)]
        kind = rng.choice(("insert", "delete", "replace", "replace", "reserve" if located.brackets else "delete"))
        entry: dict = {"id": f"e{first_id + number}", "action": kind, "paragraph": paragraph.id}
        if kind == "reserve":
            entry["bracket"] = f"{paragraph.id}:{rng.randint(1, len(located.brackets))}"
        elif len(spans) >= 10:
            at = rng.randint(3, len(spans) - 6)
            reading = located.reading
            before = reading[spans[at - 3][0]:spans[at - 1][1]]
            if kind == "insert":
                entry["anchor"] = {"before": before, "text": "", "after": reading[spans[at][0]:spans[at + 2][1]]}
                entry["text"] = f"as proposed by {code}"
            else:
                entry["anchor"] = {"before": before, "text": reading[spans[at][0]:spans[at + 1][1]],
                                   "after": reading[spans[at + 2][0]:spans[at + 4][1]]}
                if kind == "replace":
                    entry["text"] = rng.choice(("in accordance with national legislation", f"wording of {code}"))
        else:
            continue
        entries.append(entry)
    return entries


def position_set(code: str, symbol: str, entries: list[dict]) -> str:
    from cicatext.store import yamlio

    return yamlio.dump({"delegation": code, "document": symbol, "entries": entries})


# Git ----------------------------------------------------------------------------


def git(root: Path, *args: str, input: bytes | None = None, env: dict | None = None) -> str:
    full = dict(os.environ, **(env or {}))
    process = subprocess.run(["git", *args], cwd=root, input=input, capture_output=True, env=full)
    if process.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:2])} failed: {process.stderr.decode(errors='replace')}")
    return process.stdout.decode("utf-8")


def identity(date: str) -> dict:
    from cicatext.store.git import identity_env

    return identity_env(SECRETARIAT, date)


def commit_all(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "--no-verify", "-m", message, env=identity(date))


def write_files(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def branch_commits(root: Path, parent: str, files_by_code: dict[str, dict[str, str]], message: str,
                   seconds: int) -> None:
    """One commit per delegation on `delegations/CODE`, on top of `parent`, adding or replacing its files."""
    stream: list[bytes] = []
    for code, files in files_by_code.items():
        text = f"{code}: {message}".encode()
        stream.append(b"commit refs/heads/delegations/%s\n" % code.encode()
                      + b"committer Delegation %s <%s@cicatext.invalid> %d +0600\n"
                      % (code.encode(), code.lower().encode(), seconds)
                      + b"data %d\n%s\n" % (len(text), text)
                      + b"from %s\n" % parent.encode())
        for path, content in sorted(files.items()):
            raw = content.encode("utf-8")
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(raw), raw))
    git(root, "fast-import", "--quiet", "--force", input=b"".join(stream))


# The corpus ---------------------------------------------------------------------


def make_corpus(out: Path, documents: int, delegations: int, rounds: int, seed: int = SEED,
                log=lambda message: None) -> Path:
    """Build the repository at `out` (a new or empty folder) and return its path."""
    from cicatext.notation.reader import read
    from cicatext.records.symbols import parse_symbol
    from cicatext.resources import template_dir
    from cicatext.store.register.create import init_repository
    from cicatext.store.negotiation.rounds import run_round
    from cicatext.store.repository import Repository

    out = Path(out).resolve()
    rng = random.Random(seed)
    started = time.perf_counter()
    repo = init_repository(out, author=SECRETARIAT, date=BASE_DATE)

    existing = sorted(p.stem for p in (template_dir() / "registry" / "states").glob("*.yaml"))
    extra = [f"S{n:03d}" for n in range(len(existing) + 1, delegations + 1)]
    files: dict[str, str] = {f"registry/states/{code}.yaml": state_record(code, int(code[1:])) for code in extra}
    codes = existing + extra
    delegation_codes = codes[:delegations]
    writer = Writer(rng, seed_sentences(), codes + ["SEC"])

    symbols = document_symbols(rng, documents)
    slugs = [parse_symbol(s).slug() for s in symbols]
    meetings = [f"m-{n:04d}" for n in range(1, max(2, documents // 50) + 1)]
    considered: dict[str, list[str]] = {m: [] for m in meetings}
    texts: dict[str, str] = {}
    for index, (symbol, slug) in enumerate(zip(symbols, slugs)):
        paragraphs = 300 if index == 0 else 20 + int(280 * rng.random() ** 4)
        meeting = meetings[index % len(meetings)]
        considered[meeting].append(symbol)
        month = 1 + index % len(meetings) % 12
        date = f"{2023 + index % len(meetings) // 12:04d}-{month:02d}-{1 + index % 28:02d}"
        title = " ".join(rng.choice(writer.clauses)[:8])
        sponsor = rng.choice(("CHAIR", "SEC", writer.code()))
        sponsor = "SEC" if sponsor not in codes and sponsor != "CHAIR" else sponsor
        files[f"documents/{slug}/document.yaml"] = document_record(symbol, title[:1].upper() + title[1:],
                                                                   rng.choice(KINDS), sponsor, meeting, date)
        texts[slug] = files[f"documents/{slug}/en.txt"] = writer.document(paragraphs)
    for number, meeting in enumerate(meetings):
        year, month = 2023 + number // 12, 1 + number % 12
        files[f"meetings/{meeting}.yaml"] = meeting_record(meeting, f"{year}-{month:02d}-13", f"{year}-{month:02d}-14",
                                                           considered[meeting][:20])
    for number, area in enumerate(sorted(p.stem for p in (out / "registry" / "areas").glob("*.yaml"))):
        first = codes[number % len(codes)]
        files[f"coordinators/{area}.yaml"] = coordinator_record(area, first, codes[(number + 7) % len(codes)],
                                                                2031 + number % 3)
    write_files(out, files)
    commit_all(out, f"{documents} documents, {len(meetings)} meetings, coordinators of every area", BASE_DATE)
    log(f"documents written and committed: {time.perf_counter() - started:.1f} s")

    focus_symbol, focus_slug = symbols[0], slugs[0]
    others = slugs[1:] or slugs
    next_id = {code: 1 for code in delegation_codes}
    focus_entries: dict[str, list[dict]] = {code: [] for code in delegation_codes}
    repo = Repository(out)
    drafts: dict = {}
    for number in range(1, rounds + 2):
        main = git(out, "rev-parse", "main").strip()
        draft = read(git(out, "show", f"main:documents/{focus_slug}/en.txt")).draft
        branch_files: dict[str, dict[str, str]] = {}
        for code in delegation_codes:
            new = anchor_entries(rng, code, draft, next_id[code], ENTRIES_PER_ROUND)
            next_id[code] += ENTRIES_PER_ROUND
            focus_entries[code].extend(new)
            changed = {f"positions/{code}/{focus_slug}.yaml": position_set(code, focus_symbol, focus_entries[code])}
            if number == 1:
                for slug in rng.sample(others, min(OTHER_DOCUMENTS_PER_DELEGATION, len(others))):
                    if slug not in drafts:
                        drafts[slug] = read(texts[slug]).draft
                    other = drafts[slug]
                    changed[f"positions/{code}/{slug}.yaml"] = position_set(
                        code, symbols[slugs.index(slug)], anchor_entries(rng, code, other, 1, 2))
            branch_files[code] = changed
        # Branches start from main: after a round, main descends from them, so this is a fast-forward.
        branch_commits(out, main, branch_files, f"proposals for round {number}", 1705291200 + number * 86400)
        log(f"proposals {number}: {len(delegation_codes)} branches: {time.perf_counter() - started:.1f} s")
        if number <= rounds:
            date = f"2024-{1 + number:02d}-14T18:00:00+06:00"
            run_round(repo, focus_symbol, date=date, author=SECRETARIAT)
            log(f"round {number} on {focus_symbol}: {time.perf_counter() - started:.1f} s")
    git(out, "gc", "--quiet", "--auto")
    return out


def tree_digest(root: Path) -> str:
    """One digest of every tracked file of main and every delegation branch (for determinism checks)."""
    import hashlib

    refs = git(root, "for-each-ref", "--format=%(refname) %(tree)", "refs/heads/")
    return hashlib.sha1(refs.encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a new or empty folder")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--delegations", type=int, default=28)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.documents < 1 or args.delegations < 1 or args.rounds < 0:
        parser.error("--documents and --delegations must be at least 1, --rounds at least 0")
    started = time.perf_counter()
    make_corpus(args.out, args.documents, args.delegations, args.rounds, args.seed,
                log=lambda message: print(message, file=sys.stderr))
    print(f"{args.out}: {args.documents} documents, {args.delegations} delegations, {args.rounds} rounds "
          f"in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
