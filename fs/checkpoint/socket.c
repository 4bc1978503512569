// SPDX-License-Identifier: GPL-2.0
/*
 * AF_UNIX socket pairs for checkpoint/restart.
 *
 * Two connected sockets, as socketpair(2) makes them (or as a fork
 * shares them), or as connect(2) and accept(2) made them, are one
 * object: the UNIX_PAIR record holds both ends' options and shutdown
 * state and the data queued for each.  An accepted socket has its
 * listener's address: the listener, restored first, names it again.
 * A connection not accepted yet has no socket on the listener's side,
 * only a sock in the listener's backlog: restart connects the client
 * to the restored listener again, in backlog order.
 * The data is copied from each socket's queue under its lock, nothing
 * consumed, message by message (what a stream's reader left of a chunk,
 * each datagram or record whole); restart sends each end's data from
 * the other end, which queues it as it was.  Files in flight (SCM_RIGHTS)
 * are saved as FILEs before the pair and passed again with the message
 * that carried them.  Every end must be held by an fd inside the
 * checkpoint, or be in flight to a socket that is.
 */
#include <linux/bsearch.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/time64.h>
#include <linux/uio.h>
#include <net/af_unix.h>
#include <net/scm.h>
#include <net/sock.h>

#include "internal.h"

/* A restored pair: its two files, until the FILE records take them. */
struct ckpt_unix_pair {
	struct file *end[2];
	u64 ino[2];
};

static struct sock *ckpt_unix_sk(struct file *file)
{
	struct unix_sock *u = unix_get_socket(file);

	return u ? &u->sk : NULL;
}

static bool ckpt_is_unix(struct file *file)
{
	return ckpt_unix_sk(file);
}

/*
 * An end its process closed, whose peer still holds it: the peer reads
 * what it sent before it closed, then end of file (a stream) or nothing
 * more (a datagram socket, whose sends fail).
 */
static bool ckpt_unix_closed(struct sock *sk)
{
	return !sk->sk_socket && sock_flag(sk, SOCK_DEAD);
}

/*
 * The peer of a connected pair's @sk, referenced, or NULL.  A datagram
 * socket connected to one that is not connected back to it, or to its
 * own name, is no pair: a SOCKET record saves it with the name it
 * connected to (sock.c).
 */
static struct sock *ckpt_unix_peer(struct sock *sk)
{
	struct sock *peer;

	if (sk->sk_state != TCP_ESTABLISHED)
		return NULL;
	peer = unix_peer_get(sk);
	/* a closed peer's own peer is gone: one without a name was a pair */
	if (peer && sk->sk_type == SOCK_DGRAM &&
	    (peer == sk || (ckpt_unix_closed(peer) ?
			    !!READ_ONCE(unix_sk(peer)->addr) :
			    READ_ONCE(unix_peer(peer)) != sk))) {
		sock_put(peer);
		return NULL;
	}
	return peer;
}

/*
 * A connection not accepted yet: the socket connect(2) made for the
 * listener's side, which waits in the listener's backlog with no
 * socket or file until accept(2).  A closed end is dead instead.
 */
static bool ckpt_unix_embryo(struct sock *sk)
{
	return !sk->sk_socket && !sock_flag(sk, SOCK_DEAD) &&
	       READ_ONCE(sk->sk_state) == TCP_ESTABLISHED;
}

/**
 * ckpt_unix_conns - the connections waiting in a listener's backlog
 * @l: a listening AF_UNIX socket
 * @n: set to how many the array holds: at most the listener's bound
 *
 * Return: a kvmalloc'ed array of them in the order accept(2) takes them,
 * each referenced (the socket connect(2) made, whose peer is the
 * connecting socket), or NULL; ckpt_unix_conns_put() frees it.
 */
struct sock **ckpt_unix_conns(struct sock *l, unsigned int *n)
{
	unsigned int max = READ_ONCE(l->sk_max_ack_backlog) + 1;
	struct sock **conns;
	struct sk_buff *skb;

	conns = kvmalloc_array(max, sizeof(*conns), GFP_KERNEL);
	if (!conns)
		return NULL;
	*n = 0;
	spin_lock(&l->sk_receive_queue.lock);
	skb_queue_walk(&l->sk_receive_queue, skb) {
		if (*n == max)
			break;
		sock_hold(skb->sk);
		conns[(*n)++] = skb->sk;
	}
	spin_unlock(&l->sk_receive_queue.lock);
	return conns;
}

void ckpt_unix_conns_put(struct sock **conns, unsigned int n)
{
	while (n--)
		sock_put(conns[n]);
	kvfree(conns);
}

/* What checkpoint cannot save of one end: its reason, or NULL. */
static const char *ckpt_unix_end_unsupported(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	if (sock ? !sock->file : !ckpt_unix_embryo(sk) && !ckpt_unix_closed(sk))
		return "its other end is closed";
	/* closed: nothing of its own is left but its name */
	if (!sock && ckpt_unix_closed(sk))
		return NULL;
	/* an address: ckpt_unix_name_check() looks for its listener */
	if (sk->sk_type != SOCK_STREAM && sk->sk_type != SOCK_DGRAM &&
	    sk->sk_type != SOCK_SEQPACKET)
		return "its type";
#if IS_ENABLED(CONFIG_AF_UNIX_OOB)
	if (READ_ONCE(unix_sk(sk)->oob_skb))
		return "out-of-band data is queued";
#endif
	if (sock && (test_bit(SOCK_PASSSEC, &sock->flags) ||
		     test_bit(SOCK_PASSPIDFD, &sock->flags)))
		return "SO_PASSSEC or SO_PASSPIDFD is set";
	if (rcu_access_pointer(sk->sk_filter))
		return "a socket filter is attached";
	if (sock_flag(sk, SOCK_RCVTSTAMP))
		return "SO_TIMESTAMP is set";
	/* the files in flight to a socket: ckpt_unix_inflight_check() */
	if (!sock && atomic_read(&unix_sk(sk)->scm_stat.nr_fds))
		return "file descriptors (SCM_RIGHTS) in flight to a connection not accepted yet";
	if (sock && test_bit(SOCK_PASSCRED, &sock->flags) &&
	    skb_queue_len_lockless(&sk->sk_receive_queue))
		return "credentials (SO_PASSCRED) to pass with queued data";
	if (READ_ONCE(sk->sk_rcvlowat) > 1 || READ_ONCE(sk->sk_mark) ||
	    READ_ONCE(sk->sk_priority) || READ_ONCE(sk->sk_err))
		return "SO_RCVLOWAT, SO_MARK, SO_PRIORITY or a pending error";
	return NULL;
}

/**
 * ckpt_unix_conn_unsupported - can a connection waiting in a backlog be
 * saved?
 * @conn: the socket connect(2) made for the listener's side
 *
 * Return: NULL, or the reason it cannot.
 */
const char *ckpt_unix_conn_unsupported(struct sock *conn)
{
	struct sock *client = unix_peer_get(conn);
	const char *no;

	if (!client || !ckpt_unix_embryo(conn) ||
	    READ_ONCE(unix_peer(client)) != conn)
		no = "a connection whose socket was closed waits in its backlog";
	else
		no = ckpt_unix_end_unsupported(conn) ?:
		     ckpt_unix_end_unsupported(client);
	if (client)
		sock_put(client);
	return no;
}

/*
 * The files the messages queued for @sk pass (SCM_RIGHTS), each
 * referenced, in a kvmalloc'ed array of *@n, NULL if none, or an ERR_PTR.
 */
static struct file **ckpt_unix_inflight(struct sock *sk, unsigned int *n)
{
	unsigned int max = atomic_read(&unix_sk(sk)->scm_stat.nr_fds);
	struct scm_fp_list *fp;
	struct file **files;
	struct sk_buff *skb;
	int i;

	*n = 0;
	if (!max)
		return NULL;
	files = kvmalloc_array(max, sizeof(*files), GFP_KERNEL);
	if (!files)
		return ERR_PTR(-ENOMEM);
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		fp = UNIXCB(skb).fp;
		for (i = 0; fp && i < fp->count && *n < max; i++)
			files[(*n)++] = get_file(fp->fp[i]);
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return files;
}

/* The files in flight to an end of a pair (ckpt_file_ops.in_flight). */
static struct file **ckpt_unix_in_flight(struct file *file, unsigned int *n)
{
	return ckpt_unix_inflight(ckpt_unix_sk(file), n);
}

/* Does a socket of @file's pair have files in flight to it? */
static bool ckpt_unix_carries(struct file *file)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;
	bool carries;

	if (!sk)
		return false;
	carries = atomic_read(&unix_sk(sk)->scm_stat.nr_fds);
	peer = unix_peer_get(sk);
	if (peer) {
		carries |= atomic_read(&unix_sk(peer)->scm_stat.nr_fds);
		sock_put(peer);
	}
	return carries;
}

/*
 * Can a file in flight be saved?  Its FILE record goes before the
 * record of the pair it waits in.  A socket in flight that carries
 * files itself could lead back to that pair (over itself, say), and an
 * epoll file's watches are saved with an fd table: both are refused.
 * Locks of a file in flight have no fd table to be saved with.
 */
static int ckpt_unix_inflight_file(struct file *file, char *why, size_t len)
{
	const struct ckpt_file_ops *ops;
	int kind = ckpt_file_kind(file);

	ops = kind > 0 ? ckpt_file_ops_of(kind) : NULL;
	if (ops && (ops->in_table || ops->after_table)) {
		snprintf(why, len, "an epoll file is in flight");
		return -EOPNOTSUPP;
	}
	if (ckpt_unix_carries(file)) {
		snprintf(why, len,
			 "a socket in flight has file descriptors in flight itself");
		return -EOPNOTSUPP;
	}
	if (ckpt_file_has_locks(file)) {
		snprintf(why, len, "a file in flight holds flock or OFD locks");
		return -EOPNOTSUPP;
	}
	return ckpt_file_supported(file, why, len);
}

/* The files in flight to @sk: can each be saved? */
static int ckpt_unix_inflight_check(struct sock *sk, char *why, size_t len)
{
	struct file **files;
	unsigned int n, i;
	char *what;
	int err = 0;

	files = ckpt_unix_inflight(sk, &n);
	if (IS_ERR(files)) {
		snprintf(why, len, "out of memory");
		return PTR_ERR(files);
	}
	what = files ? kmalloc(len, GFP_KERNEL) : NULL;
	if (files && !what) {
		snprintf(why, len, "out of memory");
		err = -ENOMEM;
	}
	for (i = 0; i < n && !err; i++) {
		err = ckpt_unix_inflight_file(files[i], what, len);
		if (err)
			snprintf(why, len,
				 "AF_UNIX socket: file descriptor in flight: %s",
				 what);
	}
	kfree(what);
	ckpt_files_put(files, n);
	return err;
}

/*
 * What a stream's shutdown(2) gives its peer: one end's send side is
 * the other's receive side.
 */
static u32 ckpt_unix_mirror(u32 shutdown)
{
	return (shutdown & RCV_SHUTDOWN ? SEND_SHUTDOWN : 0) |
	       (shutdown & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0);
}

/**
 * ckpt_unix_supported - can this AF_UNIX socket be checkpointed?
 * @file: an AF_UNIX socket
 * @why: filled with a short reason when it cannot
 * @len: size of @why
 *
 * Return: 0 or -EOPNOTSUPP.
 */
static int ckpt_unix_supported(struct file *file, char *why, size_t len)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;
	const char *no;
	int err;

	if (!sk)
		return -EOPNOTSUPP;
	peer = ckpt_unix_peer(sk);
	if (!peer) {
		snprintf(why, len,
			 "AF_UNIX socket that is not one of a connected pair (bound, listening or unconnected)");
		return -EOPNOTSUPP;
	}
	no = ckpt_unix_end_unsupported(sk);
	if (!no && !ckpt_unix_closed(peer) && unix_peer(peer) != sk)
		no = "its peer is connected elsewhere";
	if (!no && sk->sk_type != SOCK_DGRAM &&
	    ckpt_unix_mirror(READ_ONCE(sk->sk_shutdown)) !=
	    READ_ONCE(peer->sk_shutdown))
		no = "its shutdown state is not its peer's mirror (shut down before it connected)";
	if (!no)
		no = ckpt_unix_end_unsupported(peer);
	if (no) {
		sock_put(peer);
		snprintf(why, len, "AF_UNIX socket: %s", no);
		return -EOPNOTSUPP;
	}
	err = ckpt_unix_inflight_check(sk, why, len);
	if (!err && peer->sk_socket)
		err = ckpt_unix_inflight_check(peer, why, len);
	sock_put(peer);
	return err;
}

/*
 * Is @listener the listening socket that @conn was accepted from?  An
 * accepted socket shares its listener's address, which never changes.
 * The addresses are compared, not read.
 */
static bool ckpt_unix_listens_for(struct file *listener, void *conn)
{
	struct sock *l = ckpt_unix_sk(listener), *sk = conn;

	return l && l != sk && READ_ONCE(l->sk_state) == TCP_LISTEN &&
	       l->sk_type == sk->sk_type &&
	       READ_ONCE(unix_sk(l)->addr) == READ_ONCE(unix_sk(sk)->addr);
}

/* Is @sk named, and its listener none of @files? */
static bool ckpt_unix_orphan_name(struct sock *sk, struct file **files,
				  unsigned int nr)
{
	unsigned int i;

	if (!READ_ONCE(unix_sk(sk)->addr))
		return false;
	for (i = 0; i < nr; i++)
		if (ckpt_unix_listens_for(files[i], sk))
			return false;
	return true;
}

/**
 * ckpt_unix_name_check - is the name of a connection's ends saved?
 * @file: an AF_UNIX socket of a connected pair
 * @files: the open files of the checkpoint
 * @nr: how many
 *
 * An end with an address must be one accept(2) returned, and its
 * listener must be in the checkpoint: restart names it after the
 * restored listener.  A socket bound to a name of its own before it
 * connected is not saved.
 *
 * Return: NULL or the reason it is refused.
 */
static const char *ckpt_unix_name_check(struct file *file,
					struct file **files, unsigned int nr)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;
	const char *no = NULL;

	peer = sk ? ckpt_unix_peer(sk) : NULL;
	if (!peer)
		return NULL;	/* ckpt_unix_supported() says why */
	if (ckpt_unix_orphan_name(sk, files, nr) ||
	    ckpt_unix_orphan_name(peer, files, nr))
		no = "it or its peer is named, with no listener in the checkpoint";
	sock_put(peer);
	return no;
}

/**
 * ckpt_unix_peer_file - the open file of a socket's peer
 * @file: an AF_UNIX socket of a connected pair
 *
 * Compared, never used: no reference is taken.
 *
 * Return: the peer's file or NULL.
 */
struct file *ckpt_unix_peer_file(struct file *file)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;
	struct file *pf = NULL;

	peer = sk ? ckpt_unix_peer(sk) : NULL;
	if (peer && peer->sk_socket)
		pf = peer->sk_socket->file;
	if (peer)
		sock_put(peer);
	return pf;
}

/**
 * ckpt_unix_paired - is @file an end of a connected pair?
 * @file: an open file
 *
 * Its peer may have a file, wait in a listener's backlog (no accept
 * yet) or have been closed: the UNIX_PAIR record saves each; other
 * AF_UNIX sockets are SOCKETs.
 *
 * Return: whether it is.
 */
bool ckpt_unix_paired(struct file *file)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;

	peer = sk ? ckpt_unix_peer(sk) : NULL;
	if (peer)
		sock_put(peer);
	return peer;
}

/**
 * ckpt_unix_key - the object a pair is known by: its lower sock, or the
 * open one if the other was closed
 * @file: an AF_UNIX socket of a connected pair
 *
 * Return: the struct sock (the file holds it) or NULL.
 */
static void *ckpt_unix_key(struct file *file)
{
	struct sock *sk = ckpt_unix_sk(file), *peer;
	void *key;

	peer = sk ? ckpt_unix_peer(sk) : NULL;
	if (!peer)
		return NULL;
	/* a closed end has no peer of its own any more */
	key = ckpt_unix_closed(peer) ? sk : min(sk, peer);
	sock_put(peer);
	return key;
}

static void ckpt_unix_grab(void *ptr)
{
	sock_hold(ptr);
}

static void ckpt_unix_drop(void *ptr)
{
	sock_put(ptr);
}

/**
 * ckpt_unix_queue_init - make room for queued messages in a record
 * @q: the queue
 * @rec: the record's buffer, CKPT_RECORD_MAX bytes
 * @lens: its array of message lengths, at the end of the fixed part
 * @max_fds: the files in flight it may hold: room for their entries is
 *	kept too, in an array of their own (ckpt_unix_queue_free())
 *
 * Return: 0 or -ENOMEM.
 */
int ckpt_unix_queue_init(struct ckpt_unix_queue *q, void *rec, u32 *lens,
			 u32 max_fds)
{
	memset(q, 0, sizeof(*q));
	q->max_msgs = CKPT_UNIX_MSGS_MAX;
	q->lens = lens;
	/* the lengths and entries go first: leave room for all that may come */
	q->data = (char *)lens + q->max_msgs * sizeof(u32) +
		  max_fds * sizeof(struct ckpt_unix_fd);
	q->max_bytes = CKPT_RECORD_MAX - (q->data - (char *)rec) - 1;
	if (!max_fds)
		return 0;
	q->fds = kvcalloc(max_fds, sizeof(*q->fds), GFP_KERNEL);
	q->files = kvcalloc(max_fds, sizeof(*q->files), GFP_KERNEL);
	if (!q->fds || !q->files) {
		ckpt_unix_queue_free(q);
		return -ENOMEM;
	}
	q->max_fds = max_fds;
	return 0;
}

/**
 * ckpt_unix_queue_free - drop the files in flight a queue holds
 * @q: the queue
 */
void ckpt_unix_queue_free(struct ckpt_unix_queue *q)
{
	u32 i;

	for (i = 0; i < q->nr_fds; i++)
		fput(q->files[i]);
	kvfree(q->files);
	kvfree(q->fds);
	q->files = NULL;
	q->fds = NULL;
	q->nr_fds = 0;
}

/**
 * ckpt_unix_queue_pack - put the entries and the data right after the
 * messages' lengths
 * @q: the queue, filled by ckpt_unix_read_queue()
 * @rec: the record it is in
 *
 * The lengths are padded to 8 bytes with zeroes, and the record's own
 * padding is zeroed in the buffer, which it is written from too.
 *
 * Return: the record's length.
 */
size_t ckpt_unix_queue_pack(struct ckpt_unix_queue *q, void *rec)
{
	size_t lens_len = round_up(q->nr_msgs * sizeof(u32), 8), len;
	size_t fds_len = q->nr_fds * sizeof(*q->fds);
	char *to = (char *)q->lens + lens_len;

	memset((char *)q->lens + q->nr_msgs * sizeof(u32), 0,
	       lens_len - q->nr_msgs * sizeof(u32));
	/* the data lies above where the lengths and entries may reach */
	memmove(to + fds_len, q->data, q->nr_bytes);
	if (fds_len)
		memcpy(to, q->fds, fds_len);
	len = (to - (char *)rec) + fds_len + q->nr_bytes;
	memset((char *)rec + len, 0, round_up(len, 8) - len);
	return len;
}

/* The files a queued message passes (SCM_RIGHTS), referenced into @q. */
static int ckpt_unix_take_fds(struct ckpt_unix_queue *q, struct sk_buff *skb)
{
	struct scm_fp_list *fp = UNIXCB(skb).fp;
	int i;

	if (!fp)
		return 0;
	if (fp->count > q->max_fds - q->nr_fds)
		return -EAGAIN;	/* more than when the room was made */
	for (i = 0; i < fp->count; i++) {
		q->fds[q->nr_fds].msg = q->nr_msgs;
		q->files[q->nr_fds++] = get_file(fp->fp[i]);
	}
	return 0;
}

/**
 * ckpt_unix_read_queue - copy what is queued for an AF_UNIX socket
 * @ctx: checkpoint context
 * @sk: the socket
 * @q: where the messages go (their lengths, data and files in flight)
 * @nr_msgs: set to how many messages were queued for @sk
 * @nr_bytes: set to how many bytes
 * @nr_fds: set to how many files in flight they pass
 * @unnamed: each message must come from a socket without a name (a
 *	restored datagram socket gets its messages again from unnamed
 *	sockets)
 *
 * The queue is read under its lock, nothing is consumed: a datagram or
 * record is one message, from what a stream's reader left of its first
 * chunk (UNIXCB().consumed) on.  A stream's chunks are joined, but one
 * that passes files is a message of its own, for a read stops after it
 * (and the files go with its first byte).  The entries of @q name each
 * file by the message it goes with; its objref is for the caller.
 *
 * Return: 0 or a negative errno (logged).
 */
int ckpt_unix_read_queue(struct ckpt_ctx *ctx, struct sock *sk,
			 struct ckpt_unix_queue *q, u32 *nr_msgs,
			 u64 *nr_bytes, u32 *nr_fds, bool unnamed)
{
	bool stream = sk->sk_type == SOCK_STREAM, join = false;
	u32 fds_before = q->nr_fds;
	const char *no = NULL;
	struct sk_buff *skb;
	int err = 0;

	*nr_msgs = 0;
	*nr_bytes = 0;
	*nr_fds = 0;
	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		u32 off = UNIXCB(skb).consumed, n = skb->len - off;
		bool fds = UNIXCB(skb).fp;

		if (unnamed && skb->sk && READ_ONCE(unix_sk(skb->sk)->addr)) {
			no = "a datagram from a named socket is queued";
			break;
		}
		if (fds && !q->max_fds) {
			no = "file descriptors (SCM_RIGHTS) in flight";
			break;
		}
		/* what a stream's reader took all of waits to be freed */
		if (stream && !n && !fds)
			continue;
		if (n > q->max_bytes - q->nr_bytes ||
		    (!(join && !fds) && q->nr_msgs == q->max_msgs)) {
			err = -E2BIG;
			break;
		}
		if (skb_copy_bits(skb, off, q->data + q->nr_bytes, n)) {
			err = -EFAULT;
			break;
		}
		if (join && !fds) {
			q->lens[q->nr_msgs - 1] += n;
		} else {
			err = ckpt_unix_take_fds(q, skb);
			if (err)
				break;
			q->lens[q->nr_msgs++] = n;
			(*nr_msgs)++;
		}
		join = stream && !fds;
		q->nr_bytes += n;
		*nr_bytes += n;
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	*nr_fds = q->nr_fds - fds_before;
	if (no)
		return ckpt_err(ctx, -EOPNOTSUPP, "AF_UNIX socket: %s", no);
	if (err == -E2BIG)
		return ckpt_err(ctx, err,
				"AF_UNIX socket: more than %zu bytes or %u messages queued",
				q->max_bytes, q->max_msgs);
	if (err == -EAGAIN)
		return ckpt_err(ctx, err,
				"AF_UNIX socket: file descriptors came in flight during the checkpoint");
	if (err)
		return ckpt_err(ctx, err, "AF_UNIX socket: reading its queue");
	return 0;
}

/**
 * ckpt_sock_timeo_ns - a socket timeout (SO_RCVTIMEO, SO_SNDTIMEO) in ns
 * @t: the timeout in jiffies, MAX_SCHEDULE_TIMEOUT for none
 *
 * Return: nanoseconds, 0 for none, at most KTIME_MAX / 2 (146 years).
 */
u64 ckpt_sock_timeo_ns(long t)
{
	if (t == MAX_SCHEDULE_TIMEOUT)
		return 0;
	if (t > (KTIME_MAX / 2) / (NSEC_PER_SEC / HZ))
		return KTIME_MAX / 2;
	return jiffies64_to_nsecs(t);
}

/*
 * One end's options and shutdown state.  A connection in a backlog has
 * none of its own yet (accept(2) gives it its socket): only its flag.
 */
static void ckpt_unix_end_state(struct sock *sk, struct ckpt_unix_end *e)
{
	e->shutdown = READ_ONCE(sk->sk_shutdown);
	if (ckpt_unix_closed(sk)) {
		e->flags = CKPT_UNIX_CLOSED;
		e->peek_off = -1;
		return;
	}
	if (!sk->sk_socket) {
		e->flags = CKPT_UNIX_BACKLOG;
		e->peek_off = -1;
		return;
	}
	e->ino = SOCK_INODE(sk->sk_socket)->i_ino;
	if (test_bit(SOCK_PASSCRED, &sk->sk_socket->flags))
		e->flags |= CKPT_UNIX_PASSCRED;
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		e->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		e->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	e->peek_off = READ_ONCE(sk->sk_peek_off);
	e->rcvtimeo_ns = ckpt_sock_timeo_ns(READ_ONCE(sk->sk_rcvtimeo));
	e->sndtimeo_ns = ckpt_sock_timeo_ns(READ_ONCE(sk->sk_sndtimeo));
}

/*
 * The connections waiting in @l's backlog before @conn: their pairs go
 * first, so that restart queues the connections in the order accept(2)
 * takes them.
 */
static int checkpoint_unix_backlog(struct ckpt_ctx *ctx, struct sock *l,
				   struct sock *conn)
{
	struct sock **conns, *client;
	unsigned int n, i;
	int err = 0;

	/* the tasks are frozen: the backlog holds still */
	conns = ckpt_unix_conns(l, &n);
	if (!conns)
		return -ENOMEM;
	for (i = 0; i < n && conns[i] != conn && err >= 0; i++) {
		client = unix_peer_get(conns[i]);
		err = client ? ckpt_obj_checkpoint(ctx, CKPT_OBJ_UNIX_PAIR,
						   min(client, conns[i])) :
			       ckpt_err(ctx, -EOPNOTSUPP,
					"AF_UNIX socket: a connection whose socket was closed waits in its listener's backlog");
		if (client)
			sock_put(client);
	}
	ckpt_unix_conns_put(conns, n);
	return err < 0 ? err : 0;
}

/*
 * An accepted socket, or one waiting in a backlog: its listener's FILE
 * record goes first, so that restart has the listener to name it after
 * or to connect to.
 */
static int checkpoint_unix_listener(struct ckpt_ctx *ctx, struct sock *sk,
				    struct ckpt_unix_end *e)
{
	struct file *listener;
	int ref, err = 0;

	if (!READ_ONCE(unix_sk(sk)->addr))
		return 0;
	listener = ckpt_tree_find_file(ctx, ckpt_unix_listens_for, sk);
	if (!listener)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"AF_UNIX socket: it is named, with no listener in the checkpoint");
	ref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE, listener);
	if (ref >= 0 && ckpt_unix_embryo(sk))
		err = checkpoint_unix_backlog(ctx, ckpt_unix_sk(listener), sk);
	fput(listener);
	if (ref < 0)
		return ref;
	e->listener = ref;
	return err;
}

/**
 * checkpoint_unix_pair_obj - write a UNIX_PAIR record (objhash
 * checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the lower struct sock of the pair
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_unix_pair_obj(struct ckpt_ctx *ctx, void *ptr,
				    int objref)
{
	struct sock *sk[2] = { ptr, NULL };
	struct ckpt_hdr_unix_pair *h = NULL;
	struct ckpt_unix_queue q;
	u32 max_fds, k;
	int err, i;

	sk[1] = ckpt_unix_peer(sk[0]);
	if (!sk[1])
		return ckpt_err(ctx, -EOPNOTSUPP,
				"AF_UNIX pair %d is not connected any more",
				objref);
	/* the tasks are frozen: no more files come in flight */
	max_fds = atomic_read(&unix_sk(sk[0])->scm_stat.nr_fds) +
		  atomic_read(&unix_sk(sk[1])->scm_stat.nr_fds);
	if (max_fds > CKPT_UNIX_FDS_MAX) {
		err = ckpt_err(ctx, -E2BIG,
			       "AF_UNIX pair %d: more than %u file descriptors in flight",
			       objref, CKPT_UNIX_FDS_MAX);
		goto put;
	}
	h = kvmalloc(CKPT_RECORD_MAX, GFP_KERNEL);
	err = h ? ckpt_unix_queue_init(&q, h, h->msg_len, max_fds) : -ENOMEM;
	if (err)
		goto out;
	memset(h, 0, sizeof(*h));
	h->objref = objref;
	h->type = sk[0]->sk_type;
	for (i = 0; i < 2; i++) {
		ckpt_unix_end_state(sk[i], &h->end[i]);
		err = checkpoint_unix_listener(ctx, sk[i], &h->end[i]);
		if (!err)
			err = ckpt_unix_read_queue(ctx, sk[i], &q,
						   &h->end[i].nr_msgs,
						   &h->end[i].nr_bytes,
						   &h->end[i].nr_fds, false);
		if (err)
			goto free;
	}
	/* the records of the files in flight go first */
	for (k = 0; k < q.nr_fds; k++) {
		err = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE, q.files[k]);
		if (err < 0)
			goto free;
		q.fds[k].file = err;
	}
	err = ckpt_write_obj(ctx, CKPT_HDR_UNIX_PAIR, h,
			     ckpt_unix_queue_pack(&q, h));
free:
	ckpt_unix_queue_free(&q);
out:
	kvfree(h);
put:
	sock_put(sk[1]);
	return err;
}

/* restart */

static int restore_unix_end_check(struct ckpt_unix_end *e,
				  struct ckpt_unix_end *peer, u32 type)
{
	/* of a stream, one end's send side is the other's receive side */
	if (e->shutdown & ~SHUTDOWN_MASK ||
	    (type != SOCK_DGRAM &&
	     ckpt_unix_mirror(e->shutdown) != peer->shutdown) ||
	    e->flags & ~CKPT_UNIX_FLAGS || e->sndbuf < 0 ||
	    e->sndbuf > INT_MAX / 2 || e->rcvbuf < 0 ||
	    e->rcvbuf > INT_MAX / 2 || e->peek_off < -1 ||
	    e->rcvtimeo_ns > KTIME_MAX / 2 || e->sndtimeo_ns > KTIME_MAX / 2 ||
	    e->nr_msgs > CKPT_UNIX_MSGS_MAX || e->nr_bytes > CKPT_RECORD_MAX ||
	    e->nr_fds > CKPT_UNIX_FDS_MAX)
		return -EBADMSG;
	/*
	 * A connection in a backlog: of a listener, with nothing of its own
	 * (accept(2) gives it that), and nothing it sent: it cannot send.
	 */
	if (e->flags & CKPT_UNIX_BACKLOG &&
	    (e->flags != CKPT_UNIX_BACKLOG || !e->listener || e->ino ||
	     e->sndbuf || e->rcvbuf || e->peek_off != -1 || e->rcvtimeo_ns ||
	     e->sndtimeo_ns || peer->flags & CKPT_UNIX_BACKLOG ||
	     peer->nr_msgs || peer->listener))
		return -EBADMSG;
	/*
	 * A closed end: nothing of its own, nothing queued for it (a close
	 * drops that), shut down both ways; a datagram one had no name.
	 */
	if (e->flags & CKPT_UNIX_CLOSED &&
	    (e->flags != CKPT_UNIX_CLOSED || e->ino || e->sndbuf ||
	     e->rcvbuf || e->peek_off != -1 || e->rcvtimeo_ns ||
	     e->sndtimeo_ns || e->nr_msgs || e->shutdown != SHUTDOWN_MASK ||
	     peer->flags & (CKPT_UNIX_CLOSED | CKPT_UNIX_BACKLOG) ||
	     (type == SOCK_DGRAM && e->listener)))
		return -EBADMSG;
	return 0;
}

/*
 * Name end @i of a restored pair after the listener it was accepted
 * from, as connect(2) names the socket accept(2) returns.
 */
static int restore_unix_name(struct ckpt_ctx *ctx, struct socket *sock,
			     u32 type, u32 ref, int i)
{
	struct file *file;
	struct sock *l;

	if (!ref)
		return 0;
	file = ckpt_obj_fetch(ctx, ref, CKPT_OBJ_FILE);
	if (IS_ERR(file))
		return PTR_ERR(file);
	l = ckpt_unix_sk(file);
	/* a listening socket always has an address */
	if (!l || READ_ONCE(l->sk_state) != TCP_LISTEN || l->sk_type != type)
		return ckpt_err(ctx, -EBADMSG,
				"AF_UNIX socket %d of the pair: file %u is no listening socket of its type",
				i, ref);
	unix_share_addr(sock->sk, l);
	return 0;
}

static int restore_unix_setopt(struct socket *sock, int opt, void *v,
			       unsigned int len)
{
	return sock_setsockopt(sock, SOL_SOCKET, opt, KERNEL_SOCKPTR(v), len);
}

/**
 * restore_sock_timeo - set SO_RCVTIMEO or SO_SNDTIMEO as setsockopt(2) does
 * @sock: the socket
 * @opt: SO_RCVTIMEO_NEW or SO_SNDTIMEO_NEW
 * @ns: the timeout, 0 for none (nothing to set)
 *
 * Return: 0 or setsockopt's errno.
 */
int restore_sock_timeo(struct socket *sock, int opt, u64 ns)
{
	struct __kernel_sock_timeval tv = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_usec = (ns % NSEC_PER_SEC) / NSEC_PER_USEC,
	};

	if (!ns)
		return 0;
	/* a timeout below a microsecond would read as none */
	if (!tv.tv_sec && !tv.tv_usec)
		tv.tv_usec = 1;
	return do_sock_setsockopt(sock, false, SOL_SOCKET, opt,
				  KERNEL_SOCKPTR(&tv), sizeof(tv));
}

/* SO_SNDBUF or SO_RCVBUF as setsockopt(2) sets it, or fail if clamped. */
static int restore_unix_buf(struct socket *sock, int opt, int val,
			    const int *now)
{
	int err;

	if (!val)
		return 0;
	err = restore_unix_setopt(sock, opt, &val, sizeof(val));
	if (!err && READ_ONCE(*now) != val * 2)
		err = -EPERM;	/* above net.core.[wr]mem_max */
	return err;
}

/* The options of one end, as setsockopt(2) would set them. */
static int restore_unix_opts(struct ckpt_ctx *ctx, struct socket *sock,
			     struct ckpt_unix_end *e, int i)
{
	int one = 1, err;

	err = restore_unix_buf(sock, SO_SNDBUF, e->sndbuf,
			       &sock->sk->sk_sndbuf);
	if (!err)
		err = restore_unix_buf(sock, SO_RCVBUF, e->rcvbuf,
				       &sock->sk->sk_rcvbuf);
	if (!err && e->flags & CKPT_UNIX_PASSCRED)
		err = restore_unix_setopt(sock, SO_PASSCRED, &one, sizeof(one));
	if (!err)
		err = restore_sock_timeo(sock, SO_RCVTIMEO_NEW, e->rcvtimeo_ns);
	if (!err)
		err = restore_sock_timeo(sock, SO_SNDTIMEO_NEW, e->sndtimeo_ns);
	if (err)
		return ckpt_err(ctx, err, "AF_UNIX socket %d of the pair: setting its options",
				i);
	return 0;
}

static void restore_unix_cmsg_free(struct cmsghdr *cmsg, u32 nr)
{
	int *fdp = (int *)CMSG_DATA(cmsg);
	u32 i;

	for (i = 0; i < nr; i++)
		close_fd(fdp[i]);
	kfree(cmsg);
}

/*
 * The SCM_RIGHTS message that passes @nr files, through fds of the
 * restoring task's table, which only the restoring task uses until
 * commit: sendmsg(2) takes files by fd.  restore_unix_cmsg_free()
 * closes the fds.
 */
static struct cmsghdr *restore_unix_cmsg(struct file **files, u32 nr)
{
	struct cmsghdr *cmsg;
	int *fdp;
	u32 i;

	cmsg = kzalloc(CMSG_SPACE(nr * sizeof(int)), GFP_KERNEL);
	if (!cmsg)
		return ERR_PTR(-ENOMEM);
	cmsg->cmsg_len = CMSG_LEN(nr * sizeof(int));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	fdp = (int *)CMSG_DATA(cmsg);
	for (i = 0; i < nr; i++)
		fdp[i] = -1;
	for (i = 0; i < nr; i++) {
		fdp[i] = get_unused_fd_flags(O_CLOEXEC);
		if (fdp[i] < 0) {
			int err = fdp[i];

			restore_unix_cmsg_free(cmsg, i);
			return ERR_PTR(err);
		}
		fd_install(fdp[i], get_file(files[i]));
	}
	return cmsg;
}

/*
 * Send @len bytes from @from, without waiting: they queue at its peer,
 * passing the @nr files of @files with their first byte, as the restored
 * task, whose limit on files in flight applies and to whom they count.
 */
static int restore_unix_send(struct ckpt_ctx *ctx, struct socket *from,
			     const void *data, u32 len, bool stream,
			     struct file **files, u32 nr)
{
	struct cmsghdr *cmsg = NULL;
	const struct cred *old;
	int n = 0;

	if (nr) {
		cmsg = restore_unix_cmsg(files, nr);
		if (IS_ERR(cmsg))
			return PTR_ERR(cmsg);
	}
	old = ckpt_as_task(ctx);
	do {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
		struct kvec iov = { (void *)data, len };

		/* the files go with the first byte only */
		if (cmsg && !n) {
			msg.msg_control = cmsg;
			msg.msg_controllen = CMSG_SPACE(nr * sizeof(int));
		}
		n = kernel_sendmsg(from, &msg, &iov, 1, len);
		if (n < 0)
			break;
		if (!stream && n != len) {
			n = -EMSGSIZE;
			break;
		}
		if (!n && len) {
			n = -EAGAIN;	/* a stream that takes nothing */
			break;
		}
		data += n;
		len -= n;
		n = 1;
	} while (len);
	ckpt_as_restarter(old);
	if (cmsg)
		restore_unix_cmsg_free(cmsg, nr);
	return n < 0 ? n : 0;
}

static void restore_unix_pair_free(struct ckpt_unix_pair *p)
{
	if (p->end[0])
		fput(p->end[0]);
	if (p->end[1])
		fput(p->end[1]);
	kfree(p);
}

static void restore_unix_pair_release(void *ptr)
{
	restore_unix_pair_free(ptr);
}

/*
 * Connect the socket of end @i to the listener of the other end, as
 * connect(2) would, as the restored task: the new connection waits in
 * the listener's backlog as the checkpointed one did.  The listener's
 * name must still lead to it.
 */
static int restore_unix_connect(struct ckpt_ctx *ctx, struct file *file,
				u32 type, u32 ref, int i)
{
	struct sockaddr_storage addr = {};
	struct unix_address *ua;
	struct sock *l, *conn;
	const struct cred *old;
	struct file *lfile;
	int err;

	lfile = ckpt_obj_fetch(ctx, ref, CKPT_OBJ_FILE);
	if (IS_ERR(lfile))
		return PTR_ERR(lfile);
	l = ckpt_unix_sk(lfile);
	ua = l ? READ_ONCE(unix_sk(l)->addr) : NULL;
	if (!ua || READ_ONCE(l->sk_state) != TCP_LISTEN || l->sk_type != type)
		return ckpt_err(ctx, -EBADMSG,
				"AF_UNIX socket %d of the pair: file %u is no listening socket of its type",
				i, ref);
	memcpy(&addr, ua->name, ua->len);
	old = ckpt_as_task(ctx);
	/* the backlog has room for what it held: never wait */
	err = __sys_connect_file(file, &addr, ua->len, O_NONBLOCK);
	ckpt_as_restarter(old);
	if (err)
		return ckpt_err(ctx, err,
				"AF_UNIX socket %d of the pair: connecting to its listener again",
				i);
	conn = unix_peer_get(sock_from_file(file)->sk);
	if (conn && READ_ONCE(unix_sk(conn)->addr) != ua)
		err = ckpt_err(ctx, -ESTALE,
			       "AF_UNIX socket %d of the pair: its listener's name leads to another socket now",
			       i);
	if (conn)
		sock_put(conn);
	return err;
}

/*
 * Make the two sockets and their files, as socketpair(2) does; or, for
 * a connection waiting in a backlog (end @wait), the connecting socket
 * only.
 */
static int restore_unix_make(struct ckpt_ctx *ctx, u32 type,
			     struct ckpt_unix_pair *p, struct socket **sock,
			     int wait)
{
	const struct cred *old = ckpt_as_task(ctx);
	int err, i;

	sock[0] = NULL;
	sock[1] = NULL;
	if (wait >= 0) {
		err = sock_create(AF_UNIX, type, 0, &sock[!wait]);
		goto files;
	}
	err = sock_create(AF_UNIX, type, 0, &sock[0]);
	if (!err)
		err = sock_create(AF_UNIX, type, 0, &sock[1]);
	if (!err)
		err = security_socket_socketpair(sock[0], sock[1]);
	if (!err)
		err = sock[0]->ops->socketpair(sock[0], sock[1]);
files:
	for (i = 0; i < 2 && !err; i++) {
		if (i == wait)
			continue;
		p->end[i] = sock_alloc_file(sock[i], 0, NULL);
		/* on failure sock_alloc_file() has released the socket */
		if (IS_ERR(p->end[i])) {
			err = PTR_ERR(p->end[i]);
			p->end[i] = NULL;
		}
		sock[i] = NULL;
	}
	ckpt_as_restarter(old);
	for (i = 0; i < 2; i++)
		if (sock[i])
			sock_release(sock[i]);
	if (err)
		return ckpt_err(ctx, err, "making an AF_UNIX socket pair");
	return 0;
}

/**
 * restore_unix_pair_obj - make a socket pair from its UNIX_PAIR record
 * (objhash restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: a struct ckpt_unix_pair or an ERR_PTR (logged).
 */
/*
 * The files in flight of a pair's messages: the entries name messages in
 * order, at most SCM_MAX_FD for one (a stream's never empty), and FILEs
 * restored before, into @files (the hash keeps the references).
 */
static int restore_unix_fds(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_unix_pair *h,
			    const struct ckpt_unix_fd *fds, u32 nr_msgs,
			    u32 nr_fds, struct file **files)
{
	u32 k, run = 0, to_first = 0;

	for (k = 0; k < nr_fds; k++) {
		u32 m = fds[k].msg;

		run = k && m == fds[k - 1].msg ? run + 1 : 1;
		if (m >= nr_msgs || (k && m < fds[k - 1].msg) ||
		    run > SCM_MAX_FD ||
		    (h->type == SOCK_STREAM && !h->msg_len[m]))
			return ckpt_err(ctx, -EBADMSG,
					"AF_UNIX pair %d: file in flight %u: bad message %u",
					h->objref, k, m);
		to_first += m < h->end[0].nr_msgs;
		files[k] = ckpt_obj_fetch(ctx, fds[k].file, CKPT_OBJ_FILE);
		if (IS_ERR(files[k]))
			return PTR_ERR(files[k]);
	}
	if (to_first != h->end[0].nr_fds)
		return ckpt_err(ctx, -EBADMSG,
				"AF_UNIX pair %d: files in flight of the wrong end",
				h->objref);
	return 0;
}

static void *restore_unix_pair_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_unix_pair *h = rec;
	const struct ckpt_unix_fd *fds;
	struct file **files = NULL;
	struct ckpt_unix_pair *p;
	struct socket *sock[2];
	const char *data;
	u64 nr_msgs, nr_bytes, len, sum[2] = {};
	u32 m, k, i, nr_fds, c, f;
	int err, wait;

	if (h->h.len < sizeof(*h))
		goto bad;
	/* the end, if any, that waits in its listener's backlog */
	wait = h->end[0].flags & CKPT_UNIX_BACKLOG ? 0 :
	       h->end[1].flags & CKPT_UNIX_BACKLOG ? 1 : -1;
	nr_msgs = (u64)h->end[0].nr_msgs + h->end[1].nr_msgs;
	nr_bytes = h->end[0].nr_bytes + h->end[1].nr_bytes;
	nr_fds = h->end[0].nr_fds + h->end[1].nr_fds;
	len = sizeof(*h) + round_up(nr_msgs * sizeof(u32), 8) +
	      (u64)nr_fds * sizeof(*fds) + nr_bytes;
	if (nr_fds > CKPT_UNIX_FDS_MAX ||
	    (h->type != SOCK_STREAM && h->type != SOCK_DGRAM &&
	     h->type != SOCK_SEQPACKET) ||
	    restore_unix_end_check(&h->end[0], &h->end[1], h->type) ||
	    restore_unix_end_check(&h->end[1], &h->end[0], h->type) ||
	    h->end[0].ino == h->end[1].ino || len != h->h.len ||
	    (wait >= 0 && h->type == SOCK_DGRAM))
		goto bad;
	for (m = 0, i = 0; i < 2; i++)
		for (k = 0; k < h->end[i].nr_msgs; k++)
			sum[i] += h->msg_len[m++];
	if (sum[0] != h->end[0].nr_bytes || sum[1] != h->end[1].nr_bytes)
		goto bad;
	/* the lengths are padded to 8 bytes with zeroes */
	for (len = nr_msgs * sizeof(u32); len % 8; len++)
		if (((u8 *)h->msg_len)[len])
			goto bad;
	fds = (const void *)((const char *)h->msg_len + len);
	data = (const char *)(fds + nr_fds);
	if (nr_fds) {
		files = kvmalloc_array(nr_fds, sizeof(*files), GFP_KERNEL);
		if (!files)
			return ERR_PTR(-ENOMEM);
		err = restore_unix_fds(ctx, h, fds, nr_msgs, nr_fds, files);
		if (err) {
			kvfree(files);
			return ERR_PTR(err);
		}
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	err = p ? restore_unix_make(ctx, h->type, p, sock, wait) : -ENOMEM;
	for (i = 0; i < 2 && !err; i++) {
		if (i == wait)
			continue;
		sock[i] = sock_from_file(p->end[i]);
		p->ino[i] = h->end[i].ino;
		err = restore_unix_name(ctx, sock[i], h->type,
					h->end[i].listener, i);
		if (!err)
			err = restore_unix_opts(ctx, sock[i], &h->end[i], i);
	}
	if (!err && wait >= 0)
		err = restore_unix_connect(ctx, p->end[!wait], h->type,
					   h->end[wait].listener, wait);
	/* end i's data, sent by the other end, with the files in flight */
	for (m = 0, f = 0, i = 0; i < 2 && !err; i++) {
		for (k = 0; k < h->end[i].nr_msgs && !err; k++, m++) {
			for (c = 0; f + c < nr_fds && fds[f + c].msg == m; c++)
				;
			err = restore_unix_send(ctx, sock[!i], data,
						h->msg_len[m],
						h->type == SOCK_STREAM,
						files + f, c);
			data += h->msg_len[m];
			f += c;
		}
		if (err)
			ckpt_err(ctx, err, "AF_UNIX socket %u of the pair: queueing %llu bytes again",
				 i, h->end[i].nr_bytes);
	}
	for (i = 0; i < 2 && !err; i++) {
		/* a datagram socket's shutdown is its own: 1 + SHUT_RD, ... */
		if (h->type == SOCK_DGRAM && h->end[i].shutdown)
			err = kernel_sock_shutdown(sock[i],
						   h->end[i].shutdown - 1);
		/* the waiting end's send side: shut down by its peer's SHUT_RD */
		else if (h->end[i].shutdown & SEND_SHUTDOWN)
			err = i == wait ? kernel_sock_shutdown(sock[!i], SHUT_RD) :
					  kernel_sock_shutdown(sock[i], SHUT_WR);
		if (!err && h->end[i].peek_off >= 0)
			err = sock[i]->ops->set_peek_off(sock[i]->sk,
							 h->end[i].peek_off);
		if (err)
			ckpt_err(ctx, err, "AF_UNIX socket %u of the pair: shutdown and peek offset",
				 i);
	}
	kvfree(files);
	if (err) {
		if (p)
			restore_unix_pair_free(p);
		return ERR_PTR(err);
	}
	/* the end closed at checkpoint: its peer sees it close now */
	for (i = 0; i < 2; i++)
		if (h->end[i].flags & CKPT_UNIX_CLOSED) {
			fput(p->end[i]);
			p->end[i] = NULL;
		}
	return p;
bad:
	ckpt_err(ctx, -EBADMSG, "AF_UNIX pair %d: malformed record", h->objref);
	return ERR_PTR(-EBADMSG);
}

/**
 * restore_unix_file - the open file of one end of a restored pair
 * @ctx: restart context
 * @h: the FILE record, which names the pair and, by its inode, the end
 * @path: its path (unused)
 *
 * Return: the file (referenced) or an ERR_PTR (logged).
 */
static struct file *restore_unix_file(struct ckpt_ctx *ctx,
				      struct ckpt_hdr_file *h,
				      const char *path)
{
	struct ckpt_unix_pair *p;
	struct file *file;
	int i;

	p = ckpt_obj_fetch(ctx, h->ref, CKPT_OBJ_UNIX_PAIR);
	if (IS_ERR(p))
		return ERR_CAST(p);
	i = h->ino == p->ino[0] ? 0 : h->ino == p->ino[1] ? 1 : -1;
	/* no file is the end waiting in a backlog: it has none */
	if (i < 0 || !p->end[i] || (h->f_flags & ~O_NONBLOCK) != O_RDWR) {
		ckpt_err(ctx, -EBADMSG, "file %d: no end of AF_UNIX pair %u",
			 h->objref, h->ref);
		return ERR_PTR(-EBADMSG);
	}
	file = p->end[i];
	ckpt_set_nonblock(file, h->f_flags & O_NONBLOCK);
	return get_file(file);
}

const struct ckpt_obj_ops ckpt_obj_unix_pair_ops = {
	.name = "AF_UNIX pair",
	.hdr_type = CKPT_HDR_UNIX_PAIR,
	.grab = ckpt_unix_grab,
	.drop = ckpt_unix_drop,
	.checkpoint = checkpoint_unix_pair_obj,
	.restore = restore_unix_pair_obj,
	.release = restore_unix_pair_release,
};

/*
 * The other end of every AF_UNIX socket among @f (or only f->fds[@only]
 * if it is not -1) must be held by one of @all: restart makes the pair
 * again, and a peer outside the checkpoint would be cut off.
 */
static int ckpt_unix_peers(const struct ckpt_fds *f, int only,
			   const struct ckpt_fds *all,
			   struct task_struct **tasks, unsigned int nr_tasks,
			   char *why, size_t len)
{
	struct file **files = NULL, *peer;
	struct ckpt_fd *fds = f->fds;
	unsigned int i, nall = all->nr;
	int err = 0;

	for (i = 0; i < f->nr && !err; i++) {
		if ((only >= 0 && i != only) || !ckpt_is_unix(fds[i].file))
			continue;
		peer = ckpt_unix_peer_file(fds[i].file);
		/* no file: waiting in a backlog, closed, or no pair at all */
		if (!peer && !ckpt_unix_paired(fds[i].file))
			continue;
		if (!files) {
			files = ckpt_fds_sorted_files(all);
			if (!files) {
				snprintf(why, len, "out of memory");
				return -ENOMEM;
			}
		}
		if (peer && !bsearch(&peer, files, nall, sizeof(*files),
				     ckpt_ptr_cmp)) {
			snprintf(why, len,
				 "process %d fd %u%s: the socket's other end is open outside the checkpoint",
				 fds[i].pid, fds[i].fd, ckpt_fd_flight(&fds[i]));
			err = -EOPNOTSUPP;
		} else {
			const char *no = ckpt_unix_name_check(fds[i].file,
							      files, nall);

			if (no) {
				snprintf(why, len, "process %d fd %u%s: %s",
					 fds[i].pid, fds[i].fd,
					 ckpt_fd_flight(&fds[i]), no);
				err = -EOPNOTSUPP;
			}
		}
		cond_resched();
	}
	kvfree(files);
	return err;
}

const struct ckpt_file_ops ckpt_file_unix_ops = {
	.kind = CKPT_FILE_UNIX,
	.flags = CKPT_FK_ANON | CKPT_FK_PEERS,
	.obj = CKPT_OBJ_UNIX_PAIR,
	.is = ckpt_unix_paired,
	.obj_ptr = ckpt_unix_key,
	.supported = ckpt_unix_supported,
	.peers = ckpt_unix_peers,
	.in_flight = ckpt_unix_in_flight,
	.restore = restore_unix_file,
};
