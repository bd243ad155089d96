"""The course's look: Digdir's Designsystemet (npm: @digdir/designsystemet-css and -theme), the
course colour from course.yml turned into the theme's accent tokens, and only the component
stylesheets the pages of a package use.

Designsystemet arrives through npm (package.json `dependencies`; `npm ci --omit=dev`), never through
this repository. builder/data/designsystemet/{css,theme} are symlinks into node_modules, which
setuptools follows, so a wheel carries the published files and an editable install reads them
where npm put them. Every package gets `assets/designsystemet.css`: the theme's tokens,
Designsystemet's base, and the component files whose classes the package's pages (or the page
scripts) use, each in the cascade layer Designsystemet's own index.css puts it in. The form
components (FORM_COMPONENTS) go into a second file, `assets/designsystemet-forms.css`, which only
the quiz, reflection and homework pages link: a fifth of the CSS that the front page's first view
would otherwise carry for controls it does not have. Likewise the components that only the pages
after the front page use (breadcrumbs, glossary popovers) go into `assets/designsystemet-pages.css`,
which the pages without form controls link, and into the forms file too, so every page links at
most two of Designsystemet's files: the front page's render-blocking CSS is what it shows, and no
page waits for one more file than before (a phone on HTTP/1.1 opens 6 connections at a time).
All leave out the declarations of --ds-* tokens that nothing a package ships reads (without_unused_tokens).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import tinycss2

from builder.infra.paths import PACKAGE
from builder.model.colour import BLACK, WHITE, hexed, mix, parse_colour, until

ROOT = PACKAGE / "data" / "designsystemet"
CSS = ROOT / "css"          # -> node_modules/@digdir/designsystemet-css
THEME = ROOT / "theme"      # -> node_modules/@digdir/designsystemet-theme
STYLESHEET = "designsystemet.css"
FORM_STYLESHEET = "designsystemet-forms.css"
PAGES_STYLESHEET = "designsystemet-pages.css"
# The components of form controls (quiz, reflection and homework pages; the templates that link
# FORM_STYLESHEET). Everything else every page may use goes into STYLESHEET.
FORM_COMPONENTS = ("field", "fieldset", "input", "label", "validation-message")

# Without a leading \b the pattern starts with the literal "ds-", which re finds by a fast scan;
# the word boundary is checked on the few matches instead (14x faster on a course's pages, where
# this scan was a tenth of a SCORM build: every package reads all its pages).
_CLASS = re.compile(r"ds-[a-z0-9]+(?:-[a-z0-9]+)*")


def _classes(text: str) -> set[str]:
    """The ds-* class names in `text` (as the word-bounded pattern \bds-… would find them)."""
    return {m.group() for m in _CLASS.finditer(text)
            if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")}


class Missing(RuntimeError):
    """Designsystemet is not installed: the build cannot make the pages' look."""


@lru_cache(maxsize=None)
def _read(path: Path) -> str:
    """A file of the installed Designsystemet (read once per process: every package of a build, and
    every save in the preview, needs the same component files; 11 ms a time under load)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Missing(f"Designsystemet is not installed ({path} is missing): run `npm ci --omit=dev` "
                      "in the repository (README, first command)") from None


@lru_cache(maxsize=None)
def versions() -> dict[str, str]:
    """The installed versions, e.g. {"@digdir/designsystemet-css": "1.22.0", ...}."""
    found = {}
    for folder in (CSS, THEME):
        meta = json.loads(_read(folder / "package.json"))
        found[meta["name"]] = meta["version"]
    return found


@lru_cache(maxsize=None)
def components() -> dict[str, frozenset[str]]:
    """Each component stylesheet (file stem) and the ds-* classes it styles. base.css is not a
    component: every package needs it. index.css is the whole bundle; the others are aliases or
    workarounds that the bundle itself does not use either."""
    folder = CSS / "dist" / "src"
    if not folder.is_dir():
        _read(folder / "index.css")
    skip = {"index", "base", "data-size-workaround", "skiplink", "togglegroup"}
    found = {}
    for path in sorted(folder.glob("*.css")):
        if path.stem in skip:
            continue
        # A component's own classes are those named after it (.ds-card, .ds-card__block); a file also
        # mentions other components' classes (card.css styles a .ds-details inside a card).
        own = {c for c in _classes(path.read_text(encoding="utf-8")) if c.split("__")[0] == f"ds-{path.stem}"}
        found[path.stem] = frozenset(own or {f"ds-{path.stem}"})
    return found


_COLOUR_BLOCK = re.compile(r'@layer ds\.theme\.color\{\[data-color="([a-z0-9]+)"\][^{]*\{[^}]*\}\}')


_DATA_COLOUR = re.compile(r'data-color="([a-z0-9]+)"')


# Every word of a page or script (a class, an element or attribute name, an attribute's value, a
# string in a script), as `w:<word>`: what selected() asks for before it keeps a rule.
_WORD = re.compile(r"[A-Za-z][\w-]*")


def usage(text: str | bytes) -> frozenset[str]:
    """All that stylesheets() looks for in a page or script: its ds-* classes, its colour roles
    (data-color="<role>", as `data-color=<role>`), the --tokens it names and, of its words, those a
    rule of Designsystemet's stylesheets can ask for (`w:<word>`, named_words()): the stylesheets are
    kept in the build cache by what the pages use, so a prose edit that brings no such word finds
    them there. A caller that keeps the pages of a site between builds keeps this with them (the
    preview: builder/render/site.py)."""
    data, text = (text, text.decode("utf-8")) if isinstance(text, bytes) else (text.encode("utf-8"), text)
    return frozenset(_classes(text) | {f"data-color={role}" for role in _DATA_COLOUR.findall(text)}
                     | set(_TOKEN.findall(text)) | {f"w:{w.decode()}" for w in _named_in(data)})


# The bytes that are not ASCII word characters or hyphens, as spaces (bytes.translate).
_NOT_WORD = bytes(c if chr(c).isascii() and (chr(c).isalnum() or chr(c) in "_-") else 32 for c in range(256))


def _named_in(data: bytes) -> set[bytes]:
    """The named_words() among the words _WORD finds in `data` read as ASCII (every non-ASCII byte a
    space): those it finds in the text and, where a word has letters beyond ASCII, its ASCII pieces
    too (more words, never fewer, so a rule is kept rather than dropped). Splitting is twice as fast
    as the regular expression, and this scan was most of usage(): 0.15 against 0.34 s of CPU for the
    807 pages and scripts of a 100-module package (measured 22:20, load ~25)."""
    found = set(data.translate(_NOT_WORD).split())
    named = _named_bytes()
    return named.intersection(found) | named.intersection(w.lstrip(b"-_0123456789") for w in found if not w[:1].isalpha())


@lru_cache(maxsize=None)
def _named_bytes() -> frozenset[bytes]:
    return frozenset(w.encode() for w in named_words())


@lru_cache(maxsize=None)
def named_words() -> frozenset[str]:
    """Every word a rule of Designsystemet's base or component stylesheets may ask a page for before
    selected() keeps it (a class, an element's name, a word of an attribute's value; more rather than
    fewer: every identifier and every word of a string in a selector). What selected() keeps depends
    on no other word of the pages. Worked out once per Designsystemet release and kept in the build
    cache (parsing the 38 files: 0.12 s of CPU, idle; the selection reuses the parsed used ones)."""
    from builder.infra import cache
    src = CSS / "dist" / "src"
    files = ["base", *components()]
    key = cache.key_or_none(lambda: cache.key("css-words", json.dumps(versions(), sort_keys=True)))
    words = cache.kept("css-words", key, lambda: "\n".join(sorted(set().union(
        *(_asked(_rules(_read(src / f"{name}.css"))) for name in files)))).encode())
    return frozenset(words.decode().split("\n"))


def _without_unused_colours(css: str, used: frozenset[str]) -> str:
    """The theme without the blocks that map a colour role onto an element with data-color="<role>"
    when no page has such an element (the course's boxes use the role tokens by name instead)."""
    def keep(m):
        return m.group(0) if f"data-color={m.group(1)}" in used else ""
    return _COLOUR_BLOCK.sub(keep, css)


_DECLARATION = re.compile(r"(--[\w-]+):[^;{}]*;")


def _without_overridden(css: str, course: str) -> str:
    """The theme without its declarations of the tokens the course colour declares (`course`,
    accent_tokens()): that block comes later in the same layer, with the same selectors for both
    schemes, so the theme's accent values never apply (1.3 KB of --ds-color-accent-* in the published
    theme, ~0.9 KB of them in the front page's first view once unused tokens are out)."""
    names = set(_DECLARATION.findall(course))
    return _DECLARATION.sub(lambda m: "" if m.group(1) in names else m.group(0), css)


def used_components(texts) -> list[str]:
    """The component files whose classes appear in any of `texts` (pages, the page script)."""
    classes = set()
    for text in texts:
        classes.update(_classes(text))
    return _components_of(classes)


def _components_of(used) -> list[str]:
    return [name for name, own in components().items() if own & used]


# ks-base: the course's plain-element styles (assets/css/kurs.css), below all of Designsystemet.
_LAYERS = "@layer ks-base, ds.theme, ds.base, ds.components;"


def _header(used: list[str]) -> str:
    v = versions()
    return (f"/* Designsystemet (Digdir, MIT): @digdir/designsystemet-theme {v['@digdir/designsystemet-theme']}, "
            f"@digdir/designsystemet-css {v['@digdir/designsystemet-css']}; components: {', '.join(used)}. "
            "Copied by the course build from npm; do not edit. */")


def stylesheets(texts, colour: str, own=(), front=None) -> dict[str, bytes]:
    """A package's three stylesheets (file name → bytes): STYLESHEET with theme, course colour, base and
    the components the front page uses (`front`: its HTML and script; all, without it); PAGES_STYLESHEET
    with the other used components but the form components; FORM_STYLESHEET with those and the form
    components. Only used components ship, and only the tokens that they, `texts` or our own
    stylesheets `own` (kurs.css) use."""
    return stylesheets_for(frozenset().union(*(usage(t) for t in texts)), colour, own,
                           None if front is None else frozenset().union(*(usage(t) for t in front)))


def stylesheets_for(used: frozenset[str], colour: str, own=(), front: frozenset[str] | None = None) -> dict[str, bytes]:
    """stylesheets() of texts whose usage() together is `used` (and of the front page's: `front`),
    from the build cache when exactly these were asked for before: working them out (reading the
    theme's ~480 token declarations) was 20–35 ms of CPU in every build process that renders a
    site or a package (measured 19:25 on the real course; from the cache 0.5–0.8 ms), and a page edit that uses no
    new component or token asks for the same ones."""
    from builder.infra import cache
    # Designsystemet's installed versions are part of the key (the toolkit digest covers builder/,
    # not node_modules/): after `npm ci` brings another version the stylesheets are worked out again,
    # and without Designsystemet installed versions() stops the build with what to run, cache or not.
    # Of the pages' words `used` holds only those a rule can ask for (usage()), so a prose edit hits.
    key = cache.key_or_none(lambda: cache.key("stylesheets", json.dumps(versions(), sort_keys=True), "\n".join(sorted(used)),
                                              colour, "\0".join(own), "\n".join(sorted(front)) if front is not None else "\0"))
    return cache.kept("stylesheets", key, lambda: _stylesheets_for(used, colour, own, front), pickled=True)


def _stylesheets_for(used: frozenset[str], colour: str, own=(), front: frozenset[str] | None = None) -> dict[str, bytes]:
    """stylesheets_for() worked out.
    Measured on the course (tests/bench/pages.py): breadcrumbs and popover out of the front page's
    first view take it from 150.8 to 146.1 KB. No other component's CSS names theirs, so the cascade
    is the same whether they come in the first file or a later one."""
    components_used = _components_of(used)
    on_front = set(components_used if front is None else _components_of(front))
    common = [name for name in components_used if name not in FORM_COMPONENTS and name in on_front]
    pages = [name for name in components_used if name not in FORM_COMPONENTS and name not in on_front]
    forms = [name for name in components_used if name in FORM_COMPONENTS]
    src = CSS / "dist" / "src"

    def components_css(names):
        return ["@layer ds.components{" + selected(_read(src / f"{name}.css"), used) + "}" for name in names]
    course = accent_tokens(colour)
    main = [_header(common), _LAYERS, _without_overridden(_without_unused_colours(theme(), used), course), course,
            "@layer ds.base{" + selected(_read(src / "base.css"), used) + "}", *components_css(common)]
    # The same layer order again: cascade layers merge across files, whichever loads first.
    more = [[_header(names), _LAYERS, *components_css(names)] for names in (pages, pages + forms)]
    named = " ".join(sorted(t for t in used if t.startswith("--")))     # the texts' tokens, as one text
    sheets = without_unused_tokens(["\n".join(main), *("\n".join(m) for m in more)], [*own, named])
    return {name: css.encode("utf-8") for name, css in zip((STYLESHEET, PAGES_STYLESHEET, FORM_STYLESHEET), sheets)}


# Unused rules. A component file styles every variant, size and state of its component, and of the
# elements it may be used on; our pages use few of them (no switch, no select, no secondary buttons
# on cards). selected() keeps a rule when one of its selectors asks only for words some page or script
# has: each class, element name and attribute value outside :not() (an :is()/:where()/:has() list when
# one of its selectors does). A class a script adds is a string in the script, so it counts; a word
# that is only prose counts too, which keeps a rule rather than drops it. Pseudo-classes (:hover,
# :checked) and attribute names ask for nothing, and rules nested inside a rule are kept whole.
# Measured on the course's web edition (tests/bench/pages.py): designsystemet.css 39.9 → 33.2 KB,
# designsystemet-forms.css 28.0 → 24.4 KB; the front page's first view 147.8 → 141.2 KB.
@lru_cache(maxsize=64)
def _rules(css: str):
    return tinycss2.parse_stylesheet(css)


def selected(css: str, used: frozenset[str]) -> str:
    """`css` without the rules (and the selectors of a list) that ask for a word `used` lacks (see above)."""
    return "".join(_selected(_rules(css), used))


def _selected(rules, used):
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(t.type == "{} block" for t in rule.content):         # nested rules: kept whole
                yield rule.serialize()
                continue
            kept = [s for s in _alternatives(rule.prelude) if _may_match(s, used)]
            if kept:
                yield ",".join(tinycss2.serialize(s).strip() for s in kept) + "{" + tinycss2.serialize(rule.content) + "}"
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPS:
            inner = "".join(_selected(tinycss2.parse_rule_list(rule.content), used))
            if inner:
                yield f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}"
        elif rule.type != "error":
            yield rule.serialize()


_GROUPS = {"media", "supports", "layer", "container", "scope", "starting-style"}


def _alternatives(tokens) -> list[list]:
    """A selector list's selectors (split at the commas outside brackets and functions)."""
    out = [[]]
    for t in tokens:
        if t.type == "literal" and t.value == ",":
            out.append([])
        else:
            out[-1].append(t)
    return [s for s in out if any(t.type not in ("whitespace", "comment") for t in s)]


def _asked(rules) -> set[str]:
    """Every identifier, and every word of a string or identifier, in the selectors of `rules`
    (into group rules, as _selected goes): a superset of what _may_match looks up."""
    found = set()

    def tokens(items):
        for t in items:
            if t.type == "ident" and "\n" not in t.value:
                found.add(t.value)
            if t.type in ("ident", "string"):
                found.update(_WORD.findall(t.value))
            elif t.type == "function":
                tokens(t.arguments)
            elif t.type in ("[] block", "() block"):
                tokens(t.content)

    for rule in rules:
        if rule.type == "qualified-rule":
            tokens(rule.prelude)
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPS:
            found |= _asked(tinycss2.parse_rule_list(rule.content))
    return found


@lru_cache(maxsize=8)
def words(text: str) -> frozenset[str]:
    """Every word of a page or script as selected() asks for it (`w:<word>`). usage() keeps only the
    words Designsystemet's own rules ask for; a stylesheet of ours asks for others (hero, module-card)."""
    return frozenset(f"w:{w}" for w in _WORD.findall(text))


@lru_cache(maxsize=8)
def asked(css: str) -> frozenset[str]:
    """Every word a selector of `css` can ask for (`w:<word>`): selected(css, used) is
    selected(css, used & asked(css)), so a caller can cache by the smaller set."""
    return frozenset(f"w:{w}" for w in _asked(_rules(css)))


def _may_match(selector, used) -> bool:
    """Whether a page or script of ours may have what `selector` asks for (see _selected)."""
    previous = None
    for t in selector:
        if t.type == "ident" and previous is not None and previous.type == "literal" and previous.value == ".":
            if f"w:{t.value}" not in used:
                return False
        elif t.type == "ident" and not (previous is not None and previous.type == "literal" and previous.value == ":"):
            if f"w:{t.value}" not in used:                             # an element's name
                return False
        elif t.type == "[] block":
            value = [v for v in t.content if v.type in ("ident", "string")][1:2]
            if value and any(f"w:{w}" not in used for w in _WORD.findall(value[0].value)) and \
                    any(v.type == "literal" and v.value == "=" for v in t.content):
                return False
        elif t.type == "function" and t.lower_name in ("is", "where", "has", "matches", "-webkit-any"):
            if not any(_may_match(s, used) for s in _alternatives(t.arguments)):
                return False
        previous = t
    return True


@lru_cache(maxsize=16)
def _indexed(css: str):
    """`css` as a tree of (rule, its selectors) and a cssselect2 Matcher of every selector (payload: its
    number), made once per stylesheet: a page then asks the Matcher per element, which looks only at
    the selectors of that element's id, classes and name (35 → 5 ms per package of a build)."""
    import cssselect2
    import tinycss2
    matcher, always = cssselect2.Matcher(), set()
    numbered: dict[str, int] = {}

    def _number(alternative: str) -> int:
        if alternative not in numbered:
            numbered[alternative] = n = len(numbered)
            try:
                for compiled in cssselect2.compile_selector_list(alternative):
                    matcher.add_selector(compiled, n)
            except cssselect2.SelectorError:
                always.add(n)            # a selector cssselect2 cannot read (::details-content): kept
        return numbered[alternative]

    def tree(rules):
        for rule in rules:
            if rule.type == "qualified-rule" and not any(t.type == "{} block" for t in rule.content):
                alternatives = [tinycss2.serialize(a).strip() for a in _alternatives(rule.prelude)]
                yield ("rule", rule, [(a, _number(a)) for a in alternatives])
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPS:
                yield ("group", rule, list(tree(tinycss2.parse_rule_list(rule.content))))
            elif rule.type not in ("error", "comment", "whitespace"):
                yield ("kept", rule, None)       # @layer statements, @property, rules with nested rules

    return list(tree(_rules(css))), matcher, frozenset(always)


def matching(css: str, elements) -> str:
    """The rules of `css` (and the selectors of a list) that match one of `elements` (cssselect2
    ElementWrappers of a page as built), in their order; at-rules around them kept, rules with nested
    rules kept whole (as selected() does). Static matching: :hover, :focus and the like match nothing."""
    import tinycss2
    tree, matcher, always = _indexed(css)
    hit = set(always)
    for element in elements:
        hit.update(payload for *_, payload in matcher.match(element))

    def out(nodes):
        for kind, rule, inner in nodes:
            if kind == "rule":
                kept = [alternative for alternative, n in inner if n in hit]
                if kept:
                    yield ",".join(kept) + "{" + tinycss2.serialize(rule.content) + "}"
            elif kind == "group":
                body = "".join(out(inner))
                if body:
                    yield f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{body}}}"
            else:
                yield rule.serialize()
    return "".join(out(tree))


# Unused tokens. The theme and base declare ~480 custom properties; 189 of them nothing we ship ever
# reads (e.g. the --ds-body-long-*/--ds-body-short-* type sets, the colour roles' unused steps).
# Measured on the course's web edition (tests/bench/pages.py): dropping their declarations takes
# designsystemet.css from 56.9 to 44.3 KB and the front page's first view from 143.3 to 130.7 KB.
# A token is used when it is named anywhere but in a custom-property declaration's name or value
# (a var() in an ordinary declaration, a fallback, @property, a style() query) of the shipped CSS, or
# anywhere in our pages, scripts and kurs.css, or in the value of a used token. Only the public
# --ds-* tokens are dropped; the components' own --dsc-*/--_ds-* properties stay as published.
_TOKEN = re.compile(r"--[A-Za-z_][\w-]*")
# Strings, brackets, a custom-property declaration's start (its name: group 1) or any other name.
_SYNTAX = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|[(){};]|(?<=[{;])\s*(--[A-Za-z_][\w-]*)\s*:|--[A-Za-z_][\w-]*')


@lru_cache(maxsize=16)
def _declarations(css: str):
    """The custom-property declarations in css, as (start, end, name, tokens its value names) with
    `end` past its ';', and the tokens named elsewhere (ordinary declarations, at-rules, selectors)."""
    found, named, parens, decl = [], set(), 0, None
    for m in _SYNTAX.finditer(css):
        t = m.group()
        if decl:                                         # in a custom property's value
            if t in ("(", "{"):
                decl[3] += 1
            elif t in (")", "}") and decl[3]:
                decl[3] -= 1
            elif t in (";", "}"):
                found.append((decl[0], m.end() if t == ";" else m.start(), decl[1], frozenset(decl[2])))
                decl = None
            else:
                decl[2].update(_TOKEN.findall(t) if t.startswith("--") or m.group(1) else ())
        elif m.group(1) and parens == 0:
            decl = [m.start(1), m.group(1), set(), 0]
        elif t == "(":
            parens += 1
        elif t == ")":
            parens -= 1
        elif "--" in t and t[0] not in "\"'":
            named.update(_TOKEN.findall(t))
    return found, frozenset(named)


def without_unused_tokens(sheets: list[str], texts) -> list[str]:
    """`sheets` without the declarations of --ds-* tokens that neither they nor `texts` use."""
    parsed = [_declarations(css) for css in sheets]
    graph: dict[str, set[str]] = {}
    for found, _ in parsed:
        for _, _, name, uses in found:
            graph.setdefault(name, set()).update(uses)
    todo = set().union(*(named for _, named in parsed), *(_TOKEN.findall(t) for t in texts))
    # A name cut short in a script ("--ds-color-" + role) keeps every token it may complete to.
    todo |= {n for p in todo if p.endswith("-") for n in graph if n.startswith(p)}
    used = set()
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo |= graph.get(name, set())
    out = []
    for css, (found, _) in zip(sheets, parsed):
        kept, at = [], 0
        for start, end, name, _ in found:
            if name.startswith("--ds-") and name not in used:
                kept.append(css[at:start])
                at = end
        out.append("".join(kept) + css[at:])
    return out


# The theme's blocks that no page of ours can select: every page says data-color-scheme="auto"
# (so the explicit light/dark blocks never apply, and the :root block already is the light scheme),
# and none asks for the secondary typography. Left out, they would be a third of every package's CSS.
_UNSELECTABLE = ('@media (prefers-color-scheme: light)', '[data-color-scheme="dark"] {',
                 '@layer ds.theme.typography.secondary')


@lru_cache(maxsize=None)
def theme() -> str:
    """The published theme (@digdir/designsystemet-theme) without comments, spare whitespace and
    the blocks in _UNSELECTABLE."""
    text = _read(THEME / "src" / "themes" / "designsystemet.css").replace('@charset "UTF-8";', "")
    for start in _UNSELECTABLE:
        at = text.find(start)
        if at < 0:
            raise Missing(f"the Designsystemet theme has changed: no block '{start}' "
                          "(update _UNSELECTABLE in builder/render/designsystem.py)")
        depth, i = 0, text.index("{", at)
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        text = text[:at] + text[i + 1:]
    return compact_css(text)


@lru_cache(maxsize=16)
def compact_css(text: str) -> str:
    """CSS without comments and spare whitespace (the comments are for the repository, not the learner's phone).
    Cached: every package of a build compacts the same stylesheet (0.19 s of 100 module packages)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r":\s+", ":", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).strip()


# ---------------------------------------------------------------------------------------------
# The course colour. Designsystemet derives a scale of tokens from one colour per role; we do the
# same for the accent role from the editor's colour, and check every text/background pair the
# components draw with those tokens against WCAG's 4.5:1.

LIGHT_BACKGROUND = (255, 255, 255)      # --ds-color-neutral-background-default, light scheme
DARK_BACKGROUND = (0x17, 0x18, 0x1A)    # --ds-color-neutral-background-default, dark scheme


def accent_scheme(colour: str, dark: bool) -> dict[str, str]:
    """The accent tokens of one colour scheme, named as Designsystemet names them."""
    c = parse_colour(colour)
    if not dark:
        bg = LIGHT_BACKGROUND
        tinted, active = mix(bg, c, 0.12), mix(bg, c, 0.3)
        # Links on tinted cards, and a secondary button's text on its hover and pressed background.
        text_subtle = until(c, BLACK, active)
        tokens = {
            "background-default": bg, "background-tinted": mix(bg, c, 0.05),
            "surface-default": bg, "surface-tinted": tinted,
            "surface-hover": mix(bg, c, 0.2), "surface-active": active,
            "border-subtle": mix(bg, c, 0.4), "border-default": until(mix(bg, c, 0.75), BLACK, bg, 3.0),
            "border-strong": text_subtle, "text-subtle": text_subtle,
            "text-default": mix(c, BLACK, 0.6),
            "base-default": c, "base-hover": mix(c, BLACK, 0.18), "base-active": mix(c, BLACK, 0.32),
            "base-contrast-subtle": mix(c, WHITE, 0.85), "base-contrast-default": WHITE,
        }
    else:
        bg = DARK_BACKGROUND
        tinted, active = mix(bg, c, 0.22), mix(bg, c, 0.38)
        base = until(c, WHITE, bg, 5.0)                 # a button must stand out from the page too
        text_subtle = until(mix(c, WHITE, 0.35), WHITE, active)
        tokens = {
            "background-default": bg, "background-tinted": mix(bg, c, 0.08),
            "surface-default": mix(bg, c, 0.12), "surface-tinted": tinted,
            "surface-hover": mix(bg, c, 0.3), "surface-active": active,
            "border-subtle": mix(bg, c, 0.5), "border-default": until(c, WHITE, bg, 3.0),
            "border-strong": text_subtle, "text-subtle": text_subtle,
            "text-default": mix(c, WHITE, 0.88),
            "base-default": base, "base-hover": mix(base, WHITE, 0.18), "base-active": mix(base, WHITE, 0.32),
            "base-contrast-subtle": mix(base, BLACK, 0.8), "base-contrast-default": BLACK,
        }
    return {name: hexed(rgb) for name, rgb in tokens.items()}


def text_pairs(tokens: dict[str, str]):
    """Every (text, background) pair the components draw with accent tokens."""
    for text in ("text-subtle", "text-default"):
        # surface-hover/-active: under a secondary button's text while the pointer is on it or presses it.
        for background in ("background-default", "background-tinted", "surface-default", "surface-tinted",
                           "surface-hover", "surface-active"):
            yield text, background
    yield "base-contrast-default", "base-default"
    yield "base-contrast-default", "base-hover"
    yield "base-contrast-default", "base-active"


@lru_cache(maxsize=None)
def accent_tokens(colour: str) -> str:
    """The accent tokens for light and dark scheme, as CSS in the theme's own layer."""
    def block(selector, tokens):
        body = "".join(f"--ds-color-accent-{k}:{v};" for k, v in tokens.items())
        return f"{selector}{{{body}}}"
    light, dark = accent_scheme(colour, False), accent_scheme(colour, True)
    return ("@layer ds.theme.course{"
            + block(":root", light)
            + "@media (prefers-color-scheme:dark){" + block('[data-color-scheme="auto"]', dark) + "}"
            + "}")


def theme_token(name: str) -> str:
    """A light-scheme colour token of the theme as published, e.g. theme_token("brand1-surface-tinted")."""
    m = re.search(rf"--ds-color-{re.escape(name)}:\s*(#[0-9a-fA-F]{{6}})", theme())
    if not m:
        raise Missing(f"the Designsystemet theme has no token --ds-color-{name}")
    return m.group(1).lower()


def box_styles(colour: str) -> dict[str, tuple[str, str]]:
    """Per box kind, (background, line) in the light scheme: for platforms where our stylesheet
    does not go (Open edX), which get these as inline styles. Same tokens as kurs.css uses."""
    accent = accent_scheme(colour, False)
    return {
        "law": (accent["surface-tinted"], accent["border-default"]),
        "reflection": (theme_token("brand2-surface-tinted"), theme_token("brand2-border-default")),
        "example": (theme_token("brand1-surface-tinted"), theme_token("brand1-border-default")),
        "keypoints": (theme_token("neutral-background-tinted"), theme_token("neutral-border-strong")),
    }
