// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libckpt - a process checkpoints itself through checkpoint(2).
 *
 * Everything on the way of ckpt_checkpoint_self() is async-signal-safe:
 * system calls, fixed buffers, no stdio, no malloc, no locks.  The
 * kernel version check that ckpt.h makes (uname, getenv) runs once, in
 * a constructor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "../ckpt.h"
#include "libckpt.h"

#define CKPT_LIB_PATH_MAX	4096
#define CKPT_LIB_TREE_MAX	4096

static char last_error[512];
static int syscalls_usable = -1;
/* a checkpoint is under way: one from a signal handler must not nest */
static volatile sig_atomic_t busy;

static struct {
	void (*fn)(void *arg);
	void *arg;
} hooks[3][CKPT_HOOKS_MAX];
static int nr_hooks[3];

__attribute__((constructor)) static void ckpt_lib_init(void)
{
	syscalls_usable = ckpt_syscalls_usable();
}

/* ---- async-signal-safe strings ---- */

static size_t put_str(char *buf, size_t n, size_t at, const char *s)
{
	while (*s && at + 1 < n)
		buf[at++] = *s++;
	if (n)
		buf[at < n ? at : n - 1] = '\0';
	return at;
}

static size_t put_uint(char *buf, size_t n, size_t at, unsigned long v)
{
	char tmp[24];
	int i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = '0' + v % 10;
		v /= 10;
	} while (v && i > 0);
	return put_str(buf, n, at, tmp + i);
}

/* "@what: errno N" as the last error; errno is kept. */
static void set_error(const char *what, int err)
{
	size_t at = put_str(last_error, sizeof(last_error), 0, what);

	at = put_str(last_error, sizeof(last_error), at, ": errno ");
	put_uint(last_error, sizeof(last_error), at, err);
}

/* The kernel's explanation, if it wrote one to @logfd. */
static void take_log(int logfd)
{
	ssize_t n;

	if (logfd < 0)
		return;
	n = pread(logfd, last_error, sizeof(last_error) - 1, 0);
	if (n <= 0)
		return;
	while (n > 0 && (last_error[n - 1] == '\n' || last_error[n - 1] == '\0'))
		n--;
	last_error[n] = '\0';
	/* the first line says it; a log may hold more */
	for (ssize_t i = 0; i < n; i++)
		if (last_error[i] == '\n')
			last_error[i] = '\0';
}

const char *ckpt_last_error(void)
{
	return last_error;
}

int ckpt_hook(enum ckpt_hook_when when, void (*fn)(void *arg), void *arg)
{
	if ((unsigned int)when > CKPT_HOOK_RESTART || !fn) {
		errno = EINVAL;
		return -1;
	}
	if (nr_hooks[when] == CKPT_HOOKS_MAX) {
		errno = ENOSPC;
		return -1;
	}
	hooks[when][nr_hooks[when]].fn = fn;
	hooks[when][nr_hooks[when]].arg = arg;
	nr_hooks[when]++;
	return 0;
}

static void run_hooks(enum ckpt_hook_when when)
{
	int i, n = nr_hooks[when];

	if (when == CKPT_HOOK_BEFORE)
		for (i = n - 1; i >= 0; i--)
			hooks[when][i].fn(hooks[when][i].arg);
	else
		for (i = 0; i < n; i++)
			hooks[when][i].fn(hooks[when][i].arg);
}

/* ---- CKPT_SELF_TREE: stop the descendants for the checkpoint ---- */

struct tree {
	pid_t pid[CKPT_LIB_TREE_MAX];
	bool was_stopped[CKPT_LIB_TREE_MAX];
	int nr;
};

static struct tree tree;

/* /proc/@pid/stat's state letter, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;

	put_uint(path, sizeof(path), put_str(path, sizeof(path), 0, "/proc/"),
		 pid);
	put_str(path, sizeof(path), strlen(path), "/stat");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (ssize_t i = n - 1; i > 0; i--)	/* after the last ')' */
		if (buf[i] == ')')
			return i + 2 < n ? buf[i + 2] : 0;
	return 0;
}

static int wait_stopped(pid_t pid)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < 5000; i++) {
		char s = proc_state(pid);

		if (s == 'T' || s == 't' || s == 'Z' || !s)
			return 0;
		nanosleep(&ms, NULL);
	}
	errno = EBUSY;
	return -1;
}

/* Append @kid to the tree. */
static int add_kid(pid_t kid)
{
	if (tree.nr == CKPT_LIB_TREE_MAX) {
		errno = E2BIG;
		return -1;
	}
	tree.was_stopped[tree.nr] = false;
	tree.pid[tree.nr++] = kid;
	return 0;
}

/* Add the pids listed in /proc/.../children, read to its end. */
static int add_listed(int fd)
{
	static char buf[4096];
	pid_t kid = 0;
	bool digits = false;
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				kid = kid * 10 + buf[i] - '0';
				digits = true;
			} else if (digits) {
				if (add_kid(kid))
					return -1;
				kid = 0;
				digits = false;
			}
		}
	}
	if (n < 0)
		return -1;
	return digits ? add_kid(kid) : 0;
}

/* Append the children of every thread of @pid to the tree. */
static int add_children(pid_t pid)
{
	static char dents[4096];
	char dir[64], path[128];
	long nd;
	int dfd, err;

	put_uint(dir, sizeof(dir), put_str(dir, sizeof(dir), 0, "/proc/"), pid);
	put_str(dir, sizeof(dir), strlen(dir), "/task");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	while ((nd = syscall(SYS_getdents64, dfd, dents, sizeof(dents))) > 0) {
		for (long off = 0; off < nd;) {
			struct {
				unsigned long long ino;
				long long off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(dents + off);
			size_t len;
			int fd, err;

			off += d->reclen;
			if (d->name[0] < '0' || d->name[0] > '9')
				continue;
			len = put_str(path, sizeof(path), 0, dir);
			len = put_str(path, sizeof(path), len, "/");
			put_str(path, sizeof(path), len, d->name);
			put_str(path, sizeof(path), strlen(path), "/children");
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;	/* the thread is gone */
			err = add_listed(fd);
			close(fd);
			if (err) {
				err = errno;
				close(dfd);
				errno = err;
				return -1;
			}
		}
	}
	err = nd < 0 ? errno : 0;
	close(dfd);
	errno = err;
	return nd < 0 ? -1 : 0;
}

static void continue_tree(void)
{
	for (int i = tree.nr - 1; i >= 0; i--)
		if (!tree.was_stopped[i])
			kill(tree.pid[i], SIGCONT);
	tree.nr = 0;
}

/*
 * Stop every descendant, parents first, each before its children are
 * read, so that none is forked behind our back.
 */
static int stop_tree(void)
{
	int i;

	tree.nr = 0;
	if (add_children(getpid()))
		return -1;
	for (i = 0; i < tree.nr; i++) {
		char s = proc_state(tree.pid[i]);

		tree.was_stopped[i] = s == 'T' || s == 't';
		if (!tree.was_stopped[i] && kill(tree.pid[i], SIGSTOP) &&
		    errno != ESRCH)
			goto fail;
		if (wait_stopped(tree.pid[i]) || add_children(tree.pid[i]))
			goto fail;
	}
	return 0;
fail:
	tree.nr = i + 1;	/* those after it were never stopped */
	i = errno;
	continue_tree();
	errno = i;
	return -1;
}

/* ---- the checkpoint ---- */

/*
 * Checkpoint to @fd.  Returns what ckpt_checkpoint_self() returns; in
 * the process that goes on, *@written tells if the image was written.
 */
static int checkpoint_to(int fd, unsigned int flags, bool *written)
{
	unsigned long kflags = 0;
	int logfd, err;
	long r;

	*written = false;
	if (flags & ~CKPT_SELF_TREE) {
		set_error("unknown flags", EINVAL);
		errno = EINVAL;
		return -1;
	}
	if (syscalls_usable < 0)	/* a constructor ran before ours */
		syscalls_usable = ckpt_syscalls_usable();
	if (!syscalls_usable) {
		set_error("checkpoint(2) is not usable on this kernel", ENOSYS);
		errno = ENOSYS;
		return -1;
	}
	if ((flags & CKPT_SELF_TREE) && stop_tree()) {
		err = errno;
		set_error("stopping the descendants", err);
		errno = err;
		return -1;
	}
	if (flags & CKPT_SELF_TREE)
		kflags |= CHECKPOINT_SUBTREE;
	/* those we stopped only for the checkpoint restart running */
	for (int i = 0; i < tree.nr; i++)
		if (!tree.was_stopped[i])
			kflags |= CHECKPOINT_RUNNING;
	last_error[0] = '\0';
	/* the log and the image are left out of the image by the kernel */
	logfd = syscall(SYS_memfd_create, "ckpt-log", 1U /* MFD_CLOEXEC */);
	r = syscall(__NR_checkpoint, 0, fd, kflags, logfd);
	if (r == 0)
		return CKPT_RESTARTED;	/* not the same fds: touch none */
	err = errno;
	if (flags & CKPT_SELF_TREE)
		continue_tree();
	if (r < 0) {
		set_error("checkpoint(2)", err);
		take_log(logfd);
	}
	if (logfd >= 0)
		close(logfd);
	if (r < 0) {
		errno = err;
		return -1;
	}
	*written = true;
	return CKPT_CHECKPOINTED;
}

/* The nested call of a signal handler during a checkpoint: refused. */
static int nested(void)
{
	set_error("a checkpoint is already under way", EBUSY);
	errno = EBUSY;
	return -1;
}

int ckpt_checkpoint_self_fd(int fd, unsigned int flags)
{
	int saved = errno, ret, err;
	bool written;

	if (busy)
		return nested();
	busy = 1;
	run_hooks(CKPT_HOOK_BEFORE);
	ret = checkpoint_to(fd, flags, &written);
	err = errno;
	run_hooks(ret == CKPT_RESTARTED ? CKPT_HOOK_RESTART : CKPT_HOOK_AFTER);
	busy = 0;
	errno = ret < 0 ? err : saved;
	return ret;
}

/* fsync the directory of @path, so the rename is on disk too. */
static int sync_dir(const char *path)
{
	char dir[CKPT_LIB_PATH_MAX];
	size_t len = strlen(path), slash = len;
	int fd, ret;

	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	if (!slash) {
		dir[0] = '.';
		dir[1] = '\0';
	} else {
		memcpy(dir, path, slash);
		dir[slash] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int ckpt_checkpoint_self(const char *path, unsigned int flags)
{
	static char tmp[CKPT_LIB_PATH_MAX];
	int saved = errno, fd, ret, err = 0;
	const char *step = NULL;
	bool written;
	size_t len;

	len = path ? strlen(path) : 0;
	if (!len || len + sizeof(".tmp") > sizeof(tmp)) {
		err = len ? ENAMETOOLONG : EINVAL;
		set_error("bad image path", err);
		errno = err;
		return -1;
	}
	if (busy)
		return nested();
	busy = 1;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmp", sizeof(".tmp"));

	run_hooks(CKPT_HOOK_BEFORE);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		err = errno;
		set_error("creating the image", err);
		ret = -1;
		goto out;
	}
	ret = checkpoint_to(fd, flags, &written);
	err = errno;
	if (ret == CKPT_RESTARTED)
		goto out;	/* fd is no open file here */
	if (written && fsync(fd))
		step = "writing the image to disk";
	if (close(fd) && !step && written)
		step = "closing the image";
	if (written && !step && rename(tmp, path))
		step = "renaming the image into place";
	/* the image is in place: a directory that will not sync is no failure */
	if (written && !step)
		sync_dir(path);
	if (step) {
		err = errno;
		set_error(step, err);
		ret = -1;
	}
	if (ret < 0)
		unlink(tmp);	/* the old image, if any, stays */
out:
	run_hooks(ret == CKPT_RESTARTED ? CKPT_HOOK_RESTART : CKPT_HOOK_AFTER);
	busy = 0;
	errno = ret < 0 ? err : saved;
	return ret;
}
