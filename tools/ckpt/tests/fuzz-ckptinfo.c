// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-ckptinfo - run ckptinfo's checker on many damaged images, fast
 *
 *   fuzz-ckptinfo sweep IMG          change every byte of a valid IMG in
 *                                    turn (two ways): each must be
 *                                    rejected (status 1)
 *   fuzz-ckptinfo trunc IMG          every proper prefix of IMG: rejected
 *   fuzz-ckptinfo random IMG N SEED  N random mutations (record lengths,
 *                                    types, fields, bytes, truncation; most
 *                                    resealed with a right checksum): the
 *                                    checker must answer 0 or 1
 *   fuzz-ckptinfo files FILE...      print the checker's status per file
 *
 * ckptinfo.c is compiled in: its check_image() returns the verdict, so
 * thousands of cases run in one process, which matters under the
 * sanitizers.  A sanitizer report ends the process (the test script
 * makes that a non-zero status); the case that caused it is saved as
 * ./fuzz-crash.img first.  Other failing cases are saved as
 * ./fuzz-fail-N.img.
 */
#define main ckptinfo_main
#include "../ckptinfo.c"
#undef main

#include <sys/mman.h>	/* memfd_create() */

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

static unsigned char *base;
static size_t base_len;
static int failures;
static int mfd = -1;

static uint64_t rng;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

static void load(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		exit(2);
	}
	base_len = st.st_size;
	base = malloc(base_len + 1);
	if (!base || ckpt_read_full(fd, base, base_len) != (ssize_t)base_len) {
		perror(path);
		exit(2);
	}
	close(fd);
}

static const unsigned char *cur;
static size_t cur_len;

static void save(const char *name, const unsigned char *d, size_t len)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		ckpt_write_full(fd, d, len);
		close(fd);
	}
}

#if defined(__SANITIZE_ADDRESS__)
static void on_death(void)
{
	save("fuzz-crash.img", cur, cur_len);
	fprintf(stderr, "fuzz-ckptinfo: the failing input is fuzz-crash.img\n");
}
#endif

/* Check @len bytes of @d; returns the status ckptinfo would exit with. */
static int run(const unsigned char *d, size_t len)
{
	/* one checker for all cases: it keeps its record buffer */
	static struct ckptinfo ci = { .fname = "case", .quiet = true,
				      .silent = true };

	if (mfd < 0) {
		mfd = memfd_create("img", 0);
		ci.in_fd = mfd;
		ci.msgf = getenv("FUZZ_VERBOSE") ? stderr :
			  fopen("/dev/null", "w");
		if (mfd < 0 || !ci.msgf) {
			perror("memfd");
			exit(2);
		}
#if defined(__SANITIZE_ADDRESS__)
		__sanitizer_set_death_callback(on_death);
#endif
	}
	if (ftruncate(mfd, 0) || pwrite(mfd, d, len, 0) != (ssize_t)len ||
	    lseek(mfd, 0, SEEK_SET)) {
		perror("memfd");
		exit(2);
	}
	cur = d;
	cur_len = len;
	return check_image(&ci);
}

static void fail(const unsigned char *d, size_t len, int status,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(const unsigned char *d, size_t len, int status,
		 const char *fmt, ...)
{
	char name[64];
	va_list ap;

	if (++failures > 10)
		return;
	snprintf(name, sizeof(name), "fuzz-fail-%d.img", failures);
	save(name, d, len);
	printf("# FAIL (status %d, saved as %s): ", status, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int sweep(void)
{
	unsigned char *d = malloc(base_len);
	int status, cases = 0;

	for (size_t off = 0; off < base_len; off++) {
		for (int k = 0; k < 2; k++) {
			memcpy(d, base, base_len);
			d[off] = k ? d[off] + 1 : d[off] ^ 0x80;
			status = run(d, base_len);
			cases++;
			if (status != 1)
				fail(d, base_len, status,
				     "byte %zu changed from 0x%02x to 0x%02x was not rejected", off,
				     base[off], d[off]);
		}
	}
	printf("# sweep: %d cases, %d failures\n", cases, failures);
	free(d);
	return failures != 0;
}

static int trunc_all(void)
{
	int status, cases = 0;

	for (size_t len = 0; len < base_len; len++) {
		status = run(base, len);
		cases++;
		if (status != 1)
			fail(base, len, status, "truncated to %zu bytes was not rejected", len);
	}
	printf("# trunc: %d cases, %d failures\n", cases, failures);
	return failures != 0;
}

/* offsets of the records of the base image */
static size_t recs[4096];
static size_t nrecs;

static void index_records(void)
{
	struct ckpt_iter it;

	ckpt_iter_init(&it, base, base_len);
	while (nrecs < 4096 && ckpt_iter_next(&it))
		recs[nrecs++] = it.off;
}

static int random_cases(unsigned long n, unsigned long seed)
{
	unsigned char *d = malloc(base_len + 64);
	unsigned long accepted = 0;
	int status;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	index_records();
	for (unsigned long i = 0; i < n; i++) {
		size_t len = base_len;
		int muts = 1 + rnd() % 4;

		memcpy(d, base, base_len);
		for (int m = 0; m < muts; m++) {
			size_t r = recs[rnd() % nrecs];
			uint32_t v;

			switch (rnd() % 6) {
			case 0:	/* a record's length */
				v = rnd() % 3 ? rnd() % 0x1000 : rnd();
				memcpy(d + r + 4, &v, 4);
				break;
			case 1:	/* a 32-bit field near a record's start */
				v = rnd() % 2 ? rnd() % 16 : rnd();
				memcpy(d + r + 8 + 4 * (rnd() % 8), &v, 4);
				break;
			case 2:	/* a record's type */
				if (rnd() % 2)
					memcpy(&v, base + recs[rnd() % nrecs], 4);
				else
					v = rnd() % 600;
				memcpy(d + r, &v, 4);
				break;
			default: /* any byte */
				d[rnd() % (len - 40)] = rnd();
				break;
			}
		}
		if (rnd() % 8 == 0)
			len = rnd() % len;
		else if (rnd() % 4)
			ckpt_reseal(d, len);
		if (len > base_len)
			len = base_len;
		status = run(d, len);
		if (status == 0)
			accepted++;
		else if (status != 1)
			fail(d, len, status, "random case %lu (seed %lu)", i,
			     seed);
	}
	printf("# random: %lu cases, %lu still valid, %d failures\n", n,
	       accepted, failures);
	free(d);
	return failures != 0;
}

static int files(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		free(base);
		load(argv[i]);
		printf("%s %d\n", argv[i], run(base, base_len));
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "files"))
		return files(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "sweep")) {
		load(argv[2]);
		return sweep();
	}
	if (argc == 3 && !strcmp(argv[1], "trunc")) {
		load(argv[2]);
		return trunc_all();
	}
	if (argc == 5 && !strcmp(argv[1], "random")) {
		load(argv[2]);
		return random_cases(strtoul(argv[3], NULL, 0),
				    strtoul(argv[4], NULL, 0));
	}
	fprintf(stderr,
		"usage: fuzz-ckptinfo sweep|trunc IMG | random IMG N SEED | files FILE...\n");
	return 2;
}
