/* The LMS adapters and what a launch reads (assets/js/learner/lms.js), against fake SCORM APIs that
   hold values like the Moodle app's one-object player: entry fixed at "ab-initio", data kept. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain, vectors } = require("./load.js");

const V = vectors();
const { KSCodec, KSLms } = load(["codec.js", "store.js", "lms.js"], ["KSCodec", "KSLms"], { window: {} });
const CFG = { completes: true, scored: ["modul"], reflectionTitles: {}, reflectionStore: "suspend_data", caps: { tanker: 2000, constructor: 2000 } };

/* A SCORM 1.2 API holding `values`; every call is logged. */
function fakeApi12(values) {
  const log = [];
  let error = "0";
  return {
    log, values,
    LMSInitialize: () => "true", LMSFinish: () => "true", LMSCommit: () => "true",
    LMSGetValue: (el) => { log.push(["get", el]); error = "0"; return el in values ? values[el] : ""; },
    LMSSetValue: (el, v) => { log.push(["set", el, v]); values[el] = String(v); return "true"; },
    LMSGetLastError: () => error,
  };
}
function open(api, version, cfg) {
  const adapter = KSLms.adapterFor(version || "1.2", cfg || CFG), errors = [];
  const lms = KSLms.connection(api, adapter, errors);
  assert.equal(lms.open(), true);
  return { lms, adapter, errors };
}

const FULL = V.encode.find((v) => v.name === "full").data;

test("a launch reads the stored state even when entry says ab-initio (the Moodle app's Previous)", () => {
  const api = fakeApi12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "incomplete",
                          "cmi.suspend_data": FULL, "cmi.core.lesson_location": "m/p3.html#5" });
  const { lms, adapter } = open(api);
  const got = KSLms.launchState(lms, adapter, V.layout, CFG);
  assert.equal(got.held, true);
  assert.equal(got.state.refl.tanker, "Første linje\nandre: med kolon. Og 😀.");
  assert.equal(got.state.loc, "m/p3.html");
  assert.equal(got.locSeq, 5);
  assert.equal(got.resumed, true);
  assert.deepEqual(plain(got.errors), []);
});

test("a first launch holds nothing, and reads without asking twice", () => {
  const api = fakeApi12({ "cmi.core.entry": "ab-initio", "cmi.core.lesson_status": "not attempted" });
  const { lms, adapter } = open(api);
  const got = KSLms.launchState(lms, adapter, V.layout, CFG);
  assert.equal(got.held, false);
  assert.deepEqual(plain(got.state.refl), {});
  assert.equal(api.log.filter((c) => c[0] === "set").length, 0, "a launch writes nothing by itself");
});

test("2004 asks for suspend_data only once the attempt has begun (no error 403 on a first launch)", () => {
  const calls = [];
  const api = {
    Initialize: () => "true", GetLastError: () => "0",
    GetValue: (el) => { calls.push(el); return { "cmi.entry": "ab-initio", "cmi.completion_status": "unknown" }[el] || ""; },
  };
  const cfg = Object.assign({}, CFG, { reflectionStore: "interactions" });
  const { lms, adapter } = open(api, "2004", cfg);
  const got = KSLms.launchState(lms, adapter, V.layout, cfg);
  assert.equal(got.held, false);
  assert.ok(!calls.includes("cmi.suspend_data"));
});

test("2004 after an earlier session: read whatever entry says; reflections of unknown ids are orphans", () => {
  const values = { "cmi.entry": "ab-initio", "cmi.completion_status": "incomplete", "cmi.suspend_data": FULL,
                   "cmi.interactions._count": "2", "cmi.interactions.0.id": "refl.tanker", "cmi.interactions.0.learner_response": "a\u2424b",
                   "cmi.interactions.1.id": "refl.gammel", "cmi.interactions.1.learner_response": "borte" };
  const api = { Initialize: () => "true", GetLastError: () => "0", GetValue: (el) => values[el] || "" };
  const cfg = Object.assign({}, CFG, { reflectionStore: "interactions" });
  const { lms, adapter } = open(api, "2004", cfg);
  const got = KSLms.launchState(lms, adapter, V.layout, cfg);
  assert.equal(got.state.refl.tanker, "a\nb");
  assert.equal(got.orphans.gammel, "borte");
  assert.deepEqual(plain(got.slots), { "refl.tanker": 0, "refl.gammel": 1 });
});

test("corrupt stored data: the text is kept, the error recorded, nothing passes", () => {
  const bad = V.decode.find((v) => v.name === "quiz: a score of 63 out of 4").data;
  const api = fakeApi12({ "cmi.core.entry": "resume", "cmi.suspend_data": bad, "cmi.core.lesson_status": "incomplete",
                          "cmi.core.lesson_location": "javascript:alert(1)" });
  const { lms, adapter } = open(api);
  const got = KSLms.launchState(lms, adapter, V.layout, CFG);
  assert.deepEqual(plain(got.errors), ["quiz:modul"]);
  assert.deepEqual(plain(got.state.quiz), {});
  assert.equal(got.state.refl.constructor, "Et id som er et JS-navn.");
  assert.equal(got.state.loc, "javascript:alert(1)", "launchState reports it; the runtime accepts only its own page paths");
});

test("1.2 interactions are appended after every index the stored attempts used, whatever _count says", () => {
  const S = KSCodec.decode(V.layout, FULL);      // modul: 2 attempts of 4 questions; slutt: 31 of 2
  assert.equal(KSLms.nextInteraction(18, S, V.layout), 2 * 4 + 31 * 2);
  assert.equal(KSLms.nextInteraction(100, S, V.layout), 100);
  assert.equal(KSLms.nextInteraction(0, KSCodec.emptyState(), V.layout), 0);
});

test("1.2 status is never lowered, and a module SCO of the whole course never says completed", () => {
  const api = fakeApi12({});
  const { lms, adapter } = open(api, "1.2", Object.assign({}, CFG, { completes: false }));
  const prior = { status: "passed" };
  adapter.write(lms, { done: false, best: null }, prior);
  assert.equal(api.values["cmi.core.lesson_status"], "passed");
  const fresh = { status: "" };
  adapter.write(lms, { done: true, best: 7500 }, fresh);
  assert.equal(api.values["cmi.core.lesson_status"], "passed");
  assert.equal(api.values["cmi.core.score.raw"], "75");
});

test("the connection sends a value only when it changes, and keeps every refusal", () => {
  const api = fakeApi12({});
  api.LMSSetValue = (el, v) => { api.log.push(["set", el, v]); return el === "cmi.bad" ? "false" : "true"; };
  api.LMSGetLastError = () => "405";
  const { lms, errors } = open(api);
  lms.put("cmi.core.lesson_location", "a");
  lms.put("cmi.core.lesson_location", "a");
  lms.put("cmi.bad", "x");
  assert.equal(api.log.filter((c) => c[0] === "set").length, 2);
  assert.deepEqual(errors, ["cmi.bad -> 405"]);
});

test("the bookmark's save counter is 0 when the stored location has none, and read in base 36 when it has one", () => {
  /* If this broke, a first save would write "page.html#undefinee" (parseInt(undefined, 36) is a number),
     as Moodle 5.1 showed for every SCO of the example course. */
  assert.equal(KSLms.bookmarkSeq(""), 0);
  assert.equal(KSLms.bookmarkSeq("intro/velkommen.html"), 0);
  assert.equal(KSLms.bookmarkSeq("intro/velkommen.html#a"), 10);
  assert.equal(KSLms.bookmarkSeq("intro/velkommen.html#-3"), 0);
  assert.equal(KSLms.bookmarkSeq("intro/velkommen.html#undefinedxx"), 0);
});
