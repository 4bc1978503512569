// SPDX-License-Identifier: GPL-2.0
/*
 * Threads and process trees: checkpoint(2) with CHECKPOINT_SUBTREE takes
 * a process, its threads and its descendants; the restart tool rebuilds
 * the tree and restart(2) restores every task of it, or none.
 *
 * Each workload runs until a "go" file appears, which the test makes
 * only after `checkpoint --kill`: so the go file is only ever seen by the
 * restored tree, which then checks its state and exits 42.
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "ckpt_test.h"

CKPT_FIXTURE(tree);

/* ---- threads ---- */

#define NTHREADS 4

static __thread long tls_count;
static long shared_count[NTHREADS];
static long tls_seen[NTHREADS];
static atomic_int futex_word, stop;

/* Let the futex waiter run once more (up to @n waiters). */
static void futex_kick(int n)
{
	atomic_store(&futex_word, 1);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE, n, NULL, NULL, 0);
}

static void *counter_thread(void *arg)
{
	long id = (long)arg;

	while (!atomic_load(&stop)) {
		tls_count++;
		shared_count[id]++;
		/* the last thread sleeps in FUTEX_WAIT most of the time */
		if (id == NTHREADS - 1)
			syscall(SYS_futex, &futex_word, FUTEX_WAIT, 0, NULL,
				NULL, 0);
		usleep(500 * (id + 1));
	}
	tls_seen[id] = tls_count;
	return NULL;
}

/*
 * Four threads count in their TLS and in a shared array, one waits on a
 * futex between counts: after restart each thread's TLS (its fs base)
 * and count agree, the futex waiter is woken again, and every thread
 * made progress after the restart.
 */
TEST_F(tree, threads_keep_tls_counters_and_futex_waits)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		pthread_t t[NTHREADS];
		long before[NTHREADS], i;
		pid_t tid0 = gettid();

		for (i = 0; i < NTHREADS; i++)
			CKPT_CHECK(!pthread_create(&t[i], NULL, counter_thread,
						   (void *)i), "pthread_create");
		while (!ckpt_go()) {
			futex_kick(1);
			atomic_store(&futex_word, 0);
			usleep(2000);
		}
		/* restored: all threads still count */
		for (i = 0; i < NTHREADS; i++)
			before[i] = shared_count[i];
		for (int n = 0; n < 100; n++) {
			futex_kick(1);
			atomic_store(&futex_word, 0);
			usleep(2000);
		}
		atomic_store(&stop, 1);
		futex_kick(INT_MAX);
		for (i = 0; i < NTHREADS; i++)
			CKPT_CHECK(!pthread_join(t[i], NULL), "join %ld", i);
		for (i = 0; i < NTHREADS; i++) {
			CKPT_CHECK(tls_seen[i] == shared_count[i],
				   "thread %ld: tls %ld, shared %ld", i,
				   tls_seen[i], shared_count[i]);
			CKPT_CHECK(shared_count[i] > before[i],
				   "thread %ld made no progress", i);
		}
		CKPT_CHECK(gettid() == tid0, "main thread %d, was %d", gettid(),
			   tid0);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* ---- a three-level tree with pipes between the levels ---- */

/*
 * The grandchild writes 1, 2, 3, ... into a pipe, its parent forwards
 * each number doubled into a second pipe, the root checks the sequence.
 * After restart no number is lost or repeated (the bytes in both pipes
 * came back), the parents are the same, and the root reaps both.
 */
TEST_F(tree, three_levels_with_pipes)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		int p1[2], p2[2], st;
		long v, want = 2, got = 0;
		pid_t mid, root = getpid();

		CKPT_SYS(pipe(p2));
		mid = CKPT_SYS(fork());
		if (mid == 0) {
			pid_t leaf;

			close(p2[0]);
			/* the root closing its end ends us with EPIPE */
			signal(SIGPIPE, SIG_IGN);
			CKPT_SYS(pipe(p1));
			leaf = CKPT_SYS(fork());
			if (leaf == 0) {
				close(p1[0]);
				close(p2[1]);
				for (v = 1;; v++) {
					CKPT_CHECK(getppid() != 1, "orphaned");
					if (write(p1[1], &v, sizeof(v)) != sizeof(v))
						_exit(0);
					usleep(300);
				}
			}
			close(p1[1]);
			while (read(p1[0], &v, sizeof(v)) == sizeof(v)) {
				CKPT_CHECK(getppid() == root, "parent %d, not %d",
					   getppid(), root);
				v *= 2;
				if (write(p2[1], &v, sizeof(v)) != sizeof(v))
					break;
			}
			kill(leaf, SIGKILL);
			CKPT_CHECK(waitpid(leaf, &st, 0) == leaf, "reap leaf");
			_exit(0);
		}
		close(p2[1]);
		for (;;) {
			CKPT_CHECK(read(p2[0], &v, sizeof(v)) == sizeof(v),
				   "read");
			CKPT_CHECK(v == want, "got %ld, wanted %ld", v, want);
			want += 2;
			if (ckpt_go() && ++got > 2000)
				break;
		}
		close(p2[0]);
		CKPT_CHECK(waitpid(mid, &st, 0) == mid, "reap mid");
		CKPT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			   "mid status %#x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(500);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* ---- a zombie ---- */

/*
 * A child that exited with status 7 and was not reaped comes back a
 * zombie with the same pid, and its parent reaps the same status.
 */
TEST_F(tree, zombie_is_reaped_with_its_status)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		pid_t kid = CKPT_SYS(fork());
		siginfo_t si = {};
		int st;

		if (kid == 0)
			_exit(7);
		/* wait until it is a zombie, without reaping it */
		CKPT_SYS(waitid(P_PID, kid, &si, WEXITED | WNOWAIT));
		ckpt_wait_go();
		CKPT_CHECK(ckpt_proc_state(kid) == 'Z', "state %c",
			   ckpt_proc_state(kid));
		CKPT_CHECK(waitpid(kid, &st, 0) == kid, "waitpid: %s",
			   strerror(errno));
		CKPT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7,
			   "status %#x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* ---- sessions and process groups ---- */

struct ids {
	pid_t pid, ppid, pgid, sid;
};

static struct ids my_ids(void)
{
	struct ids i = { getpid(), getppid(), getpgid(0), getsid(0) };

	return i;
}

/*
 * The root leads a session; its child leads a process group that the
 * grandchild joined.  After restart every pid, ppid, pgid and sid is as
 * it was (the pids were free again).
 */
TEST_F(tree, sessions_and_groups_as_they_were)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		struct ids was, now;
		pid_t mid;
		int st;

		CKPT_SYS(setsid());
		was = my_ids();
		mid = CKPT_SYS(fork());
		if (mid == 0) {
			pid_t leaf;

			CKPT_SYS(setpgid(0, 0));
			was = my_ids();
			leaf = CKPT_SYS(fork());
			if (leaf == 0) {
				was = my_ids();
				ckpt_wait_go();
				now = my_ids();
				_exit(memcmp(&now, &was, sizeof(now)) ||
				      now.pgid != now.ppid ? 1 : 0);
			}
			ckpt_wait_go();
			now = my_ids();
			CKPT_CHECK(!memcmp(&now, &was, sizeof(now)) &&
				   now.pgid == now.pid,
				   "mid: pid %d ppid %d pgid %d sid %d",
				   now.pid, now.ppid, now.pgid, now.sid);
			CKPT_CHECK(waitpid(leaf, &st, 0) == leaf && st == 0,
				   "leaf status %#x", st);
			_exit(0);
		}
		ckpt_wait_go();
		now = my_ids();
		CKPT_CHECK(now.pid == was.pid && now.pgid == was.pgid &&
			   now.sid == was.sid && now.sid == now.pid,
			   "root: pid %d pgid %d sid %d", now.pid, now.pgid,
			   now.sid);
		CKPT_CHECK(waitpid(mid, &st, 0) == mid && st == 0,
			   "mid status %#x", st);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* ---- pids in a new pid namespace ---- */

/*
 * restart --pidns: a parent and its child come back in a new pid
 * namespace with the pids they had, while the originals' pids are
 * still taken outside it (the image is restarted twice at once).
 */
TEST_F(tree, pidns_keeps_every_pid)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		struct ids was, now;
		pid_t kid = CKPT_SYS(fork());
		int st;

		if (kid == 0) {
			was = my_ids();
			ckpt_wait_go();
			now = my_ids();
			_exit(now.pid == was.pid && now.ppid == was.ppid ? 0 : 1);
		}
		was = my_ids();
		ckpt_wait_go();
		now = my_ids();
		CKPT_CHECK(now.pid == was.pid, "pid %d, was %d", now.pid,
			   was.pid);
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0,
			   "child %d status %#x", kid, st);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, "--pidns"))
		ckpt_show(_metadata, &self->c);
}

/* ---- all or nothing ---- */

/*
 * The child's working directory is gone at restart: its restore fails,
 * so restart fails, and neither the root (restored before it) nor any
 * other task of the tree is left; once the directory is back, the same
 * image restarts.
 */
TEST_F(tree, failed_task_rolls_back_the_tree)
{
	char *const rs[] = { "restart", "-i", self->c.img, NULL };
	const char *dir;
	pid_t pid;
	int st;

	if (!ckpt_need_tools(_metadata))
		return;
	dir = ckpt_tmp_dir(&self->c, "cwd");
	ASSERT_NE(NULL, dir);
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		pid_t kid = CKPT_SYS(fork());

		prctl(PR_SET_NAME, "ckpt-rollback");
		if (kid == 0) {
			CKPT_SYS(chdir(dir));
			ckpt_wait_go();
			_exit(0);
		}
		ckpt_wait_go();
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0, "child");
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	ASSERT_EQ(0, ckpt_checkpoint_kill(_metadata, &self->c, pid));
	ASSERT_EQ(0, rmdir(dir));
	st = ckpt_run(_metadata, &self->c, rs);
	EXPECT_EQ(1 << 8, st) ckpt_show(_metadata, &self->c);
	/* nothing of the tree is left running */
	for (int i = 0; i < 100; i++) {
		bool found = false;
		DIR *d = opendir("/proc");
		struct dirent *e;

		ASSERT_NE(NULL, d);
		while ((e = readdir(d)))
			if (atoi(e->d_name) > 0 &&
			    ckpt_proc_comm_is(atoi(e->d_name), "ckpt-rollback") &&
			    ckpt_proc_state(atoi(e->d_name)) != 'Z')
				found = true;
		closedir(d);
		if (!found)
			break;
		ASSERT_LT(i, 99) TH_LOG("a task of the failed restart is alive");
		ckpt_msleep(20);
	}
	ASSERT_EQ(0, mkdir(dir, 0755));
	st = ckpt_run(_metadata, &self->c, rs);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, st) ckpt_show(_metadata, &self->c);
}

/* ---- memory shared over fork ---- */

/*
 * MAP_SHARED | MAP_ANONYMOUS memory of the root, inherited by its child:
 * one object in the image, so after restart what the child writes the
 * root reads, and the contents are as they were.
 */
TEST_F(tree, shared_anonymous_memory_stays_shared)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		size_t len = 64 * 4096;
		volatile long *flag;
		char *p;
		pid_t kid;
		int st;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		ckpt_fill(p, len / 2, 41);	/* the upper half untouched */
		flag = (volatile long *)(p + len - 8);
		kid = CKPT_SYS(fork());
		if (kid == 0) {
			ckpt_wait_go();
			*flag = 4242;
			_exit(ckpt_verify(p, len / 2, 41) == -1 ? 0 : 1);
		}
		ckpt_wait_go();
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0,
			   "child status %#x", st);
		CKPT_CHECK(*flag == 4242, "the child's write is not seen: %ld",
			   *flag);
		CKPT_CHECK(ckpt_verify(p, len / 2, 41) == -1, "contents");
		CKPT_CHECK(ckpt_verify_zero(p + len / 2, len / 2 - 8) == -1,
			   "untouched half");
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* ---- restart --frozen ---- */

static bool cgroup_frozen(const char *cg)
{
	char path[256], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/cgroup.events", cg);
	n = ckpt_read_file(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "frozen 1\n");
}

/*
 * restart --frozen=CG: the whole tree comes back in cgroup CG, frozen;
 * nothing of it runs (the root would make the done file) until CG is
 * thawed, then it finishes as it would have.
 */
TEST_F(tree, restart_frozen_runs_nothing_until_thawed)
{
	char opt[64], cg[128], path[160];
	char *const rs[] = { "restart", "-i", self->c.img, opt, NULL };
	const char *done;
	pid_t pid, tool;
	int i;

	if (!ckpt_need_tools(_metadata))
		return;
	done = ckpt_tmp_path(&self->c, "done");
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		pid_t kid = CKPT_SYS(fork());
		int st;

		if (kid == 0) {
			ckpt_wait_go();
			_exit(0);
		}
		ckpt_wait_go();
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0, "child");
		CKPT_CHECK(!ckpt_write_file(done, "ok", 2, 0644), "done");
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	ASSERT_EQ(0, ckpt_checkpoint_kill(_metadata, &self->c, pid));

	snprintf(opt, sizeof(opt), "--frozen=ckpt-test-frozen-%d", getpid());
	tool = ckpt_spawn(_metadata, &self->c, rs);
	snprintf(cg, sizeof(cg), "%s/ckpt-test-frozen-%d",
		 access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) ?
		 "/sys/fs/cgroup" : "/sys/fs/cgroup/unified", getpid());
	for (i = 0; i < 500 && !cgroup_frozen(cg); i++)
		ckpt_msleep(20);
	ASSERT_TRUE(cgroup_frozen(cg)) ckpt_show(_metadata, &self->c);
	ckpt_msleep(300);
	EXPECT_NE(0, access(done, F_OK)) TH_LOG("the tree ran while frozen");
	snprintf(path, sizeof(path), "%s/cgroup.freeze", cg);
	ASSERT_EQ(0, ckpt_write_file(path, "0", 1, 0644));
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_wait_exit(tool))
		ckpt_show(_metadata, &self->c);
	EXPECT_EQ(0, access(done, F_OK));
	for (i = 0; i < 100 && rmdir(cg) && errno == EBUSY; i++)
		ckpt_msleep(20);
}

/* ---- the system call ---- */

/* RESTART_JOIN takes no image and no log, nor other flags: EINVAL. */
TEST_F(tree, join_arguments_checked)
{
	errno = 0;
	EXPECT_EQ(-1, sys_restart(1, 0, RESTART_JOIN, -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(1, -1, RESTART_JOIN | RESTART_TASKSELF, -1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_restart(0, -1, RESTART_JOIN, -1));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * An image of two processes restored with RESTART_TASKSELF: EINVAL, with
 * the reason in the log; a coordinator naming itself: EINVAL.
 */
TEST_F(tree, taskself_refuses_a_tree)
{
	int sync[2];
	pid_t pid, kid = 0;
	int st;

	ASSERT_EQ(0, pipe(sync));
	pid = ckpt_fork_keep(_metadata, &self->c, &sync[1], 1);
	if (pid == 0) {
		kid = CKPT_SYS(fork());
		if (kid == 0) {
			close(sync[1]);
			for (;;)
				pause();
		}
		CKPT_CHECK(write(sync[1], &kid, sizeof(kid)) == sizeof(kid),
			   "write");
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	ASSERT_EQ((ssize_t)sizeof(kid), read(sync[0], &kid, sizeof(kid)));
	close(sync[0]);
	ckpt_stop(_metadata, pid);
	ASSERT_EQ(0, kill(kid, SIGSTOP));
	for (int i = 0; i < 200 && ckpt_proc_state(kid) != 'T'; i++)
		ckpt_msleep(5);
	ASSERT_EQ('T', ckpt_proc_state(kid));
	/* without CHECKPOINT_SUBTREE a parent is refused */
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, ftruncate(self->c.imgfd, 0));
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	ASSERT_GT(sys_checkpoint(pid, self->c.imgfd, CHECKPOINT_SUBTREE,
				 self->c.logfd), 0) ckpt_show(_metadata, &self->c);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EINVAL), st) ckpt_show(_metadata, &self->c);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	errno = 0;
	EXPECT_EQ(-1, sys_restart(getpid(), self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EINVAL, errno);
	kill(kid, SIGKILL);
	ckpt_kill(_metadata, pid);
}

TEST_HARNESS_MAIN
