"""XBlocks for the "Fremtidens kulturskole" course.

Two blocks, each in its own subpackage and registered as ``xblock.v1`` entry points:

* ``kulturskole_reflection`` -> :class:`xblocks.reflection.block.ReflectionXBlock`
* ``kulturskole_homework`` -> :class:`xblocks.homework.block.HomeworkXBlock`

Shared machinery (i18n, request validation, staff detection, the submissions
overview for facilitators) lives in :mod:`xblocks.common`.
"""
