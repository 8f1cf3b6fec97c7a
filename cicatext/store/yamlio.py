"""Reading and writing YAML records: fast and strict for reading, located for errors, round-trip for rewriting.

Reading uses ruamel.yaml's C-backed safe loader (YAML 1.2, so `NO` stays a
string). Dates come back as ISO strings, because the schemas say strings.
Duplicate keys are errors. When a record is wrong, the round-trip loader is
used once more on the same text to find the line and column of the field.
`load_record` gives what `load` gives, several times faster for a plain record.

Every reader bounds its input before it builds anything from it (`store.limits`):
the text's size, then, read from the parser's events, the aliases (their number and
what they expand to), the nesting and each string's length. A YAML alias bomb of a
few hundred bytes is refused at the alias that crosses the limit, with its line and
column, before a single value is made.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.resolver import implicit_resolvers

from cicatext.errors import RecordError, place_of
from cicatext.store import limits

try:
    from ruamel.yaml.cyaml import CParser as _CParser
except ImportError:  # without ruamel.yaml.clib, `load_record` is `load`
    _CParser = None

_fast = YAML(typ="safe", pure=False)


def _iso_dates(value: Any) -> Any:
    """`value` with its dates as ISO strings. A value an alias repeats is converted once and stays shared, as the
    parser made it: a few hundred bytes of aliases that expand to a million values cost no more memory than the
    text. A value inside itself (`a: &s [*s]`) raises RecursionError, as walking it would."""
    done: dict[int, Any] = {}
    inside: set[int] = set()

    def convert(value: Any) -> Any:
        if isinstance(value, (dict, list)):
            key = id(value)
            if key in done:
                return done[key]
            if key in inside:
                raise RecursionError("a value inside itself")
            inside.add(key)
            if isinstance(value, dict):
                converted: Any = {str(k) if isinstance(k, _dt.date) else k: convert(v) for k, v in value.items()}
            else:
                converted = [convert(v) for v in value]
            inside.discard(key)
            done[key] = converted
            return converted
        if isinstance(value, (_dt.datetime, _dt.date)):
            return value.isoformat()
        return value

    return convert(value)


def _located_error(error: YAMLError, text: str, file: str | None) -> RecordError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"YAML syntax: {problem}"
    hint = "fix the YAML syntax at this place (indentation, a missing ':' or closing bracket, an unquoted ':')"
    if "duplicate key" in str(problem):
        message = f"YAML: {problem.split(' with value')[0]}"
        hint = "each key may appear once in a mapping; remove or rename the duplicate"
    elif context:
        message = f"YAML syntax: {problem} ({context})"
    return RecordError(message, file=file, hint=hint, **_at_mark(text, mark))


def _at_mark(text: str, mark) -> dict[str, Any]:
    """Where a parser's mark stands, as a RecordError is located: its line and column (from 1) and that line's
    text (the lines as `str.splitlines` finds them); all None without a mark."""
    if mark is None:
        return {"line": None, "column": None, "source_line": None}
    lines = text.splitlines()
    return {"line": mark.line + 1, "column": mark.column + 1,
            "source_line": lines[mark.line] if 0 <= mark.line < len(lines) else None}


_IMPOSSIBLE_DATE = re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")


def _bad_date(text: str, file: str | None) -> RecordError:
    """A located error for the first date-shaped value that is no date (2023-06-31)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _IMPOSSIBLE_DATE.finditer(line):
            try:
                _dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return RecordError(f"{match[0]} is not a date", file=file, line=number, column=match.start() + 1,
                                   hint="write a real calendar date as YYYY-MM-DD", source_line=line)
    return RecordError("a value that looks like a date is not one", file=file,
                       hint="write dates as YYYY-MM-DD")


def _limit_error(text: str, file: str | None, mark, message: str) -> RecordError:
    return RecordError(message, file=file,
                       hint="cicatext's records use no deep nesting, no huge strings and no chains of aliases: "
                            "write the values out plainly (docs/trust.md, Limits)",
                       **_at_mark(text, mark))


def _events(text: str):
    if _CParser is None:
        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = _CParser(text)
    while True:
        event = parser.get_event()
        yield event
        if type(event) is StreamEndEvent:
            return


def _stored_size(text: str, limit: int) -> int:
    """The text's size in bytes as stored (UTF-8), for comparing with `limit`: counted without encoding where its
    characters already say which side of `limit` it is (at most four bytes a character; its length is then given
    for a text that cannot reach the limit) or where it is ASCII."""
    size = len(text)
    if 4 * size <= limit:
        return size
    if size <= limit and not text.isascii():
        size = len(text.encode("utf-8", "surrogatepass"))
    return size


def check_limits(text: str, file: str | None = None, bounds: limits.Limits = limits.DEFAULT) -> None:
    """Refuse a YAML text over `bounds` (`store.limits`), from its size and its parser events, before anything is built.

    The aliases are counted, and what each expands to: an anchored value
    counts the values inside it, aliases included, so a chain of aliases that
    doubles at each step is refused at the step that crosses the limit, long
    before it would be expanded. A text that is not valid YAML passes here;
    the loader that follows says where it is wrong.
    """
    too_large = bounds.too_large(_stored_size(text, bounds.file_bytes), file)
    if too_large:
        raise RecordError(too_large, file=file, hint=limits.LIMIT_HINT)
    nodes = aliases = 0
    sizes: dict[str, int] = {}
    open_at: list[tuple[str | None, int]] = []
    # For each open collection: a mapping's count of children so far (even: a key comes next), None for a list.
    children: list[int | None] = []
    try:
        for event in _events(text):
            kind = type(event)
            if children and children[-1] is not None:
                if isinstance(event, CollectionStartEvent) and children[-1] % 2 == 0:
                    raise _limit_error(text, file, event.start_mark,
                                       "a mapping key that is itself a list or a mapping; a record's keys are "
                                       "plain words")
                if not isinstance(event, CollectionEndEvent):
                    children[-1] += 1
            if isinstance(event, CollectionStartEvent):
                children.append(0 if kind is MappingStartEvent else None)
            elif isinstance(event, CollectionEndEvent):
                children.pop()
            if kind is ScalarEvent:
                nodes += 1
                if len(event.value) > bounds.yaml_string:
                    raise _limit_error(text, file, event.start_mark,
                                       f"a string of {len(event.value):,} characters, over the limit of "
                                       f"{bounds.yaml_string:,}{bounds.named('yaml_string')}")
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, CollectionStartEvent):
                nodes += 1
                open_at.append((event.anchor, nodes))
                if len(open_at) > bounds.yaml_depth:
                    raise _limit_error(text, file, event.start_mark, f"values nested {len(open_at)} deep, over the "
                                       f"limit of {bounds.yaml_depth}{bounds.named('yaml_depth')}")
            elif isinstance(event, CollectionEndEvent):
                anchor, started = open_at.pop()
                if anchor is not None:
                    sizes[anchor] = nodes - started + 1
            elif kind is AliasEvent:
                aliases += 1
                if aliases > bounds.yaml_aliases:
                    raise _limit_error(text, file, event.start_mark,
                                       f"more than {bounds.yaml_aliases} aliases (*name), the limit"
                                       f"{bounds.named('yaml_aliases')}")
                nodes += sizes.get(event.anchor, 1)
            else:
                continue
            if nodes > bounds.yaml_nodes:
                raise _limit_error(text, file, event.start_mark,
                                   f"the document expands to more than {bounds.yaml_nodes:,} values "
                                   f"(aliases included), the limit{bounds.named('yaml_nodes')}")
    except YAMLError:
        return


def _refuse_unencodable(text: str, file: str | None) -> None:
    """A RecordError at the first character UTF-8 cannot hold (a byte kept by surrogateescape from a file that is
    not UTF-8); nothing for a text that is all UTF-8."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        line, column, _, _ = place_of(text, error.start)
        raise RecordError("the file holds bytes that are not UTF-8", file=file, line=line, column=column,
                          hint="save it as UTF-8") from None


def load(text: str, file: str | None = None, bounds: limits.Limits = limits.DEFAULT) -> Any:
    """Parse YAML text strictly into plain Python values; a RecordError with line and column if it is not valid YAML."""
    _refuse_unencodable(text, file)
    check_limits(text, file, bounds)
    try:
        return _iso_dates(_fast.load(text))
    except MarkedYAMLError as error:
        raise _located_error(error, text, file) from None
    except YAMLError as error:
        raise RecordError(f"YAML: {error}", file=file, hint="check the file is YAML") from None
    except ValueError:
        raise _bad_date(text, file) from None
    except RecursionError:
        # An anchored value that holds an alias of itself (`a: &s [*s]`) never ends.
        raise RecordError("a value refers to itself (an alias inside its own anchor)", file=file,
                          hint="write the value out in full, without anchors and aliases") from None


def load_record(text: str, file: str | None = None, bounds: limits.Limits = limits.DEFAULT) -> Any:
    """What `load` returns for the same text, several times faster for a plain record.

    ruamel.yaml's C part only parses: resolving and constructing run in
    Python and take most of `load`'s time. This makes the values straight
    from the parser's events when the text holds only mappings, sequences and
    scalars that are strings, booleans, nulls, decimal integers and dates;
    anything else (a tag, an anchor, a float, a directive, a duplicate key, an
    error) is left to `load`, which reads it or says where it is wrong.
    """
    if _CParser is not None and _stored_size(text, bounds.file_bytes) <= bounds.file_bytes:
        try:
            return _record_from_events(_CParser(text).get_event, bounds)
        except Exception:  # noqa: BLE001 - whatever the quick path does not take, `load` takes
            pass
    return load(text, file, bounds)


class _Unusual(Exception):
    """The text holds something only `load` reads as it should."""


_STR = "tag:yaml.org,2002:str"
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _resolvers() -> tuple[dict[str, list[tuple[str, re.Pattern]]], list[tuple[str, re.Pattern]]]:
    """ruamel.yaml's YAML 1.2 implicit resolvers (`load` reads YAML 1.2) by a plain scalar's first
    character, in its order, and those for any first character, which it tries last."""
    by_first: dict[str | None, list[tuple[str, re.Pattern]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for character in first or [None]:
                by_first.setdefault(character, []).append((tag, re.compile(regexp.pattern, regexp.flags)))
    any_first = by_first.pop(None, [])
    return {character: found + any_first for character, found in by_first.items()}, any_first


_RESOLVERS, _ANY_FIRST = _resolvers()


def _record_from_events(next_event, bounds: limits.Limits) -> Any:
    next_event()  # the stream's start
    event = next_event()
    if type(event) is StreamEndEvent:
        return None
    if type(event) is not DocumentStartEvent or event.version is not None or event.tags:
        raise _Unusual
    value = _value(next_event, next_event(), bounds)
    if type(next_event()) is not DocumentEndEvent or type(next_event()) is not StreamEndEvent:
        raise _Unusual
    return value


def _value(next_event, event, bounds: limits.Limits, depth: int = 0) -> Any:
    kind = type(event)
    if kind is ScalarEvent:
        return _scalar(event, bounds)
    if event.anchor is not None or event.tag is not None or depth >= bounds.yaml_depth:
        raise _Unusual
    if kind is MappingStartEvent:
        mapping: dict = {}
        while type(event := next_event()) is not MappingEndEvent:
            key = _value(next_event, event, bounds, depth + 1)
            if key in mapping:
                raise _Unusual  # `load` says which key
            mapping[key] = _value(next_event, next_event(), bounds, depth + 1)
        return mapping
    if kind is SequenceStartEvent:
        items = []
        while type(event := next_event()) is not SequenceEndEvent:
            items.append(_value(next_event, event, bounds, depth + 1))
        return items
    raise _Unusual


def _scalar(event: ScalarEvent, bounds: limits.Limits) -> Any:
    if event.anchor is not None or event.tag is not None:
        raise _Unusual
    value = event.value
    if len(value) > bounds.yaml_string:
        raise _Unusual  # `load` says where
    if not event.implicit[0]:
        return value  # quoted or a block: a string
    tag = _STR
    for candidate, regexp in _RESOLVERS.get(value[:1], _ANY_FIRST):
        if regexp.match(value):
            tag = candidate
            break
    if tag == _STR:
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int" and _INTEGER.fullmatch(value):
        return int(value)
    date = _DATE.fullmatch(value) if tag == "tag:yaml.org,2002:timestamp" else None
    if date is not None:
        # `load` gives a date as its ISO string, which is the text itself; an impossible date is its error.
        _dt.date(int(date[1]), int(date[2]), int(date[3]))
        return value
    raise _Unusual


def load_roundtrip(text: str, file: str | None = None, bounds: limits.Limits = limits.DEFAULT) -> Any:
    """Parse YAML keeping comments, order and line/column information (for rewriting and for locating errors)."""
    _refuse_unencodable(text, file)
    check_limits(text, file, bounds)
    loader = YAML()
    try:
        return loader.load(text)
    except MarkedYAMLError as error:
        raise _located_error(error, text, file) from None
    except YAMLError as error:
        raise RecordError(f"YAML: {error}", file=file, hint="check the file is YAML") from None
    except ValueError:
        raise _bad_date(text, file) from None


def locate(text: str, path: tuple) -> tuple[int, int] | None:
    """The 1-based line and column of the value at `path` (keys and indices) in YAML text, as far as it exists."""
    try:
        node = load_roundtrip(text)
    except RecordError:
        return None
    where: tuple[int, int] | None = (1, 1)
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(step, int) and isinstance(node, list):
                position = lc.item(step) if lc is not None else None
                node = node[step]
            elif isinstance(node, dict) and step in node:
                position = lc.key(step) if lc is not None else None
                node = node[step]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
        if position is not None:
            where = (position[0] + 1, position[1] + 1)
    return where


def dump(value: Any) -> str:
    """Render plain values (or a round-trip tree) as block-style YAML text."""
    writer = YAML()
    writer.default_flow_style = False
    writer.allow_unicode = True
    # No folding: a one-line value stays on one line (folding leaves a space at the end of the line it cuts,
    # which git diff shows as a whitespace error, and reads badly in a plain file).
    writer.width = 1 << 20
    writer.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    writer.dump(value, stream)
    return stream.getvalue()
