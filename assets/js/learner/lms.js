/* The LMS side of the learner-data layer: finding the API, the SCORM 1.2 and 2004 adapters, the
 * connection (no chatter, errors collected), and what a launch reads back.
 *
 * launchState() reads the SCO's stored state whatever cmi.core.entry / cmi.entry says: the Moodle app
 * keeps one API object for its player page and fixes every SCO's entry when the player opens, so a
 * module opened again there is told "ab-initio" while the LMS holds its data; writing a fresh state
 * then wiped the module. A fresh state is only ever written where the LMS holds none for this SCO.
 * nextInteraction() says how many interactions the stored attempt counts prove were sent, so the
 * runtime never writes one at an index below that, whatever cmi.interactions._count the LMS reports
 * (the app rebuilds it from tracks sorted by name: 18 for 20, and refuses any index above it).
 *
 * Depends on KSCodec (codec.js); tested in Node with fake APIs (tests/js/lms.test.js).
 */
var KSLms = (function () {
  "use strict";
  /* ------------------------------------------------------------------ finding the LMS */

  function findIn(win, name) {
    for (var tries = 0; win && tries < 500; tries++) {
      try { if (win[name]) return win[name]; } catch (e) { /* another origin: keep climbing */ }
      var parent = null;
      try { parent = win.parent; } catch (e) { return null; }
      if (!parent || parent === win) return null;
      win = parent;
    }
    return null;
  }
  function findAPI(name) {
    var api = findIn(window, name);
    try { if (!api && window.opener) api = findIn(window.opener, name); } catch (e) { api = null; }
    try { if (!api && window.top && window.top.opener) api = findIn(window.top.opener, name); } catch (e) { api = null; }
    return api;
  }


  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function clock(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  var LETTERS = "abcdefghijklmnopqrstuvwxyz", NUM36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  var lineBreaksOut = KSCodec.lineBreaksOut, lineBreaksIn = KSCodec.lineBreaksIn;

  /* The adapter of `version` ("1.2" or "2004") for a SCO configured by CFG (package.py). */
  function adapterFor(version, CFG) {


    var ADAPTERS = {
      "1.2": {
        name: "API",
        fn: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", end: "LMSFinish", err: "LMSGetLastError" },
        el: { entry: "cmi.core.entry", mode: "cmi.core.lesson_mode", location: "cmi.core.lesson_location", suspend: "cmi.suspend_data",
              exit: "cmi.core.exit", session: "cmi.core.session_time", count: "cmi.interactions._count", learner: "cmi.core.student_id",
              name: "cmi.core.student_name", nav: "nav.event" },
        exitDone: "",
        duration: function (ms) {                      /* CMITimespan HHHH:MM:SS.SS */
          var cs = Math.floor(ms / 10), h = Math.min(9999, Math.floor(cs / 360000));
          return pad(h, 2) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" + pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
        },
        readPrior: function (lms) {
          var status = lms.get("cmi.core.lesson_status"), raw = parseFloat(lms.get("cmi.core.score.raw"));
          return { status: status, best: isNaN(raw) ? null : Math.round(raw * 100) };
        },
        started: function (prior) { return prior.status !== "" && prior.status !== "not attempted"; },
        write: function (lms, ev, prior) {
          /* What Moodle's defaults need (builder/formats/scorm/README.md, "Status and score"): never
             "failed" (it would open review mode and end retakes); "completed" only when the pages are
             seen and the counting quizzes passed, because the default completion rule is "Completed".
             A module SCO of the whole-course package (CFG.completes false) reports "passed" when read,
             so that only the final-test SCO can complete the activity. */
          var RANK = { "": 0, "not attempted": 0, browsed: 1, incomplete: 2, failed: 3, passed: 4, completed: 5 };
          var doneStatus = CFG.completes ? "completed" : "passed";
          var status = ev.done ? doneStatus : "incomplete";
          if ((RANK[prior.status] || 0) > RANK[status]) status = prior.status;   /* never lowered */
          prior.status = status;
          if (ev.best != null) {
            lms.put("cmi.core.score.min", "0");
            lms.put("cmi.core.score.max", "100");
            lms.put("cmi.core.score.raw", String(ev.best / 100));
          }
          lms.put("cmi.core.lesson_status", status);
          return status === doneStatus;
        },
        interaction: function (lms, n, d, q) {       /* 1.2 interactions are write-only: a new one per answer */
          var base = "cmi.interactions." + n + ".";
          lms.put(base + "id", d.iid);
          lms.put(base + "type", q.t === "truefalse" ? "true-false" : q.t === "matching" ? "matching" : "choice");
          lms.put(base + "correct_responses.0.pattern", this.pattern(q, d.correct));
          lms.put(base + "student_response", this.pattern(q, d.response));
          lms.put(base + "result", d.result === "correct" ? "correct" : "wrong");
          lms.put(base + "weighting", "1");
          lms.put(base + "time", clock(new Date()));
        },
        pattern: function (q, ids) {                   /* 1.2: single characters, comma-separated */
          if (q.t === "truefalse") return ids[0] === "true" ? "t" : "f";
          if (q.t === "matching") {
            return ids.map(function (v) {
              var parts = v.split("."), pair = q.p.indexOf(parts[0]) + 1;
              return NUM36.charAt(pair) + "." + LETTERS.charAt(+parts[1]);
            }).join(",");
          }
          return ids.join(",");
        }
      },
      "2004": {
        name: "API_1484_11",
        fn: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", end: "Terminate", err: "GetLastError" },
        el: { entry: "cmi.entry", mode: "cmi.mode", location: "cmi.location", suspend: "cmi.suspend_data",
              exit: "cmi.exit", session: "cmi.session_time", count: "cmi.interactions._count", learner: "cmi.learner_id",
              name: "cmi.learner_name", nav: "adl.nav.request" },
        exitDone: "normal",
        duration: function (ms) {                      /* ISO 8601, at most two decimals on seconds */
          var cs = Math.floor(ms / 10), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
          return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
        },
        readPrior: function (lms) {
          var prior = { completion: lms.get("cmi.completion_status"), success: lms.get("cmi.success_status"), best: null };
          if (CFG.scored.length && (prior.success === "passed" || prior.success === "failed")) {   /* a module SCO has no score */
            var scaled = parseFloat(lms.get("cmi.score.scaled"));
            if (!isNaN(scaled)) prior.best = Math.round(scaled * 10000);
          }
          return prior;
        },
        started: function (prior) { return prior.completion === "incomplete" || prior.completion === "completed"; },
        write: function (lms, ev, prior) {
          /* completed only when the course's rule is met (pages seen and, with a counting quiz, passed):
             Moodle completes the activity on "completed" and then opens the attempt in review mode.
             A module SCO of the whole-course package (CFG.completes false) never reports "completed":
             Moodle's default rule completes the activity as soon as any SCO stored "completed". It
             stays "incomplete" (so it also keeps exit "suspend" and its data) and says it was read
             with success "passed", which that rule ignores (the 2004 twin of 1.2's "passed"). */
          if (!CFG.completes) {
            lms.put("cmi.completion_status", "incomplete");
            lms.put("cmi.progress_measure", String(Math.min(0.99, Math.floor(ev.progress * 10000) / 10000)));
            if (ev.done || prior.success === "passed") { prior.success = "passed"; lms.put("cmi.success_status", "passed"); }
            return false;
          }
          var completion = ev.done || prior.completion === "completed" ? "completed" : "incomplete";
          prior.completion = completion;
          lms.put("cmi.progress_measure", String(completion === "completed" ? 1 : Math.min(0.99, Math.floor(ev.progress * 10000) / 10000)));
          lms.put("cmi.completion_status", completion);
          if (ev.best != null) {
            lms.put("cmi.score.scaled", String(ev.best / 10000));
            lms.put("cmi.score.raw", String(ev.best / 100));
            lms.put("cmi.score.min", "0");
            lms.put("cmi.score.max", "100");
            var success = ev.passed || prior.success === "passed" ? "passed" : "failed";
            prior.success = success;
            lms.put("cmi.success_status", success);
          }
          return completion === "completed";
        },
        /* One interaction per question, written once (id, type, correct pattern); a later answer to
           the same question (a retake) changes only its response and result. Moodle's 2004 player
           re-sends every interaction of the SCO with every save, and the last save of a page is a
           Beacon request (at most 64 KiB) whose form encoding adds ~140 bytes per value: so a SCO
           holds no more interactions than it has questions and reflections, with as few values as
           a report needs (no description or time), and the build bounds the worst case
           (package.py, EXIT_SAVE_*). */
        slots: true,
        interaction: function (lms, n, d, q, isNew) {
          var base = "cmi.interactions." + n + ".";
          if (isNew) {
            lms.put(base + "id", d.iid);
            lms.put(base + "type", q.t === "truefalse" ? "true-false" : q.t === "matching" ? "matching" : "choice");
            lms.put(base + "correct_responses.0.pattern", this.pattern(q, d.correct));
          }
          lms.put(base + "learner_response", this.pattern(q, d.response));
          lms.put(base + "result", d.result === "correct" ? "correct" : "incorrect");
        },
        /* A reflection as a long-fill-in interaction (learner_response up to 4,000 characters), so
           Moodle's interactions report shows it to facilitators. Its index is fixed the first time;
           later only learner_response changes. Read back by id on the next launch. */
        reflection: function (lms, n, id, text, isNew) {
          var base = "cmi.interactions." + n + ".";
          if (isNew) {
            lms.put(base + "id", "refl." + id);
            lms.put(base + "type", "long-fill-in");
            if (CFG.reflectionTitles[id]) lms.put(base + "description", CFG.reflectionTitles[id]);
          }
          /* Line breaks as U+2424 "␤": LMSes validate learner_response with a regular expression
             whose "." does not match a line break (scorm-again refuses the value); Moodle's report
             then shows ␤ where the learner started a new line. Read back as line breaks. */
          lms.put(base + "learner_response", lineBreaksOut(text));
          lms.put(base + "result", "neutral");
        },
        /* The stored interactions: their index by id (slots), and the reflections' texts. */
        readInteractions: function (lms, count) {
          var out = { slots: {}, refl: {} };
          for (var n = 0; n < count; n++) {
            var iid = lms.get("cmi.interactions." + n + ".id");
            if (!iid) continue;
            out.slots[iid] = n;
            if (iid.indexOf("refl.") === 0) out.refl[iid.slice(5)] = lineBreaksIn(lms.get("cmi.interactions." + n + ".learner_response"));
          }
          return out;
        },
        pattern: function (q, ids) {
          if (q.t === "matching") {
            return ids.map(function (v) { var parts = v.split("."); return parts[0] + "[.]" + LETTERS.charAt(+parts[1]); }).join("[,]");
          }
          return ids.join("[,]");
        }
      }
    };
    return ADAPTERS[version];
  }

  /* ------------------------------------------------------------------ the connection */

  /* The LMS behind `api` through `adapter`: SetValue only when a value changes (no chatter), every
     failure kept in `errors`, onWrite() told of each value written (the runtime's "dirty" flag). */
  function connection(api, adapter, errors, onWrite) {
    return {
      connected: false, ended: false, written: {},
      open: function () {
        if (!api) return false;
        try { this.connected = String(api[adapter.fn.init]("")) === "true"; } catch (e) { this.connected = false; }
        if (!this.connected) errors.push("initialize -> " + this.code());
        return this.connected;
      },
      call: function (fn, el, value) {
        if (!this.connected || this.ended) return "";
        try {
          var f = api[adapter.fn[fn]];
          return String(fn === "set" ? f.call(api, el, value) : f.call(api, el == null ? "" : el));
        } catch (e) { errors.push(fn + ": " + e); return "false"; }
      },
      code: function () { try { return String(api[adapter.fn.err]()); } catch (e) { return "101"; } },
      get: function (el) {
        var v = this.call("get", el);
        return v == null || v === "undefined" ? "" : v;
      },
      put: function (el, value) {
        value = String(value);
        if (this.written[el] === value) return true;
        var ok = this.call("set", el, value) === "true";
        if (!ok) { errors.push(el + " -> " + this.code()); return false; }
        this.written[el] = value;
        if (onWrite) onWrite(el);
        return true;
      }
    };
  }

  /* ------------------------------------------------------------------ what a launch reads */

  /* The bookmark is "path#n": n grows with every page change, so the value always differs from the
     launch value (Moodle's 2004 player sends only values that differ from their launch value). */
  function bookmarkPath(value) { return String(value || "").split("#")[0]; }
  /* The save counter after "#" (base 36). Without one the counter is 0: parseInt(undefined, 36) is not
     NaN but the number spelled "undefined" in base 36, which Moodle showed as "#undefinee". */
  function bookmarkSeq(value) {
    var part = String(value || "").split("#")[1];
    return part && /^[0-9a-z]{1,8}$/.test(part) ? parseInt(part, 36) : 0;
  }

  /* Everything the SCO's stored data says, read whatever entry says (see the head of this file).
     L: the codec layout; CFG: reflectionStore, caps. Returns {state, orphans, errors, held, review,
     resumed, prior, slots, locSeq}: `held` is whether the LMS holds data of this SCO; orphans are
     reflections it holds that this SCO no longer has (renamed or moved), for the learner to keep. */
  function launchState(lms, adapter, L, CFG) {
    var entry = lms.get(adapter.el.entry), review = lms.get(adapter.el.mode) === "review";
    var prior = adapter.readPrior(lms), out = { review: review, prior: prior, slots: {}, errors: [], orphans: KSCodec.dict() };
    /* 2004 logs asking for a value never set as an error (403), so it asks only when the attempt has
       begun (its completion status says so) or the LMS resumes it; 1.2 returns "" without one. */
    var ask = adapter.name === "API" || entry === "resume" || review || adapter.started(prior);
    var data = ask ? lms.get(adapter.el.suspend) : "", location = ask ? lms.get(adapter.el.location) : "";
    var S = KSCodec.decode(L, data);
    out.errors = S.errors; out.orphans = S.orphans;
    delete S.errors; delete S.orphans;
    out.held = !!data || !!location;
    S.loc = bookmarkPath(location);
    out.locSeq = bookmarkSeq(location);
    if (CFG.reflectionStore === "interactions" && ask) {
      var found = adapter.readInteractions(lms, parseInt(lms.get(adapter.el.count), 10) || 0);
      out.slots = found.slots;
      Object.keys(found.refl).forEach(function (id) {
        if (!found.refl[id]) return;
        if (KSCodec.own(CFG.caps, id)) S.refl[id] = found.refl[id]; else out.orphans[id] = found.refl[id];
      });
      out.held = out.held || Object.keys(found.slots).length > 0;
    }
    if (prior.best != null && (S.best == null || prior.best > S.best)) S.best = prior.best;
    out.state = S;
    out.resumed = !!S.loc && !review && (entry === "resume" || out.held);
    return out;
  }

  /* The first interaction index this SCO has certainly not used (SCORM 1.2, where interactions are
     write-only): after what the LMS reports, and after every answer the stored attempt counts say
     were sent (each checked attempt of a quiz sent one interaction per question shown). */
  function nextInteraction(reported, S, L) {
    var sent = 0;
    L.quizzes.forEach(function (q) {
      var t = KSCodec.own(S.tries, q.id) ? +S.tries[q.id].t || 0 : 0;
      sent += t * (q.n || q.q.length);
    });
    return Math.max(reported || 0, sent);
  }

  return { findAPI: findAPI, adapterFor: adapterFor, connection: connection, launchState: launchState,
           nextInteraction: nextInteraction, bookmarkPath: bookmarkPath, bookmarkSeq: bookmarkSeq };
})();
