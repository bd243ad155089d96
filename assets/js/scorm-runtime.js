/* The SCORM runtime of the course packages: one small script for SCORM 1.2 and SCORM 2004.
 *
 * It runs in the launch page (the one SCO of the package), which shows the course pages in a
 * frame. The pages' script (kurs.js) finds window.KSRuntime in its parent and calls only:
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
  var A64 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var STEPS = CFG.steps;
  var started = Date.now();
  var bar = document.getElementById("ks-lms-notice"), frame = document.getElementById("ks-content");

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
    var refl = Object.keys(S.refl).sort().filter(function (id) { return S.refl[id]; }).map(function (id) {
      return id + ":" + S.refl[id].length.toString(36) + ":" + S.refl[id];
    }).join("");
    return "2" + L.fingerprint + "." + seen + "." + quizzes + "." + best + "." + hw + "." + encodeTries(S) + "." + refl;
  }

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

  function emptyState() { return { v: 1, seen: {}, loc: "", quiz: {}, refl: {}, hw: {}, tries: {}, seed: 0, best: null }; }

  function decode(data) {
    var S = emptyState(), version = data ? data.charAt(0) : "";
    if (version !== "1" && version !== "2") return S;
    var head = data.substr(1, 4), rest = data.substr(6), fields = [], pos = 0;
    for (var f = 0; f < (version === "1" ? 4 : 5); f++) { var dot = rest.indexOf(".", pos); if (dot < 0) return S; fields.push(rest.slice(pos, dot)); pos = dot + 1; }
    var refl = rest.slice(pos);
    for (var r = 0; r < refl.length;) {          /* id:LENGTH:text — lengths in UTF-16 units = String.length */
      var c1 = refl.indexOf(":", r), c2 = refl.indexOf(":", c1 + 1);
      if (c1 < 0 || c2 < 0) break;
      var n = parseInt(refl.slice(c1 + 1, c2), 36);
      if (isNaN(n)) break;
      S.refl[refl.slice(r, c1)] = refl.substr(c2 + 1, n);
      r = c2 + 1 + n;
    }
    if (head !== L.fingerprint) return S;        /* the course changed: keep only the reflections */
    var seen = fields[0], quizzes = fields[1], best = fields[2], hw = fields[3];
    if (version === "2") decodeTries(S, fields[4]);
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
            exit: "cmi.core.exit", session: "cmi.core.session_time", count: "cmi.interactions._count" },
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
        var RANK = { "": 0, "not attempted": 0, browsed: 1, incomplete: 2, failed: 3, completed: 4, passed: 5 };
        var status = ev.scored ? (ev.passed ? "passed" : "incomplete") : (ev.completed ? "completed" : "incomplete");
        if ((RANK[prior.status] || 0) > RANK[status]) status = prior.status;   /* never lowered */
        prior.status = status;
        if (ev.best != null) {
          lms.put("cmi.core.score.min", "0");
          lms.put("cmi.core.score.max", "100");
          lms.put("cmi.core.score.raw", String(ev.best / 100));
        }
        lms.put("cmi.core.lesson_status", status);
        return status === "passed" || status === "completed";
      },
      interaction: function (lms, n, d, q) {
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
            exit: "cmi.exit", session: "cmi.session_time", count: "cmi.interactions._count" },
      exitDone: "normal",
      duration: function (ms) {                      /* ISO 8601, at most two decimals on seconds */
        var cs = Math.floor(ms / 10), h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
        return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s + "S";
      },
      readPrior: function (lms) {
        var prior = { completion: lms.get("cmi.completion_status"), success: lms.get("cmi.success_status"), best: null };
        if (prior.success === "passed" || prior.success === "failed") {
          var scaled = parseFloat(lms.get("cmi.score.scaled"));
          if (!isNaN(scaled)) prior.best = Math.round(scaled * 10000);
        }
        return prior;
      },
      started: function (prior) { return prior.completion === "incomplete" || prior.completion === "completed"; },
      write: function (lms, ev, prior) {
        var completion = ev.completed || prior.completion === "completed" ? "completed" : "incomplete";
        prior.completion = completion;
        lms.put("cmi.progress_measure", String(completion === "completed" ? 1 : Math.floor(ev.progress * 10000) / 10000));
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
        return completion === "completed" && (!ev.scored || prior.success === "passed");
      },
      interaction: function (lms, n, d, q) {
        var base = "cmi.interactions." + n + ".";
        lms.put(base + "id", d.iid);
        lms.put(base + "type", q.t === "truefalse" ? "true-false" : q.t === "matching" ? "matching" : "choice");
        lms.put(base + "timestamp", stamp(new Date()));
        lms.put(base + "weighting", "1");
        if (q.d) lms.put(base + "description", q.d);
        lms.put(base + "correct_responses.0.pattern", this.pattern(q, d.correct));
        lms.put(base + "learner_response", this.pattern(q, d.response));
        lms.put(base + "result", d.result === "correct" ? "correct" : "incorrect");
      },
      pattern: function (q, ids) {
        if (q.t === "matching") {
          return ids.map(function (v) { var parts = v.split("."); return parts[0] + "[.]" + LETTERS.charAt(+parts[1]); }).join("[,]");
        }
        return ids.join("[,]");
      }
    }
  };
  function stamp(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1, 2) + "-" + pad(d.getDate(), 2) + "T" + clock(d);
  }

  /* ------------------------------------------------------------------ the LMS connection */

  var adapter = ADAPTERS[CFG.version];
  var api = findAPI(adapter.name);
  var errors = [];
  var lms = {
    connected: false, ended: false, written: {},
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
    put: function (el, value) {                      /* SetValue only when the value changes: no chatter */
      value = String(value);
      if (this.written[el] === value) return true;
      var ok = this.call("set", el, value) === "true";
      if (!ok) { errors.push(el + " -> " + this.code()); return false; }
      this.written[el] = value; dirty = true;
      return true;
    }
  };
  if (api) {
    try { lms.connected = String(api[adapter.fn.init]("")) === "true"; } catch (e) { lms.connected = false; }
    if (!lms.connected) errors.push("initialize -> " + lms.code());
  }

  /* ------------------------------------------------------------------ learner state */

  var S = emptyState(), prior = { status: "", completion: "", success: "", best: null }, review = false, resumed = false;
  var storageKey = "kulturskole-scorm:" + CFG.id;
  var dirty = false, finished = false, lastCommit = 0, soon = null;
  var suspendLimit = CFG.suspendLimit;

  if (lms.connected) {
    var entry = lms.get(adapter.el.entry), mode = lms.get(adapter.el.mode);
    review = mode === "review";
    prior = adapter.readPrior(lms);
    /* Read stored data only when the LMS resumes (or reviews) an attempt: on a first launch
       (ab-initio) there is none, and asking for it is logged as an error by many LMSes. An
       empty entry after an earlier, finished session still has data in LMSes such as Moodle. */
    if (entry === "resume" || review || (entry !== "ab-initio" && adapter.started(prior))) {
      S = decode(lms.get(adapter.el.suspend));
      S.loc = lms.get(adapter.el.location);
      resumed = entry === "resume" && !!S.loc && !review;
    }
    if (prior.best != null && (S.best == null || prior.best > S.best)) S.best = prior.best;
    if (!S.seed && !review) { S.seed = newSeed(); writeSuspend(); }   /* kept, so a resumed attempt looks the same */
    if (!review) {
      evaluateAndWrite();
      if (!finished) lms.put(adapter.el.exit, "suspend");
      commit();
    }
  } else {
    try { var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null"); if (saved && saved.v === 1) S = saved; } catch (e) { /* no storage */ }
    S.seen = S.seen || {}; S.quiz = S.quiz || {}; S.refl = S.refl || {}; S.hw = S.hw || {}; S.tries = S.tries || {};
    if (!S.seed) S.seed = newSeed();
  }
  var interactionCount = lms.connected ? (parseInt(lms.get(adapter.el.count), 10) || 0) : 0;

  function evaluate() {
    var required = CFG.required, seen = required.filter(function (k) { return S.seen[k]; }).length;
    var scored = CFG.scored, taken = scored.filter(function (id) { return S.quiz[id]; });
    if (scored.length && taken.length === scored.length) {
      var s = 0, n = 0;
      scored.forEach(function (id) { s += S.quiz[id].s; n += S.quiz[id].n; });
      var scaled = n ? Math.floor(s * 10000 / n) : 0;
      if (S.best == null || scaled > S.best) S.best = scaled;     /* the best result counts */
    }
    return {
      completed: seen === required.length, progress: required.length ? seen / required.length : 1,
      scored: scored.length > 0, best: S.best, passed: S.best != null && S.best >= CFG.mastery * 100
    };
  }

  function evaluateAndWrite() {
    if (!lms.connected || review) return;
    var done = adapter.write(lms, evaluate(), prior);
    if (done && !finished) { finished = true; lms.put(adapter.el.exit, adapter.exitDone); }
  }

  function writeSuspend() {
    if (!lms.connected) {
      try { window.localStorage.setItem(storageKey, JSON.stringify(S)); } catch (e) { /* private mode: memory only */ }
      return;
    }
    if (review) return;
    var data = encode(S);
    while (data.length > suspendLimit) {              /* cannot happen within the build's caps; never send too much */
      var longest = Object.keys(S.refl).sort(function (a, b) { return S.refl[b].length - S.refl[a].length; })[0];
      if (!longest) break;
      S.refl[longest] = cut(S.refl[longest], Math.max(0, S.refl[longest].length - (data.length - suspendLimit)));
      data = encode(S);
    }
    lms.put(adapter.el.suspend, data);
  }

  function commit() {
    clearTimeout(soon); soon = null;
    if (!lms.connected || lms.ended || review) return;
    lms.put(adapter.el.session, adapter.duration(Date.now() - started));
    if (!dirty) return;
    lastCommit = Date.now();
    if (lms.call("commit") === "true") { dirty = false; notice(noticeText()); }
    else { errors.push("commit -> " + lms.code()); notice(T.save_failed); }
  }
  function commitSoon() {                          /* after a pause in writing, at most every 3 s */
    if (soon || !lms.connected) return;
    soon = setTimeout(commit, Math.max(2000, lastCommit + 3000 - Date.now()));
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

  var caps = CFG.caps || {};
  var known = {};
  CFG.pages.forEach(function (p) { known[p[1]] = p[0]; });
  var questions = {};
  L.quizzes.forEach(function (q) { q.q.forEach(function (c) { questions[q.id + "/" + c.id] = c; }); });

  window.KSRuntime = {
    load: function () {
      var copy = JSON.parse(JSON.stringify(S));
      delete copy.best;
      return copy;
    },
    seen: function (key, path) {
      if (S.seen[key] && S.loc === path) return;
      S.seen[key] = 1;
      if (known[path]) { S.loc = path; if (lms.connected && !review) lms.put(adapter.el.location, path); }
      writeSuspend(); evaluateAndWrite(); commit();
    },
    quiz: function (id, answers, correct, total, details, tries) {
      S.quiz[id] = { a: answers, s: correct, n: total };
      if (tries) S.tries[id] = { t: tries.t, p: tries.p ? 1 : 0 };
      if (lms.connected && !review) {
        (details || []).forEach(function (d) {
          var q = questions[id + "/" + d.id];
          if (!q) return;
          d.iid = q.i;
          adapter.interaction(lms, interactionCount++, d, q);
        });
      }
      writeSuspend(); evaluateAndWrite(); commit();
    },
    retry: function (id) {                          /* a new attempt: its draw and order follow from tries */
      delete S.quiz[id];
      writeSuspend(); commitSoon();
    },
    reflection: function (id, text) {
      text = String(text || "");
      if (caps[id] && text.length > caps[id]) text = cut(text, caps[id]);
      if (text) S.refl[id] = text; else delete S.refl[id];
      writeSuspend(); commitSoon();
    },
    homework: function (id, steps) {
      S.hw[id] = (steps || []).slice();
      writeSuspend(); commitSoon();
    },
    limits: function () { return CFG.capped ? { reflectionMax: caps } : null; },
    finish: end,
    /* for tests and support: what the runtime sees */
    info: function () {
      return { version: CFG.version, connected: lms.connected, review: review, resumed: resumed, finished: finished,
               errors: errors.slice(), suspendLength: lms.connected ? encode(S).length : 0 };
    }
  };

  /* ------------------------------------------------------------------ notices, frame, events */

  var current = "";
  function noticeText() {
    if (!lms.connected) return T.not_connected;
    if (review) return T.review_mode;
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
  frame.addEventListener("load", function () {
    notice(welcome || noticeText());
    welcome = "";
    try { externalLinksInNewWindow(frame.contentDocument); } catch (e) { /* not our page */ }
    try { document.title = frame.contentDocument.title || document.title; } catch (e) { /* keep the course title */ }
  });
  notice(noticeText());

  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { writeSuspend(); commit(); } });
  window.addEventListener("pagehide", end);
  window.addEventListener("beforeunload", end);
  setInterval(function () { if (dirty) commit(); }, (CFG.commitSeconds || 30) * 1000);

  frame.src = S.loc && known[S.loc] ? S.loc : CFG.start;
})();
