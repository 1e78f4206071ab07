/*
 * signup_card.h — what the member typed at signup step 3, kept for step 4 and
 * its 戻る (issue 11): the insurer number, the card's boxes, the name and the
 * birthdate, exactly as typed.
 *
 * Where it is kept: in the sealed "sc" cookie (AES-256-GCM under a key derived
 * from Security.Secret, like the "su" cookie of step 2), bound to the account
 * and valid SIGNUP_CARD_SECONDS. Not in the database: kenpo never stores a raw
 * card symbol or number (DESIGN.md: only their HMAC, roster.card_key); not in
 * a URL, a hidden field or a log. The browser that typed the values holds them,
 * unreadable to it (HttpOnly, sealed) and to anything between (only the
 * ciphertext travels back). Step 3 writes it when it sends the member on to
 * step 4 (a match, or the insurer number alone); step 4 shows 保険者番号 and
 * 記号・番号 from it; step 3 refills its form from it after 戻る; completing,
 * cancelling and logging out clear it.
 */
#ifndef KENPO_SIGNUP_CARD_H
#define KENPO_SIGNUP_CARD_H

struct req;

#define SIGNUP_CARD_SECONDS	(2 * 3600)

/* Keep the request's step-3 fields for account_id (Set-Cookie). */
void	 signup_card_put(struct req *, long long account_id);
/*
 * Keep what step 3 stored for the match instead (戻る from step 4 in a browser
 * without the cookie: another browser, or after SIGNUP_CARD_SECONDS): the
 * insurer number, the roster's name and birthdate (YYYY-MM-DD), no card.
 */
void	 signup_card_put_person(struct req *, long long account_id,
	    const char *insurer_number, const char *name_kana,
	    const char *birthdate);
/*
 * When the request carries a valid cookie of account_id, set
 * <prefix>.<field> for each field kept (insurer_number, symbol, symbol2,
 * number, number2, name_kana, birth_era, birth_year, birth_month,
 * birth_day) and return 1; else 0.
 */
int	 signup_card_get(struct req *, long long account_id, const char *prefix);
/* Remove the cookie (when the request has one). */
void	 signup_card_clear(struct req *);

#endif
