"""Speed of the terminal UI: first usable screen, opening the largest document, answering a search.

Two repositories: the sample (`build_demo`) and a generated one of 5,000
documents (the sample's documents copied under new symbols, committed), or
one given with `--repository`. For each, a fresh Python process starts the
app headless (`App.run_test`, the same app the terminal gets) and reports two
times from its first line: to the first usable register, and to every row in
as the files on disk have them. Usable means drawn with a screenful of rows
(every document, when there are fewer) that can be moved through and opened;
on a first start the rest stream in below a progress bar meanwhile. This is
measured once with no catalogue cache (the first start ever) and three times
with it (every later start, where the cached rows are drawn at once and then
checked against the files). Then, in this process: opening the largest
document in the reader, building the search index, and answering queries (the
median of several runs of each).

    python bench/bench_tui.py [--documents 5000] [--keep DIR] [--repository PATH]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("volunteerism", "intercivilisational exchanges", "coordinator tenure", "MC/2023/DRAFT/4",
           "the", "tolerance and intercultural dialogue", "xqzzy")

FIRST_SCREEN = textwrap.dedent("""
    import time
    started = time.perf_counter()
    import asyncio, sys
    from cicatext.store.repository import Repository
    from cicatext.tui.app import make_app

    def usable(app):
        # Every document on screen, or a screenful of rows while the rest are read.
        register = app.register
        screenful = register.table.size.height - 1
        return (app.loaded and len(register.shown) == len(app.documents)) or 0 < screenful <= len(register.shown)

    async def main():
        app = make_app(Repository.open(sys.argv[1]), watch=False, validate_on_start=False)
        async with app.run_test(size=(120, 40)) as pilot:
            while not usable(app):
                await pilot.pause(0.005)
            drawn = asyncio.Event()
            app.screen.call_after_refresh(drawn.set)  # the frame showing the rows has been drawn
            await drawn.wait()
            first = time.perf_counter() - started
            # Polled less often now: waking the app every few milliseconds slows the worker reading the rows.
            while not app.fresh:
                await pilot.pause(0.05)
            print(f"{first:.3f} {time.perf_counter() - started:.3f} {len(app.documents)}")

    asyncio.run(main())
""")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def generate(sample: Path, target: Path, count: int) -> None:
    """A repository of `count` documents: the sample's settings and registry, its documents copied."""
    shutil.copytree(sample, target, ignore=shutil.ignore_patterns(".git", ".cicatext"))
    documents = sorted(p for p in (sample / "documents").iterdir() if (p / "document.yaml").is_file())
    for number in range(count - len(documents) - 1):
        source = documents[number % len(documents)]
        folder = target / "documents" / f"gen-{number:05d}"
        folder.mkdir()
        record = (source / "document.yaml").read_text(encoding="utf-8")
        year = 2030 + number // 1000
        record = record.replace("MC/2023/", f"MC/{year}/").replace("SWG/2023-II/", f"SWG/{year}-II/")
        (folder / "document.yaml").write_text(record, encoding="utf-8")
        for text in source.glob("*.txt"):
            shutil.copyfile(text, folder / text.name)
    # One long text as well: every paragraph of the sample, ten times over, each with its own id.
    paragraphs = [block for text in sorted((sample / "documents").glob("*/en.txt"))
                  for block in text.read_text(encoding="utf-8").split("\n\n") if block.strip()]
    long_text = "\n\n".join(f"{{#x{copy}-{number}}} " + block.split("} ", 1)[-1]
                              for copy in range(10) for number, block in enumerate(paragraphs)) + "\n"
    folder = target / "documents" / "gen-long"
    folder.mkdir()
    (folder / "document.yaml").write_text(
        "symbol: MC/2099/DRAFT/1\nkind: decision\nsponsor: CHAIR\nbody: MC\nlanguages: [en]\n"
        "title:\n  en: A long draft made of the sample's paragraphs\n", encoding="utf-8")
    (folder / "en.txt").write_text(long_text, encoding="utf-8")
    git(target, "init", "--quiet", "--initial-branch=main")
    git(target, "add", "--all")
    git(target, "-c", "user.name=Bench", "-c", "user.email=bench@cicatext.invalid", "commit", "--quiet",
        "-m", f"{count} documents")


def first_screen(root: Path) -> tuple[float, float, int]:
    """Seconds from a new process's first line to the first usable register, and to every row in as the files
    on disk have them; and the number of documents."""
    process = subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(root)], cwd=ROOT, capture_output=True,
                             text=True, check=True)
    usable, checked, documents = process.stdout.split()
    return float(usable), float(checked), int(documents)


def open_largest(root: Path) -> tuple[float, str, int]:
    """Seconds to open the largest document in the reader (read, parse, mount, first frame)."""
    import asyncio

    from cicatext.store.repository import Repository
    from cicatext.tui.app import make_app
    from cicatext.tui.screens.reader import ReaderScreen

    repo = Repository.open(root)
    largest = max((root / "documents").glob("*/*.txt"), key=lambda p: p.stat().st_size)
    slug = largest.parent.name
    result = {}

    async def run() -> None:
        app = make_app(repo, watch=False, validate_on_start=False)
        async with app.run_test(size=(120, 40)) as pilot:
            while not (app.fresh and app.search_index is not None):
                await pilot.pause(0.01)
            await pilot.pause(0.3)
            started = time.perf_counter()
            app.open_document(slug)
            while not (isinstance(app.screen, ReaderScreen) and app.screen.is_mounted and app.screen.view.shown):
                await pilot.pause(0.001)
            drawn = asyncio.Event()
            app.screen.call_after_refresh(drawn.set)
            await drawn.wait()
            result["seconds"] = time.perf_counter() - started
            result["paragraphs"] = len(app.screen.paragraphs)

    asyncio.run(run())
    return result["seconds"], slug, result["paragraphs"]


def search_figures(root: Path) -> tuple[float, int, dict[str, tuple[float, float]]]:
    """Index build time, paragraphs indexed, and per query (first answer, median of five more) in seconds.

    The index is the one the app opens: the repository's index file, built here if the app's first
    start did not finish it.
    """
    from cicatext.store.repository import Repository
    from cicatext.store.register.search import open_index

    repo = Repository.open(root)
    started = time.perf_counter()
    index = open_index(repo)
    build = time.perf_counter() - started
    answers = {}
    for query in QUERIES:
        started = time.perf_counter()
        index.search(query)
        first = time.perf_counter() - started
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            index.search(query)
            runs.append(time.perf_counter() - started)
        answers[query] = (first, statistics.median(runs))
    return build, index.size, answers


def report(name: str, root: Path) -> None:
    shutil.rmtree(root / ".cicatext", ignore_errors=True)
    cold, every_row, documents = first_screen(root)
    runs = [first_screen(root) for _ in range(3)]
    print(f"\n{name}: {documents} documents")
    print(f"  first usable screen, no cache (first start ever):   {cold:6.2f} s")
    print(f"  every row in, no cache (first start ever):          {every_row:6.2f} s")
    print(f"  first usable screen, with the cache (median of 3):  {statistics.median(r[0] for r in runs):6.2f} s"
          f"  (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})")
    print(f"  register checked against the files (median of 3):  {statistics.median(r[1] for r in runs):6.2f} s")
    seconds, slug, paragraphs = open_largest(root)
    print(f"  open the largest document ({slug}, {paragraphs} paragraphs): {seconds * 1000:6.0f} ms")
    build, size, answers = search_figures(root)
    print(f"  search index file: {size} paragraphs, built or opened in {build:.2f} s (the app does it in a worker)")
    for query, (first, median) in answers.items():
        print(f"    {query!r:42} first {first * 1000:6.1f} ms   then {median * 1000:6.1f} ms")
    worst = max(median for _, median in answers.values())
    print(f"  slowest search answer (median): {worst * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=5000, help="documents in the generated repository")
    parser.add_argument("--keep", help="build the repositories in this folder and leave them there")
    parser.add_argument("--repository", help="measure this repository as well (its .cicatext/ cache is deleted)")
    args = parser.parse_args()
    from cicatext.store.demo.sample import build_demo

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cicatext-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        sample = base / "sample"
        if not (sample / "cicatext.yaml").exists():
            build_demo(sample)
        generated = base / f"generated-{args.documents}"
        if not (generated / "cicatext.yaml").exists():
            started = time.perf_counter()
            generate(sample, generated, args.documents)
            print(f"generated {args.documents} documents in {time.perf_counter() - started:.1f} s")
        print(f"python {sys.version.split()[0]}; headless App.run_test at 120x40; machine noise is 10-45%")
        report("sample repository", sample)
        report("generated repository", generated)
        if args.repository:
            report(f"repository {args.repository}", Path(args.repository).resolve())
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
