// SPDX-License-Identifier: GPL-2.0
/*
 * Image I/O: records in and out of the image file, the running
 * checksum, and the image header and tail.
 */
#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/utsname.h>
#include <linux/timekeeping.h>

#include "internal.h"

/*
 * The image is ABI: every record and every array element of one is a
 * whole number of 8-byte words (its fields are __u64 at the widest), so
 * that it reads the same whatever the compiler's padding.
 */
#define CKPT_ABI_RECORD(name)	static_assert(sizeof(struct name) % 8 == 0)

CKPT_ABI_RECORD(ckpt_hdr);
CKPT_ABI_RECORD(ckpt_hdr_header);
CKPT_ABI_RECORD(ckpt_hdr_tail);
CKPT_ABI_RECORD(ckpt_pids);
CKPT_ABI_RECORD(ckpt_hdr_tree);
CKPT_ABI_RECORD(ckpt_hdr_task);
CKPT_ABI_RECORD(ckpt_hdr_creds);
CKPT_ABI_RECORD(ckpt_hdr_rlimits);
CKPT_ABI_RECORD(ckpt_hdr_fs);
CKPT_ABI_RECORD(ckpt_hdr_sched);
CKPT_ABI_RECORD(ckpt_hdr_ctty);
CKPT_ABI_RECORD(ckpt_hdr_cpu);
CKPT_ABI_RECORD(ckpt_hdr_xstate);
CKPT_ABI_RECORD(ckpt_hdr_mm);
CKPT_ABI_RECORD(ckpt_hdr_vma);
CKPT_ABI_RECORD(ckpt_hdr_shmem);
CKPT_ABI_RECORD(ckpt_hdr_pages);
CKPT_ABI_RECORD(ckpt_hdr_file_table);
CKPT_ABI_RECORD(ckpt_hdr_file);
CKPT_ABI_RECORD(ckpt_hdr_pipe);
CKPT_ABI_RECORD(ckpt_hdr_memfd);
CKPT_ABI_RECORD(ckpt_hdr_eventfd);
CKPT_ABI_RECORD(ckpt_hdr_signalfd);
CKPT_ABI_RECORD(ckpt_hdr_timerfd);
CKPT_ABI_RECORD(ckpt_inotify_watch);
CKPT_ABI_RECORD(ckpt_hdr_inotify);
CKPT_ABI_RECORD(ckpt_epoll_item);
CKPT_ABI_RECORD(ckpt_hdr_epoll);
CKPT_ABI_RECORD(ckpt_hdr_fd);
CKPT_ABI_RECORD(ckpt_hdr_file_lock);
CKPT_ABI_RECORD(ckpt_hdr_socket);
CKPT_ABI_RECORD(ckpt_hdr_tcp);
CKPT_ABI_RECORD(ckpt_termios);
CKPT_ABI_RECORD(ckpt_hdr_pty);
CKPT_ABI_RECORD(ckpt_unix_end);
CKPT_ABI_RECORD(ckpt_hdr_unix_pair);
CKPT_ABI_RECORD(ckpt_unix_fd);
CKPT_ABI_RECORD(ckpt_sockopt);
CKPT_ABI_RECORD(ckpt_hdr_sighand);
CKPT_ABI_RECORD(ckpt_hdr_signal);
CKPT_ABI_RECORD(ckpt_hdr_posix_timer);
CKPT_ABI_RECORD(ckpt_hdr_sigpending);
CKPT_ABI_RECORD(ckpt_hdr_uts_ns);
CKPT_ABI_RECORD(ckpt_hdr_ipc_ns);
CKPT_ABI_RECORD(ckpt_ipc_perm);
CKPT_ABI_RECORD(ckpt_hdr_ipc_shm);
CKPT_ABI_RECORD(ckpt_sem);
CKPT_ABI_RECORD(ckpt_hdr_ipc_sem);
CKPT_ABI_RECORD(ckpt_hdr_ipc_msg);
CKPT_ABI_RECORD(ckpt_hdr_msg);

/*
 * Fletcher-style sums over little-endian 64-bit words; len % 8 == 0.
 * Four words a round: at checkpoint this pass is all that is added to
 * the one copy of each page, so loop overhead counts.
 */
static void ckpt_csum(struct ckpt_ctx *ctx, const void *buf, size_t len)
{
	const u64 *w = buf;
	u64 s1 = ctx->sum1, s2 = ctx->sum2;
	size_t i, n = len / 8;

	for (i = 0; i + 4 <= n; i += 4) {
		s1 += le64_to_cpu(w[i]);
		s2 += s1;
		s1 += le64_to_cpu(w[i + 1]);
		s2 += s1;
		s1 += le64_to_cpu(w[i + 2]);
		s2 += s1;
		s1 += le64_to_cpu(w[i + 3]);
		s2 += s1;
	}
	for (; i < n; i++) {
		s1 += le64_to_cpu(w[i]);
		s2 += s1;
	}
	ctx->sum1 = s1;
	ctx->sum2 = s2;
	ctx->nbytes += len;
}

static loff_t *ckpt_ppos(struct file *file, loff_t *pos)
{
	if (file->f_mode & FMODE_STREAM)
		return NULL;
	*pos = file->f_pos;
	return pos;
}

static int ckpt_io_error(struct ckpt_ctx *ctx, ssize_t ret, bool writing)
{
	if (fatal_signal_pending(current) || ret == -ERESTARTSYS ||
	    ret == -EINTR)
		return ckpt_err(ctx, -EINTR, "interrupted while %s the image",
				writing ? "writing" : "reading");
	return ckpt_err(ctx, ret, "%s the image failed at byte %llu",
			writing ? "writing" : "reading", ctx->nbytes);
}

static int ckpt_write_iter(struct ckpt_ctx *ctx, struct iov_iter *iter)
{
	size_t left = iov_iter_count(iter);
	loff_t pos, *ppos;
	ssize_t ret;

	while (left) {
		ppos = ckpt_ppos(ctx->file, &pos);
		ret = vfs_iter_write(ctx->file, iter, ppos, 0);
		if (ret > 0 && ppos)
			ctx->file->f_pos = pos;
		if (ret == 0)
			ret = -EIO;
		if (ret < 0)
			return ckpt_io_error(ctx, ret, true);
		left -= ret;
	}
	return 0;
}

/**
 * ckpt_write - append bytes to the image
 * @ctx: checkpoint context
 * @buf: kernel buffer
 * @len: its length, a multiple of 8
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_write(struct ckpt_ctx *ctx, const void *buf, size_t len)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter iter;
	int err;

	if (WARN_ON_ONCE(len % 8))
		return -EINVAL;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, len);
	err = ckpt_write_iter(ctx, &iter);
	if (!err)
		ckpt_csum(ctx, buf, len);
	return err;
}

/**
 * ckpt_write_obj - write one record
 * @ctx: checkpoint context
 * @type: record type (enum ckpt_hdr_type)
 * @rec: the record, starting with struct ckpt_hdr, allocated with room
 *	for its padding (ckpt_padded(len) bytes, the padding zeroed)
 * @len: header plus payload
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_obj(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len)
{
	struct ckpt_hdr *h = rec;

	h->type = type;
	h->len = len;
	return ckpt_write(ctx, rec, ckpt_padded(len));
}

static int ckpt_read_iter(struct ckpt_ctx *ctx, struct iov_iter *iter)
{
	size_t len = iov_iter_count(iter), done = 0;
	loff_t pos, *ppos;
	ssize_t ret;

	while (done < len) {
		ppos = ckpt_ppos(ctx->file, &pos);
		ret = vfs_iter_read(ctx->file, iter, ppos, 0);
		if (ret > 0 && ppos)
			ctx->file->f_pos = pos;
		if (ret == 0)
			return ckpt_err(ctx, -ENODATA,
					"image truncated at byte %llu",
					ctx->nbytes + done);
		if (ret < 0)
			return ckpt_io_error(ctx, ret, false);
		done += ret;
	}
	return 0;
}

/* Checksum whole pages where they are. */
static void ckpt_csum_pages(struct ckpt_ctx *ctx, struct page **pages,
			    unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		void *p = kmap_local_page(pages[i]);

		ckpt_csum(ctx, p, PAGE_SIZE);
		kunmap_local(p);
	}
}

/* Write (ITER_SOURCE) or read (ITER_DEST) whole pages in one call. */
static int ckpt_pages_io(struct ckpt_ctx *ctx, struct page **pages,
			 unsigned int nr, unsigned int dir)
{
	struct bio_vec *bv;
	struct iov_iter iter;
	unsigned int i;
	int err;

	bv = kmalloc_array(nr, sizeof(*bv), GFP_KERNEL);
	if (!bv)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		bvec_set_page(&bv[i], pages[i], PAGE_SIZE, 0);
	iov_iter_bvec(&iter, dir, bv, nr, (size_t)nr * PAGE_SIZE);
	err = dir == ITER_SOURCE ? ckpt_write_iter(ctx, &iter) :
				   ckpt_read_iter(ctx, &iter);
	kfree(bv);
	return err;
}

/**
 * ckpt_write_pages - write whole pages to the image in one call
 * @ctx: checkpoint context
 * @pages: the pages, at most CKPT_PAGES_BATCH
 * @nr: how many
 * @shared: some may be written meanwhile by a process that still runs
 *
 * The checksum must cover exactly the bytes that reach the image, so
 * pages that may change under us (shared memory) are copied first.
 * Private pages of the frozen target are written from where they are:
 * only a debugger poking the frozen process could change them, and the
 * image would then fail its checksum at restart rather than lie.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr, bool shared)
{
	unsigned int i;

	if (WARN_ON_ONCE(nr > CKPT_PAGES_BATCH))
		return -EINVAL;
	if (shared) {
		if (!ctx->pagebuf) {
			ctx->pagebuf = kvmalloc(CKPT_PAGES_BATCH * PAGE_SIZE,
						GFP_KERNEL);
			if (!ctx->pagebuf)
				return -ENOMEM;
		}
		for (i = 0; i < nr; i++)
			memcpy_from_page(ctx->pagebuf + i * PAGE_SIZE,
					 pages[i], 0, PAGE_SIZE);
		return ckpt_write(ctx, ctx->pagebuf, (size_t)nr * PAGE_SIZE);
	}
	ckpt_csum_pages(ctx, pages, nr);
	return ckpt_pages_io(ctx, pages, nr, ITER_SOURCE);
}

/**
 * ckpt_read - read exactly @len bytes of the image
 * @ctx: restart context
 * @buf: kernel buffer
 * @len: a multiple of 8
 *
 * Return: 0, -ENODATA if the image ends early, or another negative errno.
 */
int ckpt_read(struct ckpt_ctx *ctx, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter iter;
	int err;

	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len);
	err = ckpt_read_iter(ctx, &iter);
	if (!err)
		ckpt_csum(ctx, buf, len);
	return err;
}

/**
 * ckpt_read_pages - read whole pages of the image straight into @pages
 * @ctx: restart context
 * @pages: destination pages
 * @nr: how many
 *
 * Return: 0, -ENODATA if the image ends early, or another negative errno.
 */
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr)
{
	int err;

	err = ckpt_pages_io(ctx, pages, nr, ITER_DEST);
	if (!err)
		ckpt_csum_pages(ctx, pages, nr);
	return err;
}

/* The name of a record type, for the log. */
const char *ckpt_type_name(u32 type)
{
	static const struct {
		u32 type;
		const char *name;
	} names[] = {
#define CKPT_HDR_TYPE(name)	{ CKPT_HDR_##name, #name },
#include <linux/checkpoint_types.h>
#undef CKPT_HDR_TYPE
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].type == type)
			return names[i].name;
	return "unknown";
}

/**
 * ckpt_read_record - read the next record, whatever its type
 * @ctx: restart context
 * @max: largest acceptable length
 *
 * The record's length is checked against @max before anything is
 * allocated, and its padding must be zero.
 *
 * Return: the record (kfree() it) or an ERR_PTR.
 */
void *ckpt_read_record(struct ckpt_ctx *ctx, u32 max)
{
	struct ckpt_hdr h;
	size_t plen;
	void *rec;
	int err;

	err = ckpt_read(ctx, &h, sizeof(h));
	if (err)
		return ERR_PTR(err);
	if (h.len < sizeof(h) || h.len > max || h.len > CKPT_RECORD_MAX) {
		ckpt_err(ctx, -EBADMSG,
			 "record %s (%u) at byte %llu: length %u out of range",
			 ckpt_type_name(h.type), h.type,
			 ctx->nbytes - sizeof(h), h.len);
		return ERR_PTR(-EBADMSG);
	}
	plen = ckpt_padded(h.len);
	/* staged restart state is the restarter's, charged to its memcg */
	rec = kvzalloc(plen, GFP_KERNEL_ACCOUNT);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	memcpy(rec, &h, sizeof(h));
	err = ckpt_read(ctx, rec + sizeof(h), plen - sizeof(h));
	if (!err && memchr_inv(rec + h.len, 0, plen - h.len))
		err = ckpt_err(ctx, -EBADMSG, "record %s: padding not zero",
			       ckpt_type_name(h.type));
	if (err) {
		kvfree(rec);
		return ERR_PTR(err);
	}
	return rec;
}

/**
 * ckpt_read_obj - read the next record, which must be of a given type
 * @ctx: restart context
 * @type: the expected type
 * @min: shortest acceptable length
 * @max: longest acceptable length
 *
 * Return: the record (kvfree() it) or an ERR_PTR (logged).
 */
void *ckpt_read_obj(struct ckpt_ctx *ctx, u32 type, u32 min, u32 max)
{
	struct ckpt_hdr *h = ckpt_read_record(ctx, max);

	if (IS_ERR(h))
		return h;
	if (h->type != type || h->len < min) {
		ckpt_err(ctx, -EBADMSG,
			 "expected record %s, found %s (%u) of length %u",
			 ckpt_type_name(type), ckpt_type_name(h->type),
			 h->type, h->len);
		kvfree(h);
		return ERR_PTR(-EBADMSG);
	}
	return h;
}

/**
 * ckpt_read_obj_fixed - read a record of a given type and exact size
 * @ctx: restart context
 * @type: the expected type
 * @size: its exact length
 *
 * Return: the record (kvfree() it) or an ERR_PTR (logged).
 */
void *ckpt_read_obj_fixed(struct ckpt_ctx *ctx, u32 type, u32 size)
{
	return ckpt_read_obj(ctx, type, size, size);
}

/**
 * ckpt_string - check a string field of a record
 * @ctx: restart context
 * @s: the field
 * @len: its size including the terminating NUL
 * @what: name for the log
 *
 * Return: @s if it is NUL-terminated exactly at @len - 1 and not empty,
 * else an ERR_PTR (logged).
 */
const char *ckpt_string(struct ckpt_ctx *ctx, const char *s, u32 len,
			const char *what)
{
	if (len < 2 || len > CKPT_PATH_MAX || s[len - 1] ||
	    strnlen(s, len) != len - 1) {
		ckpt_err(ctx, -EBADMSG, "%s: malformed string", what);
		return ERR_PTR(-EBADMSG);
	}
	return s;
}

int ckpt_write_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header *h;
	struct new_utsname *u;
	int err;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->magic = CKPT_MAGIC_HEAD;
	h->version = CKPT_VERSION;
	h->page_size = PAGE_SIZE;
	h->flags = ctx->flags;
	h->time = ktime_get_real_seconds();
	h->ckpt_id = ctx->ckpt_id;
	down_read(&uts_sem);
	u = utsname();
	strscpy(h->sysname, u->sysname, sizeof(h->sysname));
	strscpy(h->release, u->release, sizeof(h->release));
	strscpy(h->version_str, u->version, sizeof(h->version_str));
	strscpy(h->machine, u->machine, sizeof(h->machine));
	strscpy(h->nodename, u->nodename, sizeof(h->nodename));
	up_read(&uts_sem);
	err = ckpt_arch_header(h);
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_HEADER, h, sizeof(*h));
	kfree(h);
	return err;
}

int ckpt_read_header(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_header *h;
	int err = 0;

	h = ckpt_read_record(ctx, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h) == -EBADMSG ? -ENOEXEC : PTR_ERR(h);
	if (h->h.type != CKPT_HDR_HEADER || h->h.len != sizeof(*h) ||
	    h->magic != CKPT_MAGIC_HEAD) {
		err = ckpt_err(ctx, -ENOEXEC, "not a checkpoint image");
		goto out;
	}
	if (h->version != CKPT_VERSION) {
		err = ckpt_err(ctx, -ENOEXEC,
			       "image format version %u, this kernel reads %u",
			       h->version, CKPT_VERSION);
		goto out;
	}
	if (h->page_size != PAGE_SIZE || h->_pad || h->_pad3 ||
	    memchr_inv(h->_pad2, 0, sizeof(h->_pad2)) ||
	    h->flags & ~CHECKPOINT_USER_FLAGS) {
		err = ckpt_err(ctx, -ENOEXEC,
			       "page size %u, flags %#x or padding not supported",
			       h->page_size, h->flags);
		goto out;
	}
	/* informational: but a tool printing them finds C strings */
	if (strnlen(h->sysname, CKPT_UTS_LEN) == CKPT_UTS_LEN ||
	    strnlen(h->release, CKPT_UTS_LEN) == CKPT_UTS_LEN ||
	    strnlen(h->version_str, CKPT_UTS_LEN) == CKPT_UTS_LEN ||
	    strnlen(h->machine, CKPT_UTS_LEN) == CKPT_UTS_LEN ||
	    strnlen(h->nodename, CKPT_UTS_LEN) == CKPT_UTS_LEN) {
		err = ckpt_err(ctx, -ENOEXEC, "unterminated kernel name");
		goto out;
	}
	err = ckpt_arch_check_header(ctx, h);
out:
	kvfree(h);
	return err;
}

int ckpt_write_tail(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_tail h = {
		.magic = CKPT_MAGIC_TAIL,
		.nbytes = ctx->nbytes,
		.sum1 = ctx->sum1,
		.sum2 = ctx->sum2,
	};

	return ckpt_write_obj(ctx, CKPT_HDR_TAIL, &h, sizeof(h));
}

int ckpt_read_tail(struct ckpt_ctx *ctx)
{
	u64 nbytes = ctx->nbytes, sum1 = ctx->sum1, sum2 = ctx->sum2;
	struct ckpt_hdr_tail *h;
	int err = 0;

	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_TAIL, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->magic != CKPT_MAGIC_TAIL || h->nbytes != nbytes)
		err = ckpt_err(ctx, -EBADMSG,
			       "bad image tail (magic %#llx, %llu bytes, read %llu)",
			       h->magic, h->nbytes, nbytes);
	else if (h->sum1 != sum1 || h->sum2 != sum2)
		err = ckpt_err(ctx, -EBADMSG,
			       "image checksum mismatch: the image is corrupt");
	kvfree(h);
	return err;
}
