"""Forms written for the tests from a template version: every question answered, as an export or a draft."""

from __future__ import annotations

from alplint.draft import render_draft
from alplint.model import DRAFT_MARKER
from alplint.template import Template

STAGES = ("Sense", "Explore", "Test", "Grow")
TAG_VALUES = {
    "focal_point": "ana@undp.org",
    "year": "2024",
    "datasources": "surveys",
    "methods": "pilots",
    "sdgs": "13. Climate action",
    "thematic_areas": "land management",
    "country": "Mongolia",
    "latlng": "47.92,106.92",
    "consent": "https://example.org/consent.pdf",
    "gender": "female",
    "assignment_type": "other",
    "control_group": "It does not use a control group",
    "experiment_status": "Completed",
    "experiment_type": "Quasi experimental (Analytical, observations, etc)",
    "partnering_sector": "Academia",
    "quality_check": "This activity has a low risk",
    "sample_size": "10-49",
    "scaling": "led to partnerships",
    "total_cost": "Less than 1,000 USD",
}


def filled_form(version: Template, *, draft: bool) -> str:
    """``version``'s blank draft with every tag and question filled in.

    As an export (``draft=False``) the form has no draft marker and, like every exported form,
    no answer to its radio lists nor learning-cycle percentages.
    """
    radio = {q.text for top in version.questions for q in (top, *top.children) if q.kind == "radio"}
    options = {q.text: q.options[0] for top in version.questions for q in (top, *top.children) if q.options}
    lines = render_draft(version).split("\n")
    filled: list[str] = []
    for index, line in enumerate(lines):
        if line == f"<!-- {DRAFT_MARKER} -->" and not draft:
            continue
        if line.startswith("[[") and line.endswith(":]]"):
            line = f"{line[:-2]}{TAG_VALUES[line[2:-3]]}]]"
        filled.append(line)
        opens_groups = index + 2 < len(lines) and lines[index + 2].startswith("<div")
        if not line.startswith("> ") or opens_groups:
            continue
        text = line[2:]
        if not draft and (text in radio or text in STAGES):
            continue
        answer = f"- {options[text]}" if text in options else "An answer."
        filled += ["", "25%" if text in STAGES else answer]
    filled[0] = "# Rangeland monitoring"
    return "\n".join(filled)
