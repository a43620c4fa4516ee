/* SPDX-License-Identifier: MIT */
/*
 * test-dispatch.c: the dispatcher (cmd.c) through the test bot: how a
 * group is found (trigger, "/lihui <group>", a message to the bot), help,
 * the refusals every command shares (unknown command or subcommand, text
 * too long or not UTF-8, words that cannot be split, direct messages) in
 * English and Chinese, and that a refused command stores nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lihui/buf.h"
#include "lihui/catalog.h"
#include "lihui/cmd.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

#define ZH_CN "/meeting config locale zh_CN"

enum via { VIA_CMD, VIA_SAY, VIA_DM };

struct exchange {
	enum via via;
	const char *line;
	const char *want; /* the whole outbox output */
};

static const char *
run(struct tb *tb, enum via via, const char *user, const char *line)
{
	switch (via) {
	case VIA_SAY:
		return tb_say(tb, user, line);
	case VIA_DM:
		return tb_dm(tb, user, line);
	default:
		return tb_cmd(tb, user, line);
	}
}

/* Each line is answered with exactly its want and stores nothing. */
static void
refused_all(struct tb *tb, const struct exchange *x, size_t n)
{
	char *before, *after;
	size_t i;

	for (i = 0; i < n; i++) {
		before = tb_snapshot(tb);
		assert_string_equal(run(tb, x[i].via, "alice", x[i].line),
				    x[i].want);
		after = tb_snapshot(tb);
		assert_string_equal(after, before);
		free(before);
		free(after);
	}
}

/* "prefix" followed by n copies of fill, then "suffix"; caller frees. */
static char *
repeat(const char *prefix, const char *fill, size_t n, const char *suffix)
{
	size_t lp = strlen(prefix), lf = strlen(fill), ls = strlen(suffix), i;
	char *s = xmalloc(lp + n * lf + ls + 1);

	memcpy(s, prefix, lp);
	for (i = 0; i < n; i++)
		memcpy(s + lp + i * lf, fill, lf);
	memcpy(s + lp + n * lf, suffix, ls + 1);
	return s;
}

static const struct exchange unknown_en[] = {
	{ VIA_CMD, "/foo bar",
	  "[ephemeral @alice] unknown command 'foo'; try /lihui help\n" },
	{ VIA_CMD, "/lihui foo",
	  "[ephemeral @alice] unknown command 'foo'; try /lihui help\n" },
	{ VIA_CMD, "/lihui lihui",
	  "[ephemeral @alice] unknown command 'lihui'; try /lihui help\n" },
	{ VIA_SAY, "@lihui bogus thing",
	  "[ephemeral @alice] unknown command 'bogus'; try /lihui help\n" },
	/* Section keywords are subcommands, not groups. */
	{ VIA_SAY, "@lihui 完成 登录页",
	  "[ephemeral @alice] unknown command '完成'; try /lihui help\n" },
	{ VIA_DM, "frob",
	  "[ephemeral @alice] unknown command 'frob'; try /lihui help\n" },
	{ VIA_CMD, "/report foo",
	  "[ephemeral @alice] unknown subcommand 'foo' of /report; try "
	  "/report help\n" },
	{ VIA_CMD, "/report Shipped the page",
	  "[ephemeral @alice] unknown subcommand 'Shipped' of /report; try "
	  "/report help\n" },
	{ VIA_CMD, "/report DONE x",
	  "[ephemeral @alice] unknown subcommand 'DONE' of /report; try "
	  "/report help\n" },
	/* A prefix is not a subcommand. */
	{ VIA_CMD, "/report do x",
	  "[ephemeral @alice] unknown subcommand 'do' of /report; try "
	  "/report help\n" },
	{ VIA_CMD, "/agenda frob 1",
	  "[ephemeral @alice] unknown subcommand 'frob' of /agenda; try "
	  "/agenda help\n" },
	{ VIA_CMD, "/meeting begin",
	  "[ephemeral @alice] unknown subcommand 'begin' of /meeting; try "
	  "/meeting help\n" },
	{ VIA_CMD, "/lihui report foo",
	  "[ephemeral @alice] unknown subcommand 'foo' of /report; try "
	  "/report help\n" },
	{ VIA_SAY, "@lihui agenda 显示",
	  "[ephemeral @alice] unknown subcommand '显示' of /agenda; try "
	  "/agenda help\n" },
};

static const struct exchange unknown_zh[] = {
	{ VIA_CMD, "/foo bar",
	  "[ephemeral @alice] 未知命令“foo”；请试试 /lihui help\n" },
	{ VIA_SAY, "@lihui 完成 登录页",
	  "[ephemeral @alice] 未知命令“完成”；请试试 /lihui help\n" },
	{ VIA_CMD, "/report foo",
	  "[ephemeral @alice] “foo”不是 /report 的子命令；请试试 /report "
	  "help\n" },
	{ VIA_CMD, "/agenda 显示",
	  "[ephemeral @alice] “显示”不是 /agenda 的子命令；请试试 /agenda "
	  "help\n" },
	/* Direct messages have no channel: the default locale. */
	{ VIA_DM, "frob",
	  "[ephemeral @alice] unknown command 'frob'; try /lihui help\n" },
};

static void
test_unknown(void **state)
{
	struct tb *tb = *state;

	refused_all(tb, unknown_en, sizeof unknown_en / sizeof unknown_en[0]);
	tb_cmd(tb, "alice", ZH_CN);
	refused_all(tb, unknown_zh, sizeof unknown_zh / sizeof unknown_zh[0]);
}

/* The hint repeats at most 40 bytes of the word, cut between characters. */
static void
test_unknown_long_word(void **state)
{
	struct tb *tb = *state;
	char *line, *want;
	const char *out;

	line = repeat("/report ", "x", 3000, "");
	want = repeat("[ephemeral @alice] unknown subcommand '", "x", 40,
		      "' of /report; try /report help\n");
	out = tb_cmd(tb, "alice", line);
	assert_string_equal(out, want);
	free(line);
	free(want);

	line = repeat("/report ", "数", 100, " x");
	want = repeat("[ephemeral @alice] unknown subcommand '", "数", 13,
		      "' of /report; try /report help\n");
	assert_string_equal(tb_cmd(tb, "alice", line), want);
	free(line);
	free(want);

	line = repeat("@lihui ", "据", 1000, " done x");
	want = repeat("[ephemeral @alice] unknown command '", "据", 13,
		      "'; try /lihui help\n");
	assert_string_equal(tb_say(tb, "alice", line), want);
	free(line);
	free(want);
}

static void
test_lihui_group(void **state)
{
	struct tb *tb = *state;
	char *snap;

	assert_string_equal(tb_cmd(tb, "alice", "/lihui report done via lihui"),
			    "[ephemeral @alice] Noted under Done: via lihui\n");
	assert_string_equal(tb_cmd(tb, "alice", "/lihui report 计划 下周"),
			    "[ephemeral @alice] Noted under Plan: 下周\n");
	assert_string_equal(
	    tb_cmd(tb, "alice", "/lihui agenda add Budget @bob 5m"),
	    "[ephemeral @alice] Added topic 1: Budget (5 min)\n");
	assert_string_equal(
	    tb_cmd(tb, "alice", "/lihui meeting roster add @bob"),
	    "[ephemeral @alice] Added to the roster: @bob\n");
	assert_string_equal(
	    tb_cmd(tb, "alice", "/lihui report done"),
	    "[ephemeral @alice] missing arguments; usage: /report done "
	    "<text>\n");
	snap = tb_snapshot(tb);
	assert_string_equal(snap, "channel ops en UTC 31\n"
				  "report alice 0 via lihui | -\n"
				  "report alice 1 下周 | -\n"
				  "topic Budget bob 5\n"
				  "member bob 1 -\n");
	free(snap);
}

/* A message addressed to the bot works like the slash command. */
static void
test_message_forms(void **state)
{
	struct tb *tb = *state;
	char *snap;

	assert_string_equal(tb_say(tb, "alice", "@lihui report done a"),
			    "[ephemeral @alice] Noted under Done: a\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui: report done b"),
			    "[ephemeral @alice] Noted under Done: b\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui,  report  done  c"),
			    "[ephemeral @alice] Noted under Done: c\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui /report done d"),
			    "[ephemeral @alice] Noted under Done: d\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui report 完成 e"),
			    "[ephemeral @alice] Noted under Done: e\n");
	/* Chinese input: full-width colon and comma, ideographic spaces. */
	assert_string_equal(tb_say(tb, "alice", "@lihui：report done g"),
			    "[ephemeral @alice] Noted under Done: g\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui， report 完成 h"),
			    "[ephemeral @alice] Noted under Done: h\n");
	assert_string_equal(tb_say(tb, "alice",
				   "@lihui\xe3\x80\x80report\xe3\x80\x80"
				   "完成\xe3\x80\x80i"),
			    "[ephemeral @alice] Noted under Done: i\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui\nreport done j"),
			    "[ephemeral @alice] Noted under Done: j\n");
	assert_string_equal(tb_cmd(tb, "alice",
				   "/lihui report\xe3\x80\x80"
				   "done k"),
			    "[ephemeral @alice] Noted under Done: k\n");
	assert_string_equal(tb_say(tb, "bob", "@lihui lihui report 问题 f"),
			    "[ephemeral @bob] Noted under Problems and "
			    "blockers: f\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui agenda add T 5m"),
			    "[ephemeral @alice] Added topic 1: T (5 min)\n");
	assert_string_equal(
	    tb_say(tb, "alice", "@lihui report"),
	    "[ephemeral @alice] **Your report for the meeting on 2026-11-30 "
	    "10:00**\n"
	    "**Done**\n1. a\n2. b\n3. c\n4. d\n5. e\n6. g\n7. h\n8. i\n"
	    "9. j\n10. k\n\n");
	/* Lines that do not address the bot are not commands. */
	assert_string_equal(tb_say(tb, "alice", "report done not for lihui"),
			    "");
	assert_string_equal(tb_say(tb, "alice", "/report done not for lihui"),
			    "");
	snap = tb_snapshot(tb);
	assert_string_equal(snap, "channel ops en UTC 31\n"
				  "report alice 0 a | -\n"
				  "report alice 0 b | -\n"
				  "report alice 0 c | -\n"
				  "report alice 0 d | -\n"
				  "report alice 0 e | -\n"
				  "report alice 0 g | -\n"
				  "report alice 0 h | -\n"
				  "report alice 0 i | -\n"
				  "report alice 0 j | -\n"
				  "report alice 0 k | -\n"
				  "report bob 2 f | -\n"
				  "topic T - 5\n");
	free(snap);
}

static const char report_help_en[] =
    "[ephemeral @alice] **/report** — your status report for the next "
    "meeting\n"
    "- `/report away until <date> | off` (请假) — mark yourself on leave "
    "until a date, or back\n"
    "- `/report blocker <text> [@who-can-help ...]` (问题) — report a "
    "problem or blocker, and who can help\n"
    "- `/report clear [<n>]` (清除) — remove item n of your report, or all "
    "of it\n"
    "- `/report done <text>` (完成) — add something you finished this "
    "period\n"
    "- `/report edit <n> <text>` (修改) — replace the text of item n of "
    "your report\n"
    "- `/report metric <name>=<value> ...` (数据) — record key metrics, "
    "e.g. signups=1240 conversion=3.1%\n"
    "- `/report need <text>` (资源) — ask for resources: people, budget, "
    "tools\n"
    "- `/report plan <text>` (计划) — add something you plan for the next "
    "period\n"
    "- `/report show` (查看) — show your report for the next meeting\n"
    "\n";

static const char agenda_help_zh[] =
    "[ephemeral @alice] **/agenda** — 下次例会的议程\n"
    "- `/agenda add <标题> [@负责人] [<分钟数>m]` (添加) — "
    "为下次例会添加议题，可指定负责人和时长\n"
    "- `/agenda post` (发布) — 立即在频道发布议程\n"
    "- `/agenda remove <编号>` (删除) — 删除第 n 个议题\n"
    "- `/agenda show` (预览) — 预览下次例会的议程（仅你可见）\n"
    "\n";

static void
test_help(void **state)
{
	struct tb *tb = *state;
	const char *out;
	char *all;

	assert_string_equal(tb_cmd(tb, "alice", "/report help"),
			    report_help_en);
	assert_string_equal(tb_cmd(tb, "alice", "/report 帮助"),
			    report_help_en);
	assert_string_equal(tb_cmd(tb, "alice", "/report --help"),
			    report_help_en);
	assert_string_equal(tb_say(tb, "alice", "@lihui report help"),
			    report_help_en);

	/* Every group, in the order of the table, then the closing line. */
	out = tb_cmd(tb, "alice", "/lihui");
	assert_non_null(strstr(out, "[ephemeral @alice] **/action** — action "
				    "items: who does what, and by when\n"));
	assert_true(strstr(out, "**/agenda** — the agenda of the next "
				"meeting\n") > strstr(out, "**/action**"));
	assert_true(strstr(out, "**/meeting** — the meeting: run it, record "
				"it, its roster and settings\n") >
		    strstr(out, "**/agenda**"));
	assert_true(strstr(out, "**/report** — your status report") >
		    strstr(out, "**/meeting**"));
	assert_non_null(strstr(out, "- `/report done <text>` (完成) — add "
				    "something you finished this period\n"));
	assert_non_null(strstr(out, "\nEvery command also works as `/lihui "
				    "<group> ...` and as a message to the "
				    "bot.\n\n"));
	all = xstrdup(out);
	assert_string_equal(tb_cmd(tb, "alice", "/lihui help"), all);
	assert_string_equal(tb_say(tb, "alice", "@lihui"), all);
	assert_string_equal(tb_say(tb, "alice", "@lihui help"), all);
	assert_string_equal(tb_dm(tb, "alice", "help"), all);
	assert_string_equal(tb_dm(tb, "alice", "帮助"), all);
	free(all);

	tb_cmd(tb, "alice", ZH_CN);
	assert_string_equal(tb_cmd(tb, "alice", "/agenda help"),
			    agenda_help_zh);
	out = tb_cmd(tb, "alice", "/lihui");
	assert_non_null(strstr(out, "每个命令也可以写成 `/lihui <命令组> "
				    "...`，或直接发消息给机器人。\n"));
}

static void
test_too_long(void **state)
{
	struct tb *tb = *state;
	struct exchange x = { VIA_CMD, NULL,
			      "[ephemeral @alice] that is too long (4001 "
			      "bytes; at most 4000); please shorten it\n" };
	char *line, *want, *snap;

	/* 4000 bytes after the trigger are accepted... */
	line = repeat("/report done ", "a", 3995, "");
	want = repeat("[ephemeral @alice] Noted under Done: ", "a", 3995, "\n");
	assert_string_equal(tb_cmd(tb, "alice", line), want);
	free(line);
	free(want);
	snap = tb_snapshot(tb);
	want = repeat("channel ops en UTC 31\nreport alice 0 ", "a", 3995,
		      " | -\n");
	assert_string_equal(snap, want);
	free(snap);
	free(want);

	/* ... one more is not, whatever the form. */
	line = repeat("/report done ", "a", 3996, "");
	x.line = line;
	refused_all(tb, &x, 1);
	free(line);
	line = repeat("@lihui report need ", "需", 1333, "");
	x.via = VIA_SAY;
	x.line = line;
	x.want = "[ephemeral @alice] that is too long (4004 bytes; at most "
		 "4000); please shorten it\n";
	refused_all(tb, &x, 1);
	free(line);
	/* A message's group word counts too. */
	line = repeat("@lihui ", "x", 5000, " done");
	x.line = line;
	x.want = "[ephemeral @alice] that is too long (5000 bytes; at most "
		 "4000); please shorten it\n";
	refused_all(tb, &x, 1);
	free(line);

	tb_cmd(tb, "alice", ZH_CN);
	line = repeat("/report plan ", "计", 1400, "");
	x.via = VIA_CMD;
	x.line = line;
	x.want =
	    "[ephemeral @alice] 内容太长（4205 字节，最多 4000），请缩短\n";
	refused_all(tb, &x, 1);
	free(line);
}

static const struct exchange bad_utf8[] = {
	{ VIA_CMD, "/report done \xff",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	{ VIA_CMD, "/report done 完\xe5\xae",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	/* An overlong '/' and a UTF-16 surrogate. */
	{ VIA_CMD, "/report plan \xc0\xaf",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	{ VIA_CMD, "/agenda add \xed\xa0\x80 5m",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	{ VIA_SAY, "@lihui report done \xff",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	/* The group word of a message is checked before it is repeated. */
	{ VIA_SAY, "@lihui \xff done x",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
	{ VIA_SAY, "@lihui rep\xc3ort done x",
	  "[ephemeral @alice] that text is not valid UTF-8; nothing was "
	  "saved\n" },
};

static const struct exchange bad_utf8_zh[] = {
	{ VIA_CMD, "/report done \xff",
	  "[ephemeral @alice] 内容不是有效的 UTF-8 文本，未保存任何内容\n" },
	{ VIA_SAY, "@lihui \xff",
	  "[ephemeral @alice] 内容不是有效的 UTF-8 文本，未保存任何内容\n" },
};

static void
test_invalid_utf8(void **state)
{
	struct tb *tb = *state;

	refused_all(tb, bad_utf8, sizeof bad_utf8 / sizeof bad_utf8[0]);
	tb_cmd(tb, "alice", ZH_CN);
	refused_all(tb, bad_utf8_zh,
		    sizeof bad_utf8_zh / sizeof bad_utf8_zh[0]);
}

static void
test_cannot_split(void **state)
{
	struct tb *tb = *state;
	char *many = repeat("/report done", " w", 70, "");
	const struct exchange en[] = {
		{ VIA_CMD, "/report done \"Q3 plan",
		  "[ephemeral @alice] cannot read that command: a quote is not "
		  "closed\n" },
		{ VIA_CMD, "/agenda add “第三季度 15m",
		  "[ephemeral @alice] cannot read that command: a quote is not "
		  "closed\n" },
		{ VIA_CMD, many,
		  "[ephemeral @alice] cannot read that command: too many "
		  "words\n" },
	};
	const struct exchange zh[] = {
		{ VIA_CMD, "/report done \"Q3 plan",
		  "[ephemeral @alice] 无法识别该命令：引号没有闭合\n" },
		{ VIA_CMD, many,
		  "[ephemeral @alice] 无法识别该命令：词语过多\n" },
	};

	refused_all(tb, en, sizeof en / sizeof en[0]);
	tb_cmd(tb, "alice", ZH_CN);
	refused_all(tb, zh, sizeof zh / sizeof zh[0]);
	free(many);
}

/* Every subcommand belongs to a channel; help still works in a DM. */
static const struct exchange dm_en[] = {
	{ VIA_DM, "report done x",
	  "[ephemeral @alice] use /report done in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "@lihui report 完成 x",
	  "[ephemeral @alice] use /report done in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "report",
	  "[ephemeral @alice] use /report show in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "report away off",
	  "[ephemeral @alice] use /report away in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "agenda",
	  "[ephemeral @alice] use /agenda show in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "agenda post",
	  "[ephemeral @alice] use /agenda post in your team's channel, not "
	  "in a direct message\n" },
	{ VIA_DM, "/meeting roster add @bob",
	  "[ephemeral @alice] use /meeting roster in your team's channel, "
	  "not in a direct message\n" },
	{ VIA_DM, "meeting config locale zh_CN",
	  "[ephemeral @alice] use /meeting config in your team's channel, "
	  "not in a direct message\n" },
};

static void
test_direct_message(void **state)
{
	struct tb *tb = *state;

	refused_all(tb, dm_en, sizeof dm_en / sizeof dm_en[0]);
	/* The count of words is checked before the place. */
	assert_string_equal(tb_dm(tb, "alice", "report done"),
			    "[ephemeral @alice] missing arguments; usage: "
			    "/report done <text>\n");
}

/* A renamed trigger is used in every reply; the group name still works. */
static void
test_custom_trigger(void **state)
{
	struct tb *tb = *state;
	char *snap;

	free(tb->config.trigger_report);
	tb->config.trigger_report = xstrdup("status");
	assert_string_equal(tb_cmd(tb, "alice", "/status done x"),
			    "[ephemeral @alice] Noted under Done: x\n");
	assert_string_equal(tb_cmd(tb, "alice", "/status done"),
			    "[ephemeral @alice] missing arguments; usage: "
			    "/status done <text>\n");
	assert_string_equal(tb_cmd(tb, "alice", "/status foo"),
			    "[ephemeral @alice] unknown subcommand 'foo' of "
			    "/status; try /status help\n");
	assert_string_equal(tb_cmd(tb, "alice", "/lihui report plan y"),
			    "[ephemeral @alice] Noted under Plan: y\n");
	assert_string_equal(tb_say(tb, "alice", "@lihui status need z"),
			    "[ephemeral @alice] Noted under Resource needs: "
			    "z\n");
	assert_non_null(strstr(tb_cmd(tb, "alice", "/status help"),
			       "- `/status done <text>` (完成)"));
	snap = tb_snapshot(tb);
	assert_string_equal(snap, "channel ops en UTC 31\n"
				  "report alice 0 x | -\n"
				  "report alice 1 y | -\n"
				  "report alice 4 z | -\n");
	free(snap);
}

/* Every reply of every path is well-formed UTF-8, whatever came in. */
static void
test_replies_are_utf8(void **state)
{
	static const char *const lines[] = {
		"@lihui \xff\xfe",    "@lihui \xe6\x95",
		"@lihui report \xff", "@lihui report done x\xc3",
		"@lihui x\x80y",
	};
	struct tb *tb = *state;
	const char *out;
	size_t i;

	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		out = tb_say(tb, "alice", lines[i]);
		assert_true(out[0] != '\0');
		assert_true(utf8_valid(out, strlen(out)));
	}
}

/* One refusal of every subcommand, for test_every_subcommand(). */
static void refuse_one(struct tb *tb, enum via via, const char *want,
		       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
refuse_one(struct tb *tb, enum via via, const char *want, const char *fmt, ...)
{
	struct exchange x;
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	x.via = via;
	x.line = line;
	x.want = want;
	refused_all(tb, &x, 1);
	free(line);
}

/* The usage reply of sub s of group g ("missing arguments; usage: ..."). */
static char *
usage_reply(enum locale loc, const char *cause, const char *g,
	    const struct cmd_sub *s)
{
	const char *usage =
	    s->usage[0] != '\0' ? catalog_get(loc, s->usage) : NULL;

	if (loc == LOCALE_ZH_CN)
		return xasprintf("[ephemeral @alice] %s；用法：/%s %s%s%s\n",
				 cause, g, s->name, usage ? " " : "",
				 usage ? usage : "");
	return xasprintf("[ephemeral @alice] %s; usage: /%s %s%s%s\n", cause, g,
			 s->name, usage ? " " : "", usage ? usage : "");
}

static const char *const too_long[] = {
	"[ephemeral @alice] that is too long (4001 bytes; at most 4000); "
	"please shorten it\n",
	"[ephemeral @alice] 内容太长（4001 字节，最多 4000），请缩短\n",
};
static const char *const not_utf8[] = {
	"[ephemeral @alice] that text is not valid UTF-8; nothing was saved\n",
	"[ephemeral @alice] 内容不是有效的 UTF-8 文本，未保存任何内容\n",
};
static const char *const open_quote[] = {
	"[ephemeral @alice] cannot read that command: a quote is not closed\n",
	"[ephemeral @alice] 无法识别该命令：引号没有闭合\n",
};
static const char *const missing[] = { "missing arguments", "缺少参数" };
static const char *const too_many[] = { "too many arguments", "参数过多" };

/* The refusals of subcommand s of group g called by keyword kw. */
static void
refuse_sub(struct tb *tb, enum locale loc, const char *g,
	   const struct cmd_sub *s, const char *kw)
{
	struct buf words;
	char *pad, *want;
	int i;

	/* "<kw> " and then padding: 4001 bytes in all. */
	pad = repeat("", "x", 4001 - strlen(kw) - 1, "");
	refuse_one(tb, VIA_CMD, too_long[loc], "/%s %s %s", g, kw, pad);
	free(pad);
	refuse_one(tb, VIA_CMD, not_utf8[loc], "/%s %s x\xff", g, kw);
	refuse_one(tb, VIA_CMD, open_quote[loc], "/%s %s \"x", g, kw);

	buf_init(&words, 4096);
	for (i = 0; i < s->min_args; i++)
		buf_puts(&words, " 1");
	if (s->min_args > 0) {
		want = usage_reply(loc, missing[loc], g, s);
		refuse_one(tb, VIA_CMD, want, "/%s %s", g, kw);
		free(want);
	}
	if (s->flags & CMD_NODM) {
		want = xasprintf("[ephemeral @alice] use /%s %s in your team's "
				 "channel, not in a direct message\n",
				 g, s->name);
		refuse_one(tb, VIA_DM, want, "%s %s%s", g, kw, buf_str(&words));
		free(want);
	}
	/* One word too many (when that still splits into ARGS_MAX). */
	if (s->max_args >= 0 && s->max_args + 2 <= ARGS_MAX) {
		for (i = s->min_args; i <= s->max_args; i++)
			buf_puts(&words, " 1");
		want = usage_reply(loc, too_many[loc], g, s);
		refuse_one(tb, VIA_CMD, want, "/%s %s%s", g, kw,
			   buf_str(&words));
		free(want);
	}
	buf_release(&words);
}

/*
 * Every subcommand of every group, under its English and its Chinese
 * keyword, in both locales, refuses the same way what the dispatcher
 * refuses: too long, not UTF-8, an open quote, too few or too many words,
 * and a direct message; and stores nothing.
 */
static void
test_every_subcommand(void **state)
{
	struct tb *tb = *state;
	const struct cmd_entry *const *e;
	const struct cmd_sub *s;
	int loc, n = 0;

	for (loc = LOCALE_EN; loc <= LOCALE_ZH_CN; loc++) {
		if (loc == LOCALE_ZH_CN)
			tb_cmd(tb, "alice", ZH_CN);
		for (e = cmd_groups(); *e != NULL; e++) {
			for (s = (*e)->subs; s->name != NULL; s++) {
				refuse_sub(tb, (enum locale)loc, (*e)->name, s,
					   s->name);
				if (s->alias != NULL)
					refuse_sub(tb, (enum locale)loc,
						   (*e)->name, s, s->alias);
				n++;
			}
		}
	}
	/* report 9, agenda 4, meeting 2, in each locale. */
	assert_true(n >= 2 * 15);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_long_word,
						tb_setup, tb_teardown),
		cmocka_unit_test_setup_teardown(test_lihui_group, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_message_forms, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_help, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_too_long, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_cannot_split, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_direct_message, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_custom_trigger, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_replies_are_utf8, tb_setup,
						tb_teardown),
		cmocka_unit_test_setup_teardown(test_every_subcommand, tb_setup,
						tb_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
