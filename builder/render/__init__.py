"""Renderers: the model → HTML, PDF and plain text.

* `site`       – the learner pages, one renderer shared by the web edition and the SCORM packages
* `printing`   – the print renderer (handouts, workbook, facilitator guide) for WeasyPrint
* `plaintext`  – HTML fragments as plain text (OLX fields, calendar descriptions, interaction texts)
* `templating` – the jinja2 environments; `strings` – the UI catalogues in assets/i18n/
* `templates/` – web/ (learner pages) and print/
"""
