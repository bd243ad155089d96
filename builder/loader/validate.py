"""Rules shared by every source kind."""

import re

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_HINT = "use lower-case a–z, digits and hyphens only, for example `roller-og-ansvar` (no æ, ø, å or spaces)"


def valid_id(value) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))
