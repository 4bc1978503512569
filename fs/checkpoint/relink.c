// SPDX-License-Identifier: GPL-2.0
/*
 * Unlinked open files and FIFOs: relinked at checkpoint, reopened and
 * unlinked again at restart.
 *
 * An open file whose name is gone has nothing restart could reopen, so
 * checkpoint gives it one: a hard link in the root of the file's own mount,
 * at lost+found/checkpoint/<one directory per checkpoint>/<objref>.  The
 * image records that path next to the old one.  Restart opens the link
 * and, once the whole restart has succeeded, removes it again (unless
 * RESTART_KEEP_LINKS), so the restored file is nameless as it was.  A
 * failed checkpoint removes every link it made; a failed restart leaves
 * them, so the image can be restarted again.
 *
 * An unlinked directory is necessarily empty: restart recreates it in the
 * same place with the recorded mode and owner, opens it and removes it.
 *
 * Links are made with kernel credentials in root-owned mode 0700
 * directories, by a checkpointer that has CAP_DAC_READ_SEARCH (the
 * capability linkat(AT_EMPTY_PATH) asks for the same thing).  Restart
 * opens and removes them with the restarter's credentials, and only in a
 * directory that is lost+found/checkpoint/<dir> at the root of a mount,
 * so a forged image cannot make it remove anything else.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/security.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

enum ckpt_relink_kind {
	CKPT_RELINK_DIR,	/* checkpoint: a per-checkpoint directory */
	CKPT_RELINK_LINK,	/* checkpoint: a link made */
	CKPT_RELINK_OPENED,	/* restart: a relinked file opened */
	CKPT_RELINK_MKDIR,	/* restart: an unlinked directory recreated */
};

struct ckpt_relink {
	struct list_head list;
	enum ckpt_relink_kind kind;
	struct path path;
	/* restart: the name the file had, and who opened it again */
	char *name;
	const struct cred *cred;
};

static int ckpt_relink_add(struct ckpt_ctx *ctx, enum ckpt_relink_kind kind,
			   const struct path *path)
{
	struct ckpt_relink *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->kind = kind;
	r->path = *path;
	r->name = NULL;
	r->cred = NULL;
	path_get(&r->path);
	list_add(&r->list, &ctx->relinks);
	return 0;
}

static void ckpt_relink_free(struct ckpt_relink *r)
{
	list_del(&r->list);
	path_put(&r->path);
	kfree(r->name);
	if (r->cred)
		put_cred(r->cred);
	kfree(r);
}

/*
 * Remove @p (a directory if @dir) if it still is where it was, as
 * unlink(2) or rmdir(2) would with the current credentials.
 */
int ckpt_remove(const struct path *p, bool dir)
{
	struct path pp = { .mnt = p->mnt };
	struct dentry *parent;
	struct inode *pdir;
	int err;

	/* its parent is outside the mount: unlink(2) says EBUSY */
	if (p->dentry == p->mnt->mnt_root)
		return -EBUSY;
	parent = dget_parent(p->dentry);
	pp.dentry = parent;
	pdir = d_inode(parent);

	err = mnt_want_write(p->mnt);
	if (err)
		goto out;
	inode_lock_nested(pdir, I_MUTEX_PARENT);
	/* the path hooks too, as rmdir(2) and unlink(2) call them */
	if (p->dentry->d_parent != parent || d_unhashed(p->dentry) ||
	    d_is_negative(p->dentry))
		err = -ENOENT;
	else if (dir)
		err = security_path_rmdir(&pp, p->dentry) ?:
		      vfs_rmdir(mnt_idmap(p->mnt), pdir, p->dentry);
	else
		err = security_path_unlink(&pp, p->dentry) ?:
		      vfs_unlink(mnt_idmap(p->mnt), pdir, p->dentry, NULL);
	inode_unlock(pdir);
	mnt_drop_write(p->mnt);
out:
	dput(parent);
	return err;
}

static bool ckpt_dentry_named(struct dentry *d, const char *name)
{
	bool same;

	spin_lock(&d->d_lock);
	same = d->d_name.len == strlen(name) &&
	       !memcmp(d->d_name.name, name, d->d_name.len);
	spin_unlock(&d->d_lock);
	return same;
}

/* Is @dir lost+found/checkpoint/<something> at the root of its mount? */
static bool ckpt_is_relink_dir(struct vfsmount *mnt, struct dentry *dir)
{
	struct dentry *ck = dget_parent(dir);
	struct dentry *lf = dget_parent(ck);
	bool ok;

	spin_lock(&lf->d_lock);
	ok = lf->d_parent == mnt->mnt_root && lf != mnt->mnt_root;
	spin_unlock(&lf->d_lock);
	ok = ok && ck != lf && dir != ck &&
	     ckpt_dentry_named(ck, "checkpoint") &&
	     ckpt_dentry_named(lf, "lost+found");
	dput(lf);
	dput(ck);
	return ok;
}

/* @name in @dir, with write access to the mount and @dir locked. */
static struct dentry *ckpt_lookup_for_create(const struct path *dir,
					     const char *name)
{
	struct dentry *d;
	int err;

	err = mnt_want_write(dir->mnt);
	if (err)
		return ERR_PTR(err);
	inode_lock_nested(d_inode(dir->dentry), I_MUTEX_PARENT);
	d = lookup_one_len(name, dir->dentry, strlen(name));
	if (IS_ERR(d)) {
		inode_unlock(d_inode(dir->dentry));
		mnt_drop_write(dir->mnt);
	}
	return d;
}

static void ckpt_done_create(const struct path *dir, struct dentry *d)
{
	dput(d);
	inode_unlock(d_inode(dir->dentry));
	mnt_drop_write(dir->mnt);
}

/*
 * Look @name up in @parent, creating it as a directory if missing (or
 * failing with EEXIST if it is there and @excl).
 */
static int ckpt_mkdir_at(const struct path *parent, const char *name,
			 bool excl, struct path *res)
{
	struct dentry *d;
	int err = 0;

	d = ckpt_lookup_for_create(parent, name);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d_is_negative(d))
		err = vfs_mkdir(mnt_idmap(parent->mnt), d_inode(parent->dentry),
				d, 0700);
	else if (excl)
		err = -EEXIST;
	if (!err && (d_is_negative(d) || !d_is_dir(d)))
		err = -ENOTDIR;
	if (!err) {
		res->mnt = mntget(parent->mnt);
		res->dentry = dget(d);
	}
	ckpt_done_create(parent, d);
	return err;
}

/* Only root may reach into a directory that holds relinked files. */
static bool ckpt_dir_private(const struct path *p)
{
	struct inode *inode = d_inode(p->dentry);

	return uid_eq(inode->i_uid, GLOBAL_ROOT_UID) &&
	       !(inode->i_mode & 0022);
}

/* This checkpoint's directory on @mnt, created on first use. */
static struct ckpt_relink *ckpt_relink_dir(struct ckpt_ctx *ctx,
					   struct vfsmount *mnt)
{
	struct path root = { .mnt = mnt, .dentry = mnt->mnt_root };
	struct path lf = {}, ck = {}, dir = {};
	struct ckpt_relink *r;
	const char *what = "lost+found";
	char name[32];
	int err, i;

	list_for_each_entry(r, &ctx->relinks, list)
		if (r->kind == CKPT_RELINK_DIR && r->path.mnt == mnt)
			return r;
	err = ckpt_mkdir_at(&root, "lost+found", false, &lf);
	if (!err && !ckpt_dir_private(&lf))
		err = -EPERM;
	if (!err) {
		what = "lost+found/checkpoint";
		err = ckpt_mkdir_at(&lf, "checkpoint", false, &ck);
	}
	if (!err && !ckpt_dir_private(&ck))
		err = -EPERM;
	for (i = 0; !err && i < 8; i++) {
		what = "a directory in lost+found/checkpoint";
		snprintf(name, sizeof(name), "%llu-%08x", ctx->ckpt_id,
			 get_random_u32());
		err = ckpt_mkdir_at(&ck, name, true, &dir);
		if (err != -EEXIST)
			break;
	}
	if (!err) {
		err = ckpt_relink_add(ctx, CKPT_RELINK_DIR, &dir);
		if (err)
			ckpt_remove(&dir, true);
	}
	path_put(&dir);
	path_put(&ck);
	path_put(&lf);
	if (err) {
		ckpt_err(ctx, err, "cannot make %s on the %s filesystem%s", what,
			 mnt->mnt_sb->s_type->name,
			 err == -EPERM ? " (it must be root's, mode 0700)" : "");
		return ERR_PTR(err);
	}
	return list_first_entry(&ctx->relinks, struct ckpt_relink, list);
}

/* Link the open file @old as @name in @dir. */
static int ckpt_link_at(const struct path *dir, const char *name,
			struct dentry *old, struct path *res)
{
	struct inode *inode = d_inode(old);
	bool linkable = false;
	struct dentry *d;
	int err;

	d = ckpt_lookup_for_create(dir, name);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (d_is_positive(d)) {
		ckpt_done_create(dir, d);
		return -EEXIST;
	}
	/*
	 * A file with no name left may be linked only if I_LINKABLE (as an
	 * O_TMPFILE file is).  Mark it so for this one link; vfs_link()
	 * clears the mark once linked.
	 */
	spin_lock(&inode->i_lock);
	if (!inode->i_nlink && !(inode->i_state & I_LINKABLE)) {
		inode->i_state |= I_LINKABLE;
		linkable = true;
	}
	spin_unlock(&inode->i_lock);
	err = vfs_link(old, mnt_idmap(dir->mnt), d_inode(dir->dentry), d, NULL);
	if (err && linkable) {
		spin_lock(&inode->i_lock);
		inode->i_state &= ~I_LINKABLE;
		spin_unlock(&inode->i_lock);
	}
	if (!err) {
		res->mnt = mntget(dir->mnt);
		res->dentry = dget(d);
	}
	ckpt_done_create(dir, d);
	return err;
}

/**
 * ckpt_relink_supported - can this unlinked file be relinked?
 * @file: an open regular file or directory whose name is gone
 * @why: filled with a short reason when it cannot
 * @len: size of @why
 *
 * The checks checkpoint makes before it relinks, with the caller's
 * credentials; /proc/PID/checkpointable uses them too.
 *
 * Return: 0, -EPERM or -EOPNOTSUPP.
 */
int ckpt_relink_supported(struct file *file, char *why, size_t len)
{
	struct inode *inode = file_inode(file);
	struct vfsmount *mnt = file->f_path.mnt;

	if (!capable(CAP_DAC_READ_SEARCH)) {
		snprintf(why, len, "unlinked file: relinking needs CAP_DAC_READ_SEARCH");
		return -EPERM;
	}
	if (mnt->mnt_flags & MNT_INTERNAL) {
		snprintf(why, len, "unlinked file on an internal %s mount",
			 inode->i_sb->s_type->name);
		return -EOPNOTSUPP;
	}
	if (__mnt_is_readonly(mnt)) {
		snprintf(why, len, "unlinked file on a read-only mount: cannot relink");
		return -EOPNOTSUPP;
	}
	/* only filesystems with O_TMPFILE link a file back from no links */
	if (!S_ISDIR(inode->i_mode) &&
	    !(d_inode(mnt->mnt_root)->i_op->link &&
	      d_inode(mnt->mnt_root)->i_op->tmpfile)) {
		snprintf(why, len, "unlinked file on %s: it cannot relink files",
			 inode->i_sb->s_type->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * ckpt_relink - give an unlinked file a name for restart to open
 * @ctx: checkpoint context
 * @file: an open regular file, FIFO or directory whose name is gone
 * @objref: its objref, its name in this checkpoint's directory
 * @buf: where the new path goes
 * @len: size of @buf
 *
 * A regular file or FIFO is linked; for a directory the name is only
 * reserved (restart recreates the directory there).
 *
 * Return: the new path, in @buf, or an ERR_PTR (logged).
 */
char *ckpt_relink(struct ckpt_ctx *ctx, struct file *file, int objref,
		  char *buf, int len)
{
	struct ckpt_relink *dir;
	const struct cred *old;
	struct cred *kcred;
	struct path link;
	char why[128], name[16];
	char *p;
	int err;

	err = ckpt_relink_supported(file, why, sizeof(why));
	if (err)
		return ERR_PTR(ckpt_err(ctx, err, "%s", why));
	kcred = prepare_kernel_cred(&init_task);
	if (!kcred)
		return ERR_PTR(-ENOMEM);
	old = override_creds(kcred);
	snprintf(name, sizeof(name), "%d", objref);
	dir = ckpt_relink_dir(ctx, file->f_path.mnt);
	if (IS_ERR(dir)) {
		err = PTR_ERR(dir);
	} else if (!S_ISDIR(file_inode(file)->i_mode)) {
		err = ckpt_link_at(&dir->path, name, file->f_path.dentry, &link);
		if (!err) {
			err = ckpt_relink_add(ctx, CKPT_RELINK_LINK, &link);
			if (err)
				ckpt_remove(&link, false);
			path_put(&link);
		}
		if (err)
			ckpt_err(ctx, err, "cannot relink an unlinked file");
	}
	revert_creds(old);
	put_cred(kcred);
	if (err)
		return ERR_PTR(err);
	p = d_path(&dir->path, buf, len - sizeof(name) - 1);
	if (IS_ERR(p))
		return ERR_PTR(ckpt_err(ctx, PTR_ERR(p), "relink path too long"));
	strcat(p, "/");
	strcat(p, name);
	return p;
}

/**
 * ckpt_relink_undo - remove what a failed checkpoint relinked
 * @ctx: checkpoint context
 */
void ckpt_relink_undo(struct ckpt_ctx *ctx)
{
	struct ckpt_relink *r;
	const struct cred *old;
	struct cred *kcred;

	if (list_empty(&ctx->relinks))
		return;
	kcred = prepare_kernel_cred(&init_task);
	if (!kcred)
		return;
	old = override_creds(kcred);
	/* newest first: the links, then their directory */
	list_for_each_entry(r, &ctx->relinks, list)
		ckpt_remove(&r->path, r->kind == CKPT_RELINK_DIR);
	revert_creds(old);
	put_cred(kcred);
}

/*
 * Recreate an unlinked directory at @path, whose parent must be a
 * relink directory, with the image's mode and owner.
 */
static int restore_mkdir(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			 const char *path, struct ckpt_hdr_file *made_rec)
{
	struct iattr attr = { .ia_valid = ATTR_UID | ATTR_GID | ATTR_MODE };
	struct path parent, made;
	struct dentry *d;
	int err;

	attr.ia_uid = make_kuid(current_user_ns(), h->uid);
	attr.ia_gid = make_kgid(current_user_ns(), h->gid);
	if (!uid_valid(attr.ia_uid) || !gid_valid(attr.ia_gid))
		return ckpt_err(ctx, -EINVAL, "%s: owner %u:%u has no mapping",
				path, h->uid, h->gid);
	d = kern_path_create(AT_FDCWD, path, &parent, LOOKUP_DIRECTORY);
	if (IS_ERR(d))
		return ckpt_err(ctx, PTR_ERR(d), "cannot create %s", path);
	if (!ckpt_is_relink_dir(parent.mnt, parent.dentry)) {
		done_path_create(&parent, d);
		return ckpt_err(ctx, -EBADMSG,
				"%s is not in lost+found/checkpoint", path);
	}
	/* the path hooks too, as mkdir(2) and chown(2) call them */
	err = security_path_mkdir(&parent, d, h->mode & S_IALLUGO) ?:
	      vfs_mkdir(mnt_idmap(parent.mnt), d_inode(parent.dentry), d,
			h->mode & S_IALLUGO);
	if (!err && d_is_negative(d))
		err = -ENOENT;
	if (!err) {
		made.mnt = parent.mnt;
		made.dentry = d;
		err = ckpt_relink_add(ctx, CKPT_RELINK_MKDIR, &made);
	}
	/* the exact mode, whatever the umask, and the owner */
	attr.ia_mode = S_IFDIR | (h->mode & S_IALLUGO);
	if (!err)
		err = security_path_chown(&made, attr.ia_uid, attr.ia_gid);
	if (!err) {
		inode_lock(d_inode(d));
		err = notify_change(mnt_idmap(parent.mnt), d, &attr, NULL);
		inode_unlock(d_inode(d));
	}
	if (!err) {
		/* the directory to open is this new one */
		made_rec->ino = d_inode(d)->i_ino;
		made_rec->dev = new_encode_dev(d_inode(d)->i_sb->s_dev);
	}
	done_path_create(&parent, d);
	if (err)
		return ckpt_err(ctx, err, "cannot recreate directory %s", path);
	return 0;
}

/*
 * Remember the name @file had (@name, from the image), to move its link
 * back there before removing it, and the credentials it was opened with
 * (the restored task's), whose right it must be to make that name.
 */
static int ckpt_relink_name(struct ckpt_ctx *ctx, struct file *file,
			    const char *name)
{
	struct ckpt_relink *r;

	list_for_each_entry(r, &ctx->relinks, list) {
		if (r->path.dentry != file->f_path.dentry ||
		    r->path.mnt != file->f_path.mnt || r->name)
			continue;
		r->name = kstrdup(name, GFP_KERNEL);
		if (!r->name)
			return -ENOMEM;
		r->cred = get_cred(file->f_cred);
		return 0;
	}
	return 0;
}

/*
 * Move the link @r back to the name the file had and remove it there,
 * so that the restored file reads as before (/proc/PID/fd: "<name>
 * (deleted)").  The name must be on the link's mount, reached without
 * symlinks, be free (nothing is replaced), and its directory writable
 * by the task that opened the file; the link's side is the restarter's,
 * whose credentials are current.  Both happen under the directories'
 * locks, so nobody sees the name.  On failure nothing has moved.
 */
static int ckpt_move_back(struct ckpt_relink *r)
{
	struct dentry *link = r->path.dentry, *old_dir, *trap, *new;
	const char *base = strrchr(r->name, '/');
	struct mnt_idmap *idmap = mnt_idmap(r->path.mnt);
	struct renamedata rd = {};
	const struct cred *old;
	struct path dir, from;
	bool isdir = d_is_dir(link);
	char *dname;
	int err;

	if (r->name[0] != '/' || !base || !base[1] ||
	    !strcmp(base, "/.") || !strcmp(base, "/.."))
		return -EINVAL;
	dname = kstrndup(r->name, base == r->name ? 1 : base - r->name,
			 GFP_KERNEL);
	if (!dname)
		return -ENOMEM;
	base++;
	old = override_creds(r->cred);
	err = kern_path(dname, LOOKUP_DIRECTORY | LOOKUP_NO_SYMLINKS, &dir);
	revert_creds(old);
	kfree(dname);
	if (err)
		return err;
	err = -EXDEV;
	if (dir.mnt != r->path.mnt)
		goto put_dir;
	err = mnt_want_write(dir.mnt);
	if (err)
		goto put_dir;
	old_dir = dget_parent(link);
	from.mnt = r->path.mnt;
	from.dentry = old_dir;
	trap = lock_rename(old_dir, dir.dentry);
	if (IS_ERR(trap)) {
		err = PTR_ERR(trap);
		goto drop;
	}
	new = lookup_one_len(base, dir.dentry, strlen(base));
	if (IS_ERR(new)) {
		err = PTR_ERR(new);
		goto unlock;
	}
	old = override_creds(r->cred);
	err = inode_permission(idmap, d_inode(dir.dentry),
			       MAY_WRITE | MAY_EXEC);
	revert_creds(old);
	if (!err && (link->d_parent != old_dir || d_unhashed(link)))
		err = -ENOENT;
	if (!err && (d_is_positive(new) || trap == new))
		err = -EEXIST;
	if (!err && trap == link)
		err = -EINVAL;
	if (!err)
		err = security_path_rename(&from, link, &dir, new, 0);
	if (!err) {
		rd.old_mnt_idmap = idmap;
		rd.old_dir = d_inode(old_dir);
		rd.old_dentry = link;
		rd.new_mnt_idmap = idmap;
		rd.new_dir = d_inode(dir.dentry);
		rd.new_dentry = new;
		rd.flags = RENAME_NOREPLACE;
		err = vfs_rename(&rd);
	}
	/* now @link is the name in @dir: remove it before anyone looks */
	if (!err)
		err = isdir ? security_path_rmdir(&dir, link) ?:
			      vfs_rmdir(idmap, d_inode(dir.dentry), link) :
			      security_path_unlink(&dir, link) ?:
			      vfs_unlink(idmap, d_inode(dir.dentry), link,
					 NULL);
	dput(new);
unlock:
	unlock_rename(old_dir, dir.dentry);
drop:
	dput(old_dir);
	mnt_drop_write(dir.mnt);
put_dir:
	path_put(&dir);
	return err;
}

/**
 * restore_relinked - reopen an unlinked file through its relinked path
 * @ctx: restart context
 * @h: its FILE record (checked by the caller)
 * @name: the name the file had, NUL-terminated
 * @path: the relinked path, NUL-terminated
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR
 * (logged).
 */
struct file *restore_relinked(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			      const char *name, const char *path)
{
	struct ckpt_hdr_file rec = *h;
	struct dentry *parent;
	struct file *file;
	struct path p;
	int err;

	if (path[0] != '/' ||
	    (!(h->kind == CKPT_FILE_REG && S_ISREG(h->mode)) &&
	     !(h->kind == CKPT_FILE_FIFO && S_ISFIFO(h->mode)) &&
	     !(h->kind == CKPT_FILE_DIR && S_ISDIR(h->mode)))) {
		ckpt_err(ctx, -EBADMSG, "file %d: bad relinked path %s",
			 h->objref, path);
		return ERR_PTR(-EBADMSG);
	}
	if (h->kind == CKPT_FILE_DIR) {
		err = restore_mkdir(ctx, h, path, &rec);
		if (err)
			return ERR_PTR(err);
	}
	/*
	 * lost+found/checkpoint is the restarter's to look into; what is
	 * found there must be the relinked inode, in a relink directory,
	 * and is opened as the restored task.
	 */
	err = ckpt_lookup_file(ctx, &rec, path, &p);
	if (err)
		return ERR_PTR(err);
	parent = dget_parent(p.dentry);
	if (!ckpt_is_relink_dir(p.mnt, parent))
		err = ckpt_err(ctx, -EBADMSG,
			       "%s is not in lost+found/checkpoint", path);
	dput(parent);
	if (err) {
		path_put(&p);
		return ERR_PTR(err);
	}
	/* a FIFO is opened as its kind opens one, by the path just checked */
	file = h->kind == CKPT_FILE_FIFO ?
	       ckpt_file_ops_of(h->kind)->restore(ctx, &rec, path) :
	       ckpt_open_path(ctx, &rec, &p, path);
	path_put(&p);
	if (IS_ERR(file))
		return file;
	err = h->kind == CKPT_FILE_DIR ? 0 :
	      ckpt_relink_add(ctx, CKPT_RELINK_OPENED, &file->f_path);
	if (!err)
		err = ckpt_relink_name(ctx, file, name);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/**
 * restore_relink_finish - remove the relinked names after a restart
 * @ctx: restart context, whose restart has succeeded
 *
 * Unlinks the relinked files (unless RESTART_KEEP_LINKS), removes the
 * recreated directories and then their directory if it is empty, with the
 * restarter's credentials.  A failure is logged but does not undo the
 * restart.
 */
void restore_relink_finish(struct ckpt_ctx *ctx)
{
	bool keep = ctx->flags & RESTART_KEEP_LINKS;
	struct ckpt_relink *r, *tmp;
	const struct cred *old;
	struct path parent;
	int err;

	if (list_empty(&ctx->relinks))
		return;
	old = override_creds(ctx->cred);
	list_for_each_entry_safe(r, tmp, &ctx->relinks, list) {
		if (r->kind == CKPT_RELINK_OPENED && keep)
			continue;
		parent.mnt = r->path.mnt;
		parent.dentry = dget_parent(r->path.dentry);
		/* back to its old name, or at least away */
		err = r->name ? ckpt_move_back(r) : -ENOENT;
		if (err)
			err = ckpt_remove(&r->path,
					  r->kind == CKPT_RELINK_MKDIR);
		if (err && err != -ENOENT)
			ckpt_err(ctx, err, "cannot remove %pd after restart",
				 r->path.dentry);
		/* the checkpoint's directory goes with its last entry */
		if (ckpt_is_relink_dir(parent.mnt, parent.dentry))
			ckpt_remove(&parent, true);
		dput(parent.dentry);
		ckpt_relink_free(r);
	}
	revert_creds(old);
}

/**
 * ckpt_relink_release - forget the relink bookkeeping of an operation
 * @ctx: checkpoint or restart context
 *
 * Directories a failed restart recreated are removed again.
 */
void ckpt_relink_release(struct ckpt_ctx *ctx)
{
	struct ckpt_relink *r, *tmp;
	const struct cred *old = NULL;

	list_for_each_entry_safe(r, tmp, &ctx->relinks, list) {
		if (r->kind == CKPT_RELINK_MKDIR) {
			if (!old)
				old = override_creds(ctx->cred);
			ckpt_remove(&r->path, true);
		}
		ckpt_relink_free(r);
	}
	if (old)
		revert_creds(old);
}
