// SPDX-License-Identifier: GPL-2.0-or-later
/* The state folder (/run/podnet): every per-domain file in it, the domain
 * lock, and the record's atomic store. state.c is the record's text. */
#ifndef PODNET_STATEDIR_H
#define PODNET_STATEDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "podnet_limits.h"

#define STATEDIR_DEFAULT "/run/podnet"
/* Room for any per-domain path ($PODNET_STATE_DIR/UUID@KEY.suffix). */
#define STATEDIR_PATH_MAX 512

/* The files a domain may have in the state folder, named UUID.suffix. */
enum statedir_file {
	STATEDIR_RECORD,     /* .state: the record (state.c) */
	STATEDIR_RECORD_TMP, /* .state.tmp: the record while it is written */
	STATEDIR_LOCK,	     /* .lock: the domain lock the hooks take */
	STATEDIR_RESPONDER,  /* .responder: held by the domain's responder */
	STATEDIR_LEASE,	     /* .lease: the responder's lease note */
	STATEDIR_LOG,	     /* .log: the responder's log */
	STATEDIR_INCOMING,   /* .incoming: an incoming migration (migrate) */
};

/* The pod key: 16 hex digits of the netns cookie (or "i" + an inode). */
#define STATEDIR_POD_KEY_LEN 24

struct state_record;

const char *state_dir(void);
const char *statedir_pod_key(void);
int statedir_path(const char *uuid, enum statedir_file file,
		  char buf[STATEDIR_PATH_MAX]);
int statedir_read(const char *uuid, enum statedir_file file, char *buf,
		  size_t cap, size_t *ret_len);
int statedir_list(char (*ret_uuids)[PODNET_UUID_STR_LEN + 1], size_t max,
		  size_t *ret_n);
/* Files of releases before the pod key (UUID.suffix): see legacy.c. */
int statedir_legacy_path(const char *uuid, enum statedir_file file,
			 char buf[STATEDIR_PATH_MAX]);
int statedir_legacy_read(const char *uuid, enum statedir_file file, char *buf,
			 size_t cap, size_t *ret_len);
int statedir_legacy_list(char (*ret_uuids)[PODNET_UUID_STR_LEN + 1], size_t max,
			 size_t *ret_n);
int statedir_legacy_adopt(const char *uuid);
bool state_has_legacy_record(const char *uuid);
int state_write(const struct state_record *rec);
int state_read(const char *uuid, struct state_record *ret);
int state_remove(const char *uuid);
bool state_has_files(const char *uuid);
bool state_has_record(const char *uuid);
int state_lock(const char *uuid);
void state_unlock_remove(const char *uuid, int lock_fd);

#endif
