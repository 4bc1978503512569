// SPDX-License-Identifier: GPL-2.0
/*
 * checkpoint - freeze a process, write its checkpoint image, thaw it
 *
 *   checkpoint [-o FILE] [--kill|--stop] [--log FILE] [-v] PID
 *   checkpoint --check PID
 *
 * The target and all its descendants (CHECKPOINT_SUBTREE) are frozen with
 * the cgroup v2 freezer, so they do not notice: each process is moved
 * into a temporary cgroup /sys/fs/cgroup/ckpt-PID-OURPID, or, for a caller
 * who may not write there, under the target's own (delegated) cgroup;
 * without either the tree is stopped with SIGSTOP and continued (children forked
 * meanwhile follow their parent there, and are looked for again until
 * none is left behind), the cgroup is frozen, the tree dumped with
 * checkpoint(2), then killed (--kill, with CHECKPOINT_TCP_QUIET, so that
 * the peers of its TCP connections see no FIN or reset), stopped (--stop)
 * or just thawed,
 * and each process moved back to its own cgroup.  A failed checkpoint
 * always leaves the tree running where it was and removes the partial
 * image.
 *
 * --check only asks: it prints /proc/PID/checkpointable and the
 * "checkpointable:" line of each fd's fdinfo, and exits 0 if checkpoint
 * would take the process, 1 if not.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <limits.h>
#include <mntent.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>

#include "ckpt.h"

#define PROG "checkpoint"

static bool verbose;
static volatile sig_atomic_t interrupted;

#define err(...)	ckpt_msg(PROG, __VA_ARGS__)
#define info(...)	(verbose ? ckpt_msg(PROG, __VA_ARGS__) : (void)0)

#include "cgroup.h"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- cgroup v2 ---- */

struct moved {
	pid_t pid;
	char *orig;		/* its cgroup before, full path */
};

struct cgroup_state {
	char root[PATH_MAX];	/* cgroup2 mount */
	char orig[PATH_MAX];	/* the target's cgroup, full path */
	char tmp[PATH_MAX];	/* ours */
	bool created, moved, frozen;
	struct moved *procs;	/* the processes moved into ours */
	size_t nprocs;
	/* no cgroup we may make: the processes we stopped with SIGSTOP */
	pid_t *stopped;
	size_t nstopped;
};

/* ---- the target's descendants, from /proc/N/stat ---- */

static pid_t stat_ppid(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd, ppid = -1;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

/* The processes under @root (not @root itself); returns how many. */
static size_t descendants(pid_t root, pid_t **out)
{
	pid_t *pid = NULL, *ppid = NULL, *res = NULL, *tmp;
	size_t n = 0, cap = 0, nres = 0, i, k;
	struct dirent *d;
	DIR *dir = opendir("/proc");

	*out = NULL;
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		char *end;
		long v = strtol(d->d_name, &end, 10);

		if (*end || v <= 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			tmp = realloc(pid, cap * sizeof(*pid));
			if (!tmp)
				break;
			pid = tmp;
			tmp = realloc(ppid, cap * sizeof(*ppid));
			if (!tmp)
				break;
			ppid = tmp;
		}
		pid[n] = v;
		ppid[n] = stat_ppid(v);
		n++;
	}
	closedir(dir);
	res = calloc(n ? n : 1, sizeof(*res));
	if (res) {
		/* breadth first: res grows while it is walked */
		for (k = 0; k <= nres; k++) {
			pid_t parent = k ? res[k - 1] : root;

			for (i = 0; i < n; i++)
				if (ppid[i] == parent && pid[i] != root)
					res[nres++] = pid[i];
		}
	}
	free(pid);
	free(ppid);
	*out = res;
	return res ? nres : 0;
}

static bool was_moved(const struct cgroup_state *cs, pid_t pid)
{
	for (size_t i = 0; i < cs->nprocs; i++)
		if (cs->procs[i].pid == pid)
			return true;
	return false;
}

/* Move @pid into our cgroup, remembering where it was.  0, or -1. */
static int move_in(struct cgroup_state *cs, pid_t pid)
{
	char rel[PATH_MAX], path[PATH_MAX + 32], num[32];
	struct moved *m;
	int ret;

	if (cg_of_pid(pid, rel, sizeof(rel)) != 0)
		return kill(pid, 0) && errno == ESRCH ? 0 : -1;
	m = realloc(cs->procs, (cs->nprocs + 1) * sizeof(*m));
	if (!m)
		return -1;
	cs->procs = m;
	m = &cs->procs[cs->nprocs];
	m->pid = pid;
	if (asprintf(&m->orig, "%s%s", cs->root, strcmp(rel, "/") ? rel : "") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/cgroup.procs", cs->tmp);
	snprintf(num, sizeof(num), "%d", (int)pid);
	ret = cg_write(path, num);
	if (ret == -ESRCH) {
		free(m->orig);
		return 0;	/* it exited meanwhile */
	}
	if (ret) {
		err("cannot move pid %d into %s: %s", (int)pid, cs->tmp,
		    strerror(-ret));
		free(m->orig);
		return -1;
	}
	cs->nprocs++;
	return 0;
}

/*
 * Move every descendant of @pid that is not in our cgroup yet; returns
 * how many were moved, or -1.
 */
static int move_descendants(struct cgroup_state *cs, pid_t pid)
{
	pid_t *d;
	size_t n = descendants(pid, &d), i;
	int moved = 0;

	for (i = 0; i < n; i++) {
		if (was_moved(cs, d[i]))
			continue;
		if (move_in(cs, d[i])) {
			free(d);
			return -1;
		}
		moved++;
	}
	free(d);
	return moved;
}

/* Is every thread of @pid stopped (or traced)? */
static bool all_threads_stopped(pid_t pid)
{
	char path[64], file[384], buf[512], *p;
	struct dirent *d;
	bool all = true;
	DIR *dir;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return false;
	while (all && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/stat", path, d->d_name);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* exited meanwhile */
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		p = strrchr(buf, ')');
		all = p && (p[2] == 'T' || p[2] == 't');
	}
	closedir(dir);
	return all;
}

/*
 * Without a cgroup we may make (an ordinary user without a delegated
 * cgroup): stop the tree with SIGSTOP instead, which its parent can see
 * (wait(2) reports it), and continue it afterwards.  Processes already
 * stopped stay stopped; the image records them all as running
 * (CHECKPOINT_RUNNING).
 */
static int stop_tree(pid_t pid, struct cgroup_state *cs, unsigned int timeout)
{
	uint64_t end = cg_now_ms() + timeout * 1000ULL;
	pid_t *desc = NULL, *tmp;
	size_t n, i, k;
	bool more;

	info("no cgroup of ours: stopping pid %d and its descendants with SIGSTOP",
	     (int)pid);
	do {
		more = false;
		n = descendants(pid, &desc);
		for (i = 0; i <= n; i++) {
			pid_t p = i ? desc[i - 1] : pid;

			for (k = 0; k < cs->nstopped && cs->stopped[k] != p; k++)
				;
			if (k < cs->nstopped || all_threads_stopped(p))
				continue;
			tmp = realloc(cs->stopped,
				      (cs->nstopped + 1) * sizeof(*tmp));
			if (!tmp) {
				free(desc);
				err("out of memory");
				return -1;
			}
			cs->stopped = tmp;
			if (kill(p, SIGSTOP) == 0) {
				cs->stopped[cs->nstopped++] = p;
				more = true;
			}
		}
		free(desc);
		for (i = 0; i < cs->nstopped; i++)
			while (!all_threads_stopped(cs->stopped[i]) &&
			       kill(cs->stopped[i], 0) == 0) {
				if (cg_now_ms() >= end || interrupted) {
					err("pid %d did not stop within %u s",
					    (int)cs->stopped[i], timeout);
					return -1;
				}
				sleep_ms(5);
			}
	} while (more);
	return 0;
}

static int freeze(pid_t pid, struct cgroup_state *cs, unsigned int timeout)
{
	char rel[PATH_MAX], path[PATH_MAX + 32], num[32];
	int ret;

	if (cg_root(cs->root, sizeof(cs->root)))
		return -1;
	if (cg_of_pid(pid, rel, sizeof(rel)) != 0)
		return -1;
	if (snprintf(cs->orig, sizeof(cs->orig), "%s%s", cs->root,
		     strcmp(rel, "/") ? rel : "") >= (int)sizeof(cs->orig) ||
	    snprintf(cs->tmp, sizeof(cs->tmp), "%s/ckpt-%d-%d", cs->root,
		     (int)pid, (int)getpid()) >= (int)sizeof(cs->tmp)) {
		err("cgroup path of pid %d too long", (int)pid);
		return -1;
	}

	/*
	 * Our freezer cgroup goes at the cgroup2 root, or else under the
	 * target's own cgroup (a subtree delegated to the caller), or else
	 * there is none and the tree is stopped with SIGSTOP.
	 */
	ret = mkdir(cs->tmp, 0755) ? errno : 0;
	if ((ret == EACCES || ret == EPERM || ret == EROFS) &&
	    strcmp(cs->orig, cs->root)) {
		if (snprintf(cs->tmp, sizeof(cs->tmp), "%s/ckpt-%d-%d",
			     cs->orig, (int)pid, (int)getpid()) >=
		    (int)sizeof(cs->tmp)) {
			err("cgroup path of pid %d too long", (int)pid);
			return -1;
		}
		ret = mkdir(cs->tmp, 0755) ? errno : 0;
	}
	if (ret == EACCES || ret == EPERM || ret == EROFS)
		return stop_tree(pid, cs, timeout);
	if (ret) {
		err("cannot create cgroup %s: %s", cs->tmp, strerror(ret));
		return -1;
	}
	cs->created = true;
	snprintf(path, sizeof(path), "%s/cgroup.freeze", cs->tmp);
	if (access(path, F_OK) != 0) {
		err("%s: no cgroup.freeze: the kernel lacks the cgroup v2 freezer", cs->tmp);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", cs->tmp);
	snprintf(num, sizeof(num), "%d", (int)pid);
	ret = cg_write(path, num);
	if (ret) {
		err("cannot move pid %d into %s: %s", (int)pid, cs->tmp,
		    strerror(-ret));
		return -1;
	}
	cs->moved = true;
	info("moved pid %d from %s to %s", (int)pid, cs->orig, cs->tmp);
	/* children forked before their parent moved stay behind: chase them */
	for (int pass = 0; (ret = move_descendants(cs, pid)) > 0; pass++) {
		if (pass == 50) {
			err("the processes under pid %d keep forking", (int)pid);
			return -1;
		}
	}
	if (ret < 0)
		return -1;

	snprintf(path, sizeof(path), "%s/cgroup.freeze", cs->tmp);
	ret = cg_write(path, "1");
	if (ret) {
		err("cannot freeze %s: %s", cs->tmp, strerror(-ret));
		return -1;
	}
	cs->frozen = true;
	ret = cg_wait_event(cs->tmp, "frozen", 1, timeout * 1000,
			    &interrupted);
	if (ret == -ETIMEDOUT) {
		err("pid %d did not freeze within %u s", (int)pid, timeout);
		return -1;
	}
	if (ret == -EINTR) {
		err("interrupted while freezing pid %d", (int)pid);
		return -1;
	}
	if (ret) {
		err("cannot read %s/cgroup.events: %s", cs->tmp,
		    strerror(-ret));
		return -1;
	}
	/* one that slipped out before the freeze freezes when moved in */
	ret = move_descendants(cs, pid);
	if (ret < 0)
		return -1;
	if (ret > 0 && cg_wait_event(cs->tmp, "frozen", 1, timeout * 1000,
				     &interrupted)) {
		err("pid %d did not freeze within %u s", (int)pid, timeout);
		return -1;
	}
	info("pid %d frozen with %zu descendant process%s", (int)pid,
	     cs->nprocs, cs->nprocs == 1 ? "" : "es");
	return 0;
}

/* Send @sig to the target's descendants we froze or stopped. */
static void signal_descendants(const struct cgroup_state *cs, int sig)
{
	for (size_t i = 0; i < cs->nprocs; i++)
		kill(cs->procs[i].pid, sig);
	for (size_t i = 0; i < cs->nstopped; i++)
		kill(cs->stopped[i], sig);
}

/* Thaw, move the target back (if @alive) and remove our cgroup. */
static int unfreeze(pid_t pid, struct cgroup_state *cs, bool alive)
{
	char path[PATH_MAX + 32], num[32];
	int ret, status = 0;

	if (cs->nstopped && alive)
		for (size_t i = 0; i < cs->nstopped; i++)
			kill(cs->stopped[i], SIGCONT);
	free(cs->stopped);
	cs->stopped = NULL;
	cs->nstopped = 0;
	if (cs->frozen) {
		snprintf(path, sizeof(path), "%s/cgroup.freeze", cs->tmp);
		ret = cg_write(path, "0");
		if (ret) {
			err("cannot thaw %s: %s", cs->tmp, strerror(-ret));
			status = -1;
		} else {
			cs->frozen = false;
			info("thawed pid %d", (int)pid);
		}
	}
	for (size_t i = 0; i < cs->nprocs; i++) {
		if (alive) {
			snprintf(path, sizeof(path), "%s/cgroup.procs",
				 cs->procs[i].orig);
			snprintf(num, sizeof(num), "%d", (int)cs->procs[i].pid);
			ret = cg_write(path, num);
			if (ret && ret != -ESRCH) {
				err("cannot move pid %d back to %s: %s",
				    (int)cs->procs[i].pid, cs->procs[i].orig,
				    strerror(-ret));
				status = -1;
			}
		}
		free(cs->procs[i].orig);
	}
	cs->nprocs = 0;
	if (cs->moved && alive) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cs->orig);
		snprintf(num, sizeof(num), "%d", (int)pid);
		ret = cg_write(path, num);
		if (ret && ret != -ESRCH) {
			err("cannot move pid %d back to %s: %s", (int)pid,
			    cs->orig, strerror(-ret));
			status = -1;
		} else {
			cs->moved = false;
		}
	}
	if (cs->created) {
		uint64_t end = cg_now_ms() + 5000;

		/* a killed target leaves the cgroup once it has exited */
		if (cs->moved)
			cg_wait_event(cs->tmp, "populated", 0, 5000, &interrupted);
		while (rmdir(cs->tmp) != 0) {
			if (errno != EBUSY || cg_now_ms() >= end) {
				err("cannot remove cgroup %s: %s", cs->tmp,
				    strerror(errno));
				return -1;
			}
			sleep_ms(10);
		}
		cs->created = false;
	}
	return status;
}

/* ---- the kernel's log ---- */

#define LOG_MAX (1024 * 1024)

struct logbuf {
	int fd;
	char *data;
	size_t len;
	bool cut;
};

static void *drain_log(void *arg)
{
	struct logbuf *lb = arg;
	char tmp[4096];
	ssize_t n;

	while ((n = read(lb->fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (lb->len + n > LOG_MAX) {
			lb->cut = true;
			continue;
		}
		char *p = realloc(lb->data, lb->len + n + 1);

		if (!p) {
			lb->cut = true;
			continue;
		}
		lb->data = p;
		memcpy(lb->data + lb->len, tmp, n);
		lb->len += n;
		lb->data[lb->len] = '\0';
	}
	return NULL;
}

static void print_log(const struct logbuf *lb)
{
	const char *s = lb->data, *nl;

	if (!s)
		return;
	while (*s) {
		nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		fprintf(stderr, PROG ": %.*s\n", (int)(nl - s), s);
		s = *nl ? nl + 1 : nl;
	}
	if (lb->cut)
		fprintf(stderr, PROG ": (kernel log cut at %d bytes)\n",
			LOG_MAX);
}

/* ---- main ---- */

/* Read a small /proc file into @buf (NUL-terminated); -1 on error. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = ckpt_read_full(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Print one "name:\tverdict" line as "name: verdict". */
static void print_verdict(const char *name, const char *line)
{
	const char *v = strchr(line, '\t');
	int len = strcspn(v ? v + 1 : line, "\n");

	printf("%s: %.*s\n", name, len, v ? v + 1 : line);
}

/*
 * checkpoint --check: what checkpoint(2) would say, per area and per fd,
 * from /proc.  Returns the exit status: 0 yes, 1 no, 2 cannot tell.
 */
static int check_pid(pid_t pid)
{
	char path[64], buf[8192], link[PATH_MAX], name[PATH_MAX + 32];
	char *line, *next;
	int fd, ok = -1;
	struct dirent *e;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/checkpointable", (int)pid);
	if (read_small(path, buf, sizeof(buf)) < 0) {
		if (errno == ENOENT && kill(pid, 0) == 0)
			err("%s: this kernel has no checkpoint/restart", path);
		else
			err("%s: %s", path, strerror(errno));
		return 2;
	}
	printf("pid %d\n", (int)pid);
	for (line = buf; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (!strncmp(line, "checkpointable:", 15)) {
			ok = strtol(line + 15, NULL, 10);
		} else if (strchr(line, ':')) {
			*strchr(line, ':') = '\0';
			snprintf(name, sizeof(name), "  %.64s", line);
			print_verdict(name, line + strlen(line) + 1);
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d) {
		err("%s: %s", path, strerror(errno));
		return 2;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		link[n < 0 ? 0 : n] = '\0';
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
		if (read_small(path, buf, sizeof(buf)) < 0)
			continue;	/* closed meanwhile */
		line = strstr(buf, "\ncheckpointable:");
		snprintf(name, sizeof(name), "  fd %d %s", fd, link);
		print_verdict(name, line ? line + 1 : "?");
	}
	closedir(d);
	if (ok < 0) {
		err("pid %d: no verdict in /proc/%d/checkpointable", (int)pid,
		    (int)pid);
		return 2;
	}
	printf("checkpointable: %s\n", ok ? "yes" : "no");
	return ok ? 0 : 1;
}

static void on_signal(int sig)
{
	interrupted = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [-o FILE] [--kill|--stop] [--log FILE] [-v] PID\n"
		"       " PROG " --check PID\n"
		"Freeze process PID, write its checkpoint image, thaw it.\n"
		"  -o, --output FILE  write the image to FILE (mode 0600) instead of stdout\n"
		"  -k, --kill         kill the process after a successful checkpoint; its\n"
		"                     TCP connections close without a FIN or reset\n"
		"  -s, --stop         leave the process stopped (SIGSTOP) after it\n"
		"  -l, --log FILE     write the kernel's explanations to FILE instead of stderr\n"
		"  -t, --timeout SEC  how long to wait for the freeze (default 10)\n"
		"  -C, --check        only say, per area and per fd, whether PID can be\n"
		"                     checkpointed (exit 0) or not (exit 1), and why\n"
		"  -v, --verbose      say what is done\n"
		"  -h, --help         this help\n"
		"On failure the process is left running, the partial image is removed, and the\n"
		"exit status is 1.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output",	required_argument, NULL, 'o' },
		{ "kill",	no_argument,	   NULL, 'k' },
		{ "stop",	no_argument,	   NULL, 's' },
		{ "log",	required_argument, NULL, 'l' },
		{ "timeout",	required_argument, NULL, 't' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "check",	no_argument,	   NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	const char *output = NULL, *logname = NULL;
	bool do_kill = false, do_stop = false, check = false;
	unsigned int timeout = 10;
	struct cgroup_state cs = { .created = false };
	struct logbuf lb = { .fd = -1 };
	pthread_t drainer;
	bool draining = false, out_reg = false;
	int outfd, logfd = CHECKPOINT_FD_NONE, logpipe[2] = { -1, -1 };
	off_t out_start = 0;
	struct sigaction sa;
	struct stat st;
	long pid_l, id;
	char *end;
	pid_t pid;
	int c, saved, ret;

	while ((c = getopt_long(argc, argv, "o:ksl:t:vhC", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'k':
			do_kill = true;
			break;
		case 's':
			do_stop = true;
			break;
		case 'l':
			logname = optarg;
			break;
		case 't':
			pid_l = strtol(optarg, &end, 10);
			if (*end || end == optarg || pid_l < 1 ||
			    pid_l > 3600) {
				err("bad timeout \"%s\"", optarg);
				return 2;
			}
			timeout = pid_l;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'C':
			check = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (do_kill && do_stop) {
		err("--kill and --stop exclude each other");
		return 2;
	}
	if (optind != argc - 1) {
		err(optind < argc ? "too many arguments" : "missing PID");
		usage(stderr);
		return 2;
	}
	errno = 0;
	pid_l = strtol(argv[optind], &end, 10);
	if (errno || *end || end == argv[optind] || pid_l <= 0 ||
	    pid_l > INT_MAX) {
		err("bad PID \"%s\"", argv[optind]);
		return 2;
	}
	pid = pid_l;
	if (check) {
		if (do_kill || do_stop || output || logname) {
			err("--check takes no other option");
			return 2;
		}
		return check_pid(pid);
	}
	if (pid == getpid()) {
		err("refusing to checkpoint myself");
		return 2;
	}
	if (kill(pid, 0) != 0 && errno == ESRCH) {
		err("no process %d", (int)pid);
		return 1;
	}

	/* the image */
	if (output) {
		outfd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0600);
		if (outfd < 0) {
			err("cannot create %s: %s", output, strerror(errno));
			return 1;
		}
	} else {
		outfd = STDOUT_FILENO;
		if (isatty(outfd)) {
			err("refusing to write an image to a terminal; "
			    "use -o FILE or redirect stdout");
			return 2;
		}
	}
	if (fstat(outfd, &st) == 0 && S_ISREG(st.st_mode)) {
		int fl = fcntl(outfd, F_GETFL);

		out_reg = true;
		/* where the image will start: O_APPEND writes at the end */
		out_start = fl >= 0 && (fl & O_APPEND) ? st.st_size :
			    lseek(outfd, 0, SEEK_CUR);
		if (out_start < 0)
			out_start = 0;
	}

	/* the kernel's explanations */
	if (logname) {
		logfd = open(logname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
		if (logfd < 0) {
			err("cannot create %s: %s", logname, strerror(errno));
			goto fail_early;
		}
	} else {
		if (pipe2(logpipe, O_CLOEXEC) != 0) {
			err("pipe: %s", strerror(errno));
			goto fail_early;
		}
		lb.fd = logpipe[0];
		if (pthread_create(&drainer, NULL, drain_log, &lb) != 0) {
			err("cannot start a thread");
			goto fail_early;
		}
		draining = true;
		logfd = logpipe[1];
	}

	/*
	 * From the freeze on, a signal must not leave the target frozen:
	 * catch them and clean up before leaving.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a plain error */

	if (freeze(pid, &cs, timeout)) {
		unfreeze(pid, &cs, true);
		goto fail_early;
	}

	/*
	 * Processes we stopped only to checkpoint them are running ones:
	 * restart must not leave them stopped (nor, with one flag for the
	 * image, those found stopped already).  Frozen ones keep their
	 * job-control state.
	 */
	/* a killed tree's TCP connections close without a word to peers */
	id = ckpt_checkpoint(pid, outfd, CHECKPOINT_SUBTREE |
			     (cs.nstopped ? CHECKPOINT_RUNNING : 0) |
			     (do_kill ? CHECKPOINT_TCP_QUIET : 0), logfd);
	saved = errno;

	if (draining) {
		close(logpipe[1]);
		logpipe[1] = -1;
		pthread_join(drainer, NULL);
		draining = false;
	}

	if (id < 0) {
		unfreeze(pid, &cs, true);
		err("checkpoint of pid %d failed: %s%s", (int)pid,
		    strerror(saved), saved == ENOSYS ?
		    " (this kernel has no checkpoint/restart)" : "");
		if (logname)
			err("the kernel's explanation is in %s", logname);
		else
			print_log(&lb);
		goto fail_image;
	}

	/* success: the image must really be out */
	if (output && close(outfd) != 0) {
		saved = errno;
		outfd = -1;
		unfreeze(pid, &cs, true);
		err("writing %s: %s", output, strerror(saved));
		goto fail_image;
	}
	if (verbose && lb.len)
		print_log(&lb);
	if (do_kill) {
		kill(pid, SIGKILL);
		signal_descendants(&cs, SIGKILL);
		info("killed pid %d and its descendants", (int)pid);
	} else if (do_stop) {
		kill(pid, SIGSTOP);
		signal_descendants(&cs, SIGSTOP);
		info("stopped pid %d and its descendants", (int)pid);
		cs.nstopped = 0;	/* and they stay so */
	}
	ret = unfreeze(pid, &cs, !do_kill);
	if (out_reg && verbose && output && stat(output, &st) == 0)
		info("pid %d: checkpoint id %ld, %lld bytes in %s", (int)pid, id,
		     (long long)st.st_size, output);
	else
		info("pid %d: checkpoint id %ld", (int)pid, id);
	if (logfd >= 0 && logname)
		close(logfd);
	free(lb.data);
	return ret ? 1 : 0;

fail_image:
	/* remove the partial image, or cut it off from stdout */
	if (output) {
		if (outfd >= 0)
			close(outfd);
		if (out_reg && unlink(output) != 0)
			err("cannot remove %s: %s", output, strerror(errno));
	} else if (out_reg) {
		if (ftruncate(outfd, out_start) != 0)
			err("cannot truncate the partial image on stdout: %s",
			    strerror(errno));
	}
	free(lb.data);
	return 1;

fail_early:
	if (draining) {
		close(logpipe[1]);
		pthread_join(drainer, NULL);
	}
	if (output) {
		close(outfd);
		if (out_reg)
			unlink(output);
	}
	return 1;
}
