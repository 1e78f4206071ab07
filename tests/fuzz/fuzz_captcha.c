/*
 * fuzz_captcha.c — opening CAPTCHA challenges (they come back in forms and in
 * image URLs) and checking typed answers, without the database.
 *
 * The first byte picks what the rest is:
 *   0  a challenge as the client sends it: captcha_open_at must refuse anything
 *      that is not a genuine, unexpired challenge, and give sane fields when it
 *      is one (the seeds hold genuine challenges made with the test secret);
 *   1  a length byte, the plaintext of a box, and an answer: the box is sealed
 *      here under the real challenge key, so that the parser behind the
 *      authentication (which only a holder of Security.Secret can reach) is
 *      fuzzed too; then the answer is checked and the text question or (when
 *      the answer ends in '!') the image is made from the box;
 *   2  a typed answer: captcha_normalize into buffers of every size.
 */
#include "autoconf.h"

#include "captcha.h"
#include "fuzz.h"

#define NOW		INT64_C(1700000000)	/* seeds expire in 2096 */
#define BOX_MAX		(28 + CAPTCHA_ANSWER_MAX + 4)

static HDF	*lang;

/* The challenge key, derived as captcha.c does (captcha.h). */
static void
challenge_key(unsigned char key[32])
{
	unsigned char	 secret[64];
	size_t		 n;

	n = config_secret("Security.Secret", secret, sizeof(secret));
	FUZZ_ASSERT(n == 32);
	FUZZ_ASSERT(crypto_hmac(secret, n, "captcha-key", 11, key) == 0);
}

/* Minimal question texts, as templates/lang/<lang>/captcha.hdf has them. */
static void
lang_setup(void)
{
	char	 k[32], v[8];
	int	 i;

	if (lang != NULL)
		return;
	FUZZ_ASSERT(hdf_init(&lang) == STATUS_OK);
	FUZZ_ASSERT(hdf_set_value(lang, "L.Captcha.Q.Add", "{a} + {b} = ?") ==
	    STATUS_OK);
	FUZZ_ASSERT(hdf_set_value(lang, "L.Captcha.Q.Sub", "{a} - {b} = ?") ==
	    STATUS_OK);
	FUZZ_ASSERT(hdf_set_value(lang, "L.Captcha.Q.AddSub",
	    "{a} + {b} - {c} = ? {") == STATUS_OK);
	for (i = 0; i < 20; i++) {
		snprintf(k, sizeof(k), "L.Captcha.Num.%d", i);
		snprintf(v, sizeof(v), "%d", i);
		FUZZ_ASSERT(hdf_set_value(lang, k, v) == STATUS_OK);
	}
}

/*
 * Fields of an opened box are what captcha.h promises. A box sealed here (mode
 * 1) may hold a NUL inside its answer: captcha.c only ever seals answers from
 * its alphabet, so only the length is checked then.
 */
static void
check_box(const struct captcha_box *box, int genuine)
{
	size_t	 alen = strlen(box->answer);

	FUZZ_ASSERT(box->kind == CAPTCHA_IMAGE || box->kind == CAPTCHA_TEXT);
	FUZZ_ASSERT(box->level >= 1 && box->level <= CAPTCHA_LEVEL_MAX);
	FUZZ_ASSERT(alen <= CAPTCHA_ANSWER_MAX);
	if (genuine)
		FUZZ_ASSERT(alen >= 1);
	FUZZ_ASSERT(box->expires > NOW);
}

/* Use an opened box the ways pages do. */
static void
use_box(const struct captcha_box *box, const char *challenge, const char *answer,
    int render)
{
	struct buf	 png = { NULL, 0, 0 };
	char		 q[256];
	int		 r;

	r = captcha_answer_matches(box, answer);
	FUZZ_ASSERT(r == 0 || r == 1);
	/* The answer itself, as typed, is always right (if it is text). */
	if (box->kind == CAPTCHA_IMAGE && strspn(box->answer,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == strlen(box->answer))
		FUZZ_ASSERT(captcha_answer_matches(box, box->answer) == 1);
	if (box->kind == CAPTCHA_TEXT) {
		r = captcha_question(challenge, lang, q, sizeof(q));
		FUZZ_ASSERT(r == 0 || r == -1);
		if (r == 0)
			FUZZ_ASSERT(strlen(q) < sizeof(q));
		(void)captcha_question(challenge, lang, q, 3);
	}
	if (render && box->kind == CAPTCHA_IMAGE) {
		FUZZ_ASSERT(captcha_render(box, &png) == 0);
		FUZZ_ASSERT(png.len > 8 && memcmp(png.data, "\x89PNG", 4) == 0);
		buf_free(&png);
	}
}

/* Mode 0: a challenge string from the client. */
static void
fuzz_challenge(const char *s)
{
	struct captcha_box box;

	if (captcha_open_at(s, NOW, &box) != 0) {
		FUZZ_ASSERT(box.kind == 0 && box.answer[0] == '\0');
		return;
	}
	check_box(&box, 1);
	use_box(&box, s, "", 0);
	/* Expiry is enforced. */
	FUZZ_ASSERT(captcha_open_at(s, box.expires, &box) == -1);
	FUZZ_ASSERT(captcha_open_at(s, INT64_MAX, &box) == -1);
}

/* Mode 1: a plaintext box, sealed with the real key, then opened. */
static void
fuzz_plain(const uint8_t *data, size_t size)
{
	unsigned char	 key[32], sealed[BOX_MAX + 8 + 28];
	char		 enc[CAPTCHA_CHALLENGE_MAX + 8], *answer;
	struct captcha_box box;
	size_t		 plen;
	long		 slen;

	if (size == 0)
		return;
	/* A length byte, the plaintext, then the answer to check. A few bytes
	 * over the largest box exercise the length checks. */
	plen = data[0] % (BOX_MAX + 8 + 1);
	if (plen > size - 1)
		plen = size - 1;
	answer = fuzz_str(data + 1 + plen, size - 1 - plen);
	challenge_key(key);
	slen = crypto_seal(key, data + 1, plen, sealed, sizeof(sealed));
	FUZZ_ASSERT(slen == (long)plen + 28);
	crypto_b64url_encode(sealed, (size_t)slen, enc);
	/* The image URL form: a ".png" suffix is allowed. */
	if (plen % 2 == 1)
		strcat(enc, ".png");
	if (captcha_open_at(enc, NOW, &box) == 0) {
		check_box(&box, 0);
		FUZZ_ASSERT(plen <= BOX_MAX);
		/* Rendering is slow: only when the answer ends in '!'. */
		use_box(&box, enc, answer, strlen(answer) > 0 &&
		    answer[strlen(answer) - 1] == '!');
	}
	util_wipe(key, sizeof(key));
	free(answer);
}

/* Mode 2: answer normalisation into buffers of every size. */
static void
fuzz_answer(const char *s)
{
	char	 out[80];
	size_t	 cap;
	int	 r;

	FUZZ_ASSERT(captcha_normalize(s, out, 0) == -1);
	for (cap = 1; cap <= sizeof(out); cap += 7) {
		memset(out, 'x', sizeof(out));
		r = captcha_normalize(s, out, cap);
		FUZZ_ASSERT(r == 0 || r == -1);
		if (r == 0) {
			FUZZ_ASSERT(strlen(out) < cap);
			FUZZ_ASSERT(strpbrk(out, " \t\r\nabcdefghijklmnopqrstuvwxyz")
			    == NULL);
		}
		/* Nothing written beyond cap. */
		FUZZ_ASSERT(cap == sizeof(out) || out[cap] == 'x');
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	fuzz_setup();
	lang_setup();
	if (size == 0)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		fuzz_challenge(s);
		break;
	case 1:
		fuzz_plain(data + 1, size - 1);
		break;
	case 2:
		fuzz_answer(s);
		break;
	}
	free(s);
	return 0;
}
