"""How fast a delegation's Word file is read: its tracked changes and comments.

Builds, deterministically, a Word file of `--paragraphs` paragraphs holding
`--changes` tracked changes (insertions and deletions by a handful of
authors, some deletions inside another author's insertion, a few moves) and
`--comments` comments anchored to text (`US: delete`, `retain`, ...), with
python-docx and the Office XML. Then it prints, best of `--repeat`:

- the time `read_review` takes to read every change and comment with offsets
  (the figure to keep under two seconds for 1,000 changes and 200 comments);
- the time to write them as notation (`review_notation`, the registry lookups
  included), as `cicatext import` does;
- the peer: python-docx opening the same file (`docx.Document`, which reads
  its parts but not the changes), and docx2python reading its text and
  comments when it is installed (it is not a dependency of cicatext).

    python bench/bench_word_review.py [--changes 1000] [--comments 200] [--paragraphs 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

WORDS = ("cooperation", "measures", "confidence", "regional", "security", "dialogue", "sustainable", "shall",
         "promote", "encourage", "capacity", "exchange", "voluntary", "framework", "mutual", "development")
AUTHORS = ("IND", "China", "Iran", "Jane Delegate", "AZER", "TUR")
LABELS = ("retain", "delete", "tcb", "IND: retain", "China, Iran delete", "TUR: Insert “further”")


def build(path: Path, paragraphs: int, changes: int, comments: int, seed: int = 16) -> None:
    """Write the Word file with exactly `changes` tracked changes and `comments` comments."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    chance = random.Random(seed)
    document = docx.Document()
    ids = iter(range(1, 10 * (changes + comments) + 100))
    per_paragraph_changes = [changes // paragraphs + (1 if i < changes % paragraphs else 0) for i in range(paragraphs)]
    per_paragraph_comments = [comments // paragraphs + (1 if i < comments % paragraphs else 0)
                              for i in range(paragraphs)]

    def words(count: int) -> str:
        return " ".join(chance.choice(WORDS) for _ in range(count))

    def wrap(run, tag: str, author: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(ids)))
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), "2026-03-02T10:00:00Z")
        run.addprevious(element)
        element.append(run)
        return element

    budget = changes
    for number in range(paragraphs):
        paragraph = document.add_paragraph(f"{number + 1}. {words(6)} ")
        for _ in range(per_paragraph_changes[number]):
            if budget <= 0:
                break
            kind = chance.random()
            if 0.8 < kind <= 0.95 and budget < 2:
                kind = 0.5
            budget -= 2 if 0.8 < kind <= 0.95 else 1
            run = paragraph.add_run(words(chance.randint(1, 4)))._r
            if kind < 0.45:
                wrap(run, "w:moveTo" if kind < 0.05 else "w:ins", chance.choice(AUTHORS))
            else:
                for text in run.findall(qn("w:t")):
                    text.tag = qn("w:delText")
                outer = wrap(run, "w:moveFrom" if kind > 0.95 else "w:del", chance.choice(AUTHORS))
                if 0.8 < kind <= 0.95:
                    wrap(outer, "w:ins", chance.choice(AUTHORS))  # a deletion inside another's insertion
            paragraph.add_run(f" {words(3)} ")
        for _ in range(per_paragraph_comments[number]):
            anchored = paragraph.add_run(words(3))
            document.add_comment(anchored, text=chance.choice(LABELS), author=chance.choice(AUTHORS))
            paragraph.add_run(f" {words(2)} ")
    document.save(path)


def best(repeat: int, action) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from cicatext.exchange.docx_marks import review_notation
    from cicatext.exchange.docx_review import read_review
    from cicatext.records.parties import Parties, Party

    parties = Parties([Party("IND", "India"), Party("CHN", "China"), Party("IRAN", "Iran"),
                       Party("AZER", "Azerbaijan"), Party("TUR", "Türkiye", aliases=("Turkey",))])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.docx"
        build(path, args.paragraphs, args.changes, args.comments)
        size = path.stat().st_size
        seconds, review = best(args.repeat, lambda: read_review(path))
        print(f"Word file: {args.paragraphs} paragraphs, {review.changes()} tracked changes, "
              f"{len(review.comments)} comments, {size / 1024:.0f} KiB")
        print(f"read_review (changes and comments with offsets):  {seconds * 1000:8.1f} ms")
        notation_seconds, (texts, warnings) = best(args.repeat, lambda: review_notation(review, parties, "review.docx"))
        print(f"review_notation (as import writes them):          {notation_seconds * 1000:8.1f} ms "
              f"({len(texts)} paragraphs, {len(warnings)} warnings)")
        import docx

        opened, _ = best(args.repeat, lambda: docx.Document(str(path)))
        print(f"peer: python-docx opening the file (docx.Document): {opened * 1000:8.1f} ms (reads no changes)")
        try:
            from docx2python import docx2python
        except ImportError:
            print("peer: docx2python is not installed; not measured")
        else:
            def with_docx2python():
                with docx2python(str(path)) as content:
                    return content.text, content.comments

            peer, _ = best(args.repeat, with_docx2python)
            print(f"peer: docx2python reading text and comments:      {peer * 1000:8.1f} ms")
        target = "under" if seconds < 2 else "OVER"
        print(f"target: {args.changes} changes and {args.comments} comments read in under 2 s: {target} "
              f"({seconds:.3f} s)")


if __name__ == "__main__":
    main()
