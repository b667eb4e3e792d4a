"""The checking layer: verdicts, the kinds of exercise, and running a student's code.

- :mod:`~nmacausal.checking.results`: ``CheckResult``, ``CheckFailed``, ``Hint``, ``Solution``;
- :mod:`~nmacausal.checking.student_code`: calling a student's function safely;
- :mod:`~nmacausal.checking.kinds`: the kinds of exercise and how each is checked;
- :mod:`~nmacausal.checking.common_mistakes`: mistakes any function exercise may show.

The exercises themselves are declared by the tutorials (:mod:`nmacausal.tutorials`).
"""
