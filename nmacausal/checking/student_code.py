"""Running a student's function for a checker: isolated, silent and on a deadline.

A checker calls code it cannot trust to terminate, to stay quiet or to leave
NumPy's global random stream alone. :func:`call_student` runs one call so that

- the notebook's global random state is the same afterwards (the call runs
  inside :func:`~nmacausal.isolated_random_state`, seeded, so that a student
  who forgot to seed still gets the same verdict on every run);
- nothing reaches the notebook's stdout or stderr: prints are discarded and
  warnings and floating-point complaints are switched off (an nbgrader grade
  cell scores zero on any stderr output);
- a call that does not return within ``timeout`` seconds is abandoned;
- every call the student's code makes into the functions it was asked to
  write itself (nmacausal's reference implementation) is recorded, however
  it was reached: :class:`ReferenceWatch`.

The deadline uses ``SIGALRM`` where it can (Unix, main thread: where Jupyter
runs cells). Elsewhere the call runs in a daemon thread that is abandoned
when late: it cannot be killed, so it may keep running (and drawing from the
global random stream) in the background; that is the price of never hanging.
"""

from __future__ import annotations

import contextlib
import dataclasses
import signal
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ..model.simulation import isolated_random_state

__all__ = [
    "Call",
    "ReferenceWatch",
    "StudentTimeout",
    "call_student",
    "global_names_read",
    "names_in_code",
    "silenced",
]

# Taken when this module is imported, before any student's code runs, so that a
# notebook that replaces ``sys.setprofile`` cannot blind the watch.
_set_profile, _get_profile = sys.setprofile, sys.getprofile
_set_thread_profile, _get_thread_profile = threading.setprofile, threading.getprofile

# Once the deadline has passed, the alarm repeats at this interval, so that a
# student's bare ``except:`` that swallowed the first one does not hang the check.
_REPEAT_SECONDS = 0.05


class StudentTimeout(BaseException):
    """Raised inside a student's function when its deadline has passed.

    A ``BaseException``, like ``KeyboardInterrupt``, so that a student's
    ``except Exception:`` does not swallow it.
    """


@dataclass(frozen=True)
class Call:
    """What one call of a student's function did.

    Exactly one of three things happened: it returned ``value``, it raised
    ``error``, or it ``timed_out``. Whatever happened, ``reached`` names the
    watched functions it called (see :class:`ReferenceWatch`).
    """

    value: object = None
    error: BaseException | None = None
    timed_out: bool = False
    seconds: float = 0.0
    reached: frozenset = frozenset()

    @property
    def returned(self) -> bool:
        return self.error is None and not self.timed_out


class _Discard:
    """A text stream that swallows everything written to it."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


@contextlib.contextmanager
def silenced():
    """Discard prints and warnings and ignore floating-point errors inside the block."""
    with (
        contextlib.redirect_stdout(_Discard()),
        contextlib.redirect_stderr(_Discard()),
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
    ):
        warnings.simplefilter("ignore")
        yield


class ReferenceWatch:
    """Records calls into some functions while a student's code runs.

    Inside the block, a profile hook (``sys.setprofile``, and
    ``threading.setprofile`` for threads the student starts) sees every
    Python function call, so a watched function is noticed whether it was
    called by name, through ``getattr``, ``importlib``, an alias, a closure or
    a copy of its function object: the hook compares the code that runs, not
    names. Code that switches the hook off is recorded as such.

    A stand-in for a function that runs elsewhere (the grader's re-check
    calls a student's function in another process) sends :attr:`targets` with
    the call, watches there with ``ReferenceWatch(targets=...)``, and records
    what the far side saw in :func:`ReferenceWatch.active` ``()``.

    Parameters
    ----------
    functions : iterable of callable, optional
        The functions to watch.
    targets : dict, optional
        Instead of ``functions``: :attr:`targets` of a watch made elsewhere.
        Code is recognised by where it was written, so the functions need
        not be looked up again where the student's code may have replaced
        them.
    """

    # Process-wide, not per thread: a student's call may run in a helper thread.
    _stack: ClassVar[list] = []
    SWITCHED_OFF = "the watch on nmacausal's implementation (it changed sys.setprofile)"

    def __init__(self, functions=(), *, targets=None):
        codes = {function.__code__: _qualified_name(function) for function in functions}
        #: (file, first line, name) of each watched function's code -> its qualified name
        self.targets = dict(targets or {}) | {_code_key(code): n for code, n in codes.items()}
        self._codes = codes
        self._code_names = {key[2] for key in self.targets}
        self.reached = set()

    @classmethod
    def active(cls):
        """The innermost watch running, if any."""
        return cls._stack[-1] if cls._stack else None

    def record(self, name) -> None:
        self.reached.add(name)

    def _hook(self, frame, event, arg):
        # Called on every call and return: cheap tests first.
        if event == "call" and frame.f_code.co_name in self._code_names:
            code = frame.f_code
            name = self._codes.get(code) or self.targets.get(_code_key(code))
            if name is not None:
                self.reached.add(name)

    def __enter__(self):
        ReferenceWatch._stack.append(self)
        if self.targets:
            self._previous = _get_profile(), _get_thread_profile()
            _set_profile(self._hook)
            _set_thread_profile(self._hook)
        return self

    def __exit__(self, *exc_info):
        if self.targets:
            if _get_profile() != self._hook:
                self.reached.add(self.SWITCHED_OFF)
            _set_profile(self._previous[0])
            _set_thread_profile(self._previous[1])
        ReferenceWatch._stack.remove(self)
        if ReferenceWatch._stack:
            ReferenceWatch._stack[-1].reached |= self.reached
        return False


def _qualified_name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def _code_key(code):
    """What identifies a function's code even in a copied code object."""
    return code.co_filename, code.co_firstlineno, code.co_name


def call_student(func, args, *, timeout, global_seed=0, watch=()):
    """Call ``func(*args)`` isolated, silenced and with a deadline.

    Parameters
    ----------
    func : callable
        The student's function.
    args : tuple
        Positional arguments (the caller passes copies it does not mind losing).
    timeout : float
        Seconds the call may take.
    global_seed : int, default=0
        Seed of NumPy's global stream while the call runs.
    watch : iterable of callable, default=()
        Functions whose calls are recorded in :attr:`Call.reached`.

    Returns
    -------
    Call
        What happened. ``KeyboardInterrupt`` (the user pressing stop) is the
        only exception that propagates.
    """
    with isolated_random_state(global_seed), silenced(), ReferenceWatch(watch) as watching:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            call = _call_with_alarm(func, args, timeout)
        else:
            call = _call_in_thread(func, args, timeout)
    return dataclasses.replace(call, reached=frozenset(watching.reached))


def _call_with_alarm(func, args, timeout):
    armed = True

    def on_alarm(signum, frame):
        if armed:
            raise StudentTimeout

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = 0.0, 0.0
    start = time.perf_counter()
    try:
        try:
            previous_delay, previous_interval = signal.setitimer(
                signal.ITIMER_REAL, timeout, _REPEAT_SECONDS
            )
            value = func(*args)
        finally:
            armed = False
        return Call(value=value, seconds=time.perf_counter() - start)
    except StudentTimeout:
        return Call(timed_out=True, seconds=time.perf_counter() - start)
    except KeyboardInterrupt:
        raise  # the user pressed stop: not the student's answer
    except BaseException as error:  # whatever the student's code raised, SystemExit included
        return Call(error=error, seconds=time.perf_counter() - start)
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        # None: the previous handler was not installed from Python; the default is the best guess.
        signal.signal(
            signal.SIGALRM, signal.SIG_DFL if previous_handler is None else previous_handler
        )
        if previous_delay:
            # Someone else's timer (pytest-timeout, say) was running: give it back what is left.
            remaining = previous_delay - (time.perf_counter() - start)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-3), previous_interval)


def _call_in_thread(func, args, timeout):
    outcome = {}
    start = time.perf_counter()

    def run():
        # np.errstate is per thread; the redirections and warning filters are process-wide.
        with np.errstate(all="ignore"):
            try:
                outcome["call"] = Call(value=func(*args), seconds=time.perf_counter() - start)
            except BaseException as error:  # reported to the caller, never raised in this thread
                outcome["call"] = Call(error=error, seconds=time.perf_counter() - start)

    worker = threading.Thread(target=run, name="nmacausal-student-call", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return Call(timed_out=True, seconds=time.perf_counter() - start)
    call = outcome["call"]
    if isinstance(call.error, KeyboardInterrupt):
        raise call.error
    return call


def names_in_code(func):
    """Every name a function's code refers to, nested functions and comprehensions included.

    Global names and attribute names alike (``np.zeros`` gives ``np`` and ``zeros``).
    """
    code = getattr(func, "__code__", None)
    names, pending = set(), [] if code is None else [code]
    while pending:
        current = pending.pop()
        names.update(current.co_names)
        pending.extend(const for const in current.co_consts if hasattr(const, "co_names"))
    return names


def integer_literals(func):
    """Every integer written in a function's code (nested code and constant tuples included)."""
    code = getattr(func, "__code__", None)
    found, pending = set(), [] if code is None else list(code.co_consts)
    while pending:
        const = pending.pop()
        if hasattr(const, "co_consts"):
            pending.extend(const.co_consts)
        elif isinstance(const, (tuple, frozenset)):
            pending.extend(const)
        elif isinstance(const, int) and not isinstance(const, bool):
            found.add(const)
    return found


def global_names_read(func):
    """The module-level names a function's code reads, with their current values.

    Names the function's module does not define (builtins, attribute names)
    are left out.
    """
    namespace = getattr(func, "__globals__", None)
    if not isinstance(namespace, dict):
        return {}
    return {name: namespace[name] for name in sorted(names_in_code(func)) if name in namespace}
