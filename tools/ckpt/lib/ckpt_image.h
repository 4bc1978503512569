/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt_image.h - reading an image in user space: walking its records in
 * a buffer, the TAIL checksum, resealing an edited image, the names of
 * record types and object kinds.
 *
 * The one copy for ckptinfo, restart, the host tests (tests/mkimage.c,
 * tests/fuzz-ckptinfo.c) and the selftests (through ckpt_test.h).
 * Header only, C11, no feature macro needed: a kselftest, built from
 * its one .c file, needs nothing but -I for it.
 *
 * The format is include/uapi/linux/checkpoint_hdr.h.  The kernel keeps
 * its own checksum and names (checkpoint/image.c); tools_test.sh, where
 * ckptinfo verifies an image the kernel wrote, checks that they agree.
 */
#ifndef CKPT_IMAGE_H
#define CKPT_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/checkpoint_hdr.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/* ---- names ---- */

/* The name of a record type ("FILE_TABLE"), NULL if the format has none. */
static inline const char *ckpt_type_name(uint32_t type)
{
	static const struct {
		uint32_t type;
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
	return NULL;
}

/* The kind of object an objref names, as messages say it. */
static inline const char *ckpt_obj_name(uint32_t kind)
{
	switch (kind) {
	case CKPT_OBJ_FILE:		return "file";
	case CKPT_OBJ_FILE_TABLE:	return "file table";
	case CKPT_OBJ_MM:		return "mm";
	case CKPT_OBJ_PIPE:		return "pipe";
	case CKPT_OBJ_MEMFD:		return "memfd";
	case CKPT_OBJ_EVENTFD:		return "eventfd";
	case CKPT_OBJ_SIGNALFD:		return "signalfd";
	case CKPT_OBJ_TIMERFD:		return "timerfd";
	case CKPT_OBJ_SHMEM:		return "shared memory object";
	case CKPT_OBJ_UNIX_PAIR:	return "AF_UNIX socket pair";
	case CKPT_OBJ_SOCKET:		return "socket";
	case CKPT_OBJ_INOTIFY:		return "inotify file";
	case CKPT_OBJ_PTY:		return "pty";
	}
	return "unknown object";
}

/* ---- records ---- */

/* bytes a record of length @len takes in the stream */
static inline uint64_t ckpt_padded(uint64_t len)
{
	return (len + 7) & ~(uint64_t)7;
}

/* What makes a record header one that no image has. */
enum ckpt_record_fault {
	CKPT_RECORD_OK = 0,
	CKPT_RECORD_SHORT,	/* its len is below the header's own size */
	CKPT_RECORD_LONG,	/* its len is above CKPT_RECORD_MAX */
	CKPT_RECORD_UNKNOWN,	/* its type is none of the format's */
	CKPT_RECORD_CUT,	/* it runs past the end of the buffer */
};

/* What a record header must be before its length is trusted. */
static inline enum ckpt_record_fault
ckpt_record_check(const struct ckpt_hdr *h)
{
	if (h->len < sizeof(*h))
		return CKPT_RECORD_SHORT;
	if (h->len > CKPT_RECORD_MAX)
		return CKPT_RECORD_LONG;
	if (!ckpt_type_name(h->type))
		return CKPT_RECORD_UNKNOWN;
	return CKPT_RECORD_OK;
}

/*
 * A walk over the records of an image in memory:
 *
 *	struct ckpt_iter it;
 *	const struct ckpt_hdr *h;
 *
 *	ckpt_iter_init(&it, img, len);
 *	while ((h = ckpt_iter_next(&it)))
 *		... the record at it.off, h->len bytes and its padding ...
 *	if (it.fault)
 *		... the walk stopped at a bad record, at it.off ...
 */
struct ckpt_iter {
	const unsigned char *img;
	size_t len;
	size_t off;			/* the current record */
	size_t next;			/* the record after it */
	enum ckpt_record_fault fault;	/* why the walk stopped early */
};

static inline void ckpt_iter_init(struct ckpt_iter *it, const void *img,
				  size_t len)
{
	it->img = img;
	it->len = len;
	it->off = 0;
	it->next = 0;
	it->fault = CKPT_RECORD_OK;
}

/*
 * The next record, or NULL at the end of the buffer or at a record that
 * fails ckpt_record_check() or, padding included, does not fit in the
 * buffer (it.fault says which).  The buffer must be 8-byte aligned; the
 * record, all of it in the buffer, then is too.
 */
static inline const struct ckpt_hdr *ckpt_iter_next(struct ckpt_iter *it)
{
	const struct ckpt_hdr *h;

	it->off = it->next;
	if (it->fault || it->off >= it->len)
		return NULL;
	if (it->len - it->off < sizeof(*h)) {
		it->fault = CKPT_RECORD_CUT;
		return NULL;
	}
	h = (const struct ckpt_hdr *)(it->img + it->off);
	it->fault = ckpt_record_check(h);
	if (!it->fault && ckpt_padded(h->len) > it->len - it->off)
		it->fault = CKPT_RECORD_CUT;
	if (it->fault)
		return NULL;
	it->next = it->off + ckpt_padded(h->len);
	return h;
}

/* ---- the checksum (struct ckpt_hdr_tail) ---- */

struct ckpt_sum {
	uint64_t sum1;
	uint64_t sum2;
	uint64_t nbytes;
};

static inline void ckpt_sum_init(struct ckpt_sum *s)
{
	s->sum1 = 0;
	s->sum2 = 0;
	s->nbytes = 0;
}

/* a little-endian word of the image, wherever it is */
static inline uint64_t ckpt_le64(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * Add @len bytes to the checksum.  The image is summed as little-endian
 * 64-bit words; every record is padded to 8 bytes, so callers pass whole
 * padded records.  A @len that is not a multiple of 8 is summed as if
 * padded with zero bytes (and counted as its real length in nbytes).
 */
static inline void ckpt_sum_update(struct ckpt_sum *s, const void *buf,
				   size_t len)
{
	const unsigned char *p = buf;
	uint64_t s1 = s->sum1, s2 = s->sum2;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		s1 += ckpt_le64(p + i);
		s2 += s1;
	}
	if (i < len) {
		unsigned char last[8] = { 0 };

		memcpy(last, p + i, len - i);
		s1 += ckpt_le64(last);
		s2 += s1;
	}
	s->sum1 = s1;
	s->sum2 = s2;
	s->nbytes += len;
}

/*
 * Reseal an image edited in memory: make the checksum of the TAIL that
 * ends the @len bytes at @img fit the bytes before it again, so that a
 * reader gets past the checksum to the checks of what was edited.  Its
 * magic and nbytes stay as they are, since a test may have damaged
 * them on purpose.  Returns 0, or -1 if @len cannot hold a TAIL.
 */
static inline int ckpt_reseal(void *img, size_t len)
{
	unsigned char *p = img;
	struct ckpt_hdr_tail t;
	struct ckpt_sum s;

	if (len < sizeof(t))
		return -1;
	len -= sizeof(t);
	ckpt_sum_init(&s);
	ckpt_sum_update(&s, p, len);
	memcpy(&t, p + len, sizeof(t));
	t.sum1 = s.sum1;
	t.sum2 = s.sum2;
	memcpy(p + len, &t, sizeof(t));
	return 0;
}

#endif /* CKPT_IMAGE_H */
