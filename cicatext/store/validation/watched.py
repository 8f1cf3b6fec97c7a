"""The files as the last run listed them, brought up to date from the watcher's word alone, without asking git.

In a large repository the listing is most of a run: `git status` and `git
ls-files -s` over every file. When a watcher runs (`store.watch`) it can say
what changed since the last run's listing instead: `watched_listing` takes
that listing as `since` kept it, and the paths the watcher names since its
token, and makes the listing git would give when

- the watcher vouches for the whole time since (its own token, no events
  lost);
- nothing git reads beyond the work tree changed: its index (`git add`, a
  commit, a checkout), its exclude file, the configurations, the user's
  excludes file (`listing.outside_state`);
- each path it names is a document text, a file (not a link) there now, in
  a folder whose entries changed before the last listing was made, by a
  time old enough to trust (`files.settled_time`): the text was there then,
  and still is; its own edits alone are new.

Such a text is taken as differing from git's index, with the blob id of what
it holds now: whether git would still call it unchanged (an edit undone)
changes no problem found, only which kept result a later run finds. Anything
else (a record, a new or removed file, a folder, the watcher restarted) is
git's listing, as without a watcher. A configuration file that another
includes (`[include]`) is not among those looked at: a change there that
changes what git ignores is seen at the next change of a file.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from cicatext.store.files import UNSETTLED, read_marshal, settled_time
from cicatext.store.layout import CACHE_DIR, VALIDATION_PARTS, is_document_text
from cicatext.store.validation.listing import Listing, _hash_file, outside_state
from cicatext.store.watch.client import changed_since


def watched_listing(root: Path) -> Listing | None:
    """The listing as git would give it, made from the last run's and the watcher's; None when they cannot vouch."""
    kept = read_marshal(root / CACHE_DIR / VALIDATION_PARTS)
    seen = kept.get("watched") if isinstance(kept, dict) else None
    if not isinstance(seen, dict) or not isinstance(seen.get("token"), str) or not isinstance(seen.get("at"), int):
        return None
    at = time.time_ns()
    answer = changed_since(root, seen["token"])
    if answer is None or answer[1] is None:
        return None
    if outside_state(root, seen.get("excludes")) != seen.get("outside"):
        return None
    stale, untracked, deleted = kept.get("stale"), kept.get("untracked"), kept.get("deleted")
    if not isinstance(stale, dict) or not isinstance(untracked, list) or not isinstance(deleted, list):
        return None
    stale = dict(stale)
    for path in set(answer[1]):
        if not is_document_text(path) or path in deleted:
            return None
        try:
            found = os.lstat(root / path)
            folder = os.stat((root / path).parent)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode) or settled_time(folder.st_mtime_ns, seen["at"]) == UNSETTLED:
            return None
        blob = _hash_file(root / path)
        if blob is None:
            return None
        stale[path] = blob
    staged = kept.get("staged")
    if not isinstance(staged, str):
        return None
    return Listing.kept(root, at=at, token=answer[0], excludes=seen.get("excludes"), outside=seen["outside"],
                        staged_digest=staged, stale=stale, untracked=set(untracked), deleted=set(deleted))
