"""Who stands behind the course: `owners:` in course.yml, in every page's header and on the certificate."""

from __future__ import annotations

from click.testing import CliRunner

from builder.cli import main
from builder.loader import load_course
from builder.render.site import site_files

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 24"><rect width="80" height="24" fill="#0b5d7a"/></svg>\n'


def _with_owners(course_dir, owners: str) -> None:
    yml = course_dir / "course.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + owners, encoding="utf-8")


def test_the_owners_are_in_every_header_and_on_the_certificate(example_course):
    """If this broke, a public-sector learner would not see who stands behind the course until the footer."""
    (example_course / "media" / "logo-ks.svg").write_text(LOGO, encoding="utf-8")
    _with_owners(example_course, "owners:\n  - name: KS\n    logo: logo-ks.svg\n  - name: Norsk kulturskoleråd\n")
    course = load_course(example_course)
    _, files = site_files(course, edition="web")
    for name in ("index.html", "roller/roller.html", "kursbevis.html"):
        page = files[name].decode("utf-8")
        header = page[page.index('<header class="site">'):page.index("</header>")]
        assert 'alt="KS"' in header and "<span>Norsk kulturskoleråd</span>" in header, name
    assert "Utgitt av KS og Norsk kulturskoleråd" in files["kursbevis.html"].decode("utf-8")
    assert files["media/logo-ks.svg"]


def test_a_logo_must_be_a_safe_svg_in_media(example_course):
    """If this broke, a logo could carry a script into every page of the course, or point at nothing."""
    _with_owners(example_course, "owners:\n  - name: KS\n    logo: finnes-ikke.svg\n")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1 and "the logo 'finnes-ikke.svg' is not an SVG file in media/" in result.output
    (example_course / "media" / "finnes-ikke.svg").write_text(
        LOGO.replace("<rect", '<script>alert(1)</script><rect'), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--course", str(example_course)])
    assert result.exit_code == 1 and "finnes-ikke.svg" in result.output and "script" in result.output.lower(), result.output
