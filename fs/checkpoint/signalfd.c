// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of signalfd(2) files: the mask of signals they
 * accept, in a SIGNALFD record before the FILE that takes the file
 * restart makes from it.  A signalfd reads the signals of whichever
 * task reads it, so nothing else is bound to it.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/signalfd.h>

#include "internal.h"

static bool ckpt_is_signalfd(struct file *file)
{
	sigset_t mask;

	return !signalfd_file_mask(file, &mask);
}

/**
 * checkpoint_signalfd_obj - write a SIGNALFD record (objhash checkpoint
 * handler)
 * @ctx: checkpoint context
 * @ptr: the signalfd file
 * @objref: its objref
 *
 * Return: 0 or a negative errno.
 */
static int checkpoint_signalfd_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct ckpt_hdr_signalfd h = { .objref = objref };
	sigset_t mask;
	int err;

	err = signalfd_file_mask(ptr, &mask);
	if (err)
		return ckpt_err(ctx, err, "reading a signalfd");
	h.mask = mask.sig[0];
	return ckpt_write_obj(ctx, CKPT_HDR_SIGNALFD, &h, sizeof(h));
}

/**
 * restore_signalfd_obj - make a signalfd from its record (objhash
 * restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_signalfd_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_signalfd *h = rec;
	struct file *file;
	sigset_t mask;

	if (h->h.len != sizeof(*h) || h->_pad) {
		ckpt_err(ctx, -EBADMSG, "signalfd %u: malformed record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	sigemptyset(&mask);
	mask.sig[0] = h->mask;
	file = signalfd_file_create(&mask, 0);
	if (IS_ERR(file))
		ckpt_err(ctx, PTR_ERR(file), "making signalfd %u", h->objref);
	return file;
}

/*
 * An eventfd, signalfd or timerfd is its file at checkpoint (the
 * FILE object holds it); at restart, the file made from the
 * record, which the FILE naming it takes.
 */
const struct ckpt_obj_ops ckpt_obj_signalfd_ops = {
	.name = "signalfd",
	.hdr_type = CKPT_HDR_SIGNALFD,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_signalfd_obj,
	.restore = restore_signalfd_obj,
	.release = ckpt_file_drop,
};

const struct ckpt_file_ops ckpt_file_signalfd_ops = {
	.kind = CKPT_FILE_SIGNALFD,
	.flags = CKPT_FK_ANON,
	.obj = CKPT_OBJ_SIGNALFD,
	.is = ckpt_is_signalfd,
	.restore = restore_state_file,
};
