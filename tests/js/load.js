/* Loads the learner-data layer's source files (assets/js/learner/*.js) the way the build joins them:
   plain classic scripts in one scope, here a fresh vm context per call, so each test starts clean. */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..", "..");
const LEARNER = path.join(ROOT, "assets", "js", "learner");

/* The named globals of `files` (e.g. ["codec.js"]) evaluated together in `sandbox`. */
function load(files, names, sandbox) {
  const context = vm.createContext(Object.assign({ console }, sandbox || {}));
  const source = files.map((f) => fs.readFileSync(path.join(LEARNER, f), "utf8")).join("\n");
  vm.runInContext(source + "\n;globalThis.__out = {" + names.join(",") + "};", context, { filename: files.join("+") });
  return context.__out;
}

/* A plain JSON copy: prototype-free maps compare like the vectors' plain objects. */
function plain(value) { return JSON.parse(JSON.stringify(value)); }

function vectors() { return JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "learner-vectors.json"), "utf8")); }

module.exports = { load, plain, vectors, ROOT };
