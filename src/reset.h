/*
 * reset.h — password-reset requests, made by /password/forgot and carried out by
 * the mailer process (see sql/0005_reset_requests.sql for why).
 */
#ifndef KENPO_RESET_H
#define KENPO_RESET_H

/*
 * Queue a request for email (normalised), mail language lang, client ip; send 0
 * when the address is over its hourly limit (the request is then dropped by the
 * mailer, after the same work here). Returns 0 or a db_status.
 */
int	 reset_request_queue(const char *email, const char *lang, const char *ip,
	    int send);
/*
 * Carry out at most n queued requests, each in one transaction with its effect:
 * for an account that is not withdrawn, supersede its unused reset tokens, store
 * a new one (32 random bytes, only the SHA-256 kept, Login.ResetMinutes) and
 * queue the mail with /password/reset/<token>; for any other address nothing.
 * Returns the number of requests handled, or a db_status.
 */
int	 reset_request_run(int n);

#endif
