// SPDX-License-Identifier: GPL-2.0
/*
 * Restartable sequences: the C library registers an rseq area for every
 * thread (rseq(2)); a restored task has its own area registered again,
 * which the kernel keeps up to date, and never the one the restarting
 * process had.
 */
#include <sched.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include "ckpt_test.h"

#define RSEQ_SIG_X86	0x53053053
#define RSEQ_LEN	32
#define POISON_CPU	12345u

CKPT_FIXTURE(rseq);

/* The calling thread's area, where glibc put it: TLS + __rseq_offset. */
static struct rseq *rseq_area(void)
{
	char *tp;

	asm("mov %%fs:0, %0" : "=r"(tp));
	return (struct rseq *)(tp + __rseq_offset);
}

/* rseq(2) registration of @r: 0, or -1 with errno (EBUSY: r is registered). */
static int rseq_register(struct rseq *r, int flags)
{
	return syscall(__NR_rseq, r, RSEQ_LEN, flags, RSEQ_SIG_X86);
}

static void rseq_need(struct __test_metadata *_metadata)
{
	if (__rseq_size == 0)
		SKIP(return, "no rseq area registered (a kernel without CONFIG_RSEQ?)");
}

static volatile sig_atomic_t signals;

static void on_usr1(int sig)
{
	(void)sig;
	signals++;
}

/*
 * The area comes back registered (rseq(2) with the same arguments says
 * EBUSY) and the kernel writes the cpu number into it again: fields
 * poisoned just before the checkpoint hold a real cpu after restart,
 * and the task survives preemption and signals.
 */
TEST_F(rseq, registration_comes_back)
{
	pid_t pid;

	rseq_need(_metadata);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct rseq *r = rseq_area();
		unsigned int cpu = 0;
		int i;

		CKPT_CHECK(rseq_register(r, 0) == -1 && errno == EBUSY,
			   "glibc's rseq area is not registered: %s",
			   strerror(errno));
		signal(SIGUSR1, on_usr1);
		r->cpu_id_start = POISON_CPU;
		r->cpu_id = POISON_CPU;
		ckpt_self(&self->c);
		CKPT_CHECK(r->cpu_id != POISON_CPU && r->cpu_id < CPU_SETSIZE,
			   "cpu_id %u: the kernel does not update the area",
			   r->cpu_id);
		CKPT_CHECK(rseq_register(r, 0) == -1 && errno == EBUSY,
			   "after restart rseq(2) says %s, not EBUSY",
			   strerror(errno));
		for (i = 0; i < 20; i++) {
			sched_yield();
			raise(SIGUSR1);
		}
		CKPT_CHECK(signals == 20, "%d signals handled", (int)signals);
		CKPT_SYS(syscall(SYS_getcpu, &cpu, NULL, NULL));
		CKPT_CHECK(r->cpu_id < CPU_SETSIZE, "cpu_id %u", r->cpu_id);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A task that had unregistered its area has none after restart: the
 * registration of the process that called restart(2) is not kept, so
 * registering anew succeeds.
 */
TEST_F(rseq, unregistered_stays_unregistered)
{
	pid_t pid;

	rseq_need(_metadata);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct rseq *r = rseq_area();

		CKPT_SYS(rseq_register(r, RSEQ_FLAG_UNREGISTER));
		ckpt_self(&self->c);
		CKPT_CHECK(rseq_register(r, 0) == 0,
			   "rseq(2) after restart: %s (something is registered)",
			   strerror(errno));
		CKPT_CHECK(r->cpu_id < CPU_SETSIZE, "cpu_id %u", r->cpu_id);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A running process (sleeping 1 ms at a time, as a timer loop does),
 * checkpointed from outside by the tools and restarted: it goes on
 * sleeping and waking up, then exits when told to, its area still
 * registered.
 */
TEST_F(rseq, running_process_restarted_by_the_tools)
{
	const char *go = ckpt_tmp_path(&self->c, "go");
	char spid[16];
	pid_t pid;
	int st;

	rseq_need(_metadata);
	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		const struct timespec ms = { 0, 1000000 };
		struct rseq *r = rseq_area();
		int wakeups = 0;

		setsid();
		while (access(go, F_OK)) {
			nanosleep(&ms, NULL);
			wakeups++;
		}
		CKPT_CHECK(rseq_register(r, 0) == -1 && errno == EBUSY,
			   "rseq(2) says %s, not EBUSY", strerror(errno));
		CKPT_CHECK(r->cpu_id < CPU_SETSIZE, "cpu_id %u", r->cpu_id);
		dprintf(1, "%d wakeups\n", wakeups);
		ckpt_restored_ok();
	}
	ASSERT_TRUE(ckpt_wait_blocked(pid, NULL, -1, 5000));
	snprintf(spid, sizeof(spid), "%d", pid);
	st = ckpt_run(_metadata, &self->c, (char *const[]){ "checkpoint", "--kill",
		      "-o", self->c.img, "--log", self->c.log, spid, NULL });
	ASSERT_EQ(0, st) ckpt_show(_metadata, &self->c);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0600));
	st = ckpt_run(_metadata, &self->c, (char *const[]){ "restart", "-i",
		      self->c.img, "--log", self->c.log, NULL });
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
