"""Commands about the program itself: warm (the warm process that runs quick commands)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    warm = subparsers.add_parser(
        "warm", help="the warm process that runs quick commands without Python's start",
        usage="cicatext warm [-h] [--json] [status|start|stop]",
        description="Quick commands (diff, validate, search, log, check, ...) run in a fork of a warm process that "
                    "has done their imports already; one starts by itself after a quick command, and ends after "
                    "15 minutes without a command. status: the user's warm processes; start: start one for this "
                    "program now; stop: stop them all. CICATEXT_WARM=0 runs every command in a process of its own.")
    warm.add_argument("action", nargs="?", default="status", choices=("status", "start", "stop"),
                      help="what to do (default: status)")
    warm.add_argument("--json", action="store_true", help="print the warm processes as JSON")
    warm.set_defaults(handler=run_warm)


def run_warm(args: argparse.Namespace) -> int:
    from cicatext.cli import launch, warm
    from cicatext.cli.output import emit_json
    from cicatext.errors import UsageError

    key = launch.warm_key()
    ours = launch.address(key, make=args.action == "start")
    off = not launch.available()
    if args.action == "start":
        if off:
            raise UsageError("no warm process runs here: it needs Linux, and CICATEXT_WARM not set to 0",
                             hint="unset CICATEXT_WARM, then run cicatext warm start")
        if ours is None:
            raise UsageError("there is no folder of this user's alone for the warm process's socket",
                             hint="set TMPDIR to a folder only you may write to")
        if warm.start(key) is None:
            why = warm.refused(ours)
            print(f"cicatext: no warm process could start: {why or 'it did not answer within 30 seconds'}",
                  file=sys.stderr)
    stopped = []
    if args.action == "stop":
        stopped = [said for path, _ in warm.running() if (said := warm.ask(path, b"S"))]
    found = [{**said, "socket": path, "serves_this_program": path == ours} for path, said in warm.running()]
    serves = any(said["serves_this_program"] for said in found)
    code = 0 if args.action != "start" or serves else 1
    if args.json:
        emit_json({"off": off, "stopped": len(stopped), "processes": found})
        return code
    if args.action == "stop":
        print(f"stopped {len(stopped)} warm process{'es' if len(stopped) != 1 else ''}")
    for said in found:
        idle = said["idle"] / 60
        print(f"warm process {said['pid']}: "
              + ("serves this program" if said["serves_this_program"] else "serves other code or settings")
              + f"; {said['served']:,} command{'s' if said['served'] != 1 else ''} run; "
                f"{said['memory_kb'] / 1024:.0f} MB; ends after {idle:g} minute{'s' if idle != 1 else ''} "
                "without a command")
    if not serves and args.action != "stop":
        print("no warm process serves this program: "
              + ("every command runs in a process of its own (CICATEXT_WARM=0, or not Linux)" if off else
                 "quick commands run in a process of their own until one starts (after the next quick command, "
                 "or `cicatext warm start`)"), file=sys.stderr if args.action == "start" else sys.stdout)
    return code
