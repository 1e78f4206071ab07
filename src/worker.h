/*
 * worker.h — a worker process: accept FastCGI requests one at a time on the
 * listening socket and run each through the request pipeline (request.c).
 */
#ifndef KENPO_WORKER_H
#define KENPO_WORKER_H

#include <fcgiapp.h>

/* Run until *stop is set (SIGTERM/SIGHUP from the master); finishes the current
 * request first. Returns the process exit status. */
int	 worker_run(int listen_fd, volatile int *stop);

/* Serve the staff console in this process (a staff worker, before worker_run):
 * the staff route table only (request.c). */
void	 request_console(int on);

/* Handle one accepted request (request.c). */
void	 request_handle(FCGX_Request *);

#endif
