"""A round of 193 delegations' position sets (five entries each) on a 300-paragraph document, beside plain git merges.

Builds one repository: a 300-paragraph document on main and 193 branches
delegations/D001 ... D193, each one commit adding its position set (made in
one `git fast-import`). Then, on copies of it, measures in the same run:

- `cicatext round` (in-process `run_round`, and the command line as a subprocess),
- a plain octopus `git merge` of the same 193 branches (one command),
- plain sequential `git merge` of the branches one after another (193 commands).

Usage: python bench/bench_round.py [--delegations 193] [--paragraphs 300] [--entries 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYMBOL = "MC/2024/DRAFT/9"
SLUG = "mc-2024-draft-9"
WORDS = ("volunteer", "cooperation", "development", "member", "states", "regional", "security", "dialogue",
         "promote", "support", "encourage", "youth", "programme", "initiative", "national", "policies",
         "sustainable", "confidence", "measures", "exchange", "practices", "capacity", "forum", "agenda",
         "network", "centres", "platform", "training", "experience", "partnership", "economic", "cultural")


def git(path: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=path, input=input, capture_output=True, check=True).stdout


def paragraph_words(rng: random.Random, index: int) -> list[str]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(38, 48))]
    # A unique token every few words keeps anchors of five words unambiguous, as real prose is.
    for at in range(0, len(words), 4):
        words[at] = f"{words[at]}{index}x{at}"
    return words


def build(root: Path, delegations: int, paragraphs: int, entries: int) -> None:
    from cicatext.store import yamlio
    from cicatext.store.register.create import init_repository

    rng = random.Random(20230614)
    repo = init_repository(root)
    codes = [f"D{n:03d}" for n in range(1, delegations + 1)]
    states = {f"registry/states/{c}.yaml": f"code: {c}\nname:\n  en: Delegation {c}\n" for c in codes}
    texts = []
    word_lists = []
    for n in range(1, paragraphs + 1):
        words = paragraph_words(rng, n)
        word_lists.append(words)
        body = " ".join(words)
        if n % 10 == 0:
            body = f"{body} [with existing reservations] (SEC tcb)"
        texts.append(f"{{#op{n}}} {n}. {body[0].upper()}{body[1:]};")
    record = {"symbol": SYMBOL, "kind": "decision", "title": {"en": "Benchmark draft"}, "sponsor": "CHAIR",
              "languages": ["en"], "revisions": [{"rev": 0, "symbol": SYMBOL}]}
    states[f"documents/{SLUG}/document.yaml"] = yamlio.dump(record)
    states[f"documents/{SLUG}/en.txt"] = "\n\n".join(texts) + "\n"
    repo.commit(states, "Benchmark document and delegations")

    stream: list[bytes] = []
    main = git(root, "rev-parse", "main").decode().strip()
    for k, code in enumerate(codes):
        items = []
        for i in range(entries):
            number = (k * entries + i) * 7 % paragraphs + 1
            words = word_lists[number - 1]
            kind = ("insert", "delete", "replace", "reserve", "replace")[i % 5]
            at = 4 * rng.randint(1, (len(words) - 8) // 4)
            anchor = {"before": " ".join(words[at - 3:at]), "text": " ".join(words[at:at + 2]),
                      "after": " ".join(words[at + 2:at + 5])}
            entry = {"id": f"e{i + 1}", "action": kind, "paragraph": f"op{number}"}
            if kind == "insert":
                anchor.update(text="", after=" ".join(words[at:at + 3]))
                entry.update(anchor=anchor, text=f"proposal of {code}")
            elif kind == "delete":
                entry.update(anchor=anchor)
            elif kind == "replace":
                # Neighbouring delegations propose the same or different words for one span.
                entry.update(anchor=anchor, text=rng.choice(["shared wording", f"wording of {code}"]))
            else:
                tens = number - number % 10 or 10
                entry.update(paragraph=f"op{tens}", bracket=f"op{tens}:1")
            items.append(entry)
        content = yamlio.dump({"delegation": code, "document": SYMBOL, "entries": items}).encode()
        path = f"positions/{code}/{SLUG}.yaml"
        message = f"{code} proposes".encode()
        stream.append(
            b"commit refs/heads/delegations/%s\n" % code.encode()
            + b"committer Bench <bench@cicatext.invalid> 1700000000 +0000\n"
            + b"data %d\n%s\n" % (len(message), message)
            + b"from %s\n" % main.encode()
            + b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content))
    git(root, "fast-import", "--quiet", input=b"".join(stream))


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegations", type=int, default=193)
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--entries", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("GIT_AUTHOR_NAME", "Bench")
    os.environ.setdefault("GIT_AUTHOR_EMAIL", "bench@cicatext.invalid")
    os.environ.setdefault("GIT_COMMITTER_NAME", "Bench")
    os.environ.setdefault("GIT_COMMITTER_EMAIL", "bench@cicatext.invalid")

    from cicatext.store.negotiation.rounds import run_round
    from cicatext.store.repository import Repository

    with tempfile.TemporaryDirectory(prefix="cicatext-bench-") as folder:
        base = Path(folder) / "base"
        started = time.perf_counter()
        build(base, args.delegations, args.paragraphs, args.entries)
        print(f"built {args.delegations} branches x {args.entries} entries on {args.paragraphs} paragraphs "
              f"in {time.perf_counter() - started:.1f} s")
        branches = [f"delegations/D{n:03d}" for n in range(1, args.delegations + 1)]
        results: dict[str, list[float]] = {"round (in-process)": [], "round (cicatext CLI)": [],
                                           "git merge, octopus (1 command)": [],
                                           "git merge, sequential (one per branch)": []}
        outcome = None
        for attempt in range(args.repeat):
            copies = {}
            for name in ("round", "cli", "octopus", "sequential"):
                copies[name] = Path(folder) / f"{name}-{attempt}"
                shutil.copytree(base, copies[name], symlinks=True)
            repo = Repository(copies["round"])
            results["round (in-process)"].append(timed(lambda: outcome_holder.append(run_round(repo, SYMBOL))))
            outcome = outcome_holder[-1]
            results["round (cicatext CLI)"].append(timed(lambda: subprocess.run(
                [sys.executable, "-m", "cicatext", "round", SYMBOL, "-C", str(copies["cli"])],
                check=True, capture_output=True)))
            results["git merge, octopus (1 command)"].append(timed(lambda: git(
                copies["octopus"], "merge", "--quiet", "--no-edit", *branches)))

            def sequential() -> None:
                for branch in branches:
                    git(copies["sequential"], "merge", "--quiet", "--no-edit", branch)

            results["git merge, sequential (one per branch)"].append(timed(sequential))
            for path in copies.values():
                shutil.rmtree(path, ignore_errors=True)
        medians = {name: statistics.median(values) for name, values in results.items()}
        print(f"round placed {len(outcome.compiled.placed)} entries, left {len(outcome.compiled.unplaced)} out; "
              f"brackets {outcome.brackets_before} -> {outcome.brackets_after}; "
              f"{len(outcome.delegations)} branches merged")
        print(f"medians of {args.repeat} run(s), same machine, same run:")
        for name, value in medians.items():
            print(f"  {name:42s} {value * 1000:8.0f} ms")
        for plain in ("git merge, octopus (1 command)", "git merge, sequential (one per branch)"):
            for ours in ("round (in-process)", "round (cicatext CLI)"):
                print(f"  {ours} / {plain}: {medians[ours] / medians[plain]:.2f}x")
    return 0


outcome_holder: list = []

if __name__ == "__main__":
    sys.exit(main())
