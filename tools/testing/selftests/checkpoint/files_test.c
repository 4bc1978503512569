// SPDX-License-Identifier: GPL-2.0
/*
 * Open files: descriptor numbers and FD_CLOEXEC, shared and separate
 * open file descriptions, regular files (offset, flags) on tmpfs and
 * ext4, directories, O_PATH descriptors, memory devices, terminals.
 */
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include "ckpt_test.h"

#define EXT4_SUPER_MAGIC	0xEF53
#define EXT4_DIR		"/mnt/ext4"

CKPT_FIXTURE(files);

/* The open descriptors of the caller, as a bitmap of fds < 1024. */
static void fd_set_of_self(unsigned char map[128])
{
	char buf[4096];
	int dfd, fd;
	long n;

	memset(map, 0, 128);
	dfd = CKPT_SYS(open("/proc/self/fd", O_RDONLY | O_DIRECTORY));
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n) {
			unsigned short reclen = *(unsigned short *)(buf + off + 16);
			const char *name = buf + off + 19;

			if (name[0] != '.') {
				fd = atoi(name);
				if (fd != dfd && fd < 1024)
					map[fd / 8] |= 1 << (fd % 8);
			}
			off += reclen;
		}
	}
	close(dfd);
}

/*
 * Descriptor numbers (with gaps, and beyond the initial table size) and
 * FD_CLOEXEC come back exactly; each refers to the same file; no other
 * descriptor appears.
 */
TEST_F(files, fd_numbers_and_cloexec)
{
	const char *path = ckpt_tmp_path(&self->c, "fds");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(path, "0123456789", 10, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static const int fds[] = { 41, 57, 63, 64, 100, 517, 1000 };
		static const int cloexec[] = { 0, 1, 0, 1, 0, 1, 1 };
		static unsigned char map0[128], map1[128];
		struct stat st0, st1;
		unsigned int i;
		int fd;

		fd = CKPT_SYS(open(path, O_RDWR));
		for (i = 0; i < ARRAY_SIZE(fds); i++) {
			CKPT_CHECK(fds[i] != self->c.imgfd && fds[i] != self->c.logfd &&
				   fds[i] != self->c.outfd && fds[i] != fd,
				   "fd %d in use", fds[i]);
			CKPT_SYS(dup3(fd, fds[i], cloexec[i] ? O_CLOEXEC : 0));
			CKPT_SYS(lseek(fds[i], 0, SEEK_SET));
		}
		close(fd);
		CKPT_SYS(fstat(fds[0], &st0));
		fd_set_of_self(map0);
		ckpt_self(&self->c);
		for (i = 0; i < ARRAY_SIZE(fds); i++) {
			int fl = fcntl(fds[i], F_GETFD);

			CKPT_CHECK(fl >= 0, "fd %d: %s", fds[i], strerror(errno));
			CKPT_CHECK(fl == (cloexec[i] ? FD_CLOEXEC : 0),
				   "fd %d: F_GETFD %#x", fds[i], fl);
			CKPT_SYS(fstat(fds[i], &st1));
			CKPT_CHECK(st1.st_dev == st0.st_dev &&
				   st1.st_ino == st0.st_ino, "fd %d: other file",
				   fds[i]);
		}
		CKPT_CHECK(fcntl(fd, F_GETFD) == -1 && errno == EBADF,
			   "closed fd %d is open", fd);
		CKPT_CHECK(fcntl(99, F_GETFD) == -1 && errno == EBADF,
			   "fd 99 is open");
		fd_set_of_self(map1);
		/* the image and the log of the checkpoint are left out of it */
		for (i = 0; i < 2; i++) {
			int own = i ? self->c.logfd : self->c.imgfd;

			CKPT_CHECK(!(map1[own / 8] & (1 << (own % 8))),
				   "fd %d of the checkpoint came back", own);
			map0[own / 8] &= ~(1 << (own % 8));
		}
		for (i = 0; i < 1024; i++)
			CKPT_CHECK(!!(map0[i / 8] & (1 << (i % 8))) ==
				   !!(map1[i / 8] & (1 << (i % 8))),
				   "fd %u %s", i,
				   (map1[i / 8] & (1 << (i % 8))) ? "appeared" :
				   "disappeared");
		/* All the dups share one open file description. */
		CKPT_SYS(lseek(fds[2], 7, SEEK_SET));
		CKPT_CHECK(lseek(fds[6], 0, SEEK_CUR) == 7,
			   "dups no longer share the offset");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Offset, size, flags and data of a regular file opened in @path. */
static void offset_test(struct __test_metadata *_metadata,
			struct ckpt_ctx *c, const char *path)
{
	static char data[10000];
	pid_t pid;

	ckpt_fill(data, sizeof(data), 0xf11e);
	ASSERT_EQ(0, ckpt_write_file(path, data, sizeof(data), 0600));
	pid = ckpt_fork(_metadata, c);
	if (pid == 0) {
		struct stat st0, st1;
		char buf[100];
		int fd, fl0;

		fd = CKPT_SYS(open(path, O_RDWR));
		CKPT_SYS(lseek(fd, 1234, SEEK_SET));
		CKPT_SYS(fstat(fd, &st0));
		fl0 = CKPT_SYS(fcntl(fd, F_GETFL));
		ckpt_self(c);
		CKPT_CHECK(lseek(fd, 0, SEEK_CUR) == 1234, "offset %ld",
			   (long)lseek(fd, 0, SEEK_CUR));
		CKPT_CHECK(fcntl(fd, F_GETFL) == fl0, "flags %#x, were %#x",
			   fcntl(fd, F_GETFL), fl0);
		CKPT_SYS(fstat(fd, &st1));
		CKPT_CHECK(st1.st_dev == st0.st_dev && st1.st_ino == st0.st_ino,
			   "another file");
		CKPT_CHECK(st1.st_size == 10000, "size %ld", (long)st1.st_size);
		CKPT_CHECK(read(fd, buf, 100) == 100, "read");
		CKPT_CHECK(!memcmp(buf, data + 1234, 100), "data at 1234");
		CKPT_CHECK(lseek(fd, 0, SEEK_CUR) == 1334, "offset after read");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, c, pid);
}

/* A file on tmpfs: same file, offset, flags, size and data. */
TEST_F(files, regular_file_offset_tmpfs)
{
	offset_test(_metadata, &self->c, ckpt_tmp_path(&self->c, "off"));
}

/* The same on ext4 (/mnt/ext4). */
TEST_F(files, regular_file_offset_ext4)
{
	struct statfs sfs;

	if (statfs(EXT4_DIR, &sfs) || sfs.f_type != EXT4_SUPER_MAGIC)
		SKIP(return, "no ext4 file system mounted on " EXT4_DIR);
	offset_test(_metadata, &self->c,
		    ckpt_tmp_path_in(&self->c, EXT4_DIR, "off"));
}

/*
 * dup()ed descriptors still share one offset; a second open() of the
 * same file still has its own.
 */
TEST_F(files, shared_and_separate_descriptions)
{
	const char *path = ckpt_tmp_path(&self->c, "share");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(path, "abcdefghijklmnopqrstuvwxyz", 26, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int a, b, c;
		char ch;

		a = CKPT_SYS(open(path, O_RDONLY));
		b = CKPT_SYS(dup(a));
		c = CKPT_SYS(open(path, O_RDONLY));
		CKPT_SYS(lseek(a, 3, SEEK_SET));
		CKPT_SYS(lseek(c, 11, SEEK_SET));
		ckpt_self(&self->c);
		CKPT_CHECK(lseek(b, 0, SEEK_CUR) == 3, "dup offset");
		CKPT_CHECK(lseek(c, 0, SEEK_CUR) == 11, "second open offset");
		CKPT_CHECK(read(b, &ch, 1) == 1 && ch == 'd', "read b");
		CKPT_CHECK(lseek(a, 0, SEEK_CUR) == 4,
			   "a read on b did not move a: not shared");
		CKPT_CHECK(lseek(c, 0, SEEK_CUR) == 11,
			   "a read on b moved c: wrongly shared");
		CKPT_CHECK(read(c, &ch, 1) == 1 && ch == 'l', "read c");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* O_APPEND survives: writes still go to the end whatever the offset. */
TEST_F(files, append_flag)
{
	const char *path = ckpt_tmp_path(&self->c, "append");
	char buf[16] = "";
	pid_t pid;
	int fd;

	ASSERT_EQ(0, ckpt_write_file(path, "x", 1, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fl;

		fd = CKPT_SYS(open(path, O_WRONLY | O_APPEND));
		ckpt_self(&self->c);
		fl = fcntl(fd, F_GETFL);
		CKPT_CHECK((fl & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND),
			   "F_GETFL %#x", fl);
		CKPT_SYS(lseek(fd, 0, SEEK_SET));
		CKPT_CHECK(write(fd, "yz", 2) == 2, "write");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	ASSERT_EQ(3, ckpt_read_file(path, buf, sizeof(buf)));
	ASSERT_STREQ("xyz", buf);
}

/*
 * Access mode and status flags come back exactly (F_GETFL): O_RDONLY
 * stays read-only (write fails with EBADF), O_WRONLY write-only,
 * O_NONBLOCK and O_NOATIME kept.
 */
TEST_F(files, open_flags)
{
	const char *path = ckpt_tmp_path(&self->c, "flags");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(path, "flags", 5, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static const int how[] = {
			O_RDONLY, O_WRONLY, O_RDWR, O_RDONLY | O_NONBLOCK,
			O_RDWR | O_NOATIME, O_RDONLY | O_SYNC,
		};
		int fd[ARRAY_SIZE(how)], fl[ARRAY_SIZE(how)];
		unsigned int i;
		char ch;

		for (i = 0; i < ARRAY_SIZE(how); i++) {
			fd[i] = CKPT_SYS(open(path, how[i]));
			fl[i] = CKPT_SYS(fcntl(fd[i], F_GETFL));
		}
		ckpt_self(&self->c);
		for (i = 0; i < ARRAY_SIZE(how); i++) {
			int now = fcntl(fd[i], F_GETFL);

			CKPT_CHECK(now == fl[i], "open(%#x): F_GETFL %#x, was %#x",
				   how[i], now, fl[i]);
		}
		CKPT_CHECK(write(fd[0], "w", 1) == -1 && errno == EBADF,
			   "O_RDONLY file writable");
		CKPT_CHECK(read(fd[1], &ch, 1) == -1 && errno == EBADF,
			   "O_WRONLY file readable");
		CKPT_CHECK(read(fd[0], &ch, 1) == 1 && ch == 'f', "read");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The files' contents, size and mtime are untouched by checkpoint and restart. */
TEST_F(files, file_unchanged)
{
	const char *path = ckpt_tmp_path(&self->c, "same");
	static char data[3 * 4096 + 77], now[sizeof(data) + 1];
	struct stat st0, st1;
	pid_t pid;

	ckpt_fill(data, sizeof(data) & ~7UL, 0x5a3e);
	ASSERT_EQ(0, ckpt_write_file(path, data, sizeof(data), 0600));
	ASSERT_EQ(0, stat(path, &st0));
	ckpt_msleep(20);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int rw = CKPT_SYS(open(path, O_RDWR));
		int ro = CKPT_SYS(open(path, O_RDONLY));

		CKPT_SYS(lseek(rw, 4096, SEEK_SET));
		CKPT_SYS(lseek(ro, sizeof(data), SEEK_SET));
		ckpt_self(&self->c);
		CKPT_CHECK(lseek(ro, 0, SEEK_CUR) == sizeof(data), "offset at EOF");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	ASSERT_EQ(0, stat(path, &st1));
	EXPECT_EQ(st0.st_size, st1.st_size);
	EXPECT_EQ(st0.st_mtim.tv_sec, st1.st_mtim.tv_sec);
	EXPECT_EQ(st0.st_mtim.tv_nsec, st1.st_mtim.tv_nsec);
	ASSERT_EQ((ssize_t)sizeof(data), ckpt_read_file(path, now, sizeof(now)));
	EXPECT_EQ(0, memcmp(data, now, sizeof(data)));
}

/* A directory fd: the same directory, usable with openat() and fchdir(). */
TEST_F(files, directory_fd)
{
	const char *dir = ckpt_tmp_dir(&self->c, "dir");
	const char *inside = ckpt_tmp_path(&self->c, "dir/inside");
	pid_t pid;

	ASSERT_NE(NULL, dir);
	ASSERT_EQ(0, ckpt_write_file(inside, "hello", 5, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		struct stat st0, st1;
		char buf[8] = "";
		int dfd, fd, fl0;

		dfd = CKPT_SYS(open(dir, O_RDONLY | O_DIRECTORY));
		CKPT_SYS(fstat(dfd, &st0));
		fl0 = CKPT_SYS(fcntl(dfd, F_GETFL));
		ckpt_self(&self->c);
		CKPT_SYS(fstat(dfd, &st1));
		CKPT_CHECK(S_ISDIR(st1.st_mode), "not a directory");
		CKPT_CHECK(st1.st_dev == st0.st_dev && st1.st_ino == st0.st_ino,
			   "another directory");
		CKPT_CHECK(fcntl(dfd, F_GETFL) == fl0, "F_GETFL %#x, was %#x",
			   fcntl(dfd, F_GETFL), fl0);
		fd = openat(dfd, "inside", O_RDONLY);
		CKPT_CHECK(fd >= 0, "openat: %s", strerror(errno));
		CKPT_CHECK(read(fd, buf, 5) == 5 && !strcmp(buf, "hello"),
			   "content");
		close(fd);
		CKPT_SYS(fchdir(dfd));
		CKPT_CHECK(access("inside", R_OK) == 0, "fchdir");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* fstat() of @fd: the inode @st0 was, with the open flags @fl0. */
static void same_opath(int fd, const struct stat *st0, int fl0)
{
	struct stat st;

	CKPT_SYS(fstat(fd, &st));
	CKPT_CHECK(st.st_dev == st0->st_dev && st.st_ino == st0->st_ino &&
		   st.st_mode == st0->st_mode, "fd %d: another inode", fd);
	CKPT_CHECK(fcntl(fd, F_GETFL) == fl0, "fd %d: F_GETFL %#x, was %#x",
		   fd, fcntl(fd, F_GETFL), fl0);
}

/*
 * O_PATH descriptors of a file, a directory, a symbolic link (not
 * followed) and a FIFO: the same inodes, still O_PATH, usable as they
 * were (fstatat, readlinkat, openat through the directory).
 */
TEST_F(files, o_path_descriptors)
{
	const char *file = ckpt_tmp_path(&self->c, "opath-file");
	const char *link = ckpt_tmp_path(&self->c, "opath-link");
	const char *fifo = ckpt_tmp_path(&self->c, "opath-fifo");
	pid_t pid;

	ASSERT_EQ(0, ckpt_write_file(file, "data", 4, 0600));
	ASSERT_EQ(0, symlink(file, link));
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		int fd[4], fl[4], i, r;
		struct stat st[4];
		char buf[PATH_MAX] = "";

		fd[0] = CKPT_SYS(open(file, O_PATH));
		fd[1] = CKPT_SYS(open(ckpt_tmpdir(), O_PATH | O_DIRECTORY));
		fd[2] = CKPT_SYS(open(link, O_PATH | O_NOFOLLOW));
		fd[3] = CKPT_SYS(open(fifo, O_PATH));
		for (i = 0; i < 4; i++) {
			CKPT_SYS(fstat(fd[i], &st[i]));
			fl[i] = CKPT_SYS(fcntl(fd[i], F_GETFL));
		}
		ckpt_self(&self->c);

		for (i = 0; i < 4; i++)
			same_opath(fd[i], &st[i], fl[i]);
		CKPT_CHECK(S_ISLNK(st[2].st_mode) && S_ISFIFO(st[3].st_mode),
			   "kinds");
		r = readlinkat(fd[2], "", buf, sizeof(buf) - 1);
		CKPT_CHECK(r == (int)strlen(file) && !memcmp(buf, file, r),
			   "readlinkat: %s", buf);
		CKPT_CHECK(read(fd[0], buf, 1) == -1 && errno == EBADF,
			   "an O_PATH fd reads");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* /dev/null, /dev/zero and /dev/urandom are the same devices and behave so. */
TEST_F(files, memory_devices)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int nul, zero, urnd, fl[3], i;
		unsigned char buf[64];
		struct stat st;
		bool nonzero = false;

		nul = CKPT_SYS(open("/dev/null", O_RDWR));
		zero = CKPT_SYS(open("/dev/zero", O_RDONLY));
		urnd = CKPT_SYS(open("/dev/urandom", O_RDONLY | O_CLOEXEC));
		fl[0] = fcntl(nul, F_GETFL);
		fl[1] = fcntl(zero, F_GETFL);
		fl[2] = fcntl(urnd, F_GETFL);
		ckpt_self(&self->c);
		CKPT_SYS(fstat(nul, &st));
		CKPT_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
			   "/dev/null is %u:%u", major(st.st_rdev), minor(st.st_rdev));
		CKPT_SYS(fstat(zero, &st));
		CKPT_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 5),
			   "/dev/zero is %u:%u", major(st.st_rdev), minor(st.st_rdev));
		CKPT_SYS(fstat(urnd, &st));
		CKPT_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 9),
			   "/dev/urandom is %u:%u", major(st.st_rdev), minor(st.st_rdev));
		CKPT_CHECK(fcntl(nul, F_GETFL) == fl[0], "null flags");
		CKPT_CHECK(fcntl(zero, F_GETFL) == fl[1], "zero flags");
		CKPT_CHECK(fcntl(urnd, F_GETFL) == fl[2], "urandom flags");
		CKPT_CHECK(fcntl(urnd, F_GETFD) == FD_CLOEXEC, "urandom cloexec");
		CKPT_CHECK(read(nul, buf, sizeof(buf)) == 0, "read /dev/null");
		CKPT_CHECK(write(nul, buf, 5) == 5, "write /dev/null");
		memset(buf, 0xff, sizeof(buf));
		CKPT_CHECK(read(zero, buf, sizeof(buf)) == sizeof(buf), "read /dev/zero");
		CKPT_CHECK(ckpt_verify_zero(buf, sizeof(buf)) < 0, "/dev/zero data");
		CKPT_CHECK(write(zero, buf, 1) == -1 && errno == EBADF,
			   "O_RDONLY /dev/zero writable");
		CKPT_CHECK(read(urnd, buf, 32) == 32, "read /dev/urandom");
		for (i = 0; i < 32; i++)
			nonzero |= buf[i] != 0;
		CKPT_CHECK(nonzero, "/dev/urandom gave zeros");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* /dev/null made by mknod(2) and unlinked: nothing to open it by. */
static int unlinked_device(struct ckpt_ctx *c)
{
	char path[64];
	int fd;

	(void)c;
	snprintf(path, sizeof(path), "/tmp/ckpt-null-%d", getpid());
	if (mknod(path, S_IFCHR | 0600, makedev(1, 3)))
		return errno;
	fd = open(path, O_RDWR);
	if (fd < 0 || unlink(path))
		return errno;
	return 0;
}

/* Shared anonymous memory opened as a file, its mapping gone. */
static int shared_memory_file(struct ckpt_ctx *c)
{
	char path[128];
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int fd;

	(void)c;
	if (p == MAP_FAILED)
		return errno;
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)p, (unsigned long)p + 4096);
	fd = open(path, O_RDWR);
	if (fd < 0 || munmap(p, 4096))
		return errno;
	return 0;
}

/*
 * Files restart could not open again are refused at checkpoint, with
 * what they are: they used to pass, and the restart failed (ENOENT).
 */
TEST_F(files, unreachable_files_are_refused)
{
	ckpt_expect_refused(_metadata, &self->c, unlinked_device, -1,
			    EOPNOTSUPP, "character device", true);
	ckpt_expect_refused(_metadata, &self->c, shared_memory_file, -1,
			    EOPNOTSUPP, "dev/zero", true);
}

/*
 * A terminal descriptor comes back as a terminal (the restarter's,
 * which here is the same one).  Needs the test to run on a terminal.
 */
TEST_F(files, terminal_reconnected)
{
	int tty = -1, keep = 20, i;
	struct termios t;
	pid_t pid;

	for (i = 0; i < 3 && tty < 0; i++)
		if (isatty(i))
			tty = i;
	if (tty < 0)
		SKIP(return, "stdin, stdout and stderr are not terminals");
	ASSERT_EQ(0, tcgetattr(tty, &t));
	ASSERT_EQ(20, dup2(tty, 20));
	pid = ckpt_fork_keep(_metadata, &self->c, &keep, 1);
	if (pid == 0) {
		struct termios t1;
		struct stat st0, st1;
		int fl0 = CKPT_SYS(fcntl(20, F_GETFL));

		CKPT_SYS(fstat(20, &st0));
		ckpt_self(&self->c);
		CKPT_CHECK(isatty(20), "fd 20 is no terminal");
		CKPT_CHECK(tcgetattr(20, &t1) == 0, "tcgetattr: %s", strerror(errno));
		CKPT_SYS(fstat(20, &st1));
		CKPT_CHECK(st1.st_rdev == st0.st_rdev, "terminal %u:%u, was %u:%u",
			   major(st1.st_rdev), minor(st1.st_rdev),
			   major(st0.st_rdev), minor(st0.st_rdev));
		CKPT_CHECK(fcntl(20, F_GETFL) == fl0, "flags %#x, were %#x",
			   fcntl(20, F_GETFL), fl0);
		if ((fl0 & O_ACCMODE) != O_RDONLY)
			CKPT_CHECK(write(20, "", 0) == 0, "write: %s",
				   strerror(errno));
		else
			CKPT_CHECK(write(20, "", 0) == -1 && errno == EBADF,
				   "read-only terminal fd writable");
		ckpt_restored_ok();
	}
	close(20);
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
