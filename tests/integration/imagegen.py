"""
Test images for the eKYC pipeline (issue 12), made on the fly: nothing here is
a photo of anyone. PIL draws JPEG and PNG, `heif-enc` (libheif-examples) makes
HEIC from them; the hostile ones are built byte by byte.

Every make_* returns bytes. The good ones draw a "document": a light card
with a red block in its top-left corner as stored (MARK), so a test can tell
where that corner went after the EXIF orientation was applied:

    make_jpeg(w, h, orientation=None, gps=False, ...)   JPEG, EXIF optional
    make_png(w, h, alpha=False)                         PNG
    make_heic(w, h, exif=False)                         HEIC (heif-enc)
    png_bomb(30000, 30000)      a ~100 KB PNG that would be 900 MP of pixels
    png_zip_polyglot()          a good PNG with a ZIP archive after IEND
    jpeg_zip_polyglot()         the same after a JPEG's EOI
    truncated_jpeg(), truncated_png()   good files cut short
    make_gif(), make_pdf(), make_zip()  not images we take
    tiny_png()                  a good 160 × 120 PNG (under the minimum)

    mark_corner(jpeg_bytes) -> "top-left" | "top-right" | "bottom-left" |
        "bottom-right" | None: where the red MARK is in a decoded image.
    jpeg_segments(jpeg_bytes) -> [(marker, payload)] of the header up to SOS.

Other helpers' tests import this module (tests/integration is on sys.path).
"""

import io
import os
import struct
import subprocess
import tempfile
import zipfile
import zlib
from fractions import Fraction

from PIL import Image, ImageDraw

# The red block in the stored image's top-left corner: a quarter of each side.
MARK = (220, 20, 20)
CARD = (235, 235, 225)
# A fixed place near Tokyo (degrees, minutes, seconds as rationals).
GPS_LATITUDE = (Fraction(35), Fraction(41), Fraction("22.14"))
GPS_LONGITUDE = (Fraction(139), Fraction(41), Fraction("30.12"))

# EXIF tags (TIFF/EXIF 2.3)
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4


def picture(w, h, mode="RGB"):
    """A w × h "document": light card, grey lines of "text", MARK top-left."""
    im = Image.new(mode, (w, h), CARD if mode == "RGB" else CARD + (255,))
    d = ImageDraw.Draw(im)
    fill = MARK if mode == "RGB" else MARK + (255,)
    d.rectangle([0, 0, w // 4 - 1, h // 4 - 1], fill=fill)
    for i in range(5):
        y = h // 3 + i * h // 10
        d.rectangle([w // 3, y, w - w // 10, y + max(2, h // 40)], fill=(90, 90, 90))
    return im


def _exif(orientation=None, gps=False):
    ex = Image.Exif()
    if orientation is not None:
        ex[ORIENTATION] = orientation
    ex[0x010F] = "kenpo-test-camera"        # Make
    ex[0x0131] = "imagegen"                 # Software
    if gps:
        ex[GPS_IFD] = {GPS_LAT_REF: "N", GPS_LAT: GPS_LATITUDE,
                       GPS_LON_REF: "E", GPS_LON: GPS_LONGITUDE}
    return ex.tobytes()


def make_jpeg(w=1200, h=900, orientation=None, gps=False, progressive=False,
              quality=90, icc=False, comment=False, xmp=False, subsampling=-1):
    """A JPEG of picture(w, h). orientation: an EXIF Orientation (1-8) to
    store; gps: GPS coordinates in the EXIF; icc/comment/xmp: an ICC profile
    (APP2), a COM segment, an XMP packet (APP1) — all metadata to be dropped."""
    out = io.BytesIO()
    kw = {"quality": quality, "progressive": progressive, "subsampling": subsampling}
    if orientation is not None or gps:
        kw["exif"] = _exif(orientation, gps)
    if icc:
        from PIL import ImageCms
        kw["icc_profile"] = ImageCms.ImageCmsProfile(
            ImageCms.createProfile("sRGB")).tobytes()
    if comment:
        kw["comment"] = b"imagegen comment: secret-location-42"
    picture(w, h).save(out, "JPEG", **kw)
    data = out.getvalue()
    if xmp:
        packet = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
                  b"<rdf:RDF><rdf:Description exif:GPSLatitude='35,41.3N'/></rdf:RDF>"
                  b"</x:xmpmeta>")
        seg = b"\xff\xe1" + struct.pack(">H", len(packet) + 2) + packet
        data = data[:2] + seg + data[2:]
    return data


def make_png(w=1200, h=900, alpha=False):
    out = io.BytesIO()
    im = picture(w, h, "RGBA" if alpha else "RGB")
    if alpha:
        # A transparent band: it must come out white, not black.
        ImageDraw.Draw(im).rectangle([0, h - h // 8, w - 1, h - 1], fill=(0, 0, 0, 0))
    im.save(out, "PNG")
    return out.getvalue()


def tiny_png():
    return make_png(160, 120)


def make_heic(w=1200, h=900, exif=False):
    """A HEIC of picture(w, h) made by heif-enc (from a JPEG with GPS EXIF
    when exif is true: heif-enc carries it into the HEIF's Exif item)."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.jpg" if exif else "in.png")
        dst = os.path.join(d, "out.heic")
        with open(src, "wb") as f:
            f.write(make_jpeg(w, h, gps=True, orientation=1) if exif else make_png(w, h))
        r = subprocess.run(["heif-enc", "-q", "80", "-o", dst, src],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"heif-enc failed: {r.stdout}{r.stderr}")
        with open(dst, "rb") as f:
            return f.read()


def _chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def png_bomb(w=30000, h=30000):
    """A valid 1-bit greyscale PNG of w × h zeros: ~100 KB on disk, w × h
    pixels (900 MP by default; 3.6 GB as RGBA) once decoded."""
    z = zlib.compressobj(9)
    row = b"\x00" * (1 + (w + 7) // 8)      # filter byte + packed bits
    parts = []
    for _ in range(h):
        parts.append(z.compress(row))
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) +
            _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))


def make_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return out.getvalue()


def png_zip_polyglot():
    """A good PNG followed by a ZIP archive (unzip still opens it)."""
    return make_png(800, 600) + make_zip()


def jpeg_zip_polyglot():
    return make_jpeg(800, 600) + make_zip()


def truncated_jpeg():
    data = make_jpeg(1200, 900)
    return data[:len(data) * 2 // 3]


def truncated_png():
    data = make_png(1200, 900)
    return data[:len(data) - 100]


def make_gif():
    out = io.BytesIO()
    picture(800, 600).convert("P").save(out, "GIF")
    return out.getvalue()


def make_pdf():
    out = io.BytesIO()
    picture(800, 600).save(out, "PDF")
    return out.getvalue()


def mark_corner(data):
    """Where the red MARK block sits in the decoded image, or None."""
    im = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = im.size
    spots = {"top-left": (w // 16, h // 16), "top-right": (w - 1 - w // 16, h // 16),
             "bottom-left": (w // 16, h - 1 - h // 16),
             "bottom-right": (w - 1 - w // 16, h - 1 - h // 16)}
    red = [name for name, xy in spots.items()
           if (lambda p: p[0] > 170 and p[1] < 80 and p[2] < 80)(im.getpixel(xy))]
    return red[0] if len(red) == 1 else None


def jpeg_segments(data):
    """[(marker byte, payload bytes)] of a JPEG's header, SOI to the first SOS."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    at, out = 2, []
    while at + 4 <= len(data):
        while data[at + 1] == 0xff:
            at += 1
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        out.append((marker, data[at + 4:at + 2 + length]))
        if marker == 0xda:
            break
        at += 2 + length
    return out
