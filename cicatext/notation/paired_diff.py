"""The bracket diff of two texts whose paragraph ids do not name the same paragraphs: paired by content.

A text committed by hand (its ids taken from its numbering) or a Chair's
revised text renumbers, moves, splits and merges paragraphs. `ids_correspond`
tells whether two texts' ids can be trusted to pair paragraphs; when they
cannot, `diff_aligned` pairs them with `cicatext.notation.alignment` and says
what moved, what was renumbered, split or merged.
"""

from __future__ import annotations

from cicatext.notation.bracket_diff import ParagraphDiff, diff_paragraphs
from cicatext.notation.paragraph_text import ParagraphTexts
from cicatext.notation.tree import Draft, Paragraph

ALIKE_SHARE = 0.7
"""The least share of shared ids whose paragraphs still read the same for two texts' ids to be taken as theirs."""


def written_in_both(old: Draft, new: Draft) -> frozenset[str]:
    """The contents as written of the paragraphs yet to be made, none carried in, that both texts hold: they are
    likely only read (they pair with each other, unchanged), so `ParagraphTexts` reads them without their nodes."""
    def unmade(draft: Draft) -> set[str]:
        return {written[0] for written in map(Paragraph.written, draft.paragraphs)
                if written is not None and not written[1]}

    return frozenset(unmade(old) & unmade(new))


def ids_correspond(old: Draft, new: Draft, texts: ParagraphTexts | None = None) -> bool:
    """Whether two texts' paragraph ids name the same paragraphs, so paragraphs pair by id.

    They do when both texts write their ids (`{#id}` markers) and most paragraphs under an id both texts hold
    read the same (brackets and numbering aside), as after a round, an agree or a drop. A text committed by hand
    with ids from its numbering, or without markers, is paired by content instead. `texts`: the paragraphs'
    texts, when the caller compares the same drafts further.
    """
    from cicatext.notation.alignment import comparable

    texts = texts or ParagraphTexts(written_in_both(old, new))
    if not all(p.marker for p in old.paragraphs) or not all(p.marker for p in new.paragraphs):
        return [p.id for p in old.paragraphs] == [p.id for p in new.paragraphs] and \
            sum(comparable(a, texts) == comparable(b, texts) for a, b in zip(old.paragraphs, new.paragraphs)) >= \
            ALIKE_SHARE * len(new.paragraphs)
    old_by_id = {p.id: p for p in old.paragraphs}
    shared = [(old_by_id[p.id], p) for p in new.paragraphs if p.id in old_by_id]
    if not shared:
        return not old.paragraphs or not new.paragraphs
    # Written alike (the same content) reads alike; the words are compared only where the writing differs.
    alike = sum(1 for a, b in shared
                if texts.raw(a) == texts.raw(b) or comparable(a, texts) == comparable(b, texts))
    return alike >= ALIKE_SHARE * len(shared)


def diff_aligned(old: Draft, new: Draft, texts: ParagraphTexts | None = None) -> list[ParagraphDiff]:
    """The changes paragraph by paragraph, paragraphs paired by content: moves, renumbering, splits and merges
    shown as such. `texts`: the paragraphs' texts, when the caller has made some already."""
    from dataclasses import replace

    from cicatext.notation.alignment import align, comparable

    texts = texts or ParagraphTexts(written_in_both(old, new))
    old_by_id = {p.id: p for p in old.paragraphs}
    new_by_id = {p.id: p for p in new.paragraphs}
    diffs: list[ParagraphDiff] = []
    written = all(p.marker for p in old.paragraphs) and all(p.marker for p in new.paragraphs)
    alignment = align(old, new, trust_ids=written, texts=texts)
    previous = ""  # the paragraph the current one follows in the new text
    for link in alignment.links:
        before = old_by_id.get(link.old) if link.old else None
        after = new_by_id.get(link.new) if link.new else None
        change = diff_paragraphs(before, after, texts)
        extra = {}
        if link.old and link.new and link.old != link.new:
            extra["was"] = link.old
        if link.moved:
            extra["moved_after"] = previous
        if link.new:
            previous = link.new
        if link.split_from:
            extra["split_from"] = link.split_from
        if link.merged_into:
            extra["merged_into"] = link.merged_into
        if change is not None and before is not None and after is not None and \
                comparable(before, texts) == comparable(after, texts):
            # The same words under another number: the numbering is not a change of words.
            change = replace(change, words=())
            if not (change.brackets_added or change.brackets_agreed or change.brackets_dropped
                    or change.attributions_joined or change.attributions_withdrawn):
                change = None
        if change is None:
            if not extra:
                continue
            change = ParagraphDiff(link.new or link.old, "moved" if link.moved else "renumbered",
                                   old_text=texts.raw(before), new_text=texts.raw(after))
        # diff_paragraphs names the paragraph by the id of the side it has, which is the link's: a copy only to add.
        diffs.append(replace(change, **extra) if extra else change)
    return diffs
