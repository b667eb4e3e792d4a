"""Every checker message the README quotes is one the checker prints.

The README quotes a checker's output in a ```text block right after a marker
``<!-- checker output: <exercise id> <mistake id> -->``. Each is compared with
what the checker says to that mistake written in the tutorial's own style.
"""

import re
from pathlib import Path

import pytest
from student_answers import tutorial_style
from test_checks import SCAFFOLD_PRELUDES, answer_of, check

from nmacausal.tutorials import EXERCISES, get_exercise

README = Path(__file__).resolve().parent.parent / "README.md"
QUOTE = re.compile(r"<!-- checker output: (\w+) (\w+) -->\n```text\n(.*?)\n```", flags=re.DOTALL)


def quoted_outputs():
    return QUOTE.findall(README.read_text(encoding="utf-8"))


def test_the_readme_quotes_at_least_one_checker_output():
    assert quoted_outputs()
    # A marker whose block does not parse would escape the check below.
    assert README.read_text(encoding="utf-8").count("<!-- checker output:") == len(quoted_outputs())


@pytest.mark.parametrize(
    ("exercise_id", "mistake", "quoted"), quoted_outputs(), ids=lambda value: value[:30]
)
def test_each_quoted_checker_output_is_what_the_checker_prints(exercise_id, mistake, quoted):
    exercise = get_exercise(exercise_id)
    source = tutorial_style(exercise_id).source(exercise_id, mistake)
    result = check(exercise, answer_of(exercise, SCAFFOLD_PRELUDES.get(exercise_id, "") + source))
    assert result.mistake == mistake
    assert quoted == str(result)


def test_the_readme_quotes_no_message_in_prose():
    # Feedback shown in prose ("you used ...") is unchecked; quotes go in marked blocks.
    text = QUOTE.sub("", README.read_text(encoding="utf-8"))
    for exercise in EXERCISES:
        for mistake in exercise.mistakes:
            assert mistake.message[:40] not in text, mistake.id
