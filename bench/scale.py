"""How cost grows: bench/run.py's table at several sizes, each task's growth stated from the figures.

    python bench/scale.py [--sizes 500,5000,20000] [--cache DIR] [--repeat 3] [--delegations 193] [--rounds 3]

For each size, a corpus is made by bench/make_corpus.py once and kept in
`--cache` (default: `cicatext-bench` in the user's cache folder), so a later
run starts at once; run.py measures it (on copies: the cached corpus is never
changed) and writes its rows as JSON. Then one table prints each task's time
at every size and how it grew from the smallest size to the largest, as the
exponent k of time ∝ documents^k:

- k ≥ 0.6: grows with the number of documents;
- 0.2 ≤ k < 0.6: grows, less than in proportion;
- k < 0.2: does not grow with the number of documents.

Beside it stands what each task should depend on by its nature: the
documents, the size of the change (the same at every size here: one round
of the same proposals, one letter edited, two rounds of the same
document), or neither. A task that should depend on the change alone and
grows with the documents is marked.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

# What each task should depend on, by the start of its name in run.py's table.
NATURE = (
    ("validate every record, cold", "documents"),
    ("validate again after a one-letter edit", "the change"),
    ("validate again", "the change"),
    ("parse every text", "documents"),
    ("compile a round", "the change"),
    ("diff", "the change"),
    ("search every paragraph", "documents"),
    ("the index file ready", "documents"),
    ("search, as a command, index up to date", "the query"),
    ("search, in-process", "the query"),
    ("search, as a command, after a one-letter edit", "the change"),
    ("first usable screen of the UI, first start ever", "documents"),
    ("first usable screen of the UI, later starts", "the screen"),
    ("align two revisions", "the change"),
    ("import 2 MB", "the change"),
    ("read a Word file", "the change"),
    ("a round of 193 delegations", "the change"),
    ("the same round", "the change"),
)


def nature(task: str) -> str:
    return next((what for start, what in NATURE if task.startswith(start)), "—")


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cicatext-bench"


def corpus(cache: Path, documents: int, delegations: int, rounds: int) -> Path:
    """The cached corpus of this size, made once."""
    folder = cache / f"corpus-{documents}-{delegations}-{rounds}"
    complete = cache / f"corpus-{documents}-{delegations}-{rounds}.complete"
    if (folder / ".git").is_dir() and complete.is_file():
        return folder
    if folder.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(folder), "--documents", str(documents),
                    "--delegations", str(delegations), "--rounds", str(rounds)], check=True, capture_output=True)
    complete.touch()  # beside the corpus, not in it: the build finished
    print(f"corpus of {documents} documents built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def growth(sizes: list[int], seconds: list[float | None]) -> tuple[str, float | None]:
    known = [(n, s) for n, s in zip(sizes, seconds) if s]
    if len(known) < 2:
        return "—", None
    (n0, s0), (n1, s1) = known[0], known[-1]
    k = math.log(s1 / s0) / math.log(n1 / n0)
    if k >= 0.6:
        return "with the documents", k
    if k >= 0.2:
        return "less than in proportion", k
    return "does not grow", k


def shown(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--delegations", type=int, default=193)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    tables: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="cicatext-scale-") as folder:
        for size in sizes:
            path = corpus(args.cache, size, args.delegations, args.rounds)
            out = Path(folder) / f"{size}.json"
            started = time.perf_counter()
            subprocess.run([sys.executable, str(BENCH / "run.py"), "--corpus", str(path), "--repeat",
                            str(args.repeat), "--json", str(out)], check=True)
            print(f"{size} documents measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            tables[size] = json.loads(out.read_text(encoding="utf-8"))
    tasks = [r["task"] for r in tables[sizes[0]]["rows"]]
    print(f"\n| task | {' | '.join(f'{n:,} documents' for n in sizes)} | grows (k) | should depend on | peak memory "
          f"at {sizes[-1]:,} |")
    print("|---|" + "---|" * len(sizes) + "---|---|---|")
    for index, task in enumerate(tasks):
        rows = [tables[n]["rows"][index] if index < len(tables[n]["rows"]) else None for n in sizes]
        seconds = [r["ours"]["seconds"] if r and r["ours"] else None for r in rows]
        how, k = growth(sizes, seconds)
        should = nature(task)
        mark = " **(grows, should not)**" if should != "documents" and k is not None and k >= 0.2 else ""
        last = rows[-1]["ours"] if rows[-1] and rows[-1]["ours"] else None
        memory = f"{last['rss_kb'] / 1024:.0f} MB" if last else "—"
        exponent = f" ({k:.2f})" if k is not None else ""
        print(f"| {task} | {' | '.join(shown(s) for s in seconds)} | {how}{exponent}{mark} | {should} | {memory} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
