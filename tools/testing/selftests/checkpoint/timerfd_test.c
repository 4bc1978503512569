// SPDX-License-Identifier: GPL-2.0
/*
 * timerfd_create(2) files: clock, remaining time (the time spent
 * checkpointed does not count), interval, unread expirations and
 * absolute timers.
 */
#include <sys/timerfd.h>
#include "ckpt_test.h"

CKPT_FIXTURE(timerfd);

#define MS	1000000LL

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* A one-shot timer keeps its remaining time and still fires. */
TEST_F(timerfd, one_shot_runs_on)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerspec it = { .it_value = { 2, 0 } };
		uint64_t n;
		int fd;

		fd = CKPT_SYS(timerfd_create(CLOCK_MONOTONIC, 0));
		CKPT_SYS(timerfd_settime(fd, 0, &it, NULL));
		ckpt_self(&self->c);

		CKPT_SYS(timerfd_gettime(fd, &it));
		CKPT_CHECK(ts_ns(&it.it_value) > 0 &&
			   ts_ns(&it.it_value) <= 2000 * MS, "remaining %lld ns",
			   ts_ns(&it.it_value));
		CKPT_CHECK(ts_ns(&it.it_interval) == 0, "interval");
		CKPT_CHECK(read(fd, &n, 8) == 8 && n == 1, "expirations %llu",
			   (unsigned long long)n);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A periodic timer keeps its interval and the expirations not read. */
TEST_F(timerfd, periodic_keeps_unread_ticks)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerspec it = {
			.it_value = { 0, 10 * MS }, .it_interval = { 0, 10 * MS },
		};
		struct itimerspec big = {
			.it_value = { 3600, 0 }, .it_interval = { 3600, 0 },
		};
		uint64_t n = 0;
		int fd, fd2;

		fd = CKPT_SYS(timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK));
		CKPT_SYS(timerfd_settime(fd, 0, &it, NULL));
		ckpt_msleep(100);
		/* a timer far off: armed, with nothing expired */
		fd2 = CKPT_SYS(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK));
		CKPT_SYS(timerfd_settime(fd2, 0, &big, NULL));
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
		CKPT_CHECK(read(fd, &n, 8) == 8 && n >= 5, "expirations %llu",
			   (unsigned long long)n);
		CKPT_SYS(timerfd_gettime(fd, &it));
		CKPT_CHECK(ts_ns(&it.it_interval) == 10 * MS, "interval %lld",
			   ts_ns(&it.it_interval));
		CKPT_SYS(timerfd_gettime(fd2, &big));
		CKPT_CHECK(ts_ns(&big.it_interval) == 3600000 * MS &&
			   ts_ns(&big.it_value) > 3590000 * MS,
			   "hour timer %lld", ts_ns(&big.it_value));
		CKPT_CHECK(read(fd2, &n, 8) == -1 && errno == EAGAIN,
			   "the hour timer fired");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* An absolute realtime timer stays absolute, with its flags. */
TEST_F(timerfd, absolute_realtime)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerspec it = {};
		struct timespec now;
		uint64_t n;
		int fd;

		CKPT_SYS(clock_gettime(CLOCK_REALTIME, &now));
		it.it_value.tv_sec = now.tv_sec + 2;
		it.it_value.tv_nsec = now.tv_nsec;
		fd = CKPT_SYS(timerfd_create(CLOCK_REALTIME, 0));
		CKPT_SYS(timerfd_settime(fd, TFD_TIMER_ABSTIME |
					 TFD_TIMER_CANCEL_ON_SET, &it, NULL));
		ckpt_self(&self->c);

		CKPT_SYS(timerfd_gettime(fd, &it));
		CKPT_CHECK(ts_ns(&it.it_value) > 0 &&
			   ts_ns(&it.it_value) <= 2000 * MS, "remaining %lld ns",
			   ts_ns(&it.it_value));
		CKPT_CHECK(read(fd, &n, 8) == 8 && n == 1, "expirations");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
