// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt-bench: ckpt beside CRIU, measured the way a user runs them.
 *
 *   ckpt-bench [-d DIR] [-r REPS] [-s "MiB..."] [-t NxMIB] [-T "N..."] [-C]
 *
 * Workloads: one process with 16, 64 and 256 MiB touched (-s), and a tree
 * of 100 processes with 1 MiB each (-t 100x1).  Every page holds a distinct
 * non-zero pattern.  The target runs (it is not stopped): its root sleeps
 * 1 ms at a time and remembers the longest gap between two wake-ups, which
 * is how long it was frozen while a checkpoint was taken; the other
 * processes of a tree wait for a signal.
 *
 * For each workload, tool and repetition (-r, default 3) a fresh target is
 * started and
 *   checkpoint  the time of "checkpoint -o IMG PID", or of
 *               "criu dump -t PID -D DIR --leave-running" (tool start to exit)
 *   frozen      the target's longest gap around that (includes up to 1 ms
 *               of its own sleep)
 *   image       the image file's size, or the sum of CRIU's image files
 *   restart     the target is killed, then the time of "restart -d -i IMG"
 *               or "criu restore -d -D DIR": until the tool returns with
 *               the tree running again
 * and afterwards every restored process checks every word of its memory.
 * Beside them: "dd if=/dev/zero of=DIR/dd.img bs=1M" of the touched bytes,
 * and memcpy() of as many bytes between two touched buffers (the copy
 * limit).  Medians are printed as a markdown table, then as CSV between
 * "--- csv" and "--- end" lines (and every sample between "--- raw" and
 * "--- end"), which the host side of make bench turns into files and a
 * plot.  Then, ckpt alone, trees of 1, 10 and 100 processes with 8 MiB
 * each (-T), to show that the cost per process does not grow.
 *
 * -C leaves CRIU out (also done when criu is not in PATH).  Figures are
 * only comparable within one boot.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS	15
#define MAX_ROWS	16
#define SCALING_MIB	8

static const char *dir = "/tmp";
static char ckpt_img[4096], criu_dir[4096], gap_path[4096], res_path[4096];
static char dd_path[4096], log_path[4096];
static int reps = 3;

/* ---- small helpers ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void die(const char *what)
{
	fprintf(stderr, "ckpt-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Write @text to @path atomically (a reader never sees half of it). */
static int put_file(const char *path, const char *text)
{
	char tmp[4200];
	int fd, ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? rename(tmp, path) : -1;
}

static int get_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void show_log(void)
{
	char buf[8192];

	if (!get_file(log_path, buf, sizeof(buf)))
		fprintf(stderr, "ckpt-bench: the tool said:\n%s", buf);
}

/* Run a tool, its output to log_path; 0 if it exited 0. */
static int run(char *const argv[])
{
	pid_t pid = fork();
	int st, fd;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- the target ---- */

static volatile sig_atomic_t want_gap, want_check;

static void on_usr1(int sig)
{
	(void)sig;
	want_gap = 1;
}

static void on_usr2(int sig)
{
	(void)sig;
	want_check = 1;
}

static uint64_t pattern(size_t i, unsigned int seed)
{
	return (i + ((uint64_t)seed << 40)) * 0x9e3779b97f4a7c15ull + 1;
}

static bool check_mem(const uint64_t *p, size_t words, unsigned int seed)
{
	for (size_t i = 0; i < words; i++)
		if (p[i] != pattern(i, seed))
			return false;
	return true;
}

/* Signal the children of the calling (single-threaded) process. */
static void signal_children(int sig)
{
	char path[64], buf[65536];
	char *s, *end;
	int fd;
	ssize_t n, len = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	while (len < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (s = buf; *s; s = end) {
		long pid = strtol(s, &end, 10);

		if (end == s)
			break;
		kill(pid, sig);
	}
}

/*
 * One process of a target: touch @mib MiB, say it is ready by closing
 * @ready, then sleep 1 ms at a time, measuring gaps.  The root writes
 * the longest gap since the last report to gap_path on SIGUSR1.  On
 * SIGUSR2 every process checks its memory; the root first passes the
 * signal on to its children, reaps them and writes "CHILDREN BAD" to
 * res_path.
 */
static void __attribute__((noreturn))
target_body(size_t mib, unsigned int seed, bool root, int ready)
{
	const struct timespec ms = { 0, 1000000 };
	size_t words = (mib << 20) / 8, i;
	int64_t last, t, gap, maxgap = 0;
	unsigned int kids = 0, bad = 0;
	char buf[64];
	uint64_t *p;
	int st;

	p = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(2);
	for (i = 0; i < words; i++)
		p[i] = pattern(i, seed);
	close(ready);

	/*
	 * The other processes of a tree just wait: a hundred processes
	 * waking up every millisecond would keep one CPU busy and slow
	 * down every tool measured.
	 */
	if (!root) {
		sigset_t block, old;

		sigemptyset(&block);
		sigaddset(&block, SIGUSR2);
		sigprocmask(SIG_BLOCK, &block, &old);
		while (!want_check)
			sigsuspend(&old);
	}

	last = (int64_t)(now() * 1e9);
	while (!want_check) {
		nanosleep(&ms, NULL);
		t = (int64_t)(now() * 1e9);
		gap = t - last;
		last = t;
		if (gap > maxgap)
			maxgap = gap;
		if (want_gap) {
			want_gap = 0;
			snprintf(buf, sizeof(buf), "%lld\n", (long long)maxgap);
			put_file(gap_path, buf);
			maxgap = 0;
		}
	}
	if (root) {
		signal_children(SIGUSR2);
		while (wait(&st) > 0) {
			kids++;
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				bad++;
		}
	}
	if (!check_mem(p, words, seed))
		bad++;
	if (root) {
		snprintf(buf, sizeof(buf), "%u %u\n", kids, bad);
		put_file(res_path, buf);
	}
	_exit(bad ? 1 : 0);
}

/* Start a tree of @procs processes of @mib MiB; return once all touched. */
static pid_t start_target(unsigned int procs, size_t mib)
{
	struct sigaction sa = { 0 };
	int p[2], null;
	pid_t root;
	char c;

	if (pipe(p))
		die("pipe");
	root = fork();
	if (root < 0)
		die("fork");
	if (root == 0) {
		close(p[0]);
		setsid();
		null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
		sa.sa_handler = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		sa.sa_handler = on_usr2;
		sigaction(SIGUSR2, &sa, NULL);
		for (unsigned int i = 1; i < procs; i++) {
			pid_t kid = fork();

			if (kid < 0)
				_exit(2);
			if (kid == 0)
				target_body(mib, i, false, p[1]);
		}
		target_body(mib, 0, true, p[1]);
	}
	close(p[1]);
	while (read(p[0], &c, 1) > 0)	/* EOF: every process is ready */
		;
	close(p[0]);
	return root;
}

/* The longest gap of the root since the last call, in seconds. */
static int target_gap(pid_t root, double *gap)
{
	char buf[64];

	unlink(gap_path);
	if (kill(root, SIGUSR1))
		return -1;
	for (int i = 0; i < 20000; i++) {
		if (!get_file(gap_path, buf, sizeof(buf))) {
			*gap = strtoll(buf, NULL, 10) / 1e9;
			return 0;
		}
		sleep_ms(1);
	}
	return -1;
}

/* Kill every process of the tree of @root and reap them all. */
static void kill_target(pid_t root)
{
	kill(-root, SIGKILL);
	kill(root, SIGKILL);
	waitpid(root, NULL, 0);
	while (wait(NULL) > 0)	/* the orphans came to us, the subreaper */
		;
}

/* RssAnon of /proc/PID/status, in bytes (0 if unknown). */
static double rss_anon(pid_t pid)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (get_file(path, buf, sizeof(buf)))
		return 0;
	p = strstr(buf, "RssAnon:");
	return p ? strtod(p + 8, NULL) * 1024 : 0;
}

/*
 * The anonymous memory the tree of @root has resident: what a
 * checkpoint must write (the workload's pages plus each process's own
 * stack, data and heap).
 */
static double tree_rss_anon(pid_t root)
{
	char path[64], buf[65536], *s, *end;
	double sum = rss_anon(root);

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)root,
		 (int)root);
	if (get_file(path, buf, sizeof(buf)))
		return sum;
	for (s = buf; *s; s = end) {
		long pid = strtol(s, &end, 10);

		if (end == s)
			break;
		sum += rss_anon(pid);
	}
	return sum;
}

/* The one child of ours: the root a restore left running. */
static pid_t only_child(void)
{
	char path[64], buf[256];
	char *end;
	long pid;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	if (get_file(path, buf, sizeof(buf)))
		return -1;
	pid = strtol(buf, &end, 10);
	while (*end == ' ')
		end++;
	return end == buf || *end != '\0' ? -1 : (pid_t)pid;
}

/* Have the restored tree check its memory; 0 if all of it came back. */
static int check_restored(unsigned int procs)
{
	char buf[64];
	unsigned int kids = 0, bad = 1;
	pid_t root = only_child();
	int st;

	if (root <= 0) {
		fprintf(stderr, "ckpt-bench: no restored process\n");
		return -1;
	}
	unlink(res_path);
	kill(root, SIGUSR2);
	waitpid(root, &st, 0);
	while (wait(NULL) > 0)
		;
	if (!get_file(res_path, buf, sizeof(buf)))
		sscanf(buf, "%u %u", &kids, &bad);
	if (!WIFEXITED(st) || WEXITSTATUS(st) || bad || kids != procs - 1) {
		fprintf(stderr,
			"ckpt-bench: after restore: status %#x, %u of %u children, %u bad\n",
			st, kids, procs - 1, bad);
		return -1;
	}
	return 0;
}

/* ---- the tools ---- */

struct tool {
	const char *name;
	int (*dump)(pid_t pid);
	int (*restore)(void);
	double (*image_bytes)(void);
	void (*clean)(void);
};

static int ckpt_dump(pid_t pid)
{
	char spid[16];
	char *const argv[] = { "checkpoint", "-o", ckpt_img, spid, NULL };

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	return run(argv);
}

static int ckpt_restore(void)
{
	char *const argv[] = { "restart", "-d", "-i", ckpt_img, NULL };

	return run(argv);
}

static double ckpt_bytes(void)
{
	struct stat sb;

	return stat(ckpt_img, &sb) ? -1 : (double)sb.st_size;
}

static void ckpt_clean(void)
{
	unlink(ckpt_img);
}

static int criu_dump(pid_t pid)
{
	char spid[16];
	/* under TCG a tree of 100 takes criu longer than its default 10 s */
	char *const argv[] = { "criu", "dump", "-t", spid, "-D", criu_dir,
			       "--leave-running", "--timeout", "600", "-o", log_path,
			       NULL };

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	return run(argv);
}

static int criu_restore(void)
{
	char *const argv[] = { "criu", "restore", "-d", "-D", criu_dir,
			       "-o", log_path, NULL };

	return run(argv);
}

/* Sum (or remove, @rm) the regular files of CRIU's image directory. */
static double criu_walk(bool rm)
{
	DIR *d = opendir(criu_dir);
	struct dirent *e;
	struct stat sb;
	double sum = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (fstatat(dirfd(d), e->d_name, &sb, 0) || !S_ISREG(sb.st_mode))
			continue;
		if (rm)
			unlinkat(dirfd(d), e->d_name, 0);
		else
			sum += sb.st_size;
	}
	closedir(d);
	return sum;
}

static double criu_bytes(void)
{
	return criu_walk(false);
}

static void criu_clean(void)
{
	criu_walk(true);
}

static const struct tool tools[] = {
	{ "ckpt", ckpt_dump, ckpt_restore, ckpt_bytes, ckpt_clean },
	{ "criu", criu_dump, criu_restore, criu_bytes, criu_clean },
};

/* ---- measurements ---- */

struct sample {
	double dump, frozen, restore, bytes, resident;
};

/* One checkpoint/kill/restart/check cycle of a fresh target. */
static int cycle(const struct tool *tl, unsigned int procs, size_t mib,
		 struct sample *s)
{
	double t0, gap;
	pid_t root;

	tl->clean();
	root = start_target(procs, mib);
	sleep_ms(20);
	if (target_gap(root, &gap)) {	/* starts the window */
		fprintf(stderr, "ckpt-bench: the target does not answer\n");
		kill_target(root);
		return -1;
	}
	s->resident = tree_rss_anon(root);
	t0 = now();
	if (tl->dump(root)) {
		fprintf(stderr, "ckpt-bench: %s: checkpoint failed\n", tl->name);
		show_log();
		kill_target(root);
		return -1;
	}
	s->dump = now() - t0;
	sleep_ms(5);
	if (target_gap(root, &s->frozen)) {
		fprintf(stderr, "ckpt-bench: %s: the target did not survive the checkpoint\n",
			tl->name);
		kill_target(root);
		return -1;
	}
	s->bytes = tl->image_bytes();
	kill_target(root);

	t0 = now();
	if (tl->restore()) {
		fprintf(stderr, "ckpt-bench: %s: restart failed\n", tl->name);
		show_log();
		while (wait(NULL) > 0)
			;
		return -1;
	}
	s->restore = now() - t0;
	if (check_restored(procs)) {
		fprintf(stderr, "ckpt-bench: %s: the restored memory is wrong\n",
			tl->name);
		return -1;
	}
	tl->clean();
	return 0;
}

static double run_dd(size_t mib)
{
	char count[32], of[4200];
	char *const argv[] = { "dd", "if=/dev/zero", of, "bs=1M", count, NULL };
	double t0, t;

	snprintf(count, sizeof(count), "count=%zu", mib);
	snprintf(of, sizeof(of), "of=%s", dd_path);
	unlink(dd_path);
	t0 = now();
	if (run(argv)) {
		fprintf(stderr, "ckpt-bench: dd failed\n");
		exit(1);
	}
	t = now() - t0;
	unlink(dd_path);
	return t;
}

static double run_memcpy(size_t mib)
{
	size_t len = mib << 20;
	char *a = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t0, t;

	if (a == MAP_FAILED || b == MAP_FAILED)
		die("mmap");
	memset(a, 0x5a, len);
	memset(b, 0xa5, len);
	t0 = now();
	memcpy(b, a, len);
	t = now() - t0;
	if (b[len - 1] != 0x5a)
		exit(1);
	munmap(a, len);
	munmap(b, len);
	return t;
}

struct row {
	char name[32];
	unsigned int procs;
	size_t mib;		/* per process */
	struct sample s[2][MAX_REPS];
	bool have[2];
	double dd[MAX_REPS], mc[MAX_REPS];
	/* medians */
	struct sample m[2];
	double m_resident;
	double m_dd, m_mc;
};

static struct row rows[MAX_ROWS];
static int nrows;
static bool use_criu = true;

static void measure(struct row *r)
{
	int t, i, ntools = use_criu ? 2 : 1;
	double v[5][MAX_REPS];
	size_t total = r->procs * r->mib;

	for (i = 0; i < reps; i++) {
		for (t = 0; t < ntools; t++) {
			if (!cycle(&tools[t], r->procs, r->mib, &r->s[t][i]))
				continue;
			if (t == 0)	/* ckpt must work */
				exit(1);
			fprintf(stderr, "ckpt-bench: %s: criu left out of this row\n",
				r->name);
			ntools = 1;
		}
		r->dd[i] = run_dd(total);
		r->mc[i] = run_memcpy(total);
	}
	for (t = 0; t < ntools; t++) {
		for (i = 0; i < reps; i++) {
			v[0][i] = r->s[t][i].dump;
			v[1][i] = r->s[t][i].frozen;
			v[2][i] = r->s[t][i].restore;
			v[3][i] = r->s[t][i].bytes;
			v[4][i] = r->s[t][i].resident;
		}
		r->m[t].dump = median(v[0], reps);
		r->m[t].frozen = median(v[1], reps);
		r->m[t].restore = median(v[2], reps);
		r->m[t].bytes = median(v[3], reps);
		r->m[t].resident = median(v[4], reps);
		r->have[t] = true;
	}
	r->m_resident = r->m[0].resident;
	r->m_dd = median(r->dd, reps);
	r->m_mc = median(r->mc, reps);
}

/* "%.3f", or "-" for what was not measured */
static const char *fmt(char *buf, bool have, double v, int prec)
{
	if (!have)
		return "-";
	snprintf(buf, 32, "%.*f", prec, v);
	return buf;
}

static void print_table(void)
{
	char b[13][32];

	printf("| workload | touched MiB | resident MiB ");
	printf("| ckpt checkpoint s | criu dump s | ckpt/criu ");
	printf("| ckpt frozen s | criu frozen s ");
	printf("| ckpt restart s | criu restore s | ckpt/criu ");
	printf("| ckpt image MiB | criu image MiB | dd s | memcpy s |\n");
	printf("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		bool c = r->have[1];

		printf("| %s | %zu | %s | %s | %s | %s ",
		       r->name, r->procs * r->mib,
		       fmt(b[12], true, r->m_resident / 1048576, 1),
		       fmt(b[0], true, r->m[0].dump, 3),
		       fmt(b[1], c, r->m[1].dump, 3),
		       fmt(b[2], c, r->m[0].dump / r->m[1].dump, 2));
		printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
		       fmt(b[3], true, r->m[0].frozen, 3),
		       fmt(b[4], c, r->m[1].frozen, 3),
		       fmt(b[5], true, r->m[0].restore, 3),
		       fmt(b[6], c, r->m[1].restore, 3),
		       fmt(b[7], c, r->m[0].restore / r->m[1].restore, 2),
		       fmt(b[8], true, r->m[0].bytes / 1048576, 1),
		       fmt(b[9], c, r->m[1].bytes / 1048576, 1),
		       fmt(b[10], true, r->m_dd, 3),
		       fmt(b[11], true, r->m_mc, 3));
	}
}

static void print_csv(void)
{
	printf("--- csv\n");
	printf("workload,procs,touched_mib,resident_mib,ckpt_checkpoint_s,criu_dump_s,");
	printf("ckpt_frozen_s,criu_frozen_s,ckpt_restart_s,criu_restore_s,");
	printf("ckpt_image_mib,criu_image_mib,dd_s,memcpy_s\n");
	for (int i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		char b[6][32];
		bool c = r->have[1];

		printf("%s,%u,%zu,%.2f,%.4f,%s,%.4f,%s,%.4f,%s,%.2f,%s,%.4f,%.4f\n",
		       r->name, r->procs, r->procs * r->mib,
		       r->m_resident / 1048576,
		       r->m[0].dump, c ? fmt(b[0], c, r->m[1].dump, 4) : "",
		       r->m[0].frozen, c ? fmt(b[1], c, r->m[1].frozen, 4) : "",
		       r->m[0].restore, c ? fmt(b[2], c, r->m[1].restore, 4) : "",
		       r->m[0].bytes / 1048576,
		       c ? fmt(b[3], c, r->m[1].bytes / 1048576, 2) : "",
		       r->m_dd, r->m_mc);
	}
	printf("--- end\n");
	printf("--- raw\n");
	printf("workload,tool,rep,checkpoint_s,frozen_s,restart_s,image_bytes,resident_bytes\n");
	for (int i = 0; i < nrows; i++)
		for (int t = 0; t < 2; t++)
			for (int k = 0; t < 2 && rows[i].have[t] && k < reps; k++) {
				struct sample *s = &rows[i].s[t][k];

				printf("%s,%s,%d,%.4f,%.4f,%.4f,%.0f,%.0f\n",
				       rows[i].name, tools[t].name, k + 1,
				       s->dump, s->frozen, s->restore, s->bytes,
				       s->resident);
			}
	for (int i = 0; i < nrows; i++)
		for (int k = 0; k < reps; k++)
			printf("%s,dd,%d,%.4f,,,,\n%s,memcpy,%d,%.4f,,,,\n",
			       rows[i].name, k + 1, rows[i].dd[k],
			       rows[i].name, k + 1, rows[i].mc[k]);
	printf("--- end\n");
}

static struct row *find_row(unsigned int procs, size_t mib)
{
	for (int i = 0; i < nrows; i++)
		if (rows[i].procs == procs && rows[i].procs * rows[i].mib == mib)
			return &rows[i];
	return NULL;
}

static int target_line(const char *what, double value, bool ok_if_less,
		       double limit)
{
	bool ok = ok_if_less ? value <= limit : value >= limit;

	printf("  %-46s %7.2f  (target %s %.2f)  %s\n", what, value,
	       ok_if_less ? "<=" : ">=", limit, ok ? "met" : "MISSED");
	return ok ? 0 : 1;
}

/* The targets of issue #5, for the rows that were measured. */
static void print_targets(void)
{
	struct row *r;
	int miss = 0;

	printf("\ntargets:\n");
	r = find_row(1, 16);
	if (r && r->have[1]) {
		miss += target_line("16 MiB: criu dump / ckpt checkpoint",
				    r->m[1].dump / r->m[0].dump, false, 5);
		miss += target_line("16 MiB: criu restore / ckpt restart",
				    r->m[1].restore / r->m[0].restore, false, 5);
	}
	r = find_row(1, 256);
	if (r && r->have[1]) {
		miss += target_line("256 MiB: criu dump / ckpt checkpoint",
				    r->m[1].dump / r->m[0].dump, false, 2);
		miss += target_line("256 MiB: criu restore / ckpt restart",
				    r->m[1].restore / r->m[0].restore, false, 2);
	}
	if (r) {
		miss += target_line("256 MiB: ckpt checkpoint / dd",
				    r->m[0].dump / r->m_dd, true, 1.2);
		miss += target_line("256 MiB: ckpt restart / dd",
				    r->m[0].restore / r->m_dd, true, 1.5);
	}
	for (int i = 0; i < nrows; i++) {
		char what[96];

		r = &rows[i];
		snprintf(what, sizeof(what), "%.32s: ckpt image / resident",
			 r->name);
		miss += target_line(what, r->m[0].bytes / r->m_resident,
				    true, 1.01);
	}
	printf("%s\n", miss ? "some targets MISSED" : "all targets met");
}

/* ckpt alone: does the cost per process stay flat as trees grow? */
static int scaling(const unsigned int *sizes, int n)
{
	double per[8];
	struct sample s;

	printf("\nckpt, trees of N processes with %d MiB touched each (one run each)\n\n",
	       SCALING_MIB);
	printf("| procs | image MiB | checkpoint s | frozen s | restart s ");
	printf("| checkpoint ms/proc | restart ms/proc |\n");
	printf("|--:|--:|--:|--:|--:|--:|--:|\n");
	for (int i = 0; i < n; i++) {
		if (cycle(&tools[0], sizes[i], SCALING_MIB, &s))
			return -1;
		per[i] = (s.dump + s.restore) / sizes[i];
		printf("| %u | %.1f | %.3f | %.3f | %.3f | %.1f | %.1f |\n",
		       sizes[i], s.bytes / 1048576, s.dump, s.frozen, s.restore,
		       s.dump / sizes[i] * 1e3, s.restore / sizes[i] * 1e3);
		fflush(stdout);
	}
	if (n > 1)
		printf("\ncost per process, largest tree / smallest: %.2f (1.00 = linear)\n",
		       per[n - 1] / per[0]);
	return 0;
}

/*
 * Guest memory the host (QEMU) has never backed costs a host page fault
 * and zeroing the first time the guest touches it: a cost of the VM,
 * which would fall on whichever tool runs first.  Touch most of the
 * free memory once, so that every measurement finds it backed.
 */
static void prefault(void)
{
	char buf[4096], *p;
	size_t len, i;
	char *mem;

	if (get_file("/proc/meminfo", buf, sizeof(buf)))
		return;
	p = strstr(buf, "MemAvailable:");
	if (!p)
		return;
	len = (size_t)(strtod(p + 13, NULL) * 1024 * 0.85);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return;
	for (i = 0; i < len; i += 4096)
		mem[i] = 1;
	munmap(mem, len);
}

static bool in_path(const char *prog)
{
	char *const argv[] = { (char *)prog, "--version", NULL };

	return run(argv) == 0;
}

static void print_setup(void)
{
	struct utsname u;
	char buf[256] = "", *nl;

	uname(&u);
	if (use_criu) {
		char *const argv[] = { "criu", "--version", NULL };

		if (!run(argv) && !get_file(log_path, buf, sizeof(buf))) {
			for (nl = buf; (nl = strchr(nl, '\n')); )
				*nl = ' ';
		}
	}
	printf("ckpt-bench: kernel %s, %ld CPUs, %s%s, images in %s, median of %d\n\n",
	       u.release, sysconf(_SC_NPROCESSORS_ONLN),
	       use_criu ? "CRIU " : "without CRIU", buf, dir, reps);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ckpt-bench [-d DIR] [-r REPS] [-s \"MiB...\"] [-t NxMIB] [-T \"N...\"] [-C]\n"
		"  -d DIR     where images go (default /tmp)\n"
		"  -r REPS    repetitions, medians reported (default 3, max %d)\n"
		"  -s LIST    single-process sizes in MiB (default \"16 64 256\")\n"
		"  -t NxMIB   a tree row, N processes of MIB each (default 100x1, 0: none)\n"
		"  -T LIST    ckpt-only scaling trees of %d MiB each (default \"1 10 100\", \"\": none)\n"
		"  -C         leave CRIU out\n", MAX_REPS, SCALING_MIB);
}

static int parse_list(const char *s, unsigned int *v, int max)
{
	char *end;
	int n = 0;

	while (*s && n < max) {
		unsigned long x = strtoul(s, &end, 10);

		if (end == s)
			break;
		if (x)
			v[n++] = x;
		s = end;
	}
	return n;
}

int main(int argc, char **argv)
{
	unsigned int sizes[MAX_ROWS] = { 16, 64, 256 }, scale[8] = { 1, 10, 100 };
	unsigned int tree_n = 100, tree_mib = 1;
	int nsizes = 3, nscale = 3, c;

	while ((c = getopt(argc, argv, "d:r:s:t:T:Ch")) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'r':
			reps = atoi(optarg);
			if (reps < 1 || reps > MAX_REPS) {
				usage(stderr);
				return 2;
			}
			break;
		case 's':
			nsizes = parse_list(optarg, sizes, MAX_ROWS - 1);
			break;
		case 't':
			if (sscanf(optarg, "%ux%u", &tree_n, &tree_mib) != 2)
				tree_n = 0;
			break;
		case 'T':
			nscale = parse_list(optarg, scale, 8);
			break;
		case 'C':
			use_criu = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	snprintf(ckpt_img, sizeof(ckpt_img), "%s/bench.img", dir);
	snprintf(criu_dir, sizeof(criu_dir), "%s/bench.criu", dir);
	snprintf(gap_path, sizeof(gap_path), "%s/bench.gap", dir);
	snprintf(res_path, sizeof(res_path), "%s/bench.result", dir);
	snprintf(dd_path, sizeof(dd_path), "%s/bench.dd", dir);
	snprintf(log_path, sizeof(log_path), "%s/bench.log", dir);
	mkdir(criu_dir, 0700);

	/* restored roots and orphans of killed targets come back to us */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1))
		die("PR_SET_CHILD_SUBREAPER");
	if (use_criu && !in_path("criu")) {
		printf("ckpt-bench: criu not found: measuring ckpt alone\n");
		use_criu = false;
	}
	print_setup();
	fflush(stdout);
	prefault();

	for (int i = 0; i < nsizes; i++) {
		snprintf(rows[nrows].name, sizeof(rows[nrows].name), "%u MiB",
			 sizes[i]);
		rows[nrows].procs = 1;
		rows[nrows++].mib = sizes[i];
	}
	if (tree_n) {
		snprintf(rows[nrows].name, sizeof(rows[nrows].name),
			 "tree %ux%u MiB", tree_n, tree_mib);
		rows[nrows].procs = tree_n;
		rows[nrows++].mib = tree_mib;
	}

	/* warm-up, not counted: CRIU's first run probes the kernel */
	{
		struct row w = { .procs = 1, .mib = 1 };
		int saved = reps;

		reps = 1;
		measure(&w);
		reps = saved;
	}
	for (int i = 0; i < nrows; i++) {
		fprintf(stderr, "ckpt-bench: %s...\n", rows[i].name);
		measure(&rows[i]);
	}
	print_table();
	printf("\n");
	print_csv();
	print_targets();
	fflush(stdout);
	if (nscale && scaling(scale, nscale))
		return 1;
	return 0;
}
