// SPDX-License-Identifier: GPL-2.0
/*
 * State checkpoint does not save is refused with a reason, never lost:
 * each test gives a stopped child one such thing and expects
 * checkpoint(2) to fail with EOPNOTSUPP (EBUSY for a vfork child), a log
 * line naming it, and /proc/PID/checkpointable to say 0 beforehand.
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/membarrier.h>
#include <linux/seccomp.h>
#include <dirent.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include "ckpt_test.h"

CKPT_FIXTURE(unsaved);

/*
 * A read lease being broken: an open for writing (without waiting) began
 * its break, whose SIGIO is ignored.
 */
static int set_lease(struct ckpt_ctx *c)
{
	const char *path = ckpt_tmp_path(c, "leased");
	int fd = open(path, O_RDONLY | O_CREAT, 0600);

	signal(SIGIO, SIG_IGN);
	if (fd < 0 || fcntl(fd, F_SETLEASE, F_RDLCK))
		return errno;
	fd = open(path, O_WRONLY | O_NONBLOCK);
	/* the open would have waited for the break, which began */
	return fd < 0 ? (errno == EWOULDBLOCK ? 0 : errno) : 1;
}

static int set_seccomp(struct ckpt_ctx *c)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = allow };

	(void)c;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return errno;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) ?
	       errno : 0;
}

/* 1 ms of every 10 ms: what sched_setattr(2) lets root ask for */
static int set_deadline(struct ckpt_ctx *c)
{
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t priority;
		uint64_t runtime, deadline, period;
	} attr = { .size = sizeof(attr), .policy = 6 /* SCHED_DEADLINE */,
		   .runtime = 1000000, .deadline = 10000000,
		   .period = 10000000 };

	(void)c;
	return syscall(SYS_sched_setattr, 0, &attr, 0) ? errno : 0;
}

static int set_mlockall(struct ckpt_ctx *c)
{
	(void)c;
	return mlockall(MCL_FUTURE) ? errno : 0;
}

static int set_membarrier(struct ckpt_ctx *c)
{
	(void)c;
	return syscall(SYS_membarrier,
		       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) ?
	       errno : 0;
}

static int set_mseal(struct ckpt_ctx *c)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	(void)c;
	if (p == MAP_FAILED)
		return errno;
	return syscall(462 /* mseal */, p, 4096, 0) ? errno : 0;
}

static int set_mdwe(struct ckpt_ctx *c)
{
	(void)c;
	/* PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN */
	return prctl(65, 1UL, 0L, 0L, 0L) ? errno : 0;
}

/* A child holding the state, stopped: checkpoint(2) refuses it. */
static void expect_refused(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, ckpt_setup_fn setup, int err,
			   const char *word)
{
	ckpt_expect_refused(_metadata, c, setup, -1, err, word,
			    !strcmp(word, "lease"));
}

TEST_F(unsaved, seccomp_filter_is_refused)
{
	expect_refused(_metadata, &self->c, set_seccomp, EOPNOTSUPP, "seccomp");
}

/* policy, nice, oom_score_adj and subreaper are saved (sched_test) */
TEST_F(unsaved, sched_deadline_is_refused)
{
	expect_refused(_metadata, &self->c, set_deadline, EOPNOTSUPP,
		       "SCHED_DEADLINE");
}

/* locks and leases are saved (locks_test); a lease being broken is not */
TEST_F(unsaved, lease_being_broken_is_refused)
{
	expect_refused(_metadata, &self->c, set_lease, EOPNOTSUPP, "lease");
}

TEST_F(unsaved, mlockall_future_is_refused)
{
	expect_refused(_metadata, &self->c, set_mlockall, EOPNOTSUPP,
		       "mlockall");
}

/* restart would lift the W^X policy; PR_SET_THP_DISABLE is saved */
TEST_F(unsaved, memory_deny_write_execute_is_refused)
{
	expect_refused(_metadata, &self->c, set_mdwe, EOPNOTSUPP,
		       "PR_SET_MDWE");
}

TEST_F(unsaved, membarrier_registration_is_refused)
{
	expect_refused(_metadata, &self->c, set_membarrier, EOPNOTSUPP,
		       "membarrier");
}

/* A traced task: its tracer would be lost at restart. */
TEST_F(unsaved, ptrace_relation_is_refused)
{
	pid_t pid, tracer;
	off_t before;
	int i, sync[2];
	char b;

	ASSERT_EQ(0, pipe(sync));
	pid = ckpt_fork_keep(_metadata, &self->c, &sync[1], 1);
	if (pid == 0) {
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	ASSERT_EQ(0, read(sync[0], &b, 1));
	close(sync[0]);
	tracer = fork();
	ASSERT_GE(tracer, 0);
	if (tracer == 0) {
		if (ptrace(PTRACE_SEIZE, pid, 0, 0))
			_exit(1);
		for (;;)
			pause();
	}
	/* once the tracer holds it, stopped: it sits traced ('t') */
	for (i = 0; i < 2000; i++) {
		char path[64], text[2048], want[64];

		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		snprintf(want, sizeof(want), "TracerPid:\t%d\n", tracer);
		if (ckpt_read_file(path, text, sizeof(text)) > 0 &&
		    strstr(text, want))
			break;
		usleep(1000);
	}
	for (i = 0; i < 2000; i++) {
		char st = ckpt_proc_state(pid);

		if (st == 't' || st == 'T')
			break;
		if (i % 100 == 0)
			kill(pid, SIGSTOP);
		usleep(1000);
	}
	before = ckpt_file_size(self->c.logfd);
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EOPNOTSUPP, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(ckpt_file_size(self->c.logfd), before);
	kill(tracer, SIGKILL);
	waitpid(tracer, NULL, 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST_F(unsaved, mseal_is_refused)
{
	expect_refused(_metadata, &self->c, set_mseal, EOPNOTSUPP, "mseal");
}

/* A vfork() child shares its parent's memory until it execs. */
TEST_F(unsaved, vfork_child_is_refused)
{
	int sync[2];
	pid_t pid, child = 0;
	off_t before;
	int i;

	ASSERT_EQ(0, pipe(sync));
	pid = ckpt_fork_keep(_metadata, &self->c, &sync[1], 1);
	if (pid == 0) {
		pid_t v = vfork();

		if (v == 0) {
			pid_t me = syscall(SYS_getpid);

			syscall(SYS_write, sync[1], &me, sizeof(me));
			for (;;)
				syscall(SYS_pause);
		}
		_exit(0);
	}
	close(sync[1]);
	ASSERT_EQ((ssize_t)sizeof(child), read(sync[0], &child, sizeof(child)));
	close(sync[0]);
	ASSERT_EQ(0, kill(child, SIGSTOP));
	for (i = 0; i < 2000 && ckpt_proc_state(child) != 'T'; i++)
		usleep(1000);
	ASSERT_EQ('T', ckpt_proc_state(child));
	before = ckpt_file_size(self->c.logfd);
	EXPECT_EQ(-1, sys_checkpoint(child, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EBUSY, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(ckpt_file_size(self->c.logfd), before);
	kill(child, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST_HARNESS_MAIN
