// SPDX-License-Identifier: GPL-2.0
/*
 * The trust boundary: what checkpoint checked still holds when it reads
 * a task, and restart acts with the rights of the task it restores.
 *
 * - A task that a second process continues while checkpoint(2) is
 *   blocked on its image pipe (a thread exits, the process execs) makes
 *   the checkpoint fail cleanly (EAGAIN or ESRCH), never oops.
 * - A root restart of a user's image opens the user's files as the user:
 *   a file or cwd swapped for a symlink into root's files is refused.
 * - A path that leads to another inode than the one checkpointed is
 *   refused (ESTALE) unless RESTART_FILES_REPLACED.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "ckpt_test.h"

#define USER_UID	1000

CKPT_FIXTURE(trust);

static int thread_pipe[2];

static void *exiting_thread(void *arg)
{
	char b;

	(void)arg;
	/* returns once the test writes a byte: the thread exits */
	if (read(thread_pipe[0], &b, 1) < 0)
		return NULL;
	return NULL;
}

/* Poll /proc/PID/status for "Threads:\t@n". */
static bool wait_threads(pid_t pid, int n)
{
	char path[64], text[4096], want[32];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(want, sizeof(want), "Threads:\t%d\n", n);
	for (i = 0; i < 5000; i++) {
		if (ckpt_read_file(path, text, sizeof(text)) > 0 &&
		    strstr(text, want))
			return true;
		usleep(1000);
	}
	return false;
}

enum race { THREAD_EXITS, PROCESS_EXECS };

/*
 * Stop a target, start checkpoint(2) of it into a pipe nobody reads yet,
 * and while it blocks there continue the target, make it change (a
 * thread exits, or it execs), stop it again, then drain the pipe.
 * Return: the checkpointer's wait status.
 */
static int race_checkpoint(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, enum race what)
{
	int img[2], st, keep[2];
	char buf[65536], b = 'x';
	pid_t target, ck;
	ssize_t n;

	ASSERT_EQ(0, pipe(thread_pipe));
	keep[0] = thread_pipe[0];
	keep[1] = thread_pipe[1];
	target = ckpt_fork_keep(_metadata, c, keep, 2);
	if (target == 0) {
		pthread_t th;

		if (what == THREAD_EXITS) {
			CKPT_CHECK(!pthread_create(&th, NULL, exiting_thread,
						   NULL), "thread");
			for (;;)
				pause();
		}
		CKPT_SYS(read(thread_pipe[0], &b, 1));
		execl("/bin/sleep", "sleep", "1000", (char *)NULL);
		_exit(1);
	}
	if (what == THREAD_EXITS)
		ASSERT_TRUE(wait_threads(target, 2));
	if (what == PROCESS_EXECS)
		ASSERT_TRUE(ckpt_wait_blocked(target, NULL, SYS_read, 20000));
	ckpt_stop(_metadata, target);

	ASSERT_EQ(0, pipe(img));
	fflush(stdout);
	ck = fork();
	ASSERT_GE(ck, 0);
	if (ck == 0) {
		long r;

		close(img[0]);
		r = sys_checkpoint(target, img[1], 0, c->logfd);
		_exit(r > 0 ? 0 : ckpt_errno_exit(errno));
	}
	close(img[1]);
	/* the image is far larger than a pipe: checkpoint(2) blocks */
	ASSERT_TRUE(ckpt_wait_blocked(ck, NULL, -1, 20000));
	usleep(100000);

	ASSERT_EQ(0, kill(target, SIGCONT));
	ASSERT_EQ(1, write(thread_pipe[1], &b, 1));
	if (what == THREAD_EXITS)
		ASSERT_TRUE(wait_threads(target, 1));
	if (what == PROCESS_EXECS)
		usleep(200000);	/* exec waits for the checkpoint's lock */
	ASSERT_EQ(0, kill(target, SIGSTOP));
	while ((n = read(img[0], buf, sizeof(buf))) > 0)
		;
	close(img[0]);
	st = ckpt_wait_exit(ck);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	close(thread_pipe[0]);
	close(thread_pipe[1]);
	return st;
}

/* The checkpointer of a race must have failed with EAGAIN or ESRCH. */
static void expect_clean_failure(struct __test_metadata *_metadata,
				 struct ckpt_ctx *c, int st)
{
	EXPECT_TRUE(st == CKPT_ERRNO_STATUS(EAGAIN) ||
		    st == CKPT_ERRNO_STATUS(ESRCH)) {
		char b[128];

		TH_LOG("checkpoint: %s", ckpt_status_str(st, b, sizeof(b)));
		ckpt_show(_metadata, c);
	}
}

TEST_F(trust, thread_exit_mid_checkpoint_fails_cleanly)
{
	expect_clean_failure(_metadata, &self->c,
			     race_checkpoint(_metadata, &self->c, THREAD_EXITS));
}

TEST_F(trust, exec_mid_checkpoint_fails_cleanly)
{
	expect_clean_failure(_metadata, &self->c,
			     race_checkpoint(_metadata, &self->c, PROCESS_EXECS));
}

/* Become uid USER_UID with stdio on /dev/null (not the root's files). */
static void become_user(void)
{
	int null = open("/dev/null", O_RDWR);

	CKPT_CHECK(null >= 0, "/dev/null");
	dup2(null, 0);
	dup2(null, 1);
	dup2(null, 2);
	/* nothing of root's open: only what the user opens from now on */
	CKPT_SYS(syscall(SYS_close_range, 3U, ~0U, 0U));
	CKPT_SYS(setgroups(0, NULL));
	CKPT_SYS(setresgid(USER_UID, USER_UID, USER_UID));
	CKPT_SYS(setresuid(USER_UID, USER_UID, USER_UID));
}

/*
 * A target that opens @file (if any) and chdirs to @cwd (if any), as
 * @user or as root, then waits for @go; once restored it reads the file:
 * 42 if it holds @want, 43 if not, 66 if it reads "SECRET".
 */
static pid_t file_target(struct __test_metadata *_metadata,
			 struct ckpt_ctx *c, bool user, const char *file,
			 const char *cwd, const char *go, const char *want)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		char buf[16] = "";
		int fd = -1;

		if (user)
			become_user();
		if (file)
			fd = CKPT_SYS(open(file, O_RDWR));
		if (cwd)
			CKPT_SYS(chdir(cwd));
		while (access(go, F_OK))
			usleep(2000);
		if (fd >= 0 && pread(fd, buf, sizeof(buf) - 1, 0) < 0)
			_exit(CKPT_EXIT_FAIL);
		if (!strcmp(buf, "SECRET"))
			_exit(66);
		_exit(fd < 0 || !strcmp(buf, want) ? CKPT_EXIT_RESTORED : 43);
	}
	return pid;
}

/* Stop, checkpoint and kill @pid; the image is in c->imgfd. */
static void checkpoint_and_kill(struct __test_metadata *_metadata,
				struct ckpt_ctx *c, pid_t pid)
{
	usleep(50000);
	ckpt_stop(_metadata, pid);
	ckpt_other(_metadata, c, pid);
	ckpt_kill(_metadata, pid);
}

static int restore_with(struct __test_metadata *_metadata, struct ckpt_ctx *c,
			unsigned long flags)
{
	if (lseek(c->imgfd, 0, SEEK_SET))
		return -1;
	return ckpt_wait_exit(ckpt_restart_fork(_metadata, c, c->imgfd,
						 RESTART_TASKSELF | flags));
}

/* Does the log (of all the test's calls) name @what? */
static bool logged(struct ckpt_ctx *c, const char *what)
{
	static char text[1 << 16];

	return ckpt_read_file(c->log, text, sizeof(text)) > 0 &&
	       strstr(text, what);
}

static void user_dir(struct __test_metadata *_metadata, const char *d)
{
	ASSERT_EQ(0, chown(d, USER_UID, USER_UID));
	ASSERT_EQ(0, chmod(d, 0755));
}

TEST_F(trust, root_restart_refuses_a_file_swapped_for_a_symlink)
{
	const char *d = ckpt_tmp_dir(&self->c, "u");
	const char *secret = ckpt_tmp_path(&self->c, "secret");
	const char *go = ckpt_tmp_path(&self->c, "go");
	char f[CKPT_PATH_LEN + 8];
	pid_t pid;
	int st;

	if (geteuid())
		SKIP(return, "needs root");
	user_dir(_metadata, d);
	snprintf(f, sizeof(f), "%s/f", d);
	ASSERT_EQ(0, ckpt_write_file(f, "user", 4, 0600));
	ASSERT_EQ(0, chown(f, USER_UID, USER_UID));
	ASSERT_EQ(0, ckpt_write_file(secret, "SECRET", 6, 0600));

	pid = file_target(_metadata, &self->c, true, f, NULL, go, "user");
	checkpoint_and_kill(_metadata, &self->c, pid);
	/* the user swaps the file for a symlink to root's */
	ASSERT_EQ(0, unlink(f));
	ASSERT_EQ(0, symlink(secret, f));
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));

	st = restore_with(_metadata, &self->c, 0);
	EXPECT_EQ(CKPT_ERRNO_STATUS(ESTALE), st) ckpt_show(_metadata, &self->c);
	/* told to take whatever the path leads to: opened as the user */
	ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
	st = restore_with(_metadata, &self->c, RESTART_FILES_REPLACED);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EACCES), st) ckpt_show(_metadata, &self->c);
	EXPECT_TRUE(logged(&self->c, "cannot open /tmp/")) ckpt_show(_metadata, &self->c);
	EXPECT_TRUE(logged(&self->c, "-u/f")) ckpt_show(_metadata, &self->c);
	unlink(f);
}

TEST_F(trust, root_restart_refuses_a_cwd_swapped_for_a_symlink)
{
	const char *d = ckpt_tmp_dir(&self->c, "u");
	const char *root_only = ckpt_tmp_dir(&self->c, "root-only");
	const char *go = ckpt_tmp_path(&self->c, "go");
	char w[CKPT_PATH_LEN + 8], inner[CKPT_PATH_LEN + 8];
	pid_t pid;
	int st;

	if (geteuid())
		SKIP(return, "needs root");
	user_dir(_metadata, d);
	snprintf(w, sizeof(w), "%s/w", d);
	ASSERT_EQ(0, mkdir(w, 0755));
	ASSERT_EQ(0, chown(w, USER_UID, USER_UID));
	ASSERT_EQ(0, chmod(root_only, 0700));
	snprintf(inner, sizeof(inner), "%s/inner", root_only);
	ASSERT_EQ(0, mkdir(inner, 0755));

	pid = file_target(_metadata, &self->c, true, NULL, w, go, "");
	checkpoint_and_kill(_metadata, &self->c, pid);
	ASSERT_EQ(0, rmdir(w));
	ASSERT_EQ(0, symlink(inner, w));
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));

	ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
	st = restore_with(_metadata, &self->c, RESTART_FILES_REPLACED);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EACCES), st) ckpt_show(_metadata, &self->c);
	EXPECT_TRUE(logged(&self->c, "working directory")) ckpt_show(_metadata, &self->c);
	unlink(w);
	rmdir(inner);
}

TEST_F(trust, replaced_file_is_stale_unless_accepted)
{
	const char *data = ckpt_tmp_path(&self->c, "data");
	const char *next = ckpt_tmp_path(&self->c, "next");
	const char *go = ckpt_tmp_path(&self->c, "go");
	pid_t pid;
	int st;

	ASSERT_EQ(0, ckpt_write_file(data, "old", 3, 0644));
	pid = file_target(_metadata, &self->c, false, data, NULL, go, "new");
	checkpoint_and_kill(_metadata, &self->c, pid);
	ASSERT_EQ(0, ckpt_write_file(next, "new", 3, 0644));
	ASSERT_EQ(0, rename(next, data));
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));

	st = restore_with(_metadata, &self->c, 0);
	EXPECT_EQ(CKPT_ERRNO_STATUS(ESTALE), st) ckpt_show(_metadata, &self->c);
	st = restore_with(_metadata, &self->c, RESTART_FILES_REPLACED);
	ckpt_expect_restored(_metadata, &self->c, st);
}

/*
 * A process that dropped dumpability (ids changed, PR_SET_DUMPABLE 0)
 * comes back with it dropped, not dumpable as restart's credentials
 * commit would leave it.
 */
TEST_F(trust, undumpable_comes_back_undumpable)
{
	const char *go = ckpt_tmp_path(&self->c, "go");
	pid_t pid = ckpt_fork(_metadata, &self->c);
	int st;

	if (pid == 0) {
		CKPT_SYS(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
		while (access(go, F_OK))
			usleep(2000);
		_exit(prctl(PR_GET_DUMPABLE) == 0 ? CKPT_EXIT_RESTORED : 44);
	}
	checkpoint_and_kill(_metadata, &self->c, pid);
	ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));
	st = restore_with(_metadata, &self->c, 0);
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
