"""The course model: loaded and validated once, then read (never changed) by every builder.

HTML fields hold sanitised fragments rendered from Markdown. Images inside them point at
`media/<name>`; a renderer that places pages elsewhere rewrites that prefix (builder/render/links.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Source:
    """Where an element was written, for messages and for editors' links back to the file."""
    path: str
    line: int


@dataclass(frozen=True)
class LegalReference:
    """One citation of a law in the course text (builder/loader/references.py), for the editors' table."""
    law: str             # canonical name («kommuneloven»); "" when the sentence names no law
    cited: str           # «§ 5-13», «artikkel 31», «Prop. 57 L (2022–2023) punkt 47.2»; "" for the law alone
    kind: str            # paragraph | article | forskrift | chapter | proposition | law
    sentence: str
    source: Source
    flagged: bool        # a proposition, chapter or whole law cited for a rule the same sentence states


@dataclass(frozen=True)
class Goal:
    id: str
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class Page:
    id: str
    title: str
    html: str
    words: int
    source: Source
    glossary_links: bool = True   # the first use of each glossary term links to it (front matter opt-out)


@dataclass(frozen=True)
class Option:
    id: str              # ASCII, stable: a, b, c ... (true/false for truefalse)
    html: str
    correct: bool
    explanation_html: str


@dataclass(frozen=True)
class Pair:
    """One row of a matching question: a task and the role it belongs to."""
    id: str              # ASCII, stable: t1, t2 ...
    task: str
    role: str
    explanation_html: str


# The kinds of question a quiz may hold (`type:` in quiz.yml).
TYPES = ("single", "multiple", "truefalse", "matching")


@dataclass(frozen=True)
class Question:
    id: str
    type: str            # one of TYPES
    html: str
    reference: str
    goals: tuple[str, ...]
    scenario: bool
    options: tuple[Option, ...] = ()
    roles: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    source: Source = Source("", 0)


# A practice quiz asks at most this many questions an attempt (a new share of its pool on each
# retake, assets/js/quiz.js): 20 questions, 10 of them long scenarios, tired learners on phones.
PRACTICE_QUESTIONS = 8


@dataclass(frozen=True)
class Quiz:
    """A module quiz or the final test. `questions` is everything the editor wrote; with `draw`, each
    attempt shows only `count` questions per competence goal, picked afresh for every attempt."""
    id: str
    title: str
    graded: bool
    questions: tuple[Question, ...]
    source: Source
    draw: tuple[tuple[str, int], ...] = ()      # (goal id, questions per attempt), in course goal order

    @property
    def per_attempt(self) -> int:
        """How many questions one attempt shows: the draw of a drawing quiz, at most PRACTICE_QUESTIONS
        of a practice (ungraded) quiz, every question of a graded one."""
        if self.draw:
            return sum(n for _, n in self.draw)
        return len(self.questions) if self.graded else min(len(self.questions), PRACTICE_QUESTIONS)

    def pool(self, goal_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if goal_id in q.goals)


#: The most a reflection holds in the web edition and SCORM 2004: the 4,000 characters of a SCORM 2004
#: long-fill-in learner_response, which is how facilitators read reflections in the LMS. SCORM 1.2
#: packages give each reflection what its SCO's 4,096 characters of suspend_data allow, at least
#: REFLECTION_MIN_12 (builder/formats/scorm/budget.py). A reflection's `max_length` in the sources
#: is the limit of the Open edX reflection XBlock only.
REFLECTION_MAX = 4000
REFLECTION_MIN_12 = 1500


@dataclass(frozen=True)
class Reflection:
    id: str
    title: str
    goal: str
    prompt_html: str
    guidance_html: str
    min_length: int
    max_length: int
    source: Source


ACTION_STEPS = ("plan", "act", "observe", "reflect")


@dataclass(frozen=True)
class Participant:
    """A line of a homework's participant list: who, how many people, and the hours each spends
    (0 when the list gives no hours and the homework states effort_hours for the group)."""
    who: str
    people: int = 1
    hours: float = 0


@dataclass(frozen=True)
class Homework:
    id: str
    title: str
    after: str           # gathering id that opens the gap
    before: str          # the next gathering, which closes it
    due_days_before: int
    effort_hours: float
    participants: tuple[str, ...]
    intro_html: str
    steps_html: tuple[tuple[str, str], ...]   # (step, html) in ACTION_STEPS order
    deliverable_html: str
    source: Source
    templates: tuple[str, ...] = ()   # ids of the materials the group fills in (course/materials/)
    crew: tuple[Participant, ...] = ()   # the participant list with people and hours (effort_hours is their sum)
    trial_weeks: int = 0                 # school weeks in a row the tiltak needs (0: no trial to fit in)

    @property
    def people(self) -> int:
        return sum(p.people for p in self.crew)


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    summary: str
    minutes: int
    goals: tuple[str, ...]
    dialogue_questions: tuple[str, ...]
    sources: tuple[Link, ...]
    pages: tuple[Page, ...]
    quiz: Quiz | None
    reflections: tuple[Reflection, ...]
    homework: tuple[Homework, ...]
    source: Source
    cover: str = ""      # media file name of the module's cover illustration ("" when it has none)
    # Computed from the content (builder/model/studytime.py); `minutes` is their sum, or the editor's
    # stated time when module.yml gives one (then reading is what remains after writing).
    reading_minutes: int = 0
    writing_minutes: int = 0


@dataclass(frozen=True)
class Material:
    """Something printed for a gathering or a homework (role cards, a poster, a template, a form, an
    answer key, a speaker's outline), from course/materials/<id>.md."""
    id: str
    title: str
    paper: str           # "A4" or "A3"
    landscape: bool
    cards_per_page: int  # 0: a document; N: each `##` section is a card, N cards to a sheet
    facilitator_only: bool   # an answer key or speaker's outline: never handed to participants
    html: str
    source: Source


@dataclass(frozen=True)
class MaterialUse:
    """A line of a script's print list: a material of course/materials/ (`material`) with how many
    copies, or a thing to bring that is no material (`material` is "", `html` says what)."""
    material: str
    html: str
    source: Source


@dataclass(frozen=True)
class Part:
    """A timed step inside a session («2 × 25 min Samtale ved bordene»)."""
    times: int
    minutes: int
    text: str


@dataclass(frozen=True)
class Session:
    """One item of a gathering's run sheet: a talk, a group task, a break."""
    start: int           # minutes after midnight
    end: int
    title: str
    lead: str            # who leads it ("" when nobody in particular)
    method_html: str     # how it is run
    room_html: str       # how the room is set up
    notes_html: str      # speaker notes for a talk
    source: Source
    parts: tuple[Part, ...] = ()
    per_municipality: int = 0    # minutes each municipality needs in this session (0: not a round of municipalities)
    is_break: bool = False       # a pause or a meal (`break: true`)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def time(self) -> str:
        """«10.00–10.45», the way Norwegian programmes write times."""
        return f"{clock(self.start)}–{clock(self.end)}"


@dataclass(frozen=True)
class ScriptDay:
    title: str           # "" when the script gives none: the renderer labels it «Dag {number}» (builder/render/labels.py)
    sessions: tuple[Session, ...]
    start: int = 0       # the day's stated start and end (`time:` of the day), minutes after midnight
    end: int = 0
    source: Source = Source("", 0)
    number: int = 0      # 1 for the gathering's first day

    @property
    def editor_name(self) -> str:
        """The day in an editor's message (English; builder/messages gives the bokmål)."""
        return self.title or f"day {self.number}"

    @property
    def time(self) -> str:
        if self.end:
            return f"{clock(self.start)}–{clock(self.end)}"
        return f"{clock(self.sessions[0].start)}–{clock(self.sessions[-1].end)}"


@dataclass(frozen=True)
class FacilitatorScript:
    """The facilitator's script (kjøreplan) for one gathering, from course/gatherings/<id>.yml."""
    purpose_html: str
    preparation_html: tuple[str, ...]   # what the facilitator does before the gathering
    materials: tuple[MaterialUse, ...]  # what to print and bring
    days: tuple[ScriptDay, ...]
    source: Source

    def talks(self) -> tuple[Session, ...]:
        """The sessions with speaker notes, in order."""
        return tuple(s for d in self.days for s in d.sessions if s.notes_html)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


@dataclass(frozen=True)
class Gathering:
    id: str
    title: str
    week: int | None
    date: date | None
    place: str
    agenda: str
    source: Source
    modules: tuple[str, ...] = ()     # the theme modules worked on at this gathering
    script: FacilitatorScript | None = None


@dataclass(frozen=True)
class Timeline:
    election_period: tuple[int, int]
    gatherings: tuple[Gathering, ...]

    @property
    def dated(self) -> bool:
        """True when every gathering has a real date (fixed in the sources or resolved from a start date)."""
        return bool(self.gatherings) and all(g.date is not None for g in self.gatherings)

    def starting(self, start: date) -> "Timeline":
        """This timeline with every week offset turned into a date counted from `start`."""
        from dataclasses import replace
        return replace(self, gatherings=tuple(g if g.date else replace(g, date=start + timedelta(weeks=g.week or 0))
                                              for g in self.gatherings))

    def gaps(self) -> tuple[tuple[Gathering, Gathering], ...]:
        return tuple(zip(self.gatherings, self.gatherings[1:]))

    def dates(self) -> dict[str, date]:
        """The date of each gathering that has one (all of them once the timeline is dated)."""
        return {g.id: g.date for g in self.gatherings if g.date is not None}

    def gap_days(self, first: Gathering, second: Gathering) -> int:
        if first.date and second.date:
            return (second.date - first.date).days
        return ((second.week or 0) - (first.week or 0)) * 7

    def due_date(self, hw: Homework) -> date | None:
        when = self.dates().get(hw.before)
        return None if when is None else when - timedelta(days=hw.due_days_before)


@dataclass(frozen=True)
class Programme:
    """A region's run of the programme, from a programme file (`--programme region.yml`)."""
    region: str
    municipalities: tuple[str, ...]
    source: Source
    revised: int = 0     # when the file was last changed (Unix time): calendars take the newer version


@dataclass(frozen=True)
class Media:
    name: str            # file name under media/
    data: bytes


def passes(correct: int, total: int, mastery: int) -> bool:
    """The pass rule in integers: at least `mastery` % of `total` right, never rounded (35 of 44 is
    79.5 %: not passed at 80). Twin: KSRule.passes in assets/js/learner/rule.js (bound by the
    golden vectors, tests/formats/test_learner_vectors.py)."""
    return total > 0 and correct * 100 >= mastery * total


@dataclass(frozen=True)
class FigureStep:
    """One box, phase or milestone of a figure (course/figures/<id>.yml), in the course's words."""
    label: str                 # the short name drawn in the figure
    text: str = ""             # what it means, one or two sentences (drawn, and in the text version)
    reference: str = ""        # the law behind it
    by_law: bool = False       # a year figure: the law sets its time (else the time is common practice)
    arrow: str = ""            # a chain: what the arrow to the next step says
    months: tuple[int, ...] = ()   # a year figure: the months (1–12) it spans
    when: str = ""             # a year figure: when, in words («Oktober–november»)


@dataclass(frozen=True)
class Figure:
    """A figure drawn by the build from its data (builder/render/figures.py), so its words are text:
    translated like any other, read aloud from its text version, never pixels in a picture."""
    id: str
    type: str                  # "kjede" (top to bottom), "syklus" (a cycle), "årshjul" (the months)
    title: str
    caption: str               # what the reader should notice
    steps: tuple[FigureStep, ...]
    note: str = ""             # a line under the drawing, e.g. «Så begynner en ny runde»
    source: Source = Source("", 0)


@dataclass(frozen=True)
class Owner:
    """An organisation behind the course, with its logo (a media file, SVG) when it has one."""
    name: str
    logo: str = ""


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    subtitle: str
    language: str
    organisation: str
    version: str
    mastery_score: int
    goals: tuple[Goal, ...]
    modules: tuple[Module, ...]
    timeline: Timeline
    media: tuple[Media, ...] = field(default=())
    programme: Programme | None = None
    colour: str = "#0b5d7a"   # the course colour (accent tokens of the look), checked for 4.5:1 against white
    audience: str = ""        # who the course is for, in one sentence (front page)
    cover: str = ""           # media file name of the course's cover illustration
    # Glossary links in page HTML (href="#ord-<slug>"): slug → (module id, page id, slug of the <dt>)
    glossary: dict = field(default_factory=dict)
    # The linked terms' explanations: slug of the <dt> → (term as plain text, explanation HTML)
    definitions: dict = field(default_factory=dict)
    source: Source = Source("course.yml", 0)      # where the course's title is written
    final_test_attempts: int = 3     # graded attempts before a graded quiz shows its answers
    languages: tuple[str, ...] = ()  # the editions a whole build makes (course.yml `languages:`), source first
    draft: bool = False              # a translated edition built with untranslated or unreviewed segments
    materials: tuple[Material, ...] = ()    # course/materials/: what gatherings and homework print
    owners: tuple["Owner", ...] = ()        # who stands behind the course (header, certificate)
    # A course cut to one module (`only`) keeps the modules that hold its glossary here: a module's
    # package carries their glossary pages to look terms up in, outside its reading order.
    lookup: tuple["Module", ...] = ()
    figures: tuple[Figure, ...] = ()        # course/figures/: figures pages place with `:::figur <id>`

    def figure(self, figure_id: str) -> Figure:
        return next(f for f in self.figures if f.id == figure_id)

    def material(self, material_id: str) -> Material:
        return next(m for m in self.materials if m.id == material_id)

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)

    def questions(self):
        return [q for m in self.modules if m.quiz for q in m.quiz.questions]

    def reflections(self):
        return [r for m in self.modules for r in m.reflections]

    def homework(self):
        return [h for m in self.modules for h in m.homework]

    def counting_quizzes(self) -> tuple[str, ...]:
        """The quizzes whose score decides whether this course (or module package) is passed: the
        graded ones, or every quiz when none is graded (a module package: its module quiz). The one
        rule the quiz page (verdict and pass mark), the SCORM runtime and the manifest follow."""
        quizzes = [m.quiz for m in self.modules if m.quiz]
        return tuple(q.id for q in quizzes if q.graded) or tuple(q.id for q in quizzes)

    def only(self, module_id: str) -> "Course":
        """The course reduced to one module, as packaged for a homework assignment."""
        from dataclasses import replace
        holding_terms = {module for module, _, _ in self.glossary.values()} - {module_id}
        lookup = tuple(m for m in self.modules + self.lookup if m.id in holding_terms) if holding_terms else ()
        return replace(self, modules=(self.module(module_id),), lookup=lookup)

