"""The grading layer: a class graded with nbgrader, into one gradebook.

- :mod:`~nmacausal.grading.pipeline`: finding submissions, grading each in a
  worker process, policies and retries (:func:`grade_class`);
- :mod:`~nmacausal.grading.nbgrader_course`: one assignment of an nbgrader course on
  disk: autograde in (sandboxed) kernels, feedback pages, private copies and views;
- :mod:`~nmacausal.grading.gradebook`: the persistent course and its gradebook;
- :mod:`~nmacausal.grading.report`: ``grades.csv`` and ``report.html``, from the gradebook;
- :mod:`~nmacausal.grading.screening`, :mod:`~nmacausal.grading.output_limits`,
  :mod:`~nmacausal.grading.remote_notebook`: checks on a submitted notebook;
- :mod:`~nmacausal.grading.sandbox` (with ``sandbox_entry`` and
  ``forked_kernel_guard``): the box a student's kernel runs in.
"""

from .pipeline import (
    EDITED_GRADE_CELL_POLICIES,
    ExerciseGrade,
    GradingError,
    StudentGrade,
    find_submissions,
    grade_class,
)

__all__ = [
    "EDITED_GRADE_CELL_POLICIES",
    "ExerciseGrade",
    "GradingError",
    "StudentGrade",
    "find_submissions",
    "grade_class",
]
