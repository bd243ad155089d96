/* The behaviour of every course page: progress, quizzes, reflections, homework checklists.
 *
 * Learner data goes through one store interface, so the same pages run in the web edition
 * (localStorage) and inside a SCORM package (the launch page defines window.KSRuntime):
 *   load() -> {v:1, seen:{key:1}, loc:"path", quiz:{id:{a:{qid:[ids]}, s:n, n:n}}, refl:{id:"text"}, hw:{id:[steps]}}
 *   seen(key, path)                                   a page was shown; path is the bookmark
 *   quiz(id, answers, correct, total, details)        details: [{id, type, response, correct, result}]
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
    var key = "kulturskole:" + C.id, memory = null;
    function read() {
      if (memory) return memory;
      try { memory = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { memory = null; }
      if (!memory || memory.v !== 1) memory = { v: 1, seen: {}, loc: "", quiz: {}, refl: {}, hw: {} };
      return memory;
    }
    function write() { try { window.localStorage.setItem(key, JSON.stringify(memory)); } catch (e) { /* private mode: keep in memory */ } }
    return {
      load: function () { return JSON.parse(JSON.stringify(read())); },
      seen: function (k, path) { var s = read(); s.seen[k] = 1; s.loc = path; write(); },
      quiz: function (id, answers, correct, total) { read().quiz[id] = { a: answers, s: correct, n: total }; write(); },
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

  /* Quizzes */
  document.querySelectorAll("form[data-quiz]").forEach(function (form) {
    var quizId = form.dataset.quiz, questions = form.querySelectorAll("fieldset[data-question]");
    var resultBox = form.querySelector("[data-quiz-result]"), errorBox = form.querySelector("[data-quiz-error]");
    var resetButton = form.querySelector("[data-quiz-reset]");

    function responseOf(fs) {
      if (fs.dataset.type === "matching") {
        return Array.prototype.map.call(fs.querySelectorAll("select"), function (s) { return s.value; }).filter(Boolean);
      }
      return Array.prototype.map.call(fs.querySelectorAll("input:checked"), function (i) { return i.value; });
    }
    function complete(fs, response) {
      return fs.dataset.type === "matching" ? response.length === fs.querySelectorAll("select").length : response.length > 0;
    }
    function restore(answers) {
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
    function grade(fs, response) {
      var correct = fs.dataset.correct.split(" ").sort(), given = response.slice().sort();
      var right = correct.length === given.length && correct.every(function (c, i) { return c === given[i]; });
      var feedback = fs.querySelector(".feedback");
      feedback.innerHTML = "";
      var verdict = document.createElement("p"), strong = document.createElement("strong");
      strong.className = right ? "ok" : "bad";
      strong.textContent = (right ? "✓ " : "✗ ") + fmt(right ? "correct" : "incorrect");
      verdict.appendChild(strong);
      feedback.appendChild(verdict);
      fs.querySelectorAll("[data-explain]").forEach(function (ex) {
        var id = ex.dataset.explain, chosen = response.indexOf(id) >= 0, isCorrect = correct.indexOf(id) >= 0, verdict;
        /* The border colour repeats what the label says in words (WCAG 1.4.1: never colour alone). */
        if (fs.dataset.type === "matching") {
          ex.hidden = false;
          ex.className = "explanation " + (chosen ? "right" : "wrong");
          verdict = fmt("your_choice") + " – " + fmt(chosen ? "correct" : "incorrect");
        } else {
          ex.hidden = !(chosen || isCorrect);
          ex.className = "explanation " + (isCorrect ? "right" : "wrong");
          verdict = chosen ? fmt("your_choice") + " – " + fmt(isCorrect ? "correct" : "incorrect") : fmt("right_answer");
        }
        var label = ex.querySelector(".label") || document.createElement("strong");
        label.className = "label";
        label.textContent = verdict + ". ";
        ex.firstElementChild.insertBefore(label, ex.firstElementChild.firstChild);
      });
      return { id: fs.dataset.question, type: fs.dataset.type, response: response, correct: correct, result: right ? "correct" : "wrong" };
    }
    function check(save) {
      var answers = {}, details = [], missing = null;
      questions.forEach(function (fs) {
        var r = responseOf(fs);
        if (!complete(fs, r) && !missing) missing = fs;
        answers[fs.dataset.question] = r;
      });
      if (missing) {
        errorBox.textContent = fmt("answer_all");
        var first = missing.querySelector("input, select"); if (first) first.focus();
        return;
      }
      errorBox.textContent = "";
      questions.forEach(function (fs) { details.push(grade(fs, answers[fs.dataset.question])); });
      var score = details.filter(function (d) { return d.result === "correct"; }).length, total = details.length;
      var percent = Math.round(100 * score / total);
      var text = fmt("quiz_result", { score: score, total: total, percent: percent });
      if (form.dataset.graded === "true") text += " " + fmt(percent >= C.mastery ? "quiz_passed" : "quiz_failed", { mastery: C.mastery });
      resultBox.textContent = text;
      resetButton.hidden = false;
      if (save) store.quiz(quizId, answers, score, total, details);
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); check(true); });
    resetButton.addEventListener("click", function () {
      form.reset();
      form.querySelectorAll("[data-explain]").forEach(function (ex) { ex.hidden = true; var l = ex.querySelector(".label"); if (l) l.remove(); });
      form.querySelectorAll(".feedback").forEach(function (f) { f.innerHTML = ""; });
      resultBox.textContent = ""; resetButton.hidden = true;
      var first = form.querySelector("input, select"); if (first) first.focus();
    });
    var saved = state.quiz[quizId];
    if (saved && saved.a) { restore(saved.a); check(false); }
  });

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
