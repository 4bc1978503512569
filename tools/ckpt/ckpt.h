/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt.h - helpers shared by the checkpoint/restart tools, the tests and
 * libckpt: system call wrappers, full reads and writes, messages.  What
 * reads images (records, checksum, names) is lib/ckpt_image.h.
 *
 * Header only (static functions), so that any user can include it without
 * linking anything.  Define _GNU_SOURCE before including it.
 */
#ifndef CKPT_TOOLS_CKPT_H
#define CKPT_TOOLS_CKPT_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <linux/checkpoint.h>
#include <linux/checkpoint_hdr.h>

#if !defined(__x86_64__)
#error "checkpoint/restart only exists on x86-64"
#endif

#ifndef __NR_checkpoint
#define __NR_checkpoint 463
#endif
#ifndef __NR_restart
#define __NR_restart 464
#endif

/*
 * 463 and 464 are the first free x86-64 numbers in Linux 6.12.  Later
 * upstream kernels gave them to setxattrat(2) and getxattrat(2), so on a
 * kernel newer than 6.12 these numbers must not be called blindly: the
 * wrappers fail with ENOSYS there.  Set CKPT_FORCE_SYSCALLS=1 in the
 * environment to skip the check (a forward port that kept the numbers).
 */
static inline int ckpt_syscalls_usable(void)
{
	static int usable = -1;
	struct utsname u;
	unsigned int major = 0, minor = 0;
	const char *force;

	if (usable >= 0)
		return usable;
	force = getenv("CKPT_FORCE_SYSCALLS");
	if (force && *force && strcmp(force, "0") != 0)
		return usable = 1;
	if (uname(&u) != 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return usable = 1;
	usable = major < 6 || (major == 6 && minor <= 12);
	return usable;
}

/**
 * ckpt_checkpoint - checkpoint(2)
 * @pid: the task to checkpoint, 0 (or own pid) for self-checkpoint
 * @fd: where the image is written
 * @flags: CHECKPOINT_* flags
 * @logfd: where the kernel explains failures, or CHECKPOINT_FD_NONE
 *
 * Returns the checkpoint id (> 0), 0 in a process restarted from a
 * self-checkpoint, or -1 with errno set.
 */
static inline long ckpt_checkpoint(pid_t pid, int fd, unsigned long flags,
				   int logfd)
{
	if (!ckpt_syscalls_usable()) {
		errno = ENOSYS;
		return -1;
	}
	return syscall(__NR_checkpoint, (long)pid, (long)fd, flags,
		       (long)logfd);
}

/**
 * ckpt_restart - restart(2)
 * @pid: 0 with RESTART_TASKSELF: restore into the calling process
 * @fd: the image, read from its current offset
 * @flags: RESTART_* flags
 * @logfd: where the kernel explains failures, or CHECKPOINT_FD_NONE
 *
 * Does not return on success.  Returns -1 with errno set on a failure
 * found before the caller was changed.
 */
static inline long ckpt_restart(pid_t pid, int fd, unsigned long flags,
				int logfd)
{
	if (!ckpt_syscalls_usable()) {
		errno = ENOSYS;
		return -1;
	}
	return syscall(__NR_restart, (long)pid, (long)fd, flags, (long)logfd);
}

/* ---- I/O ---- */

/*
 * Read up to @len bytes, retrying short reads and EINTR, with read() or,
 * for @off >= 0, pread() from @off on.  Returns the bytes read (less
 * than @len only at end of file) or -1 with errno set.
 */
static inline ssize_t ckpt_read_at(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = off < 0 ?
			read(fd, (char *)buf + done, len - done) :
			pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static inline ssize_t ckpt_read_full(int fd, void *buf, size_t len)
{
	return ckpt_read_at(fd, buf, len, -1);
}

static inline ssize_t ckpt_pread_full(int fd, void *buf, size_t len,
				      off_t off)
{
	return ckpt_read_at(fd, buf, len, off);
}

/* Write all of @len bytes.  Returns 0, or -1 with errno set. */
static inline int ckpt_write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += n;
	}
	return 0;
}

/* One line "PROG: message" on stderr. */
/* A wait(2) status as a shell gives it: the code, or 128 + the signal. */
static inline int ckpt_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

static inline void ckpt_msg(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void ckpt_msg(const char *prog, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#endif /* CKPT_TOOLS_CKPT_H */
