"""The instructors' outputs of a grading run: the grade sheet and the class report.

Both are written from the rows read back from the class's gradebook
(:meth:`nmacausal.gradebook.ClassGradebook.rows`), so they agree with it, with
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

__all__ = ["write_grades_csv", "write_report"]


def write_grades_csv(rows, exercises, path):
    """One row per student: total, maximum, each exercise's points, verdict and
    mistake, whether the submission was late, and the status in words."""
    exercise_ids = [item.exercise.id for item in exercises]
    max_score = sum(item.points for item in exercises)
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            [
                "student_id",
                "total",
                "max_score",
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
                    *(_number(item.points) for item in items),
                    *(item.verdict for item in items),
                    *(item.mistake or "" for item in items),
                    "yes" if row.late else "no",
                    row.status,
                ]
            )


def write_report(rows, exercises, path, *, gradebook=None, command=None):
    """A self-contained HTML page: scores, exercises, mistakes with their students, problems."""
    max_score = sum(item.points for item in exercises)
    totals = [row.total for row in rows]
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        "<h1>W3D5 Tutorial 1: class report</h1>",
        f"<p class='made'>Made {made} by <code>{html.escape(command or 'nmacausal grade')}"
        f"</code>, from the gradebook in this folder.</p>",
        f"<p>{len(rows)} students; mean {_mean(totals):.2f} of {_number(max_score)} points; "
        f"{sum(total == max_score for total in totals)} with full marks; "
        f"{sum(row.status != 'ok' for row in rows)} with a problem flagged.</p>",
        _unsandboxed_warning(rows),
        "<h2>Score distribution</h2>",
        f'<img alt="Histogram of total scores" src="data:image/png;base64,'
        f'{_histogram_png(totals, max_score)}">',
        "<h2>Exercises</h2>",
        _exercise_table(rows, exercises),
        "<h2>Mistakes, most common first</h2>",
        _mistake_table(rows, exercises, path, gradebook),
        "<h2>Problems flagged</h2>",
        _problem_list(rows, path, gradebook),
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
            f"<tr><td>{html.escape(item.label)}: {html.escape(item.exercise.title)}</td>"
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


def _mistake_table(rows, exercises, path, gradebook):
    found = mistakes_by_student(rows, exercises)
    if not found:
        return "<p>No incorrect answer.</p>"
    return (
        "<table><tr><th>students</th><th>exercise</th><th>mistake</th>"
        "<th>how it was recognised</th><th>who</th></tr>"
        + "".join(
            f"<tr><td>{len(names)}</td><td>{html.escape(exercise_id)}</td>"
            f"<td>{html.escape(mistake_id)}</td><td>{html.escape(description)}</td>"
            f"<td>{', '.join(_student_link(name, path, gradebook) for name in names)}</td></tr>"
            for exercise_id, mistake_id, description, names in found
        )
        + "</table>"
    )


def _problem_list(rows, path, gradebook):
    flagged = [row for row in rows if row.problems]
    if not flagged:
        return "<p>None.</p>"
    return (
        "<ul>"
        + "".join(
            f"<li>{_student_link(row.student_id, path, gradebook)}: {html.escape(row.status)}</li>"
            for row in flagged
        )
        + "</ul>"
    )


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
