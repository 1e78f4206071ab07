/*
 * password.c — the password rule of SPEC §3 step 1.
 *
 * Length (Password.MinLength..MaxLength characters), character kinds (at least
 * Password.MinClasses of: upper-case letters, lower-case letters, digits,
 * symbols), printable ASCII only, and "not easily guessed":
 *   - no run of three: 123, abc, 987, cba (case-insensitive), aaa, 111;
 *   - no four keys in a row on a keyboard, either way: qwer, asdf, 1qaz, 7890;
 *   - not the address's local part, nor a word of it of four letters or more;
 *   - not a common password or word (password_common.h), also after the digits
 *     and symbols at either end are removed and after undoing look-alike
 *     substitutions (p@ssw0rd); words of six letters or more not even as a part.
 * htdocs/js/signup.js shows the same rules live (except the word list); the
 * server decides. Nothing here logs: the input is a password.
 */
#include "autoconf.h"
#include "password.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "password_common.h"
#include "request.h"
#include "util.h"

#define NCOMMON		(sizeof(password_common) / sizeof(password_common[0]))
#define CONTAIN_MIN	6	/* common words this long are refused as parts too */
#define KEYRUN		4	/* keys in a row that count as a keyboard run */
#define LOCALWORD_MIN	4

/* Rows, columns and diagonals people type as "random" passwords (lower-case). */
static const char *const keyboard[] = {
	"1234567890-=",
	"qwertyuiop[]",
	"asdfghjkl;'",
	"zxcvbnm,./",
	"!@#$%^&*()_+",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
	"zaq1xsw2cde3vfr4bgt5nhy6mju7",
	"qazwsxedcrfvtgbyhnujmikolp",
	"qweasdzxc",
	"qwertzuiop",		/* German/Swiss layout */
	"azertyuiop",		/* French layout */
};

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static char *
lowercase(const char *s)
{
	char	*t = xstrdup(s), *p;

	for (p = t; *p != '\0'; p++)
		*p = (char)lower((unsigned char)*p);
	return t;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Three consecutive letters or digits, either way, or three equal characters. */
static int
has_run(const char *lw)
{
	size_t	 i, n = strlen(lw);
	int	 a, b, c;

	for (i = 0; i + 2 < n; i++) {
		a = (unsigned char)lw[i];
		b = (unsigned char)lw[i + 1];
		c = (unsigned char)lw[i + 2];
		if (a == b && b == c)
			return 1;
		if (!((is_alpha(a) && is_alpha(b) && is_alpha(c)) ||
		    (is_digit(a) && is_digit(b) && is_digit(c))))
			continue;
		if ((b == a + 1 && c == b + 1) || (b == a - 1 && c == b - 1))
			return 1;
	}
	return 0;
}

/* KEYRUN keys in a row of one of the keyboard strings, forwards or backwards. */
static int
has_keyboard_run(const char *lw)
{
	size_t	 k, i, j, len, n = strlen(lw);
	char	 win[KEYRUN + 1], rev[KEYRUN + 1];

	if (n < KEYRUN)
		return 0;
	for (k = 0; k < sizeof(keyboard) / sizeof(keyboard[0]); k++) {
		len = strlen(keyboard[k]);
		for (i = 0; i + KEYRUN <= len; i++) {
			memcpy(win, keyboard[k] + i, KEYRUN);
			win[KEYRUN] = '\0';
			for (j = 0; j < KEYRUN; j++)
				rev[j] = win[KEYRUN - 1 - j];
			rev[KEYRUN] = '\0';
			if (strstr(lw, win) != NULL || strstr(lw, rev) != NULL)
				return 1;
		}
	}
	return 0;
}

/* The address's local part, or a word of it (letters only, LOCALWORD_MIN+). */
static int
has_local_part(const char *lw, const char *email)
{
	const char	*at, *p, *w;
	char		*local, word[65];
	size_t		 n;
	int		 hit = 0;

	if (email == NULL || (at = strchr(email, '@')) == NULL || at == email)
		return 0;
	local = xstrndup(email, (size_t)(at - email));
	for (n = 0; local[n] != '\0'; n++)
		local[n] = (char)lower((unsigned char)local[n]);
	if (strlen(local) >= 3 && strstr(lw, local) != NULL)
		hit = 1;
	for (p = local; !hit && *p != '\0'; ) {
		while (*p != '\0' && !is_alpha((unsigned char)*p))
			p++;
		for (w = p; *p != '\0' && is_alpha((unsigned char)*p); p++)
			;
		n = (size_t)(p - w);
		if (n >= LOCALWORD_MIN && n < sizeof(word)) {
			memcpy(word, w, n);
			word[n] = '\0';
			if (strstr(lw, word) != NULL)
				hit = 1;
		}
	}
	free(local);
	return hit;
}

static int
cmp_common(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static int
in_list(const char *s)
{
	return s[0] != '\0' && bsearch(s, password_common, NCOMMON,
	    sizeof(password_common[0]), cmp_common) != NULL;
}

/* Undo the usual look-alike substitutions (p@ssw0rd → password); one = '1' → c1. */
static char *
unleet(const char *lw, char one)
{
	char	*t = xstrdup(lw), *p;

	for (p = t; *p != '\0'; p++) {
		switch (*p) {
		case '@': case '4':	*p = 'a'; break;
		case '0':		*p = 'o'; break;
		case '3':		*p = 'e'; break;
		case '$': case '5':	*p = 's'; break;
		case '7': case '+':	*p = 't'; break;
		case '!': case '|':	*p = 'i'; break;
		case '1':		*p = one; break;
		default:		break;
		}
	}
	return t;
}

/* lw without the non-letters at either end ("!!password123" → "password"). */
static char *
strip_ends(const char *lw)
{
	const char	*s = lw, *e = lw + strlen(lw);

	while (s < e && !is_alpha((unsigned char)*s))
		s++;
	while (e > s && !is_alpha((unsigned char)e[-1]))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static int
contains_common(const char *s)
{
	size_t	 i;

	for (i = 0; i < NCOMMON; i++)
		if (strlen(password_common[i]) >= CONTAIN_MIN &&
		    strstr(s, password_common[i]) != NULL)
			return 1;
	return 0;
}

/* A common password or word, directly or in one of the disguises above. */
static int
is_common(const char *lw)
{
	char	*stripped, *v;
	int	 hit, k;
	char	 ones[2] = { 'l', 'i' };

	if (in_list(lw) || contains_common(lw))
		return 1;
	stripped = strip_ends(lw);
	hit = in_list(stripped);
	for (k = 0; !hit && k < 2; k++) {
		v = unleet(stripped, ones[k]);
		hit = in_list(v) || contains_common(v);
		util_free_secret(v);
		if (!hit) {
			v = unleet(lw, ones[k]);
			hit = contains_common(v);
			util_free_secret(v);
		}
	}
	util_free_secret(stripped);
	return hit;
}

unsigned
password_problems(const char *pw, const char *email)
{
	unsigned	 p = 0;
	size_t		 len;
	int		 up = 0, lo = 0, dg = 0, sy = 0, bad = 0;
	const unsigned char *c;
	char		*lw;

	if (pw == NULL)
		pw = "";
	for (c = (const unsigned char *)pw; *c != '\0'; c++) {
		if (*c >= 'A' && *c <= 'Z')
			up = 1;
		else if (*c >= 'a' && *c <= 'z')
			lo = 1;
		else if (*c >= '0' && *c <= '9')
			dg = 1;
		else if (*c >= 0x21 && *c <= 0x7e)
			sy = 1;
		else
			bad = 1;
	}
	len = util_utf8_valid(pw, strlen(pw)) ? util_utf8_len(pw) : strlen(pw);
	if ((long long)len < config_int("Password.MinLength"))
		p |= PW_TOO_SHORT;
	if ((long long)len > config_int("Password.MaxLength"))
		p |= PW_TOO_LONG;
	if (bad)
		p |= PW_BAD_CHARS;
	if (up + lo + dg + sy < config_int("Password.MinClasses"))
		p |= PW_FEW_KINDS;
	if (pw[0] == '\0')
		return p;
	lw = lowercase(pw);
	if (has_run(lw) || has_keyboard_run(lw))
		p |= PW_SEQUENCE;
	if (has_local_part(lw, email))
		p |= PW_EMAIL;
	if (is_common(lw))
		p |= PW_COMMON;
	util_free_secret(lw);
	return p;
}

unsigned
password_check_form(struct req *r, const char *field, const char *pw,
    const char *email)
{
	static const struct {
		unsigned	 bit;
		const char	*key;
		const char	*flag;
	} msgs[] = {
		{ PW_TOO_SHORT,	"Password.TooShort",	"TooShort" },
		{ PW_TOO_LONG,	"Password.TooLong",	"TooLong" },
		{ PW_BAD_CHARS,	"Password.BadChars",	"BadChars" },
		{ PW_FEW_KINDS,	"Password.FewKinds",	"FewKinds" },
		{ PW_SEQUENCE,	"Password.Sequence",	"Sequence" },
		{ PW_EMAIL,	"Password.Email",	"Email" },
		{ PW_COMMON,	"Password.Common",	"Common" },
	};
	unsigned	 p, i;
	char		 min[24], max[24], kinds[24], key[64];
	const char	*vars[] = { "min", min, "max", max, "kinds", kinds, NULL };

	password_rule_set(r);
	if (pw == NULL || pw[0] == '\0') {
		req_form_error(r, field, "Password.Missing");
		req_set(r, "Form.Password.Missing", "1");
		return PW_TOO_SHORT;
	}
	snprintf(min, sizeof(min), "%lld", config_int("Password.MinLength"));
	snprintf(max, sizeof(max), "%lld", config_int("Password.MaxLength"));
	snprintf(kinds, sizeof(kinds), "%lld", config_int("Password.MinClasses"));
	p = password_problems(pw, email);
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (!(p & msgs[i].bit))
			continue;
		req_form_error_vars(r, field, msgs[i].key, vars);
		snprintf(key, sizeof(key), "Form.Password.%s", msgs[i].flag);
		req_set(r, key, "1");
	}
	return p;
}

void
password_rule_set(struct req *r)
{
	char		 min[24], max[24], kinds[24];
	const char	*vars[] = { "min", min, "max", max, "kinds", kinds, NULL };

	snprintf(min, sizeof(min), "%lld", config_int("Password.MinLength"));
	snprintf(max, sizeof(max), "%lld", config_int("Password.MaxLength"));
	snprintf(kinds, sizeof(kinds), "%lld", config_int("Password.MinClasses"));
	req_set(r, "Password.MinLength", min);
	req_set(r, "Password.MaxLength", max);
	req_set(r, "Password.MinClasses", kinds);
	req_set_text(r, "Password.RuleLength", "Signup.Rule.Length", vars);
	req_set_text(r, "Password.RuleKinds", "Signup.Rule.Kinds", vars);
}
