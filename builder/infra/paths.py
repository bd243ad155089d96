"""Where the builder's shared files live, inside the installed package or the repository."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# The templates of the learner pages and the print renderer; a format's own templates sit in its folder.
TEMPLATES = PACKAGE / "render" / "templates"
# The learner-facing assets/ sits at the top of the repository; builder/data/assets is a symlink
# to it, which setuptools follows, so a wheel carries a real copy and an editable install reads
# the repository's files.
ASSETS = PACKAGE / "data" / "assets"
