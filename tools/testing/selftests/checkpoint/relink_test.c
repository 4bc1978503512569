// SPDX-License-Identifier: GPL-2.0
/*
 * Unlinked open files and FIFOs: relinked into lost+found/checkpoint at checkpoint,
 * reopened and unlinked again at restart, on ext4 and on tmpfs, moved
 * back to their old name first when it is free, so that /proc/PID/fd
 * reads as before.
 */
#include <linux/capability.h>
#include <sys/statfs.h>
#include "ckpt_test.h"

#define EXT4_SUPER_MAGIC	0xEF53
#define TMPFS_MAGIC		0x01021994

FIXTURE(relink) {
	struct ckpt_ctx c;
	char lf[CKPT_PATH_LEN];		/* <fs>/lost+found/checkpoint */
	int before;			/* entries in it before the test */
};

FIXTURE_VARIANT(relink) {
	const char *dir;
	long magic;
};

FIXTURE_VARIANT_ADD(relink, ext4) {
	.dir = "/mnt/ext4",
	.magic = EXT4_SUPER_MAGIC,
};

FIXTURE_VARIANT_ADD(relink, tmpfs) {
	.dir = "/tmp",
	.magic = TMPFS_MAGIC,
};

/*
 * Entries under lost+found/checkpoint: the per-checkpoint directories
 * and what is in them.
 */
static int relink_count(const char *lf)
{
	char sub[CKPT_PATH_LEN + 260];
	struct dirent *e, *f;
	DIR *d, *s;
	int n = 0;

	d = opendir(lf);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		snprintf(sub, sizeof(sub), "%s/%s", lf, e->d_name);
		s = opendir(sub);
		while (s && (f = readdir(s)))
			n += f->d_name[0] != '.';
		if (s)
			closedir(s);
	}
	closedir(d);
	return n;
}

/* Remove what a test left on purpose (RESTART_KEEP_LINKS). */
static void relink_clean(const char *lf)
{
	char sub[CKPT_PATH_LEN + 260], file[CKPT_PATH_LEN + 520];
	struct dirent *e, *f;
	DIR *d, *s;

	d = opendir(lf);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", lf, e->d_name);
		s = opendir(sub);
		while (s && (f = readdir(s))) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(file, sizeof(file), "%s/%s", sub, f->d_name);
			unlink(file);
		}
		if (s)
			closedir(s);
		rmdir(sub);
	}
	if (d)
		closedir(d);
}

FIXTURE_SETUP(relink)
{
	struct statfs sfs;

	ckpt_ctx_init(_metadata, &self->c);
	if (_metadata->exit_code)
		return;
	if (statfs(variant->dir, &sfs) || sfs.f_type != variant->magic)
		SKIP(return, "no %s file system on %s",
		     variant->magic == TMPFS_MAGIC ? "tmpfs" : "ext4",
		     variant->dir);
	snprintf(self->lf, sizeof(self->lf), "%s/lost+found/checkpoint",
		 variant->dir);
	self->before = relink_count(self->lf);
	ASSERT_LE(0, self->before);
}

FIXTURE_TEARDOWN(relink)
{
	ckpt_ctx_fini(&self->c);
}

/* What /proc/self/fd/@fd reads, in @link. */
static void fd_link(int fd, char *link, size_t len)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = CKPT_SYS(readlink(proc, link, len - 1));
	link[n] = '\0';
}

/* Does /proc/self/fd/@fd read "@name (deleted)", as before the checkpoint? */
static void check_old_name(int fd, const char *name)
{
	char link[CKPT_PATH_LEN + 32], want[CKPT_PATH_LEN + 32];

	fd_link(fd, link, sizeof(link));
	snprintf(want, sizeof(want), "%s (deleted)", name);
	CKPT_CHECK(!strcmp(link, want), "fd %d reads %s, not %s", fd, link,
		   want);
}

static long relink_fsize(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/*
 * The scenario of the design: a_fd opened on "a"; link("a", "b");
 * unlink("a"); creat("a").  After restart a write through a_fd reaches
 * "b" and "a" is the new empty file; the relink is gone again.
 */
TEST_F(relink, fd_follows_the_inode_not_the_name)
{
	const char *a = ckpt_tmp_path_in(&self->c, variant->dir, "a");
	const char *b = ckpt_tmp_path_in(&self->c, variant->dir, "b");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char buf[16] = {}, buf2[CKPT_PATH_LEN + 32];
		struct stat sb, sf;
		int fd;

		fd = CKPT_SYS(open(a, O_RDWR | O_CREAT | O_TRUNC, 0640));
		CKPT_CHECK(write(fd, "old", 3) == 3, "write");
		CKPT_SYS(link(a, b));
		CKPT_SYS(unlink(a));
		CKPT_SYS(close(CKPT_SYS(creat(a, 0600))));
		ckpt_self(&self->c);

		CKPT_CHECK(write(fd, "XY", 2) == 2, "write after restart");
		CKPT_CHECK(ckpt_read_file(b, buf, sizeof(buf)) == 5 &&
			   !strcmp(buf, "oldXY"), "b holds '%s'", buf);
		CKPT_SYS(stat(a, &sb));
		CKPT_CHECK(sb.st_size == 0, "a has %ld bytes", (long)sb.st_size);
		CKPT_SYS(fstat(fd, &sf));
		CKPT_SYS(stat(b, &sb));
		CKPT_CHECK(sf.st_ino == sb.st_ino, "a_fd is not b's inode");
		CKPT_CHECK(sf.st_nlink == 1, "%ld links: the relink stayed",
			   (long)sf.st_nlink);
		CKPT_CHECK((sf.st_mode & 07777) == 0640, "mode %o",
			   sf.st_mode & 07777);
		/* "a" is another file's now: the name stays the relinked one */
		fd_link(fd, buf2, sizeof(buf2));
		CKPT_CHECK(strstr(buf2, "/lost+found/checkpoint/") &&
			   strstr(buf2, " (deleted)"), "fd reads %s", buf2);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	/* one directory for this checkpoint, one link in it */
	EXPECT_EQ(self->before + 2, relink_count(self->lf));
	ckpt_expect_restored(_metadata, &self->c,
			     ckpt_restore_fd(_metadata, &self->c,
					     self->c.imgfd));
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/* A file with no name at all keeps its contents and offset. */
TEST_F(relink, nameless_file_keeps_contents)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "x");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char data[64 << 10], back[64 << 10];
		struct stat st;
		int fd;

		ckpt_fill(data, sizeof(data), 0x7e1);
		fd = CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_CHECK(ckpt_write_fd(fd, data, sizeof(data)) ==
			   sizeof(data), "write");
		CKPT_SYS(unlink(x));
		CKPT_SYS(lseek(fd, 1000, SEEK_SET));
		ckpt_self(&self->c);

		CKPT_SYS(fstat(fd, &st));
		CKPT_CHECK(st.st_nlink == 0, "%ld links", (long)st.st_nlink);
		CKPT_CHECK(lseek(fd, 0, SEEK_CUR) == 1000, "offset");
		CKPT_CHECK(relink_fsize(fd) == sizeof(data), "size");
		CKPT_CHECK(pread(fd, back, sizeof(back), 0) == sizeof(back),
			   "pread");
		CKPT_CHECK(!memcmp(data, back, sizeof(data)), "contents");
		CKPT_CHECK(access(x, F_OK) == -1 && errno == ENOENT,
			   "the old name came back");
		check_old_name(fd, x);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/* RESTART_KEEP_LINKS leaves the relinked name for userspace. */
TEST_F(relink, keep_links_leaves_the_link)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "keep");
	pid_t pid;
	int st;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char proc[64], link[256];
		struct stat s;
		ssize_t n;
		int fd;

		fd = CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_SYS(unlink(x));
		ckpt_self(&self->c);

		CKPT_SYS(fstat(fd, &s));
		CKPT_CHECK(s.st_nlink == 1, "%ld links", (long)s.st_nlink);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = CKPT_SYS(readlink(proc, link, sizeof(link) - 1));
		link[n] = '\0';
		CKPT_CHECK(strstr(link, "/lost+found/checkpoint/"), "fd is %s",
			   link);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
	pid = ckpt_restart_fork(_metadata, &self->c, self->c.imgfd,
				RESTART_TASKSELF | RESTART_KEEP_LINKS);
	st = ckpt_wait_exit(pid);
	ckpt_expect_restored(_metadata, &self->c, st);
	EXPECT_EQ(self->before + 2, relink_count(self->lf));
	relink_clean(self->lf);
}

/* A checkpoint that fails after relinking removes its links. */
TEST_F(relink, failed_checkpoint_removes_links)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "fail");
	char log[4096];
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		void *p;

		CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_SYS(unlink(x));
		/* mappings come after files, and mlocked ones are refused */
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		CKPT_SYS(mlock(p, 4096));
		ckpt_self(&self->c);
		_exit(CKPT_EXIT_FAIL);
	}
	EXPECT_EQ(CKPT_ERRNO_STATUS(EOPNOTSUPP), ckpt_wait_exit(pid));
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "mlocked")) TH_LOG("log: %s", log);
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/*
 * A restart that fails (here: a damaged tail) leaves the links, so the
 * good image restarts afterwards, and that one removes them.
 */
TEST_F(relink, failed_restart_keeps_links_for_another_try)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "retry");
	const char *bad = ckpt_tmp_path(&self->c, "bad.img");
	struct ckpt_hdr_tail *t;
	char *img;
	size_t len;
	pid_t pid;
	int st;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char buf[16] = {};
		int fd;

		fd = CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_CHECK(write(fd, "retry", 5) == 5, "write");
		CKPT_SYS(unlink(x));
		ckpt_self(&self->c);

		CKPT_CHECK(pread(fd, buf, sizeof(buf), 0) == 5 &&
			   !strcmp(buf, "retry"), "contents '%s'", buf);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	img = ckpt_load(self->c.img, &len);
	ASSERT_NE(NULL, img);
	ASSERT_LT(sizeof(*t), len);
	t = (struct ckpt_hdr_tail *)(img + len - sizeof(*t));
	t->sum1 ^= 4;
	ASSERT_EQ(0, ckpt_write_file(bad, img, len, 0600));
	free(img);
	st = ckpt_restore_path(_metadata, &self->c, bad);
	EXPECT_TRUE(ckpt_rejected(st, (const int[]){ EBADMSG, 0 }, true))
		TH_LOG("damaged image: status %#x", st);
	EXPECT_EQ(self->before + 2, relink_count(self->lf));

	ckpt_expect_restored(_metadata, &self->c,
			     ckpt_restore_path(_metadata, &self->c,
					       self->c.img));
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/* Relinking needs CAP_DAC_READ_SEARCH: without it, EPERM and no link. */
TEST_F(relink, needs_cap_dac_read_search)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "cap");
	char log[4096];
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct __user_cap_header_struct hdr = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct data[2] = {};

		CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_SYS(unlink(x));
		CKPT_SYS(syscall(SYS_capget, &hdr, data));
		data[0].effective &= ~(1U << CAP_DAC_READ_SEARCH);
		CKPT_SYS(syscall(SYS_capset, &hdr, data));
		ckpt_self(&self->c);
		_exit(CKPT_EXIT_FAIL);
	}
	EXPECT_EQ(CKPT_ERRNO_STATUS(EPERM), ckpt_wait_exit(pid));
	ASSERT_LT(0, ckpt_read_file(self->c.log, log, sizeof(log)));
	EXPECT_NE(NULL, strstr(log, "CAP_DAC_READ_SEARCH"))
		TH_LOG("log: %s", log);
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/*
 * An unlinked (empty) directory comes back as a directory with its mode,
 * still without a name.
 */
TEST_F(relink, unlinked_directory_recreated)
{
	const char *d = ckpt_tmp_path_in(&self->c, variant->dir, "dir");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char buf[256];
		struct stat st;
		int fd;

		CKPT_SYS(mkdir(d, 0751));
		CKPT_SYS(chmod(d, 0751));
		fd = CKPT_SYS(open(d, O_RDONLY | O_DIRECTORY));
		CKPT_SYS(rmdir(d));
		ckpt_self(&self->c);

		CKPT_SYS(fstat(fd, &st));
		CKPT_CHECK(S_ISDIR(st.st_mode), "not a directory");
		CKPT_CHECK((st.st_mode & 07777) == 0751, "mode %o",
			   st.st_mode & 07777);
		CKPT_CHECK(st.st_uid == getuid(), "owner %u", st.st_uid);
		/* a removed directory lists nothing */
		CKPT_CHECK(syscall(SYS_getdents64, fd, buf, sizeof(buf)) == -1 &&
			   errno == ENOENT, "getdents on a live directory");
		CKPT_CHECK(access(d, F_OK) == -1, "the old name came back");
		check_old_name(fd, d);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	EXPECT_EQ(self->before + 1, relink_count(self->lf));
	ckpt_expect_restored(_metadata, &self->c,
			     ckpt_restore_fd(_metadata, &self->c,
					     self->c.imgfd));
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/*
 * An unlinked FIFO, both ends open, with bytes in it: after restart the
 * ends are one FIFO again, the bytes come out in order, the old name is
 * not back and the link is gone.
 */
TEST_F(relink, unlinked_fifo_keeps_its_ends_and_bytes)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "fifo");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char buf[16] = "";
		struct stat st;
		int r, w;

		CKPT_SYS(mkfifo(x, 0640));
		r = CKPT_SYS(open(x, O_RDONLY | O_NONBLOCK));
		w = CKPT_SYS(open(x, O_WRONLY));
		CKPT_SYS(unlink(x));
		CKPT_CHECK(write(w, "before", 6) == 6, "write");
		ckpt_self(&self->c);

		CKPT_SYS(fstat(r, &st));
		CKPT_CHECK(S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0640,
			   "mode 0%o", st.st_mode);
		CKPT_CHECK(write(w, " after", 6) == 6, "write after");
		CKPT_CHECK(read(r, buf, sizeof(buf)) == 12 &&
			   !memcmp(buf, "before after", 12), "read \"%s\"", buf);
		CKPT_CHECK(access(x, F_OK) == -1, "the old name came back");
		check_old_name(r, x);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	EXPECT_EQ(self->before, relink_count(self->lf));
}

/* A shared mapping of an unlinked file still is the file after restart. */
TEST_F(relink, mapped_unlinked_file_stays_shared)
{
	const char *x = ckpt_tmp_path_in(&self->c, variant->dir, "map");
	pid_t pid;

	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char *p, c;
		int fd;

		fd = CKPT_SYS(open(x, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_SYS(ftruncate(fd, 2 * 4096));
		p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		ckpt_fill(p, 4096, 0xabc);
		CKPT_SYS(unlink(x));
		ckpt_self(&self->c);

		CKPT_CHECK(ckpt_verify(p, 4096, 0xabc) < 0, "contents");
		p[4096] = 'm';
		CKPT_CHECK(pread(fd, &c, 1, 4096) == 1 && c == 'm',
			   "the mapping is not the file");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	EXPECT_EQ(self->before, relink_count(self->lf));
}

TEST_HARNESS_MAIN
