/*
 * GET /healthz — 200 "ok" when the database answers and, on a Galera cluster,
 * the node this kenpod uses is part of the primary component; else the 503 page.
 * For load balancers and monitoring; writes nothing.
 */
#include "autoconf.h"

#include "db.h"
#include "log.h"
#include "request.h"
#include "router.h"

int
page_healthz(struct req *r)
{
	int	 st;

	if ((st = db_ping()) != 0) {
		log_warn("healthz: database not answering");
		return req_error(r, 503, "Database");
	}
	if ((st = db_cluster_ready()) != 0) {
		log_warn("healthz: the Galera node is not ready (not in the "
		    "primary component)");
		return req_error(r, 503, "Database");
	}
	r->nostore = 1;
	r->content_type = "text/plain; charset=utf-8";
	buf_puts(&r->body, "ok\n");
	return REQ_RAW;
}
