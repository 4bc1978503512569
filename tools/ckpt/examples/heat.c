// SPDX-License-Identifier: GPL-2.0
/*
 * heat - a 2-D heat equation stencil that checkpoints itself (libckpt)
 *
 *   heat [-n N] [-t STEPS] [-k K] [-o IMAGE]
 *
 * Jacobi iterations of the heat equation on an N x N grid (default 512)
 * with a hot edge, STEPS of them (default 2000), then prints the step
 * count and an FNV-1a hash of the grid's bytes.  With -o it calls
 * ckpt_checkpoint_self(IMAGE) every K steps (default 100): killed at any
 * moment, "restart -i IMAGE" carries on from the last checkpoint, and
 * the final hash equals the uninterrupted run's bit for bit.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libckpt.h"

static uint64_t fnv1a(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--) {
		h ^= *b++;
		h *= 0x100000001b3ull;
	}
	return h;
}

int main(int argc, char **argv)
{
	long n = 512, steps = 2000, every = 100, t, restarts = 0;
	const char *image = NULL;
	double *a, *b, *tmp;
	int c;

	while ((c = getopt(argc, argv, "n:t:k:o:")) != -1) {
		switch (c) {
		case 'n':
			n = atol(optarg);
			break;
		case 't':
			steps = atol(optarg);
			break;
		case 'k':
			every = atol(optarg);
			break;
		case 'o':
			image = optarg;
			break;
		default:
			fprintf(stderr, "usage: heat [-n N] [-t STEPS] [-k K] [-o IMAGE]\n");
			return 2;
		}
	}
	if (n < 3 || steps < 0 || every < 1)
		return 2;
	a = calloc(n * n, sizeof(*a));
	b = calloc(n * n, sizeof(*b));
	if (!a || !b)
		return 1;
	for (long j = 0; j < n; j++) {
		a[j] = 100.0;	/* the hot edge */
		b[j] = 100.0;
	}

	for (t = 0; t < steps; t++) {
		if (image && t % every == 0) {
			int r = ckpt_checkpoint_self(image, 0);

			if (r < 0) {
				fprintf(stderr, "heat: checkpoint at step %ld: %s\n",
					t, ckpt_last_error());
				return 1;
			}
			if (r == CKPT_RESTARTED)
				restarts++;
		}
		for (long i = 1; i < n - 1; i++)
			for (long j = 1; j < n - 1; j++)
				b[i * n + j] = 0.25 * (a[(i - 1) * n + j] +
						       a[(i + 1) * n + j] +
						       a[i * n + j - 1] +
						       a[i * n + j + 1]);
		tmp = a;
		a = b;
		b = tmp;
	}
	printf("steps %ld hash %016llx\n", t,
	       (unsigned long long)fnv1a(a, n * n * sizeof(*a)));
	fflush(stdout);
	if (restarts)
		fprintf(stderr, "heat: restarted %ld time(s)\n", restarts);
	return 0;
}
