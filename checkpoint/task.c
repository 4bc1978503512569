// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task state: the task record, credentials, resource limits and
 * the filesystem context (root, cwd, umask).
 */
#include <linux/cpumask.h>
#include <linux/seccomp.h>
#include <linux/sched/prio.h>
#include <linux/pid_namespace.h>
#include <linux/capability.h>
#include <uapi/linux/futex.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/personality.h>
#include <linux/resource.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/securebits.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "internal.h"

#define CKPT_NGROUPS_MAX	65536
/* ORIG_RSEQ_SIZE of kernel/rseq.c: the smallest struct rseq rseq(2) takes */
#define CKPT_RSEQ_ORIG_SIZE	32

static int checkpoint_task_record(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_task h = {};

	/* a thread that is not the first of its process has none */
	if (thread_group_leader(t))
		h.exit_signal = t->exit_signal;
	h.personality = t->personality;
	if (ckpt_task_zombie(t))
		h.exit_code = t->exit_code;
	h.pdeath_signal = t->pdeath_signal;
	get_task_comm(h.comm, t);
	h.clear_child_tid = (unsigned long)t->clear_child_tid;
	h.robust_list = (unsigned long)t->robust_list;
#ifdef CONFIG_RSEQ
	if (t->rseq) {
		h.rseq = (unsigned long)t->rseq;
		h.rseq_len = t->rseq_len;
		h.rseq_sig = t->rseq_sig;
	}
#endif
	return ckpt_write_obj(ctx, CKPT_HDR_TASK, &h, sizeof(h));
}

static u64 ckpt_cap(kernel_cap_t c)
{
	return c.val;
}

static int checkpoint_creds(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct user_namespace *ns = current_user_ns();
	const struct cred *cred;
	struct ckpt_hdr_creds *h;
	struct group_info *gi;
	u32 len, i;
	int err;

	cred = get_task_cred(t);
	gi = cred->group_info;
	len = sizeof(*h) + gi->ngroups * sizeof(u32);
	h = kvzalloc(ckpt_padded(len), GFP_KERNEL);
	if (!h) {
		put_cred(cred);
		return -ENOMEM;
	}
	h->uid = from_kuid_munged(ns, cred->uid);
	h->euid = from_kuid_munged(ns, cred->euid);
	h->suid = from_kuid_munged(ns, cred->suid);
	h->fsuid = from_kuid_munged(ns, cred->fsuid);
	h->gid = from_kgid_munged(ns, cred->gid);
	h->egid = from_kgid_munged(ns, cred->egid);
	h->sgid = from_kgid_munged(ns, cred->sgid);
	h->fsgid = from_kgid_munged(ns, cred->fsgid);
	h->cap_inheritable = ckpt_cap(cred->cap_inheritable);
	h->cap_permitted = ckpt_cap(cred->cap_permitted);
	h->cap_effective = ckpt_cap(cred->cap_effective);
	h->cap_bset = ckpt_cap(cred->cap_bset);
	h->cap_ambient = ckpt_cap(cred->cap_ambient);
	h->securebits = cred->securebits;
	h->ngroups = gi->ngroups;
	for (i = 0; i < gi->ngroups; i++)
		h->groups[i] = from_kgid_munged(ns, gi->gid[i]);
	put_cred(cred);
	err = ckpt_write_obj(ctx, CKPT_HDR_CREDS, h, len);
	kvfree(h);
	return err;
}

static int checkpoint_rlimits(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_rlimits h = {};
	struct rlimit r;
	int i;

	BUILD_BUG_ON(RLIM_NLIMITS > CKPT_RLIM_NLIMITS);
	for (i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		h.rlim[i].cur = RLIM64_INFINITY;
		h.rlim[i].max = RLIM64_INFINITY;
	}
	task_lock(t->group_leader);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		r = t->signal->rlim[i];
		h.rlim[i].cur = r.rlim_cur == RLIM_INFINITY ? RLIM64_INFINITY :
				r.rlim_cur;
		h.rlim[i].max = r.rlim_max == RLIM_INFINITY ? RLIM64_INFINITY :
				r.rlim_max;
	}
	task_unlock(t->group_leader);
	return ckpt_write_obj(ctx, CKPT_HDR_RLIMITS, &h, sizeof(h));
}

/* The task's root and working directory, referenced, and its umask. */
static int ckpt_fs_paths(struct task_struct *t, struct path *root,
			 struct path *pwd, u32 *umask)
{
	task_lock(t);
	if (t->fs) {
		get_fs_root(t->fs, root);
		get_fs_pwd(t->fs, pwd);
		*umask = t->fs->umask;
	}
	task_unlock(t);
	return root->mnt ? 0 : -EINVAL;
}

/**
 * ckpt_fs_checkpointable - would checkpoint take a task's root and cwd?
 * @t: the task
 * @why: filled with a short reason when it would not
 * @len: size of @why
 *
 * Return: 0 or the errno checkpoint would fail with.
 */
int ckpt_fs_checkpointable(struct task_struct *t, char *why, size_t len)
{
	struct path root = {}, pwd = {};
	u32 umask;
	int err;

	err = ckpt_fs_paths(t, &root, &pwd, &umask);
	if (err) {
		snprintf(why, len, "task has no filesystem context");
		return err;
	}
	if (d_unlinked(pwd.dentry) || d_unlinked(root.dentry)) {
		snprintf(why, len, "root or working directory has no reachable name");
		err = -EOPNOTSUPP;
	}
	path_put(&root);
	path_put(&pwd);
	return err;
}

static int checkpoint_fs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct path root = {}, pwd = {};
	struct ckpt_hdr_fs *h = NULL;
	char *rbuf, *cbuf, *rp, *cp;
	u32 umask = 0, rlen, clen, len;
	int err = -ENOMEM;

	/* a user task loses its fs context only when it exits */
	if (ckpt_fs_paths(t, &root, &pwd, &umask))
		return ckpt_task_gone(ctx);
	rbuf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	cbuf = kmalloc(CKPT_PATH_MAX, GFP_KERNEL);
	if (!rbuf || !cbuf)
		goto out;
	rp = d_path(&root, rbuf, CKPT_PATH_MAX);
	cp = d_path(&pwd, cbuf, CKPT_PATH_MAX);
	if (IS_ERR(rp) || IS_ERR(cp) || d_unlinked(pwd.dentry) ||
	    d_unlinked(root.dentry)) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "root or working directory has no reachable name");
		goto out;
	}
	rlen = strlen(rp) + 1;
	clen = strlen(cp) + 1;
	len = sizeof(*h) + rlen + clen;
	h = kzalloc(ckpt_padded(len), GFP_KERNEL);
	if (!h)
		goto out;
	h->umask = umask;
	h->root_len = rlen;
	h->cwd_len = clen;
	memcpy(h->paths, rp, rlen);
	memcpy(h->paths + rlen, cp, clen);
	err = ckpt_write_obj(ctx, CKPT_HDR_FS, h, len);
out:
	kfree(h);
	kfree(rbuf);
	kfree(cbuf);
	path_put(&root);
	path_put(&pwd);
	return err;
}

/**
 * ckpt_task_state_check - does a task have state checkpoint would drop?
 * @t: the task (not a zombie)
 * @why: filled with a short reason when it does
 * @len: size of @why
 *
 * What the image does not carry is refused here, with a reason, rather
 * than lost at restart: a sandboxed process must not come back
 * unsandboxed, a deadline task must not come back with the restarter's
 * policy.
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int ckpt_task_state_check(struct task_struct *t, char *why, size_t len)
{
	const char *what = NULL;

#ifdef CONFIG_SECCOMP
	if (READ_ONCE(t->seccomp.mode) != SECCOMP_MODE_DISABLED)
		what = "a seccomp filter or strict mode (restart would lift the sandbox)";
#endif
	if (!what && (READ_ONCE(t->ptrace) || !list_empty(&t->ptraced)))
		what = "a ptrace relation (traced, or tracing another task)";
	else if (!what && READ_ONCE(t->policy) == SCHED_DEADLINE)
		what = "the SCHED_DEADLINE policy";
	else if (!what && READ_ONCE(t->policy) > SCHED_DEADLINE)
		what = "the SCHED_EXT policy";
	else if (!what && READ_ONCE(t->se.custom_slice))
		what = "a custom time slice (sched_setattr sched_runtime)";
#ifdef CONFIG_UCLAMP_TASK
	else if (!what && (t->uclamp_req[UCLAMP_MIN].user_defined ||
			   t->uclamp_req[UCLAMP_MAX].user_defined))
		what = "utilization clamps (sched_setattr SCHED_FLAG_UTIL_CLAMP)";
#endif
	else if (!what && pidns_memfd_noexec_scope(task_active_pid_ns(t)))
		what = "a vm.memfd_noexec policy in its pid namespace";
	if (!what)
		return 0;
	snprintf(why, len, "the task has %s, which checkpoint does not save",
		 what);
	return -EOPNOTSUPP;
}

/* restart */

/* A wait(2) status: exited with a code, or killed by a signal (+ core). */
static bool ckpt_wait_status_valid(u32 code)
{
	u32 sig = code & 0x7f;

	if (!sig)
		return !(code & ~0xff00U);
	return !(code & ~0xffU) && sig <= CKPT_NSIG;
}

/* What rseq(2) would accept as a new registration. */
static bool ckpt_rseq_valid(const struct ckpt_hdr_task *h)
{
	if (!h->rseq)
		return !h->rseq_len && !h->rseq_sig;
	if (h->rseq_len < CKPT_RSEQ_ORIG_SIZE || h->rseq_len > PAGE_SIZE ||
	    h->rseq >= TASK_SIZE_MAX || h->rseq_len > TASK_SIZE_MAX - h->rseq)
		return false;
	if (h->rseq_len == CKPT_RSEQ_ORIG_SIZE)
		return IS_ALIGNED(h->rseq, CKPT_RSEQ_ORIG_SIZE);
	return IS_ALIGNED(h->rseq, __alignof__(struct rseq)) &&
	       h->rseq_len >= offsetof(struct rseq, end);
}

static int restore_task_record(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	struct ckpt_hdr_task *h;
	u32 code;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_TASK, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	ts->task = h;
	if (!valid_signal(h->exit_signal) || !valid_signal(h->pdeath_signal) ||
	    strnlen(h->comm, sizeof(h->comm)) == sizeof(h->comm) ||
	    h->clear_child_tid >= TASK_SIZE_MAX ||
	    h->robust_list > TASK_SIZE_MAX - sizeof(struct robust_list_head) ||
	    (!ts->leader && h->exit_signal))
		return ckpt_err(ctx, -EBADMSG, "task record malformed");
	if (!ckpt_rseq_valid(h))
		return ckpt_err(ctx, -EBADMSG, "rseq registration malformed");
	if (h->rseq && !IS_ENABLED(CONFIG_RSEQ))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"the task has an rseq area; this kernel has no CONFIG_RSEQ");
	code = h->exit_code;
	if (ts->zombie ? !ckpt_wait_status_valid(code) : code)
		return ckpt_err(ctx, -EBADMSG, "exit code %#x malformed", code);
	if (h->personality & ~(PER_MASK | ADDR_NO_RANDOMIZE | MMAP_PAGE_ZERO |
			       ADDR_COMPAT_LAYOUT | READ_IMPLIES_EXEC |
			       ADDR_LIMIT_32BIT | SHORT_INODE | WHOLE_SECONDS |
			       STICKY_TIMEOUTS | ADDR_LIMIT_3GB |
			       UNAME26 | FDPIC_FUNCPTRS))
		return ckpt_err(ctx, -EBADMSG, "unknown personality %#x",
				h->personality);
	/*
	 * Only the parent chooses the signal its child's death sends it
	 * (exec resets it to SIGCHLD): an image may not pick another.
	 */
	if (ts->leader && h->exit_signal != SIGCHLD &&
	    h->exit_signal != current->exit_signal)
		return ckpt_err(ctx, -EPERM, "exit signal %u not allowed",
				h->exit_signal);
	/* MMAP_PAGE_ZERO maps page 0 on exec: as privileged as mmap_min_addr */
	if ((h->personality & MMAP_PAGE_ZERO) && !capable(CAP_SYS_RAWIO))
		return ckpt_err(ctx, -EPERM, "personality MMAP_PAGE_ZERO needs CAP_SYS_RAWIO");
	return 0;
}

static bool ckpt_uid_allowed(const struct cred *old, kuid_t uid)
{
	return uid_eq(uid, old->uid) || uid_eq(uid, old->euid) ||
	       uid_eq(uid, old->suid) || uid_eq(uid, old->fsuid);
}

static bool ckpt_gid_allowed(const struct cred *old, kgid_t gid)
{
	return gid_eq(gid, old->gid) || gid_eq(gid, old->egid) ||
	       gid_eq(gid, old->sgid) || gid_eq(gid, old->fsgid);
}

/**
 * ckpt_as_task - act with the credentials the restored task will have
 * @ctx: restart context
 *
 * Paths are looked up and files opened as the task being restored would
 * (its staged credentials, once its CREDS record was read and checked),
 * not as the restarter: a root restart of a user's image opens nothing
 * that user could not.  Before the task's credentials are known, and at
 * checkpoint, the caller's own are kept.
 *
 * Return: the credentials to give back to ckpt_as_restarter(), or NULL.
 */
const struct cred *ckpt_as_task(struct ckpt_ctx *ctx)
{
	if (ctx->op != CKPT_OP_RESTART || !ctx->ts || !ctx->ts->cred)
		return NULL;
	return override_creds(ctx->ts->cred);
}

/**
 * ckpt_as_restarter - end what ckpt_as_task() began
 * @old: its return value
 */
void ckpt_as_restarter(const struct cred *old)
{
	if (old)
		revert_creds(old);
}

/**
 * ckpt_ids_check - may the restarter give an object these owner ids?
 * @ctx: restart context
 * @uid: user id from the image, in the restarter's user namespace
 * @gid: group id from the image
 * @kuid: set to @uid mapped
 * @kgid: set to @gid mapped
 * @what: the object, for the log
 *
 * As setresuid(2) and setresgid(2) would: ids of its own, or any with
 * CAP_SETUID / CAP_SETGID.
 *
 * Return: 0, -EINVAL (no mapping) or -EPERM (logged).
 */
int ckpt_ids_check(struct ckpt_ctx *ctx, u32 uid, u32 gid, kuid_t *kuid,
		   kgid_t *kgid, const char *what)
{
	const struct cred *old = current_cred();
	struct user_namespace *ns = old->user_ns;

	*kuid = make_kuid(ns, uid);
	*kgid = make_kgid(ns, gid);
	if (!uid_valid(*kuid) || !gid_valid(*kgid))
		return ckpt_err(ctx, -EINVAL,
				"%s: uid %u or gid %u has no mapping here",
				what, uid, gid);
	if (!ns_capable_setid(ns, CAP_SETUID) &&
	    !ckpt_uid_allowed(old, *kuid))
		return ckpt_err(ctx, -EPERM, "%s: may not take uid %u",
				what, uid);
	if (!ns_capable(ns, CAP_SETGID) && !ckpt_gid_allowed(old, *kgid))
		return ckpt_err(ctx, -EPERM, "%s: may not take gid %u",
				what, gid);
	return 0;
}

static bool ckpt_cap_subset(u64 a, kernel_cap_t b)
{
	return !(a & ~b.val);
}

/*
 * Build the restored credentials, allowing only what setresuid(2),
 * setresgid(2), setgroups(2), capset(2) and the prctl(2)s of the
 * bounding set, ambient set and securebits would allow the restarter:
 * the checks those system calls use themselves.
 */
static int restore_creds_check(struct ckpt_ctx *ctx, struct ckpt_hdr_creds *h,
			       struct cred *new)
{
	const struct cred *old = current_cred();
	struct user_namespace *ns = old->user_ns;
	kuid_t uid[4];
	kgid_t gid[4];
	u32 uids[4] = { h->uid, h->euid, h->suid, h->fsuid };
	u32 gids[4] = { h->gid, h->egid, h->sgid, h->fsgid };
	kernel_cap_t eff, inh, perm;
	u64 valid = CAP_VALID_MASK;
	struct group_info *gi;
	int i, cap, err;

	for (i = 0; i < 4; i++) {
		err = ckpt_ids_check(ctx, uids[i], gids[i], &uid[i], &gid[i],
				     "creds");
		if (err)
			return err;
	}
	if ((h->cap_inheritable | h->cap_permitted | h->cap_effective |
	     h->cap_bset | h->cap_ambient) & ~valid)
		return ckpt_err(ctx, -EBADMSG, "creds: unknown capability bits");
	if (h->securebits & ~SECURE_ALL_BITS & ~SECURE_ALL_LOCKS)
		return ckpt_err(ctx, -EBADMSG, "creds: unknown securebits");

	/* setresuid(2)'s and setresgid(2)'s own check, user_struct, LSMs */
	err = cred_setresuid(new, uid[0], uid[1], uid[2]);
	if (err)
		return ckpt_err(ctx, err, "creds: setresuid(%u, %u, %u) refused",
				h->uid, h->euid, h->suid);
	err = cred_setresgid(new, gid[0], gid[1], gid[2]);
	if (err)
		return ckpt_err(ctx, err, "creds: setresgid(%u, %u, %u) refused",
				h->gid, h->egid, h->sgid);
	/* checked above as setfsuid(2) and setfsgid(2) would */
	new->fsuid = uid[3];
	new->fsgid = gid[3];

	gi = groups_alloc(h->ngroups);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < h->ngroups; i++) {
		gi->gid[i] = make_kgid(ns, h->groups[i]);
		if (!gid_valid(gi->gid[i])) {
			put_group_info(gi);
			return ckpt_err(ctx, -EINVAL,
					"creds: group %u has no mapping here",
					h->groups[i]);
		}
	}
	groups_sort(gi);
	if ((gi->ngroups != old->group_info->ngroups ||
	     memcmp(gi->gid, old->group_info->gid,
		    gi->ngroups * sizeof(kgid_t))) && !may_setgroups()) {
		put_group_info(gi);
		return ckpt_err(ctx, -EPERM,
				"creds: changing groups needs CAP_SETGID");
	}
	set_groups(new, gi);
	put_group_info(gi);

	/*
	 * Then as the restored task would change them itself, with the
	 * checks of the system calls: prctl(PR_CAPBSET_DROP), capset(2)
	 * (commoncap and the LSMs; it trims the ambient set to permitted
	 * and inheritable), PR_CAP_AMBIENT_RAISE and PR_SET_SECUREBITS.
	 */
	if (!ckpt_cap_subset(h->cap_bset, old->cap_bset))
		return ckpt_err(ctx, -EPERM,
				"creds: bounding set beyond the restarter's");
	for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (!cap_raised(old->cap_bset, cap) ||
		    h->cap_bset & BIT_ULL(cap))
			continue;
		err = cap_bset_drop(new, cap);
		if (err)
			return ckpt_err(ctx, err,
					"creds: PR_CAPBSET_DROP of capability %d refused",
					cap);
	}
	eff.val = h->cap_effective;
	inh.val = h->cap_inheritable;
	perm.val = h->cap_permitted;
	err = security_capset(new, old, &eff, &inh, &perm);
	if (err)
		return ckpt_err(ctx, err,
				"creds: capset(2) refused the capabilities");
	for (cap = 0; cap <= CAP_LAST_CAP; cap++) {
		if (!(h->cap_ambient & BIT_ULL(cap)) ||
		    cap_raised(new->cap_ambient, cap))
			continue;
		if (!cap_ambient_may_raise(new, cap))
			return ckpt_err(ctx, -EPERM,
					"creds: PR_CAP_AMBIENT_RAISE of capability %d refused",
					cap);
		cap_raise(new->cap_ambient, cap);
	}
	new->cap_ambient.val &= h->cap_ambient;	/* lowering is free */
	if (h->securebits != old->securebits) {
		err = cap_securebits_may_set(old, h->securebits);
		if (err)
			return ckpt_err(ctx, err,
					"creds: PR_SET_SECUREBITS(%#x) refused",
					h->securebits);
		new->securebits = h->securebits;
	}
	return 0;
}

static int restore_creds(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_creds *h;
	struct cred *new;
	int err;

	h = ckpt_read_obj(ctx, CKPT_HDR_CREDS, sizeof(*h),
			  sizeof(*h) + CKPT_NGROUPS_MAX * sizeof(u32));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->h.len != sizeof(*h) + h->ngroups * sizeof(u32)) {
		err = ckpt_err(ctx, -EBADMSG, "creds: bad group count %u",
			       h->ngroups);
		kvfree(h);
		return err;
	}
	new = prepare_creds();
	if (!new) {
		kvfree(h);
		return -ENOMEM;
	}
	err = restore_creds_check(ctx, h, new);
	kvfree(h);
	if (err) {
		abort_creds(new);
		return err;
	}
	ctx->ts->cred = new;
	return 0;
}

static int restore_rlimits(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_rlimits *h;
	struct rlimit *old = current->signal->rlim;
	int i, err = 0;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_RLIMITS, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	for (i = 0; i < CKPT_RLIM_NLIMITS && !err; i++) {
		u64 cur = h->rlim[i].cur, max = h->rlim[i].max;
		struct rlimit *r = &ctx->ts->rlim[i];

		if (i >= RLIM_NLIMITS) {
			if (cur != RLIM64_INFINITY || max != RLIM64_INFINITY)
				err = ckpt_err(ctx, -EBADMSG,
					       "rlimit %d unknown", i);
			continue;
		}
		r->rlim_cur = cur >= RLIM_INFINITY ? RLIM_INFINITY : cur;
		r->rlim_max = max >= RLIM_INFINITY ? RLIM_INFINITY : max;
		if (r->rlim_cur > r->rlim_max)
			err = ckpt_err(ctx, -EBADMSG,
				       "rlimit %d: soft above hard", i);
		else if (r->rlim_max > READ_ONCE(old[i].rlim_max) &&
			 !capable(CAP_SYS_RESOURCE))
			err = ckpt_err(ctx, -EPERM,
				       "rlimit %d: raising the hard limit needs CAP_SYS_RESOURCE",
				       i);
		else if (i == RLIMIT_NOFILE && r->rlim_max > sysctl_nr_open)
			err = ckpt_err(ctx, -EPERM,
				       "rlimit NOFILE above fs.nr_open");
	}
	kvfree(h);
	return err;
}

static int restore_fs(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_fs *h;
	const char *root, *cwd;
	const struct cred *old;
	struct path cur;
	int err;

	h = ckpt_read_obj(ctx, CKPT_HDR_FS, sizeof(*h) + 4,
			  sizeof(*h) + 2 * CKPT_PATH_MAX);
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = -EBADMSG;
	if (h->_pad || h->umask & ~0777 || h->root_len > CKPT_PATH_MAX ||
	    h->cwd_len > CKPT_PATH_MAX ||
	    sizeof(*h) + h->root_len + h->cwd_len != h->h.len) {
		ckpt_err(ctx, err, "fs record malformed");
		goto out;
	}
	root = ckpt_string(ctx, h->paths, h->root_len, "root");
	cwd = ckpt_string(ctx, h->paths + h->root_len, h->cwd_len, "cwd");
	if (IS_ERR(root) || IS_ERR(cwd))
		goto out;
	ctx->ts->umask = h->umask;
	/*
	 * Changing root is the restarter's to allow (chroot(2) checks the
	 * caller); reaching either directory is the restored task's, as its
	 * own chroot(2) and chdir(2) would.
	 */
	old = ckpt_as_task(ctx);
	err = kern_path(root, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ctx->ts->root);
	if (!err)
		err = path_permission(&ctx->ts->root, MAY_EXEC | MAY_CHDIR);
	if (err)
		ckpt_err(ctx, err, "root directory %s: not reachable by the task", root);
	ckpt_as_restarter(old);
	if (err)
		goto out;
	get_fs_root(current->fs, &cur);
	if (!path_equal(&cur, &ctx->ts->root) &&
	    !ns_capable(current_user_ns(), CAP_SYS_CHROOT))
		err = ckpt_err(ctx, -EPERM,
			       "changing root to %s needs CAP_SYS_CHROOT", root);
	path_put(&cur);
	if (err)
		goto out;
	old = ckpt_as_task(ctx);
	err = kern_path(cwd, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &ctx->ts->pwd);
	if (!err)
		err = path_permission(&ctx->ts->pwd, MAY_EXEC | MAY_CHDIR);
	if (err)
		ckpt_err(ctx, err, "working directory %s: not reachable by the task", cwd);
	ckpt_as_restarter(old);
out:
	kvfree(h);
	return err;
}

/*
 * A task's sections after its TASK record, in image order: whether only
 * a process's first task has one, how it is written, read and checked
 * (staged), applied to current past the point of no return, and freed.
 * Credentials, rlimits and fs are applied with the TASK record
 * (restore_task_commit()), before the sections: the mm's dumpable mode
 * must follow commit_creds().  One table, so that the walks cannot
 * disagree.
 */
static const struct ckpt_task_section {
	const char *name;
	bool leader_only;
	int (*checkpoint)(struct ckpt_ctx *ctx, struct task_struct *t);
	int (*read)(struct ckpt_ctx *ctx);
	int (*apply)(struct ckpt_ctx *ctx);
	void (*free)(struct ckpt_task_state *ts);
} ckpt_task_sections[] = {
	{ "creds", false, checkpoint_creds, restore_creds, NULL, NULL },
	{ "rlimits", true, checkpoint_rlimits, restore_rlimits, NULL, NULL },
	{ "fs", true, checkpoint_fs, restore_fs, NULL, NULL },
	{ "sched", false, checkpoint_sched, restore_sched_read,
	  restore_sched_commit, restore_sched_free },
	{ "signals", false, checkpoint_signals, restore_signals_read,
	  restore_signals_commit, restore_signals_free },
	{ "files", true, checkpoint_file_table, restore_file_table_read,
	  restore_file_table_commit, restore_file_table_free },
#ifdef CONFIG_UNIX98_PTYS
	{ "tty", true, checkpoint_ctty, restore_ctty, NULL, NULL },
#endif
	{ "cpu", false, checkpoint_cpu, restore_cpu_read, restore_cpu_commit,
	  restore_cpu_free },
	/* the point of no return, restore_mm(): the last section read */
	{ "mm", true, checkpoint_mm, restore_mm, restore_mm_commit,
	  restore_mm_free },
};

#define CKPT_TASK_SECTIONS_END \
	(ckpt_task_sections + ARRAY_SIZE(ckpt_task_sections))

/* Has a task (a process's first, @leader, or another) section @s? */
static bool ckpt_task_has(const struct ckpt_task_section *s, bool leader)
{
	return leader || !s->leader_only;
}

/**
 * checkpoint_task - write everything about one task
 * @ctx: checkpoint context
 * @t: the task
 *
 * The first task of a process carries the process-wide state too; a
 * zombie only its TASK record.
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_task(struct ckpt_ctx *ctx, struct task_struct *t)
{
	const struct ckpt_task_section *s;
	int err;

	err = checkpoint_task_record(ctx, t);
	if (err || ckpt_task_zombie(t))
		return err;
	for (s = ckpt_task_sections; s < CKPT_TASK_SECTIONS_END; s++) {
		if (!ckpt_task_has(s, thread_group_leader(t)))
			continue;
		err = s->checkpoint(ctx, t);
		if (err)
			return err;
	}
	return 0;
}

/* Apply the staged task record, creds, rlimits and fs to current. */
static int restore_task_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	int i, err;

	set_task_comm(current, ts->task->comm);
	if (ts->zombie)
		return 0;
	for (i = 0; ts->leader && i < RLIM_NLIMITS; i++) {
		err = do_prlimit(current, i, &ts->rlim[i], NULL);
		if (err)
			return ckpt_err(ctx, err, "setting rlimit %d", i);
	}
	current->personality = ts->task->personality;
	current->pdeath_signal = ts->task->pdeath_signal;
	current->clear_child_tid = (u32 __user *)ts->task->clear_child_tid;
	current->robust_list =
		(struct robust_list_head __user *)ts->task->robust_list;
	/*
	 * The registration current inherited from restart(2)'s caller
	 * points into an address space that is gone; the task's own is
	 * registered again, and the kernel fills it in (or aborts the
	 * critical section the task was in) before the task runs.
	 */
	rseq_execve(current);
#ifdef CONFIG_RSEQ
	if (ts->task->rseq) {
		current->rseq = u64_to_user_ptr(ts->task->rseq);
		current->rseq_len = ts->task->rseq_len;
		current->rseq_sig = ts->task->rseq_sig;
		rseq_set_notify_resume(current);
	}
#endif
	if (ts->leader) {
		current->exit_signal = ts->task->exit_signal;
		set_fs_root(current->fs, &ts->root);
		set_fs_pwd(current->fs, &ts->pwd);
		current->fs->umask = ts->umask;
	}
	commit_creds(ts->cred);
	ts->cred = NULL;
	return 0;
}

/**
 * restore_task_stage - read a task's section of the image
 * @ctx: restart context, @ctx->ts the task's (empty) staging state
 *
 * Reads and checks every record of the task and stages what they
 * describe; a process's address space is rebuilt here, which is the
 * point of no return for current.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_task_stage(struct ckpt_ctx *ctx)
{
	const struct ckpt_task_section *s;
	struct ckpt_task_state *ts = ctx->ts;
	int err;

	err = restore_task_record(ctx);
	if (err || ts->zombie)
		return err;
	for (s = ckpt_task_sections; s < CKPT_TASK_SECTIONS_END; s++) {
		if (!ckpt_task_has(s, ts->leader))
			continue;
		err = s->read(ctx);
		if (err)
			return err;
	}
	return 0;
}

/**
 * restore_task_apply - make current the task restore_task_stage() read
 * @ctx: restart context
 * @ret: set to what restart(2) returns in the task (its rax)
 *
 * Return: 0 or a negative errno (logged); past the point of no return.
 */
int restore_task_apply(struct ckpt_ctx *ctx, long *ret)
{
	const struct ckpt_task_section *s;
	struct ckpt_task_state *ts = ctx->ts;
	int err;

	err = restore_task_commit(ctx);
	if (err || ts->zombie)
		return err;
	for (s = ckpt_task_sections; s < CKPT_TASK_SECTIONS_END; s++) {
		if (!ckpt_task_has(s, ts->leader) || !s->apply)
			continue;
		err = s->apply(ctx);
		if (err)
			return err;
	}
	*ret = ts->ret;
	return 0;
}

void restore_task_free(struct ckpt_task_state *ts)
{
	kvfree(ts->task);
	ts->task = NULL;
	if (ts->cred)
		abort_creds(ts->cred);
	ts->cred = NULL;
	path_put(&ts->root);
	path_put(&ts->pwd);
	memset(&ts->root, 0, sizeof(ts->root));
	memset(&ts->pwd, 0, sizeof(ts->pwd));
}

/**
 * restore_task_state_free - free what restart staged for a task
 * @ts: the staged state
 */
void restore_task_state_free(struct ckpt_task_state *ts)
{
	const struct ckpt_task_section *s;

	restore_task_free(ts);
	/* whatever was staged, leader or not, read in full or not */
	for (s = ckpt_task_sections; s < CKPT_TASK_SECTIONS_END; s++)
		if (s->free)
			s->free(ts);
	kfree(ts);
}
