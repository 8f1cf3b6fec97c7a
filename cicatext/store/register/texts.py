"""Document texts: a file's text in the working tree or at a git revision.

`text_at` is the one way the text of a document in a language (or its record,
or a position set) is read at a ref or in the working tree: the exports and
the negotiation go through it.
"""

from __future__ import annotations

from cicatext.errors import RecordError, UsageError
from cicatext.store.repository import Repository, read_objects


def text_at(repo: Repository, path: str, ref: str | None = None, *, required: bool = True) -> str | None:
    """A repository file's text exactly as stored, in the working tree (`ref` None) or at a git revision.

    A file (or revision) that is not there is an error when `required`: a
    UsageError naming it at a revision, `Repository.read_text`'s error in the
    working tree. Otherwise it is None.
    """
    if ref is None:
        if not required and not repo.path(path).is_file():
            return None
        return repo.read_text(path)
    specs = [f"{ref}^{{commit}}", f"{ref}:{path}"] if required else [f"{ref}:{path}"]
    found = read_objects(repo.root, specs)
    if required and (found[0] is None or found[0][0] != "commit"):
        raise UsageError(f"no revision {ref!r} in this repository",
                         hint="give a round tag (round/<slug>/<N>), a branch or a commit; `git tag -l 'round/*'` lists rounds")
    blob = found[-1]
    if blob is None or blob[0] != "blob":
        if not required:
            return None
        raise UsageError(f"{path} did not exist at {ref}",
                         hint="choose a revision at which the document had its text in this language")
    try:
        return blob[1].decode("utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(f"{path} is not UTF-8 text (byte {error.start})", file=path,
                          hint="save the file as UTF-8") from None
