// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task state: command name, umask, working directory, resource
 * limits, personality, credentials; and restart granting no more than
 * the restarter has.
 */
#include <grp.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include "ckpt_test.h"

CKPT_FIXTURE(task);

/* The command name (prctl(PR_SET_NAME)). */
TEST_F(task, comm)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char name[17] = "", proc[32] = "";

		CKPT_SYS(prctl(PR_SET_NAME, "ckpt-comm-test"));
		ckpt_self(&self->c);
		CKPT_SYS(prctl(PR_GET_NAME, name));
		CKPT_CHECK(!strcmp(name, "ckpt-comm-test"), "comm '%s'", name);
		CKPT_CHECK(ckpt_read_file("/proc/self/comm", proc, sizeof(proc)) > 0,
			   "read comm");
		CKPT_CHECK(!strcmp(proc, "ckpt-comm-test\n"), "/proc comm '%s'", proc);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The file mode creation mask (an odd value no one runs with). */
TEST_F(task, umask)
{
	pid_t pid;

	umask(022);	/* the restarter's */
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		mode_t m;

		umask(0351);
		ckpt_self(&self->c);
		m = umask(0);
		CKPT_CHECK(m == 0351, "umask %#o", m);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The working directory: same path, same directory, relative paths work. */
TEST_F(task, cwd)
{
	const char *dir = ckpt_tmp_dir(&self->c, "cwd");
	const char *marker = ckpt_tmp_path(&self->c, "cwd/marker");
	pid_t pid;

	ASSERT_NE(NULL, dir);
	ASSERT_EQ(0, ckpt_write_file(marker, "m", 1, 0600));
	ASSERT_EQ(0, chdir("/"));	/* the restarter's */
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct stat st0, st1;
		char buf[PATH_MAX];

		CKPT_SYS(chdir(dir));
		CKPT_SYS(stat(".", &st0));
		ckpt_self(&self->c);
		CKPT_CHECK(getcwd(buf, sizeof(buf)), "getcwd: %s", strerror(errno));
		CKPT_CHECK(!strcmp(buf, dir), "cwd %s", buf);
		CKPT_SYS(stat(".", &st1));
		CKPT_CHECK(st0.st_ino == st1.st_ino && st0.st_dev == st1.st_dev,
			   "another directory");
		CKPT_CHECK(access("marker", R_OK) == 0, "relative path: %s",
			   strerror(errno));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* All resource limits, some soft and hard limits lowered, come back exactly. */
TEST_F(task, rlimits)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static const struct {
			int res;
			rlim_t cur;
			bool hard;
		} set[] = {
			{ RLIMIT_NOFILE, 200, false },
			{ RLIMIT_CORE, 4096, true },
			{ RLIMIT_STACK, 6 << 20, false },
			{ RLIMIT_NPROC, 777, false },
			{ RLIMIT_MSGQUEUE, 1000, false },
			{ RLIMIT_SIGPENDING, 99, false },
			{ RLIMIT_CPU, 100000, true },
			{ RLIMIT_FSIZE, 1 << 30, false },
		};
		struct rlimit r0[RLIM_NLIMITS], r1;
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(set); i++) {
			struct rlimit r;

			CKPT_SYS(getrlimit(set[i].res, &r));
			/* a hard limit below ours (RLIMIT_NPROC on a small VM) */
			r.rlim_cur = set[i].hard || set[i].cur <= r.rlim_max ?
				     set[i].cur : r.rlim_max / 2;
			if (set[i].hard)
				r.rlim_max = set[i].cur * 2;
			CKPT_SYS(setrlimit(set[i].res, &r));
		}
		for (i = 0; i < RLIM_NLIMITS; i++)
			CKPT_SYS(getrlimit(i, &r0[i]));
		ckpt_self(&self->c);
		for (i = 0; i < RLIM_NLIMITS; i++) {
			CKPT_SYS(getrlimit(i, &r1));
			CKPT_CHECK(r1.rlim_cur == r0[i].rlim_cur &&
				   r1.rlim_max == r0[i].rlim_max,
				   "limit %u: %#lx/%#lx, was %#lx/%#lx", i,
				   (unsigned long)r1.rlim_cur,
				   (unsigned long)r1.rlim_max,
				   (unsigned long)r0[i].rlim_cur,
				   (unsigned long)r0[i].rlim_max);
		}
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* personality(2) flags. */
TEST_F(task, personality)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int p;

		CKPT_SYS(personality(PER_LINUX | ADDR_NO_RANDOMIZE));
		ckpt_self(&self->c);
		p = personality(0xffffffff);
		CKPT_CHECK(p == (PER_LINUX | ADDR_NO_RANDOMIZE), "personality %#x", p);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Copy the lines of /proc/self/status starting with one of @keys. */
static void status_lines(char *out, size_t size)
{
	static const char *const keys[] = {
		"Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:", "CapEff:",
		"CapBnd:", "CapAmb:", "NoNewPrivs:", "Umask:",
	};
	char buf[8192], *line, *save = NULL;
	size_t used = 0;
	unsigned int i;

	out[0] = '\0';
	if (ckpt_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strncmp(line, keys[i], strlen(keys[i])) &&
			    used + strlen(line) + 2 < size)
				used += sprintf(out + used, "%s\n", line);
}

/* As root: ids, groups and capabilities are unchanged (/proc/self/status). */
TEST_F(task, creds_root)
{
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char s0[4096], s1[4096];
		gid_t groups[] = { 0, 4321 };

		CKPT_SYS(setgroups(2, groups));
		status_lines(s0, sizeof(s0));
		ckpt_self(&self->c);
		status_lines(s1, sizeof(s1));
		CKPT_CHECK(!strcmp(s0, s1), "\nbefore:\n%s\nafter:\n%s", s0, s1);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Let unprivileged children reopen the test's files. */
static void share_files(struct ckpt_ctx *c)
{
	fchmod(c->imgfd, 0666);
	fchmod(c->logfd, 0666);
	fchmod(c->outfd, 0666);
}

static int drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return -1;
	return prctl(PR_SET_DUMPABLE, 1);
}

/*
 * A root restarter restores distinct real/effective/saved uids and
 * gids, supplementary groups, and the empty capability sets of a
 * process that dropped root.
 */
TEST_F(task, creds_dropped_restored_by_root)
{
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	share_files(&self->c);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char s0[4096], s1[4096];
		gid_t groups[] = { 1234, 5678 }, got[8];
		uid_t r, e, s;
		gid_t gr, ge, gs;

		CKPT_SYS(chdir("/"));
		CKPT_SYS(setgroups(2, groups));
		CKPT_SYS(setresgid(1001, 1002, 1003));
		CKPT_SYS(setresuid(2001, 2002, 2003));
		CKPT_SYS(prctl(PR_SET_DUMPABLE, 1));
		status_lines(s0, sizeof(s0));
		ckpt_self(&self->c);
		CKPT_SYS(getresuid(&r, &e, &s));
		CKPT_CHECK(r == 2001 && e == 2002 && s == 2003, "uids %u %u %u",
			   r, e, s);
		CKPT_SYS(getresgid(&gr, &ge, &gs));
		CKPT_CHECK(gr == 1001 && ge == 1002 && gs == 1003, "gids %u %u %u",
			   gr, ge, gs);
		CKPT_CHECK(getgroups(8, got) == 2 && got[0] == 1234 &&
			   got[1] == 5678, "groups");
		status_lines(s1, sizeof(s1));
		CKPT_CHECK(!strcmp(s0, s1), "\nbefore:\n%s\nafter:\n%s", s0, s1);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Restart never grants more than the restarter has: an unprivileged
 * process cannot restore an image of a root process (EPERM, as
 * setresuid(2) would say), and is left alive to be told so.
 */
TEST_F(task, unprivileged_restart_of_root_image_refused)
{
	char buf[128];
	pid_t pid;
	int st;

	if (geteuid())
		SKIP(return, "needs root");
	share_files(&self->c);
	ckpt_make_image(_metadata, &self->c);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		long r;

		if (drop_to(65534, 65534))
			_exit(CKPT_EXIT_FAIL);
		r = ckpt_restart_poisoned(self->c.imgfd, RESTART_TASKSELF,
					  self->c.logfd);
		_exit(r < 0 ? ckpt_errno_exit(-r) : 99);
	}
	st = ckpt_wait_exit(pid);
	ASSERT_EQ(CKPT_ERRNO_STATUS(EPERM), st) {
		TH_LOG("unprivileged restart of a root image: %s",
		       ckpt_status_str(st, buf, sizeof(buf)));
		ckpt_show(_metadata, &self->c);
	}
}

/*
 * An unprivileged process checkpoints itself and an unprivileged
 * restarter with the same ids restores it (no privilege needed for
 * RESTART_TASKSELF with one's own credentials).
 */
TEST_F(task, unprivileged_self_restart)
{
	char exe[PATH_MAX];
	ssize_t n;
	pid_t pid;
	int st;

	if (geteuid())
		SKIP(return, "needs root to create an unprivileged process");
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_GT(n, 0);
	exe[n] = '\0';
	share_files(&self->c);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char data[8192];
		int fd;

		CKPT_SYS(chdir("/"));
		CKPT_SYS(drop_to(65534, 65534));
		fd = open(exe, O_RDONLY);
		if (fd < 0)
			_exit(77);	/* the binary is not readable: skip */
		close(fd);
		ckpt_fill(data, sizeof(data), 65534);
		ckpt_self(&self->c);
		CKPT_CHECK(getuid() == 65534 && geteuid() == 65534, "uid");
		CKPT_CHECK(ckpt_verify(data, sizeof(data), 65534) < 0, "data");
		ckpt_restored_ok();
	}
	st = ckpt_wait_exit(pid);
	if (st == 77 << 8)
		SKIP(return, "%.200s is not readable by uid 65534", exe);
	ASSERT_EQ(0, st) ckpt_show(_metadata, &self->c);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		long r;

		if (drop_to(65534, 65534))
			_exit(CKPT_EXIT_FAIL);
		r = ckpt_restart_poisoned(self->c.imgfd, RESTART_TASKSELF,
					  self->c.logfd);
		_exit(r < 0 ? ckpt_errno_exit(-r) : 99);
	}
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
