/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ckpt_test.h - helpers shared by the checkpoint/restart selftests.
 *
 * The common shape of a test (self-checkpoint, no tools needed):
 *
 *	TEST_F(memory, something)
 *	{
 *		pid_t pid = ckpt_fork(_metadata, &self->c);
 *
 *		if (pid == 0) {
 *			... set up state, save what to compare in variables ...
 *			ckpt_self(&self->c);	// checkpoint side exits 0 here
 *			... restored process: CKPT_CHECK(state == saved) ...
 *			ckpt_restored_ok();	// _exit(42)
 *		}
 *		ckpt_finish(_metadata, &self->c, pid);
 *	}
 *
 * ckpt_fork() gives the child stdin = /dev/null and stdout = stderr = a
 * regular file (c->out, O_APPEND) and closes every other descriptor but
 * the image, log and out files, so that the child holds only files a
 * milestone-1 kernel can checkpoint whatever the test runner connected
 * to the test (pipes, sockets).  ckpt_finish() waits for the checkpoint
 * side to exit 0, then forks a fresh child that calls
 * restart(0, imgfd, RESTART_TASKSELF, logfd) with poisoned registers and
 * expects it to exit 42; on failure it prints the kernel log (c->log)
 * and the children's output (c->out).
 *
 * Children never use ASSERT_*()/EXPECT_*() (those longjmp into the
 * harness and would run the fixture teardown in the child); they use
 * CKPT_CHECK(), which prints to stderr (the out file) and exits 1.
 *
 * Exit codes of children: 0 checkpoint side done, 42 restored and all
 * checks passed, 1 a check failed, 100 + errno a system call failed
 * (checkpoint(2) in the checkpointing child, restart(2) in the
 * restarting child).
 */
#ifndef CKPT_TEST_H
#define CKPT_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/checkpoint.h>
#include <linux/checkpoint_hdr.h>

/* tools/ckpt/lib, found with -I$(CKPT_LIBDIR) */
#include "ckpt_image.h"

/*
 * The harness does not build with -Wextra as is: an unused parameter,
 * and TEST_F()'s setjmp() makes gcc -O2 warn that its locals "might be
 * clobbered" in every test wrapper (expanded in our files).
 */
#pragma GCC diagnostic ignored "-Wclobbered"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#if !defined(__x86_64__)
#error "checkpoint/restart selftests are x86-64 only"
#endif

/*
 * The VM runs under TCG, about ten times slower than native: give each
 * test more than the harness' default 30 s (the whole binary has the
 * settings file's 300 s).
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 120

#ifndef __NR_checkpoint
#define __NR_checkpoint 463
#endif
#ifndef __NR_restart
#define __NR_restart 464
#endif

#define CKPT_EXIT_RESTORED	42
#define CKPT_EXIT_FAIL		1
#define CKPT_EXIT_ERRNO		100

#define CKPT_PREFIX_LEN		96
#define CKPT_PATH_LEN		160
#define CKPT_MAX_TMP		16

static inline long sys_checkpoint(pid_t pid, int fd, unsigned long flags,
				  int logfd)
{
	return syscall(__NR_checkpoint, pid, fd, flags, logfd);
}

static inline long sys_restart(pid_t pid, int fd, unsigned long flags,
			       int logfd)
{
	return syscall(__NR_restart, pid, fd, flags, logfd);
}

static inline int ckpt_errno_exit(int err)
{
	return (err > 0 && err < 255 - CKPT_EXIT_ERRNO) ?
		CKPT_EXIT_ERRNO + err : 99;
}

/* The exit status a child reports for a failed call with errno @err */
#define CKPT_ERRNO_STATUS(err)	(ckpt_errno_exit(err) << 8)

/* A check in a child process: print why on stderr, exit 1. */
#define CKPT_CHECK(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		dprintf(2, "%s:%d: check failed: %s: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
		_exit(CKPT_EXIT_FAIL);					\
	}								\
} while (0)

/* A system call in a child that must succeed. */
#define CKPT_SYS(call) ({						\
	long __r = (long)(call);					\
	if (__r == -1) {						\
		int __e = errno;					\
		dprintf(2, "%s:%d: %s: %s\n", __FILE__, __LINE__,	\
			#call, strerror(__e));				\
		_exit(CKPT_EXIT_FAIL);					\
	}								\
	__r;								\
})

static inline void __attribute__((noreturn)) ckpt_restored_ok(void)
{
	_exit(CKPT_EXIT_RESTORED);
}

/* ---------------------------------------------------------------- */
/* Per-test context: image, log and output files, temporary paths    */
/* ---------------------------------------------------------------- */

struct ckpt_ctx {
	char prefix[CKPT_PREFIX_LEN];
	char img[CKPT_PATH_LEN];	/* the image */
	char log[CKPT_PATH_LEN];	/* logfd of both system calls */
	char out[CKPT_PATH_LEN];	/* stdout/stderr of the children */
	int imgfd, logfd, outfd;
	int ntmp;
	char tmp[CKPT_MAX_TMP][CKPT_PATH_LEN];
	bool tmp_dir[CKPT_MAX_TMP];
};

static inline const char *ckpt_tmpdir(void)
{
	const char *d = getenv("CKPT_TMPDIR");

	return (d && *d) ? d : "/tmp";
}

/*
 * A temporary path "<dir>/ckpt-<test>-<pid>-<name>" (dir NULL: the
 * temporary directory) removed (unlink or rmdir) by the fixture
 * teardown, in reverse order of registration.
 */
static inline const char *ckpt_tmp_path_in(struct ckpt_ctx *c,
					   const char *dir, const char *name)
{
	char *p;

	if (c->ntmp >= CKPT_MAX_TMP)
		abort();
	p = c->tmp[c->ntmp];
	if (dir)
		snprintf(p, CKPT_PATH_LEN, "%.40s/ckpt-%.40s-%d-%.40s", dir,
			 program_invocation_short_name, getpid(), name);
	else
		snprintf(p, CKPT_PATH_LEN, "%.40s/ckpt-%.40s-%d-%.40s",
			 ckpt_tmpdir(), program_invocation_short_name,
			 getpid(), name);
	c->tmp_dir[c->ntmp] = false;
	c->ntmp++;
	return p;
}

static inline const char *ckpt_tmp_path(struct ckpt_ctx *c, const char *name)
{
	return ckpt_tmp_path_in(c, NULL, name);
}

static inline const char *ckpt_tmp_dir(struct ckpt_ctx *c, const char *name)
{
	const char *p = ckpt_tmp_path(c, name);

	c->tmp_dir[c->ntmp - 1] = true;
	if (mkdir(p, 0755) && errno != EEXIST)
		return NULL;
	return p;
}

/*
 * Skip when the kernel has no checkpoint(2).  463/464 are only free up
 * to Linux 6.12 (later kernels use them for setxattrat/getxattrat), so
 * do not call them blindly on a newer kernel unless CKPT_FORCE_SYSCALLS
 * is set.
 */
static inline void ckpt_probe(struct __test_metadata *_metadata)
{
	const char *force = getenv("CKPT_FORCE_SYSCALLS");
	unsigned int major = 0, minor = 0;
	struct utsname u;

	if (!(force && *force && strcmp(force, "0")) && !uname(&u) &&
	    sscanf(u.release, "%u.%u", &major, &minor) == 2 &&
	    (major > 6 || (major == 6 && minor > 12)))
		SKIP(return, "kernel %s: syscalls 463/464 are not checkpoint/restart",
		     u.release);
	/* Invalid flags: no side effect, EINVAL if the syscall exists. */
	if (sys_checkpoint(0, -1, ~0UL, -1) == -1 && errno == ENOSYS)
		SKIP(return, "kernel without checkpoint(2)");
}

static inline void ckpt_ctx_init(struct __test_metadata *_metadata,
				 struct ckpt_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->imgfd = -1;
	c->logfd = -1;
	c->outfd = -1;
	ckpt_probe(_metadata);
	if (_metadata->exit_code)
		return;
	snprintf(c->prefix, sizeof(c->prefix), "%.40s/ckpt-%.40s-%d",
		 ckpt_tmpdir(), program_invocation_short_name, getpid());
	snprintf(c->img, sizeof(c->img), "%s.img", c->prefix);
	snprintf(c->log, sizeof(c->log), "%s.log", c->prefix);
	snprintf(c->out, sizeof(c->out), "%s.out", c->prefix);
	c->imgfd = open(c->img, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_GE(c->imgfd, 0) TH_LOG("open %s: %s", c->img, strerror(errno));
	c->logfd = open(c->log, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	ASSERT_GE(c->logfd, 0) TH_LOG("open %s: %s", c->log, strerror(errno));
	c->outfd = open(c->out, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
	ASSERT_GE(c->outfd, 0) TH_LOG("open %s: %s", c->out, strerror(errno));
}

static inline void ckpt_ctx_fini(struct ckpt_ctx *c)
{
	int i;

	if (c->imgfd >= 0)
		close(c->imgfd);
	if (c->logfd >= 0)
		close(c->logfd);
	if (c->outfd >= 0)
		close(c->outfd);
	if (!c->prefix[0])
		return;
	if (!getenv("CKPT_KEEP_FILES")) {
		unlink(c->img);
		unlink(c->log);
		unlink(c->out);
	}
	for (i = c->ntmp - 1; i >= 0; i--) {
		if (c->tmp_dir[i])
			rmdir(c->tmp[i]);
		else
			unlink(c->tmp[i]);
	}
}

/* The fixture of every test file: a struct ckpt_ctx, set up per test. */
#define CKPT_FIXTURE(name)						\
	FIXTURE(name) {							\
		struct ckpt_ctx c;					\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		ckpt_ctx_init(_metadata, &self->c);			\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		ckpt_ctx_fini(&self->c);				\
	}

/* ---------------------------------------------------------------- */
/* Small I/O helpers usable in any process (no stdio, no malloc)     */
/* ---------------------------------------------------------------- */

static inline ssize_t ckpt_read_fd(int fd, void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, (char *)buf + done, size - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static inline ssize_t ckpt_write_fd(int fd, const void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = write(fd, (const char *)buf + done, size - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += n;
	}
	return done;
}

/* Read a whole (small) file into buf, NUL terminated; -1 on error. */
/* Size of the file open at @fd (the log grows by a line per failure). */
static inline off_t ckpt_file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

static inline ssize_t ckpt_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = ckpt_read_fd(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static inline int ckpt_write_file(const char *path, const void *buf,
				  size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	if (ckpt_write_fd(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* A whole file in a malloc'ed buffer (parent side only). */
static inline void *ckpt_load(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf || ckpt_read_fd(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

static inline uint64_t ckpt_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void ckpt_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---------------------------------------------------------------- */
/* Deterministic memory patterns                                      */
/* ---------------------------------------------------------------- */

static inline uint64_t ckpt_pattern(uint64_t seed, uint64_t i)
{
	uint64_t z = seed + (i + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) | 1;	/* never a zero word */
}

static inline void ckpt_fill(void *p, size_t len, uint64_t seed)
{
	volatile uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = ckpt_pattern(seed, i);
}

/* Offset of the first word that differs from the pattern, or -1. */
static inline ssize_t ckpt_verify(const void *p, size_t len, uint64_t seed)
{
	const volatile uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != ckpt_pattern(seed, i))
			return i * 8;
	return -1;
}

/* Offset of the first non-zero byte, or -1. */
static inline ssize_t ckpt_verify_zero(const void *p, size_t len)
{
	const volatile unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return i;
	return -1;
}

/* ---------------------------------------------------------------- */
/* CPU features                                                       */
/* ---------------------------------------------------------------- */

static inline bool ckpt_cpu_has_avx(void)
{
	unsigned int eax, ebx, ecx, edx;
	uint32_t lo, hi;

	__cpuid_count(1, 0, eax, ebx, ecx, edx);
	(void)eax; (void)ebx; (void)edx;
	if (!(ecx & (1u << 27)) || !(ecx & (1u << 28)))	/* OSXSAVE, AVX */
		return false;
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	(void)hi;
	return (lo & 6) == 6;				/* XCR0: SSE and YMM */
}

/* ---------------------------------------------------------------- */
/* Child setup                                                        */
/* ---------------------------------------------------------------- */

/*
 * Make the calling child checkpointable by a milestone-1 kernel:
 * stdin /dev/null, stdout and stderr the out file, and no descriptor
 * besides the image, log and out files and the @nkeep in @keep.
 */
static inline void ckpt_child_stdio(struct ckpt_ctx *c, const int *keep,
				    int nkeep)
{
	int fd, i, nul;

	nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		_exit(CKPT_EXIT_FAIL);
	if (dup2(nul, 0) < 0 || dup2(c->outfd, 1) < 0 || dup2(c->outfd, 2) < 0)
		_exit(CKPT_EXIT_FAIL);
	for (fd = 3; fd < 1024; fd++) {
		bool k = fd == c->imgfd || fd == c->logfd || fd == c->outfd;

		for (i = 0; i < nkeep; i++)
			k |= fd == keep[i];
		if (!k)
			close(fd);
	}
	syscall(SYS_close_range, 1024U, ~0U, 0U);
}

/* fork() a child prepared by ckpt_child_stdio(); returns 0 in the child. */
static inline pid_t ckpt_fork_keep(struct __test_metadata *_metadata,
				   struct ckpt_ctx *c, const int *keep,
				   int nkeep)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0) TH_LOG("fork: %s", strerror(errno));
	if (pid == 0)
		ckpt_child_stdio(c, keep, nkeep);
	return pid;
}

static inline pid_t ckpt_fork(struct __test_metadata *_metadata,
			      struct ckpt_ctx *c)
{
	return ckpt_fork_keep(_metadata, c, NULL, 0);
}

/*
 * Self-checkpoint point, in a child made by ckpt_fork(): the checkpoint
 * side exits 0, a failed checkpoint exits 100 + errno, and the call
 * returns only in the restored process (where checkpoint(2) returned 0).
 */
static inline void ckpt_self_flags(struct ckpt_ctx *c, unsigned long flags)
{
	pid_t me = getpid();
	long r = sys_checkpoint(0, c->imgfd, flags, c->logfd);

	if (r > 0)
		_exit(0);
	/* -1 in a process restored under another pid is not our errno */
	if (r == -1 && getpid() == me) {
		int e = errno;

		dprintf(2, "checkpoint(0): %s\n", strerror(e));
		_exit(ckpt_errno_exit(e));
	}
	/* no errno: a restored process handed a return value not its own */
	if (r < 0) {
		dprintf(2, "checkpoint(0) returned %ld\n", r);
		_exit(CKPT_EXIT_FAIL);
	}
}

static inline void ckpt_self(struct ckpt_ctx *c)
{
	ckpt_self_flags(c, 0);
}

/* ---------------------------------------------------------------- */
/* Waiting and reporting (parent side)                                */
/* ---------------------------------------------------------------- */

/*
 * waitpid() until @pid exits or is killed.  A child reported stopped is
 * continued: whether a task checkpointed while stopped comes back
 * stopped is not what these tests are about.
 */
static inline int ckpt_wait_exit(pid_t pid)
{
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WUNTRACED);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (WIFSTOPPED(st)) {
			kill(pid, SIGCONT);
			continue;
		}
		return st;
	}
}

static inline const char *ckpt_status_str(int st, char *buf, size_t n)
{
	if (st == -1) {
		snprintf(buf, n, "waitpid failed");
	} else if (WIFEXITED(st)) {
		int code = WEXITSTATUS(st);

		if (code == CKPT_EXIT_RESTORED)
			snprintf(buf, n, "exited 42 (restored, checks passed)");
		else if (code > CKPT_EXIT_ERRNO && code < 255)
			snprintf(buf, n, "exited %d (errno %d: %s)", code,
				 code - CKPT_EXIT_ERRNO,
				 strerror(code - CKPT_EXIT_ERRNO));
		else if (code == CKPT_EXIT_FAIL)
			snprintf(buf, n, "exited 1 (a check failed)");
		else
			snprintf(buf, n, "exited %d", code);
	} else if (WIFSIGNALED(st)) {
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	} else {
		snprintf(buf, n, "status 0x%x", st);
	}
	return buf;
}

static inline void ckpt_show_file(struct __test_metadata *_metadata,
				  const char *label, const char *path)
{
	char buf[8192], *line, *save = NULL;
	ssize_t n = ckpt_read_file(path, buf, sizeof(buf));

	if (n <= 0) {
		TH_LOG("%s: %s", label, n < 0 ? strerror(errno) : "(empty)");
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		TH_LOG("%s: %s", label, line);
}

static inline void ckpt_show(struct __test_metadata *_metadata,
			     struct ckpt_ctx *c)
{
	ckpt_show_file(_metadata, "kernel log", c->log);
	ckpt_show_file(_metadata, "child output", c->out);
}

/*
 * In a child: become @uid (groups and gid too), dumpable, still able to
 * reopen the output file its stdio is on once restored.
 */
static inline void ckpt_become_user(struct ckpt_ctx *c, uid_t uid)
{
	CKPT_SYS(fchown(c->outfd, uid, uid));
	CKPT_SYS(setgroups(0, NULL));
	CKPT_SYS(setresgid(uid, uid, uid));
	CKPT_SYS(setresuid(uid, uid, uid));
	CKPT_SYS(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
}

/* Wait for the checkpointing child: it must exit 0. */
static inline void ckpt_checkpointed(struct __test_metadata *_metadata,
				     struct ckpt_ctx *c, pid_t pid)
{
	char buf[128];
	int st = ckpt_wait_exit(pid);

	ASSERT_EQ(0, st) {
		TH_LOG("checkpointing child %s",
		       ckpt_status_str(st, buf, sizeof(buf)));
		ckpt_show(_metadata, c);
	}
}

#define CKPT_POISON_GPRS						\
	"movabs $0xbad0bad0bad00b0b, %%rbx\n\t"				\
	"movabs $0xbad0bad0bad00808, %%r8\n\t"				\
	"movabs $0xbad0bad0bad00909, %%r9\n\t"				\
	"movabs $0xbad0bad0bad00c0c, %%r12\n\t"				\
	"movabs $0xbad0bad0bad00d0d, %%r13\n\t"				\
	"movabs $0xbad0bad0bad00e0e, %%r14\n\t"				\
	"movabs $0xbad0bad0bad00f0f, %%r15\n\t"

#define CKPT_XMM_CLOBBERS						\
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",	\
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

#define CKPT_LOAD_YMM16							\
	"vmovdqu %[p], %%ymm0\n\tvmovdqu %[p], %%ymm1\n\t"		\
	"vmovdqu %[p], %%ymm2\n\tvmovdqu %[p], %%ymm3\n\t"		\
	"vmovdqu %[p], %%ymm4\n\tvmovdqu %[p], %%ymm5\n\t"		\
	"vmovdqu %[p], %%ymm6\n\tvmovdqu %[p], %%ymm7\n\t"		\
	"vmovdqu %[p], %%ymm8\n\tvmovdqu %[p], %%ymm9\n\t"		\
	"vmovdqu %[p], %%ymm10\n\tvmovdqu %[p], %%ymm11\n\t"		\
	"vmovdqu %[p], %%ymm12\n\tvmovdqu %[p], %%ymm13\n\t"		\
	"vmovdqu %[p], %%ymm14\n\tvmovdqu %[p], %%ymm15\n\t"

#define CKPT_LOAD_XMM16							\
	"movdqu %[p], %%xmm0\n\tmovdqu %[p], %%xmm1\n\t"		\
	"movdqu %[p], %%xmm2\n\tmovdqu %[p], %%xmm3\n\t"		\
	"movdqu %[p], %%xmm4\n\tmovdqu %[p], %%xmm5\n\t"		\
	"movdqu %[p], %%xmm6\n\tmovdqu %[p], %%xmm7\n\t"		\
	"movdqu %[p], %%xmm8\n\tmovdqu %[p], %%xmm9\n\t"		\
	"movdqu %[p], %%xmm10\n\tmovdqu %[p], %%xmm11\n\t"		\
	"movdqu %[p], %%xmm12\n\tmovdqu %[p], %%xmm13\n\t"		\
	"movdqu %[p], %%xmm14\n\tmovdqu %[p], %%xmm15\n\t"

static const uint8_t ckpt_poison_bytes[32] __attribute__((aligned(32))) = {
	[0 ... 31] = 0xa5
};

/*
 * restart(0, fd, flags, logfd) with the callee-saved and argument-free
 * registers, all xmm (and ymm when the CPU has AVX) registers and the
 * x87 stack loaded with garbage, so that state the kernel fails to
 * restore shows up as garbage in the restored process instead of
 * leaking through from the restarting process.  Returns the raw result
 * (-errno) when restart(2) returns.
 */
static long __attribute__((noinline, unused))
ckpt_restart_poisoned(int fd, unsigned long flags, int logfd)
{
	bool avx = ckpt_cpu_has_avx();

	/* restart(2)'s registers, set after the last call before the asm */
	register long rax asm("rax") = __NR_restart;
	register long rdi asm("rdi") = 0;
	register long rsi asm("rsi") = fd;
	register long rdx asm("rdx") = (long)flags;
	register long r10 asm("r10") = logfd;

	if (avx)
		asm volatile(CKPT_LOAD_YMM16
			     CKPT_POISON_GPRS
			     "fldpi\n\t"
			     "syscall\n\t"
			     "fstp %%st(0)\n\t"
			     : "+a"(rax)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10),
			       [p] "m"(ckpt_poison_bytes)
			     : "rbx", "rcx", "r8", "r9", "r11", "r12", "r13",
			       "r14", "r15", "memory", CKPT_XMM_CLOBBERS);
	else
		asm volatile(CKPT_LOAD_XMM16
			     CKPT_POISON_GPRS
			     "fldpi\n\t"
			     "syscall\n\t"
			     "fstp %%st(0)\n\t"
			     : "+a"(rax)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10),
			       [p] "m"(ckpt_poison_bytes)
			     : "rbx", "rcx", "r8", "r9", "r11", "r12", "r13",
			       "r14", "r15", "memory", CKPT_XMM_CLOBBERS);
	return rax;
}

/*
 * Fork a child that restores the image read from @fd (from its current
 * offset) into itself with @flags; returns the child's pid.  If
 * restart(2) returns, the child exits 100 + errno.
 */
static inline pid_t ckpt_restart_fork(struct __test_metadata *_metadata,
				      struct ckpt_ctx *c, int fd,
				      unsigned long flags)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0) TH_LOG("fork: %s", strerror(errno));
	if (pid == 0) {
		long r = ckpt_restart_poisoned(fd, flags, c->logfd);

		dprintf(c->outfd, "restart(2) returned %ld\n", r);
		_exit(r < 0 ? ckpt_errno_exit(-r) : 99);
	}
	return pid;
}

/* Restore the image in @fd (rewound to 0) in a child; its wait status. */
static inline int ckpt_restore_fd(struct __test_metadata *_metadata,
				  struct ckpt_ctx *c, int fd)
{
	pid_t pid;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	pid = ckpt_restart_fork(_metadata, c, fd, RESTART_TASKSELF);
	return ckpt_wait_exit(pid);
}

/* Restore the image file @path in a child; its wait status. */
static inline int ckpt_restore_path(struct __test_metadata *_metadata,
				    struct ckpt_ctx *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int st;

	if (fd < 0)
		return -1;
	st = ckpt_restore_fd(_metadata, c, fd);
	close(fd);
	return st;
}

static inline void ckpt_expect_restored(struct __test_metadata *_metadata,
					struct ckpt_ctx *c, int st)
{
	char buf[128];

	ASSERT_EQ(CKPT_EXIT_RESTORED << 8, st) {
		TH_LOG("restored process %s",
		       ckpt_status_str(st, buf, sizeof(buf)));
		ckpt_show(_metadata, c);
	}
}

/* The whole self-checkpoint cycle, parent side. */
static inline void ckpt_finish(struct __test_metadata *_metadata,
			       struct ckpt_ctx *c, pid_t pid)
{
	int st;

	ckpt_checkpointed(_metadata, c, pid);
	st = ckpt_restore_fd(_metadata, c, c->imgfd);
	ckpt_expect_restored(_metadata, c, st);
}

/*
 * Make an image of a child that, once restored, exits 42; check that
 * the intact image does restore (so that failures of mutated copies are
 * meaningful).  The image stays in c->img.
 */
static inline void ckpt_make_image(struct __test_metadata *_metadata,
				   struct ckpt_ctx *c)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		static char data[3 * 4096];

		ckpt_fill(data, sizeof(data), 0x1234);
		ckpt_self(c);
		CKPT_CHECK(ckpt_verify(data, sizeof(data), 0x1234) < 0, "data");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, c, pid);
}

/* ---------------------------------------------------------------- */
/* Other processes: /proc, stop, kill                                 */
/* ---------------------------------------------------------------- */

/* State letter of /proc/PID/stat, 0 if gone. */
static inline char ckpt_proc_state(pid_t pid)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (ckpt_read_file(path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	return p[2];
}

/* Number of the syscall PID is blocked in, -1 if running or unknown. */
static inline long ckpt_proc_syscall(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	if (ckpt_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	return strtol(buf, NULL, 10);
}

static inline bool ckpt_proc_comm_is(pid_t pid, const char *comm)
{
	char path[64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	n = ckpt_read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return false;
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return !strcmp(buf, comm);
}

/*
 * Wait up to @ms milliseconds until @pid has command name @comm (if not
 * NULL), is sleeping (state S) and, if @nr >= 0, is blocked in system
 * call @nr.  A stopped task is continued.  Returns true when reached.
 */
static inline bool ckpt_wait_blocked(pid_t pid, const char *comm, long nr,
				     unsigned int ms)
{
	uint64_t end = ckpt_now_ns(CLOCK_MONOTONIC) + ms * 1000000ULL;

	do {
		char s = ckpt_proc_state(pid);

		if (s == 'T' && (!comm || ckpt_proc_comm_is(pid, comm)))
			kill(pid, SIGCONT);
		if (s == 'S' && (!comm || ckpt_proc_comm_is(pid, comm)) &&
		    (nr < 0 || ckpt_proc_syscall(pid) == nr))
			return true;
		if (!s || s == 'Z' || s == 'X')
			return false;
		ckpt_msleep(10);
	} while (ckpt_now_ns(CLOCK_MONOTONIC) < end);
	return false;
}

/* SIGSTOP @pid (our child) and wait until it is stopped. */
static inline void ckpt_stop(struct __test_metadata *_metadata, pid_t pid)
{
	int st = 0;

	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ(pid, waitpid(pid, &st, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(st)) TH_LOG("status 0x%x", st);
	ASSERT_EQ('T', ckpt_proc_state(pid));
}

/* SIGKILL @pid (our child) and reap it. */
static inline void ckpt_kill(struct __test_metadata *_metadata, pid_t pid)
{
	int st = 0;

	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		TH_LOG("status 0x%x", st);
}

/* checkpoint(2) of another (stopped) process into c->imgfd. */
static inline long ckpt_other(struct __test_metadata *_metadata,
			      struct ckpt_ctx *c, pid_t pid)
{
	long id;

	ASSERT_EQ(0, ftruncate(c->imgfd, 0));
	ASSERT_EQ(0, lseek(c->imgfd, 0, SEEK_SET));
	id = sys_checkpoint(pid, c->imgfd, 0, c->logfd);
	if (id <= 0) {
		TH_LOG("checkpoint(%d): %s", pid, strerror(errno));
		ckpt_show(_metadata, c);
	}
	ASSERT_GT(id, 0);
	return id;
}

/* Does the text mention @num as a whole number (not inside another)? */
static inline bool ckpt_mentions_number(const char *text, long num)
{
	char want[32];
	const char *p = text;
	size_t n;

	snprintf(want, sizeof(want), "%ld", num);
	n = strlen(want);
	while ((p = strstr(p, want))) {
		bool before = p == text || p[-1] < '0' || p[-1] > '9';
		bool after = p[n] < '0' || p[n] > '9';

		if (before && after)
			return true;
		p += n;
	}
	return false;
}

/* ---------------------------------------------------------------- */
/* The userspace tools                                                */
/* ---------------------------------------------------------------- */

static inline bool ckpt_have_tool(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name);
		if (len && !access(buf, X_OK))
			return true;
		path += len + (end ? 1 : 0);
	}
	return false;
}

/*
 * Start a tool with stdin /dev/null and stdout/stderr appended to the
 * out file, no other descriptor; returns its pid.
 */
static inline pid_t ckpt_spawn(struct __test_metadata *_metadata,
			       struct ckpt_ctx *c, char *const argv[])
{
	pid_t pid;
	int i;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		dprintf(c->outfd, "$");
		for (i = 0; argv[i]; i++)
			dprintf(c->outfd, " %s", argv[i]);
		dprintf(c->outfd, "\n");
		ckpt_child_stdio(c, NULL, 0);
		syscall(SYS_close_range, 3U, ~0U, 0U);
		execvp(argv[0], argv);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

/* Run a tool to completion; its wait status. */
static inline int ckpt_run(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c, char *const argv[])
{
	return ckpt_wait_exit(ckpt_spawn(_metadata, c, argv));
}

/* ---------------------------------------------------------------- */
/* Image parsing                                                      */
/* ---------------------------------------------------------------- */

/* walking records, the checksum, ckpt_reseal(): ckpt_image.h */

/* Offset of the @idx-th record (0 = header) or of the first of @type. */
static inline ssize_t ckpt_record_offset(const void *img, size_t len,
					 int idx, int type)
{
	const struct ckpt_hdr *h;
	struct ckpt_iter it;
	int i = 0;

	ckpt_iter_init(&it, img, len);
	while ((h = ckpt_iter_next(&it))) {
		if ((type < 0 && i == idx) || (type >= 0 && (int)h->type == type))
			return it.off;
		i++;
	}
	return -1;
}

static inline int ckpt_count_records(const void *img, size_t len)
{
	struct ckpt_iter it;
	int n = 0;

	ckpt_iter_init(&it, img, len);
	while (ckpt_iter_next(&it))
		n++;
	return n;
}

/*
 * Is @st what a rejected image may produce: restart(2) returned one of
 * the errnos in @errs (0-terminated) or, past the point of no return,
 * the child was killed by SIGKILL (if @kill_ok)?
 */
static inline bool ckpt_rejected(int st, const int *errs, bool kill_ok)
{
	int i;

	if (kill_ok && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		return true;
	for (i = 0; errs[i]; i++)
		if (st == CKPT_ERRNO_STATUS(errs[i]))
			return true;
	return false;
}

/*
 * Tree tests run a workload, checkpoint --kill it with the tools, make
 * the "go" file and restart it; the workload waits for the go file,
 * which only exists after restart, then checks its state.
 */
static const char *ckpt_go_path __attribute__((unused));

static inline bool ckpt_go(void)
{
	return access(ckpt_go_path, F_OK) == 0;
}

/* In a task of the workload: wait for the go file (only after restart). */
static inline void ckpt_wait_go(void)
{
	while (!ckpt_go())
		usleep(2000);
}

/* Fork the workload of a tree test; its go file is not there yet. */
static inline pid_t ckpt_fork_workload(struct __test_metadata *_metadata,
				       struct ckpt_ctx *c)
{
	ckpt_go_path = ckpt_tmp_path(c, "go");
	return ckpt_fork(_metadata, c);
}

/* checkpoint --kill the tree at @pid, reap it, make the go file. */
static inline int ckpt_checkpoint_kill(struct __test_metadata *_metadata,
				       struct ckpt_ctx *c, pid_t pid)
{
	char spid[16];
	char *const ck[] = { "checkpoint", "--kill", "-o", c->img, spid, NULL };
	int st;

	snprintf(spid, sizeof(spid), "%d", pid);
	st = ckpt_run(_metadata, c, ck);
	EXPECT_EQ(0, st) {
		ckpt_show(_metadata, c);
		kill(pid, SIGKILL);
	}
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, ckpt_write_file(ckpt_go_path, "go", 2, 0644));
	return st;
}

/* ckpt_checkpoint_kill(), then restart the image; restart's status. */
static inline int ckpt_cycle(struct __test_metadata *_metadata,
			     struct ckpt_ctx *c, pid_t pid,
			     const char *restart_opt)
{
	char *const rs[] = { "restart", "-i", c->img, (char *)restart_opt, NULL };

	ckpt_checkpoint_kill(_metadata, c, pid);
	return ckpt_run(_metadata, c, rs);
}

/* 0: the state is set up; an errno: this kernel or VM cannot make it. */
typedef int (*ckpt_setup_fn)(struct ckpt_ctx *c);

/* Does the fdinfo of one of @pid's fds say it cannot be checkpointed? */
static inline bool ckpt_fdinfo_refuses(pid_t pid)
{
	char dir[64], path[384], text[4096];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", pid);
	d = opendir(dir);
	while (d && !found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		found = ckpt_read_file(path, text, sizeof(text)) > 0 &&
			strstr(text, "checkpointable:\t0");
	}
	if (d)
		closedir(d);
	return found;
}

/*
 * A child that makes some state with @setup (keeping @keep open too, if
 * not -1) and pauses, stopped: /proc/PID/checkpointable must say 0 (and,
 * if @fd_state, the fdinfo of one of its fds), and checkpoint(2) fail
 * with @err, a log line holding @word, leaving the target stopped as it
 * was.  Skipped if @setup cannot make the state here.
 */
static inline void ckpt_expect_refused(struct __test_metadata *_metadata,
				       struct ckpt_ctx *c,
				       ckpt_setup_fn setup, int keep, int err,
				       const char *word, bool fd_state)
{
	char proc[64], text[4096];
	int sync[2], keeps[2], made = -1;
	off_t before;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(0, pipe(sync));
	keeps[0] = sync[1];
	keeps[1] = keep;
	pid = ckpt_fork_keep(_metadata, c, keeps, keep < 0 ? 1 : 2);
	if (pid == 0) {
		int e = setup(c);

		if (write(sync[1], &e, sizeof(e)) != sizeof(e))
			_exit(1);
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	ASSERT_EQ((ssize_t)sizeof(made), read(sync[0], &made, sizeof(made)));
	close(sync[0]);
	if (made) {
		ckpt_kill(_metadata, pid);
		SKIP(return, "cannot make the state here: %s", strerror(made));
	}
	ckpt_stop(_metadata, pid);

	snprintf(proc, sizeof(proc), "/proc/%d/checkpointable", pid);
	n = ckpt_read_file(proc, text, sizeof(text));
	ASSERT_GT(n, 0);
	EXPECT_NE(NULL, strstr(text, "checkpointable:\t0")) TH_LOG("%s", text);
	if (fd_state)
		EXPECT_TRUE(ckpt_fdinfo_refuses(pid));

	before = ckpt_file_size(c->logfd);
	ASSERT_EQ(0, ftruncate(c->imgfd, 0));
	EXPECT_EQ(-1, sys_checkpoint(pid, c->imgfd, 0, c->logfd));
	EXPECT_EQ(err, errno) TH_LOG("%s", strerror(errno));
	n = pread(c->logfd, text, sizeof(text) - 1,
		  before < ckpt_file_size(c->logfd) ? before : 0);
	ASSERT_GT(n, 0) TH_LOG("nothing logged");
	text[n] = '\0';
	EXPECT_NE(NULL, strstr(text, word)) TH_LOG("log: %s", text);
	/* a refused checkpoint leaves the target as it was */
	EXPECT_EQ('T', ckpt_proc_state(pid));
	ckpt_kill(_metadata, pid);
}

/*
 * In a test: whether the checkpoint and restart tools are in PATH.  If
 * not, the test is marked skipped: return from it.
 */
static inline bool ckpt_need_tools(struct __test_metadata *_metadata)
{
	if (!ckpt_have_tool("checkpoint") || !ckpt_have_tool("restart"))
		SKIP(return false, "the checkpoint and restart tools are not in PATH");
	return true;
}

#endif /* CKPT_TEST_H */
