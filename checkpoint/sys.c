// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint(2) and restart(2): the system calls, the operation context
 * and the log.
 */
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

#include "internal.h"

static atomic64_t ckpt_id_counter = ATOMIC64_INIT(0);

static void ckpt_ctx_free(struct kref *ref)
{
	struct ckpt_ctx *ctx = container_of(ref, struct ckpt_ctx, ref);

	if (ctx->ts)
		restore_task_state_free(ctx->ts);
	ckpt_tree_free(ctx->tree);
	ckpt_ns_release(ctx);
	ckpt_obj_hash_free(ctx);
	ckpt_relink_release(ctx);
	ckpt_tcp_release(ctx);
	if (ctx->cred)
		put_cred(ctx->cred);
	if (ctx->file)
		fput(ctx->file);
	if (ctx->logfile) {
		/* lines a task of a failed restart made after the caller left */
		ckpt_log_flush(ctx);
		fput(ctx->logfile);
	}
	kvfree(ctx->pagebuf);
	kfree(ctx);
}

/**
 * ckpt_ctx_put - drop a reference to an operation
 * @ctx: the operation
 *
 * A restart is held by its caller and by every task that joined it; the
 * last one frees it.
 */
void ckpt_ctx_put(struct ckpt_ctx *ctx)
{
	kref_put(&ctx->ref, ckpt_ctx_free);
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
	kref_init(&ctx->ref);
	ctx->op = op;
	ctx->flags = flags;
	ctx->cred = get_current_cred();
	INIT_LIST_HEAD(&ctx->relinks);
	INIT_LIST_HEAD(&ctx->tcp);
	INIT_LIST_HEAD(&ctx->log_lines);
	mutex_init(&ctx->log_lock);

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
	ckpt_ctx_put(ctx);
	return ERR_PTR(err);
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
	int err;

	if (t->flags & PF_KTHREAD) {
		snprintf(why, len, "cannot checkpoint a kernel thread");
		return -EINVAL;
	}
	if (t->flags & PF_EXITING) {
		snprintf(why, len, "the task is exiting");
		return -ESRCH;
	}
	err = ckpt_arch_task_supported(t);
	if (err) {
		snprintf(why, len, "unsupported task mode (32-bit, or a CET shadow stack)");
		return err;
	}
	return ckpt_task_state_check(t, why, len);
}

static long do_checkpoint(struct ckpt_ctx *ctx, pid_t pid)
{
	struct task_struct *t;
	int err;

	if (pid == 0 || pid == task_pid_vnr(current)) {
		t = get_task_struct(current);
	} else {
		t = find_get_task_by_vpid(pid);
		if (!t)
			return ckpt_err(ctx, -ESRCH, "no process %d", pid);
	}
	ctx->ckpt_id = atomic64_inc_return(&ckpt_id_counter);
	err = ckpt_write_header(ctx);
	if (!err)
		err = checkpoint_tree(ctx, t);
	put_task_struct(t);
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
	if (ret < 0)
		ckpt_tcp_undo(ctx);
	ckpt_log_flush(ctx);
	ckpt_ctx_put(ctx);
	return ret;
}

/*
 * RESTART_TASKSELF: restore an image of one task into current.
 * Everything that can fail for a reason other than a damaged stream is
 * read and checked first; only then is the address space replaced (the
 * point of no return), the tail verified, and the staged state
 * committed.
 */
static long do_restart_self(struct ckpt_ctx *ctx)
{
	long ret = 0;
	int err;

	ctx->log_pid = task_pid_vnr(current);
	if (get_nr_threads(current) != 1)
		return ckpt_err(ctx, -EBUSY,
				"the restarting process must be single-threaded");
	/*
	 * What restart replaces must be ours alone (vfork, CLONE_FILES, ...).
	 * Not mm_users: /proc readers take passing references to the mm.
	 */
	if (test_bit(MMF_MULTIPROCESS, &current->mm->flags) ||
	    current->vfork_done ||
	    atomic_read(&current->files->count) > 1 ||
	    READ_ONCE(current->fs->users) > 1 ||
	    refcount_read(&current->sighand->count) > 1)
		return ckpt_err(ctx, -EBUSY,
				"the restarting process shares its memory, files, fs or signal handlers");
	ctx->ts = kzalloc(sizeof(*ctx->ts), GFP_KERNEL);
	if (!ctx->ts)
		return -ENOMEM;
	ctx->ts->leader = true;

	err = ckpt_read_header(ctx);
	if (!err)
		err = ckpt_read_tree(ctx);
	if (!err && ckpt_tree_nr(ctx->tree) != 1)
		err = ckpt_err(ctx, -EINVAL,
			       "the image holds %u tasks: RESTART_TASKSELF restores one (use the restart tool)",
			       ckpt_tree_nr(ctx->tree));
	if (!err && ctx->ns_flags)
		err = ckpt_err(ctx, -EINVAL,
			       "the image brings namespaces of its own: RESTART_TASKSELF cannot make them (use the restart tool)");
	if (!err)
		err = restore_task_stage(ctx);
	if (!err)
		err = ckpt_read_tail(ctx);
	if (!err)
		err = restore_tcp_finish(ctx);
	if (!err)
		err = restore_task_apply(ctx, &ret);
	if (err) {
		if (ctx->no_return) {
			ckpt_err(ctx, err, "restart failed after the address space was replaced; killing the process");
			/* said first: a dying task's writes are cut short */
			ckpt_log_flush(ctx);
			force_fatal_sig(SIGKILL);
		}
		return err;
	}
	restore_relink_finish(ctx);
	restore_tcp_resume(ctx);
	return ret;
}

/*
 * The coordinator of a restart: @pid is a process the caller made for
 * it, the root of the tree or an ancestor of it, whose subtree holds
 * the tasks that join.
 */
static long do_restart_coord(struct ckpt_ctx *ctx, pid_t pid)
{
	struct task_struct *root;
	int err;

	root = find_get_task_by_vpid(pid);
	if (!root)
		return ckpt_err(ctx, -ESRCH, "no process %d", pid);
	if (same_thread_group(root, current))
		err = ckpt_err(ctx, -EINVAL,
			       "the coordinator cannot be restored itself; use RESTART_TASKSELF");
	else if (!ptrace_may_access(root, PTRACE_MODE_ATTACH_REALCREDS))
		err = ckpt_err(ctx, -EPERM, "no ptrace access to process %d",
			       pid);
	else
		err = ckpt_read_header(ctx);
	if (!err)
		err = ckpt_restart_coordinate(ctx, root);
	put_task_struct(root);
	return err;
}

SYSCALL_DEFINE4(restart, pid_t, pid, int, fd, unsigned long, flags,
		int, logfd)
{
	struct ckpt_ctx *ctx;
	long ret;

	if (flags & ~RESTART_USER_FLAGS)
		return -EINVAL;
	if (flags & RESTART_JOIN) {
		if (flags != RESTART_JOIN || fd != CHECKPOINT_FD_NONE ||
		    logfd != CHECKPOINT_FD_NONE)
			return -EINVAL;
		return ckpt_restart_join(pid);
	}
	if ((flags & RESTART_TASKSELF) && (flags & RESTART_FROZEN))
		return -EINVAL;
	ctx = ckpt_ctx_alloc(CKPT_OP_RESTART, fd, flags, logfd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	if (flags & RESTART_TASKSELF) {
		if (pid != 0 && pid != task_pid_vnr(current))
			ret = ckpt_err(ctx, -EINVAL,
				       "RESTART_TASKSELF restores the caller: pid must be 0");
		else
			ret = do_restart_self(ctx);
	} else if (pid <= 0) {
		ret = ckpt_err(ctx, -EINVAL,
			       "pid %d: a coordinated restart needs the process made for the tree",
			       pid);
	} else {
		ret = do_restart_coord(ctx, pid);
	}
	ckpt_log_flush(ctx);
	ckpt_ctx_put(ctx);
	return ret;
}
