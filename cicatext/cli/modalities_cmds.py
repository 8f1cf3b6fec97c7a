"""The Modalities commands: `coordinator offer|appoint|extend|terminate|act|complete`, `coordinators`, `deadlines`, `note`.

Each `coordinator` command changes one area's record, checks the rules on the
result and commits it, or refuses with the paragraph of the Modalities it
would break and writes nothing. The work is done in store.modalities
(workflow, reports, cover_notes): each command parses its arguments, calls one
function there and prints what it returns, as text or --json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from cicatext.errors import UsageError
from cicatext.store.layout import BODIES_DIR, NOTES_DIR, meeting_path

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str | None, argument: str) -> dt.date | None:
    """A YYYY-MM-DD argument as a date (None stays None); a UsageError naming the argument otherwise."""
    if text is None:
        return None
    if _DATE.match(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"{argument}: {text!r} is not a calendar date", hint="write it as YYYY-MM-DD, e.g. 2024-01-01") from None
    raise UsageError(f"{argument}: {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2024-01-01")


def _repo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-C", "--repo", default=".", metavar="PATH", help="the repository (default: here)")


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")


def register(subparsers) -> None:
    """Add the Modalities commands."""
    coordinator = subparsers.add_parser(
        "coordinator",
        help="record a Coordinator's or Co-coordinator's offer, appointment, extension, termination or acting",
        description="Change one priority area's coordinators record and commit it; refused, with the paragraph of the Modalities, when the rules forbid it.",
    )
    coordinator.set_defaults(handler=lambda args: coordinator.print_help() or 2)
    actions = coordinator.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, help_text: str, handler, *, role: str | None = "optional") -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("state", metavar="STATE", help="the member state: code (RUS), ISO code or name")
        parser.add_argument("area", metavar="AREA", help="the priority area: id (ict-security) or name")
        if role:
            parser.add_argument("--role", choices=("coordinator", "co-coordinator"), help="the role"
                                + (" (needed)" if role == "required" else ""))
        _repo_option(parser)
        _json_option(parser)
        parser.set_defaults(handler=handler)
        return parser

    offer = action("offer", "record a state's offer to take up a role (1.1, 1.10)", _needs(_offer, role="--role"),
                   role="required")
    offer.add_argument("--from", dest="start", metavar="DATE", help="first day of the proposed tenure")
    offer.add_argument("--to", dest="end", metavar="DATE", help="last day of the proposed tenure")
    offer.add_argument("--offered", metavar="DATE", help="when the offer was made")
    offer.add_argument("--meeting", metavar="ID", help="the meeting it was submitted to")
    offer.add_argument("--ref", help="the letter or note that carried it")
    offer.add_argument("--note", help="free text")

    appoint = action("appoint", "record the SOC's appointment (1.9, 1.10); an offer or recommendation of the state becomes the appointment", _appoint)
    appoint.add_argument("--from", dest="start", metavar="DATE", help="first day of the tenure")
    appoint.add_argument("--to", dest="end", metavar="DATE", help="last day of the tenure")
    appoint.add_argument("--decision", metavar="REF", help="the SOC decision's reference")
    appoint.add_argument("--decided", metavar="DATE", help="the date of the SOC decision")

    extend = action("extend", "record a request to extend a tenure, or the SOC's approval of it (1.12)",
                    _needs(_extend, end="--to"))
    extend.add_argument("--to", dest="end", metavar="DATE", help="the new last day of the tenure (needed)")
    extend.add_argument("--requested", metavar="DATE", help="when the request was sent to the Member States")
    extend.add_argument("--decision", metavar="REF", help="the SOC decision approving it")
    extend.add_argument("--decided", metavar="DATE", help="the date of that decision")

    terminate = action("terminate", "record a voluntary early termination, notified in advance (1.12)",
                       _needs(_terminate, effective="--effective", notice="--notice"))
    terminate.add_argument("--effective", metavar="DATE", help="the last day of service (needed)")
    terminate.add_argument("--notice", metavar="DATE", help="when notice was sent to the Member States (needed)")

    act = action("act", "record a Co-coordinator acting as Coordinator while there is none (1.11)",
                 _needs(_act, start="--from"), role=None)
    act.add_argument("--from", dest="start", metavar="DATE", help="first day of acting (needed)")
    act.add_argument("--to", dest="end", metavar="DATE", help="last day of acting (default: until a Coordinator is appointed)")
    act.add_argument("--consent", help="how the other Co-coordinators consented")

    complete = action("complete", "record the end of a tenure and the end-of-tenure report (1.3)", _complete)
    complete.add_argument("--report", metavar="REF", help="the report's symbol or reference")
    complete.add_argument("--report-date", metavar="DATE", help="when the report was issued")

    listing = subparsers.add_parser("coordinators", help="who coordinates each priority area, with tenures, concept papers and pending offers")
    listing.add_argument("--as-of", metavar="DATE", help="the day to look at (default: today)")
    listing.add_argument("--all", action="store_true", help="list every priority area, also those with no record")
    _repo_option(listing)
    _json_option(listing)
    listing.set_defaults(handler=_coordinators)

    due = subparsers.add_parser("deadlines", help="what falls due or is overdue, each with the rule behind it")
    due.add_argument("--as-of", metavar="DATE", help="the day to look from (default: today)")
    _repo_option(due)
    _json_option(due)
    due.set_defaults(handler=_deadlines)

    meeting = subparsers.add_parser("meeting", help="record a meeting: when and where a body met, what it did")
    meeting_actions = meeting.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = meeting_actions.add_parser("add", help=f"write {meeting_path('ID')} for a meeting and commit it")
    add.add_argument("id", metavar="ID", help="the meeting's id, e.g. swg-2023-09 (its file name)")
    add.add_argument("--body", required=True, help=f"the body that met: SWG, SOC, MC, SUMMIT ({BODIES_DIR})")
    add.add_argument("--from", dest="start", required=True, metavar="DATE", help="its first day, YYYY-MM-DD")
    add.add_argument("--to", dest="end", metavar="DATE", help="its last day (default: the first)")
    add.add_argument("--place", help="where it met, e.g. Astana")
    add.add_argument("--mode", help="in-person, online or hybrid")
    add.add_argument("--title", help="its name, when it has one")
    add.add_argument("--document", dest="documents", action="append", default=[], metavar="SYMBOL=ACTION",
                     help="a document with the revision the meeting had and what it did with it "
                          "(considered, agreed, approved, endorsed, adopted, noted, circulated); repeat it")
    add.add_argument("--lang", default="en", help="the language of --place and --title (default en)")
    _repo_option(add)
    _json_option(add)
    add.set_defaults(handler=_meeting_add)

    note = subparsers.add_parser("note", help="the cover note forwarding a meeting's documents, in English and Russian")
    note.add_argument("meeting", metavar="MEETING", nargs="?", help="the meeting id or note number (default: the latest meeting)")
    note.add_argument("--lang", choices=("en", "ru"), help="one language (default: the note's languages)")
    note.add_argument("--number", metavar="NUMBER", help=f"the note's number, e.g. SWG/739 (default: from {NOTES_DIR}/)")
    note.add_argument("-o", "--output", metavar="FILE", help="write the note to FILE: Word for .docx, else text")
    _repo_option(note)
    _json_option(note)
    note.set_defaults(handler=_note)


def _report_change(args, change) -> int:
    """Print a committed coordinator action: its warnings on stderr, then the message and commit (or JSON)."""
    from cicatext.cli.output import emit_json

    for warning in change.warnings:
        print(f"{change.file}: warning: {warning.message}", file=sys.stderr)
    if args.json:
        emit_json({
            "commit": change.commit,
            "file": change.file,
            "message": change.message,
            "appointments": [_appointment_json(change.state_names, a) for a in change.appointments],
            "warnings": [w.message for w in change.warnings],
        })
    else:
        print(f"{change.message}\ncommitted {change.commit[:10]} ({change.file})")
    return 0


def _offer(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    start = parse_date(args.start, "--from")
    end = parse_date(args.end, "--to")
    offered = parse_date(args.offered, "--offered")
    change = workflow.offer(Repository.open(args.repo), args.state, args.area, role=args.role, start=start, end=end,
                            offered=offered, meeting=args.meeting, ref=args.ref, note=args.note)
    return _report_change(args, change)


def _needs(handler, **needed: str):
    """`handler`, run once the options in `needed` (attribute -> flag) are given; when one is missing, the area's
    record is read first, so that a record that does not load is named before anything is asked for."""
    def run(args) -> int:
        missing = [flag for name, flag in needed.items() if getattr(args, name, None) is None]
        if missing:
            from cicatext.errors import UsageError
            from cicatext.store.modalities import workflow
            from cicatext.store.repository import Repository

            workflow.require_area_loads(Repository.open(args.repo), args.area)
            raise UsageError(f"give {' and '.join(missing)}", hint=f"see `cicatext coordinator {args.action} --help`")
        return handler(args)

    return run


def _appoint(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    start = parse_date(args.start, "--from")
    end = parse_date(args.end, "--to")
    decided = parse_date(args.decided, "--decided")
    change = workflow.appoint(Repository.open(args.repo), args.state, args.area, role=args.role, start=start, end=end,
                              decision=args.decision, decided=decided)
    return _report_change(args, change)


def _extend(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    end = parse_date(args.end, "--to")
    requested = parse_date(args.requested, "--requested")
    decided = parse_date(args.decided, "--decided")
    change = workflow.extend(Repository.open(args.repo), args.state, args.area, end=end, role=args.role, requested=requested,
                             decision=args.decision, decided=decided)
    return _report_change(args, change)


def _terminate(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    effective = parse_date(args.effective, "--effective")
    notice = parse_date(args.notice, "--notice")
    change = workflow.terminate(Repository.open(args.repo), args.state, args.area, effective=effective, notice=notice, role=args.role)
    return _report_change(args, change)


def _act(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    start = parse_date(args.start, "--from")
    end = parse_date(args.end, "--to")
    change = workflow.act(Repository.open(args.repo), args.state, args.area, start=start, end=end, consent=args.consent)
    return _report_change(args, change)


def _complete(args) -> int:
    from cicatext.store.modalities import workflow
    from cicatext.store.repository import Repository

    report_date = parse_date(args.report_date, "--report-date")
    change = workflow.complete(Repository.open(args.repo), args.state, args.area, role=args.role, report=args.report, report_date=report_date)
    return _report_change(args, change)


def _as_of(args) -> dt.date:
    return parse_date(args.as_of, "--as-of") if args.as_of else dt.date.today()


def _appointment_json(names, a) -> dict:
    def iso(day):
        return day.isoformat() if day else None

    return {
        "state": a.state,
        "name": names.get(a.state, a.state),
        "area": a.area,
        "role": a.role,
        "state_of_record": a.state_of_record,
        "from": iso(a.start),
        "to": iso(a.end),
        "serves_until": iso(a.effective_end) if a.held else None,
        "decision": {"body": a.decision.body, "ref": a.decision.ref, "date": iso(a.decision.date)} if a.decision else None,
        "recommendation": {"body": a.recommendation.body, "meeting": a.recommendation.meeting, "ref": a.recommendation.ref} if a.recommendation else None,
        "extensions": [{"to": iso(e.end), "requested": iso(e.requested), "approved": e.approved} for e in a.extensions],
        "acting": [{"from": iso(p.start), "to": iso(p.end)} for p in a.acting],
        "termination": {"notice": iso(a.termination.notice), "effective": iso(a.termination.effective)} if a.termination else None,
        "report": {"date": iso(a.report.date), "ref": a.report.ref} if a.report else None,
    }


def _paper_json(paper) -> dict | None:
    if paper is None:
        return None
    return {
        "id": paper.id,
        "author": paper.author,
        "condition": paper.condition,
        "first_draft": paper.first_draft.isoformat() if paper.first_draft else None,
        "applicability": {"from": paper.applicability_start.isoformat(), "to": paper.applicability_end.isoformat()} if paper.applicability_start and paper.applicability_end else None,
        "document": paper.document,
    }


def _area_json(names, area) -> dict:
    s = area.coordination
    return {
        "id": area.id,
        "name": area.name,
        "coordinator": _appointment_json(names, s.coordinator) if s.coordinator else None,
        "acting_coordinator": _appointment_json(names, s.acting) if s.acting else None,
        "co_coordinators": [_appointment_json(names, a) for a in s.co_coordinators],
        "starting_later": [_appointment_json(names, a) for a in s.future],
        "pending": [_appointment_json(names, a) for a in s.pending],
        "concept_paper": _paper_json(s.concept_paper),
    }


def _describe(names, a, as_of: dt.date, *, with_role: bool = False) -> str:
    from cicatext.records.dates import span_text

    parts = [f"{a.state} {names.get(a.state, a.state)}"]
    if with_role:
        parts.append(a.role)
    parts.append(span_text(a.start, a.effective_end if a.held else a.end) if (a.start or a.end) else "tenure not given")
    detail = a.state_of_record
    if a.pending and a.recommendation:
        reference = f" ({a.recommendation.ref})" if a.recommendation.ref else ""
        detail += f" by the {a.recommendation.body}{reference}, SOC decision pending"
    elif a.pending:
        if a.considered:
            detail += f", under consideration ({', '.join(a.considered)})"
        elif a.offer and a.offer.meeting:
            detail += f" at {a.offer.meeting}, under consideration"
    elif a.decision:
        detail += f"; appointed by the {a.decision.body}" + (f" {a.decision.ref}" if a.decision.ref else "") + (f" on {a.decision.date}" if a.decision.date else "")
    if a.held and a.acting_on(as_of):
        detail += "; acting as Coordinator (1.11)"
    if any(not e.approved for e in a.extensions):
        detail += "; extension requested"
    return f"{', '.join(parts)}  [{detail}]"


def _coordinators(args) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.modalities.reports import coordinators
    from cicatext.store.repository import Repository

    as_of = _as_of(args)
    report = coordinators(Repository.open(args.repo), as_of, every_area=args.all)
    names = report.state_names

    if args.json:
        emit_json({
            "as_of": as_of.isoformat(),
            "dimensions": [
                {
                    "id": dimension.id,
                    "name": dimension.name,
                    "areas": [_area_json(names, area) for area in dimension.areas],
                }
                for dimension in report.dimensions
            ],
            "problems": [p.to_json() for p in report.problems],
        })
        return 1 if report.problems else 0

    print(f"Coordinators as of {as_of}")
    if not report.dimensions:
        print("\nNo coordinators, offers or concept papers are recorded." + ("" if args.all else " (--all lists every priority area)"))
    for dimension in report.dimensions:
        print(f"\n{dimension.name}")
        for area in dimension.areas:
            s = area.coordination
            print(f"  {area.name} [{area.id}]")
            rows: list[tuple[str, str]] = []
            if s.coordinator:
                rows.append(("coordinator", _describe(names, s.coordinator, as_of)))
            elif s.acting:
                rows.append(("coordinator", f"none; {s.acting.state} acts as Coordinator (1.11)"))
            else:
                rows.append(("coordinator", "none"))
            rows += [("co-coordinator", _describe(names, a, as_of)) for a in s.co_coordinators]
            rows += [("starts later", _describe(names, a, as_of, with_role=True)) for a in s.future]
            rows += [("pending", _describe(names, a, as_of, with_role=True)) for a in s.pending]
            paper = s.concept_paper
            if paper is None:
                rows.append(("concept paper", "none"))
            elif paper.condition == "approved":
                period = f", applicable {paper.applicability_start}..{paper.applicability_end}" if paper.applicability_end else ""
                rows.append(("concept paper", f"{paper.id} by {paper.author}, approved{period}"))
            else:
                since = f" since {paper.first_draft}" if paper.first_draft else ""
                rows.append(("concept paper", f"{paper.id} by {paper.author}, under consideration{since}"))
            for label, text in rows:
                print(f"    {label:<16} {text}")
    return _left_out(report.problems)


def _deadlines(args) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.modalities.reports import deadlines_report
    from cicatext.store.repository import Repository

    as_of = _as_of(args)
    report = deadlines_report(Repository.open(args.repo), as_of)
    if args.json:
        emit_json({"as_of": as_of.isoformat(), "due_window_days": report.due_window_days,
                   "deadlines": [d.to_json() for d in report.deadlines],
                   "problems": [p.to_json() for p in report.problems]})
        return 1 if report.problems else 0
    print(f"Deadlines as of {as_of} (due: within {report.due_window_days} days)")
    if not report.deadlines:
        print("  nothing falls due")
    for d in report.deadlines:
        rule = d.rule if d.rule == "meeting" else f"§{d.rule}"
        print(f"  {d.due}  {d.status:<8}  {rule:<7}  {d.what}")
    return _left_out(report.problems)


def _left_out(problems) -> int:
    """After a report: the records it left out because they do not load, on standard error; 1 when there are any."""
    from cicatext.cli.output import print_problems

    if problems:
        print_problems(problems)
        print(f"{len(problems)} record problem(s): the report above leaves those records out; "
              "fix them (`cicatext validate`)", file=sys.stderr)
    return 1 if problems else 0


def _meeting_add(args) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.modalities.meetings import add_meeting
    from cicatext.store.repository import Repository

    added = add_meeting(Repository.open(args.repo), args.id, body=args.body, start=args.start, end=args.end,
                        place=args.place, mode=args.mode, title=args.title, documents=args.documents,
                        language=args.lang)
    if args.json:
        emit_json(added.to_json())
        return 0
    print(f"Recorded meeting {added.id} in {added.path} (commit {added.commit[:10]})")
    for symbol, action in added.documents:
        print(f"  {symbol}  {action}")
    print(f"Its cover note: `cicatext note {added.id} --number NUMBER -o NOTE.docx`", file=sys.stderr)
    return 0


def _note(args) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.modalities.cover_notes import cover_notes
    from cicatext.store.repository import Repository

    repo = Repository.open(args.repo)
    found = cover_notes(repo, args.meeting, lang=args.lang, number=args.number)
    if args.output:
        from cicatext.cli.output import output_target
        from cicatext.store.files import write_atomic

        if args.output.lower().endswith(".docx"):
            from cicatext.exchange.note_docx import cover_notes_docx

            data: str | bytes = cover_notes_docx(found.notes)
        else:
            data = "\n\n".join(n.text.rstrip("\n") for n in found.notes) + "\n"
        write_atomic(output_target(args.output, repo), data)
        for warning in found.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"Wrote {args.output}: the cover note {found.number or ''} of {found.meeting}".replace("  ", " "),
              file=sys.stderr)
        return 0
    if args.json:
        emit_json({"meeting": found.meeting, "number": found.number, "notes": [n.to_json() for n in found.notes], "warnings": list(found.warnings)})
    else:
        for warning in found.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print("\n\n".join(n.text.rstrip("\n") for n in found.notes))
    return 0
