// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-run - run a job and checkpoint it every few seconds
 *
 *   ckpt-run [--interval S] [--keep K] [--checkpoint-on-exit] -o DIR -- CMD...
 *   ckpt-run [--interval S] [--keep K] [--checkpoint-on-exit] --resume DIR
 *
 * Runs CMD and, every S seconds (default 60), checkpoints its whole tree
 * from outside with the checkpoint tool into DIR/ckpt-N.img, N counting
 * up.  Each image is written as DIR/ckpt-N.img.tmp, checked with
 * ckptinfo, then renamed into place; only then are images beyond the K
 * newest (default 3) removed, so a good image is always left.
 *
 * --resume DIR restarts the newest image of DIR that ckptinfo accepts
 * (trying older ones when one is damaged) with the restart tool and goes
 * on checkpointing it into DIR.
 *
 * The job and the tools run in process groups of their own, so a
 * terminal's Ctrl-C reaches ckpt-run only: SIGINT or SIGTERM then take a
 * last checkpoint with --checkpoint-on-exit, and the job's process group
 * gets SIGTERM (SIGKILL 5 s later).  The exit status is the job's (128+N
 * if killed by signal N; 127 if CMD cannot be run), 1 if no image of
 * DIR could be restarted.
 *
 * The checkpoint, restart and ckptinfo tools are looked for next to
 * ckpt-run, then in PATH.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckpt.h"

#define PROG "ckpt-run"

static bool verbose;
static char tooldir[PATH_MAX];

#define err(...)	ckpt_msg(PROG, __VA_ARGS__)
#define info(...)	(verbose ? ckpt_msg(PROG, __VA_ARGS__) : (void)0)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- running the other tools ---- */

/* The path of tool @name: next to us if it is there, else its name. */
static const char *tool(const char *name, char *buf, size_t n)
{
	if (tooldir[0] &&
	    (size_t)snprintf(buf, n, "%s/%s", tooldir, name) < n &&
	    access(buf, X_OK) == 0)
		return buf;
	snprintf(buf, n, "%s", name);
	return buf;
}

static pid_t spawn(char *const argv[], bool quiet)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t all;

		setpgid(0, 0);	/* Ctrl-C is ckpt-run's to handle */
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0) {
				dup2(null, STDOUT_FILENO);
				dup2(null, STDERR_FILENO);
			}
		}
		execvp(argv[0], argv);
		fprintf(stderr, PROG ": cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		err("fork: %s", strerror(errno));
	return pid;
}

/* Run a tool to its end; its exit status, -1 if it did not exit. */
static int run(char *const argv[], bool quiet)
{
	pid_t pid = spawn(argv, quiet);
	int st;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool image_ok(const char *path)
{
	char t[PATH_MAX];
	char *const argv[] = { (char *)tool("ckptinfo", t, sizeof(t)), "-q", "--",
			       (char *)path, NULL };

	return run(argv, true) == 0;
}

/* ---- the images of DIR ---- */

struct images {
	unsigned long seq[4096];
	int nr;
};

static int cmp_desc(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The ckpt-N.img of @dir, newest first. */
static void list_images(const char *dir, struct images *im)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	im->nr = 0;
	if (!d)
		return;
	while ((e = readdir(d)) && im->nr < 4096) {
		const char *num = e->d_name + 5;
		size_t digits = strspn(num, "0123456789");
		unsigned long n;

		/* exactly what image_path() makes: no sign, no leading 0 */
		if (strncmp(e->d_name, "ckpt-", 5) || !digits ||
		    (num[0] == '0' && digits > 1) ||
		    strcmp(num + digits, ".img") || digits > 18)
			continue;
		n = strtoul(num, NULL, 10);
		im->seq[im->nr++] = n;
	}
	closedir(d);
	qsort(im->seq, im->nr, sizeof(im->seq[0]), cmp_desc);
}

static void image_path(char *buf, size_t n, const char *dir,
		       unsigned long seq, const char *suffix)
{
	snprintf(buf, n, "%s/ckpt-%lu.img%s", dir, seq, suffix);
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Checkpoint the tree at @pid into image @seq of @dir, check it, then
 * drop images beyond the @keep newest.  0 or -1.
 */
static int take(pid_t pid, const char *dir, unsigned long seq,
		unsigned int keep)
{
	char t[PATH_MAX], tmp[PATH_MAX], final[PATH_MAX], spid[16];
	char *const argv[] = { (char *)tool("checkpoint", t, sizeof(t)), "-o", tmp,
			       spid, NULL };
	struct images im;
	int fd;

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	image_path(tmp, sizeof(tmp), dir, seq, ".tmp");
	image_path(final, sizeof(final), dir, seq, "");
	if (run(argv, false) != 0) {
		err("checkpoint %lu of pid %d failed", seq, (int)pid);
		unlink(tmp);
		return -1;
	}
	fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		err("%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (!image_ok(tmp)) {
		err("%s does not verify: kept the older images", tmp);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, final) != 0) {
		err("rename %s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	sync_dir(dir);
	info("checkpoint %lu of pid %d in %s", seq, (int)pid, final);
	list_images(dir, &im);
	for (unsigned int i = keep; i < (unsigned int)im.nr; i++) {
		image_path(tmp, sizeof(tmp), dir, im.seq[i], "");
		unlink(tmp);
	}
	return 0;
}

/* ---- the job ---- */

/* A child of @parent (the restored root, once reparented to us), or 0. */
static pid_t child_of(pid_t parent)
{
	char path[64], buf[64];
	int fd, n;
	long pid = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
		 (int)parent, (int)parent);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, NULL, 10);
	return pid > 0 ? (pid_t)pid : 0;
}

/*
 * Restart the newest good image with "restart -d", which exits 0 once
 * the tree runs (or fails, and the next image is tried).  We are the
 * subreaper: the restored root becomes our child.  Its pid, or -1.
 */
static pid_t resume(const char *dir, unsigned long *seq)
{
	char t[PATH_MAX], img[PATH_MAX];
	char *const argv[] = { (char *)tool("restart", t, sizeof(t)), "-d", "-i",
			       img, NULL };
	struct images im;
	pid_t root;
	int i;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
		err("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
		return -1;
	}
	list_images(dir, &im);
	for (i = 0; i < im.nr; i++) {
		image_path(img, sizeof(img), dir, im.seq[i], "");
		if (!image_ok(img)) {
			err("%s does not verify: trying an older one", img);
			continue;
		}
		info("resuming from %s", img);
		if (run(argv, false) != 0) {
			err("restarting %s failed: trying an older one", img);
			continue;
		}
		root = child_of(getpid());
		if (!root) {
			err("restarting %s: the tree is gone already", img);
			return -1;
		}
		*seq = im.seq[0];	/* carry on numbering */
		return root;
	}
	err("%s: no image that restarts", dir);
	return -1;
}

/* Stop the job: SIGTERM to its process group, SIGKILL after 5 s. */
static int stop_job(pid_t job)
{
	int st, i;

	kill(-job, SIGTERM);
	kill(job, SIGTERM);
	for (i = 0; i < 500; i++) {
		if (waitpid(job, &st, WNOHANG) == job)
			return ckpt_exit_code(st);
		usleep(10000);
	}
	kill(-job, SIGKILL);
	kill(job, SIGKILL);
	waitpid(job, &st, 0);
	return ckpt_exit_code(st);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG
		" [--interval S] [--keep K] [--checkpoint-on-exit] [-v] -o DIR -- CMD...\n"
		"       " PROG
		" [--interval S] [--keep K] [--checkpoint-on-exit] [-v] --resume DIR\n"
		"Run CMD (or restart the newest good image of DIR) and checkpoint its tree\n"
		"every S seconds into DIR, keeping the K newest images.\n"
		"  -i, --interval S          seconds between checkpoints (default 60)\n"
		"  -k, --keep K              images kept (default 3)\n"
		"  -o, --output DIR          where the images go\n"
		"  -r, --resume DIR          restart from DIR's newest good image\n"
		"  -c, --checkpoint-on-exit  on SIGINT/SIGTERM checkpoint before stopping the job\n"
		"  -v, --verbose             say what is done\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval",		required_argument, NULL, 'i' },
		{ "keep",		required_argument, NULL, 'k' },
		{ "output",		required_argument, NULL, 'o' },
		{ "resume",		required_argument, NULL, 'r' },
		{ "checkpoint-on-exit",	no_argument,	   NULL, 'c' },
		{ "verbose",		no_argument,	   NULL, 'v' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	double interval = 60;
	unsigned int keep = 3;
	const char *dir = NULL;
	bool resuming = false, final = false;
	unsigned long seq = 0;
	struct images im;
	sigset_t mask;
	uint64_t next;
	pid_t job;
	ssize_t n;
	int c, sfd, st;
	char *end;

	n = readlink("/proc/self/exe", tooldir, sizeof(tooldir) - 1);
	if (n > 0) {
		tooldir[n] = '\0';
		end = strrchr(tooldir, '/');
		if (end)
			*end = '\0';
	} else {
		tooldir[0] = '\0';
	}
	while ((c = getopt_long(argc, argv, "+i:k:o:r:cvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			interval = strtod(optarg, &end);
			if (*end || !(interval >= 0.001 && interval <= 86400)) {
				err("bad interval \"%s\"", optarg);
				return 2;
			}
			break;
		case 'k':
			keep = strtoul(optarg, &end, 10);
			if (*end || optarg[0] < '1' || optarg[0] > '9' ||
			    keep > 4096) {
				err("bad --keep \"%s\"", optarg);
				return 2;
			}
			break;
		case 'o':
			dir = optarg;
			break;
		case 'r':
			dir = optarg;
			resuming = true;
			break;
		case 'c':
			final = true;
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
	if (!dir || (resuming ? optind != argc : optind == argc)) {
		usage(stderr);
		return 2;
	}
	if (!resuming && mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err("cannot create %s: %s", dir, strerror(errno));
		return 1;
	}

	/* SIGINT, SIGTERM and SIGCHLD come through a signalfd */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		err("signalfd: %s", strerror(errno));
		return 1;
	}

	if (resuming) {
		job = resume(dir, &seq);
		if (job < 0)
			return 1;
	} else {
		list_images(dir, &im);
		seq = im.nr ? im.seq[0] : 0;
		job = spawn(argv + optind, false);
		if (job < 0)
			return 1;
	}
	info("job %d, checkpoints every %g s into %s", (int)job, interval,
	     dir);

	/* a deadline, so that SIGCHLDs do not put the checkpoints off */
	next = now_ms() + (uint64_t)(interval * 1000);
	for (;;) {
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		struct signalfd_siginfo si;
		uint64_t t = now_ms();
		int r = poll(&p, 1, t >= next ? 0 : (int)(next - t));

		if (waitpid(job, &st, WNOHANG) == job)
			return ckpt_exit_code(st);
		if (r < 0 && errno != EINTR) {
			err("poll: %s", strerror(errno));
			return stop_job(job);
		}
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			info("signal %u: stopping the job", si.ssi_signo);
			if (final)
				take(job, dir, ++seq, keep);
			return stop_job(job);
		}
		if (now_ms() >= next) {
			take(job, dir, ++seq, keep);
			next = now_ms() + (uint64_t)(interval * 1000);
		}
	}
}
