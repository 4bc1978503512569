// SPDX-License-Identifier: GPL-2.0
/*
 * Blocking system calls across checkpoint/restart of another process:
 * a target blocked in nanosleep(), clock_nanosleep(TIMER_ABSTIME),
 * pause() or sigsuspend() is stopped (SIGSTOP), checkpointed with
 * checkpoint(pid, ...), killed, and restored by a child calling
 * restart(2).  The restored target must carry on inside its call as if
 * nothing happened: sleeps end on time without EINTR, waits go on until
 * a signal comes, sigsuspend() puts the old mask back.
 */
#include <sys/prctl.h>
#include "ckpt_test.h"

#define NSEC	1000000000ULL

CKPT_FIXTURE(sysrestart);

/*
 * Stop, checkpoint and kill the target; restore it in a new child and
 * return that child's pid.  *t_restart is when the restore began.
 */
static pid_t migrate(struct __test_metadata *_metadata, struct ckpt_ctx *c,
		     pid_t target, uint64_t *t_stop, uint64_t *t_restart)
{
	pid_t pid;

	*t_stop = ckpt_now_ns(CLOCK_MONOTONIC);
	ckpt_stop(_metadata, target);
	ckpt_other(_metadata, c, target);
	ckpt_kill(_metadata, target);
	if (lseek(c->imgfd, 0, SEEK_SET) != 0)
		return -1;
	*t_restart = ckpt_now_ns(CLOCK_MONOTONIC);
	pid = ckpt_restart_fork(_metadata, c, c->imgfd, RESTART_TASKSELF);
	return pid;
}

/* Parse "<tag> r=R errno=E t0=T0 t1=T1" from the children's output. */
static bool parse_times(struct ckpt_ctx *c, const char *tag, long *r,
			int *err, unsigned long long *t0,
			unsigned long long *t1)
{
	char buf[4096], *p;

	if (ckpt_read_file(c->out, buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, tag);
	return p && sscanf(p + strlen(tag), " r=%ld errno=%d t0=%llu t1=%llu",
			   r, err, t0, t1) == 4;
}

/*
 * nanosleep(8 s), stopped after about 4 s: after restart it sleeps only
 * the remaining time (not 8 s again, not nothing), returns 0 (no EINTR),
 * and the whole sleep took at least 8 s.
 */
TEST_F(sysrestart, nanosleep_sleeps_remaining_time)
{
	unsigned long long t0, t1;
	uint64_t t_stop, t_restart, remaining;
	pid_t pid;
	long r;
	int st, err;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct timespec req = { 8, 0 }, rem;
		uint64_t a, b;
		long ret;
		int e;

		CKPT_SYS(prctl(PR_SET_NAME, "ckpt-nsleep"));
		a = ckpt_now_ns(CLOCK_MONOTONIC);
		ret = syscall(SYS_nanosleep, &req, &rem);
		e = ret ? errno : 0;
		b = ckpt_now_ns(CLOCK_MONOTONIC);
		dprintf(1, "nanosleep r=%ld errno=%d t0=%llu t1=%llu\n", ret, e,
			(unsigned long long)a, (unsigned long long)b);
		_exit(ret == 0 ? CKPT_EXIT_RESTORED : CKPT_EXIT_FAIL);
	}
	ASSERT_TRUE(ckpt_wait_blocked(pid, "ckpt-nsleep", SYS_nanosleep, 20000));
	ckpt_msleep(4000);
	pid = migrate(_metadata, &self->c, pid, &t_stop, &t_restart);
	ASSERT_GT(pid, 0);
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, &self->c, st);
	ASSERT_TRUE(parse_times(&self->c, "nanosleep", &r, &err, &t0, &t1))
		ckpt_show(_metadata, &self->c);
	EXPECT_EQ(0, r);
	EXPECT_EQ(0, err);
	ASSERT_LT(t0, t_stop);
	EXPECT_GE(t1 - t0, 8 * NSEC) TH_LOG("slept %llu ns in all", t1 - t0);
	remaining = 8 * NSEC - (t_stop - t0);
	/* Not woken early, not the full 8 s again. */
	EXPECT_GE(t1 - t_restart, remaining - NSEC / 2)
		TH_LOG("slept %llu ns after restart, %llu were left",
		       (unsigned long long)(t1 - t_restart),
		       (unsigned long long)remaining);
	EXPECT_LT(t1 - t_restart, remaining + 5 * NSEC / 2)
		TH_LOG("slept %llu ns after restart, %llu were left",
		       (unsigned long long)(t1 - t_restart),
		       (unsigned long long)remaining);
}

/*
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) keeps its deadline:
 * returns 0, not before the deadline and not long after.
 */
TEST_F(sysrestart, clock_nanosleep_abs_keeps_deadline)
{
	unsigned long long t0, t1;
	uint64_t t_stop, t_restart;
	pid_t pid;
	long r;
	int st, err;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct timespec dl;
		uint64_t a, b;
		long ret;
		int e;

		CKPT_SYS(prctl(PR_SET_NAME, "ckpt-abssleep"));
		a = ckpt_now_ns(CLOCK_MONOTONIC);
		dl.tv_sec = (a + 8 * NSEC) / NSEC;
		dl.tv_nsec = (a + 8 * NSEC) % NSEC;
		ret = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
			      &dl, NULL);
		e = ret ? errno : 0;
		b = ckpt_now_ns(CLOCK_MONOTONIC);
		dprintf(1, "absleep r=%ld errno=%d t0=%llu t1=%llu\n", ret, e,
			(unsigned long long)a, (unsigned long long)b);
		_exit(ret == 0 ? CKPT_EXIT_RESTORED : CKPT_EXIT_FAIL);
	}
	ASSERT_TRUE(ckpt_wait_blocked(pid, "ckpt-abssleep", SYS_clock_nanosleep,
				      20000));
	ckpt_msleep(3000);
	pid = migrate(_metadata, &self->c, pid, &t_stop, &t_restart);
	ASSERT_GT(pid, 0);
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, &self->c, st);
	ASSERT_TRUE(parse_times(&self->c, "absleep", &r, &err, &t0, &t1))
		ckpt_show(_metadata, &self->c);
	EXPECT_EQ(0, r);
	EXPECT_EQ(0, err);
	EXPECT_GE(t1, t0 + 8 * NSEC)
		TH_LOG("woke %lld ns before the deadline",
		       (long long)(t0 + 8 * NSEC - t1));
	EXPECT_LT(t1, t0 + 8 * NSEC + 5 * NSEC / 2)
		TH_LOG("woke %llu ns after the deadline", t1 - t0 - 8 * NSEC);
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/*
 * Restore the target blocked in system call @nr with command name
 * @comm, check that it keeps waiting, then wake it with SIGUSR1: it
 * must exit 42.
 */
static void wait_then_wake(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, pid_t target, const char *comm,
			   long nr)
{
	uint64_t t_stop, t_restart;
	pid_t pid;
	int st;

	ASSERT_TRUE(ckpt_wait_blocked(target, comm, nr, 20000));
	pid = migrate(_metadata, c, target, &t_stop, &t_restart);
	ASSERT_GT(pid, 0);
	if (!ckpt_wait_blocked(pid, comm, nr, 30000)) {
		st = ckpt_wait_exit(pid);
		ckpt_expect_restored(_metadata, c, st);
		ASSERT_TRUE(0) TH_LOG("restored target never blocked in syscall %ld",
				      nr);
	}
	/* It keeps waiting. */
	ckpt_msleep(700);
	ASSERT_EQ(0, waitpid(pid, &st, WNOHANG))
		TH_LOG("restored target returned from syscall %ld without a signal",
		       nr);
	ASSERT_EQ('S', ckpt_proc_state(pid));
	ASSERT_EQ(nr, ckpt_proc_syscall(pid));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, c, st);
}

/* pause() goes on pausing after restart until a signal arrives (EINTR). */
TEST_F(sysrestart, pause_keeps_waiting)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sigaction sa;
		long r;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		CKPT_SYS(sigaction(SIGUSR1, &sa, NULL));
		CKPT_SYS(prctl(PR_SET_NAME, "ckpt-pause"));
		r = syscall(SYS_pause);
		CKPT_CHECK(r == -1 && errno == EINTR, "pause: %ld (%s)", r,
			   strerror(errno));
		CKPT_CHECK(got_usr1, "returned before SIGUSR1");
		ckpt_restored_ok();
	}
	wait_then_wake(_metadata, &self->c, pid, "ckpt-pause", SYS_pause);
}

/*
 * sigsuspend() goes on waiting with its temporary mask after restart;
 * when the signal comes the handler runs and the mask from before the
 * call (SIGUSR1 blocked) is back.
 */
TEST_F(sysrestart, sigsuspend_keeps_waiting_and_mask)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		sigset_t block, empty, now;
		struct sigaction sa;
		int r;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		CKPT_SYS(sigaction(SIGUSR1, &sa, NULL));
		sigemptyset(&block);
		sigaddset(&block, SIGUSR1);
		sigaddset(&block, SIGUSR2);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &block, NULL));
		sigemptyset(&empty);
		sigaddset(&empty, SIGUSR2);
		CKPT_SYS(prctl(PR_SET_NAME, "ckpt-sigsusp"));
		r = sigsuspend(&empty);
		CKPT_CHECK(r == -1 && errno == EINTR, "sigsuspend: %d (%s)", r,
			   strerror(errno));
		CKPT_CHECK(got_usr1, "returned before SIGUSR1");
		CKPT_SYS(sigprocmask(SIG_BLOCK, NULL, &now));
		CKPT_CHECK(sigismember(&now, SIGUSR1) == 1 &&
			   sigismember(&now, SIGUSR2) == 1,
			   "mask from before sigsuspend() not restored");
		ckpt_restored_ok();
	}
	wait_then_wake(_metadata, &self->c, pid, "ckpt-sigsusp", SYS_rt_sigsuspend);
}

TEST_HARNESS_MAIN
