/*
 * normalize.c — katakana names, card symbols and numbers, digit strings.
 *
 * Every function works the same way: check the bytes are UTF-8 (no control
 * characters), apply NFKC with libutf8proc, walk the code points dropping and
 * mapping as the rule of that field says, and encode the result again. The rules
 * are in normalize.h. Nothing here logs: the input is personal or card data.
 */
#include "autoconf.h"
#include "normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

/* A decoded string: code points, no terminator. */
struct cps {
	int32_t	*cp;
	size_t	 n;
};

/*
 * Validate in (UTF-8, no C0 controls but tab/CR/LF), apply NFKC and decode.
 * Returns 0 and fills *out (free out->cp), or -1.
 */
static int
nfkc_decode(const char *in, struct cps *out)
{
	utf8proc_uint8_t	*nf = NULL;
	const utf8proc_uint8_t	*p;
	utf8proc_ssize_t	 len, r;
	size_t			 inlen;
	int			 rc = -1;

	out->cp = NULL;
	out->n = 0;
	if (in == NULL)
		return -1;
	inlen = strlen(in);
	if (!util_utf8_valid(in, inlen))
		return -1;
	if ((nf = utf8proc_NFKC((const utf8proc_uint8_t *)in)) == NULL)
		goto out;
	len = (utf8proc_ssize_t)strlen((const char *)nf);
	/* NFKC can expand (e.g. "㍻" → "平成"), so size by the output. */
	out->cp = xcalloc((size_t)len + 1, sizeof(int32_t));
	for (p = nf; len > 0; p += r, len -= r) {
		if ((r = utf8proc_iterate(p, len, &out->cp[out->n])) <= 0)
			goto out;
		out->n++;
	}
	rc = 0;
out:
	free(nf);
	if (rc == -1) {
		free(out->cp);
		out->cp = NULL;
		out->n = 0;
	}
	return rc;
}

/* Encode n code points as a malloc'd NUL-terminated UTF-8 string. */
static char *
encode(const int32_t *cp, size_t n)
{
	char	*s, *p;
	size_t	 i;

	p = s = xmalloc(n * 4 + 1);
	for (i = 0; i < n; i++)
		p += utf8proc_encode_char(cp[i], (utf8proc_uint8_t *)p);
	*p = '\0';
	return s;
}

/* White space of any kind, and the invisible separators people paste along. */
static int
is_space(int32_t c)
{
	utf8proc_category_t	 cat;

	if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0)
		return 1;
	/* ZWSP, ZWNJ, ZWJ, word joiner, BOM / ZWNBSP, Mongolian vowel separator. */
	if ((c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff ||
	    c == 0x180e)
		return 1;
	cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	    cat == UTF8PROC_CATEGORY_ZP;
}

/*
 * Marks people type for a hyphen or a long vowel. NFKC has already folded the
 * full- and half-width forms (－ → -, ～ → ~, ｰ → ー), but the dashes, the minus
 * sign, box-drawing lines (what a Japanese IME offers for "-") and the wave dashes
 * survive NFKC and are listed here.
 */
static int
is_hyphen(int32_t c)
{
	switch (c) {
	case 0x002d:	/* - hyphen-minus */
	case 0x007e:	/* ~ tilde (NFKC of ～) */
	case 0x00ad:	/* soft hyphen */
	case 0x02d7:	/* ˗ modifier minus */
	case 0x058a:	/* Armenian hyphen */
	case 0x1806:	/* Mongolian todo hyphen */
	case 0x2010:	/* ‐ hyphen (NFKC of ‑) */
	case 0x2011:
	case 0x2012:	/* ‒ figure dash */
	case 0x2013:	/* – en dash */
	case 0x2014:	/* — em dash */
	case 0x2015:	/* ― horizontal bar */
	case 0x2043:	/* ⁃ hyphen bullet */
	case 0x2053:	/* ⁓ swung dash */
	case 0x2212:	/* − minus sign */
	case 0x23af:	/* ⎯ horizontal line extension */
	case 0x2500:	/* ─ box drawing light horizontal */
	case 0x2501:	/* ━ box drawing heavy horizontal */
	case 0x2e3a:	/* ⸺ two-em dash */
	case 0x2e3b:	/* ⸻ three-em dash */
	case 0x301c:	/* 〜 wave dash */
	case 0x3030:	/* 〰 wavy dash */
	case 0x30fc:	/* ー prolonged sound mark (NFKC of ｰ) */
	case 0xfe58:	/* ﹘ small em dash */
	case 0xfe63:	/* ﹣ small hyphen-minus */
	case 0xff0d:	/* － (in case NFKC left it) */
	case 0xff5e:	/* ～ */
	case 0xff70:	/* ｰ */
		return 1;
	}
	return 0;
}

/* ・ and its relatives, written between family and given name. */
static int
is_middle_dot(int32_t c)
{
	return c == 0x30fb || c == 0xff65 || c == 0x00b7 || c == 0x2027 ||
	    c == 0x2022 || c == 0x2219 || c == 0x22c5;
}

/* Hiragana to the katakana at the same place; anything else unchanged. */
static int32_t
to_katakana(int32_t c)
{
	if (c >= 0x3041 && c <= 0x3096)		/* ぁ…ゖ → ァ…ヶ */
		return c + 0x60;
	if (c == 0x309d || c == 0x309e)		/* ゝ ゞ → ヽ ヾ */
		return c + 0x60;
	return c;
}

/* A katakana letter or mark allowed in a normalised name. */
static int
is_katakana(int32_t c)
{
	return (c >= 0x30a1 && c <= 0x30fa) ||	/* ァ … ヺ */
	    c == 0x30fc || c == 0x30fd || c == 0x30fe ||	/* ー ヽ ヾ */
	    (c >= 0x31f0 && c <= 0x31ff);	/* small ㇰ … ㇿ */
}

/* 1 when the last kept code point is a kana (or a voicing mark on one). */
static int
after_kana(const int32_t *o, size_t n)
{
	return n > 0 && (is_katakana(o[n - 1]) || o[n - 1] == 0x3099 ||
	    o[n - 1] == 0x309a);
}

char *
normalize_kana(const char *in)
{
	struct cps		 s;
	int32_t			*o = NULL, c;
	size_t			 i, n = 0;
	char			*mid = NULL, *res = NULL;
	utf8proc_uint8_t	*nfc = NULL;
	const utf8proc_uint8_t	*p;
	utf8proc_ssize_t	 len, r;

	if (nfkc_decode(in, &s) == -1)
		return NULL;
	/* Room for one extra code point per input one (ヾ → kana + mark). */
	o = xcalloc(2 * s.n + 1, sizeof(int32_t));
	for (i = 0; i < s.n; i++) {
		c = s.cp[i];
		if (is_space(c) || is_middle_dot(c))
			continue;
		c = to_katakana(c);
		if (c == 0x3099 || c == 0x309a) {
			/* A combining voicing mark (NFKC of ゛ ゜ ﾞ ﾟ): keep it for
			 * NFC below to compose with the kana before it. */
			if (!after_kana(o, n))
				goto out;
			o[n++] = c;
		} else if (is_hyphen(c)) {
			/* A long vowel only after a kana; elsewhere it is no name. */
			if (!after_kana(o, n))
				goto out;
			o[n++] = 0x30fc;
		} else if (c == 0x30fd || c == 0x30fe) {
			/* Iteration marks ヽ ヾ: write the kana out ("イスヾ" is
			 * "イスズ"), so both spellings meet. */
			if (n == 0 || !is_katakana(o[n - 1]) || o[n - 1] == 0x30fc)
				goto out;
			o[n] = o[n - 1];
			n++;
			if (c == 0x30fe)
				o[n++] = 0x3099;
		} else
			o[n++] = c;
	}
	if (n == 0)
		goto out;
	/* Compose kana + voicing mark, as separated by the space NFKC put in. */
	mid = encode(o, n);
	if ((nfc = utf8proc_NFC((const utf8proc_uint8_t *)mid)) == NULL)
		goto out;
	len = (utf8proc_ssize_t)strlen((const char *)nfc);
	for (p = nfc; len > 0; p += r, len -= r) {
		if ((r = utf8proc_iterate(p, len, &c)) <= 0 || !is_katakana(c))
			goto out;
	}
	res = xstrdup((const char *)nfc);
out:
	free(nfc);
	free(mid);
	free(o);
	free(s.cp);
	return res;
}

/*
 * Strip leading ASCII zeros from the code points o[0..*n) in place; an all-zero
 * string becomes "0".
 */
static void
strip_zeros(int32_t *o, size_t *n)
{
	size_t	 z = 0;

	while (z < *n && o[z] == '0')
		z++;
	if (z == *n && z > 0)
		z--;			/* keep one zero */
	if (z > 0) {
		memmove(o, o + z, (*n - z) * sizeof(int32_t));
		*n -= z;
	}
}

char *
normalize_symbol(const char *in)
{
	struct cps		 s;
	int32_t			*o = NULL, c;
	size_t			 i, n = 0;
	char			*res = NULL;
	utf8proc_category_t	 cat;

	if (nfkc_decode(in, &s) == -1)
		return NULL;
	o = xcalloc(s.n + 1, sizeof(int32_t));
	for (i = 0; i < s.n; i++) {
		c = s.cp[i];
		if (is_space(c) || is_hyphen(c))
			continue;
		c = utf8proc_toupper(to_katakana(c));
		if (c < 0x80) {
			if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
				goto out;
		} else {
			/* Kana and kanji occur in some symbols; digits of other
			 * scripts, punctuation and symbols do not. */
			cat = utf8proc_category(c);
			if (cat != UTF8PROC_CATEGORY_LU &&
			    cat != UTF8PROC_CATEGORY_LL &&
			    cat != UTF8PROC_CATEGORY_LT &&
			    cat != UTF8PROC_CATEGORY_LM &&
			    cat != UTF8PROC_CATEGORY_LO)
				goto out;
		}
		o[n++] = c;
	}
	strip_zeros(o, &n);
	res = encode(o, n);
out:
	free(o);
	free(s.cp);
	return res;
}

/*
 * Reduce in to ASCII digits after NFKC, dropping spaces and hyphen-like marks.
 * Returns 0 and sets *out (malloc'd code points) and *n, or -1.
 */
static int
digits_only(const char *in, int32_t **out, size_t *n)
{
	struct cps	 s;
	int32_t		*o;
	size_t		 i, k = 0;

	*out = NULL;
	*n = 0;
	if (nfkc_decode(in, &s) == -1)
		return -1;
	o = xcalloc(s.n + 1, sizeof(int32_t));
	for (i = 0; i < s.n; i++) {
		if (is_space(s.cp[i]) || is_hyphen(s.cp[i]))
			continue;
		if (s.cp[i] < '0' || s.cp[i] > '9') {
			free(o);
			free(s.cp);
			return -1;
		}
		o[k++] = s.cp[i];
	}
	free(s.cp);
	if (k == 0) {
		free(o);
		return -1;
	}
	*out = o;
	*n = k;
	return 0;
}

char *
normalize_number(const char *in)
{
	int32_t	*o;
	size_t	 n;
	char	*res;

	if (digits_only(in, &o, &n) == -1)
		return NULL;
	/* The 2017 manual: a number of 8 digits or more is entered as its last 7. */
	if (n >= 8) {
		memmove(o, o + (n - 7), 7 * sizeof(int32_t));
		n = 7;
	}
	strip_zeros(o, &n);
	res = encode(o, n);
	free(o);
	return res;
}

char *
normalize_digits(const char *in)
{
	int32_t	*o;
	size_t	 n;
	char	*res;

	if (digits_only(in, &o, &n) == -1)
		return NULL;
	res = encode(o, n);
	free(o);
	return res;
}

char *
normalize_answer(const char *in)
{
	struct cps		 s;
	int32_t			*o = NULL, c;
	size_t			 i, n = 0;
	char			*mid = NULL, *res = NULL;
	utf8proc_uint8_t	*nfc = NULL;

	if (nfkc_decode(in, &s) == -1)
		return NULL;
	o = xcalloc(s.n + 1, sizeof(int32_t));
	for (i = 0; i < s.n; i++) {
		c = s.cp[i];
		if (is_space(c) || is_middle_dot(c))
			continue;
		if (c < 0x20 || c == 0x7f)
			continue;
		c = to_katakana(c);
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (is_hyphen(c) && after_kana(o, n))
			c = 0x30fc;
		o[n++] = c;
	}
	if (n == 0)
		goto out;
	/* Compose kana + voicing mark, as separated by the space NFKC put in. */
	mid = encode(o, n);
	if ((nfc = utf8proc_NFC((const utf8proc_uint8_t *)mid)) == NULL)
		goto out;
	res = xstrdup((const char *)nfc);
out:
	free(nfc);
	free(mid);
	free(o);
	free(s.cp);
	return res;
}
