"""alplint in English, Spanish and French, as a person runs it: --lang, lang, the environment."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from alplint.cli import main
from alplint.draft import find_template, render_draft
from alplint.engine import Linter
from alplint.i18n import Message, translate
from alplint.schema import SchemaSet
from tests.conftest import SEED_FILES, SEEDS

Capture = pytest.CaptureFixture[str]

# Words of English that are no words of Spanish or French: none may be left in a translated line once
# what the form says (in quotes), the rule's name and the file's path are taken out.
ENGLISH_WORDS = {
    "the", "is", "are", "was", "not", "and", "with", "of", "has", "have", "it", "its", "this", "that",
    "be", "by", "for", "from", "to", "or", "which", "will", "should", "must", "instead", "write",
    "file", "files", "form", "forms", "checked", "found", "fixable", "errors", "warning",
    "warnings", "problem", "problems", "missing", "answer", "answers", "learning", "platform", "drops",
    "check", "them", "see", "readers", "show", "holds", "link", "draft", "hand", "under",
    "title", "percentages", "exports", "skipped", "counted", "listed",
}  # fmt: skip


def _english_words(line: str) -> set[str]:
    text = re.sub(r"^\S+:\d+:\d+:", " ", line)  # the place, first: a path may hold words and hyphens
    text = re.sub(r'"[^"]*"', " ", text)  # values quoted as the form has them
    text = re.sub(r"\b[a-z]+(-[a-z]+)+\b", " ", text)  # rule names
    text = re.sub(r"--[a-z-]+", " ", text)  # options
    return {word for word in re.findall(r"[a-z]+", text.lower())} & ENGLISH_WORDS


def _run(capsys: Capture, *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _translatable_lines(output: str) -> tuple[list[str], list[str]]:
    """The problem lines whose message a rule writes with _() (known by running the linter), and the rest."""
    linter = Linter()
    translatable_codes = {
        problem.code
        for seed in SEED_FILES
        for problem in linter.lint_file(str(seed)).problems
        if isinstance(problem.message, Message)
    }
    problems = [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    chosen = [line for line in problems if line.split()[2] in translatable_codes]
    return chosen, [line for line in output.splitlines() if line not in problems]


SEVERITIES = {
    "es": {"error": "error", "warning": "advertencia"},
    "fr": {"error": "erreur", "warning": "avertissement"},
}
CHECKED = {
    "es": "Se revisaron 3 archivos (3 formularios): ",
    "fr": "3 fichiers vérifiés (3 formulaires)\u00a0: ",
}
WARNINGS = {"es": "{} advertencias", "fr": "{} avertissements"}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_run_of_the_seeds_speaks_spanish_and_french(capsys: Capture, language: str) -> None:
    _status, english, _err = _run(capsys, "--format", "json", str(SEEDS))
    document = json.loads(english)
    severities = [problem["severity"] for entry in document["files"] for problem in entry["problems"]]
    status, output, _err = _run(capsys, "--lang", language, str(SEEDS))
    assert status == 0
    summary = output.splitlines()[-1]  # the verdict comes last, after what was counted but not listed
    assert summary.startswith(CHECKED[language])
    assert WARNINGS[language].format(document["summary"]["warnings"]) in summary
    problems = [line for line in output.splitlines() if re.match(r"^\S+:\d+:\d+: ", line)]
    assert [line.split()[1] for line in problems] == [
        SEVERITIES[language][severity] for severity in severities
    ]
    translated, rest = _translatable_lines(output)
    assert {line.split()[2] for line in translated} >= {"ALP407", "ALP504"}
    for line in translated + rest:
        assert not _english_words(line), line


def test_the_english_word_check_finds_english() -> None:
    assert _english_words(
        'seeds/a.md:3:1: advertencia ALP601 This image\'s description is "Missing alt text" (image-alt-text)'
    ) == {"this", "is"}
    assert not _english_words(
        "/check/the/learningplan-opening-2025.md:19:18: advertencia ALP207 El valor (untidy-tag-value)"
    )
    assert not _english_words(
        'seeds/a.md:3:1: advertencia ALP504 Los porcentajes (Sense, Explore) no están en "the form" (cycle-not-exported)'
    )


def test_every_problem_of_the_seeds_is_translatable() -> None:
    linter = Linter()
    plain = sorted(
        {
            problem.code
            for seed in SEED_FILES
            for problem in linter.lint_file(str(seed)).problems
            if not isinstance(problem.message, Message)
        }
    )
    assert not plain, f"messages written without _(): {plain}"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANGUAGE": "", "LANG": "es_MX.UTF-8"}, "Se revisaron 3 archivos"),
        ({"LANGUAGE": "de:fr", "LANG": "es_ES.UTF-8"}, "3 fichiers vérifiés"),
        ({"LANGUAGE": "", "LC_ALL": "fr_BE.UTF-8", "LANG": "es_ES.UTF-8"}, "3 fichiers vérifiés"),
        ({"LANGUAGE": "", "LANG": "pt_BR.UTF-8"}, "Checked 3 files"),
        ({"LANGUAGE": "", "LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "Checked 3 files"),
    ],
)
def test_the_environment_chooses_the_language_of_text(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    _status, output, _err = _run(capsys, str(SEEDS))
    assert output.splitlines()[-1].startswith(expected)


def test_lang_wins_over_the_environment(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "fr")
    _status, output, _err = _run(capsys, "--lang", "en", str(SEEDS))
    assert output.splitlines()[-1].startswith("Checked 3 files")


def _messages(document: dict[str, Any]) -> list[str]:
    return [problem["message"] for entry in document["files"] for problem in entry["problems"]]


def test_json_stays_english_whatever_the_environment(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _status, english, _err = _run(capsys, "--format", "json", str(SEEDS))
    monkeypatch.setenv("LANGUAGE", "fr")
    _status, with_french_environment, _err = _run(capsys, "--format", "json", str(SEEDS))
    assert with_french_environment == english


def test_json_message_follows_lang_only_when_asked(capsys: Capture) -> None:
    _status, english, _err = _run(capsys, "--format", "json", str(SEEDS))
    _status, spanish, _err = _run(capsys, "--format", "json", "--lang", "es", str(SEEDS))
    english_document, spanish_document = json.loads(english), json.loads(spanish)
    # Codes, names, places, fields and the summary never change; only the message does.
    for document in (english_document, spanish_document):
        for entry in document["files"]:
            for problem in entry["problems"]:
                problem.pop("message")
    assert spanish_document == english_document
    translated = [
        message
        for message in _messages(json.loads(spanish))
        if message.startswith(("Los porcentajes", "Las respuestas"))
    ]
    assert len(translated) == 2


@pytest.mark.parametrize("output_format", ["sarif", "github", "junit"])
def test_other_machine_formats_stay_english_unless_asked(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    monkeypatch.setenv("LANGUAGE", "es")
    _status, environment_only, _err = _run(capsys, "--format", output_format, str(SEEDS))
    assert "learning-cycle percentages" in environment_only and "ciclo de aprendizaje" not in environment_only
    _status, asked, _err = _run(capsys, "--format", output_format, "--lang", "es", str(SEEDS))
    assert "Los porcentajes del ciclo de aprendizaje" in asked
    assert "ALP504" in asked and "cycle-not-exported" in asked


def test_configuration_lang(capsys: Capture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".alplint.yaml").write_text("lang: fr\n", encoding="utf-8")
    form = tmp_path / "form.md"
    form.write_bytes(SEED_FILES[0].read_bytes())
    monkeypatch.chdir(tmp_path)
    _status, output, _err = _run(capsys, "form.md")
    assert output.splitlines()[-1].startswith("1 fichier vérifié (1 formulaire)")
    _status, output, _err = _run(capsys, "--lang", "es", "form.md")
    assert output.splitlines()[-1].startswith("Se revisó 1 archivo (1 formulario)")
    # The configuration asks for French: JSON messages follow it too.
    _status, output, _err = _run(capsys, "--format", "json", "form.md")
    assert any(message.startswith("Les pourcentages") for message in _messages(json.loads(output)))


def test_an_unknown_configuration_lang_is_named(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".alplint.yaml").write_text("lang: de\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, _out, err = _run(capsys, ".")
    assert status == 2
    assert err.strip() == (
        'alplint: .alplint.yaml lang: the text "de" is not a language alplint speaks; expected "en", "es" or "fr"'
    )


@pytest.mark.parametrize(
    ("arguments", "environment", "error"),
    [
        (["--lang", "es", "nowhere.md"], "", "alplint: no existe el archivo o la carpeta: nowhere.md"),
        (["nowhere.md"], "fr", "alplint: fichier ou dossier introuvable\u00a0: nowhere.md"),
        (["--lang=fr", "--frobnicate"], "", "alplint: option ou argument inconnu\u00a0: --frobnicate (voir alplint --help)"),
        (
            ["--format", "yaml"],
            "es",
            "alplint: --format: 'yaml' no es un valor posible; los valores posibles son "
            "'text', 'json', 'sarif', 'github', 'junit', 'html' (consulte alplint --help)",
        ),
        (["--explain"], "es", "alplint: --explain necesita un valor (consulte alplint --help)"),
        (["--lang", "de", "x.md"], "", "alplint: --lang: 'de' is not one of 'en', 'es', 'fr' (see alplint --help)"),
    ],
)  # fmt: skip
def test_usage_errors_speak_the_language(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, arguments: list[str], environment: str, error: str
) -> None:
    monkeypatch.setenv("LANGUAGE", environment)
    status, _out, err = _run(capsys, *arguments)
    assert status == 2
    assert err.strip() == error


def test_explain_translates_the_explanation_not_the_examples(capsys: Capture) -> None:
    _status, english, _err = _run(capsys, "--explain", "ALP301")
    _status, spanish, _err = _run(capsys, "--lang", "es", "--explain", "ALP301")
    assert spanish.startswith(
        "ALP301 invalid-latlng (error)\n    ``latlng`` debe ser dos números decimales, primero la latitud y luego la\n"
    )
    assert "\nEjemplo incorrecto::\n" in spanish and "\nEjemplo correcto::\n" in spanish
    assert (
        english.split("Failing example::")[1].replace("Passing example::", "Ejemplo correcto::")
        == (spanish.split("Ejemplo incorrecto::")[1])
    )
    _status, french, _err = _run(capsys, "--lang", "fr", "--explain", "ALP207")
    assert french.startswith(
        "ALP207 untidy-tag-value (avertissement, correction sûre\u00a0: corrigeable avec --fix)\n    Des espaces"
    )


def test_list_rules_in_french_and_json_keys_in_english(capsys: Capture) -> None:
    _status, french, _err = _run(capsys, "--lang", "fr", "--list-rules")
    first = french.splitlines()[0].split()
    assert first[:3] == ["ALP101", "unreadable-file", "erreur"]
    assert french.splitlines()[0].endswith("Le fichier ne peut pas être lu comme du texte")
    _status, listed, _err = _run(capsys, "--lang", "fr", "--list-rules", "--format", "json")
    entry = json.loads(listed)[0]
    assert (
        entry["severity"] == "error" and entry["summary"] == "Le fichier ne peut pas être lu comme du texte"
    )


_PLACES = """# Markets
[[focal_point:ana@undp.org]]
[[year:2024]]
[[type:experiment]]
[[country:Philippines]]
[[latlng:35.68,139.69]]
[[country:Nigera]]
[[latlng:9.06,7.49]]
"""


@pytest.mark.parametrize(
    ("language", "outside", "unknown"),
    [
        ("en", "is in Japan, about 2,400 km from the Philippines, the country declared",
         'did you mean "Nigeria" or "Niger"?'),
        ("es", "está en Japan, a unos 2400 km del país indicado, Philippines", '¿quiso decir "Nigeria" o "Niger"?'),
        ("fr", "se trouve dans un autre pays (Japan), à environ 2\u202f400 km du pays indiqué, Philippines",
         'vouliez-vous dire "Nigeria" ou "Niger"\u202f?'),
    ],
)  # fmt: skip
def test_places_in_messages_read_in_each_language(language: str, outside: str, unknown: str) -> None:
    # Country names stay in English, but the words around them do not: no English "the", "and" or
    # "or", and kilometres grouped the reader's way (Spanish "1,500" would read as one and a half).
    messages = {
        problem.code: translate(problem.message, language)
        for problem in Linter().lint_text(_PLACES, "places.md").problems
    }
    assert outside in messages["ALP305"]
    assert messages["ALP306"].endswith(unknown)


@pytest.mark.parametrize(
    ("language", "line"),
    [("es", "alplint registró 3 problemas de 1 formulario en "), ("fr", "alplint a enregistré 3 problèmes de 1 formulaire dans ")],
)  # fmt: skip
def test_write_baseline_speaks_the_language(
    capsys: Capture, tmp_path: Path, language: str, line: str
) -> None:
    form = SEEDS / "learningplan-opening-2025-mongolia.md"  # 3 problems
    _status, output, _err = _run(
        capsys, "--lang", language, "--write-baseline", str(tmp_path / "b.json"), str(form)
    )
    assert output.startswith(line), output


def test_statistics_in_spanish(capsys: Capture) -> None:
    _status, output, _err = _run(capsys, "--lang", "es", "--statistics", str(SEEDS))
    assert output.startswith("Problemas por regla:\n  problemas  formularios  regla\n")
    assert "learningplan-opening, versión 2" in output
    assert re.fullmatch(r"\d+ problemas en \d de 3 formularios\.", output.splitlines()[-1])


def test_new_draft_in_french_lints_like_the_english_one(capsys: Capture) -> None:
    template = find_template(SchemaSet.load(()), "learningplan-opening")
    english, french = render_draft(template), render_draft(template, "fr")
    assert french.startswith("# Écrivez le titre ici\n<!-- alplint-draft -->\n")
    assert "<!-- Choisissez" in french and "<!-- Choose" not in french
    linter = Linter()
    codes = [
        [problem.code for problem in linter.lint_text(text, "draft.md").problems]
        for text in (english, french)
    ]
    assert codes[0] == codes[1]
    _status, output, _err = _run(capsys, "--lang", "fr", "--new", "learningplan-opening")
    assert output == french


def test_html_report_in_french(capsys: Capture) -> None:
    _status, page, _err = _run(capsys, "--lang", "fr", "--format", "html", str(SEEDS))
    assert '<html lang="fr">' in page
    assert '<h2 id="summary-title">Résumé</h2>' in page and "Rapport d&#x27;alplint" in page
    assert "Les pourcentages du cycle d" in page
    assert ">Summary<" not in page and "Where the forms say they are" not in page


def test_html_report_follows_the_environment(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "es")
    _status, page, _err = _run(capsys, "--format", "html", str(SEEDS))
    assert '<html lang="es">' in page and "Resumen" in page
