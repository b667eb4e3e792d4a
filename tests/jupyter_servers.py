"""Start JupyterLab or Voila on 127.0.0.1 for the tests that need a real server.

Each server gets a free port, a random token and its own Jupyter configuration,
runtime, workspaces and settings directories, so it neither reads nor changes the
user's Jupyter set-up, and several test runs can share a machine. A server runs in a
process group of its own; leaving the ``with`` block stops that group and every
process the server started (kernels run in sessions of their own), whether the test
passed or not.

In a test::

    with jupyterlab_server(root_dir=notebook_dir, state_dir=tmp_path) as server:
        page.goto(server.url("lab/tree/explorer.ipynb"))
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
_POLL_INTERVAL = 0.1
_LOG_TAIL_CHARS = 3000


@dataclass(frozen=True)
class JupyterServer:
    """A server answering on ``127.0.0.1:port`` that accepts ``token``."""

    port: int
    token: str
    log_path: Path
    runtime_dir: Path

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "") -> str:
        """Address of ``path`` on this server, carrying the token."""
        return f"{self.origin}/{path.lstrip('/')}?token={self.token}"

    def log_tail(self) -> str:
        """The end of what the server printed, for failure messages."""
        return _tail(self.log_path)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def venv_executable(name: str) -> str:
    """Path of a console script installed beside the running Python."""
    return str(Path(sys.executable).parent / name)


@contextmanager
def jupyterlab_server(
    *,
    root_dir: Path,
    state_dir: Path,
    command: Sequence[str] | None = None,
    ready_path: str = "api/status",
    timeout: float = STARTUP_TIMEOUT,
) -> Iterator[JupyterServer]:
    """Run JupyterLab serving ``root_dir`` until the block ends.

    Address, token and headless start come from a ``jupyter_server_config.json``
    in a private configuration directory rather than from the command line, so a
    command the user types (``make lab``) runs unchanged.

    Parameters
    ----------
    root_dir : Path
        Working directory of the command; JupyterLab serves it.
    state_dir : Path
        Empty directory for the server's configuration, runtime files and log.
    command : sequence of str, optional
        What to run; ``jupyter lab`` from the running environment by default.
    ready_path : str, default="api/status"
        Path that answers 200 once the server is ready.
    timeout : float, default=60
        Seconds to wait for readiness.

    Yields
    ------
    JupyterServer

    Raises
    ------
    RuntimeError
        If the server exits before it is ready, or is not ready in time.
    """
    server, env = _new_server(state_dir)
    server_config = {
        "ServerApp": {
            "ip": HOST,
            "port": server.port,
            "port_retries": 0,
            "open_browser": False,
            # Containers and CI runners often run as root, which Jupyter refuses by default.
            "allow_root": os.geteuid() == 0,
        },
        "IdentityProvider": {"token": server.token},
    }
    config_file = Path(env["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json"
    config_file.write_text(json.dumps(server_config), encoding="utf-8")
    with running_server(
        command or [venv_executable("jupyter"), "lab"],
        server=server,
        cwd=root_dir,
        env=env,
        ready_path=ready_path,
        timeout=timeout,
    ):
        yield server


@contextmanager
def voila_server(
    notebook: Path, *, state_dir: Path, timeout: float = STARTUP_TIMEOUT
) -> Iterator[JupyterServer]:
    """Run Voila rendering ``notebook`` at the server's root until the block ends.

    ``notebook``'s folder is the kernel's working directory; ``state_dir``,
    ``timeout``, what is yielded and what is raised are as for `jupyterlab_server`.
    """
    server, env = _new_server(state_dir)
    command = [
        venv_executable("voila"),
        notebook.name,
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--Voila.port={server.port}",
        "--Voila.port_retries=0",
        f"--Voila.token={server.token}",
    ]
    with running_server(
        command,
        server=server,
        cwd=notebook.parent,
        env=env,
        # A static file: requesting the page itself would start a kernel.
        ready_path="voila/static/favicon.ico",
        timeout=timeout,
    ):
        yield server


def _new_server(state_dir: Path) -> tuple[JupyterServer, dict[str, str]]:
    """A free port, a random token and an isolated environment for a server to come."""
    env = isolated_jupyter_environment(state_dir)
    server = JupyterServer(
        port=free_port(),
        token=secrets.token_hex(24),
        log_path=state_dir / "server.log",
        runtime_dir=Path(env["JUPYTER_RUNTIME_DIR"]),
    )
    return server, env


def isolated_jupyter_environment(state_dir: Path) -> dict[str, str]:
    """Environment for a server whose Jupyter state lives under ``state_dir``.

    The news prompt JupyterLab shows on first start covers the page; only its
    user setting stops it, so the settings file is written before the server starts.
    """
    env = dict(os.environ)
    # The test session draws with Agg; kernels must keep the inline backend, under
    # which displaying a figure yields an image rather than "<Figure ...>" text.
    env.pop("MPLBACKEND", None)
    for variable, folder in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
    ]:
        path = state_dir / folder
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    notification_settings = (
        state_dir
        / "settings"
        / "@jupyterlab"
        / "apputils-extension"
        / "notification.jupyterlab-settings"
    )
    notification_settings.parent.mkdir(parents=True, exist_ok=True)
    notification_settings.write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    return env


@contextmanager
def running_server(
    command: Sequence[str],
    *,
    server: JupyterServer,
    cwd: Path,
    env: dict[str, str],
    ready_path: str,
    timeout: float,
) -> Iterator[JupyterServer]:
    """Start ``command`` in a new process group, wait until ``server`` is ready, stop it.

    Raises
    ------
    RuntimeError
        If the command exits before the server is ready, or is not ready in time;
        the message ends with the server's log.
    """
    with open(server.log_path, "wb") as log:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_ready(process, server, ready_path, timeout)
        yield server
    finally:
        _stop_process_tree(process)


def _wait_until_ready(
    process: subprocess.Popen, server: JupyterServer, ready_path: str, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{process.args[0]} exited with status {process.returncode} before "
                f"answering on {server.origin}. Its log:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url(ready_path), timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(_POLL_INTERVAL)
    raise RuntimeError(
        f"{process.args[0]} did not answer on {server.origin}/{ready_path} within "
        f"{timeout:g} s. Its log:\n{server.log_tail()}"
    )


def _stop_process_tree(process: subprocess.Popen) -> None:
    """SIGTERM the group (servers then shut their kernels down), SIGKILL what remains."""
    started = _descendants(process.pid)
    _signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and _any_alive(process, started):
        time.sleep(_POLL_INTERVAL)
    _signal_group(process.pid, signal.SIGKILL)
    for pid, start_time in started.items():
        # The start time guards against a pid reused by an unrelated process meanwhile.
        if _running_start_time(pid) == start_time:
            _signal_pid(pid, signal.SIGKILL)
    process.wait()


def _any_alive(process: subprocess.Popen, started: dict[int, str]) -> bool:
    if process.poll() is None:
        return True
    return any(_running_start_time(pid) == start_time for pid, start_time in started.items())


def _descendants(root_pid: int) -> dict[int, str]:
    """Start time of every live process below ``root_pid``, read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    start_times: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat_fields(entry.name) if entry.name.isdigit() else None
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            start_times[int(entry.name)] = fields[19]
    found: dict[int, str] = {}
    pending = [root_pid]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found[child] = start_times[child]
                pending.append(child)
    return found


def _running_start_time(pid: int) -> str | None:
    fields = _stat_fields(str(pid))
    if fields is None or fields[0] == "Z":
        return None
    return fields[19]


def _stat_fields(pid: str) -> list[str] | None:
    """Fields of /proc/<pid>/stat from the state on (state, ppid, ..., start time at 19)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name in parentheses may hold spaces and brackets; what follows does not.
    return stat.rsplit(")", 1)[1].split()


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


def _signal_pid(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return text[-_LOG_TAIL_CHARS:]
