// SPDX-License-Identifier: GPL-2.0
/*
 * counter: print an increasing count, with the pid, about three times a
 * second, forever.  The demo program for checkpoint/restart: checkpoint it,
 * kill it, restart it, and the count goes on from where it stopped.
 *
 *   counter [START]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;
	const struct timespec tick = { .tv_sec = 0, .tv_nsec = 300 * 1000 * 1000 };

	for (;;) {
		printf("counter[%d]: %lu\n", (int)getpid(), count++);
		fflush(stdout);
		nanosleep(&tick, NULL);
	}
}
