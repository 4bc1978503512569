// SPDX-License-Identifier: GPL-2.0
/*
 * Sockets with no connection to save and nothing in flight, for
 * checkpoint/restart: unbound, bound, or listening with no connection
 * waiting (AF_UNIX, and TCP and UDP over IPv4 and IPv6), and UDP
 * sockets connected to a peer.  A server idle between clients is one.
 *
 * The SOCKET record holds the socket's family, type, addresses and the
 * options programs set; restart makes the socket again with the system
 * calls' own code (socket, setsockopt, bind, listen, connect), as the
 * restored task.  Whatever else a socket may hold (a connection, queued
 * data, an option not saved here) makes checkpoint refuse it: an option
 * is caught by comparing the socket with a new one of its kind.
 */
#include <linux/bsearch.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ipv6.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/sock_reuseport.h>
#include <net/tcp.h>

#include "internal.h"

static struct socket *ckpt_sock_of(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	if (!sock || !sock->sk)
		return NULL;
	switch (sock->sk->sk_family) {
	case AF_UNIX:
	case AF_INET:
	case AF_INET6:
		return sock;
	}
	return NULL;
}

/**
 * ckpt_is_socket - is this a socket a SOCKET record may describe?
 * @file: the file
 *
 * AF_UNIX, AF_INET and AF_INET6 sockets but the ends of an AF_UNIX pair
 * (ckpt_unix_paired()); ckpt_sock_supported() says whether it
 * has only what the record saves.
 *
 * Return: true for such a socket.
 */
static bool ckpt_is_socket(struct file *file)
{
	return ckpt_sock_of(file) && !ckpt_unix_paired(file);
}

/* A BPF program choosing among SO_REUSEPORT sockets (not saved). */
static bool ckpt_reuseport_prog(struct sock *sk)
{
	struct sock_reuseport *reuse;
	bool prog;

	rcu_read_lock();
	reuse = rcu_dereference(sk->sk_reuseport_cb);
	prog = reuse && rcu_access_pointer(reuse->prog);
	rcu_read_unlock();
	return prog;
}

#define CKPT_FAM_UNIX	BIT(0)
#define CKPT_FAM_INET	BIT(1)
#define CKPT_FAM_INET6	BIT(2)
#define CKPT_FAM_IP	(CKPT_FAM_INET | CKPT_FAM_INET6)
#define CKPT_FAM_ANY	(CKPT_FAM_UNIX | CKPT_FAM_IP)

/*
 * The options a SOCKET record saves by value (struct ckpt_sockopt): read
 * with getsockopt(2)'s code, set again with setsockopt(2)'s, each where
 * sockets of its family (and protocol, if not 0) have it.  What they
 * set is left out of the comparisons with a new socket below.
 */
static const struct ckpt_sockopt_kind {
	int level, name;
	u32 len, families, protocol;
} ckpt_sockopt_kinds[] = {
	/* first: IP_TOS sets the priority too, which SO_PRIORITY overrides */
	{ SOL_IP, IP_TOS, 4, CKPT_FAM_INET },
	{ SOL_SOCKET, SO_PRIORITY, 4, CKPT_FAM_ANY },
	/* SO_BINDTODEVICE by index: restart is on the same host */
	{ SOL_SOCKET, SO_BINDTOIFINDEX, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_RCVLOWAT, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_MARK, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_LINGER, sizeof(struct linger), CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_DONTROUTE, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_OOBINLINE, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_NO_CHECK, 4, CKPT_FAM_ANY },
	{ SOL_SOCKET, SO_PASSSEC, 4, CKPT_FAM_ANY },
	{ SOL_IP, IP_TTL, 4, CKPT_FAM_INET },
	{ SOL_IP, IP_FREEBIND, 4, CKPT_FAM_IP },
	{ SOL_IP, IP_PKTINFO, 4, CKPT_FAM_INET },
	{ SOL_IP, IP_RECVTOS, 4, CKPT_FAM_INET },
	{ SOL_IP, IP_RECVTTL, 4, CKPT_FAM_INET },
	{ SOL_IPV6, IPV6_RECVPKTINFO, 4, CKPT_FAM_INET6 },
	{ SOL_IPV6, IPV6_TCLASS, 4, CKPT_FAM_INET6 },
	{ SOL_IPV6, IPV6_UNICAST_HOPS, 4, CKPT_FAM_INET6 },
	{ SOL_IPV6, IPV6_RECVTCLASS, 4, CKPT_FAM_INET6 },
	{ SOL_TCP, TCP_KEEPIDLE, 4, CKPT_FAM_IP, IPPROTO_TCP },
	{ SOL_TCP, TCP_KEEPINTVL, 4, CKPT_FAM_IP, IPPROTO_TCP },
	{ SOL_TCP, TCP_KEEPCNT, 4, CKPT_FAM_IP, IPPROTO_TCP },
	{ SOL_TCP, TCP_CORK, 4, CKPT_FAM_IP, IPPROTO_TCP },
	{ SOL_TCP, TCP_USER_TIMEOUT, 4, CKPT_FAM_IP, IPPROTO_TCP },
	{ SOL_TCP, TCP_LINGER2, 4, CKPT_FAM_IP, IPPROTO_TCP },
};

static_assert(ARRAY_SIZE(ckpt_sockopt_kinds) <= CKPT_SOCKOPTS_MAX);

/* Does a socket of @family and @protocol have option @k? */
static bool ckpt_sockopt_applies(const struct ckpt_sockopt_kind *k,
				 u32 family, u32 protocol)
{
	u32 fam = family == AF_UNIX ? CKPT_FAM_UNIX :
		  family == AF_INET ? CKPT_FAM_INET :
		  family == AF_INET6 ? CKPT_FAM_INET6 : 0;

	if (k->level == SOL_IPV6 && !IS_BUILTIN(CONFIG_IPV6))
		return false;	/* no do_ipv6_getsockopt() to read it */
	return k->families & fam && (!k->protocol || k->protocol == protocol);
}

/*
 * Option @k of @sock into @val, as getsockopt(2) reads it: through the
 * level's own reader that takes a kernel buffer, as bpf_getsockopt()
 * does (do_sock_getsockopt() takes one only for SOL_SOCKET).
 */
static int ckpt_sockopt_get(struct socket *sock,
			    const struct ckpt_sockopt_kind *k, u8 *val)
{
	sockptr_t v = KERNEL_SOCKPTR(val);
	int len = k->len, err;
	sockptr_t l = KERNEL_SOCKPTR(&len);

	err = security_socket_getsockopt(sock, k->level, k->name);
	if (err)
		return err;
	switch (k->level) {
	case SOL_SOCKET:
		err = sk_getsockopt(sock->sk, SOL_SOCKET, k->name, v, l);
		break;
	case SOL_IP:
		err = do_ip_getsockopt(sock->sk, SOL_IP, k->name, v, l);
		break;
	case SOL_TCP:
		err = do_tcp_getsockopt(sock->sk, SOL_TCP, k->name, v, l);
		break;
#if IS_BUILTIN(CONFIG_IPV6)
	case SOL_IPV6:
		err = do_ipv6_getsockopt(sock->sk, SOL_IPV6, k->name, v, l);
		break;
#endif
	default:
		err = -EOPNOTSUPP;
	}
	return err ?: len == k->len ? 0 : -EINVAL;
}

/*
 * The options of the table whose values in @sock are not those of a new
 * socket @fresh of its kind, into @opts (CKPT_SOCKOPTS_MAX of them), or
 * only counted if @opts is NULL.
 */
static int ckpt_sock_opts(struct socket *sock, struct socket *fresh,
			  struct ckpt_sockopt *opts, u32 *nr)
{
	const struct ckpt_sockopt_kind *k;
	u8 now[8], new[8];
	u32 i;
	int err;

	*nr = 0;
	for (i = 0; i < ARRAY_SIZE(ckpt_sockopt_kinds); i++) {
		k = &ckpt_sockopt_kinds[i];
		if (!ckpt_sockopt_applies(k, sock->sk->sk_family,
					  sock->sk->sk_protocol))
			continue;
		memset(now, 0, sizeof(now));
		memset(new, 0, sizeof(new));
		err = ckpt_sockopt_get(sock, k, now) ?:
		      ckpt_sockopt_get(fresh, k, new);
		if (err)
			return err;
		if (!memcmp(now, new, sizeof(now)))
			continue;
		if (!opts) {	/* only read: can they be? */
			(*nr)++;
			continue;
		}
		memset(&opts[*nr], 0, sizeof(opts[*nr]));
		opts[*nr].level = k->level;
		opts[*nr].name = k->name;
		opts[*nr].len = k->len;
		memcpy(opts[*nr].val, now, sizeof(now));
		(*nr)++;
	}
	return 0;
}

/* A new socket of @sk's kind, in its namespace, to compare with. */
static int ckpt_sock_fresh(struct sock *sk, struct socket **fresh)
{
	return sock_create_kern(sock_net(sk), sk->sk_family, sk->sk_type,
				sk->sk_family == AF_UNIX ? 0 : sk->sk_protocol,
				fresh);
}

/* Socket-level state a new socket does not have and the record lacks. */
static const char *ckpt_sock_level_unsaved(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	if (rcu_access_pointer(sk->sk_filter) || ckpt_reuseport_prog(sk))
		return "a socket filter is attached";
	/* SO_BINDTODEVICE, SO_MARK, SO_PRIORITY, ...: ckpt_sockopt_kinds */
	if (READ_ONCE(sk->sk_peek_off) >= 0)
		return "SO_PEEK_OFF is set";
	if (sock_flag(sk, SOCK_RCVTSTAMP) ||
	    sock_flag(sk, SOCK_RXQ_OVFL) || sock_flag(sk, SOCK_ZEROCOPY) ||
	    sock_flag(sk, SOCK_TXTIME) || sock_flag(sk, SOCK_WIFI_STATUS) ||
	    sock_flag(sk, SOCK_NOFCS) || sock_flag(sk, SOCK_RCVMARK) ||
	    READ_ONCE(sk->sk_tsflags))
		return "timestamps, SO_RXQ_OVFL, SO_ZEROCOPY, SO_TXTIME or another option";
	if (test_bit(SOCK_PASSPIDFD, &sock->flags))
		return "SO_PASSPIDFD is set";
	/* a TCP shutdown goes with a FIN (ckpt_tcp_fins()); others' are own */
	if (READ_ONCE(sk->sk_shutdown) && sk->sk_family != AF_UNIX &&
	    sk->sk_protocol == IPPROTO_TCP && !ckpt_tcp_fins(sk, NULL, NULL))
		return "it is shut down, and no FIN says so (shutdown(SHUT_RD))";
	if (READ_ONCE(sk->sk_err) || READ_ONCE(sk->sk_err_soft))
		return "an error is pending";
	return NULL;
}

/*
 * A queued datagram restart cannot send again: one from a named socket
 * (restart sends each from a new socket without a name), or one with
 * file descriptors.  The queue is only looked at, under its lock.
 */
static const char *ckpt_unix_queue_unsaved(struct sock *sk)
{
	const char *no = NULL;
	struct sk_buff *skb;

	spin_lock(&sk->sk_receive_queue.lock);
	skb_queue_walk(&sk->sk_receive_queue, skb) {
		if (UNIXCB(skb).fp) {
			no = "file descriptors (SCM_RIGHTS) in flight";
			break;
		}
		if (skb->sk && READ_ONCE(unix_sk(skb->sk)->addr)) {
			no = "a datagram from a named socket is queued";
			break;
		}
	}
	spin_unlock(&sk->sk_receive_queue.lock);
	return no;
}

/*
 * Can the connections waiting in @l's backlog be saved, each with its
 * client's UNIX_PAIR?  Whether the clients are in the checkpoint is for
 * ckpt_sock_peers().
 */
static const char *ckpt_unix_backlog_unsaved(struct sock *l)
{
	const char *no = NULL;
	struct sock **conns;
	unsigned int n, i;

	if (!skb_queue_len_lockless(&l->sk_receive_queue))
		return NULL;
	conns = ckpt_unix_conns(l, &n);
	if (!conns)
		return "out of memory";
	for (i = 0; i < n && !no; i++)
		no = ckpt_unix_conn_unsupported(conns[i]);
	ckpt_unix_conns_put(conns, n);
	return no;
}

/*
 * An AF_UNIX socket that is no end of a pair: listening, unconnected, or
 * a datagram socket connected to a named one (which may be outside the
 * checkpoint: restart connects to the name again, as syslog(3) does).
 */
static const char *ckpt_unix_unsaved(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	bool dgram = sk->sk_type == SOCK_DGRAM;
	const char *no;

	if (unix_peer(sk) && !dgram)
		return "it is connected to a socket of its own kind";
	if (sk->sk_type != SOCK_STREAM && !dgram &&
	    sk->sk_type != SOCK_SEQPACKET)
		return "its type";
	if (sk->sk_state == TCP_LISTEN) {
		/* each connection goes with its client's UNIX_PAIR */
		no = ckpt_unix_backlog_unsaved(sk);
		if (no)
			return no;
		if (u->path.dentry && d_unlinked(u->path.dentry))
			return "its path was removed";
		return NULL;
	} else if (sk->sk_state != TCP_CLOSE &&
		   !(dgram && sk->sk_state == TCP_ESTABLISHED)) {
		return "it is connecting or connected";
	}
	/* a named datagram socket's queue is saved (ckpt_sock_queue()) */
	if (skb_queue_len_lockless(&sk->sk_receive_queue)) {
		if (!dgram || !READ_ONCE(u->addr))
			return "data is queued for it";
		if (test_bit(SOCK_PASSCRED, &sk->sk_socket->flags))
			return "credentials (SO_PASSCRED) to pass with queued data";
		no = ckpt_unix_queue_unsaved(sk);
		if (no)
			return no;
	}
	if (u->path.dentry && d_unlinked(u->path.dentry))
		return "its path was removed";
	return NULL;
}

/* IPv6 state of @sk that a new socket @fresh does not have. */
static const char *ckpt_inet6_unsaved(struct sock *sk, struct sock *fresh)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct ipv6_pinfo *np = inet6_sk(sk), *fp = inet6_sk(fresh);
	bool mc = sk->sk_protocol != IPPROTO_TCP;	/* as for IPv4 */
	typeof(np->rxopt) saved = {};

	/*
	 * IPV6_UNICAST_HOPS, IPV6_TCLASS, IPV6_RECV{PKTINFO,TCLASS}: saved,
	 * where do_ipv6_getsockopt() is built in to read them
	 */
	saved.bits.rxinfo = IS_BUILTIN(CONFIG_IPV6);
	saved.bits.rxtclass = IS_BUILTIN(CONFIG_IPV6);
	if ((!IS_BUILTIN(CONFIG_IPV6) && (np->hop_limit != fp->hop_limit ||
					  np->tclass != fp->tclass)) ||
	    np->pmtudisc != fp->pmtudisc ||
	    (mc && np->mcast_hops != fp->mcast_hops) ||
	    np->ucast_oif != fp->ucast_oif ||
	    (mc && np->mcast_oif != fp->mcast_oif) ||
	    (np->rxopt.all ^ fp->rxopt.all) & ~saved.all ||
	    np->srcprefs != fp->srcprefs ||
	    np->min_hopcount != fp->min_hopcount ||
	    rcu_access_pointer(np->opt) || np->ipv6_ac_list ||
	    rcu_access_pointer(np->ipv6_mc_list) ||
	    rcu_access_pointer(inet_sk(sk)->ipv6_fl_list))
		return "IPv6 options or multicast memberships checkpoint does not save";
#endif
	return NULL;
}

/* An IPsec policy set on the socket (IP_XFRM_POLICY). */
static bool ckpt_xfrm_policy(struct sock *sk)
{
#ifdef CONFIG_XFRM
	return rcu_access_pointer(sk->sk_policy[0]) ||
	       rcu_access_pointer(sk->sk_policy[1]);
#else
	return false;
#endif
}

/* TCP-MD5 or TCP-AO keys: authentication the record does not carry. */
static bool ckpt_tcp_keys(struct tcp_sock *tp)
{
#ifdef CONFIG_TCP_MD5SIG
	if (rcu_access_pointer(tp->md5sig_info))
		return true;
#endif
#ifdef CONFIG_TCP_AO
	if (rcu_access_pointer(tp->ao_info))
		return true;
#endif
	return false;
}

/* TCP and UDP state of @sk that a new socket @fresh does not have. */
static const char *ckpt_inet_unsaved(struct sock *sk, struct sock *fresh)
{
	/* what IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_FREEBIND set is saved */
	const unsigned long saved = BIT(INET_FLAGS_PKTINFO) |
		BIT(INET_FLAGS_TTL) | BIT(INET_FLAGS_TOS) |
		BIT(INET_FLAGS_FREEBIND);
	struct inet_sock *in = inet_sk(sk), *fi = inet_sk(fresh);
	unsigned long flags = READ_ONCE(in->inet_flags);
	/* accept(2) sets those from the SYN; TCP sends no multicast */
	bool mc = sk->sk_protocol != IPPROTO_TCP;

	/* IP_TTL and IP_TOS (uc_ttl, tos) are saved too */
	if ((flags ^ READ_ONCE(fi->inet_flags)) & ~saved ||
	    in->min_ttl != fi->min_ttl ||
	    (mc && in->mc_ttl != fi->mc_ttl) || in->pmtudisc != fi->pmtudisc ||
	    in->uc_index != fi->uc_index ||
	    (mc && in->mc_index != fi->mc_index) ||
	    in->mc_addr != fi->mc_addr ||
	    in->local_port_range != fi->local_port_range ||
	    rcu_access_pointer(in->inet_opt) ||
	    rcu_access_pointer(in->mc_list))
		return "IP options or multicast memberships checkpoint does not save";
	if (sk->sk_family == AF_INET6) {
		const char *no = ckpt_inet6_unsaved(sk, fresh);

		if (no)
			return no;
	}
	if (sk->sk_protocol == IPPROTO_TCP) {
		struct inet_connection_sock *icsk = inet_csk(sk);
		struct tcp_sock *tp = tcp_sk(sk);
		/* established, or closing with its FINs */
		bool est = ckpt_tcp_fins(sk, NULL, NULL);

		if (sk->sk_state == TCP_LISTEN) {
			if (READ_ONCE(sk->sk_ack_backlog) ||
			    inet_csk_reqsk_queue_len(sk))
				return "connections wait in its backlog";
		} else if (sk->sk_state != TCP_CLOSE && !est) {
			return "it is a TCP connection being made (not saved)";
		}
		if (est && (tp->urg_data || tp->fastopen_rsk))
			return "it is a TCP connection with urgent data or in Fast Open";
		/* TCP_CORK, TCP_KEEP*, TCP_LINGER2, TCP_USER_TIMEOUT: saved */
		if (tp->rx_opt.user_mss || tp->notsent_lowat ||
		    tp->save_syn ||
		    /* a connection has both from its handshake */
		    (!est && (tp->window_clamp != tcp_sk(fresh)->window_clamp ||
			      tp->tsoffset)) ||
		    tp->thin_lto || tp->fastopen_connect ||
		    tp->fastopen_no_cookie || tp->tcp_tx_delay ||
		    tp->recvmsg_inq || tp->repair ||
		    icsk->icsk_syn_retries != inet_csk(fresh)->icsk_syn_retries ||
		    icsk->icsk_ca_setsockopt ||
		    icsk->icsk_ulp_ops ||
		    icsk->icsk_accept_queue.rskq_defer_accept ||
		    icsk->icsk_accept_queue.fastopenq.max_qlen ||
		    ckpt_tcp_keys(tp))
			return "TCP options checkpoint does not save";
	} else if (sk->sk_type == SOCK_DGRAM &&
		   (sk->sk_protocol == IPPROTO_ICMP ||
		    sk->sk_protocol == IPPROTO_ICMPV6)) {
		/* a ping socket (net.ipv4.ping_group_range) */
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			return "echo replies are queued for it";
		if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_ESTABLISHED)
			return "its state";
	} else {
		struct udp_sock *up = udp_sk(sk);

		if (sk->sk_protocol != IPPROTO_UDP &&
		    sk->sk_protocol != IPPROTO_UDPLITE)
			return "its protocol";
		/* UDP-Lite's checksum coverage included */
		if (READ_ONCE(up->udp_flags) != READ_ONCE(udp_sk(fresh)->udp_flags) ||
		    up->encap_type || READ_ONCE(up->pending) || up->gso_size ||
		    up->pcslen || up->pcrlen)
			return "UDP options checkpoint does not save";
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue) ||
		    !skb_queue_empty_lockless(&up->reader_queue))
			return "datagrams are queued for it";
		if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_ESTABLISHED)
			return "its state";
	}
	return NULL;
}

/*
 * What a SOCKET record cannot hold of @sock: its reason, or NULL.  The
 * options it holds by value go in @opts (only counted if NULL).
 */
static const char *ckpt_sock_unsaved(struct socket *sock,
				     struct ckpt_sockopt *opts, u32 *nr)
{
	struct sock *sk = sock->sk, *fresh;
	struct socket *new;
	const char *no;

	no = ckpt_sock_level_unsaved(sk);
	if (no)
		return no;
	if (sk->sk_family != AF_UNIX && sk->sk_type != SOCK_STREAM &&
	    sk->sk_type != SOCK_DGRAM)
		return "its type";
	/* the options a program may have set, against a new socket */
	if (ckpt_sock_fresh(sk, &new))
		return "its protocol";
	if (ckpt_sock_opts(sock, new, opts, nr)) {
		sock_release(new);
		return "an option checkpoint cannot read";
	}
	if (sk->sk_family == AF_UNIX) {
		sock_release(new);
		return ckpt_unix_unsaved(sk);
	}
	fresh = new->sk;
	lock_sock(sk);
	if (READ_ONCE(sk->sk_ll_usec) != READ_ONCE(fresh->sk_ll_usec) ||
	    READ_ONCE(sk->sk_max_pacing_rate) !=
	    READ_ONCE(fresh->sk_max_pacing_rate) ||
	    ckpt_xfrm_policy(sk) ||
	    sock_flag(sk, SOCK_FILTER_LOCKED) ||
	    sock_flag(sk, SOCK_SELECT_ERR_QUEUE))
		no = "busy polling, pacing or an IPsec policy";
	else
		no = ckpt_inet_unsaved(sk, fresh);
	release_sock(sk);
	sock_release(new);
	return no;
}

/* ckpt_sock_supported(), filling @opts (if not NULL) as it reads them */
static int ckpt_sock_check(struct file *file, char *why, size_t len,
			   struct ckpt_sockopt *opts, u32 *nr)
{
	struct socket *sock = ckpt_sock_of(file);
	bool tcp;
	const char *no;

	if (!sock) {
		snprintf(why, len, "socket of an unsupported family");
		return -EOPNOTSUPP;
	}
	tcp = sock->sk->sk_family != AF_UNIX &&
	      sock->sk->sk_protocol == IPPROTO_TCP;
	/* TCP repair mode, which reads a connection, needs it */
	if (tcp && ckpt_tcp_fins(sock->sk, NULL, NULL) &&
	    !ns_capable_noaudit(sock_net(sock->sk)->user_ns, CAP_NET_ADMIN)) {
		snprintf(why, len,
			 "TCP connection: saving it needs CAP_NET_ADMIN (TCP repair mode)");
		return -EPERM;
	}
	no = ckpt_sock_unsaved(sock, opts, nr);
	if (!no)
		return 0;
	snprintf(why, len, "%s socket: %s",
		 sock->sk->sk_family == AF_UNIX ? "AF_UNIX" : tcp ? "TCP" :
		 sock->sk->sk_protocol == IPPROTO_ICMP ||
		 sock->sk->sk_protocol == IPPROTO_ICMPV6 ? "ICMP" : "UDP",
		 no);
	return -EOPNOTSUPP;
}

/**
 * ckpt_sock_supported - can a SOCKET record describe this socket?
 * @file: a socket (ckpt_is_socket())
 * @why: filled with a short reason when it cannot
 * @len: size of @why
 *
 * Return: 0 or -EOPNOTSUPP.
 */
static int ckpt_sock_supported(struct file *file, char *why, size_t len)
{
	u32 nr;

	return ckpt_sock_check(file, why, len, NULL, &nr);
}

/*
 * The name @sk is bound to, in @to (@len bytes, 0 if none): an absolute
 * path from the checkpointer's root, or an abstract name.  @inode is
 * set to a path's socket file, NULL for an abstract name.
 */
static int ckpt_unix_name(struct ckpt_ctx *ctx, struct sock *sk, u8 *to,
			  u32 *len, struct inode **inode)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)to;
	struct unix_sock *u = unix_sk(sk);
	struct unix_address *addr;
	struct path check;
	char *buf, *p;
	bool same;
	int err;

	*inode = NULL;
	/* pairs with the release in unix_bind(): the name is complete */
	addr = smp_load_acquire(&u->addr);
	if (!addr)
		return 0;
	sun->sun_family = AF_UNIX;
	if (!u->path.dentry) {
		/* abstract: the name as bound, NUL first */
		memcpy(to, addr->name, addr->len);
		*len = addr->len;
		return 0;
	}
	/* by its path from the checkpointer's root, as files are */
	buf = kmalloc(sizeof(sun->sun_path), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	p = d_path(&u->path, buf, sizeof(sun->sun_path));
	if (IS_ERR(p)) {
		kfree(buf);
		return ckpt_err(ctx, -ENAMETOOLONG,
				"AF_UNIX socket: its path is too long");
	}
	strscpy(sun->sun_path, p, sizeof(sun->sun_path));
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(p) + 1;
	kfree(buf);
	/* d_path() names even what its root cannot reach: look it up */
	err = kern_path(sun->sun_path, 0, &check);
	same = !err && path_equal(&check, &u->path);
	if (!err)
		path_put(&check);
	if (!same)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"AF_UNIX socket %s: the path does not lead to it from the checkpointer's root",
				sun->sun_path);
	*inode = d_inode(u->path.dentry);
	return 0;
}

static bool ckpt_is_sock_file(struct file *file, void *sk)
{
	struct socket *sock = sock_from_file(file);

	return sock && sock->sk == sk;
}

/*
 * The name a datagram socket connected to.  A peer held inside the
 * checkpoint has its FILE (and SOCKET) record written first, so that
 * restart binds it before connecting to it.
 */
static int ckpt_unix_peer_name(struct ckpt_ctx *ctx, struct sock *sk,
			       struct ckpt_hdr_socket *h)
{
	struct inode *inode;
	struct file *file;
	struct sock *peer;
	int err;

	peer = unix_peer_get(sk);
	if (!peer)
		return 0;
	err = -EOPNOTSUPP;
	if (sock_flag(peer, SOCK_DEAD)) {
		ckpt_err(ctx, err, "AF_UNIX socket: the socket it connected to is closed");
		goto out;
	}
	err = ckpt_unix_name(ctx, peer, h->peer, &h->peer_len, &inode);
	if (err)
		goto out;
	/* connected to its own name: bound before it connects anyway */
	file = peer == sk ? NULL :
	       ckpt_tree_find_file(ctx, ckpt_is_sock_file, peer);
	if (file) {
		err = ckpt_obj_checkpoint(ctx, CKPT_OBJ_FILE, file);
		fput(file);
		err = min(err, 0);
	}
out:
	sock_put(peer);
	return err;
}

/* Where an AF_UNIX socket is bound, and the name it connected to. */
static int ckpt_unix_addr(struct ckpt_ctx *ctx, struct sock *sk,
			  struct ckpt_hdr_socket *h)
{
	struct inode *inode;
	int err;

	err = ckpt_unix_name(ctx, sk, h->addr, &h->addr_len, &inode);
	if (!err && inode) {
		if (inode->i_mode & 07000)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"AF_UNIX socket %s: its file has set-id or sticky bits",
					((struct sockaddr_un *)h->addr)->sun_path);
		h->mode = inode->i_mode & 0777;
		h->path_dev = new_encode_dev(inode->i_sb->s_dev);
		h->path_ino = inode->i_ino;
	}
	if (!err && sk->sk_type == SOCK_DGRAM)
		err = ckpt_unix_peer_name(ctx, sk, h);
	return err;
}

/* The local and, for a connected UDP socket, the peer's address. */
/* The address @sk is connected to, with port 0: into @to, its length. */
static int ckpt_inet_peer_port0(struct sock *sk, void *to)
{
	struct sockaddr_in *sin = to;
	struct sockaddr_in6 *sin6 = to;

	if (sk->sk_family == AF_INET) {
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = READ_ONCE(inet_sk(sk)->inet_daddr);
		return sizeof(*sin);
	}
#if IS_ENABLED(CONFIG_IPV6)
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = sk->sk_v6_daddr;
	/* as inet6_getname() gives it */
	sin6->sin6_scope_id = ipv6_iface_scope_id(&sin6->sin6_addr,
						  sk->sk_bound_dev_if);
	return sizeof(*sin6);
#else
	return -ENOTCONN;
#endif
}

static int ckpt_inet_addrs(struct ckpt_ctx *ctx, struct socket *sock,
			   struct ckpt_hdr_socket *h)
{
	struct sock *sk = sock->sk;
	int n;

	if (!inet_sk(sk)->inet_num)
		return 0;
	n = kernel_getsockname(sock, (struct sockaddr *)h->addr);
	if (n < 0)
		return ckpt_err(ctx, n, "reading a socket's address");
	h->addr_len = n;
	/* UDP connected, or a TCP connection, closing or not */
	if (sk->sk_state != TCP_ESTABLISHED &&
	    (sk->sk_protocol != IPPROTO_TCP || !ckpt_tcp_fins(sk, NULL, NULL)))
		return 0;
	n = kernel_getpeername(sock, (struct sockaddr *)h->peer);
	/* a datagram socket connected to port 0, which getpeername() hides */
	if (n == -ENOTCONN && sk->sk_protocol != IPPROTO_TCP)
		n = ckpt_inet_peer_port0(sk, h->peer);
	if (n < 0)
		return ckpt_err(ctx, n, "reading a socket's peer");
	h->peer_len = n;
	return 0;
}

/*
 * A bound AF_UNIX datagram socket's queued datagrams, after the record's
 * fixed part in @h, which has room for them if *@len is CKPT_RECORD_MAX;
 * *@len is set to the record's length.
 */
static int ckpt_sock_queue(struct ckpt_ctx *ctx, struct sock *sk,
			   struct ckpt_hdr_socket *h, size_t *len)
{
	bool room = *len == CKPT_RECORD_MAX;
	struct ckpt_unix_queue q;
	u32 nr_fds;
	int err;

	*len = sizeof(*h);
	if (sk->sk_family != AF_UNIX || sk->sk_type != SOCK_DGRAM ||
	    !skb_queue_len_lockless(&sk->sk_receive_queue))
		return 0;
	/* a sender outside the checkpoint may still send */
	if (!room)
		return ckpt_err(ctx, -EAGAIN,
				"AF_UNIX socket: datagrams came during the checkpoint");
	/* no room for files in flight: ckpt_unix_unsaved() refused them */
	ckpt_unix_queue_init(&q, h, h->msg_len, 0);
	err = ckpt_unix_read_queue(ctx, sk, &q, &h->nr_msgs, &h->nr_bytes,
				   &nr_fds, true);
	if (!err)
		*len = ckpt_unix_queue_pack(&q, h);
	return err;
}

/**
 * checkpoint_sock_obj - write a SOCKET record (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the socket's file
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_sock_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct socket *sock = ckpt_sock_of(ptr);
	struct ckpt_hdr_socket *h;
	struct sock *sk;
	char why[200];
	size_t len;
	u32 shut;
	int err;

	/* room for queued datagrams only where there are some */
	len = sock && skb_queue_len_lockless(&sock->sk->sk_receive_queue) ?
	      CKPT_RECORD_MAX : sizeof(*h);
	h = kvmalloc(len, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	memset(h, 0, sizeof(*h));
	/* the checks read the options the record holds by value */
	err = ckpt_sock_check(ptr, why, sizeof(why), h->opts, &h->nr_opts);
	if (err) {
		ckpt_err(ctx, err, "cannot checkpoint %s", why);
		goto out;
	}
	sk = sock->sk;
	h->objref = objref;
	h->family = sk->sk_family;
	h->type = sk->sk_type;
	h->protocol = sk->sk_family == AF_UNIX ? 0 : sk->sk_protocol;
	if (sk->sk_family == AF_UNIX)
		err = ckpt_unix_addr(ctx, sk, h);
	else
		err = ckpt_inet_addrs(ctx, sock, h);
	if (err)
		goto out;
	h->state = sk->sk_state == TCP_LISTEN ? CKPT_SOCK_LISTENING :
		   h->peer_len ? CKPT_SOCK_CONNECTED :
		   h->addr_len ? CKPT_SOCK_BOUND : CKPT_SOCK_UNBOUND;
	if (h->state == CKPT_SOCK_LISTENING)
		h->backlog = READ_ONCE(sk->sk_max_ack_backlog);
	if (sk->sk_reuse)
		h->flags |= CKPT_SOCK_REUSEADDR;
	if (sk->sk_reuseport)
		h->flags |= CKPT_SOCK_REUSEPORT;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		h->flags |= CKPT_SOCK_KEEPALIVE;
	if (sock_flag(sk, SOCK_BROADCAST))
		h->flags |= CKPT_SOCK_BROADCAST;
	if (test_bit(SOCK_PASSCRED, &sock->flags))
		h->flags |= CKPT_SOCK_PASSCRED;
	if (sk->sk_family == AF_INET6 && sk->sk_ipv6only)
		h->flags |= CKPT_SOCK_V6ONLY;
	if (sk->sk_protocol == IPPROTO_TCP && sk->sk_family != AF_UNIX &&
	    tcp_sk(sk)->nonagle & TCP_NAGLE_OFF)
		h->flags |= CKPT_SOCK_NODELAY;
	if (sk->sk_userlocks & SOCK_SNDBUF_LOCK)
		h->sndbuf = READ_ONCE(sk->sk_sndbuf) / 2;
	if (sk->sk_userlocks & SOCK_RCVBUF_LOCK)
		h->rcvbuf = READ_ONCE(sk->sk_rcvbuf) / 2;
	h->rcvtimeo_ns = ckpt_sock_timeo_ns(READ_ONCE(sk->sk_rcvtimeo));
	h->sndtimeo_ns = ckpt_sock_timeo_ns(READ_ONCE(sk->sk_sndtimeo));
	/* a TCP connection's goes with its FINs, in the TCP record */
	shut = h->protocol == IPPROTO_TCP ? 0 : READ_ONCE(sk->sk_shutdown);
	if (shut & RCV_SHUTDOWN)
		h->flags |= CKPT_SOCK_SHUT_RD;
	if (shut & SEND_SHUTDOWN)
		h->flags |= CKPT_SOCK_SHUT_WR;
	err = ckpt_sock_queue(ctx, sk, h, &len);
	if (!err)
		err = ckpt_write_obj(ctx, CKPT_HDR_SOCKET, h, len);
	if (!err && h->protocol == IPPROTO_TCP && h->peer_len)
		err = checkpoint_tcp(ctx, ptr, objref);
out:
	kvfree(h);
	return err;
}

/* restart */

/*
 * An AF_UNIX name of @len bytes: abstract (a NUL, then any bytes), or
 * an absolute path whose NUL is its last byte.
 */
static bool restore_unix_name_valid(const u8 *name, u32 len)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)name;
	u32 off = offsetof(struct sockaddr_un, sun_path);

	if (len <= off)
		return false;
	if (!sun->sun_path[0])
		return true;
	return sun->sun_path[0] == '/' &&
	       strnlen(sun->sun_path, len - off) == len - off - 1;
}

/*
 * The record's length is that of its queued datagrams, which only a
 * bound AF_UNIX datagram socket has.
 */
static bool restore_sock_queue_valid(const struct ckpt_hdr_socket *h)
{
	u64 lens_len, sum = 0;
	u32 i;

	/* no field is read before the record is known to hold it */
	if (h->h.len < sizeof(*h))
		return false;
	lens_len = round_up((u64)h->nr_msgs * sizeof(u32), 8);
	if (h->nr_msgs > CKPT_UNIX_MSGS_MAX ||
	    h->nr_bytes > CKPT_RECORD_MAX ||
	    h->h.len != sizeof(*h) + lens_len + h->nr_bytes)
		return false;
	if (!h->nr_msgs)
		return !h->nr_bytes;
	if (h->family != AF_UNIX || h->type != SOCK_DGRAM || !h->addr_len)
		return false;
	for (i = 0; i < h->nr_msgs; i++)
		sum += h->msg_len[i];
	/* the lengths are padded to 8 bytes with zeroes */
	for (i = h->nr_msgs * sizeof(u32); i < lens_len; i++)
		if (((const u8 *)h->msg_len)[i])
			return false;
	return sum == h->nr_bytes;
}

/*
 * Are the options of @h each one of the table, for a socket of its
 * kind, once, with nothing past its length?
 */
static bool restore_sock_opts_valid(const struct ckpt_hdr_socket *h)
{
	const struct ckpt_sockopt_kind *k;
	const struct ckpt_sockopt *o;
	u32 i, j, b;

	if (h->nr_opts > CKPT_SOCKOPTS_MAX)
		return false;
	for (i = 0; i < CKPT_SOCKOPTS_MAX; i++) {
		o = &h->opts[i];
		if (i >= h->nr_opts) {
			if (memchr_inv(o, 0, sizeof(*o)))
				return false;
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(ckpt_sockopt_kinds); j++) {
			k = &ckpt_sockopt_kinds[j];
			if (k->level == o->level && k->name == o->name)
				break;
		}
		if (j == ARRAY_SIZE(ckpt_sockopt_kinds) || o->len != k->len ||
		    o->_pad || !ckpt_sockopt_applies(k, h->family, h->protocol))
			return false;
		for (b = o->len; b < sizeof(o->val); b++)
			if (o->val[b])
				return false;
		for (j = 0; j < i; j++)
			if (h->opts[j].level == o->level &&
			    h->opts[j].name == o->name)
				return false;
	}
	return true;
}

/* Is @h a socket this kernel makes, its fields in range? */
static bool restore_sock_valid(const struct ckpt_hdr_socket *h)
{
	bool unbound, connected, tcp, udp;
	u32 min_addr;

	if (!restore_sock_queue_valid(h) || !restore_sock_opts_valid(h))
		return false;
	unbound = h->state == CKPT_SOCK_UNBOUND;
	connected = h->state == CKPT_SOCK_CONNECTED;
	if (h->flags & ~CKPT_SOCK_FLAGS ||
	    h->state < CKPT_SOCK_UNBOUND || h->state > CKPT_SOCK_CONNECTED ||
	    h->addr_len > sizeof(h->addr) || h->peer_len > sizeof(h->peer) ||
	    h->sndbuf < 0 || h->sndbuf > INT_MAX / 2 || h->rcvbuf < 0 ||
	    h->rcvbuf > INT_MAX / 2 || h->rcvtimeo_ns > KTIME_MAX / 2 ||
	    h->sndtimeo_ns > KTIME_MAX / 2 || h->backlog > INT_MAX ||
	    (h->state != CKPT_SOCK_LISTENING && h->backlog) ||
	    (unbound && h->addr_len) || connected == !h->peer_len)
		return false;
	switch (h->family) {
	case AF_UNIX:
		/* a datagram socket may connect without a name of its own */
		if (h->protocol || (h->type != SOCK_STREAM &&
				    h->type != SOCK_DGRAM &&
				    h->type != SOCK_SEQPACKET) ||
		    (connected && h->type != SOCK_DGRAM) ||
		    (!unbound && !connected && !h->addr_len) ||
		    (h->state == CKPT_SOCK_LISTENING && h->type == SOCK_DGRAM) ||
		    h->flags & (CKPT_SOCK_V6ONLY | CKPT_SOCK_NODELAY) ||
		    h->addr_len > sizeof(struct sockaddr_un) ||
		    h->peer_len > sizeof(struct sockaddr_un) ||
		    (h->peer_len && !restore_unix_name_valid(h->peer,
							     h->peer_len)))
			return false;
		min_addr = offsetof(struct sockaddr_un, sun_path) + 1;
		break;
	case AF_INET:
	case AF_INET6:
		if (!unbound && !h->addr_len)
			return false;
		tcp = h->protocol == IPPROTO_TCP && h->type == SOCK_STREAM;
		/* UDP, UDP-Lite and ping sockets */
		udp = (h->protocol == IPPROTO_UDP ||
		       h->protocol == IPPROTO_UDPLITE ||
		       h->protocol == (h->family == AF_INET ? IPPROTO_ICMP :
				       IPPROTO_ICMPV6)) &&
		      h->type == SOCK_DGRAM;
		/* a TCP shutdown is a closing connection, not saved */
		if (tcp ? h->flags & (CKPT_SOCK_SHUT_RD | CKPT_SOCK_SHUT_WR) :
		    !udp || h->state == CKPT_SOCK_LISTENING ||
		    h->flags & CKPT_SOCK_NODELAY)
			return false;
		if ((h->family == AF_INET && h->flags & CKPT_SOCK_V6ONLY) ||
		    h->mode || h->path_dev || h->path_ino)
			return false;
		min_addr = h->family == AF_INET ? sizeof(struct sockaddr_in) :
			   sizeof(struct sockaddr_in6);
		if (h->peer_len && h->peer_len < min_addr)
			return false;
		break;
	default:
		return false;
	}
	if (h->addr_len && (h->addr_len < min_addr ||
			    ((struct sockaddr *)h->addr)->sa_family != h->family))
		return false;
	if (h->peer_len && ((struct sockaddr *)h->peer)->sa_family != h->family)
		return false;
	return true;
}

static int restore_sock_setopt(struct socket *sock, int level, int opt,
			       int val)
{
	return do_sock_setsockopt(sock, false, level, opt,
				  KERNEL_SOCKPTR(&val), sizeof(val));
}

/* The options, as setsockopt(2) sets them. */
static int restore_sock_opts(struct socket *sock,
			     const struct ckpt_hdr_socket *h)
{
	static const struct {
		u32 flag;
		int level, opt;
	} opts[] = {
		{ CKPT_SOCK_REUSEADDR, SOL_SOCKET, SO_REUSEADDR },
		{ CKPT_SOCK_REUSEPORT, SOL_SOCKET, SO_REUSEPORT },
		{ CKPT_SOCK_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE },
		{ CKPT_SOCK_BROADCAST, SOL_SOCKET, SO_BROADCAST },
		{ CKPT_SOCK_PASSCRED, SOL_SOCKET, SO_PASSCRED },
		{ CKPT_SOCK_V6ONLY, SOL_IPV6, IPV6_V6ONLY },
		{ CKPT_SOCK_NODELAY, SOL_TCP, TCP_NODELAY },
	};
	int i, err = 0;

	for (i = 0; i < ARRAY_SIZE(opts) && !err; i++)
		if (h->flags & opts[i].flag)
			err = restore_sock_setopt(sock, opts[i].level,
						  opts[i].opt, 1);
	/* checked by restore_sock_opts_valid() */
	for (i = 0; i < h->nr_opts && !err; i++) {
		u8 val[sizeof(h->opts[i].val)];

		memcpy(val, h->opts[i].val, sizeof(val));
		err = do_sock_setsockopt(sock, false, h->opts[i].level,
					 h->opts[i].name, KERNEL_SOCKPTR(val),
					 h->opts[i].len);
	}
	/* its default is the restarter's net.ipv6.bindv6only */
	if (!err && h->family == AF_INET6 && !(h->flags & CKPT_SOCK_V6ONLY))
		err = restore_sock_setopt(sock, SOL_IPV6, IPV6_V6ONLY, 0);
	/* above net.core.[wr]mem_max setsockopt(2) clamps: not the same */
	if (!err && h->sndbuf) {
		err = restore_sock_setopt(sock, SOL_SOCKET, SO_SNDBUF,
					  h->sndbuf);
		if (!err && READ_ONCE(sock->sk->sk_sndbuf) != h->sndbuf * 2)
			err = -EPERM;
	}
	if (!err && h->rcvbuf) {
		err = restore_sock_setopt(sock, SOL_SOCKET, SO_RCVBUF,
					  h->rcvbuf);
		if (!err && READ_ONCE(sock->sk->sk_rcvbuf) != h->rcvbuf * 2)
			err = -EPERM;
	}
	if (!err)
		err = restore_sock_timeo(sock, SO_RCVTIMEO_NEW, h->rcvtimeo_ns);
	if (!err)
		err = restore_sock_timeo(sock, SO_SNDTIMEO_NEW, h->sndtimeo_ns);
	return err;
}

/*
 * shutdown(2) of a socket that is no TCP connection: its own flags.  An
 * unconnected one says ENOTCONN, having set them all the same.
 */
static int restore_sock_shutdown(struct socket *sock,
				 const struct ckpt_hdr_socket *h)
{
	bool rd = h->flags & CKPT_SOCK_SHUT_RD, wr = h->flags & CKPT_SOCK_SHUT_WR;
	int err;

	if (!rd && !wr)
		return 0;
	err = kernel_sock_shutdown(sock, rd && wr ? SHUT_RDWR :
					 rd ? SHUT_RD : SHUT_WR);
	return err == -ENOTCONN && h->state != CKPT_SOCK_CONNECTED ? 0 : err;
}

/*
 * Is the socket file at @name stale, bound by no socket (the one the
 * checkpointed process left, or a failed restart)?  A datagram socket's
 * connect(2) to it says so with ECONNREFUSED, and reaches no listener's
 * backlog: a stream socket there answers EPROTOTYPE.
 */
static bool restore_unix_is_stale(const struct ckpt_hdr_socket *h)
{
	struct sockaddr_storage ss = {};
	struct socket *probe;
	int err;

	if (sock_create_kern(current->nsproxy->net_ns, AF_UNIX, SOCK_DGRAM, 0,
			     &probe))
		return false;
	memcpy(&ss, h->addr, h->addr_len);
	err = kernel_connect(probe, (struct sockaddr *)&ss, h->addr_len,
			     O_NONBLOCK);
	sock_release(probe);
	return err == -ECONNREFUSED;
}

/*
 * A stale socket file at the path is removed as unlink(2) would; a
 * missing one is fine; a live socket's, or another file, is in the way.
 */
static int restore_unix_stale(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_socket *h, const char *name)
{
	struct path p;
	int err;

	err = kern_path(name, 0, &p);
	if (err == -ENOENT)
		return 0;
	if (err)
		return ckpt_err(ctx, err, "AF_UNIX socket %s: looking it up",
				name);
	if (!S_ISSOCK(d_inode(p.dentry)->i_mode) || !restore_unix_is_stale(h)) {
		err = ckpt_err(ctx, -EADDRINUSE,
			       "AF_UNIX socket %s: the path names a live socket or another file",
			       name);
	} else {
		err = ckpt_remove(&p, false);
		if (err)
			ckpt_err(ctx, err, "AF_UNIX socket %s: removing the stale socket file",
				 name);
	}
	path_put(&p);
	return err;
}

/*
 * bind(2) an AF_UNIX socket to its path, the file made with the mode it
 * had: the umask bind applies is set to give exactly that.
 */
static int restore_unix_bind(struct ckpt_ctx *ctx, struct socket *sock,
			     const struct ckpt_hdr_socket *h)
{
	const struct sockaddr_un *sun = (const struct sockaddr_un *)h->addr;
	const char *name = sun->sun_path;
	struct sockaddr_storage ss = {};
	umode_t umask;
	int err;

	memcpy(&ss, h->addr, h->addr_len);
	if (name[0]) {
		if (!restore_unix_name_valid(h->addr, h->addr_len) ||
		    h->mode & ~0777)
			return ckpt_err(ctx, -EBADMSG,
					"AF_UNIX socket %d: malformed path",
					h->objref);
		err = restore_unix_stale(ctx, h, name);
		if (err)
			return err;
	}
	umask = current->fs->umask;
	current->fs->umask = ~h->mode & 0777;
	err = __sys_bind_socket(sock, &ss, h->addr_len);
	current->fs->umask = umask;
	return err;
}

/*
 * Send each queued datagram to the bound socket again, each from a new
 * socket without a name (as the one it came from was), without waiting:
 * they queue as they were.  Before the socket connects, since a
 * connected datagram socket takes datagrams from its peer only.
 */
static int restore_sock_queue(const struct ckpt_hdr_socket *h)
{
	const char *data = (const char *)h->msg_len +
			   round_up(h->nr_msgs * sizeof(u32), 8);
	struct sockaddr_storage ss = {};
	struct socket *from;
	u32 i;
	int err = 0;

	memcpy(&ss, h->addr, h->addr_len);
	for (i = 0; i < h->nr_msgs && !err; i++) {
		struct msghdr msg = {
			.msg_name = &ss,
			.msg_namelen = h->addr_len,
			.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL,
		};
		struct kvec iov = { (void *)data, h->msg_len[i] };

		err = sock_create(AF_UNIX, SOCK_DGRAM, 0, &from);
		if (err)
			break;
		err = kernel_sendmsg(from, &msg, &iov, 1, h->msg_len[i]);
		sock_release(from);
		if (err >= 0)
			err = err == h->msg_len[i] ? 0 : -EMSGSIZE;
		data += h->msg_len[i];
		cond_resched();
	}
	return err;
}

/* Make the socket, as the restored task; its file, O_RDWR. */
static struct file *restore_sock_make(struct ckpt_ctx *ctx,
				      const struct ckpt_hdr_socket *h)
{
	bool connected = h->state == CKPT_SOCK_CONNECTED;
	struct sockaddr_storage ss = {};
	const struct cred *old;
	struct socket *sock;
	struct file *file;
	const char *what;
	int err;

	old = ckpt_as_task(ctx);
	what = "making it";
	err = sock_create(h->family, h->type, h->protocol, &sock);
	if (err)
		goto out;
	what = "setting its options";
	err = restore_sock_opts(sock, h);
	if (!err && h->protocol == IPPROTO_TCP && connected) {
		what = "entering TCP repair mode, which needs CAP_NET_ADMIN";
		err = restore_tcp_repair(sock);
	}
	if (!err && h->addr_len) {
		what = "binding it";
		if (h->family == AF_UNIX) {
			err = restore_unix_bind(ctx, sock, h);
		} else {
			memcpy(&ss, h->addr, h->addr_len);
			err = __sys_bind_socket(sock, &ss, h->addr_len);
		}
	}
	if (!err && h->nr_msgs) {
		what = "queueing its datagrams again";
		err = restore_sock_queue(h);
	}
	if (!err && h->state == CKPT_SOCK_LISTENING) {
		what = "listening";
		err = __sys_listen_socket(sock, h->backlog);
	}
	if (err) {
		sock_release(sock);
		goto out;
	}
	file = sock_alloc_file(sock, 0, NULL);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto out;
	}
	if (connected && h->protocol == IPPROTO_TCP) {
		err = restore_tcp_connect(ctx, file, h);
		if (err) {
			fput(file);
			ckpt_as_restarter(old);
			return ERR_PTR(err);
		}
	} else if (connected) {
		what = "connecting it to its peer";
		memcpy(&ss, h->peer, h->peer_len);
		err = __sys_connect_file(file, &ss, h->peer_len, O_NONBLOCK);
		if (err) {
			fput(file);
			goto out;
		}
	}
	err = restore_sock_shutdown(sock, h);
	if (err) {
		what = "shutting it down";
		fput(file);
		goto out;
	}
	ckpt_as_restarter(old);
	return file;
out:
	ckpt_as_restarter(old);
	if (err != -EBADMSG)
		ckpt_err(ctx, err, "socket %d: %s", h->objref, what);
	return ERR_PTR(err);
}

/**
 * restore_sock_obj - make a socket from its SOCKET record (objhash
 * restore handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Return: the new file (the hash owns the reference) or an ERR_PTR.
 */
static void *restore_sock_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_socket *h = rec;

	if (!restore_sock_valid(h)) {
		ckpt_err(ctx, -EBADMSG, "socket %u: malformed record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	return restore_sock_make(ctx, h);
}

/*
 * A socket is its file at checkpoint (the FILE object holds it); at
 * restart, the file made from the record, which the FILE naming it
 * takes.
 */
const struct ckpt_obj_ops ckpt_obj_socket_ops = {
	.name = "socket",
	.hdr_type = CKPT_HDR_SOCKET,
	.grab = ckpt_obj_noop,
	.drop = ckpt_obj_noop,
	.checkpoint = checkpoint_sock_obj,
	.restore = restore_sock_obj,
	.release = ckpt_file_drop,
};

/*
 * The client of each connection waiting in the backlog of an AF_UNIX
 * listener among @f (or f->fds[@only]) must be in @all: restart makes
 * the connection again from the client's side.
 */
static int ckpt_sock_peers(const struct ckpt_fds *f, int only,
			   const struct ckpt_fds *all,
			   struct task_struct **tasks, unsigned int nr_tasks,
			   char *why, size_t len)
{
	struct file **files = NULL, *cf;
	struct sock **conns, *client;
	struct socket *sock;
	unsigned int i, k, n;
	int err = 0;

	for (i = 0; i < f->nr && !err; i++) {
		sock = (only < 0 || i == only) ? ckpt_sock_of(f->fds[i].file) :
						 NULL;
		if (!sock || sock->sk->sk_family != AF_UNIX ||
		    READ_ONCE(sock->sk->sk_state) != TCP_LISTEN ||
		    !skb_queue_len_lockless(&sock->sk->sk_receive_queue))
			continue;
		if (!files)
			files = ckpt_fds_sorted_files(all);
		if (!files)
			break;
		conns = ckpt_unix_conns(sock->sk, &n);
		if (!conns)
			break;
		for (k = 0; k < n && !err; k++) {
			client = unix_peer_get(conns[k]);
			cf = client && client->sk_socket ?
			     client->sk_socket->file : NULL;
			if (!cf || !bsearch(&cf, files, all->nr, sizeof(*files),
					    ckpt_ptr_cmp)) {
				snprintf(why, len,
					 "process %d fd %u%s: a connection from outside the checkpoint waits in the socket's backlog",
					 f->fds[i].pid, f->fds[i].fd, ckpt_fd_flight(&f->fds[i]));
				err = -EOPNOTSUPP;
			}
			if (client)
				sock_put(client);
		}
		ckpt_unix_conns_put(conns, n);
	}
	if (i < f->nr && !err) {
		snprintf(why, len, "out of memory");
		err = -ENOMEM;
	}
	kvfree(files);
	return err;
}

const struct ckpt_file_ops ckpt_file_socket_ops = {
	.kind = CKPT_FILE_SOCKET,
	.flags = CKPT_FK_ANON | CKPT_FK_PEERS,
	.obj = CKPT_OBJ_SOCKET,
	.is = ckpt_is_socket,
	.supported = ckpt_sock_supported,
	.peers = ckpt_sock_peers,
	.restore = restore_state_file,
};
