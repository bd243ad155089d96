"""Open edX OLX: the pieces of the OLX builder (builder.py, export.py, ...) and its checker
(checks.py). Names shared by both live here, so a package built by one version
of the builder is checked against the same rules."""

from __future__ import annotations

# The OLX tags of the XBlocks we ship in xblocks/ (entry points of the xblock.v1 group).
REFLECTION_TAG = "kulturskole_reflection"
HOMEWORK_TAG = "kulturskole_homework"
OUR_XBLOCKS = (HOMEWORK_TAG, REFLECTION_TAG)

# Components a vertical may hold: the two built-in ones we emit, and our XBlocks.
COMPONENT_TAGS = ("html", "problem") + OUR_XBLOCKS

# Assignment types (GRADER `type`, sequential `format`). Only the final test counts towards
# the course grade: course/README.md says a quiz with `graded: false` does not count.
FINAL_TEST = "Sluttest"
SELF_TEST = "Egentest"
HOMEWORK = "Hjemmeoppgave"
GRADER_LABELS = {FINAL_TEST: "Slutt", SELF_TEST: "Egen", HOMEWORK: "Hjem"}

ORG = "KS"
COURSE_IMAGE = "course_image.png"
