// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 CPU state for checkpoint/restart: general registers, fs/gs
 * base, TLS descriptors, the XSAVE area, and how a task caught inside a
 * system call resumes.
 */
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/hrtimer.h>
#include <linux/ptrace.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/regset.h>
#include <asm/fpu/types.h>
#include <asm/unistd.h>
#include <asm/vdso.h>
#include <asm/fsgsbase.h>
#include <asm/prctl.h>
#include <asm/proto.h>
#include <asm/segment.h>
#include <asm/syscall.h>

#include "internal.h"

/* EFLAGS bits a user program may change (as ptrace allows) */
#define CKPT_FLAG_MASK	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
			 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
			 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_RF | \
			 X86_EFLAGS_AC | X86_EFLAGS_NT)

struct ckpt_arch_state {
	struct ckpt_hdr_cpu *cpu;
	void *xstate;		/* fpu_user_cfg.max_size bytes */
	struct desc_struct tls[GDT_ENTRY_TLS_ENTRIES];
};

/*
 * The identity of this kernel's 64-bit vDSO: a restored program may
 * hold pointers into the vDSO it ran with (libc keeps its entry
 * points), so an image restarts only where that same vDSO is mapped.
 */
static u64 ckpt_vdso_sum(void)
{
	const u8 *p = vdso_image_64.data;
	u64 sum = 0xcbf29ce484222325ULL;	/* FNV-1a */
	unsigned long i;

	for (i = 0; i < vdso_image_64.size; i++)
		sum = (sum ^ p[i]) * 0x100000001b3ULL;
	return sum;
}

int ckpt_arch_header(struct ckpt_hdr_header *h)
{
	h->arch = CKPT_ARCH_X86_64;
	h->xfeatures = fpu_user_cfg.max_features;
	h->xstate_size = fpu_user_cfg.max_size;
	h->vdso_size = vdso_image_64.size;
	h->vdso_sum = ckpt_vdso_sum();
	return 0;
}

int ckpt_arch_check_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *h)
{
	if (h->arch != CKPT_ARCH_X86_64)
		return ckpt_err(ctx, -ENOEXEC, "image is for architecture %u",
				h->arch);
	if (h->vdso_size != vdso_image_64.size ||
	    h->vdso_sum != ckpt_vdso_sum())
		return ckpt_err(ctx, -ENOEXEC,
				"image is from a kernel with another vDSO (kernel %.64s %.64s)",
				h->release, h->version_str);
	return 0;
}

int ckpt_arch_task_supported(struct task_struct *t)
{
	int err = 0;

	if (!try_get_task_stack(t))
		return -ESRCH;
	if (!user_64bit_mode(task_pt_regs(t)) ||
	    test_tsk_thread_flag(t, TIF_ADDR32))
		err = -EOPNOTSUPP;
	put_task_stack(t);
#ifdef CONFIG_X86_USER_SHADOW_STACK
	/* a CET shadow stack is not saved: the task would come back without */
	if (t->thread.features & ARCH_SHSTK_SHSTK)
		err = -EOPNOTSUPP;
#endif
	return err;
}

/**
 * ckpt_arch_mm_check - does an address space hold x86 state not saved?
 * @mm: the address space
 * @why: filled with a short reason when it does
 * @len: size of @why
 *
 * Return: 0 or -EOPNOTSUPP.
 */
int ckpt_arch_mm_check(struct mm_struct *mm, char *why, size_t len)
{
#ifdef CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS
	/* key 0 is everyone's; others come from pkey_alloc(2) */
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) &&
	    mm->context.pkey_allocation_map != 1) {
		snprintf(why, len, "protection keys allocated with pkey_alloc(2) are not saved");
		return -EOPNOTSUPP;
	}
#endif
	return 0;
}

static int ckpt_clock_now(clockid_t clock, ktime_t *now)
{
	switch (clock) {
	case CLOCK_MONOTONIC:
		*now = ktime_get();
		return 0;
	case CLOCK_REALTIME:
		*now = ktime_get_real();
		return 0;
	case CLOCK_BOOTTIME:
		*now = ktime_get_boottime();
		return 0;
	case CLOCK_TAI:
		*now = ktime_get_clocktai();
		return 0;
	}
	return -EINVAL;
}

/* How will @t, caught in a system call, go on after restart? */
static int ckpt_syscall_restart(struct ckpt_ctx *ctx, struct task_struct *t,
				struct ckpt_hdr_cpu *h)
{
	struct pt_regs *regs = task_pt_regs(t);
	struct restart_block *rb = &t->restart_block;
	ktime_t now;

	if (t == current) {
		/* self-checkpoint: the restored process sees 0 */
		h->ax = 0;
		h->restart = CKPT_RESTART_NONE;
		return 0;
	}
	if (syscall_get_nr(t, regs) < 0) {
		h->restart = CKPT_RESTART_NONE;
		return 0;
	}
	switch (regs->ax) {
	case -ERESTARTSYS:
	case -ERESTARTNOINTR:
	case -ERESTARTNOHAND:
		h->restart = CKPT_RESTART_SYSCALL;
		return 0;
	case -ERESTART_RESTARTBLOCK:
		break;
	default:
		h->restart = CKPT_RESTART_NONE;
		return 0;
	}
	if (rb->fn == hrtimer_nanosleep_restart &&
	    !ckpt_clock_now(rb->nanosleep.clockid, &now)) {
		h->restart = CKPT_RESTART_NANOSLEEP;
		h->restart_arg[0] = rb->nanosleep.clockid;
		h->restart_arg[1] = max_t(s64, 0, (s64)rb->nanosleep.expires -
					  ktime_to_ns(now));
		h->restart_arg[2] = rb->nanosleep.type == TT_NATIVE ?
				    (unsigned long)rb->nanosleep.rmtp : 0;
		return 0;
	}
	/* other restart blocks (poll, futex, ...) see EINTR for now */
	h->restart = CKPT_RESTART_EINTR;
	return 0;
}

/* The NT_X86_XSTATE regset: what ptrace and core dumps read. */
static const struct user_regset *ckpt_xstate_regset(struct task_struct *t)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == NT_X86_XSTATE)
			return &view->regsets[i];
	return NULL;
}

static int checkpoint_xstate(struct ckpt_ctx *ctx, struct task_struct *t)
{
	const struct user_regset *rs = ckpt_xstate_regset(t);
	u32 size = fpu_user_cfg.max_size;
	struct ckpt_hdr_xstate *h;
	int err;

	if (!rs || rs->n * rs->size != size)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"xstate: this CPU has no XSAVE regset");
	h = kvzalloc(ckpt_padded(sizeof(*h) + size), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	err = regset_get(t, rs, size, h->data);
	if (err >= 0 && err != size)
		err = -EIO;
	if (err < 0) {
		kvfree(h);
		return ckpt_err(ctx, err, "xstate: reading the XSAVE regset");
	}
	h->xfeatures = ((struct xregs_state *)h->data)->header.xfeatures;
	h->size = size;
	err = ckpt_write_obj(ctx, CKPT_HDR_XSTATE, h, sizeof(*h) + size);
	kvfree(h);
	return err;
}

static int checkpoint_regs(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct pt_regs *regs = task_pt_regs(t);
	struct ckpt_hdr_cpu *h;
	unsigned short fsi, gsi, ds, es;
	int err, i;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->r15 = regs->r15;
	h->r14 = regs->r14;
	h->r13 = regs->r13;
	h->r12 = regs->r12;
	h->bp = regs->bp;
	h->bx = regs->bx;
	h->r11 = regs->r11;
	h->r10 = regs->r10;
	h->r9 = regs->r9;
	h->r8 = regs->r8;
	h->ax = regs->ax;
	h->cx = regs->cx;
	h->dx = regs->dx;
	h->si = regs->si;
	h->di = regs->di;
	h->orig_ax = regs->orig_ax;
	h->ip = regs->ip;
	h->cs = regs->cs;
	h->flags = regs->flags;
	h->sp = regs->sp;
	h->ss = regs->ss;
	h->fs_base = x86_fsbase_read_task(t);
	h->gs_base = x86_gsbase_read_task(t);
	if (t == current) {
		savesegment(fs, fsi);
		savesegment(gs, gsi);
		savesegment(ds, ds);
		savesegment(es, es);
	} else {
		fsi = t->thread.fsindex;
		gsi = t->thread.gsindex;
		ds = t->thread.ds;
		es = t->thread.es;
	}
	h->fs = fsi;
	h->gs = gsi;
	h->ds = ds;
	h->es = es;
	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		memcpy(&h->tls[i], &t->thread.tls_array[i], sizeof(h->tls[i]));

	err = 0;
	if (fsi || gsi)
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "fs/gs segment selectors in use (%#x/%#x)",
			       fsi, gsi);
	if (!err)
		err = ckpt_syscall_restart(ctx, t, h);
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_CPU, h, sizeof(*h));
	kfree(h);
	return err;
}

/**
 * checkpoint_cpu - write a task's registers and FPU state
 * @ctx: checkpoint context
 * @t: the task, current or parked
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_cpu(struct ckpt_ctx *ctx, struct task_struct *t)
{
	int err;

	/* a thread that exits meanwhile takes its stack, and pt_regs, along */
	if (!try_get_task_stack(t))
		return ckpt_task_gone(ctx);
	err = checkpoint_regs(ctx, t);
	if (!err)
		err = checkpoint_xstate(ctx, t);
	put_task_stack(t);
	return err;
}

/*
 * A TLS descriptor must be empty or what set_thread_area() makes: a
 * present 32-bit user data segment with the accessed bit set (the GDT
 * is mapped read-only: a CPU setting that bit on load would fault).
 */
static bool ckpt_tls_ok(const struct desc_struct *d)
{
	static const struct desc_struct zero;

	if (!memcmp(d, &zero, sizeof(zero)))
		return true;
	return d->p && d->s && d->dpl == 3 && d->d && !d->l &&
	       (d->type & 1) && !(d->type & 8);
}

static bool ckpt_is_restart_err(u64 ax)
{
	return ax == (u64)-ERESTARTSYS || ax == (u64)-ERESTARTNOINTR ||
	       ax == (u64)-ERESTARTNOHAND || ax == (u64)-ERESTART_RESTARTBLOCK;
}

static int ckpt_check_cpu(struct ckpt_ctx *ctx, struct ckpt_hdr_cpu *h,
			  struct ckpt_arch_state *as)
{
	ktime_t now;
	int i;

	if (h->cs != __USER_CS || h->ss != __USER_DS)
		return ckpt_err(ctx, -EBADMSG, "cpu: bad cs/ss %#llx/%#llx",
				h->cs, h->ss);
	if (h->ip >= TASK_SIZE_MAX || h->fs_base >= TASK_SIZE_MAX ||
	    h->gs_base >= TASK_SIZE_MAX)
		return ckpt_err(ctx, -EBADMSG, "cpu: address out of range");
	if (h->fs || h->gs || (h->ds && h->ds != __USER_DS) ||
	    (h->es && h->es != __USER_DS) || h->_pad || h->restart_arg[3])
		return ckpt_err(ctx, -EBADMSG, "cpu: bad segment selectors");
	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		memcpy(&as->tls[i], &h->tls[i], sizeof(as->tls[i]));
		if (!ckpt_tls_ok(&as->tls[i]))
			return ckpt_err(ctx, -EBADMSG,
					"cpu: TLS descriptor %d not allowed", i);
	}
	switch (h->restart) {
	case CKPT_RESTART_NONE:
		if ((s64)h->orig_ax >= 0 && ckpt_is_restart_err(h->ax))
			return ckpt_err(ctx, -EBADMSG,
					"cpu: restart code without restart kind");
		break;
	case CKPT_RESTART_SYSCALL:
		if (!ckpt_is_restart_err(h->ax) ||
		    h->ax == (u64)-ERESTART_RESTARTBLOCK ||
		    h->orig_ax >= NR_syscalls)
			return ckpt_err(ctx, -EBADMSG,
					"cpu: bad syscall restart state");
		break;
	case CKPT_RESTART_NANOSLEEP:
		if ((h->orig_ax != __NR_nanosleep &&
		     h->orig_ax != __NR_clock_nanosleep) ||
		    ckpt_clock_now(h->restart_arg[0], &now) ||
		    h->restart_arg[1] > KTIME_MAX / 2 ||
		    h->restart_arg[2] >= TASK_SIZE_MAX)
			return ckpt_err(ctx, -EBADMSG,
					"cpu: bad nanosleep restart state");
		break;
	case CKPT_RESTART_EINTR:
		break;
	default:
		return ckpt_err(ctx, -EBADMSG, "cpu: unknown restart kind %u",
				h->restart);
	}
	return 0;
}

static int restore_xstate_read(struct ckpt_ctx *ctx,
			       struct ckpt_arch_state *as)
{
	u32 max = fpu_user_cfg.max_size;
	struct ckpt_hdr_xstate *h;
	struct xregs_state *xs;
	u64 have = current->thread.fpu.fpstate->user_xfeatures;
	int err = 0;

	h = ckpt_read_obj(ctx, CKPT_HDR_XSTATE, sizeof(*h) + 512 + 64,
			  sizeof(*h) + 64 * 1024);
	if (IS_ERR(h))
		return PTR_ERR(h);
	xs = (struct xregs_state *)h->data;
	if (h->size != h->h.len - sizeof(*h) || h->_pad ||
	    xs->header.xfeatures != h->xfeatures) {
		err = ckpt_err(ctx, -EBADMSG, "xstate: inconsistent record");
		goto out;
	}
	if (h->xfeatures & ~have) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "xstate: this CPU lacks saved features %#llx",
			       h->xfeatures & ~have);
		goto out;
	}
	if (h->size > max) {
		err = ckpt_err(ctx, -EOPNOTSUPP,
			       "xstate: %u bytes, this CPU's area is %u",
			       h->size, max);
		goto out;
	}
	as->xstate = kvzalloc(max, GFP_KERNEL);
	if (!as->xstate) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(as->xstate, h->data, h->size);
	/* what loading it at the commit would refuse, refused now */
	if (fpu_check_uabi_xstate(as->xstate))
		err = ckpt_err(ctx, -EBADMSG, "xstate: invalid XSAVE header or MXCSR");
out:
	kvfree(h);
	return err;
}

/**
 * restore_cpu_read - read and check the CPU records of the image
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_cpu_read(struct ckpt_ctx *ctx)
{
	struct ckpt_arch_state *as;
	struct ckpt_hdr_cpu *h;
	int err;

	as = kzalloc(sizeof(*as), GFP_KERNEL);
	if (!as)
		return -ENOMEM;
	ctx->ts->arch = as;
	h = ckpt_read_obj_fixed(ctx, CKPT_HDR_CPU, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	as->cpu = h;
	err = ckpt_check_cpu(ctx, h, as);
	if (!err)
		err = restore_xstate_read(ctx, as);
	return err;
}

void restore_cpu_free(struct ckpt_task_state *ts)
{
	struct ckpt_arch_state *as = ts->arch;

	if (!as)
		return;
	kvfree(as->cpu);
	kvfree(as->xstate);
	kfree(as);
	ts->arch = NULL;
}

static void restore_fpu_commit(struct ckpt_arch_state *as)
{
	/* checked by fpu_check_uabi_xstate() when read */
	if (fpu_load_uabi_xstate(current, as->xstate))
		force_fatal_sig(SIGKILL);
}

/**
 * restore_cpu_commit - load the checked registers into current
 * @ctx: restart context
 *
 * Sets @ctx->ts->ret to the value restart(2) returns, which becomes
 * the restored task's rax; for a task caught in a system call it is
 * the restart code the signal path acts on.
 *
 * Return: 0.
 */
int restore_cpu_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_arch_state *as = ctx->ts->arch;
	struct ckpt_hdr_cpu *h = as->cpu;
	struct pt_regs *regs = current_pt_regs();
	struct restart_block *rb = &current->restart_block;
	ktime_t now;
	long ret;
	int cpu;

	regs->r15 = h->r15;
	regs->r14 = h->r14;
	regs->r13 = h->r13;
	regs->r12 = h->r12;
	regs->bp = h->bp;
	regs->bx = h->bx;
	regs->r11 = h->r11;
	regs->r10 = h->r10;
	regs->r9 = h->r9;
	regs->r8 = h->r8;
	regs->cx = h->cx;
	regs->dx = h->dx;
	regs->si = h->si;
	regs->di = h->di;
	regs->orig_ax = h->orig_ax;
	regs->ip = h->ip;
	regs->sp = h->sp;
	regs->flags = (regs->flags & ~CKPT_FLAG_MASK) |
		      (h->flags & CKPT_FLAG_MASK);

	memcpy(current->thread.tls_array, as->tls, sizeof(as->tls));
	cpu = get_cpu();
	load_TLS(&current->thread, cpu);
	put_cpu();
	do_arch_prctl_64(current, ARCH_SET_FS, h->fs_base);
	do_arch_prctl_64(current, ARCH_SET_GS, h->gs_base);

	restore_fpu_commit(as);

	ret = h->ax;
	switch (h->restart) {
	case CKPT_RESTART_SYSCALL:
		set_thread_flag(TIF_SIGPENDING);
		break;
	case CKPT_RESTART_NANOSLEEP:
		ckpt_clock_now(h->restart_arg[0], &now);
		rb->nanosleep.clockid = h->restart_arg[0];
		rb->nanosleep.expires = ktime_add_ns(now, h->restart_arg[1]);
		rb->nanosleep.type = h->restart_arg[2] ? TT_NATIVE : TT_NONE;
		rb->nanosleep.rmtp = (void __user *)h->restart_arg[2];
		set_restart_fn(rb, hrtimer_nanosleep_restart);
		ret = -ERESTART_RESTARTBLOCK;
		set_thread_flag(TIF_SIGPENDING);
		break;
	case CKPT_RESTART_EINTR:
		ret = -EINTR;
		break;
	}
	ctx->ts->ret = ret;
	return 0;
}
