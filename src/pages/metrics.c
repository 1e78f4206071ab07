/*
 * GET /metrics — counters in Prometheus text form, only to the addresses listed
 * in Server.MetricsAllow (loopback by default); everyone else gets a 404.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "metrics.h"
#include "request.h"
#include "router.h"

int
page_metrics(struct req *r)
{
	char	*list = xstrdup(config_str("Server.MetricsAllow"));
	char	*tok, *save = NULL;
	int	 ok = 0;

	for (tok = strtok_r(list, " ,", &save); tok != NULL; tok = strtok_r(NULL, " ,", &save))
		if (strcmp(tok, r->ip) == 0)
			ok = 1;
	free(list);
	if (!ok)
		return 404;
	r->nostore = 1;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_write(&r->body);
	return REQ_RAW;
}
