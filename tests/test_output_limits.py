"""The grader's cap on the size of a cell's output."""

from nbformat.v4 import new_code_cell, new_output

from nmacausal.grading.output_limits import LimitOutputSize


def limited(outputs, max_characters):
    cell = new_code_cell("print('...')", outputs=outputs)
    step = LimitOutputSize(max_characters=max_characters)
    return step.preprocess_cell(cell, {}, 0)[0].outputs


def test_small_outputs_are_untouched():
    outputs = [new_output("stream", name="stdout", text="hello\n")]
    assert limited(outputs, 100) == [new_output("stream", name="stdout", text="hello\n")]


def test_a_long_stream_is_cut_with_a_note():
    (kept,) = limited([new_output("stream", name="stdout", text="x" * 1000)], 100)
    assert kept.text.startswith("x" * 100)
    assert "truncated by the grader (900 characters)" in kept.text
    assert len(kept.text) < 200


def test_a_rich_output_over_the_budget_becomes_a_note():
    picture = new_output("display_data", data={"image/png": "A" * 500, "text/plain": "<Figure>"})
    first, second = limited([new_output("stream", name="stdout", text="ok\n"), picture], 100)
    assert first.text == "ok\n"
    assert second.output_type == "stream" and "truncated by the grader" in second.text


def test_a_negative_limit_keeps_everything():
    outputs = [new_output("stream", name="stdout", text="x" * 1000)]
    assert limited(outputs, -1)[0].text == "x" * 1000


def test_printed_text_has_a_smaller_budget_than_figures():
    step = LimitOutputSize(max_characters=10_000, max_text_characters=300)
    picture = new_output("display_data", data={"image/png": "A" * 5000})
    cell = new_code_cell(
        "print('...')",
        outputs=[new_output("stream", name="stdout", text="y" * 1000), picture],
    )
    text, kept_picture = step.preprocess_cell(cell, {}, 0)[0].outputs
    assert text.text.startswith("y" * 300) and "(700 characters)" in text.text
    assert kept_picture == picture  # the figure still fits the larger budget
