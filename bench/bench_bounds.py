"""Hostile texts: time and peak memory of `check`, `clean` and `validate` on inputs made to blow them up.

    python bench/bench_bounds.py [--depth 80000] [--mb 50]

Each case runs the command line in a fresh process under /usr/bin/time (its
peak RSS) and prints its wall time, peak memory, exit code and the first
line it wrote on standard error:

- `check` on a text nested `--depth` deep, plain (`[[[…x…]]]`) and with an
  attribution after every `]`;
- `check` on `--depth` paragraphs each leaving a bracket open;
- `validate` on a repository whose text is `--mb` MB of `a [b ` (millions
  of brackets never closed) and of `] ` (millions never opened): under the
  default limits (the file is refused from its size) and with
  `limits.file_bytes` raised above it (read whole, its problems capped);
- `clean` on one paragraph of `--mb` / 5 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")


def run(label: str, command: list[str], cwd: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".rss") as report:
        wrapped = [str(TIME), "-f", "%M", "-o", report.name, *command] if TIME.exists() else command
        started = time.perf_counter()
        done = subprocess.run(wrapped, cwd=cwd, capture_output=True, text=True, errors="replace", check=False)
        seconds = time.perf_counter() - started
        words = Path(report.name).read_text().split() if TIME.exists() else []
    rss = f"{int(words[-1]) / 1024:,.0f} MB" if words and words[-1].isdigit() else "—"
    said = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or [""])[0]
    said = said if len(said) <= 110 else said[:109] + "…"
    print(f"| {label} | {seconds:.2f} s | {rss} | {done.returncode} | {said} |", flush=True)


def cicatext(*args: str) -> list[str]:
    return [sys.executable, "-m", "cicatext", *args]


def repository(folder: Path, text: str, file_bytes: int | None) -> Path:
    """A repository holding one document whose English text is `text`, committed; limits.file_bytes set if given."""
    root = folder / "repo"
    subprocess.run(cicatext("init", str(root)), check=True, capture_output=True)
    small = folder / "small.txt"
    small.write_text("1. A paragraph.\n", encoding="utf-8")
    subprocess.run(cicatext("import", str(small), "--symbol", "MC/2099/DRAFT/1", "--title", "Hostile", "-C",
                            str(root)), check=True, capture_output=True)
    (root / "documents" / "mc-2099-draft-1" / "en.txt").write_text(text, encoding="utf-8")
    if file_bytes is not None:
        settings = root / "cicatext.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + f"limits:\n  file_bytes: {file_bytes}\n",
                            encoding="utf-8")
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org")
    subprocess.run(["git", "commit", "-qam", "A hostile text"], cwd=root, check=True, env=env)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=80_000)
    parser.add_argument("--mb", type=float, default=50.0)
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    print("| case | wall time | peak memory | exit | first line said |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="cicatext-bounds-") as name:
        folder = Path(name)
        texts = {
            f"check, nested {args.depth:,} deep": "[" * args.depth + "x" + "]" * args.depth + "\n",
            f"check, nested {args.depth:,} deep, an attribution after every `]`":
                "[a " * args.depth + "x" + "] (+CHN)" * args.depth + "\n",
            f"check, {args.depth:,} paragraphs each leaving a bracket open": "a [b\n\n" * args.depth,
        }
        for label, text in texts.items():
            path = folder / "text.txt"
            path.write_text(text, encoding="utf-8")
            run(f"{label} ({len(text) / 1e6:.1f} MB)", cicatext("check", path.name), folder)
        for unit, what in (("a [b ", "brackets never closed"), ("] ", "brackets never opened")):
            text = unit * (size // len(unit))
            for file_bytes in (None, size + 1_000_000):
                work = folder / f"v-{len(unit)}-{file_bytes}"
                work.mkdir()
                root = repository(work, text, file_bytes)
                setting = "default limits" if file_bytes is None else f"limits.file_bytes {file_bytes:,}"
                run(f"validate, {args.mb:g} MB of `{unit.strip()}` ({what}), {setting}", cicatext("validate"), root)
                subprocess.run(["rm", "-rf", str(work)], check=False)
        paragraph = folder / "paragraph.txt"
        words = "Decides [to act] (+IND) and [not] (-CHN) to wait "
        paragraph.write_text("1. " + words * (size // 5 // len(words)) + "\n", encoding="utf-8")
        run(f"clean, one paragraph of {paragraph.stat().st_size / 1e6:.0f} MB", cicatext("clean", paragraph.name),
            folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
