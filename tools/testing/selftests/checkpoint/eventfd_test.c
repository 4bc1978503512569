// SPDX-License-Identifier: GPL-2.0
/*
 * eventfd(2) files: the counter (not consumed by checkpoint), semaphore
 * mode, O_NONBLOCK, and one file for dup'ed fds.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include "ckpt_test.h"

CKPT_FIXTURE(eventfd);

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

TEST_F(eventfd, counter_and_nonblock)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		uint64_t v = 5;
		int fd, dupfd;

		fd = CKPT_SYS(eventfd(0, EFD_NONBLOCK));
		CKPT_CHECK(write(fd, &v, 8) == 8, "write");
		v = 37;
		CKPT_CHECK(write(fd, &v, 8) == 8, "write");
		dupfd = CKPT_SYS(dup(fd));
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
		CKPT_CHECK(read(dupfd, &v, 8) == 8 && v == 42, "count %llu",
			   (unsigned long long)v);
		CKPT_CHECK(read(fd, &v, 8) == -1 && errno == EAGAIN,
			   "the dup is another eventfd");
		v = 1;
		CKPT_CHECK(write(fd, &v, 8) == 8 && readable(dupfd), "signal");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A semaphore eventfd counts down by one per read, from where it was. */
TEST_F(eventfd, semaphore_counts_down)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		uint64_t v;
		int fd, i;

		fd = CKPT_SYS(eventfd(3, EFD_SEMAPHORE));
		ckpt_self(&self->c);

		CKPT_CHECK(!(fcntl(fd, F_GETFL) & O_NONBLOCK), "O_NONBLOCK set");
		for (i = 0; i < 3; i++)
			CKPT_CHECK(read(fd, &v, 8) == 8 && v == 1, "read %d", i);
		CKPT_CHECK(!readable(fd), "count above 3");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The largest counter an eventfd can hold survives. */
TEST_F(eventfd, largest_counter)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		uint64_t v = UINT64_MAX - 1;
		int fd;

		fd = CKPT_SYS(eventfd(0, EFD_NONBLOCK));
		CKPT_CHECK(write(fd, &v, 8) == 8, "write");
		ckpt_self(&self->c);

		v = 1;
		CKPT_CHECK(write(fd, &v, 8) == -1 && errno == EAGAIN,
			   "the counter is not full");
		CKPT_CHECK(read(fd, &v, 8) == 8 && v == UINT64_MAX - 1,
			   "count %llu", (unsigned long long)v);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
