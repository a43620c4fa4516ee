/* SPDX-License-Identifier: MIT */
/*
 * fuzz-slack-envelope.c: libFuzzer target for the Socket Mode frame parser
 * (src/adapter/slack-socket.c). Each input is one text frame. A parsed
 * frame is checked for the promises slack-socket.h makes (an envelope has
 * a valid id, a disconnect a reason, retry_attempt in range); an envelope's
 * payload is also read as an Events API event, and its acknowledgement is
 * built (with and without a payload) and parsed back. Everything is
 * released, so leaks and bad frees show up.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/log.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#include "../../src/adapter/slack-socket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *, size_t);

/* A string from the parser: capped, valid UTF-8 (NULL: absent). */
static void
check_str(const char *s, size_t max)
{
	size_t len;

	if (s == NULL)
		return;
	len = strlen(s);
	if (len > max || !utf8_valid(s, len))
		BUG("string breaks the parser's promises");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slack_frame f, back;
	struct slack_event e;
	char *cause = NULL, *ack;

	if (slack_frame_parse((const char *)data, size, &f, &cause) != 0) {
		if (cause == NULL)
			BUG("failure without a cause");
		free(cause);
		return 0;
	}
	check_str(f.type_name, SLACK_ID_MAX);
	switch (f.kind) {
	case SLACK_FRAME_HELLO:
		break;
	case SLACK_FRAME_DISCONNECT:
		if (f.reason == NULL)
			BUG("disconnect without a reason");
		check_str(f.reason, SLACK_ID_MAX);
		break;
	case SLACK_FRAME_ENVELOPE:
		if (!slack_id_valid(f.envelope_id))
			BUG("envelope with an invalid id");
		if (f.retry_attempt < 0 || f.retry_attempt > SLACK_RETRY_MAX)
			BUG("retry_attempt out of range");
		check_str(f.retry_reason, SLACK_ID_MAX);
		if (slack_event_parse(f.payload, &e, &cause) == 0) {
			check_str(e.type, SLACK_ID_MAX);
			check_str(e.text, SLACK_TEXT_MAX);
			if (e.user != NULL && !slack_id_valid(e.user))
				BUG("event with an invalid user");
			slack_event_release(&e);
		} else {
			if (cause == NULL)
				BUG("event failure without a cause");
			free(cause);
			cause = NULL;
		}
		ack = slack_ack_build(f.envelope_id, f.retry_reason != NULL
							 ? f.retry_reason
							 : NULL);
		if (slack_frame_parse(ack, strlen(ack), &back, &cause) == 0)
			BUG("an ack parsed as a frame");
		free(cause);
		free(ack);
		break;
	default:
		BUG("unknown frame kind");
	}
	slack_frame_release(&f);
	return 0;
}
