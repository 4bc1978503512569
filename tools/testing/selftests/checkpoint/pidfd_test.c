// SPDX-License-Identifier: GPL-2.0
/*
 * pidfds: a pidfd of a task inside the checkpoint refers, after restart,
 * to the task restored in its place (signals reach it, waitid(P_PIDFD)
 * reaps it, fdinfo names it); a pidfd of a task outside is refused with
 * a reason, also by /proc/PID/checkpointable.
 */
#define _GNU_SOURCE
#include <sys/wait.h>
#include "ckpt_test.h"

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK	O_NONBLOCK
#endif

#ifndef P_PIDFD
#define P_PIDFD		3
#endif

CKPT_FIXTURE(pidfd);

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

/* The Pid: line of /proc/self/fdinfo/@fd, -2 if none. */
static long fdinfo_pid(int fd)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (ckpt_read_file(path, buf, sizeof(buf)) <= 0)
		return -2;
	p = strstr(buf, "\nPid:\t");
	return p ? strtol(p + 6, NULL, 10) : -2;
}

/*
 * A process with a child and a non-blocking pidfd of it, restored by
 * the tools: the pidfd names the restored child, keeps O_NONBLOCK, a
 * signal sent through it kills the child, and waitid(P_PIDFD) reaps it.
 */
TEST_F(pidfd, pidfd_of_child_follows_restored_child)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		siginfo_t si = {};
		pid_t kid;
		int pfd;

		kid = CKPT_SYS(fork());
		if (kid == 0) {
			for (;;)
				pause();
		}
		pfd = CKPT_SYS(pidfd_open(kid, PIDFD_NONBLOCK));
		ckpt_wait_go();

		CKPT_CHECK(fdinfo_pid(pfd) == kid, "pidfd names %ld, child %d",
			   fdinfo_pid(pfd), kid);
		CKPT_CHECK(fcntl(pfd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
		CKPT_CHECK(waitid(P_PIDFD, pfd, &si, WEXITED | WNOHANG) == 0 &&
			   si.si_pid == 0, "child gone before the signal");
		CKPT_SYS(syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0));
		do {
			memset(&si, 0, sizeof(si));
			CKPT_SYS(waitid(P_PIDFD, pfd, &si, WEXITED | WNOHANG));
			usleep(1000);
		} while (!si.si_pid);
		CKPT_CHECK(si.si_pid == kid && si.si_code == CLD_KILLED &&
			   si.si_status == SIGTERM, "waitid: pid %d code %d status %d",
			   si.si_pid, si.si_code, si.si_status);
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* A pidfd of the process itself, restored with RESTART_TASKSELF. */
TEST_F(pidfd, pidfd_of_self_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int pfd = CKPT_SYS(pidfd_open(getpid(), 0));

		ckpt_self(&self->c);
		CKPT_CHECK(fdinfo_pid(pfd) == getpid(), "pidfd names %ld, we are %d",
			   fdinfo_pid(pfd), getpid());
		CKPT_SYS(syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int parent_pidfd(struct ckpt_ctx *c)
{
	(void)c;
	return pidfd_open(getppid(), 0) < 0 ? errno : 0;
}

/*
 * A pidfd of a process outside the checkpoint (its parent, us):
 * EOPNOTSUPP, the log, /proc/PID/checkpointable and the fdinfo say why.
 */
TEST_F(pidfd, pidfd_outside_the_checkpoint_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, parent_pidfd, -1, EOPNOTSUPP,
			    "outside the checkpoint", true);
}

TEST_HARNESS_MAIN
