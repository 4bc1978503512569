// SPDX-License-Identifier: GPL-2.0
/*
 * File descriptors in flight (SCM_RIGHTS): files sent over an AF_UNIX
 * pair and not received yet come back in flight, each with the message
 * that carried it, and are the same open files after restart (a pipe
 * end still joined to its pipe, a file at its offset, an eventfd with
 * its count, a socket with its queue and its peer).  A socket sent over
 * itself, an epoll file in flight and a pipe end in flight whose other
 * end is outside the checkpoint are refused with a reason.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "ckpt_test.h"

#define SCM_TEST_MAX_FDS	4

/* Send @len bytes of @buf with @nr fds of @fds (none if 0). */
static ssize_t send_fds(int sock, const void *buf, size_t len,
			const int *fds, int nr)
{
	char cbuf[CMSG_SPACE(SCM_TEST_MAX_FDS * sizeof(int))] = {};
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (nr) {
		msg.msg_control = cbuf;
		msg.msg_controllen = CMSG_SPACE(nr * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nr * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nr * sizeof(int));
	}
	return sendmsg(sock, &msg, 0);
}

/*
 * Receive one message into @buf without waiting; *@nr is set to the
 * fds it passed, into @fds.  Returns its length, or -1.
 */
static ssize_t recv_fds(int sock, void *buf, size_t len, int *fds, int *nr)
{
	char cbuf[CMSG_SPACE(SCM_TEST_MAX_FDS * sizeof(int))] = {};
	struct iovec iov = { buf, len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	*nr = 0;
	n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0 || msg.msg_flags & MSG_CTRUNC)
		return -1;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			return -1;
		*nr = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(fds, CMSG_DATA(cm), *nr * sizeof(int));
	}
	return n;
}

/* Whether /proc/self/fdinfo says the socket at @fd can be taken. */
static bool fd_checkpointable(int fd)
{
	char path[64], text[4096];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (ckpt_read_file(path, text, sizeof(text)) > 0 &&
	    strstr(text, "checkpointable:\t1"))
		return true;
	dprintf(2, "%s\n", text);
	return false;
}

CKPT_FIXTURE(scm);

/*
 * A pipe's read end and a file at offset 6 sent over a stream pair and
 * closed by the sender, then a second message without files: after
 * restart the first byte comes with both files, the pipe end reads what
 * was written to the pipe before and after, the file reads on from its
 * offset, and the second message comes without files.
 */
TEST_F(scm, stream_passes_a_pipe_end_and_a_file_in_flight)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int sv[2], p[2], fds[2], got[SCM_TEST_MAX_FDS], nr, f;
		char buf[64];
		ssize_t n;

		CKPT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		CKPT_SYS(pipe(p));
		f = open(ckpt_tmp_path(&self->c, "file"),
			 O_RDWR | O_CREAT | O_TRUNC, 0600);
		CKPT_SYS(f);
		CKPT_CHECK(write(f, "hello world", 11) == 11, "write file");
		CKPT_CHECK(lseek(f, 6, SEEK_SET) == 6, "lseek");
		fds[0] = p[0];
		fds[1] = f;
		CKPT_CHECK(send_fds(sv[0], "A", 1, fds, 2) == 1, "send A");
		CKPT_CHECK(send_fds(sv[0], "BC", 2, NULL, 0) == 2, "send BC");
		CKPT_SYS(close(p[0]));
		CKPT_SYS(close(f));
		CKPT_CHECK(write(p[1], "before", 6) == 6, "write pipe");
		CKPT_CHECK(fd_checkpointable(sv[1]), "fdinfo refuses");
		ckpt_self(&self->c);

		n = recv_fds(sv[1], buf, 1, got, &nr);
		CKPT_CHECK(n == 1 && buf[0] == 'A' && nr == 2,
			   "first byte: %zd bytes, %d fds", n, nr);
		CKPT_CHECK(write(p[1], "after", 5) == 5, "write pipe after");
		CKPT_CHECK(ckpt_read_fd(got[0], buf, 11) == 11 &&
			   !memcmp(buf, "beforeafter", 11), "pipe end in flight");
		CKPT_CHECK(lseek(got[1], 0, SEEK_CUR) == 6, "file offset");
		CKPT_CHECK(read(got[1], buf, sizeof(buf)) == 5 &&
			   !memcmp(buf, "world", 5), "file read");
		n = recv_fds(sv[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 2 && !memcmp(buf, "BC", 2) && nr == 0,
			   "second message: %zd bytes, %d fds", n, nr);
		CKPT_CHECK(recv(sv[1], buf, 1, MSG_DONTWAIT) == -1 &&
			   errno == EAGAIN, "more than was queued");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

FIXTURE(scm_msg) {
	struct ckpt_ctx c;
};

FIXTURE_VARIANT(scm_msg) {
	int type;
};

FIXTURE_VARIANT_ADD(scm_msg, dgram) {
	.type = SOCK_DGRAM,
};

FIXTURE_VARIANT_ADD(scm_msg, seqpacket) {
	.type = SOCK_SEQPACKET,
};

FIXTURE_SETUP(scm_msg)
{
	ckpt_ctx_init(_metadata, &self->c);
}

FIXTURE_TEARDOWN(scm_msg)
{
	ckpt_ctx_fini(&self->c);
}

/*
 * Three messages, the second with an eventfd (count 5), /dev/null and
 * the eventfd again, one message back with a file: after restart each
 * message comes with its own files and no other, in order, and the
 * eventfd sent twice is one open file.
 */
TEST_F(scm_msg, files_stay_with_their_message)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int sv[2], fds[3], got[SCM_TEST_MAX_FDS], nr;
		uint64_t v;
		char buf[64];
		ssize_t n;

		CKPT_SYS(socketpair(AF_UNIX, variant->type, 0, sv));
		fds[0] = eventfd(5, 0);
		CKPT_SYS(fds[0]);
		fds[1] = open("/dev/null", O_WRONLY);
		CKPT_SYS(fds[1]);
		fds[2] = fds[0];
		CKPT_CHECK(send_fds(sv[0], "zero", 4, NULL, 0) == 4, "send 0");
		CKPT_CHECK(send_fds(sv[0], "one", 3, fds, 3) == 3, "send 1");
		CKPT_CHECK(send_fds(sv[0], "two!", 4, NULL, 0) == 4, "send 2");
		CKPT_CHECK(send_fds(sv[1], "back", 4, &fds[1], 1) == 4,
			   "send back");
		CKPT_SYS(close(fds[0]));
		CKPT_SYS(close(fds[1]));
		ckpt_self(&self->c);

		n = recv_fds(sv[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 4 && !memcmp(buf, "zero", 4) && !nr,
			   "message 0: %zd bytes, %d fds", n, nr);
		n = recv_fds(sv[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 3 && !memcmp(buf, "one", 3) && nr == 3,
			   "message 1: %zd bytes, %d fds", n, nr);
		CKPT_CHECK(read(got[0], &v, sizeof(v)) == sizeof(v) && v == 5,
			   "eventfd count");
		CKPT_CHECK(write(got[1], "x", 1) == 1, "/dev/null");
		v = 7;
		CKPT_CHECK(write(got[2], &v, sizeof(v)) == sizeof(v) &&
			   read(got[0], &v, sizeof(v)) == sizeof(v) && v == 7,
			   "the eventfd sent twice is one file");
		n = recv_fds(sv[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 4 && !memcmp(buf, "two!", 4) && !nr,
			   "message 2: %zd bytes, %d fds", n, nr);
		n = recv_fds(sv[0], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 4 && !memcmp(buf, "back", 4) && nr == 1,
			   "back: %zd bytes, %d fds", n, nr);
		CKPT_CHECK(write(got[0], "y", 1) == 1, "/dev/null back");
		CKPT_CHECK(recv(sv[1], buf, 1, MSG_DONTWAIT) == -1 &&
			   errno == EAGAIN, "a message too many");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * One end of a second pair, with data queued for it, sent over the
 * first pair and closed: after restart it comes out of the first pair
 * still joined to its peer, reads what was queued and carries data
 * both ways.
 */
TEST_F(scm, socket_in_flight_keeps_its_queue_and_peer)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int a[2], b[2], got[SCM_TEST_MAX_FDS], nr;
		char buf[64];
		ssize_t n;

		CKPT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, a));
		CKPT_SYS(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, b));
		CKPT_CHECK(send(b[0], "queued", 6, 0) == 6, "queue");
		CKPT_CHECK(send_fds(a[0], "s", 1, &b[1], 1) == 1, "send b1");
		CKPT_SYS(close(b[1]));
		ckpt_self(&self->c);

		n = recv_fds(a[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 1 && nr == 1, "%zd bytes, %d fds", n, nr);
		n = recv(got[0], buf, sizeof(buf), MSG_DONTWAIT);
		CKPT_CHECK(n == 6 && !memcmp(buf, "queued", 6),
			   "queued in flight: %zd", n);
		CKPT_CHECK(send(got[0], "back", 4, 0) == 4 &&
			   recv(b[0], buf, sizeof(buf), MSG_DONTWAIT) == 4 &&
			   !memcmp(buf, "back", 4), "to its peer");
		CKPT_CHECK(send(b[0], "more", 4, 0) == 4 &&
			   recv(got[0], buf, sizeof(buf), MSG_DONTWAIT) == 4,
			   "from its peer");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A pipe's read end in flight from a datagram socket that was closed
 * since, as zdtm's scm09 leaves it: after restart the read end still
 * comes out of the surviving socket, joined to its pipe.
 */
TEST_F(scm, file_in_flight_from_a_closed_sender)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int sv[2], p[2], got[SCM_TEST_MAX_FDS], nr;
		char buf[8];
		ssize_t n;

		CKPT_SYS(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
		CKPT_SYS(pipe(p));
		CKPT_CHECK(send_fds(sv[0], "r", 1, &p[0], 1) == 1, "send");
		CKPT_SYS(close(p[0]));
		CKPT_SYS(close(sv[0]));
		ckpt_self(&self->c);

		n = recv_fds(sv[1], buf, sizeof(buf), got, &nr);
		CKPT_CHECK(n == 1 && nr == 1, "%zd bytes, %d fds", n, nr);
		CKPT_CHECK(write(p[1], "HELLO", 5) == 5 &&
			   read(got[0], buf, sizeof(buf)) == 5 &&
			   !memcmp(buf, "HELLO", 5), "the pipe end in flight");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A socket sent over itself: in flight to its own peer. */
static int sent_over_itself(struct ckpt_ctx *c)
{
	int sv[2];

	(void)c;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return errno;
	return send_fds(sv[0], "x", 1, &sv[0], 1) == 1 ? 0 : errno;
}

TEST_F(scm, socket_sent_over_itself_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, sent_over_itself, -1,
			    EOPNOTSUPP, "in flight itself", true);
}

/* An epoll file in flight: its watches go with an fd table. */
static int epoll_in_flight(struct ckpt_ctx *c)
{
	int sv[2], ep = epoll_create1(0);

	(void)c;
	if (ep < 0 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return errno;
	if (send_fds(sv[0], "e", 1, &ep, 1) != 1)
		return errno;
	close(ep);
	return 0;
}

TEST_F(scm, epoll_file_in_flight_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, epoll_in_flight, -1,
			    EOPNOTSUPP, "epoll file is in flight", true);
}

static int outside_pipe[2] = { -1, -1 };

/* The read end of a pipe whose write end the test process keeps. */
static int pipe_end_in_flight(struct ckpt_ctx *c)
{
	int sv[2];

	(void)c;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return errno;
	if (send_fds(sv[0], "p", 1, &outside_pipe[0], 1) != 1)
		return errno;
	close(outside_pipe[0]);
	return 0;
}

TEST_F(scm, pipe_end_in_flight_with_its_other_end_outside_is_refused)
{
	ASSERT_EQ(0, pipe(outside_pipe));
	ckpt_expect_refused(_metadata, &self->c, pipe_end_in_flight,
			    outside_pipe[0],
			    EOPNOTSUPP, "in flight there): the pipe's other end", true);
	close(outside_pipe[0]);
	close(outside_pipe[1]);
}

TEST_HARNESS_MAIN
