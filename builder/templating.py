"""The jinja2 environments of the builders: one per folder of builder/templates/, compiled once
per process, so the many packages of one build reuse the compiled templates."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from builder import dates
from builder.paths import TEMPLATES


@lru_cache(maxsize=None)
def environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, auto_reload=False)
    # auto_reload=False: templates ship with the builder and do not change during a build, and
    # checking them costs a stat() per rendered page.
    env.filters["norsk_date"] = lambda d: dates.norwegian(d) if d else ""
    return env
