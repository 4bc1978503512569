/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The x86-64 records of a checkpoint image: a task's registers (CPU)
 * and its FPU/SSE/AVX state (XSTATE), types 200-299 of the record type
 * space that <linux/checkpoint_hdr.h> defines.  Same rules as there:
 * fixed width, little endian, every record a whole number of 8-byte
 * words, every field checked by restart before it is used.
 */
#ifndef _UAPI_ASM_X86_CHECKPOINT_HDR_H
#define _UAPI_ASM_X86_CHECKPOINT_HDR_H

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

/* How a task stopped inside a system call resumes (ckpt_hdr_cpu). */
enum ckpt_restart_kind {
	CKPT_RESTART_NONE = 0,		/* not in a restartable syscall */
	CKPT_RESTART_SYSCALL = 1,	/* re-executes the syscall */
	CKPT_RESTART_NANOSLEEP = 2,	/* resumes nanosleep's remainder */
	CKPT_RESTART_EINTR = 3,		/* returns EINTR to the program */
};

/**
 * struct ckpt_hdr_cpu - x86-64 user registers and segment state
 *
 * The first 27 fields are struct user_regs_struct.  @restart says how
 * a task stopped in a system call resumes; for CKPT_RESTART_NANOSLEEP
 * @restart_arg[0] is the clock id, [1] the nanoseconds left, [2] the
 * user address for the remaining time (rmtp) or 0, [3] reserved.
 * @tls holds the three GDT TLS descriptors (set_thread_area(2)) raw.
 */
struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
	__u64 fs_base, gs_base, ds, es, fs, gs;
	__u64 tls[3];
	__u32 restart;
	__u32 _pad;
	__u64 restart_arg[4];
};

/**
 * struct ckpt_hdr_xstate - FPU/SSE/AVX/... registers
 * @xfeatures: XSAVE feature bits present in @data (XSTATE_BV); restart
 *	fails with EOPNOTSUPP if the CPU lacks one of them
 * @size: bytes of @data, the non-compacted user XSAVE layout that
 *	PTRACE_GETREGSET(NT_X86_XSTATE) uses
 */
struct ckpt_hdr_xstate {
	struct ckpt_hdr h;
	__u64 xfeatures;
	__u32 size;
	__u32 _pad;
	__u8 data[];
};

#endif /* _UAPI_ASM_X86_CHECKPOINT_HDR_H */
