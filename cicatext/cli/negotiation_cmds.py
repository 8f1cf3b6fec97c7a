"""Commands of the negotiation: delegation start and show, propose, round, agree, drop, diff, log, git-setup, and git's diff driver."""

from __future__ import annotations

import argparse
import os
import sys


def _repo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-C", "--repo", default=".", help="the repository (default: here)")


def register(subparsers) -> None:
    delegation = subparsers.add_parser("delegation", help="work on a delegation's branch")
    actions = delegation.add_subparsers(dest="delegation_command", metavar="ACTION")
    start = actions.add_parser("start", help="create (from main) or switch to the branch delegations/CODE")
    start.add_argument("code", help="the delegation code, e.g. CHN")
    _repo_option(start)
    start.add_argument("--json", action="store_true", help="print the result as JSON")
    start.set_defaults(handler=run_start)
    show = actions.add_parser("show", help="a delegation's open brackets in every document, and its position sets")
    show.add_argument("code", help="the delegation code or name, e.g. USA or 'United States'")
    show.add_argument("--expand-groups", action="store_true",
                      help="also list the brackets attributed to the groups it belongs to (G77, EU, ...), "
                           "marked as via the group")
    _repo_option(show)
    show.add_argument("--json", action="store_true", help="print the brackets and position sets as JSON")
    show.set_defaults(handler=run_show)
    delegation.set_defaults(handler=lambda args: (delegation.print_help(), 2)[1])

    propose = subparsers.add_parser("propose", help="turn your edit of a document's text into your position set")
    propose.add_argument("symbol", help="the document, e.g. MC/2023/DRAFT/5")
    propose.add_argument("--lang", default="en", help="the language of the text you edited (default en)")
    propose.add_argument("--from", dest="word_file", metavar="FILE.docx",
                         help="read your positions from a Word file of the document instead: your tracked "
                              "insertions and deletions, and your comments (retain, delete, tcb, Insert “x”)")
    propose.add_argument("-j", "--justification", action="append", metavar="[PARAGRAPH=]TEXT",
                         help="why, in your delegation's words, kept with the entries: TEXT for every entry, "
                              "PARAGRAPH=TEXT (e.g. op4=...) for the entries on one paragraph; repeat it")
    propose.add_argument("-m", "--message", help="the commit message")
    _repo_option(propose)
    propose.add_argument("--json", action="store_true", help="print the result as JSON")
    propose.set_defaults(handler=run_propose)

    round_ = subparsers.add_parser("round", help="merge the delegations' branches and compile the next revision")
    round_.add_argument("symbol", help="the document, e.g. MC/2023/DRAFT/5")
    round_.add_argument("--delegations", help="only these delegations, comma-separated (default: every branch)")
    round_.add_argument("--lang", default="en", help="the language the positions quote (default en)")
    round_.add_argument("--date", help="the round's date and time, ISO 8601 (default: now)")
    _repo_option(round_)
    round_.add_argument("--json", action="store_true", help="print the result as JSON")
    round_.set_defaults(handler=run_round)

    for name, verb in (("agree", "lift a bracket, keeping its text"), ("drop", "remove a bracket and its text")):
        command = subparsers.add_parser(name, help=f"{verb}, and commit")
        command.add_argument("symbol", help="the document")
        command.add_argument("bracket", help="the bracket id, e.g. op11:kqtb (`cicatext brackets` lists them)")
        command.add_argument("--expect", metavar="TEXT",
                             help="refuse unless the bracket's text is TEXT (white space aside)")
        command.add_argument("--lang", default="en", help="the language (default en)")
        _repo_option(command)
        command.add_argument("--json", action="store_true", help="print the result as JSON")
        command.set_defaults(handler=run_agree if name == "agree" else run_drop)

    revise = subparsers.add_parser("revise", help="issue the next revision of a text amended since its last one")
    revise.add_argument("symbol", help="the document")
    revise.add_argument("--date", help="the revision's date, YYYY-MM-DD (default: today)")
    _repo_option(revise)
    revise.add_argument("--json", action="store_true", help="print the result as JSON")
    revise.set_defaults(handler=run_revise)

    diff = subparsers.add_parser("diff", help="the bracket diff between two refs, paragraph by paragraph")
    diff.add_argument("ref_a", help="a tag, branch or commit, or WORKTREE")
    diff.add_argument("ref_b", help="a tag, branch or commit, or WORKTREE")
    diff.add_argument("symbol", nargs="?", help="only this document")
    diff.add_argument("--lang", default="en", help="the language (default en)")
    _repo_option(diff)
    diff.add_argument("--json", action="store_true", help="print the diff as JSON")
    diff.set_defaults(handler=run_diff)

    log = subparsers.add_parser("log", help="the rounds of a document")
    log.add_argument("symbol", help="the document")
    _repo_option(log)
    log.add_argument("--json", action="store_true", help="print the rounds as JSON")
    log.set_defaults(handler=run_log)

    setup = subparsers.add_parser("git-setup", help="make git show document texts word by word, bracket-aware")
    _repo_option(setup)
    setup.set_defaults(handler=run_git_setup)

    driver = subparsers.add_parser("diff-driver", help="(run by git diff) the external diff for document texts")
    driver.add_argument("git_args", nargs="*", help=argparse.SUPPRESS)
    driver.set_defaults(handler=run_diff_driver)
    textconv = subparsers.add_parser("diff-textconv", help="(run by git log -p) a document text as git shows it")
    textconv.add_argument("file")
    textconv.set_defaults(handler=run_textconv)


def _open(args):
    from cicatext.store.repository import Repository

    return Repository.open(args.repo)


def run_start(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.negotiation.branches import start_delegation

    result = start_delegation(_open(args), args.code)
    if args.json:
        emit_json({"delegation": result.code, "branch": result.branch, "created": result.created,
                   "updated": result.updated, "commit": result.base})
        return 0
    verb = "Created" if result.created else "Switched to"
    print(f"{verb} {result.branch}" + (f" (brought up to date with main: {result.updated})" if result.updated else ""))
    print("Edit a document's text, then `cicatext propose SYMBOL`.", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.negotiation.checks import known_code
    from cicatext.store.negotiation.delegations import (
        delegation_brackets,
        position_files,
    )

    repo = _open(args)
    code = repo.parties.resolve(args.code) or known_code(repo, args.code)
    brackets = delegation_brackets(repo, code, expand_groups=args.expand_groups)
    positions = position_files(repo, code)
    if args.json:
        emit_json({"delegation": code, "name": repo.parties.name(code), "groups": list(repo.parties.groups_of(code)),
                   "brackets": [b.to_json() for b in brackets],
                   "position_sets": [{"path": p.path, "document": p.document, "entries": p.entries,
                                      "actions": p.actions, "problem": p.problem} for p in positions]})
        return 0
    for item in brackets:
        said = ",".join(s.value for s in item.stances)
        via = f"via {','.join(item.via)}" if item.via else ""
        parts = [item.symbol, item.label or item.paragraph, item.bracket, said, via, " ".join(item.others),
                 _short(item.text, 60)]
        print("  ".join(part for part in parts if part))
    for item in positions:
        print(f"{item.path}  {item.document or '-'}  {item.problem or item.actions or 'no entries'}")
    documents = len({item.slug for item in brackets})
    through = sum(1 for item in brackets if item.via)
    groups = repo.parties.groups_of(code)
    summary = f"{code} ({repo.parties.name(code)}): {len(brackets)} open bracket(s) in {documents} document(s)"
    if args.expand_groups:
        summary += f", {through} through its groups ({', '.join(groups) or 'none'})"
    elif groups:
        summary += f"; member of {', '.join(groups)} (--expand-groups lists their brackets too)"
    print(summary + f"; {len(positions)} position set(s)", file=sys.stderr)
    return 0


def _justifications(values: list[str] | None) -> dict[str, str] | None:
    """`-j TEXT` (every entry) and `-j op4=TEXT` (one paragraph's entries) as paragraph -> text ("" for every)."""
    if not values:
        return None
    import re

    from cicatext.errors import UsageError

    found: dict[str, str] = {}
    for value in values:
        keyed = re.match(r"([a-z]+[0-9][A-Za-z0-9._-]*|[0-9]+(?:\.[0-9]+)*)=(.*)", value, re.DOTALL)
        key, text = (keyed.group(1), keyed.group(2)) if keyed else ("", value)
        if key in found:
            what = f"paragraph {key}" if key else "every entry"
            raise UsageError(f"two justifications for {what}", hint="give one -j per paragraph, and one plain -j")
        found[key] = text
    return found


def run_propose(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.negotiation.propose import propose

    justification = _justifications(args.justification)

    if args.word_file:
        from cicatext.exchange.docx_propose import propose_from_word

        result = propose_from_word(_open(args), args.symbol, args.word_file, language=args.lang,
                                   justification=justification, message=args.message)
    else:
        result = propose(_open(args), args.symbol, language=args.lang, justification=justification,
                         message=args.message)
    if args.json:
        emit_json(result.to_json())
    else:
        count = len(result.entries)
        print(f"{result.delegation}: {count} new entr{'y' if count == 1 else 'ies'} in {result.path} "
              f"(commit {result.commit[:10]})")
        for entry in result.entries:
            print(f"  {entry.id}  {entry.describe()}")
        restored = "" if args.word_file else "The text is restored; "
        print(f"{restored}{'P' if args.word_file else 'p'}ush your branch for the next round: "
              f"`git push origin delegations/{result.delegation}`", file=sys.stderr)
        for warning in result.warnings:  # with --json they are in the JSON only
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def run_round(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json, warn_awaiting
    from cicatext.store.negotiation.rounds import run_round as compile_round

    delegations = [c for c in (args.delegations or "").replace(" ", ",").split(",") if c] or None
    result = compile_round(_open(args), args.symbol, delegations=delegations, language=args.lang, date=args.date)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"{result.tag}: {result.revision} (commit {result.commit[:10]})")
    print(f"  merged: {', '.join(result.delegations) or 'no branch'}")
    print(f"  brackets: {result.brackets_before} -> {result.brackets_after}")
    if result.idle:
        print(f"  nothing new from: {', '.join(result.idle)}")
    for code, (placed, left_out) in result.compiled.by_delegation().items():
        print(f"  {code}: {len(placed)} placed" + (f", {len(left_out)} NOT placed" if left_out else ""))
        for unplaced in left_out:
            print(f"    not placed: {unplaced.entry.id or '-'} ({unplaced.entry.paragraph}): {unplaced.reason}")
    if result.compiled.unplaced:
        print(f"{len(result.compiled.unplaced)} entr{'y was' if len(result.compiled.unplaced) == 1 else 'ies were'} "
              "left out of this round; they are tried again in the next one.", file=sys.stderr)
    warn_awaiting(result.awaiting, result.symbol)
    print("Share it: `git push origin main --follow-tags`", file=sys.stderr)
    return 0


def _bracket_command(args: argparse.Namespace, verb: str) -> int:
    from cicatext.cli.output import emit_json, warn_awaiting
    from cicatext.store.negotiation import decisions

    action = decisions.agree_bracket if verb == "agree" else decisions.drop_bracket
    decision = action(_open(args), args.symbol, args.bracket, language=args.lang, expect=args.expect)
    if args.json:
        emit_json(decision.to_json())
    else:
        print(decision.describe())
        print(f"  commit {decision.commit[:10]}")
        warn_awaiting(decision.awaiting, decision.symbol)
    return 0


def run_revise(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.register.revisions import revise

    result = revise(_open(args), args.symbol, date=args.date)
    if args.json:
        emit_json(result.to_json())
    else:
        print(f"{result.tag}: {result.symbol} (commit {result.commit[:10]})")
        print("Share it: `git push origin main --follow-tags`", file=sys.stderr)
    return 0


def run_agree(args: argparse.Namespace) -> int:
    return _bracket_command(args, "agree")


def run_drop(args: argparse.Namespace) -> int:
    return _bracket_command(args, "drop")


def run_diff(args: argparse.Namespace) -> int:
    from cicatext.collector import paused

    # What the diff imports, reads and prints all lives until the command ends: the collector, paused, does not go
    # over it again and again meanwhile.
    with paused():
        return _print_diff(args)


def _print_diff(args: argparse.Namespace) -> int:
    from cicatext.store.negotiation.diff import diff_refs

    documents = diff_refs(_open(args), args.ref_a, args.ref_b, args.symbol, language=args.lang)
    if args.json:
        from cicatext.cli.output import emit_json

        emit_json({"from": args.ref_a, "to": args.ref_b, "documents": [d.to_json() for d in documents]})
        return 0
    if not documents:
        print(f"no changes to document texts between {args.ref_a} and {args.ref_b}", file=sys.stderr)
    from cicatext.notation.bracket_diff import marked_words
    from cicatext.notation.paragraph_text import shortened

    for document in documents:
        # Each document's lines written at once.
        lines = [f"{document.symbol} ({document.slug})"]
        add = lines.append
        for paragraph in document.paragraphs:
            add(f"  {paragraph.summary()}")
            outer = None
            for bracket in paragraph.brackets_added:
                # Alternatives inside a new options group are shown by the group itself.
                if outer is not None and bracket.depth > outer.depth and bracket.text in outer.text:
                    continue
                outer = bracket
                add(f"    + [{shortened(bracket.text, 70)}] {' '.join(bracket.attributions)}".rstrip())
            for bracket in paragraph.brackets_agreed:
                add(f"    agreed: [{shortened(bracket.text, 70)}]")
            for bracket in paragraph.brackets_dropped:
                add(f"    dropped: [{shortened(bracket.text, 70)}]")
            for change in paragraph.attributions_joined:
                add(f"    {change.bracket} joined {change.attribution()}")
            for change in paragraph.attributions_withdrawn:
                add(f"    {change.bracket} withdrawn {change.attribution()}")
            if paragraph.text_changed and paragraph.status == "changed":
                # Three unchanged words either side of a change.
                add(f"    words: {marked_words(paragraph.words, 3)}".rstrip())
        lines.append("")
        sys.stdout.write("\n".join(lines))
    return 0


def _short(text: str, width: int = 70) -> str:
    from cicatext.notation.paragraph_text import shortened

    return shortened(text, width)


def run_log(args: argparse.Namespace) -> int:
    from cicatext.cli.output import emit_json
    from cicatext.store.negotiation.history import document_log
    from cicatext.store.trust.verify import Authorship

    repo = _open(args)
    repo.document(args.symbol)  # a symbol not in the register is refused, not "no round yet"
    rounds = document_log(repo, args.symbol)
    authors = Authorship(repo)
    authors.verify(r.commit for r in rounds)
    if args.json:
        emit_json({"document": args.symbol,
                   "rounds": [{**r.to_json(), **authors.to_json(r.commit)} for r in rounds]})
        return 0
    if not rounds:
        print(f"{args.symbol} has had no round yet", file=sys.stderr)
    for item in rounds:
        left = f", {item.unplaced} not placed" if item.unplaced else ""
        signer = authors.signer(item.commit)
        signed = f"signed by {signer}" if signer not in ("unsigned", authors.NOT_VERIFIED) else signer
        print(f"{item.tag}  {item.date[:10]}  {item.revision}  brackets {item.brackets_before} -> "
              f"{item.brackets_after}  {' '.join(item.delegations) or '-'}{left}  {signed}")
    return 0


def run_git_setup(args: argparse.Namespace) -> int:
    from cicatext.store.negotiation.driver import git_setup

    settings = git_setup(_open(args))
    for key, value in settings.items():
        print(f"{key} = {value}")
    print("`git diff` now shows document texts word by word; `git log -p --word-diff` too.", file=sys.stderr)
    return 0


def run_diff_driver(args: argparse.Namespace) -> int:
    """git's external diff: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE."""
    from cicatext.store.files import read_text
    from cicatext.store.negotiation.driver import driver_view

    values = args.git_args
    if len(values) < 7:
        print("cicatext diff-driver is run by git with 7 arguments", file=sys.stderr)
        return 2
    path, old_file, _, _, new_file = values[:5]

    def load(name: str) -> str | None:
        if name == "/dev/null":
            return None
        try:
            return read_text(name)
        except (OSError, UnicodeDecodeError):
            return None

    if not (sys.stdout.isatty() or os.environ.get("GIT_PAGER_IN_USE")):
        # Written to a file or a pipe (`git diff > p.patch`): git's own patch, which `git apply` takes.
        from cicatext.store.negotiation.driver import plain_patch

        sys.stdout.flush()
        sys.stdout.buffer.write(plain_patch(path, old_file, new_file))
        return 0
    sys.stdout.write(driver_view(path, load(old_file), load(new_file)))
    return 0


def run_textconv(args: argparse.Namespace) -> int:
    from cicatext.store.files import read_text
    from cicatext.store.negotiation.driver import textconv_view

    try:
        text = read_text(args.file)
    except (OSError, UnicodeDecodeError):
        with open(args.file, "rb") as handle:
            sys.stdout.buffer.write(handle.read())
        return 0
    sys.stdout.write(textconv_view(text))
    return 0
