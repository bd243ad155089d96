/* The browser store (assets/js/learner/store.js): patch semantics between tabs, nothing stored trusted. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain } = require("./load.js");

/* One localStorage shared by several "tabs" (contexts), like a browser profile's. */
function sharedStorage() {
  const data = new Map();
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), data };
}
function tab(storage) {
  const listeners = [];
  const window = { localStorage: storage, addEventListener: (type, fn) => listeners.push(fn) };
  const { KSStore } = load(["codec.js", "store.js"], ["KSStore"], { window });
  return { store: KSStore.open("kulturskole:kurs", KSStore.cleanState), KSStore, fire: (e) => listeners.forEach((f) => f(e)) };
}

test("two tabs keep both changes (a reflection in one, a homework tick in the other)", () => {
  const ls = sharedStorage(), a = tab(ls), b = tab(ls);
  const seenByB = b.store.read();               // tab B was opened earlier
  assert.deepEqual(plain(seenByB.refl), {});
  a.store.update((s) => { s.refl.tanker = "Tekst fra fane A"; });
  b.store.update((s) => { s.hw.lekse = ["plan"]; });
  const now = a.store.read();
  assert.equal(now.refl.tanker, "Tekst fra fane A");
  assert.deepEqual(plain(now.hw.lekse), ["plan"]);
});

test("another tab's write is heard (storage event)", () => {
  const ls = sharedStorage(), a = tab(ls), b = tab(ls);
  let heard = null;
  a.store.watch((s) => { heard = s; });
  b.store.update((s) => { s.seen["m/p1"] = 1; });
  a.fire({ key: "kulturskole:kurs" });
  assert.equal(heard.seen["m/p1"], 1);
});

test("nothing stored is trusted: wrong kinds are dropped, ids like constructor work", () => {
  const ls = sharedStorage(), a = tab(ls);
  ls.setItem("kulturskole:kurs", JSON.stringify({ v: 1, seen: null, loc: 5, quiz: { q: { s: 63, n: 4, a: {} }, ok: { s: 3, n: 4, a: { x: ["a", 7] } } },
    refl: { constructor: "tekst", __proto__: "mer", tom: 3 }, hw: { h: "plan" }, tries: { q: { t: -1 } }, seed: 1e99, best: 157500 }));
  const s = a.store.read();
  assert.deepEqual(plain(s.seen), {});
  assert.equal(s.loc, "");
  assert.deepEqual(plain(s.quiz), { ok: { s: 3, n: 4, a: { x: ["a"] } } });
  assert.equal(s.refl.constructor, "tekst");
  assert.equal(s.refl.tom, undefined);
  assert.deepEqual(plain(s.hw), { h: [] });
  assert.deepEqual(plain(s.tries), {});
  assert.equal(s.seed, 0);
  assert.equal(s.best, null);
  ls.setItem("kulturskole:kurs", "{not json");
  assert.deepEqual(plain(a.store.read().refl), {});
});

test("without storage (private mode, full disk) the page keeps its own copy", () => {
  const broken = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
  const a = tab(broken);
  a.store.update((s) => { s.refl.tanker = "Ikke lagret i nettleseren"; });
  assert.equal(a.store.read().refl.tanker, "Ikke lagret i nettleseren");
});

test("drafts: only well-formed entries are kept", () => {
  const { KSStore } = tab(sharedStorage());
  const d = KSStore.cleanDrafts({ v: 1, refl: { a: { t: "x", sent: 1, sco: "m" }, b: "junk" }, prog: { m: { seen: { k: 1, z: 0 }, tries: { slutt: { t: 2, p: 1, b: 85 }, bad: { t: -1 }, over: { t: 1, b: 101 } } } }, earlier: { o: { t: "gammel" } } });
  assert.deepEqual(plain(d), { v: 1, refl: { a: { t: "x", sent: true, sco: "m" } },
    prog: { m: { seen: { k: 1 }, tries: { slutt: { t: 2, p: 1, b: 85 }, over: { t: 1, p: 0 } } } }, earlier: { o: { t: "gammel", sco: "" } } });
});
