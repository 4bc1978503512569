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

/*
 * checkpoint(2) flags
 *
 * CHECKPOINT_SUBTREE: take the process at pid with all its descendants
 * (every thread of each).  Without it, a process with children fails
 * with EBUSY; its threads are always taken.
 *
 * CHECKPOINT_RUNNING: record every process as running, also one that is
 * stopped by job control; for a caller that stopped the processes with
 * SIGSTOP only to checkpoint them.  Without it a stopped process is
 * recorded stopped and restart leaves it stopped (a job suspended with
 * ^Z stays suspended).
 *
 * CHECKPOINT_TCP_QUIET: leave the tree's established TCP connections in
 * repair mode once the checkpoint succeeded: they send nothing more, and
 * closing them sends neither FIN nor reset; for a caller that kills the
 * tree after the checkpoint, so that the peer waits for the restarted
 * connection instead of seeing it end.  A process left running with a
 * connection so kept can no longer use it.  The kernel still
 * acknowledges what a peer sends until the tree is killed, and answers
 * with a reset what arrives once it is gone: the caller kills the tree
 * right after the checkpoint, and the peer should be quiet until the
 * restart.
 */
#define CHECKPOINT_SUBTREE	0x1UL
#define CHECKPOINT_RUNNING	0x2UL
#define CHECKPOINT_TCP_QUIET	0x4UL
#define CHECKPOINT_USER_FLAGS	(CHECKPOINT_SUBTREE | CHECKPOINT_RUNNING | \
				 CHECKPOINT_TCP_QUIET)

/*
 * restart(2) flags
 *
 * A coordinated restart (the restart tool's) has one caller with the
 * image, the coordinator: restart(pid, fd, flags, logfd), where pid is
 * a process it created for the restart, the root of the tree or an
 * ancestor of it.  Every task of the tree calls restart(image_pid, -1,
 * RESTART_JOIN, -1) from inside pid's subtree, image_pid being the pid
 * in the image it stands for, and is restored in turn; none returns
 * before all are restored and the image's tail is verified.  On
 * failure every task that joined is killed.
 *
 * RESTART_FILES_REPLACED: files are reopened by path even where the
 * path now leads to another inode than the one checkpointed (a copied
 * or restored filesystem); without it restart fails with ESTALE.
 *
 * RESTART_FROZEN: the restored tasks, each in a cgroup (v2) other than
 * the root one, do not return to user space until that cgroup is frozen
 * (cgroup.freeze); the caller freezes it once restart(2) returned, and
 * thaws it when it wants the tree to run.
 */
#define RESTART_TASKSELF	0x1UL	/* restore into the calling process */
#define RESTART_FROZEN		0x2UL	/* leave restored tasks frozen */
/* 0x4, 0x8, 0x10: not defined (linux-cr's GHOST, KEEP_LSM, CONN_RESET) */
#define RESTART_KEEP_LINKS	0x20UL	/* leave relinked files in place */
#define RESTART_JOIN		0x40UL	/* be a task of a coordinated restart */
#define RESTART_FILES_REPLACED	0x80UL	/* reopen paths whatever inode they lead to */
#define RESTART_USER_FLAGS	(RESTART_TASKSELF | RESTART_FROZEN | \
				 RESTART_KEEP_LINKS | RESTART_JOIN | \
				 RESTART_FILES_REPLACED)

#endif /* _UAPI_LINUX_CHECKPOINT_H */
