/* A test-only imitation of the two Moodle players our whole-course packages meet, for CI (no Moodle).
 *
 * Written for this suite after reading the players' source; no code of theirs is copied. The file
 * and line references point at what each behaviour imitates:
 *   MOODLE  = Moodle 5.1 (git mirror train2023-31/moodle), paths under public/mod/scorm/
 *   APP     = moodleapp (github moodlehq/moodleapp, fork crazyserver/moodleapp @835b59d, June 2026),
 *             paths under src/addons/mod/scorm/
 *
 * mode "web" (SCORM 1.2 and 2004), Moodle's player.php in a browser:
 *   - one API object per player page, holding every SCO's data as it was when the page was loaded
 *     (MOODLE datamodels/scorm_12.php:29-42,56; scorm_12.js:63-125, 128-165): a SCO initialised
 *     again in the same page starts from those values; only the values this page committed replace
 *     them (scorm_12.js:582-598, 1.2 only), and cmi.core.entry never changes within the page;
 *   - sends only the values that differ from what the page holds (scorm_12.js:549-606; 2004:
 *     scorm_13.js:1163-1188, where every interaction value is sent with each save);
 *   - saves with a synchronous urlencoded POST, but with navigator.sendBeacon and FormData once
 *     the player page is being left (request.js:49-134, 188-257): the multipart encoding turns every
 *     line break into CR LF;
 *   - 2004: Initialize is refused for good once a SCO has called Terminate (error 104,
 *     scorm_13.js:273-301); nav.event / adl.nav.request are fresh for every session
 *     (scorm_12.js:146-147, scorm_13.js:245-247) and followed 500 ms after LMSFinish/Terminate
 *     (scorm_12.js:203-208, scorm_13.js:323-331) by replacing the SCO frame with loadSCO.php of the
 *     next or previous SCO (module.js:156-203, 569-609);
 *   - entry per SCO: 1.2 "ab-initio" without a status, "resume" after exit "suspend", else ""
 *     (datamodels/scorm_12lib.php:58-68); 2004 "ab-initio" unless exit is "suspend"/"logout"
 *     (scorm_13lib.php:1202-1212);
 *   - LMSFinish turns "not attempted" into "completed" and, with a mastery score and a raw score,
 *     sets passed/failed (masteryoverride, on by default: settings.php:115-116; scorm_12.js:621-642).
 *
 * mode "app" (SCORM 1.2 only: the app plays no 2004 package), the Moodle app's player page:
 *   - ONE data model object for the whole player page, built when the player opens, with every
 *     SCO's values kept in memory from then on (APP pages/player/player.ts:416-447 creates it once,
 *     classes/data-model-12.ts:263-603 init): loadSco() only switches scoId (data-model-12.ts:953-955);
 *   - cmi.core.entry of every SCO is fixed when the player opens (data-model-12.ts:297, from
 *     services/scorm-offline.ts:567-572 or the site's web service), so a SCO opened again in the
 *     same player page is told "ab-initio";
 *   - nav.event is kept in the SCO's values and never cleared (data-model-12.ts:512, 652-666;
 *     LMSInitialize 788-800 resets nothing): a later LMSFinish of that SCO fires it again;
 *   - the tracks arrive sorted by element name (MOODLE locallib.php:630-635, ORDER BY e.element)
 *     and the app rebuilds cmi.interactions._count from them in that order (data-model-12.ts:546-595):
 *     20 stored interactions are reported as 18;
 *   - commits send the values that differ from the last sent (data-model-12.ts:189-243), and
 *     LMSFinish applies the mastery score whatever the site's setting (data-model-12.ts:996-1016);
 *   - next/previous after LMSFinish and the menu go through loadSco(), which first empties the
 *     frame (player.ts:192-209, 436-440, 515-530).
 *
 * What the site stores lives in the test server (scorm_harness.Server.site), so a new player page
 * (a new session) starts from it, as Moodle's does.
 */
(function () {
  "use strict";
  var Q = new URLSearchParams(window.location.search);
  var RUN = Q.get("run"), PKG = Q.get("pkg"), V12 = Q.get("v") === "12", MODE = Q.get("mode") || "web";
  window.lmsLog = [];            /* every API call: [fn, element, value, result, error] */
  window.lmsErrors = [];         /* API calls answered with an error */

  function request(method, url, body, type) {
    var x = new XMLHttpRequest();
    x.open(method, url, false);
    if (type) x.setRequestHeader("Content-Type", type);
    x.send(body || null);
    return x;
  }
  var SITE = JSON.parse(request("GET", "/moodle/site?run=" + encodeURIComponent(RUN) + "&pkg=" + encodeURIComponent(PKG)).responseText);
  var SCOS = SITE.scos;          /* [{id, href, title, mastery}] in manifest order */
  function position(id) { for (var i = 0; i < SCOS.length; i++) if (SCOS[i].id === id) return i; return -1; }

  /* ------------------------------------------------------------------ the data model (per SCO) */

  /* Element table, as Moodle and the app define it (scorm_12.js:26-124, data-model-12.ts:35-512;
     scorm_13.js element table). mod: r, w, rw; fmt: a regular expression the value must match;
     range: [min, max] for numbers. Only the elements our runtime and a strict LMS care about. */
  var S256 = /^[\s\S]{0,255}$/, S4096 = /^[\s\S]{0,4096}$/, DEC = /^-?([0-9]{0,3})(\.[0-9]*)?$/;
  var M12 = {
    "cmi.core.student_id": { mod: "r" }, "cmi.core.student_name": { mod: "r" }, "cmi.core.credit": { mod: "r" },
    "cmi.core.entry": { mod: "r" }, "cmi.core.lesson_mode": { mod: "r" }, "cmi.core.total_time": { mod: "r" },
    "cmi.launch_data": { mod: "r" }, "cmi.student_data.mastery_score": { mod: "r" }, "cmi.interactions._count": { mod: "r" },
    "cmi.core.lesson_location": { mod: "rw", fmt: S256 },
    "cmi.core.lesson_status": { mod: "rw", fmt: /^(passed|completed|failed|incomplete|browsed)$/ },
    "cmi.core.score.raw": { mod: "rw", fmt: DEC, range: [0, 100] },
    "cmi.core.score.min": { mod: "rw", fmt: DEC, range: [0, 100] },
    "cmi.core.score.max": { mod: "rw", fmt: DEC, range: [0, 100] },
    "cmi.core.exit": { mod: "w", fmt: /^(time-out|suspend|logout|)$/ },
    "cmi.core.session_time": { mod: "w", fmt: /^([0-9]{2,4}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,2})?$/ },
    "cmi.suspend_data": { mod: "rw", fmt: S4096 },
    "cmi.comments": { mod: "rw", fmt: S4096 },
    "cmi.interactions.n.id": { mod: "w", fmt: /^[\x21-\x7E]{0,255}$/ },
    "cmi.interactions.n.time": { mod: "w", fmt: /^([0-2][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]{1,2})?$/ },
    "cmi.interactions.n.type": { mod: "w", fmt: /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/ },
    "cmi.interactions.n.correct_responses.n.pattern": { mod: "w", fmt: S256 },
    "cmi.interactions.n.weighting": { mod: "w", fmt: DEC, range: [-100, 100] },
    "cmi.interactions.n.student_response": { mod: "w", fmt: S256 },
    "cmi.interactions.n.result": { mod: "w", fmt: /^(correct|wrong|unanticipated|neutral|([0-9]{0,3})?(\.[0-9]*)?)$/ },
    "nav.event": { mod: "w", fmt: /^(previous|continue)$/ }
  };
  var M2004 = {
    "cmi.learner_id": { mod: "r" }, "cmi.learner_name": { mod: "r" }, "cmi.credit": { mod: "r" }, "cmi.entry": { mod: "r" },
    "cmi.mode": { mod: "r" }, "cmi.total_time": { mod: "r" }, "cmi.launch_data": { mod: "r" },
    "cmi.scaled_passing_score": { mod: "r" }, "cmi.completion_threshold": { mod: "r" }, "cmi.interactions._count": { mod: "r" },
    "cmi.location": { mod: "rw", fmt: /^[\s\S]{0,1000}$/ },
    "cmi.completion_status": { mod: "rw", fmt: /^(completed|incomplete|not attempted|unknown)$/ },
    "cmi.success_status": { mod: "rw", fmt: /^(passed|failed|unknown)$/ },
    "cmi.progress_measure": { mod: "rw", fmt: /^\d+(\.\d+)?$/, range: [0, 1] },
    "cmi.score.scaled": { mod: "rw", fmt: /^-?\d+(\.\d+)?$/, range: [-1, 1] },
    "cmi.score.raw": { mod: "rw", fmt: /^-?\d+(\.\d+)?$/ }, "cmi.score.min": { mod: "rw", fmt: /^-?\d+(\.\d+)?$/ },
    "cmi.score.max": { mod: "rw", fmt: /^-?\d+(\.\d+)?$/ },
    "cmi.exit": { mod: "w", fmt: /^(time-out|suspend|logout|normal|)$/ },
    "cmi.session_time": { mod: "w", fmt: /^P/ },
    "cmi.suspend_data": { mod: "rw", fmt: /^[\s\S]{0,64000}$/ },
    "cmi.interactions.n.id": { mod: "rw", fmt: /^\S{1,4000}$/ },
    "cmi.interactions.n.type": { mod: "rw", fmt: /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/ },
    "cmi.interactions.n.description": { mod: "rw", fmt: /^[\s\S]{0,250}$/ },
    "cmi.interactions.n.timestamp": { mod: "rw", fmt: /^\d{4}/ },
    "cmi.interactions.n.weighting": { mod: "rw", fmt: /^-?\d+(\.\d+)?$/ },
    "cmi.interactions.n.learner_response": { mod: "rw", fmt: /^[^\n\r]{0,4000}$/ },
    "cmi.interactions.n.correct_responses.n.pattern": { mod: "rw", fmt: /^[^\n\r]{0,4000}$/ },
    "cmi.interactions.n.result": { mod: "rw", fmt: /^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/ },
    "adl.nav.request": { mod: "rw", fmt: /^(previous|continue|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$|^\{target=\S{0,200}[a-zA-Z0-9]\}(choice|jump)$/ }
  };
  var MODEL = V12 ? M12 : M2004;
  var E = V12 ? { ro: "403", wo: "404", type: "405", bad: "201", index: "201", notInit: "301", again: "101" }
              : { ro: "404", wo: "405", type: "406", bad: "401", index: "351", notInit: "122", again: "103" };
  var INDEX = /\.(\d+)\./g;
  function generic(el) { return String(el).replace(INDEX, ".n.").replace(INDEX, ".n."); }
  /* Moodle stores cmi.interactions.0.id as cmi.interactions_0.id (scorm_12.js:579 underscore()). */
  function stored(el) { return String(el).replace(/\.(\d+)\./g, "_$1.").replace(/\.(\d+)\./g, "_$1."); }
  function dotted(el) { return String(el).replace(/_(\d+)\./g, ".$1."); }

  /* The values the site gives a SCO when a player page opens (get_scorm_default, scorm_12lib.php /
     scorm_13lib.php; the app: scorm-offline.ts:556-603): element (dotted) -> value. */
  function defaults(sco) {
    var t = SITE.tracks[sco.id] || {}, d = {}, status = t["cmi.core.lesson_status"] || t["cmi.completion_status"] || "";
    Object.keys(t).forEach(function (el) { d[dotted(el)] = t[el]; });
    if (V12) {
      d["cmi.core.entry"] = !status ? "ab-initio" : t["cmi.core.exit"] === "suspend" ? "resume" : "";
      d["cmi.core.student_id"] = "elev1"; d["cmi.core.student_name"] = "Elev, Test";
      d["cmi.core.lesson_mode"] = "normal"; d["cmi.core.credit"] = "credit";
      d["cmi.student_data.mastery_score"] = sco.mastery == null ? "" : String(sco.mastery);
      d["cmi.core.total_time"] = t["cmi.core.total_time"] || "00:00:00";
      if (!d["cmi.core.lesson_status"]) d["cmi.core.lesson_status"] = "not attempted";   /* scorm_12.js:162-164 */
      delete d["cmi.core.exit"];
    } else {
      var exit = t["cmi.exit"];
      d["cmi.entry"] = !status || !exit || exit === "normal" || exit === "time-out" ? "ab-initio"
        : exit === "suspend" || exit === "logout" ? "resume" : "";
      d["cmi.learner_id"] = "elev1"; d["cmi.learner_name"] = "Elev, Test"; d["cmi.mode"] = "normal"; d["cmi.credit"] = "credit";
      d["cmi.scaled_passing_score"] = sco.mastery == null ? "" : String(sco.mastery / 100);
      if (!d["cmi.completion_status"]) d["cmi.completion_status"] = "unknown";
      if (!d["cmi.success_status"]) d["cmi.success_status"] = "unknown";
      delete d["cmi.exit"]; delete d["cmi.session_time"];
    }
    return d;
  }

  /* cmi.interactions._count from the stored elements. Moodle's web player counts them right
     (scorm_reconstitute_array_element); the app walks the tracks in the site's order (sorted by
     name) and jumps its counter to index-1 whenever an index is ahead of it (data-model-12.ts:546-595). */
  function countInteractions(values, asTheAppDoes) {
    var names = Object.keys(values).filter(function (el) { return /^cmi\.interactions\.\d+\./.test(el); });
    if (!asTheAppDoes) {
      var n = 0;
      names.forEach(function (el) { n = Math.max(n, +/^cmi\.interactions\.(\d+)\./.exec(el)[1] + 1); });
      return n;
    }
    var count;
    names.map(stored).sort().forEach(function (el) {
      if (/correct_responses|objectives/.test(el)) return;
      var index = +/^cmi\.interactions_(\d+)\./.exec(el)[1], before = count;
      if (count === undefined) count = 0;
      if (index === Number(before)) count = Number(before) + 1;
      if (index > Number(before)) count = index - 1;
    });
    return count || 0;
  }

  /* ------------------------------------------------------------------ saving to the site */

  var saveSeq = Date.now();        /* increasing across player pages of a run */
  var beaconWanted = false;        /* request.js:178-257: on while the player page is being left */
  ["beforeunload", "unload", "pagehide"].forEach(function (ev) { window.addEventListener(ev, function () { beaconWanted = true; }); });
  window.addEventListener("pageshow", function () { beaconWanted = false; });
  document.addEventListener("visibilitychange", function () { beaconWanted = document.visibilityState === "hidden"; });

  function save(scoId, pairs) {   /* pairs: [[element (dotted), value]] -> true when the site took them */
    var url = "/mod/scorm/datamodel.php?run=" + encodeURIComponent(RUN) + "&scoid=" + encodeURIComponent(scoId) + "&seq=" + (++saveSeq);
    if (MODE === "app") {
      /* AddonModScorm.saveTracksSync (services/scorm.ts): the app keeps the values and reports
         success; here they go to the site with a keepalive fetch, which also works while the SCO
         frame is being unloaded (a synchronous XHR then throws in Chromium). The sequence number
         keeps the site from applying an older save after a newer one. */
      fetch("/moodle/app-tracks?run=" + encodeURIComponent(RUN) + "&scoid=" + encodeURIComponent(scoId) + "&seq=" + (++saveSeq), {
        method: "POST", keepalive: true, headers: { "Content-Type": "application/json" },
        body: JSON.stringify(pairs.map(function (p) { return { element: stored(p[0]), value: p[1] }; }))
      });
      return true;
    }
    var param = pairs.map(function (p) { return "&" + encodeURIComponent(stored(p[0])) + "=" + encodeURIComponent(p[1]); }).join("");
    if (beaconWanted && navigator.sendBeacon) {   /* request.js:88-129 */
      var form = new FormData();
      param.split("&").forEach(function (kv) { if (!kv) return; var i = kv.indexOf("="); form.append(decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))); });
      form.append("unloading", "1");
      return navigator.sendBeacon(url + "&api=beacon", form);
    }
    try {                                          /* request.js:136-164 */
      return request("POST", url, "id=1" + param, "application/x-www-form-urlencoded").responseText.split("\n")[0] === "true";
    } catch (e) {
      var f2 = new FormData();
      param.split("&").forEach(function (kv) { if (!kv) return; var i = kv.indexOf("="); f2.append(decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))); });
      return navigator.sendBeacon(url + "&api=beacon", f2);
    }
  }

  /* ------------------------------------------------------------------ the API object */

  function Api(kind) {
    var self = this, scoId = null, initialized = false, terminated = false, error = "0";
    var page = {};                 /* per SCO: {values (session), sent (what this page holds as stored), entry} */
    SCOS.forEach(function (sco) {
      var d = defaults(sco);
      page[sco.id] = { values: null, sent: d, initial: JSON.parse(JSON.stringify(d)) };
      if (kind === "app") {      /* the app builds every SCO's values once, now (data-model-12.ts:514-603) */
        page[sco.id].values = JSON.parse(JSON.stringify(d));
        page[sco.id].values["nav.event"] = "";
        page[sco.id].values["cmi.interactions._count"] = String(countInteractions(d, true));
      }
    });
    function rec() { return page[scoId]; }
    function log(fn, el, value, result) {
      window.lmsLog.push([fn, el == null ? null : el, value == null ? null : String(value), result, error, scoId]);
      if (error !== "0") window.lmsErrors.push(fn + "(" + (el || "") + (value != null ? ", " + JSON.stringify(String(value).slice(0, 60)) : "") + ") -> " + error + " [" + scoId + "]");
      return result;
    }
    function newSession() {         /* web: initdatamodel(scoid) from what the page holds (scorm_12.js:128-165) */
      var r = rec(), v = JSON.parse(JSON.stringify(r.sent));
      if (V12) { v["cmi.core.entry"] = r.initial["cmi.core.entry"]; v["nav.event"] = ""; }
      else { v["cmi.entry"] = r.initial["cmi.entry"]; v["adl.nav.request"] = "_none_"; }
      if (V12) { delete v["cmi.core.exit"]; v["cmi.core.session_time"] = "00:00:00"; }
      v["cmi.interactions._count"] = String(countInteractions(v, false));
      r.values = v;
    }
    this.loadSco = function (id) { scoId = id; };      /* app: data-model-12.ts:953-955; web: scorm_current_node */
    this.scoId = function () { return scoId; };
    this.initialize = function (fn, param) {
      error = "0";
      if (param !== "" && param !== undefined) { error = "201"; return log(fn, null, null, "false"); }
      if (initialized) { error = E.again; return log(fn, null, null, "false"); }
      if (terminated && !V12 && kind === "web") { error = "104"; return log(fn, null, null, "false"); }   /* scorm_13.js:284-296 */
      if (kind === "web") newSession();
      initialized = true;
      request("GET", "/moodle/session?run=" + encodeURIComponent(RUN) + "&scoid=" + encodeURIComponent(scoId));   /* for the tests */
      return log(fn, null, null, "true");
    };
    this.get = function (fn, el) {
      error = "0";
      if (!initialized) { error = terminated && !V12 ? "123" : E.notInit; return log(fn, el, null, ""); }
      var g = generic(el), def = MODEL[g];
      if (/^adl\.nav\.request_valid\./.test(el)) {
        var here = position(scoId);
        return log(fn, el, null, /continue$/.test(el) ? String(here + 1 < SCOS.length) : /previous$/.test(el) ? String(here > 0) : "unknown");
      }
      if (!def) { error = V12 ? "201" : "401"; return log(fn, el, null, ""); }
      if (def.mod === "w") { error = E.wo; return log(fn, el, null, ""); }
      var v = rec().values[el];
      return log(fn, el, null, v == null ? "" : String(v));
    };
    this.set = function (fn, el, value) {
      error = "0";
      value = String(value);
      if (!initialized) { error = terminated && !V12 ? "133" : E.notInit; return log(fn, el, value, "false"); }
      var g = generic(el), def = MODEL[g], r = rec();
      if (!def) { error = V12 ? "201" : "401"; return log(fn, el, value, "false"); }
      if (def.mod === "r") { error = E.ro; return log(fn, el, value, "false"); }
      if (def.fmt && !def.fmt.test(value)) { error = E.type; return log(fn, el, value, "false"); }
      if (def.range && !(+value >= def.range[0] && +value <= def.range[1])) { error = V12 ? E.type : "407"; return log(fn, el, value, "false"); }
      var m = /^cmi\.interactions\.(\d+)\./.exec(el);
      if (m) {                       /* scorm_12.js:315-335: an index may only grow by one */
        var count = +r.values["cmi.interactions._count"] || 0;
        if (+m[1] > count) { error = E.index; return log(fn, el, value, "false"); }
        if (+m[1] === count) r.values["cmi.interactions._count"] = String(count + 1);
      }
      r.values[el] = value;
      return log(fn, el, value, "true");
    };
    /* What a commit sends: values that differ from what the page holds as stored (1.2 web and the
       app: then they are held; 2004 web: every interaction value, held values never updated). */
    function collect(final) {
      var r = rec(), out = [];
      Object.keys(r.values).forEach(function (el) {
        var def = MODEL[generic(el)];
        if (!def || def.mod === "r" || /^(nav\.|adl\.)/.test(el) || /session_time$/.test(el)) return;
        var v = r.values[el];
        if (!V12 && /^cmi\.interactions\./.test(el)) { out.push([el, v]); return; }
        if ((V12 ? r.sent : r.initial)[el] === v) return;
        out.push([el, v]);
        if (V12) r.sent[el] = v;
      });
      if (final) {
        var session = r.values[V12 ? "cmi.core.session_time" : "cmi.session_time"];
        if (session) out.push([V12 ? "cmi.core.session_time" : "cmi.session_time", session]);
      }
      return out;
    }
    this.commit = function (fn, param) {
      error = "0";
      if (!initialized) { error = terminated && !V12 ? "143" : E.notInit; return log(fn, null, null, "false"); }
      var ok = save(scoId, collect(false));
      error = ok ? "0" : (V12 ? "101" : "391");
      return log(fn, null, null, ok ? "true" : "false");
    };
    this.finish = function (fn, param) {
      error = "0";
      if (!initialized) { error = terminated && !V12 ? "113" : E.notInit; return log(fn, null, null, "false"); }
      var r = rec(), v = r.values, nav;
      if (V12) {                     /* scorm_12.js:621-642 / data-model-12.ts:996-1016 */
        if (v["cmi.core.lesson_status"] === "not attempted") v["cmi.core.lesson_status"] = "completed";
        if ((kind === "app" || SITE.masteryoverride) && v["cmi.student_data.mastery_score"] !== "" && (v["cmi.core.score.raw"] || "") !== "") {
          v["cmi.core.lesson_status"] = parseFloat(v["cmi.core.score.raw"]) >= parseFloat(v["cmi.student_data.mastery_score"]) ? "passed" : "failed";
        }
        nav = v["nav.event"];
      } else nav = v["adl.nav.request"] === "_none_" ? "" : v["adl.nav.request"];
      var ok = save(scoId, collect(true));
      initialized = false;
      if (!V12) terminated = true;
      error = ok ? "0" : "101";
      var result = log(fn, null, null, ok ? "true" : "false");
      if (nav === "continue" || nav === "previous") self.onNavigate(nav, scoId);
      return result;
    };
    this.error = function () { return error; };
    this.values = function (id) { return page[id || scoId] && page[id || scoId].values; };
    this.onNavigate = function () {};
  }

  var api = new Api(MODE);
  window.lmsApi = api;
  function expose(fn, impl) { return function (a, b) { return impl(fn, a, b); }; }
  if (V12) {
    window.API = {
      LMSInitialize: expose("LMSInitialize", api.initialize), LMSFinish: expose("LMSFinish", api.finish),
      LMSGetValue: expose("LMSGetValue", api.get), LMSSetValue: expose("LMSSetValue", api.set),
      LMSCommit: expose("LMSCommit", api.commit), LMSGetLastError: api.error,
      LMSGetErrorString: function (c) { return "error " + c; }, LMSGetDiagnostic: function (c) { return "error " + (c || api.error()); }
    };
  } else {
    window.API_1484_11 = {
      Initialize: expose("Initialize", api.initialize), Terminate: expose("Terminate", api.finish),
      GetValue: expose("GetValue", api.get), SetValue: expose("SetValue", api.set),
      Commit: expose("Commit", api.commit), GetLastError: api.error,
      GetErrorString: function (c) { return "error " + c; }, GetDiagnostic: function (c) { return "error " + (c || api.error()); }
    };
  }

  /* ------------------------------------------------------------------ the player page */

  var content = document.getElementById("scorm_content");
  function loadScoUrl(sco) {
    var q = new URLSearchParams(Q.toString());
    q.set("scoid", sco.id);
    return (MODE === "app" ? "/moodle/app-sco?" : "/mod/scorm/loadSCO.php?") + q.toString();
  }
  /* web: module.js:156-203 removes the SCO frame and makes a new one on loadSCO.php (which
     redirects to the SCO, loadSCO.php:85); app: player.ts:416-447 empties the one frame, waits a
     tick, switches the model's scoId and sets the new source. */
  function launch(id) {
    var sco = SCOS[position(id)];
    if (!sco) return;
    if (MODE === "app") {
      var frame = document.getElementById("scorm_object");
      var go = function () { api.loadSco(sco.id); window.currentSco = sco.id; frame.src = loadScoUrl(sco); };
      if (frame.getAttribute("src")) {
        frame.addEventListener("load", function blank() { frame.removeEventListener("load", blank); setTimeout(go, 0); });
        frame.src = "about:blank";
      } else go();
      return;
    }
    var old = document.getElementById("scorm_object");
    if (old && old.getAttribute("src") === loadScoUrl(sco)) return;      /* module.js:160-168 */
    if (old) content.removeChild(old);
    api.loadSco(sco.id);
    window.currentSco = sco.id;
    var obj = document.createElement("iframe");
    obj.id = "scorm_object";
    obj.title = "SCO";
    obj.style.cssText = "width:1000px;height:700px;border:0";
    obj.setAttribute("src", loadScoUrl(sco));
    content.appendChild(obj);
  }
  api.onNavigate = function (nav, from) {
    var here = position(MODE === "app" ? window.currentSco : from), target = SCOS[here + (nav === "continue" ? 1 : -1)];
    if (target) setTimeout(function () { launch(target.id); }, MODE === "app" ? 0 : 500);
  };
  window.chooseSco = launch;     /* the player's own menu (module.js TOC / the app's TOC modal) */
  /* The app's previous/next bar (pages/player/player.html, player.ts calculateNavigationItems):
     loadSco() of the neighbouring SCO. */
  if (MODE === "app") {
    var bar = document.getElementById("scorm_nav");
    [["prev", -1], ["next", 1]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button"; button.textContent = b[0]; button.dataset.nav = b[0];
      button.addEventListener("click", function () { var t = SCOS[position(window.currentSco) + b[1]]; if (t) launch(t.id); });
      bar.appendChild(button);
    });
  }
  var menu = document.getElementById("scorm_toc");
  SCOS.forEach(function (sco) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = sco.title || sco.id; b.dataset.sco = sco.id;
    b.addEventListener("click", function () { launch(sco.id); });
    menu.appendChild(b);
  });
  if (MODE === "app") {
    var f = document.createElement("iframe");
    f.id = "scorm_object"; f.title = "SCO"; f.style.cssText = "width:1000px;height:700px;border:0";
    content.appendChild(f);
  }
  launch(Q.get("scoid") || SCOS[0].id);
})();
