/* SPDX-License-Identifier: MIT */
/*
 * meeting-int.h: the /meeting subcommands that live outside
 * src/cmd/meeting.c (its table lists them all).
 */
#ifndef LIHUI_CMD_MEETING_INT_H
#define LIHUI_CMD_MEETING_INT_H

#include "lihui/cmd.h"

/* src/cmd/meeting-schedule.c */
enum cmd_status cmd_meeting_schedule(struct cmd_ctx *ctx, struct args *a);
enum cmd_status cmd_meeting_skip(struct cmd_ctx *ctx, struct args *a);
enum cmd_status cmd_meeting_unskip(struct cmd_ctx *ctx, struct args *a);
/** "; schedule: <rule>, skipped: <dates>" for /meeting config. */
void meeting_schedule_describe(struct cmd_ctx *ctx, char *out, size_t size);

#endif
