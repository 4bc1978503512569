// SPDX-License-Identifier: GPL-2.0
/*
 * Errors: bad arguments, targets that cannot be checkpointed, missing
 * rights, and images that are not images, truncated or corrupted.  Each
 * error is the exact errno; a failed checkpoint leaves its target as it
 * was; a rejected image never runs (restart(2) returns the error, or,
 * past the point of no return, the restarting process is killed).
 */
#include <grp.h>
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include "ckpt_test.h"

CKPT_FIXTURE(errors);

static off_t log_size(struct ckpt_ctx *c)
{
	return ckpt_file_size(c->logfd);
}

/* What the kernel logged since offset @before, NUL terminated. */
static const char *log_since(struct ckpt_ctx *c, off_t before, char *buf,
			     size_t size)
{
	ssize_t n = pread(c->logfd, buf, size - 1, before);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* checkpoint(2) flags outside CHECKPOINT_USER_FLAGS: EINVAL. */
TEST_F(errors, checkpoint_bad_flags)
{
	static const unsigned long bad[] = {
		0x8, 0x10, 0x80, 1UL << 31, 1UL << 63, ~0UL,
		~CHECKPOINT_USER_FLAGS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, sys_checkpoint(0, self->c.imgfd, bad[i],
					     self->c.logfd));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags %#lx: %s", bad[i],
						strerror(errno));
	}
}

/* restart(2) flags outside RESTART_USER_FLAGS (reserved ones too): EINVAL. */
TEST_F(errors, restart_bad_flags)
{
	static const unsigned long bad[] = {
		RESTART_TASKSELF | 0x4, RESTART_TASKSELF | 0x8,
		RESTART_TASKSELF | 0x10,
		RESTART_TASKSELF | RESTART_JOIN, RESTART_TASKSELF | 0x100,
		RESTART_TASKSELF | (1UL << 63), ~0UL,
	};
	unsigned int i;
	pid_t pid;
	int st;

	ckpt_make_image(_metadata, &self->c);	/* a good image: only flags are wrong */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
		pid = ckpt_restart_fork(_metadata, &self->c, self->c.imgfd, bad[i]);
		st = ckpt_wait_exit(pid);
		EXPECT_EQ(CKPT_ERRNO_STATUS(EINVAL), st) {
			char buf[128];

			TH_LOG("flags %#lx: %s", bad[i],
			       ckpt_status_str(st, buf, sizeof(buf)));
		}
	}
}

/*
 * Bad image fd or logfd: EBADF (closed, negative, not open for writing);
 * the caller is untouched.
 */
TEST_F(errors, checkpoint_bad_fds)
{
	int ro = open(self->c.img, O_RDONLY);

	ASSERT_GE(ro, 0);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, -1, 0, self->c.logfd));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, 999, 0, self->c.logfd));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, ro, 0, self->c.logfd));
	EXPECT_EQ(EBADF, errno) TH_LOG("image fd open O_RDONLY");
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, self->c.imgfd, 0, 999));
	EXPECT_EQ(EBADF, errno) TH_LOG("logfd not open");
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(0, self->c.imgfd, 0, -2));
	EXPECT_EQ(EBADF, errno) TH_LOG("logfd -2");
	close(ro);
}

/* restart(2) with a bad image fd (closed, negative, write-only) or logfd: EBADF. */
TEST_F(errors, restart_bad_fds)
{
	int wo, st, i;
	pid_t pid;

	ckpt_make_image(_metadata, &self->c);
	wo = open(self->c.img, O_WRONLY);
	ASSERT_GE(wo, 0);
	for (i = 0; i < 4; i++) {
		static const char *const what[] = {
			"fd -1", "fd 999", "O_WRONLY fd", "logfd 999",
		};
		char buf[128];

		ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
		pid = fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			long r = 0;

			switch (i) {
			case 0:
				r = sys_restart(0, -1, RESTART_TASKSELF, self->c.logfd);
				break;
			case 1:
				r = sys_restart(0, 999, RESTART_TASKSELF, self->c.logfd);
				break;
			case 2:
				r = sys_restart(0, wo, RESTART_TASKSELF, self->c.logfd);
				break;
			case 3:
				r = sys_restart(0, self->c.imgfd, RESTART_TASKSELF, 999);
				break;
			}
			_exit(r < 0 ? ckpt_errno_exit(errno) : 99);
		}
		st = ckpt_wait_exit(pid);
		EXPECT_EQ(CKPT_ERRNO_STATUS(EBADF), st)
			TH_LOG("%s: %s", what[i], ckpt_status_str(st, buf, sizeof(buf)));
	}
	close(wo);
}

/* logfd CHECKPOINT_FD_NONE (-1) is valid for both calls. */
TEST_F(errors, logfd_none_accepted)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);
	int st;

	if (pid == 0) {
		long r = sys_checkpoint(0, self->c.imgfd, 0, CHECKPOINT_FD_NONE);

		if (r > 0)
			_exit(0);
		CKPT_CHECK(r == 0, "checkpoint with logfd -1: %s", strerror(errno));
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		long r = ckpt_restart_poisoned(self->c.imgfd, RESTART_TASKSELF,
					       CHECKPOINT_FD_NONE);

		_exit(ckpt_errno_exit(-r));
	}
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, &self->c, st);
}

/* A target that runs (neither frozen nor stopped): EBUSY, and it keeps running. */
TEST_F(errors, target_not_stopped)
{
	atomic_long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	off_t before;
	long seen;
	pid_t pid;
	int i;

	ASSERT_NE(MAP_FAILED, counter);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		for (;;) {
			atomic_fetch_add(counter, 1);
			ckpt_msleep(1);
		}
	}
	for (i = 0; i < 2000 && !atomic_load(counter); i++)
		ckpt_msleep(5);
	ASSERT_NE(0, atomic_load(counter));
	before = log_size(&self->c);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EBUSY, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	seen = atomic_load(counter);
	for (i = 0; i < 2000 && atomic_load(counter) == seen; i++)
		ckpt_msleep(5);
	EXPECT_NE(seen, atomic_load(counter)) TH_LOG("target stopped running");
	EXPECT_NE('T', ckpt_proc_state(pid));
	ckpt_kill(_metadata, pid);
}

/*
 * A stopped target holding a socket: EOPNOTSUPP with a log line naming
 * the descriptor; the target is left stopped and intact (the socket
 * works once it is continued); the partial image does not restart.
 */
TEST_F(errors, target_with_socket)
{
	int sv[2], st, errs[] = { ENOEXEC, ENODATA, EBADMSG, 0 };
	char ch = 'a', log[4096], buf[128];
	off_t before;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = ckpt_fork_keep(_metadata, &self->c, &sv[0], 1);
	if (pid == 0) {
		CKPT_SYS(dup2(sv[0], 37));
		close(sv[0]);
		CKPT_CHECK(read(37, &ch, 1) == 1, "read");
		ch++;
		CKPT_CHECK(write(37, &ch, 1) == 1, "write");
		_exit(0);
	}
	close(sv[0]);
	ASSERT_TRUE(ckpt_wait_blocked(pid, NULL, SYS_read, 20000));
	ckpt_stop(_metadata, pid);
	before = log_size(&self->c);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EOPNOTSUPP, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	log_since(&self->c, before, log, sizeof(log));
	EXPECT_TRUE(ckpt_mentions_number(log, 37))
		TH_LOG("log does not name fd 37: %s", log);
	EXPECT_EQ('T', ckpt_proc_state(pid)) TH_LOG("target not left stopped");

	/* Whatever was written is no image. */
	st = ckpt_restore_path(_metadata, &self->c, self->c.img);
	EXPECT_TRUE(ckpt_rejected(st, errs, true))
		TH_LOG("partial image: %s", ckpt_status_str(st, buf, sizeof(buf)));

	ASSERT_EQ(0, kill(pid, SIGCONT));
	ASSERT_EQ(1, write(sv[1], &ch, 1));
	ASSERT_EQ(1, read(sv[1], &ch, 1));
	EXPECT_EQ('b', ch);
	EXPECT_EQ(0, ckpt_wait_exit(pid));
	close(sv[1]);
}

/*
 * Self-checkpoint of a process holding an unsupported file (@kind:
 * 0 packet-mode pipe, 1 inotify instance with an event not read yet) at
 * fd @fd: EOPNOTSUPP naming the fd and the kind; the process goes on
 * with it.
 */
static void self_unsupported(struct __test_metadata *_metadata,
			     struct ckpt_ctx *c, int kind, int fd)
{
	char log[4096];
	off_t before = log_size(c);
	pid_t pid = ckpt_fork(_metadata, c);
	int st;

	if (pid == 0) {
		uint64_t v = 5;
		int p[2];
		long r;

		if (kind == 0) {
			/* packet mode is a property of the write end */
			CKPT_SYS(pipe2(p, O_DIRECT));
			CKPT_SYS(dup2(p[1], fd));
			CKPT_SYS(dup2(p[0], fd + 1));
			close(p[0]);
			close(p[1]);
		} else {
			int e = CKPT_SYS(inotify_init1(0));

			CKPT_SYS(inotify_add_watch(e, "/", IN_OPEN));
			close(CKPT_SYS(open("/", O_RDONLY | O_DIRECTORY)));
			CKPT_SYS(dup2(e, fd));
			close(e);
		}
		r = sys_checkpoint(0, c->imgfd, 0, c->logfd);
		CKPT_CHECK(r == -1 && errno == EOPNOTSUPP, "checkpoint: %ld (%s)",
			   r, strerror(errno));
		if (kind == 0) {
			CKPT_CHECK(write(fd, "x", 1) == 1, "pipe write");
			CKPT_CHECK(read(fd + 1, &v, 1) == 1, "pipe read");
		} else {
			char buf[sizeof(struct inotify_event) + 256]
				__attribute__((aligned(8)));
			struct inotify_event *ev = (void *)buf;

			CKPT_CHECK(read(fd, buf, sizeof(buf)) == sizeof(*ev) &&
				   ev->mask == (IN_OPEN | IN_ISDIR),
				   "the event is still queued");
		}
		_exit(0);
	}
	st = ckpt_wait_exit(pid);
	ASSERT_EQ(0, st) ckpt_show(_metadata, c);
	EXPECT_GT(log_size(c), before)
		TH_LOG("no reason written to logfd");
	log_since(c, before, log, sizeof(log));
	EXPECT_TRUE(ckpt_mentions_number(log, fd))
		TH_LOG("log does not name fd %d: %s", fd, log);
	EXPECT_NE(NULL, strstr(log, kind ? "inotify" : "packet mode"))
		TH_LOG("log does not name the kind: %s", log);
}

TEST_F(errors, self_with_packet_pipe)
{
	self_unsupported(_metadata, &self->c, 0, 45);
}

TEST_F(errors, self_with_unread_inotify_events)
{
	self_unsupported(_metadata, &self->c, 1, 46);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A multithreaded process cannot checkpoint itself: EBUSY. */
TEST_F(errors, self_multithreaded)
{
	off_t before = log_size(&self->c);
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		pthread_t t;
		long r;

		CKPT_CHECK(!pthread_create(&t, NULL, idle_thread, NULL), "thread");
		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		CKPT_CHECK(r == -1 && errno == EBUSY, "checkpoint: %ld (%s)", r,
			   strerror(errno));
		_exit(0);
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
}

static void *unshared_thread(void *arg)
{
	atomic_int *unshared_ready = arg;

	if (unshare(CLONE_FILES) == 0)
		atomic_store(unshared_ready, 1);
	for (;;)
		pause();
	return NULL;
}

/*
 * A thread with a file table of its own (unshare(CLONE_FILES)) cannot be
 * restored as a thread of its process: EBUSY, naming the thread.
 */
TEST_F(errors, target_thread_with_own_files)
{
	atomic_int *unshared_ready = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char log[1024] = "";
	off_t before;
	pid_t pid;
	int i;

	ASSERT_NE(MAP_FAILED, unshared_ready);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		pthread_t t;

		CKPT_CHECK(!pthread_create(&t, NULL, unshared_thread,
					   unshared_ready), "thread");
		idle_thread(NULL);
	}
	for (i = 0; i < 2000 && !atomic_load(unshared_ready); i++)
		ckpt_msleep(5);
	ASSERT_EQ(1, atomic_load(unshared_ready));
	ckpt_stop(_metadata, pid);
	before = log_size(&self->c);
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(EBUSY, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	pread(self->c.logfd, log, sizeof(log) - 1, before);
	EXPECT_NE(NULL, strstr(log, "has its own file table")) TH_LOG("%s", log);
	EXPECT_EQ('T', ckpt_proc_state(pid));
	ckpt_kill(_metadata, pid);
}

/*
 * A process with a child cannot checkpoint itself without
 * CHECKPOINT_SUBTREE: EBUSY.
 */
TEST_F(errors, self_with_child)
{
	off_t before = log_size(&self->c);
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		pid_t kid = CKPT_SYS(fork());
		long r;

		if (kid == 0) {
			pause();
			_exit(0);
		}
		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		kill(kid, SIGKILL);
		waitpid(kid, NULL, 0);
		CKPT_CHECK(r == -1 && errno == EBUSY, "checkpoint: %ld (%s)", r,
			   strerror(errno));
		_exit(0);
	}
	ASSERT_EQ(0, ckpt_wait_exit(pid)) ckpt_show(_metadata, &self->c);
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
}

/* No such process: ESRCH. */
TEST_F(errors, nonexistent_pid)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(ESRCH, errno) TH_LOG("reaped pid %d: %s", pid, strerror(errno));
	errno = 0;
	EXPECT_EQ(-1, sys_checkpoint(INT_MAX, self->c.imgfd, 0, self->c.logfd));
	EXPECT_EQ(ESRCH, errno) TH_LOG("pid INT_MAX: %s", strerror(errno));
}

/* A stopped target that loops in pause(); @uid >= 0: running as that uid. */
static pid_t paused_target(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, int uid)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		if (uid >= 0) {
			CKPT_SYS(setgroups(0, NULL));
			CKPT_SYS(setresgid(uid, uid, uid));
			CKPT_SYS(setresuid(uid, uid, uid));
			CKPT_SYS(prctl(PR_SET_DUMPABLE, 1));
		}
		for (;;)
			pause();
	}
	return pid;
}

/* checkpoint(@target) from a child running as uid 65534; its result. */
static long checkpoint_as_nobody(struct __test_metadata *_metadata,
				 struct ckpt_ctx *c, pid_t target, int *err)
{
	long *res = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long r;
	pid_t pid;

	if (res == MAP_FAILED)
		return -2;
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(1);
		res[0] = sys_checkpoint(target, c->imgfd, 0, c->logfd);
		res[1] = errno;
		_exit(0);
	}
	if (pid < 0 || ckpt_wait_exit(pid) != 0)
		return -2;
	r = res[0];
	*err = res[1];
	munmap(res, 4096);
	(void)_metadata;
	return r;
}

/*
 * No ptrace rights over the target (unprivileged caller, root-owned
 * target): EPERM, the target left stopped.
 */
TEST_F(errors, no_ptrace_rights)
{
	off_t before;
	pid_t target;
	int err = 0;

	if (geteuid())
		SKIP(return, "needs root");
	target = paused_target(_metadata, &self->c, -1);
	ASSERT_TRUE(ckpt_wait_blocked(target, NULL, SYS_pause, 20000));
	ckpt_stop(_metadata, target);
	before = log_size(&self->c);
	EXPECT_EQ(-1, checkpoint_as_nobody(_metadata, &self->c, target, &err));
	EXPECT_EQ(EPERM, err) TH_LOG("%s", strerror(err));
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	EXPECT_EQ('T', ckpt_proc_state(target));
	ckpt_kill(_metadata, target);
}

/* The same unprivileged caller may checkpoint a target of its own uid. */
TEST_F(errors, ptrace_rights_same_uid)
{
	pid_t target;
	int err = 0;
	long id;

	if (geteuid())
		SKIP(return, "needs root");
	target = paused_target(_metadata, &self->c, 65534);
	ASSERT_TRUE(ckpt_wait_blocked(target, NULL, SYS_pause, 20000));
	ckpt_stop(_metadata, target);
	id = checkpoint_as_nobody(_metadata, &self->c, target, &err);
	EXPECT_GT(id, 0) {
		TH_LOG("checkpoint of own-uid target: %s", strerror(err));
		ckpt_show(_metadata, &self->c);
	}
	ckpt_kill(_metadata, target);
}

/* ---- images that must be refused ---- */

/* Restart from @len bytes at @buf in a child; its wait status. */
static int restart_bytes(struct __test_metadata *_metadata,
			 struct ckpt_ctx *c, const void *buf, size_t len)
{
	static const char *path;

	if (!path)
		path = ckpt_tmp_path(c, "mutant");
	if (ckpt_write_file(path, buf, len, 0600))
		return -1;
	return ckpt_restore_path(_metadata, c, path);
}

#define EXPECT_REFUSED(st, errs, kill_ok, fmt, ...) do {		\
	char __b[128];							\
	int __st = (st);						\
	EXPECT_TRUE(ckpt_rejected(__st, errs, kill_ok))			\
		TH_LOG(fmt ": restart %s", ##__VA_ARGS__,		\
		       ckpt_status_str(__st, __b, sizeof(__b)));	\
} while (0)

/* Not an image at all: ENOEXEC. */
TEST_F(errors, garbage_image)
{
	static const int enoexec[] = { ENOEXEC, 0 };
	static uint64_t junk[1024];
	const char *text = "#!/bin/sh\necho this is not a checkpoint image\n";
	off_t before;
	int i;

	for (i = 0; i < 1024; i++)
		junk[i] = ckpt_pattern(0xbad, i);
	before = log_size(&self->c);
	EXPECT_REFUSED(restart_bytes(_metadata, &self->c, junk, sizeof(junk)),
		       enoexec, false, "random bytes");
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	EXPECT_REFUSED(restart_bytes(_metadata, &self->c, text, strlen(text)),
		       enoexec, false, "a shell script");
}

/* Load the image of ckpt_make_image() (which restarts fine). */
static char *good_image(struct __test_metadata *_metadata, struct ckpt_ctx *c,
			size_t *len)
{
	char *img;

	ckpt_make_image(_metadata, c);
	img = ckpt_load(c->img, len);
	if (!img)
		return NULL;
	if (*len < sizeof(struct ckpt_hdr_header) + sizeof(struct ckpt_hdr_tail))
		return NULL;
	return img;
}

/* A fresh good image in *@img and its first record of @type, or NULL. */
static void *good_record(struct __test_metadata *_metadata, struct ckpt_ctx *c,
			 char **img, size_t *len, uint32_t type)
{
	ssize_t off;

	*img = good_image(_metadata, c, len);
	if (!*img)
		return NULL;
	off = ckpt_record_offset(*img, *len, -1, type);
	return off < 0 ? NULL : *img + off;
}

/* A header field changed: @off, new bytes @val of size @size. */
static int restart_patched(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, const char *img, size_t len,
			   size_t off, const void *val, size_t size)
{
	char *copy = malloc(len);
	int st;

	if (!copy)
		return -1;
	memcpy(copy, img, len);
	memcpy(copy + off, val, size);
	st = restart_bytes(_metadata, c, copy, len);
	free(copy);
	return st;
}

/*
 * The header identifies what the image is for: a wrong magic, format
 * version, architecture or vDSO, padding that is not zero or a kernel
 * name that is not a string is ENOEXEC.  Another kernel release string
 * alone is not: the release is for people, the vDSO decides.
 */
TEST_F(errors, header_mismatch)
{
	static const int enoexec[] = { ENOEXEC, 0 };
	uint32_t v32;
	uint64_t v64;
	size_t len;
	off_t before;
	char *img = good_image(_metadata, &self->c, &len);
	char rel[CKPT_UTS_LEN];

	ASSERT_NE(NULL, img);
	before = log_size(&self->c);
	v64 = CKPT_MAGIC_HEAD ^ 1;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, magic),
				       &v64, 8), enoexec, false, "magic");
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	v32 = CKPT_VERSION + 1;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, version),
				       &v32, 4), enoexec, false, "version %u", v32);
	v32 = 0;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, version),
				       &v32, 4), enoexec, false, "version 0");
	v32 = 1;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, _pad2),
				       &v32, 1), enoexec, false, "padding");
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, _pad3),
				       &v32, 4), enoexec, false, "_pad3");
	v32 = CKPT_ARCH_X86_64 + 1;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, arch),
				       &v32, 4), enoexec, false, "arch");
	memcpy(&v64, img + offsetof(struct ckpt_hdr_header, vdso_sum), 8);
	v64 ^= 1;
	before = log_size(&self->c);
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, vdso_sum),
				       &v64, 8), enoexec, false, "vDSO hash");
	{
		char log[512];

		EXPECT_NE(NULL, strstr(log_since(&self->c, before, log,
						 sizeof(log)), "another vDSO"))
			TH_LOG("log: %s", log);
	}
	memcpy(&v32, img + offsetof(struct ckpt_hdr_header, vdso_size), 4);
	v32 += 4096;
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, vdso_size),
				       &v32, 4), enoexec, false, "vDSO size");
	memset(rel, 'x', sizeof(rel));
	EXPECT_REFUSED(restart_patched(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, release),
				       rel, sizeof(rel)), enoexec, false,
		       "unterminated release");
	/* resealed: the checksum would catch the change at the end */
	img[offsetof(struct ckpt_hdr_header, release)] ^= 1;
	ckpt_reseal(img, len);
	ckpt_expect_restored(_metadata, &self->c,
			     restart_bytes(_metadata, &self->c, img, len));
	free(img);
}

/*
 * Truncated images (inside the header, after the header, in the middle,
 * without the tail, in the tail): ENODATA or EBADMSG, or SIGKILL past
 * the point of no return; never a running process.  The intact image
 * still restores afterwards.
 */
TEST_F(errors, truncated_image)
{
	static const int errs[] = { ENODATA, EBADMSG, 0 };
	size_t len, hdr, cuts[6];
	char *img = good_image(_metadata, &self->c, &len);
	unsigned int i;
	off_t before;
	int st;

	ASSERT_NE(NULL, img);
	hdr = ckpt_padded(((struct ckpt_hdr *)img)->len);
	cuts[0] = 16;
	cuts[1] = hdr;
	cuts[2] = hdr + 8;
	cuts[3] = (len / 2) & ~7UL;
	cuts[4] = len - sizeof(struct ckpt_hdr_tail);
	cuts[5] = len - 8;
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		before = log_size(&self->c);
		EXPECT_REFUSED(restart_bytes(_metadata, &self->c, img, cuts[i]),
			       errs, true, "cut at %zu of %zu", cuts[i], len);
		EXPECT_GT(log_size(&self->c), before)
			TH_LOG("no reason written to logfd");
	}
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
	free(img);
}

/* Restart a copy of @img with byte @off XORed with @x. */
static int restart_flipped(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, const char *img, size_t len,
			   size_t off, unsigned char x)
{
	unsigned char b = img[off] ^ x;

	return restart_patched(_metadata, c, img, len, off, &b, 1);
}

/*
 * One byte changed in places no field check sees (header time, page
 * data, the tail's checksum and magic): the checksum catches it
 * (EBADMSG, or SIGKILL past the point of no return).
 */
TEST_F(errors, corrupted_byte_caught_by_checksum)
{
	static const int errs[] = { EBADMSG, 0 };
	size_t len, tail, off;
	char *img = good_image(_metadata, &self->c, &len);
	const struct ckpt_hdr_pages *pg = NULL;
	const struct ckpt_hdr *h;
	struct ckpt_iter it;
	int st;

	ASSERT_NE(NULL, img);
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       offsetof(struct ckpt_hdr_header, time), 0x01),
		       errs, true, "header time");
	ckpt_iter_init(&it, img, len);
	while ((h = ckpt_iter_next(&it))) {
		if (h->type == CKPT_HDR_PAGES &&
		    ((const struct ckpt_hdr_pages *)h)->nr_pages) {
			pg = (const void *)h;
			break;
		}
	}
	ASSERT_NE(NULL, pg) TH_LOG("no PAGES record with pages");
	off = (const char *)pg - img + sizeof(*pg) + pg->nr_pages * 8 + 100;
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len, off, 0x10),
		       errs, true, "page data at %zu", off);
	off = (const char *)pg - img + sizeof(*pg) + pg->nr_pages * 4096 +
	      pg->nr_pages * 8 - 1;
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len, off, 0x80),
		       errs, true, "last byte of page data at %zu", off);
	tail = len - sizeof(struct ckpt_hdr_tail);
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       tail + offsetof(struct ckpt_hdr_tail, sum1), 0x04),
		       errs, true, "tail sum1");
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       tail + offsetof(struct ckpt_hdr_tail, sum2) + 7, 0x40),
		       errs, true, "tail sum2");
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       tail + offsetof(struct ckpt_hdr_tail, magic), 0x20),
		       errs, true, "tail magic");
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       tail + offsetof(struct ckpt_hdr_tail, nbytes), 0x08),
		       errs, true, "tail nbytes");
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
	free(img);
}

/*
 * A malformed record early in the stream (before anything is replaced):
 * restart(2) returns EBADMSG.  The TREE record's type, the TASK record's
 * length, an exit code in the TASK record of a task that was alive, an
 * rseq area rseq(2) would refuse (misaligned, or a length without one).
 */
TEST_F(errors, malformed_early_record)
{
	static const int ebadmsg[] = { EBADMSG, 0 };
	size_t len;
	ssize_t off;
	char *img = good_image(_metadata, &self->c, &len);
	off_t before;

	ASSERT_NE(NULL, img);
	off = ckpt_record_offset(img, len, -1, CKPT_HDR_TREE);
	ASSERT_GT(off, 0);
	before = log_size(&self->c);
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len, off + 1, 0x80),
		       ebadmsg, false, "TREE type");
	EXPECT_GT(log_size(&self->c), before)
		TH_LOG("no reason written to logfd");
	off = ckpt_record_offset(img, len, -1, CKPT_HDR_TASK);
	ASSERT_GT(off, 0);
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       off + offsetof(struct ckpt_hdr, len), 0x08),
		       ebadmsg, false, "TASK len");
	off = ckpt_record_offset(img, len, -1, CKPT_HDR_TASK);
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       off + offsetof(struct ckpt_hdr_task, exit_code), 0x01),
		       ebadmsg, false, "TASK exit code of a live task");
	EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
				       off + offsetof(struct ckpt_hdr_task, rseq), 0x04),
		       ebadmsg, false, "TASK rseq area");
	free(img);
}

/*
 * Every record (sampled, at most 24) with an unknown type: refused
 * (EBADMSG, or SIGKILL past the point of no return).
 */
TEST_F(errors, every_record_type_checked)
{
	static const int errs[] = { EBADMSG, 0 };
	size_t len;
	char *img = good_image(_metadata, &self->c, &len);
	int n, i, step, st;

	ASSERT_NE(NULL, img);
	n = ckpt_count_records(img, len);
	ASSERT_GT(n, 3);
	step = n > 24 ? (n + 23) / 24 : 1;
	for (i = 1; i < n; i += step) {
		ssize_t off = ckpt_record_offset(img, len, i, -1);
		uint32_t type;

		ASSERT_GE(off, 0);
		type = ((struct ckpt_hdr *)(img + off))->type;
		EXPECT_REFUSED(restart_flipped(_metadata, &self->c, img, len,
					       off + 1, 0x80),
			       errs, true, "record %d (type %u) at %zd", i, type, off);
	}
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
	free(img);
}

/*
 * An image whose XSAVE state holds a feature this CPU lacks (bit 62,
 * which no CPU has) is refused with EOPNOTSUPP before anything changes:
 * the restarting process survives, the log says which features.
 */
TEST_F(errors, xstate_feature_missing_refused)
{
	static const int eopnotsupp[] = { EOPNOTSUPP, 0 };
	struct ckpt_hdr_xstate *xs;
	uint64_t *hdr_feat;
	char log[4096], *img;
	size_t len;
	off_t before;

	xs = good_record(_metadata, &self->c, &img, &len, CKPT_HDR_XSTATE);
	ASSERT_NE(NULL, xs) TH_LOG("no XSTATE record");
	ASSERT_TRUE(xs->size >= 512 + 64);
	/* the record's copy and the XSAVE header's must agree */
	hdr_feat = (uint64_t *)(xs->data + 512);
	ASSERT_EQ(xs->xfeatures, *hdr_feat);
	xs->xfeatures |= 1ull << 62;
	*hdr_feat |= 1ull << 62;
	before = log_size(&self->c);
	EXPECT_REFUSED(restart_bytes(_metadata, &self->c, img, len),
		       eopnotsupp, false, "xfeature 62");
	log_since(&self->c, before, log, sizeof(log));
	EXPECT_NE(NULL, strstr(log, "lacks")) TH_LOG("log: %s", log);
	free(img);
}

/*
 * TLS descriptors are checked as set_thread_area() makes them: one the
 * CPU would have to mark accessed in the read-only GDT is refused
 * (EBADMSG, before anything changed); with the accessed bit the same
 * descriptor restores and the process runs.
 */
TEST_F(errors, tls_descriptor_checked)
{
	static const int ebadmsg[] = { EBADMSG, 0 };
	/* base 0, limit 4 GiB, present, DPL 3, 32-bit, data read/write */
	const uint64_t d = 0xffffULL | 2ULL << 40 | 1ULL << 44 | 3ULL << 45 |
			   1ULL << 47 | 0xfULL << 48 | 1ULL << 54 | 1ULL << 55;
	struct ckpt_hdr_cpu *cpu;
	size_t len;
	char *img;
	int st;

	cpu = good_record(_metadata, &self->c, &img, &len, CKPT_HDR_CPU);
	ASSERT_NE(NULL, cpu) TH_LOG("no CPU record");
	cpu->tls[1] = d;
	ckpt_reseal(img, len);
	EXPECT_REFUSED(restart_bytes(_metadata, &self->c, img, len), ebadmsg,
		       false, "TLS descriptor without the accessed bit");
	cpu->tls[1] = d | 1ULL << 40;
	ckpt_reseal(img, len);
	st = restart_bytes(_metadata, &self->c, img, len);
	ckpt_expect_restored(_metadata, &self->c, st);
	free(img);
}

/*
 * A file of the image that is gone by restart (an open fd's, a mapped
 * file's): ENOENT, naming the path, before anything changed; put back,
 * the same image restores.
 */
TEST_F(errors, file_gone_is_enoent)
{
	static const int enoent[] = { ENOENT, 0 };
	const char *opened = ckpt_tmp_path(&self->c, "opened");
	const char *mapped = ckpt_tmp_path(&self->c, "mapped");
	const char *aside = ckpt_tmp_path(&self->c, "aside");
	const char *const gone[] = { opened, mapped };
	char log[512];
	unsigned int i;
	off_t before;
	pid_t pid;
	int st;

	ASSERT_EQ(0, ckpt_write_file(opened, "open", 4, 0600));
	ASSERT_EQ(0, ckpt_write_file(mapped, "mapped", 6, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fd = open(opened, O_RDONLY), mfd = open(mapped, O_RDONLY);
		char *m;

		CKPT_CHECK(fd >= 0 && mfd >= 0, "open");
		m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, mfd, 0);
		CKPT_CHECK(m != MAP_FAILED && !close(mfd), "mmap");
		ckpt_self(&self->c);
		CKPT_CHECK(!memcmp(m, "mapped", 6), "mapping");
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	for (i = 0; i < ARRAY_SIZE(gone); i++) {
		ASSERT_EQ(0, rename(gone[i], aside));
		before = log_size(&self->c);
		EXPECT_REFUSED(ckpt_restore_fd(_metadata, &self->c, self->c.imgfd),
			       enoent, false, "%s gone", gone[i]);
		log_since(&self->c, before, log, sizeof(log));
		EXPECT_NE(NULL, strstr(log, gone[i])) TH_LOG("log: %s", log);
		ASSERT_EQ(0, rename(aside, gone[i]));
	}
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

/* restart(2) in a multithreaded caller is refused (EBUSY), the caller lives. */
TEST_F(errors, restart_multithreaded_caller)
{
	pid_t pid;
	int st;

	ckpt_make_image(_metadata, &self->c);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		pthread_t t;
		long r;

		if (pthread_create(&t, NULL, idle_thread, NULL))
			_exit(CKPT_EXIT_FAIL);
		r = sys_restart(0, self->c.imgfd, RESTART_TASKSELF, self->c.logfd);
		_exit(r < 0 ? ckpt_errno_exit(errno) : 99);
	}
	st = ckpt_wait_exit(pid);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EBUSY), st) {
		char buf[128];

		TH_LOG("restart from a multithreaded process: %s",
		       ckpt_status_str(st, buf, sizeof(buf)));
	}
}

TEST_HARNESS_MAIN
