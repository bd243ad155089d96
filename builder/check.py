"""`kulturskole check FILE`: every format is asked whether FILE is its own (`claims`), and the
ones that claim it judge it (`check`). A zip that is no SCORM package, or an IMS Common
Cartridge, is therefore never judged by SCORM rules."""

from __future__ import annotations

from pathlib import Path

from builder.errors import Problem
from builder.formats import Format, registry


def claimants(path: Path) -> list[type[Format]]:
    """The formats that say `path` is theirs."""
    return [cls for cls in registry().values() if getattr(cls, "claims", None) and cls.claims(path)]


def check_file(path: Path) -> list[Problem]:
    """The problems the formats that claim FILE find in it."""
    owners = [cls for cls in claimants(path) if getattr(cls, "check", None)]
    if not owners:
        judges = [name for name, cls in registry().items() if getattr(cls, "check", None)]
        return [Problem(str(path), 0, "not a package this tool knows: no format claims it",
                        f"give a package of a format that checks files ({', '.join(judges)}; "
                        "see `kulturskole build --help`)")]
    # scorm12 and scorm2004 claim the same zips and run the same checker: judge once per checker.
    checkers = list(dict.fromkeys(cls.check for cls in owners))
    return sorted(set(p for check in checkers for p in check(Path(path))))
