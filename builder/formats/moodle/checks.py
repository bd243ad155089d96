"""`kulturskole check COURSE.mbz`: is this Moodle course backup whole, so a restore can read it?

A restore reads moodle_backup.xml, then every section and activity folder it lists, the course,
the question bank and files.xml, and copies each file from files/<hash> by the SHA-1 hash
files.xml names. What it finds missing it skips, often without a word, so a broken backup restores
as a course with holes. This check reads the archive as a restore would and reports, with the file
inside the backup and the line, every part that is missing, unparsable, or pointing at nothing:

1. the archive is a gzipped tar without absolute paths or `..` steps;
2. the XML files a restore needs exist and are well-formed;
3. moodle_backup.xml's sections and activities have their folders, with section.xml, module.xml and
   the activity's own XML (scorm.xml, assign.xml, ...), whose ids and names agree with it;
4. every section's sequence names activities of that section;
5. every file that an inforef.xml names is in files.xml, and every file in files.xml is in files/
   with the content hash and size files.xml gives;
6. a SCORM activity's launch SCO is one of its SCOs, and its package file is in files.xml;
7. the question categories a question bank names exist in questions.xml, and their parents too;
8. course completion criteria name activities of the backup.

It works on any moodle2 backup, ours or Moodle's own.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from lxml import etree

from builder.errors import Problem
from builder.infra import archives

REBUILD = "build it again with `kulturskole build --format moodle`"
NEEDED = ("moodle_backup.xml", "course/course.xml", "files.xml", "questions.xml", "roles.xml")


def read_archive(path: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The files of an .mbz (name → bytes), or the problem that stops reading it (bounded, no links:
    builder/infra/archives.py)."""
    label = path.name
    if zipfile.is_zipfile(path):
        return {}, [Problem(label, 0, "this is a zip file; Moodle 2.x and later write course backups as gzipped tar",
                            REBUILD)]
    try:
        files = archives.tar_files(path, "Moodle refuses to restore such a backup; " + REBUILD)
        for name, data in files.items():
            if name.endswith(".xml"):
                archives.refuse_dtd(name, data)
        return files, []
    except archives.Refused as refused:
        return {}, [Problem(f"{label}/{refused.member}" if refused.member else label, 0, refused.message, refused.hint)]


def check_mbz(path: Path) -> list[Problem]:
    """Every problem found in the backup at `path` ([] when a restore can read it whole)."""
    path = Path(path)
    files, problems = read_archive(path)
    if problems or not files:
        return problems or [Problem(path.name, 0, "the archive is empty", REBUILD)]
    return Backup(path.name, files).check()


class Backup:
    def __init__(self, label: str, files: dict[str, bytes]):
        self.label, self.files = label, files
        self.problems: list[Problem] = []
        self.trees: dict[str, etree._Element | None] = {}

    def problem(self, name: str, line: int, message: str, hint: str = REBUILD) -> None:
        self.problems.append(Problem(f"{self.label}/{name}", line, message, hint))

    def xml(self, name: str, needed_by: tuple[str, int] | None = None):
        """The parsed root of `name`, or None (with a problem) when it is missing or broken."""
        if name in self.trees:
            return self.trees[name]
        root = None
        if name not in self.files:
            if needed_by:
                self.problem(needed_by[0], needed_by[1], f"names {name}, which is not in the backup")
            else:
                self.problem(name, 0, "missing: a restore needs this file")
        else:
            try:
                root = archives.xml(self.files[name])
            except etree.XMLSyntaxError as err:
                self.problem(name, err.lineno or 0, f"not well-formed XML: {err.msg}")
            except archives.Refused as refused:
                self.problem(name, 1, refused.message, refused.hint)
        self.trees[name] = root
        return root

    def check(self) -> list[Problem]:
        for name in NEEDED:
            self.xml(name)
        main = self.trees.get("moodle_backup.xml")
        if main is None:
            return sorted(self.problems)
        info = main.find("information")
        if info is None:
            self.problem("moodle_backup.xml", main.sourceline, "no <information> element")
            return sorted(self.problems)
        fmt = info.find("details/detail/format")
        if fmt is None or fmt.text != "moodle2":
            self.problem("moodle_backup.xml", fmt.sourceline if fmt is not None else info.sourceline,
                         f"format is {fmt.text if fmt is not None else 'not given'!r}; a course backup is 'moodle2'")
        sections = self.sections(info)
        activities = self.activities(info, sections)
        for sid, (directory, line) in sections.items():
            self.sequence(sid, directory, activities)
        files = self.files_xml()
        self.inforefs(files)
        self.scorms(activities, files)
        self.questions(activities)
        self.completion(activities)
        return sorted(self.problems)

    # --- moodle_backup.xml ---------------------------------------------------------------------
    def sections(self, info) -> dict[str, tuple[str, int]]:
        found = {}
        for s in info.iterfind("contents/sections/section"):
            sid, directory = s.findtext("sectionid", ""), s.findtext("directory", "")
            found[sid] = (directory, s.sourceline)
            root = self.xml(f"{directory}/section.xml", ("moodle_backup.xml", s.sourceline))
            if root is not None and root.get("id") != sid:
                self.problem(f"{directory}/section.xml", root.sourceline,
                             f"section id {root.get('id')} differs from moodle_backup.xml's sectionid {sid}")
        if not found:
            self.problem("moodle_backup.xml", info.sourceline, "lists no sections; a course has at least section 0")
        return found

    def activities(self, info, sections) -> dict[str, dict]:
        found = {}
        for a in info.iterfind("contents/activities/activity"):
            cmid, modname = a.findtext("moduleid", ""), a.findtext("modulename", "")
            directory, sid = a.findtext("directory", ""), a.findtext("sectionid", "")
            found[cmid] = {"modname": modname, "directory": directory, "section": sid, "line": a.sourceline}
            if sid not in sections:
                self.problem("moodle_backup.xml", a.sourceline,
                             f"activity {cmid} ({modname}) is in section {sid}, which the backup does not list")
            module = self.xml(f"{directory}/module.xml", ("moodle_backup.xml", a.sourceline))
            if module is not None:
                if module.get("id") != cmid:
                    self.problem(f"{directory}/module.xml", module.sourceline,
                                 f"module id {module.get('id')} differs from moodle_backup.xml's moduleid {cmid}")
                if module.findtext("modulename") != modname:
                    self.problem(f"{directory}/module.xml", module.sourceline,
                                 f"modulename {module.findtext('modulename')!r} differs from moodle_backup.xml's {modname!r}")
            own = self.xml(f"{directory}/{modname}.xml", ("moodle_backup.xml", a.sourceline))
            if own is not None and own.get("moduleid") != cmid:
                self.problem(f"{directory}/{modname}.xml", own.sourceline,
                             f"moduleid {own.get('moduleid')} differs from moodle_backup.xml's {cmid}")
        return found

    def sequence(self, sid: str, directory: str, activities) -> None:
        name = f"{directory}/section.xml"
        root = self.trees.get(name)
        if root is None:
            return
        seq = root.find("sequence")
        for cmid in filter(None, (seq.text or "").split(",") if seq is not None else []):
            if cmid not in activities:
                self.problem(name, seq.sourceline, f"sequence names activity {cmid}, which the backup does not hold")
            elif activities[cmid]["section"] != sid:
                self.problem(name, seq.sourceline, f"sequence names activity {cmid}, which moodle_backup.xml puts "
                             f"in section {activities[cmid]['section']}")

    # --- files ---------------------------------------------------------------------------------
    def files_xml(self) -> dict[str, etree._Element]:
        root = self.trees.get("files.xml")
        found = {}
        if root is None:
            return found
        for f in root.iterfind("file"):
            fid = f.get("id", "")
            if fid in found:
                self.problem("files.xml", f.sourceline, f"file id {fid} appears twice")
            found[fid] = f
            if f.findtext("filename") == ".":
                continue
            digest, size = f.findtext("contenthash", ""), f.findtext("filesize", "")
            where = f"files/{digest[:2]}/{digest}"
            label = f"file {fid} ({f.findtext('filepath', '')}{f.findtext('filename', '')})"
            if where not in self.files:
                self.problem("files.xml", f.sourceline, f"{label}: its content {where} is not in the backup")
                continue
            data = self.files[where]
            actual = hashlib.sha1(data).hexdigest()
            if actual != digest:
                self.problem("files.xml", f.sourceline, f"{label}: {where} has the content hash {actual}, "
                             f"not the {digest} files.xml names (the file was changed or damaged)")
            if size.isdigit() and int(size) != len(data):
                self.problem("files.xml", f.sourceline, f"{label}: filesize {size} but {where} holds {len(data)} bytes")
        return found

    def inforefs(self, files) -> None:
        for name in sorted(n for n in self.files if n.endswith("/inforef.xml")):
            root = self.xml(name)
            if root is None:
                continue
            for ref in root.iterfind("fileref/file/id"):
                if (ref.text or "") not in files:
                    self.problem(name, ref.sourceline, f"names file {ref.text}, which files.xml does not list")

    # --- activities ----------------------------------------------------------------------------
    def scorms(self, activities, files) -> None:
        # files.xml's SCORM files by (file area, context), read once: asked per activity, each of the
        # 16 activities walked all ~1,100 files (moodle format after a page edit, cProfile: 0.55 s).
        areas: dict[tuple[str, str], list] = {}
        for f in files.values():
            if f.findtext("component") == "mod_scorm":
                areas.setdefault((f.findtext("filearea"), f.findtext("contextid")), []).append(f)
        for cmid, a in activities.items():
            if a["modname"] != "scorm":
                continue
            name = f"{a['directory']}/scorm.xml"
            root = self.trees.get(name)
            if root is None:
                continue
            scorm = root.find("scorm")
            if scorm is None:
                self.problem(name, root.sourceline, "no <scorm> element")
                continue
            scoes = {s.get("id"): s for s in scorm.iterfind("scoes/sco")}
            launch = scorm.find("launch")
            if launch is None or launch.text not in scoes:
                self.problem(name, (launch if launch is not None else scorm).sourceline,
                             f"launch names SCO {launch.text if launch is not None else '(none)'}, "
                             "which is not one of the activity's SCOs; learners would have nothing to open")
            elif not scoes[launch.text].findtext("launch"):
                self.problem(name, launch.sourceline, f"launch SCO {launch.text} has no launch file")
            reference = scorm.findtext("reference", "")
            context = root.get("contextid")
            if not any(f.findtext("filename") == reference for f in areas.get(("package", context), [])):
                self.problem(name, scorm.find("reference").sourceline if scorm.find("reference") is not None
                             else scorm.sourceline, f"the package {reference!r} is not in files.xml")
            content = {f.findtext("filepath", "").lstrip("/") + f.findtext("filename", "")
                       for f in areas.get(("content", context), [])}
            for sco in scoes.values():
                href = (sco.findtext("launch") or "").split("?")[0]
                if href and href not in content:
                    self.problem(name, sco.sourceline, f"SCO {sco.get('id')} launches {href}, which is not among "
                                 "the activity's content files")

    def questions(self, activities) -> None:
        root = self.trees.get("questions.xml")
        if root is None:
            return
        cats = {c.get("id"): c for c in root.iterfind("question_category")}
        for c in cats.values():
            parent = c.findtext("parent", "0")
            if parent != "0" and parent not in cats:
                self.problem("questions.xml", c.find("parent").sourceline,
                             f"category {c.get('id')} has parent {parent}, which questions.xml does not hold")
        for a in activities.values():
            name = f"{a['directory']}/inforef.xml"
            ref_root = self.trees.get(name)
            if ref_root is None:
                continue
            for ref in ref_root.iterfind("question_categoryref/question_category/id"):
                if (ref.text or "") not in cats:
                    self.problem(name, ref.sourceline, f"names question category {ref.text}, which questions.xml "
                                 "does not hold")

    def completion(self, activities) -> None:
        if "completion.xml" not in self.files:
            return
        root = self.xml("completion.xml")
        if root is None:
            return
        for c in root.iterfind("course_completion_criteria"):
            if c.findtext("criteriatype") == "4" and c.findtext("moduleinstance") not in activities:
                self.problem("completion.xml", c.find("moduleinstance").sourceline,
                             f"course completion needs activity {c.findtext('moduleinstance')}, which the backup "
                             "does not hold")
