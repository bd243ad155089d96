"""`kulturskole preview`: the course served on 127.0.0.1 with a panel that plays the LMS.

rebuild.py builds the SCORM edition into a fresh folder whenever a source changes; server.py
serves the last good build and the preview shell (templates/shell.html), whose LMS side is
preview-lms.js, both in this folder.
"""
