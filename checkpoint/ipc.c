// SPDX-License-Identifier: GPL-2.0
/*
 * SysV IPC objects of an IPC namespace the tree has of its own: shared
 * memory segments (with their contents), semaphore sets and message
 * queues (with their messages), each with its id and key.
 *
 * Checkpoint reads them all first (ipc/ hands them over whole, see
 * linux/checkpoint_ipc.h), then writes them.  Restart makes each with
 * its old id in the root's new namespace; owners go through the same
 * rule as credentials, and segments removed while attached are removed
 * again when every task is restored (restore_ipc_finish()).
 */
#include <linux/checkpoint_ipc.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/sem.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_ipc_objs {
	struct ipc_ckpt_shm *shm;
	struct ipc_ckpt_sem *sem;
	struct ipc_ckpt_msq *msq;
	unsigned int nr_shm, nr_sem, nr_msq;
};

static void ckpt_ipc_objs_free(struct ckpt_ipc_objs *o)
{
	unsigned int i;

	for (i = 0; i < o->nr_shm; i++)
		fput(o->shm[i].file);
	for (i = 0; i < o->nr_sem; i++)
		kvfree(o->sem[i].val);
	for (i = 0; i < o->nr_msq; i++)
		kvfree(o->msq[i].msgs);
	kvfree(o->shm);
	kvfree(o->sem);
	kvfree(o->msq);
}

/* Room for element @nr of *@arr: 4 at first, doubled when full. */
static int ckpt_grow(void **arr, unsigned int nr, size_t size)
{
	void *n;

	if (nr && (nr < 4 || (nr & (nr - 1))))
		return 0;
	n = kvrealloc(*arr, size * (nr ? nr * 2 : 4), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	*arr = n;
	return 0;
}

/*
 * Read every object of @ns.  Others may create or remove objects
 * meanwhile; the image holds what was there as each kind was read.
 */
static int ckpt_ipc_collect(struct ipc_namespace *ns, struct ckpt_ipc_objs *o)
{
	int pos, err;

	for (pos = 0;; o->nr_shm++) {
		err = ckpt_grow((void **)&o->shm, o->nr_shm, sizeof(*o->shm));
		if (!err)
			err = ipc_ckpt_shm_read(ns, &pos, &o->shm[o->nr_shm]);
		if (err)
			break;
	}
	if (err != -ENOENT)
		return err;
	for (pos = 0;; o->nr_sem++) {
		err = ckpt_grow((void **)&o->sem, o->nr_sem, sizeof(*o->sem));
		if (!err)
			err = ipc_ckpt_sem_read(ns, &pos, &o->sem[o->nr_sem]);
		if (err)
			break;
	}
	if (err != -ENOENT)
		return err;
	for (pos = 0;; o->nr_msq++) {
		err = ckpt_grow((void **)&o->msq, o->nr_msq, sizeof(*o->msq));
		if (!err)
			err = ipc_ckpt_msq_read(ns, &pos, &o->msq[o->nr_msq]);
		if (err)
			break;
	}
	return err == -ENOENT ? 0 : err;
}

static void ckpt_perm_write(struct ckpt_ipc_perm *h,
			    const struct ipc_ckpt_perm *p)
{
	struct user_namespace *ns = current_user_ns();

	h->key = p->key;
	h->id = p->id;
	h->uid = from_kuid_munged(ns, p->uid);
	h->gid = from_kgid_munged(ns, p->gid);
	h->cuid = from_kuid_munged(ns, p->cuid);
	h->cgid = from_kgid_munged(ns, p->cgid);
	h->mode = p->mode;
}

static int checkpoint_ipc_shm(struct ckpt_ctx *ctx, struct ipc_ckpt_shm *s)
{
	struct ckpt_hdr_ipc_shm h = {};
	int err;

	if (!shmem_file(s->file))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"SysV segment %d: hugetlb segments are not supported",
				s->perm.id);
	ckpt_perm_write(&h.perm, &s->perm);
	h.size = s->size;
	h.atime = s->atime;
	h.dtime = s->dtime;
	h.ctime = s->ctime;
	h.cpid = s->cpid;
	h.lpid = s->lpid;
	h.flags = (s->dest ? CKPT_IPC_SHM_DEST : 0) |
		  (s->noreserve ? CKPT_IPC_SHM_NORESERVE : 0);
	err = ckpt_write_obj(ctx, CKPT_HDR_IPC_SHM, &h, sizeof(h));
	if (!err)
		err = ckpt_dump_mapping(ctx, s->file->f_mapping, s->size);
	return err;
}

static int checkpoint_ipc_sem(struct ckpt_ctx *ctx, struct ipc_ckpt_sem *s)
{
	struct ckpt_hdr_ipc_sem *h;
	u32 len = struct_size(h, sems, s->nsems);
	int i, err;

	h = kvzalloc(len, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	ckpt_perm_write(&h->perm, &s->perm);
	h->otime = s->otime;
	h->ctime = s->ctime;
	h->nsems = s->nsems;
	for (i = 0; i < s->nsems; i++) {
		h->sems[i].val = s->val[i];
		h->sems[i].pid = s->pid[i];
	}
	err = ckpt_write_obj(ctx, CKPT_HDR_IPC_SEM, h, len);
	kvfree(h);
	return err;
}

static int checkpoint_ipc_msq(struct ckpt_ctx *ctx, struct ipc_ckpt_msq *q)
{
	struct ckpt_hdr_ipc_msg h = {};
	size_t off;
	int err;

	ckpt_perm_write(&h.perm, &q->perm);
	h.stime = q->stime;
	h.rtime = q->rtime;
	h.ctime = q->ctime;
	h.qbytes = q->qbytes;
	h.lspid = q->lspid;
	h.lrpid = q->lrpid;
	h.nr_msgs = q->qnum;
	err = ckpt_write_obj(ctx, CKPT_HDR_IPC_MSG, &h, sizeof(h));
	/* ipc/ laid the messages out as MSG records */
	for (off = 0; off < q->len && !err;) {
		struct ckpt_hdr_msg *m = q->msgs + off;

		err = ckpt_write_obj(ctx, CKPT_HDR_MSG, m, m->h.len);
		off += ckpt_padded(m->h.len);
	}
	return err;
}

/**
 * checkpoint_ipc_ns - write the SysV objects of the tree's own IPC
 * namespace, if it has one (@ctx->ipc_ns)
 * @ctx: checkpoint context
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_ipc_ns(struct ckpt_ctx *ctx)
{
	struct ipc_namespace *ns = ctx->ipc_ns;
	struct ckpt_ipc_objs o = {};
	struct ckpt_hdr_ipc_ns h = {};
	unsigned int i;
	int err;

	if (!ns)
		return 0;
	/* its objects may be anybody's in the namespace: its admin's call */
	if (!checkpoint_restore_ns_capable(ns->user_ns))
		return ckpt_err(ctx, -EPERM,
				"taking the SysV objects of the tree's IPC namespace needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over it");
	err = ckpt_ipc_collect(ns, &o);
	if (err) {
		ckpt_ipc_objs_free(&o);
		return ckpt_err(ctx, err, "reading the SysV IPC objects");
	}
	h.nr_shm = o.nr_shm;
	h.nr_sem = o.nr_sem;
	h.nr_msg = o.nr_msq;
	err = ckpt_write_obj(ctx, CKPT_HDR_IPC_NS, &h, sizeof(h));
	for (i = 0; i < o.nr_shm && !err; i++)
		err = checkpoint_ipc_shm(ctx, &o.shm[i]);
	for (i = 0; i < o.nr_sem && !err; i++)
		err = checkpoint_ipc_sem(ctx, &o.sem[i]);
	for (i = 0; i < o.nr_msq && !err; i++)
		err = checkpoint_ipc_msq(ctx, &o.msq[i]);
	ckpt_ipc_objs_free(&o);
	return err;
}

/* restart */

static int restore_perm(struct ckpt_ctx *ctx, const struct ckpt_ipc_perm *h,
			struct ipc_ckpt_perm *p, const char *what)
{
	int err;

	if (h->id < 0 || h->mode & ~0777 || h->_pad)
		return ckpt_err(ctx, -EBADMSG, "%s %d: malformed record",
				what, h->id);
	p->key = h->key;
	p->id = h->id;
	p->mode = h->mode;
	err = ckpt_ids_check(ctx, h->uid, h->gid, &p->uid, &p->gid, what);
	if (!err)
		err = ckpt_ids_check(ctx, h->cuid, h->cgid, &p->cuid, &p->cgid,
				     what);
	return err;
}

/* A pid of the image to the number of its restored process here. */
static pid_t restore_ipc_pid(struct ckpt_ctx *ctx, s32 pid)
{
	struct task_struct *t = pid > 0 ? ckpt_tree_task(ctx, pid) : NULL;

	return t ? task_tgid_vnr(t) : 0;
}

static int restore_made(struct ckpt_ctx *ctx, int err, const char *what,
			const struct ipc_ckpt_perm *p)
{
	if (err == -EEXIST)
		return ckpt_err(ctx, -EBUSY,
				"%s %d: its id or key %#x is taken in the new IPC namespace",
				what, p->id, p->key);
	if (err)
		return ckpt_err(ctx, err, "%s %d: making it", what, p->id);
	return 0;
}

static int restore_ipc_shm(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ipc_ckpt_shm s = {};
	struct ckpt_hdr_ipc_shm *h;
	int err;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_IPC_SHM, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_perm(ctx, &h->perm, &s.perm, "SysV segment");
	if (err)
		goto out;
	if (h->flags & ~CKPT_IPC_SHM_FLAGS_ALL || h->_pad || !h->size ||
	    h->size > CKPT_SHMEM_MAX || h->size > ns->shm_ctlmax) {
		err = ckpt_err(ctx, -EBADMSG,
			       "SysV segment %d: bad flags or size %llu (shmmax %zu)",
			       h->perm.id, h->size, ns->shm_ctlmax);
		goto out;
	}
	s.size = h->size;
	s.atime = h->atime;
	s.dtime = h->dtime;
	s.ctime = h->ctime;
	s.cpid = restore_ipc_pid(ctx, h->cpid);
	s.lpid = restore_ipc_pid(ctx, h->lpid);
	s.noreserve = h->flags & CKPT_IPC_SHM_NORESERVE;
	err = restore_made(ctx, ipc_ckpt_shm_make(ns, &s), "SysV segment",
			   &s.perm);
	if (err)
		goto out;
	err = restore_file_contents(ctx, s.file, s.size);
	fput(s.file);
	if (!err && h->flags & CKPT_IPC_SHM_DEST)
		ctx->shm_dest[ctx->nr_shm_dest++] = s.perm.id;
out:
	kvfree(h);
	return err;
}

static int restore_ipc_sem(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ipc_ckpt_sem s = {};
	struct ckpt_hdr_ipc_sem *h;
	u32 i, max = ns->sem_ctls[0];	/* semmsl */
	int err;

	h = ckpt_read_obj(ctx, CKPT_HDR_IPC_SEM, sizeof(*h),
			  struct_size(h, sems, max));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_perm(ctx, &h->perm, &s.perm, "SysV semaphore set");
	if (err)
		goto out;
	if (h->_pad || !h->nsems || h->nsems > max ||
	    h->h.len != struct_size(h, sems, h->nsems)) {
		err = ckpt_err(ctx, -EBADMSG,
			       "SysV semaphore set %d: %u semaphores (semmsl %u)",
			       h->perm.id, h->nsems, max);
		goto out;
	}
	s.val = kvmalloc_array(h->nsems, sizeof(int) + sizeof(pid_t),
			       GFP_KERNEL);
	if (!s.val) {
		err = -ENOMEM;
		goto out;
	}
	s.pid = (pid_t *)(s.val + h->nsems);
	s.nsems = h->nsems;
	s.otime = h->otime;
	s.ctime = h->ctime;
	for (i = 0; i < h->nsems; i++) {
		if (h->sems[i].val < 0 || h->sems[i].val > SEMVMX) {
			err = ckpt_err(ctx, -EBADMSG,
				       "SysV semaphore set %d: value %d out of range",
				       h->perm.id, h->sems[i].val);
			goto out;
		}
		s.val[i] = h->sems[i].val;
		s.pid[i] = restore_ipc_pid(ctx, h->sems[i].pid);
	}
	err = restore_made(ctx, ipc_ckpt_sem_make(ns, &s),
			   "SysV semaphore set", &s.perm);
out:
	kvfree(s.val);
	kvfree(h);
	return err;
}

static int restore_ipc_msgs(struct ckpt_ctx *ctx, struct ipc_namespace *ns,
			    struct ckpt_hdr_ipc_msg *q)
{
	struct ckpt_hdr_msg *m;
	u64 bytes = 0;
	u32 i;
	int err = 0;

	for (i = 0; i < q->nr_msgs && !err; i++) {
		m = ckpt_read_obj(ctx, CKPT_HDR_MSG, sizeof(*m),
				  sizeof(*m) + ns->msg_ctlmax);
		if (IS_ERR(m))
			return PTR_ERR(m);
		bytes += m->len;
		if (m->_pad || m->mtype < 1 ||
		    m->h.len != sizeof(*m) + m->len || bytes > q->qbytes) {
			err = ckpt_err(ctx, -EBADMSG,
				       "SysV message queue %d: message %u malformed or over the queue's limit",
				       q->perm.id, i);
		} else {
			err = ipc_ckpt_msg_add(ns, q->perm.id, m->mtype,
					       m->text, m->len);
			if (err)
				ckpt_err(ctx, err,
					 "SysV message queue %d: message %u",
					 q->perm.id, i);
		}
		kvfree(m);
	}
	return err;
}

static int restore_ipc_msq(struct ckpt_ctx *ctx, struct ipc_namespace *ns)
{
	struct ipc_ckpt_msq q = {};
	struct ckpt_hdr_ipc_msg *h;
	int err;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_IPC_MSG, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = restore_perm(ctx, &h->perm, &q.perm, "SysV message queue");
	if (err)
		goto out;
	if (h->_pad || h->qbytes > INT_MAX || h->nr_msgs > h->qbytes) {
		err = ckpt_err(ctx, -EBADMSG,
			       "SysV message queue %d: malformed record",
			       h->perm.id);
		goto out;
	}
	/* what msgctl(IPC_SET) asks to raise msg_qbytes */
	if (h->qbytes > ns->msg_ctlmnb && !capable(CAP_SYS_RESOURCE)) {
		err = ckpt_err(ctx, -EPERM,
			       "SysV message queue %d: a limit of %llu bytes is above msgmnb",
			       h->perm.id, h->qbytes);
		goto out;
	}
	q.stime = h->stime;
	q.rtime = h->rtime;
	q.ctime = h->ctime;
	q.qbytes = h->qbytes;
	q.lspid = restore_ipc_pid(ctx, h->lspid);
	q.lrpid = restore_ipc_pid(ctx, h->lrpid);
	err = restore_made(ctx, ipc_ckpt_msq_make(ns, &q),
			   "SysV message queue", &q.perm);
	if (!err)
		err = restore_ipc_msgs(ctx, ns, h);
out:
	kvfree(h);
	return err;
}

/**
 * restore_ipc_ns - make the SysV objects of the image in the root's new
 * IPC namespace, if the image has one
 * @ctx: restart context; current is the root
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_ipc_ns(struct ckpt_ctx *ctx)
{
	struct ipc_namespace *ns;
	struct ckpt_hdr_ipc_ns *h;
	u32 i;
	int err = 0;

	if (!(ctx->ns_flags & CKPT_TREE_NEWIPC))
		return 0;
	ns = get_ipc_ns(current->nsproxy->ipc_ns);
	ctx->ipc_ns = ns;
	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_IPC_NS, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	/* choosing ids is what the *_next_id sysctls allow, and no more */
	if (!checkpoint_restore_ns_capable(ns->user_ns)) {
		err = ckpt_err(ctx, -EPERM,
			       "may not make SysV objects with chosen ids in the new IPC namespace");
		goto out;
	}
	if (READ_ONCE(ns->ids[0].in_use) || READ_ONCE(ns->ids[1].in_use) ||
	    READ_ONCE(ns->ids[2].in_use)) {
		err = ckpt_err(ctx, -EBUSY,
			       "the new IPC namespace already has SysV objects");
		goto out;
	}
	if (h->_pad || h->nr_shm > ns->shm_ctlmni ||
	    h->nr_sem > ns->sem_ctls[3] || h->nr_msg > ns->msg_ctlmni) {
		err = ckpt_err(ctx, -EBADMSG,
			       "IPC namespace: %u segments, %u semaphore sets, %u queues exceed the limits",
			       h->nr_shm, h->nr_sem, h->nr_msg);
		goto out;
	}
	ctx->shm_dest = kcalloc(h->nr_shm, sizeof(int), GFP_KERNEL);
	if (h->nr_shm && !ctx->shm_dest) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < h->nr_shm && !err; i++)
		err = restore_ipc_shm(ctx, ns);
	for (i = 0; i < h->nr_sem && !err; i++)
		err = restore_ipc_sem(ctx, ns);
	for (i = 0; i < h->nr_msg && !err; i++)
		err = restore_ipc_msq(ctx, ns);
out:
	kvfree(h);
	return err;
}

/**
 * restore_ipc_finish - remove the segments that were removed while
 * attached, now that the tasks attached them again
 * @ctx: restart context
 */
void restore_ipc_finish(struct ckpt_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_shm_dest; i++)
		ipc_ckpt_shm_remove(ctx->ipc_ns, ctx->shm_dest[i]);
	ctx->nr_shm_dest = 0;
}
