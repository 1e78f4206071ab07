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

#endif
