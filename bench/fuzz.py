"""The long fuzzing run: many generated inputs per target, larger than the fixed sample's.

    nice python bench/fuzz.py [EXAMPLES [TARGETS]]   (default 100000, shared out over the targets; TARGETS a
                                                     pytest -k expression such as "notation or yaml")

It runs tests/fuzz with CICATEXT_FUZZ_EXAMPLES=EXAMPLES, records failures
instead of stopping at the first (CICATEXT_FUZZ_COLLECT=1), traces the
memory of one input in ten (CICATEXT_FUZZ_TRACE_EVERY=10; the resident size
of every input is measured), and prints per target the inputs run, the
slowest input's time, the peak memory, and the failures by kind with their
smallest input. Stopped early (Ctrl-C, or SIGTERM), it prints the figures so
far. Time is reported here, never asserted in tests.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    examples = argv[0] if argv else "100000"
    os.environ.update(CICATEXT_FUZZ_EXAMPLES=examples, CICATEXT_FUZZ_COLLECT="1")
    os.environ.setdefault("CICATEXT_FUZZ_TRACE_EVERY", "10")
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import pytest

    start = time.perf_counter()
    chosen = ["-k", argv[1]] if len(argv) > 1 else []
    # Interrupted (Ctrl-C, or SIGTERM as Ctrl-C), pytest stops and the figures so far are printed.
    code = pytest.main(["-q", "-p", "no:cacheprovider", "-W", "ignore", *chosen, "tests/fuzz"])
    from tests.fuzz.targets import TALLIES

    total = sum(t.inputs for t in TALLIES.values())
    print(f"\nfuzzing: {total:,} inputs in {time.perf_counter() - start:,.0f} s (CICATEXT_FUZZ_EXAMPLES={examples})")
    for tally in TALLIES.values():
        print(tally.report())
        smallest: dict[str, tuple[int, str]] = {}
        for failure, size, shown in tally.failures:
            kind = failure.split(":")[0]
            if kind not in smallest or size < smallest[kind][0]:
                smallest[kind] = (size, f"{failure[:120]} <- {shown[:100]!r}")
        for size, said in smallest.values():
            print(f"      smallest ({size:,}): {said}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
