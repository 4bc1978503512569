// SPDX-License-Identifier: GPL-2.0
/*
 * Pseudo-terminals held inside the checkpoint: a pair comes back with
 * both ends' termios, the window size, packet mode and the slave's lock,
 * and carries bytes both ways; a session keeps its pty as controlling
 * terminal with its foreground process group, even when no fd holds the
 * slave any more (it hangs up when the master closes); bytes not read
 * yet come back to each end, line by line; a full input buffer is
 * refused (EOPNOTSUPP), as /proc says beforehand.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include "ckpt_test.h"

CKPT_FIXTURE(pty);

/* A new pair: the master, and the slave if @open_slave (else -1). */
static int open_pty(bool open_slave, int *slave)
{
	int master = CKPT_SYS(posix_openpt(O_RDWR | O_NOCTTY));

	*slave = -1;
	if (open_slave) {
		CKPT_SYS(unlockpt(master));
		*slave = CKPT_SYS(ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	}
	return master;
}

/* The slave's number of @master. */
static unsigned int pty_number(int master)
{
	unsigned int n;

	CKPT_SYS(ioctl(master, TIOCGPTN, &n));
	return n;
}

static void read_exactly(int fd, const char *want, size_t len)
{
	char buf[64] = {};

	CKPT_CHECK(len < sizeof(buf) && ckpt_read_fd(fd, buf, len) == (ssize_t)len &&
		   !memcmp(buf, want, len), "read %.*s, expected %.*s",
		   (int)len, buf, (int)len, want);
}

/*
 * Raw mode with VMIN 3 and VTIME 7 on the slave, a 33x101 window and
 * packet mode: all as they were after restart, and bytes go both ways
 * (in packet mode each master read starts with TIOCPKT_DATA); the
 * slave is /dev/pts/N of the new master's N.
 */
TEST_F(pty, pair_keeps_termios_window_and_packet_mode)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct winsize ws = { .ws_row = 33, .ws_col = 101,
				      .ws_xpixel = 7, .ws_ypixel = 9 }, ws2;
		struct termios t, tm, t2, tm2;
		int master, slave, pkt = 1, locked;
		struct stat st;

		master = open_pty(true, &slave);
		CKPT_SYS(tcgetattr(slave, &t));
		cfmakeraw(&t);
		t.c_cc[VMIN] = 3;
		t.c_cc[VTIME] = 7;
		CKPT_SYS(tcsetattr(slave, TCSANOW, &t));
		CKPT_SYS(tcgetattr(slave, &t));
		CKPT_SYS(tcgetattr(master, &tm));
		CKPT_SYS(ioctl(slave, TIOCSWINSZ, &ws));
		CKPT_SYS(ioctl(master, TIOCPKT, &pkt));

		ckpt_self(&self->c);

		CKPT_SYS(tcgetattr(slave, &t2));
		CKPT_SYS(tcgetattr(master, &tm2));
		CKPT_CHECK(!memcmp(&t, &t2, sizeof(t)), "slave termios changed: lflag %#x was %#x",
			   t2.c_lflag, t.c_lflag);
		CKPT_CHECK(!memcmp(&tm, &tm2, sizeof(tm)),
			   "master termios changed: cflag %#x was %#x",
			   tm2.c_cflag, tm.c_cflag);
		CKPT_SYS(ioctl(slave, TIOCGWINSZ, &ws2));
		CKPT_CHECK(!memcmp(&ws, &ws2, sizeof(ws)), "window %ux%u",
			   ws2.ws_row, ws2.ws_col);
		CKPT_SYS(ioctl(master, TIOCGPKT, &pkt));
		CKPT_CHECK(pkt == 1, "packet mode %d", pkt);
		CKPT_SYS(ioctl(master, TIOCGPTLCK, &locked));
		CKPT_CHECK(locked == 0, "slave locked");
		CKPT_SYS(fstat(slave, &st));
		CKPT_CHECK(minor(st.st_rdev) == pty_number(master),
			   "slave is pts %u, the master's is %u",
			   minor(st.st_rdev), pty_number(master));
		CKPT_SYS(write(master, "abc", 3));
		read_exactly(slave, "abc", 3);
		CKPT_SYS(write(slave, "xyz", 3));
		read_exactly(master, "\0xyz", 4);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A master whose slave was never unlocked: still locked after restart
 * (opening the slave fails with EIO) until unlockpt().
 */
TEST_F(pty, locked_slave_stays_locked)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int master, slave, locked;

		master = open_pty(false, &slave);
		ckpt_self(&self->c);
		CKPT_SYS(ioctl(master, TIOCGPTLCK, &locked));
		CKPT_CHECK(locked == 1, "slave unlocked by restart");
		CKPT_CHECK(ioctl(master, TIOCGPTPEER, O_RDWR) < 0 &&
			   errno == EIO, "locked slave opened");
		CKPT_SYS(unlockpt(master));
		slave = CKPT_SYS(ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY));
		CKPT_SYS(write(slave, "q", 1));
		read_exactly(master, "q", 1);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A slave opened and closed again: the master still reads EIO. */
TEST_F(pty, closed_slave_stays_closed)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int master, slave;
		char c;

		master = open_pty(true, &slave);
		close(slave);
		CKPT_CHECK(read(master, &c, 1) < 0 && errno == EIO,
			   "master read before");
		ckpt_self(&self->c);
		CKPT_CHECK(read(master, &c, 1) < 0 && errno == EIO,
			   "master of a closed slave did not read EIO");
		slave = CKPT_SYS(ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY));
		CKPT_SYS(write(slave, "k", 1));
		read_exactly(master, "k", 1);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* One read(2) of @fd returns exactly @want (a canonical line). */
static void read_line(int fd, const char *want)
{
	char buf[64] = {};
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	CKPT_CHECK(n == (ssize_t)strlen(want) && !memcmp(buf, want, n),
		   "read %zd bytes \"%s\", expected \"%s\"", n, buf, want);
}

/*
 * Typed on the terminal and not read yet, in canonical mode with echo:
 * two lines and one not finished.  After restart each read returns
 * one line, the unfinished one can still be erased and completed, and
 * the master reads each echo once: what was echoed before, then the
 * erase and the new keys.
 */
TEST_F(pty, unread_input_comes_back_line_by_line)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int master, slave, inq;

		master = open_pty(true, &slave);
		CKPT_SYS(write(master, "one\ntwo\nthr", 11));
		/* echoed: the line discipline holds them now */
		read_exactly(master, "one\r\ntwo\r\nth", 12);

		ckpt_self(&self->c);

		CKPT_SYS(ioctl(slave, TIOCINQ, &inq));
		CKPT_CHECK(inq == 8, "TIOCINQ %d, expected the 8 of two lines",
			   inq);
		read_line(slave, "one\n");
		read_line(slave, "two\n");
		read_exactly(master, "r", 1);
		CKPT_SYS(write(master, "\177ee\n", 4));
		read_line(slave, "thee\n");
		read_exactly(master, "\b \bee\r\n", 7);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Output the master has not read, and input ending in an end of file
 * (^D): the master reads the output as written, the slave a line and
 * then the end of file (read returns 0), then blocks no more than it
 * did before.
 */
TEST_F(pty, unread_output_and_end_of_file_come_back)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct termios t;
		int master, slave;
		char c;

		master = open_pty(true, &slave);
		CKPT_SYS(tcgetattr(slave, &t));
		t.c_lflag &= ~ECHO;
		CKPT_SYS(tcsetattr(slave, TCSANOW, &t));
		CKPT_SYS(write(slave, "output\n", 7));
		CKPT_SYS(write(master, "last\n\x04", 6));

		ckpt_self(&self->c);

		read_exactly(master, "output\r\n", 8);
		read_line(slave, "last\n");
		CKPT_CHECK(read(slave, &c, 1) == 0, "no end of file");
		CKPT_SYS(write(master, "z\n", 2));
		read_line(slave, "z\n");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * The slave's node given to another user, mode 0600, as root may: the
 * new pair's slave has the same owner and mode after restart.
 */
TEST_F(pty, slave_owner_and_mode_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int master, slave;
		struct stat st;

		master = open_pty(true, &slave);
		CKPT_SYS(fchown(slave, 13333, 44444));
		CKPT_SYS(fchmod(slave, 0600));
		ckpt_self(&self->c);
		CKPT_SYS(fstat(slave, &st));
		CKPT_CHECK(st.st_uid == 13333 && st.st_gid == 44444 &&
			   (st.st_mode & 07777) == 0600,
			   "slave %u:%u mode 0%o", st.st_uid, st.st_gid,
			   st.st_mode & 07777);
		CKPT_CHECK(minor(st.st_rdev) == pty_number(master),
			   "another pty's slave");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int full_input(struct ckpt_ctx *c)
{
	char buf[5000];
	struct termios t;
	int master, slave;

	(void)c;
	master = open_pty(true, &slave);
	if (tcgetattr(slave, &t))
		return errno;
	cfmakeraw(&t);
	if (tcsetattr(slave, TCSANOW, &t))
		return errno;
	memset(buf, 'x', sizeof(buf));
	return write(master, buf, sizeof(buf)) == sizeof(buf) ? 0 : errno;
}

/*
 * An input buffer full: what waits behind it, in the driver's buffer,
 * is not saved.  Refused, with why.
 */
TEST_F(pty, full_input_buffer_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, full_input, -1, EOPNOTSUPP,
			    "input buffer is full", true);
}

/* The ids and terminal a member of the session sees. */
static void check_ctty(const char *who, int slave, pid_t fg, pid_t sid)
{
	struct winsize a, b;
	int tty;

	CKPT_CHECK(getsid(0) == sid, "%s: sid %d, expected %d", who,
		   getsid(0), sid);
	CKPT_CHECK(tcgetpgrp(slave) == fg, "%s: foreground group %d, expected %d",
		   who, tcgetpgrp(slave), fg);
	CKPT_CHECK(tcgetsid(slave) == sid, "%s: the slave's session is %d",
		   who, tcgetsid(slave));
	tty = open("/dev/tty", O_RDWR | O_NOCTTY);
	CKPT_CHECK(tty >= 0, "%s: no controlling terminal: %s", who,
		   strerror(errno));
	/* /dev/tty is the slave: the same window size */
	CKPT_SYS(ioctl(tty, TIOCGWINSZ, &a));
	CKPT_SYS(ioctl(slave, TIOCGWINSZ, &b));
	CKPT_CHECK(tcgetsid(tty) == sid && a.ws_col == 77 && b.ws_col == 77,
		   "%s: /dev/tty is not the slave (%u columns)", who, a.ws_col);
	close(tty);
}

/*
 * The root holds a pty's master; its child leads a session whose
 * controlling terminal is the slave, and whose foreground group is
 * the grandchild's.  After restart both have the slave as controlling
 * terminal (/dev/tty), the foreground group is the grandchild's, and a
 * line the root writes to the master reaches the grandchild.
 */
TEST_F(pty, session_keeps_its_terminal_and_foreground_group)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		int master, slave, st;
		pid_t lead;

		struct winsize ws = { .ws_row = 20, .ws_col = 77 };

		master = open_pty(true, &slave);
		CKPT_SYS(ioctl(slave, TIOCSWINSZ, &ws));
		lead = CKPT_SYS(fork());
		if (lead == 0) {
			pid_t job;
			int sync[2];

			CKPT_SYS(setsid());
			CKPT_SYS(ioctl(slave, TIOCSCTTY, 0));
			CKPT_SYS(pipe(sync));
			job = CKPT_SYS(fork());
			if (job == 0) {
				char line[16] = {};

				close(sync[1]);
				CKPT_SYS(setpgid(0, 0));
				CKPT_CHECK(read(sync[0], line, 1) == 1, "sync");
				ckpt_wait_go();
				check_ctty("job", slave, getpid(), getppid());
				CKPT_CHECK(read(slave, line, sizeof(line) - 1) == 6 &&
					   !strcmp(line, "hello\n"), "job read %s", line);
				_exit(0);
			}
			CKPT_SYS(setpgid(job, job));
			CKPT_SYS(tcsetpgrp(slave, job));
			CKPT_SYS(write(sync[1], "s", 1));
			ckpt_wait_go();
			check_ctty("leader", slave, job, getpid());
			CKPT_CHECK(waitpid(job, &st, 0) == job && st == 0,
				   "job status %#x", st);
			_exit(0);
		}
		close(slave);
		ckpt_wait_go();
		CKPT_SYS(write(master, "hello\n", 6));
		CKPT_CHECK(waitpid(lead, &st, 0) == lead && st == 0,
			   "leader status %#x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

static volatile sig_atomic_t hung_up;

static void on_hup(int sig)
{
	(void)sig;
	hung_up = 1;
}

/*
 * zdtm's pty03 and tty00: a session whose controlling terminal is a
 * pty slave that no fd holds any more, its master held by the root.
 * After restart /dev/tty still opens the slave and a byte written there
 * reaches the master; when the root closes the master, the session
 * leader gets SIGHUP.
 */
TEST_F(pty, terminal_without_an_open_slave_stays_controlling)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		int master, slave, st, wrote[2];
		pid_t lead;
		char c;

		master = open_pty(true, &slave);
		CKPT_SYS(pipe(wrote));
		lead = CKPT_SYS(fork());
		if (lead == 0) {
			struct sigaction sa = { .sa_handler = on_hup };
			int tty;

			CKPT_SYS(sigaction(SIGHUP, &sa, NULL));
			CKPT_SYS(setsid());
			CKPT_SYS(ioctl(slave, TIOCSCTTY, 0));
			close(slave);
			close(master);
			ckpt_wait_go();
			tty = open("/dev/tty", O_RDWR);
			CKPT_CHECK(tty >= 0, "no controlling terminal: %s",
				   strerror(errno));
			CKPT_CHECK(write(tty, "x", 1) == 1, "write /dev/tty");
			/* the master reads EIO while no fd holds the slave */
			CKPT_CHECK(write(wrote[1], "w", 1) == 1, "sync");
			while (!hung_up)
				pause();
			_exit(0);
		}
		close(slave);
		ckpt_wait_go();
		CKPT_CHECK(read(wrote[0], &c, 1) == 1, "sync");
		CKPT_CHECK(read(master, &c, 1) == 1 && c == 'x', "master read");
		close(master);
		CKPT_CHECK(waitpid(lead, &st, 0) == lead && st == 0,
			   "leader status %#x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

TEST_HARNESS_MAIN
