"""Information provided in confidence (Modalities 4.2): encrypted to its recipients, shared further only with the provider's signed consent.

Every clone can read every git object, so confidentiality cannot come from
branches: the content is stored only as `confidential/<id>.age`, encrypted
(age format, via pyrage) to the registered SSH keys of the provider and of
each recipient. `confidential/<id>.yaml` holds the metadata in clear: provider,
recipients, date, title, the keys it is encrypted to, and the provider's
consents. The source file's name is not in clear: it travels inside the
encrypted payload (`cicatext-confidential v1`, a JSON line with the name,
then the content), so only the readers learn it. Records made before kept
the name in the metadata and their payload is the content alone; both read.

A consent is the statement

    cicatext consent v1
    record: <id>
    provider: <CODE>
    to: <CODE>

signed with `ssh-keygen -Y sign -n cicatext-consent` by a key registered for
the provider; `share` checks it with `ssh-keygen -Y verify` against the key
registry before it re-encrypts the content for the new recipient.
"""

from __future__ import annotations

import json
import secrets
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cicatext.errors import RecordError, RuleError, UsageError
from cicatext.store import yamlio
from cicatext.store.layout import (
    CONFIDENTIAL_DIR,
    POSITIONS_DIR,
    STATES_DIR,
    confidential_paths,
    is_name,
    provided_by,
    provided_paths,
)
from cicatext.store.repository import Repository
from cicatext.store.trust.keys import KeyRing, fingerprint, load_keyring, public_key_of

CONSENT_NAMESPACE = "cicatext-consent"
ENCRYPTABLE = ("ssh-ed25519", "ssh-rsa")
ENVELOPE = b"cicatext-confidential v1\n"
"""How an encrypted payload starts that carries the source file's name before the content."""


def wrap_payload(content: bytes, name: str | None) -> bytes:
    """The payload that is encrypted: the envelope line, the name as a JSON line, then the content byte for byte."""
    return ENVELOPE + json.dumps({"name": name}, ensure_ascii=True).encode("ascii") + b"\n" + content


def unwrap_payload(payload: bytes) -> tuple[bytes, str | None]:
    """(content, name) of a decrypted payload; a payload without the envelope (an older record) is the content."""
    if not payload.startswith(ENVELOPE):
        return payload, None
    line, _, content = payload[len(ENVELOPE):].partition(b"\n")
    try:
        name = json.loads(line).get("name")
    except (ValueError, AttributeError):
        return payload, None
    return content, name if isinstance(name, str) else None


@dataclass(frozen=True)
class ConfidentialRecord:
    """The clear metadata of one confidential record."""

    id: str
    provider: str
    recipients: tuple[str, ...]
    date: str
    title: str | None = None
    name: str | None = None
    encrypted_to: tuple[tuple[str, str], ...] = ()
    """(code, key fingerprint) the ciphertext is encrypted to."""
    consents: tuple[dict, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    metadata_path: str | None = field(default=None, compare=False)
    """Where its metadata lies: `confidential/ID.yaml`, or in the provider's folder when it provided it on its branch."""

    @property
    def paths(self) -> tuple[str, str]:
        """Its metadata and its encrypted content."""
        if self.metadata_path:
            return self.metadata_path, self.metadata_path.removesuffix(".yaml") + ".age"
        return confidential_paths(self.id)

    @property
    def readers(self) -> tuple[str, ...]:
        """Everyone who can read it: the provider and the recipients."""
        return tuple(dict.fromkeys((self.provider, *self.recipients)))

    def to_record(self) -> dict:
        record: dict = {"id": self.id}
        if self.title:
            record["title"] = self.title
        record.update(provider=self.provider, recipients=list(self.recipients), date=self.date)
        if self.name:
            record["name"] = self.name
        record["encrypted_to"] = [{"code": c, "fingerprint": f} for c, f in self.encrypted_to]
        if self.consents:
            record["consents"] = [dict(c) for c in self.consents]
        return record

    def to_json(self) -> dict:
        metadata, ciphertext = self.paths
        return {"id": self.id, "title": self.title, "provider": self.provider, "recipients": list(self.recipients),
                "date": self.date, "name": self.name, "consents": [c["to"] for c in self.consents],
                "metadata": metadata, "ciphertext": ciphertext}

    @classmethod
    def from_record(cls, record: dict, file: str) -> ConfidentialRecord:
        try:
            return cls(str(record["id"]), str(record["provider"]), tuple(str(r) for r in record["recipients"]),
                       str(record["date"]), record.get("title"), record.get("name"),
                       tuple((str(e["code"]), str(e["fingerprint"])) for e in record.get("encrypted_to") or []),
                       tuple(dict(c) for c in record.get("consents") or []), metadata_path=file)
        except (KeyError, TypeError) as error:
            raise RecordError(f"{file} is not a confidential record ({error})", file=file,
                              hint="`cicatext validate` shows what is wrong") from None


def _codes(repo: Repository, codes, what: str) -> list[str]:
    from cicatext.notation.codes import suggest

    wanted = []
    for raw in codes:
        code = raw.strip().upper()
        if code not in repo.codes:
            nearest = suggest(code, repo.codes)
            raise UsageError(f"unknown {what} {raw.strip()!r}", hint=(f"did you mean {nearest}? " if nearest else "")
                             + f"codes are the member states in {STATES_DIR} and the Secretariat")
        if code not in wanted:
            wanted.append(code)
    return wanted


def _recipient_keys(ring: KeyRing, codes) -> list[tuple[str, str, str]]:
    """(code, public line, fingerprint) of every usable key of the codes; UsageError naming a code without one."""
    found = []
    for code in codes:
        keys = [k for k in ring.keys_of(code) if k.keytype in ENCRYPTABLE]
        if not keys:
            raise UsageError(f"{code} has no registered ssh-ed25519 (or ssh-rsa) key to encrypt to",
                             hint=f"{code} registers one first: `cicatext keys add {code} KEYFILE.pub`")
        found.extend((code, k.public_line, k.fingerprint) for k in keys)
    return found


def _encrypt(plaintext: bytes, keys) -> bytes:
    import pyrage

    recipients = [pyrage.ssh.Recipient.from_str(line) for _, line, _ in keys]
    return pyrage.encrypt(plaintext, recipients)


def _decrypt(ciphertext: bytes, identity: str | Path, record: ConfidentialRecord) -> bytes:
    import pyrage

    try:
        key = pyrage.ssh.Identity.from_buffer(Path(identity).read_bytes())
    except OSError as error:
        raise UsageError(f"cannot read the identity {identity}: {error.strerror}",
                         hint="give your private SSH key file, e.g. ~/.ssh/id_ed25519") from None
    except Exception:
        raise UsageError(f"{identity} is not an unencrypted OpenSSH private key",
                         hint="give the private key (not the .pub), without a passphrase") from None
    try:
        return pyrage.decrypt(ciphertext, [key])
    except Exception:
        raise RuleError(f"this key may not read {record.id}: it is for {', '.join(record.readers)} only (Modalities 4.2)",
                         hint=f"information provided by {record.provider} reaches others only with its consent "
                              f"(`cicatext confidential share {record.id} --to CODE`)") from None


def add_record(repo: Repository, file: str | Path, *, provider: str, recipients, title: str | None = None,
               today: str | None = None) -> ConfidentialRecord:
    """Encrypt a file to the provider's and recipients' keys and commit it with its clear metadata."""
    source = Path(file)
    try:
        plaintext = source.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror}") from None
    provider_code = _codes(repo, [provider], "provider")[0]
    recipient_codes = [c for c in _codes(repo, recipients, "recipient") if c != provider_code]
    if not recipient_codes:
        raise UsageError("no recipient besides the provider", hint="name who may read it: --recipients CODE,CODE")
    warnings = []
    resolved = source.resolve()
    if resolved.is_relative_to(repo.root):
        relative = str(resolved.relative_to(repo.root))
        tracked = repo.run_git("ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
        if tracked:
            raise UsageError(f"{relative} is tracked by git: its plain text is already in the history",
                             hint="keep confidential files outside the repository")
        warnings.append(f"{relative} lies inside the repository in clear: delete it, or keep it outside")
    record_id = f"c{(today or date.today().isoformat()).replace('-', '')}-{secrets.token_hex(4)}"
    from cicatext.store.negotiation.branches import current_delegation

    # On its own branch a delegation provides its own information, in its own folder (Modalities 4.2).
    on_branch = current_delegation(repo)
    if on_branch is not None and on_branch != provider_code:
        raise UsageError(f"on delegations/{on_branch} a confidential record is provided by {on_branch}, "
                         f"not {provider_code}",
                         hint=f"give --provider {on_branch}, or store it on main as the Secretariat")
    place = provided_paths(on_branch, record_id) if on_branch else confidential_paths(record_id)
    built: list[ConfidentialRecord] = []

    def build() -> dict[str, str | bytes]:
        ring = load_keyring(repo)
        keys = _recipient_keys(ring, [provider_code, *recipient_codes])
        # The file's name goes inside the encrypted payload, not into the clear metadata.
        record = ConfidentialRecord(record_id, provider_code, tuple(recipient_codes), today or date.today().isoformat(),
                                    title, None, tuple((c, f) for c, _, f in keys), (), tuple(warnings), place[0])
        built.append(record)
        meta, cipher = place
        return {meta: yamlio.dump(record.to_record()), cipher: _encrypt(wrap_payload(plaintext, source.name), keys)}

    repo.update(build, f"Confidential record {record_id} from {provider_code}\n\n"
                      f"Provided by {provider_code} for {', '.join(recipient_codes)} (Modalities 4.2); "
                      "the content is encrypted.\n")
    return built[0]


def _providers(repo: Repository) -> list[str]:
    """The delegations whose folder holds confidential records they provided."""
    folder = repo.path(POSITIONS_DIR)
    if not folder.is_dir():
        return []
    return sorted(p.parent.name for p in folder.glob(f"*/{CONFIDENTIAL_DIR}") if is_name("code", p.parent.name))


def load_record(repo: Repository, record_id: str) -> ConfidentialRecord:
    """One record's metadata, stored by the Secretariat or provided by a delegation on its branch."""
    for meta, _ in (confidential_paths(record_id), *(provided_paths(c, record_id) for c in _providers(repo))):
        if repo.path(meta).exists():
            return ConfidentialRecord.from_record(repo.load(meta), meta)
    known = ", ".join(r.id for r in list_records(repo)[:5]) or "none"
    raise UsageError(f"no confidential record {record_id!r}", hint=f"`cicatext confidential list` (known: {known})")


def list_records(repo: Repository) -> list[ConfidentialRecord]:
    """Every confidential record's metadata, by id: those the Secretariat stored and those delegations provided."""
    from cicatext.store.layout import provided_folder

    files = [f"{CONFIDENTIAL_DIR}/{p.name}" for p in repo.path(CONFIDENTIAL_DIR).glob("*.yaml")]
    for code in _providers(repo):
        files.extend(f"{provided_folder(code)}/{p.name}" for p in repo.path(provided_folder(code)).glob("*.yaml"))
    records = [ConfidentialRecord.from_record(repo.load(file), file) for file in files]
    return sorted(records, key=lambda r: r.id)


def provider_problems(file: str, record: dict) -> list[tuple[str, str]]:
    """What is wrong with where a confidential record lies: one a delegation provided names it as provider, and
    every record is named by its id (for `validate`, and so the server's hook, on every push): (field, message)."""
    problems = []
    code = provided_by(file)
    if code is not None and record.get("provider") != code:
        problems.append(("provider", f"a record in {code}'s folder is provided by {code}, not {record.get('provider')!r}"))
    if record.get("id") != file.rsplit("/", 1)[-1].removesuffix(".yaml"):
        problems.append(("id", f"the record's id {record.get('id')!r} is not its file's name"))
    return problems


def open_record(repo: Repository, record_id: str, *, identity: str | Path) -> tuple[bytes, str | None]:
    """The decrypted content and the source file's name, for a holder of a reader's private key."""
    record = load_record(repo, record_id)
    _, cipher = record.paths
    content, name = unwrap_payload(_decrypt(repo.path(cipher).read_bytes(), identity, record))
    return content, name or record.name


def show_record(repo: Repository, record_id: str, *, identity: str | Path) -> bytes:
    """The decrypted content, for a holder of a reader's private key; RuleError for anyone else."""
    return open_record(repo, record_id, identity=identity)[0]


def write_plaintext(repo: Repository, target: str | Path, content: bytes, *, inside_repository: bool = False) -> Path:
    """Write decrypted content to a file, readable by its owner only; refused inside the repository unless asked.

    A file in the work tree is one `git add -A` away from every clone's
    history, where it can never be taken back: so it is written there only
    with `inside_repository`.
    """
    from cicatext.store.files import write_atomic

    path = Path(target).expanduser()
    resolved = path.resolve()
    if resolved.is_relative_to(repo.root.resolve()) and not inside_repository:
        shown = resolved.relative_to(repo.root.resolve())
        raise UsageError(f"{shown} lies inside the repository: the decrypted text would stand there in clear, "
                         "one `git add` away from every clone's history (Modalities 4.2)",
                         hint="write it outside the repository (-o ~/notice.pdf), or give --inside-repository "
                              "if you mean it, and keep it out of git")
    existed = path.exists()
    write_atomic(path, content)
    if not existed:
        path.chmod(0o600)
    return path


def consent_statement(record: ConfidentialRecord, to: str) -> bytes:
    """The text a provider signs to consent to sharing a record with one more state."""
    return f"cicatext consent v1\nrecord: {record.id}\nprovider: {record.provider}\nto: {to}\n".encode()


def sign_consent(record: ConfidentialRecord, to: str, key: str | Path) -> str:
    """The provider's SSH signature over the consent statement."""
    process = subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-f", str(key), "-n", CONSENT_NAMESPACE],
                             input=consent_statement(record, to), capture_output=True)
    if process.returncode != 0:
        said = process.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"ssh-keygen could not sign with {key}: {said[-1] if said else 'no message'}",
                         hint="give the provider's private key file (permissions 600, no passphrase)")
    return process.stdout.decode("ascii")


def consent_holds(ring: KeyRing, record: ConfidentialRecord, to: str) -> bool:
    """True when the record carries a consent for `to` verifiably signed by a key of its provider."""
    from cicatext.store.trust.verify import Verifier

    with Verifier(ring) as verifier:
        for consent in record.consents:
            if consent.get("to") != to:
                continue
            checked = verifier.check(consent_statement(record, to), str(consent.get("signature", "")),
                                     namespace=CONSENT_NAMESPACE)
            if checked.code == record.provider:
                return True
    return False


def _provider_key(ring: KeyRing, record: ConfidentialRecord, key: str | Path) -> bool:
    _, blob = public_key_of(key)
    return record.provider in ring.codes_of(blob) and not ring.is_revoked(blob)


def record_consent(repo: Repository, record_id: str, *, to: str, key: str | Path) -> ConfidentialRecord:
    """As the provider, sign consent to share a record with `to` and commit it."""
    to_code = _codes(repo, [to], "state")[0]
    updated: list[ConfidentialRecord] = []

    def build() -> dict[str, str]:
        record = load_record(repo, record_id)
        ring = load_keyring(repo)
        if not _provider_key(ring, record, key):
            raise RuleError(f"only {record.provider}, the provider of {record.id}, can consent to sharing it",
                             hint=f"sign with a key registered for {record.provider}")
        signature = sign_consent(record, to_code, key)
        consent = {"to": to_code, "date": date.today().isoformat(), "signature": signature}
        new = ConfidentialRecord(record.id, record.provider, record.recipients, record.date, record.title,
                                 record.name, record.encrypted_to, (*record.consents, consent),
                                 metadata_path=record.metadata_path)
        updated.append(new)
        return {record.paths[0]: yamlio.dump(new.to_record())}

    repo.update(build, f"{to_code} may receive confidential record {record_id}: consent of the provider\n")
    return updated[0]


def share_record(repo: Repository, record_id: str, *, to: str, identity: str | Path) -> ConfidentialRecord:
    """Re-encrypt a record for one more state, only with the provider's signed consent (signed now when `identity` is the provider's key)."""
    to_code = _codes(repo, [to], "state")[0]
    updated: list[ConfidentialRecord] = []

    def build() -> dict[str, str | bytes]:
        record = load_record(repo, record_id)
        if to_code in record.readers:
            raise UsageError(f"{to_code} can already read {record.id}")
        ring = load_keyring(repo)
        consents = record.consents
        if not consent_holds(ring, record, to_code):
            if not _provider_key(ring, record, identity):
                raise RuleError(f"{record.provider} has not consented to share {record.id} with {to_code} (Modalities 4.2)",
                                 hint=f"the provider records its consent: `cicatext confidential consent {record.id} "
                                      f"--to {to_code} --key PROVIDER_KEY` (Modalities 4.2)")
            consents = (*consents, {"to": to_code, "date": date.today().isoformat(),
                                    "signature": sign_consent(record, to_code, identity)})
        meta, cipher = record.paths
        payload = _decrypt(repo.path(cipher).read_bytes(), identity, record)  # the envelope and name are kept
        recipients = (*record.recipients, to_code)
        keys = _recipient_keys(ring, [record.provider, *recipients])
        new = ConfidentialRecord(record.id, record.provider, recipients, record.date, record.title, record.name,
                                 tuple((c, f) for c, _, f in keys), consents, metadata_path=record.metadata_path)
        updated.append(new)
        return {meta: yamlio.dump(new.to_record()), cipher: _encrypt(payload, keys)}

    repo.update(build, f"Share confidential record {record_id} with {to_code}, with the provider's consent\n")
    return updated[0]


__all__ = [
    "ConfidentialRecord",
    "add_record",
    "consent_holds",
    "fingerprint",
    "list_records",
    "load_record",
    "open_record",
    "record_consent",
    "share_record",
    "show_record",
    "unwrap_payload",
    "wrap_payload",
    "write_plaintext",
]
