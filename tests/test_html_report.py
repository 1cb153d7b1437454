"""The HTML report: self-contained, escaped, faithful to the JSON report, and usable in a real browser.

The first tests read the page as text; those marked ``browser`` open it in
headless Chromium (``tests/chromium.py``) and use it as a person would:
they read what is shown, choose filters, type a search, press keys and
click, and watch the console and the network.  They are skipped when no
Chromium is installed (``.ci/run`` installs Debian's).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alplint.cli import main
from alplint.engine import Linter
from alplint.i18n import Message, format_number
from alplint.problem import Edit, Fix, Problem
from alplint.report import FORMATS, get_reporter
from alplint.report.html_format import (
    ASSETS,
    _shown_lines,
    fix_preview,
    labels,
    render,
    rule_help,
    script_json,
)
from alplint.report.world_map import WIDTH, project, world
from tests.chromium import BrowserError, Chromium, find_chromium
from tests.conftest import ROOT, SEED_FILES, report_of

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "sdg-commons" / "pages"

# A form whose title and answers hold markup: the page must show these characters, run none of them.
INJECTED = """\
# <script>alert(1)</script> <img src=x onerror=alert(1)>
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Fiji]]
[[latlng:-17.4475,163.4078]]

## Title

> What did you learn?

</script><script>alert(2)</script> Tom &amp;amp; Jerry <img src=x onerror=alert(3)>

[click](javascript:alert(4))
"""
INJECTED_TITLE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"

# Where a form is, its lines: the map must draw it.
LOCATED = """\
# Rangeland monitoring
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Mongolia]]
[[latlng:47.92,106.92]]
"""


def _page_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="alplint-data">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    data: dict[str, Any] = json.loads(match[1])
    return data


@pytest.fixture(scope="module")
def injected_page(linter: Linter) -> str:
    return render(report_of([linter.lint_text(INJECTED, "forms/inject.md")], linter))


# ---- The page as text ------------------------------------------------------------------------


def test_html_is_a_registered_format() -> None:
    assert "html" in FORMATS
    assert get_reporter("html") is render


def test_an_empty_run_still_makes_a_page(linter: Linter) -> None:
    page = render(report_of([], linter))
    data = _page_data(page)
    assert data["forms"] == [] and data["points"] == []
    assert "No problems to chart." in page
    assert page.count('class="declared"') == 0


def test_a_form_that_could_not_be_read_shows_its_path(linter: Linter) -> None:
    result = linter.lint_bytes(b"# T\n\xff\xfe\x00broken", "forms/broken.md")
    data = _page_data(render(report_of([result], linter)))
    (form,) = data["forms"]
    assert (form["p"], form["t"], form["x"]) == ("forms/broken.md", "", [])
    assert [data["rules"][problem[0]]["code"] for problem in form["q"]] == ["ALP101"]


def test_notes_are_counted_on_the_page(linter: Linter) -> None:
    result = linter.lint_text(LOCATED, "forms/a.md")
    result.notes.update({"ALP601": 3})
    page = render(report_of([result], linter))
    assert "Counted, not listed" in page
    assert "<li><code>ALP601</code> image-alt-text: 3 in 1 form</li>" in page


def test_template_version_is_shown_when_results_carry_it(linter: Linter) -> None:
    plain = linter.lint_text(LOCATED, "forms/a.md")
    assert plain.version is None  # an experiment of its authors' own template
    versioned = dataclasses.replace(plain, version="2024")
    forms = _page_data(render(report_of([plain, versioned], linter)))["forms"]
    assert "v" not in forms[0]
    assert forms[1]["v"] == "2024"


def test_script_json_cannot_close_the_script_element() -> None:
    value = {"text": "</script><!-- <script> & \u2028\u2029 \\</script>"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_form_content_is_only_data(injected_page: str) -> None:
    markup, data_and_script = injected_page.split('<script type="application/json" id="alplint-data">')
    data_text, script = data_and_script.split("</script>", 1)
    # Nothing of the form is in the markup; in the data, no character can open or close an element.
    for written in ("alert", "onerror", "javascript:", "Jerry"):
        assert written not in markup
    assert not set("<>&") & set(data_text)
    assert script.count("<script") == 1 and script.count("</script>") == 1
    data = _page_data(injected_page)
    (form,) = data["forms"]
    assert form["t"] == INJECTED_TITLE
    lines = {number: text for number, text, *_ in form["x"]}
    assert lines[12] == "</script><script>alert(2)</script> Tom &amp;amp; Jerry <img src=x onerror=alert(3)>"
    assert lines[14] == "[click](javascript:alert(4))"


def test_page_fetches_nothing_and_runs_only_its_own_code(injected_page: str) -> None:
    markup = injected_page.split('<script type="application/json"')[0]
    assert not re.search(r"\s(src|srcset|poster|data)=", markup)
    assert "<link" not in markup and "@import" not in markup and "url(" not in markup
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', injected_page)
    assert policy is not None
    assert "default-src 'none'" in policy[1]
    assert "unsafe-inline" not in policy[1]


def test_script_never_builds_markup_from_text() -> None:
    script = (ASSETS / "report.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script
    # Links come only from the page's own markup, never from data.
    assert "href" not in script.replace('getAttribute("href")', "").replace("a[href^='#']", "")


def test_every_label_is_translatable_and_used() -> None:
    page_labels = labels()
    assert all(isinstance(text, Message) for text in page_labels.values())
    source = (ASSETS / "report.js").read_text(encoding="utf-8") + Path(render.__code__.co_filename).read_text(
        encoding="utf-8"
    )
    used = set(re.findall(r"\bL\.(\w+)", source)) | set(re.findall(r"label\[[\"'](\w+)[\"']\]", source))
    assert used <= set(page_labels), used - set(page_labels)
    assert set(page_labels) <= used, set(page_labels) - used


def test_script_holds_no_english_of_its_own() -> None:
    script = (ASSETS / "report.js").read_text(encoding="utf-8")
    code = re.sub(r"//.*", "", script)
    strings = re.findall(r'"([^"\\]*)"', code)
    # Class names, element names, keys, selectors and symbols; no sentence of words.
    assert not [text for text in strings if re.search(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+", text)]


def test_shown_lines_cut_long_lines_around_the_span_in_utf16_units() -> None:
    line = "😀" + "a" * 500 + "BAD" + "b" * 500
    problem = Problem("f.md", 3, 503, 3, 506, "ALP603", "warning", "m")
    (shown,) = (entry for entry in _shown_lines([problem], {3: line}) if entry[0] == 3)
    _, pieces, length = shown
    assert length == len(line) + 1  # the emoji is two UTF-16 units
    assert isinstance(pieces, list) and len(pieces) == 1
    offset, text = pieces[0]
    assert "BAD" in text
    assert offset == 502 - 80 + 1
    assert len(text) == 163


def test_shown_lines_keep_short_lines_whole_and_skip_the_middle_of_long_spans() -> None:
    excerpt = {number: f"line {number}" for number in range(1, 40)}
    problem = Problem("f.md", 5, 1, 30, 3, "ALP104", "error", "m")
    numbers = [entry[0] for entry in _shown_lines([problem], excerpt)]
    assert numbers == [3, 4, 5, 6, 7, 28, 29, 30, 31, 32]
    assert _shown_lines([problem], excerpt)[0] == [3, "line 3"]


def test_fix_preview_shows_the_changed_lines() -> None:
    fix = Fix('Write "&"', "safe", (Edit(2, 5, 2, 10, "&"),))
    assert fix_preview(fix, {1: "# T", 2: "Tom &amp; Jerry", 3: ""}) == (["Tom &amp; Jerry"], ["Tom & Jerry"])


def test_fix_preview_of_a_deleted_line_is_empty_after() -> None:
    fix = Fix("Delete the repeated tag", "safe", (Edit.delete_line(3),))
    excerpt = {1: "# T", 2: "[[sdgs:1]]", 3: "[[sdgs:1]]", 4: "", 5: "> Q"}
    assert fix_preview(fix, excerpt) == (["[[sdgs:1]]"], [])


def test_fix_preview_cuts_a_long_line_around_the_change() -> None:
    line = "x" * 400 + "&amp;" + "y" * 400
    fix = Fix('Write "&"', "safe", (Edit(1, 401, 1, 406, "&"),))
    preview = fix_preview(fix, {1: line})
    assert preview is not None
    (before,), (after,) = preview
    # Cut from 80 characters before the first that differs (the "a" after the shared "&").
    assert before == "…" + "x" * 79 + "&amp;" + "y" * 80 + "…"
    assert after == "…" + "x" * 79 + "&" + "y" * 80 + "…"


def test_fix_preview_needs_every_line_it_changes() -> None:
    fix = Fix("Swap", "unsafe", (Edit(7, 1, 7, 4, "abc"),))
    assert fix_preview(fix, {6: "x"}) is None


def test_rule_help_splits_explanation_and_examples() -> None:
    explanation, examples = rule_help(
        "ALP203 empty-tag\n    ``[[key:]]`` says nothing.\n    Fill it in.\n\nFailing example::\n\n"
        "    # T\n    [[sdgs:]]\n\nPassing example::\n\n    # T\n"
    )
    assert explanation == "``[[key:]]`` says nothing. Fill it in."
    assert examples == [["Failing example", "# T\n[[sdgs:]]"], ["Passing example", "# T"]]


def test_every_rule_of_the_catalogue_has_examples_on_the_page(linter: Linter) -> None:
    for code, text in linter.catalog.help.items():
        explanation, examples = rule_help(text)
        assert explanation and len(examples) == 2, code


def test_outside_point_carries_the_problems_message(injected_page: str) -> None:
    data = _page_data(injected_page)
    (form,) = data["forms"]
    ((point, country, message),) = form["l"]
    assert data["countries"][country] == "Fiji"
    assert "about 1,300 km from Fiji" in data["strings"][message]
    x, y, lat, lng = data["points"][point]
    assert (lat, lng) == (-17.4475, 163.4078)
    assert (x, y) == tuple(round(value, 1) for value in project(lat, lng))


def test_declared_country_is_outlined(injected_page: str) -> None:
    assert injected_page.count('class="declared"') == 1


def test_projection_and_world() -> None:
    assert project(0, 0) == (WIDTH / 2, 0)
    west, _ = project(0, -180)
    east, _ = project(0, 180)
    assert west == pytest.approx(0, abs=0.01) and east == pytest.approx(WIDTH, abs=0.01)
    assert project(60, 0)[1] < 0 < project(-30, 0)[1]
    shapes = world()
    assert {"MNG", "FJI", "ZMB", "MEX"} <= set(shapes.paths)
    assert "ATA" not in shapes.paths
    # The whole world stays a small part of the page.
    assert sum(len(path) for path in shapes.paths.values()) < 300_000


def _luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4 for value in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Text colour on background, as the style sheet uses them.
CONTRAST_PAIRS = [
    ("text", "background"),
    ("text", "panel"),
    ("muted", "background"),
    ("muted", "panel"),
    ("link", "background"),
    ("link", "panel"),
    ("error", "background"),
    ("error", "panel"),
    ("warning", "background"),
    ("warning", "panel"),
    ("error-text", "error"),
    ("warning-text", "warning"),
    ("text", "mark"),
]


def test_colours_have_enough_contrast() -> None:
    style = (ASSETS / "report.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", style))
    for foreground, background in CONTRAST_PAIRS:
        ratio = _contrast(colours[foreground], colours[background])
        assert ratio >= 4.5, (foreground, background, round(ratio, 2))
    # Graphics (bars, dots, focus ring) stand out at 3:1 from what surrounds them.
    for graphic, background in [("warning-fill", "background"), ("focus", "background"), ("outside", "land")]:
        assert _contrast(colours[graphic], colours[background]) >= 3, graphic


# ---- The page in Chromium --------------------------------------------------------------------

chromium_path = find_chromium()
browser = pytest.mark.skipif(chromium_path is None, reason="no chromium to open the page in")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds and two written forms, reported as HTML and as JSON by the command line."""
    folder = tmp_path_factory.mktemp("forms")
    for seed in SEED_FILES:
        shutil.copy(seed, folder / seed.name)
    (folder / "inject.md").write_text(INJECTED, encoding="utf-8")
    (folder / "rangeland.md").write_text(LOCATED, encoding="utf-8")
    output = tmp_path_factory.mktemp("report")
    html_path, json_path = output / "report.html", output / "report.json"
    for output_format, path in (("html", html_path), ("json", json_path)):
        main(["--format", output_format, "--output-file", str(path), "--exit-zero", str(folder)])
    report = json.loads(json_path.read_text(encoding="utf-8"))
    return {"html": html_path, "json": report}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    if chromium_path is None:
        pytest.skip("no chromium to open the page in")
    with Chromium(chromium_path) as opened:
        yield opened


_opened = 0


def _open(chromium: Chromium, path: Path, fragment: str = "") -> None:
    """Load the page afresh (a new query each time, so a fragment never just scrolls)."""
    global _opened
    _opened += 1
    chromium.open(f"{path.as_uri()}?visit={_opened}{fragment}")
    chromium.wait_until("document.documentElement.dataset.ready")


def _shown(chromium: Chromium) -> dict[str, Any]:
    """What the page shows now: forms, problems by severity, the status line, the fragment."""
    chromium.evaluate(
        "(() => { const more = document.getElementById('more'); while (!more.hidden) more.click(); })()"
    )
    shown: dict[str, Any] = chromium.evaluate(
        """({
        forms: Array.from(document.querySelectorAll('article.form h3'), (h) => h.textContent),
        errors: document.querySelectorAll('li.problem.error').length,
        warnings: document.querySelectorAll('li.problem.warning').length,
        codes: Array.from(document.querySelectorAll('li.problem code.code'), (c) => c.textContent),
        status: document.getElementById('status').textContent,
        fragment: location.hash,
    })"""
    )
    return shown


@pytest.mark.browser
@browser
def test_page_opens_without_errors_or_requests(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    assert chromium.console_errors() == []
    requested = chromium.requests()
    assert len(requested) == 1 and requested[0].startswith(pages["html"].as_uri())


@pytest.mark.browser
@browser
def test_counts_equal_the_jsonreport_of(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    summary = pages["json"]["summary"]
    cards = chromium.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('dd[data-count]'),"
        " (d) => [d.dataset.count, Number(d.textContent.replace(/,/g, ''))]))"
    )
    assert cards == {key: summary[key] for key in ("forms", "errors", "warnings", "fixable")}
    shown = _shown(chromium)
    assert shown["errors"] == summary["errors"] and shown["warnings"] == summary["warnings"]
    forms = len(pages["json"]["files"])
    assert shown["status"] == (
        f"Forms shown: {forms} of {forms}; problems shown: {summary['errors'] + summary['warnings']}"
    )
    expected_codes = sorted(
        problem["code"] for file in pages["json"]["files"] for problem in file["problems"]
    )
    assert sorted(shown["codes"]) == expected_codes


@pytest.mark.browser
@browser
def test_filters_and_search(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    summary = pages["json"]["summary"]
    chromium.evaluate(
        "(() => { const s = document.getElementById('filter-severity'); s.focus(); s.value = 'warning';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    chromium.wait_until("location.hash === '#severity=warning'")
    shown = _shown(chromium)
    assert (shown["errors"], shown["warnings"]) == (0, summary["warnings"])

    chromium.click("#filter-q")
    chromium.type_text("rangeland monitoring")
    chromium.wait_until("location.hash.includes('q=')", timeout=5)
    shown = _shown(chromium)
    assert shown["forms"] == ["AI powered rangeland monitoring, reporting and verification system"]
    assert shown["fragment"] == "#severity=warning&q=rangeland+monitoring"

    chromium.click("#filter-clear")
    chromium.wait_until("location.hash === ''")
    assert len(_shown(chromium)["forms"]) == len(pages["json"]["files"])


@pytest.mark.browser
@browser
def test_a_shared_link_opens_filtered(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"], "#rule=ALP305&country=Fiji")
    shown = _shown(chromium)
    assert shown["forms"] == [INJECTED_TITLE]
    assert shown["codes"] == ["ALP305"]
    controls = chromium.evaluate(
        "[document.getElementById('filter-rule').value, document.getElementById('filter-country').value]"
    )
    assert controls == ["ALP305", "Fiji"]


@pytest.mark.browser
@browser
def test_chart_bar_filters_by_its_rule(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    chromium.click("a[data-filter='rule'][data-value='ALP207']")
    chromium.wait_until("location.hash === '#rule=ALP207'")
    shown = _shown(chromium)
    assert set(shown["codes"]) == {"ALP207"}
    assert len(shown["codes"]) == sum(
        problem["code"] == "ALP207" for file in pages["json"]["files"] for problem in file["problems"]
    )


@pytest.mark.browser
@browser
def test_injected_markup_shows_as_text(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"], "#country=Fiji")
    page = chromium.evaluate(
        """({
        title: document.querySelector('article.form h3').textContent,
        source: Array.from(document.querySelectorAll('article.form pre.source'), (p) => p.textContent).join('\\n'),
        after: Array.from(document.querySelectorAll('.fix pre.after'), (p) => p.textContent).join('\\n'),
        scripts: document.scripts.length,
        images: document.images.length,
        links: Array.from(document.links, (a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
    })"""
    )
    assert page["title"] == INJECTED_TITLE
    assert (
        "</script><script>alert(2)</script> Tom &amp;amp; Jerry <img src=x onerror=alert(3)>"
        in page["source"]
    )
    assert "[click](javascript:alert(4))" in page["source"]
    assert "Tom &amp; Jerry <img src=x onerror=alert(3)>" in page["after"]
    assert (page["scripts"], page["images"], page["links"]) == (2, 0, [])
    assert chromium.console_errors() == []


@pytest.mark.browser
@browser
def test_map_draws_every_located_form(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    points = chromium.evaluate(
        "Array.from(document.querySelectorAll('#map-points circle'),"
        " (c) => [Number(c.dataset.forms), c.classList.contains('outside'), c.getAttribute('aria-label')])"
    )
    # Every form here gives one location: the three seeds, the Fiji form and the Mongolian one.
    assert sum(forms for forms, _, _ in points) == len(pages["json"]["files"]) == 5
    outside = [label for _, is_outside, label in points if is_outside]
    assert len(outside) == 1 and "about 1,300 km from Fiji" in outside[0]
    rows = chromium.evaluate(
        "Array.from(document.querySelectorAll('table.outside tbody tr'), (r) => r.cells[0].textContent)"
    )
    assert rows == ["Fiji"]


@pytest.mark.browser
@browser
def test_keyboard_reaches_the_forms_and_the_map(chromium: Chromium, pages: dict[str, Any]) -> None:
    _open(chromium, pages["html"])
    chromium.press("Tab", "Tab", 9)
    assert chromium.evaluate("document.activeElement.className") == "skip"
    assert chromium.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    chromium.press("Enter", "Enter", 13, "\r")
    assert chromium.evaluate("document.activeElement.id") == "forms"
    chromium.evaluate("document.querySelector('#map-points circle.outside').focus()")
    chromium.press("Enter", "Enter", 13, "\r")
    chromium.wait_until("location.hash === '#country=Fiji'")
    assert _shown(chromium)["forms"] == [INJECTED_TITLE]


@pytest.mark.browser
@browser
def test_forms_render_a_page_at_a_time_and_all_for_print(
    chromium: Chromium, linter: Linter, tmp_path: Path
) -> None:
    results = [
        linter.lint_text(LOCATED.replace("Rangeland", f"Rangeland {n}"), f"f{n}.md") for n in range(60)
    ]
    path = tmp_path / "many.html"
    path.write_text(render(report_of(results, linter)), encoding="utf-8")
    _open(chromium, path)
    assert chromium.evaluate("document.querySelectorAll('article.form').length") < 60
    chromium.send("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert chromium.evaluate("getComputedStyle(document.getElementById('filters')).display") == "none"
    finally:
        chromium.send("Emulation.setEmulatedMedia", session=True, media="")
    assert len(chromium.send("Page.printToPDF", session=True)["data"]) > 1000
    assert chromium.evaluate("document.querySelectorAll('article.form').length") == 60


@pytest.mark.browser
@browser
def test_a_french_page_speaks_french_and_writes_numbers_the_french_way(
    chromium: Chromium, linter: Linter, tmp_path: Path
) -> None:
    # Enough undescribed images in an answer for counts in the thousands, written by Python (the cards)
    # and by the script (the status line) alike.
    solution = SEED_FILES[2].read_text(encoding="utf-8").rstrip("\n") + "\n"
    images = solution + "".join(f"\n![](https://example.org/{n}.png)\n" for n in range(1100))
    results = [linter.lint_text(images, "images.md"), *(linter.lint_file(str(seed)) for seed in SEED_FILES)]
    report = dataclasses.replace(report_of(results, linter), language="fr")
    path = tmp_path / "fr.html"
    path.write_text(render(report), encoding="utf-8")
    _open(chromium, path)
    assert chromium.console_errors() == []
    assert chromium.evaluate("document.documentElement.lang") == "fr"
    warnings = report.summary.warnings
    assert warnings > 1000
    card = chromium.evaluate("document.querySelector('dd[data-count=warnings]').textContent")
    assert card == format_number(warnings, "fr") and "\u202f" in card
    problems = warnings + report.summary.errors
    assert chromium.evaluate("document.getElementById('status').textContent") == (
        f"Formulaires affichés\u00a0: 4 sur 4\u202f; problèmes affichés\u00a0: {format_number(problems, 'fr')}"
    )
    options = chromium.evaluate(
        "Array.from(document.querySelectorAll('#filter-severity option'), (o) => o.text)"
    )
    assert options == ["Tous", "Erreur", "Avertissement"]
    badges = set(
        chromium.evaluate("Array.from(document.querySelectorAll('li.problem .badge'), (b) => b.textContent)")
    )
    assert badges <= {"Erreur", "Avertissement"} and badges
    shown_text = chromium.evaluate("document.body.innerText")
    assert "Les pourcentages du cycle d'apprentissage" in shown_text
    assert "Exemple fautif" in shown_text or "Exemple fautif" in chromium.evaluate(
        "Array.from(document.querySelectorAll('details.rule-help figcaption'), (f) => f.textContent).join()"
    )
    english = {str(text) for text in labels().values() if "{" not in text and len(str(text).split()) > 1}
    assert not [text for text in english if text in shown_text]


@pytest.mark.integration
@pytest.mark.browser
@browser
@pytest.mark.skipif(not ARCHIVE.is_dir(), reason="the SDG Commons archive is not beside the repository")
def test_archive_report_is_small_and_quick(
    chromium: Chromium, linter: Linter, tmp_path_factory: pytest.TempPathFactory
) -> None:
    results = [result for result in linter.lint_paths([str(ARCHIVE)]) if result.is_form]
    report = report_of(results, linter)
    page = render(report)
    path = tmp_path_factory.mktemp("archive") / "archive.html"
    path.write_text(page, encoding="utf-8")
    size = path.stat().st_size
    assert size < 30_000_000, size
    started = time.monotonic()
    _open(chromium, path)
    seconds = time.monotonic() - started
    ready = chromium.evaluate("Number(document.documentElement.dataset.ready)")
    assert ready < 5000 and seconds < 10, (ready, seconds)
    assert chromium.console_errors() == []
    summary = report.summary
    cards = chromium.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('dd[data-count]'),"
        " (d) => [d.dataset.count, Number(d.textContent.replace(/,/g, ''))]))"
    )
    assert cards["forms"] == summary.forms and cards["errors"] == summary.errors
    problems = summary.errors + summary.warnings
    assert chromium.evaluate("document.getElementById('status').textContent") == (
        f"Forms shown: {len(results):,} of {len(results):,}; problems shown: {problems:,}"
    )


def test_browser_helper_reports_a_missing_browser() -> None:
    with pytest.raises(BrowserError):
        Chromium("/nonexistent/chromium-for-alplint-tests")


@pytest.mark.integration
def test_wheel_carries_the_page_assets(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("alplint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"alplint/report/html/report.css", "alplint/report/html/report.js"} <= names
