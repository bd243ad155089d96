"""Deterministic ASCII identifiers: the same course always gives the same manifest.

An LMS links a learner's tracking data to these identifiers when a package is updated, so they
depend only on the course id, the module id (for a module package) and the SCORM version —
never on the course version, the build time or a random value. They are valid xs:ID values
(NCName: start with a letter, no colon, no space)."""

from __future__ import annotations

import re

from builder.formats.scorm.editions import Edition

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def _clean(part: str) -> str:
    return _SAFE.sub("-", part)


def package_ids(course_id: str, module_id: str | None, edition: Edition) -> dict[str, str]:
    scope = _clean(course_id) + (f".{_clean(module_id)}" if module_id else "")
    return {
        "manifest": f"kulturskole.{scope}.{edition.name}",
        "organization": f"ORG-{scope}",
        "item": f"ITEM-{scope}",
        "resource": f"RES-{scope}",
        "objective": f"OBJ-{scope}",
    }


def sco_ids(ids: dict[str, str], module_id: str) -> dict[str, str]:
    """Item and resource ids of one SCO: the package's own for a single-SCO package (module_id ""),
    else the module's, the same as in that module's own package. Moodle keeps a learner's data per
    item identifier when a package is replaced, so these must not change between builds."""
    if not module_id:
        return {"item": ids["item"], "resource": ids["resource"]}
    return {"item": f"{ids['item']}.{_clean(module_id)}", "resource": f"{ids['resource']}.{_clean(module_id)}"}


def interaction_id(quiz_id: str, question_id: str) -> str:
    """ASCII, no spaces: valid as a 1.2 CMIIdentifier and a 2004 long identifier."""
    return f"{_clean(quiz_id)}.{_clean(question_id)}"
