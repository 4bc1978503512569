// SPDX-License-Identifier: GPL-2.0
/*
 * epoll files: the interest list (files, fd numbers, events, data),
 * readiness found anew, nested epoll, and the refusal of an entry whose
 * file no fd of the checkpoint holds.
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "ckpt_test.h"

CKPT_FIXTURE(epoll);

TEST_F(epoll, interest_list_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1111 };
		struct epoll_event out[4];
		uint64_t one = 1;
		int ep, p[2], e;

		ep = CKPT_SYS(epoll_create1(EPOLL_CLOEXEC));
		CKPT_SYS(pipe(p));
		e = CKPT_SYS(eventfd(0, 0));
		CKPT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
		ev.events = EPOLLIN | EPOLLET;
		ev.data.u64 = 0x2222;
		CKPT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev));
		CKPT_CHECK(write(p[1], "x", 1) == 1, "write");
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(ep, F_GETFD) & FD_CLOEXEC, "FD_CLOEXEC lost");
		CKPT_CHECK(epoll_wait(ep, out, 4, 0) == 1 &&
			   out[0].data.u64 == 0x1111 && out[0].events == EPOLLIN,
			   "the pipe is not reported ready");
		CKPT_CHECK(write(e, &one, 8) == 8, "eventfd write");
		CKPT_CHECK(epoll_wait(ep, out, 4, 0) == 2, "not 2 ready");
		/* edge-triggered: reported once */
		CKPT_CHECK(epoll_wait(ep, out, 4, 0) == 1 &&
			   out[0].data.u64 == 0x1111, "EPOLLET lost");
		/* entries are known by their fd numbers */
		CKPT_CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 &&
			   errno == EEXIST, "pipe entry missing");
		CKPT_SYS(epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL));
		CKPT_CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == -1 &&
			   errno == ENOENT, "an entry too many");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* An epoll watching an epoll: readiness goes through both. */
TEST_F(epoll, nested)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 };
		int outer, inner, p[2];

		outer = CKPT_SYS(epoll_create1(0));
		inner = CKPT_SYS(epoll_create1(0));
		CKPT_SYS(pipe(p));
		CKPT_SYS(epoll_ctl(inner, EPOLL_CTL_ADD, p[0], &ev));
		ev.data.u64 = 9;
		CKPT_SYS(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev));
		ckpt_self(&self->c);

		CKPT_CHECK(epoll_wait(outer, &ev, 1, 0) == 0, "ready too early");
		CKPT_CHECK(write(p[1], "x", 1) == 1, "write");
		CKPT_CHECK(epoll_wait(outer, &ev, 1, 0) == 1 &&
			   ev.data.u64 == 9, "outer not ready");
		CKPT_CHECK(epoll_wait(inner, &ev, 1, 0) == 1 &&
			   ev.data.u64 == 7, "inner not ready");
		/* a loop is still refused */
		CKPT_CHECK(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev) == -1 &&
			   errno == ELOOP, "loop allowed");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * An entry whose file only another process holds could not be restored:
 * checkpoint fails, naming it, and /proc says so beforehand.
 */
TEST_F(epoll, watched_file_outside_refused)
{
	char log[4096];
	int p[2], st;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = ckpt_fork_keep(_metadata, &self->c, p, 2);
	if (pid == 0) {
		struct epoll_event ev = { .events = EPOLLIN };
		char path[64], buf[2048];
		int ep;

		ep = CKPT_SYS(epoll_create1(0));
		CKPT_SYS(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
		close(p[0]);
		close(p[1]);
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
		CKPT_CHECK(ckpt_read_file(path, buf, sizeof(buf)) > 0 &&
			   strstr(buf, "checkpointable:\t0 (") &&
			   strstr(buf, "epoll watches a file no fd holds"),
			   "fdinfo: %s", buf);
		ckpt_self(&self->c);
		_exit(CKPT_EXIT_FAIL);
	}
	st = ckpt_wait_exit(pid);
	close(p[0]);
	close(p[1]);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EOPNOTSUPP), st) ckpt_show(_metadata, &self->c);
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "epoll watches a file no fd holds"))
		TH_LOG("log: %s", log);
}

TEST_HARNESS_MAIN
