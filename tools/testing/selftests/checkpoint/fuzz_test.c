// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile images: restart(2) is fed good images with one field changed
 * and the checksum made to fit again, so that every mutant reaches the
 * checks of the record it hits instead of being caught by the tail.
 *
 * A mutant may be refused (an errno, with a reason in the log), killed
 * past the point of no return, restored and then crash or misbehave in
 * user space (its state is what the image said), or even run correctly
 * (a field that only changes, say, a timer's expiry).  What it may not
 * do is crash or WARN the kernel (the runner fails on any such console
 * line), leave a task that SIGKILL cannot end, or return an errno
 * without saying why.  Each mutant runs in a pid namespace of its own,
 * so whatever it restored dies with the namespace's init.
 *
 * The mutations are drawn from a fixed seed: a failure reproduces with
 * the same binary.  CKPT_FUZZ_SEED and CKPT_FUZZ_ITERS choose others;
 * CKPT_FUZZ_VERBOSE=1 tells what became of each mutant.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include "ckpt_test.h"

CKPT_FIXTURE(fuzz);

/* ---- mutations ---- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* A record of the image and how many of its first bytes are fields. */
struct span {
	size_t off, len;
	uint32_t type;
};

/*
 * The records of @img: all of each record, but of a PAGES record only
 * its header and address array (its page data is checked by nothing
 * but the checksum, and corrupt data is still a valid image).
 */
static int image_spans(const char *img, size_t len, struct span **spans)
{
	const struct ckpt_hdr *h;
	struct ckpt_iter it;
	int n = 0, max = 0;

	*spans = NULL;
	ckpt_iter_init(&it, img, len);
	while ((h = ckpt_iter_next(&it))) {
		struct span s = { it.off, h->len, h->type };

		if (h->type == CKPT_HDR_PAGES) {
			const struct ckpt_hdr_pages *p = (const void *)h;

			s.len = sizeof(*p) + (size_t)p->nr_pages * 8;
		}
		if (n == max) {
			max = max ? 2 * max : 64;
			*spans = realloc(*spans, max * sizeof(**spans));
			if (!*spans)
				return -1;
		}
		(*spans)[n++] = s;
	}
	return it.fault ? -1 : n;
}

static const uint32_t odd32[] = {
	0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static const uint64_t odd64[] = {
	0, 1, 0x1000, 0xffffffffULL, 0x100000000ULL, 0x7ffffffff000ULL,
	0x800000000000ULL, 0xffff800000000000ULL, 0x7fffffffffffffffULL,
	0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};

/*
 * Change one field of one record of @img (chosen by record, so small
 * records are hit as often as big ones) and say what in @what.
 */
static void mutate(char *img, const struct span *spans, int nspans,
		   uint64_t *rng, char *what, size_t wlen)
{
	const struct span *s = &spans[rng_next(rng) % nspans];
	uint64_t r = rng_next(rng);
	size_t at = s->off + r % s->len;
	uint32_t v32;
	uint64_t v64;

	r = rng_next(rng);
	switch (r % 5) {
	case 0:		/* one bit */
		img[at] ^= 1 << (r >> 8) % 8;
		snprintf(what, wlen, "type %u +%zu: bit %u", s->type,
			 at - s->off, (unsigned int)((r >> 8) % 8));
		return;
	case 1:		/* an odd 32-bit value */
		at &= ~3UL;
		v32 = odd32[(r >> 8) % ARRAY_SIZE(odd32)];
		break;
	case 2:		/* a small step up or down */
		at &= ~3UL;
		memcpy(&v32, img + at, 4);
		v32 += (r >> 8) & 1 ? 1 + (r >> 9) % 4 : -(1 + (r >> 9) % 4);
		break;
	case 3:		/* an odd 64-bit value */
		at &= ~7UL;
		if (at + 8 > s->off + s->len)
			at = s->off + (s->len & ~7UL) - 8;
		v64 = odd64[(r >> 8) % ARRAY_SIZE(odd64)];
		memcpy(img + at, &v64, 8);
		snprintf(what, wlen, "type %u +%zu: u64 %#llx", s->type,
			 at - s->off, (unsigned long long)v64);
		return;
	default:	/* any byte */
		img[at] = r >> 8;
		snprintf(what, wlen, "type %u +%zu: byte %#x", s->type,
			 at - s->off, (unsigned int)(unsigned char)(r >> 8));
		return;
	}
	memcpy(img + at, &v32, 4);
	snprintf(what, wlen, "type %u +%zu: u32 %#x", s->type, at - s->off, v32);
}

/* ---- running a mutant, contained ---- */

enum outcome { RESTORED, REFUSED, KILLED, FAILED, TIMEOUT, STUCK, NOUTCOMES };

static const char *const outcome_name[] = {
	"restored and ran", "refused with an errno", "killed by a signal",
	"restored, then failed", "timed out (killed)", "unkillable",
};

struct result {
	int status;		/* wait status of the restoring process */
	bool timeout;		/* it ran past the time limit and was killed */
	bool stuck;		/* SIGKILL did not end it */
};

static void restore_self(struct ckpt_ctx *c, const char *path)
{
	int fd = open(path, O_RDONLY);
	long r;

	if (fd < 0)
		_exit(CKPT_EXIT_FAIL);
	r = sys_restart(0, fd, RESTART_TASKSELF, c->logfd);
	_exit(r < 0 ? ckpt_errno_exit(errno) : 99);
}

static void restore_tool(struct ckpt_ctx *c, const char *path)
{
	char *const argv[] = { "restart", "-i", (char *)path, "--log", c->log, NULL };

	ckpt_child_stdio(c, NULL, 0);
	execvp(argv[0], argv);
	_exit(127);
}

static bool wait_pidfd(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/*
 * Restore @path in a new pid namespace: a helper unshares it and forks
 * the namespace's init, which forks the restoring process and reports
 * its wait status.  After @ms the helper kills the init, and with it
 * everything in the namespace; if that does not end it in 20 s, a task
 * is stuck in the kernel.
 */
static struct result run_contained(struct ckpt_ctx *c, const char *path,
				   bool tool, int ms)
{
	struct result *shared, res = { .status = -1 };
	pid_t helper;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return res;
	*shared = res;
	fflush(stdout);
	fflush(stderr);
	helper = fork();
	if (helper == 0) {
		pid_t init, pid;
		int pidfd, st;

		if (unshare(CLONE_NEWPID))
			_exit(1);
		init = fork();
		if (init == 0) {
			pid = fork();
			if (pid == 0) {
				if (tool)
					restore_tool(c, path);
				restore_self(c, path);
			}
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			shared->status = st;
			_exit(0);
		}
		pidfd = syscall(SYS_pidfd_open, init, 0);
		if (pidfd < 0 || !wait_pidfd(pidfd, ms)) {
			shared->timeout = true;
			kill(init, SIGKILL);
			if (pidfd >= 0 && !wait_pidfd(pidfd, 20000)) {
				shared->stuck = true;
				_exit(0);
			}
		}
		waitpid(init, NULL, 0);
		_exit(0);
	}
	if (helper > 0)
		waitpid(helper, NULL, 0);
	res = *shared;
	munmap(shared, sizeof(*shared));
	return res;
}

/*
 * restart(2) in the caller: 100 + errno when it refused.  The restart
 * tool: 1 when restart(2) or the tree's making failed (it says why on
 * stderr), else the restored root's status (128 + signal if killed).
 */
static int classify(const struct result *r, bool tool)
{
	int code = WIFEXITED(r->status) ? WEXITSTATUS(r->status) : -1;

	if (r->stuck)
		return STUCK;
	if (r->timeout)
		return TIMEOUT;
	if (WIFSIGNALED(r->status))
		return KILLED;
	if (code == CKPT_EXIT_RESTORED)
		return RESTORED;
	if (!tool && code > CKPT_EXIT_ERRNO && code < 255)
		return REFUSED;
	if (tool && code == 1)
		return REFUSED;
	if (tool && code > 128 && code < 128 + 65)
		return KILLED;
	return FAILED;
}

/*
 * The errnos Documentation/checkpoint/usage.rst gives restart(2), and
 * ENOMEM for a size the image asks for: anything else from a mutant is
 * a check that is missing or says the wrong thing.
 */
static bool errno_documented(int e)
{
	static const int ok[] = {
		EINVAL, EPERM, EBUSY, EOPNOTSUPP, ENOEXEC, EBADMSG, ENODATA,
		ESTALE, ENOMEM,
		/* open(2)'s, when a file cannot be reopened */
		ENOENT, EACCES, ENOTDIR, EISDIR, ELOOP, ETXTBSY, EROFS, ENXIO,
		/* a lock another process holds; bind(2)'s and connect(2)'s */
		EAGAIN, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, ECONNREFUSED,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		if (e == ok[i])
			return true;
	return false;
}

/*
 * Restore @iters mutants of the image in c->img (one to three changes) and
 * check every outcome; the intact image must restore before and after.
 */
/* A systematic mutant: the 32-bit word at @at set to @v. */
struct field_mutant {
	size_t at, rec;
	uint32_t type, v;
};

/*
 * Every 32-bit word of the first CKPT_FIELD_BYTES bytes of the first
 * record of each type, set in turn to each of a few telling values (and
 * one above and below what it was): each record kind's fields, all of
 * them, not a random sample.  Returns how many, in *@out.
 */
#define CKPT_FIELD_BYTES	128

static size_t field_mutants(const char *img, const struct span *spans,
			    int nspans, struct field_mutant **out)
{
	static const uint32_t vals[] = { 0, 1, 0x7fffffff, 0x80000000,
					 0xffffffff };
	struct field_mutant *m = NULL;
	size_t n = 0, max = 0, at, end;
	uint32_t seen[64], nseen = 0, orig, v;
	unsigned int k, j;
	int i;

	for (i = 0; i < nspans; i++) {
		for (k = 0; k < nseen && seen[k] != spans[i].type; k++)
			;
		if (k < nseen || nseen == ARRAY_SIZE(seen))
			continue;
		seen[nseen++] = spans[i].type;
		end = spans[i].off + (spans[i].len < CKPT_FIELD_BYTES ?
				      spans[i].len : CKPT_FIELD_BYTES);
		for (at = spans[i].off; at + 4 <= end; at += 4) {
			memcpy(&orig, img + at, 4);
			for (j = 0; j < ARRAY_SIZE(vals) + 2; j++) {
				v = j < ARRAY_SIZE(vals) ? vals[j] :
				    j == ARRAY_SIZE(vals) ? orig + 1 : orig - 1;
				if (v == orig)
					continue;
				if (n == max) {
					max = max ? 2 * max : 1024;
					m = realloc(m, max * sizeof(*m));
					if (!m)
						return 0;
				}
				m[n++] = (struct field_mutant){
					at, spans[i].off, spans[i].type, v };
			}
		}
	}
	*out = m;
	return n;
}

/*
 * @fields: mutate each record kind's fields systematically
 * (field_mutants()) instead of @iters random mutants.  @file, if not
 * NULL, is a file the image's process reads: a mutant restored with
 * other registers runs the test's code from anywhere, with the user's
 * rights, and may write to it, so it is put back before the intact
 * image runs again.
 */
static void fuzz_image(struct __test_metadata *_metadata, struct ckpt_ctx *c,
		       bool tool, int ms, uint64_t iters, bool fields,
		       const char *file)
{
	char saved[64] = "", now[64] = "";
	ssize_t nsaved = file ? ckpt_read_file(file, saved, sizeof(saved)) : 0;
	struct field_mutant *fm = NULL;
	uint64_t seed = env_u64("CKPT_FUZZ_SEED", 0x5eed0001);
	uint64_t rng = seed, i, count[NOUTCOMES] = { 0 }, errs[256] = { 0 };
	const char *path = ckpt_tmp_path(c, "mutant");
	struct span *spans;
	char what[256], buf[128];
	bool verbose;
	size_t w;
	int n;
	struct result r;
	size_t len;
	char *img, *m;
	int nspans, k;

	iters = env_u64("CKPT_FUZZ_ITERS", iters);
	verbose = env_u64("CKPT_FUZZ_VERBOSE", 0);
	ASSERT_LE(0, nsaved) TH_LOG("reading %s", file);
	img = ckpt_load(c->img, &len);
	ASSERT_NE(NULL, img);
	m = malloc(len);
	ASSERT_NE(NULL, m);
	nspans = image_spans(img, len, &spans);
	ASSERT_GT(nspans, 3) TH_LOG("image walk");
	if (fields) {
		iters = field_mutants(img, spans, nspans, &fm);
		ASSERT_GT(iters, 0ULL);
	}
	r = run_contained(c, c->img, tool, ms);
	ASSERT_EQ(RESTORED, classify(&r, tool)) {
		TH_LOG("intact image: %s", ckpt_status_str(r.status, buf, sizeof(buf)));
		ckpt_show(_metadata, c);
	}

	for (i = 0; i < iters; i++) {
		off_t logged = ckpt_file_size(c->logfd);
		off_t said = ckpt_file_size(c->outfd);
		int o;

		memcpy(m, img, len);
		/* the second half changes two or three fields at once */
		n = fields ? 0 : i < iters / 2 ? 1 : 2 + rng_next(&rng) % 2;
		what[0] = '\0';
		if (fields) {
			memcpy(m + fm[i].at, &fm[i].v, 4);
			snprintf(what, sizeof(what), "type %u +%zu: u32 %#x",
				 fm[i].type, fm[i].at - fm[i].rec, fm[i].v);
		}
		for (w = 0; n--; w = strlen(what)) {
			if (w)
				w += snprintf(what + w, sizeof(what) - w, "; ");
			mutate(m, spans, nspans, &rng, what + w, sizeof(what) - w);
		}
		ckpt_reseal(m, len);
		ASSERT_EQ(0, ckpt_write_file(path, m, len, 0600));
		/* said first: a mutant that takes the harness down is named */
		if (verbose)
			fprintf(stderr, "# mutant %llu (%s) ...\n",
				(unsigned long long)i, what);
		r = run_contained(c, path, tool, ms);
		o = classify(&r, tool);
		count[o]++;
		if (verbose)
			TH_LOG("mutant %llu (%s): %s, %s", (unsigned long long)i,
			       what, outcome_name[o],
			       ckpt_status_str(r.status, buf, sizeof(buf)));
		EXPECT_NE(STUCK, o) TH_LOG("mutant %llu (%s): a task SIGKILL does not end",
					   (unsigned long long)i, what);
		if (!r.timeout)
			EXPECT_NE(-1, r.status)
				TH_LOG("mutant %llu: harness", (unsigned long long)i);
		if (o == REFUSED && tool)
			EXPECT_GT(ckpt_file_size(c->outfd), said)
				TH_LOG("mutant %llu (%s): the tool failed silently",
				       (unsigned long long)i, what);
		if (o == REFUSED && !tool) {
			int e = WEXITSTATUS(r.status) - CKPT_EXIT_ERRNO;

			errs[e]++;

			EXPECT_GT(ckpt_file_size(c->logfd), logged)
				TH_LOG("mutant %llu (%s): %s, no reason logged",
				       (unsigned long long)i, what, strerror(e));
			EXPECT_TRUE(errno_documented(e))
				TH_LOG("mutant %llu (%s): unexpected %s",
				       (unsigned long long)i, what, strerror(e));
		}
		if (!tool)
			EXPECT_NE(99 << 8, r.status)
				TH_LOG("mutant %llu (%s): restart(2) returned",
				       (unsigned long long)i, what);
	}
	if (fields)
		TH_LOG("%llu field mutants of the record kinds of %d records:",
		       (unsigned long long)iters, nspans);
	else
		TH_LOG("seed %#llx, %llu mutants of %d records:",
		       (unsigned long long)seed, (unsigned long long)iters,
		       nspans);
	for (k = 0; k < NOUTCOMES; k++)
		TH_LOG("  %-24s %llu", outcome_name[k], (unsigned long long)count[k]);
	for (k = 0; k < 256; k++)
		if (errs[k])
			TH_LOG("    %-22s %llu", strerror(k), (unsigned long long)errs[k]);
	/* the checks must be what stops most of them */
	if (!fields)
		EXPECT_GE(count[REFUSED] + count[KILLED], iters / 4);

	if (file && (ckpt_read_file(file, now, sizeof(now)) != nsaved ||
		     memcmp(now, saved, nsaved))) {
		TH_LOG("a restored mutant rewrote %s (\"%s\"): put back",
		       file, now);
		ASSERT_EQ(0, ckpt_write_file(file, saved, nsaved, 0600));
	}
	r = run_contained(c, c->img, tool, ms);
	EXPECT_EQ(RESTORED, classify(&r, tool)) {
		TH_LOG("intact image after the mutants: %s",
		       ckpt_status_str(r.status, buf, sizeof(buf)));
		ckpt_show(_metadata, c);
	}
	free(fm);
	free(spans);
	free(m);
	free(img);
}

/* ---- a process with one of most things ---- */

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	usr1_seen = sig;
}

/*
 * Memory of three kinds, a pipe holding data, a file at an offset with
 * a flock and a POSIX lock, an eventfd, a timerfd, a signalfd, an epoll
 * set, a memfd, a socket pair with data both ways, a pidfd, a POSIX
 * timer, a handler, a blocked pending signal and a lowered rlimit:
 * checked after restart, exit 42 when all are as they were.
 */
static void rich_process(struct ckpt_ctx *c, const char *file)
{
	static char data[3 * 4096];
	struct epoll_event ev = { .events = EPOLLIN };
	struct itimerspec its = { .it_value.tv_sec = 3600 };
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	struct rlimit rl = { 200, 1024 };
	struct signalfd_siginfo si;
	char *anon, *shared, *mapped, buf[64];
	struct flock wr = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_len = 5 };
	struct sockaddr_in in = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un un = { .sun_family = AF_UNIX,
				  .sun_path = "\0fuzz" };
	struct sockaddr_un ul = { .sun_family = AF_UNIX,
				  .sun_path = "\0fuzzl" };
	socklen_t len = sizeof(int);
	int p[2], f, efd, tfd, sfd, epfd, mfd, sv[2], pfd, g, lfd, ufd, v32;
	int al, ac, as, uc, aw, ifd;
	char fdinfo[64], text[1024];
	uint64_t v;
	timer_t tid;
	sigset_t set;

	ckpt_fill(data, sizeof(data), 1);
	anon = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	shared = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CKPT_CHECK(anon != MAP_FAILED && shared != MAP_FAILED, "mmap");
	ckpt_fill(anon, 16 * 4096, 2);
	ckpt_fill(shared, 4 * 4096, 3);
	CKPT_CHECK(!pipe(p) && write(p[1], "in the pipe", 11) == 11, "pipe");
	f = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CKPT_CHECK(f >= 0 && write(f, "0123456789", 10) == 10 &&
		   lseek(f, 3, SEEK_SET) == 3, "file");
	efd = eventfd(7, EFD_NONBLOCK);
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	CKPT_CHECK(efd >= 0 && tfd >= 0 && !timerfd_settime(tfd, 0, &its, NULL),
		   "eventfd, timerfd");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CKPT_CHECK(!sigprocmask(SIG_BLOCK, &set, NULL), "sigprocmask");
	sfd = signalfd(-1, &set, SFD_NONBLOCK);
	epfd = epoll_create1(0);
	ev.data.fd = p[0];
	CKPT_CHECK(sfd >= 0 && epfd >= 0 &&
		   !epoll_ctl(epfd, EPOLL_CTL_ADD, p[0], &ev), "signalfd, epoll");
	mfd = memfd_create("fuzz", 0);
	CKPT_CHECK(mfd >= 0 && !ftruncate(mfd, 2 * 4096), "memfd");
	mapped = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	CKPT_CHECK(mapped != MAP_FAILED, "mmap memfd");
	ckpt_fill(mapped, 2 * 4096, 4);
	CKPT_CHECK(!timer_create(CLOCK_MONOTONIC, &sev, &tid) &&
		   !timer_settime(tid, 0, &its, NULL), "timer_create");
	CKPT_CHECK(!flock(f, LOCK_SH) && !fcntl(f, F_SETLK, &wr), "locks");
	CKPT_CHECK(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv) &&
		   write(sv[0], "to b", 4) == 4 && write(sv[1], "to a!", 5) == 5,
		   "socketpair");
	pfd = syscall(SYS_pidfd_open, getpid(), 0);
	CKPT_CHECK(pfd >= 0, "pidfd_open");
	CKPT_CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal");
	CKPT_CHECK(!raise(SIGUSR2) && !setrlimit(RLIMIT_NOFILE, &rl), "raise");
	/* a TCP listener and an abstract datagram socket: SOCKET records */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	CKPT_CHECK(lfd >= 0 && !bind(lfd, (struct sockaddr *)&in, sizeof(in)) &&
		   !listen(lfd, 2), "listener");
	ufd = socket(AF_UNIX, SOCK_DGRAM, 0);
	CKPT_CHECK(ufd >= 0 && !bind(ufd, (struct sockaddr *)&un,
				     sizeof(sa_family_t) + 6), "abstract");
	/* a datagram socket connected to it: a SOCKET record with a peer */
	uc = socket(AF_UNIX, SOCK_DGRAM, 0);
	CKPT_CHECK(uc >= 0 && !connect(uc, (struct sockaddr *)&un,
				       sizeof(sa_family_t) + 6) &&
		   send(uc, "pre", 3, 0) == 3, "connect");
	/* an accepted AF_UNIX connection: a UNIX_PAIR naming its listener */
	al = socket(AF_UNIX, SOCK_STREAM, 0);
	ac = socket(AF_UNIX, SOCK_STREAM, 0);
	CKPT_CHECK(al >= 0 && ac >= 0 &&
		   !bind(al, (struct sockaddr *)&ul, sizeof(sa_family_t) + 7) &&
		   !listen(al, 2) &&
		   !connect(ac, (struct sockaddr *)&ul, sizeof(sa_family_t) + 7),
		   "unix listener");
	as = accept(al, NULL, NULL);
	CKPT_CHECK(as >= 0 && write(ac, "acc", 3) == 3, "accept");
	/* a connection left waiting in its backlog: a UNIX_PAIR too */
	aw = socket(AF_UNIX, SOCK_STREAM, 0);
	CKPT_CHECK(aw >= 0 && !connect(aw, (struct sockaddr *)&ul,
				       sizeof(sa_family_t) + 7) &&
		   write(aw, "w", 1) == 1 && !fcntl(al, F_SETFL, O_NONBLOCK),
		   "waiting connection");
	/* an inotify file watching the file: an INOTIFY record */
	ifd = inotify_init1(IN_NONBLOCK);
	CKPT_CHECK(ifd >= 0 && inotify_add_watch(ifd, file, IN_MODIFY) == 1,
		   "inotify");
	/* scheduling, OOM score and subreaper: SCHED and SIGNAL fields */
	CKPT_CHECK(!setpriority(PRIO_PROCESS, 0, 3) &&
		   !ckpt_write_file("/proc/self/oom_score_adj", "100", 3, 0) &&
		   !prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "sched");

	ckpt_self(c);

	CKPT_CHECK(ckpt_verify(data, sizeof(data), 1) < 0 &&
		   ckpt_verify(anon, 16 * 4096, 2) < 0 &&
		   ckpt_verify(shared, 4 * 4096, 3) < 0 &&
		   ckpt_verify(mapped, 2 * 4096, 4) < 0, "memory");
	CKPT_CHECK(epoll_wait(epfd, &ev, 1, 0) == 1 && ev.data.fd == p[0],
		   "epoll");
	CKPT_CHECK(read(p[0], buf, sizeof(buf)) == 11 &&
		   !memcmp(buf, "in the pipe", 11), "pipe data");
	CKPT_CHECK(read(f, buf, 3) == 3 && !memcmp(buf, "345", 3), "file offset");
	g = open(file, O_RDWR);
	wr.l_len = 1;
	CKPT_CHECK(g >= 0 && !fcntl(g, F_OFD_GETLK, &wr) &&
		   wr.l_type == F_WRLCK, "POSIX lock");
	CKPT_CHECK(flock(g, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK,
		   "flock");
	CKPT_CHECK(read(sv[1], buf, sizeof(buf)) == 4 &&
		   read(sv[0], buf, sizeof(buf)) == 5 && !memcmp(buf, "to a!", 5),
		   "socket pair data");
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", ifd);
	CKPT_CHECK(ckpt_read_file(fdinfo, text, sizeof(text)) > 0 &&
		   strstr(text, "inotify wd:1 ") && strstr(text, "mask:2 "),
		   "inotify watch");
	CKPT_CHECK(read(as, buf, sizeof(buf)) == 3 && !memcmp(buf, "acc", 3),
		   "accepted connection data");
	as = accept(al, NULL, NULL);
	CKPT_CHECK(as >= 0 && read(as, buf, sizeof(buf)) == 1 && buf[0] == 'w',
		   "connection waiting in the backlog");
	CKPT_CHECK(recv(ufd, buf, sizeof(buf), MSG_DONTWAIT) == 3 &&
		   send(uc, "dg", 2, 0) == 2 &&
		   recv(ufd, buf, sizeof(buf), MSG_DONTWAIT) == 2,
		   "connected datagram socket and its queued datagram");
	CKPT_CHECK(!syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0), "pidfd");
	CKPT_CHECK(read(efd, &v, 8) == 8 && v == 7, "eventfd");
	CKPT_CHECK(timerfd_gettime(tfd, &its) == 0 && its.it_value.tv_sec > 3000,
		   "timerfd");
	CKPT_CHECK(read(sfd, &si, sizeof(si)) == sizeof(si) &&
		   si.ssi_signo == SIGUSR2, "pending SIGUSR2");
	CKPT_CHECK(!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur == 200, "rlimit");
	CKPT_CHECK(getpriority(PRIO_PROCESS, 0) == 3, "nice");
	CKPT_CHECK(!getsockopt(lfd, SOL_SOCKET, SO_ACCEPTCONN, &v32, &len) &&
		   v32 == 1, "listener");
	CKPT_CHECK(!getsockopt(ufd, SOL_SOCKET, SO_TYPE, &v32, &len) &&
		   v32 == SOCK_DGRAM, "datagram socket");
	CKPT_CHECK(!timer_gettime(tid, &its) && its.it_value.tv_sec > 3000,
		   "POSIX timer");
	raise(SIGUSR1);
	CKPT_CHECK(usr1_seen == SIGUSR1, "handler");
	ckpt_restored_ok();
}

/*
 * Mutants of a one-process image with most kinds of record, restored
 * into the caller: refused with a logged reason, or contained.
 */
TEST_F_TIMEOUT(fuzz, one_process_mutants_are_refused_or_contained, 1000)
{
	const char *file = ckpt_tmp_path(&self->c, "file");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0)
		rich_process(&self->c, file);
	ckpt_checkpointed(_metadata, &self->c, pid);
	fuzz_image(_metadata, &self->c, false, 3000, 1000, false, file);
}

/*
 * The same process's image with every field of each record kind set in
 * turn to 0, 1, INT_MAX, INT_MIN, -1 and one above and below its value.
 */
TEST_F_TIMEOUT(fuzz, every_field_of_each_record_kind_is_checked, 1000)
{
	const char *file = ckpt_tmp_path(&self->c, "file");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0)
		rich_process(&self->c, file);
	ckpt_checkpointed(_metadata, &self->c, pid);
	fuzz_image(_metadata, &self->c, false, 3000, 0, true, file);
}

/* ---- a tree ---- */

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The restored root's verdict when a child failed (the tool's own is 1). */
#define TREE_EXIT_WRONG 7

/*
 * A parent, a child reading a pipe the parent wrote into, with a second
 * thread, and a child in a process group of its own: exits 42 after
 * restart when the data came through and both children exited 42.
 */
static void tree_workload(const char *ready)
{
	int p[2], r[2], st, ok = 1;
	pid_t a, b;
	char c;

	CKPT_CHECK(!pipe(p) && !pipe(r), "pipe");
	a = fork();
	if (a == 0) {
		pthread_t t;
		char buf[16];

		close(p[1]);
		CKPT_CHECK(!pthread_create(&t, NULL, idle_thread, NULL), "thread");
		CKPT_CHECK(write(r[1], "a", 1) == 1, "ready");
		ckpt_wait_go();
		CKPT_CHECK(read(p[0], buf, sizeof(buf)) == 5 &&
			   !memcmp(buf, "hello", 5), "pipe data");
		_exit(CKPT_EXIT_RESTORED);
	}
	b = fork();
	if (b == 0) {
		setpgid(0, 0);
		CKPT_CHECK(write(r[1], "b", 1) == 1, "ready");
		ckpt_wait_go();
		_exit(CKPT_EXIT_RESTORED);
	}
	close(p[0]);
	CKPT_CHECK(write(p[1], "hello", 5) == 5, "write");
	CKPT_CHECK(read(r[0], &c, 1) == 1 && read(r[0], &c, 1) == 1, "ready");
	close(r[0]);
	close(r[1]);
	CKPT_CHECK(!ckpt_write_file(ready, "", 0, 0600), "ready file");
	ckpt_wait_go();
	ok &= waitpid(a, &st, 0) == a && st == CKPT_EXIT_RESTORED << 8;
	ok &= waitpid(b, &st, 0) == b && st == CKPT_EXIT_RESTORED << 8;
	_exit(ok ? CKPT_EXIT_RESTORED : TREE_EXIT_WRONG);
}

/*
 * Mutants of a three-process image (threads, a pipe, two process
 * groups) restored by the restart tool: whatever they do is contained.
 */
TEST_F_TIMEOUT(fuzz, tree_mutants_are_refused_or_contained, 1000)
{
	const char *ready = ckpt_tmp_path(&self->c, "ready");
	pid_t pid;
	int i;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0)
		tree_workload(ready);
	for (i = 0; i < 3000 && access(ready, F_OK); i++)
		usleep(10000);
	ASSERT_EQ(0, access(ready, F_OK)) TH_LOG("the tree never got ready");
	ASSERT_EQ(0, ckpt_checkpoint_kill(_metadata, &self->c, pid));
	fuzz_image(_metadata, &self->c, true, 5000, 300, false, NULL);
}

TEST_HARNESS_MAIN
