"""The preview's own texts: its panel, its error overlay and its lines in the terminal.

They are written here in English, keyed by the ids the shell (templates/shell.html) and
preview-lms.js use; their bokmål is in the editors' message catalogue (builder/messages/nb.json)
with every other message of the tool, so the preview speaks the language the CLI speaks
(`kulturskole --english preview`, KULTURSKOLE_LANG=en or an English locale). `{name}` is a value
the shell or the CLI fills in; the bokmål keeps the same names (tests/test_messages.py)."""

from __future__ import annotations

from builder.messages import catalogue, english, msg

ENGLISH = {
    "preview_title": msg("Course preview"),
    "preview_course_region": msg("The course"),
    "preview_frame_title": msg("The course as the learner sees it"),
    "preview_panel_title": msg("What the LMS receives"),
    "preview_intro": msg("The preview plays the LMS (SCORM {version}) and rebuilds the course every time you save a file."),
    "preview_toc_heading": msg("Package contents"),
    "preview_toc_help": msg("How the LMS lists the package: each part (SCO) keeps its own data. Choose a part to open it."),
    "preview_toc_status": msg("Status: {status}"),
    "preview_sco_current": msg("Part {n} of {total}: {title}"),
    "preview_nav_followed": msg("The package asked for “{request}”. The LMS opens “{title}”."),
    "preview_nav_nowhere": msg("The package asked for “{request}”, but there is no part to open there."),
    "preview_nav_none": msg("The package asked for “{request}”. The LMS opens no other part."),
    "preview_build_heading": msg("Build"),
    "preview_build_waiting": msg("Building the course …"),
    "preview_build_ok": msg("Version {n} was built at {time} and is shown now."),
    "preview_build_failed_short": msg("The build at {time} failed."),
    "preview_build_errors": msg("You are seeing the previous version until these errors are fixed:"),
    "preview_build_errors_none": msg("The course will be shown here when these errors are fixed:"),
    "preview_server_gone": msg("The preview does not answer. Is kulturskole preview still running?"),
    "preview_status_heading": msg("Status and score"),
    "preview_status_summary": msg("Status: {status}. Score: {score}."),
    "preview_none": msg("not set"),
    "preview_never": msg("not yet"),
    "preview_el_status": msg("Status"),
    "preview_el_completion": msg("Completed"),
    "preview_el_success": msg("Passed"),
    "preview_el_progress": msg("Share seen"),
    "preview_el_score": msg("Score"),
    "preview_el_scaled": msg("Score (0–1)"),
    "preview_el_location": msg("Bookmark"),
    "preview_el_exit": msg("Exit"),
    "preview_el_session": msg("Session time"),
    "preview_el_entry": msg("Opened as"),
    "preview_el_suspend": msg("Saved answers and reflections"),
    "preview_suspend_size": msg("{n} of {limit} characters used ({percent} %)"),
    "preview_last_commit": msg("Last saved"),
    "preview_calls": msg("Calls"),
    "preview_calls_count": msg("{sets} values set, {commits} saves"),
    "preview_api_errors": msg("The LMS rejected these calls:"),
    "preview_interactions_heading": msg("Answers to questions"),
    "preview_interactions_caption": msg("The answers the LMS has received (interactions)"),
    "preview_no_interactions": msg("No answers yet."),
    "preview_col_id": msg("Question"),
    "preview_col_response": msg("Answer"),
    "preview_col_correct": msg("Correct answer"),
    "preview_col_result": msg("Result"),
    "preview_col_time": msg("Time"),
    "preview_restart": msg("Start again"),
    "preview_restart_help": msg("Deletes everything the LMS has stored in this preview and opens the course as for a new learner."),
    "preview_restarted": msg("Everything is deleted. The course starts again."),
    "preview_serving": msg("The preview is running at {url} – open the address in your browser. Press Ctrl+C to stop."),
    "preview_built": msg("Version {n} was built at {time}."),
    "preview_build_failed": msg("The course cannot be built. The preview shows the previous version until the errors are fixed:"),
    "preview_stopped": msg("The preview has stopped."),
    "preview_overlay_title": msg("The change could not be built"),
    "preview_overlay_old": msg("Below is the previous version. Fix the problem and this message goes away and the course updates."),
    "preview_overlay_none": msg("The course shows here once the problem is fixed."),
    "preview_overlay_fix": msg("How to fix it:"),
    "preview_overlay_open": msg("Open in VS Code"),
    "preview_overlay_copy": msg("Copy the file's path"),
    "preview_overlay_copied": msg("Copied: paste it under Open file in your editor"),
    "preview_raw_heading": msg("Technical details (SCORM)"),
    "preview_raw_help": msg("The names and values as the LMS stores them."),
    "preview_value_not_attempted": msg("not started"),
    "preview_value_incomplete": msg("started"),
    "preview_value_completed": msg("completed"),
    "preview_value_passed": msg("passed"),
    "preview_value_failed": msg("failed"),
    "preview_value_browsed": msg("browsed only"),
    "preview_value_unknown": msg("unknown"),
    "preview_value_suspend": msg("paused (resumes where the learner left)"),
    "preview_value_logout": msg("logged out"),
    "preview_value_time_out": msg("timed out"),
    "preview_value_normal": msg("normal"),
    "preview_value_ab_initio": msg("first time"),
    "preview_value_resume": msg("resuming"),
    "preview_value_credit": msg("counts"),
    "preview_value_no_credit": msg("does not count"),
    "preview_value_correct": msg("correct"),
    "preview_value_wrong": msg("wrong"),
    "preview_value_incorrect": msg("wrong"),
    "preview_value_neutral": msg("neutral"),
    "preview_value_browse": msg("browse"),
    "preview_value_review": msg("review"),
    "preview_overlay_hide": msg("Close and use the previous version"),
}


def language() -> str:
    """The language the preview speaks: the tool's (builder/messages), bokmål or English."""
    return "en" if english() else "nb"


def texts() -> dict[str, str]:
    """The preview's texts by id in its language (an English text stays English until the
    catalogue has its bokmål; tests/test_messages.py fails on one that has none)."""
    if english():
        return dict(ENGLISH)
    bokmal = catalogue()
    return {key: bokmal.get(text, text) for key, text in ENGLISH.items()}
