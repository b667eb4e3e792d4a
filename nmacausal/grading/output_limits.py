"""An nbgrader preprocessor that caps the size of each cell's output.

nbgrader's own ``LimitOutput`` counts lines, so one enormous line (a print of a
huge string or array) passes it untouched and ends up in the gradebook and on
the feedback page. This step caps characters instead.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

TRUNCATION_NOTE = "\n... output truncated by the grader ({removed} characters) ...\n"


class LimitOutputSize(NbGraderPreprocessor):
    """Cut every cell's outputs down to ``max_characters`` in total, and its printed
    text to ``max_text_characters``."""

    # Figures arrive as base64 PNG, a few hundred kilobytes each: keep well above that.
    max_characters = Integer(
        5_000_000,
        help="Largest number of characters of output kept per cell (-1: no limit).",
    ).tag(config=True)
    # Printed text is read by a person on the feedback page: a few pages of it is plenty.
    max_text_characters = Integer(
        100_000,
        help="Largest number of characters of printed (stream) output kept per cell.",
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or self.max_characters < 0:
            return cell, resources
        budget = self.max_characters
        text_budget = min(budget, self.max_text_characters)
        kept = []
        for output in cell.get("outputs", []):
            size = _output_size(output)
            is_text = output.get("output_type") == "stream"
            if size <= (text_budget if is_text else budget):
                kept.append(output)
                budget -= size
                text_budget -= size if is_text else 0
            elif is_text:
                allowed = min(budget, text_budget)
                removed = size - allowed
                output["text"] = output["text"][:allowed] + TRUNCATION_NOTE.format(removed=removed)
                kept.append(output)
                budget -= allowed
                text_budget = 0
            else:
                # A rich output too large to show in part is replaced by the note.
                kept.append(_note(size))
                budget = 0
        cell["outputs"] = kept
        return cell, resources


def _note(removed):
    return new_output("stream", name="stdout", text=TRUNCATION_NOTE.format(removed=removed))


def _output_size(output) -> int:
    if output.get("output_type") == "stream":
        return len(output.get("text", ""))
    if output.get("output_type") == "error":
        return sum(len(line) for line in output.get("traceback", []))
    return sum(len(str(value)) for value in output.get("data", {}).values())
