"""Rules shared by every source kind."""

import re

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An id becomes part of file names in every package (OLX: <module>_<kind>_<id>.xml) and of LMS
# identifiers; 300 characters made a file name the file system refuses, blamed on --out.
MAX_ID = 64
ID_HINT = (f"use lower-case a–z, digits and hyphens only, at most {MAX_ID} characters, for example "
           "`roller-og-ansvar` (no æ, ø, å or spaces)")


def valid_id(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_ID and bool(_ID.match(value))
