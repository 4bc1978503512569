// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of memfd_create(2) files.
 *
 * A memfd has no name anyone could reopen, so its contents travel in the
 * image: the memory file is an object of its own (the MEMFD record: name,
 * size, seals, then its pages), written once however many open files
 * and mappings refer to it; each open file description is a FILE record
 * naming it.
 */
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/memfd.h>
#include <linux/mount.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>

#include "internal.h"

#define CKPT_MEMFD_PREFIX	"memfd:"
#define CKPT_MEMFD_NAME_MAX	250	/* memfd_create()'s limit, NUL included */
#define CKPT_MEMFD_SEALS	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | \
				 F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
				 F_SEAL_EXEC)

/**
 * ckpt_is_memfd - is this a file made by memfd_create(2)?
 * @file: the file
 *
 * memfd_create() makes a shmem file on the kernel's internal mount whose
 * name starts with "memfd:" (hugetlb memfds are not shmem files).
 *
 * Return: true for a shmem memfd.
 */
bool ckpt_is_memfd(struct file *file)
{
	struct dentry *d = file->f_path.dentry;
	bool named;

	if (!shmem_file(file) || !(file->f_path.mnt->mnt_flags & MNT_INTERNAL))
		return false;
	spin_lock(&d->d_lock);
	named = !strncmp(d->d_name.name, CKPT_MEMFD_PREFIX,
			 strlen(CKPT_MEMFD_PREFIX));
	spin_unlock(&d->d_lock);
	return named;
}

/**
 * checkpoint_memfd_obj - write a MEMFD record and the file's pages
 * (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the memfd's inode (kept alive by the open file that led to it)
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_memfd_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct inode *inode = ptr;
	struct ckpt_hdr_memfd *h;
	struct dentry *d;
	u32 len;
	int err;

	h = kzalloc(sizeof(*h) + CKPT_MEMFD_NAME_MAX, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	d = d_find_any_alias(inode);
	if (d) {
		spin_lock(&d->d_lock);
		strscpy(h->name, d->d_name.name + strlen(CKPT_MEMFD_PREFIX),
			CKPT_MEMFD_NAME_MAX);
		spin_unlock(&d->d_lock);
		dput(d);
	}
	h->objref = objref;
	h->name_len = strlen(h->name) + 1;
	len = sizeof(*h) + h->name_len;
	inode_lock_shared(inode);
	h->seals = SHMEM_I(inode)->seals;
	h->size = i_size_read(inode);
	h->mode = inode->i_mode & 07777;
	inode_unlock_shared(inode);
	err = ckpt_write_obj(ctx, CKPT_HDR_MEMFD, h, len);
	if (!err)
		err = ckpt_dump_mapping(ctx, inode->i_mapping, h->size);
	if (err)
		ckpt_err(ctx, err, "writing memfd %s", h->name);
	kfree(h);
	return err;
}

/* Its mode, before the seals: F_SEAL_EXEC looks at the exec bits. */
static int restore_memfd_mode(struct ckpt_ctx *ctx, struct file *file,
			      u32 mode)
{
	struct iattr attr = { .ia_valid = ATTR_MODE, .ia_mode = S_IFREG | mode };
	struct dentry *d = file->f_path.dentry;
	int err;

	inode_lock(d_inode(d));
	err = notify_change(file_mnt_idmap(file), d, &attr, NULL);
	inode_unlock(d_inode(d));
	if (err)
		ckpt_err(ctx, err, "memfd: mode %#o", mode);
	return err;
}

/**
 * restore_memfd_obj - recreate a memfd from its MEMFD record and pages
 * (objhash restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_memfd_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_memfd *h = rec;
	char name[sizeof(CKPT_MEMFD_PREFIX) + CKPT_MEMFD_NAME_MAX];
	struct file *file;
	long ret;
	int err;

	if (h->h.len < sizeof(*h) + 1 || h->name_len > CKPT_MEMFD_NAME_MAX ||
	    h->h.len != sizeof(*h) + h->name_len || h->mode & ~07777 ||
	    h->seals & ~CKPT_MEMFD_SEALS || h->size > MAX_LFS_FILESIZE ||
	    h->name[h->name_len - 1] ||
	    strlen(h->name) != h->name_len - 1) {
		ckpt_err(ctx, -EBADMSG, "memfd %u: malformed record", h->objref);
		return ERR_PTR(-EBADMSG);
	}
	snprintf(name, sizeof(name), CKPT_MEMFD_PREFIX "%s", h->name);
	/* as memfd_create(MFD_ALLOW_SEALING) makes it */
	file = shmem_file_setup(name, 0, VM_NORESERVE);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "creating memfd %s", h->name);
		return file;
	}
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	file->f_flags |= O_LARGEFILE;
	SHMEM_I(file_inode(file))->seals &= ~F_SEAL_SEAL;

	err = vfs_truncate(&file->f_path, h->size);
	if (err)
		ckpt_err(ctx, err, "memfd %s: size %llu", h->name, h->size);
	if (!err)
		err = restore_file_contents(ctx, file, h->size);
	if (!err)
		err = restore_memfd_mode(ctx, file, h->mode);
	if (!err && h->seals) {
		ret = memfd_fcntl(file, F_ADD_SEALS, h->seals);
		if (ret < 0)
			err = ckpt_err(ctx, ret, "memfd %s: seals %#x",
				       h->name, h->seals);
	}
	if (err) {
		fput(file);
		return ERR_PTR(err);
	}
	return file;
}

/**
 * restore_memfd_file - open a memfd again for a FILE record
 * @ctx: restart context
 * @h: the FILE record (checked by the caller), whose @ref names the memfd
 * @path: its path (unused: the memfd is reopened, not looked up)
 *
 * Return: a new open file of the memfd (the caller owns the reference)
 * or an ERR_PTR (logged).
 */
static struct file *restore_memfd_file(struct ckpt_ctx *ctx,
				       struct ckpt_hdr_file *h,
				       const char *path)
{
	struct file *memfd, *file;
	loff_t pos;

	memfd = ckpt_obj_fetch(ctx, h->ref, CKPT_OBJ_MEMFD);
	if (IS_ERR(memfd))
		return memfd;
	if (!S_ISREG(h->mode) || h->f_flags & (O_DIRECTORY | O_PATH)) {
		ckpt_err(ctx, -EBADMSG, "memfd file %d: bad mode or flags",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	if (h->flags & CKPT_FILE_NOT_WRITER) {
		/* as memfd_create() makes it: no write access held */
		file = alloc_file_clone(memfd, h->f_flags, memfd->f_op);
		if (!IS_ERR(file))
			file->f_mode |= FMODE_LSEEK | FMODE_PREAD |
					FMODE_PWRITE;
	} else {
		/* what opening /proc/self/fd/N of a memfd does */
		file = dentry_open(&memfd->f_path, h->f_flags, current_cred());
	}
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "reopening memfd file %d",
			 h->objref);
		return file;
	}
	file->f_flags |= O_LARGEFILE;
	if (h->pos) {
		pos = vfs_llseek(file, h->pos, SEEK_SET);
		if (pos != h->pos) {
			fput(file);
			ckpt_err(ctx, -EINVAL, "memfd file %d: offset %lld",
				 h->objref, h->pos);
			return ERR_PTR(-EINVAL);
		}
	}
	return file;
}

/*
 * A memfd is its inode at checkpoint, kept alive by the file that
 * led to it; at restart, the file made for it, which each FILE
 * naming it opens again.
 */
const struct ckpt_obj_ops ckpt_obj_memfd_ops = {
	.name = "memfd",
	.hdr_type = CKPT_HDR_MEMFD,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_memfd_obj,
	.restore = restore_memfd_obj,
	.release = ckpt_file_drop,
};

static void *ckpt_memfd_inode(struct file *file)
{
	return file_inode(file);
}

/* The file memfd_create() made writes without holding write access. */
static int ckpt_memfd_record(struct ckpt_ctx *ctx, struct file *file,
			     struct ckpt_hdr_file *h)
{
	if (file->f_mode & FMODE_WRITE && !(file->f_mode & FMODE_WRITER))
		h->flags |= CKPT_FILE_NOT_WRITER;
	return 0;
}

/* Each open file of a memfd has its own offset into the shared contents. */
const struct ckpt_file_ops ckpt_file_memfd_ops = {
	.kind = CKPT_FILE_MEMFD,
	.flags = CKPT_FK_POS,
	.obj = CKPT_OBJ_MEMFD,
	.is = ckpt_is_memfd,
	.obj_ptr = ckpt_memfd_inode,
	.record = ckpt_memfd_record,
	.restore = restore_memfd_file,
};
