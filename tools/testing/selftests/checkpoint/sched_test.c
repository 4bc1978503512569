// SPDX-License-Identifier: GPL-2.0
/*
 * CPU affinity and no_new_privs: a process pinned to one CPU with
 * no_new_privs set comes back pinned to it, no_new_privs still set (the
 * restarter had neither); an image naming a CPU this machine does not
 * have is refused (EINVAL) before anything changed.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include <sys/sysinfo.h>
#include "ckpt_test.h"

CKPT_FIXTURE(sched);

/* Pinned to the last CPU, no_new_privs: both as before after restart. */
static void pinned_process(struct ckpt_ctx *c)
{
	int last = get_nprocs_conf() - 1;
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(last, &s);
	CKPT_SYS(sched_setaffinity(0, sizeof(s), &s));
	CKPT_SYS(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	ckpt_self(c);

	CKPT_SYS(sched_getaffinity(0, sizeof(s), &s));
	CKPT_CHECK(CPU_COUNT(&s) == 1 && CPU_ISSET(last, &s),
		   "affinity: %d CPUs, CPU %d %s", CPU_COUNT(&s), last,
		   CPU_ISSET(last, &s) ? "in" : "out");
	CKPT_CHECK(sched_getcpu() == last, "running on CPU %d, not %d",
		   sched_getcpu(), last);
	CKPT_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1,
		   "no_new_privs lost");
	ckpt_restored_ok();
}

TEST_F(sched, affinity_and_no_new_privs_restored)
{
	pid_t pid;

	if (get_nprocs_conf() < 2)
		SKIP(return, "one CPU: every mask is all of them");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0)
		pinned_process(&self->c);
	ckpt_finish(_metadata, &self->c, pid);
}

/* The same image naming CPU 63 too, which the VM does not have. */
TEST_F(sched, missing_cpu_is_refused)
{
	struct ckpt_hdr_sched *h;
	char *img, log[4096];
	ssize_t off;
	size_t len;
	pid_t pid;
	int st, fd;

	if (get_nprocs_conf() < 2 || get_nprocs_conf() > 63)
		SKIP(return, "needs 2 to 63 CPUs");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0)
		pinned_process(&self->c);
	ckpt_checkpointed(_metadata, &self->c, pid);
	img = ckpt_load(self->c.img, &len);
	ASSERT_NE(NULL, img);
	off = ckpt_record_offset(img, len, 0, CKPT_HDR_SCHED);
	ASSERT_LT(0, off);
	h = (struct ckpt_hdr_sched *)(img + off);
	ASSERT_EQ(0U, h->flags & CKPT_SCHED_ALL_CPUS);
	h->cpus[0] |= 1ULL << 63;
	ckpt_reseal(img, len);
	fd = open(ckpt_tmp_path(&self->c, "bad.img"), O_RDWR | O_CREAT | O_TRUNC,
		  0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, ckpt_write_fd(fd, img, len));
	ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
	st = ckpt_restore_fd(_metadata, &self->c, fd);
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == ckpt_errno_exit(EINVAL))
		TH_LOG("status 0x%x", st);
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "CPU 63")) TH_LOG("%s", log);
	close(fd);
	free(img);
	/* the image itself restores */
	ckpt_expect_restored(_metadata, &self->c,
			     ckpt_restore_fd(_metadata, &self->c, self->c.imgfd));
}

TEST_HARNESS_MAIN
