"""Atomic file writes: a temporary file beside the target, fsync, then os.replace.

An interrupted write leaves either the old file or the new one, never a torn
one; leftover temporary files carry a recognisable prefix so the next run can
remove them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from cicatext.store.layout import DOCUMENT_RECORD, TEMP_PREFIX, TEXT_SUFFIX


def _read_umask() -> int:
    """The process's umask, from /proc where it can be read without setting it (which would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_umask: tuple[int, int] | None = None
"""The process that read the umask, and the umask it read."""


def umask() -> int:
    """The umask: a new file gets the mode git or an editor would give it (0o666 less this). Read once in each
    process, not as the module is imported: a warm process's fork takes the umask of the program it runs for."""
    global _umask
    if _umask is None or _umask[0] != os.getpid():
        _umask = (os.getpid(), _read_umask())
    return _umask[1]


SETTLED_NS = 2_000_000_000
"""How old (ns) a modification time must be to be trusted to change with the next write.

Filesystems keep times in coarse ticks: two writes of the same size within
one tick leave size and time alike. A cache that knows a file by size and time
takes a younger time as unknown (`UNSETTLED`) and reads the file again.
"""

UNSETTLED = -1
"""The time a cache keeps for a file changed less than `SETTLED_NS` before it looked."""


def settled_time(mtime_ns: int, now_ns: int) -> int:
    """`mtime_ns` when it is old enough to trust, else `UNSETTLED`."""
    return mtime_ns if mtime_ns < now_ns - SETTLED_NS else UNSETTLED


def read_json(path: Path) -> object:
    """A cache file's JSON value; None when it is missing, unreadable or not JSON."""
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json_quietly(path: Path, value: object) -> None:
    """Write a cache file as compact JSON, atomically; one that cannot be written only costs time next run."""
    import json

    try:
        write_atomic(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass


def read_marshal(path: Path) -> object:
    """A cache file's value in marshal's format; None when it is missing, unreadable or not marshal data."""
    import marshal

    from cicatext.collector import paused

    with paused():
        try:
            return marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None


def write_marshal_quietly(path: Path, value: object) -> None:
    """Write a large cache file in marshal's format (read and written many times faster than JSON), atomically but
    not through to the disk: a cache lost to a power cut is only made again."""
    import marshal

    try:
        write_atomic(path, marshal.dumps(value), durable=False)
    except (OSError, ValueError):
        pass


def blob_id(data: bytes) -> str:
    """The id git gives `data` as a blob (`git hash-object`)."""
    return object_id("blob", data)


def object_id(kind: str, data: bytes) -> str:
    """The id git gives `data` as an object of that kind, "blob" or "tree" (`git hash-object -t KIND`)."""
    import hashlib

    return hashlib.sha1(b"%s %d\0" % (kind.encode(), len(data)) + data).hexdigest()


def document_files(folder: str | os.PathLike, now_ns: int) -> tuple[tuple[str, int, int], ...]:
    """(name, size, time) of a document folder's record and texts, by name; () when it holds no record or cannot be read.

    A time too recent to trust (`settled_time`) is `UNSETTLED`. The register's
    caches and the search index know a document's files by these.
    """
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, stat.st_size, settled_time(stat.st_mtime_ns, now_ns)) for entry in entries
                           if entry.is_file() and (entry.name == DOCUMENT_RECORD or entry.name.endswith(TEXT_SUFFIX))
                           for stat in (entry.stat(),))
    except OSError:
        return ()
    return tuple(found) if any(name == DOCUMENT_RECORD for name, _, _ in found) else ()


def write_atomic(path: Path, data: str | bytes, *, executable: bool | None = None, durable: bool = True) -> None:
    """Replace `path` with `data` (text is written as UTF-8, byte-exact: no newline translation).

    The file keeps the mode it had; a new one gets 0o666 less the umask, as
    git's checkout gives. `executable` sets or clears the execute bits.
    `durable` writes the file and its folder through to the disk before and
    after the rename; without it the write is still whole for any process
    (a killed writer leaves the old file or the new), but a power cut may
    lose it, as it may a file git checks out. Only a file that can be
    written again from git's objects is written without.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        found = os.lstat(path)
    except OSError:
        found = None
        path.parent.mkdir(parents=True, exist_ok=True)
    # Read, write and execute bits only: a set-id bit is not carried to new content.
    mode = found.st_mode & 0o777 if found is not None and stat.S_ISREG(found.st_mode) else 0o666 & ~umask()
    if executable is not None:
        mode = (mode | (mode & 0o444) >> 2) if executable else mode & ~0o111
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        try:
            os.fchmod(fd, mode)
        except OSError:
            pass  # a filesystem without Unix modes (FAT, some network shares) gives what it gives
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file exactly as stored (line endings kept)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def remove_leftovers(root: Path) -> list[Path]:
    """Delete temporary files an interrupted write left under `root` (not inside .git); return them."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(root):
        if ".git" in dirnames:
            dirnames.remove(".git")
        for name in filenames:
            if name.startswith(TEMP_PREFIX):
                target = Path(dirpath) / name
                try:
                    target.unlink()
                    removed.append(target)
                except OSError:
                    pass
    return removed


def decoded(data: bytes, path: str, ref: str | None = None) -> str:
    """A file's bytes as git holds them, as text; a RecordError naming the file (at `ref`) and the first byte that
    is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        from cicatext.errors import RecordError

        where = f"{ref}:{path}" if ref else path
        raise RecordError(f"the file is not UTF-8 text (byte {error.start})", file=where,
                          hint="save the file as UTF-8 and commit it again") from None


def not_utf8_name(name: str):
    """The problem of a file name (read with surrogateescape) that is not UTF-8; None for a UTF-8 name."""
    from cicatext.errors import Problem

    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return Problem(f"the file name {raw!r} is not UTF-8", file=raw.decode("utf-8", "replace"),
                       hint="rename the file with a UTF-8 name (or remove it); it was not checked", code="file")
    return None
