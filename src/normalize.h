/*
 * normalize.h — Unicode normalisation of what members type and insurers upload:
 * katakana names, card symbols and numbers, digit strings.
 *
 * Every function takes a NUL-terminated UTF-8 string and returns a malloc'd string
 * (the caller frees it) or NULL when the input is not valid UTF-8 or does not reduce
 * to the required form. NULL is the caller's cue for a form error or a bad roster
 * line; the functions never log (their input is personal or card data).
 *
 * The same functions run on both sides of a roster match (the CSV import and the
 * signup page), so any input that a member and an insurer may write differently for
 * the same card reduces to the same string.
 */
#ifndef KENPO_NORMALIZE_H
#define KENPO_NORMALIZE_H

/*
 * A full name in katakana. Steps: NFKC (half-width katakana become full-width,
 * full-width ASCII becomes ASCII); every space (ASCII white space, U+3000, any
 * Unicode space separator) and the middle dots ・ ･ · are removed; hiragana become
 * katakana; a hyphen-like mark (- ‐ ‑ ‒ – — ― − ─ ━ ~ 〜 ～ ｰ ー …) right after a
 * kana becomes ー; a lone voicing mark (゛ ゜) is composed with the kana before it;
 * the iteration marks ゝ ゞ ヽ ヾ are written out ("いすゞ" → "イスズ").
 * Returns NULL unless the result is non-empty and only katakana (ァ…ヺ, ー,
 * small ㇰ…ㇿ). "けんこう たろう" and "ｹﾝｺｳ ﾀﾛｳ" both give "ケンコウタロウ".
 */
char	*normalize_kana(const char *in);

/*
 * A card symbol (記号). Steps: NFKC; spaces and hyphen-like marks removed; ASCII
 * letters upper-cased; hiragana become katakana; leading zeros stripped (an
 * all-zero symbol is "0"). What remains must be ASCII digits or letters, or other
 * letters (kana, kanji: some insurers' symbols contain them). An empty symbol
 * (patterns ① and ② have none) gives "". NULL on any other character.
 * The last-7-digits rule is NOT applied to symbols: the 2017 manual states it for
 * the number only.
 */
char	*normalize_symbol(const char *in);

/*
 * A card number (番号). Steps: NFKC; spaces and hyphen-like marks removed; must
 * then be ASCII digits only and non-empty; when 8 digits or more, only the last 7
 * are kept (the 2017 manual: "番号が8桁以上の場合は、末尾より7桁"); then leading
 * zeros are stripped (all zeros give "0"). Taking the last 7 before or after the
 * zero-stripping gives the same result, so "0012345678", "12345678" and
 * "1234-5678" all give "2345678".
 */
char	*normalize_number(const char *in);

/*
 * A digit string (insurer number, date parts, branch number). Steps: NFKC; spaces
 * and hyphen-like marks removed; must then be non-empty ASCII digits. Leading
 * zeros are kept. "０６１３ ９９９２" gives "06139992".
 */
char	*normalize_digits(const char *in);

/*
 * A secret answer (健診・医療アクセス認証's secret question), normalised like a
 * name so that the way it is typed does not matter: NFKC (half-width kana
 * become full-width, full-width ASCII becomes ASCII); spaces and middle dots
 * removed; hiragana become katakana; a hyphen-like mark after a kana becomes
 * ー; voicing marks composed; ASCII letters lower-cased. Any other character
 * (kanji, digits, punctuation) is kept. "ケンコム", "けんこむ", "ｹﾝｺﾑ" give one
 * string, as do "Kencom" and "ｋｅｎｃｏｍ". NULL when empty or not UTF-8.
 */
char	*normalize_answer(const char *in);
#endif
