"""Import and read 2 MB of drafts in the style they are circulated in.

The text is generated (deterministically, from a small vocabulary written
here): one paragraph per line and no blank line, numbered paragraphs with
`(a)` and `(i)` sub-paragraphs and `Option N:` blocks, wrapped lines,
alternatives side by side (`[shall][should]`), nested and attributed
brackets, and the traces of a PDF extract (a page header, a page number,
footnote digits after `]`, words hyphenated across lines). It is imported into
a fresh repository with `import_text` (splitting, ids, the notation check of
the stored text and the commit) and with `import_text(..., repair_pdf=True)`,
and the stored text is read with `read` and, every node made, `make_nodes`.

    python bench/bench_import.py [--mb 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from cicatext.notation.reader import make_nodes, read
from cicatext.records.paragraphing import split_paragraphs
from cicatext.store.register.create import import_text, init_repository

WORDS = ("each", "party", "shall", "communicate", "contribution", "progress", "finance", "support", "capacity",
         "framework", "transparency", "report", "review", "national", "adaptation", "mitigation", "technology",
         "developing", "countries", "secretariat", "guidance", "relevant", "information", "period", "biennial")
CODES = ("IRAN", "CHN", "IND", "AZER", "TUR", "SEC")
WIDTH = 88


def _phrase(rng: random.Random, low: int = 4, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random) -> str:
    """Running text with the brackets of a real draft: alternatives side by side, nested, attributed, footnotes."""
    parts = [_phrase(rng).capitalize()]
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.35:
            parts.append("[shall][should][may]")
        elif kind < 0.6:
            parts.append(f"[{_phrase(rng, 2, 5)} [{_phrase(rng, 1, 3)}]]")
        elif kind < 0.8:
            parts.append(f"[{_phrase(rng, 2, 6)}] (+{rng.choice(CODES)})")
        else:
            parts.append(f"[{_phrase(rng, 1, 4)}]{rng.randint(1, 99)}")
        parts.append(_phrase(rng, 3, 8))
    return " ".join(parts)


def _wrapped(head: str, text: str, indent: int) -> list[str]:
    """`head` and `text` wrapped at WIDTH as an extract wraps them, continuation lines hanging under the text;
    now and then a word hyphenated across the line end."""
    lines: list[str] = []
    line = " " * indent + head
    hang = " " * (indent + len(head))
    for word in text.split(" "):
        if len(line) + 1 + len(word) > WIDTH:
            if len(word) > 8 and len(lines) % 5 == 2:
                lines.append(f"{line} {word[:4]}-")
                line = hang + word[4:]
                continue
            lines.append(line)
            line = hang + word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    lines.append(line)
    return lines


def make_draft(size: int, seed: int = 15) -> str:
    """About `size` characters of a draft circulated one paragraph per line, as a PDF extract."""
    rng = random.Random(seed)
    lines = ["The Conference of the Parties,"]
    lines += [f"{verb} {_phrase(rng)}," for verb in ("Recalling", "Noting", "Recognizing")]
    number = 0
    page = 1
    total = 3
    while total < size:
        number += 1
        block = _wrapped(f"{number}. ", _sentence(rng) + ":", 0)
        for letter in "abc"[: rng.randint(1, 3)]:
            block += _wrapped(f"({letter}) ", _sentence(rng) + ";", 4)
            if rng.random() < 0.3:
                block += _wrapped("(i) ", _sentence(rng) + ";", 8)
                block += _wrapped("(ii) ", _sentence(rng) + ";", 8)
        if rng.random() < 0.25:
            block += _wrapped("Option 1: ", _sentence(rng) + ";", 0)
            block += ["Option 2: {No text required}"]
        lines += block
        if number % 6 == 0:
            page += 1
            lines += ["FCCC/XX/2099/L.1", f"GE.99-{10000 + page:05d}", str(page)]
        total += sum(len(line) + 1 for line in block)
    return "\n".join(lines) + "\n"


def _best(runs: list[float]) -> str:
    return f"{min(runs):.3f} s (median {statistics.median(runs):.3f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="megabytes of draft (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    args = parser.parse_args()
    text = make_draft(int(args.mb * 1_000_000))
    paragraphs, warnings = split_paragraphs(text)
    print(f"draft: {len(text.encode()) / 1e6:.2f} MB, {text.count(chr(10))} lines, {text.count('[')} brackets; "
          f"{len(paragraphs)} paragraphs, {len(warnings)} import warnings")

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        base = init_repository(folder / "base")
        timings: dict[str, list[float]] = {"split": [], "import": [], "import --repair-pdf": [], "read": [],
                                           "read, every node": []}
        for run in range(args.repeat):
            started = time.perf_counter()
            split_paragraphs(text)
            timings["split"].append(time.perf_counter() - started)
            for name, repair in (("import", False), ("import --repair-pdf", True)):
                target = folder / f"{name.split()[-1].strip('-')}-{run}"
                shutil.copytree(base.root, target, symlinks=True)
                from cicatext.store.repository import Repository

                repo = Repository(target)
                started = time.perf_counter()
                result = import_text(repo, text, symbol="MC/2099/DRAFT/1", title="Bench", repair_pdf=repair)
                timings[name].append(time.perf_counter() - started)
            stored = repo.read_text(f"documents/{result.slug}/en.txt")
            started = time.perf_counter()
            reading = read(stored, codes=repo.codes)
            timings["read"].append(time.perf_counter() - started)
            started = time.perf_counter()
            make_nodes(read(stored, codes=repo.codes).draft)
            timings["read, every node"].append(time.perf_counter() - started)
        print(f"stored text: {len(stored.encode()) / 1e6:.2f} MB, {len(reading.draft.paragraphs)} paragraphs, "
              f"{len(reading.problems)} problems; {len(result.warnings)} warnings with --repair-pdf")
        for name, runs in timings.items():
            print(f"{name:<20} {_best(runs)}")
        total = min(timings["import"]) + min(timings["read"])
        print(f"{'import + read':<20} {total:.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
