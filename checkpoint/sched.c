// SPDX-License-Identifier: GPL-2.0
/*
 * A task's scheduling (policy, real-time priority, nice, CPU affinity)
 * and no_new_privs for checkpoint/restart.
 *
 * They are set again with sched_setattr() and sched_setaffinity(), the
 * system calls' own code, as the restored task: restart gives no
 * priority, policy or CPU that the task could not give itself
 * (RLIMIT_NICE, RLIMIT_RTPRIO, CAP_SYS_NICE, cpusets, LSM).
 * no_new_privs is only ever set: a restored task is never less
 * restricted than it was.
 */
#include <linux/cpumask.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/rt.h>
#include <linux/slab.h>
#include <uapi/linux/sched/types.h>

#include "internal.h"

#define CKPT_CPU_WORDS(n)	(round_up(n, 64) / 64)

/**
 * checkpoint_sched - write a task's SCHED record
 * @ctx: checkpoint context
 * @t: the task
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_sched(struct ckpt_ctx *ctx, struct task_struct *t)
{
	u32 words = CKPT_CPU_WORDS(nr_cpu_ids);
	struct ckpt_hdr_sched *h;
	cpumask_var_t mask;
	unsigned int cpu;
	long err;

	if (nr_cpu_ids > CKPT_CPUS_MAX)
		return ckpt_err(ctx, -EOPNOTSUPP, "more than %u CPUs",
				CKPT_CPUS_MAX);
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	h = kzalloc(struct_size(h, cpus, words), GFP_KERNEL);
	err = -ENOMEM;
	if (!h)
		goto out;
	/* as sched_getaffinity(2) reads it, in the caller's pid namespace */
	err = sched_getaffinity(task_pid_vnr(t), mask);
	if (err) {
		err = err == -ESRCH ? ckpt_task_gone(ctx) :
		      ckpt_err(ctx, err, "reading the CPU affinity");
		goto out;
	}
	if (task_no_new_privs(t))
		h->flags |= CKPT_SCHED_NO_NEW_PRIVS;
	/* ckpt_task_state_check() refused SCHED_DEADLINE; t is frozen */
	h->policy = READ_ONCE(t->policy);
	h->nice = task_nice(t);
	if (h->policy == SCHED_FIFO || h->policy == SCHED_RR)
		h->rt_priority = READ_ONCE(t->rt_priority);
	if (t->sched_reset_on_fork)
		h->flags |= CKPT_SCHED_RESET_ON_FORK;
	if (cpumask_subset(cpu_active_mask, mask)) {
		h->flags |= CKPT_SCHED_ALL_CPUS;
	} else {
		for_each_cpu(cpu, mask)
			h->cpus[cpu / 64] |= 1ULL << (cpu % 64);
	}
	h->nr_cpus = words * 64;
	err = ckpt_write_obj(ctx, CKPT_HDR_SCHED, h, struct_size(h, cpus, words));
out:
	kfree(h);
	free_cpumask_var(mask);
	return err;
}

/* Is this a policy, priority and nice that sched_setattr(2) takes? */
static bool restore_sched_policy_valid(const struct ckpt_hdr_sched *h)
{
	if (h->nice < MIN_NICE || h->nice > MAX_NICE)
		return false;
	if (h->policy == SCHED_FIFO || h->policy == SCHED_RR)
		return h->rt_priority >= 1 && h->rt_priority < MAX_RT_PRIO;
	return !h->rt_priority && (h->policy == SCHED_NORMAL ||
				   h->policy == SCHED_BATCH ||
				   h->policy == SCHED_IDLE);
}

/*
 * sched_setattr(2) as the restored task, for what differs from what it
 * inherited.  Only the fair policies carry a nice value, so a task of
 * another policy whose nice is not the inherited one gets it under
 * SCHED_NORMAL first, as it once did itself.
 */
static int restore_sched_policy(struct ckpt_ctx *ctx, struct ckpt_hdr_sched *h)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = h->policy,
		.sched_priority = h->rt_priority,
		.sched_nice = h->nice,
	};
	bool fair = h->policy == SCHED_NORMAL || h->policy == SCHED_BATCH;
	int err;

	if (h->flags & CKPT_SCHED_RESET_ON_FORK)
		attr.sched_flags |= SCHED_FLAG_RESET_ON_FORK;
	if (!fair && task_nice(current) != h->nice) {
		struct sched_attr nice = { .size = sizeof(nice),
					   .sched_policy = SCHED_NORMAL,
					   .sched_nice = h->nice };

		err = sched_setattr(current, &nice);
		if (err)
			return ckpt_err(ctx, err, "setting nice %d", h->nice);
	}
	if (current->policy == h->policy && task_nice(current) == h->nice &&
	    current->rt_priority == h->rt_priority &&
	    current->sched_reset_on_fork ==
	    !!(h->flags & CKPT_SCHED_RESET_ON_FORK))
		return 0;
	err = sched_setattr(current, &attr);
	if (err)
		return ckpt_err(ctx, err,
				"setting scheduling policy %u, priority %u, nice %d",
				h->policy, h->rt_priority, h->nice);
	return 0;
}

/**
 * restore_sched_read - read and check a task's SCHED record
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_sched_read(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_sched *h;
	bool any = false;
	u32 i, words;

	h = ckpt_read_obj(ctx, CKPT_HDR_SCHED, sizeof(*h),
			  struct_size(h, cpus, CKPT_CPUS_MAX / 64));
	if (IS_ERR(h))
		return PTR_ERR(h);
	ctx->ts->sched = h;
	words = h->nr_cpus / 64;
	if (h->flags & ~CKPT_SCHED_FLAGS || h->_pad || h->nr_cpus % 64 ||
	    h->nr_cpus > CKPT_CPUS_MAX ||
	    h->h.len != struct_size(h, cpus, words))
		return ckpt_err(ctx, -EBADMSG, "SCHED record malformed");
	if (!restore_sched_policy_valid(h))
		return ckpt_err(ctx, -EBADMSG,
				"SCHED record: policy %u, priority %u, nice %d",
				h->policy, h->rt_priority, h->nice);
	for (i = 0; i < words; i++)
		any |= h->cpus[i] != 0;
	if (any == !!(h->flags & CKPT_SCHED_ALL_CPUS))
		return ckpt_err(ctx, -EBADMSG,
				"SCHED record: a CPU mask %s", any ?
				"with every CPU" : "without any CPU");
	/* a CPU this machine does not have cannot be given back */
	for (i = 0; i < words * 64; i++)
		if (h->cpus[i / 64] & (1ULL << (i % 64)) &&
		    (i >= nr_cpu_ids || !cpu_possible(i)))
			return ckpt_err(ctx, -EINVAL,
					"the task's CPU affinity names CPU %u, which is not here",
					i);
	return 0;
}

/**
 * restore_sched_commit - give current the staged scheduling, affinity
 * and no_new_privs
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged); past the point of no return.
 */
int restore_sched_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_sched *h = ctx->ts->sched;
	cpumask_var_t mask;
	unsigned int cpu;
	long err;

	if (h->flags & CKPT_SCHED_NO_NEW_PRIVS)
		task_set_no_new_privs(current);
	err = restore_sched_policy(ctx, h);
	if (err)
		return err;
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	if (h->flags & CKPT_SCHED_ALL_CPUS)
		cpumask_copy(mask, cpu_possible_mask);
	for (cpu = 0; cpu < nr_cpu_ids && cpu < h->nr_cpus; cpu++)
		if (h->cpus[cpu / 64] & (1ULL << (cpu % 64)))
			cpumask_set_cpu(cpu, mask);
	err = sched_setaffinity(task_pid_vnr(current), mask);
	free_cpumask_var(mask);
	if (err)
		return ckpt_err(ctx, err, "setting the CPU affinity");
	return 0;
}

void restore_sched_free(struct ckpt_task_state *ts)
{
	kvfree(ts->sched);
	ts->sched = NULL;
}
