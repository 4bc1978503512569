// SPDX-License-Identifier: GPL-2.0
/*
 * File locks for checkpoint/restart: flock, POSIX and OFD locks, and
 * leases.
 *
 * Locks are read through fs/locks.c's locks_visit_file() and taken
 * again at restart through flock(2)'s file_flock() and fcntl(2)'s
 * fcntl_setlk() and fcntl_setlease(), in the restored task with its fds
 * installed, so that a POSIX lock belongs to the restored fd table and
 * every check of the system calls applies.  A lease being broken, and
 * NFS delegations and layouts, are refused.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_lock_scan {
	struct file *file;
	struct files_struct *files;
	struct ckpt_hdr_file_lock *locks;
	u32 nr;			/* locks seen, even past @max */
	u32 max;		/* room in @locks */
	struct file *other;	/* POSIX lock of @files through another file */
	bool lease;		/* a delegation, layout or lease being broken */
	bool leased;		/* a lease of @file, saved */
};

/* Under the inode's flc_lock: note one lock, without sleeping. */
static int ckpt_lock_scan_one(struct file_lock_core *flc, void *arg)
{
	struct ckpt_lock_scan *s = arg;
	struct ckpt_hdr_file_lock *l;
	struct file_lock *fl;
	u16 kind;

	if (flc->flc_flags & (FL_DELEG | FL_LAYOUT | FL_UNLOCK_PENDING |
			      FL_DOWNGRADE_PENDING)) {
		s->lease |= flc->flc_file == s->file;
		return 0;
	}
	if (flc->flc_flags & FL_LEASE) {
		kind = CKPT_LOCK_LEASE;
		if (flc->flc_file != s->file)
			return 0;
		s->leased = true;
	} else if (flc->flc_flags & FL_FLOCK) {
		kind = CKPT_LOCK_FLOCK;
		if (flc->flc_file != s->file)
			return 0;
	} else if (flc->flc_flags & FL_OFDLCK) {
		kind = CKPT_LOCK_OFD;
		if (flc->flc_file != s->file)
			return 0;
	} else if (flc->flc_flags & FL_POSIX) {
		kind = CKPT_LOCK_POSIX;
		if (flc->flc_owner != s->files)
			return 0;	/* another table's: saved with it */
		if (flc->flc_file != s->file) {
			s->other = flc->flc_file;
			return 0;
		}
	} else {
		return 0;
	}
	if (s->nr++ >= s->max)
		return 0;
	l = &s->locks[s->nr - 1];
	l->kind = kind;
	l->type = flc->flc_type;
	if (kind == CKPT_LOCK_POSIX || kind == CKPT_LOCK_OFD) {
		fl = container_of(flc, struct file_lock, c);
		l->start = fl->fl_start;
		l->end = fl->fl_end;
	}
	return 0;
}

/**
 * ckpt_file_locks - the locks held through an open file
 * @file: the file
 * @fd: an fd of @files that refers to it, for the records and messages
 * @files: the fd table, owner of its POSIX locks
 * @out: where the locks are added, if not NULL
 * @other: set to a file through which @files holds a POSIX lock on
 *	@file's inode, if any: the caller checks that the table has it
 * @why: filled with a short reason on failure
 * @len: size of @why
 *
 * Return: 0, -EOPNOTSUPP for a lease being broken or a delegation,
 * -E2BIG or -ENOMEM.
 */
static int ckpt_file_locks(struct file *file, u32 fd,
			   struct files_struct *files, struct ckpt_locks *out,
			   struct file **other, char *why, size_t len)
{
	struct ckpt_lock_scan s = { .file = file, .files = files };
	struct ckpt_hdr_file_lock *v;
	u32 i;

	for (;;) {
		s.nr = 0;
		s.lease = false;
		s.other = NULL;
		locks_visit_file(file, ckpt_lock_scan_one, &s);
		if (s.nr <= s.max || !out)
			break;
		kvfree(s.locks);
		s.locks = NULL;
		s.max = 0;
		if (out->nr + s.nr > CKPT_FILE_LOCKS_MAX) {
			snprintf(why, len, "fd %u: more than %u file locks",
				 fd, CKPT_FILE_LOCKS_MAX);
			return -E2BIG;
		}
		/* room for a few taken while we allocate */
		s.locks = kvcalloc(s.nr + 8, sizeof(*s.locks), GFP_KERNEL);
		if (!s.locks) {
			snprintf(why, len, "out of memory");
			return -ENOMEM;
		}
		s.max = s.nr + 8;
	}
	*other = s.other;
	if (s.lease) {
		kvfree(s.locks);
		snprintf(why, len,
			 "fd %u holds a lease being broken or an NFS delegation, which checkpoint does not save",
			 fd);
		return -EOPNOTSUPP;
	}
	if (!out || !s.nr) {
		kvfree(s.locks);
		return 0;
	}
	v = kvrealloc(out->v, (out->nr + s.nr) * sizeof(*v), GFP_KERNEL);
	if (!v) {
		kvfree(s.locks);
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < s.nr; i++) {
		v[out->nr + i] = s.locks[i];
		v[out->nr + i].fd = fd;
	}
	out->v = v;
	out->nr += s.nr;
	kvfree(s.locks);
	return 0;
}

/**
 * ckpt_file_leased - does an open file hold a lease checkpoint saves?
 * @file: the file
 *
 * Its lease is what set O_ASYNC on it (the lease's fasync entry), and
 * fcntl_setlease() sets it again at restart.
 *
 * Return: whether it holds one.
 */
bool ckpt_file_leased(struct file *file)
{
	struct ckpt_lock_scan s = { .file = file };
	struct fown_struct *fown = file_f_owner(file);

	/* a lease break's signal chosen with F_SETSIG is not saved */
	if (!locks_inode_context(file_inode(file)) ||
	    (fown && READ_ONCE(fown->signum)))
		return false;
	locks_visit_file(file, ckpt_lock_scan_one, &s);
	return s.leased && !s.lease;
}

/**
 * ckpt_file_has_locks - does an open file own locks or a lease?
 * @file: the file
 *
 * Return: whether it holds a flock or OFD lock or a lease: what goes
 * with the open file, not with an fd table.
 */
bool ckpt_file_has_locks(struct file *file)
{
	struct ckpt_lock_scan s = { .file = file };

	if (!locks_inode_context(file_inode(file)))
		return false;
	locks_visit_file(file, ckpt_lock_scan_one, &s);
	return s.nr || s.lease;
}

/**
 * ckpt_task_file_locks - judge the locks of one fd of a task on its own
 * @t: the task
 * @file: the file at @fd in @t's table
 * @fd: the fd
 * @why: filled with a short reason on failure
 * @len: size of @why
 *
 * Return: 0, -EOPNOTSUPP, or -EAGAIN if @t holds a POSIX lock on the
 * inode through another file: only the whole table can tell.
 */
int ckpt_task_file_locks(struct task_struct *t, struct file *file, int fd,
			 char *why, size_t len)
{
	struct files_struct *owner;
	struct file *other = NULL;
	int err;

	task_lock(t);
	owner = t->files;	/* compared, not used */
	task_unlock(t);
	err = ckpt_file_locks(file, fd, owner, NULL, &other, why, len);
	if (!err && other && other != file)
		err = -EAGAIN;
	return err;
}

/**
 * ckpt_fd_locks - the locks held through one fd of a table
 * @f: the table
 * @i: the fd's index in @f
 * @out: where the locks are added, if not NULL
 * @why: filled with a short reason on failure
 * @len: size of @why
 *
 * Refused: a lease, and a POSIX lock of the table through a file no fd
 * holds any more, which restart could not take again.
 *
 * Return: 0, -EOPNOTSUPP, -E2BIG or -ENOMEM.
 */
int ckpt_fd_locks(struct ckpt_fds *f, unsigned int i, struct ckpt_locks *out,
		  char *why, size_t len)
{
	struct file *other;
	unsigned int j;
	int err;

	err = ckpt_file_locks(f->fds[i].file, f->fds[i].fd, f->files, out,
			      &other, why, len);
	if (err || !other)
		return err;
	for (j = 0; j < f->nr && f->fds[j].file != other; j++)
		;
	if (j < f->nr)
		return 0;
	snprintf(why, len,
		 "fd %u: the process holds a POSIX lock on its file through a file no fd refers to",
		 f->fds[i].fd);
	return -EOPNOTSUPP;
}

/**
 * ckpt_table_locks - the locks of a table, for its FILE_LOCK records
 * @f: the table
 * @locks: filled, each lock through the lowest fd of its file
 * @why: filled with a short reason on failure
 * @len: size of @why
 *
 * Only files whose inode has locks at all are compared with the other
 * fds.
 *
 * Return: 0 or a negative errno, as ckpt_fd_locks().
 */
int ckpt_table_locks(struct ckpt_fds *f, struct ckpt_locks *locks, char *why,
		     size_t len)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < f->nr && !err; i++) {
		if (!locks_inode_context(file_inode(f->fds[i].file)) ||
		    !ckpt_first_fd(f, i))
			continue;
		err = ckpt_fd_locks(f, i, locks, why, len);
	}
	return err;
}

/**
 * checkpoint_file_locks - write the FILE_LOCK records of a table
 * @ctx: checkpoint context
 * @locks: what ckpt_file_locks() collected
 *
 * Return: 0 or a negative errno.
 */
int checkpoint_file_locks(struct ckpt_ctx *ctx, struct ckpt_locks *locks)
{
	u32 i;
	int err = 0;

	for (i = 0; i < locks->nr && !err; i++)
		err = ckpt_write_obj(ctx, CKPT_HDR_FILE_LOCK, &locks->v[i],
				     sizeof(locks->v[i]));
	return err;
}

/* Read and check @nr FILE_LOCK records; their fds are checked after. */
static int restore_file_locks_read(struct ckpt_ctx *ctx, u32 nr,
				   struct ckpt_locks *locks)
{
	struct ckpt_hdr_file_lock *l;
	u32 i;

	if (!nr)
		return 0;
	locks->v = kvcalloc(nr, sizeof(*l), GFP_KERNEL);
	if (!locks->v)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		l = ckpt_read_obj_fixed(ctx, CKPT_HDR_FILE_LOCK, sizeof(*l));
		if (IS_ERR(l))
			return PTR_ERR(l);
		locks->v[i] = *l;
		kvfree(l);
		l = &locks->v[i];
		if ((l->type != F_RDLCK && l->type != F_WRLCK) ||
		    (l->kind == CKPT_LOCK_FLOCK || l->kind == CKPT_LOCK_LEASE ?
		     l->start || l->end :
		     (l->kind != CKPT_LOCK_POSIX && l->kind != CKPT_LOCK_OFD) ||
		     l->start > l->end || l->end > OFFSET_MAX))
			return ckpt_err(ctx, -EBADMSG,
					"fd %u: file lock %u malformed", l->fd,
					i);
		locks->nr++;
	}
	return 0;
}

static const char *ckpt_lock_kind_name(u16 kind)
{
	return kind == CKPT_LOCK_FLOCK ? "flock" :
	       kind == CKPT_LOCK_POSIX ? "POSIX" :
	       kind == CKPT_LOCK_OFD ? "OFD" : "lease";
}

/* EAGAIN with a reason, for a lock another process holds now */
static int restore_lock_conflict(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_file_lock *l, int err)
{
	if ((err == -EWOULDBLOCK || err == -EAGAIN) &&
	    l->kind == CKPT_LOCK_LEASE)
		return ckpt_err(ctx, -EAGAIN,
				"fd %u: another open file of its inode conflicts with its lease",
				l->fd);
	if (err == -EWOULDBLOCK || err == -EAGAIN)
		return ckpt_err(ctx, -EAGAIN,
				"fd %u: another process holds a lock that conflicts with its %s lock of bytes %llu-%llu",
				l->fd, ckpt_lock_kind_name(l->kind), l->start,
				l->end);
	/* the image's own contradiction: a lock its file's mode cannot hold */
	if (err == -EBADF)
		return ckpt_err(ctx, -EBADMSG,
				"fd %u: its open mode (O_PATH, read or write) cannot hold its %s lock",
				l->fd, ckpt_lock_kind_name(l->kind));
	return ckpt_err(ctx, err, "fd %u: taking its %s lock again", l->fd,
			ckpt_lock_kind_name(l->kind));
}

static void restore_lock_flock(struct ckpt_hdr_file_lock *l, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_type = l->type;
	fl->l_whence = SEEK_SET;
	fl->l_start = l->start;
	/* 0: to the end of the file, wherever it moves */
	fl->l_len = l->end == OFFSET_MAX ? 0 : l->end - l->start + 1;
}

/*
 * Take a lock of the open file @l->fd will refer to, or test one of the
 * fd table, before the point of no return.
 *
 * flock and OFD locks and leases belong to the open file: they are
 * taken now, and go with the file if the restart fails.  A POSIX lock belongs to the
 * fd table, which is the task's own only once its fds are installed:
 * here it is only tested for a conflict, and taken by
 * restore_file_lock_commit().  Nothing waits: a lock another process
 * holds fails with EAGAIN.
 */
static int restore_file_lock_stage(struct ckpt_ctx *ctx,
				   struct ckpt_hdr_file_lock *l,
				   struct file *file)
{
	struct flock fl;
	int err;

	restore_lock_flock(l, &fl);
	switch (l->kind) {
	case CKPT_LOCK_FLOCK:
		err = file_flock(file, (l->type == F_RDLCK ? LOCK_SH : LOCK_EX) |
				 LOCK_NB);
		break;
	case CKPT_LOCK_OFD:
		err = fcntl_setlk(l->fd, file, F_OFD_SETLK, &fl);
		break;
	case CKPT_LOCK_LEASE:
		/* the restored process owns it, and gets its break signal */
		err = fcntl_setlease(l->fd, file, l->type);
		break;
	default:
		err = fcntl_getlk(file, F_GETLK, &fl);
		if (!err && fl.l_type != F_UNLCK)
			err = -EAGAIN;
		break;
	}
	return err ? restore_lock_conflict(ctx, l, err) : 0;
}

/**
 * restore_table_locks_read - read a table's FILE_LOCK records and take
 * or test their locks
 * @ctx: restart context
 * @fs: the table read so far, its files restored
 * @nr: how many the FILE_TABLE announced (at most CKPT_FILE_LOCKS_MAX)
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_table_locks_read(struct ckpt_ctx *ctx, struct ckpt_files_state *fs,
			     u32 nr)
{
	u32 i;
	int err;

	err = restore_file_locks_read(ctx, nr, &fs->locks);
	for (i = 0; i < fs->locks.nr && !err; i++) {
		struct ckpt_hdr_file_lock *l = &fs->locks.v[i];
		struct ckpt_fd *f = restore_fd_find(fs, l->fd);

		if (!f)
			return ckpt_err(ctx, -EBADMSG,
					"file lock through fd %u, which the table does not have",
					l->fd);
		err = restore_file_lock_stage(ctx, l, f->file);
	}
	return err;
}

/**
 * restore_table_locks_commit - take a table's POSIX locks again, in the
 * restored task, once its fds are installed
 * @ctx: restart context
 * @fs: the table, whose files current's fds now refer to
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_table_locks_commit(struct ckpt_ctx *ctx,
			       struct ckpt_files_state *fs)
{
	struct ckpt_hdr_file_lock *l;
	struct flock fl;
	u32 i;
	int err;

	for (i = 0; i < fs->locks.nr; i++) {
		l = &fs->locks.v[i];
		if (l->kind != CKPT_LOCK_POSIX)
			continue;
		restore_lock_flock(l, &fl);
		err = fcntl_setlk(l->fd, restore_fd_find(fs, l->fd)->file,
				  F_SETLK, &fl);
		if (err)
			return restore_lock_conflict(ctx, l, err);
	}
	return 0;
}
