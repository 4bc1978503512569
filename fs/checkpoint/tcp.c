// SPDX-License-Identifier: GPL-2.0
/*
 * Established TCP connections for checkpoint/restart, through TCP's own
 * repair mode (TCP_REPAIR and its options, as do_tcp_setsockopt() and
 * do_tcp_getsockopt() give them to BPF and to setsockopt(2)), and those
 * that began to close: the peer's FIN is restored in repair mode
 * (tcp_repair_fin_rcvd()), one's own is sent again once it ends.
 *
 * Checkpoint enters repair mode, which needs CAP_NET_ADMIN, reads the
 * sequence numbers, options and windows and peeks at both queues, and
 * leaves it again, or, with CHECKPOINT_TCP_QUIET, leaves the connection
 * in it so that the tree can be killed without the peer seeing a FIN or
 * a reset.  Restart makes the connection again in repair mode as the
 * restored task (the same need), without a handshake; once every object
 * of the image is made, so that a peer inside the tree exists, it queues
 * the bytes not acknowledged as sent and ends repair mode.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "internal.h"

/* A connection left in repair mode: checkpoint's quiet, restart's to end. */
struct ckpt_tcp_conn {
	struct list_head list;
	struct file *file;
	const struct cred *cred;	/* restart: the restored task's */
	u8 *data;			/* restart: the send queue */
	u32 len;
	u32 unsent;
	bool reuse;			/* SO_REUSEADDR, which repair mode resets */
	bool fin;			/* restart: shut down after the bytes */
};

static int ckpt_tcp_set(struct sock *sk, int opt, int val)
{
	return do_tcp_setsockopt(sk, SOL_TCP, opt, KERNEL_SOCKPTR(&val),
				 sizeof(val));
}

static int ckpt_tcp_get(struct sock *sk, int opt, void *val, int len)
{
	return do_tcp_getsockopt(sk, SOL_TCP, opt, KERNEL_SOCKPTR(val),
				 KERNEL_SOCKPTR(&len));
}

/*
 * Where both queues start and end, the windows and what would make the
 * connection one a TCP record cannot hold; read twice the same, nothing
 * moved in between.
 */
struct ckpt_tcp_seqs {
	int outq, unsent, inq;
	u32 write_seq, rcv_nxt;
	struct tcp_repair_window w;
	int state, shutdown, urg;
};

static int ckpt_tcp_seqs(struct sock *sk, struct ckpt_tcp_seqs *s)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->state = READ_ONCE(sk->sk_state);
	s->shutdown = READ_ONCE(sk->sk_shutdown);
	s->urg = !!READ_ONCE(tcp_sk(sk)->urg_data);
	err = tcp_ioctl(sk, SIOCOUTQ, &s->outq) ?:
	      tcp_ioctl(sk, SIOCOUTQNSD, &s->unsent) ?:
	      tcp_ioctl(sk, SIOCINQ, &s->inq) ?:
	      ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) ?:
	      ckpt_tcp_get(sk, TCP_QUEUE_SEQ, &s->write_seq, 4) ?:
	      ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) ?:
	      ckpt_tcp_get(sk, TCP_QUEUE_SEQ, &s->rcv_nxt, 4) ?:
	      ckpt_tcp_get(sk, TCP_REPAIR_WINDOW, &s->w, sizeof(s->w));
	/* no queue chosen: an ACK now does not "send" in repair mode */
	ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_NO_QUEUE);
	return err;
}

/*
 * Copy a queue, which repair mode lets MSG_PEEK read, into @buf: its
 * last @len bytes.  The send queue's first buffer may begin before
 * the oldest byte not acknowledged (a segment acknowledged in part is
 * not trimmed), so it is read whole into room for all it holds.
 */
static int ckpt_tcp_peek(struct socket *sock, int queue, u8 *buf, u32 len)
{
	u32 room = queue == TCP_SEND_QUEUE ?
		   max_t(u32, len, READ_ONCE(sock->sk->sk_wmem_queued)) : len;
	struct msghdr msg = {};
	struct kvec iov;
	u8 *tmp = buf;
	int n;

	if (!len)
		return 0;
	if (room > len) {
		tmp = kvmalloc(room, GFP_KERNEL);
		if (!tmp)
			return -ENOMEM;
	}
	iov.iov_base = tmp;
	iov.iov_len = room;
	n = ckpt_tcp_set(sock->sk, TCP_REPAIR_QUEUE, queue);
	if (!n)
		n = kernel_recvmsg(sock, &msg, &iov, 1, room,
				   MSG_PEEK | MSG_DONTWAIT);
	ckpt_tcp_set(sock->sk, TCP_REPAIR_QUEUE, TCP_NO_QUEUE);
	/* a queue that grew past @room: read again */
	if (n == -EFAULT || (n >= 0 && n < len))
		n = -EAGAIN;
	if (n > 0 && tmp != buf)
		memcpy(buf, tmp + n - len, len);
	if (tmp != buf)
		kvfree(tmp);
	return n < 0 ? n : 0;
}

/**
 * ckpt_tcp_fins - the FINs of a connection, as its state tells them
 * @sk: a TCP socket
 * @out: set if its own FIN was queued (shutdown(2) or close), sent or
 *	not, acknowledged or not; may be NULL
 * @in: set if the peer's FIN was received; may be NULL
 *
 * A connection is established or closing, with an open socket: FIN_WAIT1
 * or FIN_WAIT2 after its shutdown, CLOSE_WAIT after its peer's, CLOSING
 * or LAST_ACK after both.  Its shutdown state must be the FINs' own (a
 * shutdown(SHUT_RD) of one's own is not saved).
 *
 * Return: true for such a connection.
 */
bool ckpt_tcp_fins(struct sock *sk, bool *out, bool *in)
{
	int state = READ_ONCE(sk->sk_state);
	bool o, i;

	o = state == TCP_FIN_WAIT1 || state == TCP_FIN_WAIT2 ||
	    state == TCP_CLOSING || state == TCP_LAST_ACK;
	i = state == TCP_CLOSE_WAIT || state == TCP_CLOSING ||
	    state == TCP_LAST_ACK;
	if (out)
		*out = o;
	if (in)
		*in = i;
	return (state == TCP_ESTABLISHED || o || i) &&
	       READ_ONCE(sk->sk_shutdown) ==
	       ((o ? SEND_SHUTDOWN : 0) | (i ? RCV_SHUTDOWN : 0));
}

/* The queues, read until two readings of their bounds agree. */
static struct ckpt_hdr_tcp *ckpt_tcp_queues(struct ckpt_ctx *ctx,
					    struct socket *sock, int objref)
{
	struct ckpt_tcp_seqs a, b;
	struct ckpt_hdr_tcp *h;
	int err, tries, outq, unsent;
	bool out, in;

	for (tries = 0; tries < 4; tries++) {
		err = ckpt_tcp_seqs(sock->sk, &a);
		if (err)
			return ERR_PTR(err);
		if (!ckpt_tcp_fins(sock->sk, &out, &in) || a.urg)
			return ERR_PTR(ckpt_err(ctx, -EAGAIN,
						"TCP connection %d: its state changed or it received urgent data during the checkpoint",
						objref));
		if (a.outq < 0 || a.inq < 0 || a.unsent < 0 ||
		    a.unsent > a.outq ||
		    (u64)a.outq + a.inq > CKPT_RECORD_MAX - sizeof(*h))
			return ERR_PTR(ckpt_err(ctx, -E2BIG,
						"TCP connection %d: %d bytes queued to send and %d to read, more than a record holds",
						objref, a.outq, a.inq));
		/*
		 * Our FIN takes the last sequence number written, and counts
		 * in both queue lengths until it is acknowledged or sent;
		 * the peer's took the one after the bytes received.
		 */
		outq = out && a.outq ? a.outq - 1 : a.outq;
		unsent = out && a.unsent ? a.unsent - 1 : a.unsent;
		/* ckpt_write_obj() writes the padding too */
		h = kvzalloc(ckpt_padded(sizeof(*h) + outq + a.inq),
			     GFP_KERNEL);
		if (!h)
			return ERR_PTR(-ENOMEM);
		err = ckpt_tcp_peek(sock, TCP_SEND_QUEUE, h->data, outq) ?:
		      ckpt_tcp_peek(sock, TCP_RECV_QUEUE, h->data + outq,
				    a.inq) ?:
		      ckpt_tcp_seqs(sock->sk, &b);
		if (!err && !memcmp(&a, &b, sizeof(a))) {
			h->snd_wl1 = a.w.snd_wl1;
			h->snd_wnd = a.w.snd_wnd;
			h->max_window = a.w.max_window;
			h->rcv_wnd = a.w.rcv_wnd;
			h->rcv_wup = a.w.rcv_wup;
			h->snd_seq = a.write_seq - out - outq;
			h->rcv_seq = a.rcv_nxt - in - a.inq;
			h->snd_len = outq;
			h->unsent = unsent;
			h->rcv_len = a.inq;
			if (out)
				h->flags |= CKPT_TCP_FIN_SENT;
			if (in)
				h->flags |= CKPT_TCP_FIN_RCVD;
			return h;
		}
		kvfree(h);
		if (err && err != -EAGAIN)
			return ERR_PTR(err);
	}
	return ERR_PTR(ckpt_err(ctx, -EAGAIN,
				"TCP connection %d: its queues kept changing during the checkpoint",
				objref));
}

static int ckpt_tcp_state(struct sock *sk, struct ckpt_hdr_tcp *h)
{
	struct tcp_info ti;
	int err;

	err = ckpt_tcp_get(sk, TCP_TIMESTAMP, &h->timestamp, 4) ?:
	      ckpt_tcp_get(sk, TCP_MAXSEG, &h->mss, 4);
	if (err)
		return err;
	tcp_get_info(sk, &ti);
	if (ti.tcpi_options & TCPI_OPT_SACK)
		h->flags |= CKPT_TCP_SACK;
	if (ti.tcpi_options & TCPI_OPT_TIMESTAMPS)
		h->flags |= CKPT_TCP_TIMESTAMPS;
	if (ti.tcpi_options & TCPI_OPT_WSCALE) {
		h->flags |= CKPT_TCP_WSCALE;
		h->snd_wscale = ti.tcpi_snd_wscale;
		h->rcv_wscale = ti.tcpi_rcv_wscale;
	}
	h->sndbuf = READ_ONCE(sk->sk_sndbuf);
	h->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	return 0;
}

/* Out of repair mode, which also clears SO_REUSEADDR: give it back. */
static int ckpt_tcp_repair_off(struct socket *sock, bool reuse, int how)
{
	int one = 1;
	int err;

	err = ckpt_tcp_set(sock->sk, TCP_REPAIR, how);
	if (!err && reuse)
		err = do_sock_setsockopt(sock, false, SOL_SOCKET, SO_REUSEADDR,
					 KERNEL_SOCKPTR(&one), sizeof(one));
	return err;
}

/**
 * checkpoint_tcp - write the TCP record of an established connection
 * @ctx: checkpoint context
 * @file: the socket's file
 * @objref: its objref, whose SOCKET record was just written
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_tcp(struct ckpt_ctx *ctx, struct file *file, int objref)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock->sk;
	struct ckpt_tcp_conn *c = NULL;
	bool reuse = sk->sk_reuse == SK_CAN_REUSE;
	struct ckpt_hdr_tcp *h;
	int err;

	err = ckpt_tcp_set(sk, TCP_REPAIR, TCP_REPAIR_ON);
	if (err)
		return ckpt_err(ctx, err,
				"TCP connection %d: entering repair mode, which needs CAP_NET_ADMIN",
				objref);
	h = ckpt_tcp_queues(ctx, sock, objref);
	if (IS_ERR(h)) {
		err = PTR_ERR(h);
		h = NULL;
	} else {
		h->objref = objref;
		err = ckpt_tcp_state(sk, h);
		if (err)
			ckpt_err(ctx, err, "TCP connection %d: reading its state",
				 objref);
	}
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_TCP, h,
				     sizeof(*h) + h->snd_len + h->rcv_len);
	kvfree(h);
	if (!err && ctx->flags & CHECKPOINT_TCP_QUIET) {
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			err = -ENOMEM;
	}
	if (c) {
		c->file = get_file(file);
		c->reuse = reuse;
		list_add_tail(&c->list, &ctx->tcp);
	} else {
		ckpt_tcp_repair_off(sock, reuse, TCP_REPAIR_OFF_NO_WP);
	}
	return err;
}

static void ckpt_tcp_conn_free(struct ckpt_tcp_conn *c)
{
	list_del(&c->list);
	fput(c->file);
	if (c->cred)
		put_cred(c->cred);
	kvfree(c->data);
	kfree(c);
}

/**
 * ckpt_tcp_undo - a failed checkpoint: the quiet connections resume
 * @ctx: checkpoint context
 */
void ckpt_tcp_undo(struct ckpt_ctx *ctx)
{
	struct ckpt_tcp_conn *c, *n;

	list_for_each_entry_safe(c, n, &ctx->tcp, list) {
		ckpt_tcp_repair_off(sock_from_file(c->file), c->reuse,
				    TCP_REPAIR_OFF_NO_WP);
		ckpt_tcp_conn_free(c);
	}
}

/**
 * ckpt_tcp_release - drop what the connections list holds
 * @ctx: checkpoint or restart context
 *
 * A failed restart's connections, still in repair mode, close without a
 * word to their peers.
 */
void ckpt_tcp_release(struct ckpt_ctx *ctx)
{
	struct ckpt_tcp_conn *c, *n;

	list_for_each_entry_safe(c, n, &ctx->tcp, list)
		ckpt_tcp_conn_free(c);
}

/* restart */

/**
 * restore_tcp_repair - put a new socket in repair mode, before it binds
 * @sock: the socket, made as the restored task
 *
 * Return: 0, or -EPERM without CAP_NET_ADMIN.
 */
int restore_tcp_repair(struct socket *sock)
{
	return ckpt_tcp_set(sock->sk, TCP_REPAIR, TCP_REPAIR_ON);
}

static bool restore_tcp_valid(const struct ckpt_hdr_tcp *t, u32 objref)
{
	return t->objref == objref && !(t->flags & ~CKPT_TCP_FLAGS) &&
	       !t->_pad && t->mss && t->mss <= U16_MAX &&
	       t->snd_wscale <= TCP_MAX_WSCALE &&
	       t->rcv_wscale <= TCP_MAX_WSCALE &&
	       (t->flags & CKPT_TCP_WSCALE || (!t->snd_wscale &&
						!t->rcv_wscale)) &&
	       t->unsent <= t->snd_len && t->sndbuf <= INT_MAX &&
	       t->rcvbuf <= INT_MAX &&
	       t->h.len == sizeof(*t) + (u64)t->snd_len + t->rcv_len;
}

/* sendmsg(2) of all @len bytes, in repair mode to the queue chosen. */
static int restore_tcp_send(struct socket *sock, const u8 *data, u32 len)
{
	int n;

	while (len) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct kvec iov = { (void *)data, len };

		n = kernel_sendmsg(sock, &msg, &iov, 1, len);
		if (n < 0)
			return n;
		if (!n)
			return -EAGAIN;
		data += n;
		len -= n;
		cond_resched();
	}
	return 0;
}

/* A buffer smaller than what it held: as SO_*BUFFORCE would set it. */
static int restore_tcp_buf(struct socket *sock, int opt, int cur, u32 then,
			   u32 queued)
{
	int val = then / 2;

	if (!queued || then <= cur)
		return 0;
	return do_sock_setsockopt(sock, false, SOL_SOCKET, opt,
				  KERNEL_SOCKPTR(&val), sizeof(val));
}

static int restore_tcp_options(struct sock *sk, const struct ckpt_hdr_tcp *t)
{
	struct tcp_repair_opt o[4];
	int n = 0;

	o[n].opt_code = TCPOPT_MSS;
	o[n++].opt_val = t->mss;
	/* 0 and 0 without scaling: connect() chose a scale of its own */
	o[n].opt_code = TCPOPT_WINDOW;
	o[n++].opt_val = t->snd_wscale | t->rcv_wscale << 16;
	if (t->flags & CKPT_TCP_SACK) {
		o[n].opt_code = TCPOPT_SACK_PERM;
		o[n++].opt_val = 0;
	}
	if (t->flags & CKPT_TCP_TIMESTAMPS) {
		o[n].opt_code = TCPOPT_TIMESTAMP;
		o[n++].opt_val = 0;
	}
	return do_tcp_setsockopt(sk, SOL_TCP, TCP_REPAIR_OPTIONS,
				 KERNEL_SOCKPTR(o), n * sizeof(o[0]));
}

/* The connection itself, its options, unread bytes and windows. */
static int restore_tcp_conn(struct ckpt_ctx *ctx, struct file *file,
			    const struct ckpt_hdr_socket *h,
			    const struct ckpt_hdr_tcp *t, const char **what)
{
	struct socket *sock = sock_from_file(file);
	struct sock *sk = sock->sk;
	struct tcp_repair_window w = {
		.snd_wl1 = t->snd_wl1, .snd_wnd = t->snd_wnd,
		.max_window = t->max_window, .rcv_wnd = t->rcv_wnd,
		.rcv_wup = t->rcv_wup,
	};
	struct sockaddr_storage ss = {};
	int err;

	*what = "setting its sequence numbers";
	err = ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) ?:
	      ckpt_tcp_set(sk, TCP_QUEUE_SEQ, t->snd_seq) ?:
	      ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) ?:
	      ckpt_tcp_set(sk, TCP_QUEUE_SEQ, t->rcv_seq);
	if (err)
		return err;
	*what = "connecting it to its peer again";
	memcpy(&ss, h->peer, h->peer_len);
	err = __sys_connect_file(file, &ss, h->peer_len, O_NONBLOCK);
	if (err)
		return err;
	*what = "setting its TCP options";
	err = restore_tcp_options(sk, t) ?:
	      ckpt_tcp_set(sk, TCP_TIMESTAMP, t->timestamp);
	if (err)
		return err;
	*what = "growing its buffers";
	err = restore_tcp_buf(sock, SO_SNDBUFFORCE, READ_ONCE(sk->sk_sndbuf),
			      t->sndbuf, t->snd_len) ?:
	      restore_tcp_buf(sock, SO_RCVBUFFORCE, READ_ONCE(sk->sk_rcvbuf),
			      t->rcvbuf, t->rcv_len);
	if (err)
		return err;
	*what = "queueing its unread bytes";
	err = ckpt_tcp_set(sk, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE) ?:
	      restore_tcp_send(sock, t->data + t->snd_len, t->rcv_len);
	if (err)
		return err;
	/* before the windows, which were read with it counted */
	*what = "receiving its peer's FIN";
	if (t->flags & CKPT_TCP_FIN_RCVD) {
		err = tcp_repair_fin_rcvd(sk);
		if (err)
			return err;
	}
	*what = "setting its windows";
	err = do_tcp_setsockopt(sk, SOL_TCP, TCP_REPAIR_WINDOW,
				KERNEL_SOCKPTR(&w), sizeof(w));
	if (err)
		return err;
	/* the segment size from the peer's and the windows, not connect()'s */
	lock_sock(sk);
	tcp_sync_mss(sk, inet_csk(sk)->icsk_pmtu_cookie);
	release_sock(sk);
	return 0;
}

/**
 * restore_tcp_connect - make a connection again from its TCP record
 * @ctx: restart context
 * @file: the socket, in repair mode and bound, as the restored task
 * @h: its SOCKET record, checked
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_tcp_connect(struct ckpt_ctx *ctx, struct file *file,
			const struct ckpt_hdr_socket *h)
{
	struct ckpt_hdr_tcp *t;
	struct ckpt_tcp_conn *c;
	const char *what;
	int err;

	t = ckpt_read_obj(ctx, CKPT_HDR_TCP, sizeof(*t), CKPT_RECORD_MAX);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (!restore_tcp_valid(t, h->objref)) {
		kvfree(t);
		return ckpt_err(ctx, -EBADMSG,
				"TCP connection %u: malformed record",
				h->objref);
	}
	err = restore_tcp_conn(ctx, file, h, t, &what);
	c = err ? NULL : kzalloc(sizeof(*c), GFP_KERNEL);
	if (!err && !c) {
		what = "keeping its state";
		err = -ENOMEM;
	}
	if (c && t->snd_len) {
		what = "keeping its send queue";
		c->data = kvmemdup(t->data, t->snd_len, GFP_KERNEL);
		if (!c->data)
			err = -ENOMEM;
	}
	if (err) {
		kfree(c);
		kvfree(t);
		return ckpt_err(ctx, err, "TCP connection %u: %s", h->objref,
				what);
	}
	c->file = get_file(file);
	c->cred = get_current_cred();
	c->len = t->snd_len;
	c->unsent = t->unsent;
	c->reuse = h->flags & CKPT_SOCK_REUSEADDR;
	c->fin = t->flags & CKPT_TCP_FIN_SENT;
	list_add_tail(&c->list, &ctx->tcp);
	kvfree(t);
	return 0;
}

/**
 * restore_tcp_finish - queue the bytes the peers did not acknowledge
 * @ctx: restart context, every object of the image made
 *
 * They are queued as sent, in repair mode, for every connection before
 * any of them leaves it: no byte goes out before the restart's point of
 * no return, and none to a peer of the tree whose queue is not whole.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_tcp_finish(struct ckpt_ctx *ctx)
{
	struct ckpt_tcp_conn *c;
	const struct cred *old;
	struct socket *sock;
	int err = 0;

	list_for_each_entry(c, &ctx->tcp, list) {
		sock = sock_from_file(c->file);
		old = override_creds(c->cred);
		err = ckpt_tcp_set(sock->sk, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE) ?:
		      restore_tcp_send(sock, c->data, c->len - c->unsent);
		ckpt_tcp_set(sock->sk, TCP_REPAIR_QUEUE, TCP_NO_QUEUE);
		revert_creds(old);
		if (err)
			return ckpt_err(ctx, err,
					"a TCP connection: queueing the %u bytes its peer did not acknowledge",
					c->len - c->unsent);
	}
	return 0;
}

/**
 * restore_tcp_resume - let the restored connections talk again
 * @ctx: restart context, past its point of no return
 *
 * Each leaves repair mode with a window probe and writes the bytes it
 * had not sent, then its FIN if it had queued one.  What fails now is logged: the connection is the
 * restored task's, which sees the error as the connection's own.
 */
void restore_tcp_resume(struct ckpt_ctx *ctx)
{
	struct ckpt_tcp_conn *c, *n;
	const struct cred *old;
	struct socket *sock;
	int err;

	list_for_each_entry_safe(c, n, &ctx->tcp, list) {
		sock = sock_from_file(c->file);
		old = override_creds(c->cred);
		err = ckpt_tcp_repair_off(sock, c->reuse, TCP_REPAIR_OFF);
		if (!err)
			err = restore_tcp_send(sock, c->data + c->len - c->unsent,
					       c->unsent);
		/* our FIN again, after them: the peer acknowledges it again */
		if (!err && c->fin)
			err = kernel_sock_shutdown(sock, SHUT_WR);
		revert_creds(old);
		if (err)
			ckpt_err(ctx, err,
				 "a TCP connection: leaving repair mode, sending its %u unsent bytes%s",
				 c->unsent, c->fin ? " and its FIN" : "");
		ckpt_tcp_conn_free(c);
	}
}
