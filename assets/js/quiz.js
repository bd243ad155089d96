/* Quizzes: loaded on quiz pages only, after kurs.js (whose KSPage gives the learner's store and state).
 *
 * A quiz that shows every question in the editor's order has them in the page's HTML, usable before
 * this script arrives; a drawing or paging one carries them as data (site.py quiz_markup), and this
 * script makes the same form from it.
 * Each attempt shows the options (and a drawing quiz's questions) in an order that follows from
 * the learner's seed, the quiz and the attempt number, so it differs between learners and
 * attempts and stays the same when the learner comes back. Answers are option ids, never
 * positions. A graded quiz (data-exam) has no answers on the page: they are read from its
 * svar.js to grade, and shown only once the learner has passed or used the allowed attempts.
 * On narrow screens the questions are paged one at a time.
 */
(function () {
  "use strict";
  var K = window.KSPage, C = K.course, fmt = K.fmt, store = K.store, state = K.state;

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

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  /* The form's questions from the page's data (site.py quiz_markup, whose _question_fieldsets writes
     the same markup into the page when it can): one fieldset per question, in the editor's order. Ids
     are short and per page (q3, q3a, q3e): the question's own id is said once, in data-question, which
     is what the learner data and the LMS use. The question text and options are HTML the builder has
     sanitized; tasks, roles and the reference are plain text. */
  function render(form, data) {
    var before = form.querySelector("[data-quiz-pager]");
    data.forEach(function (q, i) {
      var k = "q" + (i + 1), fs = document.createElement("fieldset"), html;
      fs.className = "question ds-card";                  /* a card: a box around each question */
      fs.tabIndex = -1;
      fs.dataset.question = q.id; fs.dataset.type = q.t; fs.dataset.goals = q.g;
      if (q.s) fs.dataset.scenario = "1";
      fs.setAttribute("aria-describedby", k + "e " + k + "f");
      html = '<legend><span class="qnum">' + (i + 1) + ".</span> "
        + (q.s ? '<span class="ds-tag" data-variant="outline">' + esc(fmt("scenario")) + "</span> " : "") + q.q + "</legend>";
      if (q.t === "matching") {
        html += '<p class="help">' + esc(fmt("match_help")) + "</p>";
        q.p.forEach(function (p) {
          var id = k + esc(p[0]);
          html += '<div class="ds-field" data-pair="' + esc(p[0]) + '"><label class="ds-label" for="' + id + '">' + esc(p[1]) + "</label>"
            + '<select class="ds-input" id="' + id + '"><option value="">' + esc(fmt("choose_role")) + "</option>"
            + q.roles.map(function (role, n) { return '<option value="' + esc(p[0]) + "." + n + '">' + esc(role) + "</option>"; }).join("")
            + "</select></div>";
        });
      } else {
        html += '<p class="help">' + esc(fmt(q.t === "multiple" ? "choose_all" : "choose_one")) + "</p>";
        q.o.forEach(function (o) {
          var id = k + esc(o[0]);
          html += '<div class="ds-field" data-option="' + esc(o[0]) + '"><input class="ds-input" type="' + (q.t === "multiple" ? "checkbox" : "radio")
            + '" id="' + id + '" name="' + k + '" value="' + esc(o[0]) + '"><label for="' + id + '">' + o[1] + "</label></div>";
        });
      }
      html += '<p class="ds-validation-message" id="' + k + 'e" role="alert" data-question-error></p>'
        + '<div class="feedback" id="' + k + 'f"></div>'
        + '<p class="reference">' + esc(fmt("reference")) + ": " + esc(q.r) + "</p>";
      fs.innerHTML = html;
      form.insertBefore(fs, before);
    });
  }

  /* The questions of this attempt, in the order shown; the others are hidden and disabled. True/false
     keeps «Sant, Usant» (its order tells nothing); a matching question shuffles its roles. */
  function arrange(form, attempt) {
    var all = written(form.querySelectorAll("fieldset[data-question]"));
    var base = (state.seed || 0) + ":" + form.dataset.quiz + ":" + attempt, chosen = all;
    var practice = +form.dataset.practice || 0;
    if (practice && all.length > practice) {
      /* A practice quiz: `practice` questions an attempt. The pool is shuffled once per learner and
         read in turns, so each retake brings the next questions and every question comes up within
         ceil(pool / practice) attempts; scenarios open the attempt. */
      var order = shuffled(all, seeded(hashed((state.seed || 0) + ":" + form.dataset.quiz)));
      var from = (attempt * practice) % order.length;
      chosen = order.concat(order).slice(from, from + practice);
      chosen = chosen.filter(function (fs) { return fs.dataset.scenario; })
        .concat(chosen.filter(function (fs) { return !fs.dataset.scenario; }));
    } else if (form.dataset.draw) {
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
  function pageKey(data) {                                /* a module quiz: the answers are in the page's data */
    var key = {};
    data.forEach(function (q) { key[q.id] = { c: q.c, x: q.x }; });
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
  /* The explanations, put into the page once they may be shown (a graded quiz's after a pass or
     the last allowed attempt). */
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
    /* Designsystemet's message: a tick or a cross icon and green or red beside the words. */
    var verdict = document.createElement("p");
    verdict.className = "ds-validation-message";
    if (right) verdict.setAttribute("data-color", "success");
    verdict.textContent = fmt(right ? "correct" : "incorrect");
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
    var data = JSON.parse(form.querySelector("[data-quiz-questions]").textContent);
    var pages = pager(form), questions = [], key = exam ? answerKey(form) : pageKey(data);
    if (!form.querySelector("fieldset[data-question]")) render(form, data);
    form.querySelector("[data-quiz-needs-script]").remove();

    function start(attempt) {
      questions = arrange(form, attempt);
      pages.questions = questions;
      pages.show(0, false);
    }
    /* A checked attempt is closed (no new score from changing one answer); the choices stay easy to
       see: kurs.css keeps the locked controls at full opacity and marks the chosen ones. */
    function lock(locked) {
      form.classList.toggle("checked", locked);
      questions.forEach(function (fs) {
        fs.querySelectorAll("input, select").forEach(function (c) { c.disabled = locked; });
        fs.querySelectorAll("[data-option]").forEach(function (o) {
          o.toggleAttribute("data-chosen", locked && o.querySelector("input").checked);
        });
      });
    }
    /* A question without an answer: its message, and its controls marked invalid (Designsystemet
       draws them red) until it has one. */
    function clearMissing(fs) {
      fs.querySelector("[data-question-error]").textContent = "";
      fs.querySelectorAll("[aria-invalid]").forEach(function (c) { c.removeAttribute("aria-invalid"); });
    }
    function showMissing(fs) {
      var error = fs.querySelector("[data-question-error]");
      pages.show(questions.indexOf(fs), false);
      var lacking = fs.dataset.type === "matching"
        ? Array.prototype.filter.call(fs.querySelectorAll("select"), function (s) { return !s.value; })
        : Array.prototype.slice.call(fs.querySelectorAll("input"));
      lacking.forEach(function (c) { c.setAttribute("aria-invalid", "true"); });
      var target = lacking[0];
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
      questions.forEach(clearMissing);
      if (missing) { if (save) showMissing(missing); return; }
      key(function (answerKey) { finish(answers, answerKey, save); },
          function () {
            resultBox.textContent = fmt("quiz_exam_unavailable");
            summary(fmt("quiz_exam_unavailable"), [], false, "warning", false);
            if (save) announce();
          });
    }
    /* The result at the top of the quiz, as a Designsystemet alert, with (once answers may be shown)
       a ✓/✗ list of the questions that jumps to each one — on a phone too, where questions are paged.
       It is announced by taking the focus after «Sjekk svarene», and only so: as a live region too
       (it was one, and the line under the buttons another) a screen reader read the result two or
       three times; a result restored when the page opens is not announced at all. */
    var top = document.createElement("div");
    top.className = "ds-alert quiz-summary"; top.hidden = true; top.tabIndex = -1;
    form.insertBefore(top, form.firstChild);
    function announce() { top.focus({ preventScroll: true }); top.scrollIntoView({ block: "start" }); }
    function summary(text, details, reveal, colour, certificate) {
      top.setAttribute("data-color", colour);      /* the words say it; the colour repeats it */
      top.innerHTML = "";
      var p = document.createElement("p"); p.className = "quiz-summary-text"; p.textContent = text; top.appendChild(p);
      if (certificate && C.exam) {
        var link = document.createElement("a"); link.className = "ds-link"; link.textContent = fmt("certificate_link");
        link.href = document.body.dataset.root + C.exam.certificate;
        var lp = document.createElement("p"); lp.appendChild(link); top.appendChild(lp);
      }
      if (reveal) {
        var list = document.createElement("ol"); list.className = "quiz-marks";
        details.forEach(function (d, i) {
          var li = document.createElement("li"), a = document.createElement("a"), ok = d.result === "correct";
          a.href = "#"; a.className = ok ? "right" : "wrong";
          a.textContent = (i + 1) + " " + (ok ? "✓" : "✗");
          a.setAttribute("aria-label", fmt("quiz_question_mark", { n: i + 1, verdict: fmt(ok ? "correct" : "incorrect") }));
          a.addEventListener("click", function (e) {
            e.preventDefault(); pages.show(i, false);
            questions[i].focus({ preventScroll: true }); questions[i].scrollIntoView({ block: "start" });
          });
          li.appendChild(a); list.appendChild(li);
        });
        top.appendChild(list);
      }
      top.hidden = false;
    }
    function finish(answers, answerKey, save) {
      var details = questions.map(function (fs) { return judge(fs, answers[fs.dataset.question], answerKey[fs.dataset.question].c); });
      var score = details.filter(function (d) { return d.result === "correct"; }).length, total = details.length;
      /* The one pass rule (KSRule.passes, the runtime's too): the shown percentage is rounded, the
         verdict never is (35 of 44 shows 80 % and is not passed at 80). */
      var percent = Math.round(100 * score / total), passed = K.passes(score, total, C.mastery);
      if (save) {
        tries = { t: tries.t + 1, p: tries.p || passed ? 1 : 0, b: Math.max(tries.b || 0, percent) };
        store.quiz(quizId, answers, score, total, details, tries);
      }
      var text = fmt("quiz_result", { score: score, total: total, percent: percent }), reveal = true;
      if (exam) {
        reveal = passed || !!tries.p || tries.t >= allowed;
        text += " " + (passed || tries.p ? fmt("quiz_exam_passed", { mastery: C.mastery })
          : reveal ? fmt("quiz_exam_used", { mastery: C.mastery, attempts: allowed })
          : fmt("quiz_exam_failed", { mastery: C.mastery, used: tries.t, attempts: allowed }));
        showRevisit(form, details, questions);
      } else if (form.dataset.counts === "true") {
        text += " " + fmt(passed ? "quiz_passed" : "quiz_failed", { mastery: C.mastery });
      }
      questions.forEach(function (fs, i) {
        if (!reveal) return;
        addExplanations(fs, answerKey[fs.dataset.question].x);
        showFeedback(fs, details[i], exam);
      });
      var won = exam ? passed || !!tries.p : passed;
      summary(text, details, reveal, exam || form.dataset.counts === "true" ? (won ? "success" : "warning") : "info", exam && won);
      resultBox.textContent = text;
      resetButton.hidden = false;
      lock(true);
      if (save) announce();
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); check(true); });
    form.addEventListener("change", function (e) {
      var fs = e.target.closest("fieldset[data-question]");
      if (fs && complete(fs, responseOf(fs))) clearMissing(fs);
    });
    resetButton.addEventListener("click", function () {
      store.retry(quizId);
      lock(false);
      form.reset();
      form.querySelectorAll("[data-explain]").forEach(function (ex) { ex.remove(); });
      form.querySelectorAll(".feedback").forEach(function (f) { f.innerHTML = ""; });
      var revisit = form.querySelector("[data-revisit]"); if (revisit) revisit.hidden = true;
      resultBox.textContent = ""; resetButton.hidden = true; top.hidden = true;
      start(tries.t);
      var first = questions[0] && questions[0].querySelector("input, select"); if (first) first.focus();
    });

    start(saved ? Math.max(tries.t - 1, 0) : tries.t);
    if (saved) { restore(questions, saved.a); check(false); }
  }
  document.querySelectorAll("form[data-quiz]").forEach(setUpQuiz);
})();
