"""Build step that ships the course's notebooks inside the package.

Everything else about the build is in ``pyproject.toml``. The repository keeps
the notebooks and nbgrader's configuration at its root (``solutions/``,
``exercises/``, ``nbgrader_config.py``), where instructors edit them and
nbgrader reads them. An installed package has no repository around it, so a
wheel carries copies in ``nmacausal/_shipped/``, where
``nmacausal._course_files`` looks first. An editable install skips the copy
and reads the checkout's own files.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED_FILES = ("nbgrader_config.py", "solutions/*.ipynb", "exercises/*.ipynb")


class BuildPyWithCourseFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        shipped = Path(self.build_lib) / "nmacausal" / "_shipped"
        for pattern in SHIPPED_FILES:
            sources = sorted(ROOT.glob(pattern))
            if not sources:
                raise FileNotFoundError(f"nothing matches {pattern} in {ROOT}: a wheel needs it")
            for source in sources:
                target = shipped / source.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)


setup(cmdclass={"build_py": BuildPyWithCourseFiles})
