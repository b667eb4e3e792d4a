"""The course layer: where the day's notebooks are, how they are built, and the
nbgrader course both building and grading use.

- :mod:`~nmacausal.course.files`: the notebooks and nbgrader's configuration,
  in a checkout or shipped inside the installed package;
- :mod:`~nmacausal.course.notebooks`: building the notebooks (derived cells,
  execution, nbgrader's generate_assignment);
- :mod:`~nmacausal.course.nbgrader`: an nbgrader course on disk.
"""
