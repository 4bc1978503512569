// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-bench: checkpoint and restart time and image size for processes
 * with 16, 64 and 256 MiB of touched memory, beside dd of as many bytes
 * to the same place (a file in /tmp).  Run in the test VM (make bench).
 *
 *   ckpt-bench [DIR] [MiB...]      defaults: /tmp 16 64 256
 *
 * The target touches its memory with a non-zero pattern (every page
 * distinct), then stops itself with SIGSTOP.  checkpoint(2) is timed on
 * the stopped process, writing to DIR/bench.img; the process is killed;
 * restart(2) is timed from the fork of the restarting child to the
 * restored process's first instruction after its stop, which reads
 * CLOCK_MONOTONIC and leaves the reading in DIR/bench.t.  The dd time is
 * that of "dd if=/dev/zero of=DIR/dd.img bs=1M count=MiB" (busybox).
 *
 * Targets (issue #2): image <= touched + 1%, checkpoint and restart each
 * <= 2x the dd time.  Figures are only comparable within one boot.
 *
 * Then trees of 1, 10 and 100 processes (CKPT_BENCH_TREE="N ..." for
 * others), 8 MiB touched each: a root and its children, all stopped,
 * checkpointed with CHECKPOINT_SUBTREE, killed, and restarted with the
 * restart tool, timed from its start until it exits, once every process
 * has checked its memory and the root has reaped its children.  The
 * cost per process should not grow with the size of the tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../ckpt.h"

static const char *dir = "/tmp";
static char img_path[4096], t_path[4096], dd_path[4096], log_path[4096];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "ckpt-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void show_log(void)
{
	char buf[4096];
	int fd = open(log_path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (n > 0) {
		buf[n] = '\0';
		fprintf(stderr, "kernel log: %s", buf);
	}
	if (fd >= 0)
		close(fd);
}

/* The target: touch @mib MiB, stop, then report the time of resumption. */
static void target(size_t mib)
{
	size_t len = mib << 20, i;
	uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[64];
	double t;
	int fd;

	if (p == MAP_FAILED)
		_exit(2);
	for (i = 0; i < len / 8; i++)
		p[i] = i * 0x9e3779b97f4a7c15ull + 1;
	raise(SIGSTOP);
	t = now();
	/* after restart: prove the memory came back, then report */
	for (i = 0; i < len / 8; i += 512)
		if (p[i] != i * 0x9e3779b97f4a7c15ull + 1)
			_exit(3);
	fd = open(t_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		_exit(4);
	snprintf(buf, sizeof(buf), "%.9f\n", t);
	if (write(fd, buf, strlen(buf)) < 0)
		_exit(5);
	close(fd);
	_exit(0);
}

static double run_dd(size_t mib)
{
	char count[32];
	double t0, t1;
	pid_t pid;
	int st;

	snprintf(count, sizeof(count), "count=%zu", mib);
	unlink(dd_path);
	t0 = now();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		char of[4200];

		snprintf(of, sizeof(of), "of=%s", dd_path);
		dup2(null, 2);
		execlp("dd", "dd", "if=/dev/zero", of, "bs=1M", count,
		       (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	t1 = now();
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "ckpt-bench: dd failed\n");
		exit(1);
	}
	unlink(dd_path);
	return t1 - t0;
}

static int bench(size_t mib)
{
	double t0, t1, t_ckpt, t_rst, t_dd, t_back;
	struct stat sb;
	char buf[64];
	int img, logfd, st, fd, ok;
	pid_t pid;
	long r;

	logfd = open(log_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (logfd < 0)
		die(log_path);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		target(mib);
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st)) {
		fprintf(stderr, "ckpt-bench: the target did not stop\n");
		return -1;
	}

	img = open(img_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (img < 0)
		die(img_path);
	t0 = now();
	r = ckpt_checkpoint(pid, img, 0, logfd);
	t1 = now();
	t_ckpt = t1 - t0;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (r <= 0) {
		fprintf(stderr, "ckpt-bench: checkpoint: %s\n", strerror(errno));
		show_log();
		return -1;
	}
	fstat(img, &sb);
	close(img);

	img = open(img_path, O_RDONLY);
	if (img < 0)
		die(img_path);
	unlink(t_path);
	t0 = now();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		ckpt_restart(0, img, RESTART_TASKSELF, logfd);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	close(img);
	fd = open(t_path, O_RDONLY);
	ok = fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0;
	if (fd >= 0)
		close(fd);
	if (!ok || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "ckpt-bench: restart failed (status %#x)\n", st);
		show_log();
		return -1;
	}
	t_back = strtod(buf, NULL);
	t_rst = t_back - t0;
	unlink(img_path);
	close(logfd);

	t_dd = run_dd(mib);

	printf("%6zu %12.1f %6.3f %10.3f %10.3f %8.3f %8.2f %8.2f\n",
	       mib, sb.st_size / 1048576.0,
	       (double)sb.st_size / (mib << 20),
	       t_ckpt, t_rst, t_dd, t_ckpt / t_dd, t_rst / t_dd);
	fflush(stdout);
	return (sb.st_size <= (off_t)((mib << 20) * 101 / 100) &&
		t_ckpt <= 2 * t_dd && t_rst <= 2 * t_dd) ? 0 : 1;
}

/* ---- trees ---- */

#define TREE_MIB	8

static void touch(uint64_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len / 8; i++)
		p[i] = (i + seed) * 0x9e3779b97f4a7c15ull + 1;
}

static bool same(const uint64_t *p, size_t len, uint64_t seed)
{
	for (size_t i = 0; i < len / 8; i += 512)
		if (p[i] != (i + seed) * 0x9e3779b97f4a7c15ull + 1)
			return false;
	return true;
}

/*
 * The root of a tree of @n: its children touch their memory and stop,
 * then it does.  After restart each checks its memory and exits; the
 * root reaps the children and exits 0 if all were right.
 */
static void tree_root(unsigned int n)
{
	size_t len = (size_t)TREE_MIB << 20;
	uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int i, bad = 0;
	int st;

	if (p == MAP_FAILED)
		_exit(2);
	setpgid(0, 0);
	for (i = 1; i < n; i++) {
		pid_t kid = fork();

		if (kid < 0)
			_exit(2);
		if (kid == 0) {
			touch(p, len, i);
			raise(SIGSTOP);
			_exit(same(p, len, i) ? 0 : 1);
		}
		if (waitpid(kid, &st, WUNTRACED) != kid || !WIFSTOPPED(st))
			_exit(2);
	}
	touch(p, len, 0);
	raise(SIGSTOP);
	for (i = 1; i < n; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad++;
	_exit(!bad && same(p, len, 0) ? 0 : 1);
}

static int run_restart(const char *img)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execlp("restart", "restart", "-i", img, "--log", log_path,
		       (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static int bench_tree(unsigned int n, double *per_proc)
{
	double t0, t_ckpt, t_rst;
	struct stat sb;
	int img, logfd, st;
	pid_t root;
	long r;

	logfd = open(log_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (logfd < 0)
		die(log_path);
	root = fork();
	if (root < 0)
		die("fork");
	if (root == 0)
		tree_root(n);
	if (waitpid(root, &st, WUNTRACED) != root || !WIFSTOPPED(st)) {
		fprintf(stderr, "ckpt-bench: the tree of %u did not stop\n", n);
		return -1;
	}
	img = open(img_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (img < 0)
		die(img_path);
	t0 = now();
	r = ckpt_checkpoint(root, img, CHECKPOINT_SUBTREE, logfd);
	t_ckpt = now() - t0;
	kill(-root, SIGKILL);
	waitpid(root, &st, 0);
	fstat(img, &sb);
	close(img);
	close(logfd);
	if (r <= 0) {
		fprintf(stderr, "ckpt-bench: checkpoint of a tree of %u: %s\n",
			n, strerror(errno));
		show_log();
		return -1;
	}
	/* let init reap the killed children, so their pids are free */
	usleep(200000);
	t0 = now();
	st = run_restart(img_path);
	t_rst = now() - t0;
	unlink(img_path);
	if (st != 0) {
		fprintf(stderr, "ckpt-bench: restart of a tree of %u: status %#x\n",
			n, st);
		show_log();
		return -1;
	}
	*per_proc = (t_ckpt + t_rst) / n;
	printf("%6u %12.1f %10.3f %10.3f %12.2f %12.2f\n", n,
	       sb.st_size / 1048576.0, t_ckpt, t_rst, t_ckpt / n * 1e3,
	       t_rst / n * 1e3);
	fflush(stdout);
	return 0;
}

static int trees(void)
{
	const char *env = getenv("CKPT_BENCH_TREE");
	unsigned int sizes[8] = { 1, 10, 100 }, nr = 3;
	double per[8];
	char *end;

	if (env) {
		for (nr = 0; nr < 8 && *env; env = end) {
			unsigned long v = strtoul(env, &end, 10);

			if (end == env)
				break;
			if (v)
				sizes[nr++] = v;
		}
	}
	printf("\ntrees of N processes, %d MiB touched each "
	       "(restart: the restart tool, start to exit)\n", TREE_MIB);
	printf("%6s %12s %10s %10s %12s %12s\n", "procs", "image MiB",
	       "ckpt s", "restart s", "ckpt ms/p", "restart ms/p");
	for (unsigned int i = 0; i < nr; i++)
		if (bench_tree(sizes[i], &per[i]))
			return 1;
	if (nr > 1)
		printf("cost per process, largest tree / smallest: %.2f "
		       "(1.00 = linear)\n", per[nr - 1] / per[0]);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t def[] = { 16, 64, 256 };
	size_t sizes[16], n = 0, i;
	int miss = 0, r;

	if (argc > 1)
		dir = argv[1];
	for (i = 2; i < (size_t)argc && n < 16; i++)
		sizes[n++] = strtoul(argv[i], NULL, 0);
	if (!n)
		for (n = 0; n < 3; n++)
			sizes[n] = def[n];
	snprintf(img_path, sizeof(img_path), "%s/bench.img", dir);
	snprintf(t_path, sizeof(t_path), "%s/bench.t", dir);
	snprintf(dd_path, sizeof(dd_path), "%s/dd.img", dir);
	snprintf(log_path, sizeof(log_path), "%s/bench.log", dir);

	printf("checkpoint/restart of a process with N MiB touched, image in %s\n",
	       dir);
	printf("%6s %12s %6s %10s %10s %8s %8s %8s\n", "MiB", "image MiB",
	       "ratio", "ckpt s", "restart s", "dd s", "ckpt/dd", "rst/dd");
	for (i = 0; i < n; i++) {
		r = bench(sizes[i]);
		if (r < 0)
			return 1;
		miss += r;
	}
	printf("targets (image <= +1%%, ckpt and restart <= 2x dd): %s\n",
	       miss ? "MISSED" : "met");
	return trees();
}
