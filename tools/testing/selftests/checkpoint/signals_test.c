// SPDX-License-Identifier: GPL-2.0
/*
 * Signals: dispositions (every sigaction field), the blocked mask,
 * pending signals with their siginfo (per-thread and shared queues),
 * the alternate signal stack, interval timers.
 */
#include <stdatomic.h>
#include <sys/time.h>
#include "ckpt_test.h"

#ifndef SS_AUTODISARM
#define SS_AUTODISARM	0x80000000U
#endif

CKPT_FIXTURE(signals);

/* The kernel's struct sigaction (x86-64). */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

static void get_kact(int sig, struct ksigaction *k)
{
	memset(k, 0, sizeof(*k));
	CKPT_SYS(syscall(SYS_rt_sigaction, sig, NULL, k, 8));
}

static uint64_t get_blocked(void)
{
	uint64_t m = 0;

	CKPT_SYS(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8));
	return m;
}

static volatile sig_atomic_t usr1_hits, usr2_hits, usr1_signo, usr1_usr2_blocked;
static atomic_uintptr_t handler_stack;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)uc;
	usr1_hits++;
	usr1_signo = si->si_signo == sig ? sig : -1;
	usr1_usr2_blocked = !!(get_blocked() & (1ULL << (SIGUSR2 - 1)));
	handler_stack = (uintptr_t)&here;
}

static void on_usr2(int sig)
{
	(void)sig;
	usr2_hits++;
}

/*
 * Dispositions: handler, flags, restorer and mask of all 64 signals come
 * back bit for bit; the handlers run (with their masks, SA_RESETHAND
 * resetting, SIG_IGN ignoring).
 */
TEST_F(signals, sigaction_all_fields)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static struct ksigaction k0[65], k1;
		struct sigaction sa;
		int i;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		sigaddset(&sa.sa_mask, SIGUSR2);
		sigaddset(&sa.sa_mask, SIGTERM);
		sigaddset(&sa.sa_mask, SIGRTMIN + 2);
		CKPT_SYS(sigaction(SIGUSR1, &sa, NULL));
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr2;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		CKPT_SYS(sigaction(SIGUSR2, &sa, NULL));
		sa.sa_flags = SA_RESTART;
		CKPT_SYS(sigaction(SIGRTMIN + 5, &sa, NULL));
		sa.sa_handler = SIG_IGN;
		sa.sa_flags = 0;
		CKPT_SYS(sigaction(SIGHUP, &sa, NULL));
		CKPT_SYS(sigaction(SIGPIPE, &sa, NULL));
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = SA_NOCLDSTOP;
		CKPT_SYS(sigaction(SIGCHLD, &sa, NULL));
		for (i = 1; i <= 64; i++)
			get_kact(i, &k0[i]);
		ckpt_self(&self->c);
		for (i = 1; i <= 64; i++) {
			get_kact(i, &k1);
			CKPT_CHECK(!memcmp(&k0[i], &k1, sizeof(k1)),
				   "signal %d: handler %#lx flags %#lx restorer %#lx mask %#lx, was %#lx %#lx %#lx %#lx",
				   i, (unsigned long)k1.handler,
				   (unsigned long)k1.flags,
				   (unsigned long)k1.restorer,
				   (unsigned long)k1.mask,
				   (unsigned long)k0[i].handler,
				   (unsigned long)k0[i].flags,
				   (unsigned long)k0[i].restorer,
				   (unsigned long)k0[i].mask);
		}
		CKPT_SYS(raise(SIGHUP));		/* ignored */
		CKPT_SYS(raise(SIGPIPE));		/* ignored */
		CKPT_SYS(raise(SIGUSR1));
		CKPT_CHECK(usr1_hits == 1 && usr1_signo == SIGUSR1, "SIGUSR1 handler");
		CKPT_CHECK(usr1_usr2_blocked, "sa_mask not applied in the handler");
		CKPT_SYS(raise(SIGUSR2));
		CKPT_CHECK(usr2_hits == 1, "SIGUSR2 handler");
		get_kact(SIGUSR2, &k1);
		CKPT_CHECK(k1.handler == (uint64_t)(uintptr_t)SIG_DFL,
			   "SA_RESETHAND did not reset");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The blocked signal mask, standard and real-time signals. */
TEST_F(signals, blocked_mask)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		uint64_t m0, m1;
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGHUP);
		sigaddset(&set, SIGWINCH);
		sigaddset(&set, SIGRTMIN + 3);
		sigaddset(&set, SIGRTMAX);
		CKPT_SYS(sigprocmask(SIG_SETMASK, &set, NULL));
		m0 = get_blocked();
		ckpt_self(&self->c);
		m1 = get_blocked();
		CKPT_CHECK(m0 == m1, "blocked %#lx, was %#lx", (unsigned long)m1,
			   (unsigned long)m0);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The "SigPnd:" (thread) and "ShdPnd:" (process) lines of /proc/self/status. */
static void pending_lines(char *out, size_t size)
{
	char buf[8192], *line, *save = NULL;
	size_t used = 0;

	out[0] = '\0';
	if (ckpt_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if ((!strncmp(line, "SigPnd:", 7) || !strncmp(line, "ShdPnd:", 7)) &&
		    used + strlen(line) + 2 < size)
			used += sprintf(out + used, "%s\n", line);
}

static void expect_sig(int signo, int code, pid_t spid, uid_t suid, int val,
		       bool has_val)
{
	struct timespec zero = { 0, 0 };
	siginfo_t si;
	sigset_t all;
	int r;

	sigfillset(&all);
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&all, &si, &zero);
	CKPT_CHECK(r == signo, "dequeued %d (%s), want %d", r,
		   r < 0 ? strerror(errno) : "", signo);
	CKPT_CHECK(si.si_signo == signo && si.si_code == code,
		   "signal %d: si_signo %d si_code %d, want code %d", signo,
		   si.si_signo, si.si_code, code);
	CKPT_CHECK(si.si_pid == spid && si.si_uid == suid,
		   "signal %d: si_pid %d si_uid %d, want %d %d", signo,
		   si.si_pid, si.si_uid, spid, suid);
	CKPT_CHECK(!has_val || si.si_value.sival_int == val,
		   "signal %d: si_value %#x, want %#x", signo,
		   si.si_value.sival_int, val);
}

/*
 * Pending blocked signals survive with their siginfo, in their queues:
 * a raise()d SIGUSR1 (per-thread, SI_TKILL), a sigqueue()d SIGUSR2 and
 * two queued instances of a real-time signal (shared, SI_QUEUE, with
 * their values, in order).  si_pid is the sender as it was.
 */
TEST_F(signals, pending_with_siginfo)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char p0[256], p1[256];
		union sigval v;
		sigset_t set, pend;
		pid_t me = getpid();
		uid_t uid = getuid();
		int rt = SIGRTMIN + 1, i;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGUSR2);
		sigaddset(&set, rt);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &set, NULL));
		CKPT_SYS(raise(SIGUSR1));
		v.sival_int = 0x99;
		CKPT_SYS(sigqueue(me, SIGUSR2, v));
		v.sival_int = 0x1234;
		CKPT_SYS(sigqueue(me, rt, v));
		v.sival_int = 0x5678;
		CKPT_SYS(sigqueue(me, rt, v));
		pending_lines(p0, sizeof(p0));
		ckpt_self(&self->c);
		pending_lines(p1, sizeof(p1));
		CKPT_CHECK(!strcmp(p0, p1), "\nbefore:\n%s\nafter:\n%s", p0, p1);
		CKPT_SYS(sigpending(&pend));
		for (i = 1; i < SIGRTMAX; i++)
			CKPT_CHECK(sigismember(&pend, i) == sigismember(&set, i),
				   "signal %d %spending", i,
				   sigismember(&pend, i) ? "" : "not ");
		/* glibc's sigtimedwait() reports SI_TKILL as SI_USER */
		expect_sig(SIGUSR1, SI_USER, me, uid, 0, false);
		expect_sig(SIGUSR2, SI_QUEUE, me, uid, 0x99, true);
		expect_sig(rt, SI_QUEUE, me, uid, 0x1234, true);
		expect_sig(rt, SI_QUEUE, me, uid, 0x5678, true);
		CKPT_SYS(sigpending(&pend));
		for (i = 1; i < SIGRTMAX; i++)
			CKPT_CHECK(!sigismember(&pend, i), "signal %d still pending", i);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * The alternate signal stack (address, size, SS_AUTODISARM) is restored
 * and SA_ONSTACK handlers run on it.
 */
TEST_F(signals, sigaltstack)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 64 * 1024;
		struct sigaction sa;
		stack_t ss, now;
		char *stk;

		stk = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(stk != MAP_FAILED, "mmap");
		ss.ss_sp = stk;
		ss.ss_size = len;
		ss.ss_flags = SS_AUTODISARM;
		CKPT_SYS(sigaltstack(&ss, NULL));
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_usr1;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		CKPT_SYS(sigaction(SIGUSR1, &sa, NULL));
		ckpt_self(&self->c);
		CKPT_SYS(sigaltstack(NULL, &now));
		CKPT_CHECK(now.ss_sp == stk && now.ss_size == len,
			   "altstack %p+%zu, was %p+%zu", now.ss_sp, now.ss_size,
			   (void *)stk, len);
		CKPT_CHECK(now.ss_flags == (int)SS_AUTODISARM, "ss_flags %#x",
			   now.ss_flags);
		CKPT_SYS(raise(SIGUSR1));
		CKPT_CHECK(usr1_hits == 1, "handler did not run");
		CKPT_CHECK(handler_stack >= (uintptr_t)stk &&
			   handler_stack < (uintptr_t)stk + len,
			   "handler ran at %#lx, not on the altstack",
			   (unsigned long)handler_stack);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int64_t tv_us(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/*
 * ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF: the intervals exactly,
 * the remaining values non-zero and not more than before.  The CPU-time
 * timers are read against a cputime sample that may lag by a tick, so
 * they get 10 ms of slack.
 */
TEST_F(signals, itimers)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static const int which[3] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
		static const struct itimerval set[3] = {
			{ { 100, 0 }, { 50, 0 } },
			{ { 10, 0 }, { 30, 0 } },
			{ { 7, 250000 }, { 20, 0 } },
		};
		struct itimerval before[3], after;
		sigset_t block;
		int i;

		sigemptyset(&block);
		sigaddset(&block, SIGALRM);
		sigaddset(&block, SIGVTALRM);
		sigaddset(&block, SIGPROF);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &block, NULL));
		for (i = 0; i < 3; i++)
			CKPT_SYS(setitimer(which[i], &set[i], NULL));
		for (i = 0; i < 3; i++)
			CKPT_SYS(getitimer(which[i], &before[i]));
		ckpt_self(&self->c);
		for (i = 0; i < 3; i++) {
			int64_t slack = which[i] == ITIMER_REAL ? 0 : 10000;

			CKPT_SYS(getitimer(which[i], &after));
			CKPT_CHECK(tv_us(after.it_interval) == tv_us(set[i].it_interval),
				   "timer %d: interval %ld us", which[i],
				   (long)tv_us(after.it_interval));
			CKPT_CHECK(tv_us(after.it_value) > 0 &&
				   tv_us(after.it_value) <= tv_us(before[i].it_value) + slack,
				   "timer %d: value %ld us, was %ld us", which[i],
				   (long)tv_us(after.it_value),
				   (long)tv_us(before[i].it_value));
		}
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A pending ITIMER_REAL still fires after restart. */
TEST_F(signals, itimer_real_fires)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerval it = { { 0, 0 }, { 2, 0 } };
		struct timespec limit = { 20, 0 };
		siginfo_t si;
		sigset_t set;
		int r;

		sigemptyset(&set);
		sigaddset(&set, SIGALRM);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &set, NULL));
		CKPT_SYS(setitimer(ITIMER_REAL, &it, NULL));
		ckpt_self(&self->c);
		r = sigtimedwait(&set, &si, &limit);
		CKPT_CHECK(r == SIGALRM, "no SIGALRM within 20 s: %s",
			   strerror(errno));
		CKPT_CHECK(si.si_code == SI_KERNEL, "si_code %d", si.si_code);
		CKPT_SYS(getitimer(ITIMER_REAL, &it));
		CKPT_CHECK(!it.it_value.tv_sec && !it.it_value.tv_usec,
			   "one-shot timer re-armed");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A periodic ITIMER_REAL whose SIGALRM came during the checkpoint and
 * was not taken yet (the timer starts again only when it is): after
 * restart it goes on ticking.  A 1 ms interval fires during any
 * checkpoint.
 */
TEST_F(signals, periodic_itimer_real_fired_during_checkpoint_ticks_on)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
		struct timespec limit = { 5, 0 };
		siginfo_t si;
		sigset_t set;
		int i;

		sigemptyset(&set);
		sigaddset(&set, SIGALRM);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &set, NULL));
		CKPT_SYS(setitimer(ITIMER_REAL, &it, NULL));
		ckpt_self(&self->c);
		for (i = 0; i < 3; i++)
			CKPT_CHECK(sigtimedwait(&set, &si, &limit) == SIGALRM,
				   "tick %d: no SIGALRM within 5 s: %s", i,
				   strerror(errno));
		CKPT_SYS(getitimer(ITIMER_REAL, &it));
		CKPT_CHECK(it.it_interval.tv_usec == 1000, "interval %ld us",
			   (long)it.it_interval.tv_usec);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
