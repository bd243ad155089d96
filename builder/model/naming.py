"""The names of the files the course's editions write besides the editors' own pages.

One place, because the loader refuses a page file that one of them would overwrite, the site
writes them, and templates link to them."""

from __future__ import annotations

# The pages the site writes into every module's folder besides the module's own pages, by kind.
MODULE_PAGES = {"reflections": "refleksjon", "quiz": "quiz", "homework": "hjemmearbeid", "module-print": "hele-modulen"}
# `<module>/index.html` is what a web server shows for the module's folder itself.
RESERVED_PAGE_IDS = (*MODULE_PAGES.values(), "index")
PRINT_PAGE = f"{MODULE_PAGES['module-print']}.html"
MY_REFLECTIONS = "mine-refleksjoner.html"   # every reflection of the course on one page
CERTIFICATE = "kursbevis.html"              # the course certificate, shown once the final test is passed
ANSWERS = "svar.js"     # a graded quiz's correct answers and explanations, beside its page
