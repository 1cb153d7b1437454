"""The parser on its own: lines, code blocks, raw text as typed, quotes, directives, and the form's structure."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from alplint.model import Span
from alplint.parse import code_spans, first_type, has_form_shape, head_types, line_break, parse, split_lines
from tests.conftest import EXPERIMENT_TAGS


def _codes(text: str) -> list[str]:
    return [error.code for error in parse(text).errors]


# --- lines -----------------------------------------------------------------------------------------


def test_lines_end_with_lf_or_crlf_and_a_bare_cr_stays_in_its_line() -> None:
    assert split_lines("a\nb\r\nc\rd\n") == ["a", "b", "c\rd"]
    assert line_break("a\r\nb") == "\n"


def test_a_file_with_cr_only_line_endings_is_read_as_lines() -> None:
    text = EXPERIMENT_TAGS.replace("\n", "\r") + "\r> Notes\r\rAn answer.\r"
    assert line_break(text) == "\r"
    form = parse(text)
    assert form.title is not None and form.title.text == "Street markets"
    assert [tag.key for tag in form.tags] == ["focal_point", "year", "type", "country", "latlng"]
    assert form.questions[0].blocks[0].span.line == 10
    assert form.errors == []


# --- the title -----------------------------------------------------------------------------------------


def test_the_title_on_the_line_after_the_hash_is_read_and_reported_with_its_cause() -> None:
    form = parse(EXPERIMENT_TAGS.replace("# Street markets\n", "# \nStreet markets\n\n"))
    assert form.title is not None and form.title.text == "Street markets"
    assert form.title.span.line == 2
    (error,) = form.errors
    assert error.code == "ALP102"
    assert 'on the line after "#"' in error.message and '"# Street markets"' in error.message
    assert error.repair is not None and error.repair.edits == ((Span(1, 2, 2, 1), " "),)
    assert [tag.key for tag in form.tags][:1] == ["focal_point"]


def test_a_lone_hash_above_the_tags_is_an_empty_title() -> None:
    (error,) = parse(EXPERIMENT_TAGS.replace("# Street markets", "#")).errors
    assert error.code == "ALP102" and "is empty" in error.message


def test_no_break_and_zero_width_spaces_in_title_headings_and_questions_are_harmless() -> None:
    text = "# Street\u00a0markets\u00a0\n[[type:experiment]]\n## \u00a0Design\u200b\u00a0\n\n>\u00a0What\u200b did you learn?\n"
    form = parse(text)
    assert form.errors == []
    assert form.title is not None and form.title.text == "Street\u00a0markets"
    assert form.sections[0].heading == "Design"
    assert form.questions[0].text == "What did you learn?"


# --- code blocks -----------------------------------------------------------------------------------


README_WITH_TAGS_IN_CODE = """# Our forms

Each form starts with its tags:

```markdown
[[country:Peru]]
> What is your challenge?
<!-- alplint-disable -->
```
"""


def test_nothing_in_a_fenced_code_block_is_read() -> None:
    form = parse(README_WITH_TAGS_IN_CODE)
    assert form.tags == [] and form.questions == [] and form.directives == [] and form.errors == []
    assert form.code_blocks == [Span(5, 1, 9, 4)]
    assert not has_form_shape(form)


def test_a_code_block_in_an_answer_is_part_of_the_answer() -> None:
    form = parse(EXPERIMENT_TAGS + "\n> Notes\n\n~~~~\n[[year:2020]]\n~~~\nstill code\n~~~~\n\nAfter.\n")
    (question,) = form.questions
    code, after = question.blocks
    assert code.code and code.span == Span(10, 1, 14, 5)
    assert not after.code and after.text == "After."
    assert [tag.value for tag in form.tags if tag.key == "year"] == ["2024"]


def test_an_unclosed_code_block_is_reported_and_the_rest_is_still_read() -> None:
    form = parse(EXPERIMENT_TAGS + "\n> Notes\n\n```\nprice = 3\n\n> Next question\n\nAnswer.\n")
    assert [error.code for error in form.errors] == ["ALP109"]
    assert form.errors[0].span.line == 10
    assert [question.text for question in form.questions] == ["Notes", "Next question"]
    assert form.code_blocks == []


def test_a_fence_is_closed_only_by_one_as_long_of_the_same_character() -> None:
    text = EXPERIMENT_TAGS + "\n> Notes\n\n````\n```\n~~~~\n````\n"
    form = parse(text)
    assert form.code_blocks == [Span(10, 1, 13, 5)]
    assert form.errors == []


def test_inline_code_spans_are_found() -> None:
    line = "Write `[[country:Peru]]` or ``a ` b``, not `this"
    assert [line[start:end] for start, end in code_spans(line)] == ["`[[country:Peru]]`", "``a ` b``"]


def test_many_fences_are_paired_in_linear_time() -> None:
    fences = "\n".join("`" * (3 + n % 50) for n in range(20_000))
    start = time.perf_counter()
    parse(EXPERIMENT_TAGS + "\n> Notes\n\n" + fences + "\n")
    assert time.perf_counter() - start < 5


# --- raw text as typed ---------------------------------------------------------------------------------


def test_none_after_the_quote_mark_is_an_empty_quote() -> None:
    text = (
        EXPERIMENT_TAGS + '\n> Evidence\n\n<div class="group">\n\n> None\nA link\n\n</div>\n\n> None\n\n- a\n'
    )
    form = parse(text)
    evidence, empty = form.questions
    assert evidence.subquestions == [] and evidence.parts[0].blocks[0].text == "A link"
    assert empty.text == ""
    assert form.errors == []


def test_a_lone_list_marker_is_the_exports_empty_checklist_not_an_answer() -> None:
    form = parse(EXPERIMENT_TAGS + "\n> Sectors\n\n- \n\n> Notes\n\n-\n")
    sectors, notes = form.questions
    assert sectors.blocks == [] and sectors.empty_checklists == [Span(10, 1, 10, 2)]
    # A "-" typed without the trailing space is an author's placeholder: still an answer.
    assert notes.blocks[0].text == "-" and notes.empty_checklists == []


def test_html_pasted_into_an_answer_is_text_and_breaks_no_group() -> None:
    text = (
        EXPERIMENT_TAGS
        + "\n> Links\n\n<div>https://a.org<div>\n</div>\n</div>\n\n"
        + '> Evidence\n\n<div class="group">\n\n> \n\n<div>pasted</div>\n\n</div>\n'
    )
    form = parse(text)
    assert form.errors == []
    links, evidence = form.questions
    assert links.blocks[0].lines == ("<div>https://a.org<div>", "</div>", "</div>")
    assert evidence.parts[0].blocks[0].text == "<div>pasted</div>"


def test_a_control_character_is_reported_with_the_words_around_it() -> None:
    form = parse(EXPERIMENT_TAGS + "\n> Notes\n\nThe National Uni\x02versity of San Martin\n")
    (error,) = form.errors
    assert error.code == "ALP108" and error.span == Span(10, 17, 10, 18)
    assert 'between "The National Uni" and "versity of San"' in error.message
    assert error.repair is not None and error.repair.edits == ((Span(10, 17, 10, 18), ""),)


def test_several_control_characters_on_a_line_are_one_problem() -> None:
    (error,) = parse(EXPERIMENT_TAGS + "\n> Notes\n\n\x9eone\x0btwo\x02\n").errors
    assert "3 invisible control characters (U+009E, U+000B, U+0002)" in error.message
    assert error.repair is not None
    assert [content for _, content in error.repair.edits] == ["", " ", ""]


def test_control_characters_are_found_in_text_of_every_width() -> None:
    """The search of the encoded text finds what the character class finds, in text of 1, 2 and 4 bytes
    per character (control characters are U+0000 to U+001F but tab, LF and CR, and U+007F to U+009F)."""
    import re

    from alplint.parse import _has_control_character

    pattern = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
    characters = [chr(code) for code in range(0x300)] + ["\u2028", "\ud800", "\ufeff", "\U0001f31e"]
    for character in characters:
        for text in (character, f"a{character}b", f"é{character}", f"’{character}", f"🌞{character}"):
            assert _has_control_character(text) == (pattern.search(text) is not None), repr(text)


def test_a_carriage_return_inside_an_answer_is_a_line_break_as_meant() -> None:
    assert parse(EXPERIMENT_TAGS + "\n> Notes\n\nFirst.\r Second.\r\n").errors == []


def test_a_carriage_return_inside_a_tag_value_names_the_values_it_splits() -> None:
    form = parse(EXPERIMENT_TAGS + "[[thematic_areas:Big data analysis\r Decision-making system]]\n")
    (error,) = form.errors
    assert error.code == "ALP108"
    assert '"Big data analysis", "Decision-making system"' in error.message
    assert error.repair is not None and not error.repair.safe
    assert error.repair.edits == ((Span(7, 35, 7, 37), " "),)
    assert form.tags[-1].value == "Big data analysis\r Decision-making system"


def test_crlf_and_bare_cr_keep_byte_exact_columns() -> None:
    text = EXPERIMENT_TAGS.replace("\n", "\r\n") + "[[thematic_areas:a\rb]]\r\n"
    tag = parse(text).tags[-1]
    assert (tag.value, tag.value_span) == ("a\rb", Span(7, 18, 7, 21))


# --- quotes --------------------------------------------------------------------------------------------


def test_an_answer_written_inside_the_questions_quote_is_a_model_fact() -> None:
    text = (
        EXPERIMENT_TAGS
        + "\n> What are the top 5 insights?\n> First insight\n> Second insight\n\n> Next\n\nA.\n"
    )
    form = parse(text)
    first, following = form.questions
    assert first.text == "What are the top 5 insights?" and first.blocks == []
    assert first.quoted_answer is not None
    assert first.quoted_answer.lines == ("First insight", "Second insight")
    assert first.quoted_answer.span == Span(9, 3, 10, 17)
    assert following.text == "Next" and following.quoted_answer is None


# --- near-miss tags ----------------------------------------------------------------------------------


def test_near_miss_tags_at_the_top_are_malformed_tags_with_a_fix() -> None:
    for written in (
        "[country:Peru]",
        "{{country:Peru}}",
        "{country:Peru}",
        "- [[country:Peru]]",
        "[country:Peru]]",
    ):
        form = parse(f"# Street markets\n{written}\n")
        (error,) = form.errors
        assert error.code == "ALP103", written
        assert error.repair is not None and error.repair.edits[0][1] == "[[country:Peru]]"
        assert has_form_shape(form)


def test_near_miss_shapes_in_answers_and_readme_notes_are_text() -> None:
    assert parse(EXPERIMENT_TAGS + "\n> Notes\n\n[source:World Bank]\n").errors == []
    for line in ("[Note: see below]", "[https://example.org]", "[x] done"):
        assert not has_form_shape(parse(f"# Read me\n{line}\n")), line


def test_an_invisible_character_in_a_tag_key_is_named() -> None:
    (error,) = parse("# T\n[[\u200bcountry:Peru]]\n").errors
    assert error.code == "ALP103" and "U+200B" in error.message
    assert error.repair is not None and error.repair.edits == ((Span(2, 3, 2, 11), "country"),)


# --- directives ----------------------------------------------------------------------------------------


def test_directives_are_read_with_the_place_of_each_word() -> None:
    form = parse("# T\n[[type:experiment]]\n  <!-- alplint-disable ALP601,image-alt-text -- a logo -->\n")
    (directive,) = form.directives
    assert directive.verb == "disable" and directive.alone
    assert directive.verb_span == Span(3, 8, 3, 23)
    assert directive.selectors == (("ALP601", Span(3, 24, 3, 30)), ("image-alt-text", Span(3, 31, 3, 45)))
    assert directive.reason == "a logo"


def test_a_directive_sharing_its_line_is_read_but_not_alone() -> None:
    form = parse(
        EXPERIMENT_TAGS + "\n> Notes\n\nText <!-- alplint-disable-next-line --> and `<!-- alplint-x -->`\n"
    )
    (directive,) = form.directives
    assert directive.verb == "disable-next-line" and not directive.alone
    assert form.questions[0].blocks[0].text.startswith("Text")


def test_ordinary_comments_are_no_directives() -> None:
    form = parse("# T\n<!-- Choose one of: a, b -->\n<!-- alplint disable -->\n")
    assert [directive.verb for directive in form.directives] == [""]
    assert len(form.comments) == 2


def test_the_draft_marker_is_a_directive() -> None:
    assert parse("# T\n<!-- alplint-draft -->\n[[type:solution]]\n").origin == "draft"
    assert parse("# T\nText <!-- alplint-draft -->\n[[type:solution]]\n").origin == "export"


def test_tags_written_on_one_line_are_each_read_and_the_line_is_reported() -> None:
    form = parse("# T\r\n[[focal_point:a@undp.org]] [[year:2024]][[type:solution]]\r\n")
    assert [(tag.key, tag.value) for tag in form.tags] == [
        ("focal_point", "a@undp.org"),
        ("year", "2024"),
        ("type", "solution"),
    ]
    assert form.tags[1].value_span == Span(2, 35, 2, 39)
    (error,) = form.errors
    assert error.code == "ALP103" and error.message.startswith(
        '3 tags are written on one line ("[[focal_point'
    )
    assert error.repair is not None
    assert error.repair.edits == ((Span(2, 27, 2, 28), "\r\n"), (Span(2, 41, 2, 41), "\r\n"))


def test_a_tag_whose_value_holds_brackets_is_one_tag() -> None:
    (tag,) = parse("# T\n[[title:a [[b]] c]]\n").tags
    assert tag.value == "a [[b]] c"


def test_near_miss_tags_after_text_are_text() -> None:
    readme = "# Our forms\n\nHow to write a tag:\n\n- [[country:Peru]]\n"
    assert not has_form_shape(parse(readme))


def test_an_answer_quoted_under_a_groups_question_stays_in_the_group() -> None:
    text = EXPERIMENT_TAGS + '\n> Stages\n\n<div class="group">\n\n> Sense\n> 25%\n\n</div>\n'
    form = parse(text)
    (question,) = form.questions
    (group,) = question.subquestions
    assert group.instruction == "Sense" and group.quoted_answer is not None
    assert group.quoted_answer.lines == ("25%",)
    assert form.errors == []


# --- the form's structure: tags, sections, questions, groups, locations ----------------------------


def test_tags_are_read_with_the_spans_of_the_line_the_key_and_the_value() -> None:
    form = parse("# T\n  [[country: Peru ]]\n")
    (tag,) = form.tags
    assert (tag.key, tag.value) == ("country", " Peru ")  # the value as written: rules tidy it
    assert tag.span == Span(2, 3, 2, 21)
    assert tag.key_span == Span(2, 5, 2, 12)
    assert tag.value_span == Span(2, 13, 2, 19)
    assert form.form_type is None and form.errors == []


def test_a_broken_tag_line_is_a_structure_error_not_a_tag() -> None:
    form = parse("# T\n[[type:solution\n[[Type:solution]]\n[[type solution]]\n")
    assert form.tags == []
    assert [(error.code, error.span.line) for error in form.errors] == [
        ("ALP103", 2),
        ("ALP103", 3),
        ("ALP103", 4),
    ]
    assert 'did you mean "type"?' in form.errors[1].message


def test_sections_own_the_questions_under_them_and_the_bold_rule_is_no_answer() -> None:
    text = "# T\n[[type:x]]\n\n> Before any section\n\nA.\n\n## Design\n****\n\n> First\n\nB.\n\n> Second\n\n## \n\n> Third\n"
    form = parse(text)
    assert [(section.heading, section.span.line) for section in form.sections] == [("Design", 8), ("", 17)]
    assert [question.text for question in form.questions] == [
        "Before any section",
        "First",
        "Second",
        "Third",
    ]
    assert [question.section.heading if question.section else None for question in form.questions] == [
        None,
        "Design",
        "Design",
        "",
    ]
    assert [question.text for question in form.sections[0].questions] == ["First", "Second"]
    first = form.questions[1]
    assert [block.text for block in first.blocks] == ["B."]
    assert first.span == Span(11, 1, 11, 8) and first.text_span == Span(11, 3, 11, 8)
    assert form.questions[2].blocks == []


def test_an_answers_paragraphs_are_blocks_with_their_spans() -> None:
    form = parse("# T\n[[type:x]]\n\n> Q\n\nOne line\nand its second.\n\n  Another, indented.\n")
    first, second = form.questions[0].blocks
    assert first.lines == ("One line", "and its second.") and first.span == Span(6, 1, 7, 16)
    assert second.lines == ("  Another, indented.",) and second.span == Span(9, 1, 9, 21)


def test_a_group_with_a_question_is_a_sub_question_and_one_without_is_part_of_the_answer() -> None:
    text = (
        "# T\n[[type:x]]\n\n> Partners\n\nThe city.\n\n"
        '<div class="group">\n\n> Sector\n\nGovernment\n\n</div>\n\n'
        '<div class="group">\n\n> \n\nAlso the university.\n\n</div>\n\n'
        '<div class="group">\n\nNo question at all.\n\n</div>\n'
    )
    form = parse(text)
    assert form.errors == []
    (question,) = form.questions
    (sub,) = question.subquestions
    assert (sub.instruction, sub.span) == ("Sector", Span(8, 1, 14, 7))
    assert sub.instruction_span == Span(10, 3, 10, 9)
    assert [block.text for block in sub.blocks] == ["Government"]
    assert [(part.instruction, [b.text for b in part.blocks]) for part in question.parts] == [
        ("", ["Also the university."]),
        (None, ["No question at all."]),
    ]
    assert question.groups == [sub, *question.parts]  # every group, in the order written
    assert [block.text for block in question.answer_blocks] == [
        "The city.",
        "Also the university.",
        "No question at all.",
    ]


def test_a_group_left_open_ends_where_the_next_structure_begins_and_is_reported() -> None:
    for follows, where in [
        ("## Next section\n", "the section heading on line 9"),
        ('<div class="group">\n', 'the next <div class="group"> on line 9'),
        ("> Next question\n", "the question on line 9"),
        ("", "the end of the file"),
    ]:
        text = f'# T\n[[type:x]]\n\n> Q\n\n<div class="group">\n> Sub\n\n{follows}'
        form = parse(text)
        errors = [error for error in form.errors if error.code == "ALP104"]
        assert errors and where in errors[0].message, (follows, errors)
        assert errors[0].span.line == 6
        assert form.questions[0].subquestions[0].instruction == "Sub"


def test_a_closing_div_without_a_group_is_reported() -> None:
    (error,) = parse("# T\n[[type:x]]\n\n> Q\n\nA.\n\n</div>\n").errors
    assert (error.code, error.span, error.subject) == ("ALP104", Span(8, 1, 8, 7), "stray </div>")


def test_locations_pair_each_country_with_the_latlng_right_after_it() -> None:
    text = "# T\n[[country:Peru]]\n[[latlng:-12,-77]]\n[[country:Chile]]\n[[year:2024]]\n[[latlng:1,2]]\n[[country:Bolivia]]\n"
    pairs = [
        (
            location.country.value if location.country else None,
            location.latlng.value if location.latlng else None,
            location.line,
        )
        for location in parse(text).locations
    ]
    assert pairs == [("Peru", "-12,-77", 2), ("Chile", None, 4), (None, "1,2", 6), ("Bolivia", None, 7)]


def test_parsing_never_raises_and_keeps_reading_after_each_mistake() -> None:
    text = "no title\n[[type:x\n</div>\n```\n> Q\n\nA.\n"
    form = parse(text)
    found = sorted((error.span.line, error.code) for error in form.errors)
    assert found == [(1, "ALP102"), (2, "ALP103"), (3, "ALP104"), (4, "ALP109")]
    assert [question.text for question in form.questions] == ["Q"]


_HEAD_LINES = [
    "# A title",
    "",
    "[[type:blog]]",
    "[[type: Story ]]",
    "[[type:solution]]",
    "[[year:2024]]",
    "  [[type:tools]]",
    "[[type:blog]] [[type:x]]",
    "text [[type:blog]]",
    "[[type:[[type:blog]]",
    "> A question",
    "[[type:blog",
    "\r",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_LINES), max_size=8), st.sampled_from(["\n", "\r\n", "\r"]))
def test_the_first_type_is_the_first_of_the_head_types(lines: list[str], newline: str) -> None:
    """``first_type`` lets the engine skip ``head_types`` on a page it would not skip."""
    text = newline.join(lines)
    types = head_types(text)
    if types:
        assert first_type(text) == types[0]
