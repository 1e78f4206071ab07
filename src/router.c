/*
 * router.c — match a request path against the route table.
 */
#include "autoconf.h"
#include "router.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct route routes[] = {
#define ROUTE(pat, name, fn, flags)	{ pat, name, fn, flags },
#include "routes.def"
#undef ROUTE
};

static const struct route staff_routes[] = {
#define ROUTE(pat, name, fn, flags)	{ pat, name, fn, flags },
#include "staff_routes.def"
#undef ROUTE
};

/* Match one pattern; '*' matches one non-empty segment without '/'. */
static int
match(const char *pat, const char *path, const char **seg, size_t *seglen)
{
	while (*pat != '\0') {
		if (*pat == '*') {
			const char *start = path;

			while (*path != '\0' && *path != '/')
				path++;
			if (path == start)
				return 0;
			*seg = start;
			*seglen = (size_t)(path - start);
			pat++;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *path == '\0';
}

static const struct route *
match_table(const struct route *table, size_t n, const char *path, char **arg)
{
	size_t		 i, seglen = 0;
	const char	*seg = NULL;

	*arg = NULL;
	for (i = 0; i < n; i++) {
		seg = NULL;
		if (match(table[i].pattern, path, &seg, &seglen)) {
			if (seg != NULL)
				*arg = xstrndup(seg, seglen);
			return &table[i];
		}
	}
	return NULL;
}

const struct route *
router_match(const char *path, char **arg)
{
	return match_table(routes, sizeof(routes) / sizeof(routes[0]), path, arg);
}

const struct route *
router_match_staff(const char *path, char **arg)
{
	return match_table(staff_routes, sizeof(staff_routes) / sizeof(staff_routes[0]),
	    path, arg);
}
