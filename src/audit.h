/*
 * audit.h — every authentication decision is recorded: time, event, account id,
 * client address. Never an e-mail address, card data, password or token.
 */
#ifndef KENPO_AUDIT_H
#define KENPO_AUDIT_H

struct req;

/* Record event (e.g. "login.ok", "login.fail", "signup.step1") for account_id (0 if
 * none). Failures are logged, never fatal. */
void	 audit(struct req *, const char *event, long long account_id);
/* Same, without a request (kenpoctl, mailer). ip may be NULL. */
void	 audit_ip(const char *ip, const char *event, long long account_id);
/*
 * As audit(), inside a caller's transaction: a failure is the caller's (a
 * db_status: the transaction must not commit without its row), and the row's
 * id is returned (> 0). A decision may be recorded before it is certain, as
 * the outcome it takes when nothing more happens, and settled later with
 * audit_settle (a login counts "login.fail" before the password is checked, in
 * the transaction that counts the attempt: src/pages/login.c).
 */
long long audit_open(struct req *, const char *event, long long account_id);
/*
 * The outcome of the decision of row id (from audit_open of this request):
 * event replaces the recorded one; NULL removes the row (it turned out not to
 * be a decision: the password could not be checked). 0 or a db_status.
 */
int	 audit_settle(long long id, const char *event);

#endif
