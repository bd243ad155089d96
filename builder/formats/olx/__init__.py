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
# The roles; the names Open edX shows learners (Progress page) are the edition's words (labels.py).
FINAL_TEST, SELF_TEST, HOMEWORK = "final_test", "self_test", "homework"
ASSIGNMENT_ROLES = (FINAL_TEST, SELF_TEST, HOMEWORK)


def assignment_types(ui: dict) -> dict[str, str]:
    """role → the assignment type's name in the edition (ui: olx.labels.labels(language))."""
    return {role: ui[f"type_{role}"] for role in ASSIGNMENT_ROLES}

ORG = "KS"
COURSE_IMAGE = "course_image.png"
