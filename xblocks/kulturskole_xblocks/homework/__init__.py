"""Homework XBlock package (entry point ``kulturskole_homework``)."""

from .block import HomeworkXBlock

__all__ = ["HomeworkXBlock"]
