// SPDX-License-Identifier: GPL-2.0
/*
 * ckptinfo - print and verify a checkpoint image
 *
 *   ckptinfo [-q] [-v] FILE|-
 *
 * Reads the image front to back, once, like restart(2) does, prints every
 * record and checks the stream: magic and version, record lengths and
 * padding, known record types in the documented order, objrefs naming
 * earlier objects of the right kind, page addresses, and the tail (size,
 * checksum, nothing after it).  The input is untrusted: every length is
 * checked before use and no allocation depends on an unchecked field.
 *
 * Exit status: 0 valid image, 1 invalid image, 2 usage or I/O error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "ckpt.h"
#include "lib/ckpt_image.h"

#define PROG "ckptinfo"

#ifdef CKPTINFO_NO_EXIT
/* tests/fuzz-ckptinfo.c runs the checker in-process, many times */
#include <setjmp.h>
static jmp_buf ckptinfo_jmp;
#define finish(code) longjmp(ckptinfo_jmp, (code) + 1)
#else
#define finish(code) exit(code)
#endif

static const char *fname;
static bool quiet;
static bool verbose;
static bool silent;		/* not even the verdict (fuzz test) */
static FILE *msgf;		/* where problems are reported: stderr */
static int in_fd = -1;

static unsigned char *buf;	/* the current record, padded */
static uint64_t rec_off;	/* offset of the current record */
static uint64_t nrecords;
static uint64_t npages;
static struct ckpt_sum sum;

/* from the header */
static uint32_t page_size;
static uint64_t hdr_xfeatures;
static uint32_t hdr_xstate_size;

/* ---- output ---- */

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void bad(uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void bad(uint64_t off, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(msgf, PROG ": %s: offset %" PRIu64 ": ", fname, off);
	va_start(ap, fmt);
	vfprintf(msgf, fmt, ap);
	va_end(ap);
	fputc('\n', msgf);
	finish(1);
}

static void io_error(const char *what) __attribute__((noreturn));
static void io_error(const char *what)
{
	int e = errno;

	fflush(stdout);
	fprintf(msgf, PROG ": %s: %s: %s\n", fname, what, strerror(e));
	finish(2);
}

/* ---- objects named by objref ---- */

struct obj {
	uint32_t ref;		/* 0: free slot */
	uint32_t kind;
	char *path;		/* files: for display */
	uint64_t size;		/* shared memory: its size */
	bool mm_unused;		/* defined before an MM, not yet used by it */
};

static struct obj *objs;
static size_t objs_cap;		/* power of two */
static size_t objs_nr;

static size_t obj_slot(uint32_t ref)
{
	size_t mask = objs_cap - 1;
	size_t i = ((size_t)ref * 2654435761u) & mask;

	while (objs[i].ref && objs[i].ref != ref)
		i = (i + 1) & mask;
	return i;
}

static struct obj *obj_find(uint32_t ref)
{
	struct obj *o;

	if (!objs_cap || !ref)
		return NULL;
	o = &objs[obj_slot(ref)];
	return o->ref ? o : NULL;
}

static struct obj *obj_add(uint32_t ref, uint32_t kind, const char *path)
{
	struct obj *o;

	if ((objs_nr + 1) * 2 > objs_cap) {
		struct obj *old = objs;
		size_t old_cap = objs_cap, i;

		objs_cap = objs_cap ? objs_cap * 2 : 64;
		objs = calloc(objs_cap, sizeof(*objs));
		if (!objs) {
			fprintf(msgf, PROG ": out of memory\n");
			finish(2);
		}
		for (i = 0; i < old_cap; i++)
			if (old[i].ref)
				objs[obj_slot(old[i].ref)] = old[i];
		free(old);
	}
	o = &objs[obj_slot(ref)];
	o->ref = ref;
	o->kind = kind;
	o->path = path ? strdup(path) : NULL;
	o->size = 0;
	o->mm_unused = false;
	objs_nr++;
	return o;
}

/* A record defines a new object: the objref must be positive and new. */
static struct obj *obj_define(uint32_t ref, uint32_t kind, const char *path,
			      const char *field)
{
	struct obj *o;

	if (!ref)
		bad(rec_off, "%s objref is 0", field);
	o = obj_find(ref);
	if (o)
		bad(rec_off, "%s objref %u already names an earlier %s",
		    field, ref, ckpt_obj_name(o->kind));
	return obj_add(ref, kind, path);
}

/* A record uses an object: it must have come earlier, of this kind. */
static struct obj *obj_use(uint32_t ref, uint32_t kind, const char *field)
{
	struct obj *o;

	if (!ref)
		bad(rec_off, "%s is 0, expected a %s objref", field,
		    ckpt_obj_name(kind));
	o = obj_find(ref);
	if (!o)
		bad(rec_off, "%s %u names no earlier object", field, ref);
	if (o->kind != kind)
		bad(rec_off, "%s %u names a %s, expected a %s", field, ref,
		    ckpt_obj_name(o->kind), ckpt_obj_name(kind));
	return o;
}

/* @arr with room for element @nr, of @size bytes each */
static void *grow(void *arr, size_t *cap, size_t nr, size_t size)
{
	size_t n = *cap ? *cap * 2 : 64;

	if (nr < *cap)
		return arr;
	arr = realloc(arr, n * size);
	if (!arr) {
		fprintf(msgf, PROG ": out of memory\n");
		finish(2);
	}
	*cap = n;
	return arr;
}

/*
 * ---- SysV IPC objects of the image, by id and by key; POSIX timer ids,
 * by process ----
 */

enum sysv_kind { SYSV_SHM, SYSV_SEM, SYSV_MSG };

static const char *sysv_names[] = {
	"SysV segment", "SysV semaphore set", "SysV message queue",
};

struct ipc_ent {
	uint64_t tag;		/* 0: free slot; see ipc_tag() */
	uint64_t val;		/* a segment's size; for a key, its id */
};

static struct ipc_ent *ipcs;
static size_t ipcs_cap;		/* power of two */
static size_t ipcs_nr;

/* ids and keys of each kind live side by side: never 0 */
static uint64_t ipc_tag(enum sysv_kind kind, bool is_key, int32_t v)
{
	return (uint64_t)(1 + 2 * kind + is_key) << 32 | (uint32_t)v;
}

/* the timer ids of the process that is TREE entry @task, after those */
static uint64_t timer_tag(uint32_t task, int32_t id)
{
	return (uint64_t)(8 + task) << 32 | (uint32_t)id;
}

static size_t ipc_slot(uint64_t tag)
{
	size_t mask = ipcs_cap - 1;
	size_t i = (size_t)((tag * 0x9e3779b97f4a7c15ULL) >> 32) & mask;

	while (ipcs[i].tag && ipcs[i].tag != tag)
		i = (i + 1) & mask;
	return i;
}

static struct ipc_ent *ipc_find(uint64_t tag)
{
	struct ipc_ent *e;

	if (!ipcs_cap)
		return NULL;
	e = &ipcs[ipc_slot(tag)];
	return e->tag ? e : NULL;
}

static void ipc_add(uint64_t tag, uint64_t val)
{
	struct ipc_ent *e;

	if ((ipcs_nr + 1) * 2 > ipcs_cap) {
		struct ipc_ent *old = ipcs;
		size_t old_cap = ipcs_cap, i;

		ipcs_cap = ipcs_cap ? ipcs_cap * 2 : 64;
		ipcs = calloc(ipcs_cap, sizeof(*ipcs));
		if (!ipcs) {
			fprintf(msgf, PROG ": out of memory\n");
			finish(2);
		}
		for (i = 0; i < old_cap; i++)
			if (old[i].tag)
				ipcs[ipc_slot(old[i].tag)] = old[i];
		free(old);
	}
	e = &ipcs[ipc_slot(tag)];
	e->tag = tag;
	e->val = val;
	ipcs_nr++;
}

/* ---- record order ---- */

enum state {
	S_HEADER, S_TREE, S_TASK, S_CREDS, S_RLIMITS, S_FS, S_SIGHAND,
	S_SIGNAL, S_SIGPENDING, S_POSIX_TIMER, S_FILE_TABLE, S_FD, S_CPU, S_XSTATE, S_MM,
	S_VMA, S_PAGES, S_EPOLL, S_UTS_NS, S_IPC_NS, S_IPC_SHM, S_IPC_SEM,
	S_IPC_MSG, S_MSG,
};

static const uint32_t state_type[] = {
	[S_HEADER] = CKPT_HDR_HEADER,	[S_TREE] = CKPT_HDR_TREE,
	[S_TASK] = CKPT_HDR_TASK,	[S_CREDS] = CKPT_HDR_CREDS,
	[S_RLIMITS] = CKPT_HDR_RLIMITS,	[S_FS] = CKPT_HDR_FS,
	[S_SIGHAND] = CKPT_HDR_SIGHAND,	[S_SIGNAL] = CKPT_HDR_SIGNAL,
	[S_SIGPENDING] = CKPT_HDR_SIGPENDING,
	[S_POSIX_TIMER] = CKPT_HDR_POSIX_TIMER,
	[S_FILE_TABLE] = CKPT_HDR_FILE_TABLE, [S_FD] = CKPT_HDR_FD,
	[S_CPU] = CKPT_HDR_CPU,		[S_XSTATE] = CKPT_HDR_XSTATE,
	[S_MM] = CKPT_HDR_MM,		[S_VMA] = CKPT_HDR_VMA,
	[S_PAGES] = CKPT_HDR_PAGES,	[S_EPOLL] = CKPT_HDR_EPOLL,
	[S_UTS_NS] = CKPT_HDR_UTS_NS,	[S_IPC_NS] = CKPT_HDR_IPC_NS,
	[S_IPC_SHM] = CKPT_HDR_IPC_SHM,	[S_IPC_SEM] = CKPT_HDR_IPC_SEM,
	[S_IPC_MSG] = CKPT_HDR_IPC_MSG,	[S_MSG] = CKPT_HDR_MSG,
};

static enum state state = S_HEADER;
static uint32_t nr_tasks, tasks_seen;
/* what each TREE entry's records are: a process, another thread, a zombie */
enum task_kind { K_PROCESS, K_THREAD, K_ZOMBIE };
static unsigned char *task_kinds;
static struct ckpt_pids *tree_pids;	/* the TREE's entries */
static enum task_kind cur_kind;
static uint32_t cur_task;		/* TREE entry of the current TASK */
static uint32_t left;			/* SIGPENDING, FD, VMA or MSG records due */
static uint32_t timers_left;		/* POSIX_TIMER records due */
static uint32_t epolls_left;		/* EPOLL records due after the FDs */
static uint32_t pending_file;		/* objref of a FILE awaiting its user */
static uint64_t pending_file_off;
static bool fd_seen;
static uint32_t last_fd;
/*
 * The pages of a MEMFD, SHMEM or IPC_SHM follow it, addressed by offset;
 * after a MEMFD's the FILE of its first open file.
 */
static bool in_obj_pages;
static uint64_t obj_size, obj_next;
static uint32_t obj_memfd;		/* the MEMFD's objref, else 0 */
static char obj_name[48];		/* "memfd 7", for messages */
/* the objref (and kind) of a state record whose FILE must come next */
static uint32_t wants_file, wants_file_kind;

static const char *vma_kinds[] = { "?", "anon", "file", "shmem", "vdso",
				   "vvar", "sysvshm" };

struct vma_range {
	uint64_t start, end;
	uint32_t kind;
	bool pages;		/* its pages may be in the PAGES after the VMAs */
};
static struct vma_range *vmas;
static size_t vmas_nr, vmas_cap;
static uint32_t mm_objref;

/*
 * FILE and SHMEM records before an MM: each must be used by that MM
 * (its exe) or one of its VMAs.
 */
struct mm_def {
	uint32_t ref;
	uint64_t off;
};
static struct mm_def *mm_defs;
static size_t mm_defs_nr, mm_defs_cap, mm_unused;

/* the namespaces after the TREE */
static uint32_t tree_flags;
static uint32_t ipc_left[3];		/* IPC_SHM, IPC_SEM, IPC_MSG due */
static int32_t msgq_id;			/* the queue whose MSGs these are */
static uint64_t msgq_bytes, msgq_qbytes;
static uint32_t msgq_nr;

static void mm_def(struct obj *o)
{
	mm_defs = grow(mm_defs, &mm_defs_cap, mm_defs_nr, sizeof(*mm_defs));
	mm_defs[mm_defs_nr].ref = o->ref;
	mm_defs[mm_defs_nr].off = rec_off;
	mm_defs_nr++;
	o->mm_unused = true;
	mm_unused++;
}

static void mm_used(struct obj *o)
{
	if (o->mm_unused) {
		o->mm_unused = false;
		mm_unused--;
	}
}

/* after the last VMA: was every object before the MM used? */
static void mm_defs_check(void)
{
	for (size_t i = 0; i < mm_defs_nr && mm_unused; i++) {
		struct obj *o = obj_find(mm_defs[i].ref);

		if (o && o->mm_unused)
			bad(mm_defs[i].off, "%s objref %u is used by neither "
			    "the MM nor a VMA that follows it",
			    o->kind == CKPT_OBJ_SHMEM ? "SHMEM" : "FILE",
			    o->ref);
	}
	mm_defs_nr = mm_unused = 0;
}

/* a MEMFD, SHMEM or IPC_SHM record: its pages by offset come next */
static void obj_pages_begin(const char *what, int64_t id, uint64_t size,
			    uint32_t memfd)
{
	snprintf(obj_name, sizeof(obj_name), "%s %" PRId64, what, id);
	in_obj_pages = true;
	obj_size = size;
	obj_next = 0;
	obj_memfd = memfd;
}

/* after SIGNAL / FILE_TABLE / MM, skip empty repeated parts */
static void settle(void)
{
	if (state == S_SIGPENDING && !left)
		state = timers_left ? S_POSIX_TIMER :
			cur_kind == K_THREAD ? S_CPU : S_FILE_TABLE;
	if (state == S_POSIX_TIMER && !timers_left)
		state = S_FILE_TABLE;	/* only a process has timers */
	if (state == S_FD && !left)
		state = epolls_left ? S_EPOLL : S_CPU;
	if (state == S_EPOLL && !epolls_left)
		state = S_CPU;
	if (state == S_VMA && !left) {
		mm_defs_check();
		state = S_PAGES;
	}
	if (state == S_MSG && !left)
		state = S_IPC_MSG;
	if (state == S_IPC_SHM && !ipc_left[SYSV_SHM])
		state = S_IPC_SEM;
	if (state == S_IPC_SEM && !ipc_left[SYSV_SEM])
		state = S_IPC_MSG;
	if (state == S_IPC_MSG && !ipc_left[SYSV_MSG])
		state = S_TASK;
}

static void check_order(uint32_t type)
{
	const char *want;

	if (in_obj_pages) {
		if (type != CKPT_HDR_PAGES)
			bad(rec_off, "%s record among the pages of %s",
			    ckpt_type_name(type), obj_name);
		return;
	}
	if (wants_file && type != CKPT_HDR_FILE)
		bad(rec_off, "%s record where the FILE of %s %u was expected",
		    ckpt_type_name(type), ckpt_obj_name(wants_file_kind),
		    wants_file);
	wants_file = 0;
	/*
	 * A MEMFD, EVENTFD, SIGNALFD or TIMERFD comes right before the FILE
	 * of its (first) open file, wherever a FILE may come.
	 */
	if ((type == CKPT_HDR_MEMFD || type == CKPT_HDR_EVENTFD ||
	     type == CKPT_HDR_SIGNALFD || type == CKPT_HDR_TIMERFD) &&
	    (state == S_FD || state == S_MM || state == S_VMA)) {
		if (pending_file)
			bad(rec_off, "%s record follows FILE objref %u, "
			    "which no record used", ckpt_type_name(type),
			    pending_file);
		return;
	}
	/* a PIPE comes right before the FILE of its first end */
	if (type == CKPT_HDR_PIPE && state == S_FD) {
		if (pending_file)
			bad(rec_off, "PIPE record follows FILE objref %u, "
			    "which no record used", pending_file);
		return;
	}
	if (type == CKPT_HDR_FILE &&
	    (state == S_FD || state == S_MM || state == S_VMA)) {
		if (pending_file)
			bad(rec_off, "FILE record follows FILE objref %u, "
			    "which no record used", pending_file);
		return;
	}
	/* shared anonymous memory comes where the mapped files do */
	if (type == CKPT_HDR_SHMEM && state == S_MM)
		return;
	if (state == S_TASK && tasks_seen == nr_tasks) {
		if (type == CKPT_HDR_TAIL)
			return;
		if (type == CKPT_HDR_TASK)
			bad(rec_off, "more TASK records than the %u of the TREE",
			    nr_tasks);
		bad(rec_off, "%s record where the TAIL was expected",
		    ckpt_type_name(type));
	}
	if (type == state_type[state])
		return;
	want = ckpt_type_name(state_type[state]);
	if (type == CKPT_HDR_TAIL && tasks_seen)
		bad(rec_off, "TAIL record inside task %u, where %s was "
		    "expected", tasks_seen - 1, want);
	bad(rec_off, "%s record where %s was expected",
	    ckpt_type_name(type), want);
}

/* The FILE before an FD, VMA or MM must be the one it uses. */
static void check_pending_file(uint32_t used)
{
	if (pending_file && pending_file != used)
		bad(pending_file_off, "FILE objref %u is not used by the %s "
		    "record that follows it", pending_file,
		    ckpt_type_name(state_type[state]));
	pending_file = 0;
}

/* ---- field helpers ---- */

static void need_len(uint32_t len, uint64_t want, const char *type)
{
	if (len != want)
		bad(rec_off, "%s record length %u, expected %" PRIu64, type,
		    len, want);
}

static void need_zero(uint64_t v, const char *field)
{
	if (v)
		bad(rec_off, "reserved field %s is not zero (0x%" PRIx64 ")",
		    field, v);
}

/* a NUL-terminated string filling exactly @n bytes */
static void need_path(const char *s, uint32_t n, const char *field)
{
	if (n < 2 || n > CKPT_PATH_MAX)
		bad(rec_off, "%s length %u out of range [2, %u]", field, n,
		    CKPT_PATH_MAX);
	if (s[n - 1] != '\0' || strlen(s) != n - 1)
		bad(rec_off, "%s is not a string of %u bytes with one "
		    "final NUL", field, n);
}

/* a NUL-terminated string within a fixed array */
static void need_cstr(const char *s, size_t n, const char *field)
{
	if (!memchr(s, '\0', n))
		bad(rec_off, "%s is not NUL terminated", field);
}

static const char *sig_names[] = {
	"0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

static const char *sig_name(unsigned int sig, char *tmp, size_t n)
{
	if (sig < sizeof(sig_names) / sizeof(sig_names[0]))
		snprintf(tmp, n, "SIG%s", sig_names[sig]);
	else
		snprintf(tmp, n, "SIGRT%u", sig - 32);
	return tmp;
}

static void print_sigmask(const char *label, uint64_t mask)
{
	char tmp[16];
	unsigned int i;

	out("  %s 0x%016" PRIx64, label, mask);
	for (i = 1; i <= 64 && mask; i++)
		if (mask & (1ULL << (i - 1)))
			out(" %s", sig_name(i, tmp, sizeof(tmp)));
	out("\n");
}

static const char *time_str(uint64_t t, char *tmp, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > (uint64_t)INT64_MAX / 2 || !gmtime_r(&tt, &tm) ||
	    !strftime(tmp, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(tmp, n, "?");
	return tmp;
}

static const char *rlim_str(uint64_t v, char *tmp, size_t n)
{
	if (v == ~0ULL)
		snprintf(tmp, n, "unlimited");
	else
		snprintf(tmp, n, "%" PRIu64, v);
	return tmp;
}

/* ---- records ---- */

static void rec_header(uint32_t len)
{
	struct ckpt_hdr_header *h = (void *)buf;
	char tmp[64];

	need_len(len, sizeof(*h), "HEADER");
	/* the magic was checked when the image was opened */
	if (h->version != CKPT_VERSION)
		bad(rec_off, "unsupported image version %u (ckptinfo reads "
		    "version %u)", h->version, CKPT_VERSION);
	if (h->arch != CKPT_ARCH_X86_64)
		bad(rec_off, "unknown arch %u", h->arch);
	if (h->page_size < 4096 || h->page_size > 65536 ||
	    (h->page_size & (h->page_size - 1)))
		bad(rec_off, "bad page size %u", h->page_size);
	if (h->flags & ~CHECKPOINT_USER_FLAGS)
		bad(rec_off, "unknown checkpoint flags 0x%x", h->flags);
	need_zero(h->_pad, "_pad");
	for (size_t i = 0; i < sizeof(h->_pad2); i++)
		need_zero(h->_pad2[i], "_pad2");
	need_cstr(h->sysname, CKPT_UTS_LEN, "sysname");
	need_cstr(h->release, CKPT_UTS_LEN, "release");
	need_cstr(h->version_str, CKPT_UTS_LEN, "version_str");
	need_cstr(h->machine, CKPT_UTS_LEN, "machine");
	need_cstr(h->nodename, CKPT_UTS_LEN, "nodename");
	if (h->xstate_size > CKPT_RECORD_MAX - sizeof(struct ckpt_hdr_xstate))
		bad(rec_off, "xstate_size %u exceeds the record limit",
		    h->xstate_size);
	page_size = h->page_size;
	hdr_xfeatures = h->xfeatures;
	hdr_xstate_size = h->xstate_size;

	out("  magic CKPTIMG, version %u, arch x86_64, page size %u, "
	    "flags 0x%x\n", h->version, h->page_size, h->flags);
	out("  checkpoint id %" PRIu64 ", time %" PRIu64 " (%s)\n",
	    (uint64_t)h->ckpt_id, (uint64_t)h->time,
	    time_str(h->time, tmp, sizeof(tmp)));
	out("  xfeatures 0x%" PRIx64 ", xstate size %u\n",
	    (uint64_t)h->xfeatures, h->xstate_size);
	out("  kernel %s %s %s %s, node %s\n", h->sysname, h->release,
	    h->version_str, h->machine, h->nodename);
	state = S_TREE;
}

static void rec_tree(uint32_t len)
{
	struct ckpt_hdr_tree *t = (void *)buf;

	if (len < sizeof(*t))
		bad(rec_off, "TREE record length %u, expected at least %zu",
		    len, sizeof(*t));
	if (t->nr_tasks < 1)
		bad(rec_off, "TREE has no task");
	need_len(len, sizeof(*t) + (uint64_t)t->nr_tasks * sizeof(t->pids[0]),
		 "TREE");
	if (t->flags & ~CKPT_TREE_FLAGS_ALL)
		bad(rec_off, "unknown TREE flags 0x%x", t->flags);
	if (t->nr_tasks > CKPT_TREE_MAX)
		bad(rec_off, "TREE of %u tasks, more than %u", t->nr_tasks,
		    CKPT_TREE_MAX);
	out("  %u task%s", t->nr_tasks, t->nr_tasks == 1 ? "" : "s");
	if (t->flags)
		out(", in namespaces of their own:%s%s",
		    t->flags & CKPT_TREE_NEWUTS ? " UTS" : "",
		    t->flags & CKPT_TREE_NEWIPC ? " IPC" : "");
	out("\n");
	free(task_kinds);
	free(tree_pids);
	task_kinds = calloc(t->nr_tasks, 1);
	tree_pids = calloc(t->nr_tasks, sizeof(*tree_pids));
	if (!task_kinds || !tree_pids)
		io_error("calloc");
	memcpy(tree_pids, t->pids, t->nr_tasks * sizeof(*tree_pids));
	for (uint32_t i = 0; i < t->nr_tasks; i++) {
		struct ckpt_pids *p = &t->pids[i];
		char tmp[16];

		if (p->pid <= 0 || p->tgid <= 0)
			bad(rec_off, "task %u: bad pid %d / tgid %d", i,
			    p->pid, p->tgid);
		need_zero(p->_pad, "pids._pad");
		if (p->flags & ~CKPT_PIDS_FLAGS_ALL)
			bad(rec_off, "task %u: unknown flags 0x%x", i, p->flags);
		if (p->exit_signal > CKPT_NSIG)
			bad(rec_off, "task %u: bad exit signal %u", i,
			    p->exit_signal);
		if (p->pid != p->tgid && (i == 0 || p->tgid != t->pids[i - 1].tgid))
			bad(rec_off, "task %u: thread %d does not follow its "
			    "process %d", i, p->pid, p->tgid);
		task_kinds[i] = p->flags & CKPT_PIDS_ZOMBIE ? K_ZOMBIE :
				p->pid != p->tgid ? K_THREAD : K_PROCESS;
		out("  task %u: pid %d tgid %d ppid %d pgid %d sid %d%s%s",
		    i, p->pid, p->tgid, p->ppid, p->pgid, p->sid,
		    task_kinds[i] == K_THREAD ? " (thread)" : "",
		    task_kinds[i] == K_ZOMBIE ? " (zombie)" : "");
		if (p->pid == p->tgid)
			out(", exit signal %s", p->exit_signal ?
			    sig_name(p->exit_signal, tmp, sizeof(tmp)) : "none");
		out("\n");
	}
	nr_tasks = t->nr_tasks;
	tree_flags = t->flags;
	state = tree_flags & CKPT_TREE_NEWUTS ? S_UTS_NS :
		tree_flags & CKPT_TREE_NEWIPC ? S_IPC_NS : S_TASK;
}

static void rec_uts_ns(uint32_t len)
{
	struct ckpt_hdr_uts_ns *u = (void *)buf;

	need_len(len, sizeof(*u), "UTS_NS");
	need_cstr(u->nodename, sizeof(u->nodename), "nodename");
	need_cstr(u->domainname, sizeof(u->domainname), "domainname");
	for (size_t i = 0; i < sizeof(u->_pad); i++)
		need_zero(u->_pad[i], "_pad");
	out("  host name \"%s\", domain name \"%s\"\n", u->nodename,
	    u->domainname);
	state = tree_flags & CKPT_TREE_NEWIPC ? S_IPC_NS : S_TASK;
}

/* the most ids of a kind a namespace can have (IPCMNI_EXTEND) */
#define CKPT_IPC_NS_MAX		(1u << 24)

static void rec_ipc_ns(uint32_t len)
{
	struct ckpt_hdr_ipc_ns *n = (void *)buf;

	need_len(len, sizeof(*n), "IPC_NS");
	need_zero(n->_pad, "_pad");
	if (n->nr_shm > CKPT_IPC_NS_MAX || n->nr_sem > CKPT_IPC_NS_MAX ||
	    n->nr_msg > CKPT_IPC_NS_MAX)
		bad(rec_off, "IPC namespace of %u segments, %u semaphore sets, "
		    "%u message queues: more than %u of a kind", n->nr_shm,
		    n->nr_sem, n->nr_msg, CKPT_IPC_NS_MAX);
	out("  %u shared memory segment%s, %u semaphore set%s, %u message "
	    "queue%s\n", n->nr_shm, n->nr_shm == 1 ? "" : "s", n->nr_sem,
	    n->nr_sem == 1 ? "" : "s", n->nr_msg, n->nr_msg == 1 ? "" : "s");
	ipc_left[SYSV_SHM] = n->nr_shm;
	ipc_left[SYSV_SEM] = n->nr_sem;
	ipc_left[SYSV_MSG] = n->nr_msg;
	state = S_IPC_SHM;
}

/* check a SysV object's id and key, remember them (and a segment's size) */
static void ipc_perm(const struct ckpt_ipc_perm *p, enum sysv_kind kind,
		     uint64_t size)
{
	const struct ipc_ent *e;

	if (p->id < 0)
		bad(rec_off, "%s id %d is negative", sysv_names[kind], p->id);
	if (p->mode & ~0777u)
		bad(rec_off, "%s %d: mode 0%o beyond 0777", sysv_names[kind],
		    p->id, p->mode);
	need_zero(p->_pad, "perm._pad");
	if (ipc_find(ipc_tag(kind, false, p->id)))
		bad(rec_off, "%s id %d appears twice", sysv_names[kind], p->id);
	/* two live objects of a kind never share a key (but IPC_PRIVATE) */
	e = p->key ? ipc_find(ipc_tag(kind, true, p->key)) : NULL;
	if (e)
		bad(rec_off, "%s %d has key 0x%08x, as %s %d has",
		    sysv_names[kind], p->id, (uint32_t)p->key,
		    sysv_names[kind], (int32_t)e->val);
	ipc_add(ipc_tag(kind, false, p->id), size);
	if (p->key)
		ipc_add(ipc_tag(kind, true, p->key), (uint32_t)p->id);
}

static void print_perm(const struct ckpt_ipc_perm *p)
{
	out("  id %d, key 0x%08x%s, owner %u:%u, creator %u:%u, mode 0%03o\n",
	    p->id, (uint32_t)p->key, p->key ? "" : " (IPC_PRIVATE)", p->uid,
	    p->gid, p->cuid, p->cgid, p->mode);
}

/* seconds since the epoch of a SysV object's change, 0 for never */
static const char *ipc_time(int64_t t, char *tmp, size_t n)
{
	if (!t) {
		snprintf(tmp, n, "never");
		return tmp;
	}
	return time_str((uint64_t)t, tmp, n);
}

static void need_pid(int32_t pid, const char *field)
{
	if (pid < 0)
		bad(rec_off, "%s %d is negative", field, pid);
}

static void rec_ipc_shm(uint32_t len)
{
	struct ckpt_hdr_ipc_shm *m = (void *)buf;
	char a[48], d[48], c[48];

	need_len(len, sizeof(*m), "IPC_SHM");
	need_zero(m->_pad, "_pad");
	if (m->flags & ~CKPT_IPC_SHM_FLAGS_ALL)
		bad(rec_off, "unknown SysV segment flags %#x", m->flags);
	if (!m->size || m->size > CKPT_SHMEM_MAX)
		bad(rec_off, "SysV segment size %" PRIu64 " out of range [1, "
		    "2^46]", (uint64_t)m->size);
	need_pid(m->cpid, "cpid");
	need_pid(m->lpid, "lpid");
	ipc_perm(&m->perm, SYSV_SHM, m->size);
	print_perm(&m->perm);
	out("  %" PRIu64 " bytes, creator pid %d, last pid %d%s%s\n",
	    (uint64_t)m->size, m->cpid, m->lpid,
	    m->flags & CKPT_IPC_SHM_DEST ? ", removed (IPC_RMID)" : "",
	    m->flags & CKPT_IPC_SHM_NORESERVE ? ", noreserve" : "");
	out("  attached %s, detached %s, changed %s\n",
	    ipc_time(m->atime, a, sizeof(a)), ipc_time(m->dtime, d, sizeof(d)),
	    ipc_time(m->ctime, c, sizeof(c)));
	ipc_left[SYSV_SHM]--;
	obj_pages_begin("SysV segment", m->perm.id, m->size, 0);
}

static void rec_ipc_sem(uint32_t len)
{
	struct ckpt_hdr_ipc_sem *m = (void *)buf;
	uint32_t i, shown;
	char o[48], c[48];

	if (len < sizeof(*m))
		bad(rec_off, "IPC_SEM record length %u, expected at least %zu",
		    len, sizeof(*m));
	if (!m->nsems)
		bad(rec_off, "SysV semaphore set of no semaphore");
	need_len(len, sizeof(*m) + (uint64_t)m->nsems * sizeof(m->sems[0]),
		 "IPC_SEM");
	need_zero(m->_pad, "_pad");
	for (i = 0; i < m->nsems; i++) {
		/* SEMVMX */
		if (m->sems[i].val < 0 || m->sems[i].val > 32767)
			bad(rec_off, "semaphore %u: value %d out of range "
			    "[0, 32767]", i, m->sems[i].val);
		need_pid(m->sems[i].pid, "semaphore pid");
	}
	ipc_perm(&m->perm, SYSV_SEM, 0);
	print_perm(&m->perm);
	out("  operated %s, changed %s\n", ipc_time(m->otime, o, sizeof(o)),
	    ipc_time(m->ctime, c, sizeof(c)));
	shown = verbose || m->nsems <= 16 ? m->nsems : 16;
	out("  %u semaphore%s, values", m->nsems, m->nsems == 1 ? "" : "s");
	for (i = 0; i < shown; i++)
		out(" %d", m->sems[i].val);
	out("%s\n  last changed by pids", shown < m->nsems ? " ..." : "");
	for (i = 0; i < shown; i++)
		out(" %d", m->sems[i].pid);
	out("%s\n", shown < m->nsems ? " ..." : "");
	ipc_left[SYSV_SEM]--;
}

static void rec_ipc_msg(uint32_t len)
{
	struct ckpt_hdr_ipc_msg *q = (void *)buf;
	char s[48], r[48], c[48];

	need_len(len, sizeof(*q), "IPC_MSG");
	need_zero(q->_pad, "_pad");
	if (q->qbytes > INT32_MAX)
		bad(rec_off, "SysV message queue limit %" PRIu64 " above "
		    "2^31 - 1", (uint64_t)q->qbytes);
	/* msgsnd(2) counts every message as one byte at least */
	if (q->nr_msgs > q->qbytes)
		bad(rec_off, "%u messages in a queue of %" PRIu64 " bytes",
		    q->nr_msgs, (uint64_t)q->qbytes);
	need_pid(q->lspid, "lspid");
	need_pid(q->lrpid, "lrpid");
	ipc_perm(&q->perm, SYSV_MSG, 0);
	print_perm(&q->perm);
	out("  %u message%s, limit %" PRIu64 " bytes, last sender pid %d, "
	    "last receiver pid %d\n", q->nr_msgs, q->nr_msgs == 1 ? "" : "s",
	    (uint64_t)q->qbytes, q->lspid, q->lrpid);
	out("  sent %s, received %s, changed %s\n",
	    ipc_time(q->stime, s, sizeof(s)), ipc_time(q->rtime, r, sizeof(r)),
	    ipc_time(q->ctime, c, sizeof(c)));
	ipc_left[SYSV_MSG]--;
	msgq_id = q->perm.id;
	msgq_bytes = 0;
	msgq_qbytes = q->qbytes;
	msgq_nr = 0;
	left = q->nr_msgs;
	state = S_MSG;
}

static void rec_msg(uint32_t len)
{
	struct ckpt_hdr_msg *m = (void *)buf;

	if (len < sizeof(*m))
		bad(rec_off, "MSG record length %u, expected at least %zu",
		    len, sizeof(*m));
	need_len(len, sizeof(*m) + (uint64_t)m->len, "MSG");
	need_zero(m->_pad, "_pad");
	if (m->mtype < 1)
		bad(rec_off, "message type %" PRId64 " is not positive",
		    (int64_t)m->mtype);
	msgq_bytes += m->len;
	if (msgq_bytes > msgq_qbytes)
		bad(rec_off, "messages of %" PRIu64 " bytes exceed the limit "
		    "%" PRIu64 " of SysV message queue %d", msgq_bytes,
		    msgq_qbytes, msgq_id);
	out("  message %u of queue %d: type %" PRId64 ", %u byte%s",
	    msgq_nr, msgq_id, (int64_t)m->mtype, m->len,
	    m->len == 1 ? "" : "s");
	if (verbose) {
		out(", \"");
		for (uint32_t i = 0; i < m->len && i < 64; i++)
			out(m->text[i] >= 0x20 && m->text[i] < 0x7f &&
			    m->text[i] != '"' && m->text[i] != '\\' ?
			    "%c" : "\\x%02x", m->text[i]);
		out("\"%s", m->len > 64 ? "..." : "");
	}
	out("\n");
	msgq_nr++;
	left--;
}

static void rec_task(uint32_t len)
{
	struct ckpt_hdr_task *t = (void *)buf;

	need_len(len, sizeof(*t), "TASK");
	need_cstr(t->comm, sizeof(t->comm), "comm");
	if (t->exit_signal > CKPT_NSIG || t->pdeath_signal > CKPT_NSIG)
		bad(rec_off, "bad exit_signal %u or pdeath_signal %u",
		    t->exit_signal, t->pdeath_signal);
	if (t->rseq ? t->rseq_len < 32 || t->rseq_len > 4096 || t->rseq % 32
		    : t->rseq_len || t->rseq_sig)
		bad(rec_off, "bad rseq area 0x%" PRIx64 " (%u bytes)",
		    (uint64_t)t->rseq, t->rseq_len);
	cur_task = tasks_seen;
	cur_kind = task_kinds[cur_task];
	if (cur_kind != K_ZOMBIE)
		need_zero(t->exit_code, "exit_code");
	out("  task %u: comm \"%s\", exit signal %u, personality 0x%x, "
	    "clear_child_tid 0x%" PRIx64 ", robust_list 0x%" PRIx64
	    ", pdeath signal %u\n", tasks_seen, t->comm, t->exit_signal,
	    t->personality, (uint64_t)t->clear_child_tid,
	    (uint64_t)t->robust_list, t->pdeath_signal);
	if (t->rseq)
		out("  rseq area 0x%" PRIx64 ", %u bytes, signature 0x%x\n",
		    (uint64_t)t->rseq, t->rseq_len, t->rseq_sig);
	if (cur_kind == K_ZOMBIE) {
		if (t->exit_code & 0x7f)
			out("  zombie: killed by signal %u%s\n",
			    t->exit_code & 0x7f,
			    t->exit_code & 0x80 ? " (core dumped)" : "");
		else
			out("  zombie: exited with status %u\n",
			    (t->exit_code >> 8) & 0xff);
	}
	tasks_seen++;
	state = cur_kind == K_ZOMBIE ? S_TASK : S_CREDS;
}

static void rec_creds(uint32_t len)
{
	struct ckpt_hdr_creds *c = (void *)buf;
	uint32_t i, shown;

	if (len < sizeof(*c))
		bad(rec_off, "CREDS record length %u, expected at least %zu",
		    len, sizeof(*c));
	if (c->ngroups > 65536)
		bad(rec_off, "ngroups %u exceeds 65536", c->ngroups);
	need_len(len, sizeof(*c) + (uint64_t)c->ngroups * 4, "CREDS");
	out("  uid %u euid %u suid %u fsuid %u\n", c->uid, c->euid, c->suid,
	    c->fsuid);
	out("  gid %u egid %u sgid %u fsgid %u\n", c->gid, c->egid, c->sgid,
	    c->fsgid);
	out("  cap inh 0x%" PRIx64 " prm 0x%" PRIx64 " eff 0x%" PRIx64
	    " bnd 0x%" PRIx64 " amb 0x%" PRIx64 ", securebits 0x%x\n",
	    (uint64_t)c->cap_inheritable, (uint64_t)c->cap_permitted,
	    (uint64_t)c->cap_effective, (uint64_t)c->cap_bset,
	    (uint64_t)c->cap_ambient, c->securebits);
	out("  %u supplementary group%s", c->ngroups,
	    c->ngroups == 1 ? "" : "s");
	shown = verbose || c->ngroups <= 16 ? c->ngroups : 16;
	for (i = 0; i < shown; i++)
		out("%s%u", i ? " " : ": ", c->groups[i]);
	out("%s\n", shown < c->ngroups ? " ..." : "");
	state = cur_kind == K_THREAD ? S_SIGNAL : S_RLIMITS;
}

static void rec_rlimits(uint32_t len)
{
	static const char *names[CKPT_RLIM_NLIMITS] = {
		"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC",
		"NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE",
		"NICE", "RTPRIO", "RTTIME",
	};
	struct ckpt_hdr_rlimits *r = (void *)buf;
	char a[32], b[32];

	need_len(len, sizeof(*r), "RLIMITS");
	for (int i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		if (r->rlim[i].cur > r->rlim[i].max)
			bad(rec_off, "rlimit %s: soft limit %" PRIu64
			    " above hard limit %" PRIu64, names[i],
			    (uint64_t)r->rlim[i].cur,
			    (uint64_t)r->rlim[i].max);
		out("  %-10s %s / %s\n", names[i],
		    rlim_str(r->rlim[i].cur, a, sizeof(a)),
		    rlim_str(r->rlim[i].max, b, sizeof(b)));
	}
	state = S_FS;
}

static void rec_fs(uint32_t len)
{
	struct ckpt_hdr_fs *f = (void *)buf;

	if (len < sizeof(*f))
		bad(rec_off, "FS record length %u, expected at least %zu",
		    len, sizeof(*f));
	need_len(len, sizeof(*f) + (uint64_t)f->root_len + f->cwd_len, "FS");
	need_zero(f->_pad, "_pad");
	if (f->umask & ~0777u)
		bad(rec_off, "bad umask 0%o", f->umask);
	need_path(f->paths, f->root_len, "root path");
	need_path(f->paths + f->root_len, f->cwd_len, "cwd path");
	if (f->paths[0] != '/' || f->paths[f->root_len] != '/')
		bad(rec_off, "root or cwd path is not absolute");
	out("  umask 0%03o, root %s, cwd %s\n", f->umask, f->paths,
	    f->paths + f->root_len);
	state = S_SIGHAND;
}

static void rec_sighand(uint32_t len)
{
	struct ckpt_hdr_sighand *s = (void *)buf;
	unsigned int shown = 0;
	char tmp[16];

	need_len(len, sizeof(*s), "SIGHAND");
	for (unsigned int i = 0; i < CKPT_NSIG; i++) {
		unsigned int sig = i + 1;
		uint64_t h = s->act[i].handler;

		if (!h && !s->act[i].flags && !s->act[i].mask &&
		    !s->act[i].restorer)
			continue;
		if ((sig == 9 || sig == 19) && h)
			bad(rec_off, "%s has a handler",
			    sig_name(sig, tmp, sizeof(tmp)));
		out("  %-9s ", sig_name(sig, tmp, sizeof(tmp)));
		if (h == 0)
			out("SIG_DFL");
		else if (h == 1)
			out("SIG_IGN");
		else
			out("handler 0x%" PRIx64, h);
		out(" flags 0x%" PRIx64 " mask 0x%" PRIx64 " restorer 0x%"
		    PRIx64 "\n", (uint64_t)s->act[i].flags,
		    (uint64_t)s->act[i].mask, (uint64_t)s->act[i].restorer);
		shown++;
	}
	if (!shown)
		out("  all signals SIG_DFL\n");
	state = S_SIGNAL;
}

static void rec_signal(uint32_t len)
{
	static const char *itn[3] = { "REAL", "VIRTUAL", "PROF" };
	struct ckpt_hdr_signal *s = (void *)buf;

	need_len(len, sizeof(*s), "SIGNAL");
	need_zero(s->_pad, "_pad");
	if (s->nr_timers > CKPT_TIMERS_MAX)
		bad(rec_off, "%u POSIX timers, more than %u", s->nr_timers,
		    CKPT_TIMERS_MAX);
	if (s->nr_timers && cur_kind == K_THREAD)
		bad(rec_off, "%u POSIX timer%s in the SIGNAL of a thread: "
		    "timers are its process's", s->nr_timers,
		    s->nr_timers == 1 ? "" : "s");
	/* SS_DISABLE 2, SS_AUTODISARM 1U << 31 */
	if (s->altstack_flags & ~(2u | (1u << 31)))
		bad(rec_off, "bad altstack flags 0x%x", s->altstack_flags);
	print_sigmask("blocked", s->blocked);
	out("  altstack sp 0x%" PRIx64 " size %" PRIu64 " flags 0x%x\n",
	    (uint64_t)s->altstack_sp, (uint64_t)s->altstack_size,
	    s->altstack_flags);
	for (int i = 0; i < 3; i++)
		if (s->itimer[i].value_ns || s->itimer[i].interval_ns)
			out("  itimer %s value %" PRIu64 " ns interval %"
			    PRIu64 " ns\n", itn[i],
			    (uint64_t)s->itimer[i].value_ns,
			    (uint64_t)s->itimer[i].interval_ns);
	out("  %u pending signal%s, %u POSIX timer%s\n", s->nr_pending,
	    s->nr_pending == 1 ? "" : "s", s->nr_timers,
	    s->nr_timers == 1 ? "" : "s");
	left = s->nr_pending;
	timers_left = s->nr_timers;
	state = S_SIGPENDING;
}

static void rec_sigpending(uint32_t len)
{
	struct ckpt_hdr_sigpending *p = (void *)buf;
	int32_t signo, code;
	char tmp[16];

	need_len(len, sizeof(*p), "SIGPENDING");
	need_zero(p->_pad, "_pad");
	if (p->shared > 1)
		bad(rec_off, "bad shared value %u", p->shared);
	memcpy(&signo, p->info, 4);
	memcpy(&code, p->info + 8, 4);
	if (signo < 1 || signo > CKPT_NSIG)
		bad(rec_off, "bad signal number %d", signo);
	out("  %s code %d, %s\n", sig_name(signo, tmp, sizeof(tmp)), code,
	    p->shared ? "process-wide" : "thread");
	left--;
}

/* KTIME_MAX / 2: restart adds the clock's time to a timer's */
#define TIMER_NS_MAX	((uint64_t)INT64_MAX / 2)

/* a duration in ms below a second, else in s */
static const char *dur_str(uint64_t ns, char *tmp, size_t n)
{
	if (ns < 1000000000)
		snprintf(tmp, n, "%" PRIu64 ".%03" PRIu64 " ms", ns / 1000000,
			 ns / 1000 % 1000);
	else
		snprintf(tmp, n, "%" PRIu64 ".%03" PRIu64 " s",
			 ns / 1000000000, ns / 1000000 % 1000);
	return tmp;
}

static void rec_posix_timer(uint32_t len)
{
	/*
	 * SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2 (a signal to the
	 * process for the kernel), SIGEV_SIGNAL | SIGEV_THREAD_ID 4
	 */
	static const char *notify[] = { "SIGEV_SIGNAL", "SIGEV_NONE",
					"SIGEV_THREAD", NULL,
					"SIGEV_THREAD_ID" };
	struct ckpt_hdr_posix_timer *t = (void *)buf;
	const struct ckpt_pids *proc = &tree_pids[cur_task];
	const char *clk;
	char sig[16], v[32], iv[32];
	bool thread_ok = false;

	need_len(len, sizeof(*t), "POSIX_TIMER");
	need_zero(t->_pad, "_pad");
	if (t->id < 0)
		bad(rec_off, "POSIX timer id %d is negative", t->id);
	switch (t->clock) {
	case 0:		clk = "CLOCK_REALTIME"; break;
	case 1:		clk = "CLOCK_MONOTONIC"; break;
	case 7:		clk = "CLOCK_BOOTTIME"; break;
	case 11:	clk = "CLOCK_TAI"; break;
	default:
		bad(rec_off, "POSIX timer %d: clock %d is not REALTIME, "
		    "MONOTONIC, BOOTTIME or TAI", t->id, t->clock);
	}
	if (t->notify < 0 || t->notify > 4 || !notify[t->notify])
		bad(rec_off, "POSIX timer %d: unknown notify %d", t->id,
		    t->notify);
	if (t->signo < 0 || t->signo > CKPT_NSIG ||
	    (t->notify != 1 && !t->signo))
		bad(rec_off, "POSIX timer %d: bad signal number %d", t->id,
		    t->signo);
	if (t->notify == 4) {
		/* a live task of this process: it and the threads after it */
		for (uint32_t i = cur_task; i < nr_tasks &&
		     tree_pids[i].tgid == proc->tgid; i++)
			if (tree_pids[i].pid == t->tid &&
			    task_kinds[i] != K_ZOMBIE)
				thread_ok = true;
		if (!thread_ok)
			bad(rec_off, "POSIX timer %d signals thread %d, which "
			    "is no thread of process %d in the TREE", t->id,
			    t->tid, proc->tgid);
	} else if (t->tid) {
		bad(rec_off, "POSIX timer %d: tid %d without SIGEV_THREAD_ID",
		    t->id, t->tid);
	}
	if (t->value_ns > TIMER_NS_MAX || t->interval_ns > TIMER_NS_MAX)
		bad(rec_off, "POSIX timer %d: time out of range", t->id);
	if (ipc_find(timer_tag(cur_task, t->id)))
		bad(rec_off, "POSIX timer id %d appears twice in process %d",
		    t->id, proc->tgid);
	ipc_add(timer_tag(cur_task, t->id), 0);

	out("  timer %d: %s, %s", t->id, clk, notify[t->notify]);
	if (t->notify == 4)
		out(" thread %d", t->tid);
	out(" %s value 0x%" PRIx64 ", ", t->signo ?
	    sig_name(t->signo, sig, sizeof(sig)) : "signal 0",
	    (uint64_t)t->value);
	if (t->value_ns)
		out("next in %s", dur_str(t->value_ns, v, sizeof(v)));
	else
		out("disarmed");
	if (t->interval_ns)
		out(", every %s", dur_str(t->interval_ns, iv, sizeof(iv)));
	else if (t->value_ns)
		out(", one-shot");
	out("\n");
	timers_left--;
}

static void rec_file_table(uint32_t len)
{
	struct ckpt_hdr_file_table *t = (void *)buf;

	need_len(len, sizeof(*t), "FILE_TABLE");
	need_zero(t->_pad, "_pad");
	if (t->nr_epolls > t->nr_fds)
		bad(rec_off, "%u epoll files in a table of %u fds",
		    t->nr_epolls, t->nr_fds);
	obj_define(t->objref, CKPT_OBJ_FILE_TABLE, NULL, "FILE_TABLE");
	out("  objref %u, %u fd%s, %u epoll file%s\n", t->objref, t->nr_fds,
	    t->nr_fds == 1 ? "" : "s", t->nr_epolls,
	    t->nr_epolls == 1 ? "" : "s");
	left = t->nr_fds;
	epolls_left = t->nr_epolls;
	fd_seen = false;
	state = S_FD;
}

/* open flags as the kernel keeps them in f_flags (x86-64 values) */
static void print_oflags(uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } fl[] = {
		{ 0100, "O_CREAT" }, { 0200, "O_EXCL" },
		{ 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
		{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
		{ 010000, "O_DSYNC" }, { 020000, "FASYNC" },
		{ 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
		{ 0200000, "O_DIRECTORY" }, { 0400000, "O_NOFOLLOW" },
		{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
		{ 04000000, "__O_SYNC" }, { 010000000, "O_PATH" },
		{ 020000000, "__O_TMPFILE" },
	};
	static const char *acc[4] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "3" };

	out("%s", acc[f & 3]);
	f &= ~3u;
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (f & fl[i].bit) {
			out("|%s", fl[i].name);
			f &= ~fl[i].bit;
		}
	if (f)
		out("|0x%x", f);
}

static void rec_file(uint32_t len)
{
	static const char *kinds[] = { "?", "REG", "DIR", "CHR", "TTY", "PIPE",
				       "FIFO", "MEMFD", "EVENTFD", "SIGNALFD",
				       "TIMERFD", "EPOLL" };
	static const uint32_t state_obj[] = {
		[CKPT_FILE_EVENTFD] = CKPT_OBJ_EVENTFD,
		[CKPT_FILE_SIGNALFD] = CKPT_OBJ_SIGNALFD,
		[CKPT_FILE_TIMERFD] = CKPT_OBJ_TIMERFD,
	};
	struct ckpt_hdr_file *f = (void *)buf;
	struct obj *o;
	bool mode_ok;

	if (len < sizeof(*f))
		bad(rec_off, "FILE record length %u, expected at least %zu",
		    len, sizeof(*f));
	need_len(len, sizeof(*f) + (uint64_t)f->path_len + f->relink_len,
		 "FILE");
	if (f->kind != CKPT_FILE_PIPE && f->kind != CKPT_FILE_FIFO &&
	    (f->kind < CKPT_FILE_MEMFD || f->kind == CKPT_FILE_EPOLL))
		need_zero(f->ref, "ref");
	need_path(f->path, f->path_len, "path");
	if (f->relink_len) {
		need_path(f->path + f->path_len, f->relink_len,
			  "relinked path");
		if (f->kind != CKPT_FILE_REG && f->kind != CKPT_FILE_DIR)
			bad(rec_off, "relinked path on a file of kind %u",
			    f->kind);
		if (f->path[f->path_len] != '/')
			bad(rec_off, "relinked path is not absolute");
	}
	switch (f->kind) {
	case CKPT_FILE_REG:
		mode_ok = S_ISREG(f->mode);
		break;
	case CKPT_FILE_DIR:
		mode_ok = S_ISDIR(f->mode);
		break;
	case CKPT_FILE_CHR:
	case CKPT_FILE_TTY:
		mode_ok = S_ISCHR(f->mode);
		break;
	case CKPT_FILE_FIFO:
		mode_ok = S_ISFIFO(f->mode);
		obj_use(f->ref, CKPT_OBJ_PIPE, "ref");
		if ((f->f_flags & 3) == 3)
			bad(rec_off, "FIFO opened with access mode 3");
		break;
	case CKPT_FILE_PIPE:
		mode_ok = S_ISFIFO(f->mode);
		obj_use(f->ref, CKPT_OBJ_PIPE, "ref");
		if ((f->f_flags & 3) != O_RDONLY && (f->f_flags & 3) != O_WRONLY)
			bad(rec_off, "pipe end neither read-only nor write-only");
		break;
	case CKPT_FILE_MEMFD:
		mode_ok = S_ISREG(f->mode);
		obj_use(f->ref, CKPT_OBJ_MEMFD, "ref");
		break;
	case CKPT_FILE_EPOLL:
		mode_ok = true;
		need_zero(f->ref, "ref");
		if ((f->f_flags & 3) != O_RDWR)
			bad(rec_off, "EPOLL not open read-write");
		break;
	case CKPT_FILE_EVENTFD:
	case CKPT_FILE_SIGNALFD:
	case CKPT_FILE_TIMERFD:
		mode_ok = true;		/* anonymous inodes have no type */
		obj_use(f->ref, state_obj[f->kind], "ref");
		if ((f->f_flags & 3) != O_RDWR)
			bad(rec_off, "%s not open read-write",
			    kinds[f->kind]);
		break;
	default:
		bad(rec_off, "unknown file kind %u", f->kind);
	}
	if (!mode_ok)
		bad(rec_off, "file kind %s but mode 0%o", kinds[f->kind],
		    f->mode);
	if ((f->kind == CKPT_FILE_REG || f->kind == CKPT_FILE_DIR ||
	     f->kind == CKPT_FILE_FIFO) && f->path[0] != '/')
		bad(rec_off, "path \"%s\" is not absolute", f->path);
	o = obj_define(f->objref, CKPT_OBJ_FILE, f->path, "FILE");
	out("  objref %u %s %s\n    ", f->objref, kinds[f->kind], f->path);
	print_oflags(f->f_flags);
	out(" mode 0%o owner %u:%u pos %" PRId64 " size %" PRIu64
	    " inode %" PRIu64 " dev %u:%u", f->mode, f->uid, f->gid,
	    (int64_t)f->pos, (uint64_t)f->size, (uint64_t)f->ino,
	    (f->dev >> 8) & 0xfff, (f->dev & 0xff) | ((f->dev >> 12) & 0xfff00));
	if (f->kind == CKPT_FILE_PIPE || f->kind == CKPT_FILE_FIFO)
		out(" pipe %u", f->ref);
	if (f->kind >= CKPT_FILE_MEMFD && f->kind != CKPT_FILE_EPOLL)
		out(" state %u", f->ref);
	if (f->kind == CKPT_FILE_CHR || f->kind == CKPT_FILE_TTY)
		out(" rdev %" PRIu64 ":%" PRIu64,
		    (uint64_t)((f->rdev & 0xfff00) >> 8),
		    (uint64_t)((f->rdev & 0xff) | ((f->rdev >> 12) & 0xfff00)));
	if (f->relink_len)
		out("\n    unlinked, relinked at %s", f->path + f->path_len);
	out("\n");
	if (state == S_MM) {
		/* before an MM: for the MM or one of its VMAs */
		mm_def(o);
		return;
	}
	pending_file = f->objref;
	pending_file_off = rec_off;
}

static void rec_pipe(uint32_t len)
{
	struct ckpt_hdr_pipe *p = (void *)buf;

	if (len < sizeof(*p))
		bad(rec_off, "PIPE record length %u, expected at least %zu",
		    len, sizeof(*p));
	need_len(len, sizeof(*p) + (uint64_t)p->nr_bytes, "PIPE");
	need_zero(p->_pad, "_pad");
	if (p->size < 4096 || (p->size & (p->size - 1)))
		bad(rec_off, "pipe size %u is not a power of two of pages",
		    p->size);
	if (p->nr_bytes > p->size)
		bad(rec_off, "pipe holds %u bytes, more than its size %u",
		    p->nr_bytes, p->size);
	obj_define(p->objref, CKPT_OBJ_PIPE, NULL, "PIPE");
	out("  objref %u, size %u, %u bytes buffered\n", p->objref, p->size,
	    p->nr_bytes);
}

static void rec_memfd(uint32_t len)
{
	struct ckpt_hdr_memfd *m = (void *)buf;

	if (len < sizeof(*m))
		bad(rec_off, "MEMFD record length %u, expected at least %zu",
		    len, sizeof(*m));
	need_len(len, sizeof(*m) + (uint64_t)m->name_len, "MEMFD");
	if (m->mode & ~07777u)
		bad(rec_off, "memfd mode %#o", m->mode);
	if (m->name_len < 1 || m->name_len > 250 ||
	    m->name[m->name_len - 1] || strlen(m->name) != m->name_len - 1)
		bad(rec_off, "memfd name is not a string of %u bytes",
		    m->name_len);
	if (m->seals & ~0x3fu)
		bad(rec_off, "unknown seals %#x", m->seals);
	obj_define(m->objref, CKPT_OBJ_MEMFD, NULL, "MEMFD");
	out("  objref %u, \"memfd:%s\", %" PRIu64 " bytes, mode 0%o, seals "
	    "%#x\n", m->objref, m->name, (uint64_t)m->size, m->mode,
	    m->seals);
	obj_pages_begin("memfd", m->objref, m->size, m->objref);
}

static void rec_shmem(uint32_t len)
{
	struct ckpt_hdr_shmem *m = (void *)buf;
	struct obj *o;

	need_len(len, sizeof(*m), "SHMEM");
	if (m->flags & ~CKPT_SHMEM_NORESERVE)
		bad(rec_off, "unknown shared memory flags %#x", m->flags);
	if (!m->size || (m->size & (page_size - 1)) ||
	    m->size > CKPT_SHMEM_MAX)
		bad(rec_off, "shared memory size %" PRIu64 " is not a "
		    "positive multiple of the page size up to 2^46",
		    (uint64_t)m->size);
	o = obj_define(m->objref, CKPT_OBJ_SHMEM, NULL, "SHMEM");
	o->size = m->size;
	mm_def(o);
	out("  objref %u, %" PRIu64 " bytes%s\n", m->objref,
	    (uint64_t)m->size,
	    m->flags & CKPT_SHMEM_NORESERVE ? ", noreserve" : "");
	obj_pages_begin("shared memory", m->objref, m->size, 0);
}

/* the record of an eventfd's, signalfd's or timerfd's state */
static void state_record(uint32_t len, size_t size, uint32_t objref,
			 uint32_t kind, const char *type)
{
	need_len(len, size, type);
	obj_define(objref, kind, NULL, type);
	wants_file = objref;
	wants_file_kind = kind;
}

static void rec_eventfd(uint32_t len)
{
	struct ckpt_hdr_eventfd *e = (void *)buf;

	state_record(len, sizeof(*e), e->objref, CKPT_OBJ_EVENTFD, "EVENTFD");
	if (e->flags & ~1u)
		bad(rec_off, "unknown eventfd flags %#x", e->flags);
	if (e->count == UINT64_MAX)
		bad(rec_off, "eventfd counter 2^64 - 1");
	out("  objref %u, count %" PRIu64 "%s\n", e->objref,
	    (uint64_t)e->count, e->flags ? ", semaphore" : "");
}

static void rec_signalfd(uint32_t len)
{
	struct ckpt_hdr_signalfd *g = (void *)buf;

	state_record(len, sizeof(*g), g->objref, CKPT_OBJ_SIGNALFD,
		     "SIGNALFD");
	need_zero(g->_pad, "_pad");
	out("  objref %u, mask %#" PRIx64 "\n", g->objref, (uint64_t)g->mask);
}

static void rec_timerfd(uint32_t len)
{
	struct ckpt_hdr_timerfd *t = (void *)buf;

	state_record(len, sizeof(*t), t->objref, CKPT_OBJ_TIMERFD, "TIMERFD");
	need_zero(t->_pad, "_pad");
	/* REALTIME, MONOTONIC, BOOTTIME and the two _ALARM clocks */
	if (t->clockid != 0 && t->clockid != 1 && t->clockid != 7 &&
	    t->clockid != 8 && t->clockid != 9)
		bad(rec_off, "timerfd clock %d", t->clockid);
	if (t->settime_flags & ~3u)
		bad(rec_off, "unknown timerfd flags %#x", t->settime_flags);
	if (t->value_ns > (UINT64_MAX >> 3) || t->interval_ns > (UINT64_MAX >> 3))
		bad(rec_off, "timerfd time out of range");
	out("  objref %u, clock %d, next in %" PRIu64 " ns, every %" PRIu64
	    " ns, %" PRIu64 " unread, flags %#x\n", t->objref, t->clockid,
	    (uint64_t)t->value_ns, (uint64_t)t->interval_ns,
	    (uint64_t)t->ticks, t->settime_flags);
}

static void rec_epoll(uint32_t len)
{
	struct ckpt_hdr_epoll *e = (void *)buf;

	if (len < sizeof(*e))
		bad(rec_off, "EPOLL record length %u, expected at least %zu",
		    len, sizeof(*e));
	need_len(len, sizeof(*e) + (uint64_t)e->nr_items * sizeof(e->items[0]),
		 "EPOLL");
	obj_use(e->file_objref, CKPT_OBJ_FILE, "file_objref");
	out("  epoll file %u watches %u file%s\n", e->file_objref,
	    e->nr_items, e->nr_items == 1 ? "" : "s");
	for (uint32_t i = 0; i < e->nr_items; i++) {
		struct ckpt_epoll_item *it = &e->items[i];

		obj_use(it->file_objref, CKPT_OBJ_FILE, "file_objref");
		need_zero(it->_pad, "_pad");
		if (it->fd < 0)
			bad(rec_off, "epoll entry %u: fd %d", i, it->fd);
		out("    file %u as fd %d, events %#x, data %#" PRIx64 "\n",
		    it->file_objref, it->fd, it->events, (uint64_t)it->data);
	}
	epolls_left--;
}

static void rec_fd(uint32_t len)
{
	struct ckpt_hdr_fd *d = (void *)buf;
	struct obj *o;

	need_len(len, sizeof(*d), "FD");
	need_zero(d->_pad, "_pad");
	if (d->flags & ~1u)	/* FD_CLOEXEC */
		bad(rec_off, "bad fd flags 0x%x", d->flags);
	if (d->fd > INT32_MAX)
		bad(rec_off, "bad fd number %u", d->fd);
	if (fd_seen && d->fd <= last_fd)
		bad(rec_off, "fd %u follows fd %u: fds not in increasing order",
		    d->fd, last_fd);
	o = obj_use(d->file_objref, CKPT_OBJ_FILE, "file_objref");
	check_pending_file(d->file_objref);
	out("  fd %u -> file %u %s%s\n", d->fd, d->file_objref,
	    o->path ? o->path : "", d->flags ? " (cloexec)" : "");
	fd_seen = true;
	last_fd = d->fd;
	left--;
}

static void rec_cpu(uint32_t len)
{
	static const char *kinds[] = { "none", "syscall", "nanosleep",
				       "eintr" };
	struct ckpt_hdr_cpu *c = (void *)buf;

	need_len(len, sizeof(*c), "CPU");
	need_zero(c->_pad, "_pad");
	if (c->restart > CKPT_RESTART_EINTR)
		bad(rec_off, "unknown restart kind %u", c->restart);
	out("  ip 0x%016" PRIx64 " sp 0x%016" PRIx64 " flags 0x%" PRIx64 "\n",
	    (uint64_t)c->ip, (uint64_t)c->sp, (uint64_t)c->flags);
	out("  ax 0x%" PRIx64 " orig_ax %" PRId64 " cs 0x%" PRIx64 " ss 0x%"
	    PRIx64 "\n", (uint64_t)c->ax, (int64_t)c->orig_ax,
	    (uint64_t)c->cs, (uint64_t)c->ss);
	out("  fs_base 0x%" PRIx64 " gs_base 0x%" PRIx64 "\n",
	    (uint64_t)c->fs_base, (uint64_t)c->gs_base);
	out("  restart %s", kinds[c->restart]);
	if (c->restart == CKPT_RESTART_NANOSLEEP)
		out(" (clock %" PRIu64 ", %" PRIu64 " ns left, rmtp 0x%"
		    PRIx64 ")", (uint64_t)c->restart_arg[0],
		    (uint64_t)c->restart_arg[1], (uint64_t)c->restart_arg[2]);
	out("\n");
	if (verbose) {
		out("  r15 0x%" PRIx64 " r14 0x%" PRIx64 " r13 0x%" PRIx64
		    " r12 0x%" PRIx64 "\n", (uint64_t)c->r15,
		    (uint64_t)c->r14, (uint64_t)c->r13, (uint64_t)c->r12);
		out("  r11 0x%" PRIx64 " r10 0x%" PRIx64 " r9 0x%" PRIx64
		    " r8 0x%" PRIx64 "\n", (uint64_t)c->r11,
		    (uint64_t)c->r10, (uint64_t)c->r9, (uint64_t)c->r8);
		out("  bp 0x%" PRIx64 " bx 0x%" PRIx64 " cx 0x%" PRIx64
		    " dx 0x%" PRIx64 " si 0x%" PRIx64 " di 0x%" PRIx64 "\n",
		    (uint64_t)c->bp, (uint64_t)c->bx, (uint64_t)c->cx,
		    (uint64_t)c->dx, (uint64_t)c->si, (uint64_t)c->di);
		out("  ds 0x%" PRIx64 " es 0x%" PRIx64 " fs 0x%" PRIx64
		    " gs 0x%" PRIx64 "\n", (uint64_t)c->ds, (uint64_t)c->es,
		    (uint64_t)c->fs, (uint64_t)c->gs);
		out("  tls 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 "\n",
		    (uint64_t)c->tls[0], (uint64_t)c->tls[1],
		    (uint64_t)c->tls[2]);
	}
	state = S_XSTATE;
}

static void rec_xstate(uint32_t len)
{
	static const char *feat[] = {
		"x87", "sse", "avx", "bndregs", "bndcsr", "opmask",
		"zmm_hi256", "hi16_zmm", "pt", "pkru", "pasid", "cet_u",
		"cet_s", "hdc", "uintr", "lbr", "hwp", "xtilecfg",
		"xtiledata",
	};
	struct ckpt_hdr_xstate *x = (void *)buf;

	if (len < sizeof(*x))
		bad(rec_off, "XSTATE record length %u, expected at least %zu",
		    len, sizeof(*x));
	need_len(len, sizeof(*x) + (uint64_t)x->size, "XSTATE");
	need_zero(x->_pad, "_pad");
	if (x->size != hdr_xstate_size)
		bad(rec_off, "XSTATE size %u differs from the header's "
		    "xstate_size %u", x->size, hdr_xstate_size);
	if (x->xfeatures & ~hdr_xfeatures)
		bad(rec_off, "XSTATE features 0x%" PRIx64 " not in the "
		    "header's xfeatures 0x%" PRIx64, (uint64_t)x->xfeatures,
		    hdr_xfeatures);
	out("  size %u, xfeatures 0x%" PRIx64 " (", x->size,
	    (uint64_t)x->xfeatures);
	for (unsigned int i = 0, first = 1; i < 64; i++)
		if (x->xfeatures & (1ULL << i)) {
			if (i < sizeof(feat) / sizeof(feat[0]))
				out("%s%s", first ? "" : " ", feat[i]);
			else
				out("%sbit%u", first ? "" : " ", i);
			first = 0;
		}
	out(")\n");
	state = cur_kind == K_THREAD ? S_TASK : S_MM;
}

static void rec_mm(uint32_t len)
{
	struct ckpt_hdr_mm *m = (void *)buf;
	const char *exe_path = "";
	struct obj *exe;

	need_len(len, sizeof(*m), "MM");
	if (m->nr_auxv > CKPT_AUXV_WORDS)
		bad(rec_off, "nr_auxv %u exceeds %u", m->nr_auxv,
		    CKPT_AUXV_WORDS);
	if (m->dumpable > 1)
		bad(rec_off, "dumpable mode %u (0 or 1)", m->dumpable);
	need_zero(m->_pad, "_pad");
	if (m->exe_objref) {
		exe = obj_use(m->exe_objref, CKPT_OBJ_FILE, "exe_objref");
		mm_used(exe);
		/* the path outlives @exe, which obj_define() may move */
		exe_path = exe->path ? exe->path : "";
	}
	check_pending_file(m->exe_objref);
	if (m->start_code > m->end_code || m->start_data > m->end_data ||
	    m->start_brk > m->brk || m->arg_start > m->arg_end ||
	    m->env_start > m->env_end)
		bad(rec_off, "MM layout has a range that ends before it starts");
	obj_define(m->objref, CKPT_OBJ_MM, NULL, "MM");
	out("  objref %u, %u vma%s, exe %u %s%s\n", m->objref, m->nr_vmas,
	    m->nr_vmas == 1 ? "" : "s", m->exe_objref, exe_path,
	    m->dumpable ? "" : ", not dumpable");
	out("  code 0x%" PRIx64 "-0x%" PRIx64 " data 0x%" PRIx64 "-0x%" PRIx64
	    "\n", (uint64_t)m->start_code, (uint64_t)m->end_code,
	    (uint64_t)m->start_data, (uint64_t)m->end_data);
	out("  brk 0x%" PRIx64 "-0x%" PRIx64 " stack 0x%" PRIx64 " vdso 0x%"
	    PRIx64 "\n", (uint64_t)m->start_brk, (uint64_t)m->brk,
	    (uint64_t)m->start_stack, (uint64_t)m->vdso);
	out("  args 0x%" PRIx64 "-0x%" PRIx64 " env 0x%" PRIx64 "-0x%" PRIx64
	    "\n", (uint64_t)m->arg_start, (uint64_t)m->arg_end,
	    (uint64_t)m->env_start, (uint64_t)m->env_end);
	out("  %u auxv words", m->nr_auxv);
	if (verbose)
		for (uint32_t i = 0; i + 1 < m->nr_auxv; i += 2)
			out("%s%" PRIu64 "=0x%" PRIx64, i ? ", " : ": ",
			    (uint64_t)m->auxv[i], (uint64_t)m->auxv[i + 1]);
	out("\n");
	mm_objref = m->objref;
	vmas_nr = 0;
	left = m->nr_vmas;
	state = S_VMA;
}

static void rec_vma(uint32_t len)
{
	const char **kinds = vma_kinds;
	static const char *fl[] = {
		"read", "write", "exec", "shared", "growsdown", "noreserve",
		"dontfork", "dontdump", "wipeonfork", "seq_read", "rand_read",
		"maywrite",
	};
	struct ckpt_hdr_vma *v = (void *)buf;
	/* TASK_SIZE with 5-level paging, the largest possible */
	const uint64_t task_size_max = (1ULL << 56) - page_size;
	struct obj *file = NULL, *shm = NULL;
	uint64_t pmask = page_size - 1;
	bool shared = v->flags & CKPT_VMA_SHARED;
	const struct ipc_ent *seg;

	need_len(len, sizeof(*v), "VMA");
	if ((v->start & pmask) || (v->end & pmask))
		bad(rec_off, "VMA 0x%" PRIx64 "-0x%" PRIx64 " not page aligned",
		    (uint64_t)v->start, (uint64_t)v->end);
	if (v->start >= v->end || v->end > task_size_max)
		bad(rec_off, "bad VMA range 0x%" PRIx64 "-0x%" PRIx64,
		    (uint64_t)v->start, (uint64_t)v->end);
	if (vmas_nr && v->start < vmas[vmas_nr - 1].end)
		bad(rec_off, "VMA 0x%" PRIx64 "-0x%" PRIx64 " overlaps or "
		    "precedes the previous one", (uint64_t)v->start,
		    (uint64_t)v->end);
	if (v->flags & ~CKPT_VMA_FLAGS_ALL)
		bad(rec_off, "unknown VMA flags 0x%x", v->flags);
	if (v->kind < CKPT_VMA_ANON || v->kind > CKPT_VMA_SYSVSHM)
		bad(rec_off, "unknown VMA kind %u", v->kind);
	if (v->shmid && v->kind != CKPT_VMA_SYSVSHM)
		bad(rec_off, "%s VMA with shmid %d", kinds[v->kind], v->shmid);
	switch (v->kind) {
	case CKPT_VMA_FILE:
		file = obj_use(v->file_objref, CKPT_OBJ_FILE, "file_objref");
		mm_used(file);
		break;
	case CKPT_VMA_SHMEM:
		shm = obj_use(v->file_objref, CKPT_OBJ_SHMEM, "file_objref");
		mm_used(shm);
		/* mremap() may have grown it past its object: that is legal */
		if (!shared)
			bad(rec_off, "shmem VMA not shared");
		break;
	case CKPT_VMA_SYSVSHM:
		if (v->file_objref)
			bad(rec_off, "sysvshm VMA with file_objref %u",
			    v->file_objref);
		/* a read-only attach is no VM_SHARED mapping */
		if (v->pgoff)
			bad(rec_off, "sysvshm VMA at page offset %" PRIu64,
			    (uint64_t)v->pgoff);
		seg = v->shmid >= 0 ?
		      ipc_find(ipc_tag(SYSV_SHM, false, v->shmid)) : NULL;
		if (!seg)
			bad(rec_off, "sysvshm VMA attaches segment %d, which "
			    "no IPC_SHM record of the image has", v->shmid);
		/* shmat(2) attaches the whole segment */
		if (v->end - v->start != ((seg->val + pmask) & ~pmask))
			bad(rec_off, "sysvshm VMA of %" PRIu64 " bytes attaches "
			    "SysV segment %d of %" PRIu64 " bytes",
			    (uint64_t)(v->end - v->start), v->shmid, seg->val);
		break;
	default:
		if (v->file_objref)
			bad(rec_off, "%s VMA with file_objref %u",
			    kinds[v->kind], v->file_objref);
		if (v->kind == CKPT_VMA_ANON && shared)
			bad(rec_off, "anon VMA is shared: that is a shmem VMA");
		break;
	}
	check_pending_file(v->file_objref);

	vmas = grow(vmas, &vmas_cap, vmas_nr, sizeof(*vmas));
	vmas[vmas_nr].start = v->start;
	vmas[vmas_nr].end = v->end;
	vmas[vmas_nr].kind = v->kind;
	/* shared memory's pages are its object's */
	vmas[vmas_nr].pages = v->kind == CKPT_VMA_ANON ||
			      (v->kind == CKPT_VMA_FILE && !shared);
	vmas_nr++;

	out("  %012" PRIx64 "-%012" PRIx64 " %c%c%c%c %08" PRIx64 " %s",
	    (uint64_t)v->start, (uint64_t)v->end,
	    v->flags & CKPT_VMA_READ ? 'r' : '-',
	    v->flags & CKPT_VMA_WRITE ? 'w' : '-',
	    v->flags & CKPT_VMA_EXEC ? 'x' : '-',
	    v->flags & CKPT_VMA_SHARED ? 's' : 'p',
	    (uint64_t)v->pgoff * page_size, kinds[v->kind]);
	if (file)
		out(" %u %s", v->file_objref, file->path ? file->path : "");
	if (shm)
		out(" %u", v->file_objref);
	if (v->kind == CKPT_VMA_SYSVSHM)
		out(" shmid %d", v->shmid);
	for (unsigned int i = 4; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (v->flags & (1u << i))
			out(" %s", fl[i]);
	out("\n");
	left--;
}

static const struct vma_range *in_vmas(uint64_t addr)
{
	size_t lo = 0, hi = vmas_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < vmas[mid].start)
			hi = mid;
		else if (addr >= vmas[mid].end)
			lo = mid + 1;
		else
			return &vmas[mid];
	}
	return NULL;
}

static void rec_pages(uint32_t len)
{
	struct ckpt_hdr_pages *p = (void *)buf;
	uint32_t n;

	if (len < sizeof(*p))
		bad(rec_off, "PAGES record length %u, expected at least %zu",
		    len, sizeof(*p));
	n = p->nr_pages;
	need_zero(p->_pad, "_pad");
	if (n > CKPT_PAGES_BATCH)
		bad(rec_off, "nr_pages %u exceeds %u", n, CKPT_PAGES_BATCH);
	need_len(len, sizeof(*p) + (uint64_t)n * (8 + page_size), "PAGES");
	if (in_obj_pages) {
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a = p->addr[i];

			if (a & (page_size - 1) || a < obj_next ||
			    a >= obj_size)
				bad(rec_off + sizeof(*p) + (uint64_t)i * 8,
				    "%s: offset 0x%" PRIx64 " unaligned, out "
				    "of order or beyond the size", obj_name, a);
			obj_next = a + page_size;
		}
		if (n)
			out("  %u page%s of %s\n", n, n == 1 ? "" : "s",
			    obj_name);
		else
			out("  end of the pages of %s\n", obj_name);
		in_obj_pages = n;
		if (!n && obj_memfd) {
			wants_file = obj_memfd;
			wants_file_kind = CKPT_OBJ_MEMFD;
		}
		npages += n;
		return;
	}
	if (!n) {
		out("  end of the pages of mm %u\n", mm_objref);
		state = S_TASK;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = p->addr[i];
		uint64_t aoff = rec_off + sizeof(*p) + (uint64_t)i * 8;
		const struct vma_range *r;

		if (a & (page_size - 1))
			bad(aoff, "page address 0x%" PRIx64 " not page aligned",
			    a);
		if (i && a <= p->addr[i - 1])
			bad(aoff, "page address 0x%" PRIx64 " not above the "
			    "previous 0x%" PRIx64, a, (uint64_t)p->addr[i - 1]);
		r = in_vmas(a);
		if (!r)
			bad(aoff, "page address 0x%" PRIx64 " in no VMA", a);
		if (!r->pages)
			bad(aoff, "page address 0x%" PRIx64 " in a %s%s VMA, "
			    "whose pages are not stored by address", a,
			    r->kind == CKPT_VMA_FILE ? "shared " : "",
			    vma_kinds[r->kind]);
	}
	out("  %u page%s, 0x%" PRIx64 " .. 0x%" PRIx64 "\n", n,
	    n == 1 ? "" : "s", (uint64_t)p->addr[0], (uint64_t)p->addr[n - 1]);
	if (verbose)
		for (uint32_t i = 0; i < n; i++)
			out("    0x%" PRIx64 "\n", (uint64_t)p->addr[i]);
	npages += n;
}

static void rec_tail(uint32_t len)
{
	struct ckpt_hdr_tail *t = (void *)buf;

	need_len(len, sizeof(*t), "TAIL");
	if (t->magic != CKPT_MAGIC_TAIL)
		bad(rec_off, "bad tail magic 0x%016" PRIx64,
		    (uint64_t)t->magic);
	if (t->nbytes != rec_off)
		bad(rec_off, "tail says %" PRIu64 " bytes precede it, found %"
		    PRIu64, (uint64_t)t->nbytes, rec_off);
	if (t->sum1 != sum.sum1 || t->sum2 != sum.sum2)
		bad(rec_off, "checksum mismatch: tail has %016" PRIx64 ":%016"
		    PRIx64 ", data sums to %016" PRIx64 ":%016" PRIx64,
		    (uint64_t)t->sum1, (uint64_t)t->sum2, sum.sum1, sum.sum2);
	out("  %" PRIu64 " bytes, checksum %016" PRIx64 ":%016" PRIx64 " OK\n",
	    (uint64_t)t->nbytes, (uint64_t)t->sum1, (uint64_t)t->sum2);
}

/* ---- the stream ---- */

/* read exactly @len bytes or report what is missing */
static void read_rec(void *dst, size_t len, size_t have, uint32_t type,
		     uint32_t rlen)
{
	ssize_t n = ckpt_read_full(in_fd, dst, len);

	if (n < 0)
		io_error("read");
	if ((size_t)n < len) {
		const char *name = ckpt_type_name(type);

		if (name)
			bad(rec_off, "truncated %s record: %u bytes + padding "
			    "expected, %zu present", name, rlen,
			    have + (size_t)n);
		bad(rec_off, "truncated record header: %zu of 8 bytes present",
		    have + (size_t)n);
	}
}

/* forget the previous image (the fuzz test checks many in one process) */
static void reset(void)
{
	for (size_t i = 0; i < objs_cap; i++)
		free(objs[i].path);
	free(objs);
	objs = NULL;
	objs_cap = objs_nr = 0;
	free(vmas);
	vmas = NULL;
	vmas_nr = vmas_cap = 0;
	free(mm_defs);
	mm_defs = NULL;
	mm_defs_nr = mm_defs_cap = mm_unused = 0;
	free(ipcs);
	ipcs = NULL;
	ipcs_cap = ipcs_nr = 0;
	memset(ipc_left, 0, sizeof(ipc_left));
	tree_flags = 0;
	msgq_id = 0;
	msgq_bytes = msgq_qbytes = 0;
	msgq_nr = 0;
	in_obj_pages = false;
	obj_size = obj_next = 0;
	obj_memfd = 0;
	wants_file = wants_file_kind = 0;
	epolls_left = 0;
	rec_off = nrecords = npages = 0;
	page_size = hdr_xstate_size = 0;
	hdr_xfeatures = 0;
	state = S_HEADER;
	nr_tasks = tasks_seen = left = pending_file = 0;
	cur_task = timers_left = 0;
	pending_file_off = 0;
	fd_seen = false;
	last_fd = mm_objref = 0;
	ckpt_sum_init(&sum);
}

/* Check the image on @in_fd; returns 0 or exits (finish()) with 1 or 2. */
static int check_image(void)
{
	reset();
	if (!buf)
		buf = malloc(CKPT_RECORD_MAX + 8);
	if (!buf) {
		fprintf(msgf, PROG ": out of memory\n");
		return 2;
	}

	for (;;) {
		struct ckpt_hdr *h = (void *)buf;
		uint32_t type, len;
		uint64_t padded;
		size_t have = 0;
		ssize_t n;

		if (rec_off == 0) {
			/* identify the file before trusting any length */
			n = ckpt_read_full(in_fd, buf, 16);
			if (n < 0)
				io_error("read");
			if (n == 0)
				bad(0, "empty input: not a checkpoint image");
			if (n < 16)
				bad(0, "%zd bytes: too short for a checkpoint "
				    "image", n);
			if (*(uint64_t *)(buf + 8) != CKPT_MAGIC_HEAD)
				bad(8, "bad magic 0x%016" PRIx64 ": not a "
				    "checkpoint image",
				    *(uint64_t *)(buf + 8));
			have = 16;
		} else {
			n = ckpt_read_full(in_fd, buf, 8);
			if (n < 0)
				io_error("read");
			if (n == 0)
				bad(rec_off, "image ends without a TAIL record "
				    "(truncated)");
			if (n < 8)
				read_rec(buf + n, 8 - n, n, 0, 0);
			have = 8;
		}
		type = h->type;
		len = h->len;
		if (len < sizeof(*h))
			bad(rec_off, "record length %u is smaller than its "
			    "header", len);
		if (len > CKPT_RECORD_MAX)
			bad(rec_off, "record length %u exceeds the limit of %u",
			    len, CKPT_RECORD_MAX);
		if (!ckpt_type_name(type))
			bad(rec_off, "unknown record type %u (length %u)",
			    type, len);
		padded = ckpt_padded(len);
		if (have > padded)	/* only a 8-byte HEADER */
			bad(rec_off, "%s record length %u, expected %zu",
			    ckpt_type_name(type), len,
			    sizeof(struct ckpt_hdr_header));
		read_rec(buf + have, padded - have, have, type, len);
		for (uint64_t i = len; i < padded; i++)
			if (buf[i])
				bad(rec_off + i, "padding byte not zero");

		check_order(type);
		out("%s @%" PRIu64 " len %u\n", ckpt_type_name(type), rec_off,
		    len);
		switch (type) {
		case CKPT_HDR_HEADER:		rec_header(len); break;
		case CKPT_HDR_TREE:		rec_tree(len); break;
		case CKPT_HDR_UTS_NS:		rec_uts_ns(len); break;
		case CKPT_HDR_IPC_NS:		rec_ipc_ns(len); break;
		case CKPT_HDR_IPC_SHM:		rec_ipc_shm(len); break;
		case CKPT_HDR_IPC_SEM:		rec_ipc_sem(len); break;
		case CKPT_HDR_IPC_MSG:		rec_ipc_msg(len); break;
		case CKPT_HDR_MSG:		rec_msg(len); break;
		case CKPT_HDR_TASK:		rec_task(len); break;
		case CKPT_HDR_CREDS:		rec_creds(len); break;
		case CKPT_HDR_RLIMITS:		rec_rlimits(len); break;
		case CKPT_HDR_FS:		rec_fs(len); break;
		case CKPT_HDR_SIGHAND:		rec_sighand(len); break;
		case CKPT_HDR_SIGNAL:		rec_signal(len); break;
		case CKPT_HDR_SIGPENDING:	rec_sigpending(len); break;
		case CKPT_HDR_POSIX_TIMER:	rec_posix_timer(len); break;
		case CKPT_HDR_FILE_TABLE:	rec_file_table(len); break;
		case CKPT_HDR_FILE:		rec_file(len); break;
		case CKPT_HDR_FD:		rec_fd(len); break;
		case CKPT_HDR_PIPE:		rec_pipe(len); break;
		case CKPT_HDR_MEMFD:		rec_memfd(len); break;
		case CKPT_HDR_SHMEM:		rec_shmem(len); break;
		case CKPT_HDR_EVENTFD:		rec_eventfd(len); break;
		case CKPT_HDR_SIGNALFD:		rec_signalfd(len); break;
		case CKPT_HDR_TIMERFD:		rec_timerfd(len); break;
		case CKPT_HDR_EPOLL:		rec_epoll(len); break;
		case CKPT_HDR_CPU:		rec_cpu(len); break;
		case CKPT_HDR_XSTATE:		rec_xstate(len); break;
		case CKPT_HDR_MM:		rec_mm(len); break;
		case CKPT_HDR_VMA:		rec_vma(len); break;
		case CKPT_HDR_PAGES:		rec_pages(len); break;
		case CKPT_HDR_TAIL:		rec_tail(len); break;
		}
		settle();
		nrecords++;

		if (type == CKPT_HDR_TAIL) {
			char c;

			rec_off += padded;
			n = ckpt_read_full(in_fd, &c, 1);
			if (n < 0)
				io_error("read");
			if (n > 0)
				bad(rec_off, "data after the TAIL record");
			break;
		}
		ckpt_sum_update(&sum, buf, padded);
		rec_off += padded;
	}

	fflush(stdout);
	if (!silent)
		printf("image OK: %" PRIu64 " records, %" PRIu64 " bytes, %"
		       PRIu64 " pages\n", nrecords, rec_off, npages);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-q] [-v] FILE\n"
		"Print the records of a checkpoint image and verify it.\n"
		"FILE '-' reads standard input.\n"
		"  -q  print only the verdict\n"
		"  -v  print every page address, register and auxv word\n"
		"  -h  this help\n"
		"Exit status: 0 valid, 1 invalid image, 2 usage or I/O "
		"error.\n");
}

int main(int argc, char **argv)
{
	int c;

	msgf = stderr;
	while ((c = getopt(argc, argv, "qvh")) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, PROG ": expected one FILE argument\n");
		usage(stderr);
		return 2;
	}
	fname = argv[optind];
	if (!strcmp(fname, "-")) {
		in_fd = STDIN_FILENO;
		fname = "<stdin>";
		if (isatty(in_fd)) {
			fprintf(stderr, PROG ": refusing to read an image "
				"from a terminal\n");
			return 2;
		}
	} else {
		in_fd = open(fname, O_RDONLY | O_CLOEXEC);
		if (in_fd < 0)
			io_error("cannot open");
	}
	return check_image();
}
