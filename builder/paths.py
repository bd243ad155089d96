"""Where the builder's shared files live, inside the installed package or the repository."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
# assets/ sits beside builder/ in the repository; an installed wheel carries a copy in builder/data/assets.
ASSETS = PACKAGE.parent / "assets" if (PACKAGE.parent / "assets").is_dir() else PACKAGE / "data" / "assets"
