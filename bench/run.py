"""The scale yardstick: cicatext beside the general tools, measured in the same run on the same files.

    python bench/run.py [--documents 300] [--delegations 193] [--rounds 2] [--corpus DIR] [--repeat 3]

Builds a corpus with bench/make_corpus.py (or uses `--corpus DIR`, made by it
before) and prints one markdown table: each task's time for cicatext and for
the peer, their ratio, and the peak memory (max RSS) of each. Every command
runs in a fresh process; times are medians of `--repeat` runs where a run
leaves the repository as it was, single runs where it does not (a cold
validate, a round: each on its own copy of the repository). Every command
runs in a process of its own (CICATEXT_WARM=0), but for the row of the diff
run by a warm process (`cicatext warm`), which starts one of its own.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))
QUERY = "intercultural dialogue"

# Runs a command and reports its wall time and the peak RSS of the process tree's largest member.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "code": done.returncode, "out": done.stdout.decode(errors="replace")[-2000:],
                  "err": done.stderr.decode(errors="replace")[-2000:]}))
"""

# In a fresh interpreter: the reader over every text, and a bare regular-expression scan of the brackets.
_PARSE = """
import json, re, resource, sys, time
from pathlib import Path
which, root = sys.argv[1], Path(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in sorted((root / "documents").glob("*/*.txt"))]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if which == "reader":
    from cicatext.notation.reader import read
    started = time.perf_counter()
    count = sum(sum(1 for p in read(t).draft.paragraphs for _ in p.brackets()) for t in texts)
else:
    scan = re.compile(r"\\[|\\]|\\((?:[+-][A-Z]{2,5}|[A-Z]{2,5} tcb)\\)")
    started = time.perf_counter()
    count = sum(1 for t in texts for m in scan.finditer(t) if m.group() == "[")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "count": count, "bytes": sum(len(t.encode()) for t in texts)}))
"""

# In a fresh interpreter, the index file being up to date: open it (which checks every document folder)
# and answer the query, 7 times (medians); the answer alone is timed apart.
_SEARCH = """
import json, resource, statistics, sys, time
from cicatext.store.repository import Repository
from cicatext.store.register.search import open_index
repo = Repository.open(sys.argv[1])
answers, searches = [], []
for _ in range(7):
    started = time.perf_counter()
    index = open_index(repo)
    opened = time.perf_counter()
    hits = index.search(sys.argv[2])
    answers.append(time.perf_counter() - started)
    searches.append(time.perf_counter() - opened)
print(json.dumps({"seconds": statistics.median(answers), "search": statistics.median(searches), "hits": len(hits),
                  "size": index.size, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


TIME = Path("/usr/bin/time")


def _timed(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float, int | None]:
    """Run a command; its wall time, and its own peak RSS in KB from /usr/bin/time when there is one.

    (A process's max RSS as the kernel reports it starts from its parent's at
    fork, so it is measured under /usr/bin/time, a small parent.)
    """
    with tempfile.NamedTemporaryFile(suffix=".rss") as report:
        wrapped = [str(TIME), "-f", "%M", "-o", report.name, *command] if TIME.exists() else command
        started = time.perf_counter()
        process = subprocess.run(wrapped, check=False, cwd=cwd, capture_output=True, text=True, errors="replace")
        seconds = time.perf_counter() - started
        rss = None
        if TIME.exists():
            lines = Path(report.name).read_text().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
    return process, seconds, rss


def measure(cwd: Path, *command: str) -> dict:
    """Wall time and peak RSS of one command in a fresh process."""
    if TIME.exists():
        process, seconds, rss = _timed(list(command), cwd)
        return {"seconds": seconds, "rss_kb": rss or 0, "code": process.returncode,
                "out": process.stdout[-2000:], "err": process.stderr[-2000:]}
    process = subprocess.run([sys.executable, "-c", _MEASURE, str(cwd), *command], capture_output=True, text=True,
                             check=True)
    return json.loads(process.stdout)


def child(script: str, *args: str) -> dict:
    """The JSON a Python snippet prints, run in a fresh interpreter (its peak RSS from /usr/bin/time if there is one)."""
    # Run from the bench's folder: the snippet imports the cicatext this Python has installed, as the commands do.
    process, _, rss = _timed([sys.executable, "-c", script, *args], BENCH)
    if process.returncode != 0:
        raise RuntimeError(process.stderr)
    result = json.loads(process.stdout.strip().splitlines()[-1])
    if rss:
        result["rss_kb"] = rss
    return result


def median_of(runs: list[dict]) -> dict:
    return {"seconds": statistics.median(r["seconds"] for r in runs), "rss_kb": max(r["rss_kb"] for r in runs),
            "code": max(r.get("code", 0) for r in runs)}


def cicatext(*args: str) -> list[str]:
    return [sys.executable, "-m", "cicatext", *args]


def copy_repository(source: Path, target: Path) -> Path:
    """A copy of the repository as one worked in would be: git's index refreshed, so that git does not read every
    copied file again (a copy changes each file's inode and change time, which the index's stat cache compares)."""
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=target, capture_output=True, check=False)
    return target


def tracked_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout.decode()
    return [name for name in out.split("\0") if name]


def peer_command(name: str) -> str:
    """A peer's console script beside this interpreter when it is there, so that no wrapper on PATH is timed."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else name


def check_jsonschema(root: Path, work: Path) -> dict:
    """check-jsonschema on every record, one run per kind with that kind's schema bundled into one file."""
    from cicatext.store import schemas
    from cicatext.store.layout import kind_of

    by_kind: dict[str, list[str]] = {}
    for name in tracked_files(root):
        kind = kind_of(name)
        if kind in schemas.kinds():
            by_kind.setdefault(kind, []).append(name)
    folder = work / "bundled-schemas"
    folder.mkdir(exist_ok=True)
    seconds, rss, failed, files = 0.0, 0, 0, 0
    for kind, names in sorted(by_kind.items()):
        schema_file = folder / f"{kind}.json"
        schema_file.write_text(json.dumps(schemas.schema(kind)), encoding="utf-8")
        run = measure(root, peer_command("check-jsonschema"), "--schemafile", str(schema_file), *names)
        seconds += run["seconds"]
        rss = max(rss, run["rss_kb"])
        failed += run["code"] != 0
        files += len(names)
    return {"seconds": seconds, "rss_kb": rss, "code": failed, "files": files}


def largest_rounds(root: Path) -> tuple[str, str, str, str]:
    """The document with the most rounds (the corpus's focus document): slug, symbol, its first two round tags."""
    tags = subprocess.run(["git", "tag", "--list", "round/*"], cwd=root, capture_output=True, text=True,
                          check=True).stdout.split()
    counts: dict[str, list[str]] = {}
    for tag in tags:
        _, slug, number = tag.split("/")
        counts.setdefault(slug, []).append(number)
    slug = max(counts, key=lambda s: len(counts[s]))
    record = (root / "documents" / slug / "document.yaml").read_text(encoding="utf-8")
    symbol = re.search(r"^symbol: (\S+)", record, re.MULTILINE)[1]
    numbers = sorted(counts[slug], key=int)
    return slug, symbol, f"round/{slug}/{numbers[0]}", f"round/{slug}/{numbers[1] if len(numbers) > 1 else numbers[0]}"


def edit_one_letter(path: Path) -> None:
    """Change one letter of a text in place, its size unchanged, as a typing fix does."""
    text = path.read_text(encoding="utf-8")
    at = re.search(r"\b[a-z]{4,}\b", text).start()
    path.write_text(text[:at] + ("y" if text[at] == "x" else "x") + text[at + 1:], encoding="utf-8")


def first_screen(root: Path) -> dict:
    """The first usable screen of the UI in a fresh process (bench/bench_tui.py's measurement), with its peak RSS."""
    from bench_tui import FIRST_SCREEN

    run = measure(BENCH, sys.executable, "-c", FIRST_SCREEN, str(root))
    if run["code"] != 0:
        raise RuntimeError(run["err"])
    usable, _, _ = run["out"].split()
    return {"seconds": float(usable), "rss_kb": run["rss_kb"]}


RECORDS: list[dict] = []
"""Every row measured, for `--json`: task, ours and peer (seconds and peak RSS in KB)."""


def new_work(task: str, side: str) -> dict:
    """One side of a task of bench/new_work.py in a fresh process: its time, label and peak RSS."""
    process, _, rss = _timed([sys.executable, str(BENCH / "new_work.py"), task, side], ROOT)
    if process.returncode != 0:
        raise RuntimeError(process.stderr)
    result = json.loads(process.stdout.strip().splitlines()[-1])
    result["rss_kb"] = rss or 0
    return result


def row(task: str, ours: dict | None, peer: dict | None, ours_label: str = "", peer_label: str = "") -> str:
    RECORDS.append({"task": task, "ours": ours and {"seconds": ours["seconds"], "rss_kb": ours["rss_kb"]},
                    "peer": peer and {"seconds": peer["seconds"], "rss_kb": peer["rss_kb"]}})
    def seconds(value: dict | None) -> str:
        if value is None:
            return "—"
        s = value["seconds"]
        return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"

    def memory(value: dict | None) -> str:
        return "—" if value is None or not value["rss_kb"] else f"{value['rss_kb'] / 1024:.0f} MB"

    ratio = f"{ours['seconds'] / peer['seconds']:.2f}×" if ours and peer and peer["seconds"] else "—"
    return (f"| {task} | {seconds(ours)}{ours_label} | {seconds(peer)}{peer_label} | {ratio} "
            f"| {memory(ours)} | {memory(peer)} |")


@contextlib.contextmanager
def warm_programs(work: Path):
    """Commands run meanwhile by a warm process of their own (its socket in `work`), stopped at the end."""
    saved = dict(os.environ)
    os.environ.pop("CICATEXT_WARM", None)
    os.environ["TMPDIR"] = str(work)
    try:
        started = measure(work, *cicatext("warm", "start"))
        if started["code"] != 0:
            raise RuntimeError(started["err"])
        yield
    finally:
        child("from cicatext.cli import launch, warm\n"
              "warm.ask(launch.address(launch.warm_key()), b'S')\nprint('{}')")
        os.environ.clear()
        os.environ.update(saved)


def cache_bytecode() -> str:
    """Let every command start as after a normal install, from cached bytecode; a note for the table.

    Where the environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE),
    every command would compile cicatext's modules anew (the installed
    packages and the standard library come with theirs); the bench lifts
    that for its commands and compiles cicatext's modules before timing.
    """
    if not os.environ.pop("PYTHONDONTWRITEBYTECODE", None):
        return ""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "cicatext")], check=False,
                   capture_output=True)
    return "; cicatext's bytecode cached (this environment sets PYTHONDONTWRITEBYTECODE)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--delegations", type=int, default=193)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", type=Path, help="a corpus made by make_corpus.py (it is not changed)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the rows to this file as JSON (bench/scale.py reads it)")
    args = parser.parse_args()
    os.environ["CICATEXT_WARM"] = "0"  # every command in a process of its own, but where `warm_programs` says
    with tempfile.TemporaryDirectory(prefix="cicatext-yardstick-") as folder:
        work = Path(folder)
        bytecode = cache_bytecode()
        if args.corpus:
            corpus = args.corpus.resolve()
        else:
            corpus = work / "corpus"
            started = time.perf_counter()
            # In its own process, so this one stays small (see _timed).
            subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(corpus), "--documents",
                            str(args.documents), "--delegations", str(args.delegations), "--rounds",
                            str(args.rounds)], check=True, capture_output=True)
            print(f"corpus built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        base = copy_repository(corpus, work / "base")
        shutil.rmtree(base / ".cicatext", ignore_errors=True)
        documents = sum(1 for _ in (base / "documents").glob("*/document.yaml"))
        branches = subprocess.run(["git", "for-each-ref", "--format=%(refname:short)", "refs/heads/delegations/"],
                                  cwd=base, capture_output=True, text=True, check=True).stdout.split()
        lines: list[str] = []

        def note(text: str) -> None:
            print(text, file=sys.stderr)

        cold = measure(base, *cicatext("validate"))
        if cold["code"] != 0:
            note(f"validate found problems: {cold['out'][-500:]}")
        peer_cold = check_jsonschema(base, work)
        lines.append(row("validate every record, cold (cicatext also reads every text, links, rules, attributions)",
                         cold, peer_cold))
        again = median_of([measure(base, *cicatext("validate")) for _ in range(args.repeat)])
        peer_again = check_jsonschema(base, work)
        lines.append(row("validate again, nothing changed", again, peer_again))
        in_process = child("import json, sys, time, resource\n"
                           "from cicatext.store.repository import Repository\n"
                           "from cicatext.store.validation.validate import validate\n"
                           "repo = Repository.open(sys.argv[1]); validate(repo)\n"
                           "runs = []\n"
                           "for _ in range(3):\n"
                           "    t = time.perf_counter(); validate(repo); runs.append(time.perf_counter() - t)\n"
                           "print(json.dumps({'seconds': sorted(runs)[1], "
                           "'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))", str(base))
        lines.append(row("validate again, nothing changed (in-process, without interpreter start)", in_process, None))

        reader = median_of([child(_PARSE, "reader", str(base)) for _ in range(args.repeat)])
        scan = median_of([child(_PARSE, "regex", str(base)) for _ in range(args.repeat)])
        megabytes = child(_PARSE, "regex", str(base))["bytes"] / 1e6
        lines.append(row(f"parse every text ({megabytes:.1f} MB)", reader, scan))

        slug, symbol, first, second = largest_rounds(base)
        ours_round = measure(copy_repository(base, work / "round-cicatext"), *cicatext(
            "round", symbol, "--date", "2025-01-15T10:00:00+06:00"))
        merge_copy = copy_repository(base, work / "round-git")
        peer_round = measure(merge_copy, "git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org",
                             "merge", "--quiet", "--no-edit", *branches)
        for path in (work / "round-cicatext", merge_copy):
            shutil.rmtree(path, ignore_errors=True)
        if ours_round["code"] != 0 or peer_round["code"] != 0:
            note(f"round: {ours_round['err'][-400:]} / git merge: {peer_round['err'][-400:]}")
        lines.append(row(f"compile a round ({len(branches)} delegations)", ours_round, peer_round,
                         peer_label=" (octopus `git merge`)"))

        diff = median_of([measure(base, *cicatext("diff", first, second, symbol)) for _ in range(args.repeat)])
        # git's own word diff, not the cicatext diff driver the repository may configure.
        peer_diff = median_of([measure(base, "git", "diff", "--no-ext-diff", "--no-textconv", "--word-diff",
                                       first, second, "--",
                                       f"documents/{slug}/en.txt") for _ in range(args.repeat)])
        lines.append(row(f"diff two rounds of the largest document ({first} → {second})", diff, peer_diff))
        diff_in_process = child("import json, sys, time, resource\n"
                                "from cicatext.store.repository import Repository\n"
                                "from cicatext.store.negotiation.diff import diff_refs\n"
                                "repo = Repository.open(sys.argv[1]); runs = []\n"
                                "for _ in range(3):\n"
                                "    t = time.perf_counter(); diff_refs(repo, sys.argv[2], sys.argv[3], sys.argv[4])\n"
                                "    runs.append(time.perf_counter() - t)\n"
                                "print(json.dumps({'seconds': sorted(runs)[1], "
                                "'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))",
                                str(base), first, second, symbol)
        lines.append(row("diff, in-process (`diff_refs`, without interpreter start)", diff_in_process, peer_diff))
        with warm_programs(work):
            # One run first: the warm process learns the modules the diff imports.
            measure(base, *cicatext("diff", first, second, symbol))
            warm = median_of([measure(base, *cicatext("diff", first, second, symbol)) for _ in range(args.repeat)])
            held = json.loads(measure(base, *cicatext("warm", "--json"))["out"])["processes"]
            # The program's own peak is small; what the warm process holds is the figure that counts.
            warm["rss_kb"] = max([warm["rss_kb"], *(p["memory_kb"] for p in held if p["serves_this_program"])])
        lines.append(row("diff, as a command run by a warm process (`cicatext warm`; memory: the warm process's)",
                         warm, peer_diff))

        grep = median_of([measure(base, "git", "grep", "-i", "-F", "-c", QUERY) for _ in range(args.repeat)])
        # The catalogue's cache first, so that the first search times building the index alone.
        child("import sys\nfrom cicatext.store.repository import Repository\n"
              "from cicatext.store.register.catalogue import load_catalogue, load_paragraphs\n"
              "repo = Repository.open(sys.argv[1]); load_catalogue(repo); load_paragraphs(repo); print('{}')",
              str(base))
        index_file = base / ".cicatext" / "search.sqlite"
        index_file.unlink(missing_ok=True)
        started = time.perf_counter()
        first_search = measure(base, *cicatext("search", QUERY))
        lines.append(row(f"search every paragraph for “{QUERY}”, first command in a repository never searched "
                         "(the catalogue's cache already built; a large one answers by a quick scan while the "
                         "index file is built in the background)", first_search, grep))
        # The index file, built by the first search (before it answers in a small repository, in the background
        # in a large one): waited for, so that the rows below use it.
        lock = base / ".cicatext" / "search.lock"
        while not index_file.exists() or lock.exists():
            time.sleep(0.05)
        built = {"seconds": time.perf_counter() - started, "rss_kb": 0}
        texts_size = sum(f.stat().st_size for f in (base / "documents").glob("*/*.txt"))
        lines.append(row(f"the index file ready, from the first search's start (index {index_file.stat().st_size / 1e6:.1f}"
                         f" MB for {texts_size / 1e6:.1f} MB of texts)", built, None))
        command = median_of([measure(base, *cicatext("search", QUERY)) for _ in range(args.repeat)])
        lines.append(row("search, as a command, index up to date (`cicatext search QUERY`)", command, grep))
        searched = child(_SEARCH, str(base), QUERY)
        lines.append(row(f"search, in-process: check every folder and answer ({searched['size']} paragraphs; "
                         f"the answer alone {searched['search'] * 1000:.1f} ms)", searched, grep))
        edit_one_letter(min((base / "documents").glob("*/en.txt")))
        after_edit = measure(base, *cicatext("search", QUERY))
        lines.append(row("search, as a command, after a one-letter edit of one text (that document indexed again)",
                         after_edit, grep))

        edited = measure(base, *cicatext("validate"))
        lines.append(row("validate again after a one-letter edit of one text", edited, None))

        shutil.rmtree(base / ".cicatext", ignore_errors=True)
        screen_cold = first_screen(base)
        screen = median_of([first_screen(base) for _ in range(args.repeat)])
        lines.append(row("first usable screen of the UI, first start ever", screen_cold, None))
        lines.append(row("first usable screen of the UI, later starts", screen, None))

        for task, title in (("align", "align two revisions of 1,000 paragraphs"),
                            ("import", "import 2 MB of drafts as circulated"),
                            ("word", "read a Word file with 1,000 tracked changes and 200 comments"),
                            ("round2", "a round of 193 delegations on a 300-paragraph document in two languages")):
            ours, peer = new_work(task, "ours"), new_work(task, "peer")
            lines.append(row(f"{title} ({ours['label']})", ours, peer, peer_label=f" ({peer['label']})"))
            if task == "round2":
                alone = new_work(task, "ours1")
                lines.append(row("the same round, English alone", alone, peer, peer_label=f" ({peer['label']})"))

        size = sum(f.stat().st_size for f in base.rglob("*") if f.is_file() and ".git" not in f.parts[len(base.parts):])
        git_size = sum(f.stat().st_size for f in (base / ".git").rglob("*") if f.is_file())
        print(f"\n{documents} documents, {len(branches)} delegation branches, "
              f"work tree {size / 1e6:.0f} MB, .git {git_size / 1e6:.0f} MB; {os.cpu_count()} cores; "
              f"times are medians of {args.repeat} where repeatable{bytecode}\n")
        print("| task | cicatext | peer | ratio | cicatext peak memory | peer peak memory |")
        print("|---|---|---|---|---|---|")
        for line in lines:
            print(line)
        if args.json:
            args.json.write_text(json.dumps({"documents": documents, "delegations": len(branches), "rows": RECORDS},
                                            indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
