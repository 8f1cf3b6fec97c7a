"""Throughput and peak memory of the bracket reader on a ~10 MB bracketed text.

The text is built from the seed's paragraphs (deterministically: nested,
attributed, with options groups and id markers), then read with
`cicatext.notation.reader.read` and scanned with a bare regular expression of
the same significant characters, in the same run, so the two figures compare.
A text this large is read lazily (`reader.LAZY_FROM`): `read()` checks every
paragraph and finds every problem, the draft makes its paragraphs when they
are first asked for (when its id markers tell them apart), and each
paragraph makes its nodes on first use; "every paragraph made" times
`read()` followed by asking for the paragraphs, "every node made" `read()`
followed by `make_nodes`, which makes them all at once.

    python bench/bench_notation.py [--mb 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import time
import tracemalloc
from pathlib import Path

from cicatext.notation.reader import make_nodes, read
from cicatext.notation.render import render
from cicatext.notation.views import bracket_list

SEED = Path(__file__).resolve().parent.parent / "cicatext" / "seed" / "swg-739.txt"
CODES = ("IRAN", "CHN", "IND", "AZER", "TUR", "SEC", "RUS", "KAZ")
BARE_SCAN = re.compile(r"\[|\]|\((?:[+-][A-Z]+|[A-Z]+ tcb)\)")


def attributions(rng: random.Random) -> str:
    """One to three attributions, as a delegation would write them."""
    parts = []
    for code in rng.sample(CODES, rng.randint(1, 3)):
        kind = rng.random()
        parts.append(f"(+{code})" if kind < 0.45 else f"(-{code})" if kind < 0.85 else f"({code} tcb)")
    return " " + " ".join(parts)


def bracketed(paragraph: str, rng: random.Random, rate: float) -> str:
    """The paragraph with some word spans bracketed: plain, nested, options, trailing punctuation.

    `rate` scales how often a bracket starts at a word (1.0: about one bracket per 100 bytes).
    """
    words = paragraph.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        roll = rng.random() / rate
        room = len(words) - i
        if room > 5 and not any(w.startswith("(") for w in words[i : i + 6]):
            if roll < 0.06:
                k = rng.randint(1, 4)
                out.append("[" + " ".join(words[i : i + k]) + "]" + attributions(rng))
                i += k
                continue
            if roll < 0.08:
                inner = "[" + " ".join(words[i + 1 : i + 3]) + "]" + attributions(rng)
                out.append(f"[{words[i]} {inner} {words[i + 3]}]" + attributions(rng))
                i += 4
                continue
            if roll < 0.09:
                out.append(
                    f"[[{words[i]}]{attributions(rng)}, [{words[i + 1]} {words[i + 2]}]{attributions(rng)}]"
                )
                i += 3
                continue
            if roll < 0.095:
                out.append(f"[, {words[i]} {words[i + 1]}]." + attributions(rng))
                i += 2
                continue
        out.append(words[i])
        i += 1
    return " ".join(out)


def build(megabytes: float, rate: float = 0.4) -> str:
    """A deterministic bracketed text of about `megabytes` MB of UTF-8."""
    seed = SEED.read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", seed) if p.strip()]
    plain = [p for p in paragraphs if "[" not in p and "]" not in p]
    bracketed_seed = [p for p in paragraphs if "[" in p]
    rng = random.Random(739)
    blocks: list[str] = []
    size = 0
    target = int(megabytes * 1_000_000)
    n = 0
    while size < target:
        n += 1
        if n % 25 == 0:
            body = bracketed_seed[n // 25 % len(bracketed_seed)]
        else:
            body = bracketed(plain[n % len(plain)], rng, rate)
            if rng.random() < 0.05:
                body = f"[{body}]{attributions(rng)}"
        block = f"{{#p{n}x}} {body}"
        blocks.append(block)
        size += len(block.encode("utf-8")) + 2
    return "\n\n".join(blocks) + "\n"


def race(repeat: int, **runs) -> dict[str, float]:
    """The shortest of `repeat` timed runs of each function, in seconds of CPU time.

    The functions take turns within each round, so a noisy machine slows
    them alike; CPU time rather than wall time, so that other processes on
    the machine count less; freeing a result is not timed.
    """
    best = {name: float("inf") for name in runs}
    for _ in range(repeat):
        for name, func in runs.items():
            gc.collect()
            started = time.process_time()
            result = func()
            best[name] = min(best[name], time.process_time() - started)
            del result
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=10.0, help="size of the text in MB (default 10)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (default 5)")
    parser.add_argument(
        "--rate",
        type=float,
        default=0.4,
        help="bracket density: 1.0 is about one bracket per 100 bytes; the default 0.4 is about twice "
        "as dense as the seed's draft statement",
    )
    args = parser.parse_args()

    text = build(args.mb, args.rate)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    reading = read(text)
    errors = [p for p in reading.problems if p.severity == "error"]
    assert not errors, errors[:3]
    assert render(reading.draft) == text
    brackets = len(bracket_list(reading.draft))
    del reading

    best = race(
        args.repeat,
        findall=lambda: BARE_SCAN.findall(text),
        finditer=lambda: [m.start() for m in BARE_SCAN.finditer(text)],
        read=lambda: read(text),
        read_paragraphs=lambda: read(text).draft.paragraphs,
        read_all=lambda: make_nodes(read(text).draft),
    )
    regex_findall, regex_finditer, reader = best["findall"], best["finditer"], best["read"]
    bytes_per_bracket = len(text.encode("utf-8")) / max(brackets, 1)

    gc.collect()
    tracemalloc.start()
    kept = read(text)
    current, peak = tracemalloc.get_traced_memory()
    make_nodes(kept.draft)
    current_all, peak_all = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept

    print(
        f"text: {megabytes:.2f} MB, {text.count(chr(10)) + 1} lines, {brackets} brackets "
        f"(one per {bytes_per_bracket:.0f} bytes)"
    )
    print(f"bare regex scan (findall):  {megabytes / regex_findall:8.1f} MB/s  ({regex_findall * 1000:.0f} ms)")
    print(f"bare regex scan (finditer): {megabytes / regex_finditer:8.1f} MB/s  ({regex_finditer * 1000:.0f} ms)")
    print(f"read():                     {megabytes / reader:8.1f} MB/s  ({reader * 1000:.0f} ms)")
    print(f"read() / regex findall:     {regex_findall / reader:8.2f}")
    paragraphs = best["read_paragraphs"]
    print(f"read() + every paragraph:   {megabytes / paragraphs:8.1f} MB/s  ({paragraphs * 1000:.0f} ms)")
    print(f"  that / regex findall:     {regex_findall / paragraphs:8.2f}")
    whole = best["read_all"]
    print(f"read() + every node made:   {megabytes / whole:8.1f} MB/s  ({whole * 1000:.0f} ms)")
    print(f"  that / regex findall:     {regex_findall / whole:8.2f}")
    print(f"read() peak memory:         {peak / 1_000_000:8.1f} MB  (kept: {current / 1_000_000:.1f} MB)")
    print(f"  every node made:          {peak_all / 1_000_000:8.1f} MB  (kept: {current_all / 1_000_000:.1f} MB)")


if __name__ == "__main__":
    main()
