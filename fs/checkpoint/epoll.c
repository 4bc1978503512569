// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of epoll files.
 *
 * The epoll file itself is a FILE record (restart makes it empty); what
 * it watches is an EPOLL record after the fd table's FD records, when
 * every file it names has been restored, so that restart can add the
 * entries as epoll_ctl(EPOLL_CTL_ADD) would.
 */
#include <linux/file.h>
#include <linux/fs.h>
/* after fs.h: its inline helpers need struct file */
#include <linux/eventpoll.h>
#include <linux/slab.h>

#include "internal.h"

/* Most entries one EPOLL record can hold. */
#define CKPT_EPOLL_MAX_ITEMS \
	((CKPT_RECORD_MAX - sizeof(struct ckpt_hdr_epoll)) / \
	 sizeof(struct ckpt_epoll_item))

static bool ckpt_is_epoll(struct file *file)
{
	return epoll_file_items(file, NULL, 0) >= 0;
}

static void ckpt_epoll_items_put(struct epoll_item_info *items, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		fput(items[i].file);
}

/**
 * ckpt_epoll_items - the interest list of an epoll file
 * @file: the epoll file
 * @nr: how many entries
 *
 * Return: an array of @nr entries, each holding a reference to its file
 * (ckpt_epoll_items_put() drops them), or an ERR_PTR.
 */
static struct epoll_item_info *ckpt_epoll_items(struct file *file, int *nr)
{
	struct epoll_item_info *items = NULL;
	int max = 0, n;

	for (;;) {
		n = epoll_file_items(file, items, max);
		if (n < 0 || n <= max)
			break;
		/* grew meanwhile: again, with room for all */
		ckpt_epoll_items_put(items, max);
		kvfree(items);
		max = n;
		items = kvcalloc(max, sizeof(*items), GFP_KERNEL);
		if (!items)
			return ERR_PTR(-ENOMEM);
	}
	if (n < 0) {
		kvfree(items);
		return ERR_PTR(n);
	}
	*nr = n;
	return items;
}

/**
 * checkpoint_epoll - write the EPOLL record of an epoll file
 * @ctx: checkpoint context
 * @file: the epoll file, whose FILE record and whose watched files' are
 *	in the image already
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_epoll(struct ckpt_ctx *ctx, struct file *file)
{
	struct epoll_item_info *items;
	struct ckpt_hdr_epoll *h;
	int i, nr = 0, err = 0;
	u32 len;

	items = ckpt_epoll_items(file, &nr);
	if (IS_ERR(items))
		return ckpt_err(ctx, PTR_ERR(items), "reading an epoll file");
	if (nr > CKPT_EPOLL_MAX_ITEMS) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "an epoll file watches %d files, more than %zu",
			       nr, CKPT_EPOLL_MAX_ITEMS);
		goto out;
	}
	len = struct_size(h, items, nr);
	h = kvzalloc(len, GFP_KERNEL);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->file_objref = ckpt_obj_lookup(ctx, CKPT_OBJ_FILE, file);
	h->nr_items = nr;
	for (i = 0; i < nr && !err; i++) {
		struct ckpt_epoll_item *it = &h->items[i];

		it->file_objref = ckpt_obj_lookup(ctx, CKPT_OBJ_FILE,
						  items[i].file);
		it->fd = items[i].fd;
		it->events = items[i].event.events;
		it->data = items[i].event.data;
		if (!it->file_objref || !h->file_objref)
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "an epoll file watches a file no fd of the checkpoint holds (added as fd %d)",
				       items[i].fd);
	}
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_EPOLL, h, len);
	kvfree(h);
out:
	ckpt_epoll_items_put(items, nr);
	kvfree(items);
	return err;
}

/**
 * restore_epoll_file - make an empty epoll file for a FILE record
 * @ctx: restart context
 * @h: the FILE record (checked by the caller)
 * @path: its path (unused)
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR
 * (logged).
 */
static struct file *restore_epoll_file(struct ckpt_ctx *ctx,
				       struct ckpt_hdr_file *h,
				       const char *path)
{
	struct file *file;

	if ((h->f_flags & ~(O_NONBLOCK | O_LARGEFILE)) != O_RDWR) {
		ckpt_err(ctx, -EBADMSG, "epoll file %d: flags %#x", h->objref,
			 h->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	file = epoll_file_create(0);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "making epoll file %d", h->objref);
		return file;
	}
	ckpt_set_nonblock(file, h->f_flags & O_NONBLOCK);
	return file;
}

/**
 * restore_epoll - fill an epoll file from the next EPOLL record
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
static int restore_epoll(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_epoll *h;
	struct file *ep, *tfile;
	struct epoll_event ev;
	u32 i;
	int err = 0;

	h = ckpt_read_obj(ctx, CKPT_HDR_EPOLL, sizeof(*h), CKPT_RECORD_MAX);
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->h.len != struct_size(h, items, h->nr_items)) {
		err = ckpt_err(ctx, -EBADMSG, "EPOLL record of %u entries, length %u",
			       h->nr_items, h->h.len);
		goto out;
	}
	ep = ckpt_obj_fetch(ctx, h->file_objref, CKPT_OBJ_FILE);
	if (IS_ERR(ep)) {
		err = PTR_ERR(ep);
		goto out;
	}
	if (!ckpt_is_epoll(ep)) {
		err = ckpt_err(ctx, -EBADMSG, "EPOLL record for file %u, which is no epoll file",
			       h->file_objref);
		goto out;
	}
	for (i = 0; i < h->nr_items && !err; i++) {
		struct ckpt_epoll_item *it = &h->items[i];

		if (it->_pad || it->fd < 0) {
			err = ckpt_err(ctx, -EBADMSG, "epoll entry %u malformed", i);
			break;
		}
		tfile = ckpt_obj_fetch(ctx, it->file_objref, CKPT_OBJ_FILE);
		if (IS_ERR(tfile)) {
			err = PTR_ERR(tfile);
			break;
		}
		ev.events = it->events;
		ev.data = it->data;
		err = epoll_ctl_file(ep, EPOLL_CTL_ADD, tfile, it->fd, &ev,
				     false);
		if (err)
			ckpt_err(ctx, err, "adding fd %d to an epoll file", it->fd);
	}
out:
	kvfree(h);
	return err;
}

/* Does f->fds[@i], an epoll file, watch only files of the table? */
static int ckpt_epoll_in_table(const struct ckpt_fds *f, unsigned int i,
			       char *why, size_t len)
{
	struct epoll_item_info *items;
	unsigned int j;
	int k, nr, err = 0;

	items = ckpt_epoll_items(f->fds[i].file, &nr);
	if (IS_ERR(items)) {
		snprintf(why, len, "fd %u: cannot read the epoll file",
			 f->fds[i].fd);
		return PTR_ERR(items);
	}
	for (k = 0; k < nr && !err; k++) {
		cond_resched();
		for (j = 0; j < f->nr && f->fds[j].file != items[k].file; j++)
			;
		if (j == f->nr) {
			snprintf(why, len,
				 "fd %u: epoll watches a file no fd holds (added as fd %d)",
				 f->fds[i].fd, items[k].fd);
			err = -EOPNOTSUPP;
		}
	}
	ckpt_epoll_items_put(items, nr);
	kvfree(items);
	return err;
}

/* The files it watches follow the fd table, in EPOLL records. */
const struct ckpt_file_ops ckpt_file_epoll_ops = {
	.kind = CKPT_FILE_EPOLL,
	.flags = CKPT_FK_ANON | CKPT_FK_PEERS,
	.is = ckpt_is_epoll,
	.in_table = ckpt_epoll_in_table,
	.after_table = checkpoint_epoll,
	.restore = restore_epoll_file,
	.restore_after = restore_epoll,
};
