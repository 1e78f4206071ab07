"""
kenpo-image, the helper that turns an eKYC upload into a clean JPEG (issue 12
item 2; src/kenpo-image.c), run as built ($KENPO_BUILD/kenpo-image) on images
made by imagegen.py — what an attacker and a privacy reviewer would check:

- a JPEG, PNG or HEIC comes back as a JPEG that PIL opens, the EXIF orientation
  applied (3, 6, 8: the stored top-left corner ends up where a viewer shows
  it, the sides swapped for 6 and 8), scaled to at most 2400 px, and with no
  metadata at all: no EXIF (so no GPS, no camera), no XMP, no ICC profile, no
  comment — checked in PIL and in the bytes;
- a decompression bomb (30000 × 30000 PNG of ~100 KB), PNG and JPEG with a ZIP
  after their end (polyglots), truncated files, GIF, PDF, ZIP, an image too
  small to read, an empty and an oversized input are refused with their exit
  code (src/image.h) and one plain line on stderr, never by a signal; the bomb
  without its pixels ever being allocated;
- the helper limits itself before it reads a byte: no core dumps, no file
  written, no descriptor inherited, memory and CPU capped.
image_normalise (the parent side) is tested by tests/unit/t_image.c.
"""

import io
import os
import subprocess
import tempfile
import time

import pytest
from PIL import Image

import imagegen as g
from conftest import BUILD, SANITIZED

HELPER = os.path.join(BUILD, "kenpo-image")
MAX_BYTES = 10 * 1024 * 1024

# enum image_result (src/image.h): the helper's exit codes.
OK, EMPTY, TOO_LARGE, TYPE, BROKEN, DIMENSIONS, FAILED = range(7)


class Run:
    def __init__(self, code, out, err, maxrss_kb):
        self.code, self.out, self.err, self.maxrss_kb = code, out, err, maxrss_kb


def run(data, max_bytes=MAX_BYTES, *extra):
    """kenpo-image on data (stdin from a file: the helper may stop reading
    early); stdout and stderr through pipes, as image_normalise gives them."""
    if not os.access(HELPER, os.X_OK):
        pytest.fail(f"{HELPER} not built")
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        p = subprocess.Popen([HELPER, str(max_bytes), *extra], stdin=f,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            pytest.fail("kenpo-image did not finish")
    return Run(p.returncode, out, err, None)


def run_measured(data):
    """As run(), with the helper's peak resident size (KB), measured by
    /usr/bin/time (a small parent: a child's ru_maxrss counts its parent's
    memory from before the exec)."""
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        p = subprocess.run(["/usr/bin/time", "-f", "maxrss=%M", HELPER, str(MAX_BYTES)],
                           stdin=f, capture_output=True, timeout=120)
    lines = [x for x in p.stderr.splitlines(keepends=True)
             if not x.startswith(b"Command exited with non-zero status")]
    assert lines and lines[-1].startswith(b"maxrss="), p.stderr
    return Run(p.returncode, p.stdout, b"".join(lines[:-1]), int(lines[-1][7:]))


def assert_clean_jpeg(out, size=None):
    """out is a JPEG PIL opens, of size (w, h) if given, without metadata."""
    im = Image.open(io.BytesIO(out))
    im.load()
    assert im.format == "JPEG"
    if size is not None:
        assert im.size == size
    assert not im.getexif(), dict(im.getexif())
    for key in ("exif", "icc_profile", "xmp", "comment", "photoshop", "adobe"):
        assert key not in im.info, (key, im.info)
    markers = [m for m, _ in g.jpeg_segments(out)]
    # Only JFIF among APPn, and no COM: DQT, SOF0, DHT, DRI and SOS besides.
    for m, payload in g.jpeg_segments(out):
        assert m in (0xe0, 0xdb, 0xc0, 0xc4, 0xdd, 0xda), hex(m)
        if m == 0xe0:
            assert payload.startswith(b"JFIF\x00")
    assert markers.count(0xc0) == 1         # baseline, whatever came in
    for needle in (b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com", b"xmpmeta",
                   b"CREATOR", b"kenpo-test-camera", b"imagegen", b"secret-location"):
        assert needle not in out, needle
    return im


def assert_refused(r, code):
    """Refused with code, by the helper (no signal), nothing on stdout, one
    short ASCII line on stderr."""
    assert r.code == code, (r.code, r.err)
    assert r.out == b""
    assert r.err.startswith(b"kenpo-image: ") and r.err.endswith(b"\n"), r.err
    assert r.err.count(b"\n") == 1 and len(r.err) < 200 and r.err.isascii(), r.err
    assert all(32 <= b < 127 for b in r.err[:-1]), r.err


# ------------------------------------------------------------------ good input

@pytest.mark.parametrize("kind", ["jpeg", "png", "heic", "progressive", "png-alpha"])
def test_good_images_come_back_as_clean_jpegs(kind):
    data = {"jpeg": lambda: g.make_jpeg(1200, 900, gps=True),
            "png": lambda: g.make_png(1200, 900),
            "heic": lambda: g.make_heic(1200, 900),
            "progressive": lambda: g.make_jpeg(1200, 900, progressive=True, subsampling=0),
            "png-alpha": lambda: g.make_png(1200, 900, alpha=True)}[kind]()
    r = run(data)
    assert r.code == OK, r.err
    assert r.err == b""
    im = assert_clean_jpeg(r.out, (1200, 900))
    assert g.mark_corner(r.out) == "top-left"
    if kind == "png-alpha":
        # The transparent band at the bottom is white, not black.
        assert min(im.convert("RGB").getpixel((600, 880))) > 230


@pytest.mark.parametrize("orientation,size,corner", [
    (1, (1200, 900), "top-left"),
    (3, (1200, 900), "bottom-right"),
    (6, (900, 1200), "top-right"),
    (8, (900, 1200), "bottom-left"),
])
def test_exif_orientation_applied_then_dropped(orientation, size, corner):
    data = g.make_jpeg(1200, 900, orientation=orientation, gps=True)
    # The input does carry the orientation and the GPS position.
    src = Image.open(io.BytesIO(data)).getexif()
    assert src[g.ORIENTATION] == orientation and src.get_ifd(g.GPS_IFD)
    r = run(data)
    assert r.code == OK, r.err
    assert_clean_jpeg(r.out, size)
    assert g.mark_corner(r.out) == corner


def test_every_kind_of_metadata_dropped():
    data = g.make_jpeg(1200, 900, orientation=6, gps=True, icc=True, comment=True,
                       xmp=True)
    for needle in (b"Exif\x00\x00", b"ICC_PROFILE", b"xmpmeta", b"secret-location"):
        assert needle in data, needle
    r = run(data)
    assert r.code == OK, r.err
    assert_clean_jpeg(r.out, (900, 1200))


def test_heic_exif_dropped():
    data = g.make_heic(1200, 900, exif=True)
    assert b"Exif" in data          # heif-enc carried the camera's EXIF over
    r = run(data)
    assert r.code == OK, r.err
    assert_clean_jpeg(r.out, (1200, 900))
    assert g.mark_corner(r.out) == "top-left"


def test_large_image_scaled_to_2400():
    r = run(g.make_jpeg(3600, 2400, orientation=6))
    assert r.code == OK, r.err
    assert_clean_jpeg(r.out, (1600, 2400))
    assert g.mark_corner(r.out) == "top-right"


def test_exactly_the_limit_is_taken():
    data = g.make_jpeg(800, 600)
    assert run(data, len(data)).code == OK
    assert_refused(run(data, len(data) - 1), TOO_LARGE)


# ------------------------------------------------------------------ hostile input

HOSTILE = [
    ("png-zip-polyglot", g.png_zip_polyglot, BROKEN),
    ("jpeg-zip-polyglot", g.jpeg_zip_polyglot, BROKEN),
    ("truncated-jpeg", g.truncated_jpeg, BROKEN),
    ("truncated-png", g.truncated_png, BROKEN),
    ("gif", g.make_gif, TYPE),
    ("pdf", g.make_pdf, TYPE),
    ("zip", g.make_zip, TYPE),
    ("html", lambda: b"<html><script>alert(1)</script></html>", TYPE),
    ("tiny", g.tiny_png, DIMENSIONS),
    ("empty", lambda: b"", EMPTY),
]


@pytest.mark.parametrize("name,make,code", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_refused(name, make, code):
    assert_refused(run(make()), code)


def test_polyglot_is_still_a_zip():
    """The polyglot is a real one: a ZIP reader finds the archive in it."""
    import zipfile
    with zipfile.ZipFile(io.BytesIO(g.png_zip_polyglot())) as z:
        assert z.namelist() == ["payload.html"]


def test_oversized_input_refused():
    assert_refused(run(os.urandom(4096) + g.make_jpeg(800, 600), 4096), TOO_LARGE)


def test_decompression_bomb_refused_before_decoding():
    bomb = g.png_bomb(30000, 30000)
    assert len(bomb) < 200 * 1024
    # A real bomb: PIL's own guard calls it one.
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bomb))
    r = run_measured(bomb)
    assert_refused(r, DIMENSIONS)
    assert b"30000 x 30000" in r.err
    # 900 MP would be 3.6 GB as pixels; the helper never got near a byte of it.
    assert r.maxrss_kb < 64 * 1024, r.maxrss_kb
    # The same helper does decode a real image of a few megapixels.
    assert run_measured(g.make_png(3000, 2000)).maxrss_kb > r.maxrss_kb + 20 * 1024


def test_pixel_cap_is_the_argument():
    data = g.make_png(1200, 900)
    assert run(data, MAX_BYTES, str(1200 * 900)).code == OK
    assert_refused(run(data, MAX_BYTES, str(1200 * 900 - 1)), DIMENSIONS)


def test_heic_other_brand_refused():
    """An ISO-BMFF file of another brand (AVIF, MP4) is not a HEIC."""
    data = bytearray(g.make_heic(640, 480))
    at = data.index(b"ftyp") + 4
    data[at:at + 4] = b"avif"
    data = bytes(data).replace(b"heic", b"avif")
    assert_refused(run(data), TYPE)


def test_bad_arguments_fail():
    r = run(b"x", "ten")
    assert r.code == FAILED and r.out == b""


# ------------------------------------------------------------------ limits

def test_helper_limits_itself_before_reading():
    """While the helper waits for its first byte: its rlimits are set and it
    holds no descriptor but stdin, stdout and stderr (an fd it inherited is
    closed)."""
    if not os.access(HELPER, os.X_OK):
        pytest.fail(f"{HELPER} not built")
    leak_r, leak_w = os.pipe()
    p = subprocess.Popen([HELPER, str(MAX_BYTES)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         pass_fds=(leak_w,))
    try:
        limits = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(f"/proc/{p.pid}/limits") as f:
                text = f.read()
            limits = {line[:26].strip(): line[26:].split() for line in text.splitlines()[1:]}
            if limits["Max file size"][0] == "0":
                break
            time.sleep(0.05)
        assert limits["Max file size"][:2] == ["0", "0"], limits
        assert limits["Max core file size"][:2] == ["0", "0"], limits
        assert limits["Max cpu time"][0] not in ("unlimited",) and int(limits["Max cpu time"][0]) <= 30
        if not SANITIZED:
            assert int(limits["Max address space"][0]) <= 1024 * 1024 * 1024, limits
            assert limits["Max open files"][:2] == ["3", "3"], limits
        deadline = time.monotonic() + 30
        while sorted(os.listdir(f"/proc/{p.pid}/fd")) != ["0", "1", "2"]:
            assert time.monotonic() < deadline, os.listdir(f"/proc/{p.pid}/fd")
            time.sleep(0.05)
        with open(f"/proc/{p.pid}/status") as f:
            assert "NoNewPrivs:\t1" in f.read()
    finally:
        os.close(leak_r)
        os.close(leak_w)
        out, err = p.communicate(g.make_jpeg(800, 600), timeout=60)
    assert p.returncode == OK, err
    assert_clean_jpeg(out, (800, 600))
