// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of pipes and FIFOs: the pipe is an object of its
 * own (the PIPE record: capacity and the unread bytes), written once
 * however many ends and fds refer to it; each end is a FILE record
 * naming it.  A FIFO's ends are reopened by path.
 */
#include <linux/bsearch.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/magic.h>
#include <linux/pipe_fs_i.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "internal.h"

/*
 * A restored pipe: the two files restart made for a pipe(2), until the
 * FILE records take them; for a FIFO, the data to put back once its
 * path is known, and a read-write open that keeps it from blocking the
 * opens of its ends.
 */
struct ckpt_pipe {
	struct file *end[2];	/* read end, write end */
	struct path path;	/* pipe(2): its inode, to open an end again */
	struct file *anchor;	/* FIFO: opened O_RDWR */
	bool fifo;
	u32 size, nr_bytes;
	void *data;		/* FIFO: bytes to refill, until anchored */
};

/**
 * ckpt_is_pipe - is this an end of an anonymous pipe (pipe(2))?
 * @file: the file
 *
 * FIFOs have a name on a filesystem and are not (yet) handled as pipes.
 *
 * Return: true for pipe(2) ends.
 */
static bool ckpt_is_pipe(struct file *file)
{
	return get_pipe_info(file, false) &&
	       file_inode(file)->i_sb->s_magic == PIPEFS_MAGIC;
}

/**
 * ckpt_is_fifo - is this a FIFO opened by its name?
 * @file: the file
 *
 * Return: true for named pipes.
 */
static bool ckpt_is_fifo(struct file *file)
{
	return get_pipe_info(file, false) &&
	       file_inode(file)->i_sb->s_magic != PIPEFS_MAGIC;
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
static int checkpoint_pipe_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
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

/* Write @len bytes into a pipe with room for them, without blocking. */
static int restore_pipe_fill(struct file *w, const void *data, size_t len)
{
	bool nonblock = w->f_flags & O_NONBLOCK;
	loff_t pos = 0;
	ssize_t n;

	if (!len)
		return 0;
	ckpt_set_nonblock(w, true);
	n = kernel_write(w, data, len, &pos);
	ckpt_set_nonblock(w, nonblock);
	if (n < 0)
		return n;
	return n == len ? 0 : -ENOSPC;
}

/* Give the new pipe behind @w its capacity and its data. */
static int restore_pipe_setup(struct ckpt_ctx *ctx, struct ckpt_pipe *p,
			      struct file *w, int objref)
{
	long size;
	int err;

	size = pipe_fcntl(w, F_GETPIPE_SZ, 0);
	if (size != p->size) {
		/* the same limits as fcntl(F_SETPIPE_SZ) */
		size = pipe_fcntl(w, F_SETPIPE_SZ, p->size);
		if (size < 0)
			return ckpt_err(ctx, size, "pipe %d: setting its size to %u",
					objref, p->size);
	}
	err = restore_pipe_fill(w, p->data, p->nr_bytes);
	if (err)
		return ckpt_err(ctx, err, "pipe %d: refilling %u bytes", objref,
				p->nr_bytes);
	kvfree(p->data);
	p->data = NULL;
	p->nr_bytes = 0;
	return 0;
}

/**
 * restore_pipe_obj - stage a pipe from its PIPE record (objhash restore
 * handler)
 * @ctx: restart context
 * @rec: the record
 *
 * The pipe itself is made when the first FILE record naming it says
 * whether it is a pipe(2) or a FIFO.
 *
 * Return: a struct ckpt_pipe, or an ERR_PTR (logged).
 */
static void *restore_pipe_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_pipe *h = rec;
	struct ckpt_pipe *p;

	if (h->h.len < sizeof(*h) ||
	    h->h.len != sizeof(*h) + h->nr_bytes || h->_pad ||
	    h->size < PAGE_SIZE || !is_power_of_2(h->size) ||
	    h->nr_bytes > h->size) {
		ckpt_err(ctx, -EBADMSG, "pipe %d: malformed record", h->objref);
		return ERR_PTR(-EBADMSG);
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->size = h->size;
	p->nr_bytes = h->nr_bytes;
	/* charged to the restarter, like the pipe buffer it becomes */
	p->data = kvmemdup(h->data, h->nr_bytes, GFP_KERNEL_ACCOUNT);
	if (!p->data) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	return p;
}

/**
 * restore_pipe_release - drop what no FILE record took
 * @ptr: the struct ckpt_pipe
 */
static void restore_pipe_release(void *ptr)
{
	struct ckpt_pipe *p = ptr;

	if (p->end[0])
		fput(p->end[0]);
	if (p->end[1])
		fput(p->end[1]);
	if (p->anchor)
		fput(p->anchor);
	path_put(&p->path);
	kvfree(p->data);
	kfree(p);
}

/* The end of a pipe(2) a FILE record asks for; the pipe made at first. */
static struct file *restore_anon_end(struct ckpt_ctx *ctx, struct ckpt_pipe *p,
				     struct ckpt_hdr_file *h, int end)
{
	struct file *file;
	int err;

	if (p->fifo) {
		ckpt_err(ctx, -EBADMSG, "file %d: pipe %u was a FIFO",
			 h->objref, h->ref);
		return ERR_PTR(-EBADMSG);
	}
	if (p->data) {
		err = create_pipe_files(p->end, 0);
		if (err)
			return ERR_PTR(ckpt_err(ctx, err, "pipe %u: creating it",
						h->ref));
		p->path = p->end[0]->f_path;
		path_get(&p->path);
		err = restore_pipe_setup(ctx, p, p->end[1], h->ref);
		if (err)
			return ERR_PTR(err);
	}
	file = p->end[end];
	if (!file) {
		/* an end opened again, as an open of /proc/PID/fd/N does */
		file = dentry_open(&p->path, h->f_flags, current_cred());
		if (IS_ERR(file))
			ckpt_err(ctx, PTR_ERR(file),
				 "file %d: opening pipe %u again", h->objref,
				 h->ref);
		return file;
	}
	p->end[end] = NULL;
	ckpt_set_nonblock(file, h->f_flags & O_NONBLOCK);
	return file;
}

/*
 * An end of a FIFO, opened by @path.  The first one opens the FIFO
 * read-write as well (the anchor), so that no open blocks or fails for
 * want of a peer, and refills it.
 */
static struct file *restore_fifo_end(struct ckpt_ctx *ctx, struct ckpt_pipe *p,
				     struct ckpt_hdr_file *h, const char *path)
{
	struct file *file;
	int err;

	if (p->end[0] || p->end[1] || (!p->fifo && !p->data)) {
		ckpt_err(ctx, -EBADMSG, "file %d: pipe %u was no FIFO",
			 h->objref, h->ref);
		return ERR_PTR(-EBADMSG);
	}
	if (!p->anchor) {
		/* the same FIFO, opened read-write: that never blocks */
		struct ckpt_hdr_file rw = *h;

		p->fifo = true;
		rw.f_flags = (h->f_flags & ~O_ACCMODE) | O_RDWR;
		file = ckpt_open_file(ctx, &rw, path);
		if (IS_ERR(file))
			return file;
		p->anchor = file;
		err = restore_pipe_setup(ctx, p, file, h->ref);
		if (err)
			return ERR_PTR(err);
	}
	file = ckpt_open_file(ctx, h, path);
	if (IS_ERR(file))
		return file;
	if (file_inode(file) != file_inode(p->anchor)) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, -ESTALE,
					"FIFO %s changed during restart", path));
	}
	return file;
}

/**
 * restore_pipe_end - the file for a FILE record of a pipe or FIFO
 * @ctx: restart context
 * @h: the record (checked by the caller, but for its access mode)
 * @path: its path, NUL-terminated (checked by the caller)
 *
 * Each end of a pipe(2) is one open file description; more than one for
 * the same end (reopened through /proc/PID/fd) is not supported.
 *
 * Return: the file (the caller owns the reference) or an ERR_PTR.
 */
static struct file *restore_pipe_end(struct ckpt_ctx *ctx,
				     struct ckpt_hdr_file *h, const char *path)
{
	struct ckpt_pipe *p;
	int end;

	p = ckpt_obj_fetch(ctx, h->ref, CKPT_OBJ_PIPE);
	if (IS_ERR(p))
		return ERR_CAST(p);
	if (h->f_flags & ~(O_ACCMODE | O_NONBLOCK | O_LARGEFILE)) {
		ckpt_err(ctx, -EBADMSG, "file %d: flags %#x on a pipe",
			 h->objref, h->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	if (h->kind == CKPT_FILE_FIFO) {
		if (path[0] != '/' || (h->f_flags & O_ACCMODE) == 3) {
			ckpt_err(ctx, -EBADMSG, "file %d: bad FIFO", h->objref);
			return ERR_PTR(-EBADMSG);
		}
		return restore_fifo_end(ctx, p, h, path);
	}
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
	return restore_anon_end(ctx, p, h, end);
}

/*
 * At checkpoint a pipe is its pipe_inode_info, kept alive by the
 * file that led to it (already in the hash); at restart, the pair
 * of files made for it.
 */
const struct ckpt_obj_ops ckpt_obj_pipe_ops = {
	.name = "pipe",
	.hdr_type = CKPT_HDR_PIPE,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_pipe_obj,
	.restore = restore_pipe_obj,
	.release = restore_pipe_release,
};

/* One pipe end held by one fd, for sorting by pipe and file. */
struct ckpt_pipe_end {
	struct pipe_inode_info *pipe;
	struct file *file;
	unsigned int order;		/* index in the fd list */
};

static int ckpt_pipe_end_cmp(const void *a, const void *b)
{
	const struct ckpt_pipe_end *x = a, *y = b;

	if (x->pipe != y->pipe)
		return x->pipe < y->pipe ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Every end of a pipe or FIFO must be in the checkpoint: an end held
 * outside it (the shell's "prog | cat") would be cut off at restart,
 * and a FIFO kept open elsewhere would keep its data and get it twice.
 * The pipe counts its open files per side; so do we, among the
 * distinct files of @all, for each pipe of @f (or of f->fds[@only]).
 */
static int ckpt_pipe_peers(const struct ckpt_fds *f, int only,
			   const struct ckpt_fds *all,
			   struct task_struct **tasks, unsigned int nr_tasks,
			   char *why, size_t len)
{
	struct pipe_inode_info **want, *pipe;
	struct ckpt_fd *fds = all->fds;
	unsigned int nw = 0, n = 0, i, j, r, w, first;
	struct ckpt_pipe_end *e;
	int err = 0;

	/* sorted by pipe, then file: n log n, however many fds there are */
	want = kvmalloc_array(f->nr ?: 1, sizeof(*want), GFP_KERNEL);
	e = kvmalloc_array(all->nr ?: 1, sizeof(*e), GFP_KERNEL);
	if (!want || !e) {
		kvfree(want);
		kvfree(e);
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < f->nr; i++) {
		pipe = get_pipe_info(f->fds[i].file, false);
		if (pipe && (only < 0 || i == only))
			want[nw++] = pipe;
	}
	sort(want, nw, sizeof(*want), ckpt_ptr_cmp, NULL);
	for (i = 0; nw && i < all->nr; i++) {
		pipe = get_pipe_info(fds[i].file, false);
		if (pipe && bsearch(&pipe, want, nw, sizeof(*want), ckpt_ptr_cmp))
			e[n++] = (struct ckpt_pipe_end){ pipe, fds[i].file, i };
	}
	sort(e, n, sizeof(*e), ckpt_pipe_end_cmp, NULL);
	for (i = 0; i < n && !err; i = j) {
		r = 0;
		w = 0;
		first = e[i].order;
		for (j = i; j < n && e[j].pipe == e[i].pipe; j++) {
			first = min(first, e[j].order);
			if (j > i && e[j].file == e[j - 1].file)
				continue;	/* a dup of a file counted */
			if (e[j].file->f_mode & FMODE_READ)
				r++;
			if (e[j].file->f_mode & FMODE_WRITE)
				w++;
		}
		if (r != READ_ONCE(e[i].pipe->readers) ||
		    w != READ_ONCE(e[i].pipe->writers)) {
			snprintf(why, len,
				 "process %d fd %u%s: the pipe's other end is open outside the checkpoint",
				 fds[first].pid, fds[first].fd,
				 ckpt_fd_flight(&fds[first]));
			err = -EOPNOTSUPP;
		}
		cond_resched();
	}
	kvfree(e);
	kvfree(want);
	return err;
}

/* A packet-mode pipe (O_DIRECT) would come back as a byte stream. */
static int ckpt_pipe_supported(struct file *file, char *why, size_t len)
{
	if (!(file->f_flags & O_DIRECT))
		return 0;
	snprintf(why, len, "pipe in packet mode (O_DIRECT)");
	return -EOPNOTSUPP;
}

/* Either end of a pipe or FIFO names the pipe, of which it is a view. */
static void *ckpt_pipe_of(struct file *file)
{
	return get_pipe_info(file, false);
}

/* Pipes and FIFOs alike: the pipe's ends are counted once, here. */
const struct ckpt_file_ops ckpt_file_pipe_ops = {
	.kind = CKPT_FILE_PIPE,
	.flags = CKPT_FK_PEERS,
	.obj = CKPT_OBJ_PIPE,
	.is = ckpt_is_pipe,
	.obj_ptr = ckpt_pipe_of,
	.supported = ckpt_pipe_supported,
	.peers = ckpt_pipe_peers,
	.restore = restore_pipe_end,
};

const struct ckpt_file_ops ckpt_file_fifo_ops = {
	.kind = CKPT_FILE_FIFO,
	.flags = CKPT_FK_NAMED | CKPT_FK_PEERS,
	.obj = CKPT_OBJ_PIPE,
	.is = ckpt_is_fifo,
	.obj_ptr = ckpt_pipe_of,
	.supported = ckpt_pipe_supported,
	.restore = restore_pipe_end,
};
