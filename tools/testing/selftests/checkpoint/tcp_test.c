// SPDX-License-Identifier: GPL-2.0
/*
 * Established TCP connections: both ends of a connection in the process
 * (IPv4 and IPv6) come back with the bytes each had queued, unread and
 * unsent, and their segment size, and carry on both ways; a connection to a peer outside the
 * checkpoint carries on too, the peer receiving every byte once and in
 * order.  The checkpoint is taken with CHECKPOINT_TCP_QUIET, so that
 * the checkpointed process exits without a FIN or a reset.  Connections
 * that began to close keep their FINs: the end whose peer shut down
 * reads the rest and then the end of the stream, and answers; the end
 * that shut down cannot write and its peer reads all it wrote, then the
 * end.  A connection shut down for reading by its own process (no FIN
 * says so) is refused with a reason, and so is a connection of a user without
 * CAP_NET_ADMIN, which TCP repair mode needs (EPERM).  A TCP record out
 * of range fails the restart with EBADMSG and leaves the image good.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "ckpt_test.h"

CKPT_FIXTURE(tcp);

#define TCP_SEED	0x7cb0

/* A listener on a free loopback port of @family; its address in @a. */
static int listener(int family, struct sockaddr_storage *a, socklen_t *len)
{
	int fd = socket(family, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	a->ss_family = family;
	if (family == AF_INET)
		((struct sockaddr_in *)a)->sin_addr.s_addr =
			htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)a)->sin6_addr = in6addr_loopback;
	*len = family == AF_INET ? sizeof(struct sockaddr_in) :
	      sizeof(struct sockaddr_in6);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, *len) ||
	    getsockname(fd, (struct sockaddr *)a, len) || listen(fd, 4))
		return -1;
	return fd;
}

/*
 * Write the pattern from offset *@off up to @end, or until the socket's
 * queues are full if @full.
 */
static void write_pattern(int fd, size_t *off, size_t end, bool full)
{
	static char buf[65536];
	size_t at, room;
	ssize_t n;

	ckpt_fill(buf, sizeof(buf), TCP_SEED);
	if (full)
		CKPT_SYS(fcntl(fd, F_SETFL, O_NONBLOCK));
	while (*off < end) {
		at = *off % sizeof(buf);
		room = sizeof(buf) - at;
		n = write(fd, buf + at, room < end - *off ? room : end - *off);
		if (n < 0 && errno == EAGAIN && full)
			break;
		CKPT_CHECK(n > 0, "write: %s", strerror(errno));
		*off += n;
	}
	if (full)
		CKPT_SYS(fcntl(fd, F_SETFL, 0));
}

/* Read @len bytes of the pattern, which must be exactly those written. */
static void read_pattern(int fd, size_t len)
{
	static char want[65536], got[65536];
	size_t off = 0;
	ssize_t n;

	ckpt_fill(want, sizeof(want), TCP_SEED);
	while (off < len) {
		size_t at = off % sizeof(want), room = sizeof(want) - at;

		n = read(fd, got, room < len - off ? room : len - off);
		CKPT_CHECK(n > 0, "read at %zu of %zu: %s", off, len,
			   n ? strerror(errno) : "end of stream");
		CKPT_CHECK(!memcmp(got, want + at, n),
			   "bytes %zu to %zu differ", off, off + n);
		off += n;
	}
}

static int tcp_mss(int fd)
{
	socklen_t len = sizeof(int);
	int v = -1;

	CKPT_SYS(getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &v, &len));
	return v;
}

static void read_text(int fd, const char *text)
{
	char buf[64] = "";
	size_t len = strlen(text), off = 0;
	ssize_t n;

	while (off < len) {
		n = read(fd, buf + off, len - off);
		CKPT_CHECK(n > 0, "reading \"%s\": %s", text,
			   n ? strerror(errno) : "end of stream");
		off += n;
	}
	CKPT_CHECK(!memcmp(buf, text, len), "read \"%s\", not \"%s\"", buf,
		   text);
}

/*
 * The client's bytes wait unread in the server's socket; the server's
 * fill the client's receive queue and its own send queue, partly
 * unsent.  After restart both are read whole, then both ends talk.
 */
static void both_ends(struct __test_metadata *_metadata, struct ckpt_ctx *c,
		      int family)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		struct sockaddr_storage a;
		socklen_t len;
		int l = CKPT_SYS(listener(family, &a, &len)), cl, sv, mss;
		size_t sent = 0;

		cl = CKPT_SYS(socket(family, SOCK_STREAM, 0));
		CKPT_SYS(connect(cl, (struct sockaddr *)&a, len));
		sv = CKPT_SYS(accept(l, NULL, NULL));
		CKPT_SYS(write(cl, "from the client", 15));
		write_pattern(sv, &sent, SIZE_MAX, true);
		mss = tcp_mss(sv);
		ckpt_self_flags(c, CHECKPOINT_TCP_QUIET);

		CKPT_CHECK(tcp_mss(sv) == mss, "segment size %d, not %d",
			   tcp_mss(sv), mss);
		read_text(sv, "from the client");
		read_pattern(cl, sent);
		CKPT_SYS(write(cl, "again", 5));
		read_text(sv, "again");
		CKPT_SYS(write(sv, "and back", 8));
		read_text(cl, "and back");
		CKPT_SYS(close(l));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, c, pid);
}

TEST_F(tcp, both_ends_keep_their_queued_bytes_ipv4)
{
	both_ends(_metadata, &self->c, AF_INET);
}

TEST_F(tcp, both_ends_keep_their_queued_bytes_ipv6)
{
	both_ends(_metadata, &self->c, AF_INET6);
}

/*
 * The peer, outside the checkpoint: it sends a greeting the process
 * does not read before the checkpoint, and reads the process's stream,
 * begun before the checkpoint and ended after it, only when the
 * restored process signals it, then answers.
 */
static void peer(int l)
{
	sigset_t usr1;
	int s, sig;
	size_t len;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	s = accept(l, NULL, NULL);
	if (s < 0 || write(s, "hello from outside", 18) != 18)
		_exit(1);
	/* the length of the stream to come, then the stream */
	if (sigwait(&usr1, &sig))
		_exit(1);
	read_text(s, "len:");
	if (read(s, &len, sizeof(len)) != sizeof(len))
		_exit(1);
	read_pattern(s, len);
	if (write(s, "bye", 3) != 3)
		_exit(1);
	_exit(0);
}

TEST_F(tcp, connection_to_a_peer_outside_carries_on)
{
	struct sockaddr_storage a;
	socklen_t len;
	sigset_t usr1, old;
	pid_t p, pid;
	int l, st;

	l = listener(AF_INET, &a, &len);
	ASSERT_LE(0, l);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &usr1, &old));
	p = fork();
	ASSERT_LE(0, p);
	if (p == 0)
		peer(l);
	ASSERT_EQ(0, sigprocmask(SIG_SETMASK, &old, NULL));
	close(l);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int s = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0));
		size_t total = 1 << 20, sent = 0;
		char hello[32];
		int queued;

		CKPT_SYS(connect(s, (struct sockaddr *)&a, len));
		/* the greeting is in, unread */
		while (recv(s, hello, sizeof(hello), MSG_PEEK) < 18)
			usleep(1000);
		CKPT_SYS(write(s, "len:", 4));
		CKPT_SYS(write(s, &total, sizeof(total)));
		/*
		 * Part of the stream, all acknowledged, and a quiet moment:
		 * a full window would have the two ends probing it while
		 * the process is gone, and the kernel answers that with a
		 * reset (the peer must be quiet until the restart).
		 */
		write_pattern(s, &sent, 65536, false);
		do {
			usleep(10000);
			CKPT_SYS(ioctl(s, SIOCOUTQ, &queued));
		} while (queued);
		usleep(100000);
		ckpt_self_flags(&self->c, CHECKPOINT_TCP_QUIET);

		read_text(s, "hello from outside");
		CKPT_SYS(kill(p, SIGUSR1));
		write_pattern(s, &sent, total, false);
		read_text(s, "bye");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	ASSERT_EQ(p, waitpid(p, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("peer status 0x%x", st);
}

/* A connection with a few bytes each way, checked after restart. */
static void small_connection(struct __test_metadata *_metadata,
			     struct ckpt_ctx *c)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		struct sockaddr_storage a;
		socklen_t len;
		int l = CKPT_SYS(listener(AF_INET, &a, &len)), cl, sv;

		cl = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0));
		CKPT_SYS(connect(cl, (struct sockaddr *)&a, len));
		sv = CKPT_SYS(accept(l, NULL, NULL));
		CKPT_SYS(write(cl, "up", 2));
		CKPT_SYS(write(sv, "down", 4));
		usleep(100000);
		ckpt_self_flags(c, CHECKPOINT_TCP_QUIET);
		read_text(sv, "up");
		read_text(cl, "down");
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, c, pid);
}

/*
 * A TCP record out of range (segment size 0, window scale 15, more
 * bytes unsent than queued, an unknown option, another socket's objref)
 * fails the restart with EBADMSG, and the intact image still restores
 * afterwards: the failed restarts closed their connections quietly.
 */
TEST_F(tcp, malformed_tcp_record_is_refused_and_the_image_still_restores)
{
	const char *path = ckpt_tmp_path(&self->c, "mutant");
	struct ckpt_hdr_tcp *t;
	size_t len, i;
	ssize_t off;
	char *img, *copy;
	int st;

	small_connection(_metadata, &self->c);
	img = ckpt_load(self->c.img, &len);
	ASSERT_NE(NULL, img);
	off = ckpt_record_offset(img, len, -1, CKPT_HDR_TCP);
	ASSERT_LT(0, off);
	copy = malloc(len);
	ASSERT_NE(NULL, copy);
	for (i = 0; i < 5; i++) {
		memcpy(copy, img, len);
		t = (struct ckpt_hdr_tcp *)(copy + off);
		switch (i) {
		case 0:
			t->mss = 0;
			break;
		case 1:
			t->flags |= CKPT_TCP_WSCALE;
			t->snd_wscale = 15;
			break;
		case 2:
			t->unsent = t->snd_len + 1;
			break;
		case 3:
			t->flags |= 0x80;
			break;
		default:
			t->objref += 1000;
			break;
		}
		ASSERT_EQ(0, ckpt_reseal(copy, len));
		ASSERT_EQ(0, ckpt_write_file(path, copy, len, 0600));
		st = ckpt_restore_path(_metadata, &self->c, path);
		EXPECT_EQ(CKPT_ERRNO_STATUS(EBADMSG), st)
			TH_LOG("mutation %zu: status 0x%x", i, st);
	}
	free(copy);
	free(img);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

/* The TCP state of @fd's connection (TCP_INFO). */
static int tcp_state(int fd)
{
	struct tcp_info ti = {};
	socklen_t len = sizeof(ti);

	CKPT_SYS(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len));
	return ti.tcpi_state;
}

/* Wait up to 5 s for @fd's connection to reach @state. */
static void wait_state(int fd, int state)
{
	int i;

	for (i = 0; i < 500 && tcp_state(fd) != state; i++)
		usleep(10000);
	CKPT_CHECK(tcp_state(fd) == state, "TCP state %d, not %d",
		   tcp_state(fd), state);
}

/*
 * Two connections that began to close, both ends in the process.  The
 * first's client sent a request and shut down; its server (CLOSE_WAIT)
 * answered in part.  The second's client filled its queues and shut
 * down, its FIN behind bytes not sent yet (FIN_WAIT1).  After restart
 * the server is still in CLOSE_WAIT, reads the request and the end of
 * the stream, answers the rest and shuts down; the client reads the
 * whole answer and the end.  The second's server reads every byte, then
 * the end, and its client cannot write any more.
 */
static void half_closed(struct __test_metadata *_metadata,
			struct ckpt_ctx *c, int family)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		struct sockaddr_storage a;
		socklen_t len;
		int l = CKPT_SYS(listener(family, &a, &len));
		int cl1, sv1, cl2, sv2;
		size_t sent = 0;
		char b;

		cl1 = CKPT_SYS(socket(family, SOCK_STREAM, 0));
		CKPT_SYS(connect(cl1, (struct sockaddr *)&a, len));
		sv1 = CKPT_SYS(accept(l, NULL, NULL));
		CKPT_SYS(write(cl1, "request", 7));
		CKPT_SYS(shutdown(cl1, SHUT_WR));
		CKPT_SYS(write(sv1, "partial", 7));
		wait_state(sv1, TCP_CLOSE_WAIT);
		wait_state(cl1, TCP_FIN_WAIT2);
		cl2 = CKPT_SYS(socket(family, SOCK_STREAM, 0));
		CKPT_SYS(connect(cl2, (struct sockaddr *)&a, len));
		sv2 = CKPT_SYS(accept(l, NULL, NULL));
		write_pattern(cl2, &sent, SIZE_MAX, true);
		CKPT_SYS(shutdown(cl2, SHUT_WR));
		CKPT_CHECK(tcp_state(cl2) == TCP_FIN_WAIT1, "state %d",
			   tcp_state(cl2));
		ckpt_self_flags(c, CHECKPOINT_TCP_QUIET);

		CKPT_CHECK(tcp_state(sv1) == TCP_CLOSE_WAIT,
			   "server state %d after restart", tcp_state(sv1));
		read_text(sv1, "request");
		CKPT_CHECK(read(sv1, &b, 1) == 0, "no end of stream");
		CKPT_SYS(write(sv1, " and the rest", 13));
		CKPT_SYS(shutdown(sv1, SHUT_WR));
		read_text(cl1, "partial and the rest");
		CKPT_CHECK(read(cl1, &b, 1) == 0, "no end of the answer");
		read_pattern(sv2, sent);
		CKPT_CHECK(read(sv2, &b, 1) == 0, "no end after %zu bytes",
			   sent);
		CKPT_CHECK(send(cl2, "x", 1, MSG_NOSIGNAL) < 0 &&
			   errno == EPIPE, "wrote after its shutdown: %s",
			   strerror(errno));
		CKPT_SYS(close(l));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, c, pid);
}

TEST_F(tcp, half_closed_connections_keep_their_fins_ipv4)
{
	half_closed(_metadata, &self->c, AF_INET);
}

TEST_F(tcp, half_closed_connections_keep_their_fins_ipv6)
{
	half_closed(_metadata, &self->c, AF_INET6);
}

/* Shut down for reading by the process itself: no FIN says so. */
static int shut_for_reading(struct ckpt_ctx *c)
{
	struct sockaddr_storage a;
	socklen_t len;
	int l, cl, sv;

	(void)c;
	l = listener(AF_INET, &a, &len);
	cl = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || cl < 0 || connect(cl, (struct sockaddr *)&a, len))
		return errno;
	sv = accept(l, NULL, NULL);
	if (sv < 0 || shutdown(sv, SHUT_RD))
		return errno;
	close(l);
	return 0;
}

TEST_F(tcp, connection_shut_down_for_reading_is_refused)
{
	ckpt_expect_refused(_metadata, &self->c, shut_for_reading, -1,
			    EOPNOTSUPP, "SHUT_RD", true);
}

/*
 * A user without CAP_NET_ADMIN checkpointing its own connection: /proc
 * says why not, and checkpoint(2) fails with EPERM and the reason.
 */
TEST_F(tcp, connection_of_a_user_without_cap_net_admin_is_refused)
{
	char log[4096] = "";
	pid_t pid;
	int st;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct sockaddr_storage a;
		char path[64], info[1024] = "";
		socklen_t len;
		int l = CKPT_SYS(listener(AF_INET, &a, &len)), cl;

		cl = CKPT_SYS(socket(AF_INET, SOCK_STREAM, 0));
		CKPT_SYS(connect(cl, (struct sockaddr *)&a, len));
		CKPT_SYS(accept(l, NULL, NULL));
		CKPT_SYS(setresgid(65534, 65534, 65534));
		CKPT_SYS(setresuid(65534, 65534, 65534));
		CKPT_SYS(prctl(PR_SET_DUMPABLE, 1));
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", cl);
		CKPT_CHECK(ckpt_read_file(path, info, sizeof(info)) > 0 &&
			   strstr(info, "checkpointable:\t0 (") &&
			   strstr(info, "CAP_NET_ADMIN"), "fdinfo: %s", info);
		CKPT_CHECK(sys_checkpoint(0, self->c.imgfd, 0,
					  self->c.logfd) == -1 &&
			   errno == EPERM, "checkpoint: %s", strerror(errno));
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("child status 0x%x", st);
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "CAP_NET_ADMIN")) TH_LOG("%s", log);
}

TEST_HARNESS_MAIN
