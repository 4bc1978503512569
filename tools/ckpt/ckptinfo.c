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
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>

#include "ckpt.h"
#include "lib/ckpt_image.h"

#define PROG "ckptinfo"

/*
 * What the image names by number: an object by its objref or, by a tag
 * above 2^32 (ipc_tag(), timer_tag()), a SysV IPC object by id or by
 * key, a POSIX timer by process and id.
 */
struct obj {
	uint64_t ref;		/* objref or tag; 0: free slot */
	uint32_t kind;		/* objects: CKPT_OBJ_* */
	char *path;		/* files: for display */
	uint64_t val;		/* a SysV segment's size; for a key, its id */
	bool mm_unused;		/* defined before an MM, not yet used by it */
};

enum sysv_kind { SYSV_SHM, SYSV_SEM, SYSV_MSG };

/* the record that comes next, see state_type[] */
enum state {
	S_HEADER, S_TREE, S_TASK, S_CREDS, S_RLIMITS, S_FS, S_SCHED, S_SIGHAND,
	S_SIGNAL, S_SIGPENDING, S_POSIX_TIMER, S_FILE_TABLE, S_FD, S_CPU, S_XSTATE, S_MM,
	S_VMA, S_PAGES, S_EPOLL, S_FILE_LOCK, S_UTS_NS, S_IPC_NS, S_IPC_SHM, S_IPC_SEM,
	S_IPC_MSG, S_MSG, S_CTTY,
};

/* what each TREE entry's records are: a process, another thread, a zombie */
enum task_kind { K_PROCESS, K_THREAD, K_ZOMBIE };

struct vma_range {
	uint64_t start, end;
	uint32_t kind;
	bool pages;		/* its pages may be in the PAGES after the VMAs */
};

/*
 * FILE and SHMEM records before an MM: each must be used by that MM
 * (its exe) or one of its VMAs.
 */
struct mm_def {
	uint32_t ref;
	uint64_t off;
};

/*
 * All that the checker knows, handed to every function: where to
 * report, the input, and what the records read so far say of the ones
 * to come.  check_image() starts the image part from zero, so that
 * tests/fuzz-ckptinfo.c can check many images with one.
 */
struct ckptinfo {
	/* set by the caller */
	const char *fname;
	bool quiet;
	bool verbose;
	bool silent;		/* not even the verdict (fuzz test) */
	FILE *msgf;		/* where problems are reported: stderr */
	int in_fd;

	unsigned char *buf;	/* the current record, padded */
	/* a verdict jumps back to check_image() with its exit status */
	jmp_buf done;
	int status;

	/* ---- the image ---- */
	uint64_t rec_off;	/* offset of the current record */
	uint64_t nrecords;
	uint64_t npages;
	struct ckpt_sum sum;

	/* from the header */
	uint32_t page_size;
	uint64_t hdr_xfeatures;
	uint32_t hdr_xstate_size;

	/* struct obj by ref, open addressing */
	struct obj *objs;
	size_t objs_cap;	/* power of two */
	size_t objs_nr;

	/* record order */
	enum state state;
	uint32_t nr_tasks, tasks_seen;
	unsigned char *task_kinds;	/* enum task_kind, by TREE entry */
	struct ckpt_pids *tree_pids;	/* the TREE's entries */
	enum task_kind cur_kind;
	uint32_t cur_task;	/* TREE entry of the current TASK */
	uint32_t left;		/* SIGPENDING, FD, VMA or MSG records due */
	uint32_t timers_left;	/* POSIX_TIMER records due */
	uint32_t epolls_left;	/* EPOLL records due after the FDs */
	uint32_t locks_left;	/* FILE_LOCK records due after those */
	uint32_t pending_file;	/* objref of a FILE awaiting its user */
	uint64_t pending_file_off;
	/* FILEs awaiting the UNIX_PAIR that holds them in flight */
	struct { uint32_t ref; uint64_t off; } *flying;
	size_t nr_flying, cap_flying;
	bool fd_seen;
	uint32_t last_fd;
	/*
	 * The pages of a MEMFD, SHMEM or IPC_SHM follow it, addressed by
	 * offset; after a MEMFD's the FILE of its first open file.
	 */
	bool in_obj_pages;
	uint64_t obj_size, obj_next;
	uint32_t obj_memfd;	/* the MEMFD's objref, else 0 */
	char obj_name[48];	/* "memfd 7", for messages */
	/* the objref (and kind) of a state record whose FILE must come next */
	uint32_t wants_file, wants_file_kind;
	/* the objref of a connected TCP SOCKET whose TCP record comes next */
	uint32_t wants_tcp;

	/* the address space */
	struct vma_range *vmas;
	size_t vmas_nr, vmas_cap;
	uint32_t mm_objref;
	struct mm_def *mm_defs;
	size_t mm_defs_nr, mm_defs_cap, mm_unused;

	/* the namespaces after the TREE */
	uint32_t tree_flags;
	uint32_t ipc_left[3];	/* IPC_SHM, IPC_SEM, IPC_MSG due */
	int32_t msgq_id;	/* the queue whose MSGs these are */
	uint64_t msgq_bytes, msgq_qbytes;
	uint32_t msgq_nr;
};

/* ---- output ---- */

static void out(struct ckptinfo *ci, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void out(struct ckptinfo *ci, const char *fmt, ...)
{
	va_list ap;

	if (ci->quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* the verdict: back to check_image(), which returns @status */
static void finish(struct ckptinfo *ci, int status)
	__attribute__((noreturn));
static void finish(struct ckptinfo *ci, int status)
{
	ci->status = status;
	longjmp(ci->done, 1);
}

/* what is wrong at offset @off */
static void report_at(struct ckptinfo *ci, uint64_t off, const char *fmt,
		      va_list ap)
	__attribute__((format(printf, 3, 0)));
static void report_at(struct ckptinfo *ci, uint64_t off, const char *fmt,
		      va_list ap)
{
	fflush(stdout);
	fprintf(ci->msgf, PROG ": %s: offset %" PRIu64 ": ", ci->fname, off);
	vfprintf(ci->msgf, fmt, ap);
	fputc('\n', ci->msgf);
}

/* an invalid image: what is wrong at offset @off */
static void bad_at(struct ckptinfo *ci, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
static void bad_at(struct ckptinfo *ci, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_at(ci, off, fmt, ap);
	va_end(ap);
	finish(ci, 1);
}

/* bad_at() the current record */
static void bad(struct ckptinfo *ci, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void bad(struct ckptinfo *ci, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_at(ci, ci->rec_off, fmt, ap);
	va_end(ap);
	finish(ci, 1);
}

/* the current record's type, as messages name it */
static const char *rec_name(struct ckptinfo *ci)
{
	return ckpt_type_name(((const struct ckpt_hdr *)ci->buf)->type);
}

static void io_error(struct ckptinfo *ci, const char *what)
	__attribute__((noreturn));
static void io_error(struct ckptinfo *ci, const char *what)
{
	int e = errno;

	fflush(stdout);
	fprintf(ci->msgf, PROG ": %s: %s: %s\n", ci->fname, what, strerror(e));
	finish(ci, 2);
}

static void no_memory(struct ckptinfo *ci) __attribute__((noreturn));
static void no_memory(struct ckptinfo *ci)
{
	fprintf(ci->msgf, PROG ": out of memory\n");
	finish(ci, 2);
}

/* ---- what the image names by number (struct obj) ---- */

static size_t obj_slot(struct ckptinfo *ci, uint64_t ref)
{
	size_t mask = ci->objs_cap - 1;
	size_t i = (size_t)((ref * 0x9e3779b97f4a7c15ULL) >> 32) & mask;

	while (ci->objs[i].ref && ci->objs[i].ref != ref)
		i = (i + 1) & mask;
	return i;
}

static struct obj *obj_find(struct ckptinfo *ci, uint64_t ref)
{
	struct obj *o;

	if (!ci->objs_cap || !ref)
		return NULL;
	o = &ci->objs[obj_slot(ci, ref)];
	return o->ref ? o : NULL;
}

static struct obj *obj_add(struct ckptinfo *ci, uint64_t ref, uint32_t kind,
			   const char *path)
{
	struct obj *o;

	if ((ci->objs_nr + 1) * 2 > ci->objs_cap) {
		struct obj *old = ci->objs;
		size_t old_cap = ci->objs_cap, i;

		ci->objs_cap = ci->objs_cap ? ci->objs_cap * 2 : 64;
		ci->objs = calloc(ci->objs_cap, sizeof(*ci->objs));
		if (!ci->objs)
			no_memory(ci);
		for (i = 0; i < old_cap; i++)
			if (old[i].ref)
				ci->objs[obj_slot(ci, old[i].ref)] = old[i];
		free(old);
	}
	o = &ci->objs[obj_slot(ci, ref)];
	o->ref = ref;
	o->kind = kind;
	o->path = path ? strdup(path) : NULL;
	o->val = 0;
	o->mm_unused = false;
	ci->objs_nr++;
	return o;
}

/* A record defines a new object: the objref must be positive and new. */
static struct obj *obj_define(struct ckptinfo *ci, uint32_t ref,
			      uint32_t kind, const char *path)
{
	struct obj *o;

	if (!ref)
		bad(ci, "%s objref is 0", rec_name(ci));
	o = obj_find(ci, ref);
	if (o)
		bad(ci, "%s objref %u already names an earlier %s",
		    rec_name(ci), ref, ckpt_obj_name(o->kind));
	return obj_add(ci, ref, kind, path);
}

/* A record uses an object: it must have come earlier, of this kind. */
static struct obj *obj_use(struct ckptinfo *ci, uint32_t ref, uint32_t kind,
			   const char *field)
{
	struct obj *o;

	if (!ref)
		bad(ci, "%s is 0, expected a %s objref", field,
		    ckpt_obj_name(kind));
	o = obj_find(ci, ref);
	if (!o)
		bad(ci, "%s %u names no earlier object", field, ref);
	if (o->kind != kind)
		bad(ci, "%s %u names a %s, expected a %s", field, ref,
		    ckpt_obj_name(o->kind), ckpt_obj_name(kind));
	return o;
}

/* @arr with room for element @nr, of @size bytes each */
static void *grow(struct ckptinfo *ci, void *arr, size_t *cap, size_t nr,
		  size_t size)
{
	size_t n = *cap ? *cap * 2 : 64;

	if (nr < *cap)
		return arr;
	arr = realloc(arr, n * size);
	if (!arr)
		no_memory(ci);
	*cap = n;
	return arr;
}

/* ---- SysV IPC objects by id and by key, POSIX timers by process ---- */

static const char *const sysv_names[] = {
	"SysV segment", "SysV semaphore set", "SysV message queue",
};

/* ids and keys of each kind live side by side, above any objref */
static uint64_t ipc_tag(enum sysv_kind kind, bool is_key, int32_t v)
{
	return (uint64_t)(1 + 2 * kind + is_key) << 32 | (uint32_t)v;
}

/* the timer ids of the process that is TREE entry @task, after those */
static uint64_t timer_tag(uint32_t task, int32_t id)
{
	return (uint64_t)(8 + task) << 32 | (uint32_t)id;
}

/* ---- record order ---- */

static const uint32_t state_type[] = {
	[S_HEADER] = CKPT_HDR_HEADER,	[S_TREE] = CKPT_HDR_TREE,
	[S_TASK] = CKPT_HDR_TASK,	[S_CREDS] = CKPT_HDR_CREDS,
	[S_RLIMITS] = CKPT_HDR_RLIMITS,	[S_FS] = CKPT_HDR_FS,
	[S_SCHED] = CKPT_HDR_SCHED,
	[S_SIGHAND] = CKPT_HDR_SIGHAND,	[S_SIGNAL] = CKPT_HDR_SIGNAL,
	[S_SIGPENDING] = CKPT_HDR_SIGPENDING,
	[S_POSIX_TIMER] = CKPT_HDR_POSIX_TIMER,
	[S_FILE_TABLE] = CKPT_HDR_FILE_TABLE, [S_FD] = CKPT_HDR_FD,
	[S_CPU] = CKPT_HDR_CPU,		[S_XSTATE] = CKPT_HDR_XSTATE,
	[S_MM] = CKPT_HDR_MM,		[S_VMA] = CKPT_HDR_VMA,
	[S_PAGES] = CKPT_HDR_PAGES,	[S_EPOLL] = CKPT_HDR_EPOLL,
	[S_FILE_LOCK] = CKPT_HDR_FILE_LOCK,
	[S_UTS_NS] = CKPT_HDR_UTS_NS,	[S_IPC_NS] = CKPT_HDR_IPC_NS,
	[S_IPC_SHM] = CKPT_HDR_IPC_SHM,	[S_IPC_SEM] = CKPT_HDR_IPC_SEM,
	[S_IPC_MSG] = CKPT_HDR_IPC_MSG,	[S_MSG] = CKPT_HDR_MSG,
	[S_CTTY] = CKPT_HDR_CTTY,
};

static const char *const vma_kinds[] = { "?", "anon", "file", "shmem",
					 "vdso", "vvar", "sysvshm" };

static void mm_def(struct ckptinfo *ci, struct obj *o)
{
	ci->mm_defs = grow(ci, ci->mm_defs, &ci->mm_defs_cap, ci->mm_defs_nr,
			   sizeof(*ci->mm_defs));
	ci->mm_defs[ci->mm_defs_nr].ref = o->ref;
	ci->mm_defs[ci->mm_defs_nr].off = ci->rec_off;
	ci->mm_defs_nr++;
	o->mm_unused = true;
	ci->mm_unused++;
}

static void mm_used(struct ckptinfo *ci, struct obj *o)
{
	if (o->mm_unused) {
		o->mm_unused = false;
		ci->mm_unused--;
	}
}

/* after the last VMA: was every object before the MM used? */
static void mm_defs_check(struct ckptinfo *ci)
{
	for (size_t i = 0; i < ci->mm_defs_nr && ci->mm_unused; i++) {
		struct obj *o = obj_find(ci, ci->mm_defs[i].ref);

		if (o && o->mm_unused)
			bad_at(ci, ci->mm_defs[i].off,
			       "%s objref %u is used by neither the MM nor a VMA that follows it",
			       o->kind == CKPT_OBJ_SHMEM ? "SHMEM" : "FILE", ci->mm_defs[i].ref);
	}
	ci->mm_defs_nr = 0;
	ci->mm_unused = 0;
}

/* a MEMFD, SHMEM or IPC_SHM record: its pages by offset come next */
static void obj_pages_begin(struct ckptinfo *ci, const char *what, int64_t id,
			    uint64_t size, uint32_t memfd)
{
	snprintf(ci->obj_name, sizeof(ci->obj_name), "%s %" PRId64, what, id);
	ci->in_obj_pages = true;
	ci->obj_size = size;
	ci->obj_next = 0;
	ci->obj_memfd = memfd;
}

/* after SIGNAL / FILE_TABLE / MM, skip empty repeated parts */
static void settle(struct ckptinfo *ci)
{
	if (ci->state == S_SIGPENDING && !ci->left)
		ci->state = ci->timers_left ? S_POSIX_TIMER :
			ci->cur_kind == K_THREAD ? S_CPU : S_FILE_TABLE;
	if (ci->state == S_POSIX_TIMER && !ci->timers_left)
		ci->state = S_FILE_TABLE;	/* only a process has timers */
	if (ci->state == S_FD && !ci->left)
		ci->state = ci->epolls_left ? S_EPOLL : S_FILE_LOCK;
	if (ci->state == S_EPOLL && !ci->epolls_left)
		ci->state = S_FILE_LOCK;
	if (ci->state == S_FILE_LOCK && !ci->locks_left)
		ci->state = S_CTTY;
	if (ci->state == S_VMA && !ci->left) {
		mm_defs_check(ci);
		ci->state = S_PAGES;
	}
	if (ci->state == S_MSG && !ci->left)
		ci->state = S_IPC_MSG;
	if (ci->state == S_IPC_SHM && !ci->ipc_left[SYSV_SHM])
		ci->state = S_IPC_SEM;
	if (ci->state == S_IPC_SEM && !ci->ipc_left[SYSV_SEM])
		ci->state = S_IPC_MSG;
	if (ci->state == S_IPC_MSG && !ci->ipc_left[SYSV_MSG])
		ci->state = S_TASK;
}

/*
 * A record of an object (or a FILE) after a FILE no record used yet: in
 * the fd section that FILE may be a file in flight, which the UNIX_PAIR
 * that holds it uses later; elsewhere it is an error.
 */
static void file_may_fly(struct ckptinfo *ci, uint32_t type)
{
	if (!ci->pending_file)
		return;
	if (ci->state != S_FD)
		bad(ci, "%s record follows FILE objref %u, which no record used",
		    ckpt_type_name(type), ci->pending_file);
	ci->flying = grow(ci, ci->flying, &ci->cap_flying, ci->nr_flying,
			  sizeof(*ci->flying));
	ci->flying[ci->nr_flying].ref = ci->pending_file;
	ci->flying[ci->nr_flying++].off = ci->pending_file_off;
	ci->pending_file = 0;
}

/* A UNIX_PAIR holds FILE @ref in flight: it has its user. */
static void file_flies(struct ckptinfo *ci, uint32_t ref)
{
	for (size_t i = 0; i < ci->nr_flying; i++)
		if (ci->flying[i].ref == ref) {
			ci->flying[i] = ci->flying[--ci->nr_flying];
			return;
		}
}

static void check_order(struct ckptinfo *ci, uint32_t type)
{
	const char *want;

	if (ci->in_obj_pages) {
		if (type != CKPT_HDR_PAGES)
			bad(ci, "%s record among the pages of %s",
			    ckpt_type_name(type), ci->obj_name);
		return;
	}
	/* a TCP connection's state comes between its SOCKET and FILE */
	if (type == CKPT_HDR_TCP) {
		if (!ci->wants_tcp)
			bad(ci, "TCP record after no TCP connection's SOCKET");
		return;
	}
	if (ci->wants_tcp)
		bad(ci, "%s record where the TCP of socket %u was expected",
		    ckpt_type_name(type), ci->wants_tcp);
	if (ci->wants_file && type != CKPT_HDR_FILE)
		bad(ci, "%s record where the FILE of %s %u was expected",
		    ckpt_type_name(type), ckpt_obj_name(ci->wants_file_kind),
		    ci->wants_file);
	ci->wants_file = 0;
	/*
	 * A MEMFD, EVENTFD, SIGNALFD, TIMERFD, INOTIFY or SOCKET comes right
	 * before the FILE of its (first) open file, wherever a FILE may come.
	 */
	if ((type == CKPT_HDR_MEMFD || type == CKPT_HDR_EVENTFD ||
	     type == CKPT_HDR_SIGNALFD || type == CKPT_HDR_TIMERFD ||
	     type == CKPT_HDR_INOTIFY || type == CKPT_HDR_SOCKET) &&
	    (ci->state == S_FD || ci->state == S_MM || ci->state == S_VMA)) {
		file_may_fly(ci, type);
		return;
	}
	/* a PIPE, UNIX_PAIR or PTY comes right before the FILE of its first end */
	if ((type == CKPT_HDR_PIPE || type == CKPT_HDR_UNIX_PAIR ||
	     type == CKPT_HDR_PTY) && ci->state == S_FD) {
		file_may_fly(ci, type);
		return;
	}
	if (type == CKPT_HDR_FILE &&
	    (ci->state == S_FD || ci->state == S_MM || ci->state == S_VMA)) {
		file_may_fly(ci, type);
		return;
	}
	/* or before the CTTY of a process whose terminal it is */
	if (type == CKPT_HDR_PTY && ci->state == S_CTTY)
		return;
	/* shared anonymous memory comes where the mapped files do */
	if (type == CKPT_HDR_SHMEM && ci->state == S_MM)
		return;
	if (ci->state == S_TASK && ci->tasks_seen == ci->nr_tasks) {
		if (type == CKPT_HDR_TAIL)
			return;
		if (type == CKPT_HDR_TASK)
			bad(ci, "more TASK records than the %u of the TREE",
			    ci->nr_tasks);
		bad(ci, "%s record where the TAIL was expected",
		    ckpt_type_name(type));
	}
	if (type == state_type[ci->state])
		return;
	want = ckpt_type_name(state_type[ci->state]);
	if (type == CKPT_HDR_TAIL && ci->tasks_seen)
		bad(ci, "TAIL record inside task %u, where %s was expected", ci->tasks_seen - 1,
		    want);
	bad(ci, "%s record where %s was expected",
	    ckpt_type_name(type), want);
}

/* The FILE before an FD, VMA or MM must be the one it uses. */
static void check_pending_file(struct ckptinfo *ci, uint32_t used)
{
	if (ci->pending_file && ci->pending_file != used)
		bad_at(ci, ci->pending_file_off,
		       "FILE objref %u is not used by the %s record that follows it",
		       ci->pending_file, ckpt_type_name(state_type[ci->state]));
	ci->pending_file = 0;
	if (ci->nr_flying)
		bad_at(ci, ci->flying[0].off,
		       "FILE objref %u is used by no record (not in flight in the UNIX_PAIR after it)",
		       ci->flying[0].ref);
}

/* ---- field helpers ---- */

static void need_len(struct ckptinfo *ci, uint32_t len, uint64_t want)
{
	if (len != want)
		bad(ci, "%s record length %u, expected %" PRIu64, rec_name(ci),
		    len, want);
}

/* a record of a fixed part and what it says follows */
static void need_min_len(struct ckptinfo *ci, uint32_t len, size_t min)
{
	if (len < min)
		bad(ci, "%s record length %u, expected at least %zu",
		    rec_name(ci), len, min);
}

static void need_zero(struct ckptinfo *ci, uint64_t v, const char *field)
{
	if (v)
		bad(ci, "reserved field %s is not zero (0x%" PRIx64 ")",
		    field, v);
}

/* a NUL-terminated string filling exactly @n bytes */
static void need_path(struct ckptinfo *ci, const char *s, uint32_t n,
		      const char *field)
{
	if (n < 2 || n > CKPT_PATH_MAX)
		bad(ci, "%s length %u out of range [2, %u]", field, n,
		    CKPT_PATH_MAX);
	if (s[n - 1] != '\0' || strlen(s) != n - 1)
		bad(ci, "%s is not a string of %u bytes with one final NUL", field, n);
}

/* a NUL-terminated string within a fixed array */
static void need_cstr(struct ckptinfo *ci, const char *s, size_t n,
		      const char *field)
{
	if (!memchr(s, '\0', n))
		bad(ci, "%s is not NUL terminated", field);
}

static const char *const sig_names[] = {
	"0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

static const char *sig_name(unsigned int sig, char *tmp, size_t n)
{
	if (sig < ARRAY_SIZE(sig_names))
		snprintf(tmp, n, "SIG%s", sig_names[sig]);
	else
		snprintf(tmp, n, "SIGRT%u", sig - 32);
	return tmp;
}

static void print_sigmask(struct ckptinfo *ci, const char *label, uint64_t mask)
{
	char tmp[16];
	unsigned int i;

	out(ci, "  %s 0x%016" PRIx64, label, mask);
	for (i = 1; i <= 64 && mask; i++)
		if (mask & (1ULL << (i - 1)))
			out(ci, " %s", sig_name(i, tmp, sizeof(tmp)));
	out(ci, "\n");
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

static void rec_header(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_header *h = (void *)ci->buf;
	char tmp[64];

	need_len(ci, len, sizeof(*h));
	/* the magic was checked when the image was opened */
	if (h->version != CKPT_VERSION)
		bad(ci, "unsupported image version %u (ckptinfo reads version %u)", h->version,
		    CKPT_VERSION);
	if (h->arch != CKPT_ARCH_X86_64)
		bad(ci, "unknown arch %u", h->arch);
	if (h->page_size < 4096 || h->page_size > 65536 ||
	    (h->page_size & (h->page_size - 1)))
		bad(ci, "bad page size %u", h->page_size);
	if (h->flags & ~CHECKPOINT_USER_FLAGS)
		bad(ci, "unknown checkpoint flags 0x%x", h->flags);
	need_zero(ci, h->_pad, "_pad");
	need_zero(ci, h->_pad3, "_pad3");
	for (size_t i = 0; i < sizeof(h->_pad2); i++)
		need_zero(ci, h->_pad2[i], "_pad2");
	need_cstr(ci, h->sysname, CKPT_UTS_LEN, "sysname");
	need_cstr(ci, h->release, CKPT_UTS_LEN, "release");
	need_cstr(ci, h->version_str, CKPT_UTS_LEN, "version_str");
	need_cstr(ci, h->machine, CKPT_UTS_LEN, "machine");
	need_cstr(ci, h->nodename, CKPT_UTS_LEN, "nodename");
	if (h->xstate_size > CKPT_RECORD_MAX - sizeof(struct ckpt_hdr_xstate))
		bad(ci, "xstate_size %u exceeds the record limit",
		    h->xstate_size);
	ci->page_size = h->page_size;
	ci->hdr_xfeatures = h->xfeatures;
	ci->hdr_xstate_size = h->xstate_size;

	out(ci, "  magic CKPTIMG, version %u, arch x86_64, page size %u, flags 0x%x\n", h->version,
	    h->page_size, h->flags);
	out(ci, "  checkpoint id %" PRIu64 ", time %" PRIu64 " (%s)\n",
	    (uint64_t)h->ckpt_id, (uint64_t)h->time,
	    time_str(h->time, tmp, sizeof(tmp)));
	out(ci, "  xfeatures 0x%" PRIx64 ", xstate size %u\n",
	    (uint64_t)h->xfeatures, h->xstate_size);
	out(ci, "  kernel %s %s %s %s, node %s\n", h->sysname, h->release,
	    h->version_str, h->machine, h->nodename);
	out(ci, "  vDSO %u bytes, FNV-1a %016" PRIx64 "\n", h->vdso_size,
	    (uint64_t)h->vdso_sum);
	ci->state = S_TREE;
}

static void rec_tree(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_tree *t = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*t));
	if (t->nr_tasks < 1)
		bad(ci, "TREE has no task");
	need_len(ci, len,
		 sizeof(*t) + (uint64_t)t->nr_tasks * sizeof(t->pids[0]));
	if (t->flags & ~CKPT_TREE_FLAGS_ALL)
		bad(ci, "unknown TREE flags 0x%x", t->flags);
	if (t->nr_tasks > CKPT_TREE_MAX)
		bad(ci, "TREE of %u tasks, more than %u", t->nr_tasks,
		    CKPT_TREE_MAX);
	out(ci, "  %u task%s", t->nr_tasks, t->nr_tasks == 1 ? "" : "s");
	if (t->flags)
		out(ci, ", in namespaces of their own:%s%s",
		    t->flags & CKPT_TREE_NEWUTS ? " UTS" : "",
		    t->flags & CKPT_TREE_NEWIPC ? " IPC" : "");
	out(ci, "\n");
	free(ci->task_kinds);
	free(ci->tree_pids);
	ci->task_kinds = calloc(t->nr_tasks, 1);
	ci->tree_pids = calloc(t->nr_tasks, sizeof(*ci->tree_pids));
	if (!ci->task_kinds || !ci->tree_pids)
		io_error(ci, "calloc");
	memcpy(ci->tree_pids, t->pids, t->nr_tasks * sizeof(*ci->tree_pids));
	for (uint32_t i = 0; i < t->nr_tasks; i++) {
		struct ckpt_pids *p = &t->pids[i];
		char tmp[16];

		if (p->pid <= 0 || p->tgid <= 0)
			bad(ci, "task %u: bad pid %d / tgid %d", i,
			    p->pid, p->tgid);
		need_zero(ci, p->_pad, "pids._pad");
		if (p->flags & ~CKPT_PIDS_FLAGS_ALL)
			bad(ci, "task %u: unknown flags 0x%x", i, p->flags);
		if (p->exit_signal > CKPT_NSIG)
			bad(ci, "task %u: bad exit signal %u", i,
			    p->exit_signal);
		if (p->pid != p->tgid && (i == 0 || p->tgid != t->pids[i - 1].tgid))
			bad(ci, "task %u: thread %d does not follow its process %d", i, p->pid,
			    p->tgid);
		ci->task_kinds[i] = p->flags & CKPT_PIDS_ZOMBIE ? K_ZOMBIE :
				p->pid != p->tgid ? K_THREAD : K_PROCESS;
		out(ci, "  task %u: pid %d tgid %d ppid %d pgid %d sid %d%s%s",
		    i, p->pid, p->tgid, p->ppid, p->pgid, p->sid,
		    ci->task_kinds[i] == K_THREAD ? " (thread)" : "",
		    ci->task_kinds[i] == K_ZOMBIE ? " (zombie)" : "");
		if (p->pid == p->tgid)
			out(ci, ", exit signal %s", p->exit_signal ?
			    sig_name(p->exit_signal, tmp, sizeof(tmp)) : "none");
		out(ci, "\n");
	}
	ci->nr_tasks = t->nr_tasks;
	ci->tree_flags = t->flags;
	ci->state = ci->tree_flags & CKPT_TREE_NEWUTS ? S_UTS_NS :
		ci->tree_flags & CKPT_TREE_NEWIPC ? S_IPC_NS : S_TASK;
}

static void rec_uts_ns(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_uts_ns *u = (void *)ci->buf;

	need_len(ci, len, sizeof(*u));
	need_cstr(ci, u->nodename, sizeof(u->nodename), "nodename");
	need_cstr(ci, u->domainname, sizeof(u->domainname), "domainname");
	for (size_t i = 0; i < sizeof(u->_pad); i++)
		need_zero(ci, u->_pad[i], "_pad");
	out(ci, "  host name \"%s\", domain name \"%s\"\n", u->nodename,
	    u->domainname);
	ci->state = ci->tree_flags & CKPT_TREE_NEWIPC ? S_IPC_NS : S_TASK;
}

/* the most ids of a kind a namespace can have (IPCMNI_EXTEND) */
#define CKPT_IPC_NS_MAX		(16u << 20)

static void rec_ipc_ns(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_ipc_ns *n = (void *)ci->buf;

	need_len(ci, len, sizeof(*n));
	need_zero(ci, n->_pad, "_pad");
	if (n->nr_shm > CKPT_IPC_NS_MAX || n->nr_sem > CKPT_IPC_NS_MAX ||
	    n->nr_msg > CKPT_IPC_NS_MAX)
		bad(ci,
		    "IPC namespace of %u segments, %u semaphore sets, %u message queues: more than %u of a kind",
		    n->nr_shm, n->nr_sem, n->nr_msg, CKPT_IPC_NS_MAX);
	out(ci, "  %u shared memory segment%s, %u semaphore set%s, %u message queue%s\n", n->nr_shm,
	    n->nr_shm == 1 ? "" : "s", n->nr_sem, n->nr_sem == 1 ? "" : "s", n->nr_msg,
	    n->nr_msg == 1 ? "" : "s");
	ci->ipc_left[SYSV_SHM] = n->nr_shm;
	ci->ipc_left[SYSV_SEM] = n->nr_sem;
	ci->ipc_left[SYSV_MSG] = n->nr_msg;
	ci->state = S_IPC_SHM;
}

/* check a SysV object's id and key, remember them (and a segment's size) */
static void ipc_perm(struct ckptinfo *ci, const struct ckpt_ipc_perm *p,
		     enum sysv_kind kind, uint64_t size)
{
	const struct obj *e;

	if (p->id < 0)
		bad(ci, "%s id %d is negative", sysv_names[kind], p->id);
	if (p->mode & ~0777u)
		bad(ci, "%s %d: mode 0%o beyond 0777", sysv_names[kind],
		    p->id, p->mode);
	need_zero(ci, p->_pad, "perm._pad");
	if (obj_find(ci, ipc_tag(kind, false, p->id)))
		bad(ci, "%s id %d appears twice", sysv_names[kind], p->id);
	/* two live objects of a kind never share a key (but IPC_PRIVATE) */
	e = p->key ? obj_find(ci, ipc_tag(kind, true, p->key)) : NULL;
	if (e)
		bad(ci, "%s %d has key 0x%08x, as %s %d has",
		    sysv_names[kind], p->id, (uint32_t)p->key,
		    sysv_names[kind], (int32_t)e->val);
	obj_add(ci, ipc_tag(kind, false, p->id), 0, NULL)->val = size;
	if (p->key)
		obj_add(ci, ipc_tag(kind, true, p->key), 0, NULL)->val =
			(uint32_t)p->id;
}

static void print_perm(struct ckptinfo *ci, const struct ckpt_ipc_perm *p)
{
	out(ci, "  id %d, key 0x%08x%s, owner %u:%u, creator %u:%u, mode 0%03o\n", p->id,
	    (uint32_t)p->key, p->key ? "" : " (IPC_PRIVATE)", p->uid, p->gid, p->cuid, p->cgid,
	    p->mode);
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

static void need_pid(struct ckptinfo *ci, int32_t pid, const char *field)
{
	if (pid < 0)
		bad(ci, "%s %d is negative", field, pid);
}

static void rec_ipc_shm(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_ipc_shm *m = (void *)ci->buf;
	char a[48], d[48], c[48];

	need_len(ci, len, sizeof(*m));
	need_zero(ci, m->_pad, "_pad");
	if (m->flags & ~CKPT_IPC_SHM_FLAGS_ALL)
		bad(ci, "unknown SysV segment flags %#x", m->flags);
	if (!m->size || m->size > CKPT_SHMEM_MAX)
		bad(ci, "SysV segment size %" PRIu64 " out of range [1, 2^46]", (uint64_t)m->size);
	need_pid(ci, m->cpid, "cpid");
	need_pid(ci, m->lpid, "lpid");
	ipc_perm(ci, &m->perm, SYSV_SHM, m->size);
	print_perm(ci, &m->perm);
	out(ci, "  %" PRIu64 " bytes, creator pid %d, last pid %d%s%s\n",
	    (uint64_t)m->size, m->cpid, m->lpid,
	    m->flags & CKPT_IPC_SHM_DEST ? ", removed (IPC_RMID)" : "",
	    m->flags & CKPT_IPC_SHM_NORESERVE ? ", noreserve" : "");
	out(ci, "  attached %s, detached %s, changed %s\n",
	    ipc_time(m->atime, a, sizeof(a)), ipc_time(m->dtime, d, sizeof(d)),
	    ipc_time(m->ctime, c, sizeof(c)));
	ci->ipc_left[SYSV_SHM]--;
	obj_pages_begin(ci, "SysV segment", m->perm.id, m->size, 0);
}

static void rec_ipc_sem(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_ipc_sem *m = (void *)ci->buf;
	uint32_t i, shown;
	char o[48], c[48];

	need_min_len(ci, len, sizeof(*m));
	if (!m->nsems)
		bad(ci, "SysV semaphore set of no semaphore");
	need_len(ci, len, sizeof(*m) + (uint64_t)m->nsems * sizeof(m->sems[0]));
	need_zero(ci, m->_pad, "_pad");
	for (i = 0; i < m->nsems; i++) {
		/* SEMVMX */
		if (m->sems[i].val < 0 || m->sems[i].val > 32767)
			bad(ci, "semaphore %u: value %d out of range [0, 32767]", i,
			    m->sems[i].val);
		need_pid(ci, m->sems[i].pid, "semaphore pid");
	}
	ipc_perm(ci, &m->perm, SYSV_SEM, 0);
	print_perm(ci, &m->perm);
	out(ci, "  operated %s, changed %s\n", ipc_time(m->otime, o, sizeof(o)),
	    ipc_time(m->ctime, c, sizeof(c)));
	shown = ci->verbose || m->nsems <= 16 ? m->nsems : 16;
	out(ci, "  %u semaphore%s, values", m->nsems, m->nsems == 1 ? "" : "s");
	for (i = 0; i < shown; i++)
		out(ci, " %d", m->sems[i].val);
	out(ci, "%s\n  last changed by pids", shown < m->nsems ? " ..." : "");
	for (i = 0; i < shown; i++)
		out(ci, " %d", m->sems[i].pid);
	out(ci, "%s\n", shown < m->nsems ? " ..." : "");
	ci->ipc_left[SYSV_SEM]--;
}

static void rec_ipc_msg(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_ipc_msg *q = (void *)ci->buf;
	char s[48], r[48], c[48];

	need_len(ci, len, sizeof(*q));
	need_zero(ci, q->_pad, "_pad");
	if (q->qbytes > INT32_MAX)
		bad(ci, "SysV message queue limit %" PRIu64 " above 2^31 - 1", (uint64_t)q->qbytes);
	/* msgsnd(2) counts every message as one byte at least */
	if (q->nr_msgs > q->qbytes)
		bad(ci, "%u messages in a queue of %" PRIu64 " bytes",
		    q->nr_msgs, (uint64_t)q->qbytes);
	need_pid(ci, q->lspid, "lspid");
	need_pid(ci, q->lrpid, "lrpid");
	ipc_perm(ci, &q->perm, SYSV_MSG, 0);
	print_perm(ci, &q->perm);
	out(ci,
	    "  %u message%s, limit %" PRIu64 " bytes, last sender pid %d, last receiver pid %d\n",
	    q->nr_msgs, q->nr_msgs == 1 ? "" : "s", (uint64_t)q->qbytes, q->lspid, q->lrpid);
	out(ci, "  sent %s, received %s, changed %s\n",
	    ipc_time(q->stime, s, sizeof(s)), ipc_time(q->rtime, r, sizeof(r)),
	    ipc_time(q->ctime, c, sizeof(c)));
	ci->ipc_left[SYSV_MSG]--;
	ci->msgq_id = q->perm.id;
	ci->msgq_bytes = 0;
	ci->msgq_qbytes = q->qbytes;
	ci->msgq_nr = 0;
	ci->left = q->nr_msgs;
	ci->state = S_MSG;
}

static void rec_msg(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_msg *m = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*m));
	need_len(ci, len, sizeof(*m) + (uint64_t)m->len);
	need_zero(ci, m->_pad, "_pad");
	if (m->mtype < 1)
		bad(ci, "message type %" PRId64 " is not positive",
		    (int64_t)m->mtype);
	ci->msgq_bytes += m->len;
	if (ci->msgq_bytes > ci->msgq_qbytes)
		bad(ci, "messages of %" PRIu64 " bytes exceed the limit %" PRIu64
		    " of SysV message queue %d", ci->msgq_bytes, ci->msgq_qbytes, ci->msgq_id);
	out(ci, "  message %u of queue %d: type %" PRId64 ", %u byte%s",
	    ci->msgq_nr, ci->msgq_id, (int64_t)m->mtype, m->len,
	    m->len == 1 ? "" : "s");
	if (ci->verbose) {
		out(ci, ", \"");
		for (uint32_t i = 0; i < m->len && i < 64; i++)
			out(ci, m->text[i] >= 0x20 && m->text[i] < 0x7f &&
			    m->text[i] != '"' && m->text[i] != '\\' ?
			    "%c" : "\\x%02x", m->text[i]);
		out(ci, "\"%s", m->len > 64 ? "..." : "");
	}
	out(ci, "\n");
	ci->msgq_nr++;
	ci->left--;
}

static void rec_task(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_task *t = (void *)ci->buf;

	need_len(ci, len, sizeof(*t));
	need_cstr(ci, t->comm, sizeof(t->comm), "comm");
	if (t->exit_signal > CKPT_NSIG || t->pdeath_signal > CKPT_NSIG)
		bad(ci, "bad exit_signal %u or pdeath_signal %u",
		    t->exit_signal, t->pdeath_signal);
	if (t->rseq ? t->rseq_len < 32 || t->rseq_len > 4096 || t->rseq % 32
		    : t->rseq_len || t->rseq_sig)
		bad(ci, "bad rseq area 0x%" PRIx64 " (%u bytes)",
		    (uint64_t)t->rseq, t->rseq_len);
	ci->cur_task = ci->tasks_seen;
	ci->cur_kind = ci->task_kinds[ci->cur_task];
	if (ci->cur_kind != K_ZOMBIE)
		need_zero(ci, t->exit_code, "exit_code");
	out(ci,
	    "  task %u: comm \"%s\", exit signal %u, personality 0x%x, clear_child_tid 0x%" PRIx64
	    ", robust_list 0x%" PRIx64 ", pdeath signal %u\n", ci->tasks_seen, t->comm,
	    t->exit_signal, t->personality, (uint64_t)t->clear_child_tid, (uint64_t)t->robust_list,
	    t->pdeath_signal);
	if (t->rseq)
		out(ci, "  rseq area 0x%" PRIx64 ", %u bytes, signature 0x%x\n",
		    (uint64_t)t->rseq, t->rseq_len, t->rseq_sig);
	if (ci->cur_kind == K_ZOMBIE) {
		if (t->exit_code & 0x7f)
			out(ci, "  zombie: killed by signal %u%s\n",
			    t->exit_code & 0x7f,
			    t->exit_code & 0x80 ? " (core dumped)" : "");
		else
			out(ci, "  zombie: exited with status %u\n",
			    (t->exit_code >> 8) & 0xff);
	}
	ci->tasks_seen++;
	ci->state = ci->cur_kind == K_ZOMBIE ? S_TASK : S_CREDS;
}

static void rec_creds(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_creds *c = (void *)ci->buf;
	uint32_t i, shown;

	need_min_len(ci, len, sizeof(*c));
	if (c->ngroups > 65536)
		bad(ci, "ngroups %u exceeds 65536", c->ngroups);
	need_len(ci, len, sizeof(*c) + (uint64_t)c->ngroups * 4);
	out(ci, "  uid %u euid %u suid %u fsuid %u\n", c->uid, c->euid, c->suid,
	    c->fsuid);
	out(ci, "  gid %u egid %u sgid %u fsgid %u\n", c->gid, c->egid, c->sgid,
	    c->fsgid);
	out(ci, "  cap inh 0x%" PRIx64 " prm 0x%" PRIx64 " eff 0x%" PRIx64
	    " bnd 0x%" PRIx64 " amb 0x%" PRIx64 ", securebits 0x%x\n",
	    (uint64_t)c->cap_inheritable, (uint64_t)c->cap_permitted,
	    (uint64_t)c->cap_effective, (uint64_t)c->cap_bset,
	    (uint64_t)c->cap_ambient, c->securebits);
	out(ci, "  %u supplementary group%s", c->ngroups,
	    c->ngroups == 1 ? "" : "s");
	shown = ci->verbose || c->ngroups <= 16 ? c->ngroups : 16;
	for (i = 0; i < shown; i++)
		out(ci, "%s%u", i ? " " : ": ", c->groups[i]);
	out(ci, "%s\n", shown < c->ngroups ? " ..." : "");
	ci->state = ci->cur_kind == K_THREAD ? S_SCHED : S_RLIMITS;
}

static void rec_rlimits(struct ckptinfo *ci, uint32_t len)
{
	static const char *const names[CKPT_RLIM_NLIMITS] = {
		"CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC",
		"NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE",
		"NICE", "RTPRIO", "RTTIME",
	};
	struct ckpt_hdr_rlimits *r = (void *)ci->buf;
	char a[32], b[32];

	need_len(ci, len, sizeof(*r));
	for (int i = 0; i < CKPT_RLIM_NLIMITS; i++) {
		if (r->rlim[i].cur > r->rlim[i].max)
			bad(ci, "rlimit %s: soft limit %" PRIu64
			    " above hard limit %" PRIu64, names[i],
			    (uint64_t)r->rlim[i].cur,
			    (uint64_t)r->rlim[i].max);
		out(ci, "  %-10s %s / %s\n", names[i],
		    rlim_str(r->rlim[i].cur, a, sizeof(a)),
		    rlim_str(r->rlim[i].max, b, sizeof(b)));
	}
	ci->state = S_FS;
}

static void rec_fs(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_fs *f = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*f));
	need_len(ci, len, sizeof(*f) + (uint64_t)f->root_len + f->cwd_len);
	need_zero(ci, f->_pad, "_pad");
	if (f->umask & ~0777u)
		bad(ci, "bad umask 0%o", f->umask);
	need_path(ci, f->paths, f->root_len, "root path");
	need_path(ci, f->paths + f->root_len, f->cwd_len, "cwd path");
	if (f->paths[0] != '/' || f->paths[f->root_len] != '/')
		bad(ci, "root or cwd path is not absolute");
	out(ci, "  umask 0%03o, root %s, cwd %s\n", f->umask, f->paths,
	    f->paths + f->root_len);
	ci->state = S_SCHED;
}

/* The policy, priority and nice as sched_setattr(2) would take them. */
static void print_sched_policy(struct ckptinfo *ci,
			       const struct ckpt_hdr_sched *h)
{
	static const char *const names[] = {
		"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
		NULL, "SCHED_IDLE",
	};
	bool rt = h->policy == 1 || h->policy == 2;

	if (h->policy >= ARRAY_SIZE(names) || !names[h->policy])
		bad(ci, "unknown scheduling policy %u", h->policy);
	if (h->nice < -20 || h->nice > 19)
		bad(ci, "nice %d out of range", h->nice);
	if (rt ? h->rt_priority < 1 || h->rt_priority > 99 : h->rt_priority)
		bad(ci, "real-time priority %u under %s", h->rt_priority,
		    names[h->policy]);
	out(ci, "  policy %s", names[h->policy]);
	if (rt)
		out(ci, " priority %u", h->rt_priority);
	out(ci, ", nice %d%s\n", h->nice,
	    h->flags & CKPT_SCHED_RESET_ON_FORK ? ", reset on fork" : "");
}

static void rec_sched(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_sched *h = (void *)ci->buf;
	uint32_t words, shown = 0;

	need_min_len(ci, len, sizeof(*h));
	words = h->nr_cpus / 64;
	if (h->nr_cpus % 64 || h->nr_cpus > CKPT_CPUS_MAX)
		bad(ci, "%u CPUs in the mask", h->nr_cpus);
	need_len(ci, len, sizeof(*h) + (uint64_t)words * 8);
	if (h->flags & ~CKPT_SCHED_FLAGS)
		bad(ci, "unknown SCHED flags %#x", h->flags);
	if (h->_pad)
		bad(ci, "SCHED padding is not zero");
	print_sched_policy(ci, h);
	out(ci, "  CPU affinity");
	if (h->flags & CKPT_SCHED_ALL_CPUS)
		out(ci, " every CPU");
	for (uint32_t c = 0; c < words * 64; c++)
		if (h->cpus[c / 64] & (1ULL << (c % 64)))
			out(ci, "%s%u", shown++ ? "," : " ", c);
	if (!shown && !(h->flags & CKPT_SCHED_ALL_CPUS))
		bad(ci, "an empty CPU affinity mask");
	if (shown && h->flags & CKPT_SCHED_ALL_CPUS)
		bad(ci, "every CPU and a mask");
	out(ci, "%s\n", h->flags & CKPT_SCHED_NO_NEW_PRIVS ?
	    ", no_new_privs" : "");
	ci->state = ci->cur_kind == K_THREAD ? S_SIGNAL : S_SIGHAND;
}

static void rec_sighand(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_sighand *s = (void *)ci->buf;
	unsigned int shown = 0;
	char tmp[16];

	need_len(ci, len, sizeof(*s));
	for (unsigned int i = 0; i < CKPT_NSIG; i++) {
		unsigned int sig = i + 1;
		uint64_t h = s->act[i].handler;

		if (!h && !s->act[i].flags && !s->act[i].mask &&
		    !s->act[i].restorer)
			continue;
		if ((sig == 9 || sig == 19) && h)
			bad(ci, "%s has a handler",
			    sig_name(sig, tmp, sizeof(tmp)));
		out(ci, "  %-9s ", sig_name(sig, tmp, sizeof(tmp)));
		if (h == 0)
			out(ci, "SIG_DFL");
		else if (h == 1)
			out(ci, "SIG_IGN");
		else
			out(ci, "handler 0x%" PRIx64, h);
		out(ci, " flags 0x%" PRIx64 " mask 0x%" PRIx64 " restorer 0x%"
		    PRIx64 "\n", (uint64_t)s->act[i].flags,
		    (uint64_t)s->act[i].mask, (uint64_t)s->act[i].restorer);
		shown++;
	}
	if (!shown)
		out(ci, "  all signals SIG_DFL\n");
	ci->state = S_SIGNAL;
}

static void rec_signal(struct ckptinfo *ci, uint32_t len)
{
	static const char *const itn[3] = { "REAL", "VIRTUAL", "PROF" };
	struct ckpt_hdr_signal *s = (void *)ci->buf;

	need_len(ci, len, sizeof(*s));
	if (s->flags & ~CKPT_SIGNAL_FLAGS)
		bad(ci, "unknown signal flags %#x", s->flags);
	if (s->flags && ci->cur_kind == K_THREAD)
		bad(ci, "signal flags %#x in the SIGNAL of a thread: they are its process's",
		    s->flags);
	if (s->_pad || (s->stop_signo && (!(s->flags & CKPT_SIGNAL_STOPPED) ||
					  (s->stop_signo != 19 && s->stop_signo != 20 &&
					   s->stop_signo != 21 && s->stop_signo != 22))))
		bad(ci, "stop signal %u", s->stop_signo);
	if (s->flags & CKPT_SIGNAL_STOPPED)
		out(ci, "  stopped by job control (signal %u): restart stops it again\n",
		    s->stop_signo ? s->stop_signo : 19);
	if (s->flags & CKPT_SIGNAL_CHILD_SUBREAPER)
		out(ci, "  a child subreaper\n");
	if (s->oom_score_adj < -1000 || s->oom_score_adj > 1000 ||
	    s->oom_score_adj_min < -1000 || s->oom_score_adj_min > 1000)
		bad(ci, "oom_score_adj %d, floor %d: out of range",
		    s->oom_score_adj, s->oom_score_adj_min);
	if ((s->oom_score_adj || s->oom_score_adj_min) &&
	    ci->cur_kind == K_THREAD)
		bad(ci, "an oom_score_adj in the SIGNAL of a thread: it is its process's");
	if (s->oom_score_adj || s->oom_score_adj_min)
		out(ci, "  oom_score_adj %d (floor %d)\n", s->oom_score_adj,
		    s->oom_score_adj_min);
	if (s->nr_timers > CKPT_TIMERS_MAX)
		bad(ci, "%u POSIX timers, more than %u", s->nr_timers,
		    CKPT_TIMERS_MAX);
	if (s->nr_timers && ci->cur_kind == K_THREAD)
		bad(ci, "%u POSIX timer%s in the SIGNAL of a thread: timers are its process's",
		    s->nr_timers, s->nr_timers == 1 ? "" : "s");
	/* SS_DISABLE 2, SS_AUTODISARM 1U << 31 */
	if (s->altstack_flags & ~(2u | (1u << 31)))
		bad(ci, "bad altstack flags 0x%x", s->altstack_flags);
	print_sigmask(ci, "blocked", s->blocked);
	out(ci, "  altstack sp 0x%" PRIx64 " size %" PRIu64 " flags 0x%x\n",
	    (uint64_t)s->altstack_sp, (uint64_t)s->altstack_size,
	    s->altstack_flags);
	for (int i = 0; i < 3; i++)
		if (s->itimer[i].value_ns || s->itimer[i].interval_ns)
			out(ci, "  itimer %s value %" PRIu64 " ns interval %"
			    PRIu64 " ns\n", itn[i],
			    (uint64_t)s->itimer[i].value_ns,
			    (uint64_t)s->itimer[i].interval_ns);
	out(ci, "  %u pending signal%s, %u POSIX timer%s\n", s->nr_pending,
	    s->nr_pending == 1 ? "" : "s", s->nr_timers,
	    s->nr_timers == 1 ? "" : "s");
	ci->left = s->nr_pending;
	ci->timers_left = s->nr_timers;
	ci->state = S_SIGPENDING;
}

static void rec_sigpending(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_sigpending *p = (void *)ci->buf;
	int32_t signo, code;
	char tmp[16];

	need_len(ci, len, sizeof(*p));
	need_zero(ci, p->_pad, "_pad");
	if (p->shared > 1)
		bad(ci, "bad shared value %u", p->shared);
	memcpy(&signo, p->info, 4);
	memcpy(&code, p->info + 8, 4);
	if (signo < 1 || signo > CKPT_NSIG)
		bad(ci, "bad signal number %d", signo);
	out(ci, "  %s code %d, %s\n", sig_name(signo, tmp, sizeof(tmp)), code,
	    p->shared ? "process-wide" : "thread");
	ci->left--;
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

static void rec_posix_timer(struct ckptinfo *ci, uint32_t len)
{
	/*
	 * SIGEV_SIGNAL 0, SIGEV_NONE 1, SIGEV_THREAD 2 (a signal to the
	 * process for the kernel), SIGEV_SIGNAL | SIGEV_THREAD_ID 4
	 */
	static const char *const notify[] = { "SIGEV_SIGNAL", "SIGEV_NONE",
					"SIGEV_THREAD", NULL,
					"SIGEV_THREAD_ID" };
	static const char *const clocks[] = {
		[0] = "CLOCK_REALTIME", [1] = "CLOCK_MONOTONIC",
		[7] = "CLOCK_BOOTTIME", [11] = "CLOCK_TAI",
	};
	struct ckpt_hdr_posix_timer *t = (void *)ci->buf;
	const struct ckpt_pids *proc = &ci->tree_pids[ci->cur_task];
	const char *clk;
	char sig[16], v[32], iv[32];
	bool thread_ok = false;

	need_len(ci, len, sizeof(*t));
	need_zero(ci, t->_pad, "_pad");
	if (t->id < 0)
		bad(ci, "POSIX timer id %d is negative", t->id);
	if (t->clock < 0 || t->clock >= (int)ARRAY_SIZE(clocks) ||
	    !clocks[t->clock])
		bad(ci, "POSIX timer %d: clock %d is not REALTIME, MONOTONIC, BOOTTIME or TAI",
		    t->id, t->clock);
	clk = clocks[t->clock];
	if (t->notify < 0 || t->notify > 4 || !notify[t->notify])
		bad(ci, "POSIX timer %d: unknown notify %d", t->id,
		    t->notify);
	if (t->signo < 0 || t->signo > CKPT_NSIG ||
	    (t->notify != 1 && !t->signo))
		bad(ci, "POSIX timer %d: bad signal number %d", t->id,
		    t->signo);
	if (t->notify == 4) {
		/* a live task of this process: it and the threads after it */
		for (uint32_t i = ci->cur_task; i < ci->nr_tasks &&
		     ci->tree_pids[i].tgid == proc->tgid; i++)
			if (ci->tree_pids[i].pid == t->tid &&
			    ci->task_kinds[i] != K_ZOMBIE)
				thread_ok = true;
		if (!thread_ok)
			bad(ci,
			    "POSIX timer %d signals thread %d, which is no thread of process %d in the TREE",
			    t->id, t->tid, proc->tgid);
	} else if (t->tid) {
		bad(ci, "POSIX timer %d: tid %d without SIGEV_THREAD_ID",
		    t->id, t->tid);
	}
	if (t->value_ns > TIMER_NS_MAX || t->interval_ns > TIMER_NS_MAX)
		bad(ci, "POSIX timer %d: time out of range", t->id);
	if (obj_find(ci, timer_tag(ci->cur_task, t->id)))
		bad(ci, "POSIX timer id %d appears twice in process %d",
		    t->id, proc->tgid);
	obj_add(ci, timer_tag(ci->cur_task, t->id), 0, NULL);

	out(ci, "  timer %d: %s, %s", t->id, clk, notify[t->notify]);
	if (t->notify == 4)
		out(ci, " thread %d", t->tid);
	out(ci, " %s value 0x%" PRIx64 ", ", t->signo ?
	    sig_name(t->signo, sig, sizeof(sig)) : "signal 0",
	    (uint64_t)t->value);
	if (t->value_ns)
		out(ci, "next in %s", dur_str(t->value_ns, v, sizeof(v)));
	else
		out(ci, "disarmed");
	if (t->interval_ns)
		out(ci, ", every %s", dur_str(t->interval_ns, iv, sizeof(iv)));
	else if (t->value_ns)
		out(ci, ", one-shot");
	out(ci, "\n");
	ci->timers_left--;
}

static void rec_file_table(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_file_table *t = (void *)ci->buf;

	need_len(ci, len, sizeof(*t));
	if (t->nr_locks > CKPT_FILE_LOCKS_MAX)
		bad(ci, "%u file locks, more than %u", t->nr_locks,
		    CKPT_FILE_LOCKS_MAX);
	if (t->nr_epolls > t->nr_fds)
		bad(ci, "%u epoll files in a table of %u fds",
		    t->nr_epolls, t->nr_fds);
	obj_define(ci, t->objref, CKPT_OBJ_FILE_TABLE, NULL);
	out(ci, "  objref %u, %u fd%s, %u epoll file%s\n", t->objref, t->nr_fds,
	    t->nr_fds == 1 ? "" : "s", t->nr_epolls,
	    t->nr_epolls == 1 ? "" : "s");
	ci->left = t->nr_fds;
	ci->epolls_left = t->nr_epolls;
	ci->locks_left = t->nr_locks;
	if (t->nr_locks)
		out(ci, "  %u file lock%s\n", t->nr_locks,
		    t->nr_locks == 1 ? "" : "s");
	ci->fd_seen = false;
	ci->state = S_FD;
}

/* open flags as the kernel keeps them in f_flags (x86-64 values) */
static void print_oflags(struct ckptinfo *ci, uint32_t f)
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
	static const char *const acc[4] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					    "3" };

	out(ci, "%s", acc[f & 3]);
	f &= ~3u;
	for (size_t i = 0; i < ARRAY_SIZE(fl); i++)
		if (f & fl[i].bit) {
			out(ci, "|%s", fl[i].name);
			f &= ~fl[i].bit;
		}
	if (f)
		out(ci, "|0x%x", f);
}

/* A device number in the kernel's new_encode_dev() format, split. */
static unsigned int dev_major(uint64_t dev)
{
	return (dev & 0xfff00) >> 8;
}

static unsigned int dev_minor(uint64_t dev)
{
	return (dev & 0xff) | ((dev >> 12) & 0xfff00);
}

static void rec_file(struct ckptinfo *ci, uint32_t len)
{
	static const char *const kinds[] = { "?", "REG", "DIR", "CHR", "TTY",
					     "PIPE", "FIFO", "MEMFD", "EVENTFD",
					     "SIGNALFD", "TIMERFD", "EPOLL",
					     "PIDFD", "UNIX", "SOCKET", "OPATH",
					     "INOTIFY", "PTY" };
	static const uint32_t state_obj[] = {
		[CKPT_FILE_EVENTFD] = CKPT_OBJ_EVENTFD,
		[CKPT_FILE_SIGNALFD] = CKPT_OBJ_SIGNALFD,
		[CKPT_FILE_TIMERFD] = CKPT_OBJ_TIMERFD,
		[CKPT_FILE_SOCKET] = CKPT_OBJ_SOCKET,
		[CKPT_FILE_INOTIFY] = CKPT_OBJ_INOTIFY,
	};
	struct ckpt_hdr_file *f = (void *)ci->buf;
	struct obj *o;
	bool mode_ok;

	need_min_len(ci, len, sizeof(*f));
	need_len(ci, len, sizeof(*f) + (uint64_t)f->path_len + f->relink_len);
	if (f->kind != CKPT_FILE_PIPE && f->kind != CKPT_FILE_FIFO &&
	    (f->kind < CKPT_FILE_MEMFD || f->kind == CKPT_FILE_EPOLL))
		need_zero(ci, f->ref, "ref");
	need_path(ci, f->path, f->path_len, "path");
	need_zero(ci, f->_pad, "_pad");
	if (f->flags & ~CKPT_FILE_NOT_WRITER ||
	    (f->flags && (f->kind != CKPT_FILE_MEMFD ||
			  (f->f_flags & 3) == 0)))
		bad(ci, "file flags %#x on a file of kind %u, open mode %#x",
		    f->flags, f->kind, f->f_flags & 3);
	if (f->relink_len) {
		need_path(ci, f->path + f->path_len, f->relink_len,
			  "relinked path");
		if (f->kind != CKPT_FILE_REG && f->kind != CKPT_FILE_DIR &&
		    f->kind != CKPT_FILE_FIFO)
			bad(ci, "relinked path on a file of kind %u",
			    f->kind);
		if (f->path[f->path_len] != '/')
			bad(ci, "relinked path is not absolute");
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
		obj_use(ci, f->ref, CKPT_OBJ_PIPE, "ref");
		if ((f->f_flags & 3) == 3)
			bad(ci, "FIFO opened with access mode 3");
		break;
	case CKPT_FILE_PIPE:
		mode_ok = S_ISFIFO(f->mode);
		obj_use(ci, f->ref, CKPT_OBJ_PIPE, "ref");
		if ((f->f_flags & 3) != O_RDONLY && (f->f_flags & 3) != O_WRONLY)
			bad(ci, "pipe end neither read-only nor write-only");
		break;
	case CKPT_FILE_MEMFD:
		mode_ok = S_ISREG(f->mode);
		obj_use(ci, f->ref, CKPT_OBJ_MEMFD, "ref");
		break;
	case CKPT_FILE_EPOLL:
		mode_ok = true;
		need_zero(ci, f->ref, "ref");
		if ((f->f_flags & 3) != O_RDWR)
			bad(ci, "EPOLL not open read-write");
		break;
	case CKPT_FILE_EVENTFD:
	case CKPT_FILE_SIGNALFD:
	case CKPT_FILE_TIMERFD:
		mode_ok = true;		/* anonymous inodes have no type */
		obj_use(ci, f->ref, state_obj[f->kind], "ref");
		if ((f->f_flags & 3) != O_RDWR)
			bad(ci, "%s not open read-write",
			    kinds[f->kind]);
		break;
	case CKPT_FILE_INOTIFY:
		mode_ok = true;
		obj_use(ci, f->ref, state_obj[f->kind], "ref");
		if ((f->f_flags & 3) != O_RDONLY)
			bad(ci, "INOTIFY not open read-only");
		break;
	case CKPT_FILE_UNIX:
		mode_ok = S_ISSOCK(f->mode);
		obj_use(ci, f->ref, CKPT_OBJ_UNIX_PAIR, "ref");
		if ((f->f_flags & ~04000u) != O_RDWR)
			bad(ci, "socket flags %#x", f->f_flags);
		break;
	case CKPT_FILE_OPATH:
		mode_ok = !S_ISREG(f->mode) && !S_ISDIR(f->mode);
		need_zero(ci, f->ref, "ref");
		/* O_PATH 010000000, O_NOFOLLOW 0400000 for a symlink */
		if (!(f->f_flags & 010000000) ||
		    (S_ISLNK(f->mode) && !(f->f_flags & 0400000)))
			bad(ci, "O_PATH file without O_PATH (or a symlink without O_NOFOLLOW)");
		break;
	case CKPT_FILE_SOCKET:
		mode_ok = S_ISSOCK(f->mode);
		obj_use(ci, f->ref, CKPT_OBJ_SOCKET, "ref");
		if ((f->f_flags & ~(04000u | 0100000u)) != O_RDWR)
			bad(ci, "socket flags %#x", f->f_flags);
		break;
	case CKPT_FILE_PTY:
		mode_ok = S_ISCHR(f->mode);
		if (f->ref)
			obj_use(ci, f->ref, CKPT_OBJ_PTY, "ref");
		else if (dev_major(f->rdev) == 5 && dev_minor(f->rdev) == 2)
			bad(ci, "pty master without its PTY");
		/* O_ACCMODE, O_NONBLOCK, O_LARGEFILE */
		if (f->ref && ((f->f_flags & ~(04000u | 0100000u | 3u)) ||
			       (f->f_flags & 3) == 3))
			bad(ci, "pty flags %#x", f->f_flags);
		break;
	case CKPT_FILE_PIDFD:
		mode_ok = true;
		if ((int32_t)f->ref <= 0)
			bad(ci, "pidfd of pid %d", (int32_t)f->ref);
		/* O_RDWR, O_NONBLOCK, PIDFD_THREAD (O_EXCL) */
		if ((f->f_flags & ~(04000u | 0200u)) != O_RDWR)
			bad(ci, "pidfd flags %#x", f->f_flags);
		break;
	default:
		bad(ci, "unknown file kind %u", f->kind);
	}
	if (!mode_ok)
		bad(ci, "file kind %s but mode 0%o", kinds[f->kind],
		    f->mode);
	if ((f->kind == CKPT_FILE_REG || f->kind == CKPT_FILE_DIR ||
	     f->kind == CKPT_FILE_FIFO || f->kind == CKPT_FILE_OPATH) &&
	    f->path[0] != '/')
		bad(ci, "path \"%s\" is not absolute", f->path);
	o = obj_define(ci, f->objref, CKPT_OBJ_FILE, f->path);
	out(ci, "  objref %u %s %s\n    ", f->objref, kinds[f->kind], f->path);
	print_oflags(ci, f->f_flags);
	out(ci, " mode 0%o owner %u:%u pos %" PRId64 " size %" PRIu64
	    " inode %" PRIu64 " dev %u:%u", f->mode, f->uid, f->gid,
	    (int64_t)f->pos, (uint64_t)f->size, (uint64_t)f->ino,
	    dev_major(f->dev), dev_minor(f->dev));
	if (f->kind == CKPT_FILE_PIPE || f->kind == CKPT_FILE_FIFO)
		out(ci, " pipe %u", f->ref);
	if (f->kind == CKPT_FILE_PIDFD)
		out(ci, " of pid %u", f->ref);
	else if (f->kind == CKPT_FILE_UNIX)
		out(ci, " pair %u", f->ref);
	else if (f->kind >= CKPT_FILE_MEMFD && f->kind != CKPT_FILE_EPOLL &&
		 f->kind != CKPT_FILE_OPATH && f->kind != CKPT_FILE_PTY)
		out(ci, " state %u", f->ref);
	else if (f->kind == CKPT_FILE_PTY)
		out(ci, " %s %u", dev_major(f->rdev) == 5 &&
		    dev_minor(f->rdev) == 2 ? "master of" : "slave of", f->ref);
	if (f->kind == CKPT_FILE_CHR || f->kind == CKPT_FILE_TTY ||
	    f->kind == CKPT_FILE_PTY)
		out(ci, " rdev %u:%u", dev_major(f->rdev), dev_minor(f->rdev));
	if (f->relink_len)
		out(ci, "\n    unlinked, relinked at %s",
		    f->path + f->path_len);
	out(ci, "\n");
	if (ci->state == S_MM) {
		/* before an MM: for the MM or one of its VMAs */
		mm_def(ci, o);
		return;
	}
	ci->pending_file = f->objref;
	ci->pending_file_off = ci->rec_off;
}

static void termios_check(struct ckptinfo *ci, const struct ckpt_termios *t,
			  const char *end)
{
	if (t->c_line)
		bad(ci, "%s line discipline %u, not N_TTY", end, t->c_line);
	for (size_t i = 0; i < sizeof(t->_pad); i++)
		need_zero(ci, t->_pad[i], "termios _pad");
	for (size_t i = 19; i < CKPT_TERMIOS_NCCS; i++)
		need_zero(ci, t->c_cc[i], "c_cc beyond NCCS");
	out(ci, "    %s: iflag %#o oflag %#o cflag %#o lflag %#o speed %u/%u\n",
	    end, t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag, t->c_ispeed,
	    t->c_ospeed);
}

/* In a PTY record: @n bytes not read, then a bit per byte for line ends. */
static uint64_t pty_unread_len(uint32_t n)
{
	return n + (n + 7) / 8ull;
}

/* Check and show the bytes one end of a pty had not read. */
static void pty_unread(struct ckptinfo *ci, const uint8_t *data, uint32_t n,
		       const char *end)
{
	uint32_t lines = 0;

	if (!n)
		return;
	if (n % 8 && data[n + n / 8] >> (n % 8))
		bad(ci, "%s: line ends after its %u bytes", end, n);
	for (uint32_t i = 0; i < n; i++)
		lines += data[n + i / 8] >> (i % 8) & 1;
	out(ci, "    %u bytes the %s had not read, %u line ends\n", n, end,
	    lines);
}

static void rec_pty(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_pty *p = (void *)ci->buf;
	uint64_t plen;
	uint8_t *data;

	need_min_len(ci, len, sizeof(*p));
	if (p->to_slave > CKPT_PTY_UNREAD_MAX ||
	    p->to_master > CKPT_PTY_UNREAD_MAX)
		bad(ci, "%u and %u bytes not read, at most %u", p->to_slave,
		    p->to_master, CKPT_PTY_UNREAD_MAX);
	plen = ((uint64_t)p->path_len + 7) & ~7ull;
	need_len(ci, len, sizeof(*p) + plen + pty_unread_len(p->to_slave) +
		 pty_unread_len(p->to_master));
	need_path(ci, p->path, p->path_len, "path");
	for (uint64_t i = p->path_len; i < plen; i++)
		need_zero(ci, p->path[i], "path padding");
	need_zero(ci, p->_pad, "_pad");
	need_zero(ci, p->_pad2, "_pad2");
	if (p->flags & ~CKPT_PTY_FLAGS)
		bad(ci, "unknown pty flags %#x", p->flags);
	if (p->slave_mode & ~07777u ||
	    (!(p->flags & CKPT_PTY_SLAVE_OWNER) &&
	     (p->slave_uid || p->slave_gid || p->slave_mode)))
		bad(ci, "slave owner %u:%u, mode 0%o", p->slave_uid,
		    p->slave_gid, p->slave_mode);
	if (p->path[0] != '/')
		bad(ci, "ptmx path \"%s\" is not absolute", p->path);
	if (p->session < 0 || p->pgrp < 0 || !p->session != !p->pgrp)
		bad(ci, "session %d and foreground group %d", p->session,
		    p->pgrp);
	if ((p->master_flags & ~(04000u | 0100000u | 3u)) ||
	    (p->master_flags & 3) == 3)
		bad(ci, "master flags %#x", p->master_flags);
	obj_define(ci, p->objref, CKPT_OBJ_PTY, NULL);
	out(ci, "  objref %u, was /dev/pts/%u, master %s%s%s%s, window %ux%u\n",
	    p->objref, p->index, p->path,
	    p->flags & CKPT_PTY_LOCKED ? ", locked" : "",
	    p->flags & CKPT_PTY_PACKET ? ", packet mode" : "",
	    p->flags & CKPT_PTY_SLAVE_CLOSED ? ", slave closed" : "",
	    p->ws_row, p->ws_col);
	if (p->session)
		out(ci, "    controls session %d, foreground group %d\n",
		    p->session, p->pgrp);
	if (p->flags & CKPT_PTY_SLAVE_OWNER)
		out(ci, "    slave owned by %u:%u, mode 0%o\n", p->slave_uid,
		    p->slave_gid, p->slave_mode);
	termios_check(ci, &p->termios, "slave");
	data = (uint8_t *)p->path + plen;
	pty_unread(ci, data, p->to_slave, "slave");
	pty_unread(ci, data + pty_unread_len(p->to_slave), p->to_master,
		   "master");
}

static void rec_ctty(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_ctty *c = (void *)ci->buf;

	need_len(ci, len, sizeof(*c));
	need_zero(ci, c->_pad, "_pad");
	if (c->pty_objref) {
		obj_use(ci, c->pty_objref, CKPT_OBJ_PTY, "pty_objref");
		out(ci, "  the slave of pty %u\n", c->pty_objref);
	} else {
		out(ci, "  none of the image's\n");
	}
	ci->state = S_CPU;
}

static void rec_pipe(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_pipe *p = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*p));
	need_len(ci, len, sizeof(*p) + (uint64_t)p->nr_bytes);
	need_zero(ci, p->_pad, "_pad");
	if (p->size < 4096 || (p->size & (p->size - 1)))
		bad(ci, "pipe size %u is not a power of two of pages",
		    p->size);
	if (p->nr_bytes > p->size)
		bad(ci, "pipe holds %u bytes, more than its size %u",
		    p->nr_bytes, p->size);
	obj_define(ci, p->objref, CKPT_OBJ_PIPE, NULL);
	out(ci, "  objref %u, size %u, %u bytes buffered\n", p->objref, p->size,
	    p->nr_bytes);
}

/* Queued messages' lengths are followed by zeroes up to 8 bytes. */
static void msg_lens_padded(struct ckptinfo *ci, const uint32_t *lens,
			    uint64_t nr)
{
	for (uint64_t b = nr * 4; b % 8; b++)
		if (((const uint8_t *)lens)[b])
			bad(ci, "padding after the message lengths is not zero");
}

static void rec_unix_pair(struct ckptinfo *ci, uint32_t len)
{
	static const char *const types[] = { "?", "stream", "dgram", "?",
					     "?", "seqpacket" };
	struct ckpt_hdr_unix_pair *p = (void *)ci->buf;
	uint64_t nr_msgs, nr_bytes, nr_fds, want, sum;
	const struct ckpt_unix_fd *fds;
	uint32_t m = 0;

	need_min_len(ci, len, sizeof(*p));
	nr_msgs = (uint64_t)p->end[0].nr_msgs + p->end[1].nr_msgs;
	nr_bytes = p->end[0].nr_bytes + p->end[1].nr_bytes;
	nr_fds = (uint64_t)p->end[0].nr_fds + p->end[1].nr_fds;
	want = sizeof(*p) + ((nr_msgs * 4 + 7) & ~7ULL) +
	       nr_fds * sizeof(*fds) + nr_bytes;
	if (want != len)
		bad(ci, "UNIX_PAIR of %u bytes, its fields say %" PRIu64, len,
		    want);
	if (p->type != 1 && p->type != 2 && p->type != 5)
		bad(ci, "socket type %u", p->type);
	msg_lens_padded(ci, p->msg_len, nr_msgs);
	obj_define(ci, p->objref, CKPT_OBJ_UNIX_PAIR, NULL);
	out(ci, "  objref %u, %s pair\n", p->objref, types[p->type]);
	fds = (const void *)((const char *)p->msg_len +
			     ((nr_msgs * 4 + 7) & ~7ULL));
	for (uint64_t k = 0, to_first = 0; k < nr_fds; k++) {
		if (fds[k].msg >= nr_msgs ||
		    (k && fds[k].msg < fds[k - 1].msg))
			bad(ci, "file in flight %" PRIu64 ": message %u out of order or range",
			    k, fds[k].msg);
		to_first += fds[k].msg < p->end[0].nr_msgs;
		obj_use(ci, fds[k].file, CKPT_OBJ_FILE, "file in flight");
		file_flies(ci, fds[k].file);
		if (k + 1 == nr_fds && to_first != p->end[0].nr_fds)
			bad(ci, "files in flight of the wrong end");
	}
	for (int i = 0; i < 2; i++) {
		struct ckpt_unix_end *e = &p->end[i];

		if (e->shutdown & ~3u || e->flags & ~CKPT_UNIX_FLAGS ||
		    e->sndbuf < 0 || e->rcvbuf < 0 || e->peek_off < -1)
			bad(ci, "end %d: bad shutdown, flags or options", i);
		if (e->listener)
			obj_use(ci, e->listener, CKPT_OBJ_FILE, "listener");
		if (p->type != 2 && !(e->shutdown & 1) != !(p->end[!i].shutdown & 2))
			bad(ci, "end %d receives what its peer cannot send", i);
		for (sum = 0; m < nr_msgs && m - (i ? p->end[0].nr_msgs : 0) <
		     e->nr_msgs; m++)
			sum += p->msg_len[m];
		if (sum != e->nr_bytes)
			bad(ci, "end %d: messages of %" PRIu64 " bytes, %" PRIu64
			    " said", i, sum, (uint64_t)e->nr_bytes);
		out(ci, "  end %d inode %" PRIu64 ": %u message%s, %" PRIu64
		    " bytes queued", i, (uint64_t)e->ino,
		    e->nr_msgs, e->nr_msgs == 1 ? "" : "s",
		    (uint64_t)e->nr_bytes);
		if (e->nr_fds)
			out(ci, ", %u file%s in flight", e->nr_fds,
			    e->nr_fds == 1 ? "" : "s");
		out(ci, "; shutdown %u%s", e->shutdown,
		    e->flags & CKPT_UNIX_PASSCRED ? ", SO_PASSCRED" : "");
		if (e->sndbuf || e->rcvbuf)
			out(ci, ", SO_SNDBUF %d SO_RCVBUF %d", e->sndbuf,
			    e->rcvbuf);
		if (e->flags & CKPT_UNIX_BACKLOG && (!e->listener || e->ino ||
						     p->end[!i].flags & CKPT_UNIX_BACKLOG))
			bad(ci, "end %d: waits in a backlog, but not alone or of no listener",
			    i);
		if (e->flags & CKPT_UNIX_CLOSED &&
		    (e->flags != CKPT_UNIX_CLOSED || e->ino || e->nr_msgs ||
		     p->end[!i].flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_BACKLOG)))
			bad(ci, "end %d: closed, but with a file, queued data or a closed peer",
			    i);
		if (e->flags & CKPT_UNIX_CLOSED)
			out(ci, ", closed");
		if (e->flags & CKPT_UNIX_BACKLOG)
			out(ci, ", waits in the backlog of file %u", e->listener);
		else if (e->listener)
			out(ci, ", accepted from file %u", e->listener);
		out(ci, "\n");
	}
}

static void rec_memfd(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_memfd *m = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*m));
	need_len(ci, len, sizeof(*m) + (uint64_t)m->name_len);
	if (m->mode & ~07777u)
		bad(ci, "memfd mode %#o", m->mode);
	if (m->name_len < 1 || m->name_len > 250 ||
	    m->name[m->name_len - 1] || strlen(m->name) != m->name_len - 1)
		bad(ci, "memfd name is not a string of %u bytes",
		    m->name_len);
	if (m->seals & ~0x3fu)
		bad(ci, "unknown seals %#x", m->seals);
	obj_define(ci, m->objref, CKPT_OBJ_MEMFD, NULL);
	out(ci, "  objref %u, \"memfd:%s\", %" PRIu64 " bytes, mode 0%o, seals %#x\n", m->objref,
	    m->name, (uint64_t)m->size, m->mode, m->seals);
	obj_pages_begin(ci, "memfd", m->objref, m->size, m->objref);
}

static void rec_shmem(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_shmem *m = (void *)ci->buf;

	need_len(ci, len, sizeof(*m));
	if (m->flags & ~CKPT_SHMEM_NORESERVE)
		bad(ci, "unknown shared memory flags %#x", m->flags);
	if (!m->size || (m->size & (ci->page_size - 1)) ||
	    m->size > CKPT_SHMEM_MAX)
		bad(ci, "shared memory size %" PRIu64
		    " is not a positive multiple of the page size up to 2^46", (uint64_t)m->size);
	mm_def(ci, obj_define(ci, m->objref, CKPT_OBJ_SHMEM, NULL));
	out(ci, "  objref %u, %" PRIu64 " bytes%s\n", m->objref,
	    (uint64_t)m->size,
	    m->flags & CKPT_SHMEM_NORESERVE ? ", noreserve" : "");
	obj_pages_begin(ci, "shared memory", m->objref, m->size, 0);
}

/* the record of an eventfd's, signalfd's or timerfd's state */
static void state_record(struct ckptinfo *ci, uint32_t len, size_t size,
			 uint32_t objref, uint32_t kind)
{
	need_len(ci, len, size);
	obj_define(ci, objref, kind, NULL);
	ci->wants_file = objref;
	ci->wants_file_kind = kind;
}

static void rec_eventfd(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_eventfd *e = (void *)ci->buf;

	state_record(ci, len, sizeof(*e), e->objref, CKPT_OBJ_EVENTFD);
	if (e->flags & ~1u)
		bad(ci, "unknown eventfd flags %#x", e->flags);
	if (e->count == UINT64_MAX)
		bad(ci, "eventfd counter 2^64 - 1");
	out(ci, "  objref %u, count %" PRIu64 "%s\n", e->objref,
	    (uint64_t)e->count, e->flags ? ", semaphore" : "");
}

/* An address of a SOCKET record, as text. */
static void print_sockaddr(struct ckptinfo *ci, const char *what,
			   const uint8_t *a, uint32_t len, uint32_t family)
{
	char buf[INET6_ADDRSTRLEN] = "";
	const struct sockaddr_in6 *in6 = (const void *)a;
	const struct sockaddr_in *in = (const void *)a;
	const struct sockaddr_un *un = (const void *)a;
	size_t max = sizeof(un->sun_path);

	if (!len)
		return;
	if (((const struct sockaddr *)a)->sa_family != family)
		bad(ci, "%s address of family %u", what,
		    ((const struct sockaddr *)a)->sa_family);
	if (family == AF_UNIX && len <= offsetof(struct sockaddr_un, sun_path))
		bad(ci, "%s address of %u bytes", what, len);
	if (family == AF_UNIX && un->sun_path[0]) {
		if (strnlen(un->sun_path, max) !=
		    len - offsetof(struct sockaddr_un, sun_path) - 1 ||
		    un->sun_path[0] != '/')
			bad(ci, "%s path is not absolute or not terminated", what);
		out(ci, " %s %s", what, un->sun_path);
	} else if (family == AF_UNIX) {
		out(ci, " %s @%.*s", what,
		    (int)(len - offsetof(struct sockaddr_un, sun_path) - 1),
		    un->sun_path + 1);
	} else if (family == AF_INET) {
		if (len < sizeof(*in))
			bad(ci, "%s address of %u bytes", what, len);
		inet_ntop(AF_INET, &in->sin_addr, buf, sizeof(buf));
		out(ci, " %s %s:%u", what, buf, ntohs(in->sin_port));
	} else {
		if (len < sizeof(*in6))
			bad(ci, "%s address of %u bytes", what, len);
		inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf));
		out(ci, " %s [%s]:%u", what, buf, ntohs(in6->sin6_port));
	}
}

static void rec_socket(struct ckptinfo *ci, uint32_t len)
{
	static const char *const states[] = { "?", "unbound", "bound",
					      "listening", "connected" };
	struct ckpt_hdr_socket *k = (void *)ci->buf;
	bool inet = k->family == AF_INET || k->family == AF_INET6;
	bool unbound, connected;
	uint64_t sum = 0;

	need_min_len(ci, len, sizeof(*k));
	if (sizeof(*k) + ((k->nr_msgs * 4ULL + 7) & ~7ULL) + k->nr_bytes != len)
		bad(ci, "SOCKET of %u bytes with %u datagrams of %" PRIu64
		    " bytes", len, k->nr_msgs, (uint64_t)k->nr_bytes);
	for (uint32_t i = 0; i < k->nr_msgs; i++)
		sum += k->msg_len[i];
	if (sum != k->nr_bytes)
		bad(ci, "datagrams of %" PRIu64 " bytes, %" PRIu64 " said",
		    sum, (uint64_t)k->nr_bytes);
	if (k->nr_opts > CKPT_SOCKOPTS_MAX)
		bad(ci, "%u socket options, at most %u", k->nr_opts,
		    CKPT_SOCKOPTS_MAX);
	for (uint32_t i = 0; i < CKPT_SOCKOPTS_MAX; i++) {
		const struct ckpt_sockopt *o = &k->opts[i];

		if (i >= k->nr_opts ? o->level || o->name || o->len || o->_pad ||
		    memcmp(o->val, "\0\0\0\0\0\0\0\0", 8) :
		    (o->len != 4 && o->len != 8) || o->_pad)
			bad(ci, "socket option %u: bad length or padding", i);
	}
	msg_lens_padded(ci, k->msg_len, k->nr_msgs);
	if (k->nr_msgs && (k->family != AF_UNIX || k->type != SOCK_DGRAM ||
			   !k->addr_len))
		bad(ci,
		    "datagrams queued for a socket other than a bound AF_UNIX datagram socket");
	state_record(ci, len, len, k->objref, CKPT_OBJ_SOCKET);
	if (k->family != AF_UNIX && !inet)
		bad(ci, "socket family %u", k->family);
	if (inet ? !((k->type == 1 && k->protocol == 6) ||
		     (k->type == 2 && (k->protocol == 17 ||
				       k->protocol == 136 ||
				       k->protocol == (k->family == 2 ? 1 :
						       58)))) :
	    (k->protocol || (k->type != 1 && k->type != 2 && k->type != 5)))
		bad(ci, "socket type %u, protocol %u", k->type, k->protocol);
	if (k->state < CKPT_SOCK_UNBOUND || k->state > CKPT_SOCK_CONNECTED)
		bad(ci, "socket state %u", k->state);
	if (k->flags & ~CKPT_SOCK_FLAGS)
		bad(ci, "unknown socket flags %#x", k->flags);
	unbound = k->state == CKPT_SOCK_UNBOUND;
	connected = k->state == CKPT_SOCK_CONNECTED;
	/* an AF_UNIX datagram socket may connect without a name */
	if (k->addr_len > sizeof(k->addr) || k->peer_len > sizeof(k->peer) ||
	    (unbound && k->addr_len) || connected == !k->peer_len ||
	    (!unbound && !k->addr_len &&
	     !(connected && k->family == AF_UNIX && k->type == SOCK_DGRAM)))
		bad(ci, "address lengths %u and %u for a %s socket",
		    k->addr_len, k->peer_len, states[k->state]);
	if (connected && !inet && k->type != SOCK_DGRAM)
		bad(ci, "a connected AF_UNIX socket that is no datagram socket");
	if (k->state != CKPT_SOCK_LISTENING && k->backlog)
		bad(ci, "a backlog for a socket that does not listen");
	out(ci, "  objref %u, %s %s socket, %s", k->objref,
	    k->family == AF_UNIX ? "AF_UNIX" : k->family == AF_INET ?
	    "IPv4" : "IPv6", inet ? (k->protocol == 6 ? "TCP" : k->protocol == 17 ? "UDP" :
		    k->protocol == 136 ? "UDP-Lite" : "ping") :
	    k->type == 1 ? "stream" : k->type == 2 ? "datagram" : "seqpacket",
	    states[k->state]);
	print_sockaddr(ci, "at", k->addr, k->addr_len, k->family);
	print_sockaddr(ci, "to", k->peer, k->peer_len, k->family);
	if (k->state == CKPT_SOCK_LISTENING)
		out(ci, ", backlog %u", k->backlog);
	if (k->mode)
		out(ci, ", mode 0%o", k->mode);
	if (k->nr_msgs)
		out(ci, ", %u datagram%s of %" PRIu64 " bytes queued",
		    k->nr_msgs, k->nr_msgs == 1 ? "" : "s",
		    (uint64_t)k->nr_bytes);
	out(ci, "\n    flags %#x sndbuf %d rcvbuf %d rcvtimeo %" PRIu64
	    " ns sndtimeo %" PRIu64 " ns\n", k->flags, k->sndbuf, k->rcvbuf,
	    (uint64_t)k->rcvtimeo_ns, (uint64_t)k->sndtimeo_ns);
	for (uint32_t i = 0; i < k->nr_opts && i < CKPT_SOCKOPTS_MAX; i++) {
		int32_t v[2];

		memcpy(v, k->opts[i].val, sizeof(v));
		out(ci, "    option level %d name %d: %d", k->opts[i].level,
		    k->opts[i].name, v[0]);
		if (k->opts[i].len == 8)
			out(ci, " %d", v[1]);
		out(ci, "\n");
	}
	if (connected && inet && k->protocol == 6)
		ci->wants_tcp = k->objref;
}

static void rec_tcp(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_tcp *t = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*t));
	if (t->objref != ci->wants_tcp)
		bad(ci, "TCP record of socket %u after the SOCKET of %u",
		    t->objref, ci->wants_tcp);
	ci->wants_tcp = 0;
	if (sizeof(*t) + (uint64_t)t->snd_len + t->rcv_len != len)
		bad(ci, "TCP of %u bytes with %u to send and %u to read", len,
		    t->snd_len, t->rcv_len);
	need_zero(ci, t->_pad, "_pad");
	if (t->flags & ~CKPT_TCP_FLAGS)
		bad(ci, "unknown TCP flags %#x", t->flags);
	if (t->unsent > t->snd_len || !t->mss || t->mss > 65535 ||
	    t->snd_wscale > 14 || t->rcv_wscale > 14)
		bad(ci, "TCP state out of range");
	out(ci, "  socket %u, mss %u, flags %#x, wscale %u/%u\n"
	    "    send from %u: %u bytes (%u unsent), window %u; read from %u: %u bytes, window %u\n",
	    t->objref, t->mss, t->flags, t->snd_wscale, t->rcv_wscale,
	    t->snd_seq, t->snd_len, t->unsent, t->snd_wnd, t->rcv_seq,
	    t->rcv_len, t->rcv_wnd);
	if (t->flags & (CKPT_TCP_FIN_SENT | CKPT_TCP_FIN_RCVD))
		out(ci, "    closing:%s%s\n",
		    t->flags & CKPT_TCP_FIN_SENT ? " shut down for writing" : "",
		    t->flags & CKPT_TCP_FIN_RCVD ? " the peer's FIN came" : "");
}

static void rec_signalfd(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_signalfd *g = (void *)ci->buf;

	state_record(ci, len, sizeof(*g), g->objref, CKPT_OBJ_SIGNALFD);
	need_zero(ci, g->_pad, "_pad");
	out(ci, "  objref %u, mask %#" PRIx64 "\n", g->objref,
	    (uint64_t)g->mask);
}

static void rec_timerfd(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_timerfd *t = (void *)ci->buf;

	state_record(ci, len, sizeof(*t), t->objref, CKPT_OBJ_TIMERFD);
	need_zero(ci, t->_pad, "_pad");
	/* REALTIME, MONOTONIC, BOOTTIME and the two _ALARM clocks */
	if (t->clockid != 0 && t->clockid != 1 && t->clockid != 7 &&
	    t->clockid != 8 && t->clockid != 9)
		bad(ci, "timerfd clock %d", t->clockid);
	if (t->settime_flags & ~3u)
		bad(ci, "unknown timerfd flags %#x", t->settime_flags);
	if (t->value_ns > (UINT64_MAX >> 3) || t->interval_ns > (UINT64_MAX >> 3))
		bad(ci, "timerfd time out of range");
	out(ci, "  objref %u, clock %d, next in %" PRIu64 " ns, every %" PRIu64
	    " ns, %" PRIu64 " unread, flags %#x\n", t->objref, t->clockid,
	    (uint64_t)t->value_ns, (uint64_t)t->interval_ns,
	    (uint64_t)t->ticks, t->settime_flags);
}

static void rec_inotify(struct ckptinfo *ci, uint32_t len)
{
	const uint32_t masks = 0x00000fffu | 0x80000000u | 0x04000000u;
	struct ckpt_hdr_inotify *n = (void *)ci->buf;
	uint64_t off = sizeof(*n);
	const char *paths = (const char *)n;

	need_min_len(ci, len, sizeof(*n));
	need_zero(ci, n->_pad, "_pad");
	if (n->nr_watches > (len - sizeof(*n)) / sizeof(n->watches[0]))
		bad(ci, "%u inotify watches in %u bytes", n->nr_watches, len);
	if (n->next_wd < 1)
		bad(ci, "next watch descriptor %d", n->next_wd);
	out(ci, "  objref %u, %u watch%s, next descriptor from %d\n",
	    n->objref, n->nr_watches, n->nr_watches == 1 ? "" : "es",
	    n->next_wd);
	off += (uint64_t)n->nr_watches * sizeof(n->watches[0]);
	for (uint32_t i = 0; i < n->nr_watches; i++) {
		struct ckpt_inotify_watch *w = &n->watches[i];

		if (w->wd < 1 || (i && w->wd <= n->watches[i - 1].wd))
			bad(ci, "inotify watch %u: descriptor %d out of order",
			    i, w->wd);
		if (!(w->mask & 0xfffu) || (w->mask & ~masks))
			bad(ci, "inotify watch %d: mask %#x", w->wd, w->mask);
		if (w->path_len > len - off)
			bad(ci, "inotify watch %d: path beyond the record",
			    w->wd);
		need_path(ci, paths + off, w->path_len, "watched path");
		if (paths[off] != '/')
			bad(ci, "inotify watch %d: path is not absolute", w->wd);
		out(ci, "    wd %d %s mask %#x mode 0%o inode %" PRIu64
		    " dev %u:%u\n", w->wd, paths + off, w->mask, w->mode,
		    (uint64_t)w->ino, dev_major(w->dev), dev_minor(w->dev));
		off += w->path_len;
	}
	/* the length its watches and their paths take */
	state_record(ci, len, off, n->objref, CKPT_OBJ_INOTIFY);
}

static void rec_epoll(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_epoll *e = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*e));
	need_len(ci, len,
		 sizeof(*e) + (uint64_t)e->nr_items * sizeof(e->items[0]));
	obj_use(ci, e->file_objref, CKPT_OBJ_FILE, "file_objref");
	out(ci, "  epoll file %u watches %u file%s\n", e->file_objref,
	    e->nr_items, e->nr_items == 1 ? "" : "s");
	for (uint32_t i = 0; i < e->nr_items; i++) {
		struct ckpt_epoll_item *it = &e->items[i];

		obj_use(ci, it->file_objref, CKPT_OBJ_FILE, "file_objref");
		need_zero(ci, it->_pad, "_pad");
		if (it->fd < 0)
			bad(ci, "epoll entry %u: fd %d", i, it->fd);
		out(ci, "    file %u as fd %d, events %#x, data %#" PRIx64 "\n",
		    it->file_objref, it->fd, it->events, (uint64_t)it->data);
	}
	ci->epolls_left--;
}

static void rec_file_lock(struct ckptinfo *ci, uint32_t len)
{
	static const char *const kinds[] = { "?", "flock", "POSIX", "OFD",
					     "lease" };
	struct ckpt_hdr_file_lock *l = (void *)ci->buf;
	bool flock = l->kind == CKPT_LOCK_FLOCK || l->kind == CKPT_LOCK_LEASE;

	need_len(ci, len, sizeof(*l));
	if (l->kind < CKPT_LOCK_FLOCK || l->kind > CKPT_LOCK_LEASE)
		bad(ci, "unknown lock kind %u", l->kind);
	if (l->type != F_RDLCK && l->type != F_WRLCK)
		bad(ci, "bad lock type %u", l->type);
	if (flock ? l->start || l->end :
	    l->start > l->end || l->end > INT64_MAX)
		bad(ci, "bad lock range %" PRIu64 "-%" PRIu64,
		    (uint64_t)l->start, (uint64_t)l->end);
	if (!ci->fd_seen || l->fd > ci->last_fd)
		bad(ci, "lock through fd %u, which the table does not have",
		    l->fd);
	out(ci, "  fd %u: %s %s lock", l->fd, kinds[l->kind],
	    l->type == F_RDLCK ? "read" : "write");
	if (!flock && l->end == INT64_MAX)
		out(ci, " of bytes %" PRIu64 " to the end\n",
		    (uint64_t)l->start);
	else if (!flock)
		out(ci, " of bytes %" PRIu64 "-%" PRIu64 "\n",
		    (uint64_t)l->start, (uint64_t)l->end);
	else
		out(ci, "\n");
	ci->locks_left--;
}

static void rec_fd(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_fd *d = (void *)ci->buf;
	struct obj *o;

	need_len(ci, len, sizeof(*d));
	need_zero(ci, d->_pad, "_pad");
	if (d->flags & ~1u)	/* FD_CLOEXEC */
		bad(ci, "bad fd flags 0x%x", d->flags);
	if (d->fd > INT32_MAX)
		bad(ci, "bad fd number %u", d->fd);
	if (ci->fd_seen && d->fd <= ci->last_fd)
		bad(ci, "fd %u follows fd %u: fds not in increasing order",
		    d->fd, ci->last_fd);
	o = obj_use(ci, d->file_objref, CKPT_OBJ_FILE, "file_objref");
	check_pending_file(ci, d->file_objref);
	out(ci, "  fd %u -> file %u %s%s\n", d->fd, d->file_objref,
	    o->path ? o->path : "", d->flags ? " (cloexec)" : "");
	ci->fd_seen = true;
	ci->last_fd = d->fd;
	ci->left--;
}

static void rec_cpu(struct ckptinfo *ci, uint32_t len)
{
	static const char *const kinds[] = { "none", "syscall", "nanosleep",
				       "eintr" };
	struct ckpt_hdr_cpu *c = (void *)ci->buf;

	need_len(ci, len, sizeof(*c));
	need_zero(ci, c->_pad, "_pad");
	if (c->restart > CKPT_RESTART_EINTR)
		bad(ci, "unknown restart kind %u", c->restart);
	out(ci, "  ip 0x%016" PRIx64 " sp 0x%016" PRIx64 " flags 0x%" PRIx64
	    "\n", (uint64_t)c->ip, (uint64_t)c->sp, (uint64_t)c->flags);
	out(ci, "  ax 0x%" PRIx64 " orig_ax %" PRId64 " cs 0x%" PRIx64 " ss 0x%"
	    PRIx64 "\n", (uint64_t)c->ax, (int64_t)c->orig_ax,
	    (uint64_t)c->cs, (uint64_t)c->ss);
	out(ci, "  fs_base 0x%" PRIx64 " gs_base 0x%" PRIx64 "\n",
	    (uint64_t)c->fs_base, (uint64_t)c->gs_base);
	out(ci, "  restart %s", kinds[c->restart]);
	if (c->restart == CKPT_RESTART_NANOSLEEP)
		out(ci, " (clock %" PRIu64 ", %" PRIu64 " ns left, rmtp 0x%"
		    PRIx64 ")", (uint64_t)c->restart_arg[0],
		    (uint64_t)c->restart_arg[1], (uint64_t)c->restart_arg[2]);
	out(ci, "\n");
	if (ci->verbose) {
		out(ci, "  r15 0x%" PRIx64 " r14 0x%" PRIx64 " r13 0x%" PRIx64
		    " r12 0x%" PRIx64 "\n", (uint64_t)c->r15,
		    (uint64_t)c->r14, (uint64_t)c->r13, (uint64_t)c->r12);
		out(ci, "  r11 0x%" PRIx64 " r10 0x%" PRIx64 " r9 0x%" PRIx64
		    " r8 0x%" PRIx64 "\n", (uint64_t)c->r11,
		    (uint64_t)c->r10, (uint64_t)c->r9, (uint64_t)c->r8);
		out(ci, "  bp 0x%" PRIx64 " bx 0x%" PRIx64 " cx 0x%" PRIx64
		    " dx 0x%" PRIx64 " si 0x%" PRIx64 " di 0x%" PRIx64 "\n",
		    (uint64_t)c->bp, (uint64_t)c->bx, (uint64_t)c->cx,
		    (uint64_t)c->dx, (uint64_t)c->si, (uint64_t)c->di);
		out(ci, "  ds 0x%" PRIx64 " es 0x%" PRIx64 " fs 0x%" PRIx64
		    " gs 0x%" PRIx64 "\n", (uint64_t)c->ds, (uint64_t)c->es,
		    (uint64_t)c->fs, (uint64_t)c->gs);
		out(ci, "  tls 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 "\n",
		    (uint64_t)c->tls[0], (uint64_t)c->tls[1],
		    (uint64_t)c->tls[2]);
	}
	ci->state = S_XSTATE;
}

static void rec_xstate(struct ckptinfo *ci, uint32_t len)
{
	static const char *const feat[] = {
		"x87", "sse", "avx", "bndregs", "bndcsr", "opmask",
		"zmm_hi256", "hi16_zmm", "pt", "pkru", "pasid", "cet_u",
		"cet_s", "hdc", "uintr", "lbr", "hwp", "xtilecfg",
		"xtiledata",
	};
	struct ckpt_hdr_xstate *x = (void *)ci->buf;

	need_min_len(ci, len, sizeof(*x));
	need_len(ci, len, sizeof(*x) + (uint64_t)x->size);
	need_zero(ci, x->_pad, "_pad");
	if (x->size != ci->hdr_xstate_size)
		bad(ci, "XSTATE size %u differs from the header's xstate_size %u", x->size,
		    ci->hdr_xstate_size);
	if (x->xfeatures & ~ci->hdr_xfeatures)
		bad(ci, "XSTATE features 0x%" PRIx64 " not in the header's xfeatures 0x%" PRIx64,
		    (uint64_t)x->xfeatures, ci->hdr_xfeatures);
	out(ci, "  size %u, xfeatures 0x%" PRIx64 " (", x->size,
	    (uint64_t)x->xfeatures);
	for (unsigned int i = 0, first = 1; i < 64; i++)
		if (x->xfeatures & (1ULL << i)) {
			if (i < ARRAY_SIZE(feat))
				out(ci, "%s%s", first ? "" : " ", feat[i]);
			else
				out(ci, "%sbit%u", first ? "" : " ", i);
			first = 0;
		}
	out(ci, ")\n");
	ci->state = ci->cur_kind == K_THREAD ? S_TASK : S_MM;
}

static void rec_mm(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_mm *m = (void *)ci->buf;
	const char *exe_path = "";
	struct obj *exe;

	need_len(ci, len, sizeof(*m));
	if (m->nr_auxv > CKPT_AUXV_WORDS)
		bad(ci, "nr_auxv %u exceeds %u", m->nr_auxv,
		    CKPT_AUXV_WORDS);
	if (m->dumpable > 1)
		bad(ci, "dumpable mode %u (0 or 1)", m->dumpable);
	if (m->flags & ~CKPT_MM_FLAGS)
		bad(ci, "unknown mm flags %#x", m->flags);
	if (m->exe_objref) {
		exe = obj_use(ci, m->exe_objref, CKPT_OBJ_FILE, "exe_objref");
		mm_used(ci, exe);
		/* the path outlives @exe, which obj_define() may move */
		exe_path = exe->path ? exe->path : "";
	}
	check_pending_file(ci, m->exe_objref);
	if (m->start_code > m->end_code || m->start_data > m->end_data ||
	    m->start_brk > m->brk || m->arg_start > m->arg_end ||
	    m->env_start > m->env_end)
		bad(ci, "MM layout has a range that ends before it starts");
	obj_define(ci, m->objref, CKPT_OBJ_MM, NULL);
	out(ci, "  objref %u, %u vma%s, exe %u %s%s%s\n", m->objref,
	    m->nr_vmas, m->nr_vmas == 1 ? "" : "s", m->exe_objref, exe_path,
	    m->dumpable ? "" : ", not dumpable",
	    m->flags & CKPT_MM_THP_DISABLE ? ", THP disabled" : "");
	out(ci, "  code 0x%" PRIx64 "-0x%" PRIx64 " data 0x%" PRIx64 "-0x%"
	    PRIx64 "\n", (uint64_t)m->start_code, (uint64_t)m->end_code,
	    (uint64_t)m->start_data, (uint64_t)m->end_data);
	out(ci, "  brk 0x%" PRIx64 "-0x%" PRIx64 " stack 0x%" PRIx64 " vdso 0x%"
	    PRIx64 "\n", (uint64_t)m->start_brk, (uint64_t)m->brk,
	    (uint64_t)m->start_stack, (uint64_t)m->vdso);
	out(ci, "  args 0x%" PRIx64 "-0x%" PRIx64 " env 0x%" PRIx64 "-0x%"
	    PRIx64 "\n", (uint64_t)m->arg_start, (uint64_t)m->arg_end,
	    (uint64_t)m->env_start, (uint64_t)m->env_end);
	out(ci, "  %u auxv words", m->nr_auxv);
	if (ci->verbose)
		for (uint32_t i = 0; i + 1 < m->nr_auxv; i += 2)
			out(ci, "%s%" PRIu64 "=0x%" PRIx64, i ? ", " : ": ",
			    (uint64_t)m->auxv[i], (uint64_t)m->auxv[i + 1]);
	out(ci, "\n");
	ci->mm_objref = m->objref;
	ci->vmas_nr = 0;
	ci->left = m->nr_vmas;
	ci->state = S_VMA;
}

static void rec_vma(struct ckptinfo *ci, uint32_t len)
{
	const char *const *kinds = vma_kinds;
	static const char *const fl[] = {
		"read", "write", "exec", "shared", "growsdown", "noreserve",
		"dontfork", "dontdump", "wipeonfork", "seq_read", "rand_read",
		"maywrite",
	};
	struct ckpt_hdr_vma *v = (void *)ci->buf;
	/* TASK_SIZE with 5-level paging, the largest possible */
	const uint64_t task_size_max = (1ULL << 56) - ci->page_size;
	struct obj *file = NULL, *shm = NULL;
	uint64_t pmask = ci->page_size - 1;
	bool shared = v->flags & CKPT_VMA_SHARED;
	const struct obj *seg;

	need_len(ci, len, sizeof(*v));
	if ((v->start & pmask) || (v->end & pmask))
		bad(ci, "VMA 0x%" PRIx64 "-0x%" PRIx64 " not page aligned",
		    (uint64_t)v->start, (uint64_t)v->end);
	if (v->start >= v->end || v->end > task_size_max)
		bad(ci, "bad VMA range 0x%" PRIx64 "-0x%" PRIx64,
		    (uint64_t)v->start, (uint64_t)v->end);
	if (ci->vmas_nr && v->start < ci->vmas[ci->vmas_nr - 1].end)
		bad(ci, "VMA 0x%" PRIx64 "-0x%" PRIx64 " overlaps or precedes the previous one",
		    (uint64_t)v->start, (uint64_t)v->end);
	if (v->flags & ~CKPT_VMA_FLAGS_ALL)
		bad(ci, "unknown VMA flags 0x%x", v->flags);
	if (v->kind < CKPT_VMA_ANON || v->kind > CKPT_VMA_SYSVSHM)
		bad(ci, "unknown VMA kind %u", v->kind);
	if (v->shmid && v->kind != CKPT_VMA_SYSVSHM)
		bad(ci, "%s VMA with shmid %d", kinds[v->kind], v->shmid);
	switch (v->kind) {
	case CKPT_VMA_FILE:
		file = obj_use(ci, v->file_objref, CKPT_OBJ_FILE,
			       "file_objref");
		mm_used(ci, file);
		break;
	case CKPT_VMA_SHMEM:
		shm = obj_use(ci, v->file_objref, CKPT_OBJ_SHMEM,
			      "file_objref");
		mm_used(ci, shm);
		/* mremap() may have grown it past its object: that is legal */
		if (!shared)
			bad(ci, "shmem VMA not shared");
		break;
	case CKPT_VMA_SYSVSHM:
		if (v->file_objref)
			bad(ci, "sysvshm VMA with file_objref %u",
			    v->file_objref);
		/* a read-only attach is no VM_SHARED mapping */
		if (v->pgoff)
			bad(ci, "sysvshm VMA at page offset %" PRIu64,
			    (uint64_t)v->pgoff);
		seg = v->shmid >= 0 ?
		      obj_find(ci, ipc_tag(SYSV_SHM, false, v->shmid)) : NULL;
		if (!seg)
			bad(ci,
			    "sysvshm VMA attaches segment %d, which no IPC_SHM record of the image has",
			    v->shmid);
		/* shmat(2) attaches the whole segment */
		if (v->end - v->start != ((seg->val + pmask) & ~pmask))
			bad(ci, "sysvshm VMA of %" PRIu64
			    " bytes attaches SysV segment %d of %" PRIu64 " bytes",
			    (uint64_t)(v->end - v->start), v->shmid, seg->val);
		break;
	default:
		if (v->file_objref)
			bad(ci, "%s VMA with file_objref %u",
			    kinds[v->kind], v->file_objref);
		if (v->kind == CKPT_VMA_ANON && shared)
			bad(ci, "anon VMA is shared: that is a shmem VMA");
		break;
	}
	check_pending_file(ci, v->file_objref);

	ci->vmas = grow(ci, ci->vmas, &ci->vmas_cap, ci->vmas_nr,
			sizeof(*ci->vmas));
	ci->vmas[ci->vmas_nr].start = v->start;
	ci->vmas[ci->vmas_nr].end = v->end;
	ci->vmas[ci->vmas_nr].kind = v->kind;
	/* shared memory's pages are its object's */
	ci->vmas[ci->vmas_nr].pages = v->kind == CKPT_VMA_ANON ||
			      (v->kind == CKPT_VMA_FILE && !shared);
	ci->vmas_nr++;

	out(ci, "  %012" PRIx64 "-%012" PRIx64 " %c%c%c%c %08" PRIx64 " %s",
	    (uint64_t)v->start, (uint64_t)v->end,
	    v->flags & CKPT_VMA_READ ? 'r' : '-',
	    v->flags & CKPT_VMA_WRITE ? 'w' : '-',
	    v->flags & CKPT_VMA_EXEC ? 'x' : '-',
	    v->flags & CKPT_VMA_SHARED ? 's' : 'p',
	    (uint64_t)v->pgoff * ci->page_size, kinds[v->kind]);
	if (file)
		out(ci, " %u %s", v->file_objref, file->path ? file->path : "");
	if (shm)
		out(ci, " %u", v->file_objref);
	if (v->kind == CKPT_VMA_SYSVSHM)
		out(ci, " shmid %d", v->shmid);
	for (unsigned int i = 4; i < ARRAY_SIZE(fl); i++)
		if (v->flags & (1u << i))
			out(ci, " %s", fl[i]);
	out(ci, "\n");
	ci->left--;
}

static const struct vma_range *in_vmas(struct ckptinfo *ci, uint64_t addr)
{
	size_t lo = 0, hi = ci->vmas_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < ci->vmas[mid].start)
			hi = mid;
		else if (addr >= ci->vmas[mid].end)
			lo = mid + 1;
		else
			return &ci->vmas[mid];
	}
	return NULL;
}

static void rec_pages(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_pages *p = (void *)ci->buf;
	uint32_t n;

	need_min_len(ci, len, sizeof(*p));
	n = p->nr_pages;
	need_zero(ci, p->_pad, "_pad");
	if (n > CKPT_PAGES_BATCH)
		bad(ci, "nr_pages %u exceeds %u", n, CKPT_PAGES_BATCH);
	need_len(ci, len, sizeof(*p) + (uint64_t)n * (8 + ci->page_size));
	if (ci->in_obj_pages) {
		for (uint32_t i = 0; i < n; i++) {
			uint64_t a = p->addr[i];

			if (a & (ci->page_size - 1) || a < ci->obj_next ||
			    a >= ci->obj_size)
				bad_at(ci, ci->rec_off + sizeof(*p) + (uint64_t)i * 8,
				       "%s: offset 0x%" PRIx64
				       " unaligned, out of order or beyond the size",
				       ci->obj_name, a);
			ci->obj_next = a + ci->page_size;
		}
		if (n)
			out(ci, "  %u page%s of %s\n", n, n == 1 ? "" : "s",
			    ci->obj_name);
		else
			out(ci, "  end of the pages of %s\n", ci->obj_name);
		ci->in_obj_pages = n;
		if (!n && ci->obj_memfd) {
			ci->wants_file = ci->obj_memfd;
			ci->wants_file_kind = CKPT_OBJ_MEMFD;
		}
		ci->npages += n;
		return;
	}
	if (!n) {
		out(ci, "  end of the pages of mm %u\n", ci->mm_objref);
		ci->state = S_TASK;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = p->addr[i];
		uint64_t aoff = ci->rec_off + sizeof(*p) + (uint64_t)i * 8;
		const struct vma_range *r;

		if (a & (ci->page_size - 1))
			bad_at(ci, aoff, "page address 0x%" PRIx64 " not page aligned", a);
		if (i && a <= p->addr[i - 1])
			bad_at(ci, aoff,
			       "page address 0x%" PRIx64 " not above the previous 0x%" PRIx64, a,
			       (uint64_t)p->addr[i - 1]);
		r = in_vmas(ci, a);
		if (!r)
			bad_at(ci, aoff, "page address 0x%" PRIx64 " in no VMA",
			       a);
		if (!r->pages)
			bad_at(ci, aoff, "page address 0x%" PRIx64
			       " in a %s%s VMA, whose pages are not stored by address", a,
			       r->kind == CKPT_VMA_FILE ? "shared " : "", vma_kinds[r->kind]);
	}
	out(ci, "  %u page%s, 0x%" PRIx64 " .. 0x%" PRIx64 "\n", n,
	    n == 1 ? "" : "s", (uint64_t)p->addr[0], (uint64_t)p->addr[n - 1]);
	if (ci->verbose)
		for (uint32_t i = 0; i < n; i++)
			out(ci, "    0x%" PRIx64 "\n", (uint64_t)p->addr[i]);
	ci->npages += n;
}

static void rec_tail(struct ckptinfo *ci, uint32_t len)
{
	struct ckpt_hdr_tail *t = (void *)ci->buf;

	need_len(ci, len, sizeof(*t));
	if (t->magic != CKPT_MAGIC_TAIL)
		bad(ci, "bad tail magic 0x%016" PRIx64,
		    (uint64_t)t->magic);
	if (t->nbytes != ci->rec_off)
		bad(ci, "tail says %" PRIu64 " bytes precede it, found %"
		    PRIu64, (uint64_t)t->nbytes, ci->rec_off);
	if (t->sum1 != ci->sum.sum1 || t->sum2 != ci->sum.sum2)
		bad(ci, "checksum mismatch: tail has %016" PRIx64 ":%016"
		    PRIx64 ", data sums to %016" PRIx64 ":%016" PRIx64,
		    (uint64_t)t->sum1, (uint64_t)t->sum2, ci->sum.sum1,
		    ci->sum.sum2);
	out(ci, "  %" PRIu64 " bytes, checksum %016" PRIx64 ":%016" PRIx64
	    " OK\n", (uint64_t)t->nbytes, (uint64_t)t->sum1, (uint64_t)t->sum2);
}

/* ---- the stream ---- */

/* read exactly @len bytes or report what is missing */
static void read_rec(struct ckptinfo *ci, void *dst, size_t len, size_t have,
		     uint32_t type, uint32_t rlen)
{
	ssize_t n = ckpt_read_full(ci->in_fd, dst, len);

	if (n < 0)
		io_error(ci, "read");
	if ((size_t)n < len) {
		const char *name = ckpt_type_name(type);

		if (name)
			bad(ci, "truncated %s record: %u bytes + padding expected, %zu present",
			    name, rlen, have + (size_t)n);
		bad(ci, "truncated record header: %zu of 8 bytes present",
		    have + (size_t)n);
	}
}

/* forget the previous image (the fuzz test checks many with one ckptinfo) */
static void reset(struct ckptinfo *ci)
{
	struct ckptinfo fresh = {
		.fname = ci->fname, .quiet = ci->quiet, .verbose = ci->verbose,
		.silent = ci->silent, .msgf = ci->msgf, .in_fd = ci->in_fd,
		.buf = ci->buf, .state = S_HEADER,
	};

	for (size_t i = 0; i < ci->objs_cap; i++)
		free(ci->objs[i].path);
	free(ci->objs);
	free(ci->flying);
	free(ci->task_kinds);
	free(ci->tree_pids);
	free(ci->vmas);
	free(ci->mm_defs);
	*ci = fresh;
	ckpt_sum_init(&ci->sum);
}

/* the check of each record type */
static const struct {
	uint32_t type;
	void (*check)(struct ckptinfo *ci, uint32_t len);
} rec_checks[] = {
	{ CKPT_HDR_HEADER,		rec_header },
	{ CKPT_HDR_TREE,		rec_tree },
	{ CKPT_HDR_UTS_NS,		rec_uts_ns },
	{ CKPT_HDR_IPC_NS,		rec_ipc_ns },
	{ CKPT_HDR_IPC_SHM,		rec_ipc_shm },
	{ CKPT_HDR_IPC_SEM,		rec_ipc_sem },
	{ CKPT_HDR_IPC_MSG,		rec_ipc_msg },
	{ CKPT_HDR_MSG,			rec_msg },
	{ CKPT_HDR_TASK,		rec_task },
	{ CKPT_HDR_CREDS,		rec_creds },
	{ CKPT_HDR_RLIMITS,		rec_rlimits },
	{ CKPT_HDR_FS,			rec_fs },
	{ CKPT_HDR_SIGHAND,		rec_sighand },
	{ CKPT_HDR_SIGNAL,		rec_signal },
	{ CKPT_HDR_SIGPENDING,		rec_sigpending },
	{ CKPT_HDR_POSIX_TIMER,		rec_posix_timer },
	{ CKPT_HDR_FILE_TABLE,		rec_file_table },
	{ CKPT_HDR_FILE,		rec_file },
	{ CKPT_HDR_FD,			rec_fd },
	{ CKPT_HDR_PIPE,		rec_pipe },
	{ CKPT_HDR_SCHED,		rec_sched },
	{ CKPT_HDR_UNIX_PAIR,		rec_unix_pair },
	{ CKPT_HDR_SOCKET,		rec_socket },
	{ CKPT_HDR_MEMFD,		rec_memfd },
	{ CKPT_HDR_SHMEM,		rec_shmem },
	{ CKPT_HDR_EVENTFD,		rec_eventfd },
	{ CKPT_HDR_SIGNALFD,		rec_signalfd },
	{ CKPT_HDR_TIMERFD,		rec_timerfd },
	{ CKPT_HDR_INOTIFY,		rec_inotify },
	{ CKPT_HDR_TCP,			rec_tcp },
	{ CKPT_HDR_PTY,			rec_pty },
	{ CKPT_HDR_CTTY,		rec_ctty },
	{ CKPT_HDR_EPOLL,		rec_epoll },
	{ CKPT_HDR_FILE_LOCK,		rec_file_lock },
	{ CKPT_HDR_CPU,			rec_cpu },
	{ CKPT_HDR_XSTATE,		rec_xstate },
	{ CKPT_HDR_MM,			rec_mm },
	{ CKPT_HDR_VMA,			rec_vma },
	{ CKPT_HDR_PAGES,		rec_pages },
	{ CKPT_HDR_TAIL,		rec_tail },
};

/* every record, up to the TAIL and the end of the input */
static void check_records(struct ckptinfo *ci)
{
	for (;;) {
		struct ckpt_hdr *h = (void *)ci->buf;
		uint32_t type, len;
		uint64_t padded;
		size_t have = 0;
		ssize_t n;

		if (ci->rec_off == 0) {
			/* identify the file before trusting any length */
			n = ckpt_read_full(ci->in_fd, ci->buf, 16);
			if (n < 0)
				io_error(ci, "read");
			if (n == 0)
				bad(ci, "empty input: not a checkpoint image");
			if (n < 16)
				bad(ci, "%zd bytes: too short for a checkpoint image", n);
			if (*(uint64_t *)(ci->buf + 8) != CKPT_MAGIC_HEAD)
				bad_at(ci, 8, "bad magic 0x%016" PRIx64 ": not a checkpoint image",
				       *(uint64_t *)(ci->buf + 8));
			have = 16;
		} else {
			n = ckpt_read_full(ci->in_fd, ci->buf, 8);
			if (n < 0)
				io_error(ci, "read");
			if (n == 0)
				bad(ci, "image ends without a TAIL record (truncated)");
			if (n < 8)
				read_rec(ci, ci->buf + n, 8 - n, n, 0, 0);
			have = 8;
		}
		type = h->type;
		len = h->len;
		if (len < sizeof(*h))
			bad(ci, "record length %u is smaller than its header", len);
		if (len > CKPT_RECORD_MAX)
			bad(ci, "record length %u exceeds the limit of %u",
			    len, CKPT_RECORD_MAX);
		if (!ckpt_type_name(type))
			bad(ci, "unknown record type %u (length %u)",
			    type, len);
		padded = ckpt_padded(len);
		if (have > padded)	/* only a 8-byte HEADER */
			bad(ci, "%s record length %u, expected %zu",
			    ckpt_type_name(type), len,
			    sizeof(struct ckpt_hdr_header));
		read_rec(ci, ci->buf + have, padded - have, have, type, len);
		for (uint64_t i = len; i < padded; i++)
			if (ci->buf[i])
				bad_at(ci, ci->rec_off + i,
				       "padding byte not zero");

		check_order(ci, type);
		out(ci, "%s @%" PRIu64 " len %u\n", ckpt_type_name(type),
		    ci->rec_off, len);
		for (size_t i = 0; i < ARRAY_SIZE(rec_checks); i++)
			if (rec_checks[i].type == type)
				rec_checks[i].check(ci, len);
		settle(ci);
		ci->nrecords++;

		if (type == CKPT_HDR_TAIL) {
			char c;

			ci->rec_off += padded;
			n = ckpt_read_full(ci->in_fd, &c, 1);
			if (n < 0)
				io_error(ci, "read");
			if (n > 0)
				bad(ci, "data after the TAIL record");
			break;
		}
		ckpt_sum_update(&ci->sum, ci->buf, padded);
		ci->rec_off += padded;
	}
}

/*
 * Check the image on ci->in_fd; returns the exit status: 0 valid, 1
 * invalid (said on ci->msgf), 2 I/O error.
 */
static int check_image(struct ckptinfo *ci)
{
	reset(ci);
	if (!ci->buf)
		ci->buf = malloc(CKPT_RECORD_MAX + 8);
	if (!ci->buf) {
		fprintf(ci->msgf, PROG ": out of memory\n");
		return 2;
	}
	if (setjmp(ci->done))
		return ci->status;
	check_records(ci);
	fflush(stdout);
	if (!ci->silent)
		printf("image OK: %" PRIu64 " records, %" PRIu64 " bytes, %"
		       PRIu64 " pages\n", ci->nrecords, ci->rec_off,
		       ci->npages);
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
		"Exit status: 0 valid, 1 invalid image, 2 usage or I/O error.\n");
}

int main(int argc, char **argv)
{
	struct ckptinfo ci = { .msgf = stderr };
	int c, status;

	while ((c = getopt(argc, argv, "qvh")) != -1) {
		switch (c) {
		case 'q':
			ci.quiet = true;
			break;
		case 'v':
			ci.verbose = true;
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
	ci.fname = argv[optind];
	if (!strcmp(ci.fname, "-")) {
		ci.in_fd = STDIN_FILENO;
		ci.fname = "<stdin>";
		if (isatty(ci.in_fd)) {
			fprintf(stderr, PROG ": refusing to read an image from a terminal\n");
			return 2;
		}
	} else {
		ci.in_fd = open(ci.fname, O_RDONLY | O_CLOEXEC);
		if (ci.in_fd < 0) {
			fprintf(stderr, PROG ": %s: cannot open: %s\n",
				ci.fname, strerror(errno));
			return 2;
		}
	}
	status = check_image(&ci);
	reset(&ci);
	free(ci.buf);
	return status;
}
