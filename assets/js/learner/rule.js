/* The pass rule, in integers: at least `mastery` % of `total` right, never rounded (35 of 44 is
 * 79.5 %: not passed at 80). Twin of builder.model.passes; which quizzes count and the mastery come
 * from the build (builder.model.Course.counting_quizzes), the same for the page and the runtime.
 * The runtime's scaled score floor(correct × 10000 / total) ≥ mastery × 100 is the same rule.
 */
var KSRule = {
  passes: function (correct, total, mastery) { return total > 0 && correct * 100 >= mastery * total; },
  scaled: function (correct, total) { return total > 0 ? Math.floor(correct * 10000 / total) : 0; }
};
