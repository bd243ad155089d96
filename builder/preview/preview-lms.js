/* The LMS of `kulturskole preview`: a SCORM 1.2 or 2004 API in the preview shell, its course menu,
 * and the panel that shows what it received.
 *
 * It plays the package an LMS gets as an LMS plays it: the course menu lists the SCOs of the
 * manifest (the server reads them, builder/formats/scorm/manifest.py launch_items()), each SCO runs
 * in the shell's frame with a learner record of its own, and after LMSFinish/Terminate the SCO's
 * navigation request (1.2 nav.event, 2004 adl.nav.request: continue, previous, {target=…}choice)
 * opens the next SCO, as Moodle's player does. The course finds this API through the usual parent
 * lookup. The API keeps the data model as an LMS does: values are live after SetValue, stored
 * (here in sessionStorage) on Commit and Finish, and a new session after exit "suspend" starts
 * with entry "resume". So reloading the course frame, or the shell, resumes the attempt in the SCO
 * that was open. It enforces what a strict LMS enforces (initialised session, read-only elements,
 * interaction order, the suspend_data limit per SCO) and lists every refused call in the panel.
 * The shell also polls the preview server and reloads the course after each successful build.
 * All texts come from the configuration (keys preview_*: builder/preview/texts.py, bokmål in
 * builder/messages/nb.json).
 */
(function () {
  "use strict";
  var CFG = JSON.parse(document.getElementById("preview-config").textContent);
  var T = CFG.strings, V12 = CFG.version === "1.2";
  var frame = document.getElementById("preview-course");
  function $(id) { return document.getElementById(id); }
  function fmt(key, values) {
    return String(T[key] || key).replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }
  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0"); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock() { var d = new Date(); return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }

  /* ------------------------------------------------------------------ the data model */

  var EL = V12
    ? { entry: "cmi.core.entry", mode: "cmi.core.lesson_mode", exit: "cmi.core.exit", response: "student_response", time: "time",
        defaults: { "cmi.core.lesson_status": "not attempted", "cmi.core.lesson_mode": "normal", "cmi.core.credit": "credit" },
        shown: [["preview_el_status", "cmi.core.lesson_status"], ["preview_el_score", "cmi.core.score.raw"],
                ["preview_el_location", "cmi.core.lesson_location"], ["preview_el_exit", "cmi.core.exit"],
                ["preview_el_session", "cmi.core.session_time"]],
        status: ["cmi.core.lesson_status"], score: "cmi.core.score.raw" }
    : { entry: "cmi.entry", mode: "cmi.mode", exit: "cmi.exit", response: "learner_response", time: "timestamp",
        defaults: { "cmi.completion_status": "unknown", "cmi.success_status": "unknown", "cmi.mode": "normal", "cmi.credit": "credit" },
        shown: [["preview_el_completion", "cmi.completion_status"], ["preview_el_success", "cmi.success_status"],
                ["preview_el_progress", "cmi.progress_measure"], ["preview_el_score", "cmi.score.raw"],
                ["preview_el_scaled", "cmi.score.scaled"], ["preview_el_location", "cmi.location"],
                ["preview_el_exit", "cmi.exit"], ["preview_el_session", "cmi.session_time"]],
        status: ["cmi.completion_status", "cmi.success_status"], score: "cmi.score.raw" };
  /* error codes of each standard: not initialised, ended, read-only, bad index, too long */
  var ERR = V12 ? { before: "301", after: "301", readOnly: "403", index: "201", tooLong: "405", type: "405" }
                : { before: "132", after: "133", readOnly: "404", index: "351", tooLong: "406", type: "406" };
  var READ_ONLY = /\._count$|\._children$|^cmi\.(core\.)?(entry|credit|lesson_mode|mode|student_id|student_name|learner_id|learner_name)$/;
  var INTERACTION = /^cmi\.interactions\.(\d+)\.(.+)$/;

  /* The LMS's navigation requests: Moodle's 1.2 player reads nav.event after LMSFinish, a 2004 LMS
     adl.nav.request after Terminate (patterns as Moodle's datamodels/scorm_12.js and scorm_13.js). */
  var NAV = V12 ? { el: "nav.event", none: "", ok: /^(previous|continue)$/ }
                : { el: "adl.nav.request", none: "_none_",
                    ok: /^(previous|continue|exit|exitAll|abandon|abandonAll|suspendAll|_none_)$|^\{target=\S{0,200}[a-zA-Z0-9]\}(choice|jump)$/ };
  var VALID = /^adl\.nav\.request_valid\.(continue|previous|choice\.\{target=(.+)\}|jump\.\{target=(.+)\})$/;

  /* The SCOs of the served build, as its manifest lists them (server: launch_items()). The LMS keeps
     a learner record per SCO: {current: item id, scos: {item id: {cmi, entry, commits, sets,
     lastCommit, started}}}. It survives a reload of the shell. */
  var SCOS = [];
  var store = load();
  var session = "idle", lastError = "0", problems = [], navRequest = NAV.none;

  function empty() { return { cmi: {}, commits: 0, sets: 0, lastCommit: "", started: false }; }
  function load() {
    try { var s = JSON.parse(window.sessionStorage.getItem(CFG.storageKey) || "null"); if (s && s.scos) return s; } catch (e) { /* no storage */ }
    return { current: "", scos: {} };
  }
  function persist() { try { window.sessionStorage.setItem(CFG.storageKey, JSON.stringify(store)); } catch (e) { /* memory only */ } }
  function record(id) {
    id = id === undefined ? store.current : id;
    return store.scos[id] || (store.scos[id] = empty());
  }
  function position(id) { for (var i = 0; i < SCOS.length; i++) if (SCOS[i].id === id) return i; return -1; }

  function interactionCount() {
    var n = 0;
    Object.keys(record().cmi).forEach(function (k) { var m = INTERACTION.exec(k); if (m) n = Math.max(n, +m[1] + 1); });
    return n;
  }
  function refuse(code, what) { lastError = code; problems.push(what + " → " + code); changed(); return "false"; }
  function requestValid(m) {
    var here = position(store.current);
    if (m[1] === "continue") return here >= 0 && here + 1 < SCOS.length ? "true" : "false";
    if (m[1] === "previous") return here > 0 ? "true" : "false";
    return position(m[2] || m[3]) >= 0 ? "true" : "false";
  }

  var api = {
    initialize: function () {
      if (session === "running") return refuse(V12 ? "101" : "103", "Initialize");
      /* the entry an LMS gives a new session: resume only after exit "suspend" */
      var rec = record(), exit = rec.cmi[EL.exit] || "";
      rec.entry = !rec.started ? "ab-initio" : exit === "suspend" ? "resume" : "";
      rec.started = true;
      navRequest = NAV.none;
      session = "running"; lastError = "0"; changed();
      return "true";
    },
    get: function (el) {
      if (session !== "running") { lastError = session === "idle" ? (V12 ? "301" : "122") : (V12 ? "301" : "123"); return ""; }
      lastError = "0";
      var rec = record(), valid = V12 ? null : VALID.exec(el);
      if (el === EL.entry) return rec.entry;
      if (el === NAV.el) return navRequest;
      if (valid) return requestValid(valid);
      if (/\.interactions\._count$/.test(el)) return String(interactionCount());
      if (el in rec.cmi) return rec.cmi[el];
      return EL.defaults[el] || "";
    },
    set: function (el, value) {
      value = String(value);
      if (session !== "running") return refuse(session === "idle" ? ERR.before : ERR.after, "SetValue(" + el + ")");
      if (READ_ONLY.test(el)) return refuse(ERR.readOnly, "SetValue(" + el + ")");
      if (el === NAV.el) {
        if (!NAV.ok.test(value)) return refuse(ERR.type, "SetValue(" + el + ", " + value + ")");
        navRequest = value; lastError = "0";
        return "true";
      }
      var m = INTERACTION.exec(el);
      if (m && +m[1] > interactionCount()) return refuse(ERR.index, "SetValue(" + el + ")");
      if (el === "cmi.suspend_data" && value.length > CFG.limit) {
        return refuse(ERR.tooLong, "SetValue(cmi.suspend_data, " + value.length + " > " + CFG.limit + ")");
      }
      var rec = record();
      rec.cmi[el] = value; rec.sets++; lastError = "0"; changed();
      return "true";
    },
    commit: function (label) {
      if (session !== "running") return refuse(session === "idle" ? (V12 ? "301" : "142") : (V12 ? "301" : "143"), label);
      var rec = record();
      rec.commits++; rec.lastCommit = clock(); persist(); lastError = "0"; changed();
      return "true";
    },
    end: function () {
      if (session !== "running") return refuse(V12 ? "301" : session === "idle" ? "112" : "113", "Terminate");
      var ok = api.commit("Terminate");     /* an LMS stores the data when the session ends */
      session = "ended";
      changed();
      /* then, like Moodle's player, it follows the SCO's navigation request (after the call returns) */
      var request = navRequest;
      if (request && request !== NAV.none) setTimeout(function () { follow(request); }, 0);
      return ok;
    },
    error: function () { return lastError; }
  };
  function text(code) { return "error " + code; }
  /* The API object is put where the edition record (formats/scorm/editions.py) says an LMS puts it. */
  if (V12) {
    window[CFG.api] = {
      LMSInitialize: function () { return api.initialize(); }, LMSFinish: function () { return api.end(); },
      LMSGetValue: api.get, LMSSetValue: api.set, LMSCommit: function () { return api.commit("LMSCommit"); },
      LMSGetLastError: api.error, LMSGetErrorString: text, LMSGetDiagnostic: text,
      /* nav.event is read once per session here, as in Moodle's web player: the runtime may use it
         (scorm-runtime.js navigates(); a player that keeps it, like the Moodle app, would not) */
      ksNavEventPerSession: true
    };
  } else {
    window[CFG.api] = {
      Initialize: function () { return api.initialize(); }, Terminate: function () { return api.end(); },
      GetValue: api.get, SetValue: api.set, Commit: function () { return api.commit("Commit"); },
      GetLastError: api.error, GetErrorString: text, GetDiagnostic: text
    };
  }

  /* ------------------------------------------------------------------ the panel */

  var pending = false, announced = "";
  function changed() { if (!pending) { pending = true; setTimeout(render, 0); } }

  /* The value as the editor reads it: SCORM's vocabulary (incomplete, passed, suspend …) in words of
     the preview's language; the raw names and values are in the details view (rawValues). */
  function raw(el, rec) {
    rec = rec || record();
    var v = el in rec.cmi ? rec.cmi[el] : EL.defaults[el];
    return v === undefined || v === "" ? "" : String(v);
  }
  function shown(el, rec) {
    var v = raw(el, rec);
    if (v === "") return T.preview_none;
    var word = T["preview_value_" + v.replace(/[^a-z]/g, "_")];
    return word || v;
  }

  function renderToc() {
    var list = $("preview-toc");
    list.textContent = "";
    SCOS.forEach(function (sco, i) {
      var li = document.createElement("li"), button = document.createElement("button"), state = document.createElement("span");
      button.type = "button";
      button.className = "toc-sco";
      button.textContent = sco.title || sco.id;
      if (sco.id === store.current) button.setAttribute("aria-current", "step");
      button.addEventListener("click", function () { launch(i); });
      state.className = "toc-status";
      state.textContent = fmt("preview_toc_status", { status: EL.status.map(function (el) { return shown(el, record(sco.id)); }).join(", ") });
      li.appendChild(button); li.appendChild(state);
      list.appendChild(li);
    });
    $("preview-toc-section").hidden = !SCOS.length;
  }

  function render() {
    pending = false;
    var rec = record(), here = position(store.current);
    renderToc();
    $("preview-sco").textContent = here < 0 ? "" : fmt("preview_sco_current", { n: here + 1, total: SCOS.length, title: SCOS[here].title || SCOS[here].id });
    var values = $("preview-values");
    values.textContent = "";
    EL.shown.concat([["preview_el_entry", EL.entry], ["preview_last_commit", ""], ["preview_calls", ""]]).forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = T[row[0]];
      dd.textContent = row[1] === EL.entry ? (rec.started && rec.entry ? T["preview_value_" + rec.entry.replace(/[^a-z]/g, "_")] || rec.entry : T.preview_none)
        : row[0] === "preview_last_commit" ? rec.lastCommit || T.preview_never
        : row[0] === "preview_calls" ? fmt("preview_calls_count", { sets: rec.sets, commits: rec.commits })
        : shown(row[1]);
      values.appendChild(dt); values.appendChild(dd);
    });

    rawValues(rec);
    var summary = fmt("preview_status_summary", {
      status: EL.status.map(function (el) { return shown(el, rec); }).join(", "), score: shown(EL.score)
    });
    if (summary !== announced) { $("preview-summary").textContent = summary; announced = summary; }

    var size = (rec.cmi["cmi.suspend_data"] || "").length;
    $("preview-suspend").textContent = fmt("preview_suspend_size", {
      n: number(size), limit: number(CFG.limit), percent: Math.round(100 * size / CFG.limit)
    });
    var meter = $("preview-suspend-meter");
    meter.max = CFG.limit; meter.value = size; meter.high = CFG.limit * 0.9; meter.optimum = 0;

    $("preview-api-errors").hidden = !problems.length;
    fill($("preview-api-error-list"), problems.slice(-20));

    var rows = [], n = interactionCount();
    for (var i = 0; i < n; i++) {
      var base = "cmi.interactions." + i + ".";
      rows.push([rec.cmi[base + "id"], rec.cmi[base + EL.response], rec.cmi[base + "correct_responses.0.pattern"],
                 rec.cmi[base + "result"], (rec.cmi[base + EL.time] || "").split("T").pop()]);   /* the clock is enough here */
    }
    $("preview-interactions").hidden = !rows.length;
    $("preview-no-interactions").hidden = !!rows.length;
    var body = $("preview-interactions").tBodies[0];
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      r.forEach(function (v, k) {
        var cell = document.createElement(k === 0 ? "th" : "td");
        if (k === 0) cell.scope = "row";
        cell.textContent = v == null || v === "" ? T.preview_none : v;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }
  function rawValues(rec) {
    var list = $("preview-raw");
    list.textContent = "";
    Object.keys(rec.cmi).sort().forEach(function (el) {
      if (el === "cmi.suspend_data" || INTERACTION.test(el)) return;
      var dt = document.createElement("dt"), dd = document.createElement("dd"), code = document.createElement("code");
      code.textContent = el; dt.appendChild(code);
      dd.textContent = rec.cmi[el];
      list.appendChild(dt); list.appendChild(dd);
    });
    $("preview-raw-suspend").textContent = rec.cmi["cmi.suspend_data"] || "";
  }
  function fill(list, lines) {
    list.textContent = "";
    lines.forEach(function (line) { var li = document.createElement("li"); written(li, line); list.appendChild(li); });
  }
  /* A message as the catalogue writes it: what to type is between backticks (`title: ...`), shown as
     code rather than as the backticks themselves; everything else is plain text, never HTML. */
  function written(parent, text) {
    String(text).split("`").forEach(function (part, i, parts) {
      if (i % 2 && i < parts.length - 1) {
        var code = document.createElement("code"); code.textContent = part; parent.appendChild(code);
      } else {
        parent.appendChild(document.createTextNode(i % 2 ? "`" + part : part));
      }
    });
  }

  /* ------------------------------------------------------------------ SCOs, builds and the course frame */

  var showing = 0;                 /* the build in the frame */
  function address(sco, build) {
    return CFG.course + sco.href + (sco.href.indexOf("?") >= 0 ? "&" : "?") + "build=" + build;
  }
  /* Launch the SCO at `index`, as an LMS does when the learner picks it in the course menu or the SCO
     asks for it: the SCO in the frame is unloaded first (its runtime finishes its session on the
     way out, into its own record), then the other SCO starts a session on its own record. */
  function launch(index) {
    var sco = SCOS[index];
    if (!sco) return;
    frame.addEventListener("load", function blank() {
      frame.removeEventListener("load", blank);
      if (session === "running") {          /* it never finished: an LMS keeps only what it committed */
        store.scos[store.current] = load().scos[store.current] || empty();
      }
      session = "idle";
      store.current = sco.id; persist(); render();
      frame.src = address(sco, showing);
    });
    frame.src = "about:blank";
  }
  function follow(request) {
    var here = position(store.current), target = -1, named = /^\{target=(.+)\}(choice|jump)$/.exec(request);
    if (request === "continue") target = here + 1;
    else if (request === "previous") target = here - 1;
    else if (named) target = position(named[1]);
    else { $("preview-nav").textContent = fmt("preview_nav_none", { request: request }); return; }
    if (!SCOS[target]) { $("preview-nav").textContent = fmt("preview_nav_nowhere", { request: request }); return; }
    $("preview-nav").textContent = fmt("preview_nav_followed", { request: request, title: SCOS[target].title || SCOS[target].id });
    launch(target);
  }
  /* A build that changed only pages: if the page in the SCO's content frame is one of them, its new
     text is swapped in (swap) or, failing that, the page is reloaded, so the SCO's session (and the
     LMS's record) goes on and only the edited text changes on screen; a page the learner is not on
     is fetched when they get there. A changed launch page, manifest, script or SCO list needs the
     SCO launched again. */
  function refresh(build, scos, changed, inPlace) {
    var same = scos.length === SCOS.length && scos.every(function (s, i) { return s.id === SCOS[i].id && s.href === SCOS[i].href; });
    var pagesOnly = changed && changed.every(function (name) { return /\.html$/.test(name) && !/^scorm[^/]*\.html$/.test(name); });
    var inner = null, here = "";
    try {
      inner = frame.contentWindow.document.getElementById("ks-content");
      here = decodeURIComponent(inner.contentWindow.location.pathname).slice(CFG.course.length);
    } catch (e) { inner = null; }
    if (!showing || !same || !pagesOnly || !inner || !inner.contentWindow) return open(build, scos);
    showing = build;
    if (changed.indexOf(here) >= 0) {
      if ((inPlace || []).indexOf(here) >= 0) swap(inner.contentWindow);
      else reload(inner.contentWindow);
    }
    render();
  }
  function reload(win) {
    try { win.location.reload(); } catch (e) { open(showing, SCOS); }
  }
  /* The edited page's new <main> put into the open page: no navigation, so the scroll position, the
     open details, the page's scripts and whatever the editor was looking at stay; the server said
     that nothing outside <main> changed (rebuild.py content_only). Content with learner data or
     behaviour of its own (a quiz, a reflection, a checklist, the front page's «Fortsett») is loaded
     again instead, so it starts as a learner sees it: kurs.js enhance() redoes only the term
     popovers, print buttons and details that plain text has. The fetch is an ordinary request, so
     the same page loaded by hand would show the same bytes. */
  var STATEFUL = "script, form, input, textarea, select, [data-homework], [data-certificate], [data-my-reflections], [data-resume]";
  var swaps = 0;
  function swap(win) {
    var mine = ++swaps, doc = win.document, main = doc.getElementById("innhold");
    fetch(win.location.pathname, { cache: "no-cache" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (mine !== swaps || win.document !== doc) return;        /* a newer build, or the learner moved on */
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("innhold");
        var page = win.KSPage;
        if (!main || !fresh || !page || !page.enhance || main.querySelector(STATEFUL) || fresh.querySelector(STATEFUL)) {
          return reload(win);
        }
        var x = win.scrollX, y = win.scrollY;
        var open = Array.prototype.map.call(main.querySelectorAll("details"), function (d) { return d.open; });
        main.replaceChildren.apply(main, Array.prototype.map.call(fresh.childNodes, function (n) { return doc.importNode(n, true); }));
        page.enhance(main);
        var details = main.querySelectorAll("details");
        /* the editor's open and closed details as they were, while the page has as many as before */
        if (details.length === open.length) details.forEach(function (d, i) { d.open = open[i]; });
        win.scrollTo(x, y);
      })
      .catch(function () { if (mine === swaps) reload(win); });
  }
  /* The file's full path for any editor's «Open file» (the line is on screen beside it). When the
     clipboard is refused, the path is left selected for Ctrl+C. */
  function copyButton(file) {
    var button = document.createElement("button"), path = document.createElement("code");
    button.type = "button"; button.className = "overlay-copy"; button.textContent = T.preview_overlay_copy;
    path.className = "overlay-path"; path.textContent = file; path.hidden = true;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = T.preview_overlay_copied; };
      var select = function () {
        path.hidden = false;
        var range = document.createRange(); range.selectNodeContents(path);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(file).then(done, select);
      else select();
    });
    var span = document.createElement("span");
    span.appendChild(document.createTextNode(" ")); span.appendChild(button); span.appendChild(path);
    return span;
  }
  function overlay(st) {
    var box = $("preview-overlay"), list = $("preview-overlay-list");
    box.hidden = st.ok;
    list.textContent = "";
    if (st.ok) return;
    $("preview-overlay-intro").textContent = st.served ? T.preview_overlay_old : T.preview_overlay_none;
    (st.problems || []).forEach(function (p) {
      var li = document.createElement("li"), where = document.createElement("p"), code = document.createElement("code");
      where.className = "overlay-where"; code.textContent = p.where; where.appendChild(code);
      if (p.file) where.appendChild(copyButton(p.file));
      /* a vscode:// link opens the file only where VS Code is installed: it is offered when the preview
         was started from VS Code's terminal (server.py editor_link), never as a dead link in another editor */
      if (p.file && CFG.editorLink === "vscode") {
        var a = document.createElement("a");
        a.href = "vscode://file/" + encodeURI(p.file) + (p.line ? ":" + p.line : "");
        a.textContent = T.preview_overlay_open;
        where.appendChild(document.createTextNode(" ")); where.appendChild(a);
      }
      var what = document.createElement("p");
      what.className = "overlay-what"; written(what, p.message);
      li.appendChild(where); li.appendChild(what);
      if (p.hint) {
        var how = document.createElement("p"), label = document.createElement("strong");
        how.className = "overlay-how"; label.textContent = T.preview_overlay_fix + " ";
        how.appendChild(label); written(how, p.hint);
        li.appendChild(how);
      }
      list.appendChild(li);
    });
  }
  function open(build, scos) {
    showing = build;
    SCOS = scos;
    var here = position(store.current);
    if (here < 0) { here = 0; store.current = SCOS.length ? SCOS[0].id : ""; persist(); }
    render();
    if (SCOS.length) frame.src = address(SCOS[here], build);
  }
  function showBuild(st) {
    if (st.ok) {
      $("preview-build").textContent = fmt("preview_build_ok", { n: st.version, time: st.finished });
    } else {
      $("preview-build").textContent = fmt("preview_build_failed_short", { time: st.finished });
      $("preview-errors-intro").textContent = st.served ? T.preview_build_errors : T.preview_build_errors_none;
    }
    $("preview-errors").hidden = st.ok;
    fill($("preview-error-list"), st.errors);
    overlay(st);
    if (st.served && st.served !== showing) {
      if (showing && st.served === st.attempt) refresh(st.served, st.scos, st.changed, st.in_place);
      else open(st.served, st.scos);
    }
  }
  /* The server answers /__preview/status?after=N when a build later than N has ended (or after
     20 s): the shell asks again at once, so a build is on screen the moment it is done. */
  var seen = -1;
  function poll() {
    fetch("/__preview/status?after=" + seen, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (st) {
        if (st.attempt !== seen) { seen = st.attempt; showBuild(st); }
        poll();
      })
      .catch(function () { seen = -1; $("preview-build").textContent = T.preview_server_gone; setTimeout(poll, 1000); });
  }

  $("preview-restart").addEventListener("click", function () {
    /* Unload the course first: its runtime ends the session on the way out, and that must not
       land in the fresh data. */
    frame.addEventListener("load", function blank() {
      frame.removeEventListener("load", blank);
      store = { current: "", scos: {} }; problems = []; session = "idle";
      try { window.sessionStorage.removeItem(CFG.storageKey); } catch (e) { /* no storage */ }
      $("preview-nav").textContent = "";
      if (showing) open(showing, SCOS); else render();
      $("preview-summary").textContent = T.preview_restarted; announced = "";
    });
    frame.src = "about:blank";
  });

  /* The overlay can be put aside to use the previous version; the next build's result shows again. */
  $("preview-overlay-hide").addEventListener("click", function () { $("preview-overlay").hidden = true; frame.focus(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") $("preview-overlay").hidden = true; });
  $("preview-intro").textContent = fmt("preview_intro", { version: CFG.version });
  render();
  poll();
})();
