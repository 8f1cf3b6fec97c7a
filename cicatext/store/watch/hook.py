"""The program git runs as its file-system monitor (`core.fsmonitor`, protocol 2): it asks the watcher and prints
the answer.

git runs it in the work tree's top folder as `hook.py 2 TOKEN`; it prints the
watcher's answer (a new token, a NUL, then each changed path followed by a
NUL). Without a watcher to answer, it says that anything may have changed
(the path `/`), and git looks at every file. It imports nothing but the
standard library and is run without site packages (`python -S`), so that
starting it costs little.
"""

import socket
import sys

SOCKET = ".git/cicatext-watch.sock"
EVERYTHING = b"cicatext:none:0\0/\0"
TIMEOUT = 5.0


def main(argv: list[str]) -> int:
    token = argv[1] if len(argv) > 1 else ""
    answer = EVERYTHING
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(TIMEOUT)
            connection.connect(SOCKET)
            connection.sendall(f"2 {token}\n".encode("utf-8", "surrogateescape"))
            parts = []
            while chunk := connection.recv(1 << 16):
                parts.append(chunk)
            received = b"".join(parts)
            if received.endswith(b"\0"):  # whole: a token, then each path, each ended by a NUL
                answer = received
    except OSError:
        pass
    sys.stdout.buffer.write(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
