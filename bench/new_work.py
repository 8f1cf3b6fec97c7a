"""The work that real drafts brought, measured for bench/run.py's table: one task, one side, one fresh process.

    python bench/new_work.py TASK SIDE      # prints one JSON line: {"seconds": ..., "label": ...}

TASK and SIDE:

- `align ours|peer`: two revisions of 1,000 paragraphs (bench_alignment's
  realistic revision: renumbered, edited, split, merged), paired by `align`;
  the peer pairs them as a line diff does (difflib).
- `import ours|peer`: 2 MB of drafts as circulated (bench_import's text)
  imported into a fresh repository by `import_text` (split, ids, notation
  check, commit); the peer stores the same file in git (`git add`, `git
  commit`) without reading it.
- `word ours|peer`: a Word file with 1,000 tracked changes and 200 comments
  (bench_word_review's file) read by `read_review` and written as notation;
  the peer is python-docx opening the file, which reads none of the changes.
- `round2 ours|ours1|peer`: a round of 193 delegations' proposals on a
  300-paragraph document in two languages (bench_round's repository with a
  second language whose words differ and whose brackets and ids are alike);
  `ours1` is the same round with English alone; the peer is the octopus `git
  merge` of the same branches.

Each prints the time of the task alone (setting up is not timed); run.py
runs it under /usr/bin/time for the process's peak memory.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))


def align(side: str) -> float:
    from bench_alignment import line_diff, original, revision, written

    from cicatext.notation.alignment import align as align_texts
    from cicatext.notation.reader import parse

    rng = random.Random(14)
    base = original(rng, 1000)
    old_text, old_ids = written(base, markers=True)
    paras, _ = revision(random.Random("14-realistic"), base, old_ids)
    old, new = parse(old_text), parse(written(paras, markers=False)[0])
    started = time.perf_counter()
    align_texts(old, new) if side == "ours" else line_diff(old, new)
    return time.perf_counter() - started


def import_draft(side: str, folder: Path) -> float:
    from bench_import import make_draft

    text = make_draft(2_000_000)
    if side == "peer":
        subprocess.run(["git", "init", "-q", str(folder / "plain")], check=True)
        (folder / "plain" / "draft.txt").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        for command in (["add", "draft.txt"], ["-c", "user.name=Bench", "-c", "user.email=bench@example.org",
                                                "commit", "-q", "-m", "Draft"]):
            subprocess.run(["git", *command], cwd=folder / "plain", check=True)
        return time.perf_counter() - started
    from cicatext.store.register.create import import_text, init_repository

    repo = init_repository(folder / "repo")
    started = time.perf_counter()
    import_text(repo, text, symbol="MC/2099/DRAFT/1", title="Bench")
    return time.perf_counter() - started


def word(side: str, folder: Path) -> float:
    from bench_word_review import build

    path = folder / "review.docx"
    build(path, 200, 1000, 200)
    started = time.perf_counter()
    if side == "peer":
        import docx

        docx.Document(str(path))
        return time.perf_counter() - started
    from cicatext.exchange.docx_marks import review_notation
    from cicatext.exchange.docx_review import read_review
    from cicatext.records.parties import Parties, Party

    parties = Parties([Party("IND", "India"), Party("CHN", "China"), Party("IRAN", "Iran"),
                       Party("AZER", "Azerbaijan"), Party("TUR", "Türkiye", aliases=("Turkey",))])
    review_notation(read_review(path), parties, "review.docx")
    return time.perf_counter() - started


def second_language(root: Path) -> None:
    """Give bench_round's document a French text: its words reversed, its ids, numbers and brackets alike."""
    from bench_round import SLUG, git

    from cicatext.store import yamlio

    folder = root / "documents" / SLUG
    english = (folder / "en.txt").read_text(encoding="utf-8")
    (folder / "fr.txt").write_text(re.sub(r"\b[a-z]{3,}\b", lambda m: m.group()[::-1], english), encoding="utf-8")
    record = yamlio.load((folder / "document.yaml").read_text(encoding="utf-8"))
    record["languages"] = ["en", "fr"]
    record["title"]["fr"] = "Projet de référence"
    (folder / "document.yaml").write_text(yamlio.dump(record), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "French text")
    # The delegations' branches start from the commit before; a round merges them onto this one.


def round_in_languages(side: str, folder: Path) -> float:
    from bench_round import SYMBOL, build, git

    for name, value in (("GIT_AUTHOR_NAME", "Bench"), ("GIT_AUTHOR_EMAIL", "bench@example.org"),
                        ("GIT_COMMITTER_NAME", "Bench"), ("GIT_COMMITTER_EMAIL", "bench@example.org")):
        os.environ.setdefault(name, value)
    root = folder / "round"
    build(root, 193, 300, 5)
    if side != "ours1":
        second_language(root)
    branches = [f"delegations/D{n:03d}" for n in range(1, 194)]
    started = time.perf_counter()
    if side == "peer":
        git(root, "merge", "--quiet", "--no-edit", *branches)
        return time.perf_counter() - started
    from cicatext.store.negotiation.rounds import run_round
    from cicatext.store.repository import Repository

    run_round(Repository(root), SYMBOL)
    return time.perf_counter() - started


LABELS = {
    ("align", "ours"): "`align`", ("align", "peer"): "line diff (difflib)",
    ("import", "ours"): "`import_text`", ("import", "peer"): "`git add` + `git commit` of the file",
    ("word", "ours"): "`read_review` + notation", ("word", "peer"): "python-docx opening it",
    ("round2", "ours"): "`run_round`, en + fr", ("round2", "ours1"): "`run_round`, en alone",
    ("round2", "peer"): "octopus `git merge`",
}


def main() -> int:
    task, side = sys.argv[1], sys.argv[2]
    if (task, side) not in LABELS:
        print(f"unknown task and side: {task} {side}; one of {sorted(LABELS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cicatext-new-work-") as name:
        folder = Path(name)
        if task == "align":
            seconds = align(side)
        elif task == "import":
            seconds = import_draft(side, folder)
        elif task == "word":
            seconds = word(side, folder)
        else:
            seconds = round_in_languages(side, folder)
    print(json.dumps({"seconds": seconds, "label": LABELS[task, side]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
