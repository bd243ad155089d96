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
  var adapter = KSLms.adapterFor(CFG.version, CFG);
  var api = KSLms.findAPI(adapter.name);
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
  /* This SCO's pages seen and quiz attempts, for the other SCOs' front page and module menu: a learner
     who passed the final test in its own SCO and goes back to another module must not read «Ikke tatt». */
  function copyProgress() {
    if (!CFG.scoIds || !lms.connected || review) return;
    drafts.update(function (d) { d.prog[CFG.sco] = { seen: S.seen, tries: S.tries }; });
  }
  /* The other SCOs' progress as far as this browser knows it: their pages seen, and the modules
     (SCOs) of which this browser has no copy (not opened here, or used on another device). */
  function elsewhere() {
    if (!CFG.scoIds) return null;
    var d = drafts.read(), seen = dict(), tries = dict(), unknown = [];
    CFG.scoIds.forEach(function (id) {
      if (id === CFG.sco) return;
      if (!own(d.prog, id)) { unknown.push(id); return; }
      Object.keys(d.prog[id].seen).forEach(function (k) { seen[k] = 1; });
      Object.keys(d.prog[id].tries).forEach(function (k) { tries[k] = d.prog[id].tries[k]; });
    });
    return { seen: seen, tries: tries, unknown: unknown };
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
        if (tries && tries.b != null) s.tries[id].b = tries.b;      /* this session only: suspend_data keeps t and p */
      });
      copyProgress();
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
  /* `attend`: the learner just tapped a link far down the page (our Next/Previous to another module);
     the notice takes the focus, which brings it into view and has screen readers read it — else the
     tap seems to do nothing (seen in the Moodle app imitation at 375 and 1280 px). */
  function notice(text, attend) {
    current = text || "";
    var inner = null;
    try { inner = frame.contentDocument && frame.contentDocument.getElementById("ks-notice"); } catch (e) { inner = null; }
    var shown = inner || bar;
    if (inner) {
      inner.textContent = current; inner.hidden = !current;
      bar.hidden = true; bar.textContent = "";
    } else {
      bar.textContent = current; bar.hidden = !current;
    }
    if (attend && current) {
      shown.setAttribute("tabindex", "-1");
      try { shown.focus(); } catch (e) { /* a detached frame */ }
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
    notice(String(T.other_module || "").replace("{title}", target.title), true);
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
