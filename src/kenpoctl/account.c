/*
 * kenpoctl account — look up member accounts and lift login locks.
 *
 *   account show EMAIL|ID          one account in full
 *   account find PATTERN [--limit N]
 *                                  accounts whose address matches PATTERN: '*'
 *                                  matches anything; without '*' a substring match
 *   account unlock EMAIL|ID        clear failed_logins and locked_until (audited)
 *   account resend EMAIL|ID        a pending account: supersede every activation
 *                                  link and code sent before and mail a new one
 *                                  (as "仮登録メールの再送信" does, without its
 *                                  hourly limit)
 *   account withdraw EMAIL|ID      退会 as the member's own page does
 *                                  (account_withdraw): sessions and tokens gone,
 *                                  roster binding released, mail to the member
 *   account delete EMAIL|ID --yes  deletion on request (SPEC §6): see cmd_delete
 *   account totp-off EMAIL|ID      turn her two-step verification (TOTP) off
 *                                  for support, when she lost her phone and her
 *                                  recovery codes (after the office confirmed
 *                                  who she is): secret, recovery codes and
 *                                  pending logins gone, mfa.totp.disable
 *                                  audited, a mail to her
 *   account passkey-remove EMAIL|ID PASSKEY [--json]
 *                                  remove one of her passkeys (support: a lost
 *                                  phone), mail her (passkey_removed), audited
 *                                  passkey.remove
 *
 * Each change is recorded in the audit log (account.resend, account.withdraw,
 * account.delete: the account number, no address). Addresses are printed here
 * (an operator asked for them) but never logged.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "audit.h"
#include "db.h"
#include "lifecycle.h"
#include "member_totp.h"
#include "passkey.h"
#include "signup.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_SHOW	"account show EMAIL|ID"
#define USAGE_FIND	"account find PATTERN [--limit N]"
#define USAGE_UNLOCK	"account unlock EMAIL|ID"
#define USAGE_RESEND	"account resend EMAIL|ID"
#define USAGE_WITHDRAW	"account withdraw EMAIL|ID"
#define USAGE_DELETE	"account delete EMAIL|ID --yes"
#define USAGE_PKREMOVE	"account passkey-remove EMAIL|ID PASSKEY [--json]"
#define USAGE_TOTP_OFF	"account totp-off EMAIL|ID"
#define USAGE_ALL	USAGE_SHOW " | " USAGE_FIND " | " USAGE_UNLOCK " | " \
	USAGE_RESEND " | " USAGE_WITHDRAW " | " USAGE_DELETE " | " USAGE_TOTP_OFF \
	" | " USAGE_PKREMOVE
#define FIND_LIMIT	50

/*
 * Resolve EMAIL or a numeric account id to the account id.
 * 1 found, 0 not found, or a db_status.
 */
static int
account_lookup(const char *arg, long long *id)
{
	long long	 n;

	if (util_parse_int(arg, 1, 0x7fffffffffffffffLL, &n) == 0)
		return db_int(id, "SELECT id FROM accounts WHERE id = ?", "i", n);
	return db_int(id, "SELECT id FROM accounts WHERE email = ?", "s", arg);
}

static int
cmd_show(int argc, char **argv)
{
	struct mtotp_status ms;
	struct db_res	*res = NULL;
	long long	 id = 0;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_SHOW, NULL);
	if ((r = account_lookup(argv[1], &id)) < 0)
		return ctl_db_error(r, "account show");
	if (r == 0)
		return ctl_refuse("account show: no such account");
	r = db_query(&res,
	    "SELECT a.id, a.email, a.state, a.level, a.unaffiliated, "
	    " i.number, i.name, a.roster_id, r.personal_id, r.name_kana, r.birthdate, "
	    " a.lang, a.notify, a.failed_logins, a.locked_until, "
	    " a.locked_until IS NOT NULL AND a.locked_until > NOW(6), "
	    " (SELECT COUNT(*) FROM sessions s WHERE s.account_id = a.id "
	    "  AND s.idle_expires_at > NOW(6) AND s.absolute_expires_at > NOW(6)), "
	    " a.created_at, a.activated_at, a.withdrawn_at, a.lost_on, a.closed_at, "
	    " DATE_ADD(a.lost_on, INTERVAL ? DAY) "
	    "FROM accounts a "
	    "LEFT JOIN insurers i ON i.id = a.insurer_id "
	    "LEFT JOIN roster r ON r.id = a.roster_id "
	    "WHERE a.id = ?", "ii", (long long)LIFECYCLE_DAYS, id);
	if (r < 0)
		return ctl_db_error(r, "account show");
	if ((r = db_res_next(res)) != 1) {
		db_res_free(res);
		return r == 0 ? ctl_refuse("account show: no such account") :
		    ctl_db_error(r, "account show");
	}
	ctl_rec_begin();
	ctl_rec_int("id", db_res_int(res, 0));
	ctl_rec_str("email", db_res_str(res, 1));
	ctl_rec_str("state", db_res_str(res, 2));
	ctl_rec_int("level", db_res_int(res, 3));
	ctl_rec_bool("unaffiliated", db_res_int(res, 4) != 0);
	ctl_rec_str("insurer_number", db_res_str(res, 5));
	ctl_rec_str("insurer_name", db_res_str(res, 6));
	ctl_rec_str("roster_id", db_res_str(res, 7));
	ctl_rec_str("personal_id", db_res_str(res, 8));
	ctl_rec_str("name_kana", db_res_str(res, 9));
	ctl_rec_str("birthdate", db_res_str(res, 10));
	ctl_rec_str("lang", db_res_str(res, 11));
	ctl_rec_bool("notify", db_res_int(res, 12) != 0);
	ctl_rec_int("failed_logins", db_res_int(res, 13));
	ctl_rec_str("locked_until", db_res_str(res, 14));
	ctl_rec_bool("locked", db_res_int(res, 15) != 0);
	ctl_rec_int("sessions", db_res_int(res, 16));
	ctl_rec_str("created_at", db_res_str(res, 17));
	ctl_rec_str("activated_at", db_res_str(res, 18));
	ctl_rec_str("withdrawn_at", db_res_str(res, 19));
	/* 未所属: since when, and the day the daily job closes it (lifecycle.h). */
	ctl_rec_str("lost_on", db_res_str(res, 20));
	ctl_rec_str("closes_on", db_res_int(res, 4) == 0 ||
	    db_res_isnull(res, 20) ? NULL : db_res_str(res, 22));
	ctl_rec_str("closed_at", db_res_str(res, 21));
	db_res_free(res);
	/* Two-step verification (issue 15): on or off, recovery codes left. */
	if ((r = mtotp_status(id, &ms)) < 0) {
		ctl_rec_end();
		return ctl_db_error(r, "account show");
	}
	ctl_rec_bool("totp", ms.enabled);
	ctl_rec_int("recovery_codes_left", ms.codes_left);
	/* Her passkeys: how many, and "ID name" of each (for passkey-remove). */
	{
		struct buf	 b = { NULL, 0, 0 };
		long long	 n = 0;

		if ((r = db_query(&res, "SELECT id, name FROM passkeys WHERE"
		    " account_id = ? ORDER BY id", "i", id)) < 0) {
			ctl_rec_end();
			return ctl_db_error(r, "account show");
		}
		while ((r = db_res_next(res)) == 1) {
			buf_printf(&b, "%s%lld %s", n > 0 ? "; " : "",
			    db_res_int(res, 0), db_res_str(res, 1));
			n++;
		}
		db_res_free(res);
		ctl_rec_int("passkeys", n);
		ctl_rec_str("passkey_list", b.data != NULL ? b.data : "");
		buf_free(&b);
	}
	ctl_rec_end();
	return CTL_OK;
}

/* PATTERN → a LIKE pattern with '!' as the escape character. malloc'd. */
static char *
like_pattern(const char *pat)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p;
	int		 star = strchr(pat, '*') != NULL;

	if (!star)
		buf_puts(&b, "%");
	for (p = pat; *p != '\0'; p++) {
		if (*p == '*')
			buf_puts(&b, "%");
		else {
			if (*p == '%' || *p == '_' || *p == '!')
				buf_puts(&b, "!");
			buf_append(&b, p, 1);
		}
	}
	if (!star)
		buf_puts(&b, "%");
	return b.data;
}

static int
cmd_find(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "limit",	required_argument,	NULL,	'n' },
		{ NULL,		0,			NULL,	0 }
	};
	struct db_res	*res = NULL;
	long long	 limit = FIND_LIMIT;
	char		*like;
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "n:", longopts, NULL)) != -1) {
		if (ch != 'n' || util_parse_int(optarg, 1, 100000, &limit) != 0)
			return ctl_usage(USAGE_FIND, NULL);
	}
	if (argc - optind != 1 || argv[optind][0] == '\0')
		return ctl_usage(USAGE_FIND, NULL);
	like = like_pattern(argv[optind]);
	r = db_query(&res,
	    "SELECT a.id, a.email, a.state, a.level, i.number, "
	    " a.locked_until IS NOT NULL AND a.locked_until > NOW(6), a.created_at "
	    "FROM accounts a LEFT JOIN insurers i ON i.id = a.insurer_id "
	    "WHERE a.email LIKE ? ESCAPE '!' ORDER BY a.id LIMIT ?", "si", like, limit);
	free(like);
	if (r < 0)
		return ctl_db_error(r, "account find");
	ctl_list_begin();
	while ((r = db_res_next(res)) == 1) {
		ctl_rec_begin();
		ctl_rec_int("id", db_res_int(res, 0));
		ctl_rec_str("email", db_res_str(res, 1));
		ctl_rec_str("state", db_res_str(res, 2));
		ctl_rec_int("level", db_res_int(res, 3));
		ctl_rec_str("insurer", db_res_str(res, 4));
		ctl_rec_bool("locked", db_res_int(res, 5) != 0);
		ctl_rec_str("created_at", db_res_str(res, 6));
		ctl_rec_end();
	}
	ctl_list_end();
	db_res_free(res);
	return CTL_OK;
}

static int
cmd_unlock(int argc, char **argv)
{
	long long	 id = 0, n;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_UNLOCK, NULL);
	if ((r = account_lookup(argv[1], &id)) < 0)
		return ctl_db_error(r, "account unlock");
	if (r == 0)
		return ctl_refuse("account unlock: no such account");
	n = db_exec("UPDATE accounts SET failed_logins = 0, locked_until = NULL "
	    "WHERE id = ?", "i", id);
	if (n < 0)
		return ctl_db_error((int)n, "account unlock");
	if (n == 0)
		return ctl_refuse("account unlock: no such account");
	audit_ip(NULL, "account.unlock", id);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_bool("unlocked", 1);
		ctl_rec_end();
	} else
		ctl_say("unlocked account %lld", id);
	return CTL_OK;
}

/* The state of account id, malloc'd, or NULL (gone, or a database error). */
static char *
account_state(long long id)
{
	char	*state = NULL;

	if (db_row(&state, 1, "SELECT state FROM accounts WHERE id = ?", "i", id) != 1)
		return NULL;
	return state;
}

/* Print the outcome of a change to account id: {"id":…,"<what>":true} or a line. */
static void
say_done(long long id, const char *what, const char *line)
{
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_bool(what, 1);
		ctl_rec_end();
	} else
		ctl_say("%s account %lld", line, id);
}

/*
 * A new activation mail for a pending account (a member who says the mail never
 * came). The new token carries the password of the newest activation token,
 * i.e. the password typed with the last "仮登録" at this address (or none when
 * that was a resend by a logged-in member, whose password is the account's), so
 * the member logs in afterwards with the password they typed last — as when
 * they resend from their own browser.
 */
static int
cmd_resend(int argc, char **argv)
{
	struct signup_resend s;
	long long	 id = 0, newest = 0;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_RESEND, NULL);
	if ((r = account_lookup(argv[1], &id)) < 0)
		return ctl_db_error(r, "account resend");
	if (r == 0)
		return ctl_refuse("account resend: no such account");
	if ((r = db_int(&newest, "SELECT id FROM tokens WHERE account_id = ?"
	    " AND purpose = 'activate' ORDER BY id DESC LIMIT 1", "i", id)) < 0)
		return ctl_db_error(r, "account resend");
	memset(&s, 0, sizeof(s));
	s.account_id = id;
	s.pw_token = newest;
	if ((r = signup_resend(&s)) < 0)
		return r == DB_ERR ? ctl_refuse("account resend: cannot issue or "
		    "queue the mail (see the log)") : ctl_db_error(r, "account resend");
	if (s.state[0] == '\0')
		return ctl_refuse("account resend: no such account");
	if (s.token_id == 0)
		return ctl_refuse("account resend: account %lld is %s, not pending "
		    "(its address is confirmed already)", id, s.state);
	audit_ip(NULL, "account.resend", id);
	say_done(id, "resent", "sent a new activation mail to");
	return CTL_OK;
}

static int
cmd_withdraw(int argc, char **argv)
{
	long long	 id = 0;
	char		*state;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_WITHDRAW, NULL);
	if ((r = account_lookup(argv[1], &id)) < 0)
		return ctl_db_error(r, "account withdraw");
	if (r == 0)
		return ctl_refuse("account withdraw: no such account");
	if ((r = account_withdraw(id, NULL)) < 0)
		return r == DB_ERR ? ctl_refuse("account withdraw: cannot withdraw "
		    "or queue the mail (see the log)") :
		    ctl_db_error(r, "account withdraw");
	if (r == 0) {
		state = account_state(id);
		if (state == NULL)
			r = ctl_refuse("account withdraw: no such account");
		else if (strcmp(state, "withdrawn") == 0)
			r = ctl_refuse("account withdraw: account %lld is withdrawn "
			    "already", id);
		else if (strcmp(state, "closed") == 0)
			r = ctl_refuse("account withdraw: account %lld is closed "
			    "(its personal data erased)", id);
		else
			r = ctl_refuse("account withdraw: account %lld is %s: its "
			    "address was never confirmed; use account delete", id,
			    state);
		free(state);
		return r;
	}
	say_done(id, "withdrawn", "withdrew");
	return CTL_OK;
}

/*
 * Deletion (削除) as the member's own /account/delete does: account_delete(),
 * i.e. account_erase() — the one mechanism, shared with the 100-day rule and
 * approved deletion requests. The row stays as a tombstone (state closed) with
 * nothing personal: no address (the address is free at once), no password, no
 * roster binding (the person may sign up again), no sessions or tokens, no
 * outbox rows to the address, inquiries emptied, audit rows without account
 * and client address. An account in any state but closed; the mail
 * "アカウントを削除しました" goes to a proven address.
 */
static int
cmd_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "yes",	no_argument,	NULL,	'y' },
		{ NULL,		0,		NULL,	0 }
	};
	char		 state[16];
	long long	 id = 0;
	int		 ch, r, yes = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "y", longopts, NULL)) != -1) {
		if (ch != 'y')
			return ctl_usage(USAGE_DELETE, NULL);
		yes = 1;
	}
	if (argc - optind != 1)
		return ctl_usage(USAGE_DELETE, NULL);
	if (!yes)
		return ctl_usage(USAGE_DELETE, "account delete removes the account's "
		    "personal data for good: pass --yes");
	if ((r = account_lookup(argv[optind], &id)) < 0)
		return ctl_db_error(r, "account delete");
	if (r == 0)
		return ctl_refuse("account delete: no such account");
	if ((r = account_delete(id, 1, state)) < 0)
		return r == DB_ERR ? ctl_refuse("account delete: cannot erase or "
		    "queue the mail (see the log)") : ctl_db_error(r, "account delete");
	if (r == ACCOUNT_DEL_NONE)
		return ctl_refuse("account delete: no such account");
	if (r == ACCOUNT_DEL_CLOSED)
		return ctl_refuse("account delete: account %lld is closed already "
		    "(its personal data erased)", id);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", id);
		ctl_rec_bool("deleted", 1);
		ctl_rec_str("was", state);
		ctl_rec_str("state", "closed");
		ctl_rec_end();
	} else
		ctl_say("deleted account %lld (was %s): personal data erased, the "
		    "address and the roster person are free", id, state);
	return CTL_OK;
}

struct pkremove {
	long long	 account;
	long long	 id;
	char		 name[PASSKEY_NAME_MAX * 4 + 1];
};

/* 0 removed, 1 no such passkey of hers. */
static int
pkremove_txn(void *arg)
{
	struct pkremove	*p = arg;
	char		*v[1] = { NULL };
	long long	 n;
	int		 st;

	if ((st = db_row(v, 1, "SELECT name FROM passkeys WHERE id = ? AND"
	    " account_id = ? FOR UPDATE", "ii", p->id, p->account)) < 0)
		return st;
	if (st == 0)
		return 1;
	snprintf(p->name, sizeof(p->name), "%s", v[0] != NULL ? v[0] : "");
	free(v[0]);
	if ((n = db_exec("DELETE FROM passkeys WHERE id = ?", "i", p->id)) < 0)
		return (int)n;
	return passkey_mail(p->account, "passkey_removed", p->name);
}

/*
 * Support: remove one passkey of an account (she lost the phone that held it
 * and cannot log in to remove it herself). Mailed to her and audited, as her
 * own removal is. PASSKEY is the number `account show` lists.
 */
static int
cmd_passkey_remove(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ NULL,		0,		NULL,	0 }
	};
	struct pkremove	 p;
	int		 ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "j", longopts, NULL)) != -1) {
		if (ch != 'j')
			return ctl_usage(USAGE_PKREMOVE, NULL);
		ctl_json = 1;
	}
	if (argc - optind != 2)
		return ctl_usage(USAGE_PKREMOVE, NULL);
	memset(&p, 0, sizeof(p));
	if (util_parse_int(argv[optind + 1], 1, 0x7fffffffffffffffLL, &p.id) != 0)
		return ctl_usage(USAGE_PKREMOVE, "account passkey-remove: PASSKEY is "
		    "the number account show lists");
	if ((r = account_lookup(argv[optind], &p.account)) < 0)
		return ctl_db_error(r, "account passkey-remove");
	if (r == 0)
		return ctl_refuse("account passkey-remove: no such account");
	if ((r = db_txn(pkremove_txn, &p)) < 0)
		return ctl_db_error(r, "account passkey-remove");
	if (r == 1)
		return ctl_refuse("account passkey-remove: account %lld has no passkey "
		    "%lld", p.account, p.id);
	audit_ip(NULL, "passkey.remove", p.account);
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("id", p.account);
		ctl_rec_int("passkey", p.id);
		ctl_rec_str("name", p.name);
		ctl_rec_bool("removed", 1);
		ctl_rec_end();
	} else
		ctl_say("removed passkey %lld (%s) of account %lld; the member has been "
		    "mailed", p.id, p.name, p.account);
	return CTL_OK;
}

/*
 * Support's way out for a member who lost her phone and her recovery codes:
 * mtotp_disable, as her own /account/security/totp/off does, with the mail
 * saying the office did it. Refused (exit 1) when TOTP is off.
 */
static int
cmd_totp_off(int argc, char **argv)
{
	long long	 id = 0;
	int		 r;

	if (argc != 2)
		return ctl_usage(USAGE_TOTP_OFF, NULL);
	if ((r = account_lookup(argv[1], &id)) < 0)
		return ctl_db_error(r, "account totp-off");
	if (r == 0)
		return ctl_refuse("account totp-off: no such account");
	if ((r = mtotp_disable(NULL, id, "totp_off_support")) < 0)
		return r == DB_ERR ? ctl_refuse("account totp-off: cannot turn it "
		    "off or queue the mail (see the log)") :
		    ctl_db_error(r, "account totp-off");
	if (r == 0)
		return ctl_refuse("account totp-off: account %lld has no two-step "
		    "verification on", id);
	say_done(id, "totp_off", "turned two-step verification off for");
	return CTL_OK;
}

int
ctl_account(int argc, char **argv)
{
	if (strcmp(argv[1], "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(argv[1], "find") == 0)
		return cmd_find(argc - 1, argv + 1);
	if (strcmp(argv[1], "unlock") == 0)
		return cmd_unlock(argc - 1, argv + 1);
	if (strcmp(argv[1], "resend") == 0)
		return cmd_resend(argc - 1, argv + 1);
	if (strcmp(argv[1], "withdraw") == 0)
		return cmd_withdraw(argc - 1, argv + 1);
	if (strcmp(argv[1], "delete") == 0)
		return cmd_delete(argc - 1, argv + 1);
	if (strcmp(argv[1], "totp-off") == 0)
		return cmd_totp_off(argc - 1, argv + 1);
	if (strcmp(argv[1], "passkey-remove") == 0)
		return cmd_passkey_remove(argc - 1, argv + 1);
	return ctl_usage(USAGE_ALL, "account: unknown verb %s", argv[1]);
}
