/*
 * insurer.h — insurers (健康保険組合): number check digit, records, card input
 * patterns, the card key that stands in for a card's symbol and number, and the
 * IP allowlist CIDR helpers.
 */
#ifndef KENPO_INSURER_H
#define KENPO_INSURER_H

#include <stddef.h>

#define INSURER_NUMBER_LEN	8
#define INSURER_CARD_KEY_LEN	64	/* hex of HMAC-SHA256 */

/*
 * 1 when s is exactly 8 ASCII digits whose last digit is the check digit of the
 * first seven (DESIGN.md): from the right, the digits are weighted 2,1,2,1,…, a
 * two-digit product counts as the sum of its digits, and the check digit is
 * (10 − sum mod 10) mod 10. 06139497, 01040013, 33120015 are valid; 06123456 not.
 * 0 otherwise (also for NULL). Callers normalise first (normalize_digits).
 */
int	 insurer_number_valid(const char *s);

/* One row of insurers. Strings are malloc'd; NULL where the column is NULL. */
struct insurer {
	long long	 id;
	char		 number[INSURER_NUMBER_LEN + 1];
	char		*name;
	int		 adopted;		/* 導入済み */
	int		 card_pattern;		/* 1..4 */
	char		*points_name;
	char		*terms_url;
	char		*entry_secret;		/* 64 hex chars, or NULL */
	int		 signed_entry_required;
	int		 insurer_id_only;	/* signup may finish with the insurer
						 * number alone (団体ID認証, level 1) */
};

/*
 * Load the insurer with this (normalised, 8-digit) number or id into *out.
 * Returns 1 found, 0 not found (*out zeroed), or a db_status (negative).
 * Free with insurer_free either way.
 */
int	 insurer_find(const char *number, struct insurer *out);
int	 insurer_find_id(long long id, struct insurer *out);
void	 insurer_free(struct insurer *);

/*
 * Card input patterns (SPEC §3 step 3) and the form boxes each one shows:
 *   ① number with a hyphen: number + number2       ② number only: number
 *   ③ symbol with a hyphen: symbol + symbol2, number   ④ symbol and number
 * insurer_pattern_fields returns the INSURER_F_* bits of pattern, 0 if the pattern
 * is not 1..4.
 */
#define INSURER_F_SYMBOL	0x01
#define INSURER_F_SYMBOL2	0x02
#define INSURER_F_NUMBER	0x04
#define INSURER_F_NUMBER2	0x08
int	 insurer_pattern_fields(int pattern);
/* 1 when the pattern's cards carry a symbol (③ ④), 0 for ① ②. */
int	 insurer_pattern_has_symbol(int pattern);

/*
 * Compose the raw symbol and number of a card from the form boxes of pattern:
 * a hyphenated pair is joined as printed on the card ("1234" + "5678" →
 * "1234-5678"; one empty box → the other alone); boxes the pattern does not show
 * are ignored (the symbol of ① ② is ""). NULL boxes count as empty.
 * Sets *symbol and *number (malloc'd, never NULL) and returns 0; -1 when the
 * pattern is not 1..4. The results are raw: insurer_card_key normalises them.
 */
int	 insurer_card_compose(int pattern, const char *symbol, const char *symbol2,
	    const char *number, const char *number2, char **out_symbol,
	    char **out_number);

/*
 * The card key stored in roster.card_key instead of a card's symbol and number:
 * lowercase hex of HMAC-SHA256(pepper, message), message being the UTF-8 bytes
 *
 *     <insurer number> "|" <symbol> "|" <number>
 *
 * with insurer number = normalize_digits (8 digits), symbol = normalize_symbol
 * ("" for patterns ① ②), number = normalize_number (last 7 digits when 8 or more,
 * no leading zeros). E.g. insurer 06139992, symbol "０１２３", number "4567890" →
 * HMAC over "06139992|123|4567890". Pattern ① "1234"+"5678" and a roster number
 * "1234-5678" or "12345678" both give "|2345678": the last-7 rule cuts both sides
 * alike, so they still meet.
 * pepper NULL means Security.Pepper from the configuration.
 * Returns 0 and fills out[65]; -1 when a part does not normalise (a form error)
 * or the MAC fails (logged, without the data).
 */
int	 insurer_card_key(const unsigned char *pepper, size_t pepperlen,
	    const char *insurer_number, const char *symbol, const char *number,
	    char out[INSURER_CARD_KEY_LEN + 1]);

/*
 * CIDR blocks for insurer allowlists, IPv4 or IPv6. A bare address is a /32 or
 * /128. insurer_cidr_parse checks text and writes its canonical form to canon
 * (network address with host bits cleared, as inet_ntop writes it, "/" prefix
 * length: "192.0.2.0/24", "2001:db8::/32"); canon needs INSURER_CIDR_MAX bytes.
 * Returns 0, or -1 when text is not a CIDR block.
 */
#define INSURER_CIDR_MAX	64
int	 insurer_cidr_parse(const char *text, char *canon, size_t canonlen);
/*
 * 1 when the address ip (text) lies in cidr (text), 0 when not or either is
 * malformed. An IPv4-mapped IPv6 address (::ffff:192.0.2.1) matches IPv4 blocks.
 */
int	 insurer_cidr_match(const char *ip, const char *cidr);
/*
 * Whether ip is on any insurer's allowlist (the login CAPTCHA exemption, SPEC §4).
 * Returns 1 yes (and sets *insurer_id when not NULL), 0 no, or a db_status.
 */
int	 insurer_ip_allowlisted(const char *ip, long long *insurer_id);
/*
 * The same for a page view, which makes no database round trip: from this
 * process's copy of the allowlist, read again when it is older than
 * Login.ViewCacheSeconds (0: every time). 1, 0 or a db_status.
 */
int	 insurer_ip_allowlisted_view(const char *ip);

#endif
