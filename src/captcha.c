/*
 * captcha.c — sealed stateless challenges, their images, text questions and the
 * single-use check. See captcha.h for the model.
 *
 * Drawing: each character is libgd's built-in Giant bitmap font (9x15, 2-pixel
 * strokes) sampled bilinearly and thresholded, which turns the pixel staircase into
 * smooth outlines at any scale, then rotated, sheared, scaled and offset on its own.
 * Crossing lines are drawn in the same ink colours as the text so that colour alone
 * does not separate them, and at levels 2-3 the whole ink layer is warped by sine
 * waves. Work is done on a 3x supersampled ink mask and averaged down, which gives
 * anti-aliased edges; no font file is needed at run time.
 */
#include "autoconf.h"
#include "captcha.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gd.h>
#include <gdfontg.h>
#include <utf8proc.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

/* Image alphabet: digits and upper case without look-alikes (see captcha.h). */
static const char	 alphabet[] = "23469ACDEFHJKMNPRTUVWXY";

#define BOX_VERSION	1
#define BOX_HEAD	28	/* version, kind, level, id[16], expires[8], answer length */
#define BOX_MAX		(BOX_HEAD + CAPTCHA_ANSWER_MAX + 4)
#define SEALED_MAX	(BOX_MAX + 12 + 16)

enum text_op { OP_ADD = 1, OP_SUB = 2, OP_ADDSUB = 3 };

/*
 * The sealing key: HMAC-SHA256(Security.Secret, "captcha-key"), so a challenge can
 * never be confused with a box sealed for another purpose. Derived once per
 * configuration (every login page seals a challenge). 0 or -1 (logged).
 */
static int
captcha_key(unsigned char key[32])
{
	static unsigned char derived[32];
	static unsigned	 gen;
	static int	 have;
	unsigned char	 secret[256];
	size_t		 n;
	int		 rc;

	if (have && gen == config_generation()) {
		memcpy(key, derived, sizeof(derived));
		return 0;
	}
	have = 0;
	n = config_secret("Security.Secret", secret, sizeof(secret));
	if (n < 32) {
		log_err("captcha: Security.Secret is missing or too short");
		util_wipe(secret, sizeof(secret));
		return -1;
	}
	rc = crypto_hmac(secret, n, "captcha-key", 11, derived);
	util_wipe(secret, sizeof(secret));
	if (rc != 0) {
		log_err("captcha: cannot derive the challenge key");
		return rc;
	}
	have = 1;
	gen = config_generation();
	memcpy(key, derived, sizeof(derived));
	return 0;
}

/* Seal box into a base64url string in out. 0 or -1. */
static int
box_seal(const struct captcha_box *box, char *out, size_t cap)
{
	unsigned char	 key[32], plain[BOX_MAX], sealed[SEALED_MAX];
	size_t		 n, alen, i;
	long		 slen;
	uint64_t	 e;
	int		 rc = -1;

	alen = strlen(box->answer);
	if (alen == 0 || alen > CAPTCHA_ANSWER_MAX)
		return -1;
	plain[0] = BOX_VERSION;
	plain[1] = (unsigned char)box->kind;
	plain[2] = (unsigned char)box->level;
	memcpy(plain + 3, box->id, 16);
	e = (uint64_t)box->expires;
	for (i = 0; i < 8; i++)
		plain[19 + i] = (unsigned char)(e >> (56 - 8 * i));
	plain[27] = (unsigned char)alen;
	memcpy(plain + BOX_HEAD, box->answer, alen);
	n = BOX_HEAD + alen;
	if (box->kind == CAPTCHA_TEXT) {
		memcpy(plain + n, box->q, 4);
		n += 4;
	}
	if (captcha_key(key) != 0)
		goto out;
	if ((slen = crypto_seal(key, plain, n, sealed, sizeof(sealed))) < 0) {
		log_err("captcha: cannot seal a challenge");
		goto out;
	}
	if (cap < 4 * (((size_t)slen + 2) / 3) + 1)
		goto out;
	crypto_b64url_encode(sealed, (size_t)slen, out);
	rc = 0;
out:
	util_wipe(key, sizeof(key));
	util_wipe(plain, sizeof(plain));
	return rc;
}

int
captcha_open_at(const char *challenge, int64_t now, struct captcha_box *box)
{
	unsigned char	 key[32], plain[BOX_MAX], sealed[SEALED_MAX];
	char		 enc[CAPTCHA_CHALLENGE_MAX];
	size_t		 len, i, alen, want;
	long		 slen, plen;
	uint64_t	 e = 0;
	int		 rc = -1;

	memset(box, 0, sizeof(*box));
	if (challenge == NULL)
		return -1;
	len = strlen(challenge);
	if (len > 4 && strcmp(challenge + len - 4, ".png") == 0)
		len -= 4;
	if (len == 0 || len >= sizeof(enc))
		return -1;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)challenge[i]) && challenge[i] != '-' &&
		    challenge[i] != '_')
			return -1;
	}
	memcpy(enc, challenge, len);
	enc[len] = '\0';
	if ((slen = crypto_b64url_decode(enc, sealed, sizeof(sealed))) < 0)
		return -1;
	if (captcha_key(key) != 0)
		goto out;
	plen = crypto_open(key, sealed, (size_t)slen, plain, sizeof(plain));
	if (plen < BOX_HEAD || plain[0] != BOX_VERSION)
		goto out;
	box->kind = plain[1];
	box->level = plain[2];
	if ((box->kind != CAPTCHA_IMAGE && box->kind != CAPTCHA_TEXT) ||
	    box->level < 1 || box->level > CAPTCHA_LEVEL_MAX)
		goto out;
	memcpy(box->id, plain + 3, 16);
	for (i = 0; i < 8; i++)
		e = e << 8 | plain[19 + i];
	box->expires = (int64_t)e;
	alen = plain[27];
	want = BOX_HEAD + alen + (box->kind == CAPTCHA_TEXT ? 4 : 0);
	if (alen == 0 || alen > CAPTCHA_ANSWER_MAX || (size_t)plen != want)
		goto out;
	memcpy(box->answer, plain + BOX_HEAD, alen);
	box->answer[alen] = '\0';
	if (box->kind == CAPTCHA_TEXT)
		memcpy(box->q, plain + BOX_HEAD + alen, 4);
	if (box->expires <= now)
		goto out;
	rc = 0;
out:
	util_wipe(key, sizeof(key));
	util_wipe(plain, sizeof(plain));
	if (rc != 0)
		util_wipe(box, sizeof(*box));
	return rc;
}

/* Pick a text question for level; fills q[] and the decimal answer. */
static void
text_question(int level, struct captcha_box *box)
{
	unsigned	 a, b, c = 0, r;

	if (level >= 3) {
		/* a + b - c, never negative. */
		a = 1 + crypto_random_uniform(9);
		b = 1 + crypto_random_uniform(9);
		c = 1 + crypto_random_uniform(a + b < 9 ? a + b : 9);
		box->q[0] = OP_ADDSUB;
		r = a + b - c;
	} else if (crypto_random_uniform(2) == 0) {
		a = 1 + crypto_random_uniform(9);
		b = 1 + crypto_random_uniform(9);
		box->q[0] = OP_ADD;
		r = a + b;
	} else {
		a = 2 + crypto_random_uniform(8);
		b = 1 + crypto_random_uniform(a - 1);
		box->q[0] = OP_SUB;
		r = a - b;
	}
	box->q[1] = (unsigned char)a;
	box->q[2] = (unsigned char)b;
	box->q[3] = (unsigned char)c;
	snprintf(box->answer, sizeof(box->answer), "%u", r);
}

int
captcha_new_at(int kind, int level, int64_t now, char *out, size_t cap)
{
	struct captcha_box box;
	int		 i, n, rc;

	if (level < 1 || level > CAPTCHA_LEVEL_MAX ||
	    (kind != CAPTCHA_IMAGE && kind != CAPTCHA_TEXT))
		return -1;
	memset(&box, 0, sizeof(box));
	box.kind = kind;
	box.level = level;
	crypto_random(box.id, sizeof(box.id));
	box.expires = now + 60 * config_int("Login.CaptchaMinutes");
	if (kind == CAPTCHA_IMAGE) {
		n = 3 + level;
		for (i = 0; i < n; i++)
			box.answer[i] = alphabet[crypto_random_uniform(
			    sizeof(alphabet) - 1)];
		box.answer[n] = '\0';
	} else
		text_question(level, &box);
	rc = box_seal(&box, out, cap);
	util_wipe(&box, sizeof(box));
	return rc;
}

int
captcha_new(int level, char *out, size_t cap)
{
	return captcha_new_at(CAPTCHA_IMAGE, level, util_now(), out, cap);
}

int
captcha_text_new(int level, char *out, size_t cap)
{
	return captcha_new_at(CAPTCHA_TEXT, level, util_now(), out, cap);
}

int
captcha_kind(const char *challenge)
{
	struct captcha_box box;
	int		 kind;

	if (captcha_open_at(challenge, util_now(), &box) != 0)
		return -1;
	kind = box.kind;
	util_wipe(&box, sizeof(box));
	return kind;
}

/* ---------------------------------------------------------------- answers */

int
captcha_normalize(const char *answer, char *out, size_t cap)
{
	utf8proc_uint8_t *nf;
	size_t		 i, o = 0;
	int		 rc = -1;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (answer == NULL)
		return -1;
	/* NFKC: full-width Ａ-Ｚ, ａ-ｚ, ０-９ and U+3000 become ASCII. */
	if ((nf = utf8proc_NFKC((const utf8proc_uint8_t *)answer)) == NULL)
		return -1;
	for (i = 0; nf[i] != '\0'; i++) {
		if (nf[i] == ' ' || nf[i] == '\t' || nf[i] == '\r' || nf[i] == '\n')
			continue;
		if (o + 1 >= cap)
			goto out;
		out[o++] = (char)((nf[i] >= 'a' && nf[i] <= 'z') ?
		    nf[i] - 'a' + 'A' : nf[i]);
	}
	out[o] = '\0';
	rc = 0;
out:
	if (rc != 0)
		util_wipe(out, cap);
	util_wipe(nf, strlen((char *)nf));
	free(nf);
	return rc;
}

/* The value of one kanji digit 〇一…九 at s (3 UTF-8 bytes), or -1. */
static int
kanji_digit(const char *s)
{
	static const char *const digits[] = {
		"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九",
	};
	int		 i;

	for (i = 0; i < 10; i++)
		if (strncmp(s, digits[i], 3) == 0)
			return i;
	if (strncmp(s, "零", 3) == 0)
		return 0;
	return -1;
}

/*
 * Parse an answer to a text question: ASCII digits (after normalisation) or a
 * kanji numeral up to 99 (十, 十三, 二十, 二十三, 〇). Returns the value or -1.
 */
static int
parse_number(const char *s)
{
	int		 v = 0, d, tens = -1;
	size_t		 i, n = strlen(s);

	if (n == 0 || n > 9)
		return -1;
	if (isdigit((unsigned char)s[0])) {
		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		return v;
	}
	if (n % 3 != 0)
		return -1;
	for (i = 0; i < n; i += 3) {
		if (strncmp(s + i, "十", 3) == 0) {
			if (tens >= 0)
				return -1;
			tens = (i == 0) ? 1 : v;
			if (i > 3 || (i == 3 && v < 2))
				return -1;
			v = 0;
			continue;
		}
		if ((d = kanji_digit(s + i)) < 0 || (i > 0 && tens < 0))
			return -1;
		if (tens >= 0 && (i + 3 != n || d == 0))
			return -1;
		v = d;
	}
	return tens >= 0 ? tens * 10 + v : v;
}

int
captcha_answer_matches(const struct captcha_box *box, const char *answer)
{
	char		 norm[64];
	int		 ok;

	if (captcha_normalize(answer, norm, sizeof(norm)) != 0)
		return 0;
	if (box->kind == CAPTCHA_TEXT)
		ok = parse_number(norm) == atoi(box->answer);
	else
		ok = crypto_streq(norm, box->answer);
	util_wipe(norm, sizeof(norm));
	return ok;
}

/*
 * Rows are kept an hour past expiry so that a host whose clock runs behind the
 * database's still finds the row of a challenge it would accept.
 */
void
captcha_prune_now_and_then(void)
{
	if (db_in_txn() || crypto_random_uniform(100) != 0)
		return;
	if (db_exec("DELETE FROM captcha_used WHERE expires_at < "
	    "NOW(6) - INTERVAL 1 HOUR LIMIT 1000", "") < 0)
		log_warn("captcha: cannot prune used challenges");
}

int
captcha_verify(const char *challenge, const char *answer, int min_level)
{
	struct captcha_box box;
	char		 idhex[33];
	long long	 rc;
	int		 verdict = CAPTCHA_INVALID;

	if (captcha_open_at(challenge, util_now(), &box) != 0)
		return CAPTCHA_INVALID;
	if (box.level < min_level)
		goto out;
	util_hex(box.id, sizeof(box.id), idhex);
	rc = db_exec("INSERT INTO captcha_used (challenge_id, expires_at) "
	    "VALUES (?, FROM_UNIXTIME(?))", "si", idhex, (long long)box.expires);
	if (rc == DB_DUP) {
		log_info("captcha: challenge used again");
		goto out;
	}
	if (rc < 0) {
		verdict = CAPTCHA_DBFAIL;
		goto out;
	}
	verdict = captcha_answer_matches(&box, answer) ? CAPTCHA_RIGHT :
	    CAPTCHA_WRONG;
	captcha_prune_now_and_then();
out:
	util_wipe(&box, sizeof(box));
	return verdict;
}

/* ---------------------------------------------------------------- questions */

/* Append the text of lang key to b; -1 when it is missing. */
static int
lang_append(struct buf *b, HDF *lang, const char *key)
{
	const char	*v;

	if ((v = hdf_get_value(lang, key, NULL)) == NULL) {
		log_warn("captcha: missing text %s", key);
		return -1;
	}
	buf_puts(b, v);
	return 0;
}

int
captcha_question(const char *challenge, HDF *lang, char *out, size_t cap)
{
	struct captcha_box box;
	struct buf	 b = { NULL, 0, 0 };
	const char	*fmt, *p;
	const char	*qkey;
	char		 key[32];
	int		 rc = -1, arg;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (lang == NULL || captcha_open_at(challenge, util_now(), &box) != 0)
		return -1;
	if (box.kind != CAPTCHA_TEXT)
		goto out;
	switch (box.q[0]) {
	case OP_ADD:
		qkey = "L.Captcha.Q.Add";
		break;
	case OP_SUB:
		qkey = "L.Captcha.Q.Sub";
		break;
	case OP_ADDSUB:
		qkey = "L.Captcha.Q.AddSub";
		break;
	default:
		goto out;
	}
	if ((fmt = hdf_get_value(lang, qkey, NULL)) == NULL) {
		log_warn("captcha: missing text %s", qkey);
		goto out;
	}
	/* The question names its operands {a}, {b}, {c}; they become number words. */
	for (p = fmt; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] >= 'a' && p[1] <= 'c' && p[2] == '}') {
			arg = box.q[1 + (p[1] - 'a')];
			snprintf(key, sizeof(key), "L.Captcha.Num.%d", arg);
			if (lang_append(&b, lang, key) != 0)
				goto out;
			p += 2;
		} else
			buf_append(&b, p, 1);
	}
	if (b.len >= cap)
		goto out;
	memcpy(out, b.data, b.len + 1);
	rc = 0;
out:
	buf_free(&b);
	util_wipe(&box, sizeof(box));
	return rc;
}

/* ---------------------------------------------------------------- drawing */

/*
 * Drawing jitter comes from a small deterministic generator (splitmix64) seeded
 * with the challenge's secret random id: the same challenge always gives the same
 * picture, and the seed is as unguessable as the id. The answer itself is drawn
 * with crypto_random_uniform().
 */
struct rng {
	uint64_t	 s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t	 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform double in [lo, hi). */
static double
rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

#define SS	3		/* supersampling factor */
#define NCOLORS	12

struct level_style {
	int	 w, h;		/* image size */
	double	 advance;	/* mean distance between character centres */
	double	 rot;		/* max rotation, radians */
	double	 shear;		/* max shear */
	double	 scale_lo, scale_hi;
	double	 jitter_y;	/* max vertical offset */
	double	 wave;		/* wave amplitude, pixels */
	int	 lines;		/* crossing lines in ink colours */
	double	 line_w;	/* their half-width, pixels */
	int	 dots;		/* background speckles */
	int	 dark_dots;	/* speckles in ink colours */
	int	 blotches;	/* soft background ellipses */
};

static const struct level_style styles[CAPTCHA_LEVEL_MAX + 1] = {
	{ 0 },
	{ 170, 64, 36, 0.17, 0.10, 2.8, 3.1, 4, 0.0, 1, 0.6, 120, 0, 0 },
	{ 200, 66, 33, 0.28, 0.15, 2.6, 3.1, 6, 2.8, 2, 0.8, 200, 20, 3 },
	{ 220, 70, 31, 0.35, 0.18, 2.6, 3.1, 7, 3.6, 3, 0.85, 300, 70, 5 },
};

struct canvas {
	int		 w, h;		/* supersampled size */
	float		*ink;		/* coverage 0..1 */
	unsigned char	*col;		/* colour index of the ink */
};

/* Bilinear sample of glyph c of font f at (x, y) in font pixels; 0 outside. */
static double
glyph_sample(gdFontPtr f, int c, double x, double y)
{
	int		 x0, y0, i, j, xi, yi;
	double		 fx, fy, v = 0, wx, wy;

	x -= 0.5;
	y -= 0.5;
	x0 = (int)floor(x);
	y0 = (int)floor(y);
	fx = x - x0;
	fy = y - y0;
	for (j = 0; j < 2; j++) {
		for (i = 0; i < 2; i++) {
			xi = x0 + i;
			yi = y0 + j;
			if (xi < 0 || yi < 0 || xi >= f->w || yi >= f->h)
				continue;
			if (f->data[(c - f->offset) * f->w * f->h + yi * f->w + xi] == 0)
				continue;
			wx = i ? fx : 1 - fx;
			wy = j ? fy : 1 - fy;
			v += wx * wy;
		}
	}
	return v;
}

static double
smoothstep(double lo, double hi, double v)
{
	double	 t = (v - lo) / (hi - lo);

	if (t <= 0)
		return 0;
	if (t >= 1)
		return 1;
	return t * t * (3 - 2 * t);
}

/* Set ink at supersampled (x, y) to coverage v of colour ci if it is stronger. */
static void
canvas_put(struct canvas *cv, int x, int y, double v, int ci)
{
	size_t	 i;

	if (x < 0 || y < 0 || x >= cv->w || y >= cv->h || v <= 0)
		return;
	i = (size_t)y * (size_t)cv->w + (size_t)x;
	if (v > cv->ink[i]) {
		cv->ink[i] = (float)v;
		cv->col[i] = (unsigned char)ci;
	}
}

/*
 * Draw character ch centred at (cx, cy) image pixels: scale s, rotation a, shear
 * sh, colour ci. The glyph is centred on its ink, not on its font cell.
 */
static void
draw_char(struct canvas *cv, gdFontPtr f, int ch, double cx, double cy,
    double s, double a, double sh, int ci)
{
	int		 x, y, gx, gy, x0, x1, y0, y1, minx = 99, maxx = -1,
			 miny = 99, maxy = -1;
	double		 u, v, gu, gv, ca = cos(a), sa = sin(a), mx, my, r, val;

	for (gy = 0; gy < f->h; gy++)
		for (gx = 0; gx < f->w; gx++)
			if (f->data[(ch - f->offset) * f->w * f->h + gy * f->w + gx]) {
				if (gx < minx) minx = gx;
				if (gx > maxx) maxx = gx;
				if (gy < miny) miny = gy;
				if (gy > maxy) maxy = gy;
			}
	if (maxx < 0)
		return;
	mx = (minx + maxx + 1) / 2.0;
	my = (miny + maxy + 1) / 2.0;
	/* Half the ink's diagonal, one font pixel of margin, any rotation or shear. */
	r = s * (hypot(maxx - minx + 1, maxy - miny + 1) / 2 * (1 + fabs(sh)) + 1) *
	    SS;
	x0 = (int)(cx * SS - r);
	x1 = (int)(cx * SS + r);
	y0 = (int)(cy * SS - r);
	y1 = (int)(cy * SS + r);
	for (y = y0; y <= y1; y++) {
		for (x = x0; x <= x1; x++) {
			u = (x + 0.5) / SS - cx;
			v = (y + 0.5) / SS - cy;
			gu = (u * ca + v * sa) / s;
			gv = (-u * sa + v * ca) / s;
			gu += sh * gv + mx;
			gv += my;
			if (gu < -1 || gv < -1 || gu > f->w + 1 || gv > f->h + 1)
				continue;
			val = glyph_sample(f, ch, gu, gv);
			canvas_put(cv, x, y, smoothstep(0.28, 0.62, val), ci);
		}
	}
}

/* Stamp a disc of radius rad (image pixels) at (px, py). */
static void
stamp(struct canvas *cv, double px, double py, double rad, int ci)
{
	int	 x, y;
	double	 d, R = rad * SS, X = px * SS, Y = py * SS;

	for (y = (int)(Y - R - 1); y <= (int)(Y + R + 1); y++) {
		for (x = (int)(X - R - 1); x <= (int)(X + R + 1); x++) {
			d = (x + 0.5 - X) * (x + 0.5 - X) + (y + 0.5 - Y) * (y + 0.5 - Y);
			if (d >= (R + 0.5) * (R + 0.5))
				continue;
			d = sqrt(d);
			canvas_put(cv, x, y, R + 0.5 - d > 1 ? 1 : R + 0.5 - d, ci);
		}
	}
}

/* A cubic Bézier curve across the picture, of half-width rad. */
static void
draw_curve(struct canvas *cv, struct rng *g, int w, int h, double rad, int ci)
{
	double	 p[4][2], t, u, x, y;
	int	 i, n;

	p[0][0] = rng_range(g, -5, w * 0.25);
	p[0][1] = rng_range(g, h * 0.2, h * 0.8);
	p[1][0] = rng_range(g, w * 0.2, w * 0.5);
	p[1][1] = rng_range(g, -h * 0.3, h * 1.3);
	p[2][0] = rng_range(g, w * 0.5, w * 0.8);
	p[2][1] = rng_range(g, -h * 0.3, h * 1.3);
	p[3][0] = rng_range(g, w * 0.75, w + 5);
	p[3][1] = rng_range(g, h * 0.2, h * 0.8);
	n = w * 2;
	for (i = 0; i <= n; i++) {
		t = (double)i / n;
		u = 1 - t;
		x = u * u * u * p[0][0] + 3 * u * u * t * p[1][0] +
		    3 * u * t * t * p[2][0] + t * t * t * p[3][0];
		y = u * u * u * p[0][1] + 3 * u * u * t * p[1][1] +
		    3 * u * t * t * p[2][1] + t * t * t * p[3][1];
		stamp(cv, x, y, rad, ci);
	}
}

int
captcha_render(const struct captcha_box *box, struct buf *out)
{
	const struct level_style *st;
	struct canvas	 cv = { 0, 0, NULL, NULL };
	struct rng	 g;
	gdFontPtr	 f = gdFontGetGiant();
	gdImagePtr	 im = NULL;
	unsigned char	 pal[NCOLORS][3], bg0[3], bg1[3], rgb[3];
	double		 x, cx, wave[4], sum, acc[3], a, t, bx, by, brx, bry, d;
	double		*shx = NULL, *shy = NULL;
	float		*bgk = NULL;
	size_t		 n, i, k;
	void		*png = NULL;
	int		 sx, sy, X, Y, px, py, j, ci, rc = -1, len = 0, nchars;

	if (box->kind != CAPTCHA_IMAGE || box->level < 1 ||
	    box->level > CAPTCHA_LEVEL_MAX)
		return -1;
	st = &styles[box->level];
	memcpy(&g.s, box->id, sizeof(g.s));
	g.s ^= (uint64_t)box->id[8] << 32 | box->id[12];
	nchars = (int)strlen(box->answer);

	/* Ink colours: dark, saturated enough to tell apart, never pale. */
	for (i = 0; i < NCOLORS; i++) {
		pal[i][0] = (unsigned char)rng_range(&g, 10, 110);
		pal[i][1] = (unsigned char)rng_range(&g, 10, 100);
		pal[i][2] = (unsigned char)rng_range(&g, 30, 140);
	}
	for (i = 0; i < 3; i++) {
		bg0[i] = (unsigned char)rng_range(&g, 228, 255);
		bg1[i] = (unsigned char)rng_range(&g, 215, 250);
	}

	cv.w = st->w * SS;
	cv.h = st->h * SS;
	n = (size_t)cv.w * (size_t)cv.h;
	cv.ink = xcalloc(n, sizeof(float));
	cv.col = xcalloc(n, 1);

	/* Characters, left to right, each with its own transform. */
	cx = (st->w - st->advance * (nchars - 1)) / 2.0;
	for (j = 0; j < nchars; j++) {
		ci = box->level == 1 ? 0 : j % NCOLORS;
		x = cx + rng_range(&g, -st->advance * 0.08, st->advance * 0.08);
		draw_char(&cv, f, (unsigned char)box->answer[j], x,
		    st->h / 2.0 + rng_range(&g, -st->jitter_y, st->jitter_y),
		    rng_range(&g, st->scale_lo, st->scale_hi),
		    rng_range(&g, -st->rot, st->rot),
		    rng_range(&g, -st->shear, st->shear), ci);
		cx += st->advance;
	}
	/* Crossing lines in the ink colours of the text. */
	for (j = 0; j < st->lines; j++)
		draw_curve(&cv, &g, st->w, st->h, st->line_w,
		    box->level == 1 ? 0 : (int)(rng_next(&g) % NCOLORS));

	/*
	 * Two sine waves per axis, applied to the whole ink layer: each supersampled
	 * row is shifted sideways by shx[row], each column vertically by shy[column]
	 * (in supersampled pixels).
	 */
	for (i = 0; i < 4; i++)
		wave[i] = rng_range(&g, 0, 2 * M_PI);
	shx = xcalloc((size_t)cv.h, sizeof(double));
	shy = xcalloc((size_t)cv.w, sizeof(double));
	for (Y = 0; Y < cv.h; Y++) {
		t = (Y + 0.5) / SS;
		shx[Y] = SS * st->wave * (sin(t / 11.0 + wave[0]) * 0.6 +
		    sin(t / 5.3 + wave[1]) * 0.4 * (box->level - 1) / 2);
	}
	for (X = 0; X < cv.w; X++) {
		x = (X + 0.5) / SS;
		shy[X] = SS * st->wave * (sin(x / 17.0 + wave[2]) * 0.7 +
		    sin(x / 7.9 + wave[3]) * 0.3 * (box->level - 1) / 2);
	}

	/* Soft background: gradient plus a few blotches (a separate coarse layer). */
	bgk = xcalloc((size_t)st->w * (size_t)st->h, sizeof(float));
	for (j = 0; j < st->blotches; j++) {
		bx = rng_range(&g, 0, st->w);
		by = rng_range(&g, 0, st->h);
		brx = rng_range(&g, 10, 40);
		bry = rng_range(&g, 8, 25);
		a = rng_range(&g, -0.12, 0.12);
		for (py = 0; py < st->h; py++)
			for (px = 0; px < st->w; px++) {
				d = (px - bx) / brx * ((px - bx) / brx) +
				    (py - by) / bry * ((py - by) / bry);
				if (d < 1)
					bgk[py * st->w + px] += (float)(a * (1 - d));
			}
	}
	for (j = 0; j < st->dots; j++) {
		px = (int)rng_range(&g, 0, st->w);
		py = (int)rng_range(&g, 0, st->h);
		bgk[py * st->w + px] += (float)rng_range(&g, -0.25, 0.1);
	}

	if ((im = gdImageCreateTrueColor(st->w, st->h)) == NULL) {
		log_err("captcha: gdImageCreateTrueColor failed");
		goto out;
	}
	for (py = 0; py < st->h; py++) {
		for (px = 0; px < st->w; px++) {
			sum = 0;
			acc[0] = acc[1] = acc[2] = 0;
			for (sy = 0; sy < SS; sy++) {
				for (sx = 0; sx < SS; sx++) {
					/* Where this sample reads the ink layer from. */
					X = px * SS + sx;
					Y = py * SS + sy;
					x = X + shx[Y];
					Y = (int)floor(Y + shy[X]);
					X = (int)floor(x);
					if (X < 0 || Y < 0 || X >= cv.w || Y >= cv.h)
						continue;
					k = (size_t)Y * (size_t)cv.w + (size_t)X;
					a = cv.ink[k];
					if (a <= 0)
						continue;
					sum += a;
					for (i = 0; i < 3; i++)
						acc[i] += a * pal[cv.col[k]][i];
				}
			}
			a = sum / (SS * SS);
			t = (double)px / st->w;
			for (i = 0; i < 3; i++) {
				d = bg0[i] * (1 - t) + bg1[i] * t;
				d *= 1 + bgk[py * st->w + px];
				if (sum > 0)
					d = d * (1 - a) + acc[i] / sum * a;
				rgb[i] = (unsigned char)(d < 0 ? 0 : d > 255 ? 255 : d);
			}
			gdImageSetPixel(im, px, py, gdTrueColor(rgb[0], rgb[1],
			    rgb[2]));
		}
	}
	/* Speckles in ink colours on top (levels 2-3): no clean binarisation. */
	for (j = 0; j < st->dark_dots; j++) {
		ci = (int)(rng_next(&g) % NCOLORS);
		px = (int)rng_range(&g, 0, st->w);
		py = (int)rng_range(&g, 0, st->h);
		gdImageSetPixel(im, px, py, gdTrueColor(pal[ci][0], pal[ci][1],
		    pal[ci][2]));
		if (rng_next(&g) % 3 == 0 && px + 1 < st->w)
			gdImageSetPixel(im, px + 1, py, gdTrueColor(pal[ci][0],
			    pal[ci][1], pal[ci][2]));
	}
	if ((png = gdImagePngPtr(im, &len)) == NULL || len <= 0) {
		log_err("captcha: gdImagePngPtr failed");
		goto out;
	}
	buf_append(out, png, (size_t)len);
	rc = 0;
out:
	if (png != NULL)
		gdFree(png);
	if (im != NULL)
		gdImageDestroy(im);
	free(cv.ink);
	free(cv.col);
	free(bgk);
	free(shx);
	free(shy);
	util_wipe(&g, sizeof(g));
	return rc;
}

int
captcha_png(const char *challenge, struct buf *out)
{
	struct captcha_box box;
	int		 rc;

	if (captcha_open_at(challenge, util_now(), &box) != 0)
		return -1;
	rc = captcha_render(&box, out);
	util_wipe(&box, sizeof(box));
	return rc;
}
