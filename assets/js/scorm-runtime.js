/* The SCORM runtime of the course packages: one small script for SCORM 1.2 and SCORM 2004.
 *
 * It runs in the launch page of a SCO (the one SCO of a module package, or one module's SCO of the
 * whole-course package), which shows the course pages in a frame. The pages' script (kurs.js) finds window.KSRuntime in its parent and calls only:
 *   load() seen(key, path) quiz(id, answers, correct, total, details, tries) retry(id)
 *   reflection(id, text) homework(id, steps) limits()
 * This file turns those calls into LMS data through one of two adapters (1.2 or 2004):
 *   - status: completed when every page is seen; passed/failed from the counting quizzes and the
 *     mastery score, decided here (never by the LMS) and never lowered;
 *   - score, one interaction per answered question, bookmark (location), and the learner's
 *     answers, ticks and reflections in suspend_data, encoded compactly (builder/formats/scorm/budget.py
 *     documents the format; the build guarantees the worst case fits the limit);
 *   - exit "suspend" until finished; session time; commits on status and page changes, shortly
 *     after writing pauses, when the page is hidden, and on a timer — never only at unload.
 * Without an LMS it keeps working on localStorage and says so on the page.
 * Learner-visible texts come from the configuration (assets/i18n), never from this file.
 */
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("ks-scorm-config").textContent);
  var T = CFG.strings || {};
  var L = CFG.layout;
  var dict = KSCodec.dict, own = KSCodec.own;
  var started = Date.now();
  var bar = document.getElementById("ks-lms-notice"), frame = document.getElementById("ks-content");
<<<<<<< HEAD
  var adapter = KSLms.adapterFor(CFG.version, CFG);
  var api = KSLms.findAPI(adapter.name);
=======

  /* ------------------------------------------------------------------ encoding (suspend_data) */

  function digits(n) { var w = 1; while (Math.pow(64, w) <= n) w++; return w; }
  function to64(n, width) {
    var out = "";
    do { out = A64.charAt(n % 64) + out; n = Math.floor(n / 64); } while (n > 0);
    while (out.length < (width || 0)) out = "0" + out;
    return out;
  }
  function from64(s) { var n = 0; for (var i = 0; i < s.length; i++) n = n * 64 + A64.indexOf(s.charAt(i)); return n; }

  function encodeAnswer(c, answer) {
    answer = answer || [];
    if (c.t === "matching") {
      return c.p.map(function (pair) {
        for (var i = 0; i < answer.length; i++) {
          var parts = String(answer[i]).split(".");
          if (parts[0] === pair) return A64.charAt(+parts[1] + 1);
        }
        return "0";
      }).join("");
    }
    if (c.t === "multiple") {
      var mask = 0;
      answer.forEach(function (v) { var i = c.o.indexOf(v); if (i >= 0) mask += Math.pow(2, i); });
      return to64(mask, c.w);
    }
    for (var j = 0; j < answer.length; j++) { var k = c.o.indexOf(answer[j]); if (k >= 0) return to64(k + 1, c.w); }
    return to64(0, c.w);
  }
  function decodeAnswer(c, code) {
    if (c.t === "matching") {
      var out = [];
      c.p.forEach(function (pair, i) { var ch = code.charAt(i); if (ch && ch !== "0") out.push(pair + "." + (A64.indexOf(ch) - 1)); });
      return out;
    }
    var n = from64(code);
    if (c.t === "multiple") return c.o.filter(function (o, i) { return Math.floor(n / Math.pow(2, i)) % 2 === 1; });
    return n ? [c.o[n - 1]] : [];
  }

  function encode(S) {
    var seen = "";
    for (var i = 0; i < L.pages.length; i += 6) {
      var bits = 0;
      for (var j = 0; j < 6 && i + j < L.pages.length; j++) if (S.seen[L.pages[i + j]]) bits += 1 << j;
      seen += A64.charAt(bits);
    }
    var quizzes = L.quizzes.map(function (q) {
      var taken = S.quiz[q.id];
      if (!taken) return "~";
      return to64(taken.s, digits(q.q.length)) + q.q.map(function (c) { return encodeAnswer(c, taken.a && taken.a[c.id]); }).join("");
    }).join("");
    var best = S.best == null ? "" : to64(S.best);
    var hw = L.homework.map(function (h) {
      var ticked = S.hw[h] || [], bits = 0;
      STEPS.forEach(function (s, i) { if (ticked.indexOf(s) >= 0) bits += 1 << i; });
      return A64.charAt(bits);
    }).join("");
    var refl = CFG.reflectionStore === "interactions" ? "" : Object.keys(S.refl).sort().filter(function (id) { return S.refl[id]; }).map(function (id) {
      var text = lineBreaksOut(S.refl[id]);
      return id + ":" + text.length.toString(36) + ":" + text;
    }).join("");
    /* Format 3: the header carries a save sequence number after the fingerprint. Each save has a
       new number, so the value always differs from the one the LMS gave at launch: Moodle's 2004
       player only sends values that differ from their launch value, and would otherwise keep a
       stale value when the data returns to what it was at launch (a step ticked and unticked). */
    return "3" + L.fingerprint + to64(S.seq || 0) + "." + seen + "." + quizzes + "." + best + "." + hw + "." + encodeTries(S) + "." + refl;
  }

  /* Line breaks are stored as U+2424 "␤". A line break sent as is can come back as CR LF: Moodle
     sends the last save of a closing page with the Beacon API, whose form encoding turns every line
     break into CR LF, and then the lengths in suspend_data no longer match the text (seen in
     Moodle 5.1). One character for one character, so the budget is unchanged. */
  function lineBreaksOut(text) { return String(text).replace(/\r\n|\r|\n/g, "\u2424"); }
  function lineBreaksIn(text) { return String(text).replace(/\u2424/g, "\n"); }

  function cut(text, n) {                         /* at most n UTF-16 units, never half a character */
    var code = text.charCodeAt(n - 1);
    return text.slice(0, code >= 0xD800 && code <= 0xDBFF ? n - 1 : n);
  }

  /* TRIES: the shuffle seed, then per quiz the checked attempts (at most 31) + 32 once passed. */
  function encodeTries(S) {
    return to64(S.seed || 0, 4) + L.quizzes.map(function (q) {
      var t = S.tries[q.id] || {};
      return A64.charAt(Math.min(t.t || 0, 31) + (t.p ? 32 : 0));
    }).join("");
  }
  function decodeTries(S, field) {
    if (field.length < 4) return;
    S.seed = from64(field.substr(0, 4));
    L.quizzes.forEach(function (q, i) {
      var n = A64.indexOf(field.charAt(4 + i));
      if (n > 0) S.tries[q.id] = { t: n % 32, p: n >= 32 ? 1 : 0 };
    });
  }
  function newSeed() { return 1 + Math.floor(Math.random() * (Math.pow(64, 4) - 1)); }

  function emptyState() { return { v: 1, seen: {}, loc: "", quiz: {}, refl: {}, hw: {}, tries: {}, seed: 0, best: null, seq: 0 }; }

  /* Format 1: no TRIES field; format 2 (issue 14) adds it; format 3 (issue 13) adds the save
     counter to the header. All three are read, so an updated package keeps what learners stored. */
  function decode(data) {
    var S = emptyState(), version = data ? data.charAt(0) : "";
    if (version !== "1" && version !== "2" && version !== "3") return S;
    var headEnd = data.indexOf(".");
    if (headEnd < 5) return S;
    var head = data.substr(1, 4), rest = data.substr(headEnd + 1), fields = [], pos = 0;
    if (version === "3") S.seq = from64(data.slice(5, headEnd));
    for (var f = 0; f < (version === "1" ? 4 : 5); f++) { var dot = rest.indexOf(".", pos); if (dot < 0) return S; fields.push(rest.slice(pos, dot)); pos = dot + 1; }
    var refl = rest.slice(pos);
    for (var r = 0; r < refl.length;) {          /* id:LENGTH:text — lengths in UTF-16 units = String.length */
      var c1 = refl.indexOf(":", r), c2 = refl.indexOf(":", c1 + 1);
      if (c1 < 0 || c2 < 0) break;
      var n = parseInt(refl.slice(c1 + 1, c2), 36);
      if (isNaN(n)) break;
      S.refl[refl.slice(r, c1)] = lineBreaksIn(refl.substr(c2 + 1, n));
      r = c2 + 1 + n;
    }
    if (head !== L.fingerprint) return S;        /* the course changed: keep only the reflections */
    var seen = fields[0], quizzes = fields[1], best = fields[2], hw = fields[3];
    if (version !== "1") decodeTries(S, fields[4]);
    L.pages.forEach(function (key, i) {
      var ch = seen.charAt(Math.floor(i / 6));
      if (ch && (A64.indexOf(ch) >> (i % 6)) & 1) S.seen[key] = 1;
    });
    var p = 0;
    L.quizzes.forEach(function (q) {
      if (quizzes.charAt(p) === "~" || p >= quizzes.length) { p++; return; }
      var w = digits(q.q.length), s = from64(quizzes.substr(p, w)), answers = {};
      p += w;
      q.q.forEach(function (c) { answers[c.id] = decodeAnswer(c, quizzes.substr(p, c.w)); p += c.w; });
      S.quiz[q.id] = { a: answers, s: s, n: q.n || q.q.length };
    });
    if (best) S.best = from64(best);
    L.homework.forEach(function (h, i) {
      var bits = A64.indexOf(hw.charAt(i)), steps = STEPS.filter(function (s, k) { return bits > 0 && (bits >> k) & 1; });
      if (steps.length) S.hw[h] = steps;
    });
    return S;
  }

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

  /* ------------------------------------------------------------------ the two adapters */

  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function clock(d) { return pad(d.getHours(), 2) + ":" + pad(d.getMinutes(), 2) + ":" + pad(d.getSeconds(), 2); }
  var LETTERS = "abcdefghijklmnopqrstuvwxyz", NUM36 = "0123456789abcdefghijklmnopqrstuvwxyz";

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
  /* ------------------------------------------------------------------ the LMS connection */

  var adapter = ADAPTERS[CFG.version];
  var api = findAPI(adapter.name);
>>>>>>> main
  var errors = [];
  var dirty = false;
  var lms = KSLms.connection(api, adapter, errors, function () { dirty = true; });

  /* Moodle's SCORM player builds its API once per player page, with every SCO's stored data as it
     was when the page loaded, and keeps it while the learner moves from SCO to SCO (its course
     menu, its Next button, or our Next link): a SCO opened again in the same page would get stale
     data and overwrite what it stored earlier in the session, and in SCORM 2004 the API refuses
     Initialize for good once one SCO has called Terminate (error 104; Moodle 5.1,
     mod/scorm/datamodels/scorm_1{2,3}.js). So one player page serves one of our SCOs: a SCO the
     player opens after another one reloads the player for itself, with the loadSCO.php query of
     its frame on player.php (the URL Moodle's own full-URL course menu links use), which builds a
     fresh API from what is stored now. Only inside Moodle's SCO frame; at most once in 3 s per SCO,
     so a failed reload cannot loop. */
  var moodlePlayer = null;
  try {
    var host = window.frameElement, src = host && host.getAttribute("src");
    var loadSco = src && new URL(src, host.ownerDocument.baseURI);
    if (loadSco && /\/mod\/scorm\/loadSCO\.php$/.test(loadSco.pathname)) moodlePlayer = { win: host.ownerDocument.defaultView, url: loadSco };
  } catch (e) { moodlePlayer = null; }
  function reopenPlayer() {
    if (!moodlePlayer || !moodlePlayer.win.kulturskoleSco) return false;
    var target = new URL(moodlePlayer.url.href), key = "kulturskole-reopen:" + target.search;
    target.pathname = target.pathname.replace(/loadSCO\.php$/, "player.php");
    try {
      var display = new URL(moodlePlayer.win.location.href).searchParams.get("display");
      if (display) target.searchParams.set("display", display);
      if (Date.now() - (+window.sessionStorage.getItem(key) || 0) < 3000) return false;
      window.sessionStorage.setItem(key, String(Date.now()));
      moodlePlayer.win.location.replace(target.href);
    } catch (e) { return false; }
    notice(String(T.other_module_opening || "").replace("{title}", CFG.scos ? CFG.scos[CFG.scoIndex] : document.title));
    return true;
  }
  if (reopenPlayer()) return;
  if (moodlePlayer) moodlePlayer.win.kulturskoleSco = CFG.id + "/" + CFG.sco;
  lms.open();

  /* ------------------------------------------------------------------ learner state */

  var S = KSCodec.emptyState(), prior = { status: "", completion: "", success: "", best: null }, review = false, resumed = false;
  var offline = KSStore.open("kulturskole-scorm:" + CFG.id, KSStore.cleanState);   /* without an LMS */
  var finished = false, lastCommit = 0, soon = null;
  var suspendLimit = CFG.suspendLimit;
  var slots = {};                                   /* 2004: interaction id (refl.<id>, <quiz>.<question>) -> its index */
  var locSeq = 0, orphans = dict(), held = false;
  var known = dict();                               /* the bookmark may only be one of this SCO's page paths */
  CFG.pages.forEach(function (p) { known[p[1]] = p[0]; });

  if (lms.connected) {
    var launch = KSLms.launchState(lms, adapter, L, CFG);
    S = launch.state; prior = launch.prior; review = launch.review; slots = launch.slots;
    locSeq = launch.locSeq; orphans = launch.orphans; held = launch.held;
    if (!own(known, S.loc)) S.loc = "";
    resumed = launch.resumed && !!S.loc;
    launch.errors.forEach(function (e) { errors.push("suspend_data: " + e); });
    if (!S.seed && !review) S.seed = KSCodec.newSeed();   /* kept, so a resumed attempt looks the same */
  } else {
    S = offline.read();
    if (!own(known, S.loc)) S.loc = "";
    if (!S.seed) S.seed = KSCodec.newSeed();
  }
  /* 1.2 interactions are write-only and an LMS accepts a new one only at index _count. When _count
     is below what the stored attempt counts say this SCO already sent (the Moodle app rebuilds it
     from tracks sorted by name: 18 for 20), writing at _count would overwrite an earlier answer:
     then this session writes no interactions (its answers and score are in suspend_data). */
  var reported = lms.connected ? (parseInt(lms.get(adapter.el.count), 10) || 0) : 0;
  var interactionCount = reported;
  var interactionsBehind = !adapter.slots && lms.connected && !review && KSLms.nextInteraction(0, S, L) > reported;
  if (interactionsBehind) errors.push("interactions: the LMS reports " + reported + ", this SCO sent " + KSLms.nextInteraction(0, S, L) + ": none written this session");

  function writeBookmark(path) {
    locSeq++;
    lms.put(adapter.el.location, path + "#" + locSeq.toString(36));
  }

  /* ------------------------------------------------------------------ drafts in the browser
     What a learner types is kept in localStorage at once (kurs.js calls draft() on every input),
     per package and learner, and marked sent when an LMS commit carried it. A draft that never
     reached the LMS (the window died within the second before the save) is restored on the next
     launch and sent then. The same record mirrors the package's other reflections, so "Mine
     refleksjoner" can show the reflections of the other SCOs of a multi-SCO package, and, in a
     multi-SCO package, every SCO's pages seen (prog), so the front page and the module menu can
     count the whole course: a SCORM 1.2 SCO cannot read another SCO's data from the LMS. */
  var learner = lms.connected ? lms.get(adapter.el.learner) : "";
  var drafts = KSStore.open("kulturskole-drafts:" + CFG.id + ":" + learner, KSStore.cleanDrafts);
  var caps = CFG.caps || {};
  function draft(id, text) {
    drafts.update(function (d) { d.refl[id] = { t: String(text || ""), sent: false, sco: CFG.sco }; });
  }
  function markSent() {
    /* Only a commit made while the page is shown counts: while a page is being closed, Moodle sends
       with the Beacon API and reports success without knowing whether the data arrived. */
    if (document.visibilityState !== "visible") return;
    drafts.update(function (d) {
      Object.keys(d.refl).forEach(function (id) {
        var entry = d.refl[id];
        if (!entry.sent && entry.sco === CFG.sco && (own(S.refl, id) ? S.refl[id] : "") === entry.t) entry.sent = true;
      });
    });
  }
  /* Reflections the LMS holds for this SCO that it no longer has (an id renamed or moved to another
     module): kept in this browser as earlier text, shown in «Mine refleksjoner», and in the LMS
     only while there is room after the current ones (writeSuspend), never in their way. */
  if (Object.keys(orphans).length && !review) {
    drafts.update(function (d) {
      Object.keys(orphans).forEach(function (id) { if (orphans[id]) d.earlier[id] = { t: orphans[id], sco: CFG.sco }; });
    });
  }
  var restored = [];
  if (lms.connected && !review) {
    var pending = drafts.read();
    Object.keys(pending.refl).forEach(function (id) {
      var entry = pending.refl[id];
      if (entry.sent || entry.sco !== CFG.sco || !own(caps, id)) return;
      if ((own(S.refl, id) ? S.refl[id] : "") !== entry.t) { if (entry.t) S.refl[id] = entry.t; else delete S.refl[id]; restored.push(id); }
    });
  }
  function copyProgress() {                        /* this SCO's pages seen, for the other SCOs to count */
    if (!CFG.scoIds || !lms.connected || review) return;
    drafts.update(function (d) { d.prog[CFG.sco] = { seen: S.seen }; });
  }
  /* The other SCOs' progress as far as this browser knows it: their pages seen, and the modules
     (SCOs) of which this browser has no copy (not opened here, or used on another device). */
  function elsewhere() {
    if (!CFG.scoIds) return null;
    var d = drafts.read(), seen = dict(), unknown = [];
    CFG.scoIds.forEach(function (id) {
      if (id === CFG.sco) return;
      if (!own(d.prog, id)) { unknown.push(id); return; }
      Object.keys(d.prog[id].seen).forEach(function (k) { seen[k] = 1; });
    });
    return { seen: seen, unknown: unknown };
  }

  if (lms.connected && !review) {
    S.seq = (S.seq || 0) + 1;
    restored.forEach(function (id) { writeReflection(id); });
    copyProgress();
    evaluateAndWrite();
    if (!finished) lms.put(adapter.el.exit, "suspend");
    /* What was read is written back only when it changed; a fresh state (and its shuffle seed)
       only where the LMS holds none for this SCO. */
    if (restored.length || !held) writeSuspend();
    commit();
  }

  function evaluate() {
    var required = CFG.required, seen = required.filter(function (k) { return S.seen[k]; }).length;
    var scored = CFG.scored, taken = scored.filter(function (id) { return S.quiz[id]; });
    if (scored.length && taken.length === scored.length) {
      var s = 0, n = 0;
      scored.forEach(function (id) { s += S.quiz[id].s; n += S.quiz[id].n; });
      var scaled = KSRule.scaled(s, n);
      if (S.best == null || scaled > S.best) S.best = scaled;     /* the best result counts */
    }
    var passed = S.best != null && S.best >= CFG.mastery * 100, completed = seen === required.length;
    return {
      completed: completed, progress: required.length ? seen / required.length : 1,
      scored: scored.length > 0, best: S.best, passed: passed, done: completed && (!scored.length || passed)
    };
  }

  function evaluateAndWrite() {
    if (!lms.connected || review) return;
    var done = adapter.write(lms, evaluate(), prior);
    if (done && !finished) { finished = true; lms.put(adapter.el.exit, adapter.exitDone); }
  }

  /* The ids whose text had to be cut to fit the LMS's limit (never within the build's caps: the
     budget counts every current reflection at its cap, and orphans are only added after them). */
  function writeSuspend() {
    if (!lms.connected || review) return [];
    S.seq = (S.seq || 0) + 1;
    var data = KSCodec.encode(L, S), cutIds = [];
    while (data.length > suspendLimit) {
      var longest = L.reflections.filter(function (id) { return own(S.refl, id); })
        .sort(function (a, b) { return S.refl[b].length - S.refl[a].length; })[0];
      if (!longest) break;
      S.refl[longest] = KSCodec.cut(S.refl[longest], Math.max(0, S.refl[longest].length - (data.length - suspendLimit)));
      cutIds.push(longest); errors.push("suspend_data: cut " + longest);
      data = KSCodec.encode(L, S);
    }
    Object.keys(orphans).sort().forEach(function (id) {
      var text = KSCodec.lineBreaksOut(orphans[id]), entry = id + ":" + text.length.toString(36) + ":" + text;
      if (id && L.reflections.length && data.length + entry.length <= suspendLimit) data += entry;
    });
    lms.put(adapter.el.suspend, data);
    return cutIds;
  }
  /* One change of the learner state: in this page's copy and, without an LMS, in the browser's
     store at once (re-read, changed, written: another tab's changes stay). */
  function patch(change) {
    change(S);
    if (!lms.connected) offline.update(function (stored) { if (!stored.seed) stored.seed = S.seed; change(stored); });
  }

  function writeReflection(id) {
    if (CFG.reflectionStore !== "interactions" || !lms.connected || review) return;
    var text = S.refl[id] || "", iid = "refl." + id, isNew = !(iid in slots);
    if (isNew && !text) return;
    if (isNew) slots[iid] = interactionCount++;
    adapter.reflection(lms, slots[iid], id, text, isNew);
  }

  function commit() {
    clearTimeout(soon); soon = null;
    if (!lms.connected || lms.ended || review) return;
    lms.put(adapter.el.session, adapter.duration(Date.now() - started));
    if (!dirty) return;
    lastCommit = Date.now();
    if (lms.call("commit") === "true") { dirty = false; markSent(); notice(noticeText()); }
    else { errors.push("commit -> " + lms.code()); notice(T.save_failed); }
  }

  function end() {
    if (!lms.connected || lms.ended) return;
    /* No Commit here: browsers refuse synchronous requests while a page is being dismissed, and
       Terminate stores the data itself. Everything was committed on the way anyway. */
    clearTimeout(soon); soon = null;
    if (!review) { writeSuspend(); lms.put(adapter.el.session, adapter.duration(Date.now() - started)); }
    lms.call("end");
    lms.ended = true;
  }

  /* ------------------------------------------------------------------ the store for kurs.js */

  var questions = dict();
  L.quizzes.forEach(function (q) { q.q.forEach(function (c) { questions[q.id + "/" + c.id] = c; }); });

  window.KSRuntime = {
    /* The learner's name as the LMS has it («Nordmann, Kari» in SCORM's «family, given» order, read
       as «Kari Nordmann»), for the course certificate; "" when the LMS gives none. */
    learnerName: function () {
      var name = lms.connected ? String(lms.get(adapter.el.name) || "").trim() : "";
      var parts = name.split(",");
      return parts.length === 2 ? (parts[1].trim() + " " + parts[0].trim()).trim() : name;
    },
    load: function () {
      var copy = KSCodec.parseJSON(JSON.stringify(S));
      delete copy.best;
      return copy;
    },
    seen: function (key, path) {
      if (S.seen[key] && S.loc === path) return;
      var bookmark = own(known, path);
      patch(function (s) { s.seen[key] = 1; if (bookmark) s.loc = path; });
      if (bookmark && lms.connected && !review) writeBookmark(path);
      copyProgress(); writeSuspend(); evaluateAndWrite(); commit();
    },
    quiz: function (id, answers, correct, total, details, tries) {
      patch(function (s) {
        s.quiz[id] = { a: answers, s: correct, n: total };
        if (tries) s.tries[id] = { t: tries.t, p: tries.p ? 1 : 0 };
      });
      if (lms.connected && !review && !interactionsBehind) {
        (details || []).forEach(function (d) {
          var q = questions[id + "/" + d.id];
          if (!q) return;
          d.iid = q.i;
          var isNew = !(adapter.slots && own(slots, d.iid));
          if (isNew) slots[d.iid] = interactionCount++;
          adapter.interaction(lms, slots[d.iid], d, q, isNew);
        });
      }
      writeSuspend(); evaluateAndWrite(); commit();
    },
    retry: function (id) {                          /* a new attempt: its draw and order follow from tries */
      patch(function (s) { delete s.quiz[id]; });
      writeSuspend(); commit();
    },
    /* kurs.js calls this when writing pauses (under 1 s), on blur and when the page is left:
       the text goes to the LMS at once, in one commit. The page never lets a text grow past the
       cap (it tells the learner). Returns how many characters were stored, so that the page can
       say so at the box if the LMS's limit ever cut it (cannot happen within the build's caps). */
    reflection: function (id, text) {
      text = String(text || "");
      if (own(caps, id) && text.length > caps[id]) text = KSCodec.cut(text, caps[id]);
      patch(function (s) { if (text) s.refl[id] = text; else delete s.refl[id]; });
      draft(id, text);
      writeReflection(id);
      writeSuspend(); commit();
      return own(S.refl, id) ? S.refl[id].length : 0;
    },
    /* multi-SCO package: {seen:{key:1}, unknown:[module ids]} of the other SCOs; null otherwise */
    elsewhere: elsewhere,
    /* every keystroke: only the browser's own storage, never the LMS */
    draft: function (id, text) { draft(id, text); },
    /* reflections of this package that this browser knows, also those of other SCOs, and earlier
       text kept from ids that left their SCO (a moved reflection shows under its new module) */
    known: function () {
      var d = drafts.read(), out = dict();
      Object.keys(d.earlier).forEach(function (id) { out[id] = d.earlier[id].t; });
      Object.keys(d.refl).forEach(function (id) { if (d.refl[id].t) out[id] = d.refl[id].t; });
      Object.keys(S.refl).forEach(function (id) { out[id] = S.refl[id]; });
      return out;
    },
    /* text kept from reflections that no longer exist where they were written: {id: text} */
    earlier: function () {
      var d = drafts.read(), out = dict();
      Object.keys(d.earlier).forEach(function (id) { out[id] = d.earlier[id].t; });
      return out;
    },
    homework: function (id, steps) {
      var ticked = Array.isArray(steps) ? steps.slice() : [];
      patch(function (s) { s.hw[id] = ticked; });
      writeSuspend(); commit();
    },
    limits: function () { return { reflectionMax: caps }; },
    finish: end,
    /* for tests and support: what the runtime sees */
    info: function () {
      return { version: CFG.version, connected: lms.connected, review: review, resumed: resumed, finished: finished,
               errors: errors.slice(), suspendLength: lms.connected ? KSCodec.encode(L, S).length : 0, restored: restored.slice(),
               sco: CFG.sco };
    }
  };

  /* ------------------------------------------------------------------ notices, frame, events */

  var current = "";
  function noticeText() {
    if (!lms.connected) return T.not_connected;
    if (review) return T.review_mode;
    /* Offline, a player that keeps working (the Moodle app) holds the learner's work on this device
       until it syncs; used elsewhere first, the app's copy becomes a new attempt that is never sent. */
    if (window.navigator && window.navigator.onLine === false) return T.offline_at_risk;
    return "";
  }
  function notice(text) {
    current = text || "";
    var inner = null;
    try { inner = frame.contentDocument && frame.contentDocument.getElementById("ks-notice"); } catch (e) { inner = null; }
    if (inner) {
      inner.textContent = current; inner.hidden = !current;
      bar.hidden = true; bar.textContent = "";
    } else {
      bar.textContent = current; bar.hidden = !current;
    }
  }
  var welcome = resumed ? T.resumed : "";
  function externalLinksInNewWindow(doc) {      /* another site inside the package frame would strand the learner */
    Array.prototype.forEach.call(doc.querySelectorAll("a[href]"), function (a) {
      if (/^https?:$/.test(a.protocol) && a.host !== window.location.host) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    });
  }
  /* One SCO per module (the whole-course package): the pages of the other modules are in the
     package, but their data belongs to their own SCO. A link to the next or previous module asks
     the LMS to launch that SCO (1.2 nav.event, 2004 adl.nav.request: "continue"/"previous", which
     Moodle's players follow after LMSFinish/Terminate); any other one, or an LMS without that
     element, gets a notice pointing to the LMS's own course menu. */
  var packageRoot = window.location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
  function otherSco(a) {
    if (!CFG.pageSco || !a.href || a.href.indexOf(packageRoot) !== 0) return null;
    var path = a.href.slice(packageRoot.length).replace(/[?#].*$/, ""), j = CFG.pageSco[path];
    return j === undefined || j === CFG.scoIndex || own(known, path) ? null : CFG.scos[j] && { index: j, title: CFG.scos[j] };
  }
  /* Whether the LMS's navigation request may be used. SCORM 2004's adl.nav.request is standard and
     fresh for every session. SCORM 1.2 has none: nav.event is Moodle's own, and only its web player
     (the SCO in loadSCO.php's frame, a fresh API per player page, see reopenPlayer) clears it. The
     Moodle app keeps one API object for its whole player page and never clears nav.event, so a
     module left later through the app's menu would fire the old "continue" again and load two
     modules; there, and in any other 1.2 player, our link says to use the player's own menu. Our own
     preview LMS (builder/preview/preview-lms.js) says it reads nav.event once per session. */
  function navigates() {
    var fresh = !!moodlePlayer;
    try { fresh = fresh || api.ksNavEventPerSession === true; } catch (e) { /* another origin */ }
    return lms.connected && !lms.ended && (CFG.version === "2004" || fresh);
  }
  function leaveTo(target) {
    var dir = target.index === CFG.scoIndex + 1 ? "continue" : target.index === CFG.scoIndex - 1 ? "previous" : "";
    if (dir && navigates() && lms.call("set", adapter.el.nav, dir) === "true") {
      notice(String(T.other_module_opening || "").replace("{title}", target.title));
      end();
      return;
    }
    notice(String(T.other_module || "").replace("{title}", target.title));
  }
  function guardOtherScos(doc) {
    doc.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a[href]") : null, target = a && otherSco(a);
      if (!target) return;
      ev.preventDefault();
      leaveTo(target);
    }, true);
  }
  frame.addEventListener("load", function () {
    notice(welcome || noticeText());
    welcome = "";
    try { externalLinksInNewWindow(frame.contentDocument); } catch (e) { /* not our page */ }
    try { guardOtherScos(frame.contentDocument); } catch (e) { /* not our page */ }
    try { document.title = frame.contentDocument.title || document.title; } catch (e) { /* keep the course title */ }
  });
  notice(noticeText());

  window.addEventListener("offline", function () { notice(noticeText()); });
  window.addEventListener("online", function () { notice(noticeText()); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { writeSuspend(); commit(); } });
  window.addEventListener("pagehide", end);
  window.addEventListener("beforeunload", end);
  setInterval(function () { if (dirty) commit(); }, (CFG.commitSeconds || 30) * 1000);

  frame.src = S.loc && own(known, S.loc) ? S.loc : CFG.start;
})();
