"""The course inventory: what `kulturskole stats` prints and the content tests assert."""

from __future__ import annotations

import html
import re

from builder.messages import msg, tr
from builder.model import TYPES, Course


def inventory(course: Course) -> dict:
    bank = course.questions()
    reflections = course.reflections()
    final = [q for m in course.modules if m.quiz and m.quiz.graded for q in m.quiz.questions]
    practice = [q for m in course.modules if m.quiz and not m.quiz.graded for q in m.quiz.questions]
    return {
        "modules": len(course.modules),
        "pages": sum(len(m.pages) for m in course.modules),
        "words": sum(p.words for m in course.modules for p in m.pages),
        "questions": {"total": len(bank), **{t: sum(q.type == t for q in bank) for t in TYPES},
                      "scenarios": sum(q.scenario for q in bank)},
        # Share of questions marked `scenario: true` (the learner applies a rule to a situation), in %.
        "scenario_share": {"modules": _share(practice), "final_test": _share(final)},
        "reflections": len(reflections),
        "assignments": len(course.homework()),
        "gatherings": len(course.timeline.gatherings),
        "gaps": len(course.timeline.gaps()),
        "goals": {g.id: {"title": g.title, "questions": sum(g.id in q.goals for q in bank),
                         "reflections": sum(r.goal == g.id for r in reflections)} for g in course.goals},
        "final_test": [{"id": m.quiz.id, "per_attempt": m.quiz.per_attempt,
                        "goals": {gid: {"pool": len(m.quiz.pool(gid)), "drawn": n} for gid, n in m.quiz.draw}}
                       for m in course.modules if m.quiz and m.quiz.graded and m.quiz.draw],
        "homework": [{"gap": f"{hw.after} → {hw.before}", "id": hw.id, "hours": hw.effort_hours,
                      "act": _text(dict(hw.steps_html).get("act", ""))} for hw in course.homework()],
        "per_module": [{"id": m.id, "title": m.title, "pages": len(m.pages),
                        "words": sum(p.words for p in m.pages),
                        "questions": len(m.quiz.questions) if m.quiz else 0,
                        "reflections": len(m.reflections), "assignments": len(m.homework),
                        "minutes": m.minutes} for m in course.modules],
    }


def as_text(inv: dict) -> str:
    """The inventory as the editor reads it, in the language of the messages (labels padded after
    translation, so the columns stay in line in bokmål too)."""
    q = inv["questions"]

    def row(label: str, value: str) -> str:
        return f"{tr(label):<13}{value}"
    kinds = {"page": (msg("text page"), msg("text pages")), "quiz": (msg("quiz page"), msg("quiz pages")),
             "reflections": (msg("reflection page"), msg("reflection pages")),
             "homework": (msg("homework page"), msg("homework pages"))}
    learner = [f"{n} {tr(kinds[kind][n != 1]) if kind in kinds else kind}"
               for kind, n in inv.get("learner_pages", {}).items() if kind != "total"]
    lines = [
        row(msg("modules"), str(inv["modules"])),
        row(msg("pages"), tr(f"{inv['pages']} text pages ({inv['words']} words)")
            + (tr(f"; a learner's course has {inv['learner_pages']['total']} pages: {', '.join(learner)}")
               if learner else "")),
        row(msg("questions"), tr(f"{q['total']}  (single {q['single']}, multiple {q['multiple']}, true/false {q['truefalse']}, "
                            f"matching {q['matching']}; {q['scenarios']} scenarios)")),
        row(msg("scenarios"), tr(f"{inv['scenario_share']['modules']} % of the module questions, "
                            f"{inv['scenario_share']['final_test']} % of the final-test pool")),
        row(msg("reflections"), str(inv["reflections"])),
        row(msg("assignments"), tr(f"{inv['assignments']}  (gaps between gatherings: {inv['gaps']})")),
        row(msg("gatherings"), str(inv["gatherings"])),
        "",
        tr("competence goals: questions, reflections"),
    ]
    for gid, g in inv["goals"].items():     # whole titles: a cut name («Forstå hva folkevalg…») says nothing
        lines.append(f"  {gid:<4}{g['questions']:>4} {g['reflections']:>4}  {g['title']}")
    for final in inv["final_test"]:
        lines += ["", tr(f"final test (module {final['id']}): {final['per_attempt']} questions per attempt, drawn per goal")]
        lines += [f"  {gid:<4}" + tr(f"pool {g['pool']:>3}, drawn {g['drawn']}") for gid, g in final["goals"].items()]
    lines += ["", tr("homework per gap (hours for the whole group; act = the tiltak carried out)")]
    for hw in inv["homework"]:
        lines.append(f"  {hw['gap']:<24}{hw['id']:<22}{hw['hours']:>5g} h  " + tr(f"act: {hw['act'] or tr('(none)')}"))
    width = max([len(m["id"]) for m in inv["per_module"]] + [6]) + 2
    # The table's head: each column as wide as its number or its (translated) name.
    heads = [tr(h) for h in (msg("pages"), msg("words"), msg("questions"), msg("reflections"), msg("homework"),
                             msg("minutes"))]
    widths = [max(len(h), n) for h, n in zip(heads, (5, 5, 9, 11, 8, 7))]
    lines += ["", f"{tr('module'):<{width + 2}}" + "  ".join(f"{h:>{w}}" for h, w in zip(heads, widths))]
    for m in inv["per_module"]:
        values = (m["pages"], m["words"], m["questions"], m["reflections"], m["assignments"], m["minutes"])
        lines.append(f"  {m['id']:<{width}}" + "  ".join(f"{v:>{w}}" for v, w in zip(values, widths)))
    return "\n".join(lines)


def _share(questions) -> int:
    """The whole-number percentage of `questions` that are scenarios (0 when there are none)."""
    return round(100 * sum(q.scenario for q in questions) / len(questions)) if questions else 0


def _text(fragment: str) -> str:
    """A homework step as one line of plain text, for the inventory."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def references(refs) -> dict:
    """The legal references as one table, counted by law, with the flagged ones (see builder/loader/references.py)."""
    by_law: dict[str, int] = {}
    for ref in refs:
        by_law[ref.law or "(lov ikke nevnt)"] = by_law.get(ref.law or "(lov ikke nevnt)", 0) + 1
    rows = [{"law": r.law, "cited": r.cited, "kind": r.kind, "where": f"{r.source.path}:{r.source.line}",
             "flagged": r.flagged, "sentence": r.sentence} for r in refs]
    return {"total": len(rows), "by_law": dict(sorted(by_law.items(), key=lambda kv: (-kv[1], kv[0]))),
            "flagged": sum(r.flagged for r in refs), "references": rows}


def references_as_text(table: dict) -> str:
    lines = [f"{tr('law'):<38}{tr('cited'):<38}{tr('where')}"]
    for row in table["references"]:
        cited = row["cited"] or f"({row['kind']})"
        mark = "  ! " if row["flagged"] else "    "
        lines.append(f"{mark}{row['law'][:34]:<34}{cited[:36]:<38}{row['where']}")
    lines += ["", tr(f"{table['total']} references; by law:")]
    lines += [f"  {law:<44}{n:>5}" for law, n in table["by_law"].items()]
    flagged = [row for row in table["references"] if row["flagged"]]
    lines += ["", tr(f"{len(flagged)} flagged (!): a proposition, chapter or whole law cited where the sentence "
                     "states a rule; cite the paragraph, or say the number is not confirmed")]
    lines += [f"  {row['where']}: {row['cited'] or row['law']}: «{row['sentence'][:110]}»" for row in flagged]
    return "\n".join(lines)
