// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces of a tree's own: the host name of its UTS namespace and the
 * SysV objects of its IPC namespace come back with restart, in new
 * namespaces, while the restarter's stay untouched.
 */
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <sched.h>
#include "ckpt_test.h"

CKPT_FIXTURE(ns);

#define SHM_KEY		0x434b5054
#define SHM_PAGES	5
#define SHM_ADDR	((void *)0x5a0000000000UL)

/* The child unshares, so it is the root of a tree with its own. */
static void own_namespaces(int flags)
{
	CKPT_SYS(unshare(flags));
}

TEST_F(ns, hostname_comes_back_in_a_new_uts_namespace)
{
	char host[65], mine[65];
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	ASSERT_EQ(0, gethostname(mine, sizeof(mine)));
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		own_namespaces(CLONE_NEWUTS);
		CKPT_SYS(sethostname("ckpt-guest", 10));
		CKPT_SYS(setdomainname("ckpt.example", 12));
		ckpt_wait_go();
		CKPT_SYS(gethostname(host, sizeof(host)));
		CKPT_CHECK(!strcmp(host, "ckpt-guest"), "host name %s", host);
		CKPT_SYS(getdomainname(host, sizeof(host)));
		CKPT_CHECK(!strcmp(host, "ckpt.example"), "domain %s", host);
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	EXPECT_STREQ(mine, host);
}

/*
 * A keyed segment attached by the root and its child at one address, a
 * private one not attached: same ids, same contents, still shared.
 */
TEST_F(ns, sysv_shm_contents_ids_and_attaches)
{
	size_t len = SHM_PAGES * 4096;
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		struct shmid_ds ds;
		int id, priv, st;
		char *p, *q, *ro;
		pid_t kid;

		own_namespaces(CLONE_NEWIPC);
		id = CKPT_SYS(shmget(SHM_KEY, len, IPC_CREAT | 0640));
		priv = CKPT_SYS(shmget(IPC_PRIVATE, 3 * 4096, 0600));
		p = shmat(id, SHM_ADDR, 0);
		CKPT_CHECK(p == SHM_ADDR, "shmat: %s", strerror(errno));
		ckpt_fill(p, len - 4096, 11);	/* last page never touched */
		q = shmat(priv, NULL, 0);
		CKPT_CHECK(q != (void *)-1, "shmat private");
		ckpt_fill(q + 4096, 4096, 12);
		CKPT_SYS(shmdt(q));
		/* a read-only attach is no VM_SHARED mapping: kept too */
		ro = shmat(priv, NULL, SHM_RDONLY);
		CKPT_CHECK(ro != (void *)-1, "shmat read-only");
		kid = CKPT_SYS(fork());
		if (kid == 0) {
			ckpt_wait_go();
			p[len - 1] = 0x5a;	/* the parent must see it */
			_exit(ckpt_verify(p, len - 4096, 11) == -1 ? 0 : 1);
		}
		ckpt_wait_go();
		CKPT_CHECK(waitpid(kid, &st, 0) == kid && st == 0,
			   "child status %#x", st);
		CKPT_CHECK(shmget(SHM_KEY, 0, 0) == id, "key now %d, id %d",
			   shmget(SHM_KEY, 0, 0), id);
		CKPT_SYS(shmctl(id, IPC_STAT, &ds));
		CKPT_CHECK(ds.shm_segsz == len && (ds.shm_perm.mode & 0777) == 0640 &&
			   ds.shm_nattch == 1, "size %zu mode %o nattch %lu",
			   (size_t)ds.shm_segsz, ds.shm_perm.mode,
			   (unsigned long)ds.shm_nattch);
		CKPT_CHECK(p[len - 1] == 0x5a, "the child's write is not seen");
		CKPT_CHECK(ckpt_verify(p, len - 4096, 11) == -1,
			   "segment contents");
		CKPT_CHECK(ckpt_verify_zero(p + len - 4096, 4095) == -1,
			   "untouched page");
		q = shmat(priv, NULL, SHM_RDONLY);
		CKPT_CHECK(q != (void *)-1, "shmat private after restart");
		CKPT_CHECK(ckpt_verify_zero(q, 4096) == -1 &&
			   ckpt_verify(q + 4096, 4096, 12) == -1,
			   "private segment contents");
		CKPT_CHECK(ckpt_verify(ro + 4096, 4096, 12) == -1,
			   "read-only attach");
		CKPT_SYS(shmctl(priv, IPC_STAT, &ds));
		CKPT_CHECK(ds.shm_nattch == 2, "private nattch %lu",
			   (unsigned long)ds.shm_nattch);
		ckpt_restored_ok();
	}
	ckpt_msleep(300);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/* Removed while attached: still attached after restart, key gone. */
TEST_F(ns, sysv_shm_removed_while_attached)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		struct shmid_ds ds;
		char *p;
		int id;

		own_namespaces(CLONE_NEWIPC);
		id = CKPT_SYS(shmget(SHM_KEY, 8192, IPC_CREAT | 0600));
		p = shmat(id, NULL, 0);
		CKPT_CHECK(p != (void *)-1, "shmat");
		ckpt_fill(p, 8192, 21);
		CKPT_SYS(shmctl(id, IPC_RMID, NULL));
		ckpt_wait_go();
		CKPT_CHECK(ckpt_verify(p, 8192, 21) == -1, "contents");
		CKPT_CHECK(shmget(SHM_KEY, 0, 0) < 0 && errno == ENOENT,
			   "the key is back");
		CKPT_SYS(shmctl(id, IPC_STAT, &ds));
		CKPT_CHECK(ds.shm_perm.mode & SHM_DEST, "mode %o",
			   ds.shm_perm.mode);
		CKPT_SYS(shmdt(p));
		CKPT_CHECK(shmctl(id, IPC_STAT, &ds) < 0, "still there");
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

TEST_F(ns, sysv_semaphore_values)
{
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		unsigned short set[3] = { 1, 5, 32767 }, get[3];
		unsigned short set2[2] = { 9, 10 };
		struct sembuf op = { .sem_num = 1, .sem_op = -5 };
		int id, id2;

		own_namespaces(CLONE_NEWIPC);
		id = CKPT_SYS(semget(SHM_KEY, 3, IPC_CREAT | 0600));
		CKPT_SYS(semctl(id, 0, SETALL, set));
		id2 = CKPT_SYS(semget(IPC_PRIVATE, 2, 0600));
		CKPT_SYS(semctl(id2, 0, SETALL, set2));
		ckpt_wait_go();
		CKPT_SYS(semctl(id2, 0, GETALL, get));
		CKPT_CHECK(get[0] == 9 && get[1] == 10, "second set %u %u",
			   get[0], get[1]);
		CKPT_CHECK(semget(SHM_KEY, 0, 0) == id, "id");
		CKPT_SYS(semctl(id, 0, GETALL, get));
		CKPT_CHECK(!memcmp(set, get, sizeof(set)), "values %u %u %u",
			   get[0], get[1], get[2]);
		CKPT_SYS(semop(id, &op, 1));
		CKPT_CHECK(semctl(id, 1, GETVAL) == 0, "after semop");
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

struct ckpt_msg {
	long mtype;
	char text[6000];
};

/* Messages come back in order, a long one (several segments) whole. */
TEST_F(ns, sysv_message_queue_messages)
{
	static const size_t lens[] = { 1, 100, 5000, 0 };
	pid_t pid;

	if (!ckpt_need_tools(_metadata))
		return;
	pid = ckpt_fork_workload(_metadata, &self->c);
	if (pid == 0) {
		struct ckpt_msg m;
		struct msqid_ds ds;
		unsigned int i;
		ssize_t n;
		int id, id2;

		own_namespaces(CLONE_NEWIPC);
		id2 = CKPT_SYS(msgget(SHM_KEY, IPC_CREAT | 0640));
		m.mtype = 99;
		memcpy(m.text, "second", 6);
		CKPT_SYS(msgsnd(id2, &m, 6, 0));
		id = CKPT_SYS(msgget(IPC_PRIVATE, 0600));
		for (i = 0; i < 4; i++) {
			m.mtype = i + 1;
			ckpt_fill(m.text, sizeof(m.text), 30 + i);
			CKPT_SYS(msgsnd(id, &m, lens[i], 0));
		}
		ckpt_wait_go();
		CKPT_SYS(msgctl(id, IPC_STAT, &ds));
		CKPT_CHECK(ds.msg_qnum == 4 && ds.msg_cbytes == 5101,
			   "%lu messages, %lu bytes", (unsigned long)ds.msg_qnum,
			   (unsigned long)ds.msg_cbytes);
		for (i = 0; i < 4; i++) {
			n = msgrcv(id, &m, sizeof(m.text), 0, IPC_NOWAIT);
			CKPT_CHECK(n == (ssize_t)lens[i] && m.mtype == i + 1,
				   "message %u: %zd bytes type %ld", i, n,
				   m.mtype);
			CKPT_CHECK(ckpt_verify(m.text, lens[i], 30 + i) == -1,
				   "message %u text", i);
		}
		CKPT_CHECK(msgrcv(id, &m, sizeof(m.text), 0, IPC_NOWAIT) < 0 &&
			   errno == ENOMSG, "a message too many");
		CKPT_CHECK(msgget(SHM_KEY, 0) == id2, "second queue's key");
		n = msgrcv(id2, &m, sizeof(m.text), 0, IPC_NOWAIT);
		CKPT_CHECK(n == 6 && m.mtype == 99 && !memcmp(m.text, "second", 6),
			   "second queue: %zd bytes", n);
		ckpt_restored_ok();
	}
	ckpt_msleep(200);
	EXPECT_EQ(CKPT_EXIT_RESTORED << 8, ckpt_cycle(_metadata, &self->c, pid, NULL))
		ckpt_show(_metadata, &self->c);
}

/*
 * A segment of the checkpointer's own IPC namespace cannot be taken
 * (its contents belong to others): EOPNOTSUPP, and the task runs on.
 */
TEST_F(ns, host_sysv_segment_refused)
{
	int id, st;
	pid_t pid;
	char *p;

	id = shmget(IPC_PRIVATE, 4096, 0600);
	ASSERT_LE(0, id);
	p = shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	shmctl(id, IPC_RMID, NULL);
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(p[0] == 0 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, WUNTRACED));
	EXPECT_EQ(-1, sys_checkpoint(pid, self->c.imgfd, CHECKPOINT_SUBTREE,
				     self->c.logfd));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ckpt_show_file(_metadata, "log", self->c.log);
	kill(pid, SIGCONT);
	EXPECT_EQ(0, ckpt_wait_exit(pid));
	shmdt(p);
}

TEST_HARNESS_MAIN
