"""Fixing: edits placed exactly, files rewritten byte for byte and atomically, fixes that converge."""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alplint.atomic import write_file
from alplint.config import Config
from alplint.engine import Linter
from alplint.fix import (
    FixResult,
    apply_edits,
    encode_like,
    fix_loop,
    is_applicable,
    summary_line,
    unified_diff,
)
from alplint.parse import parse
from alplint.problem import Edit, Fix, Problem
from alplint.source import SourceText, decode, read
from tests.conftest import OPENING_SEED, ROOT, SEED_FILES, SOLUTION_SEED

FIXTURES = ROOT / "tests" / "fixtures"


def replace_fix(line: int, column: int, end_column: int, content: str) -> Fix:
    return Fix(f"Write {content!r}", "safe", (Edit(line, column, line, end_column, content),))


def delete_fix(line: int) -> Fix:
    return Fix("Delete the line", "safe", (Edit.delete_line(line),))


def problem(code: str, fix: Fix | None) -> Problem:
    return Problem("form.md", 1, 1, 1, 2, code, "warning", "a problem", fix)


# --- apply_edits -------------------------------------------------------------------


def test_replaces_the_span_and_nothing_else() -> None:
    fix = replace_fix(2, 5, 8, "dog")
    text, applied = apply_edits("one\nthe cat sat\n", [fix])
    assert text == "one\nthe dog sat\n"
    assert applied == [fix]


def test_applies_non_overlapping_fixes_together_in_any_order() -> None:
    first, second = replace_fix(1, 1, 2, "A"), replace_fix(1, 3, 4, "C")
    text, applied = apply_edits("abcd", [second, first])
    assert text == "AbCd"
    assert set(applied) == {first, second}


def test_adjacent_edits_do_not_conflict() -> None:
    text, applied = apply_edits("abcd", [replace_fix(1, 1, 3, "X"), replace_fix(1, 3, 5, "Y")])
    assert text == "XY"
    assert len(applied) == 2


def test_an_overlapping_fix_waits_for_the_next_round() -> None:
    earlier, overlapping = replace_fix(1, 1, 4, "ABC"), replace_fix(1, 3, 5, "xy")
    text, applied = apply_edits("abcde", [overlapping, earlier])
    assert text == "ABCde"
    assert applied == [earlier]


def test_a_fix_is_all_or_nothing() -> None:
    # The second fix's edit of "b" would fit, but its edit of "a" overlaps: neither is made.
    taken = replace_fix(1, 1, 2, "A")
    two_edits = Fix("Both", "safe", (Edit(1, 2, 1, 3, "B"), Edit(1, 1, 1, 2, "a!")))
    text, applied = apply_edits("abc", [taken, two_edits])
    assert text == "Abc"
    assert applied == [taken]


def test_two_insertions_at_one_place_conflict() -> None:
    first, second = replace_fix(1, 2, 2, "1"), replace_fix(1, 2, 2, "2")
    text, applied = apply_edits("ab", [first, second])
    assert text == "a1b"
    assert applied == [first]


def test_the_same_repair_asked_twice_is_made_once_and_counts_for_both() -> None:
    first, second = replace_fix(1, 1, 6, "&"), replace_fix(1, 1, 6, "&")
    text, applied = apply_edits("&amp; more", [first, second])
    assert text == "& more"
    assert len(applied) == 2


def test_a_fix_that_changes_nothing_is_not_applied() -> None:
    text, applied = apply_edits("same", [replace_fix(1, 1, 5, "same")])
    assert (text, applied) == ("same", [])


def test_an_edit_that_ends_before_it_starts_is_a_bug() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        apply_edits("abc", [replace_fix(1, 3, 1, "x")])


def test_crlf_columns_never_reach_the_carriage_return() -> None:
    # The value span of "[[year:2024.]]" ends at column 13; a rule may also clamp to the line end.
    text = "a\r\n[[year:2024.]]\r\nb\r\n"
    tidied, _ = apply_edits(text, [replace_fix(2, 8, 13, "2024")])
    assert tidied == "a\r\n[[year:2024]]\r\nb\r\n"
    to_line_end, _ = apply_edits(text, [replace_fix(2, 8, 99, "2024]]")])
    assert to_line_end == "a\r\n[[year:2024]]\r\nb\r\n"


def test_delete_line_takes_the_line_ending_with_it() -> None:
    assert apply_edits("a\nb\nc\n", [delete_fix(2)])[0] == "a\nc\n"
    assert apply_edits("a\r\nb\r\nc\r\n", [delete_fix(2)])[0] == "a\r\nc\r\n"
    assert apply_edits("a\r\nb\r\n", [delete_fix(2)])[0] == "a\r\n"


def test_deleting_the_last_line_without_a_line_break_clamps_to_the_end() -> None:
    assert apply_edits("a\nb\nb", [delete_fix(3)])[0] == "a\nb\n"
    assert apply_edits("a\r\nb\r\nb", [delete_fix(3)])[0] == "a\r\nb\r\n"


def test_adjacent_line_deletions_both_apply() -> None:
    text, applied = apply_edits("a\nb\nb\nb\nc\n", [delete_fix(3), delete_fix(4)])
    assert text == "a\nb\nc\n"
    assert len(applied) == 2


def test_a_lone_carriage_return_inside_a_line_is_a_character() -> None:
    assert apply_edits("a\rb&amp;\n", [replace_fix(1, 4, 9, "&")])[0] == "a\rb&\n"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_only_the_repaired_characters_change_whatever_the_encoding(
    bom: bytes, encoding: str, newline: str
) -> None:
    # Columns count characters: the emoji is one column, though two UTF-16 units and four UTF-8 bytes.
    lines = ["# Pumps 🌞", "[[year:2024]]", "Sun 🌞 &amp; wind — Pérez", "last"]
    data = bom + newline.join(lines).encode(encoding)
    source = decode(data, "form.md")
    assert isinstance(source, SourceText)
    fixed, applied = apply_edits(source.text, [replace_fix(3, 7, 12, "&")])
    assert len(applied) == 1
    expected = bom + newline.join([*lines[:2], "Sun 🌞 & wind — Pérez", "last"]).encode(encoding)
    assert encode_like(source, fixed) == expected
    assert encode_like(source, source.text) == data


# --- fix_loop ----------------------------------------------------------------------


def scripted_relint(by_text: dict[str, list[Problem]]) -> Callable[[str], list[Problem]]:
    return lambda text: by_text.get(text, [])


def test_conflicting_fixes_are_applied_over_several_rounds() -> None:
    # Tidying "x ," and renaming the value overlap: round 1 tidies, the re-lint asks for the rename.
    untidy = problem("ALP207", replace_fix(1, 1, 4, "x"))
    rename = problem("ALP306", replace_fix(1, 1, 4, "Mexico"))
    relint = scripted_relint({"x": [problem("ALP306", replace_fix(1, 1, 2, "Mexico"))]})
    result = fix_loop("form.md", "x ,", [untidy, rename], relint)
    assert result.fixed_text == "Mexico"
    assert result.applied == {"ALP207": 1, "ALP306": 1}
    assert result.remaining == []
    assert result.converged


def test_unsafe_fixes_need_asking_for() -> None:
    swap = problem("ALP304", Fix("Swap", "unsafe", (Edit(1, 1, 1, 4, "2,1"),)))
    safe = fix_loop("form.md", "1,2", [swap], scripted_relint({}))
    assert (safe.changed, safe.fixed_count) == (False, 0)
    unsafe = fix_loop("form.md", "1,2", [swap], scripted_relint({}), unsafe=True)
    assert (unsafe.fixed_text, unsafe.applied) == ("2,1", {"ALP304": 1})


def test_problems_without_a_fix_remain_and_stop_nothing() -> None:
    unfixable = problem("ALP401", None)
    result = fix_loop("form.md", "text", [unfixable], scripted_relint({}))
    assert not result.changed
    assert result.remaining == [unfixable]


def test_fixes_that_undo_each_other_are_caught_and_left_out() -> None:
    relint = scripted_relint(
        {
            "b": [problem("ALP207", replace_fix(1, 1, 2, "c"))],
            "c": [problem("ALP207", replace_fix(1, 1, 2, "b"))],
            "a": [problem("ALP207", replace_fix(1, 1, 2, "b"))],
        }
    )
    result = fix_loop("form.md", "a", relint("a"), relint)
    # a -> b is a fix; b -> c -> b goes round in circles and is left out.
    assert (result.fixed_text, result.applied) == ("b", {"ALP207": 1})
    assert not result.converged


def test_a_longer_circle_is_caught_where_it_began() -> None:
    steps = {"a": "b", "b": "c", "c": "d", "d": "b"}
    relint = scripted_relint(
        {text: [problem("ALP207", replace_fix(1, 1, 2, then))] for text, then in steps.items()}
    )
    result = fix_loop("form.md", "a", relint("a"), relint)
    # a -> b is a fix; b -> c -> d -> b goes round in circles and is left out, with the problems of b.
    assert (result.fixed_text, result.applied, result.remaining) == ("b", {"ALP207": 1}, relint("b"))
    assert not result.converged


def test_fixes_that_come_back_to_the_text_read_change_nothing() -> None:
    steps = {"a": "b", "b": "c", "c": "a"}
    relint = scripted_relint(
        {text: [problem("ALP207", replace_fix(1, 1, 2, then))] for text, then in steps.items()}
    )
    result = fix_loop("form.md", "a", relint("a"), relint)
    assert (result.changed, result.applied, result.remaining) == (False, {}, relint("a"))
    assert not result.converged


def test_fixes_that_keep_changing_the_text_stop_at_the_cap() -> None:
    def growing(text: str) -> list[Problem]:
        return [problem("ALP207", replace_fix(1, 1, 1, "x"))]

    result = fix_loop("form.md", "a", growing("a"), growing, max_rounds=4)
    assert (result.fixed_text, result.applied) == ("xxxxa", {"ALP207": 4})
    assert not result.converged


def test_a_value_escaped_many_times_is_fixed_one_escape_a_round(linter: Linter) -> None:
    """Real archives hold values escaped fifteen times over: more rounds than a handful, and no circle."""
    text = SOLUTION_SEED.read_text(encoding="utf-8").replace(
        "In recent years,", "In recent years " + "&amp;" + "amp;" * 15 + ",", 1
    )
    assert text != SOLUTION_SEED.read_text(encoding="utf-8")
    result = fix_loop(
        "x.md", text, linter.lint_text(text, "x.md").problems, lambda t: linter.lint_text(t, "x.md").problems
    )
    assert result.converged and result.applied == {"ALP603": 15}
    assert "In recent years &amp;," in result.fixed_text


def test_fixing_a_real_form_with_the_engine(linter: Linter) -> None:
    source = read(str(SOLUTION_SEED))
    assert isinstance(source, SourceText)
    # As a hand-written draft, the platform's SDG 10 label is ALP208's, with its fix (a note in an export).
    title, rest = source.text.split("\n", 1)
    source = SourceText(source.path, f"{title}\n<!-- alplint-draft -->\n{rest}", source.encoding, source.bom)
    problems = linter.lint_text(source.text, str(SOLUTION_SEED)).problems
    result = fix_loop(
        str(SOLUTION_SEED),
        source.text,
        problems,
        lambda text: linter.lint_text(text, str(SOLUTION_SEED)).problems,
    )
    assert result.applied == {"ALP208": 1}
    assert result.fixed_text == source.text.replace("10. Reduced innequalities", "10. Reduced inequalities")
    assert [p.code for p in result.remaining] == [p.code for p in problems if p.code != "ALP208"]


def test_summary_line() -> None:
    fixed = FixResult("a.md", "x", "y", {"ALP207": 2, "ALP603": 1})
    one = FixResult("b.md", "x", "y", {"ALP208": 1})
    untouched = FixResult("c.md", "x", "x")
    assert summary_line([fixed, one, untouched]) == "Fixed 4 problems in 2 files."
    assert summary_line([one], dry_run=True) == "Would fix 1 problem in 1 file."
    assert summary_line([untouched]) == "No problems fixed."


def test_summary_line_counts_what_only_unsafe_fixes_repair() -> None:
    one = FixResult("b.md", "x", "y", {"ALP208": 1})
    assert (
        summary_line([one], unsafe_left=2) == "Fixed 1 problem in 1 file; 2 more fixable with --unsafe-fixes."
    )
    assert summary_line([], unsafe_left=1) == "No problems fixed; 1 fixable with --unsafe-fixes."
    assert (
        summary_line([], dry_run=True, unsafe_left=1) == "No problems to fix; 1 fixable with --unsafe-fixes."
    )


def test_summary_line_counts_no_fix_in_a_file_the_fixes_left_unchanged() -> None:
    cancelled = FixResult("a.md", "x", "x", {"ALP207": 10}, converged=False)
    assert summary_line([cancelled]) == "No problems fixed."


# --- write_file --------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name != "form.md")


def test_atomic_write_replaces_the_bytes_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\r\n")
    path.chmod(0o640)
    assert write_file(str(path), b"new\r\n", original=b"old\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"saved by an editor meanwhile\n")
    assert not write_file(str(path), b"fixed\n", original=b"what alplint read\n")
    assert path.read_bytes() == b"saved by an editor meanwhile\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_refuses_a_file_changed_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\n")
    real_fsync = os.fsync

    def editor_saves_meanwhile(descriptor: int) -> None:
        real_fsync(descriptor)
        path.write_bytes(b"saved by an editor\n")

    monkeypatch.setattr(os, "fsync", editor_saves_meanwhile)
    assert not write_file(str(path), b"new\n", original=b"old\n")
    assert path.read_bytes() == b"saved by an editor\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_cleans_up_when_the_replace_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\n")

    def disk_full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_file(str(path), b"new\n", original=b"old\n")
    assert path.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_leaves_a_read_only_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "form.md"
    path.write_bytes(b"old\n")
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        write_file(str(path), b"new\n", original=b"old\n")
    assert path.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links are not available")
def test_atomic_write_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real" / "form.md"
    target.parent.mkdir()
    target.write_bytes(b"old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert write_file(str(link), b"new\n", original=b"old\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


# --- unified_diff ------------------------------------------------------------------


def test_diff_has_git_headers_and_only_the_changed_line() -> None:
    before = "one\ntwo\n[[year:2024.]]\nfour\n"
    after = "one\ntwo\n[[year:2024]]\nfour\n"
    assert unified_diff("seeds/form.md", before, after) == (
        "--- a/seeds/form.md\n"
        "+++ b/seeds/form.md\n"
        "@@ -1,4 +1,4 @@\n"
        " one\n"
        " two\n"
        "-[[year:2024.]]\n"
        "+[[year:2024]]\n"
        " four\n"
    )


def test_diff_of_a_crlf_form_shows_only_the_changed_line() -> None:
    before = "one\r\ntwo\r\nthree &amp; four\r\nfive\r\nsix\r\nseven\r\neight\r\n"
    after = before.replace("&amp;", "&")
    diff = unified_diff("form.md", before, after)
    body = diff.split("\n")[2:]
    changed = [line for line in body if line.startswith(("+", "-"))]
    assert changed == ["-three &amp; four\r", "+three & four\r"]
    assert " eight" not in diff


def test_diff_marks_a_last_line_without_a_line_break() -> None:
    diff = unified_diff("form.md", "a\nb &amp; c", "a\nb & c")
    assert diff.endswith("-b &amp; c\n\\ No newline at end of file\n+b & c\n\\ No newline at end of file\n")


def test_no_change_no_diff() -> None:
    assert unified_diff("form.md", "same\n", "same\n") == ""


@pytest.mark.skipif(shutil.which("patch") is None, reason="the patch program is not installed")
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_diff_applies_with_patch(tmp_path: Path, newline: str) -> None:
    lines = ["# Form", "[[year:2024.]]", "", "> Question", "", "a &amp; b", "", "end"]
    before = newline.join(lines)
    after = before.replace("2024.", "2024").replace("&amp;", "&")
    (tmp_path / "form.md").write_bytes(before.encode())
    (tmp_path / "fix.diff").write_bytes(unified_diff("form.md", before, after).encode())
    subprocess.run(
        ["patch", "-p1", "--binary", "-i", "fix.diff"], cwd=tmp_path, check=True, capture_output=True
    )
    assert (tmp_path / "form.md").read_bytes() == after.encode()


# --- property: fixing a form with random defects gives back the clean form ---------------

ENCODINGS = [
    ("utf-8", b"", "\n"),
    ("utf-8", b"", "\r\n"),
    ("utf-8", codecs.BOM_UTF8, "\n"),
    ("utf-8", codecs.BOM_UTF8, "\r\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
]
SAFE_CODES = {"ALP206", "ALP207", "ALP208", "ALP306", "ALP603"}
# A single escape (&amp;) shows as its character, so it is no defect (ALP603 reports double escapes only).
ENTITIES: dict[str, list[str]] = {}


@dataclass(frozen=True)
class Tag:
    key: str
    value: str
    repeatable: bool = False  # a second line with the same value is a plausible slip


@dataclass(frozen=True)
class Sdg:
    value: str
    near_misses: tuple[str, ...]  # spellings ALP208 repairs to ``value``


@dataclass(frozen=True)
class Country:
    name: str
    spellings: tuple[str, ...]  # spellings ALP306 repairs to ``name``


@dataclass(frozen=True)
class LatLng:
    lat: str
    lng: str


@dataclass(frozen=True)
class Answer:
    text: str  # may hold & < > " ' which a defect writes as HTML entities


Line = str | Tag | Sdg | Country | LatLng | Answer

SOLUTION: list[Line] = [
    "# Solar water pumps for smallholders",
    "",
    Tag("focal_point", "ana.perez@undp.org"),
    Tag("year", "2024"),
    Tag("type", "solution"),
    "",
    Sdg("6. Clean water and sanitation", ("6. Clean watr and sanitation", "6 Clean water and sanitation")),
    Sdg(
        "10. Reduced inequalities",
        ("10. Reduced inequality", "10.Reduced inequalities", "10) Reduced inequalities"),
    ),
    Tag("thematic_areas", "water", repeatable=True),
    Tag("thematic_areas", "renewable energy", repeatable=True),
    Country("Mexico", ("México", "mexico", "MEX")),
    LatLng("19.43", "-99.13"),
    Tag("gender", "female"),
    "",
    "> Title of the innovation",
    "",
    Answer("Solar water pumps for smallholders"),
    "",
    "> Brief description of the innovation",
    "",
    Answer('A pump that runs on sunlight 🌞 & costs less than a "diesel" pump.'),
    Answer("It lifts water from wells <30 m deep; farmers' plots > 2 ha need two."),
    "",
    "> Do you have a prototype for your innovation?",
    "",
    "- yes",
    "",
    "> Name of the Innovator",
    "",
    Answer("Ana Pérez & José O'Neill"),
]

EXPERIMENT: list[Line] = [
    "# Testing rainwater tanks in schools",
    "",
    Tag("focal_point", "li.wei@undp.org"),
    Tag("year", "2023"),
    Tag("type", "experiment"),
    Tag("platform_id", "4821"),
    Sdg("4. Quality education", ("4. Quality educaton", "4.Quality education")),
    Sdg("13. Climate action", ("13. Climate acton", "13 Climate action")),
    Tag("thematic_areas", "water", repeatable=True),
    Tag("thematic_areas", "schools", repeatable=True),
    Country("Peru", ("Perú", "peru", "PER")),
    LatLng("-12.05", "-77.04"),
    "",
    "> What did you test?",
    "",
    Answer('Whether tanks <50 litres are "enough" for a school & its garden.'),
    "",
    "> What did you learn?",
    "",
    Answer("Small tanks run dry in a week — the schools' gardens > the tanks."),
]


@dataclass(frozen=True)
class Case:
    clean: list[str]  # the form without defects
    defective: list[str]  # the same form with the drawn defects
    expected: list[str]  # what --fix must make of it (swapped pairs stay without --unsafe-fixes)
    unsafe: bool


def untidy(draw: st.DrawFn, value: str) -> str:
    """``value`` with stray spaces and punctuation that ALP207 removes (perhaps none)."""
    words = value.split(" ")
    if len(words) > 1 and draw(st.booleans()):
        position = draw(st.integers(0, len(words) - 2))
        words[position] += " " * draw(st.integers(1, 2))
    leading = " " * draw(st.integers(0, 2))
    trailing = "".join(draw(st.lists(st.sampled_from([",", ";", ".", " "]), max_size=3)))
    return leading + " ".join(words) + trailing


def tag_line(key: str, value: str) -> str:
    return f"[[{key}:{value}]]"


@st.composite
def cases(draw: st.DrawFn, template: Sequence[Line]) -> Case:
    unsafe = draw(st.booleans())
    clean: list[str] = []
    defective: list[str] = []
    expected: list[str] = []

    def add(clean_line: str, defective_line: str, expected_line: str | None = None) -> None:
        clean.append(clean_line)
        defective.append(defective_line)
        expected.append(clean_line if expected_line is None else expected_line)

    for line in template:
        if isinstance(line, str):
            add(line, line)
        elif isinstance(line, Tag):
            add(tag_line(line.key, line.value), tag_line(line.key, untidy(draw, line.value)))
            if line.repeatable and draw(st.booleans()):
                defective.append(tag_line(line.key, untidy(draw, line.value)))
        elif isinstance(line, Sdg):
            spellings = st.sampled_from((line.value, *line.near_misses))
            add(tag_line("sdgs", line.value), tag_line("sdgs", untidy(draw, draw(spellings))))
            if draw(st.booleans()):
                defective.append(tag_line("sdgs", untidy(draw, draw(spellings))))
        elif isinstance(line, Country):
            spelling = draw(st.sampled_from((line.name, *line.spellings)))
            add(tag_line("country", line.name), tag_line("country", untidy(draw, spelling)))
        elif isinstance(line, LatLng):
            pair, swapped = f"{line.lat},{line.lng}", f"{line.lng},{line.lat}"
            written = draw(st.sampled_from((pair, swapped)))
            kept = pair if unsafe or written == pair else swapped
            add(tag_line("latlng", pair), tag_line("latlng", untidy(draw, written)), tag_line("latlng", kept))
        else:
            escaped = "".join(
                draw(st.sampled_from([character, *ENTITIES[character]]))
                if character in ENTITIES
                else character
                for character in line.text
            )
            add(line.text, escaped)
    return Case(clean, defective, expected, unsafe)


def render(lines: Sequence[str], encoding: str, bom: bytes, newline: str, final_newline: bool) -> bytes:
    return bom + (newline.join(lines) + (newline if final_newline else "")).encode(encoding)


def fix_file(linter: Linter, path: str, *, unsafe: bool) -> FixResult:
    """What ``alplint --fix`` does to one file: read, lint, fix, write back."""
    source = read(path)
    assert isinstance(source, SourceText)
    result = fix_loop(
        path,
        source.text,
        linter.lint_file(path).problems,
        lambda text: linter.lint_text(text, path).problems,
        unsafe=unsafe,
    )
    if result.changed:
        assert write_file(
            path, encode_like(source, result.fixed_text), original=encode_like(source, source.text)
        )
    return result


def render_clean(template: Sequence[Line]) -> list[str]:
    lines = []
    for line in template:
        if isinstance(line, str):
            lines.append(line)
        elif isinstance(line, Tag):
            lines.append(tag_line(line.key, line.value))
        elif isinstance(line, Sdg):
            lines.append(tag_line("sdgs", line.value))
        elif isinstance(line, Country):
            lines.append(tag_line("country", line.name))
        elif isinstance(line, LatLng):
            lines.append(tag_line("latlng", f"{line.lat},{line.lng}"))
        else:
            lines.append(line.text)
    return lines


@pytest.mark.parametrize("template", [SOLUTION, EXPERIMENT], ids=["solution", "experiment"])
@pytest.mark.parametrize(("encoding", "bom", "newline"), ENCODINGS)
def test_the_clean_forms_have_no_problems(
    linter: Linter, template: Sequence[Line], encoding: str, bom: bytes, newline: str
) -> None:
    source = decode(render(render_clean(template), encoding, bom, newline, True), "form.md")
    assert isinstance(source, SourceText)
    assert linter.lint_text(source.text, "form.md").problems == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.one_of(cases(SOLUTION), cases(EXPERIMENT)),
    variant=st.sampled_from(ENCODINGS),
    final_newline=st.booleans(),
)
def test_fixing_random_defects_gives_back_exactly_the_clean_form(
    linter: Linter, case: Case, variant: tuple[str, bytes, str], final_newline: bool
) -> None:
    encoding, bom, newline = variant
    assert case.clean in (render_clean(SOLUTION), render_clean(EXPERIMENT))
    expected = render(case.expected, encoding, bom, newline, final_newline)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "form.md")
        defective = render(case.defective, encoding, bom, newline, final_newline)
        Path(path).write_bytes(defective)
        before = {p.code for p in linter.lint_file(path).problems}

        first = fix_file(linter, path, unsafe=case.unsafe)
        fixed = Path(path).read_bytes()
        assert fixed == expected
        # A fix never brings a problem the form did not have (issue 10, item 10), whatever the rule.
        assert {p.code for p in linter.lint_file(path).problems} <= before
        assert first.changed == (defective != expected)
        assert first.converged
        fixed_codes = SAFE_CODES | ({"ALP304"} if case.unsafe else set())
        assert not {p.code for p in linter.lint_file(path).problems} & fixed_codes
        assert not {p.code for p in first.remaining} & fixed_codes

        second = fix_file(linter, path, unsafe=case.unsafe)
        assert not second.changed
        assert second.applied == {}
        assert Path(path).read_bytes() == expected


# --- linting a form to fix it: the families that can fix first (Linter.lint_to_fix) ----------------


def _texts_of_every_kind() -> list[tuple[str, str]]:
    """The seeds, the valid fixtures, every rule's failing and passing example, and untidy variants."""
    from tests.test_rule_docs import DOCUMENTED, _examples

    texts = [(path.name, path.read_text(encoding="utf-8")) for path in (*SEED_FILES, *FIXTURES.glob("*.md"))]
    for code, section in DOCUMENTED:
        for kind, data in _examples(section).items():
            source = decode(data, f"{code}-{kind}.md")
            if isinstance(source, SourceText):
                texts.append((f"{code}-{kind}.md", source.text))
    untidy = OPENING_SEED.read_text(encoding="utf-8")
    texts.append(("untidy.md", untidy.replace("[[year:2025]]", "[[year:2025.]]\n[[year:2025]]", 1)))
    texts.append(
        ("suppressed.md", untidy.replace("[[year:2025]]", "<!-- alplint-disable ALP207 -->\n[[year:2025,]]"))
    )
    return texts


def test_only_rules_declared_fixable_yield_fixes_and_only_their_families_name_mistakes() -> None:
    """What ``Linter.lint_to_fix`` relies on: a family without a fixable rule yields no fix and no
    ``mistake``, so leaving it out changes neither which fixes there are nor their order."""
    linter = Linter(Config(select=("ALL",)))
    for name, text in _texts_of_every_kind():
        form = parse(text, name)
        binding = linter.schemas.choose(form).binding
        for family, module in linter.catalog.families.items():
            fixable = {rule.code for rule in module.RULES if rule.fixable}
            for problem in module.check(form, binding, linter.options[family]):
                assert problem.fix is None or problem.code in fixable, (name, problem)
                assert fixable or not problem.mistake, (name, problem)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize(
    "config", [Config(), Config(select=("ALL",), ignore=("ALP107",))], ids=["default", "all"]
)
def test_a_form_linted_to_fix_has_the_fixes_of_the_whole_lint(config: Config, unsafe: bool) -> None:
    linter = Linter(config)
    applies = partial(is_applicable, unsafe=unsafe)
    shortened = 0
    for name, text in _texts_of_every_kind():
        whole = linter.lint_text(text, name)
        result, is_whole = linter.lint_to_fix(SourceText.of_text(name, text), applies)
        if is_whole:
            assert result == whole, name
            assert not any(applies(problem.fix) for problem in whole.problems), name
        else:
            shortened += 1
            assert [p for p in result.problems if applies(p.fix)] == [
                p for p in whole.problems if applies(p.fix)
            ]
    assert shortened


def test_a_form_linted_to_fix_is_linted_whole_when_unused_suppressions_are_reported() -> None:
    # ALP107 (off by default) is judged on every problem: a suppression that silences only a problem
    # of a family left out would look unused, and its fix would delete it.
    linter = Linter(Config(select=("ALL",)))
    for name, text in _texts_of_every_kind():
        result, is_whole = linter.lint_to_fix(
            SourceText.of_text(name, text), partial(is_applicable, unsafe=True)
        )
        assert is_whole and result == linter.lint_text(text, name), name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.one_of(cases(SOLUTION), cases(EXPERIMENT)))
def test_random_defects_linted_to_fix_have_the_fixes_of_the_whole_lint(linter: Linter, case: Case) -> None:
    text = "\n".join(case.defective) + "\n"
    applies = partial(is_applicable, unsafe=case.unsafe)
    whole = linter.lint_text(text, "form.md")
    result, is_whole = linter.lint_to_fix(SourceText.of_text("form.md", text), applies)
    assert [p for p in result.problems if applies(p.fix)] == [p for p in whole.problems if applies(p.fix)]
    assert not is_whole or result == whole
