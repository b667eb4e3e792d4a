"""The kinds of exercise, and how an answer of each kind is checked.

An exercise is data (identity, points, hints, solution, catalogue of
mistakes) plus behaviour inherited from the kind of answer it expects:

- :class:`ValueProblem`: the answer is a number left in a notebook variable;
- :class:`FunctionProblem`: the answer is a function, checked by differential
  testing: it is called on several generated cases and compared with the
  reference library, then with student-style wrong versions (to name the
  mistake), and, where a correct answer may legitimately differ from the
  reference, checked for the right behaviour instead of the same numbers.

A mistake is detected from the *evidence*: for a value problem, the value;
for a function problem, a :class:`Submission` (the function and what it did
on each case). Its ``detect`` returns ``None`` when the mistake is not seen,
otherwise a text with the particulars (possibly empty).

Checking is pure: the student's code runs under
:func:`~nmacausal.checking.student_code.call_student` (isolated random state, no
output, a deadline), the cases are built from fixed seeds without touching
NumPy's global stream, and nothing is read from the notebook. The tutorial's
exercises themselves are declared by the tutorials, :mod:`nmacausal.tutorials`.
"""

from __future__ import annotations

import dataclasses
import inspect
import numbers
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from .._validation import _describe
from ..model.simulation import isolated_random_state
from .answers import ArrayAnswer
from .results import CheckResult
from .student_code import call_student, silenced


@dataclass(frozen=True)
class Mistake:
    """A mistake students make, how to recognise it and what to tell them.

    Attributes
    ----------
    id : str
        Stable identifier (used by the grading report).
    message : str
        What went wrong and how to fix it, addressed to the student.
    detected_by : str
        How the checker recognises it, in words (for instructors).
    detect : callable
        ``detect(evidence) -> str | None``: ``None`` when the mistake is not
        seen, else particulars to add to the message.
    stage : {"answer", "run"}
        ``"run"``: decided as soon as the function has run, before its answers
        are compared with the reference (a right answer does not excuse it).
    """

    id: str
    message: str
    detected_by: str
    detect: Callable[[object], str | None] = field(repr=False, compare=False)
    stage: str = "answer"


@dataclass(frozen=True, eq=False)
class Case:
    """One generated input of a function exercise.

    Attributes
    ----------
    name : str
        How detectors ask for it (``problem.case("tutorial")``): they never
        depend on where a case stands in the list.
    args : tuple
        The arguments the student's function is called with.
    description : str
        The input in words, for messages.
    expected_shape : tuple
        The shape of a right answer (for an exercise returning several values,
        the tuple of their shapes).
    sizes : dict
        The input's sizes by what they count (``{"number of neurons": 6,
        "number of timesteps": 5000}``), for recognising a size written into
        the student's code.
    advice : str
        For a probe beyond the exercise's domain only: what to tell a student
        whose correct function fails on it.
    """

    name: str
    args: tuple
    description: str
    expected_shape: tuple
    sizes: dict = field(default_factory=dict)
    advice: str = ""

    def fresh_args(self):
        """The arguments, arrays copied: a student's function may modify its inputs."""
        return tuple(arg.copy() if isinstance(arg, np.ndarray) else arg for arg in self.args)


@dataclass(frozen=True)
class Failure:
    """The first case on which a student's function did not give a usable answer."""

    case: Case
    kind: str  # "raised", "timed_out", "type", "shape" or "not_finite"
    value: object = None
    error: BaseException | None = None


# --------------------------------------------------------------------------- base classes


class Exercise:
    """Behaviour shared by all exercises; subclasses set the class attributes.

    Attributes
    ----------
    id, title, section : str
        Identity, title and tutorial section ("1", "2", "3.2").
    points : int
        Points in the graded notebook.
    kind : {"value", "function"}
        What the student hands in.
    answer_name : str
        The notebook name that holds the answer.
    check_name : str
        The name of the :mod:`nmacausal.checks` function that checks it.
    check_doc : str
        That function's docstring (numpydoc, with an example).
    domain : str
        The inputs (or, for a value, the experiments) the verdict is decided
        on, in words: what the tutorial's own protocol produces.
    hints : tuple of str
        Progressive hints, the last one nearly the solution.
    solution : str
        The completed code, as it goes into the tutorial's scaffold.
    reference : float or callable
        The right answer: the tutorial's figure, or the library's function.
    mistakes : tuple of Mistake
        The catalogue of mistakes this exercise recognises, in the order tried.
    """

    kind: ClassVar[str]
    id: ClassVar[str]
    title: ClassVar[str]
    section: ClassVar[str]
    points: ClassVar[int]
    answer_name: ClassVar[str]
    check_name: ClassVar[str]
    check_doc: ClassVar[str]
    domain: ClassVar[str]
    hints: ClassVar[tuple[str, ...]]
    solution: ClassVar[str]
    mistakes: ClassVar[tuple[Mistake, ...]]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}: section {self.section}, {self.title}>"

    @property
    def label(self) -> str:
        """``"Exercise 2"``, or ``"Bonus Exercise 2.1"`` for section ``"Bonus 2.1"``."""
        if self.section.startswith("Bonus "):
            return f"Bonus Exercise {self.section.removeprefix('Bonus ')}"
        return f"Exercise {self.section}"

    def checker(self):
        """The function students call, ``check_name(answer)``, which checks an answer."""

        def check(value):
            return self.check(value)

        return self._named(check)

    def _named(self, function):
        function.__name__ = function.__qualname__ = self.check_name
        function.__doc__ = inspect.cleandoc(self.check_doc)
        return function

    def check(self, answer) -> CheckResult:
        """Check an answer; never raises (a checker bug is reported in the result).

        Parameters
        ----------
        answer : object
            The value or function the student wrote.

        Returns
        -------
        CheckResult
        """
        return self._guarded(self._check, answer)

    def _guarded(self, check, *args) -> CheckResult:
        """``check(*args)``, silenced, with any exception turned into a result."""
        try:
            with silenced():
                return check(*args)
        except Exception as error:  # a bug of ours must not look like the student's fault
            return self._result(
                "incorrect",
                f"The checker itself failed ({type(error).__name__}: {error}), so your answer "
                f"could not be checked. This is a bug in nmacausal; please report it.",
                mistake="checker_error",
            )

    def _check(self, answer, *options) -> CheckResult:
        raise NotImplementedError

    def _result(self, status, message, *, mistake=None, matches_tutorial=False) -> CheckResult:
        return CheckResult(
            exercise_id=self.id,
            title=f"{self.label}: {self.title}",
            status=status,
            message=message,
            mistake=mistake,
            matches_tutorial=matches_tutorial,
        )

    def _diagnose(self, evidence, *, stage="answer") -> CheckResult | None:
        """The result for the first catalogued mistake seen in ``evidence``, if any."""
        for mistake in self.mistakes:
            if mistake.stage != stage:
                continue
            particulars = mistake.detect(evidence)
            if particulars is not None:
                message = f"{mistake.message} {particulars}".strip()
                return self._result("incorrect", message, mistake=mistake.id)
        return None


class ValueProblem(Exercise):
    """An exercise whose answer is a number.

    Subclasses provide :meth:`expected` (the tutorial's figure),
    :meth:`alternatives` (other exact values that are just as right),
    :meth:`accepts` (any other right value) and :meth:`describe_wrong`.
    """

    kind = "value"

    @property
    def reference(self) -> float:
        return self.expected()

    def expected(self) -> float:
        raise NotImplementedError

    def alternatives(self) -> dict[float, str]:
        return {}

    def accepts(self, value: float) -> str | None:
        return None

    def describe_wrong(self, value: float) -> str:
        raise NotImplementedError

    def _check(self, answer):
        name = self.answer_name
        if answer is None or answer is Ellipsis:
            return self._result(
                "not_attempted",
                f"`{name}` is still {_placeholder(answer)}: compute the value and assign it to "
                f"`{name}`.",
            )
        if callable(answer):
            return self._result(
                "incorrect", f"`{name}` should be a number, got a function ({_describe(answer)})."
            )
        value = as_real_number(answer)
        if value is not None and abs(value - self.expected()) <= SAME_NUMBER:
            return self._result(
                "correct",
                f"{value!r} is exactly the tutorial's figure.",
                matches_tutorial=True,
            )
        for alternative, explanation in self.alternatives().items():
            if value is not None and abs(value - alternative) <= SAME_NUMBER:
                return self._result("correct", explanation)
        diagnosis = self._diagnose(answer)
        if diagnosis is not None:
            return diagnosis
        if value is None:
            return self._result(
                "incorrect", f"`{name}` should be a single number, got {_describe(answer)}."
            )
        if not np.isfinite(value):
            return self._result("incorrect", f"`{name}` is {value}, not a finite number.")
        explanation = self.accepts(value)
        if explanation is not None:
            return self._result("correct", explanation)
        return self._result("incorrect", self.describe_wrong(value))


def _placeholder(answer) -> str:
    return "`...`" if answer is Ellipsis else repr(answer)


# Two floats this close are the same answer computed in another order of operations.
SAME_NUMBER = 1e-9


def as_real_number(answer) -> float | None:
    """``answer`` as a float if it is a single real number (NumPy scalars and 0-d arrays too)."""
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, numbers.Real):
        return float(answer)
    if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
        return float(answer)
    return None


class Submission:
    """A student's function and what it did on an exercise's cases.

    Attributes
    ----------
    func : callable
        The student's function.
    problem : FunctionProblem
        The exercise.
    values : list
        Per case run, the returned value as the exercise's answer kind reads
        it (``None`` if it could not); cases after the first failure are not run.
    failure : Failure or None
        The first case without a usable answer.
    not_attempted : str or None
        Why the function looks like an untouched stub, if it does.
    """

    def __init__(self, func, problem, timeout):
        self.func = func
        self.problem = problem
        self.timeout = timeout
        self.values = []
        self.failure = None
        self.not_attempted = None
        self.memo = {}  # detectors share expensive derived facts through it
        self.reached = set()  # reference functions the student's calls reached

    @property
    def outputs(self):
        """The values, when every case gave a usable answer; else ``None``."""
        return None if self.failure or self.not_attempted else self.values

    def output_of(self, name):
        """The usable answer on the case called ``name``, or ``None``.

        A case the run did not reach (it stopped at an earlier failure) is
        run now, so a detector never depends on the order of the cases.
        """
        case = self.problem.case(name)
        reached = dict(zip(self.problem.cases(), self.values, strict=False))
        if case in reached:
            failed_here = self.failure is not None and self.failure.case is case
            return None if failed_here else reached[case]
        key = ("output_of", name)
        if key not in self.memo:
            call = self.call(case.fresh_args())
            returns = self.problem.returns
            value = returns.read(call.value) if call.returned else None
            usable = value is not None and not returns.problem(value, case.expected_shape)
            self.memo[key] = value if usable else None
        return self.memo[key]

    def call(self, args, *, global_seed=0):
        """Call the student's function once, watching for calls into the reference."""
        call = call_student(
            self.func,
            args,
            timeout=self.timeout,
            global_seed=global_seed,
            watch=self.problem.reference_functions,
        )
        self.reached |= call.reached
        return call

    def run(self):
        """Run every case, stopping at the first that fails."""
        for case in self.problem.cases():
            call = self.call(case.fresh_args())
            self.not_attempted = _placeholder_reason(call, self.problem.answer_name)
            if self.not_attempted:
                return self
            failure = _failure_of(call, case, self.problem.returns)
            if call.returned:
                self.values.append(self.problem.returns.read(call.value))
            if failure is not None:
                self.failure = failure
                return self
        return self


def _failure_of(call, case, returns) -> Failure | None:
    """How a call on ``case`` failed to give a usable answer, or ``None`` if it did not."""
    if call.timed_out:
        return Failure(case, "timed_out")
    if call.error is not None:
        return Failure(case, "raised", error=call.error)
    kind = returns.problem(returns.read(call.value), case.expected_shape)
    return Failure(case, kind, value=call.value) if kind else None


def _placeholder_reason(call, name) -> str | None:
    """Why a call looks like an unfinished stub, or ``None``."""
    if isinstance(call.error, NotImplementedError):
        return (
            f"`{name}` still raises NotImplementedError: replace the "
            f"`raise NotImplementedError(...)` line with your code."
        )
    # `...` used as a number (TypeError) or as an array (AttributeError: no .shape).
    if isinstance(call.error, (TypeError, AttributeError)) and "ellipsis" in str(call.error):
        return f"`{name}` still contains a `...` placeholder: replace it with your code."
    if call.returned and call.value is Ellipsis:
        return f"`{name}` returns `...`: replace the placeholder with your code."
    if call.returned and call.value is None:
        return f"`{name}` returns None: it is not finished yet (or has lost its `return` line)."
    return None


class FunctionProblem(Exercise):
    """An exercise whose answer is a function, checked by differential testing.

    Subclasses provide :attr:`reference`, :attr:`domain`, :meth:`build_cases`,
    and may provide :meth:`build_probes`, and override :meth:`accepts` (right
    answers that differ from the reference) and :meth:`describe_wrong`.

    The verdict is decided on the cases alone, which stay inside the
    exercise's domain (the inputs the tutorial's own protocol produces). The
    probes go beyond it: a correct function that fails on one gets the
    probe's advice beside its correct verdict, never a failure.
    """

    kind = "function"
    default_timeout: ClassVar[float] = 5.0
    shape_meaning: ClassVar[str]

    @property
    def returns(self):
        """The kind of value the function returns (:mod:`nmacausal.checking.answers`);
        by default an array whose shape :attr:`shape_meaning` gives in words."""
        return ArrayAnswer(self.shape_meaning)

    @property
    def reference(self):
        raise NotImplementedError

    def build_cases(self) -> tuple[Case, ...]:
        """The inputs the verdict is decided on, all inside :attr:`domain`."""
        raise NotImplementedError

    def build_probes(self) -> tuple[Case, ...]:
        """Inputs beyond :attr:`domain` worth advice (none by default)."""
        return ()

    def accepts(self, submission) -> str | None:
        return None

    def describe_wrong(self, submission) -> str:
        raise NotImplementedError

    def correct_message(self) -> str:
        raise NotImplementedError

    def cases(self) -> tuple[Case, ...]:
        """The generated cases (built once; they never change)."""
        return self._built_once("_cases", self.build_cases)

    def probes(self) -> tuple[Case, ...]:
        """The generated probes beyond the domain (built once)."""
        return self._built_once("_probes", self.build_probes)

    def _built_once(self, attribute, build) -> tuple[Case, ...]:
        # Built from fixed seeds, without touching NumPy's global stream.
        if attribute not in self.__dict__:
            with isolated_random_state(), silenced():
                setattr(self, attribute, tuple(build()))
        return self.__dict__[attribute]

    def case(self, name) -> Case:
        """The case called ``name``."""
        for case in self.cases():
            if case.name == name:
                return case
        raise KeyError(f"{self.id} has no case called {name!r}")

    @property
    def reference_functions(self) -> tuple:
        """The functions that implement the answer in nmacausal: a student's function
        that calls one of them while being checked scores nothing (by default, just
        :attr:`reference`)."""
        return (self.reference,)

    def outputs_of(self, version):
        """What ``version`` (the reference or a wrong version) returns on each case.

        ``None`` if it raises on any case. Cached: the cases never change.
        """
        memo = self.__dict__.setdefault("_outputs", {})
        if version not in memo:
            try:
                with isolated_random_state(0), silenced():
                    memo[version] = [
                        self.returns.read(version(*case.fresh_args())) for case in self.cases()
                    ]
            except Exception:
                memo[version] = None
        return memo[version]

    def checker(self):
        """The function students call, ``check_name(func, *, timeout=None)``: its
        docstring is :attr:`check_doc` with the sections every function checker shares."""

        def check(func, *, timeout=None):
            return self.check(func, timeout=timeout)

        checker = self._named(check)
        summary, examples = inspect.cleandoc(self.check_doc).split("\nExamples\n", 1)
        checker.__doc__ = f"{summary.rstrip()}\n{_FUNCTION_CHECKER_SECTIONS}\nExamples\n{examples}"
        return checker

    def check(self, answer, *, timeout=None) -> CheckResult:
        """Check a student's function by running it on every case.

        Parameters
        ----------
        answer : callable
            The student's function.
        timeout : float or None, default=None
            Seconds each call may take; ``None`` means :attr:`default_timeout`.

        Returns
        -------
        CheckResult
            The verdict. Whatever the student's function does, it is reported
            here rather than raised.

        Raises
        ------
        TypeError, ValueError
            If ``timeout`` is not a positive, finite number: the caller's
            mistake, not the student's.
        """
        timeout = _check_timeout(self.default_timeout if timeout is None else timeout)
        return self._guarded(self._check, answer, timeout)

    def _check(self, answer, timeout):
        name = self.answer_name
        if answer is None or answer is Ellipsis:
            return self._result(
                "not_attempted",
                f"`{name}` is {_placeholder(answer)}: write the function `{name}` first.",
            )
        if not callable(answer):
            return self._result(
                "incorrect",
                f"Pass the function itself, `{self.check_name}({name})`, without calling it; "
                f"got {_describe(answer)}.",
            )
        submission = Submission(answer, self, timeout).run()
        verdict = self._judge(submission)
        # Checked last, so that calls made on any case or probe count.
        handed_over = self._diagnose(submission, stage="run")
        return verdict if handed_over is None else handed_over

    def _judge(self, submission) -> CheckResult:
        if submission.not_attempted:
            return self._result("not_attempted", submission.not_attempted)
        reference = self.outputs_of(self.reference)
        if submission.outputs is not None and all(
            map(self.returns.close, submission.outputs, reference)
        ):
            return self._correct(submission, self.correct_message(), matches_tutorial=True)
        diagnosis = self._diagnose(submission)
        if diagnosis is not None:
            return diagnosis
        if submission.failure is not None:
            return self._result("incorrect", self.describe_failure(submission))
        explanation = self.accepts(submission)
        if explanation is not None:
            return self._correct(submission, explanation)
        return self._result("incorrect", self.describe_wrong(submission))

    def _correct(self, submission, message, *, matches_tutorial=False) -> CheckResult:
        """A correct verdict, with advice from the first probe the function fails, if any."""
        result = self._result("correct", message, matches_tutorial=matches_tutorial)
        for probe in self.probes():
            call = submission.call(probe.fresh_args())
            failure = _failure_of(call, probe, self.returns)
            if failure is not None:
                what = self.describe_failure(submission, failure)
                return dataclasses.replace(result, advice=f"{what} {probe.advice}")
        return result

    def describe_failure(self, submission, failure=None):
        """What went wrong on the first failing case (or on ``failure``), in a sentence."""
        failure = submission.failure if failure is None else failure
        name = self.answer_name
        where = f"Called with {failure.case.description}, `{name}`"
        if failure.kind == "timed_out":
            return (
                f"{where} did not return within {submission.timeout:g} s, so the checker "
                f"stopped it. Is there an endless loop?"
            )
        if failure.kind == "raised":
            return f"{where} raised {_describe_error(failure.error, submission.func)}"
        returned = self.returns.describe(failure.kind, failure.value, failure.case.expected_shape)
        return f"{where} returned {returned}."


# Parameters, Returns and Raises of every function exercise's checker, for its docstring.
_FUNCTION_CHECKER_SECTIONS = """
Parameters
----------
func : callable
    The student's function (the function, not its result).
timeout : float or None, default=None
    Seconds each call of ``func`` may take before it counts as hanging;
    ``None`` means 5 seconds.

Returns
-------
CheckResult

Raises
------
TypeError, ValueError
    If ``timeout`` is not a positive number. Problems with ``func`` are
    reported in the result, never raised.
"""


def _check_timeout(timeout) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"`timeout` must be a number of seconds, got {_describe(timeout)}.")
    if not (0 < timeout < float("inf")):
        raise ValueError(f"`timeout` must be a positive, finite number of seconds, got {timeout}.")
    return float(timeout)


_LONGEST_ERROR_TEXT = 300  # characters of a student's error message worth quoting


def _describe_error(error, func) -> str:
    """``"ValueError: ... (line 7: `X[:, t] = ...`)."``, pointing into the student's code."""
    text = f"{type(error).__name__}: {error}".rstrip()
    if len(text) > _LONGEST_ERROR_TEXT:
        text = text[: _LONGEST_ERROR_TEXT - 3] + "..."
    filename = getattr(getattr(func, "__code__", None), "co_filename", None)
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == filename and frame.line
    ]
    if frames:
        text += f" (at line {frames[-1].lineno}: `{frames[-1].line.strip()}`)"
    return text if text.endswith(".") else text + "."


def format_numbers(values, decimals=2) -> str:
    """``"0.12, -3.40"``: numbers for a student's message, ``decimals`` decimals each
    (correlations between lagged activities are small and want four)."""
    return ", ".join(f"{value:.{decimals}f}" for value in np.atleast_1d(values))


def random_connectivity(n_neurons, seed):
    """A dense, lopsided connectivity matrix for a test case, drawn from its own
    generator (NumPy's global stream is the student's, and stays untouched)."""
    return np.random.default_rng(seed).normal(0.0, 1.0, size=(n_neurons, n_neurons))


def same_as(wrong_version):
    """A detector: the answer gives what ``wrong_version`` gives on every case."""

    def detect(submission):
        outputs, expected = submission.outputs, submission.problem.outputs_of(wrong_version)
        if outputs is None or expected is None or any(value is None for value in expected):
            return None
        return "" if all(map(submission.problem.returns.close, outputs, expected)) else None

    return detect


def either(*detectors):
    """A detector that reports the first of ``detectors`` that sees the mistake."""

    def detect(evidence):
        for detector in detectors:
            particulars = detector(evidence)
            if particulars is not None:
                return particulars
        return None

    return detect
