"""Moodle's SCORM player as the Moodle tests meet it: the frame that runs one of our SCOs, and the
course page inside it. Shared by test_moodle_scorm.py and test_moodle_a11y.py, which put the kit
(../shared/moodle) on sys.path before they import this."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError


def sco_frame(page, launch: str, timeout: float = 20_000):
    """Moodle's #scorm_object frame once it shows `launch` with the package's runtime running. Moodle
    replaces the frame when it changes SCO, and the package then reloads the player page for that SCO
    (a player page's API serves one SCO: see scorm-runtime.js), so the frame is looked up again until
    it is there."""
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        try:
            handle = page.query_selector("#scorm_object")
            frame = handle.content_frame() if handle else None
            if frame and frame.url.split("?")[0].endswith("/" + launch):
                frame.wait_for_load_state("load")
                if frame.evaluate("() => !!window.KSRuntime"):      # not a SCO that is reopening the player
                    return frame
        except PlaywrightError:       # the player page is being reloaded
            pass
        page.wait_for_timeout(200)
    raise AssertionError(f"Moodle did not launch {launch}")


def course_page(sco, path: str):
    """The course frame inside the SCO, once it shows `path` and its scripts have run."""
    import moodle_test as mt
    inner = mt.content_frame(sco)
    inner.locator(f'body[data-path="{path}"]').wait_for(timeout=15_000)
    inner.wait_for_load_state("load")
    return inner
