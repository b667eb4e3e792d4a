"""An IPython start-up file for sandboxed kernels: a forked copy of the kernel stays silent.

A cell that calls ``os.fork()`` leaves each child process a copy of the kernel,
sockets included. A child that goes on to finish the cell (a fork bomb's
children do) would send its output and its reply on the kernel's channels at the
same time as the kernel itself, garbling them, and the whole notebook could
not be graded. So in a child, output goes nowhere and, once the cell is over,
the child exits before it can reply: the cell fails in the kernel alone.
Children that exit by themselves (``multiprocessing``, ``os._exit``) never
reach that point.

:mod:`nmacausal.grading.sandbox` copies this file into each box's IPython profile; it
imports nothing from nmacausal.
"""

import os as _os
import sys as _sys

_KERNEL_PID = _os.getpid()


def _silence_forked_copy(shell):
    _sys.stdout = _sys.stderr = open(_os.devnull, "w")  # until the copy exits
    shell._showtraceback = lambda *args, **kwargs: None
    shell.display_pub.publish = lambda *args, **kwargs: None


def _end_forked_copy(result=None):
    if _os.getpid() != _KERNEL_PID:
        _os._exit(0)


def _guard(shell):
    _os.register_at_fork(after_in_child=lambda: _silence_forked_copy(shell))
    shell.events.register("post_run_cell", _end_forked_copy)


try:
    _guard(get_ipython())  # noqa: F821 (IPython defines it for start-up files)
except NameError:  # imported outside IPython (the documentation tests): nothing to guard
    pass
