// SPDX-License-Identifier: GPL-2.0
/*
 * File locks for checkpoint/restart: flock, POSIX and OFD locks.
 *
 * Locks are read through fs/locks.c's locks_visit_file() and taken
 * again at restart through flock(2)'s file_flock() and fcntl(2)'s
 * fcntl_setlk(), in the restored task with its fds installed, so that
 * a POSIX lock belongs to the restored fd table and every check of the
 * system calls applies.  Leases are refused, not saved.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_lock_scan {
	struct file *file;
	struct files_struct *files;
	struct ckpt_hdr_file_lock *locks;
	u32 nr;			/* locks seen, even past @max */
	u32 max;		/* room in @locks */
	struct file *other;	/* POSIX lock of @files through another file */
	bool lease;
};

/* Under the inode's flc_lock: note one lock, without sleeping. */
static int ckpt_lock_scan_one(struct file_lock_core *flc, void *arg)
{
	struct ckpt_lock_scan *s = arg;
	struct ckpt_hdr_file_lock *l;
	struct file_lock *fl;
	u16 kind;

	if (flc->flc_flags & (FL_LEASE | FL_DELEG | FL_LAYOUT)) {
		s->lease |= flc->flc_file == s->file;
		return 0;
	}
	if (flc->flc_flags & FL_FLOCK) {
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
	if (kind != CKPT_LOCK_FLOCK) {
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
 * Return: 0, -EOPNOTSUPP for a lease, -E2BIG or -ENOMEM.
 */
int ckpt_file_locks(struct file *file, u32 fd, struct files_struct *files,
		    struct ckpt_locks *out, struct file **other, char *why,
		    size_t len)
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
			 "fd %u holds a lease (F_SETLEASE), which checkpoint does not save",
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

/**
 * restore_file_locks_read - read and check @nr FILE_LOCK records
 * @ctx: restart context
 * @nr: how many the FILE_TABLE announced (at most CKPT_FILE_LOCKS_MAX)
 * @locks: filled; the caller checks that each fd is in its table
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_file_locks_read(struct ckpt_ctx *ctx, u32 nr,
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
		    (l->kind == CKPT_LOCK_FLOCK ? l->start || l->end :
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
	       kind == CKPT_LOCK_POSIX ? "POSIX" : "OFD";
}

/* EAGAIN with a reason, for a lock another process holds now */
static int restore_lock_conflict(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_file_lock *l, int err)
{
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

/**
 * restore_file_lock_stage - take a lock of the open file, or test one of
 * the fd table, before the point of no return
 * @ctx: restart context
 * @l: the checked record
 * @file: the restored file @l->fd will refer to
 *
 * flock and OFD locks belong to the open file: they are taken now, and
 * go with the file if the restart fails.  A POSIX lock belongs to the
 * fd table, which is the task's own only once its fds are installed:
 * here it is only tested for a conflict, and taken by
 * restore_file_lock_commit().  Nothing waits: a lock another process
 * holds fails with EAGAIN.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_file_lock_stage(struct ckpt_ctx *ctx, struct ckpt_hdr_file_lock *l,
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
	default:
		err = fcntl_getlk(file, F_GETLK, &fl);
		if (!err && fl.l_type != F_UNLCK)
			err = -EAGAIN;
		break;
	}
	return err ? restore_lock_conflict(ctx, l, err) : 0;
}

/**
 * restore_file_lock_commit - take a POSIX lock again, in the restored
 * task, once its fds are installed
 * @ctx: restart context
 * @l: the checked record
 * @file: the file installed at @l->fd in current's table
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_file_lock_commit(struct ckpt_ctx *ctx,
			     struct ckpt_hdr_file_lock *l, struct file *file)
{
	struct flock fl;
	int err;

	if (l->kind != CKPT_LOCK_POSIX)
		return 0;
	restore_lock_flock(l, &fl);
	err = fcntl_setlk(l->fd, file, F_SETLK, &fl);
	return err ? restore_lock_conflict(ctx, l, err) : 0;
}
