"""Server processes on this machine, for the tests and benchmarks that need
real ones (several daphne processes on one Redis, a Redis that stops): a
free port, daphne serving an ASGI application, a redis-server without
persistence, and stopping them. Their output goes to a log file, never to
a pipe nobody reads (a full pipe would stall the server)."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until something listens on ``port``; RuntimeError if ``process``
    ends first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the process for port {port} ended ({process.returncode})"
            )
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), 0.2),
        ):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def _log(name: str):
    return open(  # noqa: SIM115 - the process writes to it until it ends
        Path(tempfile.gettempdir()) / f"kommunect-{name}.log", "ab"
    )


def start_daphne(application: str, env: dict, port: int | None = None):
    """daphne serving ``application`` (``module:attribute``) with the
    environment ``env`` on top of this one; returns ``(process, port)``."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            application,
        ],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(BASE_DIR), **env},
        stdout=subprocess.DEVNULL,
        stderr=_log(f"daphne-{port}"),
    )
    wait_for_port(port, process)
    return process, port


def start_redis(port: int | None = None):
    """A redis-server that keeps nothing on disk; returns ``(process, port)``."""
    port = port or free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=_log(f"redis-{port}"),
        stderr=subprocess.STDOUT,
    )
    wait_for_port(port, process)
    return process, port


def stop(process: subprocess.Popen | None, seconds: float = 10) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(seconds)
