// SPDX-License-Identifier: GPL-2.0
/*
 * signalfd(2) files: the mask of accepted signals, O_NONBLOCK, and a
 * signal pending at checkpoint read through the signalfd after restart.
 */
#include <sys/signalfd.h>
#include "ckpt_test.h"

CKPT_FIXTURE(signalfd);

TEST_F(signalfd, mask_and_pending_signal)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct signalfd_siginfo si;
		sigset_t set;
		int fd;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigaddset(&set, SIGUSR2);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &set, NULL));
		sigdelset(&set, SIGUSR2);
		sigaddset(&set, SIGTERM);
		fd = CKPT_SYS(signalfd(-1, &set, SFD_NONBLOCK));
		CKPT_SYS(kill(getpid(), SIGUSR1));
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
		CKPT_CHECK(read(fd, &si, sizeof(si)) == sizeof(si) &&
			   si.ssi_signo == SIGUSR1, "pending SIGUSR1 not read");
		CKPT_CHECK(read(fd, &si, sizeof(si)) == -1 && errno == EAGAIN,
			   "more than one signal");
		/* SIGUSR2 is blocked but not in the mask */
		CKPT_SYS(kill(getpid(), SIGUSR2));
		CKPT_CHECK(read(fd, &si, sizeof(si)) == -1 && errno == EAGAIN,
			   "SIGUSR2 read: the mask grew");
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		CKPT_SYS(sigprocmask(SIG_BLOCK, &set, NULL));
		CKPT_SYS(kill(getpid(), SIGTERM));
		CKPT_CHECK(read(fd, &si, sizeof(si)) == sizeof(si) &&
			   si.ssi_signo == SIGTERM, "SIGTERM not read");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
