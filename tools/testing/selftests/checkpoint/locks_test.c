// SPDX-License-Identifier: GPL-2.0
/*
 * File locks: flock, POSIX and OFD locks held before a checkpoint are
 * held after restart, with their ranges and types, by the restored
 * process (it can drop them); leases come back and break as before; a
 * lock another process took in between fails the restart with EAGAIN
 * and leaves the image usable.
 */
#define _GNU_SOURCE
#include <sys/file.h>
#include "ckpt_test.h"

CKPT_FIXTURE(locks);

/* The locks the target holds on "locked", as another process sees them. */
struct probe {
	short type;		/* F_GETLK's answer for a write lock */
	pid_t pid;		/* and its l_pid */
};

static void getlk(int fd, int cmd, off_t start, off_t len, struct probe *p)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	CKPT_SYS(fcntl(fd, cmd, &fl));
	p->type = fl.l_type;
	p->pid = fl.l_pid;
}

/*
 * In a new child (another owner, another open file): is everything
 * @holder took locked, and the rest free?  Exits 0 if so; checks in
 * the child print what differs.
 */
static void probe_locks(const char *path, pid_t holder, bool posix_held)
{
	pid_t pid = fork();
	struct probe p;
	int fd, st;

	CKPT_CHECK(pid >= 0, "fork");
	if (pid == 0) {
		fd = CKPT_SYS(open(path, O_RDWR));
		CKPT_CHECK(flock(fd, LOCK_SH | LOCK_NB) == -1 &&
			   errno == EWOULDBLOCK, "flock LOCK_EX not held");
		getlk(fd, F_GETLK, 0, 100, &p);
		if (posix_held)
			CKPT_CHECK(p.type == F_WRLCK && p.pid == holder,
				   "POSIX write lock 0-99: type %d pid %d, holder %d",
				   p.type, p.pid, holder);
		else
			CKPT_CHECK(p.type == F_UNLCK,
				   "POSIX lock 0-99 still held: type %d", p.type);
		getlk(fd, F_OFD_GETLK, 100, 50, &p);
		CKPT_CHECK(p.type == F_WRLCK && p.pid == -1,
			   "OFD write lock 100-149: type %d pid %d", p.type,
			   p.pid);
		getlk(fd, F_GETLK, 150, 50, &p);
		CKPT_CHECK(p.type == F_UNLCK, "150-199 locked: type %d",
			   p.type);
		/* the read lock to EOF: readers pass, writers far out do not */
		getlk(fd, F_GETLK, 1 << 30, 1, &p);
		CKPT_CHECK(p.type == (posix_held ? F_RDLCK : F_UNLCK),
			   "POSIX read lock from 200 to EOF: type %d", p.type);
		_exit(0);
	}
	CKPT_CHECK(waitpid(pid, &st, 0) == pid && st == 0,
		   "lock probe status 0x%x", st);
}

static void take_locks(const char *path, int fds[3])
{
	struct flock wr = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 100 };
	struct flock rd = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
			    .l_start = 200, .l_len = 0 };
	struct flock ofd = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			     .l_start = 100, .l_len = 50 };
	int i;

	for (i = 0; i < 3; i++)
		fds[i] = CKPT_SYS(open(path, O_RDWR | O_CREAT, 0600));
	CKPT_SYS(flock(fds[0], LOCK_EX));
	CKPT_SYS(fcntl(fds[1], F_SETLK, &wr));
	CKPT_SYS(fcntl(fds[1], F_SETLK, &rd));
	CKPT_SYS(fcntl(fds[2], F_OFD_SETLK, &ofd));
}

/*
 * flock LOCK_EX on one open file, a POSIX write lock on 0-99 and a read
 * lock from 200 to the end on a second, an OFD write lock on 100-149 on
 * a third: all held after restart, by the restored process, which can
 * unlock its POSIX locks (they belong to its new fd table).
 */
TEST_F(locks, flock_posix_ofd_locks_held_after_restart)
{
	const char *path = ckpt_tmp_path(&self->c, "locked");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		struct flock un = { .l_type = F_UNLCK, .l_whence = SEEK_SET };
		int fds[3];

		take_locks(path, fds);
		probe_locks(path, getpid(), true);
		ckpt_self(&self->c);
		probe_locks(path, getpid(), true);
		CKPT_SYS(fcntl(fds[1], F_SETLK, &un));
		probe_locks(path, getpid(), false);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static volatile sig_atomic_t sigio;

static void on_sigio(int sig)
{
	(void)sig;
	sigio++;
}

/*
 * A read lease and a write lease, each file open by the process alone:
 * after restart F_GETLEASE reads them back, and an open of the second
 * file by another process (without waiting) breaks the write lease,
 * which the restored process learns by SIGIO.
 */
TEST_F(locks, leases_held_and_broken_after_restart)
{
	char rpath[256], wpath[256];
	pid_t pid;

	snprintf(rpath, sizeof(rpath), "%s", ckpt_tmp_path(&self->c, "rlease"));
	snprintf(wpath, sizeof(wpath), "%s", ckpt_tmp_path(&self->c, "wlease"));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int r = CKPT_SYS(open(rpath, O_RDONLY | O_CREAT, 0600));
		int w = CKPT_SYS(open(wpath, O_RDWR | O_CREAT, 0600));
		int i, st;
		pid_t opener;

		CKPT_SYS(signal(SIGIO, on_sigio) == SIG_ERR ? -1 : 0);
		CKPT_SYS(fcntl(r, F_SETLEASE, F_RDLCK));
		CKPT_SYS(fcntl(w, F_SETLEASE, F_WRLCK));
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(r, F_GETLEASE) == F_RDLCK, "read lease %d",
			   fcntl(r, F_GETLEASE));
		CKPT_CHECK(fcntl(w, F_GETLEASE) == F_WRLCK, "write lease %d",
			   fcntl(w, F_GETLEASE));
		CKPT_CHECK(fcntl(w, F_GETOWN) == getpid(), "owner %d",
			   fcntl(w, F_GETOWN));
		opener = CKPT_SYS(fork());
		if (opener == 0)
			_exit(open(wpath, O_RDONLY | O_NONBLOCK) < 0 &&
			      errno == EWOULDBLOCK ? 0 : 1);
		CKPT_SYS(waitpid(opener, &st, 0));
		CKPT_CHECK(WIFEXITED(st) && !WEXITSTATUS(st),
			   "the open did not wait for the lease: 0x%x", st);
		for (i = 0; i < 500 && !sigio; i++)
			usleep(10000);
		CKPT_CHECK(sigio, "no SIGIO for the lease break");
		CKPT_SYS(fcntl(w, F_SETLEASE, F_UNLCK));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Restore with @fd holding a conflicting lock: EAGAIN, @kind in the log. */
static void restore_blocked(struct __test_metadata *_metadata,
			    struct ckpt_ctx *c, const char *kind)
{
	char log[4096];
	int st;

	ASSERT_EQ(0, ftruncate(c->logfd, 0));
	st = ckpt_restore_fd(_metadata, c, c->imgfd);
	EXPECT_TRUE(WIFEXITED(st) &&
		    WEXITSTATUS(st) == ckpt_errno_exit(EAGAIN))
		TH_LOG("restart against a held %s lock: status 0x%x", kind, st);
	ASSERT_LT(0, ckpt_read_file(c->log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, kind)) TH_LOG("log: %s", log);
}

/*
 * A conflicting flock, then a conflicting POSIX lock, taken while the
 * target is gone: restart fails with EAGAIN before it changes anything,
 * says which lock, and works once the lock is dropped.
 */
TEST_F(locks, conflicting_lock_fails_restart_with_eagain)
{
	const char *path = ckpt_tmp_path(&self->c, "locked");
	struct flock rd = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
			    .l_start = 50, .l_len = 1 };
	pid_t pid = ckpt_fork(_metadata, &self->c);
	int fd, st;

	if (pid == 0) {
		int fds[3];

		take_locks(path, fds);
		ckpt_self(&self->c);
		probe_locks(path, getpid(), true);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	fd = open(path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, flock(fd, LOCK_SH | LOCK_NB));
	restore_blocked(_metadata, &self->c, "flock");
	ASSERT_EQ(0, flock(fd, LOCK_UN));
	ASSERT_EQ(0, fcntl(fd, F_SETLK, &rd));
	restore_blocked(_metadata, &self->c, "POSIX");
	close(fd);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
