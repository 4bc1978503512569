// SPDX-License-Identifier: GPL-2.0
/*
 * Allocations that fail under checkpoint and restart (fault injection:
 * failslab and fail_page_alloc, for the calling task only).  A failed
 * checkpoint leaves its target as it was, a failed restart leaves the
 * image as good as before; the kernel reports nothing and (on the
 * make check-debug kernel) kmemleak finds no leak.  Skipped on a kernel
 * without fault injection.
 */
#define _GNU_SOURCE
#include <sys/mount.h>
#include "ckpt_test.h"

#define DBG "/sys/kernel/debug/"
#define DATA_WORDS (256 * 1024 / 8)

CKPT_FIXTURE(faults);

static int knob(const char *attr, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DBG "%s/%s", attr, file);
	return ckpt_write_file(path, val, strlen(val), 0);
}

/* Fail one allocation in @percent of the calling task's, or none. */
static bool inject_faults(unsigned int percent)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	char p[16];
	unsigned int i;

	snprintf(p, sizeof(p), "%u", percent);
	/* the knobs are in debugfs, which need not be mounted yet */
	if (access(DBG "failslab", F_OK))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		if (knob(attrs[i], "task-filter", "Y") ||
		    knob(attrs[i], "probability", p) ||
		    knob(attrs[i], "interval", "1") ||
		    knob(attrs[i], "times", "-1") ||
		    knob(attrs[i], "verbose", "0") ||
		    knob(attrs[i], "ignore-gfp-wait", "N"))
			return false;
	return true;
}

static void make_me_fail(void)
{
	ckpt_write_file("/proc/self/make-it-fail", "1", 1, 0);
}

static uint64_t data[DATA_WORDS];

/* A target whose memory holds a pattern it checks once @go exists. */
static pid_t pattern_target(struct __test_metadata *_metadata,
			    struct ckpt_ctx *c, const char *go)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		ckpt_fill(data, sizeof(data), 77);
		while (access(go, F_OK))
			usleep(2000);
		_exit(ckpt_verify(data, sizeof(data), 77) < 0 ?
		      CKPT_EXIT_RESTORED : 3);
	}
	usleep(50000);
	ckpt_stop(_metadata, pid);
	return pid;
}

TEST_F_TIMEOUT(faults, failed_checkpoints_leave_the_target_as_it_was, 300)
{
	const char *go = ckpt_tmp_path(&self->c, "go");
	unsigned int round, ok = 0, failed = 0;
	pid_t pid;
	int st;

	if (!inject_faults(0))
		SKIP(return, "no fault injection (failslab) in this kernel");
	pid = pattern_target(_metadata, &self->c, go);
	for (round = 0; round < 200; round++) {
		pid_t ck;

		ASSERT_TRUE(inject_faults(1 + round % 20));
		ck = fork();
		ASSERT_GE(ck, 0);
		if (ck == 0) {
			long r;

			make_me_fail();
			r = sys_checkpoint(pid, self->c.imgfd, 0, -1);
			_exit(r > 0 ? 0 : 1);
		}
		st = ckpt_wait_exit(ck);
		if (st == 0)
			ok++;
		else
			failed++;
		/* refused or not, the target is as it was */
		ASSERT_EQ('T', ckpt_proc_state(pid));
	}
	inject_faults(0);
	TH_LOG("%u checkpoints under faults succeeded, %u failed", ok, failed);
	EXPECT_GT(failed, 0U);
	/* and it runs on with its memory intact */
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	st = ckpt_wait_exit(pid);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, st);
}

TEST_F_TIMEOUT(faults, failed_restarts_leave_the_image_reusable, 300)
{
	const char *go = ckpt_tmp_path(&self->c, "go");
	unsigned int round, outcomes[4] = { 0 };
	pid_t pid;
	int st;

	if (!inject_faults(0))
		SKIP(return, "no fault injection (failslab) in this kernel");
	pid = pattern_target(_metadata, &self->c, go);
	ckpt_other(_metadata, &self->c, pid);
	ckpt_kill(_metadata, pid);
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));
	for (round = 0; round < 200; round++) {
		pid_t r;

		ASSERT_TRUE(inject_faults(1 + round % 20));
		ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
		r = fork();
		ASSERT_GE(r, 0);
		if (r == 0) {
			make_me_fail();
			sys_restart(0, self->c.imgfd, RESTART_TASKSELF, -1);
			_exit(ckpt_errno_exit(errno));
		}
		st = ckpt_wait_exit(r);
		/* refused, killed past the point of no return, or restored */
		outcomes[WIFSIGNALED(st) ? 1 :
			 WEXITSTATUS(st) == CKPT_EXIT_RESTORED ? 2 :
			 WEXITSTATUS(st) >= CKPT_EXIT_ERRNO ? 0 : 3]++;
	}
	inject_faults(0);
	TH_LOG("restarts under faults: %u refused, %u killed, %u restored, %u other",
	       outcomes[0], outcomes[1], outcomes[2], outcomes[3]);
	EXPECT_GT(outcomes[0] + outcomes[1], 0U);
	/* the image is as good as before */
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
