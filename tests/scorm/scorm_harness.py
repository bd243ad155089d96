"""Play built SCORM packages against a real LMS-side API: scorm-again in a mini-LMS page.

A ThreadingHTTPServer on 127.0.0.1 serves `www/` (lms.html, scorm-again, the unzipped packages)
and records every commit POST, per run. Playwright drives Debian's Chromium; a `Learner` clicks
through the real course pages inside the package's frame. Recipe: ../shared/notes/scorm.md §3.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"


class Server:
    """Static files from `www` plus POST /commit?run=ID, whose JSON bodies are kept per run."""

    def __init__(self, www: Path):
        self.commits: dict[str, list[dict]] = {}
        commits = self.commits

        class Handler(SimpleHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)) or 0)
                run = parse_qs(urlsplit(self.path).query).get("run", [""])[0]
                try:
                    commits.setdefault(run, []).append(json.loads(body or b"{}"))
                except ValueError:
                    commits.setdefault(run, []).append({"unparsable": body.decode("utf-8", "replace")})
                out = b'{"result": true, "errorCode": 0}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(www)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def prepare_www(www: Path, packages: dict[str, Path]) -> dict[str, dict]:
    """lms.html, scorm-again and every package unzipped under www/<name>/; returns per package
    its launch href and the manifest values an LMS would pass on (mastery score)."""
    (www / "lib").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "lms.html", www / "lms.html")
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        shutil.copyfile(SCORM_AGAIN / name, www / "lib" / name)
    info = {}
    for name, zpath in packages.items():
        target = www / name
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(target)
        info[name] = launch_info(target / "imsmanifest.xml") | {"dir": target}
    return info


def launch_info(manifest: Path) -> dict:
    """The first SCO's launch href and, per SCO (module id: the part after the last "." of the item
    id), its launch href and the passing score the manifest gives it (an LMS passes that on)."""
    tree = etree.parse(str(manifest))
    ns = {"cp": tree.getroot().nsmap[None]}
    scos, masteries = {}, {}
    for it in tree.findall(".//cp:organization//cp:item[@identifierref]", ns):
        r = tree.find(f".//cp:resource[@identifier='{it.get('identifierref')}']", ns)
        module = it.get("identifier").rsplit(".", 1)[-1]
        scos[module], masteries[module] = r.get("href"), None
        for el in it.iter():
            if etree.QName(el).localname == "masteryscore":
                masteries[module] = int(el.text)
            if etree.QName(el).localname == "minNormalizedMeasure":
                masteries[module] = round(float(el.text) * 100)
    first = next(iter(scos))
    return {"href": scos[first], "mastery": masteries[first], "scos": scos, "masteries": masteries}


class Learner:
    """One browser tab on the mini-LMS, and what a learner does in the package inside it."""

    def __init__(self, context, server: Server, version: str, package: str, info: dict, run: str):
        self.page = context.new_page()
        self.server, self.version, self.package, self.info, self.run = server, version, package, info, run
        self.page.goto(f"{server.base}/lms.html")

    @classmethod
    def in_frame(cls, page, content) -> "Learner":
        """A learner in a course frame that another LMS page (the preview shell) already shows."""
        me = cls.__new__(cls)
        me.page, me.content = page, content
        return me

    # -- the LMS side ----------------------------------------------------------------------

    def launch(self, prior: dict | None = None, mode: str | None = None, expect: str | None = None,
               sco: str | None = None):
        """Launch the package (its first SCO, or the SCO of module `sco` in a multi-SCO package)."""
        href = self.info["scos"][sco] if sco else self.info["href"]
        mastery = self.info["masteries"][sco] if sco else self.info["mastery"]
        self.page.evaluate("([v, url, prior, opts]) => launch(v, url, prior, opts)",
                           [self.version, f"/{self.package}/{href}", prior,
                            {"run": self.run, "mastery": mastery, "mode": mode}])
        self.content = self.page.frame_locator("#sco").frame_locator("#ks-content")
        if expect:
            self.at(expect)
        return self

    def runtime(self) -> dict:
        """What the package's runtime reports about itself (KSRuntime.info())."""
        return self.page.evaluate("() => document.getElementById('sco').contentWindow.KSRuntime.info()")

    def lms(self) -> dict:
        """The LMS's view: the data it would store, API errors, calls and commits so far."""
        return self.page.evaluate("() => ({stored: stored(), errors: errors, calls: calls, commits: commits, finished: finished})")

    def exit(self) -> dict:
        """The learner leaves through the LMS (it unloads the SCO); returns the LMS's view after it."""
        self.page.evaluate("() => unloadSco()")
        self.page.wait_for_function("() => window.finished === true", timeout=5000)
        return self.lms()

    def last_commit(self) -> dict | None:
        """The last data the LMS received in a commit (what survives a crash)."""
        bodies = self.server.commits.get(self.run, [])
        return bodies[-1] if bodies else None

    def close(self):
        self.page.close()

    # -- the learner ------------------------------------------------------------------------

    def at(self, path: str):
        """Wait until the page at `path` is shown and its script (kurs.js, deferred) has run."""
        body = self.content.locator(f'body[data-path="{path}"]')
        body.wait_for(timeout=5000)
        body.evaluate("""b => new Promise(done => {
            const doc = b.ownerDocument;
            if (doc.readyState === "complete") done(); else doc.defaultView.addEventListener("load", () => done());
        })""")

    def next(self, path: str):
        self.content.locator("a[rel=next]").click()
        self.at(path)

    def shown(self, quiz) -> list[str]:
        """The ids of the questions this attempt shows, in the order shown (a final test draws them)."""
        return shown_questions(self.content, quiz)

    def answer(self, quiz, right: set[str] | bool = True):
        """Answer every question the attempt shows of `quiz` (a model Quiz): correctly for ids in `right`."""
        answer_quiz(self.content, quiz, right)

    def retry(self, quiz):
        self.content.locator(f'form[data-quiz="{quiz.id}"] [data-quiz-reset]').click()

    def write(self, reflection_id: str, text: str):
        box = self.content.locator(f'textarea[data-reflection="{reflection_id}"]')
        box.fill(text)
        box.blur()      # kurs.js saves at once on blur (otherwise after a pause of 1 s)

    def reflection_box(self, reflection_id: str):
        return self.content.locator(f'textarea[data-reflection="{reflection_id}"]')

    def tick(self, homework_id: str, step: str):
        self.content.locator(f'[data-homework="{homework_id}"] input[data-step="{step}"]').check()


def decode_suspend(layout, data: str) -> dict:
    from builder.formats.scorm.budget import decode
    return decode(layout, data)


def cmi_of(stored: dict, version: str) -> dict:
    """The cmi object of a stored commit payload ({"cmi": {...}} or the cmi itself)."""
    return stored.get("cmi", stored)


def shown_questions(frame, quiz) -> list[str]:
    """The ids of the questions of `quiz` that the attempt in `frame` shows, in the order shown."""
    form = frame.locator(f'form[data-quiz="{quiz.id}"]')
    return form.locator("fieldset[data-question]:not([hidden])").evaluate_all("fs => fs.map(f => f.dataset.question)")


def answer_quiz(frame, quiz, right: set[str] | bool = True, timeout: float = 5000):
    """Answer every question of `quiz` (a model Quiz) that the attempt in `frame` (a page or frame with
    the course page) shows, correctly for ids in `right` (or all/none), check it and wait for the score.
    Used with scorm-again here and with Moodle's player in tests/formats/test_moodle_scorm.py."""
    form = frame.locator(f'form[data-quiz="{quiz.id}"]')
    by_id = {q.id: q for q in quiz.questions}
    for q in (by_id[i] for i in shown_questions(frame, quiz)):
        ok = right if isinstance(right, bool) else q.id in right
        fs = form.locator(f'fieldset[data-question="{q.id}"]')
        if q.type == "matching":
            for i, p in enumerate(q.pairs):
                role = q.roles.index(p.role)
                if not ok and i == 0:
                    role = (role + 1) % len(q.roles)
                fs.locator(f'[data-pair="{p.id}"] select').select_option(f"{p.id}.{role}")
        elif q.type == "multiple":
            correct = [o.id for o in q.options if o.correct]
            wrong = [o.id for o in q.options if not o.correct]
            chosen = correct if ok else correct[:1] + wrong[:1]
            for o in q.options:
                fs.locator(f'input[value="{o.id}"]').set_checked(o.id in chosen)
        else:
            pick = next(o.id for o in q.options if o.correct == ok)
            fs.locator(f'input[value="{pick}"]').check()
    form.locator("button[type=submit]").click()
    form.locator("[data-quiz-result]").filter(has_text="%").wait_for(timeout=timeout)
