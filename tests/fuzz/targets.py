"""The fuzzed entry points, each run under `Tally.run`: it returns or raises a CicatextError, in bounded memory.

`Tally` counts the inputs per target, the slowest input's time and the peak
memory, measured two ways: Python's own allocations (tracemalloc), and the
process's peak resident size (Linux's VmHWM, reset before each input), which
also sees what C libraries allocate (lxml for Word files, the YAML parser).
tracemalloc makes the calls about eight times slower, so the long run traces
one input in `CICATEXT_FUZZ_TRACE_EVERY` (bench/fuzz.py: 10) and measures
the resident size of every one; the fixed sample traces every input. Under
pytest a broken property fails the test; with `CICATEXT_FUZZ_COLLECT=1` (the
long run) it is recorded and the run goes on, so every target gets its
inputs.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from cicatext.errors import CicatextError

COLLECT = os.environ.get("CICATEXT_FUZZ_COLLECT") == "1"
TRACE_EVERY = max(1, int(os.environ.get("CICATEXT_FUZZ_TRACE_EVERY", "1")))
"""Trace the memory of one input in this many (tracemalloc); the resident size of every input is measured."""
MEMORY_FACTOR = 200
"""Peak traced memory allowed per byte of input (Python strings, trees and positions cost tens of bytes each)."""
MEMORY_BASE = 64 << 20
"""And a constant for what any call allocates (modules, caches, a Word file's parts)."""


@dataclass
class Tally:
    name: str
    inputs: int = 0
    slowest: float = 0.0
    slowest_size: int = 0
    peak: int = 0
    """The largest growth of traced memory (tracemalloc) during one input, in bytes."""
    peak_resident: int = 0
    """The largest growth of the process's peak resident size during one input, in bytes (0 where unmeasured)."""
    traced: int = 0
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    """(what went wrong, the input's size, the start of the input) for each failed input (collect mode)."""

    def run(self, size: int, shown: str, call) -> object:
        """Run `call()`; fail (or record) anything but a return or a CicatextError, or memory past the bound."""
        self.inputs += 1
        tracing = self.inputs % TRACE_EVERY == 0 or TRACE_EVERY == 1
        if tracing:
            tracemalloc.start()
            self.traced += 1
        start_memory = tracemalloc.get_traced_memory()[0]
        start_resident = _reset_peak_resident()
        start = time.perf_counter()
        result = failure = None
        try:
            result = call()
        except CicatextError:
            pass
        except Exception as error:  # noqa: BLE001 - the property under test: nothing but CicatextError escapes
            failure = f"{type(error).__name__}: {str(error)[:160]}"
        elapsed = time.perf_counter() - start
        resident = _peak_resident() - start_resident if start_resident else 0
        peak = tracemalloc.get_traced_memory()[1] - start_memory if tracing else 0
        if tracing:
            tracemalloc.stop()
        if elapsed > self.slowest:
            self.slowest, self.slowest_size = elapsed, size
        self.peak, self.peak_resident = max(self.peak, peak), max(self.peak_resident, resident)
        bound = MEMORY_FACTOR * size + MEMORY_BASE
        if failure is None and max(peak, resident) > bound:
            failure = f"peak memory {max(peak, resident):,} bytes for an input of {size:,}"
        if failure:
            self.fail(failure, size, shown)
        return result

    def fail(self, failure: str, size: int, shown: str) -> None:
        if not COLLECT:
            raise AssertionError(f"{failure}\ninput ({size:,}): {shown[:400]!r}")
        self.failures.append((failure, size, shown[:200]))

    def report(self) -> str:
        kinds: dict[str, int] = {}
        for failure, _, _ in self.failures:
            kinds[failure.split(":")[0]] = kinds.get(failure.split(":")[0], 0) + 1
        said = (f"{self.name:<9} {self.inputs:>7,} inputs  slowest {self.slowest * 1000:8.1f} ms "
                f"(input of {self.slowest_size:,})  peak {self.peak / 1e6:6.1f} MB traced ({self.traced:,} inputs), "
                f"{self.peak_resident / 1e6:6.1f} MB resident  failures {len(self.failures)}")
        return said + "".join(f"\n    {count} x {kind}" for kind, count in sorted(kinds.items()))


TALLIES = {name: Tally(name) for name in ("notation", "yaml", "compile", "word", "hook")}


def _reset_peak_resident() -> int:
    """Reset the process's peak resident size to its present size and return it (bytes); 0 where Linux's
    /proc does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return 0
    return _peak_resident()


def _peak_resident() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def notation(text: str) -> None:
    """read() and parse() return or refuse; what read() returns renders back to the text exactly."""
    from cicatext.notation.reader import parse, read
    from cicatext.notation.render import render
    from tests.fuzz.generators import CODES

    def call():
        reading = read(text, codes=CODES)
        rendered = render(reading.draft)
        parse(text, codes=CODES)
        return rendered

    rendered = TALLIES["notation"].run(len(text.encode("utf-8", "surrogatepass")), text, call)
    if rendered is not None and rendered != text:
        TALLIES["notation"].fail("render(read(text).draft) != text", len(text), text)


def yaml(text: str) -> None:
    """The YAML loaders return or raise a RecordError."""
    from cicatext.store import yamlio

    def call():
        # The round-trip loader is pure Python: a megabyte takes it seconds, so the huge scalars skip it.
        for load in (yamlio.load, yamlio.load_record, *([yamlio.load_roundtrip] if len(text) <= 200_000 else [])):
            try:
                load(text, file="fuzz.yaml")
            except CicatextError:
                pass

    TALLIES["yaml"].run(len(text.encode("utf-8", "surrogatepass")), text, call)


def compiled(text: str, sets) -> None:
    """compile_round on a draft (however malformed) and position sets returns or raises a CicatextError."""
    from cicatext.notation.compile import compile_round
    from cicatext.notation.reader import read

    def call():
        return compile_round(read(text).draft, sets)

    size = len(text.encode("utf-8", "surrogatepass")) + sum(len(repr(s)) for s in sets)
    TALLIES["compile"].run(size, text, call)


def word(data: bytes) -> None:
    """A .docx (made, mutated or any bytes) is read, or refused with a CicatextError."""
    from cicatext.exchange.docx_import import read_paragraphs, review_text
    from cicatext.exchange.docx_review import read_review
    from cicatext.records.parties import parties_from_records

    parties = parties_from_records({"IND": {"name": "India"}, "CHN": {"name": "China"}},
                                   {"G77": {"name": "G-77/China", "members": ["IND", "CHN"]}}, "SEC")
    with tempfile.TemporaryDirectory(prefix="cicatext-fuzz-") as folder:
        path = Path(folder) / "draft.docx"
        path.write_bytes(data)

        def call():
            read_review(path)
            read_paragraphs(path)
            review_text(path, parties)

        TALLIES["word"].run(len(data), repr(data[:200]), call)


def hook(clone: Path, branch_tip: str, entries, refspec: bytes) -> str | None:
    """A push of a commit on `branch_tip` holding `entries` (mode, path, content) is taken, or refused in
    cicatext's words (or git's) only, never with a traceback; the commit when it was taken."""
    subprocess.run(["git", "read-tree", branch_tip], cwd=clone, check=True)
    lines = b""
    for mode, path, content in entries:
        if mode == "160000":
            oid = branch_tip.encode()
        else:
            oid = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=clone, input=content,
                                 capture_output=True, check=True).stdout.strip()
        lines += mode.encode() + b" " + oid + b"\t" + path + b"\0"
    added = subprocess.run(["git", "update-index", "-z", "--add", "--index-info"], cwd=clone, input=lines,
                           capture_output=True, check=False)
    if added.returncode != 0:
        return None  # git itself will not hold such a tree (a file where a folder is): nothing to push
    tree = subprocess.run(["git", "write-tree"], cwd=clone, capture_output=True, text=True, check=True).stdout.strip()
    commit = subprocess.run(["git", "commit-tree", "-S", tree, "-p", branch_tip, "-m", "fuzz"], cwd=clone,
                            capture_output=True, text=True, check=True).stdout.strip()
    source, _, target = refspec.partition(b":")

    def call():
        process = subprocess.run([b"git", b"push", b"--porcelain", b"origin",
                                  commit.encode() + b":" + (target or b"refs/heads/" + source)],
                                 cwd=clone, capture_output=True, check=False)
        said = process.stderr.decode("utf-8", "backslashreplace")
        # Refused by cicatext, by git on the server (fsck, ref rules: "rejected"), or by git here before any
        # push (a refspec it will not send): anything else, a traceback above all, is a failure.
        refused = ("cicatext: refused" in said or "rejected" in process.stdout.decode("utf-8", "replace")
                   or said.startswith("fatal: invalid refspec"))
        if "Traceback" in said or (process.returncode != 0 and not refused):
            raise RuntimeError(said[-600:])
        return process.returncode

    code = TALLIES["hook"].run(sum(len(c) + len(p) for _, p, c in entries), repr(entries)[:400], call)
    return commit if code == 0 and not target else None
