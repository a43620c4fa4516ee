// SPDX-License-Identifier: MIT
//
// adjust-slack-spec.js: writes the copy of Slack's Web API spec
// (../shared/specs/slack/slack_web_openapi_v2.json, Swagger 2.0) that
// run-prism.sh --api slack serves, with these documented adjustments and
// nothing else:
//
//   1. Every parameter named "token" (in: header, query or formData) is
//      removed. The spec models the token as an argument; lihui sends it
//      as "Authorization: Bearer <token>", which Slack recommends and
//      apps.connections.open requires (../shared/docs/protocols.md 2.1).
//      The spec's security requirement (slackAuth, OAuth 2) stays, and
//      prism checks it: a request without a bearer token still fails.
//   2. POST /auth.test is added as a copy of GET /auth.test. The spec
//      lists GET only; Slack takes every Web API method by GET or POST
//      and protocols.md 2.2 gives auth.test as "POST/GET". lihui POSTs
//      it (with no body).
//   3. JSON bodies. The methods lihui writes to list "application/json"
//      under consumes, and Slack takes JSON bodies for them (protocols.md
//      2.1), but their arguments are "formData" parameters, which Swagger
//      2.0 ties to form encodings: prism (through @stoplight/http-spec)
//      then admits only application/x-www-form-urlencoded and answers a
//      JSON body with 415. So for every operation that consumes
//      application/json and has formData parameters, those parameters
//      become one "body" parameter: a JSON object with the same
//      properties (name, type, description) and the same required ones,
//      and additionalProperties false, and consumes becomes
//      application/json. The last part is stricter than Slack, which
//      ignores an unknown argument: a misspelt one ("ts" for reactions.add's
//      "timestamp") would otherwise pass here and fail silently there.
//   4. The spec's basePath ("/api") is put in front of every path, and
//      basePath removed: prism's mock matches paths without the basePath,
//      and lihui's base URL ends in /api as Slack's does
//      (https://slack.com/api), so the requests are checked as sent.
//
// Each adjustment must find what it changes: if a new copy of the spec
// no longer has a "token" parameter or GET /auth.test, or already has
// POST /auth.test, the script fails, so the list cannot go stale
// silently. The output is written atomically.
//
//   node tests/contract/adjust-slack-spec.js SPEC_JSON OUTPUT_JSON

'use strict';

const fs = require('fs');

function fail(msg) {
	process.stderr.write(`adjust-slack-spec: ${msg}\n`);
	process.exit(1);
}

if (process.argv.length !== 4) {
	process.stderr.write(
	    'usage: adjust-slack-spec.js SPEC_JSON OUTPUT_JSON\n');
	process.exit(2);
}
const [input, output] = process.argv.slice(2);

let spec;
try {
	spec = JSON.parse(fs.readFileSync(input, 'utf8'));
} catch (e) {
	fail(`cannot read '${input}': ${e.message}`);
}
if (spec.swagger !== '2.0' || typeof spec.paths !== 'object')
	fail(`'${input}' is not a Swagger 2.0 document with paths`);

// 1.
const verbs = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
let removed = 0;
for (const item of Object.values(spec.paths)) {
	for (const verb of verbs) {
		const op = item[verb];
		if (!op || !Array.isArray(op.parameters))
			continue;
		const kept = op.parameters.filter(
		    (p) => !(p && p.name === 'token' &&
			     ['header', 'query', 'formData'].includes(p.in)));
		removed += op.parameters.length - kept.length;
		op.parameters = kept;
	}
}
if (removed === 0)
	fail('no "token" parameter found: adjustment 1 is stale');

// 2.
const auth = spec.paths['/auth.test'];
if (!auth || !auth.get)
	fail('no GET /auth.test: adjustment 2 is stale');
if (auth.post)
	fail('POST /auth.test exists already: adjustment 2 is stale');
auth.post = JSON.parse(JSON.stringify(auth.get));
if (auth.post.operationId)
	auth.post.operationId += '_post';

// 3.
let bodies = 0;
for (const item of Object.values(spec.paths)) {
	for (const verb of verbs) {
		const op = item[verb];
		if (!op || !Array.isArray(op.parameters))
			continue;
		const consumes = op.consumes || spec.consumes || [];
		const form = op.parameters.filter((p) => p && p.in === 'formData');
		if (!consumes.includes('application/json') || form.length === 0)
			continue;
		const schema = {
			type: 'object',
			properties: {},
			additionalProperties: false,
		};
		const required = [];
		for (const p of form) {
			if (p.type === 'file')
				fail(`${verb} with a file parameter: adjustment 3 ` +
				     'cannot express it');
			const prop = { type: p.type };
			for (const k of ['description', 'format', 'enum', 'items'])
				if (p[k] !== undefined)
					prop[k] = p[k];
			schema.properties[p.name] = prop;
			if (p.required)
				required.push(p.name);
		}
		if (required.length > 0)
			schema.required = required;
		op.parameters = op.parameters.filter((p) => !(p && p.in === 'formData'));
		op.parameters.push({
			in: 'body',
			name: 'body',
			required: required.length > 0,
			schema,
		});
		op.consumes = ['application/json'];
		bodies++;
	}
}
if (bodies === 0)
	fail('no operation with formData parameters consuming JSON: ' +
	     'adjustment 3 is stale');

// 4.
const base = typeof spec.basePath === 'string' ?
    spec.basePath.replace(/\/+$/, '') : '';
if (base === '')
	fail('no basePath: adjustment 4 is stale');
const paths = {};
for (const [path, item] of Object.entries(spec.paths))
	paths[base + path] = item;
spec.paths = paths;
delete spec.basePath;

const tmp = `${output}.tmp.${process.pid}`;
fs.writeFileSync(tmp, JSON.stringify(spec));
fs.renameSync(tmp, output);
process.stdout.write(`adjust-slack-spec: ${output}: ` +
		     `${Object.keys(spec.paths).length} paths, ` +
		     `${removed} token parameters removed, POST /auth.test added, ` +
		     `${bodies} JSON bodies, paths under ${base}\n`);
