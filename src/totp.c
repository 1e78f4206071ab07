/*
 * totp.c — RFC 6238 TOTP (see totp.h), its base32 and otpauth:// forms and the
 * enrolment QR code as SVG.
 */
#include "autoconf.h"
#include "totp.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include <gcrypt.h>
#include <qrencode.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "util.h"

/* HMAC-SHA-1 of the 8-byte big-endian counter (RFC 4226 §5.2). 0 or -1. */
static int
hotp_mac(const unsigned char *key, size_t keylen, uint64_t step, unsigned char mac[20])
{
	gcry_mac_hd_t	 h;
	unsigned char	 msg[8];
	size_t		 maclen = 20;
	int		 i, rc = -1;

	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA1, 0, NULL) != 0) {
		log_err("totp: cannot open HMAC-SHA-1");
		return -1;
	}
	if (gcry_mac_setkey(h, key, keylen) == 0 &&
	    gcry_mac_write(h, msg, sizeof(msg)) == 0 &&
	    gcry_mac_read(h, mac, &maclen) == 0 && maclen == 20)
		rc = 0;
	else
		log_err("totp: HMAC-SHA-1 failed");
	gcry_mac_close(h);
	return rc;
}

int
totp_code(const unsigned char *key, size_t keylen, uint64_t step, int digits,
    char *out)
{
	unsigned char	 mac[20];
	uint32_t	 bin, mod = 1;
	int		 off, i;

	if (digits < 6 || digits > 8 || hotp_mac(key, keylen, step, mac) != 0)
		return -1;
	/* Dynamic truncation (RFC 4226 §5.3). */
	off = mac[19] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	    ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
	for (i = 0; i < digits; i++)
		mod *= 10;
	/* bin % mod has at most digits digits: the copy is exact. */
	{
		char	 tmp[16];

		snprintf(tmp, sizeof(tmp), "%0*u", digits, (unsigned)(bin % mod));
		memcpy(out, tmp, (size_t)digits + 1);
		util_wipe(tmp, sizeof(tmp));
	}
	util_wipe(mac, sizeof(mac));
	return 0;
}

long long
totp_check(const unsigned char *key, size_t keylen, const char *code, int64_t now,
    long long last_step)
{
	char		 want[TOTP_DIGITS + 1];
	long long	 step, cur, found = 0;
	int		 d;

	if (code == NULL || strlen(code) != TOTP_DIGITS ||
	    strspn(code, "0123456789") != TOTP_DIGITS || now < TOTP_PERIOD)
		return 0;
	cur = (long long)(now / TOTP_PERIOD);
	/* Every candidate is computed and compared: the time taken does not
	 * tell which step matched. */
	for (d = -1; d <= 1; d++) {
		step = cur + d;
		if (totp_code(key, keylen, (uint64_t)step, TOTP_DIGITS, want) != 0)
			return -1;
		if (crypto_equal(want, code, TOTP_DIGITS) && step > last_step &&
		    found == 0)
			found = step;
	}
	util_wipe(want, sizeof(want));
	return found;
}

void
totp_base32(const unsigned char *in, size_t n, char *out)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned	 buf = 0;
	int		 bits = 0;
	size_t		 i, o = 0;

	for (i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = alpha[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alpha[(buf << (5 - bits)) & 31];
	out[o] = '\0';
}

/* Percent-encode s (RFC 3986 unreserved characters stay) onto b. */
static void
pct(struct buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_append(b, p, 1);
		else
			buf_printf(b, "%%%02X", *p);
	}
}

char *
totp_uri(const char *issuer, const char *account, const unsigned char *key,
    size_t keylen)
{
	struct buf	 b = { 0 };
	char		*b32, *out;

	b32 = xmalloc(TOTP_B32_LEN(keylen) + 1);
	totp_base32(key, keylen, b32);
	buf_puts(&b, "otpauth://totp/");
	pct(&b, issuer);
	buf_puts(&b, ":");
	pct(&b, account);
	buf_puts(&b, "?secret=");
	buf_puts(&b, b32);
	buf_puts(&b, "&issuer=");
	pct(&b, issuer);
	buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_PERIOD);
	util_wipe(b32, strlen(b32));
	free(b32);
	out = xstrndup(b.data, b.len);
	util_wipe(b.data, b.len);
	buf_free(&b);
	return out;
}

/* s with & < > " escaped, onto b. */
static void
xml_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

char *
totp_qr_svg(const char *text, const char *label)
{
	QRcode		*qr;
	struct buf	 b = { 0 };
	char		*out;
	int		 x, y, w, size;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) == NULL) {
		log_err("totp: the QR code cannot be made");
		return NULL;
	}
	w = qr->width;
	size = w + 8;
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" "
	    "aria-label=\"", size, size, size * 5, size * 5);
	xml_text(&b, label);
	buf_printf(&b, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	    size, size);
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + 4, y + 4);
	buf_puts(&b, "\"/></svg>");
	QRcode_free(qr);
	out = xstrndup(b.data, b.len);
	util_wipe(b.data, b.len);
	buf_free(&b);
	return out;
}

void
totp_recovery_code(char out[TOTP_RECOVERY_LEN + 1])
{
	static const char alpha[] = "abcdefghjkmnpqrstuvwxyz23456789";
	int	 i, o = 0;

	for (i = 0; i < 10; i++) {
		if (i == 5)
			out[o++] = '-';
		out[o++] = alpha[crypto_random_uniform(sizeof(alpha) - 1)];
	}
	out[o] = '\0';
}

int
totp_recovery_hash(const char *purpose, const char *code, char out[65])
{
	unsigned char	 key[64], mac[32];
	char		 norm[64], *msg;
	size_t		 keylen, n = 0;
	const char	*p;
	int		 rc;

	for (p = code; *p != '\0' && n < sizeof(norm) - 1; p++)
		if (*p != '-' && *p != ' ')
			norm[n++] = (char)tolower((unsigned char)*p);
	norm[n] = '\0';
	keylen = config_secret("Security.Secret", key, sizeof(key));
	msg = xasprintf("%s|%s", purpose, norm);
	rc = crypto_hmac(key, keylen, msg, strlen(msg), mac);
	if (rc == 0)
		util_hex(mac, sizeof(mac), out);
	else
		log_err("totp: HMAC of a recovery code failed");
	util_wipe(key, sizeof(key));
	util_wipe(norm, sizeof(norm));
	util_wipe(mac, sizeof(mac));
	util_free_secret(msg);
	return rc;
}
