"""Where the course's own files are: the day's notebooks and nbgrader's configuration,
in this installation, and where the whole course is published.

A checkout keeps them at the repository's root (``solutions/``, ``exercises/``,
``nbgrader_config.py``). An installed wheel has no repository around it, so
the build ships copies inside the package (``pyproject.toml``: hatchling's
``force-include``), in ``nmacausal/_shipped/`` with the same layout; they are
looked for there first. An editable install imports the checkout's package,
which has no such copies, and finds the checkout's files.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from .._errors import ActionableError
from ..tutorials import TUTORIALS

NBGRADER_CONFIG_FILE = "nbgrader_config.py"

# Where the repository is published. The notebooks' badges and install cell, the
# commands' install instructions and the README's badges (a test compares them) name it.
PUBLISHED_REPOSITORY = "NeuromatchAcademy/nmacausal"
PUBLISHED_BRANCH = "main"
# The notebooks' first cells, in order: badges that open the students' notebook on
# Binder, Colab and Kaggle, and a cell that installs nmacausal where it is missing.
LAUNCH_CELL_ID = "open-elsewhere"
INSTALL_CELL_ID = "install-nmacausal"
LAUNCH_CELL_IDS = (LAUNCH_CELL_ID, INSTALL_CELL_ID)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
SHIPPED_ROOT = _PACKAGE_DIR / "_shipped"
CHECKOUT_ROOT = _PACKAGE_DIR.parent


class CourseFilesError(ActionableError):
    """The course files cannot be found or copied; the message says what to do."""


@dataclass(frozen=True)
class CourseFiles:
    """The notebooks and nbgrader configuration under one root folder.

    Parameters
    ----------
    root : pathlib.Path
        A folder holding ``solutions/``, ``exercises/`` (one notebook per
        tutorial in each) and ``nbgrader_config.py``.

    Examples
    --------
    >>> from nmacausal.tutorials import get_tutorial
    >>> CourseFiles(Path("/course")).exercises(get_tutorial(1)).as_posix()
    '/course/exercises/W3D5_Tutorial1.ipynb'
    """

    root: Path

    def solutions(self, tutorial) -> Path:
        """A tutorial's instructors' notebook, the source of everything else."""
        return self.root / "solutions" / tutorial.notebook_file

    def exercises(self, tutorial) -> Path:
        """A tutorial's students' notebook, generated from its solutions by nbgrader."""
        return self.root / "exercises" / tutorial.notebook_file

    @property
    def solutions_folder(self) -> Path:
        return self.root / "solutions"

    @property
    def nbgrader_config(self) -> Path:
        return self.root / NBGRADER_CONFIG_FILE

    def relative(self, path: Path) -> str:
        """``path`` as the user knows it in this folder: ``solutions/W3D5_Tutorial1.ipynb``."""
        return path.relative_to(self.root).as_posix()

    def has_solutions(self, tutorial) -> bool:
        return self.solutions(tutorial).is_file()

    def is_complete(self) -> bool:
        """Whether every tutorial of the day has both notebooks here, and nbgrader's
        configuration is here too."""
        notebooks = [path for t in TUTORIALS for path in (self.solutions(t), self.exercises(t))]
        return all(path.is_file() for path in (*notebooks, self.nbgrader_config))


def pip_requirement(extra=None) -> str:
    """What to give ``pip install`` for nmacausal (with an extra), from where it is published.

    Examples
    --------
    >>> pip_requirement("instructor")
    'nmacausal[instructor] @ git+https://github.com/NeuromatchAcademy/nmacausal@main'
    """
    name = "nmacausal" if extra is None else f"nmacausal[{extra}]"
    return f"{name} @ git+https://github.com/{PUBLISHED_REPOSITORY}@{PUBLISHED_BRANCH}"


def installed_course_files() -> CourseFiles:
    """The course files this installation of nmacausal came with.

    Raises
    ------
    CourseFilesError
        If neither the wheel's copies nor a checkout's files are complete.
    """
    for root in (SHIPPED_ROOT, CHECKOUT_ROOT):
        files = CourseFiles(root)
        if files.is_complete():
            return files
    raise CourseFilesError(
        f"this installation of nmacausal has no notebooks (looked in {SHIPPED_ROOT} and "
        f"{CHECKOUT_ROOT}): reinstall it from a wheel (pip install --force-reinstall "
        f"nmacausal), or work in a checkout of its repository."
    )


def shipped_solution_folders() -> list[Path]:
    """Every folder of instructors' notebooks in the packages this interpreter imports.

    A wheel's ``nmacausal/_shipped/solutions``, and the snapshot an editable
    install leaves in site-packages: the grader hides them all from students' code.
    """
    folders = {
        Path(entry or ".").resolve() / "nmacausal" / "_shipped" / "solutions" for entry in sys.path
    }
    return sorted(folder for folder in folders if folder.is_dir())


def copy_notebooks(destination, *, tutorials=TUTORIALS, solutions=False, overwrite=False):
    """Copy the day's notebooks out of the installation into ``destination``.

    The copy has the repository's layout (``exercises/W3D5_Tutorial1.ipynb``
    and so on; with ``solutions``, also ``solutions/W3D5_Tutorial1.ipynb`` ...
    and ``nbgrader_config.py``), so a copy with solutions is a folder that
    ``nmacausal build-notebooks --project-dir`` can rebuild.

    Parameters
    ----------
    destination : path-like
        A folder; it is created if missing.
    tutorials : sequence of Tutorial, default=every tutorial of the day
        Whose notebooks to copy.
    solutions : bool, default=False
        Also copy the instructors' notebook and the nbgrader configuration.
    overwrite : bool, default=False
        Replace files that exist. Without it, nothing is written when any of
        them exists: a student's notebook with work in it is never replaced.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    CourseFilesError
        If the installation has no notebooks, or ``destination`` exists and
        is not a folder, or a file exists and ``overwrite`` is false.
    """
    files = installed_course_files()
    sources = [files.exercises(tutorial) for tutorial in tutorials]
    if solutions:
        sources += [files.solutions(tutorial) for tutorial in tutorials]
        sources.append(files.nbgrader_config)
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise CourseFilesError(f"{destination} exists and is not a folder; choose another.")
    targets = [destination / source.relative_to(files.root) for source in sources]
    existing = [target for target in targets if target.exists()]
    if existing and not overwrite:
        raise CourseFilesError(
            f"{', '.join(map(str, existing))} exists already (your work?); nothing was "
            f"copied. Choose another folder, or pass --overwrite to replace it."
        )
    for source, target in zip(sources, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return targets


def load_nbgrader_config(config_file):
    """The settings of an ``nbgrader_config.py`` as a traitlets ``Config``.

    Raises
    ------
    CourseFilesError
        If the file does not exist.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config_file = Path(config_file)
    if not config_file.is_file():
        raise CourseFilesError(
            f"no nbgrader configuration at {config_file}: restore nbgrader_config.py at the "
            f"repository's root."
        )
    config = Config()
    config.merge(PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config())
    return config
