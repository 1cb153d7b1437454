"""The location rules (ALP301-307) on whole forms."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alplint.geo.countries import un_member_names
from alplint.model import Form
from alplint.parse import parse
from alplint.problem import Problem
from alplint.rules import location, option_defaults
from tests.conftest import MISSPELT_COUNTRIES
from tests.test_geo import un_capitals


def form_with(*tags: str) -> Form:
    lines = ["# Street markets", "[[focal_point:ana@undp.org]]", "[[year:2024]]", "[[type:experiment]]"]
    return parse("\n".join([*lines, *tags]) + "\n")


def one_per_mistake(found: list[Problem], ignored: frozenset[str] = frozenset()) -> list[Problem]:
    """What the engine reports: the first enabled reading of each mistake."""
    kept: list[Problem] = []
    mistakes: set[str] = set()
    for problem in found:
        if problem.code in ignored or (problem.mistake and problem.mistake in mistakes):
            continue
        mistakes.add(problem.mistake)
        kept.append(problem)
    return kept


def readings(country: str, latlng: str, options: Mapping[str, Any] | None = None) -> list[Problem]:
    """Every reading the family yields, before the engine keeps one per mistake."""
    form = form_with(f"[[country:{country}]]", f"[[latlng:{latlng}]]")
    return list(location.check(form, None, options or {}))


def problems(country: str, latlng: str, options: Mapping[str, Any] | None = None) -> list[Problem]:
    return one_per_mistake(readings(country, latlng, options))


def codes(country: str, latlng: str, options: Mapping[str, Any] | None = None) -> list[str]:
    return [problem.code for problem in problems(country, latlng, options)]


@pytest.mark.parametrize(
    ("country", "latlng"),
    [
        ("Mexico", "23.949171200328962,-102.53030787352746"),
        ("Fiji", "-18.1416,178.4419"),  # Suva
        ("Samoa", "-13.8333,-171.7667"),  # Apia
        ("Tuvalu", "-8.5211,179.1983"),  # Funafuti
        ("Kiribati", "1.3290,172.9790"),  # Tarawa
        ("Maldives", "4.1755,73.5093"),  # Malé
        ("Barbados", "13.0975,-59.6167"),  # Bridgetown
        ("Cabo Verde", "14.9315,-23.5125"),  # Praia
        ("Mauritius", "-20.1609,57.5012"),  # Port Louis
        ("Timor-Leste", "-8.5569,125.5603"),  # Dili
        ("Gambia", "13.4549,-16.5790"),  # Banjul
        ("Democratic Republic of the Congo", "-1.6792,29.2228"),  # Goma
        ("DR Congo", "-1.6792,29.2228"),
        ("Estonia", "59.3772,28.1903"),  # Narva
        ("Mexico", "32.5149,-117.0382"),  # Tijuana
        ("Mexico", "31.6904,-106.4245"),  # Ciudad Juárez
        ("Switzerland", "46.2044,6.1432"),  # Geneva
        ("Singapore", "1.2903,103.8520"),
        ("Kosovo", "42.6629,21.1655"),  # Pristina
        ("Palestine", "31.9038,35.2034"),  # Ramallah
        ("State of Palestine", "31.9038,35.2034"),
        ("Palestine", "31.5017,34.4668"),  # Gaza
        ("State of Palestine", "31.5017,34.4668"),
        ("Ukraine", "44.9521,34.1024"),  # Simferopol
        ("Russian Federation", "44.9521,34.1024"),
        ("Egypt", "31.2357,30.0444"),  # Cairo written longitude first: still in Egypt
        ("Nigeria", "7.4951,9.0765"),  # Abuja written longitude first: still in Nigeria
        ("Mongolia", " 47.92 , 106.92 "),
        ("Mexico.", "19.43,-99.13."),  # trailing punctuation is ALP207's
        ("Tokelau", "-9.2,-171.8"),  # no shape to check against: say nothing
    ],
)
def test_passes(country: str, latlng: str) -> None:
    assert problems(country, latlng) == []


@pytest.mark.parametrize(
    ("country", "latlng", "where"),
    [
        ("France", "46.9480,7.4474", "in Switzerland"),  # Bern
        ("Mexico", "32.7157,-117.1611", "in the United States"),  # San Diego
        ("Malaysia", "1.2903,103.8520", "in Singapore"),
        ("Guatemala", "19.4326,-99.1332", "in Mexico"),  # Mexico City
        ("Brazil", "-10,-20", "in the sea"),
    ],
)
def test_point_in_another_country(country: str, latlng: str, where: str) -> None:
    (problem,) = problems(country, latlng)
    assert problem.code == "ALP305"
    assert where in problem.message
    assert re.search(r"about [\d,]+ km from " + re.escape(country), problem.message)
    assert problem.subject == f"latlng:{latlng}"
    assert problem.fix is None


def test_distance_in_the_message_is_sensible() -> None:
    (problem,) = problems("Guatemala", "19.4326,-99.1332")
    distance = int(re.search(r"about ([\d,]+) km", problem.message)[1].replace(",", ""))  # type: ignore[index]
    assert 700 <= distance <= 1000
    (problem,) = problems("France", "46.9480,7.4474")
    assert "about 50 km" in problem.message


@pytest.mark.parametrize(
    ("country", "written", "swapped"),
    [
        ("Ukraine", "30.5234,50.4501", "50.4501,30.5234"),  # Kyiv
        ("Somalia", "45.3182,2.0469", "2.0469,45.3182"),  # Mogadishu
        ("Colombia", "-74.0721,4.7110", "4.7110,-74.0721"),  # Bogotá
        ("Mexico", "-99.1332,19.4326", "19.4326,-99.1332"),  # out of range, explained by the swap
        ("Ukraine", "30.5234, 50.4501", "50.4501, 30.5234"),
    ],
)
def test_swapped(country: str, written: str, swapped: str) -> None:
    (problem,) = problems(country, written)
    assert problem.code == "ALP304"
    assert problem.fix is not None
    assert problem.fix.applicability == "unsafe"
    (edit,) = problem.fix.edits
    assert edit.content == swapped
    line = form_with(f"[[country:{country}]]", f"[[latlng:{written}]]").lines[edit.line - 1]
    assert line[edit.column - 1 : edit.end_column - 1] == written


@pytest.mark.parametrize("latlng", ["0,0", "0.0,0.0", "0, 0", "-0.0,+0"])
def test_null_island(latlng: str) -> None:
    assert codes("Mexico", latlng) == ["ALP303"]
    assert codes("Mexcio", latlng) == ["ALP306", "ALP303"]


@pytest.mark.parametrize(
    "latlng",
    ["19,43 -99,13", "19.43", "19.43,-99.13,5", "47°55'N 106°55'E", "Mexico City", "1e2,3", "19.43;-99.13"],
)
def test_invalid_latlng(latlng: str) -> None:
    assert codes("Mexico", latlng) == ["ALP301"]


@pytest.mark.parametrize(("latlng", "part"), [("95.5,106.9", "latitude 95.5"), ("45.1,190", "longitude 190")])
def test_out_of_range(latlng: str, part: str) -> None:
    (problem,) = problems("Mongolia", latlng)
    assert problem.code == "ALP302"
    assert part in problem.message


def test_out_of_range_is_not_a_swap_when_the_swap_is_elsewhere() -> None:
    assert codes("Mongolia", "123.4,45.1") == ["ALP302"]
    assert codes("Mexcio", "-99.13,19.43") == ["ALP306", "ALP302"]


@pytest.mark.parametrize(("written", "suggestion"), MISSPELT_COUNTRIES)
def test_unknown_country_suggests(written: str, suggestion: str) -> None:
    (problem,) = problems(written, "19.43,-99.13")
    assert problem.code == "ALP306"
    assert f'did you mean "{suggestion}"' in problem.message
    assert problem.fix is None
    assert problem.subject == f"country:{written}"


@pytest.mark.parametrize(
    ("written", "english", "latlng"),
    [
        ("México", "Mexico", "19.43,-99.13"),
        ("Perú", "Peru", "-12.0464,-77.0428"),
        ("Sénégal", "Senegal", "14.7167,-17.4677"),
        ("MEX", "Mexico", "19.43,-99.13"),
        ("MX", "Mexico", "19.43,-99.13"),
        ("mexico", "Mexico", "19.43,-99.13"),
    ],
)
def test_recognised_country_is_fixed_to_english(written: str, english: str, latlng: str) -> None:
    (problem,) = problems(written, latlng)
    assert problem.code == "ALP306"
    assert problem.fix is not None
    assert problem.fix.applicability == "safe"
    (edit,) = problem.fix.edits
    assert edit.content == english
    assert (edit.line, edit.column, edit.end_column) == (5, 11, 11 + len(written))


def test_renamed_country_is_still_checked_for_containment() -> None:
    assert codes("México", "14.6349,-90.5069") == ["ALP306", "ALP305"]


def test_unpaired_location() -> None:
    form = form_with("[[country:Mexico]]")
    (problem,) = location.check(form, None, {})
    assert (problem.code, problem.line) == ("ALP307", 5)
    form = form_with("[[latlng:19.43,-99.13]]")
    (problem,) = location.check(form, None, {})
    assert (problem.code, problem.line) == ("ALP307", 5)
    form = form_with("[[country:Mexico]]", "[[country:Guatemala]]", "[[latlng:14.6349,-90.5069]]")
    assert [(problem.code, problem.line) for problem in location.check(form, None, {})] == [("ALP307", 5)]


def test_blank_values_are_left_to_the_tag_rules() -> None:
    assert list(location.check(form_with("[[country:]]", "[[latlng:]]"), None, {})) == []
    assert list(location.check(form_with("[[country:Mexico]]", "[[latlng: ]]"), None, {})) == []


def test_several_locations_are_checked_each() -> None:
    form = form_with(
        "[[country:Mexico]]",
        "[[latlng:19.43,-99.13]]",
        "[[country:Guatemala]]",
        "[[latlng:19.43,-99.13]]",
    )
    assert [(problem.code, problem.line) for problem in location.check(form, None, {})] == [("ALP305", 8)]


def test_tolerance_option() -> None:
    basel = "47.5596,7.5886"  # in Switzerland, 2.5 km from France
    assert codes("France", basel) == []
    assert codes("France", basel, {"tolerance-km": 0.5}) == ["ALP305"]
    assert codes("France", "46.9480,7.4474", {"tolerance-km": 100}) == []


def test_a_point_at_sea_in_the_countrys_own_waters_is_in_the_country() -> None:
    """Within 22 km (12 nautical miles) of the coast, in no other country: the territorial sea."""
    assert codes("Kiribati", "1.3290,172.9790", {"tolerance-km": 0.5}) == []  # 3.7 km off the atoll
    assert codes("Maldives", "3.8278,73.3023") == []  # the platform's point, 13 km off the nearest atoll
    assert codes("Philippines", "11.7627,122.8747") == []  # 18 km off Panay
    assert codes("Maldives", "3.8,72.4") == ["ALP305"]  # 33 km out
    assert codes("France", "47.5596,7.5886", {"tolerance-km": 0.5}) == ["ALP305"]  # on land: no waters


def test_a_pair_repeated_for_two_places_in_one_country_is_one_mistake() -> None:
    form = parse(
        "\n".join(
            (
                "# T",
                "[[country:Fiji]]",
                "[[latlng:-17.4476,163.4079]]",
                "[[country:Fiji]]",
                "[[latlng:-17.4476,163.4079]]",
            )
        )
    )
    assert [(problem.code, problem.line) for problem in location.check(form, None, {})] == [("ALP305", 3)]


def test_rules_and_options() -> None:
    assert [rule.code for rule in location.RULES] == [f"ALP30{number}" for number in range(1, 8)]
    assert {rule.code for rule in location.RULES if rule.fixable} == {"ALP304", "ALP306"}
    assert all(rule.severity == "error" for rule in location.RULES)
    assert option_defaults(location.OPTIONS) == {"tolerance-km": 5.0}


def documented_examples() -> list[tuple[str, str, str]]:
    """(code, "Failing"/"Passing", form text) for every example in the family's docstring."""
    doc = location.__doc__ or ""
    examples = []
    for section in re.split(r"^(?=ALP\d{3} )", doc, flags=re.MULTILINE)[1:]:
        code = section.split()[0]
        for kind, body in re.findall(
            r"^(Failing|Passing) example::\n\n((?:    .*\n|\n)+)", section, re.MULTILINE
        ):
            examples.append((code, kind, textwrap.dedent(body).strip() + "\n"))
    return examples


def test_every_rule_is_documented_with_both_examples() -> None:
    documented = {(code, kind) for code, kind, _ in documented_examples()}
    for rule in location.RULES:
        assert (rule.code, "Failing") in documented
        assert (rule.code, "Passing") in documented
        assert re.search(rf"^{rule.code} {rule.name}$", location.__doc__ or "", re.MULTILINE)


@pytest.mark.parametrize(("code", "kind", "text"), documented_examples())
def test_documented_examples(code: str, kind: str, text: str) -> None:
    found = [problem.code for problem in one_per_mistake(list(location.check(parse(text), None, {})))]
    assert found == ([code] if kind == "Failing" else [])


def test_latlng_parted_from_its_country_is_one_problem() -> None:
    form = form_with("[[country:Guatemala]]", "[[gender:women]]", "[[latlng:14.6349,-90.5069]]")
    (problem,) = location.check(form, None, {})
    assert (problem.code, problem.line) == ("ALP307", 7)
    assert "line 5" in problem.message
    form = form_with("[[country:Mexico]]", "[[gender:women]]", "[[latlng:14.6349,-90.5069]]")
    assert [problem.code for problem in one_per_mistake(list(location.check(form, None, {})))] == [
        "ALP307",
        "ALP305",
    ]


def test_every_un_member_and_observer_passes_at_its_capital() -> None:
    names = un_member_names()
    failures = []
    for alpha3, capital, lat, lng in un_capitals():
        for name in (names[alpha3], pycountry.countries.get(alpha_3=alpha3).name):
            found = problems(name, f"{lat},{lng}")
            if found:
                failures.append((name, capital, [problem.message for problem in found]))
    assert failures == []


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["Mexico", "Fiji", "Russian Federation", "México", "Mexcio", ""]),
    st.one_of(
        st.text(alphabet="0123456789.,-+ e", max_size=20),
        st.tuples(st.floats(-200, 200), st.floats(-200, 200)).map(lambda pair: f"{pair[0]},{pair[1]}"),
    ),
)
def test_check_never_fails_and_reports_at_most_one_problem_per_tag(country: str, latlng: str) -> None:
    found = problems(country, latlng)
    assert len([problem for problem in found if problem.line == 5]) <= 1
    assert len([problem for problem in found if problem.line == 6]) <= 1


# --- one mistake, several true readings (the engine keeps the first enabled one) ---------------------


def test_a_swapped_pair_is_also_off_the_map_or_outside_the_country() -> None:
    assert [p.code for p in readings("Mexico", "-99.1332,19.4326")] == ["ALP304", "ALP302"]
    assert [p.code for p in readings("Ukraine", "30.5234,50.4501")] == ["ALP304", "ALP305"]
    assert [p.code for p in readings("Mexico", "0,0")] == ["ALP303", "ALP305"]
    found = readings("Mexico", "-99.1332,19.4326")
    assert len({p.mistake for p in found}) == 1 and found[0].mistake


@pytest.mark.parametrize(
    ("latlng", "expected"), [("-99.1332,19.4326", "ALP302"), ("30.5234,50.4501", "ALP305")]
)
def test_ignoring_the_swap_shows_the_next_true_problem(latlng: str, expected: str) -> None:
    from alplint.config import Config
    from alplint.engine import Linter

    country = "Mexico" if latlng.startswith("-99") else "Ukraine"
    head = ["# Street markets", "[[focal_point:ana@undp.org]]", "[[year:2024]]", "[[type:experiment]]"]
    text = "\n".join([*head, f"[[country:{country}]]", f"[[latlng:{latlng}]]", ""])
    assert [p.code for p in Linter(Config(ignore=("ALP304",))).lint_text(text).problems] == [expected]
    assert [p.code for p in Linter(Config()).lint_text(text).problems] == ["ALP304"]


def test_an_untidy_invalid_latlng_is_quoted_as_written() -> None:
    (problem,) = problems("Mexico", "14.08,")
    assert problem.code == "ALP301"
    assert '"14.08,"' in problem.message


@pytest.mark.parametrize("dash", ["\u2212", "\u2013", "\u2014"])
def test_a_dash_for_a_minus_sign_gets_a_hint(dash: str) -> None:
    (problem,) = problems("Peru", f"{dash}12.05,-77.04")
    assert problem.code == "ALP301"
    assert 'type it as "-"' in problem.message


# --- places the platform's map names, and its default points -------------------------------------


@pytest.mark.parametrize(
    ("place", "latlng"),
    [
        ("England", "52.59503045769926,-1.4586732624858259"),
        ("Republika Srpska", "44.72,17.31"),  # Banja Luka
        ("Federation of Bosnia and Herzegovina", "44.10007443169884,17.526503398660115"),
        ("Honshu", "36.65050296058927,137.97247128401963"),
        ("Trinidad", "10.4218594970143,-61.293936927870256"),
        ("Canary Islands", "28.1235,-15.4363"),  # Las Palmas
        ("Kurdistan Region", "36.10594753614394,44.50977226551533"),
        ("Timor Leste", "-8.5569,125.5603"),
        ("Guinea Bissau", "11.8636,-15.5977"),
        ("Democratic Republic of Congo", "-4.3217,15.3125"),
    ],
)
def test_places_and_spelling_variants_resolve_silently(place: str, latlng: str) -> None:
    assert problems(place, latlng) == []


def test_a_place_is_checked_against_its_country() -> None:
    (problem,) = problems("England", "48.8566,2.3522")  # Paris
    assert problem.code == "ALP305"
    assert "from the United Kingdom" in problem.message


def test_a_name_that_names_no_country_is_still_reported_without_a_far_fetched_guess() -> None:
    (problem,) = problems("Null Island", "0.1,0.1")
    assert problem.code == "ALP306"
    assert "did you mean" not in problem.message


@pytest.mark.parametrize(
    ("country", "latlng"),
    [
        ("Fiji", "-17.44756195212767,163.40786559316325"),
        ("Vietnam", "16.64218260604241,106.30093523600311"),
    ],
)
def test_the_platforms_default_point_is_named_as_such(country: str, latlng: str) -> None:
    (problem,) = problems(country, latlng)
    assert problem.code == "ALP305"
    assert "the platform's default point" in problem.message
    assert "not a pin of the author's" in problem.message


def test_an_authors_point_outside_the_country_is_not_called_the_platforms() -> None:
    (problem,) = problems("Fiji", "-17.5,163.5")
    assert problem.code == "ALP305"
    assert "platform" not in problem.message
