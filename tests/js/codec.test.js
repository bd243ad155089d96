/* The codec (assets/js/learner/codec.js) against the golden vectors budget.py writes
   (tests/formats/test_learner_vectors.py): the runtime and the build read and write the same data. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, plain, vectors } = require("./load.js");

const V = vectors();
const { KSCodec } = load(["codec.js"], ["KSCodec"]);

test("the constants are budget.py's", () => {
  assert.deepEqual(plain(KSCodec.constants), V.constants);
});

for (const v of V.encode) {
  test("encode: " + v.name, () => {
    const state = Object.assign(plain(KSCodec.emptyState()), v.state);
    assert.equal(KSCodec.encode(V.layout, state), v.data);
  });
}

for (const v of V.decode) {
  test("decode: " + v.name, () => {
    assert.deepEqual(plain(KSCodec.decode(V.layout, v.data)), v.state);
  });
}

test("decode never throws, whatever it is given", () => {
  const full = V.encode.find((v) => v.name === "full").data;
  for (let cut = 0; cut <= full.length; cut++) {
    for (const junk of ["", ".", ":", "~", "!", "\u2424", "\ud83d"]) {
      const out = KSCodec.decode(V.layout, full.slice(0, cut) + junk + full.slice(cut + 1));
      assert.ok(Array.isArray(out.errors));
      if (out.best != null) assert.ok(out.best >= 0 && out.best <= 10000);
      for (const id of Object.keys(out.quiz)) assert.ok(out.quiz[id].s <= out.quiz[id].n);
    }
  }
  for (const odd of [null, undefined, 42, {}, "3", "3....."]) assert.doesNotThrow(() => KSCodec.decode(V.layout, odd));
});

test("ids that are JavaScript property names are ids like any other", () => {
  const S = KSCodec.decode(V.layout, V.encode.find((v) => v.name === "empty").data);
  assert.equal(S.refl.constructor, undefined);
  assert.equal(S.quiz.toString, undefined);
  const parsed = KSCodec.parseJSON('{"refl": {"__proto__": "tekst", "constructor": "mer"}}');
  assert.equal(parsed.refl.__proto__, "tekst");
  assert.equal(Object.getPrototypeOf(parsed.refl), null);
});
