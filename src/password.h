/*
 * password.h — the password rule of SPEC §3 step 1 (configurable: Password.*):
 * length, character kinds, and "not easily guessed". The server decides; the
 * strength meter in htdocs/js only helps.
 */
#ifndef KENPO_PASSWORD_H
#define KENPO_PASSWORD_H

struct req;

enum password_problem {
	PW_TOO_SHORT	= 1 << 0,
	PW_TOO_LONG	= 1 << 1,
	PW_FEW_KINDS	= 1 << 2,	/* fewer than Password.MinClasses kinds */
	PW_SEQUENCE	= 1 << 3,	/* 123, abc, a keyboard run, repeated characters */
	PW_EMAIL	= 1 << 4,	/* contains the address's local part */
	PW_COMMON	= 1 << 5,	/* a dictionary word or a common password */
	PW_BAD_CHARS	= 1 << 6,	/* outside printable ASCII */
};

/* The set of unmet conditions for password (email may be NULL). 0 = acceptable. */
unsigned	 password_problems(const char *password, const char *email);
/*
 * Record one form error per unmet condition on field (texts L.Password.*, with
 * {min} {max} {kinds} filled in) and set Form.Password.<Condition> = 1 for each,
 * so the page can mark the conditions next to the field. An empty password gives
 * the single error L.Password.Missing. Also calls password_rule_set. Returns the
 * problem set.
 */
unsigned	 password_check_form(struct req *, const char *field,
		    const char *password, const char *email);
/* Set Password.MinLength/MaxLength/MinClasses and the rule texts
 * Password.RuleLength/RuleKinds for the page. */
void		 password_rule_set(struct req *);

#endif
