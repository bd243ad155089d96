"""The course as a Moodle course backup (format moodle2, .mbz): what goes where.

The layout and the fields are those of a backup made by Moodle 5.1 itself (`admin/cli/backup.php`
of a course with a section, a SCORM activity, an assignment and a question bank; see README.md),
reduced to what a restore reads. Identifiers are small numbers given in course order, never
database ids or random stamps, and every time is the programme's or the build's fixed epoch, so
the same sources give the same bytes."""

from __future__ import annotations

import hashlib
import io
import mimetypes
import posixpath
import tarfile
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from lxml import etree

from builder.formats.moodle.xml import E, document, fields
from builder.infra.packaging import cut_before, gzip_bytes

BACKUP_VERSION = "2025100600"        # the Moodle 5.1 backup this layout was taken from
BACKUP_RELEASE = "5.1"
OSLO = ZoneInfo("Europe/Oslo")
SYSTEM_CONTEXT = 1
COURSE_CONTEXT = 2
COURSE_ID = 1
GRADE_CATEGORY = 1
STUDENT_ROLE = 5

# Moodle's own MIME types for what our packages hold (lib/classes/filetypes.php); the player sends
# each file with the type stored here, and browsers refuse a script served as text/plain.
MIME = {".js": "application/x-javascript", ".css": "text/css", ".html": "text/html", ".htm": "text/html",
        ".xml": "application/xml", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
        ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
        ".zip": "application/zip", ".txt": "text/plain", ".woff2": "font/woff2", ".woff": "font/woff",
        ".pdf": "application/pdf", ".mp3": "audio/mp3", ".mp4": "video/mp4", ".vtt": "text/vtt"}


def mimetype(name: str) -> str:
    ext = posixpath.splitext(name)[1].lower()
    return MIME.get(ext) or mimetypes.guess_type(name)[0] or "document/unknown"


def moment(day: date | None, at: time = time(0, 0)) -> int:
    """A programme date as Moodle stores it: Unix time of that wall-clock time in Norway; 0 = no date."""
    if day is None:
        return 0
    return int(datetime.combine(day, at, tzinfo=OSLO).timestamp())


def oslo_date(stamp: int) -> date | None:
    return None if not stamp else datetime.fromtimestamp(stamp, tz=timezone.utc).astimezone(OSLO).date()


@dataclass
class StoredFile:
    id: int
    contextid: int
    component: str
    filearea: str
    itemid: int
    filepath: str
    filename: str
    data: bytes

    @cached_property
    def contenthash(self) -> str:         # files.xml names it and the file's place in the archive
        return hashlib.sha1(self.data).hexdigest()


@dataclass
class Scorm:
    """One SCORM 1.2 activity: the package and the settings our packages need under Moodle."""
    name: str
    intro: str
    package_name: str
    package: bytes
    settings: dict
    completion_expected: int = 0
    gradepass: float = 0.0
    idnumber: str = ""
    files: dict[str, bytes] = field(default_factory=dict)   # images of the intro: name → bytes


@dataclass
class Assignment:
    name: str
    intro: str
    activity: str
    allow_from: int
    due: int
    grading_due: int
    team: bool
    idnumber: str = ""
    files: dict[str, bytes] = field(default_factory=dict)   # images of the intro: name → bytes


@dataclass
class Resource:
    """A file on the course page (mod_resource), e.g. a gathering pack. `visible` 0 hides it from
    students; teachers still see it (moodle/course:viewhiddenactivities)."""
    name: str
    intro: str
    filename: str
    data: bytes
    visible: int = 1
    idnumber: str = ""
    files: dict[str, bytes] = field(default_factory=dict)   # images of the intro (none so far)


@dataclass
class Section:
    name: str
    summary: str
    activities: list = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)   # summary images: name → bytes


@dataclass
class Plan:
    """Everything the backup holds, decided by the builder from the model."""
    shortname: str
    fullname: str
    summary: str
    startdate: int
    enddate: int
    stamp: int
    sections: list[Section]
    groups: tuple[str, ...]
    bank_name: str
    bank_intro: str
    categories: list            # (name, info, idnumber, [MoodleQuestion])
    completion_activities: str  # "all" SCORM activities decide course completion
    filename: str
    lang: str = ""              # the course's forced language; "" (the site's) for the source edition
    badge: "Badge | None" = None   # awarded on course completion


@dataclass(frozen=True)
class Badge:
    """A course badge (Open Badges, Moodle's own) whose one criterion is completing the course."""
    name: str
    description: str
    issuer: str
    subject: str           # the message Moodle sends with the badge
    message: str
    images: dict           # f1.png, f2.png, f3.png (builder/formats/moodle/badge.py)


class Backup:
    """Turns a Plan into the files of an .mbz (path inside the archive → bytes)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.files: dict[str, bytes] = {}
        self.stored: list[StoredFile] = []
        # (context, component, area, item, path, name) of every stored file: built anew per file it
        # made storing quadratic (344 files, moodle format after a page edit, cProfile: 0.08 s).
        self._known: set[tuple] = set()
        self.counters: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def store(self, contextid: int, component: str, filearea: str, path: str, data: bytes, itemid: int = 0) -> list[int]:
        """Add a file (and, as Moodle does, the directory entries '.' of its folder) to files.xml."""
        folder, name = posixpath.split("/" + path)
        folder = folder.rstrip("/") + "/"
        ids = []
        known = self._known
        parts = [p for p in folder.split("/") if p]
        for depth in range(len(parts) + 1):
            d = "/" + "/".join(parts[:depth]) + ("/" if depth else "")
            if (contextid, component, filearea, itemid, d, ".") not in known:
                f = StoredFile(self.next("file"), contextid, component, filearea, itemid, d, ".", b"")
                self.stored.append(f)
                known.add((contextid, component, filearea, itemid, d, "."))
                ids.append(f.id)
        f = StoredFile(self.next("file"), contextid, component, filearea, itemid, folder, name, data)
        self.stored.append(f)
        known.add((contextid, component, filearea, itemid, folder, name))
        ids.append(f.id)
        return ids

    def put(self, path: str, root: E) -> None:
        self.files[path] = document(root)

    # ------------------------------------------------------------------------------------------
    def build(self) -> dict[str, bytes]:
        p = self.plan
        activities, sections = [], []
        for number, section in enumerate(p.sections):
            sid = number + 1
            sections.append((sid, number, section))
            for act in section.activities:
                cmid = self.next("cm")
                activities.append((cmid, sid, number, act))
        bank_cmid = self.next("cm")
        activities.append((bank_cmid, 1, 0, "qbank"))

        for sid, number, section in sections:
            self.section(sid, number, section, [a[0] for a in activities if a[1] == sid and a[3] != "qbank"])
        grade_items = [self.activity(cmid, sid, number, act) for cmid, sid, number, act in activities if act != "qbank"]
        grade_items = [g for g in grade_items if g is not None]
        self.qbank(bank_cmid)
        self.course(grade_items)
        self.completion([(cmid, act) for cmid, _, _, act in activities if isinstance(act, Scorm)])
        if p.badge:
            self.badges(p.badge)
        self.root_files()
        self.files_xml()
        self.moodle_backup(sections, activities)
        return self.files

    # ------------------------------------------------------------------------------------------
    def section(self, sid: int, number: int, section: Section, cmids: list[int]) -> None:
        refs = []
        for name, data in sorted(section.files.items()):
            refs += self.store(COURSE_CONTEXT, "course", "section", name, data, itemid=sid)
        self.put(f"sections/section_{sid}/section.xml", E("section", [
            *fields(number=number, name=section.name if section.name else None, summary=section.summary,
                    summaryformat=1, sequence=",".join(map(str, cmids)), visible=1, availabilityjson=None,
                    component=None, itemid=None, timemodified=self.plan.stamp)], id=sid))
        self.put(f"sections/section_{sid}/inforef.xml", E("inforef", [E("fileref", [E("file", [E("id", i)]) for i in refs])]
                                                           if refs else []))

    def module_xml(self, cmid: int, modname: str, sid: int, number: int, *, visible: int = 1, completion: int = 0,
                   expected: int = 0, groupmode: int = 0, idnumber: str | None = "", showdescription: int = 1) -> None:
        self.put(f"activities/{modname}_{cmid}/module.xml", E("module", fields(
            modulename=modname, sectionid=sid, sectionnumber=number, idnumber=idnumber, added=self.plan.stamp,
            score=0, indent=0, visible=visible, visibleoncoursepage=visible, visibleold=visible, groupmode=groupmode,
            groupingid=0, completion=completion, completiongradeitemnumber=None, completionpassgrade=0,
            completionview=0, completionexpected=expected, availability=None, showdescription=showdescription,
            downloadcontent=1, lang=None, enableaitools=None, enabledaiactions=None) + [E("tags", [])],
            id=cmid, version=BACKUP_VERSION))

    def grade_item(self, modname: str, instance: int, name: str, idnumber: str, gradepass: float, sortorder: int) -> E:
        gid = self.next("grade_item") + 1     # 1 is the course's own grade item
        return E("grade_item", fields(
            categoryid=GRADE_CATEGORY, itemname=name, itemtype="mod", itemmodule=modname, iteminstance=instance,
            itemnumber=0, iteminfo=None, idnumber=idnumber, calculation=None, gradetype=1, grademax="100.00000",
            grademin="0.00000", scaleid=None, outcomeid=None, gradepass=f"{gradepass:.5f}", multfactor="1.00000",
            plusfactor="0.00000", aggregationcoef="0.00000", aggregationcoef2="0.00000", weightoverride=0,
            sortorder=sortorder, display=0, decimals=None, hidden=0, locked=0, locktime=0, needsupdate=0,
            timecreated=self.plan.stamp, timemodified=self.plan.stamp) + [E("grade_grades", [])], id=gid)

    def activity(self, cmid: int, sid: int, number: int, act) -> E | None:
        if isinstance(act, Resource):
            return self.resource(cmid, sid, number, act)
        modname = "scorm" if isinstance(act, Scorm) else "assign"
        instance = self.next(modname)
        context = 100 + cmid
        folder = f"activities/{modname}_{cmid}"
        refs: list[int] = []
        for name, data in sorted(act.files.items()):
            refs += self.store(context, f"mod_{modname}", "intro", name, data)
        if isinstance(act, Scorm):
            self.module_xml(cmid, modname, sid, number, completion=2, expected=act.completion_expected,
                            idnumber=act.idnumber)
            refs += self.store(context, "mod_scorm", "package", act.package_name, act.package)
            with zipfile.ZipFile(io.BytesIO(act.package)) as z:
                for name in sorted(z.namelist()):
                    if not name.endswith("/"):
                        refs += self.store(context, "mod_scorm", "content", name, z.read(name))
                manifest = z.read("imsmanifest.xml")
            scoes, launch = scoes_of(manifest, self)
            s = act.settings
            body = fields(name=act.name, scormtype="local", reference=act.package_name, intro=act.intro, introformat=1,
                          version="SCORM_1.2", maxgrade=s["maxgrade"], grademethod=s["grademethod"],
                          whatgrade=s["whatgrade"], maxattempt=s["maxattempt"], forcecompleted=s["forcecompleted"],
                          forcenewattempt=s["forcenewattempt"], lastattemptlock=s["lastattemptlock"],
                          masteryoverride=s["masteryoverride"], displayattemptstatus=s["displayattemptstatus"],
                          displaycoursestructure=s["displaycoursestructure"], updatefreq=0,
                          sha1hash=hashlib.sha1(act.package).hexdigest(), md5hash="", revision=1, launch=launch,
                          skipview=s["skipview"], hidebrowse=s["hidebrowse"], hidetoc=s["hidetoc"], nav=s["nav"],
                          navpositionleft=s["navpositionleft"], navpositiontop=s["navpositiontop"], auto=s["auto"],
                          popup=s["popup"], options="", width=s["width"], height=s["height"], timeopen=0, timeclose=0,
                          timemodified=self.plan.stamp, completionstatusrequired=s["completionstatusrequired"],
                          completionscorerequired=s["completionscorerequired"],
                          completionstatusallscos=s["completionstatusallscos"], autocommit=s["autocommit"])
            root = E("scorm", body + [E("scoes", scoes)], id=instance)
            gitem = self.grade_item("scorm", instance, act.name, act.idnumber, act.gradepass, cmid + 1)
        else:
            # The full text is on the assignment's own page; on the course page it would bury the activities.
            self.module_xml(cmid, modname, sid, number, completion=2, expected=act.due,
                            groupmode=1 if act.team and self.plan.groups else 0, idnumber=act.idnumber,
                            showdescription=0)
            configs = [("onlinetext", "assignsubmission", "enabled", 1), ("onlinetext", "assignsubmission", "wordlimit", 0),
                       ("onlinetext", "assignsubmission", "wordlimitenabled", 0),
                       ("file", "assignsubmission", "enabled", 1), ("file", "assignsubmission", "maxfilesubmissions", 5),
                       ("file", "assignsubmission", "maxsubmissionsizebytes", 0),
                       ("file", "assignsubmission", "filetypeslist", ""),
                       ("comments", "assignsubmission", "enabled", 1), ("comments", "assignfeedback", "enabled", 1),
                       ("editpdf", "assignfeedback", "enabled", 0), ("offline", "assignfeedback", "enabled", 0),
                       ("file", "assignfeedback", "enabled", 0)]
            body = fields(name=act.name, intro=act.intro, introformat=1, alwaysshowdescription=1, submissiondrafts=0,
                          sendnotifications=0, sendlatenotifications=0, sendstudentnotifications=1, duedate=act.due,
                          cutoffdate=0, gradingduedate=act.grading_due, allowsubmissionsfromdate=act.allow_from,
                          grade=100, timemodified=self.plan.stamp, completionsubmit=1, requiresubmissionstatement=0,
                          teamsubmission=int(act.team), requireallteammemberssubmit=0, teamsubmissiongroupingid=0,
                          blindmarking=0, hidegrader=0, revealidentities=0, attemptreopenmethod="untilpass",
                          maxattempts=-1, markingworkflow=0, markingallocation=0, markinganonymous=0,
                          preventsubmissionnotingroup=0, activity=act.activity, activityformat=1, timelimit=0,
                          submissionattachments=0, gradepenalty=0)
            plugin_configs = [E("plugin_config", fields(plugin=a, subtype=b, name=c, value=d), id=i + 1 + 100 * instance)
                              for i, (a, b, c, d) in enumerate(configs)]
            root = E("assign", body + [E("userflags", []), E("submissions", []), E("grades", []),
                                       E("plugin_configs", plugin_configs), E("overrides", [])], id=instance)
            gitem = self.grade_item("assign", instance, act.name, act.idnumber, 0.0, cmid + 1)
            self.put(f"{folder}/grading.xml", E("areas", []))
        self.put(f"{folder}/{modname}.xml", E("activity", [root], id=instance, moduleid=cmid, modulename=modname,
                                               contextid=context))
        self.put(f"{folder}/grades.xml", E("activity_gradebook", [E("grade_items", [gitem]), E("grade_letters", [])]))
        inforef = []
        if refs:
            inforef.append(E("fileref", [E("file", [E("id", i)]) for i in refs]))
        inforef.append(E("grade_itemref", [E("grade_item", [E("id", gitem.attrs["id"])])]))
        self.put(f"{folder}/inforef.xml", E("inforef", inforef))
        self.put(f"{folder}/roles.xml", E("roles", [E("role_overrides", []), E("role_assignments", [])]))
        return gitem

    def resource(self, cmid: int, sid: int, number: int, act: Resource) -> None:
        """A file resource: no grade, no completion; shown in a new window (display 0: automatic)."""
        instance = self.next("resource")
        context = 100 + cmid
        folder = f"activities/resource_{cmid}"
        self.module_xml(cmid, "resource", sid, number, visible=act.visible, idnumber=act.idnumber)
        refs = self.store(context, "mod_resource", "content", act.filename, act.data)
        body = fields(name=act.name, intro=act.intro, introformat=1, tobemigrated=0, legacyfiles=0,
                      legacyfileslast=None, display=0, displayoptions='a:1:{s:10:"printintro";i:1;}',
                      filterfiles=0, revision=1, timemodified=self.plan.stamp)
        self.put(f"{folder}/resource.xml", E("activity", [E("resource", body, id=instance)], id=instance,
                                             moduleid=cmid, modulename="resource", contextid=context))
        self.put(f"{folder}/grades.xml", E("activity_gradebook", [E("grade_items", []), E("grade_letters", [])]))
        self.put(f"{folder}/inforef.xml", E("inforef", [E("fileref", [E("file", [E("id", i)]) for i in refs])]))
        self.put(f"{folder}/roles.xml", E("roles", [E("role_overrides", []), E("role_assignments", [])]))
        return None

    def qbank(self, cmid: int) -> None:
        p = self.plan
        context = 100 + cmid
        folder = f"activities/qbank_{cmid}"
        self.module_xml(cmid, "qbank", 1, 0, visible=0, idnumber=None)
        self.put(f"{folder}/qbank.xml", E("activity", [E("qbank", fields(
            name=p.bank_name, timecreated=p.stamp, timemodified=p.stamp, intro=p.bank_intro, introformat=1,
            type="standard"), id=1)], id=1, moduleid=cmid, modulename="qbank", contextid=context))
        self.put(f"{folder}/inforef.xml", E("inforef", [E("question_categoryref", [
            E("question_category", [E("id", i)]) for i in range(1, len(p.categories) + 2)])]))
        self.put(f"{folder}/roles.xml", E("roles", [E("role_overrides", []), E("role_assignments", [])]))
        self.put(f"{folder}/grades.xml", E("activity_gradebook", [E("grade_items", []), E("grade_letters", [])]))
        self.put("questions.xml", question_categories(p, context, cmid))

    def course(self, grade_items: list[E]) -> None:
        p = self.plan
        self.put("course/course.xml", E("course", fields(
            shortname=p.shortname, fullname=p.fullname, idnumber="", summary=p.summary, summaryformat=1,
            format="topics", showgrades=1, newsitems=0, startdate=p.startdate, enddate=p.enddate, marker=0,
            maxbytes=0, legacyfiles=0, showreports=0, visible=1, groupmode=0, groupmodeforce=0,
            defaultgroupingid=0, lang=p.lang, theme="", timecreated=p.stamp, timemodified=p.stamp, requested=0,
            showactivitydates=1, showcompletionconditions=1, pdfexportfont=None, enablecompletion=1,
            completionnotify=0, enableaitools=None) + [
            E("category", fields(name="", description=None), id=1), E("tags", []), E("customfields", []),
            E("courseformatoptions", [
                E("courseformatoption", fields(format="topics", sectionid=0, name="hiddensections", value=1)),
                E("courseformatoption", fields(format="topics", sectionid=0, name="coursedisplay", value=0))])],
            id=COURSE_ID, contextid=COURSE_CONTEXT))
        self.put("course/inforef.xml", E("inforef", []))
        self.put("course/roles.xml", E("roles", [E("role_overrides", []), E("role_assignments", [])]))
        self.put("gradebook.xml", E("gradebook", [
            E("attributes", []),
            E("grade_categories", [E("grade_category", fields(
                parent=None, depth=1, path=f"/{GRADE_CATEGORY}/", fullname="?", aggregation=13, keephigh=0, droplow=0,
                aggregateonlygraded=1, aggregateoutcomes=0, timecreated=p.stamp, timemodified=p.stamp, hidden=0),
                id=GRADE_CATEGORY)]),
            E("grade_items", [E("grade_item", fields(
                categoryid=None, itemname=None, itemtype="course", itemmodule=None, iteminstance=GRADE_CATEGORY,
                itemnumber=None, iteminfo=None, idnumber=None, calculation=None, gradetype=1,
                grademax=f"{100 * len(grade_items)}.00000", grademin="0.00000", scaleid=None, outcomeid=None,
                gradepass="0.00000", multfactor="1.00000", plusfactor="0.00000", aggregationcoef="0.00000",
                aggregationcoef2="0.00000", weightoverride=0, sortorder=1, display=0, decimals=None, hidden=0,
                locked=0, locktime=0, needsupdate=0, timecreated=p.stamp, timemodified=p.stamp) + [E("grade_grades", [])],
                id=1)]),
            E("grade_letters", []),
            E("grade_settings", [E("grade_setting", fields(name="minmaxtouse", value=1), id="")])]))
        self.put("groups.xml", E("groups", [
            *[E("group", fields(name=g, idnumber="", description="", descriptionformat=1, enrolmentkey="",
                                picture=0, visibility=0, participation=1, timecreated=p.stamp, timemodified=p.stamp)
                + [E("group_members", [])], id=i + 1) for i, g in enumerate(p.groups)],
            E("groupcustomfields", []), E("groupings", [E("groupingcustomfields", [])])]))

    def completion(self, scorms: list[tuple[int, Scorm]]) -> None:
        criteria = [E("course_completion_criteria", fields(
            course=COURSE_ID, criteriatype=4, module="scorm", moduleinstance=cmid, courseinstanceshortname=None,
            enrolperiod=None, timeend=None, gradepass=None, role=None, roleshortname=None)
            + [E("course_completion_crit_completions", [])], id=i + 1) for i, (cmid, _) in enumerate(scorms)]
        methods = [E("course_completion_aggr_methd", fields(course=COURSE_ID, criteriatype=None, method=1, value=None), id=1),
                   E("course_completion_aggr_methd", fields(course=COURSE_ID, criteriatype=4, method=1, value=None), id=2)]
        self.put("completion.xml", E("course_completion", criteria + methods))

    def badges(self, badge: Badge) -> None:
        """badges.xml as backup_badges_structure_step writes it: one course badge with the overall
        criterion and «completes the course» (BADGE_CRITERIA_TYPE_COURSE = 4), and its picture."""
        def criterion(cid: int, kind: int, parameters: list) -> E:
            return E("criterion", fields(badgeid=1, criteriatype=kind, method=1, description="", descriptionformat=1)
                     + [E("parameters", parameters)], id=cid)
        course = [E("parameter", fields(critid=2, name=f"course_{COURSE_ID}", value=COURSE_ID, criteriatype=4), id=1)]
        self.put("badges.xml", E("badges", [E("badge", fields(
            name=badge.name, description=badge.description, timecreated=self.plan.stamp, timemodified=self.plan.stamp,
            usercreated=None, usermodified=None, issuername=badge.issuer, issuerurl="", issuercontact="",
            expiredate=None, expireperiod=None, type=2, courseid=COURSE_ID, message=badge.message,
            messagesubject=badge.subject, attachment=1, notification=0, status=1, nextcron=None, version="",
            language=self.plan.lang or None, imagecaption=badge.name) + [
            E("criteria", [criterion(1, 0, []), criterion(2, 4, course)]),
            E("alignments", []), E("relatedbadges", []), E("manual_awards", []), E("tags", [])], id=1)]))
        for name, data in badge.images.items():
            self.store(COURSE_CONTEXT, "badges", "badgeimage", name, data, itemid=1)

    def root_files(self) -> None:
        self.put("roles.xml", E("roles_definition", [E("role", fields(
            name="", shortname="student", nameincourse=None, description="", sortorder=STUDENT_ROLE, archetype="student"),
            id=STUDENT_ROLE)]))
        self.put("scales.xml", E("scales_definition", []))
        self.put("outcomes.xml", E("outcomes_definition", []))

    def files_xml(self) -> None:
        entries = []
        for f in self.stored:
            directory = f.filename == "."
            entries.append(E("file", fields(
                contenthash=f.contenthash, contextid=f.contextid, component=f.component, filearea=f.filearea,
                itemid=f.itemid, filepath=f.filepath, filename=f.filename, userid=None, filesize=len(f.data),
                mimetype=None if directory else mimetype(f.filename), status=0, timecreated=self.plan.stamp,
                timemodified=self.plan.stamp, source=None, author=None, license=None, sortorder=0,
                repositorytype=None, repositoryid=None, reference=None), id=f.id))
            if not directory:
                self.files[f"files/{f.contenthash[:2]}/{f.contenthash}"] = f.data
        self.put("files.xml", E("files", entries))

    def moodle_backup(self, sections, activities) -> None:
        p = self.plan
        acts = [E("activity", fields(moduleid=cmid, sectionid=sid, modulename=_modname(act), title=_title(act, p),
                                     directory=f"activities/{_modname(act)}_{cmid}", insubsection=""))
                for cmid, sid, _, act in activities]
        secs = [E("section", fields(sectionid=sid, title=section.name or str(number),
                                    directory=f"sections/section_{sid}", parentcmid="", modname=""))
                for sid, number, section in sections]
        root_settings = {"filename": p.filename, "imscc11": 0, "users": 0, "anonymize": 0, "role_assignments": 0,
                         "activities": 1, "blocks": 0, "files": 1, "filters": 0, "comments": 0, "badges": 1 if self.plan.badge else 0,
                         "calendarevents": 0, "userscompletion": 0, "logs": 0, "grade_histories": 0, "groups": 1,
                         "competencies": 0, "customfield": 0, "contentbankcontent": 0, "xapistate": 0,
                         "legacyfiles": 0}
        settings = [E("setting", fields(level="root", name=k, value=v)) for k, v in root_settings.items()]
        for sid, _, _ in sections:
            for what, value in (("included", 1), ("userinfo", 0)):
                settings.append(E("setting", [E("level", "section"), E("section", f"section_{sid}"),
                                              E("name", f"section_{sid}_{what}"), E("value", value)]))
            for cmid, asid, _, act in activities:
                if asid == sid:
                    key = f"{_modname(act)}_{cmid}"
                    for what, value in (("included", 1), ("userinfo", 0)):
                        settings.append(E("setting", [E("level", "activity"), E("activity", key),
                                                      E("name", f"{key}_{what}"), E("value", value)]))
        info = fields(name=p.filename, moodle_version=BACKUP_VERSION + ".00", moodle_release=BACKUP_RELEASE,
                      backup_version=BACKUP_VERSION, backup_release=BACKUP_RELEASE, backup_date=p.stamp,
                      mnet_remoteusers=0, include_files=1, include_file_references_to_external_content=0,
                      original_wwwroot="https://kulturskole.invalid", original_site_identifier_hash=
                      hashlib.md5(p.shortname.encode()).hexdigest(), original_course_id=COURSE_ID,
                      original_course_format="topics", original_course_fullname=p.fullname,
                      original_course_shortname=p.shortname, original_course_startdate=p.startdate,
                      original_course_enddate=p.enddate, original_course_contextid=COURSE_CONTEXT,
                      original_system_contextid=SYSTEM_CONTEXT)
        details = E("details", [E("detail", fields(type="course", format="moodle2", interactive=1, mode=10,
                                                   execution=1, executiontime=0),
                                  backup_id=hashlib.md5(p.filename.encode()).hexdigest())])
        contents = E("contents", [E("activities", acts), E("sections", secs),
                                  E("course", fields(courseid=COURSE_ID, title=p.shortname, directory="course"))])
        self.put("moodle_backup.xml", E("moodle_backup", [E("information", info + [details, contents,
                                                                                 E("settings", settings)])]))


def _modname(act) -> str:
    if act == "qbank":
        return "qbank"
    return "scorm" if isinstance(act, Scorm) else "resource" if isinstance(act, Resource) else "assign"


def _title(act, plan: Plan) -> str:
    return plan.bank_name if act == "qbank" else act.name


def question_categories(p: Plan, context: int, cmid: int) -> E:
    """questions.xml: the bank's top category and one category per module with its questions."""
    from builder.formats.moodle.questions import fraction
    cats = [E("question_category", fields(
        name="top", contextid=context, contextlevel=70, contextinstanceid=cmid, info="", infoformat=0,
        stamp=f"kulturskole+{p.shortname}+top", parent=0, sortorder=0, idnumber=None)
        + [E("question_bank_entries", [])], id=1)]
    qid = answer_id = 0
    for n, (name, info, idnumber, questions) in enumerate(p.categories, start=2):
        entries = []
        for mq in questions:
            qid += 1
            q = mq.source
            if mq.qtype == "multichoice":
                answers = []
                for a in mq.answers:
                    answer_id += 1
                    answers.append(E("answer", fields(answertext=a.text, answerformat=1, fraction=fraction(a.fraction),
                                                      feedback=a.feedback, feedbackformat=1), id=answer_id))
                plugin = E("plugin_qtype_multichoice_question", [E("answers", answers), E("multichoice", fields(
                    layout=0, single=int(mq.single), shuffleanswers=1, correctfeedback="", correctfeedbackformat=1,
                    partiallycorrectfeedback="", partiallycorrectfeedbackformat=1, incorrectfeedback="",
                    incorrectfeedbackformat=1, answernumbering="abc", shownumcorrect=int(not mq.single),
                    showstandardinstruction=1), id=qid)])
            elif mq.qtype == "truefalse":
                answers, ids = [], {}
                for a in sorted(mq.answers, key=lambda a: a.text != "true"):
                    answer_id += 1
                    ids[a.text] = answer_id
                    answers.append(E("answer", fields(answertext="True" if a.text == "true" else "False",
                                                      answerformat=0, fraction=fraction(a.fraction), feedback=a.feedback,
                                                      feedbackformat=1), id=answer_id))
                plugin = E("plugin_qtype_truefalse_question", [E("answers", answers), E("truefalse", fields(
                    trueanswer=ids["true"], falseanswer=ids["false"], showstandardinstruction=0), id=qid)])
            else:
                matches = []
                for i, (sub, answer) in enumerate(mq.matches):
                    matches.append(E("match", fields(questiontext=sub, questiontextformat=1, answertext=answer),
                                     id=qid * 100 + i))
                plugin = E("plugin_qtype_match_question", [E("matchoptions", fields(
                    shuffleanswers=1, correctfeedback="", correctfeedbackformat=1, partiallycorrectfeedback="",
                    partiallycorrectfeedbackformat=1, incorrectfeedback="", incorrectfeedbackformat=1,
                    shownumcorrect=1), id=qid), E("matches", matches)])
            question = E("question", fields(
                parent=0, name=mq.name, questiontext=mq.text, questiontextformat=1, generalfeedback=mq.general_feedback,
                generalfeedbackformat=1, defaultmark="1.0000000",
                penalty="1.0000000" if mq.qtype == "truefalse" else "0.3333333", qtype=mq.qtype, length=1,
                stamp=f"kulturskole+{p.shortname}+{q.id}", timecreated=p.stamp, timemodified=p.stamp,
                createdby=None, modifiedby=None) + [plugin, E("question_hints", []), E("tags", [])], id=qid)
            entries.append(E("question_bank_entry", fields(questioncategoryid=n, idnumber=q.id, ownerid=None) + [
                E("question_version", [E("question_versions", fields(version=1, status="ready") + [
                    E("questions", [question])], id=qid)])], id=qid))
        cats.append(E("question_category", fields(
            name=name, contextid=context, contextlevel=70, contextinstanceid=cmid, info=info, infoformat=1,
            stamp=f"kulturskole+{p.shortname}+{idnumber}", parent=1, sortorder=n, idnumber=idnumber)
            + [E("question_bank_entries", entries)], id=n))
    return E("question_categories", cats)


def scoes_of(manifest: bytes, backup: Backup) -> tuple[list[E], int]:
    """The SCOs Moodle's manifest parser would store for a SCORM 1.2 package (mod/scorm/datamodels/
    scormlib.php): the organisation, then its items in document order; returns them and the launch SCO."""
    ns = {"c": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    root = etree.fromstring(manifest)
    ident = root.get("identifier")
    resources = {r.get("identifier"): r for r in root.iterfind("c:resources/c:resource", ns)}
    scoes, launch, order = [], 0, 0

    def sco(organization, parent, identifier, href, kind, title, data):
        nonlocal order, launch
        order += 1
        sid = backup.next("sco")
        if href and not launch:
            launch = sid
        datas = [E("sco_data", fields(name=k, value=v), id=backup.next("sco_data")) for k, v in data]
        scoes.append(E("sco", fields(manifest=ident, organization=organization, parent=parent, identifier=identifier,
                                     launch=href, scormtype=kind, title=title, sortorder=order) + [
            E("sco_datas", datas), E("seq_ruleconds", []), E("seq_rolluprules", []), E("seq_objectives", []),
            E("sco_tracks", [])], id=sid))

    def items(org_id, parent_id, node):
        for item in node.iterfind("c:item", ns):
            res = resources.get(item.get("identifierref") or "")
            href = res.get("href", "") if res is not None else ""
            kind = (res.get(f"{{{ns['adlcp']}}}scormtype", "") or "").lower() if res is not None else ""
            data = [("isvisible", item.get("isvisible", "true")), ("parameters", item.get("parameters", ""))]
            mastery = item.findtext("adlcp:masteryscore", namespaces=ns)
            if mastery:
                data.append(("masteryscore", mastery.strip()))
            sco(org_id, parent_id, item.get("identifier"), href, kind, item.findtext("c:title", "", ns), data)
            items(org_id, item.get("identifier"), item)

    for org in root.iterfind("c:organizations/c:organization", ns):
        sco("", "/", org.get("identifier"), "", "", org.findtext("c:title", "", ns), [])
        items(org.get("identifier"), org.get("identifier"), org)
    return scoes, launch


def write_mbz(files: dict[str, bytes], stamp: int) -> bytes:
    """The archive: a gzipped tar with the files at its root, sorted, with fixed times and owners."""
    buf, cuts = io.BytesIO(), []
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(files[name]), 0o644, stamp
            if cut_before(name):
                cuts.append(tar.offset)
            tar.addfile(info, io.BytesIO(files[name]))
    # In pieces kept by their bytes (builder/infra/packaging.py): after a page edit only the pieces
    # with the edited module's files are deflated again.
    return gzip_bytes(buf.getvalue(), cuts, stamp)
