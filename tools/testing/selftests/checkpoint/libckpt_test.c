// SPDX-License-Identifier: GPL-2.0
/*
 * libckpt: a process checkpoints itself with ckpt_checkpoint_self(),
 * goes on with CKPT_CHECKPOINTED, and its restart returns from the same
 * call with CKPT_RESTARTED; hooks run in their documented order; a
 * failed checkpoint leaves the previous image whole; a signal handler
 * may checkpoint; CKPT_SELF_TREE takes the children along.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ckpt_test.h"
#include "libckpt.h"

CKPT_FIXTURE(libckpt);

static char image[CKPT_PATH_LEN];

/* restart -i image: the restored process's status. */
static int restart_image(struct __test_metadata *_metadata,
			 struct ckpt_ctx *c)
{
	char *const rs[] = { "restart", "-i", image, NULL };

	return ckpt_run(_metadata, c, rs);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void tmp_of(char *buf, size_t n)
{
	snprintf(buf, n, "%s.tmp", image);
}

TEST_F(libckpt, checkpointed_then_restarted)
{
	char tmp[CKPT_PATH_LEN + 8];
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	snprintf(image, sizeof(image), "%s", ckpt_tmp_path(&self->c, "self.img"));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char data[5 * 4096];
		int r;

		ckpt_fill(data, sizeof(data), 51);
		r = ckpt_checkpoint_self(image, 0);
		if (r == CKPT_CHECKPOINTED)
			_exit(0);
		CKPT_CHECK(r == CKPT_RESTARTED, "returned %d: %s", r,
			   ckpt_last_error());
		CKPT_CHECK(ckpt_verify(data, sizeof(data), 51) == -1, "data");
		ckpt_restored_ok();
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	tmp_of(tmp, sizeof(tmp));
	EXPECT_TRUE(exists(image));
	EXPECT_FALSE(exists(tmp));
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, restart_image(_metadata, &self->c))
		ckpt_show(_metadata, &self->c);
}

static char seq[16];

static void hook(void *arg)
{
	size_t n = strlen(seq);

	if (n + 1 < sizeof(seq))
		seq[n] = *(const char *)arg;
}

/*
 * BEFORE hooks last-registered first, then AFTER in order in the
 * process that goes on, RESTART in order in the restarted one.
 */
TEST_F(libckpt, hooks_run_in_order)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	snprintf(image, sizeof(image), "%s", ckpt_tmp_path(&self->c, "hooks.img"));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int r;

		CKPT_SYS(ckpt_hook(CKPT_HOOK_BEFORE, hook, "A"));
		CKPT_SYS(ckpt_hook(CKPT_HOOK_BEFORE, hook, "B"));
		CKPT_SYS(ckpt_hook(CKPT_HOOK_AFTER, hook, "a"));
		CKPT_SYS(ckpt_hook(CKPT_HOOK_AFTER, hook, "b"));
		CKPT_SYS(ckpt_hook(CKPT_HOOK_RESTART, hook, "r"));
		CKPT_SYS(ckpt_hook(CKPT_HOOK_RESTART, hook, "s"));
		CKPT_CHECK(ckpt_hook(3, hook, "x") < 0 && errno == EINVAL,
			   "bad kind accepted");
		r = ckpt_checkpoint_self(image, 0);
		if (r == CKPT_CHECKPOINTED) {
			CKPT_CHECK(!strcmp(seq, "BAab"), "hooks ran %s", seq);
			_exit(0);
		}
		CKPT_CHECK(r == CKPT_RESTARTED && !strcmp(seq, "BArs"),
			   "returned %d, hooks ran %s", r, seq);
		ckpt_restored_ok();
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, restart_image(_metadata, &self->c))
		ckpt_show(_metadata, &self->c);
}

/*
 * A checkpoint that fails (a socket is open) returns -1 with the
 * kernel's errno and reason, leaves no temporary file and the previous
 * image as it was: restarting it comes back from the first call.
 */
TEST_F(libckpt, failure_keeps_the_previous_image)
{
	char tmp[CKPT_PATH_LEN + 8];
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	snprintf(image, sizeof(image), "%s", ckpt_tmp_path(&self->c, "keep.img"));
	tmp_of(tmp, sizeof(tmp));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static volatile int phase;
		struct stat before, after;
		int r, s;

		phase = 1;
		r = ckpt_checkpoint_self(image, 0);
		if (r == CKPT_RESTARTED) {
			CKPT_CHECK(phase == 1, "restarted at phase %d", phase);
			ckpt_restored_ok();
		}
		CKPT_CHECK(r == CKPT_CHECKPOINTED, "first: %s",
			   ckpt_last_error());
		CKPT_SYS(stat(image, &before));
		phase = 2;
		s = CKPT_SYS(socket(AF_NETLINK, SOCK_RAW, 0));
		r = ckpt_checkpoint_self(image, 0);
		CKPT_CHECK(r == -1 && errno == EOPNOTSUPP, "second: %d %s", r,
			   strerror(errno));
		CKPT_CHECK(strstr(ckpt_last_error(), "socket") ||
			   strstr(ckpt_last_error(), "fd"),
			   "reason: %s", ckpt_last_error());
		CKPT_CHECK(!exists(tmp), "temporary image left");
		CKPT_SYS(stat(image, &after));
		CKPT_CHECK(before.st_ino == after.st_ino &&
			   before.st_size == after.st_size &&
			   before.st_mtim.tv_nsec == after.st_mtim.tv_nsec,
			   "the previous image changed");
		close(s);
		_exit(0);
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, restart_image(_metadata, &self->c))
		ckpt_show(_metadata, &self->c);
}

static volatile sig_atomic_t in_handler, handler_ret;

static void on_usr1(int sig)
{
	(void)sig;
	in_handler = 1;
	handler_ret = ckpt_checkpoint_self(image, 0);
	in_handler = 0;
}

/* Checkpointed from a SIGUSR1 handler, as a batch scheduler asks. */
TEST_F(libckpt, checkpoint_from_a_signal_handler)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	snprintf(image, sizeof(image), "%s", ckpt_tmp_path(&self->c, "sig.img"));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		volatile unsigned long n = 0;

		signal(SIGUSR1, on_usr1);
		while (!handler_ret)
			if (++n == 100000)
				raise(SIGUSR1);
		if (handler_ret == CKPT_CHECKPOINTED)
			_exit(0);
		CKPT_CHECK(handler_ret == CKPT_RESTARTED && !in_handler &&
			   n == 100000, "returned %d, n %lu", handler_ret, n);
		ckpt_restored_ok();
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, restart_image(_metadata, &self->c))
		ckpt_show(_metadata, &self->c);
}

/*
 * CKPT_SELF_TREE: the child is stopped for the checkpoint and continued
 * after it; after restart the restored child still reads from the pipe
 * and its status reaches the restored parent.
 */
TEST_F(libckpt, self_tree_takes_the_children)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	snprintf(image, sizeof(image), "%s", ckpt_tmp_path(&self->c, "tree.img"));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		unsigned char b;
		int p[2], st, r;
		pid_t kid;

		CKPT_SYS(pipe(p));
		kid = CKPT_SYS(fork());
		if (kid == 0) {
			close(p[1]);
			if (read(p[0], &b, 1) != 1)
				_exit(99);
			_exit(b);
		}
		close(p[0]);
		r = ckpt_checkpoint_self(image, CKPT_SELF_TREE);
		CKPT_CHECK(r > 0, "checkpoint: %s", ckpt_last_error());
		b = r == CKPT_RESTARTED ? 7 : 3;
		CKPT_CHECK(write(p[1], &b, 1) == 1, "write");
		CKPT_CHECK(waitpid(kid, &st, 0) == kid, "waitpid");
		CKPT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == b,
			   "child status %#x, sent %u", st, b);
		if (r == CKPT_CHECKPOINTED)
			_exit(0);
		ckpt_restored_ok();
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, restart_image(_metadata, &self->c))
		ckpt_show(_metadata, &self->c);
}

TEST_HARNESS_MAIN
