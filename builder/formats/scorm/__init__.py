"""Shared parts of the SCORM 1.2 and SCORM 2004 (4th edition) outputs.

* `ids`       – deterministic ASCII identifiers for manifests and interactions
* `manifest`  – writes imsmanifest.xml for either version
* `budget`    – the compact suspend_data encoding and its worst case, per-reflection caps for 1.2
* `xsd`       – the official ADL schemas (from node_modules) with the two patches lxml needs
* `checks`    – everything a SCORM zip must satisfy, beyond the XSDs (any package, not only ours)
* `package`   – the build steps both builders share
"""

from pathlib import Path

# imsmanifest-<version>.xml and launch.html
TEMPLATES = Path(__file__).parent / "templates"
