// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of eventfd(2) files: the counter and EFD_SEMAPHORE,
 * read without consuming the counter, in an EVENTFD record before the
 * FILE that takes the file restart makes from it.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>

#include "internal.h"

static bool ckpt_is_eventfd(struct file *file)
{
	u64 count;
	int flags;

	return !eventfd_file_state(file, &count, &flags);
}

/**
 * checkpoint_eventfd_obj - write an EVENTFD record (objhash checkpoint
 * handler)
 * @ctx: checkpoint context
 * @ptr: the eventfd file
 * @objref: its objref
 *
 * Return: 0 or a negative errno.
 */
static int checkpoint_eventfd_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct ckpt_hdr_eventfd h = { .objref = objref };
	int flags, err;

	err = eventfd_file_state(ptr, &h.count, &flags);
	if (err)
		return ckpt_err(ctx, err, "reading an eventfd");
	h.flags = flags;
	return ckpt_write_obj(ctx, CKPT_HDR_EVENTFD, &h, sizeof(h));
}

/**
 * restore_eventfd_obj - make an eventfd from its record (objhash restore
 * handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_eventfd_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_eventfd *h = rec;
	struct file *file;

	if (h->h.len != sizeof(*h) || h->flags & ~EFD_SEMAPHORE ||
	    h->count == ULLONG_MAX) {
		ckpt_err(ctx, -EBADMSG, "eventfd %u: malformed record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	file = eventfd_file_create(h->count, h->flags);
	if (IS_ERR(file))
		ckpt_err(ctx, PTR_ERR(file), "making eventfd %u", h->objref);
	return file;
}

/*
 * An eventfd, signalfd or timerfd is its file at checkpoint (the
 * FILE object holds it); at restart, the file made from the
 * record, which the FILE naming it takes.
 */
const struct ckpt_obj_ops ckpt_obj_eventfd_ops = {
	.name = "eventfd",
	.hdr_type = CKPT_HDR_EVENTFD,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_eventfd_obj,
	.restore = restore_eventfd_obj,
	.release = ckpt_file_drop,
};

const struct ckpt_file_ops ckpt_file_eventfd_ops = {
	.kind = CKPT_FILE_EVENTFD,
	.flags = CKPT_FK_ANON,
	.obj = CKPT_OBJ_EVENTFD,
	.is = ckpt_is_eventfd,
	.restore = restore_state_file,
};
