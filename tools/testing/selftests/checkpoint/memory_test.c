// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: every kind of mapping of a single process comes back with the
 * same contents, protections and layout.
 */
#include <sys/auxv.h>
#include "ckpt_test.h"

#define PAGE	4096UL

CKPT_FIXTURE(memory);

/* In a child: does writing (or reading) @addr kill a child with SIGSEGV? */
static bool access_faults(void *addr, bool write)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		_exit(CKPT_EXIT_FAIL);
	if (pid == 0) {
		if (write)
			*(volatile char *)addr = 1;
		else
			(void)*(volatile char *)addr;
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		_exit(CKPT_EXIT_FAIL);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

/* The kernel's program break (glibc's sbrk(0) answers from a cache). */
static char *kernel_brk(void)
{
	return (char *)syscall(SYS_brk, 0);
}

static char *set_brk(char *addr)
{
	return (char *)syscall(SYS_brk, addr);
}

/* Fill the stack a bit deeper than the tests go, so it does not grow. */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char deep[256 * 1024];

	memset((char *)deep, 0, sizeof(deep));
}

/* Heap memory from brk keeps its contents; the allocator still works. */
TEST_F(memory, heap_brk_contents)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char *ptr[64];
		static size_t size[64];
		char *brk1;
		int i;

		for (i = 0; i < 64; i++) {
			size[i] = 64 + i * 200;
			ptr[i] = malloc(size[i]);
			CKPT_CHECK(ptr[i], "malloc");
			ckpt_fill(ptr[i], size[i], 1000 + i);
		}
		brk1 = kernel_brk();
		for (i = 0; i < 64; i++)
			CKPT_CHECK(ptr[i] < brk1, "block %d not from brk", i);
		ckpt_self(&self->c);
		CKPT_CHECK(kernel_brk() == brk1, "brk %p, was %p", kernel_brk(),
			   brk1);
		for (i = 0; i < 64; i++) {
			ssize_t off = ckpt_verify(ptr[i], size[i], 1000 + i);

			CKPT_CHECK(off < 0, "block %d differs at %zd", i, off);
		}
		for (i = 0; i < 64; i += 2)
			free(ptr[i]);
		for (i = 0; i < 64; i += 2) {
			ptr[i] = malloc(size[i]);
			CKPT_CHECK(ptr[i], "malloc after restart");
			ckpt_fill(ptr[i], size[i], 7);
		}
		for (i = 1; i < 64; i += 2)
			CKPT_CHECK(ckpt_verify(ptr[i], size[i], 1000 + i) < 0,
				   "block %d clobbered by malloc", i);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* A large malloc() (an mmap'ed chunk) keeps its contents. */
TEST_F(memory, heap_mmap_chunk_contents)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 4 << 20;
		char *p = malloc(len);
		ssize_t off;

		CKPT_CHECK(p, "malloc");
		CKPT_CHECK(p > (char *)sbrk(0) || p + len < (char *)sbrk(0),
			   "not an mmap chunk");
		ckpt_fill(p, len, 42);
		ckpt_self(&self->c);
		off = ckpt_verify(p, len, 42);
		CKPT_CHECK(off < 0, "differs at %zd", off);
		free(p);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * An 8 MiB private anonymous region with pattern pages, never touched
 * pages, pages written and zeroed again and pages only read: each kind
 * reads back right and the whole region stays writable.
 */
TEST_F(memory, large_anon_sparse)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 8 << 20, i;
		volatile char sink = 0;
		char *p;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		for (i = 0; i < len / PAGE; i++) {
			char *pg = p + i * PAGE;

			switch (i % 4) {
			case 0:			/* pattern */
				ckpt_fill(pg, PAGE, i);
				break;
			case 1:			/* never touched */
				break;
			case 2:			/* dirty, then zero */
				ckpt_fill(pg, PAGE, i);
				memset(pg, 0, PAGE);
				break;
			case 3:			/* read only: zero page */
				sink += pg[100];
				break;
			}
		}
		(void)sink;
		ckpt_self(&self->c);
		for (i = 0; i < len / PAGE; i++) {
			char *pg = p + i * PAGE;
			ssize_t off;

			if (i % 4 == 0)
				off = ckpt_verify(pg, PAGE, i);
			else
				off = ckpt_verify_zero(pg, PAGE);
			CKPT_CHECK(off < 0, "page %zu (kind %zu) differs at %zd",
				   i, i % 4, off);
		}
		for (i = 0; i < len / PAGE; i++)
			p[i * PAGE + 8] = (char)i;
		for (i = 0; i < len / PAGE; i++)
			CKPT_CHECK(p[i * PAGE + 8] == (char)i, "page %zu", i);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static int __attribute__((noinline)) frames(struct ckpt_ctx *c, int depth)
{
	volatile uint64_t local[128];
	int i, bad;

	for (i = 0; i < 128; i++)
		local[i] = ckpt_pattern(depth, i);
	if (depth == 0) {
		ckpt_self(c);
	} else {
		bad = frames(c, depth - 1);
		if (bad)
			return bad;
	}
	for (i = 0; i < 128; i++)
		if (local[i] != ckpt_pattern(depth, i))
			return depth + 1;
	return 0;
}

/* Stack contents: locals of 32 nested frames survive; the calls unwind. */
TEST_F(memory, stack_frames)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		volatile char big[64 * 1024];
		int bad;

		ckpt_fill((char *)big, sizeof(big), 99);
		bad = frames(&self->c, 32);
		CKPT_CHECK(!bad, "frame at depth %d differs", bad - 1);
		CKPT_CHECK(ckpt_verify((char *)big, sizeof(big), 99) < 0,
			   "64 KiB local array differs");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * MAP_SHARED|MAP_ANONYMOUS keeps its contents and is still shared: a
 * child forked after restart writes into it and the parent sees it.
 */
TEST_F(memory, shared_anon)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 1 << 20;
		ssize_t off;
		char *p;
		int st;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		ckpt_fill(p, len, 3);
		memset(p + len - PAGE, 0, PAGE);	/* a zero page too */
		ckpt_self(&self->c);
		off = ckpt_verify(p, len - PAGE, 3);
		CKPT_CHECK(off < 0, "differs at %zd", off);
		CKPT_CHECK(ckpt_verify_zero(p + len - PAGE, PAGE) < 0,
			   "zero page");
		pid = fork();
		CKPT_CHECK(pid >= 0, "fork");
		if (pid == 0) {
			memcpy(p + 5 * PAGE, "shared!", 8);
			_exit(0);
		}
		CKPT_CHECK(waitpid(pid, &st, 0) == pid && st == 0, "child");
		CKPT_CHECK(!memcmp(p + 5 * PAGE, "shared!", 8),
			   "write of a child not visible: mapping not shared");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Private file mapping: the modified (COW) page keeps the process' data,
 * the untouched page shows the file, the file itself is unchanged.
 */
TEST_F(memory, private_file_mapping)
{
	const char *path = ckpt_tmp_path(&self->c, "priv");
	static char fdata[2 * PAGE];
	pid_t pid;

	memset(fdata, 'A', sizeof(fdata));
	ASSERT_EQ(0, ckpt_write_file(path, fdata, sizeof(fdata), 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char buf[2 * PAGE];
		size_t i;
		char *p;
		int fd;

		fd = CKPT_SYS(open(path, O_RDONLY));
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			 fd, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		close(fd);
		memset(p, 'B', PAGE);
		ckpt_self(&self->c);
		for (i = 0; i < PAGE; i++)
			CKPT_CHECK(p[i] == 'B', "COW page byte %zu is %#x", i,
				   p[i]);
		for (i = PAGE; i < 2 * PAGE; i++)
			CKPT_CHECK(p[i] == 'A', "file page byte %zu is %#x", i,
				   p[i]);
		fd = CKPT_SYS(open(path, O_RDONLY));
		CKPT_CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf), "read");
		for (i = 0; i < sizeof(buf); i++)
			CKPT_CHECK(buf[i] == 'A', "file byte %zu is %#x", i,
				   buf[i]);
		/* Still private: writes do not reach the file. */
		p[PAGE] = 'Z';
		CKPT_CHECK(pread(fd, buf, 1, PAGE) == 1 && buf[0] == 'A',
			   "private write reached the file");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * Shared file mapping: it is the file.  Data written before checkpoint
 * is there, a page the process never wrote shows what the file holds at
 * restart time, and writes after restart land in the file.
 */
TEST_F(memory, shared_file_mapping)
{
	const char *path = ckpt_tmp_path(&self->c, "shared");
	static char fdata[2 * PAGE];
	char buf[PAGE];
	size_t i;
	pid_t pid;
	int fd, st;

	memset(fdata, 'C', sizeof(fdata));
	ASSERT_EQ(0, ckpt_write_file(path, fdata, sizeof(fdata), 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		char *p;

		fd = CKPT_SYS(open(path, O_RDWR));
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		close(fd);
		(void)*(volatile char *)(p + PAGE);	/* map, do not dirty */
		memset(p, 'D', PAGE);
		ckpt_self(&self->c);
		for (i = 0; i < PAGE; i++)
			CKPT_CHECK(p[i] == 'D', "page 0 byte %zu is %#x", i,
				   p[i]);
		for (i = PAGE; i < 2 * PAGE; i++)
			CKPT_CHECK(p[i] == 'E',
				   "page 1 byte %zu is %#x, not the file's", i,
				   p[i]);
		memset(p, 'F', PAGE);
		CKPT_SYS(msync(p, 2 * PAGE, MS_SYNC));
		ckpt_restored_ok();
	}
	ckpt_checkpointed(_metadata, &self->c, pid);

	fd = open(path, O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(PAGE, (size_t)pread(fd, buf, PAGE, 0));
	for (i = 0; i < PAGE; i++)
		ASSERT_EQ('D', buf[i]) TH_LOG("byte %zu: shared write not in file", i);
	/* Change the page the process never wrote, between checkpoint and restart. */
	memset(buf, 'E', PAGE);
	ASSERT_EQ(PAGE, (size_t)pwrite(fd, buf, PAGE, PAGE));

	st = ckpt_restore_fd(_metadata, &self->c, self->c.imgfd);
	ckpt_expect_restored(_metadata, &self->c, st);

	ASSERT_EQ(PAGE, (size_t)pread(fd, buf, PAGE, 0));
	for (i = 0; i < PAGE; i++)
		ASSERT_EQ('F', buf[i]) TH_LOG("byte %zu: write after restart not in file", i);
	close(fd);
}

/* A read-only region keeps its data and still faults on write. */
TEST_F(memory, readonly_region)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 16 * PAGE;
		char *p;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		ckpt_fill(p, len, 17);
		CKPT_SYS(mprotect(p, len, PROT_READ));
		ckpt_self(&self->c);
		CKPT_CHECK(ckpt_verify(p, len, 17) < 0, "contents");
		CKPT_CHECK(access_faults(p + 3 * PAGE, true),
			   "write to read-only memory did not fault");
		CKPT_CHECK(!access_faults(p + 3 * PAGE, false),
			   "read of read-only memory faulted");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* PROT_NONE memory keeps its data (not accessible until mprotect). */
TEST_F(memory, prot_none_region)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		size_t len = 8 * PAGE;
		char *p, *guard;

		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		ckpt_fill(p, len, 23);
		CKPT_SYS(mprotect(p, len, PROT_NONE));
		guard = mmap(NULL, 4 * PAGE, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		CKPT_CHECK(guard != MAP_FAILED, "mmap guard");
		ckpt_self(&self->c);
		CKPT_CHECK(access_faults(p, false), "PROT_NONE read did not fault");
		CKPT_CHECK(access_faults(guard, false), "guard read did not fault");
		CKPT_SYS(mprotect(p, len, PROT_READ | PROT_WRITE));
		CKPT_CHECK(ckpt_verify(p, len, 23) < 0, "contents");
		CKPT_SYS(mprotect(guard, 4 * PAGE, PROT_READ));
		CKPT_CHECK(ckpt_verify_zero(guard, 4 * PAGE) < 0, "guard");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Copy the /proc/self/maps lines of [start, end) into out. */
static void maps_range(const char *maps, unsigned long start,
		       unsigned long end, char *out, size_t size)
{
	const char *line = maps;
	size_t used = 0;

	out[0] = '\0';
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line + 1) : strlen(line);
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < end &&
		    e > start && used + n < size) {
			memcpy(out + used, line, n);
			used += n;
			out[used] = '\0';
		}
		line += n;
	}
}

/*
 * mprotect() splitting one mapping into three: the same three VMAs with
 * the same protections come back, with the data.
 */
TEST_F(memory, mprotect_split_vmas)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char maps[64 * 1024], range[1024], want[1024];
		unsigned long b;
		char *p;

		/* PROT_NONE pages around it keep neighbours from merging. */
		p = mmap(NULL, 6 * PAGE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CKPT_CHECK(p != MAP_FAILED, "mmap");
		CKPT_SYS(mprotect(p + PAGE, 4 * PAGE, PROT_READ | PROT_WRITE));
		ckpt_fill(p + PAGE, 4 * PAGE, 31);
		CKPT_SYS(mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ));
		ckpt_self(&self->c);
		b = (unsigned long)p;
		snprintf(want, sizeof(want),
			 "%08lx-%08lx ---p\n%08lx-%08lx rw-p\n"
			 "%08lx-%08lx r--p\n%08lx-%08lx rw-p\n"
			 "%08lx-%08lx ---p\n",
			 b, b + PAGE, b + PAGE, b + 2 * PAGE, b + 2 * PAGE,
			 b + 4 * PAGE, b + 4 * PAGE, b + 5 * PAGE,
			 b + 5 * PAGE, b + 6 * PAGE);
		CKPT_CHECK(ckpt_read_file("/proc/self/maps", maps,
					  sizeof(maps)) > 0, "maps");
		maps_range(maps, b, b + 6 * PAGE, range, sizeof(range));
		{
			/* keep "start-end perms" of each line */
			char cut[1024], *o = cut, *l = range;
			unsigned long s, e;
			char perms[8];

			*o = '\0';
			while (*l) {
				if (sscanf(l, "%lx-%lx %7s", &s, &e, perms) == 3)
					o += sprintf(o, "%08lx-%08lx %s\n", s, e,
						     perms);
				l += strcspn(l, "\n");
				if (*l)
					l++;
			}
			CKPT_CHECK(!strcmp(cut, want), "maps:\n%s\nwanted:\n%s",
				   range, want);
		}
		CKPT_CHECK(ckpt_verify(p + PAGE, 4 * PAGE, 31) < 0, "contents");
		CKPT_CHECK(access_faults(p + 2 * PAGE, true), "r--p writable");
		CKPT_CHECK(!access_faults(p + 4 * PAGE, true), "rw-p not writable");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/*
 * /proc/self/maps text with the inode number of shared anonymous memory
 * (a new shmem inode after restart) replaced by 0.
 */
static void maps_normalize(const char *in, char *out, size_t size)
{
	size_t used = 0;

	while (*in && used + 1 < size) {
		const char *nl = strchr(in, '\n');
		size_t n = nl ? (size_t)(nl - in + 1) : strlen(in);
		const char *ino = in, *ino_end, *path;
		int f;

		for (f = 0; f < 4 && ino; f++) {
			ino = memchr(ino, ' ', in + n - ino);
			if (ino)
				ino++;
		}
		ino_end = ino ? memchr(ino, ' ', in + n - ino) : NULL;
		path = ino_end;
		while (path && path < in + n && *path == ' ')
			path++;
		if (ino_end && (!strncmp(path, "/dev/zero (deleted)", 19) ||
				!strncmp(path, "/SYSV", 5))) {
			/* the padding after the inode depends on its width */
			used += snprintf(out + used, size - used, "%.*s0 %.*s",
					 (int)(ino - in), in,
					 (int)(in + n - path), path);
		} else {
			used += snprintf(out + used, size - used, "%.*s",
					 (int)n, in);
		}
		if (used >= size)
			used = size - 1;
		in += n;
	}
	out[used] = '\0';
}

static unsigned long maps_vdso(const char *maps)
{
	const char *l = strstr(maps, "[vdso]");
	unsigned long s;

	if (!l)
		return 0;
	while (l > maps && l[-1] != '\n')
		l--;
	return sscanf(l, "%lx-", &s) == 1 ? s : 0;
}

/*
 * /proc/self/maps is identical before and after, line for line: heap,
 * stack, vdso, vvar, the binary, file mappings, shared memory, guards.
 */
TEST_F(memory, maps_identical)
{
	const char *path = ckpt_tmp_path(&self->c, "mapped");
	static char fdata[3 * PAGE];
	pid_t pid;

	memset(fdata, 'M', sizeof(fdata));
	ASSERT_EQ(0, ckpt_write_file(path, fdata, sizeof(fdata), 0600));
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0) {
		static char before[128 * 1024], after[128 * 1024];
		static char nb[128 * 1024], na[128 * 1024];
		struct timespec t0, t1;
		char *a, *b, *m;
		int fd;

		fd = CKPT_SYS(open(path, O_RDWR));
		CKPT_CHECK(mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE) != MAP_FAILED,
			   "file ro");
		m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CKPT_CHECK(m != MAP_FAILED, "file shared");
		m[0] = 'm';
		close(fd);
		CKPT_CHECK(mmap(NULL, 5 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0) != MAP_FAILED, "none");
		CKPT_CHECK(mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0) != MAP_FAILED, "shm");
		CKPT_CHECK(malloc(300 * 1024), "malloc");	/* an mmap chunk */
		CKPT_CHECK(sbrk(PAGE * 3) != (void *)-1, "sbrk");
		touch_stack();
		memset(before, 0, sizeof(before));
		memset(after, 0, sizeof(after));
		memset(nb, 0, sizeof(nb));
		memset(na, 0, sizeof(na));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CKPT_CHECK(ckpt_read_file("/proc/self/maps", before, sizeof(before)) > 0, "maps");
		ckpt_self(&self->c);
		CKPT_CHECK(ckpt_read_file("/proc/self/maps", after, sizeof(after)) > 0, "maps");
		maps_normalize(before, nb, sizeof(nb));
		maps_normalize(after, na, sizeof(na));
		for (a = na, b = nb; *a && *a == *b; a++, b++)
			;
		if (*a || *b) {
			while (a > na && a[-1] != '\n')
				a--;
			while (b > nb && b[-1] != '\n')
				b--;
			dprintf(2, "maps before:\n%s\nmaps after:\n%s\n", before, after);
			CKPT_CHECK(0, "first difference:\nbefore: %.*s\nafter:  %.*s",
				   (int)strcspn(b, "\n"), b, (int)strcspn(a, "\n"), a);
		}
		CKPT_CHECK(strstr(after, "[heap]") && strstr(after, "[stack]") &&
			   strstr(after, "[vdso]") && strstr(after, "[vvar]"),
			   "special mappings missing:\n%s", after);
		CKPT_CHECK(maps_vdso(after) == getauxval(AT_SYSINFO_EHDR) &&
			   maps_vdso(after) == maps_vdso(before),
			   "vdso at %#lx, was %#lx (auxv %#lx)", maps_vdso(after),
			   maps_vdso(before), getauxval(AT_SYSINFO_EHDR));
		/* The vDSO works where it is. */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		CKPT_CHECK(t1.tv_sec > t0.tv_sec ||
			   (t1.tv_sec == t0.tv_sec && t1.tv_nsec >= t0.tv_nsec),
			   "CLOCK_MONOTONIC went back");
		CKPT_CHECK(m[0] == 'm', "shared file page");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* Fields 26-28 and 45-51 of /proc/PID/stat: the mm's code, data, brk, stack, args, env. */
static int stat_mm_fields(unsigned long long v[10])
{
	static const int want[10] = { 26, 27, 28, 45, 46, 47, 48, 49, 50, 51 };
	char buf[2048], *p, *save = NULL;
	int field = 3, i = 0;

	if (ckpt_read_file("/proc/self/stat", buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	for (p = strtok_r(p + 2, " ", &save); p && i < 10;
	     p = strtok_r(NULL, " ", &save), field++)
		if (field == want[i])
			v[i++] = strtoull(p, NULL, 10);
	return i == 10 ? 0 : -1;
}

/*
 * The mm's bookkeeping comes back: code/data/brk/stack/arg/env bounds
 * (/proc/self/stat), the saved auxv, the command line and environment
 * read through them, and the exe link.
 */
TEST_F(memory, mm_fields_identical)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		static char auxv0[4096], auxv1[4096], cmd0[4096], cmd1[4096];
		static char env0[16384], env1[16384];
		static char exe0[PATH_MAX], exe1[PATH_MAX];
		unsigned long long f0[10], f1[10];
		ssize_t na0, na1, nc0, nc1, ne0, ne1;
		int i;

		CKPT_CHECK(!stat_mm_fields(f0), "stat");
		na0 = ckpt_read_file("/proc/self/auxv", auxv0, sizeof(auxv0));
		nc0 = ckpt_read_file("/proc/self/cmdline", cmd0, sizeof(cmd0));
		ne0 = ckpt_read_file("/proc/self/environ", env0, sizeof(env0));
		CKPT_CHECK(readlink("/proc/self/exe", exe0, sizeof(exe0) - 1) > 0, "exe");
		CKPT_CHECK(na0 > 0 && nc0 > 0 && ne0 >= 0, "proc files");
		ckpt_self(&self->c);
		CKPT_CHECK(!stat_mm_fields(f1), "stat");
		for (i = 0; i < 10; i++)
			CKPT_CHECK(f0[i] == f1[i], "stat field %d: %#llx, was %#llx",
				   i < 3 ? 26 + i : 42 + i, f1[i], f0[i]);
		na1 = ckpt_read_file("/proc/self/auxv", auxv1, sizeof(auxv1));
		nc1 = ckpt_read_file("/proc/self/cmdline", cmd1, sizeof(cmd1));
		ne1 = ckpt_read_file("/proc/self/environ", env1, sizeof(env1));
		CKPT_CHECK(na1 == na0 && !memcmp(auxv0, auxv1, na0), "auxv differs");
		CKPT_CHECK(nc1 == nc0 && !memcmp(cmd0, cmd1, nc0), "cmdline differs");
		CKPT_CHECK(ne1 == ne0 && !memcmp(env0, env1, ne0), "environ differs");
		CKPT_CHECK(readlink("/proc/self/exe", exe1, sizeof(exe1) - 1) > 0, "exe");
		CKPT_CHECK(!strcmp(exe0, exe1), "exe %s, was %s", exe1, exe0);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* The program break is where it was and still moves both ways. */
TEST_F(memory, brk_value)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		char *start, *brk1;

		start = sbrk(64 * PAGE);
		CKPT_CHECK(start != (void *)-1, "sbrk");
		ckpt_fill(start, 64 * PAGE, 64);
		brk1 = kernel_brk();
		CKPT_CHECK(brk1 == start + 64 * PAGE, "brk %p", brk1);
		ckpt_self(&self->c);
		CKPT_CHECK(kernel_brk() == brk1, "brk %p, was %p", kernel_brk(),
			   brk1);
		CKPT_CHECK(ckpt_verify(start, 64 * PAGE, 64) < 0, "brk data");
		/* grow */
		CKPT_CHECK(set_brk(brk1 + 256 * PAGE) == brk1 + 256 * PAGE,
			   "grow: brk %p", kernel_brk());
		memset(brk1, 0x5c, 256 * PAGE);
		/* shrink below the old break: those pages go away */
		CKPT_CHECK(set_brk(start + 20 * PAGE) == start + 20 * PAGE,
			   "shrink: brk %p", kernel_brk());
		CKPT_CHECK(access_faults(start + 30 * PAGE, true),
			   "memory above the break still mapped");
		CKPT_CHECK(ckpt_verify(start, 20 * PAGE, 64) < 0, "brk data");
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
