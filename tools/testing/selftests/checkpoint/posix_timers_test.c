// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX timers (timer_create(2)) come back with their ids, clocks,
 * notification, value and interval, and go on firing; timers of CPU
 * clocks are refused.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include "ckpt_test.h"

CKPT_FIXTURE(ptimers);

static volatile sig_atomic_t ticks;
static volatile sig_atomic_t last_value;

static void on_tick(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last_value = si->si_value.sival_int;
	ticks++;
}

static int64_t ts_ns(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static timer_t make_timer(clockid_t clock, int notify, int sig, int value)
{
	struct sigevent ev = {
		.sigev_notify = notify,
		.sigev_signo = sig,
		.sigev_value.sival_int = value,
	};
	timer_t id;

	if (notify & SIGEV_THREAD_ID)
		ev._sigev_un._tid = gettid();
	CKPT_CHECK(!timer_create(clock, &ev, &id), "timer_create: %s",
		   strerror(errno));
	return id;
}

/*
 * A periodic timer, a one-shot one far away and a disarmed one (after a
 * deleted timer, so ids are not simply 0, 1, 2): same ids, intervals
 * exactly, values no later than before, and the periodic one ticks on
 * with its sigev_value.
 */
TEST_F(ptimers, timers_keep_ids_times_and_fire)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerspec per = { { 0, 20000000 }, { 0, 20000000 } };
		struct itimerspec one = { { 0, 0 }, { 300, 0 } };
		struct itimerspec before[3], after;
		struct sigaction sa = { .sa_sigaction = on_tick,
					.sa_flags = SA_SIGINFO | SA_RESTART };
		timer_t t[3], gone;
		int i, start;

		CKPT_SYS(sigaction(SIGRTMIN + 1, &sa, NULL));
		gone = make_timer(CLOCK_REALTIME, SIGEV_NONE, 0, 0);
		t[0] = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGRTMIN + 1, 77);
		t[1] = make_timer(CLOCK_BOOTTIME, SIGEV_SIGNAL, SIGUSR2, 5);
		t[2] = make_timer(CLOCK_REALTIME, SIGEV_NONE, 0, 0);
		CKPT_SYS(timer_delete(gone));
		CKPT_SYS(timer_settime(t[0], 0, &per, NULL));
		CKPT_SYS(timer_settime(t[1], 0, &one, NULL));
		while (ticks < 3)
			pause();
		for (i = 0; i < 3; i++)
			CKPT_SYS(timer_gettime(t[i], &before[i]));
		ckpt_self(&self->c);
		for (i = 0; i < 3; i++) {
			CKPT_CHECK(!timer_gettime(t[i], &after),
				   "timer %d: %s", i, strerror(errno));
			CKPT_CHECK(ts_ns(after.it_interval) ==
				   ts_ns(before[i].it_interval),
				   "timer %d: interval %lld", i,
				   (long long)ts_ns(after.it_interval));
			CKPT_CHECK(ts_ns(after.it_value) <=
				   ts_ns(before[i].it_value) + 20000000 &&
				   (i == 2) == !ts_ns(after.it_value),
				   "timer %d: value %lld, was %lld", i,
				   (long long)ts_ns(after.it_value),
				   (long long)ts_ns(before[i].it_value));
		}
		CKPT_CHECK(timer_gettime(gone, &after) < 0 && errno == EINVAL,
			   "the deleted timer is back");
		start = ticks;
		last_value = 0;
		while (ticks < start + 3)
			pause();
		CKPT_CHECK(last_value == 77, "si_value %d", last_value);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* SIGEV_THREAD_ID: the thread it names is the restored one. */
TEST_F(ptimers, thread_id_timer_signals_its_thread)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerspec per = { { 0, 10000000 }, { 0, 10000000 } };
		struct sigaction sa = { .sa_sigaction = on_tick,
					.sa_flags = SA_SIGINFO | SA_RESTART };
		timer_t t;

		CKPT_SYS(sigaction(SIGRTMIN + 2, &sa, NULL));
		t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL | SIGEV_THREAD_ID,
			       SIGRTMIN + 2, 9);
		CKPT_SYS(timer_settime(t, 0, &per, NULL));
		ckpt_self(&self->c);
		ticks = 0;
		while (ticks < 3)
			pause();
		CKPT_CHECK(last_value == 9, "si_value %d", last_value);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A timer of a CPU-time clock: EOPNOTSUPP, and the process runs on. */
TEST_F(ptimers, cpu_clock_timer_refused)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		make_timer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_NONE, 0, 0);
		ckpt_self(&self->c);
		_exit(CKPT_EXIT_FAIL);
	}
	EXPECT_EQ(CKPT_ERRNO_STATUS(EOPNOTSUPP), ckpt_wait_exit(pid))
		ckpt_show(_metadata, &self->c);
}

TEST_HARNESS_MAIN
