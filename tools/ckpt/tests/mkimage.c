// SPDX-License-Identifier: GPL-2.0
/*
 * mkimage - write synthetic checkpoint images for the host tests
 *
 *   mkimage [-V VARIANT] OUT      write an image (valid unless VARIANT
 *                                 names a defect; its checksum is always
 *                                 right, so only the defect is wrong)
 *   mkimage -l                    list the variants
 *   mkimage -r FILE               reseal: recompute the TAIL checksum
 *                                 of FILE in place after FILE was edited
 *
 * The image has every record type: one task (two with -V two-tasks) with
 * creds, rlimits, fs, a handler, a pending signal, three fds on two
 * files, registers, xstate, an address space with file, anon, stack,
 * vdso and vvar mappings, and two batches of pages.  -V namespaces (and
 * the ns-* defects built on it) adds a UTS and an IPC namespace with two
 * SysV segments (one with pages), a semaphore set and a message queue,
 * and maps shared anonymous memory (a SHMEM object with a page) and both
 * segments.  -V timers (and the timer-* defects) gives the process a
 * second thread and three POSIX timers, one of which signals that thread.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "../ckpt.h"
#include "../lib/ckpt_image.h"

static const char *variant = "ok";

static const char *variants[][2] = {
	{ "ok",			"valid image" },
	{ "two-tasks",		"valid image of two tasks" },
	{ "many-pages",		"valid image with 1300 pages (full batches)" },
	{ "relinked",		"valid image with an unlinked, relinked file" },
	{ "namespaces",		"valid image with UTS and IPC namespaces and shared memory" },
	{ "relink-kind",	"relinked path on a CHR file" },
	{ "bad-version",	"header version CKPT_VERSION + 1" },
	{ "bad-arch",		"header arch 7" },
	{ "bad-pagesize",	"header page size 5000" },
	{ "bad-uts",		"release not NUL terminated" },
	{ "header-len",		"HEADER length 400" },
	{ "tree-len",		"TREE length does not match nr_tasks" },
	{ "tree-empty",		"TREE with no task" },
	{ "unknown-type",	"a record of type 999" },
	{ "huge-len",		"a record length above CKPT_RECORD_MAX" },
	{ "tiny-len",		"a record length of 4" },
	{ "bad-padding",	"a non-zero padding byte" },
	{ "reserved",		"a reserved field that is not zero" },
	{ "missing-creds",	"no CREDS record" },
	{ "extra-task",		"a second TASK the TREE does not have" },
	{ "rlimit",		"soft rlimit above the hard one" },
	{ "fs-path",		"cwd path without its NUL" },
	{ "fd-objref-kind",	"FD naming the file table objref" },
	{ "fd-objref-later",	"FD naming an objref not yet defined" },
	{ "fd-objref-zero",	"FD with objref 0" },
	{ "dup-objref",		"FILE reusing the file table's objref" },
	{ "file-unused",	"FILE not used by the FD after it" },
	{ "file-kind",		"FILE of unknown kind" },
	{ "file-mode",		"REG FILE whose mode is a directory" },
	{ "fd-order",		"fds not increasing" },
	{ "fewer-fds",		"FILE_TABLE announces more fds than follow" },
	{ "cpu-restart",	"unknown restart kind" },
	{ "xstate-size",	"XSTATE size differs from the header" },
	{ "xstate-feat",	"XSTATE feature not in the header" },
	{ "mm-objref",		"MM exe_objref naming the mm" },
	{ "vma-order",		"overlapping VMAs" },
	{ "vma-align",		"VMA end not page aligned" },
	{ "vma-kind",		"VMA of unknown kind" },
	{ "vma-flags",		"unknown VMA flag" },
	{ "vma-file",		"file VMA without file" },
	{ "pages-unsorted",	"page addresses not increasing" },
	{ "pages-unaligned",	"page address not page aligned" },
	{ "pages-outside",	"page address in no VMA" },
	{ "pages-batch",	"513 pages in one batch" },
	{ "pages-len",		"PAGES length one page short" },
	{ "no-pages-end",	"no PAGES(0) before the TAIL" },
	{ "sig-kill",		"SIGKILL with a handler" },
	{ "sigpending",		"pending signal 0" },
	{ "tail-magic",		"bad TAIL magic" },
	{ "tail-nbytes",	"TAIL nbytes off by 8" },
	{ "tail-sum",		"TAIL checksum off by one" },
	{ "after-tail",		"8 bytes after the TAIL" },
	{ "no-tail",		"no TAIL record" },
	{ "mm-file-unused",	"FILE before the MM that nothing maps" },
	{ "sysvshm-no-ipc",	"sysvshm VMA in an image without IPC namespace" },
	{ "ns-tree-flags",	"unknown TREE flag 0x4" },
	{ "ns-no-uts",		"TREE says NEWUTS but no UTS_NS follows" },
	{ "ns-uts-nul",		"host name not NUL terminated" },
	{ "ns-ipc-pad",		"IPC_NS _pad not zero" },
	{ "ns-fewer-shm",	"IPC_NS announces 3 segments, 2 follow" },
	{ "ns-shm-dup-id",	"two segments with one id" },
	{ "ns-shm-dup-key",	"two segments with one key" },
	{ "ns-shm-mode",	"segment mode 01666" },
	{ "ns-shm-size",	"segment of size 0" },
	{ "ns-shm-page",	"segment page at an offset beyond its size" },
	{ "ns-shm-no-end",	"segment pages without the PAGES(0) end" },
	{ "ns-sem-len",		"IPC_SEM length does not match nsems" },
	{ "ns-sem-val",		"semaphore value 32768" },
	{ "ns-msg-type",	"message type 0" },
	{ "ns-msg-over",	"messages beyond the queue's byte limit" },
	{ "ns-msg-count",	"IPC_MSG announces 3 messages, 2 follow" },
	{ "ns-shmem-size",	"SHMEM size not page aligned" },
	{ "ns-shmem-unused",	"SHMEM that no VMA maps" },
	{ "ns-shmem-late",	"SHMEM record among the VMAs" },
	{ "ns-shmem-ref",	"shmem VMA naming a FILE objref" },
	{ "ns-shmem-private",	"shmem VMA not shared" },
	{ "ns-sysv-id",		"sysvshm VMA naming no segment" },
	{ "ns-sysv-size",	"sysvshm VMA smaller than its segment" },
	{ "ns-sysv-pgoff",	"sysvshm VMA at a page offset" },
	{ "ns-shmid",		"anon VMA with a shmid" },
	{ "ns-pages-shared",	"page address in a shmem VMA" },
	{ "timers",		"valid image of a process with a thread and POSIX timers" },
	{ "timer-clock",	"POSIX timer of CLOCK_PROCESS_CPUTIME_ID" },
	{ "timer-thread",	"POSIX timer in a thread's SIGNAL" },
	{ "timer-dup-id",	"two POSIX timers with one id" },
	{ "timer-pad",		"POSIX_TIMER _pad not zero" },
	{ "timer-tid",		"POSIX timer signalling a pid that is no thread of the process" },
	{ "timer-count",	"SIGNAL announces 4 POSIX timers, 3 follow" },
	{ "scm",		"valid image with a file in flight over an AF_UNIX pair" },
	{ "scm-unused",		"FILE in flight that the UNIX_PAIR does not name" },
	{ "scm-msg",		"file in flight in message 1 of a pair holding one" },
};

static bool V(const char *name)
{
	return !strcmp(variant, name);
}

/* the image with namespaces and shared memory */
static bool NS(void)
{
	return V("namespaces") || !strncmp(variant, "ns-", 3);
}

/* the image of a process with a thread and POSIX timers */
static bool SCM(void)
{
	return !strncmp(variant, "scm", 3);
}

static bool TIMERS(void)
{
	return V("timers") || !strncmp(variant, "timer-", 6);
}

static unsigned char *img;
static size_t img_len, img_cap;

static void put(const void *p, size_t n)
{
	if (img_len + n > img_cap) {
		img_cap = (img_len + n) * 2;
		img = realloc(img, img_cap);
		if (!img) {
			perror("mkimage");
			exit(2);
		}
	}
	memcpy(img + img_len, p, n);
	img_len += n;
}

/* append a record: @fixed bytes of struct, then @extra, then padding */
static size_t emit(uint32_t type, void *rec, size_t fixed, const void *extra,
		   size_t extra_len)
{
	struct ckpt_hdr *h = rec;
	static const unsigned char zero[8];
	size_t off = img_len;

	h->type = type;
	h->len = fixed + extra_len;
	put(rec, fixed);
	if (extra_len)
		put(extra, extra_len);
	put(zero, ckpt_padded(h->len) - h->len);
	return off;
}

static void tail(void)
{
	struct ckpt_hdr_tail t = { .magic = CKPT_MAGIC_TAIL };
	struct ckpt_sum s;

	ckpt_sum_init(&s);
	ckpt_sum_update(&s, img, img_len);
	t.nbytes = img_len;
	t.sum1 = s.sum1;
	t.sum2 = s.sum2;
	if (V("tail-magic"))
		t.magic ^= 1;
	if (V("tail-nbytes"))
		t.nbytes += 8;
	if (V("tail-sum"))
		t.sum2 += 1;
	emit(CKPT_HDR_TAIL, &t, sizeof(t), NULL, 0);
}

#define PS 4096ULL
#define BIG_VMA 0x20000000ULL

static void file(uint32_t objref, uint32_t kind, uint32_t mode,
		 uint32_t flags, const char *path)
{
	struct ckpt_hdr_file f = {
		.objref = objref, .kind = kind, .f_flags = flags,
		.mode = mode, .pos = 0, .size = 1234,
		.path_len = strlen(path) + 1,
	};
	if (kind == CKPT_FILE_CHR)
		f.rdev = (1 << 8) | 3;	/* 1:3 /dev/null */
	if (V("file-kind") && objref == 3)
		f.kind = 9;
	static const char relinked[] = "/tmp/lost+found/checkpoint/1-0/";
	char paths[2 * 256];

	if (V("file-mode") && objref == 3)
		f.mode = 040755;
	snprintf(paths, sizeof(paths), "%s", path);
	if ((V("relinked") && kind == CKPT_FILE_REG && objref == 3) ||
	    (V("relink-kind") && kind == CKPT_FILE_CHR)) {
		f.relink_len = snprintf(paths + f.path_len, 256, "%s%u",
					relinked, objref) + 1;
	}
	emit(CKPT_HDR_FILE, &f, sizeof(f), paths, f.path_len + f.relink_len);
}

static void fd(uint32_t n, uint32_t objref, uint32_t flags)
{
	struct ckpt_hdr_fd d = { .fd = n, .flags = flags,
				 .file_objref = objref };
	emit(CKPT_HDR_FD, &d, sizeof(d), NULL, 0);
}

/*
 * A stream pair with one byte queued for end 1, which passes a file in
 * flight (SCM_RIGHTS), as checkpoint writes it: the file in flight,
 * the pair, the FILE of end 0 and its fd @n.
 */
static void unix_pair_in_flight(uint32_t base, uint32_t n)
{
	struct ckpt_hdr_unix_pair up = {
		.objref = base + 1001, .type = 1,
		.end = { { .ino = 77, .peek_off = -1 },
			 { .ino = 78, .peek_off = -1, .nr_msgs = 1,
			   .nr_bytes = 1, .nr_fds = 1 } },
	};
	struct {
		uint32_t msg_len[2];	/* one, padded to 8 bytes */
		struct ckpt_unix_fd fd;
		char data[1];
	} __attribute__((packed)) q = {
		.msg_len = { 1, 0 },
		.fd = { .msg = V("scm-msg") ? 1 : 0,
			.file = V("scm-unused") ? base + 2 : base + 1000 },
		.data = { 'x' },
	};
	struct ckpt_hdr_file f = {
		.objref = base + 1002, .kind = CKPT_FILE_UNIX, .f_flags = 02,
		.mode = 0140777, .ref = base + 1001, .ino = 77,
		.path_len = sizeof("socket:[77]"),
	};

	file(base + 1000, CKPT_FILE_REG, 0100644, 02, "/tmp/passed.txt");
	emit(CKPT_HDR_UNIX_PAIR, &up, sizeof(up), &q, sizeof(q));
	emit(CKPT_HDR_FILE, &f, sizeof(f), "socket:[77]", f.path_len);
	fd(n, base + 1002, 0);
}

static void vma_shm(uint64_t start, uint64_t end, uint32_t flags,
		    uint32_t kind, uint32_t objref, int32_t shmid)
{
	struct ckpt_hdr_vma v = { .start = start, .end = end, .flags = flags,
				  .kind = kind, .file_objref = objref,
				  .shmid = shmid };
	if (V("ns-sysv-pgoff") && kind == CKPT_VMA_SYSVSHM)
		v.pgoff = 1;
	emit(CKPT_HDR_VMA, &v, sizeof(v), NULL, 0);
}

static void vma(uint64_t start, uint64_t end, uint32_t flags, uint32_t kind,
		uint32_t objref)
{
	vma_shm(start, end, flags, kind, objref, 0);
}

static void pages(const uint64_t *addr, uint32_t n, unsigned char fill)
{
	struct ckpt_hdr_pages p = { .nr_pages = n };
	size_t bytes = n * 8 + n * PS;
	unsigned char *extra = malloc(bytes ? bytes : 1);

	if (n)
		memcpy(extra, addr, n * 8);
	for (uint32_t i = 0; i < n; i++)
		memset(extra + n * 8 + i * PS, fill + i, PS);
	if (V("pages-len") && n == 3)
		bytes -= PS;
	emit(CKPT_HDR_PAGES, &p, sizeof(p), extra, bytes);
	free(extra);
}

/* shared anonymous memory of 4 pages, its second page stored */
static void shmem(uint32_t objref)
{
	struct ckpt_hdr_shmem m = { .objref = objref, .size = 4 * PS };
	uint64_t off[1] = { PS };

	if (V("ns-shmem-size"))
		m.size = 4 * PS + 512;
	emit(CKPT_HDR_SHMEM, &m, sizeof(m), NULL, 0);
	pages(off, 1, 0x50);
	pages(NULL, 0, 0);
}

static void ipc_shm(int32_t id, int32_t key, uint64_t size, uint32_t flags,
		    const uint64_t *off, uint32_t n)
{
	struct ckpt_hdr_ipc_shm m = {
		.perm = { .key = key, .id = id, .uid = 1000, .gid = 1000,
			  .cuid = 1000, .cgid = 100, .mode = 0640 },
		.size = size, .atime = 1700000100, .dtime = 0,
		.ctime = 1699999000, .cpid = 4242, .lpid = 4242,
		.flags = flags,
	};

	if (V("ns-shm-mode"))
		m.perm.mode = 01666;
	if (V("ns-shm-size"))
		m.size = 0;
	emit(CKPT_HDR_IPC_SHM, &m, sizeof(m), NULL, 0);
	if (n)
		pages(off, n, 0x60);
	if (!V("ns-shm-no-end"))
		pages(NULL, 0, 0);
}

static void msg(int64_t mtype, const char *text)
{
	struct ckpt_hdr_msg m = { .mtype = mtype, .len = strlen(text) };

	if (V("ns-msg-type"))
		m.mtype = 0;
	emit(CKPT_HDR_MSG, &m, sizeof(m), text, m.len);
}

/* the UTS and IPC namespaces, after the TREE */
static void namespaces(void)
{
	struct ckpt_hdr_uts_ns u = { .h = { 0 } };
	struct ckpt_hdr_ipc_ns n = { .nr_shm = 2, .nr_sem = 1, .nr_msg = 1 };
	struct {
		struct ckpt_hdr_ipc_sem s;
		struct ckpt_sem sems[3];
	} sem = { .s = {
		.perm = { .key = 0x5678, .id = 1, .uid = 1000, .gid = 1000,
			  .cuid = 1000, .cgid = 1000, .mode = 0600 },
		.otime = 1700000200, .ctime = 1699999100, .nsems = 3 },
		.sems = { { 1, 4242 }, { 0, 0 }, { 7, 4242 } } };
	struct ckpt_hdr_ipc_msg q = {
		.perm = { .key = 0x9abc, .id = 2, .uid = 1000, .gid = 1000,
			  .cuid = 1000, .cgid = 1000, .mode = 0666 },
		.stime = 1700000300, .ctime = 1699999200, .qbytes = 16384,
		.lspid = 4242, .nr_msgs = 2,
	};
	uint64_t off[2] = { 0, 2 * PS };

	if (!V("ns-no-uts")) {
		snprintf(u.nodename, sizeof(u.nodename), "%s", "box");
		snprintf(u.domainname, sizeof(u.domainname), "%s", "example.org");
		if (V("ns-uts-nul"))
			memset(u.nodename, 'x', CKPT_UTS_LEN);
		emit(CKPT_HDR_UTS_NS, &u, sizeof(u), NULL, 0);
	}
	if (V("ns-ipc-pad"))
		n._pad = 1;
	if (V("ns-fewer-shm"))
		n.nr_shm = 3;
	emit(CKPT_HDR_IPC_NS, &n, sizeof(n), NULL, 0);
	if (V("ns-shm-page"))
		off[1] = 3 * PS;	/* 12288 >= 10000 */
	ipc_shm(0, 0x1234, 10000, 0, off, 2);
	/* removed while attached: IPC_PRIVATE, no pages */
	ipc_shm(V("ns-shm-dup-id") ? 0 : 32769,
		V("ns-shm-dup-key") ? 0x1234 : 0, PS, CKPT_IPC_SHM_DEST,
		NULL, 0);
	if (V("ns-sem-val"))
		sem.sems[2].val = 32768;
	emit(CKPT_HDR_IPC_SEM, &sem, sizeof(sem) - (V("ns-sem-len") ? 8 : 0),
	     NULL, 0);
	if (V("ns-msg-over"))
		q.qbytes = 10;
	if (V("ns-msg-count"))
		q.nr_msgs = 3;
	emit(CKPT_HDR_IPC_MSG, &q, sizeof(q), NULL, 0);
	msg(1, "hello");
	msg(42, "world!\n");
}

/* A task's SCHED: every CPU, no mask. */
static void sched(void)
{
	struct ckpt_hdr_sched h = { .flags = CKPT_SCHED_ALL_CPUS, .nr_cpus = 64 };
	uint64_t cpus = 0;

	emit(CKPT_HDR_SCHED, &h, sizeof(h), &cpus, sizeof(cpus));
}

static void posix_timer(int32_t id, int32_t clock, int32_t notify,
			int32_t signo, uint64_t value, int32_t tid,
			uint64_t value_ns, uint64_t interval_ns)
{
	struct ckpt_hdr_posix_timer t = {
		.id = id, .clock = clock, .notify = notify, .signo = signo,
		.value = value, .tid = tid, .value_ns = value_ns,
		.interval_ns = interval_ns,
	};

	if (V("timer-pad") && notify == 4)
		t._pad = 1;
	emit(CKPT_HDR_POSIX_TIMER, &t, sizeof(t), NULL, 0);
}

/* the POSIX timers of the process, after its SIGPENDINGs */
static void posix_timers(void)
{
	/* CLOCK_MONOTONIC, SIGEV_SIGNAL SIGUSR1, every 250 ms */
	posix_timer(0, 1, 0, 10, 0x2a, 0, 1500000000, 250000000);
	/* CLOCK_REALTIME, SIGEV_SIGNAL | SIGEV_THREAD_ID to the thread */
	posix_timer(1, 0, 4, 36, 0x7f0000001000ULL,
		    V("timer-tid") ? 4243 : 4244, 20000000, 0);
	/* CLOCK_TAI, SIGEV_NONE, disarmed */
	posix_timer(V("timer-dup-id") ? 0 : 5, V("timer-clock") ? 2 : 11, 1,
		    0, 0, 0, 0, 0);
}

/* the records of thread 4244 of the first process (-V timers) */
static void thread(void)
{
	struct ckpt_hdr_task tk = { .exit_signal = 0 };
	struct ckpt_hdr_creds cr = { .uid = 1000, .euid = 1000, .suid = 1000,
				     .fsuid = 1000, .gid = 1000, .egid = 1000,
				     .sgid = 1000, .fsgid = 1000,
				     .cap_bset = 0x1ffffffffffULL };
	struct ckpt_hdr_signal sg = { .altstack_flags = 2 };
	struct ckpt_hdr_cpu cpu = { .ip = 0x401400, .sp = 0x7ffff7a00f00,
				    .ax = (uint64_t)-512, .orig_ax = 202,
				    .cs = 0x33, .ss = 0x2b, .flags = 0x246,
				    .restart = CKPT_RESTART_SYSCALL };
	struct ckpt_hdr_xstate xs = { .xfeatures = 0x3, .size = 832 };
	unsigned char xdata[832] = { 0 };

	memcpy(tk.comm, "prog-worker", 12);
	emit(CKPT_HDR_TASK, &tk, sizeof(tk), NULL, 0);
	emit(CKPT_HDR_CREDS, &cr, sizeof(cr), NULL, 0);
	sched();
	if (V("timer-thread"))
		sg.nr_timers = 1;
	emit(CKPT_HDR_SIGNAL, &sg, sizeof(sg), NULL, 0);
	if (V("timer-thread"))
		posix_timer(7, 1, 0, 14, 0, 0, 0, 0);
	emit(CKPT_HDR_CPU, &cpu, sizeof(cpu), NULL, 0);
	emit(CKPT_HDR_XSTATE, &xs, sizeof(xs), xdata, xs.size);
}

/* one task's records; @base makes the objrefs of task @t unique */
static void task(int t)
{
	uint32_t base = 10 * t;
	bool big = V("many-pages") || V("pages-batch");
	struct ckpt_hdr_task tk = { .exit_signal = 17, .clear_child_tid = 0 };
	struct {
		struct ckpt_hdr_creds c;
		uint32_t groups[2];
	} cr = { .c = { .ngroups = 2 }, .groups = { 10, 20 } };
	struct ckpt_hdr_rlimits rl;
	struct ckpt_hdr_fs fs = { .umask = 022 };
	static const char paths[] = "/\0/tmp/work";
	static struct ckpt_hdr_sighand sh;
	struct ckpt_hdr_signal sg = { .blocked = 1ULL << 9, .nr_pending = 1,
				      .altstack_flags = 2 };
	struct ckpt_hdr_sigpending sp = { .shared = 1 };
	struct ckpt_hdr_file_table ft = { .objref = base + 1, .nr_fds = 3 };
	struct ckpt_hdr_cpu cpu = { .ip = 0x401000, .sp = 0x7ffffffde100,
				    .ax = (uint64_t)-4, .orig_ax = 35,
				    .cs = 0x33, .ss = 0x2b, .flags = 0x246,
				    .restart = CKPT_RESTART_NANOSLEEP,
				    .restart_arg = { 1, 500000000, 0, 0 } };
	struct ckpt_hdr_ctty ctty = { .pty_objref = 0 };
	struct ckpt_hdr_xstate xs = { .xfeatures = 0x3, .size = 832 };
	unsigned char xdata[832];
	struct ckpt_hdr_mm mm = {
		.objref = base + 5, .exe_objref = base + 4,
		.nr_vmas = 6 + big + 3 * NS() + V("sysvshm-no-ipc"),
		.nr_auxv = 4, .start_code = 0x400000, .end_code = 0x401800,
		.start_data = 0x600000, .end_data = 0x600800,
		.start_brk = 0x1000000, .brk = 0x1004000,
		.start_stack = 0x7fffffffe000, .arg_start = 0x7fffffffe100,
		.arg_end = 0x7fffffffe110, .env_start = 0x7fffffffe110,
		.env_end = 0x7fffffffe200, .vdso = 0x7ffff7fc5000,
		.auxv = { 6, 4096, 0, 0 },
	};
	uint64_t a1[3] = { 0x1000000, 0x1001000, 0x1003000 };
	uint64_t a2[1] = { 0x7fffffffe000 };
	int32_t signo = 10;

	memcpy(tk.comm, "prog", 5);
	if (V("reserved"))
		tk.exit_code = 1;
	emit(CKPT_HDR_TASK, &tk, sizeof(tk), NULL, 0);

	cr.c.uid = 1000;
	cr.c.euid = 1000;
	cr.c.suid = 1000;
	cr.c.fsuid = 1000;
	cr.c.gid = 1000;
	cr.c.egid = 1000;
	cr.c.sgid = 1000;
	cr.c.fsgid = 1000;
	cr.c.cap_bset = 0x1ffffffffffULL;
	if (!V("missing-creds"))
		emit(CKPT_HDR_CREDS, &cr, sizeof(cr), NULL, 0);

	for (int i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		rl.rlim[i].cur = ~0ULL;
		rl.rlim[i].max = ~0ULL;
	}
	rl.rlim[7].cur = 1024;
	rl.rlim[7].max = 4096;
	if (V("rlimit"))
		rl.rlim[7].cur = 8192;
	emit(CKPT_HDR_RLIMITS, &rl, sizeof(rl), NULL, 0);

	fs.root_len = 2;
	fs.cwd_len = sizeof(paths) - 2;
	if (V("fs-path"))
		fs.cwd_len--;
	emit(CKPT_HDR_FS, &fs, sizeof(fs), paths, fs.root_len + fs.cwd_len);
	sched();

	memset(&sh, 0, sizeof(sh));
	sh.act[9].handler = 0x401200;		/* SIGUSR1 */
	sh.act[9].flags = 0x04000000;		/* SA_RESTORER */
	sh.act[9].restorer = 0x401300;
	sh.act[12].handler = 1;			/* SIGPIPE ignored */
	if (V("sig-kill"))
		sh.act[8].handler = 0x401200;
	emit(CKPT_HDR_SIGHAND, &sh, sizeof(sh), NULL, 0);

	sg.itimer[0].value_ns = 1500000000;
	if (TIMERS())
		sg.nr_timers = V("timer-count") ? 4 : 3;
	emit(CKPT_HDR_SIGNAL, &sg, sizeof(sg), NULL, 0);
	if (V("sigpending"))
		signo = 0;
	memcpy(sp.info, &signo, 4);
	emit(CKPT_HDR_SIGPENDING, &sp, sizeof(sp), NULL, 0);
	if (TIMERS())
		posix_timers();

	if (V("fewer-fds"))
		ft.nr_fds = 4;
	ft.nr_fds += SCM();
	emit(CKPT_HDR_FILE_TABLE, &ft, sizeof(ft), NULL, 0);
	file(V("dup-objref") ? base + 1 : base + 2, CKPT_FILE_CHR, 020666,
	     02 | 0100000, "/dev/null");
	if (V("fd-objref-kind"))
		fd(0, base + 1, 0);
	else if (V("fd-objref-later"))
		fd(0, base + 3, 0);
	else if (V("fd-objref-zero"))
		fd(0, 0, 0);
	else
		fd(0, base + 2, 0);
	fd(V("fd-order") ? 0 : 1, base + 2, 0);
	file(base + 3, CKPT_FILE_REG, 0100644, 02002, "/tmp/data.txt");
	fd(5, V("file-unused") ? base + 2 : base + 3, 1);
	if (SCM())
		unix_pair_in_flight(base, 6);

	emit(CKPT_HDR_CTTY, &ctty, sizeof(ctty), NULL, 0);
	if (V("cpu-restart"))
		cpu.restart = 7;
	emit(CKPT_HDR_CPU, &cpu, sizeof(cpu), NULL, 0);
	for (size_t i = 0; i < sizeof(xdata); i++)
		xdata[i] = (unsigned char)(i * 7);
	if (V("xstate-size"))
		xs.size = 824;
	if (V("xstate-feat"))
		xs.xfeatures = 0x10;
	emit(CKPT_HDR_XSTATE, &xs, sizeof(xs), xdata, xs.size);

	file(base + 4, CKPT_FILE_REG, 0100755, 0100000, "/usr/bin/prog");
	if (V("mm-file-unused"))
		file(base + 8, CKPT_FILE_REG, 0100644, 0, "/usr/lib/unused.so");
	/* as checkpoint writes them: the exe, then each mapping's object */
	if (NS() && !V("ns-shmem-late"))
		shmem(base + 7);
	if (V("mm-objref"))
		mm.exe_objref = base + 5;
	emit(CKPT_HDR_MM, &mm, sizeof(mm), NULL, 0);
	vma(0x400000, V("vma-align") ? 0x402010 : 0x402000,
	    CKPT_VMA_READ | CKPT_VMA_EXEC, CKPT_VMA_FILE, base + 4);
	file(base + 6, CKPT_FILE_REG, 0100755, 0100000,
	     "/lib/x86_64-linux-gnu/libc.so.6");
	vma(0x600000, 0x601000, CKPT_VMA_READ | CKPT_VMA_WRITE |
	    CKPT_VMA_MAYWRITE, CKPT_VMA_FILE, base + 6);
	if (V("vma-file"))
		vma(0x1000000, 0x1004000, CKPT_VMA_READ, CKPT_VMA_FILE, 0);
	else
		vma(V("vma-order") ? 0x600000 : 0x1000000, 0x1004000,
		    CKPT_VMA_READ | CKPT_VMA_WRITE |
		    (V("vma-flags") ? 0x8000 : 0),
		    V("vma-kind") ? 9 : CKPT_VMA_ANON, 0);
	if (V("ns-shmem-late"))
		shmem(base + 7);
	if (V("ns-shmem-unused"))
		vma(0x2000000, 0x2004000, CKPT_VMA_READ | CKPT_VMA_WRITE,
		    CKPT_VMA_ANON, 0);
	else if (NS())
		vma(0x2000000, 0x2004000,
		    CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_MAYWRITE |
		    (V("ns-shmem-private") ? 0 : CKPT_VMA_SHARED),
		    CKPT_VMA_SHMEM, V("ns-shmem-ref") ? base + 4 : base + 7);
	if (NS()) {
		/* the segments of 10000 and 4096 bytes, attached whole */
		vma_shm(0x3000000, V("ns-sysv-size") ? 0x3002000 : 0x3003000,
			CKPT_VMA_READ | CKPT_VMA_WRITE | CKPT_VMA_MAYWRITE |
			CKPT_VMA_SHARED, CKPT_VMA_SYSVSHM, 0,
			V("ns-sysv-id") ? 7 : 0);
		vma_shm(0x3100000, 0x3101000, CKPT_VMA_READ | CKPT_VMA_SHARED,
			V("ns-shmid") ? CKPT_VMA_ANON : CKPT_VMA_SYSVSHM, 0,
			32769);
	}
	if (V("sysvshm-no-ipc"))
		vma_shm(0x3000000, 0x3003000, CKPT_VMA_READ | CKPT_VMA_SHARED,
			CKPT_VMA_SYSVSHM, 0, 0);
	if (big)
		vma(BIG_VMA, BIG_VMA + 1536 * PS, CKPT_VMA_READ |
		    CKPT_VMA_WRITE, CKPT_VMA_ANON, 0);
	vma(0x7ffff7fc1000, 0x7ffff7fc5000, CKPT_VMA_READ, CKPT_VMA_VVAR, 0);
	vma(0x7ffff7fc5000, 0x7ffff7fc7000, CKPT_VMA_READ | CKPT_VMA_EXEC,
	    CKPT_VMA_VDSO, 0);
	vma(0x7ffffffde000, 0x7ffffffff000, CKPT_VMA_READ | CKPT_VMA_WRITE |
	    CKPT_VMA_GROWSDOWN, CKPT_VMA_ANON, 0);

	if (V("pages-unsorted"))
		a1[2] = 0x1000000;
	if (V("pages-unaligned"))
		a1[1] += 8;
	if (V("pages-outside"))
		a1[2] = 0x2000000;
	if (V("ns-pages-shared"))
		a1[2] = 0x2001000;
	pages(a1, 3, 0x10);
	if (V("many-pages") || V("pages-batch")) {
		static uint64_t big[CKPT_PAGES_BATCH + 1];
		uint32_t total = V("many-pages") ? 1300 : 513, done = 0;

		while (done < total) {
			uint32_t n = total - done;

			if (V("many-pages") && n > CKPT_PAGES_BATCH)
				n = CKPT_PAGES_BATCH;
			for (uint32_t i = 0; i < n; i++)
				big[i] = BIG_VMA + (uint64_t)(done + i) * PS;
			pages(big, n, (unsigned char)done);
			done += n;
		}
	}
	pages(a2, 1, 0x80);
	if (!V("no-pages-end"))
		pages(NULL, 0, 0);
}

static void build(void)
{
	struct ckpt_hdr_header h = {
		.magic = CKPT_MAGIC_HEAD, .version = CKPT_VERSION,
		.arch = CKPT_ARCH_X86_64, .page_size = PS, .flags = 0,
		.xfeatures = 0x7, .xstate_size = 832, .time = 1700000000,
		.ckpt_id = 42,
	};
	int ntasks = V("two-tasks") || TIMERS() ? 2 : 1;
	struct {
		struct ckpt_hdr_tree t;
		struct ckpt_pids p[2];
	} tr = { .t = { .nr_tasks = ntasks },
		 .p = { { 4242, 4242, 1, 4242, 4242, 0, 17, 0 },
			{ 4243, 4243, 4242, 4242, 4242, 0, 17, 0 } } };

	if (TIMERS())	/* thread 4244 of process 4242 */
		tr.p[1] = (struct ckpt_pids){ 4244, 4242, 1, 4242, 4242, 0,
					      0, 0 };
	snprintf(h.sysname, sizeof(h.sysname), "%s", "Linux");
	snprintf(h.release, sizeof(h.release), "%s", "6.12.0-ckpt");
	snprintf(h.version_str, sizeof(h.version_str), "%s", "#1 SMP PREEMPT_DYNAMIC");
	snprintf(h.machine, sizeof(h.machine), "%s", "x86_64");
	snprintf(h.nodename, sizeof(h.nodename), "%s", "testhost");
	if (V("bad-version"))
		h.version = CKPT_VERSION + 1;
	if (V("bad-arch"))
		h.arch = 7;
	if (V("bad-pagesize"))
		h.page_size = 5000;
	if (V("bad-uts"))
		memset(h.release, 'x', CKPT_UTS_LEN);
	if (V("header-len")) {
		unsigned char pad[8] = { 0 };

		emit(CKPT_HDR_HEADER, &h, sizeof(h), pad, 8);
	} else {
		emit(CKPT_HDR_HEADER, &h, sizeof(h), NULL, 0);
	}
	if (V("tree-empty"))
		tr.t.nr_tasks = 0;
	if (NS())
		tr.t.flags = CKPT_TREE_NEWUTS | CKPT_TREE_NEWIPC;
	if (V("ns-tree-flags"))
		tr.t.flags |= 0x4;
	emit(CKPT_HDR_TREE, &tr, sizeof(tr.t) + ntasks * sizeof(tr.p[0]) +
	     (V("tree-len") ? 8 : 0), NULL, 0);
	if (NS())
		namespaces();

	if (V("unknown-type")) {
		struct ckpt_hdr x;

		emit(999, &x, sizeof(x), NULL, 0);
	}
	if (V("huge-len")) {
		struct ckpt_hdr x = { .type = CKPT_HDR_TASK,
				      .len = CKPT_RECORD_MAX + 8 };

		put(&x, sizeof(x));
	}
	if (V("tiny-len")) {
		struct ckpt_hdr x = { .type = CKPT_HDR_TASK, .len = 4 };

		put(&x, sizeof(x));
	}
	for (int t = 0; t < ntasks; t++) {
		if (TIMERS() && t == 1)
			thread();
		else
			task(t);
	}
	if (V("extra-task"))
		task(1);
	if (V("bad-padding")) {
		/* the FS record has padding: find it and dirty it */
		struct ckpt_iter it;
		const struct ckpt_hdr *r;

		ckpt_iter_init(&it, img, img_len);
		while ((r = ckpt_iter_next(&it)) && r->type != CKPT_HDR_FS)
			;
		if (r)
			img[it.off + r->len] = 0xff;
	}
	if (!V("no-tail"))
		tail();
	if (V("after-tail")) {
		uint64_t x = 0;

		put(&x, 8);
	}
}

/* -r: the checksum of an image edited in place, made to fit again */
static int reseal(const char *path)
{
	const size_t tlen = sizeof(struct ckpt_hdr_tail);
	int fd = open(path, O_RDWR);
	struct stat st;
	unsigned char *data;

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		return 2;
	}
	if (st.st_size < (off_t)tlen) {
		fprintf(stderr, "mkimage: %s: too short to reseal\n", path);
		return 2;
	}
	data = malloc(st.st_size);
	if (!data || ckpt_read_full(fd, data, st.st_size) != st.st_size) {
		perror(path);
		return 2;
	}
	ckpt_reseal(data, st.st_size);
	if (pwrite(fd, data + st.st_size - tlen, tlen, st.st_size - tlen) !=
	    (ssize_t)tlen) {
		perror(path);
		return 2;
	}
	free(data);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < ARRAY_SIZE(variants); i++)
			printf("%s\t%s\n", variants[i][0], variants[i][1]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return reseal(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "-V")) {
		variant = argv[2];
		for (i = 0; i < ARRAY_SIZE(variants); i++)
			if (!strcmp(variant, variants[i][0]))
				break;
		if (i == ARRAY_SIZE(variants)) {
			fprintf(stderr, "mkimage: unknown variant %s\n",
				variant);
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mkimage [-V VARIANT] OUT | -l | -r FILE\n");
		return 2;
	}
	build();
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ckpt_write_full(fd, img, img_len) < 0 || close(fd)) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
