/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libckpt - let a program checkpoint itself (Linux checkpoint(2)).
 *
 * A call to ckpt_checkpoint_self() writes an image of the calling
 * process (and, with CKPT_SELF_TREE, of its descendants) and returns
 * CKPT_CHECKPOINTED.  When the image is later restarted ("restart -i
 * IMAGE"), the restarted process returns from that same call, this time
 * with CKPT_RESTARTED.  See Documentation/checkpoint/libckpt.rst.
 */
#ifndef LIBCKPT_H
#define LIBCKPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* What ckpt_checkpoint_self() returns when it succeeds. */
#define CKPT_CHECKPOINTED	1	/* the image is written: running on */
#define CKPT_RESTARTED		2	/* running again, from the image */

/* ckpt_checkpoint_self() flags */
#define CKPT_SELF_TREE		0x1	/* the caller's descendants too */

/**
 * ckpt_checkpoint_self - checkpoint the calling process
 * @path: the image; written to "@path.tmp", flushed to disk, then
 *	renamed over @path, so @path always holds a complete image
 * @flags: CKPT_SELF_TREE or 0
 *
 * Runs the CKPT_HOOK_BEFORE hooks, writes the image, then runs the
 * CKPT_HOOK_AFTER hooks (also after a failure) or, in a restarted
 * process, the CKPT_HOOK_RESTART hooks.  The calling process must be
 * single-threaded.  Async-signal-safe: it may be called from a signal
 * handler, the hooks then run in the handler too.
 *
 * Return: CKPT_CHECKPOINTED, CKPT_RESTARTED, or -1 with errno set
 * (ckpt_last_error() then says why, in the kernel's words when it
 * gave some).
 */
int ckpt_checkpoint_self(const char *path, unsigned int flags);

/**
 * ckpt_checkpoint_self_fd - checkpoint the calling process to a file
 * descriptor
 * @fd: open for writing (a file, a pipe, a socket); the image is
 *	written at its offset.  Not closed or synced.
 * @flags: CKPT_SELF_TREE or 0
 *
 * As ckpt_checkpoint_self() without the rename.  @fd is no part of
 * the image: it is not open in the restarted process.
 */
int ckpt_checkpoint_self_fd(int fd, unsigned int flags);

/**
 * ckpt_last_error - why the last call of this process failed
 *
 * Return: a NUL-terminated line (the kernel's explanation if it gave
 * one, else the failing step and strerror), "" if none failed.
 */
const char *ckpt_last_error(void);

enum ckpt_hook_when {
	CKPT_HOOK_BEFORE,	/* before the image is written */
	CKPT_HOOK_AFTER,	/* after it, in the process that goes on */
	CKPT_HOOK_RESTART,	/* in the restarted process */
};

/* Most hooks of each kind. */
#define CKPT_HOOKS_MAX		32

/**
 * ckpt_hook - run @fn(@arg) around every checkpoint
 * @when: which point
 * @fn: the function; async-signal-safe if checkpoints are taken from
 *	signal handlers
 * @arg: its argument
 *
 * BEFORE hooks run in the reverse order of their registration (the
 * last layer registered flushes first), AFTER and RESTART hooks in
 * their order, all in the thread that called ckpt_checkpoint_self().
 * Register them before the first checkpoint; not async-signal-safe.
 *
 * Return: 0, or -1 with errno EINVAL (bad @when or @fn) or ENOSPC.
 */
int ckpt_hook(enum ckpt_hook_when when, void (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* LIBCKPT_H */
