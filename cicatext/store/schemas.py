"""The JSON Schemas, loaded once and compiled: fastjsonschema to pass valid records quickly, jsonschema to explain invalid ones.

Schemas share definitions through `common.schema.json`; both validators get
each schema with those definitions copied in, so no reference leaves the file.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from cicatext.resources import schemas_dir

_COMMON = "common.schema.json"


@lru_cache(maxsize=1)
def _raw_schemas() -> dict[str, dict]:
    folder = schemas_dir()
    found = {}
    for path in sorted(folder.glob("*.schema.json")):
        found[path.name[: -len(".schema.json")]] = json.loads(path.read_text(encoding="utf-8"))
    return found


def kinds() -> list[str]:
    """Every record kind that has a schema."""
    return [kind for kind in _raw_schemas() if kind != "common"]


def _inline(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_COMMON):
                out[key] = value[len(_COMMON):] or "#"
            else:
                out[key] = _inline(value)
        return out
    if isinstance(node, list):
        return [_inline(v) for v in node]
    return node


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    """The schema of a kind, self-contained (common definitions copied into `$defs`)."""
    raw = _raw_schemas()
    if kind not in raw:
        raise KeyError(kind)
    bundled = _inline(copy.deepcopy(raw[kind]))
    common = raw.get("common", {}).get("$defs", {})
    defs = dict(_inline(copy.deepcopy(common)))
    defs.update(bundled.get("$defs", {}))
    if defs:
        bundled["$defs"] = defs
    bundled.pop("$id", None)
    return bundled


@lru_cache(maxsize=None)
def fast_validator(kind: str):
    """A compiled fastjsonschema validator for the kind (raises on the first error)."""
    import fastjsonschema

    # A copy, because compile() rewrites references in place; no defaults, because
    # use_default=True writes default values into the records it checks.
    return fastjsonschema.compile(copy.deepcopy(schema(kind)), use_default=False)


@lru_cache(maxsize=None)
def full_validator(kind: str):
    """A jsonschema validator for the kind that lists every error."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(copy.deepcopy(schema(kind)), format_checker=FormatChecker())


def errors(kind: str, record: Any) -> list:
    """Every schema error of a record (jsonschema ValidationError objects), none for a valid record."""
    import fastjsonschema

    try:
        fast_validator(kind)(record)
    except fastjsonschema.JsonSchemaException:
        pass
    else:
        return []
    return sorted(full_validator(kind).iter_errors(record), key=lambda e: list(e.absolute_path))
