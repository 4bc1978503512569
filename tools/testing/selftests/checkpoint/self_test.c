// SPDX-License-Identifier: GPL-2.0
/*
 * Self-checkpoint: checkpoint(0, ...) returns a positive id in the
 * checkpointed process and 0 in the process restarted from the image.
 */
#include "ckpt_test.h"

CKPT_FIXTURE(self_ckpt);

/* checkpoint(0) > 0 on the checkpoint side, the same call returns 0 after restart. */
TEST_F(self_ckpt, returns_id_then_zero)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static volatile int passes;
		long r;

		passes++;
		errno = 0;
		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		if (r > 0) {
			CKPT_CHECK(passes == 1, "passes %d", passes);
			_exit(0);
		}
		CKPT_CHECK(r == 0, "checkpoint: %ld (%s)", r, strerror(errno));
		/* Resumed after the call, not re-run from the start. */
		CKPT_CHECK(passes == 1, "passes %d", passes);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* pid == getpid() is a self-checkpoint too (no need to be stopped). */
TEST_F(self_ckpt, own_pid_is_self)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		long r = sys_checkpoint(getpid(), self->c.imgfd, 0,
					self->c.logfd);

		if (r > 0)
			_exit(0);
		CKPT_CHECK(r == 0, "checkpoint(getpid()): %s", strerror(errno));
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The checkpoint side goes on unchanged after a successful checkpoint. */
TEST_F(self_ckpt, checkpoint_side_continues)
{
	const char *path = ckpt_tmp_path(&self->c, "cont");
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char buf[5 * 4096];
		char rd[6];
		long r;
		int fd;

		ckpt_fill(buf, sizeof(buf), 77);
		fd = CKPT_SYS(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
		CKPT_SYS(write(fd, "abcdef", 6));
		r = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		CKPT_CHECK(r > 0, "checkpoint: %ld (%s)", r, strerror(errno));
		CKPT_CHECK(ckpt_verify(buf, sizeof(buf), 77) < 0, "memory");
		CKPT_CHECK(lseek(fd, 0, SEEK_CUR) == 6, "offset");
		CKPT_CHECK(pread(fd, rd, 6, 0) == 6 && !memcmp(rd, "abcdef", 6),
			   "file");
		CKPT_CHECK(getppid() != 1, "parent");
		_exit(7);
	}
	{
		int st = ckpt_wait_exit(pid);

		ASSERT_EQ(7 << 8, st) ckpt_show(_metadata, &self->c);
	}
}

/*
 * Two checkpoints of one process get different ids; each image resumes
 * at its own call.
 */
TEST_F(self_ckpt, two_checkpoints_distinct_ids)
{
	const char *img2 = ckpt_tmp_path(&self->c, "img2");
	/* not shared memory: checkpoint refuses memory shared with us */
	const char *idf = ckpt_tmp_path(&self->c, "ids");
	long ids[2] = { 0, 0 };
	int fd2, st;
	pid_t pid;

	fd2 = open(img2, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_GE(fd2, 0);
	pid = ckpt_fork_keep(_metadata, &self->c, &fd2, 1);
	if (pid == 0) {
		long id1, id2;

		id1 = sys_checkpoint(0, self->c.imgfd, 0, self->c.logfd);
		if (id1 == 0)
			_exit(43);	/* restored from the first image */
		CKPT_CHECK(id1 > 0, "first: %s", strerror(errno));
		id2 = sys_checkpoint(0, fd2, 0, self->c.logfd);
		if (id2 > 0) {
			long both[2] = { id1, id2 };

			CKPT_CHECK(!ckpt_write_file(idf, both, sizeof(both), 0600),
				   "ids");
			_exit(0);
		}
		CKPT_CHECK(id2 == 0, "second: %s", strerror(errno));
		/* restored from the second image: the first call happened */
		CKPT_CHECK(id1 > 0, "id1 %ld", id1);
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	{
		char raw[sizeof(ids) + 1];	/* ckpt_read_file() adds a NUL */

		ASSERT_EQ((ssize_t)sizeof(ids),
			  ckpt_read_file(idf, raw, sizeof(raw)));
		memcpy(ids, raw, sizeof(ids));
	}
	EXPECT_GT(ids[0], 0);
	EXPECT_GT(ids[1], 0);
	EXPECT_NE(ids[0], ids[1]);

	st = ckpt_restore_fd(_metadata, &self->c, fd2);
	ckpt_expect_restored(_metadata, &self->c, st);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	EXPECT_EQ(43 << 8, st) ckpt_show(_metadata, &self->c);
	close(fd2);
}

/* A restored process can be checkpointed again; that image restores too. */
TEST_F(self_ckpt, restored_process_checkpoints_again)
{
	const char *img2 = ckpt_tmp_path(&self->c, "img2");
	int fd2, st;
	pid_t pid;

	fd2 = open(img2, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_GE(fd2, 0);
	pid = ckpt_fork_keep(_metadata, &self->c, &fd2, 1);
	if (pid == 0) {
		static char buf[2 * 4096];
		static volatile int generation;
		long r;

		ckpt_fill(buf, sizeof(buf), 5);
		ckpt_self(&self->c);
		/*
		 * restored from the first image, whose image and log fds
		 * were no part of it: they are not open now
		 */
		generation = 1;
		CKPT_CHECK(fcntl(self->c.logfd, F_GETFD) < 0 && errno == EBADF,
			   "the log fd came back");
		r = sys_checkpoint(0, fd2, 0, CHECKPOINT_FD_NONE);
		if (r > 0)
			_exit(44);
		CKPT_CHECK(r == 0, "checkpoint after restart: %s",
			   strerror(errno));
		CKPT_CHECK(generation == 1, "generation %d", generation);
		CKPT_CHECK(ckpt_verify(buf, sizeof(buf), 5) < 0, "memory");
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ASSERT_EQ(44 << 8, st) ckpt_show(_metadata, &self->c);
	st = ckpt_restore_fd(_metadata, &self->c, fd2);
	ckpt_expect_restored(_metadata, &self->c, st);
	close(fd2);
}

/* An image is not consumed by a restart: it restores twice. */
TEST_F(self_ckpt, image_restores_twice)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);
	int st;

	if (pid == 0) {
		static char buf[4096];

		ckpt_fill(buf, sizeof(buf), 9);
		ckpt_self(&self->c);
		CKPT_CHECK(ckpt_verify(buf, sizeof(buf), 9) < 0, "memory");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);
}

/*
 * The image is a stream: restart(2) reads it from a pipe (it never
 * seeks), fed while it reads.
 */
TEST_F(self_ckpt, restart_from_pipe)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);
	size_t len, off = 0;
	int p[2], st;
	char *img;

	if (pid == 0) {
		static char buf[64 * 4096];	/* more than a pipe holds */

		ckpt_fill(buf, sizeof(buf), 11);
		ckpt_self(&self->c);
		CKPT_CHECK(ckpt_verify(buf, sizeof(buf), 11) < 0, "memory");
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);
	img = ckpt_load(self->c.img, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, pipe(p));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		long r;

		close(p[1]);
		r = ckpt_restart_poisoned(p[0], RESTART_TASKSELF,
					  self->c.logfd);
		dprintf(self->c.outfd, "restart(2) returned %ld\n", r);
		_exit(r < 0 ? ckpt_errno_exit(-r) : 99);
	}
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		ssize_t n = write(p[1], img + off, len - off);

		if (n <= 0)
			break;
		off += n;
	}
	close(p[1]);
	st = ckpt_wait_exit(pid);
	EXPECT_EQ(len, off);
	ckpt_expect_restored(_metadata, &self->c, st);
	free(img);
}

TEST_HARNESS_MAIN
