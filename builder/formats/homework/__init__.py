"""Homework packages for the facilitator: dist/homework/ holds, for each homework handed out at a
gathering, the SCORM 1.2 package of its module and a one-page handout (HTML and PDF), both named
by the gathering and the theme: hjemmearbeid-1-roller-og-ansvar.zip / .html / .pdf."""

from __future__ import annotations

from pathlib import Path

from builder.render import printing
from builder.formats import Format
from builder.model.programme import package_name, steps
from builder.formats.scorm.editions import SCORM12
from builder.formats.scorm.package import build_package


class HomeworkFormat(Format):
    name = "homework"
    slow = True
    description = "per gathering: the homework module as SCORM 1.2 and a one-page handout (dist/homework/)"

    def build(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        course, made = self.course, []
        for step in steps(course):
            modules = {}
            for module, hw in step.homework:
                modules.setdefault(module.id, (module, []))[1].append(hw)
            for module, homework in modules.values():
                if self.options.module not in (None, module.id):
                    continue
                name = package_name(step, module)
                build_package(course, out / f"{name}.zip", edition=SCORM12, module_id=module.id, store=self.options.store)
                for i, hw in enumerate(homework):
                    html = printing.render("handout.html", course, step=step, hw=hw, deadline=course.timeline.due_date(hw))
                    printing.write_both(html, out, name if i == 0 else f"{name}-{hw.id}")
                made.append(name)
        self.options.progress(f"homework: {len(made)} packages with handouts: {', '.join(made)}")
