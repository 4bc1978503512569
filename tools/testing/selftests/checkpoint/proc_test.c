// SPDX-License-Identifier: GPL-2.0
/*
 * Asking before checkpointing: /proc/PID/checkpointable and the
 * "checkpointable:" line of /proc/PID/fdinfo/N say what checkpoint(2)
 * would do, and why not.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include "ckpt_test.h"

CKPT_FIXTURE(proc);

enum proc_setup { PLAIN, SOCKET, PIPE, MLOCK, THREAD, BIG_TABLE };

static void *proc_thread(void *arg)
{
	/* a table of its own, without the copy of the sync pipe's end */
	if (unshare(CLONE_FILES) == 0)
		syscall(SYS_close_range, 3U, ~0U, 0U);
	atomic_store((atomic_int *)arg, 1);
	for (;;)
		pause();
	return arg;
}

/* A UDP socket with a datagram to itself queued, unread. */
static int udp_with_data(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = CKPT_SYS(socket(AF_INET, SOCK_DGRAM, 0));

	CKPT_SYS(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	CKPT_SYS(getsockname(fd, (struct sockaddr *)&a, &len));
	CKPT_SYS(sendto(fd, "q", 1, 0, (struct sockaddr *)&a, len));
	return fd;
}

/*
 * Start a child that sets up @what, sends the numbers of the descriptors
 * it made (fds[]) over @sync and closes it (so the parent's read sees
 * EOF once it is ready), then waits.
 */
static pid_t proc_child(struct __test_metadata *_metadata, struct ckpt_ctx *c,
			enum proc_setup what, const int *keep, int nkeep,
			int fds[2])
{
	int sync[2], all[8], i;
	pid_t pid;
	char b;

	ASSERT_EQ(0, pipe(sync));
	for (i = 0; i < nkeep; i++)
		all[i] = keep[i];
	all[nkeep] = sync[1];
	pid = ckpt_fork_keep(_metadata, c, all, nkeep + 1);
	if (pid == 0) {
		int made[2] = { -1, -1 };
		pthread_t th;
		void *p;

		switch (what) {
		case SOCKET:
			/* not saved: netlink; UDP with a datagram queued */
			made[0] = CKPT_SYS(socket(AF_NETLINK, SOCK_RAW, 0));
			made[1] = udp_with_data();
			break;
		case PIPE:
			CKPT_SYS(pipe(made));
			break;
		case MLOCK:
			p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			CKPT_CHECK(p != MAP_FAILED, "mmap");
			CKPT_SYS(mlock(p, 4096));
			break;
		case THREAD: {
			static atomic_int unshared;

			CKPT_CHECK(!pthread_create(&th, NULL, proc_thread,
						   (void *)&unshared),
				   "pthread_create");
			while (!atomic_load(&unshared))
				sched_yield();
			break;
		}
		case BIG_TABLE:
			/* a pipe, its read end also at fd 70000 */
			CKPT_SYS(pipe(made));
			made[0] = CKPT_SYS(dup2(made[0], 70000));
			break;
		case PLAIN:
			break;
		}
		CKPT_CHECK(write(sync[1], made, sizeof(made)) == sizeof(made),
			   "write");
		close(sync[1]);
		for (;;)
			pause();
	}
	close(sync[1]);
	ASSERT_EQ((ssize_t)sizeof(int) * 2, read(sync[0], fds, sizeof(int) * 2));
	ASSERT_EQ(0, read(sync[0], &b, 1));
	close(sync[0]);
	return pid;
}

static void proc_read(struct __test_metadata *_metadata, pid_t pid,
		      const char *what, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	ASSERT_LT(0, ckpt_read_file(path, buf, size))
		TH_LOG("%s: %s", path, strerror(errno));
}

/* checkpoint(2) of the stopped child: 0 or errno. */
static int proc_try_checkpoint(struct __test_metadata *_metadata,
			       struct ckpt_ctx *c, pid_t pid)
{
	long r;

	ckpt_stop(_metadata, pid);
	r = sys_checkpoint(pid, c->imgfd, 0, c->logfd);
	return r > 0 ? 0 : errno;
}

TEST_F(proc, plain_process_is_checkpointable)
{
	char buf[1024];
	int fds[2];
	pid_t pid = proc_child(_metadata, &self->c, PLAIN, NULL, 0, fds);

	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_STREQ("task:\t1\nfs:\t1\nfiles:\t1\nmm:\t1\ncheckpointable:\t1\n",
		     buf);
	proc_read(_metadata, pid, "fdinfo/1", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("fdinfo: %s", buf);
	EXPECT_EQ(0, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

/*
 * Sockets checkpoint does not save: 0 with the fd and "socket" named,
 * and checkpoint refuses.
 */
TEST_F(proc, socket_is_named_in_files_and_fdinfo)
{
	char buf[1024], want[64];
	int fds[2];
	pid_t pid = proc_child(_metadata, &self->c, SOCKET, NULL, 0, fds);

	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	snprintf(want, sizeof(want), "files:\t0 (fd %d: unsupported socket",
		 fds[0]);
	EXPECT_NE(NULL, strstr(buf, want)) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "\nmm:\t1\ncheckpointable:\t0\n"))
		TH_LOG("%s", buf);
	snprintf(want, sizeof(want), "fdinfo/%d", fds[1]);
	proc_read(_metadata, pid, want, buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "\ncheckpointable:\t0 (") &&
		    strstr(buf, "socket")) TH_LOG("fdinfo: %s", buf);
	proc_read(_metadata, pid, "fdinfo/0", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("fdinfo: %s", buf);
	EXPECT_EQ(EOPNOTSUPP, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

/* Both ends of a pipe in the process: checkpointable. */
TEST_F(proc, pipe_with_both_ends_is_checkpointable)
{
	char buf[1024], name[32];
	int fds[2], i;
	pid_t pid = proc_child(_metadata, &self->c, PIPE, NULL, 0, fds);

	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "fdinfo/%d", fds[i]);
		proc_read(_metadata, pid, name, buf, sizeof(buf));
		EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
			TH_LOG("%s: %s", name, buf);
	}
	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("%s", buf);
	EXPECT_EQ(0, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

/*
 * A pipe end whose peer another process holds: 0 while the peer is
 * open, 1 once it is closed (computed when read).
 */
TEST_F(proc, pipe_peer_outside_is_reported_while_open)
{
	char buf[1024], name[32];
	int p[2], fds[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = proc_child(_metadata, &self->c, PLAIN, &p[0], 1, fds);
	snprintf(name, sizeof(name), "fdinfo/%d", p[0]);
	proc_read(_metadata, pid, name, buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "\ncheckpointable:\t0 (") &&
		    strstr(buf, "other end is open outside"))
		TH_LOG("%s: %s", name, buf);
	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "files:\t0 (")) TH_LOG("%s", buf);

	close(p[1]);
	proc_read(_metadata, pid, name, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("%s: %s", name, buf);
	close(p[0]);
	ckpt_kill(_metadata, pid);
}

/*
 * fdinfo counts a pipe's peers only in a bounded number of fd slots per
 * read (reading every fdinfo of a tree must not cost the square of its
 * fds); past it, the line says it did not judge and where to look.
 * /proc/PID/checkpointable still judges every fd, and other fds of the
 * same table are judged alone.
 */
TEST_F(proc, pipe_in_a_huge_table_is_left_to_checkpointable)
{
	struct rlimit r = { 70001, 70001 };
	char buf[1024], name[32];
	int fds[2];
	pid_t pid;

	if (setrlimit(RLIMIT_NOFILE, &r))
		SKIP(return, "cannot raise RLIMIT_NOFILE to 70001");
	pid = proc_child(_metadata, &self->c, BIG_TABLE, NULL, 0, fds);
	snprintf(name, sizeof(name), "fdinfo/%d", fds[0]);
	proc_read(_metadata, pid, name, buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "\ncheckpointable:\t? (fd 70000: ") &&
		    strstr(buf, "/proc/PID/checkpointable"))
		TH_LOG("%s: %s", name, buf);
	proc_read(_metadata, pid, "fdinfo/1", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("fdinfo/1: %s", buf);
	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "\ncheckpointable:\t1\n"))
		TH_LOG("%s", buf);
	EXPECT_EQ(0, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

TEST_F(proc, mlocked_memory_is_named_in_mm)
{
	char buf[1024];
	int fds[2];
	pid_t pid = proc_child(_metadata, &self->c, MLOCK, NULL, 0, fds);

	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "\nmm:\t0 (mlocked mapping ") &&
		    strstr(buf, "\ncheckpointable:\t0\n"))
		TH_LOG("%s", buf);
	EXPECT_EQ(EOPNOTSUPP, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

TEST_F(proc, threads_are_named_in_task)
{
	char buf[1024];
	int fds[2];
	pid_t pid = proc_child(_metadata, &self->c, THREAD, NULL, 0, fds);

	proc_read(_metadata, pid, "checkpointable", buf, sizeof(buf));
	EXPECT_TRUE(strstr(buf, "task:\t0 (thread ") == buf &&
		    strstr(buf, "has its own file table"))
		TH_LOG("%s", buf);
	EXPECT_EQ(EBUSY, proc_try_checkpoint(_metadata, &self->c, pid));
	ckpt_kill(_metadata, pid);
}

TEST_HARNESS_MAIN
