"""nbgrader configuration of the day's course.

Each tutorial of the day is one assignment: the instructors' notebook
``solutions/W3D5_Tutorial1.ipynb`` is the source of the assignment
``W3D5_Tutorial1``, and the students' notebook ``exercises/W3D5_Tutorial1.ipynb``
is its release (and so on for Tutorial 2 ...). nbgrader expects a course
directory laid out as ``<step>/<assignment>/<notebook>.ipynb``
(``source/W3D5_Tutorial1/W3D5_Tutorial1.ipynb``, ``release/...``,
``submitted/<student>/...``), which this flat repository is not, so the
``nmacausal`` commands lay such a course out in a temporary directory, load
this file into it, and copy the notebooks in and out:

- ``nmacausal build-notebooks`` (``make notebooks``) puts ``solutions/`` in
  ``source/``, runs generate_assignment and copies ``release/`` to ``exercises/``;
- grading starts from the same source, records it in a gradebook and runs
  autograde on the submissions.

Points and grade checks are in the notebooks' cell metadata and cells (derived
from the exercises each tutorial declares, ``nmacausal/tutorials/``). generate_assignment
records a checksum of every locked cell, so autograde restores a locked cell
that a student changed (and re-adds a deleted grade cell); ``nmacausal grade``
compares the grade cells with the release before that, and gives no points
for, and flags, one that was deleted or edited. Nothing here names a directory
on this machine: the course root is set by whoever runs nbgrader.
"""

c = get_config()  # noqa: F821 (nbgrader defines get_config when it loads this file)

c.CourseDirectory.course_id = "nma-w3d5-network-causality"

# What a student finds in place of each solution region. A function whose body
# was cleared still exists and raises when called, and a value exercise binds
# its answer to `...` before the region, so the self-check cells report "not
# attempted" rather than failing with a NameError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Solution cells keep their place (not deletable); self-check and grade cells
# can be neither edited nor deleted in the release.
c.LockCells.lock_solution_cells = True
c.LockCells.lock_grade_cells = True
c.LockCells.lock_readonly_cells = True
