"""course/materials/<id>.md: what a gathering or a homework prints (role cards, posters, templates,
forms, answer keys, a speaker's outline), written in the same Markdown as the pages.

A gathering's script lists the materials it uses by id (`- material: rollekort`), a homework its
templates (`templates: [aksjonsplan]`); the loader refuses an id that has no file, and
builder/model/gathering_lint.py warns about a material nothing uses."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Problems
from builder.loader import markdownsrc, yamlsrc
from builder.loader.markdownsrc import Renderer
from builder.loader.validate import ID_HINT, valid_id
from builder.model import Material, Source

FOLDER = "materials"
PAPERS = ("A4", "A3")
CARDS_PER_PAGE = (1, 2, 4, 6, 8)     # what divides an A4 sheet into equal cards with straight cuts
_CARD = re.compile(r"^## ", re.M)


def load_materials(course_dir: Path, renderer: Renderer, problems: Problems) -> tuple[Material, ...]:
    folder = course_dir / FOLDER
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.glob("*.md")):
        material = _load(path, renderer, problems)
        if material is not None:
            out.append(material)
    return tuple(out)


def _load(path: Path, renderer: Renderer, problems: Problems) -> Material | None:
    if not valid_id(path.stem):
        problems.add(path, 0, f"'{path.stem}' in the file name is not a valid material id", ID_HINT)
        return None
    parsed = markdownsrc.read_page(path, problems)
    if parsed is None:
        return None
    meta, body, body_line = parsed
    f = yamlsrc.Fields(meta, path, problems, "a material's front matter", required={"title": str, "paper": str},
                       optional={"landscape": bool, "cards_per_page": int, "facilitator_only": bool}, line=2)
    paper = f.get("paper", "A4")
    if paper not in PAPERS:
        problems.add(path, f.line_of("paper"), f"unknown paper size '{paper}'", f"write one of: {', '.join(PAPERS)}")
        paper = "A4"
    cards = f.get("cards_per_page", 0)
    if "cards_per_page" in f.map:
        if cards not in CARDS_PER_PAGE:
            problems.add(path, f.line_of("cards_per_page"), f"{cards} cards do not divide a sheet into equal cards",
                         f"write one of: {', '.join(map(str, CARDS_PER_PAGE))}")
            cards = 4
        if not _CARD.search(body):
            problems.add(path, f.line_of("cards_per_page"), "a card set needs a `## Heading` for each card",
                         "start every card with a line `## Card title`, or remove `cards_per_page`")
    if not body.strip():
        problems.add(path, body_line, "the material has no text", "write its content below the front matter")
        return None
    html, _ = renderer.render(body, path, body_line)
    return Material(path.stem, f.get("title", path.stem), paper, f.get("landscape", False), cards,
                    f.get("facilitator_only", False), html, Source(problems.show(path), 1))


def check_uses(ids, used: list[tuple[str, Path | str, int]], problems: Problems) -> None:
    """Every material id a script or homework names must have its file in course/materials/."""
    from builder.errors import did_you_mean
    known = list(ids)
    for material_id, path, line in used:
        if material_id not in known:
            problems.add(path, line, f"there is no material '{material_id}' in {FOLDER}/",
                         did_you_mean(material_id, known) or
                         f"write it as {FOLDER}/{material_id}.md (see course/README.md)"
                         + (f", or use one of: {', '.join(known)}" if known else ""))
