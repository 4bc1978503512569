/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 helpers of the checkpoint and restart tools: find (or mount)
 * the hierarchy, read a process's cgroup, write a control file, wait for
 * a cgroup.events state.  The includer defines err() and info().
 */
#ifndef CKPT_CGROUP_H
#define CKPT_CGROUP_H

#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static inline uint64_t cg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write @s to @path.  Returns 0 or -errno. */
static inline int cg_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (ckpt_write_full(fd, s, strlen(s)) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

static inline bool cg_is_fs(const char *path, unsigned long magic)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == magic;
}

/*
 * Find the cgroup2 mount, preferring /sys/fs/cgroup; mount it there
 * (or on /sys/fs/cgroup/unified under a v1 tmpfs) when none is and we
 * are root.
 */
static inline int cg_root(char *root, size_t n)
{
	const char *dir = "/sys/fs/cgroup";
	FILE *m;
	struct mntent *e;
	bool found = false;

	if (cg_is_fs(dir, CGROUP2_SUPER_MAGIC)) {
		snprintf(root, n, "%s", dir);
		return 0;
	}
	m = setmntent("/proc/self/mounts", "r");
	if (m) {
		while ((e = getmntent(m))) {
			if (strcmp(e->mnt_type, "cgroup2"))
				continue;
			if (cg_is_fs(e->mnt_dir, CGROUP2_SUPER_MAGIC)) {
				snprintf(root, n, "%s", e->mnt_dir);
				found = true;
				break;
			}
		}
		endmntent(m);
	}
	if (found)
		return 0;

	if (geteuid() != 0) {
		err("cgroup2 is not mounted (mount it on %s, or run as root)",
		    dir);
		return -1;
	}
	if (access(dir, F_OK) != 0 && !cg_is_fs("/sys", SYSFS_MAGIC)) {
		if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0) {
			err("cannot mount sysfs on /sys: %s", strerror(errno));
			return -1;
		}
	}
	if (cg_is_fs(dir, TMPFS_MAGIC)) {
		/* cgroup v1 layout: put the unified hierarchy beside it */
		dir = "/sys/fs/cgroup/unified";
		if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
			err("cannot create %s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (mount("cgroup2", dir, "cgroup2", 0, NULL) != 0) {
		err("cannot mount cgroup2 on %s: %s", dir, strerror(errno));
		return -1;
	}
	info("mounted cgroup2 on %s", dir);
	snprintf(root, n, "%s", dir);
	return 0;
}

/* The target's cgroup v2 path, from the "0::/path" line. */
static inline int cg_of_pid(pid_t pid, char *path, size_t n)
{
	char file[64], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int ret = -1;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "re");
	if (!f) {
		err("cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len - 3 >= n || line[3] != '/') {
			err("%s: unusable cgroup path \"%s\"", file, line + 3);
			ret = -2;
			break;
		}
		snprintf(path, n, "%s", line + 3);
		ret = 0;
		break;
	}
	if (ret == -1)
		err("%s has no cgroup v2 entry (\"0::\" line)", file);
	free(line);
	fclose(f);
	return ret;
}

/* Does @text have the line @line (given with its '\n')? */
static inline bool cg_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	while (text && *text) {
		if (!strncmp(text, line, n))
			return true;
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	return false;
}

/*
 * Wait until cgroup.events in @cg has "@key @val".  Returns 0, -ETIMEDOUT,
 * -EINTR (a signal asked us to stop) or another -errno.
 */
static inline int cg_wait_event(const char *cg, const char *key, int val,
				unsigned int timeout_ms,
				volatile sig_atomic_t *interrupted)
{
	char path[PATH_MAX], want[32], data[256];
	uint64_t end = cg_now_ms() + timeout_ms;
	int fd, ret;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.events", cg) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	snprintf(want, sizeof(want), "%s %d\n", key, val);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLPRI };
		ssize_t n = pread(fd, data, sizeof(data) - 1, 0);
		uint64_t t;

		if (n < 0) {
			ret = -errno;
			break;
		}
		data[n] = '\0';
		if (cg_has_line(data, want)) {
			ret = 0;
			break;
		}
		if (interrupted && *interrupted) {
			ret = -EINTR;
			break;
		}
		t = cg_now_ms();
		if (t >= end) {
			ret = -ETIMEDOUT;
			break;
		}
		/* kernfs notifies with POLLPRI; also recheck now and then */
		poll(&p, 1, end - t < 100 ? (int)(end - t) : 100);
	}
	close(fd);
	return ret;
}

#endif /* CKPT_CGROUP_H */
