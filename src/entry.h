/*
 * entry.h — the insurer context (SPEC §2). An entry link from an insurer's portal
 * (/entry?insurer=N, or signed with ts and sig) sets a signed cookie naming the
 * insurer; pages read it with entry_context(), which also sets Insurer.Number and
 * Insurer.Name in the page data ("提供：…" in the layout). Written by the login work.
 */
#ifndef KENPO_ENTRY_H
#define KENPO_ENTRY_H

struct req;

struct entry_ctx {
	char		 number[9];	/* insurer number, "" when there is no context */
	int		 signed_entry;	/* the context came from a valid signed link */
	long long	 insurer_id;
};

/* Read the context from the request's cookie (verifying its signature) and set
 * Insurer.* template data. Returns 1 with a context, 0 without. */
int	 entry_context(struct req *, struct entry_ctx *);

#endif
