/*
 * captcha.h — kenpo's own CAPTCHA: distorted-text images drawn with libgd, and a
 * plain-text arithmetic question for members who cannot read the image.
 *
 * Challenges are stateless: a challenge is an AES-256-GCM sealed box (crypto_seal,
 * key = HMAC-SHA256(Security.Secret, "captcha-key")) holding a random 16-byte id,
 * the expiry time (now + Login.CaptchaMinutes), the difficulty level and the
 * answer, written as base64url. It goes into the page as the hidden field
 * `captcha_challenge` and into the image URL /captcha/<challenge>.png, so showing a
 * page or an image writes nothing to the database and the answer never appears in
 * clear in a page, cookie or URL. Only captcha_verify() writes: it records the id in
 * `captcha_used`, which makes every challenge single-use.
 *
 * Levels: 0 none needed (no challenge is made), 1 easy (4 characters, light noise),
 * 2 medium (5 characters, wave distortion, crossing lines), 3 hard (6 characters,
 * stronger distortion, overlap and noise). throttle_captcha_level() picks the level.
 * The image alphabet avoids look-alikes: 0 1 5 7 8 and B G I L O Q S Z are left
 * out (23 symbols). Answers are accepted in lower case, full width and with spaces.
 *
 * The text question ("七 たす 三 は いくつですか？") is machine-solvable by design: it
 * is an accessibility path, and its protection against automation comes from the
 * throttles and the account lock, not from the question. Its texts are in
 * templates/lang/<lang>/captcha.hdf under L.Captcha.
 *
 * A reCAPTCHA-compatible provider (Login.CaptchaProvider = recaptcha) is NOT
 * implemented here: verifying it needs an HTTPS client, which kenpo does not link.
 */
#ifndef KENPO_CAPTCHA_H
#define KENPO_CAPTCHA_H

#include <stddef.h>
#include <stdint.h>

#include <ClearSilver.h>

#include "util.h"

#define CAPTCHA_LEVEL_MAX	3
/* Buffer size for a challenge string, NUL included (real ones are under 100). */
#define CAPTCHA_CHALLENGE_MAX	160
/* Longest answer kept in a challenge. */
#define CAPTCHA_ANSWER_MAX	8

enum captcha_kind {
	CAPTCHA_IMAGE = 1,
	CAPTCHA_TEXT = 2,
};

/* Outcomes of captcha_verify(). */
enum captcha_verdict {
	CAPTCHA_RIGHT = 1,	/* answer right; the challenge is now used */
	CAPTCHA_WRONG = 0,	/* answer wrong; the challenge is now used */
	CAPTCHA_INVALID = -1,	/* missing, forged, damaged, expired, already used or
				 * easier than required: show a fresh challenge */
	CAPTCHA_DBFAIL = -2,	/* its use could not be recorded: answer 503 */
};

/*
 * Make a new image challenge of level 1..3 into out (cap >= CAPTCHA_CHALLENGE_MAX
 * is always enough). Writes nothing to the database. 0 on success, -1 on a bad
 * level, a too small buffer or a crypto failure (logged).
 */
int	 captcha_new(int level, char *out, size_t cap);
/* Same for a text (arithmetic) question; level 3 asks a two-step sum. */
int	 captcha_text_new(int level, char *out, size_t cap);

/*
 * Render the image of an image challenge as PNG, appended to out (for REQ_RAW
 * responses: Content-Type image/png). A trailing ".png" on the challenge is
 * ignored, so the '*' segment of /captcha/<challenge>.png can be passed as is.
 * The same challenge always renders the same picture (its seed is the secret id),
 * so reloading an image gives an attacker no second look at the answer.
 * 0 on success; -1 when the challenge is forged, damaged, expired or not an image
 * challenge (answer 404), or on a libgd failure (logged).
 */
int	 captcha_png(const char *challenge, struct buf *out);

/*
 * The question of a text challenge in the language HDF lang (tmpl_lang(r->lang);
 * keys L.Captcha.Q.* and L.Captcha.Num.*), into out. 0 on success; -1 when the
 * challenge is not a valid, unexpired text challenge or a text is missing.
 */
int	 captcha_question(const char *challenge, HDF *lang, char *out, size_t cap);

/* The kind of a valid, unexpired challenge (enum captcha_kind), or -1. */
int	 captcha_kind(const char *challenge);

/*
 * Check answer against challenge, which must be valid, unexpired, not used before
 * and of at least min_level. The challenge is recorded as used (INSERT into
 * captcha_used with its expiry; a duplicate key means a replay) whenever it is
 * valid, whether the answer is right or wrong, so each challenge gets one try.
 * Inside a transaction the use is recorded with it: call it in the transaction
 * that commits before anything is decided on the answer (the login's counting
 * transaction), so that no decision is taken on a use that is not recorded.
 * Outside one, expired rows are pruned now and then. Never logs the answer.
 * Returns an enum captcha_verdict.
 */
int	 captcha_verify(const char *challenge, const char *answer, int min_level);
/*
 * Delete the used challenges expired an hour ago, about once in 100 calls and
 * never inside a transaction (for a caller that verified inside one).
 */
void	 captcha_prune_now_and_then(void);

/*
 * Normalise a typed answer: NFKC (full-width to ASCII), spaces removed, ASCII
 * upper-cased. 0 on success, -1 when it is invalid UTF-8 or does not fit in cap.
 */
int	 captcha_normalize(const char *answer, char *out, size_t cap);

/*
 * For tests and tools: the same operations at an explicit time `now` (unix
 * seconds), and the opened contents of a challenge. Pages use the functions above.
 */
struct captcha_box {
	int		 kind;			/* enum captcha_kind */
	int		 level;			/* 1..3 */
	unsigned char	 id[16];		/* random; its hex is captcha_used's key */
	int64_t		 expires;		/* unix seconds */
	char		 answer[CAPTCHA_ANSWER_MAX + 1];
	unsigned char	 q[4];			/* text: operation and operands */
};
int	 captcha_new_at(int kind, int level, int64_t now, char *out, size_t cap);
/* 0 and *box filled when the challenge is genuine and unexpired at now; else -1. */
int	 captcha_open_at(const char *challenge, int64_t now, struct captcha_box *box);
/* 1 when answer (as typed) is right for box, else 0. Constant time for images. */
int	 captcha_answer_matches(const struct captcha_box *box, const char *answer);
/* Render box as PNG into out; 0 or -1. */
int	 captcha_render(const struct captcha_box *box, struct buf *out);

#endif
