"""Reflection XBlock package (entry point ``kulturskole_reflection``)."""

from .block import ReflectionXBlock

__all__ = ["ReflectionXBlock"]
