"""Generators of hostile input in the real forms: bracketed texts, YAML records, Word files, pushed trees.

Among them the two shapes the fuzzer found failing in the notation layer, now
read like any other: nesting thousands deep (it overflowed Python's stack in
the reader and renderer) and a lone surrogate (a byte that is not UTF-8, kept
by surrogateescape) in a text long enough for the reader's quick scan.
"""

from __future__ import annotations

import io
import os
import random
import zipfile

from hypothesis import strategies as st

DEEPEST = 3000
"""The deepest bracket nesting generated."""
LONG_RUN = bool(os.environ.get("CICATEXT_FUZZ_EXAMPLES"))
REPEATS = 300 if LONG_RUN else 40
"""How many times a long line repeats its phrase, and (×4/3) how many paragraphs a text may have: the fixed
sample keeps inputs small enough to run in seconds under tracemalloc."""
CODES = frozenset({"IND", "CHN", "IRAN", "AZER", "TUR", "SEC"})
LOOKALIKES = ["\u0406ND", "\u0421HN", "IR\u0391N", "ＩＮＤ", "I\u200bND", "ІRAN"]
"""Codes written with Cyrillic, Greek or fullwidth letters, or a zero-width space inside."""

attributions = st.sampled_from([
    "(+CHN)", "(-IND)", "(-IND, IRAN)", "(AZER tcb)", "(SEC tcb)", "(+IRAN) (AZER tcb)", "(-IND) (-IRAN)",
    "(+XYZ)", "( + ind )", "(tcb)", "(+)", "(-, )", "(RMT)", "(MC/2023/CHAIR/1/Rev.1)", "(+IND",
    *(f"(+{code})" for code in LOOKALIKES), *(f"({code} tcb)" for code in LOOKALIKES),
])
words = st.sampled_from([
    "promote", "the", "cultural", "and religious", "diversity", "of civilizations", "dialogue;", "*Recognizing*",
    "11.", "11altern.", "15. Encourage", "Option 1:", "{Placeholder}", "[Agreed ad ref]", "[...]", "тексте", "多様性",
    "é", "—", "\u00a0", "\ufeff", "\x00", "\r", "\t", "\u2028", "[X]", "{#op1}", "{#", "}",
    "\udcff", "\udcfe\udcff",
])
odd = st.sampled_from(["[", "]", "[[", "]]", "(", ")", ", ", ",", "]. (-IND)", "\n", "\n\n", "\r\n", "\n\n\n\n",
                       "[shall][should][other]", "[A: “word”]", "[strong - A; B delete]", "(A: retain)"])


def _bracket(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(inner, st.lists(attributions, max_size=3)).map(lambda t: f"[{t[0]}] {' '.join(t[1])}".rstrip())


phrases = st.lists(st.one_of(words, odd, attributions), min_size=1, max_size=8).map(" ".join)
nested = st.recursive(phrases, lambda inner: st.one_of(
    _bracket(st.lists(inner, min_size=1, max_size=3).map(" ".join)),
    st.lists(_bracket(phrases), min_size=2, max_size=3).map(", ".join).map(lambda o: f"[{o}]"),
), max_leaves=12)


@st.composite
def deep(draw) -> str:
    """One bracket inside another, `depth` deep, balanced or not, with attributions here and there."""
    depth = draw(st.integers(1, DEEPEST))
    closing = depth - draw(st.sampled_from([0, 0, 0, 1, depth]))
    attribution = draw(attributions)
    return "[" * depth + draw(words) + f"] {attribution}" * closing


@st.composite
def long_line(draw) -> str:
    return draw(phrases) * draw(st.integers(1, REPEATS))


@st.composite
def many_paragraphs(draw) -> str:
    count = draw(st.integers(1, REPEATS * 4 // 3))
    body = draw(nested)
    return "\n\n".join(f"{n}. {body}" for n in range(1, count + 1))


def _undecodable(data: bytes) -> str:
    # What a file that is not UTF-8 gives a reader that keeps its bytes (surrogateescape), or replaces them.
    return data.decode("utf-8", random.Random(len(data)).choice(["surrogateescape", "replace"]))


bracketed_texts = st.one_of(
    st.lists(st.one_of(nested, odd, phrases), max_size=12).map("".join),
    st.lists(nested, min_size=1, max_size=20).map("\n\n".join),
    deep(),
    long_line(),
    many_paragraphs(),
    st.text(max_size=300),
    st.binary(max_size=300).map(_undecodable),
)
"""Bracketed texts: real forms, mixed, nested, unbalanced, huge, and arbitrary text."""


# YAML -------------------------------------------------------------------------------------------------------------

yaml_pieces = st.sampled_from([
    "delegation: IND\n", "document: MC/2023/DRAFT/5\n", "entries:\n", "- id: e1\n", "  action: insert\n",
    "  text: '[new] (+CHN)'\n", "a: 1\n", "- x\n", "  b: [1, 2\n", "c: {d: e}\n", "date: 2023-06-31\n",
    "code: NO\n", ": :\n", "\t", "'", '"', "&a ", "*a\n", "<<: *a\n", "!!python/object:os.system x\n",
    "!!binary x\n", "---\n", "...\n", "key: value # c\n", "  - y\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
    "? [a, b]\n: c\n", "? {a: b}\n: c\n", "\ufeff", "\x00", "\x85", "\u2028", "\udcff", "|\n  block\n",
    ">-\n  folded\n", "x: !!float .nan\n", "y: 0o17\n", "z: 1_000\n",
])


@st.composite
def deep_yaml(draw) -> str:
    depth = draw(st.integers(1, 1500 if LONG_RUN else 200))
    style = draw(st.sampled_from(["flow-list", "flow-map", "block"]))
    if style == "flow-list":
        return "a: " + "[" * depth + "1" + "]" * draw(st.sampled_from([depth, depth - 1, 0])) + "\n"
    if style == "flow-map":
        return "a: " + "{b: " * depth + "1" + "}" * depth + "\n"
    return "".join(f"{'  ' * n}k{n}:\n" for n in range(depth)) + "  " * depth + "v\n"


@st.composite
def alias_yaml(draw) -> str:
    levels = draw(st.integers(1, 12))
    width = draw(st.integers(1, 10))
    lines = ["a0: &a0 [x]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    if draw(st.booleans()):
        lines.append("self: &s [*s]")
    return "\n".join(lines) + "\n"


@st.composite
def huge_scalar(draw) -> str:
    size = draw(st.sampled_from([10, 1000, 100_000, 1_100_000] if LONG_RUN else [10, 1000, 100_000]))
    quote = draw(st.sampled_from(["", "'", '"']))
    return f"text: {quote}{'x' * size}{quote}\n"


yaml_texts = st.one_of(
    st.lists(yaml_pieces, max_size=25).map("".join),
    deep_yaml(), alias_yaml(), huge_scalar(),
    st.lists(st.sampled_from(["? [a, b]: 1\n", "? {x: y}: 2\n", "[a]: 3\n", "{b: c}: 4\n"]), min_size=1,
             max_size=4).map("".join),
    st.text(max_size=200),
    st.binary(max_size=200).map(_undecodable),
)
"""YAML: record-like pieces, deep nesting, alias fans and self-reference, complex keys, huge scalars, anything."""


# Word -------------------------------------------------------------------------------------------------------------

authors = st.one_of(st.sampled_from(["IND", "CHN", "India", "China", "G-77/China", "EU", "", "Holy See", "U.S.",
                                     "\x00", "a" * 300, "\u0406ND"]), st.text(max_size=20))


@st.composite
def word_paragraphs(draw) -> list:
    """Paragraphs of plain runs, tracked insertions and deletions (moves too) by authors, and comments."""
    from tests.exchange.word_files import Comment, Piece

    def clean(text: str) -> str:
        # python-docx refuses XML-illegal characters when writing; the raw mutations below bring those.
        return "".join(c for c in text if c in "\t\n" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd"))

    paragraphs = []
    for _ in range(draw(st.integers(0, 6))):
        pieces = []
        for _ in range(draw(st.integers(0, 6))):
            text = clean(draw(st.one_of(phrases, nested)))
            kind = draw(st.sampled_from(["plain", "plain", "ins", "del", "both", "comment", "move"]))
            author = clean(draw(authors))
            if kind == "comment":
                pieces.append(Comment(author, clean(draw(st.one_of(phrases, st.just("Delete “this”")))),
                                      Piece(text)))
            else:
                pieces.append(Piece(text, ins=author if kind in ("ins", "both", "move") else None,
                                    dele=author if kind in ("del", "both", "move") else None,
                                    move=kind == "move", italic=draw(st.booleans())))
        paragraphs.append(pieces)
    return paragraphs


def word_bytes(paragraphs: list) -> bytes:
    from tests.exchange.word_files import word_file

    out = io.BytesIO()
    word_file(out, *paragraphs)
    return out.getvalue()


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """The .docx with its document.xml or comments.xml changed: bytes flipped, cut, tags dropped or doubled."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    target = draw(st.sampled_from([n for n in names if n.endswith(".xml")] or names))
    xml = source.read(target)
    how = draw(st.sampled_from(["flip", "cut", "drop-tag", "double", "entity", "id", "none"]))
    if how == "flip" and xml:
        at = draw(st.integers(0, len(xml) - 1))
        xml = xml[:at] + bytes([draw(st.integers(0, 255))]) + xml[at + 1:]
    elif how == "cut":
        xml = xml[:draw(st.integers(0, len(xml)))]
    elif how == "drop-tag":
        for tag in (b"</w:ins>", b"</w:del>", b"<w:commentRangeEnd", b"</w:p>", b"</w:body>"):
            xml = xml.replace(tag, b"", 1) if draw(st.booleans()) else xml
    elif how == "double":
        xml = xml.replace(b"<w:p>", b"<w:p><w:p>", 1).replace(b"w:id=\"", b"w:id=\"9", 3)
    elif how == "entity":
        xml = xml.replace(b"?>", b"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>",
                          1).replace(b"<w:t>", b"<w:t>&b;", 1)
    elif how == "id":
        xml = xml.replace(b'w:id="', b'w:id="x', 5)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as rewritten:
        for name in names:
            rewritten.writestr(name, xml if name == target else source.read(name))
    return out.getvalue()


@st.composite
def word_files(draw) -> bytes:
    kind = draw(st.sampled_from(["made", "mutated", "mutated", "bytes", "zip"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "zip":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in draw(st.lists(st.sampled_from(["[Content_Types].xml", "word/document.xml", "_rels/.rels",
                                                       "word/comments.xml", "word/_rels/document.xml.rels"]),
                                      max_size=5, unique=True)):
                archive.writestr(name, draw(st.binary(max_size=200)))
        return out.getvalue()
    data = word_bytes(draw(word_paragraphs()))
    return draw(mutated(data)) if kind == "mutated" else data


# Pushed trees -----------------------------------------------------------------------------------------------------

push_paths = st.one_of(
    st.sampled_from([b"positions/IND/mc-2023-draft-5.yaml", b"positions/IND/x.yaml", b"positions/CHN/x.yaml",
                     b"positions/IND/confidential/a.yaml", b"documents/mc-2023-draft-5/en.txt", b"keys/IND.pub",
                     b"positions/IND/\xff\xfe.yaml", b"positions/IND/a\nb.yaml", b"positions/IND/\x01.yaml",
                     b"positions/IND/" + b"x" * 300 + b".yaml", b"positions/IND/" + b"d/" * 1500 + b"x.yaml",
                     b"positions/IND/.git", b"positions/IND/ .yaml", b"positions/IND/x.yml"]),
    st.binary(min_size=1, max_size=20).map(lambda b: b"positions/IND/" + b.replace(b"/", b"_").replace(b"\0", b"0")),
)
push_contents = st.one_of(
    st.sampled_from([b"delegation: IND\ndocument: MC/2023/DRAFT/5\nentries: []\n",
                     b"delegation: IND\nentries:\n- id: e1\n  action: insert\n  text: '[x] (+CHN)'\n", b"",
                     b"\xff\xfe\x00", b"delegation: caf\xe9\n", b"a: &a [*a]\n", b"[" * 2000]),
    yaml_texts.map(lambda t: t.encode("utf-8", "surrogateescape")),
    st.binary(max_size=100),
)
push_modes = st.sampled_from(["100644", "100644", "100644", "100755", "120000", "160000"])
pushed_trees = st.lists(st.tuples(push_modes, push_paths, push_contents), min_size=1, max_size=4)
pushed_refs = st.sampled_from([b"delegations/IND", b"delegations/IND", b"delegations/IND",
                               b"delegations/IND:refs/heads/delegations/CHN", b"delegations/IND:refs/heads/main",
                               b"delegations/IND:refs/heads/delegations/\xff", b"delegations/IND:refs/heads/x\x7f"])
