// SPDX-License-Identifier: GPL-2.0
/*
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS): a shmem object
 * on the kernel's internal mount.  It is an object of the image, written
 * once (a SHMEM record and its pages by offset, as a memfd's) however
 * many mappings of however many processes of the tree share it over
 * fork; at restart every mapping maps the one object made for it again,
 * so the processes go on sharing it.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/shmem_fs.h>

#include "internal.h"

/* objhash grab and drop of a checkpointed inode */
static void ckpt_inode_grab(void *ptr)
{
	ihold(ptr);
}

static void ckpt_inode_drop(void *ptr)
{
	iput(ptr);
}

/**
 * checkpoint_shmem_obj - write a SHMEM record and the object's pages
 * (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the object's inode (the hash holds a reference)
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_shmem_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct inode *inode = ptr;
	struct ckpt_hdr_shmem h = {};
	int err;

	h.objref = objref;
	h.size = i_size_read(inode);
	if (SHMEM_I(inode)->flags & VM_NORESERVE)
		h.flags |= CKPT_SHMEM_NORESERVE;
	err = ckpt_write_obj(ctx, CKPT_HDR_SHMEM, &h, sizeof(h));
	if (!err)
		err = ckpt_dump_mapping(ctx, inode->i_mapping, h.size);
	if (err)
		ckpt_err(ctx, err, "writing shared anonymous memory %d", objref);
	return err;
}

/**
 * restore_shmem_obj - make a shared anonymous memory object and fill it
 * (objhash restore handler)
 * @ctx: restart context
 * @rec: the SHMEM record
 *
 * Return: its shmem file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_shmem_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_shmem *h = rec;
	struct file *file;
	int err;

	if (h->h.len != sizeof(*h) || h->flags & ~CKPT_SHMEM_NORESERVE ||
	    !h->size || !PAGE_ALIGNED(h->size) || h->size > CKPT_SHMEM_MAX) {
		ckpt_err(ctx, -EBADMSG, "shared memory %u: malformed record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	/*
	 * As shmem_zero_setup() makes it for mmap(2), MAP_NORESERVE only
	 * honoured where mmap() would honour it.
	 */
	file = shmem_kernel_file_setup("dev/zero", h->size,
				       h->flags & CKPT_SHMEM_NORESERVE &&
				       sysctl_overcommit_memory !=
				       OVERCOMMIT_NEVER ? VM_NORESERVE : 0);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "making shared memory of %llu bytes",
			 h->size);
		return file;
	}
	err = restore_file_contents(ctx, file, h->size);
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/*
 * Shared anonymous memory is its inode at checkpoint, held by the
 * hash (the mapping that led to it is let go before the next
 * process is written); at restart, the shmem file made for it,
 * which each VMA naming it maps.
 */
const struct ckpt_obj_ops ckpt_obj_shmem_ops = {
	.name = "shared memory",
	.hdr_type = CKPT_HDR_SHMEM,
	.grab = ckpt_inode_grab,
	.drop = ckpt_inode_drop,
	.checkpoint = checkpoint_shmem_obj,
	.restore = restore_shmem_obj,
	.release = ckpt_file_drop,
};
