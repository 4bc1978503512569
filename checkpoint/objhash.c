// SPDX-License-Identifier: GPL-2.0
/*
 * The object hash: shared kernel objects met during checkpoint are
 * written once and named by objref afterwards; restart maps objrefs back
 * to the objects it rebuilt.  Each kind's handlers are its own file's
 * const struct ckpt_obj_ops; obj_kinds.h lists them.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/slab.h>

#include "internal.h"

struct ckpt_obj {
	struct hlist_node by_ptr;
	struct hlist_node by_ref;
	enum ckpt_obj_type type;
	int objref;
	bool restored;		/* made by restart: ops.release frees it */
	bool busy;		/* its record is being written */
	void *ptr;
};

#define CKPT_OBJ_HASH_BITS	8

struct ckpt_obj_hash {
	DECLARE_HASHTABLE(by_ptr, CKPT_OBJ_HASH_BITS);
	DECLARE_HASHTABLE(by_ref, CKPT_OBJ_HASH_BITS);
	int next_objref;
	unsigned int count;
};

/* Upper bound on objects in one image, against hostile images. */
#define CKPT_OBJ_MAX_COUNT	BIT(20)

/* For kinds whose object a FILE already holds: nothing to take or drop. */
void ckpt_obj_noop(void *ptr)
{
}

/* Every kind, from its own file, at its own index (enum ckpt_obj_type). */
static const struct ckpt_obj_ops *const ckpt_obj_kinds[CKPT_OBJ_MAX] = {
#define CKPT_OBJ_KIND(type, ops) \
	[type] = &(ops),
#include "obj_kinds.h"
#undef CKPT_OBJ_KIND
};

/* The ops of a kind the code names (never the image): always listed. */
static const struct ckpt_obj_ops *ckpt_obj_kind_ops(enum ckpt_obj_type type)
{
	return ckpt_obj_kinds[type];
}

int ckpt_obj_hash_alloc(struct ckpt_ctx *ctx)
{
	struct ckpt_obj_hash *oh = kzalloc(sizeof(*oh), GFP_KERNEL);

	if (!oh)
		return -ENOMEM;
	hash_init(oh->by_ptr);
	hash_init(oh->by_ref);
	oh->next_objref = 1;
	ctx->objhash = oh;
	return 0;
}

void ckpt_obj_hash_free(struct ckpt_ctx *ctx)
{
	struct ckpt_obj_hash *oh = ctx->objhash;
	struct hlist_node *tmp;
	struct ckpt_obj *obj;
	int bkt;

	if (!oh)
		return;
	hash_for_each_safe(oh->by_ref, bkt, tmp, obj, by_ref) {
		if (obj->restored)
			ckpt_obj_kind_ops(obj->type)->release(obj->ptr);
		else
			ckpt_obj_kind_ops(obj->type)->drop(obj->ptr);
		kfree(obj);
	}
	kfree(oh);
	ctx->objhash = NULL;
}

/* Kinds may share a pointer: a timerfd's file is its FILE and its TIMERFD. */
static struct ckpt_obj *ckpt_obj_find_ptr(struct ckpt_obj_hash *oh, void *ptr,
					  enum ckpt_obj_type type)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(oh->by_ptr, obj, by_ptr, (unsigned long)ptr)
		if (obj->ptr == ptr && obj->type == type)
			return obj;
	return NULL;
}

static struct ckpt_obj *ckpt_obj_find_ref(struct ckpt_obj_hash *oh, int objref)
{
	struct ckpt_obj *obj;

	hash_for_each_possible(oh->by_ref, obj, by_ref, objref)
		if (obj->objref == objref)
			return obj;
	return NULL;
}

static struct ckpt_obj *ckpt_obj_add(struct ckpt_ctx *ctx,
				     enum ckpt_obj_type type, void *ptr,
				     int objref, bool restored)
{
	struct ckpt_obj_hash *oh = ctx->objhash;
	struct ckpt_obj *obj;

	if (oh->count >= CKPT_OBJ_MAX_COUNT)
		return ERR_PTR(ckpt_err(ctx, -E2BIG, "too many objects"));
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->type = type;
	obj->ptr = ptr;
	obj->objref = objref;
	obj->restored = restored;
	if (!restored)
		ckpt_obj_kind_ops(type)->grab(ptr);
	hash_add(oh->by_ptr, &obj->by_ptr, (unsigned long)ptr);
	hash_add(oh->by_ref, &obj->by_ref, objref);
	oh->count++;
	return obj;
}

/**
 * ckpt_obj_lookup - the objref of an object already in the image
 * @ctx: checkpoint context
 * @type: its kind
 * @ptr: the object
 *
 * Return: the objref, or 0 if the object was not met yet.
 */
int ckpt_obj_lookup(struct ckpt_ctx *ctx, enum ckpt_obj_type type, void *ptr)
{
	struct ckpt_obj *obj = ckpt_obj_find_ptr(ctx->objhash, ptr, type);

	return obj ? obj->objref : 0;
}

/**
 * ckpt_obj_checkpoint - name a shared object, writing it the first time
 * @ctx: checkpoint context
 * @type: its kind
 * @ptr: the object
 *
 * The first call for @ptr takes a reference (dropped when the context
 * goes away), assigns the next objref and, if the kind has a checkpoint
 * handler, writes the object's record.  Later calls only return the
 * objref, but not while that record is being written: an object that
 * leads back to itself (a socket passed in flight over itself, say)
 * would have restart meet the objref before its record.
 *
 * Return: the objref (> 0) or a negative errno (logged for a cycle).
 */
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, enum ckpt_obj_type type,
			void *ptr)
{
	struct ckpt_obj_hash *oh = ctx->objhash;
	struct ckpt_obj *obj;
	int err;

	obj = ckpt_obj_find_ptr(oh, ptr, type);
	if (obj && obj->busy)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"%s %d leads back to itself before its record is written",
				ckpt_obj_kind_ops(type)->name, obj->objref);
	if (obj)
		return obj->objref;
	obj = ckpt_obj_add(ctx, type, ptr, oh->next_objref++, false);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	if (ckpt_obj_kind_ops(type)->checkpoint) {
		obj->busy = true;
		err = ckpt_obj_kind_ops(type)->checkpoint(ctx, ptr,
							  obj->objref);
		obj->busy = false;
		if (err)
			return err;
	}
	return obj->objref;
}

/**
 * ckpt_obj_restore - rebuild an object from its record and name it
 * @ctx: restart context
 * @type: its kind
 * @rec: the record just read
 * @objref: the objref the record gives it
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_obj_restore(struct ckpt_ctx *ctx, enum ckpt_obj_type type,
		     void *rec, int objref)
{
	struct ckpt_obj *obj;
	void *ptr;

	if (objref <= 0 || ckpt_obj_find_ref(ctx->objhash, objref))
		return ckpt_err(ctx, -EBADMSG, "%s objref %d invalid or reused",
				ckpt_obj_kind_ops(type)->name, objref);
	ptr = ckpt_obj_kind_ops(type)->restore(ctx, rec);
	if (IS_ERR(ptr))
		return PTR_ERR(ptr);
	/* the hash owns what the restore handler made */
	obj = ckpt_obj_add(ctx, type, ptr, objref, true);
	if (IS_ERR(obj)) {
		ckpt_obj_kind_ops(type)->release(ptr);
		return PTR_ERR(obj);
	}
	return 0;
}

/**
 * ckpt_obj_restore_record - restore the object a record describes
 * @ctx: restart context
 * @rec: a record just read, of any type
 *
 * Object records carry their objref right after the header.
 *
 * Return: 0 if @rec was an object record and the object is restored,
 * 1 if @rec is no object record (nothing logged), or a negative errno
 * (logged): -ENOENT among them, when a file of the image is gone.
 */
int ckpt_obj_restore_record(struct ckpt_ctx *ctx, struct ckpt_hdr *rec)
{
	const struct ckpt_obj_ops *ops;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_obj_kinds); i++) {
		ops = ckpt_obj_kinds[i];
		if (!ops || !ops->restore || ops->hdr_type != rec->type)
			continue;
		if (rec->len < sizeof(*rec) + sizeof(u32))
			return ckpt_err(ctx, -EBADMSG, "%s record too short",
					ops->name);
		return ckpt_obj_restore(ctx, i, rec, *(u32 *)(rec + 1));
	}
	return 1;
}

/**
 * ckpt_read_after_objs - restore the object records before a record
 * @ctx: restart context
 * @type: the record that ends them
 * @len: its length
 *
 * Return: the record of @type (the caller frees it with kvfree()), or
 * an ERR_PTR (logged) if another kind of record comes first.
 */
void *ckpt_read_after_objs(struct ckpt_ctx *ctx, u32 type, u32 len)
{
	struct ckpt_hdr *rec;
	int err;

	for (;;) {
		rec = ckpt_read_record(ctx, CKPT_RECORD_MAX);
		if (IS_ERR(rec))
			return rec;
		if (rec->type == type && rec->len == len)
			return rec;
		err = ckpt_obj_restore_record(ctx, rec);
		kvfree(rec);
		if (err > 0)
			err = ckpt_err(ctx, -EBADMSG,
				       "expected a %s record or an object's",
				       ckpt_type_name(type));
		if (err)
			return ERR_PTR(err);
	}
}

/**
 * ckpt_obj_fetch - look up a restored object by objref
 * @ctx: restart context
 * @objref: from the image
 * @type: the kind the record expects
 *
 * Return: the object (the hash keeps the reference) or an ERR_PTR
 * (logged) if the objref is unknown or names another kind.
 */
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, int objref,
		     enum ckpt_obj_type type)
{
	struct ckpt_obj *obj = ckpt_obj_find_ref(ctx->objhash, objref);

	if (!obj || obj->type != type) {
		ckpt_err(ctx, -EBADMSG, "objref %d is not a known %s",
			 objref, ckpt_obj_kind_ops(type)->name);
		return ERR_PTR(-EBADMSG);
	}
	return obj->ptr;
}
