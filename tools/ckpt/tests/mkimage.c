// SPDX-License-Identifier: GPL-2.0
/*
 * mkimage - write synthetic checkpoint images for the host tests
 *
 *   mkimage [-V VARIANT] OUT      write an image (valid unless VARIANT
 *                                 names a defect; its checksum is always
 *                                 right, so only the defect is wrong)
 *   mkimage -l                    list the variants
 *   mkimage -r FILE               reseal: recompute the TAIL of FILE in
 *                                 place after FILE was edited
 *
 * The image has every record type: one task (two with -V two-tasks) with
 * creds, rlimits, fs, a handler, a pending signal, three fds on two
 * files, registers, xstate, an address space with file, anon, stack,
 * vdso and vvar mappings, and two batches of pages.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "../ckpt.h"

static const char *variant = "ok";

static const char *variants[][2] = {
	{ "ok",			"valid image" },
	{ "two-tasks",		"valid image of two tasks" },
	{ "many-pages",		"valid image with 1300 pages (full batches)" },
	{ "relinked",		"valid image with an unlinked, relinked file" },
	{ "relink-kind",	"relinked path on a CHR file" },
	{ "bad-version",	"header version 2" },
	{ "bad-arch",		"header arch 7" },
	{ "bad-pagesize",	"header page size 5000" },
	{ "bad-uts",		"release not NUL terminated" },
	{ "header-len",		"HEADER length 400" },
	{ "tree-len",		"TREE length does not match nr_tasks" },
	{ "tree-empty",		"TREE with no task" },
	{ "unknown-type",	"a record of type 999" },
	{ "huge-len",		"a record length above CKPT_RECORD_MAX" },
	{ "tiny-len",		"a record length of 4" },
	{ "bad-padding",	"a non-zero padding byte" },
	{ "reserved",		"a reserved field that is not zero" },
	{ "missing-creds",	"no CREDS record" },
	{ "extra-task",		"a second TASK the TREE does not have" },
	{ "rlimit",		"soft rlimit above the hard one" },
	{ "fs-path",		"cwd path without its NUL" },
	{ "fd-objref-kind",	"FD naming the file table objref" },
	{ "fd-objref-later",	"FD naming an objref not yet defined" },
	{ "fd-objref-zero",	"FD with objref 0" },
	{ "dup-objref",		"FILE reusing the file table's objref" },
	{ "file-unused",	"FILE not used by the FD after it" },
	{ "file-kind",		"FILE of unknown kind" },
	{ "file-mode",		"REG FILE whose mode is a directory" },
	{ "fd-order",		"fds not increasing" },
	{ "fewer-fds",		"FILE_TABLE announces more fds than follow" },
	{ "cpu-restart",	"unknown restart kind" },
	{ "xstate-size",	"XSTATE size differs from the header" },
	{ "xstate-feat",	"XSTATE feature not in the header" },
	{ "mm-objref",		"MM exe_objref naming the mm" },
	{ "vma-order",		"overlapping VMAs" },
	{ "vma-align",		"VMA end not page aligned" },
	{ "vma-kind",		"VMA of unknown kind" },
	{ "vma-flags",		"unknown VMA flag" },
	{ "vma-file",		"file VMA without file" },
	{ "pages-unsorted",	"page addresses not increasing" },
	{ "pages-unaligned",	"page address not page aligned" },
	{ "pages-outside",	"page address in no VMA" },
	{ "pages-batch",	"513 pages in one batch" },
	{ "pages-len",		"PAGES length one page short" },
	{ "no-pages-end",	"no PAGES(0) before the TAIL" },
	{ "sig-kill",		"SIGKILL with a handler" },
	{ "sigpending",		"pending signal 0" },
	{ "tail-magic",		"bad TAIL magic" },
	{ "tail-nbytes",	"TAIL nbytes off by 8" },
	{ "tail-sum",		"TAIL checksum off by one" },
	{ "after-tail",		"8 bytes after the TAIL" },
	{ "no-tail",		"no TAIL record" },
};

static bool V(const char *name)
{
	return !strcmp(variant, name);
}

static unsigned char *img;
static size_t img_len, img_cap;

static void put(const void *p, size_t n)
{
	if (img_len + n > img_cap) {
		img_cap = (img_len + n) * 2;
		img = realloc(img, img_cap);
		if (!img) {
			perror("mkimage");
			exit(2);
		}
	}
	memcpy(img + img_len, p, n);
	img_len += n;
}

/* append a record: @fixed bytes of struct, then @extra, then padding */
static size_t emit(uint32_t type, void *rec, size_t fixed, const void *extra,
		   size_t extra_len)
{
	struct ckpt_hdr *h = rec;
	static const unsigned char zero[8];
	size_t off = img_len;

	h->type = type;
	h->len = fixed + extra_len;
	put(rec, fixed);
	if (extra_len)
		put(extra, extra_len);
	put(zero, ckpt_padded(h->len) - h->len);
	return off;
}

static void tail(void)
{
	struct ckpt_hdr_tail t = { .magic = CKPT_MAGIC_TAIL };
	struct ckpt_sum s;

	ckpt_sum_init(&s);
	ckpt_sum_update(&s, img, img_len);
	t.nbytes = img_len;
	t.sum1 = s.sum1;
	t.sum2 = s.sum2;
	if (V("tail-magic"))
		t.magic ^= 1;
	if (V("tail-nbytes"))
		t.nbytes += 8;
	if (V("tail-sum"))
		t.sum2 += 1;
	emit(CKPT_HDR_TAIL, &t, sizeof(t), NULL, 0);
}

#define PS 4096ULL
#define BIG_VMA 0x20000000ULL

static void file(uint32_t objref, uint32_t kind, uint32_t mode,
		 uint32_t flags, const char *path)
{
	struct ckpt_hdr_file f = {
		.objref = objref, .kind = kind, .f_flags = flags,
		.mode = mode, .pos = 0, .size = 1234,
		.path_len = strlen(path) + 1,
	};
	if (kind == CKPT_FILE_CHR)
		f.rdev = (1 << 8) | 3;	/* 1:3 /dev/null */
	if (V("file-kind") && objref == 3)
		f.kind = 9;
	static const char relinked[] = "/tmp/lost+found/checkpoint/1-0/";
	char paths[2 * 256];

	if (V("file-mode") && objref == 3)
		f.mode = 040755;
	snprintf(paths, sizeof(paths), "%s", path);
	if ((V("relinked") && kind == CKPT_FILE_REG && objref == 3) ||
	    (V("relink-kind") && kind == CKPT_FILE_CHR)) {
		f.relink_len = snprintf(paths + f.path_len, 256, "%s%u",
					relinked, objref) + 1;
	}
	emit(CKPT_HDR_FILE, &f, sizeof(f), paths, f.path_len + f.relink_len);
}

static void fd(uint32_t n, uint32_t objref, uint32_t flags)
{
	struct ckpt_hdr_fd d = { .fd = n, .flags = flags,
				 .file_objref = objref };
	emit(CKPT_HDR_FD, &d, sizeof(d), NULL, 0);
}

static void vma(uint64_t start, uint64_t end, uint32_t flags, uint32_t kind,
		uint32_t objref)
{
	struct ckpt_hdr_vma v = { .start = start, .end = end, .flags = flags,
				  .kind = kind, .file_objref = objref };
	emit(CKPT_HDR_VMA, &v, sizeof(v), NULL, 0);
}

static void pages(const uint64_t *addr, uint32_t n, unsigned char fill)
{
	struct ckpt_hdr_pages p = { .nr_pages = n };
	size_t bytes = n * 8 + n * PS;
	unsigned char *extra = malloc(bytes ? bytes : 1);

	if (n)
		memcpy(extra, addr, n * 8);
	for (uint32_t i = 0; i < n; i++)
		memset(extra + n * 8 + i * PS, fill + i, PS);
	if (V("pages-len") && n == 3)
		bytes -= PS;
	emit(CKPT_HDR_PAGES, &p, sizeof(p), extra, bytes);
	free(extra);
}

/* one task's records; @base makes the objrefs of task @t unique */
static void task(int t)
{
	uint32_t base = 10 * t;
	bool big = V("many-pages") || V("pages-batch");
	struct ckpt_hdr_task tk = { .exit_signal = 17, .clear_child_tid = 0 };
	struct {
		struct ckpt_hdr_creds c;
		uint32_t groups[2];
	} cr = { .c = { .ngroups = 2 }, .groups = { 10, 20 } };
	struct ckpt_hdr_rlimits rl;
	struct ckpt_hdr_fs fs = { .umask = 022 };
	const char paths[] = "/\0/tmp/work";
	static struct ckpt_hdr_sighand sh;
	struct ckpt_hdr_signal sg = { .blocked = 1ULL << 9, .nr_pending = 1,
				      .altstack_flags = 2 };
	struct ckpt_hdr_sigpending sp = { .shared = 1 };
	struct ckpt_hdr_file_table ft = { .objref = base + 1, .nr_fds = 3 };
	struct ckpt_hdr_cpu cpu = { .ip = 0x401000, .sp = 0x7ffffffde100,
				    .ax = (uint64_t)-4, .orig_ax = 35,
				    .cs = 0x33, .ss = 0x2b, .flags = 0x246,
				    .restart = CKPT_RESTART_NANOSLEEP,
				    .restart_arg = { 1, 500000000, 0, 0 } };
	struct ckpt_hdr_xstate xs = { .xfeatures = 0x3, .size = 832 };
	unsigned char xdata[832];
	struct ckpt_hdr_mm mm = {
		.objref = base + 5, .nr_vmas = 6 + big, .exe_objref = base + 4,
		.nr_auxv = 4, .start_code = 0x400000, .end_code = 0x401800,
		.start_data = 0x600000, .end_data = 0x600800,
		.start_brk = 0x1000000, .brk = 0x1004000,
		.start_stack = 0x7fffffffe000, .arg_start = 0x7fffffffe100,
		.arg_end = 0x7fffffffe110, .env_start = 0x7fffffffe110,
		.env_end = 0x7fffffffe200, .vdso = 0x7ffff7fc5000,
		.auxv = { 6, 4096, 0, 0 },
	};
	uint64_t a1[3] = { 0x1000000, 0x1001000, 0x1003000 };
	uint64_t a2[1] = { 0x7fffffffe000 };
	int32_t signo = 10;

	memcpy(tk.comm, "prog", 5);
	if (V("reserved"))
		tk.exit_code = 1;
	emit(CKPT_HDR_TASK, &tk, sizeof(tk), NULL, 0);

	cr.c.uid = cr.c.euid = cr.c.suid = cr.c.fsuid = 1000;
	cr.c.gid = cr.c.egid = cr.c.sgid = cr.c.fsgid = 1000;
	cr.c.cap_bset = 0x1ffffffffffULL;
	if (!V("missing-creds"))
		emit(CKPT_HDR_CREDS, &cr, sizeof(cr), NULL, 0);

	for (int i = 0; i < CKPT_RLIM_NLIMITS; i++)
		rl.rlim[i].cur = rl.rlim[i].max = ~0ULL;
	rl.rlim[7].cur = 1024;
	rl.rlim[7].max = 4096;
	if (V("rlimit"))
		rl.rlim[7].cur = 8192;
	emit(CKPT_HDR_RLIMITS, &rl, sizeof(rl), NULL, 0);

	fs.root_len = 2;
	fs.cwd_len = sizeof(paths) - 2;
	if (V("fs-path"))
		fs.cwd_len--;
	emit(CKPT_HDR_FS, &fs, sizeof(fs), paths, fs.root_len + fs.cwd_len);

	memset(&sh, 0, sizeof(sh));
	sh.act[9].handler = 0x401200;		/* SIGUSR1 */
	sh.act[9].flags = 0x04000000;		/* SA_RESTORER */
	sh.act[9].restorer = 0x401300;
	sh.act[12].handler = 1;			/* SIGPIPE ignored */
	if (V("sig-kill"))
		sh.act[8].handler = 0x401200;
	emit(CKPT_HDR_SIGHAND, &sh, sizeof(sh), NULL, 0);

	sg.itimer[0].value_ns = 1500000000;
	emit(CKPT_HDR_SIGNAL, &sg, sizeof(sg), NULL, 0);
	if (V("sigpending"))
		signo = 0;
	memcpy(sp.info, &signo, 4);
	emit(CKPT_HDR_SIGPENDING, &sp, sizeof(sp), NULL, 0);

	if (V("fewer-fds"))
		ft.nr_fds = 4;
	emit(CKPT_HDR_FILE_TABLE, &ft, sizeof(ft), NULL, 0);
	file(V("dup-objref") ? base + 1 : base + 2, CKPT_FILE_CHR, 020666,
	     02 | 0100000, "/dev/null");
	if (V("fd-objref-kind"))
		fd(0, base + 1, 0);
	else if (V("fd-objref-later"))
		fd(0, base + 3, 0);
	else if (V("fd-objref-zero"))
		fd(0, 0, 0);
	else
		fd(0, base + 2, 0);
	fd(V("fd-order") ? 0 : 1, base + 2, 0);
	file(base + 3, CKPT_FILE_REG, 0100644, 02002, "/tmp/data.txt");
	fd(5, V("file-unused") ? base + 2 : base + 3, 1);

	if (V("cpu-restart"))
		cpu.restart = 7;
	emit(CKPT_HDR_CPU, &cpu, sizeof(cpu), NULL, 0);
	for (size_t i = 0; i < sizeof(xdata); i++)
		xdata[i] = (unsigned char)(i * 7);
	if (V("xstate-size"))
		xs.size = 824;
	if (V("xstate-feat"))
		xs.xfeatures = 0x10;
	emit(CKPT_HDR_XSTATE, &xs, sizeof(xs), xdata, xs.size);

	file(base + 4, CKPT_FILE_REG, 0100755, 0100000, "/usr/bin/prog");
	if (V("mm-objref"))
		mm.exe_objref = base + 5;
	emit(CKPT_HDR_MM, &mm, sizeof(mm), NULL, 0);
	vma(0x400000, V("vma-align") ? 0x402010 : 0x402000,
	    CKPT_VMA_READ | CKPT_VMA_EXEC, CKPT_VMA_FILE, base + 4);
	file(base + 6, CKPT_FILE_REG, 0100755, 0100000,
	     "/lib/x86_64-linux-gnu/libc.so.6");
	vma(0x600000, 0x601000, CKPT_VMA_READ | CKPT_VMA_WRITE |
	    CKPT_VMA_MAYWRITE, CKPT_VMA_FILE, base + 6);
	if (V("vma-file"))
		vma(0x1000000, 0x1004000, CKPT_VMA_READ, CKPT_VMA_FILE, 0);
	else
		vma(V("vma-order") ? 0x600000 : 0x1000000, 0x1004000,
		    CKPT_VMA_READ | CKPT_VMA_WRITE |
		    (V("vma-flags") ? 0x8000 : 0),
		    V("vma-kind") ? 9 : CKPT_VMA_ANON, 0);
	if (big)
		vma(BIG_VMA, BIG_VMA + 1536 * PS, CKPT_VMA_READ |
		    CKPT_VMA_WRITE, CKPT_VMA_ANON, 0);
	vma(0x7ffff7fc1000, 0x7ffff7fc5000, CKPT_VMA_READ, CKPT_VMA_VVAR, 0);
	vma(0x7ffff7fc5000, 0x7ffff7fc7000, CKPT_VMA_READ | CKPT_VMA_EXEC,
	    CKPT_VMA_VDSO, 0);
	vma(0x7ffffffde000, 0x7ffffffff000, CKPT_VMA_READ | CKPT_VMA_WRITE |
	    CKPT_VMA_GROWSDOWN, CKPT_VMA_ANON, 0);

	if (V("pages-unsorted"))
		a1[2] = 0x1000000;
	if (V("pages-unaligned"))
		a1[1] += 8;
	if (V("pages-outside"))
		a1[2] = 0x2000000;
	pages(a1, 3, 0x10);
	if (V("many-pages") || V("pages-batch")) {
		static uint64_t big[CKPT_PAGES_BATCH + 1];
		uint32_t total = V("many-pages") ? 1300 : 513, done = 0;

		while (done < total) {
			uint32_t n = total - done;

			if (V("many-pages") && n > CKPT_PAGES_BATCH)
				n = CKPT_PAGES_BATCH;
			for (uint32_t i = 0; i < n; i++)
				big[i] = BIG_VMA + (uint64_t)(done + i) * PS;
			pages(big, n, (unsigned char)done);
			done += n;
		}
	}
	pages(a2, 1, 0x80);
	if (!V("no-pages-end"))
		pages(NULL, 0, 0);
}

static void build(void)
{
	struct ckpt_hdr_header h = {
		.magic = CKPT_MAGIC_HEAD, .version = CKPT_VERSION,
		.arch = CKPT_ARCH_X86_64, .page_size = PS, .flags = 0,
		.xfeatures = 0x7, .xstate_size = 832, .time = 1700000000,
		.ckpt_id = 42,
	};
	int ntasks = V("two-tasks") ? 2 : 1;
	struct {
		struct ckpt_hdr_tree t;
		struct ckpt_pids p[2];
	} tr = { .t = { .nr_tasks = ntasks },
		 .p = { { 4242, 4242, 1, 4242, 4242, 0, 17, 0 },
			{ 4243, 4243, 4242, 4242, 4242, 0, 17, 0 } } };

	strcpy(h.sysname, "Linux");
	strcpy(h.release, "6.12.0-ckpt");
	strcpy(h.version_str, "#1 SMP PREEMPT_DYNAMIC");
	strcpy(h.machine, "x86_64");
	strcpy(h.nodename, "testhost");
	if (V("bad-version"))
		h.version = CKPT_VERSION + 1;
	if (V("bad-arch"))
		h.arch = 7;
	if (V("bad-pagesize"))
		h.page_size = 5000;
	if (V("bad-uts"))
		memset(h.release, 'x', CKPT_UTS_LEN);
	if (V("header-len")) {
		unsigned char pad[8] = { 0 };

		emit(CKPT_HDR_HEADER, &h, sizeof(h), pad, 8);
	} else {
		emit(CKPT_HDR_HEADER, &h, sizeof(h), NULL, 0);
	}
	if (V("tree-empty"))
		tr.t.nr_tasks = 0;
	emit(CKPT_HDR_TREE, &tr, sizeof(tr.t) + ntasks * sizeof(tr.p[0]) +
	     (V("tree-len") ? 8 : 0), NULL, 0);

	if (V("unknown-type")) {
		struct ckpt_hdr x;

		emit(999, &x, sizeof(x), NULL, 0);
	}
	if (V("huge-len")) {
		struct ckpt_hdr x = { .type = CKPT_HDR_TASK,
				      .len = CKPT_RECORD_MAX + 8 };

		put(&x, sizeof(x));
	}
	if (V("tiny-len")) {
		struct ckpt_hdr x = { .type = CKPT_HDR_TASK, .len = 4 };

		put(&x, sizeof(x));
	}
	for (int t = 0; t < ntasks; t++)
		task(t);
	if (V("extra-task"))
		task(1);
	if (V("bad-padding")) {
		/* the FS record has padding: find it and dirty it */
		size_t off = 0;

		while (off < img_len) {
			struct ckpt_hdr *r = (void *)(img + off);

			if (r->type == CKPT_HDR_FS) {
				img[off + r->len] = 0xff;
				break;
			}
			off += ckpt_padded(r->len);
		}
	}
	if (!V("no-tail"))
		tail();
	if (V("after-tail")) {
		uint64_t x = 0;

		put(&x, 8);
	}
}

static int reseal(const char *path)
{
	int fd = open(path, O_RDWR);
	struct ckpt_hdr_tail t;
	struct ckpt_sum s;
	struct stat st;
	unsigned char *data;

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		return 2;
	}
	if (st.st_size < (off_t)sizeof(t)) {
		fprintf(stderr, "mkimage: %s: too short to reseal\n", path);
		return 2;
	}
	data = malloc(st.st_size);
	if (!data || ckpt_read_full(fd, data, st.st_size) != st.st_size) {
		perror(path);
		return 2;
	}
	memcpy(&t, data + st.st_size - sizeof(t), sizeof(t));
	ckpt_sum_init(&s);
	ckpt_sum_update(&s, data, st.st_size - sizeof(t));
	t.nbytes = st.st_size - sizeof(t);
	t.sum1 = s.sum1;
	t.sum2 = s.sum2;
	if (pwrite(fd, &t, sizeof(t), st.st_size - sizeof(t)) !=
	    (ssize_t)sizeof(t)) {
		perror(path);
		return 2;
	}
	free(data);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			printf("%s\t%s\n", variants[i][0], variants[i][1]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-r"))
		return reseal(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "-V")) {
		variant = argv[2];
		for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			if (!strcmp(variant, variants[i][0]))
				break;
		if (i == sizeof(variants) / sizeof(variants[0])) {
			fprintf(stderr, "mkimage: unknown variant %s\n",
				variant);
			return 2;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mkimage [-V VARIANT] OUT | -l | "
			"-r FILE\n");
		return 2;
	}
	build();
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ckpt_write_full(fd, img, img_len) < 0 || close(fd)) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
