// SPDX-License-Identifier: GPL-2.0
/*
 * Signal state: dispositions, blocked mask, alternate stack, queued
 * signals with their siginfo, interval timers and POSIX timers; and the
 * process's oom_score_adj and child-subreaper flag, which live beside
 * them in its signal_struct.
 */
#include <linux/oom.h>
#include <linux/posix-timers.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/time.h>
#include <linux/tty.h>

#include "internal.h"

/* Most queued signals an image may carry, against hostile images. */
#define CKPT_PENDING_MAX	4096

#define CKPT_SA_FLAGS	(SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | \
			 SA_ONSTACK | SA_RESTART | SA_NODEFER | \
			 SA_RESETHAND | SA_RESTORER | SA_EXPOSE_TAGBITS | \
			 SA_UNSUPPORTED)

static u64 ckpt_sigset(const sigset_t *s)
{
	return s->sig[0];
}

static int checkpoint_sighand(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_sighand *h;
	struct k_sigaction *k;
	unsigned long flags;
	int i, err;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	if (!lock_task_sighand(t, &flags)) {
		kfree(h);
		return ckpt_task_gone(ctx);
	}
	for (i = 0; i < CKPT_NSIG; i++) {
		k = &t->sighand->action[i];
		h->act[i].handler = (unsigned long)k->sa.sa_handler;
		h->act[i].flags = k->sa.sa_flags;
		h->act[i].restorer = (unsigned long)k->sa.sa_restorer;
		h->act[i].mask = ckpt_sigset(&k->sa.sa_mask);
	}
	unlock_task_sighand(t, &flags);
	err = ckpt_write_obj(ctx, CKPT_HDR_SIGHAND, h, sizeof(*h));
	kfree(h);
	return err;
}

static u64 ckpt_ts_ns(struct timespec64 ts)
{
	return timespec64_to_ns(&ts);
}

/* Queued signals of one queue, and signals set without a queue entry. */
static int ckpt_collect_pending(struct sigpending *p, bool shared,
				struct ckpt_hdr_sigpending **out, int n,
				int max)
{
	struct sigqueue *q;
	sigset_t seen;
	int sig;

	sigemptyset(&seen);
	list_for_each_entry(q, &p->list, list) {
		if (n >= max)
			return -E2BIG;
		out[n]->shared = shared;
		copy_siginfo_to_external((siginfo_t *)out[n]->info, &q->info);
		sigaddset(&seen, q->info.si_signo);
		n++;
	}
	for (sig = 1; sig <= CKPT_NSIG; sig++) {
		kernel_siginfo_t info = {};

		if (!sigismember(&p->signal, sig) || sigismember(&seen, sig))
			continue;
		if (n >= max)
			return -E2BIG;
		info.si_signo = sig;
		info.si_code = SI_KERNEL;
		out[n]->shared = shared;
		copy_siginfo_to_external((siginfo_t *)out[n]->info, &info);
		n++;
	}
	return n;
}

static int ckpt_count_pending(struct sigpending *p)
{
	struct sigqueue *q;
	int n = 0;

	list_for_each_entry(q, &p->list, list)
		n++;
	return n + CKPT_NSIG;
}

/*
 * The process's POSIX timers, as POSIX_TIMER records in *@out (kvmalloc'ed),
 * their number in *@nr.
 */
static int ckpt_collect_timers(struct ckpt_ctx *ctx, struct task_struct *t,
			       struct ckpt_hdr_posix_timer **out, u32 *nr)
{
	struct posix_timer_ckpt *pt = NULL;
	struct ckpt_hdr_posix_timer *h;
	int i, n, max = 0;

	*out = NULL;
	*nr = 0;
	/* the process is frozen: the count holds, unless it has too many */
	n = posix_timers_ckpt_read(t, NULL, 0);
	if (n > CKPT_TIMERS_MAX)
		return ckpt_err(ctx, -E2BIG, "%d POSIX timers", n);
	if (n > 0) {
		max = n;
		pt = kvcalloc(max, sizeof(*pt), GFP_KERNEL);
		if (!pt)
			return -ENOMEM;
		n = posix_timers_ckpt_read(t, pt, max);
	}
	if (n < 0 || n > max) {
		kvfree(pt);
		return ckpt_err(ctx, n == -ENOMEM ? n : -EBUSY,
				"reading the POSIX timers (%d)", n);
	}
	h = kvcalloc(n ?: 1, sizeof(*h), GFP_KERNEL);
	if (!h) {
		kvfree(pt);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		int err = 0;

		/* say why while pt[] is still there */
		if (!pt[i].readable)
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "POSIX timer %d on clock %d: only CLOCK_REALTIME, MONOTONIC, BOOTTIME and TAI timers are supported",
				       pt[i].id, pt[i].clock);
		else if (pt[i].notify & SIGEV_THREAD_ID && pt[i].tid <= 0)
			err = ckpt_err(ctx, -EBUSY,
				       "POSIX timer %d signals a thread that has exited",
				       pt[i].id);
		if (err) {
			kvfree(pt);
			kvfree(h);
			return err;
		}
		h[i].id = pt[i].id;
		h[i].clock = pt[i].clock;
		h[i].notify = pt[i].notify;
		h[i].signo = pt[i].signo;
		h[i].value = (unsigned long)pt[i].value.sival_ptr;
		h[i].tid = pt[i].tid;
		h[i].value_ns = ckpt_ts_ns(pt[i].spec.it_value);
		h[i].interval_ns = ckpt_ts_ns(pt[i].spec.it_interval);
	}
	kvfree(pt);
	*out = h;
	*nr = n;
	return 0;
}

/*
 * The task's mask, alternate stack and queue; for the first task of a
 * process also the process's queue, interval and POSIX timers.
 */
static int checkpoint_signal_state(struct ckpt_ctx *ctx, struct task_struct *t,
				   bool leader)
{
	struct ckpt_hdr_sigpending **pend = NULL;
	struct ckpt_hdr_posix_timer *timers = NULL;
	struct ckpt_hdr_signal *h;
	struct itimerspec64 it;
	unsigned long flags;
	int i, n = 0, max, err = -ENOMEM;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	/* size the array outside the lock; the target is frozen */
	if (!lock_task_sighand(t, &flags)) {
		kfree(h);
		return ckpt_task_gone(ctx);
	}
	max = ckpt_count_pending(&t->pending) +
	      (leader ? ckpt_count_pending(&t->signal->shared_pending) : 0);
	unlock_task_sighand(t, &flags);
	max = min(max, CKPT_PENDING_MAX);
	pend = kvcalloc(max, sizeof(*pend), GFP_KERNEL);
	if (!pend)
		goto out;
	for (i = 0; i < max; i++) {
		pend[i] = kzalloc(sizeof(*pend[i]), GFP_KERNEL);
		if (!pend[i])
			goto out;
	}

	if (!lock_task_sighand(t, &flags)) {
		err = ckpt_task_gone(ctx);
		goto out;
	}
	/*
	 * In sigsuspend(), ppoll() and the like the syscall is restarted and
	 * the mask from before the call comes back first.
	 */
	h->blocked = ckpt_sigset(test_tsk_restore_sigmask(t) ?
				 &t->saved_sigmask : &t->blocked);
	h->altstack_sp = t->sas_ss_sp;
	h->altstack_size = t->sas_ss_size;
	h->altstack_flags = t->sas_ss_size ? t->sas_ss_flags : SS_DISABLE;
	if (leader && t->signal->flags & SIGNAL_STOP_STOPPED &&
	    !(ctx->flags & CHECKPOINT_RUNNING)) {
		h->flags |= CKPT_SIGNAL_STOPPED;
		/* what wait(2) reports; 0 once the parent took the report */
		h->stop_signo = READ_ONCE(t->signal->group_exit_code) & 0x7f;
	}
	if (leader && t->signal->is_child_subreaper)
		h->flags |= CKPT_SIGNAL_CHILD_SUBREAPER;
	if (leader) {
		h->oom_score_adj = t->signal->oom_score_adj;
		h->oom_score_adj_min = t->signal->oom_score_adj_min;
	}
	n = ckpt_collect_pending(&t->pending, false, pend, 0, max);
	if (n >= 0 && leader)
		n = ckpt_collect_pending(&t->signal->shared_pending, true,
					 pend, n, max);
	unlock_task_sighand(t, &flags);
	if (n < 0 || n > max) {
		err = ckpt_err(ctx, -E2BIG, "too many pending signals");
		goto out;
	}
	h->nr_pending = n;

	for (i = 0; i < 3 && leader; i++) {
		err = do_getitimer_task(t, i, &it);
		if (err) {
			err = ckpt_task_gone(ctx);
			goto out;
		}
		h->itimer[i].value_ns = ckpt_ts_ns(it.it_value);
		h->itimer[i].interval_ns = ckpt_ts_ns(it.it_interval);
		/*
		 * A periodic ITIMER_REAL that fired while the task was frozen
		 * reads 0: it starts again when its SIGALRM is dequeued
		 * (dequeue_signal()), which restart cannot ask for.  Its next
		 * expiry is one interval on.
		 */
		if (i == ITIMER_REAL && !h->itimer[i].value_ns)
			h->itimer[i].value_ns = h->itimer[i].interval_ns;
	}
	if (leader) {
		err = ckpt_collect_timers(ctx, t, &timers, &h->nr_timers);
		if (err)
			goto out;
	}
	err = ckpt_write_obj(ctx, CKPT_HDR_SIGNAL, h, sizeof(*h));
	for (i = 0; i < n && !err; i++)
		err = ckpt_write_obj(ctx, CKPT_HDR_SIGPENDING, pend[i],
				     sizeof(*pend[i]));
	for (i = 0; i < h->nr_timers && !err; i++)
		err = ckpt_write_obj(ctx, CKPT_HDR_POSIX_TIMER, &timers[i],
				     sizeof(timers[i]));
out:
	kvfree(timers);
	if (pend) {
		for (i = 0; i < max; i++)
			kfree(pend[i]);
		kvfree(pend);
	}
	kfree(h);
	return err;
}

/**
 * checkpoint_signals - write dispositions and per-task signal state
 * @ctx: checkpoint context
 * @t: the task
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_signals(struct ckpt_ctx *ctx, struct task_struct *t)
{
	bool leader = thread_group_leader(t);
	int err = leader ? checkpoint_sighand(ctx, t) : 0;

	return err ?: checkpoint_signal_state(ctx, t, leader);
}

/* restart */

static int restore_sighand_check(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_sighand *h)
{
	int i;

	for (i = 0; i < CKPT_NSIG; i++) {
		u64 handler = h->act[i].handler;
		int sig = i + 1;

		if (h->act[i].flags & ~CKPT_SA_FLAGS ||
		    handler >= TASK_SIZE_MAX ||
		    h->act[i].restorer >= TASK_SIZE_MAX)
			return ckpt_err(ctx, -EBADMSG,
					"sigaction of signal %d malformed", sig);
		if (sig_kernel_only(sig) &&
		    (handler != (unsigned long)SIG_DFL || h->act[i].flags))
			return ckpt_err(ctx, -EBADMSG,
					"signal %d cannot have a handler", sig);
	}
	return 0;
}

/* As sigaltstack(2) checks it: under siglock, for dynamic FPU sizes. */
static bool restore_altstack_size_valid(size_t size)
{
	bool valid;

	spin_lock_irq(&current->sighand->siglock);
	valid = sigaltstack_size_valid(size);
	spin_unlock_irq(&current->sighand->siglock);
	return valid;
}

static int restore_signal_check(struct ckpt_ctx *ctx,
				struct ckpt_hdr_signal *h)
{
	int i;

	if (h->altstack_flags == SS_DISABLE) {
		if (h->altstack_sp || h->altstack_size)
			return ckpt_err(ctx, -EBADMSG,
					"disabled sigaltstack with a stack");
	} else if (h->altstack_flags & ~SS_AUTODISARM ||
		   h->altstack_size < MINSIGSTKSZ ||
		   h->altstack_size > TASK_SIZE_MAX ||
		   h->altstack_sp > TASK_SIZE_MAX - h->altstack_size ||
		   !restore_altstack_size_valid(h->altstack_size)) {
		return ckpt_err(ctx, -EBADMSG, "sigaltstack malformed");
	}
	if (h->nr_pending > CKPT_PENDING_MAX)
		return ckpt_err(ctx, -EBADMSG, "%u pending signals",
				h->nr_pending);
	if (h->nr_timers > CKPT_TIMERS_MAX ||
	    (!ctx->ts->leader && h->nr_timers))
		return ckpt_err(ctx, -EBADMSG, "%u POSIX timers",
				h->nr_timers);
	if (h->flags & ~CKPT_SIGNAL_FLAGS || (!ctx->ts->leader && h->flags))
		return ckpt_err(ctx, -EBADMSG, "signal flags %#x", h->flags);
	if (h->_pad || (h->stop_signo && (!(h->flags & CKPT_SIGNAL_STOPPED) ||
					  !sig_kernel_stop(h->stop_signo))))
		return ckpt_err(ctx, -EBADMSG, "stop signal %u", h->stop_signo);
	if (h->oom_score_adj < OOM_SCORE_ADJ_MIN ||
	    h->oom_score_adj > OOM_SCORE_ADJ_MAX ||
	    h->oom_score_adj_min < OOM_SCORE_ADJ_MIN ||
	    h->oom_score_adj_min > OOM_SCORE_ADJ_MAX ||
	    (!ctx->ts->leader && (h->oom_score_adj || h->oom_score_adj_min)))
		return ckpt_err(ctx, -EBADMSG, "oom_score_adj %d, floor %d",
				h->oom_score_adj, h->oom_score_adj_min);
	for (i = 0; i < 3; i++)
		if (h->itimer[i].value_ns > KTIME_MAX / 2 ||
		    h->itimer[i].interval_ns > KTIME_MAX / 2 ||
		    (!ctx->ts->leader && (h->itimer[i].value_ns ||
					  h->itimer[i].interval_ns)))
			return ckpt_err(ctx, -EBADMSG, "itimer %d out of range",
					i);
	return 0;
}

static bool restore_timer_valid(struct ckpt_hdr_posix_timer *t)
{
	int notify = t->notify & ~SIGEV_THREAD_ID;

	/* what good_sigevent() takes: SIGEV_THREAD signals the process */
	if (t->id < 0 || t->_pad ||
	    (t->clock != CLOCK_REALTIME && t->clock != CLOCK_MONOTONIC &&
	     t->clock != CLOCK_BOOTTIME && t->clock != CLOCK_TAI) ||
	    (notify != SIGEV_SIGNAL && notify != SIGEV_NONE &&
	     notify != SIGEV_THREAD) ||
	    (t->notify & SIGEV_THREAD_ID && notify != SIGEV_SIGNAL) ||
	    t->signo < 0 || !valid_signal(t->signo) ||
	    (notify != SIGEV_NONE && !t->signo) ||
	    !(t->notify & SIGEV_THREAD_ID) != !t->tid || t->tid < 0 ||
	    t->value_ns > KTIME_MAX / 2 || t->interval_ns > KTIME_MAX / 2)
		return false;
	return true;
}

static int restore_timers_read(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	struct ckpt_hdr_posix_timer *t;
	u32 i, n = ts->signal->nr_timers;

	if (!n)
		return 0;
	ts->timers = kvcalloc(n, sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!ts->timers)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		t = ckpt_read_obj_fixed(ctx, CKPT_HDR_POSIX_TIMER, sizeof(*t));
		if (IS_ERR(t))
			return PTR_ERR(t);
		ts->timers[i] = *t;
		kvfree(t);
		if (!restore_timer_valid(&ts->timers[i]))
			return ckpt_err(ctx, -EBADMSG,
					"POSIX timer %u malformed", i);
	}
	return 0;
}

/* Make the process's timers again, after what exec would drop. */
static int restore_timers_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	struct posix_timer_ckpt pt;
	struct task_struct *target;
	u32 i;
	int err;

	exit_itimers(current);
	for (i = 0; i < ts->signal->nr_timers; i++) {
		struct ckpt_hdr_posix_timer *t = &ts->timers[i];

		memset(&pt, 0, sizeof(pt));
		pt.id = t->id;
		pt.clock = t->clock;
		pt.notify = t->notify;
		pt.signo = t->signo;
		pt.value.sival_ptr = (void __user *)(unsigned long)t->value;
		if (t->notify & SIGEV_THREAD_ID) {
			target = ckpt_tree_task(ctx, t->tid);
			if (!target || !same_thread_group(target, current))
				return ckpt_err(ctx, -EINVAL,
						"POSIX timer %d signals %d, no thread of the process",
						t->id, t->tid);
			pt.tid = task_pid_vnr(target);
		}
		pt.spec.it_value = ns_to_timespec64(t->value_ns);
		pt.spec.it_interval = ns_to_timespec64(t->interval_ns);
		err = posix_timer_ckpt_make(&pt);
		if (err)
			return ckpt_err(ctx, err, "making POSIX timer %d", t->id);
	}
	return 0;
}

/**
 * restore_signals_read - read and check the signal records
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_signals_read(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	struct ckpt_hdr_sigpending *p;
	int i, err;

	if (ts->leader) {
		ts->sighand = ckpt_read_obj_fixed(ctx, CKPT_HDR_SIGHAND,
						  sizeof(*ts->sighand));
		if (IS_ERR(ts->sighand)) {
			err = PTR_ERR(ts->sighand);
			ts->sighand = NULL;
			return err;
		}
		err = restore_sighand_check(ctx, ts->sighand);
		if (err)
			return err;
	}
	ts->signal = ckpt_read_obj_fixed(ctx, CKPT_HDR_SIGNAL,
					 sizeof(*ts->signal));
	if (IS_ERR(ts->signal)) {
		err = PTR_ERR(ts->signal);
		ts->signal = NULL;
		return err;
	}
	err = restore_signal_check(ctx, ts->signal);
	if (err)
		return err;
	ts->pending = kvcalloc(ts->signal->nr_pending + 1, sizeof(p),
			       GFP_KERNEL);
	if (!ts->pending)
		return -ENOMEM;
	for (i = 0; i < ts->signal->nr_pending; i++) {
		siginfo_t *si;

		p = ckpt_read_obj_fixed(ctx, CKPT_HDR_SIGPENDING, sizeof(*p));
		if (IS_ERR(p))
			return PTR_ERR(p);
		ts->pending[i] = p;
		si = (siginfo_t *)p->info;
		if (p->shared > ts->leader || p->_pad || si->si_signo < 1 ||
		    si->si_signo > CKPT_NSIG)
			return ckpt_err(ctx, -EBADMSG,
					"pending signal %d malformed", i);
	}
	return restore_timers_read(ctx);
}

/*
 * The process's oom_score_adj as its own write to /proc/self/oom_score_adj
 * would set it, and the floor that write leaves must be the image's.
 */
static int restore_oom_score_adj(struct ckpt_ctx *ctx,
				 const struct ckpt_hdr_signal *h)
{
	struct signal_struct *sig = current->signal;
	int err;

	if (h->oom_score_adj == sig->oom_score_adj &&
	    h->oom_score_adj_min == sig->oom_score_adj_min)
		return 0;
	err = proc_set_oom_adj(current, h->oom_score_adj, false);
	if (err)
		return ckpt_err(ctx, err,
				"setting oom_score_adj %d: below the floor %d the process inherited",
				h->oom_score_adj, sig->oom_score_adj_min);
	if (READ_ONCE(sig->oom_score_adj_min) != h->oom_score_adj_min)
		return ckpt_err(ctx, -EPERM,
				"oom_score_adj floor %d: the restored process would have %d",
				h->oom_score_adj_min,
				READ_ONCE(sig->oom_score_adj_min));
	return 0;
}

/**
 * restore_signals_commit - apply the staged signal state to current
 * @ctx: restart context
 *
 * Return: 0 or a negative errno (logged); past the point of no return.
 */
int restore_signals_commit(struct ckpt_ctx *ctx)
{
	struct ckpt_task_state *ts = ctx->ts;
	struct ckpt_hdr_signal *h = ts->signal;
	struct itimerspec64 it;
	sigset_t blocked;
	int i, err;

	for (i = 0; i < CKPT_NSIG && ts->leader; i++) {
		struct k_sigaction ka = {};
		int sig = i + 1;

		if (sig_kernel_only(sig))
			continue;
		ka.sa.sa_handler = (__sighandler_t)ts->sighand->act[i].handler;
		ka.sa.sa_flags = ts->sighand->act[i].flags;
		ka.sa.sa_restorer =
			(__sigrestore_t)ts->sighand->act[i].restorer;
		ka.sa.sa_mask.sig[0] = ts->sighand->act[i].mask;
		do_sigaction(sig, &ka, NULL);
	}

	/* drop what the restarter had queued, then queue the image's */
	spin_lock_irq(&current->sighand->siglock);
	flush_sigqueue(&current->pending);
	if (ts->leader)
		flush_sigqueue(&current->signal->shared_pending);
	spin_unlock_irq(&current->sighand->siglock);

	blocked.sig[0] = h->blocked;
	set_current_blocked(&blocked);
	current->sas_ss_sp = h->altstack_sp;
	current->sas_ss_size = h->altstack_size;
	current->sas_ss_flags = h->altstack_flags == SS_DISABLE ? 0 :
				h->altstack_flags;
	if (h->altstack_flags == SS_DISABLE) {
		current->sas_ss_sp = 0;
		current->sas_ss_size = 0;
	}

	for (i = 0; i < h->nr_pending; i++) {
		struct ckpt_hdr_sigpending *p = ts->pending[i];
		kernel_siginfo_t info;

		memcpy(&info, p->info, sizeof(info));
		err = do_send_sig_info(info.si_signo, &info, current,
				       p->shared ? PIDTYPE_TGID : PIDTYPE_PID);
		if (err)
			return ckpt_err(ctx, err, "queueing signal %d",
					info.si_signo);
	}

	if (ts->leader) {
		err = restore_oom_score_adj(ctx, h);
		if (err)
			return err;
		/* RESTART_TASKSELF: the caller may have been one */
		set_child_subreaper(h->flags & CKPT_SIGNAL_CHILD_SUBREAPER);
	}

	/*
	 * A stopped job stays stopped: before any of its threads runs, by
	 * the signal that stopped it, which its parent's wait(2) reports;
	 * SIGSTOP where another would be discarded (an orphaned group).
	 */
	if (h->flags & CKPT_SIGNAL_STOPPED) {
		int sig = h->stop_signo;

		if (!sig || (sig != SIGSTOP && is_current_pgrp_orphaned()))
			sig = SIGSTOP;
		err = do_send_sig_info(sig, SEND_SIG_PRIV, current,
				       PIDTYPE_TGID);
		if (err)
			return ckpt_err(ctx, err, "stopping the process");
	}

	for (i = 0; i < 3 && ts->leader; i++) {
		it.it_value = ns_to_timespec64(h->itimer[i].value_ns);
		it.it_interval = ns_to_timespec64(h->itimer[i].interval_ns);
		err = do_setitimer(i, &it, NULL);
		if (err)
			return ckpt_err(ctx, err, "setting itimer %d", i);
	}
	return ts->leader ? restore_timers_commit(ctx) : 0;
}

void restore_signals_free(struct ckpt_task_state *ts)
{
	int i;

	if (ts->pending && ts->signal)
		for (i = 0; i < ts->signal->nr_pending; i++)
			kvfree(ts->pending[i]);
	kvfree(ts->pending);
	kvfree(ts->timers);
	kvfree(ts->sighand);
	kvfree(ts->signal);
	ts->pending = NULL;
	ts->timers = NULL;
	ts->sighand = NULL;
	ts->signal = NULL;
}
