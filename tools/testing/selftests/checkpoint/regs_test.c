// SPDX-License-Identifier: GPL-2.0
/*
 * CPU state: general registers, fs/gs bases and TLS, SSE/AVX registers,
 * x87 stack and control word, MXCSR and the direction flag.
 *
 * Each test loads known values right before the checkpoint system call
 * and stores them right after it, in one asm statement, so that the
 * restored process reads the registers as the kernel restored them.
 * The restarting process loads garbage into the same registers before
 * restart(2) (ckpt_restart_poisoned()), so a register the kernel does
 * not restore reads back as garbage.  The checkpoint side checks the
 * same values, which proves the test itself right.
 */
#include <asm/prctl.h>
#include "ckpt_test.h"

CKPT_FIXTURE(regs);

static struct {
	uint64_t rbx, r8, r9, r12, r13, r14, r15;
	uint64_t rdi, rsi, rdx, r10, flags;
} g;

#define X86_EFLAGS_DF	0x400UL

static void check_gprs(struct ckpt_ctx *c)
{
	CKPT_CHECK(g.rbx == 0x0b0b0b0b0b0b0b01ULL, "rbx %#lx", (unsigned long)g.rbx);
	CKPT_CHECK(g.r8 == 0x0808080808080802ULL, "r8 %#lx", (unsigned long)g.r8);
	CKPT_CHECK(g.r9 == 0x0909090909090903ULL, "r9 %#lx", (unsigned long)g.r9);
	CKPT_CHECK(g.r12 == 0x0c0c0c0c0c0c0c04ULL, "r12 %#lx", (unsigned long)g.r12);
	CKPT_CHECK(g.r13 == 0x0d0d0d0d0d0d0d05ULL, "r13 %#lx", (unsigned long)g.r13);
	CKPT_CHECK(g.r14 == 0x0e0e0e0e0e0e0e06ULL, "r14 %#lx", (unsigned long)g.r14);
	CKPT_CHECK(g.r15 == 0x0f0f0f0f0f0f0f07ULL, "r15 %#lx", (unsigned long)g.r15);
	/* system call arguments are preserved registers too */
	CKPT_CHECK(g.rdi == 0, "rdi %#lx", (unsigned long)g.rdi);
	CKPT_CHECK(g.rsi == (uint64_t)c->imgfd, "rsi %#lx", (unsigned long)g.rsi);
	CKPT_CHECK(g.rdx == 0, "rdx %#lx", (unsigned long)g.rdx);
	CKPT_CHECK(g.r10 == (uint64_t)c->logfd, "r10 %#lx", (unsigned long)g.r10);
	CKPT_CHECK(g.flags & X86_EFLAGS_DF, "DF clear, rflags %#lx",
		   (unsigned long)g.flags);
}

/*
 * rbx, r8, r9, r12-r15, the argument registers and rflags.DF, as they
 * were at the checkpoint system call.
 */
TEST_F(regs, general_registers)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		register long rax asm("rax") = __NR_checkpoint;
		register long rdi asm("rdi") = 0;
		register long rsi asm("rsi") = self->c.imgfd;
		register long rdx asm("rdx") = 0;
		register long r10 asm("r10") = self->c.logfd;

		asm volatile("movabs $0x0b0b0b0b0b0b0b01, %%rbx\n\t"
			     "movabs $0x0808080808080802, %%r8\n\t"
			     "movabs $0x0909090909090903, %%r9\n\t"
			     "movabs $0x0c0c0c0c0c0c0c04, %%r12\n\t"
			     "movabs $0x0d0d0d0d0d0d0d05, %%r13\n\t"
			     "movabs $0x0e0e0e0e0e0e0e06, %%r14\n\t"
			     "movabs $0x0f0f0f0f0f0f0f07, %%r15\n\t"
			     "std\n\t"
			     "syscall\n\t"
			     /* below the red zone, read rflags */
			     "lea -128(%%rsp), %%rsp\n\t"
			     "pushfq\n\t"
			     "popq %%rcx\n\t"
			     "lea 128(%%rsp), %%rsp\n\t"
			     "cld\n\t"
			     "mov %%rcx, %[fl]\n\t"
			     "mov %%rbx, %[rbx]\n\t"
			     "mov %%r8, %[r8]\n\t"
			     "mov %%r9, %[r9]\n\t"
			     "mov %%r12, %[r12]\n\t"
			     "mov %%r13, %[r13]\n\t"
			     "mov %%r14, %[r14]\n\t"
			     "mov %%r15, %[r15]\n\t"
			     "mov %%rdi, %[rdi]\n\t"
			     "mov %%rsi, %[rsi]\n\t"
			     "mov %%rdx, %[rdx]\n\t"
			     "mov %%r10, %[r10]\n\t"
			     : "+a"(rax), [fl] "=m"(g.flags), [rbx] "=m"(g.rbx),
			       [r8] "=m"(g.r8), [r9] "=m"(g.r9),
			       [r12] "=m"(g.r12), [r13] "=m"(g.r13),
			       [r14] "=m"(g.r14), [r15] "=m"(g.r15),
			       [rdi] "=m"(g.rdi), [rsi] "=m"(g.rsi),
			       [rdx] "=m"(g.rdx), [r10] "=m"(g.r10)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10)
			     : "rbx", "rcx", "r8", "r9", "r11", "r12", "r13",
			       "r14", "r15", "memory", "cc");
		check_gprs(&self->c);
		if (rax > 0)
			_exit(0);
		CKPT_CHECK(rax == 0, "checkpoint: %ld", rax);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static __thread volatile uint64_t tls_var;

static unsigned long get_base(int code)
{
	unsigned long v = 0;

	CKPT_SYS(syscall(SYS_arch_prctl, code, &v));
	return v;
}

/* fs base (glibc's TLS) is restored: a __thread variable reads back. */
TEST_F(regs, fs_base_and_tls)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		unsigned long fs0, fs1, self0;
		volatile uint64_t *addr0;

		tls_var = 0x7715712345678901ULL;
		addr0 = &tls_var;
		fs0 = get_base(ARCH_GET_FS);
		ckpt_self(&self->c);
		fs1 = get_base(ARCH_GET_FS);
		CKPT_CHECK(fs1 == fs0, "fs base %#lx, was %#lx", fs1, fs0);
		asm volatile("mov %%fs:0, %0" : "=r"(self0));
		CKPT_CHECK(self0 == fs0, "%%fs:0 = %#lx, fs base %#lx", self0,
			   fs0);
		CKPT_CHECK(&tls_var == addr0, "TLS moved");
		CKPT_CHECK(tls_var == 0x7715712345678901ULL, "tls_var %#lx",
			   (unsigned long)tls_var);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

static uint64_t gs_area[4] = {
	0x6500000000000001ULL, 0x6500000000000002ULL,
	0x6500000000000003ULL, 0x6500000000000004ULL,
};

/* A gs base set with arch_prctl(ARCH_SET_GS) is restored. */
TEST_F(regs, gs_base)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		unsigned long gs1;
		uint64_t v;

		CKPT_SYS(syscall(SYS_arch_prctl, ARCH_SET_GS,
				 (unsigned long)gs_area));
		ckpt_self(&self->c);
		gs1 = get_base(ARCH_GET_GS);
		CKPT_CHECK(gs1 == (unsigned long)gs_area, "gs base %#lx, want %p",
			   gs1, gs_area);
		asm volatile("mov %%gs:8, %0" : "=r"(v));
		CKPT_CHECK(v == gs_area[1], "%%gs:8 = %#lx", (unsigned long)v);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

/* xmm (ymm) register i from vin[i], and back into vout[i] */
#define XMM_LOAD							\
	"movdqu 0*32(%[in]), %%xmm0\n\tmovdqu 1*32(%[in]), %%xmm1\n\t"	\
	"movdqu 2*32(%[in]), %%xmm2\n\tmovdqu 3*32(%[in]), %%xmm3\n\t"	\
	"movdqu 4*32(%[in]), %%xmm4\n\tmovdqu 5*32(%[in]), %%xmm5\n\t"	\
	"movdqu 6*32(%[in]), %%xmm6\n\tmovdqu 7*32(%[in]), %%xmm7\n\t"	\
	"movdqu 8*32(%[in]), %%xmm8\n\tmovdqu 9*32(%[in]), %%xmm9\n\t"	\
	"movdqu 10*32(%[in]), %%xmm10\n\tmovdqu 11*32(%[in]), %%xmm11\n\t"	\
	"movdqu 12*32(%[in]), %%xmm12\n\tmovdqu 13*32(%[in]), %%xmm13\n\t"	\
	"movdqu 14*32(%[in]), %%xmm14\n\tmovdqu 15*32(%[in]), %%xmm15\n\t"
#define XMM_STORE							\
	"movdqu %%xmm0, 0*32(%[out])\n\tmovdqu %%xmm1, 1*32(%[out])\n\t"	\
	"movdqu %%xmm2, 2*32(%[out])\n\tmovdqu %%xmm3, 3*32(%[out])\n\t"	\
	"movdqu %%xmm4, 4*32(%[out])\n\tmovdqu %%xmm5, 5*32(%[out])\n\t"	\
	"movdqu %%xmm6, 6*32(%[out])\n\tmovdqu %%xmm7, 7*32(%[out])\n\t"	\
	"movdqu %%xmm8, 8*32(%[out])\n\tmovdqu %%xmm9, 9*32(%[out])\n\t"	\
	"movdqu %%xmm10, 10*32(%[out])\n\tmovdqu %%xmm11, 11*32(%[out])\n\t"	\
	"movdqu %%xmm12, 12*32(%[out])\n\tmovdqu %%xmm13, 13*32(%[out])\n\t"	\
	"movdqu %%xmm14, 14*32(%[out])\n\tmovdqu %%xmm15, 15*32(%[out])\n\t"
#define YMM_LOAD							\
	"vmovdqu 0*32(%[in]), %%ymm0\n\tvmovdqu 1*32(%[in]), %%ymm1\n\t"	\
	"vmovdqu 2*32(%[in]), %%ymm2\n\tvmovdqu 3*32(%[in]), %%ymm3\n\t"	\
	"vmovdqu 4*32(%[in]), %%ymm4\n\tvmovdqu 5*32(%[in]), %%ymm5\n\t"	\
	"vmovdqu 6*32(%[in]), %%ymm6\n\tvmovdqu 7*32(%[in]), %%ymm7\n\t"	\
	"vmovdqu 8*32(%[in]), %%ymm8\n\tvmovdqu 9*32(%[in]), %%ymm9\n\t"	\
	"vmovdqu 10*32(%[in]), %%ymm10\n\tvmovdqu 11*32(%[in]), %%ymm11\n\t"	\
	"vmovdqu 12*32(%[in]), %%ymm12\n\tvmovdqu 13*32(%[in]), %%ymm13\n\t"	\
	"vmovdqu 14*32(%[in]), %%ymm14\n\tvmovdqu 15*32(%[in]), %%ymm15\n\t"
#define YMM_STORE							\
	"vmovdqu %%ymm0, 0*32(%[out])\n\tvmovdqu %%ymm1, 1*32(%[out])\n\t"	\
	"vmovdqu %%ymm2, 2*32(%[out])\n\tvmovdqu %%ymm3, 3*32(%[out])\n\t"	\
	"vmovdqu %%ymm4, 4*32(%[out])\n\tvmovdqu %%ymm5, 5*32(%[out])\n\t"	\
	"vmovdqu %%ymm6, 6*32(%[out])\n\tvmovdqu %%ymm7, 7*32(%[out])\n\t"	\
	"vmovdqu %%ymm8, 8*32(%[out])\n\tvmovdqu %%ymm9, 9*32(%[out])\n\t"	\
	"vmovdqu %%ymm10, 10*32(%[out])\n\tvmovdqu %%ymm11, 11*32(%[out])\n\t"	\
	"vmovdqu %%ymm12, 12*32(%[out])\n\tvmovdqu %%ymm13, 13*32(%[out])\n\t"	\
	"vmovdqu %%ymm14, 14*32(%[out])\n\tvmovdqu %%ymm15, 15*32(%[out])\n\t"

static uint8_t vin[16][32] __attribute__((aligned(32)));
static uint8_t vout[16][32] __attribute__((aligned(32)));

static long checkpoint_vec(struct ckpt_ctx *c, bool ymm)
{
	register long rax asm("rax") = __NR_checkpoint;
	register long rdi asm("rdi") = 0;
	register long rsi asm("rsi") = c->imgfd;
	register long rdx asm("rdx") = 0;
	register long r10 asm("r10") = c->logfd;

	if (ymm)
		asm volatile(YMM_LOAD "syscall\n\t" YMM_STORE
			     "vzeroupper\n\t"
			     : "+a"(rax)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10),
			       [in] "r"(vin), [out] "r"(vout)
			     : "rcx", "r11", "memory", CKPT_XMM_CLOBBERS);
	else
		asm volatile(XMM_LOAD "syscall\n\t" XMM_STORE
			     : "+a"(rax)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10),
			       [in] "r"(vin), [out] "r"(vout)
			     : "rcx", "r11", "memory", CKPT_XMM_CLOBBERS);
	return rax;
}

static void vec_test(struct ckpt_ctx *c, bool ymm)
{
	size_t width = ymm ? 32 : 16;
	long r;
	int i;

	for (i = 0; i < 16; i++)
		ckpt_fill(vin[i], width, 0x5e0 + i + (ymm ? 100 : 0));
	memset(vout, 0, sizeof(vout));
	r = checkpoint_vec(c, ymm);
	CKPT_CHECK(r >= 0, "checkpoint: %ld", r);
	for (i = 0; i < 16; i++) {
		const uint64_t *w = (const uint64_t *)vout[i];

		CKPT_CHECK(!memcmp(vin[i], vout[i], width),
			   "%smm%d = %016lx %016lx %016lx %016lx (%s side)",
			   ymm ? "y" : "x", i, (unsigned long)w[0],
			   (unsigned long)w[1], (unsigned long)w[2],
			   (unsigned long)w[3], r ? "checkpoint" : "restored");
	}
	if (r > 0)
		_exit(0);
	ckpt_restored_ok();
}

/* xmm0-xmm15 are restored. */
TEST_F(regs, sse_registers)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0)
		vec_test(&self->c, false);
	ckpt_finish(_metadata, &self->c, pid);
}

/* ymm0-ymm15, upper halves included, are restored. */
TEST_F(regs, avx_registers)
{
	pid_t pid;

	if (!ckpt_cpu_has_avx())
		SKIP(return, "CPU (or OS) without AVX");
	pid = ckpt_fork(_metadata, &self->c);
	if (pid == 0)
		vec_test(&self->c, true);
	ckpt_finish(_metadata, &self->c, pid);
}

/* An 80-bit normal number: 64-bit mantissa (top bit set), then exponent. */
static uint8_t x87_in[16] = {
	0x35, 0xc2, 0x68, 0x21, 0xa2, 0xda, 0x0f, 0xc9, 0x00, 0x40,
};

static uint8_t x87_out[16];
static uint16_t fcw_in = 0x0e7f, fcw_out;	/* RC=chop, PC=double */
static const uint16_t fcw_default = 0x037f;
static uint32_t mxcsr_in = 0xffa0, mxcsr_out;	/* RC=chop, FTZ, PE flag */
static const uint32_t mxcsr_default = 0x1f80;

/*
 * The x87 register stack (an 80-bit value in st(0)), the x87 control
 * word and MXCSR (rounding, flush-to-zero, a sticky flag) are restored.
 */
TEST_F(regs, x87_and_mxcsr)
{
	pid_t pid = ckpt_fork(_metadata, &self->c);

	if (pid == 0) {
		register long rax asm("rax") = __NR_checkpoint;
		register long rdi asm("rdi") = 0;
		register long rsi asm("rsi") = self->c.imgfd;
		register long rdx asm("rdx") = 0;
		register long r10 asm("r10") = self->c.logfd;
		const char *side;

		asm volatile("fldcw %[cwi]\n\t"
			     "ldmxcsr %[mxi]\n\t"
			     "fldt %[xi]\n\t"
			     "syscall\n\t"
			     "fstpt %[xo]\n\t"
			     "fnstcw %[cwo]\n\t"
			     "stmxcsr %[mxo]\n\t"
			     "fldcw %[cwd]\n\t"
			     "ldmxcsr %[mxd]\n\t"
			     : "+a"(rax), [xo] "=m"(x87_out), [cwo] "=m"(fcw_out),
			       [mxo] "=m"(mxcsr_out)
			     : "D"(rdi), "S"(rsi), "d"(rdx), "r"(r10),
			       [cwi] "m"(fcw_in), [mxi] "m"(mxcsr_in),
			       [xi] "m"(x87_in), [mxd] "m"(mxcsr_default),
			       [cwd] "m"(fcw_default)
			     : "rcx", "r11", "memory");
		side = rax ? "checkpoint" : "restored";
		CKPT_CHECK(rax >= 0, "checkpoint: %ld", rax);
		CKPT_CHECK(!memcmp(x87_in, x87_out, 10),
			   "st(0) %02x%02x..%02x%02x (%s side)", x87_out[9],
			   x87_out[8], x87_out[1], x87_out[0], side);
		CKPT_CHECK(fcw_out == fcw_in, "fcw %#x (%s side)", fcw_out, side);
		CKPT_CHECK(mxcsr_out == mxcsr_in, "mxcsr %#x (%s side)",
			   mxcsr_out, side);
		if (rax > 0)
			_exit(0);
		ckpt_restored_ok();
	}
	ckpt_finish(_metadata, &self->c, pid);
}

TEST_HARNESS_MAIN
