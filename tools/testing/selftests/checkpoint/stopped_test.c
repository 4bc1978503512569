// SPDX-License-Identifier: GPL-2.0
/*
 * Job control: a process stopped (SIGSTOP, ^Z) when it is checkpointed
 * comes back stopped, every thread of it, its parent told so by wait(2),
 * and SIGCONT resumes it; with CHECKPOINT_RUNNING (a caller that stopped
 * it only to checkpoint it) it comes back running.  Stopped by SIGTSTP,
 * it reports SIGTSTP again.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include "ckpt_test.h"

CKPT_FIXTURE(stopped);

static volatile sig_atomic_t continued;
static atomic_ulong spins;

static void on_cont(int sig)
{
	(void)sig;
	continued = 1;
}

static void *spin_thread(void *arg)
{
	(void)arg;
	for (;;)
		spins++;
	return NULL;
}

/*
 * The target: a SIGCONT handler, memory to check and, if @thread, a
 * second thread that spins; tells @ready it is set up, then waits for
 * SIGCONT (and the go file, if the test has one: a zombie hides that it
 * was continued from waitpid()) and exits 42 if its memory is intact.
 */
static void target(int ready, bool thread)
{
	static char data[2 * 4096];
	struct sigaction sa = { .sa_handler = on_cont };
	pthread_t th;

	ckpt_fill(data, sizeof(data), 0x5709);
	if (sigaction(SIGCONT, &sa, NULL) ||
	    (thread && pthread_create(&th, NULL, spin_thread, NULL)))
		_exit(CKPT_EXIT_FAIL);
	if (write(ready, "r", 1) != 1)
		_exit(CKPT_EXIT_FAIL);
	close(ready);
	while (!continued)
		usleep(1000);
	if (ckpt_go_path)
		ckpt_wait_go();
	if (ckpt_verify(data, sizeof(data), 0x5709) >= 0)
		_exit(CKPT_EXIT_FAIL);
	_exit(CKPT_EXIT_RESTORED);
}

/* How many threads of @pid are in state @want; *@nr: how many in all. */
static int threads_in_state(pid_t pid, char want, int *nr)
{
	char path[64];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	*nr = 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		pid_t tid = atoi(d->d_name);

		if (tid <= 0)
			continue;
		++*nr;
		if (ckpt_proc_state(tid) == want)
			n++;
	}
	closedir(dir);
	return n;
}

/*
 * Start the target (with a second thread if @thread), stop it with
 * SIGSTOP, checkpoint it with @flags into c->imgfd and kill it; its pid.
 */
static pid_t stop_and_checkpoint(struct __test_metadata *_metadata,
				 struct ckpt_ctx *c, unsigned long flags,
				 bool thread)
{
	int ready[2];
	pid_t pid;
	char b;

	ASSERT_EQ(0, pipe(ready));
	pid = ckpt_fork_keep(_metadata, c, &ready[1], 1);
	if (pid == 0) {
		close(ready[0]);
		target(ready[1], thread);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &b, 1));
	close(ready[0]);
	ckpt_stop(_metadata, pid);
	ASSERT_EQ(0, ftruncate(c->imgfd, 0));
	ASSERT_EQ(0, lseek(c->imgfd, 0, SEEK_SET));
	EXPECT_LT(0, sys_checkpoint(pid, c->imgfd, flags, c->logfd))
		ckpt_show(_metadata, c);
	ckpt_kill(_metadata, pid);
	return pid;
}

/* The same, restored into a child of ours (RESTART_TASKSELF); its pid. */
static pid_t stop_and_move(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, unsigned long flags)
{
	stop_and_checkpoint(_metadata, c, flags, false);
	ASSERT_EQ(0, lseek(c->imgfd, 0, SEEK_SET));
	return ckpt_restart_fork(_metadata, c, c->imgfd, RESTART_TASKSELF);
}

/*
 * Stopped with SIGSTOP and checkpointed: the restored process reports
 * stopped to its parent, stays in state T, and SIGCONT runs the
 * handler and lets it finish.
 */
TEST_F(stopped, stopped_process_restarts_stopped)
{
	pid_t pid;
	int st = 0, nr;

	ckpt_go_path = ckpt_tmp_path(&self->c, "go");
	pid = stop_and_move(_metadata, &self->c, 0);

	ASSERT_EQ(pid, waitpid(pid, &st, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(st)) {
		TH_LOG("status 0x%x: not stopped", st);
		ckpt_show(_metadata, &self->c);
	}
	EXPECT_EQ(SIGSTOP, WSTOPSIG(st));
	ckpt_msleep(200);
	EXPECT_EQ(1, threads_in_state(pid, 'T', &nr));
	EXPECT_EQ(1, nr);
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(pid, waitpid(pid, &st, WCONTINUED));
	EXPECT_TRUE(WIFCONTINUED(st)) TH_LOG("status 0x%x", st);
	ASSERT_EQ(0, ckpt_write_file(ckpt_go_path, "", 0, 0644));
	ckpt_expect_restored(_metadata, &self->c, ckpt_wait_exit(pid));
}

/*
 * Two threads, restored by the restart tool (with its pid, now free):
 * both stay in state T, the spinning one does not spin, until SIGCONT;
 * then the process finishes and restart exits with its status.
 */
TEST_F(stopped, every_thread_restarts_stopped)
{
	char *const rs[] = { "restart", "-i", self->c.img, NULL };
	pid_t pid, tool;
	int st, nr = 0, i;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = stop_and_checkpoint(_metadata, &self->c, 0, true);
	tool = ckpt_spawn(_metadata, &self->c, rs);
	for (i = 0; i < 500 && threads_in_state(pid, 'T', &nr) < 2; i++)
		ckpt_msleep(10);
	ckpt_msleep(200);
	EXPECT_EQ(2, threads_in_state(pid, 'T', &nr)) {
		TH_LOG("%d of pid %d's threads stopped", nr, pid);
		ckpt_show(_metadata, &self->c);
	}
	EXPECT_EQ(2, nr);
	EXPECT_EQ(0, waitpid(tool, &st, WNOHANG));
	kill(pid, SIGCONT);
	ASSERT_EQ(tool, waitpid(tool, &st, 0));
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, st) ckpt_show(_metadata, &self->c);
}

/*
 * CHECKPOINT_RUNNING: the same stopped process is recorded running and
 * comes back running, without anyone sending SIGCONT (the handler runs
 * on the SIGCONT we send only once it was seen running).
 */
TEST_F(stopped, checkpoint_running_restarts_running)
{
	pid_t pid = stop_and_move(_metadata, &self->c, CHECKPOINT_RUNNING);
	int st = 0, nr = 0, i;
	bool running = false;

	for (i = 0; i < 200 && !running; i++) {
		ASSERT_EQ(0, waitpid(pid, &st, WUNTRACED | WNOHANG))
			TH_LOG("restored process stopped or gone: 0x%x", st);
		running = threads_in_state(pid, 'S', &nr) == 1;
		ckpt_msleep(10);
	}
	EXPECT_TRUE(running) TH_LOG("pid %d never ran", pid);
	ASSERT_EQ(0, waitpid(pid, &st, WUNTRACED | WNOHANG));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ckpt_expect_restored(_metadata, &self->c, ckpt_wait_exit(pid));
}

/*
 * zdtm's stopped03: a process in a process group of its own (not
 * orphaned: its parent is in another group of the session) stopped by
 * SIGTSTP, its parent told with WNOWAIT so the report stays: restored
 * into a process in a group of its own likewise, it reports SIGTSTP,
 * not SIGSTOP.
 */
TEST_F(stopped, stop_signal_is_reported_again)
{
	siginfo_t si = {};
	int ready[2];
	pid_t pid;
	char b;

	ckpt_go_path = ckpt_tmp_path(&self->c, "go");
	ASSERT_EQ(0, pipe(ready));
	pid = ckpt_fork_keep(_metadata, &self->c, &ready[1], 1);
	if (pid == 0) {
		close(ready[0]);
		if (setpgid(0, 0))
			_exit(CKPT_EXIT_FAIL);
		target(ready[1], false);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &b, 1));
	close(ready[0]);
	ASSERT_EQ(0, kill(pid, SIGTSTP));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT));
	ASSERT_EQ(CLD_STOPPED, si.si_code);
	ASSERT_EQ(SIGTSTP, si.si_status);
	ASSERT_EQ(0, ftruncate(self->c.imgfd, 0));
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	EXPECT_LT(0, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd))
		ckpt_show(_metadata, &self->c);
	ckpt_kill(_metadata, pid);

	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		long r = setpgid(0, 0) ? -errno :
			 ckpt_restart_poisoned(self->c.imgfd, RESTART_TASKSELF,
					       self->c.logfd);

		dprintf(self->c.outfd, "restart(2) returned %ld\n", r);
		_exit(r < 0 ? ckpt_errno_exit(-r) : 99);
	}
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WSTOPPED | WEXITED));
	ASSERT_EQ(CLD_STOPPED, si.si_code) {
		TH_LOG("code %d status %d", si.si_code, si.si_status);
		ckpt_show(_metadata, &self->c);
	}
	EXPECT_EQ(SIGTSTP, si.si_status);
	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(0, ckpt_write_file(ckpt_go_path, "", 0, 0644));
	ckpt_expect_restored(_metadata, &self->c, ckpt_wait_exit(pid));
}

TEST_HARNESS_MAIN
