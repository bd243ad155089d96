"""The web edition: a static site in dist/web/ that works from the file system and offline.
A module build (`--module X`) is a site of that module alone, in dist/web/modules/X/, so it never
replaces the whole course's pages."""

from builder.formats import Format
from builder.render.site import render_site


class WebFormat(Format):
    name = "web"
    description = "static web edition (dist/web/index.html)"

    def build(self, out):
        module = self.options.module
        course, out = (self.course.only(module), out / "modules" / module) if module else (self.course, out)
        pages = render_site(course, out, edition="web")
        self.options.progress(f"web: {len(pages)} pages")
