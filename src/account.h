/*
 * account.h — accounts and their life: pending (step 1 done, address not yet
 * confirmed) → verified (address confirmed: steps 3–4) → active → withdrawn.
 * Written by the signup work; used by login, recovery and kenpoctl.
 */
#ifndef KENPO_ACCOUNT_H
#define KENPO_ACCOUNT_H

struct account {
	long long	 id;
	char		*email;
	char		*password_hash;
	char		*state;		/* pending|verified|active|withdrawn */
	int		 level;		/* 0 none, 1 insurer-ID, 2 identity, 3 sensitive */
	long long	 insurer_id;	/* 0 if none */
	long long	 roster_id;	/* 0 if none */
	int		 failed_logins;
	int		 locked;	/* locked_until is in the future */
	long long	 locked_secs;	/* seconds until unlock, when locked */
	char		*lang;
};

/* Address syntax check (RFC 5321 limits, one @, no spaces/controls). 1 ok, 0 not. */
int	 account_email_valid(const char *email);
/* Look up by address (case-insensitive) or id. 1 found (*out set), 0 not found,
 * or a db_status. Free with account_free. */
int	 account_find_email(const char *email, struct account **out);
int	 account_find_id(long long id, struct account **out);
void	 account_free(struct account *);

#endif
