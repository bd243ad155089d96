"""The web edition: a static site in dist/web/ that works from the file system and offline."""

from builder.formats import Format
from builder.render.site import render_site


class WebFormat(Format):
    name = "web"
    description = "static web edition (dist/web/index.html)"

    def build(self, out):
        course = self.course.only(self.options.module) if self.options.module else self.course
        pages = render_site(course, out, edition="web")
        self.options.progress(f"web: {len(pages)} pages")
