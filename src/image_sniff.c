/*
 * image_sniff.c — the container checks of an upload (see image_sniff.h).
 *
 * Every reader here takes the whole upload as one buffer, checks each length
 * against what is left before using it, and walks forward only, so a hostile
 * file costs at most one pass over its bytes. None of them allocates.
 */
#include "autoconf.h"
#include "image_sniff.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* More parts than a real photo has: refused as broken, whatever they are. */
#define MAX_PARTS	10000

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* 1 when p[0..4) is a four-letter chunk or box type of printable ASCII. */
static int
fourcc_ok(const unsigned char *p, int letters_only)
{
	int	 i;

	for (i = 0; i < 4; i++) {
		if (letters_only ? !((p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= 'a' && p[i] <= 'z')) : (p[i] < 0x20 || p[i] > 0x7e))
			return 0;
	}
	return 1;
}

/* 1 when the IHDR's bit depth suits its colour type (PNG §11.2.2). */
static int
png_depth_ok(unsigned depth, unsigned color)
{
	switch (color) {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
		    depth == 16;
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 2:
	case 4:
	case 6:
		return depth == 8 || depth == 16;
	default:
		return 0;
	}
}

/*
 * PNG: the signature, IHDR first, every chunk whole with a right CRC, at
 * least one IDAT, IEND last and nothing after it.
 */
static enum image_result
sniff_png(const unsigned char *p, size_t len, struct image_info *info)
{
	size_t		 at = sizeof(png_sig), n = 0;
	uint32_t	 clen;
	int		 idat = 0;
	const unsigned char *c;

	while (at < len) {
		if (len - at < 12 || ++n > MAX_PARTS)
			return IMAGE_BROKEN;
		c = p + at;
		clen = be32(c);
		if (clen > 0x7fffffffu || clen > len - at - 12 ||
		    !fourcc_ok(c + 4, 1))
			return IMAGE_BROKEN;
		if (crc32(crc32(0L, Z_NULL, 0), c + 4, clen + 4) !=
		    be32(c + 8 + clen))
			return IMAGE_BROKEN;
		if (n == 1) {
			if (memcmp(c + 4, "IHDR", 4) != 0 || clen != 13)
				return IMAGE_BROKEN;
			if (be32(c + 8) > 0x7fffffffu ||
			    be32(c + 12) > 0x7fffffffu ||
			    !png_depth_ok(c[16], c[17]) || c[18] != 0 ||
			    c[19] != 0 || c[20] > 1)
				return IMAGE_BROKEN;
			info->width = be32(c + 8);
			info->height = be32(c + 12);
		} else if (memcmp(c + 4, "IHDR", 4) == 0)
			return IMAGE_BROKEN;
		else if (memcmp(c + 4, "IDAT", 4) == 0)
			idat = 1;
		at += 12 + (size_t)clen;
		if (memcmp(c + 4, "IEND", 4) == 0) {
			if (clen != 0 || !idat)
				return IMAGE_BROKEN;
			/* Anything after IEND: a polyglot, or junk. */
			if (at != len)
				return IMAGE_BROKEN;
			if (info->width == 0 || info->height == 0)
				return IMAGE_DIMENSIONS;
			return IMAGE_OK;
		}
	}
	return IMAGE_BROKEN;	/* no IEND: truncated */
}

/*
 * The end of the entropy-coded data that starts at p[at]: the offset of the
 * next marker (0xFF then neither 0x00, a fill 0xFF nor RSTn), or 0 when the
 * data runs to the end of the buffer (truncated).
 */
static size_t
jpeg_scan_end(const unsigned char *p, size_t len, size_t at)
{
	const unsigned char *ff;
	unsigned	 m;

	while (at < len) {
		if ((ff = memchr(p + at, 0xff, len - at)) == NULL)
			return 0;
		at = (size_t)(ff - p);
		if (at + 1 >= len)
			return 0;
		m = p[at + 1];
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd7))
			at += 2;
		else if (m == 0xff)
			at += 1;
		else
			return at;
	}
	return 0;
}

/*
 * JPEG: SOI, segments whole, exactly one frame header (SOF0/1/2 Huffman or
 * SOF9/10 arithmetic: what libjpeg decodes to 8-bit pixels), scans after it,
 * EOI last and nothing after it.
 */
static enum image_result
sniff_jpeg(const unsigned char *p, size_t len, struct image_info *info)
{
	size_t		 at = 2, seglen, n = 0;
	unsigned	 m;
	int		 sof = 0, sos = 0;

	for (;;) {
		if (++n > MAX_PARTS || at >= len || p[at] != 0xff)
			return IMAGE_BROKEN;
		while (at < len && p[at] == 0xff)
			at++;		/* fill bytes before a marker */
		if (at >= len)
			return IMAGE_BROKEN;
		m = p[at++];
		if (m == 0xd9) {			/* EOI */
			if (!sos)
				return IMAGE_BROKEN;
			if (at != len)
				return IMAGE_BROKEN;	/* bytes after EOI */
					return IMAGE_OK;
		}
		if (m == 0x00 || m == 0xd8)
			return IMAGE_BROKEN;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;			/* TEM, RSTn: no length */
		if (len - at < 2 || (seglen = be16(p + at)) < 2 ||
		    seglen > len - at)
			return IMAGE_BROKEN;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			/* A frame header: precision, height, width, components. */
			if (sof++ || seglen < 8)
				return IMAGE_BROKEN;
			if (m != 0xc0 && m != 0xc1 && m != 0xc2 && m != 0xc9 &&
			    m != 0xca)
				return IMAGE_TYPE;	/* lossless, hierarchical */
			if (p[at + 2] != 8)
				return IMAGE_TYPE;	/* 12-bit samples */
			info->height = be16(p + at + 3);
			info->width = be16(p + at + 5);
			if (info->width == 0 || info->height == 0)
				return IMAGE_DIMENSIONS; /* DNL: size comes later */
		} else if (m == 0xe1 && info->exif_len == 0 && seglen >= 8 &&
		    memcmp(p + at + 2, "Exif\0\0", 6) == 0) {
			info->exif_off = at + 2;
			info->exif_len = seglen - 2;
		}
		at += seglen;
		if (m == 0xda) {			/* SOS: a scan follows */
			if (!sof)
				return IMAGE_BROKEN;
			sos = 1;
			if ((at = jpeg_scan_end(p, len, at)) == 0)
				return IMAGE_BROKEN;	/* truncated */
		}
	}
}

/* 1 when brand is one of HEIC's (HEVC-coded HEIF images). */
static int
heic_brand(const unsigned char *b)
{
	static const char *const brands[] = { "heic", "heix", "heim", "heis",
	    "hevc", "hevx" };
	size_t	 i;

	for (i = 0; i < sizeof(brands) / sizeof(brands[0]); i++)
		if (memcmp(b, brands[i], 4) == 0)
			return 1;
	return 0;
}

/*
 * HEIF: top-level boxes that tile the file exactly, ftyp first naming a HEIC
 * brand (major or compatible), a meta box. A box of size 0 runs to the end
 * of the file, as ISO/IEC 14496-12 allows for the last one.
 */
static enum image_result
sniff_heif(const unsigned char *p, size_t len, struct image_info *info)
{
	size_t		 at = 0, n = 0, hdr, i;
	uint64_t	 size;
	const unsigned char *b;
	int		 brand = 0, meta = 0;

	while (at < len) {
		if (len - at < 8 || ++n > MAX_PARTS)
			return IMAGE_BROKEN;
		b = p + at;
		size = be32(b);
		hdr = 8;
		if (size == 1) {
			if (len - at < 16)
				return IMAGE_BROKEN;
			size = (uint64_t)be32(b + 8) << 32 | be32(b + 12);
			hdr = 16;
		} else if (size == 0)
			size = len - at;
		if (size < hdr || size > len - at || !fourcc_ok(b + 4, 0))
			return IMAGE_BROKEN;
		if (n == 1) {
			/* major brand, minor version, compatible brands */
			if (memcmp(b + 4, "ftyp", 4) != 0 || size < hdr + 8 ||
			    (size - hdr) % 4 != 0)
				return IMAGE_TYPE;
			brand = heic_brand(b + hdr);
			for (i = hdr + 8; i + 4 <= size; i += 4)
				brand |= heic_brand(b + i);
			if (!brand)
				return IMAGE_TYPE;	/* AVIF, MP4, …: not ours */
		} else if (memcmp(b + 4, "ftyp", 4) == 0)
			return IMAGE_BROKEN;
		else if (memcmp(b + 4, "meta", 4) == 0)
			meta = 1;
		at += (size_t)size;
	}
	if (!meta)
		return IMAGE_BROKEN;
	return IMAGE_OK;
}

enum image_result
image_sniff(const unsigned char *p, size_t len, struct image_info *info)
{
	memset(info, 0, sizeof(*info));
	if (len == 0)
		return IMAGE_EMPTY;
	/* info->kind names what it looked like even when refused (for the
	 * reason); only IMAGE_OK means it is one. */
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		info->kind = IMAGE_KIND_JPEG;
		return sniff_jpeg(p, len, info);
	}
	if (len < 3 && p[0] == 0xff && (len == 1 || p[1] == 0xd8))
		return IMAGE_BROKEN;	/* the start of a JPEG, cut */
	if (memcmp(p, png_sig, len < sizeof(png_sig) ? len : sizeof(png_sig))
	    == 0)
	{
		info->kind = IMAGE_KIND_PNG;
		return len <= sizeof(png_sig) ? IMAGE_BROKEN :
		    sniff_png(p, len, info);
	}
	if (len >= 12 && memcmp(p + 4, "ftyp", 4) == 0) {
		info->kind = IMAGE_KIND_HEIF;
		return sniff_heif(p, len, info);
	}
	return IMAGE_TYPE;
}

size_t
image_jpeg_strip(unsigned char *p, size_t len)
{
	struct image_info info;
	size_t		 in = 2, out = 2, end;
	unsigned	 m;
	int		 drop;

	if (image_sniff(p, len, &info) != IMAGE_OK ||
	    info.kind != IMAGE_KIND_JPEG)
		return 0;
	/*
	 * Every marker to EOI, scans included (APPn and COM may sit between
	 * the scans of a progressive file). image_sniff checked the lengths.
	 */
	for (;;) {
		while (p[in + 1] == 0xff)
			in++;		/* fill bytes: dropped */
		m = p[in + 1];
		if (m == 0xd9) {
			p[out++] = 0xff;
			p[out++] = 0xd9;
			return out;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			end = in + 2;
		else {
			end = in + 2 + be16(p + in + 2);
			if (m == 0xda)
				end = jpeg_scan_end(p, len, end);
		}
		drop = m == 0xfe || (m >= 0xe0 && m <= 0xef && !(m == 0xe0 &&
		    end - in >= 9 && memcmp(p + in + 4, "JFIF\0", 5) == 0));
		if (!drop) {
			memmove(p + out, p + in, end - in);
			out += end - in;
		}
		in = end;
	}
}
