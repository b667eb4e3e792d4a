"""The ``nmacausal`` command: ``nmacausal <command> [options]``.

Each command is a :class:`Command` in :data:`COMMANDS`: a name, a one-line
help, a function that declares its arguments and a function that runs it.
A command only parses its arguments and calls the library; the library's
:class:`~nmacausal._errors.ActionableError` becomes a one-line message and
exit status 1, anything else is a bug and keeps its traceback. To add a
command, write its two functions and append it to :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ._errors import ActionableError

__all__ = ["COMMANDS", "Command", "main"]

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


@dataclass(frozen=True)
class Command:
    """One subcommand of ``nmacausal``.

    Attributes
    ----------
    name : str
        What the user types after ``nmacausal``.
    help : str
        One line for ``nmacausal --help``.
    add_arguments : callable
        ``add_arguments(parser)`` declares the command's options.
    run : callable
        ``run(args) -> int`` does the work and returns the exit status.
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _require(*packages: str) -> None:
    """Fail with an instruction when an optional package a command needs is missing."""
    from .course.files import pip_requirement

    missing = [name for name in packages if importlib.util.find_spec(name) is None]
    if missing:
        raise ActionableError(
            f"this command needs {', '.join(missing)}, from the instructors' tools: "
            f"pip install '{pip_requirement('instructor')}'"
        )


def _add_tutorial_argument(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--tutorial",
        action="append",
        default=None,
        metavar="N",
        help=f"only this tutorial of the day: its number (1, 2 ...) or its notebook's name "
        f"(W3D5_Tutorial1); repeatable (default: {default})",
    )


def _tutorials(args: argparse.Namespace):
    """The tutorials ``--tutorial`` names, in the day's order; ``None`` when not given."""
    from .tutorials import get_tutorial

    if args.tutorial is None:
        return None
    try:
        chosen = {get_tutorial(key) for key in args.tutorial}
    except ValueError as error:
        raise ActionableError(str(error)) from None
    return tuple(sorted(chosen, key=lambda tutorial: tutorial.number))


# --- nmacausal notebooks ----------------------------------------------------------------


def _add_notebooks_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--copy-to",
        type=Path,
        default=None,
        metavar="DIR",
        help="copy the students' notebooks to DIR/exercises/ (created if missing); without it, "
        "print where the installed notebooks are",
    )
    _add_tutorial_argument(parser, "every tutorial of the day")
    parser.add_argument(
        "--solutions",
        action="store_true",
        help="also copy the instructors' notebooks (DIR/solutions/) and nbgrader_config.py, "
        "a folder that `nmacausal build-notebooks --project-dir DIR` can rebuild",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace notebooks that exist in DIR (by default nothing is copied over them)",
    )


def _run_notebooks(args: argparse.Namespace) -> int:
    from .course.files import copy_notebooks, installed_course_files
    from .tutorials import TUTORIALS

    tutorials = _tutorials(args) or TUTORIALS
    if args.copy_to is None:
        if args.solutions or args.overwrite:
            raise ActionableError("--solutions and --overwrite go with --copy-to DIR.")
        files = installed_course_files()
        for tutorial in tutorials:
            print(f"Tutorial {tutorial.number}, {tutorial.title}:")
            print(f"  students' notebook:    {files.exercises(tutorial)}")
            print(f"  instructors' notebook: {files.solutions(tutorial)}")
        print("copy them with: nmacausal notebooks --copy-to DIR [--solutions] [--tutorial N]")
        return 0
    written = copy_notebooks(
        args.copy_to, tutorials=tutorials, solutions=args.solutions, overwrite=args.overwrite
    )
    for path in written:
        print(f"wrote {path}")
    return 0


# --- nmacausal grade --------------------------------------------------------------------


def _add_grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "submissions",
        type=Path,
        metavar="SUBMISSIONS_DIR",
        help="one folder per student holding any of the day's notebooks, W3D5_Tutorial1.ipynb "
        "... (nbgrader's <student>/W3D5_Tutorial1/W3D5_Tutorial1.ipynb layout works too)",
    )
    _add_tutorial_argument(parser, "every tutorial of which someone handed in a notebook")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="OUT_DIR", help="where the results go"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one more than the CPUs)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long one cell may run before it is interrupted (default: 30)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        metavar="PATH",
        help="the instructors' notebooks: a folder holding W3D5_Tutorial1.ipynb ..., or one "
        "notebook (default: those installed with nmacausal, which `nmacausal notebooks` prints)",
    )
    parser.add_argument(
        "--student",
        action="append",
        default=[],
        metavar="ID",
        help="regrade this student even if the submission did not change (repeatable)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="regrade every student (by default only new and changed submissions are graded)",
    )
    parser.add_argument(
        "--edited-grade-cells",
        choices=("flag", "zero"),
        default="flag",
        help="an edited or deleted grade cell: 'flag' lets nbgrader's restored cell decide the "
        "points and marks the row for review (default); 'zero' gives no points for it",
    )
    parser.add_argument(
        "--due",
        type=_datetime,
        default=None,
        metavar="DATETIME",
        help="the deadline (ISO 8601, e.g. 2026-12-04T18:00; UTC unless it says otherwise); "
        "submissions whose nbgrader timestamp.txt is later are marked late",
    )
    parser.add_argument(
        "--late-penalty",
        type=float,
        default=0.0,
        metavar="FRACTION",
        help="fraction of a late submission's points withheld (default: 0, no penalty)",
    )
    parser.add_argument(
        "--memory",
        type=_memory_size,
        default=None,
        metavar="SIZE",
        help="memory one student's kernel may use, e.g. 2G or 512M (default: 2G); a cell that "
        "needs more fails, and the status says so",
    )
    parser.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run students' code with your own rights instead of in a bubblewrap sandbox "
        "(not recommended: a notebook could then read other submissions and change grades)",
    )


_MEMORY_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _memory_size(text):
    """``"2G"``, ``"512M"``, ``"1.5GiB"`` or a number of bytes, as bytes."""
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = cleaned[-1:] if cleaned[-1:] in _MEMORY_UNITS else ""
    try:
        size = float(cleaned[: len(cleaned) - len(unit)]) * _MEMORY_UNITS[unit]
    except ValueError:
        size = -1
    if size <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size; write it as 2G or 512M")
    return int(size)


def _datetime(text):
    from datetime import datetime

    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date and time; write it as 2026-12-04T18:00"
        ) from None


def _run_grade(args: argparse.Namespace) -> int:
    _require("nbformat", "nbclient", "nbgrader", "tqdm")
    import time

    from tqdm import tqdm

    from .grading.pipeline import find_student_folders, grade_class

    if args.no_sandbox:
        print(
            "nmacausal grade: warning: --no-sandbox: students' code runs with your own rights; "
            "a notebook can read other submissions, use the network and change the gradebook.",
            file=sys.stderr,
        )
    started = time.perf_counter()
    students = len(find_student_folders(args.submissions))
    # The number of notebooks to grade is known once grading starts (see advance).
    with tqdm(total=None, unit="notebook", desc="grading", file=sys.stderr) as bar:
        regraded = []

        def advance(done, count, grade):
            regraded.append(grade.student_id)
            bar.total = count  # the notebooks that changed, not the whole class
            bar.set_postfix_str(f"{grade.label}: {grade.total:g}", refresh=False)
            bar.update(1)

        rows = grade_class(
            args.submissions,
            args.out,
            source=args.source,
            tutorials=_tutorials(args),
            jobs=args.jobs,
            cell_timeout=args.timeout,
            students=args.student,
            force=args.force,
            edited_grade_cells=args.edited_grade_cells,
            due=args.due,
            late_penalty=args.late_penalty,
            sandbox=not args.no_sandbox,
            **({"memory": args.memory} if args.memory is not None else {}),
            progress=advance,
            command=shlex.join(["nmacausal", *sys.argv[1:]]),
        )
    elapsed = time.perf_counter() - started
    max_score = max((row.max_score for row in rows), default=0)
    mean = sum(row.total for row in rows) / len(rows) if rows else 0.0
    print(
        f"graded {len(regraded)} notebooks of {students} students in {elapsed:.0f} s (one not "
        f"handed in counts, with no points; unchanged ones are not graded again); the "
        f"gradebook holds {len(rows)} students: mean {mean:.2f} of "
        f"{max_score:g}, {sum(row.total == max_score for row in rows)} full marks, "
        f"{sum(row.status != 'ok' for row in rows)} flagged; see {args.out / 'grades.csv'}, "
        f"{args.out / 'report.html'} and {args.out / 'feedback'}"
    )
    return 0


# --- nmacausal build-notebooks ----------------------------------------------------------


def _add_build_notebooks_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check that the notebooks are up to date (nothing is executed or written); "
        "exit with status 1 if they are not",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the repository's root directory, holding solutions/ (default: the current directory)",
    )
    _add_tutorial_argument(parser, "every tutorial whose solutions notebook is in the project")


def _run_build_notebooks(args: argparse.Namespace) -> int:
    _require("nbformat", "nbclient", "nbgrader")
    from .course import notebooks

    if args.check:
        notebooks.check_notebooks(args.project_dir, tutorials=_tutorials(args))
        print("The notebooks are up to date.")
        return 0
    report = notebooks.build_notebooks(args.project_dir, tutorials=_tutorials(args))
    for path in report.written:
        print(f"wrote {path}")
    for tutorial_id, seconds in report.execution_seconds.items():
        print(f"({tutorial_id}: the solutions notebook executed in {seconds:.1f} s)")
    return 0


COMMANDS: list[Command] = [
    Command(
        name="notebooks",
        help="give the day's notebooks: copy them from the installed package to a folder",
        add_arguments=_add_notebooks_arguments,
        run=_run_notebooks,
    ),
    Command(
        name="grade",
        help="autograde a class of submitted notebooks with nbgrader, in parallel; write "
        "grades.csv, feedback and a class report",
        add_arguments=_add_grade_arguments,
        run=_run_grade,
    ),
    Command(
        name="build-notebooks",
        help="regenerate the tutorial notebooks: sync solutions/ with the exercise registry, "
        "execute it, and generate exercises/ with nbgrader",
        add_arguments=_add_build_notebooks_arguments,
        run=_run_build_notebooks,
    ),
]


# --- Entry point ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``nmacausal`` with every command of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="nmacausal",
        description="Tools for the Network Causality tutorial (Neuromatch Academy W3D5).",
    )
    subcommands = parser.add_subparsers(dest="command", title="commands", required=True)
    for command in COMMANDS:
        subparser = subcommands.add_parser(
            command.name, help=command.help, description=command.help
        )
        command.add_arguments(subparser)
        subparser.set_defaults(run=command.run)
    return parser


def main(argv=None) -> int:
    """Run ``nmacausal`` with ``argv`` (default: the process's arguments).

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name.

    Returns
    -------
    int
        The exit status: 0 on success, 1 when the library reports a problem
        the user can fix, 130 when interrupted. argparse exits with 2 on a
        usage error.
    """
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ActionableError as error:
        print(f"nmacausal {args.command}: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"nmacausal {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
