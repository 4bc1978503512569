// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets with no connection to save: a TCP listener (IPv4 and IPv6)
 * comes back on its port with its options and accepts a new client; a
 * bound and connected UDP socket keeps its addresses; an AF_UNIX
 * listener bound to a path comes back there (the stale socket file
 * replaced, its mode kept) and accepts; an abstract datagram socket
 * receives again, with the datagrams queued for it from sockets without
 * a name; an AF_UNIX datagram socket connected to a named one
 * (inside the checkpoint, or outside as syslog's is) connects to it
 * again, or fails the restart if nothing is bound there any more; so do
 * bound datagram clients and servers and a socket connected to its own
 * name.  A
 * listener with a connection waiting, a UDP socket with a datagram
 * queued and a datagram from a named AF_UNIX socket are refused with a
 * reason, and /proc says so beforehand; options programs set (priority,
 * mark, linger, keepalive, TOS, TTL, ...) and a UDP socket's shutdown
 * come back, and so do UDP-Lite and ping sockets; a low port root bound
 * for a process that became a user is not bound again for it.  Established
 * TCP connections: tcp_test.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "ckpt_test.h"

CKPT_FIXTURE(sockets);

static int sockopt(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int v = -1;

	CKPT_SYS(getsockopt(fd, level, opt, &v, &len));
	return v;
}

/* A client of @addr sends "ping", the server accepts and answers "pong". */
static void serve_one(int lfd, const struct sockaddr *addr, socklen_t len)
{
	int c = CKPT_SYS(socket(addr->sa_family, SOCK_STREAM, 0)), s;
	char buf[8] = "";

	CKPT_SYS(connect(c, addr, len));
	CKPT_SYS(write(c, "ping", 4));
	s = CKPT_SYS(accept(lfd, NULL, NULL));
	CKPT_CHECK(read(s, buf, sizeof(buf)) == 4 && !memcmp(buf, "ping", 4),
		   "server read %s", buf);
	CKPT_SYS(write(s, "pong", 4));
	CKPT_CHECK(read(c, buf, sizeof(buf)) == 4 && !memcmp(buf, "pong", 4),
		   "client read %s", buf);
	close(s);
	close(c);
}

/* A listener's address after restart: the same as before. */
static void same_name(int fd, const void *before, socklen_t len)
{
	struct sockaddr_storage now;
	socklen_t n = sizeof(now);

	CKPT_SYS(getsockname(fd, (struct sockaddr *)&now, &n));
	CKPT_CHECK(n == len && !memcmp(&now, before, len),
		   "bound elsewhere after restart");
}

TEST_F(sockets, tcp_listener_keeps_its_port_and_accepts)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(a);
		int fd = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0)), one = 1;

		CKPT_SYS(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4));
		CKPT_SYS(setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, 4));
		CKPT_SYS(bind(fd, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(getsockname(fd, (struct sockaddr *)&a, &len));
		CKPT_SYS(listen(fd, 7));
		ckpt_self(&self->c);

		same_name(fd, &a, len);
		CKPT_CHECK(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1,
			   "not listening");
		CKPT_CHECK(sockopt(fd, SOL_SOCKET, SO_REUSEADDR) == 1 &&
			   sockopt(fd, SOL_SOCKET, SO_KEEPALIVE) == 1,
			   "options lost");
		serve_one(fd, (struct sockaddr *)&a, len);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_F(sockets, tcp6_listener_keeps_v6only_and_nodelay)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6,
					  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		socklen_t len = sizeof(a);
		int fd = CKPT_SYS(socket(AF_INET6, SOCK_STREAM, 0)), one = 1;

		CKPT_SYS(setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, 4));
		CKPT_SYS(bind(fd, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, 4));
		CKPT_SYS(getsockname(fd, (struct sockaddr *)&a, &len));
		CKPT_SYS(listen(fd, 3));
		ckpt_self(&self->c);

		same_name(fd, &a, len);
		CKPT_CHECK(sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY) == 1 &&
			   sockopt(fd, IPPROTO_TCP, TCP_NODELAY) == 1,
			   "options lost");
		serve_one(fd, (struct sockaddr *)&a, len);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A UDP socket bound and connected to a second, unconnected one: both
 * keep their addresses, and datagrams go both ways.
 */
TEST_F(sockets, udp_bound_and_connected_keep_their_addresses)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct sockaddr_in b = a, from;
		socklen_t alen = sizeof(a), blen = sizeof(b), flen;
		int x = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		int y = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		char buf[16] = "";
		struct timeval tv = { .tv_sec = 5 };

		CKPT_SYS(bind(x, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(getsockname(x, (struct sockaddr *)&a, &alen));
		CKPT_SYS(bind(y, (struct sockaddr *)&b, sizeof(b)));
		CKPT_SYS(getsockname(y, (struct sockaddr *)&b, &blen));
		CKPT_SYS(connect(x, (struct sockaddr *)&b, blen));
		CKPT_SYS(setsockopt(y, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
		/* two hours: more microseconds than 32 bits hold */
		tv.tv_sec = 7200;
		CKPT_SYS(setsockopt(x, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
		ckpt_self(&self->c);

		same_name(x, &a, alen);
		same_name(y, &b, blen);
		CKPT_SYS(send(x, "there", 5, 0));
		flen = sizeof(from);
		CKPT_CHECK(recvfrom(y, buf, sizeof(buf), 0,
				    (struct sockaddr *)&from, &flen) == 5 &&
			   !memcmp(buf, "there", 5) && from.sin_port == a.sin_port,
			   "datagram to the peer");
		CKPT_SYS(sendto(y, "back", 4, 0, (struct sockaddr *)&a, alen));
		CKPT_CHECK(recv(x, buf, sizeof(buf), 0) == 4 &&
			   !memcmp(buf, "back", 4), "datagram back");
		flen = sizeof(tv);
		CKPT_SYS(getsockopt(y, SOL_SOCKET, SO_RCVTIMEO, &tv, &flen));
		CKPT_CHECK(tv.tv_sec == 5 && !tv.tv_usec, "SO_RCVTIMEO lost");
		flen = sizeof(tv);
		CKPT_SYS(getsockopt(x, SOL_SOCKET, SO_SNDTIMEO, &tv, &flen));
		CKPT_CHECK(tv.tv_sec == 7200 && !tv.tv_usec,
			   "SO_SNDTIMEO %ld s", (long)tv.tv_sec);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * An AF_UNIX listener at a path: the socket file the checkpointed
 * process left there is stale, restart replaces it with a new one of
 * the same mode, and a client connects by the path.
 */
TEST_F(sockets, unix_listener_comes_back_at_its_path)
{
	const char *path = ckpt_tmp_path(&self->c, "listener");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		int fd = CKPT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
		struct stat st;
		ino_t ino;

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
		umask(027);
		CKPT_SYS(bind(fd, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(listen(fd, 4));
		CKPT_SYS(stat(path, &st));
		ino = st.st_ino;
		ckpt_self(&self->c);

		CKPT_SYS(stat(path, &st));
		CKPT_CHECK(S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0750,
			   "socket file mode 0%o", st.st_mode);
		CKPT_CHECK(st.st_ino != ino, "the stale socket file is still there");
		CKPT_CHECK(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN) == 1,
			   "not listening");
		serve_one(fd, (struct sockaddr *)&a, sizeof(a));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* An abstract datagram socket with SO_PASSCRED receives again. */
TEST_F(sockets, unix_abstract_datagram_socket_receives_again)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		socklen_t len;
		int fd = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0)), c, one = 1;
		char buf[8] = "";

		len = offsetof(struct sockaddr_un, sun_path) + 1 +
		      snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1,
			       "ckpt-test-%d", getpid());
		CKPT_SYS(bind(fd, (struct sockaddr *)&a, len));
		CKPT_SYS(setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, 4));
		ckpt_self(&self->c);

		same_name(fd, &a, len);
		CKPT_CHECK(sockopt(fd, SOL_SOCKET, SO_PASSCRED) == 1,
			   "SO_PASSCRED lost");
		c = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		CKPT_SYS(sendto(c, "dgram", 5, 0, (struct sockaddr *)&a, len));
		CKPT_CHECK(recv(fd, buf, sizeof(buf), MSG_DONTWAIT) == 5 &&
			   !memcmp(buf, "dgram", 5), "datagram lost");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A datagram client connected to a server bound to a path, both in the
 * process (the server at a higher fd, so the client's record names it
 * before the server's own fd comes): after restart the client sends to
 * it and reads its name as its peer's.
 */
TEST_F(sockets, unix_datagram_client_connects_to_its_server_again)
{
	const char *path = ckpt_tmp_path(&self->c, "dgram-server");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_un a = { .sun_family = AF_UNIX }, peer;
		socklen_t len = sizeof(peer);
		int srv = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int cl = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		char buf[16] = "";

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
		CKPT_SYS(bind(srv, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(connect(cl, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(dup2(srv, 60));
		close(srv);
		ckpt_self(&self->c);

		CKPT_SYS(send(cl, "hello", 5, 0));
		CKPT_CHECK(recv(60, buf, sizeof(buf), MSG_DONTWAIT) == 5 &&
			   !memcmp(buf, "hello", 5), "server read %s", buf);
		CKPT_SYS(getpeername(cl, (struct sockaddr *)&peer, &len));
		CKPT_CHECK(!strcmp(peer.sun_path, path), "peer %s", peer.sun_path);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A datagram server bound to a path, with datagrams of 3, 0, 4000 and 6
 * bytes from clients without a name queued: after restart it reads the
 * same datagrams in order, each whole and from no name, then nothing;
 * a new client's datagram comes after them.
 */
TEST_F(sockets, unix_datagram_server_keeps_its_queued_datagrams)
{
	const char *path = ckpt_tmp_path(&self->c, "dgram-queue");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char big[4000], buf[5000];
		const struct { const char *p; size_t len; } msgs[] = {
			{ "one", 3 }, { "", 0 }, { big, sizeof(big) },
			{ "three!", 6 },
		};
		struct sockaddr_un a = { .sun_family = AF_UNIX }, from;
		int srv = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0)), c;
		socklen_t fl;
		unsigned int i;

		ckpt_fill(big, sizeof(big), 0xd6);
		snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
		CKPT_SYS(bind(srv, (struct sockaddr *)&a, sizeof(a)));
		for (i = 0; i < ARRAY_SIZE(msgs); i++) {
			c = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
			CKPT_CHECK(sendto(c, msgs[i].p, msgs[i].len, 0,
					  (struct sockaddr *)&a, sizeof(a)) ==
				   (ssize_t)msgs[i].len, "sendto %u", i);
			close(c);
		}
		ckpt_self(&self->c);

		for (i = 0; i < ARRAY_SIZE(msgs); i++) {
			fl = sizeof(from);
			CKPT_CHECK(recvfrom(srv, buf, sizeof(buf), MSG_DONTWAIT,
					    (struct sockaddr *)&from, &fl) ==
				   (ssize_t)msgs[i].len &&
				   !memcmp(buf, msgs[i].p, msgs[i].len),
				   "datagram %u differs", i);
			CKPT_CHECK(fl == 0, "datagram %u from a name (%u bytes)",
				   i, fl);
		}
		CKPT_CHECK(recv(srv, buf, sizeof(buf), MSG_DONTWAIT) == -1 &&
			   errno == EAGAIN, "more than was queued");
		c = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		CKPT_SYS(sendto(c, "new", 3, 0, (struct sockaddr *)&a,
				sizeof(a)));
		CKPT_CHECK(recv(srv, buf, sizeof(buf), MSG_DONTWAIT) == 3,
			   "new datagram");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Datagram sockets as servers keep them: a bound client that sends to a
 * bound server by name, two clients connected to one server, and a
 * socket bound and connected to its own name, each read empty before
 * the checkpoint: after restart each sends again, and the datagrams
 * reach the same sockets (a bound sender's name with them).
 */
TEST_F(sockets, unix_datagram_bound_connected_and_self_connected)
{
	const char *bound = ckpt_tmp_path(&self->c, "dg-bound");
	const char *conn = ckpt_tmp_path(&self->c, "dg-conn");
	const char *self_path = ckpt_tmp_path(&self->c, "dg-self");
	const char *client = ckpt_tmp_path(&self->c, "dg-client");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_un b = { .sun_family = AF_UNIX }, from;
		struct sockaddr_un cn = { .sun_family = AF_UNIX };
		struct sockaddr_un me = { .sun_family = AF_UNIX };
		struct sockaddr_un cl = { .sun_family = AF_UNIX };
		int bcl = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int bsrv = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int c1 = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int c2 = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int csrv = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		int loop = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));
		socklen_t fl = sizeof(from);
		char buf[64];
		int round;

		snprintf(b.sun_path, sizeof(b.sun_path), "%s", bound);
		snprintf(cn.sun_path, sizeof(cn.sun_path), "%s", conn);
		snprintf(me.sun_path, sizeof(me.sun_path), "%s", self_path);
		snprintf(cl.sun_path, sizeof(cl.sun_path), "%s", client);
		CKPT_SYS(bind(bsrv, (struct sockaddr *)&b, sizeof(b)));
		CKPT_SYS(bind(bcl, (struct sockaddr *)&cl, sizeof(cl)));
		CKPT_SYS(bind(csrv, (struct sockaddr *)&cn, sizeof(cn)));
		CKPT_SYS(connect(c1, (struct sockaddr *)&cn, sizeof(cn)));
		CKPT_SYS(connect(c2, (struct sockaddr *)&cn, sizeof(cn)));
		CKPT_SYS(bind(loop, (struct sockaddr *)&me, sizeof(me)));
		CKPT_SYS(connect(loop, (struct sockaddr *)&me, sizeof(me)));
		for (round = 0; round < 2; round++) {
			if (round)
				ckpt_self(&self->c);
			CKPT_CHECK(sendto(bcl, "bound", 5, 0, (struct sockaddr *)&b,
					  sizeof(b)) == 5, "sendto bound");
			fl = sizeof(from);
			CKPT_CHECK(recvfrom(bsrv, buf, sizeof(buf), MSG_DONTWAIT,
					    (struct sockaddr *)&from, &fl) == 5 &&
				   !strcmp(from.sun_path, client),
				   "round %d: bound server", round);
			CKPT_CHECK(write(c1, "c1", 2) == 2 && write(c2, "c2", 2) == 2,
				   "round %d: connected clients", round);
			CKPT_CHECK(read(csrv, buf, sizeof(buf)) == 2 && buf[1] == '1' &&
				   read(csrv, buf, sizeof(buf)) == 2 && buf[1] == '2',
				   "round %d: connected server", round);
			CKPT_CHECK(write(loop, "loop", 4) == 4 &&
				   read(loop, buf, sizeof(buf)) == 4 &&
				   !memcmp(buf, "loop", 4),
				   "round %d: self-connected", round);
		}
		fl = sizeof(from);
		CKPT_SYS(getpeername(loop, (struct sockaddr *)&from, &fl));
		CKPT_CHECK(!strcmp(from.sun_path, self_path), "loop's peer %s",
			   from.sun_path);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A datagram from a socket bound to a name of its own, queued. */
static int named_sender(struct ckpt_ctx *c)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct sockaddr_un b = { .sun_family = AF_UNIX };
	int srv = socket(AF_UNIX, SOCK_DGRAM, 0);
	int cl = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", ckpt_tmp_path(c, "srv"));
	snprintf(b.sun_path, sizeof(b.sun_path), "%s", ckpt_tmp_path(c, "cl"));
	if (srv < 0 || cl < 0 || bind(srv, (struct sockaddr *)&a, sizeof(a)) ||
	    bind(cl, (struct sockaddr *)&b, sizeof(b)) ||
	    sendto(cl, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) != 1)
		return errno;
	return 0;
}

/* Restart would send it from no name: refused, and /proc says so. */
TEST_F(sockets, queued_datagram_from_a_named_socket_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, named_sender, -1, EOPNOTSUPP,
			    "from a named socket", true);
}

/* A datagram server of the test process, outside the checkpoint. */
static int outside_server(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	return fd;
}

/* A process that connected to @path, as syslog(3) connects to /dev/log. */
static void syslog_client(struct ckpt_ctx *c, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = CKPT_SYS(socket(AF_UNIX, SOCK_DGRAM, 0));

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	CKPT_SYS(connect(fd, (struct sockaddr *)&a, sizeof(a)));
	CKPT_SYS(send(fd, "before", 6, 0));
	ckpt_self(c);

	CKPT_SYS(send(fd, "after", 5, 0));
	ckpt_restored_ok();
}

/*
 * A server bound to @name by the test process, outside the checkpoint
 * (*@srv), and a child that connected to it (*@pid), checkpointed.
 */
static void outside_server_and_client(struct __test_metadata *_metadata,
				      struct ckpt_ctx *c, const char *name,
				      int *srv, pid_t *pid)
{
	const char *path = ckpt_tmp_path(c, name);

	*srv = outside_server(path);
	ASSERT_LE(0, *srv);
	*pid = ckpt_fork(_metadata, c);
	if (*pid == 0)
		syslog_client(c, path);
	ckpt_checkpointed(_metadata, c, *pid);
}

/*
 * The server is outside the checkpoint: the restored client connects to
 * its name again, and its messages reach it.
 */
TEST_F(sockets, unix_datagram_client_of_an_outside_server_reconnects)
{
	char buf[16] = "";
	pid_t pid;
	int srv;

	outside_server_and_client(_metadata, &self->c, "log", &srv, &pid);
	ckpt_expect_restored(_metadata, &self->c,
			     ckpt_restore_fd(_metadata, &self->c,
					     self->c.imgfd));
	EXPECT_EQ(6, recv(srv, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(5, recv(srv, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(0, memcmp(buf, "after", 5));
	close(srv);
}

/* Nothing is bound at the name at restart: ECONNREFUSED, said why. */
TEST_F(sockets, unix_datagram_client_whose_server_is_gone_fails_restart)
{
	char log[4096] = "";
	pid_t pid;
	int srv, st;

	outside_server_and_client(_metadata, &self->c, "gone", &srv, &pid);
	close(srv);
	ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(CKPT_ERRNO_STATUS(ECONNREFUSED), st) TH_LOG("status 0x%x", st);
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "connecting it to its peer")) TH_LOG("%s", log);
}

/*
 * Root bound port 80 for a process that then became uid 1000: restart
 * binds as the restored task, which may not (CAP_NET_BIND_SERVICE), and
 * fails with bind(2)'s EACCES before anything changed.
 */
TEST_F(sockets, low_port_of_a_user_is_refused_at_restart)
{
	char log[4096] = "";
	pid_t pid = ckpt_fork(_metadata, &self->c);
	int st;

	if (pid == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(80),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		int fd = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0));

		CKPT_SYS(bind(fd, (struct sockaddr *)&a, sizeof(a)));
		CKPT_SYS(listen(fd, 1));
		ckpt_become_user(&self->c, 1000);
		ckpt_self(&self->c);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EACCES), st) TH_LOG("status 0x%x", st);
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "binding it")) TH_LOG("%s", log);
}

static int tcp_listener(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = 0;
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) ||
	    getsockname(fd, (struct sockaddr *)a, &len) || listen(fd, 4))
		return -1;
	return fd;
}

/* A client connected and not accepted yet: it would be lost. */
static int waiting_connection(struct ckpt_ctx *c)
{
	struct sockaddr_in a;
	int c2;

	(void)c;
	if (tcp_listener(&a) < 0)
		return errno;
	c2 = socket(AF_INET, SOCK_STREAM, 0);
	if (c2 < 0 || connect(c2, (struct sockaddr *)&a, sizeof(a)))
		return errno;
	return 0;
}

TEST_F(sockets, listener_with_a_connection_waiting_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, waiting_connection, -1,
			    EOPNOTSUPP, "backlog", true);
}

/* A datagram sent to itself and not read. */
static int udp_queued(struct ckpt_ctx *c)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)c;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len) ||
	    sendto(fd, "q", 1, 0, (struct sockaddr *)&a, len) != 1)
		return errno;
	return 0;
}

TEST_F(sockets, udp_datagram_queued_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, udp_queued, -1, EOPNOTSUPP,
			    "datagrams are queued", true);
}

/* An option checkpoint does not save: IP_MINTTL on a UDP socket. */
static int udp_minttl(struct ckpt_ctx *c)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ttl = 7;

	(void)c;
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_MINTTL, &ttl, sizeof(ttl)))
		return errno;
	return 0;
}

TEST_F(sockets, unsaved_ip_option_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, udp_minttl, -1, EOPNOTSUPP,
			    "IP options", true);
}

/* An option a test sets, and what getsockopt() read of it then. */
struct opt {
	int fd, level, name, val, was;
};

#define OPT(f, l, n, v)	{ .fd = (f), .level = (l), .name = (n), .val = (v) }

static void opts_set(struct opt *o, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		CKPT_CHECK(!setsockopt(o[i].fd, o[i].level, o[i].name,
				       &o[i].val, sizeof(int)),
			   "setsockopt %d/%d: %s", o[i].level, o[i].name,
			   strerror(errno));
	/* read once all are set: IP_TOS sets the priority too */
	for (i = 0; i < n; i++)
		o[i].was = sockopt(o[i].fd, o[i].level, o[i].name);
}

static void opts_same(const struct opt *o, unsigned int n)
{
	unsigned int i;
	int now;

	for (i = 0; i < n; i++) {
		now = sockopt(o[i].fd, o[i].level, o[i].name);
		CKPT_CHECK(now == o[i].was, "option %d/%d: %d, was %d",
			   o[i].level, o[i].name, now, o[i].was);
	}
}

/*
 * Options zdtm's sock_opts00, socket-tcp-keepalive, socket-linger,
 * sock_tcp_opts00 and sock_ip_opts00 set, on a TCP, a UDP and an IPv6
 * UDP socket and an AF_UNIX one: after restart getsockopt() reads the
 * same, SO_LINGER's time too.
 */
TEST_F(sockets, options_come_back)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int t = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0));
		int u = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		int u6 = CKPT_SYS(socket(AF_INET6, SOCK_DGRAM, 0));
		int x = CKPT_SYS(socket(AF_UNIX, SOCK_STREAM, 0));
		struct opt o[] = {
			OPT(t, SOL_SOCKET, SO_PRIORITY, 3),
			OPT(t, SOL_SOCKET, SO_RCVLOWAT, 2),
			OPT(t, SOL_SOCKET, SO_MARK, 5),
			OPT(t, SOL_SOCKET, SO_DONTROUTE, 1),
			OPT(t, SOL_SOCKET, SO_OOBINLINE, 1),
			OPT(t, SOL_SOCKET, SO_NO_CHECK, 1),
			OPT(t, SOL_SOCKET, SO_KEEPALIVE, 1),
			OPT(t, SOL_TCP, TCP_KEEPIDLE, 10),
			OPT(t, SOL_TCP, TCP_KEEPINTVL, 15),
			OPT(t, SOL_TCP, TCP_KEEPCNT, 5),
			OPT(t, SOL_TCP, TCP_CORK, 1),
			OPT(t, SOL_TCP, TCP_USER_TIMEOUT, 4000),
			OPT(t, SOL_TCP, TCP_LINGER2, 20),
			OPT(t, SOL_IP, IP_TOS, 0x08),
			OPT(t, SOL_IP, IP_TTL, 32),
			OPT(u, SOL_IP, IP_FREEBIND, 1),
			OPT(u, SOL_IP, IP_PKTINFO, 1),
			OPT(u, SOL_IP, IP_RECVTOS, 1),
			OPT(u, SOL_IP, IP_RECVTTL, 1),
			OPT(u, SOL_SOCKET, SO_BROADCAST, 1),
			OPT(u6, SOL_IPV6, IPV6_RECVPKTINFO, 1),
			OPT(u6, SOL_IPV6, IPV6_TCLASS, 0x20),
			OPT(u6, SOL_IPV6, IPV6_UNICAST_HOPS, 9),
			OPT(u6, SOL_IPV6, IPV6_RECVTCLASS, 1),
			OPT(u6, SOL_IP, IP_FREEBIND, 1),
			OPT(x, SOL_SOCKET, SO_PASSCRED, 1),
			OPT(x, SOL_SOCKET, SO_PASSSEC, 1),
			OPT(x, SOL_SOCKET, SO_PRIORITY, 2),
		};
		struct linger l = { 1, 30 }, l2;
		socklen_t len = sizeof(l2);

		opts_set(o, ARRAY_SIZE(o));
		CKPT_SYS(setsockopt(t, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
		ckpt_self(&self->c);

		opts_same(o, ARRAY_SIZE(o));
		CKPT_SYS(getsockopt(t, SOL_SOCKET, SO_LINGER, &l2, &len));
		CKPT_CHECK(l2.l_onoff == 1 && l2.l_linger == 30,
			   "SO_LINGER %d %d", l2.l_onoff, l2.l_linger);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* What poll() says of @fd at once. */
static short polled(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };

	CKPT_SYS(poll(&p, 1, 0));
	return p.revents;
}

/*
 * zdtm's socket_udp_shutdown: two UDP sockets connected to each other,
 * one shut for writing, the other for reading, and an unconnected one
 * shut both ways.  After restart poll() tells each as before (the
 * reader shut reads end of file at once, the one shut both ways hangs
 * up), and datagrams still reach the first.
 */
/*
 * Bind @x and @y to loopback ports of their own, named in @a and @b,
 * and connect each to the other.
 */
static void connect_pair(int x, int y, struct sockaddr_in *a,
			 struct sockaddr_in *b)
{
	socklen_t alen = sizeof(*a), blen = sizeof(*b);

	*a = (struct sockaddr_in){ .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	*b = *a;
	CKPT_SYS(bind(x, (struct sockaddr *)a, alen));
	CKPT_SYS(getsockname(x, (struct sockaddr *)a, &alen));
	CKPT_SYS(bind(y, (struct sockaddr *)b, blen));
	CKPT_SYS(getsockname(y, (struct sockaddr *)b, &blen));
	CKPT_SYS(connect(x, (struct sockaddr *)b, blen));
	CKPT_SYS(connect(y, (struct sockaddr *)a, alen));
}

TEST_F(sockets, udp_shutdown_kept)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct sockaddr_in a, b;
		int x = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		int y = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		int z = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));
		struct timeval tv = { .tv_sec = 5 };
		short px, py, pz;
		char buf[8];

		connect_pair(x, y, &a, &b);
		CKPT_SYS(shutdown(x, SHUT_WR));
		CKPT_SYS(shutdown(y, SHUT_RD));
		CKPT_CHECK(shutdown(z, SHUT_RDWR) == -1 && errno == ENOTCONN,
			   "shutdown of an unconnected UDP socket");
		CKPT_SYS(setsockopt(y, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
		px = polled(x);
		py = polled(y);
		pz = polled(z);
		CKPT_CHECK(!(px & (POLLRDHUP | POLLHUP)) && py & POLLRDHUP &&
			   !(py & POLLHUP) && pz & POLLHUP,
			   "before: %#x %#x %#x", px, py, pz);
		ckpt_self(&self->c);

		CKPT_CHECK(polled(x) == px && polled(y) == py &&
			   polled(z) == pz, "poll: %#x %#x %#x, was %#x %#x %#x",
			   polled(x), polled(y), polled(z), px, py, pz);
		/* a blocking read: the timeout is there if the shutdown is not */
		CKPT_CHECK(recv(y, buf, sizeof(buf), 0) == 0,
			   "the reader shut reads end of file");
		CKPT_CHECK(send(y, "up", 2, 0) == 2 &&
			   recv(x, buf, sizeof(buf), MSG_DONTWAIT) == 2,
			   "y to x");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A UDP-Lite pair and a ping socket, both bound to loopback (the pair
 * connected, the ping socket to the loopback device too), and a UDP-Lite
 * socket connected to port 0: their names, peers and device come back,
 * the pair carries a datagram each way and the ping socket gets its echo
 * reply.  Root may make ping sockets once
 * net.ipv4.ping_group_range holds group 0.
 */
TEST_F(sockets, udplite_and_ping_sockets_come_back)
{
	char range[64] = "";
	pid_t pid;

	ASSERT_LT(0, ckpt_read_file("/proc/sys/net/ipv4/ping_group_range",
				    range, sizeof(range)));
	ASSERT_EQ(0, ckpt_write_file("/proc/sys/net/ipv4/ping_group_range",
				     "0 0", 3, 0));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct sockaddr_in p = { .sin_family = AF_INET,
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct sockaddr_in a, b, pa, now;
		socklen_t plen = sizeof(pa);
		socklen_t n = sizeof(now);
		int x = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
		int y = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
		int ping = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP));
		int z = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
		struct sockaddr_in any = { .sin_family = AF_INET }, zname;
		socklen_t zlen = sizeof(zname);
		unsigned char echo[16] = { 8 /* ICMP_ECHO */ }, reply[64];
		char buf[8] = "", dev[16] = "";
		socklen_t dlen = sizeof(dev);
		bool bound_dev;

		connect_pair(x, y, &a, &b);
		/* a kernel without CONFIG_NETDEVICES has no SO_BINDTODEVICE */
		bound_dev = !setsockopt(ping, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
		CKPT_CHECK(bound_dev || errno == ENOPROTOOPT,
			   "SO_BINDTODEVICE: %s", strerror(errno));
		CKPT_SYS(bind(ping, (struct sockaddr *)&p, sizeof(p)));
		CKPT_SYS(getsockname(ping, (struct sockaddr *)&pa, &plen));
		/* connected to port 0 (of loopback): getpeername() says no */
		CKPT_SYS(connect(z, (struct sockaddr *)&any, sizeof(any)));
		CKPT_SYS(getsockname(z, (struct sockaddr *)&zname, &zlen));
		ckpt_self(&self->c);

		CKPT_CHECK(sockopt(x, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_UDPLITE,
			   "protocol %d", sockopt(x, SOL_SOCKET, SO_PROTOCOL));
		CKPT_SYS(getsockname(x, (struct sockaddr *)&now, &n));
		CKPT_CHECK(!memcmp(&now, &a, sizeof(a)), "UDP-Lite name");
		CKPT_SYS(send(x, "lite", 4, 0));
		CKPT_CHECK(recv(y, buf, sizeof(buf), 0) == 4 &&
			   !memcmp(buf, "lite", 4), "y read %s", buf);
		CKPT_SYS(send(y, "back", 4, 0));
		CKPT_CHECK(recv(x, buf, sizeof(buf), 0) == 4 &&
			   !memcmp(buf, "back", 4), "x read %s", buf);
		CKPT_CHECK(sockopt(ping, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_ICMP,
			   "ping protocol");
		if (bound_dev) {
			CKPT_SYS(getsockopt(ping, SOL_SOCKET, SO_BINDTODEVICE,
					    dev, &dlen));
			CKPT_CHECK(!strcmp(dev, "lo"), "bound to device \"%s\"",
				   dev);
		}
		n = sizeof(now);
		CKPT_SYS(getsockname(ping, (struct sockaddr *)&now, &n));
		CKPT_CHECK(!memcmp(&now, &pa, sizeof(pa)), "ping socket's name");
		n = sizeof(now);
		CKPT_SYS(getsockname(z, (struct sockaddr *)&now, &n));
		CKPT_CHECK(!memcmp(&now, &zname, sizeof(zname)),
			   "the socket connected to port 0 moved");
		CKPT_CHECK(getpeername(z, (struct sockaddr *)&now, &n) < 0 &&
			   errno == ENOTCONN, "its peer shows");
		CKPT_SYS(sendto(ping, echo, sizeof(echo), 0,
				(struct sockaddr *)&p, sizeof(p)));
		CKPT_CHECK(recv(ping, reply, sizeof(reply), 0) == sizeof(echo) &&
			   reply[0] == 0 /* ICMP_ECHOREPLY */, "no echo reply");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	ckpt_write_file("/proc/sys/net/ipv4/ping_group_range", range,
			strlen(range), 0);
}

TEST_HARNESS_MAIN
