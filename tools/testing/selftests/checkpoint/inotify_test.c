// SPDX-License-Identifier: GPL-2.0
/*
 * inotify(7) files: each watch comes back on the same inode with its
 * descriptor and mask (IN_ONESHOT included), the next descriptor is the
 * one the file would have given, events flow after restart, on tmpfs
 * and on other mounts; unread events are refused, and a watched path
 * that leads to another inode at restart fails it (ESTALE).
 */
#include <sys/inotify.h>
#include <poll.h>
#include "ckpt_test.h"

CKPT_FIXTURE(inotify);

/* The mask fdinfo shows for watch @wd of @fd, or -1. */
static long fdinfo_mask(int fd, int wd)
{
	char path[64], text[4096], *p;
	unsigned int w, mask;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (ckpt_read_file(path, text, sizeof(text)) <= 0)
		return -1;
	for (p = text; (p = strstr(p, "inotify wd:")); p++)
		if (sscanf(p, "inotify wd:%x ino:%*x sdev:%*x mask:%x", &w,
			   &mask) == 2 && (int)w == wd)
			return mask;
	return -1;
}

/* The next event (read ahead, a buffer at a time); its mask, or 0. */
static uint32_t next_event(int fd, int *wd, char *name, size_t len)
{
	static char buf[4096] __attribute__((aligned(8)));
	static ssize_t have, off;
	struct inotify_event *ev;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (off >= have) {
		off = 0;
		have = 0;
		if (poll(&p, 1, 0) != 1)
			return 0;
		have = read(fd, buf, sizeof(buf));
		if (have < (ssize_t)sizeof(*ev)) {
			have = 0;
			return 0;
		}
	}
	ev = (void *)(buf + off);
	off += sizeof(*ev) + ev->len;
	*wd = ev->wd;
	snprintf(name, len, "%s", ev->len ? ev->name : "");
	return ev->mask;
}

TEST_F(inotify, watches_keep_descriptors_masks_and_events)
{
	const char *dir = ckpt_tmp_dir(&self->c, "watched");
	const char *gone = ckpt_tmp_dir(&self->c, "gone");
	const char *file = ckpt_tmp_path(&self->c, "file");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(file, "x", 1, 0644));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char path[CKPT_PATH_LEN + 16], name[256];
		int fd, wd_dir, wd_file, wd_dev, wd, w;
		uint32_t m;

		fd = CKPT_SYS(inotify_init1(IN_NONBLOCK));
		wd_dir = CKPT_SYS(inotify_add_watch(fd, dir,
						    IN_CREATE | IN_DELETE));
		wd_file = CKPT_SYS(inotify_add_watch(fd, file,
						     IN_MODIFY | IN_ONESHOT));
		/* a watch taken back: its descriptor is not given again */
		wd = CKPT_SYS(inotify_add_watch(fd, gone, IN_ATTRIB));
		CKPT_SYS(inotify_rm_watch(fd, wd));
		/* another mount, which no fd or cwd of the process is on */
		wd_dev = CKPT_SYS(inotify_add_watch(fd, "/dev",
						    IN_DELETE_SELF | IN_EXCL_UNLINK));
		while (next_event(fd, &w, name, sizeof(name)))
			;
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK lost");
		CKPT_CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY,
			   "not read-only");
		CKPT_CHECK(fdinfo_mask(fd, wd_dir) == (IN_CREATE | IN_DELETE),
			   "dir watch mask %lx", fdinfo_mask(fd, wd_dir));
		CKPT_CHECK(fdinfo_mask(fd, wd_file) == (IN_MODIFY | IN_ONESHOT),
			   "file watch mask %lx", fdinfo_mask(fd, wd_file));
		CKPT_CHECK(fdinfo_mask(fd, wd_dev) ==
			   (IN_DELETE_SELF | IN_EXCL_UNLINK),
			   "/dev watch mask %lx", fdinfo_mask(fd, wd_dev));
		CKPT_CHECK(fdinfo_mask(fd, wd) == -1, "removed watch is back");
		CKPT_CHECK(!next_event(fd, &w, name, sizeof(name)),
			   "an event before any change");

		snprintf(path, sizeof(path), "%s/new", dir);
		CKPT_CHECK(ckpt_write_file(path, "", 0, 0644) == 0, "create");
		m = next_event(fd, &w, name, sizeof(name));
		CKPT_CHECK(m == IN_CREATE && w == wd_dir && !strcmp(name, "new"),
			   "event %#x on %d for \"%s\"", m, w, name);
		CKPT_CHECK(ckpt_write_file(file, "yy", 2, 0644) == 0, "write");
		m = next_event(fd, &w, name, sizeof(name));
		CKPT_CHECK(m == IN_MODIFY && w == wd_file, "event %#x on %d",
			   m, w);
		/* IN_ONESHOT: the watch went with its first event */
		while ((m = next_event(fd, &w, name, sizeof(name))) == IN_MODIFY)
			;
		CKPT_CHECK(m == IN_IGNORED && w == wd_file,
			   "event %#x on %d after the one shot", m, w);
		CKPT_SYS(unlink(path));
		m = next_event(fd, &w, name, sizeof(name));
		CKPT_CHECK(m == IN_DELETE && w == wd_dir, "event %#x on %d",
			   m, w);
		/* the next descriptor is the one the file would have given */
		w = CKPT_SYS(inotify_add_watch(fd, gone, IN_ATTRIB));
		CKPT_CHECK(w == wd_dev + 1, "new watch %d, not %d", w,
			   wd_dev + 1);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	/* the tools read the record as the kernel wrote it */
	if (ckpt_have_tool("ckptinfo"))
		EXPECT_EQ(0, ckpt_run(_metadata, &self->c, (char *const[]){
			"ckptinfo", self->c.img, NULL }))
			ckpt_show(_metadata, &self->c);
}

/* A watch on a directory and another on a symlink (IN_DONT_FOLLOW). */
TEST_F(inotify, symlink_watch_stays_on_the_link)
{
	const char *target = ckpt_tmp_path(&self->c, "target");
	const char *link = ckpt_tmp_path(&self->c, "link");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(target, "t", 1, 0644));
	ASSERT_EQ(0, symlink(target, link));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fd, wd_link, wd_target, w;
		char name[256];
		uint32_t m;

		fd = CKPT_SYS(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
		wd_link = CKPT_SYS(inotify_add_watch(fd, link,
						     IN_ATTRIB | IN_DONT_FOLLOW));
		wd_target = CKPT_SYS(inotify_add_watch(fd, link, IN_ATTRIB));
		CKPT_CHECK(wd_link != wd_target, "one inode");
		ckpt_self(&self->c);

		CKPT_CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC, "FD_CLOEXEC lost");
		CKPT_SYS(chmod(target, 0600));
		m = next_event(fd, &w, name, sizeof(name));
		CKPT_CHECK(m == IN_ATTRIB && w == wd_target,
			   "event %#x on %d, not on the target's %d", m, w,
			   wd_target);
		CKPT_CHECK(!next_event(fd, &w, name, sizeof(name)),
			   "the link's watch saw the target change");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A watched directory and a file in it, open and unlinked: the file is
 * relinked, and after restart its close is an event of the directory,
 * under the file's old name, as it would have been (inotify00's case).
 */
TEST_F(inotify, unlinked_file_closes_in_its_watched_directory)
{
	const char *dir = ckpt_tmp_dir(&self->c, "unlinked");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char path[CKPT_PATH_LEN + 8], name[256];
		int fd, wd, f, w;
		uint32_t m;

		snprintf(path, sizeof(path), "%s/f", dir);
		fd = CKPT_SYS(inotify_init1(IN_NONBLOCK));
		f = CKPT_SYS(open(path, O_CREAT | O_RDWR, 0644));
		wd = CKPT_SYS(inotify_add_watch(fd, dir,
						IN_CLOSE_WRITE | IN_DELETE));
		CKPT_SYS(unlink(path));
		while (next_event(fd, &w, name, sizeof(name)))
			;
		ckpt_self(&self->c);

		/* what restart did to put the name back is not asserted */
		while (next_event(fd, &w, name, sizeof(name)))
			;
		CKPT_CHECK(write(f, "x", 1) == 1, "write");
		CKPT_SYS(close(f));
		m = next_event(fd, &w, name, sizeof(name));
		CKPT_CHECK(m == IN_CLOSE_WRITE && w == wd && !strcmp(name, "f"),
			   "event %#x on %d for \"%s\"", m, w, name);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int unread_event(struct ckpt_ctx *c)
{
	const char *dir = ckpt_tmp_dir(c, "busy");
	char path[CKPT_PATH_LEN + 8];
	int fd = inotify_init1(0);

	snprintf(path, sizeof(path), "%s/f", dir);
	if (fd < 0 || inotify_add_watch(fd, dir, IN_CREATE) < 0 ||
	    ckpt_write_file(path, "", 0, 0644))
		return errno ?: EIO;
	return 0;
}

/* Events not read yet are not saved: refused, and /proc says so. */
TEST_F(inotify, unread_events_are_refused)
{
	ckpt_expect_refused(_metadata, &self->c, unread_event, -1, EOPNOTSUPP,
			    "not read yet", true);
}

/* A watched directory replaced by another: restart fails, ESTALE. */
TEST_F(inotify, replaced_watched_directory_is_stale)
{
	const char *dir = ckpt_tmp_dir(&self->c, "replaced");
	pid_t pid;
	int st;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fd = CKPT_SYS(inotify_init1(0));

		CKPT_SYS(inotify_add_watch(fd, dir, IN_CREATE));
		ckpt_self(&self->c);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	ASSERT_EQ(0, rmdir(dir));
	ASSERT_EQ(0, mkdir(dir, 0755));
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(CKPT_ERRNO_STATUS(ESTALE), st) ckpt_show(_metadata, &self->c);
	/* told that the files were replaced, it watches the new one */
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = ckpt_restart_fork(_metadata, &self->c, self->c.imgfd,
				RESTART_TASKSELF | RESTART_FILES_REPLACED);
	ckpt_expect_restored(_metadata, &self->c, ckpt_wait_exit(pid));
}

#define USER_UID	1000

/*
 * Restart adds a watch as the restored task: a user's watch on a
 * directory the user can no longer read fails a root restart (EACCES),
 * as the user's own inotify_add_watch(2) would.
 */
TEST_F(inotify, root_restart_watches_as_the_user)
{
	const char *dir = ckpt_tmp_dir(&self->c, "user");
	pid_t pid;
	int st;

	if (geteuid())
		SKIP(return, "needs root");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fd;

		ckpt_become_user(&self->c, USER_UID);
		fd = CKPT_SYS(inotify_init1(0));
		CKPT_SYS(inotify_add_watch(fd, dir, IN_CREATE));
		ckpt_self(&self->c);
		CKPT_CHECK(getuid() == USER_UID, "uid %d", getuid());
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	ASSERT_EQ(0, chmod(dir, 0700));
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(CKPT_ERRNO_STATUS(EACCES), st) ckpt_show(_metadata, &self->c);
	ASSERT_EQ(0, chmod(dir, 0755));
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

TEST_HARNESS_MAIN
