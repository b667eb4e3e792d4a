"""The instructors' outputs of a grading run: the grade sheet and the class report.

Both are written from the rows read back from the class's gradebook
(:meth:`nmacausal.grading.gradebook.ClassGradebook.rows`, one tutorial's rows;
:func:`~nmacausal.grading.gradebook.combine_rows`, the day's), so they agree with it, with
``nbgrader export`` and with every feedback page.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import os
from collections import defaultdict
from datetime import datetime, timezone

from ..tutorials import get_tutorial, tutorial_of

__all__ = ["write_grades_csv", "write_report"]


def write_grades_csv(rows, exercises, path):
    """One row per student: the day's total and maximum, each tutorial's total, each
    exercise's points, verdict and mistake, whether a submission was late, and the
    status in words."""
    exercise_ids = [item.exercise.id for item in exercises]
    max_score = sum(item.points for item in exercises)
    tutorial_ids = list(rows[0].parts) if rows else []
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "student_id",
                "total",
                "max_score",
                *(f"{tutorial_id}_total" for tutorial_id in tutorial_ids),
                *exercise_ids,
                *(f"{exercise_id}_verdict" for exercise_id in exercise_ids),
                *(f"{exercise_id}_mistake" for exercise_id in exercise_ids),
                "late",
                "status",
            ]
        )
        for row in rows:
            items = [row.exercise(exercise_id) for exercise_id in exercise_ids]
            writer.writerow(
                [
                    row.student_id,
                    _number(row.total),
                    _number(max_score),
                    *(_number(row.parts[tutorial_id].total) for tutorial_id in tutorial_ids),
                    *(_number(item.points) for item in items),
                    *(item.verdict for item in items),
                    *(item.mistake or "" for item in items),
                    "yes" if row.late else "no",
                    row.status,
                ]
            )


def write_report(rows, exercises, path, *, gradebooks=None, command=None):
    """A self-contained HTML page: scores per tutorial and in total, exercises, mistakes
    with their students, problems.

    ``gradebooks`` (tutorial id -> ClassGradebook) gives the feedback pages to link.
    """
    gradebooks = gradebooks or {}
    max_score = sum(item.points for item in exercises)
    totals = [row.total for row in rows]
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        "<h1>W3D5 Network Causality: class report</h1>",
        f"<p class='made'>Made {made} by <code>{html.escape(command or 'nmacausal grade')}"
        f"</code>, from the gradebook in this folder.</p>",
        f"<p>{len(rows)} students; mean {_mean(totals):.2f} of {_number(max_score)} points; "
        f"{sum(total == max_score for total in totals)} with full marks; "
        f"{sum(row.status != 'ok' for row in rows)} with a problem flagged.</p>",
        _unsandboxed_warning(rows),
        "<h2>Tutorials</h2>",
        _tutorial_table(rows, exercises),
        "<h2>Score distribution</h2>",
        f'<img alt="Histogram of total scores" src="data:image/png;base64,'
        f'{_histogram_png(totals, max_score)}">',
        "<h2>Exercises</h2>",
        _exercise_table(rows, exercises),
        "<h2>Mistakes, most common first</h2>",
        _mistake_table(rows, exercises, path, gradebooks),
        "<h2>Problems flagged</h2>",
        _problem_list(rows, path, gradebooks),
    ]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Class report</title>"
        "<style>body{font-family:sans-serif;max-width:66em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
        "text-align:left;vertical-align:top}.made{color:#555}"
        ".warning{background:#fff3cd;border:1px solid #c9a227;padding:.6em}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>"
    )
    path.write_text(page, encoding="utf-8")


def _unsandboxed_warning(rows) -> str:
    """A warning naming the students whose code ran with the grader's own rights."""
    unboxed = [row.student_id for row in rows if not row.sandboxed]
    if not unboxed:
        return ""
    names = ", ".join(html.escape(name) for name in unboxed[:20])
    more = f" and {len(unboxed) - 20} more" if len(unboxed) > 20 else ""
    return (
        f"<p class='warning'><strong>Warning: {len(unboxed)} of {len(rows)} notebooks were "
        f"graded without the sandbox</strong> (<code>--no-sandbox</code>): their code ran with "
        f"the grader's own rights and could have read other submissions or changed the "
        f"gradebook. Regrade them with the sandbox on (<code>nmacausal grade --force</code>) "
        f"before you trust these grades: {names}{more}.</p>"
    )


def mistakes_by_student(rows, exercises) -> list[tuple[str, str, str, list[str]]]:
    """(exercise id, mistake id, how it was recognised, students), most common first.

    Incorrect answers that match no catalogued mistake are counted under the
    mistake id ``"uncatalogued"``.
    """
    students = defaultdict(list)
    for row in rows:
        for item in row.exercises:
            if item.verdict == "incorrect":
                students[(item.exercise_id, item.mistake or "uncatalogued")].append(row.student_id)
    described = {
        (item.exercise.id, mistake.id): mistake.detected_by
        for item in exercises
        for mistake in item.exercise.mistakes
    }
    found = [
        (
            exercise_id,
            mistake_id,
            described.get(
                (exercise_id, mistake_id),
                "wrong, but like none of the catalogued mistakes: read these answers",
            ),
            sorted(names),
        )
        for (exercise_id, mistake_id), names in students.items()
    ]
    return sorted(found, key=lambda entry: (-len(entry[3]), entry[0], entry[1]))


def _exercise_table(rows, exercises):
    lines = []
    for item in exercises:
        graded = [row.exercise(item.exercise.id) for row in rows]
        points = [entry.points for entry in graded]
        full = sum(value == item.points for value in points)
        verdicts = defaultdict(int)
        for entry in graded:
            verdicts[entry.verdict] += 1
        lines.append(
            f"<tr><td>Tutorial {tutorial_of(item.exercise).number}, "
            f"{html.escape(item.label)}: {html.escape(item.exercise.title)}</td>"
            f"<td>{_number(item.points)}</td><td>{_mean(points):.2f}</td>"
            f"<td>{_share(full, len(rows))}</td><td>{verdicts['correct']}</td>"
            f"<td>{verdicts['incorrect']}</td><td>{verdicts['not_attempted']}</td>"
            f"<td>{verdicts['not_graded']}</td></tr>"
        )
    return (
        "<table><tr><th>exercise</th><th>points</th><th>mean</th><th>full marks</th>"
        "<th>correct</th><th>incorrect</th><th>not attempted</th><th>not graded</th></tr>"
        + "".join(lines)
        + "</table>"
    )


def _tutorial_table(rows, exercises):
    """Per tutorial graded: its points, how many handed it in, the mean and full marks."""
    lines = []
    tutorial_ids = list(rows[0].parts) if rows else []
    for tutorial_id in tutorial_ids:
        parts = [row.parts[tutorial_id] for row in rows]
        tutorial = get_tutorial(tutorial_id)
        max_points = max((part.max_score for part in parts), default=0)
        handed_in = [part for part in parts if not _missing(part)]
        totals = [part.total for part in parts]
        full = sum(total == max_points for total in totals)
        lines.append(
            f"<tr><td>Tutorial {tutorial.number}: {html.escape(tutorial.title)}</td>"
            f"<td>{_number(max_points)}</td><td>{len(handed_in)} of {len(parts)}</td>"
            f"<td>{_mean(totals):.2f}</td><td>{_share(full, len(parts))}</td></tr>"
        )
    return (
        "<table><tr><th>tutorial</th><th>points</th><th>handed in</th><th>mean</th>"
        "<th>full marks</th></tr>" + "".join(lines) + "</table>"
    )


def _missing(part) -> bool:
    """A tutorial's row for a student who did not hand its notebook in (or was not graded)."""
    return any(problem.startswith("no ") or problem == "not graded" for problem in part.problems)


def _mistake_table(rows, exercises, path, gradebooks):
    found = mistakes_by_student(rows, exercises)
    if not found:
        return "<p>No incorrect answer.</p>"
    return (
        "<table><tr><th>students</th><th>exercise</th><th>mistake</th>"
        "<th>how it was recognised</th><th>who</th></tr>"
        + "".join(
            f"<tr><td>{len(names)}</td><td>{html.escape(exercise_id)}</td>"
            f"<td>{html.escape(mistake_id)}</td><td>{html.escape(description)}</td>"
            f"<td>{_student_links(names, path, gradebooks.get(tutorial_of(exercise_id).id))}"
            f"</td></tr>"
            for exercise_id, mistake_id, description, names in found
        )
        + "</table>"
    )


def _problem_list(rows, path, gradebooks):
    flagged = [row for row in rows if row.problems]
    if not flagged:
        return "<p>None.</p>"
    return "<ul>" + "".join(_problems_of(row, path, gradebooks) for row in flagged) + "</ul>"


def _problems_of(row, path, gradebooks) -> str:
    """A student's problems, with a link to each of their tutorials' feedback pages."""
    pages = [
        _page_link(f"Tutorial {get_tutorial(tutorial_id).number}", path, gradebook, row)
        for tutorial_id, gradebook in gradebooks.items()
    ]
    pages = [page for page in pages if page]
    links = f" (feedback: {', '.join(pages)})" if pages else ""
    return f"<li><b>{html.escape(row.student_id)}</b>{links}: {html.escape(row.status)}</li>"


def _page_link(text, report_path, gradebook, row) -> str | None:
    page = gradebook.feedback_page(row.student_id)
    if not page.is_file():
        return None
    href = os.path.relpath(page, report_path.parent).replace(os.sep, "/")
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _student_links(student_ids, report_path, gradebook) -> str:
    return ", ".join(_student_link(name, report_path, gradebook) for name in student_ids)


def _student_link(student_id, report_path, gradebook) -> str:
    name = html.escape(student_id)
    if gradebook is None:
        return f"<b>{name}</b>"
    page = gradebook.feedback_page(student_id)
    if not page.is_file():
        return f"<b>{name}</b>"
    href = os.path.relpath(page, report_path.parent).replace(os.sep, "/")
    return f'<a href="{html.escape(href)}"><b>{name}</b></a>'


def _histogram_png(totals, max_score) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3), dpi=100)
    axes = figure.subplots()
    edges = [x - 0.5 for x in range(int(max_score) + 2)]
    axes.hist(totals, bins=edges, color="#4c72b0", edgecolor="white")
    axes.set(xlabel="total score", ylabel="students", xlim=(edges[0], edges[-1]))
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _share(count, total) -> str:
    return f"{count} ({100 * count / total:.0f}%)" if total else "0"


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _number(value):
    return f"{value:g}"
