// SPDX-License-Identifier: GPL-2.0
/*
 * Who may checkpoint and restart what: one table, run as root, each row
 * done by a child that became uid 1000 (the caller) against a target of
 * the kind the row names, with the exact result expected.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include "ckpt_test.h"

#define CALLER		1000
#define OTHER		1001

CKPT_FIXTURE(rights);

enum target_kind {
	OWN,		/* uid 1000 like the caller */
	OTHER_USER,	/* uid 1001 */
	SETUID,		/* uid 1000, euid 0: a set-user-id-root program */
	RAISED_CAPS,	/* uid 1000 with CAP_NET_RAW permitted */
	ROOT,		/* uid 0 */
	BSET_DROPPED,	/* uid 1000 without CAP_SYS_ADMIN in its bounding set */
	SECUREBITS,	/* uid 1000 with SECBIT_NOROOT */
};

static void become(uid_t ruid, uid_t euid, uid_t suid)
{
	CKPT_SYS(setgroups(0, NULL));
	CKPT_SYS(setresgid(ruid, ruid, ruid));
	CKPT_SYS(setresuid(ruid, euid, suid));
}

static void keep_net_raw(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = {};

	d[0].permitted = 1U << CAP_NET_RAW;
	CKPT_SYS(syscall(SYS_capset, &h, d));
}

/* A stopped target of @kind, dumpable, waiting for @go once restored. */
static pid_t target(struct __test_metadata *_metadata, struct ckpt_ctx *c,
		    enum target_kind kind, const char *go)
{
	pid_t pid = ckpt_fork(_metadata, c);

	if (pid == 0) {
		switch (kind) {
		case OWN:
			become(CALLER, CALLER, CALLER);
			break;
		case OTHER_USER:
			become(OTHER, OTHER, OTHER);
			break;
		case SETUID:
			become(CALLER, 0, 0);
			break;
		case RAISED_CAPS:
			CKPT_SYS(prctl(PR_SET_KEEPCAPS, 1));
			become(CALLER, CALLER, CALLER);
			keep_net_raw();
			break;
		case ROOT:
			break;
		case BSET_DROPPED:
			CKPT_SYS(prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN));
			become(CALLER, CALLER, CALLER);
			break;
		case SECUREBITS:
			CKPT_SYS(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT));
			become(CALLER, CALLER, CALLER);
			break;
		}
		CKPT_SYS(prctl(PR_SET_DUMPABLE, 1));
		while (access(go, F_OK))
			usleep(2000);
		ckpt_restored_ok();
	}
	usleep(20000);
	ckpt_stop(_metadata, pid);
	return pid;
}

/* As uid CALLER: checkpoint(@pid) into c->imgfd; 0 or the errno. */
static int checkpoint_as_caller(struct ckpt_ctx *c, pid_t pid)
{
	pid_t ch;
	int st;

	if (ftruncate(c->imgfd, 0) || lseek(c->imgfd, 0, SEEK_SET))
		return -1;
	ch = fork();
	if (ch == 0) {
		long r;

		become(CALLER, CALLER, CALLER);
		r = sys_checkpoint(pid, c->imgfd, 0, c->logfd);
		_exit(r > 0 ? 0 : ckpt_errno_exit(errno));
	}
	st = ckpt_wait_exit(ch);
	return WIFEXITED(st) && WEXITSTATUS(st) >= CKPT_EXIT_ERRNO ?
	       WEXITSTATUS(st) - CKPT_EXIT_ERRNO : WEXITSTATUS(st) ? -1 : 0;
}

/*
 * As uid CALLER: restart the image in c->imgfd into a child; its wait
 * status (42 when the restored process ran, 100 + errno if refused).
 */
static int restart_as_caller(struct ckpt_ctx *c)
{
	pid_t ch;

	if (lseek(c->imgfd, 0, SEEK_SET))
		return -1;
	ch = fork();
	if (ch == 0) {
		long r;

		become(CALLER, CALLER, CALLER);
		r = sys_restart(0, c->imgfd, RESTART_TASKSELF, c->logfd);
		_exit(r < 0 ? ckpt_errno_exit(errno) : 99);
	}
	return ckpt_wait_exit(ch);
}

/*
 * The caller writes the image and the log, and a process it restarts
 * reopens the output file its stdio was on: let it.
 */
static void give_to_caller(struct __test_metadata *_metadata,
			   struct ckpt_ctx *c)
{
	ASSERT_EQ(0, fchown(c->imgfd, CALLER, CALLER));
	ASSERT_EQ(0, fchown(c->logfd, CALLER, CALLER));
	ASSERT_EQ(0, fchown(c->outfd, CALLER, CALLER));
}

static const struct {
	const char *who;
	enum target_kind kind;
	int checkpoint_err;	/* 0: checkpoint succeeds */
} checkpoint_rows[] = {
	{ "its own process", OWN, 0 },
	{ "another user's process", OTHER_USER, EPERM },
	{ "a set-user-id-root process", SETUID, EPERM },
	{ "a process with raised capabilities", RAISED_CAPS, EPERM },
	{ "root's process", ROOT, EPERM },
};

TEST_F(rights, who_may_checkpoint_what)
{
	const char *go = ckpt_tmp_path(&self->c, "go");
	unsigned int i;

	if (geteuid())
		SKIP(return, "needs root to make the users");
	give_to_caller(_metadata, &self->c);
	for (i = 0; i < ARRAY_SIZE(checkpoint_rows); i++) {
		pid_t pid = target(_metadata, &self->c, checkpoint_rows[i].kind,
				   go);
		int err = checkpoint_as_caller(&self->c, pid);

		EXPECT_EQ(checkpoint_rows[i].checkpoint_err, err)
			TH_LOG("uid %d checkpointing %s: %s", CALLER,
			       checkpoint_rows[i].who,
			       err > 0 ? strerror(err) : "succeeded");
		/* refused or not, the target is left as it was */
		EXPECT_EQ('T', ckpt_proc_state(pid));
		ckpt_kill(_metadata, pid);
	}
}

/*
 * Images of root's and of a raised-capability process, restarted by uid
 * 1000: refused, as setresuid(2) and capset(2) would refuse; so are a
 * smaller bounding set and other securebits, which prctl(2) changes only
 * with CAP_SETPCAP (a set-user-id program that cannot gain a capability
 * may fail to drop privilege).  Its own image restarts.
 */
TEST_F(rights, who_may_restart_what)
{
	static const struct {
		const char *what;
		enum target_kind kind;
		int err;	/* 0: restored */
	} rows[] = {
		{ "its own image", OWN, 0 },
		{ "an image claiming uid 0", ROOT, EPERM },
		{ "an image claiming capabilities", RAISED_CAPS, EPERM },
		{ "an image claiming another uid", OTHER_USER, EPERM },
		{ "an image with a smaller bounding set", BSET_DROPPED, EPERM },
		{ "an image with SECBIT_NOROOT", SECUREBITS, EPERM },
	};
	const char *go = ckpt_tmp_path(&self->c, "go");
	unsigned int i;

	if (geteuid())
		SKIP(return, "needs root to make the users");
	give_to_caller(_metadata, &self->c);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		pid_t pid;
		int st;

		unlink(go);
		pid = target(_metadata, &self->c, rows[i].kind, go);
		/* root takes the image, the caller restarts it */
		ckpt_other(_metadata, &self->c, pid);
		ckpt_kill(_metadata, pid);
		ASSERT_EQ(0, ckpt_write_file(go, "", 0, 0644));
		st = restart_as_caller(&self->c);
		EXPECT_EQ(rows[i].err ? CKPT_ERRNO_STATUS(rows[i].err) :
			  CKPT_EXIT_RESTORED << 8, st) {
			char b[128];

			TH_LOG("uid %d restarting %s: %s", CALLER, rows[i].what,
			       ckpt_status_str(st, b, sizeof(b)));
			ckpt_show(_metadata, &self->c);
		}
	}
}

/*
 * Restarted by root, a process gets back its bounding set, ambient
 * capabilities and securebits, each set with the check of the prctl(2)
 * that changes it.
 */
static void capability_process(struct ckpt_ctx *c)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = {};
	unsigned int bits = SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP;

	CKPT_SYS(syscall(SYS_capget, &h, d));
	d[0].inheritable = 1U << CAP_NET_RAW;
	CKPT_SYS(syscall(SYS_capset, &h, d));
	CKPT_SYS(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0));
	CKPT_SYS(prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN));
	CKPT_SYS(prctl(PR_SET_SECUREBITS, bits));
	ckpt_self(c);

	CKPT_CHECK(prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) == 0,
		   "CAP_SYS_ADMIN is back in the bounding set");
	CKPT_CHECK(prctl(PR_CAPBSET_READ, CAP_NET_RAW) == 1,
		   "CAP_NET_RAW left the bounding set");
	CKPT_CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW,
			 0, 0) == 1, "ambient CAP_NET_RAW lost");
	CKPT_CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_SYS_ADMIN,
			 0, 0) == 0, "ambient CAP_SYS_ADMIN appeared");
	CKPT_CHECK(prctl(PR_GET_SECUREBITS) == (int)bits,
		   "securebits %#x, not %#x", prctl(PR_GET_SECUREBITS), bits);
	ckpt_restored_ok();
}

TEST_F(rights, bounding_ambient_and_securebits_come_back)
{
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to hold the capabilities");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0)
		capability_process(&self->c);
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
