/*
 * cookie.h — the Cookie request header, read into the request's HDF.
 */
#ifndef KENPO_COOKIE_H
#define KENPO_COOKIE_H

#include <ClearSilver.h>

#define COOKIE_NAME_MAX	64

/*
 * Split header (the value of Cookie:, may be NULL) into Cookie.<name> = value
 * of hdf. Pairs are separated by ';'; the name is what comes before the first
 * '='; both sides are trimmed of white space. A pair without '=', with an
 * empty name or value, or with a name that is not [A-Za-z0-9_-]{1,64} is
 * ignored (every cookie kenpo sets is such a name; a dotted one would be an HDF
 * path). The last pair of a name wins. Values are kept as sent (not decoded).
 * Returns 0, or -1 when the HDF cannot store a value.
 */
int	 cookie_parse(HDF *hdf, const char *header);

#endif
