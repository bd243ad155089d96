"""A ready Moodle course: dist/moodle/<course>.mbz (a moodle2 course backup that restores as a new
course) and dist/moodle/<course>-questions.xml (the question bank in Moodle XML).

With --programme the backup is named after the region (<course>-<region>.mbz) and holds the
region's dates, places and municipality groups. Without dates (no --start-date or --programme)
the backup has no dates at all, and the build says so, as the calendar does. See README.md."""

from __future__ import annotations

import base64
from pathlib import Path

from datetime import time

from markupsafe import escape

from builder.formats import Format
from builder.errors import BuildFailed, Problem
from builder.formats.moodle import badge, checks, questions
from builder.formats.moodle.backup import Assignment, Backup, Badge, Plan, Resource, Scorm, Section, moment, write_mbz
from builder.formats.scorm.editions import SCORM12
from builder.formats.scorm.package import package_zip
from builder.infra import cache
from builder.infra.packaging import epoch
from builder.infra.parallel import ordered_map
from builder.model import Course, dates, markup
from builder.render.links import relink_media
from builder.render.site import outline_digest
from builder.model.programme import steps
from builder.infra import strings
from builder.messages import msg
from builder.render.templating import environment

TEMPLATES = Path(__file__).parent / "templates"
TIMELINE = "tidslinje.svg"
DUE_AT = time(23, 59)       # a deadline day ends at midnight in Norway, as the calendar's all-day event does

# The activity settings of a module package (one SCO) in Moodle, as measured in Moodle 5.1 (mod/scorm
# field names). The package decides its own status: "completed" once every page is seen and its
# quiz, if any, is passed; it never reports "failed", so a learner can retake a quiz in the same
# attempt. Moodle must keep that status and complete the activity on "completed".
SCORM_SETTINGS = dict(
    maxgrade=100, grademethod=1,          # "Highest grade": the score, scaled to 100
    whatgrade=0, maxattempt=0,            # highest attempt; unlimited attempts
    forcecompleted=0, forcenewattempt=0, lastattemptlock=0,
    masteryoverride=0,                    # keep the package's status (it carries no mastery score either)
    displayattemptstatus=1, displaycoursestructure=0,
    skipview=0, hidebrowse=0,             # Moodle's entry page with Enter and Preview, as for a new activity
    hidetoc=3, nav=0,                     # no Moodle table of contents, no Moodle navigation buttons
    navpositionleft=-100, navpositiontop=-100, auto=0, autocommit=0,
    popup=0, width=100, height=100,       # current window, frame 100 % × 100 %
    completionstatusrequired=4,           # "completed": pages seen and, where there is a quiz, passed
    completionscorerequired=None, completionstatusallscos=0,
)


def backup_name(course: Course) -> str:
    from builder.formats.calendar import slug
    return f"{course.id}-{slug(course.programme.region)}" if course.programme else course.id


class MoodleFormat(Format):
    name = "moodle"
    slow = True         # its room kit is the packs format's PDFs (shared through Options.store)
    description = "a Moodle course backup that restores the whole programme (dist/moodle/<course>.mbz) and the question bank"

    @staticmethod
    def claims(path: Path) -> bool:
        return Path(path).name.endswith(".mbz")

    @staticmethod
    def check(path: Path) -> list[Problem]:
        return checks.check_mbz(path)

    @classmethod
    def source_problems(cls, course, options):
        # The backup carries the SCORM 1.2 module packages, with their manifests' title limit.
        from builder.formats.scorm.editions import SCORM12
        from builder.formats.scorm.package import title_problems
        return title_problems(course, SCORM12)

    @classmethod
    def notices(cls, course, options) -> list[str]:
        # For the editor who runs the build, so in the messages' bokmål whatever the edition's language.
        return [] if course.timeline.dated else ["moodle: " + msg(
            "The Moodle course has no dates. Build again with the date of the first gathering "
            "(kulturskole build --start-date 2027-09-15) or with the region's programme file "
            "(kulturskole build --programme region.yml) to date the gatherings and deadlines.")]

    def build(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        course = self.course
        name = backup_name(course)
        plan = self.plan(name)
        files = Backup(plan).build()
        problems = checks.Backup(f"{name}.mbz", files).check()
        if problems:
            raise BuildFailed([Problem(p.path, p.line, f"the built backup is not whole: {p.message}") for p in problems])
        (out / f"{name}.mbz").write_bytes(write_mbz(files, plan.stamp))
        (out / f"{course.id}-questions.xml").write_bytes(questions.moodle_xml(course))
        n_q = sum(len(qs) for *_, qs in plan.categories)
        self.options.progress(f"moodle: {name}.mbz: {len(plan.sections)} sections, "
                              f"{sum(len(s.activities) for s in plan.sections)} activities, {n_q} questions")

    def stamp(self) -> int:
        programme = self.course.programme
        return programme.revised if programme and programme.revised else epoch()

    def packages(self, module_ids: list[str]) -> dict[str, bytes]:
        """The module packages of the scorm12 format, from the build's store (made here when no
        other format of the build made them). Last module first: the scorm12 format goes first to
        last, so when both run at once each makes half instead of one waiting on the other."""
        packages = ordered_map(_package, (self.course, self.options.store), module_ids[::-1])
        return dict(zip(module_ids[::-1], packages))

    def room_kit(self, plan_steps) -> dict[str, list[Resource]]:
        """Per gathering id: its facilitator's pack as a file only teachers see (a hidden activity),
        and the participants' materials as a file for everyone."""
        course = self.course
        scripted = [s for s in plan_steps if s.gathering.script is not None]
        if not scripted:
            return {}
        # The packs format shows no page text (Format.page_texts), so neither does its room kit: kept
        # in the build cache by the course's outline, a page edit neither renders the packs' HTML
        # again nor reads their PDFs (moodle format after a page edit, real course: ~0.09 s of CPU).
        return cache.kept("moodle-room-kit", cache.key_or_none(lambda: cache.key("moodle-room-kit", outline_digest(course))),
                          lambda: self._room_kit(scripted), pickled=True)

    def _room_kit(self, scripted) -> dict[str, list[Resource]]:
        import tempfile
        from builder.formats import packs
        course, ui = self.course, strings.catalogue(self.course.language)
        out: dict[str, list[Resource]] = {}
        with tempfile.TemporaryDirectory(prefix="kulturskole-moodle-packs-") as tmp:
            folder = Path(tmp)
            # The same documents as the packs format's: laid out once per build (Options.store).
            packs.write_packs(course, folder, self.options.store)
            for step in scripted:
                pack, given = folder / f"{packs.pack_name(step)}.pdf", folder / f"{packs.participants_name(step)}.pdf"
                out[step.gathering.id] = [
                    Resource(name=ui["moodle_pack_name"].format(n=step.number), intro=f"<p>{ui['moodle_pack_intro']}</p>",
                             filename=pack.name, data=pack.read_bytes(), visible=0, idnumber=packs.pack_name(step))]
                if packs.handed_out(course, step):      # a gathering with nothing to hand out has no such file
                    out[step.gathering.id].append(Resource(
                        name=ui["moodle_participants_name"].format(n=step.number),
                        intro=f"<p>{ui['moodle_participants_intro']}</p>", filename=given.name,
                        data=given.read_bytes(), idnumber=packs.participants_name(step)))
        return out

    def plan(self, name: str) -> Plan:
        course, ui = self.course, strings.catalogue(self.course.language)
        env = environment(TEMPLATES)
        timeline = course.timeline
        plan_steps = steps(course)
        placed = {m.id for s in plan_steps for m in s.modules}
        loose = [m for m in course.modules if m.id not in placed]
        packages = self.packages([m.id for m in course.modules])
        gatherings = [s.gathering for s in plan_steps]
        media = {m.name: m.data for m in course.media}

        def embedded(html: str) -> tuple[str, dict[str, bytes]]:
            """A text for Moodle: its images (media/<name>) as files of the text's own file area."""
            names = set(markup.media_names(html))
            return relink_media(html, "@@PLUGINFILE@@/"), {n: media[n] for n in sorted(names) if n in media}

        def scorm(module, expected) -> Scorm:
            settings = dict(SCORM_SETTINGS)
            final = bool(module.quiz and module.quiz.graded)
            if final:
                # The final test: complete only when passed, at the course's pass mark.
                settings["completionscorerequired"] = course.mastery_score
            intro = env.get_template("scorm.html").render(module=module, ui=ui, final=final,
                                                          mastery=course.mastery_score)
            intro, files = embedded(intro)
            return Scorm(name=module.title, intro=intro, files=files, package_name=f"{module.id}.zip", package=packages[module.id],
                         settings=settings, completion_expected=moment(expected),
                         gradepass=float(course.mastery_score) if final else 0.0, idnumber=module.id)

        kit = self.room_kit(plan_steps)
        from builder.formats.guide import timeline_figure
        figure, alt = timeline_figure(course)
        svg = base64.b64decode(figure.split(",", 1)[1])
        intro = env.get_template("intro.html").render(course=course, ui=ui, steps=plan_steps, dated=timeline.dated,
                                                      figure=f"@@PLUGINFILE@@/{TIMELINE}", figure_alt=alt)
        intro, files = embedded(intro)
        sections = [Section(name="", summary=intro, activities=[scorm(m, None) for m in loose],
                            files={TIMELINE: svg, **files})]
        for step in plan_steps:
            g = step.gathering
            title = ui["gathering_numbered"].format(n=step.number, title=g.title)
            if g.date:
                title += f" – {dates.norwegian(g.date)}"
            summary, files = embedded(env.get_template("gathering.html").render(step=step, ui=ui))
            acts: list = [scorm(m, g.date) for m in step.modules]
            for module, hw in step.homework:
                due = timeline.due_date(hw)
                text, images = embedded(env.get_template("homework.html").render(
                    hw=hw, step=step, ui=ui, due=due, module=module, timeline=timeline))
                acts.append(Assignment(
                    name=f"{ui['homework']}: {hw.title}", intro=text, files=images,
                    activity=env.get_template("deliverable.html").render(hw=hw, ui=ui),
                    allow_from=moment(g.date), due=moment(due, DUE_AT), grading_due=moment(step.next.date),
                    team=len(hw.participants) > 1, idnumber=hw.id))
            acts += kit.get(g.id, [])
            sections.append(Section(name=title, summary=summary, activities=acts, files=files))
        dated = [g.date for g in gatherings if g.date]
        bank = [(questions.category_name(m), f"<p>{escape(m.summary)}</p>", m.id, qs) for m, qs in questions.banks(course)]
        region = course.programme.region if course.programme else ""
        return Plan(
            shortname=name, fullname=f"{course.title} – {region}" if region else course.title,
            summary=f"<p>{escape(course.subtitle)}</p>" if course.subtitle else "",
            startdate=moment(dated[0]) if dated else 0, enddate=moment(dated[-1], DUE_AT) if dated else 0,
            stamp=self.stamp(), sections=sections,
            groups=course.programme.municipalities if course.programme else (),
            bank_name=ui["moodle_bank_name"].format(course=course.title),
            bank_intro=f"<p>{ui['moodle_bank_intro']}</p>", categories=bank, completion_activities="all",
            filename=f"{name}.mbz",
            # A translated edition forces its language, so Moodle's own texts around it match it.
            lang=course.language if course.languages and course.language != course.languages[0] else "",
            badge=Badge(name=ui["moodle_badge_name"].format(course=course.title),
                        description=ui["moodle_badge_description"].format(course=course.title, organisation=course.organisation),
                        issuer=course.organisation or course.title, subject=ui["moodle_badge_subject"].format(course=course.title),
                        message=ui["moodle_badge_message"].format(course=course.title), images=badge.images(course.colour)))


def _package(context, module_id: str) -> bytes:
    course, store = context
    return package_zip(course, edition=SCORM12, module_id=module_id, store=store)[0]
