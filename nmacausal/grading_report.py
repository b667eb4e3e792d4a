"""The instructors' outputs of a grading run: the grade sheet and the class report."""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter

__all__ = ["write_grades_csv", "write_report"]


def write_grades_csv(grades, exercises, path):
    """One row per student: id, total, maximum, each exercise's points, and a status."""
    exercise_ids = [item.exercise.id for item in exercises]
    max_score = sum(item.points for item in exercises)
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["student_id", "total", "max_score", *exercise_ids, "status"])
        for grade in grades:
            points = {item.exercise_id: item.points for item in grade.exercises}
            writer.writerow(
                [
                    grade.student_id,
                    _number(grade.total),
                    _number(max_score),
                    *(_number(points.get(exercise_id, 0.0)) for exercise_id in exercise_ids),
                    grade.status,
                ]
            )


def write_report(grades, exercises, path):
    """A self-contained HTML page: score distribution, catalogued mistakes, problems."""
    max_score = sum(item.points for item in exercises)
    totals = [grade.total for grade in grades]
    sections = [
        f"<h1>W3D5 Tutorial 1: class report</h1>"
        f"<p>{len(grades)} students; mean {_mean(totals):.2f} of {_number(max_score)} points; "
        f"{sum(total == max_score for total in totals)} with full marks; "
        f"{sum(grade.status != 'ok' for grade in grades)} with a problem flagged.</p>",
        "<h2>Score distribution</h2>",
        f'<img alt="Histogram of total scores" src="data:image/png;base64,'
        f'{_histogram_png(totals, max_score)}">',
        "<h2>Exercises</h2>",
        _exercise_table(grades, exercises),
        "<h2>Most common mistakes</h2>",
        _mistake_table(grades, exercises),
        "<h2>Problems flagged</h2>",
        _problem_list(grades),
    ]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Class report</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;"
        "text-align:left}</style></head><body>" + "\n".join(sections) + "</body></html>"
    )
    path.write_text(page, encoding="utf-8")


def mistake_counts(grades, exercises) -> list[tuple[str, str, str, int]]:
    """(exercise id, mistake id, message, number of students), most common first."""
    counts = Counter(
        (item.exercise_id, item.mistake)
        for grade in grades
        for item in grade.exercises
        if item.mistake is not None
    )
    messages = {
        (item.exercise.id, mistake.id): mistake.message
        for item in exercises
        for mistake in item.exercise.mistakes
    }
    rows = [
        (exercise_id, mistake_id, messages.get((exercise_id, mistake_id), ""), count)
        for (exercise_id, mistake_id), count in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row[3], row[0], row[1]))


def _exercise_table(grades, exercises):
    rows = []
    for item in exercises:
        verdicts = Counter(grade.exercise(item.exercise.id).verdict for grade in grades)
        rows.append(
            f"<tr><td>{html.escape(item.exercise.title)}</td><td>{_number(item.points)}</td>"
            f"<td>{verdicts['correct']}</td><td>{verdicts['incorrect']}</td>"
            f"<td>{verdicts['not_attempted']}</td><td>{verdicts['not_graded']}</td></tr>"
        )
    return (
        "<table><tr><th>exercise</th><th>points</th><th>correct</th><th>incorrect</th>"
        "<th>not attempted</th><th>not graded</th></tr>" + "".join(rows) + "</table>"
    )


def _mistake_table(grades, exercises):
    rows = mistake_counts(grades, exercises)
    if not rows:
        return "<p>No catalogued mistake was made.</p>"
    return (
        "<table><tr><th>students</th><th>exercise</th><th>mistake</th><th>what it means</th></tr>"
        + "".join(
            f"<tr><td>{count}</td><td>{html.escape(exercise_id)}</td>"
            f"<td>{html.escape(mistake_id)}</td><td>{html.escape(message)}</td></tr>"
            for exercise_id, mistake_id, message, count in rows
        )
        + "</table>"
    )


def _problem_list(grades):
    flagged = [grade for grade in grades if grade.problems]
    if not flagged:
        return "<p>None.</p>"
    return (
        "<ul>"
        + "".join(
            f"<li><b>{html.escape(grade.student_id)}</b>: {html.escape(grade.status)}</li>"
            for grade in flagged
        )
        + "</ul>"
    )


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


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def _number(value):
    return f"{value:g}"
