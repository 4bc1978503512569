// SPDX-License-Identifier: GPL-2.0
/*
 * Open files and file descriptor tables for checkpoint/restart.
 *
 * A file is reopened by path at restart with the restarter's
 * credentials, so every open goes through the usual permission checks.
 * Terminals are not reopened: they are reconnected to the restarter's
 * own terminal.
 */
#include <linux/bsearch.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "internal.h"

void ckpt_file_grab(void *ptr)
{
	get_file(ptr);
}

void ckpt_file_drop(void *ptr)
{
	fput(ptr);
}

static bool ckpt_is_tty(struct inode *inode)
{
	unsigned int major = imajor(inode), minor = iminor(inode);

	if (!S_ISCHR(inode->i_mode))
		return false;
	return major == TTY_MAJOR ||
	       (major == TTYAUX_MAJOR && (minor == 0 || minor == 1)) ||
	       (major >= UNIX98_PTY_SLAVE_MAJOR &&
		major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT);
}

/* /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom */
static bool ckpt_is_memdev(struct inode *inode)
{
	unsigned int minor = iminor(inode);

	return S_ISCHR(inode->i_mode) && imajor(inode) == MEM_MAJOR &&
	       (minor == 3 || minor == 5 || minor == 7 || minor == 8 ||
		minor == 9);
}

static bool ckpt_pseudo_fs(struct super_block *sb)
{
	switch (sb->s_magic) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
	case NSFS_MAGIC:
	case ANON_INODE_FS_MAGIC:
	case PIPEFS_MAGIC:
	case SOCKFS_MAGIC:
		return true;
	}
	return false;
}

/**
 * ckpt_file_path - the path of an open file, as the caller sees it
 * @file: the file
 * @buf: scratch buffer
 * @len: its size
 *
 * Return: a pointer into @buf or an ERR_PTR.
 */
char *ckpt_file_path(struct file *file, char *buf, int len)
{
	return d_path(&file->f_path, buf, len);
}

/*
 * A file opened by a path on a real filesystem: a regular file or a
 * directory, or with O_PATH (a name to look up again) anything else.
 */
static int ckpt_path_kind(struct file *file, struct inode *inode)
{
	/* an internal mount's files (shared anonymous memory) have no path */
	if (ckpt_pseudo_fs(inode->i_sb) ||
	    file->f_path.mnt->mnt_flags & MNT_INTERNAL)
		return -EOPNOTSUPP;
	if (S_ISREG(inode->i_mode))
		return CKPT_FILE_REG;
	if (S_ISDIR(inode->i_mode))
		return CKPT_FILE_DIR;
	/* a link reached without O_NOFOLLOW (a handle): its path leads on */
	if (S_ISLNK(inode->i_mode) && !(file->f_flags & O_NOFOLLOW))
		return -EOPNOTSUPP;
	return file->f_flags & O_PATH ? CKPT_FILE_OPATH : -EOPNOTSUPP;
}

/* Every kind of open file, from its own file: one list (file_kinds.h). */
static const struct ckpt_file_ops *const ckpt_file_kinds[] = {
#define CKPT_FILE_KIND(ops)	(&(ops)),
#include "file_kinds.h"
#undef CKPT_FILE_KIND
};

/**
 * ckpt_file_ops_of - the handlers of a kind of open file
 * @kind: a CKPT_FILE_* value, maybe from an image
 *
 * Return: the kind's ops, or NULL for a kind this kernel does not build.
 */
const struct ckpt_file_ops *ckpt_file_ops_of(u32 kind)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_file_kinds); i++)
		if (ckpt_file_kinds[i]->kind == kind)
			return ckpt_file_kinds[i];
	return NULL;
}

/**
 * ckpt_file_kind - what kind of open file, for a FILE record, is this?
 * @file: the file
 *
 * The kinds are tried in the order file_kinds.h lists them; a file of
 * none of them is judged by its path.
 *
 * Return: a CKPT_FILE_* value or -EOPNOTSUPP.
 */
int ckpt_file_kind(struct file *file)
{
	unsigned int i;

	if (!(file->f_flags & O_PATH))
		for (i = 0; i < ARRAY_SIZE(ckpt_file_kinds); i++)
			if (ckpt_file_kinds[i]->is &&
			    ckpt_file_kinds[i]->is(file))
				return ckpt_file_kinds[i]->kind;
	return ckpt_path_kind(file, file_inode(file));
}

static bool ckpt_file_unlinked(struct file *file, int kind)
{
	const struct ckpt_file_ops *ops = ckpt_file_ops_of(kind);

	return ops && ops->flags & CKPT_FK_NAMED &&
	       d_unlinked(file->f_path.dentry);
}

/**
 * ckpt_file_supported - can this open file be checkpointed?
 * @file: the file
 * @why: filled with a short reason when it cannot
 * @len: size of @why
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int ckpt_file_supported(struct file *file, char *why, size_t len)
{
	struct inode *inode = file_inode(file);
	const struct ckpt_file_ops *ops;
	const char *type;
	char *buf, *path;
	int kind = ckpt_file_kind(file);
	bool async = file->f_flags & FASYNC;
	int err;

	if (async && ckpt_file_leased(file))
		async = false;	/* its lease's, set again with it */
	/* a restored file would need its owner and ->fasync() again */
	if (async) {
		snprintf(why, len, "file with O_ASYNC (signal-driven I/O)");
		return -EOPNOTSUPP;
	}
	ops = kind > 0 ? ckpt_file_ops_of(kind) : NULL;
	if (ops && ops->supported) {
		err = ops->supported(file, why, len);
		if (err)
			return err;
	}
	if (kind > 0 && !ckpt_file_unlinked(file, kind))
		return 0;
	if (kind == CKPT_FILE_REG || kind == CKPT_FILE_DIR ||
	    kind == CKPT_FILE_FIFO)
		return ckpt_relink_supported(file, why, len);
	if (S_ISSOCK(inode->i_mode))
		type = "socket";
	else if (S_ISFIFO(inode->i_mode))
		type = "FIFO";
	else if (S_ISCHR(inode->i_mode))
		type = "character device";
	else if (S_ISBLK(inode->i_mode))
		type = "block device";
	else if (S_ISLNK(inode->i_mode))
		type = "symbolic link, not opened with O_NOFOLLOW,";
	else if (kind > 0)
		type = "unlinked file";
	else if (inode->i_sb->s_magic == ANON_INODE_FS_MAGIC ||
		 !(inode->i_mode & S_IFMT))
		type = "anonymous inode";
	else
		type = "file on a pseudo filesystem";
	buf = kmalloc(256, GFP_KERNEL);
	path = buf ? ckpt_file_path(file, buf, 256) : ERR_PTR(-ENOMEM);
	snprintf(why, len, "%s %s", type, IS_ERR(path) ? "" : path);
	kfree(buf);
	return -EOPNOTSUPP;
}

/**
 * restore_state_file - the file of a FILE record whose state is an object
 * of its own (an eventfd, signalfd, timerfd, inotify file or socket): the
 * file that object's record made, with the FILE record's O_NONBLOCK
 * @ctx: restart context
 * @h: the FILE record, checked
 * @path: its path (unused: such files have none to open)
 *
 * Such files have the one access mode the system call that makes them
 * gives (read-write, or read-only for inotify).
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR.
 */
struct file *restore_state_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
				const char *path)
{
	struct file *file;

	file = ckpt_obj_fetch(ctx, h->ref, ckpt_file_ops_of(h->kind)->obj);
	if (IS_ERR(file))
		return file;
	if ((h->f_flags & ~(O_NONBLOCK | O_LARGEFILE)) !=
	    (file->f_flags & O_ACCMODE)) {
		ckpt_err(ctx, -EBADMSG, "file %d: flags %#x", h->objref,
			 h->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	ckpt_set_nonblock(file, h->f_flags & O_NONBLOCK);
	return get_file(file);
}

/**
 * checkpoint_file_obj - write a FILE record (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the struct file
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_file_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct file *file = ptr;
	struct inode *inode = file_inode(file);
	struct ckpt_hdr_file *h;
	const struct ckpt_file_ops *ops;
	char why[300];
	char *path;
	int kind, err;
	u32 plen;

	err = ckpt_file_supported(file, why, sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "cannot checkpoint %s", why);
	kind = ckpt_file_kind(file);
	ops = ckpt_file_ops_of(kind);
	h = kzalloc(sizeof(*h) + 2 * CKPT_PATH_MAX, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	path = ckpt_file_path(file, h->path, CKPT_PATH_MAX);
	if (IS_ERR(path)) {
		err = ckpt_err(ctx, PTR_ERR(path), "file path too long");
		goto out;
	}
	plen = strlen(path) + 1;
	memmove(h->path, path, plen);
	memset(h->path + plen, 0, CKPT_PATH_MAX - plen);
	if (ckpt_file_unlinked(file, kind)) {
		/* d_path() said "<old name> (deleted)": keep the name */
		if (plen > 11 && !strcmp(h->path + plen - 11, " (deleted)")) {
			plen -= 10;
			memset(h->path + plen - 1, 0, 10);
		}
		path = ckpt_relink(ctx, file, objref, h->path + plen,
				   CKPT_PATH_MAX);
		if (IS_ERR(path)) {
			err = PTR_ERR(path);
			goto out;
		}
		h->relink_len = strlen(path) + 1;
		memmove(h->path + plen, path, h->relink_len);
	}
	h->objref = objref;
	h->uid = from_kuid_munged(current_user_ns(), inode->i_uid);
	h->gid = from_kgid_munged(current_user_ns(), inode->i_gid);
	h->kind = kind;
	h->f_flags = file->f_flags & CKPT_FILE_FLAGS;
	/* O_TMPFILE leaves O_DIRECTORY in f_flags of a regular file */
	if (!S_ISDIR(inode->i_mode))
		h->f_flags &= ~O_DIRECTORY;
	/* anonymous files: only the access mode and O_NONBLOCK matter */
	if (ops->flags & CKPT_FK_ANON)
		h->f_flags &= O_ACCMODE | O_NONBLOCK;
	if (ops->record) {
		err = ops->record(ctx, file, h);
		if (err)
			goto out;
	}
	h->mode = inode->i_mode;
	h->pos = file->f_pos;
	h->dev = new_encode_dev(inode->i_sb->s_dev);
	h->ino = inode->i_ino;
	if (ops->obj) {
		/*
		 * The record of the object the file is a view of (a pipe
		 * with its data, a memfd with its contents, an eventfd's
		 * state, ...) goes first.
		 */
		err = ckpt_obj_checkpoint(ctx, ops->obj,
					  ops->obj_ptr ? ops->obj_ptr(file) :
					  file);
		if (err < 0)
			goto out;
		h->ref = err;
		if (!(ops->flags & CKPT_FK_POS))
			h->pos = 0;
	}
	if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode))
		h->rdev = new_encode_dev(inode->i_rdev);
	h->size = i_size_read(inode);
	h->path_len = plen;
	err = ckpt_write_obj(ctx, CKPT_HDR_FILE, h,
			     sizeof(*h) + plen + h->relink_len);
out:
	kfree(h);
	return err;
}

/* Is @inode of the type, and for a device of the number, @h says? */
static bool ckpt_same_kind(struct inode *inode, struct ckpt_hdr_file *h)
{
	if ((inode->i_mode ^ h->mode) & S_IFMT)
		return false;
	if (h->kind == CKPT_FILE_CHR)
		return ckpt_is_memdev(inode) &&
		       inode->i_rdev == new_decode_dev(h->rdev);
	if (h->kind == CKPT_FILE_TTY || h->kind == CKPT_FILE_PTY)
		return ckpt_is_tty(inode);
	if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode))
		return inode->i_rdev == new_decode_dev(h->rdev);
	return true;
}

/*
 * The restarter's terminal: the first of its fds 0-2 that is a tty,
 * opened anew with the saved flags (its own fd may lack the access mode
 * the process had), with the checks an open would make.
 * A restarter without a terminal gets the old terminal device back by
 * its path, if it still is a terminal and may be opened.
 */
struct file *restore_tty(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			 const char *path)
{
	struct file *tty, *file;
	int fd;

	for (fd = 0; fd < 3; fd++) {
		tty = fget(fd);
		if (!tty)
			continue;
		if (ckpt_is_tty(file_inode(tty)))
			break;
		fput(tty);
	}
	/* ckpt_open_file() checks that the path still is a terminal */
	if (fd == 3)
		return ckpt_open_file(ctx, h, path);
	/*
	 * Opened as the restored task, which must be allowed to open it:
	 * root's terminal is not handed to another user's process.
	 */
	file = ckpt_open_path(ctx, h, &tty->f_path, path);
	fput(tty);
	return file;
}

/**
 * ckpt_set_nonblock - give an open file the O_NONBLOCK of an image
 * @file: the file
 * @nonblock: whether it had O_NONBLOCK
 */
void ckpt_set_nonblock(struct file *file, bool nonblock)
{
	spin_lock(&file->f_lock);
	if (nonblock)
		file->f_flags |= O_NONBLOCK;
	else
		file->f_flags &= ~O_NONBLOCK;
	spin_unlock(&file->f_lock);
}

/**
 * ckpt_same_inode - is @inode the one the image names?
 * @ctx: restart context
 * @inode: what a path of the image leads to now
 * @dev: the device the image names (new_encode_dev format)
 * @ino: the inode number it names
 * @path: the path, for the log
 *
 * A path may lead elsewhere now: replaced by another file, or by a
 * symlink to one.  RESTART_FILES_REPLACED (a copy of the filesystem)
 * accepts any inode.
 *
 * Return: 0 or -ESTALE (logged).
 */
int ckpt_same_inode(struct ckpt_ctx *ctx, struct inode *inode, u32 dev,
		    u64 ino, const char *path)
{
	if ((ctx->flags & RESTART_FILES_REPLACED) ||
	    (inode->i_ino == ino && inode->i_sb->s_dev == new_decode_dev(dev)))
		return 0;
	return ckpt_err(ctx, -ESTALE,
			"%s is inode %lu on device %u:%u, the checkpointed file was %llu on %u:%u (RESTART_FILES_REPLACED accepts it)",
			path, inode->i_ino, MAJOR(inode->i_sb->s_dev),
			MINOR(inode->i_sb->s_dev), ino,
			MAJOR(new_decode_dev(dev)), MINOR(new_decode_dev(dev)));
}

/**
 * ckpt_lookup_file - find the file of a FILE record by @path
 * @ctx: restart context
 * @h: the record (checked by the caller)
 * @path: its path, NUL-terminated
 * @p: set to what @path leads to (the caller puts it)
 *
 * Looks up with the current credentials; checks that the path leads to
 * a file of the kind, and unless RESTART_FILES_REPLACED the inode, of
 * the record.  The type is checked before any open, so that no device's
 * open runs on the image's word (a FIFO named as a regular file would
 * block, a tty named as /dev/null would become ours).
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_lookup_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
		     const char *path, struct path *p)
{
	int err;

	err = kern_path(path, h->f_flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW, p);
	if (err)
		return ckpt_err(ctx, err, "cannot find %s", path);
	if (!ckpt_same_kind(d_inode(p->dentry), h))
		err = ckpt_err(ctx, -ESTALE,
			       "%s is no longer the file it was", path);
	else if (h->kind == CKPT_FILE_REG || h->kind == CKPT_FILE_DIR ||
		 h->kind == CKPT_FILE_OPATH)
		err = ckpt_same_inode(ctx, d_inode(p->dentry), h->dev, h->ino,
				      path);
	if (err)
		path_put(p);
	return err;
}

/**
 * ckpt_open_path - open what ckpt_lookup_file() found, as the record says
 * @ctx: restart context
 * @h: the record
 * @p: the file's path
 * @path: its name, for the log
 *
 * Opens @p itself, not a name that a rename could make lead elsewhere,
 * with the checks open(2) makes (permission, LSM hooks), under the
 * credentials the restored task will have: as open_by_handle_at() opens
 * what a handle found.  Then seeks to the saved offset.
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR
 * (logged).
 */
struct file *ckpt_open_path(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			    const struct path *p, const char *path)
{
	const struct cred *old = ckpt_as_task(ctx);
	struct file *file;
	loff_t pos;

	/* never wait for a peer or a carrier, never take a controlling tty */
	file = file_open_root(p, "", h->f_flags | O_NOCTTY | O_NONBLOCK, 0);
	ckpt_as_restarter(old);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "cannot open %s", path);
		return file;
	}
	ckpt_set_nonblock(file, h->f_flags & O_NONBLOCK);
	if (h->pos && (h->kind == CKPT_FILE_REG || h->kind == CKPT_FILE_DIR) &&
	    !(h->f_flags & O_PATH)) {
		pos = vfs_llseek(file, h->pos, SEEK_SET);
		if (pos != h->pos) {
			fput(file);
			ckpt_err(ctx, pos < 0 ? (int)pos : -EINVAL,
				 "cannot seek %s to %lld", path, h->pos);
			return ERR_PTR(pos < 0 ? pos : -EINVAL);
		}
	}
	return file;
}

/**
 * ckpt_open_file - reopen the file of a FILE record by @path
 * @ctx: restart context
 * @h: the record (checked by the caller)
 * @path: its path, NUL-terminated
 *
 * Looks the path up once and opens what it found, both with the
 * credentials the restored task will have: a root restart of a user's
 * image opens nothing that user could not.
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR
 * (logged).
 */
struct file *ckpt_open_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			    const char *path)
{
	const struct cred *old = ckpt_as_task(ctx);
	struct file *file;
	struct path p;
	int err;

	err = ckpt_lookup_file(ctx, h, path, &p);
	ckpt_as_restarter(old);
	if (err)
		return ERR_PTR(err);
	file = ckpt_open_path(ctx, h, &p, path);
	path_put(&p);
	return file;
}

/**
 * restore_file_obj - reopen a file from its FILE record (objhash restore
 * handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR.
 */
void *restore_file_obj(struct ckpt_ctx *ctx, void *rec)
{
	const struct ckpt_file_ops *ops = NULL;
	struct ckpt_hdr_file *h = rec;
	const char *path;
	const char *relink;
	bool own;

	/* no field is read before the record is known to hold it */
	if (h->h.len >= sizeof(*h) + 2) {
		ops = ckpt_file_ops_of(h->kind);
		if (!ops && h->kind >= CKPT_FILE_REG &&
		    h->kind <= CKPT_FILE_OPATH)
			return ERR_PTR(ckpt_err(ctx, -EOPNOTSUPP,
						"file %d: this kernel is built without files of kind %u",
						h->objref, h->kind));
	}
	/* pipe ends, memfds, eventfds, ..., and only those, name an object */
	own = ops && ops->flags & CKPT_FK_OWN_REF;
	if (!ops || h->path_len > CKPT_PATH_MAX ||
	    h->relink_len > CKPT_PATH_MAX ||
	    h->h.len != sizeof(*h) + h->path_len + h->relink_len ||
	    h->flags & ~CKPT_FILE_NOT_WRITER || h->_pad ||
	    (h->flags && (h->kind != CKPT_FILE_MEMFD ||
			  (h->f_flags & O_ACCMODE) == O_RDONLY)) ||
	    (!h->ref == !!ops->obj && !own) ||
	    (h->f_flags & ~CKPT_FILE_FLAGS && !own) ||
	    h->pos < 0) {
		ckpt_err(ctx, -EBADMSG, "file %d: malformed record", h->objref);
		return ERR_PTR(-EBADMSG);
	}
	path = ckpt_string(ctx, h->path, h->path_len, "file path");
	if (IS_ERR(path))
		return ERR_PTR(PTR_ERR(path));
	if (h->relink_len) {
		relink = ckpt_string(ctx, h->path + h->path_len,
				     h->relink_len, "relinked path");
		if (IS_ERR(relink))
			return ERR_PTR(PTR_ERR(relink));
		return restore_relinked(ctx, h, path, relink);
	}
	return ops->restore(ctx, h, path);
}

/* A file reopened by its path: a terminal, device, file or directory. */
static struct file *restore_path_file(struct ckpt_ctx *ctx,
				      struct ckpt_hdr_file *h,
				      const char *path)
{
	bool ok;

	if (h->path[0] != '/') {
		ckpt_err(ctx, -EBADMSG, "file path %s is not absolute", path);
		return ERR_PTR(-EBADMSG);
	}
	switch (h->kind) {
	case CKPT_FILE_TTY:
		return restore_tty(ctx, h, path);
	case CKPT_FILE_REG:
		ok = S_ISREG(h->mode);
		break;
	case CKPT_FILE_DIR:
		ok = S_ISDIR(h->mode);
		break;
	case CKPT_FILE_CHR:
		ok = S_ISCHR(h->mode);
		break;
	default:	/* CKPT_FILE_OPATH */
		ok = h->f_flags & O_PATH && !S_ISREG(h->mode) &&
		     !S_ISDIR(h->mode) &&
		     (!S_ISLNK(h->mode) || h->f_flags & O_NOFOLLOW);
		break;
	}
	if (ok)
		return ckpt_open_file(ctx, h, path);
	ckpt_err(ctx, -EBADMSG, "file %s: kind and mode disagree", path);
	return ERR_PTR(-EBADMSG);
}

static bool ckpt_is_tty_file(struct file *file)
{
	return ckpt_is_tty(file_inode(file));
}

static bool ckpt_is_memdev_file(struct file *file)
{
	return ckpt_is_memdev(file_inode(file));
}

/* Files reopened by path: the kinds this file handles itself. */
const struct ckpt_file_ops ckpt_file_tty_ops = {
	.kind = CKPT_FILE_TTY,
	.is = ckpt_is_tty_file,
	.restore = restore_path_file,
};

const struct ckpt_file_ops ckpt_file_chr_ops = {
	.kind = CKPT_FILE_CHR,
	.flags = CKPT_FK_NAMED,
	.is = ckpt_is_memdev_file,
	.restore = restore_path_file,
};

/* a regular file, directory or O_PATH file: ckpt_path_kind() tells */
const struct ckpt_file_ops ckpt_file_reg_ops = {
	.kind = CKPT_FILE_REG,
	.flags = CKPT_FK_NAMED,
	.restore = restore_path_file,
};

const struct ckpt_file_ops ckpt_file_dir_ops = {
	.kind = CKPT_FILE_DIR,
	.flags = CKPT_FK_NAMED,
	.restore = restore_path_file,
};

const struct ckpt_file_ops ckpt_file_opath_ops = {
	.kind = CKPT_FILE_OPATH,
	.flags = CKPT_FK_NAMED,
	.restore = restore_path_file,
};

/**
 * ckpt_ptr_cmp - order two pointers, for sort() and bsearch()
 * @a: the first, as an element of an array of pointers
 * @b: the second
 *
 * Return: <0, 0 or >0 as *@a is below, equal to or above *@b.
 */
int ckpt_ptr_cmp(const void *a, const void *b)
{
	const void *x = *(const void * const *)a;
	const void *y = *(const void * const *)b;

	return x < y ? -1 : x > y;
}

/**
 * ckpt_fds_sorted_files - the files of @all, sorted, to bsearch() with
 * ckpt_ptr_cmp(): n log n, however many fds there are
 * @all: open files
 *
 * Return: a kvmalloc'ed array of @all->nr files (no references), or NULL.
 */
struct file **ckpt_fds_sorted_files(const struct ckpt_fds *all)
{
	struct file **files;
	unsigned int i;

	files = kvmalloc_array(all->nr ?: 1, sizeof(*files), GFP_KERNEL);
	if (!files)
		return NULL;
	for (i = 0; i < all->nr; i++)
		files[i] = all->fds[i].file;
	sort(files, all->nr, sizeof(*files), ckpt_ptr_cmp, NULL);
	return files;
}

/**
 * ckpt_files_put - drop the files of an array and free it
 * @files: a kvmalloc'ed array of referenced files, or NULL
 * @n: how many it holds
 */
void ckpt_files_put(struct file **files, unsigned int n)
{
	while (n--)
		fput(files[n]);
	kvfree(files);
}

static void ckpt_fds_release(struct ckpt_fds *f)
{
	unsigned int i;

	for (i = 0; i < f->nr; i++)
		fput(f->fds[i].file);
	kvfree(f->fds);
}

/*
 * The open files of @t's table.  For a checkpoint (@ctx) the image and
 * the log are left out: a process checkpointing itself holds them, and
 * they are no part of what it was (restart opens neither again).
 */
static int ckpt_fds_collect(struct ckpt_ctx *ctx, struct task_struct *t,
			    struct ckpt_fds *f)
{
	struct fdtable *fdt;
	unsigned int max, fd;

	memset(f, 0, sizeof(*f));
	task_lock(t);
	f->files = t->files;
	rcu_read_lock();
	max = f->files ? files_fdtable(f->files)->max_fds : 0;
	rcu_read_unlock();
	task_unlock(t);
	/* a user task loses its file table only when it exits */
	if (!f->files)
		return -ESRCH;
	f->fds = kvcalloc(max, sizeof(*f->fds), GFP_KERNEL);
	if (!f->fds)
		return -ENOMEM;
	for (fd = 0; fd < max; fd++) {
		struct file *file = fget_task(t, fd);

		if (!file)
			continue;
		if (ctx && (file == ctx->file || file == ctx->logfile)) {
			fput(file);
			continue;
		}
		f->fds[f->nr].fd = fd;
		f->fds[f->nr].file = file;
		f->fds[f->nr].pid = task_tgid_vnr(t);
		task_lock(t);
		rcu_read_lock();
		/* the table may have shrunk since (exec, unshare) */
		fdt = t->files ? files_fdtable(t->files) : NULL;
		f->fds[f->nr].flags = fdt && fd < fdt->max_fds &&
				      test_bit(fd, fdt->close_on_exec) ?
				      FD_CLOEXEC : 0;
		rcu_read_unlock();
		task_unlock(t);
		cond_resched();
		f->nr++;
	}
	return 0;
}

/*
 * The checks checkpoint makes on a task's files, each on its own: every
 * fd, or only @fd if it is not -1.  Pipe ends are checked across the
 * tree (ckpt_tree_files_check()).
 */
static int ckpt_fds_check(struct ckpt_fds *f, int fd, char *why, size_t len)
{
	const struct ckpt_file_ops *ops;
	char what[300];
	unsigned int i;
	int err;

	for (i = 0; i < f->nr; i++) {
		if (fd >= 0 && f->fds[i].fd != fd)
			continue;
		/* leases first: a lease is what set O_ASYNC on its file */
		err = ckpt_fd_locks(f, i, NULL, why, len);
		if (err)
			return err;
		err = ckpt_file_supported(f->fds[i].file, what, sizeof(what));
		if (err) {
			snprintf(why, len, "fd %u: unsupported %s",
				 f->fds[i].fd, what);
			return err;
		}
		ops = ckpt_file_ops_of(ckpt_file_kind(f->fds[i].file));
		if (ops->in_table) {
			err = ops->in_table(f, i, why, len);
			if (err)
				return err;
		}
	}
	return 0;
}

/*
 * The checks that look across files: is what the files of @f (or only
 * f->fds[@only]) are connected to held by @all, the files of @tasks?
 */
static int ckpt_fds_peers(const struct ckpt_fds *f, int only,
			  const struct ckpt_fds *all,
			  struct task_struct **tasks, unsigned int nr_tasks,
			  char *why, size_t len)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(ckpt_file_kinds) && !err; i++)
		if (ckpt_file_kinds[i]->peers)
			err = ckpt_file_kinds[i]->peers(f, only, all, tasks,
							nr_tasks, why, len);
	return err;
}

/* Move the files of @f to the end of @all. */
static int ckpt_fds_append(struct ckpt_fds *all, struct ckpt_fds *f)
{
	struct ckpt_fd *fds;

	if (!f->nr)
		return 0;
	fds = kvcalloc(all->nr + f->nr, sizeof(*fds), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	if (all->nr)
		memcpy(fds, all->fds, all->nr * sizeof(*fds));
	memcpy(fds + all->nr, f->fds, f->nr * sizeof(*fds));
	kvfree(all->fds);
	all->fds = fds;
	all->nr += f->nr;
	f->nr = 0;
	return 0;
}

/*
 * The files in flight to the sockets of @all (SCM_RIGHTS), added to it,
 * each under the fd of the socket it waits in: checkpoint saves them
 * with that socket, so what they are connected to must be in the
 * checkpoint too, as for a file an fd holds.  A socket in flight that
 * carries files itself is refused (ckpt_unix_supported()): one round.
 */
static int ckpt_fds_add_in_flight(struct ckpt_fds *all)
{
	const struct ckpt_file_ops *ops;
	unsigned int i, k, n, nr = all->nr;
	struct ckpt_fds in = {};
	struct file **files;
	int kind, err = 0;

	for (i = 0; i < nr && !err; i++) {
		kind = ckpt_file_kind(all->fds[i].file);
		ops = kind > 0 ? ckpt_file_ops_of(kind) : NULL;
		if (!ops || !ops->in_flight)
			continue;
		files = ops->in_flight(all->fds[i].file, &n);
		if (IS_ERR_OR_NULL(files)) {
			err = PTR_ERR_OR_ZERO(files);
			continue;
		}
		in.fds = kvcalloc(n, sizeof(*in.fds), GFP_KERNEL);
		if (!in.fds) {
			ckpt_files_put(files, n);
			return -ENOMEM;
		}
		for (k = 0; k < n; k++) {
			in.fds[k] = all->fds[i];
			in.fds[k].flags = CKPT_FD_IN_FLIGHT;
			in.fds[k].file = files[k];
		}
		in.nr = n;
		kvfree(files);
		err = ckpt_fds_append(all, &in);
		ckpt_fds_release(&in);
	}
	return err;
}

/*
 * The open files of the live processes among @tasks, in one list, for
 * the checks that look across processes (pipe ends), and the files in
 * flight to their sockets.
 */
static int ckpt_fds_collect_tree(struct ckpt_ctx *ctx,
				 struct task_struct **tasks, unsigned int nr,
				 struct ckpt_fds *all)
{
	struct ckpt_fds f;
	unsigned int i;
	int err = 0;

	memset(all, 0, sizeof(*all));
	for (i = 0; i < nr && !err; i++) {
		if (!thread_group_leader(tasks[i]) ||
		    ckpt_task_zombie(tasks[i]))
			continue;
		err = ckpt_fds_collect(ctx, tasks[i], &f);
		if (err == -ESRCH)
			err = 0;	/* no file table: nothing to count */
		else if (!err)
			err = ckpt_fds_append(all, &f);
		ckpt_fds_release(&f);
	}
	return err ?: ckpt_fds_add_in_flight(all);
}

/**
 * ckpt_tree_files_check - checks on the files of a whole tree
 * @ctx: checkpoint context
 * @tasks: the tasks checkpoint takes
 * @nr: how many
 *
 * Every end of every pipe must be held inside the tree.
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_tree_files_check(struct ckpt_ctx *ctx, struct task_struct **tasks,
			  unsigned int nr)
{
	struct ckpt_fds all;
	char why[200];
	int err;

	err = ckpt_fds_collect_tree(ctx, tasks, nr, &all);
	if (!err)
		err = ckpt_fds_peers(&all, -1, &all, tasks, nr, why,
				     sizeof(why));
	if (err)
		ckpt_err(ctx, err, "%s", why);
	ckpt_fds_release(&all);
	return err;
}

/**
 * ckpt_tree_find_file - an open file of the checkpoint's processes
 * @ctx: checkpoint context
 * @match: says whether a file is the one looked for
 * @arg: passed to @match
 *
 * Return: the first file of the tree's fd tables that @match accepts,
 * referenced, or NULL.
 */
struct file *ckpt_tree_find_file(struct ckpt_ctx *ctx,
				 bool (*match)(struct file *file, void *arg),
				 void *arg)
{
	struct task_struct **tasks;
	unsigned int nr, i, fd;
	struct file *file;

	tasks = ckpt_tree_tasks(ctx, &nr);
	for (i = 0; i < nr; i++) {
		if (!thread_group_leader(tasks[i]) ||
		    ckpt_task_zombie(tasks[i]))
			continue;
		for (fd = 0;; fd++) {
			rcu_read_lock();
			file = task_lookup_next_fdget_rcu(tasks[i], &fd);
			rcu_read_unlock();
			if (!file)
				break;
			if (match(file, arg))
				return file;
			fput(file);
			cond_resched();
		}
	}
	return NULL;
}

/*
 * The fd slots one fdinfo read may list to judge a pipe, socket or pidfd
 * with its peers: reading every fdinfo of a big tree must not cost the
 * square of its fds.  /proc/PID/checkpointable has no such bound: it
 * judges all fds in one pass.
 */
#define CKPT_FDINFO_SLOTS	65536

/* The slots of @t's file table: what listing its fds costs. */
static unsigned int ckpt_task_fd_slots(struct task_struct *t)
{
	unsigned int slots = 0;

	task_lock(t);
	rcu_read_lock();
	if (t->files)
		slots = files_fdtable(t->files)->max_fds;
	rcu_read_unlock();
	task_unlock(t);
	return slots;
}

/* Do the file tables of @tasks have more than CKPT_FDINFO_SLOTS slots? */
static bool ckpt_tasks_over_fdinfo_budget(struct task_struct **tasks,
					  unsigned int nr)
{
	unsigned long slots = 0;
	unsigned int i;

	for (i = 0; i < nr && slots <= CKPT_FDINFO_SLOTS; i++)
		if (thread_group_leader(tasks[i]))
			slots += ckpt_task_fd_slots(tasks[i]);
	return slots > CKPT_FDINFO_SLOTS;
}

static int ckpt_fdinfo_not_judged(int fd, char *why, size_t len)
{
	snprintf(why, len,
		 "fd %d: its peers are among more than %d fd slots; see /proc/PID/checkpointable",
		 fd, CKPT_FDINFO_SLOTS);
	return 1;
}

/*
 * The checks across files for the files in flight to the sockets of @f
 * (or of f->fds[@only] only), which @all lists after the fds.
 */
static int ckpt_in_flight_peers(const struct ckpt_fds *f, int only,
				const struct ckpt_fds *all,
				struct task_struct **tasks, unsigned int nr,
				char *why, size_t len)
{
	struct ckpt_fds in = {};
	unsigned int i;
	int err;

	for (i = 0; i < all->nr; i++) {
		const struct ckpt_fd *e = &all->fds[i];

		if (!(e->flags & CKPT_FD_IN_FLIGHT) || !f->nr ||
		    e->pid != f->fds[0].pid ||
		    (only >= 0 && e->fd != f->fds[only].fd))
			continue;
		if (!in.fds) {
			in.fds = kvcalloc(all->nr - i, sizeof(*in.fds),
					  GFP_KERNEL);
			if (!in.fds) {
				snprintf(why, len, "out of memory");
				return -ENOMEM;
			}
		}
		in.fds[in.nr++] = *e;
	}
	err = in.nr ? ckpt_fds_peers(&in, -1, all, tasks, nr, why, len) : 0;
	kvfree(in.fds);
	return err;
}

/*
 * The checks across files as a checkpoint of @t's subtree
 * (CHECKPOINT_SUBTREE) would make them, for the files of @t: every fd
 * of @f, or only @fd if it is not -1.
 * For one fd, 1 if the subtree is too big to list on this read.
 */
static int ckpt_subtree_peers(struct task_struct *t, struct ckpt_fds *f,
			      int fd, char *why, size_t len)
{
	struct task_struct **tasks;
	struct ckpt_fds all;
	unsigned int nr, i;
	int err, only = -1;

	/* one fd: the files it is connected to only */
	for (i = 0; fd >= 0 && i < f->nr; i++)
		if (f->fds[i].fd == fd)
			only = i;
	if (fd >= 0 && only < 0)
		return 0;
	tasks = ckpt_tasks_collect(t, true, &nr);
	if (IS_ERR(tasks)) {
		snprintf(why, len, "cannot list the process's subtree");
		return PTR_ERR(tasks);
	}
	if (fd >= 0 && ckpt_tasks_over_fdinfo_budget(tasks, nr)) {
		ckpt_tasks_put(tasks, nr);
		return ckpt_fdinfo_not_judged(fd, why, len);
	}
	err = ckpt_fds_collect_tree(NULL, tasks, nr, &all);
	if (err)
		snprintf(why, len, "out of memory");
	else
		err = ckpt_fds_peers(f, only, &all, tasks, nr, why, len);
	if (!err)
		err = ckpt_in_flight_peers(f, only, &all, tasks, nr, why, len);
	ckpt_tasks_put(tasks, nr);
	ckpt_fds_release(&all);
	return err;
}

/**
 * ckpt_files_checkpointable - would checkpoint take a task's files?
 * @t: the task
 * @fd: only this descriptor (and the pipe it is an end of), or -1 for all
 * @why: filled with a short reason when it would not
 * @len: size of @why
 *
 * Return: 0 or the errno checkpoint would fail with; for one @fd, 1
 * (not judged) if its peers are in a subtree too big to count on a read.
 */
int ckpt_files_checkpointable(struct task_struct *t, int fd, char *why,
			      size_t len)
{
	const struct ckpt_file_ops *ops;
	struct ckpt_fds f;
	struct file *file;
	char what[300];
	int err;

	/*
	 * One fd of a kind judged on its own (not a pipe end, an epoll
	 * file, ...) is judged alone: reading every fdinfo of a task must
	 * not cost the square of its fds.
	 */
	if (fd >= 0) {
		file = fget_task(t, fd);
		if (!file)
			return 0;
		err = -EAGAIN;
		ops = ckpt_file_ops_of(ckpt_file_kind(file));
		if (!ops || !(ops->flags & CKPT_FK_PEERS)) {
			err = ckpt_task_file_locks(t, file, fd, why, len);
			if (!err) {
				err = ckpt_file_supported(file, what,
							  sizeof(what));
				if (err)
					snprintf(why, len,
						 "fd %d: unsupported %s", fd,
						 what);
			}
		}
		fput(file);
		if (err != -EAGAIN)
			return err;
		/* its peers are counted in the subtree, and it in the task */
		if (ckpt_task_fd_slots(t) > CKPT_FDINFO_SLOTS)
			return ckpt_fdinfo_not_judged(fd, why, len);
	}
	err = ckpt_fds_collect(NULL, t, &f);
	if (err) {
		snprintf(why, len, "%s", err == -ESRCH ? "the task is exiting" :
			 "out of memory");
		ckpt_fds_release(&f);
		return err;
	}
	err = ckpt_fds_check(&f, fd, why, len);
	if (!err)
		err = ckpt_subtree_peers(t, &f, fd, why, len);
	ckpt_fds_release(&f);
	return err;
}

/**
 * ckpt_first_fd - is fds[@i] the lowest fd of its file?
 * @f: the table
 * @i: an index in it
 *
 * Return: whether no fd below fds[@i] refers to its file.
 */
bool ckpt_first_fd(struct ckpt_fds *f, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i && f->fds[j].file != f->fds[i].file; j++)
		;
	return j == i;
}

/*
 * The kind of fds[@i] if records follow the table for its file (an
 * epoll file's interest list) and no lower fd refers to it, or NULL.
 */
static const struct ckpt_file_ops *ckpt_first_after(struct ckpt_fds *f,
						    unsigned int i)
{
	const struct ckpt_file_ops *ops;

	ops = ckpt_file_ops_of(ckpt_file_kind(f->fds[i].file));
	return ops && ops->after_table && ckpt_first_fd(f, i) ? ops : NULL;
}

/**
 * checkpoint_file_table - write a task's file descriptors
 * @ctx: checkpoint context
 * @t: the task
 *
 * Every fd is checked first, so an unsupported one fails the
 * checkpoint with its number in the log before anything is written.
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_file_table(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_file_table h = {};
	struct ckpt_locks locks = {};
	struct ckpt_fds f;
	char why[400];
	unsigned int i;
	int err, objref;

	err = ckpt_fds_collect(ctx, t, &f);
	if (err == -ESRCH)
		err = ckpt_task_gone(ctx);
	if (!err) {
		err = ckpt_fds_check(&f, -1, why, sizeof(why));
		if (!err)
			err = ckpt_table_locks(&f, &locks, why, sizeof(why));
		if (err)
			ckpt_err(ctx, err, "%s", why);
	}
	if (err)
		goto out;

	objref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE_TABLE, f.files);
	if (objref < 0) {
		err = objref;
		goto out;
	}
	h.objref = objref;
	h.nr_fds = f.nr;
	for (i = 0; i < f.nr; i++)
		h.nr_epolls += !!ckpt_first_after(&f, i);
	h.nr_locks = locks.nr;
	err = ckpt_write_obj(ctx, CKPT_HDR_FILE_TABLE, &h, sizeof(h));
	for (i = 0; i < f.nr && !err; i++) {
		struct ckpt_hdr_fd fh = {};

		objref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE, f.fds[i].file);
		if (objref < 0) {
			err = objref;
			break;
		}
		fh.fd = f.fds[i].fd;
		fh.flags = f.fds[i].flags;
		fh.file_objref = objref;
		err = ckpt_write_obj(ctx, CKPT_HDR_FD, &fh, sizeof(fh));
	}
	/* what epoll files watch, now that every file is in the image */
	for (i = 0; i < f.nr && !err; i++) {
		const struct ckpt_file_ops *ops = ckpt_first_after(&f, i);

		if (ops)
			err = ops->after_table(ctx, f.fds[i].file);
	}
	if (!err)
		err = checkpoint_file_locks(ctx, &locks);
out:
	kvfree(locks.v);
	ckpt_fds_release(&f);
	return err;
}

/* Restore object records (files, pipes) until an FD record comes. */
static struct ckpt_hdr_fd *restore_next_fd(struct ckpt_ctx *ctx)
{
	return ckpt_read_after_objs(ctx, CKPT_HDR_FD,
				    sizeof(struct ckpt_hdr_fd));
}

static int ckpt_fd_cmp(const void *key, const void *elt)
{
	u32 fd = *(const u32 *)key;
	const struct ckpt_fd *f = elt;

	return fd < f->fd ? -1 : fd > f->fd;
}

/**
 * restore_fd_find - a restored table's entry for an fd
 * @fs: the table, in fd order
 * @fd: the fd
 *
 * Return: the entry, or NULL if the table has no @fd.
 */
struct ckpt_fd *restore_fd_find(struct ckpt_files_state *fs, u32 fd)
{
	return bsearch(&fd, fs->fds, fs->nr, sizeof(*fs->fds), ckpt_fd_cmp);
}

/**
 * restore_file_table_read - read the fd table and open its files
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_file_table_read(struct ckpt_ctx *ctx)
{
	const struct ckpt_file_ops *ops;
	unsigned long nofile = ctx->ts->rlim[RLIMIT_NOFILE].rlim_cur;
	struct ckpt_hdr_file_table *h;
	struct ckpt_files_state *fs;
	struct ckpt_hdr_fd *fh;
	struct file *file;
	u32 i;
	s64 prev = -1;
	int err = 0;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_FILE_TABLE, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->objref <= 0 || h->nr_locks > CKPT_FILE_LOCKS_MAX ||
	    h->nr_epolls > h->nr_fds ||
	    h->nr_fds > min_t(unsigned long, nofile, sysctl_nr_open)) {
		kvfree(h);
		return ckpt_err(ctx, -EBADMSG, "file table malformed");
	}
	fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	if (fs)
		fs->fds = kvcalloc(h->nr_fds, sizeof(*fs->fds),
				   GFP_KERNEL_ACCOUNT);
	ctx->ts->files = fs;
	if (!fs || !fs->fds) {
		kvfree(h);
		return -ENOMEM;
	}
	for (i = 0; i < h->nr_fds; i++) {
		fh = restore_next_fd(ctx);
		if (IS_ERR(fh)) {
			kvfree(h);
			return PTR_ERR(fh);
		}
		if (fh->fd <= prev || fh->fd >= nofile ||
		    fh->fd >= sysctl_nr_open || fh->flags & ~FD_CLOEXEC ||
		    fh->_pad) {
			ckpt_err(ctx, -EBADMSG, "fd %u: malformed record",
				 fh->fd);
			kvfree(fh);
			kvfree(h);
			return -EBADMSG;
		}
		file = ckpt_obj_fetch(ctx, fh->file_objref, CKPT_OBJ_FILE);
		if (IS_ERR(file)) {
			ckpt_err(ctx, PTR_ERR(file), "fd %u not restored",
				 fh->fd);
			kvfree(fh);
			kvfree(h);
			return PTR_ERR(file);
		}
		fs->fds[i].fd = fh->fd;
		fs->fds[i].flags = fh->flags;
		fs->fds[i].file = get_file(file);
		fs->nr++;
		prev = fh->fd;
		kvfree(fh);
	}
	/* what follows a table: epoll interest lists, then its locks */
	ops = ckpt_file_ops_of(CKPT_FILE_EPOLL);
	for (i = 0; i < h->nr_epolls && !err; i++)
		err = ops ? ops->restore_after(ctx) :
		      ckpt_err(ctx, -EOPNOTSUPP,
			       "this kernel is built without epoll");
	if (!err)
		err = restore_table_locks_read(ctx, fs, h->nr_locks);
	kvfree(h);
	return err;
}

/**
 * restore_file_table_commit - replace current's fds with the image's
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged); past the point of no return.
 */
int restore_file_table_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_files_state *fs = ctx->ts->files;
	u32 i;
	int ret;

	ret = __close_range(0, ~0U, 0);
	if (ret)
		return ckpt_err(ctx, ret, "closing the restarter's files");
	for (i = 0; i < fs->nr; i++) {
		ret = replace_fd(fs->fds[i].fd, fs->fds[i].file,
				 fs->fds[i].flags ? O_CLOEXEC : 0);
		if (ret < 0)
			return ckpt_err(ctx, ret, "installing fd %u",
					fs->fds[i].fd);
	}
	/* with the fds in place, so that POSIX locks are the table's */
	ret = restore_table_locks_commit(ctx, fs);
	if (ret)
		return ret;
	return 0;
}

void restore_file_table_free(struct ckpt_task_state *ts)
{
	struct ckpt_files_state *fs = ts->files;
	u32 i;

	if (!fs)
		return;
	for (i = 0; i < fs->nr; i++)
		fput(fs->fds[i].file);
	kvfree(fs->fds);
	kvfree(fs->locks.v);
	kfree(fs);
	ts->files = NULL;
}

const struct ckpt_obj_ops ckpt_obj_file_ops = {
	.name = "file",
	.hdr_type = CKPT_HDR_FILE,
	.grab = ckpt_file_grab,
	.drop = ckpt_file_drop,
	.checkpoint = checkpoint_file_obj,
	.restore = restore_file_obj,
	.release = ckpt_file_drop,
};

/*
 * File tables and address spaces are written in line by their
 * task for now; the hash only reserves their objref, so a later
 * sharer (CLONE_FILES, threads) can point at them.
 */
const struct ckpt_obj_ops ckpt_obj_file_table_ops = {
	.name = "file table",
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
};
