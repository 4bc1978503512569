// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling and process attributes that restart sets as the task
 * itself would: CPU affinity and no_new_privs; policy, real-time
 * priority, nice and SCHED_RESET_ON_FORK; oom_score_adj and its floor;
 * the child-subreaper flag.  Each comes back as it was (the restarter
 * had none of them); an image naming a CPU this machine does not have is
 * refused (EINVAL) before anything changed; a nice value or an
 * oom_score_adj the restored (unprivileged) task could not give itself
 * fails the restart with the errno of the system call that refused it.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include "ckpt_test.h"

#define USER_UID	1000

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

/* policy | SCHED_RESET_ON_FORK, real-time priority and nice to give */
struct sched_case {
	int policy, priority, nice;
};

static void sched_process(struct ckpt_ctx *c, const struct sched_case *sc)
{
	struct sched_param p = { .sched_priority = sc->priority };
	int policy;

	CKPT_SYS(setpriority(PRIO_PROCESS, 0, sc->nice));
	CKPT_SYS(sched_setscheduler(0, sc->policy, &p));
	ckpt_self(c);

	policy = sched_getscheduler(0);
	CKPT_CHECK(policy == sc->policy, "policy %#x, not %#x", policy,
		   sc->policy);
	CKPT_SYS(sched_getparam(0, &p));
	CKPT_CHECK(p.sched_priority == sc->priority, "priority %d, not %d",
		   p.sched_priority, sc->priority);
	errno = 0;
	CKPT_CHECK(getpriority(PRIO_PROCESS, 0) == sc->nice && !errno,
		   "nice %d, not %d", getpriority(PRIO_PROCESS, 0), sc->nice);
	ckpt_restored_ok();
}

static void expect_sched_restored(struct __test_metadata *_metadata,
				  struct ckpt_ctx *c,
				  const struct sched_case *sc)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0)
		sched_process(c, sc);
	ckpt_finish(_metadata, c, pid);
}

TEST_F(sched, batch_policy_and_nice_restored)
{
	static const struct sched_case sc = { SCHED_BATCH, 0, 7 };

	expect_sched_restored(_metadata, &self->c, &sc);
}

/* SCHED_IDLE carries no nice of its own: the one set before it stays */
TEST_F(sched, idle_policy_and_nice_restored)
{
	static const struct sched_case sc = { SCHED_IDLE, 0, 4 };

	expect_sched_restored(_metadata, &self->c, &sc);
}

TEST_F(sched, fifo_priority_nice_and_reset_on_fork_restored)
{
	static const struct sched_case sc = {
		SCHED_FIFO | SCHED_RESET_ON_FORK, 10, 3
	};

	expect_sched_restored(_metadata, &self->c, &sc);
}

TEST_F(sched, rr_priority_restored)
{
	static const struct sched_case sc = { SCHED_RR, 99, 0 };

	expect_sched_restored(_metadata, &self->c, &sc);
}

static int read_oom_score_adj(void)
{
	char buf[32] = "";

	if (ckpt_read_file("/proc/self/oom_score_adj", buf, sizeof(buf)) <= 0)
		return INT_MIN;
	return atoi(buf);
}

static void set_oom_score_adj(int v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", v);

	CKPT_SYS(ckpt_write_file("/proc/self/oom_score_adj", buf, n, 0));
}

/*
 * A subreaper reaps an orphaned grandchild: it is reparented to us, not
 * to init, once its parent exits.
 */
static void check_subreaper(void)
{
	pid_t mid, reaped, me = getpid();
	int on = 0, st;

	CKPT_SYS(prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0));
	CKPT_CHECK(on == 1, "PR_GET_CHILD_SUBREAPER says %d", on);
	mid = CKPT_SYS(fork());
	if (mid == 0) {
		pid_t g, parent = getpid();

		g = fork();
		if (g == 0) {
			while (getppid() == parent)
				usleep(1000);
			_exit(getppid() == me ? 7 : 8);
		}
		_exit(g < 0);
	}
	CKPT_SYS(waitpid(mid, &st, 0));
	CKPT_CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "middle child 0x%x", st);
	reaped = waitpid(-1, &st, 0);
	CKPT_CHECK(reaped > 0, "the orphan was not ours to reap: %s",
		   strerror(errno));
	CKPT_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7,
		   "the orphan saw another parent: 0x%x", st);
}

/*
 * PR_SET_THP_DISABLE comes back, and an address space that did not set
 * it does not keep the restarter's (restart forks from this process).
 */
TEST_F(sched, thp_disable_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		CKPT_SYS(prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
		ckpt_self(&self->c);
		CKPT_CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1,
			   "PR_SET_THP_DISABLE lost");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		ckpt_self(&self->c);
		CKPT_CHECK(prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0,
			   "PR_SET_THP_DISABLE came from the restarter");
		ckpt_restored_ok();
	}
	ASSERT_EQ(0, prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0));
	ckpt_finish(_metadata, &self->c, pid);
	ASSERT_EQ(0, prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0));
}

/* Root's write sets oom_score_adj and its floor; both come back. */
TEST_F(sched, oom_score_adj_and_subreaper_restored)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		set_oom_score_adj(300);
		CKPT_SYS(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
		ckpt_self(&self->c);
		CKPT_CHECK(read_oom_score_adj() == 300, "oom_score_adj %d",
			   read_oom_score_adj());
		/* the floor came back: lowering needs CAP_SYS_RESOURCE */
		ckpt_become_user(&self->c, USER_UID);
		CKPT_CHECK(ckpt_write_file("/proc/self/oom_score_adj", "299", 3,
					   0) && errno == EACCES,
			   "lowered below the floor 300");
		check_subreaper();
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A user's own write raises oom_score_adj but not the floor (0). */
TEST_F(sched, users_oom_score_adj_restored_by_root)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		ckpt_become_user(&self->c, USER_UID);
		set_oom_score_adj(500);
		ckpt_self(&self->c);
		CKPT_CHECK(getuid() == USER_UID, "uid %d", getuid());
		CKPT_CHECK(read_oom_score_adj() == 500, "oom_score_adj %d",
			   read_oom_score_adj());
		set_oom_score_adj(0);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * What root gave a process that then became a user, the user cannot
 * give itself: its restart fails with the errno of the write or the
 * sched_setattr(2) that refused, and says which value.
 */
static void expect_users_restart_refused(struct __test_metadata *_metadata,
					 struct ckpt_ctx *c, int nice,
					 int oom, int err, const char *word)
{
	char log[4096] = "", code[32];
	pid_t pid = ckpt_fork(_metadata, c);
	int st;

	if (pid == 0) {
		CKPT_SYS(setpriority(PRIO_PROCESS, 0, nice));
		set_oom_score_adj(oom);
		ckpt_become_user(c, USER_UID);
		ckpt_self(c);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, c, pid);
	ASSERT_EQ(0, ftruncate(c->logfd, 0));
	st = ckpt_restore_fd(_metadata, c, c->imgfd);
	/* past the point of no return: the process is killed, the log says why */
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		TH_LOG("status 0x%x", st);
	ASSERT_LT(0, ckpt_read_file(c->log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, word)) TH_LOG("%s", log);
	snprintf(code, sizeof(code), "(error %d)", -err);
	EXPECT_NE(NULL, strstr(log, code)) TH_LOG("%s", log);
}

TEST_F(sched, nice_a_user_could_not_set_is_refused)
{
	expect_users_restart_refused(_metadata, &self->c, -5, 0, EPERM,
				     "nice -5");
}

TEST_F(sched, oom_score_adj_below_a_users_floor_is_refused)
{
	expect_users_restart_refused(_metadata, &self->c, 0, -200, EACCES,
				     "oom_score_adj -200");
}

TEST_HARNESS_MAIN
