/* The pass rule (assets/js/learner/rule.js) is builder.model.passes: the vectors come from Python. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { load, vectors } = require("./load.js");

const { KSRule } = load(["rule.js"], ["KSRule"]);

for (const v of vectors().rule) {
  test(`pass rule: ${v.correct} of ${v.total} at ${v.mastery} %`, () => {
    assert.equal(KSRule.passes(v.correct, v.total, v.mastery), v.passes);
    if (v.total) assert.equal(KSRule.scaled(v.correct, v.total) >= v.mastery * 100, v.passes, "the runtime's scaled score agrees");
  });
}
