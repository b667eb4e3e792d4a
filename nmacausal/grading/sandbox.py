"""A box for students' code: every process that runs it starts inside bubblewrap.

``bwrap`` (Debian's ``bubblewrap``, the sandbox Flatpak uses) builds a
private view of the machine from Linux namespaces, without a daemon. A
student's kernel, and the process that re-checks a suspicious notebook, see

- the system (``/usr``, ``/etc``) and the Python environment, read-only, and
  nothing else of the instructor's files: no home folder, no submissions, no
  output folder with its gradebook, no source notebooks (they are not mounted;
  any that lie inside a mounted tree are covered over as well);
- one writable scratch folder of their own, which is their working folder
  and ``HOME`` and holds the notebook's copy, the kernel's connection file and
  its IPC sockets (so that the grader reaches the kernel without any network);
- a private ``/tmp``, no network (their own network namespace), their own
  process-ID namespace (no other process is visible, none can be signalled);
- a clean environment: none of the instructor's variables (tokens, paths).

Inside, :mod:`nmacausal.grading.sandbox_entry` sets the resource limits (address
space, number of processes) and, when the grader runs as root, gives up root
for an unprivileged user ID of its own before it starts the kernel. Each
box's IPython profile starts :mod:`nmacausal.grading.forked_kernel_guard`, so that a
cell that forks the kernel (a fork bomb) fails alone instead of garbling the
kernel's messages.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Instance, Unicode

from .._errors import ActionableError

__all__ = [
    "DEFAULT_MEMORY",
    "DEFAULT_PROCESSES",
    "SandboxPolicy",
    "SandboxUnavailable",
    "SandboxedKernelManager",
    "describe_bytes",
    "find_bwrap",
]

DEFAULT_MEMORY = 2 * 2**30
# Threads count as processes for the limit: a kernel runs about 10, NumPy's BLAS one per core.
DEFAULT_PROCESSES = 256
# Under root, each grading process's sandboxes run as their own unprivileged user, so that
# one sandbox's processes never count against another's limit and none can signal another.
_FIRST_SANDBOX_UID = 2_000_000_000

_INSTALL_HELP = (
    "install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
    "`sudo dnf install bubblewrap`), or pass --no-sandbox to run students' code with your own "
    "rights (not recommended: see the README's instructor section)"
)


_FORKED_KERNEL_GUARD = Path(__file__).with_name("forked_kernel_guard.py")


class SandboxUnavailable(ActionableError):
    """Students' code cannot be boxed on this machine; the message says what to do."""


def find_bwrap() -> str:
    """The path of ``bwrap``.

    Raises
    ------
    SandboxUnavailable
        If it is not installed.
    """
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(f"bubblewrap (`bwrap`) is not installed: {_INSTALL_HELP}.")
    return path


def describe_bytes(count) -> str:
    """``"2 GiB"``, ``"512 MiB"``: a memory size as instructors write it."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:.3g} {unit}"
    return f"{count} bytes"


@dataclass(frozen=True)
class SandboxPolicy:
    """What the students' processes may use and must not see.

    Parameters
    ----------
    memory : int
        Bytes of memory (address space) one process may use.
    processes : int
        Processes and threads one sandbox may run at once.
    hidden : tuple of str
        Folders and files that must stay out of sight even if they lie inside
        a tree the sandbox mounts (the submissions, the output folder, the
        source notebooks).
    """

    memory: int = DEFAULT_MEMORY
    processes: int = DEFAULT_PROCESSES
    hidden: tuple[str, ...] = ()

    def __post_init__(self):
        if not (isinstance(self.memory, int) and self.memory >= 2**28):
            raise ValueError(f"the memory limit must be at least 256 MiB, got {self.memory!r}.")
        if not (isinstance(self.processes, int) and self.processes >= 16):
            raise ValueError(f"the process limit must be at least 16, got {self.processes!r}.")

    def new_scratch(self, parent) -> Path:
        """A fresh scratch folder under ``parent``, writable inside the sandbox."""
        scratch = Path(tempfile.mkdtemp(prefix="scratch-", dir=parent))
        startup = ".ipython/profile_default/startup"
        for folder in (startup, ".config/matplotlib", ".jupyter/runtime", ".jupyter/data"):
            (scratch / folder).mkdir(parents=True)
        _copy_font_cache(scratch / ".config/matplotlib")
        shutil.copyfile(_FORKED_KERNEL_GUARD, scratch / startup / "00-forked-kernel-guard.py")
        return scratch

    def give_to_sandbox(self, scratch) -> None:
        """Make everything in ``scratch`` the sandbox user's (under root; else nothing to do)."""
        uid = sandbox_uid()
        if uid is None:
            return
        for folder, subfolders, files in os.walk(scratch):
            for name in [folder, *(os.path.join(folder, f) for f in subfolders + files)]:
                os.chown(name, uid, uid, follow_symlinks=False)

    def command(self, argv, scratch) -> list[str]:
        """``argv`` wrapped so that it runs in the sandbox, in ``scratch``."""
        scratch = str(Path(scratch).resolve())
        environment = _environment(scratch)
        python_mounts = _python_mounts()
        uid = sandbox_uid()
        return [
            find_bwrap(),
            *_system_mounts(),
            *python_mounts,
            *_hiding_mounts(self.hidden, _mounted_trees(python_mounts)),
            *_folders_leading_to(scratch),
            "--bind", scratch, scratch,
            "--chdir", scratch,
            "--remount-ro", "/",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent",
            "--clearenv",
            *[item for name, value in environment.items() for item in ("--setenv", name, value)],
            "--",
            sys.executable, "-I", "-S", str(Path(__file__).with_name("sandbox_entry.py")),
            "--memory", str(self.memory),
            "--processes", str(self.processes),
            "--uid", str(-1 if uid is None else uid),
            "--",
            *argv,
        ]  # fmt: skip

    def check_works(self, parent) -> None:
        """Start a Python in the sandbox once, so that a broken setup fails before grading.

        Raises
        ------
        SandboxUnavailable
            With bubblewrap's own complaint, if the sandbox does not start.
        """
        scratch = self.new_scratch(parent)
        self.give_to_sandbox(scratch)
        probe = "import numpy, os; open('probe', 'w').write(str(os.getpid()))"
        try:
            finished = subprocess.run(
                self.command([sys.executable, "-c", probe], scratch),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SandboxUnavailable(
                f"the sandbox did not start ({error}); {_INSTALL_HELP}."
            ) from None
        if finished.returncode != 0 or not (scratch / "probe").is_file():
            complaint = (finished.stderr.strip().splitlines() or ["no message"])[-1]
            raise SandboxUnavailable(
                f"bubblewrap is installed but could not start a sandbox here ({complaint}). On "
                f"Ubuntu 24.04 and later, unprivileged user namespaces may be restricted: see "
                f"https://github.com/containers/bubblewrap for the fix, or {_INSTALL_HELP}."
            )
        shutil.rmtree(scratch, ignore_errors=True)


def sandbox_uid() -> int | None:
    """The user the sandboxes of this process run as, under root; ``None`` otherwise."""
    if os.geteuid() != 0:
        return None  # bubblewrap maps the caller into a user namespace of its own
    return _FIRST_SANDBOX_UID + os.getpid()


# Folders in / that Debian (merged /usr) and other distributions need for running Python.
_SYSTEM_TREES = ("usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32")


def _system_mounts() -> list[str]:
    mounts = ["--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    for name in _SYSTEM_TREES:
        path = Path("/") / name
        if path.is_symlink():
            mounts += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            mounts += ["--ro-bind", str(path), str(path)]
    return mounts


def _python_mounts() -> list[str]:
    """Read-only mounts of everything the interpreter imports from, outermost first."""
    import nmacausal

    trees = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))),
        os.path.dirname(os.path.dirname(os.path.abspath(sys.executable))),
        # an editable install's package lives in the checkout, not in site-packages
        os.path.dirname(os.path.abspath(nmacausal.__file__)),
        *_import_path(sys.executable, os.environ.get("PYTHONPATH")),
    }
    mounts = []
    for tree in _outermost(path for path in trees if os.path.exists(path)):
        if not any(_is_inside(tree, "/" + name) for name in _SYSTEM_TREES):
            mounts += [*_folders_leading_to(tree), "--ro-bind", tree, tree]
    return mounts


@functools.cache
def _import_path(python, pythonpath) -> tuple[str, ...]:
    """Where ``python`` imports from when started as the box starts it.

    Asked of the interpreter itself rather than read from this process's
    ``sys.path``, which also holds the folder of the script (or the current
    folder) the grader was started from: an instructor's course folder, say.
    """
    environment = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath
    found = subprocess.run(
        [python, "-c", "import json, sys; print(json.dumps(sys.path))"],
        cwd="/",
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(entry for entry in json.loads(found.stdout) if os.path.isabs(entry))


def _folders_leading_to(path) -> list[str]:
    """The folders above ``path``, made traversable: bubblewrap would make them 0700, which
    the sandbox's own user could not pass through."""
    ancestors = [str(parent) for parent in reversed(Path(path).parents) if str(parent) != "/"]
    return [item for folder in ancestors for item in ("--perms", "0755", "--dir", folder)]


def _mounted_trees(mounts) -> list[str]:
    return [mounts[i + 1] for i, item in enumerate(mounts) if item == "--ro-bind"]


def _hiding_mounts(hidden, mounted_trees) -> list[str]:
    """Empty mounts over the hidden paths that lie inside a mounted tree (the others are
    out of sight already)."""
    mounts = []
    for path in sorted({os.path.abspath(p) for p in hidden if os.path.exists(p)}):
        if not any(_is_inside(path, tree) for tree in mounted_trees):
            continue
        if os.path.isdir(path):
            mounts += ["--tmpfs", path]
        else:
            mounts += ["--ro-bind", "/dev/null", path]
    return mounts


def _outermost(paths) -> list[str]:
    """The paths that lie inside none of the others, sorted."""
    paths = sorted({os.path.abspath(path) for path in paths})
    kept = []
    for path in paths:
        if not any(_is_inside(path, outer) for outer in kept):
            kept.append(path)
    return kept


def _is_inside(path, folder) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# Variables of the grader's environment that change results or speed, not access.
_PASSED_THROUGH = (
    "LANG",
    "LC_ALL",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "PYTHONHASHSEED",
    "PYTHONPATH",
)


def _environment(scratch) -> dict[str, str]:
    environment = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    environment.setdefault("LANG", "C.UTF-8")
    environment.update(
        PATH=f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
        HOME=scratch,
        TMPDIR="/tmp",
        # Writable config folders: IPython and Matplotlib warn on stderr about read-only
        # ones, and a graded cell loses its points over anything on stderr.
        IPYTHONDIR=f"{scratch}/.ipython",
        MPLCONFIGDIR=f"{scratch}/.config/matplotlib",
        JUPYTER_CONFIG_DIR=f"{scratch}/.jupyter",
        JUPYTER_DATA_DIR=f"{scratch}/.jupyter/data",
        JUPYTER_RUNTIME_DIR=f"{scratch}/.jupyter/runtime",
        # glibc reserves 64 MiB of address space per thread arena; with two arenas the
        # memory limit measures memory used rather than address space set aside.
        MALLOC_ARENA_MAX="2",
        # The kernel's parent is the box's first process, PID 1 in the box's PID namespace;
        # saying so keeps ipykernel from polling for it and from printing a notice on start.
        JPY_PARENT_PID="1",
    )
    return environment


def _copy_font_cache(config_dir) -> None:
    """Matplotlib's font list, so that each kernel does not rebuild it (a second or more)."""
    try:
        import matplotlib
    except ImportError:
        return
    for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
        shutil.copyfile(cache, Path(config_dir) / cache.name)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start in a sandbox, each in a scratch folder of its own.

    nbclient (and so nbgrader's autograde) creates one per notebook run. The
    scratch folder, made under :attr:`scratch_root`, receives a copy of the
    files in the notebook's folder (the student's notebook), the connection
    file and the IPC sockets; it is deleted when the kernel shuts down.
    """

    scratch_root = Unicode(help="Folder in which each kernel's scratch folder is made.").tag(
        config=True
    )
    policy = Instance(SandboxPolicy, args=(), help="What the kernel may use and must not see.").tag(
        config=True
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scratch = self.policy.new_scratch(self.scratch_root or None)
        self.transport = "ipc"
        self.cache_ports = False  # ports are socket files here, not TCP ports
        self.ip = str(self.scratch / "kernel-ipc")
        self.connection_file = str(self.scratch / "kernel.json")

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        notebook_folder = self._launch_args.get("cwd")
        if notebook_folder and os.path.isdir(notebook_folder):
            for item in Path(notebook_folder).iterdir():
                if item.is_file():
                    shutil.copyfile(item, self.scratch / item.name)
        self.policy.give_to_sandbox(self.scratch)
        # A signal would reach bubblewrap, which dies of SIGINT and takes the box with it:
        # interrupts go to the kernel as messages instead.
        self.kernel_spec.interrupt_mode = "message"
        return self.policy.command(argv, self.scratch)

    async def _async_shutdown_kernel(self, now=False, restart=False):
        await super()._async_shutdown_kernel(now=now, restart=restart)
        if not restart:
            shutil.rmtree(self.scratch, ignore_errors=True)

    shutdown_kernel = _async_shutdown_kernel
