/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Checkpoint/restart image format.
 *
 * This file is ABI.  An image is a stream of records, read front to back
 * exactly once.  Every record starts with struct ckpt_hdr and is padded
 * with zero bytes to a multiple of 8 bytes; ckpt_hdr.len counts the
 * header and the payload but not the padding.  All fields are fixed
 * width and little endian (the only architecture is x86-64).
 *
 * Layout of an image:
 *
 *   HEADER
 *   TREE                     the tasks, in creation order
 *   UTS_NS                   if the TREE says CKPT_TREE_NEWUTS
 *   IPC_NS { IPC_SHM PAGES* PAGES(0) }* IPC_SEM* { IPC_MSG MSG* }*
 *                            if the TREE says CKPT_TREE_NEWIPC
 *   for each task of the TREE, in its order:
 *     a process (the first task of a thread group):
 *       TASK CREDS RLIMITS FS SIGHAND SIGNAL SIGPENDING* POSIX_TIMER*
 *       FILE_TABLE { [[PIPE | MEMFD PAGES* PAGES(0) | EVENTFD | SIGNALFD |
 *                     TIMERFD | INOTIFY] FILE] FD }* EPOLL*
 *       CPU XSTATE
 *       { FILE | SHMEM PAGES* PAGES(0) }* MM VMA* { PAGES }*
 *       PAGES(nr_pages = 0)
 *                            (the FILEs: exe and mapped files not yet
 *                            in the image, each after its PIPE or
 *                            MEMFD part as above; the SHMEMs: shared
 *                            anonymous memory not yet in the image)
 *     another thread of that process:
 *       TASK CREDS SIGNAL SIGPENDING* CPU XSTATE
 *     a zombie (CKPT_PIDS_ZOMBIE):
 *       TASK
 *   TAIL
 *
 * Shared kernel objects (files, file tables, address spaces) carry an
 * "objref": a positive number unique within the image, given the first
 * time the object is written.  Records that use an object name it by
 * objref; the object's own record always comes first in the stream.
 * Every object record has its __u32 objref right after struct ckpt_hdr.
 *
 * Restart treats every field as untrusted: a record of an unexpected
 * type, a length out of range, a reserved field that is not zero, an
 * objref of the wrong kind or an address out of range makes restart
 * fail with EBADMSG before the field is used.
 */
#ifndef _UAPI_LINUX_CHECKPOINT_HDR_H
#define _UAPI_LINUX_CHECKPOINT_HDR_H

#include <linux/types.h>

/* "CKPTIMG\0" read as a little-endian __u64 */
#define CKPT_MAGIC_HEAD		0x00474d4954504b43ULL
/* "CKPTEND\0" */
#define CKPT_MAGIC_TAIL		0x00444e4554504b43ULL
#define CKPT_VERSION		15

#define CKPT_ARCH_X86_64	1

/* Upper bound of a record's length, page batches included. */
#define CKPT_RECORD_MAX		(4U << 20)
/* Most pages in one PAGES record. */
#define CKPT_PAGES_BATCH	512
/* Longest path stored in a record, NUL included. */
#define CKPT_PATH_MAX		4096

/**
 * struct ckpt_hdr - header of every record
 * @type: one of enum ckpt_hdr_type
 * @len: bytes of header plus payload, without the trailing padding
 */
struct ckpt_hdr {
	__u32 type;
	__u32 len;
};

/*
 * Record types, grouped in ranges: 1-99 generic, 100-199 task,
 * 200-299 arch, 300-399 memory, 400-499 files, 500-599 signals,
 * 600-699 namespaces.  Each is named in linux/checkpoint_types.h too.
 */
enum ckpt_hdr_type {
	CKPT_HDR_HEADER = 1,
	CKPT_HDR_TAIL = 2,

	CKPT_HDR_TREE = 100,
	CKPT_HDR_TASK = 101,
	CKPT_HDR_CREDS = 102,
	CKPT_HDR_RLIMITS = 103,
	CKPT_HDR_FS = 104,
	CKPT_HDR_SCHED = 105,
	CKPT_HDR_CTTY = 106,

	CKPT_HDR_CPU = 200,
	CKPT_HDR_XSTATE = 201,

	CKPT_HDR_MM = 300,
	CKPT_HDR_VMA = 301,
	CKPT_HDR_PAGES = 302,
	CKPT_HDR_SHMEM = 303,

	CKPT_HDR_FILE_TABLE = 400,
	CKPT_HDR_FILE = 401,
	CKPT_HDR_FD = 402,
	CKPT_HDR_PIPE = 403,
	CKPT_HDR_MEMFD = 404,
	CKPT_HDR_EVENTFD = 405,
	CKPT_HDR_SIGNALFD = 406,
	CKPT_HDR_TIMERFD = 407,
	CKPT_HDR_EPOLL = 408,
	CKPT_HDR_FILE_LOCK = 409,
	CKPT_HDR_UNIX_PAIR = 410,
	CKPT_HDR_SOCKET = 411,
	CKPT_HDR_INOTIFY = 412,
	CKPT_HDR_TCP = 413,
	CKPT_HDR_PTY = 414,

	CKPT_HDR_SIGHAND = 500,
	CKPT_HDR_SIGNAL = 501,
	CKPT_HDR_SIGPENDING = 502,
	CKPT_HDR_POSIX_TIMER = 503,

	CKPT_HDR_UTS_NS = 600,
	CKPT_HDR_IPC_NS = 601,
	CKPT_HDR_IPC_SHM = 602,
	CKPT_HDR_IPC_SEM = 603,
	CKPT_HDR_IPC_MSG = 604,
	CKPT_HDR_MSG = 605,
};

/* Kinds of objects named by objref. */
enum ckpt_obj_type {
	CKPT_OBJ_FILE = 1,
	CKPT_OBJ_FILE_TABLE = 2,
	CKPT_OBJ_MM = 3,
	CKPT_OBJ_PIPE = 4,
	CKPT_OBJ_MEMFD = 5,
	CKPT_OBJ_EVENTFD = 6,
	CKPT_OBJ_SIGNALFD = 7,
	CKPT_OBJ_TIMERFD = 8,
	CKPT_OBJ_SHMEM = 9,
	CKPT_OBJ_UNIX_PAIR = 10,
	CKPT_OBJ_SOCKET = 11,
	CKPT_OBJ_INOTIFY = 12,
	CKPT_OBJ_PTY = 13,
	CKPT_OBJ_MAX
};

#define CKPT_UTS_LEN		65

/**
 * struct ckpt_hdr_header - first record of an image
 * @magic: CKPT_MAGIC_HEAD
 * @version: CKPT_VERSION; restart refuses others (ENOEXEC)
 * @arch: CKPT_ARCH_X86_64
 * @page_size: PAGE_SIZE of the checkpointing kernel
 * @flags: checkpoint(2) flags used
 * @xfeatures: XSAVE features enabled on the checkpointing CPU
 * @xstate_size: size of the user XSAVE buffer (struct ckpt_hdr_xstate)
 * @time: wall-clock seconds at checkpoint
 * @ckpt_id: the id checkpoint(2) returned
 * @vdso_sum: a 64-bit FNV-1a hash of the checkpointing kernel's vDSO
 *	image; restart requires the same vDSO (size and hash), since
 *	the restored program may hold pointers into it
 * @vdso_size: that image's size in bytes
 * @_pad3: zero
 * @sysname: utsname fields of the checkpointing kernel, for people
 * @release:   and tools only: restart does not compare them (the
 * @version:   format version, the architecture, the page size, the
 * @machine:   CPU's XSAVE features and the vDSO decide whether an
 * @nodename:  image restarts here)
 */
struct ckpt_hdr_header {
	struct ckpt_hdr h;
	__u64 magic;
	__u32 version;
	__u32 arch;
	__u32 page_size;
	__u32 flags;
	__u64 xfeatures;
	__u32 xstate_size;
	__u32 _pad;
	__u64 time;
	__u64 ckpt_id;
	__u64 vdso_sum;
	__u32 vdso_size;
	__u32 _pad3;
	char sysname[CKPT_UTS_LEN];
	char release[CKPT_UTS_LEN];
	char version_str[CKPT_UTS_LEN];
	char machine[CKPT_UTS_LEN];
	char nodename[CKPT_UTS_LEN];
	__u8 _pad2[3];
};

/**
 * struct ckpt_hdr_tail - last record of an image
 * @magic: CKPT_MAGIC_TAIL
 * @nbytes: bytes in the stream before this record
 * @sum1: checksum over those bytes, see below
 * @sum2:
 *
 * The checksum reads the stream as little-endian 64-bit words w[i]
 * (every record is 8-byte aligned) and computes, modulo 2^64,
 * sum1 = sum of w[i] and sum2 = sum of the running sum1 after each
 * word (Fletcher's construction).  It catches truncation and
 * accidental corruption; it is not a signature.
 */
struct ckpt_hdr_tail {
	struct ckpt_hdr h;
	__u64 magic;
	__u64 nbytes;
	__u64 sum1;
	__u64 sum2;
};

/* ckpt_pids.flags */
#define CKPT_PIDS_ZOMBIE	0x1	/* exited, not yet reaped by its parent */
#define CKPT_PIDS_FLAGS_ALL	CKPT_PIDS_ZOMBIE

/* Most tasks in one image. */
#define CKPT_TREE_MAX		32768

/**
 * struct ckpt_pids - one task of the tree, as pid numbers seen in the
 * checkpointer's pid namespace
 * @pid: its thread id
 * @tgid: its process id; @pid for the first task of a process
 * @ppid: the process id of its parent; for the root, informational
 * @pgid: its process group
 * @sid: its session
 * @flags: CKPT_PIDS_* flags
 * @exit_signal: what its death sends its parent (0 for a thread that is
 *	not the first of its process), as the restart tool must clone it
 * @_pad: zero
 */
struct ckpt_pids {
	__s32 pid;
	__s32 tgid;
	__s32 ppid;
	__s32 pgid;
	__s32 sid;
	__u32 flags;
	__u32 exit_signal;
	__u32 _pad;
};

/**
 * struct ckpt_hdr_tree - the task tree
 * @nr_tasks: number of struct ckpt_pids that follow, 1..CKPT_TREE_MAX
 * @flags: CKPT_TREE_* flags
 *
 * Processes come in depth-first order from the root (the task given to
 * checkpoint(2)), each parent before its children; the other threads of
 * a process follow it directly.  So every @ppid but the root's names an
 * earlier process, and every thread's @tgid the process just before its
 * run of threads.  A @pgid or @sid that is no process of the tree is
 * the restarter's at restart.
 */
struct ckpt_hdr_tree {
	struct ckpt_hdr h;
	__u32 nr_tasks;
	__u32 flags;
	struct ckpt_pids pids[];
};

/*
 * ckpt_hdr_tree.flags: namespaces of its own the root had (all the live
 * tasks of the tree share them), whose contents follow the TREE.  The
 * restarter creates the root in new namespaces of those kinds
 * (clone3(CLONE_NEWUTS, CLONE_NEWIPC)); restart fills them in.
 */
#define CKPT_TREE_NEWUTS	0x1
#define CKPT_TREE_NEWIPC	0x2
#define CKPT_TREE_FLAGS_ALL	(CKPT_TREE_NEWUTS | CKPT_TREE_NEWIPC)

/**
 * struct ckpt_hdr_task - per-task state
 * @exit_signal: signal sent to the parent on exit
 * @personality: personality(2) value
 * @exit_code: for a zombie, its wait(2) status; else zero
 * @pdeath_signal: prctl(PR_SET_PDEATHSIG) value
 * @comm: command name, NUL terminated
 * @clear_child_tid: set_tid_address(2) value
 * @robust_list: set_robust_list(2) head, 0 if none
 * @rseq: the struct rseq registered with rseq(2), 0 if none (C libraries
 *	register one for every thread when the kernel has CONFIG_RSEQ)
 * @rseq_len: its registered length; 0 when @rseq is 0
 * @rseq_sig: its abort signature; 0 when @rseq is 0
 *
 * Restart registers @rseq again with the checks of rseq(2), so that the
 * kernel keeps updating it (and aborts a critical section the task was
 * in); a kernel without CONFIG_RSEQ refuses an image that has one.
 */
struct ckpt_hdr_task {
	struct ckpt_hdr h;
	__u32 exit_signal;
	__u32 personality;
	__u32 exit_code;
	__u32 pdeath_signal;
	char comm[16];
	__u64 clear_child_tid;
	__u64 robust_list;
	__u64 rseq;
	__u32 rseq_len;
	__u32 rseq_sig;
};

/**
 * struct ckpt_hdr_creds - credentials, ids as seen in the checkpointer's
 * user namespace; restart applies them only as far as setresuid(2),
 * setresgid(2), setgroups(2) and capset(2) would let the restarter
 * @ngroups: number of supplementary group ids that follow (<= 65536)
 */
struct ckpt_hdr_creds {
	struct ckpt_hdr h;
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u64 cap_inheritable;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_bset;
	__u64 cap_ambient;
	__u32 securebits;
	__u32 ngroups;
	__u32 groups[];
};

/**
 * struct ckpt_hdr_sched - a task's scheduling: policy, priority, nice,
 *	CPU affinity, and its no_new_privs
 * @flags: CKPT_SCHED_NO_NEW_PRIVS: prctl(PR_SET_NO_NEW_PRIVS) was set;
 *	CKPT_SCHED_ALL_CPUS: the affinity was every CPU there is (restart
 *	gives every CPU of its machine, @cpus is all zero);
 *	CKPT_SCHED_RESET_ON_FORK: SCHED_RESET_ON_FORK was set
 * @nr_cpus: bits of @cpus, a multiple of 64, at most CKPT_CPUS_MAX
 * @policy: SCHED_OTHER (0), SCHED_FIFO (1), SCHED_RR (2), SCHED_BATCH (3)
 *	or SCHED_IDLE (5); checkpoint refuses SCHED_DEADLINE
 * @nice: the nice value, -20 to 19 (kept under a real-time policy too)
 * @rt_priority: 1 to 99 under SCHED_FIFO and SCHED_RR, else 0
 * @_pad: zero
 * @cpus: the affinity mask (sched_getaffinity(2)), bit n for CPU n
 *
 * Restart sets what differs from what the restored task inherited with
 * sched_setattr(2) and sched_setaffinity(2), as the task itself, after
 * its credentials and rlimits: a nice value or policy the task could
 * not give itself (RLIMIT_NICE, RLIMIT_RTPRIO, CAP_SYS_NICE) fails the
 * restart with EPERM, and a CPU the machine does not have with EINVAL.
 * A restarter with no_new_privs gives it to the task whatever @flags.
 */
struct ckpt_hdr_sched {
	struct ckpt_hdr h;
	__u32 flags;
	__u32 nr_cpus;
	__u32 policy;
	__s32 nice;
	__u32 rt_priority;
	__u32 _pad;
	__u64 cpus[];
};

#define CKPT_SCHED_NO_NEW_PRIVS	0x1U
#define CKPT_SCHED_ALL_CPUS	0x2U
#define CKPT_SCHED_RESET_ON_FORK	0x4U
#define CKPT_SCHED_FLAGS	(CKPT_SCHED_NO_NEW_PRIVS | CKPT_SCHED_ALL_CPUS | \
				 CKPT_SCHED_RESET_ON_FORK)
#define CKPT_CPUS_MAX		8192

/**
 * struct ckpt_hdr_ctty - a process's controlling terminal (since
 *	version 13), after its files
 * @pty_objref: the CKPT_OBJ_PTY whose slave is the controlling terminal
 *	of the process's session, 0 for none or a terminal that is not a
 *	pty of the checkpoint (the restarter's terminal stands for it)
 * @_pad: zero
 *
 * A PTY record comes first if the pty was not named before.  Restart
 * makes the pty the controlling terminal of the session leader, as
 * TIOCSCTTY does, with the PTY's foreground process group, and of the
 * other processes of the session after it: the leader comes first in
 * the image, as it is an ancestor of the others.
 */
struct ckpt_hdr_ctty {
	struct ckpt_hdr h;
	__u32 pty_objref;
	__u32 _pad;
};

#define CKPT_RLIM_NLIMITS	16

/**
 * struct ckpt_hdr_rlimits - resource limits; restart applies them with
 * the checks of setrlimit(2).  RLIM_INFINITY is ~0ULL.
 */
struct ckpt_hdr_rlimits {
	struct ckpt_hdr h;
	struct {
		__u64 cur;
		__u64 max;
	} rlim[CKPT_RLIM_NLIMITS];
};

/**
 * struct ckpt_hdr_fs - filesystem context of a task
 * @umask: file mode creation mask
 * @root_len: bytes of the root path (NUL included) that follow
 * @cwd_len: bytes of the working directory path that follow root's
 */
struct ckpt_hdr_fs {
	struct ckpt_hdr h;
	__u32 umask;
	__u32 root_len;
	__u32 cwd_len;
	__u32 _pad;
	char paths[];
};

#define CKPT_AUXV_WORDS		64

/**
 * struct ckpt_hdr_mm - an address space; the VMA records follow it
 * @objref: CKPT_OBJ_MM objref
 * @nr_vmas: VMA records that follow
 * @exe_objref: CKPT_OBJ_FILE of /proc/PID/exe, 0 if none
 * @nr_auxv: words of @auxv used
 * @dumpable: 1, or 0 if the process was not dumpable (PR_SET_DUMPABLE 0,
 *	or ids changed without exec); set again after the restored
 *	credentials are committed.  Mode 2 (root-only dumps) is refused at
 *	checkpoint.
 * @flags: CKPT_MM_THP_DISABLE: transparent huge pages are kept out
 *	(PR_SET_THP_DISABLE), since version 15.  Checkpoint refuses an
 *	address space under PR_SET_MDWE or PR_SET_MEMORY_MERGE.
 * @vdso: address of the vDSO text, 0 if none
 */
struct ckpt_hdr_mm {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 nr_vmas;
	__u32 exe_objref;
	__u32 nr_auxv;
	__u32 dumpable;
	__u32 flags;
	__u64 start_code, end_code, start_data, end_data;
	__u64 start_brk, brk, start_stack;
	__u64 arg_start, arg_end, env_start, env_end;
	__u64 vdso;
	__u64 auxv[CKPT_AUXV_WORDS];
};

#define CKPT_MM_THP_DISABLE	0x1U
#define CKPT_MM_FLAGS		0x1U

/* VMA kinds */
enum ckpt_vma_kind {
	CKPT_VMA_ANON = 1,	/* private anonymous */
	CKPT_VMA_FILE = 2,	/* private or shared file mapping */
	CKPT_VMA_SHMEM = 3,	/* shared anonymous */
	CKPT_VMA_VDSO = 4,	/* [vdso] */
	CKPT_VMA_VVAR = 5,	/* [vvar] */
	CKPT_VMA_SYSVSHM = 6,	/* a whole SysV shared memory segment */
};

/* VMA flags (ckpt_hdr_vma.flags) */
#define CKPT_VMA_READ		0x0001
#define CKPT_VMA_WRITE		0x0002
#define CKPT_VMA_EXEC		0x0004
#define CKPT_VMA_SHARED		0x0008
#define CKPT_VMA_GROWSDOWN	0x0010
#define CKPT_VMA_NORESERVE	0x0020
#define CKPT_VMA_DONTFORK	0x0040
#define CKPT_VMA_DONTDUMP	0x0080
#define CKPT_VMA_WIPEONFORK	0x0100
#define CKPT_VMA_SEQ_READ	0x0200
#define CKPT_VMA_RAND_READ	0x0400
#define CKPT_VMA_MAYWRITE	0x0800
/*
 * Charged to the commit limit: a private mapping that was writable once
 * (e.g. a RELRO segment).  A read-only one is restored writable and then
 * write-protected, as it came about, so it stays a VMA of its own.
 */
#define CKPT_VMA_ACCOUNT	0x1000
#define CKPT_VMA_FLAGS_ALL	0x1fff

/**
 * struct ckpt_hdr_vma - one memory mapping
 * @start: page-aligned start, below TASK_SIZE
 * @end: page-aligned end, > @start
 * @pgoff: file offset in pages (CKPT_VMA_FILE)
 * @flags: CKPT_VMA_* flags
 * @kind: enum ckpt_vma_kind
 * @file_objref: for CKPT_VMA_FILE the CKPT_OBJ_FILE mapped, for
 *	CKPT_VMA_SHMEM the CKPT_OBJ_SHMEM; else zero
 * @shmid: for CKPT_VMA_SYSVSHM the id of the segment (an IPC_SHM record
 *	of the image), attached whole at @start with shmat(2); else zero
 *
 * The pages of shared memory (CKPT_VMA_SHMEM, CKPT_VMA_SYSVSHM) are
 * part of its object, never of the PAGES that follow the VMAs.
 */
struct ckpt_hdr_vma {
	struct ckpt_hdr h;
	__u64 start;
	__u64 end;
	__u64 pgoff;
	__u32 flags;
	__u32 kind;
	__u32 file_objref;
	__s32 shmid;
};

/* ckpt_hdr_shmem.flags */
#define CKPT_SHMEM_NORESERVE	0x1	/* not charged to the commit limit */

/**
 * struct ckpt_hdr_shmem - a MAP_SHARED | MAP_ANONYMOUS memory object
 * @objref: CKPT_OBJ_SHMEM objref
 * @flags: CKPT_SHMEM_* flags
 * @size: its size in bytes, page aligned, at most CKPT_SHMEM_MAX
 *
 * Written once, before the first VMA mapping it, however many mappings
 * of however many processes of the tree share it (over fork).  Followed
 * by its contents as PAGES records whose addresses are offsets in the
 * object (as for a MEMFD) and a PAGES record of no pages.
 */
struct ckpt_hdr_shmem {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 flags;
	__u64 size;
};

#define CKPT_SHMEM_MAX		(1ULL << 46)

/**
 * struct ckpt_hdr_pages - a batch of page contents
 * @nr_pages: pages in this batch, at most CKPT_PAGES_BATCH; 0 ends the
 *	address space's pages
 *
 * Followed by @nr_pages addresses (__u64, page aligned, strictly
 * increasing, each inside a VMA of the address space) and then the
 * @nr_pages pages of data in the same order.  Pages never written
 * (holes, the zero page, pages equal to the file) and pages that hold
 * only zeros are not stored: they read back as zeros or file data.
 */
struct ckpt_hdr_pages {
	struct ckpt_hdr h;
	__u32 nr_pages;
	__u32 _pad;
	__u64 addr[];
};

/**
 * struct ckpt_hdr_file_table - a file descriptor table
 * @objref: CKPT_OBJ_FILE_TABLE objref
 * @nr_fds: FD records that follow (each may be preceded by its FILE)
 * @nr_epolls: EPOLL records that follow the FD records, one per epoll
 *	file of the table
 * @nr_locks: FILE_LOCK records that follow the EPOLL records, at most
 *	CKPT_FILE_LOCKS_MAX
 */
struct ckpt_hdr_file_table {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 nr_fds;
	__u32 nr_epolls;
	__u32 nr_locks;
};

#define CKPT_FILE_LOCKS_MAX	65536

/* Kinds of file locks (ckpt_hdr_file_lock.kind) */
enum ckpt_lock_kind {
	CKPT_LOCK_FLOCK = 1,	/* flock(2): of the open file */
	CKPT_LOCK_POSIX = 2,	/* fcntl(2) F_SETLK: of the fd table */
	CKPT_LOCK_OFD = 3,	/* fcntl(2) F_OFD_SETLK: of the open file */
	CKPT_LOCK_LEASE = 4,	/* fcntl(2) F_SETLEASE: of the open file (v15) */
};

/**
 * struct ckpt_unix_end - one socket of a connected AF_UNIX pair
 * @ino: its inode number, which the FILE record of its open file carries
 * @shutdown: 1 receive, 2 send shut down (shutdown(2) SHUT_RD + 1, ...);
 *	of a stream or seqpacket pair, one end's send is the other's
 *	receive; a datagram socket's are its own
 * @flags: CKPT_UNIX_PASSCRED (SO_PASSCRED); CKPT_UNIX_BACKLOG for the
 *	listener's side of a connection that waits in @listener's backlog,
 *	not accepted yet: it has no open file (@ino 0) and no options of
 *	its own, and holds what its peer sent; restart connects the peer
 *	to @listener again, in the order of the records, which is the order
 *	accept(2) takes them.  Only of a stream or seqpacket pair, one end.
 *	CKPT_UNIX_CLOSED for an end its process closed while the other end
 *	stays open: no open file (@ino 0), no options, nothing queued for
 *	it, shut down both ways; restart closes it once the other end has
 *	its data (one end at most; a datagram end only if unnamed)
 * @sndbuf: SO_SNDBUF as the program set it, 0 if it did not
 * @rcvbuf: SO_RCVBUF likewise
 * @peek_off: SO_PEEK_OFF, -1 if not set
 * @nr_msgs: messages queued for this socket to read, the data its peer
 *	sent: datagrams or records as sent; for a stream, chunks whose
 *	bounds carry no meaning
 * @rcvtimeo_ns: SO_RCVTIMEO, 0 for none
 * @sndtimeo_ns: SO_SNDTIMEO, 0 for none
 * @nr_bytes: bytes queued for this socket to read
 * @listener: for the socket accept(2) returned for a connection, the
 *	FILE objref of the listening socket it was accepted from, whose
 *	address it shares (getsockname(2)), or in whose backlog it waits
 *	(CKPT_UNIX_BACKLOG); 0 for a socket without an address.  That FILE
 *	record comes before this record.
 * @nr_fds: file descriptors in flight (SCM_RIGHTS) in the messages
 *	queued for this socket, at most CKPT_UNIX_FDS_MAX for the pair
 *	(since version 14; zero before)
 */
struct ckpt_unix_end {
	__u64 ino;
	__u32 shutdown;
	__u32 flags;
	__s32 sndbuf;
	__s32 rcvbuf;
	__s32 peek_off;
	__u32 nr_msgs;
	__u64 rcvtimeo_ns;
	__u64 sndtimeo_ns;
	__u64 nr_bytes;
	__u32 listener;
	__u32 nr_fds;
};

/**
 * struct ckpt_unix_fd - a file descriptor in flight in a queued message
 *	(SCM_RIGHTS), since version 14
 * @msg: the message's index among the pair's messages (end[0]'s first)
 * @file: the FILE objref of the open file it passes, whose record comes
 *	before the UNIX_PAIR record
 *
 * A message passes its descriptors in the order of its entries, at most
 * 253 (SCM_MAX_FD) of them.
 */
struct ckpt_unix_fd {
	__u32 msg;
	__u32 file;
};

#define CKPT_UNIX_PASSCRED	0x1U
#define CKPT_UNIX_BACKLOG	0x2U	/* since version 10 */
#define CKPT_UNIX_CLOSED	0x4U	/* since version 14 */
#define CKPT_UNIX_FLAGS		(CKPT_UNIX_PASSCRED | CKPT_UNIX_BACKLOG | \
				 CKPT_UNIX_CLOSED)
#define CKPT_UNIX_MSGS_MAX	65536
#define CKPT_UNIX_FDS_MAX	65536

/**
 * struct ckpt_hdr_unix_pair - two connected AF_UNIX sockets, as
 * socketpair(2) makes them or connect(2) and accept(2) made them, with
 * the data queued in each
 * @objref: CKPT_OBJ_UNIX_PAIR objref
 * @type: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET
 * @end: the two sockets
 * @msg_len: the length of each queued message, end[0]'s first, then
 *	end[1]'s; then zero padding to 8 bytes, then end[0].nr_fds +
 *	end[1].nr_fds struct ckpt_unix_fd in message order, then the data,
 *	end[0]'s first, each end's in the order it would be read
 *
 * Restart makes the pair, names an accepted end after its restored
 * listener, gives each end its options, sends each end's messages from
 * the other (so that datagram and record bounds stay) with the files in
 * flight they carried, then shuts down what was shut down.  Sockets
 * bound to an address of their own, an accepted socket whose listener
 * is not in the checkpoint, credentials in flight, descriptors in flight
 * to a connection not accepted yet and out-of-band data are refused at
 * checkpoint.
 */
struct ckpt_hdr_unix_pair {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 type;
	struct ckpt_unix_end end[2];
	__u32 msg_len[];
};

/**
 * struct ckpt_sockopt - an option of a socket, as getsockopt(2) reads
 *	it and setsockopt(2) sets it (since version 14)
 * @level: SOL_SOCKET (1), SOL_IP (0), SOL_IPV6 (41) or SOL_TCP (6)
 * @name: one of the options checkpoint saves at that level:
 *	SO_PRIORITY, SO_RCVLOWAT, SO_MARK, SO_LINGER, SO_DONTROUTE,
 *	SO_OOBINLINE, SO_NO_CHECK, SO_PASSSEC; IP_TOS, IP_TTL, IP_FREEBIND,
 *	IP_PKTINFO, IP_RECVTOS, IP_RECVTTL; IPV6_RECVPKTINFO, IPV6_TCLASS,
 *	IPV6_UNICAST_HOPS, IPV6_RECVTCLASS; TCP_KEEPIDLE, TCP_KEEPINTVL,
 *	TCP_KEEPCNT, TCP_CORK, TCP_USER_TIMEOUT, TCP_LINGER2
 * @len: the bytes of @val that hold it: 4 (an int), or 8 for SO_LINGER
 *	(struct linger)
 * @_pad: zero
 * @val: the value, in the byte order of the machine, zero past @len
 */
struct ckpt_sockopt {
	__s32 level;
	__s32 name;
	__u32 len;
	__u32 _pad;
	__u8 val[8];
};

#define CKPT_SOCKOPTS_MAX	32

/**
 * struct ckpt_hdr_socket - a socket with no connection to save and
 *	nothing queued: unbound, bound, or listening with no connection
 *	waiting (AF_UNIX, TCP and UDP over IPv4 and IPv6), or a UDP or
 *	AF_UNIX datagram socket connected to its peer
 * @objref: CKPT_OBJ_SOCKET objref, which the FILE (kind CKPT_FILE_SOCKET)
 *	names in its @ref
 * @family: AF_UNIX (1), AF_INET (2) or AF_INET6 (10)
 * @type: SOCK_STREAM (1), SOCK_DGRAM (2) or, for AF_UNIX,
 *	SOCK_SEQPACKET (5)
 * @protocol: 0 for AF_UNIX, IPPROTO_TCP (6) for an inet stream,
 *	IPPROTO_UDP (17), or since version 15 IPPROTO_UDPLITE (136) or a
 *	ping socket's IPPROTO_ICMP (1, IPv4) or IPPROTO_ICMPV6 (58, IPv6),
 *	for an inet datagram socket
 * @state: enum ckpt_sock_state
 * @flags: CKPT_SOCK_* options that were set
 * @backlog: for CKPT_SOCK_LISTENING, the backlog listen(2) kept
 * @sndbuf: SO_SNDBUF as the program set it, 0 if it did not
 * @rcvbuf: SO_RCVBUF likewise
 * @rcvtimeo_ns: SO_RCVTIMEO, 0 for none
 * @sndtimeo_ns: SO_SNDTIMEO, 0 for none
 * @addr_len: bytes of @addr used, 0 for an unbound socket (which an
 *	AF_UNIX datagram socket may be when CKPT_SOCK_CONNECTED)
 * @peer_len: bytes of @peer used, 0 but for CKPT_SOCK_CONNECTED
 * @mode: an AF_UNIX socket bound to a path: the permission bits of the
 *	socket file; else 0
 * @path_dev: that socket file's device (new_encode_dev); else 0
 * @path_ino: its inode number; else 0
 * @addr: the local address as getsockname(2) gives it (struct
 *	sockaddr_un, sockaddr_in or sockaddr_in6); an AF_UNIX path is
 *	absolute, an abstract name starts with a NUL byte
 * @peer: the peer's address, as getpeername(2) gives it; for AF_UNIX
 *	the name the peer is bound to, a path made absolute.  A peer held
 *	inside the checkpoint has its FILE record earlier in the image,
 *	so that restart binds it before connecting to it; a peer outside
 *	is connected to by name again (nothing bound there fails the
 *	restart, ECONNREFUSED)
 * @nr_msgs: an AF_UNIX datagram socket bound to a name (since version
 *	9): the datagrams queued for it to read, each from a socket
 *	without a name; 0 for others
 * @nr_opts: entries of @opts used (since version 14)
 * @nr_bytes: their bytes
 * @opts: the options whose value is not a new socket's, each once, set
 *	in this order before the socket is bound (since version 14)
 * @msg_len: the length of each datagram, in the order they would be
 *	read; then zero padding to 8 bytes, then their data
 *
 * Restart makes the socket with socket(2)'s checks, sets its options
 * with setsockopt(2)'s, binds, listens and connects with the system
 * calls' own code (LSM hooks, CAP_NET_BIND_SERVICE for a low port), all
 * as the restored task, in the restarter's network namespace.  An
 * address in use fails the restart (EADDRINUSE).  A stale socket file
 * at an AF_UNIX path (one no socket is bound to, as the checkpointed
 * process leaves it) is removed first, as unlink(2) would, and the path
 * is bound again with @mode; a live socket's file or another file there
 * fails the restart (EADDRINUSE).  @path_dev and @path_ino are
 * informational.
 * A bound AF_UNIX datagram socket gets its queued datagrams again, each
 * sent to it from a new socket without a name, after it is bound and
 * before it connects.  An established TCP connection (version 12) is
 * CKPT_SOCK_CONNECTED and a TCP record follows (struct ckpt_hdr_tcp).
 * Other connections and data in flight are not saved: checkpoint
 * refuses a socket that has them, or options it does not save
 * (EOPNOTSUPP).
 */
struct ckpt_hdr_socket {
	struct ckpt_hdr h;
	__u32 objref;
	__u16 family;
	__u16 type;
	__u32 protocol;
	__u32 state;
	__u32 flags;
	__u32 backlog;
	__s32 sndbuf;
	__s32 rcvbuf;
	__u64 rcvtimeo_ns;
	__u64 sndtimeo_ns;
	__u32 addr_len;
	__u32 peer_len;
	__u32 mode;
	__u32 path_dev;
	__u64 path_ino;
	__u8 addr[128];
	__u8 peer[128];
	__u32 nr_msgs;
	__u32 nr_opts;
	__u64 nr_bytes;
	struct ckpt_sockopt opts[CKPT_SOCKOPTS_MAX];
	__u32 msg_len[];
};

/* ckpt_hdr_socket.state */
enum ckpt_sock_state {
	CKPT_SOCK_UNBOUND = 1,		/* as socket(2) made it */
	CKPT_SOCK_BOUND = 2,		/* bind(2) (or an inet autobind) */
	CKPT_SOCK_LISTENING = 3,	/* listen(2), no connection waiting */
	/* UDP, or an AF_UNIX datagram socket (since version 9, bound or
	 * not), connect(2) to @peer; an established TCP connection (since
	 * version 12)
	 */
	CKPT_SOCK_CONNECTED = 4,
};

#define CKPT_SOCK_REUSEADDR	0x1U	/* SO_REUSEADDR */
#define CKPT_SOCK_REUSEPORT	0x2U	/* SO_REUSEPORT */
#define CKPT_SOCK_KEEPALIVE	0x4U	/* SO_KEEPALIVE */
#define CKPT_SOCK_BROADCAST	0x8U	/* SO_BROADCAST */
#define CKPT_SOCK_PASSCRED	0x10U	/* SO_PASSCRED */
#define CKPT_SOCK_V6ONLY	0x20U	/* IPV6_V6ONLY */
#define CKPT_SOCK_NODELAY	0x40U	/* TCP_NODELAY */
#define CKPT_SOCK_SHUT_RD	0x80U	/* UDP: shutdown(2) SHUT_RD (v14) */
#define CKPT_SOCK_SHUT_WR	0x100U	/* UDP: shutdown(2) SHUT_WR (v14) */
#define CKPT_SOCK_FLAGS		0x1ffU

/**
 * struct ckpt_hdr_tcp - an established TCP connection (since version 12),
 *	or one that began to close (since version 15)
 * @objref: the CKPT_OBJ_SOCKET whose SOCKET record (CKPT_SOCK_CONNECTED,
 *	TCP) this record follows
 * @flags: CKPT_TCP_* options the two ends agreed on, and the FINs:
 *	CKPT_TCP_FIN_SENT if the connection was shut down for writing
 *	(FIN_WAIT1, FIN_WAIT2, CLOSING, LAST_ACK), CKPT_TCP_FIN_RCVD if its
 *	peer's FIN came (CLOSE_WAIT, CLOSING, LAST_ACK)
 * @snd_seq: sequence number of the first byte of @snd_len (the oldest
 *	byte the peer has not acknowledged); its own FIN, not counted in
 *	@snd_len, would take the number after the last
 * @rcv_seq: sequence number of the first byte of @rcv_len (the oldest
 *	byte the process has not read); the peer's FIN, not counted in
 *	@rcv_len, took the number after the last
 * @mss: the maximum segment size the peer announced
 * @snd_wscale: window scale of the peer's windows (CKPT_TCP_WSCALE)
 * @rcv_wscale: window scale of ours
 * @timestamp: the connection's TCP timestamp clock (TCP_TIMESTAMP)
 * @snd_wl1: @snd_wnd, @max_window, @rcv_wnd and @rcv_wup: the windows,
 *	as TCP_REPAIR_WINDOW gives them
 * @snd_wnd: see @snd_wl1
 * @max_window: see @snd_wl1
 * @rcv_wnd: see @snd_wl1
 * @rcv_wup: see @snd_wl1
 * @snd_len: bytes written and not acknowledged, sent or not
 * @unsent: of which the last @unsent were never sent
 * @rcv_len: bytes received and not read
 * @sndbuf: the send buffer's size then (SO_SNDBUF's value)
 * @rcvbuf: the receive buffer's size then
 * @_pad: zero
 * @data: the @snd_len bytes, then the @rcv_len bytes
 *
 * Checkpoint reads the connection in TCP repair mode (TCP_REPAIR), which
 * needs CAP_NET_ADMIN in the user namespace of the socket's network
 * namespace; restart makes it again in repair mode, as the restored
 * task, with the same need: it binds the local address, connects to
 * @peer without a handshake, sets the sequence numbers, options and
 * windows, and queues the unread bytes to be read.  Once every object of
 * the image is made, the bytes not acknowledged are queued as sent (TCP
 * sends them again when the peer does not acknowledge them); once the
 * restart can no longer fail, repair mode ends with a window probe and
 * the unsent bytes are written.  The peer's FIN is received again in
 * repair mode after the unread bytes (tcp_repair_fin_rcvd()); its own
 * FIN is sent again once the unsent bytes are written, with
 * shutdown(SHUT_WR), and the peer acknowledges it again: a connection
 * in FIN_WAIT2 is in FIN_WAIT1 until it does, one that was CLOSING is
 * in LAST_ACK.  A queue that does not fit the new
 * socket's buffers grows them to @sndbuf and @rcvbuf as SO_SNDBUFFORCE
 * and SO_RCVBUFFORCE would (which needs CAP_NET_ADMIN in the initial
 * user namespace).
 */
struct ckpt_hdr_tcp {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 flags;
	__u32 snd_seq;
	__u32 rcv_seq;
	__u32 mss;
	__u16 snd_wscale;
	__u16 rcv_wscale;
	__u32 timestamp;
	__u32 snd_wl1;
	__u32 snd_wnd;
	__u32 max_window;
	__u32 rcv_wnd;
	__u32 rcv_wup;
	__u32 snd_len;
	__u32 unsent;
	__u32 rcv_len;
	__u32 sndbuf;
	__u32 rcvbuf;
	__u32 _pad;
	__u8 data[];
};

#define CKPT_TERMIOS_NCCS	32

/**
 * struct ckpt_termios - a terminal's settings (struct termios2)
 * @c_iflag: input modes
 * @c_oflag: output modes
 * @c_cflag: control modes
 * @c_lflag: local modes
 * @c_ispeed: input speed
 * @c_ospeed: output speed
 * @c_line: line discipline number, N_TTY (0): checkpoint refuses others
 * @_pad: zero
 * @c_cc: control characters; the kernel's NCCS first, the rest zero
 */
struct ckpt_termios {
	__u32 c_iflag;
	__u32 c_oflag;
	__u32 c_cflag;
	__u32 c_lflag;
	__u32 c_ispeed;
	__u32 c_ospeed;
	__u8 c_line;
	__u8 _pad[7];
	__u8 c_cc[CKPT_TERMIOS_NCCS];
};

/**
 * struct ckpt_hdr_pty - a Unix 98 pseudo-terminal pair (since version 13)
 * @objref: CKPT_OBJ_PTY objref
 * @flags: CKPT_PTY_LOCKED: the slave is locked (TIOCSPTLCK);
 *	CKPT_PTY_PACKET: the master is in packet mode (TIOCPKT);
 *	CKPT_PTY_SLAVE_CLOSED: the slave was opened and closed again, so
 *	that the master reads EIO until it is opened anew;
 *	CKPT_PTY_SLAVE_OWNER: @slave_uid, @slave_gid and @slave_mode hold
 *	the slave node's owner and mode, which restart gives the new node
 *	with fchown(2) and fchmod(2), as the restored task, if they differ
 * @index: the slave's number at checkpoint (/dev/pts/@index),
 *	informational: restart makes a new pair, numbered as devpts
 *	chooses
 * @master_flags: open(2) flags of the master's open file description
 * @session: pid (as the TREE gives it) of the leader of the session
 *	whose controlling terminal the slave is, 0 if none
 * @pgrp: the slave's foreground process group (tcgetpgrp(3)), 0 without
 *	@session
 * @ws_row: window size (TIOCGWINSZ): rows
 * @ws_col: columns
 * @ws_xpixel: width in pixels
 * @ws_ypixel: height in pixels
 * @_pad: zero
 * @termios: the slave's termios (a master's are the driver's own:
 *	checkpoint refuses a master whose termios were changed)
 * @to_slave: bytes written to the master that the slave has not read,
 *	at most CKPT_PTY_UNREAD_MAX (since version 15)
 * @to_master: bytes written to the slave (or echoed) that the master
 *	has not read, likewise
 * @slave_uid: owner of the slave's node (/dev/pts/N), in the user
 *	namespace of the checkpointer, with CKPT_PTY_SLAVE_OWNER (since
 *	version 15; a slave with an open file has it)
 * @slave_gid: its group, likewise
 * @slave_mode: its permission bits, likewise
 * @_pad2: zero
 * @path_len: bytes of @path, NUL included, at most CKPT_PATH_MAX
 * @path: the master's path at checkpoint (the ptmx node of the pty's
 *	devpts instance, /dev/ptmx or /dev/pts/ptmx), then zeros to a
 *	multiple of 8 bytes, then the bytes not read: @to_slave bytes,
 *	then a bitmap of @to_slave bits (byte i / 8, bit i % 8; the bits
 *	after the last zero) set where byte i ends a line a canonical
 *	read(2) returns (a NUL that does is an EOF), then the same two for
 *	@to_master
 *
 * The master and every open file of the slave are FILE records of kind
 * CKPT_FILE_PTY naming the PTY; the master's FILE has @rdev 5:2 (ptmx),
 * a slave's the slave's device number.  Restart opens @path as the
 * restored task (it must still be a ptmx node), which makes a new
 * pair, sets the slave's termios, the window size and packet mode, opens each
 * of the slave's files as TIOCGPTPEER does, and locks the slave again
 * if it was, then gives each end its bytes not read, as they were
 * received (not echoed again).  Checkpoint refuses a pty with echoes not
 * output yet, a literal next (^V) waiting for its character or an input
 * buffer full (more could wait in the driver's), with a packet
 * mode status byte pending, with output stopped (^S), in exclusive
 * mode (TIOCEXCL), with another line discipline than N_TTY, or with a
 * file of either end open outside the checkpoint.
 */
struct ckpt_hdr_pty {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 flags;
	__u32 index;
	__u32 master_flags;
	__s32 session;
	__s32 pgrp;
	__u16 ws_row;
	__u16 ws_col;
	__u16 ws_xpixel;
	__u16 ws_ypixel;
	__u32 path_len;
	__u32 _pad;
	struct ckpt_termios termios;
	__u32 to_slave;
	__u32 to_master;
	__u32 slave_uid;
	__u32 slave_gid;
	__u32 slave_mode;
	__u32 _pad2;
	char path[];
};

#define CKPT_PTY_UNREAD_MAX	4094

#define CKPT_PTY_LOCKED		0x1U
#define CKPT_PTY_PACKET		0x2U
#define CKPT_PTY_SLAVE_CLOSED	0x4U
#define CKPT_PTY_SLAVE_OWNER	0x8U	/* since version 15 */
#define CKPT_PTY_FLAGS		0xfU

#define CKPT_TCP_SACK		0x1U	/* selective acknowledgments */
#define CKPT_TCP_TIMESTAMPS	0x2U	/* timestamps */
#define CKPT_TCP_WSCALE		0x4U	/* window scaling */
/* since version 15: the connection began to close */
#define CKPT_TCP_FIN_SENT	0x8U	/* its own FIN was queued */
#define CKPT_TCP_FIN_RCVD	0x10U	/* the peer's FIN was received */
#define CKPT_TCP_FLAGS		0x1fU

/**
 * struct ckpt_hdr_file_lock - a lock held through a file of the table
 * @fd: the lowest fd of the table that refers to the locked open file
 * @kind: enum ckpt_lock_kind
 * @type: F_RDLCK (shared) or F_WRLCK (exclusive)
 * @start: first byte locked; 0 for CKPT_LOCK_FLOCK and CKPT_LOCK_LEASE
 * @end: last byte locked, LLONG_MAX for "to the end of the file, however
 *	long it grows"; 0 for CKPT_LOCK_FLOCK and CKPT_LOCK_LEASE
 *
 * A POSIX lock belongs to the fd table (every process that shares it),
 * a flock or OFD lock to the open file, which may be in several tables:
 * restart takes each again, with flock(2) or fcntl(2) F_SETLK /
 * F_OFD_SETLK without waiting, once the table's fds are installed and
 * before any task runs.  A lock another process took in the meantime
 * fails the restart (EAGAIN).  A lease is taken again with
 * fcntl(F_SETLEASE), owned by the restored process; a lease being
 * broken, one whose break signal F_SETSIG chose, and NFS delegations are
 * refused at checkpoint.
 */
struct ckpt_hdr_file_lock {
	struct ckpt_hdr h;
	__u32 fd;
	__u16 kind;
	__u16 type;
	__u64 start;
	__u64 end;
};

/* Kinds of open files */
enum ckpt_file_kind {
	CKPT_FILE_REG = 1,	/* regular file, reopened by path */
	CKPT_FILE_DIR = 2,	/* directory, reopened by path */
	CKPT_FILE_CHR = 3,	/* memory character device (/dev/null, ...) */
	CKPT_FILE_TTY = 4,	/* a terminal: the restarter's terminal */
	CKPT_FILE_PIPE = 5,	/* one end of a pipe(2): @ref names the pipe */
	CKPT_FILE_FIFO = 6,	/* a FIFO opened by path: @ref names its pipe */
	CKPT_FILE_MEMFD = 7,	/* a memfd_create(2) file: @ref names it */
	CKPT_FILE_EVENTFD = 8,	/* eventfd(2): @ref names its EVENTFD */
	CKPT_FILE_SIGNALFD = 9,	/* signalfd(2): @ref names its SIGNALFD */
	CKPT_FILE_TIMERFD = 10,	/* timerfd_create(2): @ref names its TIMERFD */
	CKPT_FILE_EPOLL = 11,	/* epoll_create(2): filled by an EPOLL record */
	CKPT_FILE_PIDFD = 12,	/* pidfd_open(2): @ref is the task's pid */
	CKPT_FILE_UNIX = 13,	/* AF_UNIX pair: @ref names it, @ino the end */
	CKPT_FILE_SOCKET = 14,	/* other sockets: @ref names its SOCKET */
	CKPT_FILE_OPATH = 15,	/* O_PATH, not of a file or dir: by path */
	CKPT_FILE_INOTIFY = 16,	/* inotify_init1(2): @ref names its INOTIFY */
	CKPT_FILE_PTY = 17,	/* a pty's master or slave: @ref names its PTY */
};

/**
 * struct ckpt_hdr_file - an open file description
 * @objref: CKPT_OBJ_FILE objref
 * @kind: enum ckpt_file_kind
 * @f_flags: open(2) flags (O_ACCMODE, O_APPEND, O_NONBLOCK, ...)
 * @mode: i_mode of the inode
 * @pos: file offset
 * @rdev: device number, for CKPT_FILE_CHR and a device node of
 *	CKPT_FILE_OPATH (new_encode_dev format)
 * @size: file size at checkpoint (informational)
 * @path_len: bytes of the path that follows, NUL included
 * @ref: for CKPT_FILE_PIPE and CKPT_FILE_FIFO the CKPT_OBJ_PIPE objref
 *	of its pipe (whose PIPE record comes first), for CKPT_FILE_MEMFD the
 *	CKPT_OBJ_MEMFD objref of its memory file, for CKPT_FILE_EVENTFD,
 *	CKPT_FILE_SIGNALFD, CKPT_FILE_TIMERFD and CKPT_FILE_INOTIFY the
 *	objref of the record (right before it) that holds its state; for CKPT_FILE_UNIX the
 *	CKPT_OBJ_UNIX_PAIR objref of its pair (which comes first, and
 *	whose end with the FILE's @ino it is); for CKPT_FILE_SOCKET the
 *	CKPT_OBJ_SOCKET objref of its SOCKET (right before it); for
 *	CKPT_FILE_PIDFD the
 *	pid, as the TREE gives it, of the task it refers to (O_EXCL in
 *	@f_flags: PIDFD_THREAD); 0 for the other kinds
 * @relink_len: bytes of the relinked path that follows the path, NUL
 *	included; 0 unless the file had no name left at checkpoint
 * @uid: owner of the inode (user namespace of the checkpointer)
 * @gid: group of the inode
 * @dev: the device of the inode's filesystem (new_encode_dev format)
 * @ino: the inode number
 * @flags: CKPT_FILE_NOT_WRITER (since version 15; 0 before): a memfd file
 *	open for writing that holds no write access on its inode, as the file
 *	memfd_create() made (one opened again through /proc/PID/fd holds
 *	it, and so keeps the memfd from being executed: ETXTBSY)
 * @_pad: zero
 *
 * @dev and @ino say which file this was: restart refuses to reopen a
 * regular file or directory whose path (or relinked path) now leads to
 * another inode (ESTALE), unless given RESTART_FILES_REPLACED, as after
 * a copy of the filesystem.
 *
 * The path is absolute, except for a pipe, whose "pipe:[inode]" is only
 * informational.  For an unlinked file (CKPT_FILE_REG, CKPT_FILE_DIR and,
 * since version 15, CKPT_FILE_FIFO only) @path is the name it had,
 * informational, and the relinked path is where restart finds it: a hard
 * link checkpoint made in
 * lost+found/checkpoint/<dir>/ at the root of the file's mount, which
 * restart opens and unlinks once the whole restart succeeded (unless
 * RESTART_KEEP_LINKS).  A directory is recreated there empty, with @mode,
 * @uid and @gid, opened and removed.  Restart refuses a relinked path
 * whose directory is not lost+found/checkpoint/<dir> at a mount's root.
 */
struct ckpt_hdr_file {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 kind;
	__u32 f_flags;
	__u32 mode;
	__s64 pos;
	__u64 rdev;
	__u64 size;
	__u32 path_len;
	__u32 ref;
	__u32 relink_len;
	__u32 uid;
	__u32 gid;
	__u32 dev;
	__u64 ino;
	__u32 flags;
	__u32 _pad;
	char path[];
};

#define CKPT_FILE_NOT_WRITER	0x1U

/**
 * struct ckpt_hdr_pipe - a pipe and the bytes buffered in it
 * @objref: CKPT_OBJ_PIPE objref
 * @size: its capacity in bytes (F_GETPIPE_SZ), a power of two of pages
 * @nr_bytes: bytes of unread data that follow, at most @size
 * @_pad: zero
 *
 * When the first FILE record naming it comes, restart creates the pipe
 * (for a FIFO: opens its path read-write), sets its capacity and writes
 * the data back, so reading yields exactly the unread bytes, in order.
 * The ends are the FILE records naming it.  Packet-mode (O_DIRECT) pipes
 * and notification pipes are not supported.
 */
struct ckpt_hdr_pipe {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 size;
	__u32 nr_bytes;
	__u32 _pad;
	__u8 data[];
};

/**
 * struct ckpt_hdr_memfd - a memfd_create(2) file: name, seals, contents
 * @objref: CKPT_OBJ_MEMFD objref
 * @seals: F_SEAL_* of the file (F_GET_SEALS)
 * @size: its size in bytes
 * @name_len: bytes of the name that follows (without the "memfd:"
 *	prefix), NUL included, at most 250
 * @mode: its permission bits (fchmod(2)), restored before the seals
 *
 * Followed by the file's contents as PAGES records whose addresses are
 * file offsets (increasing, page aligned, below @size; pages that are
 * holes or all zero are left out), and a PAGES record of no pages.
 * Restart creates the file, writes the contents, then adds the seals.
 * Each FILE record naming it (the first comes right after the PAGES
 * end) is an open file description of it.  Hugetlb memfds are not
 * supported.
 */
struct ckpt_hdr_memfd {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 seals;
	__u64 size;
	__u32 name_len;
	__u32 mode;
	char name[];
};

/**
 * struct ckpt_hdr_eventfd - the state of an eventfd(2) file
 * @objref: CKPT_OBJ_EVENTFD objref
 * @flags: EFD_SEMAPHORE or 0
 * @count: the counter, below 2^64 - 1
 */
struct ckpt_hdr_eventfd {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 flags;
	__u64 count;
};

/**
 * struct ckpt_hdr_signalfd - the state of a signalfd(2) file
 * @objref: CKPT_OBJ_SIGNALFD objref
 * @_pad: zero
 * @mask: the signals it accepts (bit n-1 for signal n)
 */
struct ckpt_hdr_signalfd {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 _pad;
	__u64 mask;
};

/**
 * struct ckpt_hdr_timerfd - the state of a timerfd_create(2) file
 * @objref: CKPT_OBJ_TIMERFD objref
 * @clockid: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or their
 *	_ALARM variants (which need CAP_WAKE_ALARM at restart)
 * @settime_flags: TFD_TIMER_ABSTIME, TFD_TIMER_CANCEL_ON_SET of the last
 *	timerfd_settime(2)
 * @_pad: zero
 * @ticks: expirations not read yet
 * @value_ns: time to the next expiration (0: disarmed), as
 *	timerfd_gettime(2) gives it
 * @interval_ns: the interval, 0 for a one-shot timer
 *
 * Restart arms the timer @value_ns from the moment it restores it (an
 * absolute timer: at the clock's time then plus @value_ns, with
 * @settime_flags), so the time the process spent checkpointed does not
 * count.
 */
struct ckpt_hdr_timerfd {
	struct ckpt_hdr h;
	__u32 objref;
	__s32 clockid;
	__u32 settime_flags;
	__u32 _pad;
	__u64 ticks;
	__u64 value_ns;
	__u64 interval_ns;
};

/**
 * struct ckpt_inotify_watch - one watch of an inotify(7) file
 * @wd: its watch descriptor, 1 to INT_MAX
 * @mask: its mask as inotify_add_watch(2) takes it: IN_* events,
 *	IN_ONESHOT and IN_EXCL_UNLINK
 * @mode: i_mode of the watched inode
 * @path_len: bytes of its path in the record, NUL included
 * @dev: the device of the inode's filesystem (new_encode_dev format)
 * @ino: the inode number
 */
struct ckpt_inotify_watch {
	__s32 wd;
	__u32 mask;
	__u32 mode;
	__u32 path_len;
	__u64 dev;
	__u64 ino;
};

/**
 * struct ckpt_hdr_inotify - an inotify(7) file and its watches
 * @objref: CKPT_OBJ_INOTIFY objref
 * @nr_watches: watches that follow
 * @next_wd: where the file's next watch descriptor is looked for from
 *	(INOTIFY_IOC_SETNEXTWD), 1 to INT_MAX
 * @_pad: zero
 * @watches: the watches, by increasing @wd, then their paths, one
 *	after the other in the same order, each NUL-terminated
 *
 * A watch is on an inode; checkpoint names it by an absolute path that
 * leads to it from the checkpointer's root, and restart adds it again
 * by that path with the checks inotify_add_watch(2) makes, as the
 * restored task, and with its old descriptor.  A path that leads to
 * another inode fails restart (ESTALE) as a file's does (struct
 * ckpt_hdr_file).  Events queued and not read yet make checkpoint fail.
 */
struct ckpt_hdr_inotify {
	struct ckpt_hdr h;
	__u32 objref;
	__u32 nr_watches;
	__s32 next_wd;
	__u32 _pad;
	struct ckpt_inotify_watch watches[];
};

/**
 * struct ckpt_epoll_item - one entry of an epoll interest list
 * @file_objref: CKPT_OBJ_FILE watched, an open file of the fd table
 * @fd: the descriptor number it was added as (epoll_ctl(2) knows an
 *	entry by file and number)
 * @events: its event mask (EPOLLIN, EPOLLET, EPOLLONESHOT, ...)
 * @_pad: zero
 * @data: its epoll_data
 */
struct ckpt_epoll_item {
	__u32 file_objref;
	__s32 fd;
	__u32 events;
	__u32 _pad;
	__u64 data;
};

/**
 * struct ckpt_hdr_epoll - what an epoll file watches
 * @file_objref: CKPT_OBJ_FILE of the epoll file (kind CKPT_FILE_EPOLL)
 * @nr_items: entries that follow
 * @items: the interest list
 *
 * EPOLL records follow the FD records of the table that holds the epoll
 * file, when every watched file is restored: restart adds each entry
 * with epoll_ctl(EPOLL_CTL_ADD) semantics (EPOLLWAKEUP needs
 * CAP_BLOCK_SUSPEND, loops are refused).  Which entries are ready is
 * found anew.  A watched file that no fd of the checkpoint holds makes
 * checkpoint fail.
 */
struct ckpt_hdr_epoll {
	struct ckpt_hdr h;
	__u32 file_objref;
	__u32 nr_items;
	struct ckpt_epoll_item items[];
};

/**
 * struct ckpt_hdr_fd - one file descriptor
 * @fd: its number
 * @flags: FD_CLOEXEC or 0
 * @file_objref: the CKPT_OBJ_FILE it refers to
 */
struct ckpt_hdr_fd {
	struct ckpt_hdr h;
	__u32 fd;
	__u32 flags;
	__u32 file_objref;
	__u32 _pad;
};

#define CKPT_NSIG		64

/**
 * struct ckpt_hdr_sighand - signal dispositions, sigaction(2) fields of
 * signals 1..64 in act[0..63]
 */
struct ckpt_hdr_sighand {
	struct ckpt_hdr h;
	struct {
		__u64 handler;
		__u64 flags;
		__u64 restorer;
		__u64 mask;
	} act[CKPT_NSIG];
};

/**
 * struct ckpt_hdr_signal - per-task signal state, and the process's OOM
 *	score and child-subreaper flag
 * @blocked: blocked signal mask (bit n-1 for signal n)
 * @altstack_sp: sigaltstack(2) ss_sp
 * @altstack_size: ss_size
 * @altstack_flags: ss_flags (SS_AUTODISARM or SS_DISABLE)
 * @nr_pending: SIGPENDING records that follow
 * @itimer: ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF: value and interval
 *	in nanoseconds
 * @nr_timers: POSIX_TIMER records that follow the SIGPENDING ones, at
 *	most CKPT_TIMERS_MAX; process-wide, so zero but in the SIGNAL of
 *	the first task of a process
 * @flags: CKPT_SIGNAL_* bits; process-wide, so zero but in the SIGNAL
 *	of the first task of a process
 *
 * @oom_score_adj: /proc/PID/oom_score_adj, -1000 to 1000; process-wide,
 *	so zero but in the SIGNAL of the first task of a process
 * @oom_score_adj_min: the floor below which only CAP_SYS_RESOURCE may
 *	lower @oom_score_adj, -1000 to 1000; process-wide likewise
 *
 * @stop_signo: with CKPT_SIGNAL_STOPPED, the signal that stopped it as
 *	wait(2) would report it (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU), or
 *	0 if its parent had taken that report already (since version 14)
 * @_pad: zero
 *
 * CKPT_SIGNAL_STOPPED: the process was stopped by job control (SIGSTOP,
 * SIGTSTP, SIGTTIN, SIGTTOU) when it was checkpointed, unless the
 * checkpoint was taken with CHECKPOINT_RUNNING.  Restart stops it again
 * with @stop_signo (SIGSTOP if 0, or if its process group is orphaned by
 * then, which would discard the others) before any of its threads runs,
 * so that its parent sees it stopped and SIGCONT resumes it.
 * CKPT_SIGNAL_CHILD_SUBREAPER: prctl(PR_SET_CHILD_SUBREAPER) was set;
 * restart sets it as the prctl does.
 *
 * Restart writes @oom_score_adj as a write to /proc/PID/oom_score_adj by
 * the restored process would, when it differs from what the process
 * inherited: below the inherited floor it needs CAP_SYS_RESOURCE (else
 * EACCES), and the floor that write leaves must be @oom_score_adj_min
 * (else EPERM: a floor the process could not have set itself).
 */
struct ckpt_hdr_signal {
	struct ckpt_hdr h;
	__u64 blocked;
	__u64 altstack_sp;
	__u64 altstack_size;
	__u32 altstack_flags;
	__u32 nr_pending;
	struct {
		__u64 value_ns;
		__u64 interval_ns;
	} itimer[3];
	__u32 nr_timers;
	__u32 flags;
	__s32 oom_score_adj;
	__s32 oom_score_adj_min;
	__u32 stop_signo;
	__u32 _pad;
};

#define CKPT_SIGNAL_STOPPED		0x1U
#define CKPT_SIGNAL_CHILD_SUBREAPER	0x2U
#define CKPT_SIGNAL_FLAGS	(CKPT_SIGNAL_STOPPED | CKPT_SIGNAL_CHILD_SUBREAPER)

/* Most POSIX timers of a process in an image. */
#define CKPT_TIMERS_MAX		65536

/**
 * struct ckpt_hdr_posix_timer - a POSIX timer of the process (timer_create(2))
 * @id: its timer id; restart makes it with the same one
 * @clock: CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME or CLOCK_TAI
 *	(checkpoint refuses timers of other clocks)
 * @notify: sigev_notify: SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD (which
 *	the kernel treats as SIGEV_SIGNAL), or SIGEV_SIGNAL |
 *	SIGEV_THREAD_ID (glibc's SIGEV_THREAD is the latter)
 * @signo: the signal it sends
 * @value: the sigev_value it sends
 * @tid: with SIGEV_THREAD_ID the thread it signals: a pid of the TREE,
 *	a thread of the same process; else zero
 * @_pad: zero
 * @value_ns: time to its next expiration in nanoseconds, 0 if disarmed;
 *	the time spent checkpointed does not count
 * @interval_ns: its period, 0 for a one-shot timer
 *
 * An expiration signal that was queued but not yet delivered is one of
 * the SIGPENDING records (si_code SI_TIMER); after restart it is an
 * ordinary queued signal.
 */
struct ckpt_hdr_posix_timer {
	struct ckpt_hdr h;
	__s32 id;
	__s32 clock;
	__s32 notify;
	__s32 signo;
	__u64 value;
	__s32 tid;
	__u32 _pad;
	__u64 value_ns;
	__u64 interval_ns;
};

/**
 * struct ckpt_hdr_sigpending - one queued signal
 * @shared: 1 if queued for the whole process, 0 for the thread
 * @info: the siginfo_t as rt_sigqueueinfo(2) takes it
 */
struct ckpt_hdr_sigpending {
	struct ckpt_hdr h;
	__u32 shared;
	__u32 _pad;
	__u8 info[128];
};

/**
 * struct ckpt_hdr_uts_ns - the root's UTS namespace (CKPT_TREE_NEWUTS)
 * @nodename: its host name (sethostname(2)), NUL-terminated
 * @domainname: its NIS domain name (setdomainname(2)), NUL-terminated
 * @_pad: zero
 */
struct ckpt_hdr_uts_ns {
	struct ckpt_hdr h;
	char nodename[CKPT_UTS_LEN];
	char domainname[CKPT_UTS_LEN];
	__u8 _pad[6];
};

/**
 * struct ckpt_hdr_ipc_ns - the root's IPC namespace (CKPT_TREE_NEWIPC)
 * @nr_shm: IPC_SHM records that follow (each with its pages), then
 * @nr_sem: IPC_SEM records, then
 * @nr_msg: IPC_MSG records (each with its MSG records)
 * @_pad: zero
 *
 * The SysV IPC objects of the namespace, each with the id and key it
 * had: restart makes them in the root's new IPC namespace before any
 * task's records, so that the tasks' attaches (VMA kind
 * CKPT_VMA_SYSVSHM) find their segments.  Each kind at most its
 * namespace's limit (shmmni, semmni, msgmni) of the restorer.
 */
struct ckpt_hdr_ipc_ns {
	struct ckpt_hdr h;
	__u32 nr_shm;
	__u32 nr_sem;
	__u32 nr_msg;
	__u32 _pad;
};

/**
 * struct ckpt_ipc_perm - owner and permissions of a SysV IPC object
 * @key: its key; IPC_PRIVATE (0) for none
 * @id: its id, as ipcs(1) shows it
 * @uid: owner, in the checkpointer's user namespace
 * @gid: group, in the checkpointer's user namespace
 * @cuid: creator
 * @cgid: creator's group
 * @mode: permission bits (0777)
 * @_pad: zero
 *
 * Restart sets owner and creator ids the restarter could set as its
 * own (as for CREDS); others fail with EPERM.
 */
struct ckpt_ipc_perm {
	__s32 key;
	__s32 id;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	__u32 mode;
	__u32 _pad;
};

/* ckpt_hdr_ipc_shm.flags */
#define CKPT_IPC_SHM_DEST	0x1	/* IPC_RMID'ed, alive while attached */
#define CKPT_IPC_SHM_NORESERVE	0x2	/* SHM_NORESERVE */
#define CKPT_IPC_SHM_FLAGS_ALL	(CKPT_IPC_SHM_DEST | CKPT_IPC_SHM_NORESERVE)

/**
 * struct ckpt_hdr_ipc_shm - a SysV shared memory segment
 * @perm: its owner and permissions
 * @size: its size in bytes (shmget(2)), 1..CKPT_SHMEM_MAX
 * @atime: last shmat(2), seconds since the epoch
 * @dtime: last shmdt(2)
 * @ctime: creation or last change
 * @cpid: creator's pid, @lpid: last attacher's (see below)
 * @lpid:
 * @flags: CKPT_IPC_SHM_* flags
 * @_pad: zero
 *
 * Followed by its contents as PAGES records whose addresses are offsets
 * in the segment (as for a MEMFD) and a PAGES record of no pages.  A
 * segment removed while attached (CKPT_IPC_SHM_DEST, its key then
 * IPC_PRIVATE) is made, attached by its tasks, then removed again once
 * every task is restored.  Hugetlb segments are not supported.
 *
 * The pids of SysV objects are as the checkpointer saw them, or 0;
 * restart gives a pid of the tree the number of its restored process
 * and any other 0.  @atime and @lpid then tell of the restart's attach.
 */
struct ckpt_hdr_ipc_shm {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__u64 size;
	__s64 atime;
	__s64 dtime;
	__s64 ctime;
	__s32 cpid;
	__s32 lpid;
	__u32 flags;
	__u32 _pad;
};

/**
 * struct ckpt_sem - one semaphore of a set
 * @val: its value, 0..SEMVMX (32767)
 * @pid: the last process to change it (as for ckpt_hdr_ipc_shm)
 */
struct ckpt_sem {
	__s32 val;
	__s32 pid;
};

/**
 * struct ckpt_hdr_ipc_sem - a SysV semaphore set
 * @perm: its owner and permissions
 * @otime: last semop(2), seconds since the epoch
 * @ctime: creation or last change
 * @nsems: semaphores in the set, 1..semmsl of the restorer
 * @_pad: zero
 * @sems: the semaphores
 *
 * Undo adjustments (SEM_UNDO) of the tree's tasks are not supported:
 * checkpoint refuses a task that has some.
 */
struct ckpt_hdr_ipc_sem {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__s64 otime;
	__s64 ctime;
	__u32 nsems;
	__u32 _pad;
	struct ckpt_sem sems[];
};

/**
 * struct ckpt_hdr_ipc_msg - a SysV message queue
 * @perm: its owner and permissions
 * @stime: last msgsnd(2), seconds since the epoch
 * @rtime: last msgrcv(2)
 * @ctime: creation or last change
 * @qbytes: its byte limit (msg_qbytes); above the restorer's msgmnb it
 *	takes CAP_SYS_RESOURCE, as for msgctl(IPC_SET)
 * @lspid: last sender, @lrpid: last receiver (as for ckpt_hdr_ipc_shm)
 * @lrpid:
 * @nr_msgs: MSG records that follow, the messages in queue order
 * @_pad: zero
 */
struct ckpt_hdr_ipc_msg {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__s64 stime;
	__s64 rtime;
	__s64 ctime;
	__u64 qbytes;
	__s32 lspid;
	__s32 lrpid;
	__u32 nr_msgs;
	__u32 _pad;
};

/**
 * struct ckpt_hdr_msg - one message of a queue
 * @mtype: its type, > 0
 * @len: bytes of @text, at most msgmax of the restorer
 * @_pad: zero
 * @text: its text
 */
struct ckpt_hdr_msg {
	struct ckpt_hdr h;
	__s64 mtype;
	__u32 len;
	__u32 _pad;
	__u8 text[];
};

/* The architecture's records: CPU and XSTATE (types 200-299). */
#if defined(__x86_64__)
#include <asm/checkpoint_hdr.h>
#endif

#endif /* _UAPI_LINUX_CHECKPOINT_HDR_H */
