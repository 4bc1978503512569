// SPDX-License-Identifier: GPL-2.0
/*
 * restart - restart a process from a checkpoint image
 *
 *   restart [-i FILE] [-d|--detach] [--log FILE] [--keep-links] [-v]
 *
 * The restored process is a child of this tool: it is created with
 * clone3(set_tid = the original pid) where that pid is free and we may
 * choose it (else with a new pid), and turns itself into the
 * checkpointed process with restart(2) and RESTART_TASKSELF.  The tool
 * learns whether that worked from the kernel's log pipe: the pipe's
 * write end lives only in the child and the kernel, so end of file with
 * nothing written means success; any text means failure.  Then it waits
 * for the restored process and passes on its exit status, unless
 * detached.
 *
 * The image may come from a pipe (checkpoint 123 | restart): the header
 * and tree are read to learn the pid, and a thread feeds those bytes and
 * the rest of the input to the child through a new pipe.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ckpt.h"

#define PROG "restart"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

static bool verbose;

#define err(...)	ckpt_msg(PROG, __VA_ARGS__)
#define info(...)	(verbose ? ckpt_msg(PROG, __VA_ARGS__) : (void)0)

/* ---- the start of the image ---- */

#define PREFIX_LEN (sizeof(struct ckpt_hdr_header) + \
		    sizeof(struct ckpt_hdr_tree) + sizeof(struct ckpt_pids))

struct prefix {
	union {
		unsigned char bytes[PREFIX_LEN];
		struct ckpt_hdr_header header;
	};
	size_t len;
};

/*
 * The original pid from the HEADER and TREE records, or 0 when they do
 * not look right; the kernel judges the image, this only picks a pid.
 */
static pid_t original_pid(const struct prefix *p, const char **why)
{
	const struct ckpt_hdr_header *h = &p->header;
	struct ckpt_hdr_tree t;
	struct ckpt_pids pids;

	if (p->len < PREFIX_LEN) {
		*why = "the image is too short";
		return 0;
	}
	if (h->h.type != CKPT_HDR_HEADER || h->magic != CKPT_MAGIC_HEAD) {
		*why = "not a checkpoint image";
		return 0;
	}
	if (h->h.len != sizeof(*h)) {
		*why = "unexpected HEADER length";
		return 0;
	}
	memcpy(&t, p->bytes + sizeof(*h), sizeof(t));
	memcpy(&pids, p->bytes + sizeof(*h) + sizeof(t), sizeof(pids));
	if (t.h.type != CKPT_HDR_TREE || t.nr_tasks < 1 ||
	    t.h.len < sizeof(t) + sizeof(pids)) {
		*why = "no TREE record after the HEADER";
		return 0;
	}
	if (pids.pid <= 0) {
		*why = "bad pid in the TREE record";
		return 0;
	}
	if (verbose)
		info("image of pid %d, checkpoint id %llu, kernel %.*s",
		     pids.pid, (unsigned long long)h->ckpt_id,
		     CKPT_UTS_LEN, h->release);
	return pids.pid;
}

/* ---- feeding a piped image to the child ---- */

struct feeder {
	int in;			/* the tool's input */
	int out;		/* write end of the child's image pipe */
	const struct prefix *prefix;
	const char *name;
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	bool use_splice = true;
	char *buf = NULL;

	if (ckpt_write_full(f->out, f->prefix->bytes, f->prefix->len) < 0)
		goto out;	/* EPIPE: the child stopped reading */
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

/* ---- the restoring child ---- */

static pid_t spawn(pid_t want)
{
	struct clone_args args;
	pid_t tid = want;
	long ret;

	fflush(stdout);
	fflush(stderr);
	if (want > 0) {
		memset(&args, 0, sizeof(args));
		args.exit_signal = SIGCHLD;
		args.set_tid = (uintptr_t)&tid;
		args.set_tid_size = 1;
		ret = syscall(SYS_clone3, &args, sizeof(args));
		if (ret >= 0)
			return ret;
		switch (errno) {
		case EEXIST:
		case EPERM:
		case EINVAL:
		case ENOSPC:
		case ENOSYS:
		case E2BIG:
			info("cannot keep pid %d (%s): restoring with a new "
			     "pid", (int)want, strerror(errno));
			break;
		default:
			err("clone3: %s", strerror(errno));
			return -1;
		}
	}
	ret = fork();
	if (ret < 0)
		err("fork: %s", strerror(errno));
	return ret;
}

static void __attribute__((noreturn))
child(int imgfd, int logfd, unsigned long flags)
{
	char msg[256];
	long ret;
	int e;

	ret = ckpt_restart(0, imgfd, flags, logfd);
	e = errno;
	if (ret < 0)
		snprintf(msg, sizeof(msg), PROG ": %s%s\n", strerror(e),
			 e == ENOSYS ?
			 " (this kernel has no checkpoint/restart)" : "");
	else
		snprintf(msg, sizeof(msg),
			 PROG ": restart(2) returned %ld\n", ret);
	if (ckpt_write_full(logfd, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(1);
}

/* ---- the log ---- */

#define LOG_MAX (1 << 20)

/* Read the log pipe to its end; returns the bytes (NUL terminated). */
static char *read_log(int fd, size_t *len, bool *cut)
{
	char *data = NULL, tmp[4096];
	ssize_t n;

	*len = 0;
	*cut = false;
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err("reading the kernel log: %s", strerror(errno));
			break;
		}
		if (*len + n > LOG_MAX) {
			*cut = true;
			continue;
		}
		char *p = realloc(data, *len + n + 1);

		if (!p) {
			*cut = true;
			continue;
		}
		data = p;
		memcpy(data + *len, tmp, n);
		*len += n;
		data[*len] = '\0';
	}
	return data;
}

static void print_log(const char *s)
{
	const char *nl;

	while (*s) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		if (!strncmp(s, PROG ": ", strlen(PROG ": ")))
			fprintf(stderr, "%.*s\n", (int)(nl - s), s);
		else
			fprintf(stderr, PROG ": %.*s\n", (int)(nl - s), s);
		s = *nl ? nl + 1 : nl;
	}
}

/* ---- waiting ---- */

static volatile pid_t restored;

static void forward(int sig)
{
	if (restored > 0)
		kill(restored, sig);
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err("waitpid: %s", strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-i FILE] [-d|--detach] [--log FILE] "
		"[--keep-links] [-v]\n"
		"Restart the process saved in a checkpoint image (default: "
		"read from stdin).\n"
		"  -i, --input FILE  read the image from FILE\n"
		"  -d, --detach      exit once the process is restored; do "
		"not wait for it\n"
		"  -l, --log FILE    write the kernel's explanations of a "
		"failure to FILE\n"
		"  -k, --keep-links  leave relinked files in place "
		"(RESTART_KEEP_LINKS)\n"
		"  -v, --verbose     say what is done\n"
		"  -h, --help        this help\n"
		"Without --detach the exit status is the restored process's "
		"(128+N if killed by\nsignal N); 1 if the restart failed.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input",	required_argument, NULL, 'i' },
		{ "detach",	no_argument,	   NULL, 'd' },
		{ "log",	required_argument, NULL, 'l' },
		{ "keep-links",	no_argument,	   NULL, 'k' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *input = NULL, *logname = NULL, *name, *why = NULL;
	unsigned long flags = RESTART_TASKSELF;
	bool detach = false, seekable, cut;
	int infd, imgfd, logp[2], imgp[2] = { -1, -1 }, c;
	static struct prefix prefix;
	struct feeder feeder;
	struct sigaction sa;
	pthread_t thread;
	ssize_t n;
	off_t off;
	pid_t want, pid;
	size_t loglen;
	char *log;

	while ((c = getopt_long(argc, argv, "i:dl:kvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'd':
			detach = true;
			break;
		case 'l':
			logname = optarg;
			break;
		case 'k':
			flags |= RESTART_KEEP_LINKS;
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
		infd = open(input, O_RDONLY);
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

	/* learn the original pid, leaving the offset where it is */
	off = lseek(infd, 0, SEEK_CUR);
	seekable = off >= 0;
	if (seekable)
		n = ckpt_pread_full(infd, prefix.bytes, PREFIX_LEN, off);
	else
		n = ckpt_read_full(infd, prefix.bytes, PREFIX_LEN);
	if (n < 0) {
		err("reading %s: %s", name, strerror(errno));
		return 1;
	}
	prefix.len = n;
	want = original_pid(&prefix, &why);
	if (!want)
		info("cannot tell the original pid (%s); the kernel will "
		     "judge the image", why);

	if (pipe2(logp, O_CLOEXEC) != 0) {
		err("pipe: %s", strerror(errno));
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

	pid = spawn(want);
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(logp[0]);
		if (!seekable) {
			close(imgp[1]);
			if (infd != imgfd)
				close(infd);
		}
		child(imgfd, logp[1], flags);
	}
	restored = pid;
	if (want && pid == want)
		info("restoring pid %d", (int)pid);
	else
		info("restoring as pid %d", (int)pid);

	close(logp[1]);
	signal(SIGPIPE, SIG_IGN);
	if (!seekable) {
		close(imgp[0]);
		feeder.in = infd;
		feeder.out = imgp[1];
		feeder.prefix = &prefix;
		feeder.name = name;
		if (pthread_create(&thread, NULL, feed, &feeder) != 0) {
			err("cannot start a thread");
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 1;
		}
		pthread_detach(thread);
	}

	/* end of file: the restore is over */
	log = read_log(logp[0], &loglen, &cut);
	close(logp[0]);
	if (loglen) {
		int status = 0;

		if (logname) {
			int fd = open(logname, O_WRONLY | O_CREAT | O_TRUNC |
				      O_CLOEXEC, 0644);

			if (fd < 0 || ckpt_write_full(fd, log, loglen) < 0 ||
			    close(fd) < 0) {
				err("cannot write %s: %s", logname,
				    strerror(errno));
				print_log(log);
			} else {
				err("restart failed; the kernel's explanation "
				    "is in %s", logname);
			}
		} else {
			print_log(log);
		}
		if (cut)
			err("(kernel log cut at %d bytes)", LOG_MAX);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status))
			info("the restoring process was killed by signal %d",
			     WTERMSIG(status));
		free(log);
		return 1;
	}
	free(log);
	info("pid %d restored", (int)pid);
	if (detach)
		return 0;

	/* wait like a shell: let the terminal's signals reach the child */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = forward;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	return wait_status(pid);
}
