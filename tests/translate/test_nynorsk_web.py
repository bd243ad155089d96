"""The nynorsk web edition of the real course (course/locale/nn/): WCAG 2.1 AA with axe and the
page-weight budgets, as for the bokmål edition.

The nynorsk catalogue is built as a draft while some of its segments are still unchecked; a draft
page differs from a reviewed one only by its «Utkast» notice, which is part of what axe checks."""

from __future__ import annotations

import pytest

from builder.build import build
from builder.formats import Options
from builder.loader import load_course
from builder.render.site import plan
from tests.a11y import axe_violations, horizontal_overflow
from tests.bench.pages import FRONT_BUDGET, PAGE_BUDGET, weight
from tests.conftest import ROOT, fresh_page, refuse_outside


@pytest.fixture(scope="module")
def nynorsk():
    return load_course(ROOT / "course", "nn", draft=True)


@pytest.fixture(scope="module")
def nn_web(nynorsk, tmp_path_factory):
    return build(nynorsk, tmp_path_factory.mktemp("nn-web"), ["web"], Options())[0]


def test_the_nynorsk_web_edition_passes_axe_at_phone_and_desktop_width(browser, nynorsk, nn_web):
    """If this broke, a screen-reader user of the nynorsk edition would meet WCAG 2.1 AA failures the
    bokmål edition does not have (a wrong lang, a label lost in translation, contrast of the notice)."""
    kinds = {}
    for p in plan(nynorsk):
        kinds.setdefault(p.kind, p.path)
    problems = []
    with fresh_page(browser) as page:
        outside = refuse_outside(page.context, nn_web.as_uri(), (ROOT / "node_modules").as_uri())
        for path in kinds.values():
            page.goto((nn_web / path).as_uri())
            assert page.evaluate("() => document.documentElement.lang") == "nn"
            for width in (375, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                problems += [f"{path} at {width} px: {v}" for v in axe_violations(page)]
                if horizontal_overflow(page) > 0:
                    problems.append(f"{path} at {width} px: scrolls sideways")
        assert outside == []
    assert problems == []
    assert set(kinds) >= {"front", "page", "quiz", "reflections", "homework", "my-reflections"}


def test_the_nynorsk_web_edition_keeps_the_weight_budgets(nynorsk, nn_web):
    """If this broke, a learner on a phone would download more for the nynorsk course than the budget
    allows (front page ≤ 150 KB first view, each following page ≤ 40 KB new bytes)."""
    w = weight(nn_web, [p.path for p in plan(nynorsk)])
    assert w["front_bytes"] <= FRONT_BUDGET, w["front_bytes"]
    assert {path: n for path, n in w["next_bytes"].items() if n > PAGE_BUDGET} == {}
