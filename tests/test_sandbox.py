"""Students' code in a box: what a graded notebook can no longer reach.

First the box itself, one process at a time (:mod:`nmacausal.grading.sandbox`); then a
class of hostile notebooks graded for real. Each attacker leaves Exercise 1 as
the stub and sets the right answer only after its attack has worked, so a
contained attack scores nothing for it. The same class (less the fork bomb)
graded with ``sandbox=False`` is the control: there every attack works, which
shows the attacks are real and the box is what stops them.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from class_builder import (
    ALL_EXERCISES,
    EFFECT,
    EXERCISES,
    NOTEBOOK,
    RCT,
    SIMULATE,
    TUTORIAL,
    Student,
    answered_cell,
    grade_id,
    write_class,
)
from nbgrader.api import Gradebook

from nmacausal import cli
from nmacausal.course.files import installed_course_files
from nmacausal.grading.pipeline import grade_class
from nmacausal.grading.sandbox import SandboxPolicy, SandboxUnavailable

FULL = 5.0

# --------------------------------------------------------------------------- the box itself


def run_in_box(code, tmp_path, **policy):
    """Run Python ``code`` in a fresh box; its stdout, stderr and exit status."""
    box = SandboxPolicy(**policy)
    scratch = box.new_scratch(tmp_path)
    box.give_to_sandbox(scratch)
    return subprocess.run(
        box.command([sys.executable, "-c", textwrap.dedent(code)], scratch),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_box_runs_python_with_numpy_in_its_scratch_folder(tmp_path):
    done = run_in_box(
        """
        import os, numpy
        print(os.getcwd() == os.environ["HOME"], numpy.ones(3).sum())
        open("written-in-scratch.txt", "w").write("ok")
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "3.0"]


@pytest.fixture
def file_in_home():
    """A file in the grader's home folder, where instructors keep keys and course files."""
    path = Path.home() / f".nmacausal-test-{uuid.uuid4().hex}"
    path.write_text("instructor's secret")
    yield path
    path.unlink()


def test_the_folder_the_grader_was_started_from_is_not_mounted(tmp_path, monkeypatch):
    started_in = tmp_path / "course"
    (started_in / "private").mkdir(parents=True)
    monkeypatch.chdir(started_in)
    monkeypatch.syspath_prepend(str(started_in))  # as `python -m` or a script there puts it
    done = run_in_box(f"import os; print(os.path.exists({str(started_in)!r}))", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_instructors_files_are_out_of_sight(tmp_path, file_in_home):
    secret = tmp_path / "submissions" / "another_student"
    secret.mkdir(parents=True)
    (secret / "W3D5_Tutorial1.ipynb").write_text("{}")
    done = run_in_box(
        f"""
        import os
        for path in [{str(secret)!r}, {str(file_in_home)!r}, "/home", "/srv", "/var", "/opt"]:
            print(os.path.exists(path) and (os.path.isfile(path) or bool(os.listdir(path))))
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"] * 6


def test_hidden_paths_inside_a_mounted_tree_are_covered(tmp_path, monkeypatch):
    tree = tmp_path / "on_sys_path"
    (tree / "answers").mkdir(parents=True)
    (tree / "answers" / "key.txt").write_text("42")
    (tree / "visible.txt").write_text("fine")
    monkeypatch.setenv("PYTHONPATH", str(tree))  # the box mounts what Python imports from
    done = run_in_box(
        f"""
        import os
        print(open({str(tree / "visible.txt")!r}).read(), os.listdir({str(tree / "answers")!r}))
        """,
        tmp_path,
        hidden=(str(tree / "answers"),),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fine []"


def test_writes_outside_the_scratch_folder_fail(tmp_path):
    done = run_in_box(
        f"""
        for path in ["/usr/planted", "/planted", {str(tmp_path / "planted")!r}, "/etc/planted"]:
            try:
                open(path, "w").write("x")
                print("wrote", path)
            except OSError as error:
                print("refused", type(error).__name__)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "wrote" not in done.stdout
    assert not (tmp_path / "planted").exists()


def test_no_network_even_to_a_listening_local_port(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        done = run_in_box(
            f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=5)
                print("connected")
            except OSError as error:
                print("refused", type(error).__name__)
            """,
            tmp_path,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused"), done.stdout


def test_an_allocation_over_the_limit_raises_memory_error(tmp_path):
    done = run_in_box(
        """
        import numpy as np
        small = np.ones(2**27 // 8)  # 128 MiB is fine
        try:
            np.zeros(3 * 2**30 // 8)
            print("allocated")
        except MemoryError:
            print("MemoryError")
        """,
        tmp_path,
        memory=2**30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "MemoryError"


def test_a_fork_bomb_is_stopped_at_the_process_limit(tmp_path):
    done = run_in_box(
        """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
        except OSError:
            print(children)
        """,
        tmp_path,
        processes=40,
    )
    assert done.returncode == 0, done.stderr
    assert 0 < int(done.stdout) < 40
    # The box's children die with it: none of them outlives the run.
    leftover = subprocess.run(["pgrep", "-f", "time.sleep(60)"], capture_output=True, text=True)
    assert leftover.stdout == ""


def test_the_graders_environment_stays_outside(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTRUCTOR_TOKEN", "s3cret")
    done = run_in_box("import os; print(sorted(os.environ))", tmp_path)
    assert "INSTRUCTOR_TOKEN" not in done.stdout
    assert "HOME" in done.stdout


def test_other_processes_are_invisible(tmp_path):
    done = run_in_box(
        "import os; print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))", tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert str(os.getpid()) not in done.stdout.strip("[]\n").split(", ")


@pytest.mark.parametrize(
    ("options", "message"),
    [({"memory": 2**20}, "at least 256 MiB"), ({"processes": 2}, "at least 16")],
)
def test_limits_too_small_to_run_a_kernel_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        SandboxPolicy(**options)


# ---------------------------------------------------------- grading without bubblewrap


@pytest.fixture
def no_bwrap(tmp_path, monkeypatch):
    """A PATH on which bubblewrap cannot be found (the interpreter's folder stays)."""
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable))


@pytest.fixture
def one_student(tmp_path):
    return write_class([Student("only", answered=(RCT,))], tmp_path / "submitted")


def test_grading_refuses_to_start_without_bubblewrap(one_student, tmp_path, no_bwrap):
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap.*--no-sandbox"):
        grade_class(one_student, tmp_path / "out", jobs=1)
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_the_command_line_says_how_to_install_it(one_student, tmp_path, no_bwrap, capsys):
    status = cli.main(["grade", str(one_student), "--out", str(tmp_path / "out")])
    assert status == cli.EXIT_ERROR
    error = capsys.readouterr().err
    assert "bubblewrap (`bwrap`) is not installed" in error
    assert "--no-sandbox" in error


def test_no_sandbox_grades_with_a_warning_on_the_console_and_in_the_report(
    one_student, tmp_path, no_bwrap, capsys
):
    out = tmp_path / "out"
    status = cli.main(["grade", str(one_student), "--out", str(out), "--no-sandbox", "--jobs=1"])
    assert status == 0
    assert "warning: --no-sandbox" in capsys.readouterr().err
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "1 of 1 notebooks were graded without the sandbox" in report
    assert "only" in report.split("without the sandbox")[1]


def test_the_report_has_no_sandbox_warning_when_every_notebook_was_boxed(one_student, tmp_path):
    grade_class(one_student, tmp_path / "out", jobs=1)
    assert "without the sandbox" not in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize(
    ("size", "expected"),
    [("2G", 2 * 2**30), ("512M", 512 * 2**20), ("1.5GiB", 3 * 2**29), ("3000000000", 3 * 10**9)],
)
def test_memory_sizes_on_the_command_line(size, expected):
    args = cli.build_parser().parse_args(["grade", "subs", "--out", "out", "--memory", size])
    assert args.memory == expected


def test_a_bad_memory_size_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["grade", "subs", "--out", "out", "--memory", "lots"])
    assert "'lots' is not a memory size" in capsys.readouterr().err


# ----------------------------------------------------------------- a class of attackers

# Exercise 1's right answer, as the tutorial computes it (seed 12, B drawn for A = 1 first).
RIGHT_ANSWER = (
    "np.random.seed(12)\n"
    "diff_in_means = np.mean(neuron_B(np.ones(5000))) - np.mean(neuron_B(np.zeros(5000)))"
)

# The gradebook attack zeroes one classmate's points (nbgrader's schema).
ZERO_THE_CORRECT_STUDENT = (
    "UPDATE grade SET manual_score = 0 WHERE notebook_id IN (SELECT n.id FROM "
    "submitted_notebook n JOIN submitted_assignment a ON n.assignment_id = a.id "
    "WHERE a.student_id = 'correct')"
)

# Each attack, then the right answer: it scores only if the attack worked.
ATTACKS = {
    "writes_outside": "open({outside!r} + '/planted.txt', 'w').write('planted')",
    "reads_another_submission": (
        "stolen = open({submissions!r} + '/correct/" + NOTEBOOK + ".ipynb').read()\n"
        "assert 'diff_in_means' in stolen"
    ),
    "connects_to_a_local_server": (
        "import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5).sendall(b'hi')"
    ),
    "rewrites_the_gradebook": (
        "import sqlite3\n"
        "gradebook = sqlite3.connect('file:' + {out!r} + '/gradebook.db?mode=rw', uri=True)\n"
        "gradebook.execute(" + repr(ZERO_THE_CORRECT_STUDENT) + ")\n"
        "gradebook.commit()"
    ),
    # Every copy of the solutions an import could reach, and the grader's own source.
    "reads_the_solutions": (
        "import pathlib, sys\n"
        "copies = [pathlib.Path({source!r})] + [\n"
        "    path for entry in sys.path\n"
        "    for path in pathlib.Path(entry or '.').glob('nmacausal/_shipped/solutions/*')\n"
        "]\n"
        "readable = [path for path in copies if path.is_file() and 'BEGIN SOLUTION' in "
        "path.read_text()]\n"
        "assert readable, copies"
    ),
    # np.zeros asks for the memory without touching it: the control run costs nothing.
    "allocates_6_gib": "big = np.zeros(6 * 2**30 // 8)",
}
FORK_BOMB = "import os\nwhile True:\n    os.fork()"
OBFUSCATED_REFERENCE = '''def simulate_neurons(A, timesteps, random_state=42):
    """Hands the work to the library, by a name no text search finds."""
    module = __import__("nmac" + "ausal")
    return getattr(module, "simulate_" + "neurons")(A, timesteps, random_state)
'''


class LocalServer:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def attackers(places, *, fork_bomb):
    students = [
        Student(
            name,
            answered=(SIMULATE, EFFECT),
            extra_cells=((f"{RCT}_tests", attack.format(**places) + "\n" + RIGHT_ANSWER),),
        )
        for name, attack in ATTACKS.items()
    ]
    students.append(
        Student(
            "obfuscated_reference_call",
            answered=(RCT, EFFECT),
            answer_sources={SIMULATE: _with_release_lines(OBFUSCATED_REFERENCE)},
        )
    )
    if fork_bomb:
        students.append(
            Student(
                "fork_bomb",
                answered=(SIMULATE, EFFECT),
                extra_cells=((f"{RCT}_tests", FORK_BOMB + "\n" + RIGHT_ANSWER),),
            )
        )
    return students


def _with_release_lines(answer):
    """The released Exercise 2 cell with ``answer`` in place of its function."""
    release = nbformat.read(EXERCISES, as_version=4)
    cell = next(cell for cell in release.cells if grade_id(cell) == SIMULATE)
    return answered_cell(cell.source, answer)


def grade_attacked_class(root, *, sandbox):
    """Grade ``correct`` alone, then the attackers into the same gradebook (so that the
    gradebook already holds grades to rewrite). Returns rows by student, and the places."""
    server = LocalServer()
    places = {
        "outside": str(root / "outside"),
        "submissions": str(root / "submitted"),
        "out": str(root / "graded"),
        "port": server.port,
        "source": str(installed_course_files().solutions(TUTORIAL)),
    }
    (root / "outside").mkdir(parents=True)
    write_class([Student("correct", answered=ALL_EXERCISES)], root / "submitted")
    grade_class(root / "submitted", root / "graded", jobs=2, cell_timeout=10, sandbox=sandbox)
    write_class(attackers(places, fork_bomb=sandbox), root / "submitted")
    rows = grade_class(
        root / "submitted", root / "graded", jobs=2, cell_timeout=10, sandbox=sandbox
    )
    server.socket.close()
    return {row.student_id: row for row in rows}, server, root


@pytest.fixture(scope="module")
def boxed(tmp_path_factory):
    return grade_attacked_class(tmp_path_factory.mktemp("boxed"), sandbox=True)


@pytest.fixture(scope="module")
def unboxed(tmp_path_factory):
    return grade_attacked_class(tmp_path_factory.mktemp("unboxed"), sandbox=False)


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_attack_works_without_the_sandbox(unboxed, attack):
    rows, _, _ = unboxed
    assert rows[attack].exercise(RCT).points == 1.0


def test_without_the_sandbox_the_attacks_leave_their_marks(unboxed):
    rows, server, root = unboxed
    assert (root / "outside" / "planted.txt").read_text() == "planted"
    assert server.connections >= 1
    assert rows["correct"].total == 0  # its grades were rewritten


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_attack_is_contained_and_scores_nothing(boxed, attack):
    rows, _, _ = boxed
    row = rows[attack]
    assert row.exercise(RCT).points == 0.0
    # what the attacker answered honestly still counts
    assert row.exercise(SIMULATE).points == 2.0
    assert row.exercise(EFFECT).points == 2.0


def test_a_correct_student_keeps_full_marks_in_a_class_of_attackers(boxed):
    rows, _, root = boxed
    assert rows["correct"].total == FULL
    assert rows["correct"].status == "ok"
    with Gradebook(f"sqlite:///{root / 'graded' / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(NOTEBOOK, NOTEBOOK, "correct")
        assert [grade.manual_score for grade in submission.grades] == [None] * 3
        assert submission.score == FULL


def test_the_sandbox_leaves_no_mark_outside(boxed):
    _, server, root = boxed
    assert not (root / "outside" / "planted.txt").exists()
    assert server.connections == 0


def test_the_statuses_say_what_was_refused(boxed):
    rows, _, _ = boxed
    assert "FileNotFoundError" in rows["reads_another_submission"].status
    assert "the notebook used more than 2 GiB (the memory limit)" in rows["allocates_6_gib"].status
    assert "OperationalError: unable to open database file" in rows["rewrites_the_gradebook"].status
    assert "ConnectionRefusedError" in rows["connects_to_a_local_server"].status


def test_an_obfuscated_reference_call_scores_nothing_with_its_reason(boxed):
    rows, _, root = boxed
    row = rows["obfuscated_reference_call"]
    assert row.exercise(SIMULATE).points == 0.0
    assert row.exercise(SIMULATE).mistake == "calls_reference"
    assert "called nmacausal's own simulate_neurons while it was checked" in row.status
    assert row.total == FULL - 2
    page = (
        root / "graded" / "feedback" / row.student_id / NOTEBOOK / f"{NOTEBOOK}.html"
    ).read_text(encoding="utf-8")
    assert "called nmacausal&#39;s own simulate_neurons" in page or (
        "called nmacausal's own simulate_neurons" in page
    )


def test_a_fork_bomb_costs_its_author_only_its_cell(boxed):
    rows, _, _ = boxed
    row = rows["fork_bomb"]
    assert row.exercise(RCT).points == 0.0
    # The forked copies of the kernel exit silently: the rest of the notebook is graded.
    assert (row.exercise(SIMULATE).points, row.exercise(EFFECT).points) == (2.0, 2.0)
    assert "started more than the 256 processes and threads allowed" in row.status, row.status
    assert rows["correct"].total == FULL
    assert sandbox_processes_left(wait=10) == []


def sandbox_processes_left(*, wait) -> list[str]:
    """The processes of sandbox user IDs still running after ``wait`` seconds at most.

    The kernel kills a box's processes when the box's first process exits, and a killed
    process can still be listed for a moment while it is reaped.
    """
    deadline = time.monotonic() + wait
    while True:
        listed = subprocess.run(
            ["ps", "-eo", "uid=,pid=,stat=,args="], capture_output=True, text=True
        ).stdout.splitlines()
        left = [line for line in listed if int(line.split()[0]) >= 2_000_000_000]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def test_every_notebook_of_the_class_was_graded_in_the_box(boxed):
    rows, _, _ = boxed
    assert all(row.sandboxed for row in rows.values())


def test_nothing_in_the_gradebook_was_changed_by_a_student(boxed):
    _, _, root = boxed
    with sqlite3.connect(root / "graded" / "gradebook.db") as gradebook:
        manual = gradebook.execute(
            "SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL"
        ).fetchone()[0]
    # only nmacausal's own override: the obfuscated call's withdrawn points
    assert manual == 1
