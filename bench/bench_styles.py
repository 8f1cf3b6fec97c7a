"""Reading and writing attribution styles on a large bracketed text, beside the cica reader on the same text.

The text is the one bench_notation builds (the seed's paragraphs, nested and
attributed); it is written in each style (`from_cica`), then read back
(`to_cica`), and the time of each is printed beside the time the reader takes
to read the cica text with every node made, the floor any conversion pays
(a conversion reads the tree, rewrites it and renders it).

    python bench/bench_styles.py [--mb 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from bench.bench_notation import build
from cicatext.notation.reader import make_nodes, read
from cicatext.notation.styles import STYLES, from_cica, to_cica


def best(repeat: int, run) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=1.0, help="size of the text in MB (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement (default 3)")
    args = parser.parse_args()
    text = build(args.mb)
    floor, _ = best(args.repeat, lambda: make_nodes(read(text).draft))
    print(f"text: {len(text) / 1e6:.1f} MB; the cica reader, every node made: {floor:.2f} s")
    for style in STYLES[1:]:
        write, written = best(args.repeat, lambda s=style: from_cica(text, s))
        back, conversion = best(args.repeat, lambda s=style, t=written.text: to_cica(t, s))
        print(f"{style:<13} write {write:.2f} s ({write / floor:.1f}× the reader), read back {back:.2f} s "
              f"({back / floor:.1f}×): {len(conversion.converted)} conversions, "
              f"{len(written.warnings)} brackets kept in the cica style")


if __name__ == "__main__":
    main()
