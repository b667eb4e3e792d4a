"""The course layer: where the day's notebooks are and how they are built.

- :mod:`~nmacausal.course.files`: the notebooks and nbgrader's configuration,
  in a checkout or shipped inside the installed package;
- :mod:`~nmacausal.course.notebooks`: building the notebooks (derived cells,
  execution, nbgrader's generate_assignment).

Grading a class (:mod:`nmacausal.grading`) builds on it, never the other way.
"""
