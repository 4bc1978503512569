// SPDX-License-Identifier: GPL-2.0
/*
 * pidfds for checkpoint/restart.
 *
 * A pidfd (pidfd_open(2), clone(CLONE_PIDFD)) of a task inside the
 * checkpoint is saved as the pid the TREE gives that task, and made
 * again at restart with pidfd_prepare() for the task restored in its
 * place, so that it waits for, signals and polls the restored task.  A
 * pidfd of a task outside the checkpoint, or of one reaped already, has
 * nothing restart could point it at: refused.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pidfd.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "internal.h"

/* the open(2) flags a pidfd may carry: PIDFD_THREAD is O_EXCL */
#define CKPT_PIDFD_FLAGS	(O_RDWR | O_NONBLOCK | PIDFD_THREAD)

static bool ckpt_is_pidfd(struct file *file)
{
	return !IS_ERR(pidfd_pid(file));
}

/**
 * ckpt_pidfd_check - is a pidfd's task one of @tasks?
 * @file: the pidfd
 * @fd: its number, for @why
 * @tasks: the tasks a checkpoint takes
 * @nr: how many
 * @why: filled with a short reason when it is not
 * @len: size of @why
 *
 * Return: 0 or -EOPNOTSUPP.
 */
static int ckpt_pidfd_check(struct file *file, unsigned int fd,
			    struct task_struct **tasks, unsigned int nr,
			    char *why, size_t len)
{
	struct pid *pid = pidfd_pid(file);
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (task_pid(tasks[i]) == pid)
			return 0;
	if (!pid_has_task(pid, PIDTYPE_PID))
		snprintf(why, len,
			 "fd %u: pidfd of a process that was reaped, which restart cannot make again",
			 fd);
	else
		snprintf(why, len,
			 "fd %u: pidfd of pid %d, which is outside the checkpoint",
			 fd, pid_vnr(pid));
	return -EOPNOTSUPP;
}

/**
 * ckpt_pidfd_record - fill the FILE record of a pidfd
 * @ctx: checkpoint context
 * @file: the pidfd
 * @h: the record: @h->ref gets the task's pid as the TREE has it
 *
 * Return: 0 or a negative errno (logged).
 */
static int ckpt_pidfd_record(struct ckpt_ctx *ctx, struct file *file,
			     struct ckpt_hdr_file *h)
{
	struct pid *pid = pidfd_pid(file);
	struct task_struct **tasks;
	char why[160];
	unsigned int nr;
	int err;

	tasks = ckpt_tree_tasks(ctx, &nr);
	err = ckpt_pidfd_check(file, 0, tasks, nr, why, sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "%s", why + strlen("fd 0: "));
	h->ref = pid_vnr(pid);
	h->f_flags = file->f_flags & CKPT_PIDFD_FLAGS;
	h->pos = 0;
	return 0;
}

/**
 * restore_pidfd - make a pidfd of a restored task again
 * @ctx: restart context, its tasks claimed
 * @h: the FILE record
 * @path: its path (unused)
 *
 * Return: the file or an ERR_PTR (logged).
 */
static struct file *restore_pidfd(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
				  const char *path)
{
	struct task_struct *t = ckpt_tree_task(ctx, (pid_t)h->ref);
	struct file *file;
	int fd;

	if ((h->f_flags & ~(O_NONBLOCK | PIDFD_THREAD)) != O_RDWR ||
	    (pid_t)h->ref <= 0) {
		ckpt_err(ctx, -EBADMSG, "file %d: pidfd flags %#x", h->objref,
			 h->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	if (!t) {
		ckpt_err(ctx, -EBADMSG, "file %d: pidfd of pid %u, not in the image",
			 h->objref, h->ref);
		return ERR_PTR(-EBADMSG);
	}
	/* a process pidfd needs the first thread; pidfd_prepare() checks */
	fd = pidfd_prepare(task_pid(t), h->f_flags & (O_NONBLOCK | PIDFD_THREAD),
			   &file);
	if (fd < 0) {
		ckpt_err(ctx, fd, "file %d: making a pidfd of pid %u", h->objref,
			 h->ref);
		return ERR_PTR(fd);
	}
	put_unused_fd(fd);
	return file;
}

/* The task of each pidfd among @f (or f->fds[@only]) must be one of @tasks. */
static int ckpt_pidfd_peers(const struct ckpt_fds *f, int only,
			    const struct ckpt_fds *all,
			    struct task_struct **tasks, unsigned int nr_tasks,
			    char *why, size_t len)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < f->nr && !err; i++)
		if ((only < 0 || i == only) && ckpt_is_pidfd(f->fds[i].file))
			err = ckpt_pidfd_check(f->fds[i].file, f->fds[i].fd,
					       tasks, nr_tasks, why, len);
	return err;
}

/* Its @ref is a pid of the image, its flags pidfd_open(2)'s own. */
const struct ckpt_file_ops ckpt_file_pidfd_ops = {
	.kind = CKPT_FILE_PIDFD,
	.flags = CKPT_FK_OWN_REF | CKPT_FK_PEERS,
	.is = ckpt_is_pidfd,
	.peers = ckpt_pidfd_peers,
	.record = ckpt_pidfd_record,
	.restore = restore_pidfd,
};
