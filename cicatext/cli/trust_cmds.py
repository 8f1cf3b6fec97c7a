"""Commands of trust: the shared repository's guard, the key registry, verified authorship, confidential records."""

from __future__ import annotations

import argparse
import sys

from cicatext.store.layout import ALLOWED_SIGNERS_PATH, REVOKED_PATH


def _repo_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-C", "--repo", default=".", help="the repository (default: here)")


def _help(parser: argparse.ArgumentParser):
    return lambda args: (parser.print_help(), 2)[1]


def register(subparsers) -> None:
    server = subparsers.add_parser("server", help="prepare and guard the shared bare repository")
    actions = server.add_subparsers(dest="server_command", metavar="ACTION")
    init = actions.add_parser("init", help="make a bare repository that checks every push (pre-receive hook)")
    init.add_argument("bare", help="the bare repository's folder (made if missing)")
    init.add_argument("--require-signatures", action="store_true",
                      help="(the default) every new commit must be signed with a key registered for its party")
    init.add_argument("--allow-unsigned", action="store_true",
                      help="take unsigned commits and tags (unsafe: see what it prints)")
    init.add_argument("--json", action="store_true", help="print the settings as JSON")
    init.set_defaults(handler=run_server_init)
    check = actions.add_parser("check", help="(run by the pre-receive hook) check the ref updates read from stdin")
    check.set_defaults(handler=run_server_check)
    authorize = actions.add_parser("authorize", help="let a party's SSH key push and fetch the repository, "
                                   "and run nothing else (an authorized_keys line with a forced command)")
    authorize.add_argument("bare", help="the shared bare repository")
    authorize.add_argument("code", help="the code the key pushes as, e.g. CHN or SEC")
    authorize.add_argument("pubkey", help="the SSH public key file (KEYFILE.pub)")
    authorize.add_argument("--authorized-keys", help="the file to write (default: ~/.ssh/authorized_keys)")
    authorize.add_argument("--json", action="store_true", help="print the line written as JSON")
    authorize.set_defaults(handler=run_server_authorize)
    server.set_defaults(handler=_help(server))

    serve = subparsers.add_parser("serve", help="(run by sshd for an authorized key) git on the shared repository "
                                  "as one party")
    serve.add_argument("bare", help="the shared bare repository")
    serve.add_argument("code", help="the party whose key connected")
    serve.set_defaults(handler=run_serve)

    keys = subparsers.add_parser("keys", help=f"the registry of signing keys ({ALLOWED_SIGNERS_PATH})")
    key_actions = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    add = key_actions.add_parser("add", help="register an SSH public key for a delegation or the Secretariat")
    add.add_argument("code", help="the code the key speaks for, e.g. CHN or SEC")
    add.add_argument("pubkey", help="the public key file (KEYFILE.pub)")
    _repo_option(add)
    add.set_defaults(handler=run_keys_add)
    revoke = key_actions.add_parser("revoke", help="revoke a key (by fingerprint, .pub file, or every key of a code)")
    revoke.add_argument("which", help="SHA256:... fingerprint, a .pub file, or a code")
    revoke.add_argument("--reason", default="", help=f"why (kept in {REVOKED_PATH})")
    _repo_option(revoke)
    revoke.set_defaults(handler=run_keys_revoke)
    listing = key_actions.add_parser("list", help="the registered keys")
    _repo_option(listing)
    listing.add_argument("--json", action="store_true", help="print the keys as JSON")
    listing.set_defaults(handler=run_keys_list)
    keys.set_defaults(handler=_help(keys))

    verify = subparsers.add_parser("verify", help="whose key signed each commit, and whether it was entitled to")
    verify.add_argument("range", nargs="?", help="a revision or range (default: HEAD's history)")
    _repo_option(verify)
    verify.add_argument("--json", action="store_true", help="print the commits as JSON")
    verify.set_defaults(handler=run_verify)

    confidential = subparsers.add_parser("confidential", help="information shared in confidence (Modalities 4.2)")
    c_actions = confidential.add_subparsers(dest="confidential_command", metavar="ACTION")
    c_add = c_actions.add_parser("add", help="store a file encrypted to its recipients' registered keys")
    c_add.add_argument("file", help="the file to protect (it is not copied in clear)")
    c_add.add_argument("--provider", required=True, help="the state providing the information")
    c_add.add_argument("--recipients", required=True, help="who may read it, comma-separated codes")
    c_add.add_argument("--title", help="a title, shown to everyone (keep secrets out of it)")
    _repo_option(c_add)
    c_add.add_argument("--json", action="store_true", help="print the record as JSON")
    c_add.set_defaults(handler=run_confidential_add)
    c_list = c_actions.add_parser("list", help="the confidential records' metadata (readable by anyone)")
    _repo_option(c_list)
    c_list.add_argument("--json", action="store_true", help="print the records as JSON")
    c_list.set_defaults(handler=run_confidential_list)
    c_show = c_actions.add_parser("show", help="decrypt a record with a recipient's private key")
    c_show.add_argument("id", help="the record's id")
    c_show.add_argument("--identity", required=True, help="your private SSH key file")
    c_show.add_argument("-o", "--output", help="write the content to this file (readable by you only) instead of "
                                               "standard output; refused inside the repository")
    c_show.add_argument("--inside-repository", action="store_true",
                        help="let -o write the plaintext inside the repository's work tree (keep it out of git)")
    _repo_option(c_show)
    c_show.set_defaults(handler=run_confidential_show)
    c_consent = c_actions.add_parser("consent", help="as the provider, sign consent to share a record with a state")
    c_consent.add_argument("id", help="the record's id")
    c_consent.add_argument("--to", required=True, help="the state that may receive it")
    c_consent.add_argument("--key", required=True, help="the provider's private SSH key file")
    _repo_option(c_consent)
    c_consent.set_defaults(handler=run_confidential_consent)
    c_share = c_actions.add_parser("share", help="re-encrypt a record for one more state, with the provider's consent")
    c_share.add_argument("id", help="the record's id")
    c_share.add_argument("--to", required=True, help="the state to share it with")
    c_share.add_argument("--identity", required=True,
                         help="a private key that can read the record (the provider's key also signs its consent)")
    _repo_option(c_share)
    c_share.set_defaults(handler=run_confidential_share)
    confidential.set_defaults(handler=_help(confidential))


def _open(args):
    from cicatext.store.repository import Repository

    return Repository.open(args.repo)


def _emit(value) -> None:
    from cicatext.cli.output import emit_json

    emit_json(value)


def run_server_init(args: argparse.Namespace) -> int:
    from cicatext.errors import UsageError
    from cicatext.store.trust.server import init_server

    if args.allow_unsigned and args.require_signatures:
        raise UsageError("--allow-unsigned and --require-signatures contradict each other",
                         hint="leave both out: signatures are required by default")
    result = init_server(args.bare, require_signatures=not args.allow_unsigned)
    if args.allow_unsigned:
        print("warning: --allow-unsigned gives up verified authorship. Unless pushes come over SSH through "
              "`cicatext server authorize`, anyone who can push can write any delegation's position set on its "
              "branch, and nothing tells a forged commit from a real one: the folder rules, force pushes, "
              "deletions and validation are still checked, signatures only when present.", file=sys.stderr)
    if args.json:
        _emit(result)
        return 0
    print(f"Shared repository ready: {result['repository']}")
    print(f"  pre-receive hook: {result['hook']}")
    print("  no force push, no deletion, objects checked on receipt; "
          + ("signatures checked when present (unsigned allowed)" if args.allow_unsigned else "signatures required"))
    print("The Secretariat pushes main first: `git push origin main`.", file=sys.stderr)
    return 0


def run_server_authorize(args: argparse.Namespace) -> int:
    from cicatext.store.trust.ssh import authorize

    done = authorize(args.bare, args.code, args.pubkey, args.authorized_keys)
    if args.json:
        _emit(done.to_json())
        return 0
    print(f"Authorized {done.fingerprint} to push and fetch as {done.code} in {done.file}")
    print("That key runs git-receive-pack and git-upload-pack on this repository and nothing else.", file=sys.stderr)
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import os

    from cicatext.store.trust.ssh import serve

    return serve(args.bare, args.code, os.environ.get("SSH_ORIGINAL_COMMAND"))


def run_server_check(args: argparse.Namespace) -> int:
    from cicatext.store.trust.server import run_check

    # Ref names are bytes: one that is not UTF-8 is kept (surrogateescape) to be refused by name, whatever the locale.
    lines = (line.decode("utf-8", "surrogateescape") for line in sys.stdin.buffer)
    return run_check(lines)


def run_keys_add(args: argparse.Namespace) -> int:
    from cicatext.store.trust.keys import add_key

    key = add_key(_open(args), args.code, args.pubkey)
    print(f"Registered {key.keytype} key {key.fingerprint} for {key.code} in {ALLOWED_SIGNERS_PATH}")
    print(f"Sign with it: git config gpg.format ssh; git config user.signingkey {args.pubkey}; "
          "git config commit.gpgSign true", file=sys.stderr)
    return 0


def run_keys_revoke(args: argparse.Namespace) -> int:
    from cicatext.store.trust.keys import revoke_key

    for key in revoke_key(_open(args), args.which, reason=args.reason):
        print(f"Revoked {key.code}'s key {key.fingerprint}")
    return 0


def run_keys_list(args: argparse.Namespace) -> int:
    from cicatext.store.trust.keys import load_keyring

    ring = load_keyring(_open(args))
    if args.json:
        _emit([{"code": k.code, "type": k.keytype, "fingerprint": k.fingerprint, "revoked": k.revoked,
                "key": k.public_line} for k in ring.keys])
        return 0
    if not ring:
        print("No keys registered. Add one with `cicatext keys add CODE KEYFILE.pub`.", file=sys.stderr)
        return 0
    for key in ring.keys:
        print(f"{key.code:<6} {key.keytype:<12} {key.fingerprint}{'  REVOKED' if key.revoked else ''}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from cicatext.store.trust.verify import verify

    checks = verify(_open(args), args.range)
    refused = [c for c in checks if c.entitled is False or c.signature.status in ("bad", "revoked")]
    if args.json:
        _emit({"commits": [c.to_json() for c in checks], "not_entitled": len(refused)})
        return 1 if refused else 0
    for check in checks:
        if check.entitled is True:
            mark = "ok"
        elif check.entitled is False or check.signature.status in ("bad", "revoked"):
            mark = "NOT ENTITLED" if check.entitled is False else "BAD"
        else:
            mark = "unverified"
        who = check.signature.describe() if not check.vouched_by else f"vouched by {check.vouched_by}"
        print(f"{check.commit[:10]}  {mark:<12} {who:<48} {check.subject}")
        if check.entitled is False:
            print(f"            {check.reason}")
    summary = f"{len(checks)} commit(s): {sum(c.entitled is True for c in checks)} verified and entitled"
    if refused:
        summary += f", {len(refused)} not entitled or badly signed"
    print(summary, file=sys.stderr)
    return 1 if refused else 0


def run_confidential_add(args: argparse.Namespace) -> int:
    from cicatext.store.trust.confidential import add_record

    record = add_record(_open(args), args.file, provider=args.provider,
                        recipients=[c for c in args.recipients.split(",") if c.strip()], title=args.title)
    if args.json:
        _emit(record.to_json())
        return 0
    print(f"Stored {record.id}: from {record.provider} for {', '.join(record.recipients)} (encrypted)")
    for warning in record.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def run_confidential_list(args: argparse.Namespace) -> int:
    from cicatext.store.trust.confidential import list_records

    records = list_records(_open(args))
    if args.json:
        _emit([r.to_json() for r in records])
        return 0
    if not records:
        print("No confidential records.", file=sys.stderr)
    for record in records:
        print(f"{record.id}  {record.date}  from {record.provider:<5} to {','.join(record.recipients):<20} "
              f"{record.title or ''}")
    return 0


def run_confidential_show(args: argparse.Namespace) -> int:
    from cicatext.store.trust.confidential import open_record, write_plaintext

    repo = _open(args)
    content, name = open_record(repo, args.id, identity=args.identity)
    if args.output:
        written = write_plaintext(repo, args.output, content, inside_repository=args.inside_repository)
        provided = f" (provided as {name})" if name else ""
        print(f"Wrote {args.id}{provided} to {written}", file=sys.stderr)
        return 0
    sys.stdout.buffer.write(content)
    sys.stdout.flush()
    return 0


def run_confidential_consent(args: argparse.Namespace) -> int:
    from cicatext.store.trust.confidential import record_consent

    record = record_consent(_open(args), args.id, to=args.to, key=args.key)
    print(f"{record.provider} consents to sharing {record.id} with {args.to.upper()} (signed)")
    return 0


def run_confidential_share(args: argparse.Namespace) -> int:
    from cicatext.store.trust.confidential import share_record

    record = share_record(_open(args), args.id, to=args.to, identity=args.identity)
    print(f"{record.id} is now readable by {', '.join(record.recipients)}")
    return 0
