/* The whole SCORM runtime (assets/js/scorm-runtime.js with the learner layer, joined as the build
   joins it) in Node, with a fake launch page and fake SCORM 1.2 APIs: what it reads, writes and keeps. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { plain, vectors, ROOT } = require("./load.js");

const V = vectors();
const JS = path.join(ROOT, "assets", "js");
const SOURCE = ["learner/codec.js", "learner/store.js", "learner/rule.js", "learner/lms.js", "scorm-runtime.js"]
  .map((f) => fs.readFileSync(path.join(JS, f), "utf8")).join("\n");
const CAP = 1800;
const CFG = {
  id: "kurs", sco: "", version: "1.2", start: "m/p0.html",
  pages: V.layout.pages.map((k) => [k, k + ".html"]), required: V.layout.pages.slice(),
  scored: ["modul"], mastery: 80, completes: true,
  layout: Object.assign({}, V.layout, { quizzes: V.layout.quizzes.map((q) => Object.assign({}, q, { q: q.q.map((c) => Object.assign({ i: q.id + "." + c.id }, c)) })) }),
  caps: { tanker: CAP, constructor: 50 }, reflectionStore: "suspend_data", reflectionTitles: {},
  suspendLimit: 4096, commitSeconds: 30, strings: { not_connected: "uten LMS" },
};

function storage(map) {
  map = map || new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)), map };
}
/* A SCORM 1.2 API holding `values` (what the LMS stored), logging every call. */
function api12(values) {
  const log = [];
  return {
    log, values,
    LMSInitialize: () => "true", LMSFinish: () => { log.push(["finish"]); return "true"; }, LMSCommit: () => { log.push(["commit"]); return "true"; },
    LMSGetValue: (el) => (el in values ? values[el] : ""),
    LMSSetValue: (el, v) => { log.push(["set", el, String(v)]); values[el] = String(v); return "true"; },
    LMSGetLastError: () => "0",
  };
}
/* One launch of the SCO: returns the page's window (KSRuntime) and its notice bar. */
function launch(api, local) {
  const bar = { hidden: true, textContent: "" }, frame = { addEventListener() {}, src: "", contentDocument: null };
  const config = { textContent: JSON.stringify(CFG) };
  const win = {
    console, JSON, Math, Date, URL, Object, Array, String, Number, parseInt, parseFloat, isNaN, isFinite,
    setTimeout: () => 0, clearTimeout() {}, setInterval: () => 0,
    localStorage: local || storage(), sessionStorage: storage(), frameElement: null, opener: null,
    location: { href: "http://lms.test/kurs/scorm.html" }, addEventListener() {}, navigator: launch.navigator || { onLine: true },
    document: {
      visibilityState: "visible", title: "", addEventListener() {},
      getElementById: (id) => ({ "ks-scorm-config": config, "ks-lms-notice": bar, "ks-content": frame })[id] || null,
    },
  };
  win.window = win; win.parent = win; win.top = win;
  if (api) win.API = api;
  vm.createContext(win);
  vm.runInContext(SOURCE, win, { filename: "scorm-runtime (joined)" });
  return { rt: win.KSRuntime, bar, frame };
}
const FULL = V.encode.find((v) => v.name === "full").data;
function KSCodec() { return vm.runInNewContext(fs.readFileSync(path.join(JS, "learner/codec.js"), "utf8") + ";KSCodec"); }

test("the Moodle app's Previous: a module opened again with entry ab-initio keeps every character", () => {
  const api = api12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "incomplete", "cmi.suspend_data": FULL,
                      "cmi.core.lesson_location": "m/p3.html#4", "cmi.interactions._count": "18" });
  const { rt, frame } = launch(api);
  assert.equal(rt.load().refl.tanker, "Første linje\nandre: med kolon. Og 😀.");
  assert.equal(frame.src, "m/p3.html", "back at the bookmark");
  const written = api.log.filter((c) => c[1] === "cmi.suspend_data");
  assert.deepEqual(written, [], "a launch writes back nothing it read");
  rt.seen("m/p4", "m/p4.html");
  const data = api.values["cmi.suspend_data"];
  assert.ok(data.length >= FULL.length, `suspend_data ${FULL.length} -> ${data.length}`);
});

test("a first launch writes a fresh state (with its shuffle seed) only where the LMS holds none", () => {
  const api = api12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" });
  launch(api);
  const data = api.values["cmi.suspend_data"];
  assert.ok(data && data.startsWith("3" + V.layout.fingerprint));
});

test("a reflection that left its SCO never cuts the current one, and is kept as earlier text", () => {
  const orphan = "x".repeat(2000);
  const stored = FULL + "flyttet:" + orphan.length.toString(36) + ":" + orphan;
  const api = api12({ "cmi.core.entry": "resume", "cmi.core.lesson_status": "incomplete", "cmi.suspend_data": stored,
                      "cmi.interactions._count": "70" });
  const { rt } = launch(api);
  assert.equal(rt.earlier().flyttet, orphan);
  const text = "æ".repeat(CAP);
  assert.equal(rt.reflection("tanker", text), CAP, "every character the page allowed is stored");
  const back = KSCodec().decode(CFG.layout, api.values["cmi.suspend_data"]);
  assert.equal(back.refl.tanker, text);
  assert.ok(api.values["cmi.suspend_data"].length <= 4096);
  assert.deepEqual(plain(rt.info().errors), []);
});

test("a retake in a later session never overwrites earlier interactions, whatever _count the LMS reports", () => {
  const answer = [{ id: "en", type: "single", response: ["a"], correct: ["b"], result: "wrong" }];
  const ids = (api) => api.log.filter((c) => c[0] === "set" && /^cmi\.interactions\.\d+\.id$/.test(c[1])).map((c) => c[1]);
  // FULL says modul: 2 attempts of 4 questions, slutt 31 of 2: 70 interactions were sent
  const behind = api12({ "cmi.core.entry": "resume", "cmi.core.lesson_status": "incomplete", "cmi.suspend_data": FULL,
                         "cmi.interactions._count": "68" });   // the Moodle app's count after sorting tracks by name
  const one = launch(behind).rt;
  one.quiz("modul", { en: ["a"] }, 1, 4, answer, { t: 3, p: 0 });
  assert.deepEqual(ids(behind), [], "no index below 70 is written over");
  assert.ok(one.info().errors.some((e) => e.startsWith("interactions: the LMS reports 68")));
  assert.equal(KSCodec().decode(CFG.layout, behind.values["cmi.suspend_data"]).quiz.modul.s, 1, "the answers are kept in suspend_data");
  const right = api12({ "cmi.core.entry": "resume", "cmi.core.lesson_status": "incomplete", "cmi.suspend_data": FULL,
                        "cmi.interactions._count": "70" });
  launch(right).rt.quiz("modul", { en: ["a"] }, 1, 4, answer, { t: 3, p: 0 });
  assert.deepEqual(ids(right), ["cmi.interactions.70.id"]);
});

test("corrupt stored data: the error is recorded, nothing passes, no out-of-range score", () => {
  const bad = V.decode.find((v) => v.name === "quiz: a score of 63 out of 4").data;
  const api = api12({ "cmi.core.entry": "resume", "cmi.core.lesson_status": "incomplete", "cmi.suspend_data": bad,
                      "cmi.core.lesson_location": "javascript:alert(1)" });
  const { rt, frame } = launch(api);
  assert.ok(rt.info().errors.includes("suspend_data: quiz:modul"));
  assert.equal(frame.src, "m/p0.html", "a bookmark that is not one of the package's pages is not followed");
  rt.seen("m/p1", "m/p1.html");
  assert.notEqual(api.values["cmi.core.lesson_status"], "passed");
  const raw = api.values["cmi.core.score.raw"];
  assert.ok(raw === undefined || (+raw >= 0 && +raw <= 100));
});

test("without an LMS: two tabs keep both changes in the offline copy", () => {
  const shared = storage();
  const a = launch(null, shared).rt, b = launch(null, shared).rt;
  a.reflection("tanker", "Fra fane A");
  b.homework("lekse", ["plan"]);
  const c = launch(null, shared).rt.load();
  assert.equal(c.refl.tanker, "Fra fane A");
  assert.deepEqual(plain(c.hw.lekse), ["plan"]);
});

test("SCORM 1.2 outside Moodle's web player never sets nav.event (the Moodle app would fire it again later)", () => {
  const api = api12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" });
  launch(api);
  assert.ok(!api.log.some((c) => c[1] === "nav.event"));
});

test("offline in a player that keeps working: one sentence says the work is only on this device", () => {
  const api = api12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" });
  CFG.strings.offline_at_risk = "Du er uten nett.";
  const { bar: online } = launch(api);
  assert.equal(online.textContent, "");
  const offline = launchOffline(api12({ "cmi.core.entry": "ab-initio" }));
  assert.equal(offline.bar.textContent, "Du er uten nett.");
  assert.equal(offline.bar.hidden, false);
});

function launchOffline(api) {
  const saved = launch.navigator;
  launch.navigator = { onLine: false };
  try { return launch(api); } finally { launch.navigator = saved; }
}

test("learnerName(): the LMS's «family, given» read as «given family» for the certificate; \"\" without an LMS", () => {
  /* If this broke, the course certificate in an LMS would read «Ødegård, Kari» or an empty line, or a
     learner without an LMS could not type a name (kurs.js types only when this gives ""). */
  const named = (name) => launch(api12({ "cmi.core.entry": "ab-initio", "cmi.core.student_name": name })).rt.learnerName();
  assert.equal(named("Ødegård, Kari"), "Kari Ødegård");
  assert.equal(named("  Nordmann ,  Ola Kristian "), "Ola Kristian Nordmann");
  assert.equal(named("Kari Ødegård"), "Kari Ødegård", "a name without a comma is kept as the LMS wrote it");
  assert.equal(named(""), "");
  assert.equal(launch(null).rt.learnerName(), "", "no LMS: the learner types the name");
});
