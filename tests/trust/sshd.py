"""A real OpenSSH server on 127.0.0.1 for the tests: its own host key, configuration and authorized_keys in a
temporary folder, running as the current user."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def sshd_program() -> str | None:
    """The sshd to run, or None when OpenSSH's server is not installed."""
    return SSHD if os.access(SSHD, os.X_OK) else shutil.which("sshd")


@dataclass
class Sshd:
    """A running sshd and what a client needs to reach it."""

    port: int
    host_key: Path
    known_hosts: Path
    authorized_keys: Path
    process: subprocess.Popen

    def url(self, bare: Path) -> str:
        return f"ssh://127.0.0.1:{self.port}{bare}"

    def ssh_command(self, key: Path) -> str:
        """The ssh a client runs (`core.sshCommand`): its own key only, this server's host key only."""
        return (f"ssh -p {self.port} -i {key} -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes "
                f"-o StrictHostKeyChecking=yes -o GSSAPIAuthentication=no -o UserKnownHostsFile={self.known_hosts} -o LogLevel=ERROR")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_sshd(folder: Path) -> Sshd:
    """Start sshd on a free port with everything in `folder`; waits until it answers."""
    program = sshd_program()
    assert program is not None
    folder.mkdir(parents=True, exist_ok=True)
    host_key = folder / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    authorized = folder / "authorized_keys"
    authorized.write_text("")
    authorized.chmod(0o600)
    if os.geteuid() == 0:
        # Run as root, sshd wants its privilege separation folder.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text("\n".join([
        f"Port {port}", "ListenAddress 127.0.0.1", f"HostKey {host_key}", f"PidFile {folder / 'sshd.pid'}",
        f"AuthorizedKeysFile {authorized}", "UsePAM no", "StrictModes no", "PasswordAuthentication no",
        "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "PermitRootLogin prohibit-password",
        "PermitUserEnvironment no", "AllowAgentForwarding no", "AllowTcpForwarding no", "X11Forwarding no",
        "PrintMotd no", "UseDNS no", "LogLevel ERROR", "",
    ]))
    process = subprocess.Popen([program, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL,
                               stderr=(folder / "sshd.log").open("wb"))
    known = folder / "known_hosts"
    public = (folder / "host_ed25519.pub").read_text().split()
    known.write_text(f"[127.0.0.1]:{port} {public[0]} {public[1]}\n")
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"sshd stopped: {(folder / 'sshd.log').read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("sshd did not start listening") from None
            time.sleep(0.05)
    return Sshd(port, host_key, known, authorized, process)
