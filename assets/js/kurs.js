/* The behaviour of every course page: progress, quizzes, reflections, homework checklists.
 *
 * Learner data goes through one store interface, so the same pages run in the web edition
 * (localStorage) and inside a SCORM package (the launch page defines window.KSRuntime):
 *   load() -> {v:1, seen:{key:1}, loc:"path", quiz:{id:{a:{qid:[ids]}, s:n, n:n}}, refl:{id:"text"}, hw:{id:[steps]},
 *              seed:n, tries:{id:{t:checked attempts, p:1 once passed}}}
 *   seen(key, path)                                   a page was shown; path is the bookmark
 *   quiz(id, answers, correct, total, details, tries) details: [{id, type, response, correct, result}]
 *   retry(id)                                         a new attempt starts: forget the last one's answers
 *   reflection(id, text)                              called debounced, never on every keystroke
 *   draft(id, text)                                   every keystroke: kept in this browser only
 *   known() -> {id: text}                             (optional) reflections this browser knows
 *   homework(id, steps)                               ticked action-learning steps
 *   limits() -> {reflectionMax:{id:n}} | null         lower reflection caps (SCORM 1.2 budget)
 */
(function () {
  "use strict";
  var C = window.KS_COURSE, T = window.KS_STRINGS, RESUMED = "fortsett";
  var body = document.body;

  function fmt(key, values) {
    return String(T[key] || key).replace(/\{(\w+)\}/g, function (_, k) { return values && k in values ? values[k] : ""; });
  }

  /* The web edition's store: KSStore (assets/js/learner/store.js) with patch semantics, so two tabs
     keep each other's changes; what another tab saves updates this page's progress. */
  var own = KSCodec.own;
  function localStore() {
    var local = KSStore.open("kulturskole:" + C.id, KSStore.cleanState), seed = 0;
    function patch(change) {
      local.update(function (s) { if (!s.seed) s.seed = seed; change(s); });
    }
    return {
      load: function () {
        var s = local.read();
        /* The shuffle seed is written with the first change, never at load: a file:// page may see
           an empty storage that fills a moment later (Chromium), and must not write over it. */
        seed = s.seed || KSCodec.newSeed();
        s.seed = seed;
        return s;
      },
      seen: function (k, path) { patch(function (s) { s.seen[k] = 1; s.loc = path; }); },
      quiz: function (id, answers, correct, total, details, tries) {
        patch(function (s) { s.quiz[id] = { a: answers, s: correct, n: total }; if (tries) s.tries[id] = tries; });
      },
      retry: function (id) { patch(function (s) { delete s.quiz[id]; }); },
      reflection: function (id, text) {
        patch(function (s) { if (text) s.refl[id] = text; else delete s.refl[id]; });
        return String(text || "").length;
      },
      draft: function (id, text) { this.reflection(id, text); },
      homework: function (id, steps) { patch(function (s) { s.hw[id] = steps; }); },
      limits: function () { return null; },
      watch: function (onChange) { local.watch(onChange); }
    };
  }

  var store = null;
  try { if (window.parent !== window && window.parent.KSRuntime) store = window.parent.KSRuntime; } catch (e) { store = null; }
  store = store || localStore();
  /* Whatever the store gives is checked again here (a runtime of an older package, a tampered value);
     the bookmark must be one of the course's own page paths. */
  var state = KSStore.cleanState(store.load());
  var paths = KSCodec.dict();
  C.pages.forEach(function (p) { paths[p[1]] = true; });

  /* Progress: this page is seen as soon as it is shown. */
  if (body.dataset.key) { store.seen(body.dataset.key, body.dataset.path); state.seen[body.dataset.key] = 1; }
  /* A multi-SCO SCORM package (the whole-course 1.2 package) knows only this module's progress from
     the LMS; store.elsewhere() adds the other modules' copies kept in this browser and names the
     modules this browser has no copy of, whose progress is then said to be unknown here, not 0. */
  var elsewhere = (store.elsewhere && store.elsewhere()) || { seen: {}, tries: {}, unknown: [] };
  function showProgress() {
    var total = 0, seen = 0, perModule = {}, unknown = {};
    elsewhere.unknown.forEach(function (m) { unknown[m] = true; });
    C.pages.forEach(function (p) {
      var key = p[0], module = p[2], isSeen = !!(state.seen[key] || elsewhere.seen[key]);
      if (!module) return;      /* the front page and «Mine refleksjoner» are not course content */
      total++; if (isSeen) seen++;
      if (module) { perModule[module] = perModule[module] || [0, 0]; perModule[module][1]++; if (isSeen) perModule[module][0]++; }
    });
    document.querySelectorAll("[data-module-bar]").forEach(function (bar) {
      var m = perModule[bar.dataset.moduleBar] || [0, 0]; bar.value = m[0]; bar.max = m[1];
      bar.hidden = !!unknown[bar.dataset.moduleBar];
    });
    document.querySelectorAll("[data-module-progress]").forEach(function (el) {
      var m = perModule[el.dataset.moduleProgress] || [0, 0]; el.textContent = "(" + m[0] + "/" + m[1] + " " + fmt("seen") + ")";
    });
    /* Front page cards: the state in words as well as in the bar (never colour or a bar alone). */
    document.querySelectorAll("[data-module-state]").forEach(function (tag) {
      var m = perModule[tag.dataset.moduleState] || [0, 0];
      var state = unknown[tag.dataset.moduleState] ? "unknown" : m[0] === 0 ? "todo" : (m[0] >= m[1] ? "done" : "doing");
      tag.dataset.state = state;
      tag.textContent = fmt({ todo: "state_not_started", doing: "state_in_progress", done: "state_done", unknown: "state_unknown" }[state]);
      /* The final test's card says the result, not pages seen: a failed test is never «Fullført». */
      if (exam && tag.dataset.moduleState === C.exam.module && !unknown[C.exam.module]) {
        tag.dataset.state = exam.passed ? "done" : exam.tries ? "failed" : "todo";
        tag.textContent = examWords();
      }
    });
    document.querySelectorAll("[data-module-words]").forEach(function (el) {
      var m = perModule[el.dataset.moduleWords] || [0, 0];
      el.textContent = unknown[el.dataset.moduleWords] ? fmt(m[1] === 1 ? "state_pages_unknown_one" : "state_pages_unknown", { total: m[1] })
        : fmt(m[1] === 1 ? "state_pages_one" : "state_pages", { seen: m[0], total: m[1] });
    });
    document.querySelectorAll("[data-page-link]").forEach(function (a) { if (state.seen[a.dataset.pageLink]) a.setAttribute("data-seen", ""); });
    var partly = elsewhere.unknown.length > 0;
    document.querySelectorAll("[data-course-progress]").forEach(function (el) {
      el.textContent = fmt(partly ? "progress_course_partly" : seen ? "progress_course" : "progress_course_none",
                           { seen: seen, total: total, n: elsewhere.unknown.length });
    });
    if (exam && exam.passed) document.querySelectorAll("[data-course-progress]").forEach(function (el) {
      if (el.parentNode.querySelector("[data-certificate-link]")) return;
      var p = document.createElement("p"), a = document.createElement("a");
      a.className = "ds-link"; a.href = body.dataset.root + C.exam.certificate; a.textContent = fmt("certificate_link");
      p.setAttribute("data-certificate-link", ""); p.appendChild(a); el.parentNode.insertBefore(p, el.nextSibling);
    });
  }

  /* The final test in words and numbers: «Ikke tatt», «Ikke bestått – 1 av 3 forsøk brukt, beste
     resultat 55 %», «Bestått – 85 %». The best result is the one that counts (tries.b, kept by
     quiz.js); a store that keeps only the last attempt's score gives that. */
  function examState() {
    if (!C.exam) return null;
    /* In a multi-SCO package the final test is its own SCO: elsewhere, its attempts come from this
       browser's copy (store.elsewhere()). */
    var t = (state.tries && state.tries[C.exam.quiz]) || (elsewhere.tries && elsewhere.tries[C.exam.quiz]) || {};
    var last = state.quiz[C.exam.quiz];
    var lastPercent = last && last.n ? Math.round(100 * last.s / last.n) : null;
    var best = t.b != null ? t.b : lastPercent;
    return { tries: t.t || (last ? 1 : 0), passed: !!t.p, best: best == null ? 0 : best };
  }
  var exam = examState();
  function examWords() {
    if (!exam.tries && !exam.passed) return fmt("exam_not_taken");
    return exam.passed ? fmt("exam_passed", { best: exam.best })
      : fmt("exam_failed", { used: exam.tries, attempts: C.attempts, best: exam.best });
  }
  showProgress();
  /* Another tab of the web edition saved: its pages seen count here too. */
  if (store.watch) store.watch(function (s) { Object.keys(s.seen).forEach(function (k) { state.seen[k] = 1; }); showProgress(); });

  /* Front page: offer to continue where the learner left off. */
  var resume = document.querySelector("[data-resume]");
  if (resume && own(paths, state.loc) && state.loc !== body.dataset.path) {
    resume.setAttribute("href", body.dataset.root + state.loc + "?" + RESUMED);
    resume.textContent = fmt("continue_course");
  }
  /* The page the learner came back to says so once; the marker leaves the address at once, so a
     reload or a bookmark does not repeat the notice. */
  if (window.location.search === "?" + RESUMED) {
    var notice = document.getElementById("ks-notice");
    /* Shown first and filled a moment later, so screen readers announce the live region's text. */
    if (notice) { notice.hidden = false; setTimeout(function () { notice.textContent = fmt("resumed"); }, 50); }
    try { window.history.replaceState(null, "", window.location.pathname + window.location.hash); } catch (e) { /* file:// in some browsers */ }
  }

  /* What the quiz script (assets/quiz.js, on quiz pages only) needs from this page. */
  window.KSPage = { course: C, fmt: fmt, store: store, state: state, passes: KSRule.passes };

  /* Reflections: every keystroke is kept in the browser at once (store.draft), and the text goes
     to the store (the LMS) when writing pauses for SAVE_AFTER_MS, on blur and when the page is
     left or hidden — never on every keystroke. The limit is the real one of this package
     (store.limits(): SCORM 1.2 gives each reflection what its SCO's 4,096 characters allow). The
     learner is told before the limit is reached, a paste that does not fit says what was left
     out, and the text can always be downloaded. */
  var SAVE_AFTER_MS = 700;
  var limits = (store.limits && store.limits()) || null;
  document.querySelectorAll("textarea[data-reflection]").forEach(function (box) { reflectionBox(box); });

  function downloadText(name, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    link.download = name;
    document.body.appendChild(link); link.click(); link.remove();
  }

  function reflectionBox(box) {
    var id = box.dataset.reflection, timer = null, lastAnnounced = -1;
    if (limits && limits.reflectionMax && limits.reflectionMax[id]) box.maxLength = limits.reflectionMax[id];
    var max = box.maxLength, counter = document.querySelector('[data-counter="' + id + '"]');
    var announce = document.querySelector('[data-announce="' + id + '"]'), min = +box.dataset.min || 0;
    var warning = document.createElement("p"), download = document.createElement("button");
    warning.className = "ds-validation-message"; warning.setAttribute("data-color", "warning"); warning.hidden = true; warning.id = "grense-" + id;
    download.type = "button"; download.className = "ds-button download-reflection"; download.setAttribute("data-variant", "secondary");
    download.textContent = fmt("reflection_limit_download");
    counter.parentNode.insertBefore(warning, counter.nextSibling);
    warning.parentNode.insertBefore(download, warning.nextSibling);
    box.setAttribute("aria-describedby", (box.getAttribute("aria-describedby") || "") + " " + warning.id);
    box.value = state.refl[id] || "";
    var pasteNote = "";
    function count(speak) {
      var n = box.value.length, text = fmt("characters", { n: n, max: max });
      if (min && n < min) text += " " + fmt("min_characters", { min: min });
      counter.textContent = text;
      var left = max - n, warn = pasteNote || (left <= 0 ? fmt("reflection_limit_reached", { max: max })
        : left <= Math.max(100, Math.floor(max / 10)) ? fmt("reflection_limit_near", { left: left, max: max }) : "");
      warning.textContent = warn; warning.hidden = !warn;
      /* Announce politely only when the minimum is reached and near the limit, so a screen reader is
         not interrupted at every key. */
      var step = n >= max ? max : (n >= max * 0.9 ? Math.floor(n / 10) * 10 : (min && n >= min ? min : -1));
      if (step !== lastAnnounced && step >= 0 && speak) announce.textContent = warn || text;
      lastAnnounced = step;
    }
    /* «Lagret kl. 21.14» beside the counter once the text is kept, so the learner sees it is safe. */
    var saved = document.createElement("p");
    saved.className = "reflection-saved"; saved.setAttribute("aria-live", "polite");
    counter.parentNode.insertBefore(saved, counter.nextSibling);
    function save() {
      clearTimeout(timer); timer = null;
      var kept = store.reflection(id, box.value), now = new Date();
      saved.textContent = "✓ " + fmt("reflection_saved", { time: ("0" + now.getHours()).slice(-2) + "." + ("0" + now.getMinutes()).slice(-2) });
      /* The store kept less than the box holds (an LMS's limit): said here, at the box, never silently. */
      if (typeof kept === "number" && kept < box.value.length) {
        pasteNote = fmt("reflection_cut", { kept: kept, total: box.value.length });
        count(true);
      }
    }
    box.addEventListener("paste", function (e) {
      var pasted = (e.clipboardData && e.clipboardData.getData("text")) || "";
      var room = max - box.value.length + (box.selectionEnd - box.selectionStart);
      pasteNote = pasted.length > room ? fmt("reflection_limit_paste", { kept: Math.max(0, room), total: pasted.length }) : "";
    });
    box.addEventListener("input", function () {
      if (store.draft) store.draft(id, box.value);
      count(true); pasteNote = "";
      clearTimeout(timer); timer = setTimeout(save, SAVE_AFTER_MS);
    });
    box.addEventListener("blur", function () { if (timer) save(); });
    window.addEventListener("pagehide", function () { if (timer) save(); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && timer) save(); });
    download.addEventListener("click", function () {
      var title = box.closest("section") && box.closest("section").querySelector("h2");
      downloadText(id + ".txt", (title ? title.textContent + "\n\n" : "") + box.value);
    });
    count(false);
  }

  /* Homework checklists */
  document.querySelectorAll("[data-homework]").forEach(function (section) {
    var id = section.dataset.homework, ticked = state.hw[id] || [];
    var boxes = section.querySelectorAll("input[data-step]");
    boxes.forEach(function (b) {
      b.checked = ticked.indexOf(b.dataset.step) >= 0;
      b.addEventListener("change", function () {
        store.homework(id, Array.prototype.filter.call(boxes, function (x) { return x.checked; }).map(function (x) { return x.dataset.step; }));
      });
    });
  });

  /* What a page's text needs from this script: run once at load, and again on new text put into the
     page in place (`kulturskole preview` swaps an edited page's <main> without reloading it). */
  function enhance(root) {
    if (window.matchMedia && window.matchMedia("(min-width: 40rem)").matches) {
      root.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }
    root.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });
    terms(root);
  }
  enhance(document);
  window.KSPage.enhance = enhance;

  /* Glossary terms: where the browser has popovers, the link to the glossary becomes a button that
     opens the term's explanation beside it (Designsystemet's popover; site.py with_definitions puts
     it in the page). Elsewhere, and without this script, the link stays. */
  function terms(root) {
    if (!HTMLElement.prototype.hasOwnProperty("popover")) return;
    root.querySelectorAll("a.ks-term").forEach(function (link) {
      var box = document.getElementById("forklaring-" + link.hash.slice("#ord-".length)), button = document.createElement("button");
      if (!box) return;
      button.type = "button"; button.className = "ks-term";
      button.setAttribute("data-popover", "inline"); button.setAttribute("popovertarget", box.id);
      button.innerHTML = link.innerHTML;
      button.addEventListener("click", function () { box.ksInvoker = button; });
      link.replaceWith(button);
      box.hidden = false;
      box.ontoggle = function (e) { if (e.newState === "open") placeBeside(box, box.ksInvoker || button); };
    });
  }
  /* Under the term (over it when there is no room below), inside the window, the arrow at the term. */
  function placeBeside(box, term) {
    var r = term.getBoundingClientRect(), gap = 12, w = box.offsetWidth, h = box.offsetHeight;
    var width = document.documentElement.clientWidth, below = r.bottom + gap + h <= window.innerHeight || r.top - gap - h < 0;
    var left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, width - w - 8));
    box.style.left = (left + window.scrollX) + "px";
    box.style.top = ((below ? r.bottom + gap : r.top - gap - h) + window.scrollY) + "px";
    box.setAttribute("data-floating", below ? "bottom" : "top");
    box.style.setProperty("--_ds-floating-arrow-x", (r.left + r.width / 2 - left) + "px");
  }

  /* The course certificate: shown once the final test is passed, with the learner's name from the
     LMS (store.learnerName: cmi.core.student_name / cmi.learner_name) or typed here and kept in this
     browser only, and today's date. */
  var certificate = document.querySelector("[data-certificate]");
  if (certificate && exam && exam.passed) {
    var nameKey = "kulturskole:" + C.id + ":navn", input = document.querySelector("[data-certificate-name-input]");
    var shown = document.querySelector("[data-certificate-name]"), lmsName = (store.learnerName && store.learnerName()) || "";
    var typed = ""; try { typed = window.localStorage.getItem(nameKey) || ""; } catch (e) { typed = ""; }
    input.value = lmsName || typed;
    shown.textContent = input.value;
    input.addEventListener("input", function () {
      shown.textContent = input.value;
      try { window.localStorage.setItem(nameKey, input.value); } catch (e) { /* private mode */ }
    });
    document.querySelector("[data-certificate-result]").textContent = fmt("certificate_result", { best: exam.best });
    /* bokmål after the page's language: a browser without nynorsk dates (Debian's Chromium) wrote
       «December 7, 2026» on a nynorsk kursbevis, and nynorsk month names are bokmål's */
    document.querySelector("[data-certificate-date]").textContent =
      new Date().toLocaleDateString([document.documentElement.lang || "nb", "nb"], { day: "numeric", month: "long", year: "numeric" });
    certificate.hidden = false;
    document.querySelector("[data-certificate-locked]").hidden = true;
  }

  /* My reflections: read back, download as text, print. */
  var mine = document.querySelector("[data-my-reflections]");
  if (mine) {
    /* A multi-SCO package knows the other modules' reflections from this browser's copy. */
    if (store.known) state.refl = store.known();
    var written = C.reflections.filter(function (r) { return own(state.refl, r.id) && state.refl[r.id]; });
    /* Text kept from a reflection that was renamed or moved to another module after the learner
       wrote it (the SCORM runtime keeps it in this browser): shown as earlier text, never dropped. */
    var earlier = store.earlier ? store.earlier() : {}, titles = KSCodec.dict();
    C.reflections.forEach(function (r) { titles[r.id] = r.title; });
    var shown = KSCodec.dict();
    written.forEach(function (r) { shown[r.id] = state.refl[r.id]; });
    var older = Object.keys(earlier).sort().filter(function (id) { return shown[id] !== earlier[id]; }).map(function (id) {
      return { title: (own(titles, id) ? titles[id] : id || fmt("reflection_earlier_unknown")), text: earlier[id] };
    });
    if (written.length || older.length) mine.innerHTML = "";
    function show(title, meta, body) {
      var section = document.createElement("section"), h = document.createElement("h2");
      var from = document.createElement("p"), text = document.createElement("p");
      section.className = "my-reflection";
      h.textContent = title; from.textContent = meta;
      from.className = "meta"; text.className = "text"; text.textContent = body;
      section.appendChild(h); section.appendChild(from); section.appendChild(text); mine.appendChild(section);
    }
    written.forEach(function (r) { show(r.title, fmt("reflection_from", { module: r.module }), state.refl[r.id]); });
    older.forEach(function (o) { show(o.title, fmt("reflection_earlier"), o.text); });
    document.querySelector("[data-download]").addEventListener("click", function () {
      var lines = [C.title, ""];
      written.forEach(function (r) { lines.push(r.title, fmt("reflection_from", { module: r.module }), "", state.refl[r.id], "", ""); });
      older.forEach(function (o) { lines.push(o.title, fmt("reflection_earlier"), "", o.text, "", ""); });
      downloadText(fmt("download_name"), lines.join("\n"));
    });
  }
})();
