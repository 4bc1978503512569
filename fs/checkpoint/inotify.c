// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of inotify(7) files: their watches, each an inode
 * named by a path, a mask and a watch descriptor, in an INOTIFY record
 * before the FILE that takes the file restart makes from it.  A watch
 * is on an inode, not a name: checkpoint looks for a path that leads to
 * it from the checkpointer's root, through any mount of the
 * checkpointer's namespace, and checks that it does.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/inotify.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sort.h>
#include <linux/slab.h>
#include <linux/fs_struct.h>

#include "internal.h"

/* the watches of one file, each inode referenced, by increasing wd */
struct ckpt_watches {
	struct inotify_watch_state *w;
	unsigned int nr;
	struct inotify_file_state st;
	char **names;		/* a path to each, once found */
};

static void ckpt_watches_put(struct ckpt_watches *ws)
{
	unsigned int i;

	for (i = 0; i < ws->nr; i++) {
		iput(ws->w[i].inode);
		if (ws->names)
			kfree(ws->names[i]);
	}
	kfree(ws->names);
	ws->names = NULL;
	kvfree(ws->w);
	ws->w = NULL;
	ws->nr = 0;
}

static int ckpt_wd_cmp(const void *a, const void *b)
{
	const struct inotify_watch_state *x = a, *y = b;

	return x->wd < y->wd ? -1 : x->wd > y->wd;
}

static int ckpt_watches_get(struct file *file, struct ckpt_watches *ws)
{
	unsigned int max = 0;
	int nr, tries;

	memset(ws, 0, sizeof(*ws));
	/* the watches may change between the count and the walk: again */
	for (tries = 0; tries < 5; tries++) {
		nr = inotify_file_watches(file, ws->w, max, &ws->st);
		if (nr < 0)
			return nr;
		/* the first min(nr, max) are in ws->w */
		ws->nr = min_t(unsigned int, nr, max);
		if (nr <= max) {
			sort(ws->w, nr, sizeof(*ws->w), ckpt_wd_cmp, NULL);
			return 0;
		}
		ckpt_watches_put(ws);
		max = nr + 8;
		ws->w = kvcalloc(max, sizeof(*ws->w), GFP_KERNEL);
		if (!ws->w)
			return -ENOMEM;
	}
	ckpt_watches_put(ws);
	return -EAGAIN;
}

static bool ckpt_is_inotify(struct file *file)
{
	struct inotify_file_state st;

	return inotify_file_watches(file, NULL, 0, &st) >= 0;
}

/* Finds paths to watched inodes: the mounts of the checkpointer's view. */
struct ckpt_watch_paths {
	struct vfsmount *tree;	/* a copy of the mounts under the root */
	char *buf;		/* PATH_MAX bytes */
	struct inode *inode;	/* looked for */
	struct dentry *alias;	/* its cached name */
	char *name;		/* in @buf, once found */
};

static int ckpt_watch_paths_init(struct ckpt_watch_paths *wp)
{
	struct path root;

	memset(wp, 0, sizeof(*wp));
	wp->buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!wp->buf)
		return -ENOMEM;
	get_fs_root(current->fs, &root);
	wp->tree = collect_mounts(&root);
	path_put(&root);
	if (IS_ERR(wp->tree)) {
		kfree(wp->buf);
		return PTR_ERR(wp->tree);
	}
	return 0;
}

static void ckpt_watch_paths_fini(struct ckpt_watch_paths *wp)
{
	drop_collected_mounts(wp->tree);
	kfree(wp->buf);
}

/* Does @name, looked up from the checkpointer's root, lead to @inode? */
static bool ckpt_leads_to(const char *name, struct inode *inode)
{
	struct path p;
	bool same;

	if (kern_path(name, 0, &p))
		return false;
	same = d_inode(p.dentry) == inode;
	path_put(&p);
	return same;
}

static int ckpt_watch_path_in(struct vfsmount *mnt, void *arg)
{
	struct ckpt_watch_paths *wp = arg;
	struct path p = { .mnt = mnt, .dentry = wp->alias };
	char *name;

	if (mnt->mnt_sb != wp->inode->i_sb ||
	    !is_subdir(wp->alias, mnt->mnt_root))
		return 0;
	/* in a copy of the mounts, the path from the root */
	name = d_path(&p, wp->buf, PATH_MAX);
	if (IS_ERR(name) || *name != '/' || !ckpt_leads_to(name, wp->inode))
		return 0;
	wp->name = name;
	return 1;
}

/*
 * An absolute path to the inode of watch @w from the checkpointer's
 * root, in @wp->buf, or an ERR_PTR with the reason in @why.  The name
 * is a cached one (a dentry of the inode); the mount, any that shows
 * it there.
 */
static char *ckpt_watch_path(struct ckpt_watch_paths *wp,
			     struct inotify_watch_state *w, char *why,
			     size_t len)
{
	wp->inode = w->inode;
	wp->name = NULL;
	wp->alias = d_find_alias(w->inode);
	if (!wp->alias) {
		snprintf(why, len,
			 "inotify watch %d: inode %lu has no name in the dentry cache",
			 w->wd, w->inode->i_ino);
		return ERR_PTR(-EOPNOTSUPP);
	}
	iterate_mounts(ckpt_watch_path_in, wp, wp->tree);
	dput(wp->alias);
	if (!wp->name) {
		snprintf(why, len,
			 "inotify watch %d: no path leads to inode %lu from the checkpointer's root",
			 w->wd, w->inode->i_ino);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return wp->name;
}

/*
 * The watches of @file, each with a path to its inode in @ws->names, or
 * what checkpoint and /proc refuse, in @why: events not read yet (their
 * names and cookies are not saved), a watched inode no path leads to.
 */
static int ckpt_inotify_collect(struct file *file, struct ckpt_watches *ws,
				char *why, size_t len)
{
	struct ckpt_watch_paths wp;
	unsigned int i;
	char *name;
	int err;

	err = ckpt_watches_get(file, ws);
	if (err) {
		snprintf(why, len, "reading an inotify file's watches");
		return err;
	}
	if (ws->st.queued) {
		snprintf(why, len,
			 "inotify file with %u events not read yet, which checkpoint does not save",
			 ws->st.queued);
		err = -EOPNOTSUPP;
		goto fail;
	}
	/* no watch, no path to look for (and no mounts to copy) */
	if (!ws->nr)
		return 0;
	ws->names = kcalloc(ws->nr, sizeof(*ws->names), GFP_KERNEL);
	err = ws->names ? ckpt_watch_paths_init(&wp) : -ENOMEM;
	if (err) {
		snprintf(why, len, "looking for the watched inodes' paths");
		goto fail;
	}
	for (i = 0; i < ws->nr && !err; i++) {
		name = ckpt_watch_path(&wp, &ws->w[i], why, len);
		if (IS_ERR(name)) {
			err = PTR_ERR(name);
			break;
		}
		ws->names[i] = kstrdup(name, GFP_KERNEL);
		if (!ws->names[i]) {
			snprintf(why, len, "inotify watch %d: out of memory",
				 ws->w[i].wd);
			err = -ENOMEM;
		}
	}
	ckpt_watch_paths_fini(&wp);
	if (!err)
		return 0;
fail:
	ckpt_watches_put(ws);
	return err;
}

static int ckpt_inotify_supported(struct file *file, char *why, size_t len)
{
	struct ckpt_watches ws;
	int err;

	err = ckpt_inotify_collect(file, &ws, why, len);
	if (!err)
		ckpt_watches_put(&ws);
	return err;
}

/**
 * checkpoint_inotify_obj - write an INOTIFY record (objhash checkpoint
 * handler)
 * @ctx: checkpoint context
 * @ptr: the inotify file
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_inotify_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct ckpt_hdr_inotify *h;
	struct ckpt_watches ws;
	size_t len, off;
	unsigned int i;
	char why[160];
	int err;

	err = ckpt_inotify_collect(ptr, &ws, why, sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "%s", why);
	/* the watches, then their paths */
	off = struct_size(h, watches, ws.nr);
	len = off;
	for (i = 0; i < ws.nr; i++)
		len += strlen(ws.names[i]) + 1;
	if (len > CKPT_RECORD_MAX) {
		err = ckpt_err(ctx, -E2BIG,
			       "inotify file: %u watches and their paths are too long for one record",
			       ws.nr);
		goto out;
	}
	err = -ENOMEM;
	/* ckpt_write_obj() writes the padding too: zeroed here */
	h = kvzalloc(ckpt_padded(len), GFP_KERNEL);
	if (!h)
		goto out;
	h->objref = objref;
	h->nr_watches = ws.nr;
	h->next_wd = ws.st.next_wd;
	for (i = 0; i < ws.nr; i++) {
		struct ckpt_inotify_watch *w = &h->watches[i];
		struct inode *inode = ws.w[i].inode;

		w->wd = ws.w[i].wd;
		w->mask = ws.w[i].mask;
		w->mode = inode->i_mode;
		w->path_len = strlen(ws.names[i]) + 1;
		w->dev = new_encode_dev(inode->i_sb->s_dev);
		w->ino = inode->i_ino;
		memcpy((char *)h + off, ws.names[i], w->path_len);
		off += w->path_len;
	}
	err = ckpt_write_obj(ctx, CKPT_HDR_INOTIFY, h, len);
	kvfree(h);
out:
	ckpt_watches_put(&ws);
	return err;
}

/* Check an INOTIFY record whole, before any watch is added. */
static int restore_inotify_check(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_inotify *h)
{
	const u32 masks = IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK;
	const char *paths = (const char *)h;
	size_t off = sizeof(*h);
	u32 i, n;

	if (h->h.len < sizeof(*h) || h->_pad || h->next_wd < 1 ||
	    h->nr_watches > (h->h.len - sizeof(*h)) / sizeof(h->watches[0]))
		goto bad;
	off += (size_t)h->nr_watches * sizeof(h->watches[0]);
	for (i = 0; i < h->nr_watches; i++) {
		struct ckpt_inotify_watch *w = &h->watches[i];

		n = w->path_len;
		if (w->wd < 1 || (i && w->wd <= h->watches[i - 1].wd) ||
		    !(w->mask & IN_ALL_EVENTS) || (w->mask & ~masks) ||
		    (w->mode & ~(S_IFMT | S_IALLUGO)) || n < 2 || n > PATH_MAX ||
		    n > h->h.len - off || paths[off] != '/' ||
		    strnlen(paths + off, n) != n - 1)
			goto bad;
		off += n;
	}
	if (off == h->h.len)
		return 0;
bad:
	return ckpt_err(ctx, -EBADMSG, "inotify %u: malformed record",
			h->objref);
}

/* Add watch @w, whose path is @name, to @file, with its wd. */
static int restore_inotify_watch(struct ckpt_ctx *ctx, struct file *file,
				 struct ckpt_inotify_watch *w, const char *name)
{
	struct path p;
	int ret;

	/* the path names the inode itself: a symlink is not followed */
	ret = kern_path(name, 0, &p);
	if (ret)
		return ckpt_err(ctx, ret, "inotify watch %d: cannot find %s",
				w->wd, name);
	if ((d_inode(p.dentry)->i_mode ^ w->mode) & S_IFMT) {
		ret = ckpt_err(ctx, -ESTALE,
			       "inotify watch %d: %s is no longer the file it was",
			       w->wd, name);
		goto out;
	}
	ret = ckpt_same_inode(ctx, d_inode(p.dentry), w->dev, w->ino, name);
	if (ret)
		goto out;
	/* the lowest free descriptor from @wd on, which is @wd */
	ret = inotify_file_set_next_wd(file, w->wd);
	if (!ret)
		ret = inotify_file_add_watch(file, &p, w->mask | IN_MASK_CREATE);
	if (ret == -EEXIST)
		ret = ckpt_err(ctx, -ESTALE,
			       "inotify watch %d: %s is an inode another watch has",
			       w->wd, name);
	else if (ret < 0)
		ret = ckpt_err(ctx, ret, "inotify watch %d on %s", w->wd, name);
	else if (ret != w->wd)
		ret = ckpt_err(ctx, -EBUSY,
			       "inotify watch %d on %s: got descriptor %d",
			       w->wd, name, ret);
	else
		ret = 0;
out:
	path_put(&p);
	return ret;
}

/**
 * restore_inotify_obj - make an inotify file from its record (objhash
 * restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * The file and each watch are made as the restored task: its inotify
 * instance and watch limits, its read permission on each inode.
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_inotify_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_inotify *h = rec;
	const char *paths = rec;
	const struct cred *old;
	struct file *file;
	size_t off;
	u32 i;
	int err;

	err = restore_inotify_check(ctx, h);
	if (err)
		return ERR_PTR(err);
	old = ckpt_as_task(ctx);
	file = inotify_file_create(0);
	if (IS_ERR(file)) {
		err = ckpt_err(ctx, PTR_ERR(file), "making inotify %u",
			       h->objref);
		goto out;
	}
	off = struct_size(h, watches, h->nr_watches);
	for (i = 0; i < h->nr_watches && !err; i++) {
		err = restore_inotify_watch(ctx, file, &h->watches[i],
					    paths + off);
		off += h->watches[i].path_len;
	}
	if (!err)
		err = inotify_file_set_next_wd(file, h->next_wd);
	if (err)
		fput(file);
out:
	ckpt_as_restarter(old);
	return err ? ERR_PTR(err) : file;
}

/*
 * An inotify file is its file at checkpoint (the FILE object holds
 * it); at restart, the file made from the record, which the FILE
 * naming it takes.
 */
const struct ckpt_obj_ops ckpt_obj_inotify_ops = {
	.name = "inotify",
	.hdr_type = CKPT_HDR_INOTIFY,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_inotify_obj,
	.restore = restore_inotify_obj,
	.release = ckpt_file_drop,
};

const struct ckpt_file_ops ckpt_file_inotify_ops = {
	.kind = CKPT_FILE_INOTIFY,
	.flags = CKPT_FK_ANON,
	.obj = CKPT_OBJ_INOTIFY,
	.is = ckpt_is_inotify,
	.supported = ckpt_inotify_supported,
	.restore = restore_state_file,
};
