// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of timerfd_create(2) files: clock, settings, the
 * time to the next expiration, the interval and the expirations not read
 * yet, in a TIMERFD record before the FILE that takes the file restart
 * makes from it.  The timer runs on from where it stood: the time spent
 * checkpointed does not count.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/time.h>
#include <linux/timekeeping.h>
#include <linux/timerfd.h>

#include "internal.h"

/* Keep now + value far from overflowing ktime_t. */
#define CKPT_TIMERFD_MAX_NS	(KTIME_MAX / 4)

static bool ckpt_is_timerfd(struct file *file)
{
	struct timerfd_state st;

	return !timerfd_file_state(file, &st);
}

/**
 * checkpoint_timerfd_obj - write a TIMERFD record (objhash checkpoint
 * handler)
 * @ctx: checkpoint context
 * @ptr: the timerfd file
 * @objref: its objref
 *
 * Return: 0 or a negative errno.
 */
static int checkpoint_timerfd_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct ckpt_hdr_timerfd h = { .objref = objref };
	struct timerfd_state st;
	int err;

	err = timerfd_file_state(ptr, &st);
	if (err)
		return ckpt_err(ctx, err, "reading a timerfd");
	h.clockid = st.clockid;
	h.settime_flags = st.settime_flags;
	h.ticks = st.ticks;
	h.value_ns = timespec64_to_ns(&st.t.it_value);
	h.interval_ns = timespec64_to_ns(&st.t.it_interval);
	return ckpt_write_obj(ctx, CKPT_HDR_TIMERFD, &h, sizeof(h));
}

static ktime_t ckpt_clock_now(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_ALARM:
		return ktime_get_real();
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return ktime_get_boottime();
	default:
		return ktime_get();
	}
}

/**
 * restore_timerfd_obj - make and arm a timerfd from its record (objhash
 * restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_timerfd_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_timerfd *h = rec;
	struct itimerspec64 t;
	struct file *file;
	ktime_t value;
	int err;

	if (h->h.len != sizeof(*h) || h->_pad ||
	    h->settime_flags & ~TFD_SETTIME_FLAGS ||
	    h->value_ns > CKPT_TIMERFD_MAX_NS ||
	    h->interval_ns > CKPT_TIMERFD_MAX_NS ||
	    (h->clockid != CLOCK_REALTIME && h->clockid != CLOCK_MONOTONIC &&
	     h->clockid != CLOCK_BOOTTIME &&
	     h->clockid != CLOCK_REALTIME_ALARM &&
	     h->clockid != CLOCK_BOOTTIME_ALARM)) {
		ckpt_err(ctx, -EBADMSG, "timerfd %u: malformed record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	file = timerfd_file_create(h->clockid, 0);
	if (IS_ERR(file)) {
		ckpt_err(ctx, PTR_ERR(file), "making timerfd %u", h->objref);
		return file;
	}
	value = h->value_ns;
	if (value && h->settime_flags & TFD_TIMER_ABSTIME)
		value = ktime_add(ckpt_clock_now(h->clockid), value);
	t.it_value = ktime_to_timespec64(value);
	t.it_interval = ns_to_timespec64(h->interval_ns);
	err = timerfd_file_settime(file, h->value_ns ? h->settime_flags : 0,
				   &t, h->ticks);
	if (err) {
		fput(file);
		ckpt_err(ctx, err, "arming timerfd %u", h->objref);
		return ERR_PTR(err);
	}
	return file;
}

/*
 * An eventfd, signalfd or timerfd is its file at checkpoint (the
 * FILE object holds it); at restart, the file made from the
 * record, which the FILE naming it takes.
 */
const struct ckpt_obj_ops ckpt_obj_timerfd_ops = {
	.name = "timerfd",
	.hdr_type = CKPT_HDR_TIMERFD,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_timerfd_obj,
	.restore = restore_timerfd_obj,
	.release = ckpt_file_drop,
};

const struct ckpt_file_ops ckpt_file_timerfd_ops = {
	.kind = CKPT_FILE_TIMERFD,
	.flags = CKPT_FK_ANON,
	.obj = CKPT_OBJ_TIMERFD,
	.is = ckpt_is_timerfd,
	.restore = restore_state_file,
};
