"""Play built SCORM packages against a real LMS-side API: scorm-again in a mini-LMS page.

A ThreadingHTTPServer on 127.0.0.1 serves `www/` (lms.html, scorm-again, the unzipped packages)
and records every commit POST, per run. Playwright drives Debian's Chromium; a `Learner` clicks
through the real course pages inside the package's frame.
"""

from __future__ import annotations

import email.policy
import functools
import json
import re
import shutil
import threading
import time
import zipfile
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from lxml import etree

from tests.conftest import WAIT

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"
# What a package's page says when our link cannot open another module in this player (its fixed words).
CANNOT_OPEN = [p for p in json.loads((ROOT / "assets" / "i18n" / "nb.json").read_text(encoding="utf-8"))["other_module"]
               .split("{title}") if p.strip()]


class Server:
    """Static files from `www` plus POST /commit?run=ID, whose JSON bodies are kept per run."""

    def __init__(self, www: Path):
        self.commits: dict[str, list[dict]] = {}
        self.info: dict[str, dict] = {}
        # The Moodle imitation (moodle-player.html): what the site stores per run and SCO
        # ({run: {sco: {element as Moodle stores it: value}}}), every save it received
        # ({run: [{"sco", "api": "xhr"|"beacon"|"app", "values"}]}), every SCO it launched and every
        # SCO session that began (LMSInitialize answered "true").
        self.site: dict[str, dict[str, dict[str, str]]] = {}
        self.saves: dict[str, list[dict]] = {}
        self.launches: dict[str, list[str]] = {}
        self.sessions: dict[str, list[str]] = {}
        self.masteryoverride = True          # Moodle's default (mod/scorm/settings.php:115-116)
        self.lock = threading.Lock()
        self.order: dict[tuple[str, str], dict[str, int]] = {}
        server = self
        commits = self.commits

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                if url.path == "/mod/scorm/player.php":
                    return self.reply((www / "moodle-player.html").read_bytes(), "text/html; charset=utf-8")
                if url.path == "/moodle/site":
                    return self.reply(json.dumps(server.site_for(q["run"], q["pkg"])).encode(), "application/json")
                if url.path == "/moodle/course":           # where "Exit activity" leads
                    return self.reply(b"<!doctype html><title>Kurs</title><p>Kursside</p>", "text/html; charset=utf-8")
                if url.path == "/moodle/session":          # a SCO's session began (LMSInitialize said "true")
                    server.sessions.setdefault(q["run"], []).append(q["scoid"])
                    return self.reply(b"", "text/plain")
                if url.path in ("/mod/scorm/loadSCO.php", "/moodle/app-sco"):
                    server.launches.setdefault(q["run"], []).append(q["scoid"])
                    self.send_response(302)      # loadSCO.php:85 redirects to the SCO
                    self.send_header("Location", f"/{q['pkg']}/{server.info[q['pkg']]['scos'][q['scoid']]}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return super().do_GET()

            def do_POST(self):  # noqa: N802 (http.server API)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)) or 0)
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                if url.path == "/mod/scorm/datamodel.php":
                    values = form_values(self.headers.get("Content-Type", ""), body)
                    server.store(q["run"], q["scoid"], "beacon" if q.get("api") == "beacon" else "xhr", values, int(q["seq"]))
                    return self.reply(b"true\n0", "text/plain")
                if url.path == "/moodle/app-tracks":
                    values = {t["element"]: t["value"] for t in json.loads(body)}
                    server.store(q["run"], q["scoid"], "app", values, int(q["seq"]))
                    return self.reply(b'{"result": true}', "application/json")
                run = q.get("run", "")
                try:
                    commits.setdefault(run, []).append(json.loads(body or b"{}"))
                except ValueError:
                    commits.setdefault(run, []).append({"unparsable": body.decode("utf-8", "replace")})
                return self.reply(b'{"result": true, "errorCode": 0}', "application/json")

            def reply(self, out: bytes, ctype: str):
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(www)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    # -- the Moodle imitation's site side ---------------------------------------------------

    def site_for(self, run: str, package: str) -> dict:
        """What a player page gets when it opens: the package's SCOs in manifest order, and the
        tracks the site holds for each, in the order Moodle gives them (sorted by element name,
        mod/scorm/locallib.php:630-635)."""
        info = self.info[package]
        held = self.site.get(run, {})
        return {"scos": [{"id": sco, "href": href, "title": sco, "mastery": info["masteries"][sco]}
                         for sco, href in info["scos"].items()],
                "tracks": {sco: dict(sorted(values.items())) for sco, values in held.items()},
                "masteryoverride": self.masteryoverride}

    def store(self, run: str, sco: str, api: str, values: dict[str, str], seq: int):
        """datamodel.php / the app's web service: each value received replaces the stored one, unless
        a later save (`seq`, the order the player sent them in) already replaced it: a beacon or
        keepalive request may arrive after the next one."""
        with self.lock:
            held, order = self.site.setdefault(run, {}).setdefault(sco, {}), self.order.setdefault((run, sco), {})
            for element, value in values.items():
                if order.get(element, 0) < seq:
                    held[element], order[element] = value, seq
            self.saves.setdefault(run, []).append({"sco": sco, "api": api, "values": values, "seq": seq})

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serving(tmp: Path, packages: dict[str, tuple]):
    """A test server with each package built and unzipped: packages maps a name to (course model,
    edition, module id or None). The server's .info holds their launch info, .builds the builds."""
    from builder.formats.scorm.package import build_package
    zips, builds = {}, {}
    for name, (course, edition, module) in packages.items():
        info = build_package(course, tmp / f"{name}.zip", edition=edition, module_id=module)
        zips[name], builds[name] = info.path, info
    server = Server(tmp / "www")
    server.info = prepare_www(tmp / "www", zips)
    server.builds = builds
    try:
        yield server
    finally:
        server.close()


@contextmanager
def guarded_context(browser, server: Server):
    """A fresh browser profile whose requests may only go to the test server; fails the test if the
    package asked for anything else."""
    from tests.conftest import refuse_outside
    ctx = browser.new_context()
    outside = refuse_outside(ctx, server.base + "/", "about:blank")
    yield ctx
    ctx.close()
    assert outside == [], f"the package asked for something outside itself: {outside}"


def form_values(content_type: str, body: bytes) -> dict[str, str]:
    """The values of a datamodel.php request: urlencoded (Moodle's synchronous XHR) or multipart
    (its sendBeacon FormData, whose encoding turns line breaks into CR LF: kept as received)."""
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
        return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True).decode("utf-8")
                for part in message.iter_parts() if part.get_param("name", header="content-disposition") != "unloading"}
    return {k: v for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True) if k != "id"}


def prepare_www(www: Path, packages: dict[str, Path]) -> dict[str, dict]:
    """lms.html, the Moodle player imitation, scorm-again and every package unzipped under
    www/<name>/; returns per package its launch href and the manifest values an LMS would pass
    on (mastery score)."""
    (www / "lib").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HERE / "lms.html", www / "lms.html")
    shutil.copyfile(HERE / "moodle-player.html", www / "moodle-player.html")
    shutil.copyfile(HERE / "moodle-lms.js", www / "lib" / "moodle-lms.js")
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
        self.page.wait_for_function("() => window.finished === true", timeout=WAIT)
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
        body.wait_for(timeout=WAIT)
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


class MoodlePlayer(Learner):
    """One browser tab on the Moodle player imitation (moodle-player.html, mode "web" or "app"),
    and what a learner does in the course inside the SCO it shows. The site's stored values
    outlive the page: a new MoodlePlayer on the same run is a new session."""

    def __init__(self, context, server: Server, version: str, package: str, run: str, mode: str, sco: str | None = None):
        self.server, self.version, self.package, self.run, self.mode = server, version, package, run, mode
        self.info = server.info[package]
        self.page = context.new_page()
        query = urlencode({"run": run, "pkg": package, "v": version, "mode": mode, "scoid": sco or next(iter(self.info["scos"]))})
        self.page.goto(f"{server.base}/mod/scorm/player.php?{query}")
        self.content = self.page.frame_locator("#scorm_object").frame_locator("#ks-content")

    def sco(self) -> str:
        """The SCO the player shows now."""
        return self.page.evaluate("() => window.currentSco")

    def menu(self, sco: str, expect: str | None = None):
        """The learner picks a module in the player's own course menu."""
        self.page.locator(f'#scorm_toc button[data-sco="{sco}"]').click()
        if expect:
            self.at(expect)

    def prev(self, path: str):
        self.content.locator("a[rel=prev]").click()
        self.at(path)

    def to_module(self, rel: str, sco: str) -> str:
        """The learner follows our next/previous link (`rel`) into the neighbouring module `sco`. Where
        the package cannot ask this player to open it (it then says so on the page), the learner
        does what the notice says: the app's own previous/next bar, or the web player's menu.
        Returns which way it went: "link" or "player"."""
        notice = self.content.locator("#ks-notice")
        self.content.locator(f"a[rel={rel}]").click()
        # Whichever comes first: the player opens `sco`, or the page says to open it from the LMS's
        # menu (scorm-runtime.js's other_module text; its «Åpner …» notice shows while the link works).
        # Deciding by a 2.5 s timeout took a slow but working link for one that cannot open the module.
        way = self.page.wait_for_function("""([s, parts]) => {
            if (window.currentSco === s) return "link";
            try {
                const page = document.getElementById("scorm_object").contentDocument.getElementById("ks-content").contentDocument;
                const n = page.getElementById("ks-notice");
                if (n && !n.hidden && parts.every(p => n.textContent.includes(p))) return "notice";
            } catch (e) { /* a frame between two pages */ }
            return false;
        }""", arg=[sco, CANNOT_OPEN], timeout=WAIT).json_value()
        if way == "link":
            return "link"
        assert notice.is_visible() and notice.inner_text().strip(), "our link neither opened the module nor said what to do"
        if self.mode == "app":
            self.page.locator(f'#scorm_nav button[data-nav="{rel}"]').click()
        else:
            self.menu(sco)
        self.page.wait_for_function("s => window.currentSco === s", arg=sco, timeout=WAIT)
        return "player"

    def stored(self, sco: str) -> dict[str, str]:
        """What the site holds for `sco` in this run, with element names as the SCO wrote them."""
        held = self.server.site.get(self.run, {}).get(sco, {})
        return {re.sub(r"_(\d+)\.", r".\1.", re.sub(r"_(\d+)\.", r".\1.", k)): v for k, v in held.items()}

    def leave(self) -> list[str]:
        """The learner closes the player (the page is left: its unload handlers run, as when a tab
        is closed); once the site got the session's last save (LMSFinish/Terminate sends the
        session time), returns the API errors of the session."""
        errors = self.api_errors()
        before = len(self.server.saves.get(self.run, []))
        self.page.goto(self.server.base + "/moodle/course")      # Moodle's "Exit activity": back to the course page
        deadline = time.monotonic() + WAIT / 1000
        while time.monotonic() < deadline and not any(
                k.endswith("session_time") for save in self.server.saves.get(self.run, [])[before:] for k in save["values"]):
            time.sleep(0.05)
        self.page.close()
        return errors

    def interactions(self, sco: str) -> list[dict[str, str]]:
        """The interactions the site holds for `sco`, by index: {field: value}."""
        out: dict[int, dict[str, str]] = {}
        for k, v in self.stored(sco).items():
            m = re.match(r"cmi\.interactions\.(\d+)\.(.+)$", k)
            if m:
                out.setdefault(int(m[1]), {})[m[2]] = v
        return [out[n] for n in sorted(out)]

    def launches(self) -> list[str]:
        """The SCOs the player put in its frame, in order (loadSCO.php requests)."""
        return list(self.server.launches.get(self.run, []))

    def sessions(self) -> list[str]:
        """The SCOs whose runtime began a session (LMSInitialize answered "true"), in order."""
        return list(self.server.sessions.get(self.run, []))

    def api_errors(self) -> list[str]:
        return self.page.evaluate("() => window.lmsErrors")

    def runtime(self) -> dict:
        return self.page.frame_locator("#scorm_object").locator("body").evaluate("b => b.ownerDocument.defaultView.KSRuntime.info()")


def worst_course(target: Path):
    """The example course, copied to `target`, with two long reflections in module intro (in 1.2
    they share that SCO's 4,096 characters), loaded as a model."""
    from builder.loader import load_course
    shutil.copytree(ROOT / "tests" / "example_course", target)
    (target / "modules" / "intro" / "reflections.yml").write_text("".join(
        f"- id: lang-{i}\n  title: Lang refleksjon {i}\n  goal: k2\n  prompt: Skriv mye.\n  min_length: 50\n"
        f"  max_length: 2000\n" for i in range(2)), encoding="utf-8")
    return load_course(target)


def sco_layout(course, module: str):
    """The learner-data layout of one module's SCO in the whole-course package."""
    from builder.formats.scorm.budget import Layout
    from builder.render.site import plan
    return Layout.of(course.only(module), [p.key for p in plan(course) if p.module == module or p.kind == "my-reflections"])


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


def answer_quiz(frame, quiz, right: set[str] | bool = True, timeout: float = WAIT):
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
