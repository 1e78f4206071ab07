/*
 * inquiry.h — answering an inquiry (SPEC §7): the one transaction that stores
 * the answer, marks the inquiry answered and queues the answer mail, shared by
 * `kenpoctl inquiry answer` and the staff console's support pages.
 */
#ifndef KENPO_INQUIRY_H
#define KENPO_INQUIRY_H

struct inquiry_answer {
	int		 found;
	int		 answered;	/* it had been answered before */
	int		 erased;	/* no reply address (account_erase emptied
					 * it): nothing stored, no mail */
	long long	 account_id;
	long long	 mail_id;
};

/*
 * Answer inquiry id with text (the templates must be loaded: the mail needs
 * the category's label). An answered inquiry is left alone unless force. The
 * audit row inquiry.answer (with staff_id, 0: none, and ip, may be NULL) is
 * written in the same transaction. An inquiry whose reply address was erased
 * (account_erase) is left alone: out->erased. Returns 0 with *out filled, or
 * a db_status.
 */
int	 inquiry_answer(long long id, const char *text, int force, long long staff_id,
	    const char *ip, struct inquiry_answer *out);

#endif
