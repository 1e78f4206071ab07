/*
 * kenpoctl db — schema migrations.
 *
 *   db migrate [--dir DIR]   apply the sql/NNNN_*.sql files not yet applied
 *   db status [--dir DIR]    list applied, incomplete and pending migrations
 *
 * DIR defaults to Server.Migrations. See src/migrate.c for how the files are run
 * and how two concurrent migrators are kept apart.
 */
#include "autoconf.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "migrate.h"
#include "util.h"
#include "kenpoctl.h"

#define USAGE_MIGRATE	"db migrate [--dir DIR]"
#define USAGE_STATUS	"db status [--dir DIR]"

/* Parse the one option of both verbs. CTL_OK or CTL_USAGE. */
static int
parse_dir(int argc, char **argv, const char *usage, const char **dir)
{
	static const struct option longopts[] = {
		{ "dir",	required_argument,	NULL,	'd' },
		{ NULL,		0,			NULL,	0 }
	};
	int	 ch;

	*dir = config_str("Server.Migrations");
	optind = 0;
	while ((ch = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		if (ch != 'd')
			return ctl_usage(usage, NULL);
		*dir = optarg;
	}
	if (optind != argc)
		return ctl_usage(usage, "unexpected argument %s", argv[optind]);
	return CTL_OK;
}

static int
cmd_migrate(int argc, char **argv)
{
	const char	*dir;
	int		 rc;

	if ((rc = parse_dir(argc, argv, USAGE_MIGRATE, &dir)) != CTL_OK)
		return rc;
	/* migrate_apply prints "applied NNNN_x.sql" lines itself unless --json. */
	if ((rc = migrate_apply(dir, !ctl_json)) < 0)
		return ctl_db_error(rc, "db migrate");
	if (ctl_json) {
		ctl_rec_begin();
		ctl_rec_int("applied", rc);
		ctl_rec_end();
	} else if (rc == 0)
		ctl_say("nothing to apply: the schema is up to date");
	return CTL_OK;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_status(int argc, char **argv)
{
	struct db_res	*res = NULL;
	const char	*dir;
	long long	 have = 0, *versions = NULL;
	size_t		 nv = 0, nfiles = 0, cap = 0, i, k;
	char		**files = NULL;
	DIR		*d;
	struct dirent	*de;
	int		 rc, r;

	if ((rc = parse_dir(argc, argv, USAGE_STATUS, &dir)) != CTL_OK)
		return rc;
	r = db_int(&have, "SELECT COUNT(*) FROM information_schema.tables "
	    "WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'", "");
	if (r < 0)
		return ctl_db_error(r, "db status");
	if (have > 0 && (r = db_query(&res, "SELECT version, name, applied_at "
	    "FROM schema_migrations ORDER BY version", "")) < 0)
		return ctl_db_error(r, "db status");

	if ((d = opendir(dir)) == NULL)
		fprintf(stderr, "kenpoctl: cannot read %s (%s): pending migrations "
		    "not shown\n", dir, strerror(errno));
	else {
		while ((de = readdir(d)) != NULL) {
			if (!migrate_name_ok(de->d_name))
				continue;
			if (nfiles == cap) {
				cap = cap ? cap * 2 : 16;
				files = xrealloc(files, cap * sizeof(*files));
			}
			files[nfiles++] = xstrdup(de->d_name);
		}
		closedir(d);
		if (nfiles > 0)
			qsort(files, nfiles, sizeof(*files), name_cmp);
	}

	ctl_list_begin();
	while (res != NULL && (r = db_res_next(res)) == 1) {
		versions = xrealloc(versions, (nv + 1) * sizeof(*versions));
		versions[nv++] = db_res_int(res, 0);
		ctl_rec_begin();
		ctl_rec_int("version", db_res_int(res, 0));
		ctl_rec_str("name", db_res_str(res, 1));
		ctl_rec_str("state", db_res_isnull(res, 2) ? "incomplete" : "applied");
		ctl_rec_str("applied_at", db_res_str(res, 2));
		ctl_rec_end();
	}
	for (i = 0; i < nfiles; i++) {
		for (k = 0; k < nv; k++)
			if (versions[k] == atoi(files[i]))
				break;
		if (k < nv)
			continue;
		ctl_rec_begin();
		ctl_rec_int("version", atoi(files[i]));
		ctl_rec_str("name", files[i]);
		ctl_rec_str("state", "pending");
		ctl_rec_str("applied_at", NULL);
		ctl_rec_end();
	}
	ctl_list_end();

	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	free(versions);
	db_res_free(res);
	return CTL_OK;
}

int
ctl_db(int argc, char **argv)
{
	if (strcmp(argv[1], "migrate") == 0)
		return cmd_migrate(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	return ctl_usage(USAGE_MIGRATE " | " USAGE_STATUS, "db: unknown verb %s",
	    argv[1]);
}
