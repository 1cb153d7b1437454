"""Which template versions a folder of forms follows, by question text (as alplint chooses them).

    python tools/survey_templates.py FOLDER [--schema-dir DIR] [--questions] [--clusters N] [--tags KEY,...]

Prints, for each form type, how many forms match each version of each template and how many
follow a template of their own (or none); how many mix versions (they hold a question another
version of the same template declares: each is judged against the closest).  Then:

--questions   per version, each declared question with the number of its forms that contain it
              and that answer it: a question no form contains is mistyped in the schema, one
              answered in every form is one the platform requires, one never answered is one
              the export drops.
--clusters N  the question lists of forms that match no version, grouped by likeness (at least
              half their questions in common), groups of N forms or more: the templates labs
              designed themselves, with how many forms of the group hold each question.
--tags KEYS   the values each of these tag keys takes, by form type, with their counts.

Forms are read and matched exactly as alplint reads them (``parse`` and ``SchemaSet.choose``), so
what this prints is what ``alplint`` will judge each form against.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alplint.config import Config  # noqa: E402
from alplint.engine import Linter  # noqa: E402
from alplint.parse import parse  # noqa: E402
from alplint.schema import SchemaSet  # noqa: E402
from alplint.source import Unreadable, discover, read  # noqa: E402
from alplint.template import Binding, FormKeys, Template, child_answer, shorten  # noqa: E402

# Two question lists are one template's when they share at least this share of their questions.
CLUSTER_LIKENESS = 0.5
NO_TEMPLATE = "(no template: ALP105)"


@dataclass
class QuestionTally:
    present: int = 0
    answered: int = 0


@dataclass
class Survey:
    forms_by_type: Counter[str] = field(default_factory=Counter)
    versions: Counter[tuple[str, str]] = field(default_factory=Counter)
    mixed: Counter[tuple[str, str]] = field(default_factory=Counter)
    example: dict[tuple[str, str], str] = field(default_factory=dict)
    tallies: dict[Template, dict[str, QuestionTally]] = field(default_factory=dict)
    forms_of: Counter[Template] = field(default_factory=Counter)
    unmatched: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    tags: dict[tuple[str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def _other_versions_keys(schemas: SchemaSet, template: Template) -> frozenset[str]:
    family = schemas.by_name[template.name]
    others = frozenset().union(*(v.keys for v in family.versions if v is not template))
    return others - template.keys


def _tally(survey: Survey, binding: Binding) -> None:
    template = binding.template
    tally = survey.tallies.setdefault(template, {})
    for wanted in template.questions:
        row = tally.setdefault(wanted.text, QuestionTally())
        answer = binding.answer(wanted)
        if answer is not None:
            row.present += 1
            row.answered += not answer.is_empty or any(
                not child_answer(node).is_empty
                for child in wanted.children
                if (node := binding.child(wanted, child)) is not None
            )
        for child in wanted.children:
            child_row = tally.setdefault(f"{wanted.text}\n{child.text}", QuestionTally())
            node = binding.child(wanted, child)
            if node is not None:
                child_row.present += 1
                child_row.answered += not child_answer(node).is_empty


def survey_folder(paths: Sequence[str], linter: Linter, tag_keys: Sequence[str], questions: bool) -> Survey:
    """The forms under ``paths`` (those ``linter`` checks: its skip-types and exclusions apply) by version."""
    survey = Survey()
    schemas = linter.schemas
    for path in discover(paths, lambda folder: linter.config):
        source = read(path)
        if isinstance(source, Unreadable):
            continue
        form = parse(source.text, path)
        if not linter.is_form(form):
            continue
        form_type = (form.form_type or "").lower()
        for key in tag_keys:
            for tag in form.tag_values(key):
                survey.tags[(form_type, key)][tag.value.strip()] += 1
        if form_type not in schemas.by_type:
            continue
        survey.forms_by_type[form_type] += 1
        choice = schemas.choose(form)
        template = choice.template
        if template is None:
            label = NO_TEMPLATE
        else:
            label = template.display_name
            survey.forms_of[template] += 1
        row = (form_type, label)
        survey.versions[row] += 1
        survey.example.setdefault(row, Path(path).name)
        keys = FormKeys.of(form)
        if template is None or template.own:
            survey.unmatched.append((form_type, Path(path).name, keys.all))
            continue
        if keys.all & _other_versions_keys(schemas, template):
            survey.mixed[row] += 1
        if questions and choice.binding is not None:
            _tally(survey, choice.binding)
    return survey


def _number(value: int) -> str:
    return f"{value:,}"


def _clusters(forms: list[tuple[str, str, frozenset[str]]], minimum: int) -> list[str]:
    signatures = Counter(keys for _type, _name, keys in forms if keys)
    groups: list[tuple[frozenset[str], list[tuple[str, frozenset[str]]]]] = []
    for _type, name, keys in sorted(forms, key=lambda row: (-signatures[row[2]], row[1])):
        if not keys:
            continue
        for seed, members in groups:
            if len(keys & seed) >= CLUSTER_LIKENESS * len(keys | seed):
                members.append((name, keys))
                break
        else:
            groups.append((keys, [(name, keys)]))
    lines = [f"  {_number(sum(1 for row in forms if not row[2]))} forms have no question at all"]
    for _seed, members in sorted(groups, key=lambda group: -len(group[1])):
        if len(members) < minimum:
            break
        lines.append(f"  {_number(len(members))} forms like {members[0][0]}:")
        held = Counter(key for _name, keys in members for key in keys)
        for key, count in held.most_common():
            if count * 20 >= len(members):
                lines.append(f"    {count:>6}  {shorten(key, 100)}")
    return lines


def render(survey: Survey, clusters: int | None, questions: bool) -> str:
    lines = ["Forms by type and template version (chosen by question text):"]
    for form_type, total in sorted(survey.forms_by_type.items()):
        lines.append(f"  {form_type}: {_number(total)} forms")
        rows = sorted(
            (row for row in survey.versions if row[0] == form_type), key=lambda r: -survey.versions[r]
        )
        for row in rows:
            mixed = survey.mixed[row]
            note = f", {_number(mixed)} mixing versions" if mixed else ""
            lines.append(f"    {survey.versions[row]:>6}  {row[1]}{note}  (e.g. {survey.example[row]})")
    if questions:
        lines += ["", "Questions of each version: forms that hold it / that answer it"]
        for template, tally in sorted(survey.tallies.items(), key=lambda item: item[0].display_name):
            lines.append(f"  {template.display_name} ({_number(survey.forms_of[template])} forms):")
            for text, counted in tally.items():
                parent, _newline, child = text.partition("\n")
                shown = f"  - {shorten(child, 90)}" if child else shorten(parent, 94)
                flag = "  <- in no form" if counted.present == 0 else ""
                lines.append(f"    {counted.present:>6} {counted.answered:>6}  {shown}{flag}")
    if clusters is not None:
        lines += ["", f"Forms that match no version, by likeness (groups of {clusters} or more):"]
        lines += _clusters(survey.unmatched, clusters)
    if survey.tags:
        lines += ["", "Tag values:"]
        for (form_type, key), values in sorted(survey.tags.items()):
            lines.append(f"  {form_type} {key}: {_number(sum(values.values()))} tags")
            for value, count in values.most_common(40):
                lines.append(f"    {count:>6}  {value}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", metavar="FOLDER")
    parser.add_argument("--schema-dir", action="append", default=[], help="extra schema folder")
    parser.add_argument(
        "--questions", action="store_true", help="per version, how often each question is held"
    )
    parser.add_argument("--clusters", type=int, metavar="N", help="group unmatched forms; show groups of N+")
    parser.add_argument(
        "--tags", default="", metavar="KEYS", help="comma-separated tag keys to list values of"
    )
    args = parser.parse_args(argv)
    linter = Linter(Config(schema_dirs=tuple(args.schema_dir)))
    tag_keys = [key.strip() for key in args.tags.split(",") if key.strip()]
    survey = survey_folder(args.paths, linter, tag_keys, args.questions)
    sys.stdout.write(render(survey, args.clusters, args.questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
