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

  function localStore() {
    var key = "kulturskole:" + C.id, memory = null, readNothing = false;
    function stored() {
      try { var s = JSON.parse(window.localStorage.getItem(key) || "null"); return s && s.v === 1 ? s : null; } catch (e) { return null; }
    }
    function read() {
      if (memory) return memory;
      memory = stored();
      readNothing = !memory;
      if (!memory) memory = { v: 1, seen: {}, loc: "", quiz: {}, refl: {}, hw: {} };
      memory.tries = memory.tries || {};
      if (!memory.seed) { memory.seed = 1 + Math.floor(Math.random() * 16777215); write(); }
      return memory;
    }
    /* Chromium sometimes starts a file:// page with an empty localStorage that fills a moment later.
       A page that read nothing therefore merges with what is stored before it writes, so it never
       overwrites the progress, answers and reflections an earlier page saved. */
    function merge(into, from) {
      Object.keys(from.seen || {}).forEach(function (k) { into.seen[k] = 1; });
      ["quiz", "refl", "hw", "tries"].forEach(function (part) {
        Object.keys(from[part] || {}).forEach(function (k) { if (!(k in into[part])) into[part][k] = from[part][k]; });
      });
      if (from.seed) into.seed = from.seed;
    }
    function write() {
      if (readNothing) { var earlier = stored(); if (earlier) { merge(memory, earlier); readNothing = false; } }
      try { window.localStorage.setItem(key, JSON.stringify(memory)); } catch (e) { /* private mode: keep in memory */ }
    }
    return {
      load: function () { return JSON.parse(JSON.stringify(read())); },
      seen: function (k, path) { var s = read(); s.seen[k] = 1; s.loc = path; write(); },
      quiz: function (id, answers, correct, total, details, tries) {
        var s = read(); s.quiz[id] = { a: answers, s: correct, n: total }; if (tries) s.tries[id] = tries; write();
      },
      retry: function (id) { delete read().quiz[id]; write(); },
      reflection: function (id, text) { var s = read(); if (text) s.refl[id] = text; else delete s.refl[id]; write(); },
      homework: function (id, steps) { read().hw[id] = steps; write(); },
      limits: function () { return null; }
    };
  }

  var store = null;
  try { if (window.parent !== window && window.parent.KSRuntime) store = window.parent.KSRuntime; } catch (e) { store = null; }
  store = store || localStore();
  window.KSStore = store;
  var state = store.load();

  /* Progress: this page is seen as soon as it is shown. */
  if (body.dataset.key) { store.seen(body.dataset.key, body.dataset.path); state.seen[body.dataset.key] = 1; }
  function showProgress() {
    var total = 0, seen = 0, perModule = {};
    C.pages.forEach(function (p) {
      var key = p[0], module = p[2], isSeen = !!state.seen[key];
      total++; if (isSeen) seen++;
      if (module) { perModule[module] = perModule[module] || [0, 0]; perModule[module][1]++; if (isSeen) perModule[module][0]++; }
    });
    document.querySelectorAll("[data-module-bar]").forEach(function (bar) {
      var m = perModule[bar.dataset.moduleBar] || [0, 0]; bar.value = m[0]; bar.max = m[1];
    });
    document.querySelectorAll("[data-module-progress]").forEach(function (el) {
      var m = perModule[el.dataset.moduleProgress] || [0, 0]; el.textContent = "(" + m[0] + "/" + m[1] + " " + fmt("seen") + ")";
    });
    /* Front page cards: the state in words as well as in the bar (never colour or a bar alone). */
    document.querySelectorAll("[data-module-state]").forEach(function (tag) {
      var m = perModule[tag.dataset.moduleState] || [0, 0];
      var state = m[0] === 0 ? "todo" : (m[0] >= m[1] ? "done" : "doing");
      tag.dataset.state = state;
      tag.textContent = fmt({ todo: "state_not_started", doing: "state_in_progress", done: "state_done" }[state]);
    });
    document.querySelectorAll("[data-module-words]").forEach(function (el) {
      var m = perModule[el.dataset.moduleWords] || [0, 0]; el.textContent = fmt("state_pages", { seen: m[0], total: m[1] });
    });
    document.querySelectorAll("[data-page-link]").forEach(function (a) { if (state.seen[a.dataset.pageLink]) a.setAttribute("data-seen", ""); });
    document.querySelectorAll("[data-course-progress]").forEach(function (el) {
      el.textContent = fmt("progress_course", { seen: seen, total: total });
    });
  }
  showProgress();

  /* Front page: offer to continue where the learner left off. */
  var resume = document.querySelector("[data-resume]");
  if (resume && state.loc && state.loc !== body.dataset.path) {
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

  /* Quizzes ------------------------------------------------------------------------------------
   * Each attempt shows the options (and a drawing quiz's questions) in an order that follows from
   * the learner's seed, the quiz and the attempt number, so it differs between learners and
   * attempts and stays the same when the learner comes back. Answers are option ids, never
   * positions. A graded quiz (data-exam) has no answers on the page: they are read from its
   * svar.js to grade, and shown only once the learner has passed or used the allowed attempts. */

  /* mulberry32: a tiny seeded generator; Math.random cannot be replayed after a reload. */
  function seeded(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function hashed(text) {                                   /* FNV-1a: text → 32-bit seed */
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }
  /* Elements in the order the page was written in, however often they were moved since: the same
     seed must give the same order on a retry as on a fresh load. */
  function written(list) {
    var a = Array.prototype.slice.call(list);
    a.forEach(function (el, i) { if (el.ksWritten === undefined) el.ksWritten = i; });
    return a.sort(function (x, y) { return x.ksWritten - y.ksWritten; });
  }
  function shuffled(list, rand) {
    var a = written(list);
    for (var i = a.length - 1; i > 0; i--) { var j = Math.floor(rand() * (i + 1)), t = a[i]; a[i] = a[j]; a[j] = t; }
    return a;
  }

  /* The questions of this attempt, in the order shown; the others are hidden and disabled. True/false
     keeps «Sant, Usant» (its order tells nothing); a matching question shuffles its roles. */
  function arrange(form, attempt) {
    var all = written(form.querySelectorAll("fieldset[data-question]"));
    var base = (state.seed || 0) + ":" + form.dataset.quiz + ":" + attempt, chosen = all;
    if (form.dataset.draw) {
      var rand = seeded(hashed(base));
      chosen = [];
      form.dataset.draw.split(" ").forEach(function (part) {
        var goal = part.split(":")[0], count = +part.split(":")[1];
        var pool = all.filter(function (fs) { return fs.dataset.goals === goal; });
        chosen = chosen.concat(shuffled(pool, rand).slice(0, count));
      });
      chosen = shuffled(chosen, rand);
    }
    var before = form.querySelector("[data-quiz-pager]");
    all.forEach(function (fs) { var on = chosen.indexOf(fs) >= 0; fs.hidden = !on; fs.disabled = !on; });
    chosen.forEach(function (fs, i) {
      form.insertBefore(fs, before);
      fs.querySelector(".qnum").textContent = (i + 1) + ".";
      var rand = seeded(hashed(base + ":" + fs.dataset.question));
      if (fs.dataset.type === "matching") {
        fs.querySelectorAll("select").forEach(function (select) {
          var roles = Array.prototype.slice.call(select.options, 1);
          shuffled(roles, seeded(hashed(base + ":" + fs.dataset.question))).forEach(function (o) { select.appendChild(o); });
        });
      } else if (fs.dataset.type !== "truefalse") {
        var anchor = fs.querySelector("[data-question-error]");
        shuffled(fs.querySelectorAll("[data-option]"), rand).forEach(function (o) { fs.insertBefore(o, anchor); });
      }
    });
    return chosen;
  }

  /* One question per view on narrow screens, with «Spørsmål 3 av 17» and back/next; wide screens
     and print show every question of the attempt (the CSS pages only `@media screen`). */
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : { matches: false };
  function pager(form) {
    var status = form.querySelector("[data-quiz-position]"), nav = form.querySelector("[data-quiz-pager]");
    var prev = nav.querySelector("[data-quiz-prev]"), next = nav.querySelector("[data-quiz-next]");
    var self = { questions: [], current: 0 };
    self.show = function (i, focus) {
      var qs = self.questions, paged = NARROW.matches && qs.length > 1;
      self.current = Math.max(0, Math.min(i, qs.length - 1));
      form.classList.toggle("paged", paged);
      form.classList.toggle("last-page", self.current === qs.length - 1);
      nav.hidden = status.hidden = !paged;
      form.querySelectorAll("fieldset[data-question]").forEach(function (fs) { fs.classList.toggle("current", fs === qs[self.current]); });
      prev.disabled = self.current === 0;
      next.disabled = self.current === qs.length - 1;
      status.textContent = fmt("quiz_page_of", { n: self.current + 1, total: qs.length });
      /* Focus on the question (its legend is read), with «Spørsmål 3 av 17» above it in view. */
      if (focus && paged) { qs[self.current].focus({ preventScroll: true }); status.scrollIntoView({ block: "start" }); }
    };
    prev.addEventListener("click", function () { self.show(self.current - 1, true); });
    next.addEventListener("click", function () { self.show(self.current + 1, true); });
    if (NARROW.addEventListener) NARROW.addEventListener("change", function () { self.show(self.current, false); });
    return self;
  }

  /* Reads a graded quiz's svar.js (a script, so it works from file:// too) and keeps the answers in
     this closure only: nothing of them reaches the page until they may be shown. */
  function answerKey(form) {
    var key = null;
    return function (done, failed) {
      if (key) { done(key); return; }
      var script = document.createElement("script");
      window.KSAnswers = function (id, data) { if (id === form.dataset.quiz) key = data; };
      script.src = form.dataset.exam;
      script.onload = function () { script.remove(); delete window.KSAnswers; if (key) done(key); else failed(); };
      script.onerror = function () { script.remove(); delete window.KSAnswers; failed(); };
      document.head.appendChild(script);
    };
  }
  function pageKey(questions) {                           /* a module quiz: the answers are on the page */
    var key = {};
    questions.forEach(function (fs) { key[fs.dataset.question] = { c: fs.dataset.correct.split(" ") }; });
    return function (done) { done(key); };
  }

  function responseOf(fs) {
    if (fs.dataset.type === "matching") {
      return Array.prototype.map.call(fs.querySelectorAll("select"), function (s) { return s.value; }).filter(Boolean);
    }
    /* In the editor's order (option ids), not the shuffled one, so the LMS sees the same response for the same choice. */
    return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return i.value; }).sort();
  }
  function complete(fs, response) {
    return fs.dataset.type === "matching" ? response.length === fs.querySelectorAll("select").length : response.length > 0;
  }
  function restore(questions, answers) {
    questions.forEach(function (fs) {
      var r = answers[fs.dataset.question] || [];
      if (fs.dataset.type === "matching") {
        fs.querySelectorAll("select").forEach(function (s) {
          var pair = s.closest("[data-pair]").dataset.pair;
          r.forEach(function (v) { if (v.split(".")[0] === pair) s.value = v; });
        });
      } else {
        fs.querySelectorAll("input").forEach(function (i) { i.checked = r.indexOf(i.value) >= 0; });
      }
    });
  }
  function judge(fs, response, correct) {
    correct = correct.slice().sort();
    var given = response.slice().sort();
    var right = correct.length === given.length && correct.every(function (c, i) { return c === given[i]; });
    return { id: fs.dataset.question, type: fs.dataset.type, response: response, correct: correct, result: right ? "correct" : "wrong" };
  }
  /* A graded quiz's explanations, put into the page once they may be shown. */
  function addExplanations(fs, explain) {
    if (fs.querySelector("[data-explain]")) return;
    Object.keys(explain).forEach(function (id) {
      var holder = fs.dataset.type === "matching" ? fs.querySelector('[data-pair="' + id.split(".")[0] + '"]')
                                                  : fs.querySelector('[data-option="' + id + '"]');
      if (!holder) return;
      var box = document.createElement("div"), p = document.createElement("p");
      box.className = "explanation"; box.dataset.explain = id; box.hidden = true;
      p.innerHTML = explain[id];
      box.appendChild(p); holder.appendChild(box);
    });
  }
  /* The verdict and the explanations of one question. `all`: every option's explanation (a graded
     quiz after a pass), otherwise those of the chosen and the correct options. */
  function showFeedback(fs, d, all) {
    var feedback = fs.querySelector(".feedback"), right = d.result === "correct";
    feedback.innerHTML = "";
    var verdict = document.createElement("p"), strong = document.createElement("strong");
    strong.className = right ? "ok" : "bad";
    strong.textContent = (right ? "✓ " : "✗ ") + fmt(right ? "correct" : "incorrect");
    verdict.appendChild(strong);
    feedback.appendChild(verdict);
    fs.querySelectorAll("[data-explain]").forEach(function (ex) {
      var id = ex.dataset.explain, chosen = d.response.indexOf(id) >= 0, isCorrect = d.correct.indexOf(id) >= 0, text;
      /* The border colour repeats what the label says in words (WCAG 1.4.1: never colour alone). */
      if (fs.dataset.type === "matching") {
        ex.hidden = false;
        ex.className = "explanation " + (chosen ? "right" : "wrong");
        text = fmt("your_choice") + " – " + fmt(chosen ? "correct" : "incorrect");
      } else {
        ex.hidden = !(all || chosen || isCorrect);
        ex.className = "explanation " + (isCorrect ? "right" : "wrong");
        text = chosen ? fmt("your_choice") + " – " + fmt(isCorrect ? "correct" : "incorrect")
                      : fmt(isCorrect ? "right_answer" : "quiz_wrong_option");
      }
      var label = ex.querySelector(".label") || document.createElement("strong");
      label.className = "label";
      label.textContent = text + ". ";
      ex.firstElementChild.insertBefore(label, ex.firstElementChild.firstChild);
    });
  }
  /* Which competence goals to read more about: each goal of the attempt with its score. */
  function showRevisit(form, details, questions) {
    var box = form.querySelector("[data-revisit]");
    if (!box) return;
    var per = {};
    details.forEach(function (d, i) {
      questions[i].dataset.goals.split(" ").forEach(function (g) {
        per[g] = per[g] || [0, 0]; per[g][1]++; if (d.result === "correct") per[g][0]++;
      });
    });
    var any = false;
    box.querySelectorAll("[data-goal]").forEach(function (li) {
      var s = per[li.dataset.goal], weak = !!s && s[0] < s[1];
      li.hidden = !weak; any = any || weak;
      if (s) li.querySelector("[data-goal-score]").textContent = fmt("quiz_exam_goal_score", { score: s[0], total: s[1] });
    });
    box.hidden = !any;
  }

  function setUpQuiz(form) {
    var quizId = form.dataset.quiz, exam = !!form.dataset.exam, allowed = +form.dataset.attempts || 0;
    var resultBox = form.querySelector("[data-quiz-result]"), resetButton = form.querySelector("[data-quiz-reset]");
    var tries = (state.tries && state.tries[quizId]) || { t: 0, p: 0 };
    var saved = state.quiz[quizId] && state.quiz[quizId].a ? state.quiz[quizId] : null;
    var pages = pager(form), questions = [], key = exam ? answerKey(form) : null;

    function start(attempt) {
      questions = arrange(form, attempt);
      pages.questions = questions;
      if (!exam) key = pageKey(questions);
      pages.show(0, false);
    }
    function lock(locked) {
      form.classList.toggle("checked", locked);
      questions.forEach(function (fs) { fs.querySelectorAll("input, select").forEach(function (c) { c.disabled = locked; }); });
    }
    function showMissing(fs) {
      var error = fs.querySelector("[data-question-error]");
      pages.show(questions.indexOf(fs), false);
      var target = fs.dataset.type === "matching"
        ? Array.prototype.filter.call(fs.querySelectorAll("select"), function (s) { return !s.value; })[0]
        : fs.querySelector("input");
      if (target) target.focus();
      /* Filled after the focus moves, so the alert is read after the control it belongs to. */
      error.textContent = "";
      setTimeout(function () { error.textContent = fmt("quiz_answer_this"); }, 50);
    }
    function check(save) {
      var answers = {}, missing = null;
      questions.forEach(function (fs) {
        var r = responseOf(fs);
        if (!complete(fs, r) && !missing) missing = fs;
        answers[fs.dataset.question] = r;
      });
      form.querySelectorAll("[data-question-error]").forEach(function (e) { e.textContent = ""; });
      if (missing) { if (save) showMissing(missing); return; }
      key(function (answerKey) { finish(answers, answerKey, save); },
          function () { resultBox.textContent = fmt("quiz_exam_unavailable"); });
    }
    function finish(answers, answerKey, save) {
      var details = questions.map(function (fs) { return judge(fs, answers[fs.dataset.question], answerKey[fs.dataset.question].c); });
      var score = details.filter(function (d) { return d.result === "correct"; }).length, total = details.length;
      var percent = Math.round(100 * score / total), passed = percent >= C.mastery;
      if (save) {
        tries = { t: tries.t + 1, p: tries.p || passed ? 1 : 0 };
        store.quiz(quizId, answers, score, total, details, tries);
      }
      var text = fmt("quiz_result", { score: score, total: total, percent: percent }), reveal = true;
      if (exam) {
        reveal = passed || !!tries.p || tries.t >= allowed;
        text += " " + (passed || tries.p ? fmt("quiz_exam_passed", { mastery: C.mastery })
          : reveal ? fmt("quiz_exam_used", { mastery: C.mastery, attempts: allowed })
          : fmt("quiz_exam_failed", { mastery: C.mastery, used: tries.t, attempts: allowed }));
        showRevisit(form, details, questions);
      } else if (form.dataset.graded === "true") {
        text += " " + fmt(passed ? "quiz_passed" : "quiz_failed", { mastery: C.mastery });
      }
      questions.forEach(function (fs, i) {
        if (!reveal) return;
        if (exam) addExplanations(fs, answerKey[fs.dataset.question].x);
        showFeedback(fs, details[i], exam);
      });
      resultBox.textContent = text;
      resetButton.hidden = false;
      lock(true);
      if (save && form.classList.contains("paged")) { resultBox.tabIndex = -1; resultBox.focus(); }
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); check(true); });
    resetButton.addEventListener("click", function () {
      store.retry(quizId);
      lock(false);
      form.reset();
      form.querySelectorAll("[data-explain]").forEach(function (ex) {
        if (exam) { ex.remove(); return; }
        ex.hidden = true; var l = ex.querySelector(".label"); if (l) l.remove();
      });
      form.querySelectorAll(".feedback").forEach(function (f) { f.innerHTML = ""; });
      var revisit = form.querySelector("[data-revisit]"); if (revisit) revisit.hidden = true;
      resultBox.textContent = ""; resetButton.hidden = true;
      start(tries.t);
      var first = questions[0] && questions[0].querySelector("input, select"); if (first) first.focus();
    });

    start(saved ? Math.max(tries.t - 1, 0) : tries.t);
    if (saved) { restore(questions, saved.a); check(false); }
  }
  document.querySelectorAll("form[data-quiz]").forEach(setUpQuiz);

  /* Reflections: saved while writing (debounced) and when the page is hidden. */
  var limits = (store.limits && store.limits()) || null;
  document.querySelectorAll("textarea[data-reflection]").forEach(function (box) {
    var id = box.dataset.reflection, timer = null, lastAnnounced = -1;
    if (limits && limits.reflectionMax && limits.reflectionMax[id]) box.maxLength = limits.reflectionMax[id];
    var max = box.maxLength, counter = document.querySelector('[data-counter="' + id + '"]');
    var announce = document.querySelector('[data-announce="' + id + '"]'), min = +box.dataset.min || 0;
    box.value = (state.refl[id] || "").slice(0, max);
    function count(speak) {
      var n = box.value.length, text = fmt("characters", { n: n, max: max });
      if (min && n < min) text += " " + fmt("min_characters", { min: min });
      counter.textContent = text;
      /* Announce politely only when the minimum is reached and near the limit, so a screen reader is
         not interrupted at every key. */
      var step = n >= max ? max : (n >= max * 0.9 ? Math.floor(n / 10) * 10 : (min && n >= min ? min : -1));
      if (step !== lastAnnounced && step >= 0 && speak) announce.textContent = text;
      lastAnnounced = step;
    }
    function save() { clearTimeout(timer); timer = null; store.reflection(id, box.value); }
    box.addEventListener("input", function () { count(true); clearTimeout(timer); timer = setTimeout(save, 1000); });
    box.addEventListener("blur", function () { if (timer) save(); });
    window.addEventListener("pagehide", function () { if (timer) save(); });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && timer) save(); });
    count(false);
  });

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

  document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });

  /* My reflections: read back, download as text, print. */
  var mine = document.querySelector("[data-my-reflections]");
  if (mine) {
    var written = C.reflections.filter(function (r) { return state.refl[r.id]; });
    if (written.length) {
      mine.innerHTML = "";
      written.forEach(function (r) {
        var section = document.createElement("section"), h = document.createElement("h2");
        var from = document.createElement("p"), text = document.createElement("p");
        section.className = "my-reflection";
        h.textContent = r.title; from.textContent = fmt("reflection_from", { module: r.module });
        from.className = "meta"; text.className = "text"; text.textContent = state.refl[r.id];
        section.appendChild(h); section.appendChild(from); section.appendChild(text); mine.appendChild(section);
      });
    }
    document.querySelector("[data-download]").addEventListener("click", function () {
      var lines = [C.title, ""];
      written.forEach(function (r) { lines.push(r.title, fmt("reflection_from", { module: r.module }), "", state.refl[r.id], "", ""); });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/plain;charset=utf-8" }));
      link.download = fmt("download_name");
      document.body.appendChild(link); link.click(); link.remove();
    });
  }
})();
