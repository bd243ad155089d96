"""The course inventory: what `kulturskole stats` prints and the content tests assert."""

from __future__ import annotations

import html
import re

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
    q = inv["questions"]
    lines = [
        f"modules      {inv['modules']}",
        f"pages        {inv['pages']} text pages ({inv['words']} words)"
        + (f"; a learner's course has {inv['learner_pages']['total']} pages: "
           + ", ".join(f"{n} {kind}" for kind, n in inv["learner_pages"].items() if kind != "total")
           if "learner_pages" in inv else ""),
        f"questions    {q['total']}  (single {q['single']}, multiple {q['multiple']}, true/false {q['truefalse']}, "
        f"matching {q['matching']}; {q['scenarios']} scenarios)",
        f"scenarios    {inv['scenario_share']['modules']} % of the module questions, "
        f"{inv['scenario_share']['final_test']} % of the final-test pool",
        f"reflections  {inv['reflections']}",
        f"assignments  {inv['assignments']}  (gaps between gatherings: {inv['gaps']})",
        f"gatherings   {inv['gatherings']}",
        "",
        "competence goals: questions, reflections",
    ]
    for gid, g in inv["goals"].items():     # whole titles: a cut name («Forstå hva folkevalg…») says nothing
        lines.append(f"  {gid:<4}{g['questions']:>4} {g['reflections']:>4}  {g['title']}")
    for final in inv["final_test"]:
        lines += ["", f"final test {final['id']}: {final['per_attempt']} questions per attempt, drawn per goal"]
        lines += [f"  {gid:<4}pool {g['pool']:>3}, drawn {g['drawn']}" for gid, g in final["goals"].items()]
    lines += ["", "homework per gap (hours for the whole group; act = the tiltak carried out)"]
    for hw in inv["homework"]:
        lines.append(f"  {hw['gap']:<24}{hw['id']:<22}{hw['hours']:>5g} h  act: {hw['act'] or '(none)'}")
    width = max([len(m["id"]) for m in inv["per_module"]] + [6]) + 2
    lines += ["", f"{'module':<{width + 2}}pages  words  questions  reflections  homework  minutes"]
    for m in inv["per_module"]:
        lines.append(f"  {m['id']:<{width}}{m['pages']:>5}{m['words']:>7}{m['questions']:>11}{m['reflections']:>13}"
                     f"{m['assignments']:>10}{m['minutes']:>9}")
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
    lines = ["law                                   cited                                 where"]
    for row in table["references"]:
        cited = row["cited"] or f"({row['kind']})"
        mark = "  ! " if row["flagged"] else "    "
        lines.append(f"{mark}{row['law'][:34]:<34}{cited[:36]:<38}{row['where']}")
    lines += ["", f"{table['total']} references; by law:"]
    lines += [f"  {law:<44}{n:>5}" for law, n in table["by_law"].items()]
    flagged = [row for row in table["references"] if row["flagged"]]
    lines += ["", f"{len(flagged)} flagged (!): a proposition, chapter or whole law cited where the sentence "
              "states a rule; cite the paragraph, or say the number is not confirmed"]
    lines += [f"  {row['where']}: {row['cited'] or row['law']}: «{row['sentence'][:110]}»" for row in flagged]
    return "\n".join(lines)
