"""Course-as-code toolkit: compiles the documents in course/ into LMS packages."""

__version__ = "0.1.0"
