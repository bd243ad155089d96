"""`kulturskole preview`: the course served on 127.0.0.1 with a panel that plays the LMS.

rebuild.py builds the whole-course SCORM package (as `kulturskole build` does) into a fresh folder
whenever a source changes, reading again only the changed sources and rendering only the pages
they make (builder/loader/memo.py, PageMemo in builder/render/site.py), and reads its manifest's SCOs; server.py serves the last good build and the
preview shell (templates/shell.html), whose LMS side is preview-lms.js: a course menu of those SCOs,
a learner record per SCO, and the package's navigation requests followed as Moodle's player does.
"""
