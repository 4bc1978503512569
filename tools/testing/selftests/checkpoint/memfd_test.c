// SPDX-License-Identifier: GPL-2.0
/*
 * memfd_create(2) files: name, size, contents with holes, offsets shared
 * through dup, seals, shared mappings that still are the file, and
 * which open files hold write access (exec says ETXTBSY).
 */
#include "ckpt_test.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif

CKPT_FIXTURE(memfd);

#define PG	4096

/* 8 pages: 0-2 data, 3-6 a hole, 7 data. */
static void memfd_fill(int fd)
{
	static char buf[3 * PG];

	ckpt_fill(buf, sizeof(buf), 0x3e3f);
	CKPT_CHECK(pwrite(fd, buf, sizeof(buf), 0) == sizeof(buf), "pwrite");
	ckpt_fill(buf, PG, 0x7777);
	CKPT_CHECK(pwrite(fd, buf, PG, 7 * PG) == PG, "pwrite page 7");
}

static void memfd_verify(int fd)
{
	static char buf[8 * PG];
	struct stat st;

	CKPT_SYS(fstat(fd, &st));
	CKPT_CHECK(st.st_size == 8 * PG, "size %ld", (long)st.st_size);
	CKPT_CHECK(pread(fd, buf, sizeof(buf), 0) == sizeof(buf), "pread");
	CKPT_CHECK(ckpt_verify(buf, 3 * PG, 0x3e3f) < 0, "pages 0-2");
	CKPT_CHECK(ckpt_verify_zero(buf + 3 * PG, 4 * PG) < 0, "hole");
	CKPT_CHECK(ckpt_verify(buf + 7 * PG, PG, 0x7777) < 0, "page 7");
}

/* Contents, holes, name, and one offset for two dup'ed fds. */
TEST_F(memfd, contents_name_and_shared_offset)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char link[64], proc[64];
		int fd, fd2;
		ssize_t n;
		char c;

		fd = CKPT_SYS(memfd_create("ckpt-test", 0));
		memfd_fill(fd);
		fd2 = CKPT_SYS(dup(fd));
		CKPT_SYS(lseek(fd, 123, SEEK_SET));
		ckpt_self(&self->c);

		memfd_verify(fd);
		CKPT_CHECK(lseek(fd2, 0, SEEK_CUR) == 123, "dup offset");
		CKPT_CHECK(read(fd, &c, 1) == 1, "read");
		CKPT_CHECK(lseek(fd2, 0, SEEK_CUR) == 124,
			   "the dup does not share the offset");
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = CKPT_SYS(readlink(proc, link, sizeof(link) - 1));
		link[n] = '\0';
		CKPT_CHECK(!strcmp(link, "/memfd:ckpt-test (deleted)"),
			   "fd is %s", link);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Seals come back, and are enforced. */
TEST_F(memfd, seals_are_kept)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int fd, seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
		struct stat st;

		fd = CKPT_SYS(memfd_create("sealed", MFD_ALLOW_SEALING));
		memfd_fill(fd);
		CKPT_SYS(fchmod(fd, 0640));
		CKPT_SYS(fcntl(fd, F_ADD_SEALS, seals));
		ckpt_self(&self->c);

		memfd_verify(fd);
		CKPT_SYS(fstat(fd, &st));
		CKPT_CHECK((st.st_mode & 07777) == 0640, "mode %o",
			   st.st_mode & 07777);
		CKPT_CHECK(fcntl(fd, F_GET_SEALS) == seals, "seals %#x",
			   fcntl(fd, F_GET_SEALS));
		CKPT_CHECK(ftruncate(fd, PG) == -1 && errno == EPERM,
			   "shrink allowed");
		CKPT_CHECK(pwrite(fd, "x", 1, 8 * PG) == -1 && errno == EPERM,
			   "grow allowed");
		CKPT_CHECK(pwrite(fd, "x", 1, 0) == 1, "write refused");
		CKPT_CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE) == -1 &&
			   errno == EPERM, "F_SEAL_SEAL lost");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A memfd without sealing allowed still refuses seals after restart. */
TEST_F(memfd, no_sealing_stays_no_sealing)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int fd = CKPT_SYS(memfd_create("plain", 0));

		ckpt_self(&self->c);
		CKPT_CHECK(fcntl(fd, F_GET_SEALS) == F_SEAL_SEAL, "seals %#x",
			   fcntl(fd, F_GET_SEALS));
		CKPT_CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW) == -1 &&
			   errno == EPERM, "sealing became possible");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * A shared mapping of a memfd is still the file after restart: a store
 * through it is read through the fd, and a mapping whose fd was closed
 * keeps its contents.
 */
TEST_F(memfd, shared_mapping_is_the_file)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char *p, *q, c;
		int fd, fd2;

		fd = CKPT_SYS(memfd_create("mapped", 0));
		memfd_fill(fd);
		p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		fd2 = CKPT_SYS(memfd_create("unnamed-now", 0));
		CKPT_SYS(ftruncate(fd2, 2 * PG));
		q = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
		CKPT_CHECK(q != MAP_FAILED, "mmap 2");
		CKPT_SYS(close(fd2));
		ckpt_fill(q + PG, PG, 0x5151);
		ckpt_self(&self->c);

		memfd_verify(fd);
		CKPT_CHECK(ckpt_verify(p, 3 * PG, 0x3e3f) < 0, "mapping");
		p[5 * PG] = 'z';
		CKPT_CHECK(pread(fd, &c, 1, 5 * PG) == 1 && c == 'z',
			   "the mapping is not the file");
		CKPT_CHECK(ckpt_verify_zero(q, PG) < 0, "page 0 of the closed");
		CKPT_CHECK(ckpt_verify(q + PG, PG, 0x5151) < 0,
			   "page 1 of the closed memfd");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* errno of an execveat(2) of @fd itself (it holds no program). */
static int exec_errno(int fd)
{
	static char *const argv[] = { "x", NULL }, *const envp[] = { NULL };

	syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
	return errno;
}

/*
 * The file memfd_create() made holds no write access on its inode, so
 * the memfd can be executed (here: ENOEXEC, it holds no program); one
 * opened again for writing through /proc holds it (ETXTBSY).  Both stay
 * so after restart.
 */
TEST_F(memfd, write_access_held_as_before)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		int fd = CKPT_SYS(memfd_create("exec", 0)), again;
		char path[64];

		CKPT_CHECK(write(fd, "not a program", 13) == 13, "write");
		CKPT_CHECK(exec_errno(fd) == ENOEXEC, "exec before: %s",
			   strerror(exec_errno(fd)));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		again = CKPT_SYS(open(path, O_RDWR));
		CKPT_CHECK(exec_errno(fd) == ETXTBSY, "exec with a writer: %s",
			   strerror(exec_errno(fd)));
		ckpt_self(&self->c);
		CKPT_CHECK(exec_errno(fd) == ETXTBSY,
			   "exec with the writer restored: %s",
			   strerror(exec_errno(fd)));
		close(again);
		CKPT_CHECK(exec_errno(fd) == ENOEXEC,
			   "exec of memfd_create()'s file after restart: %s",
			   strerror(exec_errno(fd)));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
