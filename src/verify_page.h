/*
 * verify_page.h — what the /verify and /sensitive pages share: who may take
 * 健診・医療アクセス認証 here (seed p.17 note: only members of insurers that
 * link health data), the member's current attempt, and the secret question's
 * state for the step-up (issue 12 items 1, 4, 5).
 */
#ifndef KENPO_VERIFY_PAGE_H
#define KENPO_VERIFY_PAGE_H

#include "member.h"
#include "verification.h"

struct req;

struct verify_ctx {
	struct member	 m;
	struct verification v;		/* the current attempt (v.id 0: none) */
	char		*health_service;	/* insurers.health_service or NULL */
	int		 loaded;	/* m loaded: verify_ctx_free frees it */
};

enum verify_gate {
	VG_OK = 0,		/* level 3 is offered to her and she may take it */
	VG_NOT_OFFERED,		/* no insurer, 未所属, health_data off, no vault key */
	VG_NEED_LEVEL2,		/* 本人確認 first (/account/verify) */
};

/*
 * Load the member (member_load), her insurer's health-data setting and her
 * current attempt into c, and say whether level 3 is offered to her: an enum
 * verify_gate (Verify.Gate set for the template too), or a db_status. Always
 * call verify_ctx_free afterwards.
 */
int	 verify_load(struct req *, struct verify_ctx *c);
void	 verify_ctx_free(struct verify_ctx *c);
/*
 * The start of a page of the draft's steps (shot, question, confirm):
 * verify_load, then 0 when her current attempt is a draft and the page goes
 * on; otherwise the status to answer with, the page already set up — the
 * /verify page when level 3 is not hers to take (200), a redirect to /verify
 * when she has no draft (303), the error page of a database failure. Call
 * verify_ctx_free afterwards either way.
 */
int	 verify_draft_page(struct req *, struct verify_ctx *c);

/*
 * 1 when account m's insurer links health data (insurers.health_data) and m is
 * not 未所属: the member sees level 3 at all (/top, /account, /help/levels).
 * 0, or a db_status. *service (may be NULL) gets insurers.health_service.
 */
int	 verify_offered(const struct member *m, char **service);

/*
 * The page data of attempt v: Verify.Document (key), Verify.DocumentName,
 * Verify.Angle (key), Verify.AngleText, Verify.Remarks, Verify.Question,
 * Verify.Shots.<i>.{Name,Title,Have} for the shots that apply.
 */
void	 verify_set_attempt(struct req *, const struct verification *v);

/* The path of the page after shot i of v (the next applicable shot, then
 * /verify/question). Static storage. */
const char *verify_after_shot(const struct verification *v, int i);
/* The page where v's draft goes on: the first needed shot without an image,
 * /verify/question, or /verify/confirm. */
const char *verify_resume(const struct verification *v);

/* The sensitive features (/sensitive/open/<key>): NULL-terminated keys,
 * L.Sensitive.Feature.<key>.{Name,Text}. */
extern const char *const verify_sensitive_features[];

enum sensitive_gate {
	SG_NOT_OFFERED = 0,	/* her insurer does not link health data */
	SG_NOT_LEVEL3,		/* not (yet) 健診・医療アクセス認証 */
	SG_LOCKED,		/* the question is locked: redo level 3 */
	SG_NO_QUESTION,		/* level 3 without a question (set by hand): redo it */
	SG_NEEDED,		/* answer the question first */
	SG_FRESH,		/* the features open */
};
/*
 * Load member m (member_load: free it with member_free when this returns
 * >= 0) and say what the sensitive features are to her; *service gets
 * insurers.health_service (malloc'd or NULL), *tries_left the wrong answers
 * left, and Sensitive.Question the question to ask. An enum sensitive_gate
 * or a db_status.
 */
int	 verify_sensitive_gate(struct req *, struct member *m, char **service,
	    int *tries_left);

#endif
