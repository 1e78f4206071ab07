/*
 * image_sniff.h — what an upload is, by its bytes alone, before any decoder
 * sees it (src/kenpo-image.c; fuzzed by tests/fuzz/fuzz_image_sniff.c).
 *
 * The container of each accepted type is walked from its first byte to its
 * last: a file that ends early is broken, one with anything after its end
 * marker (PNG IEND, JPEG EOI, the last HEIF box) is refused as a possible
 * polyglot (a ZIP or script riding on a picture). The dimensions come from the
 * header (PNG IHDR, JPEG SOFn) so a decompression bomb is refused before a
 * byte of it is inflated. File names and the client's Content-Type are never
 * consulted: the caller does not even pass them.
 */
#ifndef KENPO_IMAGE_SNIFF_H
#define KENPO_IMAGE_SNIFF_H

#include <stddef.h>

#include "image.h"

enum image_kind {
	IMAGE_KIND_NONE = 0,
	IMAGE_KIND_JPEG,
	IMAGE_KIND_PNG,
	IMAGE_KIND_HEIF,	/* HEIC: an HEVC-coded HEIF, by its ftyp brands */
};

struct image_info {
	enum image_kind	 kind;		/* also on a refusal: what it claimed to be */
	unsigned	 width, height;	/* from IHDR / SOFn; 0 for HEIF (libheif's ispe) */
	size_t		 exif_off;	/* JPEG: the first APP1 "Exif\0\0" payload */
	size_t		 exif_len;	/* 0: none */
};

/*
 * Identify and check the container of p[0..len). Returns IMAGE_OK with *info
 * filled, IMAGE_EMPTY (len 0), IMAGE_TYPE (not a JPEG, PNG or HEIC, or a
 * variant of one we do not decode: lossless or hierarchical JPEG, AVIF),
 * IMAGE_BROKEN (truncated, a bad length, checksum or order of parts, bytes
 * after the end) or IMAGE_DIMENSIONS (a zero side in the header); info->kind
 * is set by the magic bytes whatever the verdict. Pure: no
 * allocation, linear in len.
 */
enum image_result image_sniff(const unsigned char *p, size_t len,
	    struct image_info *info);

/*
 * Drop every APPn segment but the JFIF APP0, and every COM segment, from the
 * header of the JPEG p[0..len) (our encoder's output), in place. Returns the
 * new length, or 0 when p is not a JPEG image_sniff accepts.
 */
size_t	 image_jpeg_strip(unsigned char *p, size_t len);

#endif
