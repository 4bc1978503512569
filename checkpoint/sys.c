// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): the system calls, the operation context
 * and the log.
 */
#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs_struct.h>
#include <linux/fs.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/freezer.h>
#include <linux/mm.h>

static atomic64_t ckpt_id_counter = ATOMIC64_INIT(0);

/**
 * ckpt_err - explain a failure on the operation's log
 * @ctx: the operation
 * @err: the negative errno about to be returned
 * @fmt: what failed and why
 *
 * Writes one line, prefixed with the operation and the task's pid and
 * suffixed with the errno, to the logfd given to the system call.
 *
 * Return: @err, so that callers can write "return ckpt_err(...)".
 */
int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	loff_t pos = 0;
	char *line;
	int len;

	if (!ctx->logfile)
		return err;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	line = kasprintf(GFP_KERNEL, "%s: pid %d: %pV (error %d)\n",
			 ctx->op == CKPT_OP_CHECKPOINT ? "checkpoint" :
			 "restart",
			 ctx->task ? task_pid_vnr(ctx->task) : 0, &vaf, err);
	va_end(args);
	if (!line)
		return err;
	len = strlen(line);
	if (!(ctx->logfile->f_mode & FMODE_STREAM))
		pos = ctx->logfile->f_pos;
	if (kernel_write(ctx->logfile, line, len, &pos) > 0 &&
	    !(ctx->logfile->f_mode & FMODE_STREAM))
		ctx->logfile->f_pos = pos;
	kfree(line);
	return err;
}

static void ckpt_ctx_free(struct ckpt_ctx *ctx)
{
	if (ctx->op == CKPT_OP_RESTART) {
		restore_task_free(ctx);
		restore_signals_free(ctx);
		restore_file_table_free(ctx);
		restore_cpu_free(ctx);
		restore_mm_free(ctx);
	}
	ckpt_obj_hash_free(ctx);
	ckpt_relink_release(ctx);
	if (ctx->cred)
		put_cred(ctx->cred);
	if (ctx->file)
		fput(ctx->file);
	if (ctx->logfile)
		fput(ctx->logfile);
	if (ctx->task)
		put_task_struct(ctx->task);
	kvfree(ctx->pagebuf);
	kfree(ctx);
}

static struct ckpt_ctx *ckpt_ctx_alloc(enum ckpt_op op, int fd,
				       unsigned long flags, int logfd)
{
	struct ckpt_ctx *ctx;
	fmode_t need = op == CKPT_OP_CHECKPOINT ? FMODE_WRITE : FMODE_READ;
	int err;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->op = op;
	ctx->flags = flags;
	ctx->cred = get_current_cred();
	INIT_LIST_HEAD(&ctx->relinks);

	err = -EBADF;
	if (logfd != CHECKPOINT_FD_NONE) {
		ctx->logfile = fget(logfd);
		if (!ctx->logfile)
			goto out;
		if (!(ctx->logfile->f_mode & FMODE_WRITE)) {
			fput(ctx->logfile);
			ctx->logfile = NULL;
			goto out;
		}
	}
	ctx->file = fget(fd);
	if (!ctx->file) {
		ckpt_err(ctx, err, "image fd %d is not open", fd);
		goto out;
	}
	if (!(ctx->file->f_mode & need)) {
		ckpt_err(ctx, err, "image fd %d is not open for %s", fd,
			 need == FMODE_WRITE ? "writing" : "reading");
		goto out;
	}
	err = ckpt_obj_hash_alloc(ctx);
	if (err)
		goto out;
	return ctx;
out:
	ckpt_ctx_free(ctx);
	return ERR_PTR(err);
}

/*
 * The target may not run while it is read: it must be frozen by the
 * cgroup v2 freezer or stopped, and off its CPU.
 */
static int ckpt_target_quiescent(struct ckpt_ctx *ctx, struct task_struct *t)
{
	bool parked;

	if (t == current)
		return 0;
	parked = t->frozen || task_is_stopped_or_traced(t);
	if (!parked)
		return ckpt_err(ctx, -EBUSY,
				"target is neither frozen nor stopped");
	/* A frozen task sleeps interruptibly in do_freezer_trap(). */
	if (!wait_task_inactive(t, TASK_INTERRUPTIBLE | __TASK_STOPPED |
				   __TASK_TRACED))
		return ckpt_err(ctx, -EBUSY, "target is still on a CPU");
	return 0;
}

/**
 * ckpt_task_checkpointable - is a task of a kind checkpoint takes?
 * @t: the task
 * @why: filled with a short reason when it is not
 * @len: size of @why
 *
 * Return: 0 or the errno checkpoint would fail with.
 */
int ckpt_task_checkpointable(struct task_struct *t, char *why, size_t len)
{
	bool children;
	int err;

	if (t->flags & (PF_KTHREAD | PF_EXITING)) {
		snprintf(why, len, "cannot checkpoint a %s task",
			 t->flags & PF_KTHREAD ? "kernel" : "exiting");
		return -EINVAL;
	}
	if (get_nr_threads(t) != 1) {
		snprintf(why, len,
			 "multi-threaded processes are not supported yet (%d threads)",
			 get_nr_threads(t));
		return -EBUSY;
	}
	read_lock(&tasklist_lock);
	children = !list_empty(&t->children);
	read_unlock(&tasklist_lock);
	if (children) {
		snprintf(why, len, "processes with children are not supported yet");
		return -EBUSY;
	}
	err = ckpt_arch_task_supported(t);
	if (err)
		snprintf(why, len, "unsupported task mode");
	return err;
}

static int ckpt_check_target(struct ckpt_ctx *ctx, struct task_struct *t)
{
	char why[128];
	int err;

	if (!(t->flags & PF_KTHREAD) &&
	    !ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
		return ckpt_err(ctx, -EPERM,
				"no ptrace access to the target");
	err = ckpt_task_checkpointable(t, why, sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "%s", why);
	return ckpt_target_quiescent(ctx, t);
}

static int ckpt_write_tree(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_tree *h;
	u32 len = sizeof(*h) + sizeof(h->pids[0]);
	int err;

	h = kzalloc(len, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->nr_tasks = 1;
	rcu_read_lock();
	h->pids[0].pid = task_pid_vnr(t);
	h->pids[0].tgid = task_tgid_vnr(t);
	h->pids[0].ppid = task_tgid_vnr(rcu_dereference(t->real_parent));
	h->pids[0].pgid = task_pgrp_vnr(t);
	h->pids[0].sid = task_session_vnr(t);
	rcu_read_unlock();
	err = ckpt_write_obj(ctx, CKPT_HDR_TREE, h, len);
	kfree(h);
	return err;
}

static long do_checkpoint(struct ckpt_ctx *ctx, pid_t pid)
{
	struct task_struct *t;
	int err;

	if (pid == 0 || pid == task_pid_vnr(current)) {
		t = current;
		get_task_struct(t);
	} else {
		t = find_get_task_by_vpid(pid);
		if (!t)
			return ckpt_err(ctx, -ESRCH, "no process %d", pid);
	}
	ctx->task = t;
	err = ckpt_check_target(ctx, t);
	if (err)
		return err;

	ctx->ckpt_id = atomic64_inc_return(&ckpt_id_counter);
	err = ckpt_write_header(ctx);
	if (!err)
		err = ckpt_write_tree(ctx, t);
	if (!err)
		err = checkpoint_task(ctx, t);
	if (!err)
		err = ckpt_write_tail(ctx);
	if (err)
		return err;
	return ctx->ckpt_id;
}

SYSCALL_DEFINE4(checkpoint, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	long ret;

	if (flags & ~CHECKPOINT_USER_FLAGS)
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;
	ctx = ckpt_ctx_alloc(CKPT_OP_CHECKPOINT, fd, flags, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ret = do_checkpoint(ctx, pid);
	if (ret < 0)
		ckpt_relink_undo(ctx);
	ckpt_ctx_free(ctx);
	return ret;
}

static int ckpt_read_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tree *h;
	u32 len = sizeof(*h) + sizeof(h->pids[0]);
	int err = 0;

	h = ckpt_read_obj(ctx, CKPT_HDR_TREE, sizeof(*h), len);
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->nr_tasks != 1 || h->h.len != len || h->_pad)
		err = ckpt_err(ctx, -EBADMSG,
			       "tree of %u tasks: only one is supported",
			       h->nr_tasks);
	kvfree(h);
	return err;
}

/*
 * Restore into current.  Everything that can fail for a reason other
 * than a damaged stream is read and checked first; only then is the
 * address space replaced (the point of no return), the tail verified,
 * and the staged state committed.
 */
static long do_restart(struct ckpt_ctx *ctx)
{
	long ret;
	int err;

	get_task_struct(current);
	ctx->task = current;
	if (get_nr_threads(current) != 1)
		return ckpt_err(ctx, -EBUSY,
				"the restarting process must be single-threaded");
	/* what restart replaces must be ours alone (vfork, CLONE_FILES, ...) */
	if (atomic_read(&current->mm->mm_users) > 1 ||
	    atomic_read(&current->files->count) > 1 ||
	    READ_ONCE(current->fs->users) > 1 ||
	    refcount_read(&current->sighand->count) > 1)
		return ckpt_err(ctx, -EBUSY,
				"the restarting process shares its memory, files, fs or signal handlers");

	err = ckpt_read_header(ctx);
	if (!err)
		err = ckpt_read_tree(ctx);
	if (!err)
		err = restore_task_read(ctx);
	if (!err)
		err = restore_mm(ctx);
	if (!err)
		err = ckpt_read_tail(ctx);
	if (!err)
		err = restore_task_commit(ctx);
	if (!err)
		err = restore_file_table_commit(ctx);
	if (!err)
		err = restore_signals_commit(ctx);
	if (!err)
		restore_relink_finish(ctx);
	if (err) {
		if (ctx->no_return) {
			ckpt_err(ctx, err, "restart failed after the address space was replaced; killing the process");
			force_fatal_sig(SIGKILL);
		}
		return err;
	}
	ret = restore_cpu_commit(ctx);
	return ret;
}

SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	long ret;

	if (flags & ~RESTART_USER_FLAGS)
		return -EINVAL;
	ctx = ckpt_ctx_alloc(CKPT_OP_RESTART, fd, flags, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (pid != 0 && pid != task_pid_vnr(current)) {
		ctx->task = get_task_struct(current);
		ret = ckpt_err(ctx, -EINVAL,
			       "restart into another task (pid %d) is not supported; use pid 0",
			       pid);
	} else {
		ret = do_restart(ctx);
	}
	ckpt_ctx_free(ctx);
	return ret;
}
