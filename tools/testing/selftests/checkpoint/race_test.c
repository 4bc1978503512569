// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint under fire: round after round, checkpoint(2) of a stopped
 * process whose threads come and go while a second process continues,
 * stops, signals, makes exec and kills it (in three rounds of four; the
 * fourth, left alone, must give an image).  Every checkpoint must end
 * as a complete image (TAIL last) or a clean error (EAGAIN, ESRCH,
 * EBUSY), and the kernel must report nothing (the runner fails on any
 * BUG/WARNING in the console).  CKPT_RACE_ROUNDS sets the number of
 * rounds (default 1000).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/sysinfo.h>
#include "ckpt_test.h"

CKPT_FIXTURE(race);

static void *short_thread(void *arg)
{
	return arg;
}

static void on_usr2(int sig)
{
	(void)sig;
	execl("/bin/sleep", "sleep", "5", (char *)NULL);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The target: threads made and joined without end. */
static void __attribute__((noreturn)) churn(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, on_usr2);
	for (;;) {
		pthread_t th[3];
		int i, n = 0;

		for (i = 0; i < 3; i++)
			n += !pthread_create(&th[i], NULL, short_thread, NULL);
		for (i = 0; i < n; i++)
			pthread_join(th[i], NULL);
	}
}

/* The disturber: random continue/stop/signal/exec/kill for a while. */
static void __attribute__((noreturn)) disturb(pid_t target, uint64_t seed)
{
	static const int sigs[] = { SIGCONT, SIGSTOP, SIGUSR1, SIGCONT,
				    SIGSTOP, SIGUSR2, SIGKILL };
	int i;

	for (i = 0; i < 6; i++) {
		uint64_t r = ckpt_pattern(seed, i);
		int sig = sigs[r % ARRAY_SIZE(sigs)];

		/* exec and kill are rarer: they end the round's target */
		if ((sig == SIGKILL || sig == SIGUSR2) && (r >> 8) % 4)
			sig = SIGCONT;
		kill(target, sig);
		usleep((r >> 16) % 3000);
	}
	kill(target, SIGSTOP);
	_exit(0);
}

static bool image_complete(const char *path)
{
	size_t len;
	void *img = ckpt_load(path, &len);
	ssize_t off;
	bool ok;

	if (!img)
		return false;
	off = ckpt_record_offset(img, len, 0, CKPT_HDR_TAIL);
	ok = off >= 0 && (size_t)off + sizeof(struct ckpt_hdr_tail) == len;
	free(img);
	return ok;
}

TEST_F_TIMEOUT(race, checkpoint_under_fire_is_an_image_or_a_clean_error, 900)
{
	const char *env = getenv("CKPT_RACE_ROUNDS");
	unsigned long rounds = env && *env ? strtoul(env, NULL, 0) : 1000;
	unsigned long ok = 0, quiet = 0, quiet_ok = 0, refused[256] = { 0 }, r;
	int st;

	TH_LOG("%lu rounds on %d CPUs", rounds, get_nprocs());
	for (r = 0; r < rounds; r++) {
		pid_t target, dist;
		long id;
		int e;

		int sync[2];
		char b;

		/* the target is ready once its stdio is the test's files */
		ASSERT_EQ(0, pipe(sync));
		target = ckpt_fork_keep(_metadata, &self->c, &sync[1], 1);
		if (target == 0) {
			close(sync[1]);
			churn();
		}
		close(sync[1]);
		ASSERT_EQ(0, read(sync[0], &b, 1));
		close(sync[0]);
		usleep(r % 4000);
		kill(target, SIGSTOP);
		/* stopped for certain before anyone disturbs it */
		ASSERT_EQ(target, waitpid(target, &st, WUNTRACED));
		ASSERT_TRUE(WIFSTOPPED(st));
		quiet += r % 4 == 0;
		dist = fork();
		ASSERT_GE(dist, 0);
		/* one round in four undisturbed: those must make images */
		if (dist == 0 && r % 4 == 0)
			_exit(0);
		if (dist == 0)
			disturb(target, r * 0x9e3779b97f4a7c15ULL + 1);
		ASSERT_EQ(0, ftruncate(self->c.imgfd, 0));
		ASSERT_EQ(0, lseek(self->c.imgfd, 0, SEEK_SET));
		ASSERT_EQ(0, ftruncate(self->c.logfd, 0));
		id = sys_checkpoint(target, self->c.imgfd, 0, self->c.logfd);
		e = errno;
		waitpid(dist, NULL, 0);
		kill(target, SIGKILL);
		waitpid(target, &st, 0);
		if (id > 0) {
			ok++;
			quiet_ok += r % 4 == 0;
			EXPECT_TRUE(image_complete(self->c.img))
				TH_LOG("round %lu: checkpoint %ld left no complete image",
				       r, id);
			continue;
		}
		refused[e & 255]++;
		if (r % 4 == 0) {
			TH_LOG("undisturbed round %lu: %s", r, strerror(e));
			ckpt_show(_metadata, &self->c);
		}
		EXPECT_TRUE(e == EAGAIN || e == ESRCH || e == EBUSY)
			ckpt_show(_metadata, &self->c);
	}
	TH_LOG("%lu images", ok);
	for (r = 0; r < 256; r++)
		if (refused[r])
			TH_LOG("%lu refused: %s", refused[r], strerror(r));
	/* every undisturbed round made an image; the others also failed */
	EXPECT_EQ(quiet, quiet_ok);
	EXPECT_GT(refused[EAGAIN] + refused[ESRCH] + refused[EBUSY], 0UL);
}

TEST_HARNESS_MAIN
