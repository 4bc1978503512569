// SPDX-License-Identifier: GPL-2.0
/*
 * Pipes: the bytes buffered at checkpoint come back exactly, in order;
 * capacity (F_SETPIPE_SZ) and O_NONBLOCK are kept; dup'ed ends share one
 * open file; a pipe with one end closed keeps its data and its EOF.
 */
#include "ckpt_test.h"

CKPT_FIXTURE(pipes);

/* Read exactly @len bytes (a pipe may return less per call). */
static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

/*
 * Unread bytes written in several pieces (partly read already) are
 * read back exactly after restart; the pipe then works both ways and
 * reports EOF once the write end is closed.
 */
TEST_F(pipes, buffered_data_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char in[20000], out[20000];
		int p[2];
		char x;

		ckpt_fill(in, sizeof(in), 0x717e);
		CKPT_SYS(pipe(p));
		CKPT_SYS(dup2(p[0], 30));
		CKPT_SYS(dup2(p[1], 31));
		close(p[0]);
		close(p[1]);
		CKPT_CHECK(write(31, "skip", 4) == 4, "write");
		CKPT_CHECK(write(31, in, 7000) == 7000, "write");
		CKPT_CHECK(write(31, in + 7000, 13000) == 13000, "write");
		CKPT_CHECK(read_all(30, out, 4) == 0, "read");
		ckpt_self(&self->c);
		CKPT_CHECK(read_all(30, out, sizeof(out)) == 0, "read back");
		CKPT_CHECK(!memcmp(in, out, sizeof(in)),
			   "data differs at byte %ld",
			   (long)ckpt_verify(out, sizeof(out), 0x717e));
		CKPT_CHECK(write(31, "z", 1) == 1, "write after restart");
		CKPT_CHECK(read(30, &x, 1) == 1 && x == 'z', "read after restart");
		close(31);
		CKPT_CHECK(read(30, &x, 1) == 0, "no EOF after closing the write end");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A full pipe of a non-default size comes back full: every byte, no more room. */
TEST_F(pipes, full_pipe_and_size)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char in[256 * 1024], out[256 * 1024];
		int p[2], size, fl;
		ssize_t n;

		CKPT_SYS(pipe(p));
		size = CKPT_SYS(fcntl(p[1], F_SETPIPE_SZ, 256 * 1024));
		CKPT_CHECK(size == 256 * 1024, "F_SETPIPE_SZ gave %d", size);
		fl = CKPT_SYS(fcntl(p[1], F_GETFL));
		CKPT_SYS(fcntl(p[1], F_SETFL, fl | O_NONBLOCK));
		ckpt_fill(in, sizeof(in), 0xf011);
		n = write(p[1], in, sizeof(in));
		CKPT_CHECK(n == (ssize_t)sizeof(in), "filled %zd bytes", n);
		ckpt_self(&self->c);
		CKPT_CHECK(fcntl(p[1], F_GETPIPE_SZ) == size, "size %d, was %d",
			   fcntl(p[1], F_GETPIPE_SZ), size);
		CKPT_CHECK(write(p[1], "x", 1) == -1 && errno == EAGAIN,
			   "a full pipe took more");
		CKPT_CHECK(read_all(p[0], out, sizeof(out)) == 0, "read back");
		CKPT_CHECK(!memcmp(in, out, sizeof(in)), "data differs");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* O_NONBLOCK on one end only, FD_CLOEXEC, and an empty pipe stays empty. */
TEST_F(pipes, flags_kept)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int p[2], fl0[2], fd0[2];
		char x;

		CKPT_SYS(pipe2(p, O_CLOEXEC));
		CKPT_SYS(fcntl(p[0], F_SETFL, O_NONBLOCK));
		CKPT_SYS(fcntl(p[1], F_SETFD, 0));
		fl0[0] = CKPT_SYS(fcntl(p[0], F_GETFL));
		fl0[1] = CKPT_SYS(fcntl(p[1], F_GETFL));
		fd0[0] = CKPT_SYS(fcntl(p[0], F_GETFD));
		fd0[1] = CKPT_SYS(fcntl(p[1], F_GETFD));
		ckpt_self(&self->c);
		CKPT_CHECK(fcntl(p[0], F_GETFL) == fl0[0] &&
			   fcntl(p[1], F_GETFL) == fl0[1],
			   "flags %#x %#x, were %#x %#x", fcntl(p[0], F_GETFL),
			   fcntl(p[1], F_GETFL), fl0[0], fl0[1]);
		CKPT_CHECK(fcntl(p[0], F_GETFD) == fd0[0] &&
			   fcntl(p[1], F_GETFD) == fd0[1], "FD_CLOEXEC");
		CKPT_CHECK(read(p[0], &x, 1) == -1 && errno == EAGAIN,
			   "empty non-blocking read end");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Two fds of one read end (dup) are one open file again: O_NONBLOCK set
 * through one shows through the other, and they drain one buffer.
 */
TEST_F(pipes, dup_shares_one_end)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int p[2], d;
		char buf[8];

		CKPT_SYS(pipe(p));
		d = CKPT_SYS(dup(p[0]));
		CKPT_CHECK(write(p[1], "abcdef", 6) == 6, "write");
		ckpt_self(&self->c);
		CKPT_SYS(fcntl(d, F_SETFL, O_NONBLOCK));
		CKPT_CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK,
			   "the dup'ed fds are separate files now");
		CKPT_CHECK(read(d, buf, 3) == 3 && !memcmp(buf, "abc", 3), "read d");
		CKPT_CHECK(read(p[0], buf, 8) == 3 && !memcmp(buf, "def", 3),
			   "read p[0]");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Only the read end left: its data, then EOF (no writer came back). */
TEST_F(pipes, read_end_alone)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char buf[16];
		int p[2];

		CKPT_SYS(pipe(p));
		CKPT_CHECK(write(p[1], "last words", 10) == 10, "write");
		close(p[1]);
		ckpt_self(&self->c);
		CKPT_CHECK(read(p[0], buf, sizeof(buf)) == 10 &&
			   !memcmp(buf, "last words", 10), "data");
		CKPT_CHECK(read(p[0], buf, sizeof(buf)) == 0, "EOF");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Only the write end left: writing gets EPIPE (SIGPIPE ignored). */
TEST_F(pipes, write_end_alone)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int p[2];

		signal(SIGPIPE, SIG_IGN);
		CKPT_SYS(pipe(p));
		close(p[0]);
		ckpt_self(&self->c);
		CKPT_CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE,
			   "write without a reader");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A FIFO opened read-write and read-only (non-blocking) keeps its
 * buffered bytes and both open files, reopened by path.
 */
TEST_F(pipes, fifo_data_and_ends)
{
	const char *path = ckpt_tmp_path(&self->c, "fifo");
	pid_t pid;

	unlink(path);
	ASSERT_EQ(0, mkfifo(path, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char in[9000], out[9000];
		int rw, rd, fl0[2];
		struct stat st0, st1;

		ckpt_fill(in, sizeof(in), 0xf1f0);
		rw = CKPT_SYS(open(path, O_RDWR));
		rd = CKPT_SYS(open(path, O_RDONLY | O_NONBLOCK));
		CKPT_CHECK(write(rw, in, sizeof(in)) == sizeof(in), "write");
		fl0[0] = CKPT_SYS(fcntl(rw, F_GETFL));
		fl0[1] = CKPT_SYS(fcntl(rd, F_GETFL));
		CKPT_SYS(fstat(rd, &st0));
		ckpt_self(&self->c);
		CKPT_SYS(fstat(rd, &st1));
		CKPT_CHECK(st0.st_ino == st1.st_ino && S_ISFIFO(st1.st_mode),
			   "not the same FIFO");
		CKPT_CHECK(fcntl(rw, F_GETFL) == fl0[0] &&
			   fcntl(rd, F_GETFL) == fl0[1], "flags %#x %#x, were %#x %#x",
			   fcntl(rw, F_GETFL), fcntl(rd, F_GETFL), fl0[0], fl0[1]);
		CKPT_CHECK(read_all(rd, out, sizeof(out)) == 0, "read back");
		CKPT_CHECK(!memcmp(in, out, sizeof(in)), "data differs");
		CKPT_CHECK(read(rd, out, 1) == -1 && errno == EAGAIN, "more data");
		CKPT_CHECK(write(rw, "q", 1) == 1 && read(rd, out, 1) == 1 &&
			   out[0] == 'q', "FIFO works");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	unlink(path);
}

/* A FIFO another process keeps open is refused: it would keep its data. */
TEST_F(pipes, fifo_open_elsewhere_refused)
{
	const char *path = ckpt_tmp_path(&self->c, "fifo2");
	pid_t pid;
	int keep;

	unlink(path);
	ASSERT_EQ(0, mkfifo(path, 0600));
	keep = open(path, O_RDWR);
	ASSERT_LE(0, keep);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		long r;
		int fd = CKPT_SYS(open(path, O_WRONLY));

		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		CKPT_CHECK(r == -1 && errno == EOPNOTSUPP, "checkpoint: %ld (%s)",
			   r, strerror(errno));
		close(fd);
		_exit(0);
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	close(keep);
	unlink(path);
}

/*
 * A pipe whose other end another process holds is refused (EOPNOTSUPP,
 * naming the fd): restart could not reconnect it.  The process goes on
 * using the pipe.
 */
TEST_F(pipes, other_end_outside_refused)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char buf[4096];
		pid_t mid;
		int p[2];
		long r;

		CKPT_SYS(pipe(p));
		CKPT_SYS(dup2(p[1], 50));
		close(p[1]);
		mid = CKPT_SYS(fork());
		if (mid == 0) {
			/* a reader that is not our child: it outlives mid */
			if (fork() == 0) {
				close(50);
				while (read(p[0], buf, 1) > 0)
					;
				_exit(0);
			}
			_exit(0);
		}
		CKPT_SYS(waitpid(mid, NULL, 0));
		close(p[0]);
		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		CKPT_CHECK(r == -1 && errno == EOPNOTSUPP, "checkpoint: %ld (%s)",
			   r, strerror(errno));
		CKPT_SYS(pread(self->c.logfd, buf, sizeof(buf) - 1, 0));
		CKPT_CHECK(strstr(buf, "fd 50") && strstr(buf, "outside"),
			   "log: %s", buf);
		CKPT_CHECK(write(50, "x", 1) == 1, "the pipe still works");
		_exit(0);
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
}

/*
 * An end opened again through /proc (a second open file of it) and a
 * write end opened again, with data buffered: after restart the two
 * read files are separate open files of one pipe (O_NONBLOCK on one
 * does not show on the other) that drain one buffer, and the pipe sees
 * EOF only once every write file is closed.
 */
TEST_F(pipes, end_opened_again_is_one_pipe)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int p[2], r2, w2;
		char path[64], buf[8];

		CKPT_SYS(pipe(p));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
		r2 = CKPT_SYS(open(path, O_RDONLY));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
		w2 = CKPT_SYS(open(path, O_WRONLY));
		CKPT_CHECK(write(w2, "abcdef", 6) == 6, "write");
		ckpt_self(&self->c);
		CKPT_SYS(fcntl(r2, F_SETFL, O_NONBLOCK));
		CKPT_CHECK(!(fcntl(p[0], F_GETFL) & O_NONBLOCK),
			   "the reopened end is the same open file");
		CKPT_CHECK(read(r2, buf, 3) == 3 && !memcmp(buf, "abc", 3),
			   "read the reopened end");
		CKPT_CHECK(write(p[1], "g", 1) == 1, "write the first end");
		CKPT_CHECK(read(p[0], buf, 8) == 4 && !memcmp(buf, "defg", 4),
			   "read p[0]");
		close(p[1]);
		CKPT_CHECK(read(r2, buf, 1) < 0 && errno == EAGAIN,
			   "EOF with a write file still open");
		close(w2);
		CKPT_CHECK(read(r2, buf, 1) == 0, "no EOF once all writers closed");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
