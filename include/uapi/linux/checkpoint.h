/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart: system call flags.
 *
 * long checkpoint(pid_t pid, int fd, unsigned long flags, int logfd);
 * long restart(pid_t pid, int fd, unsigned long flags, int logfd);
 */
#ifndef _UAPI_LINUX_CHECKPOINT_H
#define _UAPI_LINUX_CHECKPOINT_H

/* logfd value meaning "no log" */
#define CHECKPOINT_FD_NONE	(-1)

/* checkpoint(2) flags */
#define CHECKPOINT_SUBTREE	0x1UL	/* the whole subtree under pid */
#define CHECKPOINT_USER_FLAGS	CHECKPOINT_SUBTREE

/* restart(2) flags */
#define RESTART_TASKSELF	0x1UL	/* restore into the calling process */
#define RESTART_FROZEN		0x2UL	/* leave restored tasks frozen */
#define RESTART_GHOST		0x4UL	/* reserved: ghost coordinator */
#define RESTART_KEEP_LSM	0x8UL	/* reserved: keep LSM labels */
#define RESTART_CONN_RESET	0x10UL	/* reserved: reset connections */
#define RESTART_KEEP_LINKS	0x20UL	/* leave relinked files in place */
#define RESTART_USER_FLAGS	(RESTART_TASKSELF | RESTART_FROZEN | \
				 RESTART_KEEP_LINKS)

#endif /* _UAPI_LINUX_CHECKPOINT_H */
