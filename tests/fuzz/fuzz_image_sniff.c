/*
 * fuzz_image_sniff.c — image_sniff and image_jpeg_strip (src/image_sniff.c),
 * the container checks every eKYC upload meets before a decoder does.
 *
 * Input: the upload. Invariants, besides no crash, no read outside the input
 * (ASan) and no leak:
 *   - the result is one of IMAGE_OK, IMAGE_EMPTY (exactly when the input is
 *     empty), IMAGE_TYPE, IMAGE_BROKEN, IMAGE_DIMENSIONS;
 *   - IMAGE_OK names a kind, whose magic the input starts with; JPEG and PNG
 *     have both sides non-zero; a JPEG ends with EOI, a PNG with the IEND
 *     chunk (so nothing rides after the end); an EXIF payload lies inside
 *     the input and starts "Exif\0\0";
 *   - the input with one more byte appended is never IMAGE_OK for JPEG or
 *     PNG (trailing data refused), nor with the last byte cut (truncation);
 *   - image_jpeg_strip of an accepted JPEG gives an accepted JPEG of the same
 *     size in pixels, no longer, with no COM and no APPn segment but JFIF,
 *     anywhere (between scans too), and stripping it again changes nothing.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "image_sniff.h"

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/*
 * 1 when the accepted JPEG p has a COM or a non-JFIF APPn segment anywhere:
 * a reference walk of every marker, skipping entropy-coded data byte by byte.
 */
static int
has_metadata(const unsigned char *p, size_t len)
{
	size_t	 at = 2, seglen;
	unsigned m;

	while (at + 1 < len) {
		if (p[at] != 0xff) {
			at++;		/* entropy-coded data */
			continue;
		}
		m = p[at + 1];
		if (m == 0x00 || m == 0xff || (m >= 0xd0 && m <= 0xd7) ||
		    m == 0x01) {
			at += m == 0xff ? 1 : 2;
			continue;
		}
		if (m == 0xd9)
			return 0;
		FUZZ_ASSERT(at + 4 <= len);
		seglen = (size_t)p[at + 2] << 8 | p[at + 3];
		if (m == 0xfe || (m >= 0xe1 && m <= 0xef))
			return 1;
		if (m == 0xe0 && (seglen < 7 || memcmp(p + at + 4, "JFIF\0", 5) != 0))
			return 1;
		at += seglen + 2;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_info info, again;
	enum image_result r;
	unsigned char	*copy;
	size_t		 n, n2;

	r = image_sniff(data, size, &info);
	FUZZ_ASSERT(r == IMAGE_OK || r == IMAGE_EMPTY || r == IMAGE_TYPE ||
	    r == IMAGE_BROKEN || r == IMAGE_DIMENSIONS);
	FUZZ_ASSERT((r == IMAGE_EMPTY) == (size == 0));
	if (r != IMAGE_OK)
		return 0;
	switch (info.kind) {
	case IMAGE_KIND_JPEG:
		FUZZ_ASSERT(size >= 4 && data[0] == 0xff && data[1] == 0xd8);
		FUZZ_ASSERT(data[size - 2] == 0xff && data[size - 1] == 0xd9);
		FUZZ_ASSERT(info.width > 0 && info.height > 0);
		break;
	case IMAGE_KIND_PNG:
		FUZZ_ASSERT(size > 8 && memcmp(data, png_sig, 8) == 0);
		FUZZ_ASSERT(size >= 12 && memcmp(data + size - 8, "IEND", 4) == 0);
		FUZZ_ASSERT(info.width > 0 && info.height > 0);
		break;
	case IMAGE_KIND_HEIF:
		FUZZ_ASSERT(size >= 12 && memcmp(data + 4, "ftyp", 4) == 0);
		break;
	default:
		FUZZ_ASSERT(0);
	}
	if (info.exif_len > 0)
		FUZZ_ASSERT(info.exif_off <= size && info.exif_len <= size -
		    info.exif_off && info.exif_len >= 6 &&
		    memcmp(data + info.exif_off, "Exif\0\0", 6) == 0);
	if (info.kind == IMAGE_KIND_HEIF)
		return 0;

	/* One byte more, one byte less. */
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = 0;
	FUZZ_ASSERT(image_sniff(copy, size + 1, &again) != IMAGE_OK);
	FUZZ_ASSERT(image_sniff(copy, size - 1, &again) != IMAGE_OK);

	if (info.kind == IMAGE_KIND_JPEG) {
		n = image_jpeg_strip(copy, size);
		FUZZ_ASSERT(n > 0 && n <= size);
		FUZZ_ASSERT(image_sniff(copy, n, &again) == IMAGE_OK);
		FUZZ_ASSERT(again.kind == IMAGE_KIND_JPEG &&
		    again.width == info.width && again.height == info.height &&
		    again.exif_len == 0);
		FUZZ_ASSERT(!has_metadata(copy, n));
		n2 = image_jpeg_strip(copy, n);
		FUZZ_ASSERT(n2 == n);
	}
	free(copy);
	return 0;
}
