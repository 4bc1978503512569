// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restart the tasks of a checkpoint image
 *
 *   restart [-i FILE] [-d|--detach] [--pidns] [--log FILE] [--keep-links]
 *           [--files-replaced]
 *           [--frozen[=CGROUP]] [-v]
 *
 * The tool is the coordinator of restart(2) (linux-cr's model).  It reads
 * the image's HEADER and TREE, then builds the tree the image describes:
 * each process a child of its parent, created with clone3(set_tid = its
 * old pid) where that pid is free and may be chosen (else with a new one),
 * in its old session and process group, with its threads; each task then
 * calls restart(image_pid, -1, RESTART_JOIN, -1) and waits in the kernel.
 * Meanwhile the tool calls restart(root, image, flags, logfd), which
 * restores every task in turn, verifies the image, and lets them all go.
 * Then the tool waits for the root and passes on its exit status, unless
 * detached.
 *
 * --frozen makes the root in a cgroup (v2) of its own, with
 * CLONE_INTO_CGROUP, and passes RESTART_FROZEN: the restored tasks wait
 * in the kernel until the tool has frozen that cgroup, so none runs
 * before the caller thaws it.
 *
 * --pidns builds the tree in a new pid namespace, where every pid is
 * free: the root is its init if it was pid 1, else a small init made by
 * the tool reaps the namespace and exits with the root's status.
 *
 * Every task the tool makes dies with its parent (PR_SET_PDEATHSIG,
 * until restart(2) restores the image's), so a failure anywhere takes
 * the whole half-built tree down.  The image may come from a pipe
 * (checkpoint 123 | restart): the bytes read to learn the tree are fed
 * back to the kernel, followed by the rest of the input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ckpt.h"
#include "lib/ckpt_image.h"

#define PROG "restart"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static bool verbose;

#define err(...)	ckpt_msg(PROG, __VA_ARGS__)
#define info(...)	(verbose ? ckpt_msg(PROG, __VA_ARGS__) : (void)0)

#include "cgroup.h"

/* ---- the start of the image: HEADER and TREE ---- */

struct prefix {
	unsigned char *bytes;
	size_t len;
	struct ckpt_hdr_header *header;
	struct ckpt_pids *pids;
	uint32_t nr;
	uint64_t ns_clone;	/* CLONE_NEW* the root needs (TREE flags) */
};

#define TREE_OFF	sizeof(struct ckpt_hdr_header)

/*
 * Read the HEADER and the TREE; the kernel judges them again, this only
 * learns what tree to build.  Returns 0, or -1 with *why set.
 */
static int read_prefix(int fd, off_t off, bool seekable, struct prefix *p,
		       const char **why)
{
	struct ckpt_hdr_tree t;
	size_t want = TREE_OFF + sizeof(t), rlen;
	ssize_t n;

	p->bytes = malloc(want);
	if (!p->bytes) {
		*why = "out of memory";
		return -1;
	}
	n = seekable ? ckpt_pread_full(fd, p->bytes, want, off) :
		       ckpt_read_full(fd, p->bytes, want);
	if (n < 0) {
		*why = strerror(errno);
		return -1;
	}
	p->len = n;
	if ((size_t)n < want) {
		*why = "the image is too short";
		return -1;
	}
	p->header = (struct ckpt_hdr_header *)p->bytes;
	if (p->header->h.type != CKPT_HDR_HEADER ||
	    p->header->magic != CKPT_MAGIC_HEAD) {
		*why = "not a checkpoint image";
		return -1;
	}
	if (p->header->h.len != sizeof(*p->header)) {
		*why = "unexpected HEADER length";
		return -1;
	}
	memcpy(&t, p->bytes + TREE_OFF, sizeof(t));
	if (t.h.type != CKPT_HDR_TREE || t.nr_tasks < 1 ||
	    t.nr_tasks > CKPT_TREE_MAX || t.flags & ~CKPT_TREE_FLAGS_ALL ||
	    t.h.len != sizeof(t) + t.nr_tasks * sizeof(struct ckpt_pids)) {
		*why = "no good TREE record after the HEADER";
		return -1;
	}
	rlen = ckpt_padded(t.h.len);
	want = TREE_OFF + rlen;
	p->bytes = realloc(p->bytes, want);
	if (!p->bytes) {
		*why = "out of memory";
		return -1;
	}
	n = seekable ? ckpt_pread_full(fd, p->bytes + p->len, want - p->len,
				       off + p->len) :
		       ckpt_read_full(fd, p->bytes + p->len, want - p->len);
	if (n < 0 || (size_t)n != want - p->len) {
		*why = n < 0 ? strerror(errno) : "the image is too short";
		return -1;
	}
	p->len = want;
	p->header = (struct ckpt_hdr_header *)p->bytes;
	p->pids = (struct ckpt_pids *)(p->bytes + TREE_OFF + sizeof(t));
	p->nr = t.nr_tasks;
	p->ns_clone = (t.flags & CKPT_TREE_NEWUTS ? CLONE_NEWUTS : 0) |
		      (t.flags & CKPT_TREE_NEWIPC ? CLONE_NEWIPC : 0);
	return 0;
}

/* ---- feeding a piped image to the kernel ---- */

struct feeder {
	int in;			/* the tool's input */
	int out;		/* write end of the kernel's image pipe */
	const struct prefix *prefix;
	const char *name;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	bool use_splice = true;
	char *buf = NULL;

	if (ckpt_write_full(f->out, f->prefix->bytes, f->prefix->len) < 0)
		goto out;	/* EPIPE: the restart stopped reading */
	for (;;) {
		ssize_t n;

		if (use_splice) {
			n = splice(f->in, NULL, f->out, NULL, 1 << 20,
				   SPLICE_F_MOVE | SPLICE_F_MORE);
			if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
				use_splice = false;
				continue;
			}
		} else {
			if (!buf)
				buf = malloc(1 << 16);
			if (!buf) {
				err("out of memory");
				break;
			}
			n = read(f->in, buf, 1 << 16);
			if (n > 0 && ckpt_write_full(f->out, buf, n) < 0) {
				if (errno != EPIPE)
					err("writing the image pipe: %s",
					    strerror(errno));
				break;
			}
		}
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* EPIPE: the restore ended, it needs no more */
			if (errno != EPIPE)
				err("reading %s: %s", f->name,
				    strerror(errno));
			break;
		}
	}
out:
	free(buf);
	close(f->out);
	return NULL;
}

/* ---- building the tree ---- */

struct build {
	const struct prefix *img;
	pid_t *real;		/* shared: the pid each entry got, by index */
	int errfd;		/* builders report failures here */
	pid_t tool;		/* and wake the tool with SIGUSR1 */
	bool pidns;		/* in a new pid namespace: pids must be kept */
	bool keep;		/* try to keep pids */
	int cgfd;		/* --frozen: the root's cgroup, or -1 */
};

static struct build B;

/* Report a failure of the building, wake the tool, and die. */
static void __attribute__((noreturn, format(printf, 1, 2)))
build_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (write(B.errfd, msg, n) < 0)
		_exit(3);
	kill(B.tool, SIGUSR1);
	_exit(1);
}

static int index_of(pid_t pid)
{
	for (uint32_t i = 0; i < B.img->nr; i++)
		if (B.img->pids[i].pid == pid)
			return i;
	return -1;
}

static bool is_process(int i)
{
	return i >= 0 && B.img->pids[i].pid == B.img->pids[i].tgid;
}

/*
 * clone3() with the image's pid where we may keep it.  @fn runs in the
 * new task on @stack (threads) or on a copy of ours (processes).
 */
static long clone3_raw(struct clone_args *args, void (*fn)(void *), void *arg)
{
	register void (*r12)(void *arg) __asm__("r12") = fn;
	register void *r13 __asm__("r13") = arg;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "and $-16, %%rsp\n\t"
			 "mov %%r13, %%rdi\n\t"
			 "call *%%r12\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "0"((long)SYS_clone3), "D"(args), "S"(sizeof(*args)),
			   "r"(r12), "r"(r13)
			 : "rcx", "r11", "rdx", "memory");
	/* the raw syscall returns -errno: make it what callers read */
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

static pid_t spawn(int i, uint64_t flags, void *stack, size_t stack_size,
		   void (*fn)(void *))
{
	const struct ckpt_pids *e = &B.img->pids[i];
	struct clone_args args;
	pid_t tid = e->pid;
	long ret;

	memset(&args, 0, sizeof(args));
	args.flags = flags;
	args.exit_signal = flags & CLONE_THREAD ? 0 : e->exit_signal;
	args.stack = (uintptr_t)stack;
	args.stack_size = stack_size;
	if (flags & CLONE_INTO_CGROUP)
		args.cgroup = B.cgfd;
	if (B.keep) {
		args.set_tid = (uintptr_t)&tid;
		args.set_tid_size = 1;
		ret = clone3_raw(&args, fn, (void *)(intptr_t)i);
		if (ret >= 0 || B.pidns)
			return ret < 0 ? -errno : ret;
		if (errno != EEXIST && errno != EPERM && errno != EINVAL &&
		    errno != ENOSPC && errno != E2BIG)
			return -errno;
		args.set_tid = 0;
		args.set_tid_size = 0;
	}
	ret = clone3_raw(&args, fn, (void *)(intptr_t)i);
	return ret < 0 ? -errno : ret;
}

static void __attribute__((noreturn)) join(int i)
{
	long r = ckpt_restart(B.img->pids[i].pid, -1, RESTART_JOIN, -1);

	/* the kernel kills a task it claimed if the restart fails */
	build_fail("task %d: restart(2) to join returned %ld: %s",
		   B.img->pids[i].pid, r, strerror(errno));
}

static void thread_main(void *arg)
{
	join((int)(intptr_t)arg);
}

static void become(void *arg);

/* The threads and children of entry @i, made from inside it. */
static void make_family(int i)
{
	const struct ckpt_pids *e = &B.img->pids[i];
	uint64_t tflags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM;
	size_t ssize = 64 << 10;
	uint32_t k;
	pid_t got;

	for (k = i + 1; k < B.img->nr && B.img->pids[k].tgid == e->pid &&
	     !is_process(k); k++) {
		void *stack = mmap(NULL, ssize, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (stack == MAP_FAILED)
			build_fail("thread %d: mmap: %s", B.img->pids[k].pid,
				   strerror(errno));
		got = spawn(k, tflags, stack, ssize, thread_main);
		if (got < 0)
			build_fail("thread %d: clone3: %s", B.img->pids[k].pid,
				   strerror(-got));
		B.real[k] = got;
	}
	for (k = i + 1; k < B.img->nr; k++) {
		if (!is_process(k) || B.img->pids[k].ppid != e->pid)
			continue;
		got = spawn(k, 0, NULL, 0, become);
		if (got < 0)
			build_fail("process %d: clone3: %s",
				   B.img->pids[k].pid, strerror(-got));
		B.real[k] = got;
	}
}

/*
 * Put the new process in its session and group.  Sessions can only be
 * made (setsid) or inherited, so a process is in its old session if it
 * led one or its parent was in it; groups are joined by setpgid() within
 * the session, once their leader exists.
 */
static void set_groups(int i)
{
	const struct ckpt_pids *e = &B.img->pids[i];
	int s = index_of(e->sid), g = index_of(e->pgid);
	pid_t self = getpid();

	if (e->sid == e->pid) {
		if (setsid() < 0)
			build_fail("process %d: setsid: %s", e->pid,
				   strerror(errno));
	} else if (is_process(s) && getsid(0) != B.real[s]) {
		build_fail("process %d: cannot rejoin session %d (its parent is in another)",
			   e->pid, e->sid);
	}
	if (e->pgid == e->pid) {
		if (getpgid(0) != self && setpgid(0, 0) < 0)
			build_fail("process %d: setpgid: %s", e->pid,
				   strerror(errno));
	} else if (is_process(g) && getpgid(0) != B.real[g]) {
		if (!B.real[g])
			build_fail("process %d: its group leader %d does not exist yet", e->pid,
				   e->pgid);
		if (setpgid(0, B.real[g]) < 0)
			build_fail("process %d: joining group %d: %s", e->pid,
				   e->pgid, strerror(errno));
	}
}

/* A new process: stand for entry @arg. */
static void become(void *arg)
{
	int i = (int)(intptr_t)arg;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		build_fail("prctl: %s", strerror(errno));
	B.real[i] = getpid();
	set_groups(i);
	make_family(i);
	join(i);
}

/*
 * The init of a new pid namespace whose root is not pid 1: make the
 * root, reap the namespace, exit like the root.
 */
static void ns_init(void *arg)
{
	pid_t root, pid;
	int status, root_status = 0;

	(void)arg;
	root = spawn(0, 0, NULL, 0, become);
	if (root < 0)
		build_fail("process %d: clone3: %s", B.img->pids[0].pid,
			   strerror(-root));
	for (;;) {
		pid = waitpid(-1, &status, __WALL);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == root)
			root_status = status;
	}
	if (WIFSIGNALED(root_status)) {
		signal(WTERMSIG(root_status), SIG_DFL);
		kill(getpid(), WTERMSIG(root_status));
	}
	_exit(WIFEXITED(root_status) ? WEXITSTATUS(root_status) : 1);
}

/* ---- the log ---- */

/*
 * Print what @fd holds from its offset to its end, a line at a time,
 * each prefixed with our name unless it already is (the kernel's are).
 */
static void print_lines(int fd)
{
	char buf[4096], *text = NULL;
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = realloc(text, len + n + 1);

		if (!p)
			break;
		text = p;
		memcpy(text + len, buf, n);
		len += n;
	}
	if (!text)
		return;
	text[len] = '\0';
	for (char *s = text, *nl; *s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		else
			nl = s + strlen(s);
		fprintf(stderr, "%s%s\n",
			strncmp(s, PROG ": ", strlen(PROG ": ")) ? PROG ": " : "",
			s);
	}
	free(text);
}

static void print_log(int fd, const char *logname)
{
	if (logname)
		err("restart failed; the kernel's explanation is in %s",
		    logname);
	else if (lseek(fd, 0, SEEK_SET) == 0)
		print_lines(fd);
}

/* ---- waiting ---- */

static volatile sig_atomic_t restored;

static void forward(int sig)
{
	if (restored > 0)
		kill(restored, sig);
}

static void on_usr1(int sig)
{
	(void)sig;	/* interrupts restart(2) while tasks join */
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0) {
		if (errno != EINTR) {
			err("waitpid: %s", strerror(errno));
			return 1;
		}
	}
	return ckpt_exit_code(status);
}

/* ---- --frozen ---- */

/*
 * The cgroup to restore into: @arg (absolute, or relative to the cgroup2
 * mount), else a new ckpt-restart-PID.  Opens it for CLONE_INTO_CGROUP.
 */
static int open_cgroup(const char *arg, char *cg, size_t n, bool *made)
{
	char root[PATH_MAX];
	int len;

	if (cg_root(root, sizeof(root)))
		return -1;
	if (arg[0] == '/')
		len = snprintf(cg, n, "%s", arg);
	else if (arg[0])
		len = snprintf(cg, n, "%s/%s", root, arg);
	else
		len = snprintf(cg, n, "%s/ckpt-restart-%d", root, (int)getpid());
	if (len < 0 || (size_t)len >= n) {
		err("cgroup path too long");
		return -1;
	}
	if (mkdir(cg, 0755) == 0) {
		*made = true;
	} else if (errno != EEXIST || !arg[0]) {
		err("cannot create cgroup %s: %s", cg, strerror(errno));
		return -1;
	}
	B.cgfd = open(cg, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (B.cgfd < 0) {
		err("cannot open cgroup %s: %s", cg, strerror(errno));
		if (*made)
			rmdir(cg);
		return -1;
	}
	info("restoring into cgroup %s", cg);
	return 0;
}

/* After a failure: the tasks are gone or going; the cgroup goes too. */
static void remove_cgroup(const char *cg)
{
	uint64_t end = cg_now_ms() + 2000;

	while (rmdir(cg) != 0 && errno == EBUSY && cg_now_ms() < end)
		usleep(10000);
}

/*
 * The restored tasks wait in the kernel until their cgroup is frozen
 * (RESTART_FROZEN): freeze it and wait until it is.
 */
static int freeze_tree(const char *cg)
{
	char path[PATH_MAX + 16];
	int ret;

	snprintf(path, sizeof(path), "%s/cgroup.freeze", cg);
	ret = cg_write(path, "1");
	if (!ret)
		ret = cg_wait_event(cg, "frozen", 1, 10000, NULL);
	if (ret) {
		err("cannot freeze cgroup %s: %s", cg, strerror(-ret));
		return -1;
	}
	fprintf(stderr, PROG ": the restored tree is frozen in %s; thaw it with: echo 0 > %s\n", cg,
		path);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-i FILE] [-d|--detach] [--pidns] [--log FILE] [--keep-links]\n"
		"               [--files-replaced] [--frozen[=CGROUP]] [-v]\n"
		"Restart the tasks saved in a checkpoint image (default: read from stdin).\n"
		"  -i, --input FILE  read the image from FILE\n"
		"  -d, --detach      exit once the tasks are restored; do not wait for them\n"
		"  -p, --pidns       restore in a new pid namespace, every pid as it was\n"
		"  -l, --log FILE    write the kernel's explanations of a failure to FILE\n"
		"  -k, --keep-links  leave relinked files in place (RESTART_KEEP_LINKS)\n"
		"  -R, --files-replaced  reopen files by path even if the path now leads to\n"
		"                    another inode, e.g. on a copied filesystem (RESTART_FILES_REPLACED)\n"
		"  -f, --frozen[=CG] leave the tree frozen in cgroup CG (default: a new\n"
		"                    one, ckpt-restart-PID); thaw with echo 0 > CG/cgroup.freeze\n"
		"  -v, --verbose     say what is done\n"
		"  -h, --help        this help\n"
		"Without --detach the exit status is the restored root process's (128+N if\n"
		"killed by signal N); 1 if the restart failed.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input",	required_argument, NULL, 'i' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "pidns",	no_argument,	   NULL, 'p' },
		{ "log",	required_argument, NULL, 'l' },
		{ "keep-links",	no_argument,	   NULL, 'k' },
		{ "files-replaced", no_argument,   NULL, 'R' },
		{ "frozen",	optional_argument, NULL, 'f' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *input = NULL, *logname = NULL, *name, *why = NULL;
	const char *frozen = NULL;
	char cg[PATH_MAX];
	bool made_cg = false;
	unsigned long flags = 0;
	bool detach = false, pidns = false, seekable;
	int infd, imgfd, logfd, errp[2], imgp[2] = { -1, -1 }, c, e;
	static struct prefix prefix;
	struct feeder feeder;
	struct sigaction sa;
	pthread_t thread;
	pid_t top;
	long ret;
	off_t off;

	while ((c = getopt_long(argc, argv, "i:dpl:kRf::vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'd':
			detach = true;
			break;
		case 'p':
			pidns = true;
			break;
		case 'l':
			logname = optarg;
			break;
		case 'k':
			flags |= RESTART_KEEP_LINKS;
			break;
		case 'R':
			flags |= RESTART_FILES_REPLACED;
			break;
		case 'f':
			frozen = optarg ? optarg : "";
			flags |= RESTART_FROZEN;
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
	if (optind != argc) {
		err("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		return 2;
	}

	if (input) {
		name = input;
		infd = open(input, O_RDONLY | O_CLOEXEC);
		if (infd < 0) {
			err("cannot open %s: %s", input, strerror(errno));
			return 1;
		}
	} else {
		name = "stdin";
		infd = STDIN_FILENO;
		if (isatty(infd)) {
			err("refusing to read an image from a terminal; "
			    "use -i FILE or redirect stdin");
			return 2;
		}
	}

	/* learn the tree, leaving the offset of a file where it is */
	off = lseek(infd, 0, SEEK_CUR);
	seekable = off >= 0;
	if (read_prefix(infd, off, seekable, &prefix, &why)) {
		err("%s: %s", name, why);
		return 1;
	}
	info("image of pid %d (%u task%s), checkpoint id %llu, kernel %.*s",
	     prefix.pids[0].pid, prefix.nr, prefix.nr == 1 ? "" : "s",
	     (unsigned long long)prefix.header->ckpt_id, CKPT_UTS_LEN,
	     prefix.header->release);

	/* the kernel's explanations, read back after a failure */
	if (logname)
		logfd = open(logname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
	else
		logfd = memfd_create("restart-log", MFD_CLOEXEC);
	if (logfd < 0) {
		err("cannot create %s: %s", logname ? logname : "a log file",
		    strerror(errno));
		return 1;
	}
	imgfd = infd;
	if (!seekable) {
		if (pipe2(imgp, O_CLOEXEC) != 0) {
			err("pipe: %s", strerror(errno));
			return 1;
		}
		fcntl(imgp[1], F_SETPIPE_SZ, 1 << 20);	/* best effort */
		imgfd = imgp[0];
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		err("pipe: %s", strerror(errno));
		return 1;
	}

	B.img = &prefix;
	B.real = mmap(NULL, prefix.nr * sizeof(pid_t), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (B.real == MAP_FAILED) {
		err("mmap: %s", strerror(errno));
		return 1;
	}
	B.errfd = errp[1];
	B.tool = getpid();
	B.pidns = pidns;
	B.keep = true;
	B.cgfd = -1;
	if (frozen && open_cgroup(frozen, cg, sizeof(cg), &made_cg))
		return 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	fflush(stderr);

	/* the namespaces the image brings: the kernel fills them in */
	if (frozen)
		prefix.ns_clone |= CLONE_INTO_CGROUP;
	if (pidns && prefix.pids[0].pid == 1) {
		top = spawn(0, CLONE_NEWPID | prefix.ns_clone, NULL, 0, become);
	} else if (pidns) {
		struct clone_args args = {
			.flags = CLONE_NEWPID | prefix.ns_clone,
			.exit_signal = SIGCHLD,
			.cgroup = B.cgfd,
		};

		top = clone3_raw(&args, ns_init, NULL);
		if (top < 0)
			top = -errno;
	} else {
		top = spawn(0, prefix.ns_clone, NULL, 0, become);
	}
	if (top < 0) {
		err("cannot create the root process: %s", strerror(-top));
		return 1;
	}
	restored = top;
	info("building the tree under pid %d", (int)top);

	if (!seekable) {
		feeder.in = infd;
		feeder.out = imgp[1];
		feeder.prefix = &prefix;
		feeder.name = name;
		if (pthread_create(&thread, NULL, feed, &feeder) != 0) {
			err("cannot start a thread");
			kill(top, SIGKILL);
			waitpid(top, NULL, __WALL);
			return 1;
		}
		pthread_detach(thread);
	}

	ret = ckpt_restart(top, imgfd, flags, logfd);
	e = errno;
	close(errp[1]);
	if (ret < 0) {
		fcntl(errp[0], F_SETFL, O_NONBLOCK);
		print_lines(errp[0]);	/* what the builders reported */
		if (logname)	/* the log also says what the tool saw */
			dprintf(logfd, PROG ": restart(2): %s\n", strerror(e));
		print_log(logfd, logname);
		err("restart failed: %s%s", strerror(e), e == ENOSYS ?
		    " (this kernel has no checkpoint/restart)" : "");
		kill(top, SIGKILL);
		waitpid(top, NULL, __WALL);
		if (made_cg)
			remove_cgroup(cg);
		return 1;
	}
	info("%u task%s restored", prefix.nr, prefix.nr == 1 ? "" : "s");
	if (frozen && freeze_tree(cg)) {
		kill(top, SIGKILL);
		waitpid(top, NULL, __WALL);
		return 1;
	}
	if (detach)
		return 0;

	/* wait like a shell: let the terminal's signals reach the root */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = forward;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	return wait_status(top);
}
