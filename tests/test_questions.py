"""ALP4: questions matched to the template by their text, and their answers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alplint.problem import Problem
from tests.conftest import codes

Lint = Callable[[str], list[Problem]]
FIXTURES = Path(__file__).parent / "fixtures"
OPENING = (FIXTURES / "valid-learningplan-opening.md").read_text(encoding="utf-8")
SOLUTION = (FIXTURES / "valid-solution.md").read_text(encoding="utf-8")
TWEET_QUESTION = (
    "> Short “tweet” summary: We would like to tweet what you are working on, "
    "can you summarize your challenge in a maximum of 280 characters?"
)


def _questions(lint: Lint, text: str) -> list[Problem]:
    return [p for p in lint(text) if p.code.startswith("ALP4")]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_alp401_empty_answer_named_by_text_and_section(lint: Lint) -> None:
    text = _replace(
        OPENING, "\n\n\nAI powered rangeland monitoring, reporting and verification system\n", "\n"
    )
    (problem,) = _questions(lint, text)
    assert problem.code == "ALP401"
    assert problem.line == 32
    assert problem.message == (
        'The question "Please provide a name for your action learning plan." in section "Title" has no answer'
    )


def _draft(text: str) -> str:
    """The form as a draft written by hand: the marker on the line after the title."""
    title, _, rest = text.partition("\n")
    return f"{title}\n<!-- alplint-draft -->\n{rest}"


def test_alp401_instruction_continuation_is_not_an_answer(lint: Lint) -> None:
    text = _replace(OPENING, "individually.\n\n- Big bet\n", "individually.\n")
    (problem,) = _questions(lint, _draft(text))
    assert problem.code == "ALP401"
    assert "Challenge type" in problem.message


def test_alp401_answer_after_the_continuation_counts(lint: Lint) -> None:
    assert _questions(lint, OPENING) == []


def test_alp401_answer_in_group_parts_counts(lint: Lint) -> None:
    text = _replace(
        OPENING,
        "We have ground cover images and the python code that calculates green cover of the image\n",
        "",
    )
    assert _questions(lint, text) == []  # the image part still answers it


def test_alp401_empty_subquestion(lint: Lint) -> None:
    text = _replace(
        OPENING,
        "\n\n\nData exchange and establishment of interoperable platform\n",
        "\n",
    )
    (problem,) = _questions(lint, text)
    assert problem.code == "ALP401"
    assert "Please provide a brief description of the collaboration." in problem.message


def test_alp401_a_checklist_with_nothing_ticked_is_unanswered(lint: Lint) -> None:
    """The export writes a checklist with nothing ticked as a lone "- ": no answer, not a placeholder."""
    problems = _questions(lint, _replace(OPENING, "- Explore\n- Test\n", "- \n"))
    assert [(p.code, p.subject) for p in problems] == [
        ("ALP401", "To what stage(s) in the learning cycle does your learning question relate?")
    ]


def test_alp401_an_answer_written_as_quoted_lines_is_an_answer(lint: Lint) -> None:
    """Some authors quote their answer ("> ..."): lines that are no question of the template."""
    head, _, rest = SOLUTION.partition("> Brief description of the innovation\n")
    rest = rest[rest.index("> Do you have a prototype") :]
    question = "> Brief description of the innovation\n\n"
    quoted = head + question + "> An assistant that reads X-rays.\n> It flags tumours.\n\n" + rest
    assert _questions(lint, quoted) == []
    assert codes(_questions(lint, head + question + rest)) == ["ALP401"]


def test_alp401_an_answer_written_inside_the_questions_own_quote_is_an_answer(lint: Lint) -> None:
    """``> Question`` then ``> answer`` with no blank line: one quote, the answer inside it."""
    head, _, rest = SOLUTION.partition("> Brief description of the innovation\n")
    rest = rest[rest.index("> Do you have a prototype") :]
    inside = head + "> Brief description of the innovation\n> An assistant that reads X-rays.\n\n" + rest
    assert _questions(lint, inside) == []


# What the export cannot carry: radio-list answers (ALP407 once per export, ALP401 in a draft).
SECTOR_ANSWERED = "> What sector does our partner belong to?\n\nGovernment\n"
SECTOR_EMPTY = "> What sector does our partner belong to?\n"
RADIO_EMPTY = _replace(
    _replace(
        _replace(OPENING, "individually.\n\n- Big bet\n", "individually.\n"), SECTOR_ANSWERED, SECTOR_EMPTY
    ),
    "> Is this a new and unusual partner for UNDP?\n\n- yes\n",
    "> Is this a new and unusual partner for UNDP?\n",
)


def test_alp407_radio_lists_left_empty_in_an_export_are_one_warning(lint: Lint) -> None:
    (problem,) = _questions(lint, RADIO_EMPTY)
    assert (problem.code, problem.severity, problem.line) == ("ALP407", "warning", 40)
    assert problem.message.startswith(
        'The answers to "Challenge type: If you are working on...", "What sector does our partner belong '
        'to?", "Is this a new and unusual partner for UNDP?" are not in the form: the platform\'s export '
        "drops radio-list answers."
    )
    assert "ignore ALP407 for an archive of exports" in problem.message
    assert "<!-- alplint-draft -->" in problem.message


def test_alp407_one_radio_list_is_named_alone(lint: Lint) -> None:
    (problem,) = _questions(lint, _replace(OPENING, SECTOR_ANSWERED, SECTOR_EMPTY))
    assert problem.code == "ALP407"
    assert problem.message.startswith(
        'The answer to "What sector does our partner belong to?" is not in the form'
    )


def test_alp401_in_a_draft_each_empty_radio_list_is_an_error(lint: Lint) -> None:
    problems = _questions(lint, _draft(RADIO_EMPTY))
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("ALP401", 41, "error"),
        ("ALP401", 147, "error"),
        ("ALP401", 170, "error"),
    ]


def test_alp407_a_radio_list_absent_from_an_export_is_not_a_missing_question(lint: Lint) -> None:
    text = _replace(OPENING, SECTOR_ANSWERED, "")
    assert codes(_questions(lint, text)) == ["ALP407"]
    assert codes(_questions(lint, _draft(text))) == ["ALP402"]


EXPERIMENT = (FIXTURES / "valid-experiment.md").read_text(encoding="utf-8")
COST_ANSWERED = (
    "> What is the total estimated monetary resources needed for this experiment?\n\n- Less than 1,000 USD\n"
)
COST_EMPTY = "> What is the total estimated monetary resources needed for this experiment?\n"


def test_alp407_a_radio_list_the_export_carries_as_a_tag_is_answered(lint: Lint) -> None:
    """The export writes an experiment's cost as [[total_cost:...]] (answer-tag), never under the question."""
    exported = _replace(_replace(EXPERIMENT, "<!-- alplint-draft -->\n", ""), COST_ANSWERED, COST_EMPTY)
    assert "[[total_cost:Less than 1,000 USD]]" in exported
    assert _questions(lint, exported) == []
    untagged = _replace(exported, "[[total_cost:Less than 1,000 USD]]\n", "[[total_cost: ]]\n")
    assert codes(_questions(lint, untagged)) == ["ALP407"]
    assert codes(_questions(lint, _draft(exported))) == ["ALP401"]  # a draft answers under the question


def test_a_radio_list_answered_is_checked_like_a_choice(lint: Lint) -> None:
    problems = _questions(lint, _replace(OPENING, "- Big bet\n", "- Big bets\n"))
    assert codes(problems) == ["ALP405"]
    assert 'did you mean "Big bet"' in problems[0].message


def test_alp402_says_why_a_question_is_absent_from_an_export_or_a_draft(lint: Lint) -> None:
    text = _replace(SOLUTION, "> Brief description of the innovation\n", "")
    (exported,) = _questions(lint, text)
    (drafted,) = _questions(lint, _draft(text))
    assert (exported.code, drafted.code) == ("ALP402", "ALP402")
    assert "answer it on the platform (an export may leave out a question" in exported.message
    assert "copy it back from the template" in drafted.message


def test_alp405_lines_after_a_checklist_are_not_choices(lint: Lint) -> None:
    text = _replace(
        OPENING, "- Explore\n- Test\n", "- Explore\n- Test\n\n![A chart](https://example.org/c.png)\n"
    )
    assert _questions(lint, text) == []


def test_alp401_optional_questions_may_be_empty(lint: Lint) -> None:
    text = _replace(SOLUTION, "\nPrudence Kavumba\n", "\n")
    assert _questions(lint, text) == []


def test_alp402_missing_question(lint: Lint) -> None:
    text = _replace(SOLUTION, "> Brief description of the innovation\n", "")
    problems = _questions(lint, text)
    assert codes(problems) == ["ALP402"]
    assert "Brief description of the innovation" in problems[0].message


def test_alp402_not_reported_for_a_slightly_reworded_question(lint: Lint) -> None:
    text = _replace(
        SOLUTION, "> Brief description of the innovation\n", "> Brief description of your innovation\n"
    )
    assert _questions(lint, text) == []


def test_alp402_questions_match_ignoring_case_spacing_quotes_and_entities(lint: Lint) -> None:
    text = _replace(
        OPENING, "how will you use your methods & tools", "how   will you use your METHODS &amp; tools"
    )
    text = _replace(text, "“tweet”", '"tweet"')
    assert _questions(lint, text) == []


def test_alp403_placeholder_answer(lint: Lint) -> None:
    for placeholder in ("N/A", "tbd", "-", "...", "Lorem ipsum dolor sit amet"):
        text = _replace(
            SOLUTION,
            "\nX-Ray Vision Intelligent Assistant for Cancer Detection\n\n>",
            f"\n{placeholder}\n\n>",
        )
        problems = _questions(lint, text)
        assert codes(problems) == ["ALP403"], placeholder


def test_alp403_real_short_answer_passes(lint: Lint) -> None:
    text = _replace(SOLUTION, "\nX-Ray Vision Intelligent Assistant for Cancer Detection\n\n>", "\nNo\n\n>")
    assert _questions(lint, text) == []


def test_alp404_tweet_longer_than_280_characters(lint: Lint) -> None:
    text = OPENING.split(TWEET_QUESTION)
    long_answer = "x" * 281
    problems = _questions(
        lint,
        text[0]
        + TWEET_QUESTION
        + "\n\n"
        + long_answer
        + "\n## Challenge classification"
        + text[1].split("## Challenge classification", 1)[1],
    )
    assert codes(problems) == ["ALP404"]
    assert "281 characters" in problems[0].message and "280" in problems[0].message


def test_alp404_entities_count_as_one_character(lint: Lint) -> None:
    text = OPENING.split(TWEET_QUESTION)
    answer = "x" * 276 + " &amp;"
    rest = "\n## Challenge classification" + text[1].split("## Challenge classification", 1)[1]
    assert _questions(lint, text[0] + TWEET_QUESTION + "\n\n" + answer + rest) == []


def test_alp405_invalid_choice_with_did_you_mean(lint: Lint) -> None:
    text = _replace(SOLUTION, "- yes\n", "- yess\n")
    problems = _questions(lint, text)
    assert codes(problems) == ["ALP405"]
    assert 'did you mean "yes"' in problems[0].message
    assert (problems[0].line, problems[0].column) == (37, 3)


def test_alp405_choices_compare_case_insensitively(lint: Lint) -> None:
    assert _questions(lint, _replace(SOLUTION, "- yes\n", "- YES\n")) == []
    assert _questions(lint, _replace(OPENING, "- Explore\n- Test\n", "- explore\n- Grow\n")) == []


def test_alp405_several_options_for_a_single_choice(lint: Lint) -> None:
    problems = _questions(lint, _replace(SOLUTION, "- yes\n", "- yes\n- no\n"))
    assert codes(problems) == ["ALP405"]
    assert "Only one option" in problems[0].message


def test_alp405_unknown_option_in_multiple_choice(lint: Lint) -> None:
    problems = _questions(lint, _replace(OPENING, "- Explore\n- Test\n", "- Explor\n- Test\n"))
    assert codes(problems) == ["ALP405"]
    assert 'did you mean "Explore"' in problems[0].message


def test_alp406_missing_section_only_once(lint: Lint) -> None:
    problems = _questions(lint, _replace(OPENING, "## Partners\n****\n", ""))
    assert codes(problems) == ["ALP406"]
    assert '"## Partners"' in problems[0].message


def test_alp406_all_sections_present_pass(lint: Lint) -> None:
    assert _questions(lint, OPENING) == []


def test_alp401_a_sub_question_answered_inside_its_quote_is_answered(lint: Lint) -> None:
    sector = "What sector does our partner belong to?"
    inside = _replace(OPENING, SECTOR_ANSWERED, f"> {sector}\n> Government\n")
    assert sector not in [p.subject for p in _questions(lint, inside)]
    assert sector in [p.subject for p in _questions(lint, _replace(OPENING, SECTOR_ANSWERED, SECTOR_EMPTY))]
