/*
 * stepup.h — the step-up of the sensitive features (issue 12 item 4): after
 * 健診・医療アクセス認証 (level 3) her health-check results, prescriptions and
 * medical-cost notices open only when she answered her secret question in
 * this session within Verify.StepUpMinutes (sessions.stepup_at).
 * Verify.StepUpTries wrong answers in a row lock the question
 * (secret_questions.locked_at): then nothing opens them, whatever step-up is
 * used later, until a new level-3 verification is approved (it installs a new
 * question: verification_install_question). The lock does not lower the level.
 * Wrong answers are counted before the answer is checked, in one
 * transaction, like failed logins, so parallel guesses cannot pass the limit.
 */
#ifndef KENPO_STEPUP_H
#define KENPO_STEPUP_H

struct req;
struct member;

enum stepup_state {
	STEPUP_NONE = 0,	/* no secret question (not level 3) */
	STEPUP_NEEDED,		/* ask the question */
	STEPUP_FRESH,		/* answered within Verify.StepUpMinutes */
	STEPUP_LOCKED,		/* too many wrong answers: redo level 3 */
};

/*
 * The state for the request's session and account_id; *tries_left (may be
 * NULL) the wrong answers still allowed. Sets *question (may be NULL; malloc'd,
 * NULL without one) and *preset (the preset number or 0). An enum
 * stepup_state or a db_status.
 */
int	 stepup_state(struct req *, long long account_id, int *tries_left,
	    char **question, int *preset);

enum stepup_answer {
	STEPUP_OK = 0,		/* right: the session is stepped up */
	STEPUP_WRONG,		/* wrong: counted (*tries_left) */
	STEPUP_NOW_LOCKED,	/* wrong, and that locked it (mail queued) */
	STEPUP_IS_LOCKED,	/* locked before: nothing checked */
	STEPUP_NO_QUESTION,	/* none set */
	STEPUP_BUSY,		/* the hashing pool is full: not counted */
};

/*
 * Check answer (normalize_answer, then the Argon2id hash) for member m in the
 * request's session. Audited stepup.ok / stepup.fail / stepup.locked, never
 * with the answer. An enum stepup_answer or a db_status (DB_ERR also for a
 * malformed stored hash).
 */
int	 stepup_answer(struct req *, const struct member *m, const char *answer,
	    int *tries_left);

#endif
