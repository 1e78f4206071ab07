/*
 * fuzz_config.c — config_load on arbitrary file contents (ClearSilver HDF, then
 * kenpo's key table: types, ranges, required keys).
 *
 * The input is written to a private temporary file and loaded. Invariants: it
 * either succeeds with a tree in which every required key has a value, or fails
 * with a one-line message that names the file; no crash, no leak.
 *
 * Inputs with "#include" are skipped: ClearSilver follows includes without a
 * depth limit, so a file that includes itself recurses until the stack runs
 * out (a ClearSilver bug; the configuration is the operator's own file), and an
 * include of a device or a large file would only measure the disk. So are
 * inputs with an HDF link ("Key : Other.Key"): ClearSilver follows a link that
 * points into its own subtree ("a : a.b", then "a.c = 1") without a limit
 * either, and overflows the stack the same way (found by make fuzz; the
 * reproducer is in README.md). kenpo's configuration uses no links.
 */
#include "autoconf.h"

#include <unistd.h>

#include "fuzz.h"

static char	 path[64];

/* A line whose first of '=', ':', '<', '{' is ':' (an HDF link). */
static int
has_link(const uint8_t *d, size_t n)
{
	size_t	 i;
	int	 seen = 0;	/* an operator seen on this line */

	for (i = 0; i < n; i++) {
		if (d[i] == '\n')
			seen = 0;
		else if (!seen && d[i] == ':')
			return 1;
		else if (d[i] == '=' || d[i] == '<' || d[i] == '{')
			seen = 1;
	}
	return 0;
}

static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HDF	*hdf = NULL;
	char	 err[512];
	FILE	*fp;
	int	 fd, rc;
	const char *tmp;

	if (path[0] == '\0') {
		if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0' ||
		    strlen(tmp) > 40)
			tmp = "/tmp";
		snprintf(path, sizeof(path), "%s/kenpo-fuzz-XXXXXX", tmp);
		FUZZ_ASSERT((fd = mkstemp(path)) >= 0);
		close(fd);
		atexit(cleanup);
	}
	if (memmem(data, size, "#include", 8) != NULL || has_link(data, size))
		return 0;
	FUZZ_ASSERT((fp = fopen(path, "wb")) != NULL);
	FUZZ_ASSERT(size == 0 || fwrite(data, 1, size, fp) == size);
	FUZZ_ASSERT(fclose(fp) == 0);

	memset(err, 'x', sizeof(err));
	rc = config_load(path, &hdf, err, sizeof(err));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_ASSERT(hdf != NULL);
		FUZZ_ASSERT(hdf_get_value(hdf, "Security.Pepper", NULL) != NULL);
		FUZZ_ASSERT(hdf_get_value(hdf, "Security.Secret", NULL) != NULL);
		FUZZ_ASSERT(hdf_get_value(hdf, "Server.Workers", NULL) != NULL);
		hdf_destroy(&hdf);
	} else {
		FUZZ_ASSERT(hdf == NULL);
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		FUZZ_ASSERT(strncmp(err, path, strlen(path)) == 0);
		FUZZ_ASSERT(strchr(err, '\n') == NULL);
	}
	return 0;
}
