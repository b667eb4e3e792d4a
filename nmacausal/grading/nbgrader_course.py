"""An nbgrader course directory, as the grader uses it (its kernels, sandboxed or not, and
its autograde and feedback steps).

nbgrader keeps each assignment's source, its release, the students'
submissions and the gradebook in one directory tree. Each tutorial of the day
is one assignment, named like its notebook (``W3D5_Tutorial1``); a
:class:`Course` object works on one of them. The class's course (in the
grader's output folder, see :mod:`nmacausal.grading.gradebook`) is built once
per tutorial from its solutions notebook (nbgrader's generate_assignment computes the
checksums of the locked cells and records the grade cells and their points in
the gradebook); each worker process autogrades in a private copy of its
assignment, so that workers never share a SQLite gradebook while nbgrader
writes to it, and feedback is made in views that link to the class's course.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import warnings
import weakref
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .._errors import ActionableError
from ..course.files import LAUNCH_CELL_IDS, installed_course_files, load_nbgrader_config


class CourseError(ActionableError):
    """nbgrader could not prepare the course; the message says what to do."""


@dataclass(frozen=True)
class AutogradeRun:
    """What nbgrader's autograde did with one submission."""

    succeeded: bool
    log: str
    scores: dict  # grade cell id -> points awarded (autograded or None)
    notebook: nbformat.NotebookNode | None  # the autograded notebook, with outputs
    path: Path | None = None  # where nbgrader wrote it


class Course:
    """One assignment of an nbgrader course directory rooted at ``root``.

    Parameters
    ----------
    root : path-like
        The course directory.
    assignment : str
        The assignment, a tutorial's id (``"W3D5_Tutorial1"``); its notebook
        has the same name.
    cell_timeout : float
        Seconds one notebook cell may run during autograding.
    sandbox : nmacausal.grading.sandbox.SandboxPolicy, optional
        The box every autograded kernel starts in (``None``: kernels run with
        the grader's own rights).
    """

    def __init__(self, root, assignment, *, cell_timeout, sandbox=None, scratch_root=None):
        # Absolute: other processes, started elsewhere, and the links of a view use it.
        self.root = Path(root).absolute()
        self.assignment = assignment
        self.notebook = assignment  # nbgrader's name of the notebook, without ".ipynb"
        self.cell_timeout = cell_timeout
        self.sandbox = sandbox
        self._scratch_root = None if scratch_root is None else Path(scratch_root)

    @property
    def scratch_root(self) -> Path:
        """Where this course's kernels get their scratch folders and IPC sockets.

        A short path, not a folder of the course: a Unix socket's path may not
        exceed 107 bytes, which a deep ``TMPDIR`` or course folder would. The
        grader passes one it removes itself; otherwise one is made on first use
        and removed when this object goes.
        """
        if self._scratch_root is None:
            self._scratch_root = Path(tempfile.mkdtemp(prefix="nmacausal-", dir=short_temp_dir()))
            weakref.finalize(self, shutil.rmtree, self._scratch_root, True)
        self._scratch_root.mkdir(mode=0o755, parents=True, exist_ok=True)
        # A sandbox's own user passes through it to the scratch folder inside.
        self._scratch_root.chmod(0o755)
        return self._scratch_root

    @classmethod
    def create(cls, root, assignment, source_notebook, *, cell_timeout, exist_ok=False) -> Course:
        """Lay out an assignment around ``source_notebook`` and generate its release."""
        course = cls(root, assignment, cell_timeout=cell_timeout)
        course.source_path.parent.mkdir(parents=True, exist_ok=exist_ok)
        shutil.copyfile(source_notebook, course.source_path)
        result = course._api().generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise CourseError(
                f"nbgrader could not generate the assignment from {source_notebook}: "
                f"{_last_error(result)}"
            )
        return course

    def copy(self, root, *, sandbox=None, scratch_root=None) -> Course:
        """A private copy of this course's assignment (source, release, gradebook) at ``root``,
        whose kernels start in ``sandbox`` and get their scratch folders in ``scratch_root``.

        The gradebook is copied through SQLite's backup, a consistent snapshot
        even while another process writes to it; students' folders are left out.
        """
        root = Path(root)
        for name in ("source", "release"):
            shutil.copytree(self.root / name, root / name)
        with (
            contextlib.closing(sqlite3.connect(self.root / "gradebook.db")) as original,
            contextlib.closing(sqlite3.connect(root / "gradebook.db")) as copy,
        ):
            original.backup(copy)
        return Course(
            root,
            self.assignment,
            cell_timeout=self.cell_timeout,
            sandbox=sandbox,
            scratch_root=scratch_root,
        )

    def _path(self, step, *students) -> Path:
        """``<root>/<step>/[<student>/]<assignment>/<notebook>.ipynb``, nbgrader's layout."""
        return self.root.joinpath(step, *students, self.assignment, f"{self.notebook}.ipynb")

    @property
    def source_path(self) -> Path:
        return self._path("source")

    @property
    def release_path(self) -> Path:
        return self._path("release")

    def release_notebook(self) -> nbformat.NotebookNode:
        return nbformat.read(self.release_path, as_version=4)

    def autograde(self, student_id, submitted_notebook) -> AutogradeRun:
        """Autograde one student's notebook with nbgrader; never raises for a bad submission."""
        submitted_path = self._path("submitted", student_id)
        shutil.rmtree(submitted_path.parent, ignore_errors=True)
        submitted_path.parent.mkdir(parents=True)
        shutil.copyfile(submitted_notebook, submitted_path)
        api = self._api(runs_kernels=True)
        result = api.autograde(self.assignment, student_id, force=True, create=True)
        log = result.get("log", "") + (result.get("error") or "")
        autograded_path = self._path("autograded", student_id)
        if not result["success"] or not autograded_path.exists():
            return AutogradeRun(False, log, {}, None)
        with quietly():
            with api.gradebook as gradebook:
                submission = gradebook.find_submission_notebook(
                    self.notebook, self.assignment, student_id
                )
                scores = {grade.name: grade.score for grade in submission.grades}
        notebook = nbformat.read(autograded_path, as_version=4)
        return AutogradeRun(True, log, scores, notebook, autograded_path)

    def feedback(self) -> dict[str, Path]:
        """Generate the feedback pages of every autograded student with nbgrader.

        Returns the pages written, by student id (a student nbgrader could not
        make a page for is missing).
        """
        self._api().generate_feedback(self.assignment, force=True)
        pages = self.root.glob(f"feedback/*/{self.assignment}/{self.notebook}.html")
        return {page.parent.parent.name: page for page in pages}

    def view(self, root, student_ids) -> Course:
        """A course at ``root`` that sees this one's gradebook and assignment, and the
        autograded notebooks of ``student_ids`` only, through links.

        nbgrader generates feedback for every autograded student of a course; a
        view lets several processes each make the pages of some students of one
        course at the same time, each writing only its own ``feedback/``.
        """
        root = Path(root)
        (root / "autograded").mkdir(parents=True)
        for name in ("gradebook.db", "source", "release"):
            (root / name).symlink_to(self.root / name)
        for student_id in student_ids:
            (root / "autograded" / student_id).symlink_to(self.root / "autograded" / student_id)
        return Course(root, self.assignment, cell_timeout=self.cell_timeout)

    def _api(self, *, runs_kernels=False):
        _put_interpreter_on_path()
        with quietly():
            from nbgrader.apps import NbGraderAPI

        # The course's one nbgrader configuration, shared with `nmacausal build-notebooks`.
        config = load_nbgrader_config(installed_course_files().nbgrader_config)
        config.CourseDirectory.root = str(self.root)
        config.Execute.timeout = int(max(1, round(self.cell_timeout)))
        config.Execute.interrupt_on_timeout = True
        config.Execute.startup_timeout = 120
        config.Execute.extra_arguments = ["--IPKernelApp.log_level=ERROR"]
        if runs_kernels:
            self._configure_kernels(config)
        config.LimitOutput.max_lines = 1000

        config.Autograde.autograde_preprocessors = _autograde_preprocessors()
        config.GenerateFeedback.preprocessors = _feedback_preprocessors()
        api = NbGraderAPI(config=config)
        api.log.setLevel(logging.ERROR)
        return _QuietAPI(api)

    def _configure_kernels(self, config) -> None:
        """Kernels in the sandbox, if the course has one, talking over Unix sockets.

        Sockets in a scratch folder rather than TCP ports: parallel workers picking
        free ports at the same moment could take each other's, and a kernel that lost
        that race died at start-up (a crash that was not the student's).
        """
        if self.sandbox is None:
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = str(self.scratch_root / "kernel-ipc")
            return
        from .sandbox import SandboxedKernelManager

        config.Execute.kernel_manager_class = SandboxedKernelManager
        config.SandboxedKernelManager.scratch_root = str(self.scratch_root)
        config.SandboxedKernelManager.policy = self.sandbox


class _QuietAPI:
    """nbgrader's API with its SQLAlchemy warnings and kernel chatter kept off stderr.

    The grader reports what went wrong in its own words (the grades' status
    column); nbgrader's log is captured in the result it returns.
    """

    def __init__(self, api):
        self._api = api

    def __getattr__(self, name):
        attribute = getattr(self._api, name)
        if not callable(attribute):
            return attribute

        def call_quietly(*args, **kwargs):
            with quietly():
                return attribute(*args, **kwargs)

        return call_quietly

    @property
    def gradebook(self):
        with quietly():
            return self._api.gradebook


def _autograde_preprocessors():
    from nbgrader.converters import Autograde

    from .output_limits import LimitOutputSize

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    # After the run, before the grades are saved: a cell's enormous output is
    # cut down so it neither bloats the gradebook nor the feedback page.
    steps.insert(steps.index(_class_named(steps, "LimitOutput")) + 1, LimitOutputSize)
    return steps


def _feedback_preprocessors():
    from nbgrader.converters import GenerateFeedback

    return [LeaveOutLaunchCells, *GenerateFeedback.class_traits()["preprocessors"].default()]


class LeaveOutLaunchCells(Preprocessor):
    """Feedback pages start at the tutorial: the launch cells (badges that open the
    notebook elsewhere, the install cell) mean nothing to a student reading grades,
    and the badges are images from the internet, which a page that opens offline
    cannot show."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if cell.get("id") not in LAUNCH_CELL_IDS]
        return nb, resources


def _class_named(classes, name):
    return next(cls for cls in classes if cls.__name__ == name)


def short_temp_dir() -> str | None:
    """``/tmp`` where it can be written (short, for socket paths); else Python's default."""
    return "/tmp" if os.access("/tmp", os.W_OK) else None


def _put_interpreter_on_path():
    """nbgrader runs ``alembic`` by name: make this interpreter's scripts findable."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


@contextlib.contextmanager
def quietly():
    """nbgrader's SQLAlchemy warnings and log lines kept off stderr inside the block."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def _last_error(result) -> str:
    text = (result.get("error") or result.get("log") or "").strip().splitlines()
    return text[-1] if text else "no details"
