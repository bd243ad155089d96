"""First drafts from Apertium's bokmål→nynorsk machine translation (Debian: apertium-nno-nob).

Apertium translates text and leaves HTML tags where they stand, so every piece of a segment that is
markup, not words — `**`, `[[`/`|`/`]]`, a link's address, an inline code span, an HTML tag, a web
address — goes through as an empty tag `<b data-k="N"></b>` and comes back as it was. All segments
go through one Apertium pipeline: starting one takes seconds, so one per segment would take an
hour. A draft is never a reviewed translation: every drafted entry is marked fuzzy."""

from __future__ import annotations

import re
import shutil
from html import escape, unescape

from builder.messages import msg
from builder.translate import tools

PAIR = "nob-nno"

# Markup inside a segment, left to Apertium as tags. Order matters: the longest forms first.
_PROTECT = re.compile(
    r"`[^`\n]+`"                         # inline code
    r"|\]\([^)\s]*(?:\s+\")?"            # a link's or image's address, up to the opening quote of its title
    r"|\"\)"                             # … the closing quote of a title and the bracket
    r"|!?\[\[?|\]\]?|\|"                 # [[term|shown]], [link], ![image]
    r"|\*\*|__|(?<!\w)[*_]|[*_](?!\w)"   # emphasis
    r"|<[^>\n]+>"                        # HTML tags
    r"|https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+"   # addresses
    r"|&[a-zA-Z]+;|&#\d+;"               # entities as written
)
_TOKEN = re.compile(r'<b data-k="(\d+)"></b>')


class ApertiumMissing(RuntimeError):
    pass


def available() -> bool:
    return shutil.which("apertium") is not None


def protect(text: str, keep: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """The segment as HTML for Apertium, and the markup pieces (and `keep` phrases) its tags stand for."""
    pieces: list[str] = []
    out, last = [], 0
    pattern = _PROTECT
    if keep:
        words = "|".join(re.escape(k) for k in sorted(keep, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{words})(?!\w)|" + _PROTECT.pattern)
    for m in pattern.finditer(text):
        out.append(escape(text[last:m.start()], quote=False))
        out.append(f'<b data-k="{len(pieces)}"></b>')
        pieces.append(m.group(0))
        last = m.end()
    out.append(escape(text[last:], quote=False))
    return "".join(out), pieces


def restore(html: str, pieces: list[str]) -> str:
    text = unescape(_TOKEN.sub(lambda m: f"\x00{m.group(1)}\x00", html))
    text = re.sub(r"\x00(\d+)\x00", lambda m: pieces[int(m.group(1))], text)
    return " ".join(text.split())


def translate(texts: list[str], keep: tuple[str, ...] = ()) -> list[str]:
    """Apertium's nynorsk for each bokmål text, markup and the `keep` phrases as they were."""
    if not texts:
        return []
    if not available():
        raise ApertiumMissing(msg("Apertium is not installed: on Debian/Ubuntu `sudo apt-get install apertium-nno-nob`"))
    protected = [protect(t, keep) for t in texts]
    # One paragraph per segment; Apertium keeps block elements and their order.
    document = "\n".join(f"<p>{html}</p>" for html, _ in protected)
    done = tools.run(["apertium", "-u", "-f", "html", PAIR], document)
    if done.returncode != 0 or not done.stdout.strip():     # its script exits 0 when a stage aborts
        raise ApertiumMissing(msg(f"apertium {PAIR} failed: {done.stderr.strip()[:300]}"))
    paragraphs = re.findall(r"<p>(.*?)</p>", done.stdout, flags=re.S)
    if len(paragraphs) != len(texts):
        raise RuntimeError(f"apertium returned {len(paragraphs)} paragraphs for {len(texts)} segments")
    return [restore(html, pieces) for html, (_, pieces) in zip(paragraphs, protected)]
