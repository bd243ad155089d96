"""`kulturskole check NEW.zip --against OLD.zip`: is replacing OLD by NEW in an existing LMS activity
safe for what learners stored?

Moodle keeps a learner's data per SCO item identifier when a package is replaced: the data of an
item that is gone is deleted. Inside a SCO, the runtime reads answers and seen pages only when the
structure fingerprint matches (budget.py), and reflections by their id, up to the new package's limit.
So the comparison is per SCO: items, fingerprint, reflection ids and their limits.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from builder.infra import archives

_CONFIG = re.compile(r'<script type="application/json" id="ks-scorm-config">(.*?)</script>', re.S)


@dataclass
class Verdict:
    safe: bool = True                   # nothing a learner stored is lost or cut
    text_only: bool = True              # and nothing is reset (answers, seen pages)
    findings: list[str] = field(default_factory=list)

    def lose(self, text: str) -> None:
        self.safe = self.text_only = False
        self.findings.append(text)

    def reset(self, text: str) -> None:
        self.text_only = False
        self.findings.append(text)


def _scos(path: Path) -> tuple[str, dict[str, dict]]:
    """(manifest identifier, {item identifier: launch config or {}}) of a SCORM zip; archives.Refused
    (one line) when it is no readable SCORM package."""
    hint = "give the SCORM zip as `kulturskole build` wrote it (dist/scorm12/… or dist/scorm2004/…)"
    try:
        with zipfile.ZipFile(path) as zf:
            names = {i.filename for i in archives.zip_members(zf, hint)}
            if "imsmanifest.xml" not in names:
                raise archives.Refused("", "not a SCORM package: there is no imsmanifest.xml at the root of the zip", hint)
            try:
                root = archives.xml(archives.zip_read(zf, "imsmanifest.xml", hint))
            except etree.XMLSyntaxError as err:
                raise archives.Refused("imsmanifest.xml", f"not well-formed XML (line {err.lineno}: {err.msg})", hint) from None
            ns = {"cp": root.nsmap.get(None) or ""}
            out = {}
            for item in root.findall(".//cp:organization//cp:item[@identifierref]", ns):
                res = root.find(f".//cp:resource[@identifier='{_quoted(item.get('identifierref'))}']", ns)
                config = {}
                if res is not None and res.get("href") in names:
                    m = _CONFIG.search(archives.zip_read(zf, res.get("href"), hint).decode("utf-8", "replace"))
                    try:
                        config = json.loads(m.group(1)) if m else {}
                    except ValueError:
                        config = {}
                out[item.get("identifier")] = config if isinstance(config, dict) else {}
            return root.get("identifier"), out
    except (zipfile.BadZipFile, OSError) as err:
        raise archives.Refused("", f"not a readable zip file ({err})", hint) from None


def _named(path: Path):
    try:
        return _scos(path)
    except archives.Refused as refused:
        refused.package = str(path)
        raise


def _quoted(value: str | None) -> str:
    """An identifier inside an XPath '…' literal; ours never hold a quote, a foreign one may."""
    return (value or "").replace("'", "")


def compare(new: Path, old: Path) -> Verdict:
    verdict = Verdict()
    new_id, new_scos = _named(new)
    old_id, old_scos = _named(old)
    if new_id != old_id:
        verdict.lose(f"the packages are not the same course and version: {old_id} → {new_id}; "
                     f"Moodle would treat every SCO as new")
    for item, before in old_scos.items():
        after = new_scos.get(item)
        if after is None:
            verdict.lose(f"SCO {item} is gone: Moodle deletes what learners stored in it (answers, "
                         f"reflections, progress) when the package is replaced")
            continue
        if before.get("layout", {}).get("fingerprint") != after.get("layout", {}).get("fingerprint"):
            verdict.reset(f"SCO {item}: pages, questions or homework changed, so learners' answers and "
                          f"seen pages start again there (their reflections are kept)")
        old_caps, new_caps = before.get("caps", {}), after.get("caps", {})
        for rid, cap in sorted(old_caps.items()):
            if rid not in new_caps:
                verdict.lose(f"SCO {item}: reflection {rid} is no longer in it; learners' text for it "
                             f"would no longer be shown")
            elif new_caps[rid] < cap:
                verdict.lose(f"SCO {item}: reflection {rid} now holds {new_caps[rid]:,} characters instead of "
                             f"{cap:,}; longer texts would be cut")
    for item in new_scos.keys() - old_scos.keys():
        verdict.findings.append(f"SCO {item} is new (learners start it empty)")
    return verdict
