"""Reading a package someone hands to `kulturskole check`, which may be hostile: bounded, linkless,
and XML without DTDs.

A zip or tar.gz states its members' sizes, and a small archive can inflate to gigabytes (a "zip
bomb"); a member can be a link to a file on the checking machine; an XML file can declare entities
that read local files or expand a billion times. So every reader here counts the members, refuses a
declared size, a total or a compression ratio above the bounds below before reading, stops reading
a member at its bound whatever its header said, refuses link and device entries, and parses XML
with no DTD at all. Each refusal is one `Refused(member, message, hint)`, which the checks turn
into one line.
"""

from __future__ import annotations

import gzip
import re
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path

from lxml import etree

MAX_MEMBERS = 20_000                  # our whole-course packages hold a few hundred files
MAX_MEMBER = 256 * 1024 * 1024        # one file; our largest is a module zip inside the .mbz, a few MB
MAX_TOTAL = 512 * 1024 * 1024         # everything a check reads from one archive
MAX_XML = 32 * 1024 * 1024            # one manifest or OLX/Moodle XML file; ours are below 1 MB
MAX_RATIO = 200                       # inflated / compressed: text compresses 5–20×, a bomb 1000× and more
RATIO_FROM = 1024 * 1024              # small members may compress better than that without harm
_CHUNK = 1024 * 1024


class Refused(Exception):
    """(member or '', what is wrong, what to do): the archive is not read further."""

    def __init__(self, member: str, message: str, hint: str):
        super().__init__(member, message, hint)
        self.member, self.message, self.hint = member, message, hint
        self.package = ""           # the archive, when the caller knows it


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _too_big(name: str, size: int, limit: int, hint: str) -> Refused:
    return Refused(name, f"the file is {_mb(size)} unpacked, more than the {_mb(limit)} this check reads", hint)


def zip_members(zf: zipfile.ZipFile, hint: str) -> list[zipfile.ZipInfo]:
    """The members of an open zip, after refusing counts, declared sizes, ratios and links."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Refused("", f"the zip has {len(infos):,} entries, more than the {MAX_MEMBERS:,} this check reads", hint)
    total = 0
    for info in infos:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise Refused(info.filename, "a link in the zip (a symbolic link entry); a package holds only files", hint)
        if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) and stat.S_IFMT(mode):
            raise Refused(info.filename, "an entry in the zip that is not a plain file or folder", hint)
        if info.file_size > MAX_MEMBER:
            raise _too_big(info.filename, info.file_size, MAX_MEMBER, hint)
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(info.filename, f"the file inflates {info.file_size // max(info.compress_size, 1):,} times "
                          f"(to {_mb(info.file_size)}), which only a zip bomb does", hint)
        total += info.file_size
        if total > MAX_TOTAL:
            raise Refused("", f"the zip unpacks to more than the {_mb(MAX_TOTAL)} this check reads", hint)
    return infos


def zip_read(zf: zipfile.ZipFile, name: str, hint: str, limit: int = MAX_XML) -> bytes:
    """One member's bytes, read no further than `limit` whatever the zip declares."""
    out = bytearray()
    try:
        with zf.open(name) as src:
            while chunk := src.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise _too_big(name, len(out), limit, hint)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as err:
        raise Refused(name, f"the file cannot be unpacked ({err})", hint) from None
    return bytes(out)


def tar_files(path: Path, hint: str, keep=lambda name: True) -> dict[str, bytes]:
    """The plain files of a .tar.gz (name without './' → bytes; only those `keep` wants are read, the
    others are listed with b''), after refusing unsafe paths, links, devices, counts and sizes."""
    files: dict[str, bytes] = {}
    total = count = 0
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:          # one at a time: a huge archive is refused before it is all read
                count += 1
                name = member.name
                if count > MAX_MEMBERS:
                    raise Refused("", f"the archive has more than the {MAX_MEMBERS:,} entries this check reads", hint)
                if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
                    raise Refused(name, "unsafe path in the archive: it is absolute", hint)
                if ".." in re.split(r"[/\\]", name):
                    raise Refused(name, "unsafe path in the archive: it climbs out with '..'", hint)
                if member.issym() or member.islnk():
                    raise Refused(name, f"unsafe entry in the archive: a link to '{member.linkname}' "
                                  "(a package holds only files)", hint)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise Refused(name, "an entry in the archive that is not a plain file or folder", hint)
                if member.size > MAX_MEMBER:
                    raise _too_big(name, member.size, MAX_MEMBER, hint)
                total += member.size
                if total > MAX_TOTAL:
                    raise Refused("", f"the archive unpacks to more than the {_mb(MAX_TOTAL)} this check reads", hint)
                key = name.removeprefix("./")
                if not keep(key):
                    files[key] = b""
                    continue
                src = tar.extractfile(member)
                data = src.read(member.size + 1) if src is not None else b""
                if len(data) != member.size:
                    raise Refused(name, "the archive is cut off inside this file", hint)
                files[key] = data
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile, zlib.error) as err:
        raise Refused("", f"not a readable .tar.gz archive (gzipped tar: {err})", hint) from None
    return files


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def refuse_dtd(name: str, data: bytes) -> None:
    """Refused when an XML file declares a DOCTYPE or entities: no package of ours has one, and it is how
    entities that read local files or expand a billion times are declared."""
    low = data.lower()
    if b"<!doctype" in low or b"<!entity" in low:
        raise Refused(name, "the XML declares a DOCTYPE or entities, which a package never needs",
                      "remove the <!DOCTYPE …> line; a package's XML is read without DTDs")


def xml(data: bytes, name: str = ""):
    """The root of an XML file from an archive, parsed without DTD, entities or network (Refused for a
    DOCTYPE). Syntax errors are the caller's: etree.XMLSyntaxError with its line."""
    refuse_dtd(name, data)
    return etree.fromstring(data, PARSER)
