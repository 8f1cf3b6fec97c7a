"""Round and revision tags as the shared repository takes them: annotated, named as their own object says,
and naming the round or revision commit of that very document and number.

A tag object carries its own name (`tag round/<slug>/<N>`) inside what its
signature covers, and `cicatext round` (or a revision import, or `revise`)
writes the commit's message into the tag: `Cicatext-Round: round/<slug>/<N>`,
or `Cicatext-Revision: <N>`. So a Secretariat tag re-pushed under another
name, or pointing at another document's commit, is told apart from a real one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cicatext.store.layout import document_folder
from cicatext.store.negotiation.refs import ROUND_TRAILER
from cicatext.store.trust.verify import Git, split_signed_tag

REVISION_TRAILER = "Cicatext-Revision"
"""The trailer of a revision commit and its tag (`cicatext.store.register.revisions` writes it)."""

_NAME = re.compile(r"(round|rev)/([a-z0-9][a-z0-9.-]*)/([1-9][0-9]{0,5})")


@dataclass(frozen=True)
class Tag:
    """An annotated tag object, read from its raw bytes."""

    raw: bytes
    target: str
    target_type: str
    name: str
    message: str
    signed: bool


def read_tag(git: Git, oid: str) -> Tag | None:
    """The annotated tag object `oid`, or None when `oid` is no tag object (a lightweight tag names a commit)."""
    item = git.objects([oid])[0]
    if item is None or item[0] != "tag":
        return None
    return parse_tag(item[1])


def parse_tag(raw: bytes) -> Tag:
    """A tag object from its raw bytes."""
    split = split_signed_tag(raw)
    payload = split[0] if split else raw
    head, _, message = payload.partition(b"\n\n")
    fields = dict(line.split(b" ", 1) for line in head.split(b"\n") if b" " in line)
    return Tag(raw, fields.get(b"object", b"").decode(), fields.get(b"type", b"").decode(),
               fields.get(b"tag", b"").decode("utf-8", "replace"), message.decode("utf-8", "replace"),
               split is not None)


def _has_line(text: str, line: str) -> bool:
    return line in (item.strip() for item in text.splitlines())


def tag_problem(git: Git, tag: Tag, ref: str, *, commit_message: str | None = None,
                changed: set[str] | None = None) -> tuple[str, str] | None:
    """(why, what to do) when the tag is not the round or revision tag its ref name says, None when it is.

    `commit_message` and `changed` (the paths the tagged commit changes) are read from git when not given.
    """
    if tag.name != ref:
        return (f"the tag object is named {tag.name}, not {ref}: a tag is shared only under its own name",
                f"tag the commit afresh (`git tag -s {ref} COMMIT`); a tag's name cannot be changed")
    match = _NAME.fullmatch(ref)
    if match is None:
        return (f"{ref} is no round or revision tag name",
                "round tags are round/<document slug>/<N>, revision tags rev/<document slug>/<N>")
    if tag.target_type != "commit":
        return (f"{ref} names a {tag.target_type or 'missing object'}, not a commit", "tag the round's commit")
    kind, slug, number = match.groups()
    trailer = f"{ROUND_TRAILER}: {ref}" if kind == "round" else f"{REVISION_TRAILER}: {number}"
    what = "round" if kind == "round" else "revision"
    if not _has_line(tag.message, trailer):
        return (f"the tag's message does not say {trailer!r}: it is no {what} tag of {slug} number {number}",
                f"the tag of a {what} is made by cicatext with the {what}'s message")
    if commit_message is None:
        item = git.objects([tag.target])[0]
        commit_message = item[1].partition(b"\n\n")[2].decode("utf-8", "replace") if item else ""
    if not _has_line(commit_message, trailer):
        return ((f"{ref} names commit {tag.target[:10]}, which is not {what} {number} of {slug} "
                 f"(its message does not say {trailer!r})"), f"tag the commit of that {what}")
    folder = f"{document_folder(slug)}/"
    if changed is None:
        changed = git.own_changes([tag.target]).get(tag.target, set())
    if not any(path.startswith(folder) for path in changed):
        return (f"{ref} names commit {tag.target[:10]}, which changes nothing in {folder}",
                f"tag the {what} commit of document {slug}")
    return None


def vouching_tags(git: Git, commits: set[str] | None = None) -> dict[str, list[tuple[str, Tag]]]:
    """Commit → the round and revision tags of this clone naming it (of `commits` only, when given) that are
    what their names say (`tag_problem` finds nothing): annotated, named as their ref, naming that round's or
    revision's commit. Whose signature a tag bears is the caller's to check. Read in three batches, whatever
    the number of tags."""
    out = git.text("for-each-ref", "--format=%(objectname) %(objecttype) %(*objectname) %(refname)",
                   "refs/tags/round/", "refs/tags/rev/")
    listed = [(oid, target, ref[len("refs/tags/"):])
              for oid, kind, *rest in (line.split() for line in out.splitlines() if line.strip())
              if kind == "tag" and len(rest) == 2 and ((target := rest[0]) and (ref := rest[1]))
              and (commits is None or target in commits)]
    if not listed:
        return {}
    tag_items = git.objects([oid for oid, _, _ in listed])
    targets = sorted({target for _, target, _ in listed})
    messages = {target: item[1].partition(b"\n\n")[2].decode("utf-8", "replace") if item else ""
                for target, item in zip(targets, git.objects(targets))}
    changes = git.own_changes(targets)
    found: dict[str, list[tuple[str, Tag]]] = {}
    for (_, target, name), item in zip(listed, tag_items):
        if item is None or item[0] != "tag":
            continue
        tag = parse_tag(item[1])
        if tag.target == target and tag_problem(git, tag, name, commit_message=messages.get(target, ""),
                                                changed=changes.get(target, set())) is None:
            found.setdefault(target, []).append((name, tag))
    return found
