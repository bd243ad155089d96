"""What an SVG drawing in media/ may hold: the elements, attributes and CSS properties of an
illustration, and nothing else.

A learner can open a picture on its own (a click on the image in some LMSes, "open image in new
tab"), and then it is a document with the package's (the LMS's) rights: a script, an event handler,
an animation that writes `javascript:` into a link (SMIL `<set>`/`<animate>`), or CSS that fetches
from another host (`u\\72l(…)` is `url(…)` once the CSS escape is undone) would run or call out from
there. So this is an allow-list, not a list of known tricks: anything not named below is refused
with its line and what to do. CSS is read after its escapes and comments are undone, as a browser
reads it, and may refer only to parts of the drawing itself (`url(#gradient)`).
"""

from __future__ import annotations

import re

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
HINT = "save the drawing again as plain SVG (in Inkscape: 'Optimized SVG' or 'Plain SVG') without scripts, animation or links"

# Shapes, text, grouping, paint servers, clipping, masking, markers and filters. No <a> (a link),
# <script>, <foreignObject> (HTML inside), <feImage> (fetches), and no animation (<animate>, <set>…).
ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "style", "switch",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feDropShadow", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "feTile", "feTurbulence", "feDisplacementMap", "feConvolveMatrix",
}
ANIMATION = {"animate", "animateMotion", "animateTransform", "animateColor", "set", "mpath", "discard"}

# Presentation properties: allowed as attributes and in CSS.
PROPERTIES = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "color",
    "font", "font-family", "font-size", "font-weight", "font-style", "font-variant", "font-stretch",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "writing-mode", "direction", "unicode-bidi", "white-space",
    "display", "visibility", "overflow", "clip-path", "clip-rule", "mask", "marker", "marker-start",
    "marker-mid", "marker-end", "stop-color", "stop-opacity", "flood-color", "flood-opacity", "lighting-color",
    "filter", "color-interpolation", "color-interpolation-filters", "transform", "transform-origin",
    "transform-box", "paint-order", "vector-effect", "shape-rendering", "text-rendering", "image-rendering",
    "mix-blend-mode", "isolation", "color-scheme",
}
# Geometry, structure, accessibility and filter parameters (attributes only).
ATTRIBUTES = PROPERTIES | {
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "version", "baseProfile",
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "aria-roledescription",
    "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
    "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength", "dx", "dy", "rotate", "textLength",
    "lengthAdjust", "startOffset", "method", "spacing", "side", "offset", "href",
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits",
    "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight",
    "markerUnits", "refX", "refY", "orient", "filterUnits", "primitiveUnits", "in", "in2", "result",
    "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4", "values", "type", "tableValues", "slope",
    "intercept", "amplitude", "exponent", "baseFrequency", "numOctaves", "seed", "stitchTiles", "scale",
    "xChannelSelector", "yChannelSelector", "radius", "order", "kernelMatrix", "divisor", "bias",
    "targetX", "targetY", "edgeMode", "preserveAlpha", "media", "requiredFeatures", "systemLanguage",
}
# A raster picture inside the drawing (<image href="data:image/png;base64,…">) fetches nothing.
_EMBEDDED = re.compile(r"^\s*data:image/(?:png|jpeg|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_HEX = re.compile(r"\\([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?")
_CSS_CHAR = re.compile(r"\\(.)", re.S)
# After unescaping: what makes CSS load or run something. url(#id) refers to the drawing itself.
_CSS_FETCH = re.compile(r"url\s*\((?!\s*['\"]?\s*#)|image-set\s*\(|image\s*\(|cross-fade\s*\(|element\s*\(|"
                        r"expression\s*\(|-moz-binding|behavior\s*:|@import|@font-face|@namespace", re.I)
_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)([^'\")\s]*)", re.I)
_DECLARATION = re.compile(r"(?:^|[;{])\s*([-\w]+)\s*:", re.S)
_AT_RULE = re.compile(r"@([-\w]+)")


def undo_css_escapes(text: str) -> str:
    """CSS as the browser reads it: comments gone, `\\72` → `r`, `\\(` → `(`."""
    def hex_char(m):
        code = int(m.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return _CSS_CHAR.sub(r"\1", _CSS_HEX.sub(hex_char, _CSS_COMMENT.sub("", text)))


def css_problem(text: str, declarations_only: bool) -> str:
    """What is wrong with CSS from an SVG (a style attribute, or a <style> sheet), or ''."""
    css = undo_css_escapes(text)
    fetch = _CSS_FETCH.search(css)
    if fetch:
        return f"loads something from elsewhere ('{fetch.group(0).strip()}' after CSS escapes are undone)"
    for at in _AT_RULE.findall(css):
        if at.lower() != "media":
            return f"uses the CSS rule '@{at}', which a drawing does not need"
    if declarations_only:
        names = _DECLARATION.findall(";" + css)
    else:
        # Inside each {...} block the declarations; outside them selectors (and @media … { }).
        names = [n for block in re.findall(r"\{([^{}]*)\}", css) for n in _DECLARATION.findall(";" + block)]
    for name in names:
        if name.lower() not in PROPERTIES and not name.startswith("--"):
            return f"sets the CSS property '{name}', which is not one a drawing needs"
    return ""


def problems(data: bytes) -> list[tuple[int, str, str]]:
    """(line, what is wrong, what to do) for each thing in an SVG that is not a plain drawing."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return [(err.lineno or 0, f"the SVG file is not well-formed XML ({err.msg})", HINT)]
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        return [(1, "the SVG file declares a DOCTYPE (it can hide entities)", HINT)]
    if root.tag != f"{{{SVG_NS}}}svg":
        return [(root.sourceline or 1, "the file is not an SVG drawing (its root element is not <svg> in the SVG namespace)", HINT)]
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Entity):      # noqa: SLF001 (lxml names its entity node class only so)
                found.append((el.sourceline or 0, "the SVG file uses an entity", HINT))
            continue            # comments and processing instructions are inert in an image
        line = el.sourceline or 0
        ns, _, local = el.tag[1:].partition("}") if el.tag.startswith("{") else ("", "", el.tag)
        if ns != SVG_NS:
            found.append((line, f"the SVG contains a <{local}> element from outside SVG", HINT))
            continue
        if local.lower() in ("script", "foreignobject", "handler", "listener"):
            found.append((line, f"the SVG contains <{local}>, which can run code", HINT))
            continue
        if local in ANIMATION:
            found.append((line, f"the SVG contains the animation <{local}>, which can change the drawing's links "
                                "and attributes after it is checked", "remove the animation; a course picture is still"))
            continue
        if local not in ELEMENTS:
            found.append((line, f"the SVG element <{local}> is not one a drawing needs", HINT))
            continue
        if local == "style" and el.text:
            wrong = css_problem(el.text, declarations_only=False)
            if wrong:
                found.append((line, f"the SVG's <style> {wrong}", HINT))
        for attr, value in el.attrib.items():
            found += _attribute_problems(local, attr, value, line)
    return found


def _attribute_problems(element: str, attr: str, value: str, line: int) -> list[tuple[int, str, str]]:
    ns, _, name = attr[1:].partition("}") if attr.startswith("{") else ("", "", attr)
    if name.lower().startswith("on"):
        return [(line, f"the SVG has an event handler '{name}' on <{element}>, which runs script", HINT)]
    if ns == XML_NS and name in ("lang", "space"):
        return []
    if ns not in ("", XLINK_NS) or (ns == XLINK_NS and name != "href") or \
            (name not in ATTRIBUTES and not name.startswith("data-")):
        shown = f"xlink:{name}" if ns == XLINK_NS else name
        return [(line, f"the SVG attribute '{shown}' on <{element}> is not one a drawing needs", HINT)]
    if name == "href":
        own = value.strip().startswith("#") and element in ("use", "textPath", "linearGradient", "radialGradient",
                                                             "pattern", "filter")
        if not own and not (element == "image" and _EMBEDDED.match(value)):
            return [(line, f"the SVG refers to '{value[:60]}' on <{element}>; a picture may only refer to parts "
                           "of itself (or hold a PNG, JPEG or WebP picture inside)", HINT)]
        return []
    if name == "style":
        wrong = css_problem(value, declarations_only=True)
        return [(line, f"the SVG's style on <{element}> {wrong}", HINT)] if wrong else []
    outside = _URL.search(undo_css_escapes(value))     # fill="url(https://…)" is CSS too
    if outside:
        return [(line, f"the SVG loads '{outside.group(1)[:60]}' from elsewhere ({name} on <{element}>)", HINT)]
    return []
