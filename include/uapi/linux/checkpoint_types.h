/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The names of the image's record types (enum ckpt_hdr_type in
 * linux/checkpoint_hdr.h), one CKPT_HDR_TYPE(name) line each, for the
 * tables of names that the kernel's log and the tools print.  No include
 * guard: the includer defines CKPT_HDR_TYPE() as it needs it, as
 * include/linux/bpf_types.h is used.  A new record type is added to
 * the enum and here.
 */
CKPT_HDR_TYPE(HEADER)
CKPT_HDR_TYPE(TAIL)

CKPT_HDR_TYPE(TREE)
CKPT_HDR_TYPE(TASK)
CKPT_HDR_TYPE(CREDS)
CKPT_HDR_TYPE(RLIMITS)
CKPT_HDR_TYPE(FS)

CKPT_HDR_TYPE(CPU)
CKPT_HDR_TYPE(XSTATE)

CKPT_HDR_TYPE(MM)
CKPT_HDR_TYPE(VMA)
CKPT_HDR_TYPE(PAGES)
CKPT_HDR_TYPE(SHMEM)

CKPT_HDR_TYPE(FILE_TABLE)
CKPT_HDR_TYPE(FILE)
CKPT_HDR_TYPE(FD)
CKPT_HDR_TYPE(PIPE)
CKPT_HDR_TYPE(MEMFD)
CKPT_HDR_TYPE(EVENTFD)
CKPT_HDR_TYPE(SIGNALFD)
CKPT_HDR_TYPE(TIMERFD)
CKPT_HDR_TYPE(EPOLL)

CKPT_HDR_TYPE(SIGHAND)
CKPT_HDR_TYPE(SIGNAL)
CKPT_HDR_TYPE(SIGPENDING)
CKPT_HDR_TYPE(POSIX_TIMER)

CKPT_HDR_TYPE(UTS_NS)
CKPT_HDR_TYPE(IPC_NS)
CKPT_HDR_TYPE(IPC_SHM)
CKPT_HDR_TYPE(IPC_SEM)
CKPT_HDR_TYPE(IPC_MSG)
CKPT_HDR_TYPE(MSG)
