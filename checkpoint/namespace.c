// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces of the tree's root: UTS (host and domain name) and IPC
 * (its SysV objects, ipc.c).
 *
 * Checkpoint takes a namespace when the root has one of its own, one
 * that is not the checkpointer's; every live task of the tree must then
 * be in it (nested namespaces are refused).  The TREE record says which
 * kinds follow it.  The restarter makes the root in new namespaces of
 * those kinds; the root, in its turn, fills them in before its own
 * records.  Restart never writes a namespace the coordinator is in.
 */
#include <linux/capability.h>
#include <linux/checkpoint_ipc.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/utsname.h>

#include "internal.h"

/* The namespaces of @t, compared by address only, or false if it has none. */
static bool ckpt_task_ns(struct task_struct *t, struct uts_namespace **uts,
			 struct ipc_namespace **ipc)
{
	struct nsproxy *nsp;

	task_lock(t);
	nsp = t->nsproxy;
	if (nsp) {
		*uts = nsp->uts_ns;
		*ipc = nsp->ipc_ns;
	}
	task_unlock(t);
	return nsp;
}

/**
 * ckpt_ns_check - which namespaces does the tree take?
 * @ctx: checkpoint context; ctx->ns_flags and the references in
 *	ctx->uts_ns / ctx->ipc_ns are set
 * @tasks: the tree, root first
 * @nr: its size
 *
 * Return: 0, or -EOPNOTSUPP naming a task in a namespace of its own or
 * with SEM_UNDO adjustments (logged).
 */
int ckpt_ns_check(struct ckpt_ctx *ctx, struct task_struct **tasks,
		  unsigned int nr)
{
	struct uts_namespace *uts, *root_uts = NULL;
	struct ipc_namespace *ipc, *root_ipc = NULL;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct task_struct *t = tasks[i];

		if (ckpt_task_zombie(t) || !ckpt_task_ns(t, &uts, &ipc))
			continue;
		if (!root_uts) {
			root_uts = uts;
			root_ipc = ipc;
		}
		if (uts != root_uts || ipc != root_ipc)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"task %d is in another UTS or IPC namespace than the root: nested namespaces are not supported",
					task_pid_vnr(t));
#ifdef CONFIG_SYSVIPC
		/* threads share the list, unless made without CLONE_SYSVSEM */
		if (ipc_ckpt_sem_undo(t))
			return ckpt_err(ctx, -EOPNOTSUPP,
					"task %d has SysV semaphore undo adjustments (SEM_UNDO): not supported",
					task_pid_vnr(t));
#endif
	}
	if (!root_uts)
		return 0;
	/* references taken where the root's nsproxy holds them */
	for (i = 0; i < nr; i++) {
		struct task_struct *t = tasks[i];
		struct nsproxy *nsp;

		if (ckpt_task_zombie(t))
			continue;
		task_lock(t);
		nsp = t->nsproxy;
		if (nsp && nsp->uts_ns != current->nsproxy->uts_ns) {
			ctx->ns_flags |= CKPT_TREE_NEWUTS;
			get_uts_ns(nsp->uts_ns);
			ctx->uts_ns = nsp->uts_ns;
		}
		if (nsp && nsp->ipc_ns != current->nsproxy->ipc_ns) {
			ctx->ns_flags |= CKPT_TREE_NEWIPC;
			ctx->ipc_ns = get_ipc_ns(nsp->ipc_ns);
		}
		task_unlock(t);
		if (nsp)
			return 0;
	}
	return ckpt_err(ctx, -ESRCH, "the tree exited meanwhile");
}

static int checkpoint_uts_ns(struct ckpt_ctx *ctx, struct uts_namespace *ns)
{
	struct ckpt_hdr_uts_ns h = {};

	BUILD_BUG_ON(sizeof(h.nodename) != sizeof(ns->name.nodename));
	down_read(&uts_sem);
	memcpy(h.nodename, ns->name.nodename, sizeof(h.nodename));
	memcpy(h.domainname, ns->name.domainname, sizeof(h.domainname));
	up_read(&uts_sem);
	return ckpt_write_obj(ctx, CKPT_HDR_UTS_NS, &h, sizeof(h));
}

/**
 * checkpoint_namespaces - write the records of the tree's namespaces
 * @ctx: checkpoint context, after ckpt_ns_check()
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_namespaces(struct ckpt_ctx *ctx)
{
	int err = 0;

	if (ctx->uts_ns)
		err = checkpoint_uts_ns(ctx, ctx->uts_ns);
	err = err ?: checkpoint_ipc_ns(ctx);
	return err;
}

/**
 * ckpt_ns_check_restart - are the claimed tasks where the image needs them?
 * @ctx: restart context, ctx->ns_flags read from the TREE
 * @tasks: the claimed tasks, root first
 * @pids: their TREE entries
 * @nr: how many
 *
 * Namespaces the image brings must be new ones, not the coordinator's,
 * shared by every live task.
 *
 * Return: 0 or -EINVAL (logged).
 */
int ckpt_ns_check_restart(struct ckpt_ctx *ctx, struct task_struct **tasks,
			  const struct ckpt_pids *pids, unsigned int nr)
{
	struct uts_namespace *uts, *root_uts;
	struct ipc_namespace *ipc, *root_ipc;
	unsigned int i;

	if (!ctx->ns_flags)
		return 0;
	if (!ckpt_task_ns(tasks[0], &root_uts, &root_ipc))
		return ckpt_err(ctx, -ESRCH, "the root exited");
	if ((ctx->ns_flags & CKPT_TREE_NEWUTS &&
	     root_uts == current->nsproxy->uts_ns) ||
	    (ctx->ns_flags & CKPT_TREE_NEWIPC &&
	     root_ipc == current->nsproxy->ipc_ns))
		return ckpt_err(ctx, -EINVAL,
				"the image brings its own %s namespace: the root must be made in a new one",
				ctx->ns_flags & CKPT_TREE_NEWUTS &&
				root_uts == current->nsproxy->uts_ns ?
				"UTS" : "IPC");
	for (i = 1; i < nr; i++) {
		if (pids[i].flags & CKPT_PIDS_ZOMBIE ||
		    !ckpt_task_ns(tasks[i], &uts, &ipc))
			continue;
		if ((ctx->ns_flags & CKPT_TREE_NEWUTS && uts != root_uts) ||
		    (ctx->ns_flags & CKPT_TREE_NEWIPC && ipc != root_ipc))
			return ckpt_err(ctx, -EINVAL,
					"task %d is not in the root's new namespaces",
					task_pid_vnr(tasks[i]));
	}
	return 0;
}

static int restore_uts_ns(struct ckpt_ctx *ctx)
{
	struct uts_namespace *ns = current->nsproxy->uts_ns;
	struct ckpt_hdr_uts_ns *h;
	int err = 0;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_UTS_NS, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (!memchr(h->nodename, 0, sizeof(h->nodename)) ||
	    !memchr(h->domainname, 0, sizeof(h->domainname)) ||
	    memchr_inv(h->_pad, 0, sizeof(h->_pad))) {
		err = ckpt_err(ctx, -EBADMSG, "UTS namespace record malformed");
		goto out;
	}
	/* what sethostname(2) and setdomainname(2) ask */
	if (!ns_capable(ns->user_ns, CAP_SYS_ADMIN)) {
		err = ckpt_err(ctx, -EPERM,
			       "may not set the host name of the new UTS namespace");
		goto out;
	}
	down_write(&uts_sem);
	strscpy_pad(ns->name.nodename, h->nodename, sizeof(ns->name.nodename));
	strscpy_pad(ns->name.domainname, h->domainname,
		    sizeof(ns->name.domainname));
	up_write(&uts_sem);
	uts_proc_notify(UTS_PROC_HOSTNAME);
	uts_proc_notify(UTS_PROC_DOMAINNAME);
out:
	kvfree(h);
	return err;
}

/**
 * restore_namespaces - fill in the root's new namespaces
 * @ctx: restart context; current is the root, in its turn
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_namespaces(struct ckpt_ctx *ctx)
{
	int err = 0;

	if (ctx->ns_flags & CKPT_TREE_NEWUTS)
		err = restore_uts_ns(ctx);
	err = err ?: restore_ipc_ns(ctx);
	return err;
}

/* Drop what checkpoint or restart held of namespaces. */
void ckpt_ns_release(struct ckpt_ctx *ctx)
{
	if (ctx->uts_ns)
		put_uts_ns(ctx->uts_ns);
	if (ctx->ipc_ns)
		put_ipc_ns(ctx->ipc_ns);
	kfree(ctx->shm_dest);
}
