// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_ptyrun CMD [ARG]...: run CMD on a new pty, as the leader of a
 * session whose controlling terminal the pty's slave is, as a terminal
 * emulator or script(1) would; copy what is appended to stdin (a
 * regular file, read on as it grows) to the master, and what the
 * master reads to stdout.  Exits with CMD's status once the slave is
 * closed.  A checkpoint of this process takes the pty with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "ckpt_ptyrun: %s: %s\n", what, strerror(errno));
	exit(125);
}

/* write all of @buf to @fd, or die */
static void put(int fd, const char *buf, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("write");
		buf += w;
		n -= w;
	}
}

int main(int argc, char **argv)
{
	struct pollfd p;
	char buf[4096];
	int master, slave, st;
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: ckpt_ptyrun CMD [ARG]...\n");
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		die("posix_openpt");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
		if (slave < 0 || setsid() < 0 || ioctl(slave, TIOCSCTTY, 0))
			die("the slave as controlling terminal");
		/* as a terminal's: not a background job's ignored ^C */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(slave);
		close(master);
		execvp(argv[1], argv + 1);
		die(argv[1]);
	}
	p.fd = master;
	p.events = POLLIN;
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n > 0)
			put(master, buf, n);
		/* a checkpoint may interrupt the poll: it is only a wait */
		if (poll(&p, 1, n > 0 ? 0 : 20) < 0 && errno != EINTR)
			die("poll");
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(master, buf, sizeof(buf));
		if (n > 0)
			put(1, buf, n);
		else if (n < 0 && errno == EIO)
			break;		/* the slave is closed: CMD is done */
		else if (n < 0 && errno != EINTR && errno != EAGAIN)
			die("read master");
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
