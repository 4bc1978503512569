/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ipc/ offers checkpoint/restart: read a SysV IPC object of a
 * namespace whole, and make one with a given id.  The objects' structs
 * are private to ipc/, so these live there; the policy (which values a
 * restart may set) is checkpoint/'s.
 *
 * Pids are numbers in the caller's pid namespace, ids as ipc(5) shows
 * them.  Readers take the ids' rwsem for reading and return the object
 * at the first index at or after *@pos, advancing *@pos past it, or
 * -ENOENT after the last one.
 */
#ifndef _LINUX_CHECKPOINT_IPC_H
#define _LINUX_CHECKPOINT_IPC_H

#include <linux/time64.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <uapi/linux/checkpoint_hdr.h>

struct file;
struct ipc_namespace;
struct task_struct;

struct ipc_ckpt_perm {
	key_t key;
	int id;
	kuid_t uid, cuid;
	kgid_t gid, cgid;
	umode_t mode;		/* S_IRWXUGO only */
};

struct ipc_ckpt_shm {
	struct ipc_ckpt_perm perm;
	size_t size;
	time64_t atime, dtime, ctime;
	pid_t cpid, lpid;
	bool dest;		/* removed, alive while attached */
	bool noreserve;		/* not charged to the commit limit */
	struct file *file;	/* the memory: a reference, shmem or hugetlb */
};

struct ipc_ckpt_sem {
	struct ipc_ckpt_perm perm;
	time64_t otime, ctime;
	int nsems;
	int *val;		/* nsems values, then nsems pids */
	pid_t *pid;
};

struct ipc_ckpt_msq {
	struct ipc_ckpt_perm perm;
	time64_t stime, rtime, ctime;
	unsigned long qbytes;
	pid_t lspid, lrpid;
	unsigned long qnum;
	size_t len;		/* bytes of @msgs */
	void *msgs;		/* qnum CKPT_HDR_MSG records, kvmalloc'ed */
};

int ipc_ckpt_shm_read(struct ipc_namespace *ns, int *pos,
		      struct ipc_ckpt_shm *s);
int ipc_ckpt_shm_make(struct ipc_namespace *ns, struct ipc_ckpt_shm *s);
int ipc_ckpt_shm_id(struct file *file, struct ipc_namespace **ns);
int ipc_ckpt_shm_remove(struct ipc_namespace *ns, int id);

int ipc_ckpt_sem_read(struct ipc_namespace *ns, int *pos,
		      struct ipc_ckpt_sem *s);
int ipc_ckpt_sem_make(struct ipc_namespace *ns,
		      const struct ipc_ckpt_sem *s);
bool ipc_ckpt_sem_undo(struct task_struct *t);

int ipc_ckpt_msq_read(struct ipc_namespace *ns, int *pos,
		      struct ipc_ckpt_msq *q);
int ipc_ckpt_msq_make(struct ipc_namespace *ns,
		      const struct ipc_ckpt_msq *q);
int ipc_ckpt_msg_add(struct ipc_namespace *ns, int id, long mtype,
		     const void *text, size_t len);

#endif /* _LINUX_CHECKPOINT_IPC_H */
