"""The first program inside a sandbox: set its limits, give up root, start the real program.

Run by :mod:`nmacausal.grading.sandbox` as ``python -I -S sandbox_entry.py --memory BYTES
--processes N --uid UID -- PROGRAM ARGS...``; it imports the standard library only.

- ``RLIMIT_AS`` caps the memory each process may map: a larger allocation fails
  with ``MemoryError`` in the student's cell, and the kernel lives on.
- ``RLIMIT_NPROC`` caps processes and threads, which stops a fork bomb. The
  kernel ignores it for root, so under root the program runs as ``UID`` (a user
  with no files and no rights); otherwise bubblewrap's user namespace already
  counts this sandbox's processes apart from the user's others.
- ``RLIMIT_CORE`` 0: a crashing student process leaves no core file behind.
"""

import argparse
import os
import resource
import sys


def main(argv):
    parser = argparse.ArgumentParser(prog="_sandbox_entry")
    parser.add_argument("--memory", type=int, required=True)
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--uid", type=int, required=True)
    parser.add_argument("program", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    program = options.program[1:] if options.program[:1] == ["--"] else options.program
    if options.uid >= 0 and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(options.uid)
        os.setuid(options.uid)
    resource.setrlimit(resource.RLIMIT_AS, (options.memory, options.memory))
    resource.setrlimit(resource.RLIMIT_NPROC, (options.processes, options.processes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.execv(program[0], program)


if __name__ == "__main__":
    main(sys.argv[1:])
