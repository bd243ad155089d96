"""`kulturskole check COURSE.tar.gz`: would Studio's Import accept this Open edX package?

1. The archive is unpacked the safe way: an absolute path, a `..` step or a link refuses the
   whole archive, as Studio refuses it ("unsafe tar file").
2. olxcleaner, the validator Studio runs on import when OLX validation is on, with our two
   XBlocks allowed; its ERROR-level findings become problems.
3. Our own checks for what olxcleaner does not look at: a sequential's `format` must be an
   assignment type of the grading policy, url_names are unique per tag, every CAPA problem
   has the right number of correct answers, components are built-in ones or XBlocks we ship,
   and our XBlocks' JSON and number fields parse.

Every problem names the file inside the archive (for example course/vertical/x.xml).
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path, PurePosixPath

from lxml import etree

from builder.errors import Problem
from builder.infra import archives
from builder.formats.olx import COMPONENT_TAGS, HOMEWORK_TAG, OUR_XBLOCKS, REFLECTION_TAG

REBUILD = "build the package again with `kulturskole build --format olx`"
CONTAINERS = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}
POINTER_TAGS = {"chapter", "sequential", "vertical", "html", "problem"}
_HINTS = {
    "FileDoesNotExist": "a pointer names a file the archive does not have; " + REBUILD,
    "InvalidXML": "the file is not well-formed XML; " + REBUILD,
    "InvalidHTML": "the HTML file does not parse; " + REBUILD,
    "DuplicateURLName": "every url_name must be unique in the course; " + REBUILD,
    "UnexpectedTag": "Studio only imports blocks it knows; " + REBUILD,
    "GradingPolicyIssue": "fix grading_policy.json (weights must add up to 1) or " + REBUILD,
    "CourseXMLDoesNotExist": "the archive must hold course/course.xml; " + REBUILD,
}
_UNEXPECTED = re.compile(r"A <([^>\s]+)> tag was unexpectedly found")


def check_olx(path: Path) -> list[Problem]:
    """Problems that would make Studio refuse or mangle the OLX package at `path` ([] when it is fine)."""
    path = Path(path)
    hint = "Studio refuses archives with such entries; " + REBUILD
    try:
        # Read bounded, without links (builder/infra/archives.py); every XML file without a DTD.
        files = archives.tar_files(path, hint)
        for name, data in files.items():
            if name.endswith((".xml", ".html")):
                archives.refuse_dtd(name, data)
    except archives.Refused as refused:
        return [Problem(refused.member or path.name, 0, refused.message, refused.hint)]
    with tempfile.TemporaryDirectory(prefix="olx-check-") as tmp:
        root = Path(tmp)
        for name, data in files.items():
            target = root.joinpath(*PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        course_xml = _find_course_xml(root)
        if course_xml is None:
            return [Problem(path.name, 0, "the archive has no course.xml", _HINTS["CourseXMLDoesNotExist"])]
        checker = _Checker(course_xml.parent, course_xml.parent.relative_to(root).as_posix())
        checker.run()
        return checker.problems + checker.olxcleaner()


def _find_course_xml(root: Path) -> Path | None:
    """Like Studio: the course.xml closest to the top of the archive."""
    found = sorted(root.rglob("course.xml"), key=lambda p: (len(p.relative_to(root).parts), p.as_posix()))
    found = [p for p in found if p.is_file()]
    return found[0] if found else None


class _Checker:
    def __init__(self, folder: Path, prefix: str):
        self.folder = folder
        self.prefix = "" if prefix in ("", ".") else prefix + "/"
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str], str] = {}
        self.unknown: set[tuple[str, str]] = set()
        self.run_name = ""

    def shown(self, rel: str) -> str:
        return self.prefix + rel

    def add(self, rel: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown(rel), 0, message, hint))

    def parse(self, rel: str):
        try:
            return etree.parse(str(self.folder / rel)).getroot()
        except (OSError, etree.XMLSyntaxError):
            return None  # olxcleaner reports missing and broken files

    # -- the tree ---------------------------------------------------------------------------

    def run(self) -> None:
        top = self.parse("course.xml")
        if top is None:
            return
        self.run_name = top.get("url_name", "")
        self.types = self.grader_types()
        if self.run_name:
            self.walk(top, "course.xml")

    def walk(self, node, rel: str) -> None:
        """Visit `node` (defined in file `rel`), following url_name pointers into their files."""
        tag, url_name = node.tag, node.get("url_name")
        if not isinstance(tag, str):
            return
        if url_name is not None:
            key = (tag, url_name)
            if key in self.seen:
                self.add(rel, f"url_name '{url_name}' is used by two <{tag}> blocks (also in {self.shown(self.seen[key])})",
                         "Studio keeps only one of them; give each block its own url_name, or " + REBUILD)
                return
            self.seen[key] = rel
        if url_name and tag in POINTER_TAGS | {"course"} and len(node) == 0 and not (node.text or "").strip():
            target = f"{tag}/{url_name}.xml"
            loaded = self.parse(target)
            if loaded is None or loaded.tag != tag:
                return  # olxcleaner reports the dangling pointer or the tag mismatch
            node, rel = loaded, target
        if tag == "sequential":
            self.check_format(node, rel)
        if tag == "problem":
            self.check_problem(node, rel)
            return
        if tag == "vertical":
            for child in node:
                if isinstance(child.tag, str):
                    self.check_component(child, rel)
                    self.walk(child, rel)
            return
        if tag in CONTAINERS:
            for child in node:
                if isinstance(child.tag, str) and child.tag == CONTAINERS[tag]:
                    self.walk(child, rel)

    # -- grading ----------------------------------------------------------------------------

    def grader_types(self) -> list[str]:
        rel = f"policies/{self.run_name}/grading_policy.json"
        try:
            data = json.loads((self.folder / rel).read_text(encoding="utf-8"))
            return [g.get("type") for g in data.get("GRADER", []) if isinstance(g, dict)]
        except (OSError, ValueError, AttributeError):
            return []  # olxcleaner reports a missing or broken grading policy

    def check_format(self, node, rel: str) -> None:
        fmt = node.get("format")
        if fmt is not None and fmt not in self.types:
            known = ", ".join(f"'{t}'" for t in self.types) or "none"
            self.add(rel, f"format '{fmt}' is not an assignment type of the grading policy",
                     f"use one of the GRADER types in policies/{self.run_name}/grading_policy.json ({known}), or " + REBUILD)
        elif fmt is None and node.get("graded", "").lower() == "true":
            self.add(rel, "the subsection is graded but has no format (assignment type)",
                     "its score would count under no assignment type; " + REBUILD)

    # -- components -------------------------------------------------------------------------

    def check_component(self, node, rel: str) -> None:
        tag = node.tag
        if tag not in COMPONENT_TAGS:
            self.unknown.add((rel, tag))
            self.add(rel, f"<{tag}> is not a component this course ships "
                          f"(allowed: html, problem, {', '.join(OUR_XBLOCKS)})",
                     "Studio's import fails on blocks that are not installed; " + REBUILD)
            return
        if tag == HOMEWORK_TAG:
            steps = node.get("steps")
            if steps is not None:
                try:
                    ok = isinstance(json.loads(steps), list)
                except ValueError:
                    ok = False
                if not ok:
                    self.add(rel, f"<{tag} url_name='{node.get('url_name')}'> has steps that are not a JSON list",
                             "Studio's import fails on a field value it cannot read; " + REBUILD)
        if tag in (HOMEWORK_TAG, REFLECTION_TAG):
            for field in ("min_length", "max_length"):
                value = node.get(field)
                if value is not None and not re.fullmatch(r"\d+", value.strip()):
                    self.add(rel, f"<{tag} url_name='{node.get('url_name')}'> has {field}='{value}', not a whole number",
                             "Studio's import fails on a field value it cannot read; " + REBUILD)

    def check_problem(self, node, rel: str) -> None:
        responses = [e for e in node.iter() if e.tag in ("multiplechoiceresponse", "choiceresponse", "optionresponse")]
        if not responses:
            self.add(rel, "the problem has no multiple choice, checkbox or dropdown response", REBUILD)
        for response in responses:
            if response.tag == "optionresponse":
                self.check_dropdowns(response, rel)
                continue
            choices = [c for c in response.iter("choice")]
            correct = sum(1 for c in choices if (c.get("correct") or "").lower() == "true")
            if response.tag == "multiplechoiceresponse" and correct != 1:
                self.add(rel, f"a multiple choice question has {correct} correct choices; it needs exactly one",
                         "mark one choice correct=\"true\", or use <choiceresponse> when several are right")
            elif response.tag == "choiceresponse" and correct < 1:
                self.add(rel, "a checkbox question has no correct choice; it needs at least one",
                         "mark the right choices correct=\"true\"")

    def check_dropdowns(self, response, rel: str) -> None:
        inputs = list(response.iter("optioninput"))
        if not inputs:
            self.add(rel, "a dropdown question has no <optioninput>", REBUILD)
        for dropdown in inputs:
            options = [o for o in dropdown if o.tag == "option"]
            if options:
                flags = [(o.get("correct") or "") for o in options]
                if any(f.lower() not in ("true", "false") for f in flags):
                    self.add(rel, "a dropdown <option> lacks correct=\"True|False\"",
                             "CAPA needs the attribute on every option")
                right = [(o.text or "").strip() for o, f in zip(options, flags) if f.lower() == "true"]
                if len(right) != 1:
                    self.add(rel, f"a dropdown has {len(right)} correct options; it needs exactly one",
                             "mark one <option correct=\"True\">")
            else:
                names = _option_names(dropdown.get("options", ""))
                correct = dropdown.get("correct")
                if correct is None or correct not in names:
                    self.add(rel, f"a dropdown's correct answer '{correct}' is not one of its options {names}",
                             "make `correct` equal one of the names in `options`")

    # -- olxcleaner -------------------------------------------------------------------------

    def olxcleaner(self) -> list[Problem]:
        import olxcleaner
        _course, errors, _names = olxcleaner.validate(str(self.folder / "course.xml"), steps=8,
                                                     allowed_xblocks=list(OUR_XBLOCKS))
        out = []
        for err in errors.errors:
            if err.level != "ERROR":
                continue
            rel = self.olxcleaner_file(err.filename)
            if err.name == "UnexpectedTag":
                found = _UNEXPECTED.search(err.description)
                if found and (rel, found.group(1)) in self.unknown:
                    continue  # already reported above, with the list of what is allowed
            out.append(Problem(self.shown(rel), 0, f"{err.name}: {err.description}",
                               _HINTS.get(err.name, "Studio's import refuses this; " + REBUILD)))
        return out

    def olxcleaner_file(self, filename: str) -> str:
        name = Path(filename)
        if name.is_absolute():
            try:
                return name.relative_to(self.folder).as_posix()
            except ValueError:
                return name.name
        text = name.as_posix()
        if text in ("policy.json", "grading_policy.json") and self.run_name:
            return f"policies/{self.run_name}/{text}"
        return text


def _option_names(options: str) -> list[str]:
    """The names in a CAPA options string such as "('Kommunestyret','Kommunedirektøren')"."""
    return [m.group(1) or m.group(2) for m in re.finditer(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", options)]
