/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kind of object the hash holds, one CKPT_OBJ_KIND(ops) line each:
 * the const struct ckpt_obj_ops that the kind's own file defines (its
 * .type one of enum ckpt_obj_type).  objhash.c includes this with the
 * macro defined as it needs, as include/linux/bpf_types.h is used, and
 * checks at build time that the list has one entry per kind this
 * configuration builds (an fd type configured out has no kind).
 */
CKPT_OBJ_KIND(ckpt_obj_file_ops)
CKPT_OBJ_KIND(ckpt_obj_file_table_ops)
CKPT_OBJ_KIND(ckpt_obj_mm_ops)
CKPT_OBJ_KIND(ckpt_obj_pipe_ops)
CKPT_OBJ_KIND(ckpt_obj_memfd_ops)
#ifdef CONFIG_EVENTFD
CKPT_OBJ_KIND(ckpt_obj_eventfd_ops)
#endif
#ifdef CONFIG_SIGNALFD
CKPT_OBJ_KIND(ckpt_obj_signalfd_ops)
#endif
#ifdef CONFIG_TIMERFD
CKPT_OBJ_KIND(ckpt_obj_timerfd_ops)
#endif
CKPT_OBJ_KIND(ckpt_obj_shmem_ops)
#if IS_BUILTIN(CONFIG_UNIX)
CKPT_OBJ_KIND(ckpt_obj_unix_pair_ops)
#endif
#if CKPT_HAVE_SOCK
CKPT_OBJ_KIND(ckpt_obj_socket_ops)
#endif
