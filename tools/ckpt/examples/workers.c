// SPDX-License-Identifier: GPL-2.0
/*
 * workers - a master hands tasks to worker processes over pipes
 *
 *   workers [-w W] [-n TASKS]
 *
 * The master forks W workers (default 3), each with a pipe for its tasks
 * and one for its results.  Rounds of W tasks go out, one per worker;
 * each worker computes a hash chain of its task number and sends it
 * back.  At the end the master closes the task pipes, reaps the workers
 * and prints the number of tasks and the sum of the results, the same
 * every run.  Made to run under ckpt-run: checkpointed from outside,
 * killed and resumed, it prints what an uninterrupted run prints.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define WMAX	16

static uint64_t work(uint64_t x)
{
	for (int i = 0; i < 20000; i++)
		x = (x ^ (x >> 29)) * 0xbf58476d1ce4e5b9ull + i;
	return x;
}

static int full_read(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static void worker(int in, int out)
{
	uint64_t task, result;

	while (full_read(in, &task, sizeof(task)) == 0) {
		result = work(task);
		if (write(out, &result, sizeof(result)) != sizeof(result))
			_exit(2);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int to[WMAX][2], from[WMAX][2], w = 3, c, st, bad = 0;
	long tasks = 3000, next = 0, done = 0;
	uint64_t sum = 0, r;
	pid_t pid[WMAX];

	while ((c = getopt(argc, argv, "w:n:")) != -1) {
		if (c == 'w')
			w = atoi(optarg);
		else if (c == 'n')
			tasks = atol(optarg);
		else
			return 2;
	}
	if (w < 1 || w > WMAX || tasks < 0)
		return 2;
	for (int i = 0; i < w; i++) {
		if (pipe(to[i]) || pipe(from[i]))
			return 1;
		pid[i] = fork();
		if (pid[i] < 0)
			return 1;
		if (pid[i] == 0) {
			/* the master's ends: its own and earlier workers' */
			for (int k = 0; k <= i; k++) {
				close(to[k][1]);
				close(from[k][0]);
			}
			worker(to[i][0], from[i][1]);
		}
		close(to[i][0]);
		close(from[i][1]);
	}
	while (done < tasks) {
		int out = 0;

		for (int i = 0; i < w && next < tasks; i++, next++, out++) {
			uint64_t t = next;

			if (write(to[i][1], &t, sizeof(t)) != sizeof(t))
				return 1;
		}
		for (int i = 0; i < out; i++, done++) {
			if (full_read(from[i][0], &r, sizeof(r)))
				return 1;
			sum += r;
		}
	}
	for (int i = 0; i < w; i++)
		close(to[i][1]);
	for (int i = 0; i < w; i++)
		if (waitpid(pid[i], &st, 0) != pid[i] || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad++;
	printf("tasks %ld sum %016llx workers %s\n", done,
	       (unsigned long long)sum, bad ? "failed" : "ok");
	return bad ? 1 : 0;
}
