// SPDX-License-Identifier: GPL-2.0
/*
 * The task tree: which tasks a checkpoint takes and in which order, and
 * the coordination of a restart that rebuilds them.
 *
 * Checkpoint takes whole processes: the one at the pid it is given and,
 * with CHECKPOINT_SUBTREE, every descendant, each with all its threads,
 * in depth-first order (the TREE record).
 *
 * Restart follows the linux-cr model.  The restart tool creates the
 * tasks, each of which calls restart(2) with RESTART_JOIN and waits; the
 * tool, as coordinator, calls restart(2) with the image.  The
 * coordinator reads the TREE, claims one joined task per entry and
 * passes a baton from task to task: in TREE order each reads and stages
 * its own records (and rebuilds its memory), then the coordinator
 * verifies the tail, then in reverse order each commits what it staged.
 * Only then do they all return to user space.  A failure anywhere kills
 * every claimed task; the image was only read, so it can be used again.
 */
#include <linux/delay.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/fs_struct.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "internal.h"

/* How long the coordinator waits for the tool's tasks to join. */
#define CKPT_JOIN_TIMEOUT	(60 * HZ)

/**
 * struct ckpt_tree - the tasks of a checkpoint or restart
 * @nr: how many
 * @tasks: checkpoint: the tasks written, in TREE order; restart: the
 *	task claimed for each entry (NULL until claimed); each referenced
 * @stamps: checkpoint: what each task looked like when it was checked
 * @hdr: restart: the TREE record
 * @pids: restart: its entries
 * @index: restart: image pid -> entry
 * @wq: restart: where the coordinator and the tasks wait for the baton
 * @lock: restart: serializes setting @err
 * @active: restart: the entry holding the baton, or -1
 * @phase: restart: what the baton is for (enum ckpt_phase)
 * @err: restart: the first failure; sticky
 */
struct ckpt_tree {
	unsigned int nr;
	struct task_struct **tasks;
	struct ckpt_stamp *stamps;
	struct ckpt_hdr_tree *hdr;
	struct ckpt_pids *pids;
	struct xarray index;
	wait_queue_head_t wq;
	spinlock_t lock;	/* for @err */
	int active;
	int phase;
	int err;
};

/*
 * What a task was when checkpoint checked it.  The image is written
 * while the tasks are parked, but writing may block for as long as the
 * image fd's reader likes, and meanwhile someone may thaw, continue,
 * kill or signal them.  A task that ran, exec'd or changed credentials
 * since its check fails the checkpoint instead of being read.
 */
struct ckpt_stamp {
	unsigned long nvcsw;
	unsigned long nivcsw;
	u64 exec_id;
	const struct cred *cred;	/* referenced: compared, never reused */
	bool zombie;
};

static struct ckpt_tree *ckpt_tree_alloc(struct ckpt_ctx *ctx)
{
	struct ckpt_tree *tree = kzalloc(sizeof(*tree), GFP_KERNEL);

	if (!tree)
		return NULL;
	xa_init(&tree->index);
	init_waitqueue_head(&tree->wq);
	spin_lock_init(&tree->lock);
	tree->active = -1;
	ctx->tree = tree;
	return tree;
}

u32 ckpt_tree_nr(struct ckpt_tree *tree)
{
	return tree ? tree->nr : 0;
}

/* checkpoint: the tasks */

/**
 * ckpt_task_gone - fail a checkpoint whose task exited while it was read
 * @ctx: checkpoint context
 *
 * Return: -ESRCH (logged).
 */
int ckpt_task_gone(struct ckpt_ctx *ctx)
{
	return ckpt_err(ctx, -ESRCH, "the task exited during the checkpoint");
}

static struct task_struct *ckpt_first_thread(struct task_struct *p)
{
	return list_first_entry(&p->signal->thread_head, struct task_struct,
				thread_node);
}

/* The first child of thread @t or of a later thread of its process. */
static struct task_struct *ckpt_child_from(struct task_struct *t)
{
	for (; t; t = __next_thread(t))
		if (!list_empty(&t->children))
			return list_first_entry(&t->children,
						struct task_struct, sibling);
	return NULL;
}

/*
 * The process after @p in depth-first order under @root, or NULL.
 * Children hang off the thread that forked them, so each thread's list
 * is visited in turn.  Caller holds tasklist_lock.
 */
static struct task_struct *ckpt_next_process(struct task_struct *root,
					     struct task_struct *p)
{
	struct task_struct *c, *t;

	c = ckpt_child_from(ckpt_first_thread(p));
	if (c)
		return c;
	while (p != root) {
		t = p->real_parent;
		if (!list_is_last(&p->sibling, &t->children))
			return list_next_entry(p, sibling);
		c = ckpt_child_from(__next_thread(t));
		if (c)
			return c;
		p = t->group_leader;
	}
	return NULL;
}

/* Fill @tasks (if not NULL) up to @max; returns how many there are. */
static unsigned int ckpt_walk(struct task_struct *root, bool subtree,
			      struct task_struct **tasks, unsigned int max)
{
	struct task_struct *p, *t;
	unsigned int n = 0;

	for (p = root; p; p = subtree ? ckpt_next_process(root, p) : NULL) {
		if (n < max)
			tasks[n] = p;
		n++;
		for_each_thread(p, t) {
			/* a thread already in do_exit() never runs again */
			if (t == p || (READ_ONCE(t->flags) & PF_EXITING))
				continue;
			if (n < max)
				tasks[n] = t;
			n++;
		}
		if (n > CKPT_TREE_MAX)
			break;
	}
	return n;
}

/**
 * ckpt_tasks_collect - the tasks a checkpoint of @root takes
 * @root: a process
 * @subtree: with its descendants
 * @nr: set to the number of tasks
 *
 * Processes in depth-first order, each followed by its other threads,
 * each task referenced.
 *
 * Return: the array (free with ckpt_tasks_put()) or an ERR_PTR: E2BIG
 * above CKPT_TREE_MAX tasks, EAGAIN if the tree keeps changing.
 */
struct task_struct **ckpt_tasks_collect(struct task_struct *root,
					bool subtree, unsigned int *nr)
{
	struct task_struct **tasks;
	unsigned int n, i, tries;

	root = root->group_leader;
	for (tries = 0; tries < 3; tries++) {
		read_lock(&tasklist_lock);
		n = ckpt_walk(root, subtree, NULL, 0);
		read_unlock(&tasklist_lock);
		if (n > CKPT_TREE_MAX)
			return ERR_PTR(-E2BIG);
		tasks = kvcalloc(n, sizeof(*tasks), GFP_KERNEL);
		if (!tasks)
			return ERR_PTR(-ENOMEM);
		read_lock(&tasklist_lock);
		if (ckpt_walk(root, subtree, tasks, n) == n) {
			for (i = 0; i < n; i++)
				get_task_struct(tasks[i]);
			read_unlock(&tasklist_lock);
			*nr = n;
			return tasks;
		}
		read_unlock(&tasklist_lock);
		kvfree(tasks);
	}
	return ERR_PTR(-EAGAIN);
}

void ckpt_tasks_put(struct task_struct **tasks, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (tasks[i])
			put_task_struct(tasks[i]);
	kvfree(tasks);
}

/*
 * Is a task of @tasks on its way out of do_exit()?  A thread that was
 * exiting when its process stopped or froze goes on until it is gone (a
 * group stop does not wait for it), with no user code left to run.
 */
static bool ckpt_tasks_exiting(struct task_struct **tasks, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (READ_ONCE(tasks[i]->flags) & PF_EXITING &&
		    !READ_ONCE(tasks[i]->exit_state))
			return true;
	return false;
}

/* An exited process its parent has not reaped: only its status is kept. */
bool ckpt_task_zombie(struct task_struct *t)
{
	return t->exit_state == EXIT_ZOMBIE && thread_group_leader(t) &&
	       thread_group_empty(t);
}

/**
 * ckpt_process_shares - does a process share state checkpoint cannot keep?
 * @p: a process (thread-group leader)
 * @why: filled with a short reason when it does
 * @len: size of @why
 *
 * Threads must share their process's file table and fs context, and no
 * other process may share its address space, file table, fs context or
 * signal handlers (clone(2) without CLONE_THREAD): restart rebuilds each
 * process with its own.
 *
 * Return: 0 or -EBUSY.
 */
int ckpt_process_shares(struct task_struct *p, char *why, size_t len)
{
	struct files_struct *files;
	struct fs_struct *fs;
	struct task_struct *t;
	int nr = 0, err = 0;

	if (ckpt_task_zombie(p))
		return 0;
	task_lock(p);
	files = p->files;
	fs = p->fs;
	task_unlock(p);
	rcu_read_lock();
	for_each_thread(p, t) {
		nr++;
		if (t->files != files || t->fs != fs) {
			snprintf(why, len,
				 "thread %d has its own %s (unshare(2)): not supported",
				 task_pid_vnr(t),
				 t->files != files ? "file table" : "fs context");
			err = -EBUSY;
			break;
		}
	}
	rcu_read_unlock();
	if (err)
		return err;
	if (p->mm && test_bit(MMF_MULTIPROCESS, &p->mm->flags))
		snprintf(why, len,
			 "its address space is shared with another process (CLONE_VM)");
	else if (READ_ONCE(p->vfork_done))
		/* CLONE_VFORK does not mark the mm MMF_MULTIPROCESS */
		snprintf(why, len,
			 "it is a vfork() child, sharing its parent's address space until it execs");
	else if (files && atomic_read(&files->count) != nr)
		snprintf(why, len,
			 "its file table is shared with another process (CLONE_FILES)");
	else if (fs && READ_ONCE(fs->users) != nr)
		snprintf(why, len,
			 "its fs context is shared with another process (CLONE_FS)");
	else if (refcount_read(&p->sighand->count) != nr)
		snprintf(why, len,
			 "its signal handlers are shared with another process (CLONE_SIGHAND)");
	else
		return 0;
	return -EBUSY;
}

/*
 * A task may not run while it is read: it must be frozen by the cgroup
 * v2 freezer or stopped, and off its CPU.
 */
static int ckpt_task_quiescent(struct ckpt_ctx *ctx, struct task_struct *t)
{
	bool parked;

	if (t == current || ckpt_task_zombie(t))
		return 0;
	parked = t->frozen || task_is_stopped_or_traced(t);
	if (!parked)
		return ckpt_err(ctx, -EBUSY,
				"task %d is neither frozen nor stopped",
				task_pid_vnr(t));
	/* A frozen task sleeps interruptibly in do_freezer_trap(). */
	if (!wait_task_inactive(t, TASK_INTERRUPTIBLE | __TASK_STOPPED |
				   __TASK_TRACED))
		return ckpt_err(ctx, -EBUSY, "task %d is still on a CPU",
				task_pid_vnr(t));
	return 0;
}

static void ckpt_stamp_take(struct ckpt_stamp *s, struct task_struct *t)
{
	s->nvcsw = READ_ONCE(t->nvcsw);
	s->nivcsw = READ_ONCE(t->nivcsw);
	s->exec_id = READ_ONCE(t->self_exec_id);
	s->cred = get_task_cred(t);
	s->zombie = ckpt_task_zombie(t);
}

/* Is task @i still as it was checked: parked, same program, same creds? */
static int ckpt_task_unchanged(struct ckpt_ctx *ctx, unsigned int i)
{
	struct task_struct *t = ctx->tree->tasks[i];
	struct ckpt_stamp *s = &ctx->tree->stamps[i];

	if (!pid_alive(t) || (s->zombie && !ckpt_task_zombie(t)))
		return ckpt_err(ctx, -ESRCH,
				"task %d exited or was reaped during the checkpoint",
				task_pid_vnr(t));
	if (!s->zombie && (t->flags & PF_EXITING))
		return ckpt_err(ctx, -ESRCH,
				"task %d is exiting", task_pid_vnr(t));
	if (READ_ONCE(t->self_exec_id) != s->exec_id)
		return ckpt_err(ctx, -EAGAIN,
				"task %d executed a program during the checkpoint",
				task_pid_vnr(t));
	/* commit_creds() replaces real_cred; get_task_cred() took it */
	if (rcu_access_pointer(t->real_cred) != s->cred)
		return ckpt_err(ctx, -EAGAIN,
				"task %d changed its credentials during the checkpoint",
				task_pid_vnr(t));
	if (t != current && (READ_ONCE(t->nvcsw) != s->nvcsw ||
			     READ_ONCE(t->nivcsw) != s->nivcsw))
		return ckpt_err(ctx, -EAGAIN,
				"task %d ran during the checkpoint (thawed, continued or woken)",
				task_pid_vnr(t));
	return 0;
}

/*
 * Check task @i again immediately before it is read, under the mutex
 * exec holds from its credential check to its new mm and credentials
 * (as ptrace attach does): until ckpt_task_release() it cannot exec,
 * and it is still the parked task, with the same credentials, that the
 * caller may ptrace.  Not exec_update_lock, which /proc readers take
 * under a pipe's mutex (splice) while reading the task would take pipe
 * mutexes under it.
 */
static int ckpt_task_hold(struct ckpt_ctx *ctx, unsigned int i)
{
	struct task_struct *t = ctx->tree->tasks[i];
	int err;

	err = mutex_lock_killable(&t->signal->cred_guard_mutex);
	if (err)
		return ckpt_err(ctx, err, "interrupted");
	err = ckpt_task_unchanged(ctx, i);
	if (!err && !ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
		err = ckpt_err(ctx, -EPERM, "no ptrace access");
	if (!err)
		err = ckpt_task_quiescent(ctx, t);
	if (err)
		mutex_unlock(&t->signal->cred_guard_mutex);
	return err;
}

static void ckpt_task_release(struct task_struct *t)
{
	mutex_unlock(&t->signal->cred_guard_mutex);
}

static int ckpt_check_tasks(struct ckpt_ctx *ctx)
{
	struct ckpt_tree *tree = ctx->tree;
	struct task_struct *t;
	char why[160];
	unsigned int i;
	int err;

	tree->stamps = kvcalloc(tree->nr, sizeof(*tree->stamps), GFP_KERNEL);
	if (!tree->stamps)
		return -ENOMEM;
	for (i = 0; i < tree->nr; i++) {
		t = tree->tasks[i];
		ctx->log_pid = task_pid_vnr(t);
		if (!ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
			return ckpt_err(ctx, -EPERM, "no ptrace access");
		if (t->exit_state && thread_group_leader(t) &&
		    !ckpt_task_zombie(t))
			return ckpt_err(ctx, -EBUSY,
					"the process has exited but some of its threads have not");
		if (!ckpt_task_zombie(t)) {
			err = ckpt_task_checkpointable(t, why, sizeof(why));
			if (err)
				return ckpt_err(ctx, err, "%s", why);
		}
		if (thread_group_leader(t)) {
			err = ckpt_process_shares(t, why, sizeof(why));
			if (err)
				return ckpt_err(ctx, err, "%s", why);
		}
		if (t == current && get_nr_threads(t) > 1)
			return ckpt_err(ctx, -EBUSY,
					"a process with other threads cannot checkpoint itself");
		err = ckpt_task_quiescent(ctx, t);
		if (err)
			return err;
		ckpt_stamp_take(&tree->stamps[i], t);
		cond_resched();
	}
	ctx->log_pid = 0;
	err = ckpt_tree_files_check(ctx, tree->tasks, tree->nr);
	return err ?: ckpt_ns_check(ctx, tree->tasks, tree->nr);
}

static int ckpt_write_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_tree *tree = ctx->tree;
	struct ckpt_hdr_tree *h;
	struct ckpt_pids *e;
	struct task_struct *t;
	u32 len = struct_size(h, pids, tree->nr);
	unsigned int i;
	int err;

	h = kvzalloc(len, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->nr_tasks = tree->nr;
	h->flags = ctx->ns_flags;
	rcu_read_lock();
	for (i = 0; i < tree->nr; i++) {
		t = tree->tasks[i];
		e = &h->pids[i];
		e->pid = task_pid_vnr(t);
		e->tgid = task_tgid_vnr(t);
		e->ppid = task_tgid_vnr(rcu_dereference(t->real_parent));
		e->pgid = task_pgrp_vnr(t);
		e->sid = task_session_vnr(t);
		if (thread_group_leader(t))
			e->exit_signal = t->exit_signal;
		if (ckpt_task_zombie(t))
			e->flags |= CKPT_PIDS_ZOMBIE;
	}
	rcu_read_unlock();
	err = ckpt_write_obj(ctx, CKPT_HDR_TREE, h, len);
	kvfree(h);
	return err;
}

/**
 * checkpoint_tree - check and write the tasks under @root
 * @ctx: checkpoint context
 * @root: the task checkpoint(2) was given
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_tree(struct ckpt_ctx *ctx, struct task_struct *root)
{
	bool subtree = ctx->flags & CHECKPOINT_SUBTREE;
	struct ckpt_tree *tree;
	struct task_struct *t;
	unsigned int i, tries;
	int err;

	tree = ckpt_tree_alloc(ctx);
	if (!tree)
		return -ENOMEM;
	ctx->log_pid = task_pid_vnr(root);
	if (!subtree) {
		bool children = false;

		read_lock(&tasklist_lock);
		for_each_thread(root->group_leader, t)
			children |= !list_empty(&t->children);
		read_unlock(&tasklist_lock);
		if (children)
			return ckpt_err(ctx, -EBUSY,
					"the process has children: CHECKPOINT_SUBTREE takes them too");
	}
	for (tries = 0;; tries++) {
		tree->tasks = ckpt_tasks_collect(root, subtree, &tree->nr);
		if (IS_ERR(tree->tasks)) {
			err = PTR_ERR(tree->tasks);
			tree->tasks = NULL;
			return ckpt_err(ctx, err, err == -E2BIG ?
					"more than %d tasks" :
					"the task tree keeps changing (%d)",
					CKPT_TREE_MAX);
		}
		if (tries == 20 || !ckpt_tasks_exiting(tree->tasks, tree->nr))
			break;
		ckpt_tasks_put(tree->tasks, tree->nr);
		tree->tasks = NULL;
		usleep_range(2000, 5000);
	}
	if (ckpt_task_zombie(tree->tasks[0]))
		return ckpt_err(ctx, -ESRCH, "the process has exited");
	err = ckpt_check_tasks(ctx);
	if (!err)
		err = ckpt_write_tree(ctx);
	if (!err)
		err = checkpoint_namespaces(ctx);
	for (i = 0; i < tree->nr && !err; i++) {
		t = tree->tasks[i];
		ctx->log_pid = task_pid_vnr(t);
		err = ckpt_task_hold(ctx, i);
		if (err)
			break;
		err = checkpoint_task(ctx, t);
		ckpt_task_release(t);
	}
	/* the image holds one moment only if no task ran while it was read */
	for (i = 0; i < tree->nr && !err; i++) {
		ctx->log_pid = task_pid_vnr(tree->tasks[i]);
		err = ckpt_task_unchanged(ctx, i);
	}
	return err;
}

/* restart: the tasks the tool made wait in restart(2) to be claimed */

struct ckpt_joiner {
	struct list_head list;
	struct task_struct *task;
	pid_t image_pid;
	struct ckpt_ctx *ctx;		/* set when claimed, with a reference */
	int idx;			/* then: its TREE entry */
};

static LIST_HEAD(ckpt_joiners);
static DEFINE_SPINLOCK(ckpt_joiners_lock);
static DECLARE_WAIT_QUEUE_HEAD(ckpt_join_wq);
static unsigned long ckpt_join_seq;	/* bumped by every arrival */

enum ckpt_phase {
	CKPT_PHASE_CLAIM,
	CKPT_PHASE_READ,
	CKPT_PHASE_COMMIT,
	CKPT_PHASE_DONE,
};

static int ckpt_tree_index(struct ckpt_tree *tree, pid_t pid)
{
	void *v = pid > 0 ? xa_load(&tree->index, pid) : NULL;

	return v ? xa_to_value(v) : -1;
}

/**
 * ckpt_tree_tasks - the tasks a checkpoint takes
 * @ctx: checkpoint context
 * @nr: set to how many
 *
 * Return: the array, owned by the tree.
 */
struct task_struct **ckpt_tree_tasks(struct ckpt_ctx *ctx, unsigned int *nr)
{
	*nr = ctx->tree ? ctx->tree->nr : 0;
	return *nr ? ctx->tree->tasks : NULL;
}

/**
 * ckpt_tree_task - the task restored for a pid of the image
 * @ctx: restart context, its tasks claimed
 * @pid: a pid of the TREE
 *
 * Return: the task (referenced by the tree, or current for
 * RESTART_TASKSELF) or NULL if @pid is none.
 */
struct task_struct *ckpt_tree_task(struct ckpt_ctx *ctx, pid_t pid)
{
	int i = ctx->tree ? ckpt_tree_index(ctx->tree, pid) : -1;

	if (i < 0)
		return NULL;
	/* RESTART_TASKSELF: the one task is the caller */
	return ctx->tree->tasks ? ctx->tree->tasks[i] : current;
}

/**
 * ckpt_read_tree - read and check the TREE record
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_read_tree(struct ckpt_ctx *ctx)
{
	struct ckpt_tree *tree;
	struct ckpt_hdr_tree *h;
	struct ckpt_pids *e;
	int i, k, leader = -1;

	tree = ckpt_tree_alloc(ctx);
	if (!tree)
		return -ENOMEM;
	h = ckpt_read_obj(ctx, CKPT_HDR_TREE, sizeof(*h) + sizeof(h->pids[0]),
			  struct_size(h, pids, CKPT_TREE_MAX));
	if (IS_ERR(h))
		return PTR_ERR(h);
	tree->hdr = h;
	if (h->flags & ~CKPT_TREE_FLAGS_ALL ||
	    h->nr_tasks < 1 || h->nr_tasks > CKPT_TREE_MAX ||
	    h->h.len != struct_size(h, pids, h->nr_tasks))
		return ckpt_err(ctx, -EBADMSG, "tree record malformed");
	tree->nr = h->nr_tasks;
	tree->pids = h->pids;
	ctx->ns_flags = h->flags;
	for (i = 0; i < tree->nr; i++) {
		e = &h->pids[i];
		if (e->pid <= 0 || e->tgid <= 0 || e->ppid < 0 ||
		    e->pgid < 0 || e->sid < 0 || e->_pad ||
		    e->flags & ~CKPT_PIDS_FLAGS_ALL ||
		    !valid_signal(e->exit_signal))
			return ckpt_err(ctx, -EBADMSG,
					"tree entry %d malformed", i);
		if (xa_insert(&tree->index, e->pid, xa_mk_value(i),
			      GFP_KERNEL))
			return ckpt_err(ctx, -EBADMSG,
					"tree entry %d: pid %d twice", i,
					e->pid);
		if (e->pid == e->tgid) {
			leader = i;
			k = ckpt_tree_index(tree, e->ppid);
			if (i > 0 && (k < 0 || k >= i ||
				      tree->pids[k].pid != tree->pids[k].tgid ||
				      tree->pids[k].flags & CKPT_PIDS_ZOMBIE))
				return ckpt_err(ctx, -EBADMSG,
						"tree entry %d: parent %d is no earlier process",
						i, e->ppid);
			if (i == 0 && e->flags & CKPT_PIDS_ZOMBIE)
				return ckpt_err(ctx, -EBADMSG,
						"the root is a zombie");
		} else if (i == 0 || leader < 0 ||
			   tree->pids[leader].pid != e->tgid ||
			   tree->pids[leader].ppid != e->ppid ||
			   e->flags || e->exit_signal ||
			   tree->pids[leader].flags & CKPT_PIDS_ZOMBIE) {
			return ckpt_err(ctx, -EBADMSG,
					"tree entry %d: thread %d does not follow its process",
					i, e->pid);
		}
	}
	return 0;
}

/* Is @t in the subtree of @root (its process or below)? */
static bool ckpt_in_subtree(struct task_struct *t, struct task_struct *root)
{
	struct task_struct *p;
	bool found = false;

	rcu_read_lock();
	for (p = t; p->pid; p = rcu_dereference(p->real_parent)) {
		if (same_thread_group(p, root)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * Claim the joined tasks of @root's subtree for their entries.  A task
 * the caller may not ptrace is never claimed (a failed restart kills
 * what it claimed): its pid in the image is put in @denied.
 */
static unsigned int ckpt_claim_some(struct ckpt_ctx *ctx,
				    struct task_struct *root, pid_t *denied)
{
	struct ckpt_tree *tree = ctx->tree;
	struct ckpt_joiner *j;
	unsigned int n = 0;
	int i;

	spin_lock(&ckpt_joiners_lock);
	list_for_each_entry(j, &ckpt_joiners, list) {
		if (j->ctx)
			continue;
		i = ckpt_tree_index(tree, j->image_pid);
		if (i < 0 || tree->tasks[i] || !ckpt_in_subtree(j->task, root))
			continue;
		/* takes task_lock(), as ptrace_attach() does, inside ours */
		if (!ptrace_may_access(j->task,
				       PTRACE_MODE_ATTACH_REALCREDS)) {
			*denied = j->image_pid;
			continue;
		}
		kref_get(&ctx->ref);
		j->ctx = ctx;
		j->idx = i;
		tree->tasks[i] = get_task_struct(j->task);
		n++;
	}
	spin_unlock(&ckpt_joiners_lock);
	if (n)
		wake_up_all(&ckpt_join_wq);
	return n;
}

/* Is @t's cgroup (v2) set to freeze, so that it stops before user space? */
/* RESTART_FROZEN: a cgroup v2 the caller can freeze, not the root one. */
static bool ckpt_cgroup_freezable(struct task_struct *t)
{
	bool ok = false;

#ifdef CONFIG_CGROUPS
	rcu_read_lock();
	ok = cgroup_parent(task_dfl_cgroup(t));
	rcu_read_unlock();
#endif
	return ok;
}

/* Is @t's cgroup (v2) being frozen? */
static bool ckpt_cgroup_freezing(struct task_struct *t)
{
	bool freezing = false;

#ifdef CONFIG_CGROUPS
	rcu_read_lock();
	freezing = READ_ONCE(task_dfl_cgroup(t)->freezer.e_freeze) > 0;
	rcu_read_unlock();
#endif
	return freezing;
}

/*
 * RESTART_FROZEN: do not return to user space before the cgroup freezer
 * has marked us; the return then ends in the freezer's trap.  If the
 * cgroup was frozen and thawed again between two looks, it is thawed:
 * go on.
 */
static void ckpt_wait_freezer(void)
{
	bool seen = false;

	while (!(READ_ONCE(current->jobctl) & JOBCTL_TRAP_FREEZE) &&
	       !fatal_signal_pending(current)) {
		if (ckpt_cgroup_freezing(current))
			seen = true;
		else if (seen)
			break;
		schedule_timeout_killable(HZ / 50);
	}
}

static int ckpt_check_pgrp(struct ckpt_ctx *ctx, struct task_struct *t,
			   pid_t want, enum pid_type type)
{
	struct ckpt_tree *tree = ctx->tree;
	int k = ckpt_tree_index(tree, want);
	bool ok;

	/* a group or session from outside the tree is the restarter's */
	if (k < 0 || tree->pids[k].pid != tree->pids[k].tgid)
		return 0;
	rcu_read_lock();
	ok = task_pid_type(t, type) == task_pid(tree->tasks[k]);
	rcu_read_unlock();
	if (!ok)
		return ckpt_err(ctx, -EINVAL,
				"the restarter did not put it in %s %d",
				type == PIDTYPE_PGID ? "process group" :
				"session", want);
	return 0;
}

/*
 * The tool must have built the tree the image describes: each process
 * a child of its parent's, each thread in its process and no other,
 * each process with address space, files, fs and signal handlers of
 * its own, in its process group and session.
 */
static int ckpt_check_claimed(struct ckpt_ctx *ctx)
{
	struct ckpt_tree *tree = ctx->tree;
	struct task_struct *t, *parent;
	char why[160];
	int i, k, err, leader = 0, nr = 0;

	for (i = 0; i < tree->nr; i++) {
		struct ckpt_pids *e = &tree->pids[i];

		t = tree->tasks[i];
		ctx->log_pid = e->pid;
		if (!ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS))
			return ckpt_err(ctx, -EPERM,
					"no ptrace access to the task that joined");
		if (e->pid != e->tgid) {
			if (!same_thread_group(t, tree->tasks[leader]) ||
			    thread_group_leader(t))
				return ckpt_err(ctx, -EINVAL,
						"the task that joined is not a thread of process %d",
						e->tgid);
			continue;
		}
		leader = i;
		if (!thread_group_leader(t))
			return ckpt_err(ctx, -EINVAL,
					"the task that joined is not a process");
		for (k = i + 1, nr = 1; k < tree->nr &&
		     tree->pids[k].tgid == e->pid && tree->pids[k].pid != e->pid;
		     k++)
			nr++;
		if (get_nr_threads(t) != nr)
			return ckpt_err(ctx, -EINVAL,
					"the process has %d threads, the image %d",
					get_nr_threads(t), nr);
		if (i > 0) {
			k = ckpt_tree_index(tree, e->ppid);
			rcu_read_lock();
			parent = rcu_dereference(t->real_parent);
			err = same_thread_group(parent, tree->tasks[k]) ? 0 :
			      -EINVAL;
			rcu_read_unlock();
			if (err)
				return ckpt_err(ctx, err,
						"not a child of the process restored as %d",
						e->ppid);
		}
		if (t->exit_signal != e->exit_signal)
			return ckpt_err(ctx, -EINVAL,
					"exit signal %d, the image's is %u",
					t->exit_signal, e->exit_signal);
		err = ckpt_process_shares(t, why, sizeof(why));
		if (err)
			return ckpt_err(ctx, -EINVAL, "%s", why);
		err = ckpt_check_pgrp(ctx, t, e->pgid, PIDTYPE_PGID);
		if (!err)
			err = ckpt_check_pgrp(ctx, t, e->sid, PIDTYPE_SID);
		if (err)
			return err;
		if ((ctx->flags & RESTART_FROZEN) && !ckpt_cgroup_freezable(t))
			return ckpt_err(ctx, -EINVAL,
					"RESTART_FROZEN: the task is in the root cgroup, which cannot be frozen");
	}
	ctx->log_pid = 0;
	return ckpt_ns_check_restart(ctx, tree->tasks, tree->pids, tree->nr);
}

/* Wait until another task joins: > 0, 0 on timeout, < 0 if interrupted. */
static long ckpt_wait_join(unsigned long seq, long timeout)
{
	return wait_event_interruptible_timeout(ckpt_join_wq,
						READ_ONCE(ckpt_join_seq) != seq,
						timeout);
}

static int ckpt_claim(struct ckpt_ctx *ctx, struct task_struct *root)
{
	struct ckpt_tree *tree = ctx->tree;
	unsigned long deadline = jiffies + CKPT_JOIN_TIMEOUT, seq;
	unsigned int claimed = 0;
	long left;
	int i;

	tree->tasks = kvcalloc(tree->nr, sizeof(*tree->tasks), GFP_KERNEL);
	if (!tree->tasks)
		return -ENOMEM;
	for (;;) {
		pid_t denied = 0;

		seq = READ_ONCE(ckpt_join_seq);
		claimed += ckpt_claim_some(ctx, root, &denied);
		if (denied)
			return ckpt_err(ctx, -EPERM,
					"no ptrace access to the task that joined as pid %d",
					denied);
		if (claimed == tree->nr)
			break;
		left = (long)(deadline - jiffies);
		if (left > 0)
			left = ckpt_wait_join(seq, left);
		else
			left = 0;
		/* the tool interrupts us when it fails to make a task */
		if (left < 0)
			return ckpt_err(ctx, -EINTR,
					"interrupted while the tasks joined");
		if (!left) {
			for (i = 0; i < tree->nr && tree->tasks[i]; i++)
				;
			return ckpt_err(ctx, -ETIMEDOUT,
					"no task joined for pid %d of the image",
					tree->pids[i].pid);
		}
	}
	return ckpt_check_claimed(ctx);
}

/* Hand the baton to entry @i and wait until it gives it back. */
static int ckpt_turn(struct ckpt_ctx *ctx, int i)
{
	struct ckpt_tree *tree = ctx->tree;
	int err;

	WRITE_ONCE(tree->active, i);
	wake_up_all(&tree->wq);
	err = wait_event_killable(tree->wq, READ_ONCE(tree->active) < 0);
	if (err)
		return err;
	return READ_ONCE(tree->err);
}

/* Record a failure; the first one sticks. */
static void ckpt_tree_fail(struct ckpt_tree *tree, int err)
{
	spin_lock(&tree->lock);
	if (!tree->err)
		tree->err = err;
	spin_unlock(&tree->lock);
}

/* Fail the restart and kill every claimed task. */
static void ckpt_abort(struct ckpt_ctx *ctx, int err)
{
	struct ckpt_tree *tree = ctx->tree;
	int i;

	ckpt_tree_fail(tree, err);
	for (i = 0; tree->tasks && i < tree->nr; i++)
		if (tree->tasks[i])
			send_sig(SIGKILL, tree->tasks[i], 1);
	wake_up_all(&tree->wq);
}

/* A zombie's exit must be over before its parent takes its signals. */
static int ckpt_wait_exited(struct task_struct *t)
{
	while (!READ_ONCE(t->exit_state)) {
		if (fatal_signal_pending(current))
			return -EINTR;
		schedule_timeout_killable(1);
	}
	return 0;
}

/**
 * ckpt_restart_coordinate - restore the tree the image describes
 * @ctx: restart context, the image's header read
 * @root: the task given to restart(2): the root or an ancestor of it
 *
 * Return: 0 when every task is restored and released, or a negative
 * errno (logged) after killing every task claimed.
 */
int ckpt_restart_coordinate(struct ckpt_ctx *ctx, struct task_struct *root)
{
	struct ckpt_tree *tree;
	int i, err;

	err = ckpt_read_tree(ctx);
	if (err)
		return err;
	tree = ctx->tree;
	err = ckpt_claim(ctx, root);
	if (err)
		goto fail;
	tree->phase = CKPT_PHASE_READ;
	for (i = 0; i < tree->nr && !err; i++)
		err = ckpt_turn(ctx, i);
	if (err)
		goto fail;
	err = ckpt_read_tail(ctx);
	if (err)
		goto fail;
	err = restore_tcp_finish(ctx);
	if (err)
		goto fail;
	restore_ipc_finish(ctx);
	/* children first: a zombie's exit reaches its parent uncommitted */
	tree->phase = CKPT_PHASE_COMMIT;
	for (i = tree->nr - 1; i >= 0 && !err; i--) {
		err = ckpt_turn(ctx, i);
		if (!err && tree->pids[i].flags & CKPT_PIDS_ZOMBIE)
			err = ckpt_wait_exited(tree->tasks[i]);
	}
	if (err)
		goto fail;
	restore_relink_finish(ctx);
	restore_tcp_resume(ctx);
	WRITE_ONCE(tree->phase, CKPT_PHASE_DONE);
	wake_up_all(&tree->wq);
	return 0;
fail:
	ckpt_abort(ctx, err);
	return err;
}

/* What a task does with the baton: read its records, or commit them. */
static int ckpt_joined_turn(struct ckpt_ctx *ctx, struct ckpt_task_state *ts,
			    int idx, long *ret)
{
	struct ckpt_tree *tree = ctx->tree;
	struct ckpt_pids *e = &tree->pids[idx];
	int err;

	ctx->ts = ts;
	ctx->log_pid = e->pid;
	if (tree->phase == CKPT_PHASE_READ) {
		ts->leader = e->pid == e->tgid;
		ts->zombie = e->flags & CKPT_PIDS_ZOMBIE;
		/* the root fills in its new namespaces before its records */
		err = idx ? 0 : restore_namespaces(ctx);
		if (!err)
			err = restore_task_stage(ctx);
	} else {
		err = restore_task_apply(ctx, ret);
	}
	ctx->ts = NULL;
	ctx->log_pid = 0;
	return err;
}

/**
 * ckpt_restart_join - be restored as task @image_pid of a coordinated
 * restart (RESTART_JOIN)
 * @image_pid: the pid in the image this task stands for
 *
 * Waits until a coordinator claims the task, then restores it when its
 * turn comes.
 *
 * Return: the restored task's return value (its rax), or a negative
 * errno if the restart failed, in which case the task has been killed.
 */
long ckpt_restart_join(pid_t image_pid)
{
	struct ckpt_joiner j = { .task = current, .image_pid = image_pid };
	struct ckpt_task_state *ts;
	struct ckpt_tree *tree;
	struct ckpt_ctx *ctx;
	bool zombie, frozen;
	long ret = 0;
	int err;

	if (image_pid <= 0)
		return -EINVAL;
	ts = kzalloc(sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	spin_lock(&ckpt_joiners_lock);
	list_add_tail(&j.list, &ckpt_joiners);
	ckpt_join_seq++;
	spin_unlock(&ckpt_joiners_lock);
	wake_up_all(&ckpt_join_wq);

	wait_event_killable(ckpt_join_wq, READ_ONCE(j.ctx));
	spin_lock(&ckpt_joiners_lock);
	list_del(&j.list);
	ctx = j.ctx;
	spin_unlock(&ckpt_joiners_lock);
	if (!ctx) {
		kfree(ts);
		return -EINTR;
	}

	tree = ctx->tree;
	for (;;) {
		err = wait_event_killable(tree->wq,
					  READ_ONCE(tree->active) == j.idx ||
					  READ_ONCE(tree->phase) ==
					  CKPT_PHASE_DONE ||
					  READ_ONCE(tree->err));
		if (!err)
			err = READ_ONCE(tree->err);
		if (err || READ_ONCE(tree->phase) == CKPT_PHASE_DONE)
			break;
		err = ckpt_joined_turn(ctx, ts, j.idx, &ret);
		if (err)
			ckpt_tree_fail(tree, err);
		WRITE_ONCE(tree->active, -1);
		wake_up_all(&tree->wq);
		/* a zombie's restore ends with its exit, once committed */
		if (err || (tree->phase == CKPT_PHASE_COMMIT && ts->zombie))
			break;
	}
	zombie = !err && ts->zombie;
	if (zombie)
		ret = ts->task->exit_code;
	frozen = !err && !zombie && ctx->flags & RESTART_FROZEN;
	restore_task_state_free(ts);
	ckpt_ctx_put(ctx);
	if (zombie)
		do_exit(ret);
	if (err) {
		/* the coordinator kills us too; do not run on half restored */
		force_fatal_sig(SIGKILL);
		return err;
	}
	if (frozen)
		ckpt_wait_freezer();
	return ret;
}

void ckpt_tree_free(struct ckpt_tree *tree)
{
	unsigned int i;

	if (!tree)
		return;
	for (i = 0; tree->stamps && i < tree->nr; i++)
		if (tree->stamps[i].cred)
			put_cred(tree->stamps[i].cred);
	kvfree(tree->stamps);
	if (tree->tasks)
		ckpt_tasks_put(tree->tasks, tree->nr);
	xa_destroy(&tree->index);
	kvfree(tree->hdr);
	kfree(tree);
}
