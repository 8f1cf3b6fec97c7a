"""Writing appointments back into an area's coordinators file, keeping its comments, and committing it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cicatext.errors import RecordError
from cicatext.records.appointments import Appointment, Decision
from cicatext.store import yamlio
from cicatext.store.layout import coordinator_path
from cicatext.store.repository import Repository

_APPOINTMENT_KEYS = (
    "state", "role", "state_of_record", "from", "to", "offered", "considered", "recommendation",
    "decision", "extensions", "acting", "termination", "report", "note",
)


def _decision_fields(decision: Decision | None) -> dict | None:
    if decision is None:
        return None
    return _compact({"body": decision.body, "ref": decision.ref, "date": decision.date})


def _compact(values: Mapping[str, Any]) -> dict:
    return {k: v for k, v in values.items() if v is not None and v != () and v != [] and v != {}}


def appointment_fields(a: Appointment) -> dict:
    """The appointment as its YAML mapping (dates as dates, absent parts left out), keys in the record's order."""
    return _compact({
        "state": a.state,
        "role": a.role,
        "state_of_record": a.state_of_record,
        "from": a.start,
        "to": a.end,
        "offered": _compact({"date": a.offer.date, "meeting": a.offer.meeting, "ref": a.offer.ref}) if a.offer else None,
        "considered": list(a.considered),
        "recommendation": _compact({"body": a.recommendation.body, "meeting": a.recommendation.meeting, "ref": a.recommendation.ref, "date": a.recommendation.date}) if a.recommendation else None,
        "decision": _decision_fields(a.decision),
        "extensions": [_compact({"to": e.end, "requested": e.requested, "decision": _decision_fields(e.decision)}) for e in a.extensions],
        "acting": [_compact({"from": p.start, "to": p.end, "consent": p.consent}) for p in a.acting],
        "termination": _compact({"notice": a.termination.notice, "effective": a.termination.effective}) if a.termination else None,
        "report": _compact({"date": a.report.date, "ref": a.report.ref}) if a.report else None,
        "note": a.note,
    })


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _sync(target, fields: Mapping[str, Any]) -> None:
    """Make the round-trip mapping hold `fields`, touching only what differs (comments on the rest survive)."""
    for key in [k for k in target if k in _APPOINTMENT_KEYS and k not in fields]:
        del target[key]
    for key, value in fields.items():
        if key in target:
            if _plain(target[key]) != _plain(value):
                existing = target[key]
                if isinstance(existing, dict) and isinstance(value, dict):
                    _sync_nested(existing, value)
                else:
                    target[key] = value
            continue
        position = sum(1 for k in target if k in _APPOINTMENT_KEYS and _APPOINTMENT_KEYS.index(k) < _APPOINTMENT_KEYS.index(key))
        target.insert(position, key, value)


def _sync_nested(target, value: Mapping[str, Any]) -> None:
    for key in [k for k in target if k not in value]:
        del target[key]
    for key, item in value.items():
        if key not in target or _plain(target[key]) != _plain(item):
            target[key] = item


def render_area(repo: Repository, area: str, appointments: Sequence[Appointment], file: str | None = None) -> tuple[str, str]:
    """The coordinators file of an area holding these appointments: (path, text).

    Appointments with an index rewrite that entry of the file in place; those
    without one are added at the end. Comments and untouched fields are kept.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    path = file or coordinator_path(area)
    if (repo.root / path).is_file():
        text = repo.read_text(path)
        tree = yamlio.load_roundtrip(text, file=path, bounds=repo.limits)
    else:
        tree = CommentedMap([("area", area), ("appointments", CommentedSeq())])
    entries = tree.get("appointments")
    if not isinstance(entries, list):
        entries = CommentedSeq()
        tree["appointments"] = entries
    for appointment in appointments:
        fields = appointment_fields(appointment)
        if appointment.index is not None and appointment.index < len(entries) and isinstance(entries[appointment.index], dict):
            _sync(entries[appointment.index], fields)
        else:
            entries.append(CommentedMap(fields.items()))
    return path, yamlio.dump(tree)


def write_area(repo: Repository, area: str, appointments: Sequence[Appointment], message: str, file: str | None = None) -> str:
    """Write the changed appointments of an area and commit them; RecordError (nothing written) if the result breaks the schema."""
    from cicatext.store.schemas import errors

    path, text = render_area(repo, area, appointments, file)
    record = yamlio.load(text, file=path, bounds=repo.limits)
    found = errors("coordinator", record)
    if found:
        first = found[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(record)"
        raise RecordError(f"the new {path} would not match its schema at {where}: {first.message}", file=path, hint="nothing was written")
    return repo.commit({path: text}, message)
