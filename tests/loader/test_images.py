"""Photos are published without where they were taken or who took them, upright and pixel for pixel.

If this broke, every package of the course would tell each learner where an editor lives (a phone
photo's GPS position), the owner's name and the camera, or a published photo would lie on its side."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, PngImagePlugin

from builder.cli import main

OWNER = b"Ola Nordmann Fotograf"
CAMERA = b"Kamerafabrikk X1"
COMMENT = b"tatt i hagen hjemme"
GPS = {1: "N", 2: (59.0, 54.0, 42.0), 3: "E", 4: (10.0, 45.0, 7.0)}
FORMATS = ["web", "scorm12", "scorm2004", "olx", "moodle", "homework"]


def _picture() -> Image.Image:
    im = Image.new("RGB", (64, 48), (230, 230, 220))
    for x in range(64):
        im.putpixel((x, (x * 3) % 48), (20, 60, 160))
    return im


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6                      # taken with the phone held upright: turn 90° when shown
    exif[0x010F] = CAMERA.decode()
    exif[0x013B] = OWNER.decode()
    exif[0x8825] = GPS
    return exif


def _files(folder: Path):
    """(name, bytes) of every file a build wrote, inside zips and tar.gz archives too."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield path.as_posix(), data
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    yield f"{path}!{info.filename}", zf.read(info)
        elif path.name.endswith((".tar.gz", ".mbz")):
            with tarfile.open(path, "r:gz") as tf:
                for m in tf.getmembers():
                    if m.isfile():
                        inner = tf.extractfile(m).read()
                        yield f"{path}!{m.name}", inner
                        if m.name.endswith(".zip"):
                            with zipfile.ZipFile(io.BytesIO(inner)) as zf:
                                for info in zf.infolist():
                                    yield f"{path}!{m.name}!{info.filename}", zf.read(info)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil
    from tests.conftest import EXAMPLE
    root = tmp_path_factory.mktemp("photos")
    course = root / "course"
    shutil.copytree(EXAMPLE, course)
    im = _picture()
    jpeg = io.BytesIO()
    im.save(jpeg, "JPEG", exif=_exif().tobytes(), comment=COMMENT, quality=92)
    (course / "media" / "Hagen min.jpg").write_bytes(jpeg.getvalue())
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", OWNER.decode())
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{CAMERA.decode()} GPS 59.91</x:xmpmeta>")
    png = io.BytesIO()
    im.save(png, "PNG", pnginfo=info, exif=_exif().tobytes())
    (course / "media" / "kart.png").write_bytes(png.getvalue())
    webp = io.BytesIO()
    im.save(webp, "WEBP", exif=_exif().tobytes(), xmp=OWNER, lossless=True)
    (course / "media" / "skisse.webp").write_bytes(webp.getvalue())
    page = course / "modules" / "intro" / "02-samarbeid.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![Hagen](<media/Hagen min.jpg>)\n\n![Kartet](media/kart.png)\n\n"
                    "![Skissen](media/skisse.webp)\n", encoding="utf-8")
    out = root / "dist"
    result = CliRunner().invoke(main, ["build", "--course", str(course), "--out", str(out),
                                       *[a for f in FORMATS for a in ("--format", f)]])
    assert result.exit_code == 0, result.output
    return course, out, {"jpg": jpeg.getvalue(), "png": png.getvalue(), "webp": webp.getvalue()}


def test_no_package_carries_the_photos_metadata(built):
    """No output of any format holds the owner's name, the camera, the comment or a GPS position."""
    _course, out, originals = built
    assert all(OWNER in data or OWNER in data.replace(b"\0", b"") for data in [originals["jpg"], originals["png"]])
    found = [name for name, data in _files(out) for secret in (OWNER, CAMERA, COMMENT) if secret in data]
    assert found == []
    pictures = [(name, data) for name, data in _files(out) if name.lower().endswith((".jpg", ".png", ".webp"))]
    assert len(pictures) >= len(FORMATS), [n for n, _ in pictures]
    for name, data in pictures:
        exif = Image.open(io.BytesIO(data)).getexif()
        assert exif.get_ifd(0x8825) == {}, f"{name} still has a GPS position"
        assert set(exif) <= {0x0112}, f"{name} keeps EXIF tags {sorted(exif)}"


def test_the_published_photo_is_the_same_picture_and_stays_upright(built):
    """The published photo has exactly the original's pixels (nothing re-encoded) and its rotation."""
    _course, out, originals = built
    web = out / "web" / "media"
    assert sorted(p.name for p in web.iterdir() if p.suffix != ".svg") == ["hagen-min.jpg", "kart.png", "skisse.webp"]
    for published, ext in (("hagen-min.jpg", "jpg"), ("kart.png", "png"), ("skisse.webp", "webp")):
        before, after = Image.open(io.BytesIO(originals[ext])), Image.open(web / published)
        assert after.size == before.size
        assert list(after.convert("RGB").getdata()) == list(before.convert("RGB").getdata())
    assert Image.open(web / "hagen-min.jpg").getexif().get(0x0112) == 6
