/* SPDX-License-Identifier: MIT */
/*
 * fuzz-mm-event.c: libFuzzer target for the Mattermost WebSocket frame
 * parser. Each input is one text frame. A parsed frame is checked for the
 * promises mm-event.h makes (strings present for posted, valid UTF-8 with
 * no NUL, caps kept) and released, so leaks and bad frees show up. The
 * same input is parsed as a REST PostList answer (the resync after a lost
 * session), and its first line is used as a token for
 * mm_auth_challenge().
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "../../src/adapter/mm-event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *, size_t, int);
static void check_msg(const struct mm_msg *);

/* A string from the parser: capped, valid UTF-8; required ones present. */
static void
check_str(const char *s, size_t max, int required)
{
	size_t len;

	if (s == NULL) {
		if (required)
			BUG("required string is NULL");
		return;
	}
	len = strlen(s);
	if (len > max || !utf8_valid(s, len))
		BUG("string breaks the parser's promises");
}

static void
check_msg(const struct mm_msg *m)
{
	int posted = m->kind == MM_MSG_POSTED;
	size_t i;

	check_str(m->event, MM_NAME_MAX, m->kind != MM_MSG_RESPONSE);
	check_str(m->status, MM_NAME_MAX, m->kind == MM_MSG_RESPONSE);
	check_str(m->connection_id, MM_ID_MAX, 0);
	check_str(m->server_version, MM_NAME_MAX, 0);
	check_str(m->error_id, MM_NAME_MAX, 0);
	check_str(m->post_id, MM_ID_MAX, posted);
	check_str(m->channel_id, MM_ID_MAX, posted);
	check_str(m->user_id, MM_ID_MAX, posted);
	check_str(m->message, MM_MESSAGE_MAX, posted);
	check_str(m->root_id, MM_ID_MAX, posted);
	check_str(m->post_type, MM_NAME_MAX, posted);
	check_str(m->channel_type, MM_NAME_MAX, posted);
	check_str(m->channel_name, MM_NAME_MAX, posted);
	check_str(m->sender_name, MM_NAME_MAX, posted);
	check_str(m->team_id, MM_ID_MAX, posted);
	for (i = 0; i < m->n_mentions; i++)
		check_str(m->mentions[i], MM_ID_MAX, 1);
	if ((m->kind == MM_MSG_RESPONSE) != (m->seq_reply > 0))
		BUG("seq_reply does not match the kind");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_msg m, *list;
	char *cause = NULL, *token, *req;
	size_t n, i;
	const char *nl;

	if (mm_msg_parse((const char *)data, size, &m, &cause) == 0) {
		check_msg(&m);
		mm_msg_release(&m);
	} else if (cause == NULL) {
		BUG("refused without a cause");
	}
	free(cause);

	cause = NULL;
	if (mm_post_list_parse((const char *)data, size, &list, &n, &cause) ==
	    0) {
		if (n > MM_POST_LIST_MAX)
			BUG("post list over its cap");
		for (i = 0; i < n; i++) {
			check_msg(&list[i]);
			if (i > 0 && list[i].create_at < list[i - 1].create_at)
				BUG("post list not sorted");
		}
		mm_msg_list_free(list, n);
	} else if (cause == NULL) {
		BUG("post list refused without a cause");
	}
	free(cause);

	nl = memchr(data, '\n', size);
	token = xstrndup((const char *)data,
			 nl == NULL ? size : (size_t)(nl - (const char *)data));
	req = mm_auth_challenge(token, (int64_t)size + 1);
	free(req);
	free(token);
	return 0;
}
