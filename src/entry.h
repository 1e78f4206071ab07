/*
 * entry.h — the insurer context (SPEC §2). An entry link from an insurer's portal
 * (/entry?insurer=N, or signed with ts and sig) sets a signed cookie naming the
 * insurer; pages read it with entry_context(), which also sets Insurer.Number and
 * Insurer.Name in the page data ("提供：…" in the layout). Written by the login work.
 *
 * The link format and the cookie are documented in docs/entry-links.md.
 */
#ifndef KENPO_ENTRY_H
#define KENPO_ENTRY_H

#include <stdint.h>

struct req;
struct insurer;

struct entry_ctx {
	char		 number[9];	/* insurer number, "" when there is no context */
	int		 signed_entry;	/* the context came from a valid signed link */
	long long	 insurer_id;
	int		 signed_required; /* the insurer requires signed entry for PC signup */
};

/* Read the context from the request's cookie (verifying its signature) and set
 * Insurer.* template data. Returns 1 with a context, 0 without. */
int	 entry_context(struct req *, struct entry_ctx *);

/* Set the context cookie for insurer number (8 digits): the /entry page. 0, or -1
 * when the MAC cannot be computed (logged). */
int	 entry_set_cookie(struct req *, const char *number, int signed_entry);

/*
 * May this request start a signup (step 1) with this context? 0 only when the
 * context's insurer requires signed entry, the context is not signed and the
 * browser is a PC one (smartphone members reach the service directly, as the
 * seed manual says). Without a context the insurer is not known yet: 1, and
 * step 3 asks entry_insurer_signup_allowed() once the member names it.
 * When 0, render the page "entry_required" (it explains to come through the
 * insurer's member portal).
 */
int	 entry_signup_allowed(struct req *, const struct entry_ctx *);
/* The same check at step 3 for the insurer the member entered: 1 when that
 * insurer does not require signed entry, the browser is a smartphone, or ctx is a
 * signed context of that very insurer; 0 otherwise. */
int	 entry_insurer_signup_allowed(struct req *, const struct entry_ctx *,
	    const struct insurer *);
/*
 * Prepare the refusal page (templates/pages/entry_required.cs) for a member of
 * the insurer named insurer_name (may be NULL): sets its texts and r->template.
 * Returns 200 for the handler to return.
 */
int	 entry_refuse(struct req *, const char *insurer_name);
/* 1 when the User-Agent is a smartphone or tablet browser (not a PC). */
int	 entry_is_mobile(struct req *);

/*
 * The signature of a signed entry link: lowercase hex of
 * HMAC-SHA256(key = the insurer's entry secret as its 64 hex characters,
 * message = "insurer=<8 digits>&ts=<unix seconds, decimal>") into out[65].
 * 0, or -1 on a MAC failure. Exported for tests and kenpoctl.
 */
int	 entry_sign(const char *secret_hex, const char *number, int64_t ts,
	    char out[65]);

/*
 * Parse and verify the value v of the context cookie (NULL when absent) at time
 * now: 0 with number[9] and *signed_entry set when it is genuine (its MAC under
 * Security.Secret) and fresh, -1 otherwise. Untrusted bytes: fuzzed by
 * tests/fuzz/fuzz_entry.c.
 */
int	 entry_cookie_parse(const char *v, int64_t now, char number[9],
	    int *signed_entry);

/*
 * The verdict on the ts and sig parameters of an entry link (either may be NULL)
 * for the insurer number whose entry secret is secret_hex (NULL when it has
 * none), at time now: ENTRY_PLAIN when neither was sent; ENTRY_OK when sig is
 * entry_sign(secret_hex, number, ts) in hex (either case) and ts is no older
 * than max_age seconds and at most 60 s ahead; ENTRY_EXPIRED when genuine but
 * out of that window; ENTRY_BAD otherwise. Fuzzed by tests/fuzz/fuzz_entry.c.
 */
enum entry_verdict { ENTRY_PLAIN, ENTRY_OK, ENTRY_BAD, ENTRY_EXPIRED };
enum entry_verdict entry_check_link(const char *secret_hex, const char *number,
	    const char *ts, const char *sig, int64_t now, long long max_age);

#endif
