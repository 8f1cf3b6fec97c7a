"""A file watcher for large repositories, so that git learns what changed without looking at every file.

In a repository of 20,000 documents, `git status` spends most of its time
looking at each of its 40,000 files and 20,000 folders to learn that nothing
changed: a run of `validate` or `search` that should cost what the change
costs grows with the repository. git can instead ask a file-system monitor
(`core.fsmonitor`, hook protocol version 2) which paths changed since its
last question; git 2.39 has no monitor of its own on Linux.

`daemon` is that monitor: one background process per repository that
watches every folder of the work tree (Linux inotify) and answers, through a
socket of the user's own (`hook.address`), with the paths changed since the
token git gives. `hook` is the tiny program git runs to ask it. `client` decides, for each
git call that looks at the work tree, whether to point git at the watcher
(from `USE_FROM` files in git's index, when one runs) and starts one when
none does; search and validate also ask it directly (`changed_since`).

Whatever the watcher cannot vouch for, git looks at: a token it did not give,
events the kernel dropped (it then looks for every folder again), a folder it
cannot read, an answer cut short, a watcher that is gone or slow to answer.
Then the answer is "everything", and git looks at every file as it would
without one. What inotify does not see (a write through another hard link to
a file, or through a memory mapping after the file was closed) the watcher
cannot tell: `CICATEXT_WATCH=0` where a repository is worked in that way.
"""
