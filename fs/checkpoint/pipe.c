// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of pipes: the pipe is an object of its own (the
 * PIPE record: capacity and the unread bytes), written once however many
 * ends and fds refer to it; each end is a FILE record naming it.
 */
#include <linux/checkpoint.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/magic.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* The two files restart makes for a pipe, until the FILE records take them. */
struct ckpt_pipe {
	struct file *end[2];	/* read end, write end */
};

/**
 * ckpt_is_pipe - is this an end of an anonymous pipe (pipe(2))?
 * @file: the file
 *
 * FIFOs have a name on a filesystem and are not (yet) handled as pipes.
 *
 * Return: true for pipe(2) ends.
 */
bool ckpt_is_pipe(struct file *file)
{
	return get_pipe_info(file, false) &&
	       file_inode(file)->i_sb->s_magic == PIPEFS_MAGIC;
}

/**
 * checkpoint_pipe_obj - write a PIPE record (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the struct pipe_inode_info
 * @objref: its objref
 *
 * The buffered bytes are copied, not consumed, under the pipe's lock:
 * an end may belong to a process that still runs.
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_pipe_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct pipe_inode_info *pipe = ptr;
	size_t max = CKPT_RECORD_MAX - sizeof(struct ckpt_hdr_pipe);
	struct ckpt_hdr_pipe *h;
	unsigned int tail, n = 0;
	int err = 0;

	pipe_lock(pipe);
	/* no more than max_usage buffers of at most a page each */
	max = min_t(size_t, max, (size_t)pipe->max_usage * PAGE_SIZE);
	h = kvzalloc(sizeof(*h) + max, GFP_KERNEL);
	if (!h) {
		pipe_unlock(pipe);
		return -ENOMEM;
	}
	if (pipe_has_watch_queue(pipe)) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "pipe %d is a notification queue", objref);
		goto unlock;
	}
	h->size = pipe->max_usage * PAGE_SIZE;
	for (tail = pipe->tail; tail != pipe->head; tail++) {
		struct pipe_buffer *buf = pipe_buf(pipe, tail);

		if (buf->flags & PIPE_BUF_FLAG_PACKET) {
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "pipe %d is in packet mode (O_DIRECT)",
				       objref);
			goto unlock;
		}
		if (buf->len > max - n) {
			err = ckpt_err(ctx, -E2BIG,
				       "pipe %d holds more than %zu bytes",
				       objref, max);
			goto unlock;
		}
		err = pipe_buf_confirm(pipe, buf);
		if (err) {
			ckpt_err(ctx, err, "pipe %d: reading its data",
				 objref);
			goto unlock;
		}
		memcpy_from_page(h->data + n, buf->page, buf->offset,
				 buf->len);
		n += buf->len;
	}
unlock:
	pipe_unlock(pipe);
	if (!err) {
		h->objref = objref;
		h->nr_bytes = n;
		err = ckpt_write_obj(ctx, CKPT_HDR_PIPE, h, sizeof(*h) + n);
	}
	kvfree(h);
	return err;
}

/* Write @len bytes into a new, empty pipe, without blocking. */
static int restore_pipe_fill(struct file *w, const void *data, size_t len)
{
	loff_t pos = 0;
	ssize_t n;

	if (!len)
		return 0;
	spin_lock(&w->f_lock);
	w->f_flags |= O_NONBLOCK;
	spin_unlock(&w->f_lock);
	n = kernel_write(w, data, len, &pos);
	spin_lock(&w->f_lock);
	w->f_flags &= ~O_NONBLOCK;
	spin_unlock(&w->f_lock);
	if (n < 0)
		return n;
	return n == len ? 0 : -ENOSPC;
}

/**
 * restore_pipe_obj - make a pipe from its PIPE record (objhash restore
 * handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: a struct ckpt_pipe holding both ends, or an ERR_PTR (logged).
 */
void *restore_pipe_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_pipe *h = rec;
	struct ckpt_pipe *p;
	long size;
	int err;

	if (h->h.len != sizeof(*h) + h->nr_bytes || h->_pad ||
	    h->size < PAGE_SIZE || !is_power_of_2(h->size) ||
	    h->nr_bytes > h->size) {
		ckpt_err(ctx, -EBADMSG, "pipe %d: malformed record", h->objref);
		return ERR_PTR(-EBADMSG);
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	err = create_pipe_files(p->end, 0);
	if (err) {
		kfree(p);
		ckpt_err(ctx, err, "pipe %d: creating it", h->objref);
		return ERR_PTR(err);
	}
	size = pipe_fcntl(p->end[1], F_GETPIPE_SZ, 0);
	if (size != h->size) {
		/* the same limits as fcntl(F_SETPIPE_SZ) */
		size = pipe_fcntl(p->end[1], F_SETPIPE_SZ, h->size);
		if (size < 0) {
			err = size;
			ckpt_err(ctx, err, "pipe %d: setting its size to %u",
				 h->objref, h->size);
			goto fail;
		}
	}
	err = restore_pipe_fill(p->end[1], h->data, h->nr_bytes);
	if (err) {
		ckpt_err(ctx, err, "pipe %d: refilling %u bytes", h->objref,
			 h->nr_bytes);
		goto fail;
	}
	return p;
fail:
	restore_pipe_release(p);
	return ERR_PTR(err);
}

/**
 * restore_pipe_release - drop the ends no FILE record took
 * @ptr: the struct ckpt_pipe
 */
void restore_pipe_release(void *ptr)
{
	struct ckpt_pipe *p = ptr;

	if (p->end[0])
		fput(p->end[0]);
	if (p->end[1])
		fput(p->end[1]);
	kfree(p);
}

/**
 * restore_pipe_end - the file for a FILE record of kind CKPT_FILE_PIPE
 * @ctx: restart context
 * @h: the record (checked by the caller, but for its access mode)
 *
 * Each end of a pipe is one open file description; more than one for
 * the same end (reopened through /proc/PID/fd) is not supported.
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR.
 */
struct file *restore_pipe_end(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h)
{
	struct ckpt_pipe *p;
	struct file *file;
	int end;

	p = ckpt_obj_fetch(ctx, h->ref, CKPT_OBJ_PIPE);
	if (IS_ERR(p))
		return ERR_CAST(p);
	switch (h->f_flags & O_ACCMODE) {
	case O_RDONLY:
		end = 0;
		break;
	case O_WRONLY:
		end = 1;
		break;
	default:
		ckpt_err(ctx, -EBADMSG, "file %d: a pipe end must be read-only or write-only",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	if (h->f_flags & ~(O_ACCMODE | O_NONBLOCK | O_LARGEFILE)) {
		ckpt_err(ctx, -EBADMSG, "file %d: flags %#x on a pipe",
			 h->objref, h->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	file = p->end[end];
	if (!file) {
		ckpt_err(ctx, -EOPNOTSUPP,
			 "file %d: a second open file for the same pipe end",
			 h->objref);
		return ERR_PTR(-EOPNOTSUPP);
	}
	p->end[end] = NULL;
	spin_lock(&file->f_lock);
	file->f_flags = (file->f_flags & ~O_NONBLOCK) |
			(h->f_flags & O_NONBLOCK);
	spin_unlock(&file->f_lock);
	return file;
}
