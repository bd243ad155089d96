"""The output scanner (tests/safety.py) itself: it must see the tricks that once got past the
builder's SVG check, or a test that relies on it would pass a dangerous package."""

import pytest

from tests.safety import scan_file

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'
BYPASSES = {
    "css-escaped-url": '<style>circle{fill:u\\72l(https://evil.example/p.svg#g)}</style><circle r="4"/>',
    "css-escaped-url-with-comment": '<style>circle{fill:u/**/\\72 l(https://evil.example/p.svg#g)}</style><circle r="4"/>',
    "css-escaped-import": '<style>@\\69mport "https://evil.example/x.css";</style><circle r="4"/>',
    "smil-set-href": '<a><set attributeName="href" to="javascript:alert(1)"/><text y="5">Klikk</text></a>',
    "smil-animate-xlink-href": '<a xlink:href="#x"><animate attributeName="xlink:href" values="#x;javascript:alert(1)" '
                               'dur="1s"/><text y="5">Klikk</text></a>',
    "smil-set-event-handler": '<set attributeName="onclick" to="alert(1)"/>',
}
HARMLESS = ('<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
            '<style>circle{fill:url(#g);stroke:\\23 222}</style><circle r="4"/>'
            '<rect width="2" height="2"><animate attributeName="opacity" values="0;1" dur="1s"/></rect>')


@pytest.mark.parametrize("body", BYPASSES.values(), ids=BYPASSES.keys())
def test_scanner_sees_svg_bypass(body):
    """If this broke, the hostile-catalogue tests would call a package safe that fetches from
    another host or puts a javascript: link into a drawing a learner opens."""
    data = SVG.format(body).encode()
    assert scan_file("media/bilde.svg", data, []) != []
    # The same drawing inside an HTML page (an inline <svg>): the scanner reads it there too.
    html = f"<!doctype html><title>x</title><body>{SVG.format(body)}</body>".encode()
    assert scan_file("side.html", html, []) != []


def test_scanner_passes_a_plain_drawing():
    """If this broke, every build with a gradient or a fade-in would be reported unsafe, and the
    hostile tests would prove nothing (they would fail for everything)."""
    assert scan_file("media/bilde.svg", SVG.format(HARMLESS).encode(), []) == []
