"""The jinja2 environments of the builders: one per template folder, compiled once
per process, so the many packages of one build reuse the compiled templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from builder.model import dates, naming
from builder.infra.paths import TEMPLATES


@lru_cache(maxsize=None)
def environment(folder: str | Path) -> jinja2.Environment:
    """`folder`: a folder of builder/render/templates/, or a format's own templates folder (a Path)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, auto_reload=False)
    # auto_reload=False: templates ship with the builder and do not change during a build, and
    # checking them costs a stat() per rendered page.
    env.globals["names"] = naming      # the file names the site writes (names.MY_REFLECTIONS …)
    env.filters["norsk_date"] = lambda d: dates.norwegian(d) if d else ""
    return env
