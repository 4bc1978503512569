// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX socket pairs: data queued in both directions comes back byte
 * for byte (a partly read stream, datagram and record bounds), with the
 * options and shutdown state programs set; so does a connection made by
 * connect(2) and accept(2), its accepted end named after its listener.
 * Connections waiting in a listener's backlog come back waiting, in
 * order.  A pair split between the checkpoint and the outside, an
 * accepted connection without its listener, a client bound to a name of
 * its own, a connection from outside waiting in a listener's backlog
 * and a stream shut down before it connected are refused with a reason
 * (descriptors in flight: scm_test).  A datagram socket's shutdown is
 * its own; a pair whose one end was closed keeps what that end sent.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "ckpt_test.h"

CKPT_FIXTURE(af_unix);

/* Read exactly @len bytes from a stream socket. */
static void read_all(int fd, char *buf, size_t len)
{
	CKPT_CHECK(ckpt_read_fd(fd, buf, len) == (ssize_t)len,
		   "short read of %zu bytes", len);
}

/*
 * A stream pair with 100 KiB queued one way (its first 10 bytes already
 * read) and 5000 bytes the other: after restart each side reads exactly
 * what was left, in order, and the pair still carries data both ways
 * and an end of file.
 */
TEST_F(af_unix, stream_pair_keeps_queued_data_both_ways)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char a2b[100 << 10], b2a[5000], got[100 << 10];
		char ten[10], c;
		int sv[2];

		CKPT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		ckpt_fill(a2b, sizeof(a2b), 0xa2b);
		ckpt_fill(b2a, sizeof(b2a), 0xb2a);
		CKPT_CHECK(ckpt_write_fd(sv[0], a2b, sizeof(a2b)) == sizeof(a2b),
			   "write a2b");
		CKPT_CHECK(ckpt_write_fd(sv[1], b2a, sizeof(b2a)) == sizeof(b2a),
			   "write b2a");
		read_all(sv[1], ten, sizeof(ten));
		ckpt_self(&self->c);

		read_all(sv[1], got, sizeof(a2b) - 10);
		CKPT_CHECK(!memcmp(got, a2b + 10, sizeof(a2b) - 10),
			   "a to b data differs");
		read_all(sv[0], got, sizeof(b2a));
		CKPT_CHECK(!memcmp(got, b2a, sizeof(b2a)), "b to a data differs");
		CKPT_CHECK(recv(sv[0], &c, 1, MSG_DONTWAIT) == -1 &&
			   errno == EAGAIN, "more than was queued");
		CKPT_SYS(write(sv[1], "x", 1));
		read_all(sv[0], &c, 1);
		CKPT_CHECK(c == 'x', "new data");
		CKPT_SYS(shutdown(sv[0], SHUT_WR));
		CKPT_CHECK(read(sv[1], &c, 1) == 0, "no end of file");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

FIXTURE(unix_msg) {
	struct ckpt_ctx c;
};

FIXTURE_VARIANT(unix_msg) {
	int type;
};

FIXTURE_VARIANT_ADD(unix_msg, dgram) {
	.type = SOCK_DGRAM,
};

FIXTURE_VARIANT_ADD(unix_msg, seqpacket) {
	.type = SOCK_SEQPACKET,
};

FIXTURE_SETUP(unix_msg)
{
	ckpt_ctx_init(_metadata, &self->c);
}

FIXTURE_TEARDOWN(unix_msg)
{
	ckpt_ctx_fini(&self->c);
}

/*
 * Datagrams and records of 7, 1, 3000 and 0 bytes one way and of 64
 * bytes the other come back as the same messages, in order, each whole.
 */
TEST_F(unix_msg, messages_keep_their_bounds)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static const size_t sizes[] = { 7, 1, 3000, 0 };
		static char msg[3000], got[4096];
		unsigned int i;
		ssize_t n;
		int sv[2];

		CKPT_SYS(socketpair(AF_UNIX, variant->type, 0, sv));
		ckpt_fill(msg, sizeof(msg), 0xd6);
		for (i = 0; i < ARRAY_SIZE(sizes); i++)
			CKPT_CHECK(send(sv[0], msg, sizes[i], 0) ==
				   (ssize_t)sizes[i], "send %u", i);
		CKPT_CHECK(send(sv[1], msg, 64, 0) == 64, "send back");
		ckpt_self(&self->c);

		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			n = recv(sv[1], got, sizeof(got), MSG_DONTWAIT);
			CKPT_CHECK(n == (ssize_t)sizes[i] && !memcmp(got, msg, n),
				   "message %u: %zd bytes, sent %zu", i, n,
				   sizes[i]);
		}
		CKPT_CHECK(recv(sv[1], got, sizeof(got), MSG_DONTWAIT) == -1 &&
			   errno == EAGAIN, "a message too many");
		n = recv(sv[0], got, sizeof(got), MSG_DONTWAIT);
		CKPT_CHECK(n == 64 && !memcmp(got, msg, 64), "back: %zd", n);
		CKPT_CHECK(send(sv[1], "ok", 2, 0) == 2 &&
			   recv(sv[0], got, sizeof(got), 0) == 2, "new message");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * SO_SNDBUF, SO_RCVBUF, SO_PASSCRED, SO_RCVTIMEO, O_NONBLOCK and a
 * shutdown come back: getsockopt() reads the same, the shut end cannot
 * send, and its peer reads the queued data, then end of file.
 */
TEST_F(af_unix, options_and_shutdown_kept)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct timeval tv = { 1, 500000 }, tv1;
		int sv[2], snd = 65536, rcv = 32768, one = 1, v;
		socklen_t l = sizeof(v), lt = sizeof(tv1);
		int snd0, rcv0;
		char c;

		CKPT_SYS(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
		CKPT_SYS(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &snd,
				    sizeof(snd)));
		CKPT_SYS(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &rcv,
				    sizeof(rcv)));
		CKPT_SYS(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one,
				    sizeof(one)));
		CKPT_SYS(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv,
				    sizeof(tv)));
		CKPT_SYS(fcntl(sv[1], F_SETFL, O_NONBLOCK));
		CKPT_SYS(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &snd0, &l));
		CKPT_SYS(getsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &rcv0, &l));
		CKPT_SYS(write(sv[0], "abc", 3));
		CKPT_SYS(shutdown(sv[0], SHUT_WR));
		ckpt_self(&self->c);

		CKPT_SYS(getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &l));
		CKPT_CHECK(v == snd0, "SO_SNDBUF %d, was %d", v, snd0);
		CKPT_SYS(getsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &v, &l));
		CKPT_CHECK(v == rcv0, "SO_RCVBUF %d, was %d", v, rcv0);
		CKPT_SYS(getsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, &l));
		CKPT_CHECK(v == 1, "SO_PASSCRED %d", v);
		CKPT_SYS(getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &l));
		CKPT_CHECK(v == 0, "SO_PASSCRED on the other end %d", v);
		CKPT_SYS(getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv1, &lt));
		CKPT_CHECK(tv1.tv_sec == 1 && tv1.tv_usec / 1000 == 500,
			   "SO_RCVTIMEO %ld.%06ld", (long)tv1.tv_sec,
			   (long)tv1.tv_usec);
		CKPT_CHECK(fcntl(sv[1], F_GETFL) & O_NONBLOCK, "O_NONBLOCK");
		CKPT_CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 &&
			   errno == EPIPE, "the shut end sends");
		CKPT_CHECK(read(sv[1], &c, 1) == 1 && c == 'a', "queued data");
		CKPT_CHECK(read(sv[1], &c, 1) == 1 && c == 'b', "queued data");
		CKPT_CHECK(read(sv[1], &c, 1) == 1 && c == 'c', "queued data");
		CKPT_CHECK(read(sv[1], &c, 1) == 0, "no end of file");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * The classic: a socketpair split by fork(), parent and child each
 * holding one end, restored by the tools; they go on talking.
 */
TEST_F(af_unix, pair_between_parent_and_child)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		char buf[64];
		int sv[2], st;
		pid_t kid;

		CKPT_SYS(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
		kid = CKPT_SYS(fork());
		if (kid == 0) {
			close(sv[0]);
			CKPT_SYS(send(sv[1], "before", 6, 0));
			ckpt_wait_go();
			CKPT_CHECK(recv(sv[1], buf, sizeof(buf), 0) == 4 &&
				   !memcmp(buf, "ping", 4), "ping");
			CKPT_SYS(send(sv[1], "pong", 4, 0));
			_exit(0);
		}
		close(sv[1]);
		ckpt_wait_go();
		CKPT_CHECK(recv(sv[0], buf, sizeof(buf), 0) == 6 &&
			   !memcmp(buf, "before", 6), "queued before");
		CKPT_SYS(send(sv[0], "ping", 4, 0));
		CKPT_CHECK(recv(sv[0], buf, sizeof(buf), 0) == 4 &&
			   !memcmp(buf, "pong", 4), "pong");
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0,
			   "child status 0x%x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* A listener's name: "@ckpt-NAME-PID" (abstract) or a temporary path. */
static void listener_name(struct ckpt_ctx *c, bool abstract, const char *name,
			  char *path, size_t len)
{
	if (abstract)
		snprintf(path, len, "@ckpt-%s-%d", name, getpid());
	else
		snprintf(path, len, "%s", ckpt_tmp_path(c, name));
}

/* A stream or seqpacket listener bound to @path (a file or abstract). */
static int listener_at(const char *path, int type, struct sockaddr_un *a,
		       socklen_t *len)
{
	int fd = socket(AF_UNIX, type, 0);

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	if (path[0] == '@') {	/* abstract: no NUL at either end */
		a->sun_path[0] = '\0';
		*len -= 1;
	}
	if (fd < 0 || bind(fd, (void *)a, *len) || listen(fd, 4))
		return -1;
	return fd;
}

/* The name of @fd's socket (@peer: of its peer) is @a, @len bytes. */
static void named(int fd, bool peer, const struct sockaddr_un *a,
		  socklen_t len)
{
	struct sockaddr_un now;
	socklen_t n = sizeof(now);

	CKPT_SYS((peer ? getpeername : getsockname)(fd, (void *)&now, &n));
	CKPT_CHECK(n == len && !memcmp(&now, a, len),
		   "%s name of %d bytes, not the listener's %u",
		   peer ? "peer" : "own", n, len);
}

FIXTURE(unix_conn) {
	struct ckpt_ctx c;
};

FIXTURE_VARIANT(unix_conn) {
	int type;
	bool abstract;
	bool listener_last;	/* at an fd above the connection's */
};

FIXTURE_VARIANT_ADD(unix_conn, stream_path) {
	.type = SOCK_STREAM,
};

FIXTURE_VARIANT_ADD(unix_conn, seqpacket_abstract) {
	.type = SOCK_SEQPACKET,
	.abstract = true,
	.listener_last = true,
};

FIXTURE_SETUP(unix_conn)
{
	ckpt_ctx_init(_metadata, &self->c);
}

FIXTURE_TEARDOWN(unix_conn)
{
	ckpt_ctx_fini(&self->c);
}

/*
 * A client connected to a listener and the socket accept(2) gave for
 * it, data queued both ways: after restart each end reads what was
 * queued for it, the accepted end and the client's peer read the
 * listener's name, the connection carries data both ways and the
 * listener accepts a new client.
 */
TEST_F(unix_conn, accepted_connection_comes_back_named_and_connected)
{
	char path[108];
	pid_t pid;

	listener_name(&self->c, variant->abstract, "conn", path,
		      sizeof(path));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int type = variant->type, l, cl, s, cl2, s2;
		struct sockaddr_un a;
		char buf[64] = "";
		socklen_t len;

		l = listener_at(path, type, &a, &len);
		CKPT_CHECK(l >= 0, "listener: %s", strerror(errno));
		cl = CKPT_SYS(socket(AF_UNIX, type, 0));
		CKPT_SYS(connect(cl, (void *)&a, len));
		s = CKPT_SYS(accept(l, NULL, NULL));
		if (variant->listener_last) {
			/* the connection's record then names a later fd */
			CKPT_SYS(dup2(l, 60));
			close(l);
			l = 60;
		}
		CKPT_SYS(send(cl, "to server", 9, 0));
		CKPT_SYS(send(s, "to client", 9, 0));
		ckpt_self(&self->c);

		CKPT_CHECK(recv(s, buf, sizeof(buf), 0) == 9 &&
			   !memcmp(buf, "to server", 9), "server read %s", buf);
		CKPT_CHECK(recv(cl, buf, sizeof(buf), 0) == 9 &&
			   !memcmp(buf, "to client", 9), "client read %s", buf);
		named(s, false, &a, len);
		named(cl, true, &a, len);
		named(l, false, &a, len);
		CKPT_SYS(send(s, "again", 5, 0));
		CKPT_CHECK(recv(cl, buf, sizeof(buf), 0) == 5 &&
			   !memcmp(buf, "again", 5), "new data");
		cl2 = CKPT_SYS(socket(AF_UNIX, type, 0));
		CKPT_SYS(connect(cl2, (void *)&a, len));
		s2 = CKPT_SYS(accept(l, NULL, NULL));
		CKPT_SYS(send(cl2, "new", 3, 0));
		CKPT_CHECK(recv(s2, buf, sizeof(buf), 0) == 3,
			   "new client's data");
		close(cl);
		CKPT_CHECK(recv(s, buf, sizeof(buf), 0) == 0, "no end of file");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* An accepted connection whose listener the process closed. */
static int accepted_without_listener(struct ckpt_ctx *c)
{
	struct sockaddr_un a;
	socklen_t len;
	int l = listener_at(ckpt_tmp_path(c, "gone"), SOCK_STREAM, &a, &len);
	int cl = socket(AF_UNIX, SOCK_STREAM, 0);

	if (l < 0 || cl < 0 || connect(cl, (void *)&a, len) ||
	    accept(l, NULL, NULL) < 0)
		return errno;
	close(l);
	return 0;
}

TEST_F(af_unix, accepted_connection_without_its_listener_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, accepted_without_listener, -1,
			    EOPNOTSUPP, "no listener in the checkpoint", true);
}

/* A client bound to a name of its own before it connected. */
static int bound_client(struct ckpt_ctx *c)
{
	struct sockaddr_un a, b = { .sun_family = AF_UNIX };
	socklen_t len;
	int l = listener_at(ckpt_tmp_path(c, "srv"), SOCK_STREAM, &a, &len);
	int cl = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(b.sun_path, sizeof(b.sun_path), "%s",
		 ckpt_tmp_path(c, "cli"));
	if (l < 0 || cl < 0 || bind(cl, (void *)&b, sizeof(b)) ||
	    connect(cl, (void *)&a, len) || accept(l, NULL, NULL) < 0)
		return errno;
	return 0;
}

TEST_F(af_unix, client_bound_to_its_own_name_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, bound_client, -1, EOPNOTSUPP,
			    "no listener in the checkpoint", true);
}

static int nothing(struct ckpt_ctx *c)
{
	(void)c;
	return 0;
}

/* One end in the child, the other kept by the test process. */
TEST_F(af_unix, peer_outside_the_checkpoint_is_refused)
{
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	ckpt_expect_refused(_metadata, &self->c, nothing, sv[1], EOPNOTSUPP,
			    "outside the checkpoint", true);
	close(sv[0]);
	close(sv[1]);
}

/*
 * Two clients connected to a listener and not accepted yet, the first
 * having sent data, the second data and an end of file: after restart
 * accept(2) takes them in the same order, each reads what its client
 * sent and carries data back, and no third connection waits.
 */
TEST_F(unix_conn, connections_in_the_backlog_are_accepted_in_order)
{
	char path[108];
	pid_t pid;

	listener_name(&self->c, variant->abstract, "backlog", path,
		      sizeof(path));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int type = variant->type, l, cl1, cl2, s1, s2;
		struct sockaddr_un a;
		char buf[64] = "";
		socklen_t len;

		l = listener_at(path, type, &a, &len);
		CKPT_CHECK(l >= 0, "listener: %s", strerror(errno));
		if (variant->listener_last) {
			CKPT_SYS(dup2(l, 60));
			close(l);
			l = 60;
		}
		cl1 = CKPT_SYS(socket(AF_UNIX, type, 0));
		CKPT_SYS(connect(cl1, (void *)&a, len));
		cl2 = CKPT_SYS(socket(AF_UNIX, type, 0));
		CKPT_SYS(connect(cl2, (void *)&a, len));
		CKPT_SYS(send(cl1, "first", 5, 0));
		CKPT_SYS(send(cl2, "second", 6, 0));
		CKPT_SYS(shutdown(cl2, SHUT_WR));
		ckpt_self(&self->c);

		s1 = CKPT_SYS(accept(l, NULL, NULL));
		s2 = CKPT_SYS(accept(l, NULL, NULL));
		CKPT_CHECK(recv(s1, buf, sizeof(buf), 0) == 5 &&
			   !memcmp(buf, "first", 5), "first read %s", buf);
		CKPT_CHECK(recv(s2, buf, sizeof(buf), 0) == 6 &&
			   !memcmp(buf, "second", 6), "second read %s", buf);
		CKPT_CHECK(recv(s2, buf, sizeof(buf), 0) == 0,
			   "no end of file from the second client");
		named(s1, false, &a, len);
		named(cl1, true, &a, len);
		CKPT_SYS(send(s1, "reply", 5, 0));
		CKPT_CHECK(recv(cl1, buf, sizeof(buf), 0) == 5 &&
			   !memcmp(buf, "reply", 5), "reply");
		CKPT_SYS(send(s2, "to 2", 4, 0));
		CKPT_CHECK(recv(cl2, buf, sizeof(buf), 0) == 4, "reply to 2");
		CKPT_SYS(fcntl(l, F_SETFL, O_NONBLOCK));
		CKPT_CHECK(accept(l, NULL, NULL) == -1 && errno == EAGAIN,
			   "a third connection waits");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int outside_listener = -1;

/* Keeps the listener that a client outside the checkpoint waits in. */
static int keep_listener(struct ckpt_ctx *c)
{
	(void)c;
	return outside_listener >= 0 ? 0 : EINVAL;
}

/*
 * A listener in the checkpoint with a connection waiting from a client
 * the test process holds: restart could not make that client again.
 */
TEST_F(af_unix, connection_from_outside_waiting_is_refused)
{
	struct sockaddr_un a;
	socklen_t len;
	int cl;

	outside_listener = listener_at(ckpt_tmp_path(&self->c, "sock"),
				       SOCK_STREAM, &a, &len);
	ASSERT_LE(0, outside_listener);
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cl, (void *)&a, len));
	ckpt_expect_refused(_metadata, &self->c, keep_listener,
			    outside_listener, EOPNOTSUPP,
			    "from outside the checkpoint", true);
	close(cl);
	close(outside_listener);
}

/*
 * A datagram socket's shutdown(2) is its own, not its peer's: one pair
 * with an end shut for reading, one shut both ways, one whose end sent
 * a datagram and then shut for writing.  After restart each end sends
 * or fails as before, and the datagram is still there.
 */
TEST_F(af_unix, datagram_shutdown_is_each_ends_own)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int a[2], b[2], c[2];
		char buf[8];

		CKPT_SYS(socketpair(AF_UNIX, SOCK_DGRAM, 0, a));
		CKPT_SYS(socketpair(AF_UNIX, SOCK_DGRAM, 0, b));
		CKPT_SYS(socketpair(AF_UNIX, SOCK_DGRAM, 0, c));
		CKPT_SYS(shutdown(a[0], SHUT_RD));
		CKPT_SYS(shutdown(b[0], SHUT_RDWR));
		CKPT_CHECK(send(c[1], "m", 1, 0) == 1, "send m");
		CKPT_SYS(shutdown(c[1], SHUT_WR));
		ckpt_self(&self->c);

		CKPT_CHECK(send(a[1], "x", 1, MSG_NOSIGNAL) == -1 &&
			   errno == EPIPE, "a[1] sends to a shut reader");
		CKPT_CHECK(send(a[0], "y", 1, 0) == 1 &&
			   recv(a[1], buf, sizeof(buf), MSG_DONTWAIT) == 1 &&
			   buf[0] == 'y', "a[0] still sends");
		CKPT_CHECK(send(b[0], "x", 1, MSG_NOSIGNAL) == -1 &&
			   errno == EPIPE, "b[0] sends");
		CKPT_CHECK(send(b[1], "x", 1, MSG_NOSIGNAL) == -1 &&
			   errno == EPIPE, "b[1] sends to a shut reader");
		CKPT_CHECK(recv(c[0], buf, sizeof(buf), MSG_DONTWAIT) == 1 &&
			   buf[0] == 'm', "the datagram sent before shutdown");
		CKPT_CHECK(send(c[1], "x", 1, MSG_NOSIGNAL) == -1 &&
			   errno == EPIPE, "c[1] sends");
		CKPT_CHECK(send(c[0], "z", 1, 0) == 1 &&
			   recv(c[1], buf, sizeof(buf), MSG_DONTWAIT) == 1 &&
			   buf[0] == 'z', "c[1] still reads");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

FIXTURE(unix_closed) {
	struct ckpt_ctx c;
};

FIXTURE_VARIANT(unix_closed) {
	int type;
};

FIXTURE_VARIANT_ADD(unix_closed, stream) {
	.type = SOCK_STREAM,
};

FIXTURE_VARIANT_ADD(unix_closed, dgram) {
	.type = SOCK_DGRAM,
};

FIXTURE_VARIANT_ADD(unix_closed, seqpacket) {
	.type = SOCK_SEQPACKET,
};

FIXTURE_SETUP(unix_closed)
{
	ckpt_ctx_init(_metadata, &self->c);
}

FIXTURE_TEARDOWN(unix_closed)
{
	ckpt_ctx_fini(&self->c);
}

/*
 * A pair whose one end sent two messages and was closed: after restart
 * the other end reads both, then end of file (nothing more for a
 * datagram socket, whose sends are refused), and the closed end's fd
 * number is free.
 */
TEST_F(unix_closed, peer_closed_leaves_its_data)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		bool dgram = variant->type == SOCK_DGRAM;
		char buf[16];
		int sv[2];

		CKPT_SYS(socketpair(AF_UNIX, variant->type, 0, sv));
		CKPT_CHECK(send(sv[1], "bye", 3, 0) == 3 &&
			   send(sv[1], "now", 3, 0) == 3, "send");
		CKPT_SYS(close(sv[1]));
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(sv[1], F_GETFD) == -1 && errno == EBADF,
			   "the closed end's fd is open");
		if (variant->type == SOCK_STREAM) {
			CKPT_CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == 6 &&
				   !memcmp(buf, "byenow", 6), "data left");
		} else {
			CKPT_CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == 3 &&
				   !memcmp(buf, "bye", 3) &&
				   recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == 3 &&
				   !memcmp(buf, "now", 3), "messages left");
		}
		if (dgram) {
			CKPT_CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == -1 &&
				   errno == EAGAIN, "more than was queued");
			CKPT_CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 &&
				   errno == ECONNREFUSED, "sends to the closed end");
		} else {
			CKPT_CHECK(recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT) == 0,
				   "no end of file");
			CKPT_CHECK(send(sv[0], "x", 1, MSG_NOSIGNAL) == -1 &&
				   errno == EPIPE, "sends to the closed end");
		}
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A client shut for reading before it connected: its peer never was. */
static int shut_before_connect(struct ckpt_ctx *c)
{
	struct sockaddr_un a;
	socklen_t len;
	int l, cl;

	l = listener_at(ckpt_tmp_path(c, "shut"), SOCK_STREAM, &a, &len);
	cl = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || cl < 0 || shutdown(cl, SHUT_RD) ||
	    connect(cl, (void *)&a, len) || accept(l, NULL, NULL) < 0)
		return errno;
	return 0;
}

TEST_F(af_unix, shutdown_before_connect_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, shut_before_connect, -1,
			    EOPNOTSUPP, "not its peer's mirror", true);
}

TEST_HARNESS_MAIN
