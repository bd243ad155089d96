"""XBlocks for the "Fremtidens kulturskole" course.

Two blocks, each in its own subpackage and registered as ``xblock.v1`` entry points:

* ``kulturskole_reflection`` -> :class:`kulturskole_xblocks.reflection.block.ReflectionXBlock`
* ``kulturskole_homework`` -> :class:`kulturskole_xblocks.homework.block.HomeworkXBlock`

What both share, each in a module named for what it does:

* :mod:`~kulturskole_xblocks.submission` — the base block: draft/submit, the facilitator overview, the view;
* :mod:`~kulturskole_xblocks.users` — who is staff, the learner's key, name and time zone;
* :mod:`~kulturskole_xblocks.handlers` — capped, validated JSON handlers;
* :mod:`~kulturskole_xblocks.i18n` — the bundled gettext catalogs;
* :mod:`~kulturskole_xblocks.dates` and :mod:`~kulturskole_xblocks.csv_export`.
"""
