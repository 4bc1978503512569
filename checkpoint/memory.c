// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces: the mm layout, every VMA, and the contents of pages
 * that differ from what a fresh mapping would hold.  Pages move in
 * batches of up to CKPT_PAGES_BATCH, written with one vectored write.
 */
#include <linux/pkeys.h>
#include <linux/sched/coredump.h>
#include <linux/checkpoint_ipc.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pagewalk.h>
#include <linux/memcontrol.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/security.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include <linux/vmalloc.h>
#include <asm/vdso.h>

#include "internal.h"

/* what checkpoint needs of a VMA after the mmap lock is dropped */
struct ckpt_vma {
	unsigned long start, end, pgoff;
	u32 flags, kind, objref;
	int shmid;
	struct file *file;
};

/* a batch of pages on its way to the image */
/* Against hostile images, whatever vm.max_map_count says. */
#define CKPT_VMAS_MAX	BIT(20)

struct ckpt_pagebatch {
	struct page *pages[CKPT_PAGES_BATCH];
	u64 addr[CKPT_PAGES_BATCH];
	unsigned int nr;
	unsigned long resume;	/* where the page walk stopped */
	bool anon_only;		/* private mapping: file pages are not data */
	bool unsupported;	/* met a swapped or migrating page */
	bool shared;		/* holds pages others may write meanwhile */
};

static const char *ckpt_special_name(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name(vma);
	return NULL;
}

static u32 ckpt_vma_flags(struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	u32 r = 0;

	r |= f & VM_READ ? CKPT_VMA_READ : 0;
	r |= f & VM_WRITE ? CKPT_VMA_WRITE : 0;
	r |= f & VM_EXEC ? CKPT_VMA_EXEC : 0;
	r |= f & VM_SHARED ? CKPT_VMA_SHARED : 0;
	r |= f & VM_MAYWRITE ? CKPT_VMA_MAYWRITE : 0;
	r |= f & VM_GROWSDOWN ? CKPT_VMA_GROWSDOWN : 0;
	r |= f & VM_NORESERVE ? CKPT_VMA_NORESERVE : 0;
	r |= f & VM_DONTCOPY ? CKPT_VMA_DONTFORK : 0;
	r |= f & VM_DONTDUMP ? CKPT_VMA_DONTDUMP : 0;
	r |= f & VM_WIPEONFORK ? CKPT_VMA_WIPEONFORK : 0;
	r |= f & VM_SEQ_READ ? CKPT_VMA_SEQ_READ : 0;
	r |= f & VM_RAND_READ ? CKPT_VMA_RAND_READ : 0;
	r |= f & VM_ACCOUNT ? CKPT_VMA_ACCOUNT : 0;
	return r;
}

/*
 * MAP_SHARED | MAP_ANONYMOUS memory: a shmem file on the kernel's mount
 * that nothing else names.  A memfd or an unlinked tmpfs file mapped
 * has the same vm_ops (shmem picks them by the link count) but is a file
 * of its own in the image.
 */
static bool ckpt_vma_anon_shared(struct vm_area_struct *vma)
{
	return vma_is_anon_shmem(vma) &&
	       vma->vm_file->f_path.mnt->mnt_flags & MNT_INTERNAL &&
	       !ckpt_is_memfd(vma->vm_file);
}

/* The id of the SysV segment @vma attaches (shmat(2)), or -ENOENT. */
static int ckpt_vma_shmid(struct vm_area_struct *vma, struct ipc_namespace **ns)
{
#ifdef CONFIG_SYSVIPC
	if (vma->vm_file)
		return ipc_ckpt_shm_id(vma->vm_file, ns);
#endif
	return -ENOENT;
}

#ifndef VM_SEALED
#define VM_SEALED	VM_NONE
#endif

/* State a mapping can carry that the image does not: refused, not lost. */
static const struct {
	unsigned long flag;
	const char *what;
} ckpt_vma_unsaved[] = {
	{ VM_SEALED, "sealed (mseal)" },
	{ VM_DROPPABLE, "droppable (MAP_DROPPABLE)" },
	{ VM_SHADOW_STACK, "a CET shadow stack" },
	{ VM_HUGEPAGE | VM_NOHUGEPAGE, "advised MADV_HUGEPAGE or MADV_NOHUGEPAGE" },
	{ VM_MERGEABLE, "advised MADV_MERGEABLE (KSM)" },
	{ VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR,
	  "registered with userfaultfd" },
};

/* Can checkpoint take this mapping?  @why says why not. */
static int ckpt_vma_check(struct vm_area_struct *vma, char *why, size_t len)
{
	const char *name = ckpt_special_name(vma);
	struct ipc_namespace *ns;
	int i;

	for (i = 0; i < ARRAY_SIZE(ckpt_vma_unsaved); i++) {
		if (!(vma->vm_flags & ckpt_vma_unsaved[i].flag))
			continue;
		snprintf(why, len,
			 "mapping %#lx-%#lx is %s, which checkpoint does not save",
			 vma->vm_start, vma->vm_end, ckpt_vma_unsaved[i].what);
		return -EOPNOTSUPP;
	}
	if (vma_pkey(vma)) {
		snprintf(why, len,
			 "mapping %#lx-%#lx has protection key %d, which checkpoint does not save",
			 vma->vm_start, vma->vm_end, vma_pkey(vma));
		return -EOPNOTSUPP;
	}

	if (name && (!strcmp(name, "[vdso]") || !strcmp(name, "[vvar]")))
		return 0;
	if (name || vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP |
				     VM_HUGETLB)) {
		snprintf(why, len, "mapping %#lx-%#lx (%s) is not supported",
			 vma->vm_start, vma->vm_end,
			 name ?: "device or hugetlb memory");
		return -EOPNOTSUPP;
	}
	if (vma->vm_flags & VM_LOCKED) {
		snprintf(why, len, "mlocked mapping %#lx-%#lx is not supported yet",
			 vma->vm_start, vma->vm_end);
		return -EOPNOTSUPP;
	}
	if (ckpt_vma_shmid(vma, &ns) >= 0) {
		/* shmat(2) attaches a whole segment, and restart does */
		if (vma->vm_pgoff || vma->vm_end - vma->vm_start !=
		    PAGE_ALIGN(i_size_read(file_inode(vma->vm_file)))) {
			snprintf(why, len, "mapping %#lx-%#lx is part of a SysV segment",
				 vma->vm_start, vma->vm_end);
			return -EOPNOTSUPP;
		}
		return 0;
	}
	if (vma->vm_file && !ckpt_vma_anon_shared(vma) &&
	    !S_ISREG(file_inode(vma->vm_file)->i_mode)) {
		snprintf(why, len, "mapping %#lx-%#lx of a non-regular file",
			 vma->vm_start, vma->vm_end);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int ckpt_classify_vma(struct ckpt_ctx *ctx, struct vm_area_struct *vma,
			     struct ckpt_vma *v)
{
	const char *name = ckpt_special_name(vma);
	struct ipc_namespace *ns;
	char why[128];
	int err;

	err = ckpt_vma_check(vma, why, sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "%s", why);
	v->start = vma->vm_start;
	v->end = vma->vm_end;
	v->pgoff = vma->vm_pgoff;
	v->flags = ckpt_vma_flags(vma);
	v->file = NULL;
	v->shmid = ckpt_vma_shmid(vma, &ns);
	if (v->shmid >= 0 && ns != ctx->ipc_ns)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"mapping %#lx-%#lx attaches SysV segment %d of an IPC namespace the tree does not have of its own",
				vma->vm_start, vma->vm_end, v->shmid);
	if (v->shmid >= 0)
		v->kind = CKPT_VMA_SYSVSHM;
	else if (name && !strcmp(name, "[vdso]"))
		v->kind = CKPT_VMA_VDSO;
	else if (name)
		v->kind = CKPT_VMA_VVAR;
	else if (!vma->vm_file)
		v->kind = CKPT_VMA_ANON;
	else if (ckpt_vma_anon_shared(vma))
		v->kind = CKPT_VMA_SHMEM;
	else
		v->kind = CKPT_VMA_FILE;
	if (vma->vm_file)
		v->file = get_file(vma->vm_file);
	return 0;
}

/* The address space's own state, beyond its mappings: saved or refused. */
static int ckpt_mm_check(struct mm_struct *mm, char *why, size_t len)
{
	if (get_dumpable(mm) == SUID_DUMP_ROOT) {
		snprintf(why, len,
			 "the process dumps core for root only (fs.suid_dumpable 2), which restart cannot set");
		return -EOPNOTSUPP;
	}
	if (mm->def_flags & VM_LOCKED) {
		snprintf(why, len,
			 "mlockall(MCL_FUTURE) is in force, which checkpoint does not save");
		return -EOPNOTSUPP;
	}
	/* restart would lift the W^X policy */
	if (test_bit(MMF_HAS_MDWE, &mm->flags)) {
		snprintf(why, len,
			 "memory-deny-write-execute (PR_SET_MDWE) is in force, which checkpoint does not save");
		return -EOPNOTSUPP;
	}
	if (test_bit(MMF_VM_MERGE_ANY, &mm->flags)) {
		snprintf(why, len,
			 "KSM merges all its memory (PR_SET_MEMORY_MERGE), which checkpoint does not save");
		return -EOPNOTSUPP;
	}
#ifdef CONFIG_MEMBARRIER
	if (atomic_read(&mm->membarrier_state)) {
		snprintf(why, len, "membarrier(2) registrations are not saved");
		return -EOPNOTSUPP;
	}
#endif
	return ckpt_arch_mm_check(mm, why, len);
}

/**
 * ckpt_mm_checkpointable - would checkpoint take a task's memory?
 * @t: the task
 * @why: filled with a short reason when it would not
 * @len: size of @why
 *
 * The mapping checks of checkpoint, and the file checks for mapped files.
 *
 * Return: 0 or the errno checkpoint would fail with.
 */
int ckpt_mm_checkpointable(struct task_struct *t, char *why, size_t len)
{
	struct ipc_namespace *ns;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	int err = 0;

	mm = get_task_mm(t);
	if (!mm) {
		snprintf(why, len, "the task is exiting");
		return -ESRCH;
	}
	mmap_read_lock(mm);
	err = ckpt_mm_check(mm, why, len);
	if (!err) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			err = ckpt_vma_check(vma, why, len);
			if (!err && vma->vm_file && !ckpt_vma_anon_shared(vma) &&
			    ckpt_vma_shmid(vma, &ns) < 0)
				err = ckpt_file_supported(vma->vm_file, why, len);
			if (err)
				break;
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return err;
}

static void ckpt_vmas_free(struct ckpt_vma *vmas, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (vmas[i].file)
			fput(vmas[i].file);
	kvfree(vmas);
}

static int ckpt_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	struct ckpt_pagebatch *b = walk->private;
	pte_t ptent = ptep_get(pte);
	struct page *page;

	if (!pte_present(ptent)) {
		if (!pte_none(ptent)) {
			b->unsupported = true;
			return -EOPNOTSUPP;
		}
		return 0;
	}
	page = vm_normal_page(walk->vma, addr, ptent);
	if (!page || (b->anon_only && !PageAnon(page)))
		return 0;
	get_page(page);
	b->pages[b->nr] = page;
	b->addr[b->nr] = addr;
	if (++b->nr == CKPT_PAGES_BATCH) {
		b->resume = next;
		return 1;
	}
	return 0;
}

static const struct mm_walk_ops ckpt_walk_ops = {
	.pte_entry = ckpt_pte_entry,
	.walk_lock = PGWALK_RDLOCK,
};

/* Write the batch's non-zero pages as one PAGES record. */
static int ckpt_flush_pages(struct ckpt_ctx *ctx, struct ckpt_pagebatch *b)
{
	struct ckpt_hdr_pages *h;
	unsigned int i, n = 0;
	bool shared;
	u32 hlen;
	int err = 0;

	for (i = 0; i < b->nr; i++) {
		void *p = kmap_local_page(b->pages[i]);
		bool zero = !memchr_inv(p, 0, PAGE_SIZE);

		kunmap_local(p);
		if (zero) {
			put_page(b->pages[i]);
			continue;
		}
		b->pages[n] = b->pages[i];
		b->addr[n] = b->addr[i];
		n++;
	}
	b->nr = 0;
	shared = b->shared;
	b->shared = false;
	if (!n)
		return 0;
	hlen = sizeof(*h) + n * sizeof(u64);
	h = kmalloc(hlen, GFP_KERNEL);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->h.type = CKPT_HDR_PAGES;
	h->h.len = hlen + n * PAGE_SIZE;
	h->nr_pages = n;
	h->_pad = 0;
	memcpy(h->addr, b->addr, n * sizeof(u64));
	err = ckpt_write(ctx, h, hlen);
	kfree(h);
	if (!err)
		err = ckpt_write_pages(ctx, b->pages, n, shared);
out:
	for (i = 0; i < n; i++)
		put_page(b->pages[i]);
	return err;
}

static int ckpt_dump_private(struct ckpt_ctx *ctx, struct mm_struct *mm,
			     struct ckpt_vma *v, struct ckpt_pagebatch *b)
{
	unsigned long addr = v->start;
	int ret;

	b->anon_only = true;
	while (addr < v->end) {
		b->resume = v->end;
		mmap_read_lock(mm);
		ret = walk_page_range(mm, addr, v->end, &ckpt_walk_ops, b);
		mmap_read_unlock(mm);
		if (ret < 0) {
			if (b->unsupported)
				return ckpt_err(ctx, ret,
						"mapping %#lx-%#lx has swapped-out pages",
						v->start, v->end);
			return ckpt_err(ctx, ret, "reading mapping %#lx-%#lx",
					v->start, v->end);
		}
		addr = b->resume;
		if (b->nr == CKPT_PAGES_BATCH) {
			ret = ckpt_flush_pages(ctx, b);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Add the pages of the shmem @mapping at indices @first..@last to @b,
 * page @first at address @base, flushing full batches.  Holes, and
 * folios fallocate() left !uptodate (not zeroed), are skipped.
 */
static int ckpt_batch_shmem(struct ckpt_ctx *ctx, struct ckpt_pagebatch *b,
			    struct address_space *mapping, pgoff_t first,
			    pgoff_t last, u64 base)
{
	struct folio_batch fbatch;
	pgoff_t index = first;
	unsigned int i, j;
	int err = 0;

	/* the page cache walk does not see swapped-out pages */
	if (READ_ONCE(SHMEM_I(mapping->host)->swapped))
		return ckpt_err(ctx, -EOPNOTSUPP,
				"shared memory with swapped-out pages");
	folio_batch_init(&fbatch);
	while (!err && filemap_get_folios(mapping, &index, last, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch) && !err; i++) {
			struct folio *folio = fbatch.folios[i];

			if (!folio_test_uptodate(folio))
				continue;
			for (j = 0; j < folio_nr_pages(folio) && !err; j++) {
				pgoff_t idx = folio->index + j;

				if (idx < first)
					continue;
				if (idx > last)
					break;
				b->pages[b->nr] = folio_page(folio, j);
				get_page(b->pages[b->nr]);
				b->addr[b->nr] = base +
						 ((u64)(idx - first) << PAGE_SHIFT);
				b->shared = true;
				if (++b->nr == CKPT_PAGES_BATCH)
					err = ckpt_flush_pages(ctx, b);
			}
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
	return err;
}

/*
 * The next PAGES record's header and page addresses (CKPT_PAGES_BATCH
 * room in @addr); its pages are the caller's to read.
 */
static int ckpt_read_pages_head(struct ckpt_ctx *ctx, struct ckpt_hdr_pages *h,
				u64 *addr)
{
	int err = ckpt_read(ctx, h, sizeof(*h));

	if (err)
		return err;
	if (h->h.type != CKPT_HDR_PAGES || h->nr_pages > CKPT_PAGES_BATCH ||
	    h->_pad || h->h.len != sizeof(*h) + h->nr_pages *
	    (sizeof(u64) + PAGE_SIZE))
		return ckpt_err(ctx, -EBADMSG,
				"bad page batch (type %u, %u pages, length %u)",
				h->h.type, h->nr_pages, h->h.len);
	return ckpt_read(ctx, addr, h->nr_pages * sizeof(u64));
}

/**
 * ckpt_dump_mapping - write the pages of a memory file
 * @ctx: checkpoint context
 * @mapping: the file's page cache (shmem)
 * @size: the file's size
 *
 * The pages present below @size go out as PAGES records whose addresses
 * are file offsets, holes and zero pages left out, then a PAGES record of
 * no pages.  Others may write the file meanwhile: the pages are copied.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_dump_mapping(struct ckpt_ctx *ctx, struct address_space *mapping,
		      loff_t size)
{
	struct ckpt_hdr_pages end = {};
	struct ckpt_pagebatch *b;
	unsigned int i;
	int err = 0;

	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	if (size > 0)
		err = ckpt_batch_shmem(ctx, b, mapping, 0,
				       (size - 1) >> PAGE_SHIFT, 0);
	if (!err && b->nr)
		err = ckpt_flush_pages(ctx, b);
	for (i = 0; i < b->nr; i++)
		put_page(b->pages[i]);
	kvfree(b);
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_PAGES, &end, sizeof(end));
	return err;
}

/**
 * restore_file_contents - fill a new memory file from PAGES records
 * @ctx: restart context
 * @file: the file, empty, open for writing
 * @size: its size, from a checked record
 *
 * Reads PAGES records whose addresses are file offsets up to the one of
 * no pages, and writes each page at its offset.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_file_contents(struct ckpt_ctx *ctx, struct file *file,
			  loff_t size)
{
	struct ckpt_hdr_pages h;
	u64 *addr, next = 0;
	loff_t pos;
	ssize_t n;
	int err;
	u32 i;

	addr = kvmalloc_array(CKPT_PAGES_BATCH, sizeof(u64), GFP_KERNEL);
	if (!addr)
		return -ENOMEM;
	if (!ctx->pagebuf)
		ctx->pagebuf = kvmalloc(CKPT_PAGES_BATCH * PAGE_SIZE, GFP_KERNEL);
	if (!ctx->pagebuf) {
		kvfree(addr);
		return -ENOMEM;
	}
	for (;;) {
		err = ckpt_read_pages_head(ctx, &h, addr);
		if (err || !h.nr_pages)
			break;
		for (i = 0; i < h.nr_pages && !err; i++) {
			if (!PAGE_ALIGNED(addr[i]) || addr[i] < next ||
			    addr[i] >= size)
				err = ckpt_err(ctx, -EBADMSG,
					       "file page %#llx out of order or beyond the size",
					       addr[i]);
			next = addr[i] + PAGE_SIZE;
		}
		if (!err)
			err = ckpt_read(ctx, ctx->pagebuf,
					(size_t)h.nr_pages * PAGE_SIZE);
		for (i = 0; i < h.nr_pages && !err; i++) {
			pos = addr[i];
			n = kernel_write(file, ctx->pagebuf + i * PAGE_SIZE,
					 min_t(u64, PAGE_SIZE, size - addr[i]),
					 &pos);
			if (n < 0)
				err = ckpt_err(ctx, n, "writing a file's page %#llx",
					       addr[i]);
		}
		if (err)
			break;
		cond_resched();
	}
	kvfree(addr);
	return err;
}

static int checkpoint_vma_pages(struct ckpt_ctx *ctx, struct mm_struct *mm,
				struct ckpt_vma *vmas, int nr)
{
	struct ckpt_hdr_pages end = {};
	struct ckpt_pagebatch *b;
	int i, err = 0;

	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < nr && !err; i++) {
		struct ckpt_vma *v = &vmas[i];

		/* shared memory went out with its object */
		if (v->kind == CKPT_VMA_ANON ||
		    (v->kind == CKPT_VMA_FILE && !(v->flags & CKPT_VMA_SHARED)))
			err = ckpt_dump_private(ctx, mm, v, b);
	}
	if (!err)
		err = ckpt_flush_pages(ctx, b);
	else
		while (b->nr)
			put_page(b->pages[--b->nr]);
	kvfree(b);
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_PAGES, &end, sizeof(end));
	return err;
}

static int checkpoint_mm_record(struct ckpt_ctx *ctx, struct mm_struct *mm,
				int objref, int exe_objref, int nr_vmas)
{
	struct ckpt_hdr_mm *h;
	int err, n;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->objref = objref;
	h->nr_vmas = nr_vmas;
	h->exe_objref = exe_objref;
	mmap_read_lock(mm);
	h->start_code = mm->start_code;
	h->end_code = mm->end_code;
	h->start_data = mm->start_data;
	h->end_data = mm->end_data;
	h->start_brk = mm->start_brk;
	h->brk = mm->brk;
	h->start_stack = mm->start_stack;
	spin_lock(&mm->arg_lock);
	h->arg_start = mm->arg_start;
	h->arg_end = mm->arg_end;
	h->env_start = mm->env_start;
	h->env_end = mm->env_end;
	spin_unlock(&mm->arg_lock);
	h->vdso = (unsigned long)mm->context.vdso;
	mmap_read_unlock(mm);
	BUILD_BUG_ON(AT_VECTOR_SIZE > CKPT_AUXV_WORDS);
	for (n = 0; n < AT_VECTOR_SIZE - 1; n += 2) {
		h->auxv[n] = mm->saved_auxv[n];
		h->auxv[n + 1] = mm->saved_auxv[n + 1];
		if (mm->saved_auxv[n] == AT_NULL)
			break;
	}
	h->nr_auxv = n + 2;
	h->dumpable = get_dumpable(mm);
	if (test_bit(MMF_DISABLE_THP, &mm->flags))
		h->flags |= CKPT_MM_THP_DISABLE;
	err = ckpt_write_obj(ctx, CKPT_HDR_MM, h, sizeof(*h));
	kfree(h);
	return err;
}

/**
 * checkpoint_mm - write a task's address space
 * @ctx: checkpoint context
 * @t: the task
 *
 * Writes the FILE records of the mapped files and the executable, the
 * MM record, one VMA record per mapping, then the page batches.
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_mm(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct mm_struct *mm = get_task_mm(t);
	struct ckpt_vma *vmas = NULL;
	struct vm_area_struct *vma;
	struct file *exe;
	int nr = 0, i, objref, exe_objref = 0, err = 0;

	/* a user task loses its mm only when it exits */
	if (!mm)
		return ckpt_task_gone(ctx);
	objref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_MM, mm);
	if (objref < 0) {
		err = objref;
		goto out;
	}

	mmap_read_lock(mm);
	{
		char why[160];

		err = ckpt_mm_check(mm, why, sizeof(why));
		if (err) {
			mmap_read_unlock(mm);
			ckpt_err(ctx, err, "%s", why);
			goto out;
		}
	}
	vmas = kvcalloc(mm->map_count, sizeof(*vmas), GFP_KERNEL);
	if (!vmas) {
		mmap_read_unlock(mm);
		err = -ENOMEM;
		goto out;
	}
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (nr == mm->map_count)
				break;
			err = ckpt_classify_vma(ctx, vma, &vmas[nr]);
			if (err)
				break;
			nr++;
		}
	}
	mmap_read_unlock(mm);
	if (err)
		goto out;

	exe = get_mm_exe_file(mm);
	if (exe) {
		exe_objref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE, exe);
		fput(exe);
		if (exe_objref < 0) {
			err = exe_objref;
			goto out;
		}
	}
	for (i = 0; i < nr; i++) {
		if (vmas[i].kind == CKPT_VMA_SHMEM)
			err = ckpt_obj_checkpoint(ctx, CKPT_OBJ_SHMEM,
						  file_inode(vmas[i].file));
		else if (vmas[i].kind == CKPT_VMA_FILE)
			err = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE,
						  vmas[i].file);
		else
			continue;
		if (err < 0)
			goto out;
		vmas[i].objref = err;
		err = 0;
	}

	err = checkpoint_mm_record(ctx, mm, objref, exe_objref, nr);
	for (i = 0; i < nr && !err; i++) {
		struct ckpt_hdr_vma h = {};

		h.start = vmas[i].start;
		h.end = vmas[i].end;
		h.pgoff = vmas[i].pgoff;
		h.flags = vmas[i].flags;
		h.kind = vmas[i].kind;
		h.file_objref = vmas[i].objref;
		h.shmid = max(vmas[i].shmid, 0);
		err = ckpt_write_obj(ctx, CKPT_HDR_VMA, &h, sizeof(h));
	}
	if (!err)
		err = checkpoint_vma_pages(ctx, mm, vmas, nr);
out:
	if (vmas)
		ckpt_vmas_free(vmas, nr);
	mmput(mm);
	return err;
}

/* restart */

struct ckpt_mm_state {
	struct ckpt_hdr_mm *mm;
	struct ckpt_hdr_vma *vmas;
	struct file **files;
	struct file *exe;
	u32 nr;
};

/**
 * restore_mm_commit - give the restored address space its dumpable mode
 * @ctx: restart context, after the task's credentials are committed
 *
 * commit_creds() resets it when the ids change; 0 (not dumpable) only
 * restricts, and 1 is what the restored ids would have after an exec.
 *
 * Return: 0.
 */
int restore_mm_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_mm_state *ms = ctx->ts->mm;

	if (ms && ms->mm)
		set_dumpable(current->mm, ms->mm->dumpable);
	return 0;
}

void restore_mm_free(struct ckpt_task_state *ts)
{
	struct ckpt_mm_state *ms = ts->mm;

	if (!ms)
		return;
	kvfree(ms->mm);
	kvfree(ms->vmas);
	kvfree(ms->files);
	kfree(ms);
	ts->mm = NULL;
}

static bool ckpt_range_ok(u64 start, u64 end)
{
	return start <= end && end <= TASK_SIZE;
}

static int restore_mm_check(struct ckpt_ctx *ctx, struct ckpt_hdr_mm *h)
{
	if (!ckpt_range_ok(h->start_code, h->end_code) ||
	    !ckpt_range_ok(h->start_data, h->end_data) ||
	    !ckpt_range_ok(h->start_brk, h->brk) ||
	    !ckpt_range_ok(h->arg_start, h->arg_end) ||
	    !ckpt_range_ok(h->env_start, h->env_end) ||
	    h->start_stack >= TASK_SIZE || h->vdso >= TASK_SIZE)
		return ckpt_err(ctx, -EBADMSG, "mm layout out of range");
	if (h->objref <= 0 || h->nr_auxv > AT_VECTOR_SIZE ||
	    h->dumpable > SUID_DUMP_USER || h->flags & ~CKPT_MM_FLAGS ||
	    h->nr_auxv < 2 || h->nr_auxv % 2 ||
	    h->auxv[h->nr_auxv - 2] != AT_NULL ||
	    memchr_inv(&h->auxv[h->nr_auxv], 0,
		       (CKPT_AUXV_WORDS - h->nr_auxv) * sizeof(u64)))
		return ckpt_err(ctx, -EBADMSG, "mm record malformed");
	if (h->nr_vmas > min_t(u32, READ_ONCE(sysctl_max_map_count),
			       CKPT_VMAS_MAX))
		return ckpt_err(ctx, -EBADMSG, "%u mappings exceed vm.max_map_count",
				h->nr_vmas);
	/* as prctl(PR_SET_MM_MAP) validates the same fields */
	if (min3(min3(h->start_code, h->start_data, h->start_brk),
		 min3(h->arg_start, h->env_start, h->start_stack),
		 h->start_code) < mmap_min_addr)
		return ckpt_err(ctx, -EPERM, "mm layout below mmap_min_addr");
	if (check_data_rlimit(ctx->ts->rlim[RLIMIT_DATA].rlim_cur, h->brk,
			      h->start_brk, h->end_data, h->start_data))
		return ckpt_err(ctx, -EINVAL,
				"heap and data (%llu bytes) exceed RLIMIT_DATA",
				h->brk - h->start_brk + h->end_data -
				h->start_data);
	return 0;
}

static int restore_vma_check(struct ckpt_ctx *ctx, struct ckpt_mm_state *ms,
			     u32 i, u64 prev_end)
{
	const struct vdso_image *image = &vdso_image_64;
	struct ckpt_hdr_vma *v = &ms->vmas[i];
	struct file *file;
	bool shared;
	int err;

	if (v->start >= v->end || v->end > TASK_SIZE ||
	    !PAGE_ALIGNED(v->start) || !PAGE_ALIGNED(v->end) ||
	    v->start < prev_end || v->flags & ~CKPT_VMA_FLAGS_ALL ||
	    (v->shmid && v->kind != CKPT_VMA_SYSVSHM) ||
	    v->pgoff > (ULONG_MAX >> PAGE_SHIFT) -
	    ((v->end - v->start) >> PAGE_SHIFT))
		return ckpt_err(ctx, -EBADMSG, "VMA %u malformed", i);
	err = security_mmap_addr(v->start);
	if (err)
		return ckpt_err(ctx, err, "VMA %u at %#llx below mmap_min_addr",
				i, v->start);
	shared = v->flags & CKPT_VMA_SHARED;
	switch (v->kind) {
	case CKPT_VMA_ANON:
		if (v->file_objref || shared)
			return ckpt_err(ctx, -EBADMSG,
					"VMA %u: stray file or sharing", i);
		return 0;
	case CKPT_VMA_SHMEM:
		file = ckpt_obj_fetch(ctx, v->file_objref, CKPT_OBJ_SHMEM);
		if (IS_ERR(file))
			return PTR_ERR(file);
		/* mremap() may have grown it past the object: SIGBUS there */
		if (!shared)
			return ckpt_err(ctx, -EBADMSG,
					"VMA %u: shared memory not shared", i);
		ms->files[i] = file;
		return 0;
	case CKPT_VMA_SYSVSHM:
		/* a read-only attach is no VM_SHARED mapping */
		if (v->file_objref || v->pgoff || v->shmid < 0 ||
		    !(ctx->ns_flags & CKPT_TREE_NEWIPC))
			return ckpt_err(ctx, -EBADMSG,
					"VMA %u: bad SysV attach (or no IPC namespace in the image)",
					i);
		return 0;
	case CKPT_VMA_FILE:
		file = ckpt_obj_fetch(ctx, v->file_objref, CKPT_OBJ_FILE);
		if (IS_ERR(file))
			return PTR_ERR(file);
		if (!S_ISREG(file_inode(file)->i_mode) ||
		    !(file->f_mode & FMODE_READ))
			return ckpt_err(ctx, -EBADMSG,
					"VMA %u maps a file not open for reading", i);
		if ((v->flags & CKPT_VMA_SHARED) &&
		    (v->flags & (CKPT_VMA_WRITE | CKPT_VMA_MAYWRITE)) &&
		    !(file->f_mode & FMODE_WRITE))
			return ckpt_err(ctx, -EACCES,
					"VMA %u: shared writable mapping of a read-only file",
					i);
		ms->files[i] = file;
		return 0;
	case CKPT_VMA_VDSO:
		/* mapped with its vvar, which must come right before */
		if (v->end - v->start != image->size ||
		    v->start != ms->mm->vdso || !i ||
		    ms->vmas[i - 1].kind != CKPT_VMA_VVAR)
			return ckpt_err(ctx, -EBADMSG, "VMA %u: bad vDSO", i);
		return 0;
	case CKPT_VMA_VVAR:
		if (v->end - v->start != -image->sym_vvar_start ||
		    v->end != ms->mm->vdso)
			return ckpt_err(ctx, -EBADMSG, "VMA %u: bad vvar", i);
		return 0;
	}
	return ckpt_err(ctx, -EBADMSG, "VMA %u: unknown kind %u", i, v->kind);
}

/* Read the MM and VMA records (with the FILE records they need). */
static int restore_mm_read(struct ckpt_ctx *ctx, struct ckpt_mm_state *ms)
{
	struct ckpt_hdr *rec;
	u64 prev_end = 0;
	u32 i;
	int err;

	for (;;) {
		rec = ckpt_read_record(ctx, sizeof(struct ckpt_hdr_file) +
				       CKPT_PATH_MAX);
		if (IS_ERR(rec))
			return PTR_ERR(rec);
		if (rec->type == CKPT_HDR_MM)
			break;
		err = ckpt_obj_restore_record(ctx, rec);
		if (err > 0)
			err = ckpt_err(ctx, -EBADMSG,
				       "expected MM record, found type %u",
				       rec->type);
		kvfree(rec);
		if (err)
			return err;
	}
	ms->mm = (struct ckpt_hdr_mm *)rec;
	if (rec->len != sizeof(*ms->mm))
		return ckpt_err(ctx, -EBADMSG, "MM record length %u", rec->len);
	err = restore_mm_check(ctx, ms->mm);
	if (err)
		return err;
	if (ms->mm->exe_objref) {
		ms->exe = ckpt_obj_fetch(ctx, ms->mm->exe_objref,
					 CKPT_OBJ_FILE);
		if (IS_ERR(ms->exe))
			return PTR_ERR(ms->exe);
		if (!S_ISREG(file_inode(ms->exe)->i_mode))
			return ckpt_err(ctx, -EBADMSG,
					"executable is not a regular file");
		/* as prctl(PR_SET_MM_EXE_FILE): a file we may execute */
		if (!(ms->exe->f_mode & FMODE_READ) ||
		    path_noexec(&ms->exe->f_path) ||
		    file_permission(ms->exe, MAY_EXEC))
			return ckpt_err(ctx, -EACCES,
					"the executable may not be executed");
	}
	ms->nr = ms->mm->nr_vmas;
	ms->vmas = kvcalloc(ms->nr, sizeof(*ms->vmas),
			    GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	ms->files = kvcalloc(ms->nr, sizeof(*ms->files),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!ms->vmas || !ms->files)
		return -ENOMEM;
	for (i = 0; i < ms->nr; i++) {
		struct ckpt_hdr_vma *v;

		v = ckpt_read_obj_fixed(ctx, CKPT_HDR_VMA, sizeof(*v));
		if (IS_ERR(v))
			return PTR_ERR(v);
		ms->vmas[i] = *v;
		kvfree(v);
		err = restore_vma_check(ctx, ms, i, prev_end);
		if (err)
			return err;
		prev_end = ms->vmas[i].end;
	}
	return 0;
}

static unsigned long ckpt_prot(u32 flags)
{
	return (flags & CKPT_VMA_READ ? PROT_READ : 0) |
	       (flags & CKPT_VMA_WRITE ? PROT_WRITE : 0) |
	       (flags & CKPT_VMA_EXEC ? PROT_EXEC : 0);
}

static int restore_vma_advice(struct mm_struct *mm, struct ckpt_hdr_vma *v)
{
	static const struct { u32 flag; int advice; } adv[] = {
		{ CKPT_VMA_DONTFORK, MADV_DONTFORK },
		{ CKPT_VMA_DONTDUMP, MADV_DONTDUMP },
		{ CKPT_VMA_WIPEONFORK, MADV_WIPEONFORK },
		{ CKPT_VMA_SEQ_READ, MADV_SEQUENTIAL },
		{ CKPT_VMA_RAND_READ, MADV_RANDOM },
	};
	int i, err;

	for (i = 0; i < ARRAY_SIZE(adv); i++) {
		if (!(v->flags & adv[i].flag))
			continue;
		err = do_madvise(mm, v->start, v->end - v->start,
				 adv[i].advice);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Make the just mapped [start, end) one VMA of its own, as it was: the
 * kernel merges a new mapping into a compatible predecessor which, in
 * the checkpointed process, stayed apart for reasons the image does not
 * carry (a different anon_vma after fork, say).  Unless @prot is -1,
 * give it that protection with mprotect(2)'s own checks (a VMA that
 * stays charged to the commit limit loses PROT_WRITE so).
 */
static int restore_vma_isolate(unsigned long start, unsigned long end,
			       long prot)
{
	struct mm_struct *mm = current->mm;
	int err;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	err = vma_split_off(mm, start, end);
	mmap_write_unlock(mm);
	if (!err && prot >= 0)
		err = do_mprotect_pkey(start, end - start, prot, -1);
	return err;
}

/*
 * Attach the SysV segment again with shmat(2)'s access (read-only or
 * read-write), then give it its protection as mprotect(2) would.
 */
static int restore_vma_sysvshm(struct ckpt_ctx *ctx, struct ckpt_hdr_vma *v)
{
	bool rdonly = !(v->flags & CKPT_VMA_MAYWRITE);
	unsigned long prot = ckpt_prot(v->flags);
	int shmflg = rdonly ? SHM_RDONLY : 0;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long addr;
	long err;

	err = do_shmat(v->shmid, (char __user *)(unsigned long)v->start,
		       shmflg, &addr, SHMLBA);
	if (err)
		return ckpt_err(ctx, err, "attaching SysV segment %d at %#llx",
				v->shmid, v->start);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, v->start);
	err = vma && vma->vm_start == v->start && vma->vm_end == v->end ?
	      0 : -EINVAL;
	mmap_read_unlock(mm);
	if (err)
		return ckpt_err(ctx, err, "SysV segment %d does not fit %#llx-%#llx",
				v->shmid, v->start, v->end);
	if (prot != (rdonly ? PROT_READ : PROT_READ | PROT_WRITE))
		err = restore_vma_isolate(v->start, v->end, prot);
	if (!err)
		err = restore_vma_advice(mm, v);
	if (err)
		return ckpt_err(ctx, err, "SysV attach at %#llx", v->start);
	return 0;
}

static int restore_vma_map(struct ckpt_ctx *ctx, struct ckpt_mm_state *ms,
			   u32 i)
{
	struct ckpt_hdr_vma *v = &ms->vmas[i];
	unsigned long len = v->end - v->start, prot = ckpt_prot(v->flags);
	unsigned long flags = MAP_FIXED, addr;
	struct file *file = NULL;
	bool account;
	int err;

	if (v->flags & CKPT_VMA_NORESERVE)
		flags |= MAP_NORESERVE;
	if (v->flags & CKPT_VMA_GROWSDOWN)
		flags |= MAP_GROWSDOWN;
	switch (v->kind) {
	case CKPT_VMA_VVAR:
		return 0;	/* mapped together with the vDSO */
	case CKPT_VMA_VDSO:
		err = map_vdso_once(&vdso_image_64,
				    v->start + vdso_image_64.sym_vvar_start);
		if (err)
			return ckpt_err(ctx, err, "mapping the vDSO");
		/* the address is a hint to map_vdso(): it must have held */
		if (current->mm->context.vdso != (void __user *)v->start)
			return ckpt_err(ctx, -EINVAL, "the vDSO landed at %p",
					current->mm->context.vdso);
		return 0;
	case CKPT_VMA_ANON:
		flags |= MAP_PRIVATE | MAP_ANONYMOUS;
		break;
	case CKPT_VMA_SYSVSHM:
		return restore_vma_sysvshm(ctx, v);
	case CKPT_VMA_SHMEM:
		/* the shmem file of its object: shmem_mmap() sees it unlinked */
		file = ms->files[i];
		flags |= MAP_SHARED;
		break;
	case CKPT_VMA_FILE:
		file = ms->files[i];
		flags |= v->flags & CKPT_VMA_SHARED ? MAP_SHARED : MAP_PRIVATE;
		break;
	}
	account = (v->flags & (CKPT_VMA_ACCOUNT | CKPT_VMA_WRITE |
			       CKPT_VMA_SHARED | CKPT_VMA_NORESERVE)) ==
		  CKPT_VMA_ACCOUNT;
	addr = vm_mmap(file, v->start, len, prot | (account ? PROT_WRITE : 0),
		       flags, file ? v->pgoff << PAGE_SHIFT : 0);
	if (IS_ERR_VALUE(addr))
		return ckpt_err(ctx, (long)addr, "mapping %#llx-%#llx",
				v->start, v->end);
	if (addr != v->start)
		return ckpt_err(ctx, -EINVAL, "mapping %#llx landed at %#lx",
				v->start, addr);
	err = restore_vma_isolate(v->start, v->end,
				  account ? (long)prot : -1L);
	if (err)
		return ckpt_err(ctx, err, "isolating the VMA %#llx-%#llx",
				v->start, v->end);
	err = restore_vma_advice(current->mm, v);
	if (err)
		return ckpt_err(ctx, err, "advice on %#llx-%#llx",
				v->start, v->end);
	return 0;
}

static void restore_mm_layout(struct ckpt_mm_state *ms)
{
	struct mm_struct *mm = current->mm;
	struct ckpt_hdr_mm *h = ms->mm;

	mmap_write_lock(mm);
	mm->start_code = h->start_code;
	mm->end_code = h->end_code;
	mm->start_data = h->start_data;
	mm->end_data = h->end_data;
	mm->start_brk = h->start_brk;
	mm->brk = h->brk;
	mm->start_stack = h->start_stack;
	spin_lock(&mm->arg_lock);
	mm->arg_start = h->arg_start;
	mm->arg_end = h->arg_end;
	mm->env_start = h->env_start;
	mm->env_end = h->env_end;
	spin_unlock(&mm->arg_lock);
	memset(mm->saved_auxv, 0, sizeof(mm->saved_auxv));
	memcpy(mm->saved_auxv, h->auxv, h->nr_auxv * sizeof(u64));
	mmap_write_unlock(mm);
}

/* Index of the VMA holding @addr, searching on from *@hint. */
static int ckpt_find_vma(struct ckpt_mm_state *ms, u64 addr, u32 *hint)
{
	u32 i;

	for (i = *hint; i < ms->nr; i++) {
		if (addr < ms->vmas[i].start)
			return -1;
		if (addr < ms->vmas[i].end) {
			*hint = i;
			return i;
		}
	}
	return -1;
}

/* Private memory a page can be put in as a fault would put it. */
static bool ckpt_vma_fillable(struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_SHARED | VM_PFNMAP | VM_MIXEDMAP | VM_IO |
			     VM_HUGETLB))
		return false;
	if (!(vma->vm_flags & VM_READ) || userfaultfd_armed(vma))
		return false;
	return vma_is_anonymous(vma) || vma->vm_file;
}

/*
 * The pages of a batch that go to private memory: new pages are read
 * from the image and then mapped where they belong, so none is zeroed
 * only to be overwritten (that was half of restart's time).  Where a
 * page cannot be mapped that way, the page there is faulted in (and
 * COW-broken, read-only ones as ptrace would poke them) and the data
 * copied into it.
 */
static int restore_batch_pages(struct ckpt_ctx *ctx, u64 *addr, u32 nr,
			       struct page **pages)
{
	struct mm_struct *mm = current->mm;
	u64 bad = 0;
	u32 i;
	int err = 0;

	memset(pages, 0, nr * sizeof(*pages));
	for (i = 0; i < nr; i++) {
		struct folio *folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);

		if (folio && mem_cgroup_charge(folio, mm, GFP_KERNEL)) {
			folio_put(folio);
			folio = NULL;
		}
		if (!folio) {
			err = ckpt_err(ctx, -ENOMEM, "no memory for page %#llx",
				       addr[i]);
			goto out;
		}
		pages[i] = &folio->page;
	}

	err = ckpt_read_pages(ctx, pages, nr);
	if (err)
		goto out;

	/* no logging (file I/O) under the mmap lock: note and log after */
	mmap_write_lock(mm);
	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);
		struct vm_area_struct *vma = vma_lookup(mm, addr[i]);
		struct page *dst;

		/* makes the data visible before set_pte_at() */
		__folio_mark_uptodate(folio);
		if (vma && ckpt_vma_fillable(vma)) {
			err = vm_insert_anon_folio(vma, addr[i], folio);
			if (!err) {
				pages[i] = NULL;	/* the mapping's now */
				continue;
			}
			if (err != -EEXIST)
				break;
		}
		err = 0;
		if (get_user_pages_remote(mm, addr[i], 1, FOLL_WRITE | FOLL_FORCE,
					  &dst, NULL) != 1) {
			err = -EFAULT;
			break;
		}
		copy_highpage(dst, pages[i]);
		set_page_dirty_lock(dst);
		put_page(dst);
	}
	if (err)
		bad = addr[i];
	mmap_write_unlock(mm);
	if (err)
		err = ckpt_err(ctx, err, "filling in %#llx", bad);
out:
	for (i = 0; i < nr; i++)
		if (pages[i])
			folio_put(page_folio(pages[i]));
	return err;
}

static int restore_pages(struct ckpt_ctx *ctx, struct ckpt_mm_state *ms)
{
	struct ckpt_hdr_pages h;
	struct page **pages;
	u64 *addr, next = 0;
	u32 i, hint = 0;
	int err = 0, idx;

	addr = kvmalloc_array(CKPT_PAGES_BATCH, sizeof(u64), GFP_KERNEL);
	pages = kvmalloc_array(CKPT_PAGES_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages || !addr) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		err = ckpt_read_pages_head(ctx, &h, addr);
		if (err)
			goto out;
		if (!h.nr_pages)
			break;
		for (i = 0; i < h.nr_pages; i++) {
			struct ckpt_hdr_vma *v;

			idx = -1;
			if (PAGE_ALIGNED(addr[i]) && addr[i] >= next)
				idx = ckpt_find_vma(ms, addr[i], &hint);
			v = idx >= 0 ? &ms->vmas[idx] : NULL;
			if (!v || (v->kind != CKPT_VMA_ANON &&
				   v->kind != CKPT_VMA_FILE) ||
			    v->flags & CKPT_VMA_SHARED) {
				err = ckpt_err(ctx, -EBADMSG,
					       "page %#llx is out of order or outside a private mapping",
					       addr[i]);
				goto out;
			}
			next = addr[i] + PAGE_SIZE;
		}
		hint = 0;
		err = restore_batch_pages(ctx, addr, h.nr_pages, pages);
		if (err)
			goto out;
		cond_resched();
	}
out:
	kvfree(pages);
	kvfree(addr);
	return err;
}

/**
 * restore_mm - rebuild current's address space from the image
 * @ctx: restart context
 *
 * Reads and checks the MM and VMA records first.  Then, past the point
 * of no return, unmaps everything current had, maps the image's VMAs at
 * their addresses and fills in the saved pages.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_mm(struct ckpt_ctx *ctx)
{
	struct ckpt_mm_state *ms;
	struct mm_struct *mm = current->mm;
	u32 i;
	int err;

	ms = kzalloc(sizeof(*ms), GFP_KERNEL);
	if (!ms)
		return -ENOMEM;
	ctx->ts->mm = ms;
	err = restore_mm_read(ctx, ms);
	if (err)
		return err;

	ctx->no_return = true;
	err = vm_munmap(0, TASK_SIZE);
	if (err)
		return ckpt_err(ctx, err, "unmapping the old address space");
	mm->context.vdso = NULL;
	mm->context.vdso_image = NULL;
	/* before the mappings are made, as for the process's own */
	err = set_thp_disable(ms->mm->flags & CKPT_MM_THP_DISABLE);
	if (err)
		return ckpt_err(ctx, err, "setting PR_SET_THP_DISABLE");
	if (ms->exe) {
		err = replace_mm_exe_file(mm, ms->exe);
		if (err)
			return ckpt_err(ctx, err, "setting the executable");
	}
	for (i = 0; i < ms->nr; i++) {
		err = restore_vma_map(ctx, ms, i);
		if (err)
			return err;
	}
	restore_mm_layout(ms);
	return restore_pages(ctx, ms);
}

/*
 * File tables and address spaces are written in line by their
 * task for now; the hash only reserves their objref, so a later
 * sharer (CLONE_FILES, threads) can point at them.
 */
const struct ckpt_obj_ops ckpt_obj_mm_ops = {
	.name = "mm",
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
};
