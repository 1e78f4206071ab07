/*
 * kenpoctl faq — check a FAQ file before putting it in place (src/faq.h).
 *
 *   faq check [FILE]     FILE, else Help.FAQFile, else the shipped file
 *
 * Prints the file and "ok" with the number of sections and items, or the
 * reason it would be refused (the line or the key), exit 1. kenpod reads the
 * file the same way (faq_load), so a file that passes here is shown as is.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "faq.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_CHECK	"faq check [FILE]"

static int
cmd_check(int argc, char **argv)
{
	HDF		*h, *s, *it;
	char		 err[300], *path;
	long long	 sections = 0, items = 0;

	if (argc > 2)
		return ctl_usage(USAGE_CHECK, NULL);
	if (argc == 2)
		path = xstrdup(argv[1]);
	else if (config_str("Help.FAQFile")[0] != '\0')
		path = xstrdup(config_str("Help.FAQFile"));
	else
		path = xasprintf("%s/help/faq.hdf", config_str("Server.Templates"));
	if ((h = faq_load(path, err, sizeof(err))) == NULL) {
		ctl_refuse("faq check: %s: %s", path, err);
		free(path);
		return CTL_REFUSED;
	}
	for (s = hdf_get_child(h, "Section"); s != NULL; s = hdf_obj_next(s)) {
		sections++;
		for (it = hdf_get_child(s, "Item"); it != NULL; it = hdf_obj_next(it))
			items++;
	}
	hdf_destroy(&h);
	ctl_rec_begin();
	ctl_rec_str("file", path);
	ctl_rec_bool("ok", 1);
	ctl_rec_int("sections", sections);
	ctl_rec_int("items", items);
	ctl_rec_end();
	free(path);
	return CTL_OK;
}

int
ctl_faq(int argc, char **argv)
{
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	return ctl_usage(USAGE_CHECK, "faq: unknown verb %s", argv[1]);
}
