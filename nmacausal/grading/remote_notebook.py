"""Running a student's notebook code in a separate process, at arm's length.

The grader uses this to re-check a submission whose code might have tampered
with the checkers: the student's cells run in a child process, and the
checker, in the grader's own process, sees the student's answers only through
a pipe (values are copied over; functions are called remotely). Nothing the
student's code does to its own interpreter (monkeypatching ``nmacausal``,
swallowing exceptions, reseeding NumPy) can reach the checker.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ..checking.student_code import ReferenceWatch


class RemoteNotebookError(RuntimeError):
    """The notebook's code could not be run or did not answer in time."""


@dataclass(frozen=True)
class _Failure:
    """An exception raised in the child, as plain data."""

    type_name: str
    message: str

    def to_exception(self) -> BaseException:
        # Builtin exception types keep their meaning for the checker (it tells
        # NotImplementedError, the sign of an untouched stub, from the rest).
        exception_type = getattr(builtins, self.type_name, None)
        if isinstance(exception_type, type) and issubclass(exception_type, Exception):
            try:
                return exception_type(self.message)
            except Exception:  # an exception type with an unusual constructor
                pass
        return RuntimeError(f"{self.type_name}: {self.message}")


class RemoteNotebook:
    """A child process that has run a list of notebook cells and answers questions.

    Parameters
    ----------
    cells : list of str
        Code cells to run in order, as IPython would (magics allowed). A cell
        that raises does not stop the others, as in an autograded notebook.
    timeout : float
        Seconds allowed for running all the cells, and for each later call.
    sandbox : nmacausal.grading.sandbox.SandboxPolicy, optional
        The box the child runs in (``None``: with the caller's rights).
    scratch_root : path-like, optional
        Where the child's scratch folder is made, when it runs in a sandbox.
    """

    def __init__(self, cells, *, timeout, sandbox=None, scratch_root=None):
        self.timeout = timeout
        parent_end, child_end = socket.socketpair()
        # A fresh interpreter rather than multiprocessing's spawn, which would
        # re-import the caller's __main__ (a script, a notebook kernel).
        command = [sys.executable, "-m", __name__, str(child_end.fileno())]
        self._scratch = None
        if sandbox is not None:
            self._scratch = sandbox.new_scratch(scratch_root)
            sandbox.give_to_sandbox(self._scratch)
            command = sandbox.command(command, self._scratch)
        self._process = subprocess.Popen(
            command,
            pass_fds=(child_end.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so close() stops its children too
        )
        child_end.close()
        self._connection = Connection(parent_end.detach())
        self._request_id = 0
        self._ask(("run", list(cells)), timeout=timeout, what="running the notebook's cells")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        self._connection.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def value(self, name):
        """The value bound to ``name`` in the notebook (copied), or raise ``KeyError``."""
        return self._ask(("value", name), timeout=self.timeout, what=f"reading {name}")

    def function(self, name) -> RemoteFunction:
        """A callable that runs the notebook's function ``name`` in the child."""
        return RemoteFunction(self, name)

    def call(self, name, args, kwargs):
        """``name(*args, **kwargs)`` in the child, watching the functions the active
        :class:`~nmacausal.checking.student_code.ReferenceWatch` watches here; what the child
        saw is recorded in that watch."""
        watch = ReferenceWatch.active()
        targets = watch.targets if watch is not None else {}
        request = ("call", name, args, kwargs, targets)
        return self._ask(request, timeout=self.timeout, what=f"{name}(...)")

    def _ask(self, request, *, timeout, what):
        if self._process.poll() is not None:
            raise RemoteNotebookError(f"the notebook's process has stopped; cannot run {what}")
        self._request_id += 1
        try:
            self._connection.send((self._request_id, request))
            answered = self._connection.poll(timeout)
            if answered:
                request_id, ok, payload, reached = self._connection.recv()
        except (EOFError, OSError, pickle.PickleError) as error:
            self.close()
            detail = f": {error}" if str(error) else " (it exited)"
            raise RemoteNotebookError(
                f"the notebook's process stopped while {what}{detail}"
            ) from None
        if not answered:
            self.close()
            raise TimeoutError(f"{what} did not finish within {timeout:g} s")
        if request_id != self._request_id:
            raise RemoteNotebookError(f"out-of-order answer while {what}")
        for called in reached:  # whether the call then returned or failed
            ReferenceWatch.active().record(called)
        if ok:
            return payload
        raise _Failure(*payload).to_exception()


class RemoteFunction:
    """Stands in for a student's function; each call runs in the child."""

    def __init__(self, notebook: RemoteNotebook, name: str):
        self._notebook = notebook
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args, **kwargs):
        return self._notebook.call(self.__name__, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__} of a remote notebook>"


def _serve(connection):
    """Child process: run the cells, then answer requests until the pipe closes."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    namespace = shell.user_ns
    while True:
        watch = ReferenceWatch()  # watches nothing unless a call asks it to
        try:
            request_id, request = connection.recv()
        except (EOFError, OSError):
            return
        kind = request[0]
        try:
            if kind == "run":
                for cell in request[1]:
                    shell.run_cell(cell, silent=True)
                payload = True
            elif kind == "value":
                name = request[1]
                if name not in namespace:
                    raise KeyError(f"{name} is not defined")
                payload = namespace[name]
            else:
                _, name, args, kwargs, targets = request
                if name not in namespace:
                    raise NameError(f"name '{name}' is not defined")
                watch = ReferenceWatch(targets=targets)
                with watch:
                    payload = namespace[name](*args, **kwargs)
            connection.send((request_id, True, payload, sorted(watch.reached)))
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            # Plain strings: IPython replaces __main__, so classes defined here do not pickle.
            failure = (type(error).__name__, str(error))
            connection.send((request_id, False, failure, sorted(watch.reached)))


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
